// Text for numbers, times and money as every panel shows them.
#pragma once

#include <cstdint>
#include <string>

namespace clawsim::viz {

std::string FormatTime(int64_t time_us);      // "day 2 13:05:07.250" (day 0 is the first)
std::string FormatDuration(int64_t span_us);  // "25 min", "3.2 s", "2.0 h", "1.5 d"
std::string FormatCount(double v);            // "1,234,567" / "12.3 M" above 10 million
std::string FormatUsd(double v);              // "$1,234.56", "$12.3 k", "$4.56 M"
std::string FormatFingerprint(uint64_t fp);   // 16 lowercase hex digits (RUN_FILE.md)

}  // namespace clawsim::viz
