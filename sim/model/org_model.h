// OrgModel: the organisation on the engine. One LP per employee (the human, their agents,
// their mailbox and approval queue), one per chat channel, one per deployable service.
//
// Flow of work (all of it through events):
//   day start -> work items arrive in working hours (email, chat requests, code changes)
//   email: colleagues send internal mail (sender LP -> recipient LP), outsiders send the rest
//   chat: a requester posts in the team channel mentioning a teammate (channel LP forwards)
//   code: the author writes it, a teammate reviews it, then it is deployed through the
//         service LP's pipeline (build, staging, canary, prod); a bad change in prod opens an
//         incident that spreads to dependent services along the dependency graph
//   agents: wake on a heartbeat, run cron jobs, react to events, grow and consolidate memory;
//         every invocation costs tokens; every action they take passes the permission gate,
//         and "ask" sends an approval request to a human approver's queue.
// Humans work one task at a time, in working hours, highest priority first.
//
// Threading: Handle runs on engine workers; it touches only the state of ctx.lp() and the
// read-only World. Metrics are per-LP and merged serially by the runner.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <deque>
#include <vector>

#include "mock_services/audit_log.h"
#include "mock_services/policy.h"
#include "sim/engine/engine.h"
#include "sim/model/incentives.h"
#include "sim/model/metrics.h"
#include "sim/model/team_board.h"
#include "sim/model/threats.h"
#include "sim/model/trace.h"
#include "sim/model/vector_queue.h"
#include "sim/model/world.h"

namespace clawsim::model {

using engine::UsToHours;
inline constexpr uint32_t kNoTarget = UINT32_MAX;

struct Payload {
  uint32_t a = 0;
  uint32_t b = 0;
  uint32_t c = 0;
  uint32_t d = 0;
  double x = 0;
  double y = 0;    // mail and chat requests: the recipient's effort in minutes (drawn by the sender)
  TimeUs t = 0;
  uint64_t u = 0;  // mail: message id; refused deploy: when the freeze ends
  uint64_t v = 0;  // mail: thread id
};

// Each kind's name is in EventKindNames (runner.cc), in this order: the run file's header
// names them for its trace.
enum EventKind : uint32_t {
  kDayStart,          // self, 00:00 each day: plan the day
  kWorkStart,         // self: the human arrives at work
  kWorkArrive,        // self: a work item arrives; a = stream (WorkStream below)
  kHumanDone,         // self: the human finished the current task
  kHumanPause,        // self: the workday (plus overtime) ended with the current task unfinished
  kHeartbeat,         // self: a = agent slot
  kCron,              // self: a = agent slot, b = cron job index
  kDream,             // self: a = agent slot (nightly memory consolidation)
  kEmailDeliver,      // employee -> employee: a = sender, b = labels | forwarded injection's campaign + 1 << 8, c = size, d = agent + 1 or 0, x = value, t = sent, u = id, v = thread
  kChatPost,          // employee -> channel: a = poster, b = mentioned employee or kNoId, c = post flags, d = agent + 1 or 0, x = value
  kChatMention,       // channel -> employee: a = asker, x = value, t = created
  kReviewRequest,     // author -> reviewer: a = author, b = change, c = defective, x = agent-written share, t = created
  kReviewDone,        // reviewer -> author: a = reviewer, b = change, c = 1 if sent back
  kDeployRequest,     // employee -> service: a = author, b = change, x = quality, t = created, c = agent + 1 or 0, d = 1 rollback
  kStageDone,         // service self: the running operation's next step
  kPipelineResult,    // service -> author: a = service, b = change, c = PipelineResult, x = quality, t = created
  kIncidentSpread,    // service -> dependent service: t = root incident, a:b = parent incident, c = severity
  kIncidentRestored,  // service self: a = incident index
  kIncidentPage,      // service -> responder: a = service, b = 1 if a change caused it, x = responder minutes
  kApprovalRequest,   // requester -> approver: a = requester, b = ask id, c = 1 if the request is bad
  kApprovalDecision,  // approver -> requester: b = ask id, c = 1 approved
  kApprovalTimeout,   // self: b = ask id
  kAgentCallDone,     // self: b = call id; the actions that model call decided take effect
  kApprovalCancel,    // requester -> approver: a = requester, b = ask id (expired or auto-approved)
  kDeployRetry,       // self: b = change ref; a deploy refused by a freeze, tried again when it ends
  kPerformativeJob,   // self: a = agent slot, b = automation index (an extra job added for a metric)
  kInjectionArrive,   // self: a = campaign; an injection email arrives from outside
  kSessionAttack,     // self: a = agent slot; a compromised session acts for the attacker
  kChatInjection,     // channel -> member: a = campaign, c = post flags (injection text or phishing link), u = origin id, v = attack source
  kBreakerRestore,    // self: a = agent slot, b = breaker index; its cooldown ended
  kBreakerGroupTrip,  // employee -> teammate: a = breaker index; a TEAM-scoped breaker tripped on a teammate's agent
  kSeatCall,          // self (scheduled by a seat's driver): a = seat, b = call id (seat.h)
  kBoardPost,         // employee -> team channel: a change arrived for the team's board (BoardChange below)
  kBoardAsk,          // employee -> team channel: a = asker, c = role, t = end of the asker's workday
  kBoardTake,         // team channel -> employee: the board's change the asker takes (BoardChange below)
  kReleaseDepart,     // service self: its release train leaves (deploy.release_every_days)
};

enum class WorkStream : uint32_t { kExternalEmail, kInternalEmail, kChatRequest, kCodeChange };
inline constexpr uint32_t kMailExternal = 1, kMailSpam = 2, kMailSensitive = 4, kMailInjection = 8;  // mail flags
// Size of one mail in tokens (what the mailbox stores; agents pay their skill's per-item input).
inline constexpr uint32_t kMailTokens = 400;
inline constexpr uint32_t kPostByAgent = 1, kPostNoise = 2, kPostSensitive = 4;   // chat post flags
inline constexpr uint32_t kPostInjection = 8, kPostPhishing = 16;  // chat post flags: attacker text, a phishing link
inline constexpr uint32_t kNoCall = UINT32_MAX;  // an agent action no model call decided (a compromised session)
enum class PipelineResult : uint32_t { kInProd, kFailed, kRefused };
// An exfiltrating agent forwards the newest sensitive message among its owner's last this
// many mailbox slots (else the newest message).
inline constexpr uint32_t kExfiltrateScanSlots = 64;

// Human task kinds in priority order; kBacklog (discretionary work) comes last.
enum class TaskKind : uint8_t { kApproval, kIncident, kReview, kFix, kChat, kEmail, kCode, kRework, kDeploy, kBacklog };
inline constexpr int kNumTaskKinds = 10;

// Task::state bits.
inline constexpr uint32_t kTaskStarted = 1;    // effort_minutes is what is left, in the human's own minutes
inline constexpr uint32_t kTaskHelped = 2;     // an agent already shortened it (help counts once per item)
inline constexpr uint32_t kTaskDefective = 4;  // code: the change carries a defect
inline constexpr uint32_t kTaskCaught = 8;     // code: a review caught the defect
inline constexpr uint32_t kTaskBacklog = 16;   // pulled from the backlog, not an arrival
inline constexpr uint32_t kTaskSetup = 32;     // setting up a performative automation
inline constexpr uint32_t kTaskAgentDefect = 64;  // code: the defect is an agent's mistake
inline constexpr uint32_t kTaskAttack = 128;      // code: an attacker's change (no work item; never completed)
inline constexpr uint32_t kTaskQuarantined = 256; // mail: held by the injection detector until a person releases it
inline constexpr uint32_t kTaskMerged = 512;      // code: passed review once (counted as merged; rework keeps it)
inline constexpr uint32_t kTaskAgentDeployError = 1024;  // code: the agent defect is a wrong deploy, not code it wrote
inline constexpr uint32_t kTaskAgentLed = 2048;       // code: a backlog change the person handed an agent unassigned
inline constexpr uint32_t kTaskAwaitingAgent = 4096;  // code: queued, but the agent's output has not landed yet

// (48 bytes: queues, pending asks and deferred actions hold many.)
struct Task {
  double value_usd = 0;
  double effort_minutes = 0;      // sampled effort; once started, the human minutes left
  TimeUs arrived_us = 0;   // when the underlying item arrived (for lead times)
  double base_effort_minutes = 0;  // code: the change's original sampled effort (rework is a share of it)
  uint32_t ref = 0;        // change id, ask id, asker...
  uint32_t other = 0;      // author, requester...
  uint16_t flags = 0;      // mail flags, chat post flags; for approvals, 1 if the request is bad
  uint16_t state = 0;      // kTask* bits
  TaskKind kind = TaskKind::kEmail;
  uint8_t reviews_pending = 0;  // code in review: reviews not yet back
  // Code and its reviews: the share of the change a coding agent wrote, in 65535ths, which
  // makes it larger than its author's own version (OrgModel::RelativeSize).
  uint16_t agent_written_q16 = 0;

