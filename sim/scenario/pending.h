// Settings the scenario schema holds but the model does not act on yet.
//
// The incentive scheme (`incentives`), the threats beyond agent errors (injection campaigns,
// compromised agents, malicious skills) and the defenses that only matter against them (the
// injection detector and circuit breakers) are parsed, validated and compiled, but no
// behaviour reads them until their own work lands. Rather than let a user believe such a
// setting changed a result, `clawsim run` warns about every one a scenario sets to a value
// other than its default, and the schema-wide setting test exempts exactly these paths.
#pragma once

#include <string>
#include <vector>

namespace clawsim::proto {
class Scenario;
}

namespace clawsim::scenario {

// Field-path prefixes (as `--set` spells them, with [*] for any element) of the settings
// the model does not act on yet.
const std::vector<std::string>& PendingSettingPrefixes();

// True when `path` (e.g. "threats.injection_campaigns[0].emails_per_day") lies under one of
// PendingSettingPrefixes().
bool IsPendingSetting(const std::string& path);

// The paths of every scalar under a pending prefix that `scenario` sets to a value other
// than its default, in schema order ("incentives.metric", "threats.injection_campaigns[0].name", ...),
// then every intervention that sets one ("interventions[2] (sets incentives.metric)").
std::vector<std::string> PendingSettingsInUse(const proto::Scenario& scenario);

// Settings that are documentation only, each with the reason: the one list of them.
struct DocumentationOnly {
  std::string pattern;  // a field path with [*] for any element, or "*.name" for a field name anywhere
  std::string reason;
};
const std::vector<DocumentationOnly>& DocumentationOnlySettings();
bool IsDocumentationOnly(const std::string& path);

// Settings that change what a run's summary measures, not the run: the same events and
// fingerprint, other figures. Studies may set them; the settings test checks each elsewhere.
const std::vector<DocumentationOnly>& MeasurementOnlySettings();
bool IsMeasurementOnly(const std::string& path);

}  // namespace clawsim::scenario
