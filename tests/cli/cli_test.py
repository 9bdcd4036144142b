#!/usr/bin/env python3
"""End-to-end tests of the `clawsim` command line: runs the real binary and checks its exit
status, stdout, stderr and the files it writes.

usage: cli_test.py CASE --clawsim BIN --scenario SMALL_TEXTPROTO --work DIR --pb2 DIR_WITH_RUN_PB2

tests/cli/CMakeLists.txt registers one ctest test per case. Cases run under
tests/testlib/clawsim_test_harness.py: each writes only in its own emptied folder WORK/CASE,
where clawsim runs; a failed check prints what was expected and what came back, and the
case exits 1. Run files are read back with tests/testlib/run_file.py.
"""
import csv
import io
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "testlib"))
import clawsim_test_harness as harness  # noqa: E402
import run_file  # noqa: E402
from clawsim_test_harness import Failure, case, check, expect  # noqa: E402

OUTPUT_FILES = ["daily.csv", "employees.csv", "run.clawrun", "summary.json"]
SUMMARY_KEYS = ["fingerprint", "events", "employees", "days", "tokens_total", "token_cost_usd", "value_usd",
                "performative_token_share", "incidents", "actions_allowed", "actions_asked", "actions_denied"]
SMALL_EMPLOYEES = 51
DAYS = 2


class Context(harness.Context):
    def __init__(self, args):
        super().__init__(args)
        self.scenario = os.path.abspath(args.scenario)
        self.pb2_dir = os.path.abspath(args.pb2)
        self._run_pb2 = None

    def run_ok(self, out, *extra):
        """`clawsim run SMALL --out OUT --json --set run.days=2 EXTRA`; must exit 0. Returns stdout."""
        rc, stdout, stderr = self.clawsim_cmd("run", self.scenario, "--out", out, "--json",
                                              "--set", f"run.days={DAYS}", *extra)
        check(rc == 0, f"clawsim run exited {rc}, expected 0\nstdout:\n{stdout}\nstderr:\n{stderr}")
        return stdout

    def run_pb2(self):
        if self._run_pb2 is None:
            self._run_pb2 = run_file.import_run_pb2(self.pb2_dir)
        return self._run_pb2

    def read_run_file(self, out):
        return run_file.read(os.path.join(out, "run.clawrun"), self.run_pb2())


def read_text(path):
    with open(path, "r", encoding="utf-8", newline="") as f:
        return f.read()


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def read_csv(path):
    rows = list(csv.reader(io.StringIO(read_text(path))))
    check(len(rows) >= 1, f"{path}: empty")
    return rows[0], rows[1:]


def csv_column(header, rows, name, path):
    check(name in header, f"{path}: no column {name!r} in {header}")
    i = header.index(name)
    return [r[i] for r in rows]


