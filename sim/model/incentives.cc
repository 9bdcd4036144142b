#include "sim/model/incentives.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <Eigen/Dense>

namespace clawsim::model {

using scenario::IncentiveMetric;
using scenario::Visibility;

double MetricGain(IncentiveMetric metric) {
  switch (metric) {
    case IncentiveMetric::kRawTokens:
    case IncentiveMetric::kActiveDays: return 1;
    case IncentiveMetric::kTokensPerOutcome: return -1;
    case IncentiveMetric::kOutcomes:
    case IncentiveMetric::kNotTracked: return 0;
  }
  return 0;
}

bool HigherIsBetter(IncentiveMetric metric) { return metric != IncentiveMetric::kTokensPerOutcome; }

double MetricValue(IncentiveMetric metric, const PeriodStats& p) {
  switch (metric) {
    case IncentiveMetric::kRawTokens: return static_cast<double>(p.tokens);
    case IncentiveMetric::kActiveDays: return p.active_days;
    case IncentiveMetric::kOutcomes: return p.value_usd;
    case IncentiveMetric::kTokensPerOutcome:
      // No value for their tokens ranks last; no tokens and no value ranks in the middle.
      if (p.value_usd > 0) return static_cast<double>(p.tokens) / p.value_usd;
      return p.tokens > 0 ? 1e18 : 0;
    case IncentiveMetric::kNotTracked: return 0;
  }
  return 0;
}

void DecideProbabilities(const scenario::Incentives& in, const Traits& t, IncentiveView* v) {
  const double gain = MetricGain(in.metric);
  const double board = std::max(0.0, gain);  // how much an automation helps on the board
  // Target: below the active-user threshold, an automation makes one count (any metric).
  const double target = v->below_target ? in.adoption_target_fraction : 0;
  v->pressure = std::clamp(1 - (1 - v->manager_attention) * (1 - target), 0.0, 1.0);
  const bool exposed = v->visibility > 0 || v->manager_attention > 0;
  double p = (exposed ? in.performative_base_per_week * board : 0) +
             in.performative_competitiveness_weight * t.competitiveness * v->visibility * board +
             in.performative_pressure_weight * t.pressure_sensitivity * (v->manager_attention * board + target);
  // Risk aversion (1 - trust in automation) holds people back from adding what could misfire.
  p *= t.automation_trust;
  v->add_probability = std::clamp(p, 0.0, 1.0);
  // With less pull than when they were added, automations go again, slowly; a metric they
  // hurt, or a flagged budget, makes them go faster.
  const double fallen = v->add_probability_when_added > 0
                            ? std::max(0.0, 1 - v->add_probability / v->add_probability_when_added)
                            : 0;
  double drop = in.performative_drop_per_week * fallen;
  if (gain < 0) drop = std::min(1.0, drop + in.performative_drop_per_week * std::max(v->visibility, v->manager_attention));
  if (v->over_budget) drop = 1;
  v->drop_probability = std::clamp(drop, 0.0, 1.0);
}

std::vector<IncentiveView> ObserveLeaderboard(const scenario::CompiledScenario& sc, const World& world,
                                              const std::vector<PeriodStats>& period) {
  const scenario::Incentives& in = sc.incentives;
  const uint32_t n = world.num_employees;
  std::vector<IncentiveView> views(n);
  const bool tracked = in.metric != IncentiveMetric::kNotTracked;
  const Visibility vis = in.leaderboard_visibility;
  for (uint32_t e = 0; e < n; ++e) views[e].metric = tracked ? MetricValue(in.metric, period[e]) : 0;

  // Ranks: among everyone, or within the team for a team board (1 = best; ties share the best).
  auto rank_group = [&](const std::vector<uint32_t>& group) {
    std::vector<uint32_t> order = group;
    const bool higher = HigherIsBetter(in.metric);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return higher ? views[a].metric > views[b].metric : views[a].metric < views[b].metric;
    });
    for (size_t i = 0; i < order.size(); ++i) {
      const bool tie = i > 0 && views[order[i]].metric == views[order[i - 1]].metric;
      views[order[i]].rank = tie ? views[order[i - 1]].rank : static_cast<uint32_t>(i + 1);
      views[order[i]].ranked = static_cast<uint32_t>(order.size());
    }
  };
  if (tracked) {
    if (vis == Visibility::kTeam) {
      for (const scenario::Team& team : sc.organization.teams) rank_group(team.members);
    } else {
      std::vector<uint32_t> all(n);
      std::iota(all.begin(), all.end(), 0u);
      rank_group(all);
    }
  }

  // What each person sees, and their manager's attention.
  const double weight = tracked && vis != Visibility::kNone ? in.visibility_weight[static_cast<int>(vis)] : 0;
  const bool manager_sees = tracked && in.managers_act_on_it &&
                            (vis == Visibility::kPublic || vis == Visibility::kTeam || vis == Visibility::kManagersOnly);
  for (uint32_t e = 0; e < n; ++e) {
    IncentiveView& v = views[e];
    v.visibility = weight;
    if (manager_sees && sc.organization.employees[e].manager != kNoId && v.ranked > 0) {
      // A manager looks hardest at the reports ranked lowest.
      const double percentile = v.ranked > 1 ? static_cast<double>(v.rank - 1) / (v.ranked - 1) : 0;
      v.manager_attention = in.manager_pressure * percentile;
    }
    v.below_target = in.adoption_target_fraction > 0 &&
                     static_cast<int64_t>(period[e].week_tokens) < in.active_user_min_tokens_per_week;
    v.over_budget = in.token_budget_per_week > 0 && in.budget_action == scenario::BudgetAction::kFlag &&
                    static_cast<int64_t>(period[e].week_tokens) > in.token_budget_per_week;
    DecideProbabilities(in, world.employees[e].traits, &v);
  }
  return views;
}

