// The study's plan (every arm x replication, in a fixed order) and running one planned run
// in this process.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/study/measures.h"
#include "sim/study/study_file.h"

namespace clawsim::study {

// One arm x replication. Plans list arms in study order and, within an arm, replications
// ascending; a run's index in the plan is its identity between MPI ranks.
struct PlannedRun {
  uint32_t arm = 0;
  uint32_t replication = 0;
  uint64_t seed = 0;  // ReplicationSeed(study seed, replication): the same in every arm
};

std::vector<PlannedRun> MakePlan(const StudySpec& spec);

// Whether model::RunOptions has the counterfactual switch (the model runs every scenario's
// no-agent twin and fills the summary's counterfactual section). Detected at compile time, so
// a study's `counterfactual: true` works as soon as the model has it, and is refused before.
template <typename Options>
concept HasCounterfactualOption = requires(Options o) { o.counterfactual = true; };

// What one run produced. Reproducible except wall_s and threads.
struct RunRecord {
  uint32_t run_index = 0;  // index into the plan
  bool ok = false;
  std::string error;       // why it failed (ok false)
  double wall_s = 0;
  int threads = 1;
  Measures measures;       // SummaryMeasures of the run
  // The daily series: days x daily_names values, row-major (DailyMeasures of each day).
  std::vector<std::string> daily_names;
  std::vector<double> daily_values;
  uint32_t days = 0;
};

// Runs plan[index] in this process with `threads` engine threads (audit log off) and
// returns its record; a failure is a record with ok false, never an abort. Thread-safe:
// concurrent calls share nothing but `spec`, which they only read.
RunRecord ExecuteRun(const StudySpec& spec, const std::vector<PlannedRun>& plan, uint32_t index, int threads);

}  // namespace clawsim::study
