#include "sim/study/pricing.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace clawsim::study {

const std::vector<std::string>& PricedMeasureNames() {
  static const std::vector<std::string> kNames = {
      "priced.leak_cost_usd",       "priced.incident_response_cost_usd", "priced.approval_cost_usd",
      "priced.detector_review_cost_usd", "priced.harm_cost_usd",          "priced.net_value_usd",
      "priced.harm_usd_per_1000_usd_value"};
  return kNames;
}

bool IsPricedMeasure(const std::string& name) {
  const std::vector<std::string>& names = PricedMeasureNames();
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::vector<double> PricedMeasures(const proto::StudyPrices& p, const std::function<double(const std::string&)>& value) {
  const double leaked = value("safety.data_leaked_messages");
  const double sensitive = value("safety.data_leaked_sensitive");
  const double leak = (leaked - sensitive) * p.leaked_message_usd() + sensitive * p.leaked_sensitive_message_usd();
  const double incidents = value("incidents") * p.incident_usd();
  const double approval = value("hours.approval_hours") * 60 * p.approval_minute_usd();
  const double review = value("safety.detector_release_hours") * p.detector_review_hour_usd();
  const double harm = leak + incidents + approval + review;
  const double delivered = value("value_usd");
  const double per_value = delivered > 0 ? 1000 * harm / delivered : std::numeric_limits<double>::quiet_NaN();
  return {leak, incidents, approval, review, harm, value("net_value_usd") - harm, per_value};
}

proto::StudyPrices ScaleLeakPrices(const proto::StudyPrices& prices, double factor) {
  proto::StudyPrices out = prices;
  out.set_leaked_message_usd(prices.leaked_message_usd() * factor);
  out.set_leaked_sensitive_message_usd(prices.leaked_sensitive_message_usd() * factor);
  return out;
}

}  // namespace clawsim::study
