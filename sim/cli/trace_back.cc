#include "sim/cli/trace_back.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/proto/run.pb.h"
#include "sim/run/run_file_reader.h"

namespace clawsim::cli {
namespace {

// What one record of the chain keeps: its line and its causes.
struct Node {
  std::string line;
  std::vector<std::pair<int, uint64_t>> causes;  // (proto::Cause::Kind, id)
};

std::string Name(const google::protobuf::RepeatedPtrField<std::string>& names, uint32_t i) {
  return i < static_cast<uint32_t>(names.size()) ? names[static_cast<int>(i)] : "#" + std::to_string(i);
}

std::string When(int64_t us) {
  char buf[48];
  const int64_t minutes = us / 60000000;
  std::snprintf(buf, sizeof buf, "day %" PRId64 " %02" PRId64 ":%02" PRId64, minutes / 1440, (minutes / 60) % 24, minutes % 60);
  return buf;
}

// Model item ids: owner << 32 | kind << 28 | ref (sim/model/trace.h).
std::string ItemLine(const proto::RunHeader& h, uint64_t id) {
  static const char* const kKinds[] = {"item", "mail", "chat request", "code change", "backlog task", "approval ask"};
  const uint32_t owner = static_cast<uint32_t>(id >> 32);
  const uint32_t kind = static_cast<uint32_t>((id >> 28) & 0xf);
  return std::string("item ") + std::to_string(id) + ": " + (kind < 6 ? kKinds[kind] : "item") + " #" +
         std::to_string(id & 0x0fffffffu) + " of " + Name(h.employee_names(), owner);
}

std::string AttackLine(const proto::RunSummary& s, uint64_t id) {
  const bool session = (id >> 62) & 1;
  const uint32_t source = static_cast<uint32_t>((id >> 32) & 0x3fffffff);
  const uint32_t index = session ? source : static_cast<uint32_t>(id);
  std::string what = "attack source #" + std::to_string(index);
  if (index < static_cast<uint32_t>(s.safety().sources_size())) {
    const proto::AttackSourceMeasures& src = s.safety().sources(static_cast<int>(index));
    what = src.kind() + " \"" + src.name() + "\" (" + std::to_string(src.attempts()) + " attempts, " +
           std::to_string(src.successes()) + " took effect)";
  }
  if (session) return "compromised session of agent #" + std::to_string(static_cast<uint32_t>(id)) + ", acting for " + what;
  return what;
}

bool ParseId(const std::string& text, uint64_t* id) {
  if (text.empty()) return false;
  char* end = nullptr;
  *id = std::strtoull(text.c_str(), &end, 0);
  return end != nullptr && *end == '\0';
}

}  // namespace

Status PrintTraceBack(const std::string& path, const std::string& id_text) {
  const bool list = id_text == "harms";
  std::string kind_hint, number = list ? "0" : id_text;
  if (const size_t colon = id_text.find(':'); !list && colon != std::string::npos) {
    kind_hint = id_text.substr(0, colon);
    number = id_text.substr(colon + 1);
  }
  uint64_t start = 0;
  if (!ParseId(number, &start) || (!kind_hint.empty() && kind_hint != "audit" && kind_hint != "span")) {
    return Status::Error("--trace-back: '" + id_text + "' is not an id (a number, audit:N, span:N, or harms)");
  }
  run::RunFileReader reader;
  Status s = reader.Open(path);
  if (!s.ok()) return s;
  const proto::RunHeader& h = reader.header();
  // Index the file: audit records and spans by id; spans by the item and deploy they belong to.
  std::unordered_map<uint64_t, Node> audits, spans;
  std::unordered_map<uint64_t, uint64_t> span_of_item, span_of_deploy;
  std::vector<uint64_t> leaks, incidents;  // harms, for "harms"
  proto::Chunk chunk;
  bool got = true;
  uint64_t audit_index = 0, span_index = 0;
  while (true) {
    s = reader.ReadChunk(&chunk, &got);
    if (!s.ok()) return s;
    if (!got) break;
    for (const proto::AuditRecord& a : chunk.audit().records()) {
      const uint64_t id = a.has_id() ? a.id() : audit_index;
      ++audit_index;
      Node n;
      n.line = "audit " + std::to_string(id) + ": " + When(a.time_us()) + ", " +
               (a.has_agent_id() ? "agent " + Name(h.agent_names(), a.agent_id()) + " for " : std::string()) +
               Name(h.employee_names(), a.on_behalf_of_employee()) + ": " + Name(h.action_names(), a.action()) + " on " +
               Name(h.target_names(), a.target()) + ", " + Name(h.decision_names(), a.decision()) + ", " +
               Name(h.outcome_names(), a.outcome());
      for (const proto::Cause& c : a.causes()) n.causes.emplace_back(c.kind(), c.id());
      const std::string outcome = Name(h.outcome_names(), a.outcome());
      if (outcome == "data_leaked" || outcome == "exposed") leaks.push_back(id);
      audits.emplace(id, std::move(n));
    }
    for (const proto::Span& sp : chunk.spans().spans()) {
      const uint64_t id = sp.id() != 0 || span_index == 0 ? sp.id() : span_index;
      ++span_index;
      static const char* const kSpanKinds[] = {"span", "human task", "agent invocation", "pipeline stage", "incident"};
      Node n;
      n.line = "span " + std::to_string(id) + ": " + kSpanKinds[sp.kind() < 5 ? sp.kind() : 0] + " \"" +
               (sp.has_name() ? Name(h.span_names(), sp.name()) : std::string()) + "\", " + When(sp.start_us()) + " to " +
               When(sp.end_us());
      if (sp.has_agent_id()) n.line += ", agent " + Name(h.agent_names(), sp.agent_id());
      if (sp.has_employee_id()) n.line += ", " + Name(h.employee_names(), sp.employee_id());
      if (sp.has_target()) n.line += ", " + Name(h.target_names(), sp.target());
      if (sp.has_trigger()) n.line += ", trigger " + Name(h.trigger_names(), sp.trigger());
      for (const proto::Cause& c : sp.causes()) n.causes.emplace_back(c.kind(), c.id());
      if (sp.has_item_id() && sp.kind() == proto::Span::HUMAN_TASK) span_of_item.emplace(sp.item_id(), id);
      if (sp.has_deploy_id() && sp.kind() == proto::Span::PIPELINE_STAGE) span_of_deploy.emplace(sp.deploy_id(), id);
      if (sp.kind() == proto::Span::INCIDENT) incidents.push_back(id);
      spans.emplace(id, std::move(n));
    }
  }
  s = reader.ReadFooter();
  if (!s.ok()) return s;
  if (audits.empty() && spans.empty()) {
    return Status::Error(path + ": the file keeps no audit records or spans (run with --trace audit or full)");
  }
  const proto::RunSummary& summary = reader.footer().summary();
  if (list) {
    // The harms in the file, to pick one from: leaks and exposures (audit records), incidents (spans).
    auto print = [](const char* what, const char* prefix, const std::vector<uint64_t>& ids) {
      std::printf("%s: %zu\n", what, ids.size());
      for (size_t i = 0; i < ids.size() && i < 20; ++i) std::printf("  %s%" PRIu64 "\n", prefix, ids[i]);
      if (ids.size() > 20) std::printf("  ...\n");
    };
    print("leaks and exposures (audit records)", "audit:", leaks);
    print("incidents (spans)", "span:", incidents);
    return Status::Ok();
  }

  const bool in_audit = audits.count(start) > 0 && kind_hint != "span";
  const bool in_span = spans.count(start) > 0 && kind_hint != "audit";
  if (!in_audit && !in_span) {
    return Status::Error(path + ": no " + (kind_hint.empty() ? "audit record or span" : kind_hint) + " has id " + number);
  }
  if (in_audit && in_span && kind_hint.empty()) {
    std::printf("both an audit record and a span have id %s; following the audit record (say span:%s for the other)\n",
                number.c_str(), number.c_str());
  }
  // Walk: each node prints, then every cause not seen yet, depth first.
  std::set<std::pair<int, uint64_t>> seen;
  struct Step {
    int kind;
    uint64_t id;
    int depth;
  };
  std::vector<Step> stack = {{in_audit ? proto::Cause::AUDIT : proto::Cause::SPAN, start, 0}};
  while (!stack.empty()) {
    const Step step = stack.back();
    stack.pop_back();
    if (!seen.insert({step.kind, step.id}).second) continue;
    const std::string indent(static_cast<size_t>(2 * step.depth), ' ');
    const char* arrow = step.depth == 0 ? "" : "<- ";
    const Node* node = nullptr;
    switch (step.kind) {
      case proto::Cause::AUDIT:
        if (auto it = audits.find(step.id); it != audits.end()) node = &it->second;
        break;
      case proto::Cause::SPAN:
        if (auto it = spans.find(step.id); it != spans.end()) node = &it->second;
        break;
      case proto::Cause::DEPLOY:
        if (auto it = span_of_deploy.find(step.id); it != span_of_deploy.end()) {
          std::printf("%s%sdeploy %" PRIu64 "\n", indent.c_str(), arrow, step.id);
          stack.push_back({proto::Cause::SPAN, it->second, step.depth + 1});
          continue;
        }
        break;
      case proto::Cause::ITEM: {
        std::printf("%s%s%s\n", indent.c_str(), arrow, ItemLine(h, step.id).c_str());
        if (auto it = span_of_item.find(step.id); it != span_of_item.end()) {
          std::printf("%s  (worked on in span %" PRIu64 ")\n", indent.c_str(), it->second);
        }
        continue;
      }
      case proto::Cause::ATTACK:
        std::printf("%s%s%s\n", indent.c_str(), arrow, AttackLine(summary, step.id).c_str());
        continue;
      default:
        break;
    }
    if (node == nullptr) {
      std::printf("%s%s%s %" PRIu64 " (not in this file)\n", indent.c_str(), arrow,
                  step.kind == proto::Cause::AUDIT ? "audit" : step.kind == proto::Cause::SPAN ? "span" : "deploy", step.id);
      continue;
    }
    std::printf("%s%s%s\n", indent.c_str(), arrow, node->line.c_str());
    // Causes in reverse so that the first prints first.
    for (auto it = node->causes.rbegin(); it != node->causes.rend(); ++it) stack.push_back({it->first, it->second, step.depth + 1});
  }
  return Status::Ok();
}

}  // namespace clawsim::cli
