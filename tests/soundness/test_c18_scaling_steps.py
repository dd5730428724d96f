"""Class 18: the kernel's per-step shortcuts for linear scaling (docs/performance.md, session 8)
still reject what they must.

wp_axiom renames an axiom's result binders apart from the context, the parameters and each
other.  It once avoided the binders made before with a set of their *variables* (terms, not
names), so binders ``v`` and ``v1`` in a context holding ``v`` were both renamed to ``v1``: the
premise covered only equal results, and an axiom promising two different values proved
anything.

A sequent's variables are a dict made per new name (a copy of its parent's, which is one
memcpy), never one dict shared along a proof and extended: a premise's names stay its own."""
import pytest

from kernel.core import Kernel, PrimAxiom
from kernel.rules import RULES
from kernel.sequent import Seq
from kernel.wf import KernelError
from seplogic.syntax import NAT, VAL, App, Call, Emp, Exists, Forall, Lit, Pure, Sep, Var, WP

N, V = Var("n"), Var("v")
FALSE = Pure(Lit("bool", False))


def _kernel() -> Kernel:
    """∀n. {emp} pick2() {∀ v v1. RET v; ⌜v ≠ v1⌝}[n]: true of any terminating program
    (some other value always exists)."""
    k = Kernel()
    k.add_axiom(PrimAxiom(
        "pick2", (("n", NAT),), "n", Emp(), Call("pick2", ()), (("v", VAL), ("v1", VAL)),
        Var("v"), Pure(App("not", (App("eq", (Var("v"), Var("v1"))),))), False, "test"))
    return k


def _node(rule, args, *subs):
    return (rule, args, subs)


# ∀n v. WP[n] pick2() {r. False}: false, since pick2 returns.  Derivable only if the two
# binders are one variable: then the premise's fact is ⌜v1 ≠ v1⌝.
STATEMENT = Forall("n", NAT, Forall("v", VAL, WP(N, (), Call("pick2", ()), "r", FALSE)))
CONTRADICTION = _node("wand_intro", (), _node("hyp_pure", (("s", 0),), _node("pure_contra", ())))
DERIVATION = _node(
    "forall_intro", ("n",), _node("forall_intro", ("v",), _node(
        "wp_axiom", ("pick2", (("n", N),)), _node(
            "sep_intro", ((),), _node("emp_intro", ()),
            _node("forall_intro", ("v1",), _node("forall_intro", ("w",), CONTRADICTION))))))


def test_result_binders_are_renamed_apart_from_each_other():
    with pytest.raises(KernelError, match="False from the pure context"):
        _kernel().prove("bad", STATEMENT, DERIVATION)


def test_the_axiom_is_still_usable():
    """The same steps prove what the axiom does say: a result with a different value."""
    k = _kernel()
    ok = Forall("n", NAT, Forall("v", VAL, WP(N, (), Call("pick2", ()), "r", Emp())))
    k.prove("ok", ok, _node("forall_intro", ("n",), _node("forall_intro", ("v",), _node(
        "wp_axiom", ("pick2", (("n", N),)), _node(
            "sep_intro", ((),), _node("emp_intro", ()),
            _node("forall_intro", ("v1",), _node("forall_intro", ("w",), _node(
                "wand_intro", (), _node("wp_value", (), _node("emp_intro", ()))))))))))
    assert "ok" in k.theorems


# ---- a sequent's variables: a dict copied per new name, never one shared and changed --------

def test_a_name_one_premise_introduces_is_not_in_scope_in_another():
    """(∀x. emp) ∗ (∃y. emp): the first premise introduces x; the second may not use it (it
    would be a free variable no quantifier binds).  Checked depth first, the first premise's
    variable is made before the second premise is looked at."""
    k = Kernel()
    stmt = Sep(Forall("x", NAT, Emp()), Exists("y", NAT, Emp()))
    bad = _node("sep_intro", ((),), _node("forall_intro", ("x",), _node("emp_intro", ())),
                _node("exists_intro", (Var("x"),), _node("emp_intro", ())))
    with pytest.raises(KernelError, match=r"unknown variables \['x'\]"):
        k.prove("bad", stmt, bad)
    ok = _node("sep_intro", ((),), _node("forall_intro", ("x",), _node("emp_intro", ())),
               _node("exists_intro", (Lit("int", 0),), _node("emp_intro", ())))
    k.prove("ok", stmt, ok)


def test_a_name_is_in_scope_below_its_introduction_only():
    parent = Seq(vars=(("n", NAT),), goal=Forall("x", NAT, Forall("x", NAT, Emp())))
    (child,) = RULES["forall_intro"].apply(Kernel(), parent, ("x",), set(), set())
    assert "x" in child.names() and "x" in child.env() and "x" not in parent.names()
    assert "x" not in parent.env() and dict(parent.env()) == {"n": NAT}
    with pytest.raises(KernelError, match="not fresh"):      # ∀x under ∀x: x is taken now
        RULES["forall_intro"].apply(Kernel(), child, ("x",), set(), set())
    (other,) = RULES["forall_intro"].apply(Kernel(), parent, ("y",), set(), set())
    assert "x" not in other.names() and set(other.names()) == {"n", "y"}


@pytest.mark.parametrize("binders", [(("v", VAL), ("v", VAL)), (("n", VAL),)])
def test_an_axiom_whose_binders_repeat_or_shadow_a_parameter_is_refused(binders):
    """wp_axiom renames each binder on its own: two binders of one name (or a binder named like
    a parameter, which the post-condition could not tell apart) have no single meaning."""
    k = Kernel()
    with pytest.raises(KernelError, match="binders must be distinct"):
        k.add_axiom(PrimAxiom("dup", (("n", NAT),), "n", Emp(), Call("dup", ()), binders,
                              Var(binders[0][0]), Emp(), False, "test"))
