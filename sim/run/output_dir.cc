#include "sim/run/output_dir.h"

#include <array>
#include <filesystem>
#include <system_error>

#include "sim/run/atomic_file.h"
#include "sim/run/csv_writers.h"
#include "sim/run/summary_json.h"

namespace clawsim::run {

OutputDir::OutputDir(RunFileWriterOptions options) : run_file_(options) {}

OutputDir::~OutputDir() = default;  // the writers remove their own temporary files

std::string OutputDir::DefaultPath(const std::string& scenario, uint64_t seed) {
  return "results/" + scenario + "-s" + std::to_string(seed);
}

Status OutputDir::Fail(const Status& error) {
  run_file_.Abandon();
  return error;
}

std::string OutputDir::PathOf(const char* name) const { return dir_ + "/" + name; }

Status OutputDir::Open(const std::string& dir) {
  if (dir.empty()) return Status::Error("output directory: empty path; pass --out DIR");
  dir_ = dir;
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return Status::Error(dir_ + ": cannot create the output directory: " + ec.message());
  if (!std::filesystem::is_directory(dir_, ec)) {
    return Status::Error(dir_ + ": exists and is not a directory; choose another --out");
  }
  return run_file_.Open(PathOf(kRunFileName));
}

Status OutputDir::Commit(const model::RunSummary& summary, const std::vector<model::EmployeeMetrics>& employees,
                         const std::vector<model::DailyMetrics>& daily, double wall_s) {
  // Phase 1: finish the run file (time series, then the footer) and fsync it. Rows the
  // caller added itself would be written twice, silently; refuse instead.
  if (run_file_.daily_rows_added() != 0 || run_file_.employee_rows_added() != 0) {
    return Fail(Status::Error(PathOf(kRunFileName) +
                              ": daily or employee rows were added to the run file before OutputDir::Commit, "
                              "which adds them itself; remove the AddDailyRow/AddEmployeeRow calls"));
  }
  Status s;
  for (const model::DailyMetrics& day : daily) {
    if (s.ok()) s = run_file_.AddDailyRow(day);
  }
  for (const model::EmployeeMetrics& employee : employees) {
    if (s.ok()) s = run_file_.AddEmployeeRow(employee);
  }
  if (s.ok()) s = run_file_.WriteFooter(summary, wall_s);
  if (s.ok()) s = run_file_.Sync();
  if (!s.ok()) return Fail(s);

  // Phase 2: the side files, complete and fsynced under their temporary names.
  std::array<AtomicFile, 3> files;
  const std::array<std::pair<const char*, std::string>, 3> contents = {{
      {kSummaryJsonName, SummaryJson(summary) + "\n"},
      {kEmployeesCsvName, EmployeesCsv(employees)},
      {kDailyCsvName, DailyCsv(daily)},
  }};
  for (size_t i = 0; i < files.size() && s.ok(); ++i) {
    s = files[i].Open(PathOf(contents[i].first));
    if (s.ok()) s = files[i].Append(contents[i].second);
    if (s.ok()) s = files[i].Sync();
  }
  if (!s.ok()) return Fail(s);  // the AtomicFiles remove their temporaries on return

  // Phase 3: rename. The run file goes last so that its presence means a complete set.
  for (AtomicFile& file : files) {
    s = file.Commit();
    if (!s.ok()) return Fail(s);
  }
  s = run_file_.Commit();
  return s.ok() ? s : Fail(s);
}

}  // namespace clawsim::run
