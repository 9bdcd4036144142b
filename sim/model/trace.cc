// Trace spans: their name table, the pipeline-stage spans of a finished run, and the serial
// hand-over of every LP's finished spans (incidents included) in (end_us, id) order.
#include <algorithm>
#include <tuple>

#include "sim/model/org_model.h"

namespace clawsim::model {

std::vector<std::string> SpanNames(const scenario::CompiledScenario& sc) {
  std::vector<std::string> names = {"approval", "incident response", "review", "fix", "chat", "email", "code",
                                    "rework", "deploy by hand", "backlog", "heartbeat", "consolidation",
                                    "checklist padding"};
  for (const scenario::Skill& k : sc.skills) names.push_back(k.name);
  for (const char* stage : {"build", "staging", "canary", "prod"}) names.push_back(stage);
  for (const char* sev : {"SEV1", "SEV2", "SEV3", "SEV4"}) names.push_back(sev);
  return names;
}

std::vector<std::string> DefectOriginNames() {
  return {"person_change", "agent_written_change", "agent_action_error", "injection", "compromise", "malicious_skill"};
}

DefectOrigin DefectOriginOf(const services::ChangeSpec& c) {
  switch (c.attack) {
    case static_cast<uint8_t>(AttackKind::kInjection): return DefectOrigin::kInjection;
    case static_cast<uint8_t>(AttackKind::kCompromise): return DefectOrigin::kCompromise;
    case static_cast<uint8_t>(AttackKind::kMaliciousSkill): return DefectOrigin::kMaliciousSkill;
    default: break;
  }
  if (c.agent_action_error) return DefectOrigin::kAgentActionError;
  if (c.agent_introduced) return DefectOrigin::kAgentWrittenChange;
  return DefectOrigin::kPersonChange;
}

namespace {

// The change behind `inc`'s root incident, or nullptr (an incident not rooted in a change).
const services::ChangeSpec* RootChange(const std::vector<ServiceLpState>& services, const services::Incident& inc) {
  const uint64_t service = inc.root_id >> 32;
  const uint64_t index = (inc.root_id & 0xffffffffu);
  if (service >= services.size() || index == 0) return nullptr;
  const auto& incidents = services[service].service.incidents();
  if (index > incidents.size()) return nullptr;
  const services::Incident& root = incidents[index - 1];
  for (const services::PipelineRun& run : services[service].service.runs()) {
    if (run.change.change_id == root.change_id && run.caused_incident) return &run.change;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> InjectionRouteNames() { return {"triage", "briefing", "channel_paste", "forward", "memory"}; }
std::vector<std::string> AttackGoalNames() { return {"exfiltrate", "post_chat", "trigger_deploy", "persist"}; }

std::vector<InjectionRecord> OrgModel::TakeInjections() {
  std::vector<InjectionRecord> all;
  for (EmployeeState& s : employees_) {
    all.insert(all.end(), s.injections.begin(), s.injections.end());
    s.injections.clear();
  }
  std::sort(all.begin(), all.end(), [](const InjectionRecord& a, const InjectionRecord& b) {
    return std::tie(a.time_us, a.item_id) < std::tie(b.time_us, b.item_id);
  });
  return all;
}

void OrgModel::RecordPipelineSpans(ServiceLpState& sv, uint32_t service, const services::PipelineRun& run,
                                   uint64_t audit_id) {
  if (!record_spans_) return;
  // Stages ran back to back from the request, each its configured duration; the last one
  // reached either passed (the run succeeded) or failed.
  TimeUs start = run.requested_at_us;
  const int last = static_cast<int>(run.stage);
  for (int st = 0; st <= last; ++st) {
    TraceSpan sp;
    sp.kind = SpanKind::kPipelineStage;
    sp.id = (uint64_t{world_->ServiceLp(service)} << 40) | (run.request_id & 0xffffffffu) << 3 | static_cast<uint64_t>(st);
    sp.start_us = start;
    sp.end_us = st == last ? run.finished_at_us : start + world_->deploy.stages[static_cast<size_t>(st)].duration_us;
    sp.service = service;
    sp.name = SpanNameOfStage(sc(), st);
    sp.outcome = (st == last && run.result == services::RunResult::kFailed) ? 1 : 0;
    sp.deploy_id = run.request_id;
    sp.item_id = ItemId(run.change.author, ItemKind::kChange, static_cast<uint32_t>(run.change.change_id & 0xffffffffu));
    sp.causes[0] = {CauseKind::kAudit, audit_id};
    sp.causes[1] = {CauseKind::kItem, sp.item_id};
    sv.spans.push_back(sp);
    start = sp.end_us;
  }
}

std::vector<TraceSpan> OrgModel::TakeSpans(TimeUs until_us, bool final) {
  std::vector<TraceSpan> all;
  for (EmployeeState& s : employees_) {
    all.insert(all.end(), s.spans.begin(), s.spans.end());
    s.spans.clear();
  }
  for (uint32_t v = 0; v < services_.size(); ++v) {
    ServiceLpState& sv = services_[v];
    all.insert(all.end(), sv.spans.begin(), sv.spans.end());
    sv.spans.clear();
    // Incidents once restored (all of them at the end, cut at the run's end).
    const auto& incidents = sv.service.incidents();
    sv.incident_emitted.resize(incidents.size(), false);
    for (size_t i = 0; i < incidents.size(); ++i) {
      const services::Incident& inc = incidents[i];
      if (sv.incident_emitted[i] || (!final && (inc.open || inc.restored_at_us > until_us))) continue;
      sv.incident_emitted[i] = true;
      TraceSpan sp;
      sp.kind = SpanKind::kIncident;
      sp.id = (uint64_t{world_->ServiceLp(v)} << 40) | (uint64_t{1} << 39) | i;
      sp.start_us = inc.opened_at_us;
      sp.end_us = std::max(inc.opened_at_us, std::min(inc.restored_at_us, until_us));
      sp.service = v;
      sp.name = SpanNameOfSeverity(sc(), inc.severity);
      if (const services::ChangeSpec* change = RootChange(services_, inc)) {
        sp.defect_origin = static_cast<uint32_t>(DefectOriginOf(*change));
      }
      if (inc.parent_id == 0) {
        // A root incident: the prod deploy of the change that caused it.
        for (auto run = sv.service.runs().rbegin(); run != sv.service.runs().rend(); ++run) {
          if (run->change.change_id == inc.change_id && run->caused_incident) {
            sp.deploy_id = run->request_id;
            sp.causes[0] = {CauseKind::kDeploy, run->request_id};
            break;
          }
        }
      } else {
        // Spread from a dependency: that service's incident.
        const uint32_t parent_service = static_cast<uint32_t>(inc.parent_id >> 32);
        const uint64_t parent_index = (inc.parent_id & 0xffffffffu) - 1;
        sp.causes[0] = {CauseKind::kSpan,
                        (uint64_t{world_->ServiceLp(parent_service)} << 40) | (uint64_t{1} << 39) | parent_index};
      }
      all.push_back(sp);
    }
  }
  std::sort(all.begin(), all.end(),
            [](const TraceSpan& a, const TraceSpan& b) { return std::tie(a.end_us, a.id) < std::tie(b.end_us, b.id); });
  return all;
}

}  // namespace clawsim::model
