// OutputDir: everything `clawsim run` writes, committed together.
//
// A run's directory (default results/<scenario>-s<seed>/) holds
//   run.clawrun      the run file (RUN_FILE.md): header, time series, audit log, trace, footer
//   summary.json     the totals as one JSON object (summary_json.h)
//   employees.csv    one row per employee (csv_writers.h)
//   daily.csv        one row per simulated day (csv_writers.h)
//
// The runner's sequence:
//   OutputDir out;
//   Status s = out.Open(dir);                        // creates dir and parents
//   s = out.run_file().WriteHeader(info);            // before the run starts
//   ... out.run_file().AddAuditRecord(r) / AddTraceEvent(e) during the run (serial phase);
//       not AddDailyRow / AddEmployeeRow: Commit writes those
//   s = out.Commit(summary, employees, daily, wall_s);
// Commit writes the daily and employee rows and the footer into the run file, renders the
// JSON and CSV files, writes and fsyncs every file under a temporary name (NAME.tmp), and
// only then renames them into place. A failure while writing (disk full, a bad directory)
// leaves the directory as it was, removes the temporary files, and returns a Status naming
// the file. Renames within one directory do not fail in practice; if one does, the files
// renamed before it stay and the rest are removed. An OutputDir destroyed before Commit()
// (an error, an interrupted run) removes its temporary files too.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/common/status.h"
#include "sim/model/metrics.h"
#include "sim/run/run_file_writer.h"

namespace clawsim::run {

inline constexpr const char* kRunFileName = "run.clawrun";
inline constexpr const char* kSummaryJsonName = "summary.json";
inline constexpr const char* kEmployeesCsvName = "employees.csv";
inline constexpr const char* kDailyCsvName = "daily.csv";

class OutputDir {
 public:
  explicit OutputDir(RunFileWriterOptions options = {});
  ~OutputDir();
  OutputDir(const OutputDir&) = delete;
  OutputDir& operator=(const OutputDir&) = delete;

  // "results/<scenario>-s<seed>": where `clawsim run` writes without --out.
  static std::string DefaultPath(const std::string& scenario, uint64_t seed);

  // Creates `dir` and its parents if needed and opens the run file's temporary file.
  Status Open(const std::string& dir);

  // The run file being written; stream the header and records into it. Valid after Open().
  RunFileWriter& run_file() { return run_file_; }

  // Finishes the run file and writes the other outputs, then renames everything into place.
  // `employees` in employee-id order, `daily` in day order. Commit adds these rows to the run
  // file itself: adding them through run_file() as well is an error (they would be written
  // twice).
  Status Commit(const model::RunSummary& summary, const std::vector<model::EmployeeMetrics>& employees,
                const std::vector<model::DailyMetrics>& daily, double wall_s);

  const std::string& dir() const { return dir_; }
  // dir/name.
  std::string PathOf(const char* name) const;

 private:
  Status Fail(const Status& error);  // abandons the run file, returns `error`

  std::string dir_;
  RunFileWriter run_file_;
};

}  // namespace clawsim::run
