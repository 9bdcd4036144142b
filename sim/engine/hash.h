// 64-bit mixing functions used for seeding random streams and folding fingerprints.
#pragma once

#include <cstdint>

namespace clawsim::engine {

// SplitMix64's finaliser: a bijective mix with good avalanche.
inline constexpr uint64_t Mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// Combines two values order-sensitively (hash(a, b) != hash(b, a) in general).
inline constexpr uint64_t HashCombine(uint64_t a, uint64_t b) {
  return Mix64(a ^ (Mix64(b) + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2)));
}

}  // namespace clawsim::engine
