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

std::string AxisLabel(double v) {
  char buf[32];
  if (std::fabs(v) >= 1e9) {
    std::snprintf(buf, sizeof buf, "%.3gG", v / 1e9);
  } else if (std::fabs(v) >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.3gM", v / 1e6);
  } else if (std::fabs(v) >= 1e3) {
    std::snprintf(buf, sizeof buf, "%.3gk", v / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.3g", v);
  }
  return buf;
}

}  // namespace

int DrawDayChart(const char* id, const char* unit, const std::vector<Series>& series, ChartStyle style, float height,
                 int days, DayRange* range) {
  if (!range->initialised) range->Reset(days);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float label_w = 56;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float width = std::max(100.0f, ImGui::GetContentRegionAvail().x);
  ImGui::InvisibleButton(id, ImVec2(width, height));
  const bool hovered = ImGui::IsItemHovered();
  const ImVec2 p0(origin.x + label_w, origin.y + 4);
  const ImVec2 p1(origin.x + width - 4, origin.y + height - 18);
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
      const double v = d < static_cast<int>(s.values.size()) ? s.values[d] : 0;
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
  for (double v = 0; v <= ymax + step / 2; v += step) {
    const float y = y_of(v);
    dl->AddLine(ImVec2(p0.x, y), ImVec2(p1.x, y), colors::kGrid);
    const std::string label = AxisLabel(v);
    dl->AddText(ImVec2(origin.x, y - 7), colors::kAxisText, label.c_str());
  }
  dl->AddText(ImVec2(origin.x, origin.y + height - 16), colors::kAxisText, unit);
  const int day_step = std::max(1, static_cast<int>(NiceStep(d1 - d0 + 1)));
  for (int d = d0; d <= d1; ++d) {
    if (d % day_step != 0) continue;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%d", d);
    dl->AddText(ImVec2(x_of(d) - 4, p1.y + 2), colors::kAxisText, buf);
  }

  dl->PushClipRect(p0, p1, true);
  const float bar_w = std::max(1.0f, plot_w / static_cast<float>(range->last - range->first) * 0.8f);
  for (int d = d0; d <= d1; ++d) {
    double base = 0;
    for (size_t k = 0; k < series.size(); ++k) {
      const Series& s = series[k];
      const double v = d < static_cast<int>(s.values.size()) ? s.values[d] : 0;
      if (style == ChartStyle::kStackedBars) {
        const float x = x_of(d);
        dl->AddRectFilled(ImVec2(x - bar_w / 2, y_of(base + v)), ImVec2(x + bar_w / 2, y_of(base)), s.color);
        base += v;
      } else if (d > d0 || d > 0) {
        const int prev = std::max(0, d - 1);
        const double pv = prev < static_cast<int>(s.values.size()) ? s.values[prev] : 0;
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
        const double v = d < static_cast<int>(s.values.size()) ? s.values[d] : 0;
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(s.color), "%s: %s %s", s.name.c_str(),
                           FormatCount(v).c_str(), unit);
      }
      ImGui::EndTooltip();
    }
  }
  // Legend.
  float lx = p0.x + 4;
  for (const Series& s : series) {
    dl->AddRectFilled(ImVec2(lx, p0.y + 4), ImVec2(lx + 10, p0.y + 14), s.color);
    dl->AddText(ImVec2(lx + 13, p0.y + 1), IM_COL32(230, 230, 230, 255), s.name.c_str());
    lx += 20 + ImGui::CalcTextSize(s.name.c_str()).x;
  }
  return hover_day;
}

}  // namespace clawsim::viz
