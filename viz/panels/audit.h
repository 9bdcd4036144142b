// Audit log: every gated action, agents' and people's own, filtered by decision, outcome,
// harm (leaks and exposures only), action, actor (agents, people, or agents whose name
// contains a text), time range (days) and the selected employee. Rows are clipped
// (ImGuiListClipper), so millions cost what the visible rows cost; the filter is recomputed
// only when it changes. Clicking a row selects the record (Inspector shows its causes and
// consequences); a record selected elsewhere (--select audit:ID, the Inspector, Harms) is
// scrolled into view.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <string>
#include <vector>

#include "viz/run_data.h"
#include "viz/view_state.h"

namespace clawsim::viz {

struct AuditPanel {
  struct Filter {
    int decision = -1;           // index into decision_names, or -1 for all
    int outcome = -1;            // index into outcome_names, or -1
    bool harms_only = false;     // outcome data_leaked or exposed
    int action = -1;             // index into action_names, or -1
    int actor = 0;               // 0 all, 1 agents only, 2 people only
    std::string agent_contains;  // agents whose name contains this (agents only when set)
    int day_from = 0;            // inclusive
    int day_to = -1;             // inclusive; -1 = the last day
    bool selected_employee_only = false;
    bool operator==(const Filter&) const = default;
  };
  Filter filter;
  std::vector<uint32_t> rows;  // audit rows that pass, in time order
  const RunData* filtered_for = nullptr;
  Filter applied;
  int64_t applied_employee = kNoEmployee;
  RecordRef scrolled_to;       // the selection last scrolled into view

  void Draw(const RunData& run, ViewState& state);
  // Recomputes `rows` for `filter` (and the selected employee).
  void Apply(const RunData& run, const ViewState& state);

 private:
  char agent_text_[64] = {};
};

}  // namespace clawsim::viz
