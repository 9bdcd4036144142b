#include "mock_services/services_world.h"

#include <algorithm>
#include <string>

namespace clawsim::services {

using engine::TimeUs;

namespace {

uint64_t RequestId(engine::LpId lp, uint32_t n) { return (uint64_t{lp} << 32) | n; }
uint64_t ChatObjectId(ChannelId c, uint32_t message) { return (uint64_t{c + 1} << 32) | message; }
uint64_t RunObjectId(ServiceId s, size_t run_index) { return (uint64_t{s + 1} << 32) | run_index; }

Decision FromVerdict(Verdict v) { return v == Verdict::kRateLimited ? Decision::kRateLimited : Decision::kDenied; }

}  // namespace

ServicesWorld::ServicesWorld(const WorldOptions& options, const Policy& policy, const ServiceCatalog& catalog)
    : options_(options), policy_(policy), catalog_(catalog) {
  const uint32_t teams = std::max<uint32_t>(options_.teams, 1);
  for (EmployeeId e = 0; e < options_.employees; ++e) {
    team_of_.push_back(e % teams);
    role_of_.push_back(e % 4 == 3 ? 1 : 0);
  }
  employees_.resize(options_.employees);
  for (EmployeeId e = 0; e < options_.employees; ++e) {
    EmployeeLp& lp = employees_[e];
    lp.mailbox = Mailbox(e);
    lp.human_rates = policy_.MakeRateState();
    lp.agent_rates.assign(options_.agents_per_employee, policy_.MakeRateState());
    lp.audit = AuditLog(e);
  }
  for (ChannelId c = 0; c < num_channels(); ++c) {
    const bool company = c == options_.teams;
    std::vector<EmployeeId> members;
    for (EmployeeId e = 0; e < options_.employees; ++e) {
      if (company || team_of_[e] == c) members.push_back(e);
    }
    channels_.push_back({Channel(c, company ? ChannelKind::kCompany : ChannelKind::kTeam, company ? kNoId : c,
                                 std::move(members), team_of_),
                         AuditLog(channel_lp(c))});
  }
  for (ServiceId s = 0; s < catalog_.size(); ++s) services_.push_back({ServiceState(s), AuditLog(service_lp(s)), {}});
}

Status ServicesWorld::Validate() const {
  const WorldOptions& o = options_;
  if (o.employees == 0 || o.teams == 0 || o.teams > o.employees) {
    return Status::Error("world: need employees > 0 and 0 < teams <= employees");
  }
  if (o.agents_per_employee == 0) return Status::Error("world: agents_per_employee must be > 0");
  if (o.lookahead_us <= 0 || o.mean_action_gap_us <= 0) return Status::Error("world: lookahead_us and mean_action_gap_us must be > 0");
  if (o.weight_email_send + o.weight_email_triage + o.weight_chat_post + o.weight_chat_read + o.weight_deploy <= 0) {
    return Status::Error("world: the workload weights must not all be 0");
  }
  if (o.weight_deploy > 0 && catalog_.size() == 0) return Status::Error("world: weight_deploy > 0 needs services");
  if (o.external_domains == 0) return Status::Error("world: external_domains must be > 0");
  for (Status s : {o.email.Validate(o.lookahead_us), o.chat.Validate(), o.deploy.Validate(o.lookahead_us),
                   o.approval.Validate(), o.calendar.Validate()}) {
    if (!s.ok()) return s;
  }
  for (size_t i = 0; i < policy_.rules().size(); ++i) {
    const Rule& r = policy_.rules()[i];
    if (r.mode == Mode::kAsk && r.approver != kNoId && r.approver >= o.employees) {
      return Status::Error("world: policy rule " + std::to_string(i) + " names approver " + std::to_string(r.approver) +
                           ", but there are only " + std::to_string(o.employees) + " employees");
    }
  }
  return Status::Ok();
}

engine::EngineOptions ServicesWorld::MakeEngineOptions(uint64_t seed, int threads) const {
  engine::EngineOptions o;
  o.num_lps = num_lps();
  o.lookahead_us = options_.lookahead_us;
  o.seed = seed;
  o.threads = threads;
  return o;
}

void ServicesWorld::Start(engine::Engine<ServicesWorld>& engine) {
  for (EmployeeId e = 0; e < options_.employees; ++e) {
    const TimeUs first = engine::SecondsToUs(engine.lp_rng(e).Exponential(engine::UsToSeconds(options_.mean_action_gap_us)));
    engine.Schedule(e, first, kTick);
  }
}

void ServicesWorld::Record(Ctx& ctx, AuditLog& log, uint64_t request_id, const Actor& actor, Action action,
                           uint32_t target, Decision d, Outcome o, uint16_t rule, uint64_t object_id) {
  AuditRecord r;
  r.time_us = ctx.now_us();
  r.request_id = request_id;
  r.object_id = object_id;
  r.agent = actor.agent;
  r.on_behalf_of = actor.employee;
  r.target = target;
  r.rule = rule;
  r.action = action;
  r.decision = d;
  r.outcome = o;
  log.Append(r);
  ctx.FoldFingerprint(HashAuditRecord(log.records().back()));
}

void ServicesWorld::Handle(Ctx& ctx, const Ev& ev) {
  const engine::LpId lp = ctx.lp();
  if (lp < options_.employees) {
    EmployeeLp& me = employees_[lp];
    switch (ev.kind) {
      case kTick: OnTick(ctx, me); return;
      case kDeliverEmail: me.mailbox.Deliver(std::get<EmailHeader>(ev.payload), ctx.now_us()); return;
      case kApprovalAsk:
        me.approvals.Enqueue(std::get<ApprovalRequest>(ev.payload), ctx.now_us());
        PollApprovals(ctx, me);
        return;
      case kApprovalWake: PollApprovals(ctx, me); return;
      case kReviewDone: {
        const ApprovalVerdict v = me.approvals.CompleteReview(ctx.now_us(), options_.approval, ctx.rng());
        ctx.Send(v.request.reply_lp, options_.lookahead_us, kApprovalAnswer, AskAnswer{v.request.request_id, v.approved});
        PollApprovals(ctx, me);
        return;
      }
      case kApprovalAnswer: {
        const AskAnswer& a = std::get<AskAnswer>(ev.payload);
        OnAnswer(ctx, me, a.request_id, a.approved, false);
        return;
      }
      case kApprovalTimeout: OnAnswer(ctx, me, std::get<uint64_t>(ev.payload), false, true); return;
      case kApprovalCancel: me.approvals.Cancel(std::get<uint64_t>(ev.payload)); return;
    }
  } else if (lp < options_.employees + num_channels()) {
    if (ev.kind == kChatRequest) return OnChat(ctx, channels_[lp - options_.employees], std::get<ChatCmd>(ev.payload));
  } else {
    ServiceLp& svc = services_[lp - options_.employees - num_channels()];
    svc.effects.Clear();
    switch (ev.kind) {
      case kDeployRequest: OnDeploy(ctx, svc, std::get<DeployCmd>(ev.payload)); return;
      case kDeployStep: svc.state.OnStep(ctx.now_us(), catalog_, options_.deploy, ctx.rng(), &svc.effects); break;
      case kIncidentRestore: svc.state.OnRestore(std::get<uint32_t>(ev.payload), ctx.now_us()); break;
      case kIncidentSpread:
        svc.state.OnUpstreamIncident(std::get<IncidentSignal>(ev.payload), ctx.now_us(), catalog_, options_.deploy,
                                     ctx.rng(), &svc.effects);
        break;
      default: break;
    }
    ApplyEffects(ctx, svc);
    return;
  }
  ctx.Fail("ServicesWorld: unexpected event kind " + std::to_string(ev.kind));
}

// --- requester side ----------------------------------------------------------------------

void ServicesWorld::OnTick(Ctx& ctx, EmployeeLp& me) {
  const EmployeeId self = ctx.lp();
  const TimeUs gap = engine::SecondsToUs(ctx.rng().Exponential(engine::UsToSeconds(options_.mean_action_gap_us)));
  if (ctx.now_us() + gap < options_.stop_requests_at_us) ctx.SendSelf(gap, kTick);

  PendingAction a;
  bool should_approve = true;
  if (!BuildAction(ctx, me, &a, &should_approve)) return;
  const uint64_t request_id = RequestId(self, me.next_request++);
  ++me.issued;
  RateState* agent_rates =
      a.actor.agent == kNoId ? nullptr : &me.agent_rates[a.actor.agent % options_.agents_per_employee];
  const GateResult g = policy_.Decide(GateRequest{a.actor, a.action, a.target, ctx.now_us()}, agent_rates, &me.human_rates);
  switch (g.verdict) {
    case Verdict::kAllow: Execute(ctx, me, request_id, a, Decision::kAllowed, g.rule); return;
    case Verdict::kAsk: {
      a.approver = g.approver;
      a.ask_rule = g.rule;
      me.pending.Add(request_id, ctx.now_us(), a);
      ApprovalRequest req;
      req.request_id = request_id;
      req.reply_lp = self;
      req.should_approve = should_approve;
      req.action = a.action;
      ctx.Send(g.approver, options_.lookahead_us, kApprovalAsk, req);
      if (options_.approval.timeout_us > 0) ctx.SendSelf(options_.approval.timeout_us, kApprovalTimeout, request_id);
      return;
    }
    case Verdict::kDeny:
    case Verdict::kRateLimited:
      Record(ctx, me.audit, request_id, a.actor, a.action, a.target.id, FromVerdict(g.verdict), Outcome::kNotExecuted,
             g.rule, 0);
      return;
  }
}

// Draws the next action of this employee or one of their agents. Returns false when there
// is nothing to do (for example a reply with an empty mailbox is turned into a new mail, so
// this only happens for malformed weights).
bool ServicesWorld::BuildAction(Ctx& ctx, EmployeeLp& me, PendingAction* a, bool* should_approve) {
  engine::Rng& rng = ctx.rng();
  const EmployeeId self = ctx.lp();
  const WorldOptions& o = options_;
  a->actor.employee = self;
  a->actor.role = role_of_[self];
  a->actor.team = team_of_[self];
  if (rng.Bernoulli(o.p_by_agent)) {
    const uint32_t k = static_cast<uint32_t>(rng.UniformInt(o.agents_per_employee));
    a->actor.agent = self * o.agents_per_employee + k;
    a->actor.profile = k;
  }
  const double weights[] = {o.weight_email_send, o.weight_email_triage, o.weight_chat_post, o.weight_chat_read,
                            o.weight_deploy};
  double total = 0;
  for (double w : weights) total += w;
  double u = rng.Uniform01() * total;
  int choice = 0;
  while (choice < 4 && u >= weights[choice]) u -= weights[choice++];
  const bool sensitive = rng.Bernoulli(o.p_sensitive);
  switch (choice) {
    case 0: {  // email send: reply, forward outside, or new
      const uint32_t have = static_cast<uint32_t>(me.mailbox.entries().size());
      const double r = rng.Uniform01();
      bool built = false;
      if (have > 0 && r < o.p_reply) {
        built = me.mailbox.BuildReply(static_cast<uint32_t>(rng.UniformInt(have)), 200, kLabelLegitimate,
                                      a->actor.agent, &a->email);
      } else if (have > 0 && r < o.p_reply + o.p_forward) {
        const Recipient out = Recipient::Domain(static_cast<DomainId>(rng.UniformInt(o.external_domains)));
        built = me.mailbox.BuildForward(static_cast<uint32_t>(rng.UniformInt(have)), {&out, 1}, a->actor.agent, &a->email);
      }
      if (!built) {
        a->email = SendSpec{};
        a->email.agent = a->actor.agent;
        a->email.size_tokens = 100 + static_cast<uint32_t>(rng.UniformInt(900));
        a->email.labels = static_cast<uint8_t>(kLabelLegitimate | (sensitive ? kLabelSensitive : 0));
        const uint32_t n = 1 + static_cast<uint32_t>(rng.UniformInt(2));
        for (uint32_t i = 0; i < n; ++i) a->email.Add(Recipient::Employee(static_cast<EmployeeId>(rng.UniformInt(o.employees))));
        if (rng.Bernoulli(o.p_external)) a->email.Add(Recipient::Domain(static_cast<DomainId>(rng.UniformInt(o.external_domains))));
      }
      a->action = SendAction(a->email);
      a->target = SendTarget(self, a->email, team_of_);
      *should_approve = !(a->action == Action::kEmailSendExternal && (a->email.labels & kLabelSensitive));
      return true;
    }
    case 1:  // triage: read (and label, archive) the oldest unread message of one's own mailbox
      a->action = Action::kEmailRead;
      a->target = Target{self, self, team_of_[self], 0, false};
      return true;
    case 2:
    case 3: {  // chat post or read, mostly in one's own team or the company channel
      ChannelId c = rng.Bernoulli(0.5) ? team_of_[self] : o.teams;
      if (rng.Bernoulli(o.p_other_team_channel)) c = static_cast<ChannelId>(rng.UniformInt(o.teams));
      a->channel = c;
      const ChannelKind kind = c == o.teams ? ChannelKind::kCompany : ChannelKind::kTeam;
      a->target = ChannelTarget(c, kind, c == o.teams ? kNoId : c);
      a->chat.agent = a->actor.agent;
      a->chat.on_behalf_of = self;
      a->chat.read = choice == 3;
      a->action = a->chat.read ? Action::kChatRead : Action::kChatPost;
      ChatPost& p = a->chat.post;
      p.poster = self;
      p.agent = a->actor.agent;
      p.size_tokens = 20 + static_cast<uint32_t>(rng.UniformInt(200));
      p.audience_team = sensitive ? team_of_[self] : kAnyId;
      p.needed = a->actor.agent == kNoId || rng.Bernoulli(o.p_needed);
      if (rng.Bernoulli(0.3)) {
        p.mentions[0] = static_cast<EmployeeId>(rng.UniformInt(o.employees));
        p.num_mentions = 1;
      }
      *should_approve = !(sensitive && kind == ChannelKind::kCompany);
      return true;
    }
    default: {  // deploy, to staging or prod, or a rollback
      const ServiceId s = static_cast<ServiceId>(rng.UniformInt(catalog_.size()));
      a->service = s;
      a->target = catalog_.AsTarget(s, ctx.now_us());
      DeployRequest& req = a->deploy.request;
      const double r = rng.Uniform01();
      req.kind = r < o.p_rollback ? DeployKind::kRollback : (r < o.p_rollback + o.p_to_prod ? DeployKind::kToProd : DeployKind::kToStaging);
      req.change.change_id = RequestId(self, me.next_request);  // unique: the request id it will get
      req.change.quality = o.min_change_quality + (1 - o.min_change_quality) * rng.Uniform01();
      req.change.author = self;
      req.change.agent = a->actor.agent;
      a->deploy.agent = a->actor.agent;
      a->deploy.on_behalf_of = self;
      a->action = req.kind == DeployKind::kRollback ? Action::kDeployRollback
                  : req.kind == DeployKind::kToProd ? Action::kDeployProd
                                                    : Action::kDeployStaging;
      *should_approve = req.kind == DeployKind::kRollback || req.change.quality >= 0.5;
      return true;
    }
  }
}

// Carries out an admitted request: email at once (the mailbox is here), chat and deploy by
// an event to the channel's or service's LP, which writes the audit record.
void ServicesWorld::Execute(Ctx& ctx, EmployeeLp& me, uint64_t request_id, const PendingAction& a, Decision d,
                            uint16_t rule) {
  switch (a.action) {
    case Action::kEmailRead: {
      me.scratch_slots.clear();
      uint64_t object = 0;
      if (me.mailbox.List(Mailbox::ListFilter::kUnread, 1, &me.scratch_slots) == 1) {
        const uint32_t slot = me.scratch_slots[0];
        const MailboxEntry* e = me.mailbox.Read(slot);
        object = e->header.id;
        // The reader labels what they think it is: right most of the time.
        me.mailbox.Label(slot, ctx.rng().Bernoulli(0.9) ? e->header.labels : uint8_t{kLabelLegitimate});
        me.mailbox.Archive(slot);
      }
      Record(ctx, me.audit, request_id, a.actor, a.action, a.target.id, d, Outcome::kDone, rule, object);
      return;
    }
    case Action::kEmailSendInternal:
    case Action::kEmailSendExternal: {
      SendOutput out;
      const Mailbox::SendStatus s = me.mailbox.Send(a.email, options_.email, ctx.now_us(), ctx.rng(), &out);
      if (s != Mailbox::SendStatus::kSent) {
        const bool limited = s == Mailbox::SendStatus::kRateLimited;
        Record(ctx, me.audit, request_id, a.actor, a.action, a.target.id, limited ? Decision::kRateLimited : d,
               limited ? Outcome::kNotExecuted : Outcome::kServiceRefused, limited ? kServiceRule : rule, 0);
        return;
      }
      for (uint8_t i = 0; i < out.num_deliveries; ++i) {
        const Delivery& dl = out.deliveries[i];
        ctx.Send(dl.to, dl.deliver_at_us - ctx.now_us(), kDeliverEmail, dl.header);
      }
      Record(ctx, me.audit, request_id, a.actor, a.action, a.target.id, d,
             out.num_leaks > 0 ? Outcome::kDataLeaked : Outcome::kDone, rule, out.message_id);
      return;
    }
    case Action::kChatRead:
    case Action::kChatPost: {
      ChatCmd cmd = a.chat;
      cmd.request_id = request_id;
      cmd.decision = d;
      cmd.rule = rule;
      ctx.Send(channel_lp(a.channel), options_.lookahead_us, kChatRequest, cmd);
      return;
    }
    default: {
      DeployCmd cmd = a.deploy;
      cmd.request.request_id = request_id;
      cmd.decision = d;
      cmd.rule = rule;
      ctx.Send(service_lp(a.service), options_.lookahead_us, kDeployRequest, cmd);
      return;
    }
  }
}

void ServicesWorld::OnAnswer(Ctx& ctx, EmployeeLp& me, uint64_t request_id, bool approved, bool timed_out) {
  std::optional<PendingAsks<PendingAction>::Entry> e = me.pending.Take(request_id);
  if (!e) return;  // already resolved by the other of answer and timeout
  const PendingAction& a = e->spec;
  // Withdraw it from the approver's queue, so nobody spends time on a settled request.
  if (timed_out) ctx.Send(a.approver, options_.lookahead_us, kApprovalCancel, request_id);
  if (approved || (timed_out && options_.approval.auto_approve_on_timeout)) {
    Execute(ctx, me, request_id, a, timed_out ? Decision::kAutoApproved : Decision::kApproved, a.ask_rule);
    return;
  }
  Record(ctx, me.audit, request_id, a.actor, a.action, a.target.id, timed_out ? Decision::kExpired : Decision::kRejected,
         Outcome::kNotExecuted, a.ask_rule, 0);
}

// --- approver side -----------------------------------------------------------------------

void ServicesWorld::PollApprovals(Ctx& ctx, EmployeeLp& me) {
  const ApprovalQueue::Step step = me.approvals.Poll(ctx.now_us(), options_.calendar, options_.approval);
  if (step.kind == ApprovalQueue::Step::kWakeAt) ctx.SendSelf(step.at_us - ctx.now_us(), kApprovalWake);
  if (step.kind == ApprovalQueue::Step::kReviewDoneAt) ctx.SendSelf(step.at_us - ctx.now_us(), kReviewDone);
}

// --- channel and service side ------------------------------------------------------------

void ServicesWorld::OnChat(Ctx& ctx, ChannelLp& ch, const ChatCmd& cmd) {
  Actor actor;
  actor.agent = cmd.agent;
  actor.employee = cmd.on_behalf_of;
  const Action action = cmd.read ? Action::kChatRead : Action::kChatPost;
  if (cmd.read) {
    const Channel::ReadResult r = ch.channel.Read(cmd.on_behalf_of);
    Record(ctx, ch.audit, cmd.request_id, actor, action, ch.channel.id(), cmd.decision,
           r.status == ChatStatus::kOk ? Outcome::kDone : Outcome::kServiceRefused, cmd.rule, 0);
    return;
  }
  const Channel::PostResult r = ch.channel.Post(cmd.post, ctx.now_us(), options_.chat);
  if (r.status == ChatStatus::kRateLimited) {
    Record(ctx, ch.audit, cmd.request_id, actor, action, ch.channel.id(), Decision::kRateLimited, Outcome::kNotExecuted,
           kServiceRule, 0);
    return;
  }
  const Outcome o = r.status != ChatStatus::kOk ? Outcome::kServiceRefused
                    : r.exposed_readers > 0     ? Outcome::kExposed
                                                : Outcome::kDone;
  Record(ctx, ch.audit, cmd.request_id, actor, action, ch.channel.id(), cmd.decision, o, cmd.rule,
         r.status == ChatStatus::kOk ? ChatObjectId(ch.channel.id(), r.message_id) : 0);
}

void ServicesWorld::OnDeploy(Ctx& ctx, ServiceLp& svc, const DeployCmd& cmd) {
  Actor actor;
  actor.agent = cmd.agent;
  actor.employee = cmd.on_behalf_of;
  const Action action = cmd.request.kind == DeployKind::kRollback ? Action::kDeployRollback
                        : cmd.request.kind == DeployKind::kToProd ? Action::kDeployProd
                                                                  : Action::kDeployStaging;
  const ServiceState::RequestStatus s =
      svc.state.Request(cmd.request, catalog_, options_.deploy, ctx.now_us(), ctx.rng(), &svc.effects);
  const bool started = s == ServiceState::RequestStatus::kStarted;
  const uint64_t object =
      started && action != Action::kDeployRollback ? RunObjectId(svc.state.id(), svc.state.runs_started() - 1) : 0;
  Record(ctx, svc.audit, cmd.request.request_id, actor, action, svc.state.id(), cmd.decision,
         started ? Outcome::kStarted : Outcome::kServiceRefused, cmd.rule, object);
  ApplyEffects(ctx, svc);
}

void ServicesWorld::ApplyEffects(Ctx& ctx, ServiceLp& svc) {
  const DeployEffects& fx = svc.effects;
  const TimeUs now = ctx.now_us();
  if (fx.step_at_us >= 0) ctx.SendSelf(fx.step_at_us - now, kDeployStep);
  for (const DeployEffects::Restore& r : fx.restores) ctx.SendSelf(r.at_us - now, kIncidentRestore, r.incident_index);
  for (const DeployEffects::Spread& s : fx.spreads) ctx.Send(service_lp(s.to), s.at_us - now, kIncidentSpread, s.signal);
}

// --- after the run -----------------------------------------------------------------------

void ServicesWorld::RecordOpenAsks(TimeUs now_us) {
  for (EmployeeLp& me : employees_) {
    for (const auto& [id, entry] : me.pending.entries()) {
      AuditRecord r;
      r.time_us = now_us;
      r.request_id = id;
      r.agent = entry.spec.actor.agent;
      r.on_behalf_of = entry.spec.actor.employee;
      r.target = entry.spec.target.id;
      r.rule = entry.spec.ask_rule;
      r.action = entry.spec.action;
      r.decision = Decision::kOpenAtEnd;
      me.audit.Append(r);
    }
    me.pending = PendingAsks<PendingAction>();
  }
}

std::vector<AuditRecord> ServicesWorld::MergedAudit() const {
  std::vector<const AuditLog*> logs;
  for (const EmployeeLp& e : employees_) logs.push_back(&e.audit);
  for (const ChannelLp& c : channels_) logs.push_back(&c.audit);
  for (const ServiceLp& s : services_) logs.push_back(&s.audit);
  return MergeAuditLogs(logs);
}

WorldSummary ServicesWorld::Summary() const {
  WorldSummary s;
  const std::vector<AuditRecord> all = MergedAudit();
  s.audit = CountAudit(all);
  for (const EmployeeLp& e : employees_) {
    s.requests += e.issued;
    s.open_asks += e.pending.size();
    s.emails_sent += e.mailbox.stats().sent;
    s.emails_delivered += e.mailbox.stats().delivered;
    s.leaks += e.mailbox.leaks().size();
    s.reviews += e.approvals.stats().reviews;
    s.wrong_approvals += e.approvals.stats().wrong_approvals;
    s.wrong_rejections += e.approvals.stats().wrong_rejections;
  }
  for (const ChannelLp& c : channels_) {
    s.chat_messages += c.channel.messages().size();
    s.exposures += c.channel.exposures().size();
    s.bot_noise += c.channel.stats().bot_noise;
  }
  for (const ServiceLp& v : services_) {
    s.pipeline_runs += v.state.runs_started();
    s.prod_deploys += v.state.stats().deploys_to_prod;
    s.rollbacks += v.state.stats().rollbacks;
    s.incidents_root += v.state.stats().incidents_root;
    s.incidents_spread += v.state.stats().incidents_spread;
  }
  return s;
}

}  // namespace clawsim::services
