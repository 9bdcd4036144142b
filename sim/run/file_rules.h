// FileRules: the rules of a run file that span records (RUN_FILE.md, "Rules across
// records"), checked by RunFileReader as it reads:
//   - a chunk's kind is kept at the header's trace level (audit records and spans at
//     audit or full, trace events at full only);
//   - daily rows are days 0, 1, 2, ... in order, one each, fewer than RunHeader.days + 1;
//   - employee rows are in strictly increasing employee_id order (so each at most once);
//   - audit records carry an id (since 1.1), and audit record ids and span ids are each
//     unique in the file;
//   - every cause has a known kind (ITEM, SPAN, AUDIT, DEPLOY, ATTACK).
// Record ids are kept (8 bytes each) until Finish(), which sorts them to find duplicates.
// Not thread-safe; one per reader.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/proto/run.pb.h"

namespace clawsim::run {

struct WireSpans;  // span_wire.h

class FileRules {
 public:
  // `header` must outlive the rules.
  FileRules(const proto::RunHeader* header, uint32_t format_minor) : header_(header), format_minor_(format_minor) {}

  // "" when `chunk` keeps the rules given the chunks before it; otherwise the problem.
  std::string Chunk(const proto::Chunk& chunk);
  // The same for a span chunk decoded from its bytes.
  std::string Spans(const WireSpans& spans);
  // After the last chunk: "" or the first duplicate id.
  std::string Finish();

 private:
  std::string TraceLevelAllows(const char* kind, proto::TraceLevel needed) const;

  const proto::RunHeader* header_;
  uint32_t format_minor_;
  uint64_t daily_rows_ = 0;
  bool any_employee_ = false;
  uint32_t last_employee_ = 0;
  uint64_t audit_rows_ = 0;
  std::vector<uint64_t> audit_ids_;
  std::vector<uint64_t> span_ids_;
};

// Whether `kind` is a Cause kind this format defines.
bool IsKnownCauseKind(int kind);

}  // namespace clawsim::run
