// Running studies in process: outputs do not depend on --jobs, a failed run is recorded and
// does not stop the others, an interrupted study resumes without losing or repeating runs,
// and the store keeps one row per run key.
#include "sim/study/study_runner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/study/results.h"
#include "sim/study/store.h"

namespace clawsim::study {
namespace {

using ::testing::HasSubstr;

const char* kStudy = R"(
  name: "tiny"
  base_scenario: "small.textproto"
  replications: 3
  seed: 11
  set: "run.days=2"
  arms { name: "today" }
  arms { name: "ext-deny" set: "permissions.rules[name=agents-send-ext].mode=DENY" }
  baseline: "today"
  measures: ["tokens.cost_usd", "value_usd", "incidents"]
)";

const std::vector<std::string> kOutputs = {"arms.csv",   "runs.csv",      "report.md",      "decision.svg",
                                           "cost_value.svg", "pareto.svg", "incidents.svg", "study.clawstudy"};

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class StudyRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::path(::testing::TempDir()) /
            ("study_runner_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
    const std::string path = std::string(CLAWSIM_SOURCE_DIR) + "/scenarios/tiny_study.textproto";
    Status s = LoadStudyFromText(kStudy, path, &spec_);
    ASSERT_TRUE(s.ok()) << s.message();
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  StudyOutcome Run(const std::string& dir, int jobs, StudyOptions o = StudyOptions()) {
    o.out_dir = (root_ / dir).string();
    o.jobs = jobs;
    o.study_text = kStudy;
    StudyOutcome outcome;
    Status s = RunStudy(spec_, o, 0, 1, &outcome);
    EXPECT_TRUE(s.ok()) << s.message();
    return outcome;
  }
  void ExpectSameOutputs(const std::string& a, const std::string& b) {
    for (const std::string& f : kOutputs) {
      const std::string x = Slurp((root_ / a / f).string()), y = Slurp((root_ / b / f).string());
      EXPECT_FALSE(x.empty()) << a << "/" << f;
      EXPECT_EQ(x, y) << f << " differs between " << a << " and " << b;
    }
  }
  int64_t Count(const std::string& dir, const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open((root_ / dir / "study.sqlite").string().c_str(), &db), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    int64_t n = -1;
    if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
  }

  std::filesystem::path root_;
  StudySpec spec_;
};

TEST_F(StudyRunnerTest, OutputsDoNotDependOnJobs) {
  const StudyOutcome one = Run("jobs1", 1);
  const StudyOutcome two = Run("jobs2", 2);
  EXPECT_EQ(one.planned, 6u);
  EXPECT_EQ(one.ran, 6u);
  EXPECT_EQ(two.ran, 6u);
  EXPECT_EQ(one.failed, 0u);
  ExpectSameOutputs("jobs1", "jobs2");
  // The results file reads back to what the outputs were written from.
  proto::StudyResults back;
  Status s = ReadResultsFile((root_ / "jobs1" / "study.clawstudy").string(), &back);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(back.SerializeAsString(), one.results.SerializeAsString());
  EXPECT_EQ(back.runs_size(), 6);
  EXPECT_EQ(back.arms(1).measures(0).measure(), "tokens.cost_usd");
  // The reported measures (cost, value, incidents) are the Pareto objectives; the decision's
  // objective and its default key measures (priced harms, harms per value) are appended.
  ASSERT_EQ(back.arms(1).measures_size(), 6);
  EXPECT_EQ(back.arms(1).measures(3).measure(), "priced.net_value_usd");
  EXPECT_EQ(back.arms(1).measures(4).measure(), "priced.harm_cost_usd");
  EXPECT_EQ(back.arms(1).measures(5).measure(), "priced.harm_usd_per_1000_usd_value");
  // The report opens with the decision.
  const std::string report = Slurp((root_ / "jobs1" / "report.md").string());
  EXPECT_LT(report.find("## Decision"), report.find("## Arms"));
  EXPECT_THAT(report, HasSubstr("Choose "));
  // The file starts with its magic, for readers that route files by their first bytes.
  EXPECT_EQ(Slurp((root_ / "jobs1" / "study.clawstudy").string()).substr(0, 15), std::string("\x0a\x0d") + "clawsim-study");
  // Every run has its daily series: 2 days each.
  EXPECT_EQ(Count("jobs1", "SELECT COUNT(DISTINCT run_id || '/' || day) FROM daily"), 12);
}

TEST_F(StudyRunnerTest, AFailedRunIsRecordedAndRetriedOnResume) {
  StudyOptions o;
  o.run = [](const StudySpec& spec, const std::vector<PlannedRun>& plan, uint32_t index, int threads) {
    if (plan[index].arm == 1 && plan[index].replication == 1) {
      RunRecord r;
      r.run_index = index;
      r.error = "injected failure";
      return r;
    }
    return ExecuteRun(spec, plan, index, threads);
  };
  const StudyOutcome first = Run("out", 2, o);
  EXPECT_EQ(first.ran, 6u);
  EXPECT_EQ(first.failed, 1u);
  EXPECT_EQ(first.results.arms(1).runs_ok(), 2u);
  EXPECT_EQ(first.results.arms(1).runs_failed(), 1u);
  EXPECT_THAT(Slurp((root_ / "out" / "runs.csv").string()), HasSubstr("ext-deny,1,"));
  EXPECT_THAT(Slurp((root_ / "out" / "runs.csv").string()), HasSubstr(",failed,injected failure"));
  EXPECT_THAT(Slurp((root_ / "out" / "report.md").string()), HasSubstr("## Failed runs"));
  EXPECT_EQ(Count("out", "SELECT COUNT(*) FROM runs WHERE status = 'failed' AND error = 'injected failure'"), 1);
  // Again, without the fault: only the failed run runs, and the outputs equal a clean study's.
  const StudyOutcome second = Run("out", 2);
  EXPECT_EQ(second.skipped, 5u);
  EXPECT_EQ(second.ran, 1u);
  EXPECT_EQ(second.failed, 0u);
  EXPECT_EQ(Count("out", "SELECT COUNT(*) FROM runs"), 6);
  Run("clean", 1);
  ExpectSameOutputs("out", "clean");
}

TEST_F(StudyRunnerTest, InterruptedStudyResumesWithoutLosingOrRepeatingRuns) {
  StudyOptions o;
  int started = 0;
  o.run = [&started](const StudySpec& spec, const std::vector<PlannedRun>& plan, uint32_t index, int threads) {
    if (++started == 2) std::raise(SIGINT);  // Ctrl-C while the second run is in progress
    return ExecuteRun(spec, plan, index, threads);
  };
  const StudyOutcome first = Run("out", 1, o);
  EXPECT_TRUE(first.interrupted);
  EXPECT_EQ(first.ran, 2u);  // the run in progress finished and was committed
  EXPECT_FALSE(std::filesystem::exists(root_ / "out" / "arms.csv"));
  EXPECT_EQ(Count("out", "SELECT COUNT(*) FROM runs"), 2);
  const StudyOutcome second = Run("out", 2);
  EXPECT_FALSE(second.interrupted);
  EXPECT_EQ(second.skipped, 2u);
  EXPECT_EQ(second.ran, 4u);
  EXPECT_EQ(Count("out", "SELECT COUNT(*) FROM runs"), 6);
  EXPECT_EQ(Count("out", "SELECT COUNT(*) FROM (SELECT arm, replication FROM runs GROUP BY arm, replication)"), 6);
  Run("clean", 2);
  ExpectSameOutputs("out", "clean");
}

// counterfactual: true runs every run's no-agent twin (model::RunOptions::counterfactual);
// the summary's counterfactual section arrives as measures with intervals.
TEST_F(StudyRunnerTest, CounterfactualTwinsBecomeMeasures) {
  if (!CounterfactualSupported()) GTEST_SKIP() << "this model has no counterfactual runner";
  const std::string text = std::string(kStudy) + "\ncounterfactual: true\nmeasures: \"counterfactual.value_usd_delta\"\n";
  StudySpec spec;
  Status s = LoadStudyFromText(text, std::string(CLAWSIM_SOURCE_DIR) + "/scenarios/twin_study.textproto", &spec);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_NE(spec.arms[0].scenario_hash, spec_.arms[0].scenario_hash);  // not the same runs as without twins
  StudyOptions o;
  o.out_dir = (root_ / "twin").string();
  o.study_text = text;
  StudyOutcome outcome;
  s = RunStudy(spec, o, 0, 1, &outcome);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(outcome.failed, 0u);
  const auto& names = outcome.results.measure_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "counterfactual.roi"), names.end());
  const proto::StudyArmMeasure& m = outcome.results.arms(0).measures(3);
  EXPECT_EQ(m.measure(), "counterfactual.value_usd_delta");
  EXPECT_EQ(m.value().n(), 3u);
  EXPECT_EQ(outcome.results.arms(0).measures_size(), 7);  // and the decision's three
  // Without the switch, there is no counterfactual section at all.
  const StudyOutcome plain = Run("plain", 2);
  const auto& plain_names = plain.results.measure_names();
  EXPECT_EQ(std::find(plain_names.begin(), plain_names.end(), "counterfactual.roi"), plain_names.end());
}

