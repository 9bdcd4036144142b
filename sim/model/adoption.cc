// Help and adoption on the employee LP: what correct help of a skill saves a person and what
// using it costs them (asking, waiting, checking, switching; HelpOf, ApplyHelp), which of
// their changes a person hands to a coding agent and how much of each (DelegationOf), and
// their trust in it, learned from what handing changes over paid and faded weekly
// (CodeTrust, RecordCodeOutcome, FadeTrust). The mechanisms, their defaults and sources:
// scenario.proto (AgentHelpCosts, AdoptionDynamics) and sim/model/CALIBRATION.md.
#include <algorithm>
#include <cmath>

#include "sim/engine/hash.h"
#include "sim/model/org_model.h"

namespace clawsim::model {

using scenario::SkillKind;

HelpEffect OrgModel::HelpOf(EmployeeId self, const scenario::Skill& k, double handover_share, double suitability,
                            double minutes, TimeUs waited_us) const {
  const scenario::AgentHelpCosts& hc = sc().help_costs;
  // What the agent produced (the share handed over, up to the skill's most per item), and
  // what of it replaces the person's work: the part the task suits an agent for.
  const double handed = std::min(k.minutes_saved_per_item, handover_share * k.max_saving_fraction * minutes);
  HelpEffect h;
  if (handed <= 0) return {};
  if (k.kind == SkillKind::kCodeHelp) h.written_share = std::min(1.0, handed / minutes);  // code it wrote
  const double replaced = handed * std::min(1.0, suitability / handover_share);
  const double familiarity = world_->employees[self].traits.codebase_familiarity;
  h.saved_minutes = replaced * (1 - hc.familiarity_saving_discount * familiarity);
  // The person checks all they handed over, whether or not it replaced their work; their own
  // part of the cost (asking, checking, switching; not the wait) falls as they learn the tool.
  const double learned = hc.ExperienceFactor(employees_[self].code_handovers);
  h.idle_minutes = hc.context_switch_minutes * learned +
                   hc.wait_idle_fraction * static_cast<double>(waited_us) / static_cast<double>(engine::kUsPerMinute);
  h.cost_minutes =
      (hc.check_minutes_per_saved_minute * handed + (k.kind == SkillKind::kCodeHelp ? hc.specify_minutes : 0)) * learned +
      h.idle_minutes;
  return h;
}

void OrgModel::LeaveHandedChanges(EmployeeId self, EmployeeState& s, uint32_t items, double trust) const {
  uint32_t n = 0;
  for (Task& t : s.queues[static_cast<int>(TaskKind::kCode)]) {
    if (n >= items) break;
    if ((t.state & kTaskHelped) || !DelegationOf(self, t, trust).delegated) continue;
    t.state |= kTaskHelped;
    t.state &= ~kTaskAwaitingAgent;
    ++n;
  }
}

OrgModel::Delegation OrgModel::DelegationOf(EmployeeId self, const Task& t, double trust) const {
  const scenario::AdoptionDynamics& ad = sc().adoption;
  engine::Rng rng = engine::Rng::ForStream(world_->seed ^ kSuitabilityStreamSalt, engine::HashCombine(self, t.ref));
  Delegation d;
  // Around the person's mean: beta(c x m, c x (1 - m)), the ends exact.
  const double m = world_->employees[self].traits.work_suitability;
  if (m <= 0 || m >= 1) {
    d.suitability = m <= 0 ? 0 : 1;
  } else {
    scenario::Distribution beta;
    beta.kind = scenario::Distribution::Kind::kBeta;
    beta.alpha = ad.suitability_concentration * m;
    beta.beta = ad.suitability_concentration * (1 - m);
    beta.min = 0;
    beta.max = 1;
    d.suitability = std::clamp(Sample(beta, rng), 0.0, 1.0);
  }
  d.delegated = trust > 0 && d.suitability >= 1 - trust;
  d.handover_share = ad.HandoverShare(trust);
  return d;
}

double OrgModel::CodeTrust(const EmployeeState& s, EmployeeId self, scenario::SkillId skill) const {
  const double prior = world_->employees[self].traits.automation_trust;
  const scenario::AdoptionDynamics& ad = sc().adoption;
  if (!ad.learn_from_record) return prior;
  const SkillTrust& t = s.code_trust[code_help_index_[skill]];
  return (ad.trust_prior_outcomes * prior + t.paid_off) / (ad.trust_prior_outcomes + t.paid_off + t.did_not);
}

void OrgModel::RecordCodeOutcome(EmployeeState& s, scenario::SkillId skill, bool paid_off) {
  SkillTrust& t = s.code_trust[code_help_index_[skill]];
  (paid_off ? t.paid_off : t.did_not) += 1;
  ++s.code_handovers;
}

void OrgModel::FadeTrust(EmployeeState& s) const {
  const double keep = sc().adoption.WeeklyRetention();
  for (SkillTrust& t : s.code_trust) {
    t.paid_off *= keep;
    t.did_not *= keep;
  }
}

bool OrgModel::ApplyHelp(EmployeeState& s, EmployeeId self, Task& t, const HelpEffect& h) {
  if (h.saved_minutes <= 0 && h.cost_minutes <= 0) return false;
  const double minutes = HumanMinutes(s, self, t);
  const double left = std::max(0.1, minutes - h.saved_minutes + h.cost_minutes);
  if (t.state & kTaskStarted) {
    t.effort_minutes = left;
  } else {
    t.effort_minutes *= left / minutes;
  }
  CreditSaving(s, h.saved_minutes);
  s.m.hours.help_cost_hours += h.cost_minutes / 60.0;
  // The agent wrote the part handed to it, in its own (longer) way, and it stays in the change
  // (the person fixes what it got wrong, but does not rewrite it shorter): reviewers read more.
  // More code carries more defects: the lines added beyond the person's version carry the
  // author's defect chance per person-change of code, times the agents' density ratio.
  if (t.kind == TaskKind::kCode && h.written_share > 0) {
    const double before = RelativeSize(t);
    t.SetAgentWrittenShare(t.AgentWrittenShare() + h.written_share);
    const double added = RelativeSize(t) - before;
    if (added > 0 && !(t.state & kTaskDefective)) {
      const double clean = 1 - AuthorDefectProbability(self);
      const double exponent = added * sc().help_costs.agent_code_defect_density_ratio;
      if (exponent > 0 && s.agent_rng.Bernoulli(1 - std::pow(clean, exponent))) t.state |= kTaskDefective | kTaskAgentDefect;
    }
  }
  return h.saved_minutes > h.cost_minutes;
}

double OrgModel::AuthorDefectProbability(EmployeeId self) const {
  const scenario::CodeWork& code = sc().role(sc().organization.employees[self].role).code;
  const scenario::Distribution& q = code.quality;  // BETA, scaled to [min, max]
  const double mean = q.min + (q.max - q.min) * q.alpha / (q.alpha + q.beta);
  return 1 - std::clamp(mean * code.QualityFactor(world_->employees[self].traits.skill), 0.0, 1.0);
}

}  // namespace clawsim::model
