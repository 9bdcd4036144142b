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

namespace {

// A person's dot: one hue, brighter with more tokens (square root of the share of the most).
ImU32 TokenShade(double share) {
  const float h = static_cast<float>(std::sqrt(std::clamp(share, 0.0, 1.0)));
  return ImGui::ColorConvertFloat4ToU32(ImVec4(0.22f + 0.73f * h, 0.30f + 0.65f * h, 0.45f + 0.55f * h, 1));
}

// A service's fill: grey-green with no incident, then dull to bright red with more.
ImU32 IncidentShade(uint32_t incidents, uint32_t most) {
  if (incidents == 0) return IM_COL32(45, 70, 60, 255);
  const float h = most <= 1 ? 1.0f : static_cast<float>(incidents - 1) / static_cast<float>(most - 1);
  return ImGui::ColorConvertFloat4ToU32(ImVec4(0.40f + 0.55f * h, 0.22f - 0.05f * h, 0.20f - 0.05f * h, 1));
}

// Text scaled down (to no less than 9 px) until it fits before `right`, then clipped there.
void FittedText(ImDrawList* dl, ImVec2 at, float right, ImU32 color, const std::string& text) {
  const float full = ImGui::GetFontSize();
  const float w = ImGui::CalcTextSize(text.c_str()).x;
  const float size = w <= right - at.x ? full : std::max(9.0f, full * (right - at.x) / w);
  dl->PushClipRect(ImVec2(at.x, at.y), ImVec2(right, at.y + full + 2), true);
  dl->AddText(ImGui::GetFont(), size, ImVec2(at.x, at.y + (full - size) / 2), color, text.c_str());
  dl->PopClipRect();
}

// Text clipped to [a, b]; true when it had to be cut (the caller offers a tooltip).
bool ClippedText(ImDrawList* dl, ImVec2 at, float right, ImU32 color, const std::string& text) {
  const bool cut = at.x + ImGui::CalcTextSize(text.c_str()).x > right;
  dl->PushClipRect(ImVec2(at.x, at.y), ImVec2(right, at.y + ImGui::GetTextLineHeight() + 2), true);
  dl->AddText(at, color, text.c_str());
  dl->PopClipRect();
  return cut;
}

}  // namespace

