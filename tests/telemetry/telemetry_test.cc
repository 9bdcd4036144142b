// Telemetry analytics on telemetry built by hand, where the right answer is known: the file
// format round-trips and refuses bad lines with line:column; detector files are refused
// with file:line:column; rules, robust z-scores and Mahalanobis distances flag the people
// who behave differently, and their scores, times to detection and forecasts are what the
// definitions say.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <google/protobuf/util/json_util.h>

#include "sim/proto/detection.pb.h"
#include "sim/telemetry/detector_file.h"
#include "sim/telemetry/detectors.h"
#include "sim/telemetry/features.h"
#include "sim/telemetry/forecast.h"
#include "sim/telemetry/report.h"
#include "sim/telemetry/scoring.h"
#include "sim/telemetry/telemetry.h"
#include "sim/telemetry/telemetry_jsonl.h"

namespace clawsim::telemetry {
namespace {

constexpr int64_t kUsPerMinute = 60'000'000;

// `people` people in two teams, one agent each, `days` days. Every agent heartbeats from
// 09:00 to 17:00 every `interval` minutes (1000 input tokens, 10 output, no item); the people
// in `maxxers` heartbeat every interval / 4 minutes from day `from_day` on, and the calls off
// the usual schedule are their performative tokens. Every other scheduled call works on an item.
struct World {
  Telemetry t;
  GroundTruth truth;
};

World MakeWorld(uint32_t people, uint32_t days, const std::vector<uint32_t>& maxxers, uint32_t from_day,
                int64_t interval_min = 32) {
  World w;
  Telemetry& t = w.t;
  t.header = {"hand-made", 1, days, "0123456789abcdef", ""};
  t.skills = {"heartbeat"};
  t.triggers = {"heartbeat", "cron", "event"};
  t.tiers = {"small"};
  t.actions = {"email.read", "email.send_external"};
  t.targets = {"mailbox:x", "domain:evil.example"};
  t.decisions = {"allowed", "denied"};
  GroundTruth& g = w.truth;
  g.performative_tokens.assign(people, 0);
  g.performative_cost_usd.assign(people, 0);
  g.total_tokens.assign(people, 0);
  g.first_performative_us.assign(people, kNever);
  g.value_usd.assign(people, 100);
  g.performative_tokens_by_day.assign(days, std::vector<uint64_t>(people, 0));
  g.performative_cost_usd_by_day.assign(days, std::vector<double>(people, 0.0));
  g.attack_records.assign(people, 0);
  g.first_attack_us.assign(people, kNever);
  g.attack_records_by_day.assign(days, std::vector<uint64_t>(people, 0));
  g.injected_calls.assign(people, 0);
  g.first_injected_us.assign(people, kNever);
  g.injected_calls_by_day.assign(days, std::vector<uint64_t>(people, 0));
  uint64_t id = 0;
  for (uint32_t p = 0; p < people; ++p) {
    t.people.push_back({"p" + std::to_string(p), p % 2 == 0 ? "even" : "odd", "developer", 5, 50});
    t.agents.push_back({"p" + std::to_string(p) + "/bot", p});
  }
  for (uint32_t d = 0; d < days; ++d) {
    for (uint32_t p = 0; p < people; ++p) {
      const bool maxxing = d >= from_day && std::find(maxxers.begin(), maxxers.end(), p) != maxxers.end();
      const int64_t step = maxxing ? interval_min / 4 : interval_min;
      for (int64_t m = 9 * 60; m < 17 * 60; m += step) {
        Invocation i;
        i.id = id++;
        i.start_us = d * kUsPerDay + m * kUsPerMinute;
        i.duration_us = 1'000'000;
        i.agent = p;
        i.employee = p;
        i.tier = 0;
        i.input_tokens = 1000;
        i.output_tokens = 10;
        i.cost_usd = 0.001;
        const bool scheduled = (m - 9 * 60) % interval_min == 0;
        i.worked_on_item = scheduled && ((m - 9 * 60) / interval_min) % 2 == 0;
        t.invocations.push_back(i);
        g.total_tokens[p] += 1010;
        if (!scheduled) {
          g.performative_tokens[p] += 1010;
          g.performative_cost_usd[p] += 0.001;
          g.performative_tokens_by_day[d][p] += 1010;
          g.performative_cost_usd_by_day[d][p] += 0.001;
          g.first_performative_us[p] = std::min(g.first_performative_us[p], i.start_us);
        }
      }
    }
  }
  for (uint32_t d = 0; d < days; ++d) {
    for (uint32_t p = 0; p < people; ++p) {
      EmployeeDay r{p, d, 0, 0, 8, 1};
      for (const Invocation& i : t.invocations) {
        if (i.employee == p && i.start_us / kUsPerDay == d) r.tokens += 1010, ++r.invocations;
      }
      t.employee_days.push_back(r);
    }
  }
  return w;
}

DetectorSpec Spec(const std::string& text) {
  DetectorSpec spec;
  const Status s = LoadDetectorsFromText(text, "d.textproto", &spec);
  EXPECT_TRUE(s.ok()) << s.message();
  return spec;
}

std::vector<DetectorResult> ScoreAll(const World& w, const DetectorSpec& spec) {
  const FeatureTable people(w.t, Entity::kEmployee), agents(w.t, Entity::kAgent);
  std::vector<DetectorResult> out;
  for (const DetectorScores& s : Evaluate(spec, people, agents)) {
    for (Label label : LabelsFor(s.entity, w.truth)) {
      out.push_back(Score(s, w.t, w.truth, label, spec.proto.scoring().min_performative_share()));
    }
  }
  return out;
}

// ---- The file format ----------------------------------------------------------------------

TEST(TelemetryJsonl, RoundTripsEveryField) {
  World w = MakeWorld(4, 3, {1}, 1);
  Action a;
  a.time_us = 2 * kUsPerDay + 5;
  a.agent = 3;
  a.employee = 3;
  a.action = 1;
  a.target = 1;
  a.decision = 1;
  a.invocation = 7;
  w.t.tool_calls.push_back(a);
  a.invocation = UINT64_MAX;
  a.time_us += 1;
  w.t.tool_calls.push_back(a);
  w.t.invocations[5].cost_usd = 0.1 + 0.2;  // not exactly representable in few digits
  w.t.invocations[5].tier = kNone;
  w.t.people[0].name = "quote\" back\\ slash";
  const std::string text = WriteJsonl(w.t);
  Telemetry back;
  const Status s = ReadJsonl(text, "t.jsonl", &back);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(WriteJsonl(back), text);
  EXPECT_EQ(back.people[0].name, "quote\" back\\ slash");
  EXPECT_EQ(back.invocations[5].cost_usd, 0.1 + 0.2);
  EXPECT_EQ(back.invocations[5].tier, kNone);
  EXPECT_EQ(back.tool_calls[0].invocation, 7u);
  EXPECT_EQ(back.tool_calls[1].invocation, UINT64_MAX);
  EXPECT_EQ(back.header.run_fingerprint, "0123456789abcdef");
}

TEST(TelemetryJsonl, NamesNoPurposeOrAttack) {
  const std::string text = WriteJsonl(MakeWorld(3, 2, {1}, 0).t);
  for (const char* hidden : {"purpose", "performative", "useful", "overhead", "attack", "injected", "compromise"}) {
    EXPECT_EQ(text.find(hidden), std::string::npos) << hidden;
  }
}

std::string ReadError(const std::string& text) {
  Telemetry t;
  const Status s = ReadJsonl(text, "t.jsonl", &t);
  EXPECT_FALSE(s.ok());
  return s.message();
}

TEST(TelemetryJsonl, RefusesBadLinesWithLineAndColumn) {
  const std::string header = WriteJsonl(MakeWorld(1, 1, {}, 0).t).substr(0, WriteJsonl(MakeWorld(1, 1, {}, 0).t).find('\n') + 1);
  const std::string person =
      R"({"record":"person","user.id":0,"user.name":"a","clawsim.team":"t","clawsim.role":"developer","clawsim.changes_merged":1,"clawsim.items_completed":2})"
      "\n";
  EXPECT_EQ(ReadError(person), "t.jsonl:1:11: the first record must be the header, not \"person\"");
  EXPECT_EQ(ReadError(header + "{\"record\": tru}\n"), "t.jsonl:2:12: expected a value");
  EXPECT_EQ(ReadError(header + "{\"record\":\"nope\"}\n"),
            "t.jsonl:2:11: unknown record \"nope\"; expected header, person, agent, invocation, tool_call or employee_day");
  EXPECT_EQ(ReadError(header + person + R"({"record":"agent","gen_ai.agent.id":0,"gen_ai.agent.name":"a/b","user.id":4})" "\n"),
            "t.jsonl:3:75: \"user.id\" is 4, but the file declares 1 people (ids 0..0)");
  EXPECT_EQ(ReadError(header + R"({"record":"person","user.id":"0"})" "\n"), "t.jsonl:2:30: \"user.id\" must be a whole number");
  EXPECT_EQ(ReadError(header + R"({"record":"person","user.id":0})" "\n"),
            "t.jsonl:2:32: this record has no \"user.name\" (a string); see TELEMETRY.md");
  EXPECT_NE(ReadError(R"({"record":"header","format":"clawsim-telemetry","version":"2.0"})").find("t.jsonl:1:59: telemetry format version 2.0"),
            std::string::npos);
}

// ---- Detector files ---------------------------------------------------------------------

std::string LoadError(const std::string& text) {
  DetectorSpec spec;
  const Status s = LoadDetectorsFromText(text, "d.textproto", &spec);
  EXPECT_FALSE(s.ok());
  return s.message();
}

TEST(DetectorFile, RefusesBadDetectorsWithFileLineColumn) {
  EXPECT_NE(LoadError("detectors {\n  name: \"a\"\n  rule { all_of { feature: \"tokns_per_day\" threshold: 2 } }\n}\n")
                .find("d.textproto:3:19: detector \"a\": unknown feature \"tokns_per_day\"; employee features: tokens_per_day,"),
            std::string::npos);
  EXPECT_NE(LoadError("detectors {\n  name: \"a\"\n  entity: AGENT\n  rule { all_of { feature: \"tokens_per_day\" threshold: 2 } }\n}\n")
                .find("d.textproto:4:19: detector \"a\": feature \"tokens_per_day\" is not an agent feature"),
            std::string::npos);
  EXPECT_EQ(LoadError("detectors {\n  name: \"a\"\n  rule { all_of { feature: \"tokens_per_day\" threshold: -1 } }\n}\n"),
            "d.textproto:3:45: detector \"a\": threshold must be a finite number > 0, not -1");
  EXPECT_EQ(LoadError("detectors {\n  name: \"a\"\n  window_days: 0\n  robust_z { features: \"tokens_per_day\" }\n}\n"),
            "d.textproto:3:3: detector \"a\": window_days must be at least 1");
  EXPECT_EQ(LoadError("detectors { name: \"a\" robust_z { features: \"tokens_per_day\" } }\n"
                      "detectors { name: \"a\" robust_z { features: \"tokens_per_day\" } }\n"),
            "d.textproto:2:13: a second detector named \"a\"");
  EXPECT_EQ(LoadError("detectors { name: \"a\" mahalanobis { features: \"tokens_per_day\" } }\n"),
            "d.textproto:1:23: detector \"a\": mahalanobis needs at least two features");
  EXPECT_EQ(LoadError("detectors { name: \"a\" robust_z { features: \"tokens_per_day\" } }\nforecast { train_days: 3 }\n"),
            "d.textproto:2:12: train_days (3) must leave at least 8 days after fit_from_day (0) to fit a trend and seven weekday levels");
  EXPECT_EQ(LoadError("detectors { name: \"a\" robust_z { featurez: \"x\" } }\n"),
            "d.textproto:1:42: Message type \"clawsim.proto.RobustZ\" has no field named \"featurez\".");
}

TEST(DetectorFile, ShippedFilesLoadAndSayHowToRunThem) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(CLAWSIM_SOURCE_DIR) / "scenarios")) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("detectors", 0) != 0 || entry.path().extension() != ".textproto") continue;
    SCOPED_TRACE(name);
    ++files;
    DetectorSpec spec;
    const Status s = LoadDetectors(entry.path().string(), &spec);
    EXPECT_TRUE(s.ok()) << s.message();
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str().rfind("# ", 0), 0u);
    EXPECT_NE(text.str().find("# Question: "), std::string::npos);
    EXPECT_NE(text.str().find("clawsim detect "), std::string::npos);
    // Both kinds of entity, and at least two statistical detectors.
    int statistical = 0, agents = 0;
    for (const proto::Detector& d : spec.proto.detectors()) {
      statistical += d.has_robust_z() || d.has_mahalanobis();
      agents += d.entity() == proto::Detector::AGENT;
    }
    EXPECT_GE(statistical, 2);
    EXPECT_GE(agents, 1);
  }
  EXPECT_GE(files, 1);
}

