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
// SIGINT during phase 2 stops handing out runs; runs in progress finish and are committed;
// phase 3 is skipped and `interrupted` is set (the command exits 130). A second SIGINT ends
// the process at once; SQLite rolls back the run being committed, if any.
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

struct StudyOptions {
  std::string out_dir;      // created if missing
  int jobs = 0;             // concurrent runs in this process; 0: one per core (at most one per run)
  int threads = 0;          // engine threads per run; 0: cores / jobs (at least 1)
  bool progress = false;    // draw a progress bar on stderr
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
  bool interrupted = false;  // SIGINT: outputs not written
  int jobs = 0;              // as used
  int threads = 0;
  int ranks = 1;
  double wall_s = 0;
  proto::StudyResults results;  // what the outputs were written from (writer only)
};

// `ranks` > 1 (with `rank`) means MPI is initialised and this process is one of the ranks.
Status RunStudy(const StudySpec& spec, const StudyOptions& options, int rank, int ranks, StudyOutcome* outcome);

// Whether a SIGINT arrived since RunStudy installed its handler (for tests and the CLI).
bool StudyInterrupted();

}  // namespace clawsim::study