void GraphsPanel::DrawOrgChart(const RunData& run, ViewState& state, ImVec2 origin, ImVec2 size) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float line = ImGui::GetTextLineHeight();
  dl->AddText(origin, IM_COL32(150, 200, 255, 255), "Org chart: teams under their parents; a dot is a person");
  // Legend: the dots' shade.
  const float lx = origin.x;
  const float ly = origin.y + line + 4;
  dl->AddText(ImVec2(lx, ly), colors::kAxisText, "tokens:");
  float x = lx + ImGui::CalcTextSize("tokens: ").x;
  for (int i = 0; i <= 4; ++i) {
    dl->AddCircleFilled(ImVec2(x + 5, ly + line / 2), 4, TokenShade(i / 4.0));
    x += 14;
  }
  dl->AddText(ImVec2(x + 4, ly), colors::kAxisText, "none to the most (brighter = more); white ring = selected");
  double max_tokens = 1;
  for (const auto& e : run.employees) max_tokens = std::max(max_tokens, Tokens(e));

  // Layout: depth by depth; within a depth, each parent's children together, wrapped into
  // rows of boxes at least kMinBox wide, so no team name is cut to a few letters.
  constexpr float kMinBox = 150;
  const int per_row = std::max(1, static_cast<int>(size.x / kMinBox));
  int max_depth = 0;
  for (const auto& t : graph.teams) max_depth = std::max(max_depth, t.depth);
  std::vector<std::vector<size_t>> levels(static_cast<size_t>(max_depth + 1));
  for (int parent = -1; parent < static_cast<int>(graph.teams.size()); ++parent) {
    for (size_t t = 0; t < graph.teams.size(); ++t) {
      if (graph.teams[t].parent == parent) levels[static_cast<size_t>(graph.teams[t].depth)].push_back(t);
    }
  }
  int rows = 0;
  for (const auto& level : levels) rows += static_cast<int>((level.size() + per_row - 1) / per_row);
  const float top = ly + line + 8;
  const float row_h = std::min(150.0f, (origin.y + size.y - top) / static_cast<float>(std::max(1, rows)));
  std::vector<ImVec2> box_top(graph.teams.size()), box_bottom(graph.teams.size());
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  // Two channels: the edges (drawn last, into channel 0) go under the boxes (channel 1).
  dl->ChannelsSplit(2);
  dl->ChannelsSetCurrent(1);
  int row = 0;
  for (const auto& level : levels) {
    const size_t cols = std::min<size_t>(level.size(), static_cast<size_t>(per_row));
    const float w = size.x / static_cast<float>(std::max<size_t>(1, cols));
    for (size_t k = 0; k < level.size(); ++k) {
      const size_t t = level[k];
      const ImVec2 a(origin.x + w * static_cast<float>(k % per_row) + 3,
                     top + row_h * static_cast<float>(row + static_cast<int>(k / per_row)) + 5);
      const ImVec2 b(a.x + w - 6, a.y + row_h - 8);
      box_top[t] = ImVec2((a.x + b.x) / 2, a.y);
      box_bottom[t] = ImVec2((a.x + b.x) / 2, b.y);
      bool has_selected = false;
      double tokens = 0, value = 0;
      for (uint32_t i : members[t]) {
        tokens += Tokens(run.employees[i]);
        value += run.employees[i].value_usd();
        has_selected |= run.employees[i].employee_id() == state.selected_employee;
      }
      dl->AddRectFilled(a, b, IM_COL32(40, 50, 70, 255), 4);
      dl->AddRect(a, b, has_selected ? colors::kSelection : IM_COL32(110, 130, 170, 255), 4, 0, has_selected ? 2.5f : 1);
      // The name with the head count right-aligned where it fits, then tokens, then value where
      // the box is tall enough (the tooltip has all of it).
      const std::string people = std::to_string(members[t].size()) + " people";
      const std::string stats = FormatAmount(tokens, "tokens");
      const std::string worth = "$" + FormatCount(std::round(value)) + " value";
      bool cut = ClippedText(dl, ImVec2(a.x + 4, a.y + 2), b.x - 3, IM_COL32(235, 235, 235, 255), graph.teams[t].name);
      const float people_w = ImGui::CalcTextSize(people.c_str()).x;
      if (a.x + 4 + ImGui::CalcTextSize(graph.teams[t].name.c_str()).x + 8 + people_w <= b.x - 3) {
        dl->AddText(ImVec2(b.x - 3 - people_w, a.y + 2), colors::kAxisText, people.c_str());
      } else {
        cut = true;
      }
      cut |= ClippedText(dl, ImVec2(a.x + 4, a.y + 2 + line), b.x - 3, colors::kAxisText, stats);
      const bool room_for_worth = b.y - a.y >= 3 * line + 8;
      if (room_for_worth) cut |= ClippedText(dl, ImVec2(a.x + 4, a.y + 2 + 2 * line), b.x - 3, colors::kAxisText, worth);
      cut |= !room_for_worth;
      const bool in_box = mouse.x >= a.x && mouse.x <= b.x && mouse.y >= a.y && mouse.y <= b.y && ImGui::IsWindowHovered();
      // People as dots, in rows.
      dl->PushClipRect(a, b, true);
      const float dot = 7;
      const int dots_per_row = std::max(1, static_cast<int>((b.x - a.x - 8) / dot));
      bool on_dot = false;
      for (size_t m = 0; m < members[t].size(); ++m) {
        const proto::EmployeeRow& e = run.employees[members[t][m]];
        const ImVec2 c(a.x + 7 + dot * static_cast<float>(m % dots_per_row),
                       a.y + (room_for_worth ? 3 : 2) * line + 10 + dot * static_cast<float>(m / dots_per_row));
        if (c.y > b.y - 3) break;
        dl->AddCircleFilled(c, 2.6f, TokenShade(Tokens(e) / max_tokens));
        if (e.employee_id() == state.selected_employee) dl->AddCircle(c, 4.5f, colors::kSelection, 0, 2);
        const float dx = mouse.x - c.x, dy = mouse.y - c.y;
        if (dx * dx + dy * dy <= 12 && ImGui::IsWindowHovered()) {
          on_dot = true;
          ImGui::SetTooltip("%s (%s, %s): %s, %s value", e.name().c_str(), e.team().c_str(), e.role().c_str(),
                            FormatAmount(Tokens(e), "tokens").c_str(), FormatUsd(e.value_usd()).c_str());
          if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) state.selected_employee = e.employee_id();
        }
      }
      dl->PopClipRect();
      if (in_box && !on_dot && cut) {
        ImGui::SetTooltip("%s: %s, %s, %s", graph.teams[t].name.c_str(), people.c_str(), stats.c_str(), worth.c_str());
      }
    }
    row += static_cast<int>((level.size() + per_row - 1) / per_row);
  }
  // Edges, under the boxes: each team to its parent.
  dl->ChannelsSetCurrent(0);
  for (size_t t = 0; t < graph.teams.size(); ++t) {
    const int parent = graph.teams[t].parent;
    if (parent < 0) continue;
    dl->AddLine(box_bottom[static_cast<size_t>(parent)], box_top[t], IM_COL32(180, 180, 180, 70), 1.0f);
  }
  dl->ChannelsMerge();
}

