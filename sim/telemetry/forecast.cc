#include "sim/telemetry/forecast.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <Eigen/Dense>

namespace clawsim::telemetry {
namespace {

// Fits the model on y[from, train) and returns it evaluated on every day.
std::vector<double> FitAndProject(const std::vector<double>& y, const ForecastOptions& o, uint32_t days) {
  const uint32_t from = o.fit_from_day, train = o.train_days;
  // Columns: 1, d, and six weekday contrasts (weekday k for k = 0..5 is +1, weekday 6 is -1
  // in every contrast: effect coding, so the seven levels sum to zero).
  auto row = [](uint32_t d) {
    Eigen::VectorXd x = Eigen::VectorXd::Zero(8);
    x(0) = 1;
    x(1) = d;
    const uint32_t w = d % 7;
    for (uint32_t k = 0; k < 6; ++k) x(2 + k) = w == k ? 1.0 : (w == 6 ? -1.0 : 0.0);
    return x;
  };
  Eigen::MatrixXd X(train - from, 8);
  Eigen::VectorXd Y(train - from);
  for (uint32_t d = from; d < train; ++d) {
    X.row(d - from) = row(d).transpose();
    Y(d - from) = y[d];
  }
  if (!o.linear_trend) X.col(1).setZero();  // the rank-revealing solve then leaves b at 0
  const Eigen::VectorXd beta = X.colPivHouseholderQr().solve(Y);
  std::vector<double> out(days);
  for (uint32_t d = 0; d < days; ++d) out[d] = std::max(0.0, row(d).dot(beta));
  return out;
}

ForecastLine Line(const std::vector<double>& train_series, const std::vector<double>& observed,
                  const std::vector<double>& actual, const ForecastOptions& o, uint32_t days) {
  const uint32_t train = o.train_days;
  ForecastLine l;
  l.tokens = FitAndProject(train_series, o, days);
  double f = 0, a = 0, ape = 0, before = 0, after = 0;
  uint32_t n = 0;
  for (uint32_t d = train; d < days; ++d) {
    f += l.tokens[d];
    a += actual[d];
    if (actual[d] > 0) ape += std::abs(l.tokens[d] - actual[d]) / actual[d], ++n;
  }
  for (uint32_t d = o.fit_from_day; d < train; ++d) before += observed[d], after += train_series[d];
  l.error = a > 0 ? (f - a) / a : 0;
  l.mape = n > 0 ? ape / n : 0;
  l.removed_share = before > 0 ? (before - after) / before : 0;
  return l;
}

}  // namespace

std::vector<double> DailyTokens(const Telemetry& t) {
  std::vector<double> out(t.header.days, 0.0);
  for (const Invocation& i : t.invocations) {
    const int64_t d = std::clamp<int64_t>(i.start_us / kUsPerDay, 0, t.header.days - 1);
    out[static_cast<size_t>(d)] += static_cast<double>(i.input_tokens + i.output_tokens);
  }
  return out;
}

Status Forecast(const Telemetry& t, const GroundTruth& truth, const DetectorScores& detector, const ForecastOptions& options,
                ForecastResult* out) {
  const uint32_t days = t.header.days;
  const uint32_t train_days = options.train_days;
  const uint32_t need = options.linear_trend ? 8 : 7;
  if (train_days < options.fit_from_day + need || train_days >= days) {
    return Status::Error("forecast: fitting days " + std::to_string(options.fit_from_day) + " to " +
                         std::to_string(train_days) + " (excluded) needs at least " + std::to_string(need) +
                         " days, and train_days below the run's " + std::to_string(days) + " days");
  }
  *out = ForecastResult();
  out->options = options;
  out->train_days = train_days;
  out->days = days;
  out->detector = detector.name;
  out->actual = DailyTokens(t);

  // Per person and training day, tokens (the employee_day rows), and each team's median.
  const size_t n = t.people.size();
  std::vector<std::vector<double>> tokens(train_days, std::vector<double>(n, 0.0));
  for (const EmployeeDay& r : t.employee_days) {
    if (r.day < train_days && r.employee < n) tokens[r.day][r.employee] = static_cast<double>(r.tokens);
  }
  std::map<std::string, std::vector<uint32_t>> teams;
  for (uint32_t e = 0; e < n; ++e) teams[t.people[e].team].push_back(e);
  std::vector<bool> flagged(n, false);
  for (uint32_t e = 0; e < n && e < detector.entities; ++e) {
    const int day = detector.FirstDayAtOrAbove(e, detector.threshold);
    flagged[e] = day >= 0 && static_cast<uint32_t>(day) < train_days;
    if (flagged[e]) ++out->flagged_people;
  }
  std::vector<double> cleaned(out->actual.begin(), out->actual.begin() + train_days);
  std::vector<double> oracle = cleaned;
  for (uint32_t d = 0; d < train_days; ++d) {
    for (const auto& [team, members] : teams) {
      std::vector<double> v;
      for (uint32_t e : members) v.push_back(tokens[d][e]);
      const double median = Median(v);
      for (uint32_t e : members) {
        if (flagged[e]) cleaned[d] -= std::max(0.0, tokens[d][e] - median);
      }
    }
    for (uint32_t e = 0; e < n; ++e) oracle[d] -= static_cast<double>(truth.performative_tokens_by_day[d][e]);
  }
  const std::vector<double> observed(out->actual.begin(), out->actual.begin() + train_days);
  out->raw = Line(observed, observed, out->actual, options, days);
  out->cleaned = Line(cleaned, observed, out->actual, options, days);
  out->oracle = Line(oracle, observed, out->actual, options, days);
  return Status::Ok();
}

}  // namespace clawsim::telemetry
