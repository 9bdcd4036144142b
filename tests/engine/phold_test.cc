#include "sim/bench/phold.h"

#include <cmath>

#include <gtest/gtest.h>

namespace clawsim::bench {
namespace {

PholdOptions Small() {
  PholdOptions o;
  o.lps = 512;
  o.events_per_lp = 2;
  o.remote = 0.25;
  o.mean_us = 1'000'000;
  o.lookahead_us = 100'000;
  o.end_us = 200'000'000;
  return o;
}

TEST(PholdTest, CommittedEventsMatchTheRenewalExpectation) {
  for (double remote : {0.0, 0.25, 1.0}) {
    PholdOptions o = Small();
    o.remote = remote;
    PholdResult r;
    ASSERT_TRUE(RunPhold(o, &r).ok());
    const PholdExpectation e = ExpectedPholdEvents(o);
    // About 512*2*200 = 204,800 events; the allowed error is 4 standard deviations (~1,500).
    EXPECT_NEAR(static_cast<double>(r.events_committed), e.mean_events, 4 * e.stddev_events)
        << "remote=" << remote;
    EXPECT_LT(4 * e.stddev_events, 0.01 * e.mean_events);  // the check is tight, not vacuous
  }
}

TEST(PholdTest, EventPopulationIsConstant) {
  PholdOptions o = Small();
  PholdResult r;
  ASSERT_TRUE(RunPhold(o, &r).ok());
  EXPECT_EQ(r.events_pending, uint64_t{o.lps} * o.events_per_lp);
  EXPECT_EQ(r.events_sent, r.events_committed + r.events_pending);
}

TEST(PholdTest, SameFingerprintWithOneTwoThreeAndEightThreads) {
  PholdOptions o = Small();
  o.end_us = 50'000'000;
  PholdResult base;
  ASSERT_TRUE(RunPhold(o, &base).ok());
  for (int threads : {2, 3, 8}) {
    for (uint32_t partitions : {0u, 5u, 64u}) {
      o.threads = threads;
      o.partitions = partitions;
      PholdResult r;
      ASSERT_TRUE(RunPhold(o, &r).ok());
      EXPECT_EQ(r.fingerprint, base.fingerprint) << threads << " threads, " << partitions << " partitions";
      EXPECT_EQ(r.events_committed, base.events_committed);
    }
  }
  o.seed = 2;
  PholdResult other;
  ASSERT_TRUE(RunPhold(o, &other).ok());
  EXPECT_NE(other.fingerprint, base.fingerprint);
}

TEST(PholdTest, RemoteEventsCrossPartitionsInProportion) {
  PholdOptions o = Small();
  o.threads = 2;
  o.partitions = 4;
  PholdResult r;
  ASSERT_TRUE(RunPhold(o, &r).ok());
  // A remote event picks one of 4 equal partitions: 3/4 of remote events cross.
  const double expected = 0.25 * 0.75 * static_cast<double>(r.events_committed);
  EXPECT_NEAR(static_cast<double>(r.events_cross_partition), expected, 0.03 * expected);
}

TEST(PholdTest, InvalidOptionsAreRefused) {
  PholdOptions o = Small();
  o.mean_us = 50'000;  // below the lookahead
  const Status s = ValidatePholdOptions(o);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("--mean"), std::string::npos);
}

}  // namespace
}  // namespace clawsim::bench
