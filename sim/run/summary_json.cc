#include "sim/run/summary_json.h"

#include "sim/common/json_writer.h"
#include "sim/run/atomic_file.h"
#include "sim/run/number_format.h"

namespace clawsim::run {
namespace {

using model::GateOutcome;

// JsonWriter::Double prints 17 significant digits ("0.10000000000000001"); the shortest
// round-trip form reads better and is just as exact.
void Number(JsonWriter& w, const std::string& key, double v) { w.Raw(key, JsonNumber(v)); }

std::string TallyJson(const model::TokenTally& t) {
  JsonWriter w;
  w.Uint("input_tokens", t.input_tokens).Uint("output_tokens", t.output_tokens).Uint("total_tokens", t.total_tokens());
  Number(w, "cost_usd", t.cost_usd);
  w.Uint("invocations", t.invocations);
  return w.Finish();
}

std::string NamedTalliesJson(const std::vector<std::pair<std::string, model::TokenTally>>& tallies) {
  JsonWriter w;
  for (const auto& [name, tally] : tallies) w.Raw(name, TallyJson(tally));
  return w.Finish();
}

std::string HoursJson(const model::HumanHours& h) {
  JsonWriter w;
  Number(w, "working_hours", h.working_hours);
  Number(w, "review_hours", h.review_hours);
  Number(w, "approval_hours", h.approval_hours);
  Number(w, "fixing_hours", h.fixing_hours);
  Number(w, "saved_hours", h.saved_hours);
  Number(w, "setup_hours", h.setup_hours);
  Number(w, "help_cost_hours", h.help_cost_hours);
  Number(w, "backlog_hours", h.backlog_hours);
  return w.Finish();
}

std::string IncidentOriginsJson(const model::IncidentOrigins& o) {
  JsonWriter w;
  w.Uint("person_change", o.person_change)
      .Uint("agent_written_change", o.agent_written_change)
      .Uint("agent_action_error", o.agent_action_error)
      .Uint("injection", o.injection)
      .Uint("compromise", o.compromise)
      .Uint("malicious_skill", o.malicious_skill)
      .Uint("agent_origin", o.agent_origin())
      .Uint("deployed_by_person", o.deployed_by_person)
      .Uint("deployed_by_agent", o.deployed_by_agent);
  return w.Finish();
}

std::string DeliveryJson(const model::DeliveryMeasures& d) {
  JsonWriter w;
  w.Uint("developers", d.developers).Uint("changes_merged", d.changes_merged).Uint("changes_in_prod", d.changes_in_prod);
  Number(w, "developer_busy_hours", d.developer_busy_hours);
  Number(w, "developer_hours_per_merged_change", d.developer_hours_per_merged_change);
  Number(w, "merged_changes_per_developer_week", d.merged_changes_per_developer_week);
  Number(w, "review_hours_per_merged_change", d.review_hours_per_merged_change);
  Number(w, "review_elapsed_hours_per_merged_change", d.review_elapsed_hours_per_merged_change);
  Number(w, "incidents_per_100_merged_changes", d.incidents_per_100_merged_changes);
  Number(w, "merged_change_size_mean", d.merged_change_size_mean);
  w.Uint("unassigned_changes_handed", d.unassigned_changes_handed);
  w.Uint("prs_opened", d.prs_opened).Uint("prs_opened_with_agent_code", d.prs_opened_with_agent_code);
  Number(w, "agent_pr_defect_ratio", d.agent_pr_defect_ratio);
  w.Uint("release_testing_caught", d.release_testing_caught);
  return w.Finish();
}

std::string DoraJson(const model::DoraMetrics& d) {
  JsonWriter w;
  Number(w, "deployment_frequency_per_day", d.deployment_frequency_per_day);
  Number(w, "lead_time_for_changes_hours", d.lead_time_for_changes_hours);
  Number(w, "change_failure_rate", d.change_failure_rate);
  Number(w, "time_to_restore_hours", d.time_to_restore_hours);
  Number(w, "rework_rate", d.rework_rate);
  return w.Finish();
}

std::string PurposesJson(const std::array<model::TokenTally, model::kNumPurposes>& by_purpose) {
  JsonWriter w;
  for (int p = 0; p < model::kNumPurposes; ++p) {
    w.Raw(model::PurposeName(static_cast<model::Purpose>(p)), TallyJson(by_purpose[p]));
  }
  return w.Finish();
}

uint64_t Gate(const model::RunSummary& s, GateOutcome g) { return s.gate[static_cast<int>(g)]; }

std::string UtilisationJson(const std::vector<model::RoleUtilisation>& roles) {
  JsonWriter w;
  for (const model::RoleUtilisation& u : roles) {
    JsonWriter r;
    r.Uint("people", u.people);
    Number(r, "mean", u.mean);
    Number(r, "p90", u.p90);
    Number(r, "max", u.max);
    w.Raw(u.role, r.Finish());
  }
  return w.Finish();
}

std::string RuleDecisionsJson(const std::vector<model::RuleDecisions>& rules) {
  JsonWriter w;
  for (const model::RuleDecisions& d : rules) {
    JsonWriter r;
    r.Uint("allowed", d.allowed).Uint("asked", d.asked).Uint("denied", d.denied).Uint("rate_limited", d.rate_limited);
    w.Raw(d.rule, r.Finish());
  }
  return w.Finish();
}

std::string SpendJson(const model::DeveloperAgentSpend& d) {
  JsonWriter w;
  w.Uint("developers", d.developers);
  Number(w, "cost_per_active_day_mean_usd", d.cost_per_active_day_mean_usd);
  Number(w, "cost_per_active_day_p90_usd", d.cost_per_active_day_p90_usd);
  Number(w, "tokens_per_week_median", d.tokens_per_week_median);
  Number(w, "tokens_per_week_p90", d.tokens_per_week_p90);
  return w.Finish();
}

std::string NumbersJson(const std::vector<double>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i > 0 ? "," : "") + JsonNumber(v[i]);
  return out + "]";
}

std::string IncentivesJson(const model::IncentiveMeasures& m) {
  JsonWriter w;
  Number(w, "performative_cost_usd", m.performative_cost_usd);
  Number(w, "tokens_per_value_usd", m.tokens_per_value_usd);
  Number(w, "cost_per_value_usd", m.cost_per_value_usd);
  Number(w, "metric_value_rank_correlation", m.metric_value_rank_correlation);
  w.Raw("period_metric_value_rank_correlation", NumbersJson(m.period_metric_value_rank_correlation));
  Number(w, "token_value_rank_correlation", m.token_value_rank_correlation);
  Number(w, "value_token_elasticity", m.value_token_elasticity);
  Number(w, "top_decile_token_ratio", m.top_decile_token_ratio);
  Number(w, "top_decile_value_ratio", m.top_decile_value_ratio);
  Number(w, "top_decile_changes_ratio", m.top_decile_changes_ratio);
  Number(w, "adoption_team_throughput_ratio", m.adoption_team_throughput_ratio);
  Number(w, "adoption_team_merged_ratio", m.adoption_team_merged_ratio);
  Number(w, "leaderboard_churn", m.leaderboard_churn);
  Number(w, "capacity_forecast_error", m.capacity_forecast_error);
  w.Raw("weekly_capacity_forecast_error", NumbersJson(m.weekly_capacity_forecast_error));
  w.Uint("performative_automations_held", m.performative_automations_held)
      .Uint("automations_added", m.automations_added)
      .Uint("automations_dropped", m.automations_dropped)
      .Uint("budget_flags", m.budget_flags)
      .Uint("budget_refusals", m.budget_refusals)
      .Uint("refreshes", m.refreshes);
  return w.Finish();
}

std::string SafetyJson(const model::SafetyMeasures& m) {
  JsonWriter w;
  w.Uint("attack_attempts", m.attack_attempts);
  w.Uint("attack_successes", m.attack_successes);
  Number(w, "attack_success_rate", m.attack_success_rate);
  Number(w, "injection_success_per_exposure", m.injection_success_per_exposure);
  w.Uint("injection_emails", m.injection_emails);
  w.Uint("injections_detected", m.injections_detected);
  w.Uint("detector_false_positives", m.detector_false_positives);
  w.Uint("detector_checks", m.detector_checks);
  Number(w, "detector_release_hours", m.detector_release_hours);
  w.Uint("injections_read", m.injections_read);
  w.Uint("injections_followed", m.injections_followed);
  w.Uint("injections_shared", m.injections_shared);
  w.Uint("memory_poisonings", m.memory_poisonings);
  w.Uint("data_leaked_messages", m.data_leaked_messages);
  w.Uint("data_leaked_sensitive", m.data_leaked_sensitive);
  w.Uint("phishing_posts", m.phishing_posts);
  w.Uint("phishing_clicks", m.phishing_clicks);
  w.Uint("agents_compromised", m.agents_compromised);
  w.Uint("prod_incidents_error", m.prod_incidents_error);
  w.Uint("prod_incidents_injection", m.prod_incidents_injection);
  w.Uint("prod_incidents_compromise", m.prod_incidents_compromise);
  w.Uint("prod_incidents_malicious_skill", m.prod_incidents_malicious_skill);
  Number(w, "approval_minutes_per_day", m.approval_minutes_per_day);
  w.Uint("approvals_decided", m.approvals_decided);
  Number(w, "approval_accuracy", m.approval_accuracy);
  Number(w, "approval_wait_minutes_mean", m.approval_wait_minutes_mean);
  w.Uint("breaker_trips", m.breaker_trips);
  w.Uint("memory_quarantines", m.memory_quarantines);
  Number(w, "time_to_contain_hours", m.time_to_contain_hours);
  w.Uint("contained_agents", m.contained_agents);
  w.Uint("uncontained_agents", m.uncontained_agents);
  std::string sources = "[";
  for (size_t i = 0; i < m.sources.size(); ++i) {
    const model::AttackSourceMeasures& src = m.sources[i];
    JsonWriter sw;
    sw.String("kind", src.kind).String("name", src.name).Uint("attempts", src.attempts).Uint("successes", src.successes);
    Number(sw, "success_rate", src.success_rate());
    sources += (i > 0 ? "," : "") + sw.Finish();
  }
  w.Raw("sources", sources + "]");
  return w.Finish();
}

std::string CounterfactualJson(const model::Counterfactual& c) {
  JsonWriter w;
  Number(w, "value_usd_delta", c.value_usd_delta);
  Number(w, "human_busy_hours_delta", c.human_busy_hours_delta);
  w.Int("items_completed_delta", c.items_completed_delta).Int("incidents_delta", c.incidents_delta);
  Number(w, "lead_time_hours_delta", c.lead_time_hours_delta);
  Number(w, "incident_cost_usd_delta", c.incident_cost_usd_delta);
  Number(w, "token_cost_usd", c.token_cost_usd);
  Number(w, "roi", c.roi);
  Number(w, "saved_hours_claimed", c.saved_hours_claimed);
  Number(w, "backlog_hours_delta", c.backlog_hours_delta);
  Number(w, "no_agent_value_usd", c.no_agent_value_usd);
  w.String("no_agent_fingerprint", FormatFingerprint(c.no_agent_fingerprint));
  Number(w, "top_decile_changes_ratio_without_agents", c.top_decile_changes_ratio_without_agents);
  Number(w, "top_decile_changes_gain", c.top_decile_changes_gain);
  Number(w, "median_changes_gain", c.median_changes_gain);
  Number(w, "adoption_team_merged_ratio_without_agents", c.adoption_team_merged_ratio_without_agents);
  Number(w, "high_adoption_teams_merged_gain", c.high_adoption_teams_merged_gain);
  Number(w, "low_adoption_teams_merged_gain", c.low_adoption_teams_merged_gain);
  Number(w, "agent_users_changes_gain", c.agent_users_changes_gain);
  Number(w, "non_users_changes_gain", c.non_users_changes_gain);
  return w.Finish();
}

}  // namespace

