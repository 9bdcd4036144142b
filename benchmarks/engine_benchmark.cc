// Google Benchmark programs for the engine: PHOLD at the sizes in the README's table, on
// the engine (BM_Phold) and as the single-threaded tight loop it is measured against
// (BM_PholdTightLoop: same events, same fingerprint, no engine).
#include <algorithm>
#include <cstdint>

#include <benchmark/benchmark.h>

#include "sim/bench/phold.h"

namespace {

using clawsim::Status;
using clawsim::bench::PholdOptions;
using clawsim::bench::PholdResult;

PholdOptions Options(uint32_t lps, int threads) {
  PholdOptions o;
  o.lps = lps;
  o.threads = threads;
  // Keep each run near 2 million events whatever the size.
  o.end_us = std::max<int64_t>(2'000'000, int64_t{2'000'000'000'000} / o.lps);
  return o;
}

// Times whole runs (set-up included) and reports committed events per second.
template <Status (*Run)(const PholdOptions&, PholdResult*)>
void RunAndCount(benchmark::State& state, const PholdOptions& o) {
  uint64_t events = 0;
  for (auto _ : state) {
    PholdResult r;
    if (!Run(o, &r).ok()) state.SkipWithError("PHOLD failed");
    events += r.events_committed;
  }
  state.counters["events_per_s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}

void BM_Phold(benchmark::State& state) {
  RunAndCount<clawsim::bench::RunPhold>(
      state, Options(static_cast<uint32_t>(state.range(0)), static_cast<int>(state.range(1))));
}
BENCHMARK(BM_Phold)
    ->ArgsProduct({{1024, 65536, 1048576}, {1, 2}})
    ->ArgNames({"lps", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_PholdTightLoop(benchmark::State& state) {
  RunAndCount<clawsim::bench::RunPholdSequential>(state, Options(static_cast<uint32_t>(state.range(0)), 1));
}
BENCHMARK(BM_PholdTightLoop)
    ->Arg(1024)
    ->Arg(65536)
    ->Arg(1048576)
    ->ArgName("lps")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
