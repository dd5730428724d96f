"""The linear-time shortcuts of the kernel's data (TRUSTED): `fv` computed once per node,
`subst` leaving alone what it does not change, a sequent's names computed once.  Checked against
the simple reference functions they replaced (copied below), on random assertions and programs
whose names collide, and attacked with capture, shadowing and fresh-name collisions."""
import pytest
from hypothesis import given, settings, strategies as st

from seplogic.syntax import (
    App, Atom, BigSep, Call, Emp, EVar, Exists, Forall, If, Inv, IsLock, Let, Lit, Loop, Or,
    Persistently, PredApp, Prim, Pure, Sep, Val, Var, Wand, WP, And, AVar, Fork, NAT,
    alpha_eq, fresh_name, fv, prog_vars, subst, subst_prog,
)
from tests.soundness.test_c07_alpha_keys import NAMES, assertions, db, names, terms

# ---- the reference: fv and subst as they were (a full walk, every time) ---------------------


def ref_fv(a) -> frozenset:
    tp = type(a)
    if tp is Var:
        return frozenset((a.name,))
    if tp in (App, Call, Prim, Atom, PredApp):
        return frozenset().union(*map(ref_fv, a.args))
    if tp in (Lit, EVar, Emp, AVar):
        return frozenset()
    if tp in (Val, Pure):
        return ref_fv(a.term)
    if tp is Let:
        return ref_fv(a.bound) | ref_fv(a.body)
    if tp is If:
        return ref_fv(a.cond) | ref_fv(a.then) | ref_fv(a.els)
    if tp in (Fork, Loop, Persistently, Inv):
        return ref_fv(a.body)
    if tp in (Sep, Wand, And, Or):
        return ref_fv(a.left) | ref_fv(a.right)
    if tp in (Exists, Forall):
        return ref_fv(a.body) - {a.var}
    if tp is BigSep:
        return ref_fv(a.coll) | (ref_fv(a.body) - set(a.vars))
    if tp is IsLock:
        return ref_fv(a.lock) | ref_fv(a.body)
    if tp is WP:
        return ref_fv(a.version) | ref_fv(a.expr) | (ref_fv(a.post) - {a.var})
    raise TypeError(a)


def _ref_under(var, body, s, taken=frozenset()):
    s2 = {k: v for k, v in s.items() if k != var}
    if not s2:
        return var, body, s2
    danger = frozenset().union(*map(ref_fv, s2.values()))
    if var in danger:
        new = fresh_name(var, danger | ref_fv(body) | set(s2) | taken)
        body = ref_subst(body, {var: Var(new)})
        var = new
    return var, body, s2


def ref_subst(a, s):
    if not s:
        return a
    tp = type(a)
    if tp is Var:
        return s.get(a.name, a)
    if tp in (Lit, EVar, Emp, AVar):
        return a
    if tp in (App, Call, Prim, Atom, PredApp):
        head = a.op if tp in (App, Prim) else a.func if tp is Call else \
            a.kind if tp is Atom else a.name
        return tp(head, tuple(ref_subst(x, s) for x in a.args))
    if tp in (Val, Pure):
        return tp(ref_subst(a.term, s))
    if tp is Let:
        return Let(a.name, ref_subst(a.bound, s), ref_subst(a.body, s))
    if tp is If:
        return If(ref_subst(a.cond, s), ref_subst(a.then, s), ref_subst(a.els, s))
    if tp in (Fork, Loop, Persistently):
        return tp(ref_subst(a.body, s))
    if tp is Inv:
        return Inv(a.name, ref_subst(a.body, s))
    if tp is IsLock:
        return IsLock(ref_subst(a.lock, s), ref_subst(a.body, s))
    if tp in (Sep, Wand, And, Or):
        return tp(ref_subst(a.left, s), ref_subst(a.right, s))
    if tp in (Exists, Forall):
        var, body, s2 = _ref_under(a.var, a.body, s)
        return tp(var, a.sort, ref_subst(body, s2))
    if tp is BigSep:
        body, s2, out = a.body, s, []
        for i, v in enumerate(a.vars):
            v, body, s2 = _ref_under(v, body, s2, frozenset(out) | frozenset(a.vars[i + 1:]))
            out.append(v)
        return BigSep(a.kind, tuple(out), ref_subst(a.coll, s), ref_subst(body, s2))
    if tp is WP:
        var, post, s2 = _ref_under(a.var, a.post, s)
        return WP(ref_subst(a.version, s), a.opened, ref_subst(a.expr, s), var,
                  ref_subst(post, s2))
    raise TypeError(a)


