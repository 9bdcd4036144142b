#include "viz/panels/study.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "viz/format.h"
#include "viz/theme.h"

namespace clawsim::viz {
namespace {

// One horizontal interval on an axis from lo to hi.
void IntervalRow(const Interval& v, double lo, double hi, ImU32 color) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float w = std::max(60.0f, ImGui::GetContentRegionAvail().x), h = ImGui::GetTextLineHeight();
  ImGui::Dummy(ImVec2(w, h));
  if (!v.valid) return;
  auto x = [&](double value) { return p.x + 4 + static_cast<float>((value - lo) / (hi - lo)) * (w - 8); };
  dl->AddLine(ImVec2(x(v.low), p.y + h / 2), ImVec2(x(v.high), p.y + h / 2), color, 2);
  dl->AddLine(ImVec2(x(v.low), p.y + 2), ImVec2(x(v.low), p.y + h - 2), color, 2);
  dl->AddLine(ImVec2(x(v.high), p.y + 2), ImVec2(x(v.high), p.y + h - 2), color, 2);
  dl->AddCircleFilled(ImVec2(x(v.mean), p.y + h / 2), 3.5f, color);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("mean %.6g, 95%% CI %.6g to %.6g (n=%d)", v.mean, v.low, v.high, v.n);
}

}  // namespace

