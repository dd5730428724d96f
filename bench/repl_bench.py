"""Benchmark of `pv repl`: per-sentence latency when the largest proof in proofs/ is replayed
through the REPL engine, and the time until the REPL is ready for input in a terminal.  Prints
the figures against the targets (p95 ≤ 30 ms per step, ready ≤ 0.5 s).  Not a test: nothing
is asserted.

    python bench/repl_bench.py [--rounds N] [--runs N]

Latency: the proof is entered with `ReplEngine(file, until=<line of its Proof>)`; each
sentence of its script (a tactic or a bullet, with its source text as written in the file) is
given to `ReplEngine.execute`, which parses it, runs it and renders the goals; the time of each
call is one sample.  ``--rounds`` replays (after a `Restart.`) give more samples; `Undo.` and
`Qed.` are timed too, and the `Undo.` of the `Qed.` (which reloads the file and replays).

Ready: `pv repl FILE --until LINE` is started in a pseudo-terminal (the console script `pv`
when it is installed, else `python -m driver.cli`), and the time until the prompt shows up on
the terminal is measured (the terminal answers prompt_toolkit's cursor-position request; the
prompt's trailing blank is drawn as a cursor move, so the prompt is looked for without it).
"""
from __future__ import annotations

import argparse
import glob
import os
import select
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from repl import sentences as S  # noqa: E402
from repl.engine import ReplEngine  # noqa: E402
from seplogic.document import TheoremDef  # noqa: E402
from seplogic.parser import parse_file  # noqa: E402

P95_TARGET_MS = 30.0
READY_TARGET_S = 0.5


def largest_proof():
    """(path, theorem, text) of the proof with the most sentences in proofs/."""
    best = None
    for path in sorted(glob.glob(os.path.join(ROOT, "proofs", "**", "*.pv"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for c in parse_file(text, path).commands:
            if isinstance(c, TheoremDef) and c.proof is not None and c.proof.steps:
                script = proof_sentences(text, c)
                if best is None or len(script) > len(best[2]):
                    best = (path, c, script)
    return best


def proof_sentences(text, thm):
    """The source text of each sentence between `Proof.` and `Qed.`."""
    start = S.offset_of(text, thm.proof.pos.line, thm.proof.pos.col) + len("Proof.")
    end = S.offset_of(text, thm.proof.end_pos.line, thm.proof.end_pos.col)
    return [s.text for s in S.split(text[start:end])]


def pct(xs, p):
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100
    i = int(k)
    return xs[i] if i + 1 >= len(xs) else xs[i] + (xs[i + 1] - xs[i]) * (k - i)


def latency(rounds: int):
    path, thm, script = largest_proof()
    e = ReplEngine(path, until=thm.proof.pos.line)
    assert e.in_proof and e.errors == 0, e.load_report
    steps, undo = [], []
    for r in range(rounds):
        if r:
            e.execute("Restart.")
        for sent in script:
            t0 = time.perf_counter()
            out = e.execute(sent)
            steps.append((time.perf_counter() - t0) * 1000)
            if out.startswith("Error"):
                raise SystemExit(f"replay failed at {sent!r}:\n{out}")
            t0 = time.perf_counter()
            e.execute("Undo.")
            undo.append((time.perf_counter() - t0) * 1000)
            e.execute(sent)
    t0 = time.perf_counter()
    out = e.execute("Qed.")
    qed = (time.perf_counter() - t0) * 1000
    assert "is proved" in out, out
    t0 = time.perf_counter()
    e.execute("Undo.")           # the kernel changed: the file is loaded again and replayed
    replay = (time.perf_counter() - t0) * 1000
    assert e.in_proof and e.proof.ps.finished()
    return path, thm.name, len(script), steps, undo, qed, replay


def _pv_command():
    pv = shutil.which("pv")
    return [pv] if pv else [sys.executable, "-m", "driver.cli"]


def ready_once(cmd, prompt: bytes, timeout=10.0) -> float:
    import fcntl
    import pty
    import struct
    import termios
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 120, 0, 0))
    env = dict(os.environ, TERM="xterm-256color",
               PV_HISTORY=os.path.join(os.environ.get("TMPDIR", "/tmp"), "pv_bench_history"))
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=env,
                         start_new_session=True)
    os.close(slave)
    seen, dt = b"", None
    try:
        while time.perf_counter() - t0 < timeout:
            r, _, _ = select.select([master], [], [], 0.05)
            if not r:
                continue
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            seen += data
            if b"\x1b[6n" in data:                 # cursor position request: answer it
                os.write(master, b"\x1b[1;1R")
            if prompt in seen:
                dt = time.perf_counter() - t0
                break
        os.write(master, b"\x04")                  # Ctrl-D: leave
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    finally:
        os.close(master)
    if dt is None:
        raise SystemExit(f"no prompt from {' '.join(cmd)}; got:\n{seen.decode(errors='replace')}")
    return dt


def ready(runs: int):
    swap = os.path.join("proofs", "heap", "swap.pv")
    with open(os.path.join(ROOT, swap), encoding="utf-8") as f:
        line = next(i for i, ln in enumerate(f, 1) if "wp_call." in ln)
    path, thm, _ = largest_proof()
    rel = os.path.relpath(path, ROOT)
    cases = [([*_pv_command(), "repl", swap, "--until", str(line)], b"swap_spec <"),
             ([*_pv_command(), "repl", rel, "--until", str(thm.proof.pos.line)],
              f"{thm.name} <".encode()),
             ([*_pv_command(), "repl"], b"pv <")]
    out = []
    for cmd, prompt in cases:
        ready_once(cmd, prompt)                     # warm the file system cache
        times = [ready_once(cmd, prompt) for _ in range(runs)]
        out.append((cmd, times))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=5, help="replays of the proof (default 5)")
    ap.add_argument("--runs", type=int, default=5, help="starts of `pv repl` (default 5)")
    args = ap.parse_args()

    path, name, n, steps, undo, qed, replay = latency(args.rounds)
    p50, p95 = pct(steps, 50), pct(steps, 95)
    print(f"largest proof: {name} in {os.path.relpath(path, ROOT)} ({n} sentences), "
          f"{args.rounds} replays through ReplEngine.execute")
    print(f"  per sentence: p50 {p50:.2f} ms, p95 {p95:.2f} ms, max {max(steps):.2f} ms  "
          f"(target p95 <= {P95_TARGET_MS:.0f} ms: {'met' if p95 <= P95_TARGET_MS else 'MISSED'})")
    first = steps[:n]
    print(f"  first replay only: p50 {pct(first, 50):.2f} ms, p95 {pct(first, 95):.2f} ms, "
          f"max {max(first):.2f} ms")
    print(f"  Undo:         p50 {pct(undo, 50):.2f} ms, p95 {pct(undo, 95):.2f} ms")
    print(f"  Qed (kernel re-check): {qed:.1f} ms; Undo of the Qed (reload + replay): "
          f"{replay:.1f} ms")
    for cmd, times in ready(args.runs):
        shown = " ".join(os.path.basename(c) if i == 0 else c for i, c in enumerate(cmd))
        med, worst = statistics.median(times), max(times)
        print(f"ready for input: `{shown}`: median {med * 1000:.0f} ms, max {worst * 1000:.0f} ms"
              f"  (target <= {READY_TARGET_S * 1000:.0f} ms: "
              f"{'met' if worst <= READY_TARGET_S else 'MISSED'})")


if __name__ == "__main__":
    main()
