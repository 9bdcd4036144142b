// Google Benchmark programs for the engine: PHOLD at the sizes in the README's table.
#include <benchmark/benchmark.h>

#include "sim/bench/phold.h"

namespace {

void BM_Phold(benchmark::State& state) {
  clawsim::bench::PholdOptions o;
  o.lps = static_cast<uint32_t>(state.range(0));
  o.threads = static_cast<int>(state.range(1));
  // Keep each run near 2 million events whatever the size.
  o.end_us = std::max<int64_t>(2'000'000, int64_t{2'000'000'000'000} / o.lps);
  uint64_t events = 0;
  for (auto _ : state) {
    clawsim::bench::PholdResult r;
    if (!clawsim::bench::RunPhold(o, &r).ok()) state.SkipWithError("PHOLD failed");
    events += r.events_committed;
  }
  state.counters["events_per_s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Phold)
    ->ArgsProduct({{1024, 65536, 1048576}, {1, 2}})
    ->ArgNames({"lps", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
