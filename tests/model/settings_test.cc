// Every setting acts: a walk of the scenario schema (Protobuf descriptors) over the shipped
// scenarios. Each scalar field of every message a shipped scenario holds, and every
// permission rule's mode, is changed to another valid value; the short run that follows
// must give a different fingerprint (which folds the event stream and every result), or the
// loader must refuse the value. Fields that are documentation only, or that belong to
// behaviour not built yet, are exempt by name in sim/scenario/pending.h, so a new setting
// cannot be added without acting, being refused, or being listed there with its reason.
//
// The walk runs the small scenario (51 people, 7 days) a few hundred times, so it runs in
// optimised builds only; the sanitizer builds skip it (it exercises no code the other model
// tests do not).
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <gtest/gtest.h>

#include "sim/model/runner.h"
#include "sim/proto/scenario.pb.h"
#include "sim/scenario/load.h"
#include "sim/scenario/pending.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CLAWSIM_SANITIZED 1
#endif

namespace clawsim::model {
namespace {

using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

const std::string kDir = std::string(CLAWSIM_SOURCE_DIR) + "/scenarios/";

// One place a scalar lives in a scenario: its --set path, the field, and the kind of place:
// a skill's kind, a permission rule's action, a distribution's kind. A field counts as live
// once it acted in a place of that kind, so a field dead in one skill kind, rule action or
// distribution kind is caught although it acts in another.
struct Site {
  std::string path;
  const FieldDescriptor* field;
  std::string current;  // its value as text
  std::string place;    // e.g. "kind=CODE_HELP", "action=EMAIL_READ"; empty elsewhere
};

// What kind of place `m` is, for the messages whose fields act differently by kind.
std::string PlaceOf(const Message& m) {
  const auto* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  const char* selector = d->full_name() == "clawsim.proto.Skill"            ? "kind"
                         : d->full_name() == "clawsim.proto.Distribution"   ? "kind"
                         : d->full_name() == "clawsim.proto.PermissionRule" ? "action"
                                                                            : nullptr;
  if (selector == nullptr) return "";
  const FieldDescriptor* f = d->FindFieldByName(selector);
  return std::string(selector) + "=" + r->GetEnum(m, f)->name();
}

std::string ValueText(const Message& m, const FieldDescriptor* f) {
  const Reflection* r = m.GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: return std::to_string(r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_INT64: return std::to_string(r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32: return std::to_string(r->GetUInt32(m, f));
    case FieldDescriptor::CPPTYPE_UINT64: return std::to_string(r->GetUInt64(m, f));
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", r->GetDouble(m, f));
      return buf;
    }
    case FieldDescriptor::CPPTYPE_FLOAT: return std::to_string(r->GetFloat(m, f));
    case FieldDescriptor::CPPTYPE_BOOL: return r->GetBool(m, f) ? "true" : "false";
    case FieldDescriptor::CPPTYPE_ENUM: return r->GetEnum(m, f)->name();
    case FieldDescriptor::CPPTYPE_STRING: return r->GetString(m, f);
    case FieldDescriptor::CPPTYPE_MESSAGE: return "";
  }
  return "";
}

// Every scalar field of every message present in `m` (set or left at its default).
// Strings are names and references between sections; they are not walked (renaming is
// documentation; a reference to something else is a structural change the loader checks).
void CollectSites(const Message& m, const std::string& prefix, std::vector<Site>* out) {
  const Reflection* r = m.GetReflection();
  const auto* d = m.GetDescriptor();
  const std::string place = PlaceOf(m);
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    const std::string path = prefix.empty() ? f->name() : prefix + "." + f->name();
    if (f->is_repeated()) {
      if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;  // lists of names and days
      for (int j = 0; j < r->FieldSize(m, f); ++j) {
        CollectSites(r->GetRepeatedMessage(m, f, j), path + "[" + std::to_string(j) + "]", out);
      }
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (r->HasField(m, f)) CollectSites(r->GetMessage(m, f), path, out);
    } else if (f->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
      if (f->containing_oneof() != nullptr && !r->HasField(m, f)) continue;  // another selector is chosen
      out->push_back(Site{path, f, ValueText(m, f), place});
    }
  }
}

// Candidate new values for a site, most likely to be valid first.
std::vector<std::string> Candidates(const Site& s) {
  std::vector<std::string> c;
  const FieldDescriptor* f = s.field;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_BOOL: c.push_back(s.current == "true" ? "false" : "true"); break;
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* e = f->enum_type();
      for (int i = 0; i < e->value_count(); ++i) {
        if (e->value(i)->name() != s.current) c.push_back(e->value(i)->name());
      }
      break;
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      const double v = std::stod(s.current);
      char buf[40];
      for (double x : {v > 0 && v <= 1 ? v / 2 : v * 2, v == 0 ? 0.5 : v * 0.5, v + 1, v == 0 ? 1.0 : v * 3, 0.9, 0.1, 30.0,
                       v - 1}) {
        if (x == v) continue;
        std::snprintf(buf, sizeof buf, "%.17g", x);
        c.push_back(buf);
      }
      break;
    }
    default: {
      const long long v = std::stoll(s.current);
      for (long long x : {v * 2, v + 1, v == 0 ? 3LL : v / 2, v - 1, 5LL, 1LL}) {
        if (x != v) c.push_back(std::to_string(x));
      }
    }
  }
  return c;
}

