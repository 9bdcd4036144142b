// Every shipped scenario loads, validates and compiles, and has the documented header.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/scenario/compile.h"
#include "sim/scenario/field_path.h"
#include "sim/scenario/load.h"

namespace clawsim::scenario {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const fs::path kScenarios = fs::path(CLAWSIM_SOURCE_DIR) / "scenarios";

std::vector<fs::path> ShippedScenarios() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(kScenarios)) {
    // study_*.textproto are studies (sim/proto/study.proto), checked by tests/study.
    if (entry.path().filename().string().rfind("study_", 0) == 0) continue;
    // detectors*.textproto are detector files (sim/proto/detectors.proto), checked by tests/telemetry.
    if (entry.path().filename().string().rfind("detectors", 0) == 0) continue;
    if (entry.path().extension() == ".textproto") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

LoadedScenario Load(const std::string& name, const std::vector<std::string>& overrides = {}) {
  LoadedScenario s;
  const Status st = LoadScenario((kScenarios / name).string(), overrides, &s);
  EXPECT_TRUE(st.ok()) << st.message();
  return s;
}

TEST(ShippedScenariosTest, EveryScenarioLoadsAndHasAHeader) {
  const auto files = ShippedScenarios();
  ASSERT_GE(files.size(), 2u);
  for (const fs::path& path : files) {
    SCOPED_TRACE(path.string());
    LoadedScenario s;
    const Status st = LoadScenario(path.string(), {}, &s);
    EXPECT_TRUE(st.ok()) << st.message();
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_THAT(text.str(), StartsWith("# "));
    EXPECT_THAT(text.str(), HasSubstr("# Question: "));
    EXPECT_THAT(text.str(), HasSubstr("clawsim run scenarios/" + path.filename().string()));
  }
}

TEST(ShippedScenariosTest, BaselineIsAThousandPersonMonth) {
  const LoadedScenario s = Load("baseline.textproto");
  const CompiledScenario& c = s.compiled;
  EXPECT_EQ(c.run.days, 30);
  EXPECT_GE(c.organization.employees.size(), 950u);
  EXPECT_LE(c.organization.employees.size(), 1050u);
  EXPECT_GE(c.organization.teams.size(), 30u);
  EXPECT_GE(c.deploy.services.size(), 40u);
  EXPECT_LE(c.deploy.services.size(), 80u);
  EXPECT_EQ(c.tiers.size(), 3u);
  EXPECT_GE(c.profiles.size(), 3u);
  // Every role has work and a cost; developers write code.
  for (const RoleProfile& r : c.roles) {
    EXPECT_GT(r.emails.per_day, 0);
    EXPECT_GT(r.loaded_hourly_cost_usd, 0);
  }
  EXPECT_GT(c.role(Role::kDeveloper).code.changes.per_day, 0);
  // Someone is at the top of the reporting graph, everyone else has a manager.
  int roots = 0;
  for (const Employee& e : c.organization.employees) roots += e.manager == kNoId;
  EXPECT_EQ(roots, 1);
  // Some service has a blast radius worth limiting.
  int widest = 0;
  for (const Service& sv : c.deploy.services) widest = std::max(widest, sv.blast_radius);
  EXPECT_GT(widest, 10);
}

TEST(ShippedScenariosTest, BaselineAcceptsStudyStyleOverrides) {
  const LoadedScenario s = Load("baseline.textproto", {"incentives.leaderboard_visibility=MANAGERS_ONLY",
                                                       "model_tiers[name=mid].input_usd_per_mtok=6",
                                                       "threats.injection_campaigns[0].emails_per_day=50",
                                                       "run.days=10"});
  EXPECT_EQ(s.compiled.incentives.leaderboard_visibility, Visibility::kManagersOnly);
  EXPECT_DOUBLE_EQ(s.compiled.tiers[1].input_usd_per_mtok, 6);
  EXPECT_DOUBLE_EQ(s.compiled.threats.injection_campaigns[0].emails_per_day, 50);
  EXPECT_EQ(s.compiled.threats.injection_campaigns[0].end_us, 10 * engine::kUsPerDay);
}

TEST(ShippedScenariosTest, SmallScenarioInterventionsApplyInOrder) {
  LoadedScenario s = Load("small.textproto");
  const CompiledScenario& c = s.compiled;
  EXPECT_EQ(c.run.days, 7);
  EXPECT_GE(c.organization.employees.size(), 40u);
  EXPECT_LE(c.organization.employees.size(), 60u);
  ASSERT_EQ(c.interventions.size(), 4u);
  for (size_t i = 1; i < c.interventions.size(); ++i) {
    EXPECT_LE(c.interventions[i - 1].at_us, c.interventions[i].at_us);
  }
  EXPECT_EQ(c.interventions[0].at_us, 3 * engine::kUsPerDay);
  EXPECT_EQ(c.interventions[1].at_us, 4 * engine::kUsPerDay + 9 * engine::kUsPerHour);  // at_hours: 105
  for (const Intervention& iv : c.interventions) {
    ASSERT_TRUE(ApplyIntervention(&s.scenario, iv.path, iv.value).ok()) << iv.path;
  }
  CompiledScenario after;
  const Status st = CompileScenario(s.scenario, &after);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(after.incentives.leaderboard_visibility, Visibility::kManagersOnly);
  EXPECT_DOUBLE_EQ(after.tiers[1].input_usd_per_mtok, 2 * c.tiers[1].input_usd_per_mtok);
  EXPECT_DOUBLE_EQ(after.tiers[1].output_usd_per_mtok, 2 * c.tiers[1].output_usd_per_mtok);
  EXPECT_DOUBLE_EQ(after.threats.injection_campaigns[0].emails_per_day, 15);
}

}  // namespace
}  // namespace clawsim::scenario

namespace clawsim::scenario {
namespace {

// The worked example in scenarios/README.md must stay a valid scenario, and the error
// message the README quotes must be the one a typo produces.
TEST(ShippedScenariosTest, ReadmeWorkedExampleLoads) {
  std::ifstream in(kScenarios / "README.md");
  std::stringstream readme;
  readme << in.rdbuf();
  const std::string text = readme.str();
  const size_t start = text.find("```textproto\n");
  ASSERT_NE(start, std::string::npos);
  const size_t body = start + std::string("```textproto\n").size();
  const std::string example = text.substr(body, text.find("```", body) - body);
  LoadedScenario s;
  const Status st = LoadScenarioFromText(example, "scenarios/heartbeat.textproto", {}, &s);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(s.compiled.organization.employees.size(), 12u);
  ASSERT_EQ(s.compiled.interventions.size(), 1u);

  std::string typo = example;
  typo.replace(typo.find("model_tier: \"mid\""), 17, "model_tier: \"mdi\"");
  const Status bad = LoadScenarioFromText(typo, "scenarios/heartbeat.textproto", {}, &s);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(text, HasSubstr(bad.message()));
}

}  // namespace
}  // namespace clawsim::scenario
