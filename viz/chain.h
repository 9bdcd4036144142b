// Harms and the chains of causes behind them, read from a RunData and its CausalIndex: what
// the Harms panel lists, what the Inspector names, and what `clawsim inspect --trace-back`
// prints. No ImGui: the viewer and the command line share it (STYLE.md, Tracy).
//
// A harm is a leak or an exposure (an audit row whose outcome is "data_leaked" or
// "exposed") or an incident (an incident span). Its origin is found by walking causes
// backwards (CausalIndex::Causes, so item and deploy links respect time) breadth first, with
// a depth cap and a visited set, so a crafted file with deep or cyclic chains costs at most
// kMaxWalk records per harm.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "viz/run_data.h"

namespace clawsim::viz {

// One line naming a record: "incident SEV2 on payments, day 3 11:06:40.000",
// "audit #1998 deploy.prod by alice/deployer, allowed, day 2 ...",
// "injection email of bob (campaign invoice-phish, exfiltrate), day 7 ...".
std::string DescribeRecord(const RunData& run, RecordRef record);

// Where a chain of causes begins.
//
// An incident (format 1.6) is named by where the defect behind it came from
// (Span.defect_origin, the classes of RunSummary.incident_origins): a person's change is kPerson
// even when an agent deployed it; code help's defect or an agent's wrong deploy is kAgent; an
// attacker's change is kInjection or kAttack. Who deployed the change is the second fact,
// `deployed_by`. A leak or other harm is named by its chain: the injection email that started it
// (followed back through forwards to the original), an attack source, else the first agent's
// record (an agent's own error), else a person's.
struct Origin {
  enum class Kind : uint8_t { kUnknown, kInjection, kAttack, kAgent, kPerson };
  Kind kind = Kind::kUnknown;
  RecordRef injection;  // kInjection: the original injection email (not a forwarded copy)
  // "injection \"invoice-phish\" (exfiltrate) via forward, forwarded by bob", "compromise \"x\"",
  // "agent alice/triage" (an agent's action with no attack in its chain), "person alice";
  // an incident: "a person's change", "code an agent wrote", "an agent's wrong deploy",
  // "injection \"x\" ...", ...
  std::string text;
  // An incident: the defect origin's name in the run file ("person_change", ...), empty if the
  // file does not say (before 1.6); and who deployed the change ("agent alice/deployer",
  // "person bob"), empty if no deploy record is in the chain.
  std::string defect;
  std::string deployed_by;
};
const char* OriginKindName(Origin::Kind kind);  // "injection", "attack", "agent", "person", "unknown"

// The origin of `record`: for an incident with a defect origin, that origin (with the attack
// behind an attacker's change, if its chain shows it) and who deployed; otherwise an
// injection email (the original, past any forwards) or an attack source anywhere in its chain
// wins; else the first agent's action or invocation (an agent's own error); else a person's.
Origin FindOrigin(const RunData& run, RecordRef record);

// Who deployed the change behind `incident` (an incident span; a spread incident's root's):
// "agent alice/deployer" or "person bob", from the deploy.prod audit record in its chain, or
// "" if the chain holds none.
std::string DeployerOf(const RunData& run, RecordRef incident);

struct Harm {
  // kAttack: an action taken for an attacker that took effect without a leak or exposure
  // (mail forwarded outside that held nothing sensitive, a post, a deploy): an agent's audit
  // row citing an attack source or session, whose outcome is not a refusal.
  enum class Kind : uint8_t { kLeak, kExposure, kIncident, kAttack };
  Kind kind = Kind::kLeak;
  RecordRef record;         // the audit row or incident span
  int64_t time_us = 0;
  std::string service;      // "email", "chat", or the incident's service
  Origin origin;            // its cause
  std::string description;  // what happened, one line
};
const char* HarmKindName(Harm::Kind kind);  // "leak", "exposure", "incident", "attack"

// Every harm of the run: leaks, exposures and attacks' actions in time order, then incidents
// in time order.
std::vector<Harm> ListHarms(const RunData& run);

// One line of a trace-back: a record, or a cause with no record (an attack source, a
// dangling id), at its depth below the start.
struct ChainStep {
  int depth = 0;
  RecordRef record;     // invalid for a cause with no record
  CauseRef cause;       // what pointed here (kNone for the start)
  std::string text;
};

struct TraceBackLimits {
  int max_depth = 24;       // steps below the start
  size_t max_steps = 400;   // lines in all
};

// The chain from `start` back to its origins, depth first, each record once (a record seen
// again is not repeated, which also ends cycles). *truncated is set when a limit cut it.
std::vector<ChainStep> TraceBack(const RunData& run, RecordRef start, const TraceBackLimits& limits, bool* truncated);

}  // namespace clawsim::viz
