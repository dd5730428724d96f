"""The pure checker's grouping of facts and its memo (kernel/pure.py, TRUSTED).  A query checks
the goal with the facts linked to it (sharing a variable or an uninterpreted symbol) and each
other group alone; these tests compare it with the one-refutation reference it replaced (it
must prove at least as much), with brute force (it must prove nothing false), and attack the
grouping (links through uninterpreted functions, ground facts) and the memo (one dict across
environments, definitions, two kernels)."""
import itertools

from hypothesis import given, settings, strategies as st

from kernel import pure
from kernel.core import Kernel
from kernel.sequent import Seq
from seplogic.syntax import App, INT, Lit, STRING, U64, Var

NAMES = ["x", "y", "z", "w"]
OPS = ["lt", "le", "eq", "ne"]


def reference_entails(env, hyps, goal, defs) -> bool:
    """entails as it was: one refutation of ¬goal ∧ all hyps."""
    for t in (*hyps, goal):
        assert pure.sort_of(t, env, defs) == pure.BOOL
    p = pure._Prover(env, defs)
    try:
        fs = [p.nnf(p.simp(goal), False)] + [p.nnf(p.simp(h), True) for h in hyps]
        return p.refute({}, [(f, pure.NOREASON) for f in fs], 0) is not None
    except (pure._GiveUp, RecursionError):
        return False


atoms = st.one_of(st.sampled_from(NAMES).map(Var), st.integers(0, 4).map(lambda n: Lit("int", n)))
sums = st.one_of(atoms, st.tuples(atoms, atoms).map(lambda ab: App("add", ab)))
facts = st.tuples(st.sampled_from(OPS), sums, sums).map(lambda p: App(p[0], (p[1], p[2])))


def _eval(t, a):
    if type(t) is Var:
        return a[t.name]
    if type(t) is Lit:
        return t.value
    x, y = (_eval(u, a) for u in t.args)
    return {"add": x + y, "lt": x < y, "le": x <= y, "eq": x == y, "ne": x != y}[t.op]


@settings(max_examples=250, deadline=None)
@given(st.lists(facts, max_size=6), facts, st.sampled_from([U64, INT]))
def test_grouped_entails_agrees_with_the_reference_and_brute_force(hyps, goal, sort):
    env = {n: sort for n in NAMES}
    memo: dict = {}
    got = pure.entails(env, hyps, goal, {}, memo)
    assert got == pure.entails(env, hyps, goal, {}, memo)       # asked again: from the memo
    assert got == pure.entails(env, hyps, goal, {})             # the same without a memo
    if reference_entails(env, hyps, goal, {}):
        assert got                                              # never proves less
    if got:                                                     # nothing false (small values)
        lo = 0 if sort == U64 else -2
        for vals in itertools.product(range(lo, 4), repeat=len(NAMES)):
            a = dict(zip(NAMES, vals))
            if all(_eval(h, a) for h in hyps):
                assert _eval(goal, a), (hyps, goal, a)


def test_unrelated_contradictory_facts_still_prove_anything():
    env = {"x": U64, "y": U64}
    hyps = [App("lt", (Var("x"), Lit("int", 0))), App("eq", (Var("y"), Lit("int", 1)))]
    assert pure.entails(env, hyps, App("eq", (Var("y"), Lit("int", 7))), {})
    ground = [App("lt", (Lit("int", 2), Lit("int", 1)))]          # a false ground fact
    assert pure.entails(env, ground, App("eq", (Var("x"), Lit("int", 7))), {})


def test_uninterpreted_symbols_link_facts_without_shared_variables():
    """u64_to_string(5) = "a" and u64_to_string(5) = "b" share no variable, but together they
    are contradictory: the grouping must keep them together."""
    env = {"x": U64}
    s5 = App("u64_to_string", (Lit("int", 5),))
    hyps = [App("eq", (s5, Lit("string", "a"))), App("eq", (s5, Lit("string", "b")))]
    goal = App("eq", (Var("x"), Lit("int", 3)))
    assert reference_entails(env, hyps, goal, {})
    assert pure.entails(env, hyps, goal, {})
    # the same through a user definition that unfolds to the uninterpreted function
    defs = {"five": ((), STRING, s5)}
    hyps = [App("eq", (App("five", ()), Lit("string", "a"))), hyps[1]]
    assert pure.entails(env, hyps, goal, defs)


def test_one_memo_across_environments_keeps_them_apart():
    memo: dict = {}
    fact = App("le", (Lit("int", 0), Var("x")))                  # 0 ≤ x: true of a u64 only
    assert pure.entails({"x": U64}, [], fact, {}, memo)
    assert not pure.entails({"x": INT}, [], fact, {}, memo)
    assert pure.entails({"x": U64, "y": INT}, [], fact, {}, memo)


def test_kernels_and_definitions_do_not_share_answers():
    k1, k2 = Kernel(), Kernel()
    k1.define_pure("d", (), INT, Lit("int", 1))
    k2.define_pure("d", (), INT, Lit("int", 2))
    is_one = App("eq", (App("d", ()), Lit("int", 1)))
    assert k1.entails(Seq(), is_one) and not k2.entails(Seq(), is_one)
    assert k1.entails(Seq(), is_one) and not k2.entails(Seq(), is_one)     # memoised
    # a definition added later empties the checker's memo (nothing outlives what it rested on)
    k1._props[("poison",)] = True
    k1.define_pure("e", (), INT, Lit("int", 3))
    assert k1.entails(Seq(), App("eq", (App("e", ()), Lit("int", 3))))
    assert ("poison",) not in k1._props
