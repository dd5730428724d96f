"""Adversarial review of the kernel's memos (issue 16): the pure checker's first try from the
goal's own facts, its memo entry per question, the context token (a sequent's facts found by
the identity of its tuples), the NNF cache, the well-formed mark and the remembered sort checks
of assertions.  Every attack here failed (pv refused what it must); these are the strongest,
kept as regression tests.

* One `Kernel` answers every question of a long random run (its memo warm with the answers of
  other sequents, some sharing the ``vars`` or ``pure`` tuple of an earlier one, and asked in
  either order): never True where a small model refutes the goal (numbers of three sorts, sets
  whose disequalities need witnesses).
* An ill-formed term or assertion *equal* to a checked one (``Lit("int", True) == Lit("int",
  1)`` in Python, and ``1.0 == 1``) finds no memo entry and no mark that lets it in.
* Names like the memo's key tags and the witness variables, and two kernels sharing syntax
  objects, and a memo started anew mid-run.
"""
import itertools

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kernel.core import Kernel
from kernel.pure import entails
from kernel.rules import RULES
from kernel.sequent import Seq
from kernel.wf import KernelError
from seplogic.syntax import (
    BOOL, INT, NAT, U64, App, Emp, Exists, Forall, Lit, PredApp, Pure, Sep, Sort, Var,
)
from tests.soundness.test_c13_pure_models import FORMULA, value

SLOW = dict(deadline=None, suppress_health_check=list(HealthCheck))


def app(op, *args):
    return App(op, tuple(args))


def apply(k, rule, s, *args):
    return RULES[rule].apply(k, s, tuple(args), set(), set())


# ---- one warm kernel against brute force ------------------------------------------------------

NUMS = {"int": (INT, range(-2, 3)), "u64": (U64, range(0, 4)), "nat": (NAT, range(0, 4))}
WARM = Kernel()                       # shared by every example: its memo only grows
_SHARED: dict = {}                    # tuples handed to more than one sequent


def _numeric_counterexample(env, hyps, goal):
    for vals in itertools.product(*(NUMS[env[n].name][1] for n in "xyz")):
        for p in (False, True):
            m = dict(zip("xyz", vals), p=p, q=False)
            if all(value(h, m) for h in hyps) and not value(goal, m):
                return m
    return None


@settings(max_examples=150, **SLOW)
@given(st.lists(FORMULA, max_size=3), st.lists(FORMULA, min_size=1, max_size=3),
       st.sampled_from(sorted(NUMS)), st.sampled_from(sorted(NUMS)), st.integers(0, 3),
       st.booleans())
def test_a_warm_kernel_never_proves_what_a_small_model_refutes(hyps, goals, sx, sy, share,
                                                                 backwards):
    env = {"x": NUMS[sx][0], "y": NUMS[sy][0], "z": INT, "p": BOOL, "q": BOOL}
    vs, pure = tuple(env.items()), tuple(hyps)
    if share & 1:       # the same vars tuple as an earlier sequent (maybe other facts)
        vs = _SHARED.setdefault(("v", vs), vs)
    if share & 2 and "p" in _SHARED:   # the last example's facts tuple (maybe other sorts)
        pure = _SHARED["p"]
        hyps = list(pure)
    _SHARED["p"] = pure
    s = Seq(vars=vs, pure=pure)
    ranges = [app("le", Lit("int", 0), Var(v)) for v in "xy"]    # true at u64 and nat only
    questions = goals + hyps + ranges + [Lit("bool", False)]
    for g in questions[::-1] if backwards else questions:
        m = _numeric_counterexample(env, hyps, g)
        if m is not None:
            assert not WARM.entails(s, g), f"proved {g} from {hyps} in {env}, false at {m}"


SI = Sort("set", (INT,))
SET = st.recursive(
    st.sampled_from([Var("S"), Var("T"), Var("U")])
    | st.sampled_from([0, 1, 2]).map(lambda k: app("set", Lit("int", k))),
    lambda c: st.tuples(st.sampled_from(["union", "inter", "diff"]), c, c).map(
        lambda t: app(*t)), max_leaves=3)
ELEM = st.sampled_from([Var("x"), Var("y"), Lit("int", 0), Lit("int", 1), Lit("int", 2)])
SET_ATOM = st.one_of(st.tuples(SET, SET).map(lambda p: app("eq", *p)),
                     st.tuples(ELEM, SET).map(lambda p: app("mem", *p)),
                     st.tuples(SET, SET).map(lambda p: app("subseteq", *p)),
                     st.tuples(ELEM, ELEM).map(lambda p: app("eq", *p)))
