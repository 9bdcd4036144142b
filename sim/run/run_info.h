// What the model hands the run file besides its metrics: which run this is, the name tables
// records refer to, and the audit records, spans and trace events themselves. Plain values,
// no protobuf. How the model emits spans and causes: RUN_FILE.md, "For the model".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/common/status.h"

namespace clawsim::run {

// How much of the run's detail the run file keeps (`clawsim run --trace none|audit|full`).
// Levels are cumulative: audit includes none, full includes audit.
enum class TraceLevel : uint8_t {
  kNone = 0,   // summary and time series only
  kAudit = 1,  // plus every permission-gated action and the timeline's spans
  kFull = 2,   // plus every committed engine event
};
const char* TraceLevelName(TraceLevel level);  // "none", "audit", "full"
// Parses "none", "audit" or "full"; anything else is an error naming the choices.
Status ParseTraceLevel(std::string_view text, TraceLevel* out);

// The clawsim release this build is, e.g. "0.1.0" (the CMake project version).
const char* ClawsimVersion();

// The run's identity and name tables, written once in the run file's header. Every string
// here is deterministic: no wall-clock times, host names or absolute temp paths.
struct RunInfo {
  std::string scenario_name;             // the scenario's `name`
  std::string scenario_path;             // the scenario file as given on the command line
  std::string scenario_textproto;        // the scenario as run (overrides applied), text format
  std::vector<std::string> overrides;    // the --set PATH=VALUE arguments, in order
  uint64_t seed = 0;
  int threads = 1;                       // engine worker threads (results do not depend on it)
  uint32_t days = 0;                     // simulated days
  TraceLevel trace = TraceLevel::kNone;

