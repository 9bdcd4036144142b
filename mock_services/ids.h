// Ids shared by the mock services.
//
// Every id is a dense uint32 index into a flat vector the model owns (employees, agents,
// teams, roles, agent profiles, chat channels, deployable services, external mail domains).
// The services never hold pointers to each other's state: a message that crosses LPs carries
// ids, and the receiving LP looks them up in its own state or in read-only shared tables.
#pragma once

#include <cstdint>

namespace clawsim::services {

using EmployeeId = uint32_t;
using AgentId = uint32_t;
using TeamId = uint32_t;
using RoleId = uint32_t;
using ProfileId = uint32_t;   // an agent profile (a template agents are created from)
using ChannelId = uint32_t;
using ServiceId = uint32_t;
using DomainId = uint32_t;    // an external mail domain; never an LP

// "No such thing": an agent id of kNoId in a request means the employee acted directly.
inline constexpr uint32_t kNoId = UINT32_MAX;

}  // namespace clawsim::services