  double AgentWrittenShare() const { return agent_written_q16 / 65535.0; }
  void SetAgentWrittenShare(double share) {
    agent_written_q16 = static_cast<uint16_t>(std::lround(std::clamp(share, 0.0, 1.0) * 65535.0));
  }
};
static_assert(sizeof(Task) == 48);

// A person's clean-up of `minutes` after something went wrong, arriving now.
inline Task FixTask(double minutes, TimeUs now_us) {
  Task t;
  t.kind = TaskKind::kFix;
  t.effort_minutes = minutes;
  t.arrived_us = now_us;
  return t;
}

// Something an agent wants to do on a service: it passes the gate, maybe waits for approval,
// and then runs (or never does).
struct AgentAction {
  services::Action action = services::Action::kEmailRead;
  Task item;                // the work item it completes (mail slot, chat ask, code change)
  bool bad = false;         // the agent erred: letting it run lets the error through
  uint32_t target = 0;      // mailbox owner, channel or service
  double fix_minutes = 0;   // human clean-up if a bad action runs (the skill's error cost)
  uint32_t call = 0;        // the model call that decided it (its tokens' purpose depends on the outcome)
  AttackTag attack;         // active: a malicious action (for an attacker, not the owner)
  uint64_t ask_item = kNoSpanId;  // answered by a person: the ask's item id (the approver's task)
  uint32_t seat_call = kNoCall;   // an external seat's tool call (seat.h), else kNoCall
};

// A model call whose tokens are not booked yet: its purpose is known once its actions have
// passed or failed the gate. Useful when it completed or shortened a real work item;
// overhead when it found nothing to do or its actions were refused; performative when its
// skill or job is declared so.
struct OpenCall {
  uint32_t id = 0;
  scenario::TierId tier = 0;
  scenario::SkillId skill = kNoId;
  Trigger trigger = Trigger::kEvent;
  scenario::Purpose declared = scenario::Purpose::kUseful;
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
  uint32_t outstanding = 0;  // actions still on their way through the gate
  bool useful = false;
  bool invoking = true;      // Invoke is still deciding what to do
  // For its trace span.
  uint32_t slot = 0;
  TimeUs start_us = 0;
  TimeUs duration_us = 0;
  uint64_t span_id = kNoSpanId;
  uint64_t item_id = kNoSpanId;  // the first item it worked on, if any
  // Its listing holds mail from outside (by sender: spam and injections included). Least-privilege
  // tools offer email.send_external to a call only then: the tools the task needs, as AgentDojo's
  // tool filter selects them.
  bool replies_outside = false;
  SpanCause attack_cause;        // what set it on a malicious action (an injection email, a malicious skill)
  InjectionRoute injection_route = InjectionRoute::kTriage;  // with an injection email as attack_cause
};

// An action decided by a model call, waiting for the call to finish (tier latency plus
// output generation) before it reaches the gate.
struct DeferredAction {
  uint32_t call = 0;
  uint32_t agent_slot = 0;
  AgentAction act;
};

// Help a model call decided to give a queued task: it lands when the call finishes (the
// output exists), if the person has not started the task by then.
struct PendingHelp {
  uint32_t call = 0;
  TaskKind kind = TaskKind::kCode;
  uint32_t ref = 0;
  scenario::SkillId skill = 0;
  double handover_share = 1;  // code help: the share of the change handed over (1 otherwise)
  double suitability = 1;     // code help: the share of the change an agent does well (1 otherwise)
};

// What one piece of correct help does to a task, in the person's minutes: the work the
// output replaced (the agents' claim) and what using it cost (specify, check, wait, switch).
struct HelpEffect {
  double saved_minutes = 0;
  double cost_minutes = 0;
  double idle_minutes = 0;  // of cost_minutes: waiting for the output and switching to it
  double written_share = 0;  // code help: of the task's remaining work, the part the agent wrote (handed over), [0, 1]

