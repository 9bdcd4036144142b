// ViewState: what the user has selected and where they are looking, shared by every panel of
// one window. Panels read it while drawing and change it in response to input; a change made
// by one panel is seen by the others in the same or the next frame. UI thread only.
#pragma once

#include <cstdint>
#include <vector>

#include "viz/causality.h"

namespace clawsim::viz {

// The panels, in tab order.
enum class PanelId : uint8_t {
  kOverview, kHarms, kTimeseries, kLeaderboard, kScatter, kTimeline, kInspector, kAudit, kGraphs, kCompare, kStudy,
  kDetection
};
inline constexpr int kPanelCount = 12;
const char* PanelName(PanelId id);       // "overview", "time-series", "tokens-vs-value", ...: the title, lower case, dashes
const char* PanelTitle(PanelId id);      // "Overview", "Time series", "Tokens vs value", ...: the tab label
// --panel's argument: the tab label or PanelName, any case, spaces or dashes ("Time series",
// "time-series", "TIME SERIES"); also the older names "timeseries" and "scatter".
bool ParsePanelName(const char* name, PanelId* out);

inline constexpr int64_t kNoEmployee = -1;

struct ViewState {
  int64_t selected_employee = kNoEmployee;  // employee id, or kNoEmployee
  RecordRef selected;                       // the span or audit row in the inspector
  std::vector<RecordRef> history;           // earlier selections, for "back"
  // The timeline's window, simulated microseconds; t1 <= t0 means "the whole run".
  int64_t timeline_t0_us = 0;
  int64_t timeline_t1_us = 0;
  bool reveal_selection = false;            // the timeline should scroll to the selection
  int requested_tab = -1;                   // a PanelId to bring to the front, or -1
  int compare_with = -1;                    // the other run's index for Compare, or -1

  // Selects `record` (pushing the current one on the history) and asks the timeline to show it.
  void Select(RecordRef record) {
    if (selected.valid() && !(selected == record)) history.push_back(selected);
    selected = record;
    reveal_selection = true;
  }
  // Goes back to the previous selection; false if there is none.
  bool Back() {
    if (history.empty()) return false;
    selected = history.back();
    history.pop_back();
    reveal_selection = true;
    return true;
  }
};

}  // namespace clawsim::viz
