"""Issue 16's memos against REPL Undo sequences and hand-edited certificates.

The kernel's memo (pure answers, remembered sort checks) is dated by the number of
definitions; the REPL's Undo starts it anew when the definitions or predicates it puts back
differ from the current ones.  Attacks: a definition and a predicate undone together and
redefined (same names, same count) with other sorts; a failed sentence in between; a Qed
undone and the lemma changed; then certificates edited by hand (`pv recheck`: decoded nodes
carry no well-formed mark, a sort or predicate swapped, a literal of the wrong kind).
"""
import json
import os
import subprocess
import sys

from repl.engine import ReplEngine

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _type(e, sentences):
    for text in sentences:
        out = e.execute(text)
        assert not out.startswith("Error"), (text, out)


LEMMA = "Lemma t (n : nat) : {P(d(n))} () {_. P(d(n))}[0]."


def test_a_definition_and_a_predicate_redefined_together_are_checked_anew():
    e = ReplEngine()
    _type(e, ["Definition d (x : nat) : bool := x = 1.", "Predicate P (y : bool) := ⌜y = true⌝.",
              LEMMA, "Admitted."])
    e.execute("Undo 4.")
    # the same names and counts, d now a number: P(d(n)) is ill-sorted
    _type(e, ["Definition d (x : nat) : nat := x.", "Predicate P (y : bool) := ⌜y = true⌝."])
    out = e.execute(LEMMA)
    assert "argument y is of sort bool, not nat" in out, out
    # and back again: well-sorted once more
    e.execute("Undo 2.")
    _type(e, ["Definition d (x : nat) : bool := x = 1.", "Predicate P (y : bool) := ⌜y = true⌝.",
              LEMMA, "Admitted."])


def test_only_the_predicate_redefined_after_a_failed_sentence():
    e = ReplEngine()
    _type(e, ["Definition d (x : nat) : nat := x.", "Predicate P (y : nat) := ⌜y < 5⌝.",
              LEMMA, "Admitted."])
    e.execute("Undo 3.")                                  # d stays; P and the lemma go
    out = e.execute("Predicate P (y : bool) := ⌜y < 5⌝.")    # fails: nothing left behind
    assert out.startswith("Error"), out
    _type(e, ["Predicate P (y : bool) := ⌜y = true⌝."])
    out = e.execute(LEMMA)
    assert "argument y is of sort bool, not nat" in out, out


def test_a_qed_undone_and_the_definition_changed_under_the_lemma():
    e = ReplEngine()
    proof = ["Theorem t (n : nat) : ⌜d(n) = n + 1⌝.", "Proof.", "intros n.", "done."]
    _type(e, ["Definition d (x : nat) : nat := x + 1."] + proof)
    assert "is proved" in e.execute("Qed.")
    assert e.execute("Undo.").startswith("No more goals")   # Qed undone: the memo is kept
    assert e.in_proof and not e.kernel.theorems
    assert "is proved" in e.execute("Qed.")                 # proved again from the memo
    e.execute(f"Undo {len(e.entries)}.")                    # all of it, the definition too
    assert not any("d" == n.rpartition(".")[2] for n in e.kernel.defs) and not e.kernel.theorems
    _type(e, ["Definition d (x : nat) : nat := x + 2."] + proof[:3])
    assert "cannot close the goal" in e.execute("done.")


def test_a_predicate_redefined_with_another_body_refuses_the_old_derivation():
    import pytest
    from driver.load import plan_theorem
    from kernel.wf import KernelError
    e = ReplEngine()
    proof = ["Theorem t : P(1).", "Proof.", "unfold P.", "done."]
    _type(e, ["Predicate P (x : nat) := ⌜x < 5⌝."] + proof)
    deriv, thm = e.proof.ps.derivation(), e.proof.thm
    assert "is proved" in e.execute("Qed.")
    e.execute(f"Undo {len(e.entries)}.")
    _type(e, ["Predicate P (x : nat) := ⌜x < 0⌝."])     # same name, sort and count
    with pytest.raises(KernelError):
        plan_theorem(e.kernel, thm).prove(deriv)
    _type(e, proof[:3])
    assert "cannot close the goal" in e.execute("done.")


# ---- certificates edited by hand --------------------------------------------------------------

SOURCE = """Predicate P (y : bool) := ⌜y = true⌝.
Predicate Q (y : nat) := ⌜y = y⌝.
Lemma t (b : bool) : P(b) -∗ P(b).
Proof. intros b "H". done. Qed.
"""


def _pv(*args, cwd):
    return subprocess.run([sys.executable, "-m", "driver.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PV_CACHE_DIR": os.path.join(cwd, "cache")})


def test_hand_edited_certificates_are_refused(tmp_path):
    src = tmp_path / "c.pv"
    src.write_text(SOURCE, encoding="utf-8")
    cert = tmp_path / "c.json"
    r = _pv("check", "--no-cache", "--certificate", str(cert), str(src), cwd=str(tmp_path))
    assert r.returncode == 0, r.stdout + r.stderr
    base = cert.read_text(encoding="utf-8")
    assert _pv("recheck", str(cert), cwd=str(tmp_path)).returncode == 0
    binder = '{"k": "Forall", "f": ["b", {"k": "Sort", "f": ["bool", []]}'
    edits = {
        "argument y is of sort bool, not nat": base.replace(binder, binder.replace("bool", "nat")),
        "argument y is of sort nat, not bool": base.replace('"PredApp", "f": ["c.P"',
                                                            '"PredApp", "f": ["c.Q"'),
        "malformed assertion": base.replace('{"k": "Lit", "f": ["bool", true]}',
                                            '{"k": "Lit", "f": ["int", true]}'),
        "not an encoded value": base.replace('{"k": "Var", "f": ["b"]}',
                                             '{"k": "Var", "f": ["b"], "_wf": true}'),
    }
    for why, text in edits.items():
        assert text != base, why
        json.loads(text)
        edited = tmp_path / "e.json"
        edited.write_text(text, encoding="utf-8")
        r = _pv("recheck", str(edited), cwd=str(tmp_path))
        assert r.returncode != 0 and why in r.stderr, (why, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr
