// The clawsim subcommands. Each takes its arguments (after the subcommand words) and
// returns the process exit code: 0 success, 1 failure while running, 2 bad usage or input.
#pragma once

#include <string>
#include <vector>

namespace clawsim::cli {

int BenchPholdCommand(const std::vector<std::string>& args);
int BenchOrgCommand(const std::vector<std::string>& args);
int RunCommand(const std::vector<std::string>& args);
int InspectCommand(const std::vector<std::string>& args);
int StudyCommand(const std::vector<std::string>& args);
int ValidateCommand(const std::vector<std::string>& args);
int TelemetryCommand(const std::vector<std::string>& args);
int DetectCommand(const std::vector<std::string>& args);
int ServeCommand(const std::vector<std::string>& args);

}  // namespace clawsim::cli
