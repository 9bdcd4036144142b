// Panels driven without a GPU: an ImGui context stepped with a fixed time step and scripted
// mouse input; the frames are built, never rendered.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/viz/viz_test_util.h"
#include "viz/app.h"
#include "viz/panels/audit.h"
#include "viz/panels/compare.h"
#include "viz/panels/detection.h"
#include "viz/panels/inspector.h"
#include "viz/panels/leaderboard.h"
#include "viz/panels/scatter.h"
#include "viz/panels/study.h"
#include "viz/panels/timeline.h"

namespace clawsim::viz {
namespace {

TEST(ScatterPanelTest, ClickingAPointSelectsTheEmployeeInEveryPanel) {
  const RunData run = testing::LoadSample();
  testing::ImGuiHarness imgui;
  ViewState state;
  ScatterPanel scatter;
  LeaderboardPanel leaderboard;
  TimelinePanel timeline;
  auto draw_scatter = [&] { scatter.Draw(run, state); };
  imgui.Frame(draw_scatter);
  ImVec2 point;
  ASSERT_TRUE(scatter.PointOf(run, 3, &point));
  ASSERT_EQ(state.selected_employee, kNoEmployee);
  imgui.Click(point, draw_scatter);
  EXPECT_EQ(state.selected_employee, 3);

  // The leaderboard scrolls to and highlights the same employee; the timeline can narrow to
  // that employee's lanes (their own and their agents').
  imgui.Frame([&] { leaderboard.Draw(run, state); });
  EXPECT_EQ(leaderboard.scrolled_to, 3);
  timeline.only_selected_employee = true;
  imgui.Frame([&] { timeline.Draw(run, state); });
  std::vector<std::string> labels;
  for (uint32_t lane : timeline.shown_lanes) labels.push_back(run.lanes[lane].label);
  EXPECT_EQ(labels, (std::vector<std::string>{"platform-1", "platform-1/triage", "platform-1/chat"}));

  // A click away from every point changes nothing.
  imgui.Click(ImVec2(5, 890), draw_scatter);
  EXPECT_EQ(state.selected_employee, 3);
}

TEST(LeaderboardPanelTest, RanksByTokensBesideRanksByValue) {
  const RunData run = testing::LoadSample();
  LeaderboardPanel board;
  board.Build(run);
  ASSERT_EQ(board.entries.size(), 5u);
  for (size_t r = 1; r < board.entries.size(); ++r) {
    EXPECT_GE(board.entries[r - 1].tokens, board.entries[r].tokens);
    EXPECT_EQ(board.entries[r].token_rank, static_cast<int>(r + 1));
  }
  // In the sample, value grows with the employee id, and so do tokens: the ranks agree.
  EXPECT_EQ(run.employees[board.entries[0].employee].employee_id(), 4u);
  EXPECT_EQ(board.entries[0].value_rank, 1);
}

TEST(InspectorPanelTest, GoToCauseFollowsTheChainAndBackReturns) {
  const RunData run = testing::LoadSample();
  testing::ImGuiHarness imgui;
  ViewState state;
  InspectorPanel inspector;
  auto draw = [&] { inspector.Draw(run, state); };
  state.Select(RecordRef::Span(999));  // the incident
  imgui.Frame(draw);
  ASSERT_EQ(inspector.causes, (std::vector<RecordRef>{RecordRef::Span(998), RecordRef::Audit(1998)}));
  ASSERT_EQ(inspector.cause_buttons.size(), 2u);

  // Go to the audit record that caused the incident...
  imgui.Click(testing::Centre(inspector.cause_buttons[1]), draw);
  EXPECT_EQ(state.selected, RecordRef::Audit(1998));
  EXPECT_EQ(state.selected_employee, 3) << "the audit record's employee";
  ASSERT_EQ(inspector.causes, std::vector<RecordRef>{RecordRef::Span(1993)});
  // ...then to the agent invocation (an agent_error) that made that action.
  imgui.Click(testing::Centre(inspector.cause_buttons[0]), draw);
  EXPECT_EQ(state.selected, RecordRef::Span(1993));
  EXPECT_TRUE(state.reveal_selection) << "the timeline should scroll to it";
  // Forwards again: the invocation's consequences hold the audit record.
  EXPECT_NE(std::find(inspector.consequences.begin(), inspector.consequences.end(), RecordRef::Audit(1998)),
            inspector.consequences.end());
  // Back, twice, to the incident.
  ASSERT_TRUE(state.Back());
  ASSERT_TRUE(state.Back());
  EXPECT_EQ(state.selected, RecordRef::Span(999));
}

TEST(TimelinePanelTest, DrawsOnlyWhatIsVisibleAndZoomsWithTheWheel) {
  const RunData run = testing::LoadSample();
  testing::ImGuiHarness imgui;
  ViewState state;
  TimelinePanel timeline;
  auto draw = [&] { timeline.Draw(run, state); };
  // A narrow window: three days in about 300 pixels, so an agent's invocations (one every
  // 640 s) are closer than a pixel and fold.
  ImGui::GetIO().DisplaySize = ImVec2(500, 900);
  imgui.Frame(draw);
  EXPECT_EQ(timeline.shown_lanes.size(), 11u);
  EXPECT_EQ(timeline.last_visible_spans, run.spans.size()) << "the whole run is in view at first";
  EXPECT_LT(timeline.last_marks, run.spans.size()) << "sub-pixel spans are folded";
  const int64_t width = state.timeline_t1_us - state.timeline_t0_us;

  // Wheel up over the spans zooms in around the mouse.
  imgui.MoveMouse(ImVec2(400, 300));
  ImGui::GetIO().MouseWheel = 3;
  imgui.Frame(draw);
  ImGui::GetIO().MouseWheel = 0;
  imgui.Frame(draw);
  EXPECT_LT(state.timeline_t1_us - state.timeline_t0_us, width);
  EXPECT_LT(timeline.last_visible_spans, run.spans.size());

  // Selecting a span elsewhere reveals it: the window moves to it.
  state.Select(RecordRef::Span(5001));
  imgui.Frame(draw);
  EXPECT_LE(state.timeline_t0_us, run.spans[5001].start_us);
  EXPECT_GE(state.timeline_t1_us, run.spans[5001].end_us);
  EXPECT_FALSE(state.reveal_selection);
}

TEST(AuditPanelTest, FiltersAgreeWithACountByHand) {
  const RunData run = testing::LoadSample();
  testing::ImGuiHarness imgui;
  ViewState state;
  AuditPanel audit;
  imgui.Frame([&] { audit.Draw(run, state); });
  EXPECT_EQ(audit.rows.size(), run.audit.size());
  audit.filter.decision = 4;  // rate_limited
  audit.filter.actor = 2;     // people only
  imgui.Frame([&] { audit.Draw(run, state); });
  size_t want = 0;
  for (const AuditRow& a : run.audit) want += a.decision == 4 && a.agent == kNone;
  EXPECT_EQ(audit.rows.size(), want);
  EXPECT_GT(want, 0u);
  audit.filter = {};
  audit.filter.agent_contains = "platform-1/";
  audit.filter.day_from = 1;
  audit.filter.day_to = 1;
  imgui.Frame([&] { audit.Draw(run, state); });
  want = 0;
  for (const AuditRow& a : run.audit) {
    want += a.agent != kNone && run.header.agent_names(a.agent).rfind("platform-1/", 0) == 0 &&
            a.time_us >= 86'400'000'000LL && a.time_us < 2 * 86'400'000'000LL;
  }
  EXPECT_EQ(audit.rows.size(), want);
  EXPECT_GT(want, 0u);
}

TEST(ComparePanelTest, ListsDifferencesOfTwoRuns) {
  RunData a = testing::LoadSample();
  RunData b = testing::LoadSample();
  b.footer.mutable_summary()->set_incidents(7);
  b.footer.mutable_summary()->set_value_usd(20000);
  const std::vector<ComparePanel::Measure> m = CompareMeasures(a, b);
  auto find = [&](const char* name) {
    return *std::find_if(m.begin(), m.end(), [&](const ComparePanel::Measure& x) { return x.name == name; });
  };
  EXPECT_EQ(find("incidents").a, 3);
  EXPECT_EQ(find("incidents").b, 7);
  EXPECT_EQ(find("value delivered").b, 20000);
  EXPECT_EQ(find("tokens").a, find("tokens").b);
}

TEST(ComparePanelTest, RunsOfDifferentLengthsCompareTotalsPerDay) {
  RunData a = testing::LoadSample();
  RunData b = testing::LoadSample();
  b.header.set_days(a.header.days() * 2);
  b.footer.mutable_summary()->set_incidents(2 * a.footer.summary().incidents());
  const std::vector<ComparePanel::Measure> m = CompareMeasures(a, b);
  auto find = [&](const char* name) {
    return *std::find_if(m.begin(), m.end(), [&](const ComparePanel::Measure& x) { return x.name == name; });
  };
  // Twice the days and twice the incidents: the same rate, not a doubling.
  EXPECT_DOUBLE_EQ(find("incidents per day").a, find("incidents per day").b);
  EXPECT_EQ(find("incidents per day").unit, "incidents / day");
  // Rates are compared as they are.
  EXPECT_EQ(find("change failure rate").a, a.footer.summary().dora().change_failure_rate());
}

TEST(ViewStateTest, PanelNamesAreTheTabLabelsInAnyCase) {
  PanelId id = PanelId::kOverview;
  for (int p = 0; p < kPanelCount; ++p) {
    ASSERT_TRUE(ParsePanelName(PanelTitle(static_cast<PanelId>(p)), &id)) << PanelTitle(static_cast<PanelId>(p));
    EXPECT_EQ(id, static_cast<PanelId>(p));
  }
  for (const char* name : {"Time series", "time-series", "TIME SERIES", "timeseries"}) {
    ASSERT_TRUE(ParsePanelName(name, &id)) << name;
    EXPECT_EQ(id, PanelId::kTimeseries) << name;
  }
  ASSERT_TRUE(ParsePanelName("Tokens vs value", &id));
  EXPECT_EQ(id, PanelId::kScatter);
  ASSERT_TRUE(ParsePanelName("scatter", &id));
  EXPECT_EQ(id, PanelId::kScatter);
  EXPECT_FALSE(ParsePanelName("nope", &id));
}

TEST(StudyPanelTest, DrawsArmsOrSaysNoneIsLoaded) {
  testing::ImGuiHarness imgui;
  StudyPanel panel;
  imgui.Frame([&] { panel.Draw(nullptr); });
  EXPECT_EQ(panel.columns_shown, 0);
  StudyData study;
  study.name = "permissions";
  study.measures = {"incidents", "tokens.cost_usd", "value_usd", "agent_errors"};
  study.objectives = {{1, false}, {2, true}};
  for (int i = 0; i < 3; ++i) {
    StudyArm arm;
    arm.name = "arm " + std::to_string(i);
    arm.replications = 10;
    for (double v : {3.0 - i, 100.0 + 10 * i, 1000.0 - 50 * i * i, 7.0}) arm.values.push_back({v, v * 0.95, v * 1.05, true});
    study.arms.push_back(arm);
  }
  const std::vector<bool> front = ParetoFront(study);
  for (size_t i = 0; i < front.size(); ++i) study.arms[i].pareto = front[i];
  imgui.Frame([&] { panel.Draw(&study); });
  EXPECT_EQ(panel.columns_shown, 4) << "every measure, the objectives first";
  ImDrawData* data = ImGui::GetDrawData();
  ASSERT_NE(data, nullptr);
  EXPECT_GT(data->TotalVtxCount, 500) << "the arms' intervals and the front were drawn";
  EXPECT_EQ(panel.verdicts_shown, 0);
  // With a decision: the chosen arm and the dominated one carry a verdict; the key measures lead.
  study.answer = "Choose arm 2: it has the highest value_usd.";
  study.chosen = 2;
  study.key_measures = {3};
  study.arms[0].dominated_by = {"arm 2"};
  imgui.Frame([&] { panel.Draw(&study); });
  EXPECT_EQ(panel.verdicts_shown, 2);
  EXPECT_EQ(panel.columns_shown, 4);
}

TEST(DetectionPanelTest, DrawsACurvePerDetectorInAPlotPerLabel) {
  testing::ImGuiHarness imgui;
  DetectionPanel panel;
  imgui.Frame([&] { panel.Draw(nullptr); });
  EXPECT_EQ(panel.plots_shown, 0);
  DetectionData d;
  const Status s = LoadDetectionFile(testing::WriteSampleDetection(), &d);
  ASSERT_TRUE(s.ok()) << s.message();
  imgui.Frame([&] { panel.Draw(&d); });
  EXPECT_EQ(panel.plots_shown, 2) << "tokenmaxxers, attacker-driven agents";
  EXPECT_EQ(panel.curves_shown, 3);
}

TEST(DetectionDataTest, RefusesFilesThatAreNotADetectionResult) {
  const std::string dir = run::testing::FreshTestDir();
  DetectionData d;
  // Another JSON file (a run's summary.json): unknown fields, refused by name.
  run::testing::WriteFile(dir + "/summary.json", R"({"scenario": "x", "tokens_total": 5})");
  EXPECT_TRUE(IsDetectionFile(dir + "/summary.json"));
  Status s = LoadDetectionFile(dir + "/summary.json", &d);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("not a detection result"), std::string::npos) << s.message();
  // No results, or a precision outside [0, 1].
  run::testing::WriteFile(dir + "/detection.json", R"({"scenario": "x", "results": []})");
  EXPECT_FALSE(LoadDetectionFile(dir + "/detection.json", &d).ok());
  run::testing::WriteFile(dir + "/detection.json",
                          R"({"results": [{"name": "x", "label": "tokenmaxxer", "precision": 7, "recall": 0.5}]})");
  s = LoadDetectionFile(dir + "/detection.json", &d);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("outside [0, 1]"), std::string::npos) << s.message();
  // A run file is not one.
  EXPECT_FALSE(IsDetectionFile(testing::WriteSample()));
}

