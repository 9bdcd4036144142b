// ServicesWorld: the mock services wired together on the real engine.
//
// This is the reference wiring the org model follows, and the harness the end-to-end tests
// and the email benchmark run: employees whose agents (or they themselves) send mail, triage
// their mailbox, post and read in chat and deploy services, every request passing the
// permission gate, asks going to approvers' queues, and every request landing once in an
// audit log. The workload is a simple random mix (WorldOptions), not the org model's.
//
// LPs: employees [0, E) (person, agents, mailbox, rate state, approval queue, pending asks);
// chat channels [E, E + C) (one per team, then one company-wide); services [E + C, E + C + S).
// Employee e is in team e % teams; every fourth employee (e % 4 == 3) is a manager (role 1),
// the rest developers (role 0). Agent k of employee e has id e * agents_per_employee + k and
// profile k. Every LP writes its own AuditLog; MergedAudit() merges them after the run.
#pragma once

#include <cstdint>
#include <memory>
#include <variant>
#include <vector>

#include "mock_services/approval_queue.h"
#include "mock_services/audit_log.h"
#include "mock_services/chat.h"
#include "mock_services/deploy_catalog.h"
#include "mock_services/deploy_service.h"
#include "mock_services/email.h"
#include "mock_services/pending_asks.h"
#include "mock_services/policy.h"
#include "mock_services/work_calendar.h"
#include "sim/engine/engine.h"

namespace clawsim::services {

struct WorldOptions {
  uint32_t employees = 16;
  uint32_t teams = 4;
  uint32_t agents_per_employee = 1;
  engine::TimeUs lookahead_us = engine::kUsPerSecond;
  // Workload: each employee LP acts every Exponential(mean_action_gap_us) until stop.
  engine::TimeUs mean_action_gap_us = 10 * engine::kUsPerMinute;
  engine::TimeUs stop_requests_at_us = engine::kUsPerDay;
  double weight_email_send = 4, weight_email_triage = 2, weight_chat_post = 3, weight_chat_read = 1,
         weight_deploy = 1;
  double p_by_agent = 0.7;        // else the employee acts directly
  double p_reply = 0.3;           // an email send replies to a received message, if any
  double p_forward = 0.1;         // ... or forwards one to an external domain
  double p_external = 0.15;       // a new email also goes to an external domain
  double p_sensitive = 0.15;      // a new email or post carries sensitive data
  double p_needed = 0.6;          // an agent's chat post is something someone needed
  double p_other_team_channel = 0.1;  // a post goes to a channel the poster is not in
  double p_rollback = 0.15, p_to_prod = 0.5;
  double min_change_quality = 0.3;    // change quality ~ Uniform(min, 1); below 0.5 is "bad"
  uint32_t external_domains = 3;
  EmailOptions email;
  ChatOptions chat;
  DeployOptions deploy;
  ApprovalOptions approval;
  WorkCalendar calendar;  // approvers' hours
};

// Event payloads.
struct ChatCmd {
  uint64_t request_id = 0;
  ChatPost post;
  AgentId agent = kNoId;
  EmployeeId on_behalf_of = 0;
  uint16_t rule = kNoRule;
  Decision decision = Decision::kAllowed;
  bool read = false;  // chat.read instead of chat.post
};
struct DeployCmd {
  DeployRequest request;
  AgentId agent = kNoId;
  EmployeeId on_behalf_of = 0;
  uint16_t rule = kNoRule;
  Decision decision = Decision::kAllowed;
};
struct AskAnswer {
  uint64_t request_id = 0;
  bool approved = false;
};
using WorldPayload = std::variant<std::monostate, EmailHeader, ChatCmd, DeployCmd, ApprovalRequest, AskAnswer,
                                  IncidentSignal, uint64_t /*request id*/, uint32_t /*incident index*/>;

struct WorldSummary {
  uint64_t requests = 0;  // requests issued by employees and agents
  AuditCounts audit;
  uint64_t open_asks = 0;
  uint64_t emails_sent = 0, emails_delivered = 0, leaks = 0;
  uint64_t chat_messages = 0, exposures = 0, bot_noise = 0;
  uint64_t pipeline_runs = 0, prod_deploys = 0, rollbacks = 0, incidents_root = 0, incidents_spread = 0;
  uint64_t reviews = 0, wrong_approvals = 0, wrong_rejections = 0;
};

class ServicesWorld {
 public:
  using Payload = WorldPayload;
  using Ctx = engine::Context<Payload>;
  using Ev = engine::Event<Payload>;

