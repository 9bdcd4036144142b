// Seat drivers for `clawsim serve`: what paces a run with external seats.
//
// StdioDriver speaks MCP over stdio: one JSON-RPC message per line in, one per line out
// (stdout carries nothing else). When the client closes its end before the run is over, or
// `should_stop` turns true (a signal), the run ends with the day in progress and is marked
// interrupted (client_left()).
//
// ScriptDriver replays tool calls from a JSON Lines file, for tests and for users without
// a model. Each line is one call:
//   {"tool": "read_mail", "arguments": {"id": 3}, "_meta": {"clawsim/usage": {...}}}
// ("arguments" and "_meta" optional; blank lines and lines starting with # are skipped).
// The calls go through the same McpServer as a client's, and each response is written to
// `out` as a JSON-RPC line. A line that is not such an object, or a call the protocol
// refuses (an unknown tool, a wrong argument type), stops the run with `path:line: ...`
// and nothing is written. After the last call the run goes on to its end.
#pragma once

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "sim/model/runner.h"
#include "sim/serve/seat_tools.h"

namespace clawsim::serve {

class ServeDriverBase : public model::SeatDriver {
 public:
  explicit ServeDriverBase(CallCosts costs) : costs_(std::move(costs)) {}
  const std::vector<std::vector<CallRecord>>& calls() const { return calls_; }
  bool tokens_estimated() const { return tokens_estimated_; }

 protected:
  void Keep(const SeatTools& tools) {
    calls_ = tools.calls();
    tokens_estimated_ = tools.any_tokens_estimated();
  }
  CallCosts costs_;
  std::vector<std::vector<CallRecord>> calls_;
  bool tokens_estimated_ = false;
};

class StdioDriver : public ServeDriverBase {
 public:
  // Reads the file descriptor `in_fd` (unbuffered: it polls it, to notice should_stop).
  StdioDriver(int in_fd, std::FILE* out, CallCosts costs, std::function<bool()> should_stop = nullptr)
      : ServeDriverBase(std::move(costs)), in_fd_(in_fd), out_(out), should_stop_(std::move(should_stop)) {}
  Status Drive(model::SeatHost& host) override;
  bool client_left() const { return client_left_; }

 private:
  // The next line without its newline; false at the end of input or when asked to stop.
  bool ReadLine(std::string* line);
  int in_fd_;
  std::FILE* out_;
  std::function<bool()> should_stop_;
  std::string buffer_;
  bool client_left_ = false;
};

class ScriptDriver : public ServeDriverBase {
 public:
  ScriptDriver(std::string path, std::FILE* out, CallCosts costs)
      : ServeDriverBase(std::move(costs)), path_(std::move(path)), out_(out) {}
  Status Drive(model::SeatHost& host) override;

 private:
  std::string path_;
  std::FILE* out_;
};

// What the server tells a client at initialize: who it acts for and how time works.
std::string ServerInstructions(const model::SeatHost& host);

}  // namespace clawsim::serve
