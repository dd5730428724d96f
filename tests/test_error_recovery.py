"""Error recovery (issue 12, point 2): a syntax error in one command is reported, the rest of
the file is still checked, and the summary counts the file as failed."""
from __future__ import annotations

from driver.cli import main
from seplogic.parser import parse_file_recovering

TEXT = """Definition d (x : nat) : nat := x + x.
Theorem a : True.
Proof. done. Qed.
Theorem b : True ∗∗ .
Proof. done. Qed.
Definition e (x : u64) : u64 := x +
Theorem c : True.
Proof. done. Qed.
Theorem f : ⌜d(1) = 2⌝.
Proof. done. Qed.
"""


def test_each_syntax_error_is_reported_at_its_place_and_the_rest_parses():
    doc, errors = parse_file_recovering(TEXT, "r.pv")
    assert [(e.line, e.col) for e in errors] == [(4, 19), (6, 36)]
    assert [c.name for c in doc.commands] == ["d", "a", "c", "f"]
    assert [c.pos.line for c in doc.commands] == [1, 2, 7, 9]      # positions kept


def test_a_file_without_errors_parses_as_before():
    doc, errors = parse_file_recovering("Theorem a : True.\nProof. done. Qed.\n", "ok.pv")
    assert not errors and [c.name for c in doc.commands] == ["a"]


def test_the_check_goes_on_and_fails_the_file(tmp_path, capsys):
    p = tmp_path / "r.pv"
    p.write_text(TEXT, encoding="utf-8")
    assert main(["check", str(p)]) == 1
    out, err = capsys.readouterr()
    assert f"{p}:4:19: error:" in err and f"{p}:6:36: error:" in err
    assert "a: ok" in out and "c: ok" in out and "f: ok" in out
    assert out.strip().splitlines()[-1].startswith("FAILED: 1 file, 3 proven, 0 admitted, "
                                                  "0 failed, 2 errors")

