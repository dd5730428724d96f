"""Class 5: a refinement is only as readable as its record.  ``Print r`` says what a recorded
refinement means (the spec as Theorem 2 sealed it: operations, crash step and initial state;
which function implements which operation; the semantics and its parameters; the axioms), and
``Print Assumptions r`` lists the initial-state declaration with the axioms."""
import os

from driver.load import Session
from tests.kernel_helpers import check_text
from tests.soundness.test_c01_premise_capture import SEL

RD = os.path.join(os.path.dirname(__file__), "..", "..", "proofs", "replicated_disk")


def test_print_a_refinement():
    s = check_text(SEL + "\nPrint sel_refines.\nPrint Assumptions sel_refines.\n")
    out = "\n".join(s.output)
    assert "For all (N : u64)" in out and "the spec in state 0" in out
    # Print names every definition by its module (here the file t.pv): docs/syntax.md
    assert "Initial t.Sel (N : u64) := 0" in out
    assert "Operation t.Pick (n : u64) (n1 : u64) := #n" in out and "t.pick(h, n, n1)" in out
    assert "Crash t.Sel := ()" in out and "twodisk_init(N)" in out
    assert "initial state Initial t.Sel (N : u64) := 0" in out      # in Print Assumptions


def test_print_the_replicated_disk():
    s = Session()
    s.load_file(os.path.join(RD, "rd_proof.pv"))
    assert not s.diagnostics
    out = "\n".join(s.output)
    g, sp = "replicated_disk_goose.", "rd_spec."      # Print names definitions by module
    for want in ("refines spec rd_spec.RD", "rd_spec.RDState(N, map_replicate(N, zero_bytes()))",
                 "Operation rd_spec.Read (a : u64) : list val",
                 "Operation rd_spec.Write (a : u64) (v : list val)",
                 g + "replicated_disk_Read(h, a)", g + "replicated_disk_Write(h, a, v)",
                 g + "replicated_disk_Recover() after each crash", "Crash rd_spec.RD := ()",
                 "Semantics: twodisk_init(N)", "twodisk_write",
                 f"initial state Initial {sp}RD (N : u64) := {sp}RDState(N, map_replicate(N, "
                 "zero_bytes()))"):
        assert want in out, want


def test_the_record_does_not_change_with_later_definitions():
    s = check_text(SEL + "\nOperation Sel Later := ().\nPrint sel_refines.\n")
    out = "\n".join(s.output)
    assert "sealed" in "\n".join(d.render() for d in s.diagnostics)
    assert "Later" not in out
