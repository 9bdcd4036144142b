#include "sim/model/partition.h"

#include <algorithm>

namespace clawsim::model {

namespace {

// A rough relative measure of an employee's events per working day: a fixed part (the day's
// start, agents' heartbeats and jobs, chat relays) plus a part per arriving work item (its
// arrival, delivery, reading, answering and the agents' reactions). The constant matches
// the shipped baseline, where a manager or other person sees about a fifth more events than
// a developer; a poor guess only costs balance, never a result.
double ExpectedEventsPerDay(const scenario::RoleProfile& role) {
  constexpr double kFixedEventsPerDay = 30;
  return kFixedEventsPerDay + role.emails.per_day + role.chat_requests.per_day + role.code.changes.per_day;
}

}  // namespace

uint32_t PartitionsFor(const World& world, uint32_t threads) {
  constexpr uint32_t kEmployeesPerExtraPartition = 12'500;
  constexpr uint32_t kMaxPartitionsPerThread = 8;
  const uint32_t per_thread = std::clamp<uint32_t>(world.num_employees / kEmployeesPerExtraPartition, 1, kMaxPartitionsPerThread);
  return std::max<uint32_t>(1, threads) * per_thread;
}

std::vector<uint32_t> PartitionLps(const World& world, uint32_t partitions) {
  const uint32_t n = world.num_employees;
  partitions = std::max<uint32_t>(1, std::min(partitions, world.num_lps));
  std::vector<uint32_t> of(world.num_lps, 0);
  const scenario::CompiledScenario& s = *world.scenario;
  // Contiguous blocks of about equal expected work.
  std::vector<double> weight(n);
  double total = 0;
  for (EmployeeId e = 0; e < n; ++e) {
    weight[e] = ExpectedEventsPerDay(s.role(s.organization.employees[e].role));
    total += weight[e];
  }
  double before = 0;
  for (EmployeeId e = 0; e < n; ++e) {
    of[e] = std::min(partitions - 1, static_cast<uint32_t>((before + weight[e] / 2) / total * partitions));
    before += weight[e];
  }
  auto employee_partition = [&](EmployeeId e) { return of[e]; };
  for (uint32_t c = 0; c < world.channel_members.size(); ++c) {
    const std::vector<EmployeeId>& members = world.channel_members[c];
    of[world.ChannelLp(c)] = members.empty() ? c % partitions : employee_partition(members[members.size() / 2]);
  }
  // The members of each team, for the services' owners.
  std::vector<std::vector<EmployeeId>> team_members(s.organization.teams.size());
  for (EmployeeId e = 0; e < n; ++e) {
    const scenario::TeamId team = s.organization.employees[e].team;
    if (team < team_members.size()) team_members[team].push_back(e);
  }
  for (uint32_t v = 0; v < s.deploy.services.size(); ++v) {
    const scenario::TeamId team = s.deploy.services[v].owner_team;
    const bool owned = team < team_members.size() && !team_members[team].empty();
    of[world.ServiceLp(v)] = owned ? employee_partition(team_members[team][team_members[team].size() / 2]) : v % partitions;
  }
  return of;
}

}  // namespace clawsim::model
