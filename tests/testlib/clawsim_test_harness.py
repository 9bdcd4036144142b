"""The harness the end-to-end test scripts share: cases registered by name, checks that fail
a case with a message, the case's own work folder, and the real `clawsim` run in it.

A script built on it:

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "testlib"))
    import clawsim_test_harness as harness
    from clawsim_test_harness import case, check, expect

    @case
    def some_case(ctx):                       # ctx: a harness.Context (or the script's subclass)
        rc, stdout, stderr = ctx.clawsim_cmd("run", ..., "--out", ctx.path("out"))
        check(rc == 0, f"exit {rc}: {stderr}")

    if __name__ == "__main__":
        sys.exit(harness.main("my_test", add_arguments=..., context=...))

Contract:
  - One script per process: @case registers into this module's registry, and main() runs
    the one case named by the first command-line argument (its choices are the registered
    names, so ctest names a case that exists or the script refuses to start).
  - main() parses CASE, --clawsim BIN and --work DIR, plus whatever add_arguments(parser)
    declares; builds the context with context(args); runs the case. A case passes by
    returning; check()/expect() raise Failure, which main() prints on stderr as
    "NAME CASE: FAIL: message" with exit status 1. Exceptions listed in `failures` are
    reported the same way; any other exception ends the script with its traceback (exit 1).
    A passing case prints "NAME CASE: ok" and exits 0.
  - Context(args) deletes and recreates WORK/CASE (the case's folder under the build tree)
    before the case runs; a case writes only there, and clawsim runs with it as its working
    directory. Its files stay after the case for a person to look at.
  - ctx.clawsim_cmd(*args) runs clawsim with the given arguments, echoes the command line on
    stdout (ctest keeps it in the log), and returns a Result: (returncode, stdout, stderr),
    also by those names. It never raises for a non-zero exit; the case checks the status.
"""
import argparse
import collections
import os
import shutil
import subprocess
import sys

_CASES = {}

Result = collections.namedtuple("Result", ["returncode", "stdout", "stderr"])


class Failure(Exception):
    """A check that did not hold; the message says what was expected and what came back."""


def case(fn):
    """Registers fn(ctx) as the case named fn.__name__."""
    if fn.__name__ in _CASES:
        raise ValueError(f"two cases named {fn.__name__}")
    _CASES[fn.__name__] = fn
    return fn


def check(condition, message):
    if not condition:
        raise Failure(message)


def expect(what, got, want):
    if got != want:
        raise Failure(f"{what}: got {got!r}, expected {want!r}")


def fresh_folder(path):
    """Deletes `path` with everything under it and creates it empty; returns it absolute."""
    path = os.path.abspath(path)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def run_clawsim(clawsim, args, cwd, stdin=None, timeout=120, env=None):
    """Runs `clawsim ARGS` in `cwd`, echoing the command line; returns a Result."""
    cmd = [clawsim, *args]
    print("$ " + " ".join(cmd), flush=True)
    p = subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True, text=True, timeout=timeout, env=env)
    return Result(p.returncode, p.stdout, p.stderr)


class Context:
    """What a case gets. Scripts subclass it for their own arguments and helpers.

    clawsim: the binary (absolute); case: the case's name; work: its folder (absolute, empty
    when the case starts); args: every parsed argument; timeout_s: clawsim_cmd's default
    limit on one command."""

    timeout_s = 120

    def __init__(self, args):
        self.args = args
        self.case = args.case
        self.clawsim = os.path.abspath(args.clawsim)
        self.work = fresh_folder(os.path.join(args.work, args.case))

    def path(self, *parts):
        """A path inside the case's folder."""
        return os.path.join(self.work, *parts)

    def clawsim_cmd(self, *args, stdin=None, timeout=None, env=None):
        """clawsim ARGS in the case's folder: Result(returncode, stdout, stderr)."""
        return run_clawsim(self.clawsim, args, self.work, stdin=stdin,
                           timeout=self.timeout_s if timeout is None else timeout, env=env)


def main(name, add_arguments=None, context=Context, failures=()):
    """Runs the case the command line names (see the module's contract); returns the exit status."""
    parser = argparse.ArgumentParser(prog=name)
    parser.add_argument("case", choices=sorted(_CASES))
    parser.add_argument("--clawsim", required=True, help="the clawsim binary")
    parser.add_argument("--work", required=True, help="the folder under which each case gets its own")
    if add_arguments is not None:
        add_arguments(parser)
    args = parser.parse_args()
    ctx = context(args)
    try:
        _CASES[args.case](ctx)
    except (Failure, *failures) as e:
        print(f"{name} {args.case}: FAIL: {e}", file=sys.stderr)
        return 1
    print(f"{name} {args.case}: ok")
    return 0
