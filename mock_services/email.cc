#include "mock_services/email.h"

#include <algorithm>
#include <string>

namespace clawsim::services {

using engine::TimeUs;

Status EmailOptions::Validate(TimeUs lookahead_us) const {
  if (internal_latency_min_us < lookahead_us) {
    return Status::Error("email: internal_latency_min_us (" + std::to_string(internal_latency_min_us) +
                         " us) must be at least the engine lookahead (" + std::to_string(lookahead_us) +
                         " us), because delivery is an event to the recipient's LP");
  }
  if (internal_latency_jitter_mean_us < 0) return Status::Error("email: internal_latency_jitter_mean_us must be >= 0");
  if (max_sends_per_window > 0 && send_window_us <= 0) {
    return Status::Error("email: send_window_us must be > 0 when max_sends_per_window is set");
  }
  return Status::Ok();
}

Action SendAction(const SendSpec& spec) {
  for (const Recipient& r : spec.recipients()) {
    if (r.external) return Action::kEmailSendExternal;
  }
  return Action::kEmailSendInternal;
}

Target SendTarget(EmployeeId sender, const SendSpec& spec, std::span<const TeamId> team_of_employee) {
  const TeamId team = team_of_employee[sender];
  bool all_self = true, all_team = true;
  uint32_t first_id = sender;
  for (size_t i = 0; i < spec.num_to; ++i) {
    const Recipient& r = spec.to[i];
    if (i == 0) first_id = r.id;
    if (r.external) {
      all_self = all_team = false;
      continue;
    }
    all_self = all_self && r.id == sender;
    all_team = all_team && team_of_employee[r.id] == team;
  }
  Target t;
  t.id = first_id;
  t.owner = all_self ? sender : kNoId;
  t.team = all_team ? team : kNoId;
  return t;
}

void Mailbox::Deliver(const EmailHeader& header, TimeUs now_us) {
  MailboxEntry e;
  e.header = header;
  e.delivered_at_us = now_us;
  e.slot = next_slot_++;
  entries_.push_back(e);
  ++stats_.delivered;
  stats_.tokens_received += header.size_tokens;
}

size_t Mailbox::List(ListFilter filter, size_t limit, std::vector<uint32_t>* slots) const {
  // Everything before the cursors is archived (and, for unread, read too): skip it, so that
  // an agent polling a month-old mailbox does not rescan the whole month.
  const uint32_t begin = filter == ListFilter::kAll ? first_slot_ : filter == ListFilter::kInbox ? inbox_begin_ : unread_begin_;
  size_t n = 0;
  for (size_t i = IndexFrom(begin); i < entries_.size() && n < limit; ++i) {
    const MailboxEntry& e = entries_[i];
    if (filter != ListFilter::kAll && e.archived) continue;
    if (filter == ListFilter::kUnread && e.read) continue;
    slots->push_back(e.slot);
    ++n;
  }
  return n;
}

size_t Mailbox::IndexFrom(uint32_t slot) const {
  // Held messages are in slot order; until DropArchived frees one in the middle, entries_[i]
  // holds slot first_slot_ + i.
  if (slot <= first_slot_) return 0;
  const size_t size = entries_.size();
  if (slot >= next_slot_ || size == 0) return size;
  const size_t hi = std::min<size_t>(size, slot - first_slot_);  // at most that many held slots lie before it
  if (hi < size && entries_[hi].slot == slot) return hi;
  // DropArchived frees old filed mail, so the newest messages are usually all held: counted
  // from the end, a recent slot is where it would be with nothing after it freed.
  const size_t after = next_slot_ - slot;  // slots from `slot` on; at most that many held
  const size_t lo = after < size ? size - after : 0;
  if (entries_[lo].slot >= slot) return lo;
  return static_cast<size_t>(std::lower_bound(entries_.begin() + static_cast<std::ptrdiff_t>(lo),
                                              entries_.begin() + static_cast<std::ptrdiff_t>(hi), slot,
                                              [](const MailboxEntry& e, uint32_t s) { return e.slot < s; }) -
                             entries_.begin());
}

const MailboxEntry* Mailbox::Peek(uint32_t slot) const {
  if (slot < first_slot_ || slot >= next_slot_) return nullptr;
  const size_t i = IndexFrom(slot);
  return i < entries_.size() && entries_[i].slot == slot ? &entries_[i] : nullptr;
}

MailboxEntry* Mailbox::At(uint32_t slot) { return const_cast<MailboxEntry*>(Peek(slot)); }

const MailboxEntry* Mailbox::Read(uint32_t slot) {
  MailboxEntry* e = At(slot);
  if (e == nullptr) return nullptr;
  e->read = true;
  // The cursors stand on the first message not archived and the first neither archived nor
  // read, so reading any other message cannot move them.
  if (slot == unread_begin_) AdvanceCursors();
  return e;
}

void Mailbox::AdvanceCursors() {
  // A freed slot was archived: the cursors pass it.
  size_t i = IndexFrom(inbox_begin_);
  while (i < entries_.size() && entries_[i].archived) ++i;
  inbox_begin_ = i < entries_.size() ? entries_[i].slot : next_slot_;
  if (unread_begin_ < inbox_begin_) unread_begin_ = inbox_begin_;
  i = IndexFrom(unread_begin_);
  while (i < entries_.size() && (entries_[i].archived || entries_[i].read)) ++i;
  unread_begin_ = i < entries_.size() ? entries_[i].slot : next_slot_;
}

void Mailbox::DropArchivedPrefix() {
  const size_t drop = IndexFrom(inbox_begin_);
  first_slot_ = inbox_begin_;
  if (drop == 0) return;
  entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(drop));
  Shrink();
}

