#include "sim/telemetry/features.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <tuple>

namespace clawsim::telemetry {
namespace {

// Daily aggregates. Employees and agents share the layout; each fills its own.
enum Agg : int {
  kTokens,
  kCalls,
  kIdleCalls,        // no work item and no tool call: output nobody acts on
  kHeartbeatCalls,
  kCronCalls,
  kCronRepeats,      // cron calls of an (agent, skill) beyond its first that day
  kOffHoursTokens,
  kItems,            // items touched (employees)
  kChanges,          // changes coded (employees)
  kHeartbeatGapMin,  // minutes between consecutive heartbeat calls of one agent, summed
  kHeartbeatGaps,
  kActions,          // tool calls (agents)
  kRefused,
  kExternalMail,
  kProdDeploys,
  kWrites,           // tool calls other than reads (*.read)
  kUntraced,         // writes with no model call logged for them
  kOffHoursActions,
  kAggs
};

double Ratio(double a, double b) { return b > 0 ? a / b : kNaN; }

bool OffHours(int64_t t_us) {
  const int64_t hour = (t_us % kUsPerDay) / 3'600'000'000;
  return hour < kOffHoursBefore || hour >= kOffHoursFrom;
}

}  // namespace

double Median(std::vector<double> v) {
  if (v.empty()) return kNaN;
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  const double hi = v[mid];
  if (v.size() % 2 == 1) return hi;
  return (*std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid)) + hi) / 2;
}

const std::vector<FeatureDef>& Features() {
  static const std::vector<FeatureDef> kAll = {
      {"tokens_per_day", Entity::kEmployee, "tokens/day", "input + output tokens of the person's agents"},
      {"calls_per_day", Entity::kEmployee, "calls/day", "model calls of the person's agents"},
      {"tokens_per_change", Entity::kEmployee, "tokens/change", "tokens per code change coded (at least 1 change)"},
      {"tokens_per_item", Entity::kEmployee, "tokens/item", "tokens per work item the person or their agents touched (at least 1)"},
      {"idle_call_share", Entity::kEmployee, "fraction", "calls with no work item and no tool call: output nobody acts on"},
      {"heartbeat_calls_per_day", Entity::kEmployee, "calls/day", "heartbeat-triggered calls"},
      {"heartbeat_interval_minutes", Entity::kEmployee, "minutes", "mean gap between an agent's consecutive heartbeats within a day"},
      {"cron_calls_per_day", Entity::kEmployee, "calls/day", "cron-triggered calls"},
      {"repeated_cron_share", Entity::kEmployee, "fraction", "cron calls repeating an (agent, skill) already run that day"},
      {"offhours_token_share", Entity::kEmployee, "fraction", "tokens of calls started before 07:00 or from 20:00"},
      {"rank_boundary_gap_share", Entity::kEmployee, "fraction",
       "tokens the person needs to reach the nearest leaderboard boundary above them (rank 10, the top quarter or the "
       "median of everyone with tokens in the window), over their own tokens; undefined at rank 10 or above"},
      {"agent_tokens_per_day", Entity::kAgent, "tokens/day", "the agent's input + output tokens"},
      {"agent_calls_per_day", Entity::kAgent, "calls/day", "the agent's model calls"},
      {"actions_per_day", Entity::kAgent, "tool calls/day", "tool calls the agent requested"},
      {"refused_share", Entity::kAgent, "fraction", "tool calls not allowed (denied, rate limited, rejected, expired)"},
      {"external_mail_per_day", Entity::kAgent, "tool calls/day", "email.send_external requests"},
      {"prod_deploys_per_day", Entity::kAgent, "tool calls/day", "deploy.prod requests"},
      {"untraced_write_share", Entity::kAgent, "fraction", "writes (tool calls other than *.read) with no model call logged for them: a session used outside the platform"},
      {"offhours_action_share", Entity::kAgent, "fraction", "tool calls before 07:00 or from 20:00"},
  };
  return kAll;
}

