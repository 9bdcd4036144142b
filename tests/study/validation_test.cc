// Validations (sim/validation/validation.h): a row's figure from a study's runs, for one arm
// and for a weighted mix of arms (a published mean over situations the study runs apart),
// for pairs of arms each compared with its own reference (a mean over populations), and for a construct of several measures, replication by replication; the suite's checks
// of a mix, a construct and a calibration row, located in the suite file; calibration rows
// counted apart from independent ones.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <google/protobuf/text_format.h>

#include "sim/validation/validation.h"

namespace clawsim::validation {
namespace {

using ::testing::HasSubstr;

// Results of arms a, b and c, measure "m", replications 0..2: a = 1 + r, b = 10 + r, c = 4.
proto::StudyResults ThreeArms() {
  proto::StudyResults r;
  r.add_measure_names("m");
  for (const char* name : {"a", "b", "c"}) r.add_arms()->set_name(name);
  for (uint32_t arm = 0; arm < 3; ++arm) {
    for (uint32_t rep = 0; rep < 3; ++rep) {
      proto::StudyRunRecord* run = r.add_runs();
      run->set_arm_index(arm);
      run->set_replication(rep);
      run->set_ok(true);
      run->add_values(arm == 0 ? 1.0 + rep : arm == 1 ? 10.0 + rep : 4.0);
    }
  }
  return r;
}

proto::Validation Row(const std::string& text) {
  proto::Validation v;
  v.set_name("row");
  v.set_measure("m");
  v.set_published(0);
  v.set_published_low(-100);
  v.set_published_high(100);
  EXPECT_TRUE(google::protobuf::TextFormat::MergeFromString(text, &v)) << text;
  return v;
}

TEST(ValidationMix, ArmMeanOfAMixIsTheWeightedMeanOfItsArmsEachReplication) {
  // Weights 1 : 3 (not normalised in the file): per replication 0.25 a + 0.75 b.
  const Figure f = Evaluate(Row(R"(arm_mix { arm: "a" weight: 1 } arm_mix { arm: "b" weight: 3 })"), ThreeArms());
  ASSERT_EQ(f.n, 3u) << f.error;
  EXPECT_DOUBLE_EQ(f.mean, 0.25 * 2 + 0.75 * 11);  // the replications' means: a 2, b 11
  EXPECT_LT(f.ci_low, f.mean);
  EXPECT_GT(f.ci_high, f.mean);
  // One arm is the mix of that arm alone.
  const Figure single = Evaluate(Row(R"(arm: "a")"), ThreeArms());
  const Figure alone = Evaluate(Row(R"(arm_mix { arm: "a" weight: 7 })"), ThreeArms());
  EXPECT_DOUBLE_EQ(single.mean, alone.mean);
  EXPECT_DOUBLE_EQ(single.ci_low, alone.ci_low);
}

TEST(ValidationMix, ComparedMixesAreComparedReplicationByReplication) {
  // (0.5 a + 0.5 b) / c - 1 each replication: (5.5 + r) / 4 - 1.
  const Figure f = Evaluate(Row(R"(statistic: RELATIVE_CHANGE
                                   arm_mix { arm: "a" weight: 220 } arm_mix { arm: "b" weight: 220 }
                                   reference_mix { arm: "c" weight: 1 })"),
                            ThreeArms());
  ASSERT_EQ(f.n, 3u) << f.error;
  EXPECT_DOUBLE_EQ(f.mean, 6.5 / 4 - 1);
  // A single reference arm reads the same as a mix of it alone.
  const Figure g = Evaluate(Row(R"(statistic: RELATIVE_CHANGE
                                   arm_mix { arm: "a" weight: 220 } arm_mix { arm: "b" weight: 220 }
                                   reference_arm: "c")"),
                            ThreeArms());
  EXPECT_DOUBLE_EQ(f.mean, g.mean);
}

TEST(ValidationMix, AReplicationCountsOnlyWhenEveryArmOfTheMixGaveAValue) {
  proto::StudyResults r = ThreeArms();
  r.mutable_runs(4)->set_ok(false);  // arm b, replication 1
  const Figure f = Evaluate(Row(R"(arm_mix { arm: "a" weight: 1 } arm_mix { arm: "b" weight: 1 })"), r);
  ASSERT_EQ(f.n, 2u) << f.error;
  EXPECT_DOUBLE_EQ(f.mean, 0.5 * ((1 + 10) / 2.0 + (3 + 12) / 2.0));  // replications 0 and 2
  const Figure missing = Evaluate(Row(R"(arm_mix { arm: "a" weight: 1 } arm_mix { arm: "z" weight: 1 })"), r);
  EXPECT_EQ(missing.n, 0u);
  EXPECT_THAT(missing.error, HasSubstr("lack an arm"));
}

TEST(ValidationPairs, PairsAverageEachPairsOwnChangeNotTheMeasures) {
  // a against c and b against c, weighed 1 : 3: each replication 0.25 (a/c - 1) + 0.75 (b/c - 1)
  // = ((1 + r) + 3 (10 + r)) / 16 - 1; a mix of the measures would give the same here, so a
  // second check weighs pairs whose references differ: a against b and c against b, 1 : 1.
  const Figure f = Evaluate(Row(R"(statistic: RELATIVE_CHANGE
                                   pairs { arm: "a" reference_arm: "c" weight: 1 }
                                   pairs { arm: "b" reference_arm: "c" weight: 3 })"),
                            ThreeArms());
  ASSERT_EQ(f.n, 3u) << f.error;
  EXPECT_DOUBLE_EQ(f.mean, (2 + 3 * 11) / 16.0 - 1);
  const Figure g = Evaluate(Row(R"(statistic: RATIO
                                   pairs { arm: "a" reference_arm: "b" weight: 1 }
                                   pairs { arm: "c" reference_arm: "b" weight: 1 })"),
                            ThreeArms());
  ASSERT_EQ(g.n, 3u) << g.error;
  double expected = 0;
  for (double r : {0.0, 1.0, 2.0}) expected += 0.5 * ((1 + r) / (10 + r)) + 0.5 * (4 / (10 + r));
  EXPECT_NEAR(g.mean, expected / 3, 1e-12);
  // A replication counts only when every pair gave a value.
  proto::StudyResults r = ThreeArms();
  r.mutable_runs(7)->set_ok(false);  // arm c, replication 1
  const Figure h = Evaluate(Row(R"(statistic: RATIO
                                   pairs { arm: "a" reference_arm: "b" weight: 1 }
                                   pairs { arm: "c" reference_arm: "b" weight: 1 })"),
                            r);
  EXPECT_EQ(h.n, 2u) << h.error;
}

// Arms a and b over three measures, replications 0..2: up (a 2, b 1: doubles), down (a 1,
// b 2: halves) and flat (a 5 + r, b 5 + r).
proto::StudyResults ThreeMeasures() {
  proto::StudyResults r;
  for (const char* m : {"up", "down", "flat"}) r.add_measure_names(m);
  for (const char* name : {"a", "b"}) r.add_arms()->set_name(name);
  for (uint32_t arm = 0; arm < 2; ++arm) {
    for (uint32_t rep = 0; rep < 3; ++rep) {
      proto::StudyRunRecord* run = r.add_runs();
      run->set_arm_index(arm);
      run->set_replication(rep);
      run->set_ok(true);
      run->add_values(arm == 0 ? 2.0 : 1.0);
      run->add_values(arm == 0 ? 1.0 : 2.0);
      run->add_values(5.0 + rep);
    }
  }
  return r;
}

proto::Validation ConstructRow(const std::string& text) {
  proto::Validation v = Row("statistic: RELATIVE_CHANGE arm: \"a\" reference_arm: \"b\" " + text);
  v.clear_measure();
  return v;
}

TEST(ValidationConstruct, AConstructIsTheGeometricMeanOfItsMeasuresRatios) {
  // A lead time that halves counts like a frequency that doubles: (2 x 2 x 1)^(1/3) - 1.
  const Figure f = Evaluate(ConstructRow(R"(construct { measure: "up" }
                                            construct { measure: "down" lower_is_more: true }
                                            construct { measure: "flat" })"),
                            ThreeMeasures());
  ASSERT_EQ(f.n, 3u) << f.error;
  EXPECT_NEAR(f.mean, std::cbrt(4.0) - 1, 1e-12);
  // Read the other way, a halving cancels a doubling: no change.
  const Figure g = Evaluate(ConstructRow(R"(construct { measure: "up" } construct { measure: "down" })"), ThreeMeasures());
  ASSERT_EQ(g.n, 3u) << g.error;
  EXPECT_NEAR(g.mean, 0, 1e-12);
  // RATIO gives the same figure plus one.
  proto::Validation ratio = ConstructRow(R"(construct { measure: "up" } construct { measure: "flat" })");
  ratio.set_statistic(proto::RATIO);
  EXPECT_NEAR(Evaluate(ratio, ThreeMeasures()).mean, std::sqrt(2.0), 1e-12);
}

TEST(ValidationConstruct, AMeasureWithNoRatioIsLeftOutOfThatReplicationOnly) {
  // A recovery time where no incident ended has no ratio: that replication's figure is the
  // geometric mean of the measures that have one; the other replications keep all of them.
  proto::StudyResults r = ThreeMeasures();
  r.mutable_runs(1)->set_values(2, 0.0);  // arm a, replication 1: flat is 0, no ratio's log
  const Figure f = Evaluate(ConstructRow(R"(construct { measure: "up" } construct { measure: "flat" })"), r);
  ASSERT_EQ(f.n, 3u) << f.error;
  EXPECT_NEAR(f.mean, (2 * (std::sqrt(2.0) - 1) + (2.0 - 1)) / 3, 1e-12);
  // With no measure left in replication 1, it gives no figure.
  r.mutable_runs(1)->set_values(0, 0.0);
  const Figure g = Evaluate(ConstructRow(R"(construct { measure: "up" } construct { measure: "flat" })"), r);
  EXPECT_EQ(g.n, 2u) << g.error;
  EXPECT_NEAR(g.mean, std::sqrt(2.0) - 1, 1e-12);
  const Figure missing = Evaluate(ConstructRow(R"(construct { measure: "up" } construct { measure: "none" })"), r);
  EXPECT_EQ(missing.n, 0u);
  EXPECT_THAT(missing.error, HasSubstr("no run has measure none"));
  EXPECT_EQ(MeasureLabel(ConstructRow(R"(construct { measure: "up" } construct { measure: "down" lower_is_more: true })")),
            "geometric mean of up; 1/down");
}

// A suite of one row on a two-arm study of the shipped baseline, in a fresh folder.
std::string WriteSuite(const std::string& test, const std::string& row, bool with_measure = true) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("clawsim_validation_" + test);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "study.textproto") << "base_scenario: \"" << CLAWSIM_SOURCE_DIR
                                          << "/scenarios/baseline.textproto\"\nreplications: 2\n"
                                             "arms { name: \"a\" set: \"run.days=2\" }\n"
                                             "arms { name: \"b\" set: \"run.days=3\" }\n";
  std::ofstream(dir / "suite.textproto") << "# one row\nvalidations { name: \"x\" study: \"study.textproto\"\n"
                                         << (with_measure ? "  measure: \"value_usd\"" : "")
                                         << " published: 0 published_low: -1 published_high: 1\n"
                                         << row << "}\n";
  return (dir / "suite.textproto").string();
}

