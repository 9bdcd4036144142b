#include "sim/study/run_pool.h"

#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <thread>
#include <vector>

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
#if defined(CLAWSIM_THREAD_SANITIZER)
  // ThreadSanitizer cannot see the synchronisation inside the uninstrumented TBB library and
  // would report its task hand-off as races (the engine does the same, engine.h). Under TSan
  // the workers are plain threads, so the study's own sharing (the run counter, the commit
  // lock, the spec every run reads) is what gets checked.
  std::vector<std::thread> threads;
  for (int i = 1; i < jobs; ++i) threads.emplace_back([&worker, i] { worker(i); });
  worker(0);
  for (std::thread& t : threads) t.join();
  return;
#endif
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
