"""Binders in the trusted syntax functions: capture-avoiding substitution (also of assertion
variables) and alpha-equivalence, checked against reference implementations on random
assertions (hypothesis), plus the two bugs they once had."""
import itertools

from hypothesis import given, settings, strategies as st

from seplogic.parser import parse_assertion as A
from seplogic.syntax import (
    App, AVar, BigSep, Exists, Forall, Lit, Pure, Sep, Sort, Val, Var, WP, alpha_eq, fv, subst,
)

U64 = Sort("u64")
NAMES = ("x", "y", "z")

# ---- random assertions over few names, so that shadowing and capture are common ----------

terms = st.one_of(st.sampled_from([Var(n) for n in NAMES]),
                  st.sampled_from([Lit("int", 0), Lit("int", 1)]))


def _assertions():
    leaf = st.one_of(st.builds(lambda a, b: Pure(App("eq", (a, b))), terms, terms),
                     st.just(AVar("P")))

    def extend(inner):
        name = st.sampled_from(NAMES)
        return st.one_of(
            st.builds(Sep, inner, inner),
            st.builds(lambda v, b: Forall(v, U64, b), name, inner),
            st.builds(lambda v, b: Exists(v, U64, b), name, inner),
            st.builds(lambda v, c, b: BigSep("set", (v,), App("set", (c,)), b), name, terms,
                      inner),
            st.builds(lambda v, w, b: BigSep("map", (v, w), Var("m"), b),
                      name, name, inner).filter(lambda a: a.vars[0] != a.vars[1]),
            st.builds(lambda t, v, b: WP(Var("n"), (), Val(t), v, b), terms, name, inner))
    return st.recursive(leaf, extend, max_leaves=6)


assertions = _assertions()


# ---- references: de Bruijn form, and substitution after renaming every binder apart -------

def debruijn(a, env=()):
    """A canonical form: bound variables by binder distance, free ones by name."""
    tp = type(a)
    if tp is Var:
        return ("b", env.index(a.name)) if a.name in env else ("f", a.name)
    if tp is Lit:
        return ("lit", a.kind, a.value)
    if tp is App:
        return (a.op,) + tuple(debruijn(t, env) for t in a.args)
    if tp is Pure:
        return ("pure", debruijn(a.term, env))
    if tp is AVar:
        return ("avar", a.name)
    if tp is Sep:
        return ("sep", debruijn(a.left, env), debruijn(a.right, env))
    if tp in (Forall, Exists):
        return (tp.__name__, a.sort, debruijn(a.body, (a.var,) + env))
    if tp is BigSep:
        inner = env
        for v in a.vars:
            inner = (v,) + inner
        return ("big", a.kind, len(a.vars), debruijn(a.coll, env), debruijn(a.body, inner))
    if tp is WP:
        return ("wp", debruijn(a.version, env), debruijn(a.expr.term, env),
                debruijn(a.post, (a.var,) + env))
    raise TypeError(a)


_fresh = itertools.count()


def apart(a, ren=None):
    """Rename every binder to a new name nobody uses (then naive substitution is correct)."""
    ren = ren or {}
    tp = type(a)
    if tp is Var:
        return Var(ren.get(a.name, a.name))
    if tp is App:
        return App(a.op, tuple(apart(t, ren) for t in a.args))
    if tp is Pure:
        return Pure(apart(a.term, ren))
    if tp is Sep:
        return Sep(apart(a.left, ren), apart(a.right, ren))
    if tp in (Forall, Exists):
        v = f"b{next(_fresh)}"
        return tp(v, a.sort, apart(a.body, {**ren, a.var: v}))
    if tp is BigSep:
        inner, vs = dict(ren), []
        for x in a.vars:
            vs.append(f"b{next(_fresh)}")
            inner[x] = vs[-1]
        return BigSep(a.kind, tuple(vs), apart(a.coll, ren), apart(a.body, inner))
    if tp is WP:
        v = f"b{next(_fresh)}"
        return WP(apart(a.version, ren), (), Val(apart(a.expr.term, ren)), v,
                  apart(a.post, {**ren, a.var: v}))
    return a   # Lit, AVar


