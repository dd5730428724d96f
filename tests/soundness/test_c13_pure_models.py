"""Issue 13's faster pure checker, attacked (kernel/pure.py is trusted).

* The incremental congruence closure (`_CC`: use lists, a signature table) against the naive
  one it replaced (kept here as the reference: full passes until nothing changes): on random
  term sets, equalities and disequalities, the same verdict and, without a clash, the same
  classes.
* `entails` is never True where a brute-force evaluation over a small domain finds a
  counterexample (random formulas over integers, booleans, pairs, options, ite, div/mod and an
  uninterpreted function, which the evaluation interprets by one fixed function).
* The caches shared by queries (sorts, simplifications, the env key) never carry an answer
  across envs that give one name different sorts, nor across a witness variable's sort.
"""
import itertools

from hypothesis import HealthCheck, given, settings, strategies as st

from kernel.pure import _CC, _head, _is, entails
from seplogic.syntax import App, BOOL, INT, Lit, Sort, U64, Var

# ---- the reference congruence closure ----------------------------------------------------------


class NaiveCC:
    """The closure by full passes (kernel/pure.py before issue 13)."""

    def __init__(self):
        self.ids, self.terms, self.parent, self.neqs = {}, [], [], []

    def node(self, t):
        if t not in self.ids:
            args = tuple(self.node(a) for a in t.args) if type(t) is App else ()
            self.ids[t] = len(self.terms)
            self.terms.append((t, args))
            self.parent.append(self.ids[t])
        return self.ids[t]

    def find(self, i):
        while self.parent[i] != i:
            i = self.parent[i]
        return i

    def union(self, i, j):
        i, j = self.find(i), self.find(j)
        self.parent[i] = j
        return i != j

    def close(self):
        changed = True
        while changed:
            changed, sigs, cons = False, {}, {}
            for i, (t, args) in enumerate(self.terms):
                if type(t) is App:
                    changed |= self.union(i, sigs.setdefault(
                        (t.op, tuple(map(self.find, args))), i))
                if _head(t) is not None:
                    j = cons.setdefault(self.find(i), i)
                    if _head(t) != _head(self.terms[j][0]):
                        return True
                    for x, y in zip(args, self.terms[j][1]):
                        changed |= self.union(x, y)
            for i, (t, args) in enumerate(self.terms):
                if _is(t, "fst") or _is(t, "snd"):
                    j = cons.get(self.find(args[0]))
                    if j is not None and _is(self.terms[j][0], "pair"):
                        changed |= self.union(i, self.terms[j][1][t.op == "snd"])
        return any(self.find(i) == self.find(j) for i, j in self.neqs)


def app(op, *args):
    return App(op, tuple(args))


LEAF = st.sampled_from([Var("a"), Var("b"), Var("c"), Lit("int", 0), Lit("int", 1),
                        Lit("bool", True), app("none")])
TERM = st.recursive(LEAF, lambda c: st.one_of(
    st.tuples(c, c).map(lambda p: app("pair", *p)), c.map(lambda x: app("fst", x)),
    c.map(lambda x: app("snd", x)), c.map(lambda x: app("some", x)),
    c.map(lambda x: app("f", x)), st.tuples(c, c).map(lambda p: app("g", *p))), max_leaves=5)


def classes(cc, terms):
    return {frozenset(t for t in terms if cc.find(cc.ids[t]) == cc.find(cc.ids[u]))
            for u in terms}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TERM, TERM), max_size=6), st.lists(st.tuples(TERM, TERM), max_size=3),
       st.lists(TERM, max_size=4))
def test_incremental_closure_equals_the_naive_one(eqs, neqs, extra):
    new, old = _CC(), NaiveCC()
    for cc in (new, old):
        for t in extra:
            cc.node(t)
        for x, y in eqs:
            cc.union(cc.node(x), cc.node(y))
        cc.neqs += [(cc.node(x), cc.node(y)) for x, y in neqs]
    verdict = old.close()
    assert new.close() == verdict
    clash = any(_head(t) is not None and _head(u) is not None and _head(t) != _head(u)
                and old.find(old.ids[t]) == old.find(old.ids[u])
                for t in old.ids for u in old.ids)
    if not clash:
        assert set(new.ids) == set(old.ids)
        assert classes(new, list(old.ids)) == classes(old, list(old.ids))


