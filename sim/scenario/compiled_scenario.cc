#include "sim/scenario/compiled_scenario.h"

#include <algorithm>
#include <cmath>

namespace clawsim::scenario {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kDeveloper: return "developer";
    case Role::kManager: return "manager";
    case Role::kOther: return "other";
  }
  return "?";
}

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kEmailRead: return "email.read";
    case Action::kEmailSendInternal: return "email.send_internal";
    case Action::kEmailSendExternal: return "email.send_external";
    case Action::kChatRead: return "chat.read";
    case Action::kChatPost: return "chat.post";
    case Action::kDeployStaging: return "deploy.staging";
    case Action::kDeployProd: return "deploy.prod";
    case Action::kDeployRollback: return "deploy.rollback";
  }
  return "?";
}

std::string_view ModeName(Mode mode) {
  switch (mode) {
    case Mode::kDeny: return "deny";
    case Mode::kAsk: return "ask";
    case Mode::kAllow: return "allow";
  }
  return "?";
}

std::string_view ScopeName(Scope scope) {
  switch (scope) {
    case Scope::kOwn: return "own";
    case Scope::kTeam: return "team";
    case Scope::kAny: return "any";
  }
  return "?";
}

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kSev1: return "sev1";
    case Severity::kSev2: return "sev2";
    case Severity::kSev3: return "sev3";
  }
  return "?";
}

std::string_view PurposeName(Purpose p) {
  switch (p) {
    case Purpose::kUseful: return "useful";
    case Purpose::kOverhead: return "overhead";
    case Purpose::kPerformative: return "performative";
  }
  return "?";
}

bool CalendarConfig::IsWorkingDay(int32_t day, int start_weekday) const {
  if (std::binary_search(holidays.begin(), holidays.end(), day)) return false;
  return working_weekday[(start_weekday + day) % 7];
}

double ModelTier::CostUsd(int64_t input_tokens, int64_t output_tokens) const {
  const double in = static_cast<double>(input_tokens);
  const double cached = in * cache_hit_fraction;
  return ((in - cached) * input_usd_per_mtok + cached * cached_input_usd_per_mtok +
          static_cast<double>(output_tokens) * output_usd_per_mtok) *
         1e-6;
}

TimeUs ModelTier::CallDurationUs(int64_t output_tokens) const {
  return latency_us + engine::SecondsToUs(static_cast<double>(output_tokens) / output_tokens_per_second);
}

bool FreezeWindow::Contains(TimeUs t_us) const {
  if (t_us < start_us) return false;
  const TimeUs offset = repeat_us > 0 ? (t_us - start_us) % repeat_us : t_us - start_us;
  return offset < duration_us;
}

bool DeployConfig::InFreeze(TimeUs t_us) const {
  return std::any_of(freezes.begin(), freezes.end(),
                     [t_us](const FreezeWindow& f) { return f.Contains(t_us); });
}

TimeUs DeployConfig::NextRelease(TimeUs t_us) const {
  if (t_us < release_offset_us) return release_offset_us;
  return release_offset_us + ((t_us - release_offset_us) / release_interval_us + 1) * release_interval_us;
}

double AdoptionDynamics::HandoverShare(double trust) const {
  return min_handover_share + (1 - min_handover_share) * std::clamp(trust, 0.0, 1.0);
}

double AdoptionDynamics::SessionAutonomy(double trust) const {
  if (session_autonomy_reference_trust <= 0) return 1;
  const double distrust = std::max(1e-9, 1 - std::clamp(trust, 0.0, 1.0));
  return std::min(session_autonomy_max_factor, (1 - session_autonomy_reference_trust) / distrust);
}

double AgentHelpCosts::ExperienceFactor(double handed) const {
  if (experience_cost_ratio_per_doubling >= 1) return 1;
  return std::pow((prior_code_handovers + handed) / prior_code_handovers, std::log2(experience_cost_ratio_per_doubling));
}

double AdoptionDynamics::WeeklyRetention() const { return std::exp(-1 / trust_memory_weeks); }

}  // namespace clawsim::scenario
