#include "sim/run/proto_convert.h"

#include "sim/run/run_file_format.h"

namespace clawsim::run {
namespace {

// The helpers below overload the public conversions (proto_convert.h); they call those by
// their qualified name (run::ToProto), which names the public ones alone.
using model::GateOutcome;
using model::Purpose;
using model::Trigger;

// The proto messages name each purpose, trigger and gate outcome; these asserts make adding
// one to metrics.h fail here, where the message needs the matching field.
static_assert(model::kNumPurposes == 3, "update TokensByPurpose in run.proto and the code below");
static_assert(model::kNumTriggers == 4, "update TokensByTrigger in run.proto and the code below");
static_assert(model::kNumGateOutcomes == 6, "update GateCounts in run.proto and the code below");

template <typename Array, typename Enum>
auto& At(Array& a, Enum e) {
  return a[static_cast<size_t>(e)];
}

void ToProto(const std::array<uint64_t, model::kNumGateOutcomes>& in, proto::GateCounts* out) {
  out->set_allowed(At(in, GateOutcome::kAllowed));
  out->set_asked_approved(At(in, GateOutcome::kAskedApproved));
  out->set_asked_rejected(At(in, GateOutcome::kAskedRejected));
  out->set_asked_expired(At(in, GateOutcome::kAskedExpired));
  out->set_denied(At(in, GateOutcome::kDenied));
  out->set_rate_limited(At(in, GateOutcome::kRateLimited));
}

std::array<uint64_t, model::kNumGateOutcomes> FromProto(const proto::GateCounts& in) {
  std::array<uint64_t, model::kNumGateOutcomes> out{};
  At(out, GateOutcome::kAllowed) = in.allowed();
  At(out, GateOutcome::kAskedApproved) = in.asked_approved();
  At(out, GateOutcome::kAskedRejected) = in.asked_rejected();
  At(out, GateOutcome::kAskedExpired) = in.asked_expired();
  At(out, GateOutcome::kDenied) = in.denied();
  At(out, GateOutcome::kRateLimited) = in.rate_limited();
  return out;
}

void ToProto(const model::HumanHours& in, proto::HumanHours* out) {
  out->set_working_hours(in.working_hours);
  out->set_setup_hours(in.setup_hours);
  out->set_backlog_hours(in.backlog_hours);
  out->set_review_hours(in.review_hours);
  out->set_approval_hours(in.approval_hours);
  out->set_fixing_hours(in.fixing_hours);
  out->set_saved_hours(in.saved_hours);
  out->set_help_cost_hours(in.help_cost_hours);
}

model::HumanHours FromProto(const proto::HumanHours& in) {
  model::HumanHours out;
  out.working_hours = in.working_hours();
  out.setup_hours = in.setup_hours();
  out.backlog_hours = in.backlog_hours();
  out.review_hours = in.review_hours();
  out.approval_hours = in.approval_hours();
  out.fixing_hours = in.fixing_hours();
  out.saved_hours = in.saved_hours();
  out.help_cost_hours = in.help_cost_hours();
  return out;
}

void ToProto(const std::array<model::TokenTally, model::kNumPurposes>& in, proto::TokensByPurpose* out) {
  run::ToProto(At(in, Purpose::kUseful), out->mutable_useful());
  run::ToProto(At(in, Purpose::kOverhead), out->mutable_overhead());
  run::ToProto(At(in, Purpose::kPerformative), out->mutable_performative());
}

std::array<model::TokenTally, model::kNumPurposes> FromProto(const proto::TokensByPurpose& in) {
  std::array<model::TokenTally, model::kNumPurposes> out{};
  At(out, Purpose::kUseful) = run::FromProto(in.useful());
  At(out, Purpose::kOverhead) = run::FromProto(in.overhead());
  At(out, Purpose::kPerformative) = run::FromProto(in.performative());
  return out;
}

void ToProto(const std::array<model::TokenTally, model::kNumTriggers>& in, proto::TokensByTrigger* out) {
  run::ToProto(At(in, Trigger::kHeartbeat), out->mutable_heartbeat());
  run::ToProto(At(in, Trigger::kCron), out->mutable_cron());
  run::ToProto(At(in, Trigger::kEvent), out->mutable_event());
  run::ToProto(At(in, Trigger::kDreaming), out->mutable_dreaming());
}

std::array<model::TokenTally, model::kNumTriggers> FromProto(const proto::TokensByTrigger& in) {
  std::array<model::TokenTally, model::kNumTriggers> out{};
  At(out, Trigger::kHeartbeat) = run::FromProto(in.heartbeat());
  At(out, Trigger::kCron) = run::FromProto(in.cron());
  At(out, Trigger::kEvent) = run::FromProto(in.event());
  At(out, Trigger::kDreaming) = run::FromProto(in.dreaming());
  return out;
}

void ToProto(const model::DoraMetrics& in, proto::DoraMetrics* out) {
  out->set_deployment_frequency_per_day(in.deployment_frequency_per_day);
  out->set_lead_time_for_changes_hours(in.lead_time_for_changes_hours);
  out->set_change_failure_rate(in.change_failure_rate);
  out->set_time_to_restore_hours(in.time_to_restore_hours);
  out->set_rework_rate(in.rework_rate);
}

model::DoraMetrics FromProto(const proto::DoraMetrics& in) {
  model::DoraMetrics out;
  out.deployment_frequency_per_day = in.deployment_frequency_per_day();
  out.lead_time_for_changes_hours = in.lead_time_for_changes_hours();
  out.change_failure_rate = in.change_failure_rate();
  out.time_to_restore_hours = in.time_to_restore_hours();
  out.rework_rate = in.rework_rate();
  return out;
}

void ToProto(const std::vector<std::pair<std::string, model::TokenTally>>& in,
             google::protobuf::RepeatedPtrField<proto::NamedTokenTally>* out) {
  for (const auto& [name, tally] : in) {
    proto::NamedTokenTally* named = out->Add();
    named->set_name(name);
    run::ToProto(tally, named->mutable_tokens());
  }
}

std::vector<std::pair<std::string, model::TokenTally>> FromProto(
    const google::protobuf::RepeatedPtrField<proto::NamedTokenTally>& in) {
  std::vector<std::pair<std::string, model::TokenTally>> out;
  out.reserve(in.size());
  for (const proto::NamedTokenTally& named : in) out.emplace_back(named.name(), run::FromProto(named.tokens()));
  return out;
}

void CopyNames(const std::vector<std::string>& in, google::protobuf::RepeatedPtrField<std::string>* out) {
  out->Reserve(static_cast<int>(in.size()));
  for (const std::string& name : in) out->Add(std::string(name));
}

}  // namespace

void ToProto(const model::TokenTally& in, proto::TokenTally* out) {
  out->set_input_tokens(in.input_tokens);
  out->set_output_tokens(in.output_tokens);
  out->set_cost_usd(in.cost_usd);
  out->set_invocations(in.invocations);
}

model::TokenTally FromProto(const proto::TokenTally& in) {
  model::TokenTally out;
  out.input_tokens = in.input_tokens();
  out.output_tokens = in.output_tokens();
  out.cost_usd = in.cost_usd();
  out.invocations = in.invocations();
  return out;
}

void ToProto(const model::DailyMetrics& in, proto::DailyRow* out) {
  out->set_day(in.day);
  ToProto(in.tokens, out->mutable_tokens());
  proto::TokenCountsByPurpose* purpose = out->mutable_tokens_by_purpose();
  purpose->set_useful_tokens(At(in.tokens_by_purpose, Purpose::kUseful));
  purpose->set_overhead_tokens(At(in.tokens_by_purpose, Purpose::kOverhead));
  purpose->set_performative_tokens(At(in.tokens_by_purpose, Purpose::kPerformative));
  out->set_value_usd(in.value_usd);
  out->set_hours_saved(in.hours_saved);
  out->set_items_arrived(in.items_arrived);
  out->set_items_completed(in.items_completed);
  out->set_deploys_prod(in.deploys_prod);
  out->set_deploys_failed(in.deploys_failed);
  out->set_incidents_opened(in.incidents_opened);
  ToProto(in.gate, out->mutable_gate());
}

model::DailyMetrics FromProto(const proto::DailyRow& in) {
  model::DailyMetrics out;
  out.day = in.day();
  out.tokens = FromProto(in.tokens());
  At(out.tokens_by_purpose, Purpose::kUseful) = in.tokens_by_purpose().useful_tokens();
  At(out.tokens_by_purpose, Purpose::kOverhead) = in.tokens_by_purpose().overhead_tokens();
  At(out.tokens_by_purpose, Purpose::kPerformative) = in.tokens_by_purpose().performative_tokens();
  out.value_usd = in.value_usd();
  out.hours_saved = in.hours_saved();
  out.items_arrived = in.items_arrived();
  out.items_completed = in.items_completed();
  out.deploys_prod = in.deploys_prod();
  out.deploys_failed = in.deploys_failed();
  out.incidents_opened = in.incidents_opened();
  out.gate = FromProto(in.gate());
  return out;
}

void ToProto(const model::EmployeeMetrics& in, proto::EmployeeRow* out) {
  out->set_employee_id(in.employee_id);
  out->set_name(in.name);
  out->set_team(in.team);
  out->set_role(in.role);
  out->set_agents(in.agents);
  ToProto(in.tokens_by_purpose, out->mutable_tokens_by_purpose());
  ToProto(in.tokens_by_trigger, out->mutable_tokens_by_trigger());
  ToProto(in.hours, out->mutable_hours());
  out->set_value_usd(in.value_usd);
  out->set_hourly_cost_usd(in.hourly_cost_usd);
  out->set_items_completed(in.items_completed);
  out->set_agent_errors(in.agent_errors);
  ToProto(in.gate, out->mutable_gate());
  out->set_net_value_usd(in.net_value_usd());
  out->set_busy_hours(in.busy_hours);
  out->set_available_hours(in.available_hours);
  out->set_working_days(in.working_days);
  out->set_changes_completed(in.changes_completed);
  out->set_changes_merged(in.changes_merged);
  out->set_performative_automations(in.performative_automations);
  out->set_pressure(in.pressure);
  out->set_code_trust(in.code_trust);
  out->set_handover_share(in.handover_share);
  out->set_changes_delegated(in.changes_delegated);
  out->set_unassigned_changes_handed(in.unassigned_changes_handed);
  out->set_rank(in.rank);
}

model::EmployeeMetrics FromProto(const proto::EmployeeRow& in) {
  model::EmployeeMetrics out;
  out.employee_id = in.employee_id();
  out.name = in.name();
  out.team = in.team();
  out.role = in.role();
  out.agents = in.agents();
  out.tokens_by_purpose = FromProto(in.tokens_by_purpose());
  out.tokens_by_trigger = FromProto(in.tokens_by_trigger());
  out.hours = FromProto(in.hours());
  out.value_usd = in.value_usd();
  out.hourly_cost_usd = in.hourly_cost_usd();
  out.items_completed = in.items_completed();
  out.agent_errors = in.agent_errors();
  out.gate = FromProto(in.gate());
  out.busy_hours = in.busy_hours();
  out.available_hours = in.available_hours();
  out.working_days = in.working_days();
  out.changes_completed = in.changes_completed();
  out.changes_merged = in.changes_merged();
  out.performative_automations = in.performative_automations();
  out.pressure = in.pressure();
  out.code_trust = in.code_trust();
  out.handover_share = in.handover_share();
  out.changes_delegated = in.changes_delegated();
  out.unassigned_changes_handed = in.unassigned_changes_handed();
  out.rank = in.rank();
  return out;
}

void ToProto(const model::RunSummary& in, proto::RunSummary* out) {
  out->set_scenario(in.scenario);
  out->set_seed(in.seed);
  out->set_employees(in.employees);
  out->set_agents(in.agents);
  out->set_days(in.days);
  out->set_events(in.events);
  out->set_fingerprint(in.fingerprint);
  ToProto(in.tokens, out->mutable_tokens());
  ToProto(in.tokens_by_purpose, out->mutable_tokens_by_purpose());
  ToProto(in.tokens_by_tier, out->mutable_tokens_by_tier());
  ToProto(in.tokens_by_team, out->mutable_tokens_by_team());
  out->set_value_usd(in.value_usd);
  ToProto(in.hours, out->mutable_hours());
  out->set_net_value_usd(in.net_value_usd);
  out->set_value_usd_per_token_usd(in.value_usd_per_token_usd);
  out->set_items_arrived(in.items_arrived);
  out->set_items_completed(in.items_completed);
  out->set_mean_lead_time_hours(in.mean_lead_time_hours);
  ToProto(in.dora, out->mutable_dora());
  out->set_incidents(in.incidents);
  out->set_data_leaks(in.data_leaks);
  out->set_chat_exposures(in.chat_exposures);
  out->set_agent_errors(in.agent_errors);
  ToProto(in.gate, out->mutable_gate());
  out->set_performative_token_share(in.performative_token_share());
  out->set_engine_fingerprint(in.engine_fingerprint);
  out->set_incident_cost_usd(in.incident_cost_usd);
  out->set_value_arrived_usd(in.value_arrived_usd);
  out->set_human_busy_hours(in.human_busy_hours);
  out->set_human_available_hours(in.human_available_hours);
  out->set_human_cost_usd(in.human_cost_usd);
  out->set_agent_caused_incidents(in.agent_caused_incidents);
  out->set_agent_advice_incidents(in.agent_advice_incidents);
  {
    const model::IncidentOrigins& o = in.incident_origins;
    proto::IncidentOrigins* p = out->mutable_incident_origins();
    p->set_person_change(o.person_change);
    p->set_agent_written_change(o.agent_written_change);
    p->set_agent_action_error(o.agent_action_error);
    p->set_injection(o.injection);
    p->set_compromise(o.compromise);
    p->set_malicious_skill(o.malicious_skill);
    p->set_deployed_by_person(o.deployed_by_person);
    p->set_deployed_by_agent(o.deployed_by_agent);
    p->set_agent_origin(o.agent_origin());
  }
  {
    const model::DeliveryMeasures& d = in.delivery;
    proto::DeliveryMeasures* p = out->mutable_delivery();
    p->set_developers(d.developers);
    p->set_changes_merged(d.changes_merged);
    p->set_changes_in_prod(d.changes_in_prod);
    p->set_developer_busy_hours(d.developer_busy_hours);
    p->set_developer_hours_per_merged_change(d.developer_hours_per_merged_change);
    p->set_merged_changes_per_developer_week(d.merged_changes_per_developer_week);
    p->set_review_hours_per_merged_change(d.review_hours_per_merged_change);
    p->set_merged_change_size_mean(d.merged_change_size_mean);
    p->set_unassigned_changes_handed(d.unassigned_changes_handed);
    p->set_prs_opened(d.prs_opened);
    p->set_prs_opened_with_agent_code(d.prs_opened_with_agent_code);
    p->set_agent_pr_defect_ratio(d.agent_pr_defect_ratio);
    p->set_review_elapsed_hours_per_merged_change(d.review_elapsed_hours_per_merged_change);
    p->set_release_testing_caught(d.release_testing_caught);
    p->set_incidents_per_100_merged_changes(d.incidents_per_100_merged_changes);
  }
  {
    const model::SafetyMeasures& m = in.safety;
    proto::SafetyMeasures* p = out->mutable_safety();
    p->set_attack_attempts(m.attack_attempts);
    p->set_attack_successes(m.attack_successes);
    p->set_attack_success_rate(m.attack_success_rate);
    p->set_injection_success_per_exposure(m.injection_success_per_exposure);
    p->set_injection_emails(m.injection_emails);
    p->set_injections_detected(m.injections_detected);
    p->set_detector_false_positives(m.detector_false_positives);
    p->set_detector_checks(m.detector_checks);
    p->set_detector_release_hours(m.detector_release_hours);
    p->set_injections_read(m.injections_read);
    p->set_injections_followed(m.injections_followed);
    p->set_injections_shared(m.injections_shared);
    p->set_memory_poisonings(m.memory_poisonings);
    p->set_data_leaked_messages(m.data_leaked_messages);
    p->set_data_leaked_sensitive(m.data_leaked_sensitive);
    p->set_phishing_posts(m.phishing_posts);
    p->set_phishing_clicks(m.phishing_clicks);
    p->set_agents_compromised(m.agents_compromised);
    p->set_prod_incidents_error(m.prod_incidents_error);
    p->set_prod_incidents_injection(m.prod_incidents_injection);
    p->set_prod_incidents_compromise(m.prod_incidents_compromise);
    p->set_prod_incidents_malicious_skill(m.prod_incidents_malicious_skill);
    p->set_approval_minutes_per_day(m.approval_minutes_per_day);
    p->set_approvals_decided(m.approvals_decided);
    p->set_approval_accuracy(m.approval_accuracy);
    p->set_approval_wait_minutes_mean(m.approval_wait_minutes_mean);
    p->set_breaker_trips(m.breaker_trips);
    p->set_memory_quarantines(m.memory_quarantines);
    p->set_time_to_contain_hours(m.time_to_contain_hours);
    p->set_contained_agents(m.contained_agents);
    p->set_uncontained_agents(m.uncontained_agents);
    for (const model::AttackSourceMeasures& src : m.sources) {
      proto::AttackSourceMeasures* q = p->add_sources();
      q->set_kind(src.kind);
      q->set_name(src.name);
      q->set_attempts(src.attempts);
      q->set_successes(src.successes);
    }
  }
  {
    const model::IncentiveMeasures& m = in.incentives;
    proto::IncentiveMeasures* p = out->mutable_incentives();
    p->set_performative_cost_usd(m.performative_cost_usd);
    p->set_tokens_per_value_usd(m.tokens_per_value_usd);
    p->set_cost_per_value_usd(m.cost_per_value_usd);
    p->set_metric_value_rank_correlation(m.metric_value_rank_correlation);
    for (double v : m.period_metric_value_rank_correlation) p->add_period_metric_value_rank_correlation(v);
    p->set_token_value_rank_correlation(m.token_value_rank_correlation);
    p->set_value_token_elasticity(m.value_token_elasticity);
    p->set_top_decile_token_ratio(m.top_decile_token_ratio);
    p->set_top_decile_value_ratio(m.top_decile_value_ratio);
    p->set_top_decile_changes_ratio(m.top_decile_changes_ratio);
    p->set_adoption_team_throughput_ratio(m.adoption_team_throughput_ratio);
    p->set_adoption_team_merged_ratio(m.adoption_team_merged_ratio);
    p->set_leaderboard_churn(m.leaderboard_churn);
    p->set_capacity_forecast_error(m.capacity_forecast_error);
    for (double v : m.weekly_capacity_forecast_error) p->add_weekly_capacity_forecast_error(v);
    p->set_performative_automations_held(m.performative_automations_held);
    p->set_automations_added(m.automations_added);
    p->set_automations_dropped(m.automations_dropped);
    p->set_budget_flags(m.budget_flags);
    p->set_budget_refusals(m.budget_refusals);
    p->set_refreshes(m.refreshes);
  }
  out->set_backlog_items(in.backlog_items);
  out->set_backlog_items_pulled(in.backlog_items_pulled);
  out->set_changes_blocked(in.changes_blocked);
  {
    const model::DeveloperAgentSpend& d = in.developer_agent_spend;
    proto::DeveloperAgentSpend* p = out->mutable_developer_agent_spend();
    p->set_developers(d.developers);
    p->set_cost_per_active_day_mean_usd(d.cost_per_active_day_mean_usd);
    p->set_cost_per_active_day_p90_usd(d.cost_per_active_day_p90_usd);
    p->set_tokens_per_week_median(d.tokens_per_week_median);
    p->set_tokens_per_week_p90(d.tokens_per_week_p90);
  }
  for (const model::RoleUtilisation& u : in.utilisation_by_role) {
    proto::RoleUtilisation* p = out->add_utilisation_by_role();
    p->set_role(u.role);
    p->set_people(u.people);
    p->set_mean(u.mean);
    p->set_p90(u.p90);
    p->set_max(u.max);
  }
  for (const model::RuleDecisions& r : in.rule_decisions) {
    proto::RuleDecisions* p = out->add_rule_decisions();
    p->set_rule(r.rule);
    p->set_from_scenario(r.from_scenario);
    p->set_allowed(r.allowed);
    p->set_asked(r.asked);
    p->set_denied(r.denied);
    p->set_rate_limited(r.rate_limited);
  }
  if (in.counterfactual.present) {
    const model::Counterfactual& c = in.counterfactual;
    proto::Counterfactual* p = out->mutable_counterfactual();
    p->set_value_usd_delta(c.value_usd_delta);
    p->set_human_busy_hours_delta(c.human_busy_hours_delta);
    p->set_backlog_hours_delta(c.backlog_hours_delta);
    p->set_items_completed_delta(c.items_completed_delta);
    p->set_incidents_delta(c.incidents_delta);
    p->set_lead_time_hours_delta(c.lead_time_hours_delta);
    p->set_incident_cost_usd_delta(c.incident_cost_usd_delta);
    p->set_token_cost_usd(c.token_cost_usd);
    p->set_roi(c.roi);
    p->set_saved_hours_claimed(c.saved_hours_claimed);
    p->set_no_agent_value_usd(c.no_agent_value_usd);
    p->set_no_agent_fingerprint(c.no_agent_fingerprint);
    p->set_top_decile_changes_ratio_without_agents(c.top_decile_changes_ratio_without_agents);
    p->set_top_decile_changes_gain(c.top_decile_changes_gain);
    p->set_median_changes_gain(c.median_changes_gain);
    p->set_adoption_team_merged_ratio_without_agents(c.adoption_team_merged_ratio_without_agents);
    p->set_high_adoption_teams_merged_gain(c.high_adoption_teams_merged_gain);
    p->set_low_adoption_teams_merged_gain(c.low_adoption_teams_merged_gain);
    p->set_agent_users_changes_gain(c.agent_users_changes_gain);
    p->set_non_users_changes_gain(c.non_users_changes_gain);
  }
}

model::RunSummary FromProto(const proto::RunSummary& in, uint32_t threads, double wall_s) {
  model::RunSummary out;
  out.scenario = in.scenario();
  out.seed = in.seed();
  out.threads = static_cast<int>(threads);
  out.employees = in.employees();
  out.agents = in.agents();
  out.days = in.days();
  out.events = in.events();
  out.fingerprint = in.fingerprint();
  out.wall_s = wall_s;
  out.tokens = FromProto(in.tokens());
  out.tokens_by_purpose = FromProto(in.tokens_by_purpose());
  out.tokens_by_tier = FromProto(in.tokens_by_tier());
  out.tokens_by_team = FromProto(in.tokens_by_team());
  out.value_usd = in.value_usd();
  out.hours = FromProto(in.hours());
  out.net_value_usd = in.net_value_usd();
  out.value_usd_per_token_usd = in.value_usd_per_token_usd();
  out.items_arrived = in.items_arrived();
  out.items_completed = in.items_completed();
  out.mean_lead_time_hours = in.mean_lead_time_hours();
  out.dora = FromProto(in.dora());
  out.incidents = in.incidents();
  out.data_leaks = in.data_leaks();
  out.chat_exposures = in.chat_exposures();
  out.agent_errors = in.agent_errors();
  out.gate = FromProto(in.gate());
  out.engine_fingerprint = in.engine_fingerprint();
  out.incident_cost_usd = in.incident_cost_usd();
  out.value_arrived_usd = in.value_arrived_usd();
  out.human_busy_hours = in.human_busy_hours();
  out.human_available_hours = in.human_available_hours();
  out.human_cost_usd = in.human_cost_usd();
  out.agent_caused_incidents = in.agent_caused_incidents();
  out.agent_advice_incidents = in.agent_advice_incidents();
  {
    const proto::IncidentOrigins& p = in.incident_origins();
    model::IncidentOrigins& o = out.incident_origins;
    o.person_change = p.person_change();
    o.agent_written_change = p.agent_written_change();
    o.agent_action_error = p.agent_action_error();
    o.injection = p.injection();
    o.compromise = p.compromise();
    o.malicious_skill = p.malicious_skill();
    o.deployed_by_person = p.deployed_by_person();
    o.deployed_by_agent = p.deployed_by_agent();
  }
  {
    const proto::DeliveryMeasures& p = in.delivery();
    model::DeliveryMeasures& d = out.delivery;
    d.developers = p.developers();
    d.changes_merged = p.changes_merged();
    d.changes_in_prod = p.changes_in_prod();
    d.developer_busy_hours = p.developer_busy_hours();
    d.developer_hours_per_merged_change = p.developer_hours_per_merged_change();
    d.merged_changes_per_developer_week = p.merged_changes_per_developer_week();
    d.review_hours_per_merged_change = p.review_hours_per_merged_change();
    d.merged_change_size_mean = p.merged_change_size_mean();
    d.unassigned_changes_handed = p.unassigned_changes_handed();
    d.prs_opened = p.prs_opened();
    d.prs_opened_with_agent_code = p.prs_opened_with_agent_code();
    d.agent_pr_defect_ratio = p.agent_pr_defect_ratio();
    d.review_elapsed_hours_per_merged_change = p.review_elapsed_hours_per_merged_change();
    d.release_testing_caught = p.release_testing_caught();
    d.incidents_per_100_merged_changes = p.incidents_per_100_merged_changes();
  }
  {
    const proto::SafetyMeasures& p = in.safety();
    model::SafetyMeasures& m = out.safety;
    m.attack_attempts = p.attack_attempts();
    m.attack_successes = p.attack_successes();
    m.attack_success_rate = p.attack_success_rate();
    m.injection_success_per_exposure = p.injection_success_per_exposure();
    m.injection_emails = p.injection_emails();
    m.injections_detected = p.injections_detected();
    m.detector_false_positives = p.detector_false_positives();
    m.detector_checks = p.detector_checks();
    m.detector_release_hours = p.detector_release_hours();
    m.injections_read = p.injections_read();
    m.injections_followed = p.injections_followed();
    m.injections_shared = p.injections_shared();
    m.memory_poisonings = p.memory_poisonings();
    m.data_leaked_messages = p.data_leaked_messages();
    m.data_leaked_sensitive = p.data_leaked_sensitive();
    m.phishing_posts = p.phishing_posts();
    m.phishing_clicks = p.phishing_clicks();
    m.agents_compromised = p.agents_compromised();
    m.prod_incidents_error = p.prod_incidents_error();
    m.prod_incidents_injection = p.prod_incidents_injection();
    m.prod_incidents_compromise = p.prod_incidents_compromise();
    m.prod_incidents_malicious_skill = p.prod_incidents_malicious_skill();
    m.approval_minutes_per_day = p.approval_minutes_per_day();
    m.approvals_decided = p.approvals_decided();
    m.approval_accuracy = p.approval_accuracy();
    m.approval_wait_minutes_mean = p.approval_wait_minutes_mean();
    m.breaker_trips = p.breaker_trips();
    m.memory_quarantines = p.memory_quarantines();
    m.time_to_contain_hours = p.time_to_contain_hours();
    m.contained_agents = p.contained_agents();
    m.uncontained_agents = p.uncontained_agents();
    for (const proto::AttackSourceMeasures& q : p.sources()) m.sources.push_back({q.kind(), q.name(), q.attempts(), q.successes()});
  }
  {
    const proto::IncentiveMeasures& p = in.incentives();
    model::IncentiveMeasures& m = out.incentives;
    m.performative_cost_usd = p.performative_cost_usd();
    m.tokens_per_value_usd = p.tokens_per_value_usd();
    m.cost_per_value_usd = p.cost_per_value_usd();
    m.metric_value_rank_correlation = p.metric_value_rank_correlation();
    m.period_metric_value_rank_correlation.assign(p.period_metric_value_rank_correlation().begin(),
                                                  p.period_metric_value_rank_correlation().end());
    m.token_value_rank_correlation = p.token_value_rank_correlation();
    m.value_token_elasticity = p.value_token_elasticity();
    m.top_decile_token_ratio = p.top_decile_token_ratio();
    m.top_decile_value_ratio = p.top_decile_value_ratio();
    m.top_decile_changes_ratio = p.top_decile_changes_ratio();
    m.adoption_team_throughput_ratio = p.adoption_team_throughput_ratio();
    m.adoption_team_merged_ratio = p.adoption_team_merged_ratio();
    m.leaderboard_churn = p.leaderboard_churn();
    m.capacity_forecast_error = p.capacity_forecast_error();
    m.weekly_capacity_forecast_error.assign(p.weekly_capacity_forecast_error().begin(),
                                            p.weekly_capacity_forecast_error().end());
    m.performative_automations_held = p.performative_automations_held();
    m.automations_added = p.automations_added();
    m.automations_dropped = p.automations_dropped();
    m.budget_flags = p.budget_flags();
    m.budget_refusals = p.budget_refusals();
    m.refreshes = p.refreshes();
  }
  out.backlog_items = in.backlog_items();
  out.backlog_items_pulled = in.backlog_items_pulled();
  out.changes_blocked = in.changes_blocked();
  {
    const proto::DeveloperAgentSpend& p = in.developer_agent_spend();
    out.developer_agent_spend = {p.developers(), p.cost_per_active_day_mean_usd(), p.cost_per_active_day_p90_usd(),
                                 p.tokens_per_week_median(), p.tokens_per_week_p90()};
  }
  for (const proto::RoleUtilisation& u : in.utilisation_by_role()) {
    out.utilisation_by_role.push_back({u.role(), u.people(), u.mean(), u.p90(), u.max()});
  }
  for (const proto::RuleDecisions& r : in.rule_decisions()) {
    out.rule_decisions.push_back({r.rule(), r.from_scenario(), r.allowed(), r.asked(), r.denied(), r.rate_limited()});
  }
  if (in.has_counterfactual()) {
    const proto::Counterfactual& p = in.counterfactual();
    model::Counterfactual& c = out.counterfactual;
    c.present = true;
    c.value_usd_delta = p.value_usd_delta();
    c.human_busy_hours_delta = p.human_busy_hours_delta();
    c.backlog_hours_delta = p.backlog_hours_delta();
    c.items_completed_delta = p.items_completed_delta();
    c.incidents_delta = p.incidents_delta();
    c.lead_time_hours_delta = p.lead_time_hours_delta();
    c.incident_cost_usd_delta = p.incident_cost_usd_delta();
    c.token_cost_usd = p.token_cost_usd();
    c.roi = p.roi();
    c.saved_hours_claimed = p.saved_hours_claimed();
    c.no_agent_value_usd = p.no_agent_value_usd();
    c.no_agent_fingerprint = p.no_agent_fingerprint();
    c.top_decile_changes_ratio_without_agents = p.top_decile_changes_ratio_without_agents();
    c.top_decile_changes_gain = p.top_decile_changes_gain();
    c.median_changes_gain = p.median_changes_gain();
    c.adoption_team_merged_ratio_without_agents = p.adoption_team_merged_ratio_without_agents();
    c.high_adoption_teams_merged_gain = p.high_adoption_teams_merged_gain();
    c.low_adoption_teams_merged_gain = p.low_adoption_teams_merged_gain();
    c.agent_users_changes_gain = p.agent_users_changes_gain();
    c.non_users_changes_gain = p.non_users_changes_gain();
  }
  return out;
}

namespace {

void ToProto(const Cause& in, proto::Cause* out) {
  out->set_kind(static_cast<proto::Cause::Kind>(in.kind));
  out->set_id(in.id);
}

Cause FromProto(const proto::Cause& in) {
  Cause out;
  out.kind = in.kind() >= 1 && in.kind() <= 5 ? static_cast<CauseKind>(in.kind()) : CauseKind::kNone;
  out.id = in.id();
  return out;
}

}  // namespace

static_assert(static_cast<int>(CauseKind::kItem) == proto::Cause::ITEM &&
                  static_cast<int>(CauseKind::kSpan) == proto::Cause::SPAN &&
                  static_cast<int>(CauseKind::kAudit) == proto::Cause::AUDIT &&
                  static_cast<int>(CauseKind::kDeploy) == proto::Cause::DEPLOY &&
                  static_cast<int>(CauseKind::kAttack) == proto::Cause::ATTACK,
              "CauseKind mirrors proto::Cause::Kind");
static_assert(static_cast<int>(SpanKind::kHumanTask) == proto::Span::HUMAN_TASK &&
                  static_cast<int>(SpanKind::kAgentInvocation) == proto::Span::AGENT_INVOCATION &&
                  static_cast<int>(SpanKind::kPipelineStage) == proto::Span::PIPELINE_STAGE &&
                  static_cast<int>(SpanKind::kIncident) == proto::Span::INCIDENT,
              "SpanKind mirrors proto::Span::Kind");

void ToProto(const Span& in, proto::Span* out) {
  out->set_kind(static_cast<proto::Span::Kind>(in.kind));
  out->set_id(in.id);
  out->set_start_us(in.start_us);
  out->set_end_us(in.end_us);
  if (in.employee_id != kNoIndex) out->set_employee_id(in.employee_id);
  if (in.agent_id != kNoIndex) out->set_agent_id(in.agent_id);
  if (in.target != kNoIndex) out->set_target(in.target);
  if (in.name != kNoIndex) out->set_name(in.name);
  if (in.trigger != kNoIndex) out->set_trigger(in.trigger);
  if (in.purpose != kNoIndex) out->set_purpose(in.purpose);
  if (in.outcome != kNoIndex) out->set_outcome(in.outcome);
  if (in.route != kNoIndex) out->set_route(in.route);
  if (in.item_id != kNoId) out->set_item_id(in.item_id);
  if (in.deploy_id != kNoId) out->set_deploy_id(in.deploy_id);
  if (in.tier != kNoIndex) out->set_tier(in.tier);
  if (in.defect_origin != kNoIndex) out->set_defect_origin(in.defect_origin);
  out->set_input_tokens(in.input_tokens);
  out->set_output_tokens(in.output_tokens);
  out->set_cost_usd(in.cost_usd);
  for (const Cause& c : in.causes) {
    if (c.kind != CauseKind::kNone) ToProto(c, out->add_causes());
  }
}

Span FromProto(const proto::Span& in) {
  Span out;
  out.kind = static_cast<SpanKind>(in.kind());
  out.id = in.id();
  out.start_us = in.start_us();
  out.end_us = in.end_us();
  out.employee_id = in.has_employee_id() ? in.employee_id() : kNoIndex;
  out.agent_id = in.has_agent_id() ? in.agent_id() : kNoIndex;
  out.target = in.has_target() ? in.target() : kNoIndex;
  out.name = in.has_name() ? in.name() : kNoIndex;
  out.trigger = in.has_trigger() ? in.trigger() : kNoIndex;
  out.purpose = in.has_purpose() ? in.purpose() : kNoIndex;
  out.outcome = in.has_outcome() ? in.outcome() : kNoIndex;
  out.route = in.has_route() ? in.route() : kNoIndex;
  out.item_id = in.has_item_id() ? in.item_id() : kNoId;
  out.deploy_id = in.has_deploy_id() ? in.deploy_id() : kNoId;
  out.tier = in.has_tier() ? in.tier() : kNoIndex;
  out.defect_origin = in.has_defect_origin() ? in.defect_origin() : kNoIndex;
  out.input_tokens = in.input_tokens();
  out.output_tokens = in.output_tokens();
  out.cost_usd = in.cost_usd();
  for (const proto::Cause& c : in.causes()) out.causes.push_back(FromProto(c));
  return out;
}

void ToProto(const AuditRecord& in, proto::AuditRecord* out) {
  out->set_time_us(in.time_us);
  if (in.agent_id != kNoAgent) out->set_agent_id(in.agent_id);
  out->set_on_behalf_of_employee(in.on_behalf_of_employee);
  out->set_action(in.action);
  out->set_target(in.target);
  out->set_decision(in.decision);
  out->set_outcome(in.outcome);
  if (in.id != kAutoId) out->set_id(in.id);
  if (in.cause.kind != CauseKind::kNone) ToProto(in.cause, out->add_causes());
  if (in.approval.kind != CauseKind::kNone) ToProto(in.approval, out->add_causes());
  if (in.attack.kind != CauseKind::kNone) ToProto(in.attack, out->add_causes());
  if (in.external) out->set_external(true);
}

AuditRecord FromProto(const proto::AuditRecord& in) {
  AuditRecord out;
  out.time_us = in.time_us();
  out.agent_id = in.has_agent_id() ? in.agent_id() : kNoAgent;
  out.on_behalf_of_employee = in.on_behalf_of_employee();
  out.action = in.action();
  out.target = in.target();
  out.decision = in.decision();
  out.outcome = in.outcome();
  out.id = in.has_id() ? in.id() : kAutoId;
  if (in.causes_size() > 0) out.cause = FromProto(in.causes(0));
  if (in.causes_size() > 1) out.approval = FromProto(in.causes(1));
  out.external = in.external();
  return out;
}

void ToProto(const InjectionEmail& in, proto::InjectionEmail* out) {
  out->set_item_id(in.item_id);
  out->set_time_us(in.time_us);
  out->set_employee_id(in.employee_id);
  out->set_source(in.source);
  out->set_goal(in.goal);
  out->set_detected(in.detected);
  out->set_forwarded(in.forwarded);
  if (in.forwarded_by != UINT32_MAX) {
    out->set_forwarded_by(in.forwarded_by);
    out->set_forwarded_at_us(in.forwarded_at_us);
  }
}

void ToProto(const TraceEvent& in, proto::TraceEvent* out) {
  out->set_time_us(in.time_us);
  out->set_lp(in.lp);
  out->set_src_lp(in.src_lp);
  out->set_src_seq(in.src_seq);
  out->set_kind(in.kind);
}

TraceEvent FromProto(const proto::TraceEvent& in) {
  TraceEvent out;
  out.time_us = in.time_us();
  out.lp = in.lp();
  out.src_lp = in.src_lp();
  out.src_seq = in.src_seq();
  out.kind = in.kind();
  return out;
}

proto::TraceLevel TraceLevelToProto(TraceLevel level) {
  switch (level) {
    case TraceLevel::kNone: return proto::TRACE_NONE;
    case TraceLevel::kAudit: return proto::TRACE_AUDIT;
    case TraceLevel::kFull: return proto::TRACE_FULL;
  }
  return proto::TRACE_LEVEL_UNSPECIFIED;
}

Status FromProto(proto::TraceLevel in, TraceLevel* out) {
  switch (in) {
    case proto::TRACE_NONE: *out = TraceLevel::kNone; return Status::Ok();
    case proto::TRACE_AUDIT: *out = TraceLevel::kAudit; return Status::Ok();
    case proto::TRACE_FULL: *out = TraceLevel::kFull; return Status::Ok();
    default: break;
  }
  return Status::Error("unknown trace level " + std::to_string(static_cast<int>(in)));
}

void ToProto(const RunInfo& info, proto::RunHeader* out) {
  out->set_clawsim_version(ClawsimVersion());
  out->set_format_major(kFormatMajor);
  out->set_format_minor(kFormatMinor);
  out->set_scenario_name(info.scenario_name);
  out->set_scenario_path(info.scenario_path);
  out->set_scenario_textproto(info.scenario_textproto);
  CopyNames(info.overrides, out->mutable_overrides());
  out->set_seed(info.seed);
  out->set_threads(static_cast<uint32_t>(info.threads));
  out->set_days(info.days);
  out->set_trace_level(TraceLevelToProto(info.trace));
  CopyNames(info.action_names, out->mutable_action_names());
  if (info.decision_names.empty()) {
    for (int g = 0; g < model::kNumGateOutcomes; ++g) {
      out->add_decision_names(model::GateOutcomeName(static_cast<GateOutcome>(g)));
    }
    // Since 1.2: a defense's records on an agent (breaker trips, restores, quarantines).
    out->add_decision_names("held");
    out->add_decision_names("released");
  } else {
    CopyNames(info.decision_names, out->mutable_decision_names());
  }
  CopyNames(info.outcome_names, out->mutable_outcome_names());
  CopyNames(info.event_kind_names, out->mutable_event_kind_names());
  CopyNames(info.team_names, out->mutable_team_names());
  CopyNames(info.tier_names, out->mutable_tier_names());
  CopyNames(info.employee_names, out->mutable_employee_names());
  CopyNames(info.agent_names, out->mutable_agent_names());
  CopyNames(info.target_names, out->mutable_target_names());
  CopyNames(info.lp_names, out->mutable_lp_names());
  CopyNames(info.span_names, out->mutable_span_names());
  if (info.trigger_names.empty()) {
    for (int t = 0; t < model::kNumTriggers; ++t) out->add_trigger_names(model::TriggerName(static_cast<Trigger>(t)));
  } else {
    CopyNames(info.trigger_names, out->mutable_trigger_names());
  }
  if (info.purpose_names.empty()) {
    for (int p = 0; p < model::kNumPurposes; ++p) out->add_purpose_names(model::PurposeName(static_cast<Purpose>(p)));
  } else {
    CopyNames(info.purpose_names, out->mutable_purpose_names());
  }
  CopyNames(info.attack_goal_names, out->mutable_attack_goal_names());
  CopyNames(info.injection_route_names, out->mutable_injection_route_names());
  CopyNames(info.stage_outcome_names, out->mutable_stage_outcome_names());
  CopyNames(info.defect_origin_names, out->mutable_defect_origin_names());
}

}  // namespace clawsim::run
