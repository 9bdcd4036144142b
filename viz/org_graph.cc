#include "viz/org_graph.h"

#include <google/protobuf/text_format.h>

#include <algorithm>
#include <map>

#include "sim/proto/run.pb.h"
#include "sim/proto/scenario.pb.h"

namespace clawsim::viz {
namespace {

void Depths(OrgGraph* g) {
  for (size_t i = 0; i < g->teams.size(); ++i) {
    int depth = 0;
    for (int p = g->teams[i].parent; p >= 0 && depth <= static_cast<int>(g->teams.size()); p = g->teams[p].parent) {
      ++depth;
    }
    g->teams[i].depth = depth;
  }
  // Longest dependency chain, by relaxation (the scenario loader refuses cycles; the bound
  // keeps a damaged one finite).
  for (size_t round = 0; round < g->services.size(); ++round) {
    bool changed = false;
    for (OrgGraph::Service& s : g->services) {
      for (int d : s.depends_on) {
        if (g->services[d].layer + 1 > s.layer) {
          s.layer = g->services[d].layer + 1;
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
}

void LinkTargets(const proto::RunHeader& h, OrgGraph* g) {
  std::map<std::string, uint32_t> targets;
  for (int t = 0; t < h.target_names_size(); ++t) targets[h.target_names(t)] = static_cast<uint32_t>(t);
  for (OrgGraph::Service& s : g->services) {
    auto it = targets.find("service:" + s.name);
    if (it != targets.end()) s.target = it->second;
  }
}

}  // namespace

OrgGraph BuildOrgGraph(const proto::RunHeader& h) {
  OrgGraph g;
  proto::Scenario scenario;
  google::protobuf::TextFormat::Parser parser;
  parser.AllowUnknownField(true);
  parser.AllowUnknownExtension(true);
  parser.RecordErrorsTo(nullptr);
  bool parsed = !h.scenario_textproto().empty() && parser.ParseFromString(h.scenario_textproto(), &scenario);
  if (parsed) {
    std::map<std::string, int> team_index;
    for (const auto& t : scenario.organization().teams()) {
      team_index[t.name()] = static_cast<int>(g.teams.size());
      g.teams.push_back({t.name(), -1, 0});
    }
    for (int i = 0; i < scenario.organization().teams_size(); ++i) {
      auto it = team_index.find(scenario.organization().teams(i).parent());
      if (it != team_index.end() && it->second != i) g.teams[i].parent = it->second;
    }
    std::map<std::string, int> service_index;
    for (const auto& s : scenario.deploy().services()) {
      service_index[s.name()] = static_cast<int>(g.services.size());
      g.services.push_back({s.name(), s.owner_team(), {}, 0, UINT32_MAX});
    }
    for (int i = 0; i < scenario.deploy().services_size(); ++i) {
      for (const std::string& d : scenario.deploy().services(i).depends_on()) {
        auto it = service_index.find(d);
        if (it != service_index.end() && it->second != i) g.services[i].depends_on.push_back(it->second);
      }
    }
    g.from_scenario = true;
  } else {
    g.note = h.scenario_textproto().empty() ? "the header carries no scenario text"
                                            : "the header's scenario text does not parse with this build's schema";
  }
  if (g.teams.empty()) {
    for (const std::string& t : h.team_names()) g.teams.push_back({t, -1, 0});
  }
  if (g.services.empty()) {
    for (const std::string& t : h.target_names()) {
      if (t.rfind("service:", 0) == 0) g.services.push_back({t.substr(8), "", {}, 0, UINT32_MAX});
    }
  }
  Depths(&g);
  LinkTargets(h, &g);
  return g;
}

}  // namespace clawsim::viz
