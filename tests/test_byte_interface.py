"""Byte-level interfaces in Theorem 2 (issue 10, point 1): a list-sorted argument is a slice the
caller lends for the call and gets back unchanged, a list-sorted result a new slice the caller
owns (kernel/crash.py, _value).  The code may not keep, change or alias an argument, nor return
a slice it keeps."""
import os

from driver.load import make_kernel
from kernel.crash import obligations
from seplogic.parser import parse_assertion, parse_expr, parse_term
from seplogic.syntax import Emp, Sort, alpha_eq
from tests.kernel_helpers import check_text, statuses

ECHO = open(os.path.join(os.path.dirname(__file__), "data", "echo.pv"), encoding="utf-8").read()


def refined(text):
    ref = check_text(text).kernel.refinements.get("t.b_refines")
    return ref is not None and not ref.admits


def test_a_copying_echo_refines():
    assert refined(ECHO)


def variant(code, steps):
    return ECHO.replace("Function echo (h s) := slice_append_slice(nil(), s).", code).replace(
        '''    wp_step as "[Hr Hx]".\n''', steps)


def test_returning_the_argument_itself_is_rejected():
    text = variant("Function echo (h s) := s.", "")
    st, diags = statuses(text)
    assert st["echo_ok"] == "failed" and not refined(text), diags


def test_changing_the_argument_is_rejected():
    text = variant("Function echo (h s) :=\n  let c := slice_append_slice(nil(), s) in "
                   "slice_set(s, 0, 0);; c.",
                   '''    wp_step as "[Hr Hx]". wp_pures. wp_step. wp_pures.\n''')
    st, diags = statuses(text)
    assert st["echo_ok"] == "failed" and not refined(text), diags
    assert "slice_set" in diags or "update(x, 0, 0)" in diags, diags


def test_keeping_the_argument_is_rejected():
    """A code that keeps the caller's slice (in an invariant of its own) cannot give it back."""
    text = ECHO.replace("Predicate AR (n : nat) (h : val) := emp.",
                        "Predicate Kept (n : nat) := ∃ (s : val) (xs : list val). "
                        "slice[n](s, xs).\n"
                        "Predicate AR (n : nat) (h : val) := inv(keepN, Kept(n)).")
    text = text.replace('''    wp_step as "[Hr Hx]".\n''', '''    wp_step as "[Hr Hx]".
    inv_ghost "Hkeep" as "Hold".
    wp_value.
    split_l "Hx". { unfold Kept. exists (x_s) (x). done. }
''').replace('"[Hj [#Hinv [_ Hx]]]"', '"[Hj [#Hinv [#Hkeep Hx]]]"')
    st, diags = statuses(text)
    assert st["echo_ok"] == "failed" and not refined(text), diags


def test_the_premise_is_built_by_the_kernel():
    """Golden form of the operation premise for a byte interface: the slice is a new binder
    (named apart from every other), lent in the pre- and the postcondition."""
    k = make_kernel()
    k.define_spec("B", "σ", Sort("u64"))
    L = Sort("list", (Sort("val"),))
    k.define_spec_op("B", "Cat", (("x", L), ("x_s", L), ("n", Sort("u64"))), parse_expr("#x"),
                     Sort("prod", (L, Sort("u64"))))
    k.define_spec_crash("B", parse_expr("()"))
    k.define_spec_init("B", (("N", Sort("u64")),), parse_term("0"))
    G = ("γ", Sort("gname"))
    for p in ("CI", "CS"):
        k.define_predicate(p, (G, ("n", Sort("nat"))), Emp())
    k.define_predicate("AR", (G, ("n", Sort("nat")), ("h", Sort("val"))), Emp())
    k.define_predicate("IS", (G,), Emp())
    impl = {"Cat": "f", "init": "i", "recover": "r"}
    (stmt,) = [s for name, _, s in obligations(k, "B", impl, "CI", "CS", "IS", "AR", "crashN",
                                               "twodisk_init") if name == "Cat"]
    want = parse_assertion(
        "∀ (g : gname) (a : nat) (b c : val) (x x2 : list val) (m : u64) (s t : val). "
        "{a ⤇[a] Cat(x, x2, m) ∗ inv(crashN, CI(g, a)) ∗ AR(g, a, b) ∗ slice[a](s, x) ∗ "
        " slice[a](t, x2)} f(#b, #s, #t, #m) "
        "{v. (∃ (r : list val * u64). c ⤇[a] ret(r) ∗ ∃ g1 g2. ⌜v = (g1, g2)⌝ ∗ "
        " slice[a](g1, fst(r)) ∗ ⌜g2 = snd(r)⌝) ∗ slice[a](s, x) ∗ slice[a](t, x2)}[a]"
        .replace("{a ⤇", "{c ⤇"))
    assert alpha_eq(stmt, want), stmt
