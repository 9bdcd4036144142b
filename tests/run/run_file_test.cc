// The run file: round trip, framing, and every way a damaged file must be refused.
#include <google/protobuf/unknown_field_set.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "sim/proto/run.pb.h"
#include "sim/run/crc32.h"
#include "sim/run/csv_writers.h"
#include "sim/run/proto_convert.h"
#include "sim/run/run_file_format.h"
#include "sim/run/run_file_reader.h"
#include "sim/run/run_file_writer.h"
#include "sim/run/summary_json.h"
#include "tests/run/sample_run.h"
#include "tests/run/test_util.h"

namespace clawsim::run {
namespace {

using testing::FreshTestDir;
using testing::ReadFile;
using testing::WriteFile;

// Everything a reader got out of a file.
struct Contents {
  proto::RunHeader header;
  std::vector<proto::Chunk> chunks;
  proto::RunFooter footer;
};

Status ReadContents(const std::string& path, Contents* out) {
  RunFileReader reader;
  Status s = reader.Open(path);
  proto::Chunk chunk;
  bool got = true;
  while (s.ok() && got) {
    s = reader.ReadChunk(&chunk, &got);
    if (s.ok() && got) out->chunks.push_back(chunk);
  }
  if (!s.ok()) return s;
  out->header = reader.header();
  out->footer = reader.footer();
  return Status::Ok();
}

// Offsets where each record of a well-formed file starts, plus the file size at the end.
std::vector<size_t> RecordStarts(const std::string& bytes) {
  std::vector<size_t> starts;
  size_t at = kPreambleBytes;
  while (at < bytes.size()) {
    starts.push_back(at);
    at += kRecordHeaderBytes + DecodeFixed32(bytes.data() + at);
  }
  starts.push_back(bytes.size());
  return starts;
}

TEST(Crc32Test, MatchesTheStandardCheckValue) {
  EXPECT_EQ(Crc32("123456789", 9), 0xCBF43926u);
  EXPECT_EQ(Crc32("", 0), 0u);
  // Continuation: the CRC of a concatenation from the CRC of its first part.
  EXPECT_EQ(Crc32("6789", 4, Crc32("12345", 5)), 0xCBF43926u);
}

TEST(RunFileTest, RoundTripsHeaderChunksAndFooter) {
  const std::string path = FreshTestDir() + "/run.clawrun";
  ASSERT_TRUE(testing::WriteSampleRunFile(path).ok());
  Contents c;
  const Status s = ReadContents(path, &c);
  ASSERT_TRUE(s.ok()) << s.message();

  const RunInfo info = testing::SampleRunInfo();
  EXPECT_EQ(c.header.clawsim_version(), ClawsimVersion());
  EXPECT_EQ(c.header.format_major(), kFormatMajor);
  EXPECT_EQ(c.header.format_minor(), kFormatMinor);
  EXPECT_EQ(c.header.scenario_name(), info.scenario_name);
  EXPECT_EQ(c.header.scenario_path(), info.scenario_path);
  EXPECT_EQ(c.header.scenario_textproto(), info.scenario_textproto);
  ASSERT_EQ(c.header.overrides_size(), 2);
  EXPECT_EQ(c.header.overrides(1), "incentives.visibility=PUBLIC");
  EXPECT_EQ(c.header.seed(), 42u);
  EXPECT_EQ(c.header.threads(), 4u);
  EXPECT_EQ(c.header.days(), 3u);
  EXPECT_EQ(c.header.trace_level(), proto::TRACE_FULL);
  EXPECT_EQ(c.header.action_names_size(), 8);
  EXPECT_EQ(c.header.action_names(6), "deploy.prod");
  ASSERT_EQ(c.header.decision_names_size(), model::kNumGateOutcomes + 2);  // and "held", "released"
  EXPECT_EQ(c.header.decision_names(model::kNumGateOutcomes), "held");
  EXPECT_EQ(c.header.decision_names(1), "asked_approved");
  EXPECT_EQ(c.header.employee_names(4), "O'Brien, \"Pat\"");
  EXPECT_EQ(c.header.target_names(2), "domain:example.com");

  // Rows come back equal to what was written (compared through the CSV renderings, which
  // cover every field), in order, across chunks.
  std::vector<model::DailyMetrics> daily;
  std::vector<model::EmployeeMetrics> employees;
  std::vector<AuditRecord> audit;
  std::vector<TraceEvent> trace;
  std::vector<Span> spans;
  for (const proto::Chunk& chunk : c.chunks) {
    for (const auto& r : chunk.spans().spans()) spans.push_back(FromProto(r));
    for (const auto& r : chunk.daily().rows()) daily.push_back(FromProto(r));
    for (const auto& r : chunk.employees().rows()) employees.push_back(FromProto(r));
    for (const auto& r : chunk.audit().records()) audit.push_back(FromProto(r));
    for (const auto& r : chunk.trace().events()) trace.push_back(FromProto(r));
  }
  EXPECT_EQ(c.chunks.size(), static_cast<size_t>(testing::kSampleChunks));
  EXPECT_EQ(DailyCsv(daily), DailyCsv(testing::SampleDaily()));
  EXPECT_EQ(EmployeesCsv(employees), EmployeesCsv(testing::SampleEmployees()));
  ASSERT_EQ(audit.size(), static_cast<size_t>(testing::kSampleAuditRecords));
  for (int i = 0; i < testing::kSampleAuditRecords; ++i) {
    const AuditRecord want = testing::SampleAuditRecord(i);
    ASSERT_EQ(audit[i].time_us, want.time_us) << i;
    ASSERT_EQ(audit[i].agent_id, want.agent_id) << i;
    ASSERT_EQ(audit[i].on_behalf_of_employee, want.on_behalf_of_employee) << i;
    ASSERT_EQ(audit[i].action, want.action) << i;
    ASSERT_EQ(audit[i].target, want.target) << i;
    ASSERT_EQ(audit[i].decision, want.decision) << i;
    ASSERT_EQ(audit[i].outcome, want.outcome) << i;
    ASSERT_EQ(audit[i].id, static_cast<uint64_t>(i)) << "the writer numbers audit records by index";
    ASSERT_EQ(audit[i].cause.kind, want.cause.kind) << i;
    ASSERT_EQ(audit[i].cause.id, want.cause.id) << i;
  }
  ASSERT_EQ(spans.size(), static_cast<size_t>(testing::kSampleSpans));
  for (int i = 0; i < testing::kSampleSpans; ++i) {
    const Span want = testing::SampleSpan(i);
    const Span& got = spans[i];
    ASSERT_EQ(got.id, static_cast<uint64_t>(i)) << "the writer numbers spans by index";
    ASSERT_EQ(got.kind, want.kind) << i;
    ASSERT_EQ(got.start_us, want.start_us) << i;
    ASSERT_EQ(got.end_us, want.end_us) << i;
    ASSERT_EQ(got.employee_id, want.employee_id) << i;
    ASSERT_EQ(got.agent_id, want.agent_id) << i;
    ASSERT_EQ(got.target, want.target) << i;
    ASSERT_EQ(got.name, want.name) << i;
    ASSERT_EQ(got.trigger, want.trigger) << i;
    ASSERT_EQ(got.purpose, want.purpose) << i;
    ASSERT_EQ(got.outcome, want.outcome) << i;
    ASSERT_EQ(got.item_id, want.item_id) << i;
    ASSERT_EQ(got.deploy_id, want.deploy_id) << i;
    ASSERT_EQ(got.input_tokens, want.input_tokens) << i;
    ASSERT_EQ(got.output_tokens, want.output_tokens) << i;
    ASSERT_EQ(got.cost_usd, want.cost_usd) << i;
    ASSERT_EQ(got.causes.size(), want.causes.size()) << i;
    for (size_t k = 0; k < want.causes.size(); ++k) {
      ASSERT_EQ(got.causes[k].kind, want.causes[k].kind) << i;
      ASSERT_EQ(got.causes[k].id, want.causes[k].id) << i;
    }
  }
  // The default trigger and purpose names are the model's.
  ASSERT_EQ(c.header.trigger_names_size(), model::kNumTriggers);
  EXPECT_EQ(c.header.trigger_names(0), "heartbeat");
  ASSERT_EQ(c.header.purpose_names_size(), model::kNumPurposes);
  EXPECT_EQ(c.header.purpose_names(2), "performative");
  ASSERT_EQ(trace.size(), static_cast<size_t>(testing::kSampleTraceEvents));
  for (int i = 0; i < testing::kSampleTraceEvents; ++i) {
    const TraceEvent want = testing::SampleTraceEvent(i);
    ASSERT_EQ(trace[i].time_us, want.time_us) << i;
    ASSERT_EQ(trace[i].lp, want.lp) << i;
    ASSERT_EQ(trace[i].src_lp, want.src_lp) << i;
    ASSERT_EQ(trace[i].src_seq, want.src_seq) << i;
    ASSERT_EQ(trace[i].kind, want.kind) << i;
  }

  const model::RunSummary summary = FromProto(c.footer.summary(), c.header.threads(), c.footer.wall_s());
  EXPECT_EQ(SummaryJson(summary), SummaryJson(testing::SampleSummary()));
  EXPECT_EQ(summary.threads, 4);
  EXPECT_EQ(summary.wall_s, testing::kSampleWallS);
  EXPECT_EQ(c.footer.counts().chunks(), static_cast<uint64_t>(testing::kSampleChunks));
  EXPECT_EQ(c.footer.counts().audit_records(), static_cast<uint64_t>(testing::kSampleAuditRecords));
  EXPECT_EQ(c.footer.counts().trace_events(), static_cast<uint64_t>(testing::kSampleTraceEvents));
  EXPECT_EQ(c.footer.counts().spans(), static_cast<uint64_t>(testing::kSampleSpans));
  ASSERT_EQ(c.footer.calibration_size(), 2);
  EXPECT_EQ(c.footer.calibration(1).measure(), "change failure rate");
  EXPECT_EQ(c.footer.calibration(1).value(), 0.125);
  EXPECT_EQ(c.footer.calibration(1).high(), 0.1);
  EXPECT_EQ(c.footer.calibration(0).source(), "sample source A");
}

TEST(RunFileTest, StartsWithMagicAndVersionAndFramesEveryRecord) {
  const std::string path = FreshTestDir() + "/run.clawrun";
  ASSERT_TRUE(testing::WriteSampleRunFile(path).ok());
  const std::string bytes = ReadFile(path);
  ASSERT_GT(bytes.size(), kPreambleBytes);
  EXPECT_EQ(bytes.substr(0, 8), std::string("CLAWRUN\0", 8));
  EXPECT_EQ(DecodeFixed32(bytes.data() + 8), 1u);
  EXPECT_EQ(DecodeFixed32(bytes.data() + 12), kFormatMinor);
  const std::vector<size_t> starts = RecordStarts(bytes);
  EXPECT_EQ(starts.back(), bytes.size()) << "records must tile the file exactly";
  EXPECT_EQ(starts.size(), static_cast<size_t>(1 + testing::kSampleChunks + 1 + 1));  // + end marker
  for (size_t i = 0; i + 1 < starts.size(); ++i) {
    const uint32_t length = DecodeFixed32(bytes.data() + starts[i]);
    const std::string_view payload(bytes.data() + starts[i] + kRecordHeaderBytes, length);
    EXPECT_EQ(DecodeFixed32(bytes.data() + starts[i] + 4), RecordCrc(length, payload)) << "record " << i;
  }
}

TEST(RunFileTest, SameRunGivesIdenticalBytes) {
  const std::string dir = FreshTestDir();
  ASSERT_TRUE(testing::WriteSampleRunFile(dir + "/a.clawrun").ok());
  ASSERT_TRUE(testing::WriteSampleRunFile(dir + "/b.clawrun").ok());
  EXPECT_EQ(ReadFile(dir + "/a.clawrun"), ReadFile(dir + "/b.clawrun"));
}

TEST(RunFileTest, ChunkSizeFollowsTheOption) {
  const std::string path = FreshTestDir() + "/run.clawrun";
  ASSERT_TRUE(testing::WriteSampleRunFile(path, RunFileWriterOptions{.rows_per_chunk = 1000}).ok());
  Contents c;
  ASSERT_TRUE(ReadContents(path, &c).ok());
  // 10 audit + 6 span + 5 trace + 1 daily + 1 employee chunks.
  EXPECT_EQ(c.chunks.size(), 23u);
  for (const proto::Chunk& chunk : c.chunks) {
    EXPECT_LE(chunk.audit().records_size(), 1000);
    EXPECT_LE(chunk.spans().spans_size(), 1000);
    EXPECT_LE(chunk.trace().events_size(), 1000);
  }
}

TEST(RunFileTest, TruncatedFileIsRefusedNamingTheOffset) {
  const std::string dir = FreshTestDir();
  const std::string good = dir + "/run.clawrun";
  ASSERT_TRUE(testing::WriteSampleRunFile(good).ok());
  const std::string bytes = ReadFile(good);
  const std::vector<size_t> starts = RecordStarts(bytes);
  const size_t footer = starts[starts.size() - 2];
  struct Cut {
    size_t length;         // bytes kept
    std::string expected;  // in the message
  };
  const std::vector<Cut> cuts = {
      {0, "empty file"},
      {5, "ends inside the 16-byte preamble at byte 5"},
      {12, "ends inside the 16-byte preamble at byte 12"},
      {16, "truncated: the file ends at byte 16 without a footer"},
      {19, "truncated record header (3 of 8 bytes) at byte 16"},
      {16 + 8 + 10, "truncated record ("},
      {starts[2] + 3, "truncated record header (3 of 8 bytes) at byte " + std::to_string(starts[2])},
      {footer, "truncated: the file ends at byte " + std::to_string(footer) + " without a footer"},
      {footer + 9, "at byte " + std::to_string(footer)},
      {bytes.size() - 1, "truncated record (" },
  };
  for (const Cut& cut : cuts) {
    const std::string path = dir + "/cut-" + std::to_string(cut.length) + ".clawrun";
    WriteFile(path, bytes.substr(0, cut.length));
    Contents c;
    const Status s = ReadContents(path, &c);
    ASSERT_FALSE(s.ok()) << "cut at " << cut.length;
    EXPECT_NE(s.message().find(path), std::string::npos) << s.message();
    EXPECT_NE(s.message().find(cut.expected), std::string::npos)
        << "cut at " << cut.length << ": " << s.message();
  }
}

TEST(RunFileTest, FlippedByteInARecordIsAChecksumMismatch) {
  const std::string dir = FreshTestDir();
  const std::string path = dir + "/run.clawrun";
  ASSERT_TRUE(testing::WriteSampleRunFile(path).ok());
  std::string bytes = ReadFile(path);
  const std::vector<size_t> starts = RecordStarts(bytes);
  bytes[starts[3] + kRecordHeaderBytes + 100] ^= 0x10;
  WriteFile(path, bytes);
  Contents c;
  const Status s = ReadContents(path, &c);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("checksum mismatch in record at byte " + std::to_string(starts[3])), std::string::npos)
      << s.message();
}

TEST(RunFileTest, EverySingleByteCorruptionIsDetected) {
  // A small file (trace none, tiny chunks) so every byte can be tried. Since 1.1 this
  // includes the preamble's minor version (bytes 12..15), which must agree with the header's.
  const std::string dir = FreshTestDir();
  const std::string path = dir + "/small.clawrun";
  {
    RunFileWriter w(RunFileWriterOptions{.rows_per_chunk = 2});
    RunInfo info;
    info.scenario_name = "tiny";
    info.days = 3;
    ASSERT_TRUE(w.Open(path).ok());
    ASSERT_TRUE(w.WriteHeader(info).ok());
    for (const auto& d : testing::SampleDaily()) ASSERT_TRUE(w.AddDailyRow(d).ok());
    ASSERT_TRUE(w.WriteFooter(testing::SampleSummary(), 0.5).ok());
    ASSERT_TRUE(w.Commit().ok());
  }
  const std::string bytes = ReadFile(path);
  const std::string damaged_path = dir + "/damaged.clawrun";
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (unsigned char mask : {0x01, 0x80}) {
      std::string damaged = bytes;
      damaged[i] = static_cast<char>(damaged[i] ^ mask);
      WriteFile(damaged_path, damaged);
      Contents c;
      ASSERT_FALSE(ReadContents(damaged_path, &c).ok()) << "byte " << i << " mask " << int{mask};
    }
  }
}

