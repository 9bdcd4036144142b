// Compare: two runs side by side: each headline measure for A and B with the difference and
// the relative change, and their daily series overlaid (A blue, B orange) on shared,
// zoomable day axes. A is the run in front; B is chosen from the other open runs.
//
// Runs of different lengths are aligned, with a warning: totals (tokens, cost, value, counts)
// are compared per simulated day, and a daily series ends with its run's last day rather
// than being drawn as zero after it. Rates and means compare as they are.
#pragma once

#include <string>
#include <vector>

#include "viz/chart.h"
#include "viz/run_data.h"
#include "viz/view_state.h"

namespace clawsim::viz {

struct ComparePanel {
  DayRange range;

  // One compared measure: its name, unit, and value in A and B.
  struct Measure {
    std::string name;
    std::string unit;   // "tokens", "USD", "fraction", "h", ... ("/ day" appended when per day)
    double a = 0;
    double b = 0;
    bool total = false; // a run total: per day when the runs' lengths differ
  };
  std::vector<Measure> last_measures;  // what the last frame compared

  // `runs` are the open runs (nullptr while loading or failed); `current` is A.
  void Draw(const std::vector<const RunData*>& runs, int current, ViewState& state);
};

// The measures Compare lists, from two summaries: totals divided by each run's days when the
// runs' lengths differ (their names then end in "per day").
std::vector<ComparePanel::Measure> CompareMeasures(const RunData& a, const RunData& b);

}  // namespace clawsim::viz