# ---- the properties --------------------------------------------------------------------------

substs = st.dictionaries(names, terms | names.map(Var), max_size=3)
programs = st.recursive(
    terms.map(Val) | names.map(EVar),
    lambda e: st.one_of(st.tuples(names, e, e).map(lambda p: Let(*p)),
                        st.tuples(e, e, e).map(lambda p: If(*p)),
                        st.lists(e, max_size=2).map(lambda xs: Prim("store", tuple(xs)))),
    max_leaves=5)


@settings(max_examples=400, deadline=None)
@given(assertions, substs)
def test_subst_agrees_with_the_reference(a, s):
    got, ref = subst(a, s), ref_subst(a, s)
    assert alpha_eq(got, ref) and db(got) == db(ref), (a, s, got, ref)
    assert fv(got) == ref_fv(got) == ref_fv(ref)
    if ref_fv(a).isdisjoint(s):
        assert got is a                     # untouched, not copied
    if all(v == Var(k) for k, v in s.items()):
        assert got is a and ref == a        # the identity is exactly the identity


@settings(max_examples=300, deadline=None)
@given(assertions, programs, names, terms)
def test_fv_agrees_with_the_reference_and_is_stable(a, e, x, t):
    w = WP(t, (), e, x, a)
    for node in (a, e, w, Sep(a, a), Persistently(w)):
        assert fv(node) == ref_fv(node)
        assert fv(node) == ref_fv(node)     # asked again: the cached answer, still right
    s = {x: t}
    assert db(subst(w, s)) == db(ref_subst(w, s))
    assert fv(subst(e, s)) == ref_fv(ref_subst(e, s))


def ref_subst_prog(e, s: dict):
    """Program substitution by the definition, field by field: a copy of every node, a let's
    body without the name it binds."""
    if type(e) is EVar:
        return s.get(e.name, e)
    if type(e) is Val:
        return e
    out = []
    for f in e._fields:
        v = getattr(e, f)
        if type(e) is Let and f == "body":
            v = ref_subst_prog(v, {k: t for k, t in s.items() if k != e.name})
        elif type(v) is tuple:
            v = tuple(ref_subst_prog(x, s) for x in v)
        elif not isinstance(v, str):
            v = ref_subst_prog(v, s)
        out.append(v)
    return type(e)(*out)


def ref_prog_vars(e) -> frozenset:
    tp = type(e)
    if tp is EVar:
        return frozenset((e.name,))
    if tp is Val:
        return frozenset()
    if tp is Let:
        return ref_prog_vars(e.bound) | (ref_prog_vars(e.body) - {e.name})
    kids = (e.cond, e.then, e.els) if tp is If else e.args if tp in (Call, Prim) else (e.body,)
    return frozenset().union(*map(ref_prog_vars, kids))


prog_substs = st.dictionaries(names, (terms.map(Val) | names.map(EVar)), max_size=3)
wide_programs = st.recursive(
    terms.map(Val) | names.map(EVar),
    lambda e: st.one_of(st.tuples(names, e, e).map(lambda p: Let(*p)),
                        st.tuples(e, e, e).map(lambda p: If(*p)),
                        st.tuples(names, st.lists(e, max_size=2)).map(
                            lambda p: Call(p[0], tuple(p[1]))),
                        st.lists(e, max_size=2).map(lambda xs: Prim("store", tuple(xs))),
                        e.map(Fork), e.map(Loop)),
    max_leaves=8)


@settings(max_examples=400, deadline=None)
@given(wide_programs, prog_substs)
def test_subst_prog_agrees_with_the_reference(e, s):
    """Program substitution (a let's continuation is substituted in by every pure step) skips
    what mentions none of the names; it must still equal the copying reference, shadowing by
    lets included, and its variables cache must stay right when asked again."""
    assert prog_vars(e) == ref_prog_vars(e) == prog_vars(e)
    got = subst_prog(e, s)
    assert got == ref_subst_prog(e, s), (e, s, got)
    assert prog_vars(got) == ref_prog_vars(got)
    if ref_prog_vars(e).isdisjoint(s):
        assert got is e


def test_subst_prog_shadowing_and_sharing():
    one, two = Val(Lit("int", 1)), Val(Lit("int", 2))
    body = Prim("add", (EVar("x"), EVar("y")))
    e = Let("x", EVar("x"), body)          # the bound x is free, the body's x is the let's
    got = subst_prog(e, {"x": one, "y": two})
    assert got == Let("x", one, Prim("add", (EVar("x"), two)))
    assert subst_prog(e, {"z": one}) is e
    inner = Let("y", one, body)
    assert subst_prog(inner, {"y": two}) == inner and subst_prog(inner, {"y": two}) is inner


