"""Benchmark: for each case study with proofs, the size of its spec + relations + proofs (non-blank,
non-comment lines, generated models excluded) and `pv check --no-cache` of its folder, whole
process, against the issue targets and Perennial's Coq figures.  Not a test: nothing is
asserted.

    python bench/case_studies_bench.py [--runs N]

The check is timed as a user's or a CI's install runs pv, the console script in a fresh
virtualenv (`pv_command.venv_pv`), and with this interpreter beside it when its site runs
start-up hooks a virtualenv does not (named; on the development machine ~30 ms per start).
Wall and CPU time (user + sys of the child), min and median of ``--runs``.
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
sys.path.insert(0, os.path.join(ROOT, "bench"))
from pv_command import PV, site_hooks, venv_pv  # noqa: E402
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


def timed_check(cmd, folder, runs, env):
    """(wall times, CPU times, all succeeded) of ``runs`` checks of ``folder``."""
    walls, cpus, ok = [], [], True
    for _ in range(runs):
        before = os.times()
        t0 = time.perf_counter()
        p = subprocess.run(cmd + ["check", "--no-cache", "-q", folder],
                           capture_output=True, text=True, env=env, cwd=ROOT)
        walls.append(time.perf_counter() - t0)
        after = os.times()
        cpus.append(after.children_user - before.children_user +
                    after.children_system - before.children_system)
        ok = ok and p.returncode == 0
    return walls, cpus, ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    env = dict(os.environ, PYTHONPATH=ROOT)
    hooks = site_hooks()
    with venv_pv() as (_, venv_cmd):
        cmds = [("fresh virtualenv", venv_cmd)]
        if hooks:
            cmds.append(("this interpreter, with its site hooks "
                         + ", ".join(os.path.basename(h) for h in hooks), PV))
        for study, (max_lines, max_s, coq_lines, extra) in STUDIES.items():
            folder = os.path.join(ROOT, "proofs", study)
            lines = proof_lines(folder, extra)
            print(f"{study}: {lines} proof lines (target ≤ {max_lines}; Perennial {coq_lines}, "
                  f"{coq_lines / lines:.1f}x)")
            for label, cmd in cmds:
                walls, cpus, ok = timed_check(cmd, folder, args.runs, env)
                met = "met" if statistics.median(walls) <= max_s else "MISSED"
                print(f"  pv check --no-cache, {label}: wall min {min(walls):.2f} s, median "
                      f"{statistics.median(walls):.2f} s; CPU min {min(cpus):.2f} s, median "
                      f"{statistics.median(cpus):.2f} s (target ≤ {max_s} s: {met}) "
                      f"[{'ok' if ok else 'FAILED'}]")


if __name__ == "__main__":
    main()
