#include "sim/scenario/load.h"

#include "sim/scenario/end_marker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/scenario/test_util.h"

namespace clawsim::scenario {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::kMinimal;
using testing::LoadText;

// "t.textproto:LINE:COL: " where COL is the 1-based column of `token` in `line_text`.
std::string At(int line, const std::string& line_text, const std::string& token) {
  return "t.textproto:" + std::to_string(line) + ":" + std::to_string(line_text.find(token) + 1) + ": ";
}

TEST(LoadTest, MinimalScenarioLoads) {
  LoadedScenario s;
  const Status st = LoadText(kMinimal, &s);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(s.path, "t.textproto");
  EXPECT_EQ(s.compiled.organization.employees.size(), 8u);
}

// A file cut short between two fields parses as a smaller scenario. A file that declares an
// end marker is refused when the marker is missing; one that declares none loads as before,
// with a warning when its text does not end with a line break (sim/scenario/end_marker.h).
TEST(LoadTest, AFileCutShortIsRefusedWhenItDeclaresAnEndMarker) {
  const std::string declared = std::string(kEndMarkerDeclaration) + "\n" + kMinimal;
  LoadedScenario s;
  Status st = LoadText(declared + kEndMarker + "\n", &s);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_TRUE(s.warnings.empty());
  // Cut after the last field: the marker is gone.
  st = LoadText(declared, &s);
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), StartsWith("t.textproto:" + std::to_string(testing::kMinimalLines + 1) + ":1: "));
  EXPECT_THAT(st.message(), HasSubstr("cut short"));
  // Text after the marker: two files run together.
  st = LoadText(declared + kEndMarker + "\ncalendar { workday_start_hour: 9 }\n", &s);
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr("text after the end marker"));
}

TEST(LoadTest, WithoutAnEndMarkerAMissingFinalLineBreakIsAWarning) {
  LoadedScenario s;
  ASSERT_TRUE(LoadText(kMinimal, &s).ok());
  EXPECT_TRUE(s.warnings.empty()) << "existing files, which end with a line break, load as before";
  std::string cut = kMinimal;
  while (!cut.empty() && cut.back() == '\n') cut.pop_back();
  const Status st = LoadText(cut, &s);
  ASSERT_TRUE(st.ok()) << st.message();
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_THAT(s.warnings[0], StartsWith("t.textproto:" + std::to_string(testing::kMinimalLines) + ":"));
  EXPECT_THAT(s.warnings[0], HasSubstr("cut short"));
}

TEST(LoadTest, SyntaxErrorHasLineAndColumn) {
  const std::string line = "calendar { workday_start_hour: nine }";
  LoadedScenario s;
  const Status st = LoadText(kMinimal + line + "\n", &s);
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), StartsWith(At(testing::kMinimalLines + 1, line, "nine")));
  EXPECT_THAT(st.message(), HasSubstr("nine"));
}

TEST(LoadTest, UnterminatedMessageIsASyntaxError) {
  LoadedScenario s;
  const Status st = LoadText("run {\n  days: 3\n", &s);
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), StartsWith("t.textproto:3:1: "));
}

TEST(LoadTest, UnknownFieldHasLineAndColumn) {
  LoadedScenario s;
  const Status st = LoadText(kMinimal + "calendar {\n  nope: 1\n}\n", &s);
  ASSERT_FALSE(st.ok());
  // The parser reports an unknown field at the token after its name.
  EXPECT_EQ(st.message(), "t.textproto:" + std::to_string(testing::kMinimalLines + 2) +
                              ":7: Message type \"clawsim.proto.CalendarSettings\" has no field named \"nope\".");
}

TEST(LoadTest, UnknownEnumValueIsReported) {
  const std::string line = "incentives { leaderboard_visibility: BOSSES }";
  LoadedScenario s;
  const Status st = LoadText(kMinimal + line + "\n", &s);
  ASSERT_FALSE(st.ok());
  // Reported at the token after the value.
  EXPECT_THAT(st.message(), StartsWith(At(testing::kMinimalLines + 1, line, "}")));
  EXPECT_THAT(st.message(), HasSubstr("Unknown enumeration value of \"BOSSES\""));
}

TEST(LoadTest, OutOfRangeValuesAreLocatedAndAllReported) {
  const std::string line = "calendar { workday_start_hour: 25 }";
  LoadedScenario s;
  const Status st = LoadText(kMinimal + line + "\n", &s);
  ASSERT_FALSE(st.ok());
  const int n = testing::kMinimalLines + 1;
  EXPECT_EQ(st.message(),
            At(n, line, "workday_start_hour") + "calendar: workday_start_hour is 25; it must be in [0, 24)\n" +
                // workday_end_hour is not in the file: the enclosing message is located instead.
                At(n, line, "calendar") + "calendar: workday_end_hour 17.5 must be after workday_start_hour 25");
}

TEST(LoadTest, DanglingModelTierReferenceIsLocated) {
  const std::string line = "agent_profiles { name: \"ops-bot\" model_tier: \"pager\" }";
  LoadedScenario s;
  const Status st = LoadText(kMinimal + line + "\n", &s);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), At(testing::kMinimalLines + 1, line, "model_tier") +
                              "agent profile \"ops-bot\" uses model tier \"pager\", which is not defined; add it "
                              "under model_tiers {} (defined: frontier, small)");
}

TEST(LoadTest, OverridesApplyBeforeValidation) {
  LoadedScenario s;
  const Status st = LoadText(kMinimal, &s,
                             {"run.days=60", "organization.teams[name=core].size=40",
                              "model_tiers[name=frontier].input_usd_per_mtok=6",
                              "incentives.leaderboard_visibility=MANAGERS_ONLY"});
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(s.scenario.run().days(), 60);
  EXPECT_EQ(s.compiled.run.days, 60);
  EXPECT_EQ(s.compiled.organization.employees.size(), 43u);
  EXPECT_DOUBLE_EQ(s.compiled.tiers[1].input_usd_per_mtok, 6);
  EXPECT_EQ(s.compiled.incentives.leaderboard_visibility, Visibility::kManagersOnly);
}

TEST(LoadTest, OverrideErrorsStartWithTheOverride) {
  LoadedScenario s;
  const Status st = LoadText(kMinimal, &s, {"run.dayz=3", "run.days", "run.days=abc"});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "--set run.dayz=3: run.dayz: RunSettings has no field \"dayz\"; valid fields: days, seed, start_weekday\n"
            "--set run.days: expected PATH=VALUE, e.g. --set run.days=60\n"
            "--set run.days=abc: run.days: \"abc\" is not a 32-bit integer");
}

TEST(LoadTest, RangeErrorCausedByAnOverrideNamesTheOverride) {
  LoadedScenario s;
  const Status st = LoadText(kMinimal, &s, {"model_tiers[name=small].error_rate=1.5"});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "--set model_tiers[name=small].error_rate=1.5: model tier \"small\": error_rate is 1.5; it must be in "
            "[0, 1]");
}

TEST(LoadTest, MissingFileIsReported) {
  LoadedScenario s;
  const Status st = LoadScenario("/nonexistent/x.textproto", {}, &s);
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), StartsWith("/nonexistent/x.textproto: cannot open: "));
}

}  // namespace
}  // namespace clawsim::scenario
