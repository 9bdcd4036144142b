// How the organisation's LPs are split among the engine's partitions (one per thread).
//
// Results never depend on it (the engine guarantees that); only speed does. Each
// partition's wall time is the work of its LPs, and the slowest partition sets the window's
// pace, so the split aims at equal work, with an LP's usual partners in the same partition
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

// The partition of each LP (size world.num_lps, values < partitions). partitions >= 1.
std::vector<uint32_t> PartitionLps(const World& world, uint32_t partitions);

}  // namespace clawsim::model
