"""The REPL engine (repl/engine.py, repl/sentences.py) used as a person would: load a file up
to a line, type sentences, read what comes back; undo must give back exactly the earlier
state and still lead to a derivation the kernel accepts."""
import glob
import io
import os
import subprocess
import sys
import time

import pytest

from repl import sentences as S
from repl.app import run_batch
from repl.engine import THEOREM_TYPES, ReplEngine
from seplogic.document import TheoremDef
from seplogic.parser import parse_file
from tactics.script import run_step, start

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SWAP = os.path.join(ROOT, "proofs", "heap", "swap.pv")
COUNTER = os.path.join(ROOT, "proofs", "heap", "counter.pv")
PV_FILES = sorted(glob.glob(os.path.join(ROOT, "proofs", "**", "*.pv"), recursive=True))


def line_of(path, text, nth=1):
    """1-based number of the nth line of ``path`` that contains ``text``."""
    with open(path, encoding="utf-8") as f:
        hits = [i for i, ln in enumerate(f, 1) if text in ln]
    return hits[nth - 1]


def goals_state(e):
    """Everything visible about the proof state: goals (sequent and names) and focusing."""
    ps = e.proof.ps
    strip = lambda g: (g.seq, g.snames, g.pnames, g.fnames)  # noqa: E731
    return ([strip(g) for g in ps.goals],
            [(m, [strip(g) for g in rest]) for m, rest in ps.stack])


# ---- sentences -----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "intros.", "wp_step. wp_pures.", "- done.", "{ done. }", "Check ∃ (x : nat). ⌜x = 1⌝.",
    "Theorem t : {emp} f() {r. emp}[n].", "Undo", "Back 2", "Undo.", "(* c *) done.",
    "Print Assumptions swap_spec.", "Print heap_load.", 'Search "↦".', "intros ]. done.",
    "assert (∃ x. ⌜x = 1⌝) as \"H\".", "",
])
def test_complete(text):
    assert S.is_complete(text)


@pytest.mark.parametrize("text", [
    "intros", "Check ∃ x", "Check ∃ x.", "Theorem t : ∃ x.", "assert (∃ x. P", "(* open",
    "wp_step. wp_pu", "Definition d (x : nat) : nat :=", "Theorem t : {P} e {r.",
])
def test_incomplete(text):
    assert not S.is_complete(text)


def test_split_kinds_and_positions():
    text = "Theorem t (n : nat) :\n  ⌜n = n⌝. Proof.\n- intros n. done."
    ss = S.split(text)
    assert [s.kind for s in ss] == ["file", "repl", "bullet", "tactic", "tactic"]
    assert isinstance(ss[0].payload, TheoremDef) and ss[0].payload.proof is None
    assert ss[1].payload[0] == "Proof"
    # positions are those in the whole input (the tactic parser's wrapper is invisible)
    assert (ss[3].pos.line, ss[3].pos.col) == (3, 3)
    assert (ss[3].payload[0].pos.line, ss[3].payload[0].pos.col) == (3, 3)
    assert ss[3].payload[0].args[0].pos.col == 10


def test_split_stops_at_an_error():
    ss = S.split("intros ]. done.")
    assert [s.kind for s in ss] == ["error"]
    msg, line, col = ss[0].error
    assert (line, col) == (1, 8) and "']'" in msg


# ---- loading -------------------------------------------------------------------------------

def test_until_enters_the_unfinished_theorem():
    line = line_of(SWAP, "wp_step. wp_pures.", 1)
    e = ReplEngine(SWAP, until=line)
    assert e.in_proof and e.proof.name == "swap_spec"
    assert e.prompt == "swap_spec < "
    assert "Proving swap_spec" in e.load_report
    # intros, wp_call and the two steps of that line have run: the first load is done
    assert "let b := !#l2 in" in e.load_report
    assert "H1 : l1 ↦[n] a" in e.load_report and "─" not in e.load_report
    assert e.errors == 0
    assert [x.action[0] for x in e.entries] == ["theorem", "proof"] + ["step"] * 4


