// clawsim: the command-line entry point. Dispatches to the subcommands in commands.h.
#include <cstdio>
#include <string>
#include <vector>

#include "sim/cli/commands.h"

namespace {

constexpr const char* kUsage =
    "usage: clawsim <command> [args]\n"
    "\n"
    "commands:\n"
    "  bench phold      the PHOLD benchmark on the event engine\n"
    "\n"
    "Run 'clawsim <command> --help' for a command's flags.\n";

}  // namespace

int main(int argc, char** argv) {
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
    std::fprintf(stderr, "clawsim bench: expected a benchmark name: phold\n");
    return 2;
  }
  std::fprintf(stderr, "clawsim: unknown command '%s'\n\n%s", command.c_str(), kUsage);
  return 2;
}
