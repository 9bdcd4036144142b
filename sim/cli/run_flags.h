// The flags `clawsim run` and `clawsim serve` share: which scenario run to make and where its
// outputs go. SCENARIO (the one positional argument), --seed, --threads, --days, --out,
// --trace and --set are declared, checked and defaulted here once, so both commands accept,
// refuse and default them alike, with the same messages.
//
//   RunCommandOptions o;
//   Flags flags(usage);
//   ...the command's own flags...
//   RunFlags run_flags(style, &flags, &o);   // declares the six flags, in --help's order
//   Status s = flags.Parse(args, &positional);
//   if (s.ok()) s = run_flags.Check(positional);   // sets o.scenario_path
//   ...load o.scenario_path with o.overrides...
//   run_flags.ApplyDefaults(loaded.compiled);      // o.seed and o.out_dir
//
// RunFlags writes into the Flags and RunCommandOptions it was given, which must outlive it;
// it is neither copied nor moved (Flags holds the address of its --seed value). Check's
// messages name the flag and carry no "clawsim CMD: " prefix: the command adds its own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/cli/flags.h"
#include "sim/cli/run_output.h"
#include "sim/common/status.h"
#include "sim/scenario/compiled_scenario.h"

namespace clawsim::cli {

// What differs between the commands that share the flags.
struct RunFlagsStyle {
  int default_threads = 1;        // --threads when it is not given
  std::string threads_help;       // --threads' help line
  bool trace_none_allowed = true;  // whether --trace none is accepted (a served run keeps its audit log)
  std::string out_suffix;         // the default output folder is results/<scenario>-s<seed><out_suffix>/
};

class RunFlags {
 public:
  // Declares --seed, --threads, --days, --out, --trace and --set on `flags`, writing into
  // `o`; sets o->threads to the style's default.
  RunFlags(const RunFlagsStyle& style, Flags* flags, RunCommandOptions* o);
  RunFlags(const RunFlags&) = delete;
  RunFlags& operator=(const RunFlags&) = delete;

  // After flags->Parse: exactly one SCENARIO in `positional` (then o->scenario_path), --trace
  // a level the command keeps, --threads in [1, kMaxThreads], --days in [1, kMaxRunDays],
  // --out not empty, and neither --days nor --seed given twice (again as --set run.days= or
  // run.seed=): the same setting twice is refused rather than one silently winning. --days
  // then joins o->overrides as run.days, so the scenario is checked with the run's days.
  Status Check(const std::vector<std::string>& positional);

  // After the scenario is loaded: o->seed is --seed or the scenario's run.seed, and
  // o->out_dir, when --out was not given, results/<scenario name>-s<seed><out_suffix>.
  void ApplyDefaults(const scenario::CompiledScenario& compiled);

 private:
  RunFlagsStyle style_;
  Flags* flags_;
  RunCommandOptions* o_;
  uint64_t seed_ = 0;  // --seed, when given
};

}  // namespace clawsim::cli
