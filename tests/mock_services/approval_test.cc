// Approval queue: working hours, FIFO, review cost, cancel, and the fatigue curve.
#include <gtest/gtest.h>

#include <cmath>

#include "mock_services/approval_queue.h"

namespace clawsim::services {
namespace {

using engine::kUsPerDay;
using engine::kUsPerHour;
using engine::kUsPerMinute;

ApprovalRequest Req(uint64_t id, bool good = true) {
  ApprovalRequest r;
  r.request_id = id;
  r.should_approve = good;
  return r;
}

TEST(FatigueCurveTest, ValuesByHand) {
  const FatigueCurve f;  // 0.98 fresh, 0.60 floor, half-life 20 reviews
  EXPECT_DOUBLE_EQ(f.PCorrect(0), 0.98);
  EXPECT_NEAR(f.PCorrect(20), 0.60 + 0.38 / 2, 1e-12);   // 0.79
  EXPECT_NEAR(f.PCorrect(40), 0.60 + 0.38 / 4, 1e-12);   // 0.695
  EXPECT_NEAR(f.PCorrect(10), 0.60 + 0.38 / std::sqrt(2.0), 1e-12);
  EXPECT_GT(f.PCorrect(1000), 0.60);
  EXPECT_LT(f.PCorrect(1000), 0.6001);
  for (uint32_t n = 0; n < 100; ++n) EXPECT_GT(f.PCorrect(n), f.PCorrect(n + 1));
  FatigueCurve bad;
  bad.p_correct_floor = 0.99;
  EXPECT_FALSE(bad.Validate().ok());
}

TEST(ApprovalQueueTest, WaitsForWorkingHoursThenServesFifoAtReviewCost) {
  ApprovalQueue q;
  const WorkCalendar cal;  // 9-17, Monday..Friday, day 0 = Monday
  ApprovalOptions o;
  engine::Rng rng;
  q.Enqueue(Req(1), 7 * kUsPerHour);
  q.Enqueue(Req(2), 7 * kUsPerHour);
  ApprovalQueue::Step s = q.Poll(7 * kUsPerHour, cal, o);
  ASSERT_EQ(s.kind, ApprovalQueue::Step::kWakeAt);
  EXPECT_EQ(s.at_us, 9 * kUsPerHour);
  EXPECT_EQ(q.Poll(8 * kUsPerHour, cal, o).kind, ApprovalQueue::Step::kNothing);  // wake already pending
  s = q.Poll(9 * kUsPerHour, cal, o);
  ASSERT_EQ(s.kind, ApprovalQueue::Step::kReviewDoneAt);
  EXPECT_EQ(s.at_us, 9 * kUsPerHour + 3 * kUsPerMinute);
  EXPECT_EQ(q.Poll(9 * kUsPerHour + 1, cal, o).kind, ApprovalQueue::Step::kNothing);  // busy reviewing
  EXPECT_FALSE(q.Cancel(1));  // under review
  ApprovalVerdict v = q.CompleteReview(s.at_us, o, rng);
  EXPECT_EQ(v.request.request_id, 1u);
  EXPECT_EQ(v.waited_us, 2 * kUsPerHour + 3 * kUsPerMinute);
  EXPECT_EQ(v.reviews_before_today, 0u);
  s = q.Poll(s.at_us, cal, o);
  ASSERT_EQ(s.kind, ApprovalQueue::Step::kReviewDoneAt);
  v = q.CompleteReview(s.at_us, o, rng);
  EXPECT_EQ(v.request.request_id, 2u);
  EXPECT_EQ(v.reviews_before_today, 1u);
  EXPECT_EQ(q.stats().reviews, 2u);
  EXPECT_EQ(q.stats().review_time_us, 6 * kUsPerMinute);
}

TEST(ApprovalQueueTest, FridayEveningWaitsForMondayAndBusyApproverWaits) {
  ApprovalQueue q;
  const WorkCalendar cal;
  ApprovalOptions o;
  const engine::TimeUs friday_18 = 4 * kUsPerDay + 18 * kUsPerHour;
  q.Enqueue(Req(1), friday_18);
  ApprovalQueue::Step s = q.Poll(friday_18, cal, o);
  ASSERT_EQ(s.kind, ApprovalQueue::Step::kWakeAt);
  EXPECT_EQ(s.at_us, 7 * kUsPerDay + 9 * kUsPerHour);
  ApprovalQueue busy;
  busy.SetBusyUntil(11 * kUsPerHour);
  busy.Enqueue(Req(1), 10 * kUsPerHour);
  s = busy.Poll(10 * kUsPerHour, cal, o);
  ASSERT_EQ(s.kind, ApprovalQueue::Step::kWakeAt);
  EXPECT_EQ(s.at_us, 11 * kUsPerHour);
}

TEST(ApprovalQueueTest, CancelRemovesAWaitingRequest) {
  ApprovalQueue q;
  const WorkCalendar cal;
  ApprovalOptions o;
  engine::Rng rng;
  q.Enqueue(Req(1), 10 * kUsPerHour);
  q.Enqueue(Req(2), 10 * kUsPerHour);
  q.Enqueue(Req(3), 10 * kUsPerHour);
  const ApprovalQueue::Step s = q.Poll(10 * kUsPerHour, cal, o);
  EXPECT_TRUE(q.Cancel(2));
  EXPECT_FALSE(q.Cancel(2));
  EXPECT_EQ(q.waiting(), 1u);
  q.CompleteReview(s.at_us, o, rng);
  q.Poll(s.at_us, cal, o);
  EXPECT_EQ(q.CompleteReview(s.at_us + o.review_us, o, rng).request.request_id, 3u);
  EXPECT_EQ(q.stats().cancelled, 1u);
}

// Reviews decided by a fatigued approver: the share of correct decisions among the k-th
// reviews of a day matches p(k), and the count resets the next day.
TEST(ApprovalQueueTest, CorrectnessFallsWithReviewsThatDayAndResetsNextDay) {
  ApprovalOptions o;
  o.fatigue = {0.95, 0.55, 10};
  o.review_us = kUsPerMinute;
  const WorkCalendar cal;
  engine::Rng rng = engine::Rng::ForStream(7, 0);
  const int days = 400, per_day = 60;
  int correct_first10 = 0, correct_last10 = 0;
  uint64_t wrong_approvals = 0, wrong_rejections = 0;
  ApprovalQueue q;
  for (int d = 0; d < days; ++d) {
    const int64_t day = (d / 5) * 7 + d % 5;  // working days only
    engine::TimeUs t = day * kUsPerDay + 9 * kUsPerHour;
    for (int k = 0; k < per_day; ++k) q.Enqueue(Req(static_cast<uint64_t>(k), k % 2 == 0), t);
    for (int k = 0; k < per_day; ++k) {
      const ApprovalQueue::Step s = q.Poll(t, cal, o);
      ASSERT_EQ(s.kind, ApprovalQueue::Step::kReviewDoneAt);
      t = s.at_us;
      const ApprovalVerdict v = q.CompleteReview(t, o, rng);
      ASSERT_EQ(v.reviews_before_today, static_cast<uint32_t>(k));
      EXPECT_EQ(v.approved, v.correct == v.request.should_approve);
      if (k < 10) correct_first10 += v.correct;
      if (k >= per_day - 10) correct_last10 += v.correct;
    }
  }
  wrong_approvals = q.stats().wrong_approvals;
  wrong_rejections = q.stats().wrong_rejections;
  double expect_first = 0, expect_last = 0;
  for (int k = 0; k < 10; ++k) {
    expect_first += o.fatigue.PCorrect(static_cast<uint32_t>(k));
    expect_last += o.fatigue.PCorrect(static_cast<uint32_t>(per_day - 10 + k));
  }
  const double n = days * 10.0;  // 4000 draws each; sd of a share <= 0.008
  EXPECT_NEAR(correct_first10 / n, expect_first / 10, 0.03);
  EXPECT_NEAR(correct_last10 / n, expect_last / 10, 0.03);
  EXPECT_GT(wrong_approvals, 0u);
  EXPECT_GT(wrong_rejections, 0u);
}

TEST(ApprovalOptionsTest, AutoApproveNeedsATimeout) {
  ApprovalOptions o;
  o.auto_approve_on_timeout = true;
  EXPECT_FALSE(o.Validate().ok());
  o.timeout_us = kUsPerHour;
  EXPECT_TRUE(o.Validate().ok());
}

}  // namespace
}  // namespace clawsim::services
