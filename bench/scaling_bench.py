"""Benchmark: how checking time grows with proof size.  Four generated families, each at
n = 8, 16, 32, 64 (``--sizes``):

* ``cells``  -- a triple over n heap cells (n points-to, n stores, n intros);
* ``pure``   -- n pure facts in context and n pure goals, each needing one of them;
* ``inv``    -- n atomic steps, each opening and closing one invariant (the iterations of a loop
  body, unrolled);
* ``copies`` -- n copies of the swap proof (proofs/heap/swap.pv) in one file;

and ``recover_ok`` of the replicated disk (proofs/replicated_disk/rd_proof.pv).  Prints the
time per size (in-process, load and check of the generated file, median of ``--runs``) and the
ratio to the previous size: linear scaling is ×2 per doubling.  Not a test: nothing is
asserted.

    python bench/scaling_bench.py [--runs N] [--sizes 8,16,32,64] [--family cells]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def cells(k: int) -> str:
    xs = " ".join(f"x{i}" for i in range(k))
    body = ";;\n  ".join(f"x{i} <- {i}" for i in range(k))
    ls = " ".join(f"l{i}" for i in range(k))
    vs = " ".join(f"v{i}" for i in range(k))
    pre = " ∗ ".join(f"l{i} ↦[n] v{i}" for i in range(k))
    post = " ∗ ".join(f"l{i} ↦[n] {i}" for i in range(k))
    pat = "".join(f"[H{i} " for i in range(k - 1)) + f"H{k - 1}" + "]" * (k - 1)
    steps = "\n  ".join("wp_step. wp_pures." for _ in range(k))
    return (f"Function touch ({xs}) :=\n  {body}.\n\n"
            f"Theorem touch_spec (n : nat) ({ls} : loc) ({vs} : val) :\n"
            f"  {{{pre}}} touch({', '.join(f'#l{i}' for i in range(k))}) {{r. {post}}}[n].\n"
            f"Proof.\n  intros n {ls} {vs} \"{pat}\".\n  wp_call.\n  {steps}\n  frame.\nQed.\n")


def pure(k: int) -> str:
    xs = " ".join(f"x{i}" for i in range(k))
    hyps = " -∗ ".join(f"⌜x{i} < {i + 10}⌝" for i in range(k))
    goal = " ∧ ".join(f"⌜x{i} < {i + 11}⌝" for i in range(k))
    pat = " ".join(f"%H{i}" for i in range(k))
    split = "\n  ".join(["split. pure."] * (k - 1) + ["pure."])
    return (f"Theorem chain ({xs} : u64) :\n  {hyps} -∗ {goal}.\n"
            f"Proof.\n  intros {xs} \"{pat}\".\n  {split}\nQed.\n")


def inv(k: int) -> str:
    body = ";;\n  ".join(f"atomic_store(l, {i})" for i in range(k))
    step = ('inv_open "Hi" as "[%v Hl]". wp_step. wp_value.\n  split_l "Hl". '
            '{{ unfold cell_inv. exists ({i}). done. }} wp_pures.')
    steps = "\n  ".join(step.format(i=i) for i in range(k))
    return ("Predicate cell_inv (n : nat) (l : loc) := ∃ (v : u64). l ↦[n] v.\n\n"
            f"Function bump (l) :=\n  {body};;\n  ().\n\n"
            "Theorem bump_spec (n : nat) (l : loc) :\n"
            "  {inv(cN, cell_inv(n, l))} bump(#l) {r. True}[n].\n"
            f"Proof.\n  intros n l \"#Hi\".\n  wp_call.\n  {steps}\n  done.\nQed.\n")


def copies(k: int) -> str:
    with open(os.path.join(ROOT, "proofs", "heap", "swap.pv"), encoding="utf-8") as f:
        text = f.read().replace("Print Assumptions swap_spec.", "")
    return "\n".join(text.replace("swap", f"swap{i}") for i in range(k))


FAMILIES = {"cells": cells, "pure": pure, "inv": inv, "copies": copies}


def check_seconds(path: str, runs: int, theorem: str | None = None) -> float:
    """Median in-process CPU time (other processes on the machine disturb it less than wall
    time) of loading ``path`` with a fresh kernel, or of checking ``theorem`` alone (its
    tactics and kernel check), after one warm-up run; fails loudly if anything is not
    proven."""
    from driver.load import Session
    spent = {}

    class Timed(Session):
        def run_theorem(self, path, thm):
            t0 = time.process_time()
            super().run_theorem(path, thm)
            spent[thm.name.rpartition(".")[2]] = time.process_time() - t0  # (qualified by module)

    times = []
    for i in range(runs + 1):
        c = Timed()
        t0 = time.process_time()
        c.load_file(path)
        dt = time.process_time() - t0
        bad = [r for r in c.results if r.status != "proved"]
        if bad or c.diagnostics:
            raise SystemExit(f"{path}: not proven: {bad} "
                             f"{[d.render() for d in c.diagnostics][:2]}")
        if i:
            times.append(spent[theorem] if theorem is not None else dt)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", default="8,16,32,64")
    ap.add_argument("--family", action="append", choices=sorted(FAMILIES))
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as d:
        for name in args.family or FAMILIES:
            row, prev = [], None
            for k in sizes:
                path = os.path.join(d, f"{name}_{k}.pv")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(FAMILIES[name](k))
                t = check_seconds(path, args.runs)
                row.append(f"n={k}: {t * 1000:.0f} ms" + (f" (×{t / prev:.2f})" if prev else ""))
                prev = t
            print(f"{name:7} " + ", ".join(row))
    rd = os.path.join(ROOT, "proofs", "replicated_disk", "rd_proof.pv")
    print(f"recover_ok (proofs/replicated_disk/rd_proof.pv): "
          f"{check_seconds(rd, args.runs, 'recover_ok') * 1000:.0f} ms")


if __name__ == "__main__":
    from driver.deep import deep    # big proofs nest deeper than Python's default stack
    deep(main)
