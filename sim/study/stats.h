// Statistics for studies: means with Student t intervals, paired and unpaired (Welch)
// differences, Pareto fronts and the log-log (elasticity) slope. Eigen does the arithmetic.
//
// Inputs are plain vectors of doubles; non-finite values are the caller's to filter out.
// Pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <vector>

namespace clawsim::study {

// Mean, sample standard deviation (n - 1) and the 95% interval mean +- t(0.975, n-1) sd/sqrt(n).
struct Interval {
  uint32_t n = 0;
  double mean = 0;
  double sd = 0;
  double ci_low = 0;
  double ci_high = 0;
  bool has_mean() const { return n >= 1; }
  bool has_ci() const { return n >= 2; }
};

// The Student t quantile: P(T <= q) = p with `df` degrees of freedom (df > 0, 0 < p < 1).
double StudentTQuantile(double p, double df);

// `confidence` is the two-sided level (0.95 for the study's intervals).
Interval MeanInterval(const std::vector<double>& x, double confidence = 0.95);

// The interval of mean(a - b) over pairs (a[i], b[i]): what common random numbers buy.
// a and b must have the same length.
Interval PairedDifference(const std::vector<double>& a, const std::vector<double>& b, double confidence = 0.95);

// Welch's interval for mean(a) - mean(b) treating the samples as independent. `ok` is false
// when either has fewer than two values. With both variances zero the interval is the point.
struct WelchInterval {
  bool ok = false;
  double diff = 0;
  double ci_low = 0;
  double ci_high = 0;
};
WelchInterval UnpairedDifference(const std::vector<double>& a, const std::vector<double>& b, double confidence = 0.95);

// Which points are on the Pareto front. points[i][k] is point i's objective k; maximize[k]
// says which way objective k is better. A point is on the front unless another point is at
// least as good in every objective and strictly better in one. Points with a non-finite
// objective are never on the front and dominate nothing. Equal points are all on the front.
std::vector<bool> ParetoFront(const std::vector<std::vector<double>>& points, const std::vector<bool>& maximize);

// Least-squares slope of ln(y) on ln(x) over pairs with x > 0 and y > 0: the elasticity of
// y with respect to x. `n` counts the pairs used; the interval needs n >= 3 and some spread
// in x (otherwise only `ok` false).
struct Slope {
  bool ok = false;
  uint32_t n = 0;
  double slope = 0;
  double se = 0;
  double ci_low = 0;
  double ci_high = 0;
};
Slope LogLogSlope(const std::vector<double>& x, const std::vector<double>& y, double confidence = 0.95);

}  // namespace clawsim::study