TEST(RunFileTest, BadMagicIsNotARunFile) {
  const std::string path = FreshTestDir() + "/notes.txt";
  WriteFile(path, "name: \"this is a scenario, not a run file\"\n");
  RunFileReader reader;
  const Status s = reader.Open(path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), path + ": not a clawsim run file (bad magic at byte 0: it does not start with \"CLAWRUN\\0\")");
}

TEST(RunFileTest, FutureMajorVersionIsRefusedWithTheVersions) {
  const std::string path = FreshTestDir() + "/run.clawrun";
  ASSERT_TRUE(testing::WriteSampleRunFile(path).ok());
  std::string bytes = ReadFile(path);
  EncodeFixed32(3, bytes.data() + 8);
  WriteFile(path, bytes);
  RunFileReader reader;
  const Status s = reader.Open(path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().rfind("run file " + path + " has format version 3." + std::to_string(kFormatMinor) +
                                  "; this clawsim reads 1.x",
                              0),
            0u)
      << s.message();
}

TEST(RunFileTest, PreambleMinorVersionDisagreeingWithTheHeaderIsRefused) {
  const std::string path = FreshTestDir() + "/run.clawrun";
  ASSERT_TRUE(testing::WriteSampleRunFile(path).ok());
  std::string bytes = ReadFile(path);
  EncodeFixed32(kFormatMinor + 1, bytes.data() + 12);
  WriteFile(path, bytes);
  RunFileReader reader;
  const Status s = reader.Open(path);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("the header says format version 1." + std::to_string(kFormatMinor) +
                            " but the preamble says 1." + std::to_string(kFormatMinor + 1) + " at byte 16"),
            std::string::npos)
      << s.message();
}

