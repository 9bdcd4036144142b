#include "viz/run_data.h"

#include <google/protobuf/arena.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "sim/run/run_file_reader.h"
#include "sim/run/span_wire.h"

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
    if (c.kind() < proto::Cause::ITEM || c.kind() > proto::Cause::ATTACK || count == UINT16_MAX) continue;
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
// service_lane maps a target index to its lane (kNone for targets that are not services).
void MakeLanes(RunData* run, std::vector<uint32_t>* service_lane) {
  const proto::RunHeader& h = run->header;
  service_lane->assign(static_cast<size_t>(h.target_names_size()), kNone);
  for (uint32_t e = 0; e < static_cast<uint32_t>(h.employee_names_size()); ++e) {
    run->lanes.push_back(MakeLane(Lane::Kind::kEmployee, e, h.employee_names(e)));
  }
  for (uint32_t a = 0; a < static_cast<uint32_t>(h.agent_names_size()); ++a) {
    run->lanes.push_back(MakeLane(Lane::Kind::kAgent, a, h.agent_names(a)));
  }
  for (int t = 0; t < h.target_names_size(); ++t) {
    if (h.target_names(t).rfind("service:", 0) != 0) continue;
    (*service_lane)[t] = static_cast<uint32_t>(run->lanes.size());
    run->lanes.push_back(MakeLane(Lane::Kind::kService, static_cast<uint32_t>(t), h.target_names(t).substr(8)));
  }
  // Spans with nothing to hang on (no employee, agent or service) go to one extra lane.
  run->lanes.push_back(MakeLane(Lane::Kind::kService, kNone, "(no lane)"));
}

// The lane of a span: a pipeline stage's or incident's service, an invocation's agent, else
// its employee, agent or service, whichever it has, else the extra lane.
uint32_t LaneOf(const RunData& run, const SpanRow& s, const std::vector<uint32_t>& service_lane) {
  const uint32_t employees = static_cast<uint32_t>(run.header.employee_names_size());
  const bool on_service = s.kind == SpanKind::kPipelineStage || s.kind == SpanKind::kIncident;
  if (on_service && s.target != kNone && service_lane[s.target] != kNone) return service_lane[s.target];
  if (s.kind == SpanKind::kAgentInvocation && s.agent != kNone) return employees + s.agent;
  if (s.employee != kNone) return s.employee;
  if (s.agent != kNone) return employees + s.agent;
  if (s.target != kNone && service_lane[s.target] != kNone) return service_lane[s.target];
  return static_cast<uint32_t>(run.lanes.size() - 1);
}

void AddSpans(const proto::SpanRows& rows, const std::vector<uint32_t>& service_lane, RunData* run) {
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
    s.route = Small(p.has_route(), p.route());
    s.defect_origin = Small(p.has_defect_origin(), p.defect_origin());
    s.input_tokens = Saturate32(p.input_tokens());
    s.output_tokens = Saturate32(p.output_tokens());
    s.cost_usd = static_cast<float>(p.cost_usd());
    std::tie(s.first_cause, s.cause_count) = AddCauses(p.causes(), run);
    run->end_us = std::max(run->end_us, s.end_us);
    s.lane = LaneOf(*run, s, service_lane);  // the lanes are filled at the end (BuildLanes)
    run->causal.AddSpan(static_cast<uint32_t>(run->spans.size()), s, run->causes.data() + s.first_cause);
    run->spans.push_back(s);
  }
}

