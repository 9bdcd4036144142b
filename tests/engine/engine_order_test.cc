// Delivery order, tie-breaking, lookahead checks, determinism across threads and
// partitionings, and event conservation, on small models whose every step is recorded.
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "sim/engine/engine.h"

namespace clawsim::engine {
namespace {

struct Record {
  TimeUs time_us;
  LpId src;
  uint32_t seq;
  uint32_t kind;
  uint64_t payload;
  bool operator==(const Record&) const = default;
};

// Each LP logs what it processes. Kinds: 0 = leaf (log only); 1 = "fan": send the list of
// sends configured for this LP; 2 = random walk (see RandomWalk).
struct ScriptedModel {
  using Payload = uint64_t;
  struct Send {
    LpId dst;
    TimeUs delay_us;
    uint32_t kind;
  };
  std::vector<std::vector<Record>> log;
  std::vector<std::vector<Send>> on_fan;  // per LP

  explicit ScriptedModel(uint32_t lps) : log(lps), on_fan(lps) {}

  void Handle(Context<Payload>& ctx, const Event<Payload>& ev) {
    log[ctx.lp()].push_back({ev.time_us, ev.src_lp, ev.src_seq, ev.kind, ev.payload});
    if (ev.kind == 1) {
      for (const Send& s : on_fan[ctx.lp()]) ctx.Send(s.dst, s.delay_us, s.kind, ctx.lp());
    }
  }
};

TEST(EngineOrderTest, SimultaneousEventsAreDeliveredBySourceThenSourceSequence) {
  constexpr TimeUs kL = 100;
  ScriptedModel model(4);
  // LP 3, 2 and 1 each send to LP 0 for the same instant; LP 1 sends twice.
  model.on_fan[3] = {{0, kL, 0}};
  model.on_fan[2] = {{0, kL, 0}};
  model.on_fan[1] = {{0, kL, 0}, {0, kL, 0}};
  EngineOptions o;
  o.num_lps = 4;
  o.lookahead_us = kL;
  Engine<ScriptedModel> eng(o, &model);
  ASSERT_TRUE(eng.Init().ok());
  eng.Schedule(3, 0, 1);
  eng.Schedule(2, 0, 1);
  eng.Schedule(1, 0, 1);
  ASSERT_TRUE(eng.RunUntil(1000).ok());
  const auto& got = model.log[0];
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(std::tie(got[0].src, got[0].seq), std::make_tuple(1u, 1u));  // seq 0 was the initial event
  EXPECT_EQ(std::tie(got[1].src, got[1].seq), std::make_tuple(1u, 2u));
  EXPECT_EQ(got[2].src, 2u);
  EXPECT_EQ(got[3].src, 3u);
  for (const Record& r : got) EXPECT_EQ(r.time_us, kL);
}

TEST(EngineOrderTest, EarlierTimeWinsOverSourceOrder) {
  ScriptedModel model(3);
  model.on_fan[1] = {{0, 150, 0}};
  model.on_fan[2] = {{0, 120, 0}};
  EngineOptions o;
  o.num_lps = 3;
  o.lookahead_us = 100;
  Engine<ScriptedModel> eng(o, &model);
  ASSERT_TRUE(eng.Init().ok());
  eng.Schedule(1, 0, 1);
  eng.Schedule(2, 0, 1);
  ASSERT_TRUE(eng.RunUntil(1000).ok());
  ASSERT_EQ(model.log[0].size(), 2u);
  EXPECT_EQ(model.log[0][0].src, 2u);
  EXPECT_EQ(model.log[0][1].src, 1u);
}

TEST(EngineOrderTest, SelfEventsInsideTheWindowAreMergedInOrder) {
  // LP 0 gets two events in one window; the first sends LP 0 an event between them.
  ScriptedModel model(2);
  model.on_fan[0] = {{0, 5, 0}, {0, 0, 0}};  // self, +5 us and +0 us
  EngineOptions o;
  o.num_lps = 2;
  o.lookahead_us = 1000;
  Engine<ScriptedModel> eng(o, &model);
  ASSERT_TRUE(eng.Init().ok());
  eng.Schedule(0, 10, 1);
  eng.Schedule(0, 12, 0);
  ASSERT_TRUE(eng.RunUntil(100000).ok());
  std::vector<TimeUs> times;
  for (const Record& r : model.log[0]) times.push_back(r.time_us);
  EXPECT_EQ(times, (std::vector<TimeUs>{10, 10, 12, 15}));
}

TEST(EngineOrderTest, LookaheadViolationIsRefusedNamingTheLpsAndTimes) {
  ScriptedModel model(3);
  model.on_fan[1] = {{2, 99, 0}};
  EngineOptions o;
  o.num_lps = 3;
  o.lookahead_us = 100;
  o.threads = 2;
  Engine<ScriptedModel> eng(o, &model);
  ASSERT_TRUE(eng.Init().ok());
  eng.Schedule(1, 500, 1);
  const Status s = eng.RunUntil(10000);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("lookahead violation"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("LP 1 at t=500 us"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("to LP 2 for t=599 us"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("lookahead 100 us"), std::string::npos) << s.message();
  // The engine stays failed.
  EXPECT_FALSE(eng.RunUntil(20000).ok());
}

TEST(EngineOrderTest, SendingToAMissingLpFails) {
  ScriptedModel model(2);
  model.on_fan[0] = {{7, 100, 0}};
  EngineOptions o;
  o.num_lps = 2;
  o.lookahead_us = 100;
  Engine<ScriptedModel> eng(o, &model);
  ASSERT_TRUE(eng.Init().ok());
  eng.Schedule(0, 0, 1);
  const Status s = eng.RunUntil(1000);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("LP 7, which does not exist"), std::string::npos) << s.message();
}

TEST(EngineOrderTest, BadOptionsAreRefused) {
  ScriptedModel model(1);
  EngineOptions o;
  o.num_lps = 1;
  o.lookahead_us = 0;
  Engine<ScriptedModel> eng(o, &model);
  const Status s = eng.Init();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("lookahead_us"), std::string::npos);

  // The LP-to-partition map holds two bytes an LP: a map naming more partitions is refused.
  EngineOptions many;
  many.num_lps = 2;
  many.lookahead_us = 10;
  many.lp_partition = {0, 70'000};
  Engine<ScriptedModel> too_many(many, &model);
  const Status m = too_many.Init();
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.message().find("at most 65536 partitions"), std::string::npos) << m.message();
}

// A random walk: every event draws from the LP's stream, logs it, and sends one event on
// (to itself or a random LP) and sometimes an extra same-time self event (a leaf).
struct RandomWalk {
  using Payload = uint64_t;
  uint32_t lps;
  TimeUs lookahead_us;
  std::vector<std::vector<Record>> log;

