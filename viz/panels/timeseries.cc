#include "viz/panels/timeseries.h"

#include <imgui.h>

#include <algorithm>

#include "viz/theme.h"

namespace clawsim::viz {

void TimeseriesPanel::Draw(const RunData& run, ViewState&) {
  if (shown != &run) {
    shown = &run;
    range = {};
  }
  if (run.daily.empty()) {
    ImGui::TextDisabled("This run file has no daily rows.");
    return;
  }
  const int days = static_cast<int>(run.daily.size());
  Series useful{"useful", colors::kUseful, {}}, overhead{"overhead", colors::kOverhead, {}},
      performative{"performative", colors::kPerformative, {}};
  Series cost{"token cost", colors::kCost, {}}, value{"value", colors::kValue, {}};
  Series incidents{"incidents opened", colors::kIncident, {}}, failed{"failed deploys", IM_COL32(200, 170, 80, 255), {}};
  Series asked{"approvals asked", colors::kApproval, {}}, denied{"denied + rate limited", IM_COL32(150, 150, 150, 255), {}};
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
  ImGui::TextDisabled("Wheel: zoom   drag: pan   double-click: reset   days %.0f to %.0f of %d",
                      std::max(0.0, range.first + 0.5), std::min<double>(days - 1, range.last - 0.5), days);
  const float h = std::max(110.0f, (ImGui::GetContentRegionAvail().y - 5 * 22) / 4);
  int hover = -1;
  ImGui::TextUnformatted("Tokens per day by purpose");
  hover = std::max(hover, DrawDayChart("##tokens", "tokens", {useful, overhead, performative},
                                       ChartStyle::kStackedBars, h, days, &range));
  ImGui::TextUnformatted("Token cost and value delivered per day");
  hover = std::max(hover, DrawDayChart("##money", "USD", {cost, value}, ChartStyle::kLines, h, days, &range));
  ImGui::TextUnformatted("Incidents and failed deploys per day");
  hover = std::max(hover, DrawDayChart("##incidents", "count", {incidents, failed}, ChartStyle::kLines, h, days, &range));
  ImGui::TextUnformatted("Approvals asked (agents' actions waiting for a person) and refusals per day");
  hover = std::max(hover, DrawDayChart("##gate", "actions", {asked, denied}, ChartStyle::kLines, h, days, &range));
  hover_day = hover;
}

}  // namespace clawsim::viz
