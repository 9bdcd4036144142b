// Leaderboard vs truth: every employee ranked by tokens (what a token leaderboard shows)
// beside their rank by value delivered and by net value (what they are worth). Clicking a
// row selects the employee in every panel; a selection made elsewhere scrolls to its row.
// Headers sort. The value rank is coloured by how far it lies from the token rank, as a share
// of the people ranked (a legend above says which colour is which).
#pragma once

#include <cstdint>
#include <vector>

#include "viz/run_data.h"
#include "viz/view_state.h"

namespace clawsim::viz {

struct LeaderboardPanel {
  struct Entry {
    uint32_t employee = 0;   // index into RunData::employees
    uint64_t tokens = 0;
    double cost_usd = 0;
    double value_usd = 0;
    double net_value_usd = 0;
    double performative_share = 0;
    int token_rank = 0;       // 1 = most tokens
    int value_rank = 0;       // 1 = most value
  };
  std::vector<Entry> entries;       // in display order
  const RunData* built_for = nullptr;
  int64_t scrolled_to = kNoEmployee;  // the selection the table last scrolled to

  void Draw(const RunData& run, ViewState& state);
  // Fills `entries` (ranks included) from run.employees, ordered by token rank.
  void Build(const RunData& run);
  // Orders `entries` by a column (0 token rank ... 8 performative share); ties by token rank.
  void Sort(const RunData& run, int column, bool descending);
};

}  // namespace clawsim::viz
