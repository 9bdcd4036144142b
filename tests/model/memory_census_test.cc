// The memory census (`clawsim bench org`'s breakdown): it counts what the model holds and
// changes no result.
#include <string>

#include <gtest/gtest.h>

#include "sim/model/runner.h"
#include "sim/scenario/load.h"

namespace clawsim::model {
namespace {

const std::string kSmall = std::string(CLAWSIM_SOURCE_DIR) + "/scenarios/small.textproto";

RunResult RunSmall(bool census, int threads) {
  scenario::LoadedScenario loaded;
  const Status s = scenario::LoadScenario(kSmall, {}, &loaded);
  EXPECT_TRUE(s.ok()) << s.message();
  RunOptions ro;
  ro.seed = 11;
  ro.threads = threads;
  ro.days = 5;
  ro.memory_census = census;
  RunResult r;
  const Status run = RunOrganisation(&loaded, ro, {}, &r);
  EXPECT_TRUE(run.ok()) << run.message();
  return r;
}

TEST(MemoryCensusTest, TakingItChangesNoResult) {
  const RunResult without = RunSmall(false, 1);
  const RunResult with = RunSmall(true, 2);
  EXPECT_EQ(with.summary.fingerprint, without.summary.fingerprint);
  EXPECT_EQ(with.audit_fingerprint, without.audit_fingerprint);
  EXPECT_EQ(without.memory.total_bytes(), 0u);
}

TEST(MemoryCensusTest, EveryHolderOfARunIsCounted) {
  const MemoryCensus m = RunSmall(true, 1).memory;
  EXPECT_GT(m.employee_state_bytes, 0u);
  EXPECT_GT(m.agent_state_bytes, 0u);
  EXPECT_GT(m.mailbox_bytes, 0u);
  EXPECT_GT(m.chat_bytes, 0u);
  EXPECT_GT(m.task_bytes, 0u);
  EXPECT_GT(m.pending_event_bytes, 0u);
  EXPECT_GT(m.service_bytes, 0u);
  EXPECT_GT(m.metrics_bytes, 0u);
  EXPECT_LT(m.day, 5u);
  EXPECT_EQ(m.total_bytes(), m.employee_state_bytes + m.agent_state_bytes + m.mailbox_bytes + m.chat_bytes +
                                 m.task_bytes + m.pending_event_bytes + m.service_bytes + m.audit_trace_bytes +
                                 m.metrics_bytes);
}

}  // namespace
}  // namespace clawsim::model
