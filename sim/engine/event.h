// Event: the only way logical processes (LPs) talk to each other.
//
// Events are small copyable values. Their order is a contract: an LP processes its events
// by (time_us, src_lp, src_seq), where src_seq counts the events its source LP has sent.
// Nothing about the order depends on threads, partitions or wall-clock time.
#pragma once

#include <cstdint>
#include <tuple>

#include "sim/engine/time.h"

namespace clawsim::engine {

using LpId = uint32_t;
inline constexpr LpId kNoLp = UINT32_MAX;

// For models whose events carry nothing beyond their kind.
struct NoPayload {};

template <typename Payload>
struct Event {
  TimeUs time_us = 0;   // when the destination processes it
  LpId dst_lp = 0;      // who processes it
  LpId src_lp = 0;      // who sent it (for initial events, the destination itself)
  uint32_t src_seq = 0; // the source LP's send counter at the time of sending
  uint32_t kind = 0;    // model-defined event type
  [[no_unique_address]] Payload payload{};
};

// The delivery order of events at one LP.
template <typename Payload>
inline bool DeliveredBefore(const Event<Payload>& a, const Event<Payload>& b) {
  return std::tie(a.time_us, a.src_lp, a.src_seq) < std::tie(b.time_us, b.src_lp, b.src_seq);
}

}  // namespace clawsim::engine
