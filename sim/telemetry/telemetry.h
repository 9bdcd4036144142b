// Telemetry: what an agent platform's logs hold about a run, and nothing more; and, kept
// apart, the simulation's ground truth that detectors are scored against.
//
// A platform team sees every model call its agents make (who, which agent, skill, trigger,
// model tier, tokens, cost, duration, whether it worked on an item), every tool call those
// agents request with the gate's decision, a directory of people (team, role) with the code
// host's per-run counts, and per person and day their token use, the items they and their
// agents touched and the changes they coded. It never sees why a token was spent (useful,
// overhead, performative) or which action an attacker drove: those live in GroundTruth.
//
// The file format (JSON Lines) is specified in TELEMETRY.md next to this header;
// telemetry_jsonl.h writes and reads it. Extract() derives both structs from any run file
// written at trace level audit or full.
//
// Thread: any; the functions touch only their arguments.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sim/common/status.h"

namespace clawsim::telemetry {

inline constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
inline constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
inline constexpr int64_t kUsPerDay = 86'400'000'000;

// The run the telemetry was taken from.
struct TelemetryHeader {
  std::string scenario;         // the scenario's name
  uint64_t seed = 0;
  uint32_t days = 0;            // simulated days; day d covers [d, d + 1) x kUsPerDay
  std::string run_fingerprint;  // the run's fingerprint, 16 lowercase hex digits
  // Where ReadJsonl found the fingerprint ("path:line:column: "), for messages; empty when
  // the header came from a run file.
  std::string fingerprint_where;
};

struct Person {
  std::string name;
  std::string team;
  std::string role;               // "developer", "manager" or "other"
  uint64_t changes_merged = 0;    // over the run (the code host's count)
  uint64_t items_completed = 0;   // over the run (the ticketing and mail systems' count)
};

struct Agent {
  std::string name;   // e.g. "alice/dev-assistant"
  uint32_t owner = 0; // index into Telemetry::people
};

// One model call of an agent.
struct Invocation {
  uint64_t id = 0;             // unique among invocations; Action::invocation refers to it
  int64_t start_us = 0;        // simulated microseconds since the start of the run
  int64_t duration_us = 0;
  uint32_t agent = 0;          // index into Telemetry::agents
  uint32_t employee = 0;       // the agent's owner, index into Telemetry::people
  uint32_t skill = 0;          // index into Telemetry::skills ("heartbeat" for a bare heartbeat)
  uint32_t trigger = 0;        // index into Telemetry::triggers
  uint32_t tier = kNone;       // index into Telemetry::tiers; kNone when the run file predates 1.4
  uint64_t input_tokens = 0;
  uint64_t output_tokens = 0;
  double cost_usd = 0;
  bool worked_on_item = false; // the call was given a work item (mail, message, change)
  uint32_t actions = 0;        // tool calls it requested (Action rows naming it)
  uint32_t actions_refused = 0;// of those, not allowed (denied, rate limited, rejected, expired)
};

// One tool call an agent requested, with the gate's decision.
struct Action {
  int64_t time_us = 0;
  uint32_t agent = 0;             // index into Telemetry::agents
  uint32_t employee = 0;          // on whose behalf
  uint32_t action = 0;            // index into Telemetry::actions ("email.send_external", ...)
  uint32_t target = 0;            // index into Telemetry::targets ("domain:example.org", ...)
  uint32_t decision = 0;          // index into Telemetry::decisions ("allowed", "denied", ...)
  uint64_t invocation = UINT64_MAX;  // the model call that requested it; UINT64_MAX: none logged
};

// One person's day.
struct EmployeeDay {
  uint32_t employee = 0;
  uint32_t day = 0;
  uint64_t tokens = 0;          // input + output tokens of their agents' calls that day
  uint64_t invocations = 0;
  uint64_t items_touched = 0;   // distinct work items they or their agents worked on
  uint64_t changes_coded = 0;   // code changes they finished writing (submitted for review)
};

struct Telemetry {
  TelemetryHeader header;
  std::vector<Person> people;    // by employee id
  std::vector<Agent> agents;     // by agent id
  std::vector<std::string> skills, triggers, tiers, actions, targets, decisions;  // name tables
  std::vector<Invocation> invocations;  // in start order (ties by id)
  std::vector<Action> tool_calls;       // in time order (ties by log order)
  std::vector<EmployeeDay> employee_days;  // by (day, employee); every person, every day
};

// What only the simulation knows.
struct GroundTruth {
  // By employee: tokens and cost their agents spent for a metric (purpose performative), all
  // their tokens, the first performative call's start (kNever if none), value delivered.
  std::vector<uint64_t> performative_tokens;
  std::vector<double> performative_cost_usd;
  std::vector<uint64_t> total_tokens;
  std::vector<int64_t> first_performative_us;
  std::vector<double> value_usd;
  // [day][employee]: performative tokens and their cost that day.
  std::vector<std::vector<uint64_t>> performative_tokens_by_day;
  std::vector<std::vector<double>> performative_cost_usd_by_day;
  // By agent: actions and calls an attacker drove (a compromised session, a malicious
  // skill), and the first one's time (kNever if none).
  std::vector<uint64_t> attack_records;
  std::vector<int64_t> first_attack_us;
  // [day][agent]: attacker-driven records that day.
  std::vector<std::vector<uint64_t>> attack_records_by_day;
  // By agent: calls that followed an injected instruction (invocations with outcome
  // "injected", run files 1.5 and later), and the first one's start (kNever if none); and
  // [day][agent] the same per day. The injection emails that landed in the run (0: no
  // campaign reached anyone, or a file before 1.5).
  std::vector<uint64_t> injected_calls;
  std::vector<int64_t> first_injected_us;
  std::vector<std::vector<uint64_t>> injected_calls_by_day;
  uint64_t injection_emails = 0;
};

// Reads the run file at `path` (trace level audit or full: it needs spans and the audit log)
// and fills both. Refuses a trace-level-none file with a message saying how to re-run.
Status Extract(const std::string& path, Telemetry* telemetry, GroundTruth* truth);

// Whether a decision name means the action did not go ahead.
bool IsRefusal(const std::string& decision);

}  // namespace clawsim::telemetry
