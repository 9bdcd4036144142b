// The event-queue choice, by benchmark: the "hold" workload (pop the earliest event, push
// one at now + lookahead + Exp(mean - lookahead)), the access pattern of PHOLD and of most
// DES models, with N events pending. Compared: a binary heap, a 4-ary heap, and the engine's
// windowed calendar (bucket by lookahead-wide window, sort each window in delivery order).
//
//   build/release/benchmarks/event_queue_benchmark
#include <algorithm>
#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include <benchmark/benchmark.h>

#include "sim/engine/calendar.h"
#include "sim/engine/event.h"
#include "sim/engine/rng.h"

namespace {

using clawsim::engine::Calendar;
using clawsim::engine::DeliveredBefore;
using clawsim::engine::NoPayload;
using clawsim::engine::Rng;
using clawsim::engine::TimeUs;
using Ev = clawsim::engine::Event<NoPayload>;

constexpr TimeUs kLookaheadUs = 100'000;
constexpr double kExpMeanUs = 900'000;  // mean step 1 s, as in the README's PHOLD
constexpr int64_t kEventsPerRun = 2'000'000;

struct Later {
  bool operator()(const Ev& a, const Ev& b) const { return DeliveredBefore(b, a); }
};

Ev Next(const Ev& e, Rng& rng, uint32_t lps, uint32_t* seq) {
  Ev n;
  n.time_us = e.time_us + kLookaheadUs + static_cast<TimeUs>(rng.Exponential(kExpMeanUs));
  n.src_lp = e.dst_lp;
  n.dst_lp = static_cast<uint32_t>(rng.UniformInt(lps));
  n.src_seq = (*seq)++;
  return n;
}

std::vector<Ev> Initial(uint32_t n, Rng& rng, uint32_t* seq) {
  std::vector<Ev> events(n);
  for (uint32_t i = 0; i < n; ++i) {
    events[i].dst_lp = i;
    events[i].src_lp = i;
    events[i].src_seq = (*seq)++;
    events[i].time_us = static_cast<TimeUs>(rng.Exponential(kExpMeanUs + kLookaheadUs));
  }
  return events;
}

void BM_BinaryHeap(benchmark::State& state) {
  const uint32_t n = static_cast<uint32_t>(state.range(0));
  for (auto _ : state) {
    Rng rng = Rng::ForStream(1, 1);
    uint32_t seq = 0;
    std::priority_queue<Ev, std::vector<Ev>, Later> q(Later{}, Initial(n, rng, &seq));
    for (int64_t i = 0; i < kEventsPerRun; ++i) {
      const Ev e = q.top();
      q.pop();
      q.push(Next(e, rng, n, &seq));
    }
    benchmark::DoNotOptimize(q.top());
  }
  state.SetItemsProcessed(state.iterations() * kEventsPerRun);
}

// A 4-ary min-heap: shallower than a binary heap, children of a node share a cache line.
class QuaternaryHeap {
 public:
  void Push(const Ev& e) {
    v_.push_back(e);
    size_t i = v_.size() - 1;
    while (i > 0) {
      const size_t p = (i - 1) / 4;
      if (!DeliveredBefore(v_[i], v_[p])) break;
      std::swap(v_[i], v_[p]);
      i = p;
    }
  }
  Ev Pop() {
    const Ev top = v_[0];
    v_[0] = v_.back();
    v_.pop_back();
    size_t i = 0;
    for (;;) {
      const size_t c = 4 * i + 1;
      if (c >= v_.size()) break;
      size_t best = c;
      for (size_t k = c + 1; k < std::min(c + 4, v_.size()); ++k) {
        if (DeliveredBefore(v_[k], v_[best])) best = k;
      }
      if (!DeliveredBefore(v_[best], v_[i])) break;
      std::swap(v_[i], v_[best]);
      i = best;
    }
    return top;
  }

 private:
  std::vector<Ev> v_;
};

void BM_QuaternaryHeap(benchmark::State& state) {
  const uint32_t n = static_cast<uint32_t>(state.range(0));
  for (auto _ : state) {
    Rng rng = Rng::ForStream(1, 1);
    uint32_t seq = 0;
    QuaternaryHeap q;
    for (const Ev& e : Initial(n, rng, &seq)) q.Push(e);
    for (int64_t i = 0; i < kEventsPerRun; ++i) q.Push(Next(q.Pop(), rng, n, &seq));
    benchmark::DoNotOptimize(q.Pop());
  }
  state.SetItemsProcessed(state.iterations() * kEventsPerRun);
}

// What the engine does in one partition: drain a window, sort it by (LP, delivery order),
// process; every new event lands at least one window ahead.
void BM_WindowedCalendar(benchmark::State& state) {
  const uint32_t n = static_cast<uint32_t>(state.range(0));
  for (auto _ : state) {
    Rng rng = Rng::ForStream(1, 1);
    uint32_t seq = 0;
    Calendar<Ev> cal;
    cal.Init(kLookaheadUs, 256);
    for (const Ev& e : Initial(n, rng, &seq)) cal.Push(e);
    std::vector<Ev> window;
    int64_t done = 0;
    while (done < kEventsPerRun) {
      const uint64_t w = cal.NextWindow();
      cal.AdvanceTo(w);
      window.clear();
      cal.DrainBase(&window);
      std::sort(window.begin(), window.end(), [](const Ev& a, const Ev& b) {
        if (a.dst_lp != b.dst_lp) return a.dst_lp < b.dst_lp;
        return DeliveredBefore(a, b);
      });
      for (const Ev& e : window) cal.Push(Next(e, rng, n, &seq));
      done += static_cast<int64_t>(window.size());
    }
    benchmark::DoNotOptimize(cal.size());
    state.counters["events"] = static_cast<double>(done);
  }
  state.SetItemsProcessed(state.iterations() * kEventsPerRun);
}

BENCHMARK(BM_BinaryHeap)->Arg(1024)->Arg(65536)->Arg(1048576)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QuaternaryHeap)->Arg(1024)->Arg(65536)->Arg(1048576)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WindowedCalendar)->Arg(1024)->Arg(65536)->Arg(1048576)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