  // Whether the person sees it as paying off: the saving against the effort they notice,
  // the idle part counted by `idle_noticed` in [0, 1] (AdoptionDynamics.idle_cost_noticed).
  bool SeenAsPayingOff(double idle_noticed) const {
    return saved_minutes > cost_minutes - (1 - idle_noticed) * idle_minutes;
  }
};

// A person's trust in one code-help skill (scenario.proto AdoptionDynamics): a beta belief
// whose prior is their automation_trust, with the recent outcomes of handing it a change,
// each faded weekly. Trust = (prior x prior outcomes + paid_off) / (prior outcomes +
// paid_off + did_not).
struct SkillTrust {
  double paid_off = 0;   // helped changes that saved more than using the help cost
  double did_not = 0;    // helped changes that cost more than they saved, and the agent's mistakes
  uint32_t delegated = 0;  // changes handed to it over the run
};

// Where a person's incentive ratios start counting (Incentives.ratios_from_day).
struct RatioStart {
  uint64_t tokens = 0;
  double value_usd = 0;
  uint64_t changes_completed = 0;
  uint64_t changes_merged = 0;
  double working_days = 0;
  double cost_usd = 0;  // agent spend so far
};

// An agent action waiting for a human's approval.
struct PendingAsk {
  uint32_t id = 0;
  uint32_t agent_slot = 0;
  AgentAction act;
  TimeUs asked_us = 0;
  EmployeeId approver = 0;
};

struct AgentState {
  uint32_t agent_id = 0;
  scenario::ProfileId profile = 0;
  int64_t memory_tokens = 0;
  TimeUs last_trigger_us = -1;  // for debounce
  services::RateState rates;
  // Performative automations on this agent (added for a metric).
  double heartbeat_factor = 1;   // the heartbeat runs this many times as often
  double checklist_factor = 1;   // the checklist is this many times as long
  std::vector<uint32_t> jobs;    // extra jobs: indexes into incentives.performative_automations
  uint32_t heartbeat_tick = 0;   // today's heartbeats so far (which ones were added for the metric)
  AgentThreatState threat;
};

// One performative automation an employee holds.
struct HeldAutomation {
  uint32_t automation = 0;  // index into incentives.performative_automations
  uint32_t agent_slot = 0;
};

// A work item planned at the day start, held until the arrival before it (the engine event
// of each is sent one at a time, with the sequence number reserved for it at the day start).
struct PlannedArrival {
  TimeUs time_us = 0;
  uint32_t seq = 0;
  WorkStream stream = WorkStream::kExternalEmail;
};

// Field order matters for speed, not for results: prefetch.cc hints the cache about the
// fields from `busy` up to `available_hours` before a person's events run, so the ones
// nearly every event reads belong there; the colder tallies follow.
struct EmployeeState {
  std::array<VectorQueue<Task>, kNumTaskKinds> queues;  // by priority (TaskKind order)
  // The queued (not yet started) task of `kind` with id `ref`, or null.
  Task* FindQueued(TaskKind kind, uint32_t ref) {
    auto& q = queues[static_cast<int>(kind)];
    auto it = std::find_if(q.begin(), q.end(), [ref](const Task& t) { return t.ref == ref; });
    return it == q.end() ? nullptr : &*it;
  }
  // Removes that task (into *out if given); false when there is none, e.g. the human already
  // started it.
  bool TakeQueued(TaskKind kind, uint32_t ref, Task* out) {
    auto& q = queues[static_cast<int>(kind)];
    auto it = std::find_if(q.begin(), q.end(), [ref](const Task& t) { return t.ref == ref; });
    if (it == q.end()) return false;
    if (out != nullptr) *out = *it;
    q.erase(it);
    return true;
  }
  // The hinted block starts here (prefetch.cc). Its second stage reads these fields (and the
  // mailbox's first bytes) and follows their pointers, so they come first: their lines are
  // hinted first and have usually arrived when the second stage runs.
  bool busy = false;
  uint32_t next_arrival = 0;
  std::vector<PlannedArrival> arrivals;  // today's, by (time, seq); those from next_arrival on are not sent yet
  std::vector<uint32_t> rule_verdicts;   // (policy rule + 1 for default deny) x 4 verdicts
  std::vector<AgentState> agents;
  services::Mailbox mailbox;                           // a mail task's ref is its mailbox slot
  uint32_t mail_compact_at = 0;                        // compact the mailbox when it holds this many
  VectorQueue<Task> chat_unanswered;                   // mentions the agents have not read yet
  Task current;
  TimeUs work_end_us = 0;
  TimeUs task_started_us = 0;           // when the current task (or its resumed part) started
  TimeUs busy_today_us = 0;             // human time worked today
  TimeUs review_today_us = 0;           // of it, reviewing (CodeWork::review_budget_us_per_day)
  TimeUs workday_us = 0;                // today's scheduled working time
  bool at_work = false;
  bool board_asked = false;  // asked the team's board for a change, no answer yet (team_board.cc)
  uint32_t agent_led_handed = 0;  // changes handed to agents unassigned over the run
  engine::Rng work_rng;     // arrivals and their draws: the same with or without agents
  engine::Rng backlog_rng;  // backlog items in pull order
  engine::Rng agent_rng;    // everything agents decide (and approvals of their asks), so that
                            // agents never shift the draws of the human world
  engine::Rng threat_rng;   // everything threats and defenses decide: an attack never shifts the
                            // draws of the work or of the agents' ordinary decisions
  engine::Rng attack_mail_rng;  // when attack mail arrives: the same with or without agents
  SafetyTally safety;
  std::vector<SeenInjection> chat_injections;  // pasted into a channel; agents see them at their next chat read
  std::vector<SeenInjection> seen_injections;  // read by the invocation being decided
  bool chat_read_now = false;                  // the invocation being decided read the team channel
  bool starting_task = false;                  // TryStartTask is letting agents at the chosen task first
  bool in_invoke = false;                      // an invocation is being decided (no nested one may start)
  std::vector<OpenCall> calls;
  // The cache hint stops here (prefetch.cc).
  double available_hours = 0;           // scheduled working time over the run
  uint32_t working_days = 0;
  double busy_hours = 0;                // worked (all task kinds)
  uint64_t backlog_pulled = 0;
  double value_arrived_usd = 0;         // value of the items that arrived (not backlog)
  // Incentives: the platform's metering for the current period and budget week, what the
  // last leaderboard showed, and the automations held.
  PeriodStats period;
  double period_value_start_usd = 0;
  bool invoked_today = false;
  bool incentive_pending = false;       // a refresh happened; decide at the next day start
  IncentiveView view;
  std::vector<HeldAutomation> held;
  // Adoption: the person's trust in each code-help skill (OrgModel::CodeHelpIndex), and
  // the incentive ratios' starting point (the day `ratios_from_day` begins).
  std::vector<SkillTrust> code_trust;
  uint32_t code_handovers = 0;  // changes handed to a coding agent so far (help_costs' learning curve)
  RatioStart ratio_start;
  uint64_t automations_added = 0;
  uint64_t automations_dropped = 0;
  uint64_t budget_refusals = 0;
  uint64_t changes_completed = 0;
  uint64_t changes_merged = 0;  // changes that passed review, each counted once
  double merged_size_sum = 0;   // their relative sizes (OrgModel::RelativeSize), summed
  // Changes sent to their first review ([1]: holding code an agent wrote, [0]: not), and of
  // them those defective then.
  uint32_t prs_opened[2] = {0, 0};
  uint32_t prs_opened_defective[2] = {0, 0};
  // Review rounds' clock hours, from the request to the last verdict back, summed.
  double review_round_hours_sum = 0;
  // Trace spans finished since the last TakeSpans, and the span id of the invocation being
  // decided (its reads and actions name it as their cause).
  std::vector<TraceSpan> spans;
  std::vector<InjectionRecord> injections;  // injection emails landed since the last TakeInjections
  uint64_t next_span = 0;
  uint64_t open_span = kNoSpanId;
  services::RateState human_rates;
  std::vector<PendingAsk> asks;
  std::vector<DeferredAction> deferred;  // actions of model calls still running
  std::vector<PendingHelp> helps;        // help of model calls still running
  uint32_t next_call = 0;
  uint32_t open_call = 0;                // the call Invoke is running now
  TimeUs open_call_duration_us = 0;
  std::vector<Task> changes_in_flight;  // code changes in review or in a pipeline, by ref
  // The in-flight change `ref`, or null.
  Task* FindChange(uint32_t ref) {
    auto it = std::find_if(changes_in_flight.begin(), changes_in_flight.end(), [ref](const Task& t) { return t.ref == ref; });
    return it == changes_in_flight.end() ? nullptr : &*it;
  }
  // Removes the in-flight change `ref` into *out; false when there is none.
  bool TakeChange(uint32_t ref, Task* out) {
    Task* t = FindChange(ref);
    if (t == nullptr) return false;
    *out = *t;
    changes_in_flight.erase(changes_in_flight.begin() + (t - changes_in_flight.data()));
    return true;
  }
  // Which items are done, by kind (mail by slot, chat and code by ref): completing one twice
  // is a model bug and stops the run. Kept only where CLAWSIM_MODEL_CHECKS is on (debug, ci,
  // asan and tsan presets, so every test runs with it; empty in the release preset): the bit
  // of a completed item is a cold cache line of its own (CompleteItem was 5 % of a profile at
  // 100,000 employees, most of it that miss) for a check that never fires in a correct model.
  std::vector<bool> done_mail, done_chat, done_code;
  uint32_t next_item = 0;               // ids of this employee's mail and chat items
  uint32_t next_ask = 0;
  uint32_t next_change = 0;
  double approvals_today = 0;
  // Measurements (cumulative over the run).
  EmployeeMetrics m;
  std::vector<TokenTally> tokens_by_tier;
  uint64_t items_arrived = 0;
  double lead_time_hours_sum = 0;
  uint64_t deploys_requested = 0;
  uint64_t changes_blocked = 0;  // changes nobody was allowed to deploy
  uint64_t external_serial = 0;  // inbound mail from outside, for unique message ids
  services::AuditLog audit;
  uint32_t seat = kNoSeat;  // an external seat's index (seat.h): the surrogate does not run its agents
};

struct ChannelState {
  services::Channel channel;  // members, messages, mentions, exposures, bot noise
  services::AuditLog audit;
  TeamBoard board;            // a team channel's board of changes (team_board.cc)
};

// A deploy or rollback waiting for (or holding) its service: the service runs one
// operation at a time and the LP queues the rest in arrival order.
struct QueuedDeploy {
  services::DeployRequest request;
  EmployeeId author = 0;
  uint32_t change_ref = 0;  // the author's id for the change
  TimeUs created_us = 0;    // when the change was started, for lead time
  TimeUs queued_us = 0;     // when it reached the service (with trains: began waiting for one)
  uint64_t audit_id = 0;    // the deploy.prod (or rollback) audit record that started it
};

inline constexpr uint32_t kRollbackRun = UINT32_MAX;

struct ServiceLpState {
  services::ServiceState service;  // versions, pipeline runs, incidents, health
  std::deque<QueuedDeploy> queue;
  // Release trains: prod deploys waiting for the next train, whether a departure is
  // scheduled, and whether a train is due but waits for a free pipeline.
  std::vector<QueuedDeploy> train;
  bool departure_scheduled = false;
  bool train_due = false;
  // Operations running, with the run each is (its index in service.runs(); kRollbackRun for a
  // rollback), in the order they started.
  std::vector<std::pair<uint32_t, QueuedDeploy>> running;
  uint64_t next_request = 0;
  uint64_t prod_deploys = 0;
  double lead_time_hours_sum = 0;  // over prod deploys: change started to live in prod
  uint64_t pages = 0;              // incidents paged to a responder
  uint64_t release_testing_caught = 0;  // defective changes release testing sent back
  services::AuditLog audit;
  std::vector<TraceSpan> spans;    // pipeline stages finished since the last TakeSpans
  std::vector<bool> incident_emitted;
};

class OrgModel {
 public:
  using Payload = model::Payload;
  using Ctx = engine::Context<Payload>;
  using Ev = engine::Event<Payload>;

