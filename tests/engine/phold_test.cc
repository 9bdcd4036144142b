#include "sim/bench/phold.h"

#include <cmath>
#include <string>

#include <gtest/gtest.h>

namespace clawsim::bench {
namespace {

using engine::TimeUs;

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

// The tight loop shares nothing with the engine but the model's draws and the fingerprint's
// fold: agreeing on every committed event (the fingerprint hashes each one's time, LP, source
// and sequence number) checks that the engine's windows, sort and hand-off between
// partitions give each LP its events in time order, which the same-fingerprint-across-
// threads test cannot see (a sort that put an LP's events in reverse time order passes it).
TEST(PholdTest, TightLoopCommitsTheEngineEvents) {
  struct Case {
    uint32_t lps;
    uint32_t events_per_lp;
    double remote;
    TimeUs mean_us;
    TimeUs lookahead_us;
    TimeUs end_us;
    uint64_t seed;
  };
  const Case cases[] = {
      {1, 1, 0.25, 1'000'000, 100'000, 100'000'000, 1},
      {1024, 1, 0.25, 1'000'000, 100'000, 50'000'000, 1},
      {1024, 1, 0.25, 1'000'000, 100'000, 50'000'000, 7},
      {512, 2, 1.0, 1'000'000, 100'000, 50'000'000, 3},
      {300, 4, 0.5, 2'000, 1'000, 2'000'000, 5},       // many ties in time: steps of 1-20 ms in us
      {2000, 1, 0.25, 10, 1, 300, 9},                  // lookahead 1 us: one time per window
      {70'000, 1, 0.25, 1'000'000, 100'000, 4'000'000, 1},  // radix-sorted windows
  };
  for (const Case& c : cases) {
    PholdOptions o;
    o.lps = c.lps;
    o.events_per_lp = c.events_per_lp;
    o.remote = c.remote;
    o.mean_us = c.mean_us;
    o.lookahead_us = c.lookahead_us;
    o.end_us = c.end_us;
    o.seed = c.seed;
    ASSERT_TRUE(ValidatePholdOptions(o).ok());
    PholdResult tight;
    ASSERT_TRUE(RunPholdSequential(o, &tight).ok());
    ASSERT_GT(tight.events_committed, 0u);
    for (int threads : {1, 2, 3}) {
      o.threads = threads;
      PholdResult eng;
      ASSERT_TRUE(RunPhold(o, &eng).ok());
      const std::string where = std::to_string(c.lps) + " LPs, seed " + std::to_string(c.seed) + ", " +
                                std::to_string(threads) + " threads";
      EXPECT_EQ(eng.events_committed, tight.events_committed) << where;
      EXPECT_EQ(eng.events_sent, tight.events_sent) << where;
      EXPECT_EQ(eng.events_pending, tight.events_pending) << where;
      EXPECT_EQ(eng.fingerprint, tight.fingerprint) << where;
    }
  }
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
