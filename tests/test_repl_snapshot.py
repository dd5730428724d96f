"""Undo of sentences that changed the kernel (repl/snapshot.py): the state after any sequence of
sentences and undos is the state of a fresh REPL that ran only the sentences left, and an
undone theorem or definition can no longer be used."""
import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from driver.load import plan_theorem
from kernel.wf import KernelError
from repl import sentences as S
from repl import snapshot
from repl.engine import ReplEngine

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COUNTER = os.path.join(ROOT, "proofs", "heap", "counter.pv")
with open(COUNTER, encoding="utf-8") as _f:
    SENTENCES = [s.text for s in S.split(_f.read())]


def counter_repl() -> ReplEngine:
    """counter.pv opened before its first command: its sentences are then typed one by one."""
    e = ReplEngine(COUNTER, until=1)
    assert e.errors == 0 and not e.kernel.theorems
    return e


def state(e: ReplEngine):
    """Everything a sentence can change, as plain comparable data (copied: the kernel and the
    modules change their containers in place)."""
    k, s = e.kernel, e.session
    tables = {n: dict(v) for n, v in vars(k).items() if not n.startswith("_")}
    tables["specs"] = {n: (sp.name, sp.state, sp.sort, dict(sp.ops), sp.crash, sp.init,
                           sp.sealed, dict(sp.results or {})) for n, sp in k.specs.items()}
    results = [(r.path, r.name, r.line, r.status, r.axioms, r.admits, r.failed)
               for r in s.results]
    modules = {ap: (m.name, m.path, [r.name for r in m.requires], dict(m.names),
                    dict(m.records), m.functions) for ap, m in s.modules.items()}
    scope = {kind: e.scope.known(kind) for kind in ("term", "pred", "func", "thm", "spec")}
    return dict(
        tables=tables, results=results, modules=modules, scope=scope,
        loaded=dict(s.loaded), diagnostics=[d.render() for d in s.diagnostics],
        failed=set(s.failed), output=list(s.output), scopes=sorted(s.scopes),
        entries=[(x.action, x.text) for x in e.entries],
        prompt=e.prompt, goals=e.goals_text(), script=e.script())


ENGINE = ("entries", "prompt", "goals", "script")      # the engine's part of `state`


def fresh_state(sentences):
    """The state of a fresh REPL on counter.pv that ran ``sentences`` (failing ones too)."""
    ref = counter_repl()
    for text in sentences:
        ref.execute(text)
    return state(ref)


# A move: a number n > 0 types the file's next n sentences; n <= 0 undoes the last 1 - n
# sentences typed (by Undo or Back with their count of entries); a string is typed as it is
# (a sentence out of the file's order: it may fail, and a fresh run fails the same way).
EXTRA = ("Admitted.", "Abort.", "Restart.", "Qed.", "Show.",
         "Definition bad (x : nat) : nat := x + y.", "Definition dbl (x : nat) : nat := x + x.")
MOVES = st.lists(st.one_of(st.integers(min_value=-3, max_value=6), st.sampled_from(EXTRA)),
                 min_size=1, max_size=30)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MOVES)
def test_any_sentences_and_undos_equal_a_fresh_run_of_what_is_left(moves):
    e = counter_repl()
    done = []                         # (text, entries it pushed, position in the file after)
    for i, move in enumerate(moves):
        at = done[-1][2] if done else 0
        if type(move) is str or move > 0:
            texts = [move] if type(move) is str else SENTENCES[at:at + move]
            for text in texts:
                before = len(e.entries)
                e.execute(text)
                at += type(move) is not str
                done.append((text, len(e.entries) - before, at))
            continue
        k = min(1 - move, len(done))
        if k == 0:
            continue
        count = sum(c for _, c, _ in done[-k:])
        del done[-k:]
        if count:
            out = e.execute(f"{'Undo' if i % 2 else 'Back'} {count}.")
            assert not out.startswith("Error"), out
        assert state(e) == fresh_state([t for t, _, _ in done])
    # back to the start, then the whole file: it checks, as from a fresh start
    if e.entries:
        e.execute(f"Back {len(e.entries)}.")
    assert state(e) == fresh_state([])
    for text in SENTENCES:
        out = e.execute(text)
        assert not out.startswith("Error"), (text, out)
    assert state(e) == fresh_state(SENTENCES)
    assert [r.status for r in e.session.results] == ["proved", "proved"]


