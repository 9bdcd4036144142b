#include "sim/run/file_rules.h"

#include <algorithm>

#include "sim/run/span_wire.h"

namespace clawsim::run {
namespace {

std::string BadCause(const char* what, uint64_t row, int kind) {
  return std::string(what) + " " + std::to_string(row) + " of the chunk has a cause of unknown kind " +
         std::to_string(kind) + " (known: 1 ITEM, 2 SPAN, 3 AUDIT, 4 DEPLOY, 5 ATTACK)";
}

// The first id that appears twice in `ids` (sorted in place), as a message.
std::string Duplicate(const char* what, std::vector<uint64_t>* ids) {
  std::sort(ids->begin(), ids->end());
  const auto dup = std::adjacent_find(ids->begin(), ids->end());
  if (dup == ids->end()) return "";
  return std::string(what) + " id " + std::to_string(*dup) + " appears more than once; ids are unique in a file";
}

}  // namespace

bool IsKnownCauseKind(int kind) { return kind >= proto::Cause::ITEM && kind <= proto::Cause::ATTACK; }

std::string FileRules::TraceLevelAllows(const char* kind, proto::TraceLevel needed) const {
  if (header_->trace_level() >= needed) return "";
  return std::string("a chunk of ") + kind + ", which the header's trace level " +
         proto::TraceLevel_Name(header_->trace_level()) + " does not keep";
}

std::string FileRules::Chunk(const proto::Chunk& chunk) {
  switch (chunk.rows_case()) {
    case proto::Chunk::kDaily:
      for (const proto::DailyRow& row : chunk.daily().rows()) {
        if (row.day() != daily_rows_) {
          return "daily row " + std::to_string(daily_rows_) + " of the file is for day " + std::to_string(row.day()) +
                 "; daily rows are days 0, 1, 2, ... in order";
        }
        if (daily_rows_ >= header_->days()) {
          return "daily row for day " + std::to_string(row.day()) + " in a run of " + std::to_string(header_->days()) +
                 " days";
        }
        ++daily_rows_;
      }
      return "";
    case proto::Chunk::kEmployees:
      for (const proto::EmployeeRow& row : chunk.employees().rows()) {
        if (any_employee_ && row.employee_id() <= last_employee_) {
          return "employee row for employee_id " + std::to_string(row.employee_id()) + " follows the row for " +
                 std::to_string(last_employee_) + "; employee rows are in increasing employee_id order, one each";
        }
        any_employee_ = true;
        last_employee_ = row.employee_id();
      }
      return "";
    case proto::Chunk::kAudit: {
      if (std::string p = TraceLevelAllows("audit records", proto::TRACE_AUDIT); !p.empty()) return p;
      const auto& records = chunk.audit().records();
      for (int i = 0; i < records.size(); ++i) {
        const proto::AuditRecord& r = records[i];
        if (!r.has_id() && format_minor_ >= 1) {
          return "audit record " + std::to_string(i) + " of the chunk has no id (every record has one since 1.1)";
        }
        audit_ids_.push_back(r.has_id() ? r.id() : audit_rows_);
        ++audit_rows_;
        for (const proto::Cause& c : r.causes()) {
          if (!IsKnownCauseKind(c.kind())) return BadCause("audit record", static_cast<uint64_t>(i), c.kind());
        }
      }
      return "";
    }
    case proto::Chunk::kSpans: {
      if (std::string p = TraceLevelAllows("spans", proto::TRACE_AUDIT); !p.empty()) return p;
      const auto& spans = chunk.spans().spans();
      for (int i = 0; i < spans.size(); ++i) {
        span_ids_.push_back(spans[i].id());
        for (const proto::Cause& c : spans[i].causes()) {
          if (!IsKnownCauseKind(c.kind())) return BadCause("span", static_cast<uint64_t>(i), c.kind());
        }
      }
      return "";
    }
    case proto::Chunk::kTrace: return TraceLevelAllows("trace events", proto::TRACE_FULL);
    case proto::Chunk::kInjections: return TraceLevelAllows("injection emails", proto::TRACE_AUDIT);
    case proto::Chunk::ROWS_NOT_SET: return "";
  }
  return "";
}

std::string FileRules::Spans(const WireSpans& spans) {
  if (std::string p = TraceLevelAllows("spans", proto::TRACE_AUDIT); !p.empty()) return p;
  for (size_t i = 0; i < spans.spans.size(); ++i) {
    const WireSpan& s = spans.spans[i];
    span_ids_.push_back(s.id);
    for (uint32_t c = s.first_cause; c < s.first_cause + s.cause_count; ++c) {
      if (!IsKnownCauseKind(spans.causes[c].kind)) return BadCause("span", i, spans.causes[c].kind);
    }
  }
  return "";
}

std::string FileRules::Finish() {
  if (std::string p = Duplicate("audit record", &audit_ids_); !p.empty()) return p;
  return Duplicate("span", &span_ids_);
}

}  // namespace clawsim::run
