// Threats and defenses: the plain parts the organisation model uses to let injection
// campaigns, compromised agents and malicious skills act, and to stop them (circuit
// breakers, memory quarantine). The model's handlers are in threats.cc.
//
// Attack sources are numbered in one table per run: the scenario's injection campaigns
// first, then its agent compromises, then its malicious skills. Every malicious action
// carries its source (AttackTag), so attempts and successes are counted per source and
// every harm traces to its origin: the injection email, the compromised session, or the
// skill run.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/engine/time.h"
#include "sim/model/trace.h"
#include "sim/model/vector_queue.h"
#include "sim/scenario/compiled_scenario.h"

namespace clawsim::model {

using engine::TimeUs;

enum class AttackKind : uint8_t { kNone = 0, kInjection = 1, kCompromise = 2, kMaliciousSkill = 3 };
inline constexpr int kNumAttackKinds = 4;
// "none", "injection", "compromise", "malicious_skill".
const char* AttackKindName(AttackKind k);

// Who a malicious action is for, and what set the agent on it.
struct AttackTag {
  AttackKind kind = AttackKind::kNone;
  // An injection acted on as it was read (by the agent that read it), not later through a
  // poisoned memory or a session a phishing link handed over: AgentDojo's per-exposure
  // success counts only these. (Beside `kind`, so the tag stays 16 bytes.)
  bool read_now = false;
  uint32_t source = 0;             // index in the run's attack-source table
  uint64_t origin_id = kNoSpanId;  // the injection email's item id, the compromised session's id, or the skill run's span
  bool active() const { return kind != AttackKind::kNone; }
};
static_assert(sizeof(AttackTag) == 16, "AttackTag rides in every agent action");

// The run's attack sources, in table order: campaigns, compromises, malicious skills.
struct AttackSource {
  AttackKind kind = AttackKind::kNone;
  std::string name;  // the campaign's or compromise's name; the malicious skill's skill name
};
std::vector<AttackSource> AttackSources(const scenario::CompiledScenario& sc);
inline uint32_t CampaignSource(uint32_t campaign) { return campaign; }
inline uint32_t CompromiseSource(const scenario::CompiledScenario& sc, uint32_t compromise) {
  return static_cast<uint32_t>(sc.threats.injection_campaigns.size()) + compromise;
}
inline uint32_t MaliciousSkillSource(const scenario::CompiledScenario& sc, uint32_t entry) {
  return static_cast<uint32_t>(sc.threats.injection_campaigns.size() + sc.threats.compromised_agents.size()) + entry;
}
// The id of a compromised session: the agent and the source it acts for.
inline uint64_t SessionId(uint32_t agent_id, uint32_t source) { return (uint64_t{1} << 62) | (uint64_t{source} << 32) | agent_id; }

// Defense audit records (rule services::kDefenseRule) name what acted in object_id: a
// circuit breaker's index for a trip or restore; kQuarantineObject | breaker index (or
// | 0xffff after a detected injection) for a memory quarantine.
// An agent action refused because a tripped breaker holds the agent: kHeldObject.
inline constexpr uint64_t kQuarantineObject = uint64_t{1} << 32;
inline constexpr uint64_t kHeldObject = uint64_t{2} << 32;
inline constexpr uint32_t kDetectorQuarantine = 0xffff;

// A sliding-window sum for a circuit breaker: amounts added at times, summed over the last
// `window_us` (an amount added at t counts while now - t < window_us).
class SlidingWindow {
 public:
  void Add(TimeUs now_us, double amount, TimeUs window_us) {
    Expire(now_us, window_us);
    events_.push_back({now_us, amount});
    sum_ += amount;
  }
  double Sum(TimeUs now_us, TimeUs window_us) {
    Expire(now_us, window_us);
    return sum_;
  }
  void Clear() {
    events_.clear();
    sum_ = 0;
  }
  // The amounts in the window, oldest first (for memory reports).
  const VectorQueue<std::pair<TimeUs, double>>& entries() const { return events_; }