def all_keys(value):
    """Every object key anywhere in a parsed JSON value."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from all_keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from all_keys(v)


def parse_one_json_line(stdout):
    lines = stdout.split("\n")
    check(len(lines) == 2 and lines[1] == "", f"stdout is not exactly one line ending in a newline:\n{stdout!r}")
    try:
        value = json.loads(lines[0])
    except json.JSONDecodeError as e:
        raise Failure(f"stdout is not JSON ({e}):\n{stdout}")
    check(isinstance(value, dict), f"stdout is JSON but not an object: {stdout}")
    return value


def tally_total(t):
    return t.input_tokens + t.output_tokens


# What `clawsim run` uses without --threads: every core, at most 256.
DEFAULT_THREADS = max(1, min(os.cpu_count() or 1, 256))

# ---- 1. run --json and the output folder ---------------------------------------------------
@case
def run_json(ctx):
    out = ctx.path("out")
    stdout = ctx.run_ok(out)
    summary = parse_one_json_line(stdout)
    missing = [k for k in SUMMARY_KEYS if k not in summary]
    check(not missing, f"--json object lacks keys {missing}; has {sorted(summary)}")
    expect("summary days", summary["days"], DAYS)
    expect("summary employees", summary["employees"], SMALL_EMPLOYEES)
    check(re.fullmatch(r"[0-9a-f]{16}", summary["fingerprint"]) is not None,
          f"fingerprint {summary['fingerprint']!r} is not 16 hex digits")
    check(summary["events"] > 0 and summary["tokens_total"] > 0, f"an empty run: {stdout}")

    expect(f"files in {out}", sorted(os.listdir(out)), OUTPUT_FILES)
    expect("summary.json (compared with the --json line)", read_text(os.path.join(out, "summary.json")), stdout)

    path = os.path.join(out, "employees.csv")
    header, rows = read_csv(path)
    expect(f"{path} data rows", len(rows), SMALL_EMPLOYEES)
    check(all(len(r) == len(header) for r in rows), f"{path}: a row's width differs from the header's")
    expect(f"{path} employee_id column", csv_column(header, rows, "employee_id", path),
           [str(i) for i in range(SMALL_EMPLOYEES)])

    path = os.path.join(out, "daily.csv")
    header, rows = read_csv(path)
    expect(f"{path} data rows", len(rows), DAYS)
    check(all(len(r) == len(header) for r in rows), f"{path}: a row's width differs from the header's")
    expect(f"{path} day column", csv_column(header, rows, "day", path), [str(d) for d in range(DAYS)])
    expect(f"{path} tokens_total summed", sum(int(v) for v in csv_column(header, rows, "tokens_total", path)),
           summary["tokens_total"])


# ---- 2. results do not depend on --threads -----------------------------------------------
@case
def run_threads_deterministic(ctx):
    outs = {k: ctx.path(f"threads{k}") for k in (1, 2, 3)}
    for k, out in outs.items():
        ctx.run_ok(out, "--threads", str(k))
        expect(f"files in {out}", sorted(os.listdir(out)), OUTPUT_FILES)

    # summary.json and the CSVs leave out how the run was executed (RUN_FILE.md, Determinism).
    summary = json.loads(read_text(os.path.join(outs[1], "summary.json")))
    leaked = sorted({k for k in all_keys(summary) if k in ("threads", "wall_s")})
    expect("summary.json keys describing the execution", leaked, [])
    for name in ("employees.csv", "daily.csv"):
        header, _ = read_csv(os.path.join(outs[1], name))
        leaked = [c for c in header if "thread" in c or "wall" in c]
        expect(f"{name} columns describing the execution", leaked, [])

    for name in ("summary.json", "employees.csv", "daily.csv"):
        want = read_bytes(os.path.join(outs[1], name))
        for k in (2, 3):
            check(read_bytes(os.path.join(outs[k], name)) == want,
                  f"{name} differs between --threads 1 and --threads {k}")

    # Run files: the same records, except RunHeader.threads and RunFooter.wall_s.
    files = {k: ctx.read_run_file(out) for k, out in outs.items()}
    base = files[1]
    for k, f in files.items():
        expect(f"--threads {k}: RunHeader.threads", f.header.threads, k)
    for k in (2, 3):
        f = files[k]
        expect(f"--threads {k}: format version", (f.major, f.minor), (base.major, base.minor))
        h1, hk = type(base.header)(), type(f.header)()
        h1.CopyFrom(base.header)
        hk.CopyFrom(f.header)
        h1.ClearField("threads")
        hk.ClearField("threads")
        check(h1 == hk, f"run file headers differ beyond threads between --threads 1 and --threads {k}")
        expect(f"--threads {k}: chunk count", len(f.chunk_payloads), len(base.chunk_payloads))
        for i, (a, b) in enumerate(zip(base.chunk_payloads, f.chunk_payloads)):
            check(a == b, f"chunk {i} differs between --threads 1 and --threads {k}")
        check(f.footer.summary == base.footer.summary,
              f"footer summaries differ between --threads 1 and --threads {k}")
        check(f.footer.counts == base.footer.counts, f"footer counts differ between --threads 1 and --threads {k}")

    # The same through `clawsim inspect --json`, less the file name, threads and wall_s.
    inspected = {}
    for k, out in outs.items():
        rc, stdout, stderr = ctx.clawsim_cmd("inspect", "--json", os.path.join(out, "run.clawrun"))
        expect(f"clawsim inspect --json exit status (stderr: {stderr})", rc, 0)
        j = parse_one_json_line(stdout)
        expect(f"--threads {k}: inspect --json threads", j.pop("threads", None), k)
        check("wall_s" in j and "file" in j, f"inspect --json lacks wall_s or file: {stdout}")
        del j["wall_s"], j["file"]
        inspected[k] = j
    for k in (2, 3):
        expect(f"inspect --json of the --threads {k} run vs --threads 1", inspected[k], inspected[1])


@case
def huge_pages_change_nothing(ctx):
    """clawsim restarts itself with glibc's huge-page tunable where the kernel gives huge pages
    on request (sim/cli/huge_pages.h); CLAWSIM_HUGE_PAGES=0 leaves it as started. Either way
    the run's outputs are the same, and a tunable the user gave is kept."""
    outs = {}
    for name, extra_env in (("default", {}), ("off", {"CLAWSIM_HUGE_PAGES": "0"}),
                            ("given", {"GLIBC_TUNABLES": "glibc.malloc.hugetlb=0"})):
        env = dict(os.environ)
        env.pop("GLIBC_TUNABLES", None)
        env.update(extra_env)
        out = outs[name] = ctx.path(name)
        rc, stdout, stderr = ctx.clawsim_cmd("run", ctx.scenario, "--out", out, "--json", "--set", f"run.days={DAYS}",
                                             env=env)
        expect(f"{name}: exit status (stderr: {stderr})", rc, 0)
        parse_one_json_line(stdout)
        expect(f"{name}: files", sorted(os.listdir(out)), OUTPUT_FILES)
    for name in ("summary.json", "employees.csv", "daily.csv"):
        want = read_bytes(os.path.join(outs["off"], name))
        for k in ("default", "given"):
            check(read_bytes(os.path.join(outs[k], name)) == want, f"{name} differs between {k} and CLAWSIM_HUGE_PAGES=0")


