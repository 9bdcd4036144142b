#!/usr/bin/env python3
"""End-to-end tests of `clawsim telemetry` and `clawsim detect` on the small scenario.

usage: telemetry_cli_test.py CASE --clawsim BIN --scenario SMALL --detectors FILE --work DIR

read_telemetry() is written from sim/telemetry/TELEMETRY.md alone (the standard library's
json, nothing of clawsim's): it is the check that the page is enough to read the format.
Cases run under tests/testlib/clawsim_test_harness.py: each writes only in its own emptied
folder WORK/CASE, where clawsim runs.
"""
import csv
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "testlib"))
import clawsim_test_harness as harness  # noqa: E402
from clawsim_test_harness import case, check  # noqa: E402

DAYS_PER_US = 86_400_000_000


class Context(harness.Context):
    timeout_s = 100

    def __init__(self, args):
        super().__init__(args)
        self.scenario = os.path.abspath(args.scenario)
        self.detectors = os.path.abspath(args.detectors)


def read_telemetry(path):
    """Reads a telemetry file as TELEMETRY.md specifies it, checking what the page promises.

    Returns (header, people, agents, invocations, tool_calls, employee_days)."""
    records = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                records.append(json.loads(line))
    check(records and records[0]["record"] == "header", "the first record is the header")
    header = records[0]
    check(header["format"] == "clawsim-telemetry", "format")
    check(header["version"].split(".")[0] == "1", "major version 1")
    check(re.fullmatch(r"[0-9a-f]{16}", header["clawsim.run_fingerprint"]) is not None, "fingerprint: 16 hex digits")
    days = header["clawsim.days"]
    by_kind = {}
    for r in records[1:]:
        check(r["record"] != "header", "exactly one header")
        for k, v in r.items():
            check(not isinstance(v, (dict, list)), f"flat objects only: {k}")
        by_kind.setdefault(r["record"], []).append(r)
    check(set(by_kind) <= {"person", "agent", "invocation", "tool_call", "employee_day"}, f"record kinds {set(by_kind)}")
    people = by_kind.get("person", [])
    agents = by_kind.get("agent", [])
    check([p["user.id"] for p in people] == list(range(len(people))), "person ids 0, 1, 2, ...")
    check([a["gen_ai.agent.id"] for a in agents] == list(range(len(agents))), "agent ids 0, 1, 2, ...")
    for p in people:
        check(p["clawsim.role"] in ("developer", "manager", "other"), f"role {p['clawsim.role']}")
    for a in agents:
        check(0 <= a["user.id"] < len(people), "agent owner in range")
    invocations = by_kind.get("invocation", [])
    ids = set()
    for i in invocations:
        check(i["gen_ai.operation.name"] == "invoke_agent", "invoke_agent")
        check(i["clawsim.trigger"] in ("heartbeat", "cron", "event", "dreaming"), f"trigger {i['clawsim.trigger']}")
        check(0 <= i["clawsim.time_us"] < days * DAYS_PER_US, "invocation time inside the run")
        check(i["clawsim.duration_us"] >= 0, "duration >= 0")
        check(agents[i["gen_ai.agent.id"]]["user.id"] == i["user.id"], "user.id is the agent's owner")
        check(i["clawsim.actions_refused"] <= i["clawsim.actions"], "refused <= actions")
        check(i["clawsim.invocation_id"] not in ids, "invocation ids unique")
        ids.add(i["clawsim.invocation_id"])
    tool_calls = by_kind.get("tool_call", [])
    actions_of = {}
    refused_of = {}
    for t in tool_calls:
        check(t["gen_ai.operation.name"] == "execute_tool", "execute_tool")
        check(t["gen_ai.tool.name"] in ("email.read", "email.send_internal", "email.send_external", "chat.read",
                                         "chat.post", "deploy.staging", "deploy.prod", "deploy.rollback"), t["gen_ai.tool.name"])
        check(t["clawsim.decision"] in ("allowed", "asked_approved", "asked_rejected", "asked_expired", "denied",
                                        "rate_limited", "held", "released"), t["clawsim.decision"])
        check(":" in t["clawsim.target"], "target is kind:name")
        if "clawsim.invocation_id" in t:
            inv = t["clawsim.invocation_id"]
            check(inv in ids, "a tool call names a logged invocation")
            actions_of[inv] = actions_of.get(inv, 0) + 1
            if t["clawsim.decision"] in ("denied", "rate_limited", "asked_rejected", "asked_expired"):
                refused_of[inv] = refused_of.get(inv, 0) + 1
    for i in invocations:
        check(i["clawsim.actions"] == actions_of.get(i["clawsim.invocation_id"], 0), "clawsim.actions counts the tool calls naming it")
        check(i["clawsim.actions_refused"] == refused_of.get(i["clawsim.invocation_id"], 0), "clawsim.actions_refused")
    employee_days = by_kind.get("employee_day", [])
    check(len(employee_days) == len(people) * days, "one employee_day per person and day")
    sums = {}
    for i in invocations:
        key = (i["user.id"], i["clawsim.time_us"] // DAYS_PER_US)
        tokens, calls = sums.get(key, (0, 0))
        sums[key] = (tokens + i["gen_ai.usage.input_tokens"] + i["gen_ai.usage.output_tokens"], calls + 1)
    for d in employee_days:
        check(0 <= d["clawsim.day"] < days, "day inside the run")
        tokens, calls = sums.get((d["user.id"], d["clawsim.day"]), (0, 0))
        check(d["clawsim.tokens"] == tokens and d["clawsim.invocations"] == calls,
              f"employee_day {d['user.id']}/{d['clawsim.day']}: tokens and calls are the sums of the invocations")
    return header, people, agents, invocations, tool_calls, employee_days


def small_run(ctx, name="run", days=21, seed=None):
    extra = ["--seed", str(seed)] if seed is not None else []
    p = ctx.clawsim_cmd("run", ctx.scenario, "--days", str(days), "--out", name, *extra)
    check(p.returncode == 0, f"clawsim run failed: {p.stderr}")
    return os.path.join(ctx.work, name, "run.clawrun")


@case
def export_read_from_docs(ctx):
    run = small_run(ctx, days=7)
    p = ctx.clawsim_cmd("telemetry", run)
    check(p.returncode == 0, p.stderr)
    path = os.path.join(ctx.work, "run", "telemetry.jsonl")
    header, people, agents, invocations, tool_calls, days = read_telemetry(path)
    summary = json.load(open(os.path.join(ctx.work, "run", "summary.json")))
    check(header["clawsim.run_fingerprint"] == summary["fingerprint"], "the header names the run's fingerprint")
    check(len(people) == summary["employees"] and len(agents) == summary["agents"], "people and agents")
    # A lengthened checklist's extra reading is folded into its heartbeat call (TELEMETRY.md).
    check(0 < len(invocations) <= summary["invocations"], f"{len(invocations)} invocations, summary {summary['invocations']}")
    check(sum(i["gen_ai.usage.input_tokens"] + i["gen_ai.usage.output_tokens"] for i in invocations) == summary["tokens_total"],
          "tokens add up to the run's total")
    check(abs(sum(i["clawsim.cost_usd"] for i in invocations) - summary["token_cost_usd"]) < 1e-6 * summary["token_cost_usd"],
          "cost adds up")
    check(all("gen_ai.request.model" in i for i in invocations), "every call names its model tier")
    agent_actions = summary["actions_allowed"] + summary["actions_asked"] + summary["actions_denied"] + summary["actions_rate_limited"]
    decided = sum(1 for t in tool_calls if t["clawsim.decision"] not in ("held", "released"))
    check(decided == agent_actions, f"{decided} gate decisions, summary {agent_actions}")
    text = open(path, encoding="utf-8").read()
    for hidden in ("purpose", "performative", "useful", "overhead", "attack", "injected", "checklist padding"):
        check(hidden not in text, f"the telemetry must not name {hidden!r}")
    # Exporting again gives the same bytes.
    p = ctx.clawsim_cmd("telemetry", run, "--out", "again.jsonl")
    check(p.returncode == 0 and open(os.path.join(ctx.work, "again.jsonl")).read() == text, "deterministic export")


@case
def detect_outputs(ctx):
    run = small_run(ctx)
    p = ctx.clawsim_cmd("telemetry", run)
    check(p.returncode == 0, p.stderr)
    # Reading the exported telemetry gives the same results as deriving it from the run.
    a = ctx.clawsim_cmd("detect", run, "--detectors", ctx.detectors, "--out", "from_run", "--json")
    b = ctx.clawsim_cmd("detect", run, "--detectors", ctx.detectors, "--out", "from_file",
                        "--telemetry", os.path.join("run", "telemetry.jsonl"))
    check(a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr)
    for name in ("detectors.csv", "flags.csv", "pr_curves.svg", "forecast.csv", "forecast.svg"):
        x = open(os.path.join(ctx.work, "from_run", name)).read()
        y = open(os.path.join(ctx.work, "from_file", name)).read()
        check(x == y, f"{name} differs between run-derived and file telemetry")
    out = json.loads(a.stdout)
    check(out == json.load(open(os.path.join(ctx.work, "from_run", "detection.json"))), "--json prints detection.json")
    results = out["results"]
    check(len(results) > 0, "results")
    for r in results:
        check(r["true_positives"] + r["false_positives"] == r["flagged"], "tp + fp = flagged")
        if r["flagged"]:
            check(abs(r["precision"] - r["true_positives"] / r["flagged"]) < 1e-12, "precision")
        if r["positives"]:
            check(abs(r["recall"] - r["true_positives"] / r["positives"]) < 1e-12, "recall")
        recalls = [pt["recall"] for pt in r["pr_curve"]]
        check(recalls == sorted(recalls), "the curve's recall grows as the threshold falls")
    people = [r for r in results if r["entity"] == "employee"]
    check(any(r["positives"] > 0 for r in people), "the small scenario's public leaderboard makes tokenmaxxers")
    flags = list(csv.DictReader(open(os.path.join(ctx.work, "from_run", "flags.csv"))))
    for r in results:
        check(sum(1 for f in flags if f["detector"] == r["name"] and f["label"] == r["label"]) == r["flagged"],
              "flags.csv rows per detector and label")
    svg = open(os.path.join(ctx.work, "from_run", "pr_curves.svg")).read()
    check(svg.startswith("<svg") and svg.count("<polyline") >= 1, "pr_curves.svg draws curves")
    f = out["forecast"]
    check(f["train_days"] == 14 and f["detector"] == out["best_employee_detector"], "forecast cleaned by the best detector")
    rows = list(csv.DictReader(open(os.path.join(ctx.work, "from_run", "forecast.csv"))))
    check(len(rows) == 21, "forecast.csv: a row per day")
    actual = sum(float(r["actual_tokens"]) for r in rows[14:])
    raw = sum(float(r["raw_forecast_tokens"]) for r in rows[14:])
    check(abs((raw - actual) / actual - f["raw"]["error"]) < 1e-9, "the raw error is the horizon's relative error")


@case
def run_writes_telemetry(ctx):
    """`clawsim run --telemetry` writes telemetry.jsonl with the other outputs, the same bytes
    `clawsim telemetry` exports from the run file; without a trace it is refused up front."""
    p = ctx.clawsim_cmd("run", ctx.scenario, "--days", "5", "--out", "run", "--telemetry")
    check(p.returncode == 0, f"clawsim run --telemetry failed: {p.stderr}")
    names = sorted(os.listdir(os.path.join(ctx.work, "run")))
    check(names == ["daily.csv", "employees.csv", "run.clawrun", "summary.json", "telemetry.jsonl"], f"outputs: {names}")
    check(not os.path.exists(os.path.join(ctx.work, "run.tmp")), "no staging folder left")
    p = ctx.clawsim_cmd("telemetry", os.path.join("run", "run.clawrun"), "--out", "exported.jsonl")
    check(p.returncode == 0, p.stderr)
    written = open(os.path.join(ctx.work, "run", "telemetry.jsonl"), encoding="utf-8").read()
    check(written == open(os.path.join(ctx.work, "exported.jsonl"), encoding="utf-8").read(),
          "run --telemetry and clawsim telemetry write the same bytes")
    read_telemetry(os.path.join(ctx.work, "run", "telemetry.jsonl"))
    # A rerun into the same folder without --telemetry replaces all five with four.
    p = ctx.clawsim_cmd("run", ctx.scenario, "--days", "5", "--out", "run")
    check(p.returncode == 0, p.stderr)
    check("telemetry.jsonl" not in os.listdir(os.path.join(ctx.work, "run")), "a stale telemetry.jsonl beside a new run")
    p = ctx.clawsim_cmd("run", ctx.scenario, "--days", "5", "--out", "out", "--telemetry", "--trace", "none")
    refused_without_output(ctx, p, r"--telemetry needs the model calls and the audit log")


def refused_without_output(ctx, p, pattern):
    check(p.returncode == 2, f"exit {p.returncode}, expected 2; stderr {p.stderr}")
    check(re.search(pattern, p.stderr) is not None, f"stderr {p.stderr!r} does not match {pattern!r}")
    check(not os.path.exists(os.path.join(ctx.work, "out")), "nothing written")


@case
def bad_detector_file(ctx):
    run = small_run(ctx, days=3)
    with open(os.path.join(ctx.work, "bad.textproto"), "w") as f:
        f.write('detectors {\n  name: "x"\n  rule { all_of { feature: "tokens_per_dya"  threshold: 2 } }\n}\n')
    refused_without_output(ctx, ctx.clawsim_cmd("detect", run, "--detectors", "bad.textproto", "--out", "out"),
                           r'^bad\.textproto:3:19: detector "x": unknown feature "tokens_per_dya"')
    with open(os.path.join(ctx.work, "bad2.textproto"), "w") as f:
        f.write('detectors {\n  name: "x"\n  robust_z { features: "tokens_per_day"  threshold: 0 }\n}\n')
    refused_without_output(ctx, ctx.clawsim_cmd("detect", run, "--detectors", "bad2.textproto", "--out", "out"),
                           r'^bad2\.textproto:3:42: detector "x": threshold must be a finite number > 0')
    # The shipped file asks for a 14-day forecast: a 3-day run is refused, not half-scored.
    refused_without_output(ctx, ctx.clawsim_cmd("detect", run, "--detectors", ctx.detectors, "--out", "out"),
                           r"forecast.train_days is 14 but the run has only 3 days")


@case
def telemetry_from_another_run(ctx):
    run1 = small_run(ctx, "one", days=3)
    run2 = small_run(ctx, "two", days=3, seed=99)
    p = ctx.clawsim_cmd("telemetry", run2, "--out", "two.jsonl")
    check(p.returncode == 0, p.stderr)
    with open(os.path.join(ctx.work, "d.textproto"), "w") as f:
        f.write('detectors { name: "z"  robust_z { features: "tokens_per_day" } }\n')
    refused_without_output(ctx, ctx.clawsim_cmd("detect", run1, "--detectors", "d.textproto", "--telemetry", "two.jsonl",
                                                "--out", "out"),
                           r"^two\.jsonl:1:\d+: this telemetry is from run [0-9a-f]{16} \(small, seed 99\), but .* is run")
    # A damaged line is refused with its line and column.
    lines = open(os.path.join(ctx.work, "two.jsonl")).read().split("\n")
    lines[5] = lines[5].replace('"user.id":', '"user.id":-', 1)
    open(os.path.join(ctx.work, "bad.jsonl"), "w").write("\n".join(lines))
    run2_path = os.path.join(ctx.work, "two", "run.clawrun")
    refused_without_output(ctx, ctx.clawsim_cmd("detect", run2_path, "--detectors", "d.textproto", "--telemetry", "bad.jsonl",
                                                "--out", "out"),
                           r'^bad\.jsonl:6:\d+: "user\.id" must be a whole number >= 0')


def add_arguments(parser):
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--detectors", required=True)


if __name__ == "__main__":
    sys.exit(harness.main("telemetry_cli_test", add_arguments, Context))
