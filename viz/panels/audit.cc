#include "viz/panels/audit.h"

#include <algorithm>
#include <cstdio>

#include "viz/format.h"
#include "viz/panels/cell_text.h"
#include "viz/theme.h"

namespace clawsim::viz {
namespace {

constexpr int64_t kDayUs = 86'400'000'000LL;

// A combo over a name table with "all" first; *index -1 means all.
void NameCombo(const char* label, const google::protobuf::RepeatedPtrField<std::string>& names, int* index) {
  const char* preview = *index < 0 ? "all" : names[*index].c_str();
  ImGui::SetNextItemWidth(150);
  if (!ImGui::BeginCombo(label, preview)) return;
  if (ImGui::Selectable("all", *index < 0)) *index = -1;
  for (int i = 0; i < names.size(); ++i) {
    if (ImGui::Selectable(names[i].c_str(), *index == i)) *index = i;
  }
  ImGui::EndCombo();
}

}  // namespace

void AuditPanel::Apply(const RunData& run, const ViewState& state) {
  filtered_for = &run;
  applied = filter;
  applied_employee = state.selected_employee;
  rows.clear();
  const int last_day = filter.day_to < 0 ? INT32_MAX : filter.day_to;
  const int64_t t0 = filter.day_from * kDayUs;
  const int64_t t1 = last_day == INT32_MAX ? INT64_MAX : (static_cast<int64_t>(last_day) + 1) * kDayUs;
  // Agents whose name matches, as a lookup table.
  std::vector<char> agent_ok;
  if (!filter.agent_contains.empty()) {
    agent_ok.resize(static_cast<size_t>(run.header.agent_names_size()));
    for (int a = 0; a < run.header.agent_names_size(); ++a) {
      agent_ok[a] = run.header.agent_names(a).find(filter.agent_contains) != std::string::npos;
    }
  }
  std::vector<char> harm(static_cast<size_t>(run.header.outcome_names_size()), 0);
  for (int i = 0; i < run.header.outcome_names_size(); ++i) {
    harm[i] = run.header.outcome_names(i) == "data_leaked" || run.header.outcome_names(i) == "exposed";
  }
  // Audit rows are in time order: the day range is a binary search.
  const auto first = std::lower_bound(run.audit.begin(), run.audit.end(), t0,
                                      [](const AuditRow& a, int64_t t) { return a.time_us < t; });
  for (auto it = first; it != run.audit.end() && it->time_us < t1; ++it) {
    const AuditRow& a = *it;
    if (filter.decision >= 0 && a.decision != filter.decision) continue;
    if (filter.outcome >= 0 && a.outcome != filter.outcome) continue;
    if (filter.harms_only && !(a.outcome < harm.size() && harm[a.outcome])) continue;
    if (filter.action >= 0 && a.action != static_cast<uint32_t>(filter.action)) continue;
    if (filter.actor == 1 && a.agent == kNone) continue;
    if (filter.actor == 2 && a.agent != kNone) continue;
    if (!agent_ok.empty() && (a.agent == kNone || !agent_ok[a.agent])) continue;
    if (filter.selected_employee_only && state.selected_employee != kNoEmployee && a.employee != state.selected_employee) {
      continue;
    }
    rows.push_back(static_cast<uint32_t>(it - run.audit.begin()));
  }
}

void AuditPanel::Draw(const RunData& run, ViewState& state) {
  if (run.audit.empty()) {
    ImGui::TextDisabled("This run file has no audit records (trace level none).");
    return;
  }
  const proto::RunHeader& h = run.header;
  NameCombo("decision", h.decision_names(), &filter.decision);
  ImGui::SameLine();
  NameCombo("outcome", h.outcome_names(), &filter.outcome);
  ImGui::SameLine();
  ImGui::Checkbox("harms only", &filter.harms_only);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("leaks (data_leaked) and exposures (exposed)");
  ImGui::SameLine();
  NameCombo("action", h.action_names(), &filter.action);
  ImGui::SetNextItemWidth(110);
  ImGui::Combo("actor", &filter.actor, "all\0agents\0people\0");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(150);
  if (ImGui::InputTextWithHint("##agent", "agent name contains", agent_text_, sizeof agent_text_)) {
    filter.agent_contains = agent_text_;
  }
  ImGui::SameLine();
  const int days = std::max<int>(1, static_cast<int>(h.days()));
  if (filter.day_to < 0) filter.day_to = days - 1;
  ImGui::SetNextItemWidth(150);
  ImGui::DragIntRange2("days", &filter.day_from, &filter.day_to, 0.2f, 0, days - 1);
  filter.day_from = std::clamp(filter.day_from, 0, days - 1);
  filter.day_to = std::clamp(filter.day_to, filter.day_from, days - 1);
  ImGui::SameLine();
  ImGui::Checkbox("selected employee only", &filter.selected_employee_only);
  if (filtered_for != &run || !(applied == filter) ||
      (filter.selected_employee_only && applied_employee != state.selected_employee)) {
    Apply(run, state);
  }
  ImGui::Text("%s of %s records (agents %s, people %s; a person acting by hand is dimmed)", FormatCount(static_cast<double>(rows.size())).c_str(),
              FormatCount(static_cast<double>(run.audit.size())).c_str(),
              FormatCount(static_cast<double>(run.agent_audit_records)).c_str(),
              FormatCount(static_cast<double>(run.audit.size() - run.agent_audit_records)).c_str());

  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("audit", 7, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  // Ids, times, decisions and outcomes at the width of their widest value; names share the rest
  // (a cut name shows whole in its tooltip).
  const float pad = 2 * ImGui::GetStyle().CellPadding.x;
  ImGui::TableSetupColumn("id", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("0000000000000").x + pad);
  ImGui::TableSetupColumn("time", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("day 00 00:00:00.000").x + pad);
  auto widest = [&](const google::protobuf::RepeatedPtrField<std::string>& names) {
    float w = 0;
    for (const std::string& n : names) w = std::max(w, ImGui::CalcTextSize(n.c_str()).x);
    return w + pad;
  };
  ImGui::TableSetupColumn("acted by", ImGuiTableColumnFlags_WidthStretch, 1.35f);
  ImGui::TableSetupColumn("action", ImGuiTableColumnFlags_WidthFixed, widest(h.action_names()));
  // Targets at their widest name, up to a quarter of the table; the actor takes the rest.
  ImGui::TableSetupColumn("target", ImGuiTableColumnFlags_WidthFixed,
                          std::min(widest(h.target_names()), 0.25f * ImGui::GetContentRegionAvail().x));
  ImGui::TableSetupColumn("decision", ImGuiTableColumnFlags_WidthFixed, widest(h.decision_names()));
  ImGui::TableSetupColumn("outcome", ImGuiTableColumnFlags_WidthFixed, widest(h.outcome_names()));
  ImGui::TableHeadersRow();
  // A record selected elsewhere: scroll to its row once.
  if (state.selected.kind == RecordRef::Kind::kAudit && !(scrolled_to == state.selected)) {
    scrolled_to = state.selected;
    const auto it = std::lower_bound(rows.begin(), rows.end(), state.selected.index);
    if (it != rows.end() && *it == state.selected.index) {
      const float row_h = ImGui::GetTextLineHeightWithSpacing();
      ImGui::SetScrollY(std::max(0.0f, static_cast<float>(it - rows.begin()) * row_h - 3 * row_h));
    }
  }
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(rows.size()));
  while (clipper.Step()) {
    for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
      const uint32_t index = rows[r];
      const AuditRow& a = run.audit[index];
      const RecordRef ref = RecordRef::Audit(index);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      char label[40];
      std::snprintf(label, sizeof label, "%llu##a%u", static_cast<unsigned long long>(a.id), index);
      if (ImGui::Selectable(label, state.selected == ref, ImGuiSelectableFlags_SpanAllColumns)) {
        state.Select(ref);
        state.selected_employee = a.employee;
      }
      NextCellText(FormatTime(a.time_us));
      // An agent's name holds its owner's ("alice/triage"): one column says who acted for whom;
      // a person acting by hand is dimmed.
      if (a.agent == kNone) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
      NextCellText(a.agent == kNone ? RunData::Name(h.employee_names(), a.employee) : run.AgentLabel(a.agent));
      if (a.agent == kNone) ImGui::PopStyleColor();
      NextCellText(RunData::Name(h.action_names(), a.action));
      NextCellText(RunData::Name(h.target_names(), a.target));
      ImGui::TableNextColumn();
      const std::string& decision = RunData::Name(h.decision_names(), a.decision);
      ImGui::TextColored(DecisionColor(decision.c_str()), "%s", decision.c_str());
      const std::string& outcome = RunData::Name(h.outcome_names(), a.outcome);
      ImGui::TableNextColumn();
      if (outcome == "data_leaked" || outcome == "exposed") {
        ImGui::TextColored(ImVec4(0.95f, 0.45f, 0.4f, 1), "%s", outcome.c_str());
      } else {
        ImGui::TextUnformatted(outcome.c_str());
      }
    }
  }
  ImGui::EndTable();
}

}  // namespace clawsim::viz
