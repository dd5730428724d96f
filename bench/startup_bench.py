"""Benchmark: pv's start-up, whole process, as the `pv` console script runs it: `pv --version`,
`pv --help` and `pv check proofs/bench/spin_lock.pv` (without the proof cache, and from a warm
one) with bytecode in each state a user meets --

* ``PYTHONDONTWRITEBYTECODE=1``, pv's own bytecode cache (``$XDG_CACHE_HOME/pv/pycache``) warm;
* ``PYTHONDONTWRITEBYTECODE=1``, first run: nothing compiled yet;
* ``PYTHONDONTWRITEBYTECODE=1 PV_NO_BYTECODE_CACHE=1``: every run compiles;
* without ``PYTHONDONTWRITEBYTECODE``: ``__pycache__`` beside the sources (the checkout's
  ``__pycache__`` directories are removed before the other rows: Python reads them even where
  it may not write them) --

in a fresh virtualenv (what a user's or a CI's install runs in; `pv_command.venv_pv`) and with
this interpreter, printing each one's own floor (``python -c pass``) beside pv's and saying
when this interpreter runs site ``.pth`` hooks a virtualenv would not.  Where Coq and Iris are
installed (Debian packages coq, libcoq-iris), `coqc` on Iris's own heap_lang/lib/spin_lock.v in
the same run, and the ratios.  Min and median wall time, median CPU time (user+sys: less
disturbed by other processes) of ``--runs`` runs.  Not a test: nothing is asserted.

    python bench/startup_bench.py [--runs N] [--no-coq]
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
from pv_command import PV, site_hooks, venv_pv  # noqa: E402
from spin_lock_bench import with_iris_spin_lock  # noqa: E402
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


def measure(cmd, env, runs, fresh=None, cwd=ROOT):
    """(min wall, median wall, median CPU) in seconds; ``fresh()`` is called before each run."""
    walls, cpus = [], []
    for _ in range(runs):
        if fresh:
            fresh()
        w, c = run(cmd, env, cwd)
        walls.append(w)
        cpus.append(c)
    return min(walls), statistics.median(walls), statistics.median(cpus)


def drop_pycache():
    """Remove the ``__pycache__`` directories of the checkout: Python reads them even where it
    may not write them, so a row without them must not find any left by an earlier run."""
    for top, dirs, _ in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in (".git", "node_modules")]
        if "__pycache__" in dirs:
            shutil.rmtree(os.path.join(top, "__pycache__"), ignore_errors=True)
            dirs.remove("__pycache__")


def rows_for(python, pv, runs, scratch):
    """The figures of one interpreter: its floor, then pv's."""
    cache = os.path.join(scratch, "xdg")
    base = {k: v for k, v in os.environ.items()
            if k not in ("PYTHONDONTWRITEBYTECODE", "PV_NO_BYTECODE_CACHE", "PYTHONPYCACHEPREFIX",
                         "PYTHONPATH")}
    base.update(XDG_CACHE_HOME=cache, PV_CACHE_DIR=os.path.join(scratch, "proofs"))
    nowrite = dict(base, PYTHONDONTWRITEBYTECODE="1")

    def empty_bytecode_cache():
        shutil.rmtree(os.path.join(cache, "pv", "pycache"), ignore_errors=True)

    rows = [("python -c pass (the interpreter's own start)",
             measure([python, "-c", "pass"], nowrite, runs)),
            ("python -S -c pass (without site)", measure([python, "-S", "-c", "pass"], nowrite,
                                                         runs))]
    run(pv + ["--version"], nowrite)                      # fill pv's bytecode cache
    rows.append(("pv --version", measure(pv + ["--version"], nowrite, runs)))
    run(pv + ["--help"], nowrite)
    rows.append(("pv --help", measure(pv + ["--help"], nowrite, runs)))
    check = pv + ["check", "--no-cache", SPIN]           # the tactics run (no proof cache)
    drop_pycache()
    run(check, nowrite)
    spins = {}
    spins["no proof cache, bytecode in pv's cache"] = measure(check, nowrite, runs)
    spins["no proof cache, nothing compiled yet (first run)"] = measure(
        check, nowrite, runs, fresh=empty_bytecode_cache)
    spins["no proof cache, compiling every run (PV_NO_BYTECODE_CACHE=1)"] = measure(
        check, dict(nowrite, PV_NO_BYTECODE_CACHE="1"), runs)
    run(check, base)                                      # writes __pycache__ again
    spins["no proof cache, bytecode in __pycache__ (no PYTHONDONTWRITEBYTECODE)"] = measure(
        check, base, runs)
    warm = pv + ["check", SPIN]
    run(warm, base)                                       # fills the proof cache
    spins["proof cache warm (kernel re-checks), bytecode in __pycache__"] = measure(
        warm, base, runs)
    drop_pycache()
    spins["proof cache warm (kernel re-checks), bytecode in pv's cache"] = measure(
        warm, nowrite, runs)
    rows += [(f"spin lock, {k}", v) for k, v in spins.items()]
    return rows, spins


def show(rows):
    for what, (lo, med, cpu) in rows:
        print(f"  {what}: min {lo * 1000:.0f} ms, median {med * 1000:.0f} ms wall, "
              f"{cpu * 1000:.0f} ms CPU")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--no-coq", action="store_true", help="skip coqc")
    args = ap.parse_args()
    hooks = site_hooks()
    results = {}
    with tempfile.TemporaryDirectory() as scratch, venv_pv() as (vpy, vpv):
        print(f"in a fresh virtualenv of {sys.executable} (the figures a user's install sees):")
        rows, results["virtualenv"] = rows_for(vpy, vpv, args.runs, os.path.join(scratch, "v"))
        show(rows)
        print(f"with {sys.executable} itself:")
        if hooks:
            print(f"  (it runs {len(hooks)} site .pth hook(s) at every start that a virtualenv "
                  f"does not: {', '.join(os.path.basename(h) for h in hooks)}; its floor and "
                  "every figure below include them)")
        rows, results["this interpreter"] = rows_for(sys.executable, PV, args.runs,
                                                     os.path.join(scratch, "s"))
        show(rows)
    if args.no_coq:
        return
    got = with_iris_spin_lock(lambda cmd, d: measure(cmd, dict(os.environ), args.runs, cwd=d))
    if got is None:
        return
    clo, cmed, ccpu = got
    print(f"coqc iris/heap_lang/lib/spin_lock.v: min {clo * 1000:.0f} ms, median "
          f"{cmed * 1000:.0f} ms wall, {ccpu * 1000:.0f} ms CPU")
    for where, spins in results.items():
        print(f"ratio coqc / pv check spin lock ({where}), median wall (CPU):")
        for what, (_, med, cpu) in spins.items():
            print(f"  {what}: {cmed / med:.1f}x ({ccpu / cpu:.1f}x)")


if __name__ == "__main__":
    main()
