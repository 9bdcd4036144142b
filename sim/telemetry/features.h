// Features: named quantities a detector computes per entity (a person, or an agent) over a
// window of days, from the telemetry alone.
//
// FeatureTable holds, per entity and day, running sums of a few daily aggregates (tokens,
// calls, idle calls, heartbeat gaps, tool calls by kind...), so that any feature over any
// range of days is a few subtractions. Features are listed in kFeatures with their units;
// a feature's value over a range may be NaN (undefined: e.g. a share of zero calls), and
// detectors treat NaN as "no evidence".
//
// Thread: any; a built table is read-only.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sim/telemetry/telemetry.h"

namespace clawsim::telemetry {

enum class Entity : uint8_t { kEmployee = 1, kAgent = 2 };

// Off-hours, for the *_offhours_* features: before this hour or from that hour on.
inline constexpr int kOffHoursBefore = 7;
inline constexpr int kOffHoursFrom = 20;

struct FeatureDef {
  const char* name;
  Entity entity;
  const char* unit;
  const char* description;
};

// A feature's value where it is undefined.
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The median of `v` (the mean of the middle two when their count is even); NaN when empty.
double Median(std::vector<double> v);

// Every feature, employees' first.
const std::vector<FeatureDef>& Features();
// Index into Features(), or -1.
int FindFeature(const std::string& name);

class FeatureTable {
 public:
  FeatureTable(const Telemetry& t, Entity entity);

  Entity entity() const { return entity_; }
  uint32_t entities() const { return n_; }
  uint32_t days() const { return days_; }
  // The entity's team (an agent's owner's), as an index into teams().
  uint32_t team(uint32_t e) const { return team_[e]; }
  const std::vector<std::string>& teams() const { return teams_; }
  // Feature `f` (an index into Features(), of this table's entity kind) of entity `e` over
  // days [first, last], both inclusive; NaN when undefined.
  double Value(int f, uint32_t e, uint32_t first, uint32_t last) const;

 private:
  double Sum(uint32_t e, int agg, uint32_t first, uint32_t last) const;
  // rank_boundary_gap_share: O(entities) per call.
  double RankBoundaryGap(uint32_t e, uint32_t first, uint32_t last) const;
  Entity entity_;
  uint32_t n_ = 0;
  uint32_t days_ = 0;
  std::vector<double> prefix_;  // [(e * (days + 1) + d) * kAggs + agg], sums over days < d
  std::vector<uint32_t> team_;
  std::vector<std::string> teams_;
};

}  // namespace clawsim::telemetry
