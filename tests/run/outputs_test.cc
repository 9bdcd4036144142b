// summary.json, employees.csv, daily.csv and OutputDir.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "sim/run/atomic_file.h"
#include "sim/run/csv_writers.h"
#include "sim/run/number_format.h"
#include "sim/run/output_dir.h"
#include "sim/run/run_file_reader.h"
#include "sim/run/summary_json.h"
#include "tests/run/sample_run.h"
#include "tests/run/test_util.h"

namespace clawsim::run {
namespace {

using testing::FreshTestDir;
using testing::ReadFile;
using testing::WriteFile;

// A minimal RFC 4180 reader: enough to check what the writers produce.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  bool row_open = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    row_open = true;
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field);
      field.clear();
    } else if (c == '\n') {
      rows.back().push_back(field);
      field.clear();
      rows.emplace_back();
      row_open = false;
    } else {
      field += c;
    }
  }
  if (row_open) rows.back().push_back(field);
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

// Cell (row, column name) of a parsed CSV whose first row is the header.
std::string Cell(const std::vector<std::vector<std::string>>& csv, size_t row, const std::string& column) {
  for (size_t c = 0; c < csv[0].size(); ++c) {
    if (csv[0][c] == column) return csv.at(row).at(c);
  }
  ADD_FAILURE() << "no column " << column;
  return "";
}

