"""bench/repl_bench.py's measuring parts work (the benchmark itself asserts nothing): the lines
it opens at, and the pseudo-terminal it starts `pv repl` in and reads the prompt from."""
import importlib.util
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _bench():
    spec = importlib.util.spec_from_file_location(
        "repl_bench", os.path.join(ROOT, "bench", "repl_bench.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_open_lines_fall_in_the_proofs_and_end_at_the_end():
    rb = _bench()
    path, thm, script = rb.largest_proof()
    lines = rb.open_lines(path)
    assert lines == sorted(lines) and len(lines) >= 5
    with open(path, encoding="utf-8") as f:
        assert lines[-1] == f.read().count("\n") + 1
    assert any(thm.proof.pos.line < ln < thm.proof.end_pos.line for ln in lines)
    assert len(script) > 50


def test_the_terminal_sees_the_report_then_the_prompt(tmp_path):
    rb = _bench()
    env = dict(os.environ, PV_CACHE_DIR=str(tmp_path), PV_HISTORY=str(tmp_path / "h"))
    cmd = [sys.executable, "-m", "driver.cli", "repl", os.path.join("proofs", "heap", "swap.pv")]
    report, prompt, cpu = rb.ready_once(cmd, b"Loaded", b"pv <", env)
    assert 0 < report <= prompt and cpu > 0


def test_the_counted_runs_leave_at_the_report_and_at_the_first_prompt(tmp_path):
    """The runs `--instructions` counts (here without valgrind): one leaves once the report is
    on the terminal, before any prompt; the other once the first prompt is drawn."""
    import time
    rb = _bench()
    env = dict(os.environ, PV_CACHE_DIR=str(tmp_path), PV_HISTORY=str(tmp_path / "h"))
    swap = os.path.join("proofs", "heap", "swap.pv")
    for at_report in (True, False):
        term = rb.Terminal(rb.leaving_at(ROOT, [swap], at_report), env)
        end = time.perf_counter() + 60
        while term.p.poll() is None and time.perf_counter() < end:
            term._read(0.1)
        while term._read(0.1):
            pass
        term.release()
        assert term.p.returncode == 0, term.seen[-1000:]
        assert not os.path.exists(term.history)         # (the bench leaves no history file)
        assert b"Loaded" in term.seen
        assert (b"pv <" in term.seen) is not at_report, term.seen[-1000:]
