// Audit logs: per-LP sequence, deterministic merge, fingerprint, counts, work calendar.
#include <gtest/gtest.h>

#include <vector>

#include "mock_services/audit_log.h"
#include "mock_services/work_calendar.h"

namespace clawsim::services {
namespace {

AuditRecord At(engine::TimeUs t, uint64_t request, Decision d) {
  AuditRecord r;
  r.time_us = t;
  r.request_id = request;
  r.decision = d;
  return r;
}

TEST(AuditLogTest, MergeOrdersByTimeThenLpThenSequence) {
  AuditLog a(3), b(1);
  a.Append(At(10, 1, Decision::kAllowed));
  a.Append(At(10, 2, Decision::kDenied));
  a.Append(At(5, 3, Decision::kAllowed));  // an LP's records need not be time-sorted
  b.Append(At(10, 4, Decision::kRateLimited));
  EXPECT_EQ(a.records()[1].seq, 1u);
  EXPECT_EQ(a.records()[1].lp, 3u);
  const AuditLog* logs[] = {&a, &b};
  const std::vector<AuditRecord> m = MergeAuditLogs(logs);
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[0].request_id, 3u);
  EXPECT_EQ(m[1].request_id, 4u);  // LP 1 before LP 3 at t=10
  EXPECT_EQ(m[2].request_id, 1u);
  EXPECT_EQ(m[3].request_id, 2u);
  const AuditLog* reversed[] = {&b, &a};
  EXPECT_EQ(MergeAuditLogs(reversed), m);  // input order does not matter
  const AuditCounts c = CountAudit(m);
  EXPECT_EQ(c.total, 4u);
  EXPECT_EQ(c.by_decision[static_cast<int>(Decision::kAllowed)], 2u);
  EXPECT_EQ(c.by_decision[static_cast<int>(Decision::kRateLimited)], 1u);
}

TEST(AuditLogTest, FingerprintSeesEveryField) {
  std::vector<AuditRecord> v = {At(1, 1, Decision::kAllowed), At(2, 2, Decision::kDenied)};
  const uint64_t base = AuditFingerprint(v);
  EXPECT_EQ(AuditFingerprint(v), base);
  auto changed = [&](auto mutate) {
    std::vector<AuditRecord> w = v;
    mutate(w[1]);
    return AuditFingerprint(w) != base;
  };
  EXPECT_TRUE(changed([](AuditRecord& r) { r.outcome = Outcome::kDone; }));
  EXPECT_TRUE(changed([](AuditRecord& r) { r.agent = 4; }));
  EXPECT_TRUE(changed([](AuditRecord& r) { r.target = 4; }));
  EXPECT_TRUE(changed([](AuditRecord& r) { r.action = Action::kDeployProd; }));
  EXPECT_TRUE(changed([](AuditRecord& r) { r.object_id = 4; }));
  std::swap(v[0], v[1]);
  EXPECT_NE(AuditFingerprint(v), base);
}

TEST(WorkCalendarTest, HoursWeekendsAndNextStart) {
  const WorkCalendar cal;  // Monday start
  using engine::kUsPerDay;
  using engine::kUsPerHour;
  EXPECT_FALSE(cal.IsWorking(8 * kUsPerHour));
  EXPECT_TRUE(cal.IsWorking(9 * kUsPerHour));
  EXPECT_FALSE(cal.IsWorking(17 * kUsPerHour));
  EXPECT_FALSE(cal.IsWorking(5 * kUsPerDay + 10 * kUsPerHour));  // Saturday
  EXPECT_EQ(cal.NextWorkStart(17 * kUsPerHour), kUsPerDay + 9 * kUsPerHour);
  EXPECT_EQ(cal.NextWorkStart(5 * kUsPerDay), 7 * kUsPerDay + 9 * kUsPerHour);
  EXPECT_EQ(cal.NextWorkStart(10 * kUsPerHour), 10 * kUsPerHour);
  WorkCalendar sunday_start;
  sunday_start.first_weekday = 6;
  EXPECT_FALSE(sunday_start.IsWorking(10 * kUsPerHour));
  EXPECT_TRUE(sunday_start.IsWorking(kUsPerDay + 10 * kUsPerHour));
}

}  // namespace
}  // namespace clawsim::services