struct Runner {
  std::string file;
  std::vector<std::string> base_overrides;
  uint64_t base_fingerprint = 0;

  // The fingerprint of a run with `extra`; false when the loader refuses it.
  bool Fingerprint(const std::vector<std::string>& extra, uint64_t* fp, std::string* error) const {
    std::vector<std::string> o = base_overrides;
    o.insert(o.end(), extra.begin(), extra.end());
    scenario::LoadedScenario loaded;
    Status s = scenario::LoadScenario(file, o, &loaded);
    if (!s.ok()) {
      *error = s.message();
      return false;
    }
    RunOptions ro;
    ro.seed = loaded.compiled.run.seed;  // run.seed is a setting too
    ro.record_audit = false;
    RunResult r;
    s = RunOrganisation(&loaded, ro, {}, &r);
    if (!s.ok()) {
      *error = s.message();
      return false;
    }
    *fp = r.summary.fingerprint;
    return true;
  }
};

// Settings that act only in rare situations, with the overrides that make those situations
// common in the test run (the setting must still act there).
// The small scenario's developers call their coding agent as they start a change.
constexpr const char* kCodeStarted = "agent_profiles[name=dev-assistant].triggers[event=REVIEW_REQUEST].event=CODE_STARTED";

const std::map<std::string, std::vector<std::string>>& Exercise() {
  // People who respond strongly to the scheme every period (small scenario: three periods).
  const std::vector<std::string> eager = {"incentives.performative_base_per_week=0.5",
                                          "incentives.performative_competitiveness_weight=1",
                                          "incentives.performative_pressure_weight=1"};
  auto with = [&](std::vector<std::string> extra) {
    extra.insert(extra.begin(), eager.begin(), eager.end());
    return extra;
  };
  // An injection campaign that reaches agents allowed to act on it (the baseline's runs none).
  const std::vector<std::string> campaign = {"threats.injection_campaigns[0].emails_per_day=400",
                                             "threats.injection_campaigns[0].start_day=0",
                                             "permissions.preset=FULLY_AUTONOMOUS"};
  auto attacked = [&](std::vector<std::string> extra) {
    extra.insert(extra.begin(), campaign.begin(), campaign.end());
    return extra;
  };
  const std::vector<std::string> busy_incidents = {"deploy.incidents.defect_incident_probability=1",
                                                   "threats.agent_error_rate_multiplier=10"};
  static const std::map<std::string, std::vector<std::string>> kMap = {
      // Outcomes fade at a week's start: the run must cross one. Trust moves with outcomes,
      // most of which come from changes handed over as they are started (and waited for).
      {"clawsim.proto.AdoptionDynamics.trust_memory_weeks", {"run.days=10", kCodeStarted}},
      {"clawsim.proto.AdoptionDynamics.trust_prior_outcomes", {"run.days=10", kCodeStarted}},
      {"clawsim.proto.AdoptionDynamics.learn_from_record", {"run.days=10", kCodeStarted}},
      {"clawsim.proto.AdoptionDynamics.idle_cost_noticed", {"run.days=10", kCodeStarted}},
      {"clawsim.proto.AgentHelpCosts.wait_idle_fraction", {kCodeStarted}},
      // A release train's hour acts only with release trains.
      {"clawsim.proto.DeploySettings.release_hour", {"deploy.release_every_days=1"}},
      // Release testing acts on changes waiting for a train.
      {"clawsim.proto.DeploySettings.release_testing_half_life_hours", {"deploy.release_every_days=1"}},
      // The overdue limit acts only on reviews held back by a daily budget.
      {"clawsim.proto.CodeWork.review_overdue_hours", {"roles[role=DEVELOPER].code.review_minutes_per_day=5"}},
      // Agents' added lines carry defects only where changes are handed over.
      {"clawsim.proto.AgentHelpCosts.agent_code_defect_density_ratio", {kCodeStarted}},
      // The learning curve's start matters only with a learning rate.
      {"clawsim.proto.AgentHelpCosts.experience_cost_ratio_per_doubling", {kCodeStarted}},
      {"clawsim.proto.AgentHelpCosts.prior_code_handovers",
       {kCodeStarted, "help_costs.experience_cost_ratio_per_doubling=0.5"}},
      // Background agents take changes from a code backlog (the small scenario's developers have none).
      {"clawsim.proto.AdoptionDynamics.unassigned_changes_max", {"roles[role=DEVELOPER].backlog.kind=CODE_CHANGES"}},
      // Sessions run longer with trust only where changes are handed over; the cap binds only
      // then, and sooner the lower the reference trust.
      {"clawsim.proto.AdoptionDynamics.session_autonomy_reference_trust", {kCodeStarted}},
      {"clawsim.proto.AdoptionDynamics.session_autonomy_max_factor",
       {kCodeStarted, "adoption.session_autonomy_reference_trust=0.01"}},
      // Threats act only when an attack runs; defenses only matter against one.
      {"clawsim.proto.InjectionCampaign.start_day", attacked({"threats.injection_campaigns[0].start_day=2"})},
      {"clawsim.proto.InjectionCampaign.duration_days", attacked({})},
      {"clawsim.proto.InjectionCampaign.emails_per_day", attacked({})},
      {"clawsim.proto.InjectionCampaign.success_probability", attacked({})},
      {"clawsim.proto.InjectionCampaign.goal", attacked({})},
      {"clawsim.proto.InjectionCampaign.share_probability", attacked({})},
      {"clawsim.proto.InjectionCampaign.persisted_goal", attacked({"threats.injection_campaigns[0].goal=PERSIST"})},
      {"clawsim.proto.InjectionCampaign.target_role", attacked({})},
      {"clawsim.proto.InjectionCampaign.target_team", attacked({})},
      {"clawsim.proto.ModelTier.injection_susceptibility", attacked({})},
      {"clawsim.proto.Threats.phishing_click_probability", attacked({"threats.injection_campaigns[0].goal=POST_CHAT"})},
      {"clawsim.proto.Threats.phished_actions_per_hour",
       attacked({"threats.injection_campaigns[0].goal=POST_CHAT", "threats.phishing_click_probability=1"})},
      {"clawsim.proto.InjectionDetector.enabled", attacked({})},
      {"clawsim.proto.InjectionDetector.detection_rate", attacked({"defenses.injection_detector.enabled=true"})},
      {"clawsim.proto.InjectionDetector.false_positive_rate", attacked({"defenses.injection_detector.enabled=true"})},
      {"clawsim.proto.InjectionDetector.model_tier", attacked({"defenses.injection_detector.enabled=true"})},
      {"clawsim.proto.InjectionDetector.screens", attacked({"defenses.injection_detector.enabled=true"})},
      {"clawsim.proto.InjectionDetector.tokens_per_check", attacked({"defenses.injection_detector.enabled=true"})},
      {"clawsim.proto.InjectionDetector.release_minutes",
       attacked({"defenses.injection_detector.enabled=true", "defenses.injection_detector.false_positive_rate=0.5"})},
      {"clawsim.proto.Defenses.memory_quarantine",
       attacked({"defenses.injection_detector.enabled=true", "threats.injection_campaigns[0].goal=PERSIST"})},
      // Breakers that trip in a short run: low thresholds.
      {"clawsim.proto.CircuitBreaker.threshold", attacked({"defenses.circuit_breakers[0].threshold=2"})},
      {"clawsim.proto.CircuitBreaker.metric", attacked({"defenses.circuit_breakers[0].threshold=1"})},
      {"clawsim.proto.CircuitBreaker.window_minutes", attacked({"defenses.circuit_breakers[0].threshold=2"})},
      {"clawsim.proto.CircuitBreaker.response", attacked({"defenses.circuit_breakers[0].threshold=2"})},
      {"clawsim.proto.CircuitBreaker.cooldown_minutes", attacked({"defenses.circuit_breakers[0].threshold=2"})},
      {"clawsim.proto.CircuitBreaker.scope", attacked({"defenses.circuit_breakers[0].threshold=2"})},
      {"clawsim.proto.InjectionCampaign.forward_probability", attacked({})},
      // One person's traits move one person's weekly draws: make sure they run an agent and
      // that the trait alone sets the draw (small scenario: employees[0] is a developer).
      {"clawsim.proto.Employee.competitiveness",
       {"agent_assignments[1].fraction=1", "agent_assignments[1].weight_by_trust=false",
        "incentives.performative_base_per_week=0", "incentives.performative_competitiveness_weight=1",
        "incentives.performative_pressure_weight=0"}},
      {"clawsim.proto.Employee.pressure_sensitivity",
       {"agent_assignments[1].fraction=1", "agent_assignments[1].weight_by_trust=false",
        "incentives.performative_base_per_week=0", "incentives.performative_competitiveness_weight=0",
        "incentives.performative_pressure_weight=1", "incentives.active_user_min_tokens_per_week=100000000000"}},
      // The target pushes only those below the active-user threshold.
      {"clawsim.proto.Incentives.adoption_target_fraction", with({"incentives.active_user_min_tokens_per_week=100000000000"})},
      // Who counts as active matters to a target that pushes the rest.
      {"clawsim.proto.Incentives.active_user_min_tokens_per_week", with({"incentives.adoption_target_fraction=1"})},
      // The budget's action needs a budget.
      {"clawsim.proto.Incentives.budget_action", {"incentives.token_budget_per_week=2000000"}},
      {"clawsim.proto.Incentives.manager_pressure", with({})},
      {"clawsim.proto.Incentives.max_performative_automations", with({})},
      // Rollbacks and the deploy monitor's mistakes need incidents (and errors) to happen often.
      {"clawsim.proto.PermissionRule.rate_limit_per_hour[action=DEPLOY_ROLLBACK]", busy_incidents},
      {"clawsim.proto.PermissionRule.working_hours_only[action=DEPLOY_ROLLBACK]", busy_incidents},
      {"clawsim.proto.PermissionRule.not_during_freeze[action=DEPLOY_ROLLBACK]", busy_incidents},
      // Managers press their reports only where people respond to the scheme at all.
      {"clawsim.proto.Incentives.managers_act_on_it", with({})},
      {"clawsim.proto.Skill.error_cost_minutes[kind=DEPLOY_MONITOR]", busy_incidents},
      {"clawsim.proto.Skill.error_effect[kind=DEPLOY_MONITOR]", busy_incidents},
      // Mentions pile up between chat-answer calls only when the trigger waits.
      {"clawsim.proto.Skill.max_items[kind=CHAT_ANSWER]",
       {"agent_profiles[name=dev-assistant].triggers[event=CHAT_MENTION].debounce_minutes=240"}},
      // Severity of spread incidents: needs incidents that spread.
      {"clawsim.proto.IncidentSettings.spread_severity_step",
       {"deploy.incidents.defect_incident_probability=1", "deploy.incidents.spread_probability=1",
        "deploy.incidents.severities[0].probability=0.5", "deploy.incidents.severities[2].probability=0.25"}},
  };
  return kMap;
}