void GraphsPanel::DrawServices(const RunData&, ImVec2 origin, ImVec2 size) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float line = ImGui::GetTextLineHeight();
  dl->AddText(origin, IM_COL32(150, 200, 255, 255), "Services: an arrow from each service to what it calls");
  if (graph.services.empty()) {
    dl->AddText(ImVec2(origin.x, origin.y + 20), colors::kAxisText, "no services in this run");
    return;
  }
  uint32_t max_incidents = 1;
  for (uint32_t n : incidents_by_service) max_incidents = std::max(max_incidents, n);
  // Legend: the fill's scale.
  const float ly = origin.y + line + 4;
  float x = origin.x;
  if (spans_with_incidents_) {
    dl->AddText(ImVec2(x, ly), colors::kAxisText, "incidents:");
    x += ImGui::CalcTextSize("incidents: ").x;
    for (uint32_t n : {0u, 1u, (max_incidents + 1) / 2, max_incidents}) {
      dl->AddRectFilled(ImVec2(x, ly + 1), ImVec2(x + 12, ly + line - 1), IncidentShade(n, max_incidents), 2);
      const std::string label = std::to_string(n);
      dl->AddText(ImVec2(x + 15, ly), colors::kAxisText, label.c_str());
      x += 22 + ImGui::CalcTextSize(label.c_str()).x;
    }
    dl->AddText(ImVec2(x + 6, ly), colors::kAxisText, "(hover a service for its calls)");
  } else {
    dl->AddText(ImVec2(x, ly), colors::kAxisText, "no incident spans in this file: incidents unknown");
  }
  int layers = 0;
  for (const auto& s : graph.services) layers = std::max(layers, s.layer + 1);
  std::vector<int> count(layers, 0), slot(graph.services.size(), 0);
  for (size_t i = 0; i < graph.services.size(); ++i) slot[i] = count[graph.services[i].layer]++;
  const float top = ly + line + 10;
  const float height = origin.y + size.y - top;
  const float col_w = size.x / static_cast<float>(layers);
  std::vector<ImVec2> centre(graph.services.size());
  for (size_t i = 0; i < graph.services.size(); ++i) {
    const int layer = graph.services[i].layer;
    const float row_h = height / static_cast<float>(count[layer]);
    // Layer 0 (depends on nothing) on the right: calls flow left to right.
    centre[i] = ImVec2(origin.x + size.x - col_w * (layer + 0.5f), top + row_h * (slot[i] + 0.5f));
  }
  // Boxes as wide as the column allows, tall enough for the name on two lines ("fulfilment"
  // over "worker") and, where there is room, the incident count.
  int busiest = 1;
  for (int c : count) busiest = std::max(busiest, c);
  const float row_h = height / static_cast<float>(busiest);
  const ImVec2 half(std::min(70.0f, col_w / 2 - 5), std::min(line * 1.5f + 3, row_h / 2 - 1));
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  int hovered = -1;
  for (size_t i = 0; i < graph.services.size(); ++i) {
    if (std::fabs(mouse.x - centre[i].x) <= half.x && std::fabs(mouse.y - centre[i].y) <= half.y && ImGui::IsWindowHovered()) {
      hovered = static_cast<int>(i);
    }
  }
  // Edges faint, those of the hovered service bright: the structure without a hairball.
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i < graph.services.size(); ++i) {
      for (int d : graph.services[i].depends_on) {
        const bool lit = hovered >= 0 && (static_cast<int>(i) == hovered || d == hovered);
        if (lit != (pass == 1)) continue;
        Arrow(dl, ImVec2(centre[i].x + half.x, centre[i].y), ImVec2(centre[d].x - half.x, centre[d].y),
              lit ? IM_COL32(255, 230, 150, 230) : IM_COL32(200, 200, 200, hovered >= 0 ? 25 : 55));
      }
    }
  }
  for (size_t i = 0; i < graph.services.size(); ++i) {
    const ImVec2 a(centre[i].x - half.x, centre[i].y - half.y), b(centre[i].x + half.x, centre[i].y + half.y);
    dl->AddRectFilled(a, b, IncidentShade(incidents_by_service[i], max_incidents), 3);
    dl->AddRect(a, b, static_cast<int>(i) == hovered ? colors::kSelection : IM_COL32(160, 180, 170, 200), 3);
    const std::string& name = graph.services[i].name;
    const size_t dash = name.rfind('-');
    if (half.y * 2 >= 2 * line + 2 && dash != std::string::npos && dash > 0) {
      // Every box has its tooltip (hover), so a cut name can be read whole.
      FittedText(dl, ImVec2(a.x + 3, a.y + 1), b.x - 2, IM_COL32(240, 240, 240, 255), name.substr(0, dash));
      FittedText(dl, ImVec2(a.x + 3, a.y + 1 + line), b.x - 2, IM_COL32(240, 240, 240, 255), name.substr(dash));
    } else if (half.y * 2 >= line) {
      FittedText(dl, ImVec2(a.x + 3, a.y + 1), b.x - 2, IM_COL32(240, 240, 240, 255), name);
    }
    if (static_cast<int>(i) == hovered) {
      ImGui::SetTooltip("%s (team %s): %u incidents; calls %zu services", name.c_str(),
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
  const float split = avail.x * 0.45f;
  ImGui::Dummy(avail);
  DrawOrgChart(run, state, origin, ImVec2(split - 10, avail.y));
  DrawServices(run, ImVec2(origin.x + split + 10, origin.y), ImVec2(avail.x - split - 10, avail.y));
}

}  // namespace clawsim::viz