std::string LoadError(const std::string& test, const std::string& row, bool with_measure = true) {
  Suite suite;
  const Status s = LoadSuite(WriteSuite(test, row, with_measure), &suite);
  return s.ok() ? std::string("(loaded)") : s.message();
}

TEST(ValidationMix, SuiteRefusesABadMixWhereItIsWritten) {
  EXPECT_EQ(LoadError("ok", R"(arm_mix { arm: "a" weight: 2 } arm_mix { arm: "b" weight: 1 })"), "(loaded)");
  const std::string both = LoadError("both", R"(arm: "a" arm_mix { arm: "b" weight: 1 })");
  EXPECT_THAT(both, HasSubstr("suite.textproto:2:1: validation \"x\": give arm or arm_mix, not both"));
  EXPECT_THAT(LoadError("none", ""), HasSubstr("needs arm (or arm_mix)"));
  EXPECT_THAT(LoadError("unknown", R"(arm_mix { arm: "q" weight: 1 })"), HasSubstr("arm_mix: \"q\" is not an arm of"));
  EXPECT_THAT(LoadError("twice", R"(arm_mix { arm: "a" weight: 1 } arm_mix { arm: "a" weight: 2 })"),
              HasSubstr("\"a\" is listed twice"));
  EXPECT_THAT(LoadError("zero", R"(arm_mix { arm: "a" weight: 0 } arm_mix { arm: "b" weight: 1 })"),
              HasSubstr("\"a\" needs a finite weight > 0"));
  EXPECT_THAT(LoadError("ref", R"(statistic: RATIO arm_mix { arm: "a" weight: 1 })"), HasSubstr("needs reference_arm"));
  EXPECT_THAT(LoadError("self", R"(statistic: RATIO arm_mix { arm: "a" weight: 1 } reference_arm: "a")"),
              HasSubstr("the reference is the measured arm itself"));
  EXPECT_THAT(LoadError("mean", R"(arm: "a" reference_mix { arm: "b" weight: 1 })"),
              HasSubstr("ARM_MEAN takes no reference_arm or reference_mix"));
}