  explicit OrgModel(const World* world);
  // The person's trust in code-help skill `skill` (scenario.proto AdoptionDynamics), in [0, 1].
  double CodeTrust(const EmployeeState& s, EmployeeId self, scenario::SkillId skill) const;

  // Schedules each employee's first day start. Call once before running.
  template <class Engine>
  void ScheduleStart(Engine& engine) {
    for (uint32_t e = 0; e < world_->num_employees; ++e) engine.Schedule(e, 0, kDayStart);
  }

  void Handle(Ctx& ctx, const Ev& ev);
  // Cache hints for an LP the engine is about to process (the engine's optional hook, see
  // sim/engine/engine.h); reads only, changes nothing. prefetch.cc.
  void Prefetch(engine::LpId lp, engine::PrefetchStage stage) const;

  // Read between RunUntil calls (serially).
  const std::vector<EmployeeState>& employees() const { return employees_; }
  const std::vector<ChannelState>& channels() const { return channels_; }
  const std::vector<ServiceLpState>& services() const { return services_; }
  // The world may be rebuilt between RunUntil calls (interventions).
  void set_world(const World* world) {
    world_ = world;
    CountCampaignTargets();
  }
  // Whether gate decisions are kept as audit records (counts are kept either way).
  void set_record_audit(bool on) { record_audit_ = on; }
  // Whether trace spans are kept (for the run file's timeline).
  void set_record_spans(bool on) { record_spans_ = on; }
  // Hands over the spans finished by `until_us` (incidents: restored by then; at the end of
  // the run, with `final`, every incident), ordered by (end_us, id). Serial only.
  std::vector<TraceSpan> TakeSpans(TimeUs until_us, bool final);
  // Hands over the injection emails landed since the last call (kept with the spans),
  // ordered by (time_us, item id). Serial only.
  std::vector<InjectionRecord> TakeInjections();
  // Hands over the audit records written since the last call, merged in (time, LP, seq)
  // order, and starts empty logs. Serial only.
  std::vector<services::AuditRecord> TakeAuditRecords();
  // Rebuilds every agent's and employee's rate-limit state after the policy changed.
  void ResetRateStates();
  // Books the tokens of model calls still open (at the end of the run). Serial only.
  void BookOpenCalls();
  // The leaderboard refresh at the end of a period: ranks everyone, sets what each person
  // saw (they act on it at their next day start) and starts a new period. Serial only.
  // Returns the views, for the run's incentive measures.
  std::vector<IncentiveView> RefreshLeaderboard(std::vector<PeriodStats>* period_out);
  // External seats (seat.h), by seat index. Serial only (between RunUntil calls).
  SeatState& seat(uint32_t i) { return seats_[i]; }
  const std::vector<SeatState>& seats() const { return seats_; }