def naive(a, s, avs):
    tp = type(a)
    if tp is Var:
        return s.get(a.name, a)
    if tp is AVar:
        return avs.get(a.name, a)
    if tp is App:
        return App(a.op, tuple(naive(t, s, avs) for t in a.args))
    if tp is Pure:
        return Pure(naive(a.term, s, avs))
    if tp is Sep:
        return Sep(naive(a.left, s, avs), naive(a.right, s, avs))
    if tp in (Forall, Exists):
        return tp(a.var, a.sort, naive(a.body, s, avs))
    if tp is BigSep:
        return BigSep(a.kind, a.vars, naive(a.coll, s, avs), naive(a.body, s, avs))
    if tp is WP:
        return WP(naive(a.version, s, avs), (), Val(naive(a.expr.term, s, avs)), a.var,
                  naive(a.post, s, avs))
    return a


# ---- properties --------------------------------------------------------------------------

@settings(max_examples=400, deadline=None)
@given(assertions, assertions)
def test_alpha_eq_is_equality_of_de_bruijn_forms(a, b):
    assert alpha_eq(a, b) == (debruijn(a) == debruijn(b))
    assert alpha_eq(a, apart(a))


@settings(max_examples=400, deadline=None)
@given(assertions, st.sampled_from(NAMES), terms, assertions)
def test_subst_avoids_capture(a, x, t, p):
    """Substituting a term for x and an assertion for P agrees with renaming every binder
    apart and substituting naively, and the free variables come out as they must."""
    got = subst(a, {x: t}, {"P": p})
    want = naive(apart(a), {x: t}, {"P": p})
    assert alpha_eq(got, want), (got, want)
    assert debruijn(got) == debruijn(want)


def _free(d) -> set:
    if isinstance(d, tuple):
        if len(d) == 2 and d[0] == "f" and isinstance(d[1], str):
            return {d[1]}
        return set().union(*(_free(x) for x in d))
    return set()


@settings(max_examples=300, deadline=None)
@given(assertions)
def test_fv_is_the_free_names_of_the_de_bruijn_form(a):
    assert fv(a) == _free(debruijn(a))


# ---- the two bugs --------------------------------------------------------------------------

def test_shadowing_binders_get_distinct_keys():
    a = A("∀ (x : u64). ∀ (x : u64). ∀ (y : u64). ⌜x = y⌝")
    assert not alpha_eq(a, A("∀ (u : u64). ∀ (v : u64). ∀ (w : u64). ⌜v = v⌝"))
    assert alpha_eq(a, A("∀ (u : u64). ∀ (v : u64). ∀ (w : u64). ⌜v = w⌝"))


def test_assertion_variables_are_not_captured():
    """weak : P -∗ ∀ x. P instantiated with P := ⌜x = 1⌝ must keep x free (else x = 1 would
    give ∀ x. x = 1)."""
    stmt = A("P -∗ ∀ (x : u64). P", avars=frozenset({"P"}))
    inst = subst(stmt, {}, {"P": A("⌜x = 1⌝")})
    assert fv(inst) == {"x"} and fv(inst.right) == {"x"}


def test_a_map_big_sep_binds_two_different_names():
    """[∗ map] x ↦ x ∈ m would leave open which x the body means; the kernel refuses it."""
    import pytest
    from kernel.wf import KernelError, need_assertion
    with pytest.raises(KernelError):
        need_assertion(BigSep("map", ("x", "x"), Var("m"), A("⌜x = x⌝")))


def test_renaming_a_map_binder_never_takes_its_sibling_name():
    """Substituting m := k under ``[∗ map] k ↦ k1 ∈ m`` renames the first binder away from k,
    and not to k1, the second binder's name (found by tests/soundness/test_c07_alpha_keys.py:
    the result bound k1 twice and the body's k became the value)."""
    from seplogic.parser import parse_assertion
    from seplogic.syntax import Var, alpha_eq, subst
    a = parse_assertion("[∗ map] k ↦ k1 ∈ m. ⌜m = k⌝")
    got = subst(a, {"m": Var("k")})
    assert len(set(got.vars)) == 2
    assert alpha_eq(got, parse_assertion("[∗ map] a ↦ b ∈ k. ⌜k = a⌝"))