def test_closure_examples():
    a, b = Var("a"), Var("b")
    cc = _CC()   # a = (1, b) gives fst(a) = 1 whichever term came first
    cc.node(app("fst", a))
    cc.union(cc.node(a), cc.node(app("pair", Lit("int", 1), b)))
    assert cc.find(cc.node(app("fst", a))) == cc.find(cc.node(Lit("int", 1)))
    cc = _CC()   # some(a) = some(b) gives a = b; then f(a) ≠ f(b) is contradictory
    cc.neqs.append((cc.node(app("f", a)), cc.node(app("f", b))))
    assert not cc.close()
    cc.union(cc.node(app("some", a)), cc.node(app("some", b)))
    assert cc.close()
    cc = _CC()   # distinct heads never merge silently
    cc.union(cc.node(a), cc.node(app("none")))
    cc.union(cc.node(a), cc.node(app("some", b)))
    assert cc.close()


# ---- entails against brute force ---------------------------------------------------------------

ENV = {"x": INT, "y": INT, "z": INT, "p": BOOL, "q": BOOL}
DOMAIN = range(-2, 3)


def lit(v):
    return Lit("bool", v) if type(v) is bool else Lit("int", v)


NUM = st.recursive(
    st.sampled_from([Var("x"), Var("y"), Var("z")]) | st.integers(-3, 3).map(lit),
    lambda c: st.one_of(
        st.tuples(st.sampled_from(["add", "sub", "mul", "div", "mod"]), c, c).map(
            lambda t: app(*t)),
        c.map(lambda x: app("fst", app("pair", x, Var("y")))),
        st.tuples(c, c, c).map(lambda t: app("ite", app("lt", t[0], t[1]), t[1], t[2]))),
    max_leaves=4)
PAIR = st.tuples(NUM, NUM).map(lambda p: app("pair", *p))      # compared by equality only
OPTION = NUM.map(lambda x: app("some", x)) | st.just(app("none"))
F = NUM.map(lambda x: app("f", x))
ATOM = st.one_of(
    st.tuples(st.sampled_from(["lt", "le", "eq"]), NUM, NUM).map(lambda t: app(*t)),
    *(st.tuples(k, k).map(lambda p: app("eq", *p)) for k in (PAIR, OPTION, F)),
    st.tuples(F, NUM).map(lambda p: app("eq", *p)), st.just(Var("p")),
    st.booleans().map(lit))
FORMULA = st.recursive(ATOM, lambda c: st.one_of(
    c.map(lambda x: app("not", x)),
    st.tuples(st.sampled_from(["and", "or", "implies"]), c, c).map(lambda t: app(*t))),
    max_leaves=5)


def value(t, m):
    """t's value in the model m (f interpreted as x ↦ x mod 3)."""
    if type(t) is Var:
        return m[t.name]
    if type(t) is Lit:
        return t.value
    v = [value(a, m) for a in t.args]
    op = t.op
    if op in ("add", "sub", "mul"):
        return {"add": v[0] + v[1], "sub": v[0] - v[1], "mul": v[0] * v[1]}[op]
    if op == "div":
        return v[0] // v[1] if v[1] else 0
    if op == "mod":
        return v[0] % v[1] if v[1] else v[0]
    if op in ("lt", "le", "eq"):
        return {"lt": lambda: v[0] < v[1], "le": lambda: v[0] <= v[1],
                "eq": lambda: v[0] == v[1]}[op]()
    if op == "not":
        return not v[0]
    if op in ("and", "or", "implies"):
        return {"and": v[0] and v[1], "or": v[0] or v[1], "implies": (not v[0]) or v[1]}[op]
    if op == "ite":
        return v[1] if v[0] else v[2]
    if op == "pair":
        return ("pair", v[0], v[1])
    if op == "fst":
        return v[0][1]
    if op == "some":
        return ("some", v[0])
    if op == "none":
        return ("none",)
    if op == "f":
        return ("f", v[0] % 3)
    raise AssertionError(op)


