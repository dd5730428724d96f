"""Class 1: the statements Theorem 2 requires are built capture-free.

The operation premise once renamed an operation's parameters away from the fixed binders
(n, h, j, v) with a set of taken names that was never updated, so parameters named n and n1
were both renamed to n1: the premise covered only calls with equal arguments, and code that
returned the wrong argument got a refinement."""
import os

from hypothesis import given, settings, strategies as st

from driver.load import make_kernel
from kernel.crash import obligations
from seplogic.parser import parse_expr, parse_term
from seplogic.syntax import (
    App, Atom, Call, Emp, Forall, Inv, Persistently, PredApp, Sep, Sort, Val, Var, Wand, WP,
    alpha_eq, fresh_name,
)
from tests.kernel_helpers import check_text, statuses

SEL = open(os.path.join(os.path.dirname(__file__), "data", "sel.pv"), encoding="utf-8").read()
NAT, VAL = Sort("nat"), Sort("val")


def test_wrong_argument_returned_is_no_refinement():
    """Pick(n, n1) returns its first argument; code returning the second proves the triple
    only for equal arguments, which Theorem 2 must not accept as the premise."""
    bad = SEL.replace("Function pick (h x y) := x.", "Function pick (h x y) := y.")
    bad = bad.replace("(n1 n2 : u64) :\n  {j ⤇[n] Pick(n1, n2) ∗ inv(crashN, CI(γ, n)) ∗ "
                      "AR(γ, n, h)} pick(#h, #n1, #n2)",
                      ":\n  ∀ (n1 : u64). ∀ (n1 : u64).\n"
                      "  {j ⤇[n] Pick(n1, n1) ∗ inv(crashN, CI(γ, n)) ∗ AR(γ, n, h)} "
                      "pick(#h, #n1, #n1)")
    st_, diags = statuses(bad)
    assert st_["pick_ok"] == "proved", diags          # true, but only of equal arguments
    assert not refined(bad, "sel_refines")
    assert "does not state what Theorem 2 needs" in diags, diags
    # with the statement Theorem 2 requires, the wrong code has no proof
    wrong = SEL.replace("Function pick (h x y) := x.", "Function pick (h x y) := y.")
    assert statuses(wrong)[0]["pick_ok"] == "failed" and not refined(wrong, "sel_refines")
    assert refined(SEL, "sel_refines")


def refined(text, name) -> bool:
    """The refinement was recorded and rests on nothing admitted (a failed premise counts
    as admitted)."""
    ref = check_text(text).kernel.refinements.get("t." + name)   # keyed by module
    return ref is not None and not ref.admits


# ---- property: the premises equal an independent construction -------------------------------

# names that collide with the fixed binders, with each other's fresh variants, and with the
# names fresh_name would invent
NAMES = ["n", "h", "j", "v", "n1", "n2", "h1", "j1", "v1", "x", "x1", "σ1", "e"]
SORTS = [Sort("u64"), Sort("val"), Sort("bool"), Sort("nat")]


def reference_premise(op, params, func, inv_name):
    """The operation premise built with binder names from an alphabet no parameter uses."""
    names = [f"ρ{i}" for i in range(len(params) + 5)]
    g, n, h, j, v = (Var(x) for x in names[:5])
    xs = [Var(x) for x in names[5:]]
    pre = Sep(Atom("spec", (n, j, App(op, tuple(xs)))),
              Sep(Inv(inv_name, PredApp("CI", (g, n))), PredApp("AR", (g, n, h))))
    body = Persistently(Wand(pre, WP(n, (), Call(func, tuple(Val(a) for a in [h] + xs)),
                                     v.name, Atom("spec", (n, j, App("ret", (v,)))))))
    binders = [(g.name, Sort("gname")), (n.name, NAT), (h.name, VAL), (j.name, VAL)] + \
        [(x.name, s) for x, (_, s) in zip(xs, params)]
    for x, s in reversed(binders):
        body = Forall(x, s, body)
    return body


