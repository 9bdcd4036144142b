// Running a detector file over telemetry: every detector's score per entity and day.
//
// A detector runs at the end of each day d >= window_days - 1, on the features of days
// [d - window_days + 1, d]. Its score is in the detector's own unit (rule: multiples of the
// threshold, so it fires at 1; robust_z: a robust z; mahalanobis: a distance) and it fires at
// score >= threshold. A score is NaN where the detector had no evidence (a feature undefined,
// no history yet); NaN never fires.
//
// Thread: any; reads its arguments only. Deterministic: no randomness, entities in id order.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "sim/telemetry/detector_file.h"
#include "sim/telemetry/features.h"

namespace clawsim::telemetry {

struct DetectorScores {
  std::string name;
  std::string kind;  // "rule", "robust_z", "mahalanobis"
  Entity entity = Entity::kEmployee;
  double threshold = 1;
  uint32_t entities = 0;
  uint32_t days = 0;
  std::vector<double> score;  // [e * days + d]
  double At(uint32_t e, uint32_t d) const { return score[size_t{e} * days + d]; }
  // The first day the entity's score reached `threshold`, or -1.
  int FirstDayAtOrAbove(uint32_t e, double threshold_value) const;
  // The entity's highest score over the run (NaN if never scored).
  double MaxScore(uint32_t e) const;
};

// One DetectorScores per detector of `spec`, in file order. `employees` and `agents` are the
// feature tables of the same telemetry.
std::vector<DetectorScores> Evaluate(const DetectorSpec& spec, const FeatureTable& employees, const FeatureTable& agents);

}  // namespace clawsim::telemetry
