#include "viz/panels/graphs.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "viz/format.h"
#include "viz/theme.h"

namespace clawsim::viz {
namespace {

double Tokens(const proto::EmployeeRow& e) {
  const proto::TokensByPurpose& p = e.tokens_by_purpose();
  double t = 0;
  for (const proto::TokenTally* x : {&p.useful(), &p.overhead(), &p.performative()}) {
    t += static_cast<double>(x->input_tokens() + x->output_tokens());
  }
  return t;
}

void Arrow(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 color) {
  dl->AddLine(a, b, color, 1.5f);
  const float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
  if (len < 1) return;
  const ImVec2 u(dx / len, dy / len), n(-u.y, u.x);
  dl->AddTriangleFilled(b, ImVec2(b.x - u.x * 8 + n.x * 4, b.y - u.y * 8 + n.y * 4),
                        ImVec2(b.x - u.x * 8 - n.x * 4, b.y - u.y * 8 - n.y * 4), color);
}

}  // namespace

void GraphsPanel::Build(const RunData& run) {
  built_for = &run;
  graph = BuildOrgGraph(run.header);
  incidents_by_service.assign(graph.services.size(), 0);
  spans_with_incidents_ = false;
  std::map<uint32_t, size_t> by_target;
  for (size_t i = 0; i < graph.services.size(); ++i) by_target[graph.services[i].target] = i;
  for (const SpanRow& s : run.spans) {
    if (s.kind != SpanKind::kIncident) continue;
    auto it = by_target.find(s.target);
    if (it != by_target.end()) ++incidents_by_service[it->second];
    spans_with_incidents_ = true;
  }
  members.assign(graph.teams.size(), {});
  std::map<std::string, size_t> team_index;
  for (size_t t = 0; t < graph.teams.size(); ++t) team_index[graph.teams[t].name] = t;
  for (uint32_t i = 0; i < run.employees.size(); ++i) {
    auto it = team_index.find(run.employees[i].team());
    if (it != team_index.end()) members[it->second].push_back(i);
  }
}

void GraphsPanel::DrawOrgChart(const RunData& run, ViewState& state, ImVec2 origin, ImVec2 size) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddText(origin, IM_COL32(150, 200, 255, 255), "Org chart: teams, people as dots (brighter = more tokens)");
  int max_depth = 0;
  for (const auto& t : graph.teams) max_depth = std::max(max_depth, t.depth);
  double max_tokens = 1;
  for (const auto& e : run.employees) max_tokens = std::max(max_tokens, Tokens(e));
  const float row_h = std::min(170.0f, (size.y - 24) / static_cast<float>(max_depth + 1));
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (int depth = 0; depth <= max_depth; ++depth) {
    std::vector<size_t> level;
    for (size_t t = 0; t < graph.teams.size(); ++t) {
      if (graph.teams[t].depth == depth) level.push_back(t);
    }
    const float w = size.x / static_cast<float>(std::max<size_t>(1, level.size()));
    for (size_t k = 0; k < level.size(); ++k) {
      const size_t t = level[k];
      const ImVec2 a(origin.x + w * k + 4, origin.y + 22 + row_h * depth + 6);
      const ImVec2 b(a.x + w - 8, a.y + row_h - 14);
      // The edge to the parent: from this box's top to the parent's bottom centre.
      const int parent = graph.teams[t].parent;
      if (parent >= 0) {
        const auto& plevel = graph.teams[parent];
        size_t pk = 0, pcount = 0;
        for (size_t u = 0; u < graph.teams.size(); ++u) {
          if (graph.teams[u].depth != plevel.depth) continue;
          if (u == static_cast<size_t>(parent)) pk = pcount;
          ++pcount;
        }
        const float pw = size.x / static_cast<float>(std::max<size_t>(1, pcount));
        const ImVec2 pc(origin.x + pw * pk + pw / 2, origin.y + 22 + row_h * plevel.depth + row_h - 8);
        dl->AddLine(ImVec2((a.x + b.x) / 2, a.y), pc, IM_COL32(180, 180, 180, 120), 1.5f);
      }
      bool has_selected = false;
      double tokens = 0, value = 0;
      for (uint32_t i : members[t]) {
        tokens += Tokens(run.employees[i]);
        value += run.employees[i].value_usd();
        has_selected |= run.employees[i].employee_id() == state.selected_employee;
      }
      dl->AddRectFilled(a, b, IM_COL32(40, 50, 70, 255), 4);
      dl->AddRect(a, b, has_selected ? colors::kSelection : IM_COL32(110, 130, 170, 255), 4, 0, has_selected ? 2.5f : 1);
      dl->PushClipRect(a, b, true);
      dl->AddText(ImVec2(a.x + 4, a.y + 2), IM_COL32(235, 235, 235, 255), graph.teams[t].name.c_str());
      const std::string line = std::to_string(members[t].size()) + " people, " + FormatCount(tokens) + " tok, " +
                               FormatUsd(value);
      dl->AddText(ImVec2(a.x + 4, a.y + 16), colors::kAxisText, line.c_str());
      // People as dots, in rows.
      const float dot = 7;
      const int per_row = std::max(1, static_cast<int>((b.x - a.x - 8) / dot));
      for (size_t m = 0; m < members[t].size(); ++m) {
        const proto::EmployeeRow& e = run.employees[members[t][m]];
        const ImVec2 c(a.x + 7 + dot * static_cast<float>(m % per_row), a.y + 38 + dot * static_cast<float>(m / per_row));
        if (c.y > b.y - 3) break;
        const float heat = static_cast<float>(std::sqrt(Tokens(e) / max_tokens));
        dl->AddCircleFilled(c, 2.6f, ImGui::ColorConvertFloat4ToU32(ImVec4(0.3f + 0.7f * heat, 0.5f + 0.3f * heat, 0.9f - 0.6f * heat, 1)));
        if (e.employee_id() == state.selected_employee) dl->AddCircle(c, 4.5f, colors::kSelection, 0, 2);
        const float dx = mouse.x - c.x, dy = mouse.y - c.y;
        if (dx * dx + dy * dy <= 12 && ImGui::IsWindowHovered()) {
          ImGui::SetTooltip("%s (%s): %s tokens, %s value", e.name().c_str(), e.role().c_str(),
                            FormatCount(Tokens(e)).c_str(), FormatUsd(e.value_usd()).c_str());
          if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) state.selected_employee = e.employee_id();
        }
      }
      dl->PopClipRect();
    }
  }
}

