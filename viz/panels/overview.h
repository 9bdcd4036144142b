// Overview: the run at a glance in three columns — the headline measures (tokens, cost,
// value, delivery), safety (attacks and injections, what they reached, harms by cause, the
// defenses' load), and what was run (scenario, seed, fingerprint, format) — and below them
// the calibration bands where the file has them (green inside, red outside). Every value
// carries its unit (viz/format.h); text wider than its column shows whole in a tooltip.
#pragma once

#include <cstdint>

#include "viz/run_data.h"
#include "viz/view_state.h"

namespace clawsim::viz {

struct OverviewPanel {
  const RunData* counted_for = nullptr;  // the run injected_invocations counts
  uint64_t injected_invocations = 0;     // invocations that followed an injection
  void Draw(const RunData& run, ViewState& state);
};

}  // namespace clawsim::viz