TEST(NumberFormatTest, ShortestRoundTripAndNonFinite) {
  EXPECT_EQ(FormatDouble(0.1), "0.1");
  EXPECT_EQ(FormatDouble(45.5), "45.5");
  EXPECT_EQ(FormatDouble(3), "3");
  EXPECT_EQ(FormatDouble(1e-7), "1e-07");
  EXPECT_EQ(FormatDouble(std::numeric_limits<double>::quiet_NaN()), "nan");
  EXPECT_EQ(FormatDouble(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(JsonNumber(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(FormatFingerprint(0xabcULL), "0000000000000abc");
  EXPECT_EQ(CsvField("payments"), "payments");
  EXPECT_EQ(CsvField("O'Brien, \"Pat\""), "\"O'Brien, \"\"Pat\"\"\"");
}

TEST(SummaryJsonTest, HasTheRequiredKeysAndValues) {
  const std::string json = SummaryJson(testing::SampleSummary());
  ASSERT_EQ(json.front(), '{');
  ASSERT_EQ(json.back(), '}');
  EXPECT_EQ(json.find('\n'), std::string::npos);
  for (const char* expected : {
           "\"scenario\":\"sample-org\"",   "\"seed\":42",
           "\"fingerprint\":\"0123456789abcdef\"", "\"events\":987654",
           "\"employees\":5",               "\"agents\":4",
           "\"days\":3",                    "\"tokens_total\":1500000",
           "\"input_tokens\":1200000",      "\"token_cost_usd\":45.5",
           "\"value_usd\":12345.5",         "\"performative_token_share\":0.24",
           "\"incidents\":3",               "\"actions_allowed\":9000",
           "\"actions_asked\":500",         "\"actions_asked_approved\":400",
           "\"actions_asked_rejected\":100", "\"actions_denied\":450",
           "\"actions_rate_limited\":50",   "\"data_leaks\":1",
           "\"hours\":{\"working_hours\":96.5,\"review_hours\":10.25,\"approval_hours\":4.5,"
           "\"fixing_hours\":3.75,\"saved_hours\":22,\"setup_hours\":0,\"help_cost_hours\":0,\"backlog_hours\":0}",
           "\"dora\":{\"deployment_frequency_per_day\":2.5,\"lead_time_for_changes_hours\":3.25,"
           "\"change_failure_rate\":0.125,\"time_to_restore_hours\":1.5,\"rework_rate\":0.0625}",
           "\"performative\":{\"input_tokens\":300000,\"output_tokens\":60000,\"total_tokens\":360000,"
           "\"cost_usd\":10,\"invocations\":150}",
           "\"tokens_by_tier\":{\"frontier\":{\"input_tokens\":1000000,",
           "\"tokens_by_team\":{\"payments\":{\"input_tokens\":900000,",
       }) {
    EXPECT_NE(json.find(expected), std::string::npos) << "missing " << expected << " in " << json;
  }
  // Reproducible across thread counts: no run-execution details.
  EXPECT_EQ(json.find("wall_s"), std::string::npos);
  EXPECT_EQ(json.find("threads"), std::string::npos);
}

TEST(SummaryJsonTest, EmptyRunHasZeroShareAndEmptyTables) {
  const std::string json = SummaryJson(model::RunSummary{});
  EXPECT_NE(json.find("\"performative_token_share\":0,"), std::string::npos) << json;
  EXPECT_NE(json.find("\"tokens_by_tier\":{}"), std::string::npos) << json;
}

TEST(CsvTest, EmployeesHasEveryColumnAndOneRowPerEmployee) {
  const auto csv = ParseCsv(EmployeesCsv(testing::SampleEmployees()));
  ASSERT_EQ(csv.size(), 1u + testing::kSampleEmployees);
  std::vector<std::string> expected = {"employee_id", "name", "team", "role", "agents", "items_completed",
                                       "value_usd", "hourly_cost_usd", "net_value_usd", "tokens_total",
                                       "input_tokens", "output_tokens", "token_cost_usd", "invocations",
                                       "busy_hours", "available_hours", "changes_completed", "changes_merged",
                                       "performative_automations", "pressure", "rank", "code_trust", "handover_share", "changes_delegated",
                                       "unassigned_changes_handed"};
  for (const char* slice : {"useful", "overhead", "performative", "heartbeat", "cron", "event", "dreaming"}) {
    for (const char* field : {"_tokens", "_input_tokens", "_output_tokens", "_cost_usd", "_invocations"}) {
      expected.push_back(std::string(slice) + field);
    }
  }
  for (const char* column : {"working_hours", "review_hours", "approval_hours", "fixing_hours", "saved_hours", "setup_hours",
                             "help_cost_hours", "backlog_hours", "agent_errors", "actions_allowed", "actions_asked_approved",
                             "actions_asked_rejected", "actions_denied", "actions_rate_limited", "actions_asked_expired"}) {
    expected.push_back(column);
  }
  EXPECT_EQ(csv[0], expected);
  for (const auto& row : csv) EXPECT_EQ(row.size(), expected.size());

  const model::EmployeeMetrics e = testing::SampleEmployees()[4];
  EXPECT_EQ(Cell(csv, 5, "name"), "O'Brien, \"Pat\"");  // quoted on disk, intact when read
  EXPECT_EQ(Cell(csv, 5, "employee_id"), "4");
  EXPECT_EQ(Cell(csv, 5, "team"), "platform");
  EXPECT_EQ(Cell(csv, 5, "role"), "other");
  EXPECT_EQ(Cell(csv, 5, "tokens_total"), std::to_string(e.tokens().total_tokens()));
  EXPECT_EQ(Cell(csv, 5, "performative_input_tokens"), "15000");  // 1000 * 5 * 3
  EXPECT_EQ(Cell(csv, 5, "dreaming_cost_usd"), "0.5");
  EXPECT_EQ(Cell(csv, 5, "net_value_usd"), FormatDouble(e.net_value_usd()));
  EXPECT_EQ(Cell(csv, 5, "actions_allowed"), "1004");
  EXPECT_EQ(Cell(csv, 1, "approval_hours"), "0");
}

TEST(CsvTest, DailyHasEveryColumnAndOneRowPerDay) {
  const auto csv = ParseCsv(DailyCsv(testing::SampleDaily()));
  ASSERT_EQ(csv.size(), 1u + testing::kSampleDays);
  const std::vector<std::string> expected = {
      "day",           "tokens_total",    "input_tokens",     "output_tokens",         "token_cost_usd",
      "invocations",   "useful_tokens",   "overhead_tokens",  "performative_tokens",   "value_usd",
      "hours_saved",   "items_arrived",   "items_completed",  "deploys_prod",          "deploys_failed",
      "incidents_opened", "actions_allowed", "actions_asked_approved", "actions_asked_rejected",
      "actions_denied", "actions_rate_limited", "actions_asked_expired"};
  EXPECT_EQ(csv[0], expected);
  for (size_t d = 0; d < testing::kSampleDays; ++d) {
    EXPECT_EQ(Cell(csv, d + 1, "day"), std::to_string(d));
    EXPECT_EQ(csv[d + 1].size(), expected.size());
  }
  EXPECT_EQ(Cell(csv, 3, "token_cost_usd"), "17.1");
  EXPECT_EQ(Cell(csv, 2, "deploys_failed"), "1");
  EXPECT_EQ(Cell(csv, 1, "performative_tokens"), "120000");
  EXPECT_EQ(Cell(csv, 3, "actions_rate_limited"), "2");
}

TEST(CsvTest, NoRowsIsJustTheHeader) {
  EXPECT_EQ(ParseCsv(DailyCsv({})).size(), 1u);
  EXPECT_EQ(ParseCsv(EmployeesCsv({})).size(), 1u);
}

TEST(AtomicFileTest, WriteFileAtomicallyReplacesAndCleansUp) {
  const std::string dir = FreshTestDir();
  const std::string path = dir + "/summary.json";
  WriteFile(path, "old");
  ASSERT_TRUE(WriteSummaryJson(path, testing::SampleSummary()).ok());
  EXPECT_EQ(ReadFile(path), SummaryJson(testing::SampleSummary()) + "\n");
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(AtomicFileTest, MissingDirectoryIsAnErrorNamingTheFile) {
  const std::string path = FreshTestDir() + "/no/such/dir/daily.csv";
  const Status s = WriteDailyCsv(path, testing::SampleDaily());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(path + ".tmp: creating failed: No such file or directory"), std::string::npos)
      << s.message();
}

// Streams the sample run into an OutputDir the way the runner does.
Status WriteSampleOutputs(OutputDir* out, const std::string& dir) {
  Status s = out->Open(dir);
  if (s.ok()) s = out->run_file().WriteHeader(testing::SampleRunInfo());
  for (int i = 0; i < 100 && s.ok(); ++i) s = out->run_file().AddAuditRecord(testing::SampleAuditRecord(i));
  if (s.ok()) {
    s = out->Commit(testing::SampleSummary(), testing::SampleEmployees(), testing::SampleDaily(),
                    testing::kSampleWallS);
  }
  return s;
}

TEST(OutputDirTest, CommitWritesTheFourFilesTogether) {
  const std::string dir = FreshTestDir() + "/results/sample-org-s42";  // parents created
  OutputDir out;
  const Status s = WriteSampleOutputs(&out, dir);
  ASSERT_TRUE(s.ok()) << s.message();
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"daily.csv", "employees.csv", "run.clawrun", "summary.json"}));
  EXPECT_EQ(ReadFile(dir + "/summary.json"), SummaryJson(testing::SampleSummary()) + "\n");
  EXPECT_EQ(ReadFile(dir + "/employees.csv"), EmployeesCsv(testing::SampleEmployees()));
  EXPECT_EQ(ReadFile(dir + "/daily.csv"), DailyCsv(testing::SampleDaily()));
  RunFileReader reader;
  ASSERT_TRUE(reader.Open(dir + "/run.clawrun").ok());
  ASSERT_TRUE(reader.ReadFooter().ok());
  EXPECT_EQ(reader.counts().daily_rows(), static_cast<uint64_t>(testing::kSampleDays));
  EXPECT_EQ(reader.counts().employee_rows(), static_cast<uint64_t>(testing::kSampleEmployees));
  EXPECT_EQ(reader.counts().audit_records(), 100u);
}

TEST(OutputDirTest, RowsAddedBeforeCommitAreRefusedNotDuplicated) {
  const std::string dir = FreshTestDir();
  OutputDir out;
  ASSERT_TRUE(out.Open(dir).ok());
  ASSERT_TRUE(out.run_file().WriteHeader(testing::SampleRunInfo()).ok());
  ASSERT_TRUE(out.run_file().AddDailyRow(testing::SampleDaily()[0]).ok());
  const Status s = out.Commit(testing::SampleSummary(), testing::SampleEmployees(), testing::SampleDaily(), 1);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("remove the AddDailyRow/AddEmployeeRow calls"), std::string::npos) << s.message();
  EXPECT_TRUE(std::filesystem::is_empty(dir));
}

