// RunStudy: runs every arm x replication of a loaded study that is not yet in the study's
// database, commits each as it finishes, and writes the outputs.
//
// Phases:
//   1. open <out>/study.sqlite, record the study and its arms, find the runs already
//      committed (resume);
//   2. run the rest: on this machine with `jobs` concurrent runs (run_pool.h), or, under an
//      MPI launcher, spread over the ranks (mpi_runner.h) with rank 0 committing;
//   3. read every planned run back from the database and write arms.csv, runs.csv,
//      report.md, the charts and study.clawstudy (results.h).
// SIGINT or SIGTERM during phase 2 stops handing out runs; runs in progress finish and are
// committed; phase 3 is skipped and `interrupted` is set with the signal (the command exits
// 130 or 143). A second signal of either kind ends the process at once; SQLite rolls back
// the run being committed, if any.
//
// An output folder belongs to one study: its database records the study's name and base
// scenario, and another study there is refused (StudyStore::CheckSameStudy) unless `force`
// deletes the database first. The same study, edited (arms, replications), resumes.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/common/status.h"
#include "sim/proto/study.pb.h"
#include "sim/study/plan.h"
#include "sim/study/study_file.h"

namespace clawsim::study {

// How progress is shown on stderr: not at all, a bar redrawn in place (a terminal), or a
// line per finished run at most every 5 seconds and for the last run (a pipe or a log file).
enum class ProgressStyle { kNone, kBar, kLines };

struct StudyOptions {
  std::string out_dir;      // created if missing
  bool force = false;       // delete the database in out_dir (of this or another study) and start afresh
  int jobs = 0;             // concurrent runs in this process; 0: one per core (at most one per run)
  int threads = 0;          // engine threads per run; 0: cores / jobs (at least 1)
  ProgressStyle progress = ProgressStyle::kNone;
  std::string study_text;   // the study file's text, recorded in the database and results
  // Runs one planned run (default: ExecuteRun). The seam tests use to make runs fail or
  // take time; called concurrently from pool threads. Not used on MPI workers.
  std::function<RunRecord(const StudySpec&, const std::vector<PlannedRun>&, uint32_t index, int threads)> run;
};

struct StudyOutcome {
  bool writer = true;        // this process wrote the outputs (false on MPI ranks > 0)
  uint32_t planned = 0;      // arms x replications
  uint32_t skipped = 0;      // already committed by an earlier invocation
  uint32_t ran = 0;          // run (and committed) by this invocation
  uint32_t failed = 0;       // planned runs whose stored status is 'failed'
  bool interrupted = false;  // SIGINT or SIGTERM: outputs not written
  int signal = 0;            // the signal that stopped it (SIGINT, SIGTERM), 0 if none
  bool other_study = false;  // refused: out_dir holds another study's runs (the error says which)
  int jobs = 0;              // as used
  int threads = 0;
  int ranks = 1;
  double wall_s = 0;
  proto::StudyResults results;  // what the outputs were written from (writer only)
};

// `ranks` > 1 (with `rank`) means MPI is initialised and this process is one of the ranks.
Status RunStudy(const StudySpec& spec, const StudyOptions& options, int rank, int ranks, StudyOutcome* outcome);

// Whether a SIGINT or SIGTERM arrived since RunStudy installed its handler, and which came
// first (0 if none), for tests and the CLI.
bool StudyInterrupted();
int StudyStopSignal();

}  // namespace clawsim::study
