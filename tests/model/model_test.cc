// The organisation model end to end on the shipped small scenario: accounting invariants,
// gate semantics in the audit log, interventions and determinism across thread counts.
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mock_services/audit_log.h"
#include "sim/model/runner.h"
#include "sim/model/world.h"
#include "sim/scenario/load.h"

namespace clawsim::model {
namespace {

const std::string kSmall = std::string(CLAWSIM_SOURCE_DIR) + "/scenarios/small.textproto";

struct Outcome {
  RunResult result;
  std::vector<services::AuditRecord> audit;
  scenario::CompiledScenario compiled;
};

Outcome RunSmall(int threads, std::vector<std::string> overrides = {}, int days = 0) {
  Outcome o;
  scenario::LoadedScenario loaded;
  const Status s = scenario::LoadScenario(kSmall, overrides, &loaded);
  EXPECT_TRUE(s.ok()) << s.message();
  o.compiled = loaded.compiled;
  RunOptions ro;
  ro.seed = 11;
  ro.threads = threads;
  ro.days = days;
  RunSinks sinks;
  sinks.on_audit = [&](std::vector<services::AuditRecord>&& records) {
    o.audit.insert(o.audit.end(), records.begin(), records.end());
  };
  const Status r = RunOrganisation(&loaded, ro, sinks, &o.result);
  EXPECT_TRUE(r.ok()) << r.message();
  return o;
}

const Outcome& Baseline() {
  static const Outcome o = RunSmall(1);
  return o;
}

TEST(ModelTest, TheRunDoesRealWork) {
  const RunSummary& s = Baseline().result.summary;
  EXPECT_EQ(s.employees, Baseline().compiled.organization.employees.size());
  EXPECT_GT(s.agents, 0u);
  EXPECT_GT(s.tokens.total_tokens(), 1'000'000u);
  EXPECT_GT(s.value_usd, 0);
  EXPECT_GT(s.items_completed, 0u);
  EXPECT_LE(s.items_completed, s.items_arrived);
  EXPECT_GT(s.dora.deployment_frequency_per_day, 0);
  EXPECT_GT(s.hours.saved_hours, 0);
  EXPECT_GT(s.gate[static_cast<int>(GateOutcome::kAllowed)], 0u);
}

// A progress display times the organisation's building apart from its first day: the ready
// signal comes once, before any day ends, and every day reports once, in order.
TEST(ModelTest, TheReadySignalComesOnceBeforeTheFirstDay) {
  scenario::LoadedScenario loaded;
  ASSERT_TRUE(scenario::LoadScenario(kSmall, {}, &loaded).ok());
  std::vector<int> seen;  // 0 for ready, d for day d
  RunSinks sinks;
  sinks.on_ready = [&] { seen.push_back(0); };
  sinks.on_progress = [&](uint32_t done, uint32_t, uint64_t) { seen.push_back(static_cast<int>(done)); };
  RunOptions ro;
  ro.seed = 11;
  ro.threads = 2;
  ro.days = 3;
  RunResult r;
  ASSERT_TRUE(RunOrganisation(&loaded, ro, sinks, &r).ok());
  EXPECT_EQ(seen, (std::vector<int>{0, 1, 2, 3}));
}

TEST(ModelTest, TokensByEmployeeEqualByPurposeByTriggerAndByTier) {
  const RunSummary& s = Baseline().result.summary;
  TokenTally by_employee, by_purpose, by_trigger, by_tier, by_team;
  for (const EmployeeMetrics& e : Baseline().result.employees) {
    by_employee.Add(e.tokens());
    for (const TokenTally& t : e.tokens_by_trigger) by_trigger.Add(t);
  }
  for (const TokenTally& t : s.tokens_by_purpose) by_purpose.Add(t);
  for (const auto& [name, t] : s.tokens_by_tier) by_tier.Add(t);
  for (const auto& [name, t] : s.tokens_by_team) by_team.Add(t);
  for (const TokenTally* t : std::initializer_list<const TokenTally*>{&by_purpose, &by_trigger, &by_tier, &by_team, &s.tokens}) {
    EXPECT_EQ(t->input_tokens, by_employee.input_tokens);
    EXPECT_EQ(t->output_tokens, by_employee.output_tokens);
    EXPECT_EQ(t->invocations, by_employee.invocations);
    EXPECT_NEAR(t->cost_usd, by_employee.cost_usd, 1e-6 * by_employee.cost_usd);
  }
}

TEST(ModelTest, CostIsTokensTimesListPrice) {
  // Prices are linear in tokens, so each tier's cost is its price applied to its totals.
  const RunSummary& s = Baseline().result.summary;
  const auto& tiers = Baseline().compiled.tiers;
  ASSERT_EQ(s.tokens_by_tier.size(), tiers.size());
  for (size_t i = 0; i < tiers.size(); ++i) {
    const TokenTally& t = s.tokens_by_tier[i].second;
    // The small scenario changes the mid tier's prices on day 4: check the others exactly.
    if (tiers[i].name == "mid") continue;
    const double expected = tiers[i].CostUsd(static_cast<int64_t>(t.input_tokens), static_cast<int64_t>(t.output_tokens));
    EXPECT_NEAR(t.cost_usd, expected, 1e-9 * std::max(1.0, expected)) << tiers[i].name;
  }
}

TEST(ModelTest, DailyRowsAddUpToTheSummary) {
  const RunResult& r = Baseline().result;
  uint64_t tokens = 0, completed = 0, arrived = 0;
  double value = 0;
  for (const DailyMetrics& d : r.daily) {
    tokens += d.tokens.total_tokens();
    completed += d.items_completed;
    arrived += d.items_arrived;
    value += d.value_usd;
  }
  EXPECT_EQ(r.daily.size(), r.summary.days);
  EXPECT_EQ(tokens, r.summary.tokens.total_tokens());
  EXPECT_EQ(completed, r.summary.items_completed);
  EXPECT_EQ(arrived, r.summary.items_arrived);
  EXPECT_NEAR(value, r.summary.value_usd, 1e-6 * r.summary.value_usd);
}

TEST(ModelTest, EveryGateDecisionHasOneAuditRecordAndRefusedActionsNeverRun) {
  const Outcome& o = Baseline();
  const RunSummary& s = o.result.summary;
  uint64_t agent_records = 0;
  std::array<uint64_t, kNumGateOutcomes> counted{};
  for (const services::AuditRecord& r : o.audit) {
    if (!services::Admits(r.decision)) {
      EXPECT_EQ(r.outcome, services::Outcome::kNotExecuted) << services::DecisionName(r.decision);
    }
    if (r.agent == services::kNoId) continue;  // a human acting directly
    if (r.decision == services::Decision::kHeld || r.decision == services::Decision::kReleased) continue;  // a defense
    ++agent_records;
    switch (r.decision) {
      case services::Decision::kAllowed: ++counted[0]; break;
      case services::Decision::kApproved:
      case services::Decision::kAutoApproved: ++counted[1]; break;
      case services::Decision::kRejected: ++counted[2]; break;
      case services::Decision::kDenied: ++counted[3]; break;
      case services::Decision::kRateLimited: ++counted[4]; break;
      case services::Decision::kExpired:
      case services::Decision::kOpenAtEnd: ++counted[5]; break;
      case services::Decision::kHeld:
      case services::Decision::kReleased:
      case services::Decision::kUngated: break;
    }
  }
  uint64_t gate_total = 0;
  for (int g = 0; g < kNumGateOutcomes; ++g) {
    EXPECT_EQ(counted[g], s.gate[g]) << GateOutcomeName(static_cast<GateOutcome>(g));
    gate_total += s.gate[g];
  }
  EXPECT_EQ(agent_records, gate_total);
  // The log is in (time, LP, seq) order.
  for (size_t i = 1; i < o.audit.size(); ++i) {
    const auto& a = o.audit[i - 1];
    const auto& b = o.audit[i];
    EXPECT_LE(std::tie(a.time_us, a.lp, a.seq), std::tie(b.time_us, b.lp, b.seq));
  }
}

TEST(ModelTest, DenyingEveryAgentActionStopsAgentValueButNotTheirTokens) {
  // Owners may not send mail, post or deploy: the owner bound denies all agent actions.
  std::vector<std::string> deny_all;
  const size_t rules = Baseline().compiled.permissions.rules.size();
  for (size_t i = 0; i < rules; ++i) deny_all.push_back("permissions.rules[" + std::to_string(i) + "].mode=DENY");
  const Outcome o = RunSmall(1, deny_all);
  const RunSummary& s = o.result.summary;
  EXPECT_EQ(s.gate[static_cast<int>(GateOutcome::kAllowed)], 0u);
  EXPECT_EQ(s.gate[static_cast<int>(GateOutcome::kAskedApproved)], 0u);
  EXPECT_GT(s.gate[static_cast<int>(GateOutcome::kDenied)], 0u);
  EXPECT_EQ(s.data_leaks, 0u);
  for (const services::AuditRecord& r : o.audit) {
    if (r.agent != services::kNoId) {
      EXPECT_EQ(r.outcome, services::Outcome::kNotExecuted);
    }
  }
  EXPECT_GT(s.tokens.total_tokens(), 0u);  // agents still think (and cost) even when they may not act
  EXPECT_LT(s.hours.saved_hours, Baseline().result.summary.hours.saved_hours);
}

TEST(ModelTest, PriceInterventionRaisesTheCostPerToken) {
  // small.textproto (starting on a Monday) doubles the mid tier's prices at day 4, 12:00;
  // compare the two Mondays, days 0 and 7.
  const Outcome o = RunSmall(1, {}, 8);
  const RunResult& r = o.result;
  ASSERT_EQ(r.daily.size(), 8u);
  const auto usd_per_mtok = [&](int day) {
    return r.daily[day].tokens.cost_usd / (static_cast<double>(r.daily[day].tokens.total_tokens()) / 1e6);
  };
  EXPECT_GT(usd_per_mtok(7), 1.5 * usd_per_mtok(0));
}

TEST(ModelTest, SameResultsWithOneTwoAndThreeThreads) {
  const Outcome& one = Baseline();
  for (int threads : {2, 3}) {
    const Outcome o = RunSmall(threads);
    EXPECT_EQ(o.result.summary.fingerprint, one.result.summary.fingerprint) << threads;
    EXPECT_EQ(o.result.summary.events, one.result.summary.events);
    EXPECT_EQ(o.result.audit_fingerprint, one.result.audit_fingerprint);
    EXPECT_EQ(o.result.summary.tokens.total_tokens(), one.result.summary.tokens.total_tokens());
    EXPECT_EQ(o.result.summary.value_usd, one.result.summary.value_usd);
    ASSERT_EQ(o.result.employees.size(), one.result.employees.size());
    for (size_t e = 0; e < o.result.employees.size(); ++e) {
      EXPECT_EQ(o.result.employees[e].tokens().total_tokens(), one.result.employees[e].tokens().total_tokens());
      EXPECT_EQ(o.result.employees[e].items_completed, one.result.employees[e].items_completed);
    }
  }
}

TEST(ModelTest, FingerprintIsPinned) {
  // The small scenario with seed 11 has this fingerprint with any number of threads. A change
  // to the model that moves it must say so in its commit message, and update it here.
  EXPECT_EQ(Baseline().result.summary.fingerprint, 0x5bf62db70a2d5d1eULL);
}

// Part of each member's trust in automation is their team's: at weight 1 a team's members
// (but a listed employee with a fixed trust) trust alike; at 0 nobody's trust depends on it.
TEST(ModelTest, TeamStanceSetsTheTeamsShareOfTrust) {
  auto trust_by_team = [](std::vector<std::string> overrides, std::vector<double>* trust) {
    scenario::LoadedScenario loaded;
    const Status s = scenario::LoadScenario(kSmall, overrides, &loaded);
    EXPECT_TRUE(s.ok()) << s.message();
    World world;
    EXPECT_TRUE(BuildWorld(loaded.compiled, 7, &world).ok());
    std::map<scenario::TeamId, std::vector<double>> by_team;
    for (size_t e = 0; e < world.employees.size(); ++e) {
      trust->push_back(world.employees[e].traits.automation_trust);
      if (loaded.compiled.organization.employees[e].traits.automation_trust) continue;  // fixed in the scenario
      by_team[loaded.compiled.organization.employees[e].team].push_back(world.employees[e].traits.automation_trust);
    }
    return by_team;
  };
  std::vector<double> whole, none, other_team_draw;
  for (const auto& [team, trust] : trust_by_team({"organization.traits.team_automation_trust_weight=1"}, &whole)) {
    for (double t : trust) EXPECT_EQ(t, trust.front()) << "team " << team;
  }
  trust_by_team({"organization.traits.team_automation_trust_weight=0"}, &none);
  // At weight 0 the team's draw changes nothing.
  trust_by_team({"organization.traits.team_automation_trust_weight=0", "organization.traits.team_automation_trust.alpha=9"},
                &other_team_draw);
  EXPECT_EQ(none, other_team_draw);
  // The fixed trust of the listed developer survives any weight.
  scenario::LoadedScenario loaded;
  ASSERT_TRUE(scenario::LoadScenario(kSmall, {}, &loaded).ok());
  for (size_t e = 0; e < loaded.compiled.organization.employees.size(); ++e) {
    if (const auto fixed = loaded.compiled.organization.employees[e].traits.automation_trust) {
      EXPECT_EQ(whole[e], *fixed);
      EXPECT_EQ(none[e], *fixed);
    }
  }
}

// A change reaches prod only after it passed review, and counts once in each.
TEST(ModelTest, NoChangeReachesProdWithoutBeingMerged) {
  uint64_t merged = 0;
  for (const EmployeeMetrics& e : Baseline().result.employees) {
    EXPECT_LE(e.changes_completed, e.changes_merged);
    merged += e.changes_merged;
  }
  EXPECT_GT(merged, 0u);
}

TEST(ModelTest, DifferentSeedsDiffer) {
  scenario::LoadedScenario loaded;
  ASSERT_TRUE(scenario::LoadScenario(kSmall, {}, &loaded).ok());
  RunOptions ro;
  ro.seed = 12;
  RunResult r;
  ASSERT_TRUE(RunOrganisation(&loaded, ro, {}, &r).ok());
  EXPECT_NE(r.summary.fingerprint, Baseline().result.summary.fingerprint);
}

// A running token total that would pass 2^64 - 1 stops there and is named, and the run
// refuses to report it, rather than wrap to a small (or, in dollars, negative) number.
TEST(TokenTallyTest, ATotalThatWouldOverflowIsNamedNotWrapped) {
  TokenTally a;
  a.input_tokens = UINT64_MAX - 5;
  TokenTally b;
  b.input_tokens = 10;
  b.output_tokens = 1;
  a.Add(b);
  EXPECT_EQ(a.input_tokens, UINT64_MAX);
  ASSERT_NE(a.overflowed, nullptr);
  EXPECT_STREQ(a.overflowed, "input_tokens");
  EXPECT_EQ(a.output_tokens, 1u);
  EXPECT_EQ(a.total_tokens(), UINT64_MAX) << "the sum saturates too";
  TokenTally c;
  c.Add(a);
  ASSERT_NE(c.overflowed, nullptr);
  EXPECT_STREQ(c.overflowed, "input_tokens") << "carried along by Add";
  RunSummary s;
  EXPECT_TRUE(CheckTokenTotals(s).ok());
  s.tokens_by_purpose[1] = c;
  Status st = CheckTokenTotals(s);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("tokens_by_purpose[1].input_tokens"), std::string::npos) << st.message();
  // Each count fits but their sum does not: the total is named.
  RunSummary t;
  t.tokens.input_tokens = UINT64_MAX - 1;
  t.tokens.output_tokens = 2;
  st = CheckTokenTotals(t);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("tokens.total_tokens"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace clawsim::model
