#include "sim/study/results.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <sstream>

#include "sim/run/atomic_file.h"
#include "sim/run/number_format.h"
#include "sim/study/decision.h"
#include "sim/study/measure_kinds.h"
#include "sim/study/pricing.h"
#include "sim/study/results_file.h"
#include "sim/study/stats.h"
#include "sim/study/svg.h"

namespace clawsim::study {
namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

// Clips an interval to [lo, hi] (the measure's range): the mean lies in it, so the clipped
// interval covers it at least as often.
Interval Clip(Interval in, double lo, double hi) {
  if (!in.has_ci()) return in;
  in.ci_low = std::clamp(in.ci_low, lo, hi);
  in.ci_high = std::clamp(in.ci_high, lo, hi);
  return in;
}

std::string Csv(double v) { return std::isfinite(v) ? run::FormatDouble(v) : ""; }

// Index of each measure name in results.measure_names.
std::map<std::string, int> MeasureIndex(const proto::StudyResults& r) {
  std::map<std::string, int> index;
  for (int i = 0; i < r.measure_names_size(); ++i) index.emplace(r.measure_names(i), i);
  return index;
}

const proto::StudyArmMeasure* FindMeasure(const proto::StudyArmResult& arm, const std::string& name) {
  for (const proto::StudyArmMeasure& m : arm.measures()) {
    if (m.measure() == name) return &m;
  }
  return nullptr;
}

// Mean and interval of `measure` over an arm's ok runs, computed from the run records (the
// charts need measures that are not among the reported ones).
Interval ArmInterval(const proto::StudyResults& r, uint32_t arm, int measure) {
  std::vector<double> x;
  if (measure < 0) return Interval();
  for (const proto::StudyRunRecord& run : r.runs()) {
    if (run.arm_index() != arm || !run.ok() || measure >= run.values_size()) continue;
    if (std::isfinite(run.values(measure))) x.push_back(run.values(measure));
  }
  return MeanInterval(x);
}

}  // namespace

