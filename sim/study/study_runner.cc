#include "sim/study/study_runner.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <set>

#include "sim/study/mpi_runner.h"
#include "sim/study/plan.h"
#include "sim/study/results.h"
#include "sim/study/run_pool.h"
#include "sim/study/store.h"

namespace clawsim::study {
namespace {

// Set by the signal handler, read by every pool thread: a lock-free atomic, which is both
// safe in a signal handler and visible across threads (a volatile sig_atomic_t is only the
// former).
std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void OnSigint(int) {
  g_interrupted.store(true);
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the process at once
}

// Installs the SIGINT handler for the lifetime of a study, restoring the old one after.
class SigintGuard {
 public:
  SigintGuard() {
    g_interrupted.store(false);
    old_ = std::signal(SIGINT, OnSigint);
  }
  ~SigintGuard() { std::signal(SIGINT, old_ == SIG_ERR ? SIG_DFL : old_); }

 private:
  void (*old_)(int) = SIG_DFL;
};

// Runs done, failed and time left, redrawn in place on stderr.
class Progress {
 public:
  Progress(bool enabled, uint32_t total) : enabled_(enabled), total_(total), start_(Clock::now()) { Draw(); }
  void Add(bool ok) {
    ++done_;
    if (!ok) ++failed_;
    Draw();
  }
  void Finish() {
    if (enabled_ && total_ > 0) std::fputc('\n', stderr);
  }

 private:
  using Clock = std::chrono::steady_clock;
  void Draw() {
    if (!enabled_ || total_ == 0) return;
    const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    const int width = 30;
    const int filled = static_cast<int>(width * static_cast<double>(done_) / total_);
    std::fprintf(stderr, "\r[%.*s%*s] runs %u/%u  failed %u  ", filled, "##############################", width - filled,
                 "", done_, total_, failed_);
    if (done_ > 0 && done_ < total_) {
      std::fprintf(stderr, "%.0f s left ", elapsed * (total_ - done_) / done_);
    } else {
      std::fprintf(stderr, "%.0f s      ", elapsed);
    }
    std::fflush(stderr);
  }
  bool enabled_;
  uint32_t total_;
  uint32_t done_ = 0;
  uint32_t failed_ = 0;
  Clock::time_point start_;
};

}  // namespace

bool StudyInterrupted() { return g_interrupted.load(); }

Status RunStudy(const StudySpec& spec, const StudyOptions& options, int rank, int ranks, StudyOutcome* outcome) {
  const auto start = std::chrono::steady_clock::now();
  *outcome = StudyOutcome();
  outcome->ranks = ranks;
  const std::vector<PlannedRun> plan = MakePlan(spec);
  outcome->planned = static_cast<uint32_t>(plan.size());
  const bool mpi = ranks > 1;

  // Workers: run what rank 0 hands out, nothing else.
  if (mpi && rank != 0) {
    outcome->writer = false;
    int jobs = options.jobs, threads = options.threads;
    SplitCores(MpiCoresPerRank(AvailableCores()), static_cast<int>(plan.size()), &jobs, &threads);
    outcome->jobs = jobs;
    outcome->threads = threads;
    return MpiWork(spec, plan, jobs, threads);
  }

  // 1. The database: the study, and what is already done.
  std::error_code ec;
  std::filesystem::create_directories(options.out_dir, ec);
  if (ec) return Status::Error(options.out_dir + ": cannot create the output folder: " + ec.message());
  StudyStore store;
  if (Status s = store.Open(options.out_dir + "/study.sqlite"); !s.ok()) return s;
  if (Status s = store.WriteStudy(spec, options.study_text); !s.ok()) return s;
  std::set<RunKey> done;
  if (Status s = store.CommittedOk(&done); !s.ok()) return s;
  std::vector<uint32_t> pending;
  for (uint32_t i = 0; i < plan.size(); ++i) {
    if (done.count(KeyOf(spec, plan[i])) == 0) pending.push_back(i);
  }
  outcome->skipped = outcome->planned - static_cast<uint32_t>(pending.size());

  // 2. Run the rest, committing each run as it finishes.
  SigintGuard sigint;
  Progress progress(options.progress, static_cast<uint32_t>(pending.size()));
  std::mutex commit_mutex;
  Status commit_status;
  auto commit = [&](const RunRecord& rec) {
    std::lock_guard<std::mutex> lock(commit_mutex);
    if (Status s = store.Commit(spec, plan[rec.run_index], rec); !s.ok() && commit_status.ok()) commit_status = s;
    ++outcome->ran;
    progress.Add(rec.ok);
  };
  if (mpi) {
    Status s = MpiServe(pending, [] { return g_interrupted.load(); }, [&](RunRecord&& rec) { commit(rec); });
    if (!s.ok()) return s;
  } else {
    int jobs = options.jobs, threads = options.threads;
    SplitCores(AvailableCores(), static_cast<int>(pending.size()), &jobs, &threads);
    outcome->jobs = jobs;
    outcome->threads = threads;
    std::atomic<size_t> next{0};
    RunConcurrently(jobs, [&](int) {
      while (!g_interrupted.load()) {
        const size_t k = next.fetch_add(1);
        if (k >= pending.size()) return;
        commit(options.run ? options.run(spec, plan, pending[k], threads) : ExecuteRun(spec, plan, pending[k], threads));
      }
    });
  }
  progress.Finish();
  if (!commit_status.ok()) return commit_status;
  outcome->wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (g_interrupted.load() && outcome->skipped + outcome->ran < outcome->planned) {
    outcome->interrupted = true;
    return Status::Ok();
  }

  // 3. Outputs, from the database alone.
  std::vector<StoredRun> stored;
  if (Status s = store.ReadPlanned(spec, plan, &stored); !s.ok()) return s;
  for (const StoredRun& r : stored) {
    if (!r.present) return Status::Error(options.out_dir + "/study.sqlite: a planned run is missing after the study ran");
    if (!r.ok) ++outcome->failed;
  }
  Analyse(spec, options.study_text, plan, stored, &outcome->results);
  store.Close();
  if (Status s = WriteOutputs(outcome->results, options.out_dir); !s.ok()) return s;
  outcome->wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return Status::Ok();
}

}  // namespace clawsim::study
