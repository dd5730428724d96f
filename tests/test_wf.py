"""The kernel's shape checks (kernel/wf.py): exactly the syntax classes, with fields of the
right types and built-in names at their arity.  Tactics are untrusted and Python cannot hide
constructors, so a forged node must be refused before the kernel compares anything."""
import pytest

from kernel.wf import KernelError, assertion_ok, expr_ok, need_assertion, sort_ok, term_ok
from seplogic.parser import parse_assertion as A, parse_expr as E, parse_term as T
from seplogic.syntax import (
    App, Atom, BigSep, Call, Exists, Let, Lit, Prim, Pure, Sort, Val, Var, WP,
)


class ForgedPure(Pure):
    """Equal to everything: if the kernel accepted it, `assumption` would close any goal."""
    __slots__ = ()

    def __eq__(self, other):
        return True

    __hash__ = Pure.__hash__


class ForgedVar(Var):
    __slots__ = ()


X = Var("x")


def test_well_formed_syntax_is_accepted():
    for a in ("l ↦[n] v ∗ ⌜x = 1⌝", "∀ (k : u64). [∗ map] i ↦ w ∈ m. ⌜i = w⌝",
              "WP[n] @ ⊤∖{A, B} !#l {r. ⌜r = 1⌝}", "inv(N, emp) ∗ is_lock(l, tok(g))",
              "master[n](0[a], v) ∗ lease[n](dir(d), S) ∗ j ⤇[n] Write(a, v)"):
        assert assertion_ok(A(a)), a
    assert expr_ok(E("let x := !#l in if #b then f(1) else fork { #l <- 2 }"))
    assert term_ok(T("insert(m, 1, [1, 2]) = m")) and sort_ok(Sort("map", (Sort("u64"), Sort("val"))))


@pytest.mark.parametrize("term", [
    Var(""), Var(5), ForgedVar("x"), Lit("int", True), Lit("float", 1.0), Lit("int", "1"),
    App(None, ()), App("add", (X,)), App("eq", [X, X]), App("f", (1,)),
])
def test_malformed_terms_are_refused(term):
    assert not term_ok(term)


@pytest.mark.parametrize("expr", [
    Prim("no_such_primitive", ()), Prim("load", ()), Prim("load", [Val(X)]),
    Let("", Val(X), Val(X)), Call("f", [Val(X)]), Call("", ()), Val(ForgedVar("x")),
])
def test_malformed_programs_are_refused(expr):
    assert not expr_ok(expr)


@pytest.mark.parametrize("a", [
    ForgedPure(T("true")), Pure(ForgedVar("b")),
    Atom("no_such_atom", (X,)), Atom("pointsto", (X, X)), Atom("tok", [X]),
    BigSep("bag", ("x",), X, Pure(T("true"))), BigSep("map", ("x",), X, Pure(T("true"))),
    BigSep("map", ("x", "x"), X, Pure(T("true"))),
    Exists("x", "u64", Pure(T("true"))), Exists("", Sort("u64"), Pure(T("true"))),
    WP(T("n"), ("B", "A"), E("1"), "r", Pure(T("true"))),     # mask not sorted
    WP(T("n"), ("A", "A"), E("1"), "r", Pure(T("true"))),     # mask with a repeat
])
def test_malformed_assertions_are_refused(a):
    assert not assertion_ok(a)
    with pytest.raises(KernelError):
        need_assertion(a)


def test_a_forged_node_cannot_close_a_goal():
    """`assumption` compares the hypothesis with the goal; the forged one claims equality with
    everything, so the kernel must refuse it when it enters (here through `cut`)."""
    from kernel.core import Kernel
    from kernel.rules import RULES
    from kernel.sequent import Seq
    k = Kernel()
    seq = Seq(goal=A("False"))
    with pytest.raises(KernelError):
        RULES["cut"].apply(k, seq, (ForgedPure(T("true")), ()), set(), set())


class MarkedVar(Var):
    """A subclass that claims to have been checked already (kernel/wf.py's mark)."""
    __slots__ = ()
    _wf = True


def test_the_well_formed_mark_is_only_earned():
    """A node that passed the check is marked so that it is not walked again; the mark must
    never let a malformed node through: a failed node stays unmarked and refused, a marked
    child does not vouch for a malformed parent, a subclass claiming the mark is still not
    one of the syntax classes, and a copy or a decoded certificate starts unmarked."""
    import copy
    import pickle
    from seplogic import serial
    bad = Lit("int", True)
    for _ in range(2):
        assert not term_ok(bad)
    assert not hasattr(bad, "_wf")
    good = App("add", (X, Lit("int", 1)))
    assert term_ok(good) and good._wf is True and X._wf is True
    assert not term_ok(App("add", (good,)))                  # wrong arity around a good child
    assert not term_ok(App("add", (good, bad)))              # a bad sibling
    assert not term_ok(MarkedVar("x")) and not term_ok(App("add", (MarkedVar("x"), X)))
    assert not assertion_ok(Pure(MarkedVar("b")))
    assert not expr_ok(good)                                 # marked as a term, not a program
    for twin in (copy.copy(good), copy.deepcopy(good), pickle.loads(pickle.dumps(good)),
                 serial.decode(serial.encode(good))):
        assert twin == good and not hasattr(twin, "_wf")
