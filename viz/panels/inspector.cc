#include "viz/panels/inspector.h"

#include <algorithm>
#include <cstdio>

#include "viz/format.h"

namespace clawsim::viz {
namespace {

void Field(const char* name, const std::string& value) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::TextDisabled("%s", name);
  ImGui::TableNextColumn();
  ImGui::TextWrapped("%s", value.c_str());
}

std::string IdText(uint64_t id) { return id == kNoId ? "-" : std::to_string(id); }

std::string CauseText(const RunData& run, uint32_t first, uint16_t count) {
  std::string out;
  for (uint32_t c = 0; c < count; ++c) {
    const CauseRef& r = run.causes[first + c];
    out += (c > 0 ? ", " : "") + std::string(CauseKindName(r.kind)) + " " + std::to_string(r.id);
  }
  return out.empty() ? "-" : out;
}

void SpanFields(const RunData& run, const SpanRow& s) {
  const proto::RunHeader& h = run.header;
  Field("kind", SpanKindName(s.kind));
  Field("id", std::to_string(s.id));
  Field("start", FormatTime(s.start_us));
  Field("end", FormatTime(s.end_us));
  Field("duration", FormatDuration(s.end_us - s.start_us));
  Field("lane", run.lanes[s.lane].label);
  if (s.name != kNone) Field("name", RunData::Name(h.span_names(), s.name));
  if (s.employee != kNone) Field("employee", RunData::Name(h.employee_names(), s.employee));
  if (s.agent != kNone) Field("agent", run.AgentLabel(s.agent));
  if (s.target != kNone) Field("target", RunData::Name(h.target_names(), s.target));
  if (s.trigger != kNoSmall) Field("trigger", RunData::Name(h.trigger_names(), s.trigger));
  if (s.purpose != kNoSmall) Field("purpose", RunData::Name(h.purpose_names(), s.purpose));
  if (s.outcome != kNoSmall) Field("outcome", run.SpanOutcome(s));
  if (s.route != kNoSmall) Field("injection reached it by", RunData::Name(h.injection_route_names(), s.route));
  if (s.kind == SpanKind::kAgentInvocation) {
    Field("input tokens", FormatCount(s.input_tokens));
    Field("output tokens", FormatCount(s.output_tokens));
    Field("cost", FormatUsd(s.cost_usd));
  }
  Field("item", IdText(s.item_id));
  Field("deploy", IdText(s.deploy_id));
  Field("causes", CauseText(run, s.first_cause, s.cause_count));
}

void AuditFields(const RunData& run, const AuditRow& a) {
  const proto::RunHeader& h = run.header;
  Field("kind", "audit record");
  Field("id", std::to_string(a.id));
  Field("time", FormatTime(a.time_us));
  Field("actor", a.agent == kNone ? "the employee, directly"
                 : a.external ? run.AgentLabel(a.agent) + ", agent " + RunData::Name(h.agent_names(), a.agent)
                              : "agent " + RunData::Name(h.agent_names(), a.agent));
  Field("on behalf of", RunData::Name(h.employee_names(), a.employee));
  Field("action", RunData::Name(h.action_names(), a.action));
  Field("target", RunData::Name(h.target_names(), a.target));
  Field("decision", RunData::Name(h.decision_names(), a.decision));
  Field("outcome", RunData::Name(h.outcome_names(), a.outcome));
  Field("causes", CauseText(run, a.first_cause, a.cause_count));
}

void InjectionFields(const RunData& run, const InjectionRow& e) {
  const proto::RunHeader& h = run.header;
  Field("kind", "injection email");
  Field("item", std::to_string(e.item_id));
  Field("landed", FormatTime(e.time_us));
  Field("mailbox of", RunData::Name(h.employee_names(), e.employee));
  Field("campaign", run.SourceName(e.source));
  Field("goal", RunData::Name(h.attack_goal_names(), e.goal));
  Field("from", !e.forwarded                ? std::string("the attacker")
                : e.forwarded_by != kNone ? "a forward by " + RunData::Name(run.header.employee_names(), e.forwarded_by) +
                                                ", " + FormatTime(e.forwarded_at_us)
                                          : std::string("a colleague's forward"));
  Field("detector", e.detected ? "quarantined it (no agent saw it)" : "let it through");
}

// Buttons for `records`, each recording its rectangle; returns the one clicked, if any.
const RecordRef* Buttons(const RunData& run, const std::vector<RecordRef>& records, const char* prefix,
                         std::vector<ImVec4>* rects) {
  const RecordRef* clicked = nullptr;
  rects->clear();
  const size_t shown = std::min<size_t>(records.size(), 200);
  for (size_t i = 0; i < shown; ++i) {
    // A small button, then the record's description wrapped to the panel's width.
    char id[32];
    std::snprintf(id, sizeof id, "%s##%s%zu", prefix, prefix, i);
    if (ImGui::SmallButton(id)) clicked = &records[i];
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    rects->push_back(ImVec4(a.x, a.y, b.x, b.y));
    ImGui::SameLine();
    ImGui::TextWrapped("%s", DescribeRecord(run, records[i]).c_str());
  }
  if (records.size() > shown) ImGui::TextDisabled("... and %zu more", records.size() - shown);
  if (records.empty()) ImGui::TextDisabled("none recorded");
  return clicked;
}

}  // namespace

