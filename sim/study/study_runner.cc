#include "sim/study/study_runner.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <set>

#include "sim/study/mpi_runner.h"
#include "sim/study/plan.h"
#include "sim/study/results.h"
#include "sim/study/run_pool.h"
#include "sim/study/store.h"

namespace clawsim::study {
namespace {

// The first SIGINT or SIGTERM, set by the signal handler and read by every pool thread: a
// lock-free atomic, which is both safe in a signal handler and visible across threads (a
// volatile sig_atomic_t is only the former). 0: none.
std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void OnStopSignal(int sig) {
  int none = 0;
  g_signal.compare_exchange_strong(none, sig);
  // A second signal of either kind ends the process at once.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

// Installs the SIGINT and SIGTERM handler for the lifetime of a study, restoring the old ones after.
class StopSignalGuard {
 public:
  StopSignalGuard() {
    g_signal.store(0);
    old_int_ = std::signal(SIGINT, OnStopSignal);
    old_term_ = std::signal(SIGTERM, OnStopSignal);
  }
  ~StopSignalGuard() {
    std::signal(SIGINT, old_int_ == SIG_ERR ? SIG_DFL : old_int_);
    std::signal(SIGTERM, old_term_ == SIG_ERR ? SIG_DFL : old_term_);
  }

 private:
  void (*old_int_)(int) = SIG_DFL;
  void (*old_term_)(int) = SIG_DFL;
};

// Runs done, failed and left with the time left, on stderr: redrawn in place on a terminal;
// elsewhere (a pipe, a log file) one line when a run finishes, at most every 5 seconds, and
// always for the last run.
class Progress {
 public:
  Progress(ProgressStyle style, uint32_t total) : style_(style), total_(total), start_(Clock::now()) {
    if (style_ == ProgressStyle::kLines && total_ > 0) {
      std::fprintf(stderr, "clawsim study: %u runs to do\n", total_);
      std::fflush(stderr);
    }
    Draw();
  }
  void Add(bool ok, const std::string& arm, uint32_t replication) {
    ++done_;
    if (!ok) ++failed_;
    if (style_ == ProgressStyle::kLines) {
      const double now = Seconds();
      if (done_ < total_ && now - last_line_s_ < 5) return;
      last_line_s_ = now;
      std::fprintf(stderr, "clawsim study: %u/%u runs done, %u failed, %u left, %s (last: %s, replication %u%s)\n",
                   done_, total_, failed_, total_ - done_, TimeText(now).c_str(), arm.c_str(), replication,
                   ok ? "" : ", failed");
      std::fflush(stderr);
      return;
    }
    Draw();
  }
  void Finish() {
    if (style_ == ProgressStyle::kBar && total_ > 0) std::fputc('\n', stderr);
  }

 private:
  using Clock = std::chrono::steady_clock;
  double Seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
  std::string TimeText(double elapsed) const {
    char buf[64];
    if (done_ > 0 && done_ < total_) {
      std::snprintf(buf, sizeof buf, "about %.0f s left", elapsed * (total_ - done_) / done_);
    } else {
      std::snprintf(buf, sizeof buf, "%.0f s", elapsed);
    }
    return buf;
  }
  void Draw() {
    if (style_ != ProgressStyle::kBar || total_ == 0) return;
    const int width = 30;
    const int filled = static_cast<int>(width * static_cast<double>(done_) / total_);
    std::fprintf(stderr, "\r[%.*s%*s] runs %u/%u  failed %u  left %u  %s   ", filled, "##############################",
                 width - filled, "", done_, total_, failed_, total_ - done_, TimeText(Seconds()).c_str());
    std::fflush(stderr);
  }
  ProgressStyle style_;
  uint32_t total_;
  uint32_t done_ = 0;
  uint32_t failed_ = 0;
  double last_line_s_ = 0;
  Clock::time_point start_;
};

}  // namespace

bool StudyInterrupted() { return g_signal.load() != 0; }
int StudyStopSignal() { return g_signal.load(); }

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
  const std::string db = options.out_dir + "/study.sqlite";
  if (options.force) {
    // Start afresh: the database and its journal go; the outputs are rewritten at the end.
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix, ec);
  }
  if (Status s = store.Open(db); !s.ok()) return s;
  if (Status s = store.CheckSameStudy(spec); !s.ok()) {
    outcome->other_study = true;
    return Status::Error(s.message() + "; use another --out folder, or pass --force to delete its runs and start "
                         "this study afresh there");
  }
  if (Status s = store.WriteStudy(spec, options.study_text); !s.ok()) return s;
  std::set<RunKey> done;
  if (Status s = store.CommittedOk(&done); !s.ok()) return s;
  std::vector<uint32_t> pending;
  for (uint32_t i = 0; i < plan.size(); ++i) {
    if (done.count(KeyOf(spec, plan[i])) == 0) pending.push_back(i);
  }
  outcome->skipped = outcome->planned - static_cast<uint32_t>(pending.size());

  // 2. Run the rest, committing each run as it finishes.
  StopSignalGuard stop;
  Progress progress(options.progress, static_cast<uint32_t>(pending.size()));
  std::mutex commit_mutex;
  Status commit_status;
  auto commit = [&](const RunRecord& rec) {
    std::lock_guard<std::mutex> lock(commit_mutex);
    if (Status s = store.Commit(spec, plan[rec.run_index], rec); !s.ok() && commit_status.ok()) commit_status = s;
    ++outcome->ran;
    progress.Add(rec.ok, spec.arms[plan[rec.run_index].arm].name, plan[rec.run_index].replication);
  };
  if (mpi) {
    Status s = MpiServe(pending, [] { return g_signal.load() != 0; }, [&](RunRecord&& rec) { commit(rec); });
    if (!s.ok()) return s;
  } else {
    int jobs = options.jobs, threads = options.threads;
    SplitCores(AvailableCores(), static_cast<int>(pending.size()), &jobs, &threads);
    outcome->jobs = jobs;
    outcome->threads = threads;
    std::atomic<size_t> next{0};
    RunConcurrently(jobs, [&](int) {
      while (g_signal.load() == 0) {
        const size_t k = next.fetch_add(1);
        if (k >= pending.size()) return;
        commit(options.run ? options.run(spec, plan, pending[k], threads) : ExecuteRun(spec, plan, pending[k], threads));
      }
    });
  }
  progress.Finish();
  if (!commit_status.ok()) return commit_status;
  outcome->wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  outcome->signal = g_signal.load();
  if (outcome->signal != 0 && outcome->skipped + outcome->ran < outcome->planned) {
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
