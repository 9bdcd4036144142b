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

// Colours by role: the populations the fit mixes.
ImU32 RoleColor(const std::string& role) {
  if (role == "developer") return IM_COL32(90, 160, 230, 210);
  if (role == "manager") return IM_COL32(200, 130, 230, 210);
  return IM_COL32(170, 170, 150, 210);
}

// Ticks at 1, 2 and 5 times each power of ten inside [lo, hi] (log10 values); labels through
// `format`, skipped where they would touch the previous one (`along` maps a log value to pixels).
template <typename Format, typename Along>
void LogTicks(double lo, double hi, Format format, Along along, float min_gap,
              std::vector<std::pair<float, std::string>>* out) {
  float last = -1e9f;
  for (double decade = std::floor(lo); decade <= hi; decade += 1) {
    for (double m : {1.0, 2.0, 5.0}) {
      const double lv = decade + std::log10(m);
      if (lv < lo || lv > hi) continue;
      const float px = along(lv);
      if (std::fabs(px - last) < min_gap) continue;
      last = px;
      out->push_back({px, format(std::pow(10.0, lv))});
    }
  }
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
  size_t drawn = 0;
  for (size_t i = 0; i < x.size(); ++i) drawn += x[i] > 0 && y[i] > 0;
  if (fit.ok()) {
    ImGui::Text("Elasticity %.3f: 1 %% more tokens goes with %.3f %% more value (log-log least squares, r^2 %.2f).",
                fit.slope, fit.slope, fit.r2);
  } else {
    ImGui::TextDisabled("Too few employees with both tokens and value for a fit.");
  }
  ImGui::TextDisabled("%zu of %zu employees drawn and fitted: the others spent no tokens or completed no valued work "
                      "(a log scale has no zero). Click a point to select.",
                      drawn, x.size());
  // Legend: roles, with how many of each are drawn.
  for (const char* role : {"developer", "manager", "other"}) {
    size_t n = 0;
    for (size_t i = 0; i < x.size(); ++i) n += x[i] > 0 && y[i] > 0 && run.employees[i].role() == role;
    if (role[0] != 'd') ImGui::SameLine();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(RoleColor(role)), "# %s (%zu)", role, n);
  }
  ImGui::SameLine();
  ImGui::TextDisabled("   white line: the fit");

  // Axis ranges: the data's, padded by a tenth of a decade.
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
  lx0 -= 0.1, lx1 += 0.1, ly0 -= 0.1, ly1 += 0.1;

  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 size = ImGui::GetContentRegionAvail();
  ImGui::InvisibleButton("##scatter", ImVec2(std::max(size.x, 100.0f), std::max(size.y, 100.0f)));
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
  const float line = ImGui::GetTextLineHeight();
  const ImVec2 p0(origin.x + ImGui::CalcTextSize("$888,888").x + 12, origin.y + line + 6);
  const ImVec2 p1(origin.x + std::max(size.x, 100.0f) - 10, origin.y + std::max(size.y, 100.0f) - 2 * line - 8);
  auto sx = [&](double lx) { return p0.x + static_cast<float>((lx - lx0) / (lx1 - lx0)) * (p1.x - p0.x); };
  auto sy = [&](double ly) { return p1.y - static_cast<float>((ly - ly0) / (ly1 - ly0)) * (p1.y - p0.y); };

  dl->AddRectFilled(p0, p1, IM_COL32(255, 255, 255, 8));
  std::vector<std::pair<float, std::string>> ticks;
  LogTicks(lx0, lx1, [](double v) { return FormatTick(v, false); }, sx, ImGui::CalcTextSize("888 M").x + 14, &ticks);
  for (const auto& [px, label] : ticks) {
    dl->AddLine(ImVec2(px, p0.y), ImVec2(px, p1.y), colors::kGrid);
    dl->AddText(ImVec2(px - ImGui::CalcTextSize(label.c_str()).x / 2, p1.y + 3), colors::kAxisText, label.c_str());
  }
  ticks.clear();
  LogTicks(ly0, ly1, [](double v) { return FormatTick(v, true); }, sy, line + 4, &ticks);
  for (const auto& [py, label] : ticks) {
    dl->AddLine(ImVec2(p0.x, py), ImVec2(p1.x, py), colors::kGrid);
    dl->AddText(ImVec2(p0.x - 6 - ImGui::CalcTextSize(label.c_str()).x, py - line / 2), colors::kAxisText, label.c_str());
  }
  const char* x_title = "tokens over the run, per employee (log scale)";
  dl->AddText(ImVec2((p0.x + p1.x - ImGui::CalcTextSize(x_title).x) / 2, p1.y + line + 5), colors::kAxisText, x_title);
  dl->AddText(ImVec2(p0.x, origin.y), colors::kAxisText, "value delivered over the run, USD (log scale)");

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
    dl->AddCircleFilled(p, 3.5f, RoleColor(run.employees[i].role()));
    const float dx = p.x - mouse.x, dy = p.y - mouse.y;
    if (dx * dx + dy * dy < nearest_d2) {
      nearest_d2 = dx * dx + dy * dy;
      nearest = static_cast<int>(i);
    }
  }
  ImVec2 sel;
  const bool has_sel = PointOf(run, state.selected_employee, &sel);
  if (has_sel) dl->AddCircle(sel, 7.0f, colors::kSelection, 0, 2.0f);
  dl->PopClipRect();
  if (has_sel) {
    // The selected point's name, on the side of the point with room for it.
    const std::string& name = RunData::Name(run.header.employee_names(), static_cast<uint32_t>(state.selected_employee));
    const float tw = ImGui::CalcTextSize(name.c_str()).x;
    const float tx = sel.x + 10 + tw < p1.x ? sel.x + 10 : sel.x - 10 - tw;
    dl->AddRectFilled(ImVec2(tx - 2, sel.y - line / 2 - 1), ImVec2(tx + tw + 2, sel.y + line / 2 + 1), IM_COL32(20, 20, 20, 200));
    dl->AddText(ImVec2(tx, sel.y - line / 2), colors::kSelection, name.c_str());
  }

  if (hovered && nearest >= 0) {
    const proto::EmployeeRow& e = run.employees[nearest];
    dl->AddCircle(last_positions[nearest], 5.0f, IM_COL32(255, 255, 255, 180));
    ImGui::BeginTooltip();
    ImGui::Text("%s (%s, %s)", e.name().c_str(), e.team().c_str(), e.role().c_str());
    ImGui::Text("%s, value %s", FormatAmount(x[nearest], "tokens").c_str(), FormatUsd(y[nearest]).c_str());
    ImGui::Text("performative %s of tokens", FormatPercent(Performative(e)).c_str());
    ImGui::EndTooltip();
  }
  if (clicked && nearest >= 0) state.selected_employee = run.employees[nearest].employee_id();
}

}  // namespace clawsim::viz