void GraphsPanel::DrawServices(const RunData&, ImVec2 origin, ImVec2 size) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddText(origin, IM_COL32(150, 200, 255, 255),
              spans_with_incidents_ ? "Services: arrows to what each calls; red = incidents"
                                    : "Services: arrows to what each calls (no incident spans in this file)");
  if (graph.services.empty()) {
    dl->AddText(ImVec2(origin.x, origin.y + 20), colors::kAxisText, "no services in this run");
    return;
  }
  int layers = 0;
  for (const auto& s : graph.services) layers = std::max(layers, s.layer + 1);
  std::vector<int> count(layers, 0), slot(graph.services.size(), 0);
  for (size_t i = 0; i < graph.services.size(); ++i) slot[i] = count[graph.services[i].layer]++;
  uint32_t max_incidents = 1;
  for (uint32_t n : incidents_by_service) max_incidents = std::max(max_incidents, n);
  const float col_w = size.x / static_cast<float>(layers);
  std::vector<ImVec2> centre(graph.services.size());
  for (size_t i = 0; i < graph.services.size(); ++i) {
    const int layer = graph.services[i].layer;
    const float row_h = (size.y - 30) / static_cast<float>(count[layer]);
    // Layer 0 (depends on nothing) on the right: calls flow left to right.
    centre[i] = ImVec2(origin.x + size.x - col_w * (layer + 0.5f), origin.y + 26 + row_h * (slot[i] + 0.5f));
  }
  // Nodes shrink to fit the busiest layer; below a line of text they are drawn as dots.
  int busiest = 1;
  for (int c : count) busiest = std::max(busiest, c);
  const float row_h = (size.y - 30) / static_cast<float>(busiest);
  const ImVec2 half(std::min(58.0f, col_w / 2 - 8), std::min(15.0f, row_h / 2 - 1));
  const bool labels = half.y >= 7 && half.x >= 14;
  for (size_t i = 0; i < graph.services.size(); ++i) {
    for (int d : graph.services[i].depends_on) {
      Arrow(dl, ImVec2(centre[i].x + half.x, centre[i].y), ImVec2(centre[d].x - half.x, centre[d].y),
            IM_COL32(200, 200, 200, 150));
    }
  }
  for (size_t i = 0; i < graph.services.size(); ++i) {
    const float heat = static_cast<float>(incidents_by_service[i]) / static_cast<float>(max_incidents);
    const ImU32 fill = incidents_by_service[i] == 0
                           ? IM_COL32(45, 70, 60, 255)
                           : ImGui::ColorConvertFloat4ToU32(ImVec4(0.45f + 0.5f * heat, 0.2f, 0.2f, 1));
    const ImVec2 a(centre[i].x - half.x, centre[i].y - half.y), b(centre[i].x + half.x, centre[i].y + half.y);
    dl->AddRectFilled(a, b, fill, 4);
    dl->AddRect(a, b, IM_COL32(160, 180, 170, 255), 4);
    if (labels) {
      dl->PushClipRect(a, b, true);
      dl->AddText(ImVec2(a.x + 4, a.y + 1), IM_COL32(240, 240, 240, 255), graph.services[i].name.c_str());
      if (half.y >= 14) {
        const std::string n = std::to_string(incidents_by_service[i]) + " incidents";
        dl->AddText(ImVec2(a.x + 4, a.y + 14), colors::kAxisText, n.c_str());
      }
      dl->PopClipRect();
    }
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    if (mouse.x >= a.x && mouse.x <= b.x && mouse.y >= a.y && mouse.y <= b.y && ImGui::IsWindowHovered()) {
      ImGui::SetTooltip("%s (team %s): %u incidents, calls %zu services", graph.services[i].name.c_str(),
                        graph.services[i].owner_team.c_str(), incidents_by_service[i],
                        graph.services[i].depends_on.size());
    }
  }
}

void GraphsPanel::Draw(const RunData& run, ViewState& state) {
  if (built_for != &run) Build(run);
  if (!graph.from_scenario) ImGui::TextDisabled("Structure from the name tables only: %s.", graph.note.c_str());
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float split = avail.x * 0.55f;
  ImGui::Dummy(avail);
  DrawOrgChart(run, state, origin, ImVec2(split - 10, avail.y));
  DrawServices(run, ImVec2(origin.x + split + 10, origin.y), ImVec2(avail.x - split - 10, avail.y));
}

}  // namespace clawsim::viz
