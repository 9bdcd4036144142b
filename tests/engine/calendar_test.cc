#include "sim/engine/calendar.h"

#include <algorithm>
#include <vector>

#include <gtest/gtest.h>

#include "sim/engine/rng.h"

namespace clawsim::engine {
namespace {

using Ev = Event<NoPayload>;

Ev At(TimeUs t, uint32_t seq = 0) {
  Ev e;
  e.time_us = t;
  e.src_seq = seq;
  return e;
}

TEST(CalendarTest, EmptyHasNoWindow) {
  Calendar<Ev> c;
  c.Init(10, 64);
  EXPECT_EQ(c.NextWindow(), kNoWindow);
  EXPECT_EQ(c.size(), 0u);
}

TEST(CalendarTest, BucketsByWindowAndDrainsInWindowOrder) {
  Calendar<Ev> c;
  c.Init(10, 64);
  c.Push(At(25));
  c.Push(At(3));
  c.Push(At(29));
  c.Push(At(10));
  EXPECT_EQ(c.size(), 4u);
  std::vector<uint64_t> windows;
  std::vector<TimeUs> order;
  while (c.NextWindow() != kNoWindow) {
    const uint64_t w = c.NextWindow();
    windows.push_back(w);
    c.AdvanceTo(w);
    std::vector<Ev> out;
    c.DrainBase(&out);
    for (const Ev& e : out) {
      EXPECT_EQ(c.WindowOf(e.time_us), w);
      order.push_back(e.time_us);
    }
  }
  EXPECT_EQ(windows, (std::vector<uint64_t>{0, 1, 2}));
  EXPECT_EQ(order.size(), 4u);
  EXPECT_EQ(c.size(), 0u);
}

TEST(CalendarTest, FarEventsOverflowAndMigrateAsTheRingAdvances) {
  Calendar<Ev> c;
  c.Init(1, 64);  // ring covers 64 windows
  c.Push(At(5));
  c.Push(At(1000));    // overflow
  c.Push(At(100000));  // overflow
  EXPECT_EQ(c.NextWindow(), 5u);
  c.AdvanceTo(5);
  std::vector<Ev> out;
  c.DrainBase(&out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(c.NextWindow(), 1000u);  // skips the idle gap
  c.AdvanceTo(1000);
  out.clear();
  c.DrainBase(&out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].time_us, 1000);
  EXPECT_EQ(c.NextWindow(), 100000u);
}

TEST(CalendarTest, ManyRandomEventsComeOutInWindowOrderAndNoneIsLost) {
  Calendar<Ev> c;
  c.Init(7, 64);
  Rng rng = Rng::ForStream(3, 4);
  std::vector<TimeUs> pushed;
  for (uint32_t i = 0; i < 20000; ++i) {
    const TimeUs t = static_cast<TimeUs>(rng.UniformInt(5000));
    pushed.push_back(t);
    c.Push(At(t, i));
  }
  std::vector<TimeUs> drained;
  uint64_t last_window = 0;
  while (c.NextWindow() != kNoWindow) {
    const uint64_t w = c.NextWindow();
    EXPECT_GE(w, last_window);
    last_window = w;
    c.AdvanceTo(w);
    std::vector<Ev> out;
    c.DrainBase(&out);
    for (const Ev& e : out) drained.push_back(e.time_us);
  }
  std::sort(pushed.begin(), pushed.end());
  std::vector<TimeUs> sorted = drained;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, pushed);
}

}  // namespace
}  // namespace clawsim::engine