// AddSpans for a span chunk the reader decoded without messages (sim/run/span_wire.h).
void AddWireSpans(const run::WireSpans& rows, const std::vector<uint32_t>& service_lane, RunData* run) {
  for (const run::WireSpan& p : rows.spans) {
    const uint16_t has = p.present;
    SpanRow s;
    s.kind = static_cast<SpanKind>(p.kind);
    s.id = p.id;
    s.start_us = p.start_us;
    s.end_us = p.end_us;
    s.item_id = (has & run::WireSpan::kHasItem) ? p.item_id : kNoId;
    s.deploy_id = (has & run::WireSpan::kHasDeploy) ? p.deploy_id : kNoId;
    s.employee = (has & run::WireSpan::kHasEmployee) ? p.employee_id : kNone;
    s.agent = (has & run::WireSpan::kHasAgent) ? p.agent_id : kNone;
    s.target = (has & run::WireSpan::kHasTarget) ? p.target : kNone;
    s.name = (has & run::WireSpan::kHasName) ? p.name : kNone;
    s.trigger = Small(has & run::WireSpan::kHasTrigger, p.trigger);
    s.purpose = Small(has & run::WireSpan::kHasPurpose, p.purpose);
    s.outcome = Small(has & run::WireSpan::kHasOutcome, p.outcome);
    s.route = Small(has & run::WireSpan::kHasRoute, p.route);
    s.defect_origin = Small(has & run::WireSpan::kHasDefectOrigin, p.defect_origin);
    s.input_tokens = Saturate32(p.input_tokens);
    s.output_tokens = Saturate32(p.output_tokens);
    s.cost_usd = static_cast<float>(p.cost_usd);
    s.first_cause = static_cast<uint32_t>(run->causes.size());
    for (uint32_t c = p.first_cause; c < p.first_cause + p.cause_count && s.cause_count < UINT16_MAX; ++c) {
      const run::WireCause& cause = rows.causes[c];
      if (cause.kind < proto::Cause::ITEM || cause.kind > proto::Cause::ATTACK) continue;
      run->causes.push_back({static_cast<CauseKind>(cause.kind), cause.id});
      ++s.cause_count;
    }
    run->end_us = std::max(run->end_us, s.end_us);
    s.lane = LaneOf(*run, s, service_lane);  // the lanes are filled at the end (BuildLanes)
    run->causal.AddSpan(static_cast<uint32_t>(run->spans.size()), s, run->causes.data() + s.first_cause);
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
    a.external = p.external();
    std::tie(a.first_cause, a.cause_count) = AddCauses(p.causes(), run);
    if (a.agent != kNone) ++run->agent_audit_records;
    if (a.external && a.agent != kNone && a.agent < run->external_agents.size()) {
      // An external seat's call: on its agent's lane, which says whose seat it is.
      run->external_agents[a.agent] = 1;
      Lane& lane = run->lanes[run->header.employee_names_size() + a.agent];
      if (!lane.external) {
        lane.external = true;
        lane.label = "seat: " + RunData::Name(run->header.employee_names(), a.employee) + " (external)";
      }
      lane.audit.push_back(static_cast<uint32_t>(run->audit.size()));
    }
    run->causal.AddAudit(static_cast<uint32_t>(run->audit.size()), a, run->causes.data() + a.first_cause);
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

std::string RunData::AgentLabel(uint32_t agent) const {
  const size_t lane = static_cast<size_t>(header.employee_names_size()) + agent;
  if (agent < external_agents.size() && external_agents[agent] != 0 && lane < lanes.size()) {
    return lanes[lane].label;
  }
  return Name(header.agent_names(), agent);
}

uint32_t RunData::LaneOfAudit(const AuditRow& a) const {
  return a.agent != kNone ? static_cast<uint32_t>(header.employee_names_size()) + a.agent : a.employee;
}

std::string RunData::SpanOutcome(const SpanRow& span) const {
  if (span.outcome == kNoSmall) return "";
  if (span.kind == SpanKind::kPipelineStage) {
    if (header.stage_outcome_names_size() > 0) return Name(header.stage_outcome_names(), span.outcome);
    return span.outcome == 0 ? "passed" : "failed";
  }
  return Name(header.outcome_names(), span.outcome);
}

std::string RunData::SourceName(uint32_t source) const {
  const auto& sources = footer.summary().safety().sources();
  return source < static_cast<uint32_t>(sources.size()) ? sources[static_cast<int>(source)].name()
                                                        : "source #" + std::to_string(source);
}

int64_t RunData::TimeOf(RecordRef record) const {
  switch (record.kind) {
    case RecordRef::Kind::kSpan: return record.index < spans.size() ? spans[record.index].start_us : 0;
    case RecordRef::Kind::kAudit: return record.index < audit.size() ? audit[record.index].time_us : 0;
    case RecordRef::Kind::kInjection: return record.index < injections.size() ? injections[record.index].time_us : 0;
    case RecordRef::Kind::kNone: break;
  }
  return 0;
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

namespace {

// Chunks handed from the reading thread to the converting one, at most kDepth at a time.
class ChunkQueue {
 public:
  struct Item {
    std::unique_ptr<google::protobuf::Arena> arena;  // owns *chunk
    const proto::Chunk* chunk = nullptr;             // a chunk, or
    std::unique_ptr<run::WireSpans> spans;           // a span chunk; neither: the end (status says how)
    Status status;
  };
  void Push(Item item) {
    std::unique_lock<std::mutex> lock(mu_);
    space_.wait(lock, [&] { return items_.size() < kDepth || closed_; });
    if (closed_) return;
    items_.push_back(std::move(item));
    ready_.notify_one();
  }
  Item Pop() {
    std::unique_lock<std::mutex> lock(mu_);
    ready_.wait(lock, [&] { return !items_.empty(); });
    Item item = std::move(items_.front());
    items_.pop_front();
    space_.notify_one();
    return item;
  }
  // Span buffers go back and forth, so that their memory is reused from chunk to chunk.
  std::unique_ptr<run::WireSpans> Spare() {
    std::lock_guard<std::mutex> lock(mu_);
    if (spare_.empty()) return std::make_unique<run::WireSpans>();
    std::unique_ptr<run::WireSpans> s = std::move(spare_.back());
    spare_.pop_back();
    return s;
  }
  void Recycle(std::unique_ptr<run::WireSpans> spans) {
    std::lock_guard<std::mutex> lock(mu_);
    spare_.push_back(std::move(spans));
  }
  // The consumer gives up: the producer's pushes return at once from now on.
  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    space_.notify_all();
  }

 private:
  static constexpr size_t kDepth = 16;
  std::mutex mu_;
  std::condition_variable ready_, space_;
  std::deque<Item> items_;
  std::vector<std::unique_ptr<run::WireSpans>> spare_;
  bool closed_ = false;
};

void Convert(const proto::Chunk& chunk, const std::vector<uint32_t>& service_lane, RunData* out) {
  switch (chunk.rows_case()) {
    case proto::Chunk::kDaily:
      for (const proto::DailyRow& r : chunk.daily().rows()) out->daily.push_back(r);
      break;
    case proto::Chunk::kEmployees:
      for (const proto::EmployeeRow& r : chunk.employees().rows()) out->employees.push_back(r);
      break;
    case proto::Chunk::kAudit: AddAudit(chunk.audit(), out); break;
    case proto::Chunk::kSpans: AddSpans(chunk.spans(), service_lane, out); break;
    case proto::Chunk::kTrace: out->trace_events += static_cast<uint64_t>(chunk.trace().events_size()); break;
    case proto::Chunk::kInjections:
      for (const proto::InjectionEmail& e : chunk.injections().emails()) {
        out->injections.push_back({e.time_us(), e.item_id(), e.employee_id(), e.source(), e.goal(), e.detected(),
                                   e.forwarded(), e.has_forwarded_by() ? e.forwarded_by() : kNone,
                                   e.forwarded_at_us()});
        out->end_us = std::max(out->end_us, e.time_us());
      }
      break;
    case proto::Chunk::ROWS_NOT_SET: break;
  }
}

}  // namespace

Status LoadRunFile(const std::string& path, LoadProgress* progress, RunData* out) {
  run::RunFileReader reader;
  Status s = reader.Open(path);
  if (!s.ok()) return s;
  out->path = path;
  out->format_major = reader.format_major();
  out->format_minor = reader.format_minor();
  out->header = reader.header();
  progress->bytes_total = reader.size();
  // A span takes about 60 bytes on disk: reserve for the likely count, once.
  out->spans.reserve(reader.size() / 48);
  out->causes.reserve(reader.size() / 48);
  out->causal.Reserve(reader.size() / 48, reader.size() / 48);
  std::vector<uint32_t> service_lane;
  MakeLanes(out, &service_lane);
  out->external_agents.assign(static_cast<size_t>(out->header.agent_names_size()), 0);

  // Two stages: this thread converts rows while a second one reads, checks and parses the
  // next records (each chunk in its own arena, handed over through the queue).
  ChunkQueue queue;
  std::thread producer([&] {
    for (;;) {
      ChunkQueue::Item item;
      item.spans = queue.Spare();
      bool got = false;
      item.status = progress->cancel ? Status::Error(path + ": loading cancelled")
                                     : reader.ReadChunkOrSpans(&item.arena, &item.chunk, item.spans.get(), &got);
      progress->bytes_read = reader.offset();
      const bool last = !item.status.ok() || !got;
      if (last) item.chunk = nullptr;
      if (last || item.chunk != nullptr) {
        queue.Recycle(std::move(item.spans));
        item.spans = nullptr;
      }
      queue.Push(std::move(item));
      if (last) return;
    }
  });
  for (;;) {
    ChunkQueue::Item item = queue.Pop();
    if (item.spans != nullptr) {
      AddWireSpans(*item.spans, service_lane, out);
      queue.Recycle(std::move(item.spans));
      continue;
    }
    if (item.chunk == nullptr) {
      s = item.status;
      break;
    }
    Convert(*item.chunk, service_lane, out);
  }
  queue.Close();
  producer.join();
  if (!s.ok()) return s;
  out->footer = reader.footer();
  out->unknown_chunks = reader.unknown_chunks();
  std::sort(out->employees.begin(), out->employees.end(),
            [](const proto::EmployeeRow& a, const proto::EmployeeRow& b) { return a.employee_id() < b.employee_id(); });
  const int64_t days_us = static_cast<int64_t>(out->header.days()) * 86'400'000'000LL;
  out->end_us = std::max(out->end_us, days_us);
  // Lanes and the rest of the causal index (its rows were added during conversion) read the
  // rows and write apart: build them side by side.
  std::thread lanes([out] { BuildLanes(out->spans, &out->lanes); });
  out->causal.Finish(*out);
  lanes.join();
  // Drop the extra lane if nothing needed it.
  if (out->lanes.back().spans.empty()) out->lanes.pop_back();
  return Status::Ok();
}

}  // namespace clawsim::viz
