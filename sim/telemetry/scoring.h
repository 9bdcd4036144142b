// Scoring detectors against the ground truth.
//
// Positives, by label: a person whose performative share of tokens is at least
// Scoring.min_performative_share (kTokenmaxxer, EMPLOYEE detectors); an agent with any call or
// action an attacker drove, through a compromised session, a malicious skill or an injection
// (kAttackerDriven, AGENT detectors); an agent that followed an injected instruction at least
// once, whatever the gate then did with what it asked (kInjectionFollowed, AGENT detectors).
// An entity is flagged when its score reaches the
// detector's threshold on some day; the first such day is when it was detected (at the end
// of that day). Time to detection: from the first performative call (or first attacker-driven
// record) to the end of the flag's day, in days; a flag raised before the first bad record
// counts 0.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/telemetry/detectors.h"
#include "sim/telemetry/telemetry.h"

namespace clawsim::telemetry {

struct PrPoint {
  double threshold = 0;  // flagged: max score >= threshold
  double precision = 0;
  double recall = 0;
};

struct Flag {
  uint32_t entity = 0;
  int day = -1;          // first day flagged
  bool positive = false;
  double ttd_days = -1;  // time to detection (positives only)
};

// The ground truth a detector is scored against.
enum class Label : uint8_t { kTokenmaxxer = 0, kAttackerDriven = 1, kInjectionFollowed = 2 };
const char* LabelName(Label label);  // "tokenmaxxer", "attacker_driven", "injection_followed"
// The labels an entity kind's detectors are scored against in this run: kTokenmaxxer for
// EMPLOYEE; kAttackerDriven for AGENT, and kInjectionFollowed too when injection emails
// landed in the run.
std::vector<Label> LabelsFor(Entity entity, const GroundTruth& truth);

struct DetectorResult {
  std::string name;
  Label label = Label::kTokenmaxxer;
  std::string kind;
  Entity entity = Entity::kEmployee;
  double threshold = 0;
  uint32_t entities = 0;
  uint32_t positives = 0;
  uint32_t flagged = 0;
  uint32_t true_positives = 0;
  uint32_t false_positives = 0;
  double precision = 0;  // 0 when nothing is flagged
  double recall = 0;     // 0 when there are no positives
  double f1 = 0;
  // EMPLOYEE: performative cost of the flagged positives over all performative cost; and the
  // performative cost they spent after the day of their flag over all of it (what acting on
  // the flag could have saved). AGENT: attacker-driven records of flagged
  // agents over all, and those after the flag's day.
  double bad_caught_share = 0;
  double bad_after_flag_share = 0;
  // The people flagged who were not positives (for AGENT detectors: the owners of flagged
  // agents that were not), and the value of the work those people delivered (USD).
  uint32_t false_positive_people = 0;
  double false_positive_value_usd = 0;
  // EMPLOYEE: of the heavy users who were not tokenmaxxers (top decile by tokens), the share
  // flagged: the hard case of useful heavy use.
  uint32_t heavy_useful_people = 0;
  double heavy_useful_flagged_share = 0;
  // Time to detection over the detected positives, days.
  uint32_t detected_with_time = 0;
  double ttd_median_days = 0;
  double ttd_mean_days = 0;
  std::vector<PrPoint> curve;  // thresholds descending, one point per distinct max score
  std::vector<Flag> flags;     // flagged entities, by id
};

DetectorResult Score(const DetectorScores& s, const Telemetry& t, const GroundTruth& truth, Label label,
                     double min_performative_share);

// Whether each person / agent is a positive.
std::vector<bool> EmployeePositives(const GroundTruth& truth, double min_performative_share);
std::vector<bool> AgentPositives(const GroundTruth& truth);
std::vector<bool> InjectionFollowedPositives(const GroundTruth& truth);

}  // namespace clawsim::telemetry
