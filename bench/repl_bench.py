"""Benchmark of `pv repl` against issue 13's targets: every step, Undo after `Qed` included,
p95 <= 30 ms; opening a file at any line <= 300 ms; ready for input <= 0.5 s.  Not a test:
nothing is asserted.

    python bench/repl_bench.py [--rounds N] [--runs N] [--redraw N]

Steps: the largest proof in proofs/ is entered with `ReplEngine(file, until=<line of its
Proof>)`; each sentence of its script (as written in the file) is given to
`ReplEngine.execute`, which parses it, runs it and renders the goals; each call is a sample
(the garbage collector set as `pv repl` sets it, `app_collector`).
``--rounds`` replays (after a `Restart.`) give more; every sentence is also undone and run
again (`Undo.`), and at the end `Qed.` and its `Undo.` (which puts the session before the Qed
back, repl/snapshot.py) are timed ``--rounds`` times.

Open at a line: `ReplEngine(file, until=LINE)` for lines spread over the file with the
largest proof (in each theorem's proof, and the end), without the proof cache, with an empty
one (the first open fills it) and with the filled one (the earlier theorems' derivations are
replayed through the kernel, their tactics skipped).  The cache is a temporary directory.

Ready: `pv repl FILE --until LINE` is started in a pseudo-terminal (the console script `pv`
when it runs this checkout, else `python -m driver.cli`): the times until the file's report
(with the goal) and until the prompt show up on the terminal, and the CPU time of the whole
run (the terminal answers prompt_toolkit's cursor-position request; the prompt's trailing
blank is drawn as a cursor move, so the prompt is looked for without it).  Among the cases,
the largest proof's file at a line after that proof's start, with a proof cache the first,
uncounted, run filled, and with ``--no-cache``.

Redraw: in that terminal the largest proof is typed, a sentence at a time: a blank first (the
time to the line redrawn is a keystroke sample), then the sentence; once the terminal is
quiet, Enter, and the time to the goals and the next prompt drawn is a step sample (the first
``--redraw`` sentences count).  Then `Undo.`, `Qed.` and the `Undo.` of the `Qed`, from Enter.

``--instructions`` (instead of all that): the instructions (valgrind's cachegrind; the same
run's count varies by ~0.01%, wall times here by up to 1.7x) `pv repl` executes until its
report is written and until its first prompt is drawn -- the run leaves right there -- for
the largest proof's file at the line after that proof's start (the cache filled first) and
for no file; ``--base OTHER_CHECKOUT`` runs the same from another checkout beside it.

    python bench/repl_bench.py --instructions [--base OTHER_CHECKOUT]
"""
from __future__ import annotations

import argparse
import contextlib
import glob
import os
import select
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from repl import sentences as S  # noqa: E402
from repl.engine import ReplEngine  # noqa: E402
from seplogic.document import TheoremDef  # noqa: E402
from seplogic.parser import parse_file  # noqa: E402

P95_TARGET_MS = 30.0
READY_TARGET_S = 0.5
OPEN_TARGET_MS = 300.0


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


def timed(fn, *args):
    """(result, wall ms, CPU ms of this process): on a loaded machine the CPU time is the
    figure that does not depend on the other jobs."""
    w, c = time.perf_counter(), time.process_time()
    out = fn(*args)
    return out, (time.perf_counter() - w) * 1000, (time.process_time() - c) * 1000


@contextlib.contextmanager
def app_collector():
    """The cyclic collector as `pv repl` has it (repl/app.py): off while the engine starts,
    then what start-up made frozen (`gc.freeze`) and the collector on.  Without it each full
    collection during the steps rescans the loaded file's kernel and syntax (~48,000 objects
    after rd_proof.pv's largest proof: ~9 ms of CPU, on the Qed it falls in), which the
    REPL's steps do not pay."""
    import gc
    from repl.app import _settle
    on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if on:
            _settle()


