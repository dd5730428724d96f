"""Property tests: the printer and the parser are inverse (``parse(show(x)) == x``).

The strategies generate well-formed ASTs: names are identifiers that are not keywords, built-in
operators, primitives and atoms get their exact arity, and the name pools of logical
variables, assertion variables and predicates are disjoint (as in real statements).
"""
import pytest
from hypothesis import given, settings, strategies as st

from seplogic import syntax as S
from seplogic.parser import parse_assertion, parse_expr, parse_sort, parse_term
from seplogic.printer import show, show_ascii

SETTINGS = settings(max_examples=300, deadline=None)

# Tricky but legal names: words that are keywords only in other contexts (tactics, big-∗
# headers, masks) or special only as call heads.
VARS = ["x", "y", "l", "v", "n", "γ", "σ'", "x_1", "set", "map", "T", "inv", "fd", "Done",
        "first", "Qed", "master", "_tmp"]
FUNCS = ["f", "g", "double", "fd", "dir", "master", "lease", "Len", "try"]
EVARS = ["x", "y", "a", "lk", "set", "T"]
PROG_FUNCS = ["swap", "go", "f"]
AVARS = ["R", "Q0", "Φ"]
PREDS = ["P", "is_list", "counter_inv", "Own"]
INV_NAMES = ["N", "N1", "lockN"]

# Unicode notation that show_ascii must never print.
UNICODE_NOTATION = set("∗↦⤇∃∀∧∨□⌜⌝→≠≤≥∈⊆⊇∪∩∖∅⊤")


def _app(op, k, sub):
    return st.tuples(*[sub] * k).map(lambda args: S.App(op, args))


def _terms():
    leaves = st.one_of(
        st.sampled_from(VARS).map(S.Var),
        st.integers(-10**20, 10**20).map(S.mk_int),
        st.booleans().map(S.mk_bool),
        st.text(max_size=6).map(lambda s: S.Lit("string", s)),
        st.just(S.UNIT_LIT),
        st.sampled_from([op for op, k in S.TERM_OPS.items() if k == 0]).map(
            lambda op: S.App(op, ())),
    )
    fixed = sorted((op, k) for op, k in S.TERM_OPS.items() if k)

    def extend(sub):
        return st.one_of(
            st.sampled_from(fixed).flatmap(lambda ok: _app(ok[0], ok[1], sub)),
            st.tuples(st.sampled_from(["list", "set"]), st.lists(sub, max_size=3)).map(
                lambda p: S.App(p[0], tuple(p[1]))),
            st.tuples(st.sampled_from(FUNCS), st.lists(sub, max_size=3)).map(
                lambda p: S.App(p[0], tuple(p[1]))),
        )
    return st.recursive(leaves, extend, max_leaves=10)


TERMS = _terms()


def _sorts():
    base = st.sampled_from([S.Sort(n) for n in S.BASE_SORTS] + [S.Sort("State")])

    def extend(sub):
        return st.one_of(*[st.tuples(*[sub] * k).map(lambda a, n=n: S.Sort(n, a))
                           for n, k in S.SORT_CONSTRUCTORS.items()])
    return st.recursive(base, extend, max_leaves=5)


SORTS = _sorts()


def _exprs():
    leaves = st.one_of(TERMS.map(S.Val), st.sampled_from(EVARS).map(S.EVar))
    prims = sorted(S.PRIM_OPS.items())

    def extend(sub):
        return st.one_of(
            st.builds(S.Let, st.sampled_from(EVARS + ["_"]), sub, sub),
            st.builds(S.If, sub, sub, sub),
            st.tuples(st.sampled_from(PROG_FUNCS), st.lists(sub, max_size=3)).map(
                lambda p: S.Call(p[0], tuple(p[1]))),
            st.sampled_from(prims).flatmap(
                lambda ok: st.tuples(*[sub] * ok[1]).map(lambda a, op=ok[0]: S.Prim(op, a))),
            st.builds(S.Fork, sub),
            st.builds(S.Loop, sub),
        )
    return st.recursive(leaves, extend, max_leaves=10)


EXPRS = _exprs()
OPENED = st.lists(st.sampled_from(INV_NAMES), unique=True, max_size=2).map(
    lambda ns: tuple(sorted(ns)))
