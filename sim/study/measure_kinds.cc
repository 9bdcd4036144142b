#include "sim/study/measure_kinds.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "sim/proto/run.pb.h"

namespace clawsim::study {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

bool EndsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string Leaf(const std::string& measure) {
  const size_t dot = measure.rfind('.');
  return dot == std::string::npos ? measure : measure.substr(dot + 1);
}

// The schema field a measure names (nullptr for derived measures and total_tokens).
const FieldDescriptor* FieldOf(const std::string& measure) {
  const Descriptor* d = proto::RunSummary::descriptor();
  const FieldDescriptor* f = nullptr;
  size_t pos = 0;
  while (d != nullptr && pos <= measure.size()) {
    const size_t dot = measure.find('.', pos);
    f = d->FindFieldByName(measure.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos));
    if (f == nullptr || dot == std::string::npos) return f;
    pos = dot + 1;
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return nullptr;
    d = f->message_type();
    if (f->is_repeated()) {  // skip the element's key
      const size_t key_end = measure.find('.', pos);
      if (key_end == std::string::npos) return nullptr;
      pos = key_end + 1;
    }
  }
  return nullptr;
}

bool IsDelta(const std::string& measure) { return measure.find("delta") != std::string::npos; }

}  // namespace

MeasureRange RangeOf(const std::string& measure) {
  const std::string leaf = Leaf(measure);
  MeasureRange r;
  if (IsDelta(measure) || leaf == "roi" || leaf.find("elasticity") != std::string::npos) return r;
  if (leaf.find("correlation") != std::string::npos) return {-1, 1};
  if (EndsWith(leaf, "_rate") || EndsWith(leaf, "_share") || EndsWith(leaf, "accuracy")) return {0, 1};
  // The priced harms are costs; only the net value can be negative.
  if (measure.rfind("priced.", 0) == 0 && measure != "priced.net_value_usd") return {0, r.hi};
  const FieldDescriptor* f = FieldOf(measure);
  if (f != nullptr) {
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_UINT32:
      case FieldDescriptor::CPPTYPE_UINT64: return {0, r.hi};
      case FieldDescriptor::CPPTYPE_BOOL: return {0, 1};
      default: break;
    }
  }
  if (leaf == "total_tokens" || EndsWith(leaf, "_hours") || EndsWith(leaf, "_per_day") || EndsWith(leaf, "cost_usd") ||
      leaf == "value_usd" || leaf == "value_arrived_usd") {
    return {0, r.hi};
  }
  return r;
}

std::string UndefinedWhenZero(const std::string& measure) {
  static const std::map<std::string, std::string> kDenominators = {
      {"safety.approval_accuracy", "safety.approvals_decided"},
      {"safety.attack_success_rate", "safety.attack_attempts"},
      {"safety.time_to_contain_hours", "safety.contained_agents"},
      {"value_usd_per_token_usd", "tokens.cost_usd"},
      {"dora.change_failure_rate", "dora.deployment_frequency_per_day"},
      {"dora.lead_time_for_changes_hours", "dora.deployment_frequency_per_day"},
      {"dora.time_to_restore_hours", "incidents"},
      {"dora.rework_rate", "dora.deployment_frequency_per_day"},
      {"mean_lead_time_hours", "items_completed"},
      {"incentives.tokens_per_value_usd", "value_usd"},
      {"incentives.cost_per_value_usd", "value_usd"},
      {"priced.harm_usd_per_1000_usd_value", "value_usd"},
      {"delivery.developer_hours_per_merged_change", "delivery.changes_merged"},
      {"delivery.review_hours_per_merged_change", "delivery.changes_merged"},
      {"delivery.review_elapsed_hours_per_merged_change", "delivery.changes_merged"},
      {"delivery.merged_change_size_mean", "delivery.changes_merged"},
      {"delivery.agent_pr_defect_ratio", "delivery.prs_opened_with_agent_code"},
      {"delivery.incidents_per_100_merged_changes", "delivery.changes_merged"},
      {"delivery.merged_changes_per_developer_week", "delivery.developers"},
  };
  const auto it = kDenominators.find(measure);
  return it == kDenominators.end() ? std::string() : it->second;
}

Unit UnitOf(const std::string& measure) {
  const std::string leaf = Leaf(measure);
  if (EndsWith(leaf, "_usd") && leaf.find("_per_") == std::string::npos) return Unit::kUsd;
  if (leaf.find("usd_per_") != std::string::npos) return Unit::kUsd;  // dollars per something
  if (EndsWith(leaf, "_hours")) return Unit::kHours;
  if (EndsWith(leaf, "tokens")) return Unit::kTokens;
  const MeasureRange r = RangeOf(measure);
  const FieldDescriptor* f = FieldOf(measure);
  if (r.lo == 0 && r.hi == 1 && (f == nullptr || f->cpp_type() != FieldDescriptor::CPPTYPE_BOOL)) return Unit::kShare;
  if (f != nullptr && (f->cpp_type() == FieldDescriptor::CPPTYPE_UINT32 || f->cpp_type() == FieldDescriptor::CPPTYPE_UINT64 ||
                       f->cpp_type() == FieldDescriptor::CPPTYPE_INT32 || f->cpp_type() == FieldDescriptor::CPPTYPE_INT64)) {
    return Unit::kCount;
  }
  return Unit::kPlain;
}

std::string FormatNumber(double v) {
  if (!std::isfinite(v)) return "n/a";
  char buf[64];
  const double a = std::abs(v);
  if (a >= 999999.5) {
    const bool giga = a >= 999999999.5;
    const double scaled = v / (giga ? 1e9 : 1e6);
    const double as = std::abs(scaled);
    std::snprintf(buf, sizeof buf, "%.*f %s", as < 10 ? 3 : as < 100 ? 2 : 1, scaled, giga ? "G" : "M");
    return buf;
  }
  if (a >= 999.5) {
    std::snprintf(buf, sizeof buf, "%.0f", a);
    std::string digits = buf, out;
    for (size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
      out += digits[i];
    }
    return (v < 0 ? "-" : "") + out;
  }
  if (a == 0) return "0";
  const int mag = static_cast<int>(std::floor(std::log10(a)));
  std::snprintf(buf, sizeof buf, "%.*f", std::clamp(3 - mag, 0, 12), v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

std::string FormatMeasure(const std::string& measure, double v) {
  if (!std::isfinite(v)) return "n/a";
  switch (UnitOf(measure)) {
    case Unit::kUsd: return (v < 0 ? "-$" : "$") + FormatNumber(std::abs(v));
    case Unit::kHours: return FormatNumber(v) + " h";
    case Unit::kTokens: return FormatNumber(v) + " tokens";
    case Unit::kShare: return FormatNumber(v * 100) + " %";
    default: return FormatNumber(v);
  }
}

std::string FormatDifference(const std::string& measure, double v) {
  if (!std::isfinite(v)) return "n/a";
  const std::string sign = v > 0 ? "+" : v < 0 ? "-" : "";
  const double a = std::abs(v);
  switch (UnitOf(measure)) {
    case Unit::kUsd: return sign + "$" + FormatNumber(a);
    case Unit::kHours: return sign + FormatNumber(a) + " h";
    case Unit::kTokens: return sign + FormatNumber(a) + " tokens";
    case Unit::kShare: return sign + FormatNumber(a * 100) + " pp";
    default: return sign + FormatNumber(a);
  }
}

}  // namespace clawsim::study