# ---- 3. Python read-back of a real run file -------------------------------------------------
@case
def run_file_python_readback(ctx):
    out = ctx.path("out")
    summary = parse_one_json_line(ctx.run_ok(out))
    pb2 = ctx.run_pb2()
    f = ctx.read_run_file(out)
    expect("preamble major version", f.major, 1)
    expect("RunHeader format", (f.header.format_major, f.header.format_minor), (f.major, f.minor))
    expect("header.scenario_name", f.header.scenario_name, "small")
    expect("header.scenario_path", f.header.scenario_path, ctx.scenario)
    expect("header.overrides", list(f.header.overrides), [f"run.days={DAYS}"])
    expect("header.days", f.header.days, DAYS)
    expect("header.seed", f.header.seed, 7)  # small.textproto's run.seed
    # Without --threads a run uses every core (results do not depend on it).
    expect("header.threads", f.header.threads, DEFAULT_THREADS)
    expect("header.trace_level", f.header.trace_level, pb2.TRACE_AUDIT)
    expect("header.employee_names", len(f.header.employee_names), SMALL_EMPLOYEES)
    expect("header.decision_names", list(f.header.decision_names),
           ["allowed", "asked_approved", "asked_rejected", "denied", "rate_limited", "asked_expired", "held",
            "released"])

    daily, employees = f.rows("daily"), f.rows("employees")
    audit, trace = f.rows("audit"), f.rows("trace")
    c = f.footer.counts
    expect("footer.counts", (c.chunks, c.daily_rows, c.employee_rows, c.audit_records, c.trace_events),
           (len(f.chunks), len(daily), len(employees), len(audit), len(trace)))
    expect("daily rows", [d.day for d in daily], list(range(DAYS)))
    expect("employee rows", [e.employee_id for e in employees], list(range(SMALL_EMPLOYEES)))
    expect("trace events at trace level audit", len(trace), 0)

    s = f.footer.summary
    expect("footer summary fingerprint vs summary.json", f"{s.fingerprint:016x}", summary["fingerprint"])
    expect("footer summary tokens vs summary.json", tally_total(s.tokens), summary["tokens_total"])
    expect("footer summary days", s.days, DAYS)
    expect("footer summary employees", s.employees, SMALL_EMPLOYEES)

    # The audit log holds every gated agent action the summary counts, plus the actions
    # employees took themselves (no agent_id), which the summary's gate counts leave out.
    g = s.gate
    gated = g.allowed + g.asked_approved + g.asked_rejected + g.denied + g.rate_limited + g.asked_expired
    human_direct = sum(1 for r in audit if not r.HasField("agent_id"))
    # A defense's records on agents (breakers held or released them) are not gate decisions.
    defense = sum(1 for r in audit if r.HasField("agent_id") and r.decision >= 6)
    expect("audit records", len(audit), gated + human_direct + defense)
    expect("summary gate vs summary.json",
           (g.allowed, g.asked_approved + g.asked_rejected + g.asked_expired, g.denied),
           (summary["actions_allowed"], summary["actions_asked"], summary["actions_denied"]))
    by_decision = [0] * len(f.header.decision_names)
    for r in audit:
        if r.HasField("agent_id"):
            by_decision[r.decision] += 1
    expect("agent audit records by decision vs footer summary gate", by_decision[:6],
           [g.allowed, g.asked_approved, g.asked_rejected, g.denied, g.rate_limited, g.asked_expired])

    expect("footer tokens_total vs the daily rows' sum", tally_total(s.tokens),
           sum(tally_total(d.tokens) for d in daily))
    per_employee = 0
    for e in employees:
        p = e.tokens_by_purpose
        per_employee += tally_total(p.useful) + tally_total(p.overhead) + tally_total(p.performative)
    expect("footer tokens_total vs the employee rows' sum", tally_total(s.tokens), per_employee)


# ---- 4. inspect ---------------------------------------------------------------------------
@case
def inspect(ctx):
    out = ctx.path("out")
    summary_line = ctx.run_ok(out)
    summary = parse_one_json_line(summary_line)
    path = os.path.join(out, "run.clawrun")

    rc, stdout, stderr = ctx.clawsim_cmd("inspect", path)
    expect(f"clawsim inspect exit status (stderr: {stderr})", rc, 0)
    for pattern in (r"(?m)^run file " + re.escape(path) + "$",
                    r"(?m)^  scenario +small \(" + re.escape(ctx.scenario) + r"\)$",
                    r"(?m)^  days +2$",
                    r"(?m)^  fingerprint +" + summary["fingerprint"] + "$",
                    r"(?m)^  events +" + str(summary["events"]) + "$"):
        check(re.search(pattern, stdout) is not None, f"inspect text lacks /{pattern}/:\n{stdout}")

    rc, stdout, stderr = ctx.clawsim_cmd("inspect", "--json", path)
    expect(f"clawsim inspect --json exit status (stderr: {stderr})", rc, 0)
    j = parse_one_json_line(stdout)
    expect("inspect --json scenario", j.get("scenario"), "small")
    expect("inspect --json days", j.get("days"), DAYS)
    expect("inspect --json threads", j.get("threads"), DEFAULT_THREADS)
    expect("inspect --json summary.fingerprint", j.get("summary", {}).get("fingerprint"), summary["fingerprint"])
    expect("inspect --json summary (compared with summary.json)", j.get("summary"), summary)
    check('"summary":' + summary_line.rstrip("\n") + "}" in stdout,
          "inspect --json does not embed summary.json's text verbatim")


# ---- 5. bad input: exit status 2, a located message, no output folder ----------------------
def expect_refused(ctx, args, stderr_pattern, out):
    rc, stdout, stderr = ctx.clawsim_cmd(*args)
    expect(f"exit status (stderr: {stderr!r})", rc, 2)
    check(re.search(stderr_pattern, stderr) is not None, f"stderr lacks /{stderr_pattern}/:\n{stderr}")
    expect("stdout", stdout, "")
    if out is not None and os.path.exists(out):
        raise Failure(f"{out} exists after a refused run, holding {sorted(os.listdir(out))}")