def latency(rounds: int):
    """Samples (wall ms, CPU ms) of the proof's sentences, their Undo, Qed and its Undo."""
    path, thm, script = largest_proof()
    with app_collector():
        e = ReplEngine(path, until=thm.proof.pos.line)
    assert e.in_proof and e.errors == 0, e.load_report
    steps, undo = [], []
    for r in range(rounds):
        if r:
            e.execute("Restart.")
        for sent in script:
            out, *t = timed(e.execute, sent)
            steps.append(t)
            if out.startswith("Error"):
                raise SystemExit(f"replay failed at {sent!r}:\n{out}")
            undo.append(timed(e.execute, "Undo.")[1:])
            e.execute(sent)
    qed, undo_qed = [], []
    for _ in range(rounds):
        out, *t = timed(e.execute, "Qed.")
        qed.append(t)
        assert "is proved" in out, out
        # the session before the Qed is put back (repl/snapshot.py)
        undo_qed.append(timed(e.execute, "Undo.")[1:])
        assert e.in_proof and e.proof.ps.finished() and thm.name not in e.kernel.theorems
    return path, thm.name, len(script), steps, undo, qed, undo_qed


def open_lines(path):
    """Lines to open ``path`` at: the middle of each theorem's proof, and the end."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines = [(c.proof.pos.line + c.proof.end_pos.line) // 2 for c in parse_file(text, path).commands
             if isinstance(c, TheoremDef) and c.proof is not None and c.proof.steps]
    return lines + [text.count("\n") + 1]


def open_at(path, lines):
    """Per line: (wall, CPU) ms to open without a cache, with an empty one, with the filled
    one."""
    from driver.cache import ProofCache
    ReplEngine(path, until=lines[0])                   # imports and file system warm
    out = []
    with tempfile.TemporaryDirectory(prefix="pv-bench-cache-") as d:
        for i, line in enumerate(lines):
            cache = ProofCache(os.path.join(d, str(i)))
            row = []
            for c in (None, cache, cache):
                e, *t = timed(ReplEngine, path, line, 72, c)
                row.append(t)
                assert e.errors == 0, e.load_report
            out.append((line, row, cache.hits))
    return out


def _pv_command():
    """The console script `pv` if it runs this checkout's code, else ``python -m driver.cli``
    (in a git worktree the installed script may belong to another checkout)."""
    pv = shutil.which("pv")
    if pv:
        with open(pv, encoding="utf-8", errors="replace") as f:
            first = f.readline()
        # its interpreter (a shebang may be ``/usr/bin/env bash``: pyenv's shims are scripts)
        py = shlex.split(first[2:]) if first.startswith("#!") else [sys.executable]
        try:
            where = subprocess.run(
                [*py, "-c", "import driver, os; print(os.path.dirname(os.path.dirname("
                 "os.path.abspath(driver.__file__))))"], cwd="/", capture_output=True,
                text=True).stdout.strip()
        except OSError:
            where = None
        if where == ROOT:
            return [pv]
    return [sys.executable, "-m", "driver.cli"]


class Terminal:
    """A command in a pseudo-terminal of 120x50 that answers cursor-position requests."""

    def __init__(self, cmd, env=None):
        import fcntl
        import pty
        import struct
        import termios
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 120, 0, 0))
        # a history of its own, removed at close (one shared by the runs grew without end)
        fd, self.history = tempfile.mkstemp(prefix="pv_bench_history")
        os.close(fd)
        env = dict(env or os.environ, TERM="xterm-256color", PV_HISTORY=self.history)
        self.t0 = time.perf_counter()
        self.p = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, cwd=ROOT,
                                  env=env, start_new_session=True)
        os.close(slave)
        self.seen, self.mark = b"", 0

    def wait_for(self, *marks: bytes, timeout=20.0) -> float:
        """The time (perf_counter) at which ``marks`` have appeared, in this order, in what the
        terminal shows after the last `send` (or the start)."""
        start, t0 = self.mark, time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            at, ok = start, True
            for m in marks:
                at = self.seen.find(m, at)
                if at < 0:
                    ok = False
                    break
                at += len(m)
            if ok:
                return time.perf_counter()
            self._read(0.05)
        tail = self.seen[start:].decode(errors="replace")
        raise SystemExit(f"waited in vain for {marks!r}; the terminal shows:\n{tail}")

    def _read(self, timeout: float) -> bool:
        r, _, _ = select.select([self.master], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:
            return False
        self.seen += data
        if b"\x1b[6n" in data:                     # cursor position request: answer it
            os.write(self.master, b"\x1b[1;1R")
        return bool(data)

    def drain(self, quiet: float = 0.1, timeout: float = 20.0) -> None:
        """Read until the terminal has been quiet for ``quiet`` seconds."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end and self._read(quiet):
            pass

    def first_output(self, timeout: float = 20.0) -> float:
        """The time at which the terminal next shows anything."""
        n, end = len(self.seen), time.perf_counter() + timeout
        while len(self.seen) == n and time.perf_counter() < end:
            self._read(0.05)
        return time.perf_counter()

    def send(self, data: bytes) -> float:
        """Type ``data``; the time it was typed."""
        self.mark = len(self.seen)
        t = time.perf_counter()
        os.write(self.master, data)
        return t

    def close(self) -> float:
        """Leave (Ctrl-D); the CPU ms (user + system) the command used."""
        usage = None
        try:
            os.write(self.master, b"\x04")
            end = time.perf_counter() + 5
            while usage is None and time.perf_counter() < end:
                pid, _, ru = os.wait4(self.p.pid, os.WNOHANG)
                usage = ru if pid else None
                time.sleep(0.01 if usage is None else 0)
        except (OSError, ChildProcessError):
            pass
        if usage is None:
            self.p.kill()
            _, _, usage = os.wait4(self.p.pid, 0)
        self.p.returncode = 0             # reaped here, not by Popen
        self.release()
        return (usage.ru_utime + usage.ru_stime) * 1000

    def release(self) -> None:
        """Close the terminal and remove the history (the command has ended)."""
        os.close(self.master)
        with contextlib.suppress(OSError):
            os.remove(self.history)


