// Semantic validation: references, uniqueness, graphs, interventions. Each test appends to
// the minimal scenario, so problems sit on known lines.
#include "sim/scenario/validate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/scenario/compile.h"
#include "tests/scenario/test_util.h"

namespace clawsim::scenario {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::kMinimal;
using testing::Errors;
using testing::Line;
using testing::LoadText;

TEST(ValidateTest, DanglingReferencesOfEveryKind) {
  const std::string text =
      "agent_assignments { profile: \"nobody\" team: \"ghosts\" }\n"                          // +1
      "chat { channels { name: \"x\" kind: PROJECT teams: [\"core\", \"nope\"] } }\n"           // +2
      "threats { malicious_skills { skill: \"evil\" } }\n"                                      // +3
      "permissions { rules { principal { agent_owner: \"zed\" } action: CHAT_POST } }\n";        // +4
  const std::string errors = Errors(text);
  EXPECT_THAT(errors, HasSubstr(Line(1) + "21: agent assignment #1 uses agent profile \"nobody\", which is not "
                                           "defined; add it under agent_profiles {}"));
  EXPECT_THAT(errors, HasSubstr(Line(1) + "39: agent assignment #1 uses team \"ghosts\""));
  EXPECT_THAT(errors, HasSubstr(Line(2) + "43: channel \"x\" uses team \"nope\", which is not defined; add it under "
                                           "organization.teams {}"));
  EXPECT_THAT(errors, HasSubstr(Line(3) + "30: malicious skill entry uses skill \"evil\""));
  EXPECT_THAT(errors, HasSubstr(Line(4) + "35: permission rule #1 uses employee \"zed\""));
}

TEST(ValidateTest, ServiceReferencesAndCycles) {
  const std::string errors = Errors(
      "deploy { services { name: \"x\" owner_team: \"nobody\" depends_on: [\"y\", \"missing\"] }\n"  // +1
      "         services { name: \"y\" owner_team: \"core\" depends_on: [\"x\"] } }\n");                // +2
  // `deploy` appears twice in the file: the text-format parser rejects that before validation.
  EXPECT_THAT(errors, HasSubstr("Non-repeated field \"deploy\" is specified multiple times"));

  std::string text = kMinimal;
  text.replace(text.find("deploy {"), std::string("deploy {").size(),
               "deploy {\n  services { name: \"x\" owner_team: \"nobody\" depends_on: [\"y\", \"missing\"] }\n"
               "  services { name: \"y\" owner_team: \"core\" depends_on: [\"x\"] }");
  LoadedScenario s;
  const Status st = LoadText(text, &s);
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr("t.textproto:12:24: service \"x\" uses team \"nobody\""));
  EXPECT_THAT(st.message(), HasSubstr("t.textproto:12:45: service \"x\" uses service \"missing\""));
  EXPECT_THAT(st.message(), HasSubstr("depends on \"x\", which (transitively) depends on it"));
}

TEST(ValidateTest, DuplicateNamesAreReportedAtTheSecondDefinition) {
  const std::string errors = Errors("model_tiers { name: \"small\" }\n");
  EXPECT_EQ(errors, Line(1) + "15: model tier \"small\" is defined twice (also #1 in model_tiers); names must be unique");
}

TEST(ValidateTest, TeamParentCycle) {
  std::string text = kMinimal;
  text.replace(text.find("managers: 1 }"), 13, "managers: 1 parent: \"ops\" }");
  LoadedScenario s;
  const Status st = LoadText(text, &s);
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr("t.textproto:4:44: team \"core\": following parent teams leads back to it"));
}

TEST(ValidateTest, SkillsUsedByAProfileMustBeInstalled) {
  const std::string errors = Errors(
      "skills { name: \"brief\" kind: DAILY_BRIEFING }\n"
      "agent_profiles { name: \"p\" model_tier: \"small\" cron { name: \"am\" skill: \"brief\" } }\n");
  EXPECT_THAT(errors, HasSubstr(Line(2) + "66: agent profile \"p\" cron job \"am\" runs skill \"brief\", which the "
                                           "profile does not install; add skills: \"brief\""));
}

TEST(ValidateTest, HumanRulesCannotSelectAgents) {
  const std::string errors =
      Errors("permissions { rules { principal { subject: HUMANS agent_profile: \"helper\" } } }\n");
  EXPECT_THAT(errors, HasSubstr("a rule for HUMANS cannot select agents"));
}

TEST(ValidateTest, SeverityProbabilitiesMustSumToOne) {
  std::string text = kMinimal;
  text.replace(text.find("deploy {"), 8,
               "deploy {\n  incidents { severities { severity: SEV1 probability: 0.5 }"
               " severities { severity: SEV2 probability: 0.2 } }");
  LoadedScenario s;
  const Status st = LoadText(text, &s);
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr("severity probabilities sum to 0.7; they must sum to 1"));
}

TEST(ValidateTest, ExplicitEmployeesMustNotClashWithGeneratedNames) {
  const std::string errors =
      Errors("organization { employees { name: \"core-2\" team: \"core\" } }\n");
  // A second `organization` block is a parse error; check via the replace route instead.
  EXPECT_THAT(errors, HasSubstr("specified multiple times"));
  std::string text = kMinimal;
  text.replace(text.find("organization {"), 14, "organization {\n  employees { name: \"core-2\" team: \"core\" }");
  LoadedScenario s;
  const Status st = LoadText(text, &s);
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), StartsWith("t.textproto:4:15: employee \"core-2\" clashes with a generated member"));
}