// Analyse on hand-made stored runs: reported measures gain the missing Pareto objectives and
// the decision's measures; paired differences and the front follow from the values.
TEST_F(StudyRunnerTest, AnalyseOnHandMadeRuns) {
  spec_.measures = {"value_usd"};
  const std::vector<PlannedRun> plan = MakePlan(spec_);  // 2 arms x 3 replications
  std::vector<StoredRun> stored(plan.size());
  for (size_t i = 0; i < plan.size(); ++i) {
    const double r = plan[i].replication, arm = plan[i].arm;
    stored[i].present = stored[i].ok = true;
    stored[i].measures.names = {"tokens.cost_usd", "value_usd", "incidents"};
    // Arm 1 costs 10 more and is worth 100 more in every replication; incidents equal.
    stored[i].measures.values = {50 + r + 10 * arm, 1000 + 7 * r * r + 100 * arm, 4};
  }
  proto::StudyResults r;
  Analyse(spec_, kStudy, plan, stored, &r);
  ASSERT_EQ(r.arms_size(), 2);
  ASSERT_EQ(r.arms(1).measures_size(), 6);
  EXPECT_EQ(r.arms(1).measures(0).measure(), "value_usd");
  EXPECT_EQ(r.arms(1).measures(1).measure(), "priced.net_value_usd");  // the decision's objective
  EXPECT_EQ(r.arms(1).measures(2).measure(), "tokens.cost_usd");
  EXPECT_EQ(r.arms(1).measures(3).measure(), "incidents");
  const proto::StudyInterval& d = r.arms(1).measures(0).paired_diff();
  EXPECT_DOUBLE_EQ(d.mean(), 100);
  EXPECT_DOUBLE_EQ(d.ci_low(), 100);  // identical differences: a zero-width interval
  EXPECT_DOUBLE_EQ(d.ci_high(), 100);
  EXPECT_LT(r.arms(1).measures(0).unpaired_ci_low(), 100);
  EXPECT_FALSE(r.arms(0).measures(0).has_paired_diff());  // the baseline
  // Arm 1 costs more and is worth more: both on the front.
  EXPECT_TRUE(r.arms(0).pareto());
  EXPECT_TRUE(r.arms(1).pareto());
}

