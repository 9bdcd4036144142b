// Harms: the list a safety reviewer came for. Every leak, exposure and incident of the run
// (viz/chain.h, ListHarms) with its day, kind, service, cause (an incident's: where its
// defect came from, with who deployed it beneath; a leak's: the origin of its chain, an
// injection campaign, an attack source, an agent's own error, a person) and what
// happened; filtered by kind and by cause. Clicking a row selects the harm: the Inspector
// beside the list shows its chain, with a button to the injection email it began with.
// The list is computed once per run, the first time the tab is drawn.
#pragma once

#include <cstdint>
#include <vector>

#include "viz/chain.h"
#include "viz/run_data.h"
#include "viz/view_state.h"

namespace clawsim::viz {

struct HarmsPanel {
  std::vector<Harm> harms;          // of `listed_for`, in time order
  const RunData* listed_for = nullptr;
  int kind = -1;                    // Harm::Kind to show, or -1 for all
  int origin = -1;                  // Origin::Kind to show, or -1 for all
  std::vector<uint32_t> rows;       // indexes into harms that pass the filters

  void Draw(const RunData& run, ViewState& state);
  // Lists the harms of `run` (if not yet) and applies the filters.
  void Update(const RunData& run);

 private:
  int applied_kind_ = -2, applied_origin_ = -2;
};

}  // namespace clawsim::viz