def test_whole_file_is_checked_and_reported():
    e = ReplEngine(COUNTER)
    assert not e.in_proof and e.prompt == "pv < "
    assert "2 proved, 0 admitted, 0 failed" in e.load_report
    assert "Assumptions of counter.counter_main_spec:" in e.load_report
    assert "incr_spec : Theorem (proved" in e.execute("About incr_spec.")


def test_until_before_the_proof_keyword():
    line = line_of(SWAP, "Theorem swap_spec")
    e = ReplEngine(SWAP, until=line + 1)
    assert e.in_proof and not e.proof.started
    out = e.execute("Proof.")
    assert "1 goal" in out and "∀ (n : nat)" in out


def test_no_file():
    e = ReplEngine()
    assert e.load_report == "" and not e.in_proof
    assert "Error" in e.execute("intros.") and "no proof in progress" in e.execute("intros.")


# ---- proving and undoing -------------------------------------------------------------------

def test_a_tactic_shows_the_goal_in_proof_mode_layout():
    e = ReplEngine(SWAP, until=line_of(SWAP, "wp_call."))
    out = e.execute("wp_step.")
    lines = out.split("\n")
    assert lines[0] == "1 goal"
    assert lines[1].strip().startswith("n : nat")
    sep_p = next(i for i, ln in enumerate(lines) if ln.rstrip().endswith("□"))
    sep_s = next(i for i, ln in enumerate(lines) if ln.rstrip().endswith("∗") and "---" in ln)
    bar = next(i for i, ln in enumerate(lines) if "=====" in ln)
    assert sep_p < sep_s < bar
    assert any("H1 : l1 ↦[n] a" in ln for ln in lines[sep_s:bar])
    assert "WP[n]" in lines[bar + 1]


def test_undo_restores_exactly_the_previous_goals():
    e = ReplEngine(SWAP, until=line_of(SWAP, "wp_call."))
    before_text, before = e.goals_text(), goals_state(e)
    assert "H1" in e.execute("wp_step.")
    assert e.goals_text() != before_text
    out = e.execute("Undo.")
    assert out == before_text
    assert goals_state(e) == before


def test_undo_then_qed_gives_a_derivation_the_kernel_accepts():
    e = ReplEngine(SWAP, until=line_of(SWAP, "wp_call."))
    # a wrong step, undone; a step that fails half-way (its first part fills the hole of the
    # goal before the second part fails); Back over two steps; Restart undone.
    assert "Error" not in e.execute("wp_step. wp_pures.")
    assert "Error" not in e.execute("Undo.")
    assert "Error" in e.execute("wp_pures; wp_step; bogus.")
    assert "Error" not in e.execute("wp_pures. wp_step.")
    assert "Error" not in e.execute("Back 2.")
    assert "Error" not in e.execute("Restart.")
    assert e.script() == []
    assert "Error" not in e.execute("Undo.")
    assert [st.name for st in e.script()] == ["intros", "wp_call", "wp_step"]
    assert "Error" not in e.execute("wp_pures. wp_step. wp_pures. wp_step. wp_pures.")
    assert "Error" not in e.execute("wp_step. wp_pures.")
    assert e.execute("frame.").startswith("No more goals")
    deriv = e.proof.ps.derivation()
    fresh = start(e.kernel, e.proof.stmt)
    for st in e.script():
        run_step(fresh, st)
    assert fresh.derivation() == deriv
    out = e.execute("Qed.")
    assert "swap_spec is proved" in out
    assert "swap.swap_spec" in e.kernel.theorems and not e.in_proof
    assert "Closed under" not in e.execute("Print Assumptions swap_spec.")


def _file_theorems(path):
    with open(path, encoding="utf-8") as f:
        doc = parse_file(f.read(), path)
    return [c for c in doc.commands if isinstance(c, THEOREM_TYPES) and c.proof is not None
            and c.proof.ending == "Qed"]


def test_there_are_proofs_to_replay():
    assert sum(bool(_file_theorems(p)) for p in PV_FILES) >= 3