 private:
  const scenario::CompiledScenario& sc() const { return *world_->scenario; }

  // Employee LP.
  void OnDayStart(Ctx& ctx, EmployeeState& s);
  // Frees the archived mail nothing can address again (employee.cc): what no queued task,
  // pending ask, deferred action or help names, outside what an exfiltration reads.
  void CompactMailbox(EmployeeState& s) const;
  // Delivers mail to `s`'s mailbox, compacting it first every kMailCompactEvery messages.
  void DeliverMail(EmployeeState& s, const services::EmailHeader& header, TimeUs now_us) const;
  static constexpr uint32_t kMailCompactEvery = 16;
  void OnWorkArrive(Ctx& ctx, EmployeeState& s, const Ev& ev);
  // Sends today's next planned arrival (the one after the arrival being handled).
  void SendNextArrival(Ctx& ctx, EmployeeState& s);
  void OnEmail(Ctx& ctx, EmployeeState& s, const Ev& ev);
  // Stores a delivered message and makes it a task (and news for the agents).
  // `campaign_plus_one`: an injection email a colleague forwarded (its campaign + 1), or 0.
  void ReceiveMail(Ctx& ctx, EmployeeState& s, const services::EmailHeader& header, double value_usd,
                   double effort_minutes, uint32_t campaign_plus_one = 0);
  // Sends an admitted message from this employee's mailbox; returns the audit outcome. The
  // value and effort travel with it (what answering it is worth and takes the recipient).
  services::Outcome SendMail(Ctx& ctx, EmployeeState& s, const services::SendSpec& spec, double value_usd,
                             double effort_minutes, engine::Rng& rng, uint32_t campaign_plus_one = 0);
  void OnChatMention(Ctx& ctx, EmployeeState& s, const Ev& ev);
  void OnHumanDone(Ctx& ctx, EmployeeState& s);
  void OnHumanPause(Ctx& ctx, EmployeeState& s);
  // Adds the time worked on the current task since it (re)started to the right bucket.
  void AccountWork(Ctx& ctx, EmployeeState& s);
  // A discretionary item when the person may still take one today; false otherwise.
  bool PullBacklog(Ctx& ctx, EmployeeState& s, Task* out);
  // Draws a developer's code change (value, effort, a defect by their quality) into *t.
  void DrawCodeChange(EmployeeId self, engine::Rng& rng, Task* t) const;
  // Work nobody assigned (AdoptionDynamics.unassigned_changes_max): queues up to `room`
  // backlog changes the person hands the code-help call being decided, each waiting for the
  // agent's output; returns how many.
  uint32_t HandUnassigned(Ctx& ctx, EmployeeState& s, double trust, uint32_t room);
  // Changes the person handed to agents unassigned and has not finished coding: queued
  // (waiting for the agent or for the person) or in hand.
  static uint32_t OpenUnassigned(const EmployeeState& s);
  // Human minutes a queued task would still take this employee.
  double HumanMinutes(const EmployeeState& s, EmployeeId self, const Task& t) const;
  // Records that an agent removed (whole) or shortened a human task by `minutes`.
  void CreditSaving(EmployeeState& s, double minutes) { s.m.hours.saved_hours += minutes / 60.0; }
  // Sends a change out for review (or straight to deploy when nobody reviews).
  void SendForReview(Ctx& ctx, EmployeeState& s, Task change);
  // The employee answering pages (and ON_CALL approvals) for `team` today.
  EmployeeId OnCall(scenario::TeamId team, TimeUs now_us) const;
  // Decides a gate request and counts the verdict under its deciding rule.
  services::GateResult Decide(EmployeeState& s, const services::GateRequest& req, services::RateState* agent_rates);
  void OnReviewDone(Ctx& ctx, EmployeeState& s, const Ev& ev);
  // Every review is back: rework if one caught the defect, else deploy.
  void OnReviewsComplete(Ctx& ctx, EmployeeState& s, Task change);
  void OnPipelineResult(Ctx& ctx, EmployeeState& s, const Ev& ev);
  void OnApprovalRequest(Ctx& ctx, EmployeeState& s, const Ev& ev);
  void OnApprovalDecision(Ctx& ctx, EmployeeState& s, uint32_t ask_id, bool approved, bool timed_out);
  void Enqueue(Ctx& ctx, EmployeeState& s, const Task& task);
  // The team's board (team_board.cc; CodeWork::Assignment::kTeamBoard): whether the person's
  // changes go on it; a change arriving for them posted there; asking it for a change when
  // they hold none; taking the change it answers with; and the channel LP's side.
  bool OnBoard(EmployeeId e) const;
  void PostToBoard(Ctx& ctx, EmployeeState& s, engine::Rng& rng);
  void AskBoard(Ctx& ctx, EmployeeState& s);
  void OnBoardTake(Ctx& ctx, EmployeeState& s, const Ev& ev);
  void HandleBoard(Ctx& ctx, TeamBoard& board, const Ev& ev);
  void TryStartTask(Ctx& ctx, EmployeeState& s);
  void FinishTask(Ctx& ctx, EmployeeState& s, const Task& task);
  void CompleteItem(Ctx& ctx, EmployeeState& s, const Task& item);
  // `attack`: the AttackKind of an attacker's change (0 for a real one).
  void RequestDeploy(Ctx& ctx, EmployeeState& s, const Task& change, uint32_t agent_plus_one, uint64_t audit_id,
                     uint8_t attack = 0);
  void HumanRollback(Ctx& ctx, EmployeeState& s, uint32_t service);
  // Decides a human's own action at the gate; returns its audit record with the decision
  // (outcome not executed: the caller sets it when the action runs).
  services::AuditRecord HumanGate(Ctx& ctx, EmployeeState& s, services::Action action, const services::Target& target,
                                  uint64_t item_id = kNoSpanId);
  uint64_t NewSpanId(EmployeeState& s, LpId lp) { return (uint64_t{lp} << 40) | s.next_span++; }
  // The work item a task is about (for span and audit causes).
  uint64_t TaskItemId(EmployeeId self, const Task& t) const;
  // An agent invocation's span (when spans are recorded).
  void RecordInvocationSpan(EmployeeState& s, EmployeeId self, uint32_t slot, uint64_t span_id, TimeUs start_us,
                            TimeUs duration_us, uint32_t name, Trigger trigger, scenario::Purpose purpose,
                            scenario::TierId tier, const TokenTally& tally, uint64_t item_id);
  // Emits the stage spans of a finished pipeline run.
  void RecordPipelineSpans(ServiceLpState& sv, uint32_t service, const services::PipelineRun& run, uint64_t audit_id);
  // A person's own chat.post in `channel` through the gate (audited); true when admitted.
  bool HumanPost(Ctx& ctx, EmployeeState& s, uint32_t channel);
  // The gate request for an agent's action (actor filled in; target left to the caller).
  services::GateRequest AgentRequest(Ctx& ctx, const EmployeeState& s, uint32_t slot, services::Action action) const;

