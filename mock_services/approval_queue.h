// Human approval: the queue of an approver, and how tired approvers decide.
//
// Flow (see services_world.cc for a complete wiring on the engine):
//   1. The gate says ask. The requester's LP parks the request in its PendingAsks table and
//      sends an ApprovalRequest event to the approver's employee LP (delay >= lookahead).
//   2. The approver's LP calls Enqueue, then Poll, and schedules what Poll returns as a
//      self event: a wake-up at the next working moment, or the end of a review.
//   3. At the end of a review the LP calls CompleteReview, which pops the head of the queue,
//      decides, and returns the verdict; the LP sends it back to the requester and polls
//      again. Requests are served FIFO, one at a time, only while the approver is at work
//      (WorkCalendar) and not busy with other work (SetBusyUntil).
//
// Fatigue. A review is correct with probability p(n), where n is the number of reviews the
// approver has already completed that day (day = WorkCalendar::DayIndex):
//     p(n) = p_floor + (p_fresh - p_floor) * 2^(-n / half_life_reviews)
// so the margin above the floor halves every half_life_reviews reviews. A correct review
// approves a request that should be approved and rejects one that should not; an incorrect
// one does the opposite (approves a bad request or rejects a good one).
//
// Threading: an ApprovalQueue is owned by its approver's LP.
#pragma once

#include <cstdint>
#include <deque>

#include "mock_services/action.h"
#include "mock_services/ids.h"
#include "mock_services/work_calendar.h"
#include "sim/common/status.h"
#include "sim/engine/event.h"
#include "sim/engine/rng.h"
#include "sim/engine/time.h"

namespace clawsim::services {

struct FatigueCurve {
  double p_correct_fresh = 0.98;   // p(0): the first review of the day
  double p_correct_floor = 0.60;   // the limit after very many reviews
  double half_life_reviews = 20;   // reviews after which the margin above the floor halves

  Status Validate() const;
  double PCorrect(uint32_t reviews_done_today) const;
};

struct ApprovalOptions {
  FatigueCurve fatigue;
  engine::TimeUs review_us = 3 * engine::kUsPerMinute;  // approver time per request
  // 0: requests wait for an answer however long it takes. Otherwise the requester resolves
  // the ask itself this long after asking: auto-approved when auto_approve_on_timeout, else
  // expired (not executed).
  engine::TimeUs timeout_us = 0;
  bool auto_approve_on_timeout = false;

  Status Validate() const;
};

struct ApprovalRequest {
  uint64_t request_id = 0;        // the requester's request id (audit_log.h)
  engine::LpId reply_lp = 0;      // where the verdict goes
  bool should_approve = true;     // ground truth: would a careful approver approve it?
  Action action = Action::kEmailRead;
  engine::TimeUs enqueued_at_us = 0;  // set by Enqueue
};

struct ApprovalVerdict {
  ApprovalRequest request;
  bool approved = false;
  bool correct = true;
  uint32_t reviews_before_today = 0;  // n in p(n)
  engine::TimeUs waited_us = 0;       // from enqueue to decision
};

class ApprovalQueue {
 public:
  struct Step {
    enum Kind : uint8_t { kNothing, kWakeAt, kReviewDoneAt } kind = kNothing;
    engine::TimeUs at_us = 0;
  };

  void Enqueue(const ApprovalRequest& request, engine::TimeUs now_us);
  // What the LP must schedule next, if anything. Starts a review when the approver is at work,
  // free and has a request waiting. Returns kWakeAt at most once per distinct wake time, so
  // the LP never floods itself with wake-ups; on every wake-up event, call Poll again.
  Step Poll(engine::TimeUs now_us, const WorkCalendar& calendar, const ApprovalOptions& options);
  // Ends the review started by Poll (call at the time Poll returned). Pops and decides.
  ApprovalVerdict CompleteReview(engine::TimeUs now_us, const ApprovalOptions& options, engine::Rng& rng);
  // Withdraws a request still waiting (the requester timed out). False when it is unknown or
  // already under review (its verdict will arrive and be dropped by the requester).
  bool Cancel(uint64_t request_id);
  // The approver is busy with other work until t_us; reviews start no earlier.
  void SetBusyUntil(engine::TimeUs t_us) { busy_until_us_ = t_us > busy_until_us_ ? t_us : busy_until_us_; }

  size_t waiting() const { return queue_.size() - (reviewing_ ? 1 : 0); }
  bool reviewing() const { return reviewing_; }
  struct Stats {
    uint64_t reviews = 0;
    uint64_t approved = 0;
    uint64_t wrong_approvals = 0;    // approved although it should not have been
    uint64_t wrong_rejections = 0;   // rejected although it should have been approved
    uint64_t cancelled = 0;
    engine::TimeUs review_time_us = 0;  // approver time spent
    engine::TimeUs total_wait_us = 0;   // sum over reviews of enqueue-to-decision time
  };
  const Stats& stats() const { return stats_; }

 private:
  std::deque<ApprovalRequest> queue_;  // head is under review when reviewing_
  bool reviewing_ = false;
  engine::TimeUs review_started_us_ = 0;
  engine::TimeUs busy_until_us_ = 0;
  engine::TimeUs wake_at_us_ = -1;     // the pending wake-up Poll asked for, -1 if none
  int64_t day_ = -1;                   // day of reviews_today_
  uint32_t reviews_today_ = 0;
  Stats stats_;
};

}  // namespace clawsim::services
