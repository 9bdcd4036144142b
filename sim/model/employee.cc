// The employee LP: events to handlers, the mailbox, mail and chat in and out, finishing a
// task and what it produces, the human's gate and approvals. The day's plan and the work
// queue (arrivals, backlog, background agents' hand-over, which task next) are in
// work_queue.cc; a code change's way through review and deploy is in code_changes.cc.
#include <algorithm>
#include <cmath>
#include <tuple>

#include "sim/model/org_model.h"

#ifndef CLAWSIM_MODEL_CHECKS
#define CLAWSIM_MODEL_CHECKS 1
#endif

namespace clawsim::model {
namespace {

using scenario::Role;

// Hot-path invariant checks (top-level CMakeLists.txt): off only in the release preset.
constexpr bool kModelChecks = CLAWSIM_MODEL_CHECKS != 0;

}  // namespace

OrgModel::OrgModel(const World* world) : world_(world) {
  const scenario::CompiledScenario& s = *world->scenario;
  num_rules_ = static_cast<uint32_t>(world->policy.rules().size());
  uint32_t code_helps = 0;
  code_help_index_.assign(s.skills.size(), UINT32_MAX);
  for (size_t k = 0; k < s.skills.size(); ++k) {
    if (s.skills[k].kind == scenario::SkillKind::kCodeHelp) code_help_index_[k] = code_helps++;
  }
  employees_.resize(world->num_employees);
  for (uint32_t e = 0; e < world->num_employees; ++e) {
    EmployeeState& st = employees_[e];
    st.audit = services::AuditLog(e);
    st.mailbox = services::Mailbox(e);
    st.human_rates = world->policy.MakeRateState();
    st.work_rng = engine::Rng::ForStream(world->seed ^ kWorkStreamSalt, e);
    st.backlog_rng = engine::Rng::ForStream(world->seed ^ kBacklogStreamSalt, e);
    st.agent_rng = engine::Rng::ForStream(world->seed ^ kAgentStreamSalt, e);
    st.threat_rng = engine::Rng::ForStream(world->seed ^ kThreatStreamSalt, e);
    st.attack_mail_rng = engine::Rng::ForStream(world->seed ^ kAttackMailStreamSalt, e);
    st.safety.Resize(AttackSources(s).size());
    st.tokens_by_tier.assign(s.tiers.size(), TokenTally{});
    const scenario::Employee& emp = s.organization.employees[e];
    st.m.employee_id = e;
    st.m.name = emp.name;
    st.m.team = emp.team == kNoId ? "" : s.organization.teams[emp.team].name;
    st.m.role = std::string(scenario::RoleName(emp.role));
    st.m.hourly_cost_usd = s.role(emp.role).loaded_hourly_cost_usd;
    for (uint32_t id : world->employees[e].agents) {
      AgentState a;
      a.agent_id = id;
      a.profile = world->agents[id].profile;
      a.memory_tokens = s.profiles[a.profile].memory.initial_tokens;
      a.rates = world->policy.MakeRateState();
      st.agents.push_back(std::move(a));
    }
    st.m.agents = static_cast<uint32_t>(st.agents.size());
    st.code_trust.assign(code_helps, SkillTrust{});
  }
  for (uint32_t i = 0; i < world->seats.size(); ++i) {
    const SeatInfo& info = world->seats[i];
    EmployeeState& st = employees_[info.employee];
    st.seat = i;
    SeatState seat;
    seat.employee = info.employee;
    seat.agent_id = info.agent_id;
    seat.agent_slot = SlotOfAgent(st, info.agent_id);
    seats_.push_back(std::move(seat));
  }
  channels_.resize(s.chat.channels.size());
  for (uint32_t c = 0; c < channels_.size(); ++c) {
    const scenario::Channel& ch = s.chat.channels[c];
    const services::TeamId team = ch.teams.empty() ? services::kAnyId : ch.teams[0];
    channels_[c].channel = services::Channel(c, static_cast<services::ChannelKind>(ch.kind), team, world->channel_members[c],
                                             world->team_of_employee);
    channels_[c].audit = services::AuditLog(world->ChannelLp(c));
    channel_targets_.push_back(channels_[c].channel.AsTarget());
  }
  services_.resize(s.deploy.services.size());
  for (uint32_t v = 0; v < services_.size(); ++v) {
    services_[v].service = services::ServiceState(v, /*keep_finished_runs=*/!world->seats.empty());  // seats list recent runs
    services_[v].audit = services::AuditLog(world->ServiceLp(v));
  }
  CountCampaignTargets();
}

void OrgModel::Handle(Ctx& ctx, const Ev& ev) {
  const LpId lp = ctx.lp();
  if (!world_->IsEmployeeLp(lp)) {
    if (world_->IsChannelLp(lp)) {
      HandleChannel(ctx, lp - world_->first_channel_lp, ev);
    } else {
      HandleService(ctx, lp - world_->first_service_lp, ev);
    }
    return;
  }
  EmployeeState& s = employees_[lp];
  switch (ev.kind) {
    case kDayStart: OnDayStart(ctx, s); break;
    case kWorkStart:
      s.at_work = true;
      s.board_asked = false;  // yesterday's ask lapsed at the end of that workday
      TryStartTask(ctx, s);
      break;
    case kWorkArrive:
      SendNextArrival(ctx, s);
      OnWorkArrive(ctx, s, ev);
      break;
    case kHumanDone: OnHumanDone(ctx, s); break;
    case kHumanPause: OnHumanPause(ctx, s); break;
    case kHeartbeat: OnHeartbeat(ctx, s, ev.payload.a); break;
    case kCron: OnCron(ctx, s, ev.payload.a, ev.payload.b); break;
    case kDream: OnDream(ctx, s, ev.payload.a); break;
    case kPerformativeJob: OnPerformativeJob(ctx, s, ev.payload.a, ev.payload.b); break;
    case kEmailDeliver: OnEmail(ctx, s, ev); break;
    case kChatMention: OnChatMention(ctx, s, ev); break;
    case kReviewRequest: {
      Task t;
      // A review reads the whole change, up to the reviewer's attention for one change.
      const scenario::CodeWork& code = sc().role(Role::kDeveloper).code;
      t.kind = TaskKind::kReview;
      t.SetAgentWrittenShare(ev.payload.x);
      t.effort_minutes = std::min(code.review_minutes * RelativeSize(t), code.review_attention_minutes);
      t.arrived_us = ev.payload.t;  // when the author asked (returned with the verdict)
      t.ref = ev.payload.b;
      t.other = ev.payload.a;
      t.state = ev.payload.c == 1 ? kTaskDefective : 0;
      Enqueue(ctx, s, t);
      OnAgentEvent(ctx, s, scenario::Event::kReviewRequest);
      break;
    }
    case kReviewDone: OnReviewDone(ctx, s, ev); break;
    case kPipelineResult: OnPipelineResult(ctx, s, ev); break;
    case kIncidentPage: {
      Task t;
      t.kind = TaskKind::kIncident;
      t.effort_minutes = ev.payload.x;
      t.arrived_us = ctx.now_us();
      t.ref = ev.payload.a;    // the service
      t.flags = ev.payload.b;  // 1: caused by a change, which a rollback removes
      Enqueue(ctx, s, t);
      OnAgentEvent(ctx, s, scenario::Event::kIncident);
      break;
    }
    case kApprovalRequest: OnApprovalRequest(ctx, s, ev); break;
    case kSeatCall: OnSeatCall(ctx, s, ev.payload.b); break;
    case kBoardTake: OnBoardTake(ctx, s, ev); break;
    case kApprovalDecision: OnApprovalDecision(ctx, s, ev.payload.b, ev.payload.c == 1, false); break;
    case kApprovalTimeout: OnApprovalDecision(ctx, s, ev.payload.b, false, true); break;
    case kApprovalCancel: {
      // The ask expired or was auto-approved: it leaves this approver's queue unanswered.
      auto& q = s.queues[static_cast<int>(TaskKind::kApproval)];
      auto it = std::find_if(q.begin(), q.end(),
                             [&](const Task& t) { return t.ref == ev.payload.b && t.other == ev.payload.a; });
      if (it != q.end()) q.erase(it);
      break;
    }
    case kDeployRetry: {
      Task change;
      if (s.TakeChange(ev.payload.b, &change)) DeployByHand(ctx, s, change);
      break;
    }
    case kAgentCallDone: OnAgentCallDone(ctx, s, ev.payload.b); break;
    case kInjectionArrive: OnInjectionArrive(ctx, s, ev.payload.a); break;
    case kSessionAttack: OnAttack(ctx, s, ev.payload.a); break;
    case kChatInjection: OnChatInjection(ctx, s, ev); break;
    case kBreakerRestore: OnBreakerRestore(ctx, s, ev.payload.a, ev.payload.b); break;
    case kBreakerGroupTrip: HoldGroup(ctx, s, ev.payload.a, UINT32_MAX); break;
    default: ctx.Fail("employee LP got an event of kind " + std::to_string(ev.kind));
  }
}

void OrgModel::CompactMailbox(EmployeeState& s) const {
  // An external seat lists and addresses its mail by slot at will: its mailbox stays whole.
  if (s.seat != kNoSeat) return;
  // The slots something still names: mail tasks (queued or being worked on), and the mail
  // items of agents' pending asks, deferred actions and help on their way.
  static thread_local std::vector<uint32_t> named;
  named.clear();
  auto name = [](const Task& t) {
    if (t.kind == TaskKind::kEmail) named.push_back(t.ref);
  };
  for (const VectorQueue<Task>& q : s.queues) {
    for (const Task& t : q) name(t);
  }
  name(s.current);
  for (const PendingAsk& a : s.asks) name(a.act.item);
  for (const DeferredAction& d : s.deferred) name(d.act.item);
  for (const PendingHelp& h : s.helps) {
    if (h.kind == TaskKind::kEmail) named.push_back(h.ref);
  }
  std::sort(named.begin(), named.end());
  const uint32_t newest = s.mailbox.slot_count() - 1;
  s.mailbox.DropArchived([&](const services::MailboxEntry& e) {
    // What an exfiltration reads (threats.cc): the newest slot, and the sensitive messages
    // among the last kExfiltrateScanSlots (the scan only moves forward).
    if (e.slot == newest) return true;
    if ((e.header.labels & services::kLabelSensitive) && e.slot + kExfiltrateScanSlots >= s.mailbox.slot_count()) {
      return true;
    }
    return std::binary_search(named.begin(), named.end(), e.slot);
  });
}

void OrgModel::DeliverMail(EmployeeState& s, const services::EmailHeader& header, TimeUs now_us) const {
  // Most mail is filed as it lands (replies that ask nothing, spam): every few messages, free
  // what was filed, so that a mailbox holds its open mail, not a day's worth.
  if (s.mailbox.entries().size() >= s.mail_compact_at) {
    CompactMailbox(s);
    s.mail_compact_at = static_cast<uint32_t>(s.mailbox.entries().size()) + kMailCompactEvery;
  }
  s.mailbox.Deliver(header, now_us);
}

void OrgModel::OnEmail(Ctx& ctx, EmployeeState& s, const Ev& ev) {
  services::EmailHeader h;
  h.id = ev.payload.u;
  h.thread = ev.payload.v;
  h.sent_at_us = ev.payload.t;
  h.sender = ev.payload.a;
  h.sent_by_agent = ev.payload.d == 0 ? services::kNoId : ev.payload.d - 1;
  h.size_tokens = ev.payload.c;
  h.labels = static_cast<uint8_t>(ev.payload.b & 0xff);
  h.num_recipients = 1;
  ReceiveMail(ctx, s, h, ev.payload.x, ev.payload.y, ev.payload.b >> 8);
}

void OrgModel::ReceiveMail(Ctx& ctx, EmployeeState& s, const services::EmailHeader& header, double value_usd,
                           double effort_minutes, uint32_t campaign_plus_one) {
  DeliverMail(s, header, ctx.now_us());
  const uint32_t slot = s.mailbox.slot_count() - 1;
  if (campaign_plus_one > 0 && campaign_plus_one <= sc().threats.injection_campaigns.size()) {
    // An injection a colleague forwarded: junk to its reader, a hazard to their agents.
    Task t;
    t.kind = TaskKind::kEmail;
    t.ref = slot;
    t.other = campaign_plus_one - 1;
    t.flags = kMailInjection;
    t.arrived_us = ctx.now_us();
    t.effort_minutes = sc().role(sc().organization.employees[ctx.lp()].role).spam_minutes;
    if (record_spans_) {
      s.injections.push_back(InjectionRecord{ItemId(ctx.lp(), ItemKind::kMail, slot), ctx.now_us(), ctx.lp(),
                                             CampaignSource(t.other),
                                             static_cast<uint32_t>(sc().threats.injection_campaigns[t.other].goal), false,
                                             true, header.sender, header.sent_at_us});
    }
    if (IsSeat(s)) {
      seats_[s.seat].injection_campaign_of_slot[slot] = t.other;
      ++seats_[s.seat].injections_received;
    }
    // Not an arrival: a copy made inside the company (how many there are depends on agents).
    Enqueue(ctx, s, t);
    if (!s.agents.empty()) OnAgentEvent(ctx, s, scenario::Event::kNewEmail);
    return;
  }
  const bool spam = (header.labels & services::kLabelSpam) != 0;
  if (!spam && value_usd == 0 && header.sender != services::kNoId) {
    // A reply or forward that asks nothing: it sits in the mailbox, read and filed, as a
    // human's reply would; it is not a work item.
    s.mailbox.Read(slot);
    s.mailbox.Archive(slot);
    return;
  }
  Task t;
  t.kind = TaskKind::kEmail;
  t.ref = slot;  // the mailbox slot
  t.other = header.sender;
  t.flags = (header.sender == services::kNoId ? kMailExternal : 0) | (spam ? kMailSpam : 0) |
            ((header.labels & services::kLabelSensitive) ? kMailSensitive : 0);
  t.value_usd = value_usd;
  t.arrived_us = header.sent_at_us;
  t.effort_minutes = effort_minutes;
  if (!s.agents.empty() && DetectorAdmits(ctx, s, &t) && (t.state & kTaskQuarantined)) {
    t.state |= kTaskHelped;  // held: no agent works on it
  }
  ++s.items_arrived;
  s.value_arrived_usd += value_usd;  // external and internal mail alike
  Enqueue(ctx, s, t);
  if (!s.agents.empty()) OnAgentEvent(ctx, s, scenario::Event::kNewEmail);
}

services::Outcome OrgModel::SendMail(Ctx& ctx, EmployeeState& s, const services::SendSpec& spec, double value_usd,
                                     double effort_minutes, engine::Rng& rng, uint32_t campaign_plus_one) {
  services::SendOutput out;
  if (s.mailbox.Send(spec, world_->email, ctx.now_us(), rng, &out) != services::Mailbox::SendStatus::kSent) {
    return services::Outcome::kNotExecuted;
  }
  for (uint8_t i = 0; i < out.num_deliveries; ++i) {
    const services::Delivery& d = out.deliveries[i];
    Payload p;
    p.a = d.header.sender;
    p.b = d.header.labels | (campaign_plus_one << 8);
    p.c = d.header.size_tokens;
    p.d = d.header.sent_by_agent == services::kNoId ? 0 : d.header.sent_by_agent + 1;
    p.x = value_usd;
    p.y = effort_minutes;
    p.t = d.header.sent_at_us;
    p.u = d.header.id;
    p.v = d.header.thread;
    ctx.Send(d.to, Net(d.deliver_at_us - ctx.now_us()), kEmailDeliver, p);
  }
  return out.num_leaks > 0 ? services::Outcome::kDataLeaked : services::Outcome::kDone;
}

void OrgModel::OnChatMention(Ctx& ctx, EmployeeState& s, const Ev& ev) {
  Task t;
  t.kind = TaskKind::kChat;
  t.value_usd = ev.payload.x;
  t.arrived_us = ev.payload.t;
  t.other = ev.payload.a;
  t.effort_minutes = ev.payload.y;
  t.ref = s.next_item++;
  ++s.items_arrived;
  s.value_arrived_usd += t.value_usd;
  Enqueue(ctx, s, t);
  if (!s.agents.empty()) {
    s.chat_unanswered.push_back(t);
    OnAgentEvent(ctx, s, scenario::Event::kChatMention);
  }
}

uint64_t OrgModel::TaskItemId(EmployeeId self, const Task& t) const {
  switch (t.kind) {
    case TaskKind::kEmail: return ItemId(self, ItemKind::kMail, t.ref);
    case TaskKind::kChat: return ItemId(self, ItemKind::kChat, t.ref);
    case TaskKind::kCode:
    case TaskKind::kRework:
    case TaskKind::kDeploy: return ItemId(self, ItemKind::kChange, t.ref);
    case TaskKind::kReview: return ItemId(t.other, ItemKind::kChange, t.ref);  // the author's change
    case TaskKind::kBacklog: return ItemId(self, ItemKind::kBacklogTask, t.ref);
    case TaskKind::kApproval: return ItemId(t.other, ItemKind::kAsk, t.ref);
    case TaskKind::kIncident:
    case TaskKind::kFix: return kNoSpanId;
  }
  return kNoSpanId;
}

void OrgModel::AccountWork(Ctx& ctx, EmployeeState& s) {
  const TimeUs worked_us = ctx.now_us() - s.task_started_us;
  if (record_spans_ && worked_us > 0) {
    TraceSpan sp;
    sp.kind = SpanKind::kHumanTask;
    sp.id = NewSpanId(s, ctx.lp());
    sp.start_us = s.task_started_us;
    sp.end_us = ctx.now_us();
    sp.employee = ctx.lp();
    sp.name = static_cast<uint32_t>(s.current.kind);
    if (s.current.kind == TaskKind::kIncident) sp.service = s.current.ref;
    sp.item_id = TaskItemId(ctx.lp(), s.current);
    if (sp.item_id != kNoSpanId) sp.causes[0] = {CauseKind::kItem, sp.item_id};
    s.spans.push_back(sp);
  }
  s.busy_today_us += worked_us;
  const double hours = UsToHours(worked_us);
  s.busy_hours += hours;
  if (s.current.state & kTaskSetup) {
    s.m.hours.setup_hours += hours;
    return;
  }
  switch (s.current.kind) {
    case TaskKind::kReview:
      s.m.hours.review_hours += hours;
      s.review_today_us += worked_us;
      break;
    case TaskKind::kApproval: s.m.hours.approval_hours += hours; break;
    case TaskKind::kFix:
    case TaskKind::kIncident: s.m.hours.fixing_hours += hours; break;
    default:
      s.m.hours.working_hours += hours;
      if (s.current.state & kTaskBacklog) s.m.hours.backlog_hours += hours;
      break;
  }
}

void OrgModel::OnHumanDone(Ctx& ctx, EmployeeState& s) {
  AccountWork(ctx, s);
  const Task task = s.current;
  s.busy = false;
  FinishTask(ctx, s, task);
  TryStartTask(ctx, s);
}

void OrgModel::OnHumanPause(Ctx& ctx, EmployeeState& s) {
  AccountWork(ctx, s);
  Task task = s.current;
  task.effort_minutes = std::max(0.1, task.effort_minutes - UsToHours(ctx.now_us() - s.task_started_us) * 60.0);
  s.queues[static_cast<int>(task.kind)].push_front(task);  // first thing on the next working day
  s.busy = false;
  s.at_work = false;
}

void OrgModel::FinishTask(Ctx& ctx, EmployeeState& s, const Task& task) {
  const EmployeeId self = ctx.lp();
  engine::Rng& rng = ctx.rng();
  switch (task.kind) {
    case TaskKind::kEmail: {
      // Reading is the person's own email.read; answering is a reply through the gate.
      services::Target own;
      own.id = self;
      own.owner = self;
      own.team = world_->team_of_employee[self];
      const uint64_t mail_item = ItemId(self, ItemKind::kMail, task.ref);
      services::AuditRecord read = HumanGate(ctx, s, services::Action::kEmailRead, own, mail_item);
      const bool may_read = services::Admits(read.decision);
      if (may_read) read.outcome = services::Outcome::kDone;
      Audit(s.audit, read);
      if (!may_read) break;  // the mail stays unhandled
      s.mailbox.Read(task.ref);
      s.mailbox.Archive(task.ref);
      if (task.flags & kMailInjection) MaybeShareInjection(ctx, s, task);
      if (task.flags & (kMailSpam | kMailInjection)) break;
      services::SendSpec reply;
      if (!s.mailbox.BuildReply(task.ref, kMailTokens, services::kLabelLegitimate, services::kNoId, &reply)) break;
      services::Target target = services::SendTarget(self, reply, world_->team_of_employee);
      target.id = task.other == services::kNoId ? self : task.other;
      services::AuditRecord rec = HumanGate(ctx, s, services::SendAction(reply), target, mail_item);
      if (services::Admits(rec.decision)) {
        rec.outcome = SendMail(ctx, s, reply, 0, 0, ctx.rng());
        if (rec.outcome == services::Outcome::kNotExecuted) rec.decision = services::Decision::kRateLimited;
      }
      Audit(s.audit, rec);
      if (services::Admits(rec.decision)) CompleteItem(ctx, s, task);
      break;
    }
    case TaskKind::kChat: {
      // Reading the thread (chat.read) and answering in it (chat.post), both through the gate.
      const uint32_t channel = TeamChannel(self);
      if (channel != kNoTarget) {
        services::Target target = ChannelTargetOf(channel);
        target.id = channel;
        services::AuditRecord read = HumanGate(ctx, s, services::Action::kChatRead, target);
        const bool may_read = services::Admits(read.decision);
        if (may_read) read.outcome = services::Outcome::kDone;
        Audit(s.audit, read);
        if (!may_read || !HumanPost(ctx, s, channel)) break;
      }
      if (channel != kNoTarget) {
        Payload p;
        p.a = self;
        p.b = kNoId;
        ctx.Send(world_->ChannelLp(channel), Net(sc().chat.delivery_latency_us), kChatPost, p);
      }
      CompleteItem(ctx, s, task);
      break;
    }
    case TaskKind::kBacklog:
      CompleteItem(ctx, s, task);
      break;
    case TaskKind::kCode:
      SendForReview(ctx, s, task);
      break;
    case TaskKind::kRework: {
      Task change = task;
      // A rework removes the defect that was caught with rework_fix_probability.
      if ((change.state & kTaskDefective) &&
          rng.Bernoulli(sc().role(Role::kDeveloper).code.rework_fix_probability)) {
        change.state &= ~(kTaskDefective | kTaskAgentDefect | kTaskAgentDeployError);
      }
      SendForReview(ctx, s, change);
      break;
    }
    case TaskKind::kReview: {
      // The reviewer catches the change's defect, if it has one, with the catch probability,
      // less for a change larger than their attention covers.
      const scenario::CodeWork& code = sc().role(Role::kDeveloper).code;
      const double needed_minutes = code.review_minutes * RelativeSize(task);
      const double covered = needed_minutes > code.review_attention_minutes ? code.review_attention_minutes / needed_minutes : 1.0;
      const bool caught = (task.state & kTaskDefective) && rng.Bernoulli(code.review_catch_probability * covered);
      Payload p;
      p.a = self;
      p.b = task.ref;
      p.c = caught ? 1 : 0;
      p.t = task.arrived_us;
      ctx.Send(task.other, Net(0), kReviewDone, p);
      break;
    }
    case TaskKind::kDeploy:
      HumanDeploy(ctx, s, task);
      break;
    case TaskKind::kApproval: {
      // Fatigue: accuracy falls with the approvals already decided today. (Drawn from the
      // agent stream: approvals exist only because of agents.)
      const double accuracy = world_->fatigue.PCorrect(static_cast<uint32_t>(s.approvals_today));
      s.approvals_today += 1;
      const bool bad = task.flags & 1;
      const bool correct = s.agent_rng.Bernoulli(accuracy);
      const bool approve = bad ? !correct : correct;
      ++s.safety.approvals_decided;
      s.safety.approvals_correct += correct;
      Payload p;
      p.b = task.ref;
      p.c = approve ? 1 : 0;
      if (task.other == self) {
        OnApprovalDecision(ctx, s, task.ref, approve, false);
      } else {
        ctx.Send(task.other, Net(0), kApprovalDecision, p);
      }
      break;
    }
    case TaskKind::kIncident: {
      // The responder reports in the incident channel their team is in, if there is one.
      const uint32_t channel = IncidentChannel(self);
      if (channel != kNoTarget && HumanPost(ctx, s, channel)) {
        Payload p;
        p.a = self;
        p.b = kNoId;
        ctx.Send(world_->ChannelLp(channel), Net(sc().chat.delivery_latency_us), kChatPost, p);
      }
      break;
    }
    case TaskKind::kFix:
      break;
  }
}

bool OrgModel::HumanPost(Ctx& ctx, EmployeeState& s, uint32_t channel) {
  services::Target target = ChannelTargetOf(channel);
  target.id = channel;
  services::AuditRecord rec = HumanGate(ctx, s, services::Action::kChatPost, target);
  const bool admitted = services::Admits(rec.decision);
  if (admitted) rec.outcome = services::Outcome::kDone;
  Audit(s.audit, rec);
  return admitted;
}

services::GateResult OrgModel::Decide(EmployeeState& s, const services::GateRequest& req,
                                      services::RateState* agent_rates) {
  const services::GateResult g = world_->policy.Decide(req, agent_rates, &s.human_rates);
  if (s.rule_verdicts.empty()) s.rule_verdicts.assign((num_rules_ + 1) * 4, 0);
  const uint32_t row = g.rule < num_rules_ ? g.rule : num_rules_;
  ++s.rule_verdicts[row * 4 + static_cast<uint32_t>(g.verdict)];
  return g;
}

services::AuditRecord OrgModel::HumanGate(Ctx& ctx, EmployeeState& s, services::Action action,
                                          const services::Target& target, uint64_t item_id) {
  const EmployeeId self = ctx.lp();
  services::GateRequest req;
  req.actor.employee = self;
  req.actor.role = static_cast<uint32_t>(sc().organization.employees[self].role);
  req.actor.team = sc().organization.employees[self].team;
  req.action = action;
  req.target = target;
  req.now_us = ctx.now_us();
  const services::GateResult g = Decide(s, req, nullptr);
  services::AuditRecord rec;
  rec.time_us = ctx.now_us();
  rec.on_behalf_of = self;
  rec.target = target.id;
  rec.rule = g.rule;
  rec.action = action;
  rec.outcome = services::Outcome::kNotExecuted;
  if (item_id != kNoSpanId) {
    rec.cause_kind = static_cast<uint8_t>(CauseKind::kItem);
    rec.cause_id = item_id;
  }
  switch (g.verdict) {
    case services::Verdict::kAllow:
    case services::Verdict::kAsk:
      // "ask" for a human means their manager signs off later, which the model does not charge.
      rec.decision = services::Decision::kAllowed;
      break;
    case services::Verdict::kDeny: rec.decision = services::Decision::kDenied; break;
    case services::Verdict::kRateLimited: rec.decision = services::Decision::kRateLimited; break;
  }
  return rec;
}

void OrgModel::CompleteItem(Ctx& ctx, EmployeeState& s, const Task& item) {
  if constexpr (kModelChecks) {
    std::vector<bool>* done = nullptr;
    switch (item.kind) {
      case TaskKind::kEmail: done = &s.done_mail; break;
      case TaskKind::kChat:
      case TaskKind::kBacklog: done = &s.done_chat; break;
      default: done = &s.done_code; break;
    }
    if (done->size() <= item.ref) done->resize(std::max<size_t>(item.ref + 1, 2 * done->size() + 64), false);
    if ((*done)[item.ref]) {
      ctx.Fail("work item " + std::to_string(item.ref) + " (task kind " + std::to_string(static_cast<int>(item.kind)) +
               ") completed twice");
      return;
    }
    (*done)[item.ref] = true;
  }
  if (item.kind == TaskKind::kCode || item.kind == TaskKind::kRework || item.kind == TaskKind::kDeploy) ++s.changes_completed;
  s.m.value_usd += item.value_usd;
  ++s.m.items_completed;
  s.lead_time_hours_sum += UsToHours(ctx.now_us() - item.arrived_us);
}

void OrgModel::OnApprovalRequest(Ctx& ctx, EmployeeState& s, const Ev& ev) {
  Task t;
  t.kind = TaskKind::kApproval;
  t.effort_minutes = sc().approvals.minutes_per_approval;
  t.arrived_us = ctx.now_us();
  t.ref = ev.payload.b;
  t.other = ev.payload.a;
  t.flags = ev.payload.c;
  Enqueue(ctx, s, t);
}

EmployeeId OrgModel::OnCall(scenario::TeamId team, TimeUs now_us) const {
  if (team == kNoId) return kNoId;
  const scenario::Team& t = sc().organization.teams[team];
  const int32_t days = sc().deploy.incidents.on_call_rotation_days;
  if (days <= 0 || t.members.empty()) return t.lead != kNoId ? t.lead : (t.members.empty() ? kNoId : t.members[0]);
  // Rotate over the members who can respond, the lead first: managers, then developers.
  std::vector<EmployeeId> roster;
  if (t.lead != kNoId) roster.push_back(t.lead);
  for (Role role : {Role::kManager, Role::kDeveloper}) {
    for (EmployeeId m : t.members) {
      if (m != t.lead && sc().organization.employees[m].role == role) roster.push_back(m);
    }
  }
  if (roster.empty()) roster = t.members;
  const int64_t shift = (now_us / engine::kUsPerDay) / days;
  return roster[static_cast<size_t>(shift % static_cast<int64_t>(roster.size()))];
}

}  // namespace clawsim::model

