// A chart of per-day series drawn with ImGui draw lists (no plotting library): bars or lines,
// stacked or overlaid, with a shared zoomable, pannable day range, a hover read-out, a
// legend above the plot, and labelled axes ("day" below; the unit at the top of the y axis;
// ticks spaced so their labels never touch). Values print through viz/format.h. A series
// shorter than the chart ends where its data ends (nothing is drawn as zero after it). Used
// by the Time series and Compare panels.
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
// How values print on the y axis and in the read-out: counts (FormatCount) or money (FormatUsd).
enum class ValueKind { kCount, kUsd };

// Draws one chart `height` pixels tall across the available width; `unit` labels the y axis
// ("tokens", "USD"). Handles zoom and pan of *range (days = the longest series' length).
// Returns the day under the mouse, or -1.
int DrawDayChart(const char* id, const char* unit, const std::vector<Series>& series, ChartStyle style, float height,
                 int days, DayRange* range, ValueKind kind = ValueKind::kCount);

}  // namespace clawsim::viz
