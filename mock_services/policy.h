// Permission gate: a compiled policy that decides deny / ask / allow for every request.
//
// Rules. A policy is a list of rules. Each rule names a principal pattern, one action, a
// mode and conditions:
//   principal  principal_type (human, agent or any) plus optional role, team, employee,
//              agent profile and agent id (kAnyId = wildcard). For an agent, role, team and
//              employee are those of its owner. A pattern that names a profile or an agent
//              only matches agents.
//   mode       kDeny, kAsk (a human approves; see approval_queue.h) or kAllow.
//   scope      kOwn: the target belongs to the acting employee (or the agent's owner);
//              kTeam: it belongs to them or to their team; kAny: any target.
//   rate       at most rate_max_requests per rate_window_us (0 = unlimited), counted per
//              principal (each agent, each human) in aligned windows (rate_limit.h).
//   hours      kAlways, kWorkingHoursOnly or kOffHoursOnly, by the policy's WorkCalendar.
//   freeze     kAlways, kOutsideFreezeOnly or kInFreezeOnly (the target's freeze flag).
//   blast      max_transitive_dependents: the rule applies only when the target service has
//              at most this many transitive dependents (kNoLimit = any).
// A rule applies to a request when its principal pattern, action and every condition match.
//
// Decision for one principal (Cedar-like):
//   1. any applicable deny rule            -> deny
//   2. the most permissive applicable allow/ask rule whose rate limit has room -> its mode
//      (allow beats ask; an exhausted allow falls back to an applicable ask)
//   3. applicable allow/ask rules exist but all are out of budget -> rate_limited
//   4. nothing applies                     -> deny (default deny); on the agent side, the
//      policy's agent_default_mode instead (deny unless the scenario says otherwise)
//
// Owner bound. An agent never gets a right its owner lacks: an agent's request is decided
// twice, once for the agent (rules of type agent or any) and once for its owner as a human
// doing the same thing (rules of type human or any), and the more restrictive result wins
// (deny < rate_limited < ask < allow). Owner rights are thus given by human (or any) rules
// keyed on role, team or employee. The owner's rate budget is shared by the owner and all of
// their agents, because an agent acts on the owner's behalf.
//
// Approver of an ask: the rule's `approver`; kNoId means "the agent's owner". A rule that can
// match a human with mode ask must name an approver (nobody approves their own request).
// When both decisions ask, the owner side's approver wins (the owner could not approve it).
//
// Threading. A compiled Policy is immutable and shared by all threads. RateState is mutable,
// per principal, and owned by the LP that holds the principal (the employee's LP).
// Decide() allocates nothing.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "mock_services/action.h"
#include "mock_services/ids.h"
#include "mock_services/rate_limit.h"
#include "mock_services/work_calendar.h"
#include "sim/common/status.h"
#include "sim/engine/time.h"

