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

Chart::Chart(const std::string& title, const std::string& x_label, const std::string& y_label, double x_lo,
             double x_hi, double y_lo, double y_hi, double width_px, double height_px, double bottom_margin_px)
    : svg_(width_px, height_px), left_(80), right_(width_px - 30), top_(40), bottom_(height_px - bottom_margin_px) {
  auto widen = [](double* lo, double* hi) {
    if (!std::isfinite(*lo) || !std::isfinite(*hi)) *lo = 0, *hi = 1;
    if (*hi <= *lo) {
      const double pad = *lo == 0 ? 1 : std::abs(*lo) * 0.1;
      *lo -= pad;
      *hi += pad;
    } else {
      const double pad = (*hi - *lo) * 0.08;
      *lo -= pad;
      *hi += pad;
    }
    const std::vector<double> t = NiceTicks(*lo, *hi);
    const double step = t.size() > 1 ? t[1] - t[0] : 1;
    *lo = std::floor(*lo / step) * step;
    *hi = std::ceil(*hi / step) * step;
  };
  widen(&x_lo, &x_hi);
  widen(&y_lo, &y_hi);
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

double Chart::X(double v) const { return left_ + (v - x_lo_) / (x_hi_ - x_lo_) * (right_ - left_); }
double Chart::Y(double v) const { return bottom_ - (v - y_lo_) / (y_hi_ - y_lo_) * (bottom_ - top_); }

}  // namespace clawsim::study
