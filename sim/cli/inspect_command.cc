// clawsim inspect RUNFILE [--json]: a run file's header, record counts and summary.
//
// Reads every record (checking each checksum and name-table index) and counts, from the rows
// themselves, the audit records of agents and of people acting directly (the gate counts in
// the summary cover agents only; RUN_FILE.md) and the spans of each kind.
#include <cstdio>
#include <string>

#include "sim/cli/commands.h"
#include "sim/cli/flags.h"
#include "sim/cli/trace_back.h"
#include "sim/common/json_writer.h"
#include "sim/run/number_format.h"
#include "sim/run/proto_convert.h"
#include "sim/run/run_file_reader.h"
#include "sim/run/summary_json.h"

namespace clawsim::cli {
namespace {

const char* TraceName(proto::TraceLevel level) {
  run::TraceLevel l;
  return run::FromProto(level, &l).ok() ? run::TraceLevelName(l) : "unknown";
}

// What inspect counts from the rows while reading.
struct RowCounts {
  uint64_t agent_audit_records = 0;  // audit records with an agent_id
  uint64_t human_audit_records = 0;  // a person's own actions (no agent_id)
  uint64_t external_audit_records = 0;  // of the agents', an external seat's (clawsim serve)
  uint64_t spans_by_kind[5] = {};    // indexed by proto::Span::Kind (0 unused)
};

Status ReadAll(run::RunFileReader* reader, RowCounts* rows) {
  proto::Chunk chunk;
  bool got = true;
  while (true) {
    Status s = reader->ReadChunk(&chunk, &got);
    if (!s.ok() || !got) return s;
    for (const proto::AuditRecord& a : chunk.audit().records()) {
      ++(a.has_agent_id() ? rows->agent_audit_records : rows->human_audit_records);
      rows->external_audit_records += a.external();
    }
    for (const proto::Span& span : chunk.spans().spans()) ++rows->spans_by_kind[span.kind()];
  }
}

const char* const kSpanKindNames[] = {"", "human_task", "agent_invocation", "pipeline_stage", "incident"};

std::string FormatVersion(const run::RunFileReader& r) {
  return std::to_string(r.format_major()) + "." + std::to_string(r.format_minor());
}

std::string JsonStringArray(const google::protobuf::RepeatedPtrField<std::string>& items) {
  std::string out = "[";
  for (int i = 0; i < items.size(); ++i) {
    if (i > 0) out += ",";
    out += '"';
    out += JsonWriter::Escape(items[i]);
    out += '"';
  }
  return out + "]";
}

void PrintJson(const run::RunFileReader& r, const RowCounts& rows, const model::RunSummary& summary) {
  const proto::RunHeader& h = r.header();
  const proto::RecordCounts& c = r.counts();
  JsonWriter spans;
  for (int k = 1; k <= 4; ++k) spans.Uint(kSpanKindNames[k], rows.spans_by_kind[k]);
  JsonWriter records;
  records.Uint("chunks", c.chunks())
      .Uint("unknown_chunks", r.unknown_chunks())
      .Uint("daily_rows", c.daily_rows())
      .Uint("employee_rows", c.employee_rows())
      .Uint("audit_records", c.audit_records())
      .Uint("agent_audit_records", rows.agent_audit_records)
      .Uint("human_audit_records", rows.human_audit_records)
      .Uint("external_audit_records", rows.external_audit_records)
      .Uint("spans", c.spans())
      .Raw("spans_by_kind", spans.Finish())
      .Uint("trace_events", c.trace_events());
  JsonWriter w;
  w.String("file", r.path())
      .String("format_version", FormatVersion(r))
      .String("clawsim_version", h.clawsim_version())
      .String("scenario", h.scenario_name())
      .String("scenario_path", h.scenario_path())
      .Raw("overrides", JsonStringArray(h.overrides()))
      .Uint("seed", h.seed())
      .Uint("threads", h.threads())
      .Uint("days", h.days())
      .String("trace", TraceName(h.trace_level()))
      .Raw("records", records.Finish())
      .Raw("wall_s", run::JsonNumber(r.footer().wall_s()))
      .Raw("summary", run::SummaryJson(summary));
  std::printf("%s\n", w.Finish().c_str());
}

// One "  label   value" line of the text report.
void Line(const char* label, const std::string& value) { std::printf("  %-26s %s\n", label, value.c_str()); }

std::string U(uint64_t v) { return std::to_string(v); }
std::string Usd(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "$%.2f", v);
  return buf;
}
std::string Num(double v, const char* format = "%.3f") {
  char buf[48];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

void TallyRow(const std::string& name, const model::TokenTally& t) {
  std::printf("    %-24s %16llu %14s %12llu\n", name.c_str(), static_cast<unsigned long long>(t.total_tokens()),
              Usd(t.cost_usd).c_str(), static_cast<unsigned long long>(t.invocations));
}

void TallyTable(const char* title, const std::vector<std::pair<std::string, model::TokenTally>>& rows) {
  std::printf("  %-26s %16s %14s %12s\n", title, "tokens", "cost", "invocations");
  for (const auto& [name, tally] : rows) TallyRow(name, tally);
}

void PrintText(const run::RunFileReader& r, const RowCounts& rows, const model::RunSummary& s) {
  const proto::RunHeader& h = r.header();
  const proto::RecordCounts& c = r.counts();
  std::printf("run file %s\n", r.path().c_str());
  Line("format", FormatVersion(r) + " (written by clawsim " + h.clawsim_version() + ")");
  Line("scenario", h.scenario_name() + (h.scenario_path().empty() ? "" : " (" + h.scenario_path() + ")"));
  for (const std::string& o : h.overrides()) Line("override", o);
  Line("seed", U(h.seed()));
  Line("threads", U(h.threads()));
  Line("days", U(h.days()));
  if (r.footer().interrupted()) {
    Line("INTERRUPTED", "stopped by a signal after day " + U(s.days) + " (simulated time reached: " +
                            U(static_cast<uint64_t>(r.footer().simulated_until_us())) + " us); every figure covers " +
                            U(s.days) + " days");
  }
  Line("trace", TraceName(h.trace_level()));
  Line("chunks", U(c.chunks()) + (r.unknown_chunks() > 0
                                       ? " (" + U(r.unknown_chunks()) + " of a kind this clawsim does not know, skipped)"
                                       : ""));
  Line("daily rows", U(c.daily_rows()));
  Line("employee rows", U(c.employee_rows()));
  // The gate counts below cover agents' actions only; the log also holds people's own.
  Line("audit records", U(c.audit_records()) + " (agents " + U(rows.agent_audit_records) + ", people " +
                            U(rows.human_audit_records) +
                            (rows.external_audit_records > 0
                                 ? "; of the agents', external seats' " + U(rows.external_audit_records)
                                 : std::string()) +
                            ")");
  std::string by_kind;
  for (int k = 1; k <= 4; ++k) {
    by_kind += std::string(k > 1 ? ", " : "") + kSpanKindNames[k] + " " + U(rows.spans_by_kind[k]);
  }
  Line("spans", U(c.spans()) + " (" + by_kind + ")");
  Line("trace events", U(c.trace_events()));
  Line("wall time", Num(r.footer().wall_s()) + " s (not reproducible)");

  std::printf("\nsummary\n");
  Line("fingerprint", run::FormatFingerprint(s.fingerprint));
  Line("events", U(s.events));
  Line("employees", U(s.employees));
  Line("agents", U(s.agents));
  Line("tokens", U(s.tokens.total_tokens()) + " (input " + U(s.tokens.input_tokens) + ", output " +
                     U(s.tokens.output_tokens) + ")");
  Line("invocations", U(s.tokens.invocations));
  Line("token cost", Usd(s.tokens.cost_usd));
  Line("performative token share", Num(s.performative_token_share(), "%.4f"));
  Line("value", Usd(s.value_usd));
  Line("net value", Usd(s.net_value_usd));
  Line("value per $ of tokens", Num(s.value_usd_per_token_usd, "%.4g"));
  Line("items arrived", U(s.items_arrived));
  Line("items completed", U(s.items_completed));
  Line("mean lead time", Num(s.mean_lead_time_hours, "%.2f") + " h");
  Line("hours working", Num(s.hours.working_hours, "%.2f"));
  Line("hours reviewing", Num(s.hours.review_hours, "%.2f"));
  Line("hours approving", Num(s.hours.approval_hours, "%.2f"));
  Line("hours fixing", Num(s.hours.fixing_hours, "%.2f"));
  Line("hours saved", Num(s.hours.saved_hours, "%.2f"));
  Line("deploys per day", Num(s.dora.deployment_frequency_per_day, "%.2f"));
  Line("lead time for changes", Num(s.dora.lead_time_for_changes_hours, "%.2f") + " h");
  Line("change failure rate", Num(s.dora.change_failure_rate, "%.4f"));
  Line("time to restore", Num(s.dora.time_to_restore_hours, "%.2f") + " h");
  Line("deployment rework rate", Num(s.dora.rework_rate, "%.4f"));
  Line("incidents", U(s.incidents));
  Line("data leaks", U(s.data_leaks));
  Line("chat exposures", U(s.chat_exposures));
  Line("agent errors", U(s.agent_errors));
  // Agents' actions only: the audit log's people's own actions are not gate decisions counted here.
  for (int g = 0; g < model::kNumGateOutcomes; ++g) {
    const std::string label = std::string("actions ") + model::GateOutcomeName(static_cast<model::GateOutcome>(g));
    Line(label.c_str(), U(s.gate[g]));
  }
  std::printf("\n");
  std::vector<std::pair<std::string, model::TokenTally>> purposes;
  for (int p = 0; p < model::kNumPurposes; ++p) {
    purposes.emplace_back(model::PurposeName(static_cast<model::Purpose>(p)), s.tokens_by_purpose[p]);
  }
  TallyTable("by purpose", purposes);
  TallyTable("by tier", s.tokens_by_tier);
  TallyTable("by team", s.tokens_by_team);
}

}  // namespace

int InspectCommand(const std::vector<std::string>& args) {
  bool json = false;
  std::string trace_back;
  TraceBackOptions tb;
  Flags flags(
      "usage: clawsim inspect RUNFILE [--json] [--trace-back harms|ID [--page N] [--page-size N]]\n"
      "Prints a run file's header, record counts and summary; checks every record's checksum.");
  flags.AddBool("json", &json, "print one JSON object (header fields and the summary.json object; with --trace-back, its answer)");
  flags.AddString("trace-back", &trace_back,
                  "'harms': list the run's leaks, exposures and incidents with day, service and cause; an id (audit:ID, "
                  "span:ID): print the chain from that record back to its origin");
  flags.AddUint32("page", &tb.page, "with --trace-back harms: the page to print, from 1 (default 1)");
  flags.AddUint32("page-size", &tb.page_size, "with --trace-back harms: harms per page (default 50)");
  std::vector<std::string> positional;
  Status s = flags.Parse(args, &positional);
  if (flags.help_requested()) {
    std::fputs(flags.Help().c_str(), stdout);
    return 0;
  }
  if (s.ok() && positional.size() != 1) {
    s = Status::Error(positional.empty() ? "expected a run file" : "unexpected argument '" + positional[1] + "'");
  }
  if (s.ok() && trace_back != "harms" && (tb.page != 1 || tb.page_size != 50)) {
    s = Status::Error("--page and --page-size apply to --trace-back harms only");
  }
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim inspect: %s\n%s", s.message().c_str(), flags.Help().c_str());
    return 2;
  }
  if (!trace_back.empty()) {
    tb.what = trace_back;
    tb.json = json;
    s = PrintTraceBack(positional[0], tb);
    if (!s.ok()) {
      std::fprintf(stderr, "clawsim inspect: %s\n", s.message().c_str());
      return 2;
    }
    return 0;
  }
  run::RunFileReader reader;
  RowCounts rows;
  s = reader.Open(positional[0]);
  if (s.ok()) s = ReadAll(&reader, &rows);
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim inspect: %s\n", s.message().c_str());
    return 2;
  }
  model::RunSummary summary =
      run::FromProto(reader.footer().summary(), reader.header().threads(), reader.footer().wall_s());
  summary.interrupted = reader.footer().interrupted();
  if (json) {
    PrintJson(reader, rows, summary);
  } else {
    PrintText(reader, rows, summary);
  }
  return 0;
}

}  // namespace clawsim::cli
