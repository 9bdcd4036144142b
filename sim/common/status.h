// Status: an error as a value, for loading, compiling, validating and running.
//
// A Status is either OK or carries one human-readable message that names the thing, the
// problem and, where possible, the fix ("file:line:col: ..." for input files). Functions at
// the edges (files, flags, options) return a Status; internal invariants are assertions.
#pragma once

#include <string>
#include <utility>

namespace clawsim {

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message), true); }

  bool ok() const { return !failed_; }
  const std::string& message() const { return message_; }

 private:
  Status(std::string message, bool failed) : message_(std::move(message)), failed_(failed) {}
  std::string message_;
  bool failed_ = false;
};

}  // namespace clawsim
