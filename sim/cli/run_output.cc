#include "sim/cli/run_output.h"

#include <google/protobuf/text_format.h>

#include <chrono>
#include <cmath>
#include <cstdio>

#include "mock_services/action.h"
#include "mock_services/audit_log.h"
#include "sim/model/world.h"
#include "sim/run/output_dir.h"
#include "sim/run/run_info.h"
#include "sim/run/summary_json.h"
#include "sim/scenario/compile.h"
#include "sim/scenario/scale_organisation.h"
#include "sim/study/measures.h"
#include "sim/telemetry/telemetry.h"
#include "sim/telemetry/telemetry_jsonl.h"

namespace clawsim::cli {
namespace {

using model::GateOutcome;

// A band's number for people: millions as "M", the rest with four significant digits.
std::string BandNumber(double v) {
  char buf[48];
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (std::fabs(v) >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.4g M", v / 1e6);
  } else {
    std::snprintf(buf, sizeof buf, "%.4g", v);
  }
  return buf;
}

GateOutcome ToGateOutcome(services::Decision d) {
  switch (d) {
    case services::Decision::kAllowed: return GateOutcome::kAllowed;
    case services::Decision::kApproved:
    case services::Decision::kAutoApproved: return GateOutcome::kAskedApproved;
    case services::Decision::kRejected: return GateOutcome::kAskedRejected;
    case services::Decision::kExpired:
    case services::Decision::kOpenAtEnd: return GateOutcome::kAskedExpired;
    case services::Decision::kDenied: return GateOutcome::kDenied;
    case services::Decision::kRateLimited: return GateOutcome::kRateLimited;
    case services::Decision::kHeld:
    case services::Decision::kReleased:
    case services::Decision::kUngated: break;  // not gate decisions: see AuditDecisionIndex
  }
  return GateOutcome::kDenied;
}

// The record's index into the run file's decision names: the gate outcomes, then "held"
// and "released" (a defense acting on an agent), then, in a run with seats, "ungated" (an
// external seat's call that passes no gate).
uint32_t AuditDecisionIndex(services::Decision d) {
  if (d == services::Decision::kHeld) return model::kNumGateOutcomes;
  if (d == services::Decision::kReleased) return model::kNumGateOutcomes + 1;
  if (d == services::Decision::kUngated) return model::kNumGateOutcomes + 2;
  return static_cast<uint32_t>(ToGateOutcome(d));
}

// Targets share the LP layout: mailboxes (employees), then channels, then services, then
// one entry for mail addresses outside the company ("domain:outside").
run::RunInfo MakeRunInfo(const scenario::LoadedScenario& loaded, const RunCommandOptions& o, run::TraceLevel trace,
                         uint32_t days) {
  const scenario::CompiledScenario& sc = loaded.compiled;
  run::RunInfo info;
  info.scenario_name = sc.name;
  info.scenario_path = o.scenario_path;
  google::protobuf::TextFormat::PrintToString(loaded.scenario, &info.scenario_textproto);
  info.overrides = o.overrides;
  info.seed = o.seed;
  info.threads = o.threads;
  info.days = days;
  info.trace = trace;
  for (const services::ActionInfo& a : services::kActionTable) info.action_names.emplace_back(a.name);
  if (!o.seats.empty()) {
    // A run with seats (format 1.6): their ungated tools' actions after the services', and
    // the decision "ungated" after the defense's. A run without seats keeps the tables as
    // they were, byte for byte.
    for (const std::string& n : model::SeatUngatedActionNames()) info.action_names.push_back(n);
    for (int g = 0; g < model::kNumGateOutcomes; ++g) info.decision_names.emplace_back(model::GateOutcomeName(static_cast<GateOutcome>(g)));
    info.decision_names.emplace_back("held");
    info.decision_names.emplace_back("released");
    info.decision_names.emplace_back(services::DecisionName(services::Decision::kUngated));
  }
  for (int i = 0; i < services::kNumOutcomes; ++i) info.outcome_names.emplace_back(services::OutcomeName(static_cast<services::Outcome>(i)));
  static_assert(model::kOutcomeInjected == services::kNumOutcomes, "\"injected\" follows the services' outcomes");
  info.outcome_names.emplace_back("injected");  // an invocation that followed an injection (format 1.5)
  info.attack_goal_names = model::AttackGoalNames();
  info.injection_route_names = model::InjectionRouteNames();
  info.defect_origin_names = model::DefectOriginNames();
  info.stage_outcome_names = {"passed", "failed"};
  info.event_kind_names = model::EventKindNames();
  for (const scenario::Team& t : sc.organization.teams) info.team_names.push_back(t.name);
  for (const scenario::ModelTier& t : sc.tiers) info.tier_names.push_back(t.name);
  for (const scenario::Employee& e : sc.organization.employees) {
    info.employee_names.push_back(e.name);
    info.target_names.push_back("mailbox:" + e.name);
    info.lp_names.push_back("employee:" + e.name);
  }
  for (const scenario::Channel& c : sc.chat.channels) {
    info.target_names.push_back("channel:" + c.name);
    info.lp_names.push_back("channel:" + c.name);
  }
  for (const scenario::Service& s : sc.deploy.services) {
    info.target_names.push_back("service:" + s.name);
    info.lp_names.push_back("service:" + s.name);
  }
  info.target_names.push_back("domain:outside");  // any address outside the company
  info.span_names = model::SpanNames(sc);
  // Agents are drawn from the seed: the same world the run builds.
  model::World world;
  if (model::BuildWorld(sc, o.seed, &world).ok() && model::AddSeats(o.seats, 0, &world).ok()) {
    for (const model::AgentInfo& a : world.agents) {
      // An external seat's agent is named so: its actions are a real client's.
      info.agent_names.push_back(sc.organization.employees[a.owner].name + "/" + sc.profiles[a.profile].name +
                                 (a.external ? " (external)" : ""));
    }
  }
  return info;
}

uint32_t TargetIndex(const scenario::CompiledScenario& sc, const services::AuditRecord& r) {
  const uint32_t employees = static_cast<uint32_t>(sc.organization.employees.size());
  const uint32_t channels = static_cast<uint32_t>(sc.chat.channels.size());
  const uint32_t external = employees + channels + static_cast<uint32_t>(sc.deploy.services.size());
  if (r.decision == services::Decision::kUngated) return r.target;  // a seat's own ungated call: its mailbox
  switch (r.action) {
    case services::Action::kChatRead:
    case services::Action::kChatPost: return r.target < channels ? employees + r.target : external;
    case services::Action::kDeployStaging:
    case services::Action::kDeployProd:
    case services::Action::kDeployRollback: return employees + channels + r.target;
    default: return r.target < employees ? r.target : external;
  }
}

// `clawsim run --telemetry`: the platform's view of the finished run, staged with the outputs.
Status TelemetrySideFile(const std::string& run_file, std::vector<std::pair<std::string, std::string>>* files) {
  telemetry::Telemetry t;
  telemetry::GroundTruth truth;
  const Status s = telemetry::Extract(run_file, &t, &truth);
  if (!s.ok()) return s;
  files->emplace_back(run::kTelemetryName, telemetry::WriteJsonl(t));
  return Status::Ok();
}

}  // namespace

Status RunAndWrite(scenario::LoadedScenario* loaded, const RunCommandOptions& o, model::RunResult* result,
                   std::vector<run::CalibrationBand>* bands) {
  run::TraceLevel trace = run::TraceLevel::kAudit;
  Status s = run::ParseTraceLevel(o.trace, &trace);
  if (!s.ok()) return s;
  const uint32_t days = static_cast<uint32_t>(o.days > 0 ? o.days : loaded->compiled.run.days);
  run::OutputDir out;
  s = out.Open(o.out_dir);
  if (!s.ok()) return s;
  if (o.telemetry) out.set_side_files(TelemetrySideFile);
  if (o.on_staging != nullptr) o.on_staging(out.StagingPaths());
  s = out.run_file().WriteHeader(MakeRunInfo(*loaded, o, trace, days));
  if (!s.ok()) return s;

  const scenario::CompiledScenario compiled_at_start = loaded->compiled;
  Status sink_status;
  model::RunSinks sinks;
  sinks.on_audit = [&](std::vector<services::AuditRecord>&& records) {
    for (const services::AuditRecord& r : records) {
      if (!sink_status.ok()) return;
      run::AuditRecord a;
      a.time_us = r.time_us;
      a.agent_id = r.agent == services::kNoId ? run::kNoAgent : r.agent;
      a.on_behalf_of_employee = r.on_behalf_of;
      a.action = r.decision == services::Decision::kUngated ? static_cast<uint32_t>(services::kNumActions + r.ungated_action)
                                                            : static_cast<uint32_t>(r.action);
      a.target = TargetIndex(compiled_at_start, r);
      a.decision = AuditDecisionIndex(r.decision);
      a.outcome = static_cast<uint32_t>(r.outcome);
      a.id = r.id();
      if (r.cause_kind != 0) a.cause = {static_cast<run::CauseKind>(r.cause_kind), r.cause_id};
      if (r.ask_item_id != 0) a.approval = {run::CauseKind::kItem, r.ask_item_id};
      // An action for an attacker names its source, unless its first cause already does (a session).
      if (r.attack_source_plus_one != 0 && r.cause_kind != static_cast<uint8_t>(run::CauseKind::kAttack)) {
        a.attack = {run::CauseKind::kAttack, r.attack_source_plus_one - 1u};
      }
      a.external = r.external;
      sink_status = out.run_file().AddAuditRecord(a);
    }
  };
  const uint32_t service_target0 = static_cast<uint32_t>(compiled_at_start.organization.employees.size() +
                                                        compiled_at_start.chat.channels.size());
  sinks.on_spans = [&](std::vector<model::TraceSpan>&& spans) {
    for (const model::TraceSpan& m : spans) {
      if (!sink_status.ok()) return;
      run::Span sp;
      sp.kind = static_cast<run::SpanKind>(m.kind);
      sp.id = m.id;
      sp.start_us = m.start_us;
      sp.end_us = m.end_us;
      sp.employee_id = m.employee;
      sp.agent_id = m.agent;
      sp.target = m.service == model::kNoSpanIndex ? run::kNoIndex : service_target0 + m.service;
      sp.name = m.name;
      sp.trigger = m.trigger;
      sp.purpose = m.purpose;
      sp.outcome = m.outcome;
      sp.route = m.route;
      sp.item_id = m.item_id == model::kNoSpanId ? run::kNoId : m.item_id;
      sp.deploy_id = m.deploy_id == model::kNoSpanId ? run::kNoId : m.deploy_id;
      sp.input_tokens = m.input_tokens;
      sp.output_tokens = m.output_tokens;
      sp.cost_usd = m.cost_usd;
      sp.tier = m.tier;
      sp.defect_origin = m.defect_origin;
      for (const model::SpanCause& c : m.causes) {
        if (c.kind != model::CauseKind::kNone) sp.causes.push_back({static_cast<run::CauseKind>(c.kind), c.id});
      }
      sink_status = out.run_file().AddSpan(sp);
    }
  };
  sinks.on_injections = [&](std::vector<model::InjectionRecord>&& emails) {
    for (const model::InjectionRecord& m : emails) {
      if (!sink_status.ok()) return;
      sink_status = out.run_file().AddInjectionEmail(
          run::InjectionEmail{m.item_id, m.time_us, m.employee, m.source, m.goal, m.detected, m.forwarded,
                              m.forwarded_by, m.forwarded_at_us});
    }
  };
  sinks.on_trace = [&](std::vector<model::TracedEvent>&& events) {
    for (const model::TracedEvent& e : events) {
      if (!sink_status.ok()) return;
      sink_status = out.run_file().AddTraceEvent(run::TraceEvent{e.time_us, e.lp, e.src_lp, e.src_seq, e.kind});
    }
  };
  const auto start = std::chrono::steady_clock::now();
  if (o.show_progress && o.progress != nullptr) {
    sinks.on_progress = [&](uint32_t done, uint32_t total, uint64_t /*events_committed*/) {
      o.progress(done, total, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    };
  }
  if (o.should_stop != nullptr) sinks.should_stop = o.should_stop;
  model::RunOptions ro;
  ro.seed = o.seed;
  ro.threads = o.threads;
  ro.days = static_cast<int32_t>(days);
  ro.record_audit = trace != run::TraceLevel::kNone;
  ro.record_trace = trace == run::TraceLevel::kFull;
  ro.record_spans = out.run_file().wants_spans();
  ro.counterfactual = o.counterfactual;
  ro.seats = o.seats;
  ro.seat_driver = o.seat_driver;
  s = model::RunOrganisation(loaded, ro, sinks, result);
  if (!s.ok()) return s;
  if (!sink_status.ok()) return sink_status;
  const std::vector<run::CalibrationBand> calibration = CalibrationBands(*loaded, result->summary);
  for (const run::CalibrationBand& band : calibration) {
    s = out.run_file().AddCalibrationBand(band);
    if (!s.ok()) return s;
  }
  if (bands != nullptr) *bands = calibration;
  if (o.seats_json) out.AddSideFile(run::kSeatsJsonName, o.seats_json(*result));
  return out.Commit(result->summary, result->employees, result->daily, result->summary.wall_s);
}

std::vector<run::CalibrationBand> CalibrationBands(const scenario::LoadedScenario& loaded,
                                                   const model::RunSummary& summary) {
  std::vector<run::CalibrationBand> bands;
  if (loaded.scenario.calibration_size() == 0) return bands;
  const study::Measures measures = study::SummaryMeasures(summary);
  for (const auto& b : loaded.scenario.calibration()) {
    run::CalibrationBand band;
    band.measure = b.name();
    band.value = std::nan("");
    for (size_t i = 0; i < measures.names.size(); ++i) {
      if (measures.names[i] == b.measure()) band.value = measures.values[i];
    }
    if (std::isnan(band.value)) {
      std::fprintf(stderr, "clawsim run: warning: calibration band \"%s\": this run has no measure \"%s\"\n",
                   b.name().c_str(), b.measure().c_str());
    }
    band.low = b.low();
    band.high = b.high();
    band.unit = b.unit();
    band.source = b.source();
    bands.push_back(band);
  }
  return bands;
}

std::string CalibrationTable(const std::vector<run::CalibrationBand>& bands) {
  if (bands.empty()) return "";
  size_t inside = 0;
  for (const run::CalibrationBand& b : bands) inside += b.value >= b.low && b.value <= b.high;
  std::string out = "\ncalibration bands (" + std::to_string(inside) + " of " + std::to_string(bands.size()) +
                    " inside; sources in the scenario and the run file)\n";
  for (const run::CalibrationBand& b : bands) {
    const char* verdict = std::isnan(b.value) ? "no value" : (b.value >= b.low && b.value <= b.high ? "inside" : "OUTSIDE");
    const std::string range = "[" + BandNumber(b.low) + ", " + BandNumber(b.high) + "]";
    char line[512];
    std::snprintf(line, sizeof line, "  %-8s %10s in %-16s %s (%s)\n", verdict,
                  std::isnan(b.value) ? "-" : BandNumber(b.value).c_str(), range.c_str(), b.measure.c_str(),
                  b.unit.c_str());
    out += line;
  }
  return out;
}

std::string SummaryJsonLine(const model::RunResult& result) { return run::SummaryJson(result.summary); }

std::string SummaryTable(const model::RunResult& r) {
  const model::RunSummary& s = r.summary;
  std::string out;
  char line[320];
  auto row = [&](const char* label, const char* fmt, auto... values) {
    char value[160];
    std::snprintf(value, sizeof value, fmt, values...);
    std::snprintf(line, sizeof line, "  %-34s %s\n", label, value);
    out += line;
  };
  std::snprintf(line, sizeof line, "%s: %u employees, %u agents, %u days, seed %llu, %d thread(s)\n", s.scenario.c_str(),
                s.employees, s.agents, s.days, static_cast<unsigned long long>(s.seed), s.threads);
  out += line;
  out += "\ntokens and cost\n";
  row("tokens", "%.3f M (%.3f M in, %.3f M out)", s.tokens.total_tokens() / 1e6, s.tokens.input_tokens / 1e6,
      s.tokens.output_tokens / 1e6);
  row("token cost", "$%.2f", s.tokens.cost_usd);
  const char* purposes[] = {"useful", "overhead", "performative"};
  for (int p = 0; p < model::kNumPurposes; ++p) {
    const double share = s.tokens.total_tokens() == 0 ? 0 : 100.0 * s.tokens_by_purpose[p].total_tokens() / s.tokens.total_tokens();
    char label[64];
    std::snprintf(label, sizeof label, "  %s", purposes[p]);
    row(label, "%5.1f%% of tokens, $%.2f", share, s.tokens_by_purpose[p].cost_usd);
  }
  for (const auto& [name, tally] : s.tokens_by_tier) {
    char label[64];
    std::snprintf(label, sizeof label, "  tier %s", name.c_str());
    row(label, "%.3f M tokens, $%.2f", tally.total_tokens() / 1e6, tally.cost_usd);
  }
  {
    const model::DeveloperAgentSpend& d = s.developer_agent_spend;
    row("developer agents: cost per active day", "mean $%.2f, p90 $%.2f (%u developers)", d.cost_per_active_day_mean_usd,
        d.cost_per_active_day_p90_usd, d.developers);
    row("developer agents: tokens per week", "median %.1f M, p90 %.1f M", d.tokens_per_week_median / 1e6,
        d.tokens_per_week_p90 / 1e6);
  }
  out += "\nvalue and time\n";
  row("value delivered", "$%.0f", s.value_usd);
  row("value per dollar of tokens", "$%.1f", s.value_usd_per_token_usd);
  row("incident cost", "$%.0f", s.incident_cost_usd);
  row("net value (value - incidents - tokens)", "$%.0f (people's time not priced in)", s.net_value_usd);
  row("task hours agents' output replaced", "%.1f h (claimed; see the counterfactual)", s.hours.saved_hours);
  row("hours using agents' help", "%.1f h (specifying, checking, waiting, switching)", s.hours.help_cost_hours);
  row("hours approving / fixing", "%.1f h / %.1f h", s.hours.approval_hours, s.hours.fixing_hours);
  row("people busy / available", "%.0f h / %.0f h ($%.0f of their time)", s.human_busy_hours, s.human_available_hours,
      s.human_cost_usd);
  for (const model::RoleUtilisation& u : s.utilisation_by_role) {
    char label[64];
    std::snprintf(label, sizeof label, "  utilisation %s", u.role.c_str());
    row(label, "mean %.0f%%, p90 %.0f%%, max %.0f%%", 100 * u.mean, 100 * u.p90, 100 * u.max);
  }
  row("backlog items pulled / open at end", "%llu / %llu", static_cast<unsigned long long>(s.backlog_items_pulled),
      static_cast<unsigned long long>(s.backlog_items));
  row("items arrived + pulled / completed", "%llu + %llu / %llu", static_cast<unsigned long long>(s.items_arrived),
      static_cast<unsigned long long>(s.backlog_items_pulled), static_cast<unsigned long long>(s.items_completed));
  row("mean lead time", "%.1f h", s.mean_lead_time_hours);
  {
    const model::IncentiveMeasures& im = s.incentives;
    out += "\nincentives\n";
    row("performative spend", "%.1f%% of tokens, $%.2f", 100 * s.performative_token_share(), im.performative_cost_usd);
    row("performative automations", "%llu held at the end (%llu added, %llu dropped)",
        static_cast<unsigned long long>(im.performative_automations_held),
        static_cast<unsigned long long>(im.automations_added), static_cast<unsigned long long>(im.automations_dropped));
    row("metric vs value rank correlation", "%.2f (raw tokens vs value: %.2f)", im.metric_value_rank_correlation,
        im.token_value_rank_correlation);
    row("value-token elasticity", "%.2f", im.value_token_elasticity);
    row("top decile vs median developer", "%.1fx tokens, %.2fx value, %.2fx changes", im.top_decile_token_ratio,
        im.top_decile_value_ratio, im.top_decile_changes_ratio);
    row("high vs low adoption teams", "%.2fx changes in prod, %.2fx merged, per developer",
        im.adoption_team_throughput_ratio, im.adoption_team_merged_ratio);
    row("capacity forecast error", "+%.0f%% (tokens at face value vs tokens that did useful work)",
        100 * im.capacity_forecast_error);
  }
  out += "\ndeploys (DORA)\n";
  row("deployment frequency", "%.1f per day", s.dora.deployment_frequency_per_day);
  row("lead time for changes", "%.1f h", s.dora.lead_time_for_changes_hours);
  row("change failure rate", "%.1f%%", 100 * s.dora.change_failure_rate);
  row("time to restore", "%.1f h", s.dora.time_to_restore_hours);
  row("deployment rework rate", "%.1f%% (rollbacks after incidents)", 100 * s.dora.rework_rate);
  if (s.delivery.release_testing_caught > 0) {
    row("release testing", "%llu defective changes sent back before their train left",
        static_cast<unsigned long long>(s.delivery.release_testing_caught));
  }
  row("review per merged change", "%.1f h in review (clock), %.2f h of reviewers' effort",
      s.delivery.review_elapsed_hours_per_merged_change, s.delivery.review_hours_per_merged_change);
  out += "\nsafety\n";
  const auto g = [&](GateOutcome o) { return static_cast<unsigned long long>(s.gate[static_cast<int>(o)]); };
  row("agent actions allowed", "%llu", g(GateOutcome::kAllowed));
  row("asked: approved / rejected / expired", "%llu / %llu / %llu", g(GateOutcome::kAskedApproved),
      g(GateOutcome::kAskedRejected), g(GateOutcome::kAskedExpired));
  row("denied / rate-limited", "%llu / %llu", g(GateOutcome::kDenied), g(GateOutcome::kRateLimited));
  row("agent errors", "%llu", static_cast<unsigned long long>(s.agent_errors));
  {
    const model::IncidentOrigins& o = s.incident_origins;
    const auto u = [](uint64_t v) { return static_cast<unsigned long long>(v); };
    row("incidents", "%llu (deployed by agents %llu, by people %llu)", u(s.incidents), u(o.deployed_by_agent),
        u(o.deployed_by_person));
    row("  by origin: person / agent code / agent deploy", "%llu / %llu / %llu", u(o.person_change),
        u(o.agent_written_change), u(o.agent_action_error));
    row("  by origin: injection / compromise / skill", "%llu / %llu / %llu", u(o.injection), u(o.compromise),
        u(o.malicious_skill));
  }
  row("data leaks", "%llu", static_cast<unsigned long long>(s.data_leaks));
  {
    const model::SafetyMeasures& sf = s.safety;
    const auto u = [](uint64_t v) { return static_cast<unsigned long long>(v); };
    if (sf.injection_emails > 0 || sf.attack_attempts > 0 || sf.agents_compromised > 0) {
      row("attacks' goal actions tried / took effect", "%llu / %llu (%.1f%% of those tried)", u(sf.attack_attempts),
          u(sf.attack_successes), 100 * sf.attack_success_rate);
      row("injections read / took effect", "%llu / %.1f%% (per injection read, as AgentDojo counts)",
          u(sf.injections_read), 100 * sf.injection_success_per_exposure);
      for (const model::AttackSourceMeasures& src : sf.sources) {
        char label[96];
        std::snprintf(label, sizeof label, "  %s %s", src.kind.c_str(), src.name.c_str());
        row(label, "%llu / %llu (%.1f%%)", u(src.attempts), u(src.successes), 100 * src.success_rate());
      }
      // A followed injection tries its goal action once, when there is something to act on
      // (mail to send out, a change to deploy): followed and tried need not agree.
      row("injections: mails, detected/read/followed", "%llu: %llu / %llu / %llu (a followed one tries its goal when it can)",
          u(sf.injection_emails), u(sf.injections_detected), u(sf.injections_read), u(sf.injections_followed));
      row("mail sent out by attacks (sensitive)", "%llu (%llu)", u(sf.data_leaked_messages), u(sf.data_leaked_sensitive));
      row("phishing posts/clicks; compromised", "%llu / %llu; %llu", u(sf.phishing_posts), u(sf.phishing_clicks),
          u(sf.agents_compromised));
      row("incidents agents deployed: error/inj./comp./skill", "%llu / %llu / %llu / %llu", u(sf.prod_incidents_error),
          u(sf.prod_incidents_injection), u(sf.prod_incidents_compromise), u(sf.prod_incidents_malicious_skill));
      if (sf.contained_agents > 0) {
        row("time to contain", "%.1f h on average (%llu agents contained, %llu never)", sf.time_to_contain_hours,
            u(sf.contained_agents), u(sf.uncontained_agents));
      } else {
        row("time to contain", "no agent was contained (%llu acted for an attacker and were never stopped)",
            u(sf.uncontained_agents));
      }
    }
    row("approvals: min/day, accuracy", "%.0f min, %.1f%% of %llu", sf.approval_minutes_per_day,
        100 * sf.approval_accuracy, u(sf.approvals_decided));
    row("approvals: wait for an answer", "%.0f min on average (clock time, answered asks)", sf.approval_wait_minutes_mean);
    row("breaker trips / memory quarantines", "%llu / %llu", u(sf.breaker_trips), u(sf.memory_quarantines));
    if (sf.detector_checks > 0) {
      row("detector: checks / false positives", "%llu / %llu (%.1f h releasing)", u(sf.detector_checks),
          u(sf.detector_false_positives), sf.detector_release_hours);
    }
  }
  row("chat exposures", "%llu", static_cast<unsigned long long>(s.chat_exposures));
  if (s.counterfactual.present) {
    const model::Counterfactual& c = s.counterfactual;
    out += "\nagainst the same run without agents\n";
    row("value delta", "%+.0f $ (without agents: $%.0f)", c.value_usd_delta, c.no_agent_value_usd);
    row("human busy hours delta", "%+.1f h (claimed saved: %.1f h)", c.human_busy_hours_delta, c.saved_hours_claimed);
    row("backlog hours delta", "%+.1f h (discretionary work the freed time went to)", c.backlog_hours_delta);
    row("items completed delta", "%+lld", static_cast<long long>(c.items_completed_delta));
    row("incidents delta / cost delta", "%+lld / %+.0f $", static_cast<long long>(c.incidents_delta), c.incident_cost_usd_delta);
    row("lead time delta", "%+.2f h", c.lead_time_hours_delta);
    row("ROI ((value - incident cost) / tokens)", "%.2f", c.roi);
    if (c.top_decile_changes_gain > 0) {
      row("heavy users' changes, taken apart", "%.2fx the median's without agents; agents: %.2fx theirs, %.2fx the median's",
          c.top_decile_changes_ratio_without_agents, c.top_decile_changes_gain, c.median_changes_gain);
    }
    if (c.high_adoption_teams_merged_gain > 0) {
      row("high- over low-adoption teams", "%.2fx without agents; agents: %.2fx the high fifth's merged, %.2fx the low's",
          c.adoption_team_merged_ratio_without_agents, c.high_adoption_teams_merged_gain, c.low_adoption_teams_merged_gain);
    }
    if (c.agent_users_changes_gain > 0 && c.non_users_changes_gain > 0) {
      row("developers' changes in prod", "with agents %.2fx, without agents %.2fx (their own twins')",
          c.agent_users_changes_gain, c.non_users_changes_gain);
    }
  }
  out += "\nrun\n";
  row("events", "%llu", static_cast<unsigned long long>(s.events));
  row("wall time", "%.2f s", s.wall_s);
  char fp[24];
  std::snprintf(fp, sizeof fp, "%016llx", static_cast<unsigned long long>(s.fingerprint));
  row("fingerprint", "%s", fp);
  return out;
}

Status LoadScaledScenario(const std::string& path, uint32_t employees, scenario::LoadedScenario* out) {
  Status s = scenario::LoadScenario(path, {}, out);
  if (!s.ok()) return s;
  if (employees == 0) {
    if (out->scenario.organization().divisions() > 1) return Status::Ok();  // its size as written
    employees = kDefaultBenchEmployees;
  }
  s = scenario::ScaleOrganisation(employees, &out->scenario);
  if (!s.ok()) return Status::Error(path + ": " + s.message());
  return scenario::CompileScenario(out->scenario, &out->compiled);
}

}  // namespace clawsim::cli
