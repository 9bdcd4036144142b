// Studies that decide: priced harms, the chosen arm with its runner-up, dominance with 95%
// confidence, identical arms, the leak-price sensitivity; intervals that stay in their
// measure's range and undefined measures left out; numbers with units; the results file's
// checksums; labels that do not overlap; study files of absurd sizes or bad prices refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "sim/study/decision.h"
#include "sim/study/measure_kinds.h"
#include "sim/study/measures.h"
#include "sim/study/pricing.h"
#include "sim/study/results.h"
#include "sim/study/results_file.h"
#include "sim/study/store.h"
#include "sim/study/svg.h"

namespace clawsim::study {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kDecisionPath = std::string(CLAWSIM_SOURCE_DIR) + "/scenarios/decision_study.textproto";

// Three arms of the shipped small scenario (the overrides make their scenarios differ):
// "leaky" delivers more value but leaks, "safe" leaks nothing, "twin" repeats safe's runs.
const char* kDecisionStudy = R"(
  name: "decide"
  base_scenario: "small.textproto"
  replications: 4
  arms { name: "leaky" set: "run.days=3" }
  arms { name: "safe" set: "run.days=4" }
  arms { name: "twin" set: "run.days=5" }
  baseline: "safe"
  pareto { measure: "value_usd" direction: MAXIMIZE }
  pareto { measure: "safety.data_leaked_messages" direction: MINIMIZE }
)";

StudySpec LoadSpec(const std::string& text = kDecisionStudy) {
  StudySpec spec;
  Status s = LoadStudyFromText(text, kDecisionPath, &spec);
  EXPECT_TRUE(s.ok()) << s.message();
  return spec;
}

// Stored runs: value, net value, leaks (of which sensitive), approvals, per arm and replication.
std::vector<StoredRun> Runs(const std::vector<PlannedRun>& plan,
                            const std::function<std::vector<double>(uint32_t arm, uint32_t r)>& row) {
  std::vector<StoredRun> stored(plan.size());
  for (size_t i = 0; i < plan.size(); ++i) {
    stored[i].present = stored[i].ok = true;
    stored[i].measures.names = {"value_usd",         "net_value_usd",          "safety.data_leaked_messages",
                                "safety.data_leaked_sensitive", "hours.approval_hours", "safety.approvals_decided",
                                "safety.approval_accuracy", "incidents", "safety.detector_release_hours"};
    stored[i].measures.values = row(plan[i].arm, plan[i].replication);
  }
  return stored;
}

const proto::StudyArmMeasure* Measure(const proto::StudyArmResult& arm, const std::string& name) {
  for (const proto::StudyArmMeasure& m : arm.measures()) {
    if (m.measure() == name) return &m;
  }
  return nullptr;
}

// leaky: +$10k value, 100 leaks (10 sensitive) a run: 90 x 17.3 + 10 x 173 = $3,287 of harm.
std::vector<double> Row(uint32_t arm, uint32_t r) {
  const double noise = 500.0 * r;
  const double value = (arm == 0 ? 110000 : 100000) + noise;
  const double leaks = arm == 0 ? 100 + (r % 2) : 0;
  const double sensitive = arm == 0 ? 10 : 0;
  const double approvals = arm == 0 ? 0 : 12;
  return {value, value - 1000, leaks, sensitive, approvals == 0 ? 0.0 : 1.0, approvals,
          approvals == 0 ? 0.0 : 0.9, static_cast<double>(r % 2), 0};
}

