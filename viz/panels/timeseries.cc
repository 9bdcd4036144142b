#include "viz/panels/timeseries.h"

#include <imgui.h>

#include <algorithm>

#include "viz/theme.h"

namespace clawsim::viz {
namespace {

constexpr int64_t kDayUs = 86'400'000'000LL;

void Bump(std::vector<double>* v, int64_t time_us) {
  const int64_t day = time_us / kDayUs;
  if (day >= 0 && day < static_cast<int64_t>(v->size())) ++(*v)[static_cast<size_t>(day)];
}

}  // namespace

SafetyDaily CountSafetyDaily(const RunData& run) {
  const size_t days = std::max<size_t>(run.daily.size(), run.header.days());
  SafetyDaily s;
  s.injection_emails.assign(days, 0);
  s.injected.assign(days, 0);
  s.leaks.assign(days, 0);
  s.held.assign(days, 0);
  const proto::RunHeader& h = run.header;
  std::vector<char> harm(static_cast<size_t>(h.outcome_names_size()), 0), held(static_cast<size_t>(h.decision_names_size()), 0);
  for (int i = 0; i < h.outcome_names_size(); ++i) harm[i] = h.outcome_names(i) == "data_leaked" || h.outcome_names(i) == "exposed";
  for (int i = 0; i < h.decision_names_size(); ++i) held[i] = h.decision_names(i) == "held";
  for (const InjectionRow& e : run.injections) Bump(&s.injection_emails, e.time_us);
  for (const SpanRow& sp : run.spans) {
    if (sp.route != kNoSmall) Bump(&s.injected, sp.start_us);
  }
  for (const AuditRow& a : run.audit) {
    if (a.outcome < harm.size() && harm[a.outcome]) Bump(&s.leaks, a.time_us);
    if (a.decision < held.size() && held[a.decision]) Bump(&s.held, a.time_us);
  }
  return s;
}

void TimeseriesPanel::Draw(const RunData& run, ViewState&) {
  if (shown != &run) {
    shown = &run;
    range = {};
    safety = CountSafetyDaily(run);
  }
  if (run.daily.empty()) {
    ImGui::TextDisabled("This run file has no daily rows.");
    return;
  }
  const int days = static_cast<int>(run.daily.size());
  Series useful{"useful", colors::kUseful, {}}, overhead{"overhead", colors::kOverhead, {}},
      performative{"performative", colors::kPerformative, {}};
  Series cost{"token cost", colors::kCost, {}}, value{"value delivered", colors::kValue, {}};
  Series incidents{"incidents opened", colors::kIncident, {}}, failed{"pipeline runs failed", colors::kStage, {}};
  Series asked{"asked a person", colors::kApproval, {}}, denied{"denied or rate limited", colors::kOverhead, {}};
  for (const proto::DailyRow& d : run.daily) {
    useful.values.push_back(static_cast<double>(d.tokens_by_purpose().useful_tokens()));
    overhead.values.push_back(static_cast<double>(d.tokens_by_purpose().overhead_tokens()));
    performative.values.push_back(static_cast<double>(d.tokens_by_purpose().performative_tokens()));
    cost.values.push_back(d.tokens().cost_usd());
    value.values.push_back(d.value_usd());
    incidents.values.push_back(static_cast<double>(d.incidents_opened()));
    failed.values.push_back(static_cast<double>(d.deploys_failed()));
    asked.values.push_back(static_cast<double>(d.gate().asked_approved() + d.gate().asked_rejected() + d.gate().asked_expired()));
    denied.values.push_back(static_cast<double>(d.gate().denied() + d.gate().rate_limited()));
  }
  ImGui::TextDisabled("Wheel: zoom   drag: pan   double-click: reset   days %.0f to %.0f of %d (day 0 is the first)",
                      std::max(0.0, range.first + 0.5), std::min<double>(days - 1, range.last - 0.5), days);
  const float title_h = ImGui::GetTextLineHeightWithSpacing();
  const bool with_safety = !(run.audit.empty() && run.spans.empty());
  const int rows = with_safety ? 4 : 3;
  const float h = std::max(100.0f, (ImGui::GetContentRegionAvail().y - static_cast<float>(rows) * (title_h + 8)) / static_cast<float>(rows));
  int hover = -1;
  if (!ImGui::BeginTable("charts", 2, ImGuiTableFlags_SizingStretchSame)) return;
  auto chart = [&](const char* title, const char* id, const char* unit, std::vector<Series> series, ChartStyle style,
                   ValueKind kind) {
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(title);
    hover = std::max(hover, DrawDayChart(id, unit, series, style, h, days, &range, kind));
  };
  chart("Tokens per day, by purpose", "##tokens", "tokens", {useful, overhead, performative}, ChartStyle::kStackedBars,
        ValueKind::kCount);
  chart("Token cost per day", "##cost", "USD", {cost}, ChartStyle::kLines, ValueKind::kUsd);
  chart("Value delivered per day", "##value", "USD", {value}, ChartStyle::kLines, ValueKind::kUsd);
  chart("Incidents opened, and pipeline runs that failed a stage (build to prod)", "##incidents", "count",
        {incidents, failed}, ChartStyle::kLines, ValueKind::kCount);
  chart("Agents' actions that asked a person, and refusals", "##gate", "actions", {asked, denied}, ChartStyle::kLines,
        ValueKind::kCount);
  if (!with_safety) {
    ImGui::TableNextColumn();
    ImGui::TextDisabled("Safety per day needs the audit log and spans (run with --trace audit).");
  } else {
    // Attacks and harms on their own axes: a campaign's hundred emails a day would flatten a
    // handful of leaks to the baseline.
    chart("Injection emails, and invocations that followed one", "##injections", "count",
          {Series{"injection emails", colors::kCost, safety.injection_emails},
           Series{"injected invocations", colors::kPerformative, safety.injected}},
          ChartStyle::kLines, ValueKind::kCount);
    chart("Harms: leaks and exposures; breakers and quarantines", "##harms", "count",
          {Series{"leaks + exposures", colors::kIncident, safety.leaks},
           Series{"breakers and quarantines", colors::kApproval, safety.held}},
          ChartStyle::kLines, ValueKind::kCount);
  }
  ImGui::EndTable();
  hover_day = hover;
}

}  // namespace clawsim::viz
