// The run's safety measures: what the threats attempted and achieved, by source and by
// cause, and what the defenses cost (summed from the employees' tallies and the services'
// incidents once the run is over).
#include <map>
#include <set>

#include "sim/model/org_model.h"

namespace clawsim::model {

void SummariseSafety(const scenario::CompiledScenario& sc, const OrgModel& m, uint32_t days, RunSummary* out) {
  SafetyMeasures& s = out->safety;
  s = SafetyMeasures{};
  const std::vector<AttackSource> sources = AttackSources(sc);
  for (const AttackSource& src : sources) s.sources.push_back({AttackKindName(src.kind), src.name, 0, 0});
  uint64_t approvals_correct = 0;
  uint64_t asks_answered = 0;
  double ask_wait_minutes = 0;
  double contain_hours = 0;
  // Only injections' own goal actions: not what a poisoned memory or a session handed over by
  // a phishing link did later (those count for their campaign in `sources`).
  uint64_t injection_successes = 0;
  for (const EmployeeState& st : m.employees()) {
    const SafetyTally& t = st.safety;
    for (size_t i = 0; i < sources.size() && i < t.attempts.size(); ++i) {
      s.sources[i].attempts += t.attempts[i];
      s.sources[i].successes += t.successes[i];
    }
    s.injection_emails += t.injection_emails;
    s.injections_detected += t.injections_detected;
    s.detector_false_positives += t.false_positives;
    s.detector_checks += t.detector_checks;
    s.detector_release_hours += t.release_hours;
    s.injections_read += t.injections_read;
    s.injections_followed += t.injections_followed;
    injection_successes += t.injections_succeeded;
    s.injections_shared += t.injections_shared;
    s.memory_poisonings += t.memory_poisonings;
    s.data_leaked_messages += t.exfiltrated_messages;
    s.data_leaked_sensitive += t.exfiltrated_sensitive;
    s.phishing_posts += t.phishing_posts;
    s.phishing_clicks += t.phishing_clicks;
    s.agents_compromised += t.agents_compromised;
    s.breaker_trips += t.breaker_trips;
    s.memory_quarantines += t.memory_quarantines;
    s.approvals_decided += t.approvals_decided;
    approvals_correct += t.approvals_correct;
    asks_answered += t.asks_answered;
    ask_wait_minutes += t.ask_wait_minutes_sum;
    contain_hours += t.contain_hours_sum;
    s.contained_agents += t.contained;
    for (const AgentState& a : st.agents) {
      s.uncontained_agents += a.threat.first_malicious_us >= 0 && !a.threat.contained;
    }
  }
  for (const AttackSourceMeasures& src : s.sources) {
    s.attack_attempts += src.attempts;
    s.attack_successes += src.successes;
  }
  s.attack_success_rate = s.attack_attempts == 0 ? 0 : static_cast<double>(s.attack_successes) / static_cast<double>(s.attack_attempts);
  // An injection the detector held counts as an exposure that failed, as AgentDojo counts an
  // injection its detector stopped.
  const uint64_t exposures = s.injections_read + s.injections_detected;
  s.injection_success_per_exposure =
      exposures == 0 ? 0 : static_cast<double>(injection_successes) / static_cast<double>(exposures);
  s.approval_accuracy = s.approvals_decided == 0 ? 0 : static_cast<double>(approvals_correct) / static_cast<double>(s.approvals_decided);
  s.approval_minutes_per_day = days == 0 ? 0 : out->hours.approval_hours * 60.0 / days;
  s.approval_wait_minutes_mean = asks_answered == 0 ? 0 : ask_wait_minutes / static_cast<double>(asks_answered);
  s.time_to_contain_hours = s.contained_agents == 0 ? 0 : contain_hours / static_cast<double>(s.contained_agents);

  // Incidents agents caused, and what spread from them: by an action (an agent shipped the
  // change; by what set it on: its ordinary work, an injection, a compromise, a malicious
  // skill), or by advice (a person shipped a defect an agent's help put in).
  // Separately, every incident by the origin of its root's defect and by who deployed it.
  std::set<uint64_t> action_roots[kNumAttackKinds], advice_roots;
  std::map<uint64_t, const services::ChangeSpec*> root_change;
  for (const ServiceLpState& v : m.services()) {
    for (const services::Incident& inc : v.service.incidents()) {
      if (inc.parent_id != 0) continue;
      for (const services::PipelineRun& run : v.service.runs()) {
        if (run.change.change_id != inc.change_id || !run.caused_incident) continue;
        root_change[inc.id] = &run.change;
        if (run.change.agent != services::kNoId) {
          action_roots[run.change.attack < kNumAttackKinds ? run.change.attack : 0].insert(inc.id);
        } else if (run.change.agent_introduced) {
          advice_roots.insert(inc.id);
        }
        break;
      }
    }
  }
  IncidentOrigins& origins = out->incident_origins;
  origins = IncidentOrigins{};
  for (const ServiceLpState& v : m.services()) {
    for (const services::Incident& inc : v.service.incidents()) {
      auto it = root_change.find(inc.root_id);
      if (it == root_change.end()) continue;  // not rooted in a change (see the invariant test)
      const services::ChangeSpec& c = *it->second;
      uint64_t* origin = &origins.person_change;
      switch (DefectOriginOf(c)) {
        case DefectOrigin::kPersonChange: break;
        case DefectOrigin::kAgentWrittenChange: origin = &origins.agent_written_change; break;
        case DefectOrigin::kAgentActionError: origin = &origins.agent_action_error; break;
        case DefectOrigin::kInjection: origin = &origins.injection; break;
        case DefectOrigin::kCompromise: origin = &origins.compromise; break;
        case DefectOrigin::kMaliciousSkill: origin = &origins.malicious_skill; break;
      }
      ++*origin;
      ++(c.agent != services::kNoId ? origins.deployed_by_agent : origins.deployed_by_person);
    }
  }
  uint64_t* by_cause[kNumAttackKinds] = {&s.prod_incidents_error, &s.prod_incidents_injection, &s.prod_incidents_compromise,
                                         &s.prod_incidents_malicious_skill};
  out->agent_caused_incidents = 0;
  out->agent_advice_incidents = 0;
  for (const ServiceLpState& v : m.services()) {
    for (const services::Incident& inc : v.service.incidents()) {
      for (int k = 0; k < kNumAttackKinds; ++k) {
        const uint64_t n = action_roots[k].count(inc.root_id);
        *by_cause[k] += n;
        out->agent_caused_incidents += n;
      }
      out->agent_advice_incidents += advice_roots.count(inc.root_id);
    }
  }
}

}  // namespace clawsim::model