bool Mailbox::Label(uint32_t slot, uint8_t applied_labels) {
  MailboxEntry* e = At(slot);
  if (e == nullptr) return false;
  e->applied_labels = applied_labels;
  return true;
}

bool Mailbox::Archive(uint32_t slot) {
  MailboxEntry* e = At(slot);
  if (e == nullptr) return false;
  e->archived = true;
  if (slot == inbox_begin_ || slot == unread_begin_) AdvanceCursors();
  return true;
}

bool Mailbox::BuildReply(uint32_t slot, uint32_t size_tokens, uint8_t labels, AgentId agent, SendSpec* out) const {
  const MailboxEntry* e = Peek(slot);
  if (e == nullptr) return false;
  const EmailHeader& h = e->header;
  *out = SendSpec{};
  out->Add(h.sender != kNoId ? Recipient::Employee(h.sender) : Recipient::Domain(h.sender_domain));
  out->size_tokens = size_tokens;
  out->labels = labels;
  out->thread = h.thread;
  out->agent = agent;
  return true;
}

bool Mailbox::BuildForward(uint32_t slot, std::span<const Recipient> to, AgentId agent, SendSpec* out) const {
  const MailboxEntry* e = Peek(slot);
  if (e == nullptr || to.empty() || to.size() > kMaxRecipients) return false;
  const EmailHeader& h = e->header;
  *out = SendSpec{};
  for (const Recipient& r : to) out->Add(r);
  out->size_tokens = h.size_tokens;
  out->labels = h.labels;  // a forward carries the original, sensitive data included
  out->agent = agent;
  return true;
}

Mailbox::SendStatus Mailbox::Send(const SendSpec& spec, const EmailOptions& options, TimeUs now_us, engine::Rng& rng,
                                  SendOutput* out) {
  if (spec.num_to == 0 || spec.num_to > kMaxRecipients) return SendStatus::kBadRequest;
  if (options.max_sends_per_window > 0 &&
      !send_rate_.TryConsume(now_us, options.send_window_us, options.max_sends_per_window)) {
    ++stats_.rate_limited;
    return SendStatus::kRateLimited;
  }
  EmailHeader h;
  h.id = (uint64_t{owner_} << 32) | next_message_++;
  h.thread = spec.thread != 0 ? spec.thread : h.id;
  h.sent_at_us = now_us;
  h.sender = owner_;
  h.sent_by_agent = spec.agent;
  h.size_tokens = spec.size_tokens;
  h.labels = spec.labels;
  h.num_recipients = spec.num_to;
  out->num_deliveries = out->num_external = out->num_leaks = 0;
  out->message_id = h.id;
  for (const Recipient& r : spec.recipients()) {
    if (r.external) {
      ++out->num_external;
      if (spec.labels & kLabelSensitive) {
        leaks_.push_back({now_us, h.id, owner_, spec.agent, r.id, spec.size_tokens, spec.labels});
        ++out->num_leaks;
      }
      continue;
    }
    const TimeUs latency = options.internal_latency_min_us +
                           engine::SecondsToUs(rng.Exponential(engine::UsToSeconds(options.internal_latency_jitter_mean_us)));
    out->deliveries[out->num_deliveries++] = Delivery{r.id, now_us + latency, h};
  }
  ++stats_.sent;
  if (spec.agent != kNoId) ++stats_.sent_by_agents;
  stats_.sent_external += out->num_external;
  stats_.tokens_sent += spec.size_tokens;
  return SendStatus::kSent;
}

EmailHeader ExternalMessage(DomainId from, uint64_t serial, uint32_t size_tokens, uint8_t labels, TimeUs sent_at_us) {
  EmailHeader h;
  h.id = (uint64_t{1} << 63) | serial;
  h.thread = h.id;
  h.sent_at_us = sent_at_us;
  h.sender_domain = from;
  h.size_tokens = size_tokens;
  h.labels = labels;
  h.num_recipients = 1;
  return h;
}

}  // namespace clawsim::services
