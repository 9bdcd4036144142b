#include "sim/run/run_info.h"

namespace clawsim::run {

const char* TraceLevelName(TraceLevel level) {
  switch (level) {
    case TraceLevel::kNone: return "none";
    case TraceLevel::kAudit: return "audit";
    case TraceLevel::kFull: return "full";
  }
  return "unknown";
}

Status ParseTraceLevel(std::string_view text, TraceLevel* out) {
  for (TraceLevel level : {TraceLevel::kNone, TraceLevel::kAudit, TraceLevel::kFull}) {
    if (text == TraceLevelName(level)) {
      *out = level;
      return Status::Ok();
    }
  }
  return Status::Error("unknown trace level '" + std::string(text) + "'; expected none, audit or full");
}

const char* SpanKindName(SpanKind kind) {
  switch (kind) {
    case SpanKind::kHumanTask: return "human_task";
    case SpanKind::kAgentInvocation: return "agent_invocation";
    case SpanKind::kPipelineStage: return "pipeline_stage";
    case SpanKind::kIncident: return "incident";
  }
  return "unknown";
}

const char* ClawsimVersion() { return CLAWSIM_VERSION; }

}  // namespace clawsim::run
