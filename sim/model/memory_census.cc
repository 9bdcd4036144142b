#include "sim/model/memory_census.h"

#include <vector>

#include "sim/model/org_model.h"
#include "sim/model/world.h"

namespace clawsim::model {
namespace {

template <class T>
uint64_t Bytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}
uint64_t Bytes(const std::vector<bool>& v) { return v.capacity() / 8; }

uint64_t RateBytes(const services::RateState& r) { return Bytes(r.counters); }

void CountEmployee(const EmployeeState& s, MemoryCensus* c) {
  // The struct itself, less the parts counted under their own heading.
  c->employee_state_bytes += sizeof(EmployeeState) - sizeof(s.m) - sizeof(s.queues) - sizeof(s.chat_unanswered) -
                             sizeof(s.mailbox) - sizeof(s.audit);
  c->employee_state_bytes += Bytes(s.chat_injections) + Bytes(s.seen_injections) + Bytes(s.held) +
                             RateBytes(s.human_rates);
  c->pending_event_bytes += Bytes(s.arrivals);
  c->task_bytes += sizeof(s.queues) + sizeof(s.chat_unanswered) + s.chat_unanswered.bytes_reserved() +
                   Bytes(s.changes_in_flight);
  for (const auto& q : s.queues) c->task_bytes += q.bytes_reserved();
  c->mailbox_bytes += sizeof(s.mailbox) + s.mailbox.BytesReserved();
  c->metrics_bytes += sizeof(s.m) + Bytes(s.rule_verdicts) + Bytes(s.tokens_by_tier) +
                      Bytes(s.safety.attempts) + Bytes(s.safety.successes) + Bytes(s.done_mail) +
                      Bytes(s.done_chat) + Bytes(s.done_code);
  c->audit_trace_bytes += sizeof(s.audit) + s.audit.BytesReserved() + Bytes(s.spans) + Bytes(s.injections);
  c->agent_state_bytes += Bytes(s.agents) + Bytes(s.calls) + Bytes(s.asks) + Bytes(s.deferred) + Bytes(s.helps);
  for (const AgentState& a : s.agents) {
    c->agent_state_bytes += Bytes(a.jobs) + RateBytes(a.rates) + Bytes(a.threat.breakers) +
                            Bytes(a.threat.breaker_until_us);
    for (const SlidingWindow& w : a.threat.breakers) c->agent_state_bytes += w.entries().bytes_reserved();
  }
}

}  // namespace

MemoryCensus TakeMemoryCensus(const World& world, const OrgModel& model, uint64_t engine_event_bytes) {
  MemoryCensus c;
  for (const EmployeeState& s : model.employees()) CountEmployee(s, &c);
  // The world's per-employee facts.
  c.employee_state_bytes += Bytes(world.employees) + Bytes(world.team_of_employee) + Bytes(world.role_of_employee) +
                            Bytes(world.team_services);
  for (const std::vector<scenario::ServiceId>& t : world.team_services) c.employee_state_bytes += Bytes(t);
  for (const EmployeeInfo& e : world.employees) c.agent_state_bytes += Bytes(e.agents);
  for (const scenario::Team& t : world.scenario->organization.teams) c.employee_state_bytes += Bytes(t.members);
  c.agent_state_bytes += Bytes(world.agents);
  c.chat_bytes += Bytes(world.channel_members);
  for (const std::vector<EmployeeId>& m : world.channel_members) c.chat_bytes += Bytes(m);
  c.chat_bytes += model.channels().size() * sizeof(services::Target);  // the channels' gate targets
  for (const ChannelState& ch : model.channels()) {
    c.chat_bytes += sizeof(ChannelState) - sizeof(ch.audit) + ch.channel.BytesReserved();
    c.task_bytes += Bytes(ch.board.changes) + Bytes(ch.board.asks);  // the team's board: changes waiting
    c.audit_trace_bytes += sizeof(ch.audit) + ch.audit.BytesReserved();
  }
  c.pending_event_bytes += engine_event_bytes;
  for (const ServiceLpState& sv : model.services()) {
    c.service_bytes += sizeof(ServiceLpState) - sizeof(sv.audit) - sizeof(sv.queue) + sv.service.BytesReserved() +
                       Bytes(sv.incident_emitted);
    c.pending_event_bytes += sizeof(sv.queue) + DequeBytes(sv.queue) + Bytes(sv.running);
    c.audit_trace_bytes += sizeof(sv.audit) + sv.audit.BytesReserved() + Bytes(sv.spans);
  }
  return c;
}

}  // namespace clawsim::model
