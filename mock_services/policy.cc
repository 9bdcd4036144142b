#include "mock_services/policy.h"

#include <algorithm>
#include <string>

namespace clawsim::services {

const char* ModeName(Mode m) {
  switch (m) {
    case Mode::kDeny: return "deny";
    case Mode::kAsk: return "ask";
    case Mode::kAllow: return "allow";
  }
  return "?";
}

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kDeny: return "deny";
    case Verdict::kRateLimited: return "rate_limited";
    case Verdict::kAsk: return "ask";
    case Verdict::kAllow: return "allow";
  }
  return "?";
}

namespace {

std::string RuleLabel(size_t i, const Rule& r) {
  std::string s = "policy rule " + std::to_string(i);
  if (!r.name.empty()) s += " \"" + r.name + "\"";
  return s + " (" + std::string(ActionName(r.action)) + ", " + ModeName(r.mode) + ")";
}

bool AgentOnly(const Rule& r) { return r.profile != kAnyId || r.agent != kAnyId; }
bool CanMatchAgent(const Rule& r) { return r.principal_type != PrincipalType::kHuman; }
bool CanMatchHuman(const Rule& r) { return r.principal_type != PrincipalType::kAgent && !AgentOnly(r); }

// Order inside one (action, side) group: deny rules, then allow, then ask, each in rule
// order. Decide can then stop at the first applicable permit rule with room.
int ModeRank(Mode m) { return m == Mode::kDeny ? 0 : (m == Mode::kAllow ? 1 : 2); }

}  // namespace

Status Policy::Compile(std::vector<Rule> rules, const WorkCalendar& calendar, Policy* out, Mode agent_default_mode) {
  Status cal = calendar.Validate();
  if (!cal.ok()) return Status::Error("policy: " + cal.message());
  if (rules.size() >= kServiceRule) return Status::Error("policy: too many rules (at most 65533)");
  for (size_t i = 0; i < rules.size(); ++i) {
    const Rule& r = rules[i];
    if (ActionIndex(r.action) < 0 || ActionIndex(r.action) >= kNumActions) {
      return Status::Error(RuleLabel(i, r) + ": unknown action");
    }
    if (AgentOnly(r) && r.principal_type == PrincipalType::kHuman) {
      return Status::Error(RuleLabel(i, r) + ": names an agent profile or agent but has principal_type human; "
                           "use principal_type agent");
    }
    if (r.rate_max_requests > 0 && r.mode == Mode::kDeny) {
      return Status::Error(RuleLabel(i, r) + ": a deny rule cannot have a rate limit; remove rate_max_requests");
    }
    if (r.rate_max_requests > 0 && r.rate_window_us <= 0) {
      return Status::Error(RuleLabel(i, r) + ": rate_window_us must be > 0 when rate_max_requests is set");
    }
    if (r.mode == Mode::kAsk && CanMatchHuman(r) && r.approver == kNoId) {
      return Status::Error(RuleLabel(i, r) + ": an ask rule that can match a human must name an approver "
                           "(nobody approves their own request); set approver or principal_type agent");
    }
  }

  Policy p;
  p.calendar_ = calendar;
  auto compile_one = [&](size_t i) {
    const Rule& r = rules[i];
    Compiled c{};
    c.role = r.role;
    c.team = r.team;
    c.employee = r.employee;
    c.profile = r.profile;
    c.agent = r.agent;
    c.max_dependents = r.max_transitive_dependents;
    c.rate_window_us = r.rate_window_us;
    c.rate_max = r.rate_max_requests;
    c.approver = r.approver;
    c.rate_slot = UINT16_MAX;
    c.index = static_cast<uint16_t>(i);
    c.mode = r.mode;
    c.scope = r.scope;
    c.hours = r.hours;
    c.freeze = r.freeze;
    return c;
  };
  // One rate slot per rate-limited rule; a rule of type "any" uses the same slot on both
  // sides, which is right because a RateState belongs to one principal.
  std::vector<uint16_t> slot(rules.size(), UINT16_MAX);
  for (size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].rate_max_requests > 0) slot[i] = static_cast<uint16_t>(p.num_rate_slots_++);
  }
  for (int a = 0; a < kNumActions; ++a) {
    for (int side = 0; side < 2; ++side) {
      const uint32_t begin = static_cast<uint32_t>(p.compiled_.size());
      for (int rank = 0; rank < 3; ++rank) {
        for (size_t i = 0; i < rules.size(); ++i) {
          const Rule& r = rules[i];
          if (ActionIndex(r.action) != a || ModeRank(r.mode) != rank) continue;
          if (side == 0 ? !CanMatchAgent(r) : !CanMatchHuman(r)) continue;
          Compiled c = compile_one(i);
          c.rate_slot = slot[i];
          p.compiled_.push_back(c);
        }
      }
      const Span span{begin, static_cast<uint32_t>(p.compiled_.size())};
      (side == 0 ? p.agent_side_ : p.human_side_)[static_cast<size_t>(a)] = span;
    }
  }
  p.rules_ = std::move(rules);
  p.agent_default_ = agent_default_mode;
  *out = std::move(p);
  return Status::Ok();
}

