// Metrics: what a run measures, as plain values. The model fills them; the run writer turns
// them into the run file, summary.json, employees.csv and daily.csv; the viewer and studies
// read them back. Every quantity carries its unit in its name.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario/compiled_scenario.h"

namespace clawsim::model {

// Why tokens were spent: the scenario's purposes (skills and cron jobs declare one). Useful
// work saves human time; overhead is what an automation costs to exist (a quiet heartbeat,
// reading its checklist, nightly memory consolidation); performative work exists only to
// raise a usage metric.
using Purpose = scenario::Purpose;
inline constexpr int kNumPurposes = scenario::kPurposeCount;
// "useful", "overhead", "performative" (scenario::PurposeName, as a C string).
inline const char* PurposeName(Purpose p) { return scenario::PurposeName(p).data(); }

// What triggered an agent invocation.
enum class Trigger : uint8_t { kHeartbeat = 0, kCron = 1, kEvent = 2, kDreaming = 3 };
inline constexpr int kNumTriggers = 4;
const char* TriggerName(Trigger t);

// Gate decisions, as counted in outcomes (mirrors the audit log's decisions).
// kAskedExpired: a person was asked and did not answer before the ask's timeout (or the run
// ended first); not a rejection, though the action does not run.
enum class GateOutcome : uint8_t {
  kAllowed = 0, kAskedApproved = 1, kAskedRejected = 2, kDenied = 3, kRateLimited = 4, kAskedExpired = 5
};
inline constexpr int kNumGateOutcomes = 6;
const char* GateOutcomeName(GateOutcome g);

// Token use of one slice (an employee, a team, a tier, a purpose, a day...).
//
// Running sums are checked: a count that would pass 2^64 - 1 stops there and `overflowed`
// names it ("input_tokens", "output_tokens", "invocations"; the first to overflow, carried
// along by Add), so a run can refuse its result (CheckTokenTotals, runner.h) instead of
// reporting a wrapped number. The scenario limits (sim/scenario/validate_limits.cc) keep real
// runs far from it.
struct TokenTally {
  uint64_t input_tokens = 0;
  uint64_t output_tokens = 0;
  double cost_usd = 0;
  uint64_t invocations = 0;
  const char* overflowed = nullptr;
  // input + output, or 2^64 - 1 when the sum would pass it.
  uint64_t total_tokens() const {
    uint64_t t = 0;
    return __builtin_add_overflow(input_tokens, output_tokens, &t) ? UINT64_MAX : t;
  }
  void Add(const TokenTally& o) {
    AddChecked(&input_tokens, o.input_tokens, "input_tokens");
    AddChecked(&output_tokens, o.output_tokens, "output_tokens");
    cost_usd += o.cost_usd;
    AddChecked(&invocations, o.invocations, "invocations");
    if (overflowed == nullptr) overflowed = o.overflowed;
  }

