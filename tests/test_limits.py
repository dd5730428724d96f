"""Limits (issue 12, point 6): a failed proof is never called admitted, `-q`, an empty folder,
`--version`, undeclared sorts, deep statements and long proofs, `pv run --max-steps`."""
from __future__ import annotations

from driver.cli import main


FAILED_DEP = """Theorem t : False.
Proof. done. Qed.
Theorem u : True.
Proof. use t as "H". done. Qed.
Print Assumptions u.
"""


def test_a_failed_proof_is_never_called_admitted(tmp_path, capsys):
    """Issue 12, point 6: its dependents say they rest on a failed theorem, in the check, in
    Print Assumptions and in the recheck of the certificate."""
    p, cert = tmp_path / "f.pv", tmp_path / "f.json"
    p.write_text(FAILED_DEP, encoding="utf-8")
    assert main(["check", "--certificate", str(cert), str(p)]) == 1
    out = capsys.readouterr().out
    assert "u: ok (rests on failed f.t)" in out and "  failed f.t" in out
    assert "admitted f.t" not in out and "ADMITTED" not in out
    assert main(["recheck", str(cert)]) == 1
    out = capsys.readouterr().out
    assert "u: ok (rests on failed f.t)" in out and "admitted" not in out.split("FAILED:")[0]


def test_quiet_prints_only_errors_and_the_summary(tmp_path, capsys):
    p = tmp_path / "f.pv"
    p.write_text(FAILED_DEP, encoding="utf-8")
    assert main(["check", "-q", str(p)]) == 1
    out, err = capsys.readouterr()
    assert out.strip().splitlines() == [out.strip().splitlines()[-1]]
    assert out.startswith("FAILED: 1 file") and "error: done" in err


def test_an_empty_folder_is_an_error(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 2
    assert "no .pv files" in capsys.readouterr().err


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("pv ")
