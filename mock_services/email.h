// Mock email: a mailbox per employee, messages, threads, external domains, leaks.
//
// Ownership. Each employee's Mailbox lives in that employee's LP and is touched only there.
// A message crosses LPs as an EmailHeader inside an event payload (48 bytes, copyable; the
// body is represented by its size in tokens). External recipients are a DomainId, never an
// LP: mail to them leaves the simulation, and sensitive mail that does is a data leak.
//
// Sending (at the sender's LP):
//   1. build a SendSpec (new mail), or BuildReply / BuildForward from a received message;
//   2. ask the permission gate: SendAction(spec) says which action, SendTarget(...) the
//      target; only on an admitting decision go on (a refused send changes nothing);
//   3. Mailbox::Send applies the sender's rate limit, assigns the message id, and fills a
//      SendOutput with one Delivery per internal recipient (recipient, deliver-at time
//      >= now + internal_latency_min_us, which scenario validation keeps >= the lookahead);
//      external recipients get no event; sensitive mail to them is logged as LeakRecords;
//   4. send each Delivery to the recipient's LP as an event at deliver_at_us;
//   5. the recipient's LP calls Mailbox::Deliver.
//
// List, Read, Label and Archive act on the mailbox's own messages, addressed by slot (the
// index in arrival order, stable for the mailbox's life). Long runs free archived messages
// (DropArchivedPrefix, DropArchived); a dropped slot then acts as a bad one.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "mock_services/action.h"
#include "mock_services/ids.h"
#include "mock_services/policy.h"
#include "mock_services/rate_limit.h"
#include "sim/common/status.h"
#include "sim/engine/rng.h"
#include "sim/engine/time.h"

namespace clawsim::services {

// Ground-truth labels of a message (a bit set): what it really is, set by whoever made it.
enum EmailLabel : uint8_t {
  kLabelLegitimate = 1 << 0,
  kLabelSpam = 1 << 1,
  kLabelPhishing = 1 << 2,
  kLabelPromptInjection = 1 << 3,
  kLabelSensitive = 1 << 4,  // contains data that must not leave the company
};

inline constexpr int kMaxRecipients = 8;

struct EmailOptions {
  // Delivery latency between employees: min + Exponential(jitter mean). The minimum must
  // be at least the engine lookahead (checked by Validate).
  engine::TimeUs internal_latency_min_us = 2 * engine::kUsPerSecond;
  engine::TimeUs internal_latency_jitter_mean_us = 5 * engine::kUsPerSecond;
  // Per-sender (per mailbox, shared by the owner and their agents) rate limit.
  uint32_t max_sends_per_window = 60;  // 0: unlimited
  engine::TimeUs send_window_us = engine::kUsPerHour;

  Status Validate(engine::TimeUs lookahead_us) const;
};

struct Recipient {
  uint32_t id = 0;        // EmployeeId, or DomainId when external
  bool external = false;
  static Recipient Employee(EmployeeId e) { return {e, false}; }
  static Recipient Domain(DomainId d) { return {d, true}; }
  bool operator==(const Recipient&) const = default;
};

// What crosses LPs. Everything a recipient needs to store, read and answer the message.
struct EmailHeader {
  uint64_t id = 0;          // (sender mailbox << 32) | sender's counter; external: (1 << 63) | ...
  uint64_t thread = 0;      // id of the first message of the thread
  engine::TimeUs sent_at_us = 0;
  EmployeeId sender = kNoId;      // kNoId when the sender is outside the company
  DomainId sender_domain = kNoId; // the outside sender's domain
  AgentId sent_by_agent = kNoId;  // the agent that sent it on the sender's behalf, if any
  uint32_t size_tokens = 0;
  uint8_t labels = kLabelLegitimate;
  uint8_t num_recipients = 0;
};

struct MailboxEntry {
  EmailHeader header;
  engine::TimeUs delivered_at_us = 0;
  uint8_t applied_labels = 0;  // what the owner or their agent labelled it (triage)
  bool read = false;
  bool archived = false;
  uint32_t slot = 0;  // its slot (arrival order, from 0)
};

struct SendSpec {
  std::array<Recipient, kMaxRecipients> to{};
  uint8_t num_to = 0;
  uint32_t size_tokens = 0;
  uint8_t labels = kLabelLegitimate;
  uint64_t thread = 0;       // 0: a new thread
  AgentId agent = kNoId;     // the agent sending on the owner's behalf, if any

  void Add(Recipient r) { to[num_to++] = r; }
  std::span<const Recipient> recipients() const { return {to.data(), num_to}; }
};

struct Delivery {
  EmployeeId to = 0;
  engine::TimeUs deliver_at_us = 0;
  EmailHeader header;
};

struct SendOutput {
  std::array<Delivery, kMaxRecipients> deliveries{};
  uint8_t num_deliveries = 0;
  uint8_t num_external = 0;
  uint8_t num_leaks = 0;  // external recipients that received sensitive data
  uint64_t message_id = 0;
};

// Sensitive data that left the company: what and to whom.
struct LeakRecord {
  engine::TimeUs time_us = 0;
  uint64_t message_id = 0;
  EmployeeId sender = 0;
  AgentId agent = kNoId;
  DomainId domain = 0;
  uint32_t size_tokens = 0;
  uint8_t labels = 0;
};

// Which gate action a send needs: external if any recipient is outside the company.
Action SendAction(const SendSpec& spec);
// The gate target of a send from `sender`: owned by the sender if every internal recipient is
// the sender, in the sender's team if every internal recipient is in it, otherwise anybody's.
// team_of_employee is the read-only org table.
Target SendTarget(EmployeeId sender, const SendSpec& spec, std::span<const TeamId> team_of_employee);

class Mailbox {
 public:
  enum class SendStatus : uint8_t { kSent, kRateLimited, kBadRequest };
  enum class ListFilter : uint8_t { kAll, kInbox /* not archived */, kUnread /* not archived, not read */ };

