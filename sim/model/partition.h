// How the organisation's LPs are split among the engine's partitions (several a thread).
//
// Results never depend on it (the engine guarantees that); only speed does. Each
// partition's wall time is the work of its LPs, and the threads wait at each window's barrier
// for the last partition, so the split aims at equal work (and the runner makes several
// partitions a thread, so that a thread that finishes early takes another), with an LP's usual partners in the same partition
// (their events then skip the outboxes):
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

// Partitions a run on several threads makes for each thread (a run on one thread has one).
// On 2 threads, 8 a thread took 0.93x the time of 1 a thread at 100,000 employees (three
// pairs, 3 days), 0.98x at 300,000 (three pairs, 2 days) and 0.96x at a million (one day;
// `clawsim bench org`); results are the same either way.
inline constexpr uint32_t kPartitionsPerThread = 8;

// The partition of each LP (size world.num_lps, values < partitions). partitions >= 1.
std::vector<uint32_t> PartitionLps(const World& world, uint32_t partitions);

}  // namespace clawsim::model