// ---- Detectors and scores ------------------------------------------------------------------

TEST(Detectors, TeamRuleFlagsShortHeartbeatsOnTheDayTheWindowShowsThem) {
  // 10 people; 3 and 6 heartbeat four times as often from day 4 on.
  const World w = MakeWorld(10, 14, {3, 6}, 4);
  const std::vector<DetectorResult> r = ScoreAll(w, Spec(R"(
    detectors { name: "short" window_days: 3
      rule { all_of { feature: "heartbeat_interval_minutes" op: BELOW threshold: 0.6 baseline: TEAM_MEDIAN } } })"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].positives, 2u);
  EXPECT_EQ(r[0].true_positives, 2u);
  EXPECT_EQ(r[0].false_positives, 0u);
  EXPECT_DOUBLE_EQ(r[0].precision, 1);
  EXPECT_DOUBLE_EQ(r[0].recall, 1);
  EXPECT_DOUBLE_EQ(r[0].bad_caught_share, 1);
  // The window [2, 4] holds one short day: gaps of 8 minutes (59 of them) beside two days of
  // 32 (14 each): (59 x 8 + 28 x 32) / 87 = 15.7 minutes, under 0.6 x 32 = 19.2: flagged on day 4.
  ASSERT_EQ(r[0].flags.size(), 2u);
  EXPECT_EQ(r[0].flags[0].entity, 3u);
  EXPECT_EQ(r[0].flags[1].entity, 6u);
  const int day = r[0].flags[0].day;
  EXPECT_EQ(day, 4);
  // Time to detection: from the first performative call (day 4, 09:08) to the end of day 4.
  EXPECT_NEAR(r[0].flags[0].ttd_days, 1 - (9 * 60 + 8) / 1440.0, 1e-9);
  EXPECT_NEAR(r[0].ttd_median_days, r[0].flags[0].ttd_days, 1e-9);
  // Only what they spent after the flag's day could have been saved: days 5-13 of their 10
  // performative days (every day costs the same).
  EXPECT_NEAR(r[0].bad_after_flag_share, 0.9, 1e-9);
}

TEST(Detectors, ThresholdTooStrictFlagsNobodyAndCurveStillReachesFullRecall) {
  const World w = MakeWorld(10, 10, {3}, 2);
  const std::vector<DetectorResult> r = ScoreAll(w, Spec(R"(
    detectors { name: "calls" window_days: 2 rule { all_of { feature: "calls_per_day" threshold: 1000 } } })"));
  EXPECT_EQ(r[0].flagged, 0u);
  EXPECT_EQ(r[0].precision, 0);
  EXPECT_EQ(r[0].recall, 0);
  ASSERT_FALSE(r[0].curve.empty());
  // The sweep's first point is the top scorer alone: the maxxer, four times the calls.
  EXPECT_DOUBLE_EQ(r[0].curve.front().precision, 1);
  EXPECT_DOUBLE_EQ(r[0].curve.front().recall, 1);
  EXPECT_DOUBLE_EQ(r[0].curve.back().recall, 1);
  EXPECT_NEAR(r[0].curve.back().precision, 0.1, 1e-12);  // everyone flagged: 1 in 10
}

TEST(Detectors, RobustZAndMahalanobisFlagTheOutlierAndNobodyElse) {
  const World w = MakeWorld(24, 10, {5}, 3);
  const std::vector<DetectorResult> r = ScoreAll(w, Spec(R"(
    detectors { name: "z" window_days: 2 robust_z { features: ["calls_per_day", "tokens_per_day"] threshold: 3.5 } }
    detectors { name: "z-team" window_days: 2 robust_z { features: ["calls_per_day"] threshold: 3.5 scope: TEAM } }
    detectors { name: "m" window_days: 2 mahalanobis { features: ["calls_per_day", "idle_call_share"] threshold: 4 } })"));
  for (const DetectorResult& d : r) {
    SCOPED_TRACE(d.name);
    EXPECT_EQ(d.true_positives, 1u);
    EXPECT_EQ(d.false_positives, 0u);
    ASSERT_EQ(d.flags.size(), 1u);
    EXPECT_EQ(d.flags[0].entity, 5u);
    EXPECT_EQ(d.flags[0].day, 3);  // the first window holding a maxxing day
  }
}

TEST(Detectors, AgentPositivesComeFromAttackRecords) {
  World w = MakeWorld(6, 4, {}, 0);
  // Agent 2 mails outside, untraced, from day 2: an attacker's session.
  for (int k = 0; k < 6; ++k) {
    Action a;
    a.time_us = 2 * kUsPerDay + (10 + k) * 3600 * int64_t{1'000'000};
    a.agent = 2;
    a.employee = 2;
    a.action = 1;
    a.target = 1;
    a.decision = 0;
    w.t.tool_calls.push_back(a);
    ++w.truth.attack_records[2];
    ++w.truth.attack_records_by_day[2][2];
    w.truth.first_attack_us[2] = std::min(w.truth.first_attack_us[2], a.time_us);
  }
  const std::vector<DetectorResult> r = ScoreAll(w, Spec(R"(
    detectors { name: "untraced" entity: AGENT window_days: 1 rule { all_of { feature: "untraced_write_share" threshold: 0.5 } } })"));
  EXPECT_EQ(r[0].positives, 1u);
  EXPECT_EQ(r[0].true_positives, 1u);
  EXPECT_EQ(r[0].false_positives, 0u);
  EXPECT_NEAR(r[0].ttd_median_days, 3 - (2 + 10 / 24.0), 1e-9);
  EXPECT_DOUBLE_EQ(r[0].bad_caught_share, 1);
}

// In a run an injection campaign reached, agent detectors are scored twice: on the agents an
// attacker drove, and on the agents that followed an injected instruction, each against its
// own positives and its own first bad record.
TEST(Detectors, InjectionFollowedAgentsAreALabelOfTheirOwn) {
  World w = MakeWorld(6, 4, {}, 0);
  w.truth.injection_emails = 3;
  // Agent 4 follows injected mail on day 1 from 12:00: twenty extra calls on items.
  for (int k = 0; k < 20; ++k) {
    Invocation i;
    i.id = 1'000'000 + static_cast<uint64_t>(k);
    i.start_us = kUsPerDay + (12 * 60 + k) * kUsPerMinute;
    i.duration_us = 1'000'000;
    i.agent = 4;
    i.employee = 4;
    i.input_tokens = 5000;
    i.worked_on_item = true;
    w.t.invocations.push_back(i);
    ++w.truth.injected_calls[4];
    ++w.truth.injected_calls_by_day[1][4];
    w.truth.first_injected_us[4] = std::min(w.truth.first_injected_us[4], i.start_us);
  }
  std::stable_sort(w.t.invocations.begin(), w.t.invocations.end(),
                   [](const Invocation& a, const Invocation& b) { return a.start_us < b.start_us; });
  // Agent 2 was hijacked on day 2 (attacker-driven, no injection).
  ++w.truth.attack_records[2];
  ++w.truth.attack_records_by_day[2][2];
  w.truth.first_attack_us[2] = 2 * kUsPerDay;
  const std::vector<DetectorResult> r = ScoreAll(w, Spec(R"(
    detectors { name: "busy" entity: AGENT window_days: 1 rule { all_of { feature: "agent_calls_per_day" threshold: 25 } } })"));
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].label, Label::kAttackerDriven);
  EXPECT_EQ(r[0].positives, 1u);
  EXPECT_EQ(r[0].true_positives, 0u) << "the busy agent is not the hijacked one";
  EXPECT_EQ(r[1].label, Label::kInjectionFollowed);
  EXPECT_EQ(r[1].positives, 1u);
  EXPECT_EQ(r[1].true_positives, 1u);
  EXPECT_EQ(r[1].false_positives, 0u);
  EXPECT_NEAR(r[1].ttd_median_days, 2 - 1.5, 1e-9) << "from the first injected call to the end of its day";
  // Without a campaign in the run, only the attacker-driven label is scored.
  w.truth.injection_emails = 0;
  EXPECT_EQ(LabelsFor(Entity::kAgent, w.truth), std::vector<Label>{Label::kAttackerDriven});
}

// detection.json is what sim/proto/detection.proto says: protobuf's JSON parser, refusing
// unknown fields, reads every field the report writes (the viewer reads it this way).
TEST(Report, DetectionJsonIsTheSchemasJson) {
  World w = MakeWorld(6, 4, {1}, 0);
  w.truth.injection_emails = 1;
  DetectReport r;
  r.header = w.t.header;
  r.min_performative_share = 0.05;
  r.results = ScoreAll(w, Spec(R"(
    detectors { name: "short" window_days: 1 rule { all_of { feature: "heartbeat_interval_minutes" op: BELOW threshold: 0.6 baseline: TEAM_MEDIAN } } }
    detectors { name: "busy" entity: AGENT window_days: 1 rule { all_of { feature: "agent_calls_per_day" threshold: 25 } } })"));
  std::string json;
  for (const auto& [name, contents] : RenderReport(r, w.t)) {
    if (name == "detection.json") json = contents;
  }
  proto::DetectionResults parsed;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &parsed, options);
  ASSERT_TRUE(status.ok()) << status.message() << "\n" << json;
  ASSERT_EQ(parsed.results_size(), 3);  // short (tokenmaxxer), busy (attacker_driven, injection_followed)
  EXPECT_EQ(parsed.results(0).label(), "tokenmaxxer");
  EXPECT_EQ(parsed.results(2).label(), "injection_followed");
  EXPECT_EQ(parsed.results(0).pr_curve_size(), static_cast<int>(r.results[0].curve.size()));
  EXPECT_EQ(parsed.best_employee_detector(), "short");
}

// ---- Forecast ---------------------------------------------------------------------------

TEST(Forecast, TrendAndWeekdayModelIsExactOnItsOwnShapeAndOracleRemovesPerformativeDemand) {
  // Everyone heartbeats every 32 minutes; person 1 adds performative calls on days 0-13 only
  // (a scheme switched off on day 14). The demand after day 14 is flat: the oracle (training
  // days without the performative calls) forecasts it exactly, the raw forecast overshoots.
  World w = MakeWorld(8, 28, {1}, 0);
  // Stop person 1's extra calls from day 14: drop them from the telemetry and the truth.
  std::vector<Invocation> kept;
  for (const Invocation& i : w.t.invocations) {
    const int64_t minute = (i.start_us % kUsPerDay) / kUsPerMinute;
    const bool extra = i.employee == 1 && i.start_us / kUsPerDay >= 14 && (minute - 9 * 60) % 32 != 0;
    if (!extra) kept.push_back(i);
  }
  w.t.invocations = kept;
  for (uint32_t d = 14; d < 28; ++d) w.truth.performative_tokens_by_day[d][1] = 0, w.truth.performative_cost_usd_by_day[d][1] = 0;
  const std::vector<DetectorResult> none;
  DetectorScores nobody;
  nobody.name = "nobody";
  nobody.entities = 8;
  nobody.days = 28;
  nobody.threshold = 1;
  nobody.score.assign(8 * 28, std::nan(""));
  ForecastResult f;
  ForecastOptions o;
  ASSERT_TRUE(Forecast(w.t, w.truth, nobody, o, &f).ok());
  EXPECT_NEAR(f.oracle.error, 0, 1e-9);
  EXPECT_NEAR(f.oracle.mape, 0, 1e-9);
  EXPECT_GT(f.raw.error, 0.1);
  EXPECT_EQ(f.cleaned.error, f.raw.error);  // nobody flagged: nothing removed
  EXPECT_EQ(f.cleaned.removed_share, 0);
  // A detector that flags person 1 on day 0 removes their tokens above the team median.
  DetectorScores one = nobody;
  one.score[1 * 28 + 0] = 2;
  ASSERT_TRUE(Forecast(w.t, w.truth, one, o, &f).ok());
  EXPECT_EQ(f.flagged_people, 1u);
  EXPECT_NEAR(f.cleaned.error, 0, 1e-9);
  EXPECT_NEAR(f.cleaned.removed_share, f.oracle.removed_share, 1e-12);
  // Without a trend, the flat weekday levels forecast the same; the warm-up may be skipped.
  o.linear_trend = false;
  o.fit_from_day = 7;
  ASSERT_TRUE(Forecast(w.t, w.truth, one, o, &f).ok());
  EXPECT_NEAR(f.oracle.error, 0, 1e-9);
  EXPECT_NEAR(f.cleaned.error, 0, 1e-9);
  o.fit_from_day = 8;  // 6 days left: too few for seven weekday levels
  EXPECT_FALSE(Forecast(w.t, w.truth, one, o, &f).ok());
  o = ForecastOptions();
  o.train_days = 28;  // nothing left to forecast
  EXPECT_FALSE(Forecast(w.t, w.truth, one, o, &f).ok());
}

TEST(Features, ListIsWhatFeatureTableComputes) {
  // Every feature has a defined value on a day with calls (no feature index falls through).
  const World w = MakeWorld(2, 2, {}, 0);
  const FeatureTable people(w.t, Entity::kEmployee), agents(w.t, Entity::kAgent);
  int defined = 0;
  for (size_t f = 0; f < Features().size(); ++f) {
    const FeatureTable& t = Features()[f].entity == Entity::kEmployee ? people : agents;
    defined += !std::isnan(t.Value(static_cast<int>(f), 0, 0, 1));
    EXPECT_EQ(FindFeature(Features()[f].name), static_cast<int>(f));
  }
  // Undefined without tool calls: the agent shares over actions and writes; and the rank
  // boundary gap of person 0, who ranks first (level with person 1): no boundary above.
  EXPECT_EQ(defined, static_cast<int>(Features().size()) - 5);
}

// The leaderboard-proximity feature: how far a person is below the nearest visible cut line
// (rank 10, the top quarter, the median), as a share of their own tokens.
TEST(Features, RankBoundaryGapIsTheDistanceToTheNearestCutLineAbove) {
  World w = MakeWorld(12, 1, {}, 0);
  // Person p gets 1000 * (p + 1) extra tokens on one call: ranks are 12 - p.
  for (Invocation& i : w.t.invocations) {
    if (i.start_us % kUsPerDay == 9 * 60 * kUsPerMinute) i.input_tokens += 1000 * (i.employee + 1);
  }
  const FeatureTable people(w.t, Entity::kEmployee);
  const int f = FindFeature("rank_boundary_gap_share");
  ASSERT_GE(f, 0);
  auto tokens = [&](uint32_t p) { return people.Value(FindFeature("tokens_per_day"), p, 0, 0); };
  // 12 people: the cut lines are ranks 10, 3 (the top quarter) and 6 (the median).
  // Rank 4 (person 8) is below the top quarter: the gap to rank 3 (person 9).
  EXPECT_NEAR(people.Value(f, 8, 0, 0), (tokens(9) - tokens(8)) / tokens(8), 1e-12);
  // Rank 11 (person 1) is below rank 10 (person 2), the nearest line above.
  EXPECT_NEAR(people.Value(f, 1, 0, 0), (tokens(2) - tokens(1)) / tokens(1), 1e-12);
  // Rank 7 (person 5) is below the median, rank 6 (person 6).
  EXPECT_NEAR(people.Value(f, 5, 0, 0), (tokens(6) - tokens(5)) / tokens(5), 1e-12);
  // The top three have no line above them.
  EXPECT_TRUE(std::isnan(people.Value(f, 11, 0, 0)));
  EXPECT_TRUE(std::isnan(people.Value(f, 9, 0, 0)));
}

}  // namespace
}  // namespace clawsim::telemetry
