// summary.json: the run's totals as one JSON object, for scripts, pandas and `--json`.
//
// Keys, in this order (units in the names; counts are integers, money and hours doubles):
//   scenario, seed, fingerprint (16 hex digits), events, employees, agents, days,
//   tokens_total, input_tokens, output_tokens, invocations, token_cost_usd,
//   value_usd, net_value_usd, value_usd_per_token_usd, performative_token_share,
//   items_arrived, items_completed, mean_lead_time_hours,
//   incidents, agent_caused_incidents (deployed by an agent), agent_advice_incidents,
//   incident_origins {person_change, agent_written_change, agent_action_error, injection,
//                     compromise, malicious_skill, agent_origin, deployed_by_person,
//                     deployed_by_agent},
//   data_leaks, chat_exposures, agent_errors,
//   actions_allowed, actions_asked (= asked_approved + asked_rejected + asked_expired),
//   actions_asked_approved, actions_asked_rejected, actions_asked_expired, actions_denied,
//   actions_rate_limited,
//   hours {working_hours, review_hours, approval_hours, fixing_hours, saved_hours,
//          setup_hours, help_cost_hours, backlog_hours},
//   dora {deployment_frequency_per_day, lead_time_for_changes_hours, change_failure_rate,
//         time_to_restore_hours, rework_rate},
//   tokens_by_purpose {useful, overhead, performative},
//   tokens_by_tier {<tier name>: ...}, tokens_by_team {<team name>: ...}
// where each token tally is {input_tokens, output_tokens, total_tokens, cost_usd, invocations}.
//
// `threads` and `wall_s` are left out on purpose: they describe how the run was executed,
// not what happened, and leaving them out makes summary.json byte-identical for the same
// scenario and seed at any thread count. Non-finite numbers are written as null.
#pragma once

#include <string>

#include "sim/common/status.h"
#include "sim/model/metrics.h"

namespace clawsim::run {

// The summary as one JSON object on one line, without a trailing newline.
std::string SummaryJson(const model::RunSummary& summary);

// Writes SummaryJson(summary) and a newline to `path`, atomically (atomic_file.h).
Status WriteSummaryJson(const std::string& path, const model::RunSummary& summary);

}  // namespace clawsim::run
