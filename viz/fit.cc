#include "viz/fit.h"

#include <cmath>

namespace clawsim::viz {

LogLogFit FitLogLog(const std::vector<double>& x, const std::vector<double>& y) {
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
  for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
    if (!(x[i] > 0) || !(y[i] > 0)) continue;
    const double lx = std::log10(x[i]), ly = std::log10(y[i]);
    n += 1;
    sx += lx;
    sy += ly;
    sxx += lx * lx;
    sxy += lx * ly;
    syy += ly * ly;
  }
  LogLogFit fit;
  const double vx = n * sxx - sx * sx;
  if (n < 2 || vx <= 1e-12 * n * n) return fit;
  fit.points = static_cast<int>(n);
  fit.slope = (n * sxy - sx * sy) / vx;
  fit.intercept = (sy - fit.slope * sx) / n;
  const double vy = n * syy - sy * sy;
  fit.r2 = vy > 0 ? (n * sxy - sx * sy) * (n * sxy - sx * sy) / (vx * vy) : 1.0;
  return fit;
}

}  // namespace clawsim::viz
