#include "tests/run/sample_run.h"

namespace clawsim::run::testing {
namespace {

model::TokenTally Tally(uint64_t in, uint64_t out, double cost_usd, uint64_t invocations) {
  model::TokenTally t;
  t.input_tokens = in;
  t.output_tokens = out;
  t.cost_usd = cost_usd;
  t.invocations = invocations;
  return t;
}

}  // namespace

RunInfo SampleRunInfo() {
  RunInfo info;
  info.scenario_name = "sample-org";
  info.scenario_path = "scenarios/sample.textproto";
  info.scenario_textproto =
      "name: \"sample-org\"\nrun { days: 3 }\n"
      "organization {\n  teams { name: \"payments\" }\n  teams { name: \"platform\" parent: \"payments\" }\n}\n"
      "deploy {\n  services { name: \"api\" owner_team: \"payments\" }\n"
      "  services { name: \"web\" owner_team: \"platform\" depends_on: \"api\" }\n}\n";
  info.overrides = {"run.days=3", "incentives.visibility=PUBLIC"};
  info.seed = 42;
  info.threads = 4;
  info.days = kSampleDays;
  info.trace = TraceLevel::kFull;
  info.action_names = {"email.read",     "email.send_internal", "email.send_external", "chat.read",
                       "chat.post",      "deploy.staging",      "deploy.prod",         "deploy.rollback"};
  info.outcome_names = {"ok", "agent_error", "injected"};
  info.event_kind_names = {"work_arrival", "heartbeat", "deploy_result"};
  info.team_names = {"payments", "platform"};
  info.tier_names = {"frontier", "small"};
  info.employee_names = {"payments-1", "payments-2", "payments-3", "platform-1", "O'Brien, \"Pat\""};
  info.agent_names = {"payments-1/triage", "payments-2/deploy", "platform-1/triage", "platform-1/chat"};
  info.target_names = {"mailbox:payments-1", "mailbox:platform-1", "domain:example.com",
                       "channel:#eng",       "service:api",        "service:web"};
  info.lp_names = {"employee:0", "employee:1", "employee:2", "employee:3", "employee:4", "channel:#eng"};
  info.span_names = {"email", "triage_email", "prod", "sev2"};
  // trigger_names and purpose_names left empty: the model's names.
  return info;
}

model::RunSummary SampleSummary() {
  model::RunSummary s;
  s.scenario = "sample-org";
  s.seed = 42;
  s.threads = 4;
  s.employees = kSampleEmployees;
  s.agents = 4;
  s.days = kSampleDays;
  s.events = 987654;
  s.fingerprint = 0x0123456789abcdefULL;
  s.wall_s = kSampleWallS;
  s.tokens = Tally(1200000, 300000, 45.5, 900);
  s.tokens_by_purpose[static_cast<int>(model::Purpose::kUseful)] = Tally(700000, 200000, 30, 500);
  s.tokens_by_purpose[static_cast<int>(model::Purpose::kOverhead)] = Tally(200000, 40000, 5.5, 250);
  s.tokens_by_purpose[static_cast<int>(model::Purpose::kPerformative)] = Tally(300000, 60000, 10, 150);
  s.tokens_by_tier = {{"frontier", Tally(1000000, 250000, 42.25, 600)}, {"small", Tally(200000, 50000, 3.25, 300)}};
  s.tokens_by_team = {{"payments", Tally(900000, 200000, 30.5, 700)}, {"platform", Tally(300000, 100000, 15, 200)}};
  s.value_usd = 12345.5;
  s.hours.working_hours = 96.5;
  s.hours.review_hours = 10.25;
  s.hours.approval_hours = 4.5;
  s.hours.fixing_hours = 3.75;
  s.hours.saved_hours = 22;
  s.net_value_usd = 13100.125;
  s.value_usd_per_token_usd = s.value_usd / s.tokens.cost_usd;
  s.items_arrived = 420;
  s.items_completed = 400;
  s.mean_lead_time_hours = 5.5;
  s.dora.deployment_frequency_per_day = 2.5;
  s.dora.lead_time_for_changes_hours = 3.25;
  s.dora.change_failure_rate = 0.125;
  s.dora.time_to_restore_hours = 1.5;
  s.dora.rework_rate = 0.0625;
  s.incidents = 3;
  s.data_leaks = 1;
  s.chat_exposures = 2;
  s.agent_errors = 17;
  s.gate = {9000, 400, 100, 450, 50};
  return s;
}

std::vector<model::EmployeeMetrics> SampleEmployees() {
  const RunInfo info = SampleRunInfo();
  std::vector<model::EmployeeMetrics> out;
  for (uint32_t i = 0; i < kSampleEmployees; ++i) {
    model::EmployeeMetrics e;
    e.employee_id = i;
    e.name = info.employee_names[i];
    e.team = i < 3 ? "payments" : "platform";
    e.role = i == 0 ? "manager" : (i == 4 ? "other" : "developer");
    e.agents = i == 4 ? 0 : 1;
    for (int p = 0; p < model::kNumPurposes; ++p) {
      e.tokens_by_purpose[p] = Tally(1000 * (i + 1) * (p + 1), 100 * (i + 1), 0.25 * (p + 1), 10 + i);
    }
    for (int t = 0; t < model::kNumTriggers; ++t) {
      e.tokens_by_trigger[t] = Tally(500 * (i + 1) * (t + 1), 50 * (t + 1), 0.125 * (t + 1), 3 + i);
    }
    e.hours.working_hours = 20 + i;
    e.hours.review_hours = 2.5;
    e.hours.approval_hours = 0.75 * i;
    e.hours.fixing_hours = 0.5;
    e.hours.saved_hours = 4.25 + i;
    e.value_usd = 1000.5 * (i + 1);
    e.hourly_cost_usd = 80 + 10 * i;
    e.items_completed = 70 + i;
    e.agent_errors = i;
    e.gate = {1000 + i, 40, 10 + i, 45, 5};
    out.push_back(e);
  }
  return out;
}

std::vector<model::DailyMetrics> SampleDaily() {
  std::vector<model::DailyMetrics> out;
  for (uint32_t d = 0; d < kSampleDays; ++d) {
    model::DailyMetrics m;
    m.day = d;
    m.tokens = Tally(400000, 100000, 15.1 + d, 300);
    m.tokens_by_purpose = {300000, 80000, 120000};
    m.value_usd = 4115.25 + d;
    m.hours_saved = 7.5;
    m.items_arrived = 140;
    m.items_completed = 133 + d;
    m.deploys_prod = 2 + d;
    m.deploys_failed = d == 1 ? 1 : 0;
    m.incidents_opened = 1;
    m.gate = {3000, 133, 33, 150, d};
    out.push_back(m);
  }
  return out;
}

AuditRecord SampleAuditRecord(int i) {
  AuditRecord r;
  r.time_us = 25'000'000LL * i;
  r.agent_id = i % 5 == 4 ? kNoAgent : static_cast<uint32_t>(i % 4);
  r.on_behalf_of_employee = static_cast<uint32_t>(i % 5);
  r.action = static_cast<uint32_t>(i % 8);
  r.target = static_cast<uint32_t>(i % 6);
  r.decision = static_cast<uint32_t>(i % 5);
  r.outcome = static_cast<uint32_t>(i % 3);
  // An agent's action was caused by an invocation span (4m + 1); a person's by a work item.
  const int m = i % (kSampleSpans / 4);
  r.cause = r.agent_id != kNoAgent ? Cause{CauseKind::kSpan, static_cast<uint64_t>(4 * m + 1)}
                                   : Cause{CauseKind::kItem, static_cast<uint64_t>(i)};
  return r;
}

Span SampleSpan(int i) {
  static constexpr int64_t kMinute = 60'000'000;
  const uint32_t m = static_cast<uint32_t>(i / 4);
  Span s;
  s.start_us = 40'000'000LL * i;
  if (i % 1000 == 999) {
    // An incident on the service of the preceding prod stage (span i - 1, deploy m).
    s.kind = SpanKind::kIncident;
    s.end_us = s.start_us + 120 * kMinute;
    s.target = 4 + m % 2;
    s.name = 3;  // sev2
    s.deploy_id = m;
    s.causes = {{CauseKind::kDeploy, m}, {CauseKind::kAudit, 8ULL * m + 6}};
    return s;
  }
  switch (i % 4) {
    case 1:
      s.kind = SpanKind::kAgentInvocation;
      s.end_us = s.start_us + kMinute / 3;
      s.agent_id = m % 4;
      s.employee_id = s.agent_id == 0 ? 0 : (s.agent_id == 1 ? 1 : 3);  // the agent's owner
      s.name = 1;                                                      // triage_email
      s.trigger = m % 4;
      s.purpose = m % 3;
      s.outcome = m % 2 == 0 ? 1 : 0;  // agent_error or ok
      s.input_tokens = 1000 + 10 * m;
      s.output_tokens = 100 + m;
      s.cost_usd = 0.001 * (m % 7 + 1);
      s.item_id = static_cast<uint64_t>(i - 1);
      s.causes = {{CauseKind::kItem, static_cast<uint64_t>(i - 1)}};
      return s;
    case 2:
      // The prod stage of deploy m, set off by the deploy.prod audit record 8m + 6.
      s.kind = SpanKind::kPipelineStage;
      s.end_us = s.start_us + 10 * kMinute;
      s.target = 4 + m % 2;
      s.name = 2;  // prod
      s.outcome = 0;
      s.deploy_id = m;
      s.causes = {{CauseKind::kAudit, 8ULL * m + 6}};
      return s;
    default:
      s.kind = SpanKind::kHumanTask;
      s.end_us = s.start_us + 30 * kMinute;
      s.employee_id = static_cast<uint32_t>(i % 5);
      s.name = 0;  // email
      s.item_id = static_cast<uint64_t>(i);
      s.causes = {{CauseKind::kItem, static_cast<uint64_t>(i)}};
      return s;
  }
}

TraceEvent SampleTraceEvent(int i) {
  TraceEvent e;
  e.time_us = 500LL * i;
  e.lp = static_cast<uint32_t>(i % 6);
  e.src_lp = static_cast<uint32_t>((i + 1) % 6);
  e.src_seq = static_cast<uint32_t>(i / 6);
  e.kind = static_cast<uint32_t>(i % 3);
  return e;
}

std::vector<CalibrationBand> SampleCalibration() {
  return {{"agent spend per developer per month", 180.5, 100, 300, "USD", "sample source A"},
          {"change failure rate", 0.125, 0, 0.1, "fraction", "sample source B"}};
}

Status WriteSampleRunFile(const std::string& path, RunFileWriterOptions options) {
  RunFileWriter w(options);
  Status s = w.Open(path);
  if (s.ok()) s = w.WriteHeader(SampleRunInfo());
  for (const model::DailyMetrics& d : SampleDaily()) {
    if (s.ok()) s = w.AddDailyRow(d);
  }
  for (const model::EmployeeMetrics& e : SampleEmployees()) {
    if (s.ok()) s = w.AddEmployeeRow(e);
  }
  for (int i = 0; i < kSampleAuditRecords && s.ok(); ++i) s = w.AddAuditRecord(SampleAuditRecord(i));
  for (int i = 0; i < kSampleSpans && s.ok(); ++i) s = w.AddSpan(SampleSpan(i));
  for (const CalibrationBand& b : SampleCalibration()) {
    if (s.ok()) s = w.AddCalibrationBand(b);
  }
  for (int i = 0; i < kSampleTraceEvents && s.ok(); ++i) s = w.AddTraceEvent(SampleTraceEvent(i));
  if (s.ok()) s = w.WriteFooter(SampleSummary(), kSampleWallS);
  if (s.ok()) s = w.Commit();
  return s;
}

}  // namespace clawsim::run::testing
