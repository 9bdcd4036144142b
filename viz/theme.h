// Colours shared by the panels, so one thing has one colour everywhere.
#pragma once

#include <imgui.h>

#include <cstdint>

namespace clawsim::viz {

namespace colors {
inline constexpr ImU32 kUseful = IM_COL32(80, 170, 110, 255);
inline constexpr ImU32 kOverhead = IM_COL32(120, 140, 170, 255);
inline constexpr ImU32 kPerformative = IM_COL32(225, 120, 60, 255);
inline constexpr ImU32 kValue = IM_COL32(90, 160, 230, 255);
inline constexpr ImU32 kCost = IM_COL32(230, 190, 70, 255);
inline constexpr ImU32 kIncident = IM_COL32(230, 70, 70, 255);
inline constexpr ImU32 kApproval = IM_COL32(180, 120, 220, 255);
inline constexpr ImU32 kStage = IM_COL32(200, 170, 80, 255);
inline constexpr ImU32 kSelection = IM_COL32(255, 255, 255, 255);
inline constexpr ImU32 kGrid = IM_COL32(255, 255, 255, 30);
inline constexpr ImU32 kAxisText = IM_COL32(200, 200, 200, 200);
inline constexpr ImU32 kFolded = IM_COL32(150, 150, 150, 220);
inline constexpr ImU32 kRunA = IM_COL32(90, 160, 230, 255);
inline constexpr ImU32 kRunB = IM_COL32(230, 140, 60, 255);
}  // namespace colors

// A span's fill: by kind, red when its outcome names an error.
inline ImU32 SpanColor(uint8_t kind, bool error) {
  if (error) return colors::kIncident;
  switch (kind) {
    case 1: return IM_COL32(90, 150, 210, 255);   // human task
    case 2: return IM_COL32(100, 190, 120, 255);  // agent invocation
    case 3: return IM_COL32(200, 170, 80, 255);   // pipeline stage
    case 4: return IM_COL32(220, 60, 60, 255);    // incident
    default: return colors::kFolded;
  }
}

// A gate decision's colour, by its name's meaning.
inline ImVec4 DecisionColor(const char* name) {
  const char c = name[0];
  if (c == 'a' && name[1] == 'l') return ImVec4(0.55f, 0.85f, 0.55f, 1);  // allowed
  if (c == 'a') return ImVec4(0.80f, 0.65f, 0.95f, 1);                    // asked_*
  if (c == 'u') return ImVec4(0.62f, 0.70f, 0.80f, 1);                    // ungated: an external seat's call with no gate
  return ImVec4(0.95f, 0.50f, 0.45f, 1);                                   // denied, rate_limited
}

}  // namespace clawsim::viz