TEST(AppTest, OpensADetectionResultIntoItsTab) {
  testing::ImGuiHarness imgui;
  App app;
  app.Open(testing::WriteSampleDetection());
  ASSERT_NE(app.detection_data(), nullptr);
  imgui.Frame([&] { app.Draw(); }, false);
  imgui.Frame([&] { app.Draw(); }, false);
  EXPECT_EQ(app.front_panel, PanelId::kDetection);
  EXPECT_EQ(app.detection.curves_shown, 3);
  EXPECT_TRUE(app.Errors().empty());
}

TEST(AppTest, LoadsOnAWorkerThreadAndDrawsEveryPanel) {
  const std::string good = testing::WriteSample();
  const std::string bad = good + ".bad.clawrun";
  run::testing::WriteFile(bad, "not a run file");
  testing::ImGuiHarness imgui;
  App app;
  app.Open(good);
  app.Open(good);  // a second copy, for Compare
  app.WaitForLoads();
  ASSERT_NE(app.run(0), nullptr);
  ASSERT_NE(app.run(1), nullptr);
  app.set_current(0);
  ASSERT_TRUE(app.Select("span:999").ok());
  EXPECT_FALSE(app.Select("span:123456789").ok());
  EXPECT_FALSE(app.Select("employee:nobody").ok());
  ASSERT_TRUE(app.Select("employee:platform-1").ok());
  EXPECT_EQ(app.state(0).selected_employee, 3);
  for (int p = 0; p < kPanelCount; ++p) {
    app.ShowPanel(static_cast<PanelId>(p));
    imgui.Frame([&] { app.Draw(); }, /*window=*/false);
    imgui.Frame([&] { app.Draw(); }, /*window=*/false);
    EXPECT_EQ(app.front_panel, static_cast<PanelId>(p)) << PanelName(static_cast<PanelId>(p));
  }
  app.ShowPanel(PanelId::kCompare);
  imgui.Frame([&] { app.Draw(); }, false);
  EXPECT_FALSE(app.compare.last_measures.empty());
  EXPECT_TRUE(app.Errors().empty());

  // A damaged file is an error in its own tab; the others are unaffected.
  app.Open(bad);
  app.WaitForLoads();
  imgui.Frame([&] { app.Draw(); }, false);
  ASSERT_EQ(app.Errors().size(), 1u);
  EXPECT_NE(app.Errors()[0].find("not a clawsim run file"), std::string::npos) << app.Errors()[0];
  EXPECT_EQ(app.run(2), nullptr);
  EXPECT_NE(app.run(0), nullptr);
}

}  // namespace
}  // namespace clawsim::viz