TEST(Decision, PricesHarmsAndNamesTheChoiceWithItsRunnerUpAndSensitivity) {
  const StudySpec spec = LoadSpec();
  const std::vector<PlannedRun> plan = MakePlan(spec);
  proto::StudyResults r;
  Analyse(spec, kDecisionStudy, plan, Runs(plan, Row), &r);
  // Priced measures of a leaky run: 90 x 17.3 + 10 x 173.
  const proto::StudyArmMeasure* leak = Measure(r.arms(0), "priced.leak_cost_usd");
  ASSERT_NE(leak, nullptr);
  EXPECT_NEAR(leak->value().mean(), 90.5 * 17.3 + 10 * 173, 1e-6);
  // Safe: one approval hour a run at $100 an hour.
  EXPECT_NEAR(Measure(r.arms(1), "priced.approval_cost_usd")->value().mean(), 100, 1e-9);
  // The choice: leaky's net value after harms ($109k - $3.3k) beats safe's ($99k - $100).
  const proto::StudyDecisionResult& d = r.decision();
  EXPECT_EQ(d.objective(), "priced.net_value_usd");
  ASSERT_TRUE(d.has_best_arm());
  EXPECT_EQ(d.best_arm(), 0u);
  EXPECT_TRUE(d.has_runner_up());
  EXPECT_GT(d.best_minus_runner_up().ci_low(), 0);  // clearly better, replication by replication
  EXPECT_THAT(d.answer(), StartsWith("Choose leaky: it has the highest net value after priced harms"));
  // At x10 the leaks cost $32,870 a run: safe wins.
  ASSERT_EQ(d.sensitivity_size(), 2);
  EXPECT_EQ(d.sensitivity(0).factor(), 0.1);
  EXPECT_EQ(d.sensitivity(0).best_arm(), 0u);
  EXPECT_EQ(d.sensitivity(1).factor(), 10);
  EXPECT_EQ(d.sensitivity(1).best_arm(), 1u);
  // The break-even factor: 9,900 more net value against 3,287 - 100 more harm per unit factor.
  EXPECT_THAT(d.answer(), HasSubstr("at most x3."));
  EXPECT_THAT(d.answer(), HasSubstr("the prices assumed; above that safe wins."));
  // Twin gives safe's runs exactly: identical, and neither dominates the other.
  EXPECT_TRUE(r.arms(2).has_identical_to());
  EXPECT_EQ(r.arms(2).identical_to(), 1u);
  EXPECT_EQ(r.arms(1).dominated_by_size(), 0);
  EXPECT_EQ(r.arms(2).dominated_by_size(), 0);
  // Neither leaky nor safe dominates: more value against more leaks.
  EXPECT_EQ(r.arms(0).dominated_by_size(), 0);
  // Approval accuracy is undefined where nothing was asked: n/a, not 0.
  const proto::StudyArmMeasure* accuracy = Measure(r.arms(0), "safety.approval_accuracy");
  ASSERT_NE(accuracy, nullptr);
  EXPECT_FALSE(accuracy->value().has_mean());
  EXPECT_EQ(accuracy->value().n(), 0u);
  EXPECT_DOUBLE_EQ(Measure(r.arms(1), "safety.approval_accuracy")->value().mean(), 0.9);
  EXPECT_TRUE(std::isnan(r.runs(0).values(6)));  // runs.csv shows it empty
}

TEST(Decision, DominanceNeedsAClearWinAndNoClearLoss) {
  const StudySpec spec = LoadSpec();
  const std::vector<PlannedRun> plan = MakePlan(spec);
  // safe now delivers more value too: it beats leaky in both objectives, every replication.
  auto row = [](uint32_t arm, uint32_t r) {
    std::vector<double> v = Row(arm, r);
    if (arm != 0) v[0] += 20000, v[1] += 20000;
    return v;
  };
  proto::StudyResults r;
  Analyse(spec, kDecisionStudy, plan, Runs(plan, row), &r);
  ASSERT_EQ(r.arms(0).dominated_by_size(), 2);  // by safe and by twin
  EXPECT_EQ(r.arms(0).dominated_by(0).arm_index(), 1u);
  EXPECT_THAT(std::vector<std::string>(r.arms(0).dominated_by(0).better_in().begin(),
                                       r.arms(0).dominated_by(0).better_in().end()),
              ::testing::ElementsAre("value_usd", "safety.data_leaked_messages", "priced.net_value_usd"));
  EXPECT_THAT(r.decision().answer(), HasSubstr("Dominated with 95% confidence: leaky (by safe)"));
  // twin repeats safe: a tie, said as such.
  EXPECT_THAT(r.decision().answer(), HasSubstr("Tied with it (the same priced.net_value_usd in every replication): twin"));
  EXPECT_EQ(r.decision().best_arm(), 1u);
}