def counterexample(hyps, goal):
    for x, y, z in itertools.product(DOMAIN, repeat=3):
        for p in (False, True):
            m = {"x": x, "y": y, "z": z, "p": p, "q": False}
            if all(value(h, m) for h in hyps) and not value(goal, m):
                return m
    return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FORMULA, max_size=3), FORMULA, st.booleans())
def test_entails_never_proves_what_a_small_model_refutes(hyps, goal, shared):
    memo = {} if shared else None
    if shared:                # a memo warmed by other queries over the same env
        for h in hyps:
            entails(ENV, hyps, h, {}, memo)
    m = counterexample(hyps, goal)
    if m is not None:
        assert not entails(ENV, hyps, goal, {}, memo), f"proved, but false at {m}"


# ---- shared caches and adversarial names ----------------------------------------------------

def test_a_sort_learnt_in_one_env_is_not_used_in_another():
    x = Var("x")
    memo = {}
    ge0 = app("le", Lit("int", 0), x)
    assert entails({"x": U64}, (), ge0, {}, memo)
    assert not entails({"x": INT}, (), ge0, {}, memo)       # an int may be negative
    assert entails({"x": U64}, (), ge0, {}, memo)


def test_a_context_is_known_by_its_own_tuples_only():
    """The kernel finds a sequent's facts in its memo by the identity of the sequent's tuples;
    another sequent with the same facts (even the same tuple) but other sorts, or equal facts
    in another tuple, gets its own answers."""
    from kernel.core import Kernel
    from kernel.sequent import Seq
    k, x = Kernel(), Var("x")
    ge0 = app("le", Lit("int", 0), x)
    facts = (app("le", x, Lit("int", 5)),)
    s_u64 = Seq(vars=(("x", U64),), pure=facts)
    s_int = Seq(vars=(("x", INT),), pure=facts)           # the same facts object
    assert k.entails(s_u64, ge0) and not k.entails(s_int, ge0) and k.entails(s_u64, ge0)
    s_neg = Seq(vars=(("x", INT),), pure=(app("lt", x, Lit("int", 0)),))
    assert not k.entails(s_neg, ge0)
    s_pos = Seq(vars=s_neg.vars, pure=(app("le", Lit("int", 0), x),) + facts)
    assert k.entails(s_pos, ge0) and not k.entails(s_neg, ge0)
    for _ in range(3):      # answers stay put however often they are asked
        assert not k.entails(s_int, ge0) and k.entails(s_u64, ge0) and k.entails(s_pos, ge0)


def test_a_witness_variable_does_not_leak_its_sort():
    """A set disequality adds a witness x#0 of the sets' element sort; a later query over an
    env where x#0 is a user's variable of another sort must not see that sort."""
    S, U, w = Var("S"), Var("U"), Var("x#0")
    sets = Sort("set", (Sort("string"),))
    env1 = {"S": sets, "U": sets}
    memo = {}
    # S ≠ U ⊢ ∃ element in one and not the other: here just that S ≠ U is consistent
    assert not entails(env1, (app("not", app("eq", S, U)),), Lit("bool", False), {}, memo)
    env2 = {"S": sets, "U": sets, "x#0": U64}
    assert entails(env2, (), app("le", Lit("int", 0), w), {}, memo)
    assert not entails(env2, (), app("lt", w, Lit("int", 0)), {}, memo)
    env3 = {"x#0": INT}
    assert not entails(env3, (), app("le", Lit("int", 0), w), {}, memo)