TEST_F(StudyRunnerTest, StoreKeepsOneRowPerKeyAndPassesIntegrityCheck) {
  const std::vector<PlannedRun> plan = MakePlan(spec_);
  StudyStore store;
  ASSERT_TRUE(store.Open((root_ / "db.sqlite").string()).ok());
  ASSERT_TRUE(store.WriteStudy(spec_, kStudy).ok());
  RunRecord failed;
  failed.run_index = 0;
  failed.error = "boom";
  ASSERT_TRUE(store.Commit(spec_, plan[0], failed).ok());
  std::set<RunKey> ok;
  ASSERT_TRUE(store.CommittedOk(&ok).ok());
  EXPECT_TRUE(ok.empty());
  RunRecord good;
  good.run_index = 0;
  good.ok = true;
  good.measures.names = {"a", "b"};
  good.measures.values = {1.5, std::nan("")};
  ASSERT_TRUE(store.Commit(spec_, plan[0], good).ok());
  ASSERT_TRUE(store.CommittedOk(&ok).ok());
  EXPECT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok.count(KeyOf(spec_, plan[0])), 1u);
  std::vector<StoredRun> stored;
  ASSERT_TRUE(store.ReadPlanned(spec_, plan, &stored).ok());
  ASSERT_EQ(stored.size(), plan.size());
  EXPECT_TRUE(stored[0].ok);
  EXPECT_EQ(stored[0].measures.names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(stored[0].measures.values[0], 1.5);
  EXPECT_TRUE(std::isnan(stored[0].measures.values[1]));
  EXPECT_FALSE(stored[1].present);
  std::string integrity;
  ASSERT_TRUE(store.IntegrityCheck(&integrity).ok());
  EXPECT_EQ(integrity, "ok");
  // Writing the study again (a re-run) keeps the runs.
  ASSERT_TRUE(store.WriteStudy(spec_, kStudy).ok());
  ASSERT_TRUE(store.CommittedOk(&ok).ok());
  EXPECT_EQ(ok.size(), 1u);
}

}  // namespace
}  // namespace clawsim::study