TEST(Decision, ADominatedArmIsNeverTheChoiceEvenWithTheBestObjective) {
  const std::string text = std::string(kDecisionStudy) + "decision { objective: \"net_value_usd\" }\n";
  const StudySpec spec = LoadSpec(text);
  const std::vector<PlannedRun> plan = MakePlan(spec);
  // leaky: the highest mean net value, by a difference that is noise (+40,000 in one
  // replication, -10,000 in the others), but surely less value and more leaks than safe.
  auto row = [](uint32_t arm, uint32_t r) {
    std::vector<double> v = Row(arm, r);
    if (arm == 0) v[0] -= 20000, v[1] = 100000 + 500.0 * r - 1000 + (r == 0 ? 40000 : -10000);
    return v;
  };
  proto::StudyResults r;
  Analyse(spec, text, plan, Runs(plan, row), &r);
  ASSERT_GT(r.arms(0).dominated_by_size(), 0);
  EXPECT_EQ(r.decision().best_arm(), 1u);
  EXPECT_THAT(r.decision().answer(), HasSubstr("of the arms no other dominates"));
  EXPECT_THAT(r.decision().answer(), HasSubstr("leaky has a higher mean"));
  EXPECT_THAT(r.decision().answer(), HasSubstr("but is dominated by safe (better in value_usd, safety.data_leaked_messages"));
  EXPECT_TRUE(r.decision().sensitivity().empty());  // the objective prices nothing
  // An advantage in the objective that is sure, though, is never called dominated.
  auto sure = [](uint32_t arm, uint32_t r) {
    std::vector<double> v = Row(arm, r);
    if (arm == 0) v[0] -= 20000, v[1] = 500000 + r;
    return v;
  };
  Analyse(spec, text, plan, Runs(plan, sure), &r);
  EXPECT_EQ(r.arms(0).dominated_by_size(), 0);
  EXPECT_EQ(r.decision().best_arm(), 0u);
}

TEST(Decision, AConstraintRulesArmsOut) {
  const std::string text = std::string(kDecisionStudy) +
                           "decision { constraints { measure: \"safety.data_leaked_messages\" at_most: 5 } }\n";
  const StudySpec spec = LoadSpec(text);
  const std::vector<PlannedRun> plan = MakePlan(spec);
  proto::StudyResults r;
  Analyse(spec, text, plan, Runs(plan, Row), &r);
  EXPECT_FALSE(r.arms(0).feasible());
  EXPECT_TRUE(r.arms(1).feasible());
  EXPECT_EQ(r.decision().best_arm(), 1u);
}

TEST(Decision, CountIntervalsStayAtOrAboveZero) {
  const StudySpec spec = LoadSpec();
  const std::vector<PlannedRun> plan = MakePlan(spec);
  // Leaks 0, 0, 0, 11 in leaky: the t interval would run below zero.
  auto row = [](uint32_t arm, uint32_t r) {
    std::vector<double> v = Row(arm, r);
    v[2] = arm == 0 && r == 3 ? 11 : 0;
    v[3] = 0;
    return v;
  };
  proto::StudyResults r;
  Analyse(spec, kDecisionStudy, plan, Runs(plan, row), &r);
  const proto::StudyInterval& leaks = Measure(r.arms(0), "safety.data_leaked_messages")->value();
  EXPECT_DOUBLE_EQ(leaks.mean(), 2.75);
  EXPECT_EQ(leaks.ci_low(), 0);
  EXPECT_GT(leaks.ci_high(), 2.75);
  EXPECT_EQ(leaks.n(), 4u);
}

TEST(MeasureKinds, RangesUnitsAndUndefinedMeasures) {
  EXPECT_EQ(RangeOf("safety.data_leaked_messages").lo, 0);
  EXPECT_EQ(RangeOf("safety.approval_accuracy").hi, 1);
  EXPECT_EQ(RangeOf("dora.change_failure_rate").hi, 1);
  EXPECT_FALSE(RangeOf("net_value_usd").bounded());
  EXPECT_FALSE(RangeOf("counterfactual.value_usd_delta").bounded());
  EXPECT_EQ(RangeOf("tokens.total_tokens").lo, 0);
  EXPECT_EQ(RangeOf("incentives.metric_value_rank_correlation").lo, -1);
  // Every measure some ratio is undefined over, and the ratio itself, is a real measure.
  for (const std::string m : {"safety.approval_accuracy", "safety.attack_success_rate", "safety.time_to_contain_hours",
                               "value_usd_per_token_usd", "dora.change_failure_rate", "dora.lead_time_for_changes_hours",
                               "dora.time_to_restore_hours", "mean_lead_time_hours", "incentives.tokens_per_value_usd",
                               "incentives.cost_per_value_usd"}) {
    EXPECT_TRUE(CheckSummaryMeasureName(m).ok()) << m;
    ASSERT_FALSE(UndefinedWhenZero(m).empty()) << m;
    EXPECT_TRUE(CheckSummaryMeasureName(UndefinedWhenZero(m)).ok()) << UndefinedWhenZero(m);
  }
  EXPECT_EQ(FormatMeasure("value_usd", 7994187), "$7.994 M");
  EXPECT_EQ(FormatMeasure("net_value_usd", -4560.4), "-$4,560");
  EXPECT_EQ(FormatMeasure("hours.approval_hours", 93.21), "93.21 h");
  EXPECT_EQ(FormatMeasure("tokens.total_tokens", 1234567890), "1.235 G tokens");
  EXPECT_EQ(FormatMeasure("performative_token_share", 0.125), "12.5 %");
  EXPECT_EQ(FormatMeasure("safety.data_leaked_messages", 192.8), "192.8");
  EXPECT_EQ(FormatMeasure("incidents", 12345), "12,345");
  EXPECT_EQ(FormatMeasure("incidents", NAN), "n/a");
  EXPECT_EQ(FormatDifference("performative_token_share", -0.031), "-3.1 pp");
  EXPECT_EQ(FormatDifference("value_usd", 1200), "+$1,200");
}

