#include "viz/panels/graphs.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "viz/format.h"
#include "viz/panels/elide.h"
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

// A service name in at most `max_lines` lines of at most `width` pixels: its pieces
// (NamePieces) packed greedily into lines; a piece wider
// than a line, or what is left past the last line, is cut in its middle (ElideMiddle). Sets
// *elided when any part was cut.
// A name broken before its dashes: "design-system-worker" -> "design", "-system", "-worker".
std::vector<std::string> NamePieces(const std::string& name) {
  std::vector<std::string> pieces;
  for (size_t start = 0; start < name.size();) {
    size_t dash = name.find('-', start + 1);
    if (dash == std::string::npos) dash = name.size();
    pieces.push_back(name.substr(start, dash - start));
    start = dash;
  }
  return pieces;
}

std::vector<std::string> WrapName(const std::string& name, float width, int max_lines, bool* elided) {
  std::vector<std::string> lines;
  for (const std::string& piece : NamePieces(name)) {
    if (!lines.empty() && ImGui::CalcTextSize((lines.back() + piece).c_str()).x <= width) {
      lines.back() += piece;
    } else if (static_cast<int>(lines.size()) < max_lines) {
      lines.push_back(piece);
    } else {
      lines.back() += piece;  // no line left: the last one takes the rest, cut below
    }
  }
  *elided = false;
  for (std::string& l : lines) {
    const std::string fitted = ElideMiddle(l, width);
    *elided |= fitted != l;
    l = fitted;
  }
  return lines;
}

// Text from `at` to no further than `right`, cut in its middle where it is wider (ElideMiddle);
// true when it had to be cut (the caller offers a tooltip).
bool FitText(ImDrawList* dl, ImVec2 at, float right, ImU32 color, const std::string& text) {
  const std::string shown = ElideMiddle(text, std::max(0.0f, right - at.x));
  dl->AddText(at, color, shown.c_str());
  return shown != text;
}

}  // namespace

