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


def test_an_undeclared_sort_is_an_error(tmp_path, capsys):
    p = tmp_path / "s.pv"
    p.write_text("Definition f (x : Foo) : u64 := 1.\n"
                 "Record St := { a : u64; b : u64 }.\n"
                 "Definition g (s : St) : u64 := a(s).\n", encoding="utf-8")
    assert main(["check", str(p)]) == 1
    err = capsys.readouterr().err
    assert f"{p}:1:19: error: unknown sort Foo" in err and err.count("error:") == 1


def test_max_steps_stops_a_loop_of_pure_steps(tmp_path, capsys):
    """Go's `for {}` is `loop { continue }`: no scheduling point, yet every step counts."""
    p = tmp_path / "spin.pv"
    p.write_text("Function spin () := loop { continue }.\n"
                 "Function down (x) := if x == 0 then () else down(x - 1).\n",
                 encoding="utf-8")
    assert main(["run", str(p), "spin", "--max-steps", "1000"]) == 1
    assert "step limit exceeded" in capsys.readouterr().err
    assert main(["run", str(p), "down", "50", "--max-steps", "20"]) == 1
    assert "step limit exceeded" in capsys.readouterr().err
    assert main(["run", str(p), "down", "5"]) == 0


def _write_big(path, n):
    conj = " ∗ ".join(f"l{i} ↦[n] v{i}" for i in range(n))
    ls, vs = " ".join(f"l{i}" for i in range(n)), " ".join(f"v{i}" for i in range(n))
    hs = " ".join(f"H{i}" for i in range(n))
    path.write_text(f"Theorem big (n : nat) ({ls} : loc) ({vs} : val) :\n  {conj} -∗ {conj}.\n"
                    f"Proof.\n  intros n {ls} {vs} \"[{hs}]\". frame.\nQed.\n"
                    "Print big.\n", encoding="utf-8")


def test_a_statement_with_500_conjuncts_checks(tmp_path, capsys):
    """No recursion limit in the kernel's shape check, the tactics or the printer (issue 12:
    about 65 conjuncts stopped the kernel with `input nested too deeply`)."""
    p = tmp_path / "big.pv"
    _write_big(p, 500)
    assert main(["check", str(p)]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "big: ok" in out and "l499 ↦[n] v499" in out


def test_a_proof_of_2000_steps_checks(tmp_path, capsys):
    m = 1000
    body = ";;\n  ".join(f"x <- {i}" for i in range(1, m + 1))
    steps = "\n".join("  wp_step. wp_pures." for _ in range(m))
    p = tmp_path / "long.pv"
    p.write_text(f"Function f (x) :=\n  {body}.\n"
                 f"Theorem f_spec (n : nat) (x : loc) (v : val) :\n"
                 f"  {{x ↦[n] v}} f(#x) {{r. x ↦[n] {m}}}[n].\n"
                 f"Proof.\n  intros n x v \"H\".\n  wp_call.\n{steps}\n  frame.\nQed.\n",
                 encoding="utf-8")
    assert main(["check", "--certificate", str(tmp_path / "c.json"), str(p)]) == 0, \
        capsys.readouterr().err
    assert main(["recheck", str(tmp_path / "c.json")]) == 0


def test_the_repl_loads_and_steps_deep_statements(tmp_path, capsys, monkeypatch):
    """pv repl (batch mode) runs on the deep stack too: loading a file with a 200-conjunct
    statement and stepping through it."""
    import io
    p = tmp_path / "big.pv"
    _write_big(p, 200)
    monkeypatch.setattr("sys.stdin", io.StringIO("Undo.\nShow.\n"))
    assert main(["repl", str(p), "--until", "4"]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "l199 ↦[n] v199" in out and "error" not in out