void StudyPanel::Draw(const StudyData* study) {
  columns_shown = 0;
  verdicts_shown = 0;
  if (study == nullptr || study->arms.empty()) {
    ImGui::TextDisabled("No study file loaded.");
    ImGui::TextWrapped("Open a study's results (study.clawstudy, written by clawsim study) to see its arms with 95%% "
                       "intervals and the Pareto front. To compare two runs, open both and use the Compare tab.");
    return;
  }
  ImGui::Text("Study %s: %zu arms", study->name.c_str(), study->arms.size());
  if (!study->description.empty()) ImGui::TextDisabled("%s", study->description.c_str());
  // The decision first: the answer as the report words it.
  if (!study->answer.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, colors::kValue);
    ImGui::TextWrapped("%s", study->answer.c_str());
    ImGui::PopStyleColor();
  }

  // Columns: the decision's key measures (the objective first), then the Pareto objectives,
  // then the other measures, at most six.
  std::vector<int> columns;
  for (int k : study->key_measures) {
    if (std::find(columns.begin(), columns.end(), k) == columns.end()) columns.push_back(k);
  }
  for (const StudyObjective& o : study->objectives) {
    if (std::find(columns.begin(), columns.end(), o.measure) == columns.end()) columns.push_back(o.measure);
  }
  for (int m = 0; m < static_cast<int>(study->measures.size()) && columns.size() < 6; ++m) {
    if (std::find(columns.begin(), columns.end(), m) == columns.end()) columns.push_back(m);
  }
  if (columns.size() > 6) columns.resize(6);
  columns_shown = static_cast<int>(columns.size());
  static const ImU32 kColors[] = {colors::kCost, colors::kValue, colors::kIncident, colors::kUseful,
                                  colors::kApproval, colors::kOverhead};
  const float table_h = std::min(ImGui::GetContentRegionAvail().y * 0.5f,
                                 (study->arms.size() + 2) * ImGui::GetTextLineHeightWithSpacing() + 8);
  if (ImGui::BeginTable("arms", 2 + static_cast<int>(columns.size()),
                        ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_ScrollY,
                        ImVec2(0, table_h))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("arm");
    ImGui::TableSetupColumn("verdict");
    for (int m : columns) ImGui::TableSetupColumn(study->measures[m].c_str());
    ImGui::TableHeadersRow();
    for (size_t ai = 0; ai < study->arms.size(); ++ai) {
      const StudyArm& a = study->arms[ai];
      const bool chosen = static_cast<int>(ai) == study->chosen;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      if (chosen) ImGui::PushStyleColor(ImGuiCol_Text, colors::kValue);
      ImGui::Text("%s%s (n=%d)", a.name.c_str(), a.baseline ? " [baseline]" : "", a.replications);
      if (chosen) ImGui::PopStyleColor();
      ImGui::TableNextColumn();
      std::string verdict = chosen ? "the choice" : "";
      if (!a.feasible) verdict += std::string(verdict.empty() ? "" : "; ") + "breaks a constraint";
      if (!a.dominated_by.empty()) verdict += std::string(verdict.empty() ? "" : "; ") + "dominated by " + a.dominated_by.front();
      if (!a.identical_to.empty()) verdict += std::string(verdict.empty() ? "" : "; ") + "identical to " + a.identical_to;
      if (!verdict.empty()) ++verdicts_shown;
      if (verdict.empty() && a.pareto) verdict = "Pareto";
      ImGui::TextUnformatted(verdict.c_str());
      if (!a.dominated_by.empty() && ImGui::IsItemHovered()) {
        std::string all;
        for (const std::string& d : a.dominated_by) all += (all.empty() ? "" : ", ") + d;
        ImGui::SetTooltip("dominated with 95%% confidence by %s", all.c_str());
      }
      for (size_t c = 0; c < columns.size(); ++c) {
        double lo = 1e300, hi = -1e300;
        for (const StudyArm& b : study->arms) {
          const Interval& v = b.values[columns[c]];
          if (!v.valid) continue;
          lo = std::min(lo, v.low);
          hi = std::max(hi, v.high);
        }
        if (!(hi > lo)) hi = lo + 1;
        ImGui::TableNextColumn();
        IntervalRow(a.values[columns[c]], lo, hi, kColors[c % 6]);
      }
    }
    ImGui::EndTable();
  }
  if (study->objectives.size() < 2) return;

  // The first two objectives against each other, with both intervals; the arms no other
  // beats in both of these two joined in x order; labels kept apart, with leader lines.
  const int mx = study->objectives[0].measure, my = study->objectives[1].measure;
  ImGui::Text("%s (x) against %s (y): means and 95%% intervals; green and joined: not beaten in both; red: the choice",
              study->measures[mx].c_str(), study->measures[my].c_str());
  double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
  for (const StudyArm& a : study->arms) {
    if (!a.values[mx].valid || !a.values[my].valid) continue;
    x0 = std::min(x0, a.values[mx].low), x1 = std::max(x1, a.values[mx].high);
    y0 = std::min(y0, a.values[my].low), y1 = std::max(y1, a.values[my].high);
  }
  if (!(x1 > x0)) x1 = x0 + 1;
  if (!(y1 > y0)) y1 = y0 + 1;
  StudyData two = *study;
  two.objectives.resize(2);
  const std::vector<bool> front2 = ParetoFront(two);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const ImVec2 s(std::max(200.0f, ImGui::GetContentRegionAvail().x), std::max(150.0f, ImGui::GetContentRegionAvail().y));
  ImGui::Dummy(s);
  dl->AddRectFilled(o, ImVec2(o.x + s.x, o.y + s.y), IM_COL32(255, 255, 255, 8));
  const float left = 70, right = 260, top = 10, bottom = 30;
  auto px = [&](double x, double y) {
    return ImVec2(o.x + left + static_cast<float>((x - x0) / (x1 - x0)) * (s.x - left - right),
                  o.y + s.y - bottom - static_cast<float>((y - y0) / (y1 - y0)) * (s.y - top - bottom));
  };
  // Axis ends with their values.
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", x0);
  dl->AddText(ImVec2(px(x0, y0).x, o.y + s.y - bottom + 6), colors::kAxisText, buf);
  std::snprintf(buf, sizeof buf, "%.4g", x1);
  dl->AddText(ImVec2(px(x1, y0).x - ImGui::CalcTextSize(buf).x, o.y + s.y - bottom + 6), colors::kAxisText, buf);
  std::snprintf(buf, sizeof buf, "%.4g", y0);
  dl->AddText(ImVec2(o.x + 4, px(x0, y0).y - ImGui::GetTextLineHeight()), colors::kAxisText, buf);
  std::snprintf(buf, sizeof buf, "%.4g", y1);
  dl->AddText(ImVec2(o.x + 4, px(x0, y1).y), colors::kAxisText, buf);
  dl->AddRect(px(x0, y1), px(x1, y0), colors::kGrid);
  std::vector<size_t> front;
  for (size_t i = 0; i < study->arms.size(); ++i) {
    if (front2[i]) front.push_back(i);
  }
  std::sort(front.begin(), front.end(),
            [&](size_t a, size_t b) { return study->arms[a].values[mx].mean < study->arms[b].values[mx].mean; });
  for (size_t k = 1; k < front.size(); ++k) {
    const StudyArm& a = study->arms[front[k - 1]];
    const StudyArm& b = study->arms[front[k]];
    dl->AddLine(px(a.values[mx].mean, a.values[my].mean), px(b.values[mx].mean, b.values[my].mean),
                IM_COL32(255, 255, 255, 150), 1.5f);
  }
  std::vector<ImVec4> labels;  // placed label rectangles (x0, y0, x1, y1)
  const float lh = ImGui::GetTextLineHeight();
  for (size_t i = 0; i < study->arms.size(); ++i) {
    const StudyArm& a = study->arms[i];
    if (!a.values[mx].valid || !a.values[my].valid) continue;
    const ImVec2 p = px(a.values[mx].mean, a.values[my].mean);
    const ImU32 color = static_cast<int>(i) == study->chosen ? colors::kIncident : front2[i] ? colors::kUseful : colors::kFolded;
    dl->AddLine(px(a.values[mx].low, a.values[my].mean), px(a.values[mx].high, a.values[my].mean), color, 1);
    dl->AddLine(px(a.values[mx].mean, a.values[my].low), px(a.values[mx].mean, a.values[my].high), color, 1);
    dl->AddCircleFilled(p, 5, color);
    // The label beside the point, moved down a line at a time past labels already placed.
    const ImVec2 size = ImGui::CalcTextSize(a.name.c_str());
    ImVec2 at(p.x + 8, p.y - lh / 2);
    for (int tries = 0; tries < 40; ++tries) {
      bool clear = true;
      for (const ImVec4& r : labels) {
        if (at.x < r.z && r.x < at.x + size.x && at.y < r.w && r.y < at.y + size.y) clear = false;
      }
      if (clear) break;
      at.y += lh;
    }
    if (at.y != p.y - lh / 2) dl->AddLine(p, ImVec2(at.x, at.y + lh / 2), colors::kGrid, 1);
    dl->AddText(at, colors::kAxisText, a.name.c_str());
    labels.push_back(ImVec4(at.x, at.y, at.x + size.x, at.y + size.y));
  }
}

}  // namespace clawsim::viz
