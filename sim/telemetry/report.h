// The outputs of `clawsim detect`, rendered in memory so that the command writes them only
// once everything has been computed (nothing is written on an error):
//   detection.json   every detector's scores against the ground truth, and the forecast
//   detectors.csv    one row per detector (the same figures)
//   flags.csv        every flagged entity: detector, entity, first day flagged, positive, days to detection
//   pr_curves.svg    precision against recall over thresholds, one line per detector
//   forecast.csv     tokens per day: actual, raw, cleaned and oracle forecasts
//   forecast.svg     the same, drawn
//   report.md        the answer first (best detector per entity kind), then the tables
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sim/telemetry/forecast.h"
#include "sim/telemetry/scoring.h"
#include "sim/telemetry/telemetry.h"

namespace clawsim::telemetry {

struct DetectReport {
  std::string run_path;
  std::string detectors_path;
  std::string telemetry_source;  // "the run file" or the telemetry file's path
  TelemetryHeader header;
  double min_performative_share = 0;
  std::vector<DetectorResult> results;
  bool has_forecast = false;
  ForecastResult forecast;
};

// The index of the best result scored against `label` by F1 (ties: precision, then file
// order), or -1.
int BestDetector(const std::vector<DetectorResult>& results, Label label);

// The labels the results were scored against, in Label order.
std::vector<Label> LabelsOf(const std::vector<DetectorResult>& results);

// (file name, contents) pairs, in the order listed above.
std::vector<std::pair<std::string, std::string>> RenderReport(const DetectReport& r, const Telemetry& t);

// The lines `clawsim detect` prints.
std::string SummaryText(const DetectReport& r);

}  // namespace clawsim::telemetry
