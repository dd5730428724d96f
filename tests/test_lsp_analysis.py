"""What the language server computes, without the protocol (lsp/analysis.py): re-checks that
reuse kernel-checked derivations only where the text is unchanged, and never trust one the
kernel rejects; proof states at positions, also in files with Records; completion while a
sentence does not parse yet; definitions."""
import os

from lsp.analysis import Checker, prefix_key

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COUNTER = os.path.join(ROOT, "proofs", "heap", "counter.pv")
RD_PROOF = os.path.join(ROOT, "proofs", "replicated_disk", "rd_proof.pv")

TWO = """\
Theorem first (x : u64) : ⌜x = x⌝.
Proof.
  intros x.
  done.
Qed.

Theorem second (l : loc) (n : nat) (v : val) : l ↦[n] v -∗ l ↦[n] v.
Proof.
  intros l n v "H".
  frame.
Qed.
"""


def status(a):
    return {r.name: r.status for r in a.session.results}


def test_recheck_reuses_only_the_unchanged_prefix(tmp_path):
    c = Checker(str(tmp_path / "two.pv"))
    a = c.check(TWO)
    assert status(a) == {"first": "proved", "second": "proved"} and a.reused == 0
    assert c.check(TWO).reused == 2
    # a change in the second proof: the first is reused, the second run again (and fails)
    broken = TWO.replace("  frame.\n", "  frme.\n")
    a = c.check(broken)
    assert a.reused == 1 and status(a) == {"first": "proved", "second": "failed"}
    assert [d["start"]["line"] for d in a.diagnostics()] == [10]
    # a change before the first theorem invalidates both
    assert c.check("(* note *)\n" + TWO).reused == 0


def test_a_kept_derivation_the_kernel_rejects_is_not_trusted(tmp_path):
    c = Checker(str(tmp_path / "two.pv"))
    c.check(TWO)
    broken = TWO.replace("  frame.\n", "  frme.\n")
    first = prefix_key(TWO[:TWO.index("Theorem second")])
    assert set(c.kept) == {first, prefix_key(TWO)}
    # pretend the broken second theorem was proven by the first theorem's derivation
    c.kept = {first: c.kept[first], prefix_key(broken): c.kept[first]}
    a = c.check(broken)
    assert a.reused == 1 and status(a) == {"first": "proved", "second": "failed"}


def test_goal_at_positions_in_a_case_study():
    text = open(COUNTER, encoding="utf-8").read()
    a = Checker(COUNTER).check(text)
    assert a.diagnostics() == []
    lines = text.splitlines()
    i = next(n for n, ln in enumerate(lines, 1) if "destruct \"Hinv\"" in ln)
    before = a.goal_at(i, 1)
    after = a.goal_at(i, 4)
    assert before.theorem == after.theorem == "incr_spec" and after.steps == before.steps + 1
    assert "Hinv" in dict(before.hypotheses) and "Hinv" not in dict(after.hypotheses)
    assert "Hc" in dict(after.hypotheses)
    # in the statement: the initial state; outside a theorem: none
    assert a.goal_at(i - 5, 3).steps == 0
    assert a.goal_at(1, 1) is None


def test_goal_at_with_records_and_requires():
    text = open(RD_PROOF, encoding="utf-8").read()
    a = Checker(RD_PROOF).check(text)
    line = next(n for n, ln in enumerate(text.splitlines(), 1) if ln.startswith("Lemma clean_block"))
    g = a.goal_at(line + 4, 3)              # inside the proof, after its first step
    assert g is not None and g.error is None and g.theorem == "clean_block"
    # go to the record's definition in rd_spec.pv
    col = text.splitlines()[line - 1].index("RDState") + 2
    path, ln, c, _, _ = a.definition(line, col)
    assert path.endswith("rd_spec.pv")
    spec = open(path, encoding="utf-8").read().splitlines()
    assert spec[ln - 1][c - 1:].startswith("RDState")


def test_completion_while_the_sentence_does_not_parse(tmp_path):
    c = Checker(str(tmp_path / "two.pv"))
    c.check(TWO)
    typing = TWO.replace("  frame.\n", '  destruct "\n')
    a = c.check(typing)
    assert a.fallback is not None             # a syntax error: the string is not closed
    assert a.diagnostics() and a.diagnostics()[0]["severity"] == "error"
    assert a.completions(10, 13) == [("H", "hypothesis")]
    assert len(c.kept) == 2                   # the derivations wait for the text to parse
    assert c.check(TWO).reused == 2
    labels = dict(c.check(TWO.replace("  frame.\n", "  fr\n")).completions(10, 5))
    assert labels.get("frame") == "tactic" and "H" not in labels   # prefix fr


def test_hover_and_completion_outside_proofs(tmp_path):
    c = Checker(str(tmp_path / "two.pv"))
    a = c.check(TWO + "\nPrint Assumptions second.\n")
    assert "second : ∀ (l : loc)" in a.hover(13, 20)
    assert ("Theorem", "keyword") in a.completions(13, 1)
    assert a.definition(13, 20)[1:3] == (7, 9)