SET_FORMULA = st.recursive(SET_ATOM, lambda c: st.one_of(
    c.map(lambda x: app("not", x)),
    st.tuples(st.sampled_from(["and", "or", "implies"]), c, c).map(lambda t: app(*t))),
    max_leaves=4)
SET_ENV = (("S", SI), ("T", SI), ("U", SI), ("x", INT), ("y", INT))
SUBSETS = [frozenset(c) for n in range(3) for c in itertools.combinations((0, 1), n)]
SET_OPS = {"set": lambda v: frozenset([v[0]]), "union": lambda v: v[0] | v[1],
           "inter": lambda v: v[0] & v[1], "diff": lambda v: v[0] - v[1],
           "eq": lambda v: v[0] == v[1], "mem": lambda v: v[0] in v[1],
           "subseteq": lambda v: v[0] <= v[1], "not": lambda v: not v[0],
           "and": lambda v: v[0] and v[1], "or": lambda v: v[0] or v[1],
           "implies": lambda v: (not v[0]) or v[1]}


def _set_value(t, m):
    if type(t) is Var:
        return m[t.name]
    if type(t) is Lit:
        return t.value
    return SET_OPS[t.op]([_set_value(a, m) for a in t.args])


def _set_counterexample(hyps, goal):
    for S, T, U in itertools.product(SUBSETS, repeat=3):
        for x, y in itertools.product(range(3), repeat=2):
            m = dict(S=S, T=T, U=U, x=x, y=y)
            if all(_set_value(h, m) for h in hyps) and not _set_value(goal, m):
                return m
    return None


@settings(max_examples=120, **SLOW)
@given(st.lists(SET_FORMULA, max_size=4), st.lists(SET_FORMULA, min_size=1, max_size=3),
       st.booleans())
def test_set_witnesses_in_a_warm_kernel_never_prove_a_refuted_goal(hyps, goals, backwards):
    """Every set disequality makes a witness x#i; forms with one are never shared.  Many
    witnesses per query, memo warmed in either order."""
    s = Seq(vars=SET_ENV, pure=tuple(hyps))
    questions = goals + hyps + [Lit("bool", False)]
    for g in questions[::-1] if backwards else questions:
        m = _set_counterexample(hyps, g)
        if m is not None:
            assert not WARM.entails(s, g), f"proved {g} from {hyps}, false at {m}"


def test_many_witnesses_in_one_query_are_all_distinct():
    """n set disequalities S_i ≠ S_i ∪ {i} in one group need n different witnesses (one shared
    would be the element i for every i: a false contradiction); their forms made alone first."""
    k, n = Kernel(), 5
    env = tuple((f"S{i}", SI) for i in range(n))
    link = tuple(app("eq", Var(f"S{i}"), Var(f"S{i + 1}")) for i in range(n - 1))
    ne = [app("not", app("eq", Var(f"S{i}"), app("union", Var(f"S{i}"),
                                                  app("set", Lit("int", i)))))
          for i in range(n)]
    for h in ne:                      # warm: each disequality's NNF alone
        assert not k.entails(Seq(vars=env, pure=link + (h,)), Lit("bool", False))
    assert not k.entails(Seq(vars=env, pure=link + tuple(ne)), Lit("bool", False))
    # and they do say what they say: i ∉ S_i
    s = Seq(vars=env, pure=link + tuple(ne))
    for i in range(n):
        assert k.entails(s, app("not", app("mem", Lit("int", i), Var(f"S{i}"))))


# ---- equal but ill-formed ---------------------------------------------------------------------

x = Var("x")
TWINS = [(Lit("int", 1), Lit("int", True)), (Lit("int", 0), Lit("int", False)),
         (Lit("int", 10 ** 20), Lit("int", 1e20))]    # 1e20 + 1 == 1e20 as floats


@pytest.mark.parametrize("good,bad", TWINS)
def test_an_ill_formed_twin_of_a_checked_term_is_refused(good, bad):
    assert good == bad and hash(good) == hash(bad)     # Python's 1 == True == 1.0
    k = Kernel()
    fact = app("eq", app("add", x, good), x)
    twin = app("eq", app("add", x, bad), x)
    s = Seq(vars=(("x", INT),), goal=Pure(fact))
    # the good term is checked (and marked) by every route first, then its twin is offered
    k.check_assertion(Pure(fact), {"x": INT})
    assert k.sort_of(fact, {"x": INT}) == BOOL
    apply(k, "pure_cases", s, fact)
    with pytest.raises(KernelError, match="malformed"):
        k.check_assertion(Pure(twin), {"x": INT})
    with pytest.raises(KernelError, match="malformed"):
        apply(k, "pure_cases", s, twin)
    with pytest.raises(KernelError, match="malformed"):
        apply(k, "exists_intro", Seq(goal=Exists("y", INT, Pure(app("le", Var("y"), good)))),
              bad)
    with pytest.raises(KernelError, match="malformed"):
        apply(k, "cut", s, Sep(Pure(twin), Emp()), ())


