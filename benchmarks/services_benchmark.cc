// Google Benchmark programs for the mock services: the permission decision on a 20-rule
// policy, and email send plus delivery through the engine. Figures: mock_services/README.md.
#include <benchmark/benchmark.h>

#include <vector>

#include "mock_services/services_world.h"

namespace {

using namespace clawsim::services;  // NOLINT: benchmark file
using clawsim::engine::kUsPerHour;
using clawsim::engine::kUsPerMinute;

// A 20-rule policy shaped like a real one: owner rights by role, agent rights by profile,
// denies, asks, scopes, rate limits, working hours, freezes and a blast-radius limit.
Policy TwentyRulePolicy() {
  std::vector<Rule> r;
  auto add = [&](PrincipalType who, Action a, Mode m, Scope s) -> Rule& {
    Rule x;
    x.principal_type = who;
    x.action = a;
    x.mode = m;
    x.scope = s;
    if (m == Mode::kAsk && who != PrincipalType::kAgent) x.approver = 0;
    r.push_back(x);
    return r.back();
  };
  const auto H = PrincipalType::kHuman, A = PrincipalType::kAgent;
  add(H, Action::kEmailRead, Mode::kAllow, Scope::kOwn);
  add(H, Action::kEmailSendInternal, Mode::kAllow, Scope::kAny);
  add(H, Action::kEmailSendExternal, Mode::kAllow, Scope::kAny).rate_max_requests = 1000000;
  add(H, Action::kChatRead, Mode::kAllow, Scope::kAny);
  add(H, Action::kChatPost, Mode::kAllow, Scope::kAny);
  add(H, Action::kDeployStaging, Mode::kAllow, Scope::kTeam).role = 0;
  add(H, Action::kDeployProd, Mode::kAllow, Scope::kTeam).role = 0;
  add(H, Action::kDeployRollback, Mode::kAllow, Scope::kTeam);
  add(A, Action::kEmailRead, Mode::kAllow, Scope::kOwn);
  add(A, Action::kEmailSendInternal, Mode::kAllow, Scope::kTeam).rate_max_requests = 1000000;
  add(A, Action::kEmailSendInternal, Mode::kAsk, Scope::kAny);
  add(A, Action::kEmailSendExternal, Mode::kAsk, Scope::kAny).hours = HoursCondition::kWorkingHoursOnly;
  add(A, Action::kEmailSendExternal, Mode::kDeny, Scope::kAny).profile = 3;
  add(A, Action::kChatRead, Mode::kAllow, Scope::kAny);
  add(A, Action::kChatPost, Mode::kAllow, Scope::kTeam).rate_max_requests = 1000000;
  add(A, Action::kChatPost, Mode::kAsk, Scope::kAny);
  add(A, Action::kDeployStaging, Mode::kAllow, Scope::kTeam).freeze = FreezeCondition::kOutsideFreezeOnly;
  Rule& prod = add(A, Action::kDeployProd, Mode::kAllow, Scope::kTeam);
  prod.max_transitive_dependents = 3;
  prod.hours = HoursCondition::kWorkingHoursOnly;
  add(A, Action::kDeployProd, Mode::kAsk, Scope::kAny);
  add(A, Action::kDeployRollback, Mode::kDeny, Scope::kAny).profile = 2;
  Policy p;
  if (!Policy::Compile(r, WorkCalendar{}, &p).ok()) std::abort();
  return p;
}

void BM_PermissionDecision(benchmark::State& state) {
  const Policy policy = TwentyRulePolicy();
  if (policy.rules().size() != 20) std::abort();
  // 4096 requests drawn once: random actors (70% agents), actions, targets and times.
  clawsim::engine::Rng rng = clawsim::engine::Rng::ForStream(1, 2);
  std::vector<GateRequest> reqs(4096);
  for (GateRequest& q : reqs) {
    const bool agent = rng.Bernoulli(0.7);
    q.actor.employee = static_cast<EmployeeId>(rng.UniformInt(64));
    q.actor.team = q.actor.employee % 8;
    q.actor.role = q.actor.employee % 4 == 3 ? 1 : 0;
    q.actor.agent = agent ? q.actor.employee * 4 + static_cast<AgentId>(rng.UniformInt(4)) : kNoId;
    q.actor.profile = agent ? static_cast<ProfileId>(rng.UniformInt(4)) : kNoId;
    q.action = static_cast<Action>(rng.UniformInt(kNumActions));
    q.target.owner = static_cast<EmployeeId>(rng.UniformInt(64));
    q.target.team = static_cast<TeamId>(rng.UniformInt(8));
    q.target.transitive_dependents = static_cast<uint32_t>(rng.UniformInt(6));
    q.target.in_freeze = rng.Bernoulli(0.1);
    q.now_us = static_cast<clawsim::engine::TimeUs>(rng.UniformInt(7 * 24 * kUsPerHour));
  }
  RateState agent_rates = policy.MakeRateState();
  RateState owner_rates = policy.MakeRateState();
  size_t i = 0;
  uint64_t allowed = 0;
  for (auto _ : state) {
    const GateRequest& q = reqs[i++ & 4095];
    const GateResult g = policy.Decide(q, q.actor.agent == kNoId ? nullptr : &agent_rates, &owner_rates);
    allowed += g.verdict == Verdict::kAllow;
    benchmark::DoNotOptimize(g);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["allowed_share"] = static_cast<double>(allowed) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_PermissionDecision);

// Employees send mail to each other through the gate; each send is an event at the sender
// (gate, rate limit, send) and one delivery event per recipient at the recipient's LP.
void BM_EmailSendAndDelivery(benchmark::State& state) {
  std::vector<Rule> rules;
  for (Action a : {Action::kEmailSendInternal, Action::kEmailSendExternal}) {
    Rule r;
    r.action = a;
    r.mode = Mode::kAllow;
    rules.push_back(r);
  }
  Policy policy;
  ServiceCatalog catalog;
  if (!Policy::Compile(rules, WorkCalendar{}, &policy).ok() || !ServiceCatalog::Build({}, {}, &catalog).ok()) std::abort();
  WorldOptions o;
  o.employees = static_cast<uint32_t>(state.range(0));
  o.teams = 8;
  o.weight_email_send = 1;
  o.weight_email_triage = o.weight_chat_post = o.weight_chat_read = o.weight_deploy = 0;
  o.p_reply = o.p_forward = 0;  // new mail only: the mailbox is never scanned
  o.mean_action_gap_us = kUsPerMinute;
  o.stop_requests_at_us = 400'000'000 / o.employees * kUsPerMinute / 1000;  // ~400k sends per run
  o.email.max_sends_per_window = 0;
  const int threads = static_cast<int>(state.range(1));
  uint64_t sends = 0, deliveries = 0;
  for (auto _ : state) {
    state.PauseTiming();
    ServicesWorld world(o, policy, catalog);
    clawsim::engine::Engine<ServicesWorld> eng(world.MakeEngineOptions(7, threads), &world);
    if (!world.Validate().ok() || !eng.Init().ok()) std::abort();
    world.Start(eng);
    state.ResumeTiming();
    if (!eng.RunUntil(o.stop_requests_at_us + kUsPerHour).ok()) std::abort();
    state.PauseTiming();
    const WorldSummary s = world.Summary();
    sends += s.emails_sent;
    deliveries += s.emails_delivered;
    state.ResumeTiming();
  }
  state.counters["sends_per_s"] = benchmark::Counter(static_cast<double>(sends), benchmark::Counter::kIsRate);
  state.counters["deliveries_per_s"] = benchmark::Counter(static_cast<double>(deliveries), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EmailSendAndDelivery)
    ->ArgsProduct({{1024, 16384}, {1, 2}})
    ->ArgNames({"employees", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
