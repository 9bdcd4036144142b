// PendingAsks: the requester side of human approval, which makes asks exactly-once.
//
// When the gate says ask, the requester's LP stores what it wanted to do under the request
// id and sends the approval request away. The first of these to arrive resolves the entry:
// the approver's verdict, or the requester's own timeout (ApprovalOptions::timeout_us).
// Take() hands the entry over once; anything arriving later finds nothing and is dropped,
// so every request is recorded once however the answer and the timeout race.
//
// `Spec` is whatever the model needs to carry out the action later (an email to send, a
// post, a deploy). Owned by the requester's LP. Iteration (for RecordOpenAsks-style
// reports) is in request-id order, hence deterministic.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <utility>

#include "sim/engine/time.h"

namespace clawsim::services {

template <typename Spec>
class PendingAsks {
 public:
  struct Entry {
    engine::TimeUs asked_at_us = 0;
    Spec spec{};
  };

  void Add(uint64_t request_id, engine::TimeUs now_us, const Spec& spec) {
    entries_.emplace(request_id, Entry{now_us, spec});
  }
  // Removes and returns the entry, or nothing when it was already resolved.
  std::optional<Entry> Take(uint64_t request_id) {
    auto it = entries_.find(request_id);
    if (it == entries_.end()) return std::nullopt;
    Entry e = std::move(it->second);
    entries_.erase(it);
    return e;
  }
  size_t size() const { return entries_.size(); }
  const std::map<uint64_t, Entry>& entries() const { return entries_; }

 private:
  std::map<uint64_t, Entry> entries_;
};

}  // namespace clawsim::services