// Builds a file by hand from records, to produce structures the writer never would.
std::string HandMadeFile(const std::vector<proto::Record>& records) {
  std::string out = EncodePreamble(kFormatMajor, kFormatMinor);
  for (const proto::Record& r : records) AppendFramedRecord(r.SerializeAsString(), &out);
  return out;
}

proto::Record HeaderRecord() {
  proto::Record r;
  ToProto(testing::SampleRunInfo(), r.mutable_header());
  return r;
}

proto::Record DailyChunkRecord() {
  proto::Record r;
  ToProto(testing::SampleDaily()[0], r.mutable_chunk()->mutable_daily()->add_rows());
  return r;
}

proto::Record FooterRecord(uint64_t chunks, uint64_t daily_rows) {
  proto::Record r;
  r.mutable_footer()->mutable_counts()->set_chunks(chunks);
  r.mutable_footer()->mutable_counts()->set_daily_rows(daily_rows);
  return r;
}

// A file from a newer minor version: preamble and header agree on the minor after this
// build's, and one chunk holds rows of a kind (field 99) this build does not know.
std::string NewerMinorFile() {
  proto::Record header = HeaderRecord();
  header.mutable_header()->set_format_minor(kFormatMinor + 1);
  proto::Record unknown;
  unknown.mutable_chunk()->GetReflection()->MutableUnknownFields(unknown.mutable_chunk())->AddLengthDelimited(
      99, "rows of a future kind");
  std::string out = EncodePreamble(kFormatMajor, kFormatMinor + 1);
  for (const proto::Record& r : {header, DailyChunkRecord(), unknown, FooterRecord(2, 1)}) {
    AppendFramedRecord(r.SerializeAsString(), &out);
  }
  return out;
}

