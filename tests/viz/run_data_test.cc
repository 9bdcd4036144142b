// Loading a run file for viewing: rows, lanes, visible ranges, folding and causal walks.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "sim/run/run_file_format.h"
#include "tests/viz/viz_test_util.h"
#include "viz/causality.h"
#include "viz/fit.h"
#include "viz/format.h"
#include "viz/lanes.h"
#include "sim/proto/study.pb.h"
#include "sim/study/results_file.h"
#include "viz/study_data.h"

namespace clawsim::viz {
namespace {

using run::testing::kSampleAuditRecords;
using run::testing::kSampleSpans;

TEST(RunDataTest, LoadsEveryRowAndCountsAgentsAndPeople) {
  const RunData run = testing::LoadSample();
  EXPECT_EQ(run.header.scenario_name(), "sample-org");
  EXPECT_EQ(run.format_minor, run::kFormatMinor);
  EXPECT_EQ(run.daily.size(), static_cast<size_t>(run::testing::kSampleDays));
  EXPECT_EQ(run.employees.size(), static_cast<size_t>(run::testing::kSampleEmployees));
  EXPECT_EQ(run.audit.size(), static_cast<size_t>(kSampleAuditRecords));
  EXPECT_EQ(run.audit.size() - run.agent_audit_records, static_cast<size_t>(run::testing::kSampleHumanAuditRecords));
  EXPECT_EQ(run.spans.size(), static_cast<size_t>(kSampleSpans));
  EXPECT_EQ(run.trace_events, static_cast<uint64_t>(run::testing::kSampleTraceEvents));
  // 5 employees + 4 agents + 2 services ("service:api", "service:web").
  ASSERT_EQ(run.lanes.size(), 11u);
  EXPECT_EQ(run.lanes[10].label, "web");
  size_t in_lanes = 0;
  for (const Lane& lane : run.lanes) {
    in_lanes += lane.spans.size();
    EXPECT_TRUE(std::is_sorted(lane.starts.begin(), lane.starts.end()));
    EXPECT_TRUE(std::is_sorted(lane.max_end.begin(), lane.max_end.end()));
  }
  EXPECT_EQ(in_lanes, run.spans.size());
  // An invocation lies on its agent's lane, an incident on its service's.
  EXPECT_EQ(run.lanes[run.spans[1993].lane].label, "platform-1/triage");
  EXPECT_EQ(run.lanes[run.spans[999].lane].label, "web");
}

// A served run (clawsim serve): an external seat's agent has audit records and no spans. It
// gets its own lane, labelled as the seat, holding its calls; other agents keep their names.
TEST(RunDataTest, AnExternalSeatIsItsOwnLaneWithItsCalls) {
  const std::string path = run::testing::FreshTestDir() + "/served.clawrun";
  run::RunInfo info = run::testing::SampleRunInfo();
  info.agent_names.push_back("payments-3/triage (external)");  // agent 4, added for the seat
  run::RunFileWriter w;
  ASSERT_TRUE(w.Open(path).ok());
  ASSERT_TRUE(w.WriteHeader(info).ok());
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(w.AddAuditRecord(run::testing::SampleAuditRecord(i)).ok());
  std::vector<uint64_t> seat_ids;
  for (int i = 0; i < 3; ++i) {
    run::AuditRecord r;
    r.time_us = 1'000'000'000LL + 60'000'000LL * i;
    r.agent_id = 4;
    r.on_behalf_of_employee = 2;  // payments-3
    r.action = static_cast<uint32_t>(i);
    r.external = true;
    seat_ids.push_back(40 + i);  // the writer numbers records the model left unnumbered
    ASSERT_TRUE(w.AddAuditRecord(r).ok());
  }
  ASSERT_TRUE(w.WriteFooter(run::testing::SampleSummary(), 1).ok());
  ASSERT_TRUE(w.Commit().ok());

  RunData run;
  LoadProgress progress;
  const Status s = LoadRunFile(path, &progress, &run);
  ASSERT_TRUE(s.ok()) << s.message();
  const uint32_t employees = static_cast<uint32_t>(run.header.employee_names_size());
  const Lane& seat = run.lanes[employees + 4];
  EXPECT_EQ(seat.kind, Lane::Kind::kAgent);
  EXPECT_TRUE(seat.external);
  EXPECT_EQ(seat.label, "seat: payments-3 (external)");
  EXPECT_TRUE(seat.spans.empty());
  ASSERT_EQ(seat.audit.size(), 3u);
  for (size_t k = 0; k < seat.audit.size(); ++k) {
    const AuditRow& a = run.audit[seat.audit[k]];
    EXPECT_TRUE(a.external);
    EXPECT_EQ(a.id, seat_ids[k]);
    EXPECT_EQ(run.LaneOfAudit(a), employees + 4);
  }
  EXPECT_EQ(run.AgentLabel(4), "seat: payments-3 (external)");
  // The surrogate agents are as before: named by the header, no calls on their lanes.
  EXPECT_EQ(run.AgentLabel(0), "payments-1/triage");
  for (uint32_t a = 0; a < 4; ++a) {
    EXPECT_FALSE(run.lanes[employees + a].external) << a;
    EXPECT_TRUE(run.lanes[employees + a].audit.empty()) << a;
  }
}

TEST(RunDataTest, DamagedFilesAreErrorsNamingTheProblem) {
  const std::string dir = run::testing::FreshTestDir();
  const std::string good = testing::WriteSample();
  const std::string bytes = run::testing::ReadFile(good);
  struct Case {
    std::string name;
    std::string bytes;
    std::string expect;
  };
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x10;
  std::string future = bytes;
  future[8] = 2;  // major version 2
  const std::vector<Case> cases = {
      {"truncated", bytes.substr(0, bytes.size() - 100), "truncated record"},
      {"flipped", flipped, "checksum mismatch"},
      {"future", future, "has format version 2." + std::to_string(run::kFormatMinor) + "; this clawsim reads 1.x"},
      {"empty", "", "empty file"},
      {"text", "name: \"a scenario\"\n", "not a clawsim run file"},
  };
  for (const Case& c : cases) {
    const std::string path = dir + "/" + c.name + ".clawrun";
    run::testing::WriteFile(path, c.bytes);
    RunData data;
    LoadProgress progress;
    const Status s = LoadRunFile(path, &progress, &data);
    ASSERT_FALSE(s.ok()) << c.name;
    EXPECT_NE(s.message().find(c.expect), std::string::npos) << c.name << ": " << s.message();
  }
  RunData data;
  LoadProgress progress;
  EXPECT_FALSE(LoadRunFile(dir + "/missing.clawrun", &progress, &data).ok());
}

TEST(RunDataTest, CancelledLoadStops) {
  const std::string path = testing::WriteSample();
  RunData data;
  LoadProgress progress;
  progress.cancel = true;
  const Status s = LoadRunFile(path, &progress, &data);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("cancelled"), std::string::npos) << s.message();
}

// Lanes built from random spans, checked against brute force.
struct RandomLane {
  std::vector<SpanRow> spans;
  Lane lane;
};
RandomLane MakeRandomLane(int n, uint32_t seed) {
  RandomLane r;
  std::mt19937_64 rng(seed);
  for (int i = 0; i < n; ++i) {
    SpanRow s;
    s.start_us = static_cast<int64_t>(rng() % 1'000'000);
    s.end_us = s.start_us + static_cast<int64_t>(rng() % 3 == 0 ? rng() % 50'000 : rng() % 50);
    r.spans.push_back(s);
    r.lane.spans.push_back(static_cast<uint32_t>(i));
  }
  FinishLane(r.spans, &r.lane);
  return r;
}

TEST(LanesTest, VisibleRangeHoldsExactlyTheOverlappingSpans) {
  const RandomLane r = MakeRandomLane(5000, 7);
  for (auto [t0, t1] : {std::pair<int64_t, int64_t>{0, 1'000'000}, {250'000, 250'100}, {999'990, 2'000'000},
                        {-10, -5}, {400'000, 600'000}}) {
    const LaneRange range = VisibleRange(r.lane, t0, t1);
    size_t overlapping = 0, inside = 0;
    for (size_t i = 0; i < r.lane.spans.size(); ++i) {
      const SpanRow& s = r.spans[r.lane.spans[i]];
      const bool overlaps = s.end_us >= t0 && s.start_us <= t1;
      overlapping += overlaps;
      if (i >= range.first && i < range.last) {
        inside += overlaps;
      } else {
        EXPECT_FALSE(overlaps) << "span at position " << i << " overlaps [" << t0 << ", " << t1 << "] but is outside";
      }
    }
    EXPECT_EQ(inside, overlapping);
  }
}

TEST(LanesTest, TinySpansFoldIntoFewMarksThatCoverThemAll) {
  const RandomLane r = MakeRandomLane(100'000, 11);
  const LaneRange all = VisibleRange(r.lane, 0, 1'100'000);
  std::vector<LaneMark> marks;
  FoldSpans(r.lane, all, 0, /*min_width_us=*/1000, &marks);  // ~1,100 pixels wide
  EXPECT_LT(marks.size(), 3000u) << "the marks must scale with pixels, not with 100,000 spans";
  // Every span ends inside some mark, and marks do not overlap.
  for (size_t k = 1; k < marks.size(); ++k) EXPECT_LE(marks[k - 1].start_us, marks[k].start_us);
  uint64_t covered = 0;
  for (size_t k = 0; k < marks.size(); ++k) {
    covered += marks[k].count;
    EXPECT_EQ(marks[k].first, k == 0 ? all.first : marks[k - 1].first + marks[k - 1].count);
    // Every folded span lies inside its mark.
    for (uint32_t i = marks[k].first; i < marks[k].first + marks[k].count; ++i) {
      const SpanRow& s = r.spans[r.lane.spans[i]];
      ASSERT_GE(s.start_us, marks[k].start_us);
      ASSERT_LE(s.end_us, marks[k].end_us);
    }
  }
  EXPECT_EQ(covered, all.last - all.first);
  // Zoomed in to a microsecond a pixel, nothing folds, and what ends before the window is
  // not drawn.
  marks.clear();
  const LaneRange narrow = VisibleRange(r.lane, 500'000, 500'200);
  FoldSpans(r.lane, narrow, 500'000, 1, &marks);
  ASSERT_FALSE(marks.empty());
  for (const LaneMark& m : marks) {
    EXPECT_EQ(m.count, 1u);
    EXPECT_GE(m.end_us, 500'000);
  }
}

TEST(CausalityTest, WalksTheSampleChainBackwardsAndForwards) {
  const RunData run = testing::LoadSample();
  // Incident 999 <- deploy 249 (the prod stage, span 998) and audit record 1998.
  const std::vector<RecordRef> causes = run.causal.Causes(run, RecordRef::Span(999));
  EXPECT_EQ(causes, (std::vector<RecordRef>{RecordRef::Span(998), RecordRef::Audit(1998)}));
  // Audit record 1998 (deploy.prod) <- invocation 1993, an agent error.
  EXPECT_EQ(run.causal.Causes(run, RecordRef::Audit(1998)), std::vector<RecordRef>{RecordRef::Span(1993)});
  EXPECT_EQ(run.header.outcome_names(run.spans[1993].outcome), "agent_error");
  // Forwards: the invocation's consequences include that audit record; the audit record's
  // include the prod stage and the incident.
  const std::vector<RecordRef> after_invocation = run.causal.Consequences(run, RecordRef::Span(1993));
  EXPECT_NE(std::find(after_invocation.begin(), after_invocation.end(), RecordRef::Audit(1998)),
            after_invocation.end());
  const std::vector<RecordRef> after_audit = run.causal.Consequences(run, RecordRef::Audit(1998));
  EXPECT_EQ(after_audit, (std::vector<RecordRef>{RecordRef::Span(998), RecordRef::Span(999)}));
  // Ids resolve; unknown ones do not.
  EXPECT_EQ(run.causal.SpanById(1993), RecordRef::Span(1993));
  EXPECT_FALSE(run.causal.Causes(run, RecordRef{}).size());
}

TEST(FitTest, RecoversAPowerLaw) {
  std::vector<double> x, y;
  for (double t : {10.0, 100.0, 1000.0, 1e4, 1e5}) {
    x.push_back(t);
    y.push_back(3 * std::sqrt(t));
  }
  x.push_back(0);  // ignored: no log
  y.push_back(5);
  const LogLogFit fit = FitLogLog(x, y);
  ASSERT_TRUE(fit.ok());
  EXPECT_EQ(fit.points, 5);
  EXPECT_NEAR(fit.slope, 0.5, 1e-12);
  EXPECT_NEAR(fit.intercept, std::log10(3.0), 1e-12);
  EXPECT_NEAR(fit.r2, 1.0, 1e-12);
  EXPECT_FALSE(FitLogLog({5, 5}, {1, 2}).ok()) << "all points at one x: no line";
}

// A study of four arms over (cost: minimise, value: maximise, incidents: minimise).
StudyData SampleStudy() {
  StudyData study;
  study.name = "sample-study";
  study.measures = {"tokens.cost_usd", "value_usd", "incidents"};
  study.objectives = {{0, false}, {1, true}, {2, false}};
  auto arm = [](const char* name, double cost, double value, double incidents) {
    StudyArm a;
    a.name = name;
    a.replications = 10;
    for (double v : {cost, value, incidents}) a.values.push_back({v, v * 0.9, v * 1.1, true});
    return a;
  };
  study.arms = {arm("cheap", 1, 5, 3), arm("best", 2, 9, 1), arm("dominated", 3, 8, 2), arm("safe", 5, 4, 0)};
  return study;
}

TEST(StudyTest, ParetoFrontKeepsTheUndominatedArms) {
  StudyData study = SampleStudy();
  EXPECT_EQ(ParetoFront(study), (std::vector<bool>{true, true, false, true}));
  study.arms[1].values[1].valid = false;  // an arm without an objective is off the front
  EXPECT_EQ(ParetoFront(study), (std::vector<bool>{true, false, true, true}));
}

TEST(StudyTest, ReadsAStudyResultsFileAndRefusesOthers) {
  const std::string dir = run::testing::FreshTestDir();
  proto::StudyResults r;
  r.set_magic("clawsim-study");
  r.set_format_major(1);
  r.set_name("permissions");
  auto* objective = r.add_pareto();
  objective->set_measure("tokens.cost_usd");
  objective->set_direction(proto::MINIMIZE);
  objective = r.add_pareto();
  objective->set_measure("value_usd");
  objective->set_direction(proto::MAXIMIZE);
  for (int i = 0; i < 3; ++i) {
    proto::StudyArmResult* arm = r.add_arms();
    arm->set_name("arm-" + std::to_string(i));
    arm->set_runs_ok(5);
    arm->set_baseline(i == 0);
    arm->set_pareto(i != 2);
    for (const char* m : {"tokens.cost_usd", "value_usd"}) {
      proto::StudyArmMeasure* measure = arm->add_measures();
      measure->set_measure(m);
      measure->mutable_value()->set_mean(10.0 * (i + 1));
      measure->mutable_value()->set_ci_low(9.0 * (i + 1));
      measure->mutable_value()->set_ci_high(11.0 * (i + 1));
    }
  }
  std::string bytes = study::EncodeResultsFile(r);  // with its checksums, as clawsim study writes it
  const std::string path = dir + "/study.clawstudy";
  run::testing::WriteFile(path, bytes);
  ASSERT_TRUE(IsStudyFile(path));
  StudyData study;
  const Status s = LoadStudyFile(path, &study);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(study.name, "permissions");
  EXPECT_EQ(study.measures, (std::vector<std::string>{"tokens.cost_usd", "value_usd"}));
  ASSERT_EQ(study.objectives.size(), 2u);
  EXPECT_TRUE(study.objectives[1].maximize);
  ASSERT_EQ(study.arms.size(), 3u);
  EXPECT_TRUE(study.arms[0].baseline);
  EXPECT_FALSE(study.arms[2].pareto);
  EXPECT_EQ(study.arms[1].values[1].mean, 20.0);
  EXPECT_EQ(study.arms[1].values[1].high, 22.0);

  // One bit flipped in a figure: refused with the damaged byte range, never shown.
  std::string flipped = bytes;
  flipped[bytes.size() / 2] = static_cast<char>(flipped[bytes.size() / 2] ^ 0x04);
  run::testing::WriteFile(path, flipped);
  StudyData flipped_study;
  EXPECT_NE(LoadStudyFile(path, &flipped_study).message().find("do not match their checksum"), std::string::npos);
  EXPECT_TRUE(flipped_study.arms.empty());

  r.set_format_major(2);
  bytes = study::EncodeResultsFile(r);
  run::testing::WriteFile(path, bytes);
  StudyData newer;
  EXPECT_NE(LoadStudyFile(path, &newer).message().find("study results format 2.0 is not readable by this build"),
            std::string::npos);
  run::testing::WriteFile(path, bytes.substr(0, bytes.size() / 2) + "garbage");
  StudyData damaged;
  EXPECT_FALSE(LoadStudyFile(path, &damaged).ok());
  EXPECT_FALSE(IsStudyFile(testing::WriteSample())) << "a run file is not a study file";
}

TEST(FormatTest, TimesAndNumbers) {
  EXPECT_EQ(FormatTime(2 * 86'400'000'000LL + 13 * 3'600'000'000LL + 5 * 60'000'000LL + 7'250'000),
            "day 2 13:05:07.250");
  // One formatter: grouped below 100,000, then three significant digits with k, M, G.
  EXPECT_EQ(FormatCount(12345), "12,345");
  EXPECT_EQ(FormatCount(1234567), "1.23 M");
  EXPECT_EQ(FormatCount(31'630'000), "31.6 M");
  EXPECT_EQ(FormatCount(6'165'100'000), "6.17 G");
  EXPECT_EQ(FormatCount(999'960), "1.00 M") << "rounding never prints 1000 k";
  EXPECT_EQ(FormatAmount(2, "incidents"), "2 incidents");
  EXPECT_EQ(FormatUsd(1234.5), "$1,234.50");
  EXPECT_EQ(FormatUsd(10'610'000), "$10.6 M");
  EXPECT_EQ(FormatPercent(0.05538), "5.5 %");
  EXPECT_EQ(FormatHours(93.04), "93.0 h");
  EXPECT_EQ(FormatFingerprint(0x0123456789abcdefULL), "0123456789abcdef");
  EXPECT_EQ(FormatDuration(30 * 60'000'000LL), "30.0 min");
}

}  // namespace
}  // namespace clawsim::viz
