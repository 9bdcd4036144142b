// The decision: which arm to choose, how sure that is, and what the choice is sensitive to.
// It fills StudyResults.decision and each arm's dominance, identity and feasibility fields
// (sim/proto/study.proto), which the report's first section, `--json` and the viewer show.
//
//   feasible      the arm's mean keeps every constraint of Study.decision
//   best          among the feasible arms that no arm dominates, the one with the best mean
//                 objective (ties: the earlier arm), with its 95% interval; the runner-up and
//                 the paired interval of best minus runner-up (replication by replication:
//                 common random numbers). A dominated arm is never the choice; if it has the
//                 best mean, the answer says so and by whom it is dominated
//   dominated     arm A dominates B with 95% confidence when, over the Pareto objectives and
//                 the decision's objective, A is better in at least one (the paired 95%
//                 interval of A - B lies entirely on the better side) and worse in none (no
//                 interval entirely on the worse side)
//   identical     every measure equal in every replication (the arms do not differ at all)
//   indistinguishable  no key measure differs with 95% confidence (every paired interval
//                 contains zero), though the runs are not identical
//   sensitivity   with an objective that prices harms (priced.*), the choice again with both
//                 leaked-message prices x0.1 and x10, and the range of that factor over which
//                 the best arm stays best (on means; the objective is linear in the factor)
//
// Single-threaded; a pure function of its inputs.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/proto/study.pb.h"
#include "sim/study/stats.h"
#include "sim/study/study_file.h"

namespace clawsim::study {

// A measure's value in every replication of an arm (NaN where the run failed, lacks it or it
// is undefined), for the given prices (which change only priced.* measures).
using SeriesFn = std::function<std::vector<double>(uint32_t arm, const std::string& measure, const proto::StudyPrices& prices)>;

// Writes an interval into the results message: n always, the mean from one value, sd and
// the 95% interval from two (a statistic that cannot be computed is absent, never NaN).
void SetInterval(const Interval& in, proto::StudyInterval* out);

// The decision table's columns: the objective, the Pareto objectives, the constraints'
// measures, then Study.decision.key_measures (by default, for a priced objective,
// priced.harm_cost_usd and priced.harm_usd_per_1000_usd_value); each once.
std::vector<std::string> DecisionKeyMeasures(const StudySpec& spec);

// Fills out->decision and the arms' dominated_by, identical_to, indistinguishable_from and
// feasible. `out` already holds the arms (names, measures with intervals) and runs.
// `identical(a, b)`: whether arms a and b have exactly the same values of every measure in
// every replication.
void Decide(const StudySpec& spec, const SeriesFn& series, const std::function<bool(uint32_t, uint32_t)>& identical,
            proto::StudyResults* out);

}  // namespace clawsim::study