// Places where a field is a bound the model's people never reach, so changing it cannot change
// a run: a person reads only their own mailbox and deploys only their own team's services, so
// the scope of a HUMANS rule for those actions never decides anything (the agents' own rules,
// whose scopes act, bound what an agent does first). Listed here, with this reason, rather
// than refused, because a rule for another action uses the same field. sim/scenario/pending.h
// lists the documentation-only fields.
const std::set<std::string>& NeverBinds() {
  static const std::set<std::string> kSet = {"clawsim.proto.PermissionRule.scope[action=EMAIL_READ]",
                                             "clawsim.proto.PermissionRule.scope[action=DEPLOY_STAGING]",
                                             "clawsim.proto.PermissionRule.scope[action=DEPLOY_PROD]"};
  return kSet;
}

// Walks one shipped scenario; returns the sites that neither act nor are refused.
std::vector<std::string> InertSites(const std::string& name, std::vector<std::string> base_overrides,
                                    std::set<std::string>* acted_types) {
  Runner runner{kDir + name, std::move(base_overrides)};
  std::string error;
  EXPECT_TRUE(runner.Fingerprint({}, &runner.base_fingerprint, &error)) << error;
  scenario::LoadedScenario loaded;
  EXPECT_TRUE(scenario::LoadScenario(runner.file, runner.base_overrides, &loaded).ok());
  std::vector<Site> sites;
  CollectSites(loaded.scenario, "", &sites);
  // A field of a message type counts once it acted at one site (roles[1].spam_minutes acts
  // when roles[0].spam_minutes did): key by message type and field.
  std::map<std::string, std::vector<std::string>> inert;
  for (const Site& site : sites) {
    if (scenario::IsPendingSetting(site.path) || scenario::IsDocumentationOnly(site.path) ||
        scenario::IsMeasurementOnly(site.path)) {
      continue;
    }
    // An intervention that sets a pending setting is as inert as that setting.
    if (site.path.rfind("interventions[", 0) == 0) {
      const int i = std::stoi(site.path.substr(14));
      if (scenario::IsPendingSetting(loaded.scenario.interventions(i).set_path())) continue;
    }
    const std::string key = site.field->full_name() + (site.place.empty() ? "" : "[" + site.place + "]");
    if (NeverBinds().count(key) > 0) continue;
    if (acted_types->count(key) > 0) continue;
    bool acted = false, refused_all = true;
    Runner special = runner;
    auto it = Exercise().find(key);
    if (it == Exercise().end()) it = Exercise().find(site.field->full_name());
    if (it != Exercise().end()) {
      special.base_overrides.insert(special.base_overrides.end(), it->second.begin(), it->second.end());
      EXPECT_TRUE(special.Fingerprint({}, &special.base_fingerprint, &error)) << error;
    }
    for (const std::string& value : Candidates(site)) {
      uint64_t fp = 0;
      if (!special.Fingerprint({site.path + "=" + value}, &fp, &error)) continue;
      refused_all = false;
      if (fp != special.base_fingerprint) {
        acted = true;
        break;
      }
    }
    if (acted) {
      acted_types->insert(key);
      inert.erase(key);
    } else if (!refused_all) {
      inert[key].push_back(site.path);
    }
  }
  std::vector<std::string> out;
  for (const auto& [key, paths] : inert) out.push_back(paths.front() + " (" + key + ")");
  return out;
}

