// Study files: grids expand into named arms, seeds are common to arms, every mistake is
// reported with file:line:col and, for overrides, the arm and the path.
#include "sim/study/study_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "sim/model/runner.h"
#include "sim/study/measures.h"
#include "sim/study/plan.h"

namespace clawsim::study {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// A study file placed (virtually) next to the shipped scenarios, so that base_scenario
// "small.textproto" resolves to the real file.
const std::string kPath = std::string(CLAWSIM_SOURCE_DIR) + "/scenarios/test_study.textproto";

Status Load(const std::string& text, StudySpec* spec) { return LoadStudyFromText(text, kPath, spec); }

std::string LoadError(const std::string& text) {
  StudySpec spec;
  Status s = Load(text, &spec);
  EXPECT_FALSE(s.ok()) << "expected an error for:\n" << text;
  return s.message();
}

TEST(StudyFile, ListedArmsAndGridsExpand) {
  StudySpec spec;
  Status s = Load(R"(
    base_scenario: "small.textproto"
    replications: 3
    set: "run.days=2"
    arms { name: "today" }
    grids {
      prefix: "g"
      axes { name: "ext" path: "permissions.rules[name=agents-send-ext].mode" values: ["DENY", "ASK"] }
      axes { name: "price" levels { label: "x1" } levels { label: "x2" set: "model_tiers[name=mid].input_usd_per_mtok=6" } }
    }
    baseline: "today"
  )", &spec);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(spec.arms.size(), 5u);
  EXPECT_EQ(spec.name, "test_study");
  EXPECT_EQ(spec.arms[0].name, "today");
  EXPECT_EQ(spec.arms[1].name, "g/ext=DENY,price=x1");
  EXPECT_EQ(spec.arms[2].name, "g/ext=DENY,price=x2");
  EXPECT_EQ(spec.arms[3].name, "g/ext=ASK,price=x1");
  EXPECT_EQ(spec.arms[4].name, "g/ext=ASK,price=x2");
  EXPECT_EQ(spec.arms[2].overrides,
            (std::vector<std::string>{"run.days=2", "permissions.rules[name=agents-send-ext].mode=DENY",
                                      "model_tiers[name=mid].input_usd_per_mtok=6"}));
  EXPECT_EQ(spec.baseline, 0);
  EXPECT_EQ(spec.arms[2].loaded.compiled.run.days, 2);
  // Different scenarios hash differently; the hash is 16 hex digits.
  std::set<std::string> hashes;
  for (const Arm& a : spec.arms) hashes.insert(a.scenario_hash);
  EXPECT_EQ(hashes.size(), 5u);
  EXPECT_EQ(spec.arms[0].scenario_hash.size(), 16u);
  EXPECT_TRUE(spec.warnings.empty());
  // Default Pareto objectives and elasticity measures.
  ASSERT_EQ(spec.pareto.size(), 3u);
  EXPECT_EQ(spec.pareto[1].measure, "value_usd");
  EXPECT_TRUE(spec.pareto[1].maximize);
  EXPECT_EQ(spec.elasticity_token, "tokens.total_tokens");
}

TEST(StudyFile, SeedsAreCommonToArmsAndDistinctAcrossReplications) {
  std::set<uint64_t> seeds;
  for (uint32_t r = 0; r < 100; ++r) {
    const uint64_t s = ReplicationSeed(42, r);
    EXPECT_LT(s, uint64_t{1} << 63);
    seeds.insert(s);
  }
  EXPECT_EQ(seeds.size(), 100u);
  EXPECT_EQ(ReplicationSeed(42, 7), ReplicationSeed(42, 7));
  EXPECT_NE(ReplicationSeed(42, 7), ReplicationSeed(43, 7));
}

TEST(StudyFile, ArmsThatRunTheSameScenarioAreWarnedAbout) {
  StudySpec spec;
  // small.textproto already allows agents' external mail.
  Status s = Load("base_scenario: \"small.textproto\"\narms { name: \"today\" }\n"
                  "arms { name: \"allow\" set: \"permissions.rules[name=agents-send-ext].mode=ALLOW\" }\n", &spec);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(spec.warnings.size(), 1u);
  EXPECT_THAT(spec.warnings[0], StartsWith(kPath + ":3:1: arm \"allow\" runs the same scenario as arm \"today\""));
  EXPECT_EQ(spec.arms[0].scenario_hash, spec.arms[1].scenario_hash);
}

TEST(StudyFile, SyntaxErrorIsLocated) {
  const std::string m = LoadError("base_scenario: \"small.textproto\"\narms { name: \"a\" \n  set: [ }\n");
  EXPECT_THAT(m, StartsWith(kPath + ":3:"));
}

TEST(StudyFile, UnknownFieldIsLocated) {
  const std::string m = LoadError("base_scenario: \"small.textproto\"\n  armz { name: \"a\" }\n");
  EXPECT_THAT(m, StartsWith(kPath + ":2:"));  // the parser points at the end of the name
  EXPECT_THAT(m, HasSubstr("armz"));
}

TEST(StudyFile, BadOverridePathNamesArmPathAndPlace) {
  const std::string m = LoadError(
      "base_scenario: \"small.textproto\"\n"
      "arms { name: \"ok\" }\n"
      "arms {\n"
      "  name: \"broken\"\n"
      "  set: \"run.days=3\"\n"
      "  set: \"permissions.rules[name=nope].mode=DENY\"\n"
      "}\n");
  EXPECT_THAT(m, StartsWith(kPath + ":6:3: arm \"broken\": override \"permissions.rules[name=nope].mode=DENY\": "));
  EXPECT_THAT(m, HasSubstr("nope"));
}

TEST(StudyFile, BadOverrideValueNamesArmAndPath) {
  const std::string m = LoadError(
      "base_scenario: \"small.textproto\"\n"
      "arms { name: \"x\" set: \"permissions.rules[name=agents-send-ext].mode=SOMETIMES\" }\n");
  EXPECT_THAT(m, StartsWith(kPath + ":2:18: arm \"x\": override \"permissions.rules[name=agents-send-ext].mode=SOMETIMES\": "));
  EXPECT_THAT(m, HasSubstr("SOMETIMES"));
}

TEST(StudyFile, OverrideThatMakesTheScenarioInvalidNamesTheArm) {
  const std::string m = LoadError(
      "base_scenario: \"small.textproto\"\n"
      "arms { name: \"zero-days\" set: \"run.days=0\" }\n");
  EXPECT_THAT(m, StartsWith(kPath + ":2:1: arm \"zero-days\": "));
  EXPECT_THAT(m, HasSubstr("--set run.days=0"));
}

TEST(StudyFile, OverrideOfADocumentationOnlySettingIsRefused) {
  const std::string m = LoadError(
      "base_scenario: \"small.textproto\"\n"
      "arms { name: \"today\" }\n"
      "arms { name: \"renamed\" set: \"model_tiers[0].provider=Elsewhere\" }\n");
  EXPECT_THAT(m, StartsWith(kPath + ":3:24: arm \"renamed\": override \"model_tiers[0].provider=Elsewhere\": "
                                    "model_tiers[0].provider is documentation only"));
}

TEST(StudyFile, GridValueIsLocatedAtTheValue) {
  const std::string m = LoadError(
      "base_scenario: \"small.textproto\"\n"
      "grids { axes { name: \"m\" path: \"permissions.rules[name=agents-send-ext].mode\"\n"
      "               values: [\"ASK\", \"MAYBE\"] } }\n");
  // A list records one location, its field's.
  EXPECT_THAT(m, StartsWith(kPath + ":3:16: arm \"m=MAYBE\": override \"permissions.rules[name=agents-send-ext].mode=MAYBE\": "));
}

TEST(StudyFile, StudyWideProblemsAreLocated) {
  EXPECT_THAT(LoadError("base_scenario: \"small.textproto\"\narms { name: \"a\" }\narms { name: \"a\" }\n"),
              StartsWith(kPath + ":3:1: arm \"a\" is defined twice"));
  EXPECT_THAT(LoadError("base_scenario: \"small.textproto\"\narms { name: \"a b\" }\n"),
              StartsWith(kPath + ":2:1: arm name \"a b\""));
  EXPECT_THAT(LoadError("base_scenario: \"small.textproto\"\narms { name: \"a\" }\nbaseline: \"b\"\n"),
              StartsWith(kPath + ":3:1: baseline \"b\" is not an arm (arms: a)"));
  EXPECT_THAT(LoadError("base_scenario: \"small.textproto\"\narms { name: \"a\" }\nmeasures: [\"value_usd\", \"tokens.cost\"]\n"),
              StartsWith(kPath + ":3:1: measure \"tokens.cost\": tokens has no measure \"cost\"; valid: "));
  EXPECT_THAT(LoadError("base_scenario: \"small.textproto\"\narms { name: \"a\" }\nreplications: 0\n"),
              StartsWith(kPath + ":3:1: replications must be at least 1"));
  EXPECT_THAT(LoadError("base_scenario: \"nowhere.textproto\"\narms { name: \"a\" }\n"),
              StartsWith(kPath + ":1:1: base_scenario \"nowhere.textproto\": cannot open"));
  EXPECT_THAT(LoadError("arms { name: \"a\" }\n"), HasSubstr("base_scenario is missing"));
  EXPECT_THAT(LoadError("base_scenario: \"small.textproto\"\n"), HasSubstr("the study has no arms"));
  EXPECT_THAT(LoadError("base_scenario: \"small.textproto\"\narms { name: \"a\" }\n"
                        "pareto { measure: \"value_usd\" direction: MAXIMIZE }\n"),
              HasSubstr("at least two objectives"));
  EXPECT_THAT(LoadError("base_scenario: \"small.textproto\"\n"
                        "grids { axes { path: \"run.days\" levels { label: \"x\" } } }\n"),
              StartsWith(kPath + ":2:9: a grid axis has either `path` and `values` or `levels`, not both"));
}

TEST(StudyFile, CounterfactualNeedsTheCounterfactualRunner) {
  StudySpec spec;
  Status s = Load("base_scenario: \"small.textproto\"\narms { name: \"a\" }\ncounterfactual: true\n", &spec);
  if (CounterfactualSupported()) {
    EXPECT_TRUE(s.ok()) << s.message();
    EXPECT_TRUE(spec.counterfactual);
  } else {
    ASSERT_FALSE(s.ok());
    EXPECT_THAT(s.message(), StartsWith(kPath + ":3:1: counterfactual: true needs the model's counterfactual runner"));
  }
}

struct WithTwin {
  bool counterfactual = false;
};
struct WithoutTwin {
  int seed = 0;
};
static_assert(HasCounterfactualOption<WithTwin>);
static_assert(!HasCounterfactualOption<WithoutTwin>);

TEST(StudyFile, ShippedStudiesLoad) {
  // Every shipped study (scenarios/study_*.textproto) loads, each arm compiled against its
  // base scenario, so a study the README tells people to run cannot rot unnoticed.
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(CLAWSIM_SOURCE_DIR) + "/scenarios")) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("study_") && name.ends_with(".textproto")) names.push_back(name);
  }
  EXPECT_GE(names.size(), 10u);
  for (const std::string& name : names) {
    StudySpec spec;
    Status s = LoadStudy(std::string(CLAWSIM_SOURCE_DIR) + "/scenarios/" + name, &spec);
    EXPECT_TRUE(s.ok()) << name << ": " << s.message();
    EXPECT_GE(spec.arms.size(), 2u) << name;
    EXPECT_GE(spec.baseline, 0) << name;
  }
}

