"""Benchmark of `pv goose` and `pv run`.  Prints:

* the translation of all five case-study packages (replicated_disk, wal, shadow, group_commit,
  mailboat), in process, warm (best and median of N runs) -- the budget is 1 s in total;
* the same as one cold `pv goose` process per package (what a user waits for);
* `pv run` of a semantics test from a cold start (as the `pv` script starts it) -- the budget
  is 0.2 s;
* the interpreter alone on every function of the semantics corpus.

Not a test: nothing is asserted (tests/test_goose.py checks loose bounds).

    python bench/goose_bench.py [--runs N]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench"))
from pv_command import PV  # noqa: E402
CASE_STUDIES = ("replicated_disk", "wal", "shadow", "group_commit", "mailboat")
SEMANTICS = os.path.join(ROOT, "proofs", "semantics", "semantics_goose.pv")


def stats(xs):
    return f"best {min(xs) * 1000:7.1f} ms   median {statistics.median(xs) * 1000:7.1f} ms"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    t0 = time.perf_counter()
    from goose import translate_package
    first = [translate_package(os.path.join(ROOT, "proofs", p)) for p in CASE_STUDIES]
    cold_inproc = time.perf_counter() - t0
    lines = sum(t.count("\n") for t in first)
    warm = []
    for _ in range(args.runs):
        t = time.perf_counter()
        for p in CASE_STUDIES:
            translate_package(os.path.join(ROOT, "proofs", p))
        warm.append(time.perf_counter() - t)
    print(f"translate 5 case studies, in process (first run incl. imports): "
          f"{cold_inproc * 1000:.1f} ms ({lines} lines of .pv)")
    print(f"translate 5 case studies, in process, warm:     {stats(warm)}")

    procs = []
    for _ in range(max(1, args.runs // 2)):
        t = time.perf_counter()
        for p in CASE_STUDIES:
            r = subprocess.run(PV + ["goose", os.path.join("proofs", p)], cwd=ROOT,
                               capture_output=True, text=True)
            assert r.returncode == 0, r.stderr
        procs.append(time.perf_counter() - t)
    print(f"pv goose, one cold process per package (5):     {stats(procs)}")

    for func in ("semantics_testMapIteration", "semantics_testGoroutinesMutex"):
        runs = []
        for _ in range(args.runs):
            t = time.perf_counter()
            r = subprocess.run(PV + ["run", SEMANTICS, func], cwd=ROOT, capture_output=True,
                               text=True)
            runs.append(time.perf_counter() - t)
            assert r.stdout.strip() == "true", (r.stdout, r.stderr)
        print(f"{'pv run ' + func.removeprefix('semantics_') + ' (cold):':48}{stats(runs)}")

    from driver.cli import load_functions
    from theories.interp import Machine
    funcs = load_functions(SEMANTICS)
    table = {n: (f[0], f[1]) for n, f in funcs.items()}
    names = [n for n in funcs if n.startswith("semantics_test")]
    t = time.perf_counter()
    worst, worst_name = 0.0, ""
    for n in names:
        t1 = time.perf_counter()
        assert Machine(table).run(n, []) is True, n
        dt = time.perf_counter() - t1
        if dt > worst:
            worst, worst_name = dt, n
    total = time.perf_counter() - t
    print(f"interpreter, all {len(names)} semantics tests:          {total * 1000:7.1f} ms "
          f"(slowest {worst_name}: {worst * 1000:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