def ready_once(cmd, report: bytes, prompt: bytes, env=None) -> tuple:
    """(wall ms until the file's report -- the goal, when a theorem is entered -- is on the
    terminal, wall ms until the prompt, CPU ms of the whole run)."""
    term = Terminal(cmd, env)
    try:
        shown = (term.wait_for(report) - term.t0) * 1000
        wall = (term.wait_for(prompt) - term.t0) * 1000
    finally:
        cpu = term.close()
    return shown, wall, cpu


def ready(runs: int, env, line: int):
    """Times until the prompt, per case: swap.pv at its first tactic, the largest proof at its
    start and at ``line`` (with the proof cache of ``env`` filled by the first, uncounted, run,
    and without a cache), and no file."""
    swap = os.path.join("proofs", "heap", "swap.pv")
    with open(os.path.join(ROOT, swap), encoding="utf-8") as f:
        at = next(i for i, ln in enumerate(f, 1) if "wp_call." in ln)
    path, thm, _ = largest_proof()
    rel = os.path.relpath(path, ROOT)
    pv, name = _pv_command(), f"{thm.name} <".encode()
    cases = [([*pv, "repl", swap, "--until", str(at)], b"swap_spec <"),
             ([*pv, "repl", rel, "--until", str(thm.proof.pos.line)], name),
             ([*pv, "repl", rel, "--until", str(line)], name),
             ([*pv, "repl", rel, "--until", str(line), "--no-cache"], name),
             ([*pv, "repl"], b"pv <")]
    out = []
    for cmd, prompt in cases:
        report = b"Loaded" if len(cmd) > len(pv) + 1 else b"pv repl:"    # a file, or none
        ready_once(cmd, report, prompt, env)        # warms the file system and the cache
        times = [ready_once(cmd, report, prompt, env) for _ in range(runs)]
        out.append((cmd, times))
    return out


def redraw(limit: int, env):
    """The largest proof typed in the terminal: per sentence, ms from a keystroke (a blank
    before the sentence) to the line redrawn, and, the sentence typed, from Enter to its goals
    and the next prompt drawn; then Undo, Qed and the Undo of the Qed (from Enter)."""
    path, thm, script = largest_proof()
    prompt = f"{thm.name} <".encode()
    term = Terminal([*_pv_command(), "repl", os.path.relpath(path, ROOT), "--until",
                     str(thm.proof.pos.line)], env)
    keys, steps, other = [], [], {}
    try:
        term.wait_for(prompt)
        term.drain()

        def run(text, *marks):
            t = term.send(b" ")
            key = (term.first_output() - t) * 1000
            term.send(text.replace("\n", " ").encode())
            term.drain()
            t = term.send(b"\r")
            ms = (term.wait_for(*marks) - t) * 1000
            term.drain(0.02)
            return key, ms

        for i, sent in enumerate(script):
            key, ms = run(sent, b"goal", prompt)
            if i < limit:
                keys.append(key)
                steps.append(ms)
            if i == 0:
                other["Undo"] = run("Undo.", b"goal", prompt)[1]
                run(sent, b"goal", prompt)
        other["Qed"] = run("Qed.", b"is proved", b"pv <")[1]
        other["Undo of the Qed"] = run("Undo.", b"No more goals", prompt)[1]
    finally:
        term.close()
    return keys, steps, other


