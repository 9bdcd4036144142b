#include "sim/scenario/validate.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include "sim/proto/scenario.pb.h"
#include "sim/scenario/field_path.h"
#include "sim/scenario/validate_limits.h"

namespace clawsim::scenario {

void Problems::Add(const google::protobuf::Message& m, const char* field, int index, std::string text) {
  const google::protobuf::FieldDescriptor* f =
      (field == nullptr || *field == '\0') ? nullptr : m.GetDescriptor()->FindFieldByName(field);
  assert((field == nullptr || *field == '\0' || f != nullptr) && "Problems::Add: no such field");
  messages_.push_back(sources_.Where(m, f, index) + text);
}

Status Problems::ToStatus(size_t max_shown) const {
  if (messages_.empty()) return Status::Ok();
  std::string out;
  for (size_t i = 0; i < messages_.size() && i < max_shown; ++i) {
    if (i > 0) out += '\n';
    out += messages_[i];
  }
  if (messages_.size() > max_shown) {
    out += "\n... and " + std::to_string(messages_.size() - max_shown) + " more problems";
  }
  return Status::Error(std::move(out));
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
namespace pb = ::clawsim::proto;

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string Q(const std::string& s) { return "\"" + s + "\""; }

// An allowed interval for a numeric field.
struct Bound {
  double lo;
  double hi;
  bool lo_open = false;
  bool hi_open = false;

  bool Holds(double v) const {
    return (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);  // false for NaN
  }
  std::string Describe() const {
    if (hi == kInf) return std::string(lo_open ? "> " : ">= ") + Num(lo);
    return std::string("in ") + (lo_open ? "(" : "[") + Num(lo) + ", " + Num(hi) + (hi_open ? ")" : "]");
  }
};
const Bound kProbability{0, 1};
const Bound kNonNegative{0, kInf};
const Bound kPositive{0, kInf, true};
const Bound kHourOfDay{0, 24, false, true};  // a time of day: [0, 24)
const Bound kHourOfDayEnd{0, 24};            // an end of a daily window: [0, 24]

// A list of named things (teams, tiers, ...): detects duplicates and resolves references.
class Names {
 public:
  Names(std::string kind, std::string list_path) : kind_(std::move(kind)), list_path_(std::move(list_path)) {}

  void Define(const std::string& name) { names_.insert(name); }
  bool Has(const std::string& name) const { return names_.count(name) > 0; }
  const std::string& kind() const { return kind_; }
  const std::string& list_path() const { return list_path_; }
  // Up to 8 names, for "defined: ..." hints.
  std::string Sample() const {
    std::string out;
    int n = 0;
    for (const auto& name : names_) {
      if (n == 8) return out + ", ...";
      out += (n++ > 0 ? ", " : "") + name;
    }
    return out;
  }

 private:
  std::string kind_;
  std::string list_path_;
  std::set<std::string> names_;
};

class Validator {
 public:
  Validator(const pb::Scenario& s, Problems* p) : s_(s), p_(p) {}

  void Run();

 private:
  // ---- generic checks ----
  void Check(const Message& m, const char* field, const Bound& b, const std::string& ctx) {
    const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(field);
    assert(f != nullptr && !f->is_repeated());
    const double v = NumberAt(m, f);
    if (!b.Holds(v)) p_->Add(m, field, -1, ctx + ": " + field + " is " + Num(v) + "; it must be " + b.Describe());
  }
  // Defines the names of a repeated message field; reports empty and duplicate names.
  template <typename T>
  void DefineAll(const google::protobuf::RepeatedPtrField<T>& list, Names* names, const char* name_field = "name") {
    std::map<std::string, int> first;
    int i = 0;
    for (const T& item : list) {
      const FieldDescriptor* f = item.GetDescriptor()->FindFieldByName(name_field);
      const std::string name = item.GetReflection()->GetString(item, f);
      if (name.empty()) {
        p_->Add(item, nullptr, -1, names->kind() + " #" + std::to_string(i + 1) + " in " + names->list_path() +
                                       " has no " + name_field + "; add " + name_field + ": \"...\"");
      } else if (auto [it, inserted] = first.emplace(name, i); !inserted) {
        p_->Add(item, name_field, -1,
                names->kind() + " " + Q(name) + " is defined twice (also #" + std::to_string(it->second + 1) +
                    " in " + names->list_path() + "); names must be unique");
      }
      names->Define(name);
      ++i;
    }
  }
  // Reports a reference `name` (field `field` of m, element `index`) to something undefined.
  // An empty name is allowed when `optional`.
  void Ref(const Message& m, const char* field, int index, const std::string& name, const Names& names,
           const std::string& ctx, bool optional = false) {
    if (name.empty()) {
      if (!optional) p_->Add(m, field, index, ctx + " has no " + field + "; name a " + names.kind());
      return;
    }
    if (names.Has(name)) return;
    std::string hint = names.Sample().empty() ? "" : " (defined: " + names.Sample() + ")";
    p_->Add(m, field, index,
            ctx + " uses " + names.kind() + " " + Q(name) + ", which is not defined; add it under " +
                names.list_path() + " {}" + hint);
  }

  // `default_kind`: the kind the field's distribution has when the file does not say.
  void CheckDistribution(const Message& parent, const char* field, const pb::Distribution& d, const std::string& ctx,
                         const Bound& domain, pb::Distribution::Kind default_kind = pb::Distribution::CONSTANT);
  void CheckWorkStream(const pb::WorkStream& w, const std::string& ctx);

  // ---- sections ----
  void RunAndCalendar();
  void Organization();
  void Roles();
  void TiersAndSkills();
  void Profiles();
  void SkillKindFields(const pb::Skill& k, const std::string& ctx);
  void Assignments();
  void Permissions();
  void Services();
  void IncentivesSection();
  void ThreatsAndDefenses();
  void Interventions();
  void ServeSection();
  void CheckDay(const Message& m, const char* field, int32_t day, const std::string& ctx);

  const pb::Scenario& s_;
  Problems* p_;
  Names teams_{"team", "organization.teams"};
  Names employees_{"employee", "organization.employees"};
  Names tiers_{"model tier", "model_tiers"};
  Names skills_{"skill", "skills"};
  Names profiles_{"agent profile", "agent_profiles"};
  Names services_{"service", "deploy.services"};
  Names channels_{"channel", "chat.channels"};
};

void Validator::Run() {
  // Limits first: an out-of-range count (a team of ten million) would make the checks below
  // allocate without bound.
  const size_t problems_before = p_->messages().size();
  ValidateLimits(s_, p_);
  if (p_->messages().size() > problems_before) return;
  // Names first, so references can be checked in any order.
  DefineAll(s_.organization().teams(), &teams_);
  for (const pb::Team& t : s_.organization().teams()) {
    for (int i = 1; i <= t.size(); ++i) employees_.Define(t.name() + "-" + std::to_string(i));
  }
  {
    // Explicit employees: unique among themselves and distinct from generated names.
    Names generated = employees_;
    DefineAll(s_.organization().employees(), &employees_);
    for (const pb::Employee& e : s_.organization().employees()) {
      if (generated.Has(e.name())) {
        p_->Add(e, "name", -1,
                "employee " + Q(e.name()) + " clashes with a generated member of a team (named <team>-<n>); rename it");
      }
    }
  }
  DefineAll(s_.model_tiers(), &tiers_);
  DefineAll(s_.skills(), &skills_);
  DefineAll(s_.agent_profiles(), &profiles_);
  DefineAll(s_.deploy().services(), &services_);
  DefineAll(s_.chat().channels(), &channels_);

  RunAndCalendar();
  Organization();
  Roles();
  TiersAndSkills();
  Profiles();
  Assignments();
  Permissions();
  Services();
  IncentivesSection();
  ThreatsAndDefenses();
  Interventions();
  ServeSection();
}

void Validator::ServeSection() {
  const pb::ServeSettings& sv = s_.serve();
  Check(sv, "thinking_seconds_per_1k_output_tokens", Bound{0, 3600}, "serve");
  std::map<int, int> first;
  int i = 0;
  for (const pb::ServeSettings::ToolCost& c : sv.tool_costs()) {
    const std::string ctx = "serve.tool_costs #" + std::to_string(i + 1);
    if (c.tool() == pb::ServeSettings::TOOL_UNSPECIFIED) p_->Add(c, "tool", -1, ctx + " has no tool; name one, e.g. tool: SEND_MAIL");
    if (auto [it, inserted] = first.emplace(c.tool(), i); !inserted && c.tool() != pb::ServeSettings::TOOL_UNSPECIFIED) {
      p_->Add(c, "tool", -1, ctx + ": " + pb::ServeSettings::Tool_Name(c.tool()) + " is listed twice (also #" +
                                 std::to_string(it->second + 1) + "); give each tool once");
    }
    Check(c, "duration_seconds", Bound{0, 86400}, ctx);
    ++i;
  }
}

// Days past the end of the run are allowed: they never come, which is what a study that
// shortens a scenario with --set run.days wants.
void Validator::CheckDay(const Message& m, const char* field, int32_t day, const std::string& ctx) {
  if (day < 0) p_->Add(m, field, -1, ctx + ": " + field + " is " + std::to_string(day) + "; it must be >= 0");
}

void Validator::CheckDistribution(const Message& parent, const char* field, const pb::Distribution& d,
                                  const std::string& ctx, const Bound& domain, pb::Distribution::Kind default_kind) {
  const std::string c = ctx + " " + field;
  // A parameter the kind does not use would be silently ignored: refuse it instead.
  // The kind the distribution has: the file's, or the field's documented default kind.
  const pb::Distribution::Kind kind = d.has_kind() ? d.kind() : default_kind;
  const std::string kind_name = pb::Distribution::Kind_Name(kind);
  auto unused = [&](const char* f, bool used) {
    const FieldDescriptor* fd = d.GetDescriptor()->FindFieldByName(f);
    if (!used && d.GetReflection()->HasField(d, fd)) {
      p_->Add(d, f, -1, c + ": a " + kind_name + " distribution does not use " + f + "; remove it");
    }
  };
  using K = pb::Distribution;
  unused("value", kind == K::CONSTANT);
  unused("mean", kind == K::NORMAL || kind == K::LOGNORMAL || kind == K::EXPONENTIAL);
  unused("stddev", kind == K::NORMAL || kind == K::LOGNORMAL);
  unused("alpha", kind == K::BETA);
  unused("beta", kind == K::BETA);
  Check(d, "stddev", kNonNegative, c);
  Check(d, "alpha", kPositive, c);
  Check(d, "beta", kPositive, c);
  if (d.max() < d.min()) {
    p_->Add(d, "max", -1, c + ": max " + Num(d.max()) + " is below min " + Num(d.min()));
  }
  if (kind == pb::Distribution::BETA && d.has_min() && !d.has_max() && d.min() >= 1) {
    p_->Add(d, "min", -1, c + ": a BETA distribution lies on [min, max] and max defaults to 1; set max above min " + Num(d.min()));
  }
  if (d.kind() == pb::Distribution::UNIFORM && !(d.has_min() && d.has_max())) {
    p_->Add(parent, field, -1, c + ": a UNIFORM distribution needs both min and max");
  }
  if (d.kind() == pb::Distribution::LOGNORMAL || d.kind() == pb::Distribution::EXPONENTIAL) {
    Check(d, "mean", kPositive, c);
  }
  // The clipped range must meet the quantity's domain, e.g. [0, 1] for a trait.
  if (d.kind() == pb::Distribution::CONSTANT) {
    if (!domain.Holds(d.value())) {
      p_->Add(d, "value", -1, c + ": value is " + Num(d.value()) + "; it must be " + domain.Describe());
    }
  } else if (d.has_min() && !domain.Holds(d.min())) {
    p_->Add(d, "min", -1, c + ": min is " + Num(d.min()) + "; it must be " + domain.Describe());
  }
}

void Validator::CheckWorkStream(const pb::WorkStream& w, const std::string& ctx) {
  Check(w, "per_day", kNonNegative, ctx);
  if (w.has_value_usd()) CheckDistribution(w, "value_usd", w.value_usd(), ctx, kNonNegative);
  if (w.has_effort_minutes()) CheckDistribution(w, "effort_minutes", w.effort_minutes(), ctx, kNonNegative);
}

void Validator::RunAndCalendar() {
  const pb::RunSettings& run = s_.run();
  if (run.days() <= 0 || run.days() > 3650) {
    p_->Add(run, "days", -1, "run: days is " + std::to_string(run.days()) + "; it must be in [1, 3650]");
  }
  const pb::CalendarSettings& c = s_.calendar();
  Check(c, "workday_start_hour", kHourOfDay, "calendar");
  Check(c, "workday_end_hour", kHourOfDayEnd, "calendar");
  if (c.workday_end_hour() <= c.workday_start_hour()) {
    p_->Add(c, "workday_end_hour", -1,
            "calendar: workday_end_hour " + Num(c.workday_end_hour()) + " must be after workday_start_hour " +
                Num(c.workday_start_hour()));
  }
  Check(c, "start_jitter_minutes", kNonNegative, "calendar");
  Check(c, "overtime_minutes", kNonNegative, "calendar");
  for (int i = 0; i < c.holidays_size(); ++i) {
    if (c.holidays(i) < 0) {
      p_->Add(c, "holidays", i, "calendar: holiday " + std::to_string(c.holidays(i)) + " must be a run day >= 0");
    }
  }
}

void Validator::Organization() {
  const pb::Organization& org = s_.organization();
  if (org.domain().empty()) p_->Add(org, "domain", -1, "organization: domain is empty; set the company email domain");
  if (org.teams_size() == 0) p_->Add(org, nullptr, -1, "organization has no teams; add teams {}");
  if (org.divisions() < 1) {
    p_->Add(org, "divisions", -1,
            "organization: divisions is " + std::to_string(org.divisions()) + "; it must be at least 1 (1: the teams as written)");
  } else if (org.divisions() > 1 &&
             std::none_of(org.teams().begin(), org.teams().end(), [](const pb::Team& t) { return !t.parent().empty(); })) {
    p_->Add(org, "divisions", -1,
            "organization: divisions is " + std::to_string(org.divisions()) +
                ", but no team has a parent: a division is a copy of the teams under the root team; give teams a parent "
                "or set divisions to 1");
  }
  for (const pb::Team& t : org.teams()) {
    const std::string ctx = "team " + Q(t.name());
    Check(t, "size", kNonNegative, ctx);
    // An unset `managers` (default 1) shrinks to fit a team of size 0.
    if (t.managers() < 0 || (t.has_managers() && t.managers() > t.size())) {
      p_->Add(t, "managers", -1,
              ctx + ": managers is " + std::to_string(t.managers()) + "; it must be in [0, size] = [0, " +
                  std::to_string(t.size()) + "]");
    }
    Check(t, "developer_fraction", kProbability, ctx);
    Ref(t, "parent", -1, t.parent(), teams_, ctx, /*optional=*/true);
  }
  // The team tree must not loop: follow parents from every team.
  std::map<std::string, const pb::Team*> by_name;
  for (const pb::Team& t : org.teams()) by_name.emplace(t.name(), &t);
  for (const pb::Team& t : org.teams()) {
    const pb::Team* cur = &t;
    for (size_t steps = 0; cur != nullptr && !cur->parent().empty(); ++steps) {
      auto it = by_name.find(cur->parent());
      cur = it == by_name.end() ? nullptr : it->second;
      if (cur == &t || steps > by_name.size()) {
        p_->Add(t, "parent", -1, "team " + Q(t.name()) + ": following parent teams leads back to it; break the cycle");
        break;
      }
    }
  }
  for (const pb::Employee& e : org.employees()) {
    const std::string ctx = "employee " + Q(e.name());
    Ref(e, "team", -1, e.team(), teams_, ctx);
    Ref(e, "manager", -1, e.manager(), employees_, ctx, /*optional=*/true);
    if (!e.manager().empty() && e.manager() == e.name()) p_->Add(e, "manager", -1, ctx + " cannot report to itself");
    for (const char* trait : {"competitiveness", "pressure_sensitivity", "automation_trust", "skill", "codebase_familiarity"}) {
      Check(e, trait, kProbability, ctx);
    }
  }
  const pb::TraitDistributions& tr = org.traits();
  const std::string ctx = "organization.traits";
  if (tr.has_competitiveness()) CheckDistribution(tr, "competitiveness", tr.competitiveness(), ctx, kProbability, pb::Distribution::BETA);
  if (tr.has_pressure_sensitivity()) {
    CheckDistribution(tr, "pressure_sensitivity", tr.pressure_sensitivity(), ctx, kProbability, pb::Distribution::BETA);
  }
  if (tr.has_automation_trust()) CheckDistribution(tr, "automation_trust", tr.automation_trust(), ctx, kProbability, pb::Distribution::BETA);
  if (tr.has_skill()) CheckDistribution(tr, "skill", tr.skill(), ctx, kProbability, pb::Distribution::BETA);
  if (tr.has_team_automation_trust()) {
    CheckDistribution(tr, "team_automation_trust", tr.team_automation_trust(), ctx, kProbability, pb::Distribution::BETA);
  }
  Check(tr, "team_automation_trust_weight", kProbability, ctx);
  if (tr.has_codebase_familiarity()) {
    CheckDistribution(tr, "codebase_familiarity", tr.codebase_familiarity(), ctx, kProbability, pb::Distribution::BETA);
  }
  if (tr.has_work_suitability()) {
    CheckDistribution(tr, "work_suitability", tr.work_suitability(), ctx, kProbability, pb::Distribution::BETA);
  }
  Check(tr, "work_suitability_team_weight", kProbability, ctx);
  Check(org, "effort_factor_at_skill_0", kPositive, "organization");
  Check(org, "effort_factor_at_skill_1", kPositive, "organization");
}

void Validator::Roles() {
  std::set<int> seen;
  for (const pb::RoleProfile& r : s_.roles()) {
    const std::string ctx = "role " + pb::Role_Name(r.role());
    if (!seen.insert(r.role()).second) p_->Add(r, "role", -1, ctx + " is configured twice in roles {}");
    Check(r, "loaded_hourly_cost_usd", kPositive, ctx);
    Check(r, "spam_fraction", kProbability, ctx);
    Check(r, "spam_minutes", kNonNegative, ctx);
    CheckWorkStream(r.emails(), ctx + " emails");
    CheckWorkStream(r.chat_requests(), ctx + " chat_requests");
    const pb::CodeWork& code = r.code();
    CheckWorkStream(code.changes(), ctx + " code changes");
    if (code.has_quality()) CheckDistribution(code, "quality", code.quality(), ctx + " code", kProbability, pb::Distribution::BETA);
    Check(code, "reviewers", kNonNegative, ctx + " code");
    Check(code, "review_minutes", kNonNegative, ctx + " code");
    Check(code, "review_wait_hours", kNonNegative, ctx + " code");
    Check(code, "review_catch_probability", kProbability, ctx + " code");
    Check(code, "quality_factor_at_skill_0", kNonNegative, ctx + " code");
    Check(code, "quality_factor_at_skill_1", kNonNegative, ctx + " code");
    Check(code, "rework_fraction", kProbability, ctx + " code");
    Check(code, "rework_fix_probability", kProbability, ctx + " code");
    Check(code, "review_attention_minutes", kPositive, ctx + " code");
    Check(code, "review_minutes_per_day", kNonNegative, ctx + " code");
    Check(code, "review_overdue_hours", kPositive, ctx + " code");
    const pb::Backlog& b = r.backlog();
    Check(b, "max_utilisation", Bound{0, 1, true, false}, ctx + " backlog");
    if (b.kind() != pb::Backlog::TASKS && (b.has_value_usd() || b.has_effort_minutes())) {
      p_->Add(b, b.has_value_usd() ? "value_usd" : "effort_minutes", -1,
              ctx + " backlog: value_usd and effort_minutes describe TASKS; a " + pb::Backlog::Kind_Name(b.kind()) +
                  " backlog does not use them");
    }
    if (b.kind() == pb::Backlog::CODE_CHANGES && code.changes().per_day() <= 0 && !code.changes().has_value_usd()) {
      p_->Add(b, "kind", -1, ctx + " backlog: CODE_CHANGES draws from code.changes, which this role does not have");
    }
    if (b.has_value_usd()) CheckDistribution(b, "value_usd", b.value_usd(), ctx + " backlog", kNonNegative);
    if (b.has_effort_minutes()) CheckDistribution(b, "effort_minutes", b.effort_minutes(), ctx + " backlog", kNonNegative);
  }
}

void Validator::TiersAndSkills() {
  if (s_.model_tiers_size() == 0 && s_.agent_profiles_size() > 0) {
    p_->Add(s_, "agent_profiles", 0, "agent profiles need model tiers; add model_tiers {}");
  }
  for (const pb::ModelTier& t : s_.model_tiers()) {
    const std::string ctx = "model tier " + Q(t.name());
    Check(t, "input_usd_per_mtok", kNonNegative, ctx);
    Check(t, "output_usd_per_mtok", kNonNegative, ctx);
    Check(t, "cached_input_usd_per_mtok", kNonNegative, ctx);
    Check(t, "cache_hit_fraction", kProbability, ctx);
    Check(t, "latency_ms", kNonNegative, ctx);
    Check(t, "output_tokens_per_second", kPositive, ctx);
    Check(t, "error_rate", kProbability, ctx);
    Check(t, "context_window_tokens", kPositive, ctx);
    Check(t, "injection_susceptibility", kNonNegative, ctx);
  }
  for (const pb::Skill& k : s_.skills()) {
    const std::string ctx = "skill " + Q(k.name());
    for (const char* f : {"base_input_tokens", "input_tokens_per_item", "max_items", "output_tokens",
                          "minutes_saved_per_item", "error_rate_multiplier", "error_cost_minutes"}) {
      Check(k, f, kNonNegative, ctx);
    }
    Check(k, "draft_saving_fraction", kProbability, ctx);
    Check(k, "max_saving_fraction", kProbability, ctx);
    Check(k, "turns_per_item", Bound{1, kInf}, ctx);
    SkillKindFields(k, ctx);
  }
}

// A skill's field that its kind never reads would be silently ignored: refuse it, saying what
// the kind does instead (sim/model/agent.cc and agent_actions.cc).
void Validator::SkillKindFields(const pb::Skill& k, const std::string& ctx) {
  using S = pb::Skill;
  const std::string kind = S::Kind_Name(k.kind());
  auto refuse = [&](const char* field, const std::string& why) {
    const FieldDescriptor* fd = k.GetDescriptor()->FindFieldByName(field);
    if (k.GetReflection()->HasField(k, fd)) p_->Add(k, field, -1, ctx + ": a " + kind + " skill " + why + "; remove " + field);
  };
  // Help that shortens a queued task: code help, briefings, the deploy monitor's diagnosis.
  const bool helps = k.kind() == S::CODE_HELP || k.kind() == S::DAILY_BRIEFING || k.kind() == S::DEPLOY_MONITOR;
  if (!helps) {
    const char* why = k.kind() == S::EMAIL_TRIAGE    ? "saves the whole mail it answers or files"
                      : k.kind() == S::CHAT_ANSWER   ? "saves the whole request it answers"
                      : k.kind() == S::DEPLOY_TRIGGER ? "saves the deploy's manual_deploy_minutes"
                                                     : "saves nobody any time";
    refuse("minutes_saved_per_item", why);
    refuse("max_saving_fraction", why);
  }
  if (k.kind() != S::EMAIL_TRIAGE) refuse("draft_saving_fraction", "leaves no draft when refused (only EMAIL_TRIAGE does)");
  if (k.kind() == S::SUMMARY) {
    refuse("error_rate_multiplier", "makes no mistakes the model draws (its posts are noise by design)");
    refuse("error_cost_minutes", "makes no mistakes the model draws (its posts are noise by design)");
  }
  if (k.kind() == S::DEPLOY_TRIGGER) {
    refuse("max_items", "ships the one change it is handed");
    refuse("error_cost_minutes", "does its harm through the broken change it ships (a failed pipeline or an incident)");
  }
  if (k.kind() == S::SUMMARY) refuse("max_items", "posts one summary per call");
  // Code help's and a briefing's mistakes cost nobody fixing time unless they are MISSED_ALERT
  // (a defect goes through review and the pipeline; an item missed is an item not helped).
  if ((k.kind() == S::CODE_HELP || k.kind() == S::DAILY_BRIEFING) && k.error_effect() != S::MISSED_ALERT) {
    refuse("error_cost_minutes", "costs fixing time only with error_effect MISSED_ALERT");
  }
  // What a mistake does, by kind; any other error_effect would change nothing.
  std::vector<S::ErrorEffect> effects;
  switch (k.kind()) {
    case S::EMAIL_TRIAGE: effects = {S::NO_EFFECT, S::WRONG_REPLY, S::MISSED_ITEM, S::WRONG_RECIPIENT}; break;
    case S::CHAT_ANSWER: effects = {S::NOISY_POST}; break;            // a wrong answer posted
    case S::DEPLOY_TRIGGER: effects = {S::BAD_DEPLOY}; break;         // a broken build configuration shipped
    case S::CODE_HELP: effects = {S::BAD_DEPLOY, S::MISSED_ALERT}; break;  // plausible wrong code; MISSED_ALERT adds a fix
    case S::DAILY_BRIEFING:
    case S::DEPLOY_MONITOR: effects = {S::MISSED_ITEM, S::MISSED_ALERT}; break;
    case S::SUMMARY: effects = {S::NOISY_POST}; break;
  }
  if (k.has_error_effect() && std::find(effects.begin(), effects.end(), k.error_effect()) == effects.end()) {
    std::string list;
    for (S::ErrorEffect e : effects) list += (list.empty() ? "" : ", ") + S::ErrorEffect_Name(e);
    p_->Add(k, "error_effect", -1,
            ctx + ": a " + kind + " skill's mistakes cannot be " + S::ErrorEffect_Name(k.error_effect()) + "; use " + list);
  }
  // Purposes are earned per call; only PERFORMATIVE can be declared.
  if (k.has_purpose() && k.purpose() != pb::PERFORMATIVE) {
    p_->Add(k, "purpose", -1,
            ctx + ": purpose " + pb::Purpose_Name(k.purpose()) +
                " cannot be declared: a call's tokens are useful or overhead by what it achieved; declare only PERFORMATIVE");
  }
}

void Validator::Profiles() {
  for (const pb::AgentProfile& a : s_.agent_profiles()) {
    const std::string ctx = "agent profile " + Q(a.name());
    Ref(a, "model_tier", -1, a.model_tier(), tiers_, ctx);
    std::set<std::string> installed;
    for (int i = 0; i < a.skills_size(); ++i) {
      Ref(a, "skills", i, a.skills(i), skills_, ctx);
      installed.insert(a.skills(i));
    }
    // A skill used by the heartbeat, a job or a trigger must exist and be installed.
    auto uses = [&](const Message& m, const std::string& skill, const std::string& what, bool optional) {
      if (skill.empty() && optional) return;
      if (skill.empty() || !skills_.Has(skill)) {
        Ref(m, "skill", -1, skill, skills_, ctx + " " + what, optional);
      } else if (installed.count(skill) == 0) {
        p_->Add(m, "skill", -1,
                ctx + " " + what + " runs skill " + Q(skill) + ", which the profile does not install; add skills: " +
                    Q(skill));
      }
    };
    const pb::Heartbeat& hb = a.heartbeat();
    Check(hb, "interval_minutes", kPositive, ctx + " heartbeat");
    Check(hb, "active_start_hour", kHourOfDay, ctx + " heartbeat");
    Check(hb, "active_end_hour", kHourOfDayEnd, ctx + " heartbeat");
    if (hb.active_end_hour() <= hb.active_start_hour()) {
      p_->Add(hb, "active_end_hour", -1,
              ctx + " heartbeat: active_end_hour " + Num(hb.active_end_hour()) + " must be after active_start_hour " +
                  Num(hb.active_start_hour()));
    }
    Check(hb, "checklist_tokens", kNonNegative, ctx + " heartbeat");
    Check(hb, "quiet_output_tokens", kNonNegative, ctx + " heartbeat");
    uses(hb, hb.skill(), "heartbeat", /*optional=*/true);
    for (const pb::CronJob& j : a.cron()) {
      const std::string what = "cron job " + Q(j.name());
      uses(j, j.skill(), what, false);
      Check(j, "at_hour", kHourOfDay, ctx + " " + what);
      Check(j, "every_minutes", kNonNegative, ctx + " " + what);
      if (j.has_purpose() && j.purpose() == pb::OVERHEAD) {
        p_->Add(j, "purpose", -1,
                ctx + " " + what + ": purpose OVERHEAD cannot be declared (a call that achieves nothing is overhead "
                "anyway); declare PERFORMATIVE, or USEFUL to undo a performative skill's declaration");
      }
    }
    for (const pb::EventTrigger& t : a.triggers()) {
      const std::string what = "trigger on " + pb::EventTrigger::Event_Name(t.event());
      uses(t, t.skill(), what, false);
      Check(t, "debounce_minutes", kNonNegative, ctx + " " + what);
    }
    const pb::Memory& mem = a.memory();
    for (const char* f : {"initial_tokens", "tokens_per_invocation", "tokens_per_day", "tokens_per_quiet_cycle",
                          "min_tokens"}) {
      Check(mem, f, kNonNegative, ctx + " memory");
    }
    Check(mem, "consolidate_at_hour", kHourOfDay, ctx + " memory");
    Check(mem, "retain_fraction", kProbability, ctx + " memory");
    Check(mem, "max_tokens", kPositive, ctx + " memory");
    Ref(mem, "consolidation_model_tier", -1, mem.consolidation_model_tier(), tiers_, ctx + " memory",
        /*optional=*/true);
  }
}

void Validator::Assignments() {
  int i = 0;
  for (const pb::AgentAssignment& a : s_.agent_assignments()) {
    const std::string ctx = "agent assignment #" + std::to_string(++i);
    Ref(a, "profile", -1, a.profile(), profiles_, ctx);
    Ref(a, "team", -1, a.team(), teams_, ctx, /*optional=*/true);
    Check(a, "fraction", kProbability, ctx);
  }
}

void Validator::Permissions() {
  std::map<std::string, int> names;
  int i = 0;
  for (const pb::PermissionRule& r : s_.permissions().rules()) {
    ++i;
    const std::string ctx =
        "permission rule " + (r.name().empty() ? "#" + std::to_string(i) : Q(r.name()));
    if (!r.name().empty() && !names.emplace(r.name(), i).second) {
      p_->Add(r, "name", -1, ctx + " is defined twice; rule names must be unique");
    }
    const pb::Principal& pr = r.principal();
    Ref(pr, "team", -1, pr.team(), teams_, ctx, /*optional=*/true);
    Ref(pr, "agent_profile", -1, pr.agent_profile(), profiles_, ctx, /*optional=*/true);
    Ref(pr, "agent_owner", -1, pr.agent_owner(), employees_, ctx, /*optional=*/true);
    if (pr.subject() == pb::Principal::HUMANS &&
        (pr.has_agent_profile() || pr.has_agent_owner())) {
      p_->Add(pr, pr.has_agent_profile() ? "agent_profile" : "agent_owner", -1,
              ctx + ": a rule for HUMANS cannot select agents; select by role or team, or set subject: AGENTS");
    }
    Check(r, "rate_limit_per_hour", kNonNegative, ctx);
    if (r.max_blast_radius() < -1) {
      p_->Add(r, "max_blast_radius", -1,
              ctx + ": max_blast_radius is " + std::to_string(r.max_blast_radius()) + "; use -1 for no limit or >= 0");
    }
    const bool deploy = r.action() == pb::DEPLOY_STAGING || r.action() == pb::DEPLOY_PROD ||
                        r.action() == pb::DEPLOY_ROLLBACK;
    if (r.has_max_blast_radius() && r.max_blast_radius() >= 0 && !deploy) {
      p_->Add(r, "max_blast_radius", -1,
              ctx + ": max_blast_radius only applies to deploy actions, not " + pb::Action_Name(r.action()));
    }
    if (r.not_during_freeze() && !deploy) {
      p_->Add(r, "not_during_freeze", -1,
              ctx + ": not_during_freeze only applies to deploy actions (freezes stop deploys), not " +
                  pb::Action_Name(r.action()));
    }
  }
  const pb::ApprovalSettings& a = s_.approvals();
  for (const char* f : {"minutes_per_approval", "response_minutes"}) Check(a, f, kNonNegative, "approvals");
  Check(a, "accuracy_max", kProbability, "approvals");
  Check(a, "accuracy_min", kProbability, "approvals");
  if (a.accuracy_min() > a.accuracy_max()) {
    p_->Add(a, "accuracy_min", -1,
            "approvals: accuracy_min " + Num(a.accuracy_min()) + " is above accuracy_max " + Num(a.accuracy_max()));
  }
  Check(a, "fatigue_half_life_approvals_per_day", kPositive, "approvals");
  Check(a, "timeout_minutes", kPositive, "approvals");
}

void Validator::Services() {
  const pb::EmailSettings& e = s_.email();
  // Nothing crosses between two people faster than the model's one-minute floor (the
  // engine's lookahead); a shorter latency would be raised to it silently, so refuse it.
  const Bound kLatency{60, kInf};
  Check(e, "delivery_latency_seconds", kLatency, "email");
  Check(e, "per_sender_limit_per_hour", kNonNegative, "email");
  Check(e, "external_fraction", kProbability, "email");
  Check(e, "sensitive_fraction", kProbability, "email");
  Check(e, "outside_team_fraction", kProbability, "email");

  const pb::ChatSettings& c = s_.chat();
  Check(c, "delivery_latency_seconds", kLatency, "chat");
  Check(c, "post_limit_per_hour", kNonNegative, "chat");
  for (const pb::Channel& ch : c.channels()) {
    const std::string ctx = "channel " + Q(ch.name());
    for (int i = 0; i < ch.teams_size(); ++i) Ref(ch, "teams", i, ch.teams(i), teams_, ctx);
    if (ch.kind() == pb::Channel::TEAM && ch.teams_size() != 1) {
      p_->Add(ch, "kind", -1, ctx + ": a TEAM channel lists exactly one team; it lists " +
                                  std::to_string(ch.teams_size()));
    }
    if ((ch.kind() == pb::Channel::PROJECT || ch.kind() == pb::Channel::INCIDENT) && ch.teams_size() == 0) {
      p_->Add(ch, "kind", -1, ctx + ": a " + pb::Channel::Kind_Name(ch.kind()) + " channel needs member teams");
    }
    if (ch.has_chatter_per_member_per_day()) {
      p_->Add(ch, "chatter_per_member_per_day", -1,
              ctx + ": chatter is not modelled (posts that ask nobody anything change no result), so this setting "
                    "would be ignored; remove it");
    }
  }

  const pb::DeploySettings& d = s_.deploy();
  std::map<std::string, const pb::Service*> by_name;
  for (const pb::Service& sv : d.services()) {
    by_name.emplace(sv.name(), &sv);
    const std::string ctx = "service " + Q(sv.name());
    Ref(sv, "owner_team", -1, sv.owner_team(), teams_, ctx);
    Check(sv, "downtime_cost_usd_per_minute", kNonNegative, ctx);
    for (int i = 0; i < sv.depends_on_size(); ++i) {
      Ref(sv, "depends_on", i, sv.depends_on(i), services_, ctx);
      if (sv.depends_on(i) == sv.name()) p_->Add(sv, "depends_on", i, ctx + " cannot depend on itself");
    }
  }
  // Dependency cycles (three-colour DFS), reported once per cycle at the edge closing it.
  std::map<const pb::Service*, int> colour;  // 0 new, 1 on stack, 2 done
  auto visit = [&](auto&& self, const pb::Service* sv) -> void {
    colour[sv] = 1;
    for (int i = 0; i < sv->depends_on_size(); ++i) {
      auto it = by_name.find(sv->depends_on(i));
      if (it == by_name.end() || it->second == sv) continue;
      if (colour[it->second] == 1) {
        p_->Add(*sv, "depends_on", i,
                "service " + Q(sv->name()) + " depends on " + Q(sv->depends_on(i)) +
                    ", which (transitively) depends on it; dependencies must not form a cycle");
      } else if (colour[it->second] == 0) {
        self(self, it->second);
      }
    }
    colour[sv] = 2;
  };
  for (const pb::Service& sv : d.services()) {
    if (colour[&sv] == 0) visit(visit, &sv);
  }

  int last_stage = 0;
  for (const pb::PipelineStage& st : d.stages()) {
    const std::string ctx = "pipeline stage " + pb::PipelineStage::Stage_Name(st.stage());
    if (st.stage() <= last_stage) {
      p_->Add(st, "stage", -1, ctx + ": stages must be listed once each, in order BUILD, STAGING, CANARY, PROD");
    }
    last_stage = st.stage();
    Check(st, "duration_minutes", kNonNegative, ctx);
    Check(st, "failure_probability_at_quality_0", kProbability, ctx);
    Check(st, "failure_probability_at_quality_1", kProbability, ctx);
  }
  for (const pb::FreezeWindow& f : d.freezes()) {
    const std::string ctx = "freeze window " + Q(f.name());
    CheckDay(f, "start_day", f.start_day(), ctx);
    Check(f, "start_hour", kHourOfDay, ctx);
    Check(f, "duration_hours", kPositive, ctx);
    Check(f, "repeat_every_days", kNonNegative, ctx);
  }
  const pb::IncidentSettings& inc = d.incidents();
  Check(inc, "spread_probability", kProbability, "deploy.incidents");
  Check(inc, "spread_delay_minutes", kNonNegative, "deploy.incidents");
  Check(inc, "detection_minutes", kNonNegative, "deploy.incidents");
  Check(inc, "defect_incident_probability", kProbability, "deploy.incidents");
  Check(inc, "spread_severity_step", kNonNegative, "deploy.incidents");
  Check(inc, "on_call_rotation_days", kNonNegative, "deploy.incidents");
  Check(d, "manual_deploy_minutes", kNonNegative, "deploy");
  Check(d, "rollback_minutes", kPositive, "deploy");
  Check(d, "concurrent_pipelines", Bound{1, kInf}, "deploy");
  Check(d, "release_every_days", kNonNegative, "deploy");
  Check(d, "release_hour", Bound{0, 24, false, true}, "deploy");
  Check(d, "release_testing_half_life_hours", kNonNegative, "deploy");
  Check(d, "downtime_cost_usd_per_minute", kNonNegative, "deploy");
  double total = 0;
  std::set<int> seen;
  for (const pb::SeverityProfile& sp : inc.severities()) {
    const std::string ctx = "severity " + pb::Severity_Name(sp.severity());
    if (!seen.insert(sp.severity()).second) p_->Add(sp, "severity", -1, ctx + " is listed twice");
    Check(sp, "probability", kProbability, ctx);
    Check(sp, "time_to_restore_minutes", kPositive, ctx);
    Check(sp, "responder_minutes", kNonNegative, ctx);
    total += sp.probability();
  }
  if (inc.severities_size() > 0 && std::abs(total - 1.0) > 1e-6) {
    p_->Add(inc, "severities", 0, "deploy.incidents: severity probabilities sum to " + Num(total) + "; they must sum to 1");
  }
}

void Validator::IncentivesSection() {
  const pb::Incentives& in = s_.incentives();
  Check(in, "leaderboard_period_days", kPositive, "incentives");
  Check(in, "adoption_target_fraction", kProbability, "incentives");
  if (in.ratios_from_day() < 0 || in.ratios_from_day() >= s_.run().days()) {
    p_->Add(in, "ratios_from_day", -1,
            "incentives: ratios_from_day is " + std::to_string(in.ratios_from_day()) + "; it must be in [0, run.days " +
                std::to_string(s_.run().days()) + ")");
  }
  Check(in, "active_user_min_tokens_per_week", kNonNegative, "incentives");
  Check(in, "manager_pressure", kProbability, "incentives");
  Check(in, "performative_base_per_week", kProbability, "incentives");
  Check(in, "performative_competitiveness_weight", kNonNegative, "incentives");
  Check(in, "performative_pressure_weight", kNonNegative, "incentives");
  Check(in, "max_performative_automations", kNonNegative, "incentives");
  Check(in, "performative_drop_per_week", kProbability, "incentives");
  Check(in, "token_budget_per_week", kNonNegative, "incentives");
  for (const char* f : {"public", "team", "managers_only", "self_only"}) {
    Check(in.visibility_weights(), f, kProbability, "incentives.visibility_weights");
  }
  for (const pb::PerformativeAutomation& pa : in.performative_automations()) {
    const std::string ctx = "performative automation " + Q(pa.name());
    const bool job = pa.kind() == pb::PerformativeAutomation::EXTRA_CRON_JOB ||
                     pa.kind() == pb::PerformativeAutomation::SUMMARY_OF_SUMMARIES;
    if (job) {
      Ref(pa, "skill", -1, pa.skill(), skills_, ctx);
      Check(pa, "every_minutes", kPositive, ctx);
      if (pa.has_factor()) p_->Add(pa, "factor", -1, ctx + ": a " + pb::PerformativeAutomation::Kind_Name(pa.kind()) + " does not use factor; remove it");
    } else {
      Check(pa, "factor", Bound{1, kInf}, ctx);
      for (const char* f : {"skill", "every_minutes"}) {
        if (pa.GetReflection()->HasField(pa, pa.GetDescriptor()->FindFieldByName(f))) {
          p_->Add(pa, f, -1, ctx + ": a " + pb::PerformativeAutomation::Kind_Name(pa.kind()) + " does not use " + f + "; remove it");
        }
      }
    }
    Check(pa, "weight", kNonNegative, ctx);
    Check(pa, "setup_minutes", kNonNegative, ctx);
  }
}

void Validator::ThreatsAndDefenses() {
  const pb::AdoptionDynamics& ad = s_.adoption();
  Check(ad, "trust_prior_outcomes", kPositive, "adoption");
  Check(ad, "trust_memory_weeks", kPositive, "adoption");
  Check(ad, "min_handover_share", kProbability, "adoption");
  Check(ad, "suitability_concentration", kPositive, "adoption");
  Check(ad, "idle_cost_noticed", kProbability, "adoption");
  Check(ad, "unassigned_changes_max", kNonNegative, "adoption");
  Check(ad, "session_autonomy_reference_trust", Bound{0, 1, false, true}, "adoption");
  Check(ad, "session_autonomy_max_factor", Bound{1, kInf}, "adoption");

  const pb::AgentHelpCosts& hc = s_.help_costs();
  Check(hc, "specify_minutes", kNonNegative, "help_costs");
  Check(hc, "check_minutes_per_saved_minute", kNonNegative, "help_costs");
  Check(hc, "wait_idle_fraction", kProbability, "help_costs");
  Check(hc, "context_switch_minutes", kNonNegative, "help_costs");
  Check(hc, "familiarity_saving_discount", kProbability, "help_costs");
  Check(hc, "agent_code_size_ratio", kPositive, "help_costs");
  Check(hc, "agent_code_defect_density_ratio", kNonNegative, "help_costs");
  Check(hc, "prior_code_handovers", kPositive, "help_costs");
  Check(hc, "experience_cost_ratio_per_doubling", Bound{0, 1, true, false}, "help_costs");
  const pb::Threats& t = s_.threats();
  Check(t, "agent_error_rate_multiplier", kNonNegative, "threats");
  Check(t, "phishing_click_probability", kProbability, "threats");
  Check(t, "phished_actions_per_hour", kNonNegative, "threats");
  for (const pb::InjectionCampaign& c : t.injection_campaigns()) {
    const std::string ctx = "injection campaign " + Q(c.name());
    CheckDay(c, "start_day", c.start_day(), ctx);
    Check(c, "duration_days", kNonNegative, ctx);
    Check(c, "emails_per_day", kNonNegative, ctx);
    Check(c, "success_probability", kProbability, ctx);
    Check(c, "share_probability", kProbability, ctx);
    Check(c, "forward_probability", kProbability, ctx);
    if (c.persisted_goal() == pb::PERSIST) {
      p_->Add(c, "persisted_goal", -1, ctx + ": persisted_goal is PERSIST; it must be the goal pursued from memory");
    }
    Ref(c, "target_team", -1, c.target_team(), teams_, ctx, /*optional=*/true);
  }
  for (const pb::AgentCompromise& c : t.compromised_agents()) {
    const std::string ctx = "agent compromise " + Q(c.name());
    CheckDay(c, "start_day", c.start_day(), ctx);
    Check(c, "fraction", kProbability, ctx);
    Check(c, "actions_per_hour", kNonNegative, ctx);
    if (c.goal() == pb::PERSIST) p_->Add(c, "goal", -1, ctx + ": goal PERSIST is for injection campaigns only");
    Ref(c, "agent_owner", -1, c.agent_owner(), employees_, ctx, /*optional=*/true);
  }
  for (const pb::MaliciousSkill& m : t.malicious_skills()) {
    const std::string ctx = "malicious skill " + Q(m.skill());
    Ref(m, "skill", -1, m.skill(), skills_, "malicious skill entry");
    CheckDay(m, "start_day", m.start_day(), ctx);
    Check(m, "attack_probability", kProbability, ctx);
    if (m.goal() == pb::PERSIST) p_->Add(m, "goal", -1, ctx + ": goal PERSIST is for injection campaigns only");
  }
  const pb::Defenses& d = s_.defenses();
  const pb::InjectionDetector& det = d.injection_detector();
  Check(det, "detection_rate", kProbability, "injection detector");
  Check(det, "false_positive_rate", kProbability, "injection detector");
  Check(det, "tokens_per_check", kNonNegative, "injection detector");
  Check(det, "release_minutes", kNonNegative, "injection detector");

  Ref(det, "model_tier", -1, det.model_tier(), tiers_, "injection detector", /*optional=*/true);
  for (const pb::CircuitBreaker& cb : d.circuit_breakers()) {
    const std::string ctx = "circuit breaker " + Q(cb.name());
    Check(cb, "threshold", kPositive, ctx);
    Check(cb, "window_minutes", kPositive, ctx);
    Check(cb, "cooldown_minutes", kPositive, ctx);
    for (int i = 0; i < cb.group_teams_size(); ++i) Ref(cb, "group_teams", i, cb.group_teams(i), teams_, ctx);
    for (int i = 0; i < cb.group_agent_profiles_size(); ++i) {
      Ref(cb, "group_agent_profiles", i, cb.group_agent_profiles(i), profiles_, ctx);
    }
    const bool named = cb.group_teams_size() > 0 || cb.group_agent_profiles_size() > 0;
    if (cb.scope() == pb::CircuitBreaker::GROUP && !named) {
      p_->Add(cb, "scope", -1, ctx + ": scope GROUP needs group_teams or group_agent_profiles");
    }
    if (cb.scope() != pb::CircuitBreaker::GROUP && named) {
      p_->Add(cb, cb.group_teams_size() > 0 ? "group_teams" : "group_agent_profiles", -1,
              ctx + ": a named group acts only with scope: GROUP");
    }
  }
}

double InterventionHours(const pb::Intervention& iv) {
  return iv.has_at_hours() ? iv.at_hours() : iv.day() * 24.0 + iv.hour();
}

void Validator::Interventions() {
  if (s_.interventions_size() == 0) return;  // also ends the recursion through the copies below
  // Field checks, and the order in which the interventions apply.
  std::vector<int> order;
  for (int i = 0; i < s_.interventions_size(); ++i) {
    const pb::Intervention& iv = s_.interventions(i);
    const std::string ctx = "intervention #" + std::to_string(i + 1);
    bool ok = true;
    if (iv.has_at_hours() && (iv.has_day() || iv.has_hour())) {
      p_->Add(iv, "at_hours", -1, ctx + ": give either at_hours or day/hour, not both");
      ok = false;
    }
    if (iv.day() < 0) {
      p_->Add(iv, "day", -1, ctx + ": day is " + std::to_string(iv.day()) + "; it must be >= 0");
      ok = false;
    }
    if (!Bound{0, 24, false, true}.Holds(iv.hour())) {
      p_->Add(iv, "hour", -1, ctx + ": hour is " + Num(iv.hour()) + "; it must be in [0, 24)");
      ok = false;
    }
    if (iv.has_at_hours() && !kNonNegative.Holds(iv.at_hours())) {
      p_->Add(iv, "at_hours", -1, ctx + ": at_hours is " + Num(iv.at_hours()) + "; it must be >= 0");
      ok = false;
    }
    if (iv.set_path().empty()) {
      p_->Add(iv, nullptr, -1, ctx + " has no set_path; add set_path: \"section.field\"");
      ok = false;
    }
    if (ok) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [this](int a, int b) {
    return InterventionHours(s_.interventions(a)) < InterventionHours(s_.interventions(b));
  });
  // Apply them cumulatively to a copy, as the run will, and validate every state reached.
  pb::Scenario state = s_;
  state.clear_interventions();
  // Problems the scenario already has are reported at their own place, not per intervention.
  std::set<std::string> known;
  {
    SourceMap none;
    Problems before(none);
    Validator(state, &before).Run();
    known.insert(before.messages().begin(), before.messages().end());
  }
  for (int i : order) {
    const pb::Intervention& iv = s_.interventions(i);
    const std::string ctx = "intervention #" + std::to_string(i + 1) + " (" + iv.set_path() + " = " +
                            Q(iv.value()) + ")";
    if (Status st = ApplyIntervention(&state, iv.set_path(), iv.value()); !st.ok()) {
      p_->Add(iv, "set_path", -1, ctx + ": " + st.message());
      continue;
    }
    SourceMap none;
    Problems after(none);
    Validator(state, &after).Run();
    for (const std::string& m : after.messages()) {
      if (known.insert(m).second) p_->Add(iv, "value", -1, ctx + " makes the scenario invalid: " + m);
    }
  }
}

}  // namespace

void ValidateScenario(const proto::Scenario& scenario, Problems* problems) {
  Validator(scenario, problems).Run();
  ValidateCalibration(scenario, problems);
}

}  // namespace clawsim::scenario
