// Simulated time: an integer count of microseconds since the start of the run.
//
// There is no floating-point time anywhere in the engine or the model. Conversions from
// human units (seconds, minutes, hours, days) round to the nearest microsecond.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

namespace clawsim::engine {

using TimeUs = int64_t;

inline constexpr TimeUs kUsPerMs = 1000;
inline constexpr TimeUs kUsPerSecond = 1000 * kUsPerMs;
inline constexpr TimeUs kUsPerMinute = 60 * kUsPerSecond;
inline constexpr TimeUs kUsPerHour = 60 * kUsPerMinute;
inline constexpr TimeUs kUsPerDay = 24 * kUsPerHour;
inline constexpr TimeUs kTimeInfinity = std::numeric_limits<TimeUs>::max();

// Rounds a duration in seconds to microseconds.
inline TimeUs SecondsToUs(double seconds) { return static_cast<TimeUs>(std::llround(seconds * 1e6)); }
inline double UsToSeconds(TimeUs t_us) { return static_cast<double>(t_us) * 1e-6; }
inline double UsToHours(TimeUs t_us) { return static_cast<double>(t_us) / static_cast<double>(kUsPerHour); }
inline double UsToDays(TimeUs t_us) { return static_cast<double>(t_us) / static_cast<double>(kUsPerDay); }

}  // namespace clawsim::engine
