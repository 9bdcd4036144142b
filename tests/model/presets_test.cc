// Permission presets: a preset replaces the agent rules and keeps the people's; and the
// directions a user relies on when comparing them (read-only agents write nothing and cause
// no incident; asking before prod trades agent-caused incidents for approval work).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mock_services/audit_log.h"
#include "sim/model/runner.h"
#include "sim/scenario/load.h"
#include "sim/scenario/presets.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CLAWSIM_SANITIZED 1
#endif

namespace clawsim::model {
namespace {

const std::string kDir = std::string(CLAWSIM_SOURCE_DIR) + "/scenarios/";

struct PresetRun {
  RunResult result;
  std::vector<services::AuditRecord> audit;
  scenario::LoadedScenario loaded;
};

PresetRun RunPreset(const std::string& file, const std::string& preset, std::vector<std::string> extra = {}) {
  PresetRun o;
  extra.push_back("permissions.preset=" + preset);
  const Status s = scenario::LoadScenario(kDir + file, extra, &o.loaded);
  EXPECT_TRUE(s.ok()) << s.message();
  RunOptions ro;
  ro.seed = o.loaded.compiled.run.seed;
  ro.threads = 2;
  RunSinks sinks;
  sinks.on_audit = [&](std::vector<services::AuditRecord>&& r) { o.audit.insert(o.audit.end(), r.begin(), r.end()); };
  const Status r = RunOrganisation(&o.loaded, ro, sinks, &o.result);
  EXPECT_TRUE(r.ok()) << r.message();
  return o;
}

TEST(PresetsTest, APresetReplacesTheAgentRulesAndKeepsThePeoples) {
  scenario::LoadedScenario custom, preset;
  ASSERT_TRUE(scenario::LoadScenario(kDir + "small.textproto", {}, &custom).ok());
  ASSERT_TRUE(scenario::LoadScenario(kDir + "small.textproto", {"permissions.preset=READ_ONLY"}, &preset).ok());
  size_t human_rules = 0;
  for (const auto& r : custom.compiled.permissions.rules) human_rules += r.principal.subject == scenario::Principal::Subject::kHumans;
  const auto preset_rules = scenario::PresetRules(proto::PermissionPolicy::READ_ONLY);
  ASSERT_EQ(preset.compiled.permissions.rules.size(), human_rules + preset_rules.size());
  for (size_t i = 0; i < human_rules; ++i) {
    EXPECT_EQ(preset.compiled.permissions.rules[i].principal.subject, scenario::Principal::Subject::kHumans);
  }
  for (size_t i = human_rules; i < preset.compiled.permissions.rules.size(); ++i) {
    EXPECT_EQ(preset.compiled.permissions.rules[i].principal.subject, scenario::Principal::Subject::kAgents);
    EXPECT_EQ(preset.compiled.permissions.rules[i].name.rfind("read-only:", 0), 0u);
  }
  // Every preset prints as rules a scenario can hold.
  const std::string text = scenario::PresetsAsText();
  for (const char* name : {"READ_ONLY", "ASK_FOR_WRITES", "ASK_FOR_PROD", "AUTONOMOUS_WITH_LIMITS", "FULLY_AUTONOMOUS"}) {
    EXPECT_NE(text.find(std::string("preset: ") + name), std::string::npos) << name;
  }
}

TEST(PresetsTest, ReadOnlyAgentsWriteNothingAndShipNothing) {
  const PresetRun o = RunPreset("small.textproto", "READ_ONLY");
  ASSERT_GT(o.result.summary.agents, 0u);
  for (const services::AuditRecord& r : o.audit) {
    const bool read = r.action == services::Action::kEmailRead || r.action == services::Action::kChatRead;
    if (r.agent != services::kNoId && !read) {
      EXPECT_FALSE(services::Admits(r.decision)) << services::ActionName(r.action);
    }
  }
  EXPECT_EQ(o.result.agent_effects.mails_sent, 0u);
  EXPECT_EQ(o.result.agent_effects.chat_posts, 0u);
  EXPECT_EQ(o.result.agent_effects.deploys, 0u);
  EXPECT_EQ(o.result.summary.agent_caused_incidents, 0u);
}

#ifdef CLAWSIM_SANITIZED
#define BASELINE_TEST(name) TEST(PresetsTest, DISABLED_##name)
#else
#define BASELINE_TEST(name) TEST(PresetsTest, name)
#endif

BASELINE_TEST(ReadOnlyDeliversLessThanFullyAutonomous) {
  const PresetRun ro = RunPreset("baseline.textproto", "READ_ONLY", {"run.days=14"});
  const PresetRun fa = RunPreset("baseline.textproto", "FULLY_AUTONOMOUS", {"run.days=14"});
  EXPECT_EQ(ro.result.summary.agent_caused_incidents, 0u);
  EXPECT_LT(ro.result.summary.value_usd, fa.result.summary.value_usd);
  EXPECT_GT(fa.result.summary.agent_caused_incidents, 0u);
}

BASELINE_TEST(AskingBeforeProdTradesAgentIncidentsForApprovalWork) {
  const PresetRun ask = RunPreset("baseline.textproto", "ASK_FOR_PROD", {"run.days=14"});
  const PresetRun fa = RunPreset("baseline.textproto", "FULLY_AUTONOMOUS", {"run.days=14"});
  EXPECT_LT(ask.result.summary.agent_caused_incidents, fa.result.summary.agent_caused_incidents);
  EXPECT_GT(ask.result.summary.hours.approval_hours, fa.result.summary.hours.approval_hours);
}

}  // namespace
}  // namespace clawsim::model
