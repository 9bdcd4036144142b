// Agents on the employee LP: heartbeats, cron jobs, event reactions, memory and dreaming,
// skill invocations with their token cost, and actions through the permission gate.
#include <algorithm>
#include <cmath>

#include "sim/model/org_model.h"

namespace clawsim::model {
namespace {

using scenario::SkillKind;

// Size of an agent's reply in tokens.
constexpr uint32_t kReplyTokens = 250;
// Share of a mail's effort a correct draft saves when the agent may not send it itself.
constexpr double kDraftShareOfEffort = 0.3;

// A reply goes out of the company when the mail came from outside.
services::Action ReplyAction(const Task& mail) {
  return (mail.flags & kMailExternal) ? services::Action::kEmailSendExternal : services::Action::kEmailSendInternal;
}

}  // namespace

double OrgModel::ErrorProbability(const scenario::AgentProfile& p, const scenario::Skill& k) const {
  const double e = sc().tiers[p.tier].error_rate * k.error_rate_multiplier * sc().threats.agent_error_rate_multiplier;
  return std::clamp(e, 0.0, 1.0);
}

void OrgModel::CountGate(EmployeeState& s, services::Decision d) {
  GateOutcome g = GateOutcome::kDenied;
  switch (d) {
    case services::Decision::kAllowed: g = GateOutcome::kAllowed; break;
    case services::Decision::kApproved:
    case services::Decision::kAutoApproved: g = GateOutcome::kAskedApproved; break;
    case services::Decision::kRejected:
    case services::Decision::kExpired:
    case services::Decision::kOpenAtEnd: g = GateOutcome::kAskedRejected; break;
    case services::Decision::kDenied: g = GateOutcome::kDenied; break;
    case services::Decision::kRateLimited: g = GateOutcome::kRateLimited; break;
  }
  ++s.m.gate[static_cast<int>(g)];
}

void OrgModel::Charge(EmployeeState& s, scenario::TierId tier, scenario::SkillId skill, Trigger trigger,
                      scenario::Purpose purpose, int64_t input_tokens, int64_t output_tokens) {
  const scenario::ModelTier& t = sc().tiers[tier];
  input_tokens = std::min<int64_t>(input_tokens, t.context_window_tokens);
  TokenTally tally;
  tally.input_tokens = static_cast<uint64_t>(input_tokens);
  tally.output_tokens = static_cast<uint64_t>(output_tokens);
  tally.cost_usd = t.CostUsd(input_tokens, output_tokens);
  tally.invocations = 1;
  s.m.tokens_by_purpose[static_cast<int>(purpose)].Add(tally);
  s.m.tokens_by_trigger[static_cast<int>(trigger)].Add(tally);
  s.tokens_by_tier[tier].Add(tally);
  if (skill != kNoId) s.tokens_by_skill[skill].Add(tally);
}

void OrgModel::PlanAgentDay(Ctx& ctx, EmployeeState& s, bool working_day) {
  for (uint32_t slot = 0; slot < s.agents.size(); ++slot) {
    const AgentState& a = s.agents[slot];
    const scenario::AgentProfile& p = sc().profiles[a.profile];
    Payload pl;
    pl.a = slot;
    if (p.heartbeat.enabled && p.heartbeat.interval_us > 0 && (working_day || !p.heartbeat.working_days_only)) {
      // Stagger agents inside the first interval so the platform does not see a thundering herd.
      const TimeUs offset = static_cast<TimeUs>((uint64_t{a.agent_id} * 2654435761ULL) % static_cast<uint64_t>(p.heartbeat.interval_us));
      const TimeUs first = p.heartbeat.active_start_us + offset;
      if (first < p.heartbeat.active_end_us) ctx.SendSelf(first, kHeartbeat, pl);
    }
    for (uint32_t j = 0; j < p.cron.size(); ++j) {
      const scenario::CronJob& job = p.cron[j];
      if (!working_day && job.working_days_only) continue;
      pl.b = j;
      ctx.SendSelf(job.at_us, kCron, pl);
    }
    if (p.memory.consolidate) ctx.SendSelf(p.memory.consolidate_at_us, kDream, pl);
  }
}

void OrgModel::OnHeartbeat(Ctx& ctx, EmployeeState& s, uint32_t slot) {
  AgentState& a = s.agents[slot];
  const scenario::AgentProfile& p = sc().profiles[a.profile];
  const scenario::Heartbeat& hb = p.heartbeat;
  const TimeUs time_of_day = ctx.now_us() % engine::kUsPerDay;
  if (time_of_day + hb.interval_us < hb.active_end_us) ctx.SendSelf(hb.interval_us, kHeartbeat, Payload{slot, 0, 0, 0, 0, 0});
  // Read the checklist; if the heartbeat's skill finds work, run it, else it is a quiet cycle.
  if (hb.skill != kNoId && Invoke(ctx, s, slot, hb.skill, Trigger::kHeartbeat, sc().skills[hb.skill].purpose, hb.checklist_tokens) > 0) {
    return;
  }
  const int64_t memory = a.memory_tokens;
  Charge(s, p.tier, kNoId, Trigger::kHeartbeat, scenario::Purpose::kOverhead, hb.checklist_tokens + memory,
         hb.quiet_output_tokens);
  a.memory_tokens = std::min(p.memory.max_tokens, a.memory_tokens + p.memory.tokens_per_invocation / 4);
}

void OrgModel::OnCron(Ctx& ctx, EmployeeState& s, uint32_t slot, uint32_t job_index) {
  const scenario::AgentProfile& p = sc().profiles[s.agents[slot].profile];
  const scenario::CronJob& job = p.cron[job_index];
  if (job.every_us > 0 && (ctx.now_us() % engine::kUsPerDay) + job.every_us < engine::kUsPerDay) {
    ctx.SendSelf(job.every_us, kCron, Payload{slot, job_index, 0, 0, 0, 0});
  }
  if (job.skill != kNoId) Invoke(ctx, s, slot, job.skill, Trigger::kCron, job.purpose, 0);
}

void OrgModel::OnDream(EmployeeState& s, uint32_t slot) {
  AgentState& a = s.agents[slot];
  const scenario::Memory& mem = sc().profiles[a.profile].memory;
  // The day's notes join memory, then consolidation rewrites it shorter.
  a.memory_tokens = std::min(mem.max_tokens, a.memory_tokens + mem.tokens_per_day);
  const int64_t kept = static_cast<int64_t>(static_cast<double>(a.memory_tokens) * mem.retain_fraction);
  Charge(s, mem.consolidation_tier, kNoId, Trigger::kDreaming, scenario::Purpose::kOverhead, a.memory_tokens, kept);
  a.memory_tokens = std::max<int64_t>(kept, mem.initial_tokens / 2);
}

void OrgModel::OnAgentEvent(Ctx& ctx, EmployeeState& s, scenario::Event event) {
  for (uint32_t slot = 0; slot < s.agents.size(); ++slot) {
    AgentState& a = s.agents[slot];
    const scenario::AgentProfile& p = sc().profiles[a.profile];
    for (const scenario::EventTrigger& trig : p.triggers) {
      if (trig.event != event || trig.skill == kNoId) continue;
      if (a.last_trigger_us >= 0 && ctx.now_us() - a.last_trigger_us < trig.debounce_us) continue;
      const TimeUs tod = ctx.now_us() % engine::kUsPerDay;
      if (trig.active_hours_only && (tod < p.heartbeat.active_start_us || tod >= p.heartbeat.active_end_us)) continue;
      a.last_trigger_us = ctx.now_us();
      Invoke(ctx, s, slot, trig.skill, Trigger::kEvent, sc().skills[trig.skill].purpose, 0);
    }
  }
}

uint32_t OrgModel::Invoke(Ctx& ctx, EmployeeState& s, uint32_t slot, scenario::SkillId skill_id, Trigger trigger,
                          scenario::Purpose purpose, int64_t extra_input_tokens) {
  AgentState& a = s.agents[slot];
  const scenario::AgentProfile& p = sc().profiles[a.profile];
  const scenario::Skill& k = sc().skills[skill_id];
  engine::Rng& rng = ctx.rng();
  const double err = ErrorProbability(p, k);
  const uint32_t max_items = static_cast<uint32_t>(std::max(0, k.max_items));

  // What there is to work on.
  uint32_t items = 0;
  std::vector<uint32_t>& unread = scratch_slots_;
  switch (k.kind) {
    case SkillKind::kEmailTriage: {
      // Unread mail the agent may read (email.read on its owner's mailbox, once a run).
      unread.clear();
      s.mailbox.List(services::Mailbox::ListFilter::kUnread, max_items, &unread);
      if (!unread.empty() && !AgentMayRead(ctx, s, slot)) unread.clear();
      items = static_cast<uint32_t>(unread.size());
      break;
    }
    case SkillKind::kChatAnswer: items = static_cast<uint32_t>(std::min<size_t>(s.chat_unanswered.size(), max_items)); break;
    case SkillKind::kCodeHelp: items = static_cast<uint32_t>(std::min<size_t>(s.queues[static_cast<int>(TaskKind::kCode)].size(), max_items)); break;
    case SkillKind::kDeployMonitor: items = trigger == Trigger::kEvent ? 1 : 0; break;
    case SkillKind::kDeployTrigger:
    case SkillKind::kDailyBriefing:
    case SkillKind::kSummary: items = 1; break;
  }
  if (items == 0 && trigger == Trigger::kHeartbeat) return 0;  // the caller charges a quiet cycle

  const int64_t input = extra_input_tokens + k.base_input_tokens + (k.reads_memory ? a.memory_tokens : 0) +
                        k.input_tokens_per_item * static_cast<int64_t>(items);
  const int64_t output = k.output_tokens * std::max<int64_t>(1, items);
  Charge(s, p.tier, skill_id, trigger, purpose, input, output);
  // What this call decides to do happens when it finishes: latency plus output generation.
  s.open_call = s.next_call++;
  s.open_call_duration_us = sc().tiers[p.tier].CallDurationUs(output);
  a.memory_tokens = std::min(p.memory.max_tokens, a.memory_tokens + p.memory.tokens_per_invocation);
  const double saved_hours_per_item = k.minutes_saved_per_item / 60.0;

  switch (k.kind) {
    case SkillKind::kEmailTriage:
      for (uint32_t i = 0; i < items; ++i) {
        const uint32_t mail_slot = unread[i];
        s.mailbox.Read(mail_slot);
        Task* pending = s.FindQueued(TaskKind::kEmail, mail_slot);
        if (pending == nullptr) continue;  // the human got there first
        const Task mail = *pending;
        if (rng.Bernoulli(err)) {
          ++s.m.agent_errors;
          switch (k.error_effect) {
            case scenario::ErrorEffect::kMissedItem:
            case scenario::ErrorEffect::kNoEffect: break;
            case scenario::ErrorEffect::kWrongRecipient:
              // Forwarded outside by mistake: sensitive content leaks if the gate lets it out.
              Defer(ctx, s, slot, {services::Action::kEmailSendExternal, mail, true, mail.other, k.error_cost_minutes});
              break;
            default:
              Defer(ctx, s, slot, {ReplyAction(mail), mail, true, mail.other, k.error_cost_minutes});
          }
          continue;
        }
        if (mail.flags & kMailSpam) {
          s.mailbox.Label(mail_slot, services::kLabelSpam);
          s.mailbox.Archive(mail_slot);
          s.TakeQueued(TaskKind::kEmail, mail_slot, nullptr);  // the human never sees it
          s.m.hours.saved_hours += mail.effort_minutes / 60.0;
          continue;
        }
        s.mailbox.Label(mail_slot, services::kLabelLegitimate);
        if (mail.value_usd == 0) continue;  // nothing to answer
        Defer(ctx, s, slot, {ReplyAction(mail), mail, false, mail.other, k.error_cost_minutes});
      }
      break;
    case SkillKind::kChatAnswer:
      for (uint32_t i = 0; i < items; ++i) {
        const Task ask = s.chat_unanswered.front();
        s.chat_unanswered.pop_front();
        if (s.FindQueued(TaskKind::kChat, ask.ref) == nullptr) continue;
        const bool bad = rng.Bernoulli(err);
        if (bad) ++s.m.agent_errors;
        const scenario::TeamId team = sc().organization.employees[ctx.lp()].team;
        const uint32_t channel = team == kNoId || team >= sc().chat.team_channel.size() ? kNoTarget : sc().chat.team_channel[team];
        if (channel != kNoTarget) Defer(ctx, s, slot, {services::Action::kChatPost, ask, bad, channel, k.error_cost_minutes});
      }
      break;
    case SkillKind::kCodeHelp: {
      auto& q = s.queues[static_cast<int>(TaskKind::kCode)];
      for (uint32_t i = 0; i < items && i < q.size(); ++i) {
        Task& change = q[i];
        if (rng.Bernoulli(err)) {
          ++s.m.agent_errors;
          change.quality *= 0.7;  // plausible-looking but wrong code
          continue;
        }
        const double saved = std::min(k.minutes_saved_per_item, change.effort_minutes * 0.5);
        change.effort_minutes -= saved;
        s.m.hours.saved_hours += saved / 60.0;
      }
      break;
    }
    case SkillKind::kDeployMonitor:
      if (rng.Bernoulli(err)) {
        ++s.m.agent_errors;
        Enqueue(ctx, s, Task{TaskKind::kFix, 0, k.error_cost_minutes, ctx.now_us(), 0, 0, 0, 0});
      } else {
        s.m.hours.saved_hours += saved_hours_per_item;
      }
      break;
    case SkillKind::kDailyBriefing:
      if (rng.Bernoulli(err)) {
        ++s.m.agent_errors;
      } else {
        s.m.hours.saved_hours += saved_hours_per_item;
      }
      break;
    case SkillKind::kDeployTrigger:
      break;  // the caller acts (it knows the change)
    case SkillKind::kSummary: {
      // A summary nobody asked for, posted where the team has to scroll past it.
      const scenario::TeamId team = sc().organization.employees[ctx.lp()].team;
      const uint32_t channel = team == kNoId || team >= sc().chat.team_channel.size() ? kNoTarget : sc().chat.team_channel[team];
      if (channel != kNoTarget && k.MayRequest(scenario::Action::kChatPost)) {
        Task noise;
        noise.kind = TaskKind::kChat;
        noise.flags = kPostNoise;
        noise.ref = kNoTarget;
        Defer(ctx, s, slot, {services::Action::kChatPost, noise, false, channel, 0});
      }
      break;
    }
  }
  return items;
}

void OrgModel::Defer(Ctx& ctx, EmployeeState& s, uint32_t slot, const AgentAction& act) {
  if (s.deferred.empty() || s.deferred.back().call != s.open_call) {
    Payload p;
    p.b = s.open_call;
    ctx.SendSelf(s.open_call_duration_us, kAgentCallDone, p);
  }
  s.deferred.push_back(DeferredAction{s.open_call, slot, act});
}

void OrgModel::OnAgentCallDone(Ctx& ctx, EmployeeState& s, uint32_t call) {
  // Take the call's actions out first: running them may queue more.
  std::vector<DeferredAction> ready;
  auto done = std::stable_partition(s.deferred.begin(), s.deferred.end(),
                                    [call](const DeferredAction& d) { return d.call != call; });
  ready.assign(done, s.deferred.end());
  s.deferred.erase(done, s.deferred.end());
  for (const DeferredAction& d : ready) AgentAct(ctx, s, d.agent_slot, d.act);
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
  services::GateRequest req = AgentRequest(ctx, s, slot, act.action);
  switch (act.action) {
    case services::Action::kChatRead:
    case services::Action::kChatPost:
      req.target = channels_.empty() ? services::Target{} : ChannelTargetOf(act.target);
      break;
    case services::Action::kDeployStaging:
    case services::Action::kDeployProd:
    case services::Action::kDeployRollback:
      req.target = world_->catalog.AsTarget(act.target, ctx.now_us());
      break;
    default:
      if (act.target < world_->num_employees) {
        req.target.owner = act.target;
        req.target.team = world_->team_of_employee[act.target];
      }
  }
  req.target.id = act.target;
  const services::GateResult g = world_->policy.Decide(req, &a.rates, &s.human_rates);
  switch (g.verdict) {
    case services::Verdict::kAllow:
      ExecuteAgentAction(ctx, s, act, a.agent_id, services::Decision::kAllowed, g.rule);
      return;
    case services::Verdict::kAsk: {
      // Park the action until the approver answers or the ask times out, whichever is first.
      PendingAsk ask{s.next_ask++, slot, act, ctx.now_us()};
      s.asks.push_back(ask);
      const EmployeeId approver = g.approver == kNoId || g.approver >= world_->num_employees
                                      ? world_->employees[self].approver
                                      : g.approver;
      if (approver == self) {
        Enqueue(ctx, s, Task{TaskKind::kApproval, 0, sc().approvals.minutes_per_approval, ctx.now_us(), ask.id, self, 0,
                             act.bad ? 1u : 0u});
      } else {
        Payload p;
        p.a = self;
        p.b = ask.id;
        p.c = act.bad ? 1 : 0;
        ctx.Send(approver, Net(0), kApprovalRequest, p);
      }
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
  Audit(s.audit, rec);
  CountGate(s, decision);
  switch (act.action) {
    case services::Action::kEmailSendInternal:
    case services::Action::kEmailSendExternal:
      // A refused reply still leaves the human a draft when the agent was right.
      if (Task* t = act.bad ? nullptr : s.FindQueued(TaskKind::kEmail, act.item.ref)) {
        const double saved = t->effort_minutes * kDraftShareOfEffort;
        t->effort_minutes -= saved;
        s.m.hours.saved_hours += saved / 60.0;
      }
      break;
    case services::Action::kDeployStaging:
    case services::Action::kDeployProd:
      DeployByHand(ctx, s, act.item);
      break;
    default:
      break;
  }
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
            static_cast<services::DomainId>(ctx.rng().UniformInt(std::max<size_t>(1, sc().email.external_domains.size()))));
        built = s.mailbox.BuildForward(item.ref, std::span(&outside, 1), agent_id, &spec);
      } else {
        built = s.mailbox.BuildReply(item.ref, kReplyTokens, services::kLabelLegitimate, agent_id, &spec);
      }
      rec.outcome = built ? SendMail(ctx, s, spec, 0) : services::Outcome::kServiceRefused;
      if (rec.outcome == services::Outcome::kNotExecuted) {
        rec.decision = services::Decision::kRateLimited;  // the mailbox's own send limit
        rec.rule = services::kServiceRule;
        break;
      }
      if (act.bad) {
        // A wrong message went out: someone has to apologise and fix it.
        Enqueue(ctx, s, Task{TaskKind::kFix, 0, act.fix_minutes, ctx.now_us(), 0, 0, 0, 0});
        break;
      }
      Task task;
      if (s.TakeQueued(TaskKind::kEmail, item.ref, &task)) {
        s.mailbox.Archive(item.ref);
        s.m.hours.saved_hours += task.effort_minutes / 60.0;
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
        Enqueue(ctx, s, Task{TaskKind::kFix, 0, act.fix_minutes, ctx.now_us(), 0, 0, 0, 0});
        break;
      }
      Task task;
      if (s.TakeQueued(TaskKind::kChat, item.ref, &task)) {
        s.m.hours.saved_hours += task.effort_minutes / 60.0;
        CompleteItem(ctx, s, task);
      }
      break;
    }
    case services::Action::kDeployStaging:
    case services::Action::kDeployProd:
      rec.outcome = services::Outcome::kStarted;
      s.m.hours.saved_hours += kManualDeployMinutes / 60.0;  // nobody had to ship it by hand
      RequestDeploy(ctx, s, item, agent_id + 1);
      break;
    default:
      break;
  }
  CountGate(s, rec.decision);
  Audit(s.audit, rec);
}

