// Graphs: the org chart (teams under their parent teams, wrapped into rows so every name
// has room, each with its people as dots shaded by tokens; click a dot to select the
// employee) beside the service dependency graph (services in layers by dependency depth, an
// arrow from each service to what it calls, faint until a service is hovered; filled by the
// incidents the run's spans record on it, on the scale in the legend).
#pragma once

#include <imgui.h>

#include <cstdint>
#include <vector>

#include "viz/org_graph.h"
#include "viz/run_data.h"
#include "viz/view_state.h"

namespace clawsim::viz {

struct GraphsPanel {
  OrgGraph graph;
  std::vector<uint32_t> incidents_by_service;  // per graph.services entry
  // The last frame's service labels (per graph.services entry, a line each) and the services
  // whose names had to be cut to fit (listed whole under the legend), for tests.
  std::vector<std::vector<std::string>> labels;
  std::vector<size_t> shortened;
  std::vector<std::vector<uint32_t>> members;   // per team: indices into RunData::employees
  const RunData* built_for = nullptr;

  void Draw(const RunData& run, ViewState& state);

 private:
  void Build(const RunData& run);
  void DrawOrgChart(const RunData& run, ViewState& state, ImVec2 origin, ImVec2 size);
  void DrawServices(const RunData& run, ImVec2 origin, ImVec2 size);
  bool spans_with_incidents_ = false;  // the file has incident spans (else counts are unknown)
};

}  // namespace clawsim::viz
