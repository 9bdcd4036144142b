// Limits: every number of the schema has a finite range, and values that would hang,
// exhaust memory, overflow or fail only at run time are refused at load time, located.
#include "sim/scenario/validate_limits.h"

#include "sim/scenario/run_estimate.h"

#include <functional>
#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/proto/scenario.pb.h"
#include "tests/scenario/test_util.h"

namespace clawsim::scenario {
namespace {

using ::testing::HasSubstr;
using testing::kMinimal;
using testing::Errors;
using testing::Line;
using testing::LoadText;

// A schema field added without a unit in its name or an entry in the limits table would
// be checked only for finiteness: this walk keeps every number documented and bounded.
TEST(ValidateLimitsTest, EveryNumericFieldOfTheSchemaHasALimit) {
  std::set<std::string> seen, missing;
  std::function<void(const google::protobuf::Descriptor*)> walk = [&](const google::protobuf::Descriptor* d) {
    if (!seen.insert(d->full_name()).second) return;
    for (int i = 0; i < d->field_count(); ++i) {
      const google::protobuf::FieldDescriptor* f = d->field(i);
      if (f->message_type() != nullptr) {
        walk(f->message_type());
        continue;
      }
      if (f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_STRING ||
          f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_BOOL ||
          f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_ENUM) {
        continue;
      }
      FieldLimit limit;
      if (!LimitOf(f, &limit)) {
        missing.insert(f->full_name());
      } else {
        EXPECT_GT(limit.max, 0) << f->full_name();
        EXPECT_LT(limit.max, 2e19) << f->full_name();
      }
    }
  };
  walk(proto::Scenario::descriptor());
  EXPECT_THAT(missing, ::testing::IsEmpty());
}

TEST(ValidateLimitsTest, BetaWithInfiniteShapeIsRefusedNotAHang) {
  LoadedScenario s;
  const Status st = LoadText(kMinimal, &s, {"organization.traits.team_automation_trust.alpha=1e300"});
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr("--set organization.traits.team_automation_trust.alpha=1e300: "));
  EXPECT_THAT(st.message(), HasSubstr("alpha is 1e+300; it must be at most 1e+06 (a shape parameter)"));
  std::string text = kMinimal;
  text.replace(text.find("organization {"), std::string("organization {").size(),
               "organization {\n  traits { team_automation_trust { kind: BETA alpha: inf beta: 1 } }");
  const Status file = LoadText(text, &s);
  ASSERT_FALSE(file.ok());
  EXPECT_THAT(file.message(), HasSubstr("t.textproto:4:47: organization.traits.team_automation_trust.alpha is inf; "
                                        "it must be a finite number"));
}

TEST(ValidateLimitsTest, RatesSizesAndTokensThatWouldExhaustMemoryOrOverflow) {
  const std::string errors = Errors(
      "roles { role: DEVELOPER emails { per_day: 1e9 } }\n"                                          // +1
      "skills { name: \"big\" base_input_tokens: 9223372036854775807 }\n"                            // +2
      "threats { injection_campaigns { name: \"c\" emails_per_day: 1e9 } }\n");                      // +3
  EXPECT_THAT(errors, HasSubstr(Line(1) + "34: roles[0].emails.per_day is 1e+09; it must be at most 100000 (per day)"));
  EXPECT_THAT(errors, HasSubstr(Line(2) + "22: skills[1].base_input_tokens is 9.22337e+18; it must be at most 1e+08 "
                                           "(tokens)"));
  EXPECT_THAT(errors, HasSubstr(Line(3) + "43: threats.injection_campaigns[0].emails_per_day is 1e+09"));

  LoadedScenario s;
  Status st = LoadText(kMinimal, &s, {"organization.teams[1].size=10000000"});
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr("--set organization.teams[1].size=10000000: organization.teams[1].size is "
                                      "1e+07; it must be at most 100000 (people in one team)"));
  // Many teams within their own limit still add up past the organisation's.
  std::string many = kMinimal;
  for (int i = 0; i < 11; ++i) {
    many.replace(many.find("organization {"), std::string("organization {").size(),
                 "organization {\n  teams { name: \"t" + std::to_string(i) + "\" size: 100000 }");
  }
  st = LoadText(many, &s);
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr("the teams and employees add up to 1.10001e+06 people; at most 1e+06 are supported"));
}

