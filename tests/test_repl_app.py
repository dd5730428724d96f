"""The prompt_toolkit application of `pv repl` (repl/app.py), driven by keystrokes through a
pipe input: Enter runs complete sentences only, Alt-Enter starts a new line, Tab completes,
Ctrl-C abandons the input, Ctrl-D leaves, history is kept in $PV_HISTORY."""
import io
import os
import threading
import time

import pytest
from prompt_toolkit.data_structures import Size
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.vt100 import Vt100_Output
from pygments.token import Keyword, Name

from repl.app import history_path, make_session, run_interactive
from repl.engine import ReplEngine

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SWAP = os.path.join(ROOT, "proofs", "heap", "swap.pv")

ENTER, ALT_ENTER, TAB, CTRL_C, CTRL_D, UP = "\r", "\x1b\r", "\t", "\x03", "\x04", "\x1b[A"


def line_of(text, path=SWAP):
    with open(path, encoding="utf-8") as f:
        return next(i for i, ln in enumerate(f, 1) if text in ln)


def drive(keys, engine=None, history=None, output=None):
    """Type ``keys`` into the REPL; return (exit status, what it printed, the inputs it
    accepted, the engine)."""
    e = engine or ReplEngine(SWAP, until=line_of("wp_call."))
    out = io.StringIO()
    hist = history if history is not None else InMemoryHistory()
    with create_pipe_input() as inp:
        inp.send_text(keys)
        rc = run_interactive(e, input=inp, output=output or DummyOutput(), write=out.write,
                             history=hist)
    accepted = list(hist.get_strings()) if history is None else None
    return rc, out.getvalue(), accepted, e


def test_a_tactic_then_ctrl_d():
    rc, out, accepted, e = drive("wp_step." + ENTER + CTRL_D)
    assert rc == 0
    assert accepted == ["wp_step."]
    assert out.startswith("Loaded ")
    assert out.count("1 goal") == 2          # load report, then after the tactic
    assert "let a := #a in" in out
    assert e.proof.name == "swap_spec"


def test_enter_runs_only_complete_sentences():
    keys = "Check ∃ (x : nat)." + ENTER + "⌜x = 1⌝." + ENTER + "wp_step" + ENTER + "." + ENTER \
        + CTRL_D
    rc, out, accepted, e = drive(keys)
    assert accepted == ["Check ∃ (x : nat).\n⌜x = 1⌝.", "wp_step\n."]
    assert "∃ (x : nat). ⌜x = 1⌝ : iProp" in out
    assert "let a := #a in" in out


def test_alt_enter_always_starts_a_new_line():
    rc, out, accepted, e = drive("Show." + ALT_ENTER + "wp_step." + ENTER + CTRL_D)
    assert accepted == ["Show.\nwp_step."]
    assert "let a := #a in" in out


def test_ctrl_c_abandons_the_input():
    rc, out, accepted, e = drive("wp_step. wp_pu" + CTRL_C + "Show." + ENTER + CTRL_D)
    assert accepted == ["Show."]
    assert "let a := !#l1 in" in out and "let a := #a in" not in out
    assert [x.action[0] for x in e.entries].count("step") == 2     # intros, wp_call


def test_tab_completes_tactics_and_hypotheses():
    # completion runs in the background: type the rest only once it had time to complete,
    # as a person would
    e = ReplEngine(SWAP, until=line_of("wp_step. wp_pures.") + 3)
    hist = InMemoryHistory()
    out = io.StringIO()
    with create_pipe_input() as inp:
        t = threading.Thread(target=run_interactive, args=(e,),
                             kwargs=dict(input=inp, output=DummyOutput(), write=out.write,
                                         history=hist))
        t.start()
        for chunk in ["wp_pu" + TAB, "." + ENTER, 'clear "H' + TAB, TAB, '".' + ENTER, CTRL_D]:
            time.sleep(0.3)
            inp.send_text(chunk)
        t.join(20)
    assert not t.is_alive()
    accepted = list(hist.get_strings())
    # "H": the first Tab shows H1 and H2, the second one picks H1
    assert accepted[0] == "wp_pures."
    assert accepted[1] == 'clear "H1".'
    assert "H1" not in e.hypothesis_names() and "H2" in e.hypothesis_names()


def test_errors_are_shown_and_the_repl_goes_on():
    keys = "wp_step as \"[H\"." + ENTER + "bogus." + ENTER + "wp_step." + ENTER + CTRL_D
    rc, out, accepted, e = drive(keys)
    assert "Error (line 1, column 1): unknown tactic 'bogus'" in out
    assert "  bogus.\n  ^" in out
    assert "let a := #a in" in out
    assert e.errors == 2


def test_undo_and_quit():
    keys = "wp_step." + ENTER + "Undo." + ENTER + "Quit." + ENTER + "Show." + ENTER
    rc, out, accepted, e = drive(keys)
    assert rc == 0 and e.quit
    assert accepted == ["wp_step.", "Undo.", "Quit."]          # Show is never read
    goals = out.split("1 goal")
    assert goals[-1] == goals[1]       # after Undo: the goal of the load report again


