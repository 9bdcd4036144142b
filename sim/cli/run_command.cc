// clawsim run: runs a scenario and reports token cost against value and safety outcomes.
// clawsim bench org: the organisation model at a chosen size, for throughput and memory.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "sim/cli/commands.h"
#include "sim/cli/flags.h"
#include "sim/cli/interrupt.h"
#include "sim/cli/run_flags.h"
#include "sim/cli/run_output.h"
#include "sim/common/json_writer.h"
#include "sim/common/process_stats.h"
#include "sim/model/runner.h"
#include "sim/scenario/load.h"
#include "sim/scenario/pending.h"
#include "sim/scenario/run_estimate.h"

namespace clawsim::cli {
namespace {

// A one-line progress bar on stderr, redrawn in place; only when stderr is a terminal.
void DrawProgress(uint32_t done, uint32_t total, double elapsed_s) {
  const int width = 30;
  const int filled = static_cast<int>(width * static_cast<double>(done) / std::max<uint32_t>(total, 1));
  const double left_s = done == 0 ? 0 : elapsed_s * (total - done) / done;
  std::fprintf(stderr, "\r[%.*s%*s] day %u/%u  %.0f s left ", filled, "##############################",
               width - filled, "", done, total, left_s);
  if (done == total) std::fputc('\n', stderr);
  std::fflush(stderr);
}

}  // namespace

int RunCommand(const std::vector<std::string>& args) {
  RunCommandOptions o;
  bool json = false;
  Flags flags(
      "usage: clawsim run SCENARIO [--seed N] [--threads N] [--days N] [--out DIR] [--trace none|audit|full] "
      "[--set path=value]... [--counterfactual] [--telemetry] [--json] [--ignore-memory-estimate]");
  RunFlagsStyle style;
  style.default_threads = DefaultThreads();
  style.threads_help = "worker threads (default: every core, " + std::to_string(DefaultThreads()) +
                       " here); results do not depend on it; 1 runs on the calling thread alone";
  RunFlags run_flags(style, &flags, &o);
  bool ignore_memory_estimate = false;
  flags.AddBool("json", &json, "print the summary as one JSON object");
  flags.AddBool("ignore-memory-estimate", &ignore_memory_estimate,
                "run even when the estimated memory exceeds what this machine has");
  flags.AddBool("counterfactual", &o.counterfactual,
                "also run the same scenario and seed without agents and report the differences");
  flags.AddBool("telemetry", &o.telemetry,
                "also write telemetry.jsonl, what an agent platform would have logged (sim/telemetry/TELEMETRY.md), "
                "with the other outputs");
  std::vector<std::string> positional;
  Status s = flags.Parse(args, &positional);
  if (flags.help_requested()) {
    std::fputs(flags.Help().c_str(), stdout);
    return 0;
  }
  if (s.ok()) s = run_flags.Check(positional);
  if (s.ok() && o.telemetry && o.trace == "none") {
    s = Status::Error("--telemetry needs the model calls and the audit log, which --trace none does not keep; "
                      "use --trace audit (the default) or full");
  }
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim run: %s\n", s.message().c_str());
    return 2;
  }
  InstallInterruptHandlers();
  scenario::LoadedScenario loaded;
  s = scenario::LoadScenario(o.scenario_path, o.overrides, &loaded);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return 2;
  }
  // A run that cannot fit in memory is refused before it starts, not killed hours in.
  if (!ignore_memory_estimate) {
    const int days = o.days > 0 ? o.days : loaded.compiled.run.days;
    const scenario::RunMemoryEstimate e = scenario::EstimateRunMemory(loaded.compiled, days, o.threads);
    const uint64_t available = scenario::AvailableMemoryBytes();
    if (available > 0 && e.bytes > static_cast<double>(available)) {
      std::fprintf(stderr,
                   "clawsim run: %s: this run needs about %s of memory by estimate (%.0f people, %.0f work items a "
                   "day, up to %.0f held at once over %d days), more than this machine has (%s); make it smaller "
                   "(fewer people or days, lower per_day rates) or pass --ignore-memory-estimate to run it anyway\n",
                   o.scenario_path.c_str(), scenario::FormatBytes(e.bytes).c_str(), e.employees, e.arrivals_per_day,
                   e.items_held, days, scenario::FormatBytes(static_cast<double>(available)).c_str());
      return 2;
    }
  }
  for (const std::string& w : loaded.warnings) std::fprintf(stderr, "clawsim run: %s\n", w.c_str());
  // Settings the model does not act on yet: say so rather than let them look effective.
  if (const std::vector<std::string> pending = scenario::PendingSettingsInUse(loaded.scenario); !pending.empty()) {
    std::string list;
    for (const std::string& path : pending) list += (list.empty() ? "" : ", ") + path;
    std::fprintf(stderr,
                 "clawsim run: warning: %s sets %zu setting(s) the model does not act on yet, so no result depends "
                 "on them (see scenarios/README.md): %s\n",
                 o.scenario_path.c_str(), pending.size(), list.c_str());
  }
  if (loaded.scenario.has_serve()) {
    std::fprintf(stderr, "clawsim run: warning: %s has serve settings, which only clawsim serve uses\n",
                 o.scenario_path.c_str());
  }
  run_flags.ApplyDefaults(loaded.compiled);
  o.show_progress = isatty(STDERR_FILENO) != 0;
  o.progress = DrawProgress;
  o.should_stop = StopRequested;
  o.on_staging = SetInterruptCleanup;
  if (StopRequested()) {  // interrupted while loading: nothing was started or written
    std::fprintf(stderr, "clawsim run: %s before the run started; nothing written\n", StopSignalName());
    return InterruptedExitStatus();
  }
  model::RunResult result;
  std::vector<run::CalibrationBand> bands;
  s = RunAndWrite(&loaded, o, &result, &bands);
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim run: %s\n", s.message().c_str());
    return 1;
  }
  for (const model::RuleDecisions& r : result.summary.rule_decisions) {
    if (r.from_scenario && r.total() == 0) {
      std::fprintf(stderr, "clawsim run: warning: permission rule \"%s\" never decided a request in this run\n",
                   r.rule.c_str());
    }
  }
  if (result.summary.interrupted) {
    std::fprintf(stderr,
                 "clawsim run: %s: stopped after day %u of %u; wrote the run so far to %s/ (marked interrupted)\n",
                 StopSignalName(), result.summary.days, static_cast<uint32_t>(o.days > 0 ? o.days : loaded.compiled.run.days),
                 o.out_dir.c_str());
  }
  if (json) {
    std::printf("%s\n", SummaryJsonLine(result).c_str());
  } else {
    std::fputs(SummaryTable(result).c_str(), stdout);
    std::fputs(CalibrationTable(bands).c_str(), stdout);
    std::printf("\nwrote %s/\n", o.out_dir.c_str());
  }
  // A signal during the last day, or while writing: the run is complete, but the user asked
  // to stop, so say it with the status too.
  return StopRequested() ? InterruptedExitStatus() : 0;
}