SMALL_TERMS = st.recursive(st.sampled_from(VARS).map(S.Var) | st.integers(-5, 50).map(S.mk_int),
                           lambda sub: _app("add", 2, sub) | _app("pair", 2, sub)
                           | st.tuples(st.sampled_from(FUNCS), st.lists(sub, max_size=2)).map(
                               lambda p: S.App(p[0], tuple(p[1]))), max_leaves=4)
SMALL_EXPRS = st.recursive(SMALL_TERMS.map(S.Val) | st.sampled_from(EVARS).map(S.EVar),
                           lambda sub: st.builds(S.Let, st.sampled_from(EVARS + ["_"]), sub, sub)
                           | st.builds(lambda a: S.Prim("load", (a,)), sub), max_leaves=4)


def _atoms(terms):
    return st.sampled_from(sorted(S.ATOM_KINDS.items())).flatmap(
        lambda kv: st.tuples(*[terms] * kv[1][0]).map(lambda a, k=kv[0]: S.Atom(k, a)))


def _assertions(terms=SMALL_TERMS, exprs=SMALL_EXPRS, max_leaves=8):
    leaves = st.one_of(
        terms.map(S.Pure), st.just(S.Pure(S.TRUE)), st.just(S.Pure(S.FALSE)),
        st.just(S.Emp()), st.sampled_from(AVARS).map(S.AVar),
        st.sampled_from(PREDS).map(lambda p: S.PredApp(p, ())), _atoms(terms))

    def wp(post):
        return st.builds(S.WP, terms, OPENED, exprs, st.sampled_from(VARS + ["_"]), post)

    def extend(sub):
        return st.one_of(
            st.builds(S.Sep, sub, sub), st.builds(S.Wand, sub, sub),
            st.builds(S.And, sub, sub), st.builds(S.Or, sub, sub),
            st.builds(S.Exists, st.sampled_from(VARS), SORTS, sub),
            st.builds(S.Forall, st.sampled_from(VARS), SORTS, sub),
            st.builds(S.Persistently, sub),
            st.builds(lambda x, c, b: S.BigSep("set", (x,), c, b),
                      st.sampled_from(VARS), terms, sub),
            st.builds(lambda k, v, c, b: S.BigSep("map", (k, v), c, b),   # two names
                      st.sampled_from(VARS), st.sampled_from(VARS), terms, sub).filter(
                lambda a: a.vars[0] != a.vars[1]),
            st.builds(S.Inv, st.sampled_from(INV_NAMES), sub),
            st.builds(S.IsLock, terms, sub),
            st.tuples(st.sampled_from(PREDS), st.lists(terms | sub, max_size=3)).map(
                lambda p: S.PredApp(p[0], tuple(p[1]))),
            wp(sub),
            st.builds(lambda pre, w: S.Persistently(S.Wand(pre, w)), sub, wp(sub)),
        )
    return st.recursive(leaves, extend, max_leaves=max_leaves)


ASSERTIONS = _assertions()


def _no_unicode_notation(text):
    bad = set(text) & UNICODE_NOTATION
    assert not bad, (bad, text)


@SETTINGS
@given(SORTS)
def test_sort_roundtrip(s):
    assert parse_sort(show(s)) == s
    assert parse_sort(show_ascii(s)) == s


@SETTINGS
@given(TERMS)
def test_term_roundtrip(t):
    text = show(t)
    assert parse_term(text) == t, text
    text = show_ascii(t)
    assert parse_term(text) == t, text


@SETTINGS
@given(EXPRS)
def test_expr_roundtrip(e):
    text = show(e)
    assert parse_expr(text) == e, text
    text = show_ascii(e)
    _no_unicode_notation(text)
    assert parse_expr(text) == e, text


@SETTINGS
@given(ASSERTIONS)
def test_assertion_roundtrip(a):
    text = show(a)
    assert parse_assertion(text, avars=frozenset(AVARS)) == a, text
    text = show_ascii(a)
    _no_unicode_notation(text)
    assert parse_assertion(text, avars=frozenset(AVARS)) == a, text


