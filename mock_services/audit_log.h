// Audit log: one record per request, written by the LP where the request ends.
//
// Exactly once. A request is recorded when its fate is known, by exactly one LP:
//   - denied or rate-limited by the gate, refused by the requester-side service (the sender's
//     mail rate limit), or executed at the requester (email): the requester's LP;
//   - executed on another LP (a chat post on the channel's LP, a deploy on the service's LP):
//     that LP, on receiving the request, which carries the gate's decision;
//   - asked: nothing is written when the ask is sent. The requester's LP keeps the request
//     in a PendingAsks table (pending_asks.h) and resolves it exactly once, on the first of
//     the approver's answer or its own timeout; the resolution is then recorded (or the
//     request travels on with decision approved / auto_approved and is recorded where it
//     ends, as above). A late answer finds no pending entry and is dropped.
// An ask still open when the run stops has no record; PendingAsks::size() counts them and
// RecordOpenAsks() writes them with decision kOpenAtEnd so totals reconcile.
//
// Ordering. Each LP appends to its own AuditLog (no locks). MergeAuditLogs orders all
// records by (time_us, lp, seq), where seq is the writing LP's own counter, so the merged
// log is the same for any number of threads.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "mock_services/action.h"
#include "mock_services/ids.h"
#include "sim/engine/event.h"
#include "sim/engine/time.h"

namespace clawsim::services {

enum class Decision : uint8_t {
  kAllowed,       // the gate allowed it
  kApproved,      // the gate asked; the approver approved
  kAutoApproved,  // the gate asked; nobody answered in time and auto-approve is on
  kRejected,      // the gate asked; the approver rejected
  kExpired,       // the gate asked; nobody answered in time and auto-approve is off
  kDenied,        // the gate denied it (a deny rule, or default deny)
  kRateLimited,   // a rule's rate limit, or the service's own rate limit, refused it
  kOpenAtEnd,     // the gate asked and the run stopped before an answer
  // Not gate decisions: a defense acting on an agent (rule kDefenseRule).
  kHeld,          // a circuit breaker paused the agent or made it read-only, or its memory was quarantined
  kReleased,      // the breaker's cooldown ended
  // Not a gate decision: an external seat's tool call that acts on no service (its deploy
  // status, its memory, a wait) and so passes no gate; recorded so that every call of a
  // seat is in the log.
  kUngated,
};
inline constexpr int kNumDecisions = 11;
const char* DecisionName(Decision d);
// Whether the decision lets the action proceed to the service.
inline bool Admits(Decision d) {
  return d == Decision::kAllowed || d == Decision::kApproved || d == Decision::kAutoApproved;
}

enum class Outcome : uint8_t {
  kNotExecuted,      // refused before reaching the service; no state changed
  kDone,             // executed
  kDataLeaked,       // executed, and sensitive mail left the company (email.h: LeakRecord)
  kExposed,          // executed, and a sensitive chat message reached readers outside its audience
  kStarted,          // a pipeline or rollback started; its result is in the service's run history
  kServiceRefused,   // admitted, but the target's state refused it (not a member, frozen, busy,
                     // no such message, nothing to roll back); no state changed
};
inline constexpr int kNumOutcomes = 6;
const char* OutcomeName(Outcome o);

struct AuditRecord {
  engine::TimeUs time_us = 0;   // when the decision was recorded
  uint64_t request_id = 0;      // (origin LP << 32) | origin's request counter; unique per run
  uint64_t object_id = 0;       // what the action created (message, post, run id), 0 if nothing
  engine::LpId lp = 0;          // the writing LP (set by AuditLog::Append)
  uint32_t seq = 0;             // the writing LP's record counter (set by AuditLog::Append)
  AgentId agent = kNoId;        // kNoId: the employee acted directly
  EmployeeId on_behalf_of = kNoId;
  uint32_t target = 0;          // Target::id: mailbox owner, channel, service
  uint16_t rule = 0;            // deciding rule index, kNoRule (default deny) or kServiceRule
  Action action = Action::kEmailRead;
  Decision decision = Decision::kDenied;
  Outcome outcome = Outcome::kNotExecuted;
  // What led to the action, for tracing a harm back to its origin: a kind (0 none, 1 work
  // item, 2 agent invocation span, 3 audit record, 4 deploy; the run file's Cause kinds)
  // and the caller's id for it.
  uint8_t cause_kind = 0;
  uint64_t cause_id = 0;
  // An asked action a person answered: the ask's work item id (the approver's task works on
  // it), else 0. Not part of the record's hash.
  uint64_t ask_item_id = 0;
  // An action taken for an attacker (the model's attack goal): its attack source + 1, else 0.
  // Not part of the record's hash.
  uint32_t attack_source_plus_one = 0;
  // The actor is an agent driven from outside the simulation (an external seat's client).
  // Not part of the record's hash.
  bool external = false;
  // A record of decision kUngated: which of the seat's ungated tools it was, as an index
  // into the names the model gives them (model::SeatUngatedActionNames); `action` is then
  // unused. Not part of the record's hash.
  uint8_t ungated_action = 0;

  // A run-wide unique id: (writing LP << 32) | its record counter.
  uint64_t id() const { return (uint64_t{lp} << 32) | seq; }
  bool operator==(const AuditRecord&) const = default;
};

// One LP's records, in the order written. Owned by that LP; not thread-safe.
class AuditLog {
 public:
  explicit AuditLog(engine::LpId lp = 0) : lp_(lp) {}
  void Append(AuditRecord record) {
    record.lp = lp_;
    record.seq = next_seq_++;
    records_.push_back(record);
  }
  const std::vector<AuditRecord>& records() const { return records_; }
  engine::LpId lp() const { return lp_; }
  // The id the next appended record will have (see AuditRecord::id).
  uint64_t next_id() const { return (uint64_t{lp_} << 32) | next_seq_; }
  // Hands over the records so far; the counter goes on, so ids stay unique over a run.
  std::vector<AuditRecord> Take() { return std::exchange(records_, {}); }
  // Heap bytes held (by capacity), for memory reports.
  size_t BytesReserved() const { return records_.capacity() * sizeof(AuditRecord); }

 private:
  engine::LpId lp_;
  uint32_t next_seq_ = 0;
  std::vector<AuditRecord> records_;
};

// All records of `logs`, ordered by (time_us, lp, seq). Call serially, after a run.
std::vector<AuditRecord> MergeAuditLogs(std::span<const AuditLog* const> logs);
// An order-sensitive hash of a merged log, for determinism tests and run summaries.
uint64_t AuditFingerprint(std::span<const AuditRecord> records);
// A record's hash, for folding into the engine fingerprint.
uint64_t HashAuditRecord(const AuditRecord& r);

struct AuditCounts {
  uint64_t by_decision[kNumDecisions] = {};
  uint64_t by_outcome[kNumOutcomes] = {};
  uint64_t total = 0;
};
AuditCounts CountAudit(std::span<const AuditRecord> records);

}  // namespace clawsim::services