def test_witness_names_and_memo_tags_as_variable_names():
    """A variable cannot be named like a witness (x#0 is no identifier); names like the memo's
    key tags are ordinary variables."""
    k = Kernel()
    with pytest.raises(KernelError, match="identifier"):
        apply(k, "forall_intro", Seq(goal=Forall("y", U64, Emp())), "x#0")
    with pytest.raises(KernelError, match="malformed"):
        k.check_assertion(Pure(app("le", Lit("int", 0), Var("x#0"))), {"x#0": U64})
    tags = ("env", "facts", "context", "alone", "entails", "refuted", "caches", "assertion",
            "links", "prop", "sort")
    vs = tuple((t, U64) for t in tags) + (("S", SI), ("T", SI))
    chain = tuple(app("le", Var(a), Var(b)) for a, b in zip(tags, tags[1:] + tags[:1]))
    ne = app("not", app("eq", Var("S"), Var("T")))
    s = Seq(vars=vs, pure=(ne,) + chain)
    assert k.entails(s, app("eq", Var("env"), Var("sort")))
    assert not k.entails(s, app("lt", Var("env"), Var("sort")))
    assert not k.entails(s, Lit("bool", False))
    s2 = Seq(vars=vs, pure=(ne,) + chain[:-1])      # the chain open: env ≤ … ≤ sort only
    assert not k.entails(s2, app("eq", Var("env"), Var("sort")))
    assert k.entails(s2, app("le", Var("env"), Var("sort")))


# ---- kernels, memo resets ---------------------------------------------------------------------

def test_two_kernels_share_syntax_objects_not_answers():
    """The wf mark is on the syntax object and holds in every kernel; sort checks and pure
    answers are each kernel's own (its definitions and predicates)."""
    b, n = Var("b"), Var("n")
    pb = PredApp("P", (b,))
    d1 = app("d", Lit("int", 1))
    goal = app("eq", d1, Lit("int", 2))
    k1, k2 = Kernel(), Kernel()
    k1.define_predicate("P", (("x", BOOL),), Pure(app("eq", Var("x"), Lit("bool", True))))
    k2.define_predicate("P", (("x", U64),), Pure(app("lt", Var("x"), Lit("int", 10))))
    k1.define_pure("d", (("x", INT),), INT, app("add", Var("x"), Lit("int", 1)))
    k2.define_pure("d", (("x", INT),), INT, Var("x"))
    for first, second in ((k1, k2), (k2, k1)):
        for k in (first, second):
            ok_env = {"b": BOOL} if k is k1 else {"b": U64}
            bad_env = {"b": U64} if k is k1 else {"b": BOOL}
            k.check_assertion(pb, ok_env)
            with pytest.raises(KernelError, match="argument x is of sort"):
                k.check_assertion(pb, bad_env)
            assert k.entails(Seq(), goal) == (k is k1)
    with pytest.raises(KernelError, match="argument x is of sort"):
        k1.check_assertion(Sep(pb, Exists("b", NAT, PredApp("P", (b,)))), {"b": BOOL})
    k2.check_assertion(Exists("b", NAT, PredApp("P", (b,))), {"b": BOOL})   # numbers fit
    with pytest.raises(KernelError, match="argument x is of sort"):
        k2.check_assertion(PredApp("P", (n,)), {"n": Sort("list", (U64,))})


def test_answers_survive_the_memo_starting_anew():
    """Past 65536 entries the memo starts anew (context tokens, alone-answers, sort checks
    with it); the answers after are those before."""
    k = Kernel()
    k.define_predicate("P", (("x", BOOL),), Pure(app("eq", Var("x"), Lit("bool", True))))
    facts = (app("le", x, Lit("int", 5)),)
    s_u64, s_int = Seq(vars=(("x", U64),), pure=facts), Seq(vars=(("x", INT),), pure=facts)
    ge0 = app("le", Lit("int", 0), x)
    before = (k.entails(s_u64, ge0), k.entails(s_int, ge0))
    k.check_assertion(PredApp("P", (x,)), {"x": BOOL})
    assert before == (True, False)
    for round_ in range(2):
        k._props.update((("filler", round_, i), None) for i in range(65537))
        memo = k._pure_memo()
        assert len(memo) == 0                           # started anew
        assert (k.entails(s_int, ge0), k.entails(s_u64, ge0)) == (False, True)
        with pytest.raises(KernelError, match="argument x is of sort"):
            k.check_assertion(PredApp("P", (x,)), {"x": U64})
        k.check_assertion(PredApp("P", (x,)), {"x": BOOL})


