// Number and field formatting for the CSV and JSON outputs. Deterministic and
// locale-independent, so equal runs give byte-equal files.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace clawsim::run {

// The shortest decimal text that reads back as exactly `v` ("0.1", "1234.5", "1e-07"), as
// std::to_chars gives it. Non-finite values become "nan", "inf" and "-inf" (what pandas
// and spreadsheets read).
std::string FormatDouble(double v);

// FormatDouble for JSON, where non-finite values are not numbers: they become null.
std::string JsonNumber(double v);

// A 64-bit fingerprint as 16 lower-case hex digits, the way every clawsim output shows it.
std::string FormatFingerprint(uint64_t fingerprint);

// A CSV field per RFC 4180: quoted (with quotes doubled) only if it holds a comma, a quote,
// a carriage return or a newline.
std::string CsvField(std::string_view text);

}  // namespace clawsim::run