@pytest.mark.parametrize("path", PV_FILES, ids=lambda p: os.path.relpath(p, ROOT))
def test_every_step_of_every_proof_undoes_exactly(path):
    """Each step of each example proof: run it, undo it, the state is what it was, run it
    again; Qed is then accepted by the kernel."""
    for thm in _file_theorems(path):
        e = ReplEngine(path, until=thm.proof.pos.line)
        assert e.in_proof and e.proof.name == thm.name, e.load_report
        for st in thm.proof.steps:
            before, text = goals_state(e), e.goals_text()
            e._apply(("step", st), "step")
            e.execute("Undo.")
            assert goals_state(e) == before and e.goals_text() == text, (thm.name, st)
            e._apply(("step", st), "step")
        assert "is proved" in e.execute("Qed."), thm.name


def test_undo_across_theorem_boundaries():
    e = ReplEngine(SWAP, until=line_of(SWAP, "frame."))
    assert e.execute("Qed.").startswith("swap_spec is proved")
    # Undo of Qed: the session before it is put back (repl/snapshot.py), in the proof
    out = e.execute("Undo.")
    assert e.in_proof and "swap.swap_spec" not in e.kernel.theorems
    assert out.startswith("No more goals")
    assert "is proved" in e.execute("Qed.")
    # a theorem of the REPL: statement, Proof, tactics, Abort, Undo (back in the proof)
    e.execute("Lemma swap_twice (n : nat) (l1 l2 : loc) (a b : val) :\n"
              "  {l1 ↦[n] a ∗ l2 ↦[n] b} swap(#l1, #l2) {r. l2 ↦[n] a ∗ l1 ↦[n] b}[n].")
    assert e.prompt == "swap_twice < "
    e.execute('Proof. intros n l1 l2 a b "[H1 H2]".')
    state = goals_state(e)
    assert e.execute("Abort.") == "swap_twice aborted." and not e.in_proof
    e.execute("Undo.")
    assert e.in_proof and goals_state(e) == state
    out = e.execute("wp_call.")
    assert "let a := !#l1 in" in out
    out = e.execute("wp_step. wp_pures. wp_step. wp_pures. wp_step. wp_pures. wp_step.\n"
                    "wp_pures.")
    assert "H1 : l1 ↦[n] b" in out
    assert "is proved" in e.execute("frame. Qed.")
    assert "heap_store" in e.execute("Print Assumptions swap_twice.")
    # Back over Qed and the last two tactics
    e.execute("Back 3.")
    assert e.in_proof and "swap_twice" not in e.kernel.theorems
    assert [st.name for st in e.script()[-2:]] == ["wp_pures", "wp_step"]
    # undoing the statement leaves proof mode
    e.execute("Back 11.")
    assert not e.in_proof and "swap.swap_spec" in e.kernel.theorems
    # then the Qed of swap_spec, and everything back to the start of its proof
    assert e.execute("Undo.").startswith("No more goals")
    n = len(e.entries)
    assert n == 2 + len(_file_theorems(SWAP)[0].proof.steps)
    e.execute(f"Back {n}.")
    assert not e.in_proof and "swap.swap_spec" not in e.kernel.theorems
    assert "nothing to undo" in e.execute("Undo.")


def test_definitions_and_their_undo():
    e = ReplEngine(SWAP)
    assert e.execute("Definition dbl (x : nat) : nat := x + x.") == "dbl is defined."
    assert e.execute("Check dbl(3).").startswith("dbl(3) : ")
    assert e.execute("Print dbl.") == "Definition dbl (x : nat) : nat :=\n  x + x."
    out = e.execute("Undo.")
    assert out.startswith("Undone: Definition dbl")
    assert "unknown name dbl" in e.execute("Print dbl.")
    assert "swap.swap_spec" in e.kernel.theorems        # the file is still loaded


