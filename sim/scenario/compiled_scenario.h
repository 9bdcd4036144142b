// CompiledScenario: a validated scenario as plain C++ values, ready for the model.
//
// CompileScenario (compile.h) turns a proto::Scenario into this. Every name is resolved to a
// dense id that indexes the matching vector (TeamId 3 is teams[3]); every fixed time or
// duration is an integer engine::TimeUs (microseconds); money is USD as double. Defaults
// documented in sim/proto/scenario.proto have been filled in, so nothing here is "unset".
//
// What is *not* done here, on purpose: anything random. Traits, agent adoption, arrivals
// and samples from Distribution are drawn by the model from its per-LP RNG streams, so a
// compiled scenario is a pure function of the file (and overrides) and never of the seed.
//
// The structure (employees with roles, teams and managers) is expanded deterministically:
// generated members of team "payments" are named "payments-1", "payments-2", ...; the first
// `managers` of them are managers, then developers, then OTHER staff.
//
// Plain values, no protobuf types: copyable, comparable, safe to share read-only between
// threads once built.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/engine/time.h"

namespace clawsim::scenario {

using engine::TimeUs;

// Dense ids: index into the corresponding CompiledScenario vector.
using TeamId = uint32_t;
using EmployeeId = uint32_t;
using TierId = uint32_t;
using SkillId = uint32_t;
using ProfileId = uint32_t;
using ServiceId = uint32_t;
using ChannelId = uint32_t;
inline constexpr uint32_t kNoId = UINT32_MAX;  // "none": no manager, no parent team, ...

// ---- enums (mirror the proto enums; numbering is ours, dense from 0) --------------------

enum class Role : uint8_t { kDeveloper, kManager, kOther };
inline constexpr int kRoleCount = 3;

enum class Action : uint8_t {
  kEmailRead,
  kEmailSendInternal,
  kEmailSendExternal,
  kChatRead,
  kChatPost,
  kDeployStaging,
  kDeployProd,
  kDeployRollback,
};
inline constexpr int kActionCount = 8;

enum class Mode : uint8_t { kDeny, kAsk, kAllow };
enum class Scope : uint8_t { kOwn, kTeam, kAny };
enum class Severity : uint8_t { kSev1, kSev2, kSev3 };
enum class Purpose : uint8_t { kUseful, kOverhead, kPerformative };
inline constexpr int kPurposeCount = 3;

// Stable lower-case names for logs, CSV columns and the audit log.
std::string_view RoleName(Role role);         // "developer", "manager", "other"
std::string_view ActionName(Action action);   // "email.read", ..., "deploy.rollback"
std::string_view ModeName(Mode mode);         // "deny", "ask", "allow"
std::string_view ScopeName(Scope scope);      // "own", "team", "any"
std::string_view SeverityName(Severity s);    // "sev1", "sev2", "sev3"
std::string_view PurposeName(Purpose p);      // "useful", "overhead", "performative"

// A random quantity, sampled by the model; see proto Distribution for the meaning of each
// kind. The unit is that of the field holding it (e.g. `value_usd`, `effort_minutes`).
struct Distribution {
  enum class Kind : uint8_t { kConstant, kUniform, kNormal, kLogNormal, kBeta, kExponential };
  Kind kind = Kind::kConstant;
  double value = 0;
  double mean = 0;
  double stddev = 0;
  double alpha = 2;
  double beta = 2;
  double min = 0;
  double max = 1e18;
};

// ---- run and calendar -------------------------------------------------------------------

struct RunConfig {
  int32_t days = 30;
  TimeUs end_us = 30 * engine::kUsPerDay;  // days * kUsPerDay
  uint64_t seed = 1;
  int start_weekday = 0;  // weekday of day 0: 0 = Monday ... 6 = Sunday
};

struct CalendarConfig {
  TimeUs workday_start_us = 9 * engine::kUsPerHour;  // offset from midnight
  TimeUs workday_end_us = 17 * engine::kUsPerHour + 30 * engine::kUsPerMinute;
  bool working_weekday[7] = {true, true, true, true, true, false, false};  // [0] = Monday
  std::vector<int32_t> holidays;  // run-day indexes, sorted, unique
  TimeUs start_jitter_stddev_us = 20 * engine::kUsPerMinute;
  TimeUs overtime_us = 30 * engine::kUsPerMinute;  // a running task may overrun the day by this

