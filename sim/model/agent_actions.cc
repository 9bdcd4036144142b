// Agents' actions on the employee LP: an action decided by a model call waits for the call
// to finish, passes the permission gate (least-privilege tools first, then the policy, then a
// tripped circuit breaker's hold), and then runs, waits for a person's approval, or is
// refused; what a refused action leaves the person to do, and what an admitted one changes.
// Every decision is an audit record naming what caused it.
#include <algorithm>

#include "sim/model/org_model.h"

namespace clawsim::model {
namespace {

// Size of an agent's reply in tokens.
constexpr uint32_t kReplyTokens = 250;

}  // namespace

void OrgModel::CountGate(EmployeeState& s, services::Decision d) {
  GateOutcome g = GateOutcome::kDenied;
  switch (d) {
    case services::Decision::kAllowed: g = GateOutcome::kAllowed; break;
    case services::Decision::kApproved:
    case services::Decision::kAutoApproved: g = GateOutcome::kAskedApproved; break;
    case services::Decision::kRejected: g = GateOutcome::kAskedRejected; break;
    case services::Decision::kExpired:
    case services::Decision::kOpenAtEnd: g = GateOutcome::kAskedExpired; break;
    case services::Decision::kDenied: g = GateOutcome::kDenied; break;
    case services::Decision::kRateLimited: g = GateOutcome::kRateLimited; break;
    case services::Decision::kHeld:
    case services::Decision::kReleased:
    case services::Decision::kUngated: return;  // a defense's or a seat's record, not a gate decision
  }
  ++s.m.gate[static_cast<int>(g)];
}

void OrgModel::SetAgentCause(EmployeeState& s, const AgentAction& act, services::AuditRecord* rec) {
  if (act.seat_call != kNoCall) {
    // A seat's call has no invocation span: it names the injection email it followed, if any.
    if (act.attack.active()) {
      rec->attack_source_plus_one = act.attack.source + 1;
      rec->cause_kind = static_cast<uint8_t>(CauseKind::kItem);
      rec->cause_id = act.attack.origin_id;
    }
    rec->ask_item_id = act.ask_item == kNoSpanId ? 0 : act.ask_item;
    return;
  }
  // An action names the invocation that decided it; a read, the invocation being decided.
  const OpenCall* call = FindCall(s, act.call);
  const uint64_t span = act.action == services::Action::kEmailRead || act.action == services::Action::kChatRead
                            ? s.open_span
                            : (call != nullptr ? call->span_id : kNoSpanId);
  rec->ask_item_id = act.ask_item == kNoSpanId ? 0 : act.ask_item;
  if (act.attack.active()) rec->attack_source_plus_one = act.attack.source + 1;
  if (span != kNoSpanId) {
    rec->cause_kind = static_cast<uint8_t>(CauseKind::kSpan);
    rec->cause_id = span;
  } else if (act.attack.active()) {
    // No model call decided it: the compromised session did.
    rec->cause_kind = static_cast<uint8_t>(CauseKind::kAttack);
    rec->cause_id = act.attack.origin_id;
  }
}

bool OrgModel::Offered(scenario::SkillId skill, services::Action action) const {
  if (!sc().defenses.least_privilege_tools || skill == kNoId) return true;
  return sc().skills[skill].MayRequest(static_cast<scenario::Action>(action));
}

void OrgModel::ScheduleCallDone(Ctx& ctx, EmployeeState& s) {
  const bool scheduled = (!s.deferred.empty() && s.deferred.back().call == s.open_call) ||
                         (!s.helps.empty() && s.helps.back().call == s.open_call);
  if (scheduled) return;
  Payload p;
  p.b = s.open_call;
  ctx.SendSelf(s.open_call_duration_us, kAgentCallDone, p);
}

void OrgModel::Defer(Ctx& ctx, EmployeeState& s, uint32_t slot, const AgentAction& act) {
  ScheduleCallDone(ctx, s);
  AgentAction a = act;
  a.call = s.open_call;
  if (OpenCall* c = FindCall(s, s.open_call)) ++c->outstanding;
  s.deferred.push_back(DeferredAction{s.open_call, slot, a});
}

void OrgModel::OnAgentCallDone(Ctx& ctx, EmployeeState& s, uint32_t call) {
  // The call's help lands on the tasks the person has not started meanwhile.
  const EmployeeId self = ctx.lp();
  auto landed = std::stable_partition(s.helps.begin(), s.helps.end(), [call](const PendingHelp& h) { return h.call != call; });
  std::vector<PendingHelp> helps(landed, s.helps.end());
  s.helps.erase(landed, s.helps.end());
  bool released = false;
  for (const PendingHelp& h : helps) {
    if (Task* t = s.FindQueued(h.kind, h.ref); t != nullptr) {
      if (t->state & kTaskAwaitingAgent) {
        t->state &= ~kTaskAwaitingAgent;  // the person can take the change up now
        released = true;
      }
      const scenario::Skill& k = sc().skills[h.skill];
      const HelpEffect effect = HelpOf(self, k, h.handover_share, h.suitability, HumanMinutes(s, self, *t), 0);
      if (ApplyHelp(s, self, *t, effect)) MarkUseful(s, call);
      // Help that came too late (the person started the task) is no outcome: they never used it.
      if (k.kind == scenario::SkillKind::kCodeHelp) {
        RecordCodeOutcome(s, h.skill, effect.SeenAsPayingOff(sc().adoption.idle_cost_noticed));
      }
    }
    ResolveAction(s, call);
  }
  // Take the call's actions out first: running them may queue more.
  std::vector<DeferredAction> ready;
  auto done = std::stable_partition(s.deferred.begin(), s.deferred.end(),
                                    [call](const DeferredAction& d) { return d.call != call; });
  ready.assign(done, s.deferred.end());
  s.deferred.erase(done, s.deferred.end());
  for (const DeferredAction& d : ready) AgentAct(ctx, s, d.agent_slot, d.act);
  if (released) TryStartTask(ctx, s);
}

services::GateRequest OrgModel::AgentRequest(Ctx& ctx, const EmployeeState& s, uint32_t slot,
                                             services::Action action) const {
  const EmployeeId self = ctx.lp();
  const AgentState& a = s.agents[slot];
  services::GateRequest req;
  req.actor.agent = a.agent_id;
  req.actor.profile = a.profile;
  req.actor.employee = self;
  req.actor.role = static_cast<uint32_t>(sc().organization.employees[self].role);
  req.actor.team = sc().organization.employees[self].team;
  req.action = action;
  req.now_us = ctx.now_us();
  return req;
}

void OrgModel::AgentAct(Ctx& ctx, EmployeeState& s, uint32_t slot, const AgentAction& act) {
  const EmployeeId self = ctx.lp();
  AgentState& a = s.agents[slot];
  const OpenCall* call = FindCall(s, act.call);
  if (BreakerHolds(a, act.action, ctx.now_us())) {
    // A tripped breaker: the agent is paused or read-only; nothing reaches the gate.
    Refuse(ctx, s, a.agent_id, act, services::Decision::kDenied, services::kDefenseRule);
    return;
  }
  // Least-privilege tools offer a call what its skill declares, and mail to outside only when
  // its task is answering mail from outside.
  const bool task_needs = act.action != services::Action::kEmailSendExternal || !sc().defenses.least_privilege_tools ||
                          (call != nullptr && call->replies_outside);
  const bool offered = act.call == kNoCall ? OfferedToAgent(a, act.action)
                                           : Offered(call == nullptr ? kNoId : call->skill, act.action) && task_needs;
  if (act.action == services::Action::kEmailSendExternal) {
    FeedBreakers(ctx, s, slot, scenario::CircuitBreaker::Metric::kExternalEmails, 1);
  } else if (act.action == services::Action::kDeployProd) {
    FeedBreakers(ctx, s, slot, scenario::CircuitBreaker::Metric::kProdDeploys, 1);
  }
  if (!offered) {
    // Least-privilege tools: the agent has no tool for it, so nothing is requested.
    Refuse(ctx, s, a.agent_id, act, services::Decision::kDenied, services::kServiceRule);
    return;
  }
  services::GateRequest req = AgentRequest(ctx, s, slot, act.action);
  switch (act.action) {
    case services::Action::kChatRead:
    case services::Action::kChatPost:
      req.target = channels_.empty() ? services::Target{} : ChannelTargetOf(act.target);
      break;
    case services::Action::kDeployStaging:
    case services::Action::kDeployProd:
      req.target = world_->catalog.AsTarget(act.target, ctx.now_us());
      req.target.owner = self;  // OWN: the change was authored by the agent's owner
      break;
    case services::Action::kDeployRollback:
      req.target = world_->catalog.AsTarget(act.target, ctx.now_us());
      req.target.owner = kNoId;
      break;
    default:
      if (act.target < world_->num_employees) {
        req.target.owner = act.target;
        req.target.team = world_->team_of_employee[act.target];
      }
  }
  req.target.id = act.target;
  const services::GateResult g = Decide(s, req, &a.rates);
  switch (g.verdict) {
    case services::Verdict::kAllow:
      ExecuteAgentAction(ctx, s, act, a.agent_id, services::Decision::kAllowed, g.rule);
      return;
    case services::Verdict::kAsk: {
      // Park the action until the approver answers or the ask times out, whichever is first.
      PendingAsk ask{s.next_ask++, slot, act, ctx.now_us()};
      const EmployeeInfo& info = world_->employees[self];
      EmployeeId approver = info.approver;
      if (sc().approvals.approver == scenario::ApprovalConfig::Approver::kOnCall) {
        const EmployeeId on_call = OnCall(sc().organization.employees[self].team, ctx.now_us());
        approver = on_call == kNoId || on_call == self ? info.approver : on_call;
      }
      ask.approver = approver;
      s.asks.push_back(ask);
      Payload p;
      p.a = self;
      p.b = ask.id;
      p.c = act.bad ? 1 : 0;
      // The approver looks at it after a wait (response_minutes on average); one who would
      // only look after the timeout never sees it.
      const TimeUs wait = static_cast<TimeUs>(s.agent_rng.Exponential(static_cast<double>(sc().approvals.response_us)));
      const TimeUs delay = approver == self ? std::max<TimeUs>(1, wait) : Net(wait);
      if (delay < sc().approvals.timeout_us) ctx.Send(approver, delay, kApprovalRequest, p);
      Payload timeout;
      timeout.b = ask.id;
      ctx.SendSelf(sc().approvals.timeout_us, kApprovalTimeout, timeout);
      return;
    }
    case services::Verdict::kDeny:
    case services::Verdict::kRateLimited:
      Refuse(ctx, s, a.agent_id, act,
             g.verdict == services::Verdict::kDeny ? services::Decision::kDenied : services::Decision::kRateLimited, g.rule);
      return;
  }
}

void OrgModel::Refuse(Ctx& ctx, EmployeeState& s, uint32_t agent_id, const AgentAction& act, services::Decision decision,
                      uint16_t rule) {
  services::AuditRecord rec;
  rec.time_us = ctx.now_us();
  rec.agent = agent_id;
  rec.on_behalf_of = ctx.lp();
  rec.target = act.target;
  rec.rule = rule;
  rec.action = act.action;
  rec.decision = decision;
  rec.outcome = services::Outcome::kNotExecuted;
  if (rule == services::kDefenseRule) rec.object_id = kHeldObject;
  SetAgentCause(s, act, &rec);
  rec.external = act.seat_call != kNoCall;
  const uint64_t audit_id = s.audit.next_id();
  Audit(s.audit, rec);
  CountGate(s, decision);
  if (decision == services::Decision::kDenied && rule != services::kDefenseRule) {
    FeedBreakers(ctx, s, SlotOfAgent(s, agent_id), scenario::CircuitBreaker::Metric::kDeniedActions, 1);
  }
  if (act.seat_call != kNoCall) {  // a seat's call: its client learns the decision, nothing else follows
    SeatResolved(s, act, rec, audit_id);
    return;
  }
  switch (act.attack.active() ? services::Action::kCount : act.action) {  // an attack refused leaves nothing to do
    case services::Action::kEmailSendInternal:
    case services::Action::kEmailSendExternal:
      // A refused reply still leaves the human a draft when the agent was right: the mail
      // task really gets shorter.
      if (Task* t = act.bad ? nullptr : s.FindQueued(TaskKind::kEmail, act.item.ref); t != nullptr && !(t->state & kTaskHelped)) {
        const double minutes = HumanMinutes(s, ctx.lp(), *t);
        const OpenCall* call = FindCall(s, act.call);
        const double fraction =
            call == nullptr || call->skill == kNoId ? 0 : sc().skills[call->skill].draft_saving_fraction;
        if (fraction > 0) {
          t->effort_minutes *= 1 - fraction;
          t->state |= kTaskHelped;
          CreditSaving(s, minutes * fraction);
          MarkUseful(s, act.call);
        }
      }
      break;
    case services::Action::kDeployStaging:
    case services::Action::kDeployProd: {
      // The person deploys it by hand: the agent's broken build configuration never ran.
      Task change = act.item;
      if (change.state & kTaskAgentDeployError) change.state &= ~(kTaskDefective | kTaskAgentDefect | kTaskAgentDeployError);
      DeployByHand(ctx, s, change);
      break;
    }
    case services::Action::kDeployRollback:
      // The responder rolls back by hand after all.
      for (Task& t : s.queues[static_cast<int>(TaskKind::kIncident)]) {
        if (t.ref == act.target && t.flags == 0 && (t.state & kTaskHelped)) {
          t.flags = 1;
          break;
        }
      }
      break;
    default:
      break;
  }
  if (act.action != services::Action::kEmailRead && act.action != services::Action::kChatRead) ResolveAction(s, act.call);
}

void OrgModel::ExecuteAgentAction(Ctx& ctx, EmployeeState& s, const AgentAction& act, uint32_t agent_id,
                                  services::Decision decision, uint16_t rule) {
  const EmployeeId self = ctx.lp();
  const Task& item = act.item;
  services::AuditRecord rec;
  rec.time_us = ctx.now_us();
  rec.agent = agent_id;
  rec.on_behalf_of = self;
  rec.target = act.target;
  rec.rule = rule;
  rec.action = act.action;
  rec.decision = decision;
  rec.outcome = services::Outcome::kDone;
  SetAgentCause(s, act, &rec);
  if (act.seat_call != kNoCall) {
    rec.external = true;
    ExecuteSeatAction(ctx, s, act, &rec);
    CountGate(s, rec.decision);
    const uint64_t audit_id = s.audit.next_id();
    Audit(s.audit, rec);
    SeatResolved(s, act, rec, audit_id);
    return;
  }
  if (act.attack.active()) {
    ExecuteAttack(ctx, s, act, agent_id, &rec);
    CountGate(s, rec.decision);
    Audit(s.audit, rec);
    ResolveAction(s, act.call);
    return;
  }
  bool resolved = true;
  switch (act.action) {
    case services::Action::kEmailSendInternal:
    case services::Action::kEmailSendExternal: {
      // The message the agent writes: a reply on the thread, or (a wrong-recipient error) the
      // mail forwarded to an outside address.
      services::SendSpec spec;
      const bool misdirected = act.bad && act.action == services::Action::kEmailSendExternal && !(item.flags & kMailExternal);
      bool built;
      if (misdirected) {
        const services::Recipient outside = services::Recipient::Domain(
            static_cast<services::DomainId>(s.agent_rng.UniformInt(std::max<size_t>(1, sc().email.external_domains.size()))));
        built = s.mailbox.BuildForward(item.ref, std::span(&outside, 1), agent_id, &spec);
      } else {
        built = s.mailbox.BuildReply(item.ref, kReplyTokens, services::kLabelLegitimate, agent_id, &spec);
      }
      rec.outcome = built ? SendMail(ctx, s, spec, 0, 0, s.agent_rng) : services::Outcome::kServiceRefused;
      if (rec.outcome == services::Outcome::kNotExecuted) {
        rec.decision = services::Decision::kRateLimited;  // the mailbox's own send limit
        rec.rule = services::kServiceRule;
        break;
      }
      if (act.bad) {
        // A wrong message went out: someone has to apologise and fix it.
        Enqueue(ctx, s, FixTask(act.fix_minutes, ctx.now_us()));
        break;
      }
      Task task;
      if (s.TakeQueued(TaskKind::kEmail, item.ref, &task)) {
        s.mailbox.Archive(item.ref);
        CreditSaving(s, HumanMinutes(s, self, task));
        MarkUseful(s, act.call);
        CompleteItem(ctx, s, task);
      }
      break;
    }
    case services::Action::kChatPost: {
      Payload p;
      p.a = self;
      p.b = kNoId;
      p.c = kPostByAgent | ((item.flags & kPostNoise) || act.bad ? kPostNoise : 0);
      p.d = agent_id + 1;
      ctx.Send(world_->ChannelLp(act.target), Net(sc().chat.delivery_latency_us), kChatPost, p);
      if (item.ref == kNoTarget) break;  // a post that answers nobody
      if (act.bad) {
        Enqueue(ctx, s, FixTask(act.fix_minutes, ctx.now_us()));
        break;
      }
      Task task;
      if (s.TakeQueued(TaskKind::kChat, item.ref, &task)) {
        CreditSaving(s, HumanMinutes(s, self, task));
        MarkUseful(s, act.call);
        CompleteItem(ctx, s, task);
      }
      break;
    }
    case services::Action::kDeployStaging: {
      // Staging is the pipeline's first half; with it allowed, deploy.prod takes its turn at
      // the gate (and may itself ask or be refused).
      AgentAction prod = act;
      prod.action = services::Action::kDeployProd;
      CountGate(s, rec.decision);
      Audit(s.audit, rec);
      AgentAct(ctx, s, SlotOfAgent(s, agent_id), prod);
      return;
    }
    case services::Action::kDeployRollback: {
      rec.outcome = services::Outcome::kStarted;
      if (act.bad) {
        // A missed alert: the agent rolled back nothing useful; the responder still has to.
        Enqueue(ctx, s, FixTask(act.fix_minutes, ctx.now_us()));
        rec.outcome = services::Outcome::kDone;
        break;
      }
      Payload p;
      p.a = self;
      p.d = 1;
      p.u = s.audit.next_id();  // this action's audit record, appended below
      ctx.Send(world_->ServiceLp(act.target), Net(0), kDeployRequest, p);
      MarkUseful(s, act.call);  // what it is worth shows as a shorter incident (its cost)
      break;
    }
    case services::Action::kDeployProd: {
      rec.outcome = services::Outcome::kStarted;
      // Nobody has to ship it by hand: the author's manual deploy task never exists.
      Task would_be = item;
      would_be.state &= ~kTaskStarted;
      would_be.effort_minutes = sc().deploy.manual_deploy_minutes;
      CreditSaving(s, HumanMinutes(s, self, would_be));
      MarkUseful(s, act.call);
      RequestDeploy(ctx, s, item, agent_id + 1, s.audit.next_id());  // this action's audit record, appended below
      break;
    }
    default:
      resolved = false;  // reads: part of the invocation, not an action of their own
      break;
  }
  CountGate(s, rec.decision);
  Audit(s.audit, rec);
  if (resolved) ResolveAction(s, act.call);
}

void OrgModel::OnApprovalDecision(Ctx& ctx, EmployeeState& s, uint32_t ask_id, bool approved, bool timed_out) {
  auto it = std::find_if(s.asks.begin(), s.asks.end(), [&](const PendingAsk& a) { return a.id == ask_id; });
  if (it == s.asks.end()) return;  // already resolved: the first of answer and timeout wins
  const PendingAsk ask = *it;
  s.asks.erase(it);
  services::Decision d;
  if (timed_out) {
    d = sc().approvals.auto_approve_on_timeout ? services::Decision::kAutoApproved : services::Decision::kExpired;
    // Nobody answered: the request leaves the approver's queue at once.
    Payload cancel;
    cancel.a = ctx.lp();
    cancel.b = ask.id;
    if (ask.approver == ctx.lp()) {
      auto& q = s.queues[static_cast<int>(TaskKind::kApproval)];
      auto qit = std::find_if(q.begin(), q.end(), [&](const Task& t) { return t.ref == ask.id && t.other == ctx.lp(); });
      if (qit != q.end()) q.erase(qit);
    } else {
      ctx.Send(ask.approver, Net(0), kApprovalCancel, cancel);
    }
  } else {
    d = approved ? services::Decision::kApproved : services::Decision::kRejected;
    ++s.safety.asks_answered;
    s.safety.ask_wait_minutes_sum += static_cast<double>(ctx.now_us() - ask.asked_us) / engine::kUsPerMinute;
  }
  const uint32_t agent_id = s.agents[ask.agent_slot].agent_id;
  AgentAction act = ask.act;
  // A person answered: the record names the ask, whose item the approver's task span carries.
  if (!timed_out) act.ask_item = ItemId(ctx.lp(), ItemKind::kAsk, ask.id);
  if (services::Admits(d)) {
    ExecuteAgentAction(ctx, s, act, agent_id, d, services::kNoRule);
  } else {
    Refuse(ctx, s, agent_id, act, d, services::kNoRule);
  }
}

}  // namespace clawsim::model
