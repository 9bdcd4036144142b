#include "sim/scenario/compile.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/scenario/field_path.h"
#include "tests/scenario/test_util.h"

namespace clawsim::scenario {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::kMinimal;
using testing::LoadText;

CompiledScenario Compiled(const std::string& text) {
  LoadedScenario s;
  const Status st = LoadText(text, &s);
  EXPECT_TRUE(st.ok()) << st.message();
  return s.compiled;
}

TEST(CompileTest, ExpandsTeamsIntoEmployeesAndAReportingGraph) {
  const CompiledScenario c = Compiled(kMinimal);
  const Organization& o = c.organization;
  ASSERT_EQ(o.teams.size(), 2u);
  ASSERT_EQ(o.employees.size(), 8u);
  // core: core-1 (manager, lead), core-2..core-5 developers; ops: ops-1 manager, 2 OTHER.
  EXPECT_EQ(o.employees[0].name, "core-1");
  EXPECT_EQ(o.employees[0].role, Role::kManager);
  EXPECT_EQ(o.employees[1].role, Role::kDeveloper);
  EXPECT_EQ(o.employees[5].name, "ops-1");
  EXPECT_EQ(o.employees[6].role, Role::kOther);
  EXPECT_EQ(o.teams[0].lead, 0u);
  EXPECT_EQ(o.teams[1].lead, 5u);
  EXPECT_EQ(o.teams[1].parent, 0u);
  EXPECT_THAT(o.teams[1].members, ElementsAre(5u, 6u, 7u));
  EXPECT_EQ(o.employees[0].manager, kNoId);  // top of the tree
  EXPECT_EQ(o.employees[3].manager, 0u);
  EXPECT_EQ(o.employees[5].manager, 0u);     // ops lead reports to the parent team's lead
  EXPECT_EQ(o.employees[7].manager, 5u);
}

TEST(CompileTest, ExplicitEmployeesTraitsAndManagers) {
  std::string text = kMinimal;
  text.replace(text.find("organization {"), 14,
               "organization {\n  employees { name: \"zoe\" role: OTHER team: \"ops\" manager: \"core-2\" skill: 0.9 }");
  const CompiledScenario c = Compiled(text);
  const Employee& zoe = c.organization.employees.back();
  EXPECT_EQ(zoe.name, "zoe");
  EXPECT_EQ(zoe.role, Role::kOther);
  EXPECT_EQ(zoe.team, 1u);
  EXPECT_EQ(zoe.manager, 1u);
  ASSERT_TRUE(zoe.traits.skill.has_value());
  EXPECT_DOUBLE_EQ(*zoe.traits.skill, 0.9);
  EXPECT_FALSE(zoe.traits.competitiveness.has_value());
}

TEST(CompileTest, ReportingLoopsAreErrors) {
  std::string text = kMinimal;
  text.replace(text.find("organization {"), 14,
               "organization {\n  teams { name: \"x\" size: 0 }\n"
               "  employees { name: \"amy\" role: MANAGER team: \"x\" manager: \"ben\" }\n"
               "  employees { name: \"ben\" team: \"x\" }");
  LoadedScenario s;
  const Status st = LoadText(text, &s);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "t.textproto:5:51: employee \"amy\": the reporting chain loops (amy -> ben -> amy); set "
                          "manager to break it");
}

TEST(CompileTest, ResolvesNamesToDenseIds) {
  const CompiledScenario c = Compiled(kMinimal);
  ASSERT_EQ(c.profiles.size(), 1u);
  EXPECT_EQ(c.profiles[0].tier, 0u);
  EXPECT_THAT(c.profiles[0].skills, ElementsAre(0u));
  EXPECT_EQ(c.profiles[0].heartbeat.skill, 0u);
  EXPECT_TRUE(c.skills[0].MayRequest(Action::kEmailSendInternal));
  EXPECT_FALSE(c.skills[0].MayRequest(Action::kDeployProd));
  EXPECT_EQ(c.profiles[0].action_mask, c.skills[0].action_mask);
  EXPECT_EQ(c.profiles[0].memory.consolidation_tier, 0u);  // defaults to the profile's tier
  ASSERT_EQ(c.deploy.services.size(), 2u);
  EXPECT_EQ(c.deploy.services[1].owner_team, 0u);
  EXPECT_THAT(c.deploy.services[1].depends_on, ElementsAre(0u));
  EXPECT_THAT(c.deploy.services[0].dependents, ElementsAre(1u));
  EXPECT_EQ(c.deploy.services[0].blast_radius, 1);
  EXPECT_EQ(c.deploy.services[1].blast_radius, 0);
}

TEST(CompileTest, ConvertsTimesToMicroseconds) {
  const CompiledScenario c = Compiled(kMinimal);
  EXPECT_EQ(c.run.end_us, 7 * engine::kUsPerDay);
  EXPECT_EQ(c.calendar.workday_start_us, 9 * engine::kUsPerHour);
  EXPECT_EQ(c.calendar.workday_end_us, 17 * engine::kUsPerHour + 30 * engine::kUsPerMinute);
  EXPECT_EQ(c.profiles[0].heartbeat.interval_us, 30 * engine::kUsPerMinute);
  EXPECT_EQ(c.email.delivery_latency_us, 60 * engine::kUsPerSecond);
  EXPECT_EQ(c.tiers[0].latency_us, 800 * engine::kUsPerMs);
}