TEST(ValidateLimitsTest, ValuesThatFailedOnlyAtRunTimeAreRefusedAtLoad) {
  const std::string errors = Errors(
      "model_tiers { name: \"slow\" latency_ms: 1e308 }\n"                                             // +1
      "approvals { timeout_minutes: inf }\n");                                                         // +2
  EXPECT_THAT(errors, HasSubstr(Line(1) + "28: model_tiers[2].latency_ms is 1e+308; it must be at most 8.64e+07"));
  EXPECT_THAT(errors, HasSubstr(Line(2) + "13: approvals.timeout_minutes is inf; it must be a finite number"));
  LoadedScenario s;
  std::string text = kMinimal;
  text.replace(text.find("deploy {"), std::string("deploy {").size(),
               "deploy {\n  freezes { name: \"f\" duration_hours: inf }\n"
               "  incidents { severities { severity: SEV1 probability: 1 time_to_restore_minutes: inf } }");
  const Status freeze = LoadText(text, &s);
  ASSERT_FALSE(freeze.ok());
  EXPECT_THAT(freeze.message(), HasSubstr("t.textproto:12:23: deploy.freezes[0].duration_hours is inf"));
  EXPECT_THAT(freeze.message(),
              HasSubstr("t.textproto:13:58: deploy.incidents.severities[0].time_to_restore_minutes is inf"));
}

TEST(ValidateLimitsTest, AnInterventionCannotSetAnOutOfRangeValue) {
  const std::string errors = Errors(
      "interventions { day: 1 set_path: \"model_tiers[name=small].latency_ms\" value: \"1e300\" }\n");
  EXPECT_THAT(errors, HasSubstr(Line(1) + "71: intervention #1 (model_tiers[name=small].latency_ms = \"1e300\") "
                                           "makes the scenario invalid: model_tiers[0].latency_ms is 1e+300"));
}

TEST(ValidateLimitsTest, DistributionParametersAreBoundedByTheirQuantity) {
  const std::string errors = Errors(
      "roles { role: OTHER emails { per_day: 1 effort_minutes { kind: LOGNORMAL mean: 1e12 stddev: 1 } } }\n");
  EXPECT_THAT(errors, HasSubstr("roles[0].emails.effort_minutes.mean is 1e+12; it must be at most 5.256e+06 "
                                "(minutes (ten years))"));
}

TEST(ValidateLimitsTest, NonzeroDurationsBelowTheClockOrAMinuteForRepeatsAreRefused) {
  const std::string errors = Errors(
      "agent_profiles { name: \"fast\" model_tier: \"small\" heartbeat { interval_minutes: 1e-300 } }\n"  // +1
      "approvals { response_minutes: 1e-12 }\n");                                                                // +2
  EXPECT_THAT(errors, HasSubstr(Line(1) + "63: agent_profiles[1].heartbeat.interval_minutes is 1e-300; it must be 0 or "
                                           "at least 1 ("));
  EXPECT_THAT(errors, HasSubstr(Line(2) + "13: approvals.response_minutes is 1e-12; it must be 0 or at least 1.66667e-08"));
}

// The estimate is an upper bound that grows with people and with work that piles up.
TEST(RunEstimateTest, GrowsWithPeopleAndPiledUpWork) {
  LoadedScenario base;
  ASSERT_TRUE(LoadScenario(CLAWSIM_SOURCE_DIR "/scenarios/baseline.textproto", {}, &base).ok());
  const RunMemoryEstimate b = EstimateRunMemory(base.compiled, 30, 1);
  EXPECT_GT(b.bytes, 38.0 * (1 << 20));  // measured peak: 38 MiB for one day
  EXPECT_LT(b.bytes, 512.0 * (1 << 20));
  LoadedScenario flood;
  ASSERT_TRUE(LoadScenario(CLAWSIM_SOURCE_DIR "/scenarios/baseline.textproto",
                           {"roles[0].emails.per_day=100000"}, &flood).ok());
  const RunMemoryEstimate f = EstimateRunMemory(flood.compiled, 30, 1);
  EXPECT_GT(f.bytes, 100.0 * (1ull << 30));  // far beyond any machine: refused by clawsim run
  EXPECT_GT(EstimateRunMemory(flood.compiled, 60, 1).bytes, f.bytes);
  EXPECT_GT(AvailableMemoryBytes(), 0u);
}

}  // namespace
}  // namespace clawsim::scenario
