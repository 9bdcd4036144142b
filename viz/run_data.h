// RunData: one run file held in memory for viewing, in flat arrays the panels index by
// position. Built once by LoadRunFile (on the loader's worker thread), then read-only: any
// number of threads may read it, none may change it.
//
// Rows keep the run file's meaning (sim/proto/run.proto): times in simulated microseconds,
// small integers that index the header's name tables. Spans and audit records are reduced
// to the fields the panels use, so that ten million spans fit in about a gigabyte.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/common/status.h"
#include "sim/proto/run.pb.h"
#include "viz/causality.h"
#include "viz/lanes.h"

namespace clawsim::viz {

inline constexpr uint32_t kNone = UINT32_MAX;      // an index field that is not set
inline constexpr uint64_t kNoId = UINT64_MAX;      // an item or deploy id that is not set
inline constexpr uint8_t kNoSmall = UINT8_MAX;     // a trigger/purpose/outcome that is not set

// A tally's input plus output tokens.
inline uint64_t TotalTokens(const proto::TokenTally& t) { return t.input_tokens() + t.output_tokens(); }

// proto::Span::Kind, as stored here.
enum class SpanKind : uint8_t { kHumanTask = 1, kAgentInvocation = 2, kPipelineStage = 3, kIncident = 4 };
const char* SpanKindName(SpanKind kind);  // "human task", "agent invocation", ...

struct SpanRow {
  int64_t start_us = 0;
  int64_t end_us = 0;
  uint64_t id = 0;                // Span.id
  uint64_t item_id = kNoId;
  uint64_t deploy_id = kNoId;
  uint32_t lane = 0;              // index into RunData::lanes
  uint32_t employee = kNone;      // employee_names
  uint32_t agent = kNone;         // agent_names
  uint32_t target = kNone;        // target_names
  uint32_t name = kNone;          // span_names
  uint32_t input_tokens = 0;      // saturated at 2^32 - 1
  uint32_t output_tokens = 0;
  float cost_usd = 0;
  uint32_t first_cause = 0;       // causes are RunData::causes[first_cause, + cause_count)
  uint16_t cause_count = 0;
  SpanKind kind = SpanKind::kHumanTask;
  uint8_t trigger = kNoSmall;     // trigger_names
  uint8_t purpose = kNoSmall;     // purpose_names
  uint8_t outcome = kNoSmall;     // outcome_names (a pipeline stage: stage_outcome_names)
  uint8_t route = kNoSmall;       // injection_route_names (an "injected" invocation)
  uint8_t defect_origin = kNoSmall;  // defect_origin_names (an incident rooted in a change; 1.6)
};

struct AuditRow {
  int64_t time_us = 0;
  uint64_t id = 0;                // AuditRecord.id (its index in a 1.0 file)
  uint32_t agent = kNone;         // agent_names; kNone: the employee acted directly
  uint32_t employee = 0;          // on_behalf_of_employee
  uint32_t action = 0;
  uint32_t target = 0;
  uint32_t first_cause = 0;       // into RunData::causes
  uint16_t cause_count = 0;
  uint8_t decision = 0;
  uint8_t outcome = 0;
  bool external = false;          // AuditRecord.external: an external seat's agent acted (1.6)
};

// One injection email (proto::InjectionEmail, format 1.5).
struct InjectionRow {
  int64_t time_us = 0;
  uint64_t item_id = 0;
  uint32_t employee = 0;  // employee_names: whose mailbox
  uint32_t source = 0;    // footer.summary.safety.sources
  uint32_t goal = 0;      // attack_goal_names
  bool detected = false;  // quarantined by the detector
  bool forwarded = false; // a colleague's forward
  uint32_t forwarded_by = kNone;  // employee_names: who forwarded it (1.6; kNone before)
  int64_t forwarded_at_us = 0;    // when they sent the forward (1.6)
};

struct RunData {
  std::string path;
  uint32_t format_major = 0;
  uint32_t format_minor = 0;
  proto::RunHeader header;
  proto::RunFooter footer;
  std::vector<proto::DailyRow> daily;          // by day
  std::vector<proto::EmployeeRow> employees;   // by employee id where the file is complete
  std::vector<AuditRow> audit;                 // in file order (time order)
  std::vector<SpanRow> spans;                  // in file order
  std::vector<InjectionRow> injections;        // in file order (time order)
  std::vector<CauseRef> causes;                // the causes of spans and audit records
  uint64_t trace_events = 0;                   // counted, not kept
  uint64_t unknown_chunks = 0;
  uint64_t agent_audit_records = 0;            // audit rows with an agent
  std::vector<uint8_t> external_agents;        // by agent id: 1 for an external seat's (its records say so)
  std::vector<Lane> lanes;                     // employees, then agents, then services
  CausalIndex causal;                          // built from spans, audit and causes
  int64_t end_us = 0;                          // the latest time of any span or audit row

  // The row of employee `id` in `employees`, or nullptr.
  const proto::EmployeeRow* Employee(uint32_t id) const;
  // A header name, or "-" when the table lacks it (files are checked, so only kNone).
  static const std::string& Name(const google::protobuf::RepeatedPtrField<std::string>& table, uint32_t i);
  // A span's outcome: a pipeline stage's from stage_outcome_names ("passed", "failed"; the
  // same for files before 1.5, which lack the table), any other's from outcome_names; "" if none.
  std::string SpanOutcome(const SpanRow& span) const;
  // An agent as the panels name it: its header name, or "seat: OWNER (external)" for an
  // external seat's agent.
  std::string AgentLabel(uint32_t agent) const;
  // Where an audit row is drawn on the timeline: its agent's lane, else its employee's.
  uint32_t LaneOfAudit(const AuditRow& a) const;
  // The campaign (attack source) name of an injection row, e.g. "invoice-phish".
  std::string SourceName(uint32_t source) const;
  // When a record happened: a span's start, an audit row's or injection row's time.
  int64_t TimeOf(RecordRef record) const;
};

// Progress of one load, shared between the loader thread (writes) and the UI (reads).
struct LoadProgress {
  std::atomic<uint64_t> bytes_read{0};
  std::atomic<uint64_t> bytes_total{0};
  std::atomic<bool> cancel{false};  // set by the UI; the loader stops with an error
};

// Reads `path` completely through RunFileReader (every check it makes), fills *out and builds
// the lanes and the causal index. Errors are the reader's messages (file and byte offset).
// Thread: any; touches only *out and *progress.
Status LoadRunFile(const std::string& path, LoadProgress* progress, RunData* out);

}  // namespace clawsim::viz