int BenchOrgCommand(const std::vector<std::string>& args) {
  uint32_t employees = 0;  // unset
  int days = 30;
  int threads = DefaultThreads();
  uint64_t seed = 1;
  std::string base = "scenarios/baseline.textproto";
  bool json = false, progress = false;
  Flags flags("usage: clawsim bench org [--employees N] [--days D] [--threads K] [--seed S] [--scenario FILE] [--json] [--progress]\n"
              "Runs FILE (default the baseline) grown to about N employees the way organisations grow: by divisions.\n"
              "Root teams (no parent) stay one; every other team, with its services, its channels and the agent\n"
              "assignments and permission rules that name it, is copied into k = round(N / FILE's headcount)\n"
              "divisions (\"<name>-d<i>\"); then every team's size is scaled so the total is about N. Team sizes and\n"
              "changes per service stay FILE's; COMPANY channels stay one. A FILE that sets organization.divisions\n"
              "runs at its own size (without --employees). Prints peak memory per employee and a census of what\n"
              "holds it.");
  flags.AddUint32("employees", &employees, "employees (default 10000, or FILE's own size when it sets organization.divisions)");
  flags.AddInt("days", &days, "simulated days (default 30)");
  flags.AddInt("threads", &threads, "worker threads (default: every core, " + std::to_string(DefaultThreads()) + " here)");
  flags.AddUint64("seed", &seed, "run seed (default 1)");
  flags.AddString("scenario", &base, "scenario to scale (default scenarios/baseline.textproto)");
  flags.AddBool("json", &json, "print one JSON object");
  flags.AddBool("progress", &progress, "print a line to stderr as each simulated day ends (days, seconds, peak memory)");
  std::vector<std::string> positional;
  Status s = flags.Parse(args, &positional);
  if (flags.help_requested()) {
    std::fputs(flags.Help().c_str(), stdout);
    return 0;
  }
  if (s.ok() && !positional.empty()) s = Status::Error("unexpected argument '" + positional[0] + "'");
  if (s.ok() && flags.Given("employees") && employees == 0) s = Status::Error("--employees must be positive");
  if (s.ok() && (days < 1 || threads < 1)) s = Status::Error("--days and --threads must be positive");
  if (s.ok() && threads > kMaxThreads) s = Status::Error("--threads must be at most " + std::to_string(kMaxThreads));
  scenario::LoadedScenario loaded;
  if (s.ok()) s = LoadScaledScenario(base, employees, &loaded);
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim bench org: %s\n", s.message().c_str());
    return 2;
  }
  model::RunOptions ro;
  ro.seed = seed;
  ro.threads = threads;
  ro.days = days;
  ro.record_audit = false;
  ro.memory_census = true;
  model::RunResult r;
  model::RunSinks sinks;
  if (progress) {
    // Each day's own events and time beside the totals, so that a rise from one week to the
    // next reads as more work (events) or dearer work (nanoseconds an event).
    struct Mark {
      std::chrono::steady_clock::time_point at;
      uint64_t events = 0;
    };
    const auto start = std::chrono::steady_clock::now();
    auto last = std::make_shared<Mark>(Mark{start, 0});
    // Building the organisation is not day 1's: it is timed on its own line.
    sinks.on_ready = [start, last] {
      last->at = std::chrono::steady_clock::now();
      std::fprintf(stderr, "bench org: organisation built, %.1f s, peak memory %.0f MiB\n",
                   std::chrono::duration<double>(last->at - start).count(), PeakRssMib());
    };
    sinks.on_progress = [start, last](uint32_t done, uint32_t total, uint64_t events) {
      const auto now = std::chrono::steady_clock::now();
      const double s = std::chrono::duration<double>(now - start).count();
      const double day_s = std::chrono::duration<double>(now - last->at).count();
      const uint64_t day_events = events - last->events;
      const double ns_per_event = day_events > 0 ? day_s * 1e9 / static_cast<double>(day_events) : 0;
      std::fprintf(stderr,
                   "bench org: day %u of %u done, %.0f s (this day %.1f s, %.1f M events, %.0f ns an event), "
                   "peak memory %.0f MiB\n",
                   done, total, s, day_s, static_cast<double>(day_events) / 1e6, ns_per_event, PeakRssMib());
      *last = Mark{now, events};
    };
  }
  s = model::RunOrganisation(&loaded, ro, sinks, &r);
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim bench org: %s\n", s.message().c_str());
    return 1;
  }
  const double rate = r.summary.wall_s > 0 ? static_cast<double>(r.summary.events) / r.summary.wall_s : 0;
  // The threads' time inside the engine's windows that went to work, not to waiting at a
  // window's barrier for the last partition.
  const double busy_share = r.engine_window_s > 0 ? r.engine_busy_s / (r.engine_window_s * threads) : 0;
  char fp[24];
  std::snprintf(fp, sizeof fp, "%016llx", static_cast<unsigned long long>(r.summary.fingerprint));
  const double peak_rss_bytes = PeakRssMib() * 1024 * 1024;
  const double per_employee = peak_rss_bytes / std::max<uint32_t>(1, r.summary.employees);
  const model::MemoryCensus& m = r.memory;
  const double agent_bytes_per_agent =
      r.summary.agents > 0 ? static_cast<double>(m.agent_state_bytes) / r.summary.agents : 0;
  const std::pair<const char*, uint64_t> holders[] = {
      {"employee_state", m.employee_state_bytes}, {"agent_state", m.agent_state_bytes},
      {"mailboxes", m.mailbox_bytes},             {"chat", m.chat_bytes},
      {"tasks", m.task_bytes},                    {"pending_events", m.pending_event_bytes},
      {"services", m.service_bytes},              {"audit_trace", m.audit_trace_bytes},
      {"metrics", m.metrics_bytes}};
  if (json) {
    JsonWriter census;
    census.Uint("day", m.day);
    for (const auto& [name, bytes] : holders) census.Uint(std::string(name) + "_bytes", bytes);
    census.Uint("counted_bytes", m.total_bytes());
    JsonWriter w;
    w.String("benchmark", "org").Uint("employees", r.summary.employees).Uint("agents", r.summary.agents)
        .Uint("teams", loaded.compiled.organization.teams.size()).Uint("channels", loaded.compiled.chat.channels.size())
        .Uint("services", loaded.compiled.deploy.services.size())
        .Int("days", days).Int("threads", threads).Uint("events", r.summary.events).Double("wall_s", r.summary.wall_s)
        .Double("events_per_s", rate).Double("windows_s", r.engine_window_s).Double("threads_busy_share", busy_share)
        .Double("peak_rss_mib", PeakRssMib())
        .Double("peak_rss_bytes_per_employee", per_employee).Double("agent_state_bytes_per_agent", agent_bytes_per_agent)
        .Raw("memory", census.Finish()).String("fingerprint", fp);
    std::printf("%s\n", w.Finish().c_str());
  } else {
    std::printf("org  employees=%u agents=%u teams=%zu channels=%zu services=%zu days=%d threads=%d\n",
                r.summary.employees, r.summary.agents, loaded.compiled.organization.teams.size(),
                loaded.compiled.chat.channels.size(), loaded.compiled.deploy.services.size(), days, threads);
    std::printf("  events            %llu\n", static_cast<unsigned long long>(r.summary.events));
    std::printf("  wall time         %.2f s\n", r.summary.wall_s);
    std::printf("  events per second %.3f M\n", rate / 1e6);
    std::printf("  in the windows    %.2f s, the threads busy %.1f %% of it (the rest waits at barriers)\n",
                r.engine_window_s, 100 * busy_share);
    std::printf("  peak memory       %.0f MiB (%.0f B per employee)\n", PeakRssMib(), per_employee);
    std::printf("  agent state       %.0f B per agent\n", agent_bytes_per_agent);
    std::printf("  fingerprint       %s\n", fp);
    std::printf("  where it goes (model's containers by capacity, largest census: end of day %u or its 06:00)\n",
                m.day + 1);
    const double total = static_cast<double>(std::max<uint64_t>(1, m.total_bytes()));
    for (const auto& [name, bytes] : holders) {
      std::printf("    %-16s %9.1f MiB %8.0f B/employee %5.1f%%\n", name, static_cast<double>(bytes) / (1 << 20),
                  static_cast<double>(bytes) / std::max<uint32_t>(1, r.summary.employees), 100.0 * bytes / total);
    }
    std::printf("    %-16s %9.1f MiB %8.0f B/employee (of peak RSS %.0f MiB; the rest: allocator, program, scenario)\n",
                "counted", total / (1 << 20), total / std::max<uint32_t>(1, r.summary.employees), PeakRssMib());
  }
  return 0;
}

}  // namespace clawsim::cli
