#include "sim/telemetry/detectors.h"

#include <algorithm>
#include <limits>

#include <Eigen/Dense>

namespace clawsim::telemetry {
namespace {

constexpr double kCap = 1e6;  // a ratio over a zero baseline

double SafeRatio(double value, double base) {
  if (std::isnan(value) || std::isnan(base)) return kNaN;
  if (base > 0) return value / base;
  return value > 0 ? kCap : kNaN;
}

// Per team, the median of a feature over its entities (NaN values left out).
std::vector<double> TeamMedians(const FeatureTable& t, int f, uint32_t first, uint32_t last) {
  std::vector<std::vector<double>> by_team(t.teams().size());
  for (uint32_t e = 0; e < t.entities(); ++e) {
    const double v = t.Value(f, e, first, last);
    if (!std::isnan(v)) by_team[t.team(e)].push_back(v);
  }
  std::vector<double> out;
  for (std::vector<double>& v : by_team) out.push_back(Median(std::move(v)));
  return out;
}

void RunRule(const proto::Detector& d, const std::vector<int>& feats, const FeatureTable& t, DetectorScores* out) {
  const uint32_t w = d.window_days();
  for (uint32_t day = w - 1; day < t.days(); ++day) {
    const uint32_t first = day + 1 - w;
    std::vector<double> score(t.entities(), kCap);
    for (int c = 0; c < d.rule().all_of_size(); ++c) {
      const proto::Condition& cond = d.rule().all_of(c);
      const int f = feats[static_cast<size_t>(c)];
      std::vector<double> team;
      if (cond.baseline() == proto::Condition::TEAM_MEDIAN) team = TeamMedians(t, f, first, day);
      for (uint32_t e = 0; e < t.entities(); ++e) {
        double v = t.Value(f, e, first, day);
        if (cond.baseline() == proto::Condition::TEAM_MEDIAN) v = SafeRatio(v, team[t.team(e)]);
        if (cond.baseline() == proto::Condition::OWN_HISTORY) v = first == 0 ? kNaN : SafeRatio(v, t.Value(f, e, 0, first - 1));
        double margin = kNaN;
        if (!std::isnan(v)) {
          margin = cond.op() == proto::Condition::BELOW ? (v > 0 ? cond.threshold() / v : kCap) : v / cond.threshold();
        }
        score[e] = std::isnan(margin) || std::isnan(score[e]) ? kNaN : std::min(score[e], margin);
      }
    }
    for (uint32_t e = 0; e < t.entities(); ++e) out->score[size_t{e} * t.days() + day] = score[e];
  }
}

void RunRobustZ(const proto::Detector& d, const std::vector<int>& feats, const FeatureTable& t, DetectorScores* out) {
  const proto::RobustZ& z = d.robust_z();
  const uint32_t w = d.window_days();
  const size_t groups = z.scope() == proto::RobustZ::TEAM ? t.teams().size() : 1;
  auto group = [&](uint32_t e) { return z.scope() == proto::RobustZ::TEAM ? t.team(e) : 0u; };
  for (uint32_t day = w - 1; day < t.days(); ++day) {
    const uint32_t first = day + 1 - w;
    std::vector<double> best(t.entities(), kNaN);
    for (int f : feats) {
      std::vector<double> v(t.entities());
      std::vector<std::vector<double>> members(groups);
      for (uint32_t e = 0; e < t.entities(); ++e) {
        v[e] = t.Value(f, e, first, day);
        if (z.log() && !std::isnan(v[e])) v[e] = std::log1p(std::max(0.0, v[e]));
        if (!std::isnan(v[e])) members[group(e)].push_back(v[e]);
      }
      std::vector<double> med(groups), scale(groups);
      for (size_t g = 0; g < groups; ++g) {
        med[g] = Median(members[g]);
        std::vector<double> dev;
        for (double x : members[g]) dev.push_back(std::abs(x - med[g]));
        scale[g] = 1.4826 * Median(dev);
        if (!(scale[g] > 0)) {  // over half the group alike: fall back to the mean absolute deviation
          double sum = 0;
          for (double x : dev) sum += x;
          scale[g] = dev.empty() ? 0 : 1.2533 * sum / static_cast<double>(dev.size());
        }
      }
      for (uint32_t e = 0; e < t.entities(); ++e) {
        const size_t g = group(e);
        if (std::isnan(v[e]) || members[g].size() < 3 || !(scale[g] > 0)) continue;
        const double score = (v[e] - med[g]) / scale[g];
        best[e] = std::isnan(best[e]) ? score : std::max(best[e], score);
      }
    }
    for (uint32_t e = 0; e < t.entities(); ++e) out->score[size_t{e} * t.days() + day] = best[e];
  }
}

void RunMahalanobis(const proto::Detector& d, const std::vector<int>& feats, const FeatureTable& t, DetectorScores* out) {
  const proto::Mahalanobis& m = d.mahalanobis();
  const uint32_t w = d.window_days();
  const Eigen::Index k = static_cast<Eigen::Index>(feats.size());
  for (uint32_t day = w - 1; day < t.days(); ++day) {
    const uint32_t first = day + 1 - w;
    // Rows: entities with every feature defined; NaN features make an entity unscored.
    std::vector<uint32_t> rows;
    std::vector<double> values;
    for (uint32_t e = 0; e < t.entities(); ++e) {
      bool ok = true;
      std::vector<double> x(feats.size());
      for (size_t j = 0; j < feats.size() && ok; ++j) {
        x[j] = t.Value(feats[j], e, first, day);
        ok = !std::isnan(x[j]);
        x[j] = std::log1p(std::max(0.0, x[j]));
      }
      if (!ok) continue;
      rows.push_back(e);
      values.insert(values.end(), x.begin(), x.end());
    }
    const Eigen::Index n = static_cast<Eigen::Index>(rows.size());
    if (n <= k + 1) continue;
    Eigen::MatrixXd X = Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(values.data(), n, k);
    const Eigen::RowVectorXd mean = X.colwise().mean();
    X.rowwise() -= mean;
    Eigen::RowVectorXd sd = (X.array().square().colwise().sum() / static_cast<double>(n - 1)).sqrt();
    for (Eigen::Index j = 0; j < k; ++j) sd(j) = sd(j) > 0 ? sd(j) : 1;
    X.array().rowwise() /= sd.array();
    Eigen::MatrixXd cov = (X.transpose() * X) / static_cast<double>(n - 1);
    cov.diagonal().array() += m.ridge();
    const Eigen::LDLT<Eigen::MatrixXd> ldlt(cov);
    for (Eigen::Index r = 0; r < n; ++r) {
      const Eigen::VectorXd x = X.row(r).transpose();
      double score = std::sqrt(std::max(0.0, x.dot(ldlt.solve(x))));
      if (m.high_side_only() && x.sum() < 0) score = 0;
      out->score[size_t{rows[static_cast<size_t>(r)]} * t.days() + day] = score;
    }
  }
}

}  // namespace

int DetectorScores::FirstDayAtOrAbove(uint32_t e, double threshold_value) const {
  for (uint32_t d = 0; d < days; ++d) {
    if (At(e, d) >= threshold_value) return static_cast<int>(d);
  }
  return -1;
}

double DetectorScores::MaxScore(uint32_t e) const {
  double best = kNaN;
  for (uint32_t d = 0; d < days; ++d) {
    const double s = At(e, d);
    if (!std::isnan(s) && (std::isnan(best) || s > best)) best = s;
  }
  return best;
}

std::vector<DetectorScores> Evaluate(const DetectorSpec& spec, const FeatureTable& employees, const FeatureTable& agents) {
  std::vector<DetectorScores> out;
  for (int i = 0; i < spec.proto.detectors_size(); ++i) {
    const proto::Detector& d = spec.proto.detectors(i);
    const FeatureTable& t = spec.entities[static_cast<size_t>(i)] == Entity::kEmployee ? employees : agents;
    DetectorScores s;
    s.name = d.name();
    s.entity = spec.entities[static_cast<size_t>(i)];
    s.entities = t.entities();
    s.days = t.days();
    s.score.assign(size_t{s.entities} * s.days, kNaN);
    const std::vector<int>& feats = spec.features[static_cast<size_t>(i)];
    switch (d.kind_case()) {
      case proto::Detector::kRule: s.kind = "rule", s.threshold = 1, RunRule(d, feats, t, &s); break;
      case proto::Detector::kRobustZ: s.kind = "robust_z", s.threshold = d.robust_z().threshold(), RunRobustZ(d, feats, t, &s); break;
      case proto::Detector::kMahalanobis:
        s.kind = "mahalanobis", s.threshold = d.mahalanobis().threshold(), RunMahalanobis(d, feats, t, &s);
        break;
      case proto::Detector::KIND_NOT_SET: break;  // refused by LoadDetectors
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace clawsim::telemetry
