// employees.csv and daily.csv: the run's per-employee and per-day tables, for pandas and
// spreadsheets.
//
// Both are RFC 4180 CSV: a header row, then one row per employee (in the given order, which
// the model keeps by employee id) or per day; "\n" line ends; text fields quoted only when
// they need it; numbers in the shortest form that reads back exactly (number_format.h).
//
// employees.csv columns:
//   employee_id, name, team, role, agents, items_completed, value_usd, hourly_cost_usd,
//   net_value_usd, tokens_total, input_tokens, output_tokens, token_cost_usd, invocations,
//   busy_hours, available_hours, changes_completed, changes_merged, performative_automations,
//   pressure, rank, code_trust, handover_share, changes_delegated, unassigned_changes_handed,
//   then for each purpose P in useful, overhead, performative and each trigger T in
//   heartbeat, cron, event, dreaming (what woke the agent, not engine events):
//     P_tokens, P_input_tokens, P_output_tokens, P_cost_usd, P_invocations (same for T),
//   working_hours, review_hours, approval_hours, fixing_hours, saved_hours, setup_hours,
//   help_cost_hours, backlog_hours, agent_errors,
//   actions_allowed, actions_asked_approved, actions_asked_rejected, actions_denied,
//   actions_rate_limited, actions_asked_expired
//
// daily.csv columns:
//   day, tokens_total, input_tokens, output_tokens, token_cost_usd, invocations,
//   useful_tokens, overhead_tokens, performative_tokens, value_usd, hours_saved,
//   items_arrived, items_completed, deploys_prod, deploys_failed, incidents_opened,
//   actions_allowed, actions_asked_approved, actions_asked_rejected, actions_denied,
//   actions_rate_limited, actions_asked_expired
#pragma once

#include <string>
#include <vector>

#include "sim/common/status.h"
#include "sim/model/metrics.h"

namespace clawsim::run {

// The whole file as a string: header row and one row per element.
std::string EmployeesCsv(const std::vector<model::EmployeeMetrics>& employees);
std::string DailyCsv(const std::vector<model::DailyMetrics>& days);

// Write the files atomically (atomic_file.h).
Status WriteEmployeesCsv(const std::string& path, const std::vector<model::EmployeeMetrics>& employees);
Status WriteDailyCsv(const std::string& path, const std::vector<model::DailyMetrics>& days);

}  // namespace clawsim::run