namespace {

std::vector<double> Ranks(const std::vector<double>& x) {
  std::vector<size_t> order(x.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return x[a] < x[b]; });
  std::vector<double> r(x.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
    const double mean_rank = (static_cast<double>(i) + static_cast<double>(j)) / 2 + 1;
    for (size_t k = i; k <= j; ++k) r[order[k]] = mean_rank;
    i = j + 1;
  }
  return r;
}

}  // namespace

double SpearmanCorrelation(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size() || x.size() < 3) return 0;
  const std::vector<double> rx = Ranks(x), ry = Ranks(y);
  const Eigen::Map<const Eigen::VectorXd> a(rx.data(), static_cast<Eigen::Index>(rx.size()));
  const Eigen::Map<const Eigen::VectorXd> b(ry.data(), static_cast<Eigen::Index>(ry.size()));
  const Eigen::VectorXd da = a.array() - a.mean();
  const Eigen::VectorXd db = b.array() - b.mean();
  const double denom = std::sqrt(da.squaredNorm() * db.squaredNorm());
  return denom > 0 ? da.dot(db) / denom : 0;
}

double LogLogSlope(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<double> lx, ly;
  for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
    if (x[i] > 0 && y[i] > 0) {
      lx.push_back(std::log(x[i]));
      ly.push_back(std::log(y[i]));
    }
  }
  if (lx.size() < 3) return 0;
  Eigen::MatrixXd design(static_cast<Eigen::Index>(lx.size()), 2);
  Eigen::VectorXd target(static_cast<Eigen::Index>(ly.size()));
  for (size_t i = 0; i < lx.size(); ++i) {
    design(static_cast<Eigen::Index>(i), 0) = 1;
    design(static_cast<Eigen::Index>(i), 1) = lx[i];
    target(static_cast<Eigen::Index>(i)) = ly[i];
  }
  const Eigen::VectorXd beta = design.colPivHouseholderQr().solve(target);
  return beta(1);
}

}  // namespace clawsim::model
