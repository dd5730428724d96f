"""Class 2: the initial condition is part of the spec, put into the initialisation premise by
the kernel and printed with the refinement.

A refinement once took any predicate as ``spec_init``: ⌜false⌝, one contradicting the
semantics' initial resources, or one admitting only degenerate states made it vacuous, and
Print Assumptions said only "Theorem 2"."""
import os
import re
import shutil

from tests.kernel_helpers import check_text, statuses
from tests.soundness.test_c01_premise_capture import SEL, refined

RD = os.path.join(os.path.dirname(__file__), "..", "..", "proofs", "replicated_disk")


def test_a_user_predicate_as_initial_condition_is_refused():
    """The old way (the vacuous forms ⌜false⌝, disks(N + 1), size 0 were all predicates)."""
    text = SEL.replace("Predicate AR", "Predicate Vacuous (σ : u64) (N : u64) := ⌜false⌝.\n"
                                       "Predicate AR")
    text = text.replace("semantics := twodisk_init;", "semantics := twodisk_init; "
                                                      "spec_init := Vacuous;")
    st, diags = statuses(text)
    assert "spec_init is gone" in diags and not refined(text, "sel_refines")


def test_the_initial_state_is_a_term_not_an_assertion():
    for init, why in (("⌜false⌝", "expected a term"),
                      ("disks(N + 1)", "unknown function symbol disks"),   # a resource is no state
                      ("x", "may only mention"),
                      ("true", "cannot stand for"),       # not of the state's sort
                      ):
        text = SEL.replace("Initial Sel (N : u64) := 0.", f"Initial Sel (N : u64) := {init}.")
        st, diags = statuses(text)
        assert why in diags and not refined(text, "sel_refines"), (init, diags)


def test_no_refinement_without_an_initial_state():
    text = SEL.replace("Initial Sel (N : u64) := 0.\n", "")
    st, diags = statuses(text)
    assert "has no initial state" in diags and not refined(text, "sel_refines")


def test_the_initial_state_takes_the_semantics_parameters():
    text = SEL.replace("Initial Sel (N : u64) := 0.", "Initial Sel (b : bool) := 0.")
    st, diags = statuses(text)
    assert "parameters of sorts" in diags and not refined(text, "sel_refines")


def test_the_initialisation_premise_is_the_kernels():
    """An init theorem with an extra hypothesis (the old RDInit) or another start state is not
    the premise."""
    for old, new in (("{source[0](0) ∗ twodisk_init(N)}", "{source[0](0) ∗ twodisk_init(N) ∗ "
                                                          "⌜N = 0⌝}"),
                     ("{source[0](0) ∗ twodisk_init(N)}", "{source[0](1) ∗ twodisk_init(N)}"),
                     ("{source[0](0) ∗ twodisk_init(N)}", "{source[1](0) ∗ twodisk_init(N)}")):
        text = SEL.replace(old, new).replace("exists (0) (0)", "exists (1) (1)")
        st, diags = statuses(text)
        assert "premise setup" in diags and not refined(text, "sel_refines"), diags


def test_initial_state_declared_once_and_sealed_by_the_refinement():
    st, diags = statuses(SEL.replace("Initial Sel (N : u64) := 0.",
                                     "Initial Sel (N : u64) := 0.\nInitial Sel (N : u64) := 1."))
    assert "already has an initial state" in diags
    st, diags = statuses(SEL + "\nOperation Sel Other := ().\nInitial Sel (N : u64) := 1.\n")
    assert diags.count("sealed") == 2, diags


def test_replicated_disk_with_a_wrong_initial_size_is_not_proven(tmp_path):
    """Demanding one more block than the disks have (the old disks(N + 1) attack) makes the
    initialisation premise unprovable."""
    for name in ("rd_spec.pv", "replicated_disk_goose.pv", "rd_proof.pv"):
        shutil.copy(os.path.join(RD, name), tmp_path / name)
    for name in ("rd_spec.pv", "rd_proof.pv"):
        p = tmp_path / name
        p.write_text(re.sub(r"RDState\(N, map_replicate\(N, zero_bytes\(\)\)\)",
                            "RDState(N + 1, map_replicate(N + 1, zero_bytes()))",
                            p.read_text(encoding="utf-8")), encoding="utf-8")
    from driver.load import Session
    s = Session()
    s.load_file(str(tmp_path / "rd_proof.pv"))
    st = {r.name: r.status for r in s.results}
    assert st["setup_ok"] == "failed"
    ref = s.kernel.refinements.get("rd_refines")
    assert ref is None or ref.admits
