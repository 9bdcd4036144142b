// The capacity forecast: next weeks' token demand from the first weeks' telemetry.
//
// Model (ordinary least squares, Eigen): daily tokens y_d = a + b d + s_{d mod 7}, with the
// seven weekday levels s summing to zero (six free parameters), fitted on days
// [fit_from_day, train_days) (the first days may be left out as a warm-up); with trend NONE,
// b = 0. The forecast is the fitted line and weekday levels carried over days
// [train_days, days), floored at zero. A forecast is judged against the demand that arrived on those days:
// `error` is (forecast total - actual total) / actual total over the horizon (positive: the
// plan over-provisions); `mape` is the mean absolute daily error over actual, both fractions.
//
// Three forecasts of the same horizon, against the same arrived demand:
// - raw: fitted on the training days as observed;
// - cleaned: fitted after removing, on the training days, the demand of the people the
//   chosen detector flagged by the end of training: each one's tokens that day above
//   the median tokens of their team that day (what the detector calls inflated);
// - oracle: fitted after removing the training days' true performative tokens.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/common/status.h"
#include "sim/telemetry/detectors.h"
#include "sim/telemetry/telemetry.h"

namespace clawsim::telemetry {

struct ForecastLine {
  std::vector<double> tokens;  // per day: the fit on training days, the forecast after
  double error = 0;            // relative error of the horizon's total
  double mape = 0;             // mean absolute percentage error over the horizon's days
  double removed_share = 0;    // share of the training days' tokens removed before fitting
};

struct ForecastOptions {
  uint32_t train_days = 14;   // the forecast is made from days [fit_from_day, train_days)
  uint32_t fit_from_day = 0;
  bool linear_trend = true;   // false: weekday levels only
};

struct ForecastResult {
  ForecastOptions options;
  uint32_t train_days = 0;
  uint32_t days = 0;
  std::string detector;          // the detector that cleaned the training days
  uint32_t flagged_people = 0;   // people it flagged by the end of training
  std::vector<double> actual;    // tokens per day, as observed
  ForecastLine raw, cleaned, oracle;
};

// Daily tokens of `t` (by call start).
std::vector<double> DailyTokens(const Telemetry& t);

// Refuses fewer than 8 fitted days (7 without a trend) or train_days >= the run's days.
// `detector` must be an EMPLOYEE detector's scores.
Status Forecast(const Telemetry& t, const GroundTruth& truth, const DetectorScores& detector, const ForecastOptions& options,
                ForecastResult* out);

}  // namespace clawsim::telemetry
