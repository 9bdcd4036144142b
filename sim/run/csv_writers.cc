#include "sim/run/csv_writers.h"

#include <functional>

#include "sim/run/atomic_file.h"
#include "sim/run/number_format.h"

namespace clawsim::run {
namespace {

// A table is a list of columns, each a name and how to render it for one row, so the header
// and the rows cannot drift apart.
template <typename Row>
struct Column {
  std::string name;
  std::function<std::string(const Row&)> value;
};

template <typename Row>
std::string RenderCsv(const std::vector<Column<Row>>& columns, const std::vector<Row>& rows) {
  std::string out;
  for (size_t c = 0; c < columns.size(); ++c) {
    if (c > 0) out += ',';
    out += columns[c].name;
  }
  out += '\n';
  for (const Row& row : rows) {
    for (size_t c = 0; c < columns.size(); ++c) {
      if (c > 0) out += ',';
      out += columns[c].value(row);
    }
    out += '\n';
  }
  return out;
}

std::string U(uint64_t v) { return std::to_string(v); }
std::string D(double v) { return FormatDouble(v); }

// The five columns of a token tally, named "<prefix>_tokens", "<prefix>_input_tokens", ...;
// `get` picks the tally out of a row.
template <typename Row>
void AddTallyColumns(const std::string& prefix, std::function<const model::TokenTally&(const Row&)> get,
                     std::vector<Column<Row>>* columns) {
  columns->push_back({prefix + "_tokens", [get](const Row& r) { return U(get(r).total_tokens()); }});
  columns->push_back({prefix + "_input_tokens", [get](const Row& r) { return U(get(r).input_tokens); }});
  columns->push_back({prefix + "_output_tokens", [get](const Row& r) { return U(get(r).output_tokens); }});
  columns->push_back({prefix + "_cost_usd", [get](const Row& r) { return D(get(r).cost_usd); }});
  columns->push_back({prefix + "_invocations", [get](const Row& r) { return U(get(r).invocations); }});
}

template <typename Row>
void AddGateColumns(std::vector<Column<Row>>* columns) {
  for (int g = 0; g < model::kNumGateOutcomes; ++g) {
    columns->push_back({std::string("actions_") + model::GateOutcomeName(static_cast<model::GateOutcome>(g)),
                        [g](const Row& r) { return U(r.gate[g]); }});
  }
}

std::vector<Column<model::EmployeeMetrics>> EmployeeColumns() {
  using E = model::EmployeeMetrics;
  std::vector<Column<E>> c = {
      {"employee_id", [](const E& e) { return U(e.employee_id); }},
      {"name", [](const E& e) { return CsvField(e.name); }},
      {"team", [](const E& e) { return CsvField(e.team); }},
      {"role", [](const E& e) { return CsvField(e.role); }},
      {"agents", [](const E& e) { return U(e.agents); }},
      {"items_completed", [](const E& e) { return U(e.items_completed); }},
      {"value_usd", [](const E& e) { return D(e.value_usd); }},
      {"hourly_cost_usd", [](const E& e) { return D(e.hourly_cost_usd); }},
      {"net_value_usd", [](const E& e) { return D(e.net_value_usd()); }},
      {"tokens_total", [](const E& e) { return U(e.tokens().total_tokens()); }},
      {"input_tokens", [](const E& e) { return U(e.tokens().input_tokens); }},
      {"output_tokens", [](const E& e) { return U(e.tokens().output_tokens); }},
      {"token_cost_usd", [](const E& e) { return D(e.tokens().cost_usd); }},
      {"invocations", [](const E& e) { return U(e.tokens().invocations); }},
      {"busy_hours", [](const E& e) { return D(e.busy_hours); }},
      {"available_hours", [](const E& e) { return D(e.available_hours); }},
      {"changes_completed", [](const E& e) { return U(e.changes_completed); }},
      {"changes_merged", [](const E& e) { return U(e.changes_merged); }},
      {"performative_automations", [](const E& e) { return U(e.performative_automations); }},
      {"pressure", [](const E& e) { return D(e.pressure); }},
      {"rank", [](const E& e) { return U(e.rank); }},
      {"code_trust", [](const E& e) { return D(e.code_trust); }},
      {"handover_share", [](const E& e) { return D(e.handover_share); }},
      {"changes_delegated", [](const E& e) { return U(e.changes_delegated); }},
      {"unassigned_changes_handed", [](const E& e) { return U(e.unassigned_changes_handed); }},
  };
  for (int p = 0; p < model::kNumPurposes; ++p) {
    AddTallyColumns<E>(model::PurposeName(static_cast<model::Purpose>(p)),
                       [p](const E& e) -> const model::TokenTally& { return e.tokens_by_purpose[p]; }, &c);
  }
  for (int t = 0; t < model::kNumTriggers; ++t) {
    AddTallyColumns<E>(model::TriggerName(static_cast<model::Trigger>(t)),
                       [t](const E& e) -> const model::TokenTally& { return e.tokens_by_trigger[t]; }, &c);
  }
  c.push_back({"working_hours", [](const E& e) { return D(e.hours.working_hours); }});
  c.push_back({"review_hours", [](const E& e) { return D(e.hours.review_hours); }});
  c.push_back({"approval_hours", [](const E& e) { return D(e.hours.approval_hours); }});
  c.push_back({"fixing_hours", [](const E& e) { return D(e.hours.fixing_hours); }});
  c.push_back({"saved_hours", [](const E& e) { return D(e.hours.saved_hours); }});
  c.push_back({"setup_hours", [](const E& e) { return D(e.hours.setup_hours); }});
  c.push_back({"help_cost_hours", [](const E& e) { return D(e.hours.help_cost_hours); }});
  c.push_back({"backlog_hours", [](const E& e) { return D(e.hours.backlog_hours); }});
  c.push_back({"agent_errors", [](const E& e) { return U(e.agent_errors); }});
  AddGateColumns(&c);
  return c;
}

std::vector<Column<model::DailyMetrics>> DailyColumns() {
  using R = model::DailyMetrics;
  std::vector<Column<R>> c = {
      {"day", [](const R& d) { return U(d.day); }},
      {"tokens_total", [](const R& d) { return U(d.tokens.total_tokens()); }},
      {"input_tokens", [](const R& d) { return U(d.tokens.input_tokens); }},
      {"output_tokens", [](const R& d) { return U(d.tokens.output_tokens); }},
      {"token_cost_usd", [](const R& d) { return D(d.tokens.cost_usd); }},
      {"invocations", [](const R& d) { return U(d.tokens.invocations); }},
  };
  for (int p = 0; p < model::kNumPurposes; ++p) {
    c.push_back({std::string(model::PurposeName(static_cast<model::Purpose>(p))) + "_tokens",
                 [p](const R& d) { return U(d.tokens_by_purpose[p]); }});
  }
  c.push_back({"value_usd", [](const R& d) { return D(d.value_usd); }});
  c.push_back({"hours_saved", [](const R& d) { return D(d.hours_saved); }});
  c.push_back({"items_arrived", [](const R& d) { return U(d.items_arrived); }});
  c.push_back({"items_completed", [](const R& d) { return U(d.items_completed); }});
  c.push_back({"deploys_prod", [](const R& d) { return U(d.deploys_prod); }});
  c.push_back({"deploys_failed", [](const R& d) { return U(d.deploys_failed); }});
  c.push_back({"incidents_opened", [](const R& d) { return U(d.incidents_opened); }});
  AddGateColumns(&c);
  return c;
}

}  // namespace

std::string EmployeesCsv(const std::vector<model::EmployeeMetrics>& employees) {
  return RenderCsv(EmployeeColumns(), employees);
}

std::string DailyCsv(const std::vector<model::DailyMetrics>& days) { return RenderCsv(DailyColumns(), days); }

Status WriteEmployeesCsv(const std::string& path, const std::vector<model::EmployeeMetrics>& employees) {
  return WriteFileAtomically(path, EmployeesCsv(employees));
}

Status WriteDailyCsv(const std::string& path, const std::vector<model::DailyMetrics>& days) {
  return WriteFileAtomically(path, DailyCsv(days));
}

}  // namespace clawsim::run