TEST(ValidationPairs, SuiteRefusesBadPairsWhereTheyAreWritten) {
  const std::string ok = R"(statistic: RELATIVE_CHANGE pairs { arm: "a" reference_arm: "b" weight: 1 }
                            pairs { arm: "b" reference_arm: "a" weight: 2 })";
  EXPECT_EQ(LoadError("p_ok", ok), "(loaded)");
  EXPECT_THAT(LoadError("p_both", R"(statistic: RATIO arm: "a" pairs { arm: "a" reference_arm: "b" weight: 1 })"),
              HasSubstr("suite.textproto:2:1: validation \"x\": give pairs, or arm and reference_arm (or their mixes), not both"));
  EXPECT_THAT(LoadError("p_mean", R"(pairs { arm: "a" reference_arm: "b" weight: 1 })"),
              HasSubstr("pairs compare arms: choose RELATIVE_CHANGE, RATIO or DIFFERENCE"));
  EXPECT_THAT(LoadError("p_unknown", R"(statistic: RATIO pairs { arm: "a" reference_arm: "q" weight: 1 })"),
              HasSubstr("pairs: \"q\" is not an arm of"));
  EXPECT_THAT(LoadError("p_self", R"(statistic: RATIO pairs { arm: "a" reference_arm: "a" weight: 1 })"),
              HasSubstr("pairs: \"a\" is compared with itself"));
  EXPECT_THAT(LoadError("p_twice", R"(statistic: RATIO pairs { arm: "a" reference_arm: "b" weight: 1 }
                                     pairs { arm: "a" reference_arm: "b" weight: 1 })"),
              HasSubstr("is listed twice"));
  EXPECT_THAT(LoadError("p_zero", R"(statistic: RATIO pairs { arm: "a" reference_arm: "b" weight: 0 })"),
              HasSubstr("needs a finite weight > 0"));
}

