// The run's summary, computed from the model's final state (see summarise.h).
#include "sim/model/summarise.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <tuple>

#include "sim/engine/hash.h"

namespace clawsim::model {
namespace {

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size()))) - 1;
  return v[std::min(i, v.size() - 1)];
}

// Work items an employee has not finished: queued, in review or in a pipeline, or in hand.
uint64_t OpenItems(const EmployeeState& st) {
  uint64_t n = st.changes_in_flight.size();
  for (TaskKind k : {TaskKind::kEmail, TaskKind::kChat, TaskKind::kCode, TaskKind::kRework, TaskKind::kDeploy,
                     TaskKind::kBacklog}) {
    n += st.queues[static_cast<int>(k)].size();
  }
  if (st.busy) {
    switch (st.current.kind) {
      case TaskKind::kApproval:
      case TaskKind::kIncident:
      case TaskKind::kReview:
      case TaskKind::kFix: break;
      default: ++n;
    }
  }
  return n;
}

uint64_t HashDouble(uint64_t h, double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return engine::HashCombine(h, bits);
}

uint64_t HashTally(uint64_t h, const TokenTally& t) {
  h = engine::HashCombine(h, t.input_tokens);
  h = engine::HashCombine(h, t.output_tokens);
  h = HashDouble(h, t.cost_usd);
  return engine::HashCombine(h, t.invocations);
}

// A hash of what the run measured, so that the fingerprint changes when any result does
// (a price or a prompt size changes no event, but changes the ledger).
}  // namespace

uint64_t ResultsHash(const RunSummary& s, const std::vector<EmployeeMetrics>& employees) {
  uint64_t h = 0x726573756c747321ULL;
  for (const TokenTally& t : s.tokens_by_purpose) h = HashTally(h, t);
  for (const auto& [name, t] : s.tokens_by_tier) h = HashTally(h, t);
  for (double v : {s.value_usd, s.incident_cost_usd, s.human_cost_usd, s.hours.working_hours, s.hours.review_hours, s.hours.approval_hours,
                   s.hours.fixing_hours, s.hours.saved_hours, s.human_busy_hours, s.mean_lead_time_hours,
                   s.dora.deployment_frequency_per_day, s.dora.lead_time_for_changes_hours, s.dora.change_failure_rate,
                   s.dora.time_to_restore_hours}) {
    h = HashDouble(h, v);
  }
  h = HashDouble(h, s.hours.setup_hours);
  h = HashDouble(h, s.hours.help_cost_hours);
  const IncidentOrigins& o = s.incident_origins;
  for (uint64_t v : {o.person_change, o.agent_written_change, o.agent_action_error, o.injection, o.compromise,
                     o.malicious_skill, o.deployed_by_person, o.deployed_by_agent, s.delivery.changes_merged}) {
    h = engine::HashCombine(h, v);
  }
  for (uint64_t v : {s.items_arrived, s.items_completed, s.incidents, s.data_leaks, s.chat_exposures, s.agent_errors,
                     s.backlog_items, s.backlog_items_pulled, s.changes_blocked, s.agent_caused_incidents,
                     s.agent_advice_incidents,
                     s.incentives.automations_added,
                     s.incentives.automations_dropped, s.incentives.budget_refusals, s.incentives.budget_flags}) {
    h = engine::HashCombine(h, v);
  }
  for (uint64_t g : s.gate) h = engine::HashCombine(h, g);
  const SafetyMeasures& sf = s.safety;
  for (uint64_t v : {sf.attack_attempts, sf.attack_successes, sf.injection_emails, sf.injections_detected,
                     sf.detector_false_positives, sf.injections_followed, sf.data_leaked_messages, sf.phishing_clicks,
                     sf.agents_compromised, sf.breaker_trips, sf.memory_quarantines, sf.approvals_decided}) {
    h = engine::HashCombine(h, v);
  }
  for (const RuleDecisions& r : s.rule_decisions) {
    for (uint64_t v : {r.allowed, r.asked, r.denied, r.rate_limited}) h = engine::HashCombine(h, v);
  }
  for (const EmployeeMetrics& e : employees) {
    for (const TokenTally& t : e.tokens_by_purpose) h = HashTally(h, t);
    h = HashDouble(h, e.value_usd);
    h = HashDouble(h, e.busy_hours);
    h = engine::HashCombine(h, e.items_completed);
  }
  return h;
}

