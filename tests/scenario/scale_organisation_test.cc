// ScaleOrganisation: a bigger organisation has more teams, services and channels of the
// same size, not bigger teams.
#include "sim/scenario/scale_organisation.h"

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "sim/scenario/compile.h"
#include "sim/scenario/load.h"

namespace clawsim::scenario {
namespace {

const std::string kBaseline = std::string(CLAWSIM_SOURCE_DIR) + "/scenarios/baseline.textproto";

CompiledScenario Scaled(uint32_t employees) {
  LoadedScenario loaded;
  Status s = LoadScenario(kBaseline, {}, &loaded);
  EXPECT_TRUE(s.ok()) << s.message();
  s = ScaleOrganisation(employees, &loaded.scenario);
  EXPECT_TRUE(s.ok()) << s.message();
  CompiledScenario out;
  s = CompileScenario(loaded.scenario, &out);
  EXPECT_TRUE(s.ok()) << s.message();
  return out;
}

size_t LargestTeam(const CompiledScenario& c) {
  size_t largest = 0;
  for (const Team& t : c.organization.teams) largest = std::max(largest, t.members.size());
  return largest;
}

TEST(ScaleOrganisationTest, GrowsByDivisionsNotTeamSize) {
  const CompiledScenario base = Scaled(987);
  const CompiledScenario big = Scaled(4 * 987);
  const double employees = static_cast<double>(big.organization.employees.size());
  EXPECT_NEAR(employees, 4 * 987.0, 0.05 * 4 * 987);
  // Four divisions: every non-root team, service and team channel four times over.
  EXPECT_GT(big.organization.teams.size(), 3.9 * base.organization.teams.size() - 4);
  EXPECT_EQ(big.deploy.services.size(), 4 * base.deploy.services.size());
  EXPECT_GT(big.chat.channels.size(), 3.9 * base.chat.channels.size() - 4);
  EXPECT_LE(LargestTeam(big), LargestTeam(base) + 2);
  // Changes per service: people per service stays the scenario's.
  EXPECT_NEAR(employees / big.deploy.services.size(),
              static_cast<double>(base.organization.employees.size()) / base.deploy.services.size(), 1.0);
}

TEST(ScaleOrganisationTest, BetweenMultiplesTeamsStayNearTheirSize) {
  const CompiledScenario base = Scaled(987);
  const CompiledScenario mid = Scaled(static_cast<uint32_t>(2.4 * 987));
  EXPECT_NEAR(static_cast<double>(mid.organization.employees.size()), 2.4 * 987, 0.05 * 2.4 * 987);
  EXPECT_EQ(mid.deploy.services.size(), 2 * base.deploy.services.size());
  EXPECT_LE(LargestTeam(mid), 1.4 * LargestTeam(base));
}

TEST(ScaleOrganisationTest, TheDivisionsSettingCopiesTeamsAtTheirSize) {
  LoadedScenario base, three;
  ASSERT_TRUE(LoadScenario(kBaseline, {}, &base).ok());
  const Status s = LoadScenario(kBaseline, {"organization.divisions=3"}, &three);
  ASSERT_TRUE(s.ok()) << s.message();
  const Organization& b = base.compiled.organization;
  const Organization& t = three.compiled.organization;
  // The executive team (6) and the two listed people once; the other 979 three times.
  EXPECT_EQ(b.employees.size(), 987u);
  EXPECT_EQ(t.employees.size(), 6u + 3 * 979 + 2);
  EXPECT_EQ(t.teams.size(), 1 + 3 * (b.teams.size() - 1));
  EXPECT_EQ(three.compiled.deploy.services.size(), 3 * base.compiled.deploy.services.size());
  EXPECT_EQ(LargestTeam(three.compiled), LargestTeam(base.compiled));
  // The scenario as written keeps the setting (a run file records it), and bench org's
  // scaling refuses to scale it again.
  EXPECT_EQ(three.scenario.organization().divisions(), 3);
  proto::Scenario copy = three.scenario;
  EXPECT_FALSE(ScaleOrganisation(10000, &copy).ok());
}

TEST(ScaleOrganisationTest, TheDivisionsSettingIsRefusedWhereItCannotAct) {
  LoadedScenario out;
  Status s = LoadScenario(kBaseline, {"organization.divisions=0"}, &out);
  EXPECT_NE(s.message().find("divisions is 0; it must be at least 1"), std::string::npos) << s.message();
  const std::string flat = "name: \"flat\"\norganization { divisions: 2  teams { name: \"all\"  size: 3 } }\n";
  s = LoadScenarioFromText(flat, "flat.textproto", {}, &out);
  EXPECT_NE(s.message().find("no team has a parent"), std::string::npos) << s.message();
  // More people than the organisation's limit, counted with the divisions.
  s = LoadScenario(kBaseline, {"organization.divisions=2000"}, &out);
  EXPECT_NE(s.message().find("people; at most"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace clawsim::scenario
