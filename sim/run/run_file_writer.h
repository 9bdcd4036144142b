// RunFileWriter: writes one run file (layout: RUN_FILE.md; messages: sim/proto/run.proto).
//
// Call sequence (anything else returns an error naming the call):
//   Open(path)                  creates path + ".tmp" and writes the preamble
//   WriteHeader(info)           exactly once, first
//   AddDailyRow / AddEmployeeRow / AddAuditRecord / AddSpan / AddTraceEvent / WriteChunk
//                               any number
//   WriteFooter(summary, wall_s) exactly once, last; flushes buffered rows first
//   Commit()                    flush, fsync, rename to `path`
// A writer destroyed before Commit() succeeded removes its temporary file: a run file is at
// its path complete or not at all.
//
// Streaming: Add* buffer rows per kind and write a chunk every `rows_per_chunk` rows, so
// memory stays bounded however long the run. Rows of one kind keep the order they were
// added in; the file is deterministic if the caller adds them in a deterministic order (for
// audit records and trace events: the order the run committed them, e.g. merged by
// (time_us, lp) at each window barrier, never the order threads happened to finish).
//
// Trace level: AddAuditRecord and AddSpan keep records only at TraceLevel::kAudit and above,
// AddTraceEvent only at kFull (others are dropped, returning OK). Check wants_audit() /
// wants_spans() / wants_trace() to avoid building records that would be dropped.
//
// Ids (format 1.1): an audit record or span given id kAutoId is numbered by the writer with
// its index among the kept records of its kind (0, 1, 2, ... in the order added); one given
// an id keeps it. A run uses one scheme per kind: a mix is an error. Ids are what
// Cause{kAudit or kSpan, id} refer to (RUN_FILE.md, "For the model").
//
// Consistency: every chunk is checked against the header's name tables before it is written
// (record_check.h); a record with an index out of range, a span of unknown kind or one that
// ends before it starts is an error, so the writer never writes a file the reader refuses.
//
// Errors are sticky: after one failure every later call returns it. Not thread-safe; one
// owner (the run's serial phase).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "sim/common/status.h"
#include "sim/model/metrics.h"
#include "sim/run/run_info.h"

namespace clawsim::proto {
class Chunk;
class RunFooter;
class RunHeader;
}  // namespace clawsim::proto

namespace clawsim::run {

struct RunFileWriterOptions {
  // Rows (of one kind) per chunk. 4096 audit records make a chunk of roughly 100 KiB.
  uint32_t rows_per_chunk = 4096;
};

class RunFileWriter {
 public:
  explicit RunFileWriter(RunFileWriterOptions options = {});
  ~RunFileWriter();
  RunFileWriter(const RunFileWriter&) = delete;
  RunFileWriter& operator=(const RunFileWriter&) = delete;

  Status Open(const std::string& path);

  // The header for `info` (this build's version and format version are filled in).
  Status WriteHeader(const RunInfo& info);

  Status AddDailyRow(const model::DailyMetrics& day);
  Status AddEmployeeRow(const model::EmployeeMetrics& employee);
  Status AddAuditRecord(const AuditRecord& record);
  Status AddTraceEvent(const TraceEvent& event);
  // One span of the timeline (run_info.h). Kept at TraceLevel::kAudit and above. Spans may
  // be added in any order (the viewer sorts them); for a deterministic file add them in a
  // deterministic order, e.g. by (end_us, LP, LP's own sequence) at each window barrier.
  Status AddSpan(const Span& span);
  // One injection email (run_info.h; format 1.5). Kept at TraceLevel::kAudit and above, in
  // the order added.
  Status AddInjectionEmail(const InjectionEmail& email);
  // A calibration band for the footer (any time before WriteFooter; kept at every level).
  Status AddCalibrationBand(const CalibrationBand& band);

  // The footer: `summary` (its threads and wall_s fields are not stored there; threads is in
  // the header) and the run's wall-clock seconds, the one non-reproducible number.
  Status WriteFooter(const model::RunSummary& summary, double wall_s);

  // Writes out the last buffer and fsyncs the temporary file without renaming it (for
  // OutputDir, which finishes every file before renaming any). Commit() calls it.
  Status Sync();
  Status Commit();
  // Removes the temporary file now, as the destructor would; later calls return an error.
  // Does nothing to a committed file.
  void Abandon();

  // Lower level, for tools and tests that build the messages themselves. WriteHeader writes
  // `header` as given (format_major/minor included); WriteFooter replaces footer.counts with
  // what was written and appends the bands given to AddCalibrationBand.
  Status WriteHeader(const proto::RunHeader& header);
  Status WriteChunk(const proto::Chunk& chunk);
  Status WriteFooter(const proto::RunFooter& footer);

  // Rows added so far (written or still buffered), by kind.
  uint64_t daily_rows_added() const;
  uint64_t employee_rows_added() const;

  bool wants_audit() const { return trace_ >= TraceLevel::kAudit; }
  bool wants_spans() const { return trace_ >= TraceLevel::kAudit; }
  bool wants_trace() const { return trace_ >= TraceLevel::kFull; }
  const std::string& path() const;
  uint64_t bytes_written() const;  // preamble and records so far

 private:
  struct Impl;
  enum class Phase { kClosed, kOpen, kBody, kFooterWritten, kCommitted };
  enum class IdMode : uint8_t { kUnknown, kAuto, kModel };  // who numbers a kind's records

  // Numbers one record: *id stays if set, else becomes *added; counts it in *added; fails on
  // a mix of schemes within one kind.
  Status AssignId(const char* call, uint64_t* added, IdMode* mode, uint64_t* id);

  Status Check(Phase expected, const char* call);  // the sticky error or a sequence error
  Status WriteRecord(const std::string& payload);
  Status FlushPending(bool only_full);

  RunFileWriterOptions options_;
  std::unique_ptr<Impl> impl_;
  Phase phase_ = Phase::kClosed;
  TraceLevel trace_ = TraceLevel::kNone;
  Status error_;
};

}  // namespace clawsim::run
