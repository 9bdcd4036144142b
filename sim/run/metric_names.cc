// Definitions of the name functions declared in sim/model/metrics.h. They live in clawsim_run
// because the run's outputs are where the names appear (CSV columns, JSON keys, name tables);
// the model links clawsim_run.
#include "sim/model/metrics.h"

namespace clawsim::model {

const char* TriggerName(Trigger t) {
  switch (t) {
    case Trigger::kHeartbeat: return "heartbeat";
    case Trigger::kCron: return "cron";
    case Trigger::kEvent: return "event";
    case Trigger::kDreaming: return "dreaming";
  }
  return "unknown";
}

const char* GateOutcomeName(GateOutcome g) {
  switch (g) {
    case GateOutcome::kAllowed: return "allowed";
    case GateOutcome::kAskedApproved: return "asked_approved";
    case GateOutcome::kAskedRejected: return "asked_rejected";
    case GateOutcome::kDenied: return "denied";
    case GateOutcome::kRateLimited: return "rate_limited";
    case GateOutcome::kAskedExpired: return "asked_expired";
  }
  return "unknown";
}

}  // namespace clawsim::model