Status ReadHandMade(const std::string& name, const std::string& bytes) {
  const std::string path = FreshTestDir() + "/" + name;
  WriteFile(path, bytes);
  Contents c;
  return ReadContents(path, &c);
}

TEST(RunFileTest, HandMadeWellFormedFileIsRead) {
  const Status s = ReadHandMade("ok.clawrun", HandMadeFile({HeaderRecord(), DailyChunkRecord(), FooterRecord(1, 1)}));
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(RunFileTest, NewerMinorVersionIsReadAndUnknownChunksAreSkippedAndCounted) {
  const std::string path = FreshTestDir() + "/newer.clawrun";
  WriteFile(path, NewerMinorFile());
  RunFileReader reader;
  ASSERT_TRUE(reader.Open(path).ok());
  EXPECT_EQ(reader.format_minor(), kFormatMinor + 1);
  proto::Chunk chunk;
  bool got = false;
  int returned = 0;
  Status s;
  while ((s = reader.ReadChunk(&chunk, &got)).ok() && got) {
    ++returned;
    EXPECT_TRUE(chunk.has_daily());
  }
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(returned, 1);
  EXPECT_EQ(reader.unknown_chunks(), 1u);
  EXPECT_EQ(reader.counts().chunks(), 2u);
}

TEST(RunFileTest, HeaderWithUnspecifiedTraceLevelIsRefused) {
  proto::Record header = HeaderRecord();
  header.mutable_header()->set_trace_level(proto::TRACE_LEVEL_UNSPECIFIED);
  const Status s = ReadHandMade("unspecified.clawrun", HandMadeFile({header, FooterRecord(0, 0)}));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("the header's trace level is unspecified at byte 16"), std::string::npos)
      << s.message();
}