  // Whether run day `day` is a working day, given the run's start weekday.
  bool IsWorkingDay(int32_t day, int start_weekday) const;
};

// ---- organisation -----------------------------------------------------------------------

struct TraitDistributions {
  Distribution competitiveness;       // default beta(2, 2) on [0, 1]
  Distribution pressure_sensitivity;  // default beta(2, 2) on [0, 1]
  Distribution automation_trust;      // default beta(2, 2) on [0, 1]
  Distribution skill;                 // default beta(4, 2) on [0, 1]
  Distribution team_automation_trust;  // default beta(2, 2) on [0, 1], one draw per team
  double team_automation_trust_weight = 0;  // share of a member's trust that is the team's
  Distribution codebase_familiarity;   // default beta(2, 2) on [0, 1], its own stream
  Distribution work_suitability;       // default beta(2, 2) on [0, 1], per team and per person
  double work_suitability_team_weight = 0.5;
};

struct Team {
  std::string name;
  TeamId parent = kNoId;          // team whose lead this team's lead reports to
  EmployeeId lead = kNoId;        // first manager, or kNoId for a team without managers
  std::vector<EmployeeId> members;  // ascending ids, managers included
};

// Trait values fixed in the scenario; nullopt = draw from TraitDistributions.
struct TraitOverrides {
  std::optional<double> competitiveness;
  std::optional<double> pressure_sensitivity;
  std::optional<double> automation_trust;
  std::optional<double> skill;
  std::optional<double> codebase_familiarity;
};

struct Employee {
  std::string name;
  Role role = Role::kDeveloper;
  TeamId team = kNoId;
  EmployeeId manager = kNoId;  // reporting graph edge; kNoId at the top
  TraitOverrides traits;
};

struct Organization {
  std::string domain;  // company email domain
  std::vector<Team> teams;
  std::vector<Employee> employees;  // generated ones first (team order), then explicit ones
  TraitDistributions traits;
  double effort_factor_at_skill_0 = 1.25;  // human effort multiplier, linear in skill
  double effort_factor_at_skill_1 = 0.75;

  double EffortFactor(double skill) const {
    return effort_factor_at_skill_0 + (effort_factor_at_skill_1 - effort_factor_at_skill_0) * skill;
  }
};

// ---- work and roles ---------------------------------------------------------------------

struct WorkStream {
  double per_day = 0;            // mean arrivals per employee per working day (Poisson)
  Distribution value_usd;        // value of one item handled correctly
  Distribution effort_minutes;   // human effort per item without an agent
};

struct CodeWork {
  WorkStream changes;
  Distribution quality;  // [0, 1], default beta(5, 2)
  int32_t reviewers = 1;
  double review_minutes = 20;  // human effort per review (sampled effort is minutes too)
  TimeUs review_wait_us = 3 * engine::kUsPerHour;  // mean, in working time
  double review_catch_probability = 0.5;  // per reviewer
  double quality_factor_at_skill_0 = 0.8;
  double quality_factor_at_skill_1 = 1.2;
  double rework_fraction = 0.3;
  double rework_fix_probability = 0.9;
  double review_attention_minutes = 60;  // a reviewer's most minutes on one change
  TimeUs review_budget_us_per_day = 0;   // a reviewer's most review time a working day (0: no limit)
  TimeUs review_overdue_us = 24 * engine::kUsPerHour;  // past it a review is taken whatever the budget
  enum class Assignment : uint8_t { kOwn, kTeamBoard };
  Assignment assignment = Assignment::kOwn;  // who takes an arriving change (the proto's comment)

  double QualityFactor(double skill) const {
    return quality_factor_at_skill_0 + (quality_factor_at_skill_1 - quality_factor_at_skill_0) * skill;
  }
};

struct Backlog {
  enum class Kind : uint8_t { kNone, kCodeChanges, kTasks };
  Kind kind = Kind::kNone;
  double max_utilisation = 0.8;
  Distribution value_usd;       // kTasks
  Distribution effort_minutes;  // kTasks
};

struct RoleProfile {
  double loaded_hourly_cost_usd = 100;
  WorkStream emails;
  WorkStream chat_requests;
  CodeWork code;
  double spam_fraction = 0.1;
  double spam_minutes = 0.5;
  Backlog backlog;
};

// ---- model tiers and skills -------------------------------------------------------------

struct ModelTier {
  std::string name;
  std::string provider;
  std::string model;
  double input_usd_per_mtok = 0;
  double output_usd_per_mtok = 0;
  double cached_input_usd_per_mtok = 0;
  double cache_hit_fraction = 0;
  TimeUs latency_us = 800 * engine::kUsPerMs;  // time to first token
  double output_tokens_per_second = 80;
  double error_rate = 0.05;
  int64_t context_window_tokens = 200000;
  double injection_susceptibility = 1;  // multiplies a campaign's success probability