namespace clawsim::model {

std::vector<services::AuditRecord> OrgModel::TakeAuditRecords() {
  std::vector<const services::AuditLog*> logs;
  for (const EmployeeState& s : employees_) logs.push_back(&s.audit);
  for (const ChannelState& c : channels_) logs.push_back(&c.audit);
  for (const ServiceLpState& v : services_) logs.push_back(&v.audit);
  std::vector<services::AuditRecord> merged = services::MergeAuditLogs(logs);
  // Emptied, with their counters running on: record ids stay unique over the run.
  for (EmployeeState& s : employees_) s.audit.Take();
  for (ChannelState& c : channels_) c.audit.Take();
  for (ServiceLpState& v : services_) v.audit.Take();
  return merged;
}

void OrgModel::ResetRateStates() {
  num_rules_ = static_cast<uint32_t>(world_->policy.rules().size());
  for (EmployeeState& s : employees_) {
    s.human_rates = world_->policy.MakeRateState();
    for (AgentState& a : s.agents) a.rates = world_->policy.MakeRateState();
    // Rule indexes may have moved: the counts so far stay in their rows, which a new
    // policy of another size would misread, so they restart.
    if (!s.rule_verdicts.empty() && s.rule_verdicts.size() != (num_rules_ + 1) * 4) s.rule_verdicts.clear();
  }
}

}  // namespace clawsim::model
