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

}  // namespace clawsim::model
