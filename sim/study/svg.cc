#include "sim/study/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace clawsim::study {
namespace {

std::string F(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

}  // namespace

std::string XmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

Svg::Svg(double width_px, double height_px) : width_px_(width_px), height_px_(height_px) {}

void Svg::Line(double x1, double y1, double x2, double y2, const std::string& stroke, double width_px) {
  body_ += "<line x1=\"" + F(x1) + "\" y1=\"" + F(y1) + "\" x2=\"" + F(x2) + "\" y2=\"" + F(y2) + "\" stroke=\"" +
           stroke + "\" stroke-width=\"" + F(width_px) + "\"/>\n";
}

void Svg::Rect(double x, double y, double w, double h, const std::string& fill, const std::string& stroke) {
  body_ += "<rect x=\"" + F(x) + "\" y=\"" + F(y) + "\" width=\"" + F(std::max(0.0, w)) + "\" height=\"" +
           F(std::max(0.0, h)) + "\" fill=\"" + fill + "\" stroke=\"" + stroke + "\"/>\n";
}

void Svg::Circle(double cx, double cy, double r, const std::string& fill, const std::string& stroke) {
  body_ += "<circle cx=\"" + F(cx) + "\" cy=\"" + F(cy) + "\" r=\"" + F(r) + "\" fill=\"" + fill + "\" stroke=\"" +
           stroke + "\"/>\n";
}

void Svg::Text(double x, double y, const std::string& text, double size_px, const std::string& anchor,
               double rotate_deg, const std::string& fill) {
  body_ += "<text x=\"" + F(x) + "\" y=\"" + F(y) + "\" font-size=\"" + F(size_px) + "\" text-anchor=\"" + anchor +
           "\" fill=\"" + fill + "\"";
  if (rotate_deg != 0) body_ += " transform=\"rotate(" + F(rotate_deg) + " " + F(x) + " " + F(y) + ")\"";
  body_ += ">" + XmlEscape(text) + "</text>\n";
}

void Svg::Polyline(const std::vector<std::pair<double, double>>& points, const std::string& stroke, double width_px,
                   bool dashed) {
  body_ += "<polyline fill=\"none\" stroke=\"" + stroke + "\" stroke-width=\"" + F(width_px) + "\"";
  if (dashed) body_ += " stroke-dasharray=\"6 4\"";
  body_ += " points=\"";
  for (size_t i = 0; i < points.size(); ++i) body_ += (i == 0 ? "" : " ") + F(points[i].first) + "," + F(points[i].second);
  body_ += "\"/>\n";
}

std::string Svg::Finish() const {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + F(width_px_) + "\" height=\"" + F(height_px_) +
         "\" viewBox=\"0 0 " + F(width_px_) + " " + F(height_px_) +
         "\" font-family=\"sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + body_ + "</svg>\n";
}

std::vector<double> NiceTicks(double lo, double hi, int count) {
  if (!(hi > lo)) return {lo};
  const double raw = (hi - lo) / std::max(1, count);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * mag;
    if (step >= raw) break;
  }
  std::vector<double> ticks;
  for (double t = std::floor(lo / step) * step; t <= hi + step * 1e-9; t += step) {
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
    if (ticks.size() > 50) break;
  }
  return ticks;
}

