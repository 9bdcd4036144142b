// A small SVG writer for the study report's charts: a canvas with lines, rectangles,
// circles and text, and a Chart that maps data coordinates onto a plot area with axes,
// "nice" ticks and labels. Output is deterministic text (fixed two-decimal coordinates).
#pragma once

#include <string>
#include <vector>

namespace clawsim::study {

class Svg {
 public:
  Svg(double width_px, double height_px);
  void Line(double x1, double y1, double x2, double y2, const std::string& stroke, double width_px = 1);
  void Rect(double x, double y, double w, double h, const std::string& fill, const std::string& stroke = "none");
  void Circle(double cx, double cy, double r, const std::string& fill, const std::string& stroke = "none");
  // anchor: "start", "middle" or "end"; rotate_deg turns the text about its anchor point.
  void Text(double x, double y, const std::string& text, double size_px = 12, const std::string& anchor = "start",
            double rotate_deg = 0, const std::string& fill = "#222");
  void Polyline(const std::vector<std::pair<double, double>>& points, const std::string& stroke, double width_px = 1,
                bool dashed = false);
  std::string Finish() const;  // the whole document

 private:
  double width_px_;
  double height_px_;
  std::string body_;
};

// "Nice" tick values covering [lo, hi] (about `count` of them: steps of 1, 2 or 5 x 10^k).
std::vector<double> NiceTicks(double lo, double hi, int count = 5);
// A tick label: short, with thousands as "k" and millions as "M".
std::string TickLabel(double v);

// A plot area with axes. Data ranges are widened to nice ticks; an empty or zero-width
// range becomes a unit range around its value. An empty x_label means a categorical x axis
// (no x ticks; the caller labels it).
class Chart {
 public:
  Chart(const std::string& title, const std::string& x_label, const std::string& y_label, double x_lo, double x_hi,
        double y_lo, double y_hi, double width_px = 640, double height_px = 420, double bottom_margin_px = 60);
  double X(double v) const;  // data to pixels
  double Y(double v) const;
  Svg& svg() { return svg_; }
  double plot_left() const { return left_; }
  double plot_right() const { return right_; }
  double plot_top() const { return top_; }
  double plot_bottom() const { return bottom_; }
  std::string Finish() const { return svg_.Finish(); }

 private:
  Svg svg_;
  double left_, right_, top_, bottom_;
  double x_lo_, x_hi_, y_lo_, y_hi_;
};

// Escapes &, <, > and quotes for SVG text and attributes.
std::string XmlEscape(const std::string& text);

}  // namespace clawsim::study