namespace {

double Median(std::vector<double> v) { return Percentile(std::move(v), 0.5); }

// The incentive measures that follow from the run's totals (the per-period ones are filled
// as the run goes).
void SummariseIncentives(const scenario::CompiledScenario& sc, const World& world, const OrgModel& m, RunResult* r) {
  RunSummary& s = r->summary;
  IncentiveMeasures& im = s.incentives;
  const auto& P = s.tokens_by_purpose;
  im.performative_cost_usd = P[static_cast<int>(Purpose::kPerformative)].cost_usd;
  im.tokens_per_value_usd = s.value_usd > 0 ? static_cast<double>(s.tokens.total_tokens()) / s.value_usd : 0;
  im.cost_per_value_usd = s.value_usd > 0 ? s.tokens.cost_usd / s.value_usd : 0;
  const double useful = static_cast<double>(P[static_cast<int>(Purpose::kUseful)].total_tokens());
  im.capacity_forecast_error = useful > 0 ? (static_cast<double>(s.tokens.total_tokens()) - useful) / useful : 0;
  for (size_t d = 0; d < r->daily.size(); d += 7) {
    double all = 0, use = 0;
    for (size_t k = d; k < std::min(r->daily.size(), d + 7); ++k) {
      all += static_cast<double>(r->daily[k].tokens.total_tokens());
      use += static_cast<double>(r->daily[k].tokens_by_purpose[static_cast<int>(Purpose::kUseful)]);
    }
    im.weekly_capacity_forecast_error.push_back(use > 0 ? (all - use) / use : 0);
  }
  // Across employees: the tracked metric over the run, raw tokens, value.
  std::vector<double> tokens, value, metric;
  r->ratio_changes.assign(world.num_employees, 0);
  r->developers_by_tokens.clear();
  for (uint32_t e = 0; e < world.num_employees; ++e) {
    const EmployeeState& st = m.employees()[e];
    const EmployeeMetrics& em = r->employees[e];
    // From ratios_from_day on (the whole run by default).
    const RatioStart& from = st.ratio_start;
    PeriodStats whole;
    whole.tokens = em.tokens().total_tokens() - from.tokens;
    whole.value_usd = em.value_usd - from.value_usd;
    whole.active_days = static_cast<uint32_t>(em.working_days - from.working_days);  // a rough figure
    tokens.push_back(static_cast<double>(whole.tokens));
    value.push_back(whole.value_usd);
    r->ratio_changes[e] = em.changes_completed - from.changes_completed;
    const double mv = MetricValue(sc.incentives.metric, whole);
    metric.push_back(HigherIsBetter(sc.incentives.metric) ? mv : -mv);
    im.performative_automations_held += st.held.size();
    im.automations_added += st.automations_added;
    im.automations_dropped += st.automations_dropped;
    im.budget_refusals += st.budget_refusals;
  }
  im.token_value_rank_correlation = SpearmanCorrelation(tokens, value);
  im.metric_value_rank_correlation =
      sc.incentives.metric == scenario::IncentiveMetric::kNotTracked ? 0 : SpearmanCorrelation(metric, value);
  im.value_token_elasticity = LogLogSlope(tokens, value);
  // Developers with agents: the population the published 10x / 2x figures describe.
  std::vector<uint32_t> devs;
  for (uint32_t e = 0; e < world.num_employees; ++e) {
    if (sc.organization.employees[e].role == scenario::Role::kDeveloper && r->employees[e].agents > 0) devs.push_back(e);
  }
  if (devs.size() >= 10) {
    std::vector<uint32_t> by_tokens = devs;
    std::stable_sort(by_tokens.begin(), by_tokens.end(), [&](uint32_t a, uint32_t b) { return tokens[a] > tokens[b]; });
    r->developers_by_tokens = by_tokens;
    const size_t top = std::max<size_t>(1, by_tokens.size() / 10);
    double top_tokens = 0, top_value = 0;
    std::vector<double> dev_tokens, dev_value;
    for (size_t i = 0; i < by_tokens.size(); ++i) {
      const uint32_t e = by_tokens[i];
      if (i < top) {
        top_tokens += tokens[e];
        top_value += value[e];
      }
      dev_tokens.push_back(tokens[e]);
      dev_value.push_back(value[e]);
    }
    const double n = static_cast<double>(top);
    const double mt = Median(dev_tokens), mv = Median(dev_value);
    const TopDecileChanges c = TopDecileChangesOf(by_tokens, r->ratio_changes);
    im.top_decile_token_ratio = mt > 0 ? top_tokens / n / mt : 0;
    im.top_decile_value_ratio = mv > 0 ? top_value / n / mv : 0;
    im.top_decile_changes_ratio = c.median > 0 ? c.top_mean / c.median : 0;
  }
  // Teams by adoption: the share of their developers whose agents used at least the
  // active-user threshold per week on average.
  struct TeamRow {
    uint32_t team;
    double adoption;
    double throughput;  // changes in prod per developer
  };
  std::vector<TeamRow> teams;
  r->ratio_merged.assign(world.num_employees, 0);
  r->teams_by_adoption.clear();
  for (uint32_t t = 0; t < sc.organization.teams.size(); ++t) {
    const scenario::Team& team = sc.organization.teams[t];
    double developers = 0, active = 0, changes = 0;
    for (EmployeeId e : team.members) {
      if (sc.organization.employees[e].role != scenario::Role::kDeveloper) continue;
      const EmployeeMetrics& em = r->employees[e];
      const RatioStart& from = m.employees()[e].ratio_start;
      developers += 1;
      changes += static_cast<double>(em.changes_completed - from.changes_completed);
      r->ratio_merged[e] = em.changes_merged - from.changes_merged;
      const double weeks = std::max(1.0, (em.working_days - from.working_days) / 5.0);
      if (em.agents > 0 && static_cast<double>(em.tokens().total_tokens() - from.tokens) / weeks >=
                               static_cast<double>(sc.incentives.active_user_min_tokens_per_week)) {
        active += 1;
      }
    }
    if (developers >= 3) teams.push_back({t, active / developers, changes / developers});
  }
  if (teams.size() >= 5) {
    std::stable_sort(teams.begin(), teams.end(), [](const TeamRow& a, const TeamRow& b) { return a.adoption > b.adoption; });
    const size_t fifth = std::max<size_t>(1, teams.size() / 5);
    double hi = 0, lo = 0;
    for (size_t i = 0; i < fifth; ++i) {
      hi += teams[i].throughput;
      lo += teams[teams.size() - 1 - i].throughput;
    }
    for (const TeamRow& row : teams) r->teams_by_adoption.push_back(row.team);
    const AdoptionTeamsMerged merged = AdoptionTeamsMergedOf(sc, r->teams_by_adoption, r->ratio_merged);
    im.adoption_team_throughput_ratio = lo > 0 ? hi / lo : 0;
    im.adoption_team_merged_ratio = merged.low > 0 ? merged.high / merged.low : 0;
  }
}

}  // namespace

