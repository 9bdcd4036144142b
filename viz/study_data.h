// A study's results as the Study panel shows them: its arms (one policy each), the mean and
// 95% confidence interval of each measure over the arm's replications, the Pareto
// objectives and which arms are on the front.
//
// Read from a study results file (`study.clawstudy`: one serialized clawsim.proto.StudyResults,
// sim/proto/study.proto, which begins with the bytes 0x0A 0x0D "clawsim-study") by
// LoadStudyFile, with the study schema alone (no study runner, no model).
#pragma once

#include <string>
#include <vector>

#include "sim/common/status.h"

namespace clawsim::viz {

struct Interval {
  double mean = 0;
  double low = 0;   // 95% confidence interval
  double high = 0;
  bool valid = false;  // false where the file has no value (a failed arm, too few runs, undefined)
  int n = 0;           // runs the figure is over
};

struct StudyArm {
  std::string name;      // the policy, e.g. "deny-prod"
  int replications = 0;  // successful runs
  bool baseline = false;
  bool pareto = false;   // on the Pareto front of the objectives (means)
  bool feasible = true;  // keeps the decision's constraints
  std::vector<std::string> dominated_by;  // arms that dominate it with 95% confidence
  std::string identical_to;               // an arm whose runs are identical, or ""
  std::vector<Interval> values;  // per StudyData::measures entry
};

struct StudyObjective {
  int measure = 0;        // index into StudyData::measures
  bool maximize = false;
};

struct StudyData {
  std::string path;
  std::string name;
  std::string description;
  std::vector<std::string> measures;         // reported measures, e.g. "tokens.cost_usd"
  std::vector<StudyObjective> objectives;    // the Pareto front's, at least two in a real study
  std::vector<StudyArm> arms;
  // The decision (the report's first section): the answer in plain language, the objective
  // and the decision table's measures (indices into measures; -1 if absent), the chosen arm.
  std::string answer;
  int objective = -1;
  std::vector<int> key_measures;
  int chosen = -1;  // index into arms, -1 when none
};

// For each arm, whether no other arm is at least as good on every objective's mean and
// strictly better on one. Arms lacking an objective's value are never on the front.
std::vector<bool> ParetoFront(const StudyData& study);

// Whether `path` starts with the study results magic (0x0A 0x0D "clawsim-study").
bool IsStudyFile(const std::string& path);

// Reads a study results file: checks its checksums (a damaged file is refused with the byte
// range), the magic and the major version (1), then fills *out. Errors name the file and the
// problem.
Status LoadStudyFile(const std::string& path, StudyData* out);

}  // namespace clawsim::viz
