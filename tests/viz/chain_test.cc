// Harms and trace-backs (viz/chain.h) on a small crafted run: an injection email, the
// invocation that followed it, the approved exfiltration and the approver's task; a deploy
// whose stages share an item; and a crafted chain thousands deep that loops on itself.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/run/sample_run.h"
#include "tests/run/test_util.h"
#include "viz/chain.h"
#include "viz/run_data.h"

namespace clawsim::viz {
namespace {

constexpr uint64_t kEmail = 7000;    // the injection email's item
constexpr uint64_t kAsk = 8000;      // the approval ask's item
constexpr uint64_t kChange = 50;     // a code change's item
constexpr uint64_t kDeploy = 9;
constexpr int kDeep = 3000;          // audit records in the crafted deep chain
constexpr uint64_t kDeepBase = 100'000;
constexpr int64_t kMinute = 60'000'000;

run::Span MakeSpan(run::SpanKind kind, uint64_t id, int64_t start, int64_t end) {
  run::Span s;
  s.kind = kind;
  s.id = id;
  s.start_us = start;
  s.end_us = end;
  return s;
}

run::AuditRecord MakeAudit(uint64_t id, int64_t t, uint32_t outcome, run::Cause cause) {
  run::AuditRecord a;
  a.id = id;
  a.time_us = t;
  a.agent_id = 0;
  a.on_behalf_of_employee = 0;
  a.action = 2;  // email.send_external
  a.target = 0;
  a.decision = 1;  // asked_approved
  a.outcome = outcome;
  a.cause = cause;
  return a;
}

// Writes the crafted run and loads it.
RunData CraftedRun() {
  run::RunInfo info = run::testing::SampleRunInfo();
  info.trace = run::TraceLevel::kAudit;
  info.outcome_names = {"not_executed", "done", "data_leaked", "exposed", "started", "service_refused", "injected"};
  info.span_names = {"email", "triage_email", "approval", "build", "prod", "SEV2", "code"};
  info.attack_goal_names = {"exfiltrate", "post_chat", "trigger_deploy", "persist"};
  info.injection_route_names = {"triage", "briefing", "channel_paste", "forward", "memory"};
  info.stage_outcome_names = {"passed", "failed"};
  const std::string path = run::testing::FreshTestDir() + "/crafted.clawrun";
  run::RunFileWriter w;
  Status s = w.Open(path);
  if (s.ok()) s = w.WriteHeader(info);
  // The injection email lands at minute 10; the triage invocation follows it at 11.
  if (s.ok()) s = w.AddInjectionEmail({kEmail, 10 * kMinute, 0, 0, 0, false, false});
  run::Span invocation = MakeSpan(run::SpanKind::kAgentInvocation, 1, 11 * kMinute, 12 * kMinute);
  invocation.agent_id = 0;
  invocation.employee_id = 0;
  invocation.name = 1;
  invocation.item_id = kEmail;
  invocation.outcome = 6;  // injected
  invocation.route = 0;    // triage
  invocation.causes = {{run::CauseKind::kItem, kEmail}, {run::CauseKind::kItem, kEmail}};
  if (s.ok()) s = w.AddSpan(invocation);
  // The approver's task on the ask, then the approved exfiltration that leaked.
  run::Span approval = MakeSpan(run::SpanKind::kHumanTask, 2, 13 * kMinute, 14 * kMinute);
  approval.employee_id = 1;
  approval.name = 2;
  approval.item_id = kAsk;
  approval.causes = {{run::CauseKind::kItem, kAsk}};
  if (s.ok()) s = w.AddSpan(approval);
  run::AuditRecord leak = MakeAudit(5, 15 * kMinute, 2, {run::CauseKind::kSpan, 1});
  leak.approval = {run::CauseKind::kItem, kAsk};
  if (s.ok()) s = w.AddAuditRecord(leak);
  // The same invocation's ordinary work (a reply: not for the attacker), and the forward it
  // made for the attacker, which held nothing sensitive (outcome done, cause ATTACK).
  run::AuditRecord reply = MakeAudit(6, 16 * kMinute, 1, {run::CauseKind::kSpan, 1});
  reply.action = 1;  // email.send_internal
  run::AuditRecord forward = MakeAudit(7, 17 * kMinute, 1, {run::CauseKind::kSpan, 1});
  forward.attack = {run::CauseKind::kAttack, 0};
  for (const run::AuditRecord* a : {&reply, &forward}) {
    if (s.ok()) s = w.AddAuditRecord(*a);
  }
  // A change coded by hand (minutes 20-30), built (40-50) and shipped (50-60) in deploy 9;
  // every span of it names the change's item.
  run::Span code = MakeSpan(run::SpanKind::kHumanTask, 3, 20 * kMinute, 30 * kMinute);
  code.employee_id = 1;
  code.name = 6;
  code.item_id = kChange;
  code.causes = {{run::CauseKind::kItem, kChange}};
  run::Span build = MakeSpan(run::SpanKind::kPipelineStage, 4, 40 * kMinute, 50 * kMinute);
  build.target = 4;
  build.name = 3;
  build.outcome = 0;  // passed
  build.item_id = kChange;
  build.deploy_id = kDeploy;
  build.causes = {{run::CauseKind::kItem, kChange}};
  run::Span prod = build;
  prod.id = 6;
  prod.start_us = 50 * kMinute;
  prod.end_us = 60 * kMinute;
  prod.name = 4;
  prod.outcome = 1;  // failed
  for (const run::Span* sp : {&code, &build, &prod}) {
    if (s.ok()) s = w.AddSpan(*sp);
  }
  // A chain kDeep records deep that closes on itself: record k cites k - 1, record 0 the last.
  for (int k = 0; k < kDeep && s.ok(); ++k) {
    const uint64_t cited = kDeepBase + static_cast<uint64_t>(k == 0 ? kDeep - 1 : k - 1);
    s = w.AddAuditRecord(MakeAudit(kDeepBase + static_cast<uint64_t>(k), 2000 * kMinute + k, 1,
                                   {run::CauseKind::kAudit, cited}));
  }
  model::RunSummary summary = run::testing::SampleSummary();
  summary.safety.sources = {{"injection", "invoice-phish", 1, 1}};
  if (s.ok()) s = w.WriteFooter(summary, 1.0);
  if (s.ok()) s = w.Commit();
  EXPECT_TRUE(s.ok()) << s.message();
  RunData run;
  LoadProgress progress;
  s = LoadRunFile(path, &progress, &run);
  EXPECT_TRUE(s.ok()) << s.message();
  return run;
}

bool Contains(const std::vector<RecordRef>& v, RecordRef r) { return std::find(v.begin(), v.end(), r) != v.end(); }

// A forwarded injection and two incidents (format 1.6): payments-1 receives the campaign's
// email at minute 10 and forwards it to payments-2 at minute 20 (their email.send_internal
// cites the original's item, beside an email.read at the same moment); payments-2's agent
// follows the copy at minute 22 and leaks mail at 23. A change payments-3 wrote is shipped
// by the agent payments-2/deploy (deploy.prod at minute 40) and breaks service api at 60;
// the incident spreads to web at 70.
RunData ForwardedRun() {
  run::RunInfo info = run::testing::SampleRunInfo();
  info.trace = run::TraceLevel::kAudit;
  info.outcome_names = {"not_executed", "done", "data_leaked", "exposed", "started", "service_refused", "injected"};
  info.span_names = {"email", "triage_email", "prod", "SEV2"};
  info.attack_goal_names = {"exfiltrate", "post_chat", "trigger_deploy", "persist"};
  info.injection_route_names = {"triage", "briefing", "channel_paste", "forward", "memory"};
  info.stage_outcome_names = {"passed", "failed"};
  info.defect_origin_names = {"person_change", "agent_written_change", "agent_action_error", "injection",
                              "compromise", "malicious_skill"};
  const std::string path = run::testing::FreshTestDir() + "/forwarded.clawrun";
  constexpr uint64_t kOriginal = 7000, kCopy = 7100;
  run::RunFileWriter w;
  Status s = w.Open(path);
  if (s.ok()) s = w.WriteHeader(info);
  if (s.ok()) s = w.AddInjectionEmail({kOriginal, 10 * kMinute, 0, 0, 0, false, false});
  run::AuditRecord read = MakeAudit(1, 20 * kMinute, 1, {run::CauseKind::kItem, kOriginal});
  read.agent_id = run::kNoAgent;
  read.action = 0;  // email.read, at the same moment: not the forward
  run::AuditRecord forward = read;
  forward.id = 2;
  forward.action = 1;  // email.send_internal
  for (const run::AuditRecord* a : {&read, &forward}) {
    if (s.ok()) s = w.AddAuditRecord(*a);
  }
  if (s.ok()) s = w.AddInjectionEmail({kCopy, 21 * kMinute, 1, 0, 0, false, true, 0, 20 * kMinute});
  run::Span invocation = MakeSpan(run::SpanKind::kAgentInvocation, 1, 22 * kMinute, 23 * kMinute);
  invocation.agent_id = 1;
  invocation.employee_id = 1;
  invocation.name = 1;
  invocation.item_id = kCopy;
  invocation.outcome = 6;  // injected
  invocation.route = 3;    // forward
  invocation.causes = {{run::CauseKind::kItem, kCopy}};
  if (s.ok()) s = w.AddSpan(invocation);
  run::AuditRecord leak = MakeAudit(3, 23 * kMinute, 2, {run::CauseKind::kSpan, 1});
  leak.agent_id = 1;
  leak.on_behalf_of_employee = 1;
  if (s.ok()) s = w.AddAuditRecord(leak);
  run::AuditRecord deploy = MakeAudit(4, 40 * kMinute, 4, {run::CauseKind::kItem, kChange});
  deploy.agent_id = 1;
  deploy.on_behalf_of_employee = 2;
  deploy.action = 6;  // deploy.prod
  if (s.ok()) s = w.AddAuditRecord(deploy);
  run::Span prod = MakeSpan(run::SpanKind::kPipelineStage, 2, 40 * kMinute, 50 * kMinute);
  prod.target = 4;
  prod.name = 2;
  prod.outcome = 0;
  prod.deploy_id = kDeploy;
  prod.item_id = kChange;
  prod.causes = {{run::CauseKind::kAudit, 4}, {run::CauseKind::kItem, kChange}};
  run::Span root = MakeSpan(run::SpanKind::kIncident, 3, 60 * kMinute, 90 * kMinute);
  root.target = 4;
  root.name = 3;
  root.deploy_id = kDeploy;
  root.defect_origin = 0;  // a person's change
  root.causes = {{run::CauseKind::kDeploy, kDeploy}};
  run::Span spread = MakeSpan(run::SpanKind::kIncident, 4, 70 * kMinute, 95 * kMinute);
  spread.target = 5;
  spread.name = 3;
  spread.defect_origin = 0;
  spread.causes = {{run::CauseKind::kSpan, 3}};
  for (const run::Span* sp : {&prod, &root, &spread}) {
    if (s.ok()) s = w.AddSpan(*sp);
  }
  model::RunSummary summary = run::testing::SampleSummary();
  summary.safety.sources = {{"injection", "invoice-phish", 1, 1}};
  if (s.ok()) s = w.WriteFooter(summary, 1.0);
  if (s.ok()) s = w.Commit();
  EXPECT_TRUE(s.ok()) << s.message();
  RunData run;
  LoadProgress progress;
  s = LoadRunFile(path, &progress, &run);
  EXPECT_TRUE(s.ok()) << s.message();
  return run;
}

TEST(ChainTest, AForwardedInjectionLeadsBackToTheOriginalEmailAndItsCampaign) {
  const RunData run = ForwardedRun();
  ASSERT_EQ(run.injections.size(), 2u);
  const RecordRef original = RecordRef::Injection(0), copy = RecordRef::Injection(1);
  const RecordRef forward = run.causal.AuditById(2);
  // The copy's cause is the colleague's forward (not their read at the same moment), whose
  // cause is the original; the forward's consequences include the copy.
  EXPECT_EQ(run.causal.ForwardOf(copy.index), forward);
  EXPECT_FALSE(run.causal.ForwardOf(original.index).valid());
  EXPECT_EQ(run.causal.Causes(run, copy), std::vector<RecordRef>{forward});
  EXPECT_TRUE(Contains(run.causal.Causes(run, forward), original));
  EXPECT_TRUE(Contains(run.causal.Consequences(run, forward), copy));
  // The leak's origin is the original email, named with its campaign and the forward.
  const RecordRef leak = run.causal.AuditById(3);
  const Origin origin = FindOrigin(run, leak);
  EXPECT_EQ(origin.kind, Origin::Kind::kInjection);
  EXPECT_EQ(origin.injection, original);
  EXPECT_EQ(origin.text, "injection \"invoice-phish\" (exfiltrate) via forward, forwarded by payments-1");
  // The trace-back shows the copy, the forward and the original, each below the one before.
  bool truncated = true;
  const std::vector<ChainStep> steps = TraceBack(run, leak, TraceBackLimits{}, &truncated);
  EXPECT_FALSE(truncated);
  auto depth_of = [&](RecordRef r) {
    for (const ChainStep& st : steps) {
      if (st.record == r) return st.depth;
    }
    return -1;
  };
  EXPECT_GT(depth_of(copy), 0);
  EXPECT_GT(depth_of(forward), depth_of(copy));
  EXPECT_GT(depth_of(original), depth_of(forward));
  EXPECT_NE(DescribeRecord(run, copy).find("forwarded by payments-1"), std::string::npos);
}

TEST(ChainTest, AnIncidentIsNamedByItsDefectOriginWithWhoDeployedBeside) {
  const RunData run = ForwardedRun();
  const std::vector<Harm> harms = ListHarms(run);
  std::vector<const Harm*> incidents;
  for (const Harm& h : harms) {
    if (h.kind == Harm::Kind::kIncident) incidents.push_back(&h);
  }
  ASSERT_EQ(incidents.size(), 2u);
  for (const Harm* h : incidents) {
    // A person's defect an agent deployed is a person's defect; the agent is the second fact.
    EXPECT_EQ(h->origin.kind, Origin::Kind::kPerson) << h->description;
    EXPECT_EQ(h->origin.defect, "person_change");
    EXPECT_EQ(h->origin.text, "a person's change");
    EXPECT_EQ(h->origin.deployed_by, "agent payments-2/deploy") << "the spread incident too, through its root";
  }
}

TEST(ChainTest, TheLeakIsListedAndTracesBackToTheCampaignsEmail) {
  const RunData run = CraftedRun();
  ASSERT_EQ(run.injections.size(), 1u);
  const std::vector<Harm> harms = ListHarms(run);
  ASSERT_FALSE(harms.empty());
  const Harm& leak = harms.front();  // leaks come first
  EXPECT_EQ(leak.kind, Harm::Kind::kLeak);
  EXPECT_EQ(leak.record, run.causal.AuditById(5));
  EXPECT_EQ(leak.service, "email");
  EXPECT_EQ(leak.origin.kind, Origin::Kind::kInjection);
  EXPECT_EQ(leak.origin.text, "injection \"invoice-phish\" (exfiltrate) via triage");
  EXPECT_EQ(leak.origin.injection, RecordRef::Injection(0));
  // The forward done for the attacker is a harm; the invocation's ordinary reply is not.
  ASSERT_EQ(harms.size(), 2u);
  EXPECT_EQ(harms[1].kind, Harm::Kind::kAttack);
  EXPECT_EQ(harms[1].record, run.causal.AuditById(7));
  EXPECT_EQ(harms[1].origin.kind, Origin::Kind::kInjection);

  bool truncated = true;
  const std::vector<ChainStep> steps = TraceBack(run, leak.record, TraceBackLimits{}, &truncated);
  EXPECT_FALSE(truncated);
  std::vector<RecordRef> on_chain;
  for (const ChainStep& s : steps) on_chain.push_back(s.record);
  EXPECT_TRUE(Contains(on_chain, run.causal.SpanById(1))) << "the injected invocation";
  EXPECT_TRUE(Contains(on_chain, run.causal.SpanById(2))) << "the approver's task";
  EXPECT_TRUE(Contains(on_chain, RecordRef::Injection(0))) << "the injection email";
  EXPECT_NE(DescribeRecord(run, run.causal.SpanById(1)).find("(injected via triage)"), std::string::npos);

  // The invocation's causes name the email once, though it lists the item twice.
  const std::vector<RecordRef> causes = run.causal.Causes(run, run.causal.SpanById(1));
  EXPECT_EQ(causes, std::vector<RecordRef>{RecordRef::Injection(0)});
  EXPECT_TRUE(Contains(run.causal.Consequences(run, RecordRef::Injection(0)), run.causal.SpanById(1)));
}

TEST(ChainTest, ItemLinksFollowTimeAndStagesReadTheirOwnOutcomes) {
  const RunData run = CraftedRun();
  const RecordRef code = run.causal.SpanById(3), build = run.causal.SpanById(4), prod = run.causal.SpanById(6);
  // The build was caused by the coding before it, not by the prod stage after it...
  const std::vector<RecordRef> causes = run.causal.Causes(run, build);
  EXPECT_TRUE(Contains(causes, code));
  EXPECT_FALSE(Contains(causes, prod));
  // ...and its consequences are what came after, not the coding before.
  const std::vector<RecordRef> after = run.causal.Consequences(run, build);
  EXPECT_TRUE(Contains(after, prod));
  EXPECT_FALSE(Contains(after, code));
  // In time order.
  const std::vector<RecordRef> from_code = run.causal.Consequences(run, code);
  ASSERT_EQ(from_code.size(), 2u);
  EXPECT_EQ(from_code[0], build);
  EXPECT_EQ(from_code[1], prod);
  // Stage outcomes from their own table, not the actions' ("not_executed", "done").
  EXPECT_EQ(run.SpanOutcome(run.spans[build.index]), "passed");
  EXPECT_EQ(run.SpanOutcome(run.spans[prod.index]), "failed");
}

TEST(ChainTest, DeepAndCyclicChainsAreBounded) {
  const RunData run = CraftedRun();
  const RecordRef last = run.causal.AuditById(kDeepBase + kDeep - 1);
  ASSERT_TRUE(last.valid());
  bool truncated = false;
  TraceBackLimits limits;
  std::vector<ChainStep> steps = TraceBack(run, last, limits, &truncated);
  EXPECT_TRUE(truncated);
  EXPECT_EQ(steps.size(), static_cast<size_t>(limits.max_depth + 1)) << "one line per step down to the cap";
  limits.max_depth = 100'000;  // no depth cap: the line cap and the cycle check end it
  steps = TraceBack(run, last, limits, &truncated);
  EXPECT_TRUE(truncated);
  EXPECT_LE(steps.size(), limits.max_steps);
  limits.max_steps = 100'000;
  steps = TraceBack(run, last, limits, &truncated);
  EXPECT_FALSE(truncated);
  EXPECT_EQ(steps.size(), static_cast<size_t>(kDeep)) << "each record once: the cycle is not followed twice";
  // Its origin: an agent's action, found within the walk's bound.
  EXPECT_EQ(FindOrigin(run, last).kind, Origin::Kind::kAgent);
}

}  // namespace
}  // namespace clawsim::viz
