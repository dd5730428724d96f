"""The replay's shortcuts (session 8), attacked: a sort's well-formedness mark, conversion's
pure questions asked in the sequent's own context outside binders (and with the binders' fresh
variables inside them), program substitution leaving alone what mentions none of its names,
and records' field-position `replace`.  Each must still reject what it rejected before."""
import pytest

from kernel import pure, sorts
from kernel.core import Kernel
from kernel.rules import RULES
from kernel.sequent import Seq
from kernel.wf import KernelError
from seplogic.record import replace
from seplogic.syntax import (
    INT, NAT, U64, App, BigSep, EVar, Exists, Forall, Let, Lit, Prim, Pure, Sort, Val, Var,
    WP, prog_vars, subst_prog,
)


def app(op, *args):
    return App(op, tuple(args))


def eq(a, b):
    return app("eq", a, b)


def step(k, s, rule, *args):
    return RULES[rule].apply(k, s, tuple(args), set(), set())


# ---- the sort mark --------------------------------------------------------------------------

def test_a_sort_found_well_formed_marks_only_itself():
    ok = Sort("list", (U64,))
    assert sorts._wf(ok) is ok and ok._ok
    for bad in (Sort("list", ()), Sort("list", (U64, U64)), Sort("?"), Sort("map", (U64,)),
                Sort("list", (Sort("?"),)), Sort("list", [U64]), Sort(3)):
        with pytest.raises(sorts.PureError):
            sorts._wf(bad)
        assert not getattr(bad, "_ok", False)
    twin = Sort("list", (U64,))          # equal, another object: checked on its own
    assert not getattr(twin, "_ok", False) and sorts._wf(twin) is twin


def test_an_ill_formed_sort_in_a_context_is_refused_after_a_good_one():
    k = Kernel()
    good = Seq(vars=(("x", Sort("list", (U64,))),))
    assert k.entails(good, eq(app("len", Var("x")), app("len", Var("x"))))
    for bad in (Sort("list", ()), Sort("?")):
        with pytest.raises(KernelError):
            k.entails(Seq(vars=(("x", bad),)), eq(Var("x"), Var("x")))


# ---- conversion's pure questions ------------------------------------------------------------

def test_conversion_outside_binders_uses_the_sequents_facts_and_only_them():
    k = Kernel()
    x, y = Var("x"), Var("y")
    s = Seq(vars=(("x", INT), ("y", INT)), pure=(eq(x, y),), goal=Pure(app("lt", x, Lit("int", 1))))
    (p,) = step(k, s, "convert", ("goal",), Pure(app("lt", y, Lit("int", 1))))    # x = y
    assert p.goal == Pure(app("lt", y, Lit("int", 1)))
    no_fact = replace(s, pure=())
    with pytest.raises(KernelError):
        step(k, no_fact, "convert", ("goal",), Pure(app("lt", y, Lit("int", 1))))
    with pytest.raises(KernelError):            # a name the sequent does not have
        step(k, s, "convert", ("goal",), Pure(app("lt", Var("z"), Lit("int", 1))))


def test_conversion_under_a_binder_knows_the_binders_sort():
    """Under ∀ w : nat, 0 ≤ w holds (so w + 0 = w, and 0 ≤ w = true); under ∀ w : int it is
    not proved from the sort: the binder's own sort, not a context variable's, is used."""
    k = Kernel()
    w = Var("w")
    zero = Lit("int", 0)
    for sort, ok in ((NAT, True), (INT, False)):
        # the context has a w of the other sort: the binder's must win
        other = INT if sort is NAT else NAT
        s = Seq(vars=(("w", other),), goal=Forall("w", sort, Pure(app("le", zero, w))))
        new = Forall("w", sort, Pure(Lit("bool", True)))
        if ok:
            (p,) = step(k, s, "convert", ("goal",), new)
            assert p.goal == new
        else:
            with pytest.raises(KernelError):
                step(k, s, "convert", ("goal",), new)


def test_conversion_of_a_big_sep_reads_the_collections_sort_from_the_context():
    k = Kernel()
    m = Var("m")
    body = Pure(app("le", Lit("int", 0), Var("k")))
    s = Seq(vars=(("m", Sort("map", (U64, INT))),), goal=BigSep("map", ("k", "v"), m, body))
    new = BigSep("map", ("k", "v"), m, Pure(Lit("bool", True)))      # keys are u64: 0 ≤ k
    (p,) = step(k, s, "convert", ("goal",), new)
    assert p.goal == new
    s_int = Seq(vars=(("m", Sort("map", (INT, INT))),), goal=BigSep("map", ("k", "v"), m, body))
    with pytest.raises(KernelError):
        step(k, s_int, "convert", ("goal",), BigSep("map", ("k", "v"), m, Pure(Lit("bool", True))))


