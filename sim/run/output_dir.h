// OutputDir: everything `clawsim run` writes, committed together.
//
// A run's directory (default results/<scenario>-s<seed>/) holds
//   run.clawrun      the run file (RUN_FILE.md): header, time series, audit log, trace, footer
//   summary.json     the totals as one JSON object (summary_json.h)
//   employees.csv    one row per employee (csv_writers.h)
//   daily.csv        one row per simulated day (csv_writers.h)
// and, when the caller asks for them (set_side_files), files derived from the finished run
// file, such as `clawsim run --telemetry`'s telemetry.jsonl (sim/telemetry/TELEMETRY.md).
//
// The runner's sequence:
//   OutputDir out;
//   Status s = out.Open(dir);                        // creates dir and parents
//   s = out.run_file().WriteHeader(info);            // before the run starts
//   ... out.run_file().AddAuditRecord(r) / AddTraceEvent(e) during the run (serial phase);
//       not AddDailyRow / AddEmployeeRow: Commit writes those
//   s = out.Commit(summary, employees, daily, wall_s);
//
// The files appear together or not at all. They are written into a staging folder
// beside the output folder (`<dir>.tmp/`), fsynced, and the staging folder then takes the
// output folder's place in one step (Linux renameat2 RENAME_EXCHANGE; where the file
// system lacks it, two renames, between which the folder is briefly absent but never holds
// a mix of two runs). The previous outputs, now in the staging folder, are removed. So a
// reader sees the old four files or the new four, and a crash at any point leaves at most a
// stale `<dir>.tmp/`, which the next Open() clears.
//
// Because the folder is replaced as a whole, it must hold nothing but a run's outputs: an
// existing folder with any other entry (or an entry of the right name that is not a plain
// file) is refused by Open() with a message naming the entry, and the current and root
// directories cannot be output folders. A failure while writing (disk full, a bad
// directory) leaves the output folder as it was, removes the staging folder, and returns a
// Status naming the file. An OutputDir destroyed before Commit() (an error, an interrupted
// run) removes the staging folder too; StagingPaths() lists what to remove from a signal
// handler that cannot wait for destructors.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim/common/status.h"
#include "sim/model/metrics.h"
#include "sim/run/run_file_writer.h"

namespace clawsim::run {

inline constexpr const char* kRunFileName = "run.clawrun";
inline constexpr const char* kSummaryJsonName = "summary.json";
inline constexpr const char* kEmployeesCsvName = "employees.csv";
inline constexpr const char* kDailyCsvName = "daily.csv";
inline constexpr const char* kOutputNames[] = {kRunFileName, kSummaryJsonName, kEmployeesCsvName, kDailyCsvName};
// Written only by some runs: the telemetry export (`clawsim run --telemetry`, derived from
// the run file: set_side_files) and the per-seat summary of `clawsim serve` (AddSideFile).
inline constexpr const char* kTelemetryName = "telemetry.jsonl";
inline constexpr const char* kSeatsJsonName = "seats.json";
inline constexpr const char* kOptionalOutputNames[] = {kTelemetryName, kSeatsJsonName};

// Derives side files from the finished run file at `run_file` (in the staging folder):
// appends (name, contents) pairs; each name must be one of kOptionalOutputNames. An error
// abandons the whole commit.
using SideFiles = Status (*)(const std::string& run_file, std::vector<std::pair<std::string, std::string>>* files);

class OutputDir {
 public:
  explicit OutputDir(RunFileWriterOptions options = {});
  ~OutputDir();  // removes the staging folder unless Commit() succeeded
  OutputDir(const OutputDir&) = delete;
  OutputDir& operator=(const OutputDir&) = delete;

  // "results/<scenario>-s<seed>": where `clawsim run` writes without --out.
  static std::string DefaultPath(const std::string& scenario, uint64_t seed);

  // Creates `dir` and its parents if needed (an empty `dir` stays if the run is abandoned),
  // checks that it holds only a run's outputs, creates the staging folder and opens the run
  // file in it.
  Status Open(const std::string& dir);

  // The run file being written; stream the header and records into it. Valid after Open().
  RunFileWriter& run_file() { return run_file_; }

  // Finishes the run file and writes the other outputs, then renames everything into place.
  // `employees` in employee-id order, `daily` in day order. Commit adds these rows to the run
  // file itself: adding them through run_file() as well is an error (they would be written
  // twice).
  Status Commit(const model::RunSummary& summary, const std::vector<model::EmployeeMetrics>& employees,
                const std::vector<model::DailyMetrics>& daily, double wall_s);

  // Side files derived from the finished run file (before Commit); null: none.
  void set_side_files(SideFiles derive) { derive_side_files_ = derive; }
  // Adds one of kOptionalOutputNames, written and committed with the others by Commit.
  void AddSideFile(const char* name, std::string contents) { side_files_.emplace_back(name, std::move(contents)); }

  const std::string& dir() const { return dir_; }
  // dir/name: where a file is once committed.
  std::string PathOf(const char* name) const;
  // The staging folder (`<dir>.tmp`) and every file that may exist in it, files first: what
  // to unlink and then rmdir, in that order, to leave no trace of an unfinished run. Valid
  // after Open().
  std::vector<std::string> StagingPaths() const;

  // The names a run's output folder may hold (the four outputs and their temporaries).
  static bool IsOutputName(const std::string& name);

 private:
  Status Fail(const Status& error);  // abandons the run file and the staging folder
  std::string StagedPathOf(const char* name) const;
  void RemoveStaging();
  Status SwapIntoPlace();

  std::string dir_;
  std::string staging_;
  bool committed_ = false;
  RunFileWriter run_file_;
  SideFiles derive_side_files_ = nullptr;
  std::vector<std::pair<const char*, std::string>> side_files_;
};

}  // namespace clawsim::run
