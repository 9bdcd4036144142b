// End to end on the engine: determinism across threads, the exactly-once audit property and
// "no state change without an admitting decision" over random request streams and random
// policies, asks with timeouts, and incident reach on a small graph computed by hand.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "mock_services/services_world.h"

namespace clawsim::services {
namespace {

using engine::kUsPerDay;
using engine::kUsPerHour;
using engine::kUsPerMinute;

ServiceCatalog SmallCatalog() {
  std::vector<ServiceSpec> s(6);
  for (size_t i = 0; i < s.size(); ++i) {
    s[i].name = "svc" + std::to_string(i);
    s[i].owner_team = static_cast<TeamId>(i % 3);
    s[i].owner = static_cast<EmployeeId>(i);
  }
  s[1].depends_on = {0};
  s[2].depends_on = {0};
  s[3].depends_on = {1, 2};
  s[4].depends_on = {3};
  s[5].depends_on = {0};
  ServiceCatalog c;
  EXPECT_TRUE(ServiceCatalog::Build(s, {{2 * kUsPerDay, 3 * kUsPerDay, kNoId}}, &c).ok());
  return c;
}

Policy AllowAll() {
  std::vector<Rule> rules;
  for (int a = 0; a < kNumActions; ++a) {
    Rule r;
    r.action = static_cast<Action>(a);
    r.mode = Mode::kAllow;
    rules.push_back(r);
  }
  Policy p;
  EXPECT_TRUE(Policy::Compile(rules, WorkCalendar{}, &p).ok());
  return p;
}

// A random policy: 6..20 rules over random actions, modes, scopes, principals and limits.
Policy RandomPolicy(engine::Rng& rng, uint32_t employees) {
  std::vector<Rule> rules;
  const int n = 6 + static_cast<int>(rng.UniformInt(15));
  for (int i = 0; i < n; ++i) {
    Rule r;
    r.action = static_cast<Action>(rng.UniformInt(kNumActions));
    const double m = rng.Uniform01();
    r.mode = m < 0.15 ? Mode::kDeny : (m < 0.45 ? Mode::kAsk : Mode::kAllow);
    r.scope = static_cast<Scope>(rng.UniformInt(3));
    r.principal_type = static_cast<PrincipalType>(rng.UniformInt(3));
    if (rng.Bernoulli(0.2)) r.role = static_cast<RoleId>(rng.UniformInt(2));
    if (rng.Bernoulli(0.1)) r.team = static_cast<TeamId>(rng.UniformInt(3));
    if (r.mode != Mode::kDeny && rng.Bernoulli(0.3)) {
      r.rate_max_requests = 1 + static_cast<uint32_t>(rng.UniformInt(4));
      r.rate_window_us = kUsPerHour;
    }
    if (rng.Bernoulli(0.2)) r.hours = static_cast<HoursCondition>(rng.UniformInt(3));
    if (rng.Bernoulli(0.2)) r.freeze = static_cast<FreezeCondition>(rng.UniformInt(3));
    if (rng.Bernoulli(0.2)) r.max_transitive_dependents = static_cast<uint32_t>(rng.UniformInt(4));
    if (r.mode == Mode::kAsk && (r.principal_type != PrincipalType::kAgent || rng.Bernoulli(0.5))) {
      r.approver = static_cast<EmployeeId>(rng.UniformInt(employees));
    }
    rules.push_back(r);
  }
  Policy p;
  const Status s = Policy::Compile(rules, WorkCalendar{}, &p);
  EXPECT_TRUE(s.ok()) << s.message();
  return p;
}

struct WorldRun {
  std::unique_ptr<ServicesWorld> world;
  uint64_t fingerprint = 0;
  std::vector<AuditRecord> audit;
};

WorldRun RunWorld(const WorldOptions& o, const Policy& policy, const ServiceCatalog& catalog, uint64_t seed, int threads,
              engine::TimeUs end_us) {
  WorldRun r;
  r.world = std::make_unique<ServicesWorld>(o, policy, catalog);
  const Status valid = r.world->Validate();
  EXPECT_TRUE(valid.ok()) << valid.message();
  engine::Engine<ServicesWorld> eng(r.world->MakeEngineOptions(seed, threads), r.world.get());
  EXPECT_TRUE(eng.Init().ok());
  r.world->Start(eng);
  const Status s = eng.RunUntil(end_us);
  EXPECT_TRUE(s.ok()) << s.message();
  r.world->RecordOpenAsks(end_us);
  r.fingerprint = eng.stats().fingerprint;
  r.audit = r.world->MergedAudit();
  return r;
}

WorldOptions BusyWorld() {
  WorldOptions o;
  o.employees = 24;
  o.teams = 3;
  o.agents_per_employee = 2;
  o.mean_action_gap_us = 5 * kUsPerMinute;
  o.stop_requests_at_us = 3 * kUsPerDay;
  o.email.max_sends_per_window = 8;
  o.chat.max_posts_per_window = 4;
  return o;
}

TEST(ServicesWorldTest, SameResultsWithOneTwoAndThreeThreads) {
  const ServiceCatalog catalog = SmallCatalog();
  engine::Rng prng = engine::Rng::ForStream(11, 0);
  const Policy policy = RandomPolicy(prng, 24);
  WorldOptions o = BusyWorld();
  o.approval.timeout_us = 2 * kUsPerHour;
  o.approval.auto_approve_on_timeout = true;
  const WorldRun one = RunWorld(o, policy, catalog, 5, 1, 4 * kUsPerDay);
  ASSERT_GT(one.audit.size(), 1000u);
  for (int threads : {2, 3}) {
    const WorldRun r = RunWorld(o, policy, catalog, 5, threads, 4 * kUsPerDay);
    EXPECT_EQ(r.fingerprint, one.fingerprint) << threads;
    EXPECT_EQ(r.audit, one.audit) << threads;
  }
  EXPECT_NE(RunWorld(o, policy, catalog, 6, 1, 4 * kUsPerDay).fingerprint, one.fingerprint);
}

// The two safety properties of the issue, checked on the state every service ends with.
void CheckProperties(const WorldRun& r, const WorldOptions& o, const ServiceCatalog& catalog) {
  const ServicesWorld& w = *r.world;
  // 1. Exactly one record per request.
  uint64_t issued = 0;
  for (EmployeeId e = 0; e < o.employees; ++e) issued += w.requests_issued(e);
  ASSERT_EQ(r.audit.size(), issued);
  std::set<uint64_t> ids;
  for (const AuditRecord& a : r.audit) ids.insert(a.request_id);
  ASSERT_EQ(ids.size(), issued);

  // 2. Refused requests executed nothing; admitted ones name what they created.
  std::set<uint64_t> sent, read, posted, runs;
  for (const AuditRecord& a : r.audit) {
    if (!Admits(a.decision)) {
      EXPECT_EQ(a.outcome, Outcome::kNotExecuted);
      EXPECT_EQ(a.object_id, 0u);
      continue;
    }
    if (a.object_id == 0) continue;
    switch (a.action) {
      case Action::kEmailSendInternal:
      case Action::kEmailSendExternal: sent.insert(a.object_id); break;
      case Action::kEmailRead: read.insert(a.object_id); break;
      case Action::kChatPost: posted.insert(a.object_id); break;
      default: runs.insert(a.object_id); break;
    }
  }
  uint64_t mailbox_sent = 0;
  for (EmployeeId e = 0; e < o.employees; ++e) {
    const Mailbox& m = w.mailbox(e);
    mailbox_sent += m.stats().sent;
    for (const MailboxEntry& entry : m.entries()) {
      EXPECT_TRUE(sent.count(entry.header.id)) << "mail " << entry.header.id << " delivered without an admitted send";
      if (entry.read) {
        EXPECT_TRUE(read.count(entry.header.id)) << "mail read without an admitted email.read";
      }
    }
    for (const LeakRecord& l : m.leaks()) EXPECT_TRUE(sent.count(l.message_id));
  }
  EXPECT_EQ(mailbox_sent, sent.size());
  uint64_t messages = 0;
  for (ChannelId c = 0; c < w.num_channels(); ++c) {
    for (const ChatMessage& msg : w.channel(c).messages()) {
      EXPECT_TRUE(posted.count((uint64_t{c + 1} << 32) | msg.id)) << "chat message without an admitted post";
      ++messages;
    }
  }
  EXPECT_EQ(messages, posted.size());
  uint64_t pipeline_runs = 0;
  for (ServiceId s = 0; s < catalog.size(); ++s) {
    for (size_t i = 0; i < w.service(s).runs().size(); ++i) {
      EXPECT_TRUE(runs.count((uint64_t{s + 1} << 32) | i)) << "pipeline run without an admitted deploy";
      ++pipeline_runs;
    }
  }
  EXPECT_EQ(pipeline_runs, runs.size());
}

TEST(ServicesWorldTest, PropertyNoStateChangeWithoutAdmissionAndOneRecordPerRequest) {
  const ServiceCatalog catalog = SmallCatalog();
  engine::Rng meta = engine::Rng::ForStream(2024, 0);
  WorldSummary total;
  for (int trial = 0; trial < 12; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial));
    const Policy policy = RandomPolicy(meta, 24);
    WorldOptions o = BusyWorld();
    o.stop_requests_at_us = kUsPerDay + static_cast<engine::TimeUs>(meta.UniformInt(2 * kUsPerDay));
    // Thirds: no timeout; a timeout with auto-approve; a timeout that expires the ask.
    o.approval.timeout_us = trial % 3 == 0 ? 0 : static_cast<engine::TimeUs>(meta.UniformInt(2 * kUsPerHour)) + kUsPerMinute;
    o.approval.auto_approve_on_timeout = trial % 3 == 1;
    // Stop a working day after the last request on some trials, mid-flight on others.
    const engine::TimeUs end = meta.Bernoulli(0.5) ? o.stop_requests_at_us + 2 * kUsPerDay : o.stop_requests_at_us;
    const WorldRun r = RunWorld(o, policy, catalog, 100 + static_cast<uint64_t>(trial), 1, end);
    CheckProperties(r, o, catalog);
    const WorldSummary s = r.world->Summary();
    for (int d = 0; d < kNumDecisions; ++d) total.audit.by_decision[d] += s.audit.by_decision[d];
    total.emails_delivered += s.emails_delivered;
    total.chat_messages += s.chat_messages;
    total.pipeline_runs += s.pipeline_runs;
  }
  // The random policies exercised every decision the gate and approvals can make.
  for (Decision d : {Decision::kAllowed, Decision::kApproved, Decision::kRejected, Decision::kDenied,
                     Decision::kRateLimited, Decision::kAutoApproved, Decision::kExpired}) {
    EXPECT_GT(total.audit.by_decision[static_cast<int>(d)], 0u) << DecisionName(d);
  }
  EXPECT_GT(total.emails_delivered, 0u);
  EXPECT_GT(total.chat_messages, 0u);
  EXPECT_GT(total.pipeline_runs, 0u);
}

