#include "sim/scenario/compile.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "sim/proto/scenario.pb.h"
#include "sim/scenario/presets.h"
#include "sim/scenario/scale_organisation.h"
#include "sim/scenario/validate.h"

namespace clawsim::scenario {
namespace {

namespace pb = ::clawsim::proto;
using engine::kUsPerDay;
using engine::kUsPerHour;
using engine::kUsPerMinute;

TimeUs HoursToUs(double h) { return static_cast<TimeUs>(std::llround(h * static_cast<double>(kUsPerHour))); }
TimeUs MinutesToUs(double m) { return static_cast<TimeUs>(std::llround(m * static_cast<double>(kUsPerMinute))); }
TimeUs DaysToUs(int64_t d) { return d * kUsPerDay; }

// Proto enums are numbered from 1 in declaration order; ours from 0 in the same order.
template <typename To, typename From>
To Enum(From v) {
  return static_cast<To>(static_cast<int>(v) - 1);
}

Distribution MakeBeta(double alpha, double beta) {
  Distribution d;
  d.kind = Distribution::Kind::kBeta;
  d.alpha = alpha;
  d.beta = beta;
  d.min = 0;
  d.max = 1;
  return d;
}

Distribution MakeConstant(double v) {
  Distribution d;
  d.value = v;
  return d;
}

// The documented default distribution of a field, with whatever the file set laid over it:
// "skill { alpha: 3 }" is the default beta(4, 2) with alpha 3, not a constant 0.
Distribution CompileDistribution(bool present, const pb::Distribution& p, Distribution d) {
  if (!present) return d;
  if (p.has_kind()) d.kind = Enum<Distribution::Kind>(p.kind());
  if (p.has_value()) d.value = p.value();
  if (p.has_mean()) d.mean = p.mean();
  if (p.has_stddev()) d.stddev = p.stddev();
  if (p.has_alpha()) d.alpha = p.alpha();
  if (p.has_beta()) d.beta = p.beta();
  if (p.has_min()) d.min = p.min();
  if (p.has_max()) d.max = p.max();
  // A BETA lives on [min, max]; without a max of its own that is [min, 1].
  if (d.kind == Distribution::Kind::kBeta && !p.has_max() && d.max > 1e15) d.max = 1;
  return d;
}

WorkStream CompileWork(const pb::WorkStream& w) {
  WorkStream out;
  out.per_day = w.per_day();
  out.value_usd = CompileDistribution(w.has_value_usd(), w.value_usd(), MakeConstant(0));
  out.effort_minutes = CompileDistribution(w.has_effort_minutes(), w.effort_minutes(), MakeConstant(5));
  return out;
}

using NameIndex = std::map<std::string, uint32_t>;

template <typename T>
NameIndex IndexNames(const google::protobuf::RepeatedPtrField<T>& list) {
  NameIndex index;
  for (int i = 0; i < list.size(); ++i) index.emplace(list.Get(i).name(), static_cast<uint32_t>(i));
  return index;
}

uint32_t Find(const NameIndex& index, const std::string& name) {
  const auto it = index.find(name);
  return it == index.end() ? kNoId : it->second;
}

class Compiler {
 public:
  Compiler(const pb::Scenario& s, Problems* p, CompiledScenario* out) : s_(s), p_(p), out_(out) {}

  void Run() {
    *out_ = CompiledScenario{};
    out_->name = s_.name();
    out_->description = s_.description();
    RunAndCalendar();
    Organization();
    if (!p_->empty()) return;  // ids below depend on a sound organisation
    Roles();
    TiersSkillsProfiles();
    Assignments();
    Permissions();
    Services();
    IncentivesThreatsDefenses();
    Interventions();
  }

 private:
  void RunAndCalendar();
  void Organization();
  void ResolveManagers(const NameIndex& employee_index);
  void Roles();
  void TiersSkillsProfiles();
  void Assignments();
  void Permissions();
  void Services();
  void IncentivesThreatsDefenses();
  void Interventions();

