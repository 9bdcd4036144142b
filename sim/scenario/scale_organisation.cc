#include "sim/scenario/scale_organisation.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

namespace clawsim::scenario {
namespace {

std::string CopyName(const std::string& name, uint32_t division) { return name + "-d" + std::to_string(division); }

// Adds `name` to `names`; false when it was there already.
bool Claim(const std::string& name, std::set<std::string>* names) { return names->insert(name).second; }

Status Clash(const char* what, const std::string& name) {
  return Status::Error(std::string("scaling the organisation: the copy's ") + what + " name \"" + name +
                       "\" is taken; rename the scenario's " + what);
}

// The non-root teams (copied into every division), and the headcounts of root and non-root
// generated teams.
void DivisionTeams(const proto::Organization& org, std::set<std::string>* division_teams, double* root_total,
                   double* division_total) {
  *root_total = *division_total = 0;
  for (const proto::Team& t : org.teams()) {
    if (t.parent().empty()) {
      *root_total += t.size();
    } else {
      division_teams->insert(t.name());
      *division_total += t.size();
    }
  }
}

}  // namespace

Status AddDivisions(uint32_t divisions, proto::Scenario* sc) {
  proto::Organization* org = sc->mutable_organization();
  std::set<std::string> division_teams;
  double root_total = 0, division_total = 0;
  DivisionTeams(*org, &division_teams, &root_total, &division_total);
  // In the i-th division, a team's name (root teams and names that are not teams stay).
  auto in_division = [&](const std::string& team, uint32_t i) {
    return division_teams.count(team) > 0 ? CopyName(team, i) : team;
  };

  // Teams.
  std::set<std::string> team_names;
  for (const proto::Team& t : org->teams()) Claim(t.name(), &team_names);
  const int base_teams = org->teams_size();
  for (uint32_t i = 2; i <= divisions; ++i) {
    for (int t = 0; t < base_teams; ++t) {
      const proto::Team& team = org->teams(t);
      if (team.parent().empty()) continue;
      proto::Team copy = team;
      copy.set_name(CopyName(team.name(), i));
      copy.set_parent(in_division(team.parent(), i));
      if (!Claim(copy.name(), &team_names)) return Clash("team", copy.name());
      *org->add_teams() = std::move(copy);
    }
  }
  // (Sections are touched only when present: an empty one may compile differently from none.)
  if (sc->has_defenses()) {
    for (proto::CircuitBreaker& b : *sc->mutable_defenses()->mutable_circuit_breakers()) {
      const std::vector<std::string> listed(b.group_teams().begin(), b.group_teams().end());
      for (uint32_t i = 2; i <= divisions; ++i) {
        for (const std::string& t : listed) {
          if (division_teams.count(t) > 0) b.add_group_teams(CopyName(t, i));
        }
      }
    }
  }

  // Agent assignments and permission rules that name a division's team.
  const int base_assignments = sc->agent_assignments_size();
  for (uint32_t i = 2; i <= divisions; ++i) {
    for (int a = 0; a < base_assignments; ++a) {
      const proto::AgentAssignment& as = sc->agent_assignments(a);
      if (division_teams.count(as.team()) == 0) continue;
      proto::AgentAssignment copy = as;
      copy.set_team(CopyName(as.team(), i));
      *sc->add_agent_assignments() = std::move(copy);
    }
  }
  proto::PermissionPolicy scratch_policy;
  proto::PermissionPolicy* policy = sc->has_permissions() ? sc->mutable_permissions() : &scratch_policy;
  std::set<std::string> rule_names;
  for (const proto::PermissionRule& r : policy->rules()) Claim(r.name(), &rule_names);
  const int base_rules = policy->rules_size();
  for (uint32_t i = 2; i <= divisions; ++i) {
    for (int r = 0; r < base_rules; ++r) {
      const proto::PermissionRule& rule = policy->rules(r);
      if (!rule.principal().has_team() || division_teams.count(rule.principal().team()) == 0) continue;
      proto::PermissionRule copy = rule;
      copy.set_name(CopyName(rule.name(), i));
      copy.mutable_principal()->set_team(CopyName(rule.principal().team(), i));
      if (!Claim(copy.name(), &rule_names)) return Clash("permission rule", copy.name());
      *policy->add_rules() = std::move(copy);
    }
  }

  // Channels: a division's copy of every channel of its teams; COMPANY channels stay one.
  proto::ChatSettings scratch_chat;
  proto::ChatSettings* chat = sc->has_chat() ? sc->mutable_chat() : &scratch_chat;
  std::set<std::string> channel_names;
  for (const proto::Channel& c : chat->channels()) Claim(c.name(), &channel_names);
  const int base_channels = chat->channels_size();
  for (uint32_t i = 2; i <= divisions; ++i) {
    for (int c = 0; c < base_channels; ++c) {
      const proto::Channel& ch = chat->channels(c);
      if (ch.kind() == proto::Channel::COMPANY) continue;
      const bool has_division_team = std::any_of(ch.teams().begin(), ch.teams().end(),
                                                 [&](const std::string& t) { return division_teams.count(t) > 0; });
      if (!has_division_team) continue;
      proto::Channel copy = ch;
      copy.set_name(CopyName(ch.name(), i));
      for (std::string& t : *copy.mutable_teams()) t = in_division(t, i);
      if (!Claim(copy.name(), &channel_names)) return Clash("channel", copy.name());
      *chat->add_channels() = std::move(copy);
    }
  }

  // Services: a division's copy of every service its teams own, calling the copies.
  proto::DeploySettings scratch_deploy;
  proto::DeploySettings* deploy = sc->has_deploy() ? sc->mutable_deploy() : &scratch_deploy;
  std::set<std::string> copied_services, service_names;
  for (const proto::Service& s : deploy->services()) {
    Claim(s.name(), &service_names);
    if (division_teams.count(s.owner_team()) > 0) copied_services.insert(s.name());
  }
  const int base_services = deploy->services_size();
  for (uint32_t i = 2; i <= divisions; ++i) {
    for (int s = 0; s < base_services; ++s) {
      const proto::Service& sv = deploy->services(s);
      if (copied_services.count(sv.name()) == 0) continue;
      proto::Service copy = sv;
      copy.set_name(CopyName(sv.name(), i));
      copy.set_owner_team(CopyName(sv.owner_team(), i));
      for (std::string& d : *copy.mutable_depends_on()) {
        if (copied_services.count(d) > 0) d = CopyName(d, i);
      }
      if (!Claim(copy.name(), &service_names)) return Clash("service", copy.name());
      *deploy->add_services() = std::move(copy);
    }
  }
  return Status::Ok();
}

Status ScaleOrganisation(uint32_t employees, proto::Scenario* sc) {
  if (sc->organization().divisions() > 1) {
    return Status::Error("it sets organization.divisions already; scale a scenario whose divisions is 1");
  }
  std::set<std::string> division_teams;
  double root_total = 0, division_total = 0;
  DivisionTeams(sc->organization(), &division_teams, &root_total, &division_total);
  if (root_total + division_total <= 0) return Status::Error("it has no generated teams to scale");
  const uint32_t divisions =
      division_total > 0 ? static_cast<uint32_t>(std::max<long>(1, std::lround(employees / (root_total + division_total))))
                         : 1;
  if (Status s = AddDivisions(divisions, sc); !s.ok()) return s;
  // Sizes: about `employees` in all, teams about the scenario's size.
  const double factor = employees / (root_total + divisions * division_total);
  for (proto::Team& t : *sc->mutable_organization()->mutable_teams()) {
    if (t.size() <= 0) continue;
    const int size = std::max(1, static_cast<int>(std::lround(t.size() * factor)));
    const int managers = t.managers() > 0 ? std::max(1, static_cast<int>(std::lround(t.managers() * factor))) : 0;
    t.set_size(size);
    t.set_managers(std::min(managers, size));
  }
  sc->clear_interventions();
  return Status::Ok();
}

}  // namespace clawsim::scenario