def _kernel(sigs):
    k = make_kernel()
    k.define_spec("S", "σ", Sort("u64"))
    for i, params in enumerate(sigs):
        k.define_spec_op("S", f"Op{i}", tuple(params), parse_expr("()"))
    k.define_spec_crash("S", parse_expr("()"))
    k.define_spec_init("S", (("N", Sort("u64")),), parse_term("0"))
    for p in ("CI", "CS"):
        k.define_predicate(p, (("γ", Sort("gname")), ("n", NAT)), Emp())
    k.define_predicate("AR", (("γ", Sort("gname")), ("n", NAT), ("h", VAL)), Emp())
    return k


signature = st.lists(st.sampled_from(NAMES), max_size=5, unique=True).flatmap(
    lambda names: st.tuples(*[st.tuples(st.just(x), st.sampled_from(SORTS)) for x in names]))


@settings(max_examples=150, deadline=None)
@given(st.lists(signature, min_size=1, max_size=3))
def test_operation_premises_are_capture_free(sigs):
    k = _kernel(sigs)
    impl = {f"Op{i}": f"f{i}" for i in range(len(sigs))}
    impl.update(init="fi", recover="fr")
    got = {name: stmt for name, kind, stmt in
           obligations(k, "S", impl, "CI", "CS", "IS", "AR", "crashN", "twodisk_init")}
    for i, params in enumerate(sigs):
        stmt = got[f"Op{i}"]
        assert alpha_eq(stmt, reference_premise(f"Op{i}", params, f"f{i}", "crashN")), stmt
        # and the ∀-prefix binds pairwise different names
        names, body = [], stmt
        while type(body) is Forall:
            names.append(body.var)
            body = body.body
        assert len(set(names)) == len(names) == 4 + len(params)


def test_fresh_variants_do_not_merge():
    """The audit's shape exactly: parameters n and n1 (and n2, a fresh variant of both)."""
    sigs = [(("n", Sort("u64")), ("n1", Sort("u64")), ("n2", Sort("u64")))]
    test_operation_premises_are_capture_free.hypothesis.inner_test(sigs)
    assert fresh_name("n1", {"n", "n1"}) != "n1"


LIST = Sort("list", (VAL,))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(NAMES + ["x_s", "n_s", "x_s1", "g", "g1", "r", "γ", "_"]),
                max_size=5, unique=True).flatmap(
    lambda names: st.tuples(*[st.tuples(st.just(x), st.sampled_from(SORTS + [LIST]))
                              for x in names])), st.sampled_from([VAL, LIST,
                                                                  Sort("prod", (LIST, LIST))]))
def test_byte_interface_premises_bind_every_name_once(params, result):
    """With lent slices (a binder per list parameter) and result values (binders inside the
    postcondition), every binder of every premise is new: the statement is closed and no two
    binders along a path share a name."""
    from seplogic.syntax import fv
    k = _kernel([params])
    k.specs["S"].results["Op0"] = result
    impl = {"Op0": "f0", "init": "fi", "recover": "fr"}
    for name, kind, stmt in obligations(k, "S", impl, "CI", "CS", "IS", "AR", "crashN",
                                        "twodisk_init"):
        parts = [stmt] if kind == "triple" else [stmt.lhs, stmt.rhs]
        if kind != "triple":
            names = [x for x, _ in stmt.params]
            assert len(set(names)) == len(names), (name, names)
            assert all(fv(p) <= set(names) for p in parts), name
            continue
        assert not fv(stmt), (name, fv(stmt))
        _binders_distinct(stmt, ())


def _binders_distinct(a, path):
    """No binder reuses a name bound above it on the same path (no shadowing at all)."""
    from seplogic.record import fields as record_fields, is_record
    from seplogic.syntax import BigSep, Exists, Forall, WP as _WP
    here = ()
    if type(a) in (Forall, Exists):
        here = (a.var,)
    elif type(a) is BigSep:
        here = tuple(a.vars)
    elif type(a) is _WP:
        here = (a.var,)
    assert not set(here) & set(path), (here, path)
    path = path + here
    if is_record(a):
        for f in record_fields(a):
            v = getattr(a, f)
            for y in (v if type(v) is tuple else (v,)):
                if is_record(y):
                    _binders_distinct(y, path)
