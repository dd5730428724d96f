"""Ghost state (issue 10, point 2): fresh ghost cells allocated inside a WP
(``wp_ghost_alloc``, Iris own_alloc/ghost_map_alloc), and the ghost name γ that Theorem 2's
premises share (Perennial's crash parameter)."""
import pytest

from tests.kernel_helpers import failed, proved, statuses
from tests.soundness.test_c01_premise_capture import SEL, refined


ALLOC = """
Theorem t (n : nat) : {{True}} () {{r. {post}}}[n].
Proof.
  intros n "_".
  ghost_alloc γ ({{[1, 2]}}) (0) as "H1".
  ghost_alloc δ ({{[1]}}) (0) as "H2".
  bigsep_split (1) in "H1". destruct "H1" as "[[Ha1 Hl1] H1]".
  bigsep_split (2) in "H1". destruct "H1" as "[[Ha2 Hl2] _]".
  bigsep_split (1) in "H2". destruct "H2" as "[[Hb1 Hm1] _]".
  {tac}
Qed.
"""


@pytest.mark.parametrize("a,b", [("Ha1", "Hb1"), ("Ha1", "Ha2"), ("Hl1", "Hm1")])
def test_allocated_cells_are_never_provably_the_same(a, b):
    failed(ALLOC.format(post="False", tac=f'wp_value. excl "{a}" "{b}".'), "t")


def test_one_cell_is_exclusive():
    st, d = statuses(ALLOC.format(post="False", tac='wp_value. excl "Ha1" "Hl1".'))
    assert st["t"] == "failed", d     # a master and its lease are not two copies
    proved(ALLOC.format(post="⌜1 = 1⌝", tac="wp_value. done."), "t")


def test_premises_with_different_ghost_names_do_not_combine():
    """The operation premise is for one γ shared by CrashInv and AbsR."""
    bad = SEL.replace("Theorem pick_ok (γ : gname) (n : nat) (h j : val) (n1 n2 : u64) :\n"
                      "  {j ⤇[n] Pick(n1, n2) ∗ inv(crashN, CI(γ, n)) ∗ AR(γ, n, h)}",
                      "Theorem pick_ok (γ δ : gname) (n : nat) (h j : val) (n1 n2 : u64) :\n"
                      "  {j ⤇[n] Pick(n1, n2) ∗ inv(crashN, CI(γ, n)) ∗ AR(δ, n, h)}")
    bad = bad.replace("intros γ n h j n1 n2", "intros γ δ n h j n1 n2")
    assert bad != SEL
    st, diags = statuses(bad)
    assert st["pick_ok"] == "proved", diags
    assert "does not state what Theorem 2 needs" in diags and not refined(bad, "sel_refines")
    # and a setup that does not choose γ (a fixed γ for the rest) is not the premise either
    bad = SEL.replace("{_. ∃ (γ : gname). CI(γ, 0) ∗ IS(γ)}", "{_. CI(γ, 0) ∗ IS(γ)}")
    bad = bad.replace("Theorem setup_ok (N : u64) :", "Theorem setup_ok (γ : gname) (N : u64) :")
    assert bad != SEL
    st, diags = statuses(bad)
    assert "premise setup" in diags and not refined(bad, "sel_refines"), diags


def test_the_two_disk_semantics_hands_out_no_ghost_cells():
    from driver.load import make_kernel
    k = make_kernel()
    assert "gmaster" not in repr(k.preds["twodisk_init"][1])
