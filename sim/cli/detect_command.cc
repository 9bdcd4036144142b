// clawsim detect RUNFILE --detectors FILE [--telemetry FILE] [--out DIR] [--json]: runs a
// detector file over a run's telemetry and scores it against the run's ground truth; also
// the capacity forecast with and without the flagged demand (sim/telemetry/).
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

#include "sim/cli/commands.h"
#include "sim/cli/flags.h"
#include "sim/run/atomic_file.h"
#include "sim/telemetry/detector_file.h"
#include "sim/telemetry/detectors.h"
#include "sim/telemetry/features.h"
#include "sim/telemetry/forecast.h"
#include "sim/telemetry/report.h"
#include "sim/telemetry/scoring.h"
#include "sim/telemetry/telemetry_jsonl.h"

namespace clawsim::cli {
namespace {

void PrintFeatures() {
  for (const telemetry::FeatureDef& f : telemetry::Features()) {
    std::printf("%-8s %-28s %-16s %s\n", f.entity == telemetry::Entity::kEmployee ? "employee" : "agent", f.name, f.unit,
                f.description);
  }
}

// The telemetry file must come from the run whose ground truth scores it.
Status SameRun(const telemetry::Telemetry& file, const telemetry::Telemetry& run, const std::string& path,
               const std::string& run_path) {
  const std::string where = file.header.fingerprint_where.empty() ? path + ": " : file.header.fingerprint_where;
  if (file.header.run_fingerprint != run.header.run_fingerprint) {
    return Status::Error(where + "this telemetry is from run " + file.header.run_fingerprint + " (" + file.header.scenario +
                         ", seed " + std::to_string(file.header.seed) + "), but " + run_path + " is run " +
                         run.header.run_fingerprint + " (" + run.header.scenario + ", seed " +
                         std::to_string(run.header.seed) + "); export it from that run with clawsim telemetry");
  }
  if (file.people.size() != run.people.size() || file.agents.size() != run.agents.size() ||
      file.header.days != run.header.days) {
    return Status::Error(where + "this telemetry names " + std::to_string(file.people.size()) + " people, " +
                         std::to_string(file.agents.size()) + " agents and " + std::to_string(file.header.days) +
                         " days, but " + run_path + " has " + std::to_string(run.people.size()) + ", " +
                         std::to_string(run.agents.size()) + " and " + std::to_string(run.header.days));
  }
  return Status::Ok();
}

}  // namespace

int DetectCommand(const std::vector<std::string>& args) {
  std::string detectors_path, telemetry_path, out_dir;
  bool json = false, features = false;
  Flags flags(
      "usage: clawsim detect RUNFILE --detectors FILE [--telemetry FILE] [--out DIR] [--json]\n"
      "Runs the detectors of FILE (schema sim/proto/detectors.proto) over the run's telemetry, scores\n"
      "them against the run's ground truth (precision, recall, F1, performative spend caught,\n"
      "false-positive cost, time to detection, precision-recall curves) and forecasts token demand\n"
      "with and without the flagged demand. Writes DIR/ (detection.json, detectors.csv, flags.csv,\n"
      "pr_curves.svg, forecast.csv, forecast.svg, report.md). `clawsim detect --features` lists the features.");
  flags.AddString("detectors", &detectors_path, "the detector file (.textproto)");
  flags.AddString("telemetry", &telemetry_path,
                  "a telemetry file exported from RUNFILE (clawsim telemetry); default: derive it from RUNFILE");
  flags.AddString("out", &out_dir, "output folder (default: detect/ next to RUNFILE)");
  flags.AddBool("json", &json, "print detection.json instead of the table");
  flags.AddBool("features", &features, "list the features detectors can use, with units, and exit");
  std::vector<std::string> positional;
  Status s = flags.Parse(args, &positional);
  if (flags.help_requested()) {
    std::fputs(flags.Help().c_str(), stdout);
    return 0;
  }
  if (s.ok() && features) {
    PrintFeatures();
    return 0;
  }
  if (s.ok() && positional.size() != 1) s = Status::Error("expected exactly one RUNFILE\n" + flags.Help());
  if (s.ok() && detectors_path.empty()) s = Status::Error("--detectors FILE is required\n" + flags.Help());
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim detect: %s\n", s.message().c_str());
    return 2;
  }
  const std::string& run_path = positional[0];
  if (out_dir.empty()) out_dir = (std::filesystem::path(run_path).parent_path() / "detect").string();

