#!/usr/bin/env python3
"""The bad-input corpus: every case in bad_inputs.txt runs the real `clawsim` binary on an
input a user could give it (a scenario, a --set override, a flag, a run file) and checks
that it is refused as a user should see it:

  - the exit status is the one the case names (2 for bad input), never a signal;
  - it finishes within the time limit (no hang, no allocation storm);
  - stderr matches the case's pattern (the message, with file:line:column where there is
    one), and stdout is empty;
  - nothing was written: the case's folder holds exactly the inputs it started with.

usage: bad_input_test.py --clawsim BIN --source SOURCE_DIR --work DIR [--cases FILE] [CASE...]

The corpus format is described at the top of bad_inputs.txt. Cases for `clawsim study` and
the viewer go in the same file, in their sections; `cmd` runs any clawsim subcommand, and
`viewer` lines (to be added with the viewer's cases) would run clawsim-view.
"""
import argparse
import os
import re
import shlex
import shutil
import struct
import subprocess
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "testlib"))
from clawsim_test_harness import fresh_folder  # noqa: E402
from wire_format import varint  # noqa: E402

TIME_LIMIT_S = 60
PREAMBLE_BYTES = 16


class Case:
    def __init__(self, name, line):
        self.name = name
        self.line = line
        self.files = []    # (name, base or None, [ops]) ; ops: ("append", text) | ("replace", old, new)
        self.damages = []  # (name, op)
        self.cmd = None
        self.exit = None
        self.stderr = None


def parse(path):
    bases, cases = {}, []
    current_base = None
    case = None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip()
        if current_base is not None:
            if line == "end":
                current_base = None
            else:
                bases[current_base].append(raw)
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        word, _, rest = stripped.partition(" ")
        if word == "base":
            current_base = rest.strip()
            bases[current_base] = []
        elif word == "case":
            case = Case(rest.strip(), number)
            cases.append(case)
        elif word == "file":
            parts = rest.split()
            case.files.append((parts[0], parts[2] if len(parts) == 3 and parts[1] == "from" else None, []))
        elif word == "|":
            case.files[-1][2].append(("append", rest))
        elif word == "s":
            old, new = rest.split(" => ", 1)
            unescape = lambda t: t.replace("\\n", "\n").replace("\\0", "\0")  # noqa: E731
            case.files[-1][2].append(("replace", unescape(old), unescape(new)))
        elif word == "damage":
            name, op = rest.split(None, 1)
            case.damages.append((name, op.strip()))
        elif word == "cmd":
            case.cmd = shlex.split(rest)
        elif word == "exit":
            case.exit = int(rest)
        elif word == "stderr":
            case.stderr = rest
        else:
            raise SystemExit(f"{path}:{number}: unknown directive {word!r}")
    for c in cases:
        if c.cmd is None or c.exit is None or c.stderr is None:
            raise SystemExit(f"{path}:{c.line}: case {c.name!r} needs cmd, exit and stderr")
    return {k: "\n".join(v) + "\n" for k, v in bases.items()}, cases


# ---- run files, damaged with valid checksums where the case wants a rule broken ----------

def records(data):
    """[(offset, payload)] of the framed records after the preamble."""
    out, at = [], PREAMBLE_BYTES
    while at < len(data):
        length = struct.unpack_from("<I", data, at)[0]
        out.append((at, data[at + 8: at + 8 + length]))
        at += 8 + length
    return out


def frame(payload):
    length = struct.pack("<I", len(payload))
    return length + struct.pack("<I", zlib.crc32(length + payload)) + payload


def body_kind(payload):
    """('header'|'footer'|chunk rows kind, inner offset)."""
    tag, i = varint(payload, 0)
    field = tag >> 3
    if field == 1:
        return "header", i
    if field == 3:
        return "footer", i
    _, j = varint(payload, i)
    inner, _ = varint(payload, j)
    return {1: "daily", 2: "employees", 3: "audit", 4: "trace", 5: "spans"}.get(inner >> 3, "unknown"), i


def set_header_trace_level(payload, level):
    """The Record's header with RunHeader.trace_level (field 11, a varint) set to `level`."""
    tag, i = varint(payload, 0)
    length, body_start = varint(payload, i)
    body = bytearray(payload[body_start: body_start + length])
    j = 0
    while j < len(body):
        t, k = varint(body, j)
        field, wire = t >> 3, t & 7
        if field == 11 and wire == 0:
            body[k] = level  # levels are 1..3: one byte
            return payload[:body_start] + bytes(body)
        if wire == 0:
            _, j = varint(body, k)
        elif wire == 2:
            n, k = varint(body, k)
            j = k + n
        elif wire == 1:
            j = k + 8
        elif wire == 5:
            j = k + 4
        else:
            raise ValueError("unexpected wire type")
    raise ValueError("no trace_level in the header")


