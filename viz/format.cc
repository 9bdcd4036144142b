#include "viz/format.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>

namespace clawsim::viz {

std::string FormatTime(int64_t time_us) {
  const bool negative = time_us < 0;
  const uint64_t t = negative ? static_cast<uint64_t>(-(time_us + 1)) + 1 : static_cast<uint64_t>(time_us);
  const uint64_t day = t / uint64_t{86'400'000'000};
  const uint64_t in_day = t % uint64_t{86'400'000'000};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%sday %" PRIu64 " %02" PRIu64 ":%02" PRIu64 ":%02" PRIu64 ".%03" PRIu64,
                negative ? "-" : "", day, in_day / uint64_t{3'600'000'000}, in_day / uint64_t{60'000'000} % 60,
                in_day / uint64_t{1'000'000} % 60, in_day / 1000 % 1000);
  return buf;
}

std::string FormatDuration(int64_t span_us) {
  const double us = static_cast<double>(span_us);
  char buf[48];
  if (std::fabs(us) < 1e3) {
    std::snprintf(buf, sizeof buf, "%.0f us", us);
  } else if (std::fabs(us) < 1e6) {
    std::snprintf(buf, sizeof buf, "%.1f ms", us / 1e3);
  } else if (std::fabs(us) < 60e6) {
    std::snprintf(buf, sizeof buf, "%.1f s", us / 1e6);
  } else if (std::fabs(us) < 3600e6) {
    std::snprintf(buf, sizeof buf, "%.1f min", us / 60e6);
  } else if (std::fabs(us) < 86400e6) {
    std::snprintf(buf, sizeof buf, "%.1f h", us / 3600e6);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f d", us / 86400e6);
  }
  return buf;
}

namespace {

std::string Grouped(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(v));
  std::string digits = buf;
  const size_t dot = digits.find('.');
  size_t end = dot == std::string::npos ? digits.size() : dot;
  for (size_t i = end; i > 3; i -= 3) digits.insert(i - 3, ",");
  return (v < 0 ? "-" : "") + digits;
}

}  // namespace

namespace {

// Three significant digits with a suffix: 123 k, 31.6 M, 6.17 G.
std::string Scaled(double v, const char* prefix) {
  const double a = std::fabs(v);
  double scaled = v;
  const char* suffix = "";
  // Thresholds just below each power, so that rounding never prints "1000 k".
  if (a >= 999.5e6) {
    scaled = v / 1e9, suffix = " G";
  } else if (a >= 999.5e3) {
    scaled = v / 1e6, suffix = " M";
  } else {
    scaled = v / 1e3, suffix = " k";
  }
  const double s = std::fabs(scaled);
  const int decimals = s >= 99.95 ? 0 : s >= 9.995 ? 1 : 2;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%s%.*f%s", v < 0 ? "-" : "", prefix, decimals, s, suffix);
  return buf;
}

}  // namespace

std::string FormatCount(double v) {
  if (std::fabs(v) >= 1e5) return Scaled(v, "");
  return Grouped(v, v == std::floor(v) ? 0 : (std::fabs(v) >= 100 ? 1 : 2));
}

std::string FormatAmount(double v, const char* unit) { return FormatCount(v) + " " + unit; }

std::string FormatUsd(double v) {
  if (std::fabs(v) >= 1e5) return Scaled(v, "$");
  return std::string(v < 0 ? "-" : "") + "$" + Grouped(std::fabs(v), 2);
}

std::string FormatPercent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", 100 * fraction);
  return buf;
}

std::string FormatHours(double hours) {
  if (std::fabs(hours) >= 1000) return Grouped(std::round(hours), 0) + " h";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f h", hours);
  return buf;
}

std::string FormatTick(double v, bool usd) {
  const std::string s = usd ? FormatUsd(v) : FormatCount(v);
  const size_t dot = s.find('.');
  if (dot == std::string::npos) return s;
  size_t end = dot + 1;
  while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
  size_t keep = end;
  while (keep > dot + 1 && s[keep - 1] == '0') --keep;
  if (keep == dot + 1) keep = dot;
  return s.substr(0, keep) + s.substr(end);
}

std::string FormatFingerprint(uint64_t fp) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, fp);
  return buf;
}

}  // namespace clawsim::viz
