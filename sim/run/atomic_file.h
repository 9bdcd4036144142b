// AtomicFile: a file that appears at its path complete or not at all.
//
// Everything is written to `path + ".tmp"` in the same directory; Commit() flushes, fsyncs
// and renames it over `path` (rename is atomic within a file system), then fsyncs the
// directory so the new name survives a crash. An AtomicFile destroyed without a successful
// Commit() removes its temporary file, so an error or an exception on the way never leaves a
// half-written output, and an older file at `path` stays as it was.
//
// Two writers must not target the same path at once (they would share the temporary name).
// Not thread-safe; one owner.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/common/status.h"

namespace clawsim::run {

class AtomicFile {
 public:
  AtomicFile() = default;
  ~AtomicFile();  // removes the temporary file unless Commit() succeeded
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Creates (or truncates a stale) `path + ".tmp"`. The directory must exist.
  Status Open(const std::string& path);
  // Appends bytes (buffered). Errors name the temporary file and the system error.
  Status Append(std::string_view data);
  // Writes out the buffer, fsyncs and closes the temporary file; it is complete but not yet
  // at `path`. Lets a caller finish several files before renaming any. Idempotent.
  Status Sync();
  // Sync() if not done, then renames the temporary file to `path` and fsyncs the directory.
  Status Commit();
  // Removes the temporary file now (what the destructor does). Safe to call at any time.
  void Abandon();

  const std::string& path() const { return path_; }
  std::string temp_path() const { return path_ + ".tmp"; }
  bool committed() const { return committed_; }
  uint64_t bytes_written() const { return bytes_written_; }  // appended so far

 private:
  Status FlushBuffer();

  std::string path_;
  int fd_ = -1;
  std::string buffer_;
  uint64_t bytes_written_ = 0;
  bool synced_ = false;
  bool committed_ = false;
};

// Writes `contents` to `path` through an AtomicFile.
Status WriteFileAtomically(const std::string& path, std::string_view contents);

}  // namespace clawsim::run
