// Chat channel and deployable service LPs.
#include <algorithm>
#include <cmath>

#include "sim/model/org_model.h"

namespace clawsim::model {

void OrgModel::HandleChannel(Ctx& ctx, uint32_t channel, const Ev& ev) {
  ChannelState& c = channels_[channel];
  if (ev.kind != kChatPost) {
    ctx.Fail("chat channel LP got an event of kind " + std::to_string(ev.kind));
    return;
  }
  ++c.messages;
  if (ev.payload.c & kPostNoise) ++c.noise_messages;
  // A sensitive message in a company-wide channel reaches readers outside its audience.
  if ((ev.payload.c & kPostSensitive) && sc().chat.channels[channel].kind == scenario::ChannelKind::kCompany) {
    ++c.exposures;
  }
  const uint32_t mentioned = ev.payload.b;
  if (mentioned != kNoId && mentioned < world_->num_employees) {
    Payload p;
    p.a = ev.payload.a;
    p.x = ev.payload.x;
    p.t = ctx.now_us();
    ctx.Send(mentioned, Net(sc().chat.delivery_latency_us), kChatMention, p);
  }
}

void OrgModel::HandleService(Ctx& ctx, uint32_t service, const Ev& ev) {
  ServiceState& sv = services_[service];
  const scenario::DeployConfig& dc = sc().deploy;
  engine::Rng& rng = ctx.rng();
  switch (ev.kind) {
    case kDeployRequest: {
      ++sv.pipelines;
      if (dc.InFreeze(ctx.now_us()) || dc.stages.empty()) {
        Payload p = ev.payload;
        p.a = service;
        p.c = static_cast<uint32_t>(dc.stages.empty() ? PipelineResult::kInProd : PipelineResult::kRefused);
        ctx.Send(ev.payload.a, Net(0), kPipelineResult, p);
        return;
      }
      Payload p = ev.payload;
      p.c = 0;
      ctx.SendSelf(dc.stages[0].duration_us, kStageDone, p);
      return;
    }
    case kStageDone: {
      const uint32_t stage = ev.payload.c;
      const scenario::PipelineStage& st = dc.stages[stage];
      const bool last = stage + 1 == dc.stages.size();
      const double quality = ev.payload.x;
      Payload result = ev.payload;
      result.a = service;
      if (!last) {
        if (rng.Bernoulli(st.FailureProbability(quality))) {
          ++sv.pipeline_failures;
          result.c = static_cast<uint32_t>(PipelineResult::kFailed);
          ctx.Send(ev.payload.a, Net(0), kPipelineResult, result);
          return;
        }
        Payload next = ev.payload;
        next.c = stage + 1;
        ctx.SendSelf(dc.stages[stage + 1].duration_us, kStageDone, next);
        return;
      }
      // In production. A defect that slipped through opens an incident.
      ++sv.prod_deploys;
      ++sv.version;
      sv.lead_time_hours_sum += UsToHours(ctx.now_us() - ev.payload.t);
      result.c = static_cast<uint32_t>(PipelineResult::kInProd);
      ctx.Send(ev.payload.a, Net(0), kPipelineResult, result);
      if (rng.Bernoulli(st.FailureProbability(quality))) {
        ++sv.failed_prod_deploys;
        // Severity by the scenario's mix.
        uint32_t severity = 0;
        const auto& sevs = dc.incidents.severities;
        double u = rng.Uniform01();
        for (uint32_t i = 0; i < sevs.size(); ++i) {
          severity = i;
          if (u < sevs[i].probability) break;
          u -= sevs[i].probability;
        }
        OpenIncident(ctx, service, severity, true);
      }
      return;
    }
    case kIncidentSpread:
      OpenIncident(ctx, service, ev.payload.a, false);
      return;
    case kIncidentRestored:
      if (sv.active_incidents > 0) --sv.active_incidents;
      ++sv.restored;
      sv.restore_hours_sum += UsToHours(ctx.now_us() - ev.payload.t);
      return;
    default:
      ctx.Fail("service LP got an event of kind " + std::to_string(ev.kind));
  }
}

void OrgModel::OpenIncident(Ctx& ctx, uint32_t service, uint32_t severity, bool from_deploy) {
  ServiceState& sv = services_[service];
  const scenario::DeployConfig& dc = sc().deploy;
  const scenario::IncidentConfig& ic = dc.incidents;
  engine::Rng& rng = ctx.rng();
  ++sv.incidents;
  ++sv.active_incidents;
  const TimeUs detect = static_cast<TimeUs>(rng.Exponential(static_cast<double>(ic.detection_us)));
  TimeUs restore_mean = engine::kUsPerHour;
  double responder_minutes = 60;
  if (severity < ic.severities.size()) {
    restore_mean = ic.severities[severity].time_to_restore_us;
    responder_minutes = ic.severities[severity].responder_minutes;
  }
  const TimeUs restore = detect + static_cast<TimeUs>(rng.Exponential(static_cast<double>(restore_mean)));
  ctx.SendSelf(restore, kIncidentRestored, Payload{from_deploy ? 1u : 0u, 0, 0, 0, 0, ctx.now_us()});
  // Page the owning team once detected: the team lead, or its first member.
  const scenario::TeamId team = dc.services[service].owner_team;
  if (team != kNoId) {
    const scenario::Team& t = sc().organization.teams[team];
    const EmployeeId responder = t.lead != kNoId ? t.lead : (t.members.empty() ? kNoId : t.members[0]);
    if (responder != kNoId) ctx.Send(responder, Net(detect), kIncidentPage, Payload{0, 0, 0, 0, responder_minutes, 0});
  }
  // Spread along the dependency graph: each dependent breaks with some probability.
  for (scenario::ServiceId dep : dc.services[service].dependents) {
    if (!rng.Bernoulli(ic.spread_probability)) continue;
    const TimeUs delay = static_cast<TimeUs>(rng.Exponential(static_cast<double>(ic.spread_delay_us)));
    ctx.Send(world_->ServiceLp(dep), Net(delay), kIncidentSpread, Payload{severity, 0, 0, 0, 0, 0});
  }
}

}  // namespace clawsim::model
