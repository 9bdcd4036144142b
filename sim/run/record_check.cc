#include "sim/run/record_check.h"

#include <cstdint>

namespace clawsim::run {
namespace {

using Names = google::protobuf::RepeatedPtrField<std::string>;

// Builds the message for row `row` of the chunk when `value` does not index `table`.
bool OutOfRange(const char* what, int row, const char* field, uint64_t value, const Names& table,
                const char* table_noun, std::string* problem) {
  if (value < static_cast<uint64_t>(table.size())) return false;
  *problem = std::string(what) + " " + std::to_string(row) + " of the chunk has " + field + " " +
             std::to_string(value) + ", but the header names " + std::to_string(table.size()) + " " + table_noun;
  return true;
}

std::string CheckAudit(const proto::RunHeader& h, const proto::AuditRecords& rows) {
  std::string p;
  for (int i = 0; i < rows.records_size(); ++i) {
    const proto::AuditRecord& r = rows.records(i);
    const char* w = "audit record";
    if ((r.has_agent_id() && OutOfRange(w, i, "agent_id", r.agent_id(), h.agent_names(), "agents", &p)) ||
        OutOfRange(w, i, "on_behalf_of_employee", r.on_behalf_of_employee(), h.employee_names(), "employees", &p) ||
        OutOfRange(w, i, "action", r.action(), h.action_names(), "actions", &p) ||
        OutOfRange(w, i, "target", r.target(), h.target_names(), "targets", &p) ||
        OutOfRange(w, i, "decision", r.decision(), h.decision_names(), "decisions", &p) ||
        OutOfRange(w, i, "outcome", r.outcome(), h.outcome_names(), "outcomes", &p)) {
      return p;
    }
  }
  return p;
}

std::string CheckSpans(const proto::RunHeader& h, const proto::SpanRows& rows) {
  std::string p;
  for (int i = 0; i < rows.spans_size(); ++i) {
    const proto::Span& s = rows.spans(i);
    const char* w = "span";
    if (s.kind() < proto::Span::HUMAN_TASK || s.kind() > proto::Span::INCIDENT) {
      return "span " + std::to_string(i) + " of the chunk has unknown kind " + std::to_string(s.kind());
    }
    if (s.end_us() < s.start_us()) {
      return "span " + std::to_string(i) + " of the chunk ends (" + std::to_string(s.end_us()) +
             " us) before it starts (" + std::to_string(s.start_us()) + " us)";
    }
    if ((s.has_employee_id() && OutOfRange(w, i, "employee_id", s.employee_id(), h.employee_names(), "employees", &p)) ||
        (s.has_agent_id() && OutOfRange(w, i, "agent_id", s.agent_id(), h.agent_names(), "agents", &p)) ||
        (s.has_target() && OutOfRange(w, i, "target", s.target(), h.target_names(), "targets", &p)) ||
        (s.has_name() && OutOfRange(w, i, "name", s.name(), h.span_names(), "span names", &p)) ||
        (s.has_trigger() && OutOfRange(w, i, "trigger", s.trigger(), h.trigger_names(), "triggers", &p)) ||
        (s.has_purpose() && OutOfRange(w, i, "purpose", s.purpose(), h.purpose_names(), "purposes", &p)) ||
        (s.has_outcome() && OutOfRange(w, i, "outcome", s.outcome(), h.outcome_names(), "outcomes", &p)) ||
        (s.has_route() && OutOfRange(w, i, "route", s.route(), h.injection_route_names(), "injection routes", &p)) ||
        (s.has_tier() && OutOfRange(w, i, "tier", s.tier(), h.tier_names(), "tiers", &p)) ||
        (s.has_defect_origin() &&
         OutOfRange(w, i, "defect_origin", s.defect_origin(), h.defect_origin_names(), "defect origins", &p))) {
      return p;
    }
  }
  return p;
}

std::string CheckTrace(const proto::RunHeader& h, const proto::TraceEvents& rows) {
  std::string p;
  for (int i = 0; i < rows.events_size(); ++i) {
    const proto::TraceEvent& e = rows.events(i);
    const char* w = "trace event";
    if (OutOfRange(w, i, "lp", e.lp(), h.lp_names(), "LPs", &p) ||
        OutOfRange(w, i, "src_lp", e.src_lp(), h.lp_names(), "LPs", &p) ||
        OutOfRange(w, i, "kind", e.kind(), h.event_kind_names(), "event kinds", &p)) {
      return p;
    }
  }
  return p;
}

std::string CheckInjections(const proto::RunHeader& h, const proto::InjectionRows& rows) {
  std::string p;
  for (int i = 0; i < rows.emails_size(); ++i) {
    const proto::InjectionEmail& e = rows.emails(i);
    const char* w = "injection email";
    if (OutOfRange(w, i, "employee_id", e.employee_id(), h.employee_names(), "employees", &p) ||
        OutOfRange(w, i, "goal", e.goal(), h.attack_goal_names(), "attack goals", &p) ||
        (e.has_forwarded_by() &&
         OutOfRange(w, i, "forwarded_by", e.forwarded_by(), h.employee_names(), "employees", &p))) {
      return p;
    }
  }
  return p;
}

std::string CheckEmployees(const proto::RunHeader& h, const proto::EmployeeRows& rows) {
  std::string p;
  for (int i = 0; i < rows.rows_size(); ++i) {
    if (OutOfRange("employee row", i, "employee_id", rows.rows(i).employee_id(), h.employee_names(), "employees",
                   &p)) {
      return p;
    }
  }
  return p;
}

}  // namespace

std::string CheckChunkAgainstHeader(const proto::RunHeader& header, const proto::Chunk& chunk) {
  switch (chunk.rows_case()) {
    case proto::Chunk::kEmployees: return CheckEmployees(header, chunk.employees());
    case proto::Chunk::kAudit: return CheckAudit(header, chunk.audit());
    case proto::Chunk::kTrace: return CheckTrace(header, chunk.trace());
    case proto::Chunk::kSpans: return CheckSpans(header, chunk.spans());
    case proto::Chunk::kInjections: return CheckInjections(header, chunk.injections());
    case proto::Chunk::kDaily:
    case proto::Chunk::ROWS_NOT_SET: break;
  }
  return "";
}

}  // namespace clawsim::run
