#include "viz/run_data.h"

#include <algorithm>

#include "sim/run/run_file_reader.h"

namespace clawsim::viz {
namespace {

uint32_t Saturate32(uint64_t v) { return v > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(v); }
uint8_t Small(bool has, uint32_t v) { return has && v < kNoSmall ? static_cast<uint8_t>(v) : kNoSmall; }

// Appends `causes` to run->causes; returns (first, count).
template <typename Causes>
std::pair<uint32_t, uint16_t> AddCauses(const Causes& causes, RunData* run) {
  const uint32_t first = static_cast<uint32_t>(run->causes.size());
  uint16_t count = 0;
  for (const proto::Cause& c : causes) {
    if (c.kind() < proto::Cause::ITEM || c.kind() > proto::Cause::DEPLOY || count == UINT16_MAX) continue;
    run->causes.push_back({static_cast<CauseKind>(c.kind()), c.id()});
    ++count;
  }
  return {first, count};
}

Lane MakeLane(Lane::Kind kind, uint32_t subject, std::string label) {
  Lane lane;
  lane.kind = kind;
  lane.subject = subject;
  lane.label = std::move(label);
  return lane;
}

// Lanes: every employee, every agent, then every "service:" target, in header order.
void BuildLanes(RunData* run) {
  const proto::RunHeader& h = run->header;
  const uint32_t employees = static_cast<uint32_t>(h.employee_names_size());
  const uint32_t agents = static_cast<uint32_t>(h.agent_names_size());
  std::vector<uint32_t> service_lane(static_cast<size_t>(h.target_names_size()), kNone);
  for (uint32_t e = 0; e < employees; ++e) run->lanes.push_back(MakeLane(Lane::Kind::kEmployee, e, h.employee_names(e)));
  for (uint32_t a = 0; a < agents; ++a) run->lanes.push_back(MakeLane(Lane::Kind::kAgent, a, h.agent_names(a)));
  for (int t = 0; t < h.target_names_size(); ++t) {
    if (h.target_names(t).rfind("service:", 0) != 0) continue;
    service_lane[t] = static_cast<uint32_t>(run->lanes.size());
    run->lanes.push_back(MakeLane(Lane::Kind::kService, static_cast<uint32_t>(t), h.target_names(t).substr(8)));
  }
  // A span without a lane of its kind goes to its employee, then its agent, then its target.
  for (size_t i = 0; i < run->spans.size(); ++i) {
    SpanRow& s = run->spans[i];
    uint32_t lane = kNone;
    const bool on_service = s.kind == SpanKind::kPipelineStage || s.kind == SpanKind::kIncident;
    if (on_service && s.target != kNone) lane = service_lane[s.target];
    if (lane == kNone && s.kind == SpanKind::kAgentInvocation && s.agent != kNone) lane = employees + s.agent;
    if (lane == kNone && s.employee != kNone) lane = s.employee;
    if (lane == kNone && s.agent != kNone) lane = employees + s.agent;
    if (lane == kNone && s.target != kNone) lane = service_lane[s.target];
    if (lane == kNone) {
      // Nothing to hang it on: one extra lane for such spans.
      if (run->lanes.empty() || run->lanes.back().label != "(no lane)") {
        run->lanes.push_back(MakeLane(Lane::Kind::kService, kNone, "(no lane)"));
      }
      lane = static_cast<uint32_t>(run->lanes.size() - 1);
    }
    s.lane = lane;
    run->lanes[lane].spans.push_back(static_cast<uint32_t>(i));
  }
  for (Lane& lane : run->lanes) FinishLane(run->spans, &lane);
}

void AddSpans(const proto::SpanRows& rows, RunData* run) {
  for (const proto::Span& p : rows.spans()) {
    SpanRow s;
    s.kind = static_cast<SpanKind>(p.kind());
    s.id = p.id();
    s.start_us = p.start_us();
    s.end_us = p.end_us();
    s.item_id = p.has_item_id() ? p.item_id() : kNoId;
    s.deploy_id = p.has_deploy_id() ? p.deploy_id() : kNoId;
    s.employee = p.has_employee_id() ? p.employee_id() : kNone;
    s.agent = p.has_agent_id() ? p.agent_id() : kNone;
    s.target = p.has_target() ? p.target() : kNone;
    s.name = p.has_name() ? p.name() : kNone;
    s.trigger = Small(p.has_trigger(), p.trigger());
    s.purpose = Small(p.has_purpose(), p.purpose());
    s.outcome = Small(p.has_outcome(), p.outcome());
    s.input_tokens = Saturate32(p.input_tokens());
    s.output_tokens = Saturate32(p.output_tokens());
    s.cost_usd = static_cast<float>(p.cost_usd());
    std::tie(s.first_cause, s.cause_count) = AddCauses(p.causes(), run);
    run->end_us = std::max(run->end_us, s.end_us);
    run->spans.push_back(s);
  }
}

void AddAudit(const proto::AuditRecords& rows, RunData* run) {
  for (const proto::AuditRecord& p : rows.records()) {
    AuditRow a;
    a.time_us = p.time_us();
    a.id = p.has_id() ? p.id() : run->audit.size();  // a 1.0 file: the index
    a.agent = p.has_agent_id() ? p.agent_id() : kNone;
    a.employee = p.on_behalf_of_employee();
    a.action = p.action();
    a.target = p.target();
    a.decision = Small(true, p.decision());
    a.outcome = Small(true, p.outcome());
    std::tie(a.first_cause, a.cause_count) = AddCauses(p.causes(), run);
    if (a.agent != kNone) ++run->agent_audit_records;
    run->end_us = std::max(run->end_us, a.time_us);
    run->audit.push_back(a);
  }
}

}  // namespace

const char* SpanKindName(SpanKind kind) {
  switch (kind) {
    case SpanKind::kHumanTask: return "human task";
    case SpanKind::kAgentInvocation: return "agent invocation";
    case SpanKind::kPipelineStage: return "pipeline stage";
    case SpanKind::kIncident: return "incident";
  }
  return "span";
}

const proto::EmployeeRow* RunData::Employee(uint32_t id) const {
  if (id < employees.size() && employees[id].employee_id() == id) return &employees[id];
  for (const proto::EmployeeRow& e : employees) {
    if (e.employee_id() == id) return &e;
  }
  return nullptr;
}

const std::string& RunData::Name(const google::protobuf::RepeatedPtrField<std::string>& table, uint32_t i) {
  static const std::string kMissing = "-";
  return i < static_cast<uint32_t>(table.size()) ? table[static_cast<int>(i)] : kMissing;
}

Status LoadRunFile(const std::string& path, LoadProgress* progress, RunData* out) {
  run::RunFileReader reader;
  Status s = reader.Open(path);
  if (!s.ok()) return s;
  out->path = path;
  out->format_major = reader.format_major();
  out->format_minor = reader.format_minor();
  out->header = reader.header();
  progress->bytes_total = reader.size();
  proto::Chunk chunk;
  bool got = true;
  while (got) {
    if (progress->cancel) return Status::Error(path + ": loading cancelled");
    s = reader.ReadChunk(&chunk, &got);
    if (!s.ok()) return s;
    progress->bytes_read = reader.offset();
    if (!got) break;
    switch (chunk.rows_case()) {
      case proto::Chunk::kDaily:
        for (proto::DailyRow& r : *chunk.mutable_daily()->mutable_rows()) out->daily.push_back(std::move(r));
        break;
      case proto::Chunk::kEmployees:
        for (proto::EmployeeRow& r : *chunk.mutable_employees()->mutable_rows()) out->employees.push_back(std::move(r));
        break;
      case proto::Chunk::kAudit: AddAudit(chunk.audit(), out); break;
      case proto::Chunk::kSpans: AddSpans(chunk.spans(), out); break;
      case proto::Chunk::kTrace: out->trace_events += static_cast<uint64_t>(chunk.trace().events_size()); break;
      case proto::Chunk::ROWS_NOT_SET: break;
    }
  }
  out->footer = reader.footer();
  out->unknown_chunks = reader.unknown_chunks();
  std::sort(out->employees.begin(), out->employees.end(),
            [](const proto::EmployeeRow& a, const proto::EmployeeRow& b) { return a.employee_id() < b.employee_id(); });
  const int64_t days_us = static_cast<int64_t>(out->header.days()) * 86'400'000'000LL;
  out->end_us = std::max(out->end_us, days_us);
  BuildLanes(out);
  out->causal.Build(*out);
  return Status::Ok();
}

}  // namespace clawsim::viz
