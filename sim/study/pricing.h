// Priced harms: the study's prices (proto::StudyPrices, sim/proto/study.proto, defaults with
// their sources there) turn a run's measured harms into dollars. They become measures of
// every run, computed from its stored measures, so they get intervals and paired differences
// like any other:
//
//   priced.leak_cost_usd            (leaked - leaked sensitive) x leaked_message_usd
//                                   + leaked sensitive x leaked_sensitive_message_usd
//   priced.incident_response_cost_usd  incidents x incident_usd
//   priced.approval_cost_usd        hours.approval_hours x 60 x approval_minute_usd
//   priced.detector_review_cost_usd safety.detector_release_hours x detector_review_hour_usd
//   priced.harm_cost_usd            the sum of the four
//   priced.net_value_usd            net_value_usd - priced.harm_cost_usd
//   priced.harm_usd_per_1000_usd_value  1000 x priced.harm_cost_usd / value_usd (undefined at
//                                   value 0): what harms cost per $1,000 of delivered value
//
// A run lacking an input measure (an older model) gets NaN for what depends on it. Pure
// functions; safe from any thread.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sim/proto/study.pb.h"

namespace clawsim::study {

// The derived measures' names, in the order above.
const std::vector<std::string>& PricedMeasureNames();
bool IsPricedMeasure(const std::string& name);

// The derived measures of one run, aligned with PricedMeasureNames(). `value` gives the
// run's value of a summary measure, NaN where it has none.
std::vector<double> PricedMeasures(const proto::StudyPrices& prices, const std::function<double(const std::string&)>& value);

// `prices` with both leaked-message prices multiplied by `factor` (the sensitivity line).
proto::StudyPrices ScaleLeakPrices(const proto::StudyPrices& prices, double factor);

}  // namespace clawsim::study
