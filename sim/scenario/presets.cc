#include "sim/scenario/presets.h"

#include <google/protobuf/text_format.h>

namespace clawsim::scenario {
namespace {

namespace pb = ::clawsim::proto;
using P = pb::PermissionPolicy;

struct RuleSpec {
  pb::Action action;
  pb::Mode mode;
  pb::PermissionRule::Scope scope;
  double rate_per_hour = 0;
  bool working_hours_only = false;
  bool not_during_freeze = false;
  int blast_radius = -1;
};

pb::PermissionRule Make(const std::string& preset, const RuleSpec& r) {
  pb::PermissionRule rule;
  std::string action = pb::Action_Name(r.action);
  for (char& c : action) c = static_cast<char>(c == '_' ? '-' : std::tolower(static_cast<unsigned char>(c)));
  rule.set_name(preset + ":" + action);
  rule.mutable_principal()->set_subject(pb::Principal::AGENTS);
  rule.set_action(r.action);
  rule.set_mode(r.mode);
  rule.set_scope(r.scope);
  if (r.rate_per_hour > 0) rule.set_rate_limit_per_hour(r.rate_per_hour);
  if (r.working_hours_only) rule.set_working_hours_only(true);
  if (r.not_during_freeze) rule.set_not_during_freeze(true);
  if (r.blast_radius >= 0) rule.set_max_blast_radius(r.blast_radius);
  return rule;
}

constexpr auto OWN = pb::PermissionRule::OWN;
constexpr auto TEAM = pb::PermissionRule::TEAM;
constexpr auto ANY = pb::PermissionRule::ANY;

}  // namespace

std::vector<pb::PermissionRule> PresetRules(P::Preset preset) {
  std::vector<RuleSpec> specs;
  switch (preset) {
    case P::CUSTOM: return {};
    case P::READ_ONLY:
      specs = {{pb::EMAIL_READ, pb::ALLOW, OWN}, {pb::CHAT_READ, pb::ALLOW, TEAM}};
      break;
    case P::ASK_FOR_WRITES:
      specs = {{pb::EMAIL_READ, pb::ALLOW, OWN},          {pb::CHAT_READ, pb::ALLOW, TEAM},
               {pb::EMAIL_SEND_INTERNAL, pb::ASK, ANY},   {pb::EMAIL_SEND_EXTERNAL, pb::ASK, ANY},
               {pb::CHAT_POST, pb::ASK, TEAM},            {pb::DEPLOY_STAGING, pb::ASK, OWN},
               {pb::DEPLOY_PROD, pb::ASK, OWN},           {pb::DEPLOY_ROLLBACK, pb::ASK, TEAM}};
      break;
    case P::ASK_FOR_PROD:
      specs = {{pb::EMAIL_READ, pb::ALLOW, OWN},
               {pb::CHAT_READ, pb::ALLOW, TEAM},
               {pb::EMAIL_SEND_INTERNAL, pb::ALLOW, ANY, 20},
               {pb::EMAIL_SEND_EXTERNAL, pb::ASK, ANY, 5},
               {pb::CHAT_POST, pb::ALLOW, TEAM, 10},
               {pb::DEPLOY_STAGING, pb::ALLOW, OWN, 0, true},
               {pb::DEPLOY_PROD, pb::ASK, OWN, 0, true, true},
               {pb::DEPLOY_ROLLBACK, pb::ALLOW, TEAM}};
      break;
    case P::AUTONOMOUS_WITH_LIMITS:
      specs = {{pb::EMAIL_READ, pb::ALLOW, OWN},
               {pb::CHAT_READ, pb::ALLOW, TEAM},
               {pb::EMAIL_SEND_INTERNAL, pb::ALLOW, ANY, 20},
               {pb::EMAIL_SEND_EXTERNAL, pb::ALLOW, ANY, 5},
               {pb::CHAT_POST, pb::ALLOW, TEAM, 10},
               {pb::DEPLOY_STAGING, pb::ALLOW, OWN, 0, true},
               {pb::DEPLOY_PROD, pb::ALLOW, OWN, 6, true, true, 10},
               {pb::DEPLOY_ROLLBACK, pb::ALLOW, TEAM}};
      break;
    case P::FULLY_AUTONOMOUS:
      for (pb::Action a : {pb::EMAIL_READ, pb::EMAIL_SEND_INTERNAL, pb::EMAIL_SEND_EXTERNAL, pb::CHAT_READ, pb::CHAT_POST,
                           pb::DEPLOY_STAGING, pb::DEPLOY_PROD, pb::DEPLOY_ROLLBACK}) {
        specs.push_back({a, pb::ALLOW, ANY});
      }
      break;
  }
  std::string name = P::Preset_Name(preset);
  for (char& c : name) c = static_cast<char>(c == '_' ? '-' : std::tolower(static_cast<unsigned char>(c)));
  std::vector<pb::PermissionRule> rules;
  for (const RuleSpec& r : specs) rules.push_back(Make(name, r));
  return rules;
}

std::vector<pb::PermissionRule> EffectiveRules(const pb::PermissionPolicy& policy) {
  std::vector<pb::PermissionRule> rules;
  for (const pb::PermissionRule& r : policy.rules()) {
    if (policy.preset() == P::CUSTOM || r.principal().subject() == pb::Principal::HUMANS) rules.push_back(r);
  }
  for (pb::PermissionRule& r : PresetRules(policy.preset())) rules.push_back(std::move(r));
  return rules;
}

std::string PresetsAsText() {
  std::string out;
  google::protobuf::TextFormat::Printer printer;
  printer.SetSingleLineMode(true);
  for (int p = P::Preset_MIN; p <= P::Preset_MAX; ++p) {
    if (!P::Preset_IsValid(p) || p == P::CUSTOM) continue;
    const auto preset = static_cast<P::Preset>(p);
    out += "# permissions { preset: " + P::Preset_Name(preset) + " } replaces the agent rules with:\n";
    for (const pb::PermissionRule& r : PresetRules(preset)) {
      std::string text;
      printer.PrintToString(r, &text);
      while (!text.empty() && text.back() == ' ') text.pop_back();
      out += "rules { " + text + " }\n";
    }
    out += "\n";
  }
  return out;
}

}  // namespace clawsim::scenario
