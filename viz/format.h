// Text for numbers, times and money as every panel shows them: one formatter per kind of
// quantity, each with its unit, so that a number reads the same in every panel, axis and
// tooltip (STYLE.md, "How results should read").
#pragma once

#include <cstdint>
#include <string>

namespace clawsim::viz {

std::string FormatTime(int64_t time_us);      // "day 2 13:05:07.250" (day 0 is the first)
std::string FormatDuration(int64_t span_us);  // "25 min", "3.2 s", "2.0 h", "1.5 d"
// A count or amount: grouped below 100,000 ("987", "12,345", "0.25"), then three significant
// digits with k, M or G ("123 k", "31.6 M", "6.17 G").
std::string FormatCount(double v);
// FormatCount and a unit: "31.6 M tokens", "2 incidents".
std::string FormatAmount(double v, const char* unit);
std::string FormatUsd(double v);              // "$1,234.56" below $100 k, then "$123 k", "$4.56 M", "$1.20 G"
std::string FormatPercent(double fraction);   // 0.0554 -> "5.5 %"
std::string FormatHours(double hours);        // "93.0 h", "1,234 h"
std::string FormatFingerprint(uint64_t fp);   // 16 lowercase hex digits (RUN_FILE.md)
// An axis tick: FormatCount or FormatUsd without a fraction's trailing zeros ("2.5 G", "$3,000").
std::string FormatTick(double v, bool usd);

}  // namespace clawsim::viz
