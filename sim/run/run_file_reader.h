// RunFileReader: reads a run file back, one record at a time (layout: RUN_FILE.md).
//
//   RunFileReader reader;
//   Status s = reader.Open(path);            // preamble and header
//   proto::Chunk chunk;
//   bool got = false;
//   while (s.ok() && (s = reader.ReadChunk(&chunk, &got)).ok() && got) { ... }
//   if (s.ok()) s = reader.ReadFooter();     // the footer, the end of the file, the counts
//   ... reader.header(), reader.footer()
//
// Every structural problem is an error naming the file and the byte offset where it was
// found: a bad magic, a major version this build does not read ("run file X has format
// version 3.0; this clawsim reads 1.x"), a header whose format version disagrees with the
// preamble's or whose trace level is unspecified or unknown, a record cut short, a checksum
// mismatch, a record that does not parse, records out of order (header first, footer last,
// nothing after), a row whose name-table index is out of range or a span of unknown kind or
// negative length (record_check.h), rows that break the rules across records (a chunk the
// trace level does not keep, daily rows out of order, employee rows repeated or out of
// order, duplicate record ids, causes of unknown kind: file_rules.h), and footer counts that
// disagree with the rows read. A file that ends cleanly between records but before the
// footer is reported as truncated. A directory or a file that does not start with the magic
// is called what it is.
//
// A chunk of a kind this build does not know (added by a newer minor version) is counted in
// counts().chunks and unknown_chunks() and skipped: ReadChunk never returns it. A record of
// a kind this build does not know (only unknown fields) is skipped without being counted.
//
// Errors are sticky: after ReadChunk or ReadFooter fails, both keep returning that error.
// Memory: one record at a time (at most kMaxRecordBytes). Not thread-safe; one owner.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "sim/common/status.h"
#include "sim/proto/run.pb.h"

namespace google::protobuf {
class Arena;
}

namespace clawsim::run {

struct WireSpans;  // span_wire.h
class FileRules;  // file_rules.h

class RunFileReader {
 public:
  RunFileReader();
  ~RunFileReader();
  RunFileReader(const RunFileReader&) = delete;
  RunFileReader& operator=(const RunFileReader&) = delete;

  // Opens `path`, checks the preamble and reads the header record.
  Status Open(const std::string& path);

  // Reads the next record. A chunk: fills *chunk, sets *got_chunk = true. The footer: keeps
  // it (footer()), sets *got_chunk = false; later calls keep returning false.
  Status ReadChunk(proto::Chunk* chunk, bool* got_chunk);

  // ReadChunk without the copy: *chunk points at the chunk just read, valid until the next
  // call on this reader (the viewer's loader reads millions of rows this way).
  Status ReadChunkView(const proto::Chunk** chunk, bool* got_chunk);
  // ReadChunkView, handing over the arena that holds the chunk: *chunk stays valid as long as
  // *arena lives, so another thread can convert it while this one reads on.
  Status ReadChunkOwned(std::unique_ptr<google::protobuf::Arena>* arena, const proto::Chunk** chunk,
                        bool* got_chunk);

  // ReadChunkOwned for readers of millions of spans (the viewer): a span chunk is decoded
  // straight from its bytes (span_wire.h) into *spans, with *chunk set to nullptr and no arena
  // handed over; any other chunk comes as from ReadChunkOwned (*chunk set, *spans untouched).
  // The checks and error messages are ReadChunk's.
  Status ReadChunkOrSpans(std::unique_ptr<google::protobuf::Arena>* arena, const proto::Chunk** chunk,
                          WireSpans* spans, bool* got_chunk);

  // Reads (and counts, without keeping) any chunks left, then the footer; checks that the
  // file ends there and that the footer's counts match the rows read.
  Status ReadFooter();

  uint32_t format_major() const { return format_major_; }
  uint32_t format_minor() const { return format_minor_; }
  const proto::RunHeader& header() const { return header_; }  // valid after Open()
  const proto::RunFooter& footer() const { return footer_; }  // valid after ReadFooter()
  // Rows read so far, by kind (RunFooter.counts once the footer is read).
  const proto::RecordCounts& counts() const { return counts_; }
  // Chunks of a kind this build does not know, skipped so far (included in counts().chunks).
  uint64_t unknown_chunks() const { return unknown_chunks_; }
  // Where the next record starts, and the file's size: bytes read so far of size() in all
  // (for progress bars).
  uint64_t offset() const { return offset_; }
  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  // ReadChunkView without the guards; with `spans`, ReadChunkOrSpans's decoding.
  Status ReadNext(const proto::Chunk** chunk, bool* got_chunk, WireSpans* spans);
  // Reads one framed record at offset_ into *record: ReadPayload, then ParsePayload.
  Status ReadRecord(proto::Record* record);
  // Reads the framed record at offset_ into payload_, checks its length and checksum, and
  // moves offset_ past it.
  Status ReadPayload();
  // Parses payload_ (read at byte `at`) into *record.
  Status ParsePayload(uint64_t at, proto::Record* record) const;
  Status Corrupt(uint64_t offset, const std::string& problem) const;
  Status CheckHeader(uint64_t at);  // the header record read at byte `at` against the preamble
  void Count(const proto::Chunk& chunk);
  Status CheckCounts() const;

  std::string path_;
  std::FILE* file_ = nullptr;
  uint64_t size_ = 0;    // file size in bytes
  uint64_t offset_ = 0;  // where the next record starts
  uint32_t format_major_ = 0;
  uint32_t format_minor_ = 0;
  proto::RunHeader header_;
  proto::RunFooter footer_;
  proto::RecordCounts counts_;
  uint64_t unknown_chunks_ = 0;
  bool header_read_ = false;  // Open() succeeded
  bool footer_read_ = false;
  Status error_;              // the first error from ReadChunk; every later call returns it
  std::string payload_;  // reused buffer for one record
  std::unique_ptr<google::protobuf::Arena> arena_;  // holds the record last read (ReadNext)
  std::unique_ptr<FileRules> rules_;                // made once the header is read
};

}  // namespace clawsim::run
