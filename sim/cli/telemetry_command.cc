// clawsim telemetry RUNFILE [--out FILE]: exports a run's telemetry, what an agent platform's
// logs hold (sim/telemetry/TELEMETRY.md), as JSON Lines. No purposes, no attack labels.
#include <cstdio>
#include <filesystem>
#include <string>

#include "sim/cli/commands.h"
#include "sim/cli/flags.h"
#include "sim/run/atomic_file.h"
#include "sim/telemetry/telemetry.h"
#include "sim/telemetry/telemetry_jsonl.h"

namespace clawsim::cli {

int TelemetryCommand(const std::vector<std::string>& args) {
  std::string out;
  Flags flags(
      "usage: clawsim telemetry RUNFILE [--out FILE]\n"
      "Writes what an agent platform would have logged during the run (model calls, tool calls with\n"
      "their gate decisions, people's daily totals) as JSON Lines; format: sim/telemetry/TELEMETRY.md.\n"
      "The run must have been written at trace level audit or full (the default).");
  flags.AddString("out", &out, "the file to write (default: telemetry.jsonl next to RUNFILE)");
  std::vector<std::string> positional;
  Status s = flags.Parse(args, &positional);
  if (flags.help_requested()) {
    std::fputs(flags.Help().c_str(), stdout);
    return 0;
  }
  if (s.ok() && positional.size() != 1) s = Status::Error("expected exactly one RUNFILE\n" + flags.Help());
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim telemetry: %s\n", s.message().c_str());
    return 2;
  }
  if (out.empty()) out = (std::filesystem::path(positional[0]).parent_path() / "telemetry.jsonl").string();
  telemetry::Telemetry t;
  telemetry::GroundTruth truth;
  s = telemetry::Extract(positional[0], &t, &truth);
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim telemetry: %s\n", s.message().c_str());
    return 2;
  }
  s = run::WriteFileAtomically(out, telemetry::WriteJsonl(t));
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim telemetry: %s\n", s.message().c_str());
    return 1;
  }
  std::printf("wrote %s: %zu people, %zu agents, %zu model calls, %zu tool calls, %zu person-days\n", out.c_str(),
              t.people.size(), t.agents.size(), t.invocations.size(), t.tool_calls.size(), t.employee_days.size());
  return 0;
}

}  // namespace clawsim::cli
