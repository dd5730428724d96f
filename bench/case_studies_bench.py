"""Benchmark: for each case study with proofs, the size of its spec + relations + proofs (non-blank,
non-comment lines, generated models excluded) and `pv check` of its folder from a cold start,
against the issue targets and Perennial's Coq figures.  Not a test: nothing is asserted.

    python bench/case_studies_bench.py [--runs N]
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# folder -> (target lines, target seconds, Perennial's Coq proof lines, spec files elsewhere)
STUDIES = {"replicated_disk": (300, 1.0, 1190, ()),
           "shadow": (100, 1.0, 390, ("pair/pair_spec.pv",)),
           "wal": (230, 1.0, 930, ("pair/pair_spec.pv",))}


def proof_lines(folder: str, extra=()) -> int:
    """Non-blank, non-comment lines of the folder's .pv files (not the generated models) and of
    the spec files it shares with other case studies (``extra``, relative to proofs/)."""
    names = [os.path.join(folder, n) for n in sorted(os.listdir(folder))
             if n.endswith(".pv") and not n.endswith("_goose.pv")]
    names += [os.path.join(os.path.dirname(folder), e) for e in extra]
    total = 0
    for path in names:
        text = open(path, encoding="utf-8").read()
        text = re.sub(r"\(\*.*?\*\)", "", text, flags=re.S)
        total += sum(1 for line in text.splitlines() if line.strip())
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    env = dict(os.environ, PYTHONPATH=ROOT)
    for study, (max_lines, max_s, coq_lines, extra) in STUDIES.items():
        folder = os.path.join(ROOT, "proofs", study)
        times, ok = [], True
        for _ in range(args.runs):
            t0 = time.perf_counter()
            p = subprocess.run([sys.executable, "-m", "driver.cli", "check", "--no-cache", "-q",
                                folder],
                               capture_output=True, text=True, env=env, cwd=ROOT)
            times.append(time.perf_counter() - t0)
            ok = ok and p.returncode == 0
        lines = proof_lines(folder, extra)
        print(f"{study}: {lines} proof lines (target ≤ {max_lines}; Perennial {coq_lines}, "
              f"{coq_lines / lines:.1f}x), pv check median {statistics.median(times):.2f} s "
              f"(target ≤ {max_s} s) [{'ok' if ok else 'FAILED'}]")


if __name__ == "__main__":
    main()