  const pb::Scenario& s_;
  Problems* p_;
  CompiledScenario* out_;
  NameIndex teams_, employees_, tiers_, skills_, profiles_, services_, channels_;
};

void Compiler::RunAndCalendar() {
  RunConfig& run = out_->run;
  run.days = s_.run().days();
  run.end_us = DaysToUs(run.days);
  run.seed = s_.run().seed();
  run.start_weekday = static_cast<int>(s_.run().start_weekday()) - 1;

  const pb::CalendarSettings& c = s_.calendar();
  CalendarConfig& cal = out_->calendar;
  cal.workday_start_us = HoursToUs(c.workday_start_hour());
  cal.workday_end_us = HoursToUs(c.workday_end_hour());
  if (c.working_days_size() > 0) {
    std::fill(std::begin(cal.working_weekday), std::end(cal.working_weekday), false);
    for (int d : c.working_days()) cal.working_weekday[d - 1] = true;
  }
  cal.holidays.assign(c.holidays().begin(), c.holidays().end());
  std::sort(cal.holidays.begin(), cal.holidays.end());
  cal.holidays.erase(std::unique(cal.holidays.begin(), cal.holidays.end()), cal.holidays.end());
  cal.start_jitter_stddev_us = MinutesToUs(c.start_jitter_minutes());
  cal.overtime_us = MinutesToUs(c.overtime_minutes());
}

void Compiler::Organization() {
  const pb::Organization& org = s_.organization();
  struct Organization& o = out_->organization;
  o.domain = org.domain();
  teams_ = IndexNames(org.teams());
  o.teams.resize(static_cast<size_t>(org.teams_size()));

  // Generated members, team by team: managers first, then developers, then OTHER staff.
  for (int t = 0; t < org.teams_size(); ++t) {
    const pb::Team& pt = org.teams(t);
    Team& team = o.teams[static_cast<size_t>(t)];
    team.name = pt.name();
    team.parent = pt.parent().empty() ? kNoId : Find(teams_, pt.parent());
    const int managers = std::min(pt.managers(), pt.size());
    const int staff = pt.size() - managers;
    const int developers = static_cast<int>(std::llround(pt.developer_fraction() * staff));
    for (int j = 0; j < pt.size(); ++j) {
      Employee e;
      e.name = pt.name() + "-" + std::to_string(j + 1);
      e.team = static_cast<TeamId>(t);
      e.role = j < managers ? Role::kManager : (j - managers < developers ? Role::kDeveloper : Role::kOther);
      o.employees.push_back(std::move(e));
    }
  }
  // Explicitly listed employees.
  for (const pb::Employee& pe : org.employees()) {
    Employee e;
    e.name = pe.name();
    e.role = Enum<Role>(pe.role());
    e.team = Find(teams_, pe.team());
    if (pe.has_competitiveness()) e.traits.competitiveness = pe.competitiveness();
    if (pe.has_pressure_sensitivity()) e.traits.pressure_sensitivity = pe.pressure_sensitivity();
    if (pe.has_automation_trust()) e.traits.automation_trust = pe.automation_trust();
    if (pe.has_skill()) e.traits.skill = pe.skill();
    if (pe.has_codebase_familiarity()) e.traits.codebase_familiarity = pe.codebase_familiarity();
    o.employees.push_back(std::move(e));
  }
  for (uint32_t i = 0; i < o.employees.size(); ++i) {
    employees_.emplace(o.employees[i].name, i);
    o.teams[o.employees[i].team].members.push_back(i);
  }
  for (Team& team : o.teams) {
    for (EmployeeId id : team.members) {
      if (o.employees[id].role == Role::kManager) {
        team.lead = id;
        break;
      }
    }
  }
  ResolveManagers(employees_);

  const pb::TraitDistributions& tr = org.traits();
  o.traits.competitiveness = CompileDistribution(tr.has_competitiveness(), tr.competitiveness(), MakeBeta(2, 2));
  o.traits.pressure_sensitivity =
      CompileDistribution(tr.has_pressure_sensitivity(), tr.pressure_sensitivity(), MakeBeta(2, 2));
  o.traits.automation_trust = CompileDistribution(tr.has_automation_trust(), tr.automation_trust(), MakeBeta(2, 2));
  o.traits.skill = CompileDistribution(tr.has_skill(), tr.skill(), MakeBeta(4, 2));
  o.traits.team_automation_trust =
      CompileDistribution(tr.has_team_automation_trust(), tr.team_automation_trust(), MakeBeta(2, 2));
  o.traits.team_automation_trust_weight = tr.team_automation_trust_weight();
  o.traits.codebase_familiarity =
      CompileDistribution(tr.has_codebase_familiarity(), tr.codebase_familiarity(), MakeBeta(2, 2));
  o.traits.work_suitability = CompileDistribution(tr.has_work_suitability(), tr.work_suitability(), MakeBeta(2, 2));
  o.traits.work_suitability_team_weight = tr.work_suitability_team_weight();
  o.effort_factor_at_skill_0 = org.effort_factor_at_skill_0();
  o.effort_factor_at_skill_1 = org.effort_factor_at_skill_1();
}

// The reporting graph: explicit `manager` wins; a team lead reports to the nearest ancestor
// team's lead; other managers report to their lead; staff are spread round-robin over
// their team's managers; a team without managers reports like its lead would.
void Compiler::ResolveManagers(const NameIndex& employee_index) {
  struct Organization& o = out_->organization;
  const pb::Organization& org = s_.organization();
  const size_t generated = o.employees.size() - static_cast<size_t>(org.employees_size());
  auto ancestor_lead = [&](TeamId t) {
    for (TeamId p = o.teams[t].parent; p != kNoId; p = o.teams[p].parent) {
      if (o.teams[p].lead != kNoId) return o.teams[p].lead;
    }
    return kNoId;
  };
  for (Team& team : o.teams) {
    std::vector<EmployeeId> managers;
    for (EmployeeId id : team.members) {
      if (o.employees[id].role == Role::kManager) managers.push_back(id);
    }
    const TeamId t = static_cast<TeamId>(&team - o.teams.data());
    size_t staff_index = 0;
    for (EmployeeId id : team.members) {
      Employee& e = o.employees[id];
      if (id == team.lead || managers.empty()) {
        e.manager = ancestor_lead(t);
      } else if (e.role == Role::kManager) {
        e.manager = team.lead;
      } else {
        e.manager = managers[staff_index++ % managers.size()];
      }
    }
  }
  for (size_t i = 0; i < static_cast<size_t>(org.employees_size()); ++i) {
    const pb::Employee& pe = org.employees(static_cast<int>(i));
    if (!pe.manager().empty()) o.employees[generated + i].manager = Find(employee_index, pe.manager());
  }
  // Only explicit `manager` fields can close a loop; report each loop at one of them.
  std::vector<bool> reported(o.employees.size(), false);
  for (size_t i = 0; i < static_cast<size_t>(org.employees_size()); ++i) {
    const EmployeeId start = static_cast<EmployeeId>(generated + i);
    EmployeeId cur = start;
    for (size_t steps = 0; cur != kNoId && steps <= o.employees.size(); ++steps) {
      cur = o.employees[cur].manager;
      if (cur == start) break;
    }
    if (cur == start && !reported[start]) {
      std::string chain = o.employees[start].name;
      for (EmployeeId c = o.employees[start].manager; c != start; c = o.employees[c].manager) {
        reported[c] = true;
        chain += " -> " + o.employees[c].name;
      }
      reported[start] = true;
      p_->Add(org.employees(static_cast<int>(i)), "manager", -1,
              "employee \"" + o.employees[start].name + "\": the reporting chain loops (" + chain + " -> " +
                  o.employees[start].name + "); set manager to break it");
    }
  }
}

void Compiler::Roles() {
  for (const pb::RoleProfile& pr : s_.roles()) {
    RoleProfile& r = out_->roles[static_cast<int>(Enum<Role>(pr.role()))];
    r.loaded_hourly_cost_usd = pr.loaded_hourly_cost_usd();
    r.emails = CompileWork(pr.emails());
    r.chat_requests = CompileWork(pr.chat_requests());
    const pb::CodeWork& c = pr.code();
    r.code.changes = CompileWork(c.changes());
    r.code.quality = CompileDistribution(c.has_quality(), c.quality(), MakeBeta(5, 2));
    r.code.reviewers = c.reviewers();
    r.code.review_minutes = c.review_minutes();
    r.code.review_wait_us = HoursToUs(c.review_wait_hours());
    r.code.review_catch_probability = c.review_catch_probability();
    r.code.review_attention_minutes = c.review_attention_minutes();
    r.code.review_budget_us_per_day = MinutesToUs(c.review_minutes_per_day());
    r.code.review_overdue_us = HoursToUs(c.review_overdue_hours());
    r.code.assignment = Enum<CodeWork::Assignment>(c.assignment());
    r.code.quality_factor_at_skill_0 = c.quality_factor_at_skill_0();
    r.code.quality_factor_at_skill_1 = c.quality_factor_at_skill_1();
    r.code.rework_fraction = c.rework_fraction();
    r.code.rework_fix_probability = c.rework_fix_probability();
    const pb::Backlog& b = pr.backlog();
    r.backlog.kind = Enum<Backlog::Kind>(b.kind());
    r.backlog.max_utilisation = b.max_utilisation();
    r.backlog.value_usd = CompileDistribution(b.has_value_usd(), b.value_usd(), MakeConstant(0));
    r.backlog.effort_minutes = CompileDistribution(b.has_effort_minutes(), b.effort_minutes(), MakeConstant(30));
    r.spam_fraction = pr.spam_fraction();
    r.spam_minutes = pr.spam_minutes();
  }
}

void Compiler::TiersSkillsProfiles() {
  tiers_ = IndexNames(s_.model_tiers());
  skills_ = IndexNames(s_.skills());
  profiles_ = IndexNames(s_.agent_profiles());
  for (const pb::ModelTier& pt : s_.model_tiers()) {
    ModelTier t;
    t.name = pt.name();
    t.provider = pt.provider();
    t.model = pt.model();
    t.input_usd_per_mtok = pt.input_usd_per_mtok();
    t.output_usd_per_mtok = pt.output_usd_per_mtok();
    t.cached_input_usd_per_mtok = pt.cached_input_usd_per_mtok();
    t.cache_hit_fraction = pt.cache_hit_fraction();
    t.latency_us = static_cast<TimeUs>(std::llround(pt.latency_ms() * 1000.0));
    t.output_tokens_per_second = pt.output_tokens_per_second();
    t.error_rate = pt.error_rate();
    t.injection_susceptibility = pt.injection_susceptibility();
    t.context_window_tokens = pt.context_window_tokens();
    out_->tiers.push_back(std::move(t));
  }
  for (const pb::Skill& ps : s_.skills()) {
    Skill k;
    k.name = ps.name();
    k.kind = Enum<SkillKind>(ps.kind());
    k.purpose = Enum<Purpose>(ps.purpose());
    for (int a : ps.actions()) k.action_mask |= 1u << (a - 1);
    k.base_input_tokens = ps.base_input_tokens();
    k.input_tokens_per_item = ps.input_tokens_per_item();
    k.max_items = ps.max_items();
    k.reads_memory = ps.reads_memory();
    k.output_tokens = ps.output_tokens();
    k.minutes_saved_per_item = ps.minutes_saved_per_item();
    k.error_rate_multiplier = ps.error_rate_multiplier();
    k.error_effect = Enum<ErrorEffect>(ps.error_effect());
    k.error_cost_minutes = ps.error_cost_minutes();
    k.draft_saving_fraction = ps.draft_saving_fraction();
    k.max_saving_fraction = ps.max_saving_fraction();
    k.turns_per_item = ps.turns_per_item();
    out_->skills.push_back(std::move(k));
  }
  for (const pb::AgentProfile& pa : s_.agent_profiles()) {
    AgentProfile a;
    a.name = pa.name();
    a.tier = Find(tiers_, pa.model_tier());
    for (const std::string& name : pa.skills()) a.skills.push_back(Find(skills_, name));
    std::sort(a.skills.begin(), a.skills.end());
    a.skills.erase(std::unique(a.skills.begin(), a.skills.end()), a.skills.end());
    for (SkillId k : a.skills) a.action_mask |= out_->skills[k].action_mask;
    const pb::Heartbeat& ph = pa.heartbeat();
    a.heartbeat.enabled = ph.enabled();
    a.heartbeat.interval_us = MinutesToUs(ph.interval_minutes());
    a.heartbeat.active_start_us = HoursToUs(ph.active_start_hour());
    a.heartbeat.active_end_us = HoursToUs(ph.active_end_hour());
    a.heartbeat.working_days_only = ph.working_days_only();
    a.heartbeat.checklist_tokens = ph.checklist_tokens();
    a.heartbeat.quiet_output_tokens = ph.quiet_output_tokens();
    a.heartbeat.skill = ph.skill().empty() ? kNoId : Find(skills_, ph.skill());
    for (const pb::CronJob& pj : pa.cron()) {
      CronJob j;
      j.name = pj.name();
      j.skill = Find(skills_, pj.skill());
      j.at_us = HoursToUs(pj.at_hour());
      j.every_us = MinutesToUs(pj.every_minutes());
      j.working_days_only = pj.working_days_only();
      j.purpose = pj.has_purpose() ? Enum<Purpose>(pj.purpose()) : out_->skills[j.skill].purpose;
      a.cron.push_back(std::move(j));
    }
    for (const pb::EventTrigger& pt : pa.triggers()) {
      EventTrigger t;
      t.event = Enum<Event>(pt.event());
      t.skill = Find(skills_, pt.skill());
      t.debounce_us = MinutesToUs(pt.debounce_minutes());
      t.active_hours_only = pt.active_hours_only();
      a.triggers.push_back(t);
    }
    const pb::Memory& pm = pa.memory();
    a.memory.initial_tokens = pm.initial_tokens();
    a.memory.tokens_per_invocation = pm.tokens_per_invocation();
    a.memory.tokens_per_day = pm.tokens_per_day();
    a.memory.consolidate = pm.consolidate();
    a.memory.consolidate_at_us = HoursToUs(pm.consolidate_at_hour());
    a.memory.retain_fraction = pm.retain_fraction();
    a.memory.consolidation_tier =
        pm.consolidation_model_tier().empty() ? a.tier : Find(tiers_, pm.consolidation_model_tier());
    a.memory.max_tokens = pm.max_tokens();
    a.memory.tokens_per_quiet_cycle = pm.tokens_per_quiet_cycle();
    a.memory.min_tokens = pm.min_tokens();
    out_->profiles.push_back(std::move(a));
  }
}

void Compiler::Assignments() {
  for (const pb::AgentAssignment& pa : s_.agent_assignments()) {
    AgentAssignment a;
    a.profile = Find(profiles_, pa.profile());
    if (pa.has_role()) a.role = Enum<Role>(pa.role());
    a.team = pa.team().empty() ? kNoId : Find(teams_, pa.team());
    a.fraction = pa.fraction();
    a.weight_by_trust = pa.weight_by_trust();
    out_->assignments.push_back(a);
  }
}

void Compiler::Permissions() {
  out_->permissions.default_mode = Enum<Mode>(s_.permissions().default_mode());
  // A preset replaces the listed agent rules (the people's rules stay).
  const std::vector<pb::PermissionRule> effective = EffectiveRules(s_.permissions());
  for (const pb::PermissionRule& pr : effective) {
    PermissionRule r;
    r.name = pr.name();
    const pb::Principal& pp = pr.principal();
    r.principal.subject = Enum<Principal::Subject>(pp.subject());
    switch (pp.selector_case()) {
      case pb::Principal::kRole:
        r.principal.selector = Principal::Selector::kRole;
        r.principal.role = Enum<Role>(pp.role());
        break;
      case pb::Principal::kTeam:
        r.principal.selector = Principal::Selector::kTeam;
        r.principal.id = Find(teams_, pp.team());
        break;
      case pb::Principal::kAgentProfile:
        r.principal.selector = Principal::Selector::kAgentProfile;
        r.principal.id = Find(profiles_, pp.agent_profile());
        break;
      case pb::Principal::kAgentOwner:
        r.principal.selector = Principal::Selector::kAgentOwner;
        r.principal.id = Find(employees_, pp.agent_owner());
        break;
      case pb::Principal::SELECTOR_NOT_SET:
        r.principal.selector = Principal::Selector::kEveryone;
        break;
    }
    r.action = Enum<Action>(pr.action());
    r.mode = Enum<Mode>(pr.mode());
    r.scope = Enum<Scope>(pr.scope());
    r.rate_limit_per_hour = pr.rate_limit_per_hour();
    r.working_hours_only = pr.working_hours_only();
    r.not_during_freeze = pr.not_during_freeze();
    r.max_blast_radius = pr.max_blast_radius();
    out_->permissions.rules.push_back(std::move(r));
  }
  const pb::ApprovalSettings& pa = s_.approvals();
  ApprovalConfig& a = out_->approvals;
  a.approver = Enum<ApprovalConfig::Approver>(pa.approver());
  a.minutes_per_approval = pa.minutes_per_approval();
  a.response_us = MinutesToUs(pa.response_minutes());
  a.accuracy_max = pa.accuracy_max();
  a.accuracy_min = pa.accuracy_min();
  a.fatigue_half_life_approvals_per_day = pa.fatigue_half_life_approvals_per_day();
  a.auto_approve_on_timeout = pa.auto_approve_on_timeout();
  a.timeout_us = MinutesToUs(pa.timeout_minutes());
}

void Compiler::Services() {
  const pb::EmailSettings& pe = s_.email();
  out_->email.delivery_latency_us = engine::SecondsToUs(pe.delivery_latency_seconds());
  out_->email.per_sender_limit_per_hour = pe.per_sender_limit_per_hour();
  out_->email.external_domains.assign(pe.external_domains().begin(), pe.external_domains().end());
  if (out_->email.external_domains.empty()) out_->email.external_domains = {"external.example"};
  out_->email.external_fraction = pe.external_fraction();
  out_->email.sensitive_fraction = pe.sensitive_fraction();
  out_->email.outside_team_fraction = pe.outside_team_fraction();

  // Chat: listed channels, then a generated TEAM channel for each team without one.
  const pb::ChatSettings& pc = s_.chat();
  ChatConfig& chat = out_->chat;
  chat.delivery_latency_us = engine::SecondsToUs(pc.delivery_latency_seconds());
  chat.post_limit_per_hour = pc.post_limit_per_hour();
  chat.team_channel.assign(out_->organization.teams.size(), kNoId);
  for (const pb::Channel& ch : pc.channels()) {
    Channel c;
    c.name = ch.name();
    c.kind = Enum<ChannelKind>(ch.kind());
    if (c.kind != ChannelKind::kCompany) {
      for (const std::string& t : ch.teams()) c.teams.push_back(Find(teams_, t));
    }
    c.chatter_per_member_per_day = ch.chatter_per_member_per_day();
    const ChannelId id = static_cast<ChannelId>(chat.channels.size());
    if (c.kind == ChannelKind::kTeam && chat.team_channel[c.teams[0]] == kNoId) chat.team_channel[c.teams[0]] = id;
    channels_.emplace(c.name, id);
    chat.channels.push_back(std::move(c));
  }
  if (pc.team_channels()) {
    for (TeamId t = 0; t < out_->organization.teams.size(); ++t) {
      if (chat.team_channel[t] != kNoId) continue;
      Channel c;
      c.name = "team-" + out_->organization.teams[t].name;
      c.kind = ChannelKind::kTeam;
      c.teams = {t};
      if (channels_.count(c.name) > 0) {
        p_->Add(pc, "team_channels", -1,
                "chat: the generated channel \"" + c.name + "\" for team \"" + out_->organization.teams[t].name +
                    "\" clashes with a listed channel; rename that channel or make it the team's TEAM channel");
        continue;
      }
      chat.team_channel[t] = static_cast<ChannelId>(chat.channels.size());
      channels_.emplace(c.name, chat.team_channel[t]);
      chat.channels.push_back(std::move(c));
    }
  }

  // Deploy: services with both edge directions and blast radius (transitive dependents).
  const pb::DeploySettings& pd = s_.deploy();
  DeployConfig& d = out_->deploy;
  services_ = IndexNames(pd.services());
  for (const pb::Service& ps : pd.services()) {
    Service sv;
    sv.name = ps.name();
    sv.owner_team = Find(teams_, ps.owner_team());
    sv.downtime_cost_usd_per_minute =
        ps.has_downtime_cost_usd_per_minute() ? ps.downtime_cost_usd_per_minute() : pd.downtime_cost_usd_per_minute();
    for (const std::string& dep : ps.depends_on()) sv.depends_on.push_back(Find(services_, dep));
    std::sort(sv.depends_on.begin(), sv.depends_on.end());
    sv.depends_on.erase(std::unique(sv.depends_on.begin(), sv.depends_on.end()), sv.depends_on.end());
    d.services.push_back(std::move(sv));
  }
  for (ServiceId i = 0; i < d.services.size(); ++i) {
    for (ServiceId dep : d.services[i].depends_on) d.services[dep].dependents.push_back(i);
  }
  for (ServiceId i = 0; i < d.services.size(); ++i) {
    std::vector<bool> seen(d.services.size(), false);
    std::vector<ServiceId> stack = d.services[i].dependents;
    int32_t count = 0;
    while (!stack.empty()) {
      const ServiceId s = stack.back();
      stack.pop_back();
      if (seen[s]) continue;
      seen[s] = true;
      ++count;
      for (ServiceId up : d.services[s].dependents) stack.push_back(up);
    }
    d.services[i].blast_radius = count;
  }
  if (pd.stages_size() == 0) {
    const struct { Stage stage; double minutes; } defaults[] = {
        {Stage::kBuild, 8}, {Stage::kStaging, 15}, {Stage::kCanary, 30}, {Stage::kProd, 10}};
    for (const auto& st : defaults) {
      PipelineStage s;
      s.stage = st.stage;
      s.duration_us = MinutesToUs(st.minutes);
      d.stages.push_back(s);
    }
  }
  for (const pb::PipelineStage& ps : pd.stages()) {
    PipelineStage s;
    s.stage = Enum<Stage>(ps.stage());
    s.duration_us = MinutesToUs(ps.duration_minutes());
    s.failure_probability_at_quality_0 = ps.failure_probability_at_quality_0();
    s.failure_probability_at_quality_1 = ps.failure_probability_at_quality_1();
    d.stages.push_back(s);
  }
  for (const pb::FreezeWindow& pf : pd.freezes()) {
    FreezeWindow f;
    f.name = pf.name();
    f.start_us = DaysToUs(pf.start_day()) + HoursToUs(pf.start_hour());
    f.duration_us = HoursToUs(pf.duration_hours());
    f.repeat_us = DaysToUs(pf.repeat_every_days());
    d.freezes.push_back(std::move(f));
  }
  const pb::IncidentSettings& pi = pd.incidents();
  d.incidents.spread_probability = pi.spread_probability();
  d.incidents.spread_delay_us = MinutesToUs(pi.spread_delay_minutes());
  d.incidents.detection_us = MinutesToUs(pi.detection_minutes());
  d.incidents.defect_incident_probability = pi.defect_incident_probability();
  d.incidents.spread_severity_step = pi.spread_severity_step();
  d.incidents.on_call_rotation_days = pi.on_call_rotation_days();
  d.manual_deploy_minutes = pd.manual_deploy_minutes();
  d.rollback_us = MinutesToUs(pd.rollback_minutes());
  d.concurrent_pipelines = pd.concurrent_pipelines();
  d.release_interval_us = DaysToUs(pd.release_every_days());
  d.release_offset_us = HoursToUs(pd.release_hour());
  d.release_testing_half_life_us = HoursToUs(pd.release_testing_half_life_hours());
  if (pi.severities_size() == 0) {
    d.incidents.severities = {{Severity::kSev1, 0.05, MinutesToUs(240), 600},
                              {Severity::kSev2, 0.25, MinutesToUs(90), 240},
                              {Severity::kSev3, 0.70, MinutesToUs(30), 60}};
  }
  for (const pb::SeverityProfile& ps : pi.severities()) {
    d.incidents.severities.push_back({Enum<Severity>(ps.severity()), ps.probability(),
                                      MinutesToUs(ps.time_to_restore_minutes()), ps.responder_minutes()});
  }
}

void Compiler::IncentivesThreatsDefenses() {
  const pb::AdoptionDynamics& pa = s_.adoption();
  AdoptionDynamics& ad = out_->adoption;
  ad.trust_prior_outcomes = pa.trust_prior_outcomes();
  ad.trust_memory_weeks = pa.trust_memory_weeks();
  ad.suitability_concentration = pa.suitability_concentration();
  ad.idle_cost_noticed = pa.idle_cost_noticed();
  ad.min_handover_share = pa.min_handover_share();
  ad.learn_from_record = pa.learn_from_record();
  ad.unassigned_changes_max = pa.unassigned_changes_max();
  ad.session_autonomy_reference_trust = pa.session_autonomy_reference_trust();
  ad.session_autonomy_max_factor = pa.session_autonomy_max_factor();
  const pb::AgentHelpCosts& ph = s_.help_costs();
  out_->help_costs = {ph.specify_minutes(), ph.check_minutes_per_saved_minute(), ph.wait_idle_fraction(),
                      ph.context_switch_minutes(), ph.familiarity_saving_discount(), ph.agent_code_size_ratio(),
                      ph.agent_code_defect_density_ratio(), ph.experience_cost_ratio_per_doubling(),
                      ph.prior_code_handovers()};
  const pb::Incentives& pi = s_.incentives();
  Incentives& in = out_->incentives;
  in.metric = Enum<IncentiveMetric>(pi.metric());
  in.leaderboard_visibility = Enum<Visibility>(pi.leaderboard_visibility());
  in.leaderboard_period_us = DaysToUs(pi.leaderboard_period_days());
  in.adoption_target_fraction = pi.adoption_target_fraction();
  in.active_user_min_tokens_per_week = pi.active_user_min_tokens_per_week();
  in.managers_act_on_it = pi.managers_act_on_it();
  in.manager_pressure = pi.manager_pressure();
  in.performative_base_per_week = pi.performative_base_per_week();
  in.performative_competitiveness_weight = pi.performative_competitiveness_weight();
  in.performative_pressure_weight = pi.performative_pressure_weight();
  in.max_performative_automations = pi.max_performative_automations();
  in.performative_drop_per_week = pi.performative_drop_per_week();
  in.ratios_from_day = pi.ratios_from_day();
  const pb::VisibilityWeights& vw = pi.visibility_weights();
  in.visibility_weight[0] = vw.public_();
  in.visibility_weight[1] = vw.team();
  in.visibility_weight[2] = vw.managers_only();
  in.visibility_weight[3] = vw.self_only();
  in.token_budget_per_week = pi.token_budget_per_week();
  in.budget_action = Enum<BudgetAction>(pi.budget_action());
  for (const pb::PerformativeAutomation& pp : pi.performative_automations()) {
    PerformativeAutomation a;
    a.name = pp.name();
    a.kind = Enum<PerformativeAutomation::Kind>(pp.kind());
    a.factor = pp.factor();
    a.skill = pp.skill().empty() ? kNoId : Find(skills_, pp.skill());
    a.every_us = MinutesToUs(pp.every_minutes());
    a.weight = pp.weight();
    a.setup_minutes = pp.setup_minutes();
    in.performative_automations.push_back(std::move(a));
  }

  const pb::Threats& pt = s_.threats();
  Threats& t = out_->threats;
  t.agent_error_rate_multiplier = pt.agent_error_rate_multiplier();
  t.phishing_click_probability = pt.phishing_click_probability();
  t.phished_actions_per_hour = pt.phished_actions_per_hour();
  for (const pb::InjectionCampaign& pc : pt.injection_campaigns()) {
    InjectionCampaign c;
    c.name = pc.name();
    c.start_us = DaysToUs(pc.start_day());
    c.end_us = pc.duration_days() == 0 ? out_->run.end_us
                                       : std::min(out_->run.end_us, c.start_us + DaysToUs(pc.duration_days()));
    c.emails_per_day = pc.emails_per_day();
    if (pc.has_target_role()) c.target_role = Enum<Role>(pc.target_role());
    c.target_team = pc.target_team().empty() ? kNoId : Find(teams_, pc.target_team());
    c.success_probability = pc.success_probability();
    c.goal = Enum<AttackGoal>(pc.goal());
    c.sender_domain = pc.sender_domain();
    c.persisted_goal = Enum<AttackGoal>(pc.persisted_goal());
    c.share_probability = pc.share_probability();
    c.forward_probability = pc.forward_probability();
    t.injection_campaigns.push_back(std::move(c));
  }
  for (const pb::AgentCompromise& pc : pt.compromised_agents()) {
    AgentCompromise c;
    c.name = pc.name();
    c.start_us = DaysToUs(pc.start_day());
    c.fraction = pc.fraction();
    c.agent_owner = pc.agent_owner().empty() ? kNoId : Find(employees_, pc.agent_owner());
    c.actions_per_hour = pc.actions_per_hour();
    c.goal = Enum<AttackGoal>(pc.goal());
    t.compromised_agents.push_back(std::move(c));
  }
  for (const pb::MaliciousSkill& pm : pt.malicious_skills()) {
    t.malicious_skills.push_back(
        {Find(skills_, pm.skill()), DaysToUs(pm.start_day()), pm.attack_probability(), Enum<AttackGoal>(pm.goal())});
  }

  const pb::Defenses& pd = s_.defenses();
  Defenses& d = out_->defenses;
  d.least_privilege_tools = pd.least_privilege_tools();
  const pb::InjectionDetector& det = pd.injection_detector();
  d.injection_detector.enabled = det.enabled();
  d.injection_detector.detection_rate = det.detection_rate();
  d.injection_detector.false_positive_rate = det.false_positive_rate();
  d.injection_detector.tier = det.model_tier().empty() ? kNoId : Find(tiers_, det.model_tier());
  d.injection_detector.tokens_per_check = det.tokens_per_check();
  d.injection_detector.release_minutes = det.release_minutes();
  d.injection_detector.screens_tool_outputs = det.screens() == pb::InjectionDetector::TOOL_OUTPUTS;
  d.memory_quarantine = pd.memory_quarantine();
  for (const pb::CircuitBreaker& pc : pd.circuit_breakers()) {
    CircuitBreaker c;
    c.name = pc.name();
    c.metric = Enum<CircuitBreaker::Metric>(pc.metric());
    c.threshold = pc.threshold();
    c.window_us = MinutesToUs(pc.window_minutes());
    c.response = Enum<CircuitBreaker::Response>(pc.response());
    c.cooldown_us = MinutesToUs(pc.cooldown_minutes());
    c.scope = Enum<CircuitBreaker::Scope>(pc.scope());
    for (const std::string& team : pc.group_teams()) c.group_teams.push_back(Find(teams_, team));
    for (const std::string& profile : pc.group_agent_profiles()) c.group_profiles.push_back(Find(profiles_, profile));
    d.circuit_breakers.push_back(std::move(c));
  }
}

void Compiler::Interventions() {
  for (const pb::Intervention& pi : s_.interventions()) {
    Intervention iv;
    iv.at_us = pi.has_at_hours() ? HoursToUs(pi.at_hours()) : DaysToUs(pi.day()) + HoursToUs(pi.hour());
    iv.path = pi.set_path();
    iv.value = pi.value();
    iv.note = pi.note();
    out_->interventions.push_back(std::move(iv));
  }
  std::stable_sort(out_->interventions.begin(), out_->interventions.end(),
                   [](const Intervention& a, const Intervention& b) { return a.at_us < b.at_us; });
}

}  // namespace

void CompileValidatedScenario(const proto::Scenario& scenario, Problems* problems, CompiledScenario* out) {
  if (scenario.organization().divisions() <= 1) {
    Compiler(scenario, problems, out).Run();
    return;
  }
  // organization.divisions: the organisation the rule grows (scale_organisation.h), compiled
  // from a copy; the scenario as written (what a run file records) keeps the setting.
  proto::Scenario grown = scenario;
  const Status s = AddDivisions(static_cast<uint32_t>(scenario.organization().divisions()), &grown);
  if (!s.ok()) {
    problems->Add(scenario.organization(), "divisions", -1, "organization.divisions: " + s.message());
    return;
  }
  grown.mutable_organization()->clear_divisions();
  Compiler(grown, problems, out).Run();
}

Status CompileScenario(const proto::Scenario& scenario, CompiledScenario* out) {
  SourceMap no_file;
  Problems problems(no_file);
  ValidateScenario(scenario, &problems);
  if (problems.empty()) CompileValidatedScenario(scenario, &problems, out);
  return problems.ToStatus();
}

}  // namespace clawsim::scenario