void InspectorPanel::Draw(const RunData& run, ViewState& state) {
  causes.clear();
  consequences.clear();
  cause_buttons.clear();
  consequence_buttons.clear();
  if (!state.history.empty()) {
    if (ImGui::Button("< Back")) state.Back();
    ImGui::SameLine();
  }
  if (!state.selected.valid()) {
    ImGui::TextWrapped("Nothing selected. Select a harm in the Harms tab, a span in the Timeline or a row in the "
                       "Audit log; its causes and consequences appear here, each a button to follow.");
    return;
  }
  ImGui::TextWrapped("%s", DescribeRecord(run, state.selected).c_str());
  if (ImGui::BeginTable("fields", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("field", ImGuiTableColumnFlags_WidthStretch, 0.35f);
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    if (state.selected.kind == RecordRef::Kind::kSpan) {
      SpanFields(run, run.spans[state.selected.index]);
    } else if (state.selected.kind == RecordRef::Kind::kAudit) {
      AuditFields(run, run.audit[state.selected.index]);
    } else {
      InjectionFields(run, run.injections[state.selected.index]);
    }
    ImGui::EndTable();
  }
  if (!(origin_for == state.selected) || origin_run != &run) {
    origin = FindOrigin(run, state.selected);
    origin_for = state.selected;
    origin_run = &run;
  }
  ImGui::TextColored(ImVec4(0.6f, 0.8f, 1, 1), "Origin");
  ImGui::SameLine();
  ImGui::TextWrapped("%s", origin.text.c_str());
  if (!origin.deployed_by.empty()) ImGui::TextDisabled("deployed by %s", origin.deployed_by.c_str());
  if (origin.injection.valid() && !(origin.injection == state.selected)) {
    if (ImGui::SmallButton("go to the injection email")) state.Select(origin.injection);
  }
  causes = run.causal.Causes(run, state.selected);
  consequences = run.causal.Consequences(run, state.selected);
  ImGui::Separator();
  ImGui::TextColored(ImVec4(0.6f, 0.8f, 1, 1), "Caused by (go to cause)");
  const RecordRef* go = Buttons(run, causes, "<-", &cause_buttons);
  ImGui::Separator();
  ImGui::TextColored(ImVec4(0.6f, 0.8f, 1, 1), "Consequences");
  const RecordRef* go2 = Buttons(run, consequences, "->", &consequence_buttons);
  if (go2 != nullptr) go = go2;
  if (go != nullptr) {
    const RecordRef target = *go;
    state.Select(target);
    if (target.kind == RecordRef::Kind::kSpan && run.spans[target.index].employee != kNone) {
      state.selected_employee = run.spans[target.index].employee;
    } else if (target.kind == RecordRef::Kind::kAudit) {
      state.selected_employee = run.audit[target.index].employee;
    } else if (target.kind == RecordRef::Kind::kInjection) {
      state.selected_employee = run.injections[target.index].employee;
    }
  }
}

}  // namespace clawsim::viz
