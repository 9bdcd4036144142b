// ScaleOrganisation: a scenario's organisation grown (or shrunk) to a headcount the way
// organisations grow: by adding divisions, not by making teams larger.
//
// The rule (`clawsim bench org --employees N` uses it):
//   - Root teams (no parent: the executive team) stay one; every other team is a division's
//     team. The organisation gets k = max(1, round(N / generated headcount)) divisions:
//     the scenario's own, plus k - 1 copies of every non-root team, named "<team>-d<i>"
//     (i = 2..k), reporting to the copy of their parent (or to the same root team).
//   - Every generated team's size (and its managers) is then multiplied by
//     N / (root headcount + k x division headcount), so the total is about N and team sizes
//     stay within about ±40 % of the scenario's (exactly theirs when N is a multiple).
//   - What belongs to a team is copied with it, so each division is a copy of the
//     scenario's: its services ("<service>-d<i>", owned by the team's copy, depending on the
//     copies of their dependencies, so changes per service stay the scenario's); its
//     PROJECT and INCIDENT channels ("<channel>-d<i>", members the copies of the listed
//     teams); team channels (generated per team); agent assignments and permission rules
//     that name a team (one more per copy); injection campaigns' target teams are not
//     copied (the scenario's own division stays the target). COMPANY channels stay one,
//     with everyone in them. Explicitly listed employees stay where they are.
//   - Interventions are dropped (they name things by index).
// AddDivisions is the copying part alone (sizes stay): what organization.divisions does.
// Per-person work is the scenario's; what grows with divisions is the number of LPs, and
// the count of assignments and team rules (checked once per person when the world is built,
// never per event).
#pragma once

#include <cstdint>

#include "sim/common/status.h"
#include "sim/proto/scenario.pb.h"

namespace clawsim::scenario {

// Grows `scenario`'s organisation to about `employees` people by the rule above. Fails when
// the scenario has no generated teams or a copy's name clashes with an existing one.
// Refuses a scenario that sets organization.divisions.
Status ScaleOrganisation(uint32_t employees, proto::Scenario* scenario);

// Makes `scenario`'s organisation `divisions` divisions by the rule above, team sizes
// unchanged: k = divisions. Fails when a copy's name clashes with an existing one.
Status AddDivisions(uint32_t divisions, proto::Scenario* scenario);

}  // namespace clawsim::scenario
