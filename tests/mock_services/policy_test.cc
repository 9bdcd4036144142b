// The permission gate: truth table over action x mode x scope, deny-overrides-allow, the
// allow/ask/rate-limit fallbacks, conditions, principal patterns and the owner bound.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mock_services/policy.h"

namespace clawsim::services {
namespace {

using engine::kUsPerHour;
using engine::kUsPerMinute;

constexpr EmployeeId kAlice = 1;  // team 10, role 0 (developer)
constexpr EmployeeId kBob = 2;    // team 10
constexpr EmployeeId kCarol = 3;  // team 20
constexpr EmployeeId kOnCall = 9;
constexpr TeamId kTeamA = 10;
constexpr TeamId kTeamB = 20;
// Monday 10:00 (day 0 is a Monday by default): inside working hours.
constexpr engine::TimeUs kMonday10 = 10 * kUsPerHour;

Actor Human(EmployeeId e, TeamId team, RoleId role = 0) { return Actor{kNoId, kNoId, e, role, team}; }
Actor AgentOf(EmployeeId owner, TeamId team, AgentId agent = 100, ProfileId profile = 5) {
  return Actor{agent, profile, owner, 0, team};
}
Target OwnedBy(EmployeeId owner, TeamId team) { return Target{owner, owner, team, 0, false}; }

Policy MustCompile(std::vector<Rule> rules) {
  Policy p;
  Status s = Policy::Compile(std::move(rules), WorkCalendar{}, &p);
  EXPECT_TRUE(s.ok()) << s.message();
  return p;
}

GateRequest Req(Actor actor, Action action, Target target, engine::TimeUs now = kMonday10) {
  return GateRequest{actor, action, target, now};
}

TEST(PolicyTest, DefaultDenyWithNoRules) {
  Policy p = MustCompile({});
  const GateResult g = p.Evaluate(Req(Human(kAlice, kTeamA), Action::kEmailRead, OwnedBy(kAlice, kTeamA)), nullptr, nullptr);
  EXPECT_EQ(g.verdict, Verdict::kDeny);
  EXPECT_EQ(g.rule, kNoRule);
}

// For every action, mode and scope, one rule; requests on an own, a team-mate's and another
// team's target. Expected: the rule's mode where the scope covers the target, default deny
// elsewhere, and nothing at all for the other actions.
TEST(PolicyTest, TruthTableOverActionModeScope) {
  const Target own = OwnedBy(kAlice, kTeamA);
  const Target team = OwnedBy(kBob, kTeamA);
  const Target other = OwnedBy(kCarol, kTeamB);
  int cases = 0;
  for (int a = 0; a < kNumActions; ++a) {
    for (Mode mode : {Mode::kDeny, Mode::kAsk, Mode::kAllow}) {
      for (Scope scope : {Scope::kOwn, Scope::kTeam, Scope::kAny}) {
        Rule r;
        r.action = static_cast<Action>(a);
        r.mode = mode;
        r.scope = scope;
        r.approver = kOnCall;
        Policy p = MustCompile({r});
        const Verdict ruled = mode == Mode::kAllow ? Verdict::kAllow : mode == Mode::kAsk ? Verdict::kAsk : Verdict::kDeny;
        struct Case {
          const Target* target;
          bool covered;
        };
        const Case targets[] = {{&own, true}, {&team, scope != Scope::kOwn}, {&other, scope == Scope::kAny}};
        for (const Case& c : targets) {
          for (int b = 0; b < kNumActions; ++b) {
            const GateResult g = p.Evaluate(Req(Human(kAlice, kTeamA), static_cast<Action>(b), *c.target), nullptr, nullptr);
            const bool applies = c.covered && a == b;
            SCOPED_TRACE(std::string(ActionName(static_cast<Action>(a))) + " " + ModeName(mode) + " scope " +
                         std::to_string(static_cast<int>(scope)) + " asked " + std::string(ActionName(static_cast<Action>(b))));
            EXPECT_EQ(g.verdict, applies ? ruled : Verdict::kDeny);
            EXPECT_EQ(g.rule, applies ? 0 : kNoRule);
            if (applies && mode == Mode::kAsk) {
              EXPECT_EQ(g.approver, kOnCall);
            }
            ++cases;
          }
        }
      }
    }
  }
  EXPECT_EQ(cases, kNumActions * 3 * 3 * 3 * kNumActions);
}

TEST(PolicyTest, DenyOverridesAllowWhateverTheOrder) {
  Rule allow;
  allow.action = Action::kDeployProd;
  allow.mode = Mode::kAllow;
  Rule deny = allow;
  deny.mode = Mode::kDeny;
  deny.scope = Scope::kTeam;
  for (bool deny_first : {false, true}) {
    Policy p = MustCompile(deny_first ? std::vector<Rule>{deny, allow} : std::vector<Rule>{allow, deny});
    const GateResult mine = p.Evaluate(Req(Human(kAlice, kTeamA), Action::kDeployProd, OwnedBy(kBob, kTeamA)), nullptr, nullptr);
    EXPECT_EQ(mine.verdict, Verdict::kDeny);
    EXPECT_EQ(mine.rule, deny_first ? 0 : 1);
    const GateResult theirs = p.Evaluate(Req(Human(kAlice, kTeamA), Action::kDeployProd, OwnedBy(kCarol, kTeamB)), nullptr, nullptr);
    EXPECT_EQ(theirs.verdict, Verdict::kAllow);
  }
}

TEST(PolicyTest, AllowBeatsAskAndExhaustedAllowFallsBackToAskThenRateLimited) {
  Rule ask;
  ask.action = Action::kEmailSendExternal;
  ask.mode = Mode::kAsk;
  ask.approver = kOnCall;
  ask.rate_max_requests = 1;
  Rule allow = ask;
  allow.mode = Mode::kAllow;
  allow.rate_max_requests = 2;
  Policy p = MustCompile({ask, allow});
  RateState rates = p.MakeRateState();
  ASSERT_EQ(rates.counters.size(), 2u);
  const GateRequest r = Req(Human(kAlice, kTeamA), Action::kEmailSendExternal, OwnedBy(kCarol, kTeamB));
  EXPECT_EQ(p.Decide(r, nullptr, &rates).verdict, Verdict::kAllow);
  EXPECT_EQ(p.Decide(r, nullptr, &rates).verdict, Verdict::kAllow);
  const GateResult third = p.Decide(r, nullptr, &rates);
  EXPECT_EQ(third.verdict, Verdict::kAsk);  // allow's budget is spent; ask still has room
  EXPECT_EQ(third.rule, 0);
  EXPECT_EQ(p.Decide(r, nullptr, &rates).verdict, Verdict::kRateLimited);
  EXPECT_EQ(p.Decide(r, nullptr, &rates).verdict, Verdict::kRateLimited);  // refusals consume nothing
  // The next aligned hour starts afresh.
  GateRequest later = r;
  later.now_us = 11 * kUsPerHour;
  EXPECT_EQ(p.Decide(later, nullptr, &rates).verdict, Verdict::kAllow);
}

TEST(PolicyTest, EvaluateConsumesNothing) {
  Rule allow;
  allow.action = Action::kChatPost;
  allow.mode = Mode::kAllow;
  allow.rate_max_requests = 1;
  Policy p = MustCompile({allow});
  RateState rates = p.MakeRateState();
  const GateRequest r = Req(Human(kAlice, kTeamA), Action::kChatPost, Target{});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(p.Evaluate(r, nullptr, &rates).verdict, Verdict::kAllow);
  EXPECT_EQ(p.Decide(r, nullptr, &rates).verdict, Verdict::kAllow);
  EXPECT_EQ(p.Decide(r, nullptr, &rates).verdict, Verdict::kRateLimited);
}

TEST(PolicyTest, WorkingHoursFreezeAndBlastRadiusConditions) {
  Rule prod;
  prod.action = Action::kDeployProd;
  prod.mode = Mode::kAllow;
  prod.hours = HoursCondition::kWorkingHoursOnly;
  prod.freeze = FreezeCondition::kOutsideFreezeOnly;
  prod.max_transitive_dependents = 3;
  Policy p = MustCompile({prod});
  Target svc{7, kNoId, kTeamA, 3, false};
  const Actor alice = Human(kAlice, kTeamA);
  EXPECT_EQ(p.Evaluate(Req(alice, Action::kDeployProd, svc), nullptr, nullptr).verdict, Verdict::kAllow);
  // Monday 20:00, Saturday 10:00: off hours.
  EXPECT_EQ(p.Evaluate(Req(alice, Action::kDeployProd, svc, 20 * kUsPerHour), nullptr, nullptr).verdict, Verdict::kDeny);
  EXPECT_EQ(p.Evaluate(Req(alice, Action::kDeployProd, svc, 5 * engine::kUsPerDay + kMonday10), nullptr, nullptr).verdict,
            Verdict::kDeny);
  Target frozen = svc;
  frozen.in_freeze = true;
  EXPECT_EQ(p.Evaluate(Req(alice, Action::kDeployProd, frozen), nullptr, nullptr).verdict, Verdict::kDeny);
  Target wide = svc;
  wide.transitive_dependents = 4;
  EXPECT_EQ(p.Evaluate(Req(alice, Action::kDeployProd, wide), nullptr, nullptr).verdict, Verdict::kDeny);
}

TEST(PolicyTest, DenyRuleWithInFreezeConditionOnlyBitesInAFreeze) {
  Rule allow;
  allow.action = Action::kDeployStaging;
  allow.mode = Mode::kAllow;
  Rule freeze_deny = allow;
  freeze_deny.mode = Mode::kDeny;
  freeze_deny.freeze = FreezeCondition::kInFreezeOnly;
  freeze_deny.hours = HoursCondition::kOffHoursOnly;
  Policy p = MustCompile({allow, freeze_deny});
  Target svc{7, kNoId, kTeamA, 0, true};
  const Actor alice = Human(kAlice, kTeamA);
  EXPECT_EQ(p.Evaluate(Req(alice, Action::kDeployStaging, svc), nullptr, nullptr).verdict, Verdict::kAllow);  // working hours
  EXPECT_EQ(p.Evaluate(Req(alice, Action::kDeployStaging, svc, 22 * kUsPerHour), nullptr, nullptr).verdict, Verdict::kDeny);
  svc.in_freeze = false;
  EXPECT_EQ(p.Evaluate(Req(alice, Action::kDeployStaging, svc, 22 * kUsPerHour), nullptr, nullptr).verdict, Verdict::kAllow);
}

TEST(PolicyTest, PrincipalPatternsMatchRoleTeamEmployeeProfileAndAgent) {
  auto rule = [](auto set) {
    Rule r;
    r.action = Action::kChatRead;
    r.mode = Mode::kAllow;
    set(r);
    return r;
  };
  // Owner rights for everyone, so only the agent-side patterns decide for agents.
  Rule humans = rule([](Rule& r) { r.principal_type = PrincipalType::kHuman; });
  const Target t{};
  struct Case {
    Rule r;
    Actor yes, no;
  };
  const Case cases[] = {
      {rule([](Rule& r) { r.role = 2; }), Human(kAlice, kTeamA, 2), Human(kAlice, kTeamA, 1)},
      {rule([](Rule& r) { r.team = kTeamB; }), Human(kCarol, kTeamB), Human(kAlice, kTeamA)},
      {rule([](Rule& r) { r.employee = kBob; }), Human(kBob, kTeamA), Human(kAlice, kTeamA)},
      {rule([](Rule& r) { r.principal_type = PrincipalType::kHuman; }), Human(kAlice, kTeamA), AgentOf(kAlice, kTeamA)},
  };
  for (const Case& c : cases) {
    Policy p = MustCompile({c.r});
    EXPECT_EQ(p.Evaluate(Req(c.yes, Action::kChatRead, t), nullptr, nullptr).verdict, Verdict::kAllow);
    EXPECT_EQ(p.Evaluate(Req(c.no, Action::kChatRead, t), nullptr, nullptr).verdict, Verdict::kDeny);
  }
  const Case agent_cases[] = {
      {rule([](Rule& r) { r.profile = 5; }), AgentOf(kAlice, kTeamA, 100, 5), AgentOf(kAlice, kTeamA, 100, 6)},
      {rule([](Rule& r) { r.agent = 101; }), AgentOf(kAlice, kTeamA, 101), AgentOf(kAlice, kTeamA, 100)},
      {rule([](Rule& r) { r.principal_type = PrincipalType::kAgent; }), AgentOf(kAlice, kTeamA), Human(kAlice, kTeamA)},
  };
  for (const Case& c : agent_cases) {
    Policy p = MustCompile({c.r, humans});
    EXPECT_EQ(p.Evaluate(Req(c.yes, Action::kChatRead, t), nullptr, nullptr).verdict, Verdict::kAllow);
    // The human is allowed by `humans`; compare the agent with a non-matching agent instead.
    if (c.no.agent != kNoId) {
      EXPECT_EQ(p.Evaluate(Req(c.no, Action::kChatRead, t), nullptr, nullptr).verdict, Verdict::kDeny);
    }
  }
}

TEST(PolicyTest, OwnerBoundAgentNeverExceedsItsOwner) {
  Rule agents_allow;  // every agent may deploy to prod...
  agents_allow.principal_type = PrincipalType::kAgent;
  agents_allow.action = Action::kDeployProd;
  agents_allow.mode = Mode::kAllow;
  Rule devs_allow = agents_allow;  // ...but only developers (role 0) may, as humans
  devs_allow.principal_type = PrincipalType::kHuman;
  devs_allow.role = 0;
  Policy p = MustCompile({agents_allow, devs_allow});
  const Target svc{7, kNoId, kTeamA, 0, false};
  Actor dev_agent = AgentOf(kAlice, kTeamA);
  Actor manager_agent = AgentOf(kCarol, kTeamB);
  manager_agent.role = 1;
  EXPECT_EQ(p.Evaluate(Req(dev_agent, Action::kDeployProd, svc), nullptr, nullptr).verdict, Verdict::kAllow);
  const GateResult bounded = p.Evaluate(Req(manager_agent, Action::kDeployProd, svc), nullptr, nullptr);
  EXPECT_EQ(bounded.verdict, Verdict::kDeny);
  EXPECT_EQ(bounded.rule, kNoRule);  // the owner has no applicable rule: default deny
}

TEST(PolicyTest, OwnerBoundTakesTheStricterModeAndTheRightApprover) {
  Rule agent_ask;
  agent_ask.principal_type = PrincipalType::kAgent;
  agent_ask.action = Action::kEmailSendExternal;
  agent_ask.mode = Mode::kAsk;  // approver: the agent's owner
  Rule owner_allow = agent_ask;
  owner_allow.principal_type = PrincipalType::kHuman;
  owner_allow.mode = Mode::kAllow;
  const Target t{0, kNoId, kNoId, 0, false};
  {
    Policy p = MustCompile({agent_ask, owner_allow});
    const GateResult g = p.Evaluate(Req(AgentOf(kAlice, kTeamA), Action::kEmailSendExternal, t), nullptr, nullptr);
    EXPECT_EQ(g.verdict, Verdict::kAsk);
    EXPECT_EQ(g.approver, kAlice);
    EXPECT_EQ(g.rule, 0);
  }
  {
    Rule agent_allow = agent_ask;
    agent_allow.mode = Mode::kAllow;
    Rule owner_ask = owner_allow;
    owner_ask.mode = Mode::kAsk;
    owner_ask.approver = kOnCall;
    Policy p = MustCompile({agent_allow, owner_ask});
    const GateResult g = p.Evaluate(Req(AgentOf(kAlice, kTeamA), Action::kEmailSendExternal, t), nullptr, nullptr);
    EXPECT_EQ(g.verdict, Verdict::kAsk);
    EXPECT_EQ(g.approver, kOnCall);
    EXPECT_EQ(g.rule, 1);
  }
}

TEST(PolicyTest, OwnerRateBudgetIsSharedWithTheirAgents) {
  Rule owner;
  owner.principal_type = PrincipalType::kHuman;
  owner.action = Action::kChatPost;
  owner.mode = Mode::kAllow;
  owner.rate_max_requests = 3;
  Rule agents = owner;
  agents.principal_type = PrincipalType::kAgent;
  agents.rate_max_requests = 0;
  Policy p = MustCompile({owner, agents});
  RateState alice_rates = p.MakeRateState();
  RateState agent1 = p.MakeRateState();
  RateState agent2 = p.MakeRateState();
  const Target t{};
  EXPECT_EQ(p.Decide(Req(Human(kAlice, kTeamA), Action::kChatPost, t), nullptr, &alice_rates).verdict, Verdict::kAllow);
  EXPECT_EQ(p.Decide(Req(AgentOf(kAlice, kTeamA, 100), Action::kChatPost, t), &agent1, &alice_rates).verdict, Verdict::kAllow);
  EXPECT_EQ(p.Decide(Req(AgentOf(kAlice, kTeamA, 101), Action::kChatPost, t), &agent2, &alice_rates).verdict, Verdict::kAllow);
  EXPECT_EQ(p.Decide(Req(AgentOf(kAlice, kTeamA, 101), Action::kChatPost, t), &agent2, &alice_rates).verdict,
            Verdict::kRateLimited);
  EXPECT_EQ(p.Decide(Req(Human(kAlice, kTeamA), Action::kChatPost, t), nullptr, &alice_rates).verdict, Verdict::kRateLimited);
}

TEST(PolicyTest, AgentRateLimitIsPerAgent) {
  Rule owner;
  owner.principal_type = PrincipalType::kHuman;
  owner.action = Action::kChatPost;
  owner.mode = Mode::kAllow;
  Rule agents = owner;
  agents.principal_type = PrincipalType::kAgent;
  agents.rate_max_requests = 1;
  agents.rate_window_us = 10 * kUsPerMinute;
  Policy p = MustCompile({owner, agents});
  RateState alice_rates = p.MakeRateState(), a1 = p.MakeRateState(), a2 = p.MakeRateState();
  const Target t{};
  EXPECT_EQ(p.Decide(Req(AgentOf(kAlice, kTeamA, 100), Action::kChatPost, t), &a1, &alice_rates).verdict, Verdict::kAllow);
  EXPECT_EQ(p.Decide(Req(AgentOf(kAlice, kTeamA, 100), Action::kChatPost, t), &a1, &alice_rates).verdict, Verdict::kRateLimited);
  EXPECT_EQ(p.Decide(Req(AgentOf(kAlice, kTeamA, 101), Action::kChatPost, t), &a2, &alice_rates).verdict, Verdict::kAllow);
}

TEST(PolicyTest, CompileRejectsContradictoryRulesWithAClearMessage) {
  Rule deny_rate;
  deny_rate.name = "no-mail";
  deny_rate.action = Action::kEmailRead;
  deny_rate.mode = Mode::kDeny;
  deny_rate.rate_max_requests = 5;
  Rule human_ask;
  human_ask.action = Action::kDeployProd;
  human_ask.mode = Mode::kAsk;
  Rule human_profile;
  human_profile.principal_type = PrincipalType::kHuman;
  human_profile.profile = 3;
  WorkCalendar bad_cal;
  bad_cal.end_hour = 8;
  Policy p;
  Status s = Policy::Compile({deny_rate}, WorkCalendar{}, &p);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("policy rule 0 \"no-mail\" (email.read, deny)"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("rate"), std::string::npos);
  s = Policy::Compile({human_ask}, WorkCalendar{}, &p);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("approver"), std::string::npos) << s.message();
  s = Policy::Compile({human_profile}, WorkCalendar{}, &p);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("principal_type agent"), std::string::npos) << s.message();
  s = Policy::Compile({}, bad_cal, &p);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("end_hour"), std::string::npos) << s.message();
}

TEST(ActionTest, NamesRoundTrip) {
  for (const ActionInfo& info : kActionTable) {
    Action a = Action::kCount;
    ASSERT_TRUE(ParseAction(info.name, &a)) << info.name;
    EXPECT_EQ(a, info.action);
    EXPECT_EQ(ActionName(a), info.name);
  }
  Action a = Action::kEmailRead;
  EXPECT_FALSE(ParseAction("email.delete", &a));
  EXPECT_EQ(a, Action::kEmailRead);
}

}  // namespace
}  // namespace clawsim::services
