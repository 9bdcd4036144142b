#!/usr/bin/env python3
"""The detection study: which detector works under which regime.

Runs each scenario over seeds (clawsim run), scores the detector file on every run (clawsim
detect) and summarises, per scenario, detector and label, the mean of each measure over seeds with
a 95% Student t interval, into OUT/report.md and OUT/report.csv (--report names them). Runs
already in OUT are reused (delete OUT/<scenario>-s<seed>/ to redo one), so a second detector
file can be scored on the same runs.

usage: scripts/detection_study.py [--clawsim BIN] [--detectors FILE] [--out DIR]
                                  [--seeds 1,2,3,4] [--days N] [SCENARIO ...]

With no SCENARIO: the five incentive schemes and the three safety scenarios of scenarios/.
"""
import argparse
import csv
import json
import math
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SCENARIOS = [
    "scenarios/incentives_none.textproto",
    "scenarios/incentives_public_leaderboard.textproto",
    "scenarios/incentives_managers_only.textproto",
    "scenarios/incentives_tokens_per_value.textproto",
    "scenarios/incentives_value_budget.textproto",
    "scenarios/safety_compromised_agent.textproto",
    "scenarios/safety_malicious_skill.textproto",
    "scenarios/safety_injection_campaign.textproto",
]
MEASURES = ["positives", "flagged", "precision", "recall", "f1", "bad_caught_share", "bad_after_flag_share",
            "false_positive_people", "false_positive_value_usd", "heavy_useful_flagged_share", "ttd_median_days"]
FORECAST = ["raw", "cleaned", "oracle"]
# Two-sided 95% Student t quantiles by degrees of freedom.
T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
       15: 2.131, 20: 2.086, 30: 2.042}


def t95(df):
    for k in sorted(T95):
        if df <= k:
            return T95[k]
    return 1.96