  void Handle(Context<Payload>& ctx, const Event<Payload>& ev) {
    const uint64_t draw = ctx.rng().NextU64();
    log[ctx.lp()].push_back({ev.time_us, ev.src_lp, ev.src_seq, ev.kind, ev.payload ^ draw});
    ctx.FoldFingerprint(draw);
    if (ev.kind == 0) return;  // leaf
    if (draw % 7 == 0) ctx.SendSelf(static_cast<TimeUs>(draw % 3), 0, draw);
    const bool remote = (draw >> 8) % 4 != 0;
    const LpId dst = remote ? static_cast<LpId>(ctx.rng().UniformInt(lps)) : ctx.lp();
    const TimeUs delay = (dst == ctx.lp() ? 1 : lookahead_us) + static_cast<TimeUs>(ctx.rng().UniformInt(3 * lookahead_us));
    ctx.Send(dst, delay, 1, draw);
  }
};

struct WalkResult {
  std::vector<std::vector<Record>> log;
  EngineStats stats;
};

WalkResult RunWalk(int threads, uint32_t partitions, std::vector<uint32_t> map, std::vector<TimeUs> stops) {
  constexpr uint32_t kLps = 97;
  RandomWalk model{kLps, 50, std::vector<std::vector<Record>>(kLps)};
  EngineOptions o;
  o.num_lps = kLps;
  o.lookahead_us = 50;
  o.seed = 1234;
  o.threads = threads;
  o.partitions = partitions;
  o.lp_partition = std::move(map);
  o.ring_windows = 64;  // small, so the overflow heap is exercised too
  Engine<RandomWalk> eng(o, &model);
  EXPECT_TRUE(eng.Init().ok());
  for (LpId lp = 0; lp < kLps; ++lp) {
    for (int k = 0; k < 3; ++k) eng.Schedule(lp, static_cast<TimeUs>(eng.lp_rng(lp).UniformInt(500)), 1, lp);
  }
  for (TimeUs stop : stops) EXPECT_TRUE(eng.RunUntil(stop).ok());
  return {std::move(model.log), eng.stats()};
}

TEST(EngineDeterminismTest, SameLogsAndFingerprintWithAnyThreadsPartitionsAndStops) {
  const WalkResult base = RunWalk(1, 1, {}, {200000});
  ASSERT_GT(base.stats.events_committed, 100000u);
  struct Config {
    int threads;
    uint32_t partitions;
    bool scrambled_map;
    std::vector<TimeUs> stops;
  };
  const std::vector<Config> configs = {
      {2, 0, false, {200000}},        {3, 0, false, {200000}},  {8, 0, false, {200000}},
      {1, 7, false, {200000}},        {2, 16, false, {200000}}, {3, 5, true, {200000}},
      {2, 2, false, {777, 5000, 5001, 123457, 200000}},
  };
  for (const Config& c : configs) {
    std::vector<uint32_t> map;
    if (c.scrambled_map) {
      for (uint32_t lp = 0; lp < 97; ++lp) map.push_back((lp * 31 + 7) % c.partitions);
    }
    const WalkResult r = RunWalk(c.threads, c.partitions, map, c.stops);
    SCOPED_TRACE("threads=" + std::to_string(c.threads) + " partitions=" + std::to_string(c.partitions));
    EXPECT_EQ(r.stats.fingerprint, base.stats.fingerprint);
    EXPECT_EQ(r.stats.events_committed, base.stats.events_committed);
    EXPECT_EQ(r.stats.events_pending, base.stats.events_pending);
    EXPECT_TRUE(r.log == base.log);
  }
}

TEST(EngineDeterminismTest, DifferentSeedsGiveDifferentFingerprints) {
  const WalkResult a = RunWalk(1, 1, {}, {20000});
  constexpr uint32_t kLps = 97;
  RandomWalk model{kLps, 50, std::vector<std::vector<Record>>(kLps)};
  EngineOptions o;
  o.num_lps = kLps;
  o.lookahead_us = 50;
  o.seed = 1235;
  Engine<RandomWalk> eng(o, &model);
  ASSERT_TRUE(eng.Init().ok());
  for (LpId lp = 0; lp < kLps; ++lp) {
    for (int k = 0; k < 3; ++k) eng.Schedule(lp, static_cast<TimeUs>(eng.lp_rng(lp).UniformInt(500)), 1, lp);
  }
  ASSERT_TRUE(eng.RunUntil(20000).ok());
  EXPECT_NE(eng.stats().fingerprint, a.stats.fingerprint);
}

TEST(EngineConservationTest, SentEqualsCommittedPlusPending) {
  for (int threads : {1, 2, 3}) {
    const WalkResult r = RunWalk(threads, 0, {}, {1000, 33333, 90001});
    EXPECT_EQ(r.stats.events_sent, r.stats.events_committed + r.stats.events_pending) << threads;
    uint64_t logged = 0;
    for (const auto& l : r.log) logged += l.size();
    EXPECT_EQ(logged, r.stats.events_committed);
  }
}

TEST(EngineConservationTest, NoEventIsProcessedAtOrAfterTheStopTime) {
  const WalkResult r = RunWalk(2, 3, {}, {4321});
  for (const auto& l : r.log) {
    for (const Record& rec : l) EXPECT_LT(rec.time_us, 4321);
  }
}

}  // namespace
}  // namespace clawsim::engine
