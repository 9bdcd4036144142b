#include "sim/study/run_pool.h"

#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>

namespace clawsim::study {

int AvailableCores() { return std::max(1, tbb::info::default_concurrency()); }

void SplitCores(int cores, int runs, int* jobs, int* threads) {
  cores = std::max(1, cores);
  if (*jobs <= 0) *jobs = std::max(1, std::min(cores, runs));
  if (*threads <= 0) *threads = std::max(1, cores / *jobs);
}

void RunConcurrently(int jobs, const std::function<void(int worker)>& worker) {
  if (jobs <= 1) {
    worker(0);
    return;
  }
  // One task per worker; simple_partitioner with grain 1 keeps them separate tasks, so idle
  // arena threads pick them up. If a thread is missing, the remaining workers run after the
  // others and find the shared queue empty: correct, only slower.
  tbb::task_arena arena(jobs);
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<int>(0, jobs, 1),
                      [&](const tbb::blocked_range<int>& r) {
                        for (int i = r.begin(); i != r.end(); ++i) worker(i);
                      },
                      tbb::simple_partitioner());
  });
}

}  // namespace clawsim::study
