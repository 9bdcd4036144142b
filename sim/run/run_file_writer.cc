#include "sim/run/run_file_writer.h"

#include "sim/engine/time.h"
#include "sim/proto/run.pb.h"
#include "sim/run/atomic_file.h"
#include "sim/run/proto_convert.h"
#include "sim/run/record_check.h"
#include "sim/run/run_file_format.h"

namespace clawsim::run {

struct RunFileWriter::Impl {
  AtomicFile file;
  // Rows added but not yet written, one buffer per kind.
  proto::DailyRows daily;
  proto::EmployeeRows employees;
  proto::AuditRecords audit;
  proto::TraceEvents trace;
  proto::SpanRows spans;
  proto::InjectionRows injections;
  proto::RecordCounts counts;  // what WriteChunk has written so far
  proto::RunHeader header;     // what WriteHeader wrote; chunks are checked against it
  std::vector<CalibrationBand> bands;  // for the footer
  // Records of each kind added so far (kept or not), and whether their ids were left to the
  // writer (unknown until the first one).
  uint64_t audit_added = 0;
  uint64_t spans_added = 0;
  IdMode audit_ids = IdMode::kUnknown;
  IdMode span_ids = IdMode::kUnknown;
};

RunFileWriter::RunFileWriter(RunFileWriterOptions options)
    : options_(options), impl_(std::make_unique<Impl>()) {
  if (options_.rows_per_chunk == 0) options_.rows_per_chunk = 1;
}

RunFileWriter::~RunFileWriter() = default;  // AtomicFile removes the temporary file

const std::string& RunFileWriter::path() const { return impl_->file.path(); }
uint64_t RunFileWriter::bytes_written() const { return impl_->file.bytes_written(); }

uint64_t RunFileWriter::daily_rows_added() const {
  return impl_->counts.daily_rows() + static_cast<uint64_t>(impl_->daily.rows_size());
}

uint64_t RunFileWriter::employee_rows_added() const {
  return impl_->counts.employee_rows() + static_cast<uint64_t>(impl_->employees.rows_size());
}

Status RunFileWriter::Check(Phase expected, const char* call) {
  if (!error_.ok()) return error_;
  if (phase_ == expected) return Status::Ok();
  static constexpr const char* kWhere[] = {"before Open()", "before WriteHeader()", "after WriteHeader()",
                                           "after WriteFooter()", "after Commit()"};
  return Status::Error((path().empty() ? std::string("run file") : path()) + ": RunFileWriter::" + call +
                       " called " + kWhere[static_cast<int>(phase_)]);
}

Status RunFileWriter::Open(const std::string& path) {
  Status s = Check(Phase::kClosed, "Open()");
  if (s.ok()) s = impl_->file.Open(path);
  if (s.ok()) s = impl_->file.Append(EncodePreamble(kFormatMajor, kFormatMinor));
  if (!s.ok()) return error_ = s;
  phase_ = Phase::kOpen;
  return s;
}

Status RunFileWriter::WriteRecord(const std::string& payload) {
  if (payload.size() > kMaxRecordBytes) {
    return error_ = Status::Error(path() + ": a record of " + std::to_string(payload.size()) +
                                  " bytes exceeds the format's limit of " + std::to_string(kMaxRecordBytes) +
                                  "; lower RunFileWriterOptions::rows_per_chunk");
  }
  std::string framed;
  framed.reserve(kRecordHeaderBytes + payload.size());
  AppendFramedRecord(payload, &framed);
  Status s = impl_->file.Append(framed);
  if (!s.ok()) error_ = s;
  return s;
}

Status RunFileWriter::WriteHeader(const RunInfo& info) {
  proto::RunHeader header;
  ToProto(info, &header);
  return WriteHeader(header);
}

Status RunFileWriter::WriteHeader(const proto::RunHeader& header) {
  Status s = Check(Phase::kOpen, "WriteHeader()");
  if (s.ok()) s = FromProto(header.trace_level(), &trace_);
  if (!s.ok()) return s;
  impl_->header = header;
  proto::Record record;
  *record.mutable_header() = header;
  s = WriteRecord(record.SerializeAsString());
  if (s.ok()) phase_ = Phase::kBody;
  return s;
}

Status RunFileWriter::WriteChunk(const proto::Chunk& chunk) {
  Status s = Check(Phase::kBody, "WriteChunk()");
  if (!s.ok()) return s;
  proto::RecordCounts& counts = impl_->counts;
  switch (chunk.rows_case()) {
    case proto::Chunk::kDaily: counts.set_daily_rows(counts.daily_rows() + chunk.daily().rows_size()); break;
    case proto::Chunk::kEmployees:
      counts.set_employee_rows(counts.employee_rows() + chunk.employees().rows_size());
      break;
    case proto::Chunk::kAudit: counts.set_audit_records(counts.audit_records() + chunk.audit().records_size()); break;
    case proto::Chunk::kTrace: counts.set_trace_events(counts.trace_events() + chunk.trace().events_size()); break;
    case proto::Chunk::kSpans: counts.set_spans(counts.spans() + chunk.spans().spans_size()); break;
    case proto::Chunk::kInjections:
      counts.set_injection_emails(counts.injection_emails() + chunk.injections().emails_size());
      break;
    case proto::Chunk::ROWS_NOT_SET: return Status::Error(path() + ": WriteChunk() given a chunk with no rows");
  }
  const std::string problem = CheckChunkAgainstHeader(impl_->header, chunk);
  if (!problem.empty()) {
    return error_ = Status::Error(path() + ": RunFileWriter refuses a chunk that readers would call corrupt: " +
                                  problem + "; add the name to the RunInfo table or fix the record");
  }
  counts.set_chunks(counts.chunks() + 1);
  proto::Record record;
  *record.mutable_chunk() = chunk;
  return WriteRecord(record.SerializeAsString());
}

namespace {

// Moves `rows` into a chunk (leaving `rows` empty) when it holds at least `threshold` rows.
template <typename Rows>
bool TakeChunk(Rows* rows, int size, int threshold, Rows* (proto::Chunk::*mutable_rows)(), proto::Chunk* chunk) {
  if (size == 0 || size < threshold) return false;
  (chunk->*mutable_rows)()->Swap(rows);
  return true;
}

}  // namespace

Status RunFileWriter::FlushPending(bool only_full) {
  const int threshold = only_full ? static_cast<int>(options_.rows_per_chunk) : 1;
  Impl& m = *impl_;
  proto::Chunk chunk;
  Status s;
  if (s.ok() && TakeChunk(&m.daily, m.daily.rows_size(), threshold, &proto::Chunk::mutable_daily, &chunk)) {
    s = WriteChunk(chunk);
    chunk.Clear();
  }
  if (s.ok() &&
      TakeChunk(&m.employees, m.employees.rows_size(), threshold, &proto::Chunk::mutable_employees, &chunk)) {
    s = WriteChunk(chunk);
    chunk.Clear();
  }
  if (s.ok() && TakeChunk(&m.audit, m.audit.records_size(), threshold, &proto::Chunk::mutable_audit, &chunk)) {
    s = WriteChunk(chunk);
    chunk.Clear();
  }
  if (s.ok() && TakeChunk(&m.trace, m.trace.events_size(), threshold, &proto::Chunk::mutable_trace, &chunk)) {
    s = WriteChunk(chunk);
    chunk.Clear();
  }
  if (s.ok() && TakeChunk(&m.spans, m.spans.spans_size(), threshold, &proto::Chunk::mutable_spans, &chunk)) {
    s = WriteChunk(chunk);
    chunk.Clear();
  }
  if (s.ok() && TakeChunk(&m.injections, m.injections.emails_size(), threshold, &proto::Chunk::mutable_injections,
                          &chunk)) {
    s = WriteChunk(chunk);
  }
  return s;
}

Status RunFileWriter::AddDailyRow(const model::DailyMetrics& day) {
  Status s = Check(Phase::kBody, "AddDailyRow()");
  if (!s.ok()) return s;
  ToProto(day, impl_->daily.add_rows());
  return FlushPending(/*only_full=*/true);
}

Status RunFileWriter::AddEmployeeRow(const model::EmployeeMetrics& employee) {
  Status s = Check(Phase::kBody, "AddEmployeeRow()");
  if (!s.ok()) return s;
  ToProto(employee, impl_->employees.add_rows());
  return FlushPending(/*only_full=*/true);
}

Status RunFileWriter::AssignId(const char* call, uint64_t* added, IdMode* mode, uint64_t* id) {
  using Ids = IdMode;
  const Ids want = *id == kAutoId ? Ids::kAuto : Ids::kModel;
  if (*mode == Ids::kUnknown) *mode = want;
  if (*mode != want) {
    return error_ = Status::Error(path() + ": RunFileWriter::" + call + " got " +
                                  (want == Ids::kAuto ? "a record without an id" : "a record with an id") +
                                  " after records " + (want == Ids::kAuto ? "with" : "without") +
                                  " ids; either set every id or leave every one at kAutoId");
  }
  if (want == Ids::kAuto) *id = *added;
  ++*added;
  return Status::Ok();
}

Status RunFileWriter::AddAuditRecord(const AuditRecord& record) {
  Status s = Check(Phase::kBody, "AddAuditRecord()");
  if (!s.ok() || !wants_audit()) return s;
  uint64_t id = record.id;
  s = AssignId("AddAuditRecord()", &impl_->audit_added, &impl_->audit_ids, &id);
  if (!s.ok()) return s;
  proto::AuditRecord* out = impl_->audit.add_records();
  ToProto(record, out);
  out->set_id(id);
  return FlushPending(/*only_full=*/true);
}

Status RunFileWriter::AddSpan(const Span& span) {
  Status s = Check(Phase::kBody, "AddSpan()");
  if (!s.ok() || !wants_spans()) return s;
  uint64_t id = span.id;
  s = AssignId("AddSpan()", &impl_->spans_added, &impl_->span_ids, &id);
  if (!s.ok()) return s;
  proto::Span* out = impl_->spans.add_spans();
  ToProto(span, out);
  out->set_id(id);
  return FlushPending(/*only_full=*/true);
}

Status RunFileWriter::AddInjectionEmail(const InjectionEmail& email) {
  Status s = Check(Phase::kBody, "AddInjectionEmail()");
  if (!s.ok() || !wants_spans()) return s;
  ToProto(email, impl_->injections.add_emails());
  return FlushPending(/*only_full=*/true);
}

Status RunFileWriter::AddTraceEvent(const TraceEvent& event) {
  Status s = Check(Phase::kBody, "AddTraceEvent()");
  if (!s.ok() || !wants_trace()) return s;
  ToProto(event, impl_->trace.add_events());
  return FlushPending(/*only_full=*/true);
}

Status RunFileWriter::AddCalibrationBand(const CalibrationBand& band) {
  Status s = Check(Phase::kBody, "AddCalibrationBand()");
  if (s.ok()) impl_->bands.push_back(band);
  return s;
}

Status RunFileWriter::WriteFooter(const model::RunSummary& summary, double wall_s) {
  proto::RunFooter footer;
  ToProto(summary, footer.mutable_summary());
  footer.set_wall_s(wall_s);
  footer.set_interrupted(summary.interrupted);
  footer.set_simulated_until_us(static_cast<int64_t>(summary.days) * engine::kUsPerDay);
  return WriteFooter(footer);
}

Status RunFileWriter::WriteFooter(const proto::RunFooter& footer) {
  Status s = Check(Phase::kBody, "WriteFooter()");
  if (s.ok()) s = FlushPending(/*only_full=*/false);
  if (!s.ok()) return s;
  proto::Record record;
  *record.mutable_footer() = footer;
  *record.mutable_footer()->mutable_counts() = impl_->counts;
  for (const CalibrationBand& b : impl_->bands) {
    proto::CalibrationBand* out = record.mutable_footer()->add_calibration();
    out->set_measure(b.measure);
    out->set_value(b.value);
    out->set_low(b.low);
    out->set_high(b.high);
    out->set_unit(b.unit);
    out->set_source(b.source);
  }
  s = WriteRecord(record.SerializeAsString());
  if (s.ok()) phase_ = Phase::kFooterWritten;
  return s;
}

Status RunFileWriter::Sync() {
  Status s = Check(Phase::kFooterWritten, "Sync()");
  if (!s.ok()) return s;
  s = impl_->file.Sync();
  if (!s.ok()) error_ = s;
  return s;
}

Status RunFileWriter::Commit() {
  Status s = Sync();
  if (!s.ok()) return s;
  s = impl_->file.Commit();
  if (!s.ok()) return error_ = s;
  phase_ = Phase::kCommitted;
  return s;
}

void RunFileWriter::Abandon() {
  impl_->file.Abandon();
  if (phase_ != Phase::kCommitted && error_.ok()) {
    error_ = Status::Error((path().empty() ? std::string("run file") : path()) + ": abandoned; nothing was written");
  }
}

}  // namespace clawsim::run