def test_failed_definition_changes_nothing():
    e = ReplEngine()
    out = e.execute("Definition d (x : nat) : nat := x + y.")
    assert out.startswith("Error (line 1, column 1)") and "free variables" in out
    assert e.entries == [] and "d" not in e.kernel.defs


def test_qed_of_an_unfinished_proof_and_admitted():
    e = ReplEngine()
    e.execute("Theorem t (n : nat) : ⌜n + 0 = n⌝ ∗ ⌜n = n⌝.")
    out = e.execute("Qed.")
    assert "not complete: 1 goal left" in out and e.in_proof
    assert e.execute("Admitted.") == "t admitted."
    assert "admitted" in e.execute("About t.")
    e.execute("Theorem u (n : nat) : ⌜n + 0 = n⌝. Proof. intros n.")
    assert "No more goals" in e.execute("done.")
    assert "u is proved" in e.execute("Qed.")
    assert "Closed under the global context" in e.execute("Print Assumptions u.")
    assert "already defined" in e.execute("Theorem u : True.")


def test_bullets_and_unfocused_goals():
    path = os.path.join(ROOT, "proofs", "bench", "spin_lock.pv")
    e = ReplEngine(path, until=line_of(path, 'inv_open "Hlk" as "[%b [Hl [%Hb |'))
    assert e.goals_text().startswith("2 goals")
    out = e.execute("- wp_step. wp_value.")
    assert out.startswith("2 goals (1 focused)")
    e.execute("split_l \"Hl\". + exists (b). split_l \"Hl\". done. left. done.")
    out = e.execute("+ left. done.")
    assert "unfocused goal" in out and "bullet" in out
    assert "Error" in e.execute("wp_step.")       # no focused goal
    out = e.execute("-")
    assert out.startswith("1 goal")


# ---- the other commands --------------------------------------------------------------------

def test_print_about_search_check():
    e = ReplEngine(COUNTER)
    assert e.execute("Print incr.").startswith("Function incr (lk c) :=")
    assert e.execute("Print even_inv.").startswith("Predicate even_inv (n : nat) (c : loc) :=")
    assert "{is_lock(lk, even_inv(n, c))} incr(#lk, #c)" in e.execute("Print incr_spec.")
    assert e.execute("Print heap_load.").startswith("axiom heap_load")
    assert e.execute("About wp_step.").startswith("wp_step : tactic")
    assert e.execute("About even_inv.") == "even_inv : Predicate (n : nat) (c : loc)"
    hits = e.execute("Search even_inv.").split("\n")
    assert [h.split(" :")[0] for h in hits if not h.startswith(" ")] == ["incr_spec"]
    assert all(len(h) <= e.width for h in hits)          # laid out for the REPL's width
    assert "counter_main_spec" in e.execute('Search "mod 2".')
    assert e.execute("Search nothing_like_this.").startswith("No theorem or axiom mentions")
    hits = e.execute("Search fs_readat.")      # the semantics' axioms are searched too
    assert hits.startswith("axiom fs_readat") and "sublist(bs, off, k)" in hits
    assert e.execute("Check 1 + 2 = 3.") == "1 + 2 = 3 : bool"
    assert e.execute("Check ∃ (v : u64). ⌜v = 1⌝.") == "∃ (v : u64). ⌜v = 1⌝ : iProp"
    assert e.execute("Check incr_spec.").startswith("incr_spec : ∀ (n : nat)")
    assert "unknown name nope" in e.execute("Print nope.")


def test_check_sees_the_variables_of_the_goal():
    e = ReplEngine(SWAP, until=line_of(SWAP, "intros"))
    assert e.execute("Check l1 ↦[n] a.") == "l1 ↦[n] a : iProp"
    assert e.execute("Check n + 1.") == "n + 1 : int"   # + is on the integers


