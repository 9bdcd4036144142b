#include <cmath>
#include <cstdio>
#include <string>

#include "sim/proto/scenario.pb.h"
#include "sim/run/summary_measures.h"
#include "sim/scenario/validate.h"

namespace clawsim::scenario {

void ValidateCalibration(const proto::Scenario& scenario, Problems* problems) {
  for (int i = 0; i < scenario.calibration_size(); ++i) {
    const proto::CalibrationBandSpec& b = scenario.calibration(i);
    const std::string what = "calibration band #" + std::to_string(i + 1) +
                             (b.name().empty() ? std::string() : " (\"" + b.name() + "\")");
    if (b.name().empty()) problems->Add(b, nullptr, -1, what + " has no name; add name: \"...\"");
    if (b.measure().empty()) {
      problems->Add(b, nullptr, -1, what + " names no measure; add measure: \"...\", e.g. \"dora.change_failure_rate\"");
    } else if (Status s = run::CheckSummaryMeasureName(b.measure()); !s.ok()) {
      problems->Add(b, "measure", -1, what + ": " + s.message());
    }
    if (std::isnan(b.low()) || std::isnan(b.high()) || b.low() > b.high()) {
      problems->Add(b, "high", -1,
                    what + ": the band runs from " + Num(b.low()) + " to " + Num(b.high()) +
                        "; low must not exceed high");
    }
  }
}

}  // namespace clawsim::scenario
