#!/usr/bin/env python3
"""A run-file reader written from the documentation alone (sim/run/RUN_FILE.md for the
bytes and rules, sim/proto/run.proto for the fields), with no protobuf library: field
numbers and types are read from run.proto's text, and the wire format is decoded by hand.
If this reader needs anything the documents do not say, they are incomplete.

It runs `clawsim run` twice (to the end, and interrupted by SIGINT) and checks each file
against what the documents promise:
  - the preamble (magic, major 1, the minor the header repeats), framing and CRCs;
  - header first, chunks, footer last, nothing after;
  - the rules across records: chunk kinds the trace level keeps, daily rows 0, 1, 2, ...,
    employee ids increasing, audit and span ids unique, cause kinds 1..5;
  - footer counts equal to the rows read;
  - summary.json: every scalar key that is a RunSummary field of the same name equals the
    footer's value (fingerprints as 16 hex digits, non-finite doubles as null), and the
    documented derived keys (tokens_total, input_tokens, ...);
  - an interrupted run: exit 130, footer `interrupted` and `simulated_until_us`, and
    summary.days, the daily rows, daily.csv and summary.json all covering the same days;
  - a run interrupted twice: exit 130 and a complete run or nothing, never a staging folder.

usage: doc_reader_test.py --clawsim BIN --source SOURCE_DIR --work DIR
"""
import argparse
import json
import math
import os
import re
import signal
import struct
import subprocess
import sys
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "testlib"))
from clawsim_test_harness import Failure, check, fresh_folder  # noqa: E402
from wire_format import varint  # noqa: E402

SCALARS = {"double": "d", "float": "f", "fixed64": "Q", "fixed32": "I", "sfixed64": "q", "sfixed32": "i"}


# ---- run.proto, as text ------------------------------------------------------------------

def parse_proto(path):
    """{message: {number: (name, type, repeated)}} from run.proto's text (nested messages and
    enums are flattened by name, which run.proto's names allow)."""
    messages, stack = {}, []
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.split("//")[0].strip()
            m = re.match(r"(message|enum|oneof)\s+(\w+)\s*\{", line)
            if m:
                stack.append((m.group(1), m.group(2)))
                if m.group(1) == "message":
                    messages[m.group(2)] = {}
                continue
            if line.startswith("}"):
                stack.pop()
                continue
            owner = next((n for k, n in reversed(stack) if k == "message"), None)
            if owner is None or (stack and stack[-1][0] == "enum"):
                continue
            m = re.match(r"(repeated\s+|optional\s+)?([\w.]+)\s+(\w+)\s*=\s*(\d+)", line)
            if m:
                messages[owner][int(m.group(4))] = (m.group(3), m.group(2), (m.group(1) or "").strip() == "repeated")
    return messages


