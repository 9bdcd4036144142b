// Incentives: the pressure and choice functions at their edges, the statistics behind the
// measures, and directional tests on the shipped incentives_* scenarios (each a relation a
// user relies on, which a wrong model would break).
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sim/model/incentives.h"
#include "sim/model/runner.h"
#include "sim/scenario/load.h"
#include "tests/model/run_scenario.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CLAWSIM_SANITIZED 1
#endif
// The adoption tests run whole scenarios to check per-person rules (trust, delegation,
// sessions), state only its own LP's thread touches: AddressSanitizer checks them; under
// ThreadSanitizer the runs at several thread counts (ModelTest, TeamBoardTest) cover the
// model's threads, and these would add two minutes to CI.
#ifdef __SANITIZE_THREAD__
#define ADOPTION_TEST(name) TEST(AdoptionTest, DISABLED_##name)
#else
#define ADOPTION_TEST(name) TEST(AdoptionTest, name)
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

// The small scenario, 15 days (two weekly fades of trust), its developers' agents
// helping every change as it is started.
AdoptionRun RunAdoption(std::vector<std::string> overrides) {
  AdoptionRun o;
  const std::string path = std::string(CLAWSIM_SOURCE_DIR) + "/scenarios/small.textproto";
  std::string text;
  const Status read = scenario::ReadScenarioText(path, &text);
  EXPECT_TRUE(read.ok()) << read.message();
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

struct DeveloperAdoption {
  double mean_trust = 0;
  uint64_t delegated = 0;
  int people = 0;
};

DeveloperAdoption Developers(const AdoptionRun& run) {
  DeveloperAdoption d;
  for (const EmployeeMetrics& e : run.result.employees) {
    if (e.agents == 0 || e.role != "developer") continue;
    d.mean_trust += e.code_trust;
    d.delegated += e.changes_delegated;
    ++d.people;
  }
  if (d.people > 0) d.mean_trust /= d.people;
  return d;
}

// Trust in coding help moves with what handing changes over did for the person: help that
// costs more than it saves lowers it (and fewer changes are handed over), help that costs
// nothing raises it; without learning it stays at automation_trust.
ADOPTION_TEST(TrustFollowsTheNetOfHandingChangesOver) {
  const AdoptionRun fixed = RunAdoption({"adoption.learn_from_record=false"});
  const AdoptionRun costly = RunAdoption({"help_costs.check_minutes_per_saved_minute=3"});
  const AdoptionRun free = RunAdoption({"help_costs.check_minutes_per_saved_minute=0", "help_costs.specify_minutes=0",
                                        "help_costs.context_switch_minutes=0", "help_costs.wait_idle_fraction=0",
                                        "help_costs.familiarity_saving_discount=0"});
  const DeveloperAdoption f = Developers(fixed), c = Developers(costly), g = Developers(free);
  ASSERT_GT(f.people, 3);
  ASSERT_GT(f.delegated, 0u);
  EXPECT_LT(c.mean_trust, f.mean_trust);
  EXPECT_GT(g.mean_trust, f.mean_trust);
  EXPECT_LT(c.delegated, f.delegated);
  EXPECT_GT(g.delegated, c.delegated);
  // Every developer's trust is a share.
  for (const AdoptionRun* r : {&fixed, &costly, &free}) {
    for (const EmployeeMetrics& e : r->result.employees) {
      EXPECT_GE(e.code_trust, 0);
      EXPECT_LE(e.code_trust, 1);
      EXPECT_GE(e.handover_share, 0);
      EXPECT_LE(e.handover_share, 1);
    }
  }
}

// Learning the tool (help_costs' learning curve): with trust fixed, the same changes are
// handed over by the same rule, and each costs its person less to ask for, check and switch to the more of
// them they have handed over; so the help costs fall for the same savings, and with trust
// learned, people trust agents more. Without a learning rate nothing changes.
ADOPTION_TEST(LearningTheToolLowersItsCostsAsChangesAreHandedOver) {
  const AdoptionRun fixed = RunAdoption({"adoption.learn_from_record=false"});
  const AdoptionRun fixed_learning = RunAdoption({"adoption.learn_from_record=false",
                                                  "help_costs.experience_cost_ratio_per_doubling=0.5",
                                                  "help_costs.prior_code_handovers=2"});
  const AdoptionRun start_only = RunAdoption({"adoption.learn_from_record=false", "help_costs.prior_code_handovers=2"});
  EXPECT_EQ(start_only.result.summary.fingerprint, fixed.result.summary.fingerprint);  // no rate: no learning
  const DeveloperAdoption f = Developers(fixed), fl = Developers(fixed_learning);
  ASSERT_GT(f.delegated, 10u);
  ASSERT_GT(fl.delegated, 10u);
  // Trust fixed: the same rule hands changes over (a few more, as people finish sooner), each
  // for less of its person's time.
  EXPECT_LT(fixed_learning.result.summary.hours.help_cost_hours / static_cast<double>(fl.delegated),
            0.8 * fixed.result.summary.hours.help_cost_hours / static_cast<double>(f.delegated));
  const AdoptionRun learned = RunAdoption({});
  const AdoptionRun learned_learning = RunAdoption({"help_costs.experience_cost_ratio_per_doubling=0.5",
                                                    "help_costs.prior_code_handovers=2"});
  EXPECT_GT(Developers(learned_learning).mean_trust, Developers(learned).mean_trust);
}

// Who trusts agents more hands them more changes, and more of each: more tokens. Nothing
// about suitability or the handover share is set per person.
ADOPTION_TEST(HigherTrustHandsOverMoreChangesAndMoreOfEach) {
  // Trust nearly fixed at 0.3 or 0.9 (a narrow beta), and not learned.
  auto with = [&](const char* alpha, const char* beta) {
    return RunAdoption({"adoption.learn_from_record=false", "organization.traits.team_automation_trust_weight=0",
                        std::string("organization.traits.automation_trust.alpha=") + alpha,
                        std::string("organization.traits.automation_trust.beta=") + beta});
  };
  const AdoptionRun low = with("30000", "70000"), high = with("90000", "10000");
  const DeveloperAdoption l = Developers(low), h = Developers(high);
  EXPECT_GT(h.delegated, l.delegated);
  EXPECT_GT(high.result.summary.tokens.total_tokens(), low.result.summary.tokens.total_tokens());
  int checked = 0;
  for (const EmployeeMetrics& a : high.result.employees) {
    if (a.agents == 0 || a.role != "developer") continue;
    EXPECT_NEAR(a.handover_share, 0.1 + 0.9 * 0.9, 0.01);  // min_handover_share + (1 - min) x trust
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

// The delegation rule's two ends: a change no agent suits is never handed over (trust is
// below 1), and with every change suited each one is.
ADOPTION_TEST(DelegationRuleEnds) {
  // A beta on [0, 0] or [1, 1]: every person's work, and so every change, at that end.
  const AdoptionRun none = RunAdoption({"organization.traits.work_suitability.max=0"});
  const AdoptionRun all = RunAdoption({"organization.traits.work_suitability.min=1", "organization.traits.work_suitability.max=1"});
  const AdoptionRun some = RunAdoption({});
  EXPECT_EQ(Developers(none).delegated, 0u);
  EXPECT_EQ(none.result.summary.hours.saved_hours < some.result.summary.hours.saved_hours, true);
  EXPECT_GT(Developers(all).delegated, Developers(some).delegated);
}

// The baseline, seed 1, 2 threads, no audit log, with `sets` applied.
RunResult RunBaseline(const std::vector<std::string>& sets) {
  return RunScenarioFile("scenarios/baseline.textproto", sets, TwoThreadsNoAudit(1));
}

ADOPTION_TEST(TrustingPeoplesSessionsRunAloneLongerAndSpendMore) {
  // adoption.session_autonomy_reference_trust r: a session at trust t runs (1 - r) / (1 - t)
  // times the skill's turns over as much more context, at most the max factor; off (0), 1.
  // The model's default is 0.75.
  scenario::AdoptionDynamics ad;
  EXPECT_DOUBLE_EQ(ad.SessionAutonomy(0.75), 1);
  EXPECT_DOUBLE_EQ(ad.SessionAutonomy(0.875), 2);
  EXPECT_DOUBLE_EQ(ad.SessionAutonomy(0.5), 0.5);
  EXPECT_DOUBLE_EQ(ad.SessionAutonomy(1.0), 10);  // capped
  ad.session_autonomy_reference_trust = 0;
  EXPECT_EQ(ad.SessionAutonomy(0.9), 1);
  // In a run, the most trusting spend further above the median developer than without it.
#ifdef CLAWSIM_SANITIZED
  const std::string days = "run.days=3";  // shorter under the sanitizers, to keep CI in its time
#else
  const std::string days = "run.days=5";
#endif
  const RunResult off = RunBaseline({days, "adoption.session_autonomy_reference_trust=0"});
  const RunResult on = RunBaseline({days});
  EXPECT_GT(on.summary.incentives.top_decile_token_ratio, 1.5 * off.summary.incentives.top_decile_token_ratio);
  EXPECT_GT(on.summary.developer_agent_spend.cost_per_active_day_p90_usd,
            off.summary.developer_agent_spend.cost_per_active_day_p90_usd);
}

// The heavy-user and team ratios and developers' agent spend can be read from a later day on
// (steady state): the run is the same, they count only the later days' tokens, value and
// changes.
ADOPTION_TEST(RatiosFromDayCountOnlyTheLaterDays) {
  auto run = [](const char* from) {
#ifdef CLAWSIM_SANITIZED
    const char* days = "run.days=5";  // the same check on a shorter run, to keep CI in its time
#else
    const char* days = "run.days=10";
#endif
    return RunBaseline({days, std::string("incentives.ratios_from_day=") + from});
  };
#ifdef CLAWSIM_SANITIZED
  const RunResult whole = run("0"), later = run("3");
#else
  const RunResult whole = run("0"), later = run("7");
#endif
  EXPECT_EQ(whole.summary.fingerprint, later.summary.fingerprint);
  EXPECT_GT(whole.summary.incentives.top_decile_token_ratio, 0);
  EXPECT_GT(later.summary.incentives.top_decile_token_ratio, 0);
  EXPECT_NE(whole.summary.incentives.top_decile_token_ratio, later.summary.incentives.top_decile_token_ratio);
  EXPECT_NE(whole.summary.incentives.top_decile_value_ratio, later.summary.incentives.top_decile_value_ratio);
  const DeveloperAgentSpend& w = whole.summary.developer_agent_spend;
  const DeveloperAgentSpend& l = later.summary.developer_agent_spend;
  EXPECT_EQ(w.developers, l.developers);
  EXPECT_GT(l.cost_per_active_day_mean_usd, 0);
  EXPECT_NE(w.cost_per_active_day_mean_usd, l.cost_per_active_day_mean_usd);
  EXPECT_NE(w.tokens_per_week_median, l.tokens_per_week_median);
}

}  // namespace
}  // namespace clawsim::model