void OrgModel::OnApprovalDecision(Ctx& ctx, EmployeeState& s, uint32_t ask_id, bool approved, bool timed_out) {
  auto it = std::find_if(s.asks.begin(), s.asks.end(), [&](const PendingAsk& a) { return a.id == ask_id; });
  if (it == s.asks.end()) return;  // already resolved: the first of answer and timeout wins
  const PendingAsk ask = *it;
  s.asks.erase(it);
  services::Decision d;
  if (timed_out) {
    d = sc().approvals.auto_approve_on_timeout ? services::Decision::kAutoApproved : services::Decision::kExpired;
  } else {
    d = approved ? services::Decision::kApproved : services::Decision::kRejected;
  }
  const uint32_t agent_id = s.agents[ask.agent_slot].agent_id;
  if (services::Admits(d)) {
    ExecuteAgentAction(ctx, s, ask.act, agent_id, d, services::kNoRule);
  } else {
    Refuse(ctx, s, agent_id, ask.act, d, services::kNoRule);
  }
}

bool OrgModel::AgentMayRead(Ctx& ctx, EmployeeState& s, uint32_t slot) {
  AgentState& a = s.agents[slot];
  const EmployeeId self = ctx.lp();
  services::GateRequest req = AgentRequest(ctx, s, slot, services::Action::kEmailRead);
  req.target.id = self;
  req.target.owner = self;
  req.target.team = world_->team_of_employee[self];
  const services::GateResult g = world_->policy.Decide(req, &a.rates, &s.human_rates);
  AgentAction read;
  read.action = services::Action::kEmailRead;
  read.target = self;
  // Reading is not worth a human's approval: an "ask" on email.read counts as a denial.
  if (g.verdict != services::Verdict::kAllow) {
    Refuse(ctx, s, a.agent_id, read,
           g.verdict == services::Verdict::kRateLimited ? services::Decision::kRateLimited : services::Decision::kDenied,
           g.rule);
    return false;
  }
  ExecuteAgentAction(ctx, s, read, a.agent_id, services::Decision::kAllowed, g.rule);
  return true;
}

}  // namespace clawsim::model

namespace clawsim::model {
thread_local std::vector<uint32_t> OrgModel::scratch_slots_;
}  // namespace clawsim::model
