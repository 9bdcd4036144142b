// Overview: what was run (scenario, seed, fingerprint, format) and the headline measures with
// their units, from the header and the footer's summary.
#pragma once

#include "viz/run_data.h"
#include "viz/view_state.h"

namespace clawsim::viz {

struct OverviewPanel {
  void Draw(const RunData& run, ViewState& state);
};

}  // namespace clawsim::viz
