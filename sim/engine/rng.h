// Rng: one logical process's random stream (xoroshiro128++).
//
// Every LP draws from its own stream, derived from (run seed, LP id), so the numbers an LP
// sees never depend on how LPs are spread over threads. 16 bytes of state; the period
// (2^128 - 1) makes overlap between the streams of a run negligible.
#pragma once

#include <cmath>
#include <cstdint>

#include "sim/engine/hash.h"

namespace clawsim::engine {

class Rng {
 public:
  Rng() = default;

  // The stream for `stream` (usually the LP id) under run seed `seed`.
  static Rng ForStream(uint64_t seed, uint64_t stream) {
    uint64_t x = HashCombine(seed, stream);
    Rng r;
    r.s0_ = SplitMix(x);
    r.s1_ = SplitMix(x);
    if ((r.s0_ | r.s1_) == 0) r.s1_ = 1;  // the all-zero state is a fixed point
    return r;
  }

  uint64_t NextU64() {
    const uint64_t s0 = s0_;
    uint64_t s1 = s1_;
    const uint64_t result = Rotl(s0 + s1, 17) + s0;
    s1 ^= s0;
    s0_ = Rotl(s0, 49) ^ s1 ^ (s1 << 21);
    s1_ = Rotl(s1, 28);
    return result;
  }

  // Uniform in [0, 1), 53 random bits.
  double Uniform01() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }

  // Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; bias below 2^-32 for n < 2^32).
  uint64_t UniformInt(uint64_t n) {
    __extension__ using U128 = unsigned __int128;
    return static_cast<uint64_t>((static_cast<U128>(NextU64()) * n) >> 64);
  }

  bool Bernoulli(double p) { return Uniform01() < p; }

  // Exponential with the given mean (any unit); mean <= 0 gives 0.
  double Exponential(double mean) {
    if (mean <= 0) return 0;
    return -mean * std::log1p(-Uniform01());
  }

  // Standard normal (Box-Muller, one value per call).
  double Normal() {
    const double u1 = 1.0 - Uniform01();  // (0, 1]
    const double u2 = Uniform01();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

  bool operator==(const Rng&) const = default;

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t SplitMix(uint64_t& x) {
    x += 0x9e3779b97f4a7c15ULL;
    return Mix64(x);
  }
  uint64_t s0_ = 1;
  uint64_t s1_ = 2;
};

}  // namespace clawsim::engine
