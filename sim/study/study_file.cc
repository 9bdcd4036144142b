#include "sim/study/study_file.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/engine/hash.h"
#include "sim/model/runner.h"
#include "sim/study/plan.h"
#include "sim/run/number_format.h"
#include "sim/scenario/field_path.h"
#include "sim/scenario/located_errors.h"
#include "sim/scenario/pending.h"
#include "sim/study/measures.h"
#include "sim/study/pricing.h"

namespace clawsim::study {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::TextFormat;

using scenario::Nested;
using scenario::Where;

bool ValidArmName(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::strchr("-_.=,+/:", c) != nullptr;
    if (!ok) return false;
  }
  return true;
}

// An override with the place it was written, for messages.
struct Located {
  std::string text;
  std::string where;
};

struct Draft {
  std::string name;
  std::string description;
  std::vector<Located> overrides;
  std::string where;
};

std::string Hex16(uint64_t v) { return run::FormatFingerprint(v); }

uint64_t HashBytes(const std::string& bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a, then a final mix
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return engine::Mix64(h);
}

// Expands one grid into drafts (first axis slowest). Problems go to *problems.
void ExpandGrid(const std::string& file, const proto::StudyGrid& grid, const TextFormat::ParseInfoTree* gtree,
                const std::string& grid_where, std::vector<Draft>* drafts, std::vector<std::string>* problems) {
  struct Level {
    std::string label;
    std::vector<Located> overrides;
    std::string where;
  };
  std::vector<std::pair<std::string, std::vector<Level>>> axes;
  for (int a = 0; a < grid.axes_size(); ++a) {
    const proto::StudyAxis& axis = grid.axes(a);
    const TextFormat::ParseInfoTree* atree = Nested(gtree, grid, "axes", a);
    const std::string axis_where = Where(file, gtree, grid, "axes", a);
    const bool by_path = axis.has_path() || axis.values_size() > 0;
    if (by_path == (axis.levels_size() > 0)) {
      problems->push_back(axis_where + "a grid axis has either `path` and `values` or `levels`, not " +
                          (by_path ? "both" : "neither"));
      continue;
    }
    std::vector<Level> levels;
    if (by_path) {
      if (axis.path().empty() || axis.values_size() == 0) {
        problems->push_back(axis_where + "a grid axis with `path` needs at least one of `values`");
        continue;
      }
      for (int v = 0; v < axis.values_size(); ++v) {
        levels.push_back({axis.values(v), {{axis.path() + "=" + axis.values(v), Where(file, atree, axis, "values", v)}},
                          Where(file, atree, axis, "values", v)});
      }
      axes.emplace_back(axis.has_name() ? axis.name() : axis.path(), std::move(levels));
    } else {
      for (int l = 0; l < axis.levels_size(); ++l) {
        const proto::StudyLevel& level = axis.levels(l);
        const TextFormat::ParseInfoTree* ltree = Nested(atree, axis, "levels", l);
        Level out{level.label(), {}, Where(file, atree, axis, "levels", l)};
        if (level.label().empty()) problems->push_back(out.where + "a grid level needs a `label`");
        for (int s = 0; s < level.set_size(); ++s) out.overrides.push_back({level.set(s), Where(file, ltree, level, "set", s)});
        levels.push_back(std::move(out));
      }
      axes.emplace_back(axis.has_name() ? axis.name() : "level", std::move(levels));
    }
  }
  if (axes.empty()) {
    problems->push_back(grid_where + "a grid needs at least one axis");
    return;
  }
  if (axes.size() != static_cast<size_t>(grid.axes_size())) return;
  std::vector<Located> common;
  for (int s = 0; s < grid.set_size(); ++s) common.push_back({grid.set(s), Where(file, gtree, grid, "set", s)});
  std::vector<size_t> at(axes.size(), 0);
  while (true) {
    Draft d;
    d.overrides = common;
    for (size_t a = 0; a < axes.size(); ++a) {
      const Level& level = axes[a].second[at[a]];
      d.name += (a == 0 ? "" : ",") + axes[a].first + "=" + level.label;
      d.overrides.insert(d.overrides.end(), level.overrides.begin(), level.overrides.end());
      d.where = level.where;
    }
    if (!grid.prefix().empty()) d.name = grid.prefix() + "/" + d.name;
    drafts->push_back(std::move(d));
    size_t a = axes.size();
    while (a > 0) {
      --a;
      if (++at[a] < axes[a].second.size()) break;
      at[a] = 0;
      if (a == 0) return;
    }
  }
}

// A summary measure or one of the priced measures (pricing.h).
Status CheckStudyMeasureName(const std::string& name) {
  if (IsPricedMeasure(name)) return Status::Ok();
  if (name.rfind("priced.", 0) == 0) {
    std::string valid;
    for (const std::string& n : PricedMeasureNames()) valid += (valid.empty() ? "" : ", ") + n;
    return Status::Error("measure \"" + name + "\": no such priced measure; valid: " + valid);
  }
  return CheckSummaryMeasureName(name);
}

