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

}  // namespace
}  // namespace clawsim::scenario
