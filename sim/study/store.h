// StudyStore: the study's SQLite database (study.sqlite), where every finished run is
// committed in its own transaction. The tables are documented in sim/study/README.md.
//
// Durability: WAL journal with synchronous=FULL, so a committed run survives a killed
// process or a power cut; a run in progress when the process dies leaves nothing behind.
// Resuming is by key: a run whose (arm, seed, scenario hash) is already committed with
// status 'ok' is not run again; a 'failed' one is run again and replaced.
//
// Not thread-safe: one owner (the study's writer: the main process, or MPI rank 0).
// SQLite stays inside this class.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "sim/common/status.h"
#include "sim/study/plan.h"
#include "sim/study/study_file.h"

struct sqlite3;

namespace clawsim::study {

// (arm name, seed, scenario hash): what makes a run the same run across invocations.
using RunKey = std::tuple<std::string, uint64_t, std::string>;
RunKey KeyOf(const StudySpec& spec, const PlannedRun& run);

// A planned run as stored, for the outputs.
struct StoredRun {
  bool present = false;  // committed at all
  bool ok = false;
  std::string error;
  Measures measures;
};

class StudyStore {
 public:
  StudyStore() = default;
  ~StudyStore();
  StudyStore(const StudyStore&) = delete;
  StudyStore& operator=(const StudyStore&) = delete;

  // Opens (creating if needed) the database at `path` and its tables. Refuses a database
  // written by an unknown major format version.
  Status Open(const std::string& path);
  void Close();

  // Whether the database is empty or holds the same study as `spec`: the same name and base
  // scenario (as written). An error naming both studies otherwise. Edits to a study (arms,
  // replications, measures) keep it the same study: its unchanged runs are reused.
  Status CheckSameStudy(const StudySpec& spec);

  // Replaces the study, arms and arm_overrides tables with `spec` (one transaction). Runs of
  // earlier versions of the study stay in `runs`; outputs only read the planned ones.
  Status WriteStudy(const StudySpec& spec, const std::string& study_text);

  // Keys of the runs committed with status 'ok'.
  Status CommittedOk(std::set<RunKey>* keys);

  // Commits one finished run (measures and daily series included) in one transaction,
  // replacing a failed run with the same key.
  Status Commit(const StudySpec& spec, const PlannedRun& run, const RunRecord& record);

  // The stored state of every planned run, in plan order.
  Status ReadPlanned(const StudySpec& spec, const std::vector<PlannedRun>& plan, std::vector<StoredRun>* out);

  // PRAGMA integrity_check's answer ("ok" when sound).
  Status IntegrityCheck(std::string* result);

 private:
  Status Exec(const char* sql);
  Status Error(const std::string& what) const;

  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace clawsim::study
