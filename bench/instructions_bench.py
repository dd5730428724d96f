"""Benchmark: instructions executed (valgrind's cachegrind, no cache simulation) by pv runs,
for this checkout and optionally another one side by side.  On a shared 2-core machine wall
and even CPU times of one run vary by ±10%; the instruction count of the same run varies by
about 0.01% (``PYTHONHASHSEED`` is fixed), so a change of 1% is seen in one run of each.

Cases:

* ``warm``  -- `pv check proofs/` with a filled proof cache (the kernel re-checks every
  derivation, no tactic runs);
* ``cold``  -- `pv check --no-cache proofs/` (tactics and kernel);
* ``spin``  -- `pv check --no-cache proofs/bench/spin_lock.pv` (start-up dominates);
* ``cells`` -- the heap-cells family of bench/scaling_bench.py at n = 16, 32, 64, 128: the
  instructions each doubling adds, and the ratio of consecutive increments (linear: ×2.0,
  the constant start-up and file set-up cancel out).

About 30× slower than a plain run (warm ≈ 35 s, cold ≈ 60 s, cells ≈ 40 s per checkout).
Not a test: nothing is asserted beyond each run passing.  Installs Debian's valgrind when it
is missing.

    python bench/instructions_bench.py [--base OTHER_CHECKOUT] [--case warm --case cells ...]
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from debian import ensure, have  # noqa: E402
from scaling_bench import cells  # noqa: E402

CASES = ("warm", "cold", "spin", "cells")
SIZES = (16, 32, 64, 128)


def pv_command(checkout: str) -> list:
    """pv as its console script starts it, with ``checkout`` first on the path."""
    return [sys.executable, "-c", f"import sys; sys.path.insert(0, {checkout!r}); "
            "from driver import entry; sys.argv[0] = 'pv'; sys.exit(entry())"]


def instructions(cmd: list, env: dict, cwd: str = ROOT) -> int:
    p = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no",
                        "--cachegrind-out-file=/dev/null", *cmd], cwd=cwd, env=env,
                       capture_output=True, text=True)
    m = re.search(r"I\s+refs:\s+([\d,]+)", p.stderr)
    if p.returncode != 0 or m is None:
        raise SystemExit(f"{' '.join(cmd[3:])} failed ({p.returncode}): {p.stderr[-600:]}")
    return int(m.group(1).replace(",", ""))


def measure(checkout: str, case: str, cache: str, files: str) -> list:
    """[(label, instructions)] for one case run from ``checkout``."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "PV_CACHE_DIR": cache}
    pv = pv_command(checkout)
    if case == "warm":
        subprocess.run(pv + ["check", "-j", "1", "-q", "proofs/"], cwd=ROOT, env=env,
                       capture_output=True, check=True)           # fill the cache
        return [("pv check proofs/ (warm cache)", instructions(pv + ["check", "-j", "1", "-q", "proofs/"],
                                                               env))]
    if case == "cold":
        return [("pv check --no-cache proofs/",
                 instructions(pv + ["check", "-j", "1", "-q", "--no-cache", "proofs/"], env))]
    if case == "spin":
        return [("spin lock, --no-cache", instructions(
            pv + ["check", "-j", "1", "-q", "--no-cache", "proofs/bench/spin_lock.pv"], env))]
    out = []
    for n in SIZES:
        path = os.path.join(files, f"cells_{n}.pv")
        out.append((f"cells n={n}", instructions(pv + ["check", "-j", "1", "-q", "--no-cache", path], env)))
    return out


def growth(rows: list) -> str:
    """The ratio of consecutive increments of the cells family."""
    inc = [b - a for (_, a), (_, b) in zip(rows, rows[1:])]
    return "  ".join(f"{SIZES[i + 1]}→{SIZES[i + 2]}: ×{inc[i + 1] / inc[i]:.2f}"
                     for i in range(len(inc) - 1))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", help="another checkout to compare with (e.g. a git worktree)")
    ap.add_argument("--case", action="append", choices=CASES)
    args = ap.parse_args()
    if not ensure(["valgrind"], lambda: have("valgrind")):
        print("instructions_bench: needs valgrind (Debian's valgrind)", file=sys.stderr)
        return 2
    checkouts = [("this", ROOT)] + ([("base", os.path.abspath(args.base))] if args.base else [])
    with tempfile.TemporaryDirectory(prefix="pv-icount-") as d:
        for n in SIZES:
            with open(os.path.join(d, f"cells_{n}.pv"), "w", encoding="utf-8") as f:
                f.write(cells(n))
        for case in args.case or CASES:
            results = {}
            for name, path in checkouts:
                cache = os.path.join(d, f"cache-{name}")
                results[name] = measure(path, case, cache, d)
            for i, (label, n) in enumerate(results["this"]):
                line = f"{label:34} {n / 1e9:8.3f} G instructions"
                if "base" in results:
                    b = results["base"][i][1]
                    line += f"   base {b / 1e9:8.3f} G   this/base {n / b:.3f}"
                print(line, flush=True)
            if case == "cells":
                for name, _ in checkouts:
                    print(f"  increments per doubling ({name}): {growth(results[name])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