  // Price of one call, USD, with cache_hit_fraction of the input billed at the cached rate.
  double CostUsd(int64_t input_tokens, int64_t output_tokens) const;
  // Wall time of one call: latency plus output generation.
  TimeUs CallDurationUs(int64_t output_tokens) const;
};

enum class SkillKind : uint8_t {
  kEmailTriage, kChatAnswer, kDeployMonitor, kDeployTrigger, kCodeHelp, kDailyBriefing, kSummary
};
enum class ErrorEffect : uint8_t {
  kNoEffect, kWrongReply, kMissedItem, kWrongRecipient, kNoisyPost, kBadDeploy, kMissedAlert
};

struct Skill {
  std::string name;
  SkillKind kind = SkillKind::kEmailTriage;
  Purpose purpose = Purpose::kUseful;
  uint32_t action_mask = 0;  // bit (1 << Action) for each action the skill may request
  int64_t base_input_tokens = 3000;
  int64_t input_tokens_per_item = 400;
  int32_t max_items = 20;
  bool reads_memory = true;
  int64_t output_tokens = 500;
  double minutes_saved_per_item = 3;
  double error_rate_multiplier = 1;
  ErrorEffect error_effect = ErrorEffect::kWrongReply;
  double error_cost_minutes = 10;
  double draft_saving_fraction = 0.3;
  double max_saving_fraction = 0.5;
  int32_t turns_per_item = 1;

