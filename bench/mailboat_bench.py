"""Benchmark: the paper's in-process Mailboat workload (§9.3, Figure 11) at 1 and 2 goroutines
(GOMAXPROCS to match) on tmpfs, printing requests/s (best and median run), the 2/1 scaling ratio
and the CPU time per request (it grows with contention, not with a busy machine), side by side
for this tree's file system and the global-lock file system of a baseline commit (default: main,
or the last commit before the lock-free file system if main already has it), which it builds in
a temporary `git worktree`.  Each request is, with equal odds, one Deliver of a 100-byte message
to one of 100 users at random, or one Pickup of a random user with its Deletes and the Unlock
(proofs/cmd/mailboat-bench).  Not a test: nothing is asserted.

    python bench/mailboat_bench.py [--runs N] [--seconds S] [--baseline REF]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tests.go_env import toolchain_env  # noqa: E402

BENCH_PKG = "proofs/cmd/mailboat-bench"
# the last commit whose prim/filesys held one package mutex across every call
GLOBAL_LOCK = "a0d2520"
ISSUE = {"original Mailboat (1 goroutine)": 81_000, "original Mailboat (2 goroutines)": 128_000}


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", ROOT, *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def lock_free(ref: str) -> bool:
    return subprocess.run(["git", "-C", ROOT, "cat-file", "-e",
                           f"{ref}:proofs/prim/filesys/tables.go"],
                          capture_output=True).returncode == 0


def build(tree: str, out: str, env: dict) -> str:
    """Builds the benchmark program of this tree against the file system of `tree`."""
    dest = os.path.join(tree, BENCH_PKG)
    if os.path.abspath(tree) != ROOT:
        os.makedirs(dest, exist_ok=True)
        shutil.copy(os.path.join(ROOT, BENCH_PKG, "main.go"), dest)
    subprocess.run(["go", "build", "-o", out, "./cmd/mailboat-bench"],
                   cwd=os.path.join(tree, "proofs"), env=env, check=True)
    return out


def run(exe: str, goroutines: int, seconds: float, shm: str, env: dict) -> tuple[float, float]:
    """(requests/s, CPU µs per request) of one run."""
    mail = tempfile.mkdtemp(prefix="mailboat-bench-", dir=shm)
    try:
        out = subprocess.run([exe, "-dir", mail, "-goroutines", str(goroutines),
                              "-duration", f"{seconds}s"],
                             env=dict(env, GOMAXPROCS=str(goroutines)), check=True,
                             capture_output=True, text=True).stdout
        words = out.split()  # "R requests/s, U µs user + S µs system CPU per request"
        return float(words[0]), float(words[2]) + float(words[6])
    finally:
        shutil.rmtree(mail, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="runs per cell")
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--baseline", default="main")
    args = ap.parse_args()
    env = toolchain_env()
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    if shm is None:
        print("warning: no /dev/shm; running on the default temp directory, not tmpfs")
    ref = args.baseline
    if lock_free(ref):
        print(f"{ref} already has the lock-free file system; baseline: {GLOBAL_LOCK}")
        ref = GLOBAL_LOCK
    work = tempfile.mkdtemp(prefix="mailboat-bench-")
    base_tree = os.path.join(work, "baseline")
    git("worktree", "add", "--detach", base_tree, ref)
    try:
        exes = {"this tree (lock-free filesys)": build(ROOT, os.path.join(work, "new"), env),
                f"{ref} {git('rev-parse', '--short', ref)} (global lock)":
                    build(base_tree, os.path.join(work, "old"), env)}
        results = {(name, g): [] for name in exes for g in (1, 2)}
        for _ in range(args.runs):  # interleaved, so that drift hits every cell alike
            for name, exe in exes.items():
                for g in (1, 2):
                    results[name, g].append(run(exe, g, args.seconds, shm, env))
        print(f"in-process Mailboat workload, {args.seconds:g} s per run, {args.runs} runs per "
              f"cell, {'tmpfs' if shm else 'temp dir'}, {os.cpu_count()} CPUs, load average "
              f"{os.getloadavg()[0]:.1f}")
        # Other processes only ever slow a run down, so the best run is the closest to what the
        # machine can do; the median shows how much the others took.
        print(f"{'file system':44} {'1 goroutine':>12} {'2 goroutines':>13} {'2/1':>6}"
              f"   CPU µs/request at 1 and 2")
        best = {k: max(r for r, _ in v) for k, v in results.items()}
        med = {k: statistics.median(r for r, _ in v) for k, v in results.items()}
        cpu = {k: statistics.median(c for _, c in v) for k, v in results.items()}
        for label, table in (("best", best), ("median", med)):
            for name in exes:
                one, two = table[name, 1], table[name, 2]
                print(f"{name + ', ' + label:44} {one:>10,.0f}/s {two:>11,.0f}/s "
                      f"{two / one:>6.2f}   {cpu[name, 1]:.1f} / {cpu[name, 2]:.1f}")
        names = list(exes)
        ratio = {g: best[names[0], g] / best[names[1], g] for g in (1, 2)}
        print(f"best runs, this tree / baseline: 1 goroutine {ratio[1]:.2f}, "
              f"2 goroutines {ratio[2]:.2f}")
        print("for reference, issue 11's measurements of the original Mailboat here: "
              + ", ".join(f"{k} {v:,}/s" for k, v in ISSUE.items()))
        print("all runs (requests/s):", {f"{n.split()[0]}@{g}": [round(r) for r, _ in v]
                                         for (n, g), v in results.items()})
    finally:
        git("worktree", "remove", "--force", base_tree)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