TEST(ValidationConstruct, SuiteRefusesABadConstructWhereItIsWritten) {
  const std::string two = R"(statistic: RELATIVE_CHANGE arm: "a" reference_arm: "b"
                             construct { measure: "dora.deployment_frequency_per_day" }
                             construct { measure: "dora.lead_time_for_changes_hours" lower_is_more: true })";
  EXPECT_EQ(LoadError("c_ok", two, false), "(loaded)");
  EXPECT_THAT(LoadError("c_both", two), HasSubstr("suite.textproto:2:1: validation \"x\": give measure or construct, not both"));
  EXPECT_THAT(LoadError("c_mean", R"(arm: "a" construct { measure: "value_usd" } construct { measure: "incidents" })", false),
              HasSubstr("choose RELATIVE_CHANGE or RATIO"));
  EXPECT_THAT(LoadError("c_one", R"(statistic: RATIO arm: "a" reference_arm: "b" construct { measure: "incidents" })", false),
              HasSubstr("at least two measures"));
  EXPECT_THAT(LoadError("c_twice", R"(statistic: RATIO arm: "a" reference_arm: "b"
                                     construct { measure: "incidents" } construct { measure: "incidents" })", false),
              HasSubstr("construct: \"incidents\" is listed twice"));
  EXPECT_THAT(LoadError("c_name", R"(statistic: RATIO arm: "a" reference_arm: "b"
                                    construct { measure: "incidents" } construct { measure: "no.such" })", false),
              HasSubstr("construct: "));
  // Without either, the row names no measure.
  EXPECT_THAT(LoadError("c_none", R"(arm: "a")", false), HasSubstr("measure: "));
}

