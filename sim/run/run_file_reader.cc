#include "sim/run/run_file_reader.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <google/protobuf/arena.h>

#include "sim/run/file_rules.h"
#include "sim/run/record_check.h"
#include "sim/run/run_file_format.h"
#include "sim/run/span_wire.h"

namespace clawsim::run {

RunFileReader::RunFileReader() = default;

RunFileReader::~RunFileReader() {
  if (file_ != nullptr) std::fclose(file_);
}

Status RunFileReader::Corrupt(uint64_t offset, const std::string& problem) const {
  return Status::Error(path_ + ": " + problem + " at byte " + std::to_string(offset) +
                       "; the run file is damaged or was not completely written");
}

Status RunFileReader::Open(const std::string& path) {
  if (file_ != nullptr) return Status::Error(path + ": RunFileReader::Open called twice");
  path_ = path;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::Error(path + ": is a directory; give a run file, e.g. " + path + "/run.clawrun");
  }
  file_ = std::fopen(path.c_str(), "rb");
  if (file_ == nullptr) return Status::Error(path + ": cannot open: " + std::strerror(errno));
  if (std::fseek(file_, 0, SEEK_END) != 0) return Status::Error(path + ": cannot seek: " + std::strerror(errno));
  const long size = std::ftell(file_);
  if (size < 0 || std::fseek(file_, 0, SEEK_SET) != 0) {
    return Status::Error(path + ": cannot determine the size: " + std::strerror(errno));
  }
  size_ = static_cast<uint64_t>(size);

  // The magic is checked before the length so that any short non-run file is called that.
  char preamble[kPreambleBytes];
  const size_t got = std::fread(preamble, 1, sizeof preamble, file_);
  const size_t magic_got = got < kRunFileMagic.size() ? got : kRunFileMagic.size();
  if (got == 0) return Status::Error(path + ": empty file, not a clawsim run file");
  if (std::string_view(preamble, magic_got) != kRunFileMagic.substr(0, magic_got)) {
    return Status::Error(path + ": not a clawsim run file (bad magic at byte 0: it does not start with "
                         "\"CLAWRUN\\0\")");
  }
  if (got < kPreambleBytes) {
    return Corrupt(got, "file ends inside the " + std::to_string(kPreambleBytes) + "-byte preamble");
  }
  format_major_ = DecodeFixed32(preamble + 8);
  format_minor_ = DecodeFixed32(preamble + 12);
  if (format_major_ != kFormatMajor) {
    return Status::Error("run file " + path + " has format version " + std::to_string(format_major_) + "." +
                         std::to_string(format_minor_) + "; this clawsim reads " + std::to_string(kFormatMajor) +
                         ".x" +
                         (format_major_ > kFormatMajor ? " (it was written by a newer clawsim; upgrade to read it)"
                                                       : " (it was written by an older clawsim; re-run to convert)"));
  }
  offset_ = kPreambleBytes;

  proto::Record record;
  const uint64_t at = offset_;
  Status s = ReadRecord(&record);
  if (!s.ok()) return s;
  if (!record.has_header()) return Corrupt(at, "the first record is not the header");
  header_ = std::move(*record.mutable_header());
  return CheckHeader(at);
}

Status RunFileReader::CheckHeader(uint64_t at) {
  if (header_.format_major() != format_major_ || header_.format_minor() != format_minor_) {
    return Corrupt(at, "the header says format version " + std::to_string(header_.format_major()) + "." +
                           std::to_string(header_.format_minor()) + " but the preamble says " +
                           std::to_string(format_major_) + "." + std::to_string(format_minor_));
  }
  switch (header_.trace_level()) {
    case proto::TRACE_NONE:
    case proto::TRACE_AUDIT:
    case proto::TRACE_FULL: break;
    case proto::TRACE_LEVEL_UNSPECIFIED: return Corrupt(at, "the header's trace level is unspecified");
    default:
      return Corrupt(at, "the header's trace level " + std::to_string(static_cast<int>(header_.trace_level())) +
                             " is unknown");
  }
  rules_ = std::make_unique<FileRules>(&header_, format_minor_);
  header_read_ = true;
  return Status::Ok();
}

Status RunFileReader::ReadRecord(proto::Record* record) {
  const uint64_t at = offset_;
  Status s = ReadPayload();
  if (!s.ok()) return s;
  return ParsePayload(at, record);
}