  // Agents (agent.cc).
  void PlanAgentDay(Ctx& ctx, EmployeeState& s, bool working_day);
  void OnHeartbeat(Ctx& ctx, EmployeeState& s, uint32_t slot);
  void OnCron(Ctx& ctx, EmployeeState& s, uint32_t slot, uint32_t job);
  void OnDream(Ctx& ctx, EmployeeState& s, uint32_t slot);
  void OnPerformativeJob(Ctx& ctx, EmployeeState& s, uint32_t slot, uint32_t automation);
  // At a day start after a refresh: add or drop one performative automation.
  void ApplyIncentiveChoice(Ctx& ctx, EmployeeState& s);
  // Whether the weekly token budget refuses further calls.
  bool BudgetRefuses(EmployeeState& s);
  void OnAgentEvent(Ctx& ctx, EmployeeState& s, scenario::Event event);
  // Runs one skill invocation; returns items handled.
  uint32_t Invoke(Ctx& ctx, EmployeeState& s, uint32_t slot, scenario::SkillId skill, Trigger trigger,
                  scenario::Purpose purpose, int64_t extra_input_tokens);
  // Books tokens now (quiet cycles, consolidation: overhead by nature).
  TokenTally Charge(EmployeeState& s, scenario::TierId tier, scenario::SkillId skill, Trigger trigger,
                    scenario::Purpose purpose, int64_t input_tokens, int64_t output_tokens);
  OpenCall* FindCall(EmployeeState& s, uint32_t call);
  // Marks a call useful (it completed or shortened a real work item).
  void MarkUseful(EmployeeState& s, uint32_t call);
  // One of the call's actions is resolved; books the call once nothing is outstanding.
  void ResolveAction(EmployeeState& s, uint32_t call);
  void MaybeBook(EmployeeState& s, uint32_t call);
  // Invoke is done deciding for the open call (its deferred actions may still be pending).
  void FinishInvoke(EmployeeState& s);
  // The agent's read of its source through the gate (email.read on the owner's mailbox,
  // chat.read on the owner's team channel); false when refused or not offered.
  bool AgentRead(Ctx& ctx, EmployeeState& s, uint32_t slot, scenario::SkillId skill, services::Action action);
  // Whether an invocation of `skill` is offered `action` (least-privilege tools: only the
  // actions the skill declares; without them, any action, still bounded by the gate).
  bool Offered(scenario::SkillId skill, services::Action action) const;
  uint32_t TeamChannel(EmployeeId e) const;
  // Sets an agent audit record's cause: the invocation that decided the action.
  void SetAgentCause(EmployeeState& s, const AgentAction& act, services::AuditRecord* rec);
  // The first INCIDENT channel `e`'s team belongs to, or kNoTarget.
  uint32_t IncidentChannel(EmployeeId e) const;
  // Passes an agent action through the gate; on allow runs it, on ask parks it.
  void AgentAct(Ctx& ctx, EmployeeState& s, uint32_t slot, const AgentAction& act);
  // Queues an action of the running model call; it reaches the gate when the call finishes.
  void Defer(Ctx& ctx, EmployeeState& s, uint32_t slot, const AgentAction& act);
  // Schedules the open call's end (once per call), when its actions and help take effect.
  void ScheduleCallDone(Ctx& ctx, EmployeeState& s);
  void OnAgentCallDone(Ctx& ctx, EmployeeState& s, uint32_t call);

