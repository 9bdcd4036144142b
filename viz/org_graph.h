// The organisation's structure for the Graphs panel: teams with their parent teams, and
// services with their dependencies, read from the scenario text carried in the run header
// (RunHeader.scenario_textproto, parsed with the scenario schema; fields this build does not
// know are skipped). Without it, teams and services come from the header's name tables, with
// no edges.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace clawsim::proto {
class RunHeader;
}

namespace clawsim::viz {

struct OrgGraph {
  struct Team {
    std::string name;
    int parent = -1;  // index into teams, or -1
    int depth = 0;    // 0 for a root
  };
  struct Service {
    std::string name;
    std::string owner_team;
    std::vector<int> depends_on;  // indices into services
    int layer = 0;                // 0: depends on nothing; else 1 + the deepest dependency's
    uint32_t target = UINT32_MAX; // index into RunHeader.target_names ("service:NAME"), if any
  };
  std::vector<Team> teams;
  std::vector<Service> services;
  bool from_scenario = false;  // false: name tables only
  std::string note;            // why the scenario text was not used, if it was not
};

OrgGraph BuildOrgGraph(const proto::RunHeader& header);

}  // namespace clawsim::viz
