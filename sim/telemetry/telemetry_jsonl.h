// The telemetry file: JSON Lines, one flat JSON object per line, as specified in
// TELEMETRY.md (the format's reference; keep the two in step).
//
// WriteJsonl renders a Telemetry as the file's text; ReadJsonl parses such text back,
// refusing anything the format does not allow with "path:line:column: problem" (1-based;
// the column of the offending key or value). Read(Write(t)) == t for every Telemetry that
// Extract() produces.
#pragma once

#include <string>

#include "sim/common/status.h"
#include "sim/telemetry/telemetry.h"

namespace clawsim::telemetry {

inline constexpr const char* kTelemetryFormat = "clawsim-telemetry";
inline constexpr int kTelemetryMajor = 1;
inline constexpr int kTelemetryMinor = 0;

std::string WriteJsonl(const Telemetry& t);

// `path` only names the file in messages.
Status ReadJsonl(const std::string& text, const std::string& path, Telemetry* out);

// Reads the file at `path` with ReadJsonl.
Status ReadJsonlFile(const std::string& path, Telemetry* out);

// The whole file at `path`, or an error naming it and the system's reason.
Status ReadTextFile(const std::string& path, std::string* text);

}  // namespace clawsim::telemetry
