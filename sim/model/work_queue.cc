// The employee's day and work queue: the day's plan (arrivals drawn at the day start, sent
// one at a time), work items arriving, the backlog pulled when there is room, changes handed
// to background agents, and which task the person takes up next.
#include <algorithm>
#include <cmath>

#include "sim/model/org_model.h"

namespace clawsim::model {
namespace {

TimeUs MinutesToUs(double minutes) { return static_cast<TimeUs>(minutes * static_cast<double>(engine::kUsPerMinute)); }

}  // namespace

void OrgModel::OnDayStart(Ctx& ctx, EmployeeState& s) {
  const TimeUs now = ctx.now_us();
  const int32_t day = static_cast<int32_t>(now / engine::kUsPerDay);
  ctx.SendSelf(engine::kUsPerDay, kDayStart);
  s.approvals_today = 0;
  s.busy_today_us = 0;
  s.review_today_us = 0;
  s.workday_us = 0;
  s.mailbox.DropArchivedPrefix();  // yesterday's handled mail: counted, no longer needed
  // Metering: yesterday's agent activity, and the budget week (Monday to Sunday).
  if (s.invoked_today) ++s.period.active_days;
  s.invoked_today = false;
  if ((day + sc().run.start_weekday) % 7 == 0) {
    s.period.week_tokens = 0;
    FadeTrust(s);  // trust in coding help weighs recent weeks' outcomes most
  }
  if (day == sc().incentives.ratios_from_day && day > 0) {
    // The incentive ratios count from here (steady state, once adoption has settled).
    const TokenTally t = s.m.tokens();
    s.ratio_start = {t.total_tokens(), s.m.value_usd, s.changes_completed, s.changes_merged,
                     static_cast<double>(s.working_days), t.cost_usd};
  }
  if (s.incentive_pending) ApplyIncentiveChoice(ctx, s);
  // Mentions the human already answered need no agent any more.
  while (!s.chat_unanswered.empty() && s.FindQueued(TaskKind::kChat, s.chat_unanswered.front().ref) == nullptr) {
    s.chat_unanswered.pop_front();
  }
  const bool working = sc().calendar.IsWorkingDay(day, sc().run.start_weekday);
  PlanAgentDay(ctx, s, working);
  PlanThreatDay(ctx, s, working);
  if (!working) return;
  // Arrivals come from the employee's work stream, never the LP's stream: the same work
  // arrives whatever agents do (the counterfactual twin sees it too).
  engine::Rng& rng = s.work_rng;
  const scenario::CalendarConfig& cal = sc().calendar;
  const TimeUs jitter = static_cast<TimeUs>(rng.Normal() * static_cast<double>(cal.start_jitter_stddev_us));
  const TimeUs start = std::clamp<TimeUs>(cal.workday_start_us + jitter, 0, engine::kUsPerDay / 2);
  const TimeUs end = std::min<TimeUs>(start + (cal.workday_end_us - cal.workday_start_us), engine::kUsPerDay - 1);
  s.work_end_us = now + end;
  s.workday_us = end - start;
  s.available_hours += UsToHours(end - start);
  ++s.working_days;
  ctx.SendSelf(start, kWorkStart);

  // Arrivals of the day, spread over working hours (Poisson processes per stream).
  const scenario::RoleProfile& role = sc().role(sc().organization.employees[ctx.lp()].role);
  const double span_us = static_cast<double>(end - start);
  // They are kept as 16-byte plans and sent one at a time (SendNextArrival), each with the
  // sequence number it would have had if sent now, so the run is as if all were sent now.
  s.arrivals.clear();
  s.next_arrival = 0;
  auto plan = [&](double per_day, WorkStream stream) {
    if (per_day <= 0) return;
    double t = rng.Exponential(span_us / per_day);
    while (t < span_us) {
      s.arrivals.push_back(PlannedArrival{now + start + static_cast<TimeUs>(t), 0, stream});
      t += rng.Exponential(span_us / per_day);
    }
  };
  const double external = sc().email.external_fraction;
  plan(role.emails.per_day * external, WorkStream::kExternalEmail);
  plan(role.emails.per_day * (1 - external), WorkStream::kInternalEmail);
  plan(role.chat_requests.per_day, WorkStream::kChatRequest);
  plan(role.code.changes.per_day, WorkStream::kCodeChange);
  const uint32_t first_seq = ctx.ReserveSeqs(static_cast<uint32_t>(s.arrivals.size()));
  for (uint32_t i = 0; i < s.arrivals.size(); ++i) s.arrivals[i].seq = first_seq + i;
  std::sort(s.arrivals.begin(), s.arrivals.end(), [](const PlannedArrival& a, const PlannedArrival& b) {
    return std::tie(a.time_us, a.seq) < std::tie(b.time_us, b.seq);
  });
  SendNextArrival(ctx, s);
}

void OrgModel::SendNextArrival(Ctx& ctx, EmployeeState& s) {
  if (s.next_arrival >= s.arrivals.size()) return;
  const PlannedArrival& a = s.arrivals[s.next_arrival++];
  Payload p;
  p.a = static_cast<uint32_t>(a.stream);
  ctx.SendSelfReserved(a.time_us, a.seq, kWorkArrive, p);
}

void OrgModel::OnWorkArrive(Ctx& ctx, EmployeeState& s, const Ev& ev) {
  const EmployeeId self = ctx.lp();
  const EmployeeInfo& info = world_->employees[self];
  const scenario::RoleProfile& role = sc().role(sc().organization.employees[self].role);
  engine::Rng& rng = s.work_rng;
  switch (static_cast<WorkStream>(ev.payload.a)) {
    case WorkStream::kExternalEmail: {
      // Mail from outside arrives directly (the outside world is not an LP).
      const bool spam = rng.Bernoulli(role.spam_fraction);
      const size_t domains = std::max<size_t>(1, sc().email.external_domains.size());
      const services::EmailHeader header = services::ExternalMessage(
          static_cast<services::DomainId>(rng.UniformInt(domains)), (uint64_t{self} << 24) | s.external_serial++,
          kMailTokens, spam ? services::kLabelSpam : services::kLabelLegitimate, ctx.now_us());
      const double value = spam ? 0 : Sample(role.emails.value_usd, rng);
      const double effort = spam ? role.spam_minutes : Sample(role.emails.effort_minutes, rng);
      ReceiveMail(ctx, s, header, value, effort);
      break;
    }
    case WorkStream::kInternalEmail: {
      // This employee writes to a colleague: a human action through the gate.
      if (world_->num_employees < 2) break;
      EmployeeId to = info.teammates.empty() || rng.Bernoulli(sc().email.outside_team_fraction)
                          ? static_cast<EmployeeId>(rng.UniformInt(world_->num_employees))
                          : info.teammates[rng.UniformInt(info.teammates.size())];
      if (to == self) to = (self + 1) % world_->num_employees;
      services::SendSpec spec;
      spec.Add(services::Recipient::Employee(to));
      spec.size_tokens = kMailTokens;
      spec.labels = services::kLabelLegitimate | (rng.Bernoulli(sc().email.sensitive_fraction) ? services::kLabelSensitive : 0);
      const scenario::RoleProfile& to_role = sc().role(world_->role_of_employee[to]);
      const double value = Sample(to_role.emails.value_usd, rng);
      const double effort = Sample(to_role.emails.effort_minutes, rng);
      services::Target target = services::SendTarget(self, spec, world_->team_of_employee);
      target.id = to;
      services::AuditRecord rec = HumanGate(ctx, s, services::SendAction(spec), target);
      if (services::Admits(rec.decision)) {
        rec.outcome = SendMail(ctx, s, spec, value, effort, ctx.rng());
        if (rec.outcome == services::Outcome::kNotExecuted) rec.decision = services::Decision::kRateLimited;
      }
      Audit(s.audit, rec);
      break;
    }
    case WorkStream::kChatRequest: {
      const uint32_t channel = TeamChannel(self);
      if (channel == kNoTarget || info.teammates.empty()) break;
      Payload p;
      p.a = self;
      p.b = info.teammates[rng.UniformInt(info.teammates.size())];
      p.x = Sample(role.chat_requests.value_usd, rng);
      p.y = Sample(sc().role(world_->role_of_employee[p.b]).chat_requests.effort_minutes, rng);
      // Asking in the channel is the asker's own chat.post.
      if (HumanPost(ctx, s, channel)) ctx.Send(world_->ChannelLp(channel), Net(sc().chat.delivery_latency_us), kChatPost, p);
      break;
    }
    case WorkStream::kCodeChange: {
      if (OnBoard(self)) {
        PostToBoard(ctx, s, rng);  // the team's board: whoever has room takes it
        break;
      }
      // The change's value, effort, quality and defect are drawn once, when it arrives.
      const scenario::CodeWork& code = role.code;
      Task t;
      t.kind = TaskKind::kCode;
      t.value_usd = Sample(code.changes.value_usd, rng);
      t.effort_minutes = Sample(code.changes.effort_minutes, rng);
      t.base_effort_minutes = t.effort_minutes;
      const double quality = std::clamp(Sample(code.quality, rng) * code.QualityFactor(info.traits.skill), 0.0, 1.0);
      if (rng.Bernoulli(1 - quality)) t.state |= kTaskDefective;
      t.arrived_us = ctx.now_us();
      t.ref = s.next_change++;  // change ids are per author: results come back to the author
      ++s.items_arrived;
      s.value_arrived_usd += t.value_usd;
      Enqueue(ctx, s, t);
      break;
    }
  }
}

void OrgModel::Enqueue(Ctx& ctx, EmployeeState& s, const Task& task) {
  s.queues[static_cast<int>(task.kind)].push_back(task);
  TryStartTask(ctx, s);
}

double OrgModel::HumanMinutes(const EmployeeState& s, EmployeeId self, const Task& t) const {
  (void)s;
  if (t.state & kTaskStarted) return t.effort_minutes;
  return std::max(0.1, t.effort_minutes * sc().organization.EffortFactor(world_->employees[self].traits.skill));
}

bool OrgModel::PullBacklog(Ctx& ctx, EmployeeState& s, Task* out) {
  const EmployeeId self = ctx.lp();
  const scenario::RoleProfile& role = sc().role(sc().organization.employees[self].role);
  const scenario::Backlog& b = role.backlog;
  if (b.kind == scenario::Backlog::Kind::kNone) return false;
  if (static_cast<double>(s.busy_today_us) >= b.max_utilisation * static_cast<double>(s.workday_us)) return false;
  engine::Rng& rng = s.backlog_rng;
  Task t;
  t.arrived_us = ctx.now_us();
  t.state = kTaskBacklog;
  if (b.kind == scenario::Backlog::Kind::kCodeChanges) {
    DrawCodeChange(self, rng, &t);
    t.ref = s.next_change++;
  } else {
    t.kind = TaskKind::kBacklog;
    t.value_usd = Sample(b.value_usd, rng);
    t.effort_minutes = Sample(b.effort_minutes, rng);
    t.ref = s.next_item++;
  }
  ++s.backlog_pulled;
  *out = t;
  return true;
}

void OrgModel::DrawCodeChange(EmployeeId self, engine::Rng& rng, Task* t) const {
  const scenario::CodeWork& code = sc().role(sc().organization.employees[self].role).code;
  t->kind = TaskKind::kCode;
  t->value_usd = Sample(code.changes.value_usd, rng);
  t->effort_minutes = Sample(code.changes.effort_minutes, rng);
  t->base_effort_minutes = t->effort_minutes;
  const double quality =
      std::clamp(Sample(code.quality, rng) * code.QualityFactor(world_->employees[self].traits.skill), 0.0, 1.0);
  if (rng.Bernoulli(1 - quality)) t->state |= kTaskDefective;
}

uint32_t OrgModel::HandUnassigned(Ctx& ctx, EmployeeState& s, double trust, uint32_t room) {
  const EmployeeId self = ctx.lp();
  if (sc().role(sc().organization.employees[self].role).backlog.kind != scenario::Backlog::Kind::kCodeChanges) return 0;
  const uint32_t most = static_cast<uint32_t>(sc().adoption.unassigned_changes_max);
  uint32_t open = OpenUnassigned(s);
  uint32_t n = 0;
  while (n < room && open < most) {
    // The backlog's next change: one the person would not delegate stays there (the same
    // change, the same suitability) until their trust reaches it.
    Task t;
    t.ref = s.next_change;
    if (!DelegationOf(self, t, trust).delegated) break;
    engine::Rng rng = engine::Rng::ForStream(world_->seed ^ kUnassignedStreamSalt, engine::HashCombine(self, t.ref));
    DrawCodeChange(self, rng, &t);
    t.arrived_us = ctx.now_us();
    t.state |= kTaskAgentLed | kTaskAwaitingAgent;
    ++s.next_change;
    ++s.backlog_pulled;
    ++open;
    ++s.agent_led_handed;
    s.queues[static_cast<int>(TaskKind::kCode)].push_back(t);
    ++n;
  }
  return n;
}

uint32_t OrgModel::OpenUnassigned(const EmployeeState& s) {
  auto led = [](const Task& t) { return t.kind == TaskKind::kCode && (t.state & kTaskAgentLed); };
  const auto& q = s.queues[static_cast<int>(TaskKind::kCode)];
  return static_cast<uint32_t>(std::count_if(q.begin(), q.end(), led)) + (s.busy && led(s.current) ? 1 : 0);
}

void OrgModel::TryStartTask(Ctx& ctx, EmployeeState& s) {
  if (!s.starting_task) AskBoard(ctx, s);  // no change in hand: ask the team's board for one
  if (s.busy || !s.at_work || s.starting_task) return;
  const TimeUs now = ctx.now_us();
  if (now >= s.work_end_us) {
    s.at_work = false;
    return;
  }
  // Discretionary (backlog) work only fills the day up to the role's max_utilisation.
  const scenario::Backlog& backlog = sc().role(sc().organization.employees[ctx.lp()].role).backlog;
  const TimeUs budget_us =
      static_cast<TimeUs>(backlog.max_utilisation * static_cast<double>(s.workday_us)) - s.busy_today_us;
  // Once today's review budget is spent, only overdue reviews are taken; the rest wait for the
  // next working day. (A review task's arrived_us is when its author asked.)
  const scenario::CodeWork& code = sc().role(scenario::Role::kDeveloper).code;
  const bool reviews_closed = code.review_budget_us_per_day > 0 && s.review_today_us >= code.review_budget_us_per_day;
  const auto* review_queue = &s.queues[static_cast<int>(TaskKind::kReview)];
  // Assigned work first; then the output of changes the person handed to agents unassigned
  // (each once it has landed); then their own backlog.
  bool found = false;
  for (int pass = 0; pass < 2 && !found; ++pass) {
    for (auto& q : s.queues) {
      const bool closed = reviews_closed && &q == review_queue;
      auto it = std::find_if(q.begin(), q.end(), [&](const Task& t) {
        if (closed && now - t.arrived_us < code.review_overdue_us) return false;
        const bool led = t.kind == TaskKind::kCode && (t.state & kTaskAgentLed);
        return led == (pass == 1) && !(t.state & kTaskAwaitingAgent) && (!(t.state & kTaskBacklog) || budget_us > 0);
      });
      if (it == q.end()) continue;
      s.current = *it;
      q.erase(it);
      found = true;
      break;
    }
  }
  if (!found && !PullBacklog(ctx, s, &s.current)) return;
  if (s.current.kind == TaskKind::kCode && !(s.current.state & (kTaskStarted | kTaskHelped)) && !s.agents.empty() &&
      !s.in_invoke) {
    // About to start a change: agents with a CODE_STARTED trigger help it first (they see
    // it queued; anything they queue meanwhile waits for this task).
    const Task chosen = s.current;
    s.queues[static_cast<int>(TaskKind::kCode)].push_front(chosen);
    s.starting_task = true;
    OnAgentEvent(ctx, s, scenario::Event::kCodeStarted);
    s.starting_task = false;
    if (!s.TakeQueued(TaskKind::kCode, chosen.ref, &s.current)) s.current = chosen;
  }
  if (s.current.kind == TaskKind::kIncident && s.current.flags == 1 && !(s.current.state & kTaskStarted)) {
    // Mitigate first: taking up a page for an incident a change caused, the responder rolls
    // the change back, then works the incident (the service refuses when it has ended).
    HumanRollback(ctx, s, s.current.ref);
  }
  s.busy = true;
  const double minutes = HumanMinutes(s, ctx.lp(), s.current);
  s.current.effort_minutes = minutes;
  s.current.state |= kTaskStarted;
  s.task_started_us = now;
  // Nobody works past the end of the day plus overtime: a longer task pauses there, and
  // backlog work pauses when the day's budget for it is spent.
  const TimeUs finish = now + std::max<TimeUs>(1, MinutesToUs(minutes));
  TimeUs limit = s.work_end_us + sc().calendar.overtime_us;
  if (s.current.state & kTaskBacklog) limit = std::min(limit, now + std::max<TimeUs>(1, budget_us));
  if (finish <= limit) {
    ctx.SendSelf(finish - now, kHumanDone);
  } else {
    ctx.SendSelf(std::max<TimeUs>(1, limit - now), kHumanPause);
  }
}

}  // namespace clawsim::model
