// Shared fixtures for the scenario tests: a minimal valid scenario and load helpers.
#pragma once

#include <string>
#include <vector>

#include "sim/common/status.h"
#include "sim/scenario/load.h"

namespace clawsim::scenario::testing {

// A small valid scenario; line numbers matter to the location tests, which append to it
// (so never edit the first lines without updating kMinimalLines).
inline const std::string kMinimal = R"pb(name: "t"
run { days: 7 }
organization {
  teams { name: "core" size: 5 managers: 1 }
  teams { name: "ops" size: 3 managers: 1 developer_fraction: 0 parent: "core" }
}
model_tiers { name: "small" input_usd_per_mtok: 0.15 output_usd_per_mtok: 0.6 }
model_tiers { name: "frontier" input_usd_per_mtok: 15 output_usd_per_mtok: 75 }
skills { name: "triage" kind: EMAIL_TRIAGE actions: [EMAIL_READ, EMAIL_SEND_INTERNAL] }
agent_profiles { name: "helper" model_tier: "small" skills: ["triage"] heartbeat { skill: "triage" } }
deploy {
  services { name: "db" owner_team: "ops" }
  services { name: "api" owner_team: "core" depends_on: ["db"] }
}
)pb";
inline constexpr int kMinimalLines = 14;

inline Status LoadText(const std::string& text, LoadedScenario* out, const std::vector<std::string>& overrides = {}) {
  return LoadScenarioFromText(text, "t.textproto", overrides, out);
}

// The errors of loading kMinimal with `appended` after it ("" when it loads).
inline std::string Errors(const std::string& appended, const std::vector<std::string>& overrides = {}) {
  LoadedScenario s;
  const Status st = LoadText(kMinimal + appended, &s, overrides);
  return st.ok() ? "" : st.message();
}

// "t.textproto:N:" for the line `offset` lines after kMinimal's last.
inline std::string Line(int offset) { return "t.textproto:" + std::to_string(kMinimalLines + offset) + ":"; }

}  // namespace clawsim::scenario::testing
