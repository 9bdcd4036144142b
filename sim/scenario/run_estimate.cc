#include "sim/scenario/run_estimate.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

namespace clawsim::scenario {
namespace {

constexpr double kBaseBytes = 32.0 * (1 << 20);       // the program, the scenario, the engine
constexpr double kPerEmployeeBytes = 28.0 * 1024;     // a person, their agents, mailbox, queues
constexpr double kPerItemBytes = 150;                 // one queued work item with its events
constexpr double kPerThreadBytes = 4.0 * (1 << 20);   // a partition's ring and buffers

}  // namespace

RunMemoryEstimate EstimateRunMemory(const CompiledScenario& sc, int days, int threads) {
  RunMemoryEstimate e;
  e.employees = static_cast<double>(sc.organization.employees.size());
  double held = 0;
  for (const Employee& person : sc.organization.employees) {
    const RoleProfile& r = sc.role(person.role);
    const double per_day = r.emails.per_day + r.chat_requests.per_day + r.code.changes.per_day;
    e.arrivals_per_day += per_day;
    held += per_day + std::max(0.0, per_day - kHandledPerPersonDay) * std::max(0, days - 1);
  }
  for (const InjectionCampaign& c : sc.threats.injection_campaigns) {
    e.arrivals_per_day += c.emails_per_day;
    held += c.emails_per_day * std::max(1, days);  // spread over mailboxes, counted in full
  }
  e.items_held = held;
  e.bytes = kBaseBytes + e.employees * kPerEmployeeBytes + held * kPerItemBytes +
            std::max(1, threads) * kPerThreadBytes;
  return e;
}

uint64_t AvailableMemoryBytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page = ::sysconf(_SC_PAGESIZE);
  uint64_t bytes = pages > 0 && page > 0 ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) : 0;
  std::ifstream cgroup("/sys/fs/cgroup/memory.max");
  unsigned long long limit = 0;
  if (cgroup >> limit && limit > 0 && (bytes == 0 || limit < bytes)) bytes = limit;  // "max" fails to parse
  return bytes;
}

std::string FormatBytes(double bytes) {
  char buf[32];
  if (bytes >= 1024.0 * 1024 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
  } else {
    std::snprintf(buf, sizeof buf, "%.0f MiB", bytes / (1024.0 * 1024));
  }
  return buf;
}

}  // namespace clawsim::scenario
