#include "sim/study/stats.h"

#include <Eigen/Dense>
#include <boost/math/distributions/students_t.hpp>

#include <cassert>
#include <cmath>

namespace clawsim::study {

double StudentTQuantile(double p, double df) {
  assert(df > 0 && p > 0 && p < 1);
  return boost::math::quantile(boost::math::students_t_distribution<double>(df), p);
}

Interval MeanInterval(const std::vector<double>& x, double confidence) {
  Interval out;
  out.n = static_cast<uint32_t>(x.size());
  if (x.empty()) return out;
  const Eigen::Map<const Eigen::VectorXd> v(x.data(), static_cast<Eigen::Index>(x.size()));
  out.mean = v.mean();
  out.ci_low = out.ci_high = out.mean;
  if (x.size() < 2) return out;
  const double var = (v.array() - out.mean).square().sum() / static_cast<double>(x.size() - 1);
  out.sd = std::sqrt(var);
  const double half = StudentTQuantile(0.5 + confidence / 2, static_cast<double>(x.size() - 1)) * out.sd /
                      std::sqrt(static_cast<double>(x.size()));
  out.ci_low = out.mean - half;
  out.ci_high = out.mean + half;
  return out;
}

Interval PairedDifference(const std::vector<double>& a, const std::vector<double>& b, double confidence) {
  assert(a.size() == b.size());
  std::vector<double> d(a.size());
  Eigen::Map<Eigen::VectorXd>(d.data(), static_cast<Eigen::Index>(d.size())) =
      Eigen::Map<const Eigen::VectorXd>(a.data(), static_cast<Eigen::Index>(a.size())) -
      Eigen::Map<const Eigen::VectorXd>(b.data(), static_cast<Eigen::Index>(b.size()));
  return MeanInterval(d, confidence);
}

WelchInterval UnpairedDifference(const std::vector<double>& a, const std::vector<double>& b, double confidence) {
  WelchInterval out;
  if (a.size() < 2 || b.size() < 2) return out;
  const Interval ia = MeanInterval(a, confidence);
  const Interval ib = MeanInterval(b, confidence);
  const double va = ia.sd * ia.sd / static_cast<double>(a.size());
  const double vb = ib.sd * ib.sd / static_cast<double>(b.size());
  out.ok = true;
  out.diff = ia.mean - ib.mean;
  out.ci_low = out.ci_high = out.diff;
  if (va + vb <= 0) return out;
  // Welch-Satterthwaite degrees of freedom.
  const double df = (va + vb) * (va + vb) /
                    (va * va / static_cast<double>(a.size() - 1) + vb * vb / static_cast<double>(b.size() - 1));
  const double half = StudentTQuantile(0.5 + confidence / 2, df) * std::sqrt(va + vb);
  out.ci_low = out.diff - half;
  out.ci_high = out.diff + half;
  return out;
}

std::vector<bool> ParetoFront(const std::vector<std::vector<double>>& points, const std::vector<bool>& maximize) {
  const size_t n = points.size();
  const size_t k = maximize.size();
  // Rows are points, columns objectives, signed so that smaller is better.
  Eigen::MatrixXd m(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k));
  std::vector<bool> finite(n, true);
  for (size_t i = 0; i < n; ++i) {
    assert(points[i].size() == k);
    for (size_t j = 0; j < k; ++j) {
      const double v = points[i][j];
      if (!std::isfinite(v)) finite[i] = false;
      m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = maximize[j] ? -v : v;
    }
  }
  std::vector<bool> front(n, false);
  for (size_t i = 0; i < n; ++i) {
    if (!finite[i]) continue;
    bool dominated = false;
    for (size_t o = 0; o < n && !dominated; ++o) {
      if (o == i || !finite[o]) continue;
      const auto diff = (m.row(static_cast<Eigen::Index>(o)) - m.row(static_cast<Eigen::Index>(i))).array();
      dominated = (diff <= 0).all() && (diff < 0).any();
    }
    front[i] = !dominated;
  }
  return front;
}

Slope LogLogSlope(const std::vector<double>& x, const std::vector<double>& y, double confidence) {
  Slope out;
  std::vector<double> lx, ly;
  for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
    if (x[i] > 0 && y[i] > 0 && std::isfinite(x[i]) && std::isfinite(y[i])) {
      lx.push_back(std::log(x[i]));
      ly.push_back(std::log(y[i]));
    }
  }
  out.n = static_cast<uint32_t>(lx.size());
  if (lx.size() < 3) return out;
  const Eigen::Index n = static_cast<Eigen::Index>(lx.size());
  Eigen::MatrixXd design(n, 2);
  design.col(0).setOnes();
  design.col(1) = Eigen::Map<const Eigen::VectorXd>(lx.data(), n);
  const Eigen::Map<const Eigen::VectorXd> target(ly.data(), n);
  const Eigen::VectorXd centered = design.col(1).array() - design.col(1).mean();
  const double sxx = centered.squaredNorm();
  // No spread in x (relative to its size): the slope is not identified.
  if (!(sxx > 1e-18 * std::max(1.0, design.col(1).squaredNorm()))) return out;
  const Eigen::VectorXd beta = design.colPivHouseholderQr().solve(target);
  const Eigen::VectorXd residual = target - design * beta;
  const double sigma2 = residual.squaredNorm() / static_cast<double>(n - 2);
  out.ok = true;
  out.slope = beta(1);
  out.se = std::sqrt(sigma2 / sxx);
  const double half = StudentTQuantile(0.5 + confidence / 2, static_cast<double>(n - 2)) * out.se;
  out.ci_low = out.slope - half;
  out.ci_high = out.slope + half;
  return out;
}

}  // namespace clawsim::study
