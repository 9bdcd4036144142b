#!/usr/bin/env python3
"""End-to-end tests of `clawsim study`: runs the real binary and checks exit status, output
files and the study database.

usage: study_cli_test.py CASE --clawsim BIN --scenarios DIR --work DIR --pb2 DIR [--mpirun BIN]
                         [--sanitized]

--sanitized (the asan and tsan presets) runs the cases that take longest shorter: the same
checks on one simulated day, and a stopped study's outputs compared with an uninterrupted
study's only in the optimised build (the resume code is the same; CI time).

tests/study/CMakeLists.txt registers one ctest test per case. Cases run under
tests/testlib/clawsim_test_harness.py: each writes only in its own emptied folder WORK/CASE;
a failed check raises and the case exits 1.
"""
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "testlib"))
import clawsim_test_harness as harness  # noqa: E402
from clawsim_test_harness import Failure, case, check  # noqa: E402

SVGS = ["decision.svg", "cost_value.svg", "pareto.svg", "incidents.svg"]
OUTPUTS = ["arms.csv", "runs.csv", "report.md"] + SVGS + ["study.clawstudy"]


class Context(harness.Context):
    timeout_s = 280

    def __init__(self, args):
        super().__init__(args)
        self.scenarios = os.path.abspath(args.scenarios)
        self.pb2 = os.path.abspath(args.pb2)
        self.mpirun = args.mpirun
        self.base = "small.textproto"  # the scenario write_study() bases a study on
        self.sanitized = args.sanitized


def write_study(ctx, name, days, replications, arms=None, extra=""):
    """A study of the shipped small scenario (by absolute path) in the case's folder."""
    arms = arms or [("today", []), ("ext-deny", ["permissions.rules[name=agents-send-ext].mode=DENY"]),
                    ("chat-ask", ["permissions.rules[name=agents-chat-post].mode=ASK"])]
    lines = [f'name: "{name}"', f'base_scenario: "{os.path.join(ctx.scenarios, ctx.base)}"',
             f"replications: {replications}", "seed: 3", f'set: "run.days={days}"']
    for arm, sets in arms:
        lines.append("arms { name: \"%s\" %s }" % (arm, " ".join(f'set: "{s}"' for s in sets)))
    lines.append('baseline: "today"')
    lines.append(extra)
    path = os.path.join(ctx.work, name + ".textproto")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def run(ctx, args, expect_rc=0, env=None):
    p = ctx.clawsim_cmd(*args, env=env)
    check(p.returncode == expect_rc,
          f"clawsim {' '.join(args)}: exit {p.returncode}, expected {expect_rc}\nstdout:\n{p.stdout}\nstderr:\n{p.stderr}")
    return p


def read(path):
    with open(path, "rb") as f:
        return f.read()


def same_outputs(a, b, files=OUTPUTS):
    for f in files:
        x, y = read(os.path.join(a, f)), read(os.path.join(b, f))
        check(len(x) > 0, f"{a}/{f} is empty")
        check(x == y, f"{f} differs between {a} and {b}")


def db_rows(path, sql):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def check_db_complete(db, planned):
    check(db_rows(db, "PRAGMA integrity_check") == [("ok",)], f"{db}: integrity_check failed")
    n = db_rows(db, "SELECT COUNT(*) FROM runs")[0][0]
    distinct = db_rows(db, "SELECT COUNT(*) FROM (SELECT DISTINCT arm, replication FROM runs)")[0][0]
    check(n == planned, f"{db}: {n} runs stored, expected {planned}")
    check(distinct == planned, f"{db}: {distinct} distinct (arm, replication), expected {planned}")
    ok = db_rows(db, "SELECT COUNT(*) FROM runs WHERE status = 'ok'")[0][0]
    check(ok == planned, f"{db}: {ok} ok runs, expected {planned}")


