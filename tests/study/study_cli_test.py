#!/usr/bin/env python3
"""End-to-end tests of `clawsim study`: runs the real binary and checks exit status, output
files and the study database.

usage: study_cli_test.py CASE --clawsim BIN --scenarios DIR --work DIR --pb2 DIR [--mpirun BIN]

Each case deletes and recreates WORK/CASE and writes only there. A failed check raises and
the case exits 1. tests/study/CMakeLists.txt registers one ctest test per case.
"""
import argparse
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

OUTPUTS = ["arms.csv", "runs.csv", "report.md", "cost_value.svg", "pareto.svg", "incidents.svg", "study.clawstudy"]
CASES = {}


class Failure(Exception):
    pass


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def check(cond, message):
    if not cond:
        raise Failure(message)


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
    path = os.path.join(ctx.dir, name + ".textproto")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def run(ctx, args, expect_rc=0, env=None):
    p = subprocess.run([ctx.clawsim] + args, cwd=ctx.dir, capture_output=True, text=True, timeout=280, env=env)
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
    study = write_study(ctx, "j", days=3, replications=4)
    run(ctx, ["study", study, "--jobs", "1", "--out", "j1"])
    run(ctx, ["study", study, "--jobs", "2", "--out", "j2"])
    run(ctx, ["study", study, "--jobs", "2", "--threads", "2", "--out", "j2t2"])
    same_outputs(os.path.join(ctx.dir, "j1"), os.path.join(ctx.dir, "j2"))
    same_outputs(os.path.join(ctx.dir, "j1"), os.path.join(ctx.dir, "j2t2"))
    check_db_complete(os.path.join(ctx.dir, "j1", "study.sqlite"), 12)
    # The results file parses with the generated Python module.
    sys.path.insert(0, ctx.pb2)
    import study_pb2  # noqa: E402
    r = study_pb2.StudyResults()
    r.ParseFromString(read(os.path.join(ctx.dir, "j1", "study.clawstudy")))
    check(r.magic == "clawsim-study" and r.format_major == 1, "results file header")
    check(len(r.runs) == 12 and len(r.arms) == 3, "results file: 12 runs in 3 arms")
    # A re-run does nothing and rewrites identical outputs.
    p = run(ctx, ["study", study, "--jobs", "2", "--out", "j1", "--json"])
    check('"skipped":12' in p.stdout and '"ran":0' in p.stdout, f"re-run should skip all 12: {p.stdout}")
    same_outputs(os.path.join(ctx.dir, "j1"), os.path.join(ctx.dir, "j2"))


@case
def mpi_identical(ctx):
    check(ctx.mpirun, "no mpirun")
    study = write_study(ctx, "m", days=3, replications=4)
    run(ctx, ["study", study, "--jobs", "1", "--out", "single"])
    cmd = [ctx.mpirun, "--allow-run-as-root", "--oversubscribe", "--mca", "btl", "self,tcp", "--mca",
           "btl_tcp_if_include", "lo", "--mca", "oob_tcp_if_include", "lo", "-np", "2", ctx.clawsim, "study", study,
           "--out", "mpi2", "--json"]
    env = dict(os.environ, OMPI_MCA_rmaps_base_oversubscribe="1")
    p = subprocess.run(cmd, cwd=ctx.dir, capture_output=True, text=True, timeout=280, env=env)
    check(p.returncode == 0, f"mpirun: exit {p.returncode}\nstdout:\n{p.stdout}\nstderr:\n{p.stderr}")
    check('"ranks":2' in p.stdout, f"rank 0 should report 2 ranks: {p.stdout}")
    check(p.stdout.count('"study"') == 1, f"only rank 0 prints: {p.stdout}")
    same_outputs(os.path.join(ctx.dir, "single"), os.path.join(ctx.dir, "mpi2"))
    check_db_complete(os.path.join(ctx.dir, "mpi2", "study.sqlite"), 12)
    # Rank 0 cannot write (the output folder is a file): every rank ends, none waits forever.
    with open(os.path.join(ctx.dir, "not-a-folder"), "w") as f:
        f.write("x")
    cmd[cmd.index("mpi2")] = "not-a-folder"
    p = subprocess.run(cmd, cwd=ctx.dir, capture_output=True, text=True, timeout=120, env=env)
    check(p.returncode != 0, "mpirun should fail when rank 0 cannot write")
    check("not-a-folder" in p.stderr, f"rank 0 should say why: {p.stderr}")


