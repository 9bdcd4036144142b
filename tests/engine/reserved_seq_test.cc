// ReserveSeqs / SendSelfReserved: events kept by the model and sent one at a time are
// delivered exactly as if they had all been sent at once (the organisation model plans a
// day's arrivals this way).
#include <algorithm>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "sim/engine/engine.h"

namespace clawsim::engine {
namespace {

struct Delivered {
  TimeUs time_us;
  LpId src;
  uint32_t seq;
  uint32_t kind;
  bool operator==(const Delivered&) const = default;
};

// At t=0 every LP plans self events (kind 1) at the `plan` offsets, sends one other self
// event (kind 2) after them, and messages its neighbour (kind 3); `lazy` holds the plan and
// sends each planned event when the one before it is delivered.
struct PlanningModel {
  using Payload = uint64_t;
  bool lazy = false;
  std::vector<TimeUs> plan;  // offsets, with ties and out of order
  std::vector<std::vector<Delivered>> log;
  struct Held {
    TimeUs time_us;
    uint32_t seq;
  };
  std::vector<std::vector<Held>> held;
  std::vector<size_t> next;

  PlanningModel(uint32_t lps, bool lazy_sends, std::vector<TimeUs> offsets)
      : lazy(lazy_sends), plan(std::move(offsets)), log(lps), held(lps), next(lps, 0) {}

  void SendNext(Context<Payload>& ctx) {
    std::vector<Held>& h = held[ctx.lp()];
    if (next[ctx.lp()] < h.size()) {
      const Held& e = h[next[ctx.lp()]++];
      ctx.SendSelfReserved(e.time_us, e.seq, 1);
    }
  }

  void Handle(Context<Payload>& ctx, const Event<Payload>& ev) {
    log[ctx.lp()].push_back({ev.time_us, ev.src_lp, ev.src_seq, ev.kind});
    if (ev.kind == 0) {
      if (lazy) {
        const uint32_t first = ctx.ReserveSeqs(static_cast<uint32_t>(plan.size()));
        std::vector<Held>& h = held[ctx.lp()];
        for (uint32_t i = 0; i < plan.size(); ++i) h.push_back({ctx.now_us() + plan[i], first + i});
        std::sort(h.begin(), h.end(), [](const Held& a, const Held& b) {
          return std::tie(a.time_us, a.seq) < std::tie(b.time_us, b.seq);
        });
        SendNext(ctx);
      } else {
        for (TimeUs t : plan) ctx.SendSelf(t, 1);
      }
      ctx.SendSelf(35, 2);
      ctx.Send((ctx.lp() + 1) % static_cast<LpId>(log.size()), 100, 3);
    } else if (ev.kind == 1 && lazy) {
      SendNext(ctx);
    }
  }
};

std::vector<std::vector<Delivered>> RunPlanning(bool lazy, int threads) {
  PlanningModel model(6, lazy, {50, 10, 35, 10, 500, 100, 35, 0, 2000});
  EngineOptions o;
  o.num_lps = 6;
  o.lookahead_us = 100;
  o.threads = threads;
  Engine<PlanningModel> eng(o, &model);
  EXPECT_TRUE(eng.Init().ok());
  for (LpId lp = 0; lp < 6; ++lp) eng.Schedule(lp, 0, 0);
  EXPECT_TRUE(eng.RunUntil(10'000).ok());
  EXPECT_EQ(eng.stats().events_committed, 6u * 12u);
  return model.log;
}

TEST(ReservedSeqTest, HeldEventsAreDeliveredAsIfSentAtOnce) {
  const auto at_once = RunPlanning(/*lazy=*/false, 1);
  EXPECT_EQ(RunPlanning(/*lazy=*/true, 1), at_once);
  EXPECT_EQ(RunPlanning(/*lazy=*/true, 2), at_once);
}

}  // namespace
}  // namespace clawsim::engine
