#include "sim/study/results.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "sim/run/atomic_file.h"
#include "sim/run/number_format.h"
#include "sim/study/stats.h"
#include "sim/study/svg.h"

namespace clawsim::study {
namespace {

constexpr const char* kMagic = "clawsim-study";
constexpr uint32_t kFormatMajor = 1;
constexpr uint32_t kFormatMinor = 0;
const double kNaN = std::numeric_limits<double>::quiet_NaN();

void SetInterval(const Interval& in, proto::StudyInterval* out) {
  out->set_n(in.n);
  if (!in.has_mean()) return;
  out->set_mean(in.mean);
  if (!in.has_ci()) return;
  out->set_sd(in.sd);
  out->set_ci_low(in.ci_low);
  out->set_ci_high(in.ci_high);
}

// Four significant digits for people, without exponents.
std::string Human(double v) {
  if (!std::isfinite(v)) return "—";
  if (v == 0) return "0";
  const int mag = static_cast<int>(std::floor(std::log10(std::abs(v))));
  const int decimals = std::clamp(3 - mag, 0, 10);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
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
  out->set_magic(kMagic);
  out->set_format_major(kFormatMajor);
  out->set_format_minor(kFormatMinor);
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
  // 2. Runs, with values aligned to measure_names.
  const size_t nm = static_cast<size_t>(out->measure_names_size());
  std::vector<std::vector<double>> values(plan.size(), std::vector<double>(nm, kNaN));
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
  // The Pareto objectives are always reported, so a reader (the viewer) finds them per arm.
  for (const Objective& o : spec.pareto) {
    if (std::find(reported.begin(), reported.end(), o.measure) == reported.end()) reported.push_back(o.measure);
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
      SetInterval(MeanInterval(finite(x)), am->mutable_value());
      if (spec.baseline < 0 || static_cast<int>(a) == spec.baseline) continue;
      const std::vector<double> b = by_replication(static_cast<uint32_t>(spec.baseline), m);
      std::vector<double> pa, pb;
      for (size_t r = 0; r < x.size(); ++r) {
        if (std::isfinite(x[r]) && std::isfinite(b[r])) pa.push_back(x[r]), pb.push_back(b[r]);
      }
      SetInterval(PairedDifference(pa, pb), am->mutable_paired_diff());
      const WelchInterval w = UnpairedDifference(finite(x), finite(b));
      if (w.ok) {
        am->set_unpaired_ci_low(w.ci_low);
        am->set_unpaired_ci_high(w.ci_high);
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
      if (va.has_mean() && vb.has_mean() && ta.has_mean() && tb.has_mean() && va.mean > 0 && vb.mean > 0 &&
          ta.mean > 0 && tb.mean > 0 && std::abs(std::log(ta.mean / tb.mean)) > 1e-12) {
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

// Cost against value: each arm's means with their 95% intervals both ways.
std::string CostValueChart(const proto::StudyResults& r, const std::string& xm, const std::string& ym, bool front_only) {
  const std::map<std::string, int> index = MeasureIndex(r);
  auto idx = [&](const std::string& n) {
    auto it = index.find(n);
    return it == index.end() ? -1 : it->second;
  };
  std::vector<Interval> xs, ys;
  double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
  for (int a = 0; a < r.arms_size(); ++a) {
    xs.push_back(ArmInterval(r, static_cast<uint32_t>(a), idx(xm)));
    ys.push_back(ArmInterval(r, static_cast<uint32_t>(a), idx(ym)));
    if (!xs.back().has_mean() || !ys.back().has_mean()) continue;
    xlo = std::min(xlo, xs.back().ci_low), xhi = std::max(xhi, xs.back().ci_high);
    ylo = std::min(ylo, ys.back().ci_low), yhi = std::max(yhi, ys.back().ci_high);
  }
  const std::string title = front_only ? "Pareto front (" + std::to_string(r.pareto_size()) + " objectives; first two shown)"
                                       : "Cost against value per arm (means, 95% intervals)";
  Chart c(title, xm, ym, xlo, xhi, ylo, yhi);
  std::vector<std::pair<double, double>> front_line;
  std::vector<std::pair<double, int>> order;
  for (int a = 0; a < r.arms_size(); ++a) {
    const Interval& x = xs[static_cast<size_t>(a)];
    const Interval& y = ys[static_cast<size_t>(a)];
    if (!x.has_mean() || !y.has_mean()) continue;
    const bool on_front = r.arms(a).pareto();
    if (!front_only) {
      c.svg().Line(c.X(x.ci_low), c.Y(y.mean), c.X(x.ci_high), c.Y(y.mean), "#4a7ab5", 1.5);
      c.svg().Line(c.X(x.mean), c.Y(y.ci_low), c.X(x.mean), c.Y(y.ci_high), "#4a7ab5", 1.5);
      c.svg().Circle(c.X(x.mean), c.Y(y.mean), 4, "#1f4e8c");
    } else {
      c.svg().Circle(c.X(x.mean), c.Y(y.mean), on_front ? 6 : 4, on_front ? "#c0392b" : "#aaa");
      if (on_front) order.emplace_back(x.mean, a);
    }
    c.svg().Text(c.X(x.mean) + 7, c.Y(y.mean) - 7, r.arms(a).name(), 11);
  }
  if (front_only && order.size() > 1) {
    std::sort(order.begin(), order.end());
    for (const auto& [xv, a] : order) front_line.emplace_back(c.X(xv), c.Y(ys[static_cast<size_t>(a)].mean));
    c.svg().Polyline(front_line, "#c0392b", 1.5, true);
  }
  return c.Finish();
}

// One bar per arm: the mean of `measure` with its 95% interval.
std::string BarChart(const proto::StudyResults& r, const std::string& measure) {
  const std::map<std::string, int> index = MeasureIndex(r);
  const auto it = index.find(measure);
  const int m = it == index.end() ? -1 : it->second;
  std::vector<Interval> iv;
  double hi = 0, lo = 0;
  for (int a = 0; a < r.arms_size(); ++a) {
    iv.push_back(ArmInterval(r, static_cast<uint32_t>(a), m));
    if (iv.back().has_mean()) hi = std::max(hi, iv.back().ci_high), lo = std::min(lo, iv.back().ci_low);
  }
  // Arm names are written at 35 degrees under their bars, so long grid names fit.
  size_t longest = 0;
  for (const proto::StudyArmResult& a : r.arms()) longest = std::max(longest, a.name().size());
  const double margin = 50 + 6.5 * static_cast<double>(longest) * 0.58;
  const double width = std::max(640.0, 70.0 * r.arms_size() + 110);
  Chart c(measure + " per arm (means, 95% intervals)", "", measure, 0, 1, lo, hi, width, 340 + margin, margin);
  const double slot = (c.plot_right() - c.plot_left()) / std::max(1, r.arms_size());
  for (int a = 0; a < r.arms_size(); ++a) {
    const Interval& v = iv[static_cast<size_t>(a)];
    const double cx = c.plot_left() + slot * (a + 0.5);
    c.svg().Text(cx, c.plot_bottom() + 14, r.arms(a).name(), 11, "end", -35);
    if (!v.has_mean()) continue;
    const double y0 = c.Y(0), y1 = c.Y(v.mean);
    c.svg().Rect(cx - slot * 0.3, std::min(y0, y1), slot * 0.6, std::abs(y1 - y0), "#7fa7d9", "#1f4e8c");
    c.svg().Line(cx, c.Y(v.ci_low), cx, c.Y(v.ci_high), "#222", 1.5);
    c.svg().Line(cx - 6, c.Y(v.ci_low), cx + 6, c.Y(v.ci_low), "#222", 1.5);
    c.svg().Line(cx - 6, c.Y(v.ci_high), cx + 6, c.Y(v.ci_high), "#222", 1.5);
  }
  return c.Finish();
}

std::string IntervalText(const proto::StudyInterval& v) {
  if (!v.has_mean()) return "—";
  if (!v.has_ci_low()) return Human(v.mean());
  return Human(v.mean()) + " [" + Human(v.ci_low()) + ", " + Human(v.ci_high()) + "]";
}

std::string Report(const proto::StudyResults& r, const std::vector<std::string>& key, const std::string& cost,
                   const std::string& value, const std::string& incidents) {
  std::ostringstream md;
  md << "# Study: " << r.name() << "\n\n";
  if (!r.description().empty()) md << r.description() << "\n\n";
  uint32_t ok = 0, failed = 0;
  for (const proto::StudyArmResult& a : r.arms()) ok += a.runs_ok(), failed += a.runs_failed();
  md << "Base scenario `" << r.base_scenario() << "`; " << r.arms_size() << " arms × " << r.replications()
     << " replications; " << ok << " runs ok, " << failed << " failed. Replication r runs with the same seed in every "
     << "arm (common random numbers; study seed " << r.seed() << "). Counterfactual twins: "
     << (r.counterfactual() ? "yes" : "no") << ". Intervals are 95% Student t intervals over replications.\n\n"
     << "Every measure of every arm is in `arms.csv`, every run in `runs.csv`, and everything (with daily series) "
     << "in `study.sqlite`.\n\n";

  md << "## Arms\n\n| arm | overrides | runs ok | failed | Pareto front |\n|---|---|---|---|---|\n";
  for (const proto::StudyArmResult& a : r.arms()) {
    std::string sets;
    for (const std::string& s : a.set()) sets += (sets.empty() ? "" : "<br>") + std::string("`") + s + "`";
    md << "| " << a.name() << (a.baseline() ? " (baseline)" : "") << " | " << (sets.empty() ? "—" : sets) << " | "
       << a.runs_ok() << " | " << a.runs_failed() << " | " << (a.pareto() ? "yes" : "") << " |\n";
  }

  md << "\n## Key measures\n\n";
  std::vector<double> ratios;
  for (const std::string& name : key) {
    md << "### `" << name << "`\n\n| arm | mean [95% CI] |";
    if (r.has_baseline()) md << " difference vs " << r.baseline() << ", paired [95% CI] | unpaired 95% CI |";
    md << "\n|---|---|" << (r.has_baseline() ? "---|---|" : "") << "\n";
    for (const proto::StudyArmResult& a : r.arms()) {
      const proto::StudyArmMeasure* m = FindMeasure(a, name);
      if (m == nullptr) continue;
      md << "| " << a.name() << " | " << IntervalText(m->value()) << " |";
      if (r.has_baseline()) {
        if (a.baseline()) {
          md << " — | — |";
        } else {
          md << " " << IntervalText(m->paired_diff()) << " | "
             << (m->has_unpaired_ci_low() ? "[" + Human(m->unpaired_ci_low()) + ", " + Human(m->unpaired_ci_high()) + "]"
                                          : "—")
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
       << "interval, the paired 95% interval is a median " << Human(median) << " times the width of the unpaired "
       << "(Welch) one (range " << Human(ratios.front()) << " to " << Human(ratios.back()) << ").\n\n";
  }

  md << "## Pareto front\n\nObjectives:";
  for (const proto::StudyObjective& o : r.pareto()) {
    md << " " << (o.direction() == proto::MAXIMIZE ? "maximize" : "minimize") << " `" << o.measure() << "`;";
  }
  md << " over the arms' means. On the front:";
  for (const proto::StudyArmResult& a : r.arms()) {
    if (a.pareto()) md << " " << a.name() << ";";
  }
  md << "\n\n![Pareto front](pareto.svg)\n\n";
  md << "## Cost against value\n\n![cost against value](cost_value.svg)\n\n";
  md << "## " << incidents << "\n\n![" << incidents << " per arm](incidents.svg)\n\n";
  (void)cost;
  (void)value;

  md << "## Value–token elasticity\n\nWithin an arm: the least-squares slope of ln(value) on ln(tokens) over its "
     << "runs (how value moves with tokens from run to run). Against the baseline: ln(mean value ratio) / ln(mean "
     << "tokens ratio).\n\n| arm | within [95% CI] | vs baseline |\n|---|---|---|\n";
  for (const proto::StudyArmResult& a : r.arms()) {
    md << "| " << a.name() << " | " << IntervalText(a.elasticity_within()) << " | "
       << (a.has_elasticity_vs_baseline() ? Human(a.elasticity_vs_baseline()) : "—") << " |\n";
  }
  bool any_failed = false;
  for (const proto::StudyRunRecord& run : r.runs()) {
    if (run.ok()) continue;
    if (!any_failed) md << "\n## Failed runs\n\n| arm | replication | seed | error |\n|---|---|---|---|\n";
    any_failed = true;
    std::string error = run.error();
    std::replace(error.begin(), error.end(), '\n', ' ');
    std::replace(error.begin(), error.end(), '|', '/');
    md << "| " << r.arms(static_cast<int>(run.arm_index())).name() << " | " << run.replication() << " | " << run.seed()
       << " | " << error << " |\n";
  }
  return md.str();
}

}  // namespace

Status WriteOutputs(const proto::StudyResults& r, const std::string& dir) {
  std::string cost = r.pareto_size() > 0 ? r.pareto(0).measure() : "tokens.cost_usd";
  std::string value = r.pareto_size() > 1 ? r.pareto(1).measure() : "value_usd";
  std::string incidents = r.pareto_size() > 2 ? r.pareto(2).measure() : "incidents";
  std::vector<std::string> key;
  if (!r.arms().empty()) {
    for (const proto::StudyArmMeasure& m : r.arms(0).measures()) key.push_back(m.measure());
  }
  // With every measure reported, the readable report keeps to the objectives.
  if (static_cast<int>(key.size()) == r.measure_names_size()) {
    key.clear();
    for (const proto::StudyObjective& o : r.pareto()) key.push_back(o.measure());
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    r.SerializeToCodedStream(&coded);
  }
  const std::vector<std::pair<std::string, std::string>> files = {
      {"arms.csv", ArmsCsv(r)},
      {"runs.csv", RunsCsv(r)},
      {"report.md", Report(r, key, cost, value, incidents)},
      {"cost_value.svg", CostValueChart(r, cost, value, false)},
      {"pareto.svg", CostValueChart(r, cost, value, true)},
      {"incidents.svg", BarChart(r, incidents)},
      {"study.clawstudy", bytes},
  };
  for (const auto& [name, contents] : files) {
    if (Status s = run::WriteFileAtomically(dir + "/" + name, contents); !s.ok()) return s;
  }
  return Status::Ok();
}

Status ReadResultsFile(const std::string& path, proto::StudyResults* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": cannot open");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (!out->ParseFromString(buf.str()) || out->magic() != kMagic) {
    return Status::Error(path + ": not a clawsim study results file");
  }
  if (out->format_major() != kFormatMajor) {
    return Status::Error(path + ": study results format " + std::to_string(out->format_major()) +
                         " is not readable by this build (format " + std::to_string(kFormatMajor) + ".x)");
  }
  return Status::Ok();
}

}  // namespace clawsim::study
