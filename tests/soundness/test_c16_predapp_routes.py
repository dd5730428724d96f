"""A predicate's term arguments fit its parameters' sorts (issue 16) on every route by which a
predicate application enters the kernel: statements (ordinary and crash, proved or admitted),
predicate bodies, cut, convert, exists/forall instantiation, the schematic assertions of
axioms and theorems, loop invariants, WP postconditions (the bound value is a val), and again
after the sort check was remembered for other sorts of the same variables.

Before issue 16 ``Small(b)`` with ``b : bool`` was accepted; unfolding it gives an ill-sorted
pure fact.  Every attack below is refused; numbers of different sorts stay interchangeable
(the body says what it needs), so they are not attacked here.  Last, random assertions checked
by one remembering kernel against the same check made afresh.
"""
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kernel.core import Kernel, PrimAxiom
from kernel.crash import CrashStatement
from kernel.rules import RULES
from kernel.sequent import Seq
from kernel.wf import KernelError
from seplogic.syntax import (
    BOOL, INT, IPROP, NAT, U64, VAL, AVar, App, Emp, Exists, Forall, Lit, Loop, PredApp, Pure,
    Sep, Sort, Val, Var, Wand, WP,
)

WRONG = "argument x is of sort bool, not nat"
b, n = Var("b"), Var("n")


def kernel() -> Kernel:
    k = Kernel()
    k.define_predicate("P", (("x", BOOL),), Emp())       # unfolds to emp: convertible to it
    return k


def apply(k, rule, s, *args):
    return RULES[rule].apply(k, s, tuple(args), set(), set())


SEQ = Seq(vars=(("n", NAT), ("b", BOOL)), goal=Emp())


def test_statements_and_bodies():
    k = kernel()
    k.admit("ok", Forall("b", BOOL, PredApp("P", (b,))))          # the right sort is fine
    for name, stmt in (("t1", Forall("n", NAT, PredApp("P", (n,)))),
                       ("t2", Forall("n", NAT, Wand(Emp(), Exists("b", BOOL, Sep(
                           PredApp("P", (b,)), PredApp("P", (n,)))))))):
        with pytest.raises(KernelError, match=WRONG):
            k.admit(name, stmt)
        with pytest.raises(KernelError, match=WRONG):
            k.prove(name, stmt, ("emp_intro", (), ()))
    crash = CrashStatement((("n", NAT),), n, PredApp("P", (n,)), Emp())
    with pytest.raises(KernelError, match=WRONG):
        k.admit_crash("c1", crash)
    with pytest.raises(KernelError, match=WRONG):
        k.admit_crash("c2", CrashStatement((("n", NAT),), n, Emp(), PredApp("P", (n,))))
    with pytest.raises(KernelError, match=WRONG):
        k.define_predicate("Q", (("y", NAT),), PredApp("P", (Var("y"),)))
    assert "Q" not in k.preds and {"t1", "t2", "c1", "c2"}.isdisjoint(k.theorems)


def test_cut_convert_and_instantiation():
    k = kernel()
    apply(k, "cut", SEQ, PredApp("P", (b,)), ())                     # the right sort is fine
    with pytest.raises(KernelError, match=WRONG):
        apply(k, "cut", SEQ, PredApp("P", (n,)), ())
    (s,) = apply(k, "convert", SEQ, ("goal",), PredApp("P", (b,)))   # emp ⊣⊢ P(b)
    with pytest.raises(KernelError, match=WRONG):
        apply(k, "convert", SEQ, ("goal",), PredApp("P", (n,)))     # emp ⊣⊢ P(n), unfolded
    with pytest.raises(KernelError, match="sort"):
        apply(k, "exists_intro", SEQ.with_goal(Exists("y", BOOL, PredApp("P", (Var("y"),)))),
              n)
    h = Forall("y", BOOL, PredApp("P", (Var("y"),)))
    with pytest.raises(KernelError, match="sort"):
        apply(k, "forall_elim", SEQ.with_goal(Emp()).add_spat(h), ("s", 0), n)
    with pytest.raises(KernelError, match="sort"):
        apply(k, "forall_elim", SEQ.with_goal(Emp()).add_spat(h), ("s", 0), Lit("int", 1))


def test_schematic_assertions_of_axioms_and_theorems():
    k = kernel()
    R = AVar("R")
    k.add_axiom(PrimAxiom("keep", (("R", IPROP),), "R", R, None, (), Lit("unit", None), R,
                          False, "test"))
    k.admit("same", Wand(R, R))
    apply(k, "axiom_entail", SEQ, "keep", (("R", PredApp("P", (b,))),), ())
    apply(k, "use_theorem", SEQ, "same", (("R", PredApp("P", (b,))),))
    with pytest.raises(KernelError, match=WRONG):
        apply(k, "axiom_entail", SEQ, "keep", (("R", PredApp("P", (n,))),), ())
    with pytest.raises(KernelError, match=WRONG):
        apply(k, "use_theorem", SEQ, "same", (("R", PredApp("P", (n,))),))