// The baseline cut to a few people per team and one week: it reaches the same settings as
// the full one in a fraction of the time.
std::vector<std::string> ShrunkBaseline() {
  std::vector<std::string> shrink = {"run.days=7"};
  scenario::LoadedScenario baseline;
  EXPECT_TRUE(scenario::LoadScenario(kDir + "baseline.textproto", {}, &baseline).ok());
  for (int t = 0; t < baseline.scenario.organization().teams_size(); ++t) {
    const auto& team = baseline.scenario.organization().teams(t);
    if (team.size() > 6) {
      shrink.push_back("organization.teams[" + std::to_string(t) + "].size=" + std::to_string(team.size() > 40 ? 6 : 5));
      shrink.push_back("organization.teams[" + std::to_string(t) + "].managers=1");
    }
  }
  return shrink;
}

#ifdef CLAWSIM_SANITIZED
#define WALK_TEST(name) TEST(SettingsTest, DISABLED_##name)  // hundreds of runs: optimised builds run it
#else
#define WALK_TEST(name) TEST(SettingsTest, name)
#endif

WALK_TEST(EverySettingOfTheShippedScenariosActsOrIsRefused) {
  std::set<std::string> acted;
  std::vector<std::string> inert = InertSites("small.textproto", {}, &acted);
  // What did not act in the small scenario gets a second chance in the baseline's settings.
  std::vector<std::string> inert_baseline = InertSites("baseline.textproto", ShrunkBaseline(), &acted);
  std::vector<std::string> still;
  for (const std::string& s : inert) {
    const std::string key = s.substr(s.find(" (") + 2, s.size() - s.find(" (") - 3);
    if (acted.count(key) == 0) still.push_back("small: " + s);
  }
  for (const std::string& s : inert_baseline) {
    const std::string key = s.substr(s.find(" (") + 2, s.size() - s.find(" (") - 3);
    if (acted.count(key) == 0) still.push_back("baseline: " + s);
  }
  std::string list;
  for (const std::string& s : still) list += "\n  " + s;
  EXPECT_TRUE(still.empty()) << still.size() << " settings changed nothing and were not refused:" << list;
  EXPECT_GT(acted.size(), 120u);  // the walk really walked
}