TEST(RunFileTest, NameTableIndexOutOfRangeIsRefused) {
  proto::Record audit;
  ToProto(testing::SampleAuditRecord(3), audit.mutable_chunk()->mutable_audit()->add_records());
  audit.mutable_chunk()->mutable_audit()->mutable_records(0)->set_action(8);  // 8 actions: 0..7
  proto::Record footer = FooterRecord(1, 0);
  footer.mutable_footer()->mutable_counts()->set_audit_records(1);
  Status s = ReadHandMade("action.clawrun", HandMadeFile({HeaderRecord(), audit, footer}));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("audit record 0 of the chunk has action 8, but the header names 8 actions at byte"),
            std::string::npos)
      << s.message();

  proto::Record span;
  ToProto(testing::SampleSpan(1), span.mutable_chunk()->mutable_spans()->add_spans());
  span.mutable_chunk()->mutable_spans()->mutable_spans(0)->set_agent_id(4);  // 4 agents
  footer = FooterRecord(1, 0);
  footer.mutable_footer()->mutable_counts()->set_spans(1);
  s = ReadHandMade("span.clawrun", HandMadeFile({HeaderRecord(), span, footer}));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("span 0 of the chunk has agent_id 4, but the header names 4 agents"),
            std::string::npos)
      << s.message();

  proto::Record backwards;
  proto::Span* b = backwards.mutable_chunk()->mutable_spans()->add_spans();
  ToProto(testing::SampleSpan(0), b);
  b->set_end_us(b->start_us() - 1);
  s = ReadHandMade("backwards.clawrun", HandMadeFile({HeaderRecord(), backwards, footer}));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("ends (-1 us) before it starts (0 us)"), std::string::npos) << s.message();
}