# ---- program substitution --------------------------------------------------------------------

def test_a_pure_step_substitutes_the_let_bound_value_and_nothing_else():
    """let x = 1 in (x + y; let x = 2 in x): the first x becomes 1, the shadowed one stays,
    y (free, not substituted) stays, and a continuation without x is the same object."""
    one, two = Val(Lit("int", 1)), Val(Lit("int", 2))
    inner = Let("x", two, EVar("x"))
    body = Let("_", Prim("add", (EVar("x"), EVar("y"))), inner)
    got = subst_prog(body, {"x": one})
    assert got == Let("_", Prim("add", (one, EVar("y"))), inner) and got.body is inner
    assert prog_vars(body) == {"x", "y"} and prog_vars(inner) == frozenset()
    k = Kernel()
    post = Pure(Lit("bool", True))
    s = Seq(vars=(("y", INT),), goal=WP(Lit("int", 0), (), Let("x", one, body), "r", post))
    (p,) = step(k, s, "wp_pure")
    assert p.goal.expr == got


def test_replace_by_positions_is_the_field_replace():
    e = Exists("x", INT, Pure(Lit("bool", True)))
    assert replace(e, sort=NAT) == Exists("x", NAT, e.body)
    assert replace(e) == e and replace(e, var="y", body=e.body).var == "y"
    with pytest.raises(TypeError):
        replace(e, nope=1)
    with pytest.raises(TypeError):
        replace(e, _at=1)
    with pytest.raises(TypeError):
        replace(e, _hash=1)


def test_a_sequent_copy_changes_only_the_fields_it_names():
    """`Seq._same_vars` builds the copy by position: a name that is no field (a typo would
    otherwise keep a hypothesis a rule consumed) and vars (the kept scope would be stale) are
    refused."""
    s = Seq(vars=(("x", INT),), pure=(eq(Var("x"), Var("x")),), spat=(Pure(Lit("bool", True)),))
    t = s.drop_spat([0]).add_pure(app("lt", Var("x"), Lit("int", 1)))
    assert t.spat == () and t.pure == s.pure + (app("lt", Var("x"), Lit("int", 1)),)
    assert t.vars is s.vars and t.names() is s.names() and t.goal is s.goal
    for bad in ({"spats": ()}, {"vars": ()}, {"goal": None, "Goal": None}):
        with pytest.raises(ValueError):
            s._same_vars(**bad)


# ---- hand-edited spec witnesses ----------------------------------------------------------------

class _Liar(str):
    """A string equal to every string (hashed as its own text)."""
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


def _pick_kernel():
    """A spec whose operation takes any v below the state and makes it the state."""
    from seplogic.parser import parse_expr
    k = Kernel()
    k.define_spec("P", "σ", U64)
    k.define_spec_op("P", "Pick", (), parse_expr("let v := any() in assume(#(v < σ));; modify(#v)"))
    return k


def test_a_spec_witness_must_be_a_well_formed_in_scope_term_the_spec_accepts():
    from seplogic.parser import parse_assertion, parse_term
    from kernel.wf import KernelError
    k = _pick_kernel()
    s = Seq(vars=(("j", Sort("val")), ("x", U64)), pure=(parse_term("x < 5"),),
            spat=(parse_assertion("source[0](5)"), parse_assertion("j ⤇[0] Pick()")),
            goal=parse_assertion("WP[0] () {r. True}"))
    (p,) = step(k, s, "spec_step", "P", 0, 1, (Var("x"),))        # x < 5: the assume holds
    assert p.spat[0] == parse_assertion("source[0](x)")
    for bad in ((Lit("int", 7),),                 # the spec's assume fails: 7 < 5 is false
                (Var("y"),),                      # not in scope
                (Var(_Liar("x")),),               # a name that is no str
                (Lit(_Liar("int"), 3),),          # a literal kind that is no str
                (Lit("bool", True),),             # no u64 state (and the assume is ill-sorted)
                ((Var("x"),),),                   # no term at all
                (Var("x"), Var("x")),             # more witnesses than any() calls
                ()):                              # fewer
        with pytest.raises(KernelError):
            step(k, s, "spec_step", "P", 0, 1, bad)
