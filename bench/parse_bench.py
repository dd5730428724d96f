"""Benchmark: instructions (valgrind's cachegrind, no cache simulation) to parse every
``proofs/**/*.pv`` with `parse_file_recovering`, for this checkout and optionally another one
side by side, and of `pv check --trust-cache proofs/` (a filled cache: what is left of a run
is mostly start-up and parsing).

Parsing is counted as the difference between a process that loads the parser and reads the
files and one that also parses them: once (what `pv check` does, the lexers' and parser's
memo tables filled on the way) and then again (those tables warm).  Both checkouts parse this
checkout's files; each checks its own proofs/ (so compare with a checkout of the same proofs,
e.g. the commit a branch started from).  Not a test: it asserts nothing.

    python bench/parse_bench.py [--base OTHER_CHECKOUT] [--no-check]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from debian import ensure, have  # noqa: E402
from instructions_bench import instructions  # noqa: E402

PARSE = """\
import glob, os, sys
sys.path.insert(0, {checkout!r})
from seplogic import lalr
from seplogic.parser import parse_file_recovering
lalr._tables()
texts = [(p, open(p, encoding="utf-8").read())
         for p in sorted(glob.glob(os.path.join({files!r}, "proofs/**/*.pv"), recursive=True))]
for _ in range({passes}):
    for p, t in texts:
        parse_file_recovering(t, p)
"""


def measure(checkout: str, check: bool) -> list:
    tmp = tempfile.mkdtemp(prefix="pv-parse-bench-")
    env = {**os.environ, "PYTHONHASHSEED": "0", "PV_CACHE_DIR": os.path.join(tmp, "cache"),
           "PYTHONPYCACHEPREFIX": os.path.join(tmp, "pyc")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)     # compiling is not parsing: compile once
    runs = {}
    for passes in (0, 1, 3):
        cmd = [sys.executable, "-c", PARSE.format(checkout=checkout, passes=passes, files=ROOT)]
        subprocess.run(cmd, cwd=checkout, env=env, check=True)
        runs[passes] = instructions(cmd, env)
    rows = [("parse proofs/, once", runs[1] - runs[0]),
            ("parse proofs/, each pass after", (runs[3] - runs[1]) // 2)]
    if check:
        pv = [sys.executable, "-c", f"import sys; sys.path.insert(0, {checkout!r}); "
              "from driver import entry; sys.argv[0] = 'pv'; sys.exit(entry())"]
        proofs = os.path.join(checkout, "proofs")
        subprocess.run(pv + ["check", "-j", "1", "-q", proofs], env=env, capture_output=True,
                       check=True)                                # fill the cache
        rows.append(("pv check --trust-cache proofs/", instructions(
            pv + ["check", "-j", "1", "-q", "--trust-cache", proofs], env)))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", help="another checkout to measure side by side")
    ap.add_argument("--no-check", action="store_true", help="only the parsing")
    args = ap.parse_args()
    if not ensure(["valgrind"], lambda: have("valgrind")):
        raise SystemExit("valgrind is needed")
    mine = measure(ROOT, not args.no_check)
    base = measure(os.path.abspath(args.base), not args.no_check) if args.base else None
    for k, (label, n) in enumerate(mine):
        line = f"{label:34} {n / 1e6:10.1f} M"
        if base:
            b = base[k][1]
            line = f"{label:34} {b / 1e6:10.1f} M -> {n / 1e6:8.1f} M ({(n - b) / b:+.1%})"
        print(line)


if __name__ == "__main__":
    main()
