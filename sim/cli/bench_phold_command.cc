// clawsim bench phold: the PHOLD benchmark on the engine.
#include <cstdio>
#include <string>

#include "sim/bench/phold.h"
#include "sim/cli/commands.h"
#include "sim/cli/flags.h"
#include "sim/common/json_writer.h"
#include "sim/common/process_stats.h"
#include "sim/engine/time.h"

namespace clawsim::cli {

int BenchPholdCommand(const std::vector<std::string>& args) {
  bench::PholdOptions o;
  double mean_s = 1.0, lookahead_s = 0.1, end_s = 100.0;
  bool json = false;
  Flags flags(
      "usage: clawsim bench phold [--lps N] [--events-per-lp E] [--remote P] [--mean M] "
      "[--lookahead L] [--end T] [--threads K] [--partitions P] [--seed S] [--json]\n"
      "Times are in seconds of simulated time.");
  flags.AddUint32("lps", &o.lps, "number of logical processes (default 1024)");
  flags.AddUint32("events-per-lp", &o.events_per_lp, "initial events per LP (default 1)");
  flags.AddDouble("remote", &o.remote, "probability an event goes to a random LP (default 0.25)");
  flags.AddDouble("mean", &mean_s, "mean time between an LP's events, s (default 1.0)");
  flags.AddDouble("lookahead", &lookahead_s, "minimum event delay and engine lookahead, s (default 0.1)");
  flags.AddDouble("end", &end_s, "simulated end time, s (default 100)");
  flags.AddInt("threads", &o.threads, "worker threads (default 1)");
  flags.AddUint32("partitions", &o.partitions, "LP partitions (default: one per thread)");
  flags.AddUint64("seed", &o.seed, "run seed (default 1)");
  flags.AddBool("json", &json, "print one JSON object instead of text");
  std::vector<std::string> positional;
  Status s = flags.Parse(args, &positional);
  if (flags.help_requested()) {
    std::fputs(flags.Help().c_str(), stdout);
    return 0;
  }
  if (s.ok() && !positional.empty()) s = Status::Error("unexpected argument '" + positional[0] + "'");
  if (s.ok()) {
    o.mean_us = engine::SecondsToUs(mean_s);
    o.lookahead_us = engine::SecondsToUs(lookahead_s);
    o.end_us = engine::SecondsToUs(end_s);
    s = bench::ValidatePholdOptions(o);
  }
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim bench phold: %s\n", s.message().c_str());
    return 2;
  }
  bench::PholdResult r;
  s = bench::RunPhold(o, &r);
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim bench phold: %s\n", s.message().c_str());
    return 1;
  }
  const double rss_mib = PeakRssMib();
  char fp[24];
  std::snprintf(fp, sizeof fp, "%016llx", static_cast<unsigned long long>(r.fingerprint));
  if (json) {
    JsonWriter w;
    w.String("benchmark", "phold")
        .Uint("lps", o.lps)
        .Uint("events_per_lp", o.events_per_lp)
        .Double("remote", o.remote)
        .Double("mean_s", mean_s)
        .Double("lookahead_s", lookahead_s)
        .Double("end_s", end_s)
        .Int("threads", o.threads)
        .Uint("seed", o.seed)
        .Uint("events", r.events_committed)
        .Uint("events_sent", r.events_sent)
        .Uint("events_pending", r.events_pending)
        .Uint("events_cross_partition", r.events_cross_partition)
        .Uint("windows", r.windows)
        .Double("wall_s", r.wall_s)
        .Double("events_per_s", r.events_per_s)
        .Double("peak_rss_mib", rss_mib)
        .String("fingerprint", fp);
    std::printf("%s\n", w.Finish().c_str());
  } else {
    std::printf("PHOLD  lps=%u events/lp=%u remote=%g mean=%gs lookahead=%gs end=%gs threads=%d seed=%llu\n",
                o.lps, o.events_per_lp, o.remote, mean_s, lookahead_s, end_s, o.threads,
                static_cast<unsigned long long>(o.seed));
    std::printf("  committed events  %llu\n", static_cast<unsigned long long>(r.events_committed));
    std::printf("  wall time         %.3f s\n", r.wall_s);
    std::printf("  events per second %.3f M\n", r.events_per_s / 1e6);
    std::printf("  windows           %llu\n", static_cast<unsigned long long>(r.windows));
    std::printf("  peak memory       %.1f MiB\n", rss_mib);
    std::printf("  fingerprint       %s\n", fp);
  }
  return 0;
}

}  // namespace clawsim::cli