TEST(ServicesWorldTest, AllowAllDeliversMailLeaksAndExposes) {
  const ServiceCatalog catalog = SmallCatalog();
  const Policy policy = AllowAll();
  WorldOptions o = BusyWorld();
  o.email.max_sends_per_window = 0;
  o.chat.max_posts_per_window = 0;
  const WorldRun r = RunWorld(o, policy, catalog, 9, 2, 4 * kUsPerDay);
  CheckProperties(r, o, catalog);
  const WorldSummary s = r.world->Summary();
  EXPECT_EQ(s.audit.by_decision[static_cast<int>(Decision::kAllowed)], s.requests);
  EXPECT_GT(s.leaks, 0u);
  EXPECT_GT(s.exposures, 0u);
  EXPECT_GT(s.bot_noise, 0u);
  EXPECT_GT(s.prod_deploys, 0u);
  EXPECT_GT(s.incidents_root, 0u);
  EXPECT_EQ(s.audit.by_outcome[static_cast<int>(Outcome::kDataLeaked)] > 0, true);
}

TEST(ServicesWorldTest, AskWithShortTimeoutResolvesEachRequestOnce) {
  // Every action asks the owner; owners answer only in working hours, and the timeout is
  // shorter than a review, so answers and timeouts race constantly.
  std::vector<Rule> rules;
  for (int a = 0; a < kNumActions; ++a) {
    Rule agent;
    agent.principal_type = PrincipalType::kAgent;
    agent.action = static_cast<Action>(a);
    agent.mode = Mode::kAsk;
    Rule human = agent;
    human.principal_type = PrincipalType::kHuman;
    human.mode = Mode::kAllow;
    rules.push_back(agent);
    rules.push_back(human);
  }
  Policy policy;
  ASSERT_TRUE(Policy::Compile(rules, WorkCalendar{}, &policy).ok());
  const ServiceCatalog catalog = SmallCatalog();
  WorldOptions o = BusyWorld();
  o.approval.review_us = 4 * kUsPerMinute;
  o.approval.timeout_us = 5 * kUsPerMinute;
  o.approval.auto_approve_on_timeout = true;
  const WorldRun r = RunWorld(o, policy, catalog, 3, 1, 5 * kUsPerDay);
  CheckProperties(r, o, catalog);
  const WorldSummary s = r.world->Summary();
  EXPECT_GT(s.audit.by_decision[static_cast<int>(Decision::kApproved)], 0u);
  EXPECT_GT(s.audit.by_decision[static_cast<int>(Decision::kAutoApproved)], 0u);
  EXPECT_EQ(s.audit.by_decision[static_cast<int>(Decision::kOpenAtEnd)], 0u);
  EXPECT_GT(s.reviews, 0u);
}

