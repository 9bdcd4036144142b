// Permission presets: named sets of agent rules (scenario field permissions.preset).
//
// A preset replaces every AGENTS rule of the scenario; the HUMANS rules (the owner rights no
// agent can exceed) stay. Each preset's rules are plain proto::PermissionRule values, so
// `clawsim presets` can print them as text a scenario can copy and edit.
#pragma once

#include <string>
#include <vector>

#include "sim/proto/scenario.pb.h"

namespace clawsim::scenario {

// The agent rules of `preset` (empty for CUSTOM).
std::vector<proto::PermissionRule> PresetRules(proto::PermissionPolicy::Preset preset);

// The rules a policy runs with: its HUMANS rules, then the preset's (or, for CUSTOM, all of
// its rules as listed).
std::vector<proto::PermissionRule> EffectiveRules(const proto::PermissionPolicy& policy);

// Every preset as text-format `rules { ... }` blocks under a comment naming it.
std::string PresetsAsText();

}  // namespace clawsim::scenario