  // 1. Inputs, all checked before anything is computed or written.
  telemetry::DetectorSpec spec;
  s = telemetry::LoadDetectors(detectors_path, &spec);
  telemetry::Telemetry from_run;
  telemetry::GroundTruth truth;
  if (s.ok()) s = telemetry::Extract(run_path, &from_run, &truth);
  telemetry::Telemetry from_file;
  if (s.ok() && !telemetry_path.empty()) {
    s = telemetry::ReadJsonlFile(telemetry_path, &from_file);
    if (s.ok()) s = SameRun(from_file, from_run, telemetry_path, run_path);
  }
  const telemetry::Telemetry& t = telemetry_path.empty() ? from_run : from_file;
  const uint32_t train_days = spec.proto.forecast().train_days();
  if (s.ok() && spec.proto.has_forecast() && train_days >= t.header.days) {
    s = Status::Error(detectors_path + ": forecast.train_days is " + std::to_string(train_days) + " but the run has only " +
                      std::to_string(t.header.days) + " days");
  }
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return 2;
  }

  // 2. Features, detectors, scores.
  const telemetry::FeatureTable employees(t, telemetry::Entity::kEmployee);
  const telemetry::FeatureTable agents(t, telemetry::Entity::kAgent);
  const std::vector<telemetry::DetectorScores> scores = telemetry::Evaluate(spec, employees, agents);
  telemetry::DetectReport report;
  report.run_path = run_path;
  report.detectors_path = detectors_path;
  report.telemetry_source = telemetry_path.empty() ? "the run file" : telemetry_path;
  report.header = t.header;
  report.min_performative_share = spec.proto.scoring().min_performative_share();
  for (const telemetry::DetectorScores& d : scores) {
    for (telemetry::Label label : telemetry::LabelsFor(d.entity, truth)) {
      report.results.push_back(telemetry::Score(d, t, truth, label, report.min_performative_share));
    }
  }

  // 3. The forecast, cleaned by the chosen (or best) employee detector, when the run is long enough.
  const int best = telemetry::BestDetector(report.results, telemetry::Label::kTokenmaxxer);
  const std::string& wanted =
      spec.proto.forecast().detector().empty() && best >= 0 ? report.results[static_cast<size_t>(best)].name
                                                            : spec.proto.forecast().detector();
  int chosen = -1;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (scores[i].name == wanted) chosen = static_cast<int>(i);
  }
  if (chosen >= 0 && train_days < t.header.days) {
    telemetry::ForecastOptions options;
    options.train_days = train_days;
    options.fit_from_day = spec.proto.forecast().fit_from_day();
    options.linear_trend = spec.proto.forecast().trend() == proto::ForecastSpec::LINEAR;
    s = telemetry::Forecast(t, truth, scores[static_cast<size_t>(chosen)], options, &report.forecast);
    report.has_forecast = s.ok();
  }

  // 4. Outputs.
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) {
    std::fprintf(stderr, "clawsim detect: %s: cannot create the folder: %s\n", out_dir.c_str(), ec.message().c_str());
    return 1;
  }
  std::string detection_json;
  for (const auto& [name, contents] : telemetry::RenderReport(report, t)) {
    if (name == "detection.json") detection_json = contents;
    s = run::WriteFileAtomically((std::filesystem::path(out_dir) / name).string(), contents);
    if (!s.ok()) {
      std::fprintf(stderr, "clawsim detect: %s\n", s.message().c_str());
      return 1;
    }
  }
  if (json) {
    std::fputs(detection_json.c_str(), stdout);
  } else {
    std::fputs(telemetry::SummaryText(report).c_str(), stdout);
    std::printf("wrote %s/ (detection.json, detectors.csv, flags.csv, pr_curves.svg, %sreport.md)\n", out_dir.c_str(),
                report.has_forecast ? "forecast.csv, forecast.svg, " : "");
  }
  return 0;
}

}  // namespace clawsim::cli
