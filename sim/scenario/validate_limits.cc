#include "sim/scenario/validate_limits.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "sim/proto/scenario.pb.h"

namespace clawsim::scenario {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

constexpr double kMaxRunDays = 3650;  // run.days' own range
constexpr double kMaxDays = kMaxRunDays;
constexpr double kMaxHours = kMaxRunDays * 24;
constexpr double kMaxMinutes = kMaxHours * 60;
constexpr double kMaxSeconds = kMaxMinutes * 60;
// A model call's latency: at most a day. In microseconds 8.64e10, so adding it to any
// simulated time (at most 3650 days = 3.2e14 us) stays far inside int64.
constexpr double kMaxLatencyMs = 24.0 * 3600 * 1000;

// Why token arithmetic cannot overflow. Token figures are int64 in a call and uint64 in the
// totals (2^63 = 9.2e18 and 2^64 = 1.8e19). With these limits, the model's largest call
// (sim/model/agent.cc, Invoke) is bounded as follows:
//   items     <= max_items                                     <= 1e4
//   context   <= context_window_tokens                          <= 1e8
//             (before that cap: extra + base + memory + per_item * items
//                                                              <= 3e8 + 1e8 * 1e4 ~ 1e12)
//   turns     <= turns_per_item * items (the handover share <= 1) <= 100 * 1e4 = 1e6
// so input = context * turns <= 1e14 < 9.2e18, and output = output_tokens * items <= 1e12.
// A call's tokens therefore always fit; the totals (uint64) would need more than 180
// thousand such maximal calls, each reading a hundred-million-token context a million times: a run
// that size cannot be simulated in any time, and the memory estimate (run_estimate.h) and
// run.days bound the rest. Per-week figures (budgets) are compared with those totals and
// are limited to kMaxTokenTotal.
constexpr double kMaxTokens = 1e8;
constexpr double kMaxContextTokens = 1e8;
constexpr double kMaxTokenTotal = 1e15;
constexpr double kMaxItems = 1e4;
constexpr double kMaxTurns = 100;

constexpr double kMaxUsd = 1e9;
constexpr double kMaxPerDay = 1e5;   // arrivals per day (per person, or per campaign)
constexpr double kMaxPerHour = 1e6;  // rate limits and action rates
constexpr double kMaxFactor = 1e3;   // multipliers, factors and weights
constexpr double kMaxMagnitude = 1e18;

struct Named {
  const char* message;  // the message type's name, e.g. "Team"
  const char* field;
  FieldLimit limit;
};

// Fields whose limit is not told by their unit.
constexpr Named kNamed[] = {
    {"RunSettings", "days", {kMaxRunDays, "days in a run"}},
    {"RunSettings", "seed", {1.9e19, "any 64-bit seed"}},
    {"Team", "size", {100'000, "people in one team"}},
    {"Organization", "divisions", {10'000, "divisions"}},
    {"Team", "managers", {100'000, "people in one team"}},
    {"Employee", "competitiveness", {1, "a trait, in [0, 1]", true}},
    {"Employee", "pressure_sensitivity", {1, "a trait, in [0, 1]", true}},
    {"Employee", "automation_trust", {1, "a trait, in [0, 1]", true}},
    {"Employee", "skill", {1, "a trait, in [0, 1]", true}},
    {"Employee", "codebase_familiarity", {1, "a trait, in [0, 1]", true}},
    {"AgentHelpCosts", "familiarity_saving_discount", {1, "a share, in [0, 1]", true}},
    {"AgentHelpCosts", "agent_code_size_ratio", {kMaxFactor, "a multiplier"}},
    {"AgentHelpCosts", "agent_code_defect_density_ratio", {kMaxFactor, "a multiplier"}},
    {"AgentHelpCosts", "experience_cost_ratio_per_doubling", {1, "a ratio, in (0, 1]", true}},
    {"AgentHelpCosts", "prior_code_handovers", {1e6, "changes handed over"}},
    {"ModelTier", "context_window_tokens", {kMaxContextTokens, "tokens in one context window"}},
    {"ModelTier", "output_tokens_per_second", {1e9, "tokens per second"}},
    {"ModelTier", "injection_susceptibility", {kMaxFactor, "a multiplier"}},
    {"Heartbeat", "interval_minutes", {kMaxMinutes, "minutes between heartbeats", false, false, 1}},
    {"CronJob", "every_minutes", {kMaxMinutes, "minutes between runs of a job", false, false, 1}},
    {"PerformativeAutomation", "every_minutes", {kMaxMinutes, "minutes between runs of a job", false, false, 1}},
    {"Skill", "max_items", {kMaxItems, "items per invocation"}},
    {"Skill", "turns_per_item", {kMaxTurns, "model turns per item"}},
    {"CodeWork", "reviewers", {100, "reviewers per change"}},
    {"CodeWork", "review_minutes_per_day", {1440, "minutes in a day"}},
    {"CodeWork", "review_overdue_hours", {kMaxHours, "hours"}},
    {"DeploySettings", "concurrent_pipelines", {1000, "pipelines per service"}},
    {"DeploySettings", "release_every_days", {3660, "days between release trains"}},
    {"DeploySettings", "release_testing_half_life_hours", {kMaxHours, "hours"}},
    {"IncidentSettings", "spread_severity_step", {10, "severity steps"}},
    {"PermissionRule", "max_blast_radius", {1e6, "targets"}},
    {"Incentives", "max_performative_automations", {1000, "automations per agent"}},
    {"Incentives", "active_user_min_tokens_per_week", {kMaxTokenTotal, "tokens per week"}},
    {"Incentives", "token_budget_per_week", {kMaxTokenTotal, "tokens per week"}},
    {"Incentives", "manager_pressure", {1, "a share, in [0, 1]", true}},
    {"Incentives", "performative_base_per_week", {1, "a probability, in [0, 1]", true}},
    {"Incentives", "performative_drop_per_week", {1, "a probability, in [0, 1]", true}},
    {"VisibilityWeights", "public", {1, "a weight, in [0, 1]", true}},
    {"VisibilityWeights", "team", {1, "a weight, in [0, 1]", true}},
    {"VisibilityWeights", "managers_only", {1, "a weight, in [0, 1]", true}},
    {"VisibilityWeights", "self_only", {1, "a weight, in [0, 1]", true}},
    {"AdoptionDynamics", "trust_prior_outcomes", {1e6, "a count of outcomes"}},
    {"AdoptionDynamics", "trust_memory_weeks", {520, "weeks"}},
    {"AdoptionDynamics", "min_handover_share", {1, "a share, in [0, 1]", true}},
    {"AdoptionDynamics", "suitability_concentration", {1e6, "a shape parameter"}},
    {"TraitDistributions", "work_suitability_team_weight", {1, "a weight, in [0, 1]", true}},
    {"AdoptionDynamics", "idle_cost_noticed", {1, "a share, in [0, 1]", true}},
    {"AdoptionDynamics", "unassigned_changes_max", {1000, "changes open at once"}},
    {"AdoptionDynamics", "session_autonomy_reference_trust", {1, "a trust, in [0, 1)", true}},
    {"AdoptionDynamics", "session_autonomy_max_factor", {1000, "a multiplier"}},
    {"Incentives", "ratios_from_day", {kMaxDays, "a run day"}},
    {"CircuitBreaker", "threshold", {kMaxTokenTotal, "a measured quantity per window"}},
    {"Intervention", "day", {kMaxDays, "a run day"}},
    {"Intervention", "hour", {24, "an hour of the day", true}},
    {"CalibrationBandSpec", "low", {kMaxMagnitude, "a measure's value", false, true}},
    {"CalibrationBandSpec", "high", {kMaxMagnitude, "a measure's value", false, true}},
    {"Distribution", "alpha", {1e6, "a shape parameter"}},
    {"Distribution", "beta", {1e6, "a shape parameter"}},
    {"Distribution", "value", {kMaxMagnitude, "a sampled quantity"}},
    {"Distribution", "mean", {kMaxMagnitude, "a sampled quantity"}},
    {"Distribution", "stddev", {kMaxMagnitude, "a sampled quantity"}},
    {"Distribution", "min", {kMaxMagnitude, "a sampled quantity"}},
    {"Distribution", "max", {kMaxMagnitude, "a sampled quantity"}},
};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool Contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

// Rules by the unit a field's name carries, in order; the first that matches wins.
bool LimitByUnit(std::string_view name, FieldLimit* out) {
  auto set = [&](double max, const char* what, bool by_meaning = false, double min_nonzero = 0) {
    *out = FieldLimit{max, what, by_meaning, false, min_nonzero};
    return true;
  };
  if (Contains(name, "probability") || EndsWith(name, "_fraction") || EndsWith(name, "_rate") ||
      name == "fraction" || Contains(name, "accuracy_") || EndsWith(name, "_weight") || name == "max_utilisation") {
    return set(1, "a probability or share, in [0, 1]", /*by_meaning=*/true);
  }
  if (Contains(name, "usd")) return set(kMaxUsd, "US dollars");
  if (EndsWith(name, "_ms")) return set(kMaxLatencyMs, "milliseconds (one day)", false, 1e-3);
  if (Contains(name, "tokens")) return set(kMaxTokens, "tokens");
  if (EndsWith(name, "per_day")) return set(kMaxPerDay, "per day");
  if (EndsWith(name, "per_hour")) return set(kMaxPerHour, "per hour");
  if (Contains(name, "minutes")) return set(kMaxMinutes, "minutes (ten years)", false, 1.0 / 60e6);
  if (EndsWith(name, "_seconds")) return set(kMaxSeconds, "seconds (ten years)", false, 1e-6);
  if (EndsWith(name, "_hours")) return set(kMaxHours, "hours (ten years)", false, 1.0 / 3.6e9);
  if (EndsWith(name, "_hour")) return set(24, "an hour of the day", /*by_meaning=*/true);
  if (EndsWith(name, "_days") || EndsWith(name, "_day") || name == "holidays") return set(kMaxDays, "days");
  if (Contains(name, "factor") || Contains(name, "multiplier") || name == "weight") {
    return set(kMaxFactor, "a multiplier");
  }
  if (Contains(name, "threshold")) return set(kMaxTokenTotal, "a measured quantity");
  return false;
}

bool IsNumeric(const FieldDescriptor* f) {
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64:
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: return true;
    default: return false;
  }
}

class LimitWalker {
 public:
  explicit LimitWalker(Problems* p) : p_(p) {}

  // `parent_limit`: for a Distribution, the limit of the quantity it samples (null: none).
  void Walk(const Message& m, const std::string& path, const FieldLimit* parent_limit) {
    const auto* d = m.GetDescriptor();
    const auto* r = m.GetReflection();
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      const std::string fpath = path.empty() ? f->name() : path + "." + f->name();
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        // Interventions hold values as text; ValidateScenario checks each state they reach.
        FieldLimit own;
        const bool has_own = LimitOf(f, &own);
        if (f->is_repeated()) {
          for (int k = 0; k < r->FieldSize(m, f); ++k) {
            Walk(r->GetRepeatedMessage(m, f, k), fpath + "[" + std::to_string(k) + "]", has_own ? &own : nullptr);
          }
        } else if (r->HasField(m, f)) {
          Walk(r->GetMessage(m, f), fpath, has_own ? &own : nullptr);
        }
        continue;
      }
      if (!IsNumeric(f)) continue;
      const int n = f->is_repeated() ? r->FieldSize(m, f) : (r->HasField(m, f) ? 1 : 0);
      for (int k = 0; k < n; ++k) {
        Check(m, f, f->is_repeated() ? k : -1, f->is_repeated() ? fpath + "[" + std::to_string(k) + "]" : fpath,
              parent_limit);
      }
    }
  }

 private:
  void Check(const Message& m, const FieldDescriptor* f, int index, const std::string& path,
             const FieldLimit* parent_limit) {
    const double v = NumberAt(m, f, index);
    FieldLimit limit;
    if (!LimitOf(f, &limit)) limit = FieldLimit{kMaxMagnitude, "a number"};
    if (std::isinf(v) && limit.infinite_ok) return;
    if (!std::isfinite(v)) {
      p_->Add(m, f->name().c_str(), index, path + " is " + Num(v) + "; it must be a finite number");
      return;
    }
    // A distribution's parameters are bounded by the quantity it samples (a LOGNORMAL
    // effort's mean is minutes), except its shapes.
    const bool sampled = m.GetDescriptor()->name() == "Distribution" && f->name() != "alpha" && f->name() != "beta";
    if (sampled && parent_limit != nullptr && parent_limit->max < limit.max) limit = *parent_limit;
    // A range the meaning sets ([0, 1], an hour of the day) is checked, with a message in
    // the field's own terms, by validate.cc; here only the magnitude of the rest.
    if (v != 0 && std::fabs(v) < limit.min_nonzero) {
      p_->Add(m, f->name().c_str(), index,
              path + " is " + Num(v) + "; it must be 0 or at least " + Num(limit.min_nonzero) +
                  " (a shorter time rounds to nothing on the microsecond clock, or repeats so often it floods "
                  "the run)");
      return;
    }
    if (std::fabs(v) > limit.max && !limit.by_meaning) {
      p_->Add(m, f->name().c_str(), index,
              path + " is " + Num(v) + "; it must be " + (v < 0 ? "at least " + Num(-limit.max) : "at most " + Num(limit.max)) +
                  " (" + limit.what + ")");
    }
  }

  Problems* p_;
};

}  // namespace

double NumberAt(const Message& m, const FieldDescriptor* f, int index) {
  const auto* r = m.GetReflection();
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: return rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f);
    case FieldDescriptor::CPPTYPE_INT64:
      return static_cast<double>(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32: return rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f);
    case FieldDescriptor::CPPTYPE_UINT64:
      return static_cast<double>(rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f));
    case FieldDescriptor::CPPTYPE_DOUBLE: return rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f);
    case FieldDescriptor::CPPTYPE_FLOAT: return rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f);
    default: return 0;
  }
}

bool LimitOf(const FieldDescriptor* field, FieldLimit* out) {
  const std::string& type = field->containing_type()->name();
  for (const Named& n : kNamed) {
    if (type == n.message && field->name() == n.field) {
      *out = n.limit;
      return true;
    }
  }
  return LimitByUnit(field->name(), out);
}

void ValidateLimits(const proto::Scenario& scenario, Problems* problems) {
  LimitWalker(problems).Walk(scenario, "", nullptr);
  // Listed employees and root teams once; every other team once per division.
  const double divisions = std::max(1, scenario.organization().divisions());
  double people = scenario.organization().employees_size();
  for (const proto::Team& t : scenario.organization().teams()) {
    people += std::max(0, t.size()) * (t.parent().empty() ? 1 : divisions);
  }
  if (people > kMaxEmployees) {
    problems->Add(scenario.organization(), nullptr, -1,
                  "organization: the teams and employees add up to " + Num(people) + " people; at most " +
                      Num(kMaxEmployees) + " are supported");
  }
}

}  // namespace clawsim::scenario
