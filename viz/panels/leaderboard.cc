#include "viz/panels/leaderboard.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <numeric>

#include "viz/format.h"

namespace clawsim::viz {
namespace {

uint64_t Tokens(const proto::TokenTally& t) { return t.input_tokens() + t.output_tokens(); }

}  // namespace

void LeaderboardPanel::Build(const RunData& run) {
  built_for = &run;
  entries.clear();
  for (uint32_t i = 0; i < run.employees.size(); ++i) {
    const proto::EmployeeRow& e = run.employees[i];
    const proto::TokensByPurpose& p = e.tokens_by_purpose();
    Entry x;
    x.employee = i;
    x.tokens = Tokens(p.useful()) + Tokens(p.overhead()) + Tokens(p.performative());
    x.cost_usd = p.useful().cost_usd() + p.overhead().cost_usd() + p.performative().cost_usd();
    x.value_usd = e.value_usd();
    x.net_value_usd = e.net_value_usd();
    x.performative_share = x.tokens > 0 ? static_cast<double>(Tokens(p.performative())) / x.tokens : 0;
    entries.push_back(x);
  }
  // Ties break by employee id, so ranks are deterministic.
  std::vector<uint32_t> order(entries.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return entries[a].value_usd != entries[b].value_usd ? entries[a].value_usd > entries[b].value_usd : a < b;
  });
  for (size_t r = 0; r < order.size(); ++r) entries[order[r]].value_rank = static_cast<int>(r + 1);
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.tokens != b.tokens ? a.tokens > b.tokens : a.employee < b.employee;
  });
  for (size_t r = 0; r < entries.size(); ++r) entries[r].token_rank = static_cast<int>(r + 1);
}

void LeaderboardPanel::Draw(const RunData& run, ViewState& state) {
  if (built_for != &run) Build(run);
  if (entries.empty()) {
    ImGui::TextDisabled("This run file has no employee rows.");
    return;
  }
  ImGui::TextDisabled("Ranked by tokens, as a token leaderboard shows them, beside the rank by value delivered. "
                      "Click a row to select the employee everywhere.");
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("leaderboard", 9, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  for (const char* c : {"token rank", "employee", "team", "role", "tokens", "token cost", "value", "value rank",
                        "performative"}) {
    ImGui::TableSetupColumn(c);
  }
  ImGui::TableHeadersRow();

  // Scroll to an employee selected elsewhere (once per new selection).
  int scroll_row = -1;
  if (state.selected_employee != scrolled_to) {
    scrolled_to = state.selected_employee;
    for (size_t r = 0; r < entries.size(); ++r) {
      if (run.employees[entries[r].employee].employee_id() == state.selected_employee) scroll_row = static_cast<int>(r);
    }
  }
  const float row_h = ImGui::GetTextLineHeightWithSpacing();
  if (scroll_row >= 0) ImGui::SetScrollY(std::max(0.0f, (scroll_row - 3) * row_h));

  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(entries.size()), row_h);
  while (clipper.Step()) {
    for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
      const Entry& x = entries[r];
      const proto::EmployeeRow& e = run.employees[x.employee];
      const bool selected = e.employee_id() == state.selected_employee;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      char label[32];
      std::snprintf(label, sizeof label, "%d##lb%d", x.token_rank, r);
      if (ImGui::Selectable(label, selected, ImGuiSelectableFlags_SpanAllColumns)) {
        state.selected_employee = e.employee_id();
        scrolled_to = state.selected_employee;
      }
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(e.name().c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(e.team().c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(e.role().c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(FormatCount(static_cast<double>(x.tokens)).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(FormatUsd(x.cost_usd).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(FormatUsd(x.value_usd).c_str());
      ImGui::TableNextColumn();
      // Green: ranks higher by value than by tokens; orange: lower.
      const ImVec4 c = x.value_rank <= x.token_rank ? ImVec4(0.55f, 0.85f, 0.55f, 1) : ImVec4(0.95f, 0.6f, 0.35f, 1);
      ImGui::TextColored(c, "%d", x.value_rank);
      ImGui::TableNextColumn();
      ImGui::Text("%.0f%%", 100 * x.performative_share);
    }
  }
  ImGui::EndTable();
}

}  // namespace clawsim::viz