  bool MayRequest(Action a) const { return (action_mask >> static_cast<int>(a)) & 1u; }
};

// ---- agents -----------------------------------------------------------------------------

struct Heartbeat {
  bool enabled = true;
  TimeUs interval_us = 30 * engine::kUsPerMinute;
  TimeUs active_start_us = 8 * engine::kUsPerHour;  // offset from midnight
  TimeUs active_end_us = 19 * engine::kUsPerHour;
  bool working_days_only = true;
  int64_t checklist_tokens = 800;
  int64_t quiet_output_tokens = 40;
  SkillId skill = kNoId;  // run when the checklist finds work; kNoId = none
};

struct CronJob {
  std::string name;
  SkillId skill = kNoId;
  TimeUs at_us = 8 * engine::kUsPerHour;  // offset from midnight of the first run
  TimeUs every_us = 0;                    // 0 = once a day
  bool working_days_only = true;
  Purpose purpose = Purpose::kUseful;     // resolved: the override or the skill's purpose
};

enum class Event : uint8_t {
  kNewEmail, kChatMention, kChatMessage, kPipelineResult, kReviewRequest, kIncident, kCodeStarted
};

struct EventTrigger {
  Event event = Event::kNewEmail;
  SkillId skill = kNoId;
  TimeUs debounce_us = 0;
  bool active_hours_only = false;
};

struct Memory {
  int64_t initial_tokens = 2000;
  int64_t tokens_per_invocation = 60;
  int64_t tokens_per_day = 500;
  bool consolidate = true;
  TimeUs consolidate_at_us = 3 * engine::kUsPerHour;  // offset from midnight
  double retain_fraction = 0.4;
  TierId consolidation_tier = kNoId;  // resolved: the override or the profile's tier
  int64_t max_tokens = 100000;
  int64_t tokens_per_quiet_cycle = 15;
  int64_t min_tokens = 1000;
};

struct AgentProfile {
  std::string name;
  TierId tier = kNoId;
  std::vector<SkillId> skills;   // installed skills, ascending, unique
  uint32_t action_mask = 0;      // union of the skills' action masks (least privilege)
  Heartbeat heartbeat;
  std::vector<CronJob> cron;
  std::vector<EventTrigger> triggers;
  Memory memory;
};

struct AgentAssignment {
  ProfileId profile = kNoId;
  std::optional<Role> role;  // nullopt = any role
  TeamId team = kNoId;       // kNoId = any team
  double fraction = 1;
  bool weight_by_trust = false;
};

// ---- permissions and approvals ----------------------------------------------------------

struct Principal {
  enum class Subject : uint8_t { kAgents, kHumans };
  enum class Selector : uint8_t { kEveryone, kRole, kTeam, kAgentProfile, kAgentOwner };
  Subject subject = Subject::kAgents;
  Selector selector = Selector::kEveryone;
  Role role = Role::kDeveloper;  // when selector == kRole
  uint32_t id = kNoId;  // TeamId, ProfileId or EmployeeId for kTeam, kAgentProfile, kAgentOwner
};

struct PermissionRule {
  std::string name;
  Principal principal;
  Action action = Action::kEmailRead;
  Mode mode = Mode::kDeny;
  Scope scope = Scope::kOwn;
  double rate_limit_per_hour = 0;  // 0 = no limit
  bool working_hours_only = false;
  bool not_during_freeze = false;
  int32_t max_blast_radius = -1;   // -1 = no limit
};

struct PermissionPolicy {
  Mode default_mode = Mode::kDeny;
  std::vector<PermissionRule> rules;  // file order
};

struct ApprovalConfig {
  enum class Approver : uint8_t { kOwner, kOnCall, kManager };
  Approver approver = Approver::kOwner;
  double minutes_per_approval = 1.5;  // human effort per decision
  TimeUs response_us = 20 * engine::kUsPerMinute;
  double accuracy_max = 0.95;
  double accuracy_min = 0.55;
  double fatigue_half_life_approvals_per_day = 25;
  bool auto_approve_on_timeout = false;
  TimeUs timeout_us = 4 * engine::kUsPerHour;
  // The fatigue curve itself is the approval service's (services::FatigueCurve); the model
  // builds it from accuracy_max, accuracy_min and the half-life.
};

// ---- mock services ----------------------------------------------------------------------

struct EmailConfig {
  TimeUs delivery_latency_us = 60 * engine::kUsPerSecond;
  double per_sender_limit_per_hour = 60;  // 0 = no limit
  std::vector<std::string> external_domains;
  double external_fraction = 0.2;
  double sensitive_fraction = 0.1;
  double outside_team_fraction = 0.3;
};

enum class ChannelKind : uint8_t { kTeam, kProject, kIncident, kCompany };

struct Channel {
  std::string name;
  ChannelKind kind = ChannelKind::kProject;
  std::vector<TeamId> teams;  // member teams (empty for kCompany: everyone)
  double chatter_per_member_per_day = 1;
};

struct ChatConfig {
  std::vector<Channel> channels;  // listed ones first, then generated team channels
  std::vector<ChannelId> team_channel;  // indexed by TeamId: the team's TEAM channel, or kNoId
  TimeUs delivery_latency_us = 60 * engine::kUsPerSecond;
  double post_limit_per_hour = 30;  // 0 = no limit
};

struct Service {
  std::string name;
  TeamId owner_team = kNoId;
  std::vector<ServiceId> depends_on;  // ascending, unique
  std::vector<ServiceId> dependents;  // reverse edges, ascending
  int32_t blast_radius = 0;           // number of transitive dependents
  double downtime_cost_usd_per_minute = 50;
};

enum class Stage : uint8_t { kBuild, kStaging, kCanary, kProd };

struct PipelineStage {
  Stage stage = Stage::kBuild;
  TimeUs duration_us = 10 * engine::kUsPerMinute;
  double failure_probability_at_quality_0 = 0.5;
  double failure_probability_at_quality_1 = 0.01;

  // Failure probability for a change of quality q in [0, 1].
  double FailureProbability(double quality) const {
    return failure_probability_at_quality_0 +
           (failure_probability_at_quality_1 - failure_probability_at_quality_0) * quality;
  }
};

struct FreezeWindow {
  std::string name;
  TimeUs start_us = 0;   // absolute, from the start of the run
  TimeUs duration_us = engine::kUsPerDay;
  TimeUs repeat_us = 0;  // 0 = once

  bool Contains(TimeUs t_us) const;
};

struct SeverityProfile {
  Severity severity = Severity::kSev3;
  double probability = 0;
  TimeUs time_to_restore_us = engine::kUsPerHour;  // mean
  double responder_minutes = 120;
};

struct IncidentConfig {
  double spread_probability = 0.15;
  TimeUs spread_delay_us = 10 * engine::kUsPerMinute;  // mean
  TimeUs detection_us = 15 * engine::kUsPerMinute;     // mean
  std::vector<SeverityProfile> severities;  // probabilities sum to 1
  double defect_incident_probability = 1;
  int32_t spread_severity_step = 1;
  int32_t on_call_rotation_days = 7;  // 0 = the team lead
};

struct DeployConfig {
  std::vector<Service> services;
  std::vector<PipelineStage> stages;  // in pipeline order
  std::vector<FreezeWindow> freezes;
  IncidentConfig incidents;
  double manual_deploy_minutes = 10;
  TimeUs rollback_us = 10 * engine::kUsPerMinute;
  int32_t concurrent_pipelines = 1;  // operations a service runs at once
  TimeUs release_interval_us = 0;    // release trains: 0 = each change on demand
  TimeUs release_offset_us = 10 * engine::kUsPerHour;  // a train's hour of the day
  TimeUs release_testing_half_life_us = 10 * engine::kUsPerHour;  // 0: a train's changes wait untested

