#include "sim/telemetry/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/common/json_writer.h"
#include "sim/run/number_format.h"
#include "sim/study/svg.h"

namespace clawsim::telemetry {
namespace {

const char* EntityName(Entity e) { return e == Entity::kEmployee ? "employee" : "agent"; }

// What the positives of a label are, for titles and sentences.
const char* LabelTitle(Label l) {
  switch (l) {
    case Label::kTokenmaxxer: return "People (tokenmaxxing)";
    case Label::kAttackerDriven: return "Agents (attacker-driven)";
    case Label::kInjectionFollowed: return "Agents (followed an injection)";
  }
  return "?";
}
const char* LabelPositives(Label l) {
  switch (l) {
    case Label::kTokenmaxxer: return "tokenmaxxers";
    case Label::kAttackerDriven: return "attacker-driven agents";
    case Label::kInjectionFollowed: return "agents that followed an injection";
  }
  return "?";
}

std::string Fixed(double v, int digits = 3) {
  if (!std::isfinite(v)) return "nan";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string Pct(double v) { return Fixed(100 * v, 1) + " %"; }

std::string ResultJson(const DetectorResult& d) {
  std::string curve = "[";
  for (size_t i = 0; i < d.curve.size(); ++i) {
    curve += (i ? "," : "") + JsonWriter()
                                  .Double("threshold", d.curve[i].threshold)
                                  .Double("precision", d.curve[i].precision)
                                  .Double("recall", d.curve[i].recall)
                                  .Finish();
  }
  curve += "]";
  return JsonWriter()
      .String("name", d.name)
      .String("kind", d.kind)
      .String("entity", EntityName(d.entity))
      .String("label", LabelName(d.label))
      .Double("threshold", d.threshold)
      .Uint("entities", d.entities)
      .Uint("positives", d.positives)
      .Uint("flagged", d.flagged)
      .Uint("true_positives", d.true_positives)
      .Uint("false_positives", d.false_positives)
      .Double("precision", d.precision)
      .Double("recall", d.recall)
      .Double("f1", d.f1)
      .Double("bad_caught_share", d.bad_caught_share)
      .Double("bad_after_flag_share", d.bad_after_flag_share)
      .Uint("false_positive_people", d.false_positive_people)
      .Double("false_positive_value_usd", d.false_positive_value_usd)
      .Uint("heavy_useful_people", d.heavy_useful_people)
      .Double("heavy_useful_flagged_share", d.heavy_useful_flagged_share)
      .Uint("detected_with_time", d.detected_with_time)
      .Double("ttd_median_days", d.ttd_median_days)
      .Double("ttd_mean_days", d.ttd_mean_days)
      .Raw("pr_curve", curve)
      .Finish();
}

std::string LineJson(const ForecastLine& l) {
  return JsonWriter().Double("error", l.error).Double("mape", l.mape).Double("removed_share", l.removed_share).Finish();
}

std::string DetectionJson(const DetectReport& r) {
  std::string results = "[";
  for (size_t i = 0; i < r.results.size(); ++i) results += (i ? "," : "") + ResultJson(r.results[i]);
  results += "]";
  JsonWriter w;
  w.String("run", r.run_path)
      .String("detectors", r.detectors_path)
      .String("telemetry", r.telemetry_source)
      .String("scenario", r.header.scenario)
      .Uint("seed", r.header.seed)
      .Uint("days", r.header.days)
      .String("run_fingerprint", r.header.run_fingerprint)
      .Double("min_performative_share", r.min_performative_share);
  const int be = BestDetector(r.results, Label::kTokenmaxxer), ba = BestDetector(r.results, Label::kAttackerDriven),
            bi = BestDetector(r.results, Label::kInjectionFollowed);
  w.String("best_employee_detector", be >= 0 ? r.results[static_cast<size_t>(be)].name : "")
      .String("best_agent_detector", ba >= 0 ? r.results[static_cast<size_t>(ba)].name : "")
      .String("best_injection_detector", bi >= 0 ? r.results[static_cast<size_t>(bi)].name : "")
      .Raw("results", results);
  if (r.has_forecast) {
    const ForecastResult& f = r.forecast;
    w.Raw("forecast", JsonWriter()
                          .Uint("train_days", f.train_days)
                          .Uint("fit_from_day", f.options.fit_from_day)
                          .String("trend", f.options.linear_trend ? "linear" : "none")
                          .String("detector", f.detector)
                          .Uint("flagged_people", f.flagged_people)
                          .Raw("raw", LineJson(f.raw))
                          .Raw("cleaned", LineJson(f.cleaned))
                          .Raw("oracle", LineJson(f.oracle))
                          .Finish());
  }
  return w.Finish() + "\n";
}

std::string DetectorsCsv(const DetectReport& r) {
  std::string out =
      "detector,kind,entity,label,threshold,entities,positives,flagged,true_positives,false_positives,precision,recall,f1,"
      "bad_caught_share,bad_after_flag_share,false_positive_people,false_positive_value_usd,heavy_useful_people,"
      "heavy_useful_flagged_share,detected_with_time,ttd_median_days,ttd_mean_days\n";
  for (const DetectorResult& d : r.results) {
    out += run::CsvField(d.name) + "," + d.kind + "," + EntityName(d.entity) + "," + LabelName(d.label) + "," +
           run::FormatDouble(d.threshold) + "," +
           std::to_string(d.entities) + "," + std::to_string(d.positives) + "," + std::to_string(d.flagged) + "," +
           std::to_string(d.true_positives) + "," + std::to_string(d.false_positives) + "," + run::FormatDouble(d.precision) +
           "," + run::FormatDouble(d.recall) + "," + run::FormatDouble(d.f1) + "," + run::FormatDouble(d.bad_caught_share) +
           "," + run::FormatDouble(d.bad_after_flag_share) + "," + std::to_string(d.false_positive_people) + "," +
           run::FormatDouble(d.false_positive_value_usd) + "," + std::to_string(d.heavy_useful_people) + "," +
           run::FormatDouble(d.heavy_useful_flagged_share) + "," + std::to_string(d.detected_with_time) + "," +
           run::FormatDouble(d.ttd_median_days) + "," + run::FormatDouble(d.ttd_mean_days) + "\n";
  }
  return out;
}

std::string FlagsCsv(const DetectReport& r, const Telemetry& t) {
  std::string out = "detector,entity,label,id,name,first_day_flagged,positive,ttd_days\n";
  for (const DetectorResult& d : r.results) {
    for (const Flag& f : d.flags) {
      const std::string& name = d.entity == Entity::kEmployee ? t.people[f.entity].name : t.agents[f.entity].name;
      out += run::CsvField(d.name) + "," + EntityName(d.entity) + "," + LabelName(d.label) + "," + std::to_string(f.entity) +
             "," + run::CsvField(name) +
             "," + std::to_string(f.day) + "," + (f.positive ? "1" : "0") + "," +
             (f.positive && f.ttd_days >= 0 ? run::FormatDouble(f.ttd_days) : "") + "\n";
    }
  }
  return out;
}

const char* const kColours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

// A plot area at (x0, y0) with exact data ranges (no padding: precision and recall are
// [0, 1]), ticks, axis labels right under and beside it, and a legend under the x label.
class Plot {
 public:
  Plot(study::Svg* svg, double x0, double y0, double w, double h, double x_lo, double x_hi, double y_lo, double y_hi)
      : svg_(svg), left_(x0 + 70), top_(y0 + 40), right_(x0 + w - 20), bottom_(y0 + h), x_lo_(x_lo), x_hi_(x_hi),
        y_lo_(y_lo), y_hi_(y_hi) {}
  double X(double v) const { return left_ + (v - x_lo_) / (x_hi_ - x_lo_) * (right_ - left_); }
  double Y(double v) const { return bottom_ - (v - y_lo_) / (y_hi_ - y_lo_) * (bottom_ - top_); }
  void Frame(const std::string& title, const std::string& x_label, const std::string& y_label,
             const std::vector<double>& x_ticks, const std::vector<double>& y_ticks) {
    svg_->Text((left_ + right_) / 2, top_ - 16, title, 14, "middle");
    for (double t : x_ticks) {
      svg_->Line(X(t), top_, X(t), bottom_, "#eee");
      svg_->Line(X(t), bottom_, X(t), bottom_ + 5, "#888");
      svg_->Text(X(t), bottom_ + 18, study::TickLabel(t), 11, "middle");
    }
    for (double t : y_ticks) {
      svg_->Line(left_, Y(t), right_, Y(t), "#eee");
      svg_->Line(left_ - 5, Y(t), left_, Y(t), "#888");
      svg_->Text(left_ - 8, Y(t) + 4, study::TickLabel(t), 11, "end");
    }
    svg_->Rect(left_, top_, right_ - left_, bottom_ - top_, "none", "#888");
    svg_->Text((left_ + right_) / 2, bottom_ + 36, x_label, 12, "middle");
    svg_->Text(left_ - 50, (top_ + bottom_) / 2, y_label, 12, "middle", -90);
  }
  // Legend row k under the x label: a line of the colour, then the text.
  void Legend(int k, const std::string& colour, const std::string& text, bool dashed = false) {
    const double y = bottom_ + 58 + 18 * k;
    svg_->Polyline({{left_, y - 4}, {left_ + 24, y - 4}}, colour, 3, dashed);
    svg_->Text(left_ + 30, y, text, 12);
  }
  double bottom() const { return bottom_; }
  double top() const { return top_; }

 private:
  study::Svg* svg_;
  double left_, top_, right_, bottom_;
  double x_lo_, x_hi_, y_lo_, y_hi_;
};

// Precision against recall, a panel per label side by side (people; agents; agents against
// the injection label when the run had a campaign), a legend under each.
std::string PrCurvesSvg(const DetectReport& r) {
  const double panel_w = 560, plot_h = 440;
  std::vector<Label> labels = {Label::kTokenmaxxer, Label::kAttackerDriven};
  for (Label l : LabelsOf(r.results)) {
    if (std::find(labels.begin(), labels.end(), l) == labels.end()) labels.push_back(l);
  }
  size_t most = 0;
  for (Label l : labels) {
    size_t k = 0;
    for (const DetectorResult& d : r.results) k += d.label == l;
    most = std::max(most, k);
  }
  study::Svg svg(static_cast<double>(labels.size()) * panel_w, plot_h + 70 + 18.0 * static_cast<double>(most));
  const std::vector<double> ticks = {0, 0.2, 0.4, 0.6, 0.8, 1};
  int panel = 0;
  for (Label l : labels) {
    Plot plot(&svg, panel_w * panel, 0, panel_w, plot_h, 0, 1, 0, 1);
    plot.Frame(std::string(LabelTitle(l)) + ": precision vs recall over thresholds", "recall (share of positives flagged)",
               "precision (share of flags that are positives)", ticks, ticks);
    int k = 0;
    uint32_t positives = 0;
    for (const DetectorResult& d : r.results) {
      if (d.label != l) continue;
      const std::string colour = kColours[k % 10];
      std::vector<std::pair<double, double>> pts;
      for (const PrPoint& p : d.curve) pts.emplace_back(plot.X(p.recall), plot.Y(p.precision));
      if (pts.size() > 1) svg.Polyline(pts, colour, 2);
      // The operating point: the detector at its own threshold.
      svg.Circle(plot.X(d.recall), plot.Y(d.precision), 5, colour, "#000");
      plot.Legend(k, colour,
                  d.name + ": P " + Fixed(d.precision, 2) + ", R " + Fixed(d.recall, 2) + ", F1 " + Fixed(d.f1, 2) +
                      " at its threshold (dot)");
      positives = std::max(positives, d.positives);
      ++k;
    }
    if (k == 0) svg.Text(plot.X(0.5), plot.Y(0.5), "no detectors of this kind", 14, "middle");
    if (k > 0 && positives == 0) svg.Text(plot.X(0.5), plot.Y(0.5), "no positives in this run: every flag is false", 14, "middle");
    ++panel;
  }
  return svg.Finish();
}

std::string ForecastCsv(const ForecastResult& f) {
  std::string out = "day,actual_tokens,raw_forecast_tokens,cleaned_forecast_tokens,oracle_forecast_tokens,fitted\n";
  for (uint32_t d = 0; d < f.days; ++d) {
    out += std::to_string(d) + "," + run::FormatDouble(f.actual[d]) + "," + run::FormatDouble(f.raw.tokens[d]) + "," +
           run::FormatDouble(f.cleaned.tokens[d]) + "," + run::FormatDouble(f.oracle.tokens[d]) + "," +
           (d >= f.options.fit_from_day && d < f.train_days ? "1" : "0") + "\n";
  }
  return out;
}

std::string ForecastSvg(const ForecastResult& f) {
  double hi = 0;
  for (uint32_t d = 0; d < f.days; ++d) {
    hi = std::max({hi, f.actual[d], f.raw.tokens[d], f.cleaned.tokens[d], f.oracle.tokens[d]});
  }
  // The y axis ends on the first tick at or above the highest value.
  const std::vector<double> first = study::NiceTicks(0, hi > 0 ? hi : 1, 5);
  const double step = first.size() > 1 ? first[1] - first[0] : 1;
  const double y_hi = std::max(step, std::ceil(hi / step) * step);
  const std::vector<double> y_ticks = study::NiceTicks(0, y_hi, 5);
  std::vector<double> x_ticks;
  for (uint32_t d = 0; d < f.days; d += 7) x_ticks.push_back(d);
  study::Svg svg(860, 460 + 70 + 18 * 4);
  Plot plot(&svg, 0, 0, 860, 460, 0, std::max(1u, f.days - 1), 0, y_hi > 0 ? y_hi : 1);
  plot.Frame("Daily token demand: forecast from days " + std::to_string(f.options.fit_from_day) + "-" +
                 std::to_string(f.train_days - 1) + (f.options.linear_trend ? " (trend + weekdays)" : " (weekday levels)"),
             "day of the run (ticks every 7 days)", "tokens per day", x_ticks, y_ticks);
  const double split = plot.X(f.train_days - 0.5);
  svg.Line(split, plot.top(), split, plot.bottom(), "#999", 1);
  svg.Text(split + 4, plot.top() + 14, "end of training", 11);
  struct Series {
    const std::vector<double>* v;
    const char* colour;
    std::string label;
    bool dashed;
  };
  const Series series[] = {
      {&f.actual, "#222222", "actual demand", false},
      {&f.raw.tokens, "#d62728", "forecast, raw: error " + Pct(f.raw.error), true},
      {&f.cleaned.tokens, "#1f77b4", "forecast, demand flagged by " + f.detector + " removed: error " + Pct(f.cleaned.error), true},
      {&f.oracle.tokens, "#2ca02c", "forecast, true performative demand removed: error " + Pct(f.oracle.error), true},
  };
  int k = 0;
  for (const Series& sr : series) {
    std::vector<std::pair<double, double>> pts;
    for (uint32_t d = 0; d < f.days; ++d) pts.emplace_back(plot.X(d), plot.Y((*sr.v)[d]));
    svg.Polyline(pts, sr.colour, 2, sr.dashed);
    plot.Legend(k++, sr.colour, sr.label, sr.dashed);
  }
  return svg.Finish();
}

std::string ReportMd(const DetectReport& r) {
  std::string md = "# Detection report: " + r.header.scenario + ", seed " + std::to_string(r.header.seed) + "\n\n";
  md += "Run `" + r.run_path + "` (fingerprint " + r.header.run_fingerprint + ", " + std::to_string(r.header.days) +
        " days), detectors `" + r.detectors_path + "`, telemetry from " + r.telemetry_source +
        ". A person counts as a tokenmaxxer when at least " + Pct(r.min_performative_share) +
        " of their tokens were performative; an agent as attacker-driven when an attacker drove any of its calls or "
        "actions (a compromised session, a malicious skill, an injection), and, in a run an injection campaign reached, "
        "agent detectors are also scored on the agents that followed an injected instruction at least once.\n\n";
  for (Label l : LabelsOf(r.results)) {
    const int b = BestDetector(r.results, l);
    if (b < 0) continue;
    const DetectorResult& d = r.results[static_cast<size_t>(b)];
    const Entity e = d.entity;
    if (d.positives == 0) {
      md += std::string("**No ") + LabelPositives(l) + " in this run**: every " + EntityName(e) +
            " flag is a false positive (detectors.csv).\n\n";
      continue;
    }
    md += std::string("**Best detector of ") + LabelPositives(l) + ": " + d.name + "** (" + d.kind + "): precision " +
          Fixed(d.precision, 3) + ", recall " + Fixed(d.recall, 3) + ", F1 " + Fixed(d.f1, 3) + "; median time to detection " +
          Fixed(d.ttd_median_days, 1) + " days over " + std::to_string(d.detected_with_time) + " detected; " +
          (e == Entity::kEmployee                    ? "performative spend of the flagged: "
           : l == Label::kInjectionFollowed ? "injected calls of the flagged: "
                                            : "attacker-driven records of the flagged: ") +
          Pct(d.bad_caught_share) + " (after the flag: " + Pct(d.bad_after_flag_share) + "); " +
          std::to_string(d.false_positive_people) + " people wrongly flagged, who delivered $" + Fixed(d.false_positive_value_usd, 0) +
          " of value.\n\n";
  }
  if (r.has_forecast) {
    const ForecastResult& f = r.forecast;
    md += std::string("**Capacity forecast** (") + (f.options.linear_trend ? "trend + weekday levels" : "weekday levels") +
          " fitted on days " + std::to_string(f.options.fit_from_day) + "-" + std::to_string(f.train_days - 1) +
          ", projected to day " + std::to_string(f.days - 1) + "): error of the horizon's total " + Pct(f.raw.error) +
          " raw; " + Pct(f.cleaned.error) + " with the demand flagged by " + f.detector + " removed (" +
          std::to_string(f.flagged_people) + " people, " + Pct(f.cleaned.removed_share) + " of training demand); " +
          Pct(f.oracle.error) + " with the true performative demand removed (" + Pct(f.oracle.removed_share) +
          "). ![forecast](forecast.svg)\n\n";
  }
  md += "![precision-recall curves](pr_curves.svg)\n\n";
  md += "| detector | kind | entity | label | positives | flagged | precision | recall | F1 | bad caught | after flag | FP people | FP value USD | heavy useful flagged | TTD median d | TTD mean d |\n";
  md += "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const DetectorResult& d : r.results) {
    md += "| " + d.name + " | " + d.kind + " | " + EntityName(d.entity) + " | " + LabelName(d.label) + " | " +
          std::to_string(d.positives) + " | " +
          std::to_string(d.flagged) + " | " + Fixed(d.precision) + " | " + Fixed(d.recall) + " | " + Fixed(d.f1) + " | " +
          Pct(d.bad_caught_share) + " | " + Pct(d.bad_after_flag_share) + " | " + std::to_string(d.false_positive_people) +
          " | " + Fixed(d.false_positive_value_usd, 0) + " | " +
          (d.entity == Entity::kEmployee ? Pct(d.heavy_useful_flagged_share) + " of " + std::to_string(d.heavy_useful_people) : "-") +
          " | " + Fixed(d.ttd_median_days, 1) + " | " + Fixed(d.ttd_mean_days, 1) + " |\n";
  }
  return md;
}

}  // namespace

std::vector<Label> LabelsOf(const std::vector<DetectorResult>& results) {
  std::vector<Label> out;
  for (Label l : {Label::kTokenmaxxer, Label::kAttackerDriven, Label::kInjectionFollowed}) {
    for (const DetectorResult& d : results) {
      if (d.label == l) {
        out.push_back(l);
        break;
      }
    }
  }
  return out;
}

int BestDetector(const std::vector<DetectorResult>& results, Label label) {
  int best = -1;
  for (size_t i = 0; i < results.size(); ++i) {
    const DetectorResult& d = results[i];
    if (d.label != label) continue;
    if (best < 0) {
      best = static_cast<int>(i);
      continue;
    }
    const DetectorResult& b = results[static_cast<size_t>(best)];
    if (d.f1 > b.f1 || (d.f1 == b.f1 && d.precision > b.precision)) best = static_cast<int>(i);
  }
  return best;
}

std::vector<std::pair<std::string, std::string>> RenderReport(const DetectReport& r, const Telemetry& t) {
  std::vector<std::pair<std::string, std::string>> files = {
      {"detection.json", DetectionJson(r)},
      {"detectors.csv", DetectorsCsv(r)},
      {"flags.csv", FlagsCsv(r, t)},
      {"pr_curves.svg", PrCurvesSvg(r)},
  };
  if (r.has_forecast) {
    files.emplace_back("forecast.csv", ForecastCsv(r.forecast));
    files.emplace_back("forecast.svg", ForecastSvg(r.forecast));
  }
  files.emplace_back("report.md", ReportMd(r));
  return files;
}

std::string SummaryText(const DetectReport& r) {
  std::string out = r.header.scenario + " seed " + std::to_string(r.header.seed) + ": " + std::to_string(r.results.size()) +
                    " detectors (tokenmaxxer: performative share >= " + Fixed(r.min_performative_share, 2) + ")\n";
  char buf[512];
  std::snprintf(buf, sizeof buf, "  %-28s %-18s %5s %5s %7s %7s %7s %9s %6s %9s\n", "detector", "label", "pos", "flag",
                "prec", "recall", "F1", "caught", "FP", "TTD med d");
  out += buf;
  for (const DetectorResult& d : r.results) {
    std::snprintf(buf, sizeof buf, "  %-28s %-18s %5u %5u %7.3f %7.3f %7.3f %8.1f%% %6u %9.1f\n", d.name.c_str(),
                  LabelName(d.label), d.positives, d.flagged, d.precision, d.recall, d.f1, 100 * d.bad_caught_share,
                  d.false_positive_people, d.ttd_median_days);
    out += buf;
  }
  if (r.has_forecast) {
    const ForecastResult& f = r.forecast;
    std::snprintf(buf, sizeof buf,
                  "  forecast (train %u days): error raw %+.1f%%, cleaned by %s %+.1f%% (%u people), oracle %+.1f%%\n",
                  f.train_days, 100 * f.raw.error, f.detector.c_str(), 100 * f.cleaned.error, f.flagged_people,
                  100 * f.oracle.error);
    out += buf;
  }
  return out;
}

}  // namespace clawsim::telemetry