int FindFeature(const std::string& name) {
  const std::vector<FeatureDef>& all = Features();
  for (size_t i = 0; i < all.size(); ++i) {
    if (name == all[i].name) return static_cast<int>(i);
  }
  return -1;
}

FeatureTable::FeatureTable(const Telemetry& t, Entity entity) : entity_(entity), days_(t.header.days) {
  const bool people = entity == Entity::kEmployee;
  n_ = static_cast<uint32_t>(people ? t.people.size() : t.agents.size());
  // Teams, in first-seen order of the people.
  std::map<std::string, uint32_t> team_index;
  std::vector<uint32_t> person_team(t.people.size());
  for (size_t e = 0; e < t.people.size(); ++e) {
    auto [it, added] = team_index.emplace(t.people[e].team, static_cast<uint32_t>(teams_.size()));
    if (added) teams_.push_back(t.people[e].team);
    person_team[e] = it->second;
  }
  team_.resize(n_);
  for (uint32_t e = 0; e < n_; ++e) team_[e] = people ? person_team[e] : person_team[t.agents[e].owner];

  std::vector<double> daily(size_t{n_} * days_ * kAggs, 0.0);
  auto at = [&](uint32_t e, uint32_t d, int agg) -> double& { return daily[(size_t{e} * days_ + d) * kAggs + agg]; };
  auto day_of = [&](int64_t t_us) { return static_cast<uint32_t>(std::clamp<int64_t>(t_us / kUsPerDay, 0, days_ - 1)); };
  auto named = [](const std::vector<std::string>& table, const char* name) {
    auto it = std::find(table.begin(), table.end(), name);
    return it == table.end() ? UINT32_MAX : static_cast<uint32_t>(it - table.begin());
  };
  const uint32_t heartbeat = named(t.triggers, "heartbeat");
  const uint32_t cron = named(t.triggers, "cron");
  const uint32_t external_mail = named(t.actions, "email.send_external");
  const uint32_t deploy_prod = named(t.actions, "deploy.prod");

  std::vector<int64_t> last_heartbeat(t.agents.size(), -1);
  std::map<std::tuple<uint32_t, uint32_t, uint32_t>, uint32_t> cron_runs;  // (day, agent, skill) -> runs
  for (const Invocation& inv : t.invocations) {
    const uint32_t e = people ? inv.employee : inv.agent;
    const uint32_t d = day_of(inv.start_us);
    const double tokens = static_cast<double>(inv.input_tokens + inv.output_tokens);
    at(e, d, kTokens) += tokens;
    at(e, d, kCalls) += 1;
    if (!inv.worked_on_item && inv.actions == 0) at(e, d, kIdleCalls) += 1;
    if (OffHours(inv.start_us)) at(e, d, kOffHoursTokens) += tokens;
    if (inv.trigger == heartbeat) {
      at(e, d, kHeartbeatCalls) += 1;
      int64_t& last = last_heartbeat[inv.agent];
      if (last >= 0 && day_of(last) == d) {
        at(e, d, kHeartbeatGapMin) += static_cast<double>(inv.start_us - last) / 60e6;
        at(e, d, kHeartbeatGaps) += 1;
      }
      last = inv.start_us;
    }
    if (inv.trigger == cron) {
      at(e, d, kCronCalls) += 1;
      if (cron_runs[{d, inv.agent, inv.skill}]++ > 0) at(e, d, kCronRepeats) += 1;
    }
  }
  for (const Action& a : t.tool_calls) {
    const uint32_t e = people ? a.employee : a.agent;
    const uint32_t d = day_of(a.time_us);
    at(e, d, kActions) += 1;
    if (IsRefusal(t.decisions[a.decision])) at(e, d, kRefused) += 1;
    if (a.action == external_mail) at(e, d, kExternalMail) += 1;
    if (a.action == deploy_prod) at(e, d, kProdDeploys) += 1;
    const std::string& name = t.actions[a.action];
    const bool read = name.size() >= 5 && name.compare(name.size() - 5, 5, ".read") == 0;
    if (!read) at(e, d, kWrites) += 1;
    if (!read && a.invocation == UINT64_MAX) at(e, d, kUntraced) += 1;
    if (OffHours(a.time_us)) at(e, d, kOffHoursActions) += 1;
  }
  if (people) {
    for (const EmployeeDay& r : t.employee_days) {
      if (r.employee >= n_ || r.day >= days_) continue;
      at(r.employee, r.day, kItems) += static_cast<double>(r.items_touched);
      at(r.employee, r.day, kChanges) += static_cast<double>(r.changes_coded);
    }
  }
  prefix_.assign(size_t{n_} * (days_ + 1) * kAggs, 0.0);
  for (uint32_t e = 0; e < n_; ++e) {
    for (uint32_t d = 0; d < days_; ++d) {
      for (int g = 0; g < kAggs; ++g) {
        prefix_[(size_t{e} * (days_ + 1) + d + 1) * kAggs + g] = prefix_[(size_t{e} * (days_ + 1) + d) * kAggs + g] + at(e, d, g);
      }
    }
  }
}

