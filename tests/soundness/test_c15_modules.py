"""Modules (issue 12, point 1): each file is a name space, and the kernel never confuses two
definitions of one short name from different files (it keys them by module)."""
from __future__ import annotations

import json

from driver.cli import main
from driver.load import Session

A = """Predicate Good (x : u64) := ⌜x = 1⌝.
Theorem good_one : Good(1).
Proof. unfold Good. done. Qed.
"""
# the same short name, another meaning: Good(1) is false here
B = """Predicate Good (x : u64) := ⌜x = 2⌝.
"""


def write(tmp_path, **files):
    for name, text in files.items():
        (tmp_path / f"{name}.pv").write_text(text, encoding="utf-8")
    return tmp_path


def check(tmp_path, *names):
    s = Session()
    for n in names:
        s.load_file(str(tmp_path / f"{n}.pv"))
    return s, [d.render() for d in s.diagnostics]


def status(s, name):
    return {(r.path.rsplit("/", 1)[-1], r.name): r.status for r in s.results}.get(name)


def test_two_files_with_the_same_names_do_not_clash(tmp_path):
    write(tmp_path, a=A, b=B + "Theorem good_two : Good(2).\nProof. unfold Good. done. Qed.\n")
    s, diags = check(tmp_path, "a", "b")
    assert not diags, diags
    assert {"a.Good", "b.Good"} <= set(s.kernel.preds)
    assert s.kernel.theorems["a.good_one"].statement != s.kernel.theorems["b.good_two"].statement


def test_names_of_a_file_not_required_are_invisible(tmp_path):
    """Loaded earlier in the same run, a's theorem is still not b's to use."""
    write(tmp_path, a=A, b="Theorem t : True.\nProof. use good_one as \"H\". done. Qed.\n"
                           "Lemma u : True.\nProof. use a.good_one as \"H\". done. Qed.\n")
    s, diags = check(tmp_path, "a", "b")
    text = "\n".join(diags)
    assert status(s, ("b.pv", "t")) == "failed" and status(s, ("b.pv", "u")) == "failed"
    assert "good_one" in text and 'add Require "a.pv"' in text, text


def test_a_theorem_about_one_definition_is_not_about_the_other(tmp_path):
    """b requires a and defines its own Good: a's theorem is about a.Good, so it cannot prove
    b's Good(1) (false), neither through apply nor through a hand-written statement."""
    write(tmp_path, a=A, b='Require "a.pv".\n' + B +
          "Theorem bad : Good(1).\nProof. apply good_one. Qed.\n"
          "Theorem fine : a.Good(1).\nProof. apply good_one. Qed.\n")
    s, diags = check(tmp_path, "b")
    assert status(s, ("b.pv", "bad")) == "failed", diags
    assert status(s, ("b.pv", "fine")) == "proved", diags


def test_a_local_definition_shadows_a_required_one(tmp_path):
    write(tmp_path, a=A, b='Require "a.pv".\n' + B +
          "Theorem two : Good(2).\nProof. unfold Good. done. Qed.\n")
    s, diags = check(tmp_path, "b")
    assert not diags and status(s, ("b.pv", "two")) == "proved", diags
    assert "b.Good" in str(s.kernel.theorems["b.two"].statement)


def test_an_ambiguous_name_is_a_located_error_naming_both(tmp_path):
    write(tmp_path, a=A, b=B, c='Require "a.pv".\nRequire "b.pv".\n'
          "Theorem t : Good(1).\nProof. done. Qed.\n"
          "Theorem q : a.Good(1).\nProof. unfold a.Good. done. Qed.\n")
    s, diags = check(tmp_path, "c")
    amb = [d for d in diags if "ambiguous" in d]
    assert amb and amb[0].split(": error")[0].endswith("c.pv:3:13"), diags
    assert "a.Good" in amb[0] and "b.Good" in amb[0] and "a.pv:1" in amb[0], amb
    assert status(s, ("c.pv", "q")) == "proved", diags
    assert status(s, ("c.pv", "t")) == "failed", diags      # counted, never silently skipped


def test_print_assumptions_names_theorems_by_module(tmp_path):
    write(tmp_path, a="Theorem t : True.\nAdmitted.\n",
          b='Require "a.pv".\nTheorem t : True.\nProof. use a.t as "H". done. Qed.\n'
            "Print Assumptions t.\n")
    s, _ = check(tmp_path, "b")
    assert "Assumptions of b.t:" in s.output and "  admitted a.t" in s.output, s.output


