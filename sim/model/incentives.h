// Incentives: what each employee sees when the leaderboard refreshes, the pressure they feel,
// and how likely that makes them to add (or drop) a performative automation.
//
// The runner calls ObserveLeaderboard at the end of every period (serially, between engine
// steps): it ranks everyone by the tracked metric over the period and turns what the
// scheme's visibility lets each person see, their manager's attention, the adoption target
// and the token budget into an add and a drop probability. The employee's LP draws against
// them at its next day start (agent stream), so a changed scheme acts with a lag: nobody
// adds or drops more than one automation a period.
//
// Pure functions of their arguments; no state, no randomness.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/model/world.h"
#include "sim/scenario/compiled_scenario.h"

namespace clawsim::model {

// One employee's period, as the platform's metering saw it.
struct PeriodStats {
  uint64_t tokens = 0;       // all their agents' tokens in the period
  double value_usd = 0;      // value they delivered in the period
  uint32_t active_days = 0;  // days with at least one agent call
  uint64_t week_tokens = 0;  // tokens in the current budget week (for the budget)
  bool has_agents = false;
};

// What one employee saw at a refresh.
struct IncentiveView {
  double metric = 0;            // their value of the tracked metric for the period
  uint32_t rank = 0;            // 1 = best among those they are ranked with; 0 = not ranked
  uint32_t ranked = 0;          // how many are ranked together
  double visibility = 0;        // the scheme's visibility weight, [0, 1]
  double manager_attention = 0; // [0, 1]: pressure from a manager who acts on the metric
  bool below_target = false;    // under the active-user threshold while there is a target
  bool over_budget = false;     // spent more than the weekly budget (FLAG)
  double pressure = 0;          // felt, [0, 1]
  double add_probability = 0;
  double drop_probability = 0;
  // The add probability when they last added an automation (0: never): pull that has fallen
  // since is what makes people drop them.
  double add_probability_when_added = 0;
};

// +1 when a performative automation raises one's standing on `metric`, -1 when it lowers it
// (tokens per outcome: more tokens for the same value), 0 when it cannot move it.
double MetricGain(scenario::IncentiveMetric metric);

// The metric of one period: tokens, tokens per USD of value, value, or active days.
double MetricValue(scenario::IncentiveMetric metric, const PeriodStats& p);

// True when a larger metric ranks higher (everything but tokens per outcome).
bool HigherIsBetter(scenario::IncentiveMetric metric);

// The add and drop probabilities for one person who sees `view` (its metric, rank,
// visibility, attention and flags filled in): sets view->pressure, ->add_probability and
// ->drop_probability. Edges: no visibility and no manager attention and no target give 0;
// zero competitiveness takes away the leaderboard's pull; a met target takes away its push.
// Dropping follows falling pull: performative_drop_per_week x the share by which the add
// probability fell since the last automation was added (none while the pull holds).
void DecideProbabilities(const scenario::Incentives& in, const Traits& traits, IncentiveView* view);

// Ranks every employee by the tracked metric over the period and fills one view each.
std::vector<IncentiveView> ObserveLeaderboard(const scenario::CompiledScenario& sc, const World& world,
                                              const std::vector<PeriodStats>& period);

// Spearman's rank correlation of x and y (ties share their mean rank); 0 when either is
// constant or there are fewer than 3 points.
double SpearmanCorrelation(const std::vector<double>& x, const std::vector<double>& y);

// Least-squares slope of log(y) on log(x) over the points where both are positive (Eigen);
// 0 with fewer than 3 such points.
double LogLogSlope(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace clawsim::model
