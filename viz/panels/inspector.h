// Inspector: every field of the selected span, audit record or injection email, with names
// resolved, where its chain began (viz/chain.h), and the causal chain: a button per cause
// ("go to cause") and per consequence, in time order, and Back. Following a button selects
// that record everywhere and the timeline scrolls to it. With nothing selected it says how
// to select and offers the run's first harms.
#pragma once

#include <imgui.h>

#include <vector>

#include "viz/chain.h"
#include "viz/run_data.h"
#include "viz/view_state.h"

namespace clawsim::viz {

struct InspectorPanel {
  // What the last frame offered, for tests and keyboard users: the records behind the
  // cause and consequence buttons, and where each button was drawn (screen rectangles).
  std::vector<RecordRef> causes;
  std::vector<RecordRef> consequences;
  std::vector<ImVec4> cause_buttons;        // (x0, y0, x1, y1) per cause
  std::vector<ImVec4> consequence_buttons;  // per consequence
  Origin origin;                            // where the selection's chain began
  RecordRef origin_for;                     // the selection `origin` belongs to
  const RunData* origin_run = nullptr;

  void Draw(const RunData& run, ViewState& state);
};

}  // namespace clawsim::viz