@case
def jobs_identical(ctx):
    study = write_study(ctx, "j", days=1 if ctx.sanitized else 3, replications=4)
    p = run(ctx, ["study", study, "--jobs", "1", "--out", "j1"])
    # Piped, progress comes as lines: one when the last run is done at least.
    check("clawsim study: 12 runs to do" in p.stderr, f"progress header on a pipe: {p.stderr}")
    check(re.search(r"12/12 runs done, 0 failed, 0 left", p.stderr), f"progress lines on a pipe: {p.stderr}")
    # The table's columns line up whatever the arm names' lengths.
    rows = [l for l in p.stdout.splitlines() if l.startswith("  ") and ("today" in l or "ext-deny" in l or "chat-ask" in l or l.strip().startswith("arm "))]
    check(len(rows) == 4, f"table rows: {p.stdout}")
    starts = {l.index("[") if "[" in l else -1 for l in rows[1:]}
    check(len(starts) == 1, f"the interval column should start at one position: {p.stdout}")
    check("Choose " in p.stdout, f"the answer under the table: {p.stdout}")
    run(ctx, ["study", study, "--jobs", "2", "--out", "j2"])
    run(ctx, ["study", study, "--jobs", "2", "--threads", "2", "--out", "j2t2"])
    same_outputs(os.path.join(ctx.work, "j1"), os.path.join(ctx.work, "j2"))
    same_outputs(os.path.join(ctx.work, "j1"), os.path.join(ctx.work, "j2t2"))
    check_db_complete(os.path.join(ctx.work, "j1", "study.sqlite"), 12)
    # The results file parses with the generated Python module.
    sys.path.insert(0, ctx.pb2)
    import study_pb2  # noqa: E402
    r = study_pb2.StudyResults()
    r.ParseFromString(read(os.path.join(ctx.work, "j1", "study.clawstudy")))
    check(r.magic == "clawsim-study" and r.format_major == 1, "results file header")
    check(r.decision.answer.startswith("Choose "), f"the decision is in the results file: {r.decision.answer}")
    check_block_crcs(read(os.path.join(ctx.work, "j1", "study.clawstudy")))
    check(len(r.runs) == 12 and len(r.arms) == 3, "results file: 12 runs in 3 arms")
    # A re-run does nothing and rewrites identical outputs.
    p = run(ctx, ["study", study, "--jobs", "2", "--out", "j1", "--json"])
    check('"skipped":12' in p.stdout and '"ran":0' in p.stdout, f"re-run should skip all 12: {p.stdout}")
    same_outputs(os.path.join(ctx.work, "j1"), os.path.join(ctx.work, "j2"))


@case
def mpi_identical(ctx):
    check(ctx.mpirun, "no mpirun")
    study = write_study(ctx, "m", days=3, replications=4)
    run(ctx, ["study", study, "--jobs", "1", "--out", "single"])
    cmd = [ctx.mpirun, "--allow-run-as-root", "--oversubscribe", "--mca", "btl", "self,tcp", "--mca",
           "btl_tcp_if_include", "lo", "--mca", "oob_tcp_if_include", "lo", "-np", "2", ctx.clawsim, "study", study,
           "--out", "mpi2", "--json"]
    env = dict(os.environ, OMPI_MCA_rmaps_base_oversubscribe="1")
    p = subprocess.run(cmd, cwd=ctx.work, capture_output=True, text=True, timeout=280, env=env)
    check(p.returncode == 0, f"mpirun: exit {p.returncode}\nstdout:\n{p.stdout}\nstderr:\n{p.stderr}")
    check('"ranks":2' in p.stdout, f"rank 0 should report 2 ranks: {p.stdout}")
    check(p.stdout.count('"study"') == 1, f"only rank 0 prints: {p.stdout}")
    same_outputs(os.path.join(ctx.work, "single"), os.path.join(ctx.work, "mpi2"))
    check_db_complete(os.path.join(ctx.work, "mpi2", "study.sqlite"), 12)
    # Rank 0 cannot write (the output folder is a file): every rank ends, none waits forever.
    with open(os.path.join(ctx.work, "not-a-folder"), "w") as f:
        f.write("x")
    cmd[cmd.index("mpi2")] = "not-a-folder"
    p = subprocess.run(cmd, cwd=ctx.work, capture_output=True, text=True, timeout=120, env=env)
    check(p.returncode != 0, "mpirun should fail when rank 0 cannot write")
    check("not-a-folder" in p.stderr, f"rank 0 should say why: {p.stderr}")