double FeatureTable::Sum(uint32_t e, int agg, uint32_t first, uint32_t last) const {
  const size_t row = size_t{e} * (days_ + 1);
  return prefix_[(row + last + 1) * kAggs + agg] - prefix_[(row + first) * kAggs + agg];
}

double FeatureTable::RankBoundaryGap(uint32_t e, uint32_t first, uint32_t last) const {
  const double own = Sum(e, kTokens, first, last);
  if (!(own > 0)) return kNaN;
  std::vector<double> others;  // everyone's window tokens, the person's own included
  others.reserve(n_);
  for (uint32_t o = 0; o < n_; ++o) {
    const double v = Sum(o, kTokens, first, last);
    if (v > 0) others.push_back(v);
  }
  const size_t m = others.size();
  size_t rank = 1;  // 1 = the most tokens; ties share the better rank
  for (double v : others) rank += v > own;
  // The visible cut lines, as ranks: the top ten, the top quarter, the median.
  size_t boundary = 0;
  for (size_t b : {size_t{10}, (m + 3) / 4, (m + 1) / 2}) {
    if (b >= 1 && b < rank) boundary = std::max(boundary, b);
  }
  if (boundary == 0) return kNaN;
  std::nth_element(others.begin(), others.begin() + static_cast<std::ptrdiff_t>(boundary - 1), others.end(),
                   std::greater<double>());
  return std::max(0.0, (others[boundary - 1] - own) / own);
}

double FeatureTable::Value(int f, uint32_t e, uint32_t first, uint32_t last) const {
  const double days = static_cast<double>(last - first + 1);
  auto s = [&](int agg) { return Sum(e, agg, first, last); };
  switch (f) {
    case 0: return s(kTokens) / days;
    case 1: return s(kCalls) / days;
    case 2: return s(kTokens) / std::max(1.0, s(kChanges));
    case 3: return s(kTokens) / std::max(1.0, s(kItems));
    case 4: return Ratio(s(kIdleCalls), s(kCalls));
    case 5: return s(kHeartbeatCalls) / days;
    case 6: return Ratio(s(kHeartbeatGapMin), s(kHeartbeatGaps));
    case 7: return s(kCronCalls) / days;
    case 8: return Ratio(s(kCronRepeats), s(kCronCalls));
    case 9: return Ratio(s(kOffHoursTokens), s(kTokens));
    case 10: return RankBoundaryGap(e, first, last);
    case 11: return s(kTokens) / days;
    case 12: return s(kCalls) / days;
    case 13: return s(kActions) / days;
    case 14: return Ratio(s(kRefused), s(kActions));
    case 15: return s(kExternalMail) / days;
    case 16: return s(kProdDeploys) / days;
    case 17: return Ratio(s(kUntraced), s(kWrites));
    case 18: return Ratio(s(kOffHoursActions), s(kActions));
  }
  return kNaN;
}

}  // namespace clawsim::telemetry
