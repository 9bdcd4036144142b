// Overview: what was run (scenario, seed, fingerprint, format), the headline measures with
// their units, and the calibration bands where the file has them (green inside, red outside).
#pragma once

#include "viz/run_data.h"
#include "viz/view_state.h"

namespace clawsim::viz {

struct OverviewPanel {
  void Draw(const RunData& run, ViewState& state);
};

}  // namespace clawsim::viz
