// LoadScenario: read a `.textproto` scenario, apply `--set` overrides, validate, compile.
//
// Errors come back as one Status whose message has one problem per line, each starting
// with where it is:
//   scenarios/x.textproto:12:5: Message type "clawsim.proto.Scenario" has no field named "nope".
//   scenarios/x.textproto:40:3: agent profile "ops-bot" uses model tier "pager", which is not
//       defined; add it under model_tiers {}
//   --set run.days=abc: run.days: "abc" is not a 32-bit integer
// Lines and columns are 1-based. Syntax errors stop parsing (the text-format parser gives
// up at the first one); semantic problems are all reported (the first 25 of them).
// Nothing is written anywhere: a caller that fails to load simply exits non-zero.
#pragma once

#include <string>
#include <vector>

#include "sim/common/status.h"
#include "sim/proto/scenario.pb.h"
#include "sim/scenario/compiled_scenario.h"

namespace clawsim::scenario {

struct LoadedScenario {
  std::string path;          // the file as given
  proto::Scenario scenario;  // as parsed, with overrides applied (what a run file records)
  CompiledScenario compiled; // ready for the model
  // "PATH:LINE:COLUMN: warning: ..." lines for the user (a file that may have been cut short,
  // end_marker.h); the caller prints them.
  std::vector<std::string> warnings;
};

// The largest scenario file read, in bytes: far above any hand-written scenario, far below
// what could exhaust memory.
inline constexpr size_t kMaxScenarioBytes = 16u << 20;

// Reads a scenario (or study) file's text: refuses a directory, a file over
// kMaxScenarioBytes (or an endless device) and text with NUL bytes, naming the path.
Status ReadScenarioText(const std::string& path, std::string* text);

// Loads `path`, applies `overrides` ("PATH=VALUE" each, in order; see field_path.h) and
// validates and compiles the result into `*out`. On error `*out` is unspecified.
Status LoadScenario(const std::string& path, const std::vector<std::string>& overrides, LoadedScenario* out);

// The same from text already in memory; `path` is only used in messages. For tests and for
// scenarios embedded in study files.
Status LoadScenarioFromText(const std::string& text, const std::string& path,
                            const std::vector<std::string>& overrides, LoadedScenario* out);

}  // namespace clawsim::scenario
