#include "sim/cli/trace_back.h"

#include <cinttypes>
#include <cstdio>
#include <algorithm>
#include <cstdlib>
#include <vector>

#include "sim/common/json_writer.h"
#include "viz/chain.h"
#include "viz/format.h"
#include "viz/run_data.h"

namespace clawsim::cli {
namespace {

bool ParseId(const std::string& text, uint64_t* id) {
  if (text.empty() || text[0] == '-') return false;
  char* end = nullptr;
  *id = std::strtoull(text.c_str(), &end, 0);
  return end != nullptr && *end == '\0';
}

// "audit:ID" / "span:ID" / "ID" to a record; an error says what was not found.
Status FindStart(const viz::RunData& run, const std::string& what, viz::RecordRef* out) {
  std::string kind, number = what;
  if (const size_t colon = what.find(':'); colon != std::string::npos) {
    kind = what.substr(0, colon);
    number = what.substr(colon + 1);
  }
  uint64_t id = 0;
  if (!ParseId(number, &id) || (!kind.empty() && kind != "audit" && kind != "span")) {
    return Status::Error("--trace-back: '" + what + "' is not an id (a number, audit:N, span:N, or harms)");
  }
  viz::RecordRef audit = run.causal.AuditById(id), span = run.causal.SpanById(id);
  if (audit.valid() && audit.index >= run.audit.size()) audit = {};
  if (span.valid() && span.index >= run.spans.size()) span = {};
  if (kind == "audit") span = {};
  if (kind == "span") audit = {};
  if (!audit.valid() && !span.valid()) {
    return Status::Error(run.path + ": no " + (kind.empty() ? "audit record or span" : kind == "audit" ? "audit record" : "span") +
                         " has id " + number + " (`--trace-back harms` lists the harms and their ids)");
  }
  if (audit.valid() && span.valid()) {
    std::fprintf(stderr, "both an audit record and a span have id %s; following the audit record (say span:%s for the other)\n",
                 number.c_str(), number.c_str());
  }
  *out = audit.valid() ? audit : span;
  return Status::Ok();
}

// "audit:ID" or "span:ID" for a record, as --trace-back accepts it.
std::string RecordId(const viz::RunData& run, viz::RecordRef r) {
  switch (r.kind) {
    case viz::RecordRef::Kind::kAudit: return "audit:" + std::to_string(run.audit[r.index].id);
    case viz::RecordRef::Kind::kSpan: return "span:" + std::to_string(run.spans[r.index].id);
    case viz::RecordRef::Kind::kInjection: return "item:" + std::to_string(run.injections[r.index].item_id);
    case viz::RecordRef::Kind::kNone: break;
  }
  return "";
}

std::string Day(int64_t time_us) { return std::to_string(time_us / 86'400'000'000LL); }

// The cause in words, with who deployed as a second fact (an incident's).
std::string CauseText(const viz::Origin& o) {
  return o.deployed_by.empty() ? o.text : o.text + "; deployed by " + o.deployed_by;
}

// The origin's optional fields.
void OriginFields(const viz::Origin& o, JsonWriter* w) {
  if (!o.defect.empty()) w->String("defect_origin", o.defect);
  if (!o.deployed_by.empty()) w->String("deployed_by", o.deployed_by);
}

Status PrintHarms(const viz::RunData& run, const TraceBackOptions& o) {
  const std::vector<viz::Harm> harms = viz::ListHarms(run);
  const size_t size = o.page_size == 0 ? 50 : o.page_size;
  const size_t pages = harms.empty() ? 1 : (harms.size() + size - 1) / size;
  if (o.page == 0 || o.page > pages) {
    return Status::Error("--page " + std::to_string(o.page) + ": the run has " + std::to_string(harms.size()) +
                         " harms, " + std::to_string(pages) + " page(s) of " + std::to_string(size));
  }
  const size_t first = (o.page - 1) * size, last = std::min(harms.size(), first + size);
  size_t counts[4] = {};
  for (const viz::Harm& h : harms) ++counts[static_cast<int>(h.kind)];
  if (o.json) {
    std::string rows = "[";
    for (size_t i = first; i < last; ++i) {
      const viz::Harm& h = harms[i];
      JsonWriter w;
      w.String("id", RecordId(run, h.record))
          .String("kind", viz::HarmKindName(h.kind))
          .Uint("day", static_cast<uint64_t>(h.time_us / 86'400'000'000LL))
          .Int("time_us", h.time_us)
          .String("service", h.service)
          .String("cause_kind", viz::OriginKindName(h.origin.kind))
          .String("cause", h.origin.text)
          .String("description", h.description);
      OriginFields(h.origin, &w);
      rows += (i > first ? "," : "") + w.Finish();
    }
    JsonWriter w;
    w.String("file", run.path)
        .Uint("harms", harms.size())
        .Uint("leaks", counts[0])
        .Uint("exposures", counts[1])
        .Uint("incidents", counts[2])
        .Uint("attacks", counts[3])
        .Uint("page", o.page)
        .Uint("pages", pages)
        .Uint("page_size", size)
        .Raw("rows", rows + "]");
    std::printf("%s\n", w.Finish().c_str());
    return Status::Ok();
  }
  std::printf("%zu harms: %zu leaks, %zu exposures, %zu other actions done for an attacker, %zu incidents; page %u of %zu "
              "(--page N, --page-size N)\n",
              harms.size(), counts[0], counts[1], counts[3], counts[2], o.page, pages);
  int service_w = 7;
  for (size_t i = first; i < last; ++i) service_w = std::max(service_w, static_cast<int>(harms[i].service.size()));
  std::printf("%-22s %-8s %4s  %-*s  %s\n", "id", "kind", "day", service_w, "service", "cause, then what happened");
  for (size_t i = first; i < last; ++i) {
    const viz::Harm& h = harms[i];
    std::printf("%-22s %-8s %4s  %-*s  %s\n%*s%s\n", RecordId(run, h.record).c_str(), viz::HarmKindName(h.kind),
                Day(h.time_us).c_str(), service_w, h.service.c_str(), CauseText(h.origin).c_str(), 40 + service_w, "",
                h.description.c_str());
  }
  if (last < harms.size()) std::printf("... %zu more: --page %u\n", harms.size() - last, o.page + 1);
  return Status::Ok();
}

void PrintChain(const viz::RunData& run, viz::RecordRef start) {
  bool truncated = false;
  const viz::TraceBackLimits limits;
  const std::vector<viz::ChainStep> steps = viz::TraceBack(run, start, limits, &truncated);
  const viz::Origin origin = viz::FindOrigin(run, start);
  std::printf("origin: %s\n", CauseText(origin).c_str());
  for (const viz::ChainStep& s : steps) {
    const std::string indent(static_cast<size_t>(2 * s.depth), ' ');
    const std::string id = s.record.valid() ? RecordId(run, s.record) + ": " : std::string();
    std::printf("%s%s%s%s\n", indent.c_str(), s.depth == 0 ? "" : "<- ", id.c_str(), s.text.c_str());
  }
  if (truncated) {
    std::printf("(cut at %d steps deep or %zu lines; follow a deeper record with --trace-back ID)\n", limits.max_depth,
                limits.max_steps);
  }
}

void PrintChainJson(const viz::RunData& run, viz::RecordRef start) {
  bool truncated = false;
  const std::vector<viz::ChainStep> steps = viz::TraceBack(run, start, viz::TraceBackLimits{}, &truncated);
  const viz::Origin origin = viz::FindOrigin(run, start);
  std::string rows = "[";
  for (size_t i = 0; i < steps.size(); ++i) {
    const viz::ChainStep& s = steps[i];
    JsonWriter w;
    w.Int("depth", s.depth)
        .String("id", s.record.valid() ? RecordId(run, s.record) : std::string(viz::CauseKindName(s.cause.kind)) + ":" +
                                                                       std::to_string(s.cause.id))
        .Int("time_us", s.record.valid() ? run.TimeOf(s.record) : -1)
        .String("text", s.text);
    rows += (i > 0 ? "," : "") + w.Finish();
  }
  JsonWriter o;
  o.String("kind", viz::OriginKindName(origin.kind)).String("text", origin.text);
  if (origin.injection.valid()) o.String("id", RecordId(run, origin.injection));
  OriginFields(origin, &o);
  JsonWriter w;
  w.String("file", run.path)
      .String("start", RecordId(run, start))
      .Raw("origin", o.Finish())
      .Bool("truncated", truncated)
      .Raw("chain", rows + "]");
  std::printf("%s\n", w.Finish().c_str());
}

}  // namespace

Status PrintTraceBack(const std::string& path, const TraceBackOptions& options) {
  viz::RunData run;
  viz::LoadProgress progress;
  Status s = viz::LoadRunFile(path, &progress, &run);
  if (!s.ok()) return s;
  if (run.audit.empty() && run.spans.empty()) {
    return Status::Error(path + ": the file keeps no audit records or spans (run with --trace audit or full)");
  }
  if (options.what == "harms") return PrintHarms(run, options);
  viz::RecordRef start;
  s = FindStart(run, options.what, &start);
  if (!s.ok()) return s;
  if (options.json) {
    PrintChainJson(run, start);
  } else {
    PrintChain(run, start);
  }
  return Status::Ok();
}

}  // namespace clawsim::cli
