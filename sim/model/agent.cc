// Agents on the employee LP: heartbeats, cron jobs, event reactions, memory and dreaming,
// and skill invocations with their token cost. What their actions do at the gate and after
// it is in agent_actions.cc.
//
// Every agent action passes the gate, reads included: a skill first reads its source
// (email.read on the owner's mailbox, chat.read on the owner's team channel); a refused read
// leaves it nothing to work on. A call's tokens are booked when its purpose is known: useful
// when it completed or shortened a real work item, overhead when it found nothing to do or
// its actions were refused, performative when its skill or job is declared so.
#include <algorithm>
#include <cmath>

#include "sim/model/org_model.h"

namespace clawsim::model {
namespace {

using scenario::SkillKind;

// A reply goes out of the company when the mail came from outside.
services::Action ReplyAction(const Task& mail) {
  return (mail.flags & kMailExternal) ? services::Action::kEmailSendExternal : services::Action::kEmailSendInternal;
}

}  // namespace

double OrgModel::ErrorProbability(const scenario::AgentProfile& p, const scenario::Skill& k) const {
  const double e = sc().tiers[p.tier].error_rate * k.error_rate_multiplier * sc().threats.agent_error_rate_multiplier;
  return std::clamp(e, 0.0, 1.0);
}

uint32_t OrgModel::TeamChannel(EmployeeId e) const {
  const scenario::TeamId team = sc().organization.employees[e].team;
  return team == kNoId || team >= sc().chat.team_channel.size() ? kNoTarget : sc().chat.team_channel[team];
}

uint32_t OrgModel::IncidentChannel(EmployeeId e) const {
  const scenario::TeamId team = sc().organization.employees[e].team;
  for (uint32_t c = 0; c < sc().chat.channels.size(); ++c) {
    const scenario::Channel& ch = sc().chat.channels[c];
    if (ch.kind != scenario::ChannelKind::kIncident) continue;
    if (std::find(ch.teams.begin(), ch.teams.end(), team) != ch.teams.end()) return c;
  }
  return kNoTarget;
}

TokenTally OrgModel::Charge(EmployeeState& s, scenario::TierId tier, scenario::SkillId skill, Trigger trigger,
                            scenario::Purpose purpose, int64_t input_tokens, int64_t output_tokens) {
  const scenario::ModelTier& t = sc().tiers[tier];
  if (skill == kNoId) input_tokens = std::min<int64_t>(input_tokens, t.context_window_tokens);  // one turn
  TokenTally tally;
  tally.input_tokens = static_cast<uint64_t>(input_tokens);
  tally.output_tokens = static_cast<uint64_t>(output_tokens);
  tally.cost_usd = t.CostUsd(input_tokens, output_tokens);
  tally.invocations = 1;
  // The platform's metering for leaderboards and budgets.
  s.period.tokens += tally.total_tokens();
  s.period.week_tokens += tally.total_tokens();
  s.invoked_today = true;
  s.m.tokens_by_purpose[static_cast<int>(purpose)].Add(tally);
  s.m.tokens_by_trigger[static_cast<int>(trigger)].Add(tally);
  s.tokens_by_tier[tier].Add(tally);
  return tally;
}

void OrgModel::RecordInvocationSpan(EmployeeState& s, EmployeeId self, uint32_t slot, uint64_t span_id, TimeUs start_us,
                                    TimeUs duration_us, uint32_t name, Trigger trigger, scenario::Purpose purpose,
                                    scenario::TierId tier, const TokenTally& tally, uint64_t item_id) {
  if (!record_spans_) return;
  TraceSpan sp;
  sp.kind = SpanKind::kAgentInvocation;
  sp.id = span_id;
  sp.start_us = start_us;
  sp.end_us = start_us + duration_us;
  sp.employee = self;
  sp.agent = s.agents[slot].agent_id;
  sp.name = name;
  sp.trigger = static_cast<uint32_t>(trigger);
  sp.purpose = static_cast<uint32_t>(purpose);
  sp.tier = static_cast<uint32_t>(tier);
  sp.item_id = item_id;
  sp.input_tokens = tally.input_tokens;
  sp.output_tokens = tally.output_tokens;
  sp.cost_usd = tally.cost_usd;
  if (item_id != kNoSpanId) sp.causes[0] = {CauseKind::kItem, item_id};
  s.spans.push_back(sp);
}

OpenCall* OrgModel::FindCall(EmployeeState& s, uint32_t call) {
  auto it = std::find_if(s.calls.begin(), s.calls.end(), [call](const OpenCall& c) { return c.id == call; });
  return it == s.calls.end() ? nullptr : &*it;
}

void OrgModel::MarkUseful(EmployeeState& s, uint32_t call) {
  if (OpenCall* c = FindCall(s, call)) c->useful = true;
}

void OrgModel::MaybeBook(EmployeeState& s, uint32_t call) {
  auto it = std::find_if(s.calls.begin(), s.calls.end(), [call](const OpenCall& c) { return c.id == call; });
  if (it == s.calls.end() || it->invoking || it->outstanding > 0) return;
  const OpenCall c = *it;
  s.calls.erase(it);
  const scenario::Purpose purpose = c.declared == scenario::Purpose::kPerformative ? scenario::Purpose::kPerformative
                                    : c.useful                                   ? scenario::Purpose::kUseful
                                                                                 : scenario::Purpose::kOverhead;
  const TokenTally tally = Charge(s, c.tier, c.skill, c.trigger, purpose, c.input_tokens, c.output_tokens);
  RecordInvocationSpan(s, static_cast<EmployeeId>(&s - employees_.data()), c.slot, c.span_id, c.start_us, c.duration_us,
                       SpanNameOfSkill(c.skill), c.trigger, purpose, c.tier, tally, c.item_id);
  if (record_spans_ && c.attack_cause.kind != CauseKind::kNone) {
    TraceSpan& sp = s.spans.back();
    sp.causes[1] = c.attack_cause;
    if (c.attack_cause.kind == CauseKind::kItem) {  // it followed an injection email
      sp.outcome = kOutcomeInjected;
      sp.route = static_cast<uint32_t>(c.injection_route);
    }
  }
}

void OrgModel::ResolveAction(EmployeeState& s, uint32_t call) {
  if (OpenCall* c = FindCall(s, call); c != nullptr && c->outstanding > 0) --c->outstanding;
  MaybeBook(s, call);
}

void OrgModel::FinishInvoke(EmployeeState& s) {
  if (OpenCall* c = FindCall(s, s.open_call)) c->invoking = false;
  MaybeBook(s, s.open_call);
}

void OrgModel::BookOpenCalls() {
  for (EmployeeState& s : employees_) {
    while (!s.calls.empty()) {
      s.calls.front().invoking = false;
      s.calls.front().outstanding = 0;
      MaybeBook(s, s.calls.front().id);
    }
  }
}

// The heartbeat interval with the agent's performative shortening applied.
static TimeUs HeartbeatInterval(const scenario::Heartbeat& hb, const AgentState& a) {
  return std::max<TimeUs>(engine::kUsPerSecond, static_cast<TimeUs>(static_cast<double>(hb.interval_us) / a.heartbeat_factor));
}

void OrgModel::PlanAgentDay(Ctx& ctx, EmployeeState& s, bool working_day) {
  if (IsSeat(s)) return;  // an external seat's client runs its agent
  for (uint32_t slot = 0; slot < s.agents.size(); ++slot) {
    AgentState& a = s.agents[slot];
    const scenario::AgentProfile& p = sc().profiles[a.profile];
    a.heartbeat_tick = 0;
    Payload pl;
    pl.a = slot;
    if (p.heartbeat.enabled && p.heartbeat.interval_us > 0 && (working_day || !p.heartbeat.working_days_only)) {
      // Stagger agents inside the first interval so the platform does not see a thundering herd.
      const TimeUs interval = HeartbeatInterval(p.heartbeat, a);
      const TimeUs offset = static_cast<TimeUs>((uint64_t{a.agent_id} * 2654435761ULL) % static_cast<uint64_t>(interval));
      const TimeUs first = p.heartbeat.active_start_us + offset;
      if (first < p.heartbeat.active_end_us) ctx.SendSelf(first, kHeartbeat, pl);
    }
    if (working_day) {
      for (uint32_t automation : a.jobs) {
        const scenario::PerformativeAutomation& pa = sc().incentives.performative_automations[automation];
        const TimeUs offset = static_cast<TimeUs>((uint64_t{a.agent_id} * 40503ULL + automation * 9973ULL) %
                                                  static_cast<uint64_t>(std::max<TimeUs>(1, pa.every_us)));
        const TimeUs first = p.heartbeat.active_start_us + offset;
        if (first < p.heartbeat.active_end_us) ctx.SendSelf(first, kPerformativeJob, Payload{slot, automation, 0, 0, 0, 0, 0, 0, 0});
      }
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
  const TimeUs interval = HeartbeatInterval(hb, a);
  const TimeUs time_of_day = ctx.now_us() % engine::kUsPerDay;
  if (time_of_day + interval < hb.active_end_us) ctx.SendSelf(interval, kHeartbeat, Payload{slot, 0, 0, 0, 0, 0, 0, 0, 0});
  if (BudgetRefuses(s) || Paused(a, ctx.now_us())) return;  // a tripped breaker pauses everything
  // With a shortened heartbeat only every n-th beat is the agent's own; the others were
  // added for a metric and everything they spend is performative.
  const uint32_t every = static_cast<uint32_t>(std::max(1L, std::lround(a.heartbeat_factor)));
  const bool added = (a.heartbeat_tick++ % every) != 0;
  // A checklist made longer for a metric: the extra reading is performative.
  const EmployeeId self = ctx.lp();
  const TimeUs quiet_us = sc().tiers[p.tier].CallDurationUs(hb.quiet_output_tokens);
  if (a.checklist_factor > 1) {
    const TokenTally t = Charge(s, p.tier, kNoId, Trigger::kHeartbeat, scenario::Purpose::kPerformative,
                                static_cast<int64_t>(static_cast<double>(hb.checklist_tokens) * (a.checklist_factor - 1)), 0);
    FeedBreakers(ctx, s, slot, scenario::CircuitBreaker::Metric::kTokensPerHour, static_cast<double>(t.total_tokens()));
    if (record_spans_) {
      RecordInvocationSpan(s, self, slot, NewSpanId(s, self), ctx.now_us(), quiet_us, kSpanNamePadding, Trigger::kHeartbeat,
                           scenario::Purpose::kPerformative, p.tier, t, kNoSpanId);
    }
  }
  // Read the checklist; if the heartbeat's skill finds work, run it, else it is a quiet cycle.
  const scenario::Purpose skill_purpose =
      added ? scenario::Purpose::kPerformative : (hb.skill != kNoId ? sc().skills[hb.skill].purpose : scenario::Purpose::kOverhead);
  if (hb.skill != kNoId && Invoke(ctx, s, slot, hb.skill, Trigger::kHeartbeat, skill_purpose, hb.checklist_tokens) > 0) {
    return;
  }
  const int64_t memory = a.memory_tokens;
  const scenario::Purpose quiet_purpose = added ? scenario::Purpose::kPerformative : scenario::Purpose::kOverhead;
  const TokenTally t = Charge(s, p.tier, kNoId, Trigger::kHeartbeat, quiet_purpose, hb.checklist_tokens + memory,
                              hb.quiet_output_tokens);
  FeedBreakers(ctx, s, slot, scenario::CircuitBreaker::Metric::kTokensPerHour, static_cast<double>(t.total_tokens()));
  if (record_spans_) {
    RecordInvocationSpan(s, self, slot, NewSpanId(s, self), ctx.now_us(), quiet_us, kSpanNameQuietHeartbeat,
                         Trigger::kHeartbeat, quiet_purpose, p.tier, t, kNoSpanId);
  }
  a.memory_tokens = std::min(p.memory.max_tokens, a.memory_tokens + p.memory.tokens_per_quiet_cycle);
}

void OrgModel::OnCron(Ctx& ctx, EmployeeState& s, uint32_t slot, uint32_t job_index) {
  const scenario::AgentProfile& p = sc().profiles[s.agents[slot].profile];
  const scenario::CronJob& job = p.cron[job_index];
  if (job.every_us > 0 && (ctx.now_us() % engine::kUsPerDay) + job.every_us < engine::kUsPerDay) {
    ctx.SendSelf(job.every_us, kCron, Payload{slot, job_index, 0, 0, 0, 0, 0, 0, 0});
  }
  if (job.skill != kNoId) Invoke(ctx, s, slot, job.skill, Trigger::kCron, job.purpose, 0);
}

void OrgModel::OnDream(Ctx& ctx, EmployeeState& s, uint32_t slot) {
  const TimeUs dream_now_us = ctx.now_us();
  AgentState& a = s.agents[slot];
  const scenario::Memory& mem = sc().profiles[a.profile].memory;
  // An injected instruction written into memory survives consolidation and acts from now on.
  if (a.threat.poison_campaign >= 0) a.threat.poison_active = true;
  // The day's notes join memory, then consolidation rewrites it shorter.
  a.memory_tokens = std::min(mem.max_tokens, a.memory_tokens + mem.tokens_per_day);
  const int64_t kept = static_cast<int64_t>(static_cast<double>(a.memory_tokens) * mem.retain_fraction);
  const TokenTally t =
      Charge(s, mem.consolidation_tier, kNoId, Trigger::kDreaming, scenario::Purpose::kOverhead, a.memory_tokens, kept);
  FeedBreakers(ctx, s, slot, scenario::CircuitBreaker::Metric::kTokensPerHour, static_cast<double>(t.total_tokens()));
  if (record_spans_) {
    const EmployeeId self = static_cast<EmployeeId>(&s - employees_.data());
    RecordInvocationSpan(s, self, slot, NewSpanId(s, self), dream_now_us, sc().tiers[mem.consolidation_tier].CallDurationUs(kept),
                         kSpanNameConsolidation, Trigger::kDreaming, scenario::Purpose::kOverhead, mem.consolidation_tier, t, kNoSpanId);
  }
  a.memory_tokens = std::max<int64_t>(kept, std::min(mem.min_tokens, a.memory_tokens));
}

void OrgModel::OnAgentEvent(Ctx& ctx, EmployeeState& s, scenario::Event event) {
  if (IsSeat(s)) {  // the seat's client wakes up for it instead (a `wait` returns)
    seats_[s.seat].triggers.push_back(SeatTrigger{ctx.now_us(), static_cast<uint32_t>(event)});
    return;
  }
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

bool OrgModel::AgentRead(Ctx& ctx, EmployeeState& s, uint32_t slot, scenario::SkillId skill, services::Action action) {
  if (!Offered(skill, action)) return false;
  AgentState& a = s.agents[slot];
  const EmployeeId self = ctx.lp();
  services::GateRequest req = AgentRequest(ctx, s, slot, action);
  AgentAction read;
  read.action = action;
  if (action == services::Action::kChatRead) {
    const uint32_t channel = TeamChannel(self);
    if (channel == kNoTarget) return false;
    req.target = ChannelTargetOf(channel);
    read.target = channel;
  } else {
    req.target.owner = self;
    req.target.team = world_->team_of_employee[self];
    read.target = self;
  }
  req.target.id = read.target;
  const services::GateResult g = Decide(s, req, &a.rates);
  // Reading is not worth a human's approval: an "ask" on a read counts as a denial.
  if (g.verdict != services::Verdict::kAllow) {
    Refuse(ctx, s, a.agent_id, read,
           g.verdict == services::Verdict::kRateLimited ? services::Decision::kRateLimited : services::Decision::kDenied,
           g.rule);
    return false;
  }
  ExecuteAgentAction(ctx, s, read, a.agent_id, services::Decision::kAllowed, g.rule);
  if (action == services::Action::kChatRead) s.chat_read_now = true;
  return true;
}

uint32_t OrgModel::Invoke(Ctx& ctx, EmployeeState& s, uint32_t slot, scenario::SkillId skill_id, Trigger trigger,
                          scenario::Purpose purpose, int64_t extra_input_tokens) {
  if (BudgetRefuses(s)) return 0;  // the platform refuses calls past the weekly budget
  AgentState& a = s.agents[slot];
  if (Paused(a, ctx.now_us())) return 0;  // a tripped breaker pauses every call
  struct InvokeFlag {
    bool& on;
    explicit InvokeFlag(bool& f) : on(f) { on = true; }
    ~InvokeFlag() { on = false; }
  } in_invoke(s.in_invoke);
  s.open_span = NewSpanId(s, ctx.lp());  // its reads and actions name it as their cause
  s.chat_read_now = false;
  const scenario::AgentProfile& p = sc().profiles[a.profile];
  const scenario::Skill& k = sc().skills[skill_id];
  engine::Rng& rng = s.agent_rng;
  const EmployeeId self = ctx.lp();
  const double err = ErrorProbability(p, k);
  const uint32_t max_items = static_cast<uint32_t>(std::max(0, k.max_items));
  // Code help: the person hands the agent the changes they trust it with, each in part
  // (AdoptionDynamics); the session scales with the share handed over.
  const bool code_help = k.kind == SkillKind::kCodeHelp;
  // Trust as the call starts: one decision per change for the whole call.
  const double trust = code_help ? CodeTrust(s, self, skill_id) : 0.0;
  const double handover = code_help ? sc().adoption.HandoverShare(trust) : 1.0;
  using services::Action;

  // 1. Read the source through the gate, then see what there is to work on.
  uint32_t items = 0;
  bool mail_ok = false, chat_ok = false;
  std::vector<uint32_t>& unread = scratch_slots_;
  unread.clear();
  auto count_queued = [&](TaskKind kind, uint32_t limit) {
    uint32_t n = 0;
    for (const Task& t : s.queues[static_cast<int>(kind)]) {
      if (n >= limit) break;
      if (t.state & kTaskHelped) continue;
      if (code_help && !DelegationOf(self, t, trust).delegated) continue;  // kept by the person
      ++n;
    }
    return n;
  };
  switch (k.kind) {
    case SkillKind::kEmailTriage:
      mail_ok = AgentRead(ctx, s, slot, skill_id, Action::kEmailRead);
      if (mail_ok) {
        s.mailbox.List(services::Mailbox::ListFilter::kUnread, max_items, &unread);
        items = static_cast<uint32_t>(unread.size());
      }
      break;
    case SkillKind::kChatAnswer:
      if (AgentRead(ctx, s, slot, skill_id, Action::kChatRead)) {
        items = static_cast<uint32_t>(std::min<size_t>(s.chat_unanswered.size(), max_items));
      }
      break;
    case SkillKind::kCodeHelp:
      // The change's review thread lives in the team channel.
      if (AgentRead(ctx, s, slot, skill_id, Action::kChatRead)) items = count_queued(TaskKind::kCode, max_items);
      break;
    case SkillKind::kDeployMonitor:
      // Pipeline and incident notices land in the team channel; work = failed pipelines
      // (rework) and incidents waiting for the owner.
      if (AgentRead(ctx, s, slot, skill_id, Action::kChatRead)) {
        items = count_queued(TaskKind::kRework, max_items);
        items += count_queued(TaskKind::kIncident, max_items - items);
      }
      break;
    case SkillKind::kDailyBriefing:
      mail_ok = AgentRead(ctx, s, slot, skill_id, Action::kEmailRead);
      chat_ok = AgentRead(ctx, s, slot, skill_id, Action::kChatRead);
      if (mail_ok) items += count_queued(TaskKind::kEmail, max_items);
      if (chat_ok) items += count_queued(TaskKind::kChat, max_items - items);
      break;
    case SkillKind::kDeployTrigger:
      items = 1;  // the caller hands it the change
      break;
    case SkillKind::kSummary:
      items = AgentRead(ctx, s, slot, skill_id, Action::kChatRead) ? 1 : 0;
      break;
  }
  // A detector screening tool outputs checks what was just read before the model sees it.
  if (sc().defenses.injection_detector.enabled && sc().defenses.injection_detector.screens_tool_outputs &&
      ToolOutputFlagged(ctx, s, k, items, trust, mail_ok, s.chat_read_now, unread)) {
    return 0;  // the call stops here
  }
  // Room left in a coding session: the person may hand it work nobody assigned.
  if (code_help && s.chat_read_now && items < max_items && sc().adoption.unassigned_changes_max > 0) {
    items += HandUnassigned(ctx, s, trust, max_items - items);
  }
  if (items == 0 && trigger == Trigger::kHeartbeat) return 0;  // the caller charges a quiet cycle
  if (items == 0 && code_help) return 0;  // nothing handed over: the person does not call it
  // Injections pasted into the channel it just read are now in its context.
  if (s.chat_read_now && !s.chat_injections.empty()) {
    s.seen_injections.insert(s.seen_injections.end(), s.chat_injections.begin(), s.chat_injections.end());
    s.chat_injections.clear();
  }

  // 2. The model call: its tokens are booked once its purpose is known.
  // Each turn of the call re-reads its context (capped by the context window). For code help
  // the skill's per-item context, turns and output are at full handover: a session given
  // part of a change holds that part of it in context and takes that share of the turns
  // and of the output, so its tokens grow with the square of the share handed over.
  const scenario::ModelTier& tier = sc().tiers[p.tier];
  // A session that runs alone longer (AdoptionDynamics.session_autonomy_reference_trust)
  // makes more turns over a context grown with them.
  const double autonomy = code_help ? sc().adoption.SessionAutonomy(trust) : 1.0;
  const int64_t item_context = code_help ? std::lround(static_cast<double>(k.input_tokens_per_item) * handover * autonomy)
                                         : static_cast<int64_t>(k.input_tokens_per_item);
  const int64_t context = std::min<int64_t>(tier.context_window_tokens,
                                            extra_input_tokens + k.base_input_tokens + (k.reads_memory ? a.memory_tokens : 0) +
                                                item_context * static_cast<int64_t>(items));
  const int64_t turns_per_item = code_help ? std::max<int64_t>(1, std::lround(static_cast<double>(k.turns_per_item) * handover * autonomy))
                                           : static_cast<int64_t>(k.turns_per_item);
  const int64_t output_per_item =
      code_help ? std::lround(static_cast<double>(k.output_tokens) * handover) : static_cast<int64_t>(k.output_tokens);
  const int64_t turns = std::max<int64_t>(1, turns_per_item * items);
  // A detector screening tool outputs screens what each later turn of a multi-turn session
  // reads too (a file, a test run): a false alarm stops the session at that turn, its tokens
  // spent so far and its work left with the person.
  int64_t turns_run = turns;
  const scenario::InjectionDetector& det = sc().defenses.injection_detector;
  if (items > 0 && turns_per_item > 1 && det.enabled && det.screens_tool_outputs) {
    const int64_t later = (turns_per_item - 1) * static_cast<int64_t>(items);
    const int64_t cleared = SessionOutputsCleared(ctx, s, later);
    if (cleared < later) turns_run = items + cleared;
  }
  const bool stopped = turns_run < turns;
  const int64_t input = context * turns_run;
  // Output per item; a call that found nothing answers as briefly as a quiet heartbeat.
  const int64_t output = items == 0 ? p.heartbeat.quiet_output_tokens
                         : stopped  ? output_per_item * items * turns_run / turns
                                    : output_per_item * items;
  s.open_call = s.next_call++;
  s.open_call_duration_us = tier.CallDurationUs(output) + tier.latency_us * (turns_run - 1);
  OpenCall call;
  call.id = s.open_call;
  call.tier = p.tier;
  call.skill = skill_id;
  call.trigger = trigger;
  call.declared = purpose;
  call.input_tokens = input;
  call.output_tokens = output;
  call.slot = slot;
  call.start_us = ctx.now_us();
  call.duration_us = s.open_call_duration_us;
  call.span_id = s.open_span;
  if (k.kind == SkillKind::kEmailTriage && !unread.empty()) call.item_id = ItemId(self, ItemKind::kMail, unread[0]);
  // A tool filter sees whom each listed mail is from, not whether it is spam or an injection:
  // any mail from outside makes answering outside part of the task.
  for (uint32_t mail_slot : unread) {
    const Task* mail = s.FindQueued(TaskKind::kEmail, mail_slot);
    if (mail != nullptr && (mail->flags & kMailExternal)) call.replies_outside = true;
  }
  s.calls.push_back(call);
  FeedBreakers(ctx, s, slot, scenario::CircuitBreaker::Metric::kTokensPerHour, static_cast<double>(input + output));
  a.memory_tokens = std::min(p.memory.max_tokens, a.memory_tokens + p.memory.tokens_per_invocation);
  if (k.kind == SkillKind::kDeployTrigger) return items;  // the caller decides and calls FinishInvoke
  if (stopped) {
    // Flagged mid-session: it does nothing more. Injections it had read count as read.
    s.safety.injections_read += s.seen_injections.size();
    s.seen_injections.clear();
    if (code_help) LeaveHandedChanges(self, s, items, trust);
    FinishInvoke(s);
    return items;
  }

  // 3. What it does with them. Help changes real queued tasks, once per item, when the
  // output exists: at once for the change the person is starting and waits for, at the
  // call's end for the others (if the person has not started them by then).
  const bool waiting = s.starting_task;
  auto help = [&](Task& t, const Delegation& d) {
    t.state |= kTaskHelped;
    if (waiting && t.kind == TaskKind::kCode && &t == &s.queues[static_cast<int>(TaskKind::kCode)].front()) {
      const HelpEffect h = HelpOf(self, k, d.handover_share, d.suitability, HumanMinutes(s, self, t), call.duration_us);
      if (ApplyHelp(s, self, t, h)) MarkUseful(s, call.id);
      if (code_help) RecordCodeOutcome(s, skill_id, h.SeenAsPayingOff(sc().adoption.idle_cost_noticed));
      return;
    }
    ScheduleCallDone(ctx, s);
    s.helps.push_back(PendingHelp{call.id, t.kind, t.ref, skill_id, d.handover_share, d.suitability});
    if (OpenCall* c = FindCall(s, call.id)) ++c->outstanding;
  };
  auto help_queued = [&](TaskKind kind, uint32_t limit, bool introduce_defects) {
    uint32_t n = 0;
    for (Task& t : s.queues[static_cast<int>(kind)]) {
      if (n >= limit) break;
      if (t.state & kTaskHelped) continue;
      Delegation d;
      if (code_help) {
        d = DelegationOf(self, t, trust);
        if (!d.delegated) continue;
        ++s.code_trust[code_help_index_[skill_id]].delegated;
      }
      ++n;
      if (t.flags & kMailInjection && kind == TaskKind::kEmail) {
        // The briefing read an injection email: it is in the call's context now.
        t.state |= kTaskHelped;
        s.seen_injections.push_back(SeenInjection{t.other, ItemId(self, ItemKind::kMail, t.ref),
                                                  (t.flags & kMailExternal) ? InjectionRoute::kBriefing
                                                                            : InjectionRoute::kForward});
        continue;
      }
      if (rng.Bernoulli(err)) {
        ++s.m.agent_errors;
        FeedBreakers(ctx, s, slot, scenario::CircuitBreaker::Metric::kErrors, 1);
        t.state |= kTaskHelped;
        t.state &= ~kTaskAwaitingAgent;  // nothing of use comes back: the person takes it on
        // Plausible-looking but wrong code; a change already defective stays the author's defect.
        if (introduce_defects && !(t.state & kTaskDefective)) t.state |= kTaskDefective | kTaskAgentDefect;
        if (k.error_effect == scenario::ErrorEffect::kMissedAlert) {
          Enqueue(ctx, s, FixTask(k.error_cost_minutes, ctx.now_us()));
        }
        if (code_help) RecordCodeOutcome(s, skill_id, false);  // the agent got the change wrong
        continue;
      }
      help(t, d);
    }
    return n;
  };

  switch (k.kind) {
    case SkillKind::kEmailTriage:
      for (uint32_t i = 0; i < items; ++i) {
        const uint32_t mail_slot = unread[i];
        s.mailbox.Read(mail_slot);
        Task* pending = s.FindQueued(TaskKind::kEmail, mail_slot);
        if (pending == nullptr) continue;  // the human got there first
        const Task mail = *pending;
        if (mail.flags & kMailInjection) {
          // It reads the attacker's text (it may follow it, below) and files the mail away.
          s.seen_injections.push_back(SeenInjection{mail.other, ItemId(self, ItemKind::kMail, mail_slot),
                                                    (mail.flags & kMailExternal) ? InjectionRoute::kTriage
                                                                                 : InjectionRoute::kForward});
          s.mailbox.Archive(mail_slot);
          Task removed;
          s.TakeQueued(TaskKind::kEmail, mail_slot, &removed);
          continue;
        }
        if (rng.Bernoulli(err)) {
          ++s.m.agent_errors;
          FeedBreakers(ctx, s, slot, scenario::CircuitBreaker::Metric::kErrors, 1);
          switch (k.error_effect) {
            case scenario::ErrorEffect::kMissedItem:
            case scenario::ErrorEffect::kNoEffect: break;
            case scenario::ErrorEffect::kWrongRecipient:
              // Forwarded outside by mistake: sensitive content leaks if the gate lets it out.
              Defer(ctx, s, slot, {Action::kEmailSendExternal, mail, true, mail.other, k.error_cost_minutes, 0, {}});
              break;
            default:
              Defer(ctx, s, slot, {ReplyAction(mail), mail, true, mail.other, k.error_cost_minutes, 0, {}});
          }
          continue;
        }
        if (mail.flags & kMailSpam) {
          s.mailbox.Label(mail_slot, services::kLabelSpam);
          s.mailbox.Archive(mail_slot);
          Task removed;
          s.TakeQueued(TaskKind::kEmail, mail_slot, &removed);  // the human never sees it
          CreditSaving(s, HumanMinutes(s, self, removed));
          MarkUseful(s, call.id);
          continue;
        }
        s.mailbox.Label(mail_slot, services::kLabelLegitimate);
        Defer(ctx, s, slot, {ReplyAction(mail), mail, false, mail.other, k.error_cost_minutes, 0, {}});
      }
      break;
    case SkillKind::kChatAnswer: {
      const uint32_t channel = TeamChannel(self);
      for (uint32_t i = 0; i < items; ++i) {
        const Task ask = s.chat_unanswered.front();
        s.chat_unanswered.pop_front();
        if (s.FindQueued(TaskKind::kChat, ask.ref) == nullptr) continue;
        const bool bad = rng.Bernoulli(err);
        if (bad) {
          ++s.m.agent_errors;
          FeedBreakers(ctx, s, slot, scenario::CircuitBreaker::Metric::kErrors, 1);
        }
        if (channel != kNoTarget) Defer(ctx, s, slot, {Action::kChatPost, ask, bad, channel, k.error_cost_minutes, 0, {}});
      }
      break;
    }
    case SkillKind::kCodeHelp:
      help_queued(TaskKind::kCode, items, /*introduce_defects=*/true);
      break;
    case SkillKind::kDeployMonitor: {
      // Incidents a change caused: roll the change back (deploy.rollback), so the responder
      // need not. Then diagnosis help on failed pipelines and the other incidents.
      uint32_t n = 0;
      for (Task& t : s.queues[static_cast<int>(TaskKind::kIncident)]) {
        if (n >= items || t.flags != 1 || (t.state & kTaskHelped)) continue;
        ++n;
        t.flags = 0;  // the agent takes the rollback over
        t.state |= kTaskHelped;
        const bool bad = rng.Bernoulli(err);
        if (bad) {
          ++s.m.agent_errors;
          FeedBreakers(ctx, s, slot, scenario::CircuitBreaker::Metric::kErrors, 1);
        }
        Defer(ctx, s, slot, {Action::kDeployRollback, t, bad, t.ref, k.error_cost_minutes, 0, {}});
      }
      n += help_queued(TaskKind::kRework, items - std::min(items, n), false);
      help_queued(TaskKind::kIncident, items - std::min(items, n), false);
      break;
    }
    case SkillKind::kDailyBriefing: {
      uint32_t n = mail_ok ? help_queued(TaskKind::kEmail, items, false) : 0;
      if (chat_ok) help_queued(TaskKind::kChat, items - std::min(items, n), false);
      break;
    }
    case SkillKind::kDeployTrigger:
      break;
    case SkillKind::kSummary: {
      // A summary nobody asked for, posted where the team has to scroll past it.
      const uint32_t channel = TeamChannel(self);
      if (channel != kNoTarget) {
        Task noise;
        noise.kind = TaskKind::kChat;
        noise.flags = kPostNoise;
        noise.ref = kNoTarget;
        Defer(ctx, s, slot, {Action::kChatPost, noise, false, channel, 0, 0, {}});
      }
      break;
    }
  }
  MaliciousWork(ctx, s, slot, skill_id);
  FinishInvoke(s);
  return items;
}

thread_local std::vector<uint32_t> OrgModel::scratch_slots_;

}  // namespace clawsim::model