Status RunFileReader::ReadPayload() {
  const uint64_t at = offset_;
  if (at == size_) {
    return Status::Error(path_ + ": truncated: the file ends at byte " + std::to_string(at) +
                         " without a footer (the run did not finish writing it)");
  }
  char head[kRecordHeaderBytes];
  if (size_ - at < kRecordHeaderBytes || std::fread(head, 1, sizeof head, file_) != sizeof head) {
    return Corrupt(at, "truncated record header (" + std::to_string(size_ - at) + " of " +
                           std::to_string(kRecordHeaderBytes) + " bytes)");
  }
  const uint32_t length = DecodeFixed32(head);
  const uint32_t crc = DecodeFixed32(head + 4);
  if (length > kMaxRecordBytes) {
    return Corrupt(at, "record length " + std::to_string(length) + " exceeds the limit of " +
                           std::to_string(kMaxRecordBytes) + " bytes");
  }
  const uint64_t left = size_ - at - kRecordHeaderBytes;
  if (length > left) {
    return Corrupt(at, "truncated record (" + std::to_string(length) + " bytes announced, " + std::to_string(left) +
                           " present)");
  }
  payload_.resize(length);
  if (length > 0 && std::fread(payload_.data(), 1, length, file_) != length) {
    return Status::Error(path_ + ": read error at byte " + std::to_string(at) + ": " + std::strerror(errno));
  }
  if (RecordCrc(length, payload_) != crc) return Corrupt(at, "checksum mismatch in record");
  offset_ = at + kRecordHeaderBytes + length;
  return Status::Ok();
}

Status RunFileReader::ParsePayload(uint64_t at, proto::Record* record) const {
  if (!record->ParseFromArray(payload_.data(), static_cast<int>(payload_.size()))) {
    return Corrupt(at, "record does not parse as clawsim.proto.Record");
  }
  // A record of only unknown fields is a newer minor version's record kind (ReadNext skips
  // it); one with no fields at all is damage.
  if (record->body_case() == proto::Record::BODY_NOT_SET &&
      record->GetReflection()->GetUnknownFields(*record).empty()) {
    return Corrupt(at, "empty record");
  }
  return Status::Ok();
}

void RunFileReader::Count(const proto::Chunk& chunk) {
  counts_.set_chunks(counts_.chunks() + 1);
  counts_.set_daily_rows(counts_.daily_rows() + chunk.daily().rows_size());
  counts_.set_employee_rows(counts_.employee_rows() + chunk.employees().rows_size());
  counts_.set_audit_records(counts_.audit_records() + chunk.audit().records_size());
  counts_.set_trace_events(counts_.trace_events() + chunk.trace().events_size());
  counts_.set_spans(counts_.spans() + chunk.spans().spans_size());
  counts_.set_injection_emails(counts_.injection_emails() + chunk.injections().emails_size());
  if (chunk.rows_case() == proto::Chunk::ROWS_NOT_SET) ++unknown_chunks_;
}

Status RunFileReader::ReadChunk(proto::Chunk* chunk, bool* got_chunk) {
  const proto::Chunk* view = nullptr;
  Status s = ReadChunkView(&view, got_chunk);
  if (s.ok() && *got_chunk) *chunk = *view;
  return s;
}

Status RunFileReader::ReadChunkView(const proto::Chunk** chunk, bool* got_chunk) {
  *got_chunk = false;
  if (!error_.ok()) return error_;
  if (!header_read_) return Status::Error(path_ + ": RunFileReader::ReadChunk called before a successful Open");
  if (footer_read_) return Status::Ok();
  error_ = ReadNext(chunk, got_chunk, nullptr);
  return error_;
}

Status RunFileReader::ReadChunkOwned(std::unique_ptr<google::protobuf::Arena>* arena, const proto::Chunk** chunk,
                                     bool* got_chunk) {
  Status s = ReadChunkView(chunk, got_chunk);
  if (s.ok() && *got_chunk) *arena = std::move(arena_);  // ReadNext makes a new one
  return s;
}

Status RunFileReader::ReadChunkOrSpans(std::unique_ptr<google::protobuf::Arena>* arena, const proto::Chunk** chunk,
                                       WireSpans* spans, bool* got_chunk) {
  *got_chunk = false;
  *chunk = nullptr;
  if (!error_.ok()) return error_;
  if (!header_read_) return Status::Error(path_ + ": RunFileReader::ReadChunk called before a successful Open");
  if (footer_read_) return Status::Ok();
  error_ = ReadNext(chunk, got_chunk, spans);
  if (error_.ok() && *got_chunk && *chunk != nullptr) *arena = std::move(arena_);
  return error_;
}

