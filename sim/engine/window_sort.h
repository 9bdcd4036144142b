// WindowSorter: puts one window's events in processing order, LP-major and each LP's events
// in delivery order, i.e. by (dst_lp, time_us, src_lp, src_seq). That key is unique (an LP
// never reuses a send counter), so the order is fully determined: any correct sort gives
// the same sequence, and so does this one.
//
// Events are large (the model's payload rides along), so rather than moving them around
// during the sort, it sorts 16-byte keys and then moves each event once. A key packs
// (dst_lp, time) into one integer: the LP's offset from the window's lowest LP above the
// time's offset in the window, in just the bits this window needs (every time must lie in
// [window_start_us, window_start_us + 2^32): the engine's windows are one lookahead long,
// below 2^32 us). Windows of 32 events or more are sorted by that integer with a
// least-significant-digit radix sort (7 bits a pass below 1,024 events, 11 from there;
// passes whose digit is the same for every key skipped). A window of a million-person
// organisation holds a few hundred thousand events, where a comparison sort's log n factor
// was most of the sorting time; a window of PHOLD at 1,024 LPs holds about 100, where the
// comparison sort's mispredicted branches were (about 20 ns an event, the radix sort about
// 6). The radix sort is stable, so events that tie on (dst_lp, time) keep their arrival
// order; each such run is then put in source order. Smaller windows use a comparison sort
// on the same order.
//
// Single-threaded: each partition owns one.
#pragma once

#include <algorithm>
#include <bit>
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
    const std::vector<Ev>& in = *events;
    const size_t n = in.size();
    if (n < 2) return;
    LpId min_lp = in[0].dst_lp, max_lp = in[0].dst_lp;
    uint64_t max_offset = 0;
    for (const Ev& ev : in) {
      assert(ev.time_us >= window_start_us && ev.time_us - window_start_us <= TimeUs{UINT32_MAX});
      min_lp = std::min(min_lp, ev.dst_lp);
      max_lp = std::max(max_lp, ev.dst_lp);
      max_offset = std::max(max_offset, static_cast<uint64_t>(ev.time_us - window_start_us));
    }
    const int time_bits = std::bit_width(max_offset);
    const int key_bits = std::bit_width(uint64_t{max_lp - min_lp}) + time_bits;
    keys_.resize(n);
    for (size_t i = 0; i < n; ++i) {
      const Ev& ev = in[i];
      keys_[i].lp_time = (uint64_t{ev.dst_lp - min_lp} << time_bits) | static_cast<uint64_t>(ev.time_us - window_start_us);
      keys_[i].index = static_cast<uint32_t>(i);
    }
    const auto source_before = [&in](const Key& a, const Key& b) {
      const Ev& x = in[a.index];
      const Ev& y = in[b.index];
      return x.src_lp != y.src_lp ? x.src_lp < y.src_lp : x.src_seq < y.src_seq;
    };
    if (n < kRadixMinEvents) {
      std::sort(keys_.begin(), keys_.end(), [&source_before](const Key& a, const Key& b) {
        return a.lp_time != b.lp_time ? a.lp_time < b.lp_time : source_before(a, b);
      });
    } else {
      if (n < kWideDigitMinEvents) {
        RadixSort<7>(key_bits);
      } else {
        RadixSort<11>(key_bits);
      }
      // Runs that tie on (dst_lp, time) are in arrival order: put each in source order.
      for (size_t i = 0; i + 1 < n;) {
        size_t j = i + 1;
        while (j < n && keys_[j].lp_time == keys_[i].lp_time) ++j;
        if (j - i > 1) std::sort(keys_.begin() + static_cast<std::ptrdiff_t>(i), keys_.begin() + static_cast<std::ptrdiff_t>(j), source_before);
        i = j;
      }
    }
    sorted_.resize(n);
    for (size_t i = 0; i < n; ++i) sorted_[i] = in[keys_[i].index];
    events->swap(sorted_);
  }

  size_t bytes_reserved() const {
    return (keys_.capacity() + scratch_.capacity()) * sizeof(Key) + sorted_.capacity() * sizeof(Ev);
  }

 private:
  // Below it the comparison sort stays: at 10 to 20 events a window both take the same time.
  static constexpr size_t kRadixMinEvents = 32;
  // From it a pass takes 11 bits, below it 7, so that clearing and summing a pass's counts
  // costs no more than moving the keys.
  static constexpr size_t kWideDigitMinEvents = 1024;

  struct Key {
    uint64_t lp_time;  // (dst_lp - the window's lowest) above the time's offset in the window
    uint32_t index;    // where the event is in the unsorted window
  };

  // Stable sort of keys_ by lp_time, whose set bits are all below key_bits.
  template <int kDigitBits>
  void RadixSort(int key_bits) {
    constexpr size_t kBuckets = size_t{1} << kDigitBits;
    const auto digit = [](uint64_t key, int pass) {
      return static_cast<size_t>(key >> (pass * kDigitBits)) & (kBuckets - 1);
    };
    const size_t n = keys_.size();
    const int passes = (key_bits + kDigitBits - 1) / kDigitBits;
    counts_.assign(static_cast<size_t>(passes) * kBuckets, 0);
    for (const Key& k : keys_) {
      for (int p = 0; p < passes; ++p) ++counts_[static_cast<size_t>(p) * kBuckets + digit(k.lp_time, p)];
    }
    scratch_.resize(n);
    for (int p = 0; p < passes; ++p) {
      uint32_t* count = &counts_[static_cast<size_t>(p) * kBuckets];
      if (count[digit(keys_[0].lp_time, p)] == n) continue;  // every key has this digit
      uint32_t sum = 0;
      for (size_t b = 0; b < kBuckets; ++b) {
        const uint32_t c = count[b];
        count[b] = sum;
        sum += c;
      }
      for (const Key& k : keys_) scratch_[count[digit(k.lp_time, p)]++] = k;
      keys_.swap(scratch_);
    }
  }

  std::vector<Key> keys_;
  std::vector<Key> scratch_;
  std::vector<uint32_t> counts_;
  std::vector<Ev> sorted_;
};

}  // namespace clawsim::engine
