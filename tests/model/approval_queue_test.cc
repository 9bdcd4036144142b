// The approval queue against queueing theory. In a configuration where it is a pure queue
// (tests/model/approval_queue.textproto: one approver with nothing else to do, Poisson asks,
// a constant decision time, no expiry), the mean time from an ask to its answer must be what
// the Pollaczek-Khinchine formula gives for an M/D/1 queue, plus the two message latencies:
//   W = 2 x latency + D + rho x D / (2 x (1 - rho)),   rho = lambda x D.
// (The model's approvals have a constant decision time and one approver per ask, so M/D/1,
// not Erlang C's M/M/c, is the queue it can be; with c = 1 and exponential service Erlang C
// reduces to the same form with twice the queueing term.)

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sim/model/runner.h"
#include "sim/model/world.h"
#include "tests/model/run_scenario.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CLAWSIM_SANITIZED 1
#endif

namespace clawsim::model {
namespace {

struct QueueRun {
  double wait_minutes = 0;     // measured mean, ask to answer
  double expected_minutes = 0;  // Pollaczek-Khinchine
  double rho = 0;
};

QueueRun RunQueue(const std::string& emails_per_day, const std::string& days) {
  scenario::LoadedScenario loaded;
  const RunResult r = RunScenarioFile("tests/model/approval_queue.textproto",
                                      {"roles[role=OTHER].emails.per_day=" + emails_per_day, "run.days=" + days},
                                      TwoThreadsNoAudit(4), {}, &loaded);
  const SafetyMeasures& sf = r.summary.safety;
  EXPECT_EQ(r.summary.gate[static_cast<int>(GateOutcome::kAskedExpired)], 0u);
  const double decision_minutes = loaded.compiled.approvals.minutes_per_approval;
  const double lambda_per_minute = static_cast<double>(sf.approvals_decided) / (r.summary.days * 24.0 * 60.0);
  const double latency_minutes = static_cast<double>(kMinCrossLpLatencyUs) / engine::kUsPerMinute;
  QueueRun q;
  q.rho = lambda_per_minute * decision_minutes;
  q.wait_minutes = sf.approval_wait_minutes_mean;
  q.expected_minutes = 2 * latency_minutes + decision_minutes + q.rho * decision_minutes / (2 * (1 - q.rho));
  return q;
}

TEST(ApprovalQueueTest, MeanWaitIsPollaczekKhinchineForAnMD1Queue) {
#ifdef CLAWSIM_SANITIZED
  // Under the sanitizers one load is enough to check the code; the closed form is checked
  // at three loads in the plain build.
  const std::vector<std::pair<std::string, std::string>> loads = {{"4", "30"}};
#else
  const std::vector<std::pair<std::string, std::string>> loads = {{"2", "30"}, {"4", "30"}, {"5", "60"}};
#endif
  for (const auto& [per_day, days] : loads) {
    const QueueRun q = RunQueue(per_day, days);
    EXPECT_GT(q.rho, 0.2);
    EXPECT_LT(q.rho, 0.8);
    EXPECT_NEAR(q.wait_minutes, q.expected_minutes, 0.08 * q.expected_minutes)
        << per_day << " emails a day each: load " << q.rho;
  }
}

// The queue, not the decision time, is what grows with load: doubling the asks more than
// doubles the time spent waiting in line.
TEST(ApprovalQueueTest, WaitingInLineGrowsFasterThanTheLoad) {
  const QueueRun light = RunQueue("2", "30"), heavy = RunQueue("4", "30");
  const double fixed = 2 + 6;  // two latencies and the decision
  EXPECT_GT(heavy.wait_minutes - fixed, 2 * (light.wait_minutes - fixed));
}

}  // namespace
}  // namespace clawsim::model
