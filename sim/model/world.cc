#include "sim/model/world.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>

#include "sim/engine/hash.h"
#include "sim/engine/rng.h"

namespace clawsim::model {
namespace {

using scenario::CompiledScenario;
using scenario::Distribution;

// Salts keep the world's streams apart from the engine's per-LP streams (seed, LP id).
constexpr uint64_t kTraitSalt = 0x7472616974730001ULL;
constexpr uint64_t kAdoptionSalt = 0x61646f7074000002ULL;
constexpr uint64_t kTeamTraitSalt = 0x7465616d74000003ULL;
constexpr uint64_t kFamiliaritySalt = 0x66616d696c000004ULL;
constexpr uint64_t kWorkSuitabilitySalt = 0x776f726b73000005ULL;
constexpr uint64_t kTeamSuitabilitySalt = 0x7465616d73000006ULL;

// `team_trust`: the employee's team's draw of team_automation_trust (unused at weight 0).
Traits DrawTraits(const CompiledScenario& s, const scenario::Employee& e, double team_trust, engine::Rng& rng) {
  const scenario::TraitDistributions& d = s.organization.traits;
  Traits t;
  // Draw all four even when overridden, so one override does not shift the others' draws.
  t.competitiveness = std::clamp(Sample(d.competitiveness, rng), 0.0, 1.0);
  t.pressure_sensitivity = std::clamp(Sample(d.pressure_sensitivity, rng), 0.0, 1.0);
  t.automation_trust = std::clamp(Sample(d.automation_trust, rng), 0.0, 1.0);
  t.skill = std::clamp(Sample(d.skill, rng), 0.0, 1.0);
  const double w = d.team_automation_trust_weight;
  if (w > 0) t.automation_trust = (1 - w) * t.automation_trust + w * team_trust;
  if (e.traits.competitiveness) t.competitiveness = *e.traits.competitiveness;
  if (e.traits.pressure_sensitivity) t.pressure_sensitivity = *e.traits.pressure_sensitivity;
  if (e.traits.automation_trust) t.automation_trust = *e.traits.automation_trust;
  if (e.traits.skill) t.skill = *e.traits.skill;
  return t;
}

// Depth of every employee in the reporting graph (manager -> report edges); fails on a
// cycle, which would leave employees unreachable from the top.
Status ReportingDepths(const CompiledScenario& s, World* world) {
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  const uint32_t n = static_cast<uint32_t>(s.organization.employees.size());
  Graph g(n + 1);  // vertex n: a virtual root above everyone without a manager
  for (uint32_t e = 0; e < n; ++e) {
    const EmployeeId m = s.organization.employees[e].manager;
    boost::add_edge(m == kNoId ? n : m, e, g);
  }
  std::vector<uint32_t> depth(n + 1, UINT32_MAX);
  depth[n] = 0;
  struct Recorder : boost::default_bfs_visitor {
    std::vector<uint32_t>* depth;
    void tree_edge(Graph::edge_descriptor edge, const Graph& graph) const {
      (*depth)[boost::target(edge, graph)] = (*depth)[boost::source(edge, graph)] + 1;
    }
  } recorder;
  recorder.depth = &depth;
  boost::breadth_first_search(g, boost::vertex(n, g), boost::visitor(recorder));
  for (uint32_t e = 0; e < n; ++e) {
    if (depth[e] == UINT32_MAX) {
      return Status::Error("the reporting graph has a cycle through employee \"" + s.organization.employees[e].name +
                           "\"; every chain of managers must end at someone without a manager");
    }
    world->employees[e].reporting_depth = depth[e] - 1;
    world->max_reporting_depth = std::max(world->max_reporting_depth, depth[e] - 1);
  }
  return Status::Ok();
}

EmployeeId ApproverFor(const CompiledScenario& s, EmployeeId e) {
  const scenario::Employee& emp = s.organization.employees[e];
  switch (s.approvals.approver) {
    case scenario::ApprovalConfig::Approver::kOwner:
      return e;
    case scenario::ApprovalConfig::Approver::kManager:
      return emp.manager == kNoId ? e : emp.manager;
    case scenario::ApprovalConfig::Approver::kOnCall: {
      // The team's lead is on call for its members' agents; a lead's own asks go up a level.
      const scenario::Team& team = s.organization.teams[emp.team];
      if (team.lead != kNoId && team.lead != e) return team.lead;
      return emp.manager == kNoId ? e : emp.manager;
    }
  }
  return e;
}

// Gamma(shape, 1) by Marsaglia and Tsang; shapes below 1 use the boost x * U^(1/shape).
double Gamma(double shape, engine::Rng& rng) {
  const double boost_power = shape < 1 ? 1.0 / shape : 0;
  if (shape < 1) shape += 1;
  const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9 * d);
  for (;;) {
    double z, v;
    do {
      z = rng.Normal();
      v = 1 + c * z;
    } while (v <= 0);
    v = v * v * v;
    const double u = rng.Uniform01();
    if (std::log(1 - u) < 0.5 * z * z + d - d * v + d * std::log(v)) {
      return boost_power > 0 ? d * v * std::pow(1 - rng.Uniform01(), boost_power) : d * v;
    }
  }
}

// The scenario's deploy settings in the deploy service's terms. A scenario stage fails with
// f0 + (f1 - f0) * q for a change of quality q; the service draws the change defective with
// 1 - q and fails a stage with `flaky` (sound) or 1 - (1 - flaky)(1 - detection) (defective),
// which is the same straight line when flaky = f1 and detection = 1 - (1 - f0) / (1 - f1).
services::DeployOptions DeployOptionsFor(const CompiledScenario& s, TimeUs lookahead_us) {
  services::DeployOptions o;
  for (const scenario::PipelineStage& st : s.deploy.stages) {
    services::StageOptions& so = o.stages[static_cast<size_t>(st.stage)];
    so.duration_us = std::max<TimeUs>(1, st.duration_us);
    const double f1 = std::clamp(st.failure_probability_at_quality_1, 0.0, 1.0);
    const double f0 = std::clamp(st.failure_probability_at_quality_0, f1, 1.0);
    so.flaky_failure_probability = f1;
    so.defect_detection_probability = f1 >= 1 ? 0 : std::clamp(1 - (1 - f0) / (1 - f1), 0.0, 1.0);
  }
  const scenario::IncidentConfig& ic = s.deploy.incidents;
  if (!ic.severities.empty()) {
    o.root_severity_probability = {0, 0, 0, 0};
    for (const scenario::SeverityProfile& sp : ic.severities) {
      const size_t i = static_cast<size_t>(sp.severity);
      o.root_severity_probability[i] += sp.probability;
      o.restore_mean_us[i] = sp.time_to_restore_us;
    }
    double sum = 0;
    for (double p : o.root_severity_probability) sum += p;
    for (double& p : o.root_severity_probability) p = sum > 0 ? p / sum : 0.25;
  }
  for (TimeUs& d : o.detect_mean_us) d = ic.detection_us;
  o.spread_probability = ic.spread_probability;
  o.defect_incident_probability = ic.defect_incident_probability;
  o.spread_severity_step = static_cast<uint8_t>(std::clamp(ic.spread_severity_step, 0, 3));
  // Spread incidents never go milder than the mildest severity the scenario describes, so
  // they restore and page like it.
  o.mildest_severity = 1;
  for (const scenario::SeverityProfile& sp : ic.severities) {
    o.mildest_severity = std::max<uint8_t>(o.mildest_severity, static_cast<uint8_t>(static_cast<int>(sp.severity) + 1));
  }
  if (ic.severities.empty()) o.mildest_severity = 4;
  o.rollback_duration_us = std::max<TimeUs>(1, s.deploy.rollback_us);
  o.max_concurrent_operations = static_cast<uint32_t>(std::max(1, s.deploy.concurrent_pipelines));
  o.spread_delay_min_us = lookahead_us;
  o.spread_delay_jitter_mean_us = std::max<TimeUs>(0, ic.spread_delay_us - lookahead_us);
  return o;
}

Status BuildCatalog(const CompiledScenario& s, services::ServiceCatalog* out) {
  std::vector<services::ServiceSpec> specs;
  for (const scenario::Service& sv : s.deploy.services) {
    services::ServiceSpec spec;
    spec.name = sv.name;
    spec.owner_team = sv.owner_team;
    if (sv.owner_team != kNoId) spec.owner = s.organization.teams[sv.owner_team].lead;
    spec.depends_on = sv.depends_on;
    specs.push_back(std::move(spec));
  }
  // Repeating freezes become one window per repetition over the run.
  std::vector<services::FreezeWindow> freezes;
  for (const scenario::FreezeWindow& f : s.deploy.freezes) {
    for (TimeUs start = f.start_us; start < s.run.end_us; start += f.repeat_us) {
      freezes.push_back(services::FreezeWindow{start, start + f.duration_us, services::kNoId});
      if (f.repeat_us <= 0) break;
    }
  }
  return services::ServiceCatalog::Build(std::move(specs), std::move(freezes), out);
}

}  // namespace