def test_history_file_is_kept_across_runs(tmp_path, monkeypatch):
    path = tmp_path / "hist"
    monkeypatch.setenv("PV_HISTORY", str(path))
    assert history_path() == str(path)
    e = ReplEngine(SWAP, until=line_of("wp_call."))
    out = io.StringIO()
    with create_pipe_input() as inp:
        inp.send_text("wp_step." + ENTER + CTRL_D)
        run_interactive(e, input=inp, output=DummyOutput(), write=out.write)
    assert "wp_step." in path.read_text()
    # a second run: Up recalls the previous input
    e2 = ReplEngine(SWAP, until=line_of("wp_call."))
    out2 = io.StringIO()
    with create_pipe_input() as inp:
        inp.send_text(UP + ENTER + CTRL_D)
        run_interactive(e2, input=inp, output=DummyOutput(), write=out2.write)
    assert "let a := #a in" in out2.getvalue()
    assert [x.action[0] for x in e2.entries].count("step") == 3


def test_prompt_and_highlighting_on_a_terminal():
    buf = io.StringIO()
    term = Vt100_Output(buf, lambda: Size(rows=40, columns=100), term="xterm-256color")
    rc, out, accepted, e = drive('destruct "H1" as "H".' + ENTER + CTRL_D, output=term)
    screen = buf.getvalue()
    assert "swap_spec < " in screen
    assert "\x1b[" in screen            # colours


def test_the_lexer_follows_the_kind_of_input():
    e = ReplEngine(SWAP, until=line_of("wp_call."))
    session = make_session(e, input=None, output=DummyOutput(), history=InMemoryHistory())
    assert session.lexer.build() and not session.lexer.build()      # made once
    lexer = session.lexer.lexer.pygments_lexer

    def toks(text):
        return [(t, v) for _, t, v in lexer.get_tokens_unprocessed(text) if v.strip()]

    assert toks('wp_step as "H".')[0] == (Name.Function, "wp_step")
    assert toks("- done.")[1] == (Name.Function, "done")
    assert toks("Qed.")[0] == (Keyword.Declaration, "Qed")
    assert toks("Definition d : nat := 1.")[0] == (Keyword.Declaration, "Definition")
    assert session.message() == "swap_spec < "
    e.execute("Abort.")
    assert session.message() == "pv < "


def test_the_collector_is_off_during_start_up_and_back_on_once_the_prompt_is_drawn():
    """`repl.app.main` turns the cyclic garbage collector off while it starts; the first
    prompt drawn, what start-up made is frozen (`gc.freeze`) and the collector is on again."""
    import gc
    e = ReplEngine(SWAP, until=line_of("wp_call."))
    seen = []
    real = e.execute

    def execute(text):              # the state of the collector when the input runs
        seen.append((gc.isenabled(), gc.get_freeze_count()))
        return real(text)
    e.execute = execute
    gc.disable()
    try:
        drive("Show." + ENTER + CTRL_D, engine=e)
        assert gc.isenabled()
        assert seen and seen[0][0] and seen[0][1] > 0, seen
    finally:
        gc.unfreeze()
        gc.enable()
    # when it was on to begin with (a caller's own process), it is left alone
    seen.clear()
    drive("Show." + ENTER + CTRL_D, engine=e)
    assert seen == [(True, 0)] and gc.isenabled()


def test_batch_mode_turns_the_collector_back_on(monkeypatch):
    import gc
    import types
    from repl.app import main
    monkeypatch.setattr("sys.stdin", io.StringIO("Show.\n"))
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    args = types.SimpleNamespace(file=SWAP, until=line_of("wp_call."), width=None,
                                 no_cache=True)
    try:
        assert main(args) == 0
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert "swap_spec" in out.getvalue()


def test_the_colours_are_made_after_the_first_prompt_is_drawn():
    """Pygments is not imported before the first prompt is on the screen; the input typed
    then is coloured all the same (in a fresh interpreter, where nothing imported Pygments
    yet)."""
    code = f"""
import io, re, sys
from prompt_toolkit.data_structures import Size
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output
import repl.app as A
from repl.engine import ReplEngine

e = ReplEngine({SWAP!r}, until={line_of("wp_call.")})
screen = io.StringIO()
term = Vt100_Output(screen, lambda: Size(rows=40, columns=100), term="xterm-256color")
seen = []
real = A._lexer
def lexer(engine):          # when the colours are made: what is on the screen by then
    seen.append(screen.getvalue())
    return real(engine)
A._lexer = lexer
with create_pipe_input() as inp:
    session = A.make_session(e, input=inp, output=term, history=InMemoryHistory())
    assert not any(m.startswith("pygments") for m in sys.modules), "imported too early"
    inp.send_text("Qed" + chr(3) + chr(4))     # typed, abandoned (Ctrl-C); leave (Ctrl-D)
    A.run_interactive(e, input=inp, output=term, write=io.StringIO().write,
                      history=InMemoryHistory())
assert len(seen) == 1 and "swap_spec <" in seen[0], seen     # (its blank: a cursor move)
after = screen.getvalue().split(seen[0], 1)[1]
# the abandoned input is drawn once more, as a command word (bold), not as plain text
assert re.search(r"\\x1b\\[[0-9;]*;1mQed", after), repr(after)
print("drawn first, then coloured")
"""
    import subprocess
    import sys
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 0, p.stderr[-2000:]
    assert "drawn first, then coloured" in p.stdout


@pytest.mark.parametrize("keys", [CTRL_D, "Quit" + ENTER])
def test_leaving(keys):
    rc, out, accepted, e = drive(keys)
    assert rc == 0
