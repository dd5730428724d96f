"""Class 7 of issue 9, alpha-equivalence: `alpha_eq` keyed bound variables by strings
(``"\\0" + depth``) that a free variable's name could equal, so ``∀y. ⌜y = z⌝`` with z named
``"\\x000"`` was "alpha-equal" to ``∀x. ⌜x = x⌝``.  The trusted syntax functions must not rest
on a naming convention: here `alpha_eq` is compared with a de Bruijn reference on random
assertions whose names (free and bound) include the old keys, and `subst`/`fv` are checked
against the same reference (capture-free substitution, whatever the names)."""

from hypothesis import given, settings, strategies as st

from seplogic.record import fields as record_fields, is_record
from seplogic.syntax import (
    App, BigSep, Exists, Forall, Lit, Pure, Sep, Sort, Val, Var, WP, Wand, alpha_eq, fv, subst,
)

# names that look like the old keys, ordinary names, and fresh_name's variants
NAMES = ["\x000", "\x001", "\x002", "x", "y", "x1", "z"]
NAT = Sort("nat")
_BINDS = {Exists: ("var", "body"), Forall: ("var", "body"), WP: ("var", "post"),
          BigSep: ("vars", "body")}


def db(x, env=()):
    """De Bruijn form: a bound variable is its binder's distance, a free one its name; binder
    names are dropped.  (A big-∗'s variables are distinct, as kernel/wf.py requires.)"""
    if type(x) is Var:
        for i, n in enumerate(reversed(env)):
            if n == x.name:
                return ("bound", i)
        return ("free", x.name)
    if type(x) is tuple:
        return tuple(db(y, env) for y in x)
    if not is_record(x):
        return x
    bound, body = _BINDS.get(type(x), (None, None))
    out = [type(x).__name__]
    for f in record_fields(x):
        if f == bound:
            continue
        if f == body:
            names = getattr(x, bound)
            out.append(db(getattr(x, f), env + ((names,) if type(names) is str
                                                     else tuple(names))))
        else:
            out.append(db(getattr(x, f), env))
    return tuple(out)


names = st.sampled_from(NAMES)
terms = st.recursive(
    names.map(Var) | st.integers(0, 2).map(lambda n: Lit("int", n)),
    lambda t: st.tuples(t, t).map(lambda ab: App("add", ab)), max_leaves=4)
assertions = st.recursive(
    st.tuples(terms, terms).map(lambda ab: Pure(App("eq", ab))),
    lambda a: st.one_of(
        st.tuples(a, a).map(lambda p: Sep(*p)),
        st.tuples(a, a).map(lambda p: Wand(*p)),
        st.tuples(names, a).map(lambda p: Exists(p[0], NAT, p[1])),
        st.tuples(names, a).map(lambda p: Forall(p[0], NAT, p[1])),
        st.tuples(names, terms, a).map(lambda p: BigSep("set", (p[0],), p[1], p[2])),
        st.tuples(names, names, terms, a).filter(lambda p: p[0] != p[1]).map(   # (as wf.py)
            lambda p: BigSep("map", (p[0], p[1]), p[2], p[3])),
        st.tuples(terms, terms, names, a).map(lambda p: WP(p[0], (), Val(p[1]), p[2], p[3]))),
    max_leaves=6)


def rename(x, draw):
    """``x`` with binders renamed and variables replaced at random, naively (so it may or may
    not stay alpha-equivalent: capture is allowed on purpose)."""
    if type(x) is Var:
        return Var(draw(names)) if draw(st.integers(0, 5)) == 0 else x
    if type(x) is tuple:
        return tuple(rename(y, draw) for y in x)
    if not is_record(x):
        return x
    bound, body = _BINDS.get(type(x), (None, None))
    fields = {f: rename(getattr(x, f), draw) for f in record_fields(x)
              if f != bound}
    if bound is not None:
        old = getattr(x, bound)
        new = tuple(draw(names) if draw(st.booleans()) else n
                    for n in ((old,) if type(old) is str else old))
        ren = {o: Var(n) for o, n in zip((old,) if type(old) is str else old, new) if o != n}
        fields[body] = _naive(fields[body], ren)
        fields[bound] = new[0] if type(old) is str else new
    return type(x)(**fields)


def _naive(x, ren):
    """Replace free occurrences, capturing (not `subst`: this is the reference's adversary)."""
    if type(x) is Var:
        return ren.get(x.name, x)
    if type(x) is tuple:
        return tuple(_naive(y, ren) for y in x)
    if not is_record(x):
        return x
    bound, body = _BINDS.get(type(x), (None, None))
    shadow = set() if bound is None else {getattr(x, bound)} if type(getattr(x, bound)) is str \
        else set(getattr(x, bound))
    return type(x)(**{f: _naive(getattr(x, f), {k: v for k, v in ren.items()
                                                            if k not in shadow}
                                     if f == body else ren)
                      for f in record_fields(x)})


@settings(max_examples=200, deadline=None)
@given(assertions, st.data())
def test_alpha_eq_is_de_bruijn_equality(a, data):
    b = rename(a, data.draw) if data.draw(st.booleans()) else data.draw(assertions)
    assert alpha_eq(a, b) == (db(a) == db(b)), (a, b)
    assert alpha_eq(b, a) == alpha_eq(a, b)


def _db_replace(d, x, dt):
    if d == ("free", x):
        return dt
    return tuple(_db_replace(y, x, dt) for y in d) if type(d) is tuple else d


@settings(max_examples=150, deadline=None)
@given(assertions, names, terms)
def test_subst_is_de_bruijn_substitution(a, x, t):
    """subst(a, {x: t}) replaces the free x by t and captures nothing: in de Bruijn form it
    is the plain replacement, whatever the binders are called."""
    out = subst(a, {x: t})
    assert db(out) == _db_replace(db(a), x, db(t)), (a, x, t, out)
    assert fv(out) == (fv(a) - {x}) | (fv(t) if x in fv(a) else frozenset())


def test_the_audits_shape():
    """∀y. ⌜y = z⌝ is not ∀x. ⌜x = x⌝, whatever z is called."""
    for z in NAMES:
        a = Forall("x", NAT, Pure(App("eq", (Var("x"), Var("x")))))
        b = Forall("y", NAT, Pure(App("eq", (Var("y"), Var(z)))))
        assert alpha_eq(a, b) == (z == "y") == (db(a) == db(b))
