#include "viz/chain.h"

#include <algorithm>
#include <deque>
#include <set>
#include <utility>

#include "viz/format.h"

namespace clawsim::viz {
namespace {

// How many records FindOrigin visits at most per harm.
constexpr size_t kMaxWalk = 2000;
constexpr int kMaxOriginDepth = 24;

std::string Actor(const RunData& run, const AuditRow& a) {
  return a.agent == kNone ? RunData::Name(run.header.employee_names(), a.employee) : run.AgentLabel(a.agent);
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

// An attack source or compromised session (RUN_FILE.md, Cause kind ATTACK), named from the summary.
std::string AttackText(const RunData& run, uint64_t id) {
  const bool session = (id >> 62) & 1;
  const uint32_t source = session ? static_cast<uint32_t>((id >> 32) & 0x3fffffff) : static_cast<uint32_t>(id);
  const auto& sources = run.footer.summary().safety().sources();
  std::string what = "attack source #" + std::to_string(source);
  if (source < static_cast<uint32_t>(sources.size())) {
    const proto::AttackSourceMeasures& s = sources[static_cast<int>(source)];
    what = s.kind() + " " + Quoted(s.name());
  }
  if (!session) return what;
  const uint32_t agent = static_cast<uint32_t>(id);
  return "compromised session of " + RunData::Name(run.header.agent_names(), agent) + " (" + what + ")";
}

std::string InjectionText(const RunData& run, const InjectionRow& e) {
  std::string out = "injection email to " + RunData::Name(run.header.employee_names(), e.employee) + " (campaign " +
                    Quoted(run.SourceName(e.source)) + ", goal " + RunData::Name(run.header.attack_goal_names(), e.goal);
  if (e.forwarded) {
    out += e.forwarded_by != kNone ? ", forwarded by " + RunData::Name(run.header.employee_names(), e.forwarded_by)
                                   : std::string(", forwarded by a colleague");
  }
  if (e.detected) out += ", quarantined by the detector";
  return out + ")";
}

const std::string& RouteName(const RunData& run, uint8_t route) {
  return RunData::Name(run.header.injection_route_names(), route);
}

std::string ServiceOfAction(const std::string& action) {
  const size_t dot = action.find('.');
  return dot == std::string::npos ? action : action.substr(0, dot);
}

}  // namespace

std::string DescribeRecord(const RunData& run, RecordRef record) {
  const proto::RunHeader& h = run.header;
  if (record.kind == RecordRef::Kind::kSpan && record.index < run.spans.size()) {
    const SpanRow& s = run.spans[record.index];
    std::string out = SpanKindName(s.kind);
    if (s.name != kNone) out += " " + RunData::Name(h.span_names(), s.name);
    out += " on " + run.lanes[s.lane].label;
    const std::string outcome = run.SpanOutcome(s);
    if (!outcome.empty()) {
      out += " (" + outcome;
      if (s.route != kNoSmall) out += " via " + RouteName(run, s.route);
      out += ")";
    }
    return out + ", " + FormatTime(s.start_us);
  }
  if (record.kind == RecordRef::Kind::kAudit && record.index < run.audit.size()) {
    const AuditRow& a = run.audit[record.index];
    std::string out = "audit #" + std::to_string(a.id) + " " + RunData::Name(h.action_names(), a.action) + " by " +
                      Actor(run, a);
    if (a.agent != kNone) out += " for " + RunData::Name(h.employee_names(), a.employee);
    out += " on " + RunData::Name(h.target_names(), a.target) + ", " + RunData::Name(h.decision_names(), a.decision) +
           ", " + RunData::Name(h.outcome_names(), a.outcome);
    return out + ", " + FormatTime(a.time_us);
  }
  if (record.kind == RecordRef::Kind::kInjection && record.index < run.injections.size()) {
    const InjectionRow& e = run.injections[record.index];
    return InjectionText(run, e) + ", " + FormatTime(e.time_us);
  }
  return "nothing";
}

const char* OriginKindName(Origin::Kind kind) {
  switch (kind) {
    case Origin::Kind::kInjection: return "injection";
    case Origin::Kind::kAttack: return "attack";
    case Origin::Kind::kAgent: return "agent";
    case Origin::Kind::kPerson: return "person";
    case Origin::Kind::kUnknown: break;
  }
  return "unknown";
}

const char* HarmKindName(Harm::Kind kind) {
  switch (kind) {
    case Harm::Kind::kLeak: return "leak";
    case Harm::Kind::kExposure: return "exposure";
    case Harm::Kind::kIncident: return "incident";
    case Harm::Kind::kAttack: return "attack";
  }
  return "harm";
}

namespace {

// The walk behind FindOrigin for anything but an incident with a defect origin.
Origin WalkOrigin(const RunData& run, RecordRef record) {
  Origin injection, attack, agent, person;
  std::string route;     // the route of the injected invocation on the way, if any
  std::string forwards;  // "forwarded by bob" for each forward followed back
  std::set<std::pair<int, uint32_t>> seen;
  std::deque<std::pair<RecordRef, int>> queue = {{record, 0}};
  while (!queue.empty() && seen.size() < kMaxWalk && injection.kind == Origin::Kind::kUnknown) {
    const auto [r, depth] = queue.front();
    queue.pop_front();
    if (!seen.insert({static_cast<int>(r.kind), r.index}).second) continue;
    uint32_t first = 0, count = 0;
    switch (r.kind) {
      case RecordRef::Kind::kInjection: {
        const InjectionRow& e = run.injections[r.index];
        if (e.forwarded && run.causal.ForwardOf(r.index).valid()) {
          // A colleague's copy: follow the forward back to the mail they forwarded.
          forwards += ", forwarded by " + RunData::Name(run.header.employee_names(), e.forwarded_by);
          break;
        }
        injection.kind = Origin::Kind::kInjection;
        injection.injection = r;
        injection.text = "injection " + Quoted(run.SourceName(e.source)) + " (" +
                         RunData::Name(run.header.attack_goal_names(), e.goal) + ")";
        if (!route.empty()) injection.text += " via " + route;
        injection.text += forwards;
        if (e.forwarded) injection.text += ", a forwarded copy (this file does not link it to the original)";
        continue;
      }
      case RecordRef::Kind::kSpan: {
        const SpanRow& s = run.spans[r.index];
        first = s.first_cause;
        count = s.cause_count;
        if (s.route != kNoSmall && route.empty()) route = RouteName(run, s.route);
        if (s.kind == SpanKind::kAgentInvocation && agent.kind == Origin::Kind::kUnknown && s.agent != kNone) {
          agent.kind = Origin::Kind::kAgent;
          agent.text = "agent " + RunData::Name(run.header.agent_names(), s.agent);
        }
        break;
      }
      case RecordRef::Kind::kAudit: {
        const AuditRow& a = run.audit[r.index];
        first = a.first_cause;
        count = a.cause_count;
        Origin& o = a.agent != kNone ? agent : person;
        if (o.kind == Origin::Kind::kUnknown) {
          o.kind = a.agent != kNone ? Origin::Kind::kAgent : Origin::Kind::kPerson;
          o.text = (a.agent != kNone ? "agent " : "person ") + Actor(run, a);
        }
        break;
      }
      case RecordRef::Kind::kNone: continue;
    }
    for (uint32_t c = 0; c < count; ++c) {
      const CauseRef& cause = run.causes[first + c];
      if (cause.kind == CauseKind::kAttack && attack.kind == Origin::Kind::kUnknown) {
        attack.kind = Origin::Kind::kAttack;
        attack.text = AttackText(run, cause.id);
      }
    }
    if (depth >= kMaxOriginDepth) continue;
    for (const RecordRef& next : run.causal.Causes(run, r)) queue.push_back({next, depth + 1});
  }
  for (const Origin* o : {&injection, &attack, &agent, &person}) {
    if (o->kind != Origin::Kind::kUnknown) return *o;
  }
  Origin none;
  none.text = "no cause recorded";
  return none;
}

// An incident's defect origin (RunHeader.defect_origin_names) as an Origin kind and words.
struct DefectWords {
  const char* name;
  Origin::Kind kind;
  const char* text;
};
constexpr DefectWords kDefects[] = {
    {"person_change", Origin::Kind::kPerson, "a person's change"},
    {"agent_written_change", Origin::Kind::kAgent, "code an agent wrote"},
    {"agent_action_error", Origin::Kind::kAgent, "an agent's wrong deploy"},
    {"injection", Origin::Kind::kInjection, "an attacker's change (injection)"},
    {"compromise", Origin::Kind::kAttack, "an attacker's change (compromised session)"},
    {"malicious_skill", Origin::Kind::kAttack, "an attacker's change (malicious skill)"},
};

}  // namespace

std::string DeployerOf(const RunData& run, RecordRef incident) {
  // Breadth first through spans only (spread incidents, the deploy's stages) to the first
  // deploy.prod audit record; a handful of records for any real chain.
  std::set<std::pair<int, uint32_t>> seen;
  std::deque<std::pair<RecordRef, int>> queue = {{incident, 0}};
  while (!queue.empty() && seen.size() < kMaxWalk) {
    const auto [r, depth] = queue.front();
    queue.pop_front();
    if (!seen.insert({static_cast<int>(r.kind), r.index}).second) continue;
    if (r.kind == RecordRef::Kind::kAudit) {
      const AuditRow& a = run.audit[r.index];
      if (RunData::Name(run.header.action_names(), a.action) == "deploy.prod") {
        return (a.agent != kNone ? "agent " : "person ") + Actor(run, a);
      }
      continue;
    }
    if (r.kind != RecordRef::Kind::kSpan || depth >= kMaxOriginDepth) continue;
    for (const RecordRef& next : run.causal.Causes(run, r)) queue.push_back({next, depth + 1});
  }
  return "";
}

Origin FindOrigin(const RunData& run, RecordRef record) {
  if (record.kind != RecordRef::Kind::kSpan || record.index >= run.spans.size() ||
      run.spans[record.index].kind != SpanKind::kIncident || run.spans[record.index].defect_origin == kNoSmall) {
    return WalkOrigin(run, record);
  }
  const std::string& defect = RunData::Name(run.header.defect_origin_names(), run.spans[record.index].defect_origin);
  Origin o;
  o.defect = defect;
  o.text = "defect origin " + defect;
  for (const DefectWords& d : kDefects) {
    if (defect == d.name) {
      o.kind = d.kind;
      o.text = d.text;
    }
  }
  if (o.kind == Origin::Kind::kInjection || o.kind == Origin::Kind::kAttack) {
    // Name the attack itself when the chain shows it (the injection email, the session).
    const Origin walked = WalkOrigin(run, record);
    if (walked.kind == Origin::Kind::kInjection || walked.kind == Origin::Kind::kAttack) {
      o.text += ": " + walked.text;
      o.injection = walked.injection;
    }
  }
  o.deployed_by = DeployerOf(run, record);
  return o;
}

std::vector<Harm> ListHarms(const RunData& run) {
  const proto::RunHeader& h = run.header;
  uint32_t leaked = kNone, exposed = kNone;
  for (int i = 0; i < h.outcome_names_size(); ++i) {
    if (h.outcome_names(i) == "data_leaked") leaked = static_cast<uint32_t>(i);
    if (h.outcome_names(i) == "exposed") exposed = static_cast<uint32_t>(i);
  }
  // Audit rows taken for an attacker: those citing an attack source or session (since 1.5
  // every such action does; RUN_FILE.md).
  std::vector<char> attacked(run.audit.size(), 0);
  for (uint32_t i = 0; i < run.audit.size(); ++i) {
    for (uint32_t c = 0; c < run.audit[i].cause_count; ++c) {
      if (run.causes[run.audit[i].first_cause + c].kind == CauseKind::kAttack) attacked[i] = 1;
    }
  }
  auto took_effect = [&](const AuditRow& a) {
    const std::string& o = RunData::Name(h.outcome_names(), a.outcome);
    return o != "not_executed" && o != "service_refused";
  };
  std::vector<Harm> harms;
  for (uint32_t i = 0; i < run.audit.size(); ++i) {
    const AuditRow& a = run.audit[i];
    const bool attack = attacked[i] && a.agent != kNone && took_effect(a) && RunData::Name(h.action_names(), a.action).find(".read") == std::string::npos;
    if (a.outcome != leaked && a.outcome != exposed && !attack) continue;
    Harm harm;
    harm.kind = a.outcome == leaked ? Harm::Kind::kLeak : a.outcome == exposed ? Harm::Kind::kExposure : Harm::Kind::kAttack;
    harm.record = RecordRef::Audit(i);
    harm.time_us = a.time_us;
    const std::string& action = RunData::Name(h.action_names(), a.action);
    harm.service = ServiceOfAction(action);
    harm.description = std::string(harm.kind == Harm::Kind::kLeak       ? "sensitive mail sent outside"
                                   : harm.kind == Harm::Kind::kExposure ? "data exposed in chat"
                                                                        : "done for the attacker") +
                       ": " + action + " by " + Actor(run, a) +
                       (a.agent != kNone ? " for " + RunData::Name(h.employee_names(), a.employee) : std::string()) +
                       " on " + RunData::Name(h.target_names(), a.target) + ", " +
                       RunData::Name(h.decision_names(), a.decision);
    harms.push_back(std::move(harm));
  }
  for (uint32_t i = 0; i < run.spans.size(); ++i) {
    const SpanRow& s = run.spans[i];
    if (s.kind != SpanKind::kIncident) continue;
    Harm harm;
    harm.kind = Harm::Kind::kIncident;
    harm.record = RecordRef::Span(i);
    harm.time_us = s.start_us;
    harm.service = run.lanes[s.lane].label;
    harm.description = (s.name != kNone ? RunData::Name(h.span_names(), s.name) + " " : std::string()) +
                       "incident, restored after " + FormatDuration(s.end_us - s.start_us);
    for (const RecordRef& c : run.causal.Causes(run, harm.record)) {
      if (c.kind == RecordRef::Kind::kSpan && run.spans[c.index].kind == SpanKind::kIncident) {
        harm.description += ", spread from " + run.lanes[run.spans[c.index].lane].label;
        break;
      }
    }
    harms.push_back(std::move(harm));
  }
  // Leaks and exposures first (there are few, and they are what a safety review looks for),
  // then incidents; each in time order.
  std::stable_sort(harms.begin(), harms.end(), [](const Harm& a, const Harm& b) {
    const bool ia = a.kind == Harm::Kind::kIncident, ib = b.kind == Harm::Kind::kIncident;
    return ia != ib ? ib : a.time_us < b.time_us;
  });
  for (Harm& harm : harms) harm.origin = FindOrigin(run, harm.record);
  return harms;
}

std::vector<ChainStep> TraceBack(const RunData& run, RecordRef start, const TraceBackLimits& limits, bool* truncated) {
  *truncated = false;
  std::vector<ChainStep> steps;
  std::set<std::pair<int, uint32_t>> seen;
  struct Pending {
    RecordRef record;
    CauseRef cause;
    int depth;
  };
  std::vector<Pending> stack = {{start, {}, 0}};
  while (!stack.empty()) {
    if (steps.size() >= limits.max_steps) {
      *truncated = true;
      break;
    }
    const Pending p = stack.back();
    stack.pop_back();
    ChainStep step;
    step.depth = p.depth;
    step.record = p.record;
    step.cause = p.cause;
    if (!p.record.valid()) {
      // A cause that names no record: an attack source, or an id this file does not hold.
      step.text = p.cause.kind == CauseKind::kAttack
                      ? AttackText(run, p.cause.id)
                      : std::string(CauseKindName(p.cause.kind)) + " " + std::to_string(p.cause.id) + " (no record in this file)";
      steps.push_back(std::move(step));
      continue;
    }
    if (!seen.insert({static_cast<int>(p.record.kind), p.record.index}).second) continue;
    step.text = DescribeRecord(run, p.record);
    steps.push_back(std::move(step));
    if (p.depth >= limits.max_depth) {
      *truncated = true;
      continue;
    }
    // Its causes: records, then those that name none; pushed in reverse so the earliest prints first.
    std::vector<Pending> next;
    for (const RecordRef& r : run.causal.Causes(run, p.record)) next.push_back({r, {}, p.depth + 1});
    uint32_t first = 0, count = 0;
    if (p.record.kind == RecordRef::Kind::kSpan) {
      first = run.spans[p.record.index].first_cause;
      count = run.spans[p.record.index].cause_count;
    } else if (p.record.kind == RecordRef::Kind::kAudit) {
      first = run.audit[p.record.index].first_cause;
      count = run.audit[p.record.index].cause_count;
    }
    for (uint32_t c = 0; c < count; ++c) {
      const CauseRef& cause = run.causes[first + c];
      std::vector<RecordRef> resolved;
      run.causal.Resolve(cause, &resolved);
      std::erase_if(resolved, [&](const RecordRef& r) {
        return (r.kind == RecordRef::Kind::kSpan && r.index >= run.spans.size()) ||
               (r.kind == RecordRef::Kind::kAudit && r.index >= run.audit.size());
      });
      // Items and deploys with no record of their own are not steps (the file keeps no row for them).
      if (resolved.empty() && cause.kind != CauseKind::kItem && cause.kind != CauseKind::kDeploy) {
        next.push_back({RecordRef{}, cause, p.depth + 1});
      }
    }
    for (auto it = next.rbegin(); it != next.rend(); ++it) stack.push_back(*it);
  }
  return steps;
}

}  // namespace clawsim::viz
