#include "mock_services/audit_log.h"

#include <algorithm>
#include <tuple>

#include "sim/engine/hash.h"

namespace clawsim::services {

const char* DecisionName(Decision d) {
  switch (d) {
    case Decision::kAllowed: return "allowed";
    case Decision::kApproved: return "approved";
    case Decision::kAutoApproved: return "auto_approved";
    case Decision::kRejected: return "rejected";
    case Decision::kExpired: return "expired";
    case Decision::kDenied: return "denied";
    case Decision::kRateLimited: return "rate_limited";
    case Decision::kOpenAtEnd: return "open_at_end";
    case Decision::kHeld: return "held";
    case Decision::kReleased: return "released";
    case Decision::kUngated: return "ungated";
  }
  return "?";
}

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kNotExecuted: return "not_executed";
    case Outcome::kDone: return "done";
    case Outcome::kDataLeaked: return "data_leaked";
    case Outcome::kExposed: return "exposed";
    case Outcome::kStarted: return "started";
    case Outcome::kServiceRefused: return "service_refused";
  }
  return "?";
}

std::vector<AuditRecord> MergeAuditLogs(std::span<const AuditLog* const> logs) {
  std::vector<AuditRecord> all;
  size_t n = 0;
  for (const AuditLog* log : logs) n += log->records().size();
  all.reserve(n);
  for (const AuditLog* log : logs) all.insert(all.end(), log->records().begin(), log->records().end());
  std::sort(all.begin(), all.end(), [](const AuditRecord& a, const AuditRecord& b) {
    return std::tie(a.time_us, a.lp, a.seq) < std::tie(b.time_us, b.lp, b.seq);
  });
  return all;
}

uint64_t HashAuditRecord(const AuditRecord& r) {
  using engine::HashCombine;
  uint64_t h = HashCombine(static_cast<uint64_t>(r.time_us), r.request_id);
  h = HashCombine(h, r.object_id);
  h = HashCombine(h, (uint64_t{r.lp} << 32) | r.seq);
  h = HashCombine(h, (uint64_t{r.agent} << 32) | r.on_behalf_of);
  h = HashCombine(h, (uint64_t{r.target} << 32) | r.rule);
  return HashCombine(h, (uint64_t{static_cast<uint8_t>(r.action)} << 16) |
                            (uint64_t{static_cast<uint8_t>(r.decision)} << 8) | static_cast<uint8_t>(r.outcome));
}

uint64_t AuditFingerprint(std::span<const AuditRecord> records) {
  uint64_t h = 0x5eed;
  for (const AuditRecord& r : records) h = engine::HashCombine(h, HashAuditRecord(r));
  return h;
}

AuditCounts CountAudit(std::span<const AuditRecord> records) {
  AuditCounts c;
  for (const AuditRecord& r : records) {
    ++c.by_decision[static_cast<int>(r.decision)];
    ++c.by_outcome[static_cast<int>(r.outcome)];
    ++c.total;
  }
  return c;
}

}  // namespace clawsim::services
