// A small SVG writer for the study report's charts: a canvas with lines, rectangles,
// circles and text, and a Chart that maps data coordinates onto a plot area with axes,
// "nice" ticks and labels. Output is deterministic text (fixed two-decimal coordinates).
#pragma once

#include <algorithm>
#include <cmath>
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

// The width of `text` at `size_px` in the charts' sans-serif font, estimated generously
// (0.62 em a character), for layout.
double TextWidth(const std::string& text, double size_px);

// A data range for an axis, widened to nice ticks and never below `floor` (0 for a measure
// that cannot be negative). When the floor is 0 and the data reach within one range's width
// of it, the axis starts at 0, so that bars and distances read true.
void AxisRange(double* lo, double* hi, double floor);

// A plot area with axes. Data ranges are widened to nice ticks (AxisRange); an empty or
// zero-width range becomes a unit range around its value. An empty x_label means a
// categorical x axis (no x ticks; the caller labels it).
class Chart {
 public:
  Chart(const std::string& title, const std::string& x_label, const std::string& y_label, double x_lo, double x_hi,
        double y_lo, double y_hi, double width_px = 640, double height_px = 420, double bottom_margin_px = 60,
        double x_floor = -1e308, double y_floor = -1e308);
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

// Places point labels so that they overlap neither each other nor the points, inside the
// plot area: beside the point if there is room (right, left, above, below), else further out
// with a thin leader line back to the point. Greedy, in the order labels are placed.
class LabelPlacer {
 public:
  struct Box {
    double x, y, w, h;  // top-left corner and size, in pixels
  };
  LabelPlacer(double left, double top, double right, double bottom) : left_(left), top_(top), right_(right), bottom_(bottom) {}
  // A point (marker of radius r) that labels must not cover.
  void AddPoint(double x, double y, double r) {
    obstacles_.push_back({x - r, y - r, 2 * r, 2 * r});
    points_.emplace_back(x, y);
  }
  // A horizontal or vertical line (an interval bar) that labels avoid where they can.
  void AddLine(double x1, double y1, double x2, double y2) {
    soft_.push_back({std::min(x1, x2) - 1, std::min(y1, y2) - 1, std::abs(x2 - x1) + 2, std::abs(y2 - y1) + 2});
  }
  // Draws `text` (lines separated by '\n') for the point at (x, y) into `svg`.
  void Place(Svg* svg, double x, double y, const std::string& text, double size_px = 11);
  const std::vector<Box>& placed() const { return placed_; }
  int overlapping() const { return overlapping_; }  // labels that found no free place

 private:
  // Whether `b` is inside the plot and clear of points, labels and (avoid_lines) bars, and
  // (nearest) no other point is closer to it than its own (x, y), so that it reads as that point's.
  bool Free(const Box& b, bool avoid_lines, bool nearest, double x, double y) const;
  double left_, top_, right_, bottom_;
  std::vector<Box> obstacles_;
  std::vector<Box> soft_;
  std::vector<std::pair<double, double>> points_;
  std::vector<Box> placed_;
  int overlapping_ = 0;
};

// One row of an interval chart: a mean with its 95% interval, or nothing (n/a).
struct RowInterval {
  std::string name;
  bool valid = false;
  double mean = 0, lo = 0, hi = 0;
  bool highlight = false;  // drawn in the accent colour (the chosen arm)
  std::string note;        // written after the name, e.g. "n=4"
};

// A horizontal interval chart: one row per arm, its name on the left (the margin fits the
// longest), its mean as a dot and its 95% interval as a bar with caps on a shared x axis
// labelled `axis_label`, never below `floor`.
std::string IntervalRowsChart(const std::string& title, const std::string& axis_label, const std::vector<RowInterval>& rows,
                              double floor);

// Escapes &, <, > and quotes for SVG text and attributes.
std::string XmlEscape(const std::string& text);

}  // namespace clawsim::study
