// What kind of quantity a measure is: the range its values can take (so that intervals stay
// inside it), when it is undefined (a ratio whose denominator is zero), its unit, and how it
// reads for people ("$1.23 M", "93.2 h", "4.5 %", "1,234").
//
// Ranges and units follow from the run summary's schema (sim/proto/run.proto: an unsigned
// count is never negative) and from the naming convention that every quantity carries its
// unit in its name (`_usd`, `_hours`, `_tokens`, `_rate`, `_share`). Pure functions; safe
// from any thread.
#pragma once

#include <limits>
#include <string>

namespace clawsim::study {

struct MeasureRange {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool bounded() const { return lo > -std::numeric_limits<double>::infinity() || hi < std::numeric_limits<double>::infinity(); }
};

// The values a measure can take: [0, inf) for counts, times and costs, [0, 1] for rates,
// shares and accuracies, [-1, 1] for correlations, unbounded otherwise (net values,
// counterfactual deltas, elasticities). A measure's mean lies in the same range, so an
// interval clipped to it keeps its coverage.
MeasureRange RangeOf(const std::string& measure);

// The measure whose value zero makes `measure` undefined (a ratio over it), or "" when
// `measure` is always defined: safety.approval_accuracy has no meaning where no approval was
// decided, an attack success rate none where nothing was attempted. Such values are left
// out of the statistics (shown n/a), not counted as 0.
std::string UndefinedWhenZero(const std::string& measure);

enum class Unit { kUsd, kHours, kTokens, kShare, kCount, kPlain };
Unit UnitOf(const std::string& measure);

// A value for people, with its unit and thousands separators: "$1.23 M", "-$4,560",
// "93.2 h", "7.99 M tokens", "12.5 %", "1,234", "192.8"; "n/a" when not finite.
std::string FormatMeasure(const std::string& measure, double value);
// A difference of the measure: as FormatMeasure with a sign ("+$1.2 k", "-3.1 pp" for shares).
std::string FormatDifference(const std::string& measure, double value);

// A number for people: millions and billions scaled with 4 significant digits ("7.994 M",
// "1.2 G"), 1,000 to 999,999 whole with thousands separators ("12,346"), smaller values with
// 4 significant digits and no trailing zeros ("192.8", "2.75", "0.0123"); "n/a" if not finite.
std::string FormatNumber(double value);

}  // namespace clawsim::study