def _type(e, sentences):
    for text in sentences:
        out = e.execute(text)
        assert not out.startswith("Error"), (text, out)


def _index(prefix):
    return next(i for i, t in enumerate(SENTENCES) if t.startswith(prefix))


def test_an_undone_qed_leaves_the_lemma_unusable():
    e = counter_repl()
    qed = _index("Qed")                           # incr_spec's
    _type(e, SENTENCES[:qed + 1])
    assert [n.rpartition(".")[2] for n in e.kernel.theorems] == ["incr_spec"]
    assert e.execute("Undo.").startswith("No more goals")
    assert not e.kernel.theorems and e.in_proof
    e.execute("Abort.")
    n0 = len(e.entries)
    # the next theorem's proof up to its first `wp_apply incr_spec`
    use = _index("wp_apply incr_spec")
    _type(e, SENTENCES[qed + 1:use])
    out = e.execute(SENTENCES[use])
    assert out.startswith("Error") and "incr_spec" in out
    # back to incr_spec's finished proof, Qed again: the lemma is usable again
    e.execute(f"Back {len(e.entries) - n0 + 1}.")
    assert e.proof.name == "incr_spec" and e.proof.ps.finished()
    _type(e, SENTENCES[qed:use + 1])


def test_a_derivation_resting_on_an_undone_lemma_is_rejected_by_the_kernel():
    e = counter_repl()
    _type(e, SENTENCES[:-2])                      # both theorems, counter_main_spec's Qed not
    assert e.proof.ps.finished()
    deriv, thm = e.proof.ps.derivation(), e.proof.thm
    assert "Error" not in e.execute("Qed.")
    main = _index("Theorem counter_main_spec")
    e.execute(f"Back {len(SENTENCES) - 2 - main + 1}.")    # its Qed, proof and statement
    e.execute("Undo.")                                     # incr_spec's Qed
    assert not e.kernel.theorems and e.in_proof and e.proof.name == "incr_spec"
    e.execute("Abort.")
    with pytest.raises(KernelError):
        plan_theorem(e.kernel, thm).prove(deriv)


def test_an_undone_definition_is_unknown_and_can_be_defined_anew():
    e = ReplEngine()
    defs = dict(e.kernel.defs)                    # the semantics' own
    _type(e, ["Definition d (x : nat) : nat := x + 1.",
              "Theorem t (y : nat) : ⌜d(y) = y + 1⌝.", "Proof.", "intros y.", "done."])
    deriv, thm = e.proof.ps.derivation(), e.proof.thm
    assert "is proved" in e.execute("Qed.")
    assert e.execute("Undo 6.").startswith("Undone: Definition d")
    assert "unknown name d" in e.execute("Print d.")
    assert "unknown" in e.execute("Check d(1).")
    assert e.kernel.defs == defs and not e.kernel.theorems
    # d again, with another meaning: neither the tactics nor the kernel remember the first
    _type(e, ["Definition d (x : nat) : nat := x + 2.",
              "Theorem t (y : nat) : ⌜d(y) = y + 1⌝.", "Proof.", "intros y."])
    assert "cannot close the goal" in e.execute("done.")
    with pytest.raises(KernelError):
        plan_theorem(e.kernel, thm).prove(deriv)


def test_undoing_a_definition_forgets_what_the_pure_checker_learnt_under_it():
    # the kernel's pure memo is dated by the number of definitions: d, undone and defined
    # again with another body, has the same number; the restore empties the memo
    e = ReplEngine()
    _type(e, ["Definition d (x : nat) : bool := x = 1.", "Theorem t : ⌜d(1)⌝.", "Proof.",
              "done."])
    deriv, thm = e.proof.ps.derivation(), e.proof.thm
    assert "is proved" in e.execute("Qed.")
    e.execute("Undo 5.")
    _type(e, ["Definition d (x : nat) : bool := x = 2."])
    with pytest.raises(KernelError):
        plan_theorem(e.kernel, thm).prove(deriv)
    _type(e, ["Theorem t : ⌜d(1)⌝.", "Proof."])
    assert "cannot close the goal" in e.execute("done.")


