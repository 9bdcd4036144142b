#include "sim/engine/rng.h"

#include <cmath>

#include <gtest/gtest.h>

namespace clawsim::engine {
namespace {

TEST(RngTest, SameSeedAndStreamGiveTheSameNumbers) {
  Rng a = Rng::ForStream(42, 7);
  Rng b = Rng::ForStream(42, 7);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.NextU64(), b.NextU64());
}

TEST(RngTest, DifferentStreamsAndSeedsDiffer) {
  Rng a = Rng::ForStream(42, 7);
  Rng b = Rng::ForStream(42, 8);
  Rng c = Rng::ForStream(43, 7);
  int same_ab = 0, same_ac = 0;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t x = a.NextU64();
    same_ab += x == b.NextU64();
    same_ac += x == c.NextU64();
  }
  EXPECT_EQ(same_ab, 0);
  EXPECT_EQ(same_ac, 0);
}

TEST(RngTest, UniformAndExponentialHaveTheRightMeans) {
  Rng r = Rng::ForStream(1, 1);
  const int n = 200000;
  double sum_u = 0, sum_e = 0, sum_n = 0, sum_n2 = 0;
  for (int i = 0; i < n; ++i) {
    const double u = r.Uniform01();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum_u += u;
    sum_e += r.Exponential(3.0);
    const double z = r.Normal();
    sum_n += z;
    sum_n2 += z * z;
  }
  // Five standard errors: uniform sd 0.2887, exponential sd 3.
  EXPECT_NEAR(sum_u / n, 0.5, 5 * 0.2887 / std::sqrt(n));
  EXPECT_NEAR(sum_e / n, 3.0, 5 * 3.0 / std::sqrt(n));
  EXPECT_NEAR(sum_n / n, 0.0, 5 / std::sqrt(n));
  EXPECT_NEAR(sum_n2 / n, 1.0, 5 * std::sqrt(2.0 / n));
}

TEST(RngTest, UniformIntCoversTheRangeEvenly) {
  Rng r = Rng::ForStream(9, 9);
  int counts[10] = {};
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const uint64_t k = r.UniformInt(10);
    ASSERT_LT(k, 10u);
    ++counts[k];
  }
  for (int c : counts) EXPECT_NEAR(c, n / 10, 5 * std::sqrt(n * 0.1 * 0.9));
}

}  // namespace
}  // namespace clawsim::engine
