// Statistics: Student t quantiles, interval coverage on models whose true mean is known,
// paired and Welch differences, Pareto fronts on hand-made points, the log-log slope.
#include "sim/study/stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace clawsim::study {
namespace {

TEST(StudentT, MatchesTables) {
  EXPECT_NEAR(StudentTQuantile(0.975, 1), 12.7062, 1e-4);
  EXPECT_NEAR(StudentTQuantile(0.975, 9), 2.2622, 1e-4);
  EXPECT_NEAR(StudentTQuantile(0.975, 30), 2.0423, 1e-4);
  EXPECT_NEAR(StudentTQuantile(0.5, 5), 0.0, 1e-12);
}

TEST(MeanInterval, HandComputed) {
  const Interval i = MeanInterval({1, 2, 3, 4, 5});
  EXPECT_EQ(i.n, 5u);
  EXPECT_DOUBLE_EQ(i.mean, 3);
  EXPECT_NEAR(i.sd, std::sqrt(2.5), 1e-12);
  const double half = 2.7764451051977987 * std::sqrt(2.5) / std::sqrt(5.0);
  EXPECT_NEAR(i.ci_low, 3 - half, 1e-9);
  EXPECT_NEAR(i.ci_high, 3 + half, 1e-9);
}

TEST(MeanInterval, OneValueHasAMeanButNoInterval) {
  const Interval i = MeanInterval({7});
  EXPECT_TRUE(i.has_mean());
  EXPECT_FALSE(i.has_ci());
  EXPECT_FALSE(MeanInterval({}).has_mean());
}

// The model: n draws from Normal(mu, sigma), whose mean mu is known. Over many studies the
// 95% interval must contain mu about 95% of the time. 4000 studies: the binomial standard
// error is 0.34%, so [94%, 96%] is a +-3 sigma band (and the seed is fixed).
TEST(MeanInterval, CoversTheKnownMeanAbout95Percent) {
  std::mt19937_64 rng(12345);
  std::normal_distribution<double> draw(10.0, 3.0);
  for (int n : {3, 10, 30}) {
    int covered = 0;
    const int studies = 4000;
    for (int s = 0; s < studies; ++s) {
      std::vector<double> x(static_cast<size_t>(n));
      for (double& v : x) v = draw(rng);
      const Interval i = MeanInterval(x);
      covered += i.ci_low <= 10.0 && 10.0 <= i.ci_high;
    }
    const double coverage = static_cast<double>(covered) / studies;
    EXPECT_GT(coverage, 0.94) << "n=" << n;
    EXPECT_LT(coverage, 0.96) << "n=" << n;
  }
}

// Paired arms share most of their noise (common random numbers): arm b = arm a + 0.5 plus a
// little noise of its own. The paired interval covers the true difference 0.5 about 95% of
// the time, and is far narrower than the unpaired one, which still covers it.
TEST(PairedDifference, CoversTheKnownDifferenceAndIsNarrowerThanWelch) {
  std::mt19937_64 rng(777);
  std::normal_distribution<double> shared(100.0, 20.0), own(0.0, 1.0);
  int paired_covered = 0, welch_covered = 0;
  double paired_width = 0, welch_width = 0;
  const int studies = 4000;
  for (int s = 0; s < studies; ++s) {
    std::vector<double> a(10), b(10);
    for (size_t r = 0; r < a.size(); ++r) {
      const double common = shared(rng);
      a[r] = common + 0.5 + own(rng);
      b[r] = common + own(rng);
    }
    const Interval p = PairedDifference(a, b);
    const WelchInterval w = UnpairedDifference(a, b);
    ASSERT_TRUE(w.ok);
    paired_covered += p.ci_low <= 0.5 && 0.5 <= p.ci_high;
    welch_covered += w.ci_low <= 0.5 && 0.5 <= w.ci_high;
    paired_width += p.ci_high - p.ci_low;
    welch_width += w.ci_high - w.ci_low;
  }
  EXPECT_GT(paired_covered, 0.94 * studies);
  EXPECT_LT(paired_covered, 0.96 * studies);
  EXPECT_GT(welch_covered, 0.94 * studies);  // Welch is conservative here, never too narrow
  EXPECT_LT(paired_width * 10, welch_width);
}

TEST(UnpairedDifference, HandComputed) {
  // a: mean 2, var 1 (n 3); b: mean 5, var 4 (n 3). se^2 = 1/3 + 4/3; df by Welch-Satterthwaite.
  const WelchInterval w = UnpairedDifference({1, 2, 3}, {3, 5, 7});
  ASSERT_TRUE(w.ok);
  const double va = 1.0 / 3, vb = 4.0 / 3;
  const double df = (va + vb) * (va + vb) / (va * va / 2 + vb * vb / 2);
  const double half = StudentTQuantile(0.975, df) * std::sqrt(va + vb);
  EXPECT_DOUBLE_EQ(w.diff, -3);
  EXPECT_NEAR(w.ci_low, -3 - half, 1e-9);
  EXPECT_NEAR(w.ci_high, -3 + half, 1e-9);
  EXPECT_FALSE(UnpairedDifference({1}, {1, 2}).ok);
}

TEST(Pareto, TwoObjectivesHandMade) {
  // Minimize cost, maximize value.
  const std::vector<std::vector<double>> points = {
      {1, 1},   // 0: cheapest: front
      {2, 5},   // 1: front
      {3, 4},   // 2: dominated by 1 (costs more, worth less)
      {4, 9},   // 3: front (most valuable)
      {4, 8},   // 4: dominated by 3 (same cost, less value)
      {5, 9},   // 5: dominated by 3 (same value, costs more)
  };
  EXPECT_EQ(ParetoFront(points, {false, true}), (std::vector<bool>{true, true, false, true, false, false}));
}

TEST(Pareto, ThreeObjectivesTiesAndNaN) {
  // Minimize cost, maximize value, minimize incidents.
  const std::vector<std::vector<double>> points = {
      {10, 100, 5},            // 0: front
      {10, 100, 5},            // 1: equal to 0: both stay on the front
      {12, 100, 1},            // 2: front (fewest incidents)
      {12, 90, 5},             // 3: dominated by 0
      {8, 50, 9},              // 4: front (cheapest)
      {std::nan(""), 500, 0},  // 5: not finite: never on the front, dominates nothing
  };
  EXPECT_EQ(ParetoFront(points, {false, true, false}),
            (std::vector<bool>{true, true, true, false, true, false}));
  EXPECT_TRUE(ParetoFront({}, {false, true}).empty());
  EXPECT_EQ(ParetoFront({{3, 3}}, {false, false}), std::vector<bool>{true});
}

TEST(LogLogSlope, RecoversAPowerLaw) {
  std::vector<double> x, y;
  for (int i = 1; i <= 20; ++i) {
    x.push_back(i * 1000.0);
    y.push_back(3.0 * std::pow(i * 1000.0, 0.4));
  }
  const Slope s = LogLogSlope(x, y);
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.n, 20u);
  EXPECT_NEAR(s.slope, 0.4, 1e-9);
  EXPECT_NEAR(s.ci_low, 0.4, 1e-6);
  EXPECT_NEAR(s.ci_high, 0.4, 1e-6);
}

TEST(LogLogSlope, NoSpreadOrTooFewPointsIsNotASlope) {
  EXPECT_FALSE(LogLogSlope({5, 5, 5, 5}, {1, 2, 3, 4}).ok);
  EXPECT_FALSE(LogLogSlope({1, 2}, {1, 2}).ok);
  const Slope s = LogLogSlope({1, 2, 3, -1, 0}, {1, 2, 3, 4, 5});  // non-positive x dropped
  EXPECT_EQ(s.n, 3u);
}

}  // namespace
}  // namespace clawsim::study