def test_two_witnesses_in_one_query_stay_two():
    """Each set disequality gets its own witness (x ∉ S, x ∈ U for S ≠ U); the forms with a
    witness are never shared between queries, or a later query with two disequalities could
    get one witness for both.  Here the witnesses must be 1 and 2: one shared witness would be
    a false contradiction."""
    S, V = Var("S"), Var("V")
    env = {"S": Sort("set", (U64,)), "V": Sort("set", (U64,))}
    one, two = (app("set", Lit("int", k)) for k in (1, 2))
    ne = lambda a, b: app("not", app("eq", a, b))
    h1, h2 = ne(S, app("union", S, one)), ne(V, app("union", V, two))  # witnesses 1 and 2
    link = app("eq", S, V)                # one group: both disequalities in one query
    memo = {}
    for h in (h1, h2):                    # each disequality's form, made once alone
        assert not entails(env, (link, h), Lit("bool", False), {}, memo)
    for m in (memo, None):
        assert not entails(env, (link, h1, h2), Lit("bool", False), {}, m)
    assert entails(env, (h1,), app("not", app("mem", Lit("int", 1), S)), {}, memo)


def test_nelson_oppen_still_applies_at_the_leaves():
    """Equal arguments found by arithmetic make applications equal (f(x) = f(y) from x ≤ y ≤
    x), also under a case split, where the inner node's check stops before Nelson–Oppen."""
    x, y = Var("x"), Var("y")
    fx, fy = app("f", x), app("f", y)
    hyps = (app("le", x, y), app("le", y, x), app("or", Var("p"), app("not", Var("p"))))
    assert entails(ENV, hyps, app("eq", fx, fy), {})
    assert not entails(ENV, hyps[:1], app("eq", fx, fy), {})


def test_fourier_motzkin_is_still_complete_on_a_small_chain():
    vs = [Var(f"v{i}") for i in range(6)]
    env = {v.name: INT for v in vs}
    hyps = tuple(app("lt", vs[i], vs[i + 1]) for i in range(5))
    assert entails(env, hyps, app("le", app("add", vs[0], Lit("int", 5)), vs[5]), {})
    assert not entails(env, hyps, app("le", app("add", vs[0], Lit("int", 6)), vs[5]), {})



def test_sibling_branches_do_not_share_their_facts():
    """A branch extends a copy of its parent's theory state: what one alternative adds (x = 1)
    is not seen by the next (x = 2), so x = 1 ∨ x = 2 follows but neither alone does."""
    x, p, q = Var("x"), Var("p"), Var("q")
    one, two = app("eq", x, Lit("int", 1)), app("eq", x, Lit("int", 2))
    hyps = (app("or", p, q), app("or", app("not", p), one), app("or", app("not", q), two),
            app("lt", Lit("int", 0), x))
    assert entails(ENV, hyps, app("or", one, two), {})
    assert not entails(ENV, hyps, one, {})
    assert not entails(ENV, hyps, two, {})
    assert not entails(ENV, hyps, Lit("bool", False), {})


def test_a_remembered_sort_is_that_of_the_variables_sorts():
    """sort_of's memo is keyed by the sorts of the term's variables: the same term in an env
    giving its variable another sort is sorted again, and an ill-sorted term is never kept."""
    from kernel.pure import PureError, sort_of
    import pytest
    memo = {}
    t = app("pair", Var("v"), Lit("int", 1))
    assert sort_of(t, {"v": BOOL}, {}, memo) == Sort("prod", (BOOL, INT))
    assert sort_of(t, {"v": U64}, {}, memo) == Sort("prod", (U64, INT))
    bad = app("add", Var("v"), Lit("int", 1))
    for _ in range(2):
        with pytest.raises(PureError):
            sort_of(bad, {"v": BOOL}, {}, memo)
    assert sort_of(bad, {"v": U64}, {}, memo) == INT
    with pytest.raises(PureError):
        sort_of(bad, {"v": BOOL}, {}, memo)
    with pytest.raises(PureError):
        sort_of(bad, {}, {}, memo)           # unknown variable
