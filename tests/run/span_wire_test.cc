// The span decoder (sim/run/span_wire.h) against protobuf: RunFileReader::ReadChunkOrSpans
// must read exactly the spans ReadChunk reads, and accept or refuse every damaged file
// exactly as ReadChunk does, with the same message.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/arena.h>

#include "sim/proto/run.pb.h"
#include "sim/run/run_file_reader.h"
#include "sim/run/run_file_writer.h"
#include "sim/run/span_wire.h"
#include "tests/run/sample_run.h"
#include "tests/run/test_util.h"

namespace clawsim::run {
namespace {

using testing::FreshTestDir;
using testing::ReadFile;
using testing::WriteFile;

// A WireSpan as the proto::Span it was decoded from.
proto::Span ToSpan(const WireSpan& w, const WireSpans& rows) {
  proto::Span s;
  s.set_kind(static_cast<proto::Span::Kind>(w.kind));
  s.set_id(w.id);
  s.set_start_us(w.start_us);
  s.set_end_us(w.end_us);
  if (w.present & WireSpan::kHasEmployee) s.set_employee_id(w.employee_id);
  if (w.present & WireSpan::kHasAgent) s.set_agent_id(w.agent_id);
  if (w.present & WireSpan::kHasTarget) s.set_target(w.target);
  if (w.present & WireSpan::kHasName) s.set_name(w.name);
  if (w.present & WireSpan::kHasTrigger) s.set_trigger(w.trigger);
  if (w.present & WireSpan::kHasPurpose) s.set_purpose(w.purpose);
  if (w.present & WireSpan::kHasOutcome) s.set_outcome(w.outcome);
  if (w.present & WireSpan::kHasItem) s.set_item_id(w.item_id);
  if (w.present & WireSpan::kHasDeploy) s.set_deploy_id(w.deploy_id);
  s.set_input_tokens(w.input_tokens);
  s.set_output_tokens(w.output_tokens);
  s.set_cost_usd(w.cost_usd);
  for (uint32_t c = w.first_cause; c < w.first_cause + w.cause_count; ++c) {
    proto::Cause* cause = s.add_causes();
    cause->set_kind(static_cast<proto::Cause::Kind>(rows.causes[c].kind));
    cause->set_id(rows.causes[c].id);
  }
  return s;
}

// Every span of the file (serialized, in order) and how reading ended, by either path.
struct ReadBack {
  std::vector<std::string> spans;
  std::string status;  // "" when the whole file read cleanly
};

ReadBack ReadAll(const std::string& path, bool wire) {
  ReadBack out;
  RunFileReader reader;
  Status s = reader.Open(path);
  bool got = s.ok();
  while (s.ok() && got) {
    if (wire) {
      std::unique_ptr<google::protobuf::Arena> arena;
      const proto::Chunk* chunk = nullptr;
      WireSpans rows;
      s = reader.ReadChunkOrSpans(&arena, &chunk, &rows, &got);
      if (!s.ok() || !got) break;
      if (chunk == nullptr) {
        for (const WireSpan& w : rows.spans) out.spans.push_back(ToSpan(w, rows).SerializeAsString());
      } else {
        for (const proto::Span& p : chunk->spans().spans()) out.spans.push_back(p.SerializeAsString());
      }
    } else {
      proto::Chunk chunk;
      s = reader.ReadChunk(&chunk, &got);
      if (!s.ok() || !got) break;
      for (const proto::Span& p : chunk.spans().spans()) out.spans.push_back(p.SerializeAsString());
    }
  }
  out.status = s.ok() ? "" : s.message();
  return out;
}

TEST(SpanWireTest, DecodesTheSampleSpansAsProtobufDoes) {
  const std::string path = FreshTestDir() + "/sample.clawrun";
  ASSERT_TRUE(testing::WriteSampleRunFile(path).ok());
  const ReadBack proto = ReadAll(path, false);
  const ReadBack wire = ReadAll(path, true);
  ASSERT_EQ(proto.status, "");
  ASSERT_EQ(wire.status, "");
  ASSERT_EQ(proto.spans.size(), static_cast<size_t>(testing::kSampleSpans));
  EXPECT_EQ(wire.spans, proto.spans);
}

TEST(SpanWireTest, EveryByteFlipIsReadTheSameWayByBothPaths) {
  // A few spans in chunks of two, so that every byte can be tried.
  const std::string dir = FreshTestDir();
  const std::string path = dir + "/spans.clawrun";
  {
    RunFileWriter w(RunFileWriterOptions{.rows_per_chunk = 2});
    RunInfo info = testing::SampleRunInfo();
    info.trace = TraceLevel::kAudit;
    ASSERT_TRUE(w.Open(path).ok());
    ASSERT_TRUE(w.WriteHeader(info).ok());
    for (int i = 995; i < 1000; ++i) ASSERT_TRUE(w.AddSpan(testing::SampleSpan(i)).ok());
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
      const ReadBack proto = ReadAll(damaged_path, false);
      const ReadBack wire = ReadAll(damaged_path, true);
      ASSERT_NE(proto.status, "") << "byte " << i;
      ASSERT_EQ(wire.status, proto.status) << "byte " << i << " mask " << int{mask};
    }
  }
}

// Wire bytes the decoder leaves to protobuf, and bytes it must decode as protobuf does.
TEST(SpanWireTest, DecodesOnlyWhatItDecodesExactly) {
  proto::Record record;
  proto::Span* span = record.mutable_chunk()->mutable_spans()->add_spans();
  span->set_kind(proto::Span::INCIDENT);
  span->set_start_us(-5);  // a ten-byte varint
  span->set_end_us(7);
  span->set_outcome(3);
  span->add_causes()->set_id(9);
  WireSpans out;
  std::string bytes = record.SerializeAsString();
  ASSERT_TRUE(DecodeSpanChunk(bytes.data(), bytes.size(), &out));
  ASSERT_EQ(out.spans.size(), 1u);
  EXPECT_EQ(ToSpan(out.spans[0], out).SerializeAsString(), span->SerializeAsString());

  // A scalar written twice: the last wins. An unknown field (number 99) is skipped.
  const std::string inner = span->SerializeAsString() + std::string("\x18\x02", 2) + std::string("\x98\x06\x01", 3);
  proto::Span parsed;
  ASSERT_TRUE(parsed.ParseFromString(inner));
  std::string rows = std::string("\x0a", 1) + static_cast<char>(inner.size()) + inner;
  std::string chunk = std::string("\x2a", 1) + static_cast<char>(rows.size()) + rows;
  bytes = std::string("\x12", 1) + static_cast<char>(chunk.size()) + chunk;
  ASSERT_TRUE(DecodeSpanChunk(bytes.data(), bytes.size(), &out));
  EXPECT_EQ(out.spans[0].start_us, 2);
  parsed.GetReflection()->MutableUnknownFields(&parsed)->Clear();
  EXPECT_EQ(ToSpan(out.spans[0], out).SerializeAsString(), parsed.SerializeAsString());

  // Not a span chunk, or not in the one shape it decodes: left to protobuf.
  proto::Record daily;
  daily.mutable_chunk()->mutable_daily()->add_rows();
  bytes = daily.SerializeAsString();
  EXPECT_FALSE(DecodeSpanChunk(bytes.data(), bytes.size(), &out));
  bytes = record.SerializeAsString() + record.SerializeAsString();  // two chunk fields: protobuf merges
  EXPECT_FALSE(DecodeSpanChunk(bytes.data(), bytes.size(), &out));
  bytes = record.SerializeAsString();
  EXPECT_FALSE(DecodeSpanChunk(bytes.data(), bytes.size() - 1, &out));  // cut short
}

}  // namespace
}  // namespace clawsim::run
