#include "sim/run/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace clawsim::run {
namespace {

// Buffer this much before a write(2): large enough that streaming small chunks costs few
// system calls, small enough not to matter next to the model's memory.
constexpr size_t kBufferBytes = 1 << 20;

Status SystemError(const std::string& file, const char* what) {
  return Status::Error(file + ": " + what + " failed: " + std::strerror(errno));
}

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

AtomicFile::~AtomicFile() { Abandon(); }

void AtomicFile::Abandon() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (!path_.empty() && !committed_) ::unlink(temp_path().c_str());
  buffer_.clear();
}

Status AtomicFile::Open(const std::string& path) {
  if (!path_.empty()) return Status::Error(path + ": AtomicFile::Open called twice");
  path_ = path;
  fd_ = ::open(temp_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) return SystemError(temp_path(), "creating");
  buffer_.reserve(kBufferBytes);
  return Status::Ok();
}

Status AtomicFile::FlushBuffer() {
  const char* p = buffer_.data();
  size_t left = buffer_.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return SystemError(temp_path(), "writing");
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  buffer_.clear();
  return Status::Ok();
}

Status AtomicFile::Append(std::string_view data) {
  if (fd_ < 0) return Status::Error(temp_path() + ": not open for writing");
  bytes_written_ += data.size();
  if (buffer_.size() + data.size() > kBufferBytes) {
    Status s = FlushBuffer();
    if (!s.ok()) return s;
  }
  buffer_.append(data);
  if (buffer_.size() >= kBufferBytes) return FlushBuffer();
  return Status::Ok();
}

Status AtomicFile::Sync() {
  if (synced_) return Status::Ok();
  if (fd_ < 0) return Status::Error(temp_path() + ": not open for writing");
  Status s = FlushBuffer();
  if (!s.ok()) return s;
  if (::fsync(fd_) != 0) return SystemError(temp_path(), "fsync");
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) return SystemError(temp_path(), "closing");
  synced_ = true;
  return Status::Ok();
}

Status AtomicFile::Commit() {
  if (committed_) return Status::Ok();
  Status s = Sync();
  if (!s.ok()) return s;
  if (std::rename(temp_path().c_str(), path_.c_str()) != 0) {
    return Status::Error(path_ + ": renaming " + temp_path() + " into place failed: " + std::strerror(errno));
  }
  committed_ = true;
  // Make the rename itself durable. A failure here leaves the complete file in place, so it
  // is reported but the file is not rolled back.
  const std::string dir = DirectoryOf(path_);
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return SystemError(dir, "opening directory for fsync");
  const int rc = ::fsync(dfd);
  ::close(dfd);
  if (rc != 0) return SystemError(dir, "fsync of directory");
  return Status::Ok();
}

Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  AtomicFile file;
  Status s = file.Open(path);
  if (s.ok()) s = file.Append(contents);
  if (s.ok()) s = file.Commit();
  return s;
}

}  // namespace clawsim::run
