// Small helpers the seat tools' files share (internal to sim/serve).
#pragma once

#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario/compiled_scenario.h"
#include "sim/serve/mcp_server.h"

namespace clawsim::serve::internal {

// A tool's input schema: `properties` plus the optional "seat" every tool takes.
inline Json Schema(Json properties, std::vector<std::string> required) {
  properties["seat"] = {{"type", "string"},
                        {"description", "The employee whose agent acts (needed only when several seats are served)."}};
  return {{"type", "object"}, {"properties", std::move(properties)}, {"required", std::move(required)}};
}

inline std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Tokens of a text by the usual rough rule of four characters per token.
inline int64_t TokensOf(size_t chars) { return static_cast<int64_t>((chars + 3) / 4); }

// The name `wait` reports for a trigger (a scenario::Event).
inline const char* EventName(uint32_t event) {
  switch (static_cast<scenario::Event>(event)) {
    case scenario::Event::kNewEmail: return "new_mail";
    case scenario::Event::kChatMention: return "mention";
    case scenario::Event::kChatMessage: return "chat_message";
    case scenario::Event::kPipelineResult: return "pipeline_result";
    case scenario::Event::kReviewRequest: return "review_request";
    case scenario::Event::kIncident: return "incident";
    case scenario::Event::kCodeStarted: return "code_started";
  }
  return "event";
}

}  // namespace clawsim::serve::internal