def test_errors_point_into_the_input():
    e = ReplEngine(SWAP, until=line_of(SWAP, "wp_call."))
    out = e.execute("wp_step.\n  wp_pures.  bogus.")
    lines = out.split("\n")
    # the goals after the sentences that worked, then the error, located on line 2
    assert lines[0] == "1 goal"
    i = next(i for i, ln in enumerate(lines) if ln.startswith("Error"))
    assert lines[i] == "Error (line 2, column 14): unknown tactic 'bogus'"
    assert lines[i + 1] == "    wp_pures.  bogus."
    assert lines[i + 2] == "               ^"
    out = e.execute('exists (1 +).')
    assert out.startswith("Error (line 1, column")
    assert e.in_proof and e.errors == 2


def test_quit_and_show():
    e = ReplEngine(SWAP, until=line_of(SWAP, "wp_call."))
    assert e.execute("Show.") == e.goals_text()
    assert e.execute("Show 1.").startswith("goal 1:")
    assert "only 1 goal" in e.execute("Show 2.")
    assert e.execute("Quit.") == "" and e.quit


def test_completions():
    e = ReplEngine(COUNTER, until=line_of(COUNTER, 'destruct "Hinv"'))
    assert e.completions('destruct "H')[1] == ["Hc", "Hlk", "Hlocked", "Hv"]
    assert e.completions("wp_s") == ("wp_s", ["wp_step"])
    assert "Qed" in e.completions("Q")[1] and "Undo" in e.completions("U")[1]
    assert e.completions("wp_apply inc") == ("inc", ["incr"])
    assert e.completions("Print heap_lo") == ("heap_lo", ["heap_load", "heap_load_ro"])
    assert "Assumptions" in e.completions("Print A")[1]


# ---- the non-interactive mode --------------------------------------------------------------

def test_batch_mode_reads_sentences_over_several_lines():
    e = ReplEngine(SWAP, until=line_of(SWAP, "wp_call."))
    out = io.StringIO()
    script = ["wp_step. wp_pures.\n", "Check ∃ (x : nat).\n", "  ⌜x = 1⌝.\n", "Undo.\n",
              "bogus.\n"]
    rc = run_batch(e, script, out.write)
    text = out.getvalue()
    assert rc == 1                                  # a sentence failed
    assert text.startswith("Loaded ")
    assert "∃ (x : nat). ⌜x = 1⌝ : iProp" in text
    assert "unknown tactic 'bogus'" in text


def test_pv_repl_reads_stdin_when_it_is_not_a_terminal(tmp_path):
    line = line_of(SWAP, "wp_call.")
    script = "wp_step. wp_pures.\nwp_step. wp_pures. wp_step. wp_pures. wp_step. wp_pures.\n" \
             "frame.\nQed.\nPrint Assumptions swap_spec.\n"
    env = dict(os.environ, PV_HISTORY=str(tmp_path / "hist"))
    p = subprocess.run([sys.executable, "-m", "driver.cli", "repl", SWAP, "--until", str(line)],
                       input=script, capture_output=True, text=True, cwd=ROOT, env=env,
                       timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "pv <" not in p.stdout and "swap_spec <" not in p.stdout
    assert "swap_spec is proved" in p.stdout
    assert "axiom heap_store" in p.stdout


def test_pv_help_stays_fast_and_does_not_import_the_ui():
    code = ("import sys, time; t = time.perf_counter(); from driver import cli\n"
            "import contextlib, io\n"
            "with contextlib.redirect_stdout(io.StringIO()): cli.main(['--help'])\n"
            "print(time.perf_counter() - t, 'prompt_toolkit' in sys.modules, "
            "'repl.engine' in sys.modules)")
    best = None
    for _ in range(3):
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           cwd=ROOT, timeout=60)
        secs, ui, eng = p.stdout.split()
        assert ui == "False" and eng == "False"
        best = min(best or 9, float(secs))
    assert best < 0.15
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "driver.cli", "repl", "--help"],
                       capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert p.returncode == 0 and "--until LINE" in p.stdout
    assert time.perf_counter() - t < 5