TEST(RunFileTest, FooterCountsMustMatchTheRowsRead) {
  const Status s = ReadHandMade("lost.clawrun", HandMadeFile({HeaderRecord(), DailyChunkRecord(), FooterRecord(2, 2)}));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("the footer counts 2 chunks but the file holds 1"), std::string::npos) << s.message();
}

TEST(RunFileTest, RecordsOutOfPlaceAreRefused) {
  const std::string header_first = HandMadeFile({DailyChunkRecord(), FooterRecord(0, 0)});
  Status s = ReadHandMade("no-header.clawrun", header_first);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("the first record is not the header at byte 16"), std::string::npos) << s.message();

  s = ReadHandMade("two-headers.clawrun", HandMadeFile({HeaderRecord(), HeaderRecord(), FooterRecord(0, 0)}));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("a second header record"), std::string::npos) << s.message();

  s = ReadHandMade("after-footer.clawrun", HandMadeFile({HeaderRecord(), FooterRecord(0, 0), DailyChunkRecord()}));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("unexpected bytes after the footer"), std::string::npos) << s.message();
}

TEST(RunFileTest, ReaderErrorsAreSticky) {
  const std::string path = FreshTestDir() + "/after-footer.clawrun";
  WriteFile(path, HandMadeFile({HeaderRecord(), FooterRecord(0, 0), DailyChunkRecord()}));
  RunFileReader reader;
  ASSERT_TRUE(reader.Open(path).ok());
  const Status first = reader.ReadFooter();
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(reader.ReadFooter().message(), first.message());
  proto::Chunk chunk;
  bool got = true;
  EXPECT_FALSE(reader.ReadChunk(&chunk, &got).ok());
  EXPECT_FALSE(got);
}

