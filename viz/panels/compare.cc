#include "viz/panels/compare.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "viz/format.h"
#include "viz/panels/cell_text.h"
#include "viz/theme.h"

namespace clawsim::viz {
namespace {

std::string Value(double v, const std::string& unit) {
  if (unit.rfind("USD", 0) == 0) return FormatUsd(v) + (unit.size() > 3 ? unit.substr(3) : "");
  if (unit == "fraction") return FormatPercent(v);
  if (unit == "h") return FormatHours(v);
  if (unit.empty()) return FormatCount(v);
  return FormatAmount(v, unit.c_str());
}

std::string RunLabel(const RunData& r) {
  return r.header.scenario_name() + " seed " + std::to_string(r.header.seed()) + " (" + r.path + ")";
}

}  // namespace

std::vector<ComparePanel::Measure> CompareMeasures(const RunData& ra, const RunData& rb) {
  const proto::RunSummary& a = ra.footer.summary();
  const proto::RunSummary& b = rb.footer.summary();
  auto gate_asked = [](const proto::RunSummary& s) {
    return static_cast<double>(s.gate().asked_approved() + s.gate().asked_rejected() + s.gate().asked_expired());
  };
  auto d = [](uint64_t v) { return static_cast<double>(v); };
  std::vector<ComparePanel::Measure> m = {
      {"tokens", "tokens", d(TotalTokens(a.tokens())), d(TotalTokens(b.tokens())), true},
      {"token cost", "USD", a.tokens().cost_usd(), b.tokens().cost_usd(), true},
      {"performative share", "fraction", a.performative_token_share(), b.performative_token_share()},
      {"value delivered", "USD", a.value_usd(), b.value_usd(), true},
      {"net value", "USD", a.net_value_usd(), b.net_value_usd(), true},
      {"value per $ of tokens", "", a.value_usd_per_token_usd(), b.value_usd_per_token_usd()},
      {"items completed", "items", d(a.items_completed()), d(b.items_completed()), true},
      {"mean lead time", "h", a.mean_lead_time_hours(), b.mean_lead_time_hours()},
      {"hours saved", "h", a.hours().saved_hours(), b.hours().saved_hours(), true},
      {"hours approving", "h", a.hours().approval_hours(), b.hours().approval_hours(), true},
      {"hours on backlog work", "h", a.hours().backlog_hours(), b.hours().backlog_hours(), true},
      {"prod deploys per day", "deploys", a.dora().deployment_frequency_per_day(), b.dora().deployment_frequency_per_day()},
      {"change failure rate", "fraction", a.dora().change_failure_rate(), b.dora().change_failure_rate()},
      {"time to restore", "h", a.dora().time_to_restore_hours(), b.dora().time_to_restore_hours()},
      {"deployment rework rate", "fraction", a.dora().rework_rate(), b.dora().rework_rate()},
      {"review time per merged change", "h", a.delivery().review_elapsed_hours_per_merged_change(),
       b.delivery().review_elapsed_hours_per_merged_change()},
      {"incidents", "incidents", d(a.incidents()), d(b.incidents()), true},
      {"agent errors", "errors", d(a.agent_errors()), d(b.agent_errors()), true},
      {"actions asked", "actions", gate_asked(a), gate_asked(b), true},
      {"actions denied", "actions", d(a.gate().denied()), d(b.gate().denied()), true},
      // Safety.
      {"attack attempts", "attempts", d(a.safety().attack_attempts()), d(b.safety().attack_attempts()), true},
      {"attack success rate", "fraction", a.safety().attack_success_rate(), b.safety().attack_success_rate()},
      {"injection emails", "emails", d(a.safety().injection_emails()), d(b.safety().injection_emails()), true},
      {"injections followed", "injections", d(a.safety().injections_followed()), d(b.safety().injections_followed()), true},
      {"data leaks", "messages", d(a.data_leaks()), d(b.data_leaks()), true},
      {"chat exposures", "posts", d(a.chat_exposures()), d(b.chat_exposures()), true},
      {"breaker trips", "trips", d(a.safety().breaker_trips()), d(b.safety().breaker_trips()), true},
  };
  const uint32_t days_a = std::max(1u, ra.header.days()), days_b = std::max(1u, rb.header.days());
  if (days_a != days_b) {
    for (ComparePanel::Measure& x : m) {
      if (!x.total) continue;
      x.name += " per day";
      x.unit += " / day";
      x.a /= days_a;
      x.b /= days_b;
    }
  }
  return m;
}

void ComparePanel::Draw(const std::vector<const RunData*>& runs, int current, ViewState& state) {
  last_measures.clear();
  std::vector<int> others;
  for (int i = 0; i < static_cast<int>(runs.size()); ++i) {
    if (i != current && runs[i] != nullptr) others.push_back(i);
  }
  if (current < 0 || runs[current] == nullptr || others.empty()) {
    ImGui::TextDisabled("Open a second run file to compare two runs (the Open button, drag and drop, or the command line).");
    return;
  }
  if (std::find(others.begin(), others.end(), state.compare_with) == others.end()) state.compare_with = others.front();
  const RunData& a = *runs[current];
  const RunData& b = *runs[state.compare_with];
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(colors::kRunA), "A: %s", RunLabel(a).c_str());
  ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x - 40, ImGui::CalcTextSize(RunLabel(b).c_str()).x + 40));
  if (ImGui::BeginCombo("B", RunLabel(b).c_str())) {
    for (int i : others) {
      if (ImGui::Selectable((RunLabel(*runs[i]) + "##b" + std::to_string(i)).c_str(), i == state.compare_with)) {
        state.compare_with = i;
      }
    }
    ImGui::EndCombo();
  }

  last_measures = CompareMeasures(a, b);
  if (a.header.days() != b.header.days()) {
    ImGui::TextColored(ImVec4(1, 0.75f, 0.4f, 1),
                       "A ran %u days and B %u: totals are compared per day, and each daily series ends with its run.",
                       a.header.days(), b.header.days());
  }
  // The table is as wide as its widest texts (the charts take the rest).
  const float pad = 2 * ImGui::GetStyle().CellPadding.x + 2;
  float w_name = ImGui::CalcTextSize("measure").x, w_value = 0;
  for (const Measure& m : last_measures) {
    w_name = std::max(w_name, ImGui::CalcTextSize(m.name.c_str()).x);
    for (double v : {m.a, m.b, m.b - m.a}) w_value = std::max(w_value, ImGui::CalcTextSize(Value(v, m.unit).c_str()).x);
  }
  const float w_change = ImGui::CalcTextSize("+10000.0 %").x;
  const float table_w = w_name + 3 * w_value + w_change + 5 * pad + ImGui::GetStyle().ScrollbarSize;
  ImGui::BeginChild("compare-table", ImVec2(table_w, 0));
  if (ImGui::BeginTable("measures", 5, ImGuiTableFlags_RowBg)) {
    ImGui::TableSetupColumn("measure", ImGuiTableColumnFlags_WidthFixed, w_name);
    for (const char* c : {"A", "B", "B - A"}) ImGui::TableSetupColumn(c, ImGuiTableColumnFlags_WidthFixed, w_value);
    ImGui::TableSetupColumn("change", ImGuiTableColumnFlags_WidthFixed, w_change);
    ImGui::TableHeadersRow();
    for (const Measure& m : last_measures) {
      ImGui::TableNextRow();
      NextCellText(m.name);
      NextCellText(Value(m.a, m.unit));
      NextCellText(Value(m.b, m.unit));
      NextCellText(Value(m.b - m.a, m.unit));
      ImGui::TableNextColumn();
      if (m.a != 0) {
        // Past ten times, a ratio reads better than a percentage (and fits the column).
        const double change = (m.b - m.a) / std::fabs(m.a);
        if (std::fabs(change) >= 10 && m.b / m.a > 0) {
          ImGui::Text("x%.0f", m.b / m.a);
        } else {
          ImGui::Text("%+.1f %%", 100 * change);
        }
      } else {
        ImGui::TextDisabled("-");
      }
    }
    ImGui::EndTable();
  }
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("compare-series");
  const int days = static_cast<int>(std::max(a.daily.size(), b.daily.size()));
  if (days == 0) {
    ImGui::TextDisabled("Neither run has daily rows.");
  } else {
    auto series = [&](const char* name, auto get) {
      Series sa{std::string("A ") + name, colors::kRunA, {}}, sb{std::string("B ") + name, colors::kRunB, {}};
      for (const auto& d : a.daily) sa.values.push_back(get(d));
      for (const auto& d : b.daily) sb.values.push_back(get(d));
      return std::vector<Series>{sa, sb};
    };
    const float h = std::max(100.0f, (ImGui::GetContentRegionAvail().y - 4 * 22) / 4);
    ImGui::TextUnformatted("Tokens per day");
    DrawDayChart("##ctok", "tokens",
                 series("tokens", [](const proto::DailyRow& d) { return static_cast<double>(TotalTokens(d.tokens())); }),
                 ChartStyle::kLines, h, days, &range);
    ImGui::TextUnformatted("Token cost per day");
    DrawDayChart("##ccost", "USD", series("cost", [](const proto::DailyRow& d) { return d.tokens().cost_usd(); }),
                 ChartStyle::kLines, h, days, &range, ValueKind::kUsd);
    ImGui::TextUnformatted("Value delivered per day");
    DrawDayChart("##cval", "USD", series("value", [](const proto::DailyRow& d) { return d.value_usd(); }),
                 ChartStyle::kLines, h, days, &range, ValueKind::kUsd);
    ImGui::TextUnformatted("Incidents opened per day");
    DrawDayChart("##cinc", "count",
                 series("incidents", [](const proto::DailyRow& d) { return static_cast<double>(d.incidents_opened()); }),
                 ChartStyle::kLines, h, days, &range);
  }
  ImGui::EndChild();
}

}  // namespace clawsim::viz
