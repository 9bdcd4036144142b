// World: the read-only facts of one run, built once from a compiled scenario and the seed.
//
// Everything here is shared by all threads and never changes while the engine runs (an
// intervention rebuilds the parts it touches between two RunUntil calls). It holds:
//   - the LP layout: employees first, then chat channels, then deployable services;
//   - per-employee facts drawn from the scenario's distributions (traits, agents);
//   - the reporting graph (Boost.Graph) and what is derived from it;
//   - the compiled permission policy that every agent action passes through.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "mock_services/approval_queue.h"
#include "mock_services/chat.h"
#include "mock_services/deploy_catalog.h"
#include "mock_services/deploy_service.h"
#include "mock_services/email.h"
#include "mock_services/policy.h"
#include "mock_services/work_calendar.h"
#include "sim/common/status.h"
#include "sim/engine/event.h"
#include "sim/engine/rng.h"
#include "sim/model/seat.h"
#include "sim/scenario/compiled_scenario.h"

namespace clawsim::model {

using engine::LpId;
using engine::TimeUs;
using scenario::EmployeeId;
using scenario::kNoId;

// Every message between two LPs (mail, chat, reviews, deploy requests, pages, approvals)
// takes at least this long; it is also the engine's lookahead.
inline constexpr TimeUs kMinCrossLpLatencyUs = 60 * engine::kUsPerSecond;

struct Traits {
  double competitiveness = 0.5;       // [0, 1]
  double pressure_sensitivity = 0.5;  // [0, 1]
  double automation_trust = 0.5;      // [0, 1]
  double skill = 0.5;                 // [0, 1]: scales code quality and working speed
  double codebase_familiarity = 0.5;  // [0, 1]: how much of an agent's help a person forgoes
  double work_suitability = 0.5;      // [0, 1]: how suited their changes are to an agent, on average
};

// One agent: created from a profile for an owner.
struct AgentInfo {
  uint32_t agent_id = 0;  // dense over the run
  EmployeeId owner = 0;
  scenario::ProfileId profile = 0;
  bool external = false;  // driven by a seat's client, not the surrogate (seat.h)
};

// A person's teammates: their team's members without them, ascending. A view of the team's
// one member list (the compiled scenario's), so nobody holds a copy of their team.
class Teammates {
 public:
  Teammates() = default;
  // `members` ascending; `self` the person's index among them.
  Teammates(const std::vector<EmployeeId>& members, uint32_t self)
      : members_(members.data()), count_(static_cast<uint32_t>(members.size())), self_(self) {}
  size_t size() const { return count_ == 0 ? 0 : count_ - 1; }
  bool empty() const { return size() == 0; }
  EmployeeId operator[](size_t i) const { return members_[i < self_ ? i : i + 1]; }

 private:
  const EmployeeId* members_ = nullptr;
  uint32_t count_ = 0;
  uint32_t self_ = 0;
};

struct EmployeeInfo {
  Traits traits;
  std::vector<uint32_t> agents;        // agent ids owned
  Teammates teammates;                 // same team, excluding self, ascending
  std::span<const scenario::ServiceId> services;  // owned by the team (where code changes deploy): World::team_services
  EmployeeId approver = kNoId;         // who decides this employee's agents' asks
  uint32_t reporting_depth = 0;        // edges up to the top of the reporting graph
};

struct World {
  const scenario::CompiledScenario* scenario = nullptr;
  uint64_t seed = 0;
  uint32_t num_employees = 0;
  LpId first_channel_lp = 0;
  LpId first_service_lp = 0;
  LpId num_lps = 0;
  TimeUs lookahead_us = 0;  // the shortest cross-LP latency in the scenario
  std::vector<EmployeeInfo> employees;
  std::vector<AgentInfo> agents;
  std::vector<std::vector<EmployeeId>> channel_members;  // by channel, ascending
  std::vector<services::TeamId> team_of_employee;  // by employee (kAnyId: none)
  // By employee: their role, one byte each, so that picking a colleague at random reads a
  // byte that stays in cache instead of the colleague's whole scenario record.
  std::vector<scenario::Role> role_of_employee;
  std::vector<std::vector<scenario::ServiceId>> team_services;  // by team: the services it owns
  std::vector<std::vector<EmployeeId>> team_developers;  // by team: its developers, ascending (who review its changes)
  // By circuit breaker: the owners of the agents a GROUP breaker holds, ascending (empty for
  // the other scopes).
  std::vector<std::vector<EmployeeId>> breaker_group_owners;
  services::WorkCalendar calendar;
  services::Policy policy;
  services::ServiceCatalog catalog;   // deployable services and their dependency graph
  services::DeployOptions deploy;     // pipeline stages, incident severities and spread
  services::ChatOptions chat;
  services::EmailOptions email;
  services::FatigueCurve fatigue;     // approvers' accuracy against approvals decided today
  uint32_t max_reporting_depth = 0;
  bool without_agents = false;
  // External seats (seat.h), in the order given; empty for an ordinary run.
  std::vector<SeatInfo> seats;
  std::vector<uint32_t> seat_of_employee;  // by employee: its seat, or kNoSeat (empty without seats)

