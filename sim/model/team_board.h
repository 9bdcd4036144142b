// A team's board of changes (CodeWork::Assignment::kTeamBoard): the state its team's chat
// channel LP holds. Changes arrive on it from the team's people; whoever of the same role has
// no change in hand asks for one and takes the oldest, or waits in line (first asked, first
// served) until one arrives or their workday ends. The handlers are in team_board.cc.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/model/world.h"

namespace clawsim::model {

// A change on a team's board (CodeWork::Assignment::kTeamBoard), drawn where it arrived.
// In kBoardPost and kBoardTake: c = role, x = value, y = effort, t = arrived, u and v = the
// bits of `quality` and `defect_draw`.
struct BoardChange {
  TimeUs arrived_us = 0;
  double value_usd = 0;
  double effort_minutes = 0;
  double quality = 0;      // sampled, before the taker's skill
  double defect_draw = 0;  // uniform [0, 1): defective when below 1 - quality x skill factor
  uint32_t role = 0;
};

// Someone of `role` waiting for the board's next change, until the end of their workday.
struct BoardAsk {
  EmployeeId who = 0;
  uint32_t role = 0;
  TimeUs until_us = 0;
};

// A team's board: changes no one has taken yet and people waiting for one, each oldest first.
struct TeamBoard {
  std::vector<BoardChange> changes;
  std::vector<BoardAsk> asks;
};

}  // namespace clawsim::model