  bool InFreeze(TimeUs t_us) const;
  // With release trains, the first departure strictly after t_us.
  TimeUs NextRelease(TimeUs t_us) const;
};

// ---- incentives -------------------------------------------------------------------------

enum class IncentiveMetric : uint8_t { kNotTracked, kRawTokens, kTokensPerOutcome, kOutcomes, kActiveDays };
enum class BudgetAction : uint8_t { kFlag, kRefuse };
enum class Visibility : uint8_t { kPublic, kTeam, kManagersOnly, kSelfOnly, kNone };

struct PerformativeAutomation {
  enum class Kind : uint8_t { kShorterHeartbeat, kLongerChecklist, kExtraCronJob, kSummaryOfSummaries };
  std::string name;
  Kind kind = Kind::kShorterHeartbeat;
  double factor = 2;
  SkillId skill = kNoId;
  TimeUs every_us = engine::kUsPerHour;
  double weight = 1;
  double setup_minutes = 15;
};

struct Incentives {
  IncentiveMetric metric = IncentiveMetric::kNotTracked;
  Visibility leaderboard_visibility = Visibility::kNone;
  TimeUs leaderboard_period_us = 7 * engine::kUsPerDay;
  double adoption_target_fraction = 0;
  int64_t active_user_min_tokens_per_week = 100000;
  bool managers_act_on_it = false;
  double manager_pressure = 0.5;
  double performative_base_per_week = 0;
  double performative_competitiveness_weight = 0.3;
  double performative_pressure_weight = 0.3;
  int32_t max_performative_automations = 6;
  std::vector<PerformativeAutomation> performative_automations;
  double performative_drop_per_week = 0.3;
  // By Visibility (kPublic, kTeam, kManagersOnly, kSelfOnly, kNone); kNone is always 0.
  double visibility_weight[5] = {1.0, 0.7, 0.2, 0.1, 0.0};
  int64_t token_budget_per_week = 0;  // 0 = none
  BudgetAction budget_action = BudgetAction::kFlag;
  int32_t ratios_from_day = 0;  // the heavy-user and team ratios count from this day on
};

// ---- threats and defenses ---------------------------------------------------------------

enum class AttackGoal : uint8_t { kExfiltrate, kPostChat, kTriggerDeploy, kPersist };

struct InjectionCampaign {
  std::string name;
  TimeUs start_us = 0;
  TimeUs end_us = 0;  // exclusive; the run's end when duration_days is 0
  double emails_per_day = 20;
  std::optional<Role> target_role;
  TeamId target_team = kNoId;  // kNoId = any
  double success_probability = 0.3;
  AttackGoal goal = AttackGoal::kExfiltrate;
  std::string sender_domain;
  AttackGoal persisted_goal = AttackGoal::kExfiltrate;
  double share_probability = 0.05;
  double forward_probability = 0.03;
  // Whether employee `e` (with `role` in `team`) is a target.
  bool Targets(Role role, TeamId team) const {
    return (!target_role || *target_role == role) && (target_team == kNoId || target_team == team);
  }
};

struct AgentCompromise {
  std::string name;
  TimeUs start_us = 0;
  double fraction = 0.001;
  EmployeeId agent_owner = kNoId;  // kNoId = use fraction
  double actions_per_hour = 1;
  AttackGoal goal = AttackGoal::kExfiltrate;
};

struct MaliciousSkill {
  SkillId skill = kNoId;
  TimeUs start_us = 0;
  double attack_probability = 0.2;
  AttackGoal goal = AttackGoal::kExfiltrate;
};

struct Threats {
  double agent_error_rate_multiplier = 1;
  std::vector<InjectionCampaign> injection_campaigns;
  std::vector<AgentCompromise> compromised_agents;
  std::vector<MaliciousSkill> malicious_skills;
  double phishing_click_probability = 0.03;
  double phished_actions_per_hour = 1;
};

struct InjectionDetector {
  bool enabled = false;
  double detection_rate = 0.8;
  double false_positive_rate = 0.01;
  TierId tier = kNoId;  // kNoId = free rule-based filter
  int64_t tokens_per_check = 600;
  double release_minutes = 5;
  bool screens_tool_outputs = false;  // false: each external email as it arrives
};

struct CircuitBreaker {
  enum class Metric : uint8_t { kTokensPerHour, kDeniedActions, kExternalEmails, kProdDeploys, kErrors };
  enum class Response : uint8_t { kPause, kReadOnly };
  enum class Scope : uint8_t { kAgent, kOwner, kTeam, kGroup };
  std::string name;
  Metric metric = Metric::kDeniedActions;
  double threshold = 10;
  TimeUs window_us = engine::kUsPerHour;
  Response response = Response::kPause;
  TimeUs cooldown_us = 4 * engine::kUsPerHour;
  Scope scope = Scope::kAgent;
  std::vector<TeamId> group_teams;        // scope kGroup: agents of these teams' members
  std::vector<ProfileId> group_profiles;  // ... and agents of these profiles
};

struct Defenses {
  bool least_privilege_tools = true;
  InjectionDetector injection_detector;
  std::vector<CircuitBreaker> circuit_breakers;
  bool memory_quarantine = false;
};

// ---- interventions and the whole --------------------------------------------------------

// One scheduled change: at at_us, set `path` to `value` (see ApplyIntervention in
// field_path.h), then re-compile what depends on it.
struct Intervention {
  TimeUs at_us = 0;
  std::string path;
  std::string value;
  std::string note;
};

// How people come to rely on their coding agents (scenario.proto AdoptionDynamics): a beta
// trust per person and code-help skill, moved by that skill's record; which changes they
// hand over (suitability at least 1 - trust) and how much of each.
struct AdoptionDynamics {
  double trust_prior_outcomes = 4;
  double trust_memory_weeks = 4;
  double suitability_concentration = 4;
  double idle_cost_noticed = 0;
  double min_handover_share = 0.1;
  bool learn_from_record = true;
  int unassigned_changes_max = 0;  // backlog changes a person keeps handed to agents at once
  double session_autonomy_reference_trust = 0.75;  // 0: sessions do not run longer with trust
  double session_autonomy_max_factor = 10;
  // The share of a delegated change handed over at `trust` in [0, 1].
  double HandoverShare(double trust) const;
  // How many times the skill's turns (and per-change context) a code-help session runs at
  // `trust`: (1 - reference) / (1 - trust), at most the max factor; 1 when off.
  double SessionAutonomy(double trust) const;
  // The weight past outcomes keep from one week to the next, in (0, 1).
  double WeeklyRetention() const;
};

// What a correct piece of agent help costs the person using it (scenario.proto
// AgentHelpCosts): the saving is the output's share of the task less familiarity's discount;
// the costs are specifying (code help), checking, waiting (when asked at the task's start)
// and switching.
struct AgentHelpCosts {
  double specify_minutes = 5;
  double check_minutes_per_saved_minute = 0.25;
  double wait_idle_fraction = 0.25;
  double context_switch_minutes = 2;
  double familiarity_saving_discount = 0.7;
  double agent_code_size_ratio = 5.8;  // an agent's lines per person's line for the part it replaces
  double agent_code_defect_density_ratio = 0.35;  // defects per line of agent code per defect per line of the author's
  double experience_cost_ratio_per_doubling = 1;  // learning curve of the person's own costs (1: none)
  double prior_code_handovers = 20;               // its starting experience, in changes handed over
  // The person's own costs after `handed` changes handed over: 1 at the start.
  double ExperienceFactor(double handed) const;
};

struct CompiledScenario {
  std::string name;
  std::string description;
  RunConfig run;
  CalendarConfig calendar;
  Organization organization;
  RoleProfile roles[kRoleCount];  // indexed by Role
  std::vector<ModelTier> tiers;
  std::vector<Skill> skills;
  std::vector<AgentProfile> profiles;
  std::vector<AgentAssignment> assignments;
  PermissionPolicy permissions;
  ApprovalConfig approvals;
  EmailConfig email;
  ChatConfig chat;
  DeployConfig deploy;
  Incentives incentives;
  Threats threats;
  Defenses defenses;
  AdoptionDynamics adoption;
  AgentHelpCosts help_costs;
  std::vector<Intervention> interventions;  // sorted by at_us, stable (file order on ties)

  const RoleProfile& role(Role r) const { return roles[static_cast<int>(r)]; }
};

}  // namespace clawsim::scenario
