// How the organisation's LPs are split among the engine's partitions.
//
// Results never depend on it (the engine guarantees that); only speed does. Each
// partition's wall time is the work of its LPs, and the threads wait at each window's
// barrier for the last partition, so the split aims at equal work, with an LP's usual
// partners in the same partition (their events then skip the outboxes):
//   - employees in contiguous blocks of equal size (teams are contiguous, so teammates,
//     who mail, review and chat with each other most, mostly share a partition);
//   - each chat channel with the middle one of its members (a team's channel with its team);
//   - each service with the middle member of its owning team.
// Without this, the channels and services, about a fifth of all events, would all land in
// the last partition after its share of employees.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/model/world.h"

namespace clawsim::model {

// How many partitions a run on `threads` threads (more than one) makes: for each thread,
// one for each full 12,500 employees, at least 1 and at most 8.
// More partitions than threads let a thread that finishes its part of a window early take
// another, but each costs a task and an outbox a window. Measured on 2 threads (`clawsim
// bench org`, paired runs): 8 a thread took 0.93x the time of 1 a thread at 100,000
// employees (3 days) and 0.96x at a million (one day), 1.01x at 10,000 (10 days), and
// 1.09x on the 987-person baseline (`clawsim run`, 30 days). Results never depend on it.
uint32_t PartitionsFor(const World& world, uint32_t threads);

// The partition of each LP (size world.num_lps, values < partitions). partitions >= 1.
std::vector<uint32_t> PartitionLps(const World& world, uint32_t partitions);

}  // namespace clawsim::model
