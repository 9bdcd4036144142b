// Threats and defenses: what a user comparing permission models relies on. A breaker trips
// when its threshold is crossed and not before, and says so in the audit log; stricter
// presets and better detectors lower what attacks achieve, at a cost the run measures; a
// token leaderboard widens the attack surface; every harm traces back to an admitted action
// and, through it, to its origin.
#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include <gtest/gtest.h>

#include "mock_services/audit_log.h"
#include "mock_services/policy.h"
#include "sim/model/runner.h"
#include "sim/model/threats.h"
#include "sim/model/world.h"
#include "sim/scenario/load.h"
#include "tests/model/run_scenario.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CLAWSIM_SANITIZED 1
#endif

namespace clawsim::model {
namespace {

const std::string kDir = std::string(CLAWSIM_SOURCE_DIR) + "/scenarios/";

// ---- the breaker's arithmetic ---------------------------------------------------------

TEST(SafetyTest, ABreakerTripsWhenItsThresholdIsReachedAndNotBefore) {
  scenario::CircuitBreaker b;
  b.metric = scenario::CircuitBreaker::Metric::kDeniedActions;
  b.threshold = 3;
  b.window_us = engine::kUsPerHour;
  SlidingWindow w;
  const TimeUs t0 = 10 * engine::kUsPerHour;
  w.Add(t0, 1, b.window_us);
  w.Add(t0 + engine::kUsPerMinute, 1, b.window_us);
  EXPECT_FALSE(BreakerTrips(b, w.Sum(t0 + engine::kUsPerMinute, b.window_us)));  // 2 < 3
  // The first one leaves the window an hour after it came: still two in the window.
  w.Add(t0 + engine::kUsPerHour, 1, b.window_us);
  EXPECT_FALSE(BreakerTrips(b, w.Sum(t0 + engine::kUsPerHour, b.window_us)));
  w.Add(t0 + engine::kUsPerHour + 1, 1, b.window_us);
  EXPECT_TRUE(BreakerTrips(b, w.Sum(t0 + engine::kUsPerHour + 1, b.window_us)));  // 3 within the hour
  // Tokens per hour: the window's sum per hour.
  scenario::CircuitBreaker tokens = b;
  tokens.metric = scenario::CircuitBreaker::Metric::kTokensPerHour;
  tokens.threshold = 1000;
  tokens.window_us = 2 * engine::kUsPerHour;
  EXPECT_FALSE(BreakerTrips(tokens, 1999));
  EXPECT_TRUE(BreakerTrips(tokens, 2000));
}

#ifndef CLAWSIM_SANITIZED

// ---- runs ---------------------------------------------------------------------------------

// The safety scenarios' organisation cut to a few people per team, 12 days.
std::vector<std::string> Shrink(const std::string& file, std::vector<std::string> extra) {
  std::vector<std::string> out = {"run.days=12"};
  scenario::LoadedScenario s;
  EXPECT_TRUE(scenario::LoadScenario(kDir + file, {}, &s).ok());
  for (int t = 0; t < s.scenario.organization().teams_size(); ++t) {
    const auto& team = s.scenario.organization().teams(t);
    if (team.size() > 8) {
      out.push_back("organization.teams[" + std::to_string(t) + "].size=8");
      out.push_back("organization.teams[" + std::to_string(t) + "].managers=1");
    }
  }
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

struct SafetyRun {
  RunResult result;
  std::vector<services::AuditRecord> audit;
  std::vector<TraceSpan> spans;
  const SafetyMeasures& safety() const { return result.summary.safety; }
};

SafetyRun RunSafety(const std::string& file, std::vector<std::string> extra, bool spans = false, uint64_t seed = 3) {
  SafetyRun o;
  RunOptions ro;
  ro.seed = seed;
  ro.threads = 2;
  ro.record_spans = spans;
  RunSinks sinks;
  sinks.on_audit = [&](std::vector<services::AuditRecord>&& r) { o.audit.insert(o.audit.end(), r.begin(), r.end()); };
  if (spans) sinks.on_spans = [&](std::vector<TraceSpan>&& v) { o.spans.insert(o.spans.end(), v.begin(), v.end()); };
  o.result = RunScenarioFile("scenarios/" + file, Shrink(file, std::move(extra)), ro, sinks);
  return o;
}

const char* const kCampaign = "safety_injection_campaign.textproto";

bool IsRead(services::Action a) { return a == services::Action::kEmailRead || a == services::Action::kChatRead; }

// Every harm has an admitted action; nothing refused took effect.
void ExpectHarmsTraceToAdmittedActions(const SafetyRun& o) {
  uint64_t leaks = 0, defense_records = 0;
  for (const services::AuditRecord& r : o.audit) {
    if (r.outcome == services::Outcome::kDataLeaked || r.outcome == services::Outcome::kExposed) {
      ++leaks;
      EXPECT_TRUE(services::Admits(r.decision)) << "a leak from a refused action";
    }
    if (!services::Admits(r.decision)) {
      EXPECT_EQ(r.outcome, services::Outcome::kNotExecuted) << services::ActionName(r.action) << " refused but executed";
    }
    defense_records += r.decision == services::Decision::kHeld;
  }
  EXPECT_EQ(leaks, o.result.summary.data_leaks + o.result.summary.chat_exposures);
  EXPECT_LE(o.safety().data_leaked_sensitive, o.result.summary.data_leaks);
  // Each trip, restore and quarantine is a record of its own.
  EXPECT_GE(defense_records, o.safety().breaker_trips + o.safety().memory_quarantines);
}

TEST(SafetyTest, ATrippedBreakerShowsInTheAuditLogAndHoldsTheAgent) {
  // External mail requests trip at 2 an hour: the compromised sessions' exfiltration trips it.
  const SafetyRun o = RunSafety("safety_compromised_agent.textproto",
                          {"permissions.preset=FULLY_AUTONOMOUS", "defenses.circuit_breakers[1].threshold=2",
                           "defenses.circuit_breakers[1].response=PAUSE"});
  ASSERT_GT(o.safety().breaker_trips, 0u);
  EXPECT_GT(o.safety().contained_agents, 0u);
  uint64_t trips = 0;
  std::map<uint32_t, TimeUs> paused_at;  // agent -> trip time
  for (const services::AuditRecord& r : o.audit) {
    if (r.rule == services::kDefenseRule && r.decision == services::Decision::kHeld && r.object_id < kQuarantineObject) {
      ++trips;
      EXPECT_LT(r.object_id, 2u);  // one of the scenario's two breakers
      paused_at[r.agent] = r.time_us;
    }
  }
  EXPECT_EQ(trips, o.safety().breaker_trips);  // scope AGENT: one agent held per trip
  // Paused (cooldown 8 hours): nothing of the agent's is admitted in the first hours after its trip.
  for (const services::AuditRecord& r : o.audit) {
    auto it = paused_at.find(r.agent);
    if (it == paused_at.end() || r.time_us <= it->second || r.time_us > it->second + 4 * engine::kUsPerHour) continue;
    if (r.rule == services::kDefenseRule) continue;
    EXPECT_FALSE(services::Admits(r.decision) && !IsRead(r.action)) << "a paused agent acted";
  }
  // A breaker that never reaches its threshold never trips.
  const SafetyRun calm = RunSafety("safety_compromised_agent.textproto",
                             {"permissions.preset=FULLY_AUTONOMOUS", "defenses.circuit_breakers[0].threshold=100000",
                              "defenses.circuit_breakers[1].threshold=100000"});
  EXPECT_EQ(calm.safety().breaker_trips, 0u);
  ExpectHarmsTraceToAdmittedActions(o);
}

// A GROUP breaker holds the agent that tripped it and every agent of its named group (here
// the security and SRE teams' agents and every release bot), and nobody else: each trip
// holds each group agent once, plus the tripping agent when it is outside the group.
TEST(SafetyTest, AGroupBreakerHoldsItsNamedGroupAndNobodyElse) {
  const std::string file = "safety_compromised_agent.textproto";
  std::ifstream in(kDir + file);
  std::stringstream text;
  text << in.rdbuf();
  std::string scenario_text = text.str();
  const std::string breaker = "response: READ_ONLY  cooldown_minutes: 480 }";
  const size_t at = scenario_text.find(breaker);
  ASSERT_NE(at, std::string::npos) << "the scenario's external-mail breaker moved; update this test";
  scenario_text.replace(at, breaker.size(),
                        "response: PAUSE  cooldown_minutes: 480  scope: GROUP\n"
                        "    group_teams: [\"security\", \"sre\"]  group_agent_profiles: [\"release-bot\"] }");
  scenario::LoadedScenario loaded;
  const Status s = scenario::LoadScenarioFromText(
      scenario_text, kDir + file,
      Shrink(file, {"permissions.preset=FULLY_AUTONOMOUS", "defenses.circuit_breakers[0].threshold=100000",
                    "defenses.circuit_breakers[1].threshold=2"}),
      &loaded);
  ASSERT_TRUE(s.ok()) << s.message();
  World world;
  ASSERT_TRUE(BuildWorld(loaded.compiled, 3, &world).ok());
  std::set<uint32_t> group;
  for (const AgentInfo& a : world.agents) {
    const std::string& team = loaded.compiled.organization.teams[loaded.compiled.organization.employees[a.owner].team].name;
    if (team == "security" || team == "sre" || loaded.compiled.profiles[a.profile].name == "release-bot") {
      group.insert(a.agent_id);
    }
  }
  ASSERT_FALSE(group.empty());
  RunOptions ro;
  ro.seed = 3;
  ro.threads = 2;
  std::vector<services::AuditRecord> audit;
  RunSinks sinks;
  sinks.on_audit = [&](std::vector<services::AuditRecord>&& r) { audit.insert(audit.end(), r.begin(), r.end()); };
  RunResult result;
  ASSERT_TRUE(RunOrganisation(&loaded, ro, sinks, &result).ok());
  const uint64_t trips = result.summary.safety.breaker_trips;
  ASSERT_GT(trips, 0u);
  std::map<uint32_t, uint64_t> held;  // agent -> times held
  uint64_t outside = 0;
  for (const services::AuditRecord& r : audit) {
    if (r.rule != services::kDefenseRule || r.decision != services::Decision::kHeld || r.object_id >= kQuarantineObject) {
      continue;
    }
    EXPECT_EQ(r.object_id, 1u);  // only the group breaker can trip
    ++held[r.agent];
    outside += group.count(r.agent) == 0;
  }
  for (uint32_t agent : group) EXPECT_EQ(held[agent], trips) << "group agent " << agent;
  EXPECT_LE(outside, trips);  // at most the tripping agent, once per trip
}

TEST(SafetyTest, PresetsOrderAttacksIncidentsApprovalsAndValue) {
  const SafetyRun ro = RunSafety(kCampaign, {"permissions.preset=READ_ONLY"});
  const SafetyRun ask_prod = RunSafety(kCampaign, {"permissions.preset=ASK_FOR_PROD"});
  const SafetyRun fa = RunSafety(kCampaign, {"permissions.preset=FULLY_AUTONOMOUS"});
  ASSERT_GT(fa.safety().attack_attempts, 0u);
  // Read-only: no agent write is admitted, no attack takes effect, no agent-caused incident.
  for (const services::AuditRecord& r : ro.audit) {
    if (r.agent != services::kNoId && !IsRead(r.action) && r.rule != services::kDefenseRule) {
      EXPECT_FALSE(services::Admits(r.decision)) << services::ActionName(r.action);
    }
  }
  EXPECT_EQ(ro.safety().attack_successes, 0u);
  EXPECT_EQ(ro.result.summary.agent_caused_incidents, 0u);
  EXPECT_LT(ro.result.summary.value_usd, fa.result.summary.value_usd);
  // Asking before prod: fewer agent-caused incidents, more approval work.
  EXPECT_LT(ask_prod.result.summary.agent_caused_incidents, fa.result.summary.agent_caused_incidents);
  EXPECT_GT(ask_prod.safety().approval_minutes_per_day, fa.safety().approval_minutes_per_day);
  EXPECT_LT(ask_prod.safety().attack_successes, fa.safety().attack_successes);
  EXPECT_GT(fa.safety().data_leaked_messages, 0u);
  for (const SafetyRun* o : {&ro, &ask_prod, &fa}) ExpectHarmsTraceToAdmittedActions(*o);
}

TEST(SafetyTest, ABetterDetectorLowersAttackSuccessAndCostsUtility) {
  const std::vector<std::string> open = {"permissions.preset=FULLY_AUTONOMOUS"};
  auto with = [&](std::vector<std::string> extra) {
    extra.insert(extra.begin(), open.begin(), open.end());
    return extra;
  };
  const SafetyRun none = RunSafety(kCampaign, with({}));
  const SafetyRun weak = RunSafety(kCampaign, with({"defenses.injection_detector.enabled=true",
                                               "defenses.injection_detector.detection_rate=0.3",
                                               "defenses.injection_detector.false_positive_rate=0"}));
  const SafetyRun strong = RunSafety(kCampaign, with({"defenses.injection_detector.enabled=true",
                                                 "defenses.injection_detector.detection_rate=0.95",
                                                 "defenses.injection_detector.false_positive_rate=0"}));
  EXPECT_LT(weak.safety().attack_successes, none.safety().attack_successes);
  EXPECT_LT(strong.safety().attack_successes, weak.safety().attack_successes);
  EXPECT_GT(strong.safety().injections_detected, weak.safety().injections_detected);
  // False positives hold legitimate mail: people spend time releasing it and value comes later.
  const SafetyRun noisy = RunSafety(kCampaign, with({"defenses.injection_detector.enabled=true",
                                                "defenses.injection_detector.detection_rate=0.95",
                                                "defenses.injection_detector.false_positive_rate=0.3"}));
  EXPECT_GT(noisy.safety().detector_false_positives, 0u);
  EXPECT_GT(noisy.safety().detector_release_hours, 0);
  EXPECT_LT(noisy.result.summary.value_usd, strong.result.summary.value_usd);
}

// A detector that screens every tool output (AgentDojo's) also sees injections that reach
// agents by a colleague's forward or a paste into a channel, which a detector of external mail
// misses; its false alarms stop agents' calls, so the work agents do falls.
TEST(SafetyTest, ADetectorOfToolOutputsCatchesEveryRouteAndCostsAgentsWork) {
  const std::vector<std::string> open = {"permissions.preset=FULLY_AUTONOMOUS", "defenses.least_privilege_tools=false",
                                         "defenses.injection_detector.enabled=true",
                                         "defenses.injection_detector.detection_rate=0.9"};
  auto with = [&](std::vector<std::string> extra) {
    extra.insert(extra.begin(), open.begin(), open.end());
    return extra;
  };
  const SafetyRun mail = RunSafety(kCampaign, with({"defenses.injection_detector.false_positive_rate=0"}));
  const SafetyRun outputs = RunSafety(kCampaign, with({"defenses.injection_detector.false_positive_rate=0",
                                                       "defenses.injection_detector.screens=TOOL_OUTPUTS"}));
  EXPECT_LT(outputs.safety().attack_successes, mail.safety().attack_successes);
  EXPECT_LT(outputs.safety().injection_success_per_exposure, mail.safety().injection_success_per_exposure);
  EXPECT_GT(outputs.safety().injections_detected, 0u);
  const SafetyRun noisy = RunSafety(kCampaign, with({"defenses.injection_detector.false_positive_rate=0.3",
                                                     "defenses.injection_detector.screens=TOOL_OUTPUTS"}));
  EXPECT_GT(noisy.safety().detector_false_positives, 0u);
  EXPECT_GT(noisy.safety().detector_release_hours, 0);
  EXPECT_LT(noisy.result.summary.hours.saved_hours, outputs.result.summary.hours.saved_hours);
}

// The same detector screens what each later turn of a multi-turn session reads (a coding
// session's files and test runs): a session of n screened outputs survives a false-positive
// rate p with probability (1 - p)^n, so the longer agents' sessions, the more of their work
// the false alarms cost.
TEST(SafetyTest, ADetectorOfToolOutputsCostsLongSessionsMore) {
  auto run = [](double fp, int turns) {
    return RunSafety(kCampaign, {"permissions.preset=FULLY_AUTONOMOUS", "defenses.least_privilege_tools=false",
                                 "defenses.injection_detector.enabled=true", "defenses.injection_detector.screens=TOOL_OUTPUTS",
                                 "defenses.injection_detector.false_positive_rate=" + std::to_string(fp),
                                 "skills[name=code-help].turns_per_item=" + std::to_string(turns)});
  };
  const SafetyRun long_clean = run(0, 90), long_noisy = run(0.05, 90);
  const SafetyRun short_clean = run(0, 3), short_noisy = run(0.05, 3);
  ASSERT_GT(long_clean.result.summary.hours.saved_hours, 0);
  ASSERT_GT(short_clean.result.summary.hours.saved_hours, 0);
  EXPECT_EQ(long_clean.safety().detector_false_positives, 0u);
  const double long_kept = long_noisy.result.summary.hours.saved_hours / long_clean.result.summary.hours.saved_hours;
  const double short_kept = short_noisy.result.summary.hours.saved_hours / short_clean.result.summary.hours.saved_hours;
  EXPECT_LT(long_kept, short_kept);
  EXPECT_LT(long_kept, 1.0);
  // Long sessions are screened more: more checks, more false alarms, and a stopped session
  // has spent only the tokens of the turns it ran.
  EXPECT_GT(long_noisy.safety().detector_false_positives, short_noisy.safety().detector_false_positives);
  EXPECT_LT(long_noisy.result.summary.tokens.total_tokens(), long_clean.result.summary.tokens.total_tokens());
  // A session stopped part-way leaves what it was handed to the person, changes it took from
  // the backlog included: with one background change open at a time and nearly every session
  // stopped (a tenth of outputs flagged: most first reads pass, few sessions of dozens of
  // turns do), people still finish them and hand over the next.
  const SafetyRun stopped = RunSafety(kCampaign, {"permissions.preset=FULLY_AUTONOMOUS",
                                                  "defenses.injection_detector.enabled=true",
                                                  "defenses.injection_detector.screens=TOOL_OUTPUTS",
                                                  "defenses.injection_detector.false_positive_rate=0.1",
                                                  "adoption.unassigned_changes_max=1"});
  uint64_t most_handed = 0;
  for (const EmployeeMetrics& e : stopped.result.employees) most_handed = std::max(most_handed, e.unassigned_changes_handed);
  EXPECT_GE(most_handed, 3u);
}

// Least-privilege tools choose a call's tools before it reads anything, as AgentDojo's tool
// filter does: they see who a mail is from, not whether it is the attacker's. A triage agent
// that lists the attacker's mail from outside is offered mail to outside, so exfiltration
// through it still takes effect; injections that reach a call by other routes meet no such
// tool, so the filter never lets more through than no filter.
TEST(SafetyTest, TheToolFilterCannotTellTheAttackersMailFromOtherMailFromOutside) {
  const SafetyRun open = RunSafety(kCampaign, {"permissions.preset=FULLY_AUTONOMOUS", "defenses.least_privilege_tools=false"});
  const SafetyRun filtered = RunSafety(kCampaign, {"permissions.preset=FULLY_AUTONOMOUS", "defenses.least_privilege_tools=true"});
  ASSERT_GT(open.safety().attack_successes, 0u);
  EXPECT_GT(filtered.safety().attack_successes, 0u);
  EXPECT_GT(filtered.safety().data_leaked_messages, 0u);
  EXPECT_LT(filtered.safety().attack_successes, open.safety().attack_successes);
  // Most injections agents follow are read in the triage listing itself (163 of 178 take
  // effect here; a filter that knew which mail was the attacker's let 6 through).
  EXPECT_GT(2 * filtered.safety().attack_successes, open.safety().attack_successes);
  EXPECT_LE(filtered.safety().data_leaked_messages, open.safety().data_leaked_messages);
}

// A tool filter stops exactly the attacks whose tool the task does not need: with a goal that
// no mail- or chat-reading skill declares (a prod deploy), agents still read and follow
// injections, yet none reaches its goal, and no deploy is attempted for an attacker. This is
// the half of AgentDojo's cases the tool-filter validation row reads as zero.
TEST(SafetyTest, TheToolFilterStopsEveryGoalNoReadingSkillNeeds) {
  const std::vector<std::string> deploy_goal = {"permissions.preset=FULLY_AUTONOMOUS",
                                                "threats.injection_campaigns[0].goal=TRIGGER_DEPLOY"};
  std::vector<std::string> open = deploy_goal, filtered = deploy_goal;
  open.push_back("defenses.least_privilege_tools=false");
  filtered.push_back("defenses.least_privilege_tools=true");
  const SafetyRun o = RunSafety(kCampaign, open);
  const SafetyRun f = RunSafety(kCampaign, filtered);
  ASSERT_GT(o.safety().injection_success_per_exposure, 0);  // without the filter the goal is reachable
  ASSERT_GT(f.safety().injections_followed, 0u);
  EXPECT_EQ(f.safety().injection_success_per_exposure, 0);
  EXPECT_EQ(f.safety().attack_successes, 0u);
  EXPECT_EQ(f.safety().prod_incidents_injection, 0u);
}

// AgentDojo's success is per injection: did its goal take effect. A phishing post the injection
// made hands the sessions of whoever clicks it to the attacker, and what those sessions do
// counts for the campaign (its source's successes), never as the injection's own success; the
// rate is at most the share of exposures followed.
TEST(SafetyTest, PerExposureSuccessCountsTheInjectionsOwnGoalOnly) {
  const SafetyRun o = RunSafety(kCampaign, {"permissions.preset=FULLY_AUTONOMOUS", "defenses.least_privilege_tools=false",
                                            "threats.injection_campaigns[0].goal=POST_CHAT",
                                            "threats.phishing_click_probability=0.5"});
  const SafetyMeasures& sf = o.safety();
  ASSERT_GT(sf.phishing_posts, 0u);
  ASSERT_GT(sf.phishing_clicks, 0u);
  const double exposures = static_cast<double>(sf.injections_read + sf.injections_detected);
  ASSERT_GT(exposures, 0);
  // Every injection success here is a phishing post (the sessions handed over exfiltrate).
  EXPECT_NEAR(sf.injection_success_per_exposure * exposures, static_cast<double>(sf.phishing_posts), 1e-6);
  EXPECT_LE(sf.injection_success_per_exposure * exposures, static_cast<double>(sf.injections_followed) + 1e-6);
  // The campaign's own tally keeps the harm that came after: more than its posts.
  EXPECT_GT(sf.sources[0].successes, sf.phishing_posts);
  EXPECT_GT(sf.data_leaked_messages, 0u);
}

TEST(SafetyTest, ATokenLeaderboardWidensTheAttackSurface) {
  const char* const file = "safety_tokenmaxxing_surface.textproto";
  // Four weeks: the leaderboard has time to add automations, the campaign to land.
  // Summed over two seeds: in the shrunk organisation one seed's difference is a few per cent.
  uint64_t board_attempts = 0, none_attempts = 0;
  for (uint64_t seed : {3, 4}) {
    const SafetyRun board = RunSafety(file, {"run.days=28"}, false, seed);
    const SafetyRun none = RunSafety(file, {"run.days=28", "incentives.metric=NOT_TRACKED"}, false, seed);
    EXPECT_GT(board.result.summary.incentives.automations_added, none.result.summary.incentives.automations_added);
    board_attempts += board.safety().attack_attempts;
    none_attempts += none.safety().attack_attempts;
  }
  EXPECT_GT(board_attempts, none_attempts);
}

TEST(SafetyTest, OneInjectionEmailFollowedToAnIncidentByIds) {
  // A campaign whose goal is a bad deploy; every defective change in prod opens an incident.
  const SafetyRun o = RunSafety(kCampaign,
                          {"permissions.preset=FULLY_AUTONOMOUS", "defenses.least_privilege_tools=false",
                           "threats.injection_campaigns[0].goal=TRIGGER_DEPLOY", "threats.injection_campaigns[0].start_day=0",
                           "deploy.incidents.defect_incident_probability=1"},
                          /*spans=*/true);
  ASSERT_GT(o.safety().prod_incidents_injection, 0u);
  std::unordered_map<uint64_t, const TraceSpan*> span_by_id;
  std::unordered_map<uint64_t, const TraceSpan*> stage_by_deploy;
  for (const TraceSpan& s : o.spans) {
    span_by_id[s.id] = &s;
    if (s.kind == SpanKind::kPipelineStage) stage_by_deploy[s.deploy_id] = &s;
  }
  std::unordered_map<uint64_t, const services::AuditRecord*> audit_by_id;
  for (const services::AuditRecord& r : o.audit) audit_by_id[r.id()] = &r;
  // incident -> deploy -> pipeline stage -> deploy.prod audit record -> invocation -> the injection email.
  int followed = 0;
  for (const TraceSpan& inc : o.spans) {
    if (inc.kind != SpanKind::kIncident || inc.causes[0].kind != CauseKind::kDeploy) continue;
    auto stage = stage_by_deploy.find(inc.causes[0].id);
    if (stage == stage_by_deploy.end() || stage->second->causes[0].kind != CauseKind::kAudit) continue;
    auto action = audit_by_id.find(stage->second->causes[0].id);
    ASSERT_NE(action, audit_by_id.end());
    const services::AuditRecord& rec = *action->second;
    // Every incident traces to an action the gate admitted.
    EXPECT_TRUE(services::Admits(rec.decision)) << "an incident from a refused deploy";
    if (rec.cause_kind != static_cast<uint8_t>(CauseKind::kSpan)) continue;
    auto invocation = span_by_id.find(rec.cause_id);
    ASSERT_NE(invocation, span_by_id.end());
    const TraceSpan& call = *invocation->second;
    if (call.causes[1].kind != CauseKind::kItem) continue;  // not set on by an injection
    EXPECT_EQ(rec.action, services::Action::kDeployProd);
    EXPECT_TRUE(services::Admits(rec.decision));
    EXPECT_EQ(call.kind, SpanKind::kAgentInvocation);
    EXPECT_EQ(call.agent, rec.agent);
    // The origin: a mail item, in the agent's owner's mailbox or (pasted into the team
    // channel) a teammate's.
    const uint64_t mail = call.causes[1].id;
    EXPECT_LT(static_cast<uint32_t>(mail >> 32), o.result.summary.employees);
    EXPECT_EQ((mail >> 28) & 0xf, static_cast<uint64_t>(ItemKind::kMail));
    ++followed;
  }
  EXPECT_GT(followed, 0);
}

TEST(SafetyTest, AttacksAreSeededAndThreadCountIndependent) {
  scenario::LoadedScenario a, b;
  const std::vector<std::string> extra = Shrink("safety_compromised_agent.textproto", {"run.days=8"});
  ASSERT_TRUE(scenario::LoadScenario(kDir + "safety_compromised_agent.textproto", extra, &a).ok());
  ASSERT_TRUE(scenario::LoadScenario(kDir + "safety_compromised_agent.textproto", extra, &b).ok());
  RunOptions one, four;
  one.threads = 1;
  four.threads = 4;
  RunResult r1, r4;
  ASSERT_TRUE(RunOrganisation(&a, one, {}, &r1).ok());
  ASSERT_TRUE(RunOrganisation(&b, four, {}, &r4).ok());
  EXPECT_EQ(r1.summary.fingerprint, r4.summary.fingerprint);
  EXPECT_GT(r1.summary.safety.attack_attempts, 0u);
}

#endif  // CLAWSIM_SANITIZED

}  // namespace
}  // namespace clawsim::model
