#include "sim/study/plan.h"

#include <chrono>
#include <exception>

#include "sim/model/runner.h"

namespace clawsim::study {
namespace {

// A template, so that the assignment is only compiled when the option exists.
template <typename Options>
void SetCounterfactual(Options* options, bool on) {
  if constexpr (HasCounterfactualOption<Options>) {
    options->counterfactual = on;
  } else {
    (void)options;
    (void)on;
  }
}

}  // namespace

std::vector<PlannedRun> MakePlan(const StudySpec& spec) {
  std::vector<PlannedRun> plan;
  for (uint32_t a = 0; a < spec.arms.size(); ++a) {
    for (uint32_t r = 0; r < spec.replications; ++r) plan.push_back({a, r, ReplicationSeed(spec.seed, r)});
  }
  return plan;
}

RunRecord ExecuteRun(const StudySpec& spec, const std::vector<PlannedRun>& plan, uint32_t index, int threads) {
  const PlannedRun& p = plan[index];
  RunRecord rec;
  rec.run_index = index;
  rec.threads = threads;
  const auto start = std::chrono::steady_clock::now();
  // The run applies interventions to its scenario, so it gets its own copy.
  scenario::LoadedScenario loaded = spec.arms[p.arm].loaded;
  model::RunOptions options;
  options.seed = p.seed;
  options.threads = threads;
  options.record_audit = false;
  options.record_trace = false;
  SetCounterfactual(&options, spec.counterfactual);
  model::RunResult result;
  Status s;
  try {
    s = model::RunOrganisation(&loaded, options, {}, &result);
  } catch (const std::exception& e) {  // e.g. out of memory: this run fails, the study goes on
    s = Status::Error(std::string("the run stopped: ") + e.what());
  }
  rec.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!s.ok()) {
    rec.error = s.message();
    return rec;
  }
  rec.ok = true;
  rec.measures = SummaryMeasures(result.summary);
  rec.days = static_cast<uint32_t>(result.daily.size());
  for (const model::DailyMetrics& d : result.daily) {
    Measures m = DailyMeasures(d);
    if (rec.daily_names.empty()) rec.daily_names = m.names;
    rec.daily_values.insert(rec.daily_values.end(), m.values.begin(), m.values.end());
  }
  return rec;
}

}  // namespace clawsim::study