def test_capture_is_avoided_and_shadowing_respected():
    body = Pure(App("eq", (Var("x"), Var("y"))))
    a = Forall("y", NAT, body)
    out = subst(a, {"x": Var("y")})                       # y must not be captured
    assert type(out) is Forall and out.var != "y" and fv(out) == {"y"}
    assert subst(Forall("x", NAT, body), {"x": Lit("int", 1)}) == Forall("x", NAT, body)
    # the fresh name avoids every free variable, also ones made by earlier renamings
    a = Forall("y", NAT, Pure(App("eq", (Var("x"), App("add", (Var("y"), Var("y1")))))))
    out = subst(a, {"x": Var("y")})
    assert out.var not in {"y", "y1"} and fv(out) == {"y", "y1"}
    big = BigSep("map", ("k", "v"), Var("m"), Pure(App("eq", (Var("k"), Var("z")))))
    out = subst(big, {"z": Var("k"), "m": Var("v")})
    assert len(set(out.vars)) == 2 and "k" not in out.vars and fv(out) == {"k", "v"}
    assert db(out) == db(ref_subst(big, {"z": Var("k"), "m": Var("v")}))


def test_a_node_shared_between_terms_keeps_its_own_free_variables():
    """fv is cached on the node, and nodes are shared freely: the cache is the node's, never
    its context's (a bound occurrence elsewhere does not make it bound here)."""
    p = Pure(App("eq", (Var("x"), Lit("int", 0))))
    bound = Forall("x", NAT, p)
    assert fv(bound) == frozenset() and fv(p) == {"x"}
    assert fv(Sep(p, bound)) == {"x"}
    assert subst(Sep(p, bound), {"x": Lit("int", 3)}) == \
        Sep(Pure(App("eq", (Lit("int", 3), Lit("int", 0)))), bound)


def test_names_cover_the_old_alpha_keys():
    assert "\x000" in NAMES             # the strategies include names that once collided


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["var", "goal", "pure", "spat", "drop", "replace"]),
                          names), max_size=12))
def test_a_sequents_names_are_never_stale(ops):
    from kernel.sequent import Seq
    from seplogic.record import replace
    seq = Seq()
    for op, x in ops:
        if op == "var":
            seq = seq.add_var(x, NAT)
        elif op == "goal":
            seq = seq.with_goal(Emp())
        elif op == "pure":
            seq = seq.add_pure(Lit("bool", True))
        elif op == "spat":
            seq = seq.add_spat(Emp())
        elif op == "drop":
            seq = seq.drop_spat([0])
        else:
            seq = replace(seq, vars=seq.vars[1:])
        got, env = seq.names(), seq.env()
        assert set(got) == {n for n, _ in seq.vars} and len(got) == len(set(got))
        assert frozenset(n for n, _ in seq.vars) <= got and not {"\x00not"} <= got
        with pytest.raises(AttributeError):         # a view: no way to add a name through it
            got.add("mutated")
        assert dict(env) == dict(seq.vars)
        with pytest.raises(TypeError):              # shared by sequents: nobody may change it
            env["mutated"] = NAT
        fresh = Seq(seq.vars, seq.pure, seq.pers, seq.spat, seq.goal)   # no scope kept
        assert set(got) == set(fresh.names()) and dict(env) == dict(fresh.env())


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 6), st.lists(st.integers(-8, 8), max_size=6))
def test_dropping_and_keeping_hypotheses_agree_with_their_definition(n, idxs):
    """drop_spat/only_spat slice instead of testing every index: the same hypotheses, in the
    same order, each at most once, for any indices (negative or past the end name none)."""
    from kernel.sequent import Seq
    spat = tuple(Pure(App("eq", (Var(f"x{i}"), Lit("int", i)))) for i in range(n))
    seq = Seq(spat=spat)
    assert seq.drop_spat(idxs).spat == tuple(h for i, h in enumerate(spat) if i not in idxs)
    assert seq.only_spat(idxs).spat == tuple(h for i, h in enumerate(spat) if i in idxs)


def test_a_copy_that_keeps_the_scope_cannot_change_the_variables():
    from kernel.sequent import Seq
    seq = Seq(vars=(("x", NAT),))
    seq.names()
    with pytest.raises(ValueError):
        seq._same_vars(vars=(("y", NAT),))
