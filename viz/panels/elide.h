// Text shortened to a width by cutting its middle ("design-sy...worker"), so both ends of a
// name stay readable; callers show the whole text on hover. UI thread only (measures with the
// current ImGui font).
#pragma once

#include <imgui.h>

#include <string>

namespace clawsim::viz {

// `text` if it fits in `width` pixels, else its first and last characters around "..." (the
// longest such that fits, at least one character each side), else "...".
inline std::string ElideMiddle(const std::string& text, float width) {
  if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
  const std::string dots = "...";  // the default font has no U+2026
  for (size_t keep = text.size() > 1 ? text.size() - 1 : 0; keep >= 2; --keep) {
    const size_t head = (keep + 1) / 2, tail = keep / 2;
    const std::string s = text.substr(0, head) + dots + text.substr(text.size() - tail);
    if (ImGui::CalcTextSize(s.c_str()).x <= width) return s;
  }
  return dots;
}

}  // namespace clawsim::viz
