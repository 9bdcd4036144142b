#include "mock_services/approval_queue.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string>

namespace clawsim::services {

using engine::TimeUs;

Status FatigueCurve::Validate() const {
  if (!(p_correct_floor >= 0 && p_correct_floor <= p_correct_fresh && p_correct_fresh <= 1)) {
    return Status::Error("approval fatigue: need 0 <= p_correct_floor <= p_correct_fresh <= 1, got floor " +
                         std::to_string(p_correct_floor) + " and fresh " + std::to_string(p_correct_fresh));
  }
  if (!(half_life_reviews > 0)) {
    return Status::Error("approval fatigue: half_life_reviews must be > 0, got " + std::to_string(half_life_reviews));
  }
  return Status::Ok();
}

double FatigueCurve::PCorrect(uint32_t n) const {
  return p_correct_floor + (p_correct_fresh - p_correct_floor) * std::exp2(-static_cast<double>(n) / half_life_reviews);
}

Status ApprovalOptions::Validate() const {
  Status s = fatigue.Validate();
  if (!s.ok()) return s;
  if (review_us <= 0) return Status::Error("approval: review_us must be > 0, got " + std::to_string(review_us));
  if (timeout_us < 0) return Status::Error("approval: timeout_us must be >= 0 (0 = no timeout)");
  if (auto_approve_on_timeout && timeout_us == 0) {
    return Status::Error("approval: auto_approve_on_timeout needs timeout_us > 0");
  }
  return Status::Ok();
}

void ApprovalQueue::Enqueue(const ApprovalRequest& request, TimeUs now_us) {
  queue_.push_back(request);
  queue_.back().enqueued_at_us = now_us;
}

ApprovalQueue::Step ApprovalQueue::Poll(TimeUs now_us, const WorkCalendar& calendar, const ApprovalOptions& options) {
  if (wake_at_us_ >= 0 && wake_at_us_ <= now_us) wake_at_us_ = -1;  // that wake-up has come
  if (reviewing_ || queue_.empty()) return {};
  const TimeUs start = calendar.NextWorkStart(std::max(now_us, busy_until_us_));
  if (start > now_us) {
    if (wake_at_us_ == start) return {};
    wake_at_us_ = start;
    return {Step::kWakeAt, start};
  }
  reviewing_ = true;
  review_started_us_ = now_us;
  return {Step::kReviewDoneAt, now_us + options.review_us};
}

ApprovalVerdict ApprovalQueue::CompleteReview(TimeUs now_us, const ApprovalOptions& options, engine::Rng& rng) {
  assert(reviewing_ && !queue_.empty());
  const int64_t day = WorkCalendar::DayIndex(review_started_us_);
  if (day != day_) {
    day_ = day;
    reviews_today_ = 0;
  }
  ApprovalVerdict v;
  v.request = queue_.front();
  queue_.pop_front();
  reviewing_ = false;
  v.reviews_before_today = reviews_today_++;
  v.correct = rng.Bernoulli(options.fatigue.PCorrect(v.reviews_before_today));
  v.approved = v.correct == v.request.should_approve;
  v.waited_us = now_us - v.request.enqueued_at_us;
  ++stats_.reviews;
  if (v.approved) ++stats_.approved;
  if (!v.correct) ++(v.approved ? stats_.wrong_approvals : stats_.wrong_rejections);
  stats_.review_time_us += now_us - review_started_us_;
  stats_.total_wait_us += v.waited_us;
  return v;
}

bool ApprovalQueue::Cancel(uint64_t request_id) {
  const size_t first_waiting = reviewing_ ? 1 : 0;
  for (size_t i = first_waiting; i < queue_.size(); ++i) {
    if (queue_[i].request_id == request_id) {
      queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(i));
      ++stats_.cancelled;
      return true;
    }
  }
  return false;
}

}  // namespace clawsim::services
