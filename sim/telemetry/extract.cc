// Extract: one pass over a run file's chunks builds the platform's view and, beside it, the
// ground truth. Audit records are usually written before the invocation that requested them
// ends, so actions are matched to their invocation after the pass.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "sim/proto/run.pb.h"
#include "sim/run/number_format.h"
#include "sim/run/run_file_reader.h"
#include "sim/telemetry/telemetry.h"

namespace clawsim::telemetry {
namespace {

// Interns names into one of Telemetry's tables.
class Names {
 public:
  explicit Names(std::vector<std::string>* table) : table_(table) {}
  uint32_t Of(const std::string& name) {
    auto [it, added] = index_.emplace(name, static_cast<uint32_t>(table_->size()));
    if (added) table_->push_back(name);
    return it->second;
  }

 private:
  std::vector<std::string>* table_;
  std::map<std::string, uint32_t> index_;
};

// The model books the extra reading of a lengthened checklist as its own call ("checklist
// padding"), at the same moment as the heartbeat's own call; a platform sees one heartbeat
// call with a longer prompt, so the padding is folded into that call.
constexpr const char* kPadding = "checklist padding";

uint32_t DayOf(int64_t t_us, uint32_t days) {
  const int64_t d = t_us / kUsPerDay;
  return static_cast<uint32_t>(std::clamp<int64_t>(d, 0, static_cast<int64_t>(days) - 1));
}

bool HasAttackCause(const google::protobuf::RepeatedPtrField<proto::Cause>& causes) {
  return std::any_of(causes.begin(), causes.end(), [](const proto::Cause& c) { return c.kind() == proto::Cause::ATTACK; });
}

}  // namespace

bool IsRefusal(const std::string& decision) {
  return decision == "denied" || decision == "rate_limited" || decision == "asked_rejected" || decision == "rejected" ||
         decision == "expired" || decision == "asked_expired";
}

Status Extract(const std::string& path, Telemetry* out, GroundTruth* truth) {
  *out = Telemetry();
  *truth = GroundTruth();
  run::RunFileReader reader;
  Status s = reader.Open(path);
  if (!s.ok()) return s;
  const proto::RunHeader& h = reader.header();
  if (h.trace_level() == proto::TRACE_NONE) {
    return Status::Error(path + ": the run was written at trace level none, which keeps no invocations or audit log; "
                                "re-run it with --trace audit (the default)");
  }
  const uint32_t days = std::max<uint32_t>(1, h.days());
  const size_t n_people = static_cast<size_t>(h.employee_names_size());
  const size_t n_agents = static_cast<size_t>(h.agent_names_size());
  out->header.scenario = h.scenario_name();
  out->header.seed = h.seed();
  out->header.days = days;
  out->people.resize(n_people);
  for (size_t e = 0; e < n_people; ++e) out->people[e].name = h.employee_names(static_cast<int>(e));
  // An agent's owner: the person its calls and actions name; before any, the person whose
  // name prefixes the agent's ("alice/triage").
  std::map<std::string, uint32_t> person_index;
  for (size_t e = 0; e < n_people; ++e) person_index.emplace(out->people[e].name, static_cast<uint32_t>(e));
  out->agents.resize(n_agents);
  for (size_t a = 0; a < n_agents; ++a) {
    const std::string& name = h.agent_names(static_cast<int>(a));
    out->agents[a].name = name;
    auto it = person_index.find(name.substr(0, name.find('/')));
    if (it != person_index.end()) out->agents[a].owner = it->second;
  }

  truth->performative_tokens.assign(n_people, 0);
  truth->performative_cost_usd.assign(n_people, 0);
  truth->total_tokens.assign(n_people, 0);
  truth->first_performative_us.assign(n_people, kNever);
  truth->value_usd.assign(n_people, 0);
  truth->performative_tokens_by_day.assign(days, std::vector<uint64_t>(n_people, 0));
  truth->performative_cost_usd_by_day.assign(days, std::vector<double>(n_people, 0.0));
  truth->attack_records.assign(n_agents, 0);
  truth->first_attack_us.assign(n_agents, kNever);
  truth->attack_records_by_day.assign(days, std::vector<uint64_t>(n_agents, 0));
  truth->injected_calls.assign(n_agents, 0);
  truth->first_injected_us.assign(n_agents, kNever);
  truth->injected_calls_by_day.assign(days, std::vector<uint64_t>(n_agents, 0));
  int injected = -1;
  for (int o = 0; o < h.outcome_names_size(); ++o) {
    if (h.outcome_names(o) == "injected") injected = o;
  }

  Names skills(&out->skills), triggers(&out->triggers), tiers(&out->tiers), actions(&out->actions),
      targets(&out->targets), decisions(&out->decisions);
  for (const std::string& t : h.tier_names()) tiers.Of(t);
  int performative = -1;
  for (int p = 0; p < h.purpose_names_size(); ++p) {
    if (h.purpose_names(p) == "performative") performative = p;
  }
  // Items touched and changes coded, per (day, employee).
  std::set<std::tuple<uint32_t, uint32_t, uint64_t>> touched;
  std::vector<std::vector<uint64_t>> coded(days, std::vector<uint64_t>(n_people, 0));
  std::vector<bool> owner_known(n_agents, false);
  std::vector<Invocation> paddings;

  proto::Chunk chunk;
  bool got = true;
  while (true) {
    s = reader.ReadChunk(&chunk, &got);
    if (!s.ok()) return s;
    if (!got) break;
    for (const proto::Span& sp : chunk.spans().spans()) {
      if (sp.kind() == proto::Span::HUMAN_TASK && sp.has_employee_id()) {
        const uint32_t day = DayOf(sp.end_us(), days);
        if (sp.has_item_id()) touched.emplace(day, sp.employee_id(), sp.item_id());
        if (sp.has_name() && h.span_names(static_cast<int>(sp.name())) == "code") ++coded[day][sp.employee_id()];
        continue;
      }
      if (sp.kind() != proto::Span::AGENT_INVOCATION || !sp.has_agent_id() || !sp.has_employee_id()) continue;
      Invocation inv;
      inv.id = sp.id();
      inv.start_us = sp.start_us();
      inv.duration_us = sp.end_us() - sp.start_us();
      inv.agent = sp.agent_id();
      inv.employee = sp.employee_id();
      const std::string span_name = sp.has_name() ? h.span_names(static_cast<int>(sp.name())) : "unknown";
      inv.skill = skills.Of(span_name == kPadding ? "heartbeat" : span_name);
      inv.trigger = triggers.Of(sp.has_trigger() ? h.trigger_names(static_cast<int>(sp.trigger())) : "unknown");
      inv.tier = sp.has_tier() ? sp.tier() : kNone;
      inv.input_tokens = sp.input_tokens();
      inv.output_tokens = sp.output_tokens();
      inv.cost_usd = sp.cost_usd();
      inv.worked_on_item = sp.has_item_id();
      (span_name == kPadding ? paddings : out->invocations).push_back(inv);
      if (!owner_known[inv.agent]) out->agents[inv.agent].owner = inv.employee, owner_known[inv.agent] = true;
      const uint64_t tokens = inv.input_tokens + inv.output_tokens;
      const uint32_t day = DayOf(inv.start_us, days);
      if (sp.has_item_id()) touched.emplace(day, inv.employee, sp.item_id());
      // Ground truth.
      truth->total_tokens[inv.employee] += tokens;
      if (sp.has_purpose() && static_cast<int>(sp.purpose()) == performative) {
        truth->performative_tokens[inv.employee] += tokens;
        truth->performative_cost_usd[inv.employee] += inv.cost_usd;
        truth->performative_tokens_by_day[day][inv.employee] += tokens;
        truth->performative_cost_usd_by_day[day][inv.employee] += inv.cost_usd;
        truth->first_performative_us[inv.employee] = std::min(truth->first_performative_us[inv.employee], inv.start_us);
      }
      if (HasAttackCause(sp.causes())) {
        ++truth->attack_records[inv.agent];
        ++truth->attack_records_by_day[day][inv.agent];
        truth->first_attack_us[inv.agent] = std::min(truth->first_attack_us[inv.agent], inv.start_us);
      }
      if (sp.has_outcome() && static_cast<int>(sp.outcome()) == injected) {
        ++truth->injected_calls[inv.agent];
        ++truth->injected_calls_by_day[day][inv.agent];
        truth->first_injected_us[inv.agent] = std::min(truth->first_injected_us[inv.agent], inv.start_us);
      }
    }
    truth->injection_emails += static_cast<uint64_t>(chunk.injections().emails_size());
    for (const proto::AuditRecord& r : chunk.audit().records()) {
      if (!r.has_agent_id()) continue;  // a person's own action: not in the agent platform's logs
      Action a;
      a.time_us = r.time_us();
      a.agent = r.agent_id();
      a.employee = r.on_behalf_of_employee();
      a.action = actions.Of(h.action_names(static_cast<int>(r.action())));
      a.target = targets.Of(h.target_names(static_cast<int>(r.target())));
      a.decision = decisions.Of(h.decision_names(static_cast<int>(r.decision())));
      for (const proto::Cause& c : r.causes()) {
        if (c.kind() == proto::Cause::SPAN) a.invocation = c.id();
      }
      out->tool_calls.push_back(a);
      if (!owner_known[a.agent]) out->agents[a.agent].owner = a.employee, owner_known[a.agent] = true;
      if (HasAttackCause(r.causes())) {
        ++truth->attack_records[a.agent];
        ++truth->attack_records_by_day[DayOf(a.time_us, days)][a.agent];
        truth->first_attack_us[a.agent] = std::min(truth->first_attack_us[a.agent], a.time_us);
      }
    }
    for (const proto::EmployeeRow& row : chunk.employees().rows()) {
      if (row.employee_id() >= n_people) continue;
      Person& p = out->people[row.employee_id()];
      p.team = row.team();
      p.role = row.role();
      p.changes_merged = row.changes_merged();
      p.items_completed = row.items_completed();
      truth->value_usd[row.employee_id()] = row.value_usd();
    }
  }
  s = reader.ReadFooter();
  if (!s.ok()) return s;
  out->header.run_fingerprint = run::FormatFingerprint(reader.footer().summary().fingerprint());

  // Order the logs, count each invocation's actions, and fill the per-day rows.
  std::stable_sort(out->tool_calls.begin(), out->tool_calls.end(),
                   [](const Action& a, const Action& b) { return a.time_us < b.time_us; });
  // Fold each padding into the heartbeat call of its agent that started at the same moment.
  std::map<std::pair<uint32_t, int64_t>, size_t> heartbeat_at;
  const uint32_t heartbeat = triggers.Of("heartbeat");
  for (size_t i = 0; i < out->invocations.size(); ++i) {
    const Invocation& inv = out->invocations[i];
    if (inv.trigger == heartbeat) heartbeat_at.emplace(std::make_pair(inv.agent, inv.start_us), i);
  }
  for (const Invocation& pad : paddings) {
    auto it = heartbeat_at.find({pad.agent, pad.start_us});
    if (it == heartbeat_at.end()) {
      out->invocations.push_back(pad);  // no call of its own to join: a heartbeat call by itself
      continue;
    }
    Invocation& inv = out->invocations[it->second];
    inv.input_tokens += pad.input_tokens;
    inv.output_tokens += pad.output_tokens;
    inv.cost_usd += pad.cost_usd;
    inv.duration_us = std::max(inv.duration_us, pad.duration_us);
  }
  std::stable_sort(out->invocations.begin(), out->invocations.end(), [](const Invocation& a, const Invocation& b) {
    return std::tie(a.start_us, a.id) < std::tie(b.start_us, b.id);
  });
  std::unordered_map<uint64_t, size_t> by_id;
  by_id.reserve(out->invocations.size());
  for (size_t i = 0; i < out->invocations.size(); ++i) by_id.emplace(out->invocations[i].id, i);
  for (Action& a : out->tool_calls) {
    if (a.invocation == UINT64_MAX) continue;
    auto it = by_id.find(a.invocation);
    if (it == by_id.end()) {
      a.invocation = UINT64_MAX;  // a read decided before any call (the model names its open span)
      continue;
    }
    Invocation& inv = out->invocations[it->second];
    ++inv.actions;
    if (IsRefusal(out->decisions[a.decision])) ++inv.actions_refused;
  }
  std::vector<EmployeeDay>& rows = out->employee_days;
  rows.resize(size_t{days} * n_people);
  for (uint32_t d = 0; d < days; ++d) {
    for (uint32_t e = 0; e < n_people; ++e) {
      EmployeeDay& r = rows[size_t{d} * n_people + e];
      r.employee = e;
      r.day = d;
      r.changes_coded = coded[d][e];
    }
  }
  for (const Invocation& inv : out->invocations) {
    EmployeeDay& r = rows[size_t{DayOf(inv.start_us, days)} * n_people + inv.employee];
    r.tokens += inv.input_tokens + inv.output_tokens;
    ++r.invocations;
  }
  for (const auto& [day, employee, item] : touched) ++rows[size_t{day} * n_people + employee].items_touched;
  return Status::Ok();
}

}  // namespace clawsim::telemetry