def check_block_crcs(data):
    """The results file's checksums, checked as sim/study/results_file.h describes them."""
    import struct
    import zlib
    check(data[-10:-8] == b"\xa9\x06", "footer tag")
    covered, trailer_crc = struct.unpack("<II", data[-8:])
    trailer = data[covered:-10]
    check(zlib.crc32(trailer) == trailer_crc, "the trailer's CRC")
    check(trailer[:2] == b"\xa2\x06", "block_crc32 tag")
    at, length, shift = 2, 0, 0
    while True:
        b = trailer[at]
        at += 1
        length |= (b & 0x7f) << shift
        shift += 7
        if b < 0x80:
            break
    crcs = trailer[at:]
    check(len(crcs) == length and length == 4 * ((covered + 4095) // 4096), "one CRC per 4096-byte block")
    for i in range(length // 4):
        block = data[i * 4096:min(covered, (i + 1) * 4096)]
        check(zlib.crc32(block) == struct.unpack("<I", crcs[4 * i:4 * i + 4])[0], f"block {i}'s CRC")


def png_size(path):
    import struct
    data = read(path)
    check(data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG")
    return struct.unpack(">II", data[16:24])


def text_inside(svg_path):
    """Every unrotated label lies inside the picture (estimated at 0.62 em a character)."""
    svg = open(svg_path).read()
    width = float(re.search(r'<svg[^>]* width="([0-9.]+)"', svg).group(1))
    for m in re.finditer(r"<text ([^>]*)>([^<]*)</text>", svg):
        attrs = dict(re.findall(r'([-\w]+)="([^"]*)"', m.group(1)))
        if "transform" in attrs:
            continue
        x, size, anchor, text = float(attrs["x"]), float(attrs["font-size"]), attrs["text-anchor"], m.group(2)
        w = 0.62 * size * len(text)
        left = x if anchor == "start" else x - w if anchor == "end" else x - w / 2
        check(left >= 0 and left + w <= width + 1, f"{svg_path}: label {text!r} runs off the picture ({left:.0f} to {left + w:.0f} of {width:.0f})")


@case
def charts_render(ctx):
    # Every chart renders to a PNG (librsvg, as browsers and viewers render SVG) with its labels
    # inside the picture, for a study with long grid arm names.
    rsvg = shutil.which("rsvg-convert")
    check(rsvg, "rsvg-convert is missing: install librsvg2-bin (scripts/install-deps.sh)")
    arms = [("metric=RAW_TOKENS,visibility=MANAGERS_ONLY", []),
            ("metric=OUTCOMES,visibility=MANAGERS_ONLY", ["permissions.rules[name=agents-send-ext].mode=DENY"]),
            ("today", ["permissions.rules[name=agents-chat-post].mode=ASK"])]
    text = open(write_study(ctx, "c", days=2, replications=3, arms=arms)).read().replace('baseline: "today"', "")
    study = os.path.join(ctx.work, "c.textproto")
    with open(study, "w") as f:
        f.write(text)
    run(ctx, ["study", study, "--out", "c"])
    for svg in SVGS:
        path = os.path.join(ctx.work, "c", svg)
        text_inside(path)
        png = path[:-4] + ".png"
        p = subprocess.run([rsvg, "-o", png, path], capture_output=True, text=True, timeout=60)
        check(p.returncode == 0, f"rsvg-convert {svg}: {p.stderr}")
        w, h = png_size(png)
        check(w >= 600 and h >= 150, f"{png}: {w}x{h}")
        check(os.path.getsize(png) > 5000, f"{png} is nearly empty")


def start_and_wait_for_runs(ctx, study, out, at_least):
    p = subprocess.Popen([ctx.clawsim, "study", study, "--jobs", "2", "--out", out], cwd=ctx.work,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    db = os.path.join(ctx.work, out, "study.sqlite")
    deadline = time.time() + 240
    while time.time() < deadline:
        if p.poll() is not None:
            raise Failure(f"the study ended before it could be stopped: {p.communicate()}")
        try:
            if os.path.exists(db) and db_rows(db, "SELECT COUNT(*) FROM runs")[0][0] >= at_least:
                return p
        except sqlite3.OperationalError:
            pass  # the tables are being created
        time.sleep(0.05)
    p.kill()
    raise Failure("no runs were committed in time")


@case
def resume_after_kill(ctx):
    ctx.base = "baseline.textproto"
    arms = [("today", []), ("ext-allow", ["permissions.rules[name=agents-send-ext].mode=ALLOW"])]
    study = write_study(ctx, "k", days=2, replications=5, arms=arms)
    p = start_and_wait_for_runs(ctx, study, "killed", 2)
    p.kill()  # SIGKILL: no chance to clean up
    p.communicate()
    db = os.path.join(ctx.work, "killed", "study.sqlite")
    check(db_rows(db, "PRAGMA integrity_check") == [("ok",)], "integrity_check after SIGKILL")
    done = db_rows(db, "SELECT COUNT(*) FROM runs")[0][0]
    check(2 <= done < 10, f"{done} runs committed before the kill; the test needs some but not all")
    check(not os.path.exists(os.path.join(ctx.work, "killed", "arms.csv")), "no outputs from a killed study")
    r = run(ctx, ["study", study, "--out", "killed", "--json"])
    check(f'"skipped":{done}' in r.stdout and f'"ran":{10 - done}' in r.stdout, f"resume: {r.stdout}")
    check_db_complete(db, 10)
    run(ctx, ["study", study, "--out", "clean"])
    same_outputs(os.path.join(ctx.work, "killed"), os.path.join(ctx.work, "clean"))


def stopped_study(ctx, name, sig, rc, said):
    """A study of the baseline stopped by `sig` after its first run: exit `rc`, `said` on
    stderr, nothing but committed runs left behind. Returns (study file, database, runs done)."""
    ctx.base = "baseline.textproto"
    arms = [("today", []), ("ext-allow", ["permissions.rules[name=agents-send-ext].mode=ALLOW"])]
    study = write_study(ctx, name, days=2, replications=5, arms=arms)
    p = start_and_wait_for_runs(ctx, study, "out", 1)
    p.send_signal(sig)
    out, err = p.communicate(timeout=240)
    db = os.path.join(ctx.work, "out", "study.sqlite")
    done = db_rows(db, "SELECT COUNT(*) FROM runs")[0][0]
    check(done < 10, f"all {done} runs finished before {sig.name} took effect; the test needs a stopped study")
    check(p.returncode == rc, f"stopped study: exit {p.returncode}, expected {rc}\n{err}")
    check(said in err and "resume" in err, f"stderr should say how to resume: {err}")
    check(not os.path.exists(os.path.join(ctx.work, "out", "arms.csv")), "no outputs from a stopped study")
    check(db_rows(db, "PRAGMA integrity_check") == [("ok",)], f"integrity_check after {sig.name}")
    return study, db, done


@case
def sigint(ctx):
    study, db, done = stopped_study(ctx, "i", signal.SIGINT, 130, "interrupted")
    r = run(ctx, ["study", study, "--out", "out", "--json"])
    check(f'"skipped":{done}' in r.stdout, f"resume after SIGINT should skip the {done} committed runs: {r.stdout}")
    check_db_complete(db, 10)


@case
def sigterm(ctx):
    # SIGTERM (what a scheduler or `kill` sends) is handled as SIGINT: runs in progress are
    # committed, exit 143, and the same command resumes. A second signal ends it at once.
    study, db, done = stopped_study(ctx, "t", signal.SIGTERM, 143, "terminated (SIGTERM)")
    # Two signals: the second ends the process at once, and the database stays sound.
    p = start_and_wait_for_runs(ctx, study, "out", done + 1)
    p.send_signal(signal.SIGTERM)
    time.sleep(0.2)
    p.send_signal(signal.SIGINT)
    p.communicate(timeout=60)
    check(p.returncode in (-signal.SIGINT, 143), f"second signal: exit {p.returncode}")
    check(db_rows(db, "PRAGMA integrity_check") == [("ok",)], "integrity_check after two signals")
    run(ctx, ["study", study, "--out", "out"])
    check_db_complete(db, 10)
    # Resumed outputs equal an uninterrupted study's: end to end in the optimised build; under
    # the sanitizers the in-process InterruptedStudyResumesWithoutLosingOrRepeatingRuns checks it.
    if not ctx.sanitized:
        run(ctx, ["study", study, "--out", "clean"])
        same_outputs(os.path.join(ctx.work, "out"), os.path.join(ctx.work, "clean"))


@case
def other_study_refused(ctx):
    # An output folder belongs to one study: another is refused (nothing changes there),
    # --force starts it afresh, and the same study edited resumes.
    a = write_study(ctx, "a", days=1, replications=2)
    b = write_study(ctx, "b", days=1, replications=2)
    run(ctx, ["study", a, "--out", "shared"])
    before = {f: read(os.path.join(ctx.work, "shared", f)) for f in OUTPUTS}
    p = run(ctx, ["study", b, "--out", "shared"], expect_rc=2)
    check('holds the runs of study "a"' in p.stderr and 'not of study "b"' in p.stderr and "--force" in p.stderr,
          f"the refusal names both studies and the way out: {p.stderr}")
    for f in OUTPUTS:
        check(read(os.path.join(ctx.work, "shared", f)) == before[f], f"{f} changed although the study was refused")
    p = run(ctx, ["study", b, "--out", "shared", "--force", "--json"])
    check('"skipped":0' in p.stdout and '"ran":6' in p.stdout, f"--force starts afresh: {p.stdout}")
    check(db_rows(os.path.join(ctx.work, "shared", "study.sqlite"), "SELECT COUNT(*) FROM runs")[0][0] == 6,
          "only the new study's runs remain")
    # The same study with one more replication: its runs are kept.
    edited = write_study(ctx, "b", days=1, replications=3)
    p = run(ctx, ["study", edited, "--out", "shared", "--json"])
    check('"skipped":6' in p.stdout and '"ran":3' in p.stdout, f"an edited study resumes: {p.stdout}")


@case
def bad_study(ctx):
    path = os.path.join(ctx.work, "bad.textproto")
    with open(path, "w") as f:
        f.write(f'base_scenario: "{os.path.join(ctx.scenarios, "small.textproto")}"\n'
                'arms { name: "a" }\n'
                'arms { name: "b"\n'
                '       set: "permissions.rules[name=agents-chat-post].mode=SOMETIMES" }\n')
    p = run(ctx, ["study", path, "--out", "never"], expect_rc=2)
    check(p.stderr.startswith(path + ":4:8: arm \"b\": override \"permissions.rules[name=agents-chat-post].mode="
                              "SOMETIMES\": "), f"located error naming arm and path, got: {p.stderr}")
    check(not os.path.exists(os.path.join(ctx.work, "never")), "no output folder for a bad study")
    p = run(ctx, ["study", path, "--jobs", "x"], expect_rc=2)
    check("--jobs" in p.stderr, f"bad flag: {p.stderr}")
    p = run(ctx, ["study", os.path.join(ctx.work, "missing.textproto")], expect_rc=2)
    check("missing.textproto" in p.stderr, f"missing file: {p.stderr}")
    for flag, value in [("--jobs", "0"), ("--threads", "0"), ("--jobs", "5000")]:
        p = run(ctx, ["study", path, flag, value, "--out", "never"], expect_rc=2)
        check(f"{flag} {value}: must be from 1" in p.stderr, f"{flag} {value}: {p.stderr}")
    check(not os.path.exists(os.path.join(ctx.work, "never")), "no output folder for bad flags")
    big = os.path.join(ctx.work, "big.textproto")
    with open(big, "w") as f:
        f.write(f'base_scenario: "{os.path.join(ctx.scenarios, "small.textproto")}"\nreplications: 4294967295\n'
                'arms { name: "a" }\n')
    p = run(ctx, ["study", big, "--out", "never"], expect_rc=2)
    check(p.stderr.startswith(big + ":2:1: replications 4294967295 is more than"), f"absurd replications: {p.stderr}")
    with open(big, "w") as f:
        f.write(f'base_scenario: "{os.path.join(ctx.scenarios, "small.textproto")}"\ngrids {{\n' +
                "".join(f'  axes {{ name: "a{i}" path: "run.days" values: ["1", "2", "3", "4"] }}\n' for i in range(16)) +
                "}\n")
    p = run(ctx, ["study", big, "--out", "never"], expect_rc=2)
    check("more than 4096 arms" in p.stderr, f"a 4^16-arm grid: {p.stderr}")
    check(not os.path.exists(os.path.join(ctx.work, "never")), "no output folder for a bad study")


@case
def shipped_study_smoke(ctx):
    # Each shipped study loads and runs end to end when shortened to 1 day and 2 replications.
    for name in ["study_price_shock", "study_permissions", "study_incentives"]:
        src = os.path.join(ctx.scenarios, name + ".textproto")
        text = open(src).read().replace('base_scenario: "baseline.textproto"',
                                        f'base_scenario: "{os.path.join(ctx.scenarios, "baseline.textproto")}"')
        text = re.sub(r"replications: \d+", "replications: 2", text)
        text += '\nset: "run.days=1"\n'
        path = os.path.join(ctx.work, name + ".textproto")
        with open(path, "w") as f:
            f.write(text)
        run(ctx, ["study", path, "--out", name])
        report = open(os.path.join(ctx.work, name, "report.md")).read()
        check("## Pareto front" in report and "on the front" in report.lower(), f"{name}: report")
        check(report.index("## Decision") < report.index("## Arms") and "Choose " in report,
              f"{name}: the report opens with the decision")


def add_arguments(parser):
    parser.add_argument("--scenarios", required=True)
    parser.add_argument("--pb2", required=True)
    parser.add_argument("--mpirun", default="")
    parser.add_argument("--sanitized", action="store_true")


if __name__ == "__main__":
    sys.exit(harness.main("study_cli_test", add_arguments, Context))
