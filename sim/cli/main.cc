// clawsim: the command-line entry point. Dispatches to the subcommands in commands.h.
#include <cstdio>
#include <string>
#include <vector>

#include "sim/cli/commands.h"
#include "sim/cli/huge_pages.h"
#include "sim/scenario/presets.h"

namespace {

constexpr const char* kUsage =
    "usage: clawsim <command> [args]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO     run a scenario; writes results/<scenario>-s<seed>/ and prints a summary\n"
    "  bench phold      the PHOLD benchmark on the event engine\n"
    "  bench org        the organisation model at a chosen size (throughput, memory)\n"
    "  inspect RUNFILE  a run file's header, record counts and summary\n"
    "  presets          the permission presets' agent rules, as scenario text\n"
    "  study STUDY      run a study's arms x replications; writes results/<study>/\n"
    "  validate [SUITE] reproduce published experiments (scenarios/validation/), simulated vs published\n"
    "  telemetry RUN    export a run's telemetry (what a platform logs) as JSON Lines\n"
    "  detect RUN       score a detector file against a run's ground truth; capacity forecast\n"
    "  serve SCENARIO   seat a real agent (an MCP client) in an employee's chair; or replay --script\n"
    "\n"
    "Run 'clawsim <command> --help' for a command's flags.\n";

}  // namespace

int main(int argc, char** argv) {
  clawsim::cli::RestartWithHugePages(argv);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  const std::string& command = args[0];
  if (command == "bench") {
    if (args.size() >= 2 && args[1] == "phold") {
      return clawsim::cli::BenchPholdCommand({args.begin() + 2, args.end()});
    }
    if (args.size() >= 2 && args[1] == "org") {
      return clawsim::cli::BenchOrgCommand({args.begin() + 2, args.end()});
    }
    std::fprintf(stderr, "clawsim bench: expected a benchmark name: phold or org\n");
    return 2;
  }
  if (command == "run") return clawsim::cli::RunCommand({args.begin() + 1, args.end()});
  if (command == "inspect") return clawsim::cli::InspectCommand({args.begin() + 1, args.end()});
  if (command == "presets") {
    if (args.size() > 1 && args[1] != "--help" && args[1] != "-h") {
      std::fprintf(stderr, "clawsim presets: takes no arguments\n");
      return 2;
    }
    if (args.size() > 1) {
      std::fputs("usage: clawsim presets\nPrints each permission preset's agent rules (permissions { preset: NAME }).\n", stdout);
      return 0;
    }
    std::fputs(clawsim::scenario::PresetsAsText().c_str(), stdout);
    return 0;
  }
  if (command == "study") return clawsim::cli::StudyCommand({args.begin() + 1, args.end()});
  if (command == "validate") return clawsim::cli::ValidateCommand({args.begin() + 1, args.end()});
  if (command == "telemetry") return clawsim::cli::TelemetryCommand({args.begin() + 1, args.end()});
  if (command == "detect") return clawsim::cli::DetectCommand({args.begin() + 1, args.end()});
  if (command == "serve") return clawsim::cli::ServeCommand({args.begin() + 1, args.end()});
  std::fprintf(stderr, "clawsim: unknown command '%s'\n\n%s", command.c_str(), kUsage);
  return 2;
}
