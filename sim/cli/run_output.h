// Running a scenario and writing its outputs (run file, summary.json, employees.csv,
// daily.csv, and with --telemetry telemetry.jsonl) for `clawsim run`, and the readable
// summary it prints.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/common/status.h"
#include "sim/model/runner.h"
#include "sim/run/run_info.h"
#include "sim/scenario/load.h"

namespace clawsim::cli {

struct RunCommandOptions {
  std::string scenario_path;
  std::vector<std::string> overrides;  // --set PATH=VALUE, in order
  uint64_t seed = 1;
  int threads = 1;
  int days = 0;                         // 0: the scenario's
  std::string out_dir;
  std::string trace = "audit";          // none | audit | full
  bool counterfactual = false;          // also run the no-agent twin
  bool telemetry = false;               // also write telemetry.jsonl (needs trace audit or full)
  bool show_progress = false;
  void (*progress)(uint32_t done, uint32_t total, double elapsed_s) = nullptr;
  // Asked after each simulated day; true stops the run there and writes it as interrupted
  // (RunSummary::interrupted). Null: the run always finishes.
  bool (*should_stop)() = nullptr;
  // Told, once the output folder is open, the staging paths to remove if the process must
  // exit without finishing (OutputDir::StagingPaths).
  void (*on_staging)(const std::vector<std::string>& paths) = nullptr;
  // External seats (clawsim serve; sim/model/seat.h): who, the driver that paces the run,
  // and the per-seat summary written as seats.json (null: none).
  std::vector<scenario::EmployeeId> seats;
  model::SeatDriver* seat_driver = nullptr;
  std::function<std::string(const model::RunResult&)> seats_json;
};

// Runs the scenario and commits every output into o.out_dir together (OutputDir); nothing
// is left half-written. A run stopped by o.should_stop is committed as an interrupted run.
// `bands` (optional) receives the scenario's calibration bands with this run's values.
Status RunAndWrite(scenario::LoadedScenario* loaded, const RunCommandOptions& o, model::RunResult* result,
                   std::vector<run::CalibrationBand>* bands = nullptr);

// The scenario's calibration bands with this run's values, as the run file's footer holds
// them. A measure the run did not produce (a section it leaves out, a role it has nobody in)
// is NaN, which the viewer shows as not measured, and is named on stderr.
std::vector<run::CalibrationBand> CalibrationBands(const scenario::LoadedScenario& loaded,
                                                   const model::RunSummary& summary);
// The bands as lines for people: inside or OUTSIDE, the value, the band, the name. Empty
// when there are none.
std::string CalibrationTable(const std::vector<run::CalibrationBand>& bands);

// The summary as one JSON line (the keys of summary.json).
std::string SummaryJsonLine(const model::RunResult& result);
// The summary as a readable table, rounded for people (`clawsim inspect` prints the exact
// figures of a run file).
std::string SummaryTable(const model::RunResult& result);

// Loads `path` with its organisation grown to about `employees` people by adding divisions
// (sim/scenario/scale_organisation.h), for `clawsim bench org`. With `employees` 0: as
// written when the scenario sets organization.divisions (its size is its own), else
// kDefaultBenchEmployees.
inline constexpr uint32_t kDefaultBenchEmployees = 10000;
Status LoadScaledScenario(const std::string& path, uint32_t employees, scenario::LoadedScenario* out);

}  // namespace clawsim::cli
