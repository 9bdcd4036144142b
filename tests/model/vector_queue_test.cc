// VectorQueue keeps the order a std::deque would: the model's task queues moved to it, and
// every result depends on which task comes first.
#include "sim/model/vector_queue.h"

#include <algorithm>
#include <deque>
#include <random>

#include <gtest/gtest.h>

namespace clawsim::model {
namespace {

TEST(VectorQueueTest, RandomOperationsMatchADeque) {
  std::mt19937 rng(7);
  VectorQueue<int> q;
  std::deque<int> d;
  for (int step = 0; step < 200000; ++step) {
    const int op = static_cast<int>(rng() % 10);
    if (op < 4) {
      q.push_back(step);
      d.push_back(step);
    } else if (op < 5) {
      q.push_front(step);
      d.push_front(step);
    } else if (op < 8 && !d.empty()) {
      q.pop_front();
      d.pop_front();
    } else if (!d.empty()) {  // remove one from anywhere, as TakeQueued does
      const size_t i = rng() % d.size();
      q.erase(q.begin() + static_cast<std::ptrdiff_t>(i));
      d.erase(d.begin() + static_cast<std::ptrdiff_t>(i));
    }
    ASSERT_EQ(q.size(), d.size());
    ASSERT_TRUE(std::equal(q.begin(), q.end(), d.begin(), d.end())) << "step " << step;
    if (!d.empty()) {
      ASSERT_EQ(q.front(), d.front());
    }
  }
}

TEST(VectorQueueTest, AnEmptiedQueueGivesBackASpike) {
  VectorQueue<int> q;
  EXPECT_EQ(q.bytes_reserved(), 0u);  // nothing until the first push
  for (int i = 0; i < 1000; ++i) q.push_back(i);
  EXPECT_GE(q.bytes_reserved(), 1000 * sizeof(int));
  while (!q.empty()) q.pop_front();
  EXPECT_EQ(q.bytes_reserved(), 0u);
}

}  // namespace
}  // namespace clawsim::model