namespace clawsim::services {

inline constexpr uint32_t kAnyId = UINT32_MAX;    // wildcard in a principal pattern
inline constexpr uint32_t kNoLimit = UINT32_MAX;  // no blast-radius limit
inline constexpr uint16_t kNoRule = UINT16_MAX;   // decided by default deny
// In audit records: the decision came from the service itself (its own rate limit).
inline constexpr uint16_t kServiceRule = UINT16_MAX - 1;
// In audit records: a defense acted on an agent (a circuit breaker tripped or restored, or its
// memory was quarantined), or a breaker held an agent's action; object_id says which
// (sim/model/threats.h).
inline constexpr uint16_t kDefenseRule = UINT16_MAX - 2;

enum class Mode : uint8_t { kDeny = 0, kAsk = 1, kAllow = 2 };  // ordered by permissiveness
enum class PrincipalType : uint8_t { kAny, kHuman, kAgent };
enum class Scope : uint8_t { kOwn, kTeam, kAny };
enum class HoursCondition : uint8_t { kAlways, kWorkingHoursOnly, kOffHoursOnly };
enum class FreezeCondition : uint8_t { kAlways, kOutsideFreezeOnly, kInFreezeOnly };

const char* ModeName(Mode m);

struct Rule {
  std::string name;  // for error messages and reports; may be empty
  // Principal pattern.
  PrincipalType principal_type = PrincipalType::kAny;
  RoleId role = kAnyId;
  TeamId team = kAnyId;
  EmployeeId employee = kAnyId;
  ProfileId profile = kAnyId;
  AgentId agent = kAnyId;
  // What and how.
  Action action = Action::kEmailRead;
  Mode mode = Mode::kDeny;
  // Conditions.
  Scope scope = Scope::kAny;
  uint32_t rate_max_requests = 0;               // 0: no rate limit
  engine::TimeUs rate_window_us = engine::kUsPerHour;
  HoursCondition hours = HoursCondition::kAlways;
  FreezeCondition freeze = FreezeCondition::kAlways;
  uint32_t max_transitive_dependents = kNoLimit;
  EmployeeId approver = kNoId;                  // for kAsk; kNoId: the agent's owner
};

// Who asks. For a human acting directly, agent = kNoId.
struct Actor {
  AgentId agent = kNoId;
  ProfileId profile = kNoId;  // the agent's profile (ignored for humans)
  EmployeeId employee = 0;    // the agent's owner, or the human
  RoleId role = 0;            // of `employee`
  TeamId team = 0;            // of `employee`
};

// What the request acts on, as far as the gate needs to know.
struct Target {
  uint32_t id = 0;                     // mailbox owner, channel, service, ... (for the audit log)
  EmployeeId owner = kNoId;            // the employee it belongs to, if any
  TeamId team = kNoId;                 // the team it belongs to, if any
  uint32_t transitive_dependents = 0;  // for services: blast radius
  bool in_freeze = false;              // for services: inside a freeze window now
};

struct GateRequest {
  Actor actor;
  Action action = Action::kEmailRead;
  Target target;
  engine::TimeUs now_us = 0;
};

enum class Verdict : uint8_t { kDeny = 0, kRateLimited = 1, kAsk = 2, kAllow = 3 };  // restrictive first
const char* VerdictName(Verdict v);

struct GateResult {
  Verdict verdict = Verdict::kDeny;
  uint16_t rule = kNoRule;       // the deciding rule (index into the policy's rule list)
  EmployeeId approver = kNoId;   // for kAsk: who must approve
};

// Per-principal rate-limit counters, one per rate-limited rule. Make with
// Policy::MakeRateState(); owned by the principal's LP.
struct RateState {
  std::vector<FixedWindowCounter> counters;
};

class Policy {
 public:
  // Checks and compiles `rules` (messages name the rule by index and name, and the fix).
  // `agent_default_mode`: what an agent's request that no agent-side rule matches gets
  // (deny, ask its owner, or allow); the owner bound still applies.
  static Status Compile(std::vector<Rule> rules, const WorkCalendar& calendar, Policy* out,
                        Mode agent_default_mode = Mode::kDeny);

  // Decides and, for allow and ask, consumes rate budget: the agent side's deciding rule in
  // `agent_rates` (may be null for a human request) and the owner side's in `owner_rates`.
  GateResult Decide(const GateRequest& request, RateState* agent_rates, RateState* owner_rates) const;
  // The same decision without consuming anything.
  GateResult Evaluate(const GateRequest& request, const RateState* agent_rates,
                      const RateState* owner_rates) const;

  RateState MakeRateState() const { return RateState{std::vector<FixedWindowCounter>(num_rate_slots_)}; }
  const std::vector<Rule>& rules() const { return rules_; }
  const WorkCalendar& calendar() const { return calendar_; }

 private:
  // A rule in the form Decide reads: flat, 48 bytes, no strings.
  struct Compiled {
    uint32_t role, team, employee, profile, agent;
    uint32_t max_dependents;
    engine::TimeUs rate_window_us;
    uint32_t rate_max;
    EmployeeId approver;
    uint16_t rate_slot;
    uint16_t index;
    Mode mode;
    Scope scope;
    HoursCondition hours;
    FreezeCondition freeze;
  };
  struct SideResult {
    Verdict verdict;
    const Compiled* rule;  // deciding rule, or null for default deny / rate limit
  };
  struct Span {
    uint32_t begin = 0, end = 0;
  };
  // Lazily computed facts shared by both sides of one decision.
  struct Facts {
    const WorkCalendar* calendar;
    engine::TimeUs now_us;
    int8_t working = -1;  // -1: not computed yet
    bool Working() {
      if (working < 0) working = calendar->IsWorking(now_us) ? 1 : 0;
      return working == 1;
    }
  };

  SideResult DecideSide(Span span, const GateRequest& r, bool as_agent, const RateState* rates, Facts& facts) const;
  GateResult Combine(const GateRequest& r, SideResult agent, SideResult owner) const;
  GateResult Resolve(const GateRequest& r, const RateState* agent_rates, const RateState* owner_rates,
                     SideResult* agent_out, SideResult* owner_out) const;

  std::vector<Rule> rules_;
  std::vector<Compiled> compiled_;  // per action: agent side, then human side; deny, allow, ask
  std::array<Span, kNumActions> agent_side_{};
  std::array<Span, kNumActions> human_side_{};
  uint32_t num_rate_slots_ = 0;
  WorkCalendar calendar_;
  Mode agent_default_ = Mode::kDeny;
};

}  // namespace clawsim::services
