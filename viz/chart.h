// A chart of per-day series drawn with ImGui draw lists (no plotting library): bars or lines,
// stacked or overlaid, with a shared zoomable, pannable day range, a hover read-out, and
// labelled axes. Used by the Time series and Compare panels.
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

namespace clawsim::viz {

struct Series {
  std::string name;
  ImU32 color = 0;
  std::vector<double> values;  // one per day, day 0 first
};

// The visible day range, shared by the charts of one panel. Wheel over a chart zooms around
// the mouse; dragging pans. [first, last] in days (fractional), clamped to the data.
struct DayRange {
  double first = 0;
  double last = 0;
  bool initialised = false;
  void Reset(int days) {
    first = -0.5;
    last = days - 0.5;
    initialised = true;
  }
};

enum class ChartStyle { kStackedBars, kLines };

// Draws one chart `height` pixels tall across the available width; `unit` labels the y axis
// ("tokens", "$"). Handles zoom and pan of *range (days = the series' length). Returns the
// day under the mouse, or -1.
int DrawDayChart(const char* id, const char* unit, const std::vector<Series>& series, ChartStyle style, float height,
                 int days, DayRange* range);

}  // namespace clawsim::viz