@settings(max_examples=60, deadline=None)
@given(_assertions(TERMS, EXPRS, max_leaves=14))
def test_big_assertion_roundtrip(a):
    """Larger terms and programs inside assertions (exercises the multi-line layout)."""
    for text in (show(a), show_ascii(a)):
        assert parse_assertion(text, avars=frozenset(AVARS)) == a, text


# ---- deterministic coverage of every operator, primitive, atom and assertion class ----------

X, Y, Z, W = (S.Var(n) for n in "xyzw")


@pytest.mark.parametrize("op", sorted(S.TERM_OPS))
def test_every_term_op(op):
    k = S.TERM_OPS[op]
    args = (X, Y, Z, W)[:k if k is not None else 3]
    t = S.App(op, args)
    for nested in (t, S.App("add", (t, t)), S.App(op, tuple(S.App("mul", (a, a)) for a in args))
                   if args else t):
        assert parse_term(show(nested)) == nested, show(nested)
        assert parse_term(show_ascii(nested)) == nested, show_ascii(nested)


@pytest.mark.parametrize("op", sorted(S.PRIM_OPS))
def test_every_prim_op(op):
    args = tuple(S.EVar(n) for n in ("a", "b", "c", "d"))[:S.PRIM_OPS[op]]
    e = S.Prim(op, args)
    for nested in (e, S.Let("_", e, e), S.Prim("add", (e, e)) if op != "store" else e):
        assert parse_expr(show(nested)) == nested, show(nested)
        assert parse_expr(show_ascii(nested)) == nested, show_ascii(nested)


@pytest.mark.parametrize("kind", sorted(S.ATOM_KINDS))
def test_every_atom_kind(kind):
    a = S.Atom(kind, (X, Y, Z, W)[:S.ATOM_KINDS[kind][0]])
    for nested in (a, S.Sep(a, a), S.Persistently(a), S.PredApp("P", (a, X))):
        assert parse_assertion(show(nested)) == nested, show(nested)
        assert parse_assertion(show_ascii(nested)) == nested, show_ascii(nested)


def test_every_assertion_class():
    p, q = S.AVar("R"), S.PredApp("Q", (X,))
    wp = S.WP(S.mk_int(0), ("N",), S.Prim("load", (S.Val(X),)), "v", q)
    samples = [S.Pure(X), S.Emp(), S.Sep(p, q), S.Wand(p, q), S.And(p, q), S.Or(p, q),
               S.Exists("x", S.U64, q), S.Forall("x", S.VAL, q), S.Persistently(q),
               S.BigSep("set", ("x",), Y, q), S.BigSep("map", ("k", "x"), Y, q),
               S.Atom("tok", (X,)), S.Inv("N", q), S.IsLock(X, p), S.PredApp("Q", (p, q, X)),
               p, wp, S.Persistently(S.Wand(p, wp))]
    covered = {type(a) for a in samples}
    assert covered == {c for c in vars(S).values()
                       if isinstance(c, type) and issubclass(c, S.Assertion)
                       and c is not S.Assertion}
    for a in samples:
        assert parse_assertion(show(a), {"R"}) == a, show(a)
        assert parse_assertion(show_ascii(a), {"R"}) == a, show_ascii(a)


def test_triple_is_resugared():
    wp = S.WP(S.Var("n"), (), S.Call("f", (S.Val(X),)), "r", S.Emp())
    assert show(S.Persistently(S.Wand(S.Emp(), wp))) == "{emp} f(#x) {r. emp}[n]"
    assert show(S.Persistently(S.Wand(S.Emp(), S.WP(S.Var("n"), ("N",), S.Val(S.mk_int(1)),
                                                    "_", S.Emp())))) == \
        "{emp} 1 {emp}[n] @ ⊤∖{N}"