proto::StudyResults SmallResults() {
  proto::StudyResults r;
  r.set_magic(kResultsMagic);
  r.set_format_major(kResultsFormatMajor);
  r.set_format_minor(kResultsFormatMinor);
  r.set_name("checked");
  for (int a = 0; a < 40; ++a) {
    proto::StudyArmResult* arm = r.add_arms();
    arm->set_name("arm-" + std::to_string(a));
    proto::StudyArmMeasure* m = arm->add_measures();
    m->set_measure("value_usd");
    m->mutable_value()->set_mean(399.18 + a);
  }
  for (int i = 0; i < 200; ++i) {
    proto::StudyRunRecord* run = r.add_runs();
    run->set_arm_index(static_cast<uint32_t>(i % 40));
    for (int k = 0; k < 20; ++k) run->add_values(i * 0.5 + k);
  }
  return r;
}

TEST(ResultsFile, RoundTripsAndRefusesEveryDamageWithItsByteRange) {
  const proto::StudyResults r = SmallResults();
  const std::string bytes = EncodeResultsFile(r);
  ASSERT_GT(bytes.size(), 2 * kResultsBlockBytes);  // several blocks
  EXPECT_EQ(bytes.substr(0, 15), std::string("\x0a\x0d") + "clawsim-study");
  proto::StudyResults back;
  Status s = DecodeResultsFile(bytes, "x.clawstudy", &back);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(back.arms(3).measures(0).value().mean(), 399.18 + 3);
  // A bit flipped anywhere is refused; in the payload, the message names the block it is in.
  for (size_t at = 0; at < bytes.size(); at += 37) {
    std::string damaged = bytes;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x10);
    proto::StudyResults out;
    s = DecodeResultsFile(damaged, "x.clawstudy", &out);
    ASSERT_FALSE(s.ok()) << "a flip at byte " << at << " was accepted";
    EXPECT_THAT(s.message(), StartsWith("x.clawstudy: "));
    if (at >= 15 && at < bytes.size() - 400) {
      const size_t from = at / kResultsBlockBytes * kResultsBlockBytes;
      EXPECT_THAT(s.message(), HasSubstr("bytes " + std::to_string(from) + " to ")) << at;
    }
  }
  // Cut short anywhere: refused.
  for (size_t keep : {size_t{0}, size_t{14}, size_t{100}, bytes.size() / 2, bytes.size() - 1}) {
    proto::StudyResults out;
    EXPECT_FALSE(DecodeResultsFile(bytes.substr(0, keep), "x.clawstudy", &out).ok()) << keep;
  }
  // A file of format 1.0 (no checksums) is refused with what to do.
  std::string old;
  r.SerializeToString(&old);
  proto::StudyResults out;
  s = DecodeResultsFile(old, "x.clawstudy", &out);
  EXPECT_THAT(s.message(), HasSubstr("checksum footer is missing"));
  EXPECT_THAT(s.message(), HasSubstr("re-run `clawsim study`"));
}

