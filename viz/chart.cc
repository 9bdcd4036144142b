#include "viz/chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "viz/format.h"
#include "viz/theme.h"

namespace clawsim::viz {
namespace {

// A "nice" tick step near span / 5.
double NiceStep(double span) {
  if (!(span > 0)) return 1;
  const double raw = span / 5;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  const double m = raw / p;
  return p * (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10);
}


std::string AxisLabel(double v, ValueKind kind) { return FormatTick(v, kind == ValueKind::kUsd); }

double At(const Series& s, int d) { return d < static_cast<int>(s.values.size()) ? s.values[d] : 0; }

}  // namespace

int DrawDayChart(const char* id, const char* unit, const std::vector<Series>& series, ChartStyle style, float height,
                 int days, DayRange* range, ValueKind kind) {
  if (!range->initialised) range->Reset(days);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float line = ImGui::GetTextLineHeight();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float width = std::max(100.0f, ImGui::GetContentRegionAvail().x);
  ImGui::InvisibleButton(id, ImVec2(width, height));
  const bool hovered = ImGui::IsItemHovered();
  // The y range: stacked sums or the largest single value over the visible days (computed
  // below, after zooming); the left margin fits the widest tick label.
  const float label_w_guess = ImGui::CalcTextSize(kind == ValueKind::kUsd ? "$888.8 k" : "888.8 M").x + 8;
  // The legend's lines above the plot: as many as its entries need at this width.
  std::vector<ImVec2> legend_at;
  {
    float lx = origin.x + label_w_guess, ly = origin.y;
    for (const Series& s : series) {
      const float w = 24 + ImGui::CalcTextSize(s.name.c_str()).x;
      if (lx + w > origin.x + width && lx > origin.x + label_w_guess) lx = origin.x + label_w_guess, ly += line + 2;
      legend_at.push_back(ImVec2(lx, ly));
      lx += w;
    }
  }
  const float legend_h = (legend_at.empty() ? 0 : legend_at.back().y - origin.y) + line + 6;
  const ImVec2 p0(origin.x + label_w_guess, origin.y + legend_h);
  const ImVec2 p1(origin.x + width - 8, origin.y + height - line - 6);  // the day axis below
  const float plot_w = p1.x - p0.x;

  // Zoom around the mouse with the wheel; pan by dragging.
  const ImGuiIO& io = ImGui::GetIO();
  const double span = range->last - range->first;
  auto day_at = [&](float x) { return range->first + (x - p0.x) / plot_w * (range->last - range->first); };
  if (hovered && io.MouseWheel != 0) {
    const double at = day_at(io.MousePos.x);
    const double factor = io.MouseWheel > 0 ? 0.8 : 1.25;
    double first = at - (at - range->first) * factor, last = at + (range->last - at) * factor;
    if (last - first < 2) last = first + 2;
    range->first = std::max(-0.5, first);
    range->last = std::min(days - 0.5, last);
  }
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
    double shift = -io.MouseDelta.x / plot_w * span;
    shift = std::clamp(shift, -0.5 - range->first, days - 0.5 - range->last);
    range->first += shift;
    range->last += shift;
  }
  if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) range->Reset(days);

  // The y range: stacked sums or the largest single value over the visible days.
  const int d0 = std::max(0, static_cast<int>(std::ceil(range->first)));
  const int d1 = std::min(days - 1, static_cast<int>(std::floor(range->last)));
  double ymax = 0;
  for (int d = d0; d <= d1; ++d) {
    double sum = 0;
    for (const Series& s : series) {
      const double v = At(s, d);
      sum += v;
      ymax = std::max(ymax, style == ChartStyle::kStackedBars ? sum : v);
    }
  }
  if (ymax <= 0) ymax = 1;
  const double step = NiceStep(ymax);
  ymax = std::ceil(ymax / step) * step;
  auto y_of = [&](double v) { return p1.y - static_cast<float>(v / ymax) * (p1.y - p0.y); };
  auto x_of = [&](double day) { return p0.x + static_cast<float>((day - range->first) / (range->last - range->first)) * plot_w; };

  // Grid and axes.
  dl->AddRectFilled(p0, p1, IM_COL32(255, 255, 255, 8));
  // Y ticks, right-aligned against the plot; skipped where they would touch the one above.
  float last_y = 1e9f;
  for (double v = 0; v <= ymax + step / 2; v += step) {
    const float y = y_of(v);
    dl->AddLine(ImVec2(p0.x, y), ImVec2(p1.x, y), colors::kGrid);
    if (last_y - y < line) continue;
    last_y = y;
    const std::string label = AxisLabel(v, kind);
    const float tw = ImGui::CalcTextSize(label.c_str()).x;
    dl->AddText(ImVec2(p0.x - 4 - tw, y - line / 2), colors::kAxisText, label.c_str());
  }
  // The unit above the y axis, left of the legend; "day" under the x axis.
  dl->AddText(ImVec2(origin.x, origin.y), colors::kAxisText, unit);
  dl->AddText(ImVec2(origin.x, p1.y + 3), colors::kAxisText, "day");
  // X ticks: a step of 1, 2, 5, 10... days that leaves room for the widest label.
  const float label_px = ImGui::CalcTextSize("000").x + 12;
  const double px_per_day = plot_w / (range->last - range->first);
  int day_step = 1;
  for (int candidate : {1, 2, 5, 7, 10, 14, 20, 50, 100, 200, 500}) {
    day_step = candidate;
    if (candidate * px_per_day >= label_px) break;
  }
  for (int d = d0; d <= d1; ++d) {
    if (d % day_step != 0) continue;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%d", d);
    const float tw = ImGui::CalcTextSize(buf).x;
    dl->AddLine(ImVec2(x_of(d), p1.y), ImVec2(x_of(d), p1.y + 3), colors::kAxisText);
    dl->AddText(ImVec2(x_of(d) - tw / 2, p1.y + 3), colors::kAxisText, buf);
  }

  dl->PushClipRect(p0, p1, true);
  const float bar_w = std::max(1.0f, plot_w / static_cast<float>(range->last - range->first) * 0.8f);
  for (int d = d0; d <= d1; ++d) {
    double base = 0;
    for (size_t k = 0; k < series.size(); ++k) {
      const Series& s = series[k];
      if (d >= static_cast<int>(s.values.size())) continue;  // the series has ended
      const double v = s.values[d];
      if (style == ChartStyle::kStackedBars) {
        const float x = x_of(d);
        dl->AddRectFilled(ImVec2(x - bar_w / 2, y_of(base + v)), ImVec2(x + bar_w / 2, y_of(base)), s.color);
        base += v;
      } else if (d > d0 || d > 0) {
        const int prev = std::max(0, d - 1);
        const double pv = s.values[prev];
        if (d > 0) dl->AddLine(ImVec2(x_of(prev), y_of(pv)), ImVec2(x_of(d), y_of(v)), s.color, 2.0f);
        dl->AddCircleFilled(ImVec2(x_of(d), y_of(v)), 2.5f, s.color);
      } else {
        dl->AddCircleFilled(ImVec2(x_of(d), y_of(v)), 2.5f, s.color);
      }
    }
  }
  dl->PopClipRect();

  // Hover read-out: a cursor line and the day's values.
  int hover_day = -1;
  if (hovered) {
    const double at = day_at(io.MousePos.x);
    const int d = static_cast<int>(std::lround(at));
    if (d >= 0 && d < days) {
      hover_day = d;
      dl->AddLine(ImVec2(x_of(d), p0.y), ImVec2(x_of(d), p1.y), IM_COL32(255, 255, 255, 120));
      ImGui::BeginTooltip();
      ImGui::Text("day %d", d);
      for (const Series& s : series) {
        const ImVec4 c = ImGui::ColorConvertU32ToFloat4(s.color);
        if (d >= static_cast<int>(s.values.size())) {
          ImGui::TextColored(c, "%s: no data (the run ended)", s.name.c_str());
        } else if (kind == ValueKind::kUsd) {
          ImGui::TextColored(c, "%s: %s", s.name.c_str(), FormatUsd(s.values[d]).c_str());
        } else {
          ImGui::TextColored(c, "%s: %s", s.name.c_str(), FormatAmount(s.values[d], unit).c_str());
        }
      }
      ImGui::EndTooltip();
    }
  }
  // Legend, on the lines above the plot.
  for (size_t k = 0; k < series.size(); ++k) {
    const ImVec2 at = legend_at[k];
    dl->AddRectFilled(ImVec2(at.x, at.y + 3), ImVec2(at.x + 10, at.y + 13), series[k].color);
    dl->AddText(ImVec2(at.x + 13, at.y), IM_COL32(230, 230, 230, 255), series[k].name.c_str());
  }
  return hover_day;
}

}  // namespace clawsim::viz