Policy::SideResult Policy::DecideSide(Span span, const GateRequest& r, bool as_agent, const RateState* rates,
                                      Facts& facts) const {
  const Actor& a = r.actor;
  const Target& t = r.target;
  bool exhausted = false;
  for (uint32_t k = span.begin; k < span.end; ++k) {
    const Compiled& c = compiled_[k];
    // Principal pattern (for the owner side, agent fields are wildcards by construction).
    if ((c.role != kAnyId && c.role != a.role) || (c.team != kAnyId && c.team != a.team) ||
        (c.employee != kAnyId && c.employee != a.employee)) {
      continue;
    }
    if (as_agent && ((c.profile != kAnyId && c.profile != a.profile) || (c.agent != kAnyId && c.agent != a.agent))) {
      continue;
    }
    // Conditions.
    if (c.scope != Scope::kAny) {
      const bool own = t.owner == a.employee;
      const bool team = own || (t.team != kNoId && t.team == a.team);
      if (!(c.scope == Scope::kOwn ? own : team)) continue;
    }
    if (t.transitive_dependents > c.max_dependents) continue;
    if (c.freeze != FreezeCondition::kAlways && (c.freeze == FreezeCondition::kInFreezeOnly) != t.in_freeze) continue;
    if (c.hours != HoursCondition::kAlways && (c.hours == HoursCondition::kWorkingHoursOnly) != facts.Working()) {
      continue;
    }
    if (c.mode == Mode::kDeny) return {Verdict::kDeny, &c};
    if (c.rate_max > 0 && rates != nullptr &&
        !rates->counters[c.rate_slot].HasRoom(r.now_us, c.rate_window_us, c.rate_max)) {
      exhausted = true;
      continue;
    }
    // Deny rules come first, so no later rule can deny; allow rules precede ask rules.
    return {c.mode == Mode::kAllow ? Verdict::kAllow : Verdict::kAsk, &c};
  }
  if (exhausted) return {Verdict::kRateLimited, nullptr};
  if (as_agent && agent_default_ != Mode::kDeny) {
    return {agent_default_ == Mode::kAllow ? Verdict::kAllow : Verdict::kAsk, nullptr};
  }
  return {Verdict::kDeny, nullptr};
}

GateResult Policy::Combine(const GateRequest& r, SideResult agent, SideResult owner) const {
  // The more restrictive side decides; on a tie the agent side names the rule, except that
  // an ask goes to the owner side's approver (see the header).
  const SideResult& d = owner.verdict < agent.verdict ? owner : agent;
  GateResult g;
  g.verdict = d.verdict;
  g.rule = d.rule != nullptr ? d.rule->index : kNoRule;
  if (g.verdict == Verdict::kAsk) {
    const SideResult& asker = owner.verdict == Verdict::kAsk ? owner : agent;
    g.approver = asker.rule != nullptr && asker.rule->approver != kNoId ? asker.rule->approver : r.actor.employee;
  }
  return g;
}

GateResult Policy::Resolve(const GateRequest& r, const RateState* agent_rates, const RateState* owner_rates,
                           SideResult* agent_out, SideResult* owner_out) const {
  const size_t a = static_cast<size_t>(ActionIndex(r.action));
  Facts facts{&calendar_, r.now_us};
  const SideResult owner = DecideSide(human_side_[a], r, /*as_agent=*/false, owner_rates, facts);
  *owner_out = owner;
  *agent_out = {Verdict::kAllow, nullptr};
  // A human acting directly, or an agent whose owner is denied (nothing can loosen a deny):
  // the owner side alone decides.
  if (r.actor.agent == kNoId || owner.verdict == Verdict::kDeny) return Combine(r, owner, owner);
  *agent_out = DecideSide(agent_side_[a], r, /*as_agent=*/true, agent_rates, facts);
  return Combine(r, *agent_out, owner);
}

GateResult Policy::Evaluate(const GateRequest& r, const RateState* agent_rates, const RateState* owner_rates) const {
  SideResult agent, owner;
  return Resolve(r, agent_rates, owner_rates, &agent, &owner);
}

GateResult Policy::Decide(const GateRequest& r, RateState* agent_rates, RateState* owner_rates) const {
  SideResult agent, owner;
  const GateResult g = Resolve(r, agent_rates, owner_rates, &agent, &owner);
  if (g.verdict == Verdict::kAllow || g.verdict == Verdict::kAsk) {
    if (owner.rule != nullptr && owner.rule->rate_max > 0 && owner_rates != nullptr) {
      owner_rates->counters[owner.rule->rate_slot].Consume(r.now_us, owner.rule->rate_window_us);
    }
    if (agent.rule != nullptr && agent.rule->rate_max > 0 && agent_rates != nullptr) {
      agent_rates->counters[agent.rule->rate_slot].Consume(r.now_us, agent.rule->rate_window_us);
    }
  }
  return g;
}

}  // namespace clawsim::services
