#include "viz/panels/compare.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "viz/format.h"
#include "viz/theme.h"

namespace clawsim::viz {
namespace {

double Tokens(const proto::TokenTally& t) { return static_cast<double>(t.input_tokens() + t.output_tokens()); }

std::string Value(double v, const std::string& unit) {
  if (unit == "USD") return FormatUsd(v);
  char buf[48];
  if (v != std::floor(v) || std::fabs(v) < 10) {
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
  }
  return FormatCount(v);
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
  return {
      {"tokens", "tokens", Tokens(a.tokens()), Tokens(b.tokens())},
      {"token cost", "USD", a.tokens().cost_usd(), b.tokens().cost_usd()},
      {"performative share", "fraction", a.performative_token_share(), b.performative_token_share()},
      {"value delivered", "USD", a.value_usd(), b.value_usd()},
      {"net value", "USD", a.net_value_usd(), b.net_value_usd()},
      {"value per $ of tokens", "USD/USD", a.value_usd_per_token_usd(), b.value_usd_per_token_usd()},
      {"items completed", "items", static_cast<double>(a.items_completed()), static_cast<double>(b.items_completed())},
      {"mean lead time", "h", a.mean_lead_time_hours(), b.mean_lead_time_hours()},
      {"hours saved", "h", a.hours().saved_hours(), b.hours().saved_hours()},
      {"hours approving", "h", a.hours().approval_hours(), b.hours().approval_hours()},
      {"deploys per day", "per day", a.dora().deployment_frequency_per_day(), b.dora().deployment_frequency_per_day()},
      {"change failure rate", "fraction", a.dora().change_failure_rate(), b.dora().change_failure_rate()},
      {"time to restore", "h", a.dora().time_to_restore_hours(), b.dora().time_to_restore_hours()},
      {"incidents", "incidents", static_cast<double>(a.incidents()), static_cast<double>(b.incidents())},
      {"data leaks", "messages", static_cast<double>(a.data_leaks()), static_cast<double>(b.data_leaks())},
      {"agent errors", "errors", static_cast<double>(a.agent_errors()), static_cast<double>(b.agent_errors())},
      {"actions asked", "actions", gate_asked(a), gate_asked(b)},
      {"actions denied", "actions", static_cast<double>(a.gate().denied()), static_cast<double>(b.gate().denied())},
  };
}

void ComparePanel::Draw(const std::vector<const RunData*>& runs, int current, ViewState& state) {
  last_measures.clear();
  std::vector<int> others;
  for (int i = 0; i < static_cast<int>(runs.size()); ++i) {
    if (i != current && runs[i] != nullptr) others.push_back(i);
  }
  if (current < 0 || runs[current] == nullptr || others.empty()) {
    ImGui::TextDisabled("Open a second run file to compare two runs (File > Open, drag and drop, or the command line).");
    return;
  }
  if (std::find(others.begin(), others.end(), state.compare_with) == others.end()) state.compare_with = others.front();
  const RunData& a = *runs[current];
  const RunData& b = *runs[state.compare_with];
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(colors::kRunA), "A: %s", RunLabel(a).c_str());
  ImGui::SetNextItemWidth(400);
  if (ImGui::BeginCombo("B", RunLabel(b).c_str())) {
    for (int i : others) {
      if (ImGui::Selectable((RunLabel(*runs[i]) + "##b" + std::to_string(i)).c_str(), i == state.compare_with)) {
        state.compare_with = i;
      }
    }
    ImGui::EndCombo();
  }

  last_measures = CompareMeasures(a, b);
  const float table_w = ImGui::GetContentRegionAvail().x * 0.42f;
  ImGui::BeginChild("compare-table", ImVec2(table_w, 0));
  if (ImGui::BeginTable("measures", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
    for (const char* c : {"measure", "A", "B", "B - A", "change"}) ImGui::TableSetupColumn(c);
    ImGui::TableHeadersRow();
    for (const Measure& m : last_measures) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%s", m.name.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(Value(m.a, m.unit).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(Value(m.b, m.unit).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(Value(m.b - m.a, m.unit).c_str());
      ImGui::TableNextColumn();
      if (m.a != 0) {
        ImGui::Text("%+.1f%%", 100 * (m.b - m.a) / std::fabs(m.a));
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
    DrawDayChart("##ctok", "tokens", series("tokens", [](const proto::DailyRow& d) { return Tokens(d.tokens()); }),
                 ChartStyle::kLines, h, days, &range);
    ImGui::TextUnformatted("Token cost per day");
    DrawDayChart("##ccost", "USD", series("cost", [](const proto::DailyRow& d) { return d.tokens().cost_usd(); }),
                 ChartStyle::kLines, h, days, &range);
    ImGui::TextUnformatted("Value delivered per day");
    DrawDayChart("##cval", "USD", series("value", [](const proto::DailyRow& d) { return d.value_usd(); }),
                 ChartStyle::kLines, h, days, &range);
    ImGui::TextUnformatted("Incidents opened per day");
    DrawDayChart("##cinc", "count",
                 series("incidents", [](const proto::DailyRow& d) { return static_cast<double>(d.incidents_opened()); }),
                 ChartStyle::kLines, h, days, &range);
  }
  ImGui::EndChild();
}

}  // namespace clawsim::viz
