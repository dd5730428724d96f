"""The tactics' cheap view of the pure facts (tactics/equalities.py): what it calls a clash,
and that skipping clashing disjuncts changes no proof's outcome."""
from driver.load import make_kernel
from kernel.sequent import Seq
from seplogic.parser import parse_term as P
from seplogic.syntax import U64
from tactics.equalities import equalities
from tactics.state import Goal, Hole
from tests.kernel_helpers import statuses


def view(facts):
    seq = Seq(vars=tuple((n, U64) for n in "NMfg"), pure=tuple(P(f) for f in facts))
    return equalities(Goal(seq, hole=Hole(), kernel=make_kernel()))


def test_a_clash_is_a_negated_fact_or_a_false_conjunct_up_to_the_equations():
    eqs = view(["5 ≤ N", "(M, g) = (N, f)", "f ≠ 1"])
    assert eqs.clashes(P("N < 5")) and eqs.clashes(P("M < 5"))          # through M = N
    assert eqs.clashes(P("g = 1 && M = M")) and eqs.clashes(P("1 = f"))   # through g = f
    assert eqs.clashes(P("0 = 1")) and eqs.clashes(P("~(5 ≤ M)"))
    # what only the pure checker could refute is no clash: the tactics then ask it
    assert not eqs.clashes(P("N < 4")) and not eqs.clashes(P("f = 2"))
    assert not eqs.clashes(P("5 ≤ M")) and not eqs.clashes(P("f ≠ 1 && g ≠ 1"))


def test_a_disjunct_that_clashes_is_tried_last_and_still_proves_what_it_did():
    st, d = statuses("""
Theorem left_clashes (N : u64) : ⌜5 ≤ N⌝ -∗ ⌜N < 5⌝ ∨ ⌜4 < N⌝.
Proof. intros N "%H". done. Qed.
Theorem both_sides_in_a_dead_branch (N : u64) : ⌜5 ≤ N⌝ -∗ ⌜N < 5⌝ -∗ ⌜N < 5⌝ ∨ ⌜N = 7⌝.
Proof. intros N "%H %H2". done. Qed.
Theorem resource_side (N : u64) (γ : gname) : ⌜5 ≤ N⌝ -∗ tok(γ) -∗ ⌜N < 5⌝ ∗ emp ∨ tok(γ).
Proof. intros N γ "%H Ht". done. Qed.
Theorem neither (N : u64) : ⌜5 ≤ N⌝ -∗ ⌜N < 5⌝ ∨ ⌜N = 7⌝.
Proof. intros N "%H". done. Qed.
""")
    assert st["left_clashes"] == st["both_sides_in_a_dead_branch"] == "proved", d
    assert st["resource_side"] == "proved", d
    assert st["neither"] == "failed", d
