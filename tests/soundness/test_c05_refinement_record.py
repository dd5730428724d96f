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
    assert "Initial Sel (N : u64) := 0" in out
    assert "Operation Pick (n : u64) (n1 : u64) := #n" in out and "pick(h, n, n1)" in out
    assert "Crash Sel := ()" in out and "twodisk_init(N)" in out
    assert "initial state Initial Sel (N : u64) := 0" in out      # in Print Assumptions


def test_print_the_replicated_disk():
    s = Session()
    s.load_file(os.path.join(RD, "rd_proof.pv"))
    assert not s.diagnostics
    out = "\n".join(s.output)
    for want in ("refines spec RD", "RDState(N, map_replicate(N, zero_bytes()))",
                 "Operation Read (a : u64) : list val", "Operation Write (a : u64) (v : list val)",
                 "replicated_disk_Read(h, a)", "replicated_disk_Write(h, a, v)",
                 "replicated_disk_Recover() after each crash", "Crash RD := ()",
                 "Semantics: twodisk_init(N)", "twodisk_write",
                 "initial state Initial RD (N : u64) := RDState(N, map_replicate(N, "
                 "zero_bytes()))"):
        assert want in out, want


def test_the_record_does_not_change_with_later_definitions():
    s = check_text(SEL + "\nOperation Sel Later := ().\nPrint sel_refines.\n")
    out = "\n".join(s.output)
    assert "sealed" in "\n".join(d.render() for d in s.diagnostics)
    assert "Later" not in out