void GraphsPanel::DrawOrgChart(const RunData& run, ViewState& state, ImVec2 origin, ImVec2 size) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float line = ImGui::GetTextLineHeight();
  const char* title = "Org chart: teams under their parents; a dot is a person";
  if (ImGui::CalcTextSize(title).x > size.x) title = "Org chart (a dot is a person)";
  dl->AddText(origin, IM_COL32(150, 200, 255, 255), ElideMiddle(title, size.x).c_str());
  // Legend: the dots' shade.
  const float lx = origin.x;
  const float ly = origin.y + line + 4;
  dl->AddText(ImVec2(lx, ly), colors::kAxisText, "tokens:");
  float x = lx + ImGui::CalcTextSize("tokens: ").x;
  for (int i = 0; i <= 4; ++i) {
    dl->AddCircleFilled(ImVec2(x + 5, ly + line / 2), 4, TokenShade(i / 4.0));
    x += 14;
  }
  // The key in the words that fit the column (a narrow window gets the short one).
  std::string key = "none to the most (brighter = more); white ring = selected";
  const float key_w = origin.x + size.x - (x + 4);
  if (ImGui::CalcTextSize(key.c_str()).x > key_w) key = ElideMiddle("none to most; ring = selected", key_w);
  dl->AddText(ImVec2(x + 4, ly), colors::kAxisText, key.c_str());
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
      bool cut = FitText(dl, ImVec2(a.x + 4, a.y + 2), b.x - 3, IM_COL32(235, 235, 235, 255), graph.teams[t].name);
      const float people_w = ImGui::CalcTextSize(people.c_str()).x;
      if (a.x + 4 + ImGui::CalcTextSize(graph.teams[t].name.c_str()).x + 8 + people_w <= b.x - 3) {
        dl->AddText(ImVec2(b.x - 3 - people_w, a.y + 2), colors::kAxisText, people.c_str());
      } else {
        cut = true;
      }
      // The tokens line where the box is tall enough for it (the tooltip has it otherwise).
      if (b.y - a.y >= 2 * line + 3) {
        cut |= FitText(dl, ImVec2(a.x + 4, a.y + 2 + line), b.x - 3, colors::kAxisText, stats);
      } else {
        cut = true;
      }
      const bool room_for_worth = b.y - a.y >= 3 * line + 8;
      if (room_for_worth) cut |= FitText(dl, ImVec2(a.x + 4, a.y + 2 + 2 * line), b.x - 3, colors::kAxisText, worth);
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
  const char* title = "Services: an arrow from each service to what it calls";
  if (ImGui::CalcTextSize(title).x > size.x) title = "Services (an arrow: calls)";
  dl->AddText(origin, IM_COL32(150, 200, 255, 255), ElideMiddle(title, size.x).c_str());
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
  int busiest = 1;
  for (int c : count) busiest = std::max(busiest, c);
  const float col_w = size.x / static_cast<float>(layers);
  // Boxes as wide as the column allows; names wrapped at their dashes into as many lines as
  // the rows leave room for (up to three), a piece that still does not fit cut in its middle.
  const float half_x = std::min(80.0f, col_w / 2 - 4);
  const float inner = 2 * half_x - 6;
  // Labels in at most `max_lines` lines, and the list of names cut to fit, listed whole under
  // the legend (and on hover); the list's height comes off the rows'.
  int lines_used = 1;
  std::string list;
  float list_h = 0;
  auto build = [&](int max_lines) {
    labels.assign(graph.services.size(), {});
    shortened.clear();
    lines_used = 1;
    for (size_t i = 0; i < graph.services.size(); ++i) {
      bool elided = false;
      labels[i] = WrapName(graph.services[i].name, inner, max_lines, &elided);
      lines_used = std::max(lines_used, static_cast<int>(labels[i].size()));
      if (elided) shortened.push_back(i);
    }
    list.clear();
    for (size_t k = 0; k < shortened.size(); ++k) {
      const size_t i = shortened[k];
      std::string joined;
      for (const std::string& l : labels[i]) joined += l;
      list += (k > 0 ? ", " : "shortened: ") + joined + " = " + graph.services[i].name;
    }
    list_h = list.empty() ? 0 : ImGui::GetFont()->CalcTextSizeA(ImGui::GetFontSize(), FLT_MAX, size.x, list.c_str()).y;
  };
  auto lines_that_fit = [&]() {
    const float rows_h = (origin.y + size.y - (ly + line + 10 + list_h)) / static_cast<float>(busiest);
    return std::clamp(static_cast<int>((rows_h - 4) / line), 1, 3);
  };
  build(lines_that_fit());
  if (const int fit = lines_that_fit(); fit < lines_used) build(fit);  // the list took room a line needed
  if (!list.empty()) {
    dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(origin.x, ly + line + 2), colors::kAxisText, list.c_str(),
                nullptr, size.x);
  }
  const float top = ly + line + 10 + list_h;
  const float height = origin.y + size.y - top;
  std::vector<ImVec2> centre(graph.services.size());
  for (size_t i = 0; i < graph.services.size(); ++i) {
    const int layer = graph.services[i].layer;
    const float row_h = height / static_cast<float>(count[layer]);
    // Layer 0 (depends on nothing) on the right: calls flow left to right.
    centre[i] = ImVec2(origin.x + size.x - col_w * (layer + 0.5f), top + row_h * (slot[i] + 0.5f));
  }
  const float row_h = height / static_cast<float>(busiest);
  const ImVec2 half(half_x, std::min(line * static_cast<float>(lines_used) / 2 + 3, row_h / 2 - 1));
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
    // As many lines of the name as the box holds; every box has its tooltip.
    const int fit = std::max(1, static_cast<int>((b.y - a.y) / line));
    for (size_t l = 0; l < labels[i].size() && static_cast<int>(l) < fit; ++l) {
      dl->AddText(ImVec2(a.x + 3, a.y + 1 + line * static_cast<float>(l)), IM_COL32(240, 240, 240, 255), labels[i][l].c_str());
    }
    const std::string& name = graph.services[i].name;
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
  // The service graph gets the larger share: its columns are dependency layers, and each
  // needs room for the longest piece of a service name ("recommendations" of
  // "recommendations-api"); between 60 % and 70 % of the width.
  int layers = 1;
  float longest = 0;
  for (const auto& sv : graph.services) {
    layers = std::max(layers, sv.layer + 1);
    for (const std::string& piece : NamePieces(sv.name)) {
      longest = std::max(longest, ImGui::CalcTextSize(piece.c_str()).x);
    }
  }
  const float wanted = static_cast<float>(layers) * (longest + 14) + 10;
  const float split = avail.x - std::clamp(wanted, avail.x * 0.6f, avail.x * 0.7f);
  ImGui::Dummy(avail);
  DrawOrgChart(run, state, origin, ImVec2(split - 10, avail.y));
  DrawServices(run, ImVec2(origin.x + split + 10, origin.y), ImVec2(avail.x - split - 10, avail.y));
}

}  // namespace clawsim::viz
