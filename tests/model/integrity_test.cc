// The model's numbers are earned: what agents deliver is measured against the same run
// without them, denied agents achieve nothing, every agent effect in the mock services has an
// admitting audit record, reviews catch what they should, expired asks cost nothing, and
// nobody works past their day plus overtime. All on the shipped small scenario.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mock_services/audit_log.h"
#include "mock_services/policy.h"
#include "sim/model/runner.h"
#include "sim/model/world.h"
#include "sim/proto/scenario.pb.h"
#include "sim/scenario/load.h"
#include "tests/model/run_scenario.h"

namespace clawsim::model {
namespace {

const std::string kSmall = std::string(CLAWSIM_SOURCE_DIR) + "/scenarios/small.textproto";

struct Outcome {
  RunResult result;
  std::vector<services::AuditRecord> audit;
  scenario::LoadedScenario loaded;
};

Outcome RunSmall(std::vector<std::string> overrides, bool counterfactual = false, int threads = 1) {
  Outcome o;
  const Status s = scenario::LoadScenario(kSmall, overrides, &o.loaded);
  EXPECT_TRUE(s.ok()) << s.message();
  RunOptions ro;
  ro.seed = 5;
  ro.threads = threads;
  ro.counterfactual = counterfactual;
  RunSinks sinks;
  sinks.on_audit = [&](std::vector<services::AuditRecord>&& records) {
    o.audit.insert(o.audit.end(), records.begin(), records.end());
  };
  const Status r = RunOrganisation(&o.loaded, ro, sinks, &o.result);
  EXPECT_TRUE(r.ok()) << r.message();
  return o;
}

// Overrides that set every agent rule of the small scenario to DENY.
std::vector<std::string> AllAgentRulesDeny() {
  scenario::LoadedScenario loaded;
  EXPECT_TRUE(scenario::LoadScenario(kSmall, {}, &loaded).ok());
  std::vector<std::string> o = {"permissions.default_mode=DENY"};
  for (const auto& rule : loaded.scenario.permissions().rules()) {
    if (rule.principal().subject() == proto::Principal::AGENTS) {
      o.push_back("permissions.rules[name=" + rule.name() + "].mode=DENY");
    }
  }
  return o;
}

// Overrides that give nobody an agent.
std::vector<std::string> NoAgents() {
  scenario::LoadedScenario loaded;
  EXPECT_TRUE(scenario::LoadScenario(kSmall, {}, &loaded).ok());
  std::vector<std::string> o;
  for (int i = 0; i < loaded.scenario.agent_assignments_size(); ++i) {
    o.push_back("agent_assignments[" + std::to_string(i) + "].fraction=0");
  }
  return o;
}

uint64_t Admitted(const std::vector<services::AuditRecord>& audit, services::Action action, bool by_agent) {
  uint64_t n = 0;
  for (const services::AuditRecord& r : audit) {
    if (r.action == action && (r.agent != services::kNoId) == by_agent && services::Admits(r.decision) &&
        r.outcome != services::Outcome::kNotExecuted && r.outcome != services::Outcome::kServiceRefused) {
      ++n;
    }
  }
  return n;
}

TEST(IntegrityTest, AgentsWhoseEveryRuleDeniesDeliverNothing) {
  const Outcome o = RunSmall(AllAgentRulesDeny());
  const RunSummary& s = o.result.summary;
  ASSERT_GT(s.agents, 0u);
  EXPECT_GT(s.tokens.cost_usd, 0);  // they still wake up and read their checklists...
  EXPECT_EQ(s.tokens_by_purpose[static_cast<int>(Purpose::kUseful)].total_tokens(), 0u);  // ...for nothing
  EXPECT_EQ(s.hours.saved_hours, 0);
  EXPECT_EQ(s.gate[static_cast<int>(GateOutcome::kAllowed)], 0u);
  EXPECT_EQ(s.gate[static_cast<int>(GateOutcome::kAskedApproved)], 0u);
  EXPECT_EQ(o.result.agent_effects.mails_sent, 0u);
  EXPECT_EQ(o.result.agent_effects.chat_posts, 0u);
  EXPECT_EQ(o.result.agent_effects.deploys, 0u);
  for (const services::AuditRecord& r : o.audit) {
    if (r.agent != services::kNoId) {
      EXPECT_FALSE(services::Admits(r.decision));
    }
  }
}

TEST(IntegrityTest, EveryAgentEffectHasAnAdmittingAuditRecord) {
  // Counted from the services' own state, not from the gate: sends in mailboxes, posts in
  // channels, pipeline runs. Each must match an admitted agent action in the audit log.
  const Outcome o = RunSmall({});
  const AgentEffects& e = o.result.agent_effects;
  ASSERT_GT(e.mails_sent + e.chat_posts + e.deploys, 0u);
  const uint64_t mail = Admitted(o.audit, services::Action::kEmailSendInternal, true) +
                        Admitted(o.audit, services::Action::kEmailSendExternal, true);
  EXPECT_EQ(e.mails_sent, mail);
  // A post admitted at the gate can still be refused by the channel (its own rate limit),
  // so the channel holds at most as many agent posts as were admitted.
  EXPECT_LE(e.chat_posts, Admitted(o.audit, services::Action::kChatPost, true));
  EXPECT_GT(e.chat_posts, 0u);
  EXPECT_LE(e.deploys, Admitted(o.audit, services::Action::kDeployProd, true));
}

TEST(IntegrityTest, TheCounterfactualTwinSeesTheSameArrivingWork) {
  const Outcome with = RunSmall({}, /*counterfactual=*/true);
  const Outcome without = RunSmall(NoAgents());
  const RunSummary& a = with.result.summary;
  const RunSummary& b = without.result.summary;
  ASSERT_GT(a.agents, 0u);
  ASSERT_EQ(b.agents, 0u);
  EXPECT_EQ(a.items_arrived, b.items_arrived);
  EXPECT_EQ(a.value_arrived_usd, b.value_arrived_usd);
  // The twin inside --counterfactual is that same no-agent run.
  ASSERT_TRUE(a.counterfactual.present);
  EXPECT_EQ(a.counterfactual.no_agent_value_usd, b.value_usd);
  EXPECT_EQ(a.counterfactual.no_agent_fingerprint, b.fingerprint);
  EXPECT_DOUBLE_EQ(a.counterfactual.value_usd_delta, a.value_usd - b.value_usd);
  EXPECT_DOUBLE_EQ(a.counterfactual.human_busy_hours_delta, a.human_busy_hours - b.human_busy_hours);
  EXPECT_EQ(a.counterfactual.saved_hours_claimed, a.hours.saved_hours);
  EXPECT_DOUBLE_EQ(a.counterfactual.backlog_hours_delta, a.hours.backlog_hours - b.hours.backlog_hours);
  EXPECT_GT(a.counterfactual.token_cost_usd, 0);
}

// The heavy-user and team output ratios taken apart against the twin: the same people and
// teams, read in the same no-agent run a user could run themselves, and the parts multiply
// back to the ratios.
TEST(IntegrityTest, TheOutputRatiosAreTakenApartOnTheSamePeopleInTheTwin) {
  // Four days: enough for the median developer to have shipped changes in both runs.
  const std::vector<std::string> days = {"run.days=4"};
  const RunResult with = RunScenarioFile("scenarios/baseline.textproto", days, [] {
    RunOptions o = TwoThreadsNoAudit(1);
    o.counterfactual = true;
    return o;
  }());
  scenario::LoadedScenario loaded;
  ASSERT_TRUE(scenario::LoadScenario(std::string(CLAWSIM_SOURCE_DIR) + "/scenarios/baseline.textproto", {}, &loaded).ok());
  std::vector<std::string> no_agents = days;
  for (int i = 0; i < loaded.scenario.agent_assignments_size(); ++i) {
    no_agents.push_back("agent_assignments[" + std::to_string(i) + "].fraction=0");
  }
  const RunResult without = RunScenarioFile("scenarios/baseline.textproto", no_agents, TwoThreadsNoAudit(1));
  const Counterfactual& c = with.summary.counterfactual;
  ASSERT_TRUE(c.present);
  ASSERT_EQ(c.no_agent_fingerprint, without.summary.fingerprint);  // it is the twin
  // The run with agents' developers, most tokens first; their changes in the twin by hand.
  const std::vector<uint32_t>& devs = with.developers_by_tokens;
  ASSERT_GE(devs.size(), 100u);
  EXPECT_TRUE(without.developers_by_tokens.empty());  // nobody has an agent there
  const size_t top = devs.size() / 10;
  double top_with = 0, top_without = 0;
  std::vector<double> all_with, all_without;
  for (size_t i = 0; i < devs.size(); ++i) {
    const auto a = static_cast<double>(with.ratio_changes[devs[i]]);
    const auto b = static_cast<double>(without.ratio_changes[devs[i]]);
    EXPECT_EQ(with.ratio_changes[devs[i]], with.employees[devs[i]].changes_completed);  // the whole run
    if (i < top) top_with += a, top_without += b;
    all_with.push_back(a);
    all_without.push_back(b);
  }
  auto median = [](std::vector<double> v) {  // the lower median, as the ratios take it
    std::sort(v.begin(), v.end());
    return v[(v.size() + 1) / 2 - 1];
  };
  const double n = static_cast<double>(top);
  ASSERT_GT(median(all_without), 0);
  EXPECT_NEAR(c.top_decile_changes_ratio_without_agents, top_without / n / median(all_without), 1e-12);
  EXPECT_NEAR(c.top_decile_changes_gain, top_with / top_without, 1e-12);
  EXPECT_NEAR(c.median_changes_gain, median(all_with) / median(all_without), 1e-12);
  EXPECT_NEAR(with.summary.incentives.top_decile_changes_ratio,
              c.top_decile_changes_ratio_without_agents * c.top_decile_changes_gain / c.median_changes_gain, 1e-9);
  // Teams: the top and bottom fifths of the run with agents by adoption, merged changes per
  // developer in each run.
  const std::vector<uint32_t>& teams = with.teams_by_adoption;
  ASSERT_GE(teams.size(), 5u);
  auto per_developer = [&](const RunResult& r, uint32_t t) {
    double developers = 0, merged = 0;
    for (EmployeeId e : loaded.compiled.organization.teams[t].members) {
      if (loaded.compiled.organization.employees[e].role != scenario::Role::kDeveloper) continue;
      developers += 1;
      merged += static_cast<double>(r.ratio_merged[e]);
    }
    return merged / developers;
  };
  double high_with = 0, low_with = 0, high_without = 0, low_without = 0;
  for (size_t i = 0; i < teams.size() / 5; ++i) {
    high_with += per_developer(with, teams[i]);
    high_without += per_developer(without, teams[i]);
    low_with += per_developer(with, teams[teams.size() - 1 - i]);
    low_without += per_developer(without, teams[teams.size() - 1 - i]);
  }
  ASSERT_GT(low_without, 0);
  EXPECT_NEAR(c.adoption_team_merged_ratio_without_agents, high_without / low_without, 1e-12);
  EXPECT_NEAR(c.high_adoption_teams_merged_gain, high_with / high_without, 1e-12);
  EXPECT_NEAR(c.low_adoption_teams_merged_gain, low_with / low_without, 1e-12);
  // Developers with agents and without, against their own changes in the twin.
  double users_with = 0, users_without = 0, others_with = 0, others_without = 0;
  for (uint32_t e = 0; e < with.employees.size(); ++e) {
    if (loaded.compiled.organization.employees[e].role != scenario::Role::kDeveloper) continue;
    const bool user = with.employees[e].agents > 0;
    (user ? users_with : others_with) += static_cast<double>(with.employees[e].changes_completed);
    (user ? users_without : others_without) += static_cast<double>(without.employees[e].changes_completed);
  }
  ASSERT_GT(others_without, 0);
  EXPECT_NEAR(c.agent_users_changes_gain, users_with / users_without, 1e-12);
  EXPECT_NEAR(c.non_users_changes_gain, others_with / others_without, 1e-12);
  EXPECT_NEAR(with.summary.incentives.adoption_team_merged_ratio,
              c.adoption_team_merged_ratio_without_agents * c.high_adoption_teams_merged_gain /
                  c.low_adoption_teams_merged_gain,
              1e-9);
}

TEST(IntegrityTest, ACounterfactualRunLeavesTheMainRunUnchanged) {
  const Outcome plain = RunSmall({});
  const Outcome paired = RunSmall({}, /*counterfactual=*/true);
  EXPECT_EQ(plain.result.summary.fingerprint, paired.result.summary.fingerprint);
  EXPECT_FALSE(plain.result.summary.counterfactual.present);
}

TEST(IntegrityTest, APerfectReviewRemovesEveryDefectItSees) {
  // Every change is reviewed, every defect is caught and every rework fixes it; agents make
  // no mistakes after review. Nothing defective reaches prod.
  const Outcome o = RunSmall({"roles[role=DEVELOPER].code.review_catch_probability=1",
                         "roles[role=DEVELOPER].code.rework_fix_probability=1",
                         "threats.agent_error_rate_multiplier=0"});
  const RunSummary& s = o.result.summary;
  ASSERT_GT(s.dora.deployment_frequency_per_day, 0);
  EXPECT_EQ(s.dora.change_failure_rate, 0);
  EXPECT_EQ(s.incidents, 0u);
  // The same run with a sloppy review lets defects through.
  const Outcome sloppy = RunSmall({"roles[role=DEVELOPER].code.review_catch_probability=0",
                              "threats.agent_error_rate_multiplier=0"});
  EXPECT_GT(sloppy.result.summary.dora.change_failure_rate, 0);
}

TEST(IntegrityTest, MoreReviewersCatchMore) {
  const Outcome one = RunSmall({"roles[role=DEVELOPER].code.reviewers=1", "threats.agent_error_rate_multiplier=0"});
  const Outcome three = RunSmall({"roles[role=DEVELOPER].code.reviewers=3", "threats.agent_error_rate_multiplier=0"});
  EXPECT_GT(three.result.summary.hours.review_hours, one.result.summary.hours.review_hours);
  EXPECT_LE(three.result.summary.dora.change_failure_rate, one.result.summary.dora.change_failure_rate);
}

TEST(IntegrityTest, CodeAnAgentWroteIsLargerAndTakesLongerToReview) {
  // At a size ratio of 1 an agent writes as a person would: every merged change is size 1.
  const Outcome same = RunSmall({"help_costs.agent_code_size_ratio=1"});
  const DeliveryMeasures& d1 = same.result.summary.delivery;
  ASSERT_GT(d1.changes_merged, 0u);
  EXPECT_DOUBLE_EQ(d1.merged_change_size_mean, 1.0);
  // Verbose agents make the changes they wrote larger, and reviewers read all of it.
  const Outcome verbose = RunSmall({"help_costs.agent_code_size_ratio=6"});
  const DeliveryMeasures& d6 = verbose.result.summary.delivery;
  EXPECT_GT(d6.merged_change_size_mean, 1.0);
  EXPECT_GT(d6.review_hours_per_merged_change, d1.review_hours_per_merged_change);
  // Without agents nothing is larger, whatever the ratio.
  const Outcome none = RunSmall({"help_costs.agent_code_size_ratio=6", "agent_assignments[profile=dev-assistant].fraction=0"});
  EXPECT_DOUBLE_EQ(none.result.summary.delivery.merged_change_size_mean, 1.0);
}

TEST(IntegrityTest, MoreCodeFromAgentsCarriesMoreDefects) {
  // The same run (agents making no outright mistakes) with the agents' added lines free of
  // defects, and at twenty times people's density: the added code brings defects of its own,
  // attributed to the agents' code. (The small scenario deploys a few hundred changes, so
  // the contrast is large to stand out of the noise.)
  const Outcome clean = RunSmall({"help_costs.agent_code_defect_density_ratio=0", "threats.agent_error_rate_multiplier=0"});
  const Outcome dense = RunSmall({"help_costs.agent_code_defect_density_ratio=20", "threats.agent_error_rate_multiplier=0"});
  const RunSummary& c = clean.result.summary;
  const RunSummary& d = dense.result.summary;
  ASSERT_GT(d.delivery.merged_change_size_mean, 1.0);
  EXPECT_GT(d.dora.change_failure_rate, c.dora.change_failure_rate);
  EXPECT_EQ(c.incident_origins.agent_written_change, 0u);
  EXPECT_GE(d.incident_origins.agent_written_change, c.incident_origins.agent_written_change);
  // Pull requests with agents' code go to review more often defective than those without,
  // and the comparison counts every pull request once, whoever wrote it.
  ASSERT_GT(d.delivery.prs_opened_with_agent_code, 0u);
  EXPECT_LT(d.delivery.prs_opened_with_agent_code, d.delivery.prs_opened);
  EXPECT_GE(d.delivery.prs_opened, d.delivery.changes_merged);
  EXPECT_GT(d.delivery.agent_pr_defect_ratio, c.delivery.agent_pr_defect_ratio);
  EXPECT_GT(d.delivery.agent_pr_defect_ratio, 1.5);
}

TEST(IntegrityTest, BacklogHoursArePartOfWorkingHoursAndOnlyWhereABacklogIs) {
  // The small scenario gives nobody a backlog: no time goes to one.
  const Outcome none = RunSmall({});
  EXPECT_EQ(none.result.summary.hours.backlog_hours, 0);
  // Developers with a backlog of changes spend part of their own working time on it.
  const Outcome with = RunSmall({"roles[role=DEVELOPER].backlog.kind=CODE_CHANGES"});
  const HumanHours& h = with.result.summary.hours;
  EXPECT_GT(h.backlog_hours, 0);
  EXPECT_LT(h.backlog_hours, h.working_hours);
  double employees_backlog = 0;
  for (const EmployeeMetrics& e : with.result.employees) employees_backlog += e.hours.backlog_hours;
  EXPECT_NEAR(employees_backlog, h.backlog_hours, 1e-6 * h.backlog_hours);
}

TEST(IntegrityTest, AReviewPastItsReviewersAttentionCatchesLess) {
  // Every defect is caught when a reviewer can read the whole change ...
  const std::vector<std::string> thorough = {"roles[role=DEVELOPER].code.review_catch_probability=1",
                                             "roles[role=DEVELOPER].code.rework_fix_probability=1",
                                             "threats.agent_error_rate_multiplier=0"};
  const Outcome full = RunSmall(thorough);
  EXPECT_EQ(full.result.summary.incidents, 0u);
  // ... but with attention for a fifth of a 20-minute review, most defects get through, and
  // no review takes longer than the attention it gets.
  std::vector<std::string> hurried = thorough;
  hurried.push_back("roles[role=DEVELOPER].code.review_attention_minutes=4");
  const Outcome rushed = RunSmall(hurried);
  EXPECT_GT(rushed.result.summary.dora.change_failure_rate, 0);
  EXPECT_LT(rushed.result.summary.hours.review_hours, full.result.summary.hours.review_hours);
}

TEST(IntegrityTest, AnAskNobodyLooksAtBeforeItExpiresCostsItsApproverNothing) {
  // Approvers would look only long after the timeout: every ask expires unseen.
  const Outcome unseen = RunSmall({"approvals.response_minutes=100000"});
  const RunSummary& s = unseen.result.summary;
  EXPECT_GT(s.gate[static_cast<int>(GateOutcome::kAskedExpired)], 0u);
  EXPECT_EQ(s.gate[static_cast<int>(GateOutcome::kAskedRejected)], 0u);  // nobody looked, so nobody said no
  EXPECT_EQ(s.hours.approval_hours, 0);
  // With prompt approvers the same asks do cost approval time.
  const Outcome prompt = RunSmall({"approvals.response_minutes=5"});
  EXPECT_GT(prompt.result.summary.hours.approval_hours, 0);
}

TEST(IntegrityTest, NobodyWorksPastTheirHoursPlusOvertime) {
  const Outcome o = RunSmall({});
  const double overtime_hours = o.loaded.compiled.calendar.overtime_us / 3.6e9;
  ASSERT_FALSE(o.result.employees.empty());
  for (const EmployeeMetrics& e : o.result.employees) {
    EXPECT_LE(e.busy_hours, e.available_hours + e.working_days * overtime_hours + 1e-9) << e.name;
  }
  // And with no overtime at all, not a minute past the day.
  const Outcome strict = RunSmall({"calendar.overtime_minutes=0"});
  for (const EmployeeMetrics& e : strict.result.employees) {
    EXPECT_LE(e.busy_hours, e.available_hours + 1e-9) << e.name;
  }
}

TEST(IntegrityTest, TokensAddUpAcrossPurposesAndTheDailyRows) {
  const Outcome o = RunSmall({});
  const RunSummary& s = o.result.summary;
  TokenTally by_purpose;
  for (const TokenTally& t : s.tokens_by_purpose) by_purpose.Add(t);
  EXPECT_EQ(by_purpose.total_tokens(), s.tokens.total_tokens());
  uint64_t daily = 0;
  for (const DailyMetrics& d : o.result.daily) daily += d.tokens.total_tokens();
  EXPECT_EQ(daily, s.tokens.total_tokens());
  EXPECT_NEAR(s.net_value_usd, s.value_usd - s.incident_cost_usd - s.tokens.cost_usd, 1e-6);
}

TEST(IntegrityTest, RuleDecisionsCountEveryGateRequest) {
  const Outcome o = RunSmall({});
  // A request the gate answers at once (allow, deny, rate limit) leaves one audit record with
  // that decision; an ask leaves one later record with how it ended (approved, rejected,
  // expired), unless it is still open at the end. Actions the least-privilege filter never
  // offered are refused without a gate request (rule kServiceRule).
  uint64_t answered = 0, asked = 0;
  for (const RuleDecisions& r : o.result.summary.rule_decisions) {
    answered += r.allowed + r.denied + r.rate_limited;
    asked += r.asked;
  }
  uint64_t immediate = 0, ended_asks = 0;
  for (const services::AuditRecord& r : o.audit) {
    switch (r.decision) {
      case services::Decision::kAllowed:
      case services::Decision::kRateLimited: ++immediate; break;
      case services::Decision::kDenied:
        immediate += r.rule != services::kServiceRule && r.rule != services::kDefenseRule;
        break;
      case services::Decision::kHeld:
      case services::Decision::kReleased:
      case services::Decision::kUngated: break;  // a defense's or a seat's records, not requests
      default: ++ended_asks;
    }
  }
  EXPECT_GT(answered, 0u);
  EXPECT_GT(asked, 0u);
  EXPECT_EQ(answered, immediate);
  EXPECT_GE(asked, ended_asks);
}

}  // namespace
}  // namespace clawsim::model

