"""`pv check --json`: one JSON document per run, with diagnostic ranges, the goal at the
failing step, per-theorem results and the summary (schema in docs/editor.md)."""
import json
import os
import subprocess
import sys

from driver.cli import main
from driver.diagnostics_json import SCHEMA, span

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

GOOD = """\
Theorem ok_thm (x : u64) : ⌜x = x⌝.
Proof.
  intros x.
  done.
Qed.
"""

BAD = """\
Theorem bad_thm (n : nat) (l : loc) (v : val) :
  l ↦[n] v -∗ l ↦[n] v.
Proof.
  intros n l v "H".
  bogus_tactic "H".
Qed.

Theorem unfinished (x : u64) : ⌜x = x⌝.
Proof.
  intros x.
Qed.

Theorem draft : True.
Admitted.
"""


def check_json(capsys, *args):
    code = main(["check", "--json", *args])
    out = capsys.readouterr()
    assert out.err == ""
    return code, json.loads(out.out)


def test_clean_file(capsys, tmp_path):
    f = tmp_path / "good.pv"
    f.write_text(GOOD, encoding="utf-8")
    code, doc = check_json(capsys, str(f))
    assert code == 0
    assert doc["schema"] == SCHEMA and doc["diagnostics"] == []
    (thm,) = doc["theorems"]
    assert thm["name"] == "ok_thm" and thm["status"] == "proved" and thm["line"] == 1
    assert doc["summary"]["ok"] is True and doc["summary"]["proven"] == 1
    assert doc["summary"]["text"].startswith("OK: 1 file, 1 proven")


def test_errors_have_ranges_and_goals(capsys, tmp_path):
    f = tmp_path / "bad.pv"
    f.write_text(BAD, encoding="utf-8")
    code, doc = check_json(capsys, str(f))
    assert code == 1
    by_line = {d["start"]["line"]: d for d in doc["diagnostics"]}
    tac = by_line[5]
    assert tac["file"] == str(f) and tac["severity"] == "error"
    assert tac["start"] == {"line": 5, "column": 3}
    # the range covers the whole failing sentence `bogus_tactic "H".`
    assert tac["end"] == {"line": 5, "column": 3 + len('bogus_tactic "H".')}
    assert "bogus_tactic" in tac["message"]
    assert "H : l ↦[n] v" in tac["goal"] and tac["goal"].splitlines()[-1] == "l ↦[n] v"
    qed = by_line[11]
    assert qed["end"] == {"line": 11, "column": 5} and "not complete" in qed["message"]
    assert "⌜x = x⌝" in qed["goal"]
    status = {t["name"]: t["status"] for t in doc["theorems"]}
    assert status == {"bad_thm": "failed", "unfinished": "failed", "draft": "admitted"}
    s = doc["summary"]
    assert (s["ok"], s["proven"], s["admitted"], s["failed"], s["errors"]) == \
        (False, 0, 1, 2, 2)


def test_syntax_error_covers_the_token(capsys, tmp_path):
    f = tmp_path / "syn.pv"
    f.write_text("Definition f (x : u64) : u64 :=\n  x + + 1.\n", encoding="utf-8")
    code, doc = check_json(capsys, str(f))
    assert code == 1
    (d,) = doc["diagnostics"]
    assert d["start"]["line"] == 2 and d["goal"] is None
    assert d["end"]["line"] == 2 and d["end"]["column"] == d["start"]["column"] + 1


def test_one_document_per_run_for_several_files(tmp_path):
    (tmp_path / "a.pv").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.pv").write_text(BAD, encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "driver.cli", "check", "--json", str(tmp_path)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 1 and p.stderr == ""
    doc = json.loads(p.stdout)        # exactly one document: json.loads rejects a second one
    assert {d["file"] for d in doc["diagnostics"]} == {str(tmp_path / "b.pv")}
    assert [t["name"] for t in doc["theorems"]] == ["ok_thm", "bad_thm", "unfinished", "draft"]
    assert doc["summary"]["files"] == 2


def test_print_output_is_kept(capsys, tmp_path):
    f = tmp_path / "p.pv"
    f.write_text(GOOD + "\nPrint Assumptions ok_thm.\n", encoding="utf-8")
    code, doc = check_json(capsys, str(f))
    assert code == 0 and doc["output"][0] == "Assumptions of p.ok_thm:"   # (module p)


def test_span_of_a_statement_spans_lines():
    text = "Theorem t :\n  True.\nProof.\n  done.\nQed.\n"
    starts = [(1, 1), (3, 1), (4, 3), (5, 1)]
    assert span(text, starts, 1, 1) == (2, 8)
    assert span(text, starts, 4, 3) == (4, 8)
    assert span(text, starts, 2, 3) == (2, 7)          # inside a sentence: the token
    # a comment after the dot is not part of the sentence
    text2 = "Theorem t : True.  (* why. *)\nProof.\n"
    assert span(text2, [(1, 1), (2, 1)], 1, 1) == (1, 18)


def test_print_of_a_crash_theorem_shows_its_statement(capsys, tmp_path):
    """A crash theorem's statement is no assertion: `Print` shows it as ``∀ x. P ⇒[n] Q``
    (it was an internal error: the printer was given the kernel's CrashStatement)."""
    f = tmp_path / "c.pv"
    f.write_text("Theorem c (n : nat) (a : u64) (v : val) : master[n](0[a], v) ⇒[n] "
                 "master[n + 1](0[a], v).\nProof. done. Qed.\nPrint c.\n", encoding="utf-8")
    code, doc = check_json(capsys, str(f))
    assert code == 0 and not doc["diagnostics"], doc
    assert doc["output"] == ["c.c : ∀ (n : nat) (a : u64) (v : val). master[n](0[a], v) ⇒[n] "
                             "master[n + 1](0[a], v)"]


def test_print_of_a_definition_shows_it(capsys, tmp_path):
    """`Print` in a file shows definitions too, as the REPL's `Print` (and Coq's) does; a
    name that is nothing is an error at its position."""
    f = tmp_path / "d.pv"
    f.write_text("Definition double (x : nat) : nat := x + x.\n"
                 "Predicate cell (l : loc) := ∃ v. l ↦[0] v.\n"
                 "Function inc (l) := l <- !l + 1.\n"
                 "Print double.\nPrint cell.\nPrint inc.\nPrint nothing.\n", encoding="utf-8")
    code, doc = check_json(capsys, str(f))
    assert doc["output"] == ["Definition d.double (x : nat) : nat :=", "  x + x.",
                             "Predicate d.cell (l : loc) :=", "  ∃ v. l ↦[0] v.",
                             "Function d.inc (l) :=", "  l <- !l + 1."], doc["output"]
    assert code == 1 and [(d["start"], d["message"]) for d in doc["diagnostics"]] == \
        [({"line": 7, "column": 7}, "unknown name nothing (Print takes a theorem, refinement, "
          "Definition, Predicate or Function)")]
