#include "viz/panels/overview.h"

#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "viz/format.h"

namespace clawsim::viz {
namespace {

void Row(const char* label, const std::string& value, const char* unit = "") {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(label);
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(value.c_str());
  ImGui::TableNextColumn();
  ImGui::TextDisabled("%s", unit);
}

std::string Fixed(double v, const char* format) {
  char buf[48];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

uint64_t Tokens(const proto::TokenTally& t) { return t.input_tokens() + t.output_tokens(); }

bool BeginTable3(const char* id) {
  if (!ImGui::BeginTable(id, 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp)) {
    return false;
  }
  ImGui::TableSetupColumn("measure", ImGuiTableColumnFlags_WidthStretch, 1.4f);
  ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn("unit", ImGuiTableColumnFlags_WidthStretch, 0.6f);
  return true;
}

// The footer's calibration bands: the run's value, the band, and whether it is inside.
void DrawCalibration(const RunData& run) {
  const auto& bands = run.footer.calibration();
  if (bands.empty()) {
    ImGui::TextDisabled("Calibration bands: none in this run file.");
    return;
  }
  ImGui::TextColored(ImVec4(0.6f, 0.8f, 1, 1), "Calibration bands");
  if (!ImGui::BeginTable("calibration", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) return;
  for (const char* c : {"measure", "this run", "band", "source"}) ImGui::TableSetupColumn(c);
  ImGui::TableHeadersRow();
  for (const proto::CalibrationBand& b : bands) {
    const bool inside = b.value() >= b.low() && b.value() <= b.high();
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(b.measure().c_str());
    ImGui::TableNextColumn();
    if (std::isnan(b.value())) {
      ImGui::TextDisabled("not measured in this run");  // the run lacked the measure
    } else {
      ImGui::TextColored(inside ? ImVec4(0.55f, 0.85f, 0.55f, 1) : ImVec4(0.95f, 0.45f, 0.4f, 1), "%.4g %s (%s)",
                         b.value(), b.unit().c_str(), inside ? "inside" : "outside");
    }
    ImGui::TableNextColumn();
    ImGui::Text("%.4g to %.4g", b.low(), b.high());
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", b.source().c_str());
  }
  ImGui::EndTable();
}

}  // namespace

void OverviewPanel::Draw(const RunData& run, ViewState&) {
  const proto::RunHeader& h = run.header;
  const proto::RunSummary& s = run.footer.summary();
  const float half = ImGui::GetContentRegionAvail().x * 0.5f - 4;

  ImGui::BeginChild("overview-run", ImVec2(half, 0));
  ImGui::TextColored(ImVec4(0.6f, 0.8f, 1, 1), "Run");
  if (BeginTable3("run")) {
    Row("scenario", h.scenario_name());
    Row("scenario file", h.scenario_path().empty() ? "-" : h.scenario_path());
    for (const std::string& o : h.overrides()) Row("override", o);
    Row("seed", std::to_string(h.seed()));
    Row("days", std::to_string(h.days()), "simulated days");
    Row("threads", std::to_string(h.threads()), "(results do not depend on it)");
    Row("fingerprint", FormatFingerprint(s.fingerprint()));
    Row("events", FormatCount(static_cast<double>(s.events())), "engine events");
    Row("format", std::to_string(run.format_major) + "." + std::to_string(run.format_minor),
        ("clawsim " + h.clawsim_version()).c_str());
    const char* trace[] = {"unspecified", "none", "audit", "full"};
    Row("trace level", h.trace_level() >= 0 && h.trace_level() <= 3 ? trace[h.trace_level()] : "unknown");
    Row("wall time", Fixed(run.footer.wall_s(), "%.2f"), "s (not reproducible)");
    Row("employees", std::to_string(s.employees()));
    Row("agents", std::to_string(s.agents()));
    Row("audit records", FormatCount(static_cast<double>(run.audit.size())),
        ("agents " + FormatCount(static_cast<double>(run.agent_audit_records)) + ", people " +
         FormatCount(static_cast<double>(run.audit.size() - run.agent_audit_records)))
            .c_str());
    Row("spans", FormatCount(static_cast<double>(run.spans.size())));
    Row("trace events", FormatCount(static_cast<double>(run.trace_events)));
    if (run.unknown_chunks > 0) {
      Row("skipped chunks", std::to_string(run.unknown_chunks), "of a kind this viewer does not know");
    }
    ImGui::EndTable();
  }
  ImGui::Spacing();
  DrawCalibration(run);
  ImGui::TextDisabled("Gate counts cover agents' actions; the audit log also holds people's own.");
  ImGui::EndChild();

  ImGui::SameLine();
  ImGui::BeginChild("overview-measures", ImVec2(0, 0));
  ImGui::TextColored(ImVec4(0.6f, 0.8f, 1, 1), "Headline measures");
  if (BeginTable3("measures")) {
    Row("tokens", FormatCount(static_cast<double>(Tokens(s.tokens()))), "tokens (input + output)");
    Row("token cost", FormatUsd(s.tokens().cost_usd()), "USD");
    Row("invocations", FormatCount(static_cast<double>(s.tokens().invocations())), "model calls");
    Row("performative share", Fixed(100 * s.performative_token_share(), "%.1f"), "% of tokens");
    Row("useful tokens", FormatCount(static_cast<double>(Tokens(s.tokens_by_purpose().useful()))), "tokens");
    Row("overhead tokens", FormatCount(static_cast<double>(Tokens(s.tokens_by_purpose().overhead()))), "tokens");
    Row("performative tokens", FormatCount(static_cast<double>(Tokens(s.tokens_by_purpose().performative()))),
        "tokens");
    Row("value delivered", FormatUsd(s.value_usd()), "USD");
    Row("net value", FormatUsd(s.net_value_usd()), "USD");
    Row("value per $ of tokens", Fixed(s.value_usd_per_token_usd(), "%.2f"), "USD / USD");
    Row("hours saved", Fixed(s.hours().saved_hours(), "%.1f"), "h");
    Row("hours approving", Fixed(s.hours().approval_hours(), "%.1f"), "h");
    Row("hours fixing", Fixed(s.hours().fixing_hours(), "%.1f"), "h");
    Row("items completed", FormatCount(static_cast<double>(s.items_completed())),
        ("of " + FormatCount(static_cast<double>(s.items_arrived())) + " arrived").c_str());
    Row("mean lead time", Fixed(s.mean_lead_time_hours(), "%.2f"), "h");
    Row("deploys per day", Fixed(s.dora().deployment_frequency_per_day(), "%.2f"), "DORA");
    Row("lead time for changes", Fixed(s.dora().lead_time_for_changes_hours(), "%.2f"), "h (DORA)");
    Row("change failure rate", Fixed(100 * s.dora().change_failure_rate(), "%.1f"), "% (DORA)");
    Row("time to restore", Fixed(s.dora().time_to_restore_hours(), "%.2f"), "h (DORA)");
    Row("incidents", std::to_string(s.incidents()));
    Row("data leaks", std::to_string(s.data_leaks()), "messages");
    Row("chat exposures", std::to_string(s.chat_exposures()), "posts");
    Row("agent errors", FormatCount(static_cast<double>(s.agent_errors())));
    const proto::GateCounts& g = s.gate();
    Row("actions allowed", FormatCount(static_cast<double>(g.allowed())), "agents' actions");
    Row("actions asked", FormatCount(static_cast<double>(g.asked_approved() + g.asked_rejected() + g.asked_expired())),
        ("approved " + FormatCount(static_cast<double>(g.asked_approved())) + ", rejected " +
         FormatCount(static_cast<double>(g.asked_rejected())) + ", expired " +
         FormatCount(static_cast<double>(g.asked_expired())))
            .c_str());
    Row("actions denied", FormatCount(static_cast<double>(g.denied())), "agents' actions");
    Row("actions rate limited", FormatCount(static_cast<double>(g.rate_limited())), "agents' actions");
    ImGui::EndTable();
  }
  ImGui::EndChild();
}

}  // namespace clawsim::viz
