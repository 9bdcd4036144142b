// The employee LP: the human's day, their work queue, mail, chat, code changes and approvals.
#include <algorithm>
#include <cmath>

#include "sim/model/org_model.h"

namespace clawsim::model {
namespace {

using scenario::Role;

// Share of internal mail that carries sensitive data (customer records, credentials...).
constexpr double kSensitiveMailFraction = 0.1;
// Size of one mail in tokens (what an agent reads per message).
constexpr uint32_t kMailTokens = 400;
// Share of the original effort needed to rework a change sent back or failed in the pipeline.
constexpr double kReworkFraction = 0.3;

TimeUs MinutesToUs(double minutes) { return static_cast<TimeUs>(minutes * static_cast<double>(engine::kUsPerMinute)); }

// Removes the change with id `ref` from the author's in-flight list.
bool TakeChange(EmployeeState& s, uint32_t ref, Task* out) {
  auto it = std::find_if(s.changes_in_flight.begin(), s.changes_in_flight.end(), [&](const Task& t) { return t.ref == ref; });
  if (it == s.changes_in_flight.end()) return false;
  *out = *it;
  s.changes_in_flight.erase(it);
  return true;
}

}  // namespace

OrgModel::OrgModel(const World* world) : world_(world) {
  const scenario::CompiledScenario& s = *world->scenario;
  employees_.resize(world->num_employees);
  for (uint32_t e = 0; e < world->num_employees; ++e) {
    EmployeeState& st = employees_[e];
    st.audit = services::AuditLog(e);
    st.mailbox = services::Mailbox(e);
    st.human_rates = world->policy.MakeRateState();
    st.tokens_by_tier.assign(s.tiers.size(), TokenTally{});
    st.tokens_by_skill.assign(s.skills.size(), TokenTally{});
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
  }
  channels_.resize(s.chat.channels.size());
  for (uint32_t c = 0; c < channels_.size(); ++c) {
    const scenario::Channel& ch = s.chat.channels[c];
    const services::TeamId team = ch.teams.empty() ? services::kAnyId : ch.teams[0];
    channels_[c].channel = services::Channel(c, static_cast<services::ChannelKind>(ch.kind), team, world->channel_members[c],
                                             world->team_of_employee);
    channels_[c].audit = services::AuditLog(world->ChannelLp(c));
  }
  services_.resize(s.deploy.services.size());
  for (uint32_t v = 0; v < services_.size(); ++v) {
    services_[v].service = services::ServiceState(v);
    services_[v].audit = services::AuditLog(world->ServiceLp(v));
  }
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
      TryStartTask(ctx, s);
      break;
    case kWorkArrive: OnWorkArrive(ctx, s, ev); break;
    case kHumanDone: OnHumanDone(ctx, s); break;
    case kHeartbeat: OnHeartbeat(ctx, s, ev.payload.a); break;
    case kCron: OnCron(ctx, s, ev.payload.a, ev.payload.b); break;
    case kDream: OnDream(s, ev.payload.a); break;
    case kEmailDeliver: OnEmail(ctx, s, ev); break;
    case kChatMention: OnChatMention(ctx, s, ev); break;
    case kReviewRequest: {
      Task t;
      t.kind = TaskKind::kReview;
      t.effort_minutes = sc().role(Role::kDeveloper).code.review_minutes;
      t.arrived_us = ev.payload.t;
      t.ref = ev.payload.b;
      t.other = ev.payload.a;
      t.quality = ev.payload.x;
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
    case kApprovalDecision: OnApprovalDecision(ctx, s, ev.payload.b, ev.payload.c == 1, false); break;
    case kApprovalTimeout: OnApprovalDecision(ctx, s, ev.payload.b, false, true); break;
    case kAgentCallDone: OnAgentCallDone(ctx, s, ev.payload.b); break;
    default: ctx.Fail("employee LP got an event of kind " + std::to_string(ev.kind));
  }
}

void OrgModel::OnDayStart(Ctx& ctx, EmployeeState& s) {
  const TimeUs now = ctx.now_us();
  const int32_t day = static_cast<int32_t>(now / engine::kUsPerDay);
  ctx.SendSelf(engine::kUsPerDay, kDayStart);
  s.approvals_today = 0;
  s.mailbox.DropArchivedPrefix();  // yesterday's handled mail: counted, no longer needed
  // Mentions the human already answered need no agent any more.
  while (!s.chat_unanswered.empty() && s.FindQueued(TaskKind::kChat, s.chat_unanswered.front().ref) == nullptr) {
    s.chat_unanswered.pop_front();
  }
  const bool working = sc().calendar.IsWorkingDay(day, sc().run.start_weekday);
  PlanAgentDay(ctx, s, working);
  if (!working) return;
  engine::Rng& rng = ctx.rng();
  const scenario::CalendarConfig& cal = sc().calendar;
  const TimeUs jitter = static_cast<TimeUs>(rng.Normal() * static_cast<double>(cal.start_jitter_stddev_us));
  const TimeUs start = std::clamp<TimeUs>(cal.workday_start_us + jitter, 0, engine::kUsPerDay / 2);
  const TimeUs end = std::min<TimeUs>(start + (cal.workday_end_us - cal.workday_start_us), engine::kUsPerDay - 1);
  s.work_end_us = now + end;
  ctx.SendSelf(start, kWorkStart);

  // Arrivals of the day, spread over working hours (Poisson processes per stream).
  const scenario::RoleProfile& role = sc().role(sc().organization.employees[ctx.lp()].role);
  const double span_us = static_cast<double>(end - start);
  auto plan = [&](double per_day, WorkStream stream) {
    if (per_day <= 0) return;
    double t = rng.Exponential(span_us / per_day);
    while (t < span_us) {
      Payload p;
      p.a = static_cast<uint32_t>(stream);
      ctx.SendSelf(start + static_cast<TimeUs>(t), kWorkArrive, p);
      t += rng.Exponential(span_us / per_day);
    }
  };
  const double external = sc().email.external_fraction;
  plan(role.emails.per_day * external, WorkStream::kExternalEmail);
  plan(role.emails.per_day * (1 - external), WorkStream::kInternalEmail);
  plan(role.chat_requests.per_day, WorkStream::kChatRequest);
  plan(role.code.changes.per_day, WorkStream::kCodeChange);
}

void OrgModel::OnWorkArrive(Ctx& ctx, EmployeeState& s, const Ev& ev) {
  const EmployeeId self = ctx.lp();
  const EmployeeInfo& info = world_->employees[self];
  const scenario::RoleProfile& role = sc().role(sc().organization.employees[self].role);
  engine::Rng& rng = ctx.rng();
  switch (static_cast<WorkStream>(ev.payload.a)) {
    case WorkStream::kExternalEmail: {
      // Mail from outside arrives directly (the outside world is not an LP).
      const bool spam = rng.Bernoulli(role.spam_fraction);
      const size_t domains = std::max<size_t>(1, sc().email.external_domains.size());
      const services::EmailHeader header = services::ExternalMessage(
          static_cast<services::DomainId>(rng.UniformInt(domains)), (uint64_t{self} << 24) | s.external_serial++,
          kMailTokens, spam ? services::kLabelSpam : services::kLabelLegitimate, ctx.now_us());
      ReceiveMail(ctx, s, header, spam ? 0 : Sample(role.emails.value_usd, rng));
      break;
    }
    case WorkStream::kInternalEmail: {
      // This employee writes to a colleague: a human action through the gate.
      if (world_->num_employees < 2) break;
      EmployeeId to = info.teammates.empty() || rng.Bernoulli(0.3)
                          ? static_cast<EmployeeId>(rng.UniformInt(world_->num_employees))
                          : info.teammates[rng.UniformInt(info.teammates.size())];
      if (to == self) to = (self + 1) % world_->num_employees;
      services::SendSpec spec;
      spec.Add(services::Recipient::Employee(to));
      spec.size_tokens = kMailTokens;
      spec.labels = services::kLabelLegitimate | (rng.Bernoulli(kSensitiveMailFraction) ? services::kLabelSensitive : 0);
      services::Target target = services::SendTarget(self, spec, world_->team_of_employee);
      target.id = to;
      services::AuditRecord rec = HumanGate(ctx, s, services::SendAction(spec), target);
      if (services::Admits(rec.decision)) {
        rec.outcome = SendMail(ctx, s, spec, Sample(sc().role(sc().organization.employees[to].role).emails.value_usd, rng));
        if (rec.outcome == services::Outcome::kNotExecuted) rec.decision = services::Decision::kRateLimited;
      }
      Audit(s.audit, rec);
      break;
    }
    case WorkStream::kChatRequest: {
      const scenario::TeamId team = sc().organization.employees[self].team;
      const uint32_t channel = team == kNoId || team >= sc().chat.team_channel.size() ? kNoTarget : sc().chat.team_channel[team];
      if (channel == kNoTarget || info.teammates.empty()) break;
      Payload p;
      p.a = self;
      p.b = info.teammates[rng.UniformInt(info.teammates.size())];
      p.x = Sample(role.chat_requests.value_usd, rng);
      ctx.Send(world_->ChannelLp(channel), Net(sc().chat.delivery_latency_us), kChatPost, p);
      break;
    }
    case WorkStream::kCodeChange: {
      Task t;
      t.kind = TaskKind::kCode;
      t.value_usd = Sample(role.code.changes.value_usd, rng);
      t.effort_minutes = Sample(role.code.changes.effort_minutes, rng);
      t.arrived_us = ctx.now_us();
      t.ref = s.next_change++;  // change ids are per author: results come back to the author
      ++s.items_arrived;
      Enqueue(ctx, s, t);
      break;
    }
  }
}

void OrgModel::OnEmail(Ctx& ctx, EmployeeState& s, const Ev& ev) {
  services::EmailHeader h;
  h.id = ev.payload.u;
  h.thread = ev.payload.v;
  h.sent_at_us = ev.payload.t;
  h.sender = ev.payload.a;
  h.sent_by_agent = ev.payload.d == 0 ? services::kNoId : ev.payload.d - 1;
  h.size_tokens = ev.payload.c;
  h.labels = static_cast<uint8_t>(ev.payload.b);
  h.num_recipients = 1;
  ReceiveMail(ctx, s, h, ev.payload.x);
}

void OrgModel::ReceiveMail(Ctx& ctx, EmployeeState& s, const services::EmailHeader& header, double value_usd) {
  const scenario::RoleProfile& role = sc().role(sc().organization.employees[ctx.lp()].role);
  s.mailbox.Deliver(header, ctx.now_us());
  Task t;
  t.kind = TaskKind::kEmail;
  t.ref = s.mailbox.slot_count() - 1;  // the mailbox slot
  t.other = header.sender;
  t.flags = (header.sender == services::kNoId ? kMailExternal : 0) |
            ((header.labels & services::kLabelSpam) ? kMailSpam : 0) |
            ((header.labels & services::kLabelSensitive) ? kMailSensitive : 0);
  t.value_usd = value_usd;
  t.arrived_us = header.sent_at_us;
  // Spam and replies that carry no work take a glance; the rest the role's effort.
  t.effort_minutes = (t.flags & kMailSpam) || value_usd == 0 ? role.spam_minutes : Sample(role.emails.effort_minutes, ctx.rng());
  ++s.items_arrived;
  Enqueue(ctx, s, t);
  if (!s.agents.empty()) OnAgentEvent(ctx, s, scenario::Event::kNewEmail);
}

services::Outcome OrgModel::SendMail(Ctx& ctx, EmployeeState& s, const services::SendSpec& spec, double value_usd) {
  services::SendOutput out;
  if (s.mailbox.Send(spec, world_->email, ctx.now_us(), ctx.rng(), &out) != services::Mailbox::SendStatus::kSent) {
    return services::Outcome::kNotExecuted;
  }
  for (uint8_t i = 0; i < out.num_deliveries; ++i) {
    const services::Delivery& d = out.deliveries[i];
    Payload p;
    p.a = d.header.sender;
    p.b = d.header.labels;
    p.c = d.header.size_tokens;
    p.d = d.header.sent_by_agent == services::kNoId ? 0 : d.header.sent_by_agent + 1;
    p.x = value_usd;
    p.t = d.header.sent_at_us;
    p.u = d.header.id;
    p.v = d.header.thread;
    ctx.Send(d.to, Net(d.deliver_at_us - ctx.now_us()), kEmailDeliver, p);
  }
  return out.num_leaks > 0 ? services::Outcome::kDataLeaked : services::Outcome::kDone;
}

void OrgModel::OnChatMention(Ctx& ctx, EmployeeState& s, const Ev& ev) {
  const scenario::RoleProfile& role = sc().role(sc().organization.employees[ctx.lp()].role);
  Task t;
  t.kind = TaskKind::kChat;
  t.value_usd = ev.payload.x;
  t.arrived_us = ev.payload.t;
  t.other = ev.payload.a;
  t.effort_minutes = Sample(role.chat_requests.effort_minutes, ctx.rng());
  t.ref = s.next_item++;
  ++s.items_arrived;
  Enqueue(ctx, s, t);
  if (!s.agents.empty()) {
    s.chat_unanswered.push_back(t);
    OnAgentEvent(ctx, s, scenario::Event::kChatMention);
  }
}

void OrgModel::Enqueue(Ctx& ctx, EmployeeState& s, const Task& task) {
  s.queues[static_cast<int>(task.kind)].push_back(task);
  TryStartTask(ctx, s);
}

void OrgModel::TryStartTask(Ctx& ctx, EmployeeState& s) {
  if (s.busy || !s.at_work) return;
  if (ctx.now_us() >= s.work_end_us) {
    s.at_work = false;
    return;
  }
  for (auto& q : s.queues) {
    if (q.empty()) continue;
    s.current = q.front();
    q.pop_front();
    s.busy = true;
    // Skill makes people faster: 0.75x effort at skill 1, 1.25x at skill 0.
    const double speed = 1.25 - 0.5 * world_->employees[ctx.lp()].traits.skill;
    const double minutes = std::max(0.1, s.current.effort_minutes * speed);
    ctx.SendSelf(MinutesToUs(minutes), kHumanDone);
    s.current.effort_minutes = minutes;
    return;
  }
}

void OrgModel::OnHumanDone(Ctx& ctx, EmployeeState& s) {
  const Task task = s.current;
  s.busy = false;
  const double hours = task.effort_minutes / 60.0;
  switch (task.kind) {
    case TaskKind::kReview: s.m.hours.review_hours += hours; break;
    case TaskKind::kApproval: s.m.hours.approval_hours += hours; break;
    case TaskKind::kFix:
    case TaskKind::kIncident: s.m.hours.fixing_hours += hours; break;
    default: s.m.hours.working_hours += hours; break;
  }
  FinishTask(ctx, s, task);
  TryStartTask(ctx, s);
}

void OrgModel::FinishTask(Ctx& ctx, EmployeeState& s, const Task& task) {
  const EmployeeId self = ctx.lp();
  engine::Rng& rng = ctx.rng();
  switch (task.kind) {
    case TaskKind::kEmail:
      s.mailbox.Read(task.ref);
      s.mailbox.Archive(task.ref);
      if (!(task.flags & kMailSpam)) CompleteItem(ctx, s, task);
      break;
    case TaskKind::kChat:
      CompleteItem(ctx, s, task);
      break;
    case TaskKind::kCode:
    case TaskKind::kRework: {
      Task change = task;
      if (task.kind == TaskKind::kCode) {
        // Quality: the scenario's distribution, nudged by the author's skill.
        const double skill = world_->employees[self].traits.skill;
        change.quality = std::clamp(Sample(sc().role(scenario::Role::kDeveloper).code.quality, rng) * (0.8 + 0.4 * skill), 0.0, 1.0);
      }
      const std::vector<EmployeeId>& mates = world_->employees[self].teammates;
      if (mates.empty() || sc().role(scenario::Role::kDeveloper).code.reviewers == 0) {
        RequestDeploy(ctx, s, change, 0);
        break;
      }
      Payload p;
      p.a = self;
      p.b = change.ref;
      p.x = change.quality;
      p.t = change.arrived_us;
      const TimeUs wait = static_cast<TimeUs>(rng.Exponential(static_cast<double>(sc().role(Role::kDeveloper).code.review_wait_us) * 0.1));
      ctx.Send(mates[rng.UniformInt(mates.size())], Net(wait), kReviewRequest, p);
      s.changes_in_flight.push_back(change);  // until the review comes back
      break;
    }
    case TaskKind::kReview: {
      // A defect is present with probability 1 - quality; the reviewer catches it sometimes.
      const bool defect = rng.Bernoulli(1 - task.quality);
      const bool caught = defect && rng.Bernoulli(sc().role(Role::kDeveloper).code.review_catch_probability);
      Payload p;
      p.a = self;
      p.b = task.ref;
      p.c = caught ? 1 : 0;
      p.x = caught ? std::min(1.0, task.quality + 0.2) : task.quality;
      ctx.Send(task.other, Net(0), kReviewDone, p);
      break;
    }
    case TaskKind::kDeploy:
      RequestDeploy(ctx, s, task, 0);
      break;
    case TaskKind::kApproval: {
      // Fatigue: accuracy falls with the approvals already decided today.
      const double accuracy = world_->fatigue.PCorrect(static_cast<uint32_t>(s.approvals_today));
      s.approvals_today += 1;
      const bool bad = task.flags & 1;
      const bool correct = rng.Bernoulli(accuracy);
      const bool approve = bad ? !correct : correct;
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
    case TaskKind::kIncident:
      if (task.flags == 1) HumanRollback(ctx, s, task.ref);
      break;
    case TaskKind::kFix:
      break;
  }
}

void OrgModel::HumanRollback(Ctx& ctx, EmployeeState& s, uint32_t service) {
  // The responder rolls the change back: a human action through the gate.
  services::Target target = world_->catalog.AsTarget(service, ctx.now_us());
  target.id = service;
  services::AuditRecord rec = HumanGate(ctx, s, services::Action::kDeployRollback, target);
  if (services::Admits(rec.decision)) {
    rec.outcome = services::Outcome::kStarted;
    Payload p;
    p.a = ctx.lp();
    p.d = 1;
    ctx.Send(world_->ServiceLp(service), Net(0), kDeployRequest, p);
  }
  Audit(s.audit, rec);
}

services::AuditRecord OrgModel::HumanGate(Ctx& ctx, EmployeeState& s, services::Action action,
                                          const services::Target& target) {
  const EmployeeId self = ctx.lp();
  services::GateRequest req;
  req.actor.employee = self;
  req.actor.role = static_cast<uint32_t>(sc().organization.employees[self].role);
  req.actor.team = sc().organization.employees[self].team;
  req.action = action;
  req.target = target;
  req.now_us = ctx.now_us();
  const services::GateResult g = world_->policy.Decide(req, nullptr, &s.human_rates);
  services::AuditRecord rec;
  rec.time_us = ctx.now_us();
  rec.on_behalf_of = self;
  rec.target = target.id;
  rec.rule = g.rule;
  rec.action = action;
  rec.outcome = services::Outcome::kNotExecuted;
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
  std::vector<bool>* done = nullptr;
  switch (item.kind) {
    case TaskKind::kEmail: done = &s.done_mail; break;
    case TaskKind::kChat: done = &s.done_chat; break;
    default: done = &s.done_code; break;
  }
  if (done->size() <= item.ref) done->resize(item.ref + 1, false);
  if ((*done)[item.ref]) {
    ctx.Fail("work item " + std::to_string(item.ref) + " (task kind " + std::to_string(static_cast<int>(item.kind)) +
             ") completed twice");
    return;
  }
  (*done)[item.ref] = true;
  s.m.value_usd += item.value_usd;
  ++s.m.items_completed;
  s.lead_time_hours_sum += UsToHours(ctx.now_us() - item.arrived_us);
}

void OrgModel::OnReviewDone(Ctx& ctx, EmployeeState& s, const Ev& ev) {
  Task change;
  if (!TakeChange(s, ev.payload.b, &change)) return;
  change.quality = ev.payload.x;
  if (ev.payload.c == 1) {
    change.kind = TaskKind::kRework;
    change.effort_minutes *= kReworkFraction;
    Enqueue(ctx, s, change);
    return;
  }
  // An agent with a deploy-trigger skill ships it; otherwise the author does, by hand.
  for (uint32_t slot = 0; slot < s.agents.size(); ++slot) {
    const scenario::AgentProfile& prof = sc().profiles[s.agents[slot].profile];
    for (scenario::SkillId k : prof.skills) {
      if (sc().skills[k].kind != scenario::SkillKind::kDeployTrigger) continue;
      const uint32_t handled = Invoke(ctx, s, slot, k, Trigger::kEvent, sc().skills[k].purpose, 0);
      if (handled > 0) {
        const bool bad = !ctx.rng().Bernoulli(1 - ErrorProbability(prof, sc().skills[k]));
        Task c = change;
        if (bad) c.quality *= 0.5;  // the agent shipped a broken build configuration
        const uint32_t service = world_->employees[ctx.lp()].services.empty()
                                     ? static_cast<uint32_t>(change.ref % std::max<size_t>(1, sc().deploy.services.size()))
                                     : world_->employees[ctx.lp()].services[change.ref % world_->employees[ctx.lp()].services.size()];
        Defer(ctx, s, slot, {services::Action::kDeployProd, c, bad, service, sc().skills[k].error_cost_minutes});
        return;
      }
    }
  }
  DeployByHand(ctx, s, change);
}

void OrgModel::DeployByHand(Ctx& ctx, EmployeeState& s, const Task& change) {
  Task t = change;
  t.kind = TaskKind::kDeploy;
  t.effort_minutes = kManualDeployMinutes;
  Enqueue(ctx, s, t);
}

void OrgModel::RequestDeploy(Ctx& ctx, EmployeeState& s, const Task& change, uint32_t agent_plus_one) {
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
  p.x = change.quality;
  p.t = change.arrived_us;
  ++s.deploys_requested;
  s.changes_in_flight.push_back(change);  // until the pipeline reports back
  ctx.Send(world_->ServiceLp(service), Net(0), kDeployRequest, p);
}

void OrgModel::OnPipelineResult(Ctx& ctx, EmployeeState& s, const Ev& ev) {
  Task change;
  if (!TakeChange(s, ev.payload.b, &change)) return;
  OnAgentEvent(ctx, s, scenario::Event::kPipelineResult);
  switch (static_cast<PipelineResult>(ev.payload.c)) {
    case PipelineResult::kInProd:
      CompleteItem(ctx, s, change);
      break;
    case PipelineResult::kFailed:
      change.kind = TaskKind::kRework;
      change.effort_minutes = std::max(5.0, change.effort_minutes * kReworkFraction);
      change.quality = std::min(1.0, change.quality + 0.25);
      Enqueue(ctx, s, change);
      break;
    case PipelineResult::kRefused:
      // Frozen or otherwise refused: try again by hand later.
      DeployByHand(ctx, s, change);
      break;
  }
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

}  // namespace clawsim::model

namespace clawsim::model {

std::vector<services::AuditRecord> OrgModel::TakeAuditRecords() {
  std::vector<const services::AuditLog*> logs;
  for (const EmployeeState& s : employees_) logs.push_back(&s.audit);
  for (const ChannelState& c : channels_) logs.push_back(&c.audit);
  for (const ServiceLpState& v : services_) logs.push_back(&v.audit);
  std::vector<services::AuditRecord> merged = services::MergeAuditLogs(logs);
  for (EmployeeState& s : employees_) s.audit = services::AuditLog(s.audit.lp());
  for (ChannelState& c : channels_) c.audit = services::AuditLog(c.audit.lp());
  for (ServiceLpState& v : services_) v.audit = services::AuditLog(v.audit.lp());
  return merged;
}

void OrgModel::ResetRateStates() {
  for (EmployeeState& s : employees_) {
    s.human_rates = world_->policy.MakeRateState();
    for (AgentState& a : s.agents) a.rates = world_->policy.MakeRateState();
  }
}

}  // namespace clawsim::model
