#include "viz/panels/study.h"

#include <imgui.h>

#include <algorithm>

#include "viz/format.h"
#include "viz/theme.h"

namespace clawsim::viz {
namespace {

// One horizontal interval per arm on a shared axis.
void IntervalRow(const Interval& v, double lo, double hi, ImU32 color) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float w = std::max(60.0f, ImGui::GetContentRegionAvail().x), h = ImGui::GetTextLineHeight();
  auto x = [&](double value) { return p.x + static_cast<float>((value - lo) / (hi - lo)) * w; };
  dl->AddLine(ImVec2(x(v.low), p.y + h / 2), ImVec2(x(v.high), p.y + h / 2), color, 2);
  dl->AddLine(ImVec2(x(v.low), p.y + 2), ImVec2(x(v.low), p.y + h - 2), color, 2);
  dl->AddLine(ImVec2(x(v.high), p.y + 2), ImVec2(x(v.high), p.y + h - 2), color, 2);
  dl->AddCircleFilled(ImVec2(x(v.mean), p.y + h / 2), 3.5f, color);
  ImGui::Dummy(ImVec2(w, h));
}

}  // namespace

void StudyPanel::Draw(const StudyData* study) {
  if (study == nullptr || study->arms.empty()) {
    ImGui::TextDisabled("No study file loaded.");
    ImGui::TextWrapped("A study compares policies (arms) over replications: this panel shows each arm's cost, value "
                       "and incidents with 95%% intervals and the Pareto front. Open run files to compare two runs in "
                       "the Compare tab.");
    return;
  }
  ImGui::Text("Study %s (%zu arms)", study->name.c_str(), study->arms.size());
  const std::vector<bool> front = ParetoFront(study->arms);
  auto range = [&](auto get) {
    double lo = 1e300, hi = -1e300;
    for (const StudyArm& a : study->arms) {
      lo = std::min(lo, get(a).low);
      hi = std::max(hi, get(a).high);
    }
    if (!(hi > lo)) hi = lo + 1;
    return std::pair<double, double>(lo, hi);
  };
  const auto cost = range([](const StudyArm& a) { return a.cost_usd; });
  const auto value = range([](const StudyArm& a) { return a.value_usd; });
  const auto incidents = range([](const StudyArm& a) { return a.incidents; });
  if (ImGui::BeginTable("arms", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
    for (const char* c : {"arm", "Pareto", "token cost (95% CI)", "value (95% CI)", "incidents (95% CI)"}) {
      ImGui::TableSetupColumn(c);
    }
    ImGui::TableHeadersRow();
    for (size_t i = 0; i < study->arms.size(); ++i) {
      const StudyArm& a = study->arms[i];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%s (n=%d)", a.name.c_str(), a.replications);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(front[i] ? "front" : "");
      ImGui::TableNextColumn();
      IntervalRow(a.cost_usd, cost.first, cost.second, colors::kCost);
      ImGui::TableNextColumn();
      IntervalRow(a.value_usd, value.first, value.second, colors::kValue);
      ImGui::TableNextColumn();
      IntervalRow(a.incidents, incidents.first, incidents.second, colors::kIncident);
    }
    ImGui::EndTable();
  }
  // Cost against value: the front joined by a line.
  ImGui::TextUnformatted("Token cost (x) against value (y); the Pareto front is joined");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const ImVec2 s(std::max(200.0f, ImGui::GetContentRegionAvail().x), std::max(150.0f, ImGui::GetContentRegionAvail().y));
  ImGui::Dummy(s);
  dl->AddRectFilled(o, ImVec2(o.x + s.x, o.y + s.y), IM_COL32(255, 255, 255, 8));
  auto px = [&](const StudyArm& a) {
    return ImVec2(o.x + 10 + static_cast<float>((a.cost_usd.mean - cost.first) / (cost.second - cost.first)) * (s.x - 20),
                  o.y + s.y - 10 -
                      static_cast<float>((a.value_usd.mean - value.first) / (value.second - value.first)) * (s.y - 20));
  };
  std::vector<size_t> on_front;
  for (size_t i = 0; i < study->arms.size(); ++i) {
    if (front[i]) on_front.push_back(i);
  }
  std::sort(on_front.begin(), on_front.end(),
            [&](size_t a, size_t b) { return study->arms[a].cost_usd.mean < study->arms[b].cost_usd.mean; });
  for (size_t k = 1; k < on_front.size(); ++k) {
    dl->AddLine(px(study->arms[on_front[k - 1]]), px(study->arms[on_front[k]]), IM_COL32(255, 255, 255, 150), 1.5f);
  }
  for (size_t i = 0; i < study->arms.size(); ++i) {
    const ImVec2 p = px(study->arms[i]);
    dl->AddCircleFilled(p, 5, front[i] ? colors::kUseful : colors::kFolded);
    dl->AddText(ImVec2(p.x + 7, p.y - 7), colors::kAxisText, study->arms[i].name.c_str());
  }
}

}  // namespace clawsim::viz
