// A code change's way on its author's LP: out for review (one or more of the team's other
// developers), back with a defect caught or not, rework, then deploy (by the author's agent
// or by hand, through the gate), the pipeline's result, and rollbacks a responder does by
// hand.
#include <algorithm>

#include "sim/model/org_model.h"

namespace clawsim::model {

using scenario::Role;

void OrgModel::SendForReview(Ctx& ctx, EmployeeState& s, Task change) {
  const EmployeeId self = ctx.lp();
  const scenario::CodeWork& code = sc().role(Role::kDeveloper).code;
  const Teammates mates = ReviewersOf(*world_, self);  // the team's other developers
  const uint32_t reviewers = static_cast<uint32_t>(std::min<size_t>(mates.size(), static_cast<size_t>(std::max(0, code.reviewers))));
  if (change.kind == TaskKind::kCode && !(change.state & kTaskAttack)) {
    // A pull request opened (rework comes back as kRework): with or without agents' code.
    const int with_agent = change.AgentWrittenShare() > 0 ? 1 : 0;
    ++s.prs_opened[with_agent];
    if (change.state & kTaskDefective) ++s.prs_opened_defective[with_agent];
  }
  change.kind = TaskKind::kCode;
  change.state &= ~(kTaskStarted | kTaskCaught | kTaskHelped);
  if (reviewers == 0) {
    OnReviewsComplete(ctx, s, change);
    return;
  }
  // Distinct reviewers, each looking independently after a wait.
  engine::Rng& rng = ctx.rng();
  const uint32_t first = static_cast<uint32_t>(rng.UniformInt(mates.size()));
  for (uint32_t r = 0; r < reviewers; ++r) {
    Payload p;
    p.a = self;
    p.b = change.ref;
    p.c = (change.state & kTaskDefective) ? 1 : 0;
    p.t = ctx.now_us();  // the request's time: the reviewer sends it back with the verdict
    p.x = change.AgentWrittenShare();
    const TimeUs wait = static_cast<TimeUs>(rng.Exponential(static_cast<double>(code.review_wait_us)));
    ctx.Send(mates[(first + r) % mates.size()], Net(wait), kReviewRequest, p);
  }
  change.reviews_pending = static_cast<uint8_t>(reviewers);
  s.changes_in_flight.push_back(change);  // until the reviews come back
}

void OrgModel::HumanRollback(Ctx& ctx, EmployeeState& s, uint32_t service) {
  // The responder rolls the change back: a human action through the gate.
  services::Target target = world_->catalog.AsTarget(service, ctx.now_us());
  target.id = service;
  target.owner = kNoId;  // OWN scope on a rollback would name the change's author, unknown here
  services::AuditRecord rec = HumanGate(ctx, s, services::Action::kDeployRollback, target);
  if (services::Admits(rec.decision)) {
    rec.outcome = services::Outcome::kStarted;
    Payload p;
    p.a = ctx.lp();
    p.d = 1;
    p.u = s.audit.next_id();  // this record, appended below
    ctx.Send(world_->ServiceLp(service), Net(0), kDeployRequest, p);
  }
  Audit(s.audit, rec);
}

void OrgModel::OnReviewDone(Ctx& ctx, EmployeeState& s, const Ev& ev) {
  Task* pending = s.FindChange(ev.payload.b);
  if (pending == nullptr) return;
  if (ev.payload.c == 1) pending->state |= kTaskCaught;
  if (pending->reviews_pending > 0) --pending->reviews_pending;
  if (pending->reviews_pending > 0) return;  // wait for the other reviewers
  // The round took from the request to the last verdict (clock time, what a pull request's
  // timestamps show).
  s.review_round_hours_sum += UsToHours(ctx.now_us() - ev.payload.t);
  Task change;
  s.TakeChange(ev.payload.b, &change);
  OnReviewsComplete(ctx, s, change);
}

void OrgModel::OnReviewsComplete(Ctx& ctx, EmployeeState& s, Task change) {
  if (change.state & kTaskCaught) {
    change.kind = TaskKind::kRework;
    change.state &= ~(kTaskStarted | kTaskCaught | kTaskHelped);
    change.effort_minutes = change.base_effort_minutes * sc().role(Role::kDeveloper).code.rework_fraction;
    Enqueue(ctx, s, change);
    return;
  }
  if (!(change.state & (kTaskMerged | kTaskAttack))) {
    change.state |= kTaskMerged;
    ++s.changes_merged;
    s.merged_size_sum += RelativeSize(change);
  }
  // An agent with a deploy-trigger skill ships it; otherwise the author does, by hand.
  for (uint32_t slot = 0; !IsSeat(s) && slot < s.agents.size(); ++slot) {
    const scenario::AgentProfile& prof = sc().profiles[s.agents[slot].profile];
    for (scenario::SkillId k : prof.skills) {
      if (sc().skills[k].kind != scenario::SkillKind::kDeployTrigger) continue;
      if (!Offered(k, services::Action::kDeployStaging) || !Offered(k, services::Action::kDeployProd)) continue;
      const uint32_t handled = Invoke(ctx, s, slot, k, Trigger::kEvent, sc().skills[k].purpose, 0);
      if (handled == 0) continue;
      const bool bad = s.agent_rng.Bernoulli(ErrorProbability(prof, sc().skills[k]));
      Task c = change;
      if (bad) {
        ++s.m.agent_errors;
        // A broken build configuration; a change already defective stays the author's defect.
        if (!(c.state & kTaskDefective)) c.state |= kTaskDefective | kTaskAgentDefect | kTaskAgentDeployError;
      }
      const EmployeeInfo& info = world_->employees[ctx.lp()];
      const uint32_t service = info.services.empty()
                                   ? static_cast<uint32_t>(change.ref % std::max<size_t>(1, sc().deploy.services.size()))
                                   : info.services[change.ref % info.services.size()];
      // deploy.staging first; once it runs, deploy.prod goes through the gate in its turn.
      Defer(ctx, s, slot, {services::Action::kDeployStaging, c, bad, service, sc().skills[k].error_cost_minutes, 0, {}});
      FinishInvoke(s);
      return;
    }
  }
  DeployByHand(ctx, s, change);
}

void OrgModel::DeployByHand(Ctx& ctx, EmployeeState& s, const Task& change) {
  Task t = change;
  t.kind = TaskKind::kDeploy;
  t.state &= ~(kTaskStarted | kTaskHelped);
  t.effort_minutes = sc().deploy.manual_deploy_minutes;
  Enqueue(ctx, s, t);
}

void OrgModel::HumanDeploy(Ctx& ctx, EmployeeState& s, const Task& change) {
  if (sc().deploy.services.empty()) {
    CompleteItem(ctx, s, change);
    return;
  }
  const EmployeeInfo& info = world_->employees[ctx.lp()];
  const uint32_t service = info.services.empty() ? static_cast<uint32_t>(change.ref % sc().deploy.services.size())
                                                 : info.services[change.ref % info.services.size()];
  // deploy.staging, then deploy.prod: both the author's own actions through the gate.
  uint64_t prod_audit_id = 0;
  for (services::Action action : {services::Action::kDeployStaging, services::Action::kDeployProd}) {
    services::Target target = world_->catalog.AsTarget(service, ctx.now_us());
    target.id = service;
    target.owner = ctx.lp();  // the author's own change
    services::AuditRecord rec = HumanGate(ctx, s, action, target, ItemId(ctx.lp(), ItemKind::kChange, change.ref));
    const bool admitted = services::Admits(rec.decision);
    if (admitted) rec.outcome = action == services::Action::kDeployProd ? services::Outcome::kStarted : services::Outcome::kDone;
    if (action == services::Action::kDeployProd) {
      prod_audit_id = s.audit.next_id();  // the record appended next
    }
    Audit(s.audit, rec);
    if (!admitted) {
      // Nobody may ship it: the change stays undelivered.
      ++s.changes_blocked;
      return;
    }
  }
  RequestDeploy(ctx, s, change, 0, prod_audit_id);
}

void OrgModel::RequestDeploy(Ctx& ctx, EmployeeState& s, const Task& change, uint32_t agent_plus_one,
                             uint64_t audit_id, uint8_t attack) {
  if (sc().deploy.services.empty()) {
    CompleteItem(ctx, s, change);
    return;
  }
  const EmployeeInfo& info = world_->employees[ctx.lp()];
  const uint32_t service = info.services.empty()
                               ? static_cast<uint32_t>(change.ref % sc().deploy.services.size())
                               : info.services[change.ref % info.services.size()];
  Payload p;
  p.a = ctx.lp();
  p.b = change.ref;
  p.c = agent_plus_one;
  // The service draws no defect of its own: 1 sound, 0 defective, -1 defective by code an agent
  // wrote, -2 defective by an agent's wrong deploy action.
  p.x = !(change.state & kTaskDefective)           ? 1.0
        : (change.state & kTaskAgentDeployError)   ? -2.0
        : (change.state & kTaskAgentDefect)        ? -1.0
                                                   : 0.0;
  p.t = change.arrived_us;
  p.u = audit_id;
  p.v = attack;
  ++s.deploys_requested;
  s.changes_in_flight.push_back(change);  // until the pipeline reports back
  ctx.Send(world_->ServiceLp(service), Net(0), kDeployRequest, p);
}

void OrgModel::OnPipelineResult(Ctx& ctx, EmployeeState& s, const Ev& ev) {
  Task change;
  if (!s.TakeChange(ev.payload.b, &change)) return;
  if (change.state & kTaskAttack) return;  // an attacker's change: nobody's work item
  switch (static_cast<PipelineResult>(ev.payload.c)) {
    case PipelineResult::kInProd:
      CompleteItem(ctx, s, change);
      break;
    case PipelineResult::kFailed:
      change.kind = TaskKind::kRework;
      change.state &= ~(kTaskStarted | kTaskCaught | kTaskHelped);
      change.effort_minutes = change.base_effort_minutes * sc().role(Role::kDeveloper).code.rework_fraction;
      Enqueue(ctx, s, change);
      break;
    case PipelineResult::kRefused:
      // Frozen: wait for the freeze to end, then ship it by hand.
      s.changes_in_flight.push_back(change);
      ctx.SendSelf(std::max<TimeUs>(1, static_cast<TimeUs>(ev.payload.u) - ctx.now_us()), kDeployRetry,
                   Payload{0, change.ref, 0, 0, 0, 0, 0, 0, 0});
      break;
  }
  OnAgentEvent(ctx, s, scenario::Event::kPipelineResult);
}

}  // namespace clawsim::model