TopDecileChanges TopDecileChangesOf(const std::vector<uint32_t>& by_tokens, const std::vector<uint64_t>& changes) {
  TopDecileChanges out;
  if (by_tokens.size() < 10) return out;
  const size_t top = by_tokens.size() / 10;
  double top_changes = 0;
  std::vector<double> all;
  all.reserve(by_tokens.size());
  for (size_t i = 0; i < by_tokens.size(); ++i) {
    const double c = static_cast<double>(changes[by_tokens[i]]);
    if (i < top) top_changes += c;
    all.push_back(c);
  }
  out.top_mean = top_changes / static_cast<double>(top);
  out.median = Median(std::move(all));
  return out;
}

AdoptionTeamsMerged AdoptionTeamsMergedOf(const scenario::CompiledScenario& sc, const std::vector<uint32_t>& by_adoption,
                                          const std::vector<uint64_t>& merged) {
  AdoptionTeamsMerged out;
  if (by_adoption.size() < 5) return out;
  auto per_developer = [&](uint32_t t) {
    double developers = 0, sum = 0;
    for (EmployeeId e : sc.organization.teams[t].members) {
      if (sc.organization.employees[e].role != scenario::Role::kDeveloper) continue;
      developers += 1;
      sum += static_cast<double>(merged[e]);
    }
    return developers > 0 ? sum / developers : 0;
  };
  const size_t fifth = by_adoption.size() / 5;
  for (size_t i = 0; i < fifth; ++i) {
    out.high += per_developer(by_adoption[i]);
    out.low += per_developer(by_adoption[by_adoption.size() - 1 - i]);
  }
  return out;
}