# `pv repl` as the console script runs it (from the checkout ``root``), leaving right after the
# file's report is written (``at_report``) or right after the first prompt is drawn
_LEAVE_AT = """
import os, sys
sys.path.insert(0, {root!r})
import driver
driver.use_bytecode_cache()
import repl.app as A
make = A.make_session
def make_session(*a, **k):
    if {at_report!r}:       # (run_interactive writes the report, then makes the session)
        sys.stdout.flush()
        os._exit(0)
    s = make(*a, **k)
    render = s.app.renderer.render
    def first(*x, **y):
        render(*x, **y)
        sys.stdout.flush()
        os._exit(0)
    s.app.renderer.render = first
    return s
A.make_session = make_session
sys.argv[0] = "pv"
from driver.cli import entry
entry()
"""


def leaving_at(root, args, at_report: bool) -> list:
    """The command running `pv repl ARGS` from checkout ``root`` that leaves right after the
    report is written or right after the first prompt is drawn."""
    return [sys.executable, "-c", _LEAVE_AT.format(root=root, at_report=at_report), "repl",
            *args]


def instructions_until(root, args, at_report: bool, env) -> int:
    """Instructions of `pv repl ARGS` (checkout ``root``) in the pseudo-terminal until the
    report is written or the first prompt drawn."""
    import re
    with tempfile.TemporaryDirectory(prefix="pv-bench-cg-") as d:
        out = os.path.join(d, "cachegrind.out")
        term = Terminal(["valgrind", "--tool=cachegrind", "--cache-sim=no",
                         f"--cachegrind-out-file={out}", *leaving_at(root, args, at_report)],
                        dict(env, PYTHONHASHSEED="0"))
        end = time.perf_counter() + 600
        while term.p.poll() is None and time.perf_counter() < end:
            term._read(0.1)
        if term.p.poll() is None:
            term.close()                    # (stuck: Ctrl-D, else killed)
        else:
            term.release()
        try:
            with open(out, encoding="utf-8") as f:
                m = re.search(r"^summary:\s+(\d+)", f.read(), re.M)
        except OSError:
            m = None
        if m is None:
            raise SystemExit(f"pv repl {' '.join(args)} (from {root}) gave no count; the "
                             f"terminal shows:\n{term.seen[-2000:].decode(errors='replace')}")
        return int(m.group(1))


def instructions(base) -> None:
    """Print the instructions to the report and to the prompt, per case and checkout."""
    sys.path.insert(0, os.path.join(ROOT, "bench"))
    from debian import ensure, have
    if not ensure(["valgrind"], lambda: have("valgrind")):
        raise SystemExit("repl_bench --instructions: needs valgrind (Debian's valgrind)")
    path, thm, _ = largest_proof()
    late = next((ln for ln in open_lines(path) if ln > thm.proof.pos.line), None)
    cases = [[os.path.relpath(path, ROOT), "--until", str(late)], []]
    checkouts = [("this", ROOT)] + ([("base", os.path.abspath(base))] if base else [])
    print("pv repl in a terminal, instructions (cachegrind) until the report is written / "
          "until the first prompt is drawn / between the two", flush=True)
    with tempfile.TemporaryDirectory(prefix="pv-bench-cache-") as d:
        for args in cases:
            counts = {}
            for name, root in checkouts:
                env = dict(os.environ, PV_CACHE_DIR=os.path.join(d, name))
                if args:                    # the cache filled by a plain run
                    subprocess.run([sys.executable, "-m", "driver.cli", "repl", *args],
                                   cwd=root, env=env, stdin=subprocess.DEVNULL,
                                   capture_output=True)
                counts[name] = [instructions_until(root, args, at, env) for at in (True, False)]
            shown = " ".join(["pv repl", *args])
            for name, (report, prompt) in counts.items():
                line = (f"  `{shown}` ({name}): {report / 1e6:7.1f} M / {prompt / 1e6:7.1f} M / "
                        f"{(prompt - report) / 1e6:6.1f} M")
                if name != "this":
                    this = counts["this"][1]
                    line += f"   this/base to the prompt: {this / prompt:.3f}"
                print(line, flush=True)


def _verdict(ms, target) -> str:
    return f"(target <= {target:.0f} ms: {'met' if ms <= target else 'MISSED'})"


