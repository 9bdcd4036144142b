// Flags: a small, strict command-line parser for the clawsim subcommands.
//
// Every flag is declared with a destination and a help line. Parse() refuses unknown flags,
// missing or malformed values and out-of-range numbers with a message that names the flag.
// Both "--name value" and "--name=value" are accepted.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "sim/common/status.h"

namespace clawsim::cli {

class Flags {
 public:
  explicit Flags(std::string usage) : usage_(std::move(usage)) {}

  void AddUint32(const std::string& name, uint32_t* dst, const std::string& help);
  void AddUint64(const std::string& name, uint64_t* dst, const std::string& help);
  void AddInt(const std::string& name, int* dst, const std::string& help);
  void AddDouble(const std::string& name, double* dst, const std::string& help);
  void AddString(const std::string& name, std::string* dst, const std::string& help);
  void AddBool(const std::string& name, bool* dst, const std::string& help);  // no value
  // A flag that may repeat; each value is appended.
  void AddRepeated(const std::string& name, std::vector<std::string>* dst, const std::string& help);

  // Parses args (without the program and subcommand names). Words that are not flags are
  // positional and returned in *positional. --help sets help_requested().
  Status Parse(const std::vector<std::string>& args, std::vector<std::string>* positional);

  bool help_requested() const { return help_requested_; }
  std::string Help() const;
  // Whether the flag was given on the command line.
  bool Given(const std::string& name) const;

 private:
  struct Flag {
    std::string name;
    std::string help;
    bool takes_value = true;
    std::function<Status(const std::string&)> set;
    bool given = false;
  };
  void Add(const std::string& name, const std::string& help, bool takes_value,
           std::function<Status(const std::string&)> set);

  std::string usage_;
  std::vector<Flag> flags_;
  bool help_requested_ = false;
};

// The most engine threads a run may use. Each thread owns a partition with its own event
// ring and buffers, so threads beyond the cores only cost memory (100,000 threads once grew
// to 16 GB for a 0.1 s run); no machine clawsim targets has more cores than this.
inline constexpr int kMaxThreads = 256;
// The default engine thread count of `clawsim run` and `bench org`: every core this machine
// reports (std::thread::hardware_concurrency), at most kMaxThreads, at least 1. Results do
// not depend on it, so using them all loses nothing.
inline int DefaultThreads() {
  return std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, kMaxThreads);
}
// The longest run, in days: the range of the scenario's run.days.
inline constexpr int kMaxRunDays = 3650;

// Parses a whole decimal number (no sign for unsigned, no trailing characters).
Status ParseUint64(const std::string& text, uint64_t* out);
Status ParseDouble(const std::string& text, double* out);

}  // namespace clawsim::cli
