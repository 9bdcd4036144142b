// The rules across records (RUN_FILE.md, "Rules across records"): files whose every record
// has a valid checksum but which break a documented rule are refused with the rule named.
#include "sim/run/file_rules.h"

#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/arena.h>

#include <gtest/gtest.h>

#include "sim/run/proto_convert.h"
#include "sim/run/run_file_format.h"
#include "sim/run/run_file_reader.h"
#include "sim/run/span_wire.h"
#include "tests/run/sample_run.h"
#include "tests/run/test_util.h"

namespace clawsim::run {
namespace {

using testing::FreshTestDir;
using testing::WriteFile;

std::string File(const std::vector<proto::Record>& records) {
  std::string out = EncodePreamble(kFormatMajor, kFormatMinor);
  for (const proto::Record& r : records) AppendFramedRecord(r.SerializeAsString(), &out);
  return out;
}

proto::Record Header(proto::TraceLevel level = proto::TRACE_FULL) {
  proto::Record r;
  ToProto(testing::SampleRunInfo(), r.mutable_header());
  r.mutable_header()->set_trace_level(level);
  return r;
}

proto::Record Daily(std::vector<uint32_t> days) {
  proto::Record r;
  for (uint32_t d : days) {
    proto::DailyRow* row = r.mutable_chunk()->mutable_daily()->add_rows();
    ToProto(testing::SampleDaily()[0], row);
    row->set_day(d);
  }
  return r;
}

proto::Record Employees(std::vector<uint32_t> ids) {
  proto::Record r;
  for (uint32_t id : ids) {
    proto::EmployeeRow* row = r.mutable_chunk()->mutable_employees()->add_rows();
    ToProto(testing::SampleEmployees()[0], row);
    row->set_employee_id(id);
  }
  return r;
}

proto::Record Audit(std::vector<int> ids) {
  proto::Record r;
  for (int id : ids) {
    proto::AuditRecord* a = r.mutable_chunk()->mutable_audit()->add_records();
    ToProto(testing::SampleAuditRecord(0), a);
    a->clear_causes();
    if (id >= 0) {
      a->set_id(static_cast<uint64_t>(id));
    } else {
      a->clear_id();
    }
  }
  return r;
}

proto::Record Spans(std::vector<uint64_t> ids, int cause_kind = proto::Cause::ITEM) {
  proto::Record r;
  for (uint64_t id : ids) {
    proto::Span* s = r.mutable_chunk()->mutable_spans()->add_spans();
    ToProto(testing::SampleSpan(0), s);
    s->set_id(id);
    s->clear_causes();
    proto::Cause* c = s->add_causes();
    c->set_kind(static_cast<proto::Cause::Kind>(cause_kind));
    c->set_id(1);
  }
  return r;
}

// A footer whose counts match `chunks`, so only the rule under test can fail.
proto::Record Footer(const std::vector<proto::Record>& chunks) {
  proto::Record r;
  proto::RecordCounts* c = r.mutable_footer()->mutable_counts();
  for (const proto::Record& k : chunks) {
    if (!k.has_chunk()) continue;
    c->set_chunks(c->chunks() + 1);
    c->set_daily_rows(c->daily_rows() + k.chunk().daily().rows_size());
    c->set_employee_rows(c->employee_rows() + k.chunk().employees().rows_size());
    c->set_audit_records(c->audit_records() + k.chunk().audit().records_size());
    c->set_spans(c->spans() + k.chunk().spans().spans_size());
  }
  return r;
}

// Reads a file of `header`, `chunks` and a matching footer, both ways the reader can (proto
// chunks and the span decoder); returns the first error ("" if read), which both must share.
std::string Read(const std::vector<proto::Record>& chunks, const proto::Record& header = Header()) {
  std::vector<proto::Record> records = {header};
  records.insert(records.end(), chunks.begin(), chunks.end());
  records.push_back(Footer(chunks));
  const std::string path = FreshTestDir() + "/rules.clawrun";
  WriteFile(path, File(records));
  RunFileReader reader;
  Status s = reader.Open(path);
  if (s.ok()) s = reader.ReadFooter();
  RunFileReader viewer;
  Status v = viewer.Open(path);
  WireSpans spans;
  bool got = true;
  while (v.ok() && got) {
    std::unique_ptr<google::protobuf::Arena> arena;
    const proto::Chunk* chunk = nullptr;
    v = viewer.ReadChunkOrSpans(&arena, &chunk, &spans, &got);
  }
  EXPECT_EQ(s.ok(), v.ok()) << s.message() << " / " << v.message();
  return s.ok() ? "" : s.message();
}

TEST(FileRulesTest, AWellFormedFileKeepsEveryRule) {
  EXPECT_EQ(Read({Daily({0, 1}), Daily({2}), Employees({0, 1}), Employees({4}), Audit({0, 1}), Audit({7}),
                  Spans({5, 9}), Spans({6})}),
            "");
}

TEST(FileRulesTest, DailyRowsAreDaysInOrderWithinTheRun) {
  EXPECT_NE(Read({Daily({0, 2})}).find("daily row 1 of the file is for day 2; daily rows are days 0, 1, 2, ... in "
                                       "order"),
            std::string::npos);
  // Two chunks of the same kind swapped.
  EXPECT_NE(Read({Daily({1}), Daily({0})}).find("daily row 0 of the file is for day 1"), std::string::npos);
  EXPECT_NE(Read({Daily({4000000000u})}).find("is for day 4000000000"), std::string::npos);
  // The sample header is a run of 3 days.
  EXPECT_NE(Read({Daily({0, 1, 2, 3})}).find("daily row for day 3 in a run of 3 days"), std::string::npos);
}

TEST(FileRulesTest, EmployeeRowsAreInIncreasingIdOrderOnceEach) {
  EXPECT_NE(Read({Employees({0, 2}), Employees({2})})
                .find("employee row for employee_id 2 follows the row for 2; employee rows are in increasing "
                      "employee_id order, one each"),
            std::string::npos);
  EXPECT_NE(Read({Employees({3, 1})}).find("employee_id 1 follows the row for 3"), std::string::npos);
}

TEST(FileRulesTest, RecordIdsAreUniqueAndAuditRecordsHaveOne) {
  EXPECT_NE(Read({Audit({0, 1}), Audit({1})}).find("audit record id 1 appears more than once"), std::string::npos);
  EXPECT_NE(Read({Spans({7}), Spans({3, 7})}).find("span id 7 appears more than once"), std::string::npos);
  EXPECT_NE(Read({Audit({0, -1})}).find("audit record 1 of the chunk has no id (every record has one since 1.1)"),
            std::string::npos);
}

TEST(FileRulesTest, CausesHaveAKnownKind) {
  EXPECT_NE(Read({Spans({1}, 0)}).find("span 0 of the chunk has a cause of unknown kind 0"), std::string::npos);
  EXPECT_NE(Read({Spans({1}, 99)}).find("unknown kind 99"), std::string::npos);
  proto::Record audit = Audit({0});
  proto::Cause* c = audit.mutable_chunk()->mutable_audit()->mutable_records(0)->add_causes();
  c->set_kind(static_cast<proto::Cause::Kind>(42));
  EXPECT_NE(Read({audit}).find("audit record 0 of the chunk has a cause of unknown kind 42"), std::string::npos);
}

TEST(FileRulesTest, ChunksTheTraceLevelDoesNotKeepAreRefused) {
  EXPECT_NE(Read({Audit({0})}, Header(proto::TRACE_NONE))
                .find("a chunk of audit records, which the header's trace level TRACE_NONE does not keep"),
            std::string::npos);
  EXPECT_NE(Read({Spans({0})}, Header(proto::TRACE_NONE)).find("a chunk of spans"), std::string::npos);
  proto::Record trace;
  trace.mutable_chunk()->mutable_trace()->add_events()->set_time_us(1);
  EXPECT_NE(Read({trace}, Header(proto::TRACE_AUDIT)).find("a chunk of trace events"), std::string::npos);
  EXPECT_EQ(Read({Daily({0}), Employees({0})}, Header(proto::TRACE_NONE)), "");
}

// A record kind a newer minor version adds (only unknown fields) is skipped, so older
// readers keep reading; a record with no fields at all is damage.
TEST(FileRulesTest, UnknownRecordKindsAreSkippedAndEmptyRecordsRefused) {
  proto::Record future;
  future.GetReflection()->MutableUnknownFields(&future)->AddLengthDelimited(9, "a future record kind");
  EXPECT_EQ(Read({Daily({0}), future}), "");
  std::string bytes = File({Header()});
  AppendFramedRecord("", &bytes);
  proto::Record footer = Footer({});
  AppendFramedRecord(footer.SerializeAsString(), &bytes);
  const std::string path = FreshTestDir() + "/empty.clawrun";
  WriteFile(path, bytes);
  RunFileReader reader;
  Status s = reader.Open(path);
  if (s.ok()) s = reader.ReadFooter();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("empty record at byte"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace clawsim::run