  // ---- help and adoption (adoption.cc) ----
  // What correct help of `skill` does to a task of `minutes` the person `self` still has to
  // do, when they handed over `handover_share` of it and an agent does `suitability` of it
  // well (both 1 but for code help); `waited_us`: how long they waited for it (asked as they
  // started it).
  HelpEffect HelpOf(EmployeeId self, const scenario::Skill& skill, double handover_share, double suitability,
                    double minutes, TimeUs waited_us) const;
  // Applies help to a queued task; true when it made the task shorter.
  bool ApplyHelp(EmployeeState& s, EmployeeId self, Task& t, const HelpEffect& h);
  // The chance that a person-change of this author's code carries a defect: 1 - their role's
  // mean change quality x their skill's quality factor.
  double AuthorDefectProbability(EmployeeId self) const;
  // A code change's size relative to its author's own version of it: 1 + (agent_code_size_ratio
  // - 1) x the share an agent wrote (scenario.proto AgentHelpCosts).
  double RelativeSize(const Task& change) const {
    return 1 + (sc().help_costs.agent_code_size_ratio - 1) * change.AgentWrittenShare();
  }
  // Whether person `self`, trusting their code-help agent `trust`, hands it the change `t`,
  // how much of it, and how suitable the change is (scenario.proto AdoptionDynamics).
  struct Delegation {
    bool delegated = false;
    double handover_share = 1;
    double suitability = 1;
  };
  Delegation DelegationOf(EmployeeId self, const Task& t, double trust) const;
  // A code-help call that stops before helping (a detector's flag) leaves the first `items`
  // queued changes it was handed (those delegated at `trust`, backlog changes it took
  // included) with the person: no agent is offered them again, none waits for its output.
  void LeaveHandedChanges(EmployeeId self, EmployeeState& s, uint32_t items, double trust) const;
  // Records one outcome of handing a change to code-help skill `skill`.
  void RecordCodeOutcome(EmployeeState& s, scenario::SkillId skill, bool paid_off);
  // At each week's start: past outcomes fade.
  void FadeTrust(EmployeeState& s) const;
  void ExecuteAgentAction(Ctx& ctx, EmployeeState& s, const AgentAction& act, uint32_t agent_id,
                          services::Decision decision, uint16_t rule);
  // Records a refused (denied, rate-limited, rejected, expired) agent action; the human
  // keeps the work (with a draft, for a correct reply; by hand, for a deploy).
  void Refuse(Ctx& ctx, EmployeeState& s, uint32_t agent_id, const AgentAction& act, services::Decision decision,
              uint16_t rule);
  // An agent's deploy that will not run: its author ships the change by hand.
  void DeployByHand(Ctx& ctx, EmployeeState& s, const Task& change);
  // The author's manual deploy: deploy.staging then deploy.prod through the gate.
  void HumanDeploy(Ctx& ctx, EmployeeState& s, const Task& change);
  // A channel as a gate target, from a copy kept beside the other channels' (employees' events
  // read it; the channel's own record is another LP's and usually cold).
  services::Target ChannelTargetOf(uint32_t channel) const { return channel_targets_[channel]; }
  double ErrorProbability(const scenario::AgentProfile& p, const scenario::Skill& k) const;
  void CountGate(EmployeeState& s, services::Decision d);

