#include "viz/panels/overview.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "viz/format.h"

namespace clawsim::viz {
namespace {

const ImVec4 kHeading(0.6f, 0.8f, 1, 1);
const ImVec4 kBad(0.95f, 0.45f, 0.4f, 1);
const ImVec4 kGood(0.55f, 0.85f, 0.55f, 1);

// Text in a table cell, wrapped at the column's edge: nothing is cut, a long value takes two lines.
void Cell(const std::string& text, const ImVec4* color = nullptr) {
  if (color != nullptr) ImGui::PushStyleColor(ImGuiCol_Text, *color);
  ImGui::TextWrapped("%s", text.c_str());
  if (color != nullptr) ImGui::PopStyleColor();
}

void Row(const char* label, const std::string& value, const ImVec4* color = nullptr) {
  static const ImVec4 kLabel(0.6f, 0.6f, 0.6f, 1);
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  Cell(label, &kLabel);
  ImGui::TableNextColumn();
  Cell(value, color);
}

double D(uint64_t v) { return static_cast<double>(v); }

bool BeginColumn(const char* id, const char* title, float label_weight = 0.9f) {
  ImGui::TextColored(kHeading, "%s", title);
  if (!ImGui::BeginTable(id, 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp)) {
    return false;
  }
  ImGui::TableSetupColumn("measure", ImGuiTableColumnFlags_WidthStretch, label_weight);
  ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch, 2.0f - label_weight);
  return true;
}

void DrawMeasures(const RunData& run) {
  const proto::RunSummary& s = run.footer.summary();
  if (!BeginColumn("measures", "Tokens, value and delivery")) return;
  Row("tokens", FormatAmount(D(TotalTokens(s.tokens())), "tokens"));
  Row("token cost", FormatUsd(s.tokens().cost_usd()));
  Row("invocations", FormatAmount(D(s.tokens().invocations()), "model calls"));
  Row("performative share", FormatPercent(s.performative_token_share()) + " of tokens");
  Row("useful / overhead", FormatCount(D(TotalTokens(s.tokens_by_purpose().useful()))) + " / " +
                               FormatAmount(D(TotalTokens(s.tokens_by_purpose().overhead())), "tokens"));
  Row("performative tokens", FormatAmount(D(TotalTokens(s.tokens_by_purpose().performative())), "tokens"));
  Row("value delivered", FormatUsd(s.value_usd()));
  Row("net value", FormatUsd(s.net_value_usd()) + " (less incidents, tokens)");
  char ratio[32];
  std::snprintf(ratio, sizeof ratio, "%.1f", s.value_usd_per_token_usd());
  Row("value per $ of tokens", std::string("$") + ratio);
  Row("hours saved (claimed)", FormatHours(s.hours().saved_hours()));
  Row("hours approving", FormatHours(s.hours().approval_hours()));
  Row("hours fixing", FormatHours(s.hours().fixing_hours()));
  Row("hours on backlog work", FormatHours(s.hours().backlog_hours()));
  Row("items completed / arrived", FormatCount(D(s.items_completed())) + " / " + FormatCount(D(s.items_arrived())));
  Row("mean lead time", FormatHours(s.mean_lead_time_hours()));
  char per_day[32];
  std::snprintf(per_day, sizeof per_day, "%.1f / day", s.dora().deployment_frequency_per_day());
  Row("prod deploys (DORA)", per_day);
  Row("lead time for changes", FormatHours(s.dora().lead_time_for_changes_hours()));
  Row("change failure rate", FormatPercent(s.dora().change_failure_rate()) + " of prod deploys");
  Row("time to restore", FormatHours(s.dora().time_to_restore_hours()));
  Row("deployment rework rate", FormatPercent(s.dora().rework_rate()) + " rollbacks");
  if (s.delivery().release_testing_caught() > 0) {  // release trains only
    Row("found by release testing", FormatCount(D(s.delivery().release_testing_caught())) + " defective changes");
  }
  Row("review time per merged change", FormatHours(s.delivery().review_elapsed_hours_per_merged_change()) + " in review");
  Row("incidents", FormatCount(D(s.incidents())));
  Row("agent errors", FormatCount(D(s.agent_errors())));
  const proto::GateCounts& g = s.gate();
  Row("agents' actions allowed", FormatCount(D(g.allowed())));
  Row("asked a person", FormatCount(D(g.asked_approved() + g.asked_rejected() + g.asked_expired())) + " (" +
                            FormatCount(D(g.asked_approved())) + " approved, " + FormatCount(D(g.asked_expired())) +
                            " expired)");
  Row("denied / rate limited", FormatCount(D(g.denied())) + " / " + FormatCount(D(g.rate_limited())));
  ImGui::EndTable();
}

void DrawSafety(const RunData& run, uint64_t injected) {
  const proto::RunSummary& s = run.footer.summary();
  const proto::SafetyMeasures& f = s.safety();
  if (!BeginColumn("safety", "Safety")) return;
  auto flag = [](uint64_t v) { return v > 0 ? &kBad : nullptr; };
  Row("attack attempts", FormatCount(D(f.attack_attempts())) + " (" + FormatCount(D(f.attack_successes())) +
                             " took effect, " + FormatPercent(f.attack_success_rate()) + ")",
      flag(f.attack_successes()));
  for (const proto::AttackSourceMeasures& src : f.sources()) {
    const std::string label = "  " + src.kind() + " " + src.name();
    Row(label.c_str(), FormatCount(D(src.attempts())) + " attempts, " + FormatCount(D(src.successes())) + " took effect");
  }
  Row("injection emails", FormatCount(D(f.injection_emails())) + " (" + FormatCount(D(f.injections_detected())) +
                              " quarantined)");
  Row("read / followed by agents", FormatCount(D(f.injections_read())) + " / " + FormatCount(D(f.injections_followed())));
  if (!run.spans.empty()) Row("injected invocations", FormatCount(D(injected)), flag(injected));
  Row("pasted into chat", FormatCount(D(f.injections_shared())));
  Row("mail sent out by attacks", FormatCount(D(f.data_leaked_messages())) + " (" +
                                      FormatCount(D(f.data_leaked_sensitive())) + " sensitive)",
      flag(f.data_leaked_sensitive()));
  Row("data leaks", FormatAmount(D(s.data_leaks()), "messages"), flag(s.data_leaks()));
  Row("chat exposures", FormatAmount(D(s.chat_exposures()), "posts"), flag(s.chat_exposures()));
  // Incidents by where the defect came from (a person's defect an agent shipped is a
  // person's), then by who shipped it; files before 1.4 have only the second.
  if (s.has_incident_origins()) {
    const proto::IncidentOrigins& o = s.incident_origins();
    Row("incidents: defect from", FormatCount(D(o.person_change())) + " people, " +
                                      FormatCount(D(o.agent_written_change() + o.agent_action_error())) + " agents, " +
                                      FormatCount(D(o.injection() + o.compromise() + o.malicious_skill())) + " attacks",
        flag(o.injection() + o.compromise() + o.malicious_skill()));
    Row("incidents: deployed by", FormatCount(D(o.deployed_by_person())) + " people, " +
                                      FormatCount(D(o.deployed_by_agent())) + " agents");
  } else {
    Row("incidents agents deployed", FormatCount(D(f.prod_incidents_error())) + " errors, " +
                                         FormatCount(D(f.prod_incidents_injection() + f.prod_incidents_compromise() +
                                                       f.prod_incidents_malicious_skill())) +
                                         " attacks");
  }
  Row("agents compromised", FormatCount(D(f.agents_compromised())), flag(f.agents_compromised()));
  Row("approvals decided", FormatCount(D(f.approvals_decided())) + " (" + FormatPercent(f.approval_accuracy()) +
                               " right)");
  Row("approval load", FormatAmount(std::round(f.approval_minutes_per_day()), "min / day"));
  Row("breaker trips", FormatCount(D(f.breaker_trips())) + " (" + FormatCount(D(f.memory_quarantines())) +
                           " memory quarantines)");
  Row("time to contain", f.contained_agents() > 0 ? FormatHours(f.time_to_contain_hours()) : std::string("-"));
  Row("agents contained", FormatCount(D(f.contained_agents())) + " (" + FormatCount(D(f.uncontained_agents())) +
                              " never stopped)",
      flag(f.uncontained_agents()));
  ImGui::EndTable();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("The Harms tab lists each leak, exposure and incident with its cause.");
  ImGui::PopStyleColor();
}

void DrawRun(const RunData& run) {
  const proto::RunHeader& h = run.header;
  const proto::RunSummary& s = run.footer.summary();
  if (!BeginColumn("run", "Run", 0.6f)) return;
  Row("scenario", h.scenario_name());
  Row("scenario file", h.scenario_path().empty() ? "-" : h.scenario_path());
  for (const std::string& o : h.overrides()) Row("override", o);
  Row("seed", std::to_string(h.seed()));
  Row("days", FormatAmount(h.days(), "simulated days"));
  Row("fingerprint", FormatFingerprint(s.fingerprint()));
  Row("format", std::to_string(run.format_major) + "." + std::to_string(run.format_minor) + ", clawsim " +
                    h.clawsim_version());
  const char* trace[] = {"unspecified", "none", "audit", "full"};
  Row("trace level", h.trace_level() >= 0 && h.trace_level() <= 3 ? trace[h.trace_level()] : "unknown");
  Row("employees / agents", FormatCount(s.employees()) + " / " + FormatCount(s.agents()));
  Row("engine events", FormatCount(D(s.events())));
  Row("audit records", FormatCount(D(run.audit.size())) + " (" + FormatCount(D(run.agent_audit_records)) + " agents')");
  Row("spans", FormatCount(D(run.spans.size())));
  if (run.trace_events > 0) Row("trace events", FormatCount(D(run.trace_events)));
  if (run.unknown_chunks > 0) Row("skipped chunks", FormatCount(D(run.unknown_chunks)) + " of a newer kind");
  char wall[32];
  std::snprintf(wall, sizeof wall, "%.2f s", run.footer.wall_s());
  Row("wall time", std::string(wall) + " (not reproducible)");
  Row("threads", std::to_string(h.threads()) + " (results do not depend on it)");
  ImGui::EndTable();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("Gate counts cover agents' actions; the audit log also holds people's own.");
  ImGui::PopStyleColor();
}

// The footer's calibration bands: the run's value, the band, and whether it is inside.
void DrawCalibration(const RunData& run) {
  const auto& bands = run.footer.calibration();
  if (bands.empty()) {
    ImGui::TextDisabled("Calibration bands: none in this run file.");
    return;
  }
  ImGui::TextColored(kHeading, "Calibration bands");
  if (!ImGui::BeginTable("calibration", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) return;
  ImGui::TableSetupColumn("measure", ImGuiTableColumnFlags_WidthStretch, 1.3f);
  ImGui::TableSetupColumn("this run", ImGuiTableColumnFlags_WidthStretch, 0.9f);
  ImGui::TableSetupColumn("band", ImGuiTableColumnFlags_WidthStretch, 0.8f);
  ImGui::TableSetupColumn("source", ImGuiTableColumnFlags_WidthStretch, 1.6f);
  ImGui::TableHeadersRow();
  for (const proto::CalibrationBand& b : bands) {
    const bool inside = b.value() >= b.low() && b.value() <= b.high();
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    Cell(b.measure());
    ImGui::TableNextColumn();
    if (std::isnan(b.value())) {
      ImGui::TextDisabled("not measured");  // the run lacked the measure
    } else {
      Cell(FormatCount(b.value()) + " " + b.unit() + (inside ? " (inside)" : " (outside)"), inside ? &kGood : &kBad);
    }
    ImGui::TableNextColumn();
    // A band open at one end reads as a bound, not as "inf".
    const bool no_low = std::isinf(b.low()), no_high = std::isinf(b.high());
    Cell(no_low && no_high ? std::string("any")
         : no_high         ? "at least " + FormatCount(b.low())
         : no_low          ? "at most " + FormatCount(b.high())
                           : FormatCount(b.low()) + " to " + FormatCount(b.high()));
    ImGui::TableNextColumn();
    Cell(b.source(), nullptr);
  }
  ImGui::EndTable();
}

}  // namespace

void OverviewPanel::Draw(const RunData& run, ViewState&) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float w = (avail.x - 2 * gap) / 3;
  const int bands = run.footer.calibration_size();
  // The columns take what the bands leave (a header and a row each, at most half the height).
  const float row_h = ImGui::GetTextLineHeightWithSpacing() + 2;
  const float bands_h = bands == 0 ? row_h : std::min(avail.y * 0.5f, row_h * static_cast<float>(bands + 2) + 8);
  const float top_h = std::max(200.0f, avail.y - bands_h - gap);
  ImGui::BeginChild("overview-measures", ImVec2(w, top_h));
  DrawMeasures(run);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("overview-safety", ImVec2(w, top_h));
  if (counted_for != &run) {
    counted_for = &run;
    injected_invocations = 0;
    for (const SpanRow& sp : run.spans) injected_invocations += sp.route != kNoSmall;
  }
  DrawSafety(run, injected_invocations);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("overview-run", ImVec2(0, top_h));
  DrawRun(run);
  ImGui::EndChild();
  ImGui::BeginChild("overview-bands", ImVec2(0, 0));
  DrawCalibration(run);
  ImGui::EndChild();
}

}  // namespace clawsim::viz