TEST(RunFileTest, ReadingAfterAFailedOpenIsAnError) {
  const std::string path = FreshTestDir() + "/notes.txt";
  WriteFile(path, "not a run file at all");
  RunFileReader reader;
  ASSERT_FALSE(reader.Open(path).ok());
  EXPECT_FALSE(reader.ReadFooter().ok());
}

TEST(RunFileWriterTest, DestroyedWithoutCommitLeavesNoFile) {
  const std::string dir = FreshTestDir();
  const std::string path = dir + "/run.clawrun";
  {
    RunFileWriter w;
    ASSERT_TRUE(w.Open(path).ok());
    ASSERT_TRUE(w.WriteHeader(testing::SampleRunInfo()).ok());
    for (int i = 0; i < 5000; ++i) ASSERT_TRUE(w.AddAuditRecord(testing::SampleAuditRecord(i)).ok());
    ASSERT_TRUE(w.WriteFooter(testing::SampleSummary(), 1).ok());
    EXPECT_TRUE(std::filesystem::exists(path + ".tmp"));
    EXPECT_FALSE(std::filesystem::exists(path));
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir));
}

TEST(RunFileWriterTest, CommitReplacesAnOlderFileAndLeavesNoTemporary) {
  const std::string dir = FreshTestDir();
  const std::string path = dir + "/run.clawrun";
  WriteFile(path, "an older run");
  ASSERT_TRUE(testing::WriteSampleRunFile(path).ok());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  RunFileReader reader;
  EXPECT_TRUE(reader.Open(path).ok());
}

TEST(RunFileWriterTest, CallsOutOfSequenceAreErrors) {
  const std::string path = FreshTestDir() + "/run.clawrun";
  RunFileWriter w;
  Status s = w.WriteHeader(testing::SampleRunInfo());
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("WriteHeader() called before Open()"), std::string::npos) << s.message();
  ASSERT_TRUE(w.Open(path).ok());
  s = w.AddDailyRow(testing::SampleDaily()[0]);
  EXPECT_NE(s.message().find("AddDailyRow() called before WriteHeader()"), std::string::npos) << s.message();
  ASSERT_TRUE(w.WriteHeader(testing::SampleRunInfo()).ok());
  s = w.Commit();
  EXPECT_NE(s.message().find("Sync() called after WriteHeader()"), std::string::npos) << s.message();
  ASSERT_TRUE(w.WriteFooter(testing::SampleSummary(), 1).ok());
  s = w.WriteFooter(testing::SampleSummary(), 1);
  EXPECT_NE(s.message().find("WriteFooter() called after WriteFooter()"), std::string::npos) << s.message();
  EXPECT_TRUE(w.Commit().ok());
}

TEST(RunFileWriterTest, TraceLevelDecidesWhichRecordsAreKept) {
  const std::string dir = FreshTestDir();
  for (TraceLevel level : {TraceLevel::kNone, TraceLevel::kAudit, TraceLevel::kFull}) {
    const std::string path = dir + "/" + TraceLevelName(level) + ".clawrun";
    RunFileWriter w;
    RunInfo info = testing::SampleRunInfo();
    info.trace = level;
    ASSERT_TRUE(w.Open(path).ok());
    ASSERT_TRUE(w.WriteHeader(info).ok());
    EXPECT_EQ(w.wants_audit(), level != TraceLevel::kNone);
    EXPECT_EQ(w.wants_trace(), level == TraceLevel::kFull);
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(w.AddAuditRecord(testing::SampleAuditRecord(i)).ok());
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(w.AddTraceEvent(testing::SampleTraceEvent(i)).ok());
    ASSERT_TRUE(w.WriteFooter(testing::SampleSummary(), 1).ok());
    ASSERT_TRUE(w.Commit().ok());
    RunFileReader reader;
    ASSERT_TRUE(reader.Open(path).ok());
    ASSERT_TRUE(reader.ReadFooter().ok());
    EXPECT_EQ(reader.counts().audit_records(), level == TraceLevel::kNone ? 0u : 10u) << TraceLevelName(level);
    EXPECT_EQ(reader.counts().trace_events(), level == TraceLevel::kFull ? 20u : 0u) << TraceLevelName(level);
  }
}