  enum Kind : uint32_t {
    kTick, kDeliverEmail, kChatRequest, kDeployRequest, kDeployStep, kIncidentRestore, kIncidentSpread,
    kApprovalAsk, kApprovalWake, kReviewDone, kApprovalAnswer, kApprovalTimeout, kApprovalCancel,
  };

  // `policy` and `catalog` are shared read-only and must outlive the world.
  ServicesWorld(const WorldOptions& options, const Policy& policy, const ServiceCatalog& catalog);
  Status Validate() const;

  uint32_t num_lps() const { return options_.employees + num_channels() + catalog_.size(); }
  uint32_t num_channels() const { return options_.teams + 1; }
  engine::LpId channel_lp(ChannelId c) const { return options_.employees + c; }
  engine::LpId service_lp(ServiceId s) const { return options_.employees + num_channels() + s; }
  engine::EngineOptions MakeEngineOptions(uint64_t seed, int threads) const;
  // Schedules every employee's first action. Call once after Engine::Init.
  void Start(engine::Engine<ServicesWorld>& engine);
  void Handle(Ctx& ctx, const Ev& ev);

  // After a run (serial).
  void RecordOpenAsks(engine::TimeUs now_us);  // writes kOpenAtEnd for asks still open
  std::vector<AuditRecord> MergedAudit() const;
  WorldSummary Summary() const;
  const Mailbox& mailbox(EmployeeId e) const { return employees_[e].mailbox; }
  const Channel& channel(ChannelId c) const { return channels_[c].channel; }
  const ServiceState& service(ServiceId s) const { return services_[s].state; }
  const ApprovalQueue& approvals(EmployeeId e) const { return employees_[e].approvals; }
  uint64_t requests_issued(EmployeeId e) const { return employees_[e].issued; }
  const std::vector<TeamId>& team_of_employee() const { return team_of_; }

 private:
  // Everything a requester needs to carry out an action after an ask.
  struct PendingAction {
    Action action = Action::kEmailRead;
    Actor actor;
    Target target;
    SendSpec email;
    ChatCmd chat;
    ChannelId channel = 0;
    DeployCmd deploy;
    ServiceId service = 0;
    EmployeeId approver = kNoId;  // set when the gate asks
    uint16_t ask_rule = kNoRule;  // the rule that asked, for the audit record
  };
  struct EmployeeLp {
    Mailbox mailbox;
    RateState human_rates;
    std::vector<RateState> agent_rates;
    ApprovalQueue approvals;
    PendingAsks<PendingAction> pending;
    AuditLog audit;
    uint32_t next_request = 1;
    uint64_t issued = 0;
    std::vector<uint32_t> scratch_slots;
  };
  struct ChannelLp {
    Channel channel;
    AuditLog audit;
  };
  struct ServiceLp {
    ServiceState state;
    AuditLog audit;
    DeployEffects effects;
  };

  void OnTick(Ctx& ctx, EmployeeLp& me);
  bool BuildAction(Ctx& ctx, EmployeeLp& me, PendingAction* a, bool* should_approve);
  void Execute(Ctx& ctx, EmployeeLp& me, uint64_t request_id, const PendingAction& a, Decision d, uint16_t rule);
  void Record(Ctx& ctx, AuditLog& log, uint64_t request_id, const Actor& actor, Action action, uint32_t target,
              Decision d, Outcome o, uint16_t rule, uint64_t object_id);
  void OnChat(Ctx& ctx, ChannelLp& ch, const ChatCmd& cmd);
  void OnDeploy(Ctx& ctx, ServiceLp& svc, const DeployCmd& cmd);
  void ApplyEffects(Ctx& ctx, ServiceLp& svc);
  void PollApprovals(Ctx& ctx, EmployeeLp& me);
  void OnAnswer(Ctx& ctx, EmployeeLp& me, uint64_t request_id, bool approved, bool timed_out);

  WorldOptions options_;
  const Policy& policy_;
  const ServiceCatalog& catalog_;
  std::vector<TeamId> team_of_;
  std::vector<RoleId> role_of_;
  std::vector<EmployeeLp> employees_;
  std::vector<ChannelLp> channels_;
  std::vector<ServiceLp> services_;
};

}  // namespace clawsim::services
