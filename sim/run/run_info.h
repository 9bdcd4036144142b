// What the model hands the run file besides its metrics: which run this is, the name tables
// records refer to, and the audit and trace records themselves. Plain values, no protobuf.
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
  kAudit = 1,  // plus every permission-gated action
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
};

// One committed engine event: the engine::Event fields that identify and order it.
struct TraceEvent {
  int64_t time_us = 0;   // when it was processed
  uint32_t lp = 0;       // the LP that processed it
  uint32_t src_lp = 0;   // the LP that sent it
  uint32_t src_seq = 0;  // the sender's send counter
  uint32_t kind = 0;     // index into event_kind_names
};

}  // namespace clawsim::run