def test_a_marked_node_is_well_formed_only_as_its_own_class():
    """The wf mark says "a well-formed node of its class": a checked term offered as an
    assertion or a program, or a checked assertion as a term, is still refused."""
    from kernel.wf import need_assertion, need_expr, need_term
    from seplogic.syntax import Val
    k = Kernel()
    t = app("eq", x, Lit("int", 1))
    a = Pure(t)
    e = Val(Lit("int", 1))
    need_term(t), need_assertion(a), need_expr(e)           # all three marked now
    for bad, check in ((t, need_assertion), (t, need_expr), (a, need_term), (a, need_expr),
                       (e, need_term), (e, need_assertion)):
        with pytest.raises(KernelError, match="malformed"):
            check(bad)
    with pytest.raises(KernelError, match="malformed"):
        k.check_assertion(t, {"x": INT})
    with pytest.raises(KernelError, match="malformed"):
        apply(k, "exists_intro", Seq(goal=Exists("y", BOOL, Emp())), a)


MEMOLESS: dict = {}


@settings(max_examples=150, **SLOW)
@given(st.lists(FORMULA, max_size=4), st.lists(FORMULA, min_size=1, max_size=3),
       st.sampled_from(sorted(NUMS)), st.booleans(), st.booleans())
def test_the_warm_kernel_answers_as_the_checker_without_a_memo(hyps, goals, sx, share,
                                                               backwards):
    """Whatever the memo holds, an answer is the one `entails` gives with no memo at all (in
    either direction: a memo may neither prove more nor less)."""
    env = {"x": NUMS[sx][0], "y": INT, "z": INT, "p": BOOL, "q": BOOL}
    pure = MEMOLESS["p"] if share and "p" in MEMOLESS else tuple(hyps)
    MEMOLESS["p"] = pure
    s = Seq(vars=tuple(env.items()), pure=pure)
    questions = goals + list(pure) + [Lit("bool", False), app("le", Lit("int", 0), x)]
    for g in questions[::-1] if backwards else questions:
        assert WARM.entails(s, g) == entails(env, pure, g, {}, None), (env, pure, g)


def test_a_context_is_found_by_content_and_only_by_its_content():
    """A re-check builds new sequents of the contexts the tactics asked about: their env and
    facts' token are found by content (one entry, one token), never for other variables or
    facts -- a sort, a bound, the order of two facts, a variable more or a twin value."""
    k = Kernel()
    le = lambda a, b: app("le", a, b)                                       # noqa: E731
    y = Var("y")
    one, two = Lit("int", 1), Lit("int", 2)
    base = Seq(vars=(("x", INT), ("y", INT)), pure=(le(x, one), le(y, x)))
    goal = le(y, two)
    assert k.entails(base, goal)
    again = Seq(vars=tuple(list(base.vars)), pure=tuple(list(base.pure)))   # new tuples
    assert again.vars is not base.vars and again.pure is not base.pure
    assert k.entails(again, goal)
    memo = k._pure_memo()
    tokens = {v[1][1] for key, v in memo.items() if key[0] == "context of"}
    assert len(tokens) == 1                       # the same token stands for both
    others = [
        Seq(vars=(("x", INT), ("y", INT)), pure=(le(x, Lit("int", 3)), le(y, x))),   # a bound
        Seq(vars=(("x", INT), ("y", INT)), pure=(le(x, one),)),                     # a fact less
        Seq(vars=(("x", INT), ("y", INT)), pure=(le(x, one), le(x, y))),            # turned
        Seq(vars=(("x", U64), ("y", INT)), pure=(le(y, x), le(x, one))),            # ordered
    ]
    answers = [k.entails(s, goal) for s in others]
    assert answers == [False, False, False, True]
    # the same facts over other sorts: 0 ≤ x holds of a u64, not of an int
    nonneg = le(Lit("int", 0), x)
    assert not k.entails(base, nonneg)
    assert k.entails(Seq(vars=(("x", U64), ("y", INT)), pure=base.pure), nonneg)
    assert len({v[1][1] for key, v in memo.items() if key[0] == "context of"}) == 6
    # the tactics' answers reach the re-check: asked again of new tuples, nothing is computed
    computed = sum(1 for key in memo if key[0] == "refuted")
    for s in [again] + others:
        k.entails(Seq(vars=tuple(list(s.vars)), pure=tuple(list(s.pure))), goal)
    assert sum(1 for key in memo if key[0] == "refuted") == computed