def test_loop_invariants_and_postconditions():
    k = kernel()
    loop = WP(Lit("int", 0), (), Loop(Val(Lit("unit", None))), "r", Emp())
    apply(k, "wp_loop", SEQ.with_goal(loop), PredApp("P", (b,)))
    with pytest.raises(KernelError, match=WRONG):
        apply(k, "wp_loop", SEQ.with_goal(loop), PredApp("P", (n,)))
    # the value a WP binds is a val: P(r) is refused (state ∃ x : bool. ⌜r = x⌝ ∗ P(x))
    post = WP(Lit("int", 0), (), Val(Lit("bool", True)), "r", PredApp("P", (Var("r"),)))
    with pytest.raises(KernelError, match="argument x is of sort bool, not val"):
        k.admit("w", post)


def test_a_remembered_check_is_for_the_sorts_it_was_made_with():
    """The check is remembered by (assertion, sorts of its free variables): the same object
    under other sorts, or shadowed by a binder of another sort, is checked anew."""
    k = kernel()
    a = PredApp("P", (b,))
    for _ in range(2):
        k.check_assertion(a, {"b": BOOL})
        with pytest.raises(KernelError, match="argument x is of sort bool, not nat"):
            k.check_assertion(a, {"b": NAT})
        k.check_assertion(Exists("b", BOOL, a), {"b": NAT})        # the binder's sort counts
        with pytest.raises(KernelError, match="argument x is of sort bool, not nat"):
            k.check_assertion(Exists("b", NAT, a), {"b": BOOL})
        with pytest.raises(KernelError, match="argument x is of sort bool, not nat"):
            k.check_assertion(Sep(a, Exists("b", NAT, a)), {"b": BOOL})
    with pytest.raises(KernelError, match="unknown variables"):
        k.check_assertion(a, {})
    with pytest.raises(KernelError, match="argument x is of sort bool, not int"):
        k.check_assertion(PredApp("P", (App("add", (b, Lit("int", 0))),)), {"b": NAT})
    with pytest.raises(KernelError, match="ill-sorted"):
        k.check_assertion(Pure(App("add", (b, Lit("int", 0)))), {"b": BOOL})


# ---- remembered checks against checks made afresh ---------------------------------------------

SORTS = [BOOL, NAT, INT, U64, VAL, Sort("list", (U64,)), Sort("list", (INT,))]
PREDS = {"PB": BOOL, "PN": NAT, "PL": Sort("list", (U64,)), "PV": VAL}


def _preds(k):
    for name, s in PREDS.items():
        k.define_predicate(name, (("x", s),), Emp())
    k.define_predicate("PR", (("A", IPROP), ("x", INT)), AVar("A"))
    return k


NAMES = st.sampled_from(["a", "b", "c"])
TERM = st.one_of(NAMES.map(Var), st.just(Lit("int", 1)), st.just(Lit("bool", True)),
                 NAMES.map(lambda v: App("add", (Var(v), Lit("int", 1)))),
                 NAMES.map(lambda v: App("list", (Var(v),))))
ASSERTION = st.recursive(
    st.one_of(st.tuples(st.sampled_from(sorted(PREDS)), TERM).map(
        lambda p: PredApp(p[0], (p[1],))),
        st.tuples(TERM, TERM).map(lambda p: Pure(App("eq", p)))),
    lambda c: st.one_of(
        st.tuples(c, c).map(lambda p: Sep(*p)),
        st.tuples(NAMES, st.sampled_from(SORTS), c).map(lambda p: Exists(*p)),
        st.tuples(c, TERM).map(lambda p: PredApp("PR", p))),
    max_leaves=4)
REMEMBERING = _preds(Kernel())


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(ASSERTION, st.lists(st.sampled_from(SORTS), min_size=3, max_size=3))
def test_a_remembered_check_agrees_with_a_fresh_one(a, sorts):
    env = dict(zip("abc", sorts))
    fresh = _preds(Kernel())
    try:
        fresh._check_sorts(a, dict(env))
        want = None
    except KernelError as e:
        want = str(e)
    try:
        REMEMBERING.check_assertion(a, env)
        got = None
    except KernelError as e:
        got = str(e)
    assert (got is None) == (want is None), (a, env, got, want)
