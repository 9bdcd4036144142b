// Calendar: one partition's future event set, bucketed by window.
//
// Window w holds the events with time in [w * width_us, (w + 1) * width_us), where width_us
// is the engine's lookahead. A ring of `ring_windows` buckets covers the near future; events
// further out wait in an overflow heap and move into the ring as it advances. Each bucket is
// a chain of fixed-size blocks from a shared pool, so memory follows the number of pending
// events rather than the largest window ever seen. The pool grows by chunks of blocks that
// never move (no doubling vector: at most one chunk is unused at the peak). Order inside a bucket is arbitrary: the
// engine sorts a window's events before processing them.
//
// Single-threaded: each partition owns one Calendar.
#pragma once

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/engine/event.h"
#include "sim/engine/time.h"

namespace clawsim::engine {

inline constexpr uint64_t kNoWindow = UINT64_MAX;

template <typename Ev>
class Calendar {
 public:
  // width_us > 0; ring_windows is rounded up to a power of two (at least 64).
  void Init(TimeUs width_us, uint32_t ring_windows) {
    width_us_ = width_us;
    uint32_t n = std::bit_ceil(std::max<uint32_t>(ring_windows, 64));
    mask_ = n - 1;
    slots_.assign(n, Slot{});
    occupied_.assign(n / 64, 0);
    base_ = 0;
    size_ = 0;
    chunks_.clear();
    num_blocks_ = 0;
    free_blocks_.clear();
    overflow_.clear();
  }

  uint64_t WindowOf(TimeUs t_us) const { return static_cast<uint64_t>(t_us / width_us_); }
  uint64_t base_window() const { return base_; }
  uint64_t size() const { return size_; }

  // Adds an event; its window must not be before base_window().
  void Push(const Ev& ev) {
    const uint64_t w = WindowOf(ev.time_us);
    assert(w >= base_);
    ++size_;
    if (w - base_ <= mask_) {
      PushToSlot(static_cast<uint32_t>(w & mask_), ev);
    } else {
      overflow_.push_back(ev);
      std::push_heap(overflow_.begin(), overflow_.end(), LaterThan);
    }
  }

  // The earliest window holding an event, or kNoWindow when empty.
  uint64_t NextWindow() const {
    const uint64_t ring_events = size_ - overflow_.size();
    if (ring_events > 0) {
      const uint32_t start = static_cast<uint32_t>(base_ & mask_);
      const uint32_t slot = FindOccupiedFrom(start);
      return base_ + ((slot - start) & mask_);
    }
    if (!overflow_.empty()) return WindowOf(overflow_.front().time_us);
    return kNoWindow;
  }

  // Moves the ring to start at window w. No event may be in a window before w.
  void AdvanceTo(uint64_t w) {
    assert(w >= base_);
    assert(NextWindow() == kNoWindow || NextWindow() >= w);
    base_ = w;
    while (!overflow_.empty() && WindowOf(overflow_.front().time_us) - base_ <= mask_) {
      std::pop_heap(overflow_.begin(), overflow_.end(), LaterThan);
      const Ev ev = overflow_.back();
      overflow_.pop_back();
      PushToSlot(static_cast<uint32_t>(WindowOf(ev.time_us) & mask_), ev);
    }
  }

  // Appends every event of window base_window() to *out and empties that bucket.
  void DrainBase(std::vector<Ev>* out) {
    const uint32_t slot_index = static_cast<uint32_t>(base_ & mask_);
    Slot& slot = slots_[slot_index];
    uint32_t b = slot.head;
    while (b != kNil) {
      Block& block = BlockAt(b);
      out->insert(out->end(), block.events, block.events + block.count);
      size_ -= block.count;
      const uint32_t next = block.next;
      free_blocks_.push_back(b);
      b = next;
    }
    slot = Slot{};
    occupied_[slot_index / 64] &= ~(uint64_t{1} << (slot_index % 64));
  }

  // Bytes held, for memory reports.
  size_t bytes_reserved() const {
    return chunks_.size() * kChunkBlocks * sizeof(Block) + chunks_.capacity() * sizeof(chunks_[0]) +
           free_blocks_.capacity() * sizeof(uint32_t) + overflow_.capacity() * sizeof(Ev) +
           slots_.capacity() * sizeof(Slot) + occupied_.capacity() * sizeof(uint64_t);
  }

 private:
  static constexpr uint32_t kNil = UINT32_MAX;
  static constexpr uint32_t kBlockEvents = 64;
  static constexpr uint32_t kChunkBlocks = 16;
  struct Block {
    uint32_t next;
    uint32_t count;
    Ev events[kBlockEvents];
  };
  struct Slot {
    uint32_t head = kNil;
    uint32_t tail = kNil;
  };

  static bool LaterThan(const Ev& a, const Ev& b) { return a.time_us > b.time_us; }

  void PushToSlot(uint32_t slot_index, const Ev& ev) {
    Slot& slot = slots_[slot_index];
    if (slot.tail == kNil || BlockAt(slot.tail).count == kBlockEvents) {
      const uint32_t b = NewBlock();
      if (slot.tail == kNil) {
        slot.head = b;
        occupied_[slot_index / 64] |= uint64_t{1} << (slot_index % 64);
      } else {
        BlockAt(slot.tail).next = b;
      }
      slot.tail = b;
    }
    Block& block = BlockAt(slot.tail);
    block.events[block.count++] = ev;
  }

  uint32_t NewBlock() {
    uint32_t b;
    if (!free_blocks_.empty()) {
      b = free_blocks_.back();
      free_blocks_.pop_back();
    } else {
      b = num_blocks_++;
      if (b % kChunkBlocks == 0) chunks_.emplace_back(new Block[kChunkBlocks]);
    }
    BlockAt(b).next = kNil;
    BlockAt(b).count = 0;
    return b;
  }
  Block& BlockAt(uint32_t b) { return chunks_[b / kChunkBlocks][b % kChunkBlocks]; }

  // First occupied slot at or after `start`, wrapping around; the ring must not be empty.
  uint32_t FindOccupiedFrom(uint32_t start) const {
    const size_t words = occupied_.size();
    size_t wi = start / 64;
    uint64_t word = occupied_[wi] & (~uint64_t{0} << (start % 64));
    for (size_t i = 0; i <= words; ++i) {
      if (word != 0) return static_cast<uint32_t>(wi * 64 + std::countr_zero(word));
      wi = (wi + 1) % words;
      word = occupied_[wi];
    }
    assert(false && "FindOccupiedFrom on an empty ring");
    return start;
  }

  TimeUs width_us_ = 1;
  uint64_t mask_ = 0;
  uint64_t base_ = 0;
  uint64_t size_ = 0;
  std::vector<Slot> slots_;
  std::vector<uint64_t> occupied_;
  std::vector<std::unique_ptr<Block[]>> chunks_;  // blocks [i * kChunkBlocks, (i + 1) * kChunkBlocks)
  uint32_t num_blocks_ = 0;
  std::vector<uint32_t> free_blocks_;
  std::vector<Ev> overflow_;  // min-heap on time
};

}  // namespace clawsim::engine
