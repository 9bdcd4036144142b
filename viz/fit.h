// The token-value elasticity: a least-squares line through (log10 tokens, log10 value).
// Its slope is the elasticity: value grows by slope percent per percent more tokens.
#pragma once

#include <vector>

namespace clawsim::viz {

struct LogLogFit {
  double slope = 0;      // elasticity, d log(value) / d log(tokens)
  double intercept = 0;  // log10 value at 1 token
  double r2 = 0;         // share of the variance of log value the line explains, [0, 1]
  int points = 0;        // points used (both coordinates positive)
  bool ok() const { return points >= 2; }
};

// Fits log10(y) = intercept + slope * log10(x) over the points with x > 0 and y > 0.
// Fewer than two such points, or all at one x, gives points < 2 (not ok).
LogLogFit FitLogLog(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace clawsim::viz
