"""Benchmark: pv's start-up, whole process, as the `pv` console script runs it: `pv --version`,
`pv --help` and `pv check proofs/bench/spin_lock.pv` with bytecode in each state a user meets
--

* ``PYTHONDONTWRITEBYTECODE=1``, first run: nothing compiled yet (pv's own bytecode cache empty);
* ``PYTHONDONTWRITEBYTECODE=1``, later runs: pv's cache (``$XDG_CACHE_HOME/pv/pycache``) warm;
* ``PYTHONDONTWRITEBYTECODE=1 PV_NO_BYTECODE_CACHE=1``: every run compiles (pv before the
  cache);
* without ``PYTHONDONTWRITEBYTECODE``: ``__pycache__`` beside the sources --

and, where Coq and Iris are installed (Debian packages coq, libcoq-iris), `coqc` on Iris's own
heap_lang/lib/spin_lock.v in the same run, with the ratio.  Wall time (median) and CPU time
(user+sys, median: less disturbed by other processes).  Not a test: nothing is asserted.

    python bench/startup_bench.py [--runs N]
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from spin_lock_bench import with_iris_spin_lock  # noqa: E402

# what the installed `pv` script does (setup.cfg: pv = driver:entry)
PV = [sys.executable, "-c", "import sys; from driver import entry; sys.exit(entry())"]
SPIN = os.path.join("proofs", "bench", "spin_lock.pv")


def run(cmd, env, cwd=ROOT):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[-2:])} failed ({p.returncode}): {p.stderr[-300:]}")
    return wall, cpu


def median_of(cmd, env, runs, fresh=None, cwd=ROOT):
    """Median wall and CPU seconds; ``fresh`` (a function) is called before each run."""
    walls, cpus = [], []
    for _ in range(runs):
        if fresh:
            fresh()
        w, c = run(cmd, env, cwd)
        walls.append(w)
        cpus.append(c)
    return statistics.median(walls), statistics.median(cpus)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as cache:
        base = {k: v for k, v in os.environ.items()
                if k not in ("PYTHONDONTWRITEBYTECODE", "PV_NO_BYTECODE_CACHE",
                             "PYTHONPYCACHEPREFIX")}
        base.update(PYTHONPATH=ROOT, XDG_CACHE_HOME=cache)
        nowrite = dict(base, PYTHONDONTWRITEBYTECODE="1")
        pycache = os.path.join(cache, "pv")

        def empty_cache():
            shutil.rmtree(pycache, ignore_errors=True)

        # the interpreter alone: what no change to pv can remove (``-S``: without site's .pth
        # files, which on some machines import packages at every start)
        rows.append(("python -c pass (interpreter start, site included)",
                     median_of([sys.executable, "-c", "pass"], nowrite, args.runs)))
        rows.append(("python -S -c pass (interpreter start, no site)",
                     median_of([sys.executable, "-S", "-c", "pass"], nowrite, args.runs)))
        run(PV + ["--version"], nowrite)                       # fill pv's cache
        rows.append(("pv --version", median_of(PV + ["--version"], nowrite, args.runs)))
        run(PV + ["--help"], nowrite)
        rows.append(("pv --help", median_of(PV + ["--help"], nowrite, args.runs)))
        check = PV + ["check", "--no-cache", SPIN]     # the tactics run (no proof cache)
        rows.append(("spin lock, PYTHONDONTWRITEBYTECODE=1, first run (nothing compiled)",
                     median_of(check, nowrite, args.runs, fresh=empty_cache)))
        run(check, nowrite)
        warm = median_of(check, nowrite, args.runs)
        rows.append(("spin lock, PYTHONDONTWRITEBYTECODE=1, pv's bytecode cache warm", warm))
        rows.append(("spin lock, PYTHONDONTWRITEBYTECODE=1 PV_NO_BYTECODE_CACHE=1 "
                     "(compiles every run)",
                     median_of(check, dict(nowrite, PV_NO_BYTECODE_CACHE="1"), args.runs)))
        run(check, base)                                       # writes __pycache__
        tree = median_of(check, base, args.runs)
        rows.append(("spin lock, bytecode in __pycache__ (no PYTHONDONTWRITEBYTECODE)", tree))
    for what, (wall, cpu) in rows:
        print(f"{what}: median {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU")

    got = with_iris_spin_lock(lambda cmd, d: median_of(cmd, dict(os.environ), args.runs, cwd=d))
    if got is None:
        return
    cwall, ccpu = got
    print(f"coqc iris/heap_lang/lib/spin_lock.v: median {cwall * 1000:.0f} ms wall, "
          f"{ccpu * 1000:.0f} ms CPU")
    for what, (wall, cpu) in (("pv cache warm", warm), ("__pycache__", tree)):
        print(f"ratio coqc / pv ({what}): {cwall / wall:.1f}x wall, {ccpu / cpu:.1f}x CPU")


if __name__ == "__main__":
    main()
