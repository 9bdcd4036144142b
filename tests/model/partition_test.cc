// How a multi-threaded run splits the organisation's LPs (speed only; results are pinned
// across thread counts by model_test).
#include "sim/model/partition.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sim/scenario/load.h"

namespace clawsim::model {
namespace {

const std::string kBaseline = std::string(CLAWSIM_SOURCE_DIR) + "/scenarios/baseline.textproto";

TEST(PartitionTest, EveryPartitionGetsEmployeesAndChannelsFollowTheirMembers) {
  scenario::LoadedScenario loaded;
  Status s = scenario::LoadScenario(kBaseline, {}, &loaded);
  ASSERT_TRUE(s.ok()) << s.message();
  World world;
  s = BuildWorld(loaded.compiled, 1, &world);
  ASSERT_TRUE(s.ok()) << s.message();
  for (uint32_t k : {1u, 2u, 3u, 8u}) {
    const std::vector<uint32_t> of = PartitionLps(world, k);
    ASSERT_EQ(of.size(), world.num_lps);
    std::vector<uint32_t> employees(k, 0);
    for (EmployeeId e = 0; e < world.num_employees; ++e) {
      ASSERT_LT(of[e], k);
      if (e > 0) {
        EXPECT_GE(of[e], of[e - 1]) << "employees are split in contiguous blocks";
      }
      ++employees[of[e]];
    }
    for (uint32_t p = 0; p < k; ++p) EXPECT_GT(employees[p], world.num_employees / (2 * k)) << k << " " << p;
    for (uint32_t c = 0; c < world.channel_members.size(); ++c) {
      const auto& members = world.channel_members[c];
      if (members.empty()) continue;
      EXPECT_EQ(of[world.ChannelLp(c)], of[members[members.size() / 2]]) << c;
    }
    for (LpId lp = world.first_service_lp; lp < world.num_lps; ++lp) EXPECT_LT(of[lp], k);
  }
}

TEST(PartitionTest, LargeOrganisationsGetSeveralPartitionsAThreadSmallOnesOne) {
  World world;
  auto partitions = [&world](uint32_t employees, uint32_t threads) {
    world.num_employees = employees;
    return PartitionsFor(world, threads);
  };
  EXPECT_EQ(partitions(987, 2), 2u) << "the baseline: more partitions only cost it time";
  EXPECT_EQ(partitions(24'999, 2), 2u);
  EXPECT_EQ(partitions(25'000, 2), 4u);
  EXPECT_EQ(partitions(100'000, 2), 16u);
  EXPECT_EQ(partitions(1'000'000, 2), 16u) << "at most 8 a thread";
  EXPECT_EQ(partitions(1'000'000, 16), 128u);
  for (uint32_t employees : {1u, 10'000u, 60'000u, 400'000u}) {
    for (uint32_t threads : {2u, 3u, 16u}) EXPECT_EQ(partitions(employees, threads) % threads, 0u) << employees << " " << threads;
  }
}

}  // namespace
}  // namespace clawsim::model
