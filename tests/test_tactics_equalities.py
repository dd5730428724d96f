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
    assert not eqs.contradictory()
    assert view(["(M, g) = (N, f)", "f ≠ 1", "g = 1"]).contradictory()
    assert view(["f = 0", "g = 1", "f = g"]).contradictory()        # one class, two literals
    assert view(["N < 5", "(M, g) = (N, f)", "5 ≤ M"]).contradictory()
    assert not view(["N < 5", "(M, g) = (N, f)", "4 ≤ M"]).contradictory()


def test_a_disjunct_that_clashes_is_not_tried_and_the_others_still_prove_what_they_did():
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


def test_contradiction_clash_closes_a_plain_clash_and_fails_fast_otherwise():
    st, d = statuses("""
Theorem by_equation (x y : u64) (γ : gname) : ⌜x = y⌝ -∗ ⌜x < 5⌝ -∗ ⌜5 ≤ y⌝ -∗ tok(γ).
Proof. intros x y γ "%E %A %B". contradiction clash. Qed.
Theorem consistent (x : u64) : ⌜x < 5⌝ -∗ ⌜x ≠ 1⌝ -∗ ⌜x < 5⌝.
Proof. intros x "%A %B". try contradiction clash. done. Qed.
Theorem only_arithmetic (x : u64) : ⌜x < 3⌝ -∗ ⌜5 < x⌝ -∗ ⌜false⌝.
Proof. intros x "%A %B". contradiction clash. Qed.
Theorem by_the_checker (x : u64) : ⌜x < 3⌝ -∗ ⌜5 < x⌝ -∗ ⌜false⌝.
Proof. intros x "%A %B". contradiction. Qed.
""")
    assert st["by_equation"] == st["consistent"] == st["by_the_checker"] == "proved", d
    # not a clash of two facts (a sum of bounds): only the pure checker's search refutes it
    assert st["only_arithmetic"] == "failed" and "no two pure facts clash directly" in d


def test_agree_stops_in_a_dead_branch_and_agrees_everything_in_a_live_one():
    """The ghost cell (a compound value) is agreed first; when that makes two facts clash the
    disk cells are left alone, and contradiction clash closes the branch."""
    from tactics import basic
    from tactics.state import new_goal
    from seplogic.parser import parse_assertion

    def agreed(m_fact, clash):
        a = parse_assertion(f"∀ (γ : gname) (n : nat) (N M : u64) (v w : list val). ⌜5 ≤ N⌝ -∗ "
                            f"⌜{m_fact}⌝ -∗ gmaster[n]((γ, 0), (M, 1)) -∗ glease[n]((γ, 0), "
                            "(N, 1)) -∗ dmaster[n](0, v) -∗ dlease[n](0, w) -∗ ⌜v = w⌝")
        (g,) = basic.intros_all(new_goal(make_kernel(), a))
        g = basic.pure_hyps_to_context(g)
        return len(basic.agree_all(g, clash=clash).seq.pure) - len(g.seq.pure)
    assert agreed("M < 5", True) == 1            # the ghost cell's only
    assert agreed("M < 5", False) == 2           # (asked for all: both)
    assert agreed("5 ≤ M", True) == 2            # a live branch: both
