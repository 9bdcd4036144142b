#include "viz/view_state.h"

#include <cctype>
#include <string>

namespace clawsim::viz {
namespace {

struct PanelNames {
  const char* name;
  const char* title;
};
constexpr PanelNames kPanels[kPanelCount] = {
    {"overview", "Overview"}, {"harms", "Harms"}, {"time-series", "Time series"}, {"leaderboard", "Leaderboard"},
    {"tokens-vs-value", "Tokens vs value"}, {"timeline", "Timeline"}, {"inspector", "Inspector"},
    {"audit-log", "Audit log"}, {"graphs", "Graphs"}, {"compare", "Compare"}, {"study", "Study"},
    {"detection", "Detection"},
};

// Lower case, spaces and underscores as dashes.
std::string Canonical(const char* name) {
  std::string out;
  for (const char* c = name; *c != '\0'; ++c) {
    out += (*c == ' ' || *c == '_') ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(*c)));
  }
  return out;
}

}  // namespace

const char* PanelName(PanelId id) { return kPanels[static_cast<int>(id)].name; }
const char* PanelTitle(PanelId id) { return kPanels[static_cast<int>(id)].title; }

bool ParsePanelName(const char* name, PanelId* out) {
  const std::string want = Canonical(name);
  for (int i = 0; i < kPanelCount; ++i) {
    if (want == kPanels[i].name) {
      *out = static_cast<PanelId>(i);
      return true;
    }
  }
  // The names of earlier versions, so scripts keep working.
  const struct { const char* name; PanelId id; } kOld[] = {
      {"timeseries", PanelId::kTimeseries}, {"scatter", PanelId::kScatter}, {"audit", PanelId::kAudit}};
  for (const auto& o : kOld) {
    if (want == o.name) {
      *out = o.id;
      return true;
    }
  }
  return false;
}

}  // namespace clawsim::viz
