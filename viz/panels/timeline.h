// Timeline: one lane per employee, agent and service with its spans (human tasks, agent
// invocations, pipeline stages, incidents). Wheel over the spans zooms around the mouse,
// dragging pans, wheel over the labels scrolls the lanes. The spans in view are found per
// lane by binary search (lanes.h) and spans narrower than a pixel are folded into one grey
// mark, so a frame costs what its pixels cost however many spans the window holds. Clicking
// a span selects it (Inspector); clicking a folded mark zooms into it. Colours: by span kind,
// red where the span's outcome names an error, an injection or a failure; folds dimmed in
// their first span's colour. Time ticks are spaced by their labels' width, so they never
// overprint. A selection made elsewhere (a record, an employee) is scrolled into view.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "viz/lanes.h"
#include "viz/run_data.h"
#include "viz/view_state.h"

namespace clawsim::viz {

struct TimelinePanel {
  bool show_employees = true;
  bool show_agents = true;
  bool show_services = true;
  bool only_with_spans = true;
  bool only_selected_employee = false;

  // Lanes shown, in order (indices into RunData::lanes); rebuilt when a filter changes.
  std::vector<uint32_t> shown_lanes;
  std::vector<uint32_t> agent_owner;  // employee id owning each agent (from its spans), or kNone
  const RunData* built_for = nullptr;
  int64_t revealed_employee = kNoEmployee;  // the selected employee whose lane was last scrolled to
  const RunData* label_width_for = nullptr; // the run label_width was measured for
  float label_width = 0;                    // the widest lane name, pixels
  uint64_t filter_key = ~0ULL;
  // Statistics of the last frame, for tests and the benchmark.
  uint64_t last_visible_spans = 0;  // spans overlapping the window in the drawn lanes
  uint64_t last_marks = 0;          // marks drawn (single spans and folded runs)

  void Draw(const RunData& run, ViewState& state);

 private:
  void RebuildLanes(const RunData& run, const ViewState& state);
  void DrawLane(const RunData& run, ViewState& state, const Lane& lane, float x0, float x1, float y, float h,
                bool hovered_area);
  std::vector<LaneMark> marks_;  // scratch, reused per lane
  struct Label {                 // a span's name waiting to be drawn over it
    float a, b;                  // the span's pixels
    const std::string* name;
    float width;
  };
  std::vector<Label> labels_;    // scratch, reused per lane
};

}  // namespace clawsim::viz
