// Incentives: the pressure and choice functions at their edges, the statistics behind the
// measures, and directional tests on the shipped incentives_* scenarios (each a relation a
// user relies on, which a wrong model would break).
#include <cstdio>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sim/model/incentives.h"
#include "sim/model/runner.h"
#include "sim/scenario/load.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CLAWSIM_SANITIZED 1
#endif

namespace clawsim::model {
namespace {

using scenario::IncentiveMetric;

scenario::Incentives PublicTokens() {
  scenario::Incentives in;
  in.metric = IncentiveMetric::kRawTokens;
  in.leaderboard_visibility = scenario::Visibility::kPublic;
  in.performative_base_per_week = 0.02;
  in.performative_competitiveness_weight = 0.25;
  in.performative_pressure_weight = 0.25;
  in.adoption_target_fraction = 0.8;
  return in;
}

Traits Eager() { return Traits{1.0, 1.0, 1.0, 0.5}; }

TEST(IncentivePressureTest, NothingSeenNoAttentionNoTargetMeansNoPull) {
  IncentiveView v;  // no visibility, no manager attention, not below a target
  DecideProbabilities(PublicTokens(), Eager(), &v);
  EXPECT_EQ(v.add_probability, 0);
  EXPECT_EQ(v.pressure, 0);
}

TEST(IncentivePressureTest, ZeroCompetitivenessTakesAwayTheLeaderboardsPull) {
  IncentiveView competitive, indifferent;
  competitive.visibility = indifferent.visibility = 1;
  Traits t = Eager();
  DecideProbabilities(PublicTokens(), t, &competitive);
  t.competitiveness = 0;
  DecideProbabilities(PublicTokens(), t, &indifferent);
  EXPECT_GT(competitive.add_probability, indifferent.add_probability);
  // What is left is the base rate of a visible board, nothing else.
  EXPECT_NEAR(indifferent.add_probability, 0.02, 1e-12);
}

TEST(IncentivePressureTest, AMetTargetTakesAwayItsPush) {
  scenario::Incentives in = PublicTokens();
  in.leaderboard_visibility = scenario::Visibility::kNone;
  IncentiveView below, met;
  below.below_target = true;
  DecideProbabilities(in, Eager(), &below);
  DecideProbabilities(in, Eager(), &met);
  EXPECT_GT(below.add_probability, 0);
  EXPECT_EQ(met.add_probability, 0);
  EXPECT_GT(below.pressure, met.pressure);
}

TEST(IncentivePressureTest, AMetricThatPerformativeWorkCannotMoveGivesItNoPull) {
  for (IncentiveMetric m : {IncentiveMetric::kOutcomes, IncentiveMetric::kTokensPerOutcome, IncentiveMetric::kNotTracked}) {
    scenario::Incentives in = PublicTokens();
    in.metric = m;
    in.adoption_target_fraction = 0;
    IncentiveView v;
    v.visibility = 1;
    v.manager_attention = 0.5;
    DecideProbabilities(in, Eager(), &v);
    EXPECT_EQ(v.add_probability, 0) << static_cast<int>(m);
  }
  EXPECT_LT(MetricGain(IncentiveMetric::kTokensPerOutcome), 0);
}

TEST(IncentivePressureTest, RiskAversionHoldsPeopleBack) {
  IncentiveView trusting, wary;
  trusting.visibility = wary.visibility = 1;
  Traits t = Eager();
  DecideProbabilities(PublicTokens(), t, &trusting);
  t.automation_trust = 0;
  DecideProbabilities(PublicTokens(), t, &wary);
  EXPECT_GT(trusting.add_probability, 0);
  EXPECT_EQ(wary.add_probability, 0);
}

TEST(IncentivePressureTest, AutomationsAreDroppedOnlyWhenThePullFalls) {
  scenario::Incentives in = PublicTokens();
  IncentiveView steady;
  steady.visibility = 1;
  DecideProbabilities(in, Eager(), &steady);
  steady.add_probability_when_added = steady.add_probability;
  DecideProbabilities(in, Eager(), &steady);
  EXPECT_EQ(steady.drop_probability, 0);
  IncentiveView cut = steady;
  cut.visibility = in.visibility_weight[static_cast<int>(scenario::Visibility::kManagersOnly)];
  DecideProbabilities(in, Eager(), &cut);
  EXPECT_GT(cut.drop_probability, 0);
  EXPECT_LT(cut.drop_probability, in.performative_drop_per_week + 1e-12);  // a lag, not a jump
}

TEST(IncentiveStatisticsTest, SpearmanAndLogLogSlope) {
  const std::vector<double> x = {1, 2, 3, 4, 5, 6};
  std::vector<double> y, rev, square;
  for (double v : x) {
    y.push_back(v * v * v);  // monotone: rank correlation 1
    rev.push_back(-v);
    square.push_back(3 * v * v);
  }
  EXPECT_NEAR(SpearmanCorrelation(x, y), 1, 1e-12);
  EXPECT_NEAR(SpearmanCorrelation(x, rev), -1, 1e-12);
  EXPECT_EQ(SpearmanCorrelation(x, std::vector<double>(6, 2.0)), 0);  // constant: no correlation
  EXPECT_NEAR(LogLogSlope(x, square), 2, 1e-9);                        // y = 3 x^2
  EXPECT_EQ(LogLogSlope({1, 2}, {1, 2}), 0);                           // too few points
}

// ---- the shipped scenarios ------------------------------------------------------------

struct SchemeRun {
  RunSummary summary;
  std::vector<DailyMetrics> daily;
};

SchemeRun RunScheme(const std::string& name, std::vector<std::string> overrides = {}) {
  scenario::LoadedScenario loaded;
  overrides.push_back("run.days=28");  // four leaderboard periods
  const std::string path = std::string(CLAWSIM_SOURCE_DIR) + "/scenarios/" + name + ".textproto";
  const Status s = scenario::LoadScenario(path, overrides, &loaded);
  EXPECT_TRUE(s.ok()) << s.message();
  RunOptions ro;
  ro.seed = loaded.compiled.run.seed;
  ro.threads = 2;
  ro.record_audit = false;
  RunResult r;
  const Status run = RunOrganisation(&loaded, ro, {}, &r);
  EXPECT_TRUE(run.ok()) << run.message();
  return {r.summary, r.daily};
}

double PerformativeShareFrom(const std::vector<DailyMetrics>& daily, size_t from_day) {
  double perf = 0, all = 0;
  for (size_t d = from_day; d < daily.size(); ++d) {
    perf += static_cast<double>(daily[d].tokens_by_purpose[static_cast<int>(Purpose::kPerformative)]);
    all += static_cast<double>(daily[d].tokens.total_tokens());
  }
  return all > 0 ? perf / all : 0;
}

#ifdef CLAWSIM_SANITIZED
#define SCHEME_TEST(name) TEST(IncentiveSchemeTest, DISABLED_##name)
#else
#define SCHEME_TEST(name) TEST(IncentiveSchemeTest, name)
#endif

SCHEME_TEST(NoMetricAndNoPressureGiveExactlyZeroPerformativeShare) {
  const SchemeRun none = RunScheme("incentives_none");
  EXPECT_EQ(none.summary.tokens_by_purpose[static_cast<int>(Purpose::kPerformative)].total_tokens(), 0u);
  EXPECT_EQ(none.summary.incentives.automations_added, 0u);
}

SCHEME_TEST(APublicTokenLeaderboardRaisesThePerformativeShare) {
  const SchemeRun none = RunScheme("incentives_none");
  const SchemeRun pub = RunScheme("incentives_public_leaderboard");
  EXPECT_GT(pub.summary.performative_token_share(), none.summary.performative_token_share() + 0.01);
  EXPECT_GT(pub.summary.incentives.performative_automations_held, 0u);
  // A planner who took token demand at face value would over-forecast more.
  EXPECT_GT(pub.summary.incentives.capacity_forecast_error, none.summary.incentives.capacity_forecast_error);
}

SCHEME_TEST(CuttingVisibilityToManagersOnlyLowersItAfterTheCut) {
  const SchemeRun pub = RunScheme("incentives_public_leaderboard");
  const SchemeRun cut = RunScheme("incentives_managers_only");  // cut on day 14
  EXPECT_LT(PerformativeShareFrom(cut.daily, 14), PerformativeShareFrom(pub.daily, 14));
  EXPECT_GT(cut.summary.incentives.automations_dropped, pub.summary.incentives.automations_dropped);
}

SCHEME_TEST(AValueMetricTracksValueBetterThanRawTokens) {
  const SchemeRun tokens = RunScheme("incentives_public_leaderboard");
  const SchemeRun value = RunScheme("incentives_value_budget", {"incentives.token_budget_per_week=0"});
  const auto mean = [](const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return v.empty() ? 0 : s / static_cast<double>(v.size());
  };
  EXPECT_GT(mean(value.summary.incentives.period_metric_value_rank_correlation),
            mean(tokens.summary.incentives.period_metric_value_rank_correlation));
}

SCHEME_TEST(ARefusingBudgetCapsEveryonesWeeklySpend) {
  const SchemeRun budget = RunScheme("incentives_value_budget", {"incentives.token_budget_per_week=20000000"});
  EXPECT_GT(budget.summary.incentives.budget_refusals, 0u);
  const SchemeRun free = RunScheme("incentives_value_budget", {"incentives.token_budget_per_week=0"});
  EXPECT_LT(budget.summary.tokens.total_tokens(), free.summary.tokens.total_tokens());
}

// ---- adoption dynamics ------------------------------------------------------------------

struct AdoptionRun {
  RunResult result;
  scenario::LoadedScenario loaded;
};

// The small scenario, 15 days (two weekly reliance updates), its developers' agents
// helping every change as it is started.
AdoptionRun RunAdoption(std::vector<std::string> overrides) {
  AdoptionRun o;
  const std::string path = std::string(CLAWSIM_SOURCE_DIR) + "/scenarios/small.textproto";
  std::string text;
  {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    EXPECT_NE(f, nullptr);
    char buf[4096];
    size_t n;
    while (f != nullptr && (n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    if (f != nullptr) std::fclose(f);
  }
  const std::string anchor = "triggers { event: REVIEW_REQUEST  skill: \"code-help\" }";
  const size_t at = text.find(anchor);
  EXPECT_NE(at, std::string::npos) << "the small scenario's code-help trigger moved; update this test";
  if (at != std::string::npos) text.insert(at + anchor.size(), "\n  triggers { event: CODE_STARTED  skill: \"code-help\" }");
  overrides.push_back("run.days=15");
  const Status s = scenario::LoadScenarioFromText(text, path, overrides, &o.loaded);
  EXPECT_TRUE(s.ok()) << s.message();
  RunOptions ro;
  ro.seed = 3;
  ro.threads = 2;
  ro.record_audit = false;
  const Status r = RunOrganisation(&o.loaded, ro, {}, &o.result);
  EXPECT_TRUE(r.ok()) << r.message();
  return o;
}

TEST(AdoptionTest, RelianceFollowsWhatAgentsSavedAndGotWrongAndDeepensCoding) {
  const AdoptionRun off = RunAdoption({});
  const AdoptionRun up = RunAdoption({"adoption.max_depth=8", "adoption.depth_exponent=1",
                                      "adoption.reliance_gain_per_saved_share=2"});
  const AdoptionRun down = RunAdoption({"adoption.max_depth=8", "adoption.depth_exponent=1",
                                        "adoption.reliance_loss_per_error=1"});
  ASSERT_EQ(off.result.employees.size(), up.result.employees.size());
  int rose = 0, fell = 0, deeper = 0;
  for (size_t e = 0; e < off.result.employees.size(); ++e) {
    const EmployeeMetrics& a = off.result.employees[e];
    if (a.agents == 0) continue;
    EXPECT_EQ(a.agent_depth, 1);  // every default leaves agent use as configured
    // Saved time only raises reliance; mistakes only lower it.
    EXPECT_GE(up.result.employees[e].reliance, a.reliance);
    EXPECT_LE(down.result.employees[e].reliance, a.reliance);
    rose += up.result.employees[e].reliance > a.reliance;
    fell += down.result.employees[e].reliance < a.reliance;
    deeper += up.result.employees[e].agent_depth > down.result.employees[e].agent_depth;
  }
  EXPECT_GT(rose, 0);
  EXPECT_GT(fell, 0);
  EXPECT_GT(deeper, 0);
  // Deeper coding sessions spend more tokens and save more of people's time.
  EXPECT_GT(up.result.summary.tokens.total_tokens(), down.result.summary.tokens.total_tokens());
  EXPECT_GT(up.result.summary.hours.saved_hours, down.result.summary.hours.saved_hours);
}

}  // namespace
}  // namespace clawsim::model