TEST(RunFileWriterTest, SpansAreKeptFromTheAuditLevelOn) {
  const std::string dir = FreshTestDir();
  for (TraceLevel level : {TraceLevel::kNone, TraceLevel::kAudit}) {
    const std::string path = dir + "/" + TraceLevelName(level) + ".clawrun";
    RunFileWriter w;
    RunInfo info = testing::SampleRunInfo();
    info.trace = level;
    ASSERT_TRUE(w.Open(path).ok());
    ASSERT_TRUE(w.WriteHeader(info).ok());
    EXPECT_EQ(w.wants_spans(), level != TraceLevel::kNone);
    for (int i = 0; i < 12; ++i) ASSERT_TRUE(w.AddSpan(testing::SampleSpan(i)).ok());
    ASSERT_TRUE(w.WriteFooter(testing::SampleSummary(), 1).ok());
    ASSERT_TRUE(w.Commit().ok());
    RunFileReader reader;
    ASSERT_TRUE(reader.Open(path).ok());
    ASSERT_TRUE(reader.ReadFooter().ok());
    EXPECT_EQ(reader.counts().spans(), level == TraceLevel::kNone ? 0u : 12u);
  }
}

TEST(RunFileWriterTest, ModelChosenIdsAreKeptAndAMixIsRefused) {
  const std::string path = FreshTestDir() + "/ids.clawrun";
  RunFileWriter w;
  ASSERT_TRUE(w.Open(path).ok());
  ASSERT_TRUE(w.WriteHeader(testing::SampleRunInfo()).ok());
  Span span = testing::SampleSpan(0);
  span.id = (7ULL << 40) | 3;  // LP 7's third span
  ASSERT_TRUE(w.AddSpan(span).ok());
  AuditRecord audit = testing::SampleAuditRecord(0);
  audit.id = 12345;
  ASSERT_TRUE(w.AddAuditRecord(audit).ok());
  ASSERT_TRUE(w.WriteFooter(testing::SampleSummary(), 1).ok());
  ASSERT_TRUE(w.Commit().ok());
  Contents c;
  ASSERT_TRUE(ReadContents(path, &c).ok());
  bool saw_span = false, saw_audit = false;
  for (const proto::Chunk& chunk : c.chunks) {
    for (const auto& s : chunk.spans().spans()) saw_span = s.id() == ((7ULL << 40) | 3);
    for (const auto& a : chunk.audit().records()) saw_audit = a.id() == 12345;
  }
  EXPECT_TRUE(saw_span);
  EXPECT_TRUE(saw_audit);

  RunFileWriter mixed;
  ASSERT_TRUE(mixed.Open(FreshTestDir() + "/mixed.clawrun").ok());
  ASSERT_TRUE(mixed.WriteHeader(testing::SampleRunInfo()).ok());
  ASSERT_TRUE(mixed.AddSpan(span).ok());
  const Status s = mixed.AddSpan(testing::SampleSpan(1));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("AddSpan() got a record without an id after records with ids"), std::string::npos)
      << s.message();
}

TEST(RunFileWriterTest, RecordsTheReaderWouldRefuseAreNotWritten) {
  RunFileWriter w(RunFileWriterOptions{.rows_per_chunk = 1});
  ASSERT_TRUE(w.Open(FreshTestDir() + "/bad.clawrun").ok());
  ASSERT_TRUE(w.WriteHeader(testing::SampleRunInfo()).ok());
  Span span = testing::SampleSpan(0);
  span.name = 99;
  const Status s = w.AddSpan(span);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("span 0 of the chunk has name 99, but the header names 4 span names"),
            std::string::npos)
      << s.message();
}

TEST(TraceLevelTest, ParsesTheThreeNames) {
  TraceLevel level = TraceLevel::kNone;
  EXPECT_TRUE(ParseTraceLevel("full", &level).ok());
  EXPECT_EQ(level, TraceLevel::kFull);
  EXPECT_TRUE(ParseTraceLevel("audit", &level).ok());
  EXPECT_EQ(level, TraceLevel::kAudit);
  const Status s = ParseTraceLevel("verbose", &level);
  EXPECT_EQ(s.message(), "unknown trace level 'verbose'; expected none, audit or full");
}

}  // namespace
}  // namespace clawsim::run
