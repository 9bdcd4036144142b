// A team's board of changes (code.assignment: TEAM_BOARD, the default): the same changes
// arrive as when each person keeps their own (OWN), whoever has no change in hand takes the
// next, so faster people take more of them; and who takes which is the same at any thread
// count.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sim/model/runner.h"
#include "sim/model/world.h"
#include "sim/scenario/load.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CLAWSIM_SANITIZED 1
#endif

namespace clawsim::model {
namespace {

const std::string kSmall = std::string(CLAWSIM_SOURCE_DIR) + "/scenarios/small.textproto";

struct Outcome {
  RunResult result;
  scenario::CompiledScenario compiled;
};

// Runs a loaded scenario without its audit log.
RunResult RunLoaded(scenario::LoadedScenario* loaded, uint64_t seed, int threads) {
  RunOptions ro;
  ro.seed = seed;
  ro.threads = threads;
  ro.record_audit = false;
  RunResult r;
  const Status s = RunOrganisation(loaded, ro, {}, &r);
  EXPECT_TRUE(s.ok()) << s.message();
  return r;
}

// The small scenario with three fast (skill 1) and three slow (skill 0) developers listed in
// the "api" team, and more changes than the slow ones can write alone.
Outcome RunTeam(bool board, int threads) {
  std::string text;
  const Status read = scenario::ReadScenarioText(kSmall, &text);
  EXPECT_TRUE(read.ok()) << read.message();
  const std::string anchor = "  traits {\n    competitiveness";
  const size_t at = text.find(anchor);
  EXPECT_NE(at, std::string::npos) << "the small scenario's organisation moved; update this test";
  std::string listed;
  for (int i = 1; i <= 3; ++i) {
    listed += "  employees { name: \"fast-" + std::to_string(i) + "\" role: DEVELOPER team: \"api\" skill: 1 }\n";
    listed += "  employees { name: \"slow-" + std::to_string(i) + "\" role: DEVELOPER team: \"api\" skill: 0 }\n";
  }
  if (at != std::string::npos) text.insert(at, listed);
  std::vector<std::string> overrides = {"run.days=30", "roles[role=DEVELOPER].code.changes.per_day=1.6"};
  overrides.push_back(std::string("roles[role=DEVELOPER].code.assignment=") + (board ? "TEAM_BOARD" : "OWN"));
  Outcome o;
  scenario::LoadedScenario loaded;
  const Status s = scenario::LoadScenarioFromText(text, kSmall, overrides, &loaded);
  EXPECT_TRUE(s.ok()) << s.message();
  o.compiled = loaded.compiled;
  o.result = RunLoaded(&loaded, 5, threads);
  return o;
}

// Changes written (merged) by the listed developers whose name starts with `prefix`.
uint64_t MergedBy(const Outcome& o, const std::string& prefix) {
  uint64_t merged = 0;
  int found = 0;
  for (size_t e = 0; e < o.compiled.organization.employees.size(); ++e) {
    if (o.compiled.organization.employees[e].name.rfind(prefix, 0) != 0) continue;
    merged += o.result.employees[e].changes_merged;
    ++found;
  }
  EXPECT_EQ(found, 3) << prefix;
  return merged;
}

const Outcome& Own() {
  static const Outcome o = RunTeam(false, 1);
  return o;
}
const Outcome& Board() {
  static const Outcome o = RunTeam(true, 1);
  return o;
}

TEST(TeamBoardTest, TheBoardChangesWhoWritesAChangeNotWhichArrive) {
  const RunSummary& own = Own().result.summary;
  const RunSummary& board = Board().result.summary;
  EXPECT_EQ(board.items_arrived, own.items_arrived);
  EXPECT_EQ(board.value_arrived_usd, own.value_arrived_usd);
  EXPECT_NE(board.fingerprint, own.fingerprint);
}

TEST(TeamBoardTest, FasterPeopleTakeMoreOfTheTeamsChanges) {
  const double own_fast = static_cast<double>(MergedBy(Own(), "fast-"));
  const double own_slow = static_cast<double>(MergedBy(Own(), "slow-"));
  const double board_fast = static_cast<double>(MergedBy(Board(), "fast-"));
  const double board_slow = static_cast<double>(MergedBy(Board(), "slow-"));
  ASSERT_GT(own_slow, 0);
  ASSERT_GT(board_slow, 0);
  // With their own changes everyone writes about what arrives for them (the slow fall
  // behind); from the board the fast take what the slow cannot.
  EXPECT_GT(board_fast / board_slow, 1.25);
  EXPECT_GT(board_fast / board_slow, own_fast / own_slow + 0.15);
  // Nothing waits behind a slow person while a fast one has room: less is left unfinished.
  EXPECT_LT(Board().result.summary.backlog_items, Own().result.summary.backlog_items);
}

TEST(TeamBoardTest, SameResultsAtAnyThreadCount) {
  const Outcome three = RunTeam(true, 3);
  EXPECT_EQ(three.result.summary.fingerprint, Board().result.summary.fingerprint);
  ASSERT_EQ(three.result.employees.size(), Board().result.employees.size());
  for (size_t e = 0; e < three.result.employees.size(); ++e) {
    EXPECT_EQ(three.result.employees[e].changes_merged, Board().result.employees[e].changes_merged) << e;
  }
}

// People whose role writes no changes never ask a board: with every developer keeping their
// own changes, the run is the same event for event whatever the other roles' assignment says.
TEST(TeamBoardTest, RolesWithoutChangesNeverAskTheBoard) {
  auto run = [](const std::vector<std::string>& overrides) {
    scenario::LoadedScenario loaded;
    EXPECT_TRUE(scenario::LoadScenario(kSmall, overrides, &loaded).ok());
    return RunLoaded(&loaded, 2, 1).summary;
  };
  const std::string own = "roles[role=DEVELOPER].code.assignment=OWN";
  const RunSummary boards_elsewhere = run({own});  // managers and others on TEAM_BOARD, the default
  const RunSummary all_own = run({own, "roles[role=MANAGER].code.assignment=OWN", "roles[role=OTHER].code.assignment=OWN"});
  EXPECT_EQ(boards_elsewhere.events, all_own.events);
  EXPECT_EQ(boards_elsewhere.fingerprint, all_own.fingerprint);
}

// The board against queueing theory. In tests/model/team_board_queue.textproto five
// developers do nothing but write changes, round the clock, with exponential effort (mean
// 60 minutes) and no review, pipeline or agents: from the board the team is an M/M/5 queue.
// A developer who finishes asks the board and the answer comes back, a message each way, so
// each change holds its writer for its effort plus two latencies (the post and the take, for a
// change that finds someone waiting), and the mean time from arrival to done is Erlang C's:
//   W = C(c, a) / (c / S - lambda) + S,   S = effort + 2 x latency,   a = lambda x S.
double ErlangC(int c, double a) {
  double sum = 0, term = 1;  // a^k / k!
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double top = term * c / (c - a);
  return top / (sum + top);
}

// Four simulated years: the optimised build checks the closed form; the sanitizer presets run
// the board's code in the tests above (this one alone took over two minutes under TSan).
#ifdef CLAWSIM_SANITIZED
TEST(TeamBoardTest, DISABLED_ABoardIsAnMMcQueue) {
#else
TEST(TeamBoardTest, ABoardIsAnMMcQueue) {
#endif
  const std::string path = std::string(CLAWSIM_SOURCE_DIR) + "/tests/model/team_board_queue.textproto";
  for (const char* per_day : {"14.4", "19.2"}) {  // utilisation 0.62 and 0.83 of each developer
    double board_minutes = 0;
    for (const char* assignment : {"TEAM_BOARD", "OWN"}) {  // in this order
      scenario::LoadedScenario loaded;
      const Status s = scenario::LoadScenario(
          path,
          {"run.days=365", std::string("roles[role=DEVELOPER].code.changes.per_day=") + per_day,
           std::string("roles[role=DEVELOPER].code.assignment=") + assignment},
          &loaded);
      ASSERT_TRUE(s.ok()) << s.message();
      const RunResult r = RunLoaded(&loaded, 1, 2);
      const double lambda_per_minute = 5 * std::stod(per_day) / (24 * 60);
      const double service_minutes = 60 + 2 * static_cast<double>(kMinCrossLpLatencyUs) / engine::kUsPerMinute;
      const double a = lambda_per_minute * service_minutes;
      const double expected = ErlangC(5, a) / (5 / service_minutes - lambda_per_minute) + service_minutes;
      const double measured = r.summary.mean_lead_time_hours * 60;
      if (std::string(assignment) == "TEAM_BOARD") {
        EXPECT_NEAR(measured / expected, 1.0, 0.05) << per_day << " a day: " << measured << " min against " << expected;
        board_minutes = measured;
      } else {
        // Five separate queues (and a change's deploy by hand behind its writer's next
        // changes): far longer than the pooled queue.
        EXPECT_GT(measured, 1.2 * board_minutes) << per_day << " a day, each keeping their own";
      }
    }
  }
}

}  // namespace
}  // namespace clawsim::model