def test_a_certificate_edited_to_swap_the_definitions_is_rejected(tmp_path, capsys):
    """The certificate names each definition by module; pointing a's theorem at b's Good (whose
    Good(1) is false) makes the recheck fail."""
    write(tmp_path, a=A, b=B, c='Require "a.pv".\nRequire "b.pv".\n')
    cert = tmp_path / "c.json"
    assert main(["check", "--certificate", str(cert), str(tmp_path / "c.pv")]) == 0
    data = cert.read_text(encoding="utf-8")
    assert '"a.Good"' in data and '"b.Good"' in data
    entries = json.loads(data)
    text = json.dumps(entries)
    n = text.count('"a.good_one"')
    assert n >= 1
    # the theorem's statement now names b.Good
    swapped = text.replace('{"PredApp": ["a.Good"', '{"PredApp": ["b.Good"')
    if swapped == text:       # the encoding may differ: swap every use after the definitions
        head, _, tail = text.partition('"a.good_one"')
        swapped = head + '"a.good_one"' + tail.replace('"a.Good"', '"b.Good"')
    assert swapped != text
    cert.write_text(swapped, encoding="utf-8")
    capsys.readouterr()
    assert main(["recheck", str(cert)]) == 1
    out = capsys.readouterr()
    assert "good_one: ok" not in out.out, out


def test_the_module_names_of_two_files_with_one_stem_differ(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    (tmp_path / "x" / "m.pv").write_text(A, encoding="utf-8")
    (tmp_path / "y" / "m.pv").write_text(A, encoding="utf-8")
    s = Session()
    s.load_file(str(tmp_path / "x" / "m.pv"))
    s.load_file(str(tmp_path / "y" / "m.pv"))
    assert not s.diagnostics, [d.render() for d in s.diagnostics]
    assert {"m.Good", "y.m.Good"} <= set(s.kernel.preds)


def test_folder_check_checks_each_file_against_its_own_requirements(tmp_path, capsys):
    """A scratch copy of a file in the same folder no longer fails the original (issue 12)."""
    write(tmp_path, a=A, a_copy=A)
    assert main(["check", str(tmp_path)]) == 0, capsys.readouterr()


def test_the_two_case_study_specs_both_have_write_and_read(tmp_path):
    """rd_spec and pair_spec both define Write and Read (issue 12: the pair's were renamed
    WritePair/ReadPair while names were global); a file requiring both must qualify them."""
    import os
    root = os.path.join(os.path.dirname(__file__), "..", "..", "proofs")
    rd = os.path.abspath(os.path.join(root, "replicated_disk", "rd_spec.pv"))
    pair = os.path.abspath(os.path.join(root, "pair", "pair_spec.pv"))
    write(tmp_path, both=f'Require "{rd}".\nRequire "{pair}".\n'
          "Theorem amb (j : val) : j ⤇[0] Read() -∗ j ⤇[0] Read().\nProof. done. Qed.\n"
          "Theorem ok (j : val) : j ⤇[0] pair_spec.Read() -∗ j ⤇[0] pair_spec.Read().\n"
          "Proof. intros j \"H\". done. Qed.\n")
    s, diags = check(tmp_path, "both")
    amb = [d for d in diags if "both.pv:3:" in d]
    assert amb and "rd_spec.Read" in amb[0] and "pair_spec.Read" in amb[0], diags
    assert status(s, ("both.pv", "ok")) == "proved", diags
    assert {"rd_spec.Write", "pair_spec.Write"} <= set(s.kernel.spec_ops)


def test_the_repl_reads_and_prints_names_in_its_file_s_scope(tmp_path):
    from repl.engine import ReplEngine
    write(tmp_path, a=A, b='Require "a.pv".\n' + B)
    e = ReplEngine(str(tmp_path / "b.pv"))
    other = ReplEngine(str(tmp_path / "a.pv"))      # another engine, another scope
    assert e.execute("Print Good.").startswith("Predicate Good (x : u64) :=\n  ⌜x = 2⌝")
    assert e.execute("Print a.Good.").startswith("Predicate a.Good (x : u64) :=\n  ⌜x = 1⌝")
    out = e.execute("Theorem t : a.Good(1) ∗ Good(2).")
    assert e.in_proof and "a.Good(1) ∗ Good(2)" in out, out
    assert other.execute("Print Good.").endswith("⌜x = 1⌝.")


def test_module_names_stay_distinct_when_every_folder_name_is_taken(tmp_path):
    # every name of a file's chain (m, a_b.m, ..., the whole path) taken by earlier files --
    # possible when paths differ only in characters a name cannot hold (a_b and a.b): the
    # loop ran out of folders and reused a taken name
    import os
    from driver.modules import Module, module_name
    f = tmp_path / "a.b" / "m.pv"
    f.parent.mkdir()
    f.write_text("Definition f (x : u64) : u64 := 1.\n", encoding="utf-8")
    s = Session()
    name, parts = module_name(str(f)), os.path.dirname(str(f)).split(os.sep)
    taken = [name]
    while parts:
        part = module_name(parts.pop())
        name = f"{part}.{name}" if part != "m_" else name
        taken.append(name)
    for i, n in enumerate(taken):
        s.modules[f"/elsewhere/{i}.pv"] = Module(n, f"/elsewhere/{i}.pv")
    s.load_file(str(f))
    mine = s.modules[os.path.abspath(str(f))].name
    assert mine not in taken and not s.diagnostics


def test_a_definition_cannot_take_a_qualified_name(tmp_path):
    write(tmp_path, a=A, c='Require "a.pv".\nPredicate a.Good (x : u64) := ⌜x = 1⌝.\n')
    s, diags = check(tmp_path, "c")
    assert any("a definition's name cannot be qualified" in d for d in diags)
