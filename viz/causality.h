// Walking causes backwards and forwards between spans, audit records and injection emails
// (RUN_FILE.md, "Spans and causes"). A CausalIndex is built once per run from the rows;
// queries are binary searches over sorted vectors, O(log n) each, with no per-query
// allocation beyond the result.
//
// Only the documented links are followed: a record's own causes (SPAN, AUDIT by id; ITEM to
// the spans and injection email of that item; DEPLOY to the deploy's spans) and their
// inverse. Item and deploy links are shared by many records, so they are read with time: an
// item's record is a cause of R only if it began no later than R, a consequence only if it
// began no earlier. Results are in time order.
//
// One link is not a Cause but a pair of fields (format 1.6): a forwarded injection email
// names who forwarded it and when (InjectionEmail.forwarded_by, .forwarded_at_us). Its cause
// is that person's email.send_internal audit record at that time, the one citing an
// injection email's item; the audit record's consequences include the forwarded copy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace clawsim::viz {

struct RunData;
struct SpanRow;
struct AuditRow;

// proto::Cause::Kind.
enum class CauseKind : uint8_t { kNone = 0, kItem = 1, kSpan = 2, kAudit = 3, kDeploy = 4, kAttack = 5 };
const char* CauseKindName(CauseKind kind);  // "item", "span", "audit record", "deploy"

// One cause as stored: what the record points at.
struct CauseRef {
  CauseKind kind = CauseKind::kNone;
  uint64_t id = 0;
};

// A record the viewer can select: a span, an audit row or an injection email, by position in
// RunData.
struct RecordRef {
  enum class Kind : uint8_t { kNone, kSpan, kAudit, kInjection };
  Kind kind = Kind::kNone;
  uint32_t index = 0;
  bool valid() const { return kind != Kind::kNone; }
  friend bool operator==(const RecordRef&, const RecordRef&) = default;
  static RecordRef Span(uint32_t i) { return {Kind::kSpan, i}; }
  static RecordRef Audit(uint32_t i) { return {Kind::kAudit, i}; }
  static RecordRef Injection(uint32_t i) { return {Kind::kInjection, i}; }
};

class CausalIndex {
 public:
  // Indexes run.spans, run.audit and run.causes (which must not change afterwards).
  void Build(const RunData& run);

  // Build in steps, for a loader that indexes rows as it converts them: AddSpan and AddAudit
  // for every row, each kind in row order (`causes` points at the row's cause_count causes),
  // then Finish once with the complete rows. The result is Build's.
  void AddSpan(uint32_t row, const SpanRow& span, const CauseRef* causes);
  void AddAudit(uint32_t row, const AuditRow& audit, const CauseRef* causes);
  void Finish(const RunData& run);
  // Room for about `spans` spans with items and `causes` causes (a hint for AddSpan).
  void Reserve(size_t spans, size_t causes);

  // The records `cause` names: the span or audit record with that id, or the spans and the
  // injection email of that item, or the spans of that deploy. Dangling causes give nothing.
  // Appends to *out, in row order.
  void Resolve(const CauseRef& cause, std::vector<RecordRef>* out) const;
  // Every record one of whose causes names `record` itself, its item or its deploy (item
  // and deploy links only from records that began no earlier), without `record`, by time.
  std::vector<RecordRef> Consequences(const RunData& run, RecordRef record) const;
  // The records the causes of `record` name (item and deploy links only to records that
  // began no later), each once, without `record`, by time.
  std::vector<RecordRef> Causes(const RunData& run, RecordRef record) const;
  // The injection email of item `item_id`, or an invalid ref.
  RecordRef InjectionByItem(uint64_t item_id) const;
  // A forwarded injection email's forward: the audit record of the colleague's
  // email.send_internal that made the copy, or an invalid ref (not forwarded, or a file
  // before 1.6).
  RecordRef ForwardOf(uint32_t injection_row) const;

  // The span or audit row with id `id`, or an invalid ref.
  RecordRef SpanById(uint64_t id) const;
  RecordRef AuditById(uint64_t id) const;

 private:
  struct Key {  // (cause kind, id) -> a row
    uint64_t id;
    uint32_t row;
    uint8_t kind;  // CauseKind for the reverse index; unused in the id maps
    bool operator<(const Key& o) const { return kind != o.kind ? kind < o.kind : (id != o.id ? id < o.id : row < o.row); }
  };
  // Rows by their id (spans and audit rows), and spans by item and by deploy.
  std::vector<Key> span_ids_, audit_ids_, items_, deploys_, injection_items_;
  std::vector<uint32_t> forward_of_;  // by injection row: the forward's audit row, or UINT32_MAX
  std::vector<Key> forwarded_by_;     // (audit row) -> the injection rows it forwarded
  bool spans_sequential_ = false;  // span id == its index for every span (no lookup needed)
  bool audit_sequential_ = false;
  // Who cites what: (cited kind, cited id) -> citing record (row | kAuditBit for audit rows).
  std::vector<Key> cited_by_;
  static constexpr uint32_t kAuditBit = 0x80000000u;

  // Fills forward_of_ and forwarded_by_ (Finish's last step).
  void LinkForwards(const RunData& run);
  static void Range(const std::vector<Key>& keys, uint8_t kind, uint64_t id, std::vector<uint32_t>* rows);
};

}  // namespace clawsim::viz
