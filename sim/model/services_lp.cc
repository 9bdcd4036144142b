// Chat channel and deployable service LPs: thin event adapters around the mock services
// (mock_services/chat.h, deploy_service.h), which own the state and the rules.
#include <algorithm>
#include <cmath>

#include "sim/model/org_model.h"

namespace clawsim::model {
namespace {

// Size of one chat message in tokens, for the channel's token count.
constexpr uint32_t kChatMessageTokens = 80;

}  // namespace

void OrgModel::HandleChannel(Ctx& ctx, uint32_t channel, const Ev& ev) {
  ChannelState& c = channels_[channel];
  if (ev.kind == kBoardPost || ev.kind == kBoardAsk) {
    HandleBoard(ctx, c.board, ev);
    return;
  }
  if (ev.kind != kChatPost) {
    ctx.Fail("chat channel LP got an event of kind " + std::to_string(ev.kind));
    return;
  }
  services::ChatPost post;
  post.poster = ev.payload.a;
  post.agent = ev.payload.d == 0 ? services::kNoId : ev.payload.d - 1;
  post.size_tokens = kChatMessageTokens;
  post.needed = (ev.payload.c & kPostNoise) == 0;
  // Sensitive posts are meant for the poster's team only.
  post.audience_team = (ev.payload.c & kPostSensitive) ? world_->team_of_employee[post.poster] : services::kAnyId;
  const uint32_t mentioned = ev.payload.b;
  if (mentioned != kNoId && mentioned < world_->num_employees) {
    post.num_mentions = 1;
    post.mentions[0] = mentioned;
  }
  const services::Channel::PostResult r = c.channel.Post(post, ctx.now_us(), world_->chat);
  if (r.status == services::ChatStatus::kOk && (ev.payload.c & (kPostInjection | kPostPhishing))) {
    // Attacker text or a phishing link: every other member sees it.
    Payload p;
    p.c = ev.payload.c;
    p.u = ev.payload.u;
    p.v = ev.payload.v;
    for (EmployeeId m : c.channel.members()) {
      if (m != post.poster) ctx.Send(m, Net(sc().chat.delivery_latency_us), kChatInjection, p);
    }
  }
  if (r.status != services::ChatStatus::kOk || post.num_mentions == 0) return;
  Payload p;
  p.a = ev.payload.a;
  p.x = ev.payload.x;
  p.y = ev.payload.y;
  p.t = ctx.now_us();
  ctx.Send(mentioned, Net(sc().chat.delivery_latency_us), kChatMention, p);
}

void OrgModel::HandleService(Ctx& ctx, uint32_t service, const Ev& ev) {
  ServiceLpState& sv = services_[service];
  services::DeployEffects effects;
  const size_t incidents_before = sv.service.incidents().size();
  switch (ev.kind) {
    case kDeployRequest: {
      QueuedDeploy q;
      q.author = ev.payload.a;
      q.change_ref = ev.payload.b;
      q.created_us = ev.payload.t;
      q.queued_us = ctx.now_us();
      q.audit_id = ev.payload.u;
      q.request.request_id = (uint64_t{service} << 32) | sv.next_request++;
      q.request.kind = ev.payload.d == 1 ? services::DeployKind::kRollback : services::DeployKind::kToProd;
      q.request.change.change_id = (uint64_t{q.author} << 32) | q.change_ref;
      // The author's change carries its defect (drawn when it was written): the service
      // draws none of its own.
      q.request.change.quality = 1.0;
      q.request.change.known_bad = ev.payload.x < 0.5;
      q.request.change.agent_introduced = ev.payload.x < -0.5;
      q.request.change.agent_action_error = ev.payload.x < -1.5;
      q.request.change.author = q.author;
      q.request.change.agent = ev.payload.c == 0 ? services::kNoId : ev.payload.c - 1;
      q.request.change.attack = static_cast<uint8_t>(ev.payload.v);
      if (sc().deploy.release_interval_us > 0 && q.request.kind == services::DeployKind::kToProd) {
        // It waits for the next train.
        sv.train.push_back(q);
        ScheduleRelease(ctx, sv);
        return;
      }
      sv.queue.push_back(q);
      if (!sv.service.busy()) StartNextDeploy(ctx, service);
      return;
    }
    case kReleaseDepart:
      sv.departure_scheduled = false;
      if (sv.train.empty()) return;
      if (world_->catalog.InFreeze(service, ctx.now_us())) {
        ScheduleRelease(ctx, sv);  // no train leaves in a freeze
        return;
      }
      sv.train_due = true;
      StartNextDeploy(ctx, service);
      return;
    case kStageDone:
      sv.service.OnStep(ctx.now_us(), world_->catalog, world_->deploy, ctx.rng(), &effects);
      break;
    case kIncidentRestored:
      sv.service.OnRestore(ev.payload.a, ctx.now_us());
      return;
    case kIncidentSpread: {
      services::IncidentSignal signal;
      signal.root_id = static_cast<uint64_t>(ev.payload.t);
      signal.parent_id = (uint64_t{ev.payload.a} << 32) | ev.payload.b;
      signal.severity = static_cast<uint8_t>(ev.payload.c);
      sv.service.OnUpstreamIncident(signal, ctx.now_us(), world_->catalog, world_->deploy, ctx.rng(), &effects);
      break;
    }
    default:
      ctx.Fail("service LP got an event of kind " + std::to_string(ev.kind));
      return;
  }
  ApplyDeployEffects(ctx, service, effects, incidents_before);
}

void OrgModel::ScheduleRelease(Ctx& ctx, ServiceLpState& sv) {
  if (sv.departure_scheduled) return;
  sv.departure_scheduled = true;
  ctx.SendSelf(sc().deploy.NextRelease(ctx.now_us()) - ctx.now_us(), kReleaseDepart);
}

void OrgModel::StartRelease(Ctx& ctx, uint32_t service) {
  ServiceLpState& sv = services_[service];
  TestWaitingTrain(ctx, service);
  if (sv.train.empty()) {  // release testing sent every change back
    sv.train_due = false;
    return;
  }
  std::vector<services::DeployRequest> requests;
  requests.reserve(sv.train.size());
  for (const QueuedDeploy& q : sv.train) requests.push_back(q.request);
  services::DeployEffects effects;
  const size_t incidents_before = sv.service.incidents().size();
  const uint32_t first = sv.service.runs_started();
  const auto status = sv.service.RequestRelease(requests, world_->deploy, ctx.now_us(), ctx.rng(), &effects);
  if (status != services::ServiceState::RequestStatus::kStarted) {
    ctx.Fail("service " + std::to_string(service) + " could not start a due release");
    return;
  }
  for (uint32_t i = 0; i < sv.train.size(); ++i) sv.running.emplace_back(first + i, sv.train[i]);
  sv.train.clear();
  sv.train_due = false;
  ApplyDeployEffects(ctx, service, effects, incidents_before);
}

void OrgModel::TestWaitingTrain(Ctx& ctx, uint32_t service) {
  ServiceLpState& sv = services_[service];
  const TimeUs half_life = sc().deploy.release_testing_half_life_us;
  if (half_life <= 0) return;
  const TimeUs now = ctx.now_us();
  size_t kept = 0;
  for (size_t i = 0; i < sv.train.size(); ++i) {
    const QueuedDeploy& q = sv.train[i];
    // One draw a defective change: found with 1 - 2^(-waited / half-life).
    if (q.request.change.known_bad) {
      const double waited = static_cast<double>(now - q.queued_us) / static_cast<double>(half_life);
      if (ctx.rng().Bernoulli(1 - std::exp2(-waited))) {
        ++sv.release_testing_caught;
        Payload p;
        p.a = service;
        p.b = q.change_ref;
        p.c = static_cast<uint32_t>(PipelineResult::kFailed);
        p.t = q.created_us;
        ctx.Send(q.author, Net(0), kPipelineResult, p);
        continue;
      }
    }
    if (kept != i) sv.train[kept] = sv.train[i];
    ++kept;
  }
  sv.train.resize(kept);
}

void OrgModel::StartNextDeploy(Ctx& ctx, uint32_t service) {
  ServiceLpState& sv = services_[service];
  // A train that is due goes first (requests queued meanwhile are rollbacks), unless a freeze
  // began while it waited for a pipeline: then it waits for the next departure.
  if (sv.train_due && !sv.service.busy()) {
    if (world_->catalog.InFreeze(service, ctx.now_us())) {
      sv.train_due = false;
      ScheduleRelease(ctx, sv);
    } else {
      StartRelease(ctx, service);
    }
  }
  while (!sv.queue.empty() && !sv.service.busy()) {
    QueuedDeploy q = sv.queue.front();
    sv.queue.pop_front();
    services::DeployEffects effects;
    const size_t incidents_before = sv.service.incidents().size();
    const auto status = sv.service.Request(q.request, world_->catalog, world_->deploy, ctx.now_us(), ctx.rng(), &effects);
    if (status == services::ServiceState::RequestStatus::kStarted) {
      const bool rollback = q.request.kind == services::DeployKind::kRollback;
      sv.running.emplace_back(rollback ? kRollbackRun : sv.service.runs_started() - 1, q);
      ApplyDeployEffects(ctx, service, effects, incidents_before);
      continue;
    }
    // Frozen (or nothing to roll back): the author hears back and tries again later.
    if (q.request.kind != services::DeployKind::kRollback) {
      Payload p;
      p.a = service;
      p.b = q.change_ref;
      p.c = static_cast<uint32_t>(PipelineResult::kRefused);
      p.t = q.created_us;
      p.u = static_cast<uint64_t>(world_->catalog.FreezeEnd(service, ctx.now_us()));
      ctx.Send(q.author, Net(0), kPipelineResult, p);
    }
  }
}

void OrgModel::ApplyDeployEffects(Ctx& ctx, uint32_t service, const services::DeployEffects& effects,
                                  size_t incidents_before) {
  ServiceLpState& sv = services_[service];
  const TimeUs now = ctx.now_us();
  if (effects.step_at_us >= 0) ctx.SendSelf(effects.step_at_us - now, kStageDone);
  for (const auto& r : effects.restores) ctx.SendSelf(r.at_us - now, kIncidentRestored, Payload{r.incident_index, 0, 0, 0, 0, 0});
  for (const auto& sp : effects.spreads) {
    Payload p;
    p.t = static_cast<TimeUs>(sp.signal.root_id);
    p.a = static_cast<uint32_t>(sp.signal.parent_id >> 32);
    p.b = static_cast<uint32_t>(sp.signal.parent_id);
    p.c = sp.signal.severity;
    ctx.Send(world_->ServiceLp(sp.to), Net(sp.at_us - now), kIncidentSpread, p);
  }
  // New incidents: page the owning team's lead when it is detected.
  const auto& incidents = sv.service.incidents();
  for (size_t i = incidents_before; i < incidents.size(); ++i) {
    const services::Incident& inc = incidents[i];
    const services::ServiceSpec& spec = world_->catalog.spec(service);
    // The owning team's on-call engineer for the day the incident is detected.
    const EmployeeId responder = OnCall(spec.owner_team, inc.detected_at_us);
    if (responder == kNoId) continue;
    // Severities are capped at the mildest listed one, so every incident has its profile.
    double minutes = 0;
    for (const scenario::SeverityProfile& sp : sc().deploy.incidents.severities) {
      if (static_cast<int>(sp.severity) + 1 == inc.severity) minutes = sp.responder_minutes;
    }
    ++sv.pages;
    Payload page;
    page.a = service;
    page.b = inc.parent_id == 0 ? 1 : 0;  // a root incident: a rollback of its change can fix it
    page.x = minutes;
    ctx.Send(responder, Net(inc.detected_at_us - now), kIncidentPage, page);
  }
  // Finished pipelines go back to their authors.
  if (effects.rollback_finished) FinishOperation(ctx, service, kRollbackRun);
  for (uint32_t run : effects.finished_runs) FinishOperation(ctx, service, run);
  if (effects.rollback_finished || !effects.finished_runs.empty()) StartNextDeploy(ctx, service);
}

void OrgModel::FinishOperation(Ctx& ctx, uint32_t service, uint32_t finished) {
  ServiceLpState& sv = services_[service];
  const TimeUs now = ctx.now_us();
  const auto it = std::find_if(sv.running.begin(), sv.running.end(),
                               [&](const std::pair<uint32_t, QueuedDeploy>& r) { return r.first == finished; });
  if (it == sv.running.end()) {
    ctx.Fail("service " + std::to_string(service) + " finished an operation it was not running");
    return;
  }
  const QueuedDeploy done = it->second;
  sv.running.erase(it);
  if (done.request.kind == services::DeployKind::kRollback) return;
  const services::PipelineRun& run = *sv.service.run(finished);
  RecordPipelineSpans(sv, service, run, done.audit_id);
  Payload p;
  p.a = service;
  p.b = done.change_ref;
  p.t = done.created_us;
  if (run.result == services::RunResult::kSucceeded) {
    ++sv.prod_deploys;
    sv.lead_time_hours_sum += UsToHours(now - done.created_us);
    p.c = static_cast<uint32_t>(PipelineResult::kInProd);
  } else {
    p.c = static_cast<uint32_t>(PipelineResult::kFailed);
  }
  ctx.Send(done.author, Net(0), kPipelineResult, p);
}

}  // namespace clawsim::model
