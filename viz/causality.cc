#include "viz/causality.h"

#include <algorithm>

#include "viz/run_data.h"

namespace clawsim::viz {

const char* CauseKindName(CauseKind kind) {
  switch (kind) {
    case CauseKind::kItem: return "item";
    case CauseKind::kSpan: return "span";
    case CauseKind::kAudit: return "audit record";
    case CauseKind::kDeploy: return "deploy";
    case CauseKind::kAttack: return "attack source";
    case CauseKind::kNone: break;
  }
  return "none";
}

void CausalIndex::Build(const RunData& run) {
  // Sized once: these hold about one entry per span and per cause, and growing them by
  // doubling would copy and fault in several hundred megabytes for ten million spans.
  size_t items = 0, deploys = 0;
  for (const SpanRow& s : run.spans) {
    items += s.item_id != kNoId;
    deploys += s.deploy_id != kNoId;
  }
  items_.reserve(items);
  deploys_.reserve(deploys);
  cited_by_.reserve(run.causes.size());
  for (size_t i = 0; i < run.spans.size(); ++i) {
    AddSpan(static_cast<uint32_t>(i), run.spans[i], run.causes.data() + run.spans[i].first_cause);
  }
  for (size_t i = 0; i < run.audit.size(); ++i) {
    AddAudit(static_cast<uint32_t>(i), run.audit[i], run.causes.data() + run.audit[i].first_cause);
  }
  Finish(run);
}

void CausalIndex::Reserve(size_t spans, size_t causes) {
  items_.reserve(spans);
  cited_by_.reserve(causes);
}

void CausalIndex::AddSpan(uint32_t row, const SpanRow& span, const CauseRef* causes) {
  if (span.item_id != kNoId) items_.push_back({span.item_id, row, 0});
  if (span.deploy_id != kNoId) deploys_.push_back({span.deploy_id, row, 0});
  for (uint32_t c = 0; c < span.cause_count; ++c) {
    cited_by_.push_back({causes[c].id, row, static_cast<uint8_t>(causes[c].kind)});
  }
}

void CausalIndex::AddAudit(uint32_t row, const AuditRow& audit, const CauseRef* causes) {
  for (uint32_t c = 0; c < audit.cause_count; ++c) {
    cited_by_.push_back({causes[c].id, row | kAuditBit, static_cast<uint8_t>(causes[c].kind)});
  }
}

void CausalIndex::Finish(const RunData& run) {
  const auto& spans = run.spans;
  const auto& audit = run.audit;
  spans_sequential_ = true;
  for (size_t i = 0; i < spans.size() && spans_sequential_; ++i) spans_sequential_ = spans[i].id == i;
  audit_sequential_ = true;
  for (size_t i = 0; i < audit.size() && audit_sequential_; ++i) audit_sequential_ = audit[i].id == i;
  if (!spans_sequential_) {
    span_ids_.reserve(spans.size());
    for (size_t i = 0; i < spans.size(); ++i) span_ids_.push_back({spans[i].id, static_cast<uint32_t>(i), 0});
    std::sort(span_ids_.begin(), span_ids_.end());
  }
  if (!audit_sequential_) {
    audit_ids_.reserve(audit.size());
    for (size_t i = 0; i < audit.size(); ++i) audit_ids_.push_back({audit[i].id, static_cast<uint32_t>(i), 0});
    std::sort(audit_ids_.begin(), audit_ids_.end());
  }
  // Items and deploys are usually already in order (ids grow with time); sort only if not.
  // Rows were added span by span and audit row by audit row, interleaved as the file holds
  // them; the sort by (kind, id, row) makes the order the same as Build's.
  injection_items_.clear();
  for (size_t i = 0; i < run.injections.size(); ++i) {
    injection_items_.push_back({run.injections[i].item_id, static_cast<uint32_t>(i), 0});
  }
  for (auto* keys : {&items_, &deploys_, &cited_by_, &injection_items_}) {
    if (!std::is_sorted(keys->begin(), keys->end())) std::sort(keys->begin(), keys->end());
  }
  LinkForwards(run);
}

void CausalIndex::LinkForwards(const RunData& run) {
  forward_of_.assign(run.injections.size(), UINT32_MAX);
  forwarded_by_.clear();
  // (person, time) of every forwarded copy; few, so a sorted vector searched per audit row.
  std::vector<std::pair<std::pair<uint32_t, int64_t>, uint32_t>> wanted;
  for (size_t i = 0; i < run.injections.size(); ++i) {
    const InjectionRow& e = run.injections[i];
    if (e.forwarded && e.forwarded_by != kNone) wanted.push_back({{e.forwarded_by, e.forwarded_at_us}, static_cast<uint32_t>(i)});
  }
  if (wanted.empty()) return;
  std::sort(wanted.begin(), wanted.end());
  uint32_t send_internal = kNone;
  for (int i = 0; i < run.header.action_names_size(); ++i) {
    if (run.header.action_names(i) == "email.send_internal") send_internal = static_cast<uint32_t>(i);
  }
  for (uint32_t row = 0; row < run.audit.size(); ++row) {
    const AuditRow& a = run.audit[row];
    if (a.agent != kNone || a.action != send_internal) continue;
    auto it = std::lower_bound(wanted.begin(), wanted.end(), std::make_pair(std::make_pair(a.employee, a.time_us), 0u));
    if (it == wanted.end() || it->first != std::make_pair(a.employee, a.time_us)) continue;
    // The forward cites the item of the injection email it forwarded.
    bool cites_injection = false;
    for (uint32_t c = 0; c < a.cause_count && !cites_injection; ++c) {
      const CauseRef& cause = run.causes[a.first_cause + c];
      cites_injection = cause.kind == CauseKind::kItem && InjectionByItem(cause.id).valid();
    }
    if (!cites_injection) continue;
    for (; it != wanted.end() && it->first == std::make_pair(a.employee, a.time_us); ++it) {
      if (forward_of_[it->second] != UINT32_MAX) continue;  // the first such record wins
      forward_of_[it->second] = row;
      forwarded_by_.push_back({row, it->second, 0});
    }
  }
  std::sort(forwarded_by_.begin(), forwarded_by_.end());
}

RecordRef CausalIndex::ForwardOf(uint32_t injection_row) const {
  if (injection_row >= forward_of_.size() || forward_of_[injection_row] == UINT32_MAX) return {};
  return RecordRef::Audit(forward_of_[injection_row]);
}

void CausalIndex::Range(const std::vector<Key>& keys, uint8_t kind, uint64_t id, std::vector<uint32_t>* rows) {
  auto it = std::lower_bound(keys.begin(), keys.end(), Key{id, 0, kind});
  for (; it != keys.end() && it->kind == kind && it->id == id; ++it) rows->push_back(it->row);
}

RecordRef CausalIndex::InjectionByItem(uint64_t item_id) const {
  std::vector<uint32_t> rows;
  Range(injection_items_, 0, item_id, &rows);
  return rows.empty() ? RecordRef{} : RecordRef::Injection(rows.front());
}

namespace {

// Sorts records by time (then kind and row), dropping repeats.
void SortByTime(const RunData& run, std::vector<RecordRef>* records) {
  std::sort(records->begin(), records->end(), [&](const RecordRef& a, const RecordRef& b) {
    const int64_t ta = run.TimeOf(a), tb = run.TimeOf(b);
    if (ta != tb) return ta < tb;
    return a.kind != b.kind ? a.kind < b.kind : a.index < b.index;
  });
  records->erase(std::unique(records->begin(), records->end()), records->end());
}

bool InRange(const RunData& run, const RecordRef& r) {
  switch (r.kind) {
    case RecordRef::Kind::kSpan: return r.index < run.spans.size();
    case RecordRef::Kind::kAudit: return r.index < run.audit.size();
    case RecordRef::Kind::kInjection: return r.index < run.injections.size();
    case RecordRef::Kind::kNone: break;
  }
  return false;
}

}  // namespace

RecordRef CausalIndex::SpanById(uint64_t id) const {
  if (spans_sequential_) {
    // In a sequential file the id is the row; the caller's RunData bounds it.
    return id < UINT32_MAX ? RecordRef::Span(static_cast<uint32_t>(id)) : RecordRef{};
  }
  std::vector<uint32_t> rows;
  Range(span_ids_, 0, id, &rows);
  return rows.empty() ? RecordRef{} : RecordRef::Span(rows.front());
}

RecordRef CausalIndex::AuditById(uint64_t id) const {
  if (audit_sequential_) return id < UINT32_MAX ? RecordRef::Audit(static_cast<uint32_t>(id)) : RecordRef{};
  std::vector<uint32_t> rows;
  Range(audit_ids_, 0, id, &rows);
  return rows.empty() ? RecordRef{} : RecordRef::Audit(rows.front());
}

void CausalIndex::Resolve(const CauseRef& cause, std::vector<RecordRef>* out) const {
  std::vector<uint32_t> rows;
  switch (cause.kind) {
    case CauseKind::kSpan: {
      const RecordRef r = SpanById(cause.id);
      if (r.valid()) out->push_back(r);
      return;
    }
    case CauseKind::kAudit: {
      const RecordRef r = AuditById(cause.id);
      if (r.valid()) out->push_back(r);
      return;
    }
    case CauseKind::kItem: {
      const RecordRef injection = InjectionByItem(cause.id);
      if (injection.valid()) out->push_back(injection);
      Range(items_, 0, cause.id, &rows);
      break;
    }
    case CauseKind::kDeploy: Range(deploys_, 0, cause.id, &rows); break;
    case CauseKind::kAttack:  // an attack source or session: named in the summary, no record of its own
    case CauseKind::kNone: return;
  }
  for (uint32_t row : rows) out->push_back(RecordRef::Span(row));
}

std::vector<RecordRef> CausalIndex::Causes(const RunData& run, RecordRef record) const {
  std::vector<RecordRef> out;
  uint32_t first = 0, count = 0;
  if (record.kind == RecordRef::Kind::kSpan && record.index < run.spans.size()) {
    first = run.spans[record.index].first_cause;
    count = run.spans[record.index].cause_count;
  } else if (record.kind == RecordRef::Kind::kAudit && record.index < run.audit.size()) {
    first = run.audit[record.index].first_cause;
    count = run.audit[record.index].cause_count;
  } else if (record.kind == RecordRef::Kind::kInjection) {
    const RecordRef forward = ForwardOf(record.index);
    if (forward.valid()) out.push_back(forward);
  }
  const int64_t at = run.TimeOf(record);
  for (uint32_t c = 0; c < count; ++c) {
    const CauseRef& cause = run.causes[first + c];
    const size_t before = out.size();
    Resolve(cause, &out);
    // An item's or deploy's records: only those that had begun by then can have led to it.
    if (cause.kind == CauseKind::kItem || cause.kind == CauseKind::kDeploy) {
      const auto later = std::remove_if(out.begin() + static_cast<std::ptrdiff_t>(before), out.end(), [&](const RecordRef& r) {
        return InRange(run, r) && run.TimeOf(r) > at;
      });
      out.erase(later, out.end());
    }
  }
  // A dangling sequential id resolves to a row past the end; drop it.
  std::erase_if(out, [&](const RecordRef& r) { return !InRange(run, r); });
  std::erase(out, record);
  SortByTime(run, &out);
  return out;
}

std::vector<RecordRef> CausalIndex::Consequences(const RunData& run, RecordRef record) const {
  std::vector<uint32_t> direct, shared;  // cites the record itself; cites its item or deploy
  if (record.kind == RecordRef::Kind::kSpan && record.index < run.spans.size()) {
    const SpanRow& s = run.spans[record.index];
    Range(cited_by_, static_cast<uint8_t>(CauseKind::kSpan), s.id, &direct);
    if (s.item_id != kNoId) Range(cited_by_, static_cast<uint8_t>(CauseKind::kItem), s.item_id, &shared);
    if (s.deploy_id != kNoId) Range(cited_by_, static_cast<uint8_t>(CauseKind::kDeploy), s.deploy_id, &shared);
  } else if (record.kind == RecordRef::Kind::kAudit && record.index < run.audit.size()) {
    Range(cited_by_, static_cast<uint8_t>(CauseKind::kAudit), run.audit[record.index].id, &direct);
  } else if (record.kind == RecordRef::Kind::kInjection && record.index < run.injections.size()) {
    Range(cited_by_, static_cast<uint8_t>(CauseKind::kItem), run.injections[record.index].item_id, &direct);
  }
  const int64_t at = run.TimeOf(record);
  std::vector<RecordRef> out;
  auto add = [&](const std::vector<uint32_t>& rows, bool only_later) {
    for (uint32_t row : rows) {
      const RecordRef r = (row & kAuditBit) ? RecordRef::Audit(row & ~kAuditBit) : RecordRef::Span(row);
      if (r == record || !InRange(run, r) || (only_later && run.TimeOf(r) < at)) continue;
      out.push_back(r);
    }
  };
  add(direct, false);
  add(shared, true);
  if (record.kind == RecordRef::Kind::kAudit) {
    std::vector<uint32_t> copies;
    Range(forwarded_by_, 0, record.index, &copies);
    for (uint32_t row : copies) out.push_back(RecordRef::Injection(row));
  }
  SortByTime(run, &out);
  return out;
}

}  // namespace clawsim::viz