// Incident spread on the catalog's graph (edges point from a dependency to its dependents):
//
//        0 ──> 1 ──> 3 ──> 4          each edge passes an incident with p = 0.5,
//        │ └─> 2 ──┘                  independently, and a service catches a root once.
//        └───> 5
// P(1) = P(2) = P(5) = 0.5
// P(3) = 1 - (1 - 0.5 * 0.5)^2 = 0.4375    (via 1 or via 2)
// P(4) = 0.5 * P(3) = 0.21875
// Expected services reached besides 0: 0.5 * 3 + 0.4375 + 0.21875 = 2.15625.
struct SpreadModel {
  using Payload = std::variant<std::monostate, IncidentSignal, uint32_t>;
  const ServiceCatalog* catalog;
  DeployOptions options;
  std::vector<ServiceState> state;
  DeployEffects fx;
  void Handle(engine::Context<Payload>& ctx, const engine::Event<Payload>& ev) {
    ServiceState& s = state[ctx.lp()];
    fx.Clear();
    if (ev.kind == 0) {  // a known-bad change to prod, pipeline stages always pass
      DeployRequest req;
      req.kind = DeployKind::kToProd;
      req.change.known_bad = true;
      s.Request(req, *catalog, options, ctx.now_us(), ctx.rng(), &fx);
    } else if (ev.kind == 1) {
      s.OnStep(ctx.now_us(), *catalog, options, ctx.rng(), &fx);
    } else if (ev.kind == 2) {
      s.OnUpstreamIncident(std::get<IncidentSignal>(ev.payload), ctx.now_us(), *catalog, options, ctx.rng(), &fx);
    }
    if (fx.step_at_us >= 0) ctx.SendSelf(fx.step_at_us - ctx.now_us(), 1);
    for (const auto& sp : fx.spreads) ctx.Send(sp.to, sp.at_us - ctx.now_us(), 2, sp.signal);
  }
};

