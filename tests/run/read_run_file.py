#!/usr/bin/env python3
"""Reads a run file with nothing but the spec (sim/run/RUN_FILE.md), zlib and the generated
run_pb2 module, and checks it against the sample run of tests/run/sample_run.cc.

usage: read_run_file.py RUN_FILE DIR_WITH_RUN_PB2

This is the reader a notebook would write; if it needs anything the spec does not say, the
spec is incomplete.
"""
import struct
import sys
import zlib


def fail(message):
    print(f"read_run_file: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def expect(what, got, want):
    if got != want:
        fail(f"{what}: got {got!r}, expected {want!r}")


def read_records(data):
    """Yields (offset, Record) for every framed record after the preamble."""
    at = 16
    while at < len(data):
        if len(data) - at < 8:
            fail(f"truncated record header at byte {at}")
        length, crc = struct.unpack_from("<II", data, at)
        payload = data[at + 8 : at + 8 + length]
        if len(payload) != length:
            fail(f"truncated record at byte {at}")
        if zlib.crc32(data[at : at + 4] + payload) != crc:
            fail(f"checksum mismatch in record at byte {at}")
        record = run_pb2.Record()
        record.ParseFromString(payload)
        yield at, record
        at += 8 + length


def main():
    if len(sys.argv) != 3:
        fail("usage: read_run_file.py RUN_FILE DIR_WITH_RUN_PB2")
    path, pb2_dir = sys.argv[1], sys.argv[2]
    sys.path.insert(0, pb2_dir)
    global run_pb2
    try:
        import run_pb2
    except ImportError as e:
        fail(f"cannot import run_pb2 from {pb2_dir} ({e}); build clawsim_run_proto_python and "
             "install the protobuf module (Debian: apt install python3-protobuf)")

    with open(path, "rb") as f:
        data = f.read()
    expect("magic", data[:8], b"CLAWRUN\0")
    major, minor = struct.unpack_from("<II", data, 8)
    expect("format version", (major, minor), (1, 11))

    records = list(read_records(data))
    kinds = [r.WhichOneof("body") for _, r in records]
    expect("first record", kinds[0], "header")
    expect("last record", kinds[-1], "footer")
    expect("records between", set(kinds[1:-1]), {"chunk"})

    header = records[0][1].header
    expect("header.format", (header.format_major, header.format_minor), (1, 11))
    expect("header.scenario_name", header.scenario_name, "sample-org")
    expect("header.scenario_path", header.scenario_path, "scenarios/sample.textproto")
    expect("header.overrides", list(header.overrides), ["run.days=3", "incentives.visibility=PUBLIC"])
    expect("header.seed", header.seed, 42)
    expect("header.threads", header.threads, 4)
    expect("header.days", header.days, 3)
    expect("header.trace_level", header.trace_level, run_pb2.TRACE_FULL)
    expect("header.decision_names", list(header.decision_names),
           ["allowed", "asked_approved", "asked_rejected", "denied", "rate_limited", "asked_expired", "held",
            "released"])
    expect("header.action_names[6]", header.action_names[6], "deploy.prod")
    expect("header.employee_names[4]", header.employee_names[4], "O'Brien, \"Pat\"")

    expect("header.span_names", list(header.span_names), ["email", "triage_email", "prod", "sev2"])
    expect("header.trigger_names", list(header.trigger_names), ["heartbeat", "cron", "event", "dreaming"])
    expect("header.purpose_names", list(header.purpose_names), ["useful", "overhead", "performative"])

    daily, employees, audit, trace, spans = [], [], [], [], []
    for _, record in records[1:-1]:
        chunk = record.chunk
        kind = chunk.WhichOneof("rows")
        if kind == "daily":
            daily.extend(chunk.daily.rows)
        elif kind == "employees":
            employees.extend(chunk.employees.rows)
        elif kind == "audit":
            audit.extend(chunk.audit.records)
        elif kind == "trace":
            trace.extend(chunk.trace.events)
        elif kind == "spans":
            spans.extend(chunk.spans.spans)
        else:
            fail(f"chunk of unknown kind {kind}")
    expect("chunks", len(records) - 2, 9)
    expect("daily rows", len(daily), 3)
    expect("employee rows", len(employees), 5)
    expect("audit records", len(audit), 10000)
    expect("trace events", len(trace), 5000)
    expect("spans", len(spans), 6000)
    expect("audit records with an agent", sum(1 for a in audit if a.HasField("agent_id")), 8000)

    expect("daily[2].day", daily[2].day, 2)
    expect("daily[2].tokens.cost_usd", daily[2].tokens.cost_usd, 17.1)
    expect("daily[1].deploys_failed", daily[1].deploys_failed, 1)
    expect("employees[4].name", employees[4].name, "O'Brien, \"Pat\"")
    expect("employees[4].tokens_by_purpose.performative.input_tokens",
           employees[4].tokens_by_purpose.performative.input_tokens, 15000)
    expect("employees[4].gate.allowed", employees[4].gate.allowed, 1004)
    # The employee acted directly on every fifth record: no agent.
    expect("audit[4] has agent", audit[4].HasField("agent_id"), False)
    expect("audit[9999] has agent", audit[9999].HasField("agent_id"), False)
    expect("audit[9998]", (audit[9998].time_us, audit[9998].agent_id, audit[9998].on_behalf_of_employee,
                           audit[9998].action, audit[9998].target, audit[9998].decision, audit[9998].outcome),
           (249950000000, 2, 3, 6, 2, 3, 2))
    expect("audit[1998] id and cause", (audit[1998].id, audit[1998].causes[0].kind, audit[1998].causes[0].id),
           (1998, run_pb2.Cause.SPAN, 1993))
    # The causal chain of sample_run.h: incident 999 <- deploy 249 and audit 1998 <- invocation 1993.
    incident = spans[999]
    expect("spans[999]", (incident.kind, incident.id, header.target_names[incident.target],
                          header.span_names[incident.name], incident.deploy_id),
           (run_pb2.Span.INCIDENT, 999, "service:web", "sev2", 249))
    expect("spans[999].causes", [(c.kind, c.id) for c in incident.causes],
           [(run_pb2.Cause.DEPLOY, 249), (run_pb2.Cause.AUDIT, 1998)])
    invocation = spans[1993]
    expect("spans[1993]", (invocation.kind, header.agent_names[invocation.agent_id],
                           header.outcome_names[invocation.outcome], invocation.input_tokens),
           (run_pb2.Span.AGENT_INVOCATION, "platform-1/triage", "agent_error", 5980))
    expect("audit[9998] names", (header.agent_names[audit[9998].agent_id], header.action_names[audit[9998].action],
                                 header.target_names[audit[9998].target], header.decision_names[audit[9998].decision]),
           ("platform-1/triage", "deploy.prod", "domain:example.com", "denied"))
    expect("trace[4999]", (trace[4999].time_us, trace[4999].lp, trace[4999].src_lp, trace[4999].src_seq,
                           trace[4999].kind), (2499500, 1, 2, 833, 1))

    footer = records[-1][1].footer
    counts = footer.counts
    expect("footer.counts", (counts.chunks, counts.daily_rows, counts.employee_rows, counts.audit_records,
                             counts.trace_events, counts.spans), (9, 3, 5, 10000, 5000, 6000))
    expect("footer.wall_s", footer.wall_s, 1.25)
    s = footer.summary
    expect("summary.scenario", s.scenario, "sample-org")
    expect("summary.fingerprint", f"{s.fingerprint:016x}", "0123456789abcdef")
    expect("summary.events", s.events, 987654)
    expect("summary.tokens", (s.tokens.input_tokens, s.tokens.output_tokens, s.tokens.cost_usd,
                              s.tokens.invocations), (1200000, 300000, 45.5, 900))
    expect("summary.performative_token_share", s.performative_token_share, 0.24)
    expect("summary.tokens_by_tier", [(t.name, t.tokens.cost_usd) for t in s.tokens_by_tier],
           [("frontier", 42.25), ("small", 3.25)])
    expect("summary.tokens_by_team", [t.name for t in s.tokens_by_team], ["payments", "platform"])
    expect("summary.gate", (s.gate.allowed, s.gate.asked_approved, s.gate.asked_rejected, s.gate.denied,
                            s.gate.rate_limited), (9000, 400, 100, 450, 50))
    expect("summary.hours.saved_hours", s.hours.saved_hours, 22.0)
    expect("summary.dora.change_failure_rate", s.dora.change_failure_rate, 0.125)
    expect("summary.incidents", s.incidents, 3)
    print(f"read_run_file: OK: {path}: {len(records)} records, format {major}.{minor}")


if __name__ == "__main__":
    main()