def damage(good, op):
    preamble, recs = good[:PREAMBLE_BYTES], records(good)
    kinds = [body_kind(p)[0] for _, p in recs]
    rebuilt = lambda payloads: preamble + b"".join(frame(p) for p in payloads)  # noqa: E731
    payloads = [p for _, p in recs]
    first = lambda kind: kinds.index(kind)  # noqa: E731
    if op == "empty":
        return b""
    if op == "one-byte":
        return good[:1]
    if op == "preamble-only":
        return good[:PREAMBLE_BYTES]
    if op == "half":
        return good[: len(good) // 2]
    if op == "no-footer":
        return good[: recs[-1][0]]
    if op == "flip-middle":
        b = bytearray(good)
        b[len(b) // 2] ^= 0x10
        return bytes(b)
    if op == "bad-magic":
        return b"CLAWRUM\0" + good[8:]
    if op == "major-2":
        return good[:8] + struct.pack("<I", 2) + good[12:]
    if op == "minor-99":
        return good[:12] + struct.pack("<I", 99) + good[16:]
    if op == "garbage-after-footer":
        return good + b"\0\0\0\0"
    if op == "second-header":
        return rebuilt([payloads[0]] + payloads)
    if op == "empty-record":
        return rebuilt(payloads[:1] + [b""] + payloads[1:])
    if op == "footer-first":
        return rebuilt([payloads[0], payloads[-1]] + payloads[1:-1])
    if op.startswith("duplicate-"):
        i = first(op[len("duplicate-"):])
        return rebuilt(payloads[: i + 1] + [payloads[i]] + payloads[i + 1:])
    if op.startswith("drop-"):
        i = first(op[len("drop-"):])
        return rebuilt(payloads[:i] + payloads[i + 1:])
    if op == "trace-none":
        return rebuilt([set_header_trace_level(payloads[0], 1)] + payloads[1:])
    if op == "length-huge":
        at = recs[1][0]
        return good[:at] + struct.pack("<I", 0xFFFFFFF0) + good[at + 4:]
    raise SystemExit(f"unknown damage {op!r}")


# ---- running ---------------------------------------------------------------------------

def listing(folder):
    out = []
    for root, dirs, files in os.walk(folder):
        for n in dirs + files:
            out.append(os.path.relpath(os.path.join(root, n), folder))
    return sorted(out)


def run_case(args, bases, case, good_run):
    work = fresh_folder(os.path.join(args.work, case.name))
    for name, base, ops in case.files:
        text = bases[base] if base else ""
        for op in ops:
            if op[0] == "append":
                text += op[1] + "\n"
            else:
                if op[1] not in text:
                    return f"file {name}: {op[1]!r} is not in base {base}"
                text = text.replace(op[1], op[2], 1)
        os.makedirs(os.path.dirname(os.path.join(work, name)), exist_ok=True)
        with open(os.path.join(work, name), "w", encoding="utf-8") as f:
            f.write(text)
    for name, op in case.damages:
        with open(os.path.join(work, name), "wb") as f:
            f.write(damage(good_run, op))
    before = listing(work)
    subst = {"small": os.path.join(args.source, "scenarios", "small.textproto"),
             "scenarios": os.path.join(args.source, "scenarios"), "run": good_run_path(args)}
    cmd = [args.clawsim] + [a.format(**subst) for a in case.cmd]
    try:
        p = subprocess.run(cmd, cwd=work, capture_output=True, text=True, errors="replace", timeout=TIME_LIMIT_S)
    except subprocess.TimeoutExpired:
        return f"ran past {TIME_LIMIT_S} s"
    problems = []
    if p.returncode < 0:
        problems.append(f"died of signal {-p.returncode}")
    elif p.returncode != case.exit:
        problems.append(f"exit status {p.returncode}, expected {case.exit}")
    if not re.search(case.stderr, p.stderr):
        problems.append(f"stderr lacks /{case.stderr}/")
    if p.stdout:
        problems.append(f"stdout not empty: {p.stdout[:300]!r}")
    after = listing(work)
    if after != before:
        problems.append(f"files written: {sorted(set(after) - set(before))}, removed: {sorted(set(before) - set(after))}")
    if problems:
        return "; ".join(problems) + f"\n  $ {shlex.join(cmd)}\n  stderr: {p.stderr[:800]}"
    return None


def good_run_path(args):
    return os.path.join(args.work, "_good", "run.clawrun")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clawsim", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--cases", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "bad_inputs.txt"))
    parser.add_argument("only", nargs="*")
    args = parser.parse_args()
    args.clawsim = os.path.abspath(args.clawsim)
    args.work = os.path.abspath(args.work)
    args.source = os.path.abspath(args.source)
    bases, cases = parse(args.cases)
    bases["SMALL"] = open(os.path.join(args.source, "scenarios", "small.textproto"), encoding="utf-8").read()
    # One good run file, the material the run-file cases damage.
    good_dir = os.path.dirname(good_run_path(args))
    shutil.rmtree(good_dir, ignore_errors=True)
    os.makedirs(os.path.dirname(good_dir), exist_ok=True)
    p = subprocess.run([args.clawsim, "run", os.path.join(args.source, "scenarios", "small.textproto"), "--set",
                        "run.days=2", "--out", good_dir, "--json"], capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        raise SystemExit(f"the good run failed ({p.returncode}): {p.stderr}")
    with open(good_run_path(args), "rb") as f:
        good_run = f.read()
    failed = 0
    selected = [c for c in cases if not args.only or c.name in args.only]
    for c in selected:
        problem = run_case(args, bases, c, good_run)
        print(f"{'FAIL' if problem else 'ok  '} {c.name}" + (f": {problem}" if problem else ""), flush=True)
        failed += problem is not None
    print(f"{len(selected) - failed} of {len(selected)} bad inputs refused as expected")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