 private:
  void Expire(TimeUs now_us, TimeUs window_us) {
    while (!events_.empty() && now_us - events_.front().first >= window_us) {
      sum_ -= events_.front().second;
      events_.pop_front();
    }
    if (events_.empty()) sum_ = 0;  // no drift from repeated additions and removals
  }
  VectorQueue<std::pair<TimeUs, double>> events_;
  double sum_ = 0;
};

// The breaker's reading over its window: a sum, or for TOKENS_PER_HOUR the sum per hour.
inline double BreakerReading(const scenario::CircuitBreaker& b, double window_sum) {
  if (b.metric != scenario::CircuitBreaker::Metric::kTokensPerHour) return window_sum;
  return window_sum / engine::UsToHours(b.window_us);
}
// Whether a breaker trips: its reading has reached the threshold.
inline bool BreakerTrips(const scenario::CircuitBreaker& b, double window_sum) {
  return BreakerReading(b, window_sum) >= b.threshold;
}

// An agent's standing with the threats and defenses.
struct AgentThreatState {
  AttackTag compromised;                 // active: the session acts for an attacker
  double compromise_actions_per_hour = 0;
  scenario::AttackGoal compromise_goal = scenario::AttackGoal::kExfiltrate;
  int32_t poison_campaign = -1;          // an instruction written into memory (PERSIST), or -1
  bool poison_active = false;            // consolidated: invocations that read memory act on it
  uint64_t poison_origin = kNoSpanId;    // the injection email it came from
  TimeUs first_malicious_us = -1;        // the first malicious action it attempted
  bool contained = false;                // a breaker or quarantine stopped it after that
  TimeUs paused_until_us = 0;            // PAUSE: nothing until then
  TimeUs read_only_until_us = 0;         // READ_ONLY: reads only until then
  std::vector<SlidingWindow> breakers;   // one per defenses.circuit_breakers
  std::vector<TimeUs> breaker_until_us;  // a breaker does not trip again before its cooldown ends
};

// An injection the agents will see at their next chat read: pasted into a channel they read.
struct SeenInjection {
  uint32_t campaign = 0;
  uint64_t origin_id = kNoSpanId;  // the injection email's item id
  InjectionRoute route = InjectionRoute::kTriage;
};

// What the threats did and the defenses cost, per employee (summed by the runner).
struct SafetyTally {
  std::vector<uint64_t> attempts;   // by attack source: goal actions attempted
  std::vector<uint64_t> successes;  // by attack source: goal actions that took effect
  uint64_t injection_emails = 0;    // injection emails that arrived
  uint64_t injections_detected = 0; // of them, quarantined by the detector
  uint64_t detector_checks = 0;
  uint64_t false_positives = 0;     // legitimate emails quarantined
  double release_hours = 0;         // human time releasing them
  uint64_t injections_read = 0;     // injections an agent read (mail or chat)
  uint64_t injections_followed = 0;
  uint64_t injections_succeeded = 0;  // of them, those whose own goal action then took effect
  uint64_t injections_shared = 0;   // pasted into a channel by a person
  uint64_t memory_poisonings = 0;   // PERSIST injections written into memory
  uint64_t exfiltrated_messages = 0;     // mail forwarded outside by malicious actions
  uint64_t exfiltrated_sensitive = 0;    // of them, sensitive
  uint64_t phishing_posts = 0;      // links posted by malicious actions
  uint64_t phishing_clicks = 0;
  uint64_t agents_compromised = 0;  // sessions taken over (compromises and clicked links)
  uint64_t breaker_trips = 0;
  uint64_t memory_quarantines = 0;
  uint64_t approvals_decided = 0;
  uint64_t approvals_correct = 0;   // a good request approved or a bad one rejected
  // Asks of this person's agents a person answered, and the clock minutes from each ask to
  // its answer reaching the agent.
  uint64_t asks_answered = 0;
  double ask_wait_minutes_sum = 0;
  double contain_hours_sum = 0;
  uint64_t contained = 0;
  void Resize(size_t sources) {
    attempts.assign(sources, 0);
    successes.assign(sources, 0);
  }
};

}  // namespace clawsim::model