TEST(Measures, NamesFollowTheSummarySchema) {
  model::RunSummary summary;
  summary.seed = 99;
  summary.tokens.input_tokens = 10;
  summary.tokens.output_tokens = 5;
  summary.tokens.cost_usd = 1.25;
  summary.dora.change_failure_rate = 0.125;
  model::TokenTally frontier;
  frontier.cost_usd = 0.75;
  summary.tokens_by_tier.push_back({"frontier", frontier});
  const Measures m = SummaryMeasures(summary);
  auto value = [&](const std::string& name) {
    for (size_t i = 0; i < m.names.size(); ++i) {
      if (m.names[i] == name) return m.values[i];
    }
    ADD_FAILURE() << "no measure " << name;
    return 0.0;
  };
  EXPECT_EQ(value("tokens.cost_usd"), 1.25);
  EXPECT_EQ(value("tokens.total_tokens"), 15);
  EXPECT_EQ(value("dora.change_failure_rate"), 0.125);
  EXPECT_EQ(value("tokens_by_tier.frontier.tokens.cost_usd"), 0.75);
  for (const std::string& n : m.names) {
    EXPECT_NE(n, "seed");
    EXPECT_NE(n, "fingerprint");
    EXPECT_EQ(n.find("tokens_by_tier.frontier.name"), std::string::npos);
    EXPECT_TRUE(CheckSummaryMeasureName(n).ok()) << n;
  }
  // An absent section has no measures; a present one has all of its fields.
  for (const std::string& n : m.names) EXPECT_NE(n.rfind("counterfactual.", 0), 0u) << n;
  summary.counterfactual.present = true;
  summary.counterfactual.roi = 2.5;
  summary.counterfactual.no_agent_fingerprint = 123;
  const Measures with_twin = SummaryMeasures(summary);
  bool roi = false;
  for (size_t i = 0; i < with_twin.names.size(); ++i) {
    if (with_twin.names[i] == "counterfactual.roi") roi = with_twin.values[i] == 2.5;
    EXPECT_NE(with_twin.names[i], "counterfactual.no_agent_fingerprint");  // a hash, not a measure
  }
  EXPECT_TRUE(roi);
  EXPECT_FALSE(CheckSummaryMeasureName("seed").ok());
  EXPECT_FALSE(CheckSummaryMeasureName("tokens").ok());
  EXPECT_FALSE(CheckSummaryMeasureName("tokens_by_tier.frontier").ok());
  EXPECT_TRUE(CheckSummaryMeasureName("tokens_by_tier.anything.tokens.invocations").ok());
}

}  // namespace
}  // namespace clawsim::study