  // Threats and defenses (threats.cc).
  // At a day start: compromises that begin, today's malicious actions of compromised
  // sessions, and today's injection emails.
  void PlanThreatDay(Ctx& ctx, EmployeeState& s, bool working_day);
  void OnInjectionArrive(Ctx& ctx, EmployeeState& s, uint32_t campaign);
  // The injection detector on a delivered external mail task (the owner has agents): false
  // when it quarantined an injection (the mail is gone); a quarantined legitimate mail stays,
  // held for a person to release.
  bool DetectorAdmits(Ctx& ctx, EmployeeState& s, Task* mail);
  // A detector that screens tool outputs (InjectionDetector.screens TOOL_OUTPUTS): checks
  // the mailbox listing (`unread`, or the first `items` queued mails) and the channel a call
  // of `skill` just read; true when it flagged one, and then the call must stop: the work it
  // read is left to the person (a code-help call's changes as delegated at `trust`), a flagged
  // injection taken away.
  bool ToolOutputFlagged(Ctx& ctx, EmployeeState& s, const scenario::Skill& skill, uint32_t items, double trust,
                         bool mail_read, bool chat_read, const std::vector<uint32_t>& unread);
  // The same detector on the later turns of a multi-turn session (a skill's turns_per_item >
  // 1): each turn past an item's first reads one more tool output (a file, a test run, a
  // search), `outputs` in all, none of them attacker text. Returns how many were read before
  // the first false alarm, or `outputs` when none was flagged; a false alarm is the owner's
  // to review, as at the session's first read.
  int64_t SessionOutputsCleared(Ctx& ctx, EmployeeState& s, int64_t outputs);
  // The agent in `slot` read an injection (the open call): it may follow it.
  void ConsiderInjection(Ctx& ctx, EmployeeState& s, uint32_t slot, const SeenInjection& seen);
  // What the open call does for attackers: injections it read, a malicious skill, poisoned memory.
  void MaliciousWork(Ctx& ctx, EmployeeState& s, uint32_t slot, scenario::SkillId skill);
  // Attempts a goal's action: deferred to the open call, or at once (a compromised session).
  void AttemptGoal(Ctx& ctx, EmployeeState& s, uint32_t slot, scenario::AttackGoal goal, const AttackTag& tag, bool deferred);
  // Hands the agent's session to an attacker (its malicious actions are planned by PlanAttacks).
  void Compromise(EmployeeState& s, uint32_t slot, const AttackTag& tag, double actions_per_hour, scenario::AttackGoal goal);
  // Schedules a compromised session's malicious actions from `from_us` to the end of today's active hours.
  void PlanAttacks(Ctx& ctx, EmployeeState& s, uint32_t slot, TimeUs from_us);
  void OnAttack(Ctx& ctx, EmployeeState& s, uint32_t slot);
  void OnChatInjection(Ctx& ctx, EmployeeState& s, const Ev& ev);
  // A person handled an injection email: they may paste it into their team channel.
  void MaybeShareInjection(Ctx& ctx, EmployeeState& s, const Task& mail);
  // A malicious action the gate admitted: its effect (forward outside, phishing post, bad deploy).
  void ExecuteAttack(Ctx& ctx, EmployeeState& s, const AgentAction& act, uint32_t agent_id, services::AuditRecord* rec);
  // Adds to the agent's circuit-breaker readings of `metric`; trips a breaker that reaches its threshold.
  void FeedBreakers(Ctx& ctx, EmployeeState& s, uint32_t slot, scenario::CircuitBreaker::Metric metric, double amount);
  void OnBreakerRestore(Ctx& ctx, EmployeeState& s, uint32_t slot, uint32_t breaker);
  // Applies breaker `b`'s response to the agent in `slot` for its cooldown: audited, and its
  // restore scheduled.
  void HoldAgent(Ctx& ctx, EmployeeState& s, uint32_t slot, uint32_t b);
  // A trip of breaker `b` that reached this LP from elsewhere (or from the tripping agent,
  // `except_slot`): holds its agents, those of the named group only for a GROUP breaker.
  void HoldGroup(Ctx& ctx, EmployeeState& s, uint32_t b, uint32_t except_slot);
  // Clears the agent's memory (a poisoned instruction with it); audited.
  void QuarantineMemory(Ctx& ctx, EmployeeState& s, uint32_t slot, uint32_t breaker);
  // The first defense that stopped an agent which had acted maliciously: time to contain.
  void MarkContained(EmployeeState& s, uint32_t slot, TimeUs now_us);
  // Whether a tripped breaker refuses the agent `action` now.
  bool BreakerHolds(const AgentState& a, services::Action action, TimeUs now_us) const;
  bool Paused(const AgentState& a, TimeUs now_us) const { return now_us < a.threat.paused_until_us; }
  // A defense's audit record on an agent (breaker trip or restore, memory quarantine).
  void AuditDefense(Ctx& ctx, EmployeeState& s, uint32_t slot, services::Action action, services::Decision decision,
                    uint64_t object);
  uint32_t SlotOfAgent(const EmployeeState& s, uint32_t agent_id) const;
  // Whether any of the agent's skills offers `action` (what a compromised session may use
  // under least-privilege tools).
  bool OfferedToAgent(const AgentState& a, services::Action action) const;
  // The malicious-action bookkeeping when a goal is attempted.
  void CountAttempt(Ctx& ctx, EmployeeState& s, uint32_t slot, const AttackTag& tag);

  // External seats (seat.cc).
  bool IsSeat(const EmployeeState& s) const { return s.seat != kNoSeat; }
  void OnSeatCall(Ctx& ctx, EmployeeState& s, uint32_t call_id);
  // Runs an admitted seat action and fills its audit record's outcome.
  void ExecuteSeatAction(Ctx& ctx, EmployeeState& s, const AgentAction& act, services::AuditRecord* rec);
  // A seat action's gate decision is final: its result for the driver.
  void SeatResolved(EmployeeState& s, const AgentAction& act, const services::AuditRecord& rec, uint64_t audit_id);
  // A seat's read (email.read, chat.read): decided at once, an ask counts as a denial as for
  // a surrogate's read. True when admitted.
  bool SeatRead(Ctx& ctx, EmployeeState& s, SeatState& seat, const SeatCall& call, services::Action action,
                uint32_t target);

  // Channel and service LPs (services_lp.cc).
  void HandleChannel(Ctx& ctx, uint32_t channel, const Ev& ev);
  void HandleService(Ctx& ctx, uint32_t service, const Ev& ev);
  void StartNextDeploy(Ctx& ctx, uint32_t service);
  // Release trains: schedules the service's next departure (once), and starts the waiting
  // changes as one release.
  void ScheduleRelease(Ctx& ctx, ServiceLpState& sv);
  void StartRelease(Ctx& ctx, uint32_t service);
  // Release testing (deploy.release_testing_half_life_hours): as the train leaves, each
  // defective change on it was found while it waited with 1 - 2^(-waited / half-life), and
  // goes back to its author as a failed pipeline; the rest stay on the train.
  void TestWaitingTrain(Ctx& ctx, uint32_t service);
  // Turns the deploy service's effects into events, pages responders for new incidents and
  // reports a finished pipeline to its author.
  void ApplyDeployEffects(Ctx& ctx, uint32_t service, const services::DeployEffects& effects, size_t incidents_before);
  // An operation (run `finished`, or kRollbackRun) ended: its author hears of a pipeline.
  void FinishOperation(Ctx& ctx, uint32_t service, uint32_t finished);

  TimeUs Net(TimeUs natural_us) const { return std::max(natural_us, world_->lookahead_us); }
  void Audit(services::AuditLog& log, const services::AuditRecord& r) {
    if (record_audit_) log.Append(r);
  }

  const World* world_;
  bool record_audit_ = true;
  bool record_spans_ = false;
  // Scratch space for Invoke. Partitions run handlers in parallel, so it is thread-local
  // rather than a plain member.
  static thread_local std::vector<uint32_t> scratch_slots_;
  uint32_t num_rules_ = 0;  // the policy's rules (rule_verdicts rows, plus one for default deny)
  std::vector<uint32_t> code_help_index_;  // by skill: its place in EmployeeState::code_trust, or UINT32_MAX
  std::vector<EmployeeState> employees_;
  std::vector<ChannelState> channels_;
  std::vector<services::Target> channel_targets_;  // by channel: channels_[c].channel.AsTarget()
  std::vector<ServiceLpState> services_;
  std::vector<SeatState> seats_;            // external seats, by seat index
  std::vector<uint32_t> campaign_targets_;  // employees each injection campaign targets
  void CountCampaignTargets();
};

// Fills out->safety from the model's tallies, and out's agent-caused and agent-advice
// incidents (by cause in out->safety) from the services' incidents (safety_summary.cc).
void SummariseSafety(const scenario::CompiledScenario& sc, const OrgModel& m, uint32_t days, RunSummary* out);

}  // namespace clawsim::model