def test_crash_theorems_print_and_search():
    path = os.path.join(ROOT, "proofs", "replicated_disk", "rd_proof.pv")
    if not os.path.exists(path):
        pytest.skip("no crash theorems in proofs/")
    e = ReplEngine(path)
    crash = [t.name for t in _file_theorems(path) if type(t) is not TheoremDef]
    assert crash, "rd_proof.pv has no crash theorem"
    out = e.execute(f"Print {crash[0]}.")
    assert out.startswith(f"Theorem {crash[0]} :") and "⇒[" in out
    assert crash[0] in e.execute("Search CrashInv.")
    assert e.errors == 0


def test_an_internal_error_is_reported_and_the_repl_goes_on(monkeypatch):
    e = ReplEngine(SWAP, until=line_of(SWAP, "wp_call."))

    def boom(*a):
        raise ValueError("boom")
    monkeypatch.setattr(e, "_cmd_Show", boom)
    assert "internal error: ValueError: boom" in e.execute("Show.")
    assert "let b := !#l2" in e.execute("wp_step. wp_pures.")


def test_require_in_the_repl_is_relative_to_the_loaded_file(tmp_path, monkeypatch):
    (tmp_path / "lib.pv").write_text("Definition one : u64 := 1.\n", encoding="utf-8")
    main = tmp_path / "main.pv"
    main.write_text("Definition two : u64 := 2.\n", encoding="utf-8")
    monkeypatch.chdir(ROOT)
    e = ReplEngine(str(main))
    e.execute('Require "lib.pv".')
    assert e.errors == 0 and "lib.one" in e.kernel.defs


def test_a_syntax_error_after_the_until_line_does_not_stop_loading(tmp_path):
    text = open(SWAP, encoding="utf-8").read() + "\nTheorem broken : (( .\n"
    f = tmp_path / "swap_wip.pv"
    f.write_text(text, encoding="utf-8")
    until = line_of(SWAP, "wp_call.")
    e = ReplEngine(str(f), until=until)
    assert e.errors == 0, e.load_report
    assert "Proving swap_spec" in e.load_report


def test_a_function_may_call_one_the_file_defines_later(tmp_path):
    # as in `pv check` (Session.load_text): the file's Functions are known before they are run
    path = tmp_path / "fwd.pv"
    path.write_text("Function f () := g().\n\nFunction g () := 1.\n\n"
                    "Theorem f_ok (n : nat) : {emp} f() {r. ⌜r = 1⌝}[n].\nProof.\n"
                    "  intros n \"_\".\n  wp_call. wp_call. wp_pures.\n  done.\nQed.\n",
                    encoding="utf-8")
    e = ReplEngine(str(path))
    assert e.errors == 0 and "1 proved" in e.load_report, e.load_report
    e = ReplEngine(str(path), until=8)            # the steps of line 8 run, `done.` not
    assert e.errors == 0 and e.in_proof
    assert e.execute("done.").startswith("No more goals")
    assert "is proved" in e.execute("Qed.")


def test_a_file_that_ends_inside_a_proof_is_entered_there(tmp_path):
    # the file being written: its last proof has no Qed yet (Coq's coqtop/Proof General enter
    # it); with --until at or after its last line the same
    text = open(SWAP, encoding="utf-8").read()
    head = text[:text.index("wp_step.")]          # intros and wp_call, then the file ends
    f = tmp_path / "swap_open.pv"
    f.write_text(head, encoding="utf-8")
    lines = len(head.splitlines())
    for until in (None, lines, lines + 5):
        e = ReplEngine(str(f), until=until)
        assert e.errors == 0 and e.in_proof, e.load_report
        assert f"Proving swap_spec (from {f}, up to line {lines})" in e.load_report
        assert "let a := !#l1 in" in e.load_report       # wp_call has run
        assert [x.action[0] for x in e.entries] == ["theorem", "proof", "step", "step"]
        assert not e.execute("wp_step.").startswith("error")
    # an error that closing the proof does not cure is still reported where it is
    for bad in (head + "  wp_step", head + "  (* not closed", "Function f () := (.\n" + head):
        f.write_text(bad, encoding="utf-8")
        e = ReplEngine(str(f))
        assert e.errors == 1 and not e.in_proof and ": error: " in e.load_report