def start_and_wait_for_runs(ctx, study, out, at_least):
    p = subprocess.Popen([ctx.clawsim, "study", study, "--jobs", "2", "--out", out], cwd=ctx.dir,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    db = os.path.join(ctx.dir, out, "study.sqlite")
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
    db = os.path.join(ctx.dir, "killed", "study.sqlite")
    check(db_rows(db, "PRAGMA integrity_check") == [("ok",)], "integrity_check after SIGKILL")
    done = db_rows(db, "SELECT COUNT(*) FROM runs")[0][0]
    check(2 <= done < 10, f"{done} runs committed before the kill; the test needs some but not all")
    check(not os.path.exists(os.path.join(ctx.dir, "killed", "arms.csv")), "no outputs from a killed study")
    r = run(ctx, ["study", study, "--out", "killed", "--json"])
    check(f'"skipped":{done}' in r.stdout and f'"ran":{10 - done}' in r.stdout, f"resume: {r.stdout}")
    check_db_complete(db, 10)
    run(ctx, ["study", study, "--out", "clean"])
    same_outputs(os.path.join(ctx.dir, "killed"), os.path.join(ctx.dir, "clean"))


@case
def sigint(ctx):
    ctx.base = "baseline.textproto"
    arms = [("today", []), ("ext-allow", ["permissions.rules[name=agents-send-ext].mode=ALLOW"])]
    study = write_study(ctx, "i", days=2, replications=5, arms=arms)
    p = start_and_wait_for_runs(ctx, study, "out", 1)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=240)
    done = db_rows(os.path.join(ctx.dir, "out", "study.sqlite"), "SELECT COUNT(*) FROM runs")[0][0]
    check(done < 10, f"all {done} runs finished before SIGINT took effect; the test needs an interrupted study")
    check(p.returncode == 130, f"interrupted study: exit {p.returncode}, expected 130\n{err}")
    check("interrupted" in err and "resume" in err, f"stderr should say how to resume: {err}")
    check(not os.path.exists(os.path.join(ctx.dir, "out", "arms.csv")), "no outputs from an interrupted study")
    db = os.path.join(ctx.dir, "out", "study.sqlite")
    check(db_rows(db, "PRAGMA integrity_check") == [("ok",)], "integrity_check after SIGINT")
    r = run(ctx, ["study", study, "--out", "out", "--json"])
    check(f'"skipped":{done}' in r.stdout, f"resume after SIGINT should skip the {done} committed runs: {r.stdout}")
    check_db_complete(db, 10)


@case
def bad_study(ctx):
    path = os.path.join(ctx.dir, "bad.textproto")
    with open(path, "w") as f:
        f.write(f'base_scenario: "{os.path.join(ctx.scenarios, "small.textproto")}"\n'
                'arms { name: "a" }\n'
                'arms { name: "b"\n'
                '       set: "permissions.rules[name=agents-chat-post].mode=SOMETIMES" }\n')
    p = run(ctx, ["study", path, "--out", "never"], expect_rc=2)
    check(p.stderr.startswith(path + ":4:8: arm \"b\": override \"permissions.rules[name=agents-chat-post].mode="
                              "SOMETIMES\": "), f"located error naming arm and path, got: {p.stderr}")
    check(not os.path.exists(os.path.join(ctx.dir, "never")), "no output folder for a bad study")
    p = run(ctx, ["study", path, "--jobs", "x"], expect_rc=2)
    check("--jobs" in p.stderr, f"bad flag: {p.stderr}")
    p = run(ctx, ["study", os.path.join(ctx.dir, "missing.textproto")], expect_rc=2)
    check("missing.textproto" in p.stderr, f"missing file: {p.stderr}")


@case
def shipped_study_smoke(ctx):
    # Each shipped study loads and runs end to end when shortened to 1 day and 2 replications.
    for name in ["study_price_shock", "study_permissions", "study_incentives"]:
        src = os.path.join(ctx.scenarios, name + ".textproto")
        text = open(src).read().replace('base_scenario: "baseline.textproto"',
                                        f'base_scenario: "{os.path.join(ctx.scenarios, "baseline.textproto")}"')
        text = re.sub(r"replications: \d+", "replications: 2", text)
        text += '\nset: "run.days=1"\n'
        path = os.path.join(ctx.dir, name + ".textproto")
        with open(path, "w") as f:
            f.write(text)
        run(ctx, ["study", path, "--out", name])
        report = open(os.path.join(ctx.dir, name, "report.md")).read()
        check("## Pareto front" in report and "on the front" in report.lower(), f"{name}: report")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("case", choices=sorted(CASES))
    ap.add_argument("--clawsim", required=True)
    ap.add_argument("--scenarios", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--pb2", required=True)
    ap.add_argument("--mpirun", default="")
    ctx = ap.parse_args()
    ctx.dir = os.path.join(ctx.work, ctx.case)
    ctx.base = "small.textproto"
    shutil.rmtree(ctx.dir, ignore_errors=True)
    os.makedirs(ctx.dir)
    try:
        CASES[ctx.case](ctx)
    except Failure as e:
        print(f"FAIL {ctx.case}: {e}", file=sys.stderr)
        return 1
    print(f"ok {ctx.case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
