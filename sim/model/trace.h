// Trace spans: what the model hands the run file for the viewer's timeline and for following
// a harm back to its origin. Plain values; the run file's writer turns them into its records
// (sim/run/run_info.h's Span, whose kinds and cause kinds these numbers match).
//
// Ids are deterministic and unique over a run: a span's is (its LP << 40) | the LP's span
// counter (incidents: (service LP << 40) | 1 << 39 | incident index); an audit record's is
// services::AuditRecord::id(); a work item's is ItemId(owner, kind, ref); a deploy's is the
// service's request id.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario/compiled_scenario.h"

namespace clawsim::services {
struct ChangeSpec;  // mock_services/deploy_service.h
}  // namespace clawsim::services

namespace clawsim::model {

enum class SpanKind : uint8_t { kHumanTask = 1, kAgentInvocation = 2, kPipelineStage = 3, kIncident = 4 };
// kAttack: an attack source (its index in the run's attack-source table, threats.h) or a
// compromised session (threats.h SessionId: bit 62 set, source << 32 | agent id).
enum class CauseKind : uint8_t { kNone = 0, kItem = 1, kSpan = 2, kAudit = 3, kDeploy = 4, kAttack = 5 };

inline constexpr uint32_t kNoSpanIndex = UINT32_MAX;
inline constexpr uint64_t kNoSpanId = UINT64_MAX;

struct SpanCause {
  CauseKind kind = CauseKind::kNone;
  uint64_t id = 0;
};

struct TraceSpan {
  SpanKind kind = SpanKind::kHumanTask;
  uint64_t id = 0;
  int64_t start_us = 0;
  int64_t end_us = 0;
  uint32_t employee = kNoSpanIndex;   // the person (or the agent's owner)
  uint32_t agent = kNoSpanIndex;      // agent id
  uint32_t service = kNoSpanIndex;    // service index
  uint32_t name = kNoSpanIndex;       // index into SpanNames()
  uint32_t trigger = kNoSpanIndex;    // model::Trigger
  uint32_t purpose = kNoSpanIndex;    // model::Purpose
  uint32_t outcome = kNoSpanIndex;    // services::Outcome for actions, kOutcomeInjected; 0 passed / 1 failed for stages
  uint32_t route = kNoSpanIndex;      // an injected invocation: how the injection reached it (InjectionRoute)
  uint32_t tier = kNoSpanIndex;       // the model tier an invocation ran on
  uint32_t defect_origin = kNoSpanIndex;  // an incident rooted in a change: DefectOrigin of the root's change
  uint64_t item_id = kNoSpanId;
  uint64_t deploy_id = kNoSpanId;
  uint64_t input_tokens = 0;
  uint64_t output_tokens = 0;
  double cost_usd = 0;
  SpanCause causes[2];
};

// An invocation that followed a prompt injection: its outcome, after services::Outcome's
// values in the run file's outcome table ("injected").
inline constexpr uint32_t kOutcomeInjected = 6;

// How an injection reached the agent that read it.
enum class InjectionRoute : uint8_t { kTriage = 0, kBriefing = 1, kChannelPaste = 2, kForward = 3, kMemory = 4 };
// "triage", "briefing", "channel_paste", "forward", "memory", by InjectionRoute.
std::vector<std::string> InjectionRouteNames();
// scenario::AttackGoal's names: "exfiltrate", "post_chat", "trigger_deploy", "persist".
std::vector<std::string> AttackGoalNames();

// One injection email that landed in a mailbox: the attacker's own or a colleague's forward.
struct InjectionRecord {
  uint64_t item_id = 0;
  int64_t time_us = 0;  // simulated microseconds
  uint32_t employee = 0;
  uint32_t source = 0;  // attack source (the campaign)
  uint32_t goal = 0;    // scenario::AttackGoal
  bool detected = false;
  bool forwarded = false;
  // A forwarded copy: the colleague who forwarded it and when they sent it (their
  // email.send_internal audit record at that time cites the original's item).
  uint32_t forwarded_by = kNoSpanIndex;
  int64_t forwarded_at_us = 0;
};

// Where the defect behind an incident came from: the change that caused its root incident
// (for a spread incident, the root's). The same classification as IncidentOrigins
// (metrics.h); who deployed the change is a separate fact (the deploy's audit record).
enum class DefectOrigin : uint8_t {
  kPersonChange = 0,        // a defect in a change a person wrote
  kAgentWrittenChange = 1,  // a defect code help put in
  kAgentActionError = 2,    // an agent's wrong deploy action
  kInjection = 3,           // an attacker's change shipped by an injected agent
  kCompromise = 4,          // ... by a compromised session
  kMaliciousSkill = 5,      // ... by a malicious skill
};
// "person_change", "agent_written_change", "agent_action_error", "injection", "compromise",
// "malicious_skill", by DefectOrigin (the run file's RunHeader.defect_origin_names).
std::vector<std::string> DefectOriginNames();
// The origin of a change's defect (the change caused an incident).
DefectOrigin DefectOriginOf(const services::ChangeSpec& change);

// Work item kinds in item ids.
enum class ItemKind : uint32_t { kMail = 1, kChat = 2, kChange = 3, kBacklogTask = 4, kAsk = 5 };
inline uint64_t ItemId(uint32_t owner, ItemKind kind, uint32_t ref) {
  return (uint64_t{owner} << 32) | (uint64_t{static_cast<uint32_t>(kind)} << 28) | (ref & 0x0fffffffu);
}

// The name table spans index: human task kinds, "heartbeat" (a quiet cycle),
// "consolidation", "checklist padding", the skills, the pipeline stages, the severities.
std::vector<std::string> SpanNames(const scenario::CompiledScenario& sc);
inline constexpr uint32_t kSpanNameQuietHeartbeat = 10;
inline constexpr uint32_t kSpanNameConsolidation = 11;
inline constexpr uint32_t kSpanNamePadding = 12;
inline constexpr uint32_t kSpanNameFirstSkill = 13;
inline uint32_t SpanNameOfSkill(scenario::SkillId skill) { return kSpanNameFirstSkill + skill; }
inline uint32_t SpanNameOfStage(const scenario::CompiledScenario& sc, int stage) {
  return kSpanNameFirstSkill + static_cast<uint32_t>(sc.skills.size()) + static_cast<uint32_t>(stage);
}
inline uint32_t SpanNameOfSeverity(const scenario::CompiledScenario& sc, int severity /* 1..4 */) {
  return kSpanNameFirstSkill + static_cast<uint32_t>(sc.skills.size()) + 4 + static_cast<uint32_t>(severity - 1);
}

}  // namespace clawsim::model
