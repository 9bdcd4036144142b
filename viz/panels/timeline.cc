#include "viz/panels/timeline.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "viz/format.h"
#include "viz/theme.h"

namespace clawsim::viz {
namespace {

constexpr float kLabelWidth = 170;
constexpr float kLaneHeight = 18;
constexpr float kAxisHeight = 20;

bool IsError(const RunData& run, const SpanRow& s) {
  if (s.outcome == kNoSmall) return false;
  const std::string name = run.SpanOutcome(s);
  return name.find("error") != std::string::npos || name.find("inject") != std::string::npos ||
         name.find("fail") != std::string::npos;
}

// The first pixel column whose centre lies at or right of x, as a rasterizer sees x after
// snapping it to its 1/256-pixel vertex grid (8 subpixel bits: Mesa's llvmpipe, most GPUs): a
// filled rectangle from x0 to x1 covers exactly the columns [PixelStart(x0), PixelStart(x1)).
float PixelStart(float x) { return std::ceil(std::nearbyint(x * 256.0f) / 256.0f - 0.5f); }

// Consecutive filled rectangles of one lane, merged while they touch and share a colour.
struct Run {
  float a = 0, b = -1;  // pixel columns [a, b); b < a: empty
  ImU32 color = 0;
  float y0 = 0, y1 = 0;
  void Add(ImDrawList* dl, float na, float nb, ImU32 c, float ny0, float ny1) {
    if (nb <= na) return;  // covers no pixel centre
    if (b >= a && c == color && na <= b) {
      b = std::max(b, nb);
      return;
    }
    Flush(dl);
    a = na, b = nb, color = c, y0 = ny0, y1 = ny1;
  }
  void Flush(ImDrawList* dl) {
    if (b > a) dl->AddRectFilled(ImVec2(a, y0), ImVec2(b, y1), color);
    b = a - 1;
  }
};

}  // namespace

void TimelinePanel::RebuildLanes(const RunData& run, const ViewState& state) {
  if (built_for != &run) {
    built_for = &run;
    agent_owner.assign(static_cast<size_t>(run.header.agent_names_size()), kNone);
    for (const Lane& lane : run.lanes) {
      if (lane.kind != Lane::Kind::kAgent) continue;
      if (!lane.spans.empty()) {
        agent_owner[lane.subject] = run.spans[lane.spans.front()].employee;
      } else if (!lane.audit.empty()) {
        agent_owner[lane.subject] = run.audit[lane.audit.front()].employee;  // an external seat
      }
    }
  }
  shown_lanes.clear();
  for (uint32_t i = 0; i < run.lanes.size(); ++i) {
    const Lane& lane = run.lanes[i];
    if (only_with_spans && lane.spans.empty() && lane.audit.empty()) continue;
    if (lane.kind == Lane::Kind::kEmployee && !show_employees) continue;
    if (lane.kind == Lane::Kind::kAgent && !show_agents) continue;
    if (lane.kind == Lane::Kind::kService && !show_services) continue;
    if (only_selected_employee && state.selected_employee != kNoEmployee) {
      const int64_t who = lane.kind == Lane::Kind::kEmployee ? lane.subject
                          : lane.kind == Lane::Kind::kAgent && agent_owner[lane.subject] != kNone
                              ? agent_owner[lane.subject]
                              : kNoEmployee - 1;
      if (who != state.selected_employee) continue;
    }
    shown_lanes.push_back(i);
  }
  // An external seat's lane goes right under its employee's, when that is shown: the person
  // and the agent in their chair side by side.
  for (size_t k = 0; k < shown_lanes.size(); ++k) {
    const Lane& lane = run.lanes[shown_lanes[k]];
    if (!lane.external || agent_owner[lane.subject] == kNone) continue;
    const auto owner = std::find(shown_lanes.begin(), shown_lanes.end(), agent_owner[lane.subject]);
    if (owner == shown_lanes.end() || owner > shown_lanes.begin() + static_cast<std::ptrdiff_t>(k)) continue;
    const uint32_t moved = shown_lanes[k];
    shown_lanes.erase(shown_lanes.begin() + static_cast<std::ptrdiff_t>(k));
    shown_lanes.insert(std::find(shown_lanes.begin(), shown_lanes.end(), agent_owner[lane.subject]) + 1, moved);
  }
}

void TimelinePanel::DrawLane(const RunData& run, ViewState& state, const Lane& lane, float x0, float x1, float y,
                             float h, bool hovered_area) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const int64_t t0 = state.timeline_t0_us, t1 = state.timeline_t1_us;
  const double us_per_px = static_cast<double>(t1 - t0) / (x1 - x0);
  auto x_of = [&](int64_t t) { return x0 + static_cast<float>(static_cast<double>(t - t0) / us_per_px); };
  const LaneRange range = VisibleRange(lane, t0, t1);
  last_visible_spans += range.last - range.first;
  marks_.clear();
  FoldSpans(lane, range, t0, static_cast<int64_t>(std::ceil(us_per_px)), &marks_);
  last_marks += marks_.size();
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const bool mouse_in_lane = hovered_area && mouse.y >= y && mouse.y < y + h;
  const LaneMark* under_mouse = nullptr;
  // Two passes: incidents last, on top of the stages they overlap. Each rectangle is snapped
  // to the pixels the rasterizer would fill for it anyway (those whose centres it covers), and
  // touching rectangles of one colour are sent as one: a software rasterizer pays per
  // rectangle as well as per pixel, and the pixels come out the same.
  Run run_rect;
  // Names go over their spans after every rectangle is drawn, so that no later span covers
  // part of one; spans of one lane may overlap (concurrent pipelines).
  labels_.clear();
  for (int pass = 0; pass < 2; ++pass) {
    for (const LaneMark& m : marks_) {
      const SpanRow& s = run.spans[lane.spans[m.first]];
      const bool on_top = m.count == 1 && s.kind == SpanKind::kIncident;
      if (on_top != (pass == 1)) continue;
      const float a = std::max(x0, x_of(m.start_us));
      const float b = std::min(x1, std::max(a + 1.0f, x_of(m.end_us)));
      // A fold takes the colour of its first span's kind, dimmed: the lane still says what it holds.
      const ImU32 fill = m.count > 1 ? (SpanColor(static_cast<uint8_t>(s.kind), false) & 0x00ffffffu) | 0x90000000u
                                     : SpanColor(static_cast<uint8_t>(s.kind), IsError(run, s));
      run_rect.Add(dl, PixelStart(a), PixelStart(b), fill, y + 2, y + h - 2);
      if (m.count == 1 && s.name != kNone) {
        const std::string& name = RunData::Name(run.header.span_names(), s.name);
        const float tw = ImGui::CalcTextSize(name.c_str()).x;
        if (tw + 6 <= b - a) labels_.push_back({a, b, &name, tw});
      }
      if (mouse_in_lane && mouse.x >= a - 1 && mouse.x <= b + 1 && (under_mouse == nullptr || on_top)) {
        under_mouse = &m;
      }
    }
    run_rect.Flush(dl);
  }
  // A name is drawn where it fits whole and no other span starts under it (the tooltip has
  // the rest).
  std::stable_sort(labels_.begin(), labels_.end(), [](const Label& l, const Label& r) { return l.a < r.a; });
  float label_end = -1e9f;
  for (size_t k = 0; k < labels_.size(); ++k) {
    const float at = labels_[k].a + 3, end = at + labels_[k].width;
    if (at < label_end + 4 || (k + 1 < labels_.size() && labels_[k + 1].a < end + 3)) continue;
    dl->AddText(ImVec2(at, y + 2), IM_COL32(20, 20, 20, 255), labels_[k].name->c_str());
    label_end = end;
  }
  // The selected span, outlined wherever it is.
  if (state.selected.kind == RecordRef::Kind::kSpan && state.selected.index < run.spans.size()) {
    const SpanRow& sel = run.spans[state.selected.index];
    if (sel.lane == static_cast<uint32_t>(&lane - run.lanes.data()) && sel.end_us >= t0 && sel.start_us <= t1) {
      const float a = std::max(x0, x_of(sel.start_us)) - 1;
      const float b = std::min(x1, std::max(a + 3, x_of(sel.end_us))) + 1;
      dl->AddRect(ImVec2(a, y + 1), ImVec2(b, y + h - 1), colors::kSelection, 0, 0, 2.0f);
    }
  }
  // An external seat's calls: one tick per audit record, coloured by its decision, one per
  // pixel column (the first record there).
  const AuditRow* call_under_mouse = nullptr;
  uint32_t call_index = 0;
  if (!lane.audit.empty()) {
    auto first = std::lower_bound(lane.audit.begin(), lane.audit.end(), t0,
                                  [&](uint32_t i, int64_t t) { return run.audit[i].time_us < t; });
    float last_x = -1e9f;
    for (auto it = first; it != lane.audit.end() && run.audit[*it].time_us <= t1; ++it) {
      const AuditRow& a = run.audit[*it];
      const float x = PixelStart(x_of(a.time_us));
      if (x < last_x + 3) continue;
      last_x = x;
      const ImU32 fill = ImGui::ColorConvertFloat4ToU32(DecisionColor(RunData::Name(run.header.decision_names(), a.decision).c_str()));
      dl->AddRectFilled(ImVec2(x - 1, y + 2), ImVec2(x + 2, y + h - 2), fill);
      if (mouse_in_lane && under_mouse == nullptr && std::fabs(mouse.x - x) <= 3) {
        call_under_mouse = &a;
        call_index = *it;
      }
    }
  }
  // A selected audit record or injection email: a white mark at its time on its lane.
  const uint32_t lane_index = static_cast<uint32_t>(&lane - run.lanes.data());
  int64_t mark_us = -1;
  if (state.selected.kind == RecordRef::Kind::kAudit && state.selected.index < run.audit.size()) {
    const AuditRow& a = run.audit[state.selected.index];
    if (lane_index == run.LaneOfAudit(a)) mark_us = a.time_us;
  } else if (state.selected.kind == RecordRef::Kind::kInjection && state.selected.index < run.injections.size()) {
    if (lane_index == run.injections[state.selected.index].employee) mark_us = run.injections[state.selected.index].time_us;
  }
  if (mark_us >= t0 && mark_us <= t1) {
    const float x = x_of(mark_us);
    dl->AddTriangleFilled(ImVec2(x - 5, y), ImVec2(x + 5, y), ImVec2(x, y + h / 2), colors::kSelection);
    dl->AddLine(ImVec2(x, y), ImVec2(x, y + h), colors::kSelection, 2.0f);
  }
  if (call_under_mouse != nullptr) {
    const AuditRow& a = *call_under_mouse;
    ImGui::BeginTooltip();
    ImGui::Text("%s: %s", lane.label.c_str(), RunData::Name(run.header.action_names(), a.action).c_str());
    ImGui::Text("%s, %s, %s", FormatTime(a.time_us).c_str(), RunData::Name(run.header.decision_names(), a.decision).c_str(),
                RunData::Name(run.header.outcome_names(), a.outcome).c_str());
    ImGui::EndTooltip();
    if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) && ImGui::GetIO().MouseDragMaxDistanceSqr[0] < 16) {
      state.Select(RecordRef::Audit(call_index));
      state.reveal_selection = false;
      state.selected_employee = a.employee;
    }
    return;
  }
  if (under_mouse == nullptr) return;
  const SpanRow& s = run.spans[lane.spans[under_mouse->first]];
  ImGui::BeginTooltip();
  if (under_mouse->count > 1) {
    ImGui::Text("%u spans folded (each under a pixel); click to zoom in", under_mouse->count);
    ImGui::Text("%s to %s", FormatTime(under_mouse->start_us).c_str(), FormatTime(under_mouse->end_us).c_str());
  } else {
    ImGui::Text("%s %s", SpanKindName(s.kind),
                s.name != kNone ? RunData::Name(run.header.span_names(), s.name).c_str() : "");
    ImGui::Text("%s, %s", FormatTime(s.start_us).c_str(), FormatDuration(s.end_us - s.start_us).c_str());
    if (s.kind == SpanKind::kAgentInvocation) {
      ImGui::Text("%s tokens, %s", FormatCount(static_cast<double>(s.input_tokens) + s.output_tokens).c_str(),
                  FormatUsd(s.cost_usd).c_str());
    }
    if (s.outcome != kNoSmall) ImGui::Text("outcome: %s", run.SpanOutcome(s).c_str());
  }
  ImGui::EndTooltip();
  if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) && ImGui::GetIO().MouseDragMaxDistanceSqr[0] < 16) {
    if (under_mouse->count > 1) {
      const int64_t pad = (under_mouse->end_us - under_mouse->start_us) / 10 + 1;
      state.timeline_t0_us = under_mouse->start_us - pad;
      state.timeline_t1_us = under_mouse->end_us + pad;
    } else {
      state.Select(RecordRef::Span(lane.spans[under_mouse->first]));
      state.reveal_selection = false;  // it is on screen already
      if (s.employee != kNone) state.selected_employee = s.employee;
    }
  }
}