void Summarise(const scenario::CompiledScenario& sc, const World& world, const OrgModel& m, RunResult* r) {
  RunSummary& s = r->summary;
  s.employees = world.num_employees;
  s.agents = static_cast<uint32_t>(world.agents.size());
  s.tokens_by_tier.clear();
  for (const scenario::ModelTier& t : sc.tiers) s.tokens_by_tier.emplace_back(t.name, TokenTally{});
  s.tokens_by_team.clear();
  for (const scenario::Team& t : sc.organization.teams) s.tokens_by_team.emplace_back(t.name, TokenTally{});
  double lead_sum = 0;
  r->employees.clear();
  r->employees.reserve(world.num_employees);  // at a million, growing by doubling copies and faults in 2 GB
  for (uint32_t e = 0; e < world.num_employees; ++e) {
    const EmployeeState& st = m.employees()[e];
    const TokenTally tokens = st.m.tokens();
    s.tokens.Add(tokens);
    for (int p = 0; p < kNumPurposes; ++p) s.tokens_by_purpose[p].Add(st.m.tokens_by_purpose[p]);
    for (size_t t = 0; t < st.tokens_by_tier.size(); ++t) s.tokens_by_tier[t].second.Add(st.tokens_by_tier[t]);
    const scenario::TeamId team = sc.organization.employees[e].team;
    if (team != kNoId) s.tokens_by_team[team].second.Add(tokens);
    s.value_usd += st.m.value_usd;
    s.hours.Add(st.m.hours);
    s.items_arrived += st.items_arrived;
    s.value_arrived_usd += st.value_arrived_usd;
    s.human_busy_hours += st.busy_hours;
    s.human_cost_usd += st.busy_hours * st.m.hourly_cost_usd;
    s.human_available_hours += st.available_hours;
    s.backlog_items += OpenItems(st);  // (and changes left on team boards, below)
    s.backlog_items_pulled += st.backlog_pulled;
    s.changes_blocked += st.changes_blocked;
    s.items_completed += st.m.items_completed;
    lead_sum += st.lead_time_hours_sum;
    s.data_leaks += st.mailbox.leaks().size();
    s.agent_errors += st.m.agent_errors;
    for (int g = 0; g < kNumGateOutcomes; ++g) s.gate[g] += st.m.gate[g];
    r->employees.push_back(st.m);
    r->employees.back().busy_hours = st.busy_hours;
    // Trust in (and share handed to) their first code-help skill, for those who have one.
    for (uint32_t k = 0; k < sc.skills.size(); ++k) {
      if (sc.skills[k].kind != scenario::SkillKind::kCodeHelp) continue;
      const double trust = m.CodeTrust(st, e, k);
      r->employees.back().code_trust = trust;
      r->employees.back().handover_share = sc.adoption.HandoverShare(trust);
      uint64_t delegated = 0;
      for (const SkillTrust& t : st.code_trust) delegated += t.delegated;
      r->employees.back().changes_delegated = delegated;
      break;
    }
    r->employees.back().unassigned_changes_handed = st.agent_led_handed;
    r->employees.back().available_hours = st.available_hours;
    r->employees.back().working_days = st.working_days;
    r->employees.back().changes_completed = st.changes_completed;
    r->employees.back().changes_merged = st.changes_merged;
    r->employees.back().performative_automations = static_cast<uint32_t>(st.held.size());
  }
  // Changes that arrived on a team's board and nobody took are unfinished work too.
  for (const ChannelState& c : m.channels()) s.backlog_items += c.board.changes.size();
  // Utilisation by role: busy over available hours, over the people who had working time.
  for (int role = 0; role < scenario::kRoleCount; ++role) {
    std::vector<double> u;
    for (uint32_t e = 0; e < world.num_employees; ++e) {
      const EmployeeMetrics& em = r->employees[e];
      if (static_cast<int>(sc.organization.employees[e].role) == role && em.available_hours > 0) {
        u.push_back(em.utilisation());
      }
    }
    if (u.empty()) continue;
    RoleUtilisation ru;
    ru.role = std::string(scenario::RoleName(static_cast<scenario::Role>(role)));
    ru.people = static_cast<uint32_t>(u.size());
    double sum = 0;
    for (double x : u) sum += x;
    ru.mean = sum / static_cast<double>(u.size());
    ru.p90 = Percentile(u, 0.9);
    ru.max = *std::max_element(u.begin(), u.end());
    s.utilisation_by_role.push_back(ru);
  }
  // Developers' agent spend, the population published agent-spend figures describe, from
  // incentives.ratios_from_day on (the whole run by default), so that it can be read at
  // steady state as those figures describe established users.
  {
    std::vector<double> per_day, per_week;
    for (uint32_t e = 0; e < world.num_employees; ++e) {
      const EmployeeMetrics& em = r->employees[e];
      const RatioStart& from = m.employees()[e].ratio_start;
      const double days = static_cast<double>(em.working_days) - from.working_days;
      if (sc.organization.employees[e].role != scenario::Role::kDeveloper || em.agents == 0 || days <= 0) continue;
      const TokenTally t = em.tokens();
      per_day.push_back((t.cost_usd - from.cost_usd) / days);
      per_week.push_back(static_cast<double>(t.total_tokens() - from.tokens) * 5.0 / days);
    }
    DeveloperAgentSpend& d = s.developer_agent_spend;
    d.developers = static_cast<uint32_t>(per_day.size());
    if (!per_day.empty()) {
      double sum = 0;
      for (double x : per_day) sum += x;
      d.cost_per_active_day_mean_usd = sum / static_cast<double>(per_day.size());
      d.cost_per_active_day_p90_usd = Percentile(per_day, 0.9);
      d.tokens_per_week_median = Percentile(per_week, 0.5);
      d.tokens_per_week_p90 = Percentile(per_week, 0.9);
    }
  }
  // Rule decisions: the policy's rules in order (the scenario's first), then default deny.
  const std::vector<services::Rule>& rules = world.policy.rules();
  s.rule_decisions.assign(rules.size() + 1, RuleDecisions{});
  for (size_t i = 0; i < rules.size(); ++i) {
    s.rule_decisions[i].rule = rules[i].name;
    s.rule_decisions[i].from_scenario = i < sc.permissions.rules.size();
  }
  s.rule_decisions.back().rule = "default (no rule matched)";
  for (const EmployeeState& st : m.employees()) {
    if (st.rule_verdicts.size() != (rules.size() + 1) * 4) continue;
    for (size_t i = 0; i <= rules.size(); ++i) {
      const uint32_t* v = &st.rule_verdicts[i * 4];
      RuleDecisions& d = s.rule_decisions[i];
      d.denied += v[static_cast<int>(services::Verdict::kDeny)];
      d.rate_limited += v[static_cast<int>(services::Verdict::kRateLimited)];
      d.asked += v[static_cast<int>(services::Verdict::kAsk)];
      d.allowed += v[static_cast<int>(services::Verdict::kAllow)];
    }
  }
  s.mean_lead_time_hours = s.items_completed == 0 ? 0 : lead_sum / static_cast<double>(s.items_completed);
  s.value_usd_per_token_usd = s.tokens.cost_usd > 0 ? s.value_usd / s.tokens.cost_usd : 0;
  // DORA: deployments to prod (a change on demand, or a release train's changes together),
  // the share that put a defective change in prod, how long changes took to reach prod, how
  // long incidents that have ended took to restore, and the share of deployments that were
  // rollbacks.
  uint64_t prod = 0, releases = 0, failed = 0, restored = 0, rollbacks = 0;
  double lead = 0, restore = 0;
  const TimeUs end_us = static_cast<TimeUs>(s.days) * engine::kUsPerDay;
  for (const ServiceLpState& v : m.services()) {
    prod += v.prod_deploys;
    s.delivery.release_testing_caught += v.release_testing_caught;
    rollbacks += v.service.stats().rollbacks;
    lead += v.lead_time_hours_sum;
    // A failed deployment: one that put a defective change in prod (it needs an incident
    // response, a rollback or a hotfix, whether or not it opened an incident).
    releases += v.service.run_tally().releases;
    failed += v.service.run_tally().failed_releases;
    const double cost_per_minute = sc.deploy.services[v.service.id()].downtime_cost_usd_per_minute;
    for (const services::Incident& inc : v.service.incidents()) {
      ++s.incidents;
      const TimeUs down_until = std::min(inc.restored_at_us, end_us);
      s.incident_cost_usd += cost_per_minute * std::max(0.0, engine::UsToSeconds(down_until - inc.opened_at_us) / 60.0);
      if (inc.restored_at_us <= end_us) {
        ++restored;
        restore += UsToHours(inc.restored_at_us - inc.opened_at_us);
      }
    }
  }
  for (const ChannelState& c : m.channels()) {
    s.chat_exposures += c.channel.exposures().size();
    r->agent_effects.chat_posts += c.channel.stats().bot_posts;
  }
  for (const EmployeeState& st : m.employees()) r->agent_effects.mails_sent += st.mailbox.stats().sent_by_agents;
  for (const ServiceLpState& v : m.services()) r->agent_effects.deploys += v.service.run_tally().by_agents;
  s.dora.deployment_frequency_per_day = s.days == 0 ? 0 : static_cast<double>(releases) / s.days;
  s.dora.lead_time_for_changes_hours = prod == 0 ? 0 : lead / static_cast<double>(prod);
  s.dora.change_failure_rate = releases == 0 ? 0 : static_cast<double>(failed) / static_cast<double>(releases);
  s.dora.time_to_restore_hours = restored == 0 ? 0 : restore / static_cast<double>(restored);
  s.dora.rework_rate =
      releases + rollbacks == 0 ? 0 : static_cast<double>(rollbacks) / static_cast<double>(releases + rollbacks);
  s.net_value_usd = s.value_usd - s.incident_cost_usd - s.tokens.cost_usd;
  {
    DeliveryMeasures& d = s.delivery;
    double working_days = 0, review_hours = 0, merged_size = 0, review_elapsed_hours = 0;
    uint64_t opened[2] = {0, 0}, defective[2] = {0, 0};
    for (uint32_t e = 0; e < world.num_employees; ++e) {
      if (sc.organization.employees[e].role != scenario::Role::kDeveloper) continue;
      const EmployeeMetrics& em = r->employees[e];
      ++d.developers;
      d.changes_merged += em.changes_merged;
      merged_size += m.employees()[e].merged_size_sum;
      review_elapsed_hours += m.employees()[e].review_round_hours_sum;
      for (int k = 0; k < 2; ++k) {
        opened[k] += m.employees()[e].prs_opened[k];
        defective[k] += m.employees()[e].prs_opened_defective[k];
      }
      d.unassigned_changes_handed += em.unassigned_changes_handed;
      d.changes_in_prod += em.changes_completed;
      d.developer_busy_hours += em.busy_hours;
      review_hours += em.hours.review_hours;
      working_days += em.working_days;
    }
    const double merged = static_cast<double>(d.changes_merged);
    d.developer_hours_per_merged_change = merged > 0 ? d.developer_busy_hours / merged : 0;
    d.merged_changes_per_developer_week = working_days > 0 ? merged * 5.0 / working_days : 0;
    d.review_hours_per_merged_change = merged > 0 ? review_hours / merged : 0;
    d.review_elapsed_hours_per_merged_change = merged > 0 ? review_elapsed_hours / merged : 0;
    d.merged_change_size_mean = merged > 0 ? merged_size / merged : 0;
    d.incidents_per_100_merged_changes = merged > 0 ? 100.0 * static_cast<double>(s.incidents) / merged : 0;
    d.prs_opened = opened[0] + opened[1];
    d.prs_opened_with_agent_code = opened[1];
    if (opened[0] > 0 && opened[1] > 0 && defective[0] > 0) {
      const double rate_agent = static_cast<double>(defective[1]) / static_cast<double>(opened[1]);
      const double rate_person = static_cast<double>(defective[0]) / static_cast<double>(opened[0]);
      d.agent_pr_defect_ratio = rate_agent / rate_person;
    }
  }
  SummariseIncentives(sc, world, m, r);
  SummariseSafety(sc, m, s.days, &s);
}

}  // namespace clawsim::model