def test_undoing_a_predicate_forgets_the_sort_checks_made_under_it():
    # the kernel remembers an assertion's sort check, which rests on the predicates it names:
    # P, undone and defined again with another parameter sort, must be checked anew
    e = ReplEngine()
    _type(e, ["Predicate P (x : bool) := ⌜x = true⌝.",
              "Lemma t (b : bool) : {P(b)} () {_. P(b)}[0]."])
    e.execute("Undo 2.")
    assert "unknown" in e.execute("Print P.")
    _type(e, ["Predicate P (x : u64) := ⌜x < 10⌝."])
    out = e.execute("Lemma t (b : bool) : {P(b)} () {_. P(b)}[0].")
    assert "argument x is of sort u64, not bool" in out, out


def test_a_failed_sentence_leaves_the_session_as_it_was():
    e = counter_repl()
    _type(e, SENTENCES[:3])
    before = state(e)
    out = e.execute("Definition bad (x : nat) : nat := x + y.")
    assert out.startswith("Error") and state(e) == before
    out = e.execute('Require "no_such_file.pv".')
    assert out.startswith("Error") and state(e) == before


def test_a_snapshot_can_be_restored_twice_and_is_not_changed_by_what_follows():
    e = ReplEngine()
    e.execute("Spec S (σ : nat).")
    snap = snapshot.take(e.session)
    first = {x: v for x, v in state(e).items() if x not in ENGINE}
    for _ in range(2):
        out = e.execute("Operation S Inc := modify(#(σ + 1)).")
        assert "Error" not in out, out
        snapshot.restore(e.session, snap)
        assert {x: v for x, v in state(e).items() if x not in ENGINE} == first
        assert all(not sp.ops for sp in e.kernel.specs.values())


def test_undoing_require_record_and_spec_sentences_equals_a_fresh_run(tmp_path):
    (tmp_path / "lib.pv").write_text(
        "Definition twice (x : nat) : nat := x + x.\n"
        "Theorem twice_ok (x : nat) : ⌜twice(x) = x + x⌝.\nProof. intros x. done. Qed.\n",
        encoding="utf-8")
    main = tmp_path / "main.pv"
    main.write_text("(* typed in the REPL *)\n", encoding="utf-8")
    typed = ['Require "lib.pv".',
             "Record St := { size : u64; cells : list val }.",
             "Spec S (σ : St).",
             "Operation S Grow := modify(#(St(size(σ) + 1, cells(σ)))).",
             "Theorem use (x : nat) : ⌜twice(x) = x + x⌝.", "Proof.", "intros x.", "done.",
             "Qed."]

    def fresh(k):
        e = ReplEngine(str(main))
        _type(e, typed[:k])
        return e

    e = fresh(len(typed))
    assert "St" in e.scope.records() and any(sp.ops for sp in e.kernel.specs.values())
    for k in range(len(typed) - 1, -1, -1):     # undo one sentence at a time, to the start
        e.execute("Undo.")
        assert state(e) == state(fresh(k)), typed[k]
    lib = str(tmp_path / "lib.pv")
    assert os.path.abspath(lib) not in e.session.loaded and len(e.session.modules) == 1
    assert "unknown" in e.execute("Check twice(1).")
    # and all of it again, on the restored session
    _type(e, typed)
    assert state(e) == state(fresh(len(typed)))


def test_an_undo_forgets_what_the_tactics_remember_about_the_kernel():
    """The tactics' memos are dated by the kernel's table sizes, which an Undo can bring back
    with other contents (a predicate undone and defined again): a restore drops them."""
    from tactics.basic import _UNFOLDED
    from tactics.state import _ENTAILS
    e = ReplEngine()
    _type(e, ["Predicate P (x : nat) := ⌜x = 1⌝.", "Theorem a : P(1) -∗ ⌜true⌝.", "Proof.",
              'intros "H".', 'destruct "H" as "**".', "done."])
    assert e.kernel in _ENTAILS or e.kernel in _UNFOLDED
    e.execute("Undo 6.")
    assert e.kernel not in _ENTAILS and e.kernel not in _UNFOLDED
    _type(e, ["Predicate P (x : nat) := ⌜x = 2⌝.", "Theorem a : P(1) -∗ ⌜false⌝.", "Proof.",
              'intros "H".', 'destruct "H" as "**".', "done."])
    assert "is proved" in e.execute("Qed.")