void Analyse(const StudySpec& spec, const std::string& study_text, const std::vector<PlannedRun>& plan,
             const std::vector<StoredRun>& stored, proto::StudyResults* out) {
  out->Clear();
  out->set_magic(kResultsMagic);
  out->set_format_major(kResultsFormatMajor);
  out->set_format_minor(kResultsFormatMinor);
  out->set_name(spec.name);
  out->set_description(spec.proto.description());
  out->set_base_scenario(spec.proto.base_scenario());
  out->set_replications(spec.replications);
  out->set_seed(spec.seed);
  out->set_counterfactual(spec.counterfactual);
  if (spec.baseline >= 0) out->set_baseline(spec.arms[spec.baseline].name);
  for (const Objective& o : spec.pareto) {
    proto::StudyObjective* p = out->add_pareto();
    p->set_measure(o.measure);
    p->set_direction(o.maximize ? proto::MAXIMIZE : proto::MINIMIZE);
  }
  out->set_study_textproto(study_text);

  // 1. Every measure any run has, in order of first appearance (plan order).
  std::map<std::string, int> index;
  for (const StoredRun& s : stored) {
    for (const std::string& n : s.measures.names) {
      if (index.emplace(n, out->measure_names_size()).second) out->add_measure_names(n);
    }
  }
  // The priced measures (pricing.h) follow the summary's.
  const int first_priced = out->measure_names_size();
  for (const std::string& n : PricedMeasureNames()) {
    if (index.emplace(n, out->measure_names_size()).second) out->add_measure_names(n);
  }
  // 2. Runs, with values aligned to measure_names: the stored measures, the priced ones, and
  //    NaN where a measure is undefined (a ratio over zero, measure_kinds.h).
  const size_t nm = static_cast<size_t>(out->measure_names_size());
  std::vector<std::vector<double>> values(plan.size(), std::vector<double>(nm, kNaN));
  std::vector<std::pair<int, int>> undefined_when_zero;  // (measure, its denominator)
  for (int m = 0; m < out->measure_names_size(); ++m) {
    const auto it = index.find(UndefinedWhenZero(out->measure_names(m)));
    if (it != index.end()) undefined_when_zero.emplace_back(m, it->second);
  }
  auto priced = [&](const std::vector<double>& raw, const proto::StudyPrices& prices) {
    return PricedMeasures(prices, [&](const std::string& name) {
      const auto it = index.find(name);
      return it == index.end() ? kNaN : raw[static_cast<size_t>(it->second)];
    });
  };
  for (size_t i = 0; i < plan.size(); ++i) {
    proto::StudyRunRecord* rec = out->add_runs();
    rec->set_arm_index(plan[i].arm);
    rec->set_replication(plan[i].replication);
    rec->set_seed(plan[i].seed);
    rec->set_scenario_hash(spec.arms[plan[i].arm].scenario_hash);
    rec->set_ok(stored[i].present && stored[i].ok);
    if (!stored[i].present) rec->set_error("not run");
    if (stored[i].present && !stored[i].ok) rec->set_error(stored[i].error);
    for (size_t k = 0; k < stored[i].measures.names.size(); ++k) {
      values[i][static_cast<size_t>(index[stored[i].measures.names[k]])] = stored[i].measures.values[k];
    }
    if (rec->ok()) {
      const std::vector<double> p = priced(values[i], spec.proto.prices());
      for (size_t k = 0; k < p.size(); ++k) values[i][static_cast<size_t>(first_priced) + k] = p[k];
    }
    for (const auto& [m, denominator] : undefined_when_zero) {
      if (values[i][static_cast<size_t>(denominator)] == 0) values[i][static_cast<size_t>(m)] = kNaN;
    }
    if (rec->ok()) {
      for (double v : values[i]) rec->add_values(v);
    }
  }
  // Values of measure m in arm a, by replication (NaN where the run failed or lacks it).
  auto by_replication = [&](uint32_t arm, int m) {
    std::vector<double> x(spec.replications, kNaN);
    if (m < 0) return x;
    for (size_t i = 0; i < plan.size(); ++i) {
      if (plan[i].arm == arm && stored[i].present && stored[i].ok) x[plan[i].replication] = values[i][static_cast<size_t>(m)];
    }
    return x;
  };
  auto finite = [](const std::vector<double>& x) {
    std::vector<double> f;
    for (double v : x) {
      if (std::isfinite(v)) f.push_back(v);
    }
    return f;
  };
  auto lookup = [&](const std::string& name) {
    auto it = index.find(name);
    return it == index.end() ? -1 : it->second;
  };

  // 3. Per arm: intervals, paired and unpaired differences, elasticity.
  std::vector<std::string> reported = spec.measures;
  if (reported.empty()) reported.assign(out->measure_names().begin(), out->measure_names().end());
  // The Pareto objectives and the decision's measures are always reported, so a reader (the
  // viewer) finds them per arm.
  for (const std::string& k : DecisionKeyMeasures(spec)) {
    if (std::find(reported.begin(), reported.end(), k) == reported.end()) reported.push_back(k);
  }
  const int value_m = lookup(spec.elasticity_value);
  const int token_m = lookup(spec.elasticity_token);
  for (uint32_t a = 0; a < spec.arms.size(); ++a) {
    const Arm& arm = spec.arms[a];
    proto::StudyArmResult* ar = out->add_arms();
    ar->set_name(arm.name);
    for (const std::string& o : arm.overrides) ar->add_set(o);
    ar->set_baseline(static_cast<int>(a) == spec.baseline);
    uint32_t ok = 0, failed = 0;
    for (size_t i = 0; i < plan.size(); ++i) {
      if (plan[i].arm != a || !stored[i].present) continue;
      (stored[i].ok ? ok : failed) += 1;
    }
    ar->set_runs_ok(ok);
    ar->set_runs_failed(failed);
    for (const std::string& name : reported) {
      proto::StudyArmMeasure* am = ar->add_measures();
      am->set_measure(name);
      const int m = lookup(name);
      const std::vector<double> x = by_replication(a, m);
      // Intervals stay in the measure's range, differences in the range of a difference.
      const MeasureRange range = RangeOf(name);
      const double span = range.hi - range.lo;
      SetInterval(Clip(MeanInterval(finite(x)), range.lo, range.hi), am->mutable_value());
      if (spec.baseline < 0 || static_cast<int>(a) == spec.baseline) continue;
      const std::vector<double> b = by_replication(static_cast<uint32_t>(spec.baseline), m);
      std::vector<double> pa, pb;
      for (size_t r = 0; r < x.size(); ++r) {
        if (std::isfinite(x[r]) && std::isfinite(b[r])) pa.push_back(x[r]), pb.push_back(b[r]);
      }
      SetInterval(Clip(PairedDifference(pa, pb), -span, span), am->mutable_paired_diff());
      const WelchInterval w = UnpairedDifference(finite(x), finite(b));
      if (w.ok) {
        am->set_unpaired_ci_low(std::max(w.ci_low, -span));
        am->set_unpaired_ci_high(std::min(w.ci_high, span));
      }
    }
    const Slope slope = LogLogSlope(by_replication(a, token_m), by_replication(a, value_m));
    proto::StudyInterval* e = ar->mutable_elasticity_within();
    e->set_n(slope.n);
    if (slope.ok) {
      e->set_mean(slope.slope);
      e->set_sd(slope.se);
      e->set_ci_low(slope.ci_low);
      e->set_ci_high(slope.ci_high);
    }
    if (spec.baseline >= 0 && static_cast<int>(a) != spec.baseline) {
      const Interval va = MeanInterval(finite(by_replication(a, value_m)));
      const Interval vb = MeanInterval(finite(by_replication(static_cast<uint32_t>(spec.baseline), value_m)));
      const Interval ta = MeanInterval(finite(by_replication(a, token_m)));
      const Interval tb = MeanInterval(finite(by_replication(static_cast<uint32_t>(spec.baseline), token_m)));
      // Only where the arms' tokens differ with 95% confidence: a ratio over a difference
      // that may be noise has no meaning.
      std::vector<double> pa, pb;
      const std::vector<double> xa = by_replication(a, token_m), xb = by_replication(static_cast<uint32_t>(spec.baseline), token_m);
      for (size_t r = 0; r < xa.size(); ++r) {
        if (std::isfinite(xa[r]) && std::isfinite(xb[r])) pa.push_back(xa[r]), pb.push_back(xb[r]);
      }
      const Interval td = PairedDifference(pa, pb);
      const bool tokens_differ = td.has_ci() && (td.ci_low > 0 || td.ci_high < 0);
      if (tokens_differ && va.has_mean() && vb.has_mean() && ta.has_mean() && tb.has_mean() && va.mean > 0 &&
          vb.mean > 0 && ta.mean > 0 && tb.mean > 0 && std::abs(std::log(ta.mean / tb.mean)) > 1e-12) {
        ar->set_elasticity_vs_baseline(std::log(va.mean / vb.mean) / std::log(ta.mean / tb.mean));
      }
    }
  }

  // 4. The Pareto front over the arms' means.
  std::vector<std::vector<double>> points;
  std::vector<bool> maximize;
  for (const Objective& o : spec.pareto) maximize.push_back(o.maximize);
  for (uint32_t a = 0; a < spec.arms.size(); ++a) {
    std::vector<double> p;
    for (const Objective& o : spec.pareto) {
      const Interval iv = MeanInterval(finite(by_replication(a, lookup(o.measure))));
      p.push_back(iv.has_mean() ? iv.mean : kNaN);
    }
    points.push_back(std::move(p));
  }
  const std::vector<bool> front = ParetoFront(points, maximize);
  for (uint32_t a = 0; a < spec.arms.size(); ++a) out->mutable_arms(static_cast<int>(a))->set_pareto(front[a]);

  // 5. The decision (decision.h): a priced measure under other prices is computed again from
  //    the run's stored measures.
  const SeriesFn series = [&](uint32_t arm, const std::string& measure, const proto::StudyPrices& prices) {
    const int m = lookup(measure);
    std::vector<double> x = by_replication(arm, m);
    if (m < first_priced || prices.SerializeAsString() == spec.proto.prices().SerializeAsString()) return x;
    for (size_t i = 0; i < plan.size(); ++i) {
      if (plan[i].arm != arm || !stored[i].present || !stored[i].ok) continue;
      x[plan[i].replication] = priced(values[i], prices)[static_cast<size_t>(m - first_priced)];
    }
    return x;
  };
  // A fingerprint of each arm's values, so that only arms that may be identical are compared
  // value by value.
  std::vector<uint64_t> arm_hash(spec.arms.size(), 0xcbf29ce484222325ULL);
  for (size_t i = 0; i < plan.size(); ++i) {
    if (!stored[i].present || !stored[i].ok) continue;
    uint64_t& h = arm_hash[plan[i].arm];
    h = (h ^ plan[i].replication) * 0x100000001b3ULL;
    for (double v : values[i]) {
      uint64_t bits = 0;
      if (!std::isnan(v)) std::memcpy(&bits, &v, sizeof bits);
      h = (h ^ bits) * 0x100000001b3ULL;
    }
  }
  const auto identical = [&](uint32_t a, uint32_t b) {
    if (arm_hash[a] != arm_hash[b]) return false;
    std::vector<const std::vector<double>*> ra(spec.replications, nullptr), rb(spec.replications, nullptr);
    for (size_t i = 0; i < plan.size(); ++i) {
      if (!stored[i].present || !stored[i].ok) continue;
      if (plan[i].arm == a) ra[plan[i].replication] = &values[i];
      if (plan[i].arm == b) rb[plan[i].replication] = &values[i];
    }
    bool any = false;
    for (uint32_t r = 0; r < spec.replications; ++r) {
      if ((ra[r] == nullptr) != (rb[r] == nullptr)) return false;
      if (ra[r] == nullptr) continue;
      any = true;
      for (size_t k = 0; k < nm; ++k) {
        const double x = (*ra[r])[k], y = (*rb[r])[k];
        if (!(x == y || (std::isnan(x) && std::isnan(y)))) return false;
      }
    }
    return any;
  };
  Decide(spec, series, identical, out);
}