TEST(ValidationCalibration, ACalibrationRowNamesAMechanismSettingAndIsCountedApart) {
  EXPECT_EQ(LoadError("k_ok", R"(arm: "a" calibrates: "help_costs.agent_code_defect_density_ratio")"), "(loaded)");
  // A calibration names a default of the model, not a setting of the situation.
  EXPECT_THAT(LoadError("k_situation", R"(arm: "a" calibrates: "run.days")"),
              HasSubstr("suite.textproto:2:1: validation \"x\": calibrates: \"run.days\" is not a mechanism setting"));
  Suite suite;
  ASSERT_TRUE(LoadSuite(WriteSuite("k_table", R"(arm: "a" calibrates: "help_costs.agent_code_size_ratio")"), &suite).ok());
  LoadedValidation independent = suite.validations[0];
  independent.spec.clear_calibrates();
  independent.spec.set_name("y");
  suite.validations.push_back(independent);
  Figure inside, outside;
  inside.n = outside.n = 2;
  inside.inside = true;
  const Tally t = Count(suite, {inside, outside});
  EXPECT_EQ(t.calibration, 1u);
  EXPECT_EQ(t.calibration_inside, 1u);
  EXPECT_EQ(t.independent, 1u);
  EXPECT_EQ(t.independent_inside, 0u);
  // A calibration row inside does not count as an independent row inside.
  const std::string table = MarkdownTable(suite, {inside, outside}, false);
  EXPECT_THAT(table, HasSubstr("| inside (calibration) |"));
  EXPECT_THAT(table, HasSubstr("Independent rows inside their published interval: 0 of 1."));
  EXPECT_THAT(table, HasSubstr("inside: 1 of 1."));
  // A row without a figure is not inside, whatever its flag says.
  inside.n = 0;
  EXPECT_EQ(Count(suite, {inside, outside}).calibration_inside, 0u);
}

TEST(ValidationCalibration, CalibratedRatesAreMechanismSettingsWhateverTheirSelector) {
  // An injection campaign's success probability and the detector's rates were each set from
  // one published result: a row may name them, a study may not set them.
  EXPECT_TRUE(IsMechanismSetting("threats.injection_campaigns[0].success_probability"));
  EXPECT_TRUE(IsMechanismSetting("threats.injection_campaigns[name=invoice-phish].success_probability"));
  EXPECT_TRUE(IsMechanismSetting("defenses.injection_detector.detection_rate"));
  EXPECT_TRUE(IsMechanismSetting("defenses.injection_detector.false_positive_rate"));
  EXPECT_TRUE(IsMechanismSetting("skills[name=code-help].turns"));
  // Release testing's half-life was set from DORA's high cluster; a train's cadence is the
  // situation.
  EXPECT_TRUE(IsMechanismSetting("deploy.release_testing_half_life_hours"));
  EXPECT_FALSE(IsMechanismSetting("deploy.release_every_days"));
  // Which goal an attack pursues and which defenses are on are the situation.
  EXPECT_FALSE(IsMechanismSetting("threats.injection_campaigns[0].goal"));
  EXPECT_FALSE(IsMechanismSetting("defenses.injection_detector.enabled"));
  EXPECT_FALSE(IsMechanismSetting("defenses.least_privilege_tools"));
  EXPECT_EQ(LoadError("k_threat", R"(arm: "a" calibrates: "threats.injection_campaigns[0].success_probability")"), "(loaded)");
  // A study that sets one, selector and all, is refused where its row is written.
  const std::string suite_path = WriteSuite("k_threat_arm", R"(arm: "a")");
  const std::filesystem::path dir = std::filesystem::path(suite_path).parent_path();
  std::ofstream(dir / "study.textproto", std::ios::app)
      << "arms { name: \"c\" set: \"threats.injection_campaigns[name=invoice-phish].success_probability=0.9\" }\n";
  Suite suite;
  const Status s = LoadSuite(suite_path, &suite);
  EXPECT_THAT(s.message(), HasSubstr("study arm \"c\" overrides threats.injection_campaigns[name=invoice-phish].success_probability, a "
                                     "mechanism setting"));
}

}  // namespace
}  // namespace clawsim::validation
