// Seats: employees whose agent is driven from outside the simulation (`clawsim serve`)
// instead of by the surrogate the scenario describes.
//
// An external seat keeps everything else about the employee: the person works as usual,
// mail and mentions arrive, injection campaigns target them like anyone. What changes is
// their agent: no heartbeat, cron job, event reaction, consolidation or deploy trigger of
// the surrogate runs for it. Its actions are SeatCalls that a driver submits between two
// engine steps; each runs as an event on the seat's employee LP at the time it was
// submitted and takes the same path as a surrogate's action: least-privilege tools, the
// circuit breakers, the permission gate (allow, ask a person, deny, rate limits), and an
// audit record marked external. An ask waits for the simulated approver or its timeout.
//
// Ownership and threads. A SeatState is touched by its employee's LP inside Handle (on an
// engine worker) and by the driver between RunUntil calls (serially), never both at once.
// Ids: a seat is an index into World::seats; a call id is the seat's own counter.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "mock_services/audit_log.h"
#include "mock_services/email.h"
#include "sim/common/status.h"
#include "sim/engine/time.h"
#include "sim/model/threats.h"

namespace clawsim::model {

// The actions a seat's client may take. Reads of state the gate has no action for (deploy
// status, the agent's memory) and `wait` are served by the driver; their call still runs as
// an event, which meters the step's tokens and writes an audit record of decision
// services::Decision::kUngated (every call of a seat is in the audit log).
enum class SeatTool : uint8_t {
  kListMail,      // email.read on the owner's mailbox
  kReadMail,      // email.read; marks the message read
  kSendMail,      // email.send_internal / email.send_external: new, reply or forward
  kReadChannel,   // chat.read on a channel
  kPostChannel,   // chat.post in a channel
  kDeployStaging, // deploy.staging of one of the owner's reviewed changes
  kDeployProd,    // deploy.prod of a staged change: starts its pipeline
  kRollback,      // deploy.rollback of a service
  kWriteMemory,   // the agent's memory (no gate action; its size is the memory's tokens)
  kDeployStatus,  // no gate action: the driver reads the deploy state
  kReadMemory,    // no gate action: the driver keeps the memory's text
  kWait,          // no gate action: the driver runs the world until a trigger
};
const char* SeatToolAction(SeatTool tool);  // the gate action's name, or "" for none
// The ungated tools' action names, in the order of AuditRecord::ungated_action: appended to
// the run file's action names in a run with seats ("deploy.status", "memory.read",
// "memory.write", "wait").
const std::vector<std::string>& SeatUngatedActionNames();
// A tool's index into SeatUngatedActionNames, or -1 for a gated tool.
int SeatUngatedAction(SeatTool tool);

inline constexpr uint32_t kNoSeat = UINT32_MAX;
inline constexpr uint32_t kNoSlot = UINT32_MAX;

// One tool call, as submitted by the driver.
struct SeatCall {
  uint32_t id = 0;
  SeatTool tool = SeatTool::kListMail;
  uint32_t mail_slot = kNoSlot;           // read: the message; send: reply to or forward it
  bool forward = false;                   // send: forward mail_slot (labels and size carried)
  std::vector<services::Recipient> to;    // send (new mail or forward); a reply goes to the sender
  uint32_t body_tokens = 0;               // send: size of what the client wrote; memory: its size
  bool quotes_sensitive = false;          // send: the body quotes a confidential message the seat read
  uint32_t channel = 0;                   // read / post
  uint32_t mention = UINT32_MAX;          // post: the employee mentioned, or none
  uint32_t service = 0;                   // rollback
  uint32_t change = 0;                    // deploy: the owner's change ref
  // Set by the driver when the call does what an injection the seat read asked for (its
  // attacker's address or link, its memory text): the action is then an attack action and
  // names the injection email as its cause.
  AttackTag follows;
  // The client's tokens for this step (reported in the request's _meta, else estimated).
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
};

// What became of a call. Written once by the seat's LP when the call resolves.
struct SeatResult {
  bool done = false;
  TimeUs decided_us = 0;
  bool gated = false;                          // false: the tool has no gate action (decision kUngated)
  services::Decision decision = services::Decision::kAllowed;
  services::Outcome outcome = services::Outcome::kDone;
  uint16_t rule = 0;                           // the deciding rule (services::kNoRule, kServiceRule, kDefenseRule)
  uint64_t audit_id = 0;                       // the call's audit record
  uint64_t object_id = 0;                      // the mail sent, ...
  bool asked = false;                          // the gate asked a person first
  std::vector<uint32_t> mail_slots;            // list_mail: the inbox, oldest first
  services::MailboxEntry mail;                 // read_mail: the message
  bool mail_found = false;
  int32_t injection_campaign = -1;             // read_mail: the campaign of an injection email, else -1
  uint64_t mail_item_id = 0;                   // read_mail: the message's work-item id
  std::string refusal;                         // a call refused before the gate (no such change, ...)
  // read_channel of the team channel: injection text colleagues pasted there since the last
  // read (what a surrogate's chat read would have seen).
  std::vector<SeenInjection> pasted;
};

// Something the seat's agent would have woken up for (the surrogate's event triggers).
struct SeatTrigger {
  TimeUs time_us = 0;
  uint32_t event = 0;  // scenario::Event
};

// An injection email the seat read.
struct SeatInjectionRead {
  uint32_t campaign = 0;
  uint64_t origin_id = 0;  // the email's work-item id (the run file's injection record)
  uint32_t mail_slot = 0;
  TimeUs time_us = 0;
};

struct SeatState {
  uint32_t employee = 0;
  uint32_t agent_slot = 0;    // index in the employee's agents
  uint32_t agent_id = 0;
  std::vector<SeatCall> queued;           // submitted, waiting for their event
  std::vector<SeatResult> results;        // by call id
  std::vector<SeatTrigger> triggers;      // since the driver last took them
  std::map<uint32_t, uint32_t> injection_campaign_of_slot;  // injection emails in the mailbox
  std::vector<SeatInjectionRead> injections_read;
  std::vector<uint32_t> staged_changes;   // changes deploy.staging admitted, not yet promoted
  // Tallies for the per-seat summary.
  uint64_t injections_received = 0;
  uint64_t injections_followed = 0;
  uint64_t leaks = 0;
  uint64_t input_tokens = 0, output_tokens = 0;
  double cost_usd = 0;
  // Harms counted at the end of the run from the services' state.
  uint64_t deploys_started = 0;   // pipeline runs of changes the seat's agent submitted
  uint64_t incidents_caused = 0;  // of them, runs that opened an incident
};

// Who each seat is: its employee and the agent it drives.
struct SeatInfo {
  uint32_t employee = 0;
  uint32_t agent_id = 0;
  bool agent_added = false;  // the employee had no agent in this run; one was added for the seat
};

}  // namespace clawsim::model