double Sample(const Distribution& d, engine::Rng& rng) {
  double x = 0;
  switch (d.kind) {
    case Distribution::Kind::kConstant:
      x = d.value;
      break;
    case Distribution::Kind::kUniform:
      x = d.min + (std::min(d.max, 1e15) - d.min) * rng.Uniform01();
      return x;
    case Distribution::Kind::kNormal:
      x = d.mean + d.stddev * rng.Normal();
      break;
    case Distribution::Kind::kLogNormal: {
      // Parameterised by the mean and stddev of the value itself (not of its log).
      const double m = std::max(d.mean, 1e-12);
      const double s2 = std::log1p((d.stddev * d.stddev) / (m * m));
      x = std::exp(std::log(m) - s2 / 2 + std::sqrt(s2) * rng.Normal());
      break;
    }
    case Distribution::Kind::kBeta: {
      // beta(alpha, beta) on [0, 1], scaled to [min, max] (the compiler gives every BETA a
      // finite max; on [0, 1] this is the draw itself, bit for bit).
      const double a = Gamma(std::max(d.alpha, 1e-3), rng);
      const double b = Gamma(std::max(d.beta, 1e-3), rng);
      x = d.min + (d.max - d.min) * (a / (a + b));
      break;
    }
    case Distribution::Kind::kExponential:
      x = rng.Exponential(d.mean);
      break;
  }
  return std::clamp(x, d.min, d.max);
}

