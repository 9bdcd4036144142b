// clawsim serve: runs a scenario with external seats, an employee's agent driven by an MCP
// client (stdio) or a script of tool calls instead of the scenario's surrogate. The
// protocol and the seat binding live in sim/serve/ (see its README).
#include <cstdio>
#include <string>

#include "sim/cli/commands.h"
#include "sim/cli/flags.h"
#include "sim/cli/interrupt.h"
#include "sim/cli/run_flags.h"
#include "sim/cli/run_output.h"
#include "sim/scenario/load.h"
#include "sim/serve/http_driver.h"
#include "sim/serve/serve_driver.h"

namespace clawsim::cli {

int ServeCommand(const std::vector<std::string>& args) {
  RunCommandOptions o;
  std::vector<std::string> seats, costs;
  std::string transport = "stdio", script;
  int port = 0;
  Flags flags(
      "usage: clawsim serve SCENARIO --seat EMPLOYEE [--seat ...] [--script calls.jsonl] [--transport stdio|http]\n"
      "         [--port N] [--out DIR] [--seed N] [--threads N] [--days N] [--set path=value]...\n"
      "         [--call-seconds TOOL=S]...\n"
      "Serves the named employees' agents as Model Context Protocol tools (protocol 2025-06-18, JSON-RPC over\n"
      "stdio or Streamable HTTP on 127.0.0.1) while the rest of the organisation is simulated; or replays --script.");
  flags.AddRepeated("seat", &seats, "an employee whose agent the client drives (repeatable; at least one)");
  flags.AddString("script", &script, "replay these tool calls (JSON Lines) instead of serving a client");
  flags.AddString("transport", &transport, "stdio (default) or http (Streamable HTTP on 127.0.0.1, endpoint /mcp)");
  flags.AddInt("port", &port, "with --transport http: the port (default 0: any free one, printed on stderr)");
  flags.AddRepeated("call-seconds", &costs, "simulated seconds a tool call costs, e.g. send_mail=45 (repeatable)");
  RunFlagsStyle style;
  style.threads_help = "worker threads (default 1); results do not depend on it";
  style.trace_none_allowed = false;
  style.out_suffix = "-serve";
  RunFlags run_flags(style, &flags, &o);
  std::vector<std::string> positional;
  Status s = flags.Parse(args, &positional);
  if (flags.help_requested()) {
    std::fputs(flags.Help().c_str(), stdout);
    return 0;
  }
  if (s.ok()) s = run_flags.Check(positional);
  if (s.ok() && seats.empty()) s = Status::Error("name at least one --seat EMPLOYEE");
  if (s.ok() && transport != "stdio" && transport != "http") s = Status::Error("--transport must be stdio or http, got '" + transport + "'");
  if (s.ok() && flags.Given("port") && transport != "http") s = Status::Error("--port needs --transport http");
  if (s.ok() && (port < 0 || port > 65535)) s = Status::Error("--port must be in [0, 65535], got " + std::to_string(port));
  if (s.ok() && !script.empty() && flags.Given("transport")) s = Status::Error("--script replays calls without a client; leave out --transport");
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim serve: %s\n", s.message().c_str());
    return 2;
  }
  scenario::LoadedScenario loaded;
  s = scenario::LoadScenario(o.scenario_path, o.overrides, &loaded);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return 2;
  }
  // Tool costs: the documented defaults, then the scenario's, then --call-seconds.
  serve::CallCosts call_costs;
  call_costs.FromScenario(loaded.scenario.serve());
  for (const std::string& c : costs) {
    if (s.ok()) s = call_costs.Set(c);
  }
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim serve: %s\n", s.message().c_str());
    return 2;
  }
  for (const std::string& name : seats) {
    scenario::EmployeeId found = scenario::kNoId;
    const auto& employees = loaded.compiled.organization.employees;
    for (uint32_t e = 0; e < employees.size(); ++e) {
      if (employees[e].name == name) found = e;
    }
    if (found == scenario::kNoId) {
      std::fprintf(stderr, "clawsim serve: %s has no employee \"%s\"; employee names are in employees.csv of any run\n",
                   o.scenario_path.c_str(), name.c_str());
      return 2;
    }
    o.seats.push_back(found);
  }
  run_flags.ApplyDefaults(loaded.compiled);
  // A script's responses go to stdout; a client's protocol owns stdout, so people read stderr.
  InstallInterruptHandlers();
  o.should_stop = StopRequested;
  o.on_staging = SetInterruptCleanup;
  serve::StdioDriver stdio(0, stdout, call_costs, StopRequested);
  serve::ScriptDriver scripted(script, stdout, call_costs);
  serve::HttpDriver http(port, call_costs, [](int bound) {
    std::fprintf(stderr, "clawsim serve: listening on http://127.0.0.1:%d/mcp\n", bound);
    std::fflush(stderr);
  }, StopRequested);
  serve::ServeDriverBase* driver = !script.empty()     ? static_cast<serve::ServeDriverBase*>(&scripted)
                                   : transport == "http" ? static_cast<serve::ServeDriverBase*>(&http)
                                                         : &stdio;
  o.seat_driver = driver;
  const scenario::CompiledScenario compiled = loaded.compiled;
  o.seats_json = [&](const model::RunResult& r) {
    return serve::SeatTools::SummaryJson(r, compiled, driver->calls(), driver->tokens_estimated());
  };
  model::RunResult result;
  s = RunAndWrite(&loaded, o, &result);
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim serve: %s\n", s.message().c_str());
    return 1;
  }
  if (script.empty() && (stdio.client_left() || http.client_left())) {
    std::fprintf(stderr, "clawsim serve: the client left before the run's end; ended it after day %u, marked interrupted\n",
                 result.summary.days);
  }
  std::fprintf(stderr, "clawsim serve: fingerprint %016llx; wrote %s/\n",
               static_cast<unsigned long long>(result.summary.fingerprint), o.out_dir.c_str());
  return StopRequested() ? InterruptedExitStatus() : 0;
}

}  // namespace clawsim::cli
