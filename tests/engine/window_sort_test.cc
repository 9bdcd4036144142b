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

TEST(WindowSorterTest, SameOrderAsTheFullComparison) {
  // Many ties on (dst_lp, time) so that the source decides, and times across the window.
  const TimeUs window_start_us = 7 * (TimeUs{1} << 32) + 123;
  Rng rng = Rng::ForStream(5, 0);
  std::vector<Ev> events;
  for (uint32_t i = 0; i < 5000; ++i) {
    Ev e;
    e.dst_lp = static_cast<LpId>(rng.UniformInt(50));
    e.time_us = window_start_us + static_cast<TimeUs>(rng.UniformInt(4)) * (TimeUs{UINT32_MAX} / 3);
    e.src_lp = static_cast<LpId>(rng.UniformInt(3000));
    e.src_seq = i;  // (src_lp, src_seq) is unique, as in the engine
    e.kind = i;
    events.push_back(e);
  }
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

}  // namespace
}  // namespace clawsim::engine