std::vector<services::Rule> GateRules(const CompiledScenario& s, const World& world) {
  std::vector<services::Rule> rules;
  bool human_rule_for[scenario::kActionCount] = {};
  for (const scenario::PermissionRule& pr : s.permissions.rules) {
    services::Rule r;
    r.name = pr.name;
    const bool human = pr.principal.subject == scenario::Principal::Subject::kHumans;
    r.principal_type = human ? services::PrincipalType::kHuman : services::PrincipalType::kAgent;
    switch (pr.principal.selector) {
      case scenario::Principal::Selector::kEveryone: break;
      case scenario::Principal::Selector::kRole: r.role = static_cast<uint32_t>(pr.principal.role); break;
      case scenario::Principal::Selector::kTeam: r.team = pr.principal.id; break;
      case scenario::Principal::Selector::kAgentProfile: r.profile = pr.principal.id; break;
      case scenario::Principal::Selector::kAgentOwner: r.employee = pr.principal.id; break;
    }
    r.action = static_cast<services::Action>(pr.action);
    r.mode = static_cast<services::Mode>(pr.mode);
    r.scope = static_cast<services::Scope>(pr.scope);
    if (pr.rate_limit_per_hour > 0 && pr.mode != scenario::Mode::kDeny) {  // a deny needs no budget
      // Fractional limits (0.5 per hour) become one request per longer window.
      if (pr.rate_limit_per_hour >= 1) {
        r.rate_max_requests = static_cast<uint32_t>(std::lround(pr.rate_limit_per_hour));
        r.rate_window_us = engine::kUsPerHour;
      } else {
        r.rate_max_requests = 1;
        r.rate_window_us = static_cast<TimeUs>(static_cast<double>(engine::kUsPerHour) / pr.rate_limit_per_hour);
      }
    }
    if (pr.working_hours_only) r.hours = services::HoursCondition::kWorkingHoursOnly;
    if (pr.not_during_freeze) r.freeze = services::FreezeCondition::kOutsideFreezeOnly;
    if (pr.max_blast_radius >= 0) r.max_transitive_dependents = static_cast<uint32_t>(pr.max_blast_radius);
    // Humans asking need someone else to approve; their manager-of-record is not known per
    // rule, so human asks go to the scenario's approver of the first employee (the top).
    if (human && r.mode == services::Mode::kAsk) r.approver = world.num_employees > 0 ? 0 : kNoId;
    if (human) human_rule_for[static_cast<int>(pr.action)] = true;
    rules.push_back(std::move(r));
  }
  // An agent request no rule matches gets the policy's default mode (the gate's
  // agent_default_mode, see BuildWorld). Owners' rights: when no rule speaks of humans for
  // an action, employees may do it themselves, so the owner bound only restricts agents
  // where the policy restricts their owners.
  for (int a = 0; a < scenario::kActionCount; ++a) {
    if (!human_rule_for[a]) {
      services::Rule r;
      r.name = std::string("owners may ") + std::string(scenario::ActionName(static_cast<scenario::Action>(a)));
      r.principal_type = services::PrincipalType::kHuman;
      r.action = static_cast<services::Action>(a);
      r.mode = services::Mode::kAllow;
      rules.push_back(r);
    }
  }
  return rules;
}