void TimelinePanel::Draw(const RunData& run, ViewState& state) {
  const uint64_t key = (show_employees ? 1 : 0) | (show_agents ? 2 : 0) | (show_services ? 4 : 0) |
                       (only_with_spans ? 8 : 0) | (only_selected_employee ? 16 : 0) |
                       (static_cast<uint64_t>(state.selected_employee + 1) << 8);
  if (built_for != &run || key != filter_key) {
    RebuildLanes(run, state);
    filter_key = key;
  }
  if (state.timeline_t1_us <= state.timeline_t0_us) {
    state.timeline_t0_us = 0;
    state.timeline_t1_us = std::max<int64_t>(run.end_us, 1'000'000);
  }
  if (run.spans.empty()) {
    ImGui::TextDisabled("This run file has no spans: written before format 1.1, at trace level none, or by a model that emits none.");
    return;
  }

  ImGui::Checkbox("employees", &show_employees);
  ImGui::SameLine();
  ImGui::Checkbox("agents", &show_agents);
  ImGui::SameLine();
  ImGui::Checkbox("services", &show_services);
  ImGui::SameLine();
  ImGui::Checkbox("lanes with spans only", &only_with_spans);
  ImGui::SameLine();
  ImGui::Checkbox("selected employee only", &only_selected_employee);
  ImGui::SameLine();
  if (ImGui::Button("whole run")) {
    state.timeline_t0_us = 0;
    state.timeline_t1_us = std::max<int64_t>(run.end_us, 1'000'000);
  }
  // Legend: the colours of theme.h's SpanColor.
  const struct {
    const char* name;
    ImU32 color;
  } legend[] = {{"human task", SpanColor(1, false)},     {"agent invocation", SpanColor(2, false)},
                {"pipeline stage", SpanColor(3, false)}, {"incident, error, injected", SpanColor(4, true)},
                {"dim: many spans under a pixel (click to zoom)", SpanColor(2, false) & 0x90ffffffu}};
  for (const auto& l : legend) {
    if (&l != legend) ImGui::SameLine();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(l.color), "# %s", l.name);
  }
  ImGui::Text("%s to %s (%s), %zu lanes", FormatTime(state.timeline_t0_us).c_str(),
              FormatTime(state.timeline_t1_us).c_str(),
              FormatDuration(state.timeline_t1_us - state.timeline_t0_us).c_str(), shown_lanes.size());
  if (std::find(run.external_agents.begin(), run.external_agents.end(), 1) != run.external_agents.end()) {
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(0.84f, 0.67f, 0.94f, 1), "  seat: an agent driven from outside (clawsim serve); a tick per call, by decision");
  }

  // Reveal a selection made elsewhere (a span, an audit record, an injection email, or an
  // employee): centre its time, scroll to its lane.
  int scroll_to_lane = -1;
  auto reveal = [&](int64_t start_us, int64_t end_us, uint32_t lane) {
    const int64_t width = std::max<int64_t>(10 * (end_us - start_us), 600'000'000);
    state.timeline_t0_us = (start_us + end_us) / 2 - width / 2;
    state.timeline_t1_us = state.timeline_t0_us + width;
    const auto it = std::find(shown_lanes.begin(), shown_lanes.end(), lane);
    if (it != shown_lanes.end()) scroll_to_lane = static_cast<int>(it - shown_lanes.begin());
  };
  if (state.reveal_selection) {
    if (state.selected.kind == RecordRef::Kind::kSpan && state.selected.index < run.spans.size()) {
      const SpanRow& s = run.spans[state.selected.index];
      reveal(s.start_us, s.end_us, s.lane);
    } else if (state.selected.kind == RecordRef::Kind::kAudit && state.selected.index < run.audit.size()) {
      const AuditRow& a = run.audit[state.selected.index];
      reveal(a.time_us, a.time_us, run.LaneOfAudit(a));
    } else if (state.selected.kind == RecordRef::Kind::kInjection && state.selected.index < run.injections.size()) {
      const InjectionRow& e = run.injections[state.selected.index];
      reveal(e.time_us, e.time_us, e.employee);
    }
  }
  state.reveal_selection = false;
  if (state.selected_employee != revealed_employee) {
    revealed_employee = state.selected_employee;
    if (scroll_to_lane < 0 && state.selected_employee != kNoEmployee) {
      const auto it = std::find(shown_lanes.begin(), shown_lanes.end(), static_cast<uint32_t>(state.selected_employee));
      if (it != shown_lanes.end()) scroll_to_lane = static_cast<int>(it - shown_lanes.begin());
    }
  }

  const ImVec2 area = ImGui::GetContentRegionAvail();
  const ImVec2 top = ImGui::GetCursorScreenPos();
  if (label_width_for != &run) {
    label_width_for = &run;
    label_width = kLabelWidth;
    for (const Lane& lane : run.lanes) label_width = std::max(label_width, ImGui::CalcTextSize(lane.label.c_str()).x + 12);
  }
  // The lane names' column: as wide as the widest name, up to a third of the panel (tooltips beyond).
  const float label_w = std::min(label_width, std::max(kLabelWidth, area.x / 3));
  const float x0 = top.x + label_w, x1 = top.x + std::max(area.x, label_w + 50) - 14;
  ImDrawList* dl = ImGui::GetWindowDrawList();

  // Time axis.
  const int64_t t0 = state.timeline_t0_us, t1 = state.timeline_t1_us;
  const double span_us = static_cast<double>(t1 - t0);
  // The smallest step whose labels, at their widest, leave a gap: they never overprint.
  static const int64_t kSteps[] = {1'000,         10'000,           100'000,          1'000'000,
                                   10'000'000,    60'000'000,       120'000'000,      300'000'000,
                                   600'000'000,   1'800'000'000LL,  3'600'000'000LL,  2 * 3'600'000'000LL,
                                   6 * 3'600'000'000LL, 12 * 3'600'000'000LL, 86'400'000'000LL, 2 * 86'400'000'000LL,
                                   7 * 86'400'000'000LL, 28 * 86'400'000'000LL};
  auto tick_label = [](int64_t t, int64_t step) {
    const std::string full = FormatTime(t);  // "day 12 13:05:07.250"
    if (step >= 86'400'000'000LL) return full.substr(0, full.find(' ', 4));              // "day 12"
    if (step >= 60'000'000) return full.substr(0, full.size() - 7);                      // "day 12 13:05"
    if (step >= 1'000'000) return full.substr(0, full.size() - 4);                       // "day 12 13:05:07"
    return full;
  };
  int64_t step = kSteps[std::size(kSteps) - 1];
  for (int64_t s : kSteps) {
    const float label_w = ImGui::CalcTextSize(tick_label(t1, s).c_str()).x + 16;
    if (static_cast<double>(s) / span_us * (x1 - x0) >= label_w) {
      step = s;
      break;
    }
  }
  for (int64_t t = (t0 / step) * step; t <= t1; t += step) {
    if (t < t0) continue;
    const float x = x0 + static_cast<float>(static_cast<double>(t - t0) / span_us) * (x1 - x0);
    dl->AddLine(ImVec2(x, top.y + kAxisHeight - 4), ImVec2(x, top.y + area.y), colors::kGrid);
    const std::string label = tick_label(t, step);
    if (x + 2 + ImGui::CalcTextSize(label.c_str()).x <= x1) dl->AddText(ImVec2(x + 2, top.y + 2), colors::kAxisText, label.c_str());
  }
  ImGui::Dummy(ImVec2(area.x, kAxisHeight));

  // The lanes, clipped to what is on screen.
  ImGui::BeginChild("##lanes", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollWithMouse);
  const ImGuiIO& io = ImGui::GetIO();
  const bool child_hovered = ImGui::IsWindowHovered();
  const bool over_spans = child_hovered && io.MousePos.x >= x0 && io.MousePos.x <= x1;
  if (scroll_to_lane >= 0) {
    ImGui::SetScrollY(std::max(0.0f, (scroll_to_lane - 3) * kLaneHeight));
  }
  if (child_hovered && !over_spans && io.MouseWheel != 0) {
    ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseWheel * 3 * kLaneHeight);
  }
  if (over_spans && io.MouseWheel != 0) {
    const double at = t0 + (io.MousePos.x - x0) / (x1 - x0) * span_us;
    const double factor = io.MouseWheel > 0 ? 0.8 : 1.25;
    const double a = at - (at - t0) * factor, b = at + (t1 - at) * factor;
    if (b - a >= 10) {
      state.timeline_t0_us = static_cast<int64_t>(a);
      state.timeline_t1_us = static_cast<int64_t>(b);
    }
  }
  if (over_spans && ImGui::IsMouseDragging(ImGuiMouseButton_Left) && io.MouseDelta.x != 0) {
    const int64_t shift = static_cast<int64_t>(-io.MouseDelta.x / (x1 - x0) * span_us);
    state.timeline_t0_us += shift;
    state.timeline_t1_us += shift;
  }

  last_visible_spans = 0;
  last_marks = 0;
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(shown_lanes.size()), kLaneHeight);
  while (clipper.Step()) {
    for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
      const Lane& lane = run.lanes[shown_lanes[row]];
      const ImVec2 p = ImGui::GetCursorScreenPos();
      const bool mine = state.selected_employee != kNoEmployee &&
                        ((lane.kind == Lane::Kind::kEmployee && lane.subject == state.selected_employee) ||
                         (lane.kind == Lane::Kind::kAgent && agent_owner[lane.subject] == state.selected_employee));
      ImDrawList* lane_dl = ImGui::GetWindowDrawList();
      if (mine) lane_dl->AddRectFilled(p, ImVec2(x1, p.y + kLaneHeight), IM_COL32(255, 255, 255, 22));
      // The lane's name, clipped to its column; whole in a tooltip.
      lane_dl->PushClipRect(p, ImVec2(x0 - 4, p.y + kLaneHeight), true);
      lane_dl->AddText(ImVec2(p.x + 2, p.y + 2),
                       lane.kind == Lane::Kind::kService ? IM_COL32(230, 200, 120, 255)
                       : lane.external                 ? IM_COL32(215, 170, 240, 255)
                       : lane.kind == Lane::Kind::kAgent ? IM_COL32(150, 210, 160, 255)
                                                         : IM_COL32(170, 200, 240, 255),
                       lane.label.c_str());
      lane_dl->PopClipRect();
      if (child_hovered && io.MousePos.x < x0 && io.MousePos.y >= p.y && io.MousePos.y < p.y + kLaneHeight) {
        ImGui::SetTooltip("%s (%s)", lane.label.c_str(),
                          lane.kind == Lane::Kind::kService ? "service"
                          : lane.external ? "an agent driven from outside by an MCP client (clawsim serve)"
                          : lane.kind == Lane::Kind::kAgent ? "agent" : "employee");
      }
      DrawLane(run, state, lane, x0, x1, p.y, kLaneHeight, over_spans);
      ImGui::Dummy(ImVec2(x1 - p.x, kLaneHeight));
    }
  }
  ImGui::EndChild();
}

}  // namespace clawsim::viz
