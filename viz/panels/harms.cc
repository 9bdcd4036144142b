#include "viz/panels/harms.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "viz/format.h"
#include "viz/panels/cell_text.h"
#include "viz/theme.h"

namespace clawsim::viz {
namespace {

ImVec4 OriginColor(Origin::Kind kind) {
  switch (kind) {
    case Origin::Kind::kInjection:
    case Origin::Kind::kAttack: return ImGui::ColorConvertU32ToFloat4(colors::kIncident);
    case Origin::Kind::kAgent: return ImGui::ColorConvertU32ToFloat4(colors::kPerformative);
    case Origin::Kind::kPerson: return ImGui::ColorConvertU32ToFloat4(colors::kValue);
    case Origin::Kind::kUnknown: break;
  }
  return ImVec4(0.7f, 0.7f, 0.7f, 1);
}


}  // namespace

void HarmsPanel::Update(const RunData& run) {
  if (listed_for != &run) {
    harms = ListHarms(run);
    listed_for = &run;
    applied_kind_ = -2;
  }
  if (applied_kind_ == kind && applied_origin_ == origin) return;
  applied_kind_ = kind;
  applied_origin_ = origin;
  rows.clear();
  for (uint32_t i = 0; i < harms.size(); ++i) {
    if (kind >= 0 && static_cast<int>(harms[i].kind) != kind) continue;
    if (origin >= 0 && static_cast<int>(harms[i].origin.kind) != origin) continue;
    rows.push_back(i);
  }
}

void HarmsPanel::Draw(const RunData& run, ViewState& state) {
  if (run.audit.empty() && run.spans.empty()) {
    ImGui::TextDisabled("This run file has no audit records or spans (trace level none): harms are not listed.");
    return;
  }
  Update(run);
  size_t counts[4] = {};
  for (const Harm& h : harms) ++counts[static_cast<int>(h.kind)];
  // The combos list "all" first: their index is one above the enum's.
  int k = kind + 1, o = origin + 1;
  ImGui::SetNextItemWidth(170);
  if (ImGui::Combo("kind", &k, "all\0leaks\0exposures\0incidents\0attacks' actions\0")) kind = k - 1;
  ImGui::SameLine();
  ImGui::SetNextItemWidth(170);
  if (ImGui::Combo("cause", &o, "all\0unknown\0injection\0attack\0agent (no attack)\0person\0")) origin = o - 1;
  Update(run);
  ImGui::Text("%s harms (incidents last): %s leaks, %s exposures, %s other actions done for an attacker, %s incidents; "
              "%s shown",
              FormatCount(static_cast<double>(harms.size())).c_str(), FormatCount(static_cast<double>(counts[0])).c_str(),
              FormatCount(static_cast<double>(counts[1])).c_str(), FormatCount(static_cast<double>(counts[3])).c_str(),
              FormatCount(static_cast<double>(counts[2])).c_str(), FormatCount(static_cast<double>(rows.size())).c_str());
  ImGui::TextDisabled("cause:");
  const struct { const char* name; Origin::Kind kind; } keys[] = {
      {"injection or attack", Origin::Kind::kInjection}, {"an agent's defect or error, no attack", Origin::Kind::kAgent},
      {"a person's change or action", Origin::Kind::kPerson}};
  for (const auto& k : keys) {
    ImGui::SameLine();
    ImGui::TextColored(OriginColor(k.kind), "%s%s", k.name, &k == &keys[2] ? "" : ",");
  }
  float service_w = ImGui::CalcTextSize("service").x;
  for (const Harm& h : harms) service_w = std::max(service_w, ImGui::CalcTextSize(h.service.c_str()).x);
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("harms", 5, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("day", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("day 00").x);
  ImGui::TableSetupColumn("kind", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("exposure").x);  // the widest kind
  ImGui::TableSetupColumn("service", ImGuiTableColumnFlags_WidthFixed, service_w);
  ImGui::TableSetupColumn("cause", ImGuiTableColumnFlags_WidthStretch, 1.2f);
  ImGui::TableSetupColumn("what happened", ImGuiTableColumnFlags_WidthStretch, 2.0f);
  ImGui::TableHeadersRow();
  // Up to a few thousand harms, cause and description wrap in their columns (nothing is cut);
  // beyond, rows are one line each and clipped, with the whole text in tooltips.
  const bool wrap = rows.size() <= 3000;
  auto text = [&](const std::string& s) {  // in the current column
    if (wrap) {
      ImGui::TextWrapped("%s", s.c_str());
    } else {
      ImGui::TextUnformatted(s.c_str());
      if (ImGui::CalcTextSize(s.c_str()).x > ImGui::GetColumnWidth() && ImGui::IsItemHovered()) {
        ImGui::SetTooltip("%s", s.c_str());
      }
    }
  };
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(rows.size()));
  if (wrap) clipper.ForceDisplayRangeByIndices(0, static_cast<int>(rows.size()));
  while (clipper.Step()) {
    for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
      const Harm& h = harms[rows[static_cast<size_t>(r)]];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      char label[48];
      std::snprintf(label, sizeof label, "%lld##h%d", static_cast<long long>(h.time_us / 86'400'000'000LL), r);
      if (ImGui::Selectable(label, state.selected == h.record, ImGuiSelectableFlags_SpanAllColumns)) {
        state.Select(h.record);
        if (h.record.kind == RecordRef::Kind::kAudit) state.selected_employee = run.audit[h.record.index].employee;
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\n%s", FormatTime(h.time_us).c_str(), h.description.c_str());
      ImGui::TableNextColumn();
      ImGui::TextColored(h.kind == Harm::Kind::kIncident ? ImVec4(0.95f, 0.5f, 0.45f, 1) : ImVec4(1, 0.75f, 0.4f, 1), "%s",
                         HarmKindName(h.kind));
      NextCellText(h.service);
      ImGui::TableNextColumn();
      ImGui::PushStyleColor(ImGuiCol_Text, OriginColor(h.origin.kind));
      text(h.origin.text);
      ImGui::PopStyleColor();
      // An incident's second fact: who deployed the change (an agent can ship a person's defect).
      if (!h.origin.deployed_by.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        text("deployed by " + h.origin.deployed_by);
        ImGui::PopStyleColor();
      }
      ImGui::TableNextColumn();
      text(h.description);
    }
  }
  ImGui::EndTable();
}

}  // namespace clawsim::viz