bool InBreakerGroup(const CompiledScenario& s, const scenario::CircuitBreaker& breaker, EmployeeId owner,
                    scenario::ProfileId profile) {
  const scenario::TeamId team = s.organization.employees[owner].team;
  return std::find(breaker.group_teams.begin(), breaker.group_teams.end(), team) != breaker.group_teams.end() ||
         std::find(breaker.group_profiles.begin(), breaker.group_profiles.end(), profile) != breaker.group_profiles.end();
}

Status BuildWorld(const CompiledScenario& s, uint64_t seed, World* world, bool without_agents) {
  *world = World{};
  world->scenario = &s;
  world->seed = seed;
  world->without_agents = without_agents;
  const uint32_t n = static_cast<uint32_t>(s.organization.employees.size());
  if (n == 0) return Status::Error("the scenario has no employees");
  world->num_employees = n;
  world->first_channel_lp = n;
  world->first_service_lp = n + static_cast<uint32_t>(s.chat.channels.size());
  world->num_lps = world->first_service_lp + static_cast<uint32_t>(s.deploy.services.size());
  // The engine's lookahead is the shortest delay between two LPs. The model rounds every
  // cross-LP delay up to at least kMinCrossLpLatencyUs: nobody in an organisation reacts to a
  // colleague's message within a second, and a lookahead of seconds rather than milliseconds
  // cuts the number of synchronisation windows (and so the parallel overhead) a hundredfold.
  world->lookahead_us = std::max<TimeUs>(kMinCrossLpLatencyUs, std::min(s.email.delivery_latency_us, s.chat.delivery_latency_us));

  world->employees.resize(n);
  std::vector<double> team_trust(s.organization.teams.size(), 0);
  for (size_t t = 0; t < team_trust.size(); ++t) {
    engine::Rng rng = engine::Rng::ForStream(seed ^ kTeamTraitSalt, t);
    team_trust[t] = std::clamp(Sample(s.organization.traits.team_automation_trust, rng), 0.0, 1.0);
  }
  std::vector<double> team_suitability(s.organization.teams.size(), 0);
  for (size_t t = 0; t < team_suitability.size(); ++t) {
    engine::Rng rng = engine::Rng::ForStream(seed ^ kTeamSuitabilitySalt, t);
    team_suitability[t] = std::clamp(Sample(s.organization.traits.work_suitability, rng), 0.0, 1.0);
  }
  for (uint32_t e = 0; e < n; ++e) {
    engine::Rng rng = engine::Rng::ForStream(seed ^ kTraitSalt, e);
    const scenario::TeamId team = s.organization.employees[e].team;
    world->employees[e].traits =
        DrawTraits(s, s.organization.employees[e], team == kNoId ? 0.0 : team_trust[team], rng);
    // Familiarity has a stream of its own: adding it moved none of the other traits' draws.
    engine::Rng familiarity_rng = engine::Rng::ForStream(seed ^ kFamiliaritySalt, e);
    const std::optional<double>& fixed = s.organization.employees[e].traits.codebase_familiarity;
    world->employees[e].traits.codebase_familiarity =
        fixed ? *fixed : std::clamp(Sample(s.organization.traits.codebase_familiarity, familiarity_rng), 0.0, 1.0);
    // So does the suitability of their work for agents (traits.work_suitability):
    // part their team's codebase, part their own.
    engine::Rng suitability_rng = engine::Rng::ForStream(seed ^ kWorkSuitabilitySalt, e);
    const double own = std::clamp(Sample(s.organization.traits.work_suitability, suitability_rng), 0.0, 1.0);
    const double w = team == kNoId ? 0.0 : s.organization.traits.work_suitability_team_weight;
    world->employees[e].traits.work_suitability = w * (team == kNoId ? 0.0 : team_suitability[team]) + (1 - w) * own;
  }
  Status status = ReportingDepths(s, world);
  if (!status.ok()) return status;

  // Teams: teammates, owned services (views of the team's lists, not copies).
  std::vector<std::vector<scenario::ServiceId>>& services_of_team = world->team_services;
  services_of_team.assign(s.organization.teams.size(), {});
  for (uint32_t sv = 0; sv < s.deploy.services.size(); ++sv) {
    const scenario::TeamId t = s.deploy.services[sv].owner_team;
    if (t != kNoId) services_of_team[t].push_back(sv);
  }
  world->team_developers.assign(s.organization.teams.size(), {});
  for (uint32_t e = 0; e < n; ++e) {  // ascending e: each list ascending
    const scenario::Employee& emp = s.organization.employees[e];
    if (emp.team != kNoId && emp.role == scenario::Role::kDeveloper) world->team_developers[emp.team].push_back(e);
  }
  for (uint32_t e = 0; e < n; ++e) {
    const scenario::TeamId t = s.organization.employees[e].team;
    EmployeeInfo& info = world->employees[e];
    if (t != kNoId) {
      const std::vector<EmployeeId>& members = s.organization.teams[t].members;  // ascending, e among them
      const auto self = std::lower_bound(members.begin(), members.end(), e);
      assert(self != members.end() && *self == e);
      info.teammates = Teammates(members, static_cast<uint32_t>(self - members.begin()));
      info.services = services_of_team[t];
    }
    info.approver = ApproverFor(s, e);
  }

  // Agents: each assignment adopts its profile for a share of the matching employees.
  for (uint32_t e = 0; e < n; ++e) {
    const scenario::Employee& emp = s.organization.employees[e];
    engine::Rng rng = engine::Rng::ForStream(seed ^ kAdoptionSalt, e);
    for (const scenario::AgentAssignment& a : s.assignments) {
      const double u = rng.Uniform01();  // drawn for every assignment: stable streams
      if (a.role && *a.role != emp.role) continue;
      if (a.team != kNoId && a.team != emp.team) continue;
      double p = a.fraction;
      if (a.weight_by_trust) p = a.fraction * world->employees[e].traits.automation_trust;
      if (u >= p || without_agents) continue;
      bool has = false;
      for (uint32_t id : world->employees[e].agents) has |= world->agents[id].profile == a.profile;
      if (has) continue;
      const uint32_t id = static_cast<uint32_t>(world->agents.size());
      world->agents.push_back(AgentInfo{id, e, a.profile});
      world->employees[e].agents.push_back(id);
    }
  }

  // The owners a GROUP breaker's trip reaches.
  world->breaker_group_owners.assign(s.defenses.circuit_breakers.size(), {});
  for (size_t b = 0; b < s.defenses.circuit_breakers.size(); ++b) {
    const scenario::CircuitBreaker& cb = s.defenses.circuit_breakers[b];
    if (cb.scope != scenario::CircuitBreaker::Scope::kGroup) continue;
    for (const AgentInfo& a : world->agents) {
      std::vector<EmployeeId>& owners = world->breaker_group_owners[b];
      if (InBreakerGroup(s, cb, a.owner, a.profile) && (owners.empty() || owners.back() != a.owner)) {
        owners.push_back(a.owner);
      }
    }
  }

  // Channel membership.
  world->channel_members.resize(s.chat.channels.size());
  for (uint32_t c = 0; c < s.chat.channels.size(); ++c) {
    const scenario::Channel& ch = s.chat.channels[c];
    std::vector<EmployeeId>& members = world->channel_members[c];
    if (ch.kind == scenario::ChannelKind::kCompany || ch.teams.empty()) {
      for (uint32_t e = 0; e < n; ++e) members.push_back(e);
    } else {
      for (scenario::TeamId t : ch.teams) {
        members.insert(members.end(), s.organization.teams[t].members.begin(), s.organization.teams[t].members.end());
      }
      std::sort(members.begin(), members.end());
      members.erase(std::unique(members.begin(), members.end()), members.end());
    }
  }

  // The gate: the working calendar it checks hours against, and the compiled rules.
  services::WorkCalendar& cal = world->calendar;
  cal.start_hour = static_cast<int>(s.calendar.workday_start_us / engine::kUsPerHour);
  cal.end_hour = std::max(cal.start_hour + 1, static_cast<int>((s.calendar.workday_end_us + engine::kUsPerHour - 1) / engine::kUsPerHour));
  cal.end_hour = std::min(cal.end_hour, 24);
  cal.work_weekends = s.calendar.working_weekday[5] || s.calendar.working_weekday[6];
  cal.first_weekday = s.run.start_weekday;
  status = services::Policy::Compile(GateRules(s, *world), cal, &world->policy,
                                     static_cast<services::Mode>(s.permissions.default_mode));
  if (!status.ok()) return Status::Error("permission policy: " + status.message());

  // The mock services' settings.
  world->team_of_employee.resize(n);
  world->role_of_employee.resize(n);
  for (uint32_t e = 0; e < n; ++e) {
    const scenario::TeamId t = s.organization.employees[e].team;
    world->team_of_employee[e] = t == kNoId ? services::kAnyId : t;
    world->role_of_employee[e] = s.organization.employees[e].role;
  }
  status = BuildCatalog(s, &world->catalog);
  if (!status.ok()) return Status::Error("deploy services: " + status.message());
  world->deploy = DeployOptionsFor(s, world->lookahead_us);
  status = world->deploy.Validate(world->lookahead_us);
  if (!status.ok()) return status;
  world->email.internal_latency_min_us = std::max(world->lookahead_us, s.email.delivery_latency_us);
  world->email.internal_latency_jitter_mean_us = 0;
  world->email.max_sends_per_window =
      s.email.per_sender_limit_per_hour > 0 ? static_cast<uint32_t>(std::ceil(s.email.per_sender_limit_per_hour)) : 0;
  world->email.send_window_us = engine::kUsPerHour;
  status = world->email.Validate(world->lookahead_us);
  if (!status.ok()) return status;
  world->fatigue.p_correct_fresh = s.approvals.accuracy_max;
  world->fatigue.p_correct_floor = s.approvals.accuracy_min;
  world->fatigue.half_life_reviews = s.approvals.fatigue_half_life_approvals_per_day;
  status = world->fatigue.Validate();
  if (!status.ok()) return Status::Error("approvals: " + status.message());
  world->chat.max_posts_per_window = s.chat.post_limit_per_hour > 0 ? static_cast<uint32_t>(std::ceil(s.chat.post_limit_per_hour)) : 0;
  world->chat.post_window_us = engine::kUsPerHour;
  world->chat.retained_messages = 2000;  // nobody scrolls back further; keeps memory flat
  // The model posts but never reads a channel back (nor replies or reacts): only an external
  // seat lists a channel's recent messages, so only a run with seats holds them (AddSeats).
  world->chat.hold_messages = false;
  return world->chat.Validate();
}

Teammates ReviewersOf(const World& w, EmployeeId e) {
  const services::TeamId t = w.team_of_employee[e];
  if (t == services::kAnyId) return {};
  const std::vector<EmployeeId>& developers = w.team_developers[t];
  const auto self = std::lower_bound(developers.begin(), developers.end(), e);
  if (self == developers.end() || *self != e) return {};
  return Teammates(developers, static_cast<uint32_t>(self - developers.begin()));
}

}  // namespace clawsim::model
