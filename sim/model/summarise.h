// The run's summary, from the model's state when the run ends.
//
// Summarise fills r->summary (delivery, DORA, hours, tokens, incentives, safety) and the
// per-person rows from what happened: work items, invocations, audit records and the
// services' runs and incidents, never from a scenario's labels. ResultsHash folds every
// figure of the summary and the per-person rows into one number, so that the run's
// fingerprint changes when any result does (a price or a prompt size changes no event, but
// changes the ledger).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/model/org_model.h"
#include "sim/model/runner.h"
#include "sim/model/world.h"
#include "sim/scenario/compile.h"

namespace clawsim::model {

void Summarise(const scenario::CompiledScenario& sc, const World& world, const OrgModel& m, RunResult* r);

uint64_t ResultsHash(const RunSummary& s, const std::vector<EmployeeMetrics>& employees);

// Of the developers `by_tokens` (RunResult::developers_by_tokens, most tokens first), the top
// tenth's mean of `changes` (RunResult::ratio_changes, by employee) and the median of all of
// them: what incentives.top_decile_changes_ratio divides. Both 0 for fewer than ten.
struct TopDecileChanges {
  double top_mean = 0;
  double median = 0;
};
TopDecileChanges TopDecileChangesOf(const std::vector<uint32_t>& by_tokens, const std::vector<uint64_t>& changes);

// Of the teams `by_adoption` (RunResult::teams_by_adoption, highest adoption first), the top
// fifth's and the bottom fifth's changes merged per developer, each summed over its teams,
// from `merged` (RunResult::ratio_merged, by employee): what
// incentives.adoption_team_merged_ratio divides. Both 0 for fewer than five teams.
struct AdoptionTeamsMerged {
  double high = 0;
  double low = 0;
};
AdoptionTeamsMerged AdoptionTeamsMergedOf(const scenario::CompiledScenario& sc, const std::vector<uint32_t>& by_adoption,
                                          const std::vector<uint64_t>& merged);

}  // namespace clawsim::model
