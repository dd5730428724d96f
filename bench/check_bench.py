"""Benchmark: `pv check proofs/` as a whole process, with the proof cache (driver/cache.py) in
each state, at -j 1 and -j 2, side by side --

* cold: an empty cache (the tactics run, and the cache is filled);
* ``--no-cache``: the tactics run, nothing is stored;
* warm: every theorem's derivation comes from the cache and the kernel re-checks it;
* warm, ``--trust-cache``: the kernel does not re-check the cached theorems.

Wall time (median) and CPU time (user+sys of the pv processes, median: less disturbed by other
jobs on the machine; at -j 2 it adds the workers').  Not a test: nothing is asserted beyond each
run passing, and that the warm runs took every theorem from the cache.

    python bench/check_bench.py [--runs N] [PATH ...]
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
PV = [sys.executable, "-c", "import sys; from driver import entry; sys.exit(entry())"]


def run(cmd, env):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[3:])} failed ({p.returncode}): {p.stderr[-400:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, p.stdout.strip().splitlines()[-1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("paths", nargs="*", default=["proofs/"])
    args = ap.parse_args()
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        cache = os.path.join(tmp, "proofs")
        env = dict(os.environ, PYTHONPATH=ROOT, PV_CACHE_DIR=cache)
        check = PV + ["check", "-q"]
        run(check + ["--no-cache"] + args.paths, env)       # pv's bytecode, warm for all

        def empty():
            shutil.rmtree(cache, ignore_errors=True)

        states = [("cold (empty cache)", [], empty), ("--no-cache", ["--no-cache"], None),
                  ("warm (kernel re-checks)", [], None),
                  ("warm, --trust-cache", ["--trust-cache"], None)]
        for jobs in ("1", "2"):
            for name, flags, fresh in states:
                if name.startswith("warm"):
                    run(check + args.paths, env)             # fill the cache
                walls, cpus = [], []
                for _ in range(args.runs):
                    if fresh:
                        fresh()
                    wall, cpu, summary = run(check + ["-j", jobs] + flags + args.paths, env)
                    walls.append(wall)
                    cpus.append(cpu)
                if name.startswith("warm, --trust") and "trusted" not in summary:
                    raise SystemExit(f"the trusted run took nothing from the cache: {summary}")
                rows.setdefault(name, {})[jobs] = (statistics.median(walls),
                                                   statistics.median(cpus))
    print(f"pv check {' '.join(args.paths)} -- whole process, median of {args.runs} "
          f"(wall / CPU seconds)")
    print(f"{'':28}{'-j 1':>18}{'-j 2':>18}")
    for name, by_jobs in rows.items():
        cells = "".join(f"{by_jobs[j][0]:8.2f} /{by_jobs[j][1]:6.2f} s" for j in ("1", "2"))
        print(f"{name:28}{cells}")
    load = os.getloadavg()[0]
    print(f"(load average {load:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
