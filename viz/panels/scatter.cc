#include "viz/panels/scatter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "viz/format.h"
#include "viz/theme.h"

namespace clawsim::viz {
namespace {

double TotalTokens(const proto::EmployeeRow& e) {
  const proto::TokensByPurpose& p = e.tokens_by_purpose();
  double t = 0;
  for (const proto::TokenTally* x : {&p.useful(), &p.overhead(), &p.performative()}) {
    t += static_cast<double>(x->input_tokens() + x->output_tokens());
  }
  return t;
}

double Performative(const proto::EmployeeRow& e) {
  const proto::TokenTally& p = e.tokens_by_purpose().performative();
  const double total = TotalTokens(e);
  return total > 0 ? static_cast<double>(p.input_tokens() + p.output_tokens()) / total : 0;
}

}  // namespace

bool ScatterPanel::PointOf(const RunData& run, int64_t employee_id, ImVec2* out) const {
  for (size_t i = 0; i < run.employees.size() && i < last_positions.size(); ++i) {
    if (run.employees[i].employee_id() == employee_id && !std::isnan(last_positions[i].x)) {
      *out = last_positions[i];
      return true;
    }
  }
  return false;
}

void ScatterPanel::Draw(const RunData& run, ViewState& state) {
  std::vector<double> x, y;
  for (const proto::EmployeeRow& e : run.employees) {
    x.push_back(TotalTokens(e));
    y.push_back(e.value_usd());
  }
  if (fitted_for != &run) {
    fit = FitLogLog(x, y);
    fitted_for = &run;
  }
  if (fit.ok()) {
    ImGui::Text("Elasticity %.3f: 1%% more tokens goes with %.3f%% more value (log-log least squares, r^2 %.2f, %d "
                "employees)",
                fit.slope, fit.slope, fit.r2, fit.points);
  } else {
    ImGui::TextDisabled("Too few employees with both tokens and value for a fit.");
  }
  ImGui::TextDisabled("Colour: share of performative tokens (green none, orange all). Click a point to select.");

  // Axis ranges in decades, padded.
  double lx0 = 1e300, lx1 = -1e300, ly0 = 1e300, ly1 = -1e300;
  for (size_t i = 0; i < x.size(); ++i) {
    if (x[i] <= 0 || y[i] <= 0) continue;
    lx0 = std::min(lx0, std::log10(x[i]));
    lx1 = std::max(lx1, std::log10(x[i]));
    ly0 = std::min(ly0, std::log10(y[i]));
    ly1 = std::max(ly1, std::log10(y[i]));
  }
  if (lx0 > lx1) {
    lx0 = 0, lx1 = 1, ly0 = 0, ly1 = 1;
  }
  lx0 = std::floor(lx0 - 0.05), lx1 = std::ceil(lx1 + 0.05), ly0 = std::floor(ly0 - 0.05), ly1 = std::ceil(ly1 + 0.05);

  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 size = ImGui::GetContentRegionAvail();
  ImGui::InvisibleButton("##scatter", ImVec2(std::max(size.x, 100.0f), std::max(size.y, 100.0f)));
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
  const ImVec2 p0(origin.x + 60, origin.y + 8);
  const ImVec2 p1(origin.x + std::max(size.x, 100.0f) - 10, origin.y + std::max(size.y, 100.0f) - 36);
  auto sx = [&](double lx) { return p0.x + static_cast<float>((lx - lx0) / (lx1 - lx0)) * (p1.x - p0.x); };
  auto sy = [&](double ly) { return p1.y - static_cast<float>((ly - ly0) / (ly1 - ly0)) * (p1.y - p0.y); };

  dl->AddRectFilled(p0, p1, IM_COL32(255, 255, 255, 8));
  for (double d = lx0; d <= lx1 + 1e-9; d += 1) {
    dl->AddLine(ImVec2(sx(d), p0.y), ImVec2(sx(d), p1.y), colors::kGrid);
    char buf[16];
    std::snprintf(buf, sizeof buf, "1e%.0f", d);
    dl->AddText(ImVec2(sx(d) - 10, p1.y + 3), colors::kAxisText, buf);
  }
  for (double d = ly0; d <= ly1 + 1e-9; d += 1) {
    dl->AddLine(ImVec2(p0.x, sy(d)), ImVec2(p1.x, sy(d)), colors::kGrid);
    char buf[16];
    std::snprintf(buf, sizeof buf, "$1e%.0f", d);
    dl->AddText(ImVec2(origin.x + 2, sy(d) - 7), colors::kAxisText, buf);
  }
  dl->AddText(ImVec2((p0.x + p1.x) / 2 - 60, p1.y + 18), colors::kAxisText, "tokens (log scale)");
  dl->AddText(ImVec2(p0.x + 4, p0.y + 2), colors::kAxisText, "value delivered, USD (log scale)");

  dl->PushClipRect(p0, p1, true);
  if (fit.ok()) {
    dl->AddLine(ImVec2(sx(lx0), sy(fit.intercept + fit.slope * lx0)), ImVec2(sx(lx1), sy(fit.intercept + fit.slope * lx1)),
                IM_COL32(255, 255, 255, 160), 2.0f);
  }
  last_positions.assign(run.employees.size(), ImVec2(std::numeric_limits<float>::quiet_NaN(), 0));
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  int nearest = -1;
  float nearest_d2 = 8 * 8;
  for (size_t i = 0; i < x.size(); ++i) {
    if (x[i] <= 0 || y[i] <= 0) continue;
    const ImVec2 p(sx(std::log10(x[i])), sy(std::log10(y[i])));
    last_positions[i] = p;
    const float share = static_cast<float>(Performative(run.employees[i]));
    const ImU32 c = ImGui::ColorConvertFloat4ToU32(ImVec4(0.35f + 0.55f * share, 0.75f - 0.3f * share, 0.4f - 0.2f * share, 0.85f));
    dl->AddCircleFilled(p, 3.5f, c);
    const float dx = p.x - mouse.x, dy = p.y - mouse.y;
    if (dx * dx + dy * dy < nearest_d2) {
      nearest_d2 = dx * dx + dy * dy;
      nearest = static_cast<int>(i);
    }
  }
  ImVec2 sel;
  if (PointOf(run, state.selected_employee, &sel)) {
    dl->AddCircle(sel, 7.0f, colors::kSelection, 0, 2.0f);
  }
  dl->PopClipRect();

  if (hovered && nearest >= 0) {
    const proto::EmployeeRow& e = run.employees[nearest];
    dl->AddCircle(last_positions[nearest], 5.0f, IM_COL32(255, 255, 255, 180));
    ImGui::BeginTooltip();
    ImGui::Text("%s (%s, %s)", e.name().c_str(), e.team().c_str(), e.role().c_str());
    ImGui::Text("tokens %s, value %s", FormatCount(x[nearest]).c_str(), FormatUsd(y[nearest]).c_str());
    ImGui::Text("performative %.0f%%", 100 * Performative(e));
    ImGui::EndTooltip();
  }
  if (clicked && nearest >= 0) state.selected_employee = run.employees[nearest].employee_id();
}

}  // namespace clawsim::viz