namespace {

std::string ArmsCsv(const proto::StudyResults& r) {
  std::string out =
      "arm,measure,n,mean,sd,ci_low,ci_high,diff_n,diff_mean,diff_sd,diff_ci_low,diff_ci_high,unpaired_ci_low,"
      "unpaired_ci_high\n";
  for (const proto::StudyArmResult& arm : r.arms()) {
    for (const proto::StudyArmMeasure& m : arm.measures()) {
      const proto::StudyInterval& v = m.value();
      const proto::StudyInterval& d = m.paired_diff();
      out += run::CsvField(arm.name()) + "," + run::CsvField(m.measure()) + "," + std::to_string(v.n()) + ",";
      out += (v.has_mean() ? Csv(v.mean()) : "") + "," + (v.has_sd() ? Csv(v.sd()) : "") + "," +
             (v.has_ci_low() ? Csv(v.ci_low()) : "") + "," + (v.has_ci_high() ? Csv(v.ci_high()) : "") + ",";
      out += (m.has_paired_diff() ? std::to_string(d.n()) : "") + "," + (d.has_mean() ? Csv(d.mean()) : "") + "," +
             (d.has_sd() ? Csv(d.sd()) : "") + "," + (d.has_ci_low() ? Csv(d.ci_low()) : "") + "," +
             (d.has_ci_high() ? Csv(d.ci_high()) : "") + ",";
      out += (m.has_unpaired_ci_low() ? Csv(m.unpaired_ci_low()) : "") + "," +
             (m.has_unpaired_ci_high() ? Csv(m.unpaired_ci_high()) : "") + "\n";
    }
  }
  return out;
}

std::string RunsCsv(const proto::StudyResults& r) {
  std::string out = "arm,replication,seed,scenario_hash,status,error";
  for (const std::string& n : r.measure_names()) out += "," + run::CsvField(n);
  out += "\n";
  for (const proto::StudyRunRecord& run : r.runs()) {
    out += run::CsvField(r.arms(static_cast<int>(run.arm_index())).name()) + "," + std::to_string(run.replication()) +
           "," + std::to_string(run.seed()) + "," + run.scenario_hash() + "," + (run.ok() ? "ok" : "failed") + "," +
           run::CsvField(run.error());
    for (int i = 0; i < r.measure_names_size(); ++i) out += "," + (i < run.values_size() ? Csv(run.values(i)) : "");
    out += "\n";
  }
  return out;
}

// An axis label: the measure and its unit.
std::string AxisLabel(const std::string& measure) {
  switch (UnitOf(measure)) {
    case Unit::kUsd: return measure + " (USD)";
    case Unit::kHours: return measure + " (hours)";
    case Unit::kTokens: return measure + " (tokens)";
    case Unit::kShare: return measure + " (share, 0 to 1)";
    case Unit::kCount: return measure + " (count)";
    default: return measure;
  }
}

double Floor(const std::string& measure) {
  const double lo = RangeOf(measure).lo;
  return std::isfinite(lo) ? lo : -1e308;
}

// Which arms no other arm beats in both of two objectives (on means): the front as the chart
// shows it.
std::vector<bool> Front2(const std::vector<Interval>& xs, const std::vector<Interval>& ys, bool max_x, bool max_y) {
  std::vector<std::vector<double>> points;
  for (size_t a = 0; a < xs.size(); ++a) {
    points.push_back({xs[a].has_mean() && ys[a].has_mean() ? xs[a].mean : kNaN, ys[a].has_mean() ? ys[a].mean : kNaN});
  }
  return ParetoFront(points, {max_x, max_y});
}

// One measure against another, each arm's means with their 95% intervals both ways, labels
// placed without overlap. With `front`, the arms no other beats in both (directions
// max_x, max_y) are joined and drawn in the accent colour.
std::string ScatterChart(const proto::StudyResults& r, const std::string& title, const std::string& xm,
                         const std::string& ym, bool front, bool max_x, bool max_y) {
  const std::map<std::string, int> index = MeasureIndex(r);
  auto idx = [&](const std::string& n) {
    auto it = index.find(n);
    return it == index.end() ? -1 : it->second;
  };
  std::vector<Interval> xs, ys;
  double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
  const MeasureRange xr = RangeOf(xm), yr = RangeOf(ym);
  for (int a = 0; a < r.arms_size(); ++a) {
    xs.push_back(Clip(ArmInterval(r, static_cast<uint32_t>(a), idx(xm)), xr.lo, xr.hi));
    ys.push_back(Clip(ArmInterval(r, static_cast<uint32_t>(a), idx(ym)), yr.lo, yr.hi));
    if (!xs.back().has_mean() || !ys.back().has_mean()) continue;
    xlo = std::min(xlo, xs.back().ci_low), xhi = std::max(xhi, xs.back().ci_high);
    ylo = std::min(ylo, ys.back().ci_low), yhi = std::max(yhi, ys.back().ci_high);
  }
  Chart c(title, AxisLabel(xm), AxisLabel(ym), xlo, xhi, ylo, yhi, 720, 480, 60, Floor(xm), Floor(ym));
  const std::vector<bool> on_front = front ? Front2(xs, ys, max_x, max_y) : std::vector<bool>(xs.size(), false);
  // The front first, under the points.
  std::vector<std::pair<double, int>> order;
  for (int a = 0; a < r.arms_size(); ++a) {
    if (on_front[static_cast<size_t>(a)]) order.emplace_back(xs[static_cast<size_t>(a)].mean, a);
  }
  std::sort(order.begin(), order.end());
  if (order.size() > 1) {
    std::vector<std::pair<double, double>> line;
    for (const auto& [xv, a] : order) line.emplace_back(c.X(xv), c.Y(ys[static_cast<size_t>(a)].mean));
    c.svg().Polyline(line, "#c0392b", 1.5, true);
  }
  LabelPlacer labels(c.plot_left(), c.plot_top(), c.plot_right(), c.plot_bottom());
  for (int a = 0; a < r.arms_size(); ++a) {
    const Interval& x = xs[static_cast<size_t>(a)];
    const Interval& y = ys[static_cast<size_t>(a)];
    if (!x.has_mean() || !y.has_mean()) continue;
    labels.AddPoint(c.X(x.mean), c.Y(y.mean), 5);
    labels.AddLine(c.X(x.ci_low), c.Y(y.mean), c.X(x.ci_high), c.Y(y.mean));
    labels.AddLine(c.X(x.mean), c.Y(y.ci_low), c.X(x.mean), c.Y(y.ci_high));
  }
  for (int a = 0; a < r.arms_size(); ++a) {
    const Interval& x = xs[static_cast<size_t>(a)];
    const Interval& y = ys[static_cast<size_t>(a)];
    if (!x.has_mean() || !y.has_mean()) continue;
    const std::string color = on_front[static_cast<size_t>(a)] ? "#c0392b" : "#1f4e8c";
    c.svg().Line(c.X(x.ci_low), c.Y(y.mean), c.X(x.ci_high), c.Y(y.mean), color, 1.2);
    c.svg().Line(c.X(x.mean), c.Y(y.ci_low), c.X(x.mean), c.Y(y.ci_high), color, 1.2);
    c.svg().Circle(c.X(x.mean), c.Y(y.mean), 4.5, color);
  }
  // Arms drawn at the same spot (identical arms, for one) share one label, a name a line.
  std::vector<bool> labelled(static_cast<size_t>(r.arms_size()), false);
  for (int a = 0; a < r.arms_size(); ++a) {
    const Interval& x = xs[static_cast<size_t>(a)];
    const Interval& y = ys[static_cast<size_t>(a)];
    if (!x.has_mean() || !y.has_mean() || labelled[static_cast<size_t>(a)]) continue;
    std::string text = r.arms(a).name();
    for (int b = a + 1; b < r.arms_size(); ++b) {
      const Interval& xb = xs[static_cast<size_t>(b)];
      const Interval& yb = ys[static_cast<size_t>(b)];
      if (!xb.has_mean() || !yb.has_mean() || std::abs(c.X(xb.mean) - c.X(x.mean)) > 1 ||
          std::abs(c.Y(yb.mean) - c.Y(y.mean)) > 1) {
        continue;
      }
      text += "\n" + r.arms(b).name();
      labelled[static_cast<size_t>(b)] = true;
    }
    labels.Place(&c.svg(), c.X(x.mean), c.Y(y.mean), text);
  }
  c.svg().Text(c.plot_right(), c.plot_top() - 6,
               front ? "dots: means; bars: 95% intervals; red, dashed: not beaten in both" : "dots: means; bars: 95% intervals",
               10, "end", 0, "#555");
  return c.Finish();
}

// One row per arm: the mean of `measure` with its 95% interval; `chosen` highlighted.
std::string RowsChart(const proto::StudyResults& r, const std::string& measure, int chosen) {
  const std::map<std::string, int> index = MeasureIndex(r);
  const auto it = index.find(measure);
  const int m = it == index.end() ? -1 : it->second;
  const MeasureRange range = RangeOf(measure);
  std::vector<RowInterval> rows;
  for (int a = 0; a < r.arms_size(); ++a) {
    const Interval v = Clip(ArmInterval(r, static_cast<uint32_t>(a), m), range.lo, range.hi);
    RowInterval row;
    row.name = r.arms(a).name();
    row.note = "n=" + std::to_string(v.n);
    row.valid = v.has_mean();
    row.mean = v.mean, row.lo = v.ci_low, row.hi = v.ci_high;
    row.highlight = a == chosen;
    rows.push_back(row);
  }
  return IntervalRowsChart(measure + " per arm (means, 95% intervals" + (chosen >= 0 ? "; red: the choice)" : ")"),
                           AxisLabel(measure), rows, Floor(measure));
}

const proto::StudyArmMeasure* Find(const proto::StudyArmResult& arm, const std::string& name) { return FindMeasure(arm, name); }

// "mean [low, high]" with the measure's unit; "n/a" where undefined.
std::string IntervalText(const std::string& measure, const proto::StudyInterval& v) {
  if (!v.has_mean()) return "n/a";
  if (!v.has_ci_low()) return FormatMeasure(measure, v.mean());
  return FormatMeasure(measure, v.mean()) + " [" + FormatMeasure(measure, v.ci_low()) + ", " +
         FormatMeasure(measure, v.ci_high()) + "]";
}

std::string DiffText(const std::string& measure, const proto::StudyInterval& d) {
  if (!d.has_mean()) return "n/a";
  if (!d.has_ci_low()) return FormatDifference(measure, d.mean());
  return FormatDifference(measure, d.mean()) + " [" + FormatDifference(measure, d.ci_low()) + ", " +
         FormatDifference(measure, d.ci_high()) + "]";
}

std::string Cell(std::string text) {
  std::replace(text.begin(), text.end(), '|', '/');
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

// What the decision table says of an arm besides its figures.
std::string Verdict(const proto::StudyResults& r, int a) {
  const proto::StudyArmResult& arm = r.arms(a);
  const proto::StudyDecisionResult& d = r.decision();
  std::vector<std::string> parts;
  if (d.has_best_arm() && static_cast<int>(d.best_arm()) == a) parts.push_back("**the choice**");
  if (d.has_runner_up() && static_cast<int>(d.runner_up()) == a) parts.push_back("runner-up");
  if (!arm.feasible()) parts.push_back("breaks a constraint");
  if (arm.dominated_by_size() > 0) {
    // The first dominating arm with its reasons; any others by name.
    const proto::StudyDominance& dom = arm.dominated_by(0);
    std::string better, others;
    for (const std::string& m : dom.better_in()) better += (better.empty() ? "" : ", ") + m;
    for (int k = 1; k < arm.dominated_by_size(); ++k) {
      others += (others.empty() ? "" : ", ") + r.arms(static_cast<int>(arm.dominated_by(k).arm_index())).name();
    }
    parts.push_back("dominated by " + r.arms(static_cast<int>(dom.arm_index())).name() + " (better in " + better + ")" +
                    (others.empty() ? "" : "; also by " + others));
  }
  if (arm.has_identical_to()) parts.push_back("identical to " + r.arms(static_cast<int>(arm.identical_to())).name());
  if (arm.indistinguishable_from_size() > 0) {
    std::string others;
    for (uint32_t o : arm.indistinguishable_from()) others += (others.empty() ? "" : ", ") + r.arms(static_cast<int>(o)).name();
    parts.push_back("no key measure differs from " + others);
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

std::string PriceLine(const proto::StudyPrices& p) {
  return "a leaked message " + FormatMeasure("x_usd", p.leaked_message_usd()) + ", a leaked sensitive message " +
         FormatMeasure("x_usd", p.leaked_sensitive_message_usd()) + ", an incident " +
         FormatMeasure("x_usd", p.incident_usd()) + " beyond its downtime, an approval minute " +
         FormatMeasure("x_usd", p.approval_minute_usd()) + ", an hour of detector review " +
         FormatMeasure("x_usd", p.detector_review_hour_usd());
}

// The report's first section: the answer, the table of key measures, the sensitivity.
void DecisionSection(const proto::StudyResults& r, std::ostringstream& md) {
  const proto::StudyDecisionResult& d = r.decision();
  md << "## Decision\n\n" << d.answer() << "\n\n";
  md << "Objective: " << (d.direction() == proto::MAXIMIZE ? "maximise" : "minimise") << " `" << d.objective() << "`";
  if (IsPricedMeasure(d.objective())) {
    md << " (net value minus priced harms: `net_value_usd` less leaks, incident response, approval time and detector "
          "review at the study's prices)";
  }
  md << ". Prices: " << PriceLine(d.prices()) << " (study file's `prices`; defaults and sources in "
     << "`sim/proto/study.proto`).";
  if (d.constraints_size() > 0) {
    md << " Constraints on the mean:";
    for (const proto::StudyConstraint& c : d.constraints()) {
      md << " `" << c.measure() << "`";
      if (c.has_at_least()) md << " at least " << FormatMeasure(c.measure(), c.at_least());
      if (c.has_at_most()) md << (c.has_at_least() ? " and" : "") << " at most " << FormatMeasure(c.measure(), c.at_most());
      md << ";";
    }
  }
  md << " Means with 95% intervals over replications (n = runs that count); intervals are clipped to what a "
        "measure can take (a count is never negative).\n\n";
  md << "| arm | n |";
  for (const std::string& k : d.key_measures()) md << " `" << k << "` |";
  md << " verdict |\n|---|---|";
  for (int i = 0; i < d.key_measures_size(); ++i) md << "---|";
  md << "---|\n";
  for (int a = 0; a < r.arms_size(); ++a) {
    const proto::StudyArmResult& arm = r.arms(a);
    md << "| " << arm.name() << (arm.baseline() ? " (baseline)" : "") << " | " << arm.runs_ok() << " |";
    for (const std::string& k : d.key_measures()) {
      const proto::StudyArmMeasure* m = Find(arm, k);
      md << " " << (m == nullptr ? "n/a" : IntervalText(k, m->value()));
      // A measure undefined in some runs is over fewer runs than the arm's n: say so.
      if (m != nullptr && m->value().has_mean() && m->value().n() != arm.runs_ok()) md << " (n=" << m->value().n() << ")";
      md << " |";
    }
    md << " " << Cell(Verdict(r, a)) << " |\n";
  }
  md << "\n";
  if (d.sensitivity_size() > 0) {
    md << "Sensitivity to the leak prices (both leaked-message prices scaled; everything else as above):\n\n"
       << "| leak prices | choice | `" << d.objective() << "` of the choice [95% CI] |\n|---|---|---|\n";
    auto row = [&](const std::string& label, bool has, uint32_t arm, const proto::StudyInterval& v) {
      md << "| " << label << " | " << (has ? r.arms(static_cast<int>(arm)).name() : "no feasible arm") << " | "
         << (has ? IntervalText(d.objective(), v) : "n/a") << " |\n";
    };
    const proto::StudyArmMeasure* best = d.has_best_arm() ? Find(r.arms(static_cast<int>(d.best_arm())), d.objective()) : nullptr;
    for (const proto::StudySensitivity& s : d.sensitivity()) {
      if (s.factor() > 1 && best != nullptr) row("x1 (as priced)", true, d.best_arm(), best->value());
      char label[32];
      std::snprintf(label, sizeof label, "x%g", s.factor());
      row(label, s.has_best_arm(), s.best_arm(), s.best_objective());
    }
    md << "\n";
  }
  md << "![the objective per arm](decision.svg)\n\n";
}

std::string Report(const proto::StudyResults& r, const std::vector<std::string>& key, bool show_elasticity) {
  std::ostringstream md;
  md << "# Study: " << r.name() << "\n\n";
  if (!r.description().empty()) md << r.description() << "\n\n";
  uint32_t ok = 0, failed = 0;
  for (const proto::StudyArmResult& a : r.arms()) ok += a.runs_ok(), failed += a.runs_failed();
  md << "Base scenario `" << r.base_scenario() << "`; " << r.arms_size() << " arms × " << r.replications()
     << " replications; " << ok << " runs ok, " << failed << " failed. Replication r runs with the same seed in every "
     << "arm (common random numbers; study seed " << r.seed() << "). Counterfactual twins: "
     << (r.counterfactual() ? "yes" : "no") << ".\n\n";
  DecisionSection(r, md);

  md << "## Arms\n\n| arm | overrides | runs ok | failed |\n|---|---|---|---|\n";
  for (const proto::StudyArmResult& a : r.arms()) {
    std::string sets;
    for (const std::string& s : a.set()) sets += (sets.empty() ? "" : "<br>") + std::string("`") + s + "`";
    md << "| " << a.name() << (a.baseline() ? " (baseline)" : "") << " | " << (sets.empty() ? "—" : sets) << " | "
       << a.runs_ok() << " | " << a.runs_failed() << " |\n";
  }

  md << "\n## Measures\n\nEach reported measure per arm: mean [95% interval] (n = runs where the measure is "
     << "defined; n/a where it is undefined in every run, e.g. an approval accuracy where nothing was asked)";
  if (r.has_baseline()) md << ", and the difference from " << r.baseline() << " taken replication by replication";
  md << ". Reported measures are in `arms.csv`; every measure of every run is in `runs.csv` and `study.sqlite`.\n\n";
  std::vector<double> ratios;
  for (const std::string& name : key) {
    bool any = false;
    for (const proto::StudyArmResult& a : r.arms()) {
      const proto::StudyArmMeasure* m = FindMeasure(a, name);
      any |= m != nullptr && m->value().has_mean();
    }
    if (!any) {
      md << "### `" << name << "`\n\nn/a in every arm (undefined in every run).\n\n";
      continue;
    }
    md << "### `" << name << "`\n\n| arm | n | mean [95% CI] |";
    if (r.has_baseline()) md << " difference, paired [95% CI] | unpaired 95% CI |";
    md << "\n|---|---|---|" << (r.has_baseline() ? "---|---|" : "") << "\n";
    for (const proto::StudyArmResult& a : r.arms()) {
      const proto::StudyArmMeasure* m = FindMeasure(a, name);
      if (m == nullptr) continue;
      md << "| " << a.name() << " | " << m->value().n() << " | " << IntervalText(name, m->value()) << " |";
      if (r.has_baseline()) {
        if (a.baseline()) {
          md << " — | — |";
        } else {
          md << " " << DiffText(name, m->paired_diff()) << " | "
             << (m->has_unpaired_ci_low() ? "[" + FormatDifference(name, m->unpaired_ci_low()) + ", " +
                                                FormatDifference(name, m->unpaired_ci_high()) + "]"
                                          : "n/a")
             << " |";
        }
      }
      md << "\n";
    }
    md << "\n";
  }
  // How much narrower pairing makes the difference intervals, over every reported measure.
  for (const proto::StudyArmResult& a : r.arms()) {
    for (const proto::StudyArmMeasure& m : a.measures()) {
      if (!m.paired_diff().has_ci_low() || !m.has_unpaired_ci_low()) continue;
      const double unpaired = m.unpaired_ci_high() - m.unpaired_ci_low();
      if (unpaired > 0) ratios.push_back((m.paired_diff().ci_high() - m.paired_diff().ci_low()) / unpaired);
    }
  }
  if (!ratios.empty()) {
    std::sort(ratios.begin(), ratios.end());
    const double median = ratios.size() % 2 == 1 ? ratios[ratios.size() / 2]
                                                 : (ratios[ratios.size() / 2 - 1] + ratios[ratios.size() / 2]) / 2;
    md << "Common random numbers: over " << ratios.size() << " (arm, measure) differences with a non-zero unpaired "
       << "interval, the paired 95% interval is a median " << FormatNumber(median) << " times the width of the unpaired "
       << "(Welch) one (range " << FormatNumber(ratios.front()) << " to " << FormatNumber(ratios.back()) << ").\n\n";
  }

  md << "## Pareto front\n\nObjectives:";
  for (const proto::StudyObjective& o : r.pareto()) {
    md << " " << (o.direction() == proto::MAXIMIZE ? "maximise" : "minimise") << " `" << o.measure() << "`;";
  }
  std::string front, dominated;
  for (const proto::StudyArmResult& a : r.arms()) {
    if (a.pareto()) front += (front.empty() ? "" : ", ") + a.name();
    if (a.dominated_by_size() > 0) dominated += (dominated.empty() ? "" : ", ") + a.name();
  }
  md << " On the front of the means (no arm at least as good in every objective and better in one): "
     << (front.empty() ? "none" : front) << ". Dominated with 95% confidence (paired intervals; see the decision "
     << "table for by whom): " << (dominated.empty() ? "none" : dominated) << ".\n\n";
  md << "![Pareto front](pareto.svg)\n\n";
  md << "## Token cost against value\n\n![token cost against value](cost_value.svg)\n\n";
  const std::string third = r.pareto_size() > 2 ? r.pareto(2).measure() : "incidents";
  md << "## " << third << "\n\n![" << third << " per arm](incidents.svg)\n\n";

  if (show_elasticity) {
    md << "## Value–token elasticity\n\nWithin an arm: the least-squares slope of ln(value) on ln(tokens) over its "
       << "runs (how value moves with tokens from run to run), with its 95% interval (n runs, n − 2 degrees of "
       << "freedom). Against the baseline: ln(mean value ratio) / ln(mean tokens ratio), shown only where the "
       << "arm's tokens differ from the baseline's with 95% confidence.\n\n"
       << "| arm | n | within [95% CI] | vs baseline |\n|---|---|---|---|\n";
    for (const proto::StudyArmResult& a : r.arms()) {
      const proto::StudyInterval& e = a.elasticity_within();
      md << "| " << a.name() << " | " << e.n() << " | "
         << (e.has_mean() ? FormatNumber(e.mean()) + (e.has_ci_low() ? " [" + FormatNumber(e.ci_low()) + ", " +
                                                                            FormatNumber(e.ci_high()) + "]"
                                                                      : "")
                          : "n/a")
         << " | " << (a.has_elasticity_vs_baseline() ? FormatNumber(a.elasticity_vs_baseline()) : "n/a") << " |\n";
    }
  }
  bool any_failed = false;
  for (const proto::StudyRunRecord& run : r.runs()) {
    if (run.ok()) continue;
    if (!any_failed) md << "\n## Failed runs\n\n| arm | replication | seed | error |\n|---|---|---|---|\n";
    any_failed = true;
    md << "| " << r.arms(static_cast<int>(run.arm_index())).name() << " | " << run.replication() << " | " << run.seed()
       << " | " << Cell(run.error()) << " |\n";
  }
  return md.str();
}

}  // namespace

Status WriteOutputs(const proto::StudyResults& r, const std::string& dir) {
  std::vector<std::string> key;
  if (!r.arms().empty()) {
    for (const proto::StudyArmMeasure& m : r.arms(0).measures()) key.push_back(m.measure());
  }
  // With every measure reported, the readable report keeps to the decision's measures.
  if (static_cast<int>(key.size()) >= r.measure_names_size()) key.assign(r.decision().key_measures().begin(), r.decision().key_measures().end());
  // The elasticity only where the study is about tokens: it reports the token count.
  const bool show_elasticity = std::find(key.begin(), key.end(), "tokens.total_tokens") != key.end();
  const std::string first = r.pareto_size() > 0 ? r.pareto(0).measure() : "tokens.cost_usd";
  const std::string second = r.pareto_size() > 1 ? r.pareto(1).measure() : "value_usd";
  const std::string third = r.pareto_size() > 2 ? r.pareto(2).measure() : "incidents";
  const bool max_first = r.pareto_size() > 0 && r.pareto(0).direction() == proto::MAXIMIZE;
  const bool max_second = r.pareto_size() > 1 && r.pareto(1).direction() == proto::MAXIMIZE;
  const int chosen = r.decision().has_best_arm() ? static_cast<int>(r.decision().best_arm()) : -1;
  const std::vector<std::pair<std::string, std::string>> files = {
      {"arms.csv", ArmsCsv(r)},
      {"runs.csv", RunsCsv(r)},
      {"report.md", Report(r, key, show_elasticity)},
      {"decision.svg", RowsChart(r, r.decision().objective(), chosen)},
      {"cost_value.svg", ScatterChart(r, "Token cost against value per arm", "tokens.cost_usd", "value_usd", false,
                                      false, true)},
      {"pareto.svg", ScatterChart(r, "Pareto front: " + first + " and " + second + " (" +
                                         std::to_string(r.pareto_size()) + " objectives)",
                                  first, second, true, max_first, max_second)},
      {"incidents.svg", RowsChart(r, third, -1)},
      {"study.clawstudy", EncodeResultsFile(r)},
  };
  for (const auto& [name, contents] : files) {
    if (Status s = run::WriteFileAtomically(dir + "/" + name, contents); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace clawsim::study