def write_file(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


@case
def run_counterfactual(ctx):
    """--counterfactual adds the paired differences against the no-agent twin; the run
    itself is the same as without the flag."""
    plain = parse_one_json_line(ctx.run_ok(ctx.path("plain")))
    paired = parse_one_json_line(ctx.run_ok(ctx.path("paired"), "--counterfactual"))
    check("counterfactual" not in plain, "a plain run has a counterfactual section")
    expect("fingerprint with and without --counterfactual", paired["fingerprint"], plain["fingerprint"])
    c = paired.get("counterfactual")
    check(isinstance(c, dict), f"no counterfactual section in {sorted(paired)}")
    for key in ["value_usd_delta", "human_busy_hours_delta", "items_completed_delta", "incidents_delta",
                "lead_time_hours_delta", "roi", "saved_hours_claimed", "backlog_hours_delta", "no_agent_value_usd"]:
        check(key in c, f"counterfactual lacks {key}: {c}")
    check(abs(paired["value_usd"] - c["no_agent_value_usd"] - c["value_usd_delta"]) < 1e-6,
          f"value delta {c['value_usd_delta']} is not value {paired['value_usd']} minus the twin's "
          f"{c['no_agent_value_usd']}")
    check(abs(paired["net_value_usd"] - (paired["value_usd"] - paired["incident_cost_usd"] - paired["token_cost_usd"]))
          < 1e-6, "net value is not value - incident cost - token cost")
    for key in ["rule_decisions", "utilisation_by_role", "backlog_items", "developer_agent_spend"]:
        check(key in paired, f"summary lacks {key}")


@case
def days_flag_reaches_the_scenario_checks(ctx):
    """--days is the run's length when the scenario is checked: a setting valid only for a
    longer run than the file's (ratios counted from day 10 of a 12-day run; the small
    scenario's own run is 7 days) is accepted, and the run lasts the days given."""
    out = ctx.path("days12")
    rc, stdout, stderr = ctx.clawsim_cmd("run", ctx.scenario, "--out", out, "--json", "--days", "12",
                                         "--set", "incentives.ratios_from_day=10")
    check(rc == 0, f"clawsim run exited {rc}, expected 0\nstderr:\n{stderr}")
    expect("days run", parse_one_json_line(stdout)["days"], 12)


@case
def warns_about_unused_rules(ctx):
    """Every setting acts, threats and defenses included: no "does not act on yet" warning;
    a permission rule that never decided a request is named on stderr."""
    out = ctx.path("out")
    rc, stdout, stderr = ctx.clawsim_cmd("run", ctx.scenario, "--out", out, "--json", "--set", f"run.days={DAYS}",
                                         "--set", "threats.injection_campaigns[0].emails_per_day=50")
    expect("exit status", rc, 0)
    check("does not act on yet" not in stderr, f"a setting is reported as not acting:\n{stderr}")
    rc, stdout, stderr = ctx.clawsim_cmd("run", ctx.scenario, "--out", ctx.path("out2"), "--json",
                                         "--set", f"run.days={DAYS}",
                                         "--set", "permissions.rules[name=agents-staging].action=DEPLOY_ROLLBACK",
                                         "--set", "permissions.rules[name=agents-staging].principal.team=leadership")
    expect("exit status", rc, 0)
    check("permission rule \"agents-staging\" never decided a request" in stderr,
          f"no warning about a rule that never matched:\n{stderr}")


@case
def bad_distribution_parameter(ctx):
    """A parameter the distribution's kind does not use is refused at its line and column."""
    scenario = ctx.path("unused.textproto")
    text = read_text(ctx.scenario).replace("quality { kind: BETA alpha: 5 beta: 2 }",
                                           "quality { kind: BETA alpha: 5 beta: 2 mean: 0.7 }")
    check("mean: 0.7" in text, "the small scenario's code quality line moved; update this test")
    write_file(scenario, text)
    out = ctx.path("out")
    expect_refused(ctx, ["run", scenario, "--out", out], "^" + re.escape(scenario) +
                   r":\d+:\d+: .*a BETA distribution does not use mean", out)


@case
def calibration_bands(ctx):
    """A scenario's calibration bands reach the run file's footer with the run's values; a band
    naming a measure the run summary lacks is refused at its line and column."""
    scenario = ctx.path("bands.textproto")
    bands = ('calibration { name: "change failure rate" measure: "dora.change_failure_rate" '
             'low: 0.02 high: 0.2 unit: "fraction" source: "DORA 2024" }\n'
             'calibration { name: "incidents" measure: "incidents" low: 0 high: inf unit: "incidents" source: "s" }\n'
             'calibration { name: "no managers here" measure: "utilisation_by_role.nobody.mean" low: 0 high: 1 }\n')
    write_file(scenario, read_text(ctx.scenario) + bands)
    out = ctx.path("out")
    rc, stdout, stderr = ctx.clawsim_cmd("run", scenario, "--out", out, "--json", "--set", f"run.days={DAYS}")
    check(rc == 0, f"clawsim run exited {rc}\nstderr:\n{stderr}")
    check('calibration band "no managers here": this run has no measure' in stderr, f"stderr: {stderr}")
    summary = parse_one_json_line(stdout)
    got = [(b.measure, b.low, b.high, b.unit, b.source) for b in ctx.read_run_file(out).footer.calibration]
    expect("footer.calibration", got, [("change failure rate", 0.02, 0.2, "fraction", "DORA 2024"),
                                       ("incidents", 0, float("inf"), "incidents", "s"),
                                       ("no managers here", 0, 1, "", "")])
    values = [b.value for b in ctx.read_run_file(out).footer.calibration]
    expect("change failure rate value", values[0], summary["dora"]["change_failure_rate"])
    expect("incidents value", values[1], summary["incidents"])
    check(values[2] != values[2], f"an unmeasured band's value should be NaN, got {values[2]}")

    # The readable summary says of each band whether the run is inside it.
    outside = ctx.path("outside.textproto")
    write_file(outside, read_text(scenario) + 'calibration { name: "impossible" measure: "incidents" low: 1e12 high: inf }\n')
    rc, stdout, stderr = ctx.clawsim_cmd("run", outside, "--out", ctx.path("out_text"), "--set", f"run.days={DAYS}")
    check(rc == 0, f"clawsim run exited {rc}\nstderr:\n{stderr}")
    rows = {m.group(3): m.group(1) for m in re.finditer(r"^  (inside|OUTSIDE|no value) +(\S+(?: M)?) in \[.*?\] +(.+?) \(",
                                                       stdout, re.M)}
    expect("band verdicts", (rows.get("incidents"), rows.get("no managers here"), rows.get("impossible")),
           ("inside", "no value", "OUTSIDE"))
    inside = sum(1 for v in rows.values() if v == "inside")
    check(f"calibration bands ({inside} of 4 inside" in stdout, f"stdout:\n{stdout}")

    bad = ctx.path("bad.textproto")
    write_file(bad, read_text(ctx.scenario) + 'calibration { name: "x" measure: "dora.nope" low: 0 high: 1 }\n')
    expect_refused(ctx, ["run", bad, "--out", ctx.path("bad_out")], "^" + re.escape(bad) +
                   r":\d+:\d+: calibration band #1 \(\"x\"\): measure \"dora.nope\"", ctx.path("bad_out"))


@case
def presets(ctx):
    """`clawsim presets` prints every preset's agent rules as scenario text that loads."""
    rc, stdout, stderr = ctx.clawsim_cmd("presets")
    expect(f"exit status (stderr: {stderr!r})", rc, 0)
    for name in ["READ_ONLY", "ASK_FOR_WRITES", "ASK_FOR_PROD", "AUTONOMOUS_WITH_LIMITS", "FULLY_AUTONOMOUS"]:
        check(f"preset: {name}" in stdout, f"no {name} in:\n{stdout}")
    # The ASK_FOR_PROD block pasted into a scenario's permissions replaces its agent rules.
    block = stdout.split("preset: ASK_FOR_PROD }")[1].split("\n\n")[0]
    rules = "\n".join(line for line in block.splitlines() if line.startswith("rules {"))
    text = read_text(ctx.scenario)
    start = text.index("permissions {")
    # The people's rules first, then the preset's: the order a preset compiles to.
    human = "\n".join(l for l in text[start:].split("\n}\n", 1)[0].splitlines() if "subject: HUMANS" in l)
    custom = text[:start] + "permissions {\n  default_mode: DENY\n" + human + "\n" + rules + "\n}\n" + \
        text[start:].split("\n}\n", 1)[1]
    scenario = ctx.path("pasted.textproto")
    write_file(scenario, custom)
    rc, stdout, stderr = ctx.clawsim_cmd("run", scenario, "--out", ctx.path("pasted"), "--json", "--set", f"run.days={DAYS}")
    expect(f"exit status of the pasted scenario (stderr: {stderr!r})", rc, 0)
    pasted = parse_one_json_line(stdout)
    named = parse_one_json_line(ctx.run_ok(ctx.path("named"), "--set", "permissions.preset=ASK_FOR_PROD"))
    expect("fingerprint of pasted rules vs the named preset", pasted["fingerprint"], named["fingerprint"])
    rc, stdout, stderr = ctx.clawsim_cmd("presets", "extra")
    expect("exit status with an argument", rc, 2)


@case
def bad_syntax(ctx):
    scenario = ctx.path("syntax.textproto")
    write_file(scenario, "# a scenario with a syntax error on line 3, column 13\n"
                         "name: \"broken\"\n"
                         "run { days: = 2 }\n")
    out = ctx.path("out")
    expect_refused(ctx, ["run", scenario, "--out", out], "^" + re.escape(scenario) + r":3:13: ", out)


@case
def bad_unknown_field(ctx):
    scenario = ctx.path("unknown.textproto")
    write_file(scenario, "name: \"unknown-field\"\n"
                         "run {\n"
                         "  days: 2\n"
                         "  colour: 3\n"
                         "}\n")
    out = ctx.path("out")
    expect_refused(ctx, ["run", scenario, "--out", out], "^" + re.escape(scenario) + r":4:(3|9): .*\"colour\"", out)


@case
def bad_set_value(ctx):
    out = ctx.path("out")
    expect_refused(ctx, ["run", ctx.scenario, "--out", out, "--set", "run.days=abc"],
                   r"(?m)^--set run\.days=abc: ", out)


@case
def bad_set_path(ctx):
    out = ctx.path("out")
    expect_refused(ctx, ["run", ctx.scenario, "--out", out, "--set", "nope.x=1"], r"(?m)^--set nope\.x=1: ", out)


@case
def bad_flag(ctx):
    out = ctx.path("out")
    expect_refused(ctx, ["run", ctx.scenario, "--out", out, "--frobnicate"], r"unknown flag --frobnicate", out)


@case
def bad_trace(ctx):
    out = ctx.path("out")
    expect_refused(ctx, ["run", ctx.scenario, "--out", out, "--trace", "bogus"],
                   r"--trace must be none, audit or full, got 'bogus'", out)


@case
def inspect_missing_file(ctx):
    missing = ctx.path("missing.clawrun")
    expect_refused(ctx, ["inspect", missing], "^clawsim inspect: .*" + re.escape(missing), None)


@case
def trace_back(ctx):
    """`inspect --trace-back`: the harms listed with day, service and cause, paged; a harm an
    injection made followed back to the campaign's email (the run file's injection record)."""
    out = ctx.path("out")
    # The small scenario's campaign starts on day 4; every injection an agent reads is followed,
    # and without least-privilege tools any triage call may send mail out.
    ctx.run_ok(out, "--set", "run.days=7", "--set",
               "threats.injection_campaigns[name=fake-invoice].success_probability=1",
               "--set", "defenses.least_privilege_tools=false")
    run_path = os.path.join(out, "run.clawrun")
    summary = json.loads(read_text(os.path.join(out, "summary.json")))
    rc, stdout, stderr = ctx.clawsim_cmd("inspect", run_path, "--trace-back", "harms", "--json", "--page-size", "1000")
    expect(f"--trace-back harms --json exit status (stderr: {stderr})", rc, 0)
    harms = parse_one_json_line(stdout)
    rows = harms["rows"]
    expect("harms rows", len(rows), harms["harms"])
    check(all(r["day"] < 7 and r["service"] and r["cause"] and r["description"] for r in rows),
          f"a harm lacks day, service, cause or description: {rows}")
    # Every mail an attack sent out is a harm whose cause is the campaign.
    attacks = [r for r in rows if r["cause_kind"] == "injection"]
    expect("harms caused by the injection campaign", len(attacks), summary["safety"]["data_leaked_messages"])
    check(len(attacks) > 0 and all('"fake-invoice"' in r["cause"] for r in attacks),
          f"injection harms do not name the campaign: {attacks}")
    # Paged: page 2 of size 2 is rows 3 and 4 of the whole list.
    rc, stdout, _ = ctx.clawsim_cmd("inspect", run_path, "--trace-back", "harms", "--json", "--page-size", "2",
                                    "--page", "2")
    expect("page 2 exit status", rc, 0)
    expect("page 2 rows", [r["id"] for r in parse_one_json_line(stdout)["rows"]], [r["id"] for r in rows[2:4]])
    expect_refused(ctx, ["inspect", run_path, "--trace-back", "harms", "--page", "999"],
                   r"^clawsim inspect: --page 999: the run has \d+ harms", None)
    # The chain from one of them reaches the injection email, its campaign and route.
    rc, stdout, stderr = ctx.clawsim_cmd("inspect", run_path, "--trace-back", attacks[0]["id"], "--json")
    expect(f"--trace-back ID --json exit status (stderr: {stderr})", rc, 0)
    chain = parse_one_json_line(stdout)
    expect("origin kind", chain["origin"]["kind"], "injection")
    check(chain["origin"]["id"].startswith("item:"), f"origin names no injection email: {chain['origin']}")
    texts = [step["text"] for step in chain["chain"]]
    check(any("(injected via " in t for t in texts), f"no injected invocation on the chain: {texts}")
    check(any(t.startswith("injection email to ") and '"fake-invoice"' in t for t in texts),
          f"the chain does not reach the campaign's email: {texts}")
    check(not chain["truncated"] and len(texts) < 50, f"a short chain was cut or ran long: {texts}")
    # Text output says the same, and a missing id is refused.
    rc, stdout, _ = ctx.clawsim_cmd("inspect", run_path, "--trace-back", attacks[0]["id"])
    check(rc == 0 and stdout.startswith('origin: injection "fake-invoice"'), f"text trace-back: {stdout}")
    expect_refused(ctx, ["inspect", run_path, "--trace-back", "audit:999999999999999"],
                   r"^clawsim inspect: .*no audit record has id 999999999999999",
                   None)
    expect_refused(ctx, ["inspect", run_path, "--page", "2"],
                   r"^clawsim inspect: --page and --page-size apply to --trace-back harms only", None)


@case
def trace_back_forward(ctx):
    """A leak whose injection reached the agent through a colleague's forward is followed back
    past the forwarded copy and the colleague's forward to the original injection email and
    its campaign (format 1.6: InjectionEmail.forwarded_by and .forwarded_at_us). On the shipped
    injection campaign, 12 days (the campaign starts on day 7), fully autonomous agents, with
    forwards and success made likely so that such a leak exists whatever the seed."""
    out = ctx.path("out")
    scenario = os.path.join(os.path.dirname(ctx.scenario), "safety_injection_campaign.textproto")
    rc, stdout, stderr = ctx.clawsim_cmd(
        "run", scenario, "--out", out, "--days", "12", "--threads", "2",
        "--set", "permissions.preset=fully_autonomous",
        "--set", "threats.injection_campaigns[name=invoice-phish].forward_probability=1",
        "--set", "threats.injection_campaigns[name=invoice-phish].success_probability=1", timeout=600)
    check(rc == 0, f"clawsim run exited {rc}\nstderr:\n{stderr}")
    run_path = os.path.join(out, "run.clawrun")
    rc, stdout, stderr = ctx.clawsim_cmd("inspect", run_path, "--trace-back", "harms", "--json", "--page-size", "5000")
    expect(f"--trace-back harms exit status (stderr: {stderr})", rc, 0)
    rows = parse_one_json_line(stdout)["rows"]
    # Every incident is named by its defect's origin, and those add up to the summary's
    # incident_origins (who deployed is a second field).
    summary = json.loads(read_text(os.path.join(out, "summary.json")))
    origins = summary["incident_origins"]
    incidents = [r for r in rows if r["kind"] == "incident"]
    expect("incidents listed", len(incidents), summary["incidents"])
    for name in ("person_change", "agent_written_change", "agent_action_error", "injection", "compromise",
                 "malicious_skill"):
        expect(f"incidents of origin {name}", sum(r.get("defect_origin") == name for r in incidents), origins[name])
    expect("incidents deployed by an agent", sum(r.get("deployed_by", "").startswith("agent ") for r in incidents),
           origins["deployed_by_agent"])
    forwarded = [r for r in rows if r["kind"] == "leak" and "via forward, forwarded by " in r["cause"]]
    check(forwarded, f"no leak through a forward among {len(rows)} harms: {[r['cause'] for r in rows[:20]]}")
    check(all('"invoice-phish"' in r["cause"] for r in forwarded), f"a forwarded leak names no campaign: {forwarded}")
    rc, stdout, stderr = ctx.clawsim_cmd("inspect", run_path, "--trace-back", forwarded[0]["id"], "--json")
    expect(f"--trace-back ID exit status (stderr: {stderr})", rc, 0)
    chain = parse_one_json_line(stdout)
    expect("origin kind", chain["origin"]["kind"], "injection")
    steps = chain["chain"]
    texts = [s["text"] for s in steps]
    copy = [i for i, t in enumerate(texts) if t.startswith("injection email to ") and ", forwarded by " in t]
    original = [i for i, t in enumerate(texts) if t.startswith("injection email to ") and "forwarded" not in t]
    check(copy and original, f"the chain lacks the forwarded copy or the original: {texts}")
    check(steps[original[0]]["depth"] > steps[copy[0]]["depth"], f"the original is not behind the copy: {texts}")
    check('campaign "invoice-phish"' in texts[original[0]], f"the original names no campaign: {texts[original[0]]}")
    check(any(" email.send_internal by " in texts[i] for i in range(copy[0], original[0])),
          f"the colleague's forward is not between the copy and the original: {texts}")
    # The origin is the original email, not the copy, and the text trace-back says the same.
    expect("origin id", chain["origin"]["id"], steps[original[0]]["id"])
    rc, stdout, _ = ctx.clawsim_cmd("inspect", run_path, "--trace-back", forwarded[0]["id"])
    check(rc == 0 and stdout.startswith('origin: injection "invoice-phish"') and "forwarded by" in stdout.splitlines()[0],
          f"text trace-back: {stdout[:400]}")


# ---- 6. trace levels ------------------------------------------------------------------------
@case
def trace_none(ctx):
    out = ctx.path("out")
    ctx.run_ok(out, "--trace", "none")
    pb2 = ctx.run_pb2()
    f = ctx.read_run_file(out)
    expect("header.trace_level", f.header.trace_level, pb2.TRACE_NONE)
    expect("audit chunks", len(f.chunks_of("audit")), 0)
    expect("trace chunks", len(f.chunks_of("trace")), 0)
    expect("footer counts audit/trace", (f.footer.counts.audit_records, f.footer.counts.trace_events), (0, 0))
    expect("daily rows", len(f.rows("daily")), DAYS)
    expect("employee rows", len(f.rows("employees")), SMALL_EMPLOYEES)


@case
def trace_full(ctx):
    out = ctx.path("out")
    summary = parse_one_json_line(ctx.run_ok(out, "--trace", "full"))
    pb2 = ctx.run_pb2()
    f = ctx.read_run_file(out)
    expect("header.trace_level", f.header.trace_level, pb2.TRACE_FULL)
    trace = f.rows("trace")
    check(len(f.chunks_of("trace")) > 0 and len(trace) > 0, "--trace full wrote no trace events")
    check(len(f.chunks_of("audit")) > 0, "--trace full wrote no audit records")
    expect("footer counts trace_events", f.footer.counts.trace_events, len(trace))
    # The trace holds every committed engine event.
    expect("trace events vs summary events", len(trace), summary["events"])
    check(all(0 <= e.kind < len(f.header.event_kind_names) for e in trace), "a trace event kind out of range")
    check(all(e.lp < len(f.header.lp_names) for e in trace), "a trace event LP out of range")


# ---- 7. bench phold ---------------------------------------------------------------------------
@case
def bench_phold(ctx):
    keys = ["events", "wall_s", "events_per_s", "fingerprint", "threads", "lps"]
    results = {}
    for threads in (1, 2):
        rc, stdout, stderr = ctx.clawsim_cmd("bench", "phold", "--lps", "64", "--end", "10", "--json",
                                             "--threads", str(threads))
        expect(f"bench phold --threads {threads} exit status (stderr: {stderr})", rc, 0)
        j = parse_one_json_line(stdout)
        missing = [k for k in keys if k not in j]
        check(not missing, f"bench phold --json lacks keys {missing}: {stdout}")
        expect("lps", j["lps"], 64)
        expect("threads", j["threads"], threads)
        check(j["events"] > 0, f"no events committed: {stdout}")
        check(re.fullmatch(r"[0-9a-f]{16}", j["fingerprint"]) is not None, f"fingerprint: {j['fingerprint']!r}")
        results[threads] = j
    expect("bench phold fingerprint, --threads 2 vs 1", results[2]["fingerprint"], results[1]["fingerprint"])
    expect("bench phold events, --threads 2 vs 1", results[2]["events"], results[1]["events"])


# ---- 7b. bench org ---------------------------------------------------------------------------
@case
def bench_org(ctx):
    """The organisation grows by divisions (more teams and services, not larger ones), the
    memory census and the threads' busy share are printed, and the run does not depend on
    --threads."""
    results = {}
    for employees, threads in ((SMALL_EMPLOYEES, 1), (3 * SMALL_EMPLOYEES, 1), (3 * SMALL_EMPLOYEES, 2)):
        rc, stdout, stderr = ctx.clawsim_cmd("bench", "org", "--scenario", ctx.scenario, "--employees", str(employees),
                                             "--days", "2", "--threads", str(threads), "--json")
        expect(f"bench org --employees {employees} exit status (stderr: {stderr})", rc, 0)
        j = parse_one_json_line(stdout)
        for k in ("employees", "teams", "services", "channels", "events", "peak_rss_bytes_per_employee", "memory"):
            check(k in j, f"bench org --json lacks {k}: {stdout}")
        m = j["memory"]
        holders = [k for k in m if k.endswith("_bytes") and k != "counted_bytes"]
        expect("census holders", len(holders), 9)
        expect("census total", m["counted_bytes"], sum(m[k] for k in holders))
        check(m["mailboxes_bytes"] > 0 and m["pending_events_bytes"] > 0, f"an empty census: {m}")
        # The windows' wall time lies within the run's; with two threads the partitions' summed
        # work (timed apart from the windows) fits in twice the windows' time.
        check(0 < j["windows_s"] <= j["wall_s"], f"windows_s {j['windows_s']} against wall_s {j['wall_s']}")
        check(0 < j["threads_busy_share"] <= 1.0001, f"threads_busy_share {j['threads_busy_share']}")
        results[(employees, threads)] = j
    small, big = results[(SMALL_EMPLOYEES, 1)], results[(3 * SMALL_EMPLOYEES, 1)]
    check(abs(big["employees"] - 3 * SMALL_EMPLOYEES) <= 0.1 * 3 * SMALL_EMPLOYEES, f"employees: {big['employees']}")
    check(big["teams"] > 2 * small["teams"], f"teams {small['teams']} -> {big['teams']}: not grown by divisions")
    check(big["services"] > 2 * small["services"], f"services {small['services']} -> {big['services']}")
    expect("bench org fingerprint, --threads 2 vs 1", results[(3 * SMALL_EMPLOYEES, 2)]["fingerprint"],
           big["fingerprint"])


# ---- 8. validate -----------------------------------------------------------------------------
@case
def validate_quick(ctx):
    """The shipped validation suite, shortened: every row computes a figure with the sign the
    model is expected to keep, and the table files appear."""
    suite = os.path.join(os.path.dirname(ctx.scenario), "validation", "validations.textproto")
    out = os.path.join(ctx.work, "out")
    rc, stdout, stderr = ctx.clawsim_cmd("validate", suite, "--quick", "--json", "--out", out, timeout=1200)
    expect(f"clawsim validate --quick exit status (stderr: {stderr[-2000:]})", rc, 0)
    j = parse_one_json_line(stdout)
    check(len(j["validations"]) >= 10, f"expected the shipped rows, got {len(j['validations'])}")
    for v in j["validations"]:
        check(v["n"] >= 2, f"{v['name']}: {v['n']} replications gave a figure: {v['error']}")
        check(v["sign_ok"], f"{v['name']}: simulated {v['mean']} has the wrong sign")
        check(v["ci_low"] <= v["mean"] <= v["ci_high"], f"{v['name']}: mean outside its own interval: {v}")
    for name in ("validation.md", "validation.csv"):
        check(os.path.isfile(os.path.join(out, name)), f"{name} was not written")
    names = [v["name"] for v in j["validations"]]
    with open(os.path.join(out, "validation.csv")) as f:
        rows = list(csv.DictReader(f))
    expect("validation.csv rows", [r["validation"] for r in rows], names)


@case
def validate_refuses_mechanism_overrides(ctx):
    """A validation sets the situation only: a study that overrides a mechanism setting is
    refused, located in the suite, and nothing is written."""
    with open(os.path.join(ctx.work, "study.textproto"), "w") as f:
        f.write(f'base_scenario: "{ctx.scenario}"\nreplications: 2\n'
                'arms { name: "a" set: "help_costs.specify_minutes=0" }\narms { name: "b" }\n')
    with open(os.path.join(ctx.work, "suite.textproto"), "w") as f:
        f.write('# one row\nvalidations { name: "x" study: "study.textproto" measure: "value_usd"\n'
                '  statistic: RELATIVE_CHANGE arm: "a" reference_arm: "b"\n'
                '  published: 0 published_low: -1 published_high: 1 }\n')
    rc, stdout, stderr = ctx.clawsim_cmd("validate", "suite.textproto", "--out", "out")
    expect(f"exit status (stderr: {stderr})", rc, 2)
    check("suite.textproto:2:1: validation \"x\"" in stderr, f"message not located in the suite: {stderr}")
    check("help_costs.specify_minutes, a mechanism setting" in stderr, f"message does not name the setting: {stderr}")
    check(not os.path.exists(os.path.join(ctx.work, "out")), "an output folder was written")


def add_arguments(parser):
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--pb2", required=True)


if __name__ == "__main__":
    sys.exit(harness.main("cli_test", add_arguments, Context, failures=(run_file.Error,)))