  explicit Mailbox(EmployeeId owner = 0) : owner_(owner) {}
  EmployeeId owner() const { return owner_; }

  // --- receiving side ------------------------------------------------------------------
  void Deliver(const EmailHeader& header, engine::TimeUs now_us);

  // --- the owner's (or their agent's) operations; gate: email.read ---------------------
  // Appends the slots of matching messages, oldest first, at most `limit`; returns how many.
  size_t List(ListFilter filter, size_t limit, std::vector<uint32_t>* slots) const;
  // Marks the message read and returns it; null for a bad slot.
  const MailboxEntry* Read(uint32_t slot);
  bool Label(uint32_t slot, uint8_t applied_labels);
  bool Archive(uint32_t slot);
  // The message in `slot` without marking it read; null for a bad or dropped slot.
  const MailboxEntry* Peek(uint32_t slot) const;
  // Frees the leading run of archived messages (their slots stay taken and are never reused;
  // operations on them fail as on a bad slot). Long runs call it so that memory follows the
  // open mail, not everything ever received.
  void DropArchivedPrefix();
  // Frees every archived message, wherever it is, for which `keep(entry)` is false: for a
  // caller that knows which archived messages it may still address by slot.
  template <class Keep>
  void DropArchived(Keep keep) {
    std::erase_if(entries_, [&](const MailboxEntry& e) { return e.archived && !keep(e); });
    Shrink();
  }

  // --- sending side; gate: email.send_internal / email.send_external ------------------
  // A reply to the message in `slot` (to its sender, same thread). False for a bad slot.
  bool BuildReply(uint32_t slot, uint32_t size_tokens, uint8_t labels, AgentId agent, SendSpec* out) const;
  // A forward of the message in `slot` (same size and labels, new thread) to `to`.
  bool BuildForward(uint32_t slot, std::span<const Recipient> to, AgentId agent, SendSpec* out) const;
  // Sends after the gate admitted it. kRateLimited and kBadRequest change nothing.
  SendStatus Send(const SendSpec& spec, const EmailOptions& options, engine::TimeUs now_us, engine::Rng& rng,
                  SendOutput* out);

  // --- state and counters --------------------------------------------------------------
  // The messages still held, in slot order: those from slot first_slot() on, less any that
  // DropArchived freed (all of them until DropArchivedPrefix or DropArchived).
  const std::vector<MailboxEntry>& entries() const { return entries_; }
  // Every slot before it was freed by DropArchivedPrefix.
  uint32_t first_slot() const { return first_slot_; }
  // One past the newest slot: the slot the next delivered message gets.
  uint32_t slot_count() const { return next_slot_; }
  const std::vector<LeakRecord>& leaks() const { return leaks_; }
  struct Stats {
    uint64_t sent = 0, delivered = 0, sent_external = 0, rate_limited = 0;
    uint64_t sent_by_agents = 0;  // of `sent`, those an agent sent on the owner's behalf
    uint64_t tokens_sent = 0, tokens_received = 0;
  };
  const Stats& stats() const { return stats_; }
  // Heap bytes this mailbox holds (by capacity), for memory reports.
  size_t BytesReserved() const {
    return entries_.capacity() * sizeof(MailboxEntry) + leaks_.capacity() * sizeof(LeakRecord);
  }

 private:
  // Gives back most of the room freed messages left, so that memory follows what is held.
  void Shrink() {
    if (entries_.capacity() > 2 * entries_.size() + 8) entries_.shrink_to_fit();
  }
  // Moves the cursors past the leading run of archived (and read) messages.
  void AdvanceCursors();
  MailboxEntry* At(uint32_t slot);
  // The index in entries_ of the first held message at or after `slot`.
  size_t IndexFrom(uint32_t slot) const;

  EmployeeId owner_;
  uint32_t next_message_ = 1;
  uint32_t next_slot_ = 0;     // the slot of the next delivered message
  uint32_t first_slot_ = 0;    // every slot before it is freed
  uint32_t inbox_begin_ = 0;   // every slot before it is archived
  uint32_t unread_begin_ = 0;  // every slot before it is archived or read
  FixedWindowCounter send_rate_;
  std::vector<MailboxEntry> entries_;
  std::vector<LeakRecord> leaks_;
  Stats stats_;
};

// A message from outside the company (spam, phishing, injection, or legitimate), for the
// model's inbound mail generator. `serial` must be unique per run for the id to be unique.
EmailHeader ExternalMessage(DomainId from, uint64_t serial, uint32_t size_tokens, uint8_t labels,
                            engine::TimeUs sent_at_us);

}  // namespace clawsim::services