TEST(ValidateTest, InterventionWithABadPathIsLocated) {
  const std::string errors = Errors("interventions { day: 2 set_path: \"incentives.visibility\" value: \"NONE\" }\n");
  EXPECT_EQ(errors, Line(1) + "24: intervention #1 (incentives.visibility = \"NONE\"): incentives.visibility: "
                              "Incentives has no field \"visibility\"; valid fields: metric, leaderboard_visibility, "
                              "leaderboard_period_days, adoption_target_fraction, active_user_min_tokens_per_week, "
                              "managers_act_on_it, manager_pressure, performative_base_per_week, "
                              "performative_competitiveness_weight, performative_pressure_weight, "
                              "max_performative_automations, performative_automations, performative_drop_per_week, "
                              "visibility_weights, token_budget_per_week, budget_action, ratios_from_day");
}

TEST(ValidateTest, InterventionWithABadValueIsLocated) {
  const std::string errors =
      Errors("interventions { day: 2 set_path: \"incentives.leaderboard_visibility\" value: \"BOSSES\" }\n");
  EXPECT_THAT(errors, StartsWith(Line(1) + "24: intervention #1"));
  EXPECT_THAT(errors, HasSubstr("\"BOSSES\" is not a value of Visibility"));
}

TEST(ValidateTest, InterventionThatBreaksTheScenarioIsLocatedAtItsValue) {
  const std::string errors =
      Errors("interventions { day: 2 set_path: \"model_tiers[name=small].error_rate\" value: \"2\" }\n");
  EXPECT_EQ(errors, Line(1) + "71: intervention #1 (model_tiers[name=small].error_rate = \"2\") makes the scenario "
                              "invalid: model tier \"small\": error_rate is 2; it must be in [0, 1]");
}

TEST(ValidateTest, InterventionTimeFields) {
  const std::string errors =
      Errors("interventions { day: 1 at_hours: 30 set_path: \"run.seed\" value: \"2\" }\n"
             "interventions { day: -1 hour: 24 set_path: \"run.seed\" value: \"2\" }\n"
             "interventions { value: \"2\" }\n");
  EXPECT_THAT(errors, HasSubstr(Line(1) + "24: intervention #1: give either at_hours or day/hour, not both"));
  EXPECT_THAT(errors, HasSubstr(Line(2) + "17: intervention #2: day is -1; it must be >= 0"));
  EXPECT_THAT(errors, HasSubstr(Line(2) + "25: intervention #2: hour is 24; it must be in [0, 24)"));
  EXPECT_THAT(errors, HasSubstr(Line(3) + "1: intervention #3 has no set_path"));
}

// A calibration band must name a measure a run summary has, located at the measure.
TEST(ValidateTest, CalibrationBandWithAnUnknownMeasureIsLocated) {
  const std::string errors =
      Errors("calibration { name: \"cfr\" measure: \"dora.change_failure_rate\" low: 0.02 high: 0.2 }\n"
             "calibration { name: \"x\" measure: \"dora.nope\" low: 0 high: 1 }\n"
             "calibration { measure: \"incidents\" low: 2 high: 1 }\n");
  EXPECT_THAT(errors, ::testing::Not(HasSubstr("\"cfr\"")));
  EXPECT_THAT(errors, HasSubstr(Line(2) + "25: calibration band #2 (\"x\"): measure \"dora.nope\": dora has no "
                                          "measure \"nope\"; valid: deployment_frequency_per_day"));
  EXPECT_THAT(errors, HasSubstr(Line(3) + "1: calibration band #3 has no name"));
  EXPECT_THAT(errors, HasSubstr(Line(3) + "43: calibration band #3: the band runs from 2 to 1; low must not exceed high"));
}

TEST(ValidateTest, BreakerGroupsNeedScopeGroupAndNames) {
  const std::string errors = Errors(
      "defenses { circuit_breakers { name: \"a\" scope: GROUP }\n"                                    // +1
      "           circuit_breakers { name: \"b\" group_teams: [\"core\"] }\n"                        // +2
      "           circuit_breakers { name: \"c\" scope: GROUP group_teams: [\"core\", \"nope\"] }\n"  // +3
      "           circuit_breakers { name: \"d\" scope: GROUP group_agent_profiles: [\"bot\"] } }\n");  // +4
  EXPECT_THAT(errors, HasSubstr(Line(1) + "41: circuit breaker \"a\": scope GROUP needs group_teams or "
                                          "group_agent_profiles"));
  EXPECT_THAT(errors, HasSubstr(Line(2) + "41: circuit breaker \"b\": a named group acts only with scope: GROUP"));
  EXPECT_THAT(errors, HasSubstr(Line(3) + "54: circuit breaker \"c\" uses team \"nope\""));
  EXPECT_THAT(errors, HasSubstr(Line(4) + "54: circuit breaker \"d\" uses agent profile \"bot\""));
}

TEST(ValidateTest, CompileScenarioValidatesWithoutLocations) {
  LoadedScenario s;
  ASSERT_TRUE(LoadText(kMinimal, &s).ok());
  s.scenario.mutable_model_tiers(0)->set_error_rate(-1);
  CompiledScenario c;
  const Status st = CompileScenario(s.scenario, &c);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "model tier \"small\": error_rate is -1; it must be in [0, 1]");
}

}  // namespace
}  // namespace clawsim::scenario