TEST(IncidentSpreadTest, ExpectedReachMatchesHandComputation) {
  const ServiceCatalog catalog = SmallCatalog();
  DeployOptions o;
  for (StageOptions& st : o.stages) st.flaky_failure_probability = st.defect_detection_probability = 0;
  o.spread_probability = 0.5;
  const int reps = 4000;
  double reached_total = 0;
  double reached_by[6] = {};
  for (int rep = 0; rep < reps; ++rep) {
    SpreadModel m{&catalog, o, std::vector<ServiceState>(), {}};
    for (ServiceId s = 0; s < 6; ++s) m.state.emplace_back(s);
    engine::EngineOptions eo;
    eo.num_lps = 6;
    eo.lookahead_us = kUsPerMinute;
    eo.seed = static_cast<uint64_t>(rep) + 1;
    engine::Engine<SpreadModel> eng(eo, &m);
    ASSERT_TRUE(eng.Init().ok());
    eng.Schedule(0, 0, 0);
    ASSERT_TRUE(eng.RunUntil(kUsPerDay).ok());
    ASSERT_EQ(m.state[0].incidents().size(), 1u);
    for (ServiceId s = 1; s < 6; ++s) {
      ASSERT_LE(m.state[s].incidents().size(), 1u);  // each root caught at most once
      if (!m.state[s].incidents().empty()) {
        ++reached_by[s];
        ++reached_total;
        EXPECT_EQ(m.state[s].incidents()[0].root_id, m.state[0].incidents()[0].id);
        EXPECT_GE(m.state[s].incidents()[0].opened_at_us, o.spread_delay_min_us);
      }
    }
  }
  // Mean of a sum of 5 indicators: sd <= 1.2 per rep, so the standard error is < 0.02.
  EXPECT_NEAR(reached_total / reps, 2.15625, 0.08);
  EXPECT_NEAR(reached_by[1] / reps, 0.5, 0.04);
  EXPECT_NEAR(reached_by[3] / reps, 0.4375, 0.04);
  EXPECT_NEAR(reached_by[4] / reps, 0.21875, 0.04);
  EXPECT_NEAR(reached_by[5] / reps, 0.5, 0.04);
}

}  // namespace
}  // namespace clawsim::services
