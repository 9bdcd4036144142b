// Tokens vs value: one point per employee, log-log axes, the least-squares line through the
// logs and its slope (the token-value elasticity). Hover names a point; a click selects the
// nearest employee within a few pixels in every panel; the selected one is ringed.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <vector>

#include "viz/fit.h"
#include "viz/run_data.h"
#include "viz/view_state.h"

namespace clawsim::viz {

struct ScatterPanel {
  // Where each employee's point was drawn in the last frame (screen pixels), by index into
  // RunData::employees; points with no tokens or no value are not drawn (NaN).
  std::vector<ImVec2> last_positions;
  LogLogFit fit;
  const RunData* fitted_for = nullptr;

  void Draw(const RunData& run, ViewState& state);
  // The screen position of employee `employee_id`'s point in the last frame, or false.
  bool PointOf(const RunData& run, int64_t employee_id, ImVec2* out) const;
};

}  // namespace clawsim::viz
