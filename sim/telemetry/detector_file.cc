#include "sim/telemetry/detector_file.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>

#include <google/protobuf/text_format.h>

#include "sim/scenario/located_errors.h"
#include "sim/telemetry/telemetry_jsonl.h"

namespace clawsim::telemetry {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::TextFormat;

using scenario::Nested;
using scenario::Where;

std::string FeatureList(Entity entity) {
  std::string list;
  for (const FeatureDef& f : Features()) {
    if (f.entity != entity) continue;
    list += (list.empty() ? "" : ", ") + std::string(f.name);
  }
  return list;
}

const char* EntityNoun(Entity e) { return e == Entity::kEmployee ? "employee" : "agent"; }

}  // namespace

Status LoadDetectors(const std::string& path, DetectorSpec* out) {
  std::string text;
  const Status s = ReadTextFile(path, &text);
  return s.ok() ? LoadDetectorsFromText(text, path, out) : s;
}

Status LoadDetectorsFromText(const std::string& text, const std::string& path, DetectorSpec* out) {
  *out = DetectorSpec();
  out->path = path;
  TextFormat::ParseInfoTree tree;
  if (Status s = scenario::ParseLocated(text, path, "detector file", &out->proto, &tree); !s.ok()) return s;
  const proto::DetectorFile& file = out->proto;
  out->name = file.has_name() ? file.name() : std::filesystem::path(path).stem().string();
  std::vector<std::string> problems;

  if (file.detectors_size() == 0) problems.push_back(path + ": no detectors; add at least one detectors { ... }");
  std::set<std::string> names;
  for (int i = 0; i < file.detectors_size(); ++i) {
    const proto::Detector& d = file.detectors(i);
    const TextFormat::ParseInfoTree* dt = Nested(&tree, file, "detectors", i);
    const std::string at = Where(path, &tree, file, "detectors", i);
    const std::string label = "detector \"" + d.name() + "\": ";
    if (d.name().empty()) problems.push_back(at + "a detector needs a name");
    if (!names.insert(d.name()).second) problems.push_back(Where(path, dt, d, "name") + "a second detector named \"" + d.name() + "\"");
    if (d.entity() == proto::Detector::ENTITY_UNSPECIFIED) problems.push_back(Where(path, dt, d, "entity") + label + "entity must be EMPLOYEE or AGENT");
    const Entity entity = d.entity() == proto::Detector::AGENT ? Entity::kAgent : Entity::kEmployee;
    if (d.window_days() == 0) problems.push_back(Where(path, dt, d, "window_days") + label + "window_days must be at least 1");
    out->entities.push_back(entity);
    out->features.emplace_back();
    std::vector<int>& feats = out->features.back();
    // A named feature of this detector's entity kind, or a problem at `where`.
    auto feature = [&](const std::string& name, const std::string& where) {
      const int f = FindFeature(name);
      if (f < 0 || Features()[static_cast<size_t>(f)].entity != entity) {
        problems.push_back(where + label + (f < 0 ? "unknown feature \"" : "feature \"") + name +
                           (f < 0 ? "\"" : "\" is not an " + std::string(EntityNoun(entity)) + " feature") + "; " +
                           EntityNoun(entity) + " features: " + FeatureList(entity));
      }
      feats.push_back(f);
    };
    auto positive = [&](double v, const std::string& where, const char* what) {
      if (!(std::isfinite(v) && v > 0)) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", v);
        problems.push_back(where + label + what + " must be a finite number > 0, not " + text);
      }
    };
    switch (d.kind_case()) {
      case proto::Detector::kRule: {
        const TextFormat::ParseInfoTree* rt = Nested(dt, d, "rule");
        if (d.rule().all_of_size() == 0) problems.push_back(Where(path, dt, d, "rule") + label + "a rule needs at least one all_of { ... } condition");
        for (int c = 0; c < d.rule().all_of_size(); ++c) {
          const proto::Condition& cond = d.rule().all_of(c);
          const TextFormat::ParseInfoTree* ct = Nested(rt, d.rule(), "all_of", c);
          // A condition without a feature is located at the condition itself.
          feature(cond.feature(), cond.has_feature() ? Where(path, ct, cond, "feature") : Where(path, rt, d.rule(), "all_of", c));
          if (!cond.has_threshold()) {
            problems.push_back(Where(path, rt, d.rule(), "all_of", c) + label + "a condition needs a threshold");
          } else {
            positive(cond.threshold(), Where(path, ct, cond, "threshold"), "threshold");
          }
          if (cond.op() == proto::Condition::OP_UNSPECIFIED) problems.push_back(Where(path, ct, cond, "op") + label + "op must be ABOVE or BELOW");
        }
        break;
      }
      case proto::Detector::kRobustZ: {
        const TextFormat::ParseInfoTree* zt = Nested(dt, d, "robust_z");
        if (d.robust_z().features_size() == 0) problems.push_back(Where(path, dt, d, "robust_z") + label + "robust_z needs at least one feature");
        for (int k = 0; k < d.robust_z().features_size(); ++k) feature(d.robust_z().features(k), Where(path, zt, d.robust_z(), "features", k));
        positive(d.robust_z().threshold(), Where(path, zt, d.robust_z(), "threshold"), "threshold");
        break;
      }
      case proto::Detector::kMahalanobis: {
        const TextFormat::ParseInfoTree* mt = Nested(dt, d, "mahalanobis");
        if (d.mahalanobis().features_size() < 2) problems.push_back(Where(path, dt, d, "mahalanobis") + label + "mahalanobis needs at least two features");
        for (int k = 0; k < d.mahalanobis().features_size(); ++k) feature(d.mahalanobis().features(k), Where(path, mt, d.mahalanobis(), "features", k));
        positive(d.mahalanobis().threshold(), Where(path, mt, d.mahalanobis(), "threshold"), "threshold");
        if (!(std::isfinite(d.mahalanobis().ridge()) && d.mahalanobis().ridge() >= 0)) {
          problems.push_back(Where(path, mt, d.mahalanobis(), "ridge") + label + "ridge must be a finite number >= 0");
        }
        break;
      }
      case proto::Detector::KIND_NOT_SET:
        problems.push_back(at + label + "say what it is: rule { ... }, robust_z { ... } or mahalanobis { ... }");
        break;
    }
  }
  const double share = file.scoring().min_performative_share();
  if (!(share > 0 && share <= 1)) {
    problems.push_back(Where(path, Nested(&tree, file, "scoring"), file.scoring(), "min_performative_share") +
                       "min_performative_share must be in (0, 1]");
  }
  if (file.has_forecast()) {
    const TextFormat::ParseInfoTree* ft = Nested(&tree, file, "forecast");
    const proto::ForecastSpec& fs = file.forecast();
    const uint32_t need = fs.trend() == proto::ForecastSpec::NONE ? 7 : 8;
    if (fs.train_days() < fs.fit_from_day() + need) {
      problems.push_back(Where(path, ft, fs, "train_days") + "train_days (" + std::to_string(fs.train_days()) +
                         ") must leave at least " + std::to_string(need) + " days after fit_from_day (" +
                         std::to_string(fs.fit_from_day()) + ") to fit " +
                         (need == 8 ? "a trend and seven weekday levels" : "seven weekday levels"));
    }
    if (!file.forecast().detector().empty()) {
      int found = -1;
      for (int i = 0; i < file.detectors_size(); ++i) {
        if (file.detectors(i).name() == file.forecast().detector()) found = i;
      }
      if (found < 0 || file.detectors(found).entity() != proto::Detector::EMPLOYEE) {
        problems.push_back(Where(path, ft, file.forecast(), "detector") + "forecast detector \"" + file.forecast().detector() +
                           "\" is not an EMPLOYEE detector of this file");
      }
    }
  }
  if (problems.empty()) return Status::Ok();
  std::string message;
  for (size_t i = 0; i < problems.size() && i < 25; ++i) message += (i == 0 ? "" : "\n") + problems[i];
  if (problems.size() > 25) message += "\n(" + std::to_string(problems.size() - 25) + " more problems)";
  return Status::Error(message);
}

}  // namespace clawsim::telemetry
