#include "viz/panels/leaderboard.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <numeric>

#include "viz/format.h"
#include "viz/panels/cell_text.h"

namespace clawsim::viz {
namespace {

const ImVec4 kAhead(0.55f, 0.85f, 0.55f, 1);
const ImVec4 kClose(0.75f, 0.75f, 0.75f, 1);
const ImVec4 kBehind(0.95f, 0.75f, 0.4f, 1);
const ImVec4 kFarBehind(0.95f, 0.45f, 0.4f, 1);

}  // namespace

void LeaderboardPanel::Sort(const RunData& run, int column, bool descending) {
  auto key = [&](const Entry& x, const Entry& y) -> int {  // <0, 0, >0 like strcmp, ascending
    const proto::EmployeeRow& a = run.employees[x.employee];
    const proto::EmployeeRow& b = run.employees[y.employee];
    auto cmp = [](auto u, auto v) { return u < v ? -1 : (v < u ? 1 : 0); };
    switch (column) {
      case 1: return a.name().compare(b.name());
      case 2: return a.team().compare(b.team());
      case 3: return a.role().compare(b.role());
      case 4: return cmp(y.tokens, x.tokens);  // by tokens = by token rank
      case 5: return cmp(x.cost_usd, y.cost_usd);
      case 6: return cmp(x.value_usd, y.value_usd);
      case 7: return cmp(x.value_rank, y.value_rank);
      case 8: return cmp(x.performative_share, y.performative_share);
      default: return cmp(x.token_rank, y.token_rank);
    }
  };
  std::stable_sort(entries.begin(), entries.end(), [&](const Entry& x, const Entry& y) {
    const int k = key(x, y);
    if (k != 0) return descending ? k > 0 : k < 0;
    return x.token_rank < y.token_rank;
  });
}

void LeaderboardPanel::Build(const RunData& run) {
  built_for = &run;
  entries.clear();
  for (uint32_t i = 0; i < run.employees.size(); ++i) {
    const proto::EmployeeRow& e = run.employees[i];
    const proto::TokensByPurpose& p = e.tokens_by_purpose();
    Entry x;
    x.employee = i;
    x.tokens = TotalTokens(p.useful()) + TotalTokens(p.overhead()) + TotalTokens(p.performative());
    x.cost_usd = p.useful().cost_usd() + p.overhead().cost_usd() + p.performative().cost_usd();
    x.value_usd = e.value_usd();
    x.net_value_usd = e.net_value_usd();
    x.performative_share = x.tokens > 0 ? static_cast<double>(TotalTokens(p.performative())) / x.tokens : 0;
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
                      "Click a row to select the employee everywhere; click a header to sort.");
  // The value rank's colour: how far the rank by value is from the rank by tokens, as a share
  // of the people ranked.
  const int n = static_cast<int>(entries.size());
  ImGui::TextColored(kAhead, "value rank 10%%+ better than token rank");
  ImGui::SameLine();
  ImGui::TextColored(kClose, "  within 10%%");
  ImGui::SameLine();
  ImGui::TextColored(kBehind, "  10-50%% worse");
  ImGui::SameLine();
  ImGui::TextColored(kFarBehind, "  50%%+ worse (tokens far above value)");
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_Sortable;
  if (!ImGui::BeginTable("leaderboard", 9, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  const struct { const char* name; float weight; } columns[] = {
      {"token rank", 0.6f}, {"employee", 1.3f}, {"team", 1.1f}, {"role", 0.8f}, {"tokens", 0.8f},
      {"token cost", 0.8f}, {"value", 0.8f}, {"value rank", 0.6f}, {"performative", 0.7f}};
  for (int c = 0; c < 9; ++c) {
    ImGui::TableSetupColumn(columns[c].name, ImGuiTableColumnFlags_WidthStretch | (c == 0 ? ImGuiTableColumnFlags_DefaultSort : 0),
                            columns[c].weight, static_cast<ImGuiID>(c));
  }
  ImGui::TableHeadersRow();
  if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs != nullptr && specs->SpecsDirty) {
    if (specs->SpecsCount > 0) Sort(run, static_cast<int>(specs->Specs[0].ColumnUserID),
                                    specs->Specs[0].SortDirection == ImGuiSortDirection_Descending);
    specs->SpecsDirty = false;
    scrolled_to = kNoEmployee - 1;  // keep the selection in view after a sort
  }

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
      NextCellText(e.name());
      NextCellText(e.team());
      NextCellText(e.role());
      NextCellText(FormatCount(static_cast<double>(x.tokens)));
      NextCellText(FormatUsd(x.cost_usd));
      NextCellText(FormatUsd(x.value_usd));
      ImGui::TableNextColumn();
      const double gap = static_cast<double>(x.value_rank - x.token_rank) / std::max(1, n);
      ImGui::TextColored(gap <= -0.1 ? kAhead : gap < 0.1 ? kClose : gap < 0.5 ? kBehind : kFarBehind, "%d", x.value_rank);
      ImGui::TableNextColumn();
      ImGui::Text("%.0f %%", 100 * x.performative_share);
    }
  }
  ImGui::EndTable();
}

}  // namespace clawsim::viz