TEST(Charts, LabelsOfCrowdedPointsDoNotOverlap) {
  Svg svg(720, 480);
  LabelPlacer placer(80, 40, 690, 420);
  std::vector<std::pair<double, double>> points;
  for (int i = 0; i < 6; ++i) points.emplace_back(300 + 3 * i, 200 + 2 * i);  // six arms in one spot
  for (const auto& [x, y] : points) placer.AddPoint(x, y, 5);
  for (size_t i = 0; i < points.size(); ++i) {
    placer.Place(&svg, points[i].first, points[i].second, "metric=RAW_TOKENS,visibility=MANAGERS_ONLY");
  }
  EXPECT_EQ(placer.overlapping(), 0);
  const auto& b = placer.placed();
  ASSERT_EQ(b.size(), 6u);
  for (size_t i = 0; i < b.size(); ++i) {
    EXPECT_GE(b[i].x, 80);
    EXPECT_LE(b[i].x + b[i].w, 690);
    for (size_t j = 0; j < i; ++j) {
      const bool apart = b[i].x + b[i].w <= b[j].x || b[j].x + b[j].w <= b[i].x || b[i].y + b[i].h <= b[j].y ||
                         b[j].y + b[j].h <= b[i].y;
      EXPECT_TRUE(apart) << "labels " << i << " and " << j << " overlap";
    }
  }
  // Leader lines join the labels moved away from their points.
  EXPECT_THAT(svg.Finish(), HasSubstr("stroke=\"#999\""));
}

TEST(Charts, AxesOfNonNegativeMeasuresStartAtZeroNotBelow) {
  double lo = 0, hi = 193;
  AxisRange(&lo, &hi, 0);
  EXPECT_EQ(lo, 0);
  EXPECT_GE(hi, 193);
  lo = 4.5e6, hi = 5.1e6;  // far from zero: a range around the data, still not below zero
  AxisRange(&lo, &hi, 0);
  EXPECT_GT(lo, 0);
  EXPECT_LE(lo, 4.5e6);
}

std::string DecisionLoadError(const std::string& text) {
  StudySpec spec;
  Status s = LoadStudyFromText(text, kDecisionPath, &spec);
  EXPECT_FALSE(s.ok()) << text;
  return s.message();
}

TEST(StudyLimits, AbsurdSizesAndBadPricesAreRefusedWithTheirPlace) {
  EXPECT_THAT(DecisionLoadError("base_scenario: \"small.textproto\"\nreplications: 4294967295\narms { name: \"a\" }\n"),
              HasSubstr("decision_study.textproto:2:1: replications 4294967295 is more than 10000"));
  std::string grid = "base_scenario: \"small.textproto\"\ngrids {\n";
  for (int a = 0; a < 16; ++a) {
    grid += "  axes { name: \"a" + std::to_string(a) + "\" path: \"run.days\" values: [\"1\", \"2\", \"3\", \"4\"] }\n";
  }
  grid += "}\n";
  EXPECT_THAT(DecisionLoadError(grid), HasSubstr("decision_study.textproto:2:1: the study has more than 4096 arms"));
  EXPECT_THAT(DecisionLoadError(std::string(kDecisionStudy) + "prices { leaked_message_usd: -1 }\n"),
              HasSubstr("prices.leaked_message_usd must be a finite price"));
  EXPECT_THAT(DecisionLoadError(std::string(kDecisionStudy) + "prices { leaked_sensitive_message_usd: inf }\n"),
              HasSubstr("prices.leaked_sensitive_message_usd must be a finite price"));
  EXPECT_THAT(DecisionLoadError(std::string(kDecisionStudy) + "decision { objective: \"priced.nett\" }\n"),
              HasSubstr("no such priced measure"));
  EXPECT_THAT(DecisionLoadError(std::string(kDecisionStudy) + "decision { constraints { measure: \"incidents\" } }\n"),
              HasSubstr("a constraint needs at_most or at_least"));
}

TEST(StudyStoreTest, AFolderOfAnotherStudyIsRefused) {
  const std::string dir = ::testing::TempDir() + "/decision_other_study";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  StudyStore store;
  ASSERT_TRUE(store.Open(dir + "/study.sqlite").ok());
  StudySpec spec = LoadSpec();
  EXPECT_TRUE(store.CheckSameStudy(spec).ok());  // empty
  ASSERT_TRUE(store.WriteStudy(spec, kDecisionStudy).ok());
  spec.arms.pop_back();  // the same study, edited: still the same
  EXPECT_TRUE(store.CheckSameStudy(spec).ok());
  std::string renamed = kDecisionStudy;
  renamed.replace(renamed.find("decide"), 6, "other");
  StudySpec other = LoadSpec(renamed);
  const Status s = store.CheckSameStudy(other);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("holds the runs of study \"decide\""));
  EXPECT_THAT(s.message(), HasSubstr("not of study \"other\""));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace clawsim::study
