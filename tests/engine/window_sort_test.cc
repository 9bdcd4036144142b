#include "sim/engine/window_sort.h"

#include <algorithm>
#include <vector>

#include <gtest/gtest.h>

#include "sim/engine/rng.h"

namespace clawsim::engine {
namespace {

using Ev = Event<NoPayload>;

bool ProcessedBefore(const Ev& a, const Ev& b) {
  if (a.dst_lp != b.dst_lp) return a.dst_lp < b.dst_lp;
  return DeliveredBefore(a, b);
}

// A window of `n` events to `lps` LPs (from `first_lp`) at `times` distinct times across
// the window, from 3,000 sources: few LPs and times make many ties that the source decides.
std::vector<Ev> Window(uint32_t n, LpId first_lp, uint32_t lps, uint32_t times, TimeUs window_start_us, uint64_t seed) {
  Rng rng = Rng::ForStream(seed, 0);
  std::vector<Ev> events;
  for (uint32_t i = 0; i < n; ++i) {
    Ev e;
    e.dst_lp = first_lp + static_cast<LpId>(rng.UniformInt(lps));
    e.time_us = window_start_us + static_cast<TimeUs>(rng.UniformInt(times)) * (times > 1 ? TimeUs{UINT32_MAX} / (times - 1) : 0);
    e.src_lp = static_cast<LpId>(rng.UniformInt(3000));
    e.src_seq = i;  // (src_lp, src_seq) is unique, as in the engine
    e.kind = i;
    events.push_back(e);
  }
  return events;
}

TEST(WindowSorterTest, SameOrderAsTheFullComparison) {
  // A window of 1,000 events (the radix sort, 7 bits a pass), with many ties that the
  // source decides.
  const TimeUs window_start_us = 7 * (TimeUs{1} << 32) + 123;
  std::vector<Ev> events = Window(1000, 0, 50, 4, window_start_us, 5);
  std::vector<Ev> expected = events;
  std::sort(expected.begin(), expected.end(), ProcessedBefore);
  WindowSorter<Ev> sorter;
  sorter.Sort(&events, window_start_us);
  ASSERT_EQ(events.size(), expected.size());
  for (size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].kind, expected[i].kind) << i;
  // Reuse keeps working (the sorter keeps its buffers).
  std::vector<Ev> empty;
  sorter.Sort(&empty, window_start_us);
  EXPECT_TRUE(empty.empty());
}

TEST(WindowSorterTest, WindowsOfEverySizeWithWideKeysSortTheSameWay) {
  // LPs spread over the whole id range and times over 2^32 us, so (LP, time) takes 64 bits:
  // the comparison sort below 32 events, and radix sorts of 7 bits a pass (many passes)
  // and of 11, each with a tie on (LP, time) that the source decides.
  const TimeUs window_start_us = 5 * (TimeUs{1} << 32) + 9;
  WindowSorter<Ev> sorter;
  for (uint32_t n : {1u, 2u, 30u, 31u, 100u, 1022u, 1023u, 5000u}) {  // one event more below
    std::vector<Ev> events = Window(n, 0, UINT32_MAX, 5, window_start_us, n);
    Ev tie = events.front();  // arrives first, delivered second
    tie.src_lp += 1;
    tie.kind = n;
    events.insert(events.begin(), tie);
    std::vector<Ev> expected = events;
    std::sort(expected.begin(), expected.end(), ProcessedBefore);
    sorter.Sort(&events, window_start_us);
    ASSERT_EQ(events.size(), expected.size());
    for (size_t i = 0; i < events.size(); ++i) ASSERT_EQ(events[i].kind, expected[i].kind) << n << " at " << i;
  }
}

TEST(WindowSorterTest, LargeWindowsSortTheSameWay) {
  // Windows large enough for the radix sort: ties everywhere; LPs far from 0 spread over a
  // million; times across the whole 2^32 us; one LP and one time (nothing to sort on but
  // the source); and a sorter reused across windows of different shapes.
  const TimeUs window_start_us = 3 * (TimeUs{1} << 32) + 77;
  WindowSorter<Ev> sorter;
  const struct {
    uint32_t n;
    LpId first_lp;
    uint32_t lps;
    uint32_t times;
  } shapes[] = {{20000, 0, 50, 4}, {60000, 400000, 1000000, 100000}, {9000, 123456, 1, 1}, {5000, 7, 3000, 1000}};
  for (const auto& shape : shapes) {
    std::vector<Ev> events = Window(shape.n, shape.first_lp, shape.lps, shape.times, window_start_us, shape.n);
    std::vector<Ev> expected = events;
    std::sort(expected.begin(), expected.end(), ProcessedBefore);
    sorter.Sort(&events, window_start_us);
    ASSERT_EQ(events.size(), expected.size());
    for (size_t i = 0; i < events.size(); ++i) ASSERT_EQ(events[i].kind, expected[i].kind) << shape.n << " at " << i;
  }
}

}  // namespace
}  // namespace clawsim::engine