 private:
  void AddChecked(uint64_t* sum, uint64_t v, const char* field) {
    if (__builtin_add_overflow(*sum, v, sum)) {
      *sum = UINT64_MAX;
      if (overflowed == nullptr) overflowed = field;
    }
  }
};

// Human time, in hours, by what it was spent on or saved from.
struct HumanHours {
  double working_hours = 0;     // doing work items by hand
  double review_hours = 0;      // reviewing teammates' code changes
  double approval_hours = 0;    // deciding agents' "ask" requests
  double fixing_hours = 0;      // cleaning up after agent mistakes and incidents
  // Human task time agents' output replaced (removed or cut), counted once per task where a
  // queued task really got shorter or disappeared: the agents' gross claim. What this turns
  // into is measured by the counterfactual run.
  double saved_hours = 0;
  double setup_hours = 0;       // setting up performative automations
  // Time people spent using agents' help: specifying, checking the output, waiting for it,
  // switching to it and back (scenario AgentHelpCosts). Added to the helped tasks.
  double help_cost_hours = 0;
  // Of working_hours, the time on discretionary work pulled from the person's backlog
  // (writing, reworking and shipping a backlog change; a backlog task): where time that
  // arrived work leaves free goes.
  double backlog_hours = 0;
  void Add(const HumanHours& o) {
    working_hours += o.working_hours;
    review_hours += o.review_hours;
    approval_hours += o.approval_hours;
    fixing_hours += o.fixing_hours;
    saved_hours += o.saved_hours;
    setup_hours += o.setup_hours;
    help_cost_hours += o.help_cost_hours;
    backlog_hours += o.backlog_hours;
  }
};

// Everything measured about one employee (and their agents) over the run.
struct EmployeeMetrics {
  uint32_t employee_id = 0;
  std::string name;
  std::string team;
  std::string role;
  uint32_t agents = 0;
  std::array<TokenTally, kNumPurposes> tokens_by_purpose{};
  std::array<TokenTally, kNumTriggers> tokens_by_trigger{};
  HumanHours hours;
  double value_usd = 0;            // value of the work items this employee completed
  double hourly_cost_usd = 0;      // loaded cost of one hour of this employee
  uint64_t items_completed = 0;
  uint64_t agent_errors = 0;
  double busy_hours = 0;           // time worked on any task
  double available_hours = 0;      // scheduled working time
  uint32_t working_days = 0;       // days at work (an agent's "active days")
  uint64_t changes_completed = 0;  // code changes live in prod
  uint64_t changes_merged = 0;     // code changes that passed review (merged), each once
  uint32_t performative_automations = 0;  // held at the end of the run
  double pressure = 0;             // felt at the last leaderboard refresh, [0, 1]
  uint32_t rank = 0;               // on the last leaderboard (1 = top; 0 = none)
  double code_trust = 0;           // trust in their code-help agent at the end, [0, 1] (adoption)
  double handover_share = 0;       // the share of a change they hand it at the end, [0, 1]
  uint64_t changes_delegated = 0;  // changes handed to their code-help agents
  uint64_t unassigned_changes_handed = 0;  // backlog changes handed to them unassigned (AdoptionDynamics)
  std::array<uint64_t, kNumGateOutcomes> gate{};
  TokenTally tokens() const {
    TokenTally t;
    for (const TokenTally& p : tokens_by_purpose) t.Add(p);
    return t;
  }
  // Value delivered minus the employee's agents' token cost. Hours are reported apart and
  // never priced in: what saved time became shows up as value (or does not).
  double net_value_usd() const { return value_usd - tokens().cost_usd; }
  double utilisation() const { return available_hours > 0 ? busy_hours / available_hours : 0; }
};

// One row per simulated day.
struct DailyMetrics {
  uint32_t day = 0;
  TokenTally tokens;
  std::array<uint64_t, kNumPurposes> tokens_by_purpose{};
  double value_usd = 0;
  double hours_saved = 0;
  uint64_t items_arrived = 0;
  uint64_t items_completed = 0;
  uint64_t deploys_prod = 0;      // pipeline runs that reached prod
  uint64_t deploys_failed = 0;    // pipeline runs that failed a stage
  uint64_t incidents_opened = 0;
  std::array<uint64_t, kNumGateOutcomes> gate{};
};

// DORA metrics over the run. A deployment is one change on demand, or a release train's
// changes together (deploy.release_every_days).
struct DoraMetrics {
  double deployment_frequency_per_day = 0; // deployments to prod a day
  double lead_time_for_changes_hours = 0;  // mean over changes, commit ready to running in prod
  double change_failure_rate = 0;          // share of deployments that put a defective change in prod
  double time_to_restore_hours = 0;        // mean, incident opened to restored
  // DORA's deployment rework rate: of the deployments to prod (changes shipped and rollbacks),
  // the share that were rollbacks, made because an incident was open.
  double rework_rate = 0;
};

// Busy hours over available hours across the people of one role.
struct RoleUtilisation {
  std::string role;
  uint32_t people = 0;
  double mean = 0;
  double p90 = 0;
  double max = 0;
};

// How many gate requests one permission rule decided, by verdict.
struct RuleDecisions {
  std::string rule;  // the scenario's rule name, "default ..." / "owners may ..." for generated ones, "default deny"
  bool from_scenario = false;
  uint64_t allowed = 0;
  uint64_t asked = 0;
  uint64_t denied = 0;
  uint64_t rate_limited = 0;
  uint64_t total() const { return allowed + asked + denied + rate_limited; }
};

// Agent spend of developers who run agents, per active (working) day and per week of five
// active days: the figures published agent-spend studies report. Counted from
// incentives.ratios_from_day on (the whole run by default), to be read at steady state.
struct DeveloperAgentSpend {
  uint32_t developers = 0;
  double cost_per_active_day_mean_usd = 0;
  double cost_per_active_day_p90_usd = 0;
  double tokens_per_week_median = 0;
  double tokens_per_week_p90 = 0;
};

// What an incentive scheme did: how much spend is performative, and how well metrics track
// the value people delivered (across employees).
struct IncentiveMeasures {
  double performative_cost_usd = 0;
  double tokens_per_value_usd = 0;           // tokens per USD of delivered value
  double cost_per_value_usd = 0;             // token cost per USD of delivered value
  // Spearman rank correlation across employees between the tracked metric over the run and
  // delivered value (0 when nothing is tracked); per leaderboard period too.
  double metric_value_rank_correlation = 0;
  std::vector<double> period_metric_value_rank_correlation;
  double token_value_rank_correlation = 0;   // the same for raw tokens, whatever is tracked
  double value_token_elasticity = 0;         // slope of log value on log tokens across employees
  // Among developers with agents: the top tenth of token users' mean over the median
  // developer's, for tokens, value and completed changes.
  double top_decile_token_ratio = 0;
  double top_decile_value_ratio = 0;
  double top_decile_changes_ratio = 0;
  // Completed changes (live in prod) per developer: the top fifth of teams by adoption (share
  // of developers who are active agent users) over the bottom fifth; and the same for merged
  // changes (passed review: pull-request throughput, which the published figure counts, before
  // the team's deploy pipelines cap what reaches prod).
  double adoption_team_throughput_ratio = 0;
  double adoption_team_merged_ratio = 0;
  double leaderboard_churn = 0;              // mean |rank change| / ranked, between refreshes
  // Share by which taking token demand at face value over-forecasts the demand that delivered
  // value: (all tokens - useful tokens) / useful tokens, over the run and week by week.
  double capacity_forecast_error = 0;
  std::vector<double> weekly_capacity_forecast_error;
  uint64_t performative_automations_held = 0;  // at the end
  uint64_t automations_added = 0;
  uint64_t automations_dropped = 0;
  uint64_t budget_flags = 0;                 // employee-periods over the weekly budget
  uint64_t budget_refusals = 0;              // agent calls the budget refused
  uint32_t refreshes = 0;
};

// One attack source's attempts and successes (threats.h: campaigns, compromises, malicious skills).
struct AttackSourceMeasures {
  std::string kind;  // "injection", "compromise", "malicious_skill"
  std::string name;
  uint64_t attempts = 0;   // goal actions attempted
  uint64_t successes = 0;  // of them, those that took effect
  double success_rate() const { return attempts == 0 ? 0 : static_cast<double>(successes) / static_cast<double>(attempts); }
};

// What the threats did and what the defenses cost.
struct SafetyMeasures {
  uint64_t attack_attempts = 0;
  uint64_t attack_successes = 0;
  double attack_success_rate = 0;   // successes / attempts
  // AgentDojo's attack success rate: injections whose goal took effect per injection an agent
  // was exposed to (read, or would have read had the detector not held it), whether or not it
  // then followed it.
  double injection_success_per_exposure = 0;
  std::vector<AttackSourceMeasures> sources;
  uint64_t injection_emails = 0;
  uint64_t injections_detected = 0;  // quarantined by the detector
  uint64_t detector_false_positives = 0;
  uint64_t detector_checks = 0;
  double detector_release_hours = 0;
  uint64_t injections_read = 0;      // by agents, from mail or chat
  uint64_t injections_followed = 0;
  uint64_t injections_shared = 0;    // pasted into channels by people
  uint64_t memory_poisonings = 0;
  uint64_t data_leaked_messages = 0;    // messages malicious actions sent outside
  uint64_t data_leaked_sensitive = 0;   // of them, sensitive
  uint64_t phishing_posts = 0;
  uint64_t phishing_clicks = 0;
  uint64_t agents_compromised = 0;
  // Incidents rooted in an agent's action, by cause: an agent's ordinary action (its errors
  // included), an injection, a compromised session, a malicious skill; and what spread from them.
  uint64_t prod_incidents_error = 0;
  uint64_t prod_incidents_injection = 0;
  uint64_t prod_incidents_compromise = 0;
  uint64_t prod_incidents_malicious_skill = 0;
  double approval_minutes_per_day = 0;  // human minutes deciding agents' asks, per simulated day
  uint64_t approvals_decided = 0;
  double approval_accuracy = 0;         // share decided rightly (good approved, bad rejected)
  double approval_wait_minutes_mean = 0;  // clock minutes from an ask to a person's answer (answered asks)
  uint64_t breaker_trips = 0;
  uint64_t memory_quarantines = 0;
  double time_to_contain_hours = 0;     // mean, first malicious action to the breaker or quarantine that stopped it
  uint64_t contained_agents = 0;
  uint64_t uncontained_agents = 0;      // acted maliciously and were never stopped
};

// Paired differences against the same scenario and seed with no agents (the same work
// arrives in both runs): run with agents minus run without.
struct Counterfactual {
  bool present = false;
  double value_usd_delta = 0;
  double human_busy_hours_delta = 0;
  int64_t items_completed_delta = 0;
  int64_t incidents_delta = 0;
  double lead_time_hours_delta = 0;
  double incident_cost_usd_delta = 0;
  double token_cost_usd = 0;       // the agents' spend (the twin spends nothing)
  double roi = 0;                  // (value delta - incident cost delta) / token cost
  double saved_hours_claimed = 0;  // the run's hours.saved_hours, beside the measured difference
  // Where time agents free goes: the change in hours on discretionary backlog work
  // (hours.backlog_hours) beside the change in busy hours.
  double backlog_hours_delta = 0;
  double no_agent_value_usd = 0;
  uint64_t no_agent_fingerprint = 0;
  // The heavy-user output ratio (incentives.top_decile_changes_ratio) taken apart: the same
  // top tenth of developers by tokens and the same developers' median, read in the twin.
  // Who they are: their changes in prod over the median's without agents. What agents did:
  // their changes with over without, and the median's. The ratio is exactly
  // top_decile_changes_ratio_without_agents x top_decile_changes_gain / median_changes_gain
  // (each 0 where the twin's figure is 0; all 0 with fewer than ten such developers).
  double top_decile_changes_ratio_without_agents = 0;
  double top_decile_changes_gain = 0;
  double median_changes_gain = 0;
  // The same for the team ratio (incentives.adoption_team_merged_ratio): the same top and
  // bottom fifths of teams by adoption, their changes merged per developer in the twin. The
  // ratio is adoption_team_merged_ratio_without_agents x high_adoption_teams_merged_gain /
  // low_adoption_teams_merged_gain (all 0 with fewer than five teams of three developers).
  double adoption_team_merged_ratio_without_agents = 0;
  double high_adoption_teams_merged_gain = 0;
  double low_adoption_teams_merged_gain = 0;
  // Where a person's gain comes from: the changes in prod of all developers with agents, and
  // of all developers without, with over without (0 where a group is empty). Work that
  // arrives at a team goes to whoever has room, so one group's gain can be the other's loss.
  double agent_users_changes_gain = 0;
  double non_users_changes_gain = 0;
};

// Totals for the run; the keys of summary.json.
// Every incident of the run (root and spread) by where the defect that caused its root came
// from, and separately by who deployed that change. An agent can deploy a person's defect and a
// person can deploy an agent's; the origin says what harm agents added.
struct IncidentOrigins {
  uint64_t person_change = 0;         // a defect in a change a person wrote
  uint64_t agent_written_change = 0;  // a defect code help put in (plausible but wrong code)
  uint64_t agent_action_error = 0;    // an agent's wrong deploy action (a broken build configuration)
  uint64_t injection = 0;             // an attacker's change deployed by an injected agent
  uint64_t compromise = 0;            // ... by a compromised session
  uint64_t malicious_skill = 0;       // ... by a malicious skill
  uint64_t deployed_by_person = 0;
  uint64_t deployed_by_agent = 0;
  uint64_t agent_origin() const {
    return agent_written_change + agent_action_error + injection + compromise + malicious_skill;
  }
};

// Developers' delivery, the population the published productivity studies (METR, Faros,
// Jellyfish) measure: what they merged, what it took them and what it broke.
struct DeliveryMeasures {
  uint32_t developers = 0;
  uint64_t changes_merged = 0;            // developers' changes that passed review (pull requests)
  uint64_t changes_in_prod = 0;           // developers' changes live in prod
  double developer_busy_hours = 0;        // every task, reviews of others' changes included
  double developer_hours_per_merged_change = 0;  // busy hours / changes merged (time per task)
  double merged_changes_per_developer_week = 0;  // per five working days
  double review_hours_per_merged_change = 0;     // developers' review hours / changes merged
  // Clock hours changes spent waiting for and in review, every round from the request to the
  // last verdict (the author's rework between rounds not counted), over changes merged: the
  // review time a pull request's timestamps show, where review_hours is the reviewers' effort.
  double review_elapsed_hours_per_merged_change = 0;
  double incidents_per_100_merged_changes = 0;   // every incident of the run / changes merged x 100
  // Mean size of a merged change relative to its author's own version of it (1 = written by
  // the person; agents' code is larger: AgentHelpCosts.agent_code_size_ratio).
  double merged_change_size_mean = 0;
  // Changes from their backlog that developers handed to coding agents unassigned
  // (AdoptionDynamics.unassigned_changes_max), over the run.
  uint64_t unassigned_changes_handed = 0;
  // Pull requests opened (a change sent to its first review), and of them those holding code
  // an agent wrote; the defect rate (defective when first reviewed) of those with agents' code
  // over the rate of those without, 0 when either group is empty or the second has no defect:
  // what CodeRabbit (2025) compared in issues per pull request.
  uint64_t prs_opened = 0;
  uint64_t prs_opened_with_agent_code = 0;
  double agent_pr_defect_ratio = 0;
  // With release trains and release testing (DeploySettings.release_testing_half_life_hours):
  // defective changes found while they waited for their train and sent back to their authors.
  uint64_t release_testing_caught = 0;
};

struct RunSummary {
  std::string scenario;
  uint64_t seed = 0;
  int threads = 0;
  uint32_t employees = 0;
  uint32_t agents = 0;
  uint32_t days = 0;            // days simulated (fewer than asked when interrupted)
  bool interrupted = false;     // stopped early at a day's end (RunSinks::should_stop)
  uint64_t events = 0;
  // Hash of the committed event stream and of the results (token ledger, summary measures,
  // per-employee rows): the same fingerprint means the same results.
  uint64_t fingerprint = 0;
  uint64_t engine_fingerprint = 0;  // the committed event stream alone
  double wall_s = 0;
  TokenTally tokens;
  std::array<TokenTally, kNumPurposes> tokens_by_purpose{};
  std::vector<std::pair<std::string, TokenTally>> tokens_by_tier;  // in scenario order
  std::vector<std::pair<std::string, TokenTally>> tokens_by_team;  // in scenario order
  double value_usd = 0;
  HumanHours hours;
  double net_value_usd = 0;        // value - incident cost - token cost
  double value_usd_per_token_usd = 0;  // value_usd / token_cost_usd
  double incident_cost_usd = 0;    // downtime minutes x the service's cost per minute
  double value_arrived_usd = 0;    // value of the work that arrived (not counting backlog)
  double human_busy_hours = 0;
  double human_available_hours = 0;
  double human_cost_usd = 0;         // busy hours x loaded hourly cost (what the people's time cost)
  uint64_t backlog_items = 0;        // work items unfinished at the end (queued, in flight or on a team board)
  uint64_t backlog_items_pulled = 0; // discretionary items people took on when idle
  uint64_t changes_blocked = 0;      // code changes nobody was allowed to deploy
  std::vector<RoleUtilisation> utilisation_by_role;
  DeveloperAgentSpend developer_agent_spend;
  IncentiveMeasures incentives;
  SafetyMeasures safety;
  std::vector<RuleDecisions> rule_decisions;  // the policy's rules in order, then default deny
  Counterfactual counterfactual;
  uint64_t items_arrived = 0;
  uint64_t items_completed = 0;
  double mean_lead_time_hours = 0;
  DoraMetrics dora;
  uint64_t incidents = 0;
  // Of `incidents`, those rooted in an agent's action (a change an agent deployed, its own
  // mistakes included) and what spread from them; and those rooted in agents' advice (a
  // defect code help put in, shipped by a person).
  uint64_t agent_caused_incidents = 0;
  uint64_t agent_advice_incidents = 0;
  IncidentOrigins incident_origins;
  DeliveryMeasures delivery;
  uint64_t data_leaks = 0;
  uint64_t chat_exposures = 0;
  uint64_t agent_errors = 0;
  std::array<uint64_t, kNumGateOutcomes> gate{};
  double performative_token_share() const {
    const uint64_t total = tokens.total_tokens();
    return total == 0 ? 0.0
                      : static_cast<double>(tokens_by_purpose[static_cast<int>(Purpose::kPerformative)].total_tokens()) /
                            static_cast<double>(total);
  }
};

}  // namespace clawsim::model
