#include "sim/run/output_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "sim/run/atomic_file.h"
#include "sim/run/csv_writers.h"
#include "sim/run/summary_json.h"

namespace clawsim::run {

OutputDir::OutputDir(RunFileWriterOptions options) : run_file_(options) {}

OutputDir::~OutputDir() {
  if (!committed_) {
    run_file_.Abandon();
    RemoveStaging();
  }
}

std::string OutputDir::DefaultPath(const std::string& scenario, uint64_t seed) {
  return "results/" + scenario + "-s" + std::to_string(seed);
}

bool OutputDir::IsOutputName(const std::string& name) {
  for (const char* output : kOutputNames) {
    if (name == output || name == std::string(output) + ".tmp") return true;
  }
  for (const char* output : kOptionalOutputNames) {
    if (name == output || name == std::string(output) + ".tmp") return true;
  }
  return false;
}

Status OutputDir::Fail(const Status& error) {
  run_file_.Abandon();
  RemoveStaging();
  return error;
}

std::string OutputDir::PathOf(const char* name) const { return dir_ + "/" + name; }
std::string OutputDir::StagedPathOf(const char* name) const { return staging_ + "/" + name; }

std::vector<std::string> OutputDir::StagingPaths() const {
  std::vector<std::string> paths;
  for (const char* output : kOutputNames) {
    paths.push_back(StagedPathOf(output));
    paths.push_back(StagedPathOf(output) + ".tmp");
  }
  for (const char* output : kOptionalOutputNames) {
    paths.push_back(StagedPathOf(output));
    paths.push_back(StagedPathOf(output) + ".tmp");
  }
  paths.push_back(staging_);
  return paths;
}

void OutputDir::RemoveStaging() {
  if (staging_.empty()) return;
  for (const std::string& path : StagingPaths()) {
    if (path == staging_) {
      ::rmdir(path.c_str());
    } else {
      ::unlink(path.c_str());
    }
  }
}

namespace {

// Every entry of `dir` must be one of a run's outputs, as a plain file.
Status CheckHoldsOnlyOutputs(const std::string& dir, const std::string& what) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    std::error_code type_ec;
    if (!OutputDir::IsOutputName(name) || !entry.is_regular_file(type_ec)) {
      return Status::Error(dir + "/" + name + ": " + what +
                           " holds something clawsim did not write; a run replaces its output folder as a whole, so "
                           "choose a new or empty folder with --out (or move this away)");
    }
  }
  if (ec) return Status::Error(dir + ": cannot list the output directory: " + ec.message());
  return Status::Ok();
}

Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::Error(dir + ": opening directory for fsync: " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return Status::Error(dir + ": fsync of directory: " + std::strerror(err));
  return Status::Ok();
}

}  // namespace

Status OutputDir::Open(const std::string& dir) {
  if (dir.empty()) return Status::Error("output directory: empty path; pass --out DIR");
  dir_ = dir;
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
  const std::string base = std::filesystem::path(dir_).filename().string();
  if (dir_ == "/" || base == "." || base == ".." || base.empty()) {
    dir_.clear();
    return Status::Error(dir + ": the output folder is replaced as a whole, so it cannot be the current, parent or "
                               "root directory; name a folder, e.g. --out results/mine");
  }
  std::error_code ec;
  if (std::filesystem::exists(dir_, ec) && !std::filesystem::is_directory(dir_, ec)) {
    return Status::Error(dir_ + ": exists and is not a directory; choose another --out");
  }
  std::filesystem::create_directories(dir_, ec);
  if (ec) return Status::Error(dir_ + ": cannot create the output directory: " + ec.message());
  if (!std::filesystem::is_directory(dir_, ec)) {
    return Status::Error(dir_ + ": exists and is not a directory; choose another --out");
  }
  if (Status s = CheckHoldsOnlyOutputs(dir_, "the output folder"); !s.ok()) return s;
  // A staging folder left by a crash: ours by name, so cleared (after the same check).
  staging_ = dir_ + ".tmp";
  if (std::filesystem::exists(staging_, ec)) {
    if (!std::filesystem::is_directory(staging_, ec)) {
      const std::string staging = staging_;
      staging_.clear();
      return Status::Error(staging + ": exists and is not a directory; clawsim stages a run's outputs there, so "
                                     "move it away");
    }
    if (Status s = CheckHoldsOnlyOutputs(staging_, "the staging folder of an earlier run"); !s.ok()) {
      staging_.clear();
      return s;
    }
    RemoveStaging();
  }
  if (::mkdir(staging_.c_str(), 0755) != 0) {
    const std::string staging = staging_;
    staging_.clear();
    return Status::Error(staging + ": cannot create the staging folder: " + std::strerror(errno));
  }
  return run_file_.Open(StagedPathOf(kRunFileName));
}

Status OutputDir::SwapIntoPlace() {
  if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, dir_.c_str(), RENAME_EXCHANGE) != 0) {
    const int err = errno;
    if (err != EINVAL && err != ENOSYS && err != ENOENT) {
      return Status::Error(dir_ + ": exchanging it with " + staging_ + " failed: " + std::strerror(err));
    }
    // No atomic exchange here: move the old folder aside, the new one in, the old one back
    // to the staging name for removal. Readers may find the folder absent, never mixed.
    const std::string old = dir_ + ".old";
    const bool had_old = err != ENOENT && std::rename(dir_.c_str(), old.c_str()) == 0;
    if (std::rename(staging_.c_str(), dir_.c_str()) != 0) {
      const int rename_err = errno;
      if (had_old) std::rename(old.c_str(), dir_.c_str());
      return Status::Error(dir_ + ": renaming " + staging_ + " into place failed: " + std::strerror(rename_err));
    }
    if (had_old) std::rename(old.c_str(), staging_.c_str());
  }
  committed_ = true;
  RemoveStaging();  // the previous outputs, if any
  const std::string parent = std::filesystem::path(dir_).parent_path().string();
  return SyncDirectory(parent.empty() ? "." : parent);
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
  if (s.ok()) s = run_file_.Commit();
  if (!s.ok()) return Fail(s);

  // Phase 2: the side files, complete and fsynced in the staging folder.
  const std::array<std::pair<const char*, std::string>, 3> contents = {{
      {kSummaryJsonName, SummaryJson(summary) + "\n"},
      {kEmployeesCsvName, EmployeesCsv(employees)},
      {kDailyCsvName, DailyCsv(daily)},
  }};
  for (const auto& [name, text] : contents) {
    if (s.ok()) s = WriteFileAtomically(StagedPathOf(name), text);
  }
  for (const auto& [name, text] : side_files_) {
    if (s.ok()) s = WriteFileAtomically(StagedPathOf(name), text);
  }
  if (!s.ok()) return Fail(s);
  if (derive_side_files_ != nullptr) {
    std::vector<std::pair<std::string, std::string>> extra;
    s = derive_side_files_(StagedPathOf(kRunFileName), &extra);
    for (const auto& [name, text] : extra) {
      const bool own = name == kRunFileName || name == kSummaryJsonName || name == kEmployeesCsvName || name == kDailyCsvName;
      if (s.ok() && (own || !IsOutputName(name) || name.ends_with(".tmp"))) {
        s = Status::Error(PathOf(name.c_str()) + ": not a side file a run's folder may hold");
      }
      if (s.ok()) s = WriteFileAtomically(StagedPathOf(name.c_str()), text);
    }
    if (!s.ok()) return Fail(s);
  }

  // Phase 3: the staging folder takes the output folder's place, in one step.
  s = SwapIntoPlace();
  return s.ok() || committed_ ? s : Fail(s);
}

}  // namespace clawsim::run