// The number of arms the grid expands to, or 0 if it exceeds `limit` (checked before
// expanding, so a 4^16-arm grid is refused without building it).
uint64_t GridArms(const proto::StudyGrid& grid, uint64_t limit) {
  uint64_t n = 1;
  for (const proto::StudyAxis& axis : grid.axes()) {
    const uint64_t levels = static_cast<uint64_t>(std::max(axis.values_size(), axis.levels_size()));
    if (levels == 0) continue;
    if (n > limit / levels) return 0;
    n *= levels;
  }
  return n;
}

}  // namespace

bool CounterfactualSupported() { return HasCounterfactualOption<model::RunOptions>; }

uint64_t ReplicationSeed(uint64_t study_seed, uint32_t replication) {
  return engine::Mix64(study_seed + replication) >> 1;
}

Status LoadStudy(const std::string& path, StudySpec* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::Error(path + ": cannot read: " + std::strerror(errno));
  return LoadStudyFromText(text.str(), path, out);
}

Status LoadStudyFromText(const std::string& text, const std::string& path, StudySpec* out) {
  *out = StudySpec();
  out->path = path;

  // 1. Parse, keeping where every field was written.
  TextFormat::ParseInfoTree tree;
  if (Status s = scenario::ParseLocated(text, path, "study", &out->proto, &tree); !s.ok()) return s;
  const proto::Study& st = out->proto;
  std::vector<std::string> problems;
  auto fail = [&]() {
    std::string message;
    for (size_t i = 0; i < problems.size() && i < 25; ++i) message += (i == 0 ? "" : "\n") + problems[i];
    if (problems.size() > 25) message += "\n(" + std::to_string(problems.size() - 25) + " more problems)";
    return Status::Error(message);
  };

  // 2. Study-wide settings.
  out->name = st.has_name() ? st.name() : std::filesystem::path(path).stem().string();
  out->replications = st.replications();
  out->seed = st.seed();
  out->counterfactual = st.counterfactual();
  if (st.replications() < 1) problems.push_back(Where(path, &tree, st, "replications") + "replications must be at least 1 (2 or more for intervals)");
  if (st.replications() > kMaxReplications) {
    problems.push_back(Where(path, &tree, st, "replications") + "replications " + std::to_string(st.replications()) +
                       " is more than " + std::to_string(kMaxReplications) +
                       " per arm; intervals narrow with the square root of the replications, so split the study or "
                       "use fewer");
  }
  {
    uint64_t arms = static_cast<uint64_t>(st.arms_size());
    bool too_many = false;
    for (int g = 0; g < st.grids_size() && !too_many; ++g) {
      const uint64_t n = GridArms(st.grids(g), kMaxArms);
      too_many = n == 0 || arms + n > kMaxArms;
      arms += n;
      if (too_many) {
        problems.push_back(Where(path, &tree, st, "grids", g) + "the study has more than " + std::to_string(kMaxArms) +
                           " arms (this grid alone multiplies its axes' levels past it); split it into several studies");
      }
    }
    const uint64_t runs = arms * std::max<uint64_t>(1, st.replications());
    if (!too_many && st.replications() <= kMaxReplications && runs > kMaxRuns) {
      problems.push_back(Where(path, &tree, st, "replications") + std::to_string(arms) + " arms x " +
                         std::to_string(st.replications()) + " replications = " + std::to_string(runs) +
                         " runs, more than " + std::to_string(kMaxRuns) + "; split the study or use fewer replications");
    }
  }
  if (!problems.empty()) return fail();
  if (st.seed() >= (uint64_t{1} << 63)) problems.push_back(Where(path, &tree, st, "seed") + "seed must be below 2^63");
  if (st.counterfactual() && !CounterfactualSupported()) {
    problems.push_back(Where(path, &tree, st, "counterfactual") +
                       "counterfactual: true needs the model's counterfactual runner (the no-agent twin of every run), "
                       "which this build does not have; remove the field");
  }
  if (st.base_scenario().empty()) {
    problems.push_back(path + ": base_scenario is missing; name the scenario every arm starts from, relative to this file");
    return fail();
  }
  const std::filesystem::path base = std::filesystem::path(path).parent_path() / st.base_scenario();
  out->base_path = base.lexically_normal().string();
  std::string base_text;
  {
    std::ifstream in(out->base_path, std::ios::binary);
    if (!in) {
      problems.push_back(Where(path, &tree, st, "base_scenario") + "base_scenario \"" + st.base_scenario() +
                         "\": cannot open " + out->base_path + ": " + std::strerror(errno));
      return fail();
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    base_text = buf.str();
  }
  scenario::LoadedScenario base_loaded;
  if (Status s = scenario::LoadScenarioFromText(base_text, out->base_path, {}, &base_loaded); !s.ok()) {
    return Status::Error(Where(path, &tree, st, "base_scenario") + "base_scenario \"" + st.base_scenario() +
                         "\" does not load:\n" + s.message());
  }

  out->pending_in_base = scenario::PendingSettingsInUse(base_loaded.scenario);

  // 3. Arms: listed ones, then grids.
  std::vector<Located> common;
  for (int s = 0; s < st.set_size(); ++s) common.push_back({st.set(s), Where(path, &tree, st, "set", s)});
  std::vector<Draft> drafts;
  for (int a = 0; a < st.arms_size(); ++a) {
    const proto::StudyArm& arm = st.arms(a);
    const TextFormat::ParseInfoTree* atree = Nested(&tree, st, "arms", a);
    Draft d{arm.name(), arm.description(), common, Where(path, &tree, st, "arms", a)};
    for (int s = 0; s < arm.set_size(); ++s) d.overrides.push_back({arm.set(s), Where(path, atree, arm, "set", s)});
    drafts.push_back(std::move(d));
  }
  for (int g = 0; g < st.grids_size(); ++g) {
    std::vector<Draft> from_grid;
    ExpandGrid(path, st.grids(g), Nested(&tree, st, "grids", g), Where(path, &tree, st, "grids", g), &from_grid,
               &problems);
    for (Draft& d : from_grid) {
      d.overrides.insert(d.overrides.begin(), common.begin(), common.end());
      drafts.push_back(std::move(d));
    }
  }
  if (drafts.empty() && problems.empty()) problems.push_back(path + ": the study has no arms; add arms {} or grids {}");
  std::set<std::string> names;
  for (const Draft& d : drafts) {
    if (!ValidArmName(d.name)) {
      problems.push_back(d.where + "arm name \"" + d.name +
                         "\" must be non-empty and use only letters, digits and -_.=,+/:");
    } else if (!names.insert(d.name).second) {
      problems.push_back(d.where + "arm \"" + d.name + "\" is defined twice; arm names must be unique");
    }
  }
  if (!problems.empty()) return fail();

  // 4. Every override on its own (to name the arm and the path), then the arm's scenario as
  //    a whole (validation and compilation).
  for (const Draft& d : drafts) {
    bool arm_ok = true;
    for (const Located& o : d.overrides) {
      std::string_view field_path, value;
      if (!scenario::SplitAssignment(o.text, &field_path, &value)) {
        problems.push_back(o.where + "arm \"" + d.name + "\": override \"" + o.text +
                           "\" is not PATH=VALUE, e.g. \"run.days=7\"");
        arm_ok = false;
        continue;
      }
      proto::Scenario probe = base_loaded.scenario;
      if (Status s = scenario::SetFieldByPath(&probe, field_path, value); !s.ok()) {
        problems.push_back(o.where + "arm \"" + d.name + "\": override \"" + o.text + "\": " + s.message());
        arm_ok = false;
      } else if (scenario::IsPendingSetting(std::string(field_path))) {
        problems.push_back(o.where + "arm \"" + d.name + "\": override \"" + o.text + "\": the model does not act on " +
                           std::string(field_path) + " yet, so the arm would give the same runs as without it; remove it");
        arm_ok = false;
      } else if (scenario::IsDocumentationOnly(std::string(field_path))) {
        problems.push_back(o.where + "arm \"" + d.name + "\": override \"" + o.text + "\": " + std::string(field_path) +
                           " is documentation only, so the arm would give the same runs as without it; remove it");
        arm_ok = false;
      }
    }
    if (!arm_ok) continue;
    Arm arm;
    arm.name = d.name;
    arm.description = d.description;
    arm.where = d.where;
    for (const Located& o : d.overrides) arm.overrides.push_back(o.text);
    if (Status s = scenario::LoadScenarioFromText(base_text, out->base_path, arm.overrides, &arm.loaded); !s.ok()) {
      problems.push_back(d.where + "arm \"" + d.name + "\": " + s.message());
      continue;
    }
    std::string bytes;
    google::protobuf::io::StringOutputStream stream(&bytes);
    {
      google::protobuf::io::CodedOutputStream coded(&stream);
      coded.SetSerializationDeterministic(true);
      arm.loaded.scenario.SerializeToCodedStream(&coded);
    }
    bytes += out->counterfactual ? "|counterfactual=1" : "|counterfactual=0";
    arm.scenario_hash = Hex16(HashBytes(bytes));
    out->arms.push_back(std::move(arm));
  }
  if (!problems.empty()) return fail();
  for (size_t a = 0; a < out->arms.size(); ++a) {
    for (size_t b = 0; b < a; ++b) {
      if (out->arms[a].scenario_hash != out->arms[b].scenario_hash) continue;
      out->warnings.push_back(out->arms[a].where + "arm \"" + out->arms[a].name + "\" runs the same scenario as arm \"" +
                              out->arms[b].name + "\" (its overrides repeat what is already set), so their runs are "
                              "identical");
      break;
    }
  }

  // 5. Baseline, measures, Pareto objectives, elasticity.
  if (st.has_baseline()) {
    for (size_t i = 0; i < out->arms.size(); ++i) {
      if (out->arms[i].name == st.baseline()) out->baseline = static_cast<int>(i);
    }
    if (out->baseline < 0) {
      std::string known;
      for (const Arm& a : out->arms) known += (known.empty() ? "" : ", ") + a.name;
      problems.push_back(Where(path, &tree, st, "baseline") + "baseline \"" + st.baseline() +
                         "\" is not an arm (arms: " + known + ")");
    }
  }
  for (int m = 0; m < st.measures_size(); ++m) {
    if (Status s = CheckStudyMeasureName(st.measures(m)); !s.ok()) {
      problems.push_back(Where(path, &tree, st, "measures", m) + s.message());
    }
    out->measures.push_back(st.measures(m));
  }
  if (st.pareto_size() == 0) {
    out->pareto = {{"tokens.cost_usd", false}, {"value_usd", true}, {"incidents", false}};
  } else if (st.pareto_size() < 2) {
    problems.push_back(Where(path, &tree, st, "pareto", 0) + "a Pareto front needs at least two objectives");
  }
  for (int p = 0; p < st.pareto_size(); ++p) {
    const TextFormat::ParseInfoTree* ptree = Nested(&tree, st, "pareto", p);
    if (Status s = CheckStudyMeasureName(st.pareto(p).measure()); !s.ok()) {
      problems.push_back(Where(path, ptree, st.pareto(p), "measure") + "pareto: " + s.message());
    }
    out->pareto.push_back({st.pareto(p).measure(), st.pareto(p).direction() == proto::MAXIMIZE});
  }
  out->elasticity_value = st.elasticity_value_measure();
  out->elasticity_token = st.elasticity_token_measure();
  if (Status s = CheckStudyMeasureName(out->elasticity_value); !s.ok()) {
    problems.push_back(Where(path, &tree, st, "elasticity_value_measure") + "elasticity: " + s.message());
  }
  if (Status s = CheckStudyMeasureName(out->elasticity_token); !s.ok()) {
    problems.push_back(Where(path, &tree, st, "elasticity_token_measure") + "elasticity: " + s.message());
  }

  // 6. Prices and the decision.
  const proto::StudyPrices& prices = st.prices();
  const TextFormat::ParseInfoTree* prtree = Nested(&tree, st, "prices", -1);
  const google::protobuf::Descriptor* pd = prices.GetDescriptor();
  for (int i = 0; i < pd->field_count(); ++i) {
    const FieldDescriptor* f = pd->field(i);
    const double v = prices.GetReflection()->GetDouble(prices, f);
    if (!std::isfinite(v) || v < 0 || v > 1e12) {
      problems.push_back(Where(path, prtree, prices, f->name().c_str()) + "prices." + std::string(f->name()) +
                         " must be a finite price from 0 to 1e12 USD");
    }
  }
  const proto::StudyDecision& decision = st.decision();
  const TextFormat::ParseInfoTree* dtree = Nested(&tree, st, "decision", -1);
  if (Status s = CheckStudyMeasureName(decision.objective()); !s.ok()) {
    problems.push_back(Where(path, dtree, decision, "objective") + "decision.objective: " + s.message());
  }
  for (int c = 0; c < decision.constraints_size(); ++c) {
    const proto::StudyConstraint& k = decision.constraints(c);
    const std::string where = Where(path, dtree, decision, "constraints", c);
    if (Status s = CheckStudyMeasureName(k.measure()); !s.ok()) problems.push_back(where + "decision.constraints: " + s.message());
    if (!k.has_at_most() && !k.has_at_least()) {
      problems.push_back(where + "a constraint needs at_most or at_least (or both)");
    }
    if ((k.has_at_most() && !std::isfinite(k.at_most())) || (k.has_at_least() && !std::isfinite(k.at_least()))) {
      problems.push_back(where + "a constraint's bounds must be finite");
    }
  }
  for (int m = 0; m < decision.key_measures_size(); ++m) {
    if (Status s = CheckStudyMeasureName(decision.key_measures(m)); !s.ok()) {
      problems.push_back(Where(path, dtree, decision, "key_measures", m) + "decision.key_measures: " + s.message());
    }
  }
  if (!problems.empty()) return fail();
  return Status::Ok();
}

}  // namespace clawsim::study