  LpId ChannelLp(uint32_t channel) const { return first_channel_lp + channel; }
  LpId ServiceLp(uint32_t service) const { return first_service_lp + service; }
  bool IsEmployeeLp(LpId lp) const { return lp < first_channel_lp; }
  bool IsChannelLp(LpId lp) const { return lp >= first_channel_lp && lp < first_service_lp; }
};

// The developers of `e`'s team other than `e`, who review `e`'s code changes (empty when `e`
// has no team or is not one of its developers).
Teammates ReviewersOf(const World& w, EmployeeId e);

// Builds the world. Random facts (traits, which employees adopt which agents) come from
// streams derived from the seed, separate from the engine's per-LP streams. With
// `without_agents` nobody adopts an agent (the counterfactual twin): every other draw is
// the same.
Status BuildWorld(const scenario::CompiledScenario& scenario, uint64_t seed, World* world, bool without_agents = false);

// Makes `employees` external seats (seat.h): each drives its first agent, or an agent of
// `profile` added at the end of the agent list when it has none (no other draw moves). An
// employee named twice is refused. Call after BuildWorld.
Status AddSeats(const std::vector<EmployeeId>& employees, scenario::ProfileId profile, World* world);

// Whether a GROUP circuit breaker's named group holds an agent of `profile` owned by `owner`.
bool InBreakerGroup(const scenario::CompiledScenario& scenario, const scenario::CircuitBreaker& breaker,
                    EmployeeId owner, scenario::ProfileId profile);

// Stream salts for the employee LP's own streams (work arrivals, backlog), apart from the
// engine's per-LP stream so that what agents do never shifts what work arrives.
inline constexpr uint64_t kWorkStreamSalt = 0x776f726b00000003ULL;
inline constexpr uint64_t kBacklogStreamSalt = 0x6261636b00000004ULL;
inline constexpr uint64_t kAgentStreamSalt = 0x6167656e74000005ULL;
inline constexpr uint64_t kThreatStreamSalt = 0x7468726561000006ULL;
inline constexpr uint64_t kAttackMailStreamSalt = 0x6d61696c00000007ULL;
// A change's suitability for an agent is drawn from its own stream, keyed by the change, so
// it is the same whenever it is looked at and moves no other draw.
inline constexpr uint64_t kSuitabilityStreamSalt = 0x7375697400000008ULL;
// A backlog change a person hands their agent unassigned is drawn from its own stream, keyed
// by the change: the person's own backlog pulls keep their draws.
inline constexpr uint64_t kUnassignedStreamSalt = 0x756e617300000009ULL;

// The services' gate rules for a compiled scenario policy (exposed for tests).
std::vector<services::Rule> GateRules(const scenario::CompiledScenario& scenario, const World& world);

// Samples a scenario distribution with the given stream.
double Sample(const scenario::Distribution& d, engine::Rng& rng);

}  // namespace clawsim::model