TEST(CompileTest, FillsDocumentedDefaults) {
  const CompiledScenario c = Compiled(kMinimal);
  // Pipeline and severities default when left out.
  ASSERT_EQ(c.deploy.stages.size(), 4u);
  EXPECT_EQ(c.deploy.stages[2].stage, Stage::kCanary);
  EXPECT_EQ(c.deploy.stages[2].duration_us, 30 * engine::kUsPerMinute);
  ASSERT_EQ(c.deploy.incidents.severities.size(), 3u);
  // A generated TEAM channel per team.
  ASSERT_EQ(c.chat.channels.size(), 2u);
  EXPECT_EQ(c.chat.channels[1].name, "team-ops");
  EXPECT_EQ(c.chat.team_channel[1], 1u);
  // Trait distributions default to beta(2, 2) / beta(4, 2) on [0, 1].
  EXPECT_EQ(c.organization.traits.skill.kind, Distribution::Kind::kBeta);
  EXPECT_DOUBLE_EQ(c.organization.traits.skill.alpha, 4);
  EXPECT_DOUBLE_EQ(c.organization.traits.skill.max, 1);
  // Weekends are off: day 5 is a Saturday when day 0 is a Monday.
  EXPECT_TRUE(c.calendar.IsWorkingDay(4, c.run.start_weekday));
  EXPECT_FALSE(c.calendar.IsWorkingDay(5, c.run.start_weekday));
}

TEST(CompileTest, PartialDistributionsKeepTheirDefaultsForTheRest) {
  std::string text = kMinimal;
  text.replace(text.find("organization {"), 14, "organization {\n  traits { skill { alpha: 3 } }");
  const CompiledScenario c = Compiled(text);
  EXPECT_EQ(c.organization.traits.skill.kind, Distribution::Kind::kBeta);
  EXPECT_DOUBLE_EQ(c.organization.traits.skill.alpha, 3);
  EXPECT_DOUBLE_EQ(c.organization.traits.skill.beta, 2);
}

TEST(CompileTest, InterventionsAreSortedByTimeThenFileOrder) {
  const CompiledScenario c = Compiled(kMinimal +
                                      "interventions { day: 3 set_path: \"run.seed\" value: \"3\" }\n"
                                      "interventions { at_hours: 12 set_path: \"run.seed\" value: \"1\" }\n"
                                      "interventions { day: 3 set_path: \"run.seed\" value: \"4\" note: \"tie\" }\n"
                                      "interventions { day: 1 hour: 6.5 set_path: \"run.seed\" value: \"2\" }\n");
  ASSERT_EQ(c.interventions.size(), 4u);
  EXPECT_EQ(c.interventions[0].at_us, 12 * engine::kUsPerHour);
  EXPECT_EQ(c.interventions[1].at_us, engine::kUsPerDay + 6 * engine::kUsPerHour + 30 * engine::kUsPerMinute);
  EXPECT_EQ(c.interventions[2].value, "3");
  EXPECT_EQ(c.interventions[3].value, "4");
  EXPECT_EQ(c.interventions[3].note, "tie");
}

TEST(CompileTest, ApplyingAnInterventionAndRecompilingChangesTheSetting) {
  LoadedScenario s;
  ASSERT_TRUE(LoadText(kMinimal +
                           "interventions { day: 2 set_path: \"model_tiers[name=frontier].input_usd_per_mtok\" "
                           "value: \"30\" }\n",
                       &s)
                  .ok());
  const Intervention& iv = s.compiled.interventions.at(0);
  EXPECT_DOUBLE_EQ(s.compiled.tiers[1].input_usd_per_mtok, 15);
  ASSERT_TRUE(ApplyIntervention(&s.scenario, iv.path, iv.value).ok());
  CompiledScenario after;
  const Status st = CompileScenario(s.scenario, &after);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_DOUBLE_EQ(after.tiers[1].input_usd_per_mtok, 30);
  EXPECT_EQ(after.organization.employees.size(), s.compiled.organization.employees.size());
}

TEST(CompileTest, PricesFreezesAndFatigue) {
  ModelTier t;
  t.input_usd_per_mtok = 3;
  t.output_usd_per_mtok = 15;
  t.cached_input_usd_per_mtok = 0.3;
  t.cache_hit_fraction = 0.5;
  // 1M input, half cached: 0.5 * 3 + 0.5 * 0.3; plus 0.1M output at 15.
  EXPECT_DOUBLE_EQ(t.CostUsd(1000000, 100000), 1.5 + 0.15 + 1.5);
  t.latency_us = 1000;
  t.output_tokens_per_second = 100;
  EXPECT_EQ(t.CallDurationUs(50), 1000 + 500 * engine::kUsPerMs);

  FreezeWindow f;
  f.start_us = 4 * engine::kUsPerDay + 16 * engine::kUsPerHour;
  f.duration_us = 64 * engine::kUsPerHour;
  f.repeat_us = 7 * engine::kUsPerDay;
  EXPECT_FALSE(f.Contains(4 * engine::kUsPerDay));
  EXPECT_TRUE(f.Contains(5 * engine::kUsPerDay));
  EXPECT_FALSE(f.Contains(7 * engine::kUsPerDay + 8 * engine::kUsPerHour));
  EXPECT_TRUE(f.Contains(12 * engine::kUsPerDay));
}

TEST(CompileTest, NamesOfEnums) {
  EXPECT_EQ(ActionName(Action::kEmailSendExternal), "email.send_external");
  EXPECT_EQ(ActionName(Action::kDeployRollback), "deploy.rollback");
  EXPECT_EQ(RoleName(Role::kOther), "other");
  EXPECT_EQ(PurposeName(Purpose::kPerformative), "performative");
}

}  // namespace
}  // namespace clawsim::scenario
