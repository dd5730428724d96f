"""Class 18: the kernel's per-step shortcuts for linear scaling (docs/performance.md, session 8)
still reject what they must.

wp_axiom renames an axiom's result binders apart from the context, the parameters and each
other.  It once avoided the binders made before with a set of their *variables* (terms, not
names), so binders ``v`` and ``v1`` in a context holding ``v`` were both renamed to ``v1``: the
premise covered only equal results, and an axiom promising two different values proved
anything."""
import pytest

from kernel.core import Kernel, PrimAxiom
from kernel.wf import KernelError
from seplogic.syntax import NAT, VAL, App, Call, Emp, Forall, Lit, Pure, Var, WP

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
