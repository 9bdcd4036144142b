// The text of a table cell: moves to the next column, draws `text` clipped to it, and shows
// the whole of it in a tooltip when it is wider than the column. UI thread only.
#pragma once

#include <imgui.h>

#include <string>

namespace clawsim::viz {

inline void NextCellText(const std::string& text) {
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(text.c_str());
  if (ImGui::CalcTextSize(text.c_str()).x > ImGui::GetColumnWidth() && ImGui::IsItemHovered()) {
    ImGui::SetTooltip("%s", text.c_str());
  }
}

}  // namespace clawsim::viz