  // Name tables; records index them (AuditRecord::action indexes action_names, ...).
  std::vector<std::string> action_names;      // "email.read", ... (services::kActionTable order)
  // Gate decisions, indexed by AuditRecord::decision. Left empty, the writer stores the
  // model::GateOutcome names ("allowed", "asked_approved", ...), and decision is a GateOutcome.
  std::vector<std::string> decision_names;
  std::vector<std::string> outcome_names;     // what an action led to, model-defined
  std::vector<std::string> event_kind_names;  // engine event kinds, by Event::kind
  std::vector<std::string> team_names;        // scenario order
  std::vector<std::string> tier_names;        // model tiers, scenario order
  std::vector<std::string> employee_names;    // by employee id
  std::vector<std::string> agent_names;       // by agent id, e.g. "alice/triage"
  std::vector<std::string> target_names;      // "mailbox:alice", "channel:#eng", "service:api"
  std::vector<std::string> lp_names;          // by LP id
  // Indexed by Span::name: skills (invocations), work item kinds (human tasks), pipeline
  // stages, incident severities; one table for all four, in any order the model likes.
  std::vector<std::string> span_names;
  // Indexed by Span::trigger and Span::purpose. Left empty, the writer stores the model's
  // trigger names ("heartbeat", "cron", "event", "dreaming") and purpose names ("useful",
  // "overhead", "performative"), and the indexes are model::Trigger and model::Purpose.
  std::vector<std::string> trigger_names;
  std::vector<std::string> purpose_names;
  // Since format 1.5. Indexed by InjectionEmail::goal ("exfiltrate", ...), Span::route
  // ("triage", "briefing", "channel_paste", "forward", "memory") and a pipeline stage's
  // Span::outcome ("passed", "failed").
  std::vector<std::string> attack_goal_names;
  std::vector<std::string> injection_route_names;
  std::vector<std::string> stage_outcome_names;
  // Since format 1.6. Indexed by an incident's Span::defect_origin ("person_change", ...).
  std::vector<std::string> defect_origin_names;
};

// "Not set" for the optional small-integer fields of Span.
inline constexpr uint32_t kNoIndex = UINT32_MAX;
// "Not set" for Span::item_id and Span::deploy_id.
inline constexpr uint64_t kNoId = UINT64_MAX;
// In AuditRecord::id and Span::id: "let the writer number it" (its index among the records
// of its kind, 0-based, in the order added). A run either leaves every id of a kind to the
// writer or sets every one itself; RunFileWriter refuses a mix.
inline constexpr uint64_t kAutoId = UINT64_MAX;

// A reference to what caused a record (proto::Cause). Items and deploys are the model's own
// ids (Span::item_id, Span::deploy_id); spans and audit records are referred to by their id.
enum class CauseKind : uint8_t { kNone = 0, kItem = 1, kSpan = 2, kAudit = 3, kDeploy = 4, kAttack = 5 };
struct Cause {
  CauseKind kind = CauseKind::kNone;  // kNone: no cause (not written)
  uint64_t id = 0;
};

// "The employee acted directly" in AuditRecord::agent_id.
inline constexpr uint32_t kNoAgent = UINT32_MAX;

// One permission-gated action. Every integer but time_us indexes a RunInfo name table.
struct AuditRecord {
  int64_t time_us = 0;                 // simulated time of the decision
  uint32_t agent_id = kNoAgent;        // the acting agent, or kNoAgent
  uint32_t on_behalf_of_employee = 0;  // employee id
  uint32_t action = 0;                 // index into action_names
  uint32_t target = 0;                 // index into target_names
  uint32_t decision = 0;               // index into decision_names (default: model::GateOutcome)
  uint32_t outcome = 0;                // index into outcome_names
  // Since format 1.1. Unique among the run's audit records; kAutoId: its index in the log.
  uint64_t id = kAutoId;
  // What led to the action, usually the invocation (kSpan) or the work item (kItem).
  Cause cause;
  // Since format 1.5. An asked action a person answered: {kItem, the ask's item id}, the
  // item the approver's task span carries. Written after `cause`.
  Cause approval;
  // Since format 1.5. An action taken for an attacker: {kAttack, its source}. Written last.
  Cause attack;
  // Since format 1.6. The actor is an external seat's agent (clawsim serve).
  bool external = false;
};

// One prompt-injection email that landed in a mailbox (proto::InjectionEmail; format 1.5).
// Kept at TraceLevel::kAudit and above.
struct InjectionEmail {
  uint64_t item_id = 0;      // the mail's work item id (what Cause{kItem, id} names)
  int64_t time_us = 0;       // when it landed
  uint32_t employee_id = 0;  // whose mailbox
  uint32_t source = 0;       // the campaign's index among the run's attack sources
  uint32_t goal = 0;         // index into attack_goal_names
  bool detected = false;     // quarantined by the injection detector
  bool forwarded = false;    // a colleague's forward of an injection
  // Since 1.6. A forwarded copy: who forwarded it (employee_names; kNoIndex if not
  // forwarded) and when they sent it (their email.send_internal audit record's time).
  uint32_t forwarded_by = UINT32_MAX;
  int64_t forwarded_at_us = 0;
};

// One committed engine event: the engine::Event fields that identify and order it.
struct TraceEvent {
  int64_t time_us = 0;   // when it was processed
  uint32_t lp = 0;       // the LP that processed it
  uint32_t src_lp = 0;   // the LP that sent it
  uint32_t src_seq = 0;  // the sender's send counter
  uint32_t kind = 0;     // index into event_kind_names
};

// One interval on the timeline (proto::Span; format 1.1). Kept at TraceLevel::kAudit and
// above. Every index field is kNoIndex when it does not apply; which apply depends on kind.
enum class SpanKind : uint8_t {
  kHumanTask = 1,        // a person works on an item: employee_id, name (item kind), item_id
  kAgentInvocation = 2,  // one model call: agent_id, employee_id (owner), name (skill),
                         // trigger, purpose, tokens, cost_usd, outcome, item_id if any
  kPipelineStage = 3,    // one stage of a deploy: target (service), name (stage), deploy_id,
                         // outcome
  kIncident = 4,         // opened to restored: target (service), name (severity), deploy_id
                         // if a deploy caused it
};
const char* SpanKindName(SpanKind kind);  // "human_task", "agent_invocation", ...

struct Span {
  SpanKind kind = SpanKind::kHumanTask;
  uint64_t id = kAutoId;                 // unique among spans; kAutoId: its index
  int64_t start_us = 0;                  // simulated time it began
  int64_t end_us = 0;                    // simulated time it ended, >= start_us
  uint32_t employee_id = kNoIndex;       // employee_names
  uint32_t agent_id = kNoIndex;          // agent_names
  uint32_t target = kNoIndex;            // target_names, a "service:NAME"
  uint32_t name = kNoIndex;              // span_names
  uint32_t trigger = kNoIndex;           // trigger_names
  uint32_t purpose = kNoIndex;           // purpose_names
  uint32_t outcome = kNoIndex;           // outcome_names (a pipeline stage: stage_outcome_names)
  uint32_t route = kNoIndex;             // injection_route_names: an "injected" invocation (1.5)
  uint64_t item_id = kNoId;              // the model's work item id
  uint64_t deploy_id = kNoId;            // the model's deploy id
  uint64_t input_tokens = 0;
  uint64_t output_tokens = 0;
  double cost_usd = 0;
  std::vector<Cause> causes;             // what led to it, in any order
  uint32_t tier = kNoIndex;              // tier_names (invocation; since format 1.4)
  uint32_t defect_origin = kNoIndex;     // defect_origin_names (incident; since format 1.6)
};

// A calibration band the run was checked against (proto::CalibrationBand; format 1.1).
struct CalibrationBand {
  std::string measure;  // e.g. "agent spend per developer per month"
  double value = 0;     // this run's value
  double low = 0;       // the band, inclusive
  double high = 0;
  std::string unit;     // e.g. "USD"
  std::string source;   // where the band comes from
};

}  // namespace clawsim::run
