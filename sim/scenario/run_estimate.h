// RunMemoryEstimate: how much memory a run of a compiled scenario will need, worked out
// before the world is built, so that a run that cannot fit is refused up front instead of
// dying of an allocation failure hours in.
//
// The estimate is deliberately an upper bound, calibrated on measured peak memory
// (`clawsim bench org --json`, peak_rss_mib): about 28 KiB per employee with their agents
// (991 people: 38 MiB; 9,992: 253 MiB; 30,001: 838 MiB), and about 150 bytes per work item
// held (small with 10,000 emails per developer per day: 45 MiB more for one day). Items a
// person cannot handle pile up: anything above kHandledPerPersonDay arrivals a day is
// counted as held for the rest of the run.
#pragma once

#include <cstdint>
#include <string>

#include "sim/scenario/compiled_scenario.h"

namespace clawsim::scenario {

// More work items than this a day, per person, are assumed to pile up in the queue.
inline constexpr double kHandledPerPersonDay = 200;

struct RunMemoryEstimate {
  double bytes = 0;              // the estimate
  double employees = 0;
  double arrivals_per_day = 0;   // work items arriving a day, everyone together
  double items_held = 0;         // the most items held at once, by the estimate
};

// The estimate for `days` simulated days on `threads` engine threads.
RunMemoryEstimate EstimateRunMemory(const CompiledScenario& scenario, int days, int threads);

// The memory this process may use: the machine's physical memory, or the cgroup's limit
// when lower. 0 when it cannot be told.
uint64_t AvailableMemoryBytes();

// "3.2 GiB"-style text for messages.
std::string FormatBytes(double bytes);

}  // namespace clawsim::scenario