TEST(OutputDirTest, DefaultPathIsResultsScenarioSeed) {
  EXPECT_EQ(OutputDir::DefaultPath("tokenmaxxing", 7), "results/tokenmaxxing-s7");
}

TEST(OutputDirTest, AbandonedRunLeavesNoFiles) {
  const std::string dir = FreshTestDir() + "/out";
  {
    OutputDir out;
    ASSERT_TRUE(out.Open(dir).ok());
    ASSERT_TRUE(out.run_file().WriteHeader(testing::SampleRunInfo()).ok());
    EXPECT_TRUE(std::filesystem::exists(dir + ".tmp/run.clawrun.tmp"));
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  EXPECT_FALSE(std::filesystem::exists(dir + ".tmp"));
}

// The folder is replaced as a whole: the second run's four files, never a mix, and the
// first run's outputs are gone.
TEST(OutputDirTest, ASecondRunReplacesTheFolderAsAWhole) {
  const std::string dir = FreshTestDir() + "/out";
  OutputDir first;
  ASSERT_TRUE(WriteSampleOutputs(&first, dir).ok());
  WriteFile(dir + "/daily.csv", "stale");
  OutputDir second;
  ASSERT_TRUE(second.Open(dir).ok());
  // Until the commit, the first run's files are untouched.
  EXPECT_EQ(ReadFile(dir + "/daily.csv"), "stale");
  ASSERT_TRUE(second.run_file().WriteHeader(testing::SampleRunInfo()).ok());
  ASSERT_TRUE(second.Commit(testing::SampleSummary(), testing::SampleEmployees(), testing::SampleDaily(),
                            testing::kSampleWallS).ok());
  EXPECT_EQ(ReadFile(dir + "/daily.csv"), DailyCsv(testing::SampleDaily()));
  EXPECT_FALSE(std::filesystem::exists(dir + ".tmp"));
}

TEST(OutputDirTest, AFolderHoldingOtherFilesIsRefusedAndLeftAlone) {
  const std::string dir = FreshTestDir();
  WriteFile(dir + "/notes.txt", "mine");
  std::filesystem::create_directories(dir + "/daily.csv/blocker");  // an output's name, not a file
  for (const std::string& entry : {std::string("notes.txt"), std::string("daily.csv")}) {
    OutputDir out;
    const Status s = out.Open(dir);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.message().find("holds something clawsim did not write"), std::string::npos) << s.message();
    if (entry == "notes.txt") std::filesystem::remove(dir + "/notes.txt");
  }
  EXPECT_TRUE(std::filesystem::exists(dir + "/daily.csv/blocker"));
  EXPECT_FALSE(std::filesystem::exists(dir + ".tmp"));
  OutputDir here;
  const Status s = here.Open(".");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("cannot be the current, parent or root directory"), std::string::npos) << s.message();
}

TEST(OutputDirTest, AStagingFolderLeftByACrashIsCleared) {
  const std::string dir = FreshTestDir() + "/out";
  std::filesystem::create_directories(dir + ".tmp");
  WriteFile(dir + ".tmp/run.clawrun.tmp", "half");
  OutputDir out;
  ASSERT_TRUE(WriteSampleOutputs(&out, dir).ok());
  EXPECT_FALSE(std::filesystem::exists(dir + ".tmp"));
  RunFileReader reader;
  ASSERT_TRUE(reader.Open(dir + "/run.clawrun").ok());
}

TEST(OutputDirTest, OutputPathThatIsAFileIsRefused) {
  const std::string dir = FreshTestDir();
  WriteFile(dir + "/taken", "x");
  OutputDir out;
  const Status s = out.Open(dir + "/taken");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(dir + "/taken"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace clawsim::run
