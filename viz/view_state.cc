#include "viz/view_state.h"

#include <cstring>

namespace clawsim::viz {
namespace {

struct PanelNames {
  const char* name;
  const char* title;
};
constexpr PanelNames kPanels[kPanelCount] = {
    {"overview", "Overview"}, {"timeseries", "Time series"}, {"leaderboard", "Leaderboard"},
    {"scatter", "Tokens vs value"}, {"timeline", "Timeline"}, {"inspector", "Inspector"},
    {"audit", "Audit log"}, {"graphs", "Graphs"}, {"compare", "Compare"}, {"study", "Study"},
};

}  // namespace

const char* PanelName(PanelId id) { return kPanels[static_cast<int>(id)].name; }
const char* PanelTitle(PanelId id) { return kPanels[static_cast<int>(id)].title; }

bool ParsePanelName(const char* name, PanelId* out) {
  for (int i = 0; i < kPanelCount; ++i) {
    if (std::strcmp(name, kPanels[i].name) == 0) {
      *out = static_cast<PanelId>(i);
      return true;
    }
  }
  return false;
}

}  // namespace clawsim::viz
