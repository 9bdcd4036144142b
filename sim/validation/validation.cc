#include "sim/validation/validation.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <google/protobuf/text_format.h>

#include "sim/run/summary_measures.h"
#include "sim/scenario/field_path.h"
#include "sim/scenario/load.h"
#include "sim/scenario/located_errors.h"
#include "sim/study/stats.h"

namespace clawsim::validation {
namespace {

std::string Folder(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

Status ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  *out = text.str();
  return Status::Ok();
}

bool NameOk(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

bool Compared(proto::ValidationStatistic s) { return s != proto::ARM_MEAN; }

// One side of a figure (the measured arm, or the reference with `reference`): each arm's
// share, a single arm's 1.
std::map<std::string, double> Side(const proto::Validation& v, bool reference) {
  const std::string& single = reference ? v.reference_arm() : v.arm();
  const auto& mix = reference ? v.reference_mix() : v.arm_mix();
  if (mix.empty()) return {{single, 1.0}};
  double total = 0;
  for (const proto::WeightedArm& w : mix) total += w.weight();
  std::map<std::string, double> side;
  for (const proto::WeightedArm& w : mix) side[w.arm()] += w.weight() / total;
  return side;
}

// Checks one validation against its loaded study; problems go to `errors`, each prefixed.
void CheckValidation(const LoadedValidation& v, const study::StudySpec& spec, std::vector<std::string>* errors) {
  const proto::Validation& p = v.spec;
  auto fail = [&](const std::string& m) { errors->push_back(v.where + "validation " + '"' + p.name() + "\": " + m); };
  if (p.construct().empty()) {
    if (Status s = run::CheckSummaryMeasureName(p.measure()); !s.ok()) fail("measure: " + s.message());
  } else {
    if (p.has_measure()) fail("give measure or construct, not both");
    if (p.statistic() != proto::RELATIVE_CHANGE && p.statistic() != proto::RATIO) {
      fail("a construct is a geometric mean of ratios: choose RELATIVE_CHANGE or RATIO");
    }
    if (p.construct_size() < 2) fail("a construct needs at least two measures (one is `measure`)");
    std::set<std::string> seen;
    for (const proto::ConstructMeasure& c : p.construct()) {
      if (Status s = run::CheckSummaryMeasureName(c.measure()); !s.ok()) fail("construct: " + s.message());
      if (!seen.insert(c.measure()).second) fail("construct: \"" + c.measure() + "\" is listed twice");
    }
  }
  std::set<std::string> arms;
  for (const study::Arm& a : spec.arms) arms.insert(a.name);
  if (!p.pairs().empty()) {
    // Pairs instead of the two sides: each pair's arm against its own reference.
    if (p.has_arm() || !p.arm_mix().empty() || p.has_reference_arm() || !p.reference_mix().empty()) {
      fail("give pairs, or arm and reference_arm (or their mixes), not both");
    }
    if (!Compared(p.statistic())) fail("pairs compare arms: choose RELATIVE_CHANGE, RATIO or DIFFERENCE");
    std::set<std::pair<std::string, std::string>> seen;
    for (const proto::ComparedPair& c : p.pairs()) {
      for (const std::string& a : {c.arm(), c.reference_arm()}) {
        if (arms.count(a) == 0) fail("pairs: \"" + a + "\" is not an arm of " + v.study_path);
      }
      if (c.arm() == c.reference_arm()) fail("pairs: \"" + c.arm() + "\" is compared with itself");
      if (!seen.insert({c.arm(), c.reference_arm()}).second) {
        fail("pairs: \"" + c.arm() + "\" against \"" + c.reference_arm() + "\" is listed twice");
      }
      if (!(std::isfinite(c.weight()) && c.weight() > 0)) {
        fail("pairs: \"" + c.arm() + "\" against \"" + c.reference_arm() + "\" needs a finite weight > 0");
      }
    }
  }
  // One side of the figure: a single arm or a mix, each arm of the study, weights > 0.
  auto check_side = [&](const char* single, const char* mix, bool has_single, const std::string& arm,
                        const google::protobuf::RepeatedPtrField<proto::WeightedArm>& arm_mix) {
    if (has_single && !arm_mix.empty()) return fail(std::string("give ") + single + " or " + mix + ", not both");
    if (!has_single && arm_mix.empty()) return fail(std::string("needs ") + single + " (or " + mix + ")");
    if (has_single) {
      if (arms.count(arm) == 0) fail(std::string(single) + " \"" + arm + "\" is not an arm of " + v.study_path);
      return;
    }
    std::set<std::string> seen;
    for (const proto::WeightedArm& w : arm_mix) {
      if (arms.count(w.arm()) == 0) fail(std::string(mix) + ": \"" + w.arm() + "\" is not an arm of " + v.study_path);
      if (!seen.insert(w.arm()).second) fail(std::string(mix) + ": \"" + w.arm() + "\" is listed twice");
      if (!(std::isfinite(w.weight()) && w.weight() > 0)) {
        fail(std::string(mix) + ": \"" + w.arm() + "\" needs a finite weight > 0");
      }
    }
  };
  if (p.pairs().empty()) {  // (pairs were checked above)
    check_side("arm", "arm_mix", p.has_arm(), p.arm(), p.arm_mix());
    if (Compared(p.statistic())) {
      check_side("reference_arm", "reference_mix", p.has_reference_arm(), p.reference_arm(), p.reference_mix());
      if (Side(p, false) == Side(p, true)) fail("the reference is the measured arm itself");
    } else if (p.has_reference_arm() || !p.reference_mix().empty()) {
      fail("ARM_MEAN takes no reference_arm or reference_mix; remove it or choose RELATIVE_CHANGE, RATIO or DIFFERENCE");
    }
  }
  if (!p.has_published() || !p.has_published_low() || !p.has_published_high()) {
    fail("published, published_low and published_high are required");
  } else if (!(std::isfinite(p.published_low()) && std::isfinite(p.published_high()) && std::isfinite(p.published()) &&
               p.published_low() <= p.published() && p.published() <= p.published_high())) {
    fail("needs finite published_low <= published <= published_high");
  }
  for (const std::string& setting : p.calibrates()) {
    if (!IsMechanismSetting(setting)) {
      std::string prefixes;
      for (const std::string& prefix : MechanismPrefixes()) prefixes += (prefixes.empty() ? "" : ", ") + prefix;
      fail("calibrates: \"" + setting + "\" is not a mechanism setting (a calibration names a default of the model: " +
           prefixes + ")");
    }
  }
  if (p.quick_days() < 1 || p.quick_days() > 3650) fail("quick_days must be in [1, 3650]");
  if (p.quick_replications() < 2 || p.quick_replications() > 100) fail("quick_replications must be in [2, 100]");
  // One parameter set for every row: the study sets the situation only.
  for (const study::Arm& a : spec.arms) {
    for (const std::string& o : a.overrides) {
      std::string_view path, value;
      if (!scenario::SplitAssignment(o, &path, &value)) path = o;  // the study loader refuses it
      if (IsMechanismSetting(std::string(path))) {
        fail("study arm \"" + a.name + "\" overrides " + std::string(path) +
             ", a mechanism setting; a validation sets only the situation (who, what work, which policy, how long)");
      }
    }
  }
  scenario::LoadedScenario base;
  if (Status s = scenario::LoadScenario(spec.base_path, {}, &base); !s.ok()) {
    fail("base scenario: " + s.message());
  } else if (base.scenario.has_help_costs() || base.scenario.has_adoption()) {
    fail(spec.base_path + " sets " + (base.scenario.has_help_costs() ? "help_costs" : "adoption") +
         "; a validation's scenario keeps the model's defaults for its mechanisms");
  }
}

// The figure one measure gives, by replication: the arm's value (or its mix's), or its change
// against the reference; for a construct the plain ratio arm / reference of positive values.
// False when the results lack an arm of either side.
bool MeasureFigure(const proto::Validation& v, const proto::StudyResults& results, int measure,
                   std::map<uint32_t, double>* figure) {
  const bool construct = !v.construct().empty();
  // Each side's value by replication, over successful runs with a finite value: a mix's
  // weighted mean where every arm of it gave one.
  auto side_values = [&](bool reference, std::map<uint32_t, double>* out) {
    const std::map<std::string, double> side = Side(v, reference);
    std::map<int, double> share;  // arm index -> share
    for (int i = 0; i < results.arms_size(); ++i) {
      if (auto it = side.find(results.arms(i).name()); it != side.end()) share[i] = it->second;
    }
    if (share.size() != side.size()) return false;
    std::map<uint32_t, std::pair<double, size_t>> sum;  // replication -> (weighted sum, arms seen)
    for (const proto::StudyRunRecord& r : results.runs()) {
      auto it = share.find(static_cast<int>(r.arm_index()));
      if (it == share.end() || !r.ok() || measure >= r.values_size() || !std::isfinite(r.values(measure))) continue;
      sum[r.replication()].first += it->second * r.values(measure);
      ++sum[r.replication()].second;
    }
    for (const auto& [replication, s] : sum) {
      if (s.second == share.size()) (*out)[replication] = s.first;
    }
    return true;
  };
  std::map<uint32_t, double> arm_value, reference_value;
  if (!side_values(false, &arm_value) || (Compared(v.statistic()) && !side_values(true, &reference_value))) return false;
  for (const auto& [replication, a] : arm_value) {
    if (!Compared(v.statistic())) {
      (*figure)[replication] = a;
      continue;
    }
    auto it = reference_value.find(replication);
    if (it == reference_value.end()) continue;
    const double b = it->second;
    if (construct) {
      // A ratio of positive values, whose log the construct averages.
      if (a > 0 && b > 0) (*figure)[replication] = a / b;
      continue;
    }
    switch (v.statistic()) {
      case proto::RELATIVE_CHANGE:
        if (b != 0) (*figure)[replication] = a / b - 1;
        break;
      case proto::RATIO:
        if (b != 0) (*figure)[replication] = a / b;
        break;
      default:
        (*figure)[replication] = a - b;
    }
  }
  return true;
}

// The figure by replication for one arm (or mix) against its reference: one measure's, or a
// construct's geometric mean of the ratios its measures gave in that replication.
bool FigureByReplication(const proto::Validation& v, const proto::StudyResults& results,
                         const std::vector<std::pair<std::string, bool>>& wanted, const std::vector<int>& index,
                         std::map<uint32_t, double>* out) {
  if (wanted.size() == 1) return MeasureFigure(v, results, index[0], out);
  // A construct: by replication, the mean of its measures' log ratios. A measure with no
  // value in a replication (a zero on either side: the time to restore where no incident
  // ended) is left out of that replication's mean; a replication where none has one gives
  // nothing.
  std::map<uint32_t, std::pair<double, int>> log_sum;  // replication -> (sum, measures)
  for (size_t k = 0; k < wanted.size(); ++k) {
    std::map<uint32_t, double> one;
    if (!MeasureFigure(v, results, index[k], &one)) return false;
    for (const auto& [replication, ratio] : one) {
      auto& [sum, n] = log_sum[replication];
      sum += std::log(wanted[k].second ? 1 / ratio : ratio);
      ++n;
    }
  }
  for (const auto& [replication, s] : log_sum) {
    const double ratio = std::exp(s.first / static_cast<double>(s.second));
    (*out)[replication] = v.statistic() == proto::RELATIVE_CHANGE ? ratio - 1 : ratio;
  }
  return true;
}

}  // namespace

const std::vector<std::string>& MechanismPrefixes() {
  static const std::vector<std::string> kPrefixes = {"help_costs",  "adoption", "model_tiers", "skills",
                                                     "threats.agent_error_rate_multiplier",
                                                     "threats.injection_campaigns.success_probability",
                                                     "defenses.injection_detector.detection_rate",
                                                     "defenses.injection_detector.false_positive_rate",
                                                     "deploy.release_testing_half_life_hours",
                                                     "organization.effort_factor"};
  return kPrefixes;
}

bool IsMechanismSetting(const std::string& path) {
  std::string fields;  // the path without its selectors
  int depth = 0;
  for (const char c : path) {
    if (c == '[') ++depth;
    if (depth == 0) fields += c;
    if (c == ']') --depth;
  }
  for (const std::string& prefix : MechanismPrefixes()) {
    if (fields.compare(0, prefix.size(), prefix) == 0) return true;
  }
  return false;
}

Status LoadSuite(const std::string& path, Suite* out) {
  out->path = path;
  out->validations.clear();
  std::string text;
  if (Status s = ReadFile(path, &text); !s.ok()) return s;
  proto::ValidationSuite suite;
  google::protobuf::TextFormat::ParseInfoTree tree;
  if (Status s = scenario::ParseLocated(text, path, "validation suite", &suite, &tree); !s.ok()) return s;
  if (suite.validations_size() == 0) return Status::Error(path + ": no validations; add validations { ... }");
  std::vector<std::string> errors;
  std::set<std::string> names;
  for (int i = 0; i < suite.validations_size(); ++i) {
    LoadedValidation v;
    v.spec = suite.validations(i);
    v.where = scenario::Where(path, &tree, suite, "validations", i);
    if (!NameOk(v.spec.name())) {
      errors.push_back(v.where + "validation name \"" + v.spec.name() + "\" must be letters, digits and -_. only");
      continue;
    }
    if (!names.insert(v.spec.name()).second) {
      errors.push_back(v.where + "validation name \"" + v.spec.name() + "\" is used twice");
      continue;
    }
    if (v.spec.study().empty()) {
      errors.push_back(v.where + "validation \"" + v.spec.name() + "\": study is required");
      continue;
    }
    v.study_path = Folder(path) + v.spec.study();
    if (Status s = ReadFile(v.study_path, &v.study_text); !s.ok()) {
      errors.push_back(v.where + "validation \"" + v.spec.name() + "\": " + s.message());
      continue;
    }
    study::StudySpec spec;
    if (Status s = study::LoadStudyFromText(v.study_text, v.study_path, &spec); !s.ok()) {
      errors.push_back(v.where + "validation \"" + v.spec.name() + "\": study:\n" + s.message());
      continue;
    }
    CheckValidation(v, spec, &errors);
    out->validations.push_back(std::move(v));
  }
  if (!errors.empty()) {
    std::string m;
    for (const std::string& e : errors) m += (m.empty() ? "" : "\n") + e;
    return Status::Error(m);
  }
  return Status::Ok();
}

std::string QuickStudyText(const LoadedValidation& v) {
  proto::Study study;
  google::protobuf::TextFormat::ParseFromString(v.study_text, &study);  // loaded once already
  study.add_set("run.days=" + std::to_string(v.spec.quick_days()));
  // A steady-state window longer than the quick run: the quick check reads the whole run.
  bool window = false;
  for (const std::string& set : study.set()) window = window || set.rfind("incentives.ratios_from_day=", 0) == 0;
  if (window) study.add_set("incentives.ratios_from_day=0");
  study.set_replications(v.spec.quick_replications());
  std::string text;
  google::protobuf::TextFormat::PrintToString(study, &text);
  return text;
}

Figure Evaluate(const proto::Validation& v, const proto::StudyResults& results) {
  Figure f;
  f.name = v.name();
  // The measures read: `measure`, or each of the construct's (with its direction).
  std::vector<std::pair<std::string, bool>> wanted;
  if (v.construct().empty()) wanted.emplace_back(v.measure(), false);
  for (const proto::ConstructMeasure& c : v.construct()) wanted.emplace_back(c.measure(), c.lower_is_more());
  std::vector<int> index(wanted.size(), -1);
  for (size_t k = 0; k < wanted.size(); ++k) {
    for (int i = 0; i < results.measure_names_size(); ++i) {
      if (results.measure_names(i) == wanted[k].first) index[k] = i;
    }
    if (index[k] < 0) {
      f.error = "no run has measure " + wanted[k].first;
      return f;
    }
  }
  std::vector<double> x;
  if (v.pairs().empty()) {
    std::map<uint32_t, double> by_replication;
    if (!FigureByReplication(v, results, wanted, index, &by_replication)) {
      f.error = "the study's results lack an arm";
      return f;
    }
    for (const auto& [replication, value] : by_replication) x.push_back(value);
  } else {
    // Each pair's figure, then their weighted mean where every pair gave one.
    double total = 0;
    for (const proto::ComparedPair& c : v.pairs()) total += c.weight();
    std::map<uint32_t, std::pair<double, int>> sum;  // replication -> (weighted sum, pairs seen)
    for (const proto::ComparedPair& c : v.pairs()) {
      proto::Validation one = v;
      one.clear_pairs();
      one.set_arm(c.arm());
      one.set_reference_arm(c.reference_arm());
      std::map<uint32_t, double> by_replication;
      if (!FigureByReplication(one, results, wanted, index, &by_replication)) {
        f.error = "the study's results lack an arm";
        return f;
      }
      for (const auto& [replication, value] : by_replication) {
        sum[replication].first += c.weight() / total * value;
        ++sum[replication].second;
      }
    }
    for (const auto& [replication, s] : sum) {
      if (s.second == v.pairs_size()) x.push_back(s.first);
    }
  }
  if (x.empty()) {
    f.error = "no replication gave a value (failed runs, or a zero reference)";
    return f;
  }
  const study::Interval in = study::MeanInterval(x);
  f.n = in.n;
  f.mean = in.mean;
  f.ci_low = in.has_ci() ? in.ci_low : in.mean;
  f.ci_high = in.has_ci() ? in.ci_high : in.mean;
  f.inside = f.mean >= v.published_low() && f.mean <= v.published_high();
  f.sign_ok = v.quick_sign() == proto::ANY_SIGN || (v.quick_sign() == proto::POSITIVE ? f.mean > 0 : f.mean < 0);
  return f;
}

std::string MeasureLabel(const proto::Validation& v) {
  if (v.construct().empty()) return v.measure();
  std::string s = "geometric mean of";
  for (const proto::ConstructMeasure& c : v.construct()) {
    s += std::string(&c == &v.construct(0) ? " " : "; ") + (c.lower_is_more() ? "1/" : "") + c.measure();
  }
  return s;
}


std::string FormatValue(const proto::Validation& v, double x) {
  char buf[64];
  if (v.unit() == "fraction") {
    // A change carries its sign; a rate (ARM_MEAN) does not.
    std::snprintf(buf, sizeof buf, v.statistic() == proto::ARM_MEAN ? "%.1f %%" : "%+.1f %%", 100 * x);
  } else {
    std::snprintf(buf, sizeof buf, "%.3g%s%s", x, v.unit().empty() ? "" : " ", v.unit().c_str());
  }
  return buf;
}

Tally Count(const Suite& suite, const std::vector<Figure>& figures) {
  Tally t;
  for (size_t i = 0; i < suite.validations.size() && i < figures.size(); ++i) {
    const bool calibration = !suite.validations[i].spec.calibrates().empty();
    const bool inside = figures[i].n > 0 && figures[i].inside;
    (calibration ? t.calibration : t.independent) += 1;
    (calibration ? t.calibration_inside : t.independent_inside) += inside ? 1 : 0;
  }
  return t;
}

std::string MarkdownTable(const Suite& suite, const std::vector<Figure>& figures, bool quick) {
  std::string s = "| validation | published | simulated (95 % interval, n) | verdict |\n|---|---|---|---|\n";
  for (size_t i = 0; i < suite.validations.size() && i < figures.size(); ++i) {
    const proto::Validation& v = suite.validations[i].spec;
    const Figure& f = figures[i];
    s += "| " + v.name() + ": " + v.claim() + " (" + v.source() + ") | " + FormatValue(v, v.published()) + " [" +
         FormatValue(v, v.published_low()) + ", " + FormatValue(v, v.published_high()) + "] | ";
    if (f.n == 0) {
      s += "no figure: " + f.error + " | - |\n";
      continue;
    }
    s += FormatValue(v, f.mean) + " [" + FormatValue(v, f.ci_low) + ", " + FormatValue(v, f.ci_high) + "], n = " +
         std::to_string(f.n) + " | ";
    s += f.inside ? "inside" : "OUTSIDE";
    if (!v.calibrates().empty()) s += " (calibration)";
    if (quick) s += f.sign_ok ? "; sign as expected" : "; WRONG SIGN";
    s += " |\n";
  }
  const Tally t = Count(suite, figures);
  s += "\nIndependent rows inside their published interval: " + std::to_string(t.independent_inside) + " of " +
       std::to_string(t.independent) + ".";
  if (t.calibration > 0) {
    s += " Calibration rows (a default was chosen to meet them) inside: " + std::to_string(t.calibration_inside) +
         " of " + std::to_string(t.calibration) + ".";
  }
  return s + "\n";
}

}  // namespace clawsim::validation
