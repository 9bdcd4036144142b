// Threats and defenses on the employee LP.
//
// Threats act only through agents and only through the gate: an injection email is followed
// (or not) when an agent reads it; a compromised session and a malicious skill attempt their
// goal's action like any other agent action, so least-privilege tools, the permission
// policy, approvals and circuit breakers all get their chance to stop it. What an admitted
// malicious action does is in ExecuteAttack; every draw comes from the employee's threat
// stream, so a run with an attack does the same work and the same ordinary agent decisions
// as the run without it until an attack changes something.
#include <algorithm>
#include <array>
#include <cmath>

#include "sim/engine/hash.h"
#include "sim/model/org_model.h"

namespace clawsim::model {
namespace {

using scenario::AttackGoal;
using Metric = scenario::CircuitBreaker::Metric;

// Size of a phishing post or a pasted injection, tokens (as a chat message).
constexpr uint32_t kAttackMailTokens = 400;

}  // namespace

const char* AttackKindName(AttackKind k) {
  switch (k) {
    case AttackKind::kNone: return "none";
    case AttackKind::kInjection: return "injection";
    case AttackKind::kCompromise: return "compromise";
    case AttackKind::kMaliciousSkill: return "malicious_skill";
  }
  return "unknown";
}

std::vector<AttackSource> AttackSources(const scenario::CompiledScenario& sc) {
  std::vector<AttackSource> out;
  for (const scenario::InjectionCampaign& c : sc.threats.injection_campaigns) out.push_back({AttackKind::kInjection, c.name});
  for (const scenario::AgentCompromise& c : sc.threats.compromised_agents) out.push_back({AttackKind::kCompromise, c.name});
  for (const scenario::MaliciousSkill& m : sc.threats.malicious_skills) {
    out.push_back({AttackKind::kMaliciousSkill, m.skill == kNoId ? "" : sc.skills[m.skill].name});
  }
  return out;
}

void OrgModel::CountCampaignTargets() {
  const scenario::CompiledScenario& s = *world_->scenario;
  campaign_targets_.assign(s.threats.injection_campaigns.size(), 0);
  for (uint32_t c = 0; c < campaign_targets_.size(); ++c) {
    for (const scenario::Employee& e : s.organization.employees) {
      campaign_targets_[c] += s.threats.injection_campaigns[c].Targets(e.role, e.team);
    }
  }
}

uint32_t OrgModel::SlotOfAgent(const EmployeeState& s, uint32_t agent_id) const {
  for (uint32_t i = 0; i < s.agents.size(); ++i) {
    if (s.agents[i].agent_id == agent_id) return i;
  }
  return 0;
}

bool OrgModel::OfferedToAgent(const AgentState& a, services::Action action) const {
  if (!sc().defenses.least_privilege_tools) return true;
  return (sc().profiles[a.profile].action_mask >> static_cast<uint32_t>(action)) & 1u;
}

// ---- arrivals and compromises -------------------------------------------------------------

void OrgModel::PlanThreatDay(Ctx& ctx, EmployeeState& s, bool working_day) {
  const scenario::Threats& th = sc().threats;
  if (th.injection_campaigns.empty() && th.compromised_agents.empty()) return;
  const TimeUs now = ctx.now_us();
  const EmployeeId self = ctx.lp();
  const scenario::Employee& emp = sc().organization.employees[self];
  // Compromises that have begun: a named owner's agents, or a seeded share of all agents.
  for (uint32_t c = 0; c < th.compromised_agents.size(); ++c) {
    const scenario::AgentCompromise& comp = th.compromised_agents[c];
    if (now < comp.start_us) continue;
    for (uint32_t slot = 0; slot < s.agents.size(); ++slot) {
      AgentState& a = s.agents[slot];
      if (a.threat.compromised.active()) continue;
      bool chosen = comp.agent_owner == self;
      if (comp.agent_owner == kNoId) {
        const uint64_t h = engine::HashCombine(engine::HashCombine(world_->seed, a.agent_id), 0x636f6d70ULL + c);
        chosen = static_cast<double>(h >> 11) * 0x1.0p-53 < comp.fraction;
      }
      if (!chosen) continue;
      const uint32_t source = CompromiseSource(sc(), c);
      Compromise(s, slot, AttackTag{AttackKind::kCompromise, /*read_now=*/false, source, SessionId(a.agent_id, source)},
                 comp.actions_per_hour, comp.goal);
    }
  }
  // Today's malicious actions of the compromised sessions (on their agents' active days).
  for (uint32_t slot = 0; slot < s.agents.size(); ++slot) {
    const AgentState& a = s.agents[slot];
    if (!a.threat.compromised.active()) continue;
    if (!working_day && sc().profiles[a.profile].heartbeat.working_days_only) continue;
    PlanAttacks(ctx, s, slot, now);
  }
  // Injection emails: each campaign's daily volume shared among its targets, any hour.
  for (uint32_t c = 0; c < th.injection_campaigns.size(); ++c) {
    const scenario::InjectionCampaign& camp = th.injection_campaigns[c];
    if (now + engine::kUsPerDay <= camp.start_us || now >= camp.end_us || camp.emails_per_day <= 0) continue;
    if (campaign_targets_[c] == 0 || !camp.Targets(emp.role, emp.team)) continue;
    const double mean_gap_us = static_cast<double>(engine::kUsPerDay) * campaign_targets_[c] / camp.emails_per_day;
    for (double t = s.attack_mail_rng.Exponential(mean_gap_us); t < static_cast<double>(engine::kUsPerDay);
         t += s.attack_mail_rng.Exponential(mean_gap_us)) {
      const TimeUs at = now + static_cast<TimeUs>(t);
      if (at < camp.start_us || at >= camp.end_us) continue;
      ctx.SendSelf(static_cast<TimeUs>(t), kInjectionArrive, Payload{c, 0, 0, 0, 0, 0, 0, 0, 0});
    }
  }
}

void OrgModel::Compromise(EmployeeState& s, uint32_t slot, const AttackTag& tag, double actions_per_hour, AttackGoal goal) {
  AgentThreatState& t = s.agents[slot].threat;
  if (t.compromised.active()) return;
  t.compromised = tag;
  t.compromise_actions_per_hour = actions_per_hour;
  t.compromise_goal = goal;
  ++s.safety.agents_compromised;
}

void OrgModel::PlanAttacks(Ctx& ctx, EmployeeState& s, uint32_t slot, TimeUs from_us) {
  const AgentState& a = s.agents[slot];
  if (a.threat.compromise_actions_per_hour <= 0) return;
  const scenario::Heartbeat& hb = sc().profiles[a.profile].heartbeat;
  const TimeUs day_start = from_us - from_us % engine::kUsPerDay;
  const TimeUs begin = std::max(from_us, day_start + hb.active_start_us);
  const TimeUs end = day_start + hb.active_end_us;
  const double mean_gap_us = static_cast<double>(engine::kUsPerHour) / a.threat.compromise_actions_per_hour;
  for (double t = static_cast<double>(begin) + s.threat_rng.Exponential(mean_gap_us); t < static_cast<double>(end);
       t += s.threat_rng.Exponential(mean_gap_us)) {
    ctx.SendSelf(std::max<TimeUs>(1, static_cast<TimeUs>(t) - ctx.now_us()), kSessionAttack, Payload{slot, 0, 0, 0, 0, 0, 0, 0, 0});
  }
}

void OrgModel::OnAttack(Ctx& ctx, EmployeeState& s, uint32_t slot) {
  AgentState& a = s.agents[slot];
  if (!a.threat.compromised.active() || Paused(a, ctx.now_us())) return;  // a paused session does nothing
  AttemptGoal(ctx, s, slot, a.threat.compromise_goal, a.threat.compromised, /*deferred=*/false);
}

void OrgModel::OnInjectionArrive(Ctx& ctx, EmployeeState& s, uint32_t campaign) {
  const EmployeeId self = ctx.lp();
  const scenario::RoleProfile& role = sc().role(sc().organization.employees[self].role);
  const services::DomainId attacker = static_cast<services::DomainId>(sc().email.external_domains.size());
  const services::EmailHeader header =
      services::ExternalMessage(attacker, (uint64_t{1} << 40) | (uint64_t{self} << 24) | s.external_serial++, kAttackMailTokens,
                                services::kLabelPromptInjection, ctx.now_us());
  ++s.safety.injection_emails;
  DeliverMail(s, header, ctx.now_us());
  Task t;
  t.kind = TaskKind::kEmail;
  t.ref = s.mailbox.slot_count() - 1;
  t.other = campaign;  // no reply goes to an attacker: the campaign rides here
  t.flags = kMailExternal | kMailInjection;
  t.arrived_us = ctx.now_us();
  t.effort_minutes = role.spam_minutes;  // junk to the person who reads it
  const bool admitted = s.agents.empty() || DetectorAdmits(ctx, s, &t);
  if (record_spans_) {
    s.injections.push_back(InjectionRecord{ItemId(self, ItemKind::kMail, t.ref), ctx.now_us(), self,
                                           CampaignSource(campaign),
                                           static_cast<uint32_t>(sc().threats.injection_campaigns[campaign].goal),
                                           !admitted, false});
  }
  if (!admitted) return;
  if (IsSeat(s)) {
    seats_[s.seat].injection_campaign_of_slot[t.ref] = campaign;
    ++seats_[s.seat].injections_received;
  }
  ++s.items_arrived;
  Enqueue(ctx, s, t);
  if (!s.agents.empty()) OnAgentEvent(ctx, s, scenario::Event::kNewEmail);
}

namespace {

// The detector's own model call for one check: overhead, metered to nobody's leaderboard.
// Books `checks` screenings of the detector (one tool output each).
void ChargeDetectorCheck(const scenario::CompiledScenario& sc, EmployeeState& s, int64_t checks = 1) {
  const scenario::InjectionDetector& det = sc.defenses.injection_detector;
  s.safety.detector_checks += static_cast<uint64_t>(checks);
  if (det.tier == kNoId || det.tokens_per_check <= 0) return;
  const scenario::ModelTier& tier = sc.tiers[det.tier];
  TokenTally tally;
  tally.input_tokens = static_cast<uint64_t>(det.tokens_per_check) * static_cast<uint64_t>(checks);
  tally.cost_usd = tier.CostUsd(det.tokens_per_check, 0) * static_cast<double>(checks);
  tally.invocations = static_cast<uint64_t>(checks);
  s.m.tokens_by_purpose[static_cast<int>(scenario::Purpose::kOverhead)].Add(tally);
  s.m.tokens_by_trigger[static_cast<int>(Trigger::kEvent)].Add(tally);
  s.tokens_by_tier[det.tier].Add(tally);
}

}  // namespace

bool OrgModel::DetectorAdmits(Ctx& ctx, EmployeeState& s, Task* mail) {
  const scenario::InjectionDetector& det = sc().defenses.injection_detector;
  if (!det.enabled || det.screens_tool_outputs || !(mail->flags & kMailExternal)) return true;
  ChargeDetectorCheck(sc(), s);
  const bool injection = (mail->flags & kMailInjection) != 0;
  const bool flagged = s.threat_rng.Bernoulli(injection ? det.detection_rate : det.false_positive_rate);
  if (!flagged) return true;
  s.mailbox.Read(mail->ref);  // quarantined: no agent lists it
  if (injection) {
    ++s.safety.injections_detected;
    s.mailbox.Archive(mail->ref);
    if (sc().defenses.memory_quarantine) {
      for (uint32_t slot = 0; slot < s.agents.size(); ++slot) QuarantineMemory(ctx, s, slot, kDetectorQuarantine);
    }
    return false;
  }
  // A legitimate mail held: its owner reviews and releases it by hand before answering it.
  ++s.safety.false_positives;
  s.safety.release_hours += det.release_minutes / 60.0;
  mail->effort_minutes += det.release_minutes;
  mail->state |= kTaskQuarantined;
  return true;
}

bool OrgModel::ToolOutputFlagged(Ctx& ctx, EmployeeState& s, const scenario::Skill& k, uint32_t items, double trust,
                                 bool mail_read, bool chat_read, const std::vector<uint32_t>& unread) {
  const scenario::InjectionDetector& det = sc().defenses.injection_detector;
  if (!mail_read && !chat_read) return false;
  // The mails this call read: the triage's listing, or the first queued ones a briefing reads.
  std::vector<Task*> mails;
  if (mail_read) {
    if (k.kind == scenario::SkillKind::kEmailTriage) {
      for (uint32_t slot : unread) {
        if (Task* t = s.FindQueued(TaskKind::kEmail, slot)) mails.push_back(t);
      }
    } else {
      for (Task& t : s.queues[static_cast<int>(TaskKind::kEmail)]) {
        if (mails.size() >= items) break;
        if (!(t.state & kTaskHelped)) mails.push_back(&t);
      }
    }
  }
  bool mail_injected = false;
  for (const Task* t : mails) mail_injected = mail_injected || (t->flags & kMailInjection);
  const bool chat_injected = chat_read && !s.chat_injections.empty();
  // Each tool output is checked; one flag stops the call.
  bool flagged = false, caught = false;
  auto check = [&](bool injected) {
    ChargeDetectorCheck(sc(), s);
    if (!s.threat_rng.Bernoulli(injected ? det.detection_rate : det.false_positive_rate)) return;
    flagged = true;
    caught = caught || injected;
    if (injected) return;
    // A false alarm: the owner reviews the flagged output and clears it.
    ++s.safety.false_positives;
    s.safety.release_hours += det.release_minutes / 60.0;
    Enqueue(ctx, s, FixTask(det.release_minutes, ctx.now_us()));
  };
  if (mail_read) check(mail_injected);
  if (chat_read) check(chat_injected);
  if (!flagged) return false;
  // A flagged injection is taken away; the rest of what was read is the person's work.
  for (Task* t : mails) {
    if (caught && (t->flags & kMailInjection)) {
      ++s.safety.injections_detected;
      s.mailbox.Read(t->ref);
      s.mailbox.Archive(t->ref);
      t->state |= kTaskHelped;
      if (sc().defenses.memory_quarantine) {
        for (uint32_t slot = 0; slot < s.agents.size(); ++slot) QuarantineMemory(ctx, s, slot, kDetectorQuarantine);
      }
      continue;
    }
    if (k.kind == scenario::SkillKind::kEmailTriage) s.mailbox.Read(t->ref);  // listed: not offered to agents again
    t->state |= kTaskHelped;
  }
  if (caught && chat_injected) {
    s.safety.injections_detected += s.chat_injections.size();
    s.chat_injections.clear();
  }
  if (k.kind == scenario::SkillKind::kChatAnswer) {
    for (uint32_t i = 0; i < items && !s.chat_unanswered.empty(); ++i) s.chat_unanswered.pop_front();
  }
  auto leave = [&](TaskKind kind, uint32_t limit) {
    uint32_t n = 0;
    for (Task& t : s.queues[static_cast<int>(kind)]) {
      if (n >= limit) break;
      if (t.state & kTaskHelped) continue;
      t.state |= kTaskHelped;
      ++n;
    }
    return n;
  };
  switch (k.kind) {
    case scenario::SkillKind::kCodeHelp: LeaveHandedChanges(ctx.lp(), s, items, trust); break;
    case scenario::SkillKind::kDeployMonitor: leave(TaskKind::kIncident, items - leave(TaskKind::kRework, items)); break;
    case scenario::SkillKind::kDailyBriefing: leave(TaskKind::kChat, items > mails.size() ? items - static_cast<uint32_t>(mails.size()) : 0); break;
    default: break;
  }
  return true;
}

int64_t OrgModel::SessionOutputsCleared(Ctx& ctx, EmployeeState& s, int64_t outputs) {
  const scenario::InjectionDetector& det = sc().defenses.injection_detector;
  if (outputs <= 0) return 0;
  // The outputs before the first false alarm: geometric, drawn once (one draw, not one per turn).
  int64_t cleared = outputs;
  if (det.false_positive_rate >= 1) {
    cleared = 0;
  } else if (det.false_positive_rate > 0) {
    const double u = 1.0 - s.threat_rng.Uniform01();  // (0, 1]
    const double run = std::floor(std::log(u) / std::log1p(-det.false_positive_rate));
    if (run < static_cast<double>(outputs)) cleared = static_cast<int64_t>(run);
  }
  ChargeDetectorCheck(sc(), s, cleared < outputs ? cleared + 1 : outputs);
  if (cleared == outputs) return outputs;
  ++s.safety.false_positives;
  s.safety.release_hours += det.release_minutes / 60.0;
  Enqueue(ctx, s, FixTask(det.release_minutes, ctx.now_us()));
  return cleared;
}

// ---- following injections -----------------------------------------------------------------

void OrgModel::ConsiderInjection(Ctx& ctx, EmployeeState& s, uint32_t slot, const SeenInjection& seen) {
  AgentState& a = s.agents[slot];
  const scenario::InjectionCampaign& camp = sc().threats.injection_campaigns[seen.campaign];
  ++s.safety.injections_read;
  const double p = std::clamp(camp.success_probability * sc().tiers[sc().profiles[a.profile].tier].injection_susceptibility, 0.0, 1.0);
  if (!s.threat_rng.Bernoulli(p)) return;
  ++s.safety.injections_followed;
  const AttackTag tag{AttackKind::kInjection, /*read_now=*/true, CampaignSource(seen.campaign), seen.origin_id};
  if (OpenCall* call = FindCall(s, s.open_call)) {
    call->attack_cause = {CauseKind::kItem, seen.origin_id};
    call->injection_route = seen.route;
  }
  if (camp.goal == AttackGoal::kPersist) {
    // Written into memory: it acts after the next consolidation, until memory is cleared.
    ++s.safety.memory_poisonings;
    CountAttempt(ctx, s, slot, tag);
    ++s.safety.successes[tag.source];
    ++s.safety.injections_succeeded;
    a.threat.poison_campaign = static_cast<int32_t>(seen.campaign);
    a.threat.poison_active = false;
    a.threat.poison_origin = seen.origin_id;
    return;
  }
  AttemptGoal(ctx, s, slot, camp.goal, tag, /*deferred=*/true);
}

void OrgModel::MaliciousWork(Ctx& ctx, EmployeeState& s, uint32_t slot, scenario::SkillId skill) {
  // Injections the reads of this call brought in.
  std::vector<SeenInjection> seen;
  seen.swap(s.seen_injections);
  for (const SeenInjection& inj : seen) ConsiderInjection(ctx, s, slot, inj);
  AgentState& a = s.agents[slot];
  // A poisoned memory: every call that reads memory pursues the persisted goal.
  if (a.threat.poison_active && skill != kNoId && sc().skills[skill].reads_memory) {
    const uint32_t campaign = static_cast<uint32_t>(a.threat.poison_campaign);
    if (OpenCall* call = FindCall(s, s.open_call)) {
      call->attack_cause = {CauseKind::kItem, a.threat.poison_origin};
      call->injection_route = InjectionRoute::kMemory;
    }
    AttemptGoal(ctx, s, slot, sc().threats.injection_campaigns[campaign].persisted_goal,
                AttackTag{AttackKind::kInjection, /*read_now=*/false, CampaignSource(campaign), a.threat.poison_origin}, /*deferred=*/true);
  }
  // A skill turned malicious: some of its runs attempt the goal.
  const std::vector<scenario::MaliciousSkill>& bad = sc().threats.malicious_skills;
  for (uint32_t i = 0; i < bad.size(); ++i) {
    if (bad[i].skill != skill || ctx.now_us() < bad[i].start_us) continue;
    if (!s.threat_rng.Bernoulli(bad[i].attack_probability)) continue;
    const uint32_t source = MaliciousSkillSource(sc(), i);
    if (OpenCall* call = FindCall(s, s.open_call)) call->attack_cause = {CauseKind::kAttack, source};
    AttemptGoal(ctx, s, slot, bad[i].goal, AttackTag{AttackKind::kMaliciousSkill, /*read_now=*/false, source, s.open_span}, /*deferred=*/true);
  }
}

void OrgModel::CountAttempt(Ctx& ctx, EmployeeState& s, uint32_t slot, const AttackTag& tag) {
  ++s.safety.attempts[tag.source];
  AgentThreatState& t = s.agents[slot].threat;
  if (t.first_malicious_us < 0) t.first_malicious_us = ctx.now_us();
}

void OrgModel::AttemptGoal(Ctx& ctx, EmployeeState& s, uint32_t slot, AttackGoal goal, const AttackTag& tag, bool deferred) {
  const EmployeeId self = ctx.lp();
  AgentAction act;
  act.bad = true;  // an approver who looks closely can see it is wrong
  act.attack = tag;
  act.call = deferred ? s.open_call : kNoCall;
  switch (goal) {
    case AttackGoal::kExfiltrate: {
      // Forward the newest sensitive message of the last kExfiltrateScanSlots slots still held
      // (else the newest one) outside. (CompactMailbox keeps what this reads.)
      const services::Mailbox& box = s.mailbox;
      if (box.slot_count() == box.first_slot()) return;
      const std::vector<services::MailboxEntry>& entries = box.entries();
      uint32_t pick = box.slot_count() - 1;
      for (size_t i = entries.size(); i-- > 0 && entries[i].slot + kExfiltrateScanSlots >= box.slot_count();) {
        if (entries[i].header.labels & services::kLabelSensitive) {
          pick = entries[i].slot;
          break;
        }
      }
      act.action = services::Action::kEmailSendExternal;
      act.item.kind = TaskKind::kEmail;
      act.item.ref = pick;
      act.target = self;
      break;
    }
    case AttackGoal::kPostChat: {
      const uint32_t channel = TeamChannel(self);
      if (channel == kNoTarget) return;
      act.action = services::Action::kChatPost;
      act.item.kind = TaskKind::kChat;
      act.item.ref = kNoTarget;
      act.item.flags = kPostPhishing;
      act.target = channel;
      break;
    }
    case AttackGoal::kTriggerDeploy: {
      if (sc().deploy.services.empty()) return;
      act.action = services::Action::kDeployProd;
      act.item.kind = TaskKind::kCode;
      act.item.state = kTaskDefective | kTaskAttack;
      act.item.arrived_us = ctx.now_us();
      act.item.ref = s.next_change++;
      const EmployeeInfo& info = world_->employees[self];
      act.target = info.services.empty() ? static_cast<uint32_t>(act.item.ref % sc().deploy.services.size())
                                         : info.services[act.item.ref % info.services.size()];
      break;
    }
    case AttackGoal::kPersist:
      return;  // handled where the injection is read
  }
  CountAttempt(ctx, s, slot, tag);
  if (deferred) {
    Defer(ctx, s, slot, act);
  } else {
    AgentAct(ctx, s, slot, act);
  }
}

void OrgModel::ExecuteAttack(Ctx& ctx, EmployeeState& s, const AgentAction& act, uint32_t agent_id, services::AuditRecord* rec) {
  const EmployeeId self = ctx.lp();
  bool took_effect = false;
  switch (act.action) {
    case services::Action::kEmailSendExternal: {
      const services::Recipient outside =
          services::Recipient::Domain(static_cast<services::DomainId>(sc().email.external_domains.size()));
      services::SendSpec spec;
      if (!s.mailbox.BuildForward(act.item.ref, std::span(&outside, 1), agent_id, &spec)) {
        rec->outcome = services::Outcome::kServiceRefused;
        break;
      }
      rec->outcome = SendMail(ctx, s, spec, 0, 0, s.threat_rng);
      if (rec->outcome == services::Outcome::kNotExecuted) {
        rec->decision = services::Decision::kRateLimited;  // the mailbox's own send limit
        rec->rule = services::kServiceRule;
        break;
      }
      took_effect = true;
      ++s.safety.exfiltrated_messages;
      if (rec->outcome == services::Outcome::kDataLeaked) ++s.safety.exfiltrated_sensitive;
      break;
    }
    case services::Action::kChatPost: {
      Payload p;
      p.a = self;
      p.b = kNoId;
      p.c = kPostByAgent | kPostNoise | kPostPhishing;
      p.d = agent_id + 1;
      p.u = act.attack.origin_id;
      p.v = act.attack.source;
      ctx.Send(world_->ChannelLp(act.target), Net(sc().chat.delivery_latency_us), kChatPost, p);
      rec->outcome = services::Outcome::kDone;
      took_effect = true;
      ++s.safety.phishing_posts;
      break;
    }
    case services::Action::kDeployProd:
      rec->outcome = services::Outcome::kStarted;
      RequestDeploy(ctx, s, act.item, agent_id + 1, s.audit.next_id(), static_cast<uint8_t>(act.attack.kind));
      took_effect = true;
      break;
    default:
      rec->outcome = services::Outcome::kServiceRefused;
      break;
  }
  if (took_effect) {
    ++s.safety.successes[act.attack.source];
    s.safety.injections_succeeded += act.attack.read_now;
  }
}

// ---- chat: pasted injections and phishing links ---------------------------------------------

void OrgModel::MaybeShareInjection(Ctx& ctx, EmployeeState& s, const Task& mail) {
  const scenario::InjectionCampaign& camp = sc().threats.injection_campaigns[mail.other];
  const EmployeeId self = ctx.lp();
  const Teammates& teammates = world_->employees[self].teammates;
  if (s.threat_rng.Bernoulli(camp.forward_probability) && !teammates.empty()) {
    // Forwarded to a teammate ("is this real?"): the person's own email.send_internal.
    services::SendSpec spec;
    if (s.mailbox.BuildForward(mail.ref,
                               std::array{services::Recipient::Employee(teammates[s.threat_rng.UniformInt(teammates.size())])},
                               services::kNoId, &spec)) {
      services::Target target = services::SendTarget(self, spec, world_->team_of_employee);
      target.id = spec.to[0].id;
      services::AuditRecord rec = HumanGate(ctx, s, services::SendAction(spec), target, ItemId(self, ItemKind::kMail, mail.ref));
      if (services::Admits(rec.decision)) {
        rec.outcome = SendMail(ctx, s, spec, 0, 0, s.threat_rng, mail.other + 1);
        if (rec.outcome == services::Outcome::kNotExecuted) rec.decision = services::Decision::kRateLimited;
        if (rec.outcome != services::Outcome::kNotExecuted) ++s.safety.injections_shared;
      }
      Audit(s.audit, rec);
    }
  }
  if (!s.threat_rng.Bernoulli(camp.share_probability)) return;
  const uint32_t channel = TeamChannel(ctx.lp());
  if (channel == kNoTarget || !HumanPost(ctx, s, channel)) return;
  ++s.safety.injections_shared;
  Payload p;
  p.a = ctx.lp();
  p.b = kNoId;
  p.c = kPostInjection | kPostNoise;
  p.u = ItemId(ctx.lp(), ItemKind::kMail, mail.ref);
  p.v = CampaignSource(mail.other);
  ctx.Send(world_->ChannelLp(channel), Net(sc().chat.delivery_latency_us), kChatPost, p);
}

void OrgModel::OnChatInjection(Ctx& ctx, EmployeeState& s, const Ev& ev) {
  const uint32_t source = static_cast<uint32_t>(ev.payload.v);
  if (ev.payload.c & kPostPhishing) {
    // A person sees the link; one who clicks it hands their agents' sessions to the attacker.
    if (s.agents.empty()) return;
    if (!s.threat_rng.Bernoulli(sc().threats.phishing_click_probability)) return;
    ++s.safety.phishing_clicks;
    for (uint32_t slot = 0; slot < s.agents.size(); ++slot) {
      if (s.agents[slot].threat.compromised.active()) continue;
      Compromise(s, slot, AttackTag{AttackKind::kCompromise, /*read_now=*/false, source, SessionId(s.agents[slot].agent_id, source)},
                 sc().threats.phished_actions_per_hour, AttackGoal::kExfiltrate);
      PlanAttacks(ctx, s, slot, ctx.now_us());
    }
    return;
  }
  // Pasted injection text: the agents see it at their next read of the channel.
  if (s.agents.empty()) return;
  constexpr size_t kMaxPending = 16;
  if (s.chat_injections.size() >= kMaxPending) s.chat_injections.erase(s.chat_injections.begin());
  s.chat_injections.push_back(SeenInjection{source, ev.payload.u, InjectionRoute::kChannelPaste});
}

// ---- circuit breakers and memory quarantine ---------------------------------------------

bool OrgModel::BreakerHolds(const AgentState& a, services::Action action, TimeUs now_us) const {
  if (now_us < a.threat.paused_until_us) return true;
  const bool read = action == services::Action::kEmailRead || action == services::Action::kChatRead;
  return !read && now_us < a.threat.read_only_until_us;
}

void OrgModel::AuditDefense(Ctx& ctx, EmployeeState& s, uint32_t slot, services::Action action, services::Decision decision,
                            uint64_t object) {
  services::AuditRecord rec;
  rec.time_us = ctx.now_us();
  rec.agent = s.agents[slot].agent_id;
  rec.on_behalf_of = ctx.lp();
  rec.target = ctx.lp();
  rec.rule = services::kDefenseRule;
  rec.action = action;
  rec.decision = decision;
  rec.outcome = services::Outcome::kNotExecuted;
  rec.object_id = object;
  Audit(s.audit, rec);
}

void OrgModel::FeedBreakers(Ctx& ctx, EmployeeState& s, uint32_t slot, Metric metric, double amount) {
  const std::vector<scenario::CircuitBreaker>& breakers = sc().defenses.circuit_breakers;
  if (breakers.empty() || slot >= s.agents.size()) return;
  AgentState& a = s.agents[slot];
  AgentThreatState& t = a.threat;
  if (t.breakers.size() != breakers.size()) {
    t.breakers.assign(breakers.size(), SlidingWindow{});
    t.breaker_until_us.assign(breakers.size(), 0);
  }
  const TimeUs now = ctx.now_us();
  for (uint32_t b = 0; b < breakers.size(); ++b) {
    const scenario::CircuitBreaker& cb = breakers[b];
    if (cb.metric != metric) continue;
    t.breakers[b].Add(now, amount, cb.window_us);
    if (now < t.breaker_until_us[b] || !BreakerTrips(cb, t.breakers[b].Sum(now, cb.window_us))) continue;
    // Trip: the response holds the agent (or its owner's agents, its team's, or the agent
    // and a named group) for the cooldown; the window starts over.
    ++s.safety.breaker_trips;
    t.breakers[b].Clear();
    t.breaker_until_us[b] = now + cb.cooldown_us;
    if (cb.scope == scenario::CircuitBreaker::Scope::kAgent) {
      HoldAgent(ctx, s, slot, b);
      continue;
    }
    if (cb.scope == scenario::CircuitBreaker::Scope::kGroup) {
      HoldAgent(ctx, s, slot, b);
      HoldGroup(ctx, s, b, slot);
      for (EmployeeId owner : world_->breaker_group_owners[b]) {
        if (owner != ctx.lp()) ctx.Send(owner, Net(0), kBreakerGroupTrip, Payload{b, 0, 0, 0, 0, 0, 0, 0, 0});
      }
      continue;
    }
    for (uint32_t other = 0; other < s.agents.size(); ++other) HoldAgent(ctx, s, other, b);
    if (cb.scope == scenario::CircuitBreaker::Scope::kTeam) {
      const Teammates& mates = world_->employees[ctx.lp()].teammates;
      for (size_t i = 0; i < mates.size(); ++i) {
        ctx.Send(mates[i], Net(0), kBreakerGroupTrip, Payload{b, 0, 0, 0, 0, 0, 0, 0, 0});
      }
    }
  }
}

void OrgModel::HoldAgent(Ctx& ctx, EmployeeState& s, uint32_t slot, uint32_t b) {
  const scenario::CircuitBreaker& cb = sc().defenses.circuit_breakers[b];
  AgentThreatState& t = s.agents[slot].threat;
  const TimeUs now = ctx.now_us();
  if (cb.response == scenario::CircuitBreaker::Response::kPause) {
    t.paused_until_us = std::max(t.paused_until_us, now + cb.cooldown_us);
  } else {
    t.read_only_until_us = std::max(t.read_only_until_us, now + cb.cooldown_us);
  }
  AuditDefense(ctx, s, slot, services::Action::kEmailRead, services::Decision::kHeld, b);
  MarkContained(s, slot, now);
  if (sc().defenses.memory_quarantine) QuarantineMemory(ctx, s, slot, b);
  ctx.SendSelf(cb.cooldown_us, kBreakerRestore, Payload{slot, b, 0, 0, 0, 0, 0, 0, 0});
}

void OrgModel::HoldGroup(Ctx& ctx, EmployeeState& s, uint32_t b, uint32_t except_slot) {
  const scenario::CircuitBreaker& cb = sc().defenses.circuit_breakers[b];
  for (uint32_t slot = 0; slot < s.agents.size(); ++slot) {
    if (slot == except_slot) continue;
    if (cb.scope != scenario::CircuitBreaker::Scope::kGroup || InBreakerGroup(sc(), cb, ctx.lp(), s.agents[slot].profile)) {
      HoldAgent(ctx, s, slot, b);
    }
  }
}

void OrgModel::OnBreakerRestore(Ctx& ctx, EmployeeState& s, uint32_t slot, uint32_t breaker) {
  // The agent works again (when no other breaker still holds it).
  AuditDefense(ctx, s, slot, services::Action::kEmailRead, services::Decision::kReleased, breaker);
}

void OrgModel::QuarantineMemory(Ctx& ctx, EmployeeState& s, uint32_t slot, uint32_t breaker) {
  AgentState& a = s.agents[slot];
  const scenario::Memory& mem = sc().profiles[a.profile].memory;
  const bool poisoned = a.threat.poison_campaign >= 0;
  a.memory_tokens = std::min(a.memory_tokens, mem.min_tokens);
  a.threat.poison_campaign = -1;
  a.threat.poison_active = false;
  ++s.safety.memory_quarantines;
  AuditDefense(ctx, s, slot, services::Action::kEmailRead, services::Decision::kHeld, kQuarantineObject | breaker);
  if (poisoned) MarkContained(s, slot, ctx.now_us());
}

void OrgModel::MarkContained(EmployeeState& s, uint32_t slot, TimeUs now_us) {
  AgentThreatState& t = s.agents[slot].threat;
  if (t.first_malicious_us < 0 || t.contained) return;
  t.contained = true;
  ++s.safety.contained;
  s.safety.contain_hours_sum += UsToHours(now_us - t.first_malicious_us);
}

}  // namespace clawsim::model