def _row(samples, target, digits=1) -> str:
    """p50/p95/max of (wall, CPU) samples, judged by the p95."""
    wall, cpu = [w for w, _ in samples], [c for _, c in samples]
    f = f".{digits}f"
    return (f"p50 {pct(wall, 50):{f}} ms, p95 {pct(wall, 95):{f}} ms, max {max(wall):{f}} ms; "
            f"CPU p50 {pct(cpu, 50):{f}}, p95 {pct(cpu, 95):{f}} ms  "
            f"{_verdict(pct(wall, 95), target)[:-1]}, CPU: "
            f"{'met' if pct(cpu, 95) <= target else 'MISSED'})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=5, help="replays of the proof (default 5)")
    ap.add_argument("--runs", type=int, default=5, help="starts of `pv repl` (default 5)")
    ap.add_argument("--redraw", type=int, default=1000,
                    help="sentences typed in the terminal (default: the whole proof)")
    ap.add_argument("--instructions", action="store_true",
                    help="only the instructions until the report and the first prompt")
    ap.add_argument("--base", help="with --instructions: another checkout to compare with")
    args = ap.parse_args()
    if args.instructions:
        instructions(args.base)
        return

    path, name, n, steps, undo, qed, undo_qed = latency(args.rounds)
    print(f"largest proof: {name} in {os.path.relpath(path, ROOT)} ({n} sentences), "
          f"{args.rounds} replays through ReplEngine.execute (wall and CPU time)")
    print(f"  per sentence: {_row(steps, P95_TARGET_MS, 2)}")
    print(f"  first replay only: {_row(steps[:n], P95_TARGET_MS, 2)}")
    print(f"  Undo: {_row(undo, P95_TARGET_MS, 2)}")
    print(f"  Qed (the kernel re-checks the derivation): {_row(qed, P95_TARGET_MS)}")
    print(f"  Undo of the Qed (the session before it put back): "
          f"{_row(undo_qed, P95_TARGET_MS, 2)}")

    lines = open_lines(path)
    print(f"open {os.path.relpath(path, ROOT)} at a line (ReplEngine(file, until=LINE)), "
          "wall (CPU) ms: no cache / empty cache / filled cache")
    for line, row, hits in open_at(path, lines):
        shown = " / ".join(f"{w:5.0f} ({c:4.0f})" for w, c in row)
        print(f"  line {line:4d}: {shown}  ({hits} theorems from the cache) "
              f"{_verdict(row[2][0], OPEN_TARGET_MS)[:-1]}, CPU: "
              f"{'met' if row[2][1] <= OPEN_TARGET_MS else 'MISSED'})")

    with tempfile.TemporaryDirectory(prefix="pv-bench-cache-") as d:
        env = dict(os.environ, PV_CACHE_DIR=d)
        late = next((ln for ln in lines if ln > largest_proof()[1].proof.pos.line), lines[-1])
        print("pv repl in a terminal: wall ms until the file's report (with the goal) is shown, "
              "until the prompt; CPU ms of the whole run (medians; the target on the prompt)")
        for cmd, times in ready(args.runs, env, late):
            shown = " ".join(os.path.basename(c) if i == 0 else c for i, c in enumerate(cmd))
            report, wall, cpu = ([t[i] for t in times] for i in range(3))
            target = READY_TARGET_S * 1000
            print(f"  `{shown}`: report {statistics.median(report):.0f}, prompt "
                  f"{statistics.median(wall):.0f} (max {max(wall):.0f}), CPU "
                  f"{statistics.median(cpu):.0f}  {_verdict(max(wall), target)[:-1]}, CPU: "
                  f"{'met' if max(cpu) <= target else 'MISSED'})")
        keys, steps, other = redraw(args.redraw, env)
    print(f"terminal redraw (wall time), {len(steps)} sentences of {name} typed in the "
          "terminal:")
    for what, xs in (("a keystroke to the line redrawn", keys),
                     ("Enter to the goals and the next prompt drawn", steps)):
        p95 = pct(xs, 95)
        print(f"  {what}: p50 {pct(xs, 50):.1f} ms, p95 {p95:.1f} ms, max {max(xs):.1f} ms  "
              f"{_verdict(p95, P95_TARGET_MS)}")
    print("  from Enter: " + ", ".join(f"{k} {v:.1f} ms" for k, v in other.items()))
    os_load = os.getloadavg()[0]
    print(f"(load average {os_load:.1f} on {os.cpu_count()} cores while this ran: wall times "
          "include waiting for the CPU)")


if __name__ == "__main__":
    main()
