// RunConcurrently: the study's pool of concurrent runs, on TBB.
//
// Why TBB outside the engine: the house rule keeps parallelism in one place per concern. The
// engine owns the parallelism inside one run (its window loop); a study runs whole, independent
// runs side by side, which is a separate concern with no shared state between runs, and it
// lives here and only here. A run started from a pool thread may itself use engine threads:
// the engine makes its own task arena, so the two never share work queues.
//
// How cores are split: `jobs` runs at once, each with `threads` engine threads; the caller
// chooses jobs x threads <= cores (SplitCores). Results do not depend on either number: every
// run is a pure function of (scenario, seed), and the study's outputs are built from the
// stored runs in plan order, never in completion order.
#pragma once

#include <functional>

namespace clawsim::study {

// The cores this process may use (TBB's view: affinity masks and cgroup limits included).
int AvailableCores();

// Splits `cores` between concurrent runs and engine threads per run: `*jobs` <= 0 becomes
// min(cores, runs), then `*threads` <= 0 becomes max(1, cores / jobs).
void SplitCores(int cores, int runs, int* jobs, int* threads);

// Calls worker(i) for i in [0, jobs) on up to `jobs` threads at once (the caller's thread is
// one of them) and returns when every call has returned. Each worker typically loops,
// taking the next run from a shared counter or queue until none is left, so the load
// balances itself. worker must not throw.
void RunConcurrently(int jobs, const std::function<void(int worker)>& worker);

}  // namespace clawsim::study
