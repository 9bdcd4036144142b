#include "sim/cli/run_flags.h"

namespace clawsim::cli {

RunFlags::RunFlags(const RunFlagsStyle& style, Flags* flags, RunCommandOptions* o)
    : style_(style), flags_(flags), o_(o) {
  o->threads = style.default_threads;
  flags->AddUint64("seed", &seed_, "run seed (default: the scenario's run.seed)");
  flags->AddInt("threads", &o->threads, style.threads_help);
  flags->AddInt("days", &o->days, "simulated days (default: the scenario's run.days)");
  flags->AddString("out", &o->out_dir, "output folder (default results/<scenario>-s<seed>" + style.out_suffix + "/)");
  flags->AddString("trace", &o->trace,
                   std::string("what the run file keeps: ") + (style.trace_none_allowed ? "none, " : "") +
                       "audit (default) or full");
  flags->AddRepeated("set", &o->overrides, "override a scenario field, e.g. --set run.days=14 (repeatable)");
}

Status RunFlags::Check(const std::vector<std::string>& positional) {
  if (positional.size() != 1) return Status::Error("expected exactly one SCENARIO file\n" + flags_->Help());
  const std::string& trace = o_->trace;
  if (style_.trace_none_allowed && trace != "none" && trace != "audit" && trace != "full") {
    return Status::Error("--trace must be none, audit or full, got '" + trace + "'");
  }
  if (!style_.trace_none_allowed && trace != "audit" && trace != "full") {
    return Status::Error("--trace must be audit or full (a served run keeps its audit log)");
  }
  if (flags_->Given("threads") && (o_->threads < 1 || o_->threads > kMaxThreads)) {
    return Status::Error("--threads must be in [1, " + std::to_string(kMaxThreads) + "], got " +
                         std::to_string(o_->threads));
  }
  if (flags_->Given("days") && (o_->days < 1 || o_->days > kMaxRunDays)) {
    return Status::Error("--days must be in [1, " + std::to_string(kMaxRunDays) + "] (the range of run.days), got " +
                         std::to_string(o_->days));
  }
  if (flags_->Given("out") && o_->out_dir.empty()) {
    return Status::Error("--out needs a folder name; leave it out to write under results/");
  }
  for (const std::string& set : o_->overrides) {
    for (const char* flag : {"days", "seed"}) {
      const std::string path = std::string("run.") + flag + "=";
      if (flags_->Given(flag) && set.rfind(path, 0) == 0) {
        return Status::Error(std::string("--") + flag + " and --set " + set + " both set run." + flag +
                             "; give one of them");
      }
    }
  }
  // The scenario is compiled with the run's days, so what is checked against run.days
  // (incentives.ratios_from_day, interventions' days) is checked against these.
  if (flags_->Given("days")) o_->overrides.push_back("run.days=" + std::to_string(o_->days));
  o_->scenario_path = positional[0];
  return Status::Ok();
}

void RunFlags::ApplyDefaults(const scenario::CompiledScenario& compiled) {
  o_->seed = flags_->Given("seed") ? seed_ : compiled.run.seed;
  if (o_->out_dir.empty()) o_->out_dir = "results/" + compiled.name + "-s" + std::to_string(o_->seed) + style_.out_suffix;
}

}  // namespace clawsim::cli
