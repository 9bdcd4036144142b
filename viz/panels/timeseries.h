// Time series: six per-day charts in a grid, one quantity per axis — tokens by purpose,
// token cost, value delivered, incidents and failed pipeline runs, approvals and refusals,
// and safety (injection emails landed, invocations that followed one, leaks and exposures,
// breaker trips and quarantines). The first four come from the daily rows; safety is
// counted from the audit log, the spans and the injection emails (trace level audit). One
// shared day range: wheel zooms, drag pans, double-click resets; hovering shows the day's
// values.
#pragma once

#include <vector>

#include "viz/chart.h"
#include "viz/run_data.h"
#include "viz/view_state.h"

namespace clawsim::viz {

// The safety series of a run, per day (index = day), from its rows.
struct SafetyDaily {
  std::vector<double> injection_emails;   // landed (attacker's and forwards), detected or not
  std::vector<double> injected;           // invocations that followed an injection
  std::vector<double> leaks;              // audit rows with outcome data_leaked or exposed
  std::vector<double> held;               // defenses acting on agents: breaker trips, quarantines
};
SafetyDaily CountSafetyDaily(const RunData& run);

struct TimeseriesPanel {
  DayRange range;
  const RunData* shown = nullptr;  // the run `range` and `safety` belong to
  SafetyDaily safety;
  int hover_day = -1;              // the day under the mouse in the last frame, or -1

  void Draw(const RunData& run, ViewState& state);
};

}  // namespace clawsim::viz