def test_minimal_parentheses():
    q = S.PredApp("Q", ())
    ex = S.Exists("x", S.VAL, q)
    assert show(S.Sep(q, ex)) == "Q ∗ ∃ x. Q"
    assert show(S.Sep(ex, q)) == "(∃ x. Q) ∗ Q"
    assert show(S.Wand(S.Sep(q, ex), q)) == "Q ∗ (∃ x. Q) -∗ Q"
    assert show(S.App("sub", (X, S.App("sub", (Y, Z))))) == "x - (y - z)"
    assert show(S.App("sub", (S.App("sub", (X, Y)), Z))) == "x - y - z"
    assert show(S.App("neg", (S.mk_int(5),))) == "-(5)"
    assert show(S.mk_int(-5)) == "-5"
    assert show(S.Let("_", S.Let("x", S.EVar("a"), S.EVar("x")), S.EVar("b"))) == \
        "(let x := a in x);; b"


def test_long_program_is_multiline_and_parses():
    e = S.Val(S.UNIT_LIT)
    for i in range(12):
        e = S.Let(f"x{i}", S.Prim("load", (S.EVar(f"long_location_name_{i}"),)), e)
    text = show(e)
    assert text.count("\n") >= 11
    assert parse_expr(text) == e
    a = S.Persistently(S.Wand(S.Emp(), S.WP(S.Var("n"), (), e, "r", S.Emp())))
    assert "\n" in show(a) and parse_assertion(show(a)) == a


# ---- widths and renaming apart (goal display) --------------------------------------------------

def _bound(a) -> set:
    """The names bound by ∃ / ∀ / big-∗ / a postcondition anywhere in ``a``."""
    out, todo = set(), [a]
    while todo:
        x = todo.pop()
        tp = type(x)
        if tp in (S.Exists, S.Forall):
            out.add(x.var)
            todo.append(x.body)
        elif tp is S.BigSep:
            out |= set(x.vars)
            todo.append(x.body)
        elif tp is S.WP:
            out.add(x.var)
            todo.append(x.post)
        elif tp in (S.Sep, S.Wand, S.And, S.Or):
            todo += [x.left, x.right]
        elif tp in (S.Persistently, S.Inv, S.IsLock):
            todo.append(x.body)
        elif tp is S.PredApp:
            todo += [y for y in x.args if isinstance(y, S.Assertion)]
    return out - {"_"}


@settings(max_examples=150, deadline=None)
@given(_assertions(TERMS, EXPRS, max_leaves=14), st.sampled_from([20, 40, 60, 160]))
def test_any_width_reads_back_exactly(a, width):
    """The layout for a narrow or wide terminal changes only white space."""
    for text in (show(a, width=width), show_ascii(a, width=width)):
        assert parse_assertion(text, avars=frozenset(AVARS)) == a, text


@SETTINGS
@given(ASSERTIONS, st.sets(st.sampled_from(VARS), max_size=6))
def test_renaming_apart_is_alpha_equivalent_and_avoids_the_context(a, context):
    text = show(a, avoid=context)
    back = parse_assertion(text, avars=frozenset(AVARS))
    assert S.alpha_eq(back, a), text
    assert S.fv(back) == S.fv(a)
    assert not _bound(back) & context, text


def test_a_clashing_bound_variable_is_renamed():
    body = S.PredApp("BlockInv", (S.Var("n"), S.Var("a")))
    coll = S.App("diff", (S.Var("s"), S.App("set", (S.Var("a"),))))
    a = S.BigSep("set", ("a",), coll, body)
    assert show(a) == "[∗ set] a ∈ s ∖ {[a]}. BlockInv(n, a)"
    assert show(a, avoid={"a", "n"}) == "[∗ set] a1 ∈ s ∖ {[a]}. BlockInv(n, a1)"


def test_narrow_width_breaks_binders_and_conjuncts():
    conj = [S.PredApp("counter_inv", (S.Var(f"long_name_{i}"),)) for i in range(4)]
    body = conj[-1]
    for c in reversed(conj[:-1]):
        body = S.Sep(c, body)
    a = S.Exists("x", S.Sort("u64", ()), body)
    text = show(a, width=40)
    assert text.splitlines()[0] == "∃ (x : u64)."
    assert max(map(len, text.splitlines())) <= 40
    assert parse_assertion(text) == a


@settings(max_examples=200, deadline=None)
@given(TERMS, st.sampled_from([10, 30, 60]))
def test_a_long_fact_reads_back_exactly(t, width):
    from seplogic.printer import show_fact
    text = show_fact(t, width)
    assert parse_term(text) == t, text