Status RunFileReader::ReadNext(const proto::Chunk** chunk, bool* got_chunk, WireSpans* spans) {
  // Each record is parsed into an arena that is reset for the next one: a chunk's thousands
  // of row messages cost a few large allocations instead of one each.
  if (arena_ == nullptr) {
    google::protobuf::ArenaOptions options;
    options.start_block_size = 256 << 10;
    options.max_block_size = 4 << 20;
    arena_ = std::make_unique<google::protobuf::Arena>(options);
  }
  for (;;) {
    const uint64_t at = offset_;
    Status s = ReadPayload();
    if (!s.ok()) return s;
    // A span chunk, decoded without messages when the caller asked and the bytes allow.
    if (spans != nullptr && DecodeSpanChunk(payload_.data(), payload_.size(), spans)) {
      counts_.set_chunks(counts_.chunks() + 1);
      counts_.set_spans(counts_.spans() + spans->spans.size());
      std::string problem = CheckWireSpans(header_, *spans);
      if (problem.empty()) problem = rules_->Spans(*spans);
      if (!problem.empty()) return Corrupt(at, problem);
      *chunk = nullptr;
      *got_chunk = true;
      return Status::Ok();
    }
    arena_->Reset();
    proto::Record& record = *google::protobuf::Arena::CreateMessage<proto::Record>(arena_.get());
    s = ParsePayload(at, &record);
    if (!s.ok()) return s;
    switch (record.body_case()) {
      case proto::Record::kChunk: {
        Count(record.chunk());
        // A kind this build does not know (a newer minor version's): counted, then skipped.
        if (record.chunk().rows_case() == proto::Chunk::ROWS_NOT_SET) continue;
        std::string problem = CheckChunkAgainstHeader(header_, record.chunk());
        if (problem.empty()) problem = rules_->Chunk(record.chunk());
        if (!problem.empty()) return Corrupt(at, problem);
        *chunk = &record.chunk();
        *got_chunk = true;
        return Status::Ok();
      }
      case proto::Record::kFooter:
        footer_ = record.footer();
        footer_read_ = true;
        if (offset_ != size_) {
          return Corrupt(offset_, std::to_string(size_ - offset_) + " unexpected bytes after the footer");
        }
        if (const std::string problem = rules_->Finish(); !problem.empty()) return Corrupt(at, problem);
        return CheckCounts();
      case proto::Record::kHeader: return Corrupt(at, "a second header record");
      case proto::Record::BODY_NOT_SET: continue;  // a record kind this build does not know
    }
    return Corrupt(at, "empty record");
  }
}

Status RunFileReader::ReadFooter() {
  const proto::Chunk* chunk = nullptr;
  bool got = true;
  while (got) {
    Status s = ReadChunkView(&chunk, &got);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status RunFileReader::CheckCounts() const {
  const proto::RecordCounts& want = footer_.counts();
  auto mismatch = [&](const char* what, uint64_t footer_says, uint64_t read) {
    return Status::Error(path_ + ": the footer counts " + std::to_string(footer_says) + " " + what +
                         " but the file holds " + std::to_string(read) +
                         "; records were lost or duplicated after writing");
  };
  if (want.chunks() != counts_.chunks()) return mismatch("chunks", want.chunks(), counts_.chunks());
  if (want.daily_rows() != counts_.daily_rows()) return mismatch("daily rows", want.daily_rows(), counts_.daily_rows());
  if (want.employee_rows() != counts_.employee_rows()) {
    return mismatch("employee rows", want.employee_rows(), counts_.employee_rows());
  }
  if (want.audit_records() != counts_.audit_records()) {
    return mismatch("audit records", want.audit_records(), counts_.audit_records());
  }
  if (want.trace_events() != counts_.trace_events()) {
    return mismatch("trace events", want.trace_events(), counts_.trace_events());
  }
  if (want.spans() != counts_.spans()) return mismatch("spans", want.spans(), counts_.spans());
  if (want.injection_emails() != counts_.injection_emails()) {
    return mismatch("injection emails", want.injection_emails(), counts_.injection_emails());
  }
  return Status::Ok();
}

}  // namespace clawsim::run
