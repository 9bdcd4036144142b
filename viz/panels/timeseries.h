// Time series: per-day tokens by purpose, token cost, value delivered, incidents and
// approvals asked, from the daily rows. One shared day range: wheel zooms, drag pans,
// double-click resets; hovering shows the day's values.
#pragma once

#include "viz/chart.h"
#include "viz/run_data.h"
#include "viz/view_state.h"

namespace clawsim::viz {

struct TimeseriesPanel {
  DayRange range;
  const RunData* shown = nullptr;  // the run `range` belongs to
  int hover_day = -1;              // the day under the mouse in the last frame, or -1

  void Draw(const RunData& run, ViewState& state);
};

}  // namespace clawsim::viz