std::string SummaryJson(const model::RunSummary& s) {
  JsonWriter w;
  w.String("scenario", s.scenario)
      .Uint("seed", s.seed)
      .String("fingerprint", FormatFingerprint(s.fingerprint))
      .Uint("events", s.events)
      .Uint("employees", s.employees)
      .Uint("agents", s.agents)
      .String("engine_fingerprint", FormatFingerprint(s.engine_fingerprint))
      .Uint("days", s.days)
      .Bool("interrupted", s.interrupted)
      .Uint("tokens_total", s.tokens.total_tokens())
      .Uint("input_tokens", s.tokens.input_tokens)
      .Uint("output_tokens", s.tokens.output_tokens)
      .Uint("invocations", s.tokens.invocations);
  Number(w, "token_cost_usd", s.tokens.cost_usd);
  Number(w, "value_usd", s.value_usd);
  Number(w, "net_value_usd", s.net_value_usd);
  Number(w, "incident_cost_usd", s.incident_cost_usd);
  Number(w, "value_arrived_usd", s.value_arrived_usd);
  Number(w, "human_busy_hours", s.human_busy_hours);
  Number(w, "human_available_hours", s.human_available_hours);
  Number(w, "human_cost_usd", s.human_cost_usd);
  w.Uint("backlog_items", s.backlog_items)
      .Uint("backlog_items_pulled", s.backlog_items_pulled)
      .Uint("changes_blocked", s.changes_blocked);
  Number(w, "value_usd_per_token_usd", s.value_usd_per_token_usd);
  Number(w, "performative_token_share", s.performative_token_share());
  w.Uint("items_arrived", s.items_arrived).Uint("items_completed", s.items_completed);
  Number(w, "mean_lead_time_hours", s.mean_lead_time_hours);
  w.Uint("incidents", s.incidents)
      .Uint("agent_caused_incidents", s.agent_caused_incidents)
      .Uint("agent_advice_incidents", s.agent_advice_incidents)
      .Raw("incident_origins", IncidentOriginsJson(s.incident_origins))
      .Raw("delivery", DeliveryJson(s.delivery))
      .Uint("data_leaks", s.data_leaks)
      .Uint("chat_exposures", s.chat_exposures)
      .Uint("agent_errors", s.agent_errors)
      .Uint("actions_allowed", Gate(s, GateOutcome::kAllowed))
      .Uint("actions_asked", Gate(s, GateOutcome::kAskedApproved) + Gate(s, GateOutcome::kAskedRejected) +
                                 Gate(s, GateOutcome::kAskedExpired))
      .Uint("actions_asked_approved", Gate(s, GateOutcome::kAskedApproved))
      .Uint("actions_asked_rejected", Gate(s, GateOutcome::kAskedRejected))
      .Uint("actions_asked_expired", Gate(s, GateOutcome::kAskedExpired))
      .Uint("actions_denied", Gate(s, GateOutcome::kDenied))
      .Uint("actions_rate_limited", Gate(s, GateOutcome::kRateLimited))
      .Raw("hours", HoursJson(s.hours))
      .Raw("dora", DoraJson(s.dora))
      .Raw("tokens_by_purpose", PurposesJson(s.tokens_by_purpose))
      .Raw("tokens_by_tier", NamedTalliesJson(s.tokens_by_tier))
      .Raw("tokens_by_team", NamedTalliesJson(s.tokens_by_team))
      .Raw("utilisation_by_role", UtilisationJson(s.utilisation_by_role))
      .Raw("rule_decisions", RuleDecisionsJson(s.rule_decisions))
      .Raw("developer_agent_spend", SpendJson(s.developer_agent_spend))
      .Raw("incentives", IncentivesJson(s.incentives))
      .Raw("safety", SafetyJson(s.safety));
  if (s.counterfactual.present) w.Raw("counterfactual", CounterfactualJson(s.counterfactual));
  return w.Finish();
}

Status WriteSummaryJson(const std::string& path, const model::RunSummary& summary) {
  return WriteFileAtomically(path, SummaryJson(summary) + "\n");
}

}  // namespace clawsim::run
