// The study's results: statistics computed from the stored runs, and the files written from
// them. Everything here is a function of the study and the stored measures alone (no wall
// times, no thread or rank counts), so the outputs are byte-identical however the runs were
// spread (--jobs, MPI ranks) and whether the study was resumed.
#pragma once

#include <string>
#include <vector>

#include "sim/common/status.h"
#include "sim/proto/study.pb.h"
#include "sim/study/plan.h"
#include "sim/study/results_file.h"
#include "sim/study/store.h"
#include "sim/study/study_file.h"

namespace clawsim::study {

// Builds the results message (schema sim/proto/study.proto): every planned run in plan
// order, and per arm and reported measure the mean with its 95% interval, the paired
// difference against the baseline and the unpaired (Welch) interval of that difference; the
// Pareto front over the arms' means; the value-token elasticity.
void Analyse(const StudySpec& spec, const std::string& study_text, const std::vector<PlannedRun>& plan,
             const std::vector<StoredRun>& stored, proto::StudyResults* out);

// Writes arms.csv, runs.csv, report.md (the decision first), the charts (decision.svg,
// cost_value.svg, pareto.svg, incidents.svg) and study.clawstudy (results_file.h) into
// `dir` (which must exist), each atomically.
Status WriteOutputs(const proto::StudyResults& results, const std::string& dir);

}  // namespace clawsim::study