def interval(values):
    """(mean, low, high) of a 95% t interval; low = high = mean for one value."""
    m = statistics.fmean(values)
    if len(values) < 2:
        return m, m, m
    half = t95(len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values))
    return m, m - half, m + half


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    return p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenarios", nargs="*")
    ap.add_argument("--clawsim", default=os.path.join(ROOT, "build/release/sim/clawsim"))
    ap.add_argument("--detectors", default=os.path.join(ROOT, "scenarios/detectors.textproto"))
    ap.add_argument("--out", default=os.path.join(ROOT, "results/detection_study"))
    ap.add_argument("--seeds", default="1,2,3,4")
    ap.add_argument("--days", type=int, default=0, help="override the scenarios' days (0: keep)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--report", default="report", help="names OUT/REPORT.md and OUT/REPORT.csv")
    a = ap.parse_args()
    scenarios = a.scenarios or [os.path.join(ROOT, s) for s in DEFAULT_SCENARIOS]
    seeds = [int(s) for s in a.seeds.split(",")]
    os.makedirs(a.out, exist_ok=True)

    results = {}  # (scenario, detector, label) -> list of result dicts; scenario -> forecasts
    forecasts = {}
    order = []
    for scenario in scenarios:
        name = os.path.splitext(os.path.basename(scenario))[0]
        for seed in seeds:
            out = os.path.join(a.out, f"{name}-s{seed}")
            runfile = os.path.join(out, "run.clawrun")
            if not os.path.exists(runfile):
                cmd = [a.clawsim, "run", scenario, "--seed", str(seed), "--threads", str(a.threads), "--out", out]
                if a.days:
                    cmd += ["--days", str(a.days)]
                print(f"run {name} seed {seed}", flush=True)
                run(cmd)
            det = json.loads(run([a.clawsim, "detect", runfile, "--detectors", a.detectors, "--json"]))
            for r in det["results"]:
                key = (name, r["name"], r.get("label", "tokenmaxxer" if r["entity"] == "employee" else "attacker_driven"))
                if key not in results:
                    results[key] = []
                    order.append(key)
                results[key].append(r)
            if "forecast" in det:
                forecasts.setdefault(name, []).append(det["forecast"])

    with open(os.path.join(a.out, a.report + ".csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["scenario", "detector", "entity", "label", "runs", "measure", "mean", "ci_low", "ci_high"])
        for key in order:
            rs = results[key]
            for m in MEASURES:
                mean, lo, hi = interval([r[m] for r in rs])
                w.writerow([key[0], key[1], rs[0]["entity"], key[2], len(rs), m, f"{mean:.6g}", f"{lo:.6g}", f"{hi:.6g}"])
        for name, fs in forecasts.items():
            for line in FORECAST:
                mean, lo, hi = interval([f[line]["error"] for f in fs])
                w.writerow([name, "forecast:" + line, "", "", len(fs), "error", f"{mean:.6g}", f"{lo:.6g}", f"{hi:.6g}"])

    def fmt(values, pct=False, digits=2):
        mean, lo, hi = interval(values)
        k = 100 if pct else 1
        return f"{k * mean:.{digits}f} [{k * lo:.{digits}f}, {k * hi:.{digits}f}]"

    md = ["# Detection study", "",
          f"Detectors `{os.path.relpath(a.detectors, ROOT)}`, seeds {a.seeds}" + (f", {a.days} days" if a.days else "") +
          "; each cell is the mean over seeds with its 95% t interval. Positives: people with at least the file's "
          "performative share (label tokenmaxxer), agents an attacker drove (attacker_driven), and, where a "
          "campaign reached the run, agents that followed an injected instruction (injection_followed).", ""]
    for name in dict.fromkeys(k[0] for k in order):
        md += [f"## {name}", ""]
        keys = [k for k in order if k[0] == name]
        best = {}
        for k in keys:
            rs = results[k]
            label = k[2]
            f1 = statistics.fmean(r["f1"] for r in rs)
            if rs[0]["positives"] or any(r["positives"] for r in rs):
                if label not in best or f1 > best[label][1]:
                    best[label] = (k[1], f1)
        for label, (det, _) in best.items():
            rs = results[(name, det, label)]
            md.append(f"Best detector of {label}: **{det}**: precision {fmt([r['precision'] for r in rs])}, recall "
                      f"{fmt([r['recall'] for r in rs])}, median time to detection {fmt([r['ttd_median_days'] for r in rs], digits=1)} days.")
        if not best:
            md.append("No positives in these runs: every flag is a false positive.")
        md += ["", "| detector | label | positives | flagged | precision | recall | F1 | bad caught % | FP people | "
               "heavy useful flagged % | TTD median days |", "|---|---|---|---|---|---|---|---|---|---|---|"]
        for k in keys:
            rs = results[k]
            md.append(f"| {k[1]} | {k[2]} | {fmt([r['positives'] for r in rs], digits=1)} | "
                      f"{fmt([r['flagged'] for r in rs], digits=1)} | {fmt([r['precision'] for r in rs])} | "
                      f"{fmt([r['recall'] for r in rs])} | {fmt([r['f1'] for r in rs])} | "
                      f"{fmt([r['bad_caught_share'] for r in rs], pct=True, digits=1)} | "
                      f"{fmt([r['false_positive_people'] for r in rs], digits=1)} | "
                      f"{fmt([r['heavy_useful_flagged_share'] for r in rs], pct=True, digits=1) if rs[0]['entity'] == 'employee' else '-'} | "
                      f"{fmt([r['ttd_median_days'] for r in rs], digits=1)} |")
        if name in forecasts:
            fs = forecasts[name]
            md += ["", f"Capacity forecast ({fs[0]['trend']} trend, fitted on days {fs[0]['fit_from_day']}-"
                   f"{fs[0]['train_days'] - 1}), error of the rest of the run's "
                   f"total demand, %: raw {fmt([f['raw']['error'] for f in fs], pct=True, digits=1)}; flagged demand removed "
                   f"{fmt([f['cleaned']['error'] for f in fs], pct=True, digits=1)}; true performative demand removed "
                   f"{fmt([f['oracle']['error'] for f in fs], pct=True, digits=1)}."]
        md.append("")
    with open(os.path.join(a.out, a.report + ".md"), "w") as f:
        f.write("\n".join(md))
    print(f"wrote {a.out}/{a.report}.md and {a.report}.csv")


if __name__ == "__main__":
    main()
