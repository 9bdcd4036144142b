#include "sim/scenario/field_path.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/proto/scenario.pb.h"

namespace clawsim::scenario {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

proto::Scenario Sample() {
  proto::Scenario s;
  s.mutable_run()->set_days(30);
  for (const char* name : {"a", "b", "c"}) s.mutable_organization()->add_teams()->set_name(name);
  for (const char* name : {"small", "frontier"}) s.add_model_tiers()->set_name(name);
  s.mutable_calendar()->add_holidays(3);
  s.mutable_permissions()->add_rules()->mutable_principal()->set_agent_profile("helper");
  return s;
}

TEST(FieldPathTest, SetsNestedScalar) {
  proto::Scenario s = Sample();
  ASSERT_TRUE(SetFieldByPath(&s, "run.days", "60").ok());
  EXPECT_EQ(s.run().days(), 60);
}

TEST(FieldPathTest, SetsIndexedRepeatedMessage) {
  proto::Scenario s = Sample();
  ASSERT_TRUE(SetFieldByPath(&s, "organization.teams[2].size", "40").ok());
  EXPECT_EQ(s.organization().teams(2).size(), 40);
  EXPECT_FALSE(s.organization().teams(1).has_size());
}

TEST(FieldPathTest, SetsKeyedRepeatedMessage) {
  proto::Scenario s = Sample();
  ASSERT_TRUE(SetFieldByPath(&s, "model_tiers[name=frontier].input_usd_per_mtok", "6").ok());
  EXPECT_DOUBLE_EQ(s.model_tiers(1).input_usd_per_mtok(), 6);
  ASSERT_TRUE(SetFieldByPath(&s, "model_tiers[name=\"small\"].error_rate", "0.5").ok());
  EXPECT_DOUBLE_EQ(s.model_tiers(0).error_rate(), 0.5);
}

TEST(FieldPathTest, KeysCanBeEnumsRenderedByName) {
  proto::Scenario s;
  s.add_roles()->set_role(proto::MANAGER);
  s.add_roles()->set_role(proto::DEVELOPER);
  ASSERT_TRUE(SetFieldByPath(&s, "roles[role=DEVELOPER].loaded_hourly_cost_usd", "123").ok());
  EXPECT_DOUBLE_EQ(s.roles(1).loaded_hourly_cost_usd(), 123);
  EXPECT_FALSE(s.roles(0).has_loaded_hourly_cost_usd());
}

TEST(FieldPathTest, SetsIndexedRepeatedScalar) {
  proto::Scenario s = Sample();
  ASSERT_TRUE(SetFieldByPath(&s, "calendar.holidays[0]", "5").ok());
  EXPECT_EQ(s.calendar().holidays(0), 5);
}

TEST(FieldPathTest, SetsEnumsByName) {
  proto::Scenario s;
  ASSERT_TRUE(SetFieldByPath(&s, "incentives.leaderboard_visibility", "MANAGERS_ONLY").ok());
  EXPECT_EQ(s.incentives().leaderboard_visibility(), proto::Incentives::MANAGERS_ONLY);
}

TEST(FieldPathTest, RejectsUnknownEnumValueListingValidOnes) {
  proto::Scenario s;
  const Status st = SetFieldByPath(&s, "incentives.leaderboard_visibility", "BOSSES");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "incentives.leaderboard_visibility: \"BOSSES\" is not a value of Visibility; valid values: "
            "PUBLIC, TEAM, MANAGERS_ONLY, SELF_ONLY, NONE");
}

TEST(FieldPathTest, SetsBoolsAndStrings) {
  proto::Scenario s;
  ASSERT_TRUE(SetFieldByPath(&s, "defenses.injection_detector.enabled", "true").ok());
  EXPECT_TRUE(s.defenses().injection_detector().enabled());
  ASSERT_TRUE(SetFieldByPath(&s, "approvals.auto_approve_on_timeout", "1").ok());
  EXPECT_TRUE(s.approvals().auto_approve_on_timeout());
  ASSERT_TRUE(SetFieldByPath(&s, "name", "\"my run\"").ok());
  EXPECT_EQ(s.name(), "my run");
  ASSERT_TRUE(SetFieldByPath(&s, "organization.domain", "corp.example").ok());
  EXPECT_EQ(s.organization().domain(), "corp.example");
  EXPECT_FALSE(SetFieldByPath(&s, "approvals.auto_approve_on_timeout", "yes").ok());
}

TEST(FieldPathTest, SettingAOneofMemberClearsTheOthers) {
  proto::Scenario s = Sample();
  ASSERT_TRUE(SetFieldByPath(&s, "permissions.rules[0].principal.team", "a").ok());
  EXPECT_EQ(s.permissions().rules(0).principal().selector_case(), proto::Principal::kTeam);
  EXPECT_FALSE(s.permissions().rules(0).principal().has_agent_profile());
}

TEST(FieldPathTest, ReportsWhereTheValueLanded) {
  proto::Scenario s = Sample();
  FieldTarget target;
  ASSERT_TRUE(SetFieldByPath(&s, "organization.teams[1].size", "4", &target).ok());
  EXPECT_EQ(target.message, &s.organization().teams(1));
  EXPECT_EQ(target.field->name(), "size");
}

