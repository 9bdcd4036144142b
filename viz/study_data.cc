#include "viz/study_data.h"

#include <fstream>
#include <iterator>

#include "sim/proto/study.pb.h"
#include "sim/study/results_file.h"

namespace clawsim::viz {
namespace {

constexpr char kMagic[] = "\x0A\x0D" "clawsim-study";
constexpr size_t kMagicBytes = 15;

}  // namespace

std::vector<bool> ParetoFront(const StudyData& study) {
  const auto& arms = study.arms;
  std::vector<bool> front(arms.size(), true);
  auto value = [&](const StudyArm& a, const StudyObjective& o, double* out) {
    if (o.measure < 0 || o.measure >= static_cast<int>(a.values.size()) || !a.values[o.measure].valid) return false;
    *out = o.maximize ? -a.values[o.measure].mean : a.values[o.measure].mean;  // smaller is better
    return true;
  };
  for (size_t i = 0; i < arms.size(); ++i) {
    for (const StudyObjective& o : study.objectives) {
      double v = 0;
      if (!value(arms[i], o, &v)) front[i] = false;
    }
    for (size_t j = 0; j < arms.size() && front[i]; ++j) {
      if (i == j) continue;
      bool no_worse = true, better = false;
      for (const StudyObjective& o : study.objectives) {
        double a = 0, b = 0;
        if (!value(arms[i], o, &a) || !value(arms[j], o, &b)) {
          no_worse = false;
          break;
        }
        no_worse &= b <= a;
        better |= b < a;
      }
      if (no_worse && better) front[i] = false;
    }
  }
  return front;
}

bool IsStudyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[kMagicBytes] = {};
  in.read(head, kMagicBytes);
  return in.gcount() == static_cast<std::streamsize>(kMagicBytes) &&
         std::string(head, kMagicBytes) == std::string(kMagic, kMagicBytes);
}

Status LoadStudyFile(const std::string& path, StudyData* out) {
  proto::StudyResults r;
  // The checksums first (results_file.h): a damaged file is refused with its byte range.
  if (Status s = study::ReadResultsFile(path, &r); !s.ok()) return s;
  out->path = path;
  out->name = r.name();
  out->description = r.description();
  // The measures the arms report, in the first arm's order (all arms report the same).
  if (r.arms_size() > 0) {
    for (const proto::StudyArmMeasure& m : r.arms(0).measures()) out->measures.push_back(m.measure());
  }
  auto index_of = [&](const std::string& measure) {
    for (size_t i = 0; i < out->measures.size(); ++i) {
      if (out->measures[i] == measure) return static_cast<int>(i);
    }
    return -1;
  };
  for (const proto::StudyObjective& o : r.pareto()) {
    const int i = index_of(o.measure());
    if (i >= 0) out->objectives.push_back({i, o.direction() == proto::MAXIMIZE});
  }
  for (const proto::StudyArmResult& a : r.arms()) {
    StudyArm arm;
    arm.name = a.name();
    arm.replications = static_cast<int>(a.runs_ok());
    arm.baseline = a.baseline();
    arm.pareto = a.pareto();
    arm.feasible = a.feasible();
    for (const proto::StudyDominance& d : a.dominated_by()) {
      if (d.arm_index() < static_cast<uint32_t>(r.arms_size())) arm.dominated_by.push_back(r.arms(static_cast<int>(d.arm_index())).name());
    }
    if (a.has_identical_to() && a.identical_to() < static_cast<uint32_t>(r.arms_size())) {
      arm.identical_to = r.arms(static_cast<int>(a.identical_to())).name();
    }
    arm.values.resize(out->measures.size());
    for (const proto::StudyArmMeasure& m : a.measures()) {
      const int i = index_of(m.measure());
      if (i < 0 || !m.has_value() || !m.value().has_mean()) continue;
      Interval& v = arm.values[i];
      v.mean = m.value().mean();
      v.low = m.value().has_ci_low() ? m.value().ci_low() : v.mean;
      v.high = m.value().has_ci_high() ? m.value().ci_high() : v.mean;
      v.n = static_cast<int>(m.value().n());
      v.valid = true;
    }
    out->arms.push_back(std::move(arm));
  }
  const proto::StudyDecisionResult& d = r.decision();
  out->answer = d.answer();
  out->objective = index_of(d.objective());
  out->chosen = d.has_best_arm() && d.best_arm() < static_cast<uint32_t>(r.arms_size()) ? static_cast<int>(d.best_arm()) : -1;
  for (const std::string& k : d.key_measures()) {
    const int i = index_of(k);
    if (i >= 0) out->key_measures.push_back(i);
  }
  return Status::Ok();
}

}  // namespace clawsim::viz
