// MemoryCensus: where a run's memory goes, counted from the model's own containers.
//
// Every figure is the heap bytes a container holds by capacity (what it reserved, not what
// it uses) plus the inline size of the structs that own them, summed over every LP. It is
// an account, not a measurement of the process: the allocator's overhead, the program, the
// scenario and the run's output buffers are not in it; compare `total_bytes()` with the
// peak resident size to see how much is left unexplained.
//
// Taking a census walks every LP's state once (serially, between RunUntil calls): cheap
// next to a simulated day, and never on the event path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>

namespace clawsim::model {

class OrgModel;
struct World;

struct MemoryCensus {
  uint32_t day = 0;                   // the day it was taken at (its end), from 0
  uint64_t employee_state_bytes = 0;  // people: EmployeeState (without tasks, mail, metrics), World facts, team lists
  uint64_t agent_state_bytes = 0;     // agents: AgentState, breaker windows, open calls, deferred actions, asks
  uint64_t mailbox_bytes = 0;         // mailboxes: held messages and leak records
  uint64_t chat_bytes = 0;            // channels: members, cursors, held messages, exposures
  uint64_t task_bytes = 0;            // people's task queues, unanswered chat, changes in flight, team boards
  uint64_t pending_event_bytes = 0;   // the engine's event sets and the services' deploy queues
  uint64_t service_bytes = 0;         // deployable services: versions, pipeline runs, incidents
  uint64_t audit_trace_bytes = 0;     // audit logs, trace spans and injection records not yet handed over
  uint64_t metrics_bytes = 0;         // per-person measurements, token tallies, rule verdicts, done-item bits

  uint64_t total_bytes() const {
    return employee_state_bytes + agent_state_bytes + mailbox_bytes + chat_bytes + task_bytes + pending_event_bytes +
           service_bytes + audit_trace_bytes + metrics_bytes;
  }
};

// Counts `model`'s state and `world`'s per-employee facts; `engine_event_bytes` is the
// engine's own figure (Engine::event_bytes_reserved). Serial only.
MemoryCensus TakeMemoryCensus(const World& world, const OrgModel& model, uint64_t engine_event_bytes);

// Heap bytes a std::deque holds in libstdc++'s layout: a map of node pointers (at least 8)
// and nodes of 512 bytes (or one element, if larger), one more node than its elements fill.
template <class T>
uint64_t DequeBytes(const std::deque<T>& d) {
  constexpr uint64_t kPerNode = sizeof(T) < 512 ? 512 / sizeof(T) : 1;
  const uint64_t nodes = d.size() / kPerNode + 1;
  const uint64_t map_slots = nodes + 2 > 8 ? nodes + 2 : 8;
  return nodes * kPerNode * sizeof(T) + map_slots * sizeof(void*);
}

}  // namespace clawsim::model
