"""Benchmark: `pv check proofs/bench/spin_lock.pv`, whole process, in a fresh virtualenv, with
and without ``PYTHONDONTWRITEBYTECODE`` and with and without the proof cache, `pv --help`, and
-- where Coq and Iris are installed (Debian packages coq, libcoq-iris; installed with apt-get
when missing) -- `coqc` on Iris's own heap_lang/lib/spin_lock.v.  Prints the figures and their
ratios.  Not a test: nothing is asserted (bench/startup_bench.py has more rows).

    python bench/spin_lock_bench.py [--runs N]
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
import debian  # noqa: E402
from pv_command import venv_pv  # noqa: E402


def timed(cmd, cwd=ROOT, env=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return dt, p, max(after.ru_maxrss, before.ru_maxrss) / 1024


def median_run(cmd, runs, **kw):
    times, mem, last = [], 0.0, None
    for _ in range(runs):
        dt, p, m = timed(cmd, **kw)
        times.append(dt)
        mem = max(mem, m)
        last = p
    return statistics.median(times), min(times), mem, last


def find_iris_spin_lock():
    debian.ensure(["coq", "libcoq-iris"], lambda: find_iris_spin_lock_now()[1] is not None)
    return find_iris_spin_lock_now()


def find_iris_spin_lock_now():
    coqc = shutil.which("coqc")
    if not coqc:
        return None, None
    where = subprocess.run([coqc, "-where"], capture_output=True, text=True).stdout.strip()
    for base in (where, "/usr/lib/coq", "/usr/lib/ocaml/coq"):
        p = os.path.join(base, "user-contrib", "iris", "heap_lang", "lib", "spin_lock.v")
        if os.path.exists(p):
            return coqc, p
    return coqc, None


def with_iris_spin_lock(measure):
    """``measure(coqc command, directory)`` on a copy of Iris's spin_lock.v, or None (saying
    why) where Coq or Iris is not installed."""
    coqc, iris = find_iris_spin_lock()
    if not coqc:
        print("coqc: not installed (apt-get install coq libcoq-iris) -- no comparison")
        return None
    if not iris:
        print("coqc found, but Iris's heap_lang/lib/spin_lock.v is not installed "
              "(apt-get install libcoq-iris) -- no comparison")
        return None
    with tempfile.TemporaryDirectory() as d:
        shutil.copy(iris, os.path.join(d, "spin_lock.v"))
        return measure([coqc, "-noglob", "spin_lock.v"], d)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    pv_file = os.path.join("proofs", "bench", "spin_lock.pv")
    with tempfile.TemporaryDirectory() as scratch, venv_pv() as (py, pv):
        base = {k: v for k, v in os.environ.items()
                if k not in ("PYTHONDONTWRITEBYTECODE", "PV_NO_BYTECODE_CACHE", "PYTHONPATH")}
        base.update(XDG_CACHE_HOME=scratch, PV_CACHE_DIR=os.path.join(scratch, "proofs"))
        envs = {"PYTHONDONTWRITEBYTECODE=1 (pv's bytecode cache)":
                dict(base, PYTHONDONTWRITEBYTECODE="1"),
                "bytecode in __pycache__": base}
        floor, _, _, _ = median_run([py, "-c", "pass"], args.runs, env=base)
        print(f"(a fresh virtualenv; its interpreter alone, python -c pass: {floor:.3f} s)")
        pvs = {}
        for name, env in envs.items():
            for cache in (["--no-cache"], []):
                cmd = pv + ["check", *cache, pv_file]
                timed(cmd, env=env)                       # bytecode and proof cache filled
                med, best, mem, p = median_run(cmd, args.runs, env=env)
                status = "ok" if p.returncode == 0 else f"FAILED (exit {p.returncode})"
                what = f"{name}, {'no proof cache' if cache else 'proof cache warm'}"
                pvs[what] = (med, best, mem)
                print(f"pv check {pv_file}, {what}: median {med:.3f} s, best {best:.3f} s, "
                      f"max RSS {mem:.0f} MB [{status}]")
        hmed, hbest, _, _ = median_run(pv + ["--help"], args.runs, env=base)
        print(f"pv --help: median {hmed:.3f} s, best {hbest:.3f} s")

    got = with_iris_spin_lock(lambda cmd, d: median_run(cmd, args.runs, cwd=d))
    if got is None:
        return
    cmed, cbest, cmem, cp = got
    cstatus = "ok" if cp.returncode == 0 else f"FAILED: {cp.stderr.strip()[:200]}"
    print(f"coqc iris/heap_lang/lib/spin_lock.v: median {cmed:.3f} s, best {cbest:.3f} s, "
          f"max RSS {cmem:.0f} MB [{cstatus}]")
    if cp.returncode == 0:
        for what, (med, best, mem) in pvs.items():      # (best: least disturbed by load)
            print(f"ratio coqc / pv ({what}): {cmed / med:.1f}x median time, "
                  f"{cbest / best:.1f}x best time, {cmem / max(mem, 1):.1f}x memory")


if __name__ == "__main__":
    main()
