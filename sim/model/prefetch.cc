// Cache hints for the engine's prefetch hook. A window touches each employee LP for only a
// few events, so its state is usually cold: hinting it a few LPs ahead lets those memory
// loads overlap with the work on the LPs before it. Only the parts nearly every employee
// event touches are hinted; a wrong guess costs a little bandwidth, never a result.
#include <algorithm>
#include <cstddef>

#include "sim/model/org_model.h"

namespace clawsim::model {
namespace {

template <typename T>
void PrefetchBytes(const T* p, size_t bytes) {
  const char* c = reinterpret_cast<const char*>(p);
  for (size_t off = 0; off < bytes; off += 64) __builtin_prefetch(c + off);
}

template <typename T>
void PrefetchObject(const T& x) {
  PrefetchBytes(&x, sizeof(T));
}

}  // namespace

void OrgModel::Prefetch(engine::LpId lp, engine::PrefetchStage stage) const {
  if (world_->IsChannelLp(lp)) {
    // A post or a read: the channel's record, then its member list (a post looks the poster
    // up in it) and the newest messages.
    const services::Channel& ch = channels_[lp - world_->first_channel_lp].channel;
    if (stage == engine::PrefetchStage::kState) {
      PrefetchObject(ch);
      return;
    }
    const size_t member_bytes = std::min<size_t>(256, ch.members().size() * sizeof(EmployeeId));  // a few lines of it
    if (member_bytes > 0) PrefetchBytes(ch.members().data(), member_bytes);
    if (!ch.messages().empty()) PrefetchObject(ch.messages().back());
    return;
  }
  if (!world_->IsEmployeeLp(lp)) return;
  const EmployeeState& s = employees_[lp];
  if (stage == engine::PrefetchStage::kState) {
    // From `busy` to the open calls, the fields nearly every event reads or counts, those the
    // next stage follows first; the work queues before them only matter to an idle person
    // (next stage). The colder tail (tallies, metrics, the audit log) is left to demand:
    // hinting all of it (34 lines a person) filled the processor's queue of outstanding loads
    // and stalled the window (about 6 % slower at 10,000 employees on one thread, `clawsim
    // bench org`).
    PrefetchBytes(&s.busy, offsetof(EmployeeState, available_hours) - offsetof(EmployeeState, busy));
    PrefetchObject(world_->employees[lp]);
    PrefetchObject(sc().organization.employees[lp]);
    return;
  }
  // The record is cached now: follow its pointers to the data the next events will use.
  if (!s.busy) PrefetchBytes(&s.queues, sizeof(s.queues));
  if (!s.mailbox.entries().empty()) PrefetchObject(s.mailbox.entries().back());
  if (s.next_arrival < s.arrivals.size()) PrefetchObject(s.arrivals[s.next_arrival]);  // the arrival sent next
  if (!s.rule_verdicts.empty()) PrefetchBytes(s.rule_verdicts.data(), s.rule_verdicts.size() * sizeof(uint32_t));
  if (!s.agents.empty()) PrefetchBytes(s.agents.data(), s.agents.size() * sizeof(AgentState));
}

}  // namespace clawsim::model