// Every rule's mode, in both shipped scenarios, changes the run when set to each other mode:
// a rule that never matches would be dead policy.
WALK_TEST(EveryRuleModeActs) {
  // Each rule of each shipped scenario, tried in the small scenario, where it has the same
  // rule the shrunk baseline, and the small scenario with many incidents; it must act in one.
  Runner small{kDir + "small.textproto", {}};
  Runner baseline{kDir + "baseline.textproto", ShrunkBaseline()};
  // Rollback rules act only when something needs rolling back: a week of many incidents.
  Runner incidents{kDir + "small.textproto",
                   {"deploy.incidents.defect_incident_probability=1", "threats.agent_error_rate_multiplier=10"}};
  std::string error;
  ASSERT_TRUE(small.Fingerprint({}, &small.base_fingerprint, &error)) << error;
  ASSERT_TRUE(baseline.Fingerprint({}, &baseline.base_fingerprint, &error)) << error;
  ASSERT_TRUE(incidents.Fingerprint({}, &incidents.base_fingerprint, &error)) << error;
  std::map<std::string, std::string> modes;  // rule -> its mode in the first scenario that has it
  for (const Runner* r : {&small, &baseline}) {
    scenario::LoadedScenario loaded;
    ASSERT_TRUE(scenario::LoadScenario(r->file, {}, &loaded).ok());
    for (const auto& rule : loaded.scenario.permissions().rules()) modes.emplace(rule.name(), proto::Mode_Name(rule.mode()));
  }
  std::vector<std::string> dead;
  for (const auto& [name, current] : modes) {
    for (const char* mode : {"DENY", "ASK", "ALLOW"}) {
      if (current == mode) continue;
      bool acted = false;
      for (const Runner* r : {&small, &baseline, &incidents}) {
        uint64_t fp = 0;
        if (!r->Fingerprint({"permissions.rules[name=" + name + "].mode=" + mode}, &fp, &error)) continue;  // not there
        if (fp != r->base_fingerprint) {
          acted = true;
          break;
        }
      }
      if (!acted) dead.push_back(name + " -> " + mode);
    }
  }
  std::string list;
  for (const std::string& s : dead) list += "\n  " + s;
  EXPECT_TRUE(dead.empty()) << "rule modes that change nothing:" << list;
}

}  // namespace
}  // namespace clawsim::model