namespace clawsim::model {
namespace {

const std::vector<std::string> kFreeHelp = {"help_costs.specify_minutes=0", "help_costs.check_minutes_per_saved_minute=0",
                                            "help_costs.wait_idle_fraction=0", "help_costs.context_switch_minutes=0",
                                            "help_costs.familiarity_saving_discount=0"};
const std::vector<std::string> kCostlyHelp = {"help_costs.specify_minutes=60", "help_costs.check_minutes_per_saved_minute=1",
                                              "help_costs.wait_idle_fraction=1", "help_costs.context_switch_minutes=15"};

// What using an agent's help costs is paid in the helped tasks: free help costs nothing,
// costlier help never makes developers faster.
TEST(IntegrityTest, CostlierAgentHelpNeverMakesDevelopersFaster) {
  const RunSummary free_help = RunSmall(kFreeHelp).result.summary;
  const RunSummary costly = RunSmall(kCostlyHelp).result.summary;
  EXPECT_EQ(free_help.hours.help_cost_hours, 0);
  EXPECT_GT(costly.hours.help_cost_hours, 0);
  EXPECT_GT(costly.delivery.developer_hours_per_merged_change, free_help.delivery.developer_hours_per_merged_change);
}

// The sign of agents' effect is a result: developers who only code and call their coding
// agent as they start each change (METR's situation) take longer per merged change than the
// same developers without agents when help is costly, and less time when it is free.
TEST(IntegrityTest, AgentHelpCanMakeDevelopersSlowerThanWorkingWithout) {
  const std::vector<std::string> coding_only = {
      "roles[role=DEVELOPER].emails.per_day=0", "roles[role=DEVELOPER].chat_requests.per_day=0",
      "agent_profiles[name=dev-assistant].triggers[event=REVIEW_REQUEST].event=CODE_STARTED"};
  auto with = [&](std::vector<std::string> extra) {
    extra.insert(extra.begin(), coding_only.begin(), coding_only.end());
    return RunSmall(extra).result.summary;
  };
  const RunSummary costly = with(kCostlyHelp);
  const RunSummary free_help = with(kFreeHelp);
  const RunSummary without = with(NoAgents());
  ASSERT_GT(without.delivery.changes_merged, 0u);
  EXPECT_GT(costly.delivery.developer_hours_per_merged_change, without.delivery.developer_hours_per_merged_change);
  EXPECT_LT(free_help.delivery.developer_hours_per_merged_change, without.delivery.developer_hours_per_merged_change);
}

// A familiar person forgoes part of the saving: the agents' claimed saving falls as everyone
// knows their code better.
TEST(IntegrityTest, FamiliarityShrinksWhatAgentsSave) {
  const std::vector<std::string> fresh = {"organization.traits.codebase_familiarity.kind=CONSTANT",
                                          "organization.traits.codebase_familiarity.value=0"};
  const std::vector<std::string> expert = {"organization.traits.codebase_familiarity.kind=CONSTANT",
                                           "organization.traits.codebase_familiarity.value=1"};
  EXPECT_GT(RunSmall(fresh).result.summary.hours.saved_hours, RunSmall(expert).result.summary.hours.saved_hours);
}

// Work nobody assigned (AdoptionDynamics.unassigned_changes_max): developers with a code
// backlog hand their coding agents backlog changes they would delegate, finish what comes
// back, and so merge more changes for more tokens. Nobody who trusts agents not at all, and
// nobody without agents, hands anything over; at 0 the mechanism is off.
TEST(IntegrityTest, AgentsHandedWorkNobodyAssignedMergeMoreForMoreTokens) {
  const std::vector<std::string> backlog = {"roles[role=DEVELOPER].backlog.kind=CODE_CHANGES",
                                            "roles[role=DEVELOPER].backlog.max_utilisation=0.6"};
  auto with = [&](std::vector<std::string> extra) {
    extra.insert(extra.begin(), backlog.begin(), backlog.end());
    return RunSmall(extra).result.summary;
  };
  const RunSummary off = with({"adoption.unassigned_changes_max=0"});
  const RunSummary on = with({"adoption.unassigned_changes_max=3"});
  EXPECT_EQ(off.delivery.unassigned_changes_handed, 0u);
  ASSERT_GT(on.delivery.unassigned_changes_handed, 0u);
  EXPECT_GT(on.tokens.total_tokens(), off.tokens.total_tokens());
  EXPECT_GT(on.delivery.changes_merged, off.delivery.changes_merged);
  // Handed-over changes are pulls from the backlog, not arrivals: the arriving work is the
  // same either way.
  EXPECT_EQ(on.items_arrived, off.items_arrived);
  const RunSummary sceptics = with({"adoption.unassigned_changes_max=3", "adoption.learn_from_record=false",
                                    "organization.traits.automation_trust.min=0",
                                    "organization.traits.automation_trust.max=0",
                                    "organization.traits.team_automation_trust_weight=0",
                                    "organization.employees[name=dana].automation_trust=0",
                                    "agent_assignments[profile=dev-assistant].weight_by_trust=false",
                                    "agent_assignments[profile=dev-assistant].fraction=1"});
  ASSERT_GT(sceptics.agents, 0u);
  EXPECT_EQ(sceptics.delivery.unassigned_changes_handed, 0u);
  std::vector<std::string> none = NoAgents();
  none.push_back("adoption.unassigned_changes_max=3");
  EXPECT_EQ(with(none).delivery.unassigned_changes_handed, 0u);
}

// Every incident is attributed once by where its defect came from and once by who deployed it;
// without agents nothing is agents'.
TEST(IntegrityTest, IncidentOriginsAndDeployersEachAddUpToEveryIncident) {
  for (const std::vector<std::string>& overrides : {std::vector<std::string>{}, NoAgents()}) {
    const RunSummary s = RunSmall(overrides).result.summary;
    const IncidentOrigins& o = s.incident_origins;
    EXPECT_EQ(o.person_change + o.agent_origin(), s.incidents);
    EXPECT_EQ(o.deployed_by_person + o.deployed_by_agent, s.incidents);
    if (overrides.empty()) continue;
    EXPECT_EQ(o.agent_origin(), 0u);
    EXPECT_EQ(o.deployed_by_agent, 0u);
  }
}

TEST(IntegrityTest, ChangesAreReviewedByTheirTeamsDevelopersOnly) {
  // Managers and other staff share teams with developers but review no code, and a review's
  // time in review (clock) is at least the reviewer's effort on it.
  const Outcome o = RunSmall({});
  double developers_review_hours = 0;
  for (const EmployeeMetrics& e : o.result.employees) {
    if (e.role == "developer") {
      developers_review_hours += e.hours.review_hours;
    } else {
      EXPECT_EQ(e.hours.review_hours, 0.0) << e.name << " (" << e.role << ") reviewed code";
    }
  }
  ASSERT_GT(developers_review_hours, 0.0);
  const DeliveryMeasures& d = o.result.summary.delivery;
  EXPECT_GE(d.review_elapsed_hours_per_merged_change, d.review_hours_per_merged_change);
  // The structure behind it: a developer's reviewers are the other developers of their team.
  World world;
  ASSERT_TRUE(BuildWorld(o.loaded.compiled, 5, &world).ok());
  const auto& employees = o.loaded.compiled.organization.employees;
  for (uint32_t e = 0; e < employees.size(); ++e) {
    const Teammates reviewers = ReviewersOf(world, e);
    if (employees[e].role != scenario::Role::kDeveloper) {
      EXPECT_TRUE(reviewers.empty()) << "employee " << e;
      continue;
    }
    size_t team_developers = 0;
    for (const auto& other : employees) team_developers += other.team == employees[e].team && other.role == scenario::Role::kDeveloper;
    EXPECT_EQ(reviewers.size(), team_developers - 1) << "employee " << e;
    for (size_t i = 0; i < reviewers.size(); ++i) {
      EXPECT_NE(reviewers[i], e);
      EXPECT_EQ(employees[reviewers[i]].team, employees[e].team);
      EXPECT_EQ(employees[reviewers[i]].role, scenario::Role::kDeveloper);
    }
  }
}

TEST(IntegrityTest, ADailyReviewBudgetMakesReviewsWait) {
  // The same run with reviews unlimited and with ten minutes of reviews a developer-day:
  // reviews past the budget wait for the next day, so changes spend longer in review and
  // reach prod later, while the reviewers' effort per review is the same rule.
  const Outcome open = RunSmall({"roles[role=DEVELOPER].code.review_minutes_per_day=0"});
  const Outcome tight = RunSmall({"roles[role=DEVELOPER].code.review_minutes_per_day=10"});
  const RunSummary& o = open.result.summary;
  const RunSummary& t = tight.result.summary;
  ASSERT_GT(o.delivery.changes_merged, 0u);
  ASSERT_GT(t.delivery.changes_merged, 0u);
  EXPECT_GT(t.delivery.review_elapsed_hours_per_merged_change, 1.5 * o.delivery.review_elapsed_hours_per_merged_change);
  EXPECT_GT(t.dora.lead_time_for_changes_hours, o.dora.lead_time_for_changes_hours);
  // A review that has waited review_overdue_hours is taken past the budget: with a short
  // limit the queue cannot build up, and the wait falls back towards the unlimited run's.
  const Outcome overdue = RunSmall({"roles[role=DEVELOPER].code.review_minutes_per_day=10",
                                    "roles[role=DEVELOPER].code.review_overdue_hours=2"});
  const double w = overdue.result.summary.delivery.review_elapsed_hours_per_merged_change;
  EXPECT_LT(w, t.delivery.review_elapsed_hours_per_merged_change);
}

TEST(IntegrityTest, ReleaseTrainsShipChangesTogetherAtTheirDeparture) {
  // The same work deployed on demand and on a daily train (10:00): each train is one
  // deployment, so a day has at most one for each service, the changes that reach
  // prod wait for their train (longer lead time), and the work merged is the same rule.
  const Outcome demand = RunSmall({});
  const Outcome daily = RunSmall({"deploy.release_every_days=1"});
  const RunSummary& d = demand.result.summary;
  const RunSummary& t = daily.result.summary;
  const double services = static_cast<double>(demand.loaded.scenario.deploy().services_size());
  ASSERT_GT(t.dora.deployment_frequency_per_day, 0);
  EXPECT_LE(t.dora.deployment_frequency_per_day, services);
  EXPECT_LT(t.dora.deployment_frequency_per_day, d.dora.deployment_frequency_per_day);
  EXPECT_GT(t.dora.lead_time_for_changes_hours, d.dora.lead_time_for_changes_hours);
  EXPECT_GT(t.delivery.changes_merged, 0u);
  // A weekly train leaves on day 0 at 10:00 and next on day 7, after this 7-day run: each
  // service deploys once at most, whatever its authors merge during the week.
  const Outcome weekly = RunSmall({"deploy.release_every_days=7"});
  const RunSummary& w = weekly.result.summary;
  EXPECT_LE(w.dora.deployment_frequency_per_day * w.days, services + 1e-9);
  EXPECT_GT(w.delivery.changes_merged, 0u);
}

TEST(IntegrityTest, ReleaseTestingFindsDefectsWhileChangesWaitForTheirTrain) {
  // A defective change waiting for its train is found with 1 - 2^(-waited / half-life) and
  // goes back to its author; what is found never reaches prod. Without testing nothing is
  // sent back; with near-instant testing no defective change rides a train, so no release
  // fails; and changes deployed on demand wait for no train, so the setting leaves such a
  // run exactly as it was.
  const Outcome none = RunSmall({"deploy.release_every_days=1", "deploy.release_testing_half_life_hours=0"});
  const Outcome instant = RunSmall({"deploy.release_every_days=1", "deploy.release_testing_half_life_hours=0.01"});
  const RunSummary& n = none.result.summary;
  const RunSummary& i = instant.result.summary;
  EXPECT_EQ(n.delivery.release_testing_caught, 0u);
  ASSERT_GT(n.dora.change_failure_rate, 0);
  EXPECT_GT(i.delivery.release_testing_caught, 0u);
  EXPECT_EQ(i.dora.change_failure_rate, 0);
  EXPECT_GT(i.dora.deployment_frequency_per_day, 0);
  const Outcome demand_untested = RunSmall({"deploy.release_testing_half_life_hours=0"});
  const Outcome demand_tested = RunSmall({"deploy.release_testing_half_life_hours=10"});
  EXPECT_EQ(demand_untested.result.summary.fingerprint, demand_tested.result.summary.fingerprint);
  EXPECT_EQ(demand_tested.result.summary.delivery.release_testing_caught, 0u);
}

}  // namespace
}  // namespace clawsim::model
