// Study files: loading a `.textproto` study (schema sim/proto/study.proto), expanding grids
// into arms, and checking every arm's effective scenario before anything runs.
//
// Errors come back as one Status, one problem per line, each starting with where it is:
//   scenarios/s.textproto:9:3: Message type "clawsim.proto.Study" has no field named "armz".
//   scenarios/s.textproto:14:10: arm "deny": override "permissions.rules[name=agents-prod].mode=NOPE":
//       permissions.rules[name=agents-prod].mode: ...
//   scenarios/s.textproto:12:1: arm "deny": --set run.days=0: run.days must be ...
// Lines and columns are 1-based. A bad override names its arm and its path; an override that
// applies but makes the scenario invalid names its arm and the scenario loader's message. An
// override of a setting the model does not act on yet (sim/scenario/pending.h) is an error:
// the arm would repeat the others' runs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/common/status.h"
#include "sim/proto/study.pb.h"
#include "sim/scenario/load.h"

namespace clawsim::study {

// Sizes a study may have, checked before any grid is expanded or scenario loaded.
inline constexpr uint32_t kMaxReplications = 10000;
inline constexpr uint64_t kMaxArms = 4096;
inline constexpr uint64_t kMaxRuns = 200000;

struct Arm {
  std::string name;
  std::string description;
  std::vector<std::string> overrides;  // study-wide first, then the grid's, then the arm's own
  std::string where;                   // "file:line:col: " of the arm (or grid level) in the study file
  scenario::LoadedScenario loaded;     // the base scenario with `overrides`, validated
  std::string scenario_hash;           // 16 hex digits over the effective scenario and run options
};

struct Objective {
  std::string measure;
  bool maximize = false;
};

struct StudySpec {
  std::string path;            // the study file as given
  std::string name;
  proto::Study proto;          // as parsed
  std::string base_path;       // the base scenario, resolved against the study file's folder
  std::vector<Arm> arms;       // listed arms, then grids' arms
  int baseline = -1;           // index into arms, or -1
  uint32_t replications = 0;
  uint64_t seed = 0;
  bool counterfactual = false;
  std::vector<std::string> measures;  // reported measures; empty: every measure
  std::vector<Objective> pareto;      // at least two
  std::string elasticity_value;
  std::string elasticity_token;
  // Settings the base scenario sets that the model does not act on yet (sim/scenario/pending.h),
  // for a warning. An arm may not override such a setting: that is an error.
  std::vector<std::string> pending_in_base;
  // Located warnings, e.g. two arms whose overrides give the same effective scenario.
  std::vector<std::string> warnings;
};

// Whether this build's model can pair runs with their no-agent twin (Study.counterfactual).
bool CounterfactualSupported();

// Loads and checks `path`. On error `*out` is unspecified.
Status LoadStudy(const std::string& path, StudySpec* out);
// The same from text in memory; `path` names the file in messages and anchors base_scenario.
Status LoadStudyFromText(const std::string& text, const std::string& path, StudySpec* out);

// The seed of replication r: the same in every arm (common random numbers), below 2^63 so
// that it is a plain INTEGER in SQLite.
uint64_t ReplicationSeed(uint64_t study_seed, uint32_t replication);

}  // namespace clawsim::study