def decode(schema, message, b):
    """The message as a dict (repeated fields as lists; unknown fields dropped)."""
    out, i, fields = {}, 0, schema[message]
    while i < len(b):
        tag, i = varint(b, i)
        number, wire = tag >> 3, tag & 7
        if wire == 0:
            raw, i = varint(b, i)
        elif wire == 1:
            raw, i = b[i: i + 8], i + 8
        elif wire == 5:
            raw, i = b[i: i + 4], i + 4
        elif wire == 2:
            n, i = varint(b, i)
            raw, i = b[i: i + n], i + n
        else:
            raise Failure(f"{message}: wire type {wire}")
        if number not in fields:
            continue
        name, typ, repeated = fields[number]
        if typ in schema:
            values = [decode(schema, typ, raw)]
        elif typ == "string":
            values = [raw.decode("utf-8")]
        elif typ in SCALARS:
            size = struct.calcsize("<" + SCALARS[typ])
            values = list(struct.unpack("<%d%s" % (len(raw) // size, SCALARS[typ]), raw)) if wire == 2 else \
                [struct.unpack("<" + SCALARS[typ], raw)[0]]
        elif wire == 2:  # packed varints
            values, j = [], 0
            while j < len(raw):
                v, j = varint(raw, j)
                values.append(v)
        else:
            values = [raw]
        if typ in ("int32", "int64"):
            values = [v - (1 << 64) if v >= 1 << 63 else v for v in values]
        if typ == "bool":
            values = [bool(v) for v in values]
        if repeated:
            out.setdefault(name, []).extend(values)
        else:
            out[name] = values[-1]
    return out


# ---- the file ----------------------------------------------------------------------------

def read(path, schema):
    data = open(path, "rb").read()
    check(data[:8] == b"CLAWRUN\0", "magic")
    major, minor = struct.unpack_from("<II", data, 8)
    check(major == 1, f"major {major}")
    records, at = [], 16
    while at < len(data):
        length, crc = struct.unpack_from("<II", data, at)
        payload = data[at + 8: at + 8 + length]
        check(len(payload) == length, f"truncated record at byte {at}")
        check(zlib.crc32(data[at: at + 4] + payload) == crc, f"checksum at byte {at}")
        records.append(decode(schema, "Record", payload))
        at += 8 + length
    check(at == len(data), "bytes after the last record")
    check("header" in records[0], "the first record is not the header")
    check("footer" in records[-1], "the last record is not the footer")
    check(all("chunk" in r for r in records[1:-1]), "records between header and footer that are not chunks")
    header, footer = records[0]["header"], records[-1]["footer"]
    check((header.get("format_major"), header.get("format_minor", 0)) == (major, minor), "header's version")
    return header, [r["chunk"] for r in records[1:-1]], footer


def check_rules(header, chunks, footer):
    level = header.get("trace_level", 0)
    check(level in (1, 2, 3), f"trace level {level}")
    counts = {"chunks": len(chunks), "daily_rows": 0, "employee_rows": 0, "audit_records": 0, "trace_events": 0,
              "spans": 0}
    last_employee, audit_ids, span_ids, days = -1, [], [], []
    for c in chunks:
        if "daily" in c:
            for row in c["daily"].get("rows", []):
                check(row.get("day", 0) == counts["daily_rows"], f"daily row {counts['daily_rows']} is day {row.get('day')}")
                counts["daily_rows"] += 1
                days.append(row.get("day", 0))
        elif "employees" in c:
            for row in c["employees"].get("rows", []):
                check(row.get("employee_id", 0) > last_employee, "employee ids not increasing")
                last_employee = row.get("employee_id", 0)
                counts["employee_rows"] += 1
        elif "audit" in c:
            check(level >= 2, "audit chunk at trace level none")
            for r in c["audit"].get("records", []):
                check("id" in r, "audit record without an id")
                audit_ids.append(r["id"])
                check(all(1 <= k.get("kind", 0) <= 5 for k in r.get("causes", [])), "cause kind")
                counts["audit_records"] += 1
        elif "spans" in c:
            check(level >= 2, "span chunk at trace level none")
            for s in c["spans"].get("spans", []):
                span_ids.append(s.get("id", 0))
                check(all(1 <= k.get("kind", 0) <= 5 for k in s.get("causes", [])), "cause kind")
                counts["spans"] += 1
        elif "trace" in c:
            check(level == 3, "trace chunk below trace level full")
            counts["trace_events"] += len(c["trace"].get("events", []))
    check(len(set(audit_ids)) == len(audit_ids), "duplicate audit ids")
    check(len(set(span_ids)) == len(span_ids), "duplicate span ids")
    for k, v in counts.items():
        check(footer.get("counts", {}).get(k, 0) == v, f"footer counts {k}: {footer.get('counts', {}).get(k, 0)} != {v}")
    check(counts["daily_rows"] == footer["summary"].get("days", 0), "daily rows != summary.days")
    check(footer["summary"].get("days", 0) <= header.get("days", 0), "more days than asked for")
    return counts


def compare_summary(schema, summary, json_summary, footer):
    """Every scalar key of summary.json that names a RunSummary field equals it."""
    compared = 0
    fields = {name: typ for name, typ, _ in schema["RunSummary"].values()}

    def same(key, got, want, typ):
        if typ in ("fixed64",):
            check(got == "%016x" % want, f"{key}: {got} != {want:016x}")
        elif typ in ("double", "float"):
            if not math.isfinite(want):
                check(got is None, f"{key}: non-finite written as {got}, not null")
            else:
                check(got == want or abs(got - want) <= 1e-12 * max(1, abs(want)), f"{key}: {got} != {want}")
        else:
            check(got == want, f"{key}: {got!r} != {want!r}")

    for key, value in json_summary.items():
        if key in fields and not isinstance(value, (dict, list)) and fields[key] not in schema:
            default = "" if fields[key] == "string" else 0
            same(key, value, summary.get(key, default), fields[key])
            compared += 1
    tokens = summary.get("tokens", {})
    same("tokens_total", json_summary["tokens_total"], tokens.get("input_tokens", 0) + tokens.get("output_tokens", 0),
         "uint64")
    same("input_tokens", json_summary["input_tokens"], tokens.get("input_tokens", 0), "uint64")
    same("token_cost_usd", json_summary["token_cost_usd"], tokens.get("cost_usd", 0.0), "double")
    same("interrupted", json_summary["interrupted"], footer.get("interrupted", False), "bool")
    check("counterfactual" not in json_summary, "counterfactual present though not asked for")
    return compared + 4


def run(args, out, *extra, interrupt_after_s=None):
    cmd = [args.clawsim, "run", os.path.join(args.source, "scenarios", "small.textproto"), "--out", out, *extra]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if interrupt_after_s is not None:
        time.sleep(interrupt_after_s)
        p.send_signal(signal.SIGINT)
    stdout, stderr = p.communicate(timeout=300)
    return p.returncode, stdout, stderr


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clawsim", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    fresh_folder(args.work)
    schema = parse_proto(os.path.join(args.source, "sim", "proto", "run.proto"))

    # A complete run.
    out = os.path.join(args.work, "complete")
    rc, _, stderr = run(args, out, "--set", "run.days=3", "--trace", "full")
    check(rc == 0, f"clawsim run exited {rc}: {stderr}")
    header, chunks, footer = read(os.path.join(out, "run.clawrun"), schema)
    counts = check_rules(header, chunks, footer)
    json_summary = json.load(open(os.path.join(out, "summary.json")))
    compared = compare_summary(schema, footer["summary"], json_summary, footer)
    check(not footer.get("interrupted", False), "a complete run marked interrupted")
    check(footer.get("simulated_until_us") == 3 * 86_400_000_000, f"simulated_until_us {footer.get('simulated_until_us')}")
    print(f"complete run: {counts}; {compared} summary.json values equal the footer's")

    # An interrupted run: the first SIGINT ends it at a day's end, written whole.
    out = os.path.join(args.work, "interrupted")
    rc, _, stderr = run(args, out, "--set", "run.days=3650", "--trace", "none", interrupt_after_s=2.0)
    check(rc == 130, f"interrupted run exited {rc}, expected 130: {stderr}")
    check(not os.path.exists(out + ".tmp"), "the staging folder was left behind")
    header, chunks, footer = read(os.path.join(out, "run.clawrun"), schema)
    counts = check_rules(header, chunks, footer)
    days = footer["summary"]["days"]
    check(footer.get("interrupted") is True, "footer not marked interrupted")
    check(0 < days < header["days"], f"days simulated {days} of {header['days']}")
    check(footer.get("simulated_until_us") == days * 86_400_000_000, "simulated_until_us disagrees with days")
    json_summary = json.load(open(os.path.join(out, "summary.json")))
    check(json_summary["interrupted"] is True and json_summary["days"] == days, "summary.json disagrees")
    daily_csv_rows = len(open(os.path.join(out, "daily.csv")).read().strip().split("\n")) - 1
    check(daily_csv_rows == days, f"daily.csv has {daily_csv_rows} rows for {days} days")
    compare_summary(schema, footer["summary"], json_summary, footer)
    print(f"interrupted run: {days} of {header['days']} days, {counts['daily_rows']} daily rows, consistent")

    # A second signal exits at once: whatever moment it lands, the folder holds a complete
    # run or nothing, and no staging folder is left.
    for attempt, gap_s in enumerate([0.0, 0.02, 0.2]):
        out = os.path.join(args.work, f"twice{attempt}")
        cmd = [args.clawsim, "run", os.path.join(args.source, "scenarios", "small.textproto"), "--out", out,
               "--set", "run.days=3650"]
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        p.send_signal(signal.SIGINT)
        time.sleep(gap_s)
        p.send_signal(signal.SIGINT)
        _, stderr = p.communicate(timeout=300)
        check(p.returncode == 130, f"twice-interrupted run exited {p.returncode}: {stderr}")
        check(not os.path.exists(out + ".tmp"), "a second signal left the staging folder")
        left = sorted(os.listdir(out)) if os.path.exists(out) else []
        check(left in ([], ["daily.csv", "employees.csv", "run.clawrun", "summary.json"]), f"left behind: {left}")
        if left:
            check_rules(*read(os.path.join(out, "run.clawrun"), schema))
        print(f"second signal after {gap_s} s: {'a complete interrupted run' if left else 'nothing'} left")


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        print(f"doc_reader_test: FAIL: {e}", file=sys.stderr)
        sys.exit(1)