TEST(FieldPathTest, UnknownFieldNamesTheSegmentAndListsValidFields) {
  proto::Scenario s = Sample();
  const Status st = SetFieldByPath(&s, "run.dayz", "3");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "run.dayz: RunSettings has no field \"dayz\"; valid fields: days, seed, start_weekday");
}

TEST(FieldPathTest, IndexOutOfRange) {
  proto::Scenario s = Sample();
  const Status st = SetFieldByPath(&s, "organization.teams[3].size", "3");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "organization.teams[3]: index 3 is out of range; teams has 3 elements");
}

TEST(FieldPathTest, KeyNotFoundListsTheKeysThatExist) {
  proto::Scenario s = Sample();
  const Status st = SetFieldByPath(&s, "model_tiers[name=mid].error_rate", "0.1");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "model_tiers[name=mid]: no element of model_tiers has name \"mid\"; have: small, frontier");
  const Status bad_key = SetFieldByPath(&s, "model_tiers[colour=red].error_rate", "0.1");
  ASSERT_FALSE(bad_key.ok());
  EXPECT_THAT(bad_key.message(), HasSubstr("\"colour\" is not a scalar field of ModelTier; valid fields: name,"));
}

TEST(FieldPathTest, SelectorsMustMatchTheFieldShape) {
  proto::Scenario s = Sample();
  EXPECT_THAT(SetFieldByPath(&s, "organization.teams.size", "3").message(),
              HasSubstr("\"teams\" is a repeated field; select an element with [index] or [field=value]"));
  EXPECT_THAT(SetFieldByPath(&s, "run[0].days", "3").message(), HasSubstr("\"run\" is not a repeated field"));
  EXPECT_THAT(SetFieldByPath(&s, "run", "3").message(),
              HasSubstr("run is a message (RunSettings); set one of its fields: days, seed, start_weekday"));
  EXPECT_THAT(SetFieldByPath(&s, "run.days.value", "3").message(),
              HasSubstr("run.days: \"days\" is a scalar; it has no field \"value\""));
}

TEST(FieldPathTest, RejectsBadValues) {
  proto::Scenario s = Sample();
  EXPECT_EQ(SetFieldByPath(&s, "run.days", "abc").message(), "run.days: \"abc\" is not a 32-bit integer");
  EXPECT_FALSE(SetFieldByPath(&s, "run.days", "7.5").ok());
  EXPECT_FALSE(SetFieldByPath(&s, "run.days", "99999999999").ok());
  EXPECT_FALSE(SetFieldByPath(&s, "run.seed", "-1").ok());
  EXPECT_FALSE(SetFieldByPath(&s, "model_tiers[0].error_rate", "nan").ok());
  EXPECT_FALSE(SetFieldByPath(&s, "model_tiers[0].error_rate", "1e400").ok());
  EXPECT_FALSE(SetFieldByPath(&s, "model_tiers[0].error_rate", "").ok());
  EXPECT_EQ(s.run().days(), 30) << "a failed set leaves the value alone";
}

TEST(FieldPathTest, RejectsMalformedPaths) {
  proto::Scenario s = Sample();
  EXPECT_FALSE(SetFieldByPath(&s, "", "1").ok());
  EXPECT_THAT(SetFieldByPath(&s, "run..days", "1").message(), HasSubstr("empty segment"));
  EXPECT_THAT(SetFieldByPath(&s, "run.", "1").message(), HasSubstr("ends with '.'"));
  EXPECT_THAT(SetFieldByPath(&s, "organization.teams[1.size", "1").message(), HasSubstr("never closed"));
  EXPECT_THAT(SetFieldByPath(&s, "organization.teams[x].size", "1").message(),
              HasSubstr("neither an index"));
  EXPECT_THAT(SetFieldByPath(&s, "organization.teams[-1].size", "1").message(), HasSubstr("neither an index"));
}

TEST(FieldPathTest, SplitAssignmentSplitsOutsideBrackets) {
  std::string_view path, value;
  ASSERT_TRUE(SplitAssignment("model_tiers[name=mid].error_rate=0.1", &path, &value));
  EXPECT_EQ(path, "model_tiers[name=mid].error_rate");
  EXPECT_EQ(value, "0.1");
  ASSERT_TRUE(SplitAssignment("name=a=b", &path, &value));
  EXPECT_EQ(value, "a=b");
  EXPECT_FALSE(SplitAssignment("run.days", &path, &value));
  EXPECT_FALSE(SplitAssignment("=3", &path, &value));
}

TEST(FieldPathTest, ApplyInterventionSetsTheScenario) {
  proto::Scenario s = Sample();
  ASSERT_TRUE(ApplyIntervention(&s, "model_tiers[name=frontier].output_usd_per_mtok", "150").ok());
  EXPECT_DOUBLE_EQ(s.model_tiers(1).output_usd_per_mtok(), 150);
  EXPECT_THAT(ApplyIntervention(&s, "nope", "1").message(), StartsWith("nope: Scenario has no field \"nope\""));
}

}  // namespace
}  // namespace clawsim::scenario