std::string TickLabel(double v) {
  char buf[32];
  const double a = std::abs(v);
  if (a >= 1e9) {
    std::snprintf(buf, sizeof buf, "%gG", v / 1e9);
  } else if (a >= 1e6) {
    std::snprintf(buf, sizeof buf, "%gM", v / 1e6);
  } else if (a >= 1e4) {
    std::snprintf(buf, sizeof buf, "%gk", v / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%g", v);
  }
  return buf;
}

double TextWidth(const std::string& text, double size_px) {
  size_t chars = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80;  // UTF-8 characters, not bytes
  return 0.62 * size_px * static_cast<double>(chars);
}

void AxisRange(double* lo, double* hi, double floor) {
  if (!std::isfinite(*lo) || !std::isfinite(*hi)) *lo = std::max(0.0, floor), *hi = *lo + 1;
  if (*hi <= *lo) {
    const double pad = *lo == 0 ? 1 : std::abs(*lo) * 0.1;
    *lo -= pad;
    *hi += pad;
  } else {
    const double pad = (*hi - *lo) * 0.08;
    if (floor == 0 && *lo >= 0 && *lo <= *hi - *lo) *lo = 0;  // near zero: start the axis there
    *lo -= *lo == 0 ? 0 : pad;
    *hi += pad;
  }
  *lo = std::max(*lo, floor);
  if (*hi <= *lo) *hi = *lo + 1;
  const std::vector<double> t = NiceTicks(*lo, *hi);
  const double step = t.size() > 1 ? t[1] - t[0] : 1;
  *lo = std::max(std::floor(*lo / step) * step, floor);
  *hi = std::ceil(*hi / step) * step;
}

Chart::Chart(const std::string& title, const std::string& x_label, const std::string& y_label, double x_lo,
             double x_hi, double y_lo, double y_hi, double width_px, double height_px, double bottom_margin_px,
             double x_floor, double y_floor)
    : svg_(width_px, height_px), left_(80), right_(width_px - 30), top_(40), bottom_(height_px - bottom_margin_px) {
  AxisRange(&x_lo, &x_hi, x_floor);
  AxisRange(&y_lo, &y_hi, y_floor);
  x_lo_ = x_lo, x_hi_ = x_hi, y_lo_ = y_lo, y_hi_ = y_hi;
  svg_.Text(width_px / 2, 22, title, 15, "middle");
  svg_.Rect(left_, top_, right_ - left_, bottom_ - top_, "none", "#888");
  for (double t : NiceTicks(x_lo_, x_hi_)) {
    if (t < x_lo_ || t > x_hi_ || x_label.empty()) continue;
    svg_.Line(X(t), bottom_, X(t), bottom_ + 5, "#888");
    svg_.Line(X(t), top_, X(t), bottom_, "#eee");
    svg_.Text(X(t), bottom_ + 18, TickLabel(t), 11, "middle");
  }
  for (double t : NiceTicks(y_lo_, y_hi_)) {
    if (t < y_lo_ || t > y_hi_) continue;
    svg_.Line(left_ - 5, Y(t), left_, Y(t), "#888");
    svg_.Line(left_, Y(t), right_, Y(t), "#eee");
    svg_.Text(left_ - 8, Y(t) + 4, TickLabel(t), 11, "end");
  }
  svg_.Text((left_ + right_) / 2, height_px - 18, x_label, 12, "middle");
  svg_.Text(18, (top_ + bottom_) / 2, y_label, 12, "middle", -90);
}

bool LabelPlacer::Free(const Box& b, bool avoid_lines, bool nearest, double x, double y) const {
  if (b.x < left_ + 2 || b.y < top_ + 2 || b.x + b.w > right_ - 2 || b.y + b.h > bottom_ - 2) return false;
  auto hit = [&](const Box& o) { return b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h; };
  for (const Box& o : obstacles_) {
    if (hit(o)) return false;
  }
  for (const Box& o : placed_) {
    if (hit(o)) return false;
  }
  if (avoid_lines) {
    for (const Box& o : soft_) {
      if (hit(o)) return false;
    }
  }
  if (nearest) {
    auto distance = [&](double px, double py) {
      const double dx = std::max({b.x - px, 0.0, px - (b.x + b.w)}), dy = std::max({b.y - py, 0.0, py - (b.y + b.h)});
      return std::hypot(dx, dy);
    };
    const double own = distance(x, y);
    for (const auto& [px, py] : points_) {
      if ((px != x || py != y) && distance(px, py) < own) return false;
    }
  }
  return true;
}

void LabelPlacer::Place(Svg* svg, double x, double y, const std::string& text, double size_px) {
  std::vector<std::string> lines;
  for (size_t from = 0;;) {
    const size_t nl = text.find('\n', from);
    lines.push_back(text.substr(from, nl == std::string::npos ? std::string::npos : nl - from));
    if (nl == std::string::npos) break;
    from = nl + 1;
  }
  double w = 0;
  for (const std::string& l : lines) w = std::max(w, TextWidth(l, size_px));
  const double line_h = size_px * 1.2, h = line_h * static_cast<double>(lines.size());
  // Candidate top-left corners: beside the point first, then on rings further out.
  std::vector<Box> candidates = {{x + 7, y - h - 2, w, h}, {x + 7, y + 2, w, h}, {x - 7 - w, y - h - 2, w, h},
                                 {x - 7 - w, y + 2, w, h}, {x - w / 2, y - h - 7, w, h}, {x - w / 2, y + 7, w, h}};
  const size_t beside = candidates.size();
  for (int ring = 1; ring <= 8; ++ring) {
    const double d = 14.0 * ring + 10;
    for (int k = 0; k < 12; ++k) {
      const double a = k * 3.14159265358979 / 6;
      const double cx = x + d * std::cos(a), cy = y - d * std::sin(a);
      candidates.push_back({cx >= x ? cx : cx - w, cy - h / 2, w, h});
    }
  }
  // Clear of interval bars too if possible; else clear of points and labels only.
  // Nearest to its own point and clear of interval bars if possible, then relaxing the bars,
  // then the nearness.
  size_t chosen = candidates.size();
  for (const auto& [avoid_lines, nearest] : {std::pair{true, true}, std::pair{false, true}, std::pair{false, false}}) {
    for (size_t i = 0; i < candidates.size() && chosen == candidates.size(); ++i) {
      if (Free(candidates[i], avoid_lines, nearest, x, y)) chosen = i;
    }
  }
  if (chosen == candidates.size()) {
    ++overlapping_;
    chosen = 0;
  }
  const Box& b = candidates[chosen];
  if (chosen >= beside) {
    const double tx = b.x + w / 2 < x ? b.x + w : b.x;  // the label's near end
    svg->Line(x, y, tx, b.y + h / 2, "#999", 0.8);
  }
  for (size_t i = 0; i < lines.size(); ++i) svg->Text(b.x, b.y + line_h * (static_cast<double>(i) + 0.8), lines[i], size_px);
  placed_.push_back(b);
}

std::string IntervalRowsChart(const std::string& title, const std::string& axis_label, const std::vector<RowInterval>& rows,
                              double floor) {
  double name_w = 0;
  double lo = INFINITY, hi = -INFINITY;
  for (const RowInterval& r : rows) {
    name_w = std::max(name_w, TextWidth(r.name + (r.note.empty() ? "" : "  " + r.note), 12));
    if (!r.valid) continue;
    lo = std::min(lo, r.lo), hi = std::max(hi, r.hi);
  }
  AxisRange(&lo, &hi, floor);
  const double row_h = 26, left = 20 + name_w, top = 44;
  const double width = std::max(640.0, left + 420), right = width - 30;
  const double bottom = top + row_h * static_cast<double>(std::max<size_t>(1, rows.size()));
  Svg svg(width, bottom + 56);
  svg.Text(width / 2, 22, title, 15, "middle");
  auto X = [&](double v) { return left + (v - lo) / (hi - lo) * (right - left); };
  svg.Rect(left, top, right - left, bottom - top, "none", "#888");
  for (double t : NiceTicks(lo, hi)) {
    if (t < lo || t > hi) continue;
    svg.Line(X(t), top, X(t), bottom, "#eee");
    svg.Line(X(t), bottom, X(t), bottom + 5, "#888");
    svg.Text(X(t), bottom + 18, TickLabel(t), 11, "middle");
  }
  if (lo < 0 && hi > 0) svg.Line(X(0), top, X(0), bottom, "#888", 1);
  svg.Text((left + right) / 2, bottom + 40, axis_label, 12, "middle");
  for (size_t i = 0; i < rows.size(); ++i) {
    const RowInterval& r = rows[i];
    const double y = top + row_h * (static_cast<double>(i) + 0.5);
    const std::string color = r.highlight ? "#c0392b" : "#1f4e8c";
    svg.Text(left - 8, y + 4, r.name + (r.note.empty() ? "" : "  " + r.note), 12, "end", 0, r.highlight ? color : "#222");
    if (!r.valid) {
      svg.Text(left + 8, y + 4, "n/a", 11, "start", 0, "#888");
      continue;
    }
    svg.Line(X(r.lo), y, X(r.hi), y, color, 2);
    svg.Line(X(r.lo), y - 5, X(r.lo), y + 5, color, 2);
    svg.Line(X(r.hi), y - 5, X(r.hi), y + 5, color, 2);
    svg.Circle(X(r.mean), y, 4.5, color);
  }
  return svg.Finish();
}

double Chart::X(double v) const { return left_ + (v - x_lo_) / (x_hi_ - x_lo_) * (right_ - left_); }
double Chart::Y(double v) const { return bottom_ - (v - y_lo_) / (y_hi_ - y_lo_) * (bottom_ - top_); }

}  // namespace clawsim::study
