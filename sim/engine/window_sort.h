// WindowSorter: puts one window's events in processing order, LP-major and each LP's events
// in delivery order, i.e. by (dst_lp, time_us, src_lp, src_seq). That key is unique (an LP
// never reuses a send counter), so the order is fully determined: any correct sort gives
// the same sequence, and so does this one.
//
// Events are large (the model's payload rides along), so rather than moving them around
// during the sort, it sorts 24-byte keys that pack the order into two integers and then
// moves each event once. Packing needs every event's time in [window_start_us,
// window_start_us + 2^32): the engine's windows are one lookahead long, below 2^32 us.
//
// Single-threaded: each partition owns one.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <vector>

#include "sim/engine/event.h"
#include "sim/engine/time.h"

namespace clawsim::engine {

template <typename Ev>
class WindowSorter {
 public:
  // Sorts *events, all with time_us in [window_start_us, window_start_us + 2^32).
  void Sort(std::vector<Ev>* events, TimeUs window_start_us) {
    const size_t n = events->size();
    keys_.resize(n);
    for (size_t i = 0; i < n; ++i) {
      const Ev& ev = (*events)[i];
      assert(ev.time_us >= window_start_us && ev.time_us - window_start_us <= TimeUs{UINT32_MAX});
      keys_[i].lp_time = (uint64_t{ev.dst_lp} << 32) | static_cast<uint64_t>(ev.time_us - window_start_us);
      keys_[i].source = (uint64_t{ev.src_lp} << 32) | ev.src_seq;
      keys_[i].index = static_cast<uint32_t>(i);
    }
    std::sort(keys_.begin(), keys_.end(), [](const Key& a, const Key& b) {
      return a.lp_time != b.lp_time ? a.lp_time < b.lp_time : a.source < b.source;
    });
    sorted_.resize(n);
    for (size_t i = 0; i < n; ++i) sorted_[i] = (*events)[keys_[i].index];
    events->swap(sorted_);
  }

  size_t bytes_reserved() const { return keys_.capacity() * sizeof(Key) + sorted_.capacity() * sizeof(Ev); }

 private:
  struct Key {
    uint64_t lp_time;  // dst_lp, then the time's offset in the window
    uint64_t source;   // src_lp, then src_seq
    uint32_t index;    // where the event is in the unsorted window
  };
  std::vector<Key> keys_;
  std::vector<Ev> sorted_;
};

}  // namespace clawsim::engine
