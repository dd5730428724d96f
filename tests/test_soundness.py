"""Negative tests: wrong derivations and wrong proofs the kernel must reject (issue #2 §8)."""
import os
import random

import pytest

from kernel.wf import KernelError
from seplogic.parser import parse_assertion
from tests.kernel_helpers import check_text, derivations

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SWAP = open(os.path.join(ROOT, "proofs", "heap", "swap.pv"), encoding="utf-8").read()
SWAP_DEFS = SWAP.split("Theorem")[0]


def rejected(text):
    """Check ``text`` and return the diagnostics (which must exist) of the failed theorem."""
    s = check_text(text)
    assert any(r.status == "failed" for r in s.results), [r.status for r in s.results]
    return "\n".join(d.render() for d in s.diagnostics)


def strip(d):
    """A derivation without tags, for easy editing."""
    rule, args, subs = d[:3]
    return (rule, args, tuple(strip(x) for x in subs))


def nodes(d, path=()):
    yield path, d
    for i, s in enumerate(d[2]):
        yield from nodes(s, path + (i,))


def replace_at(d, path, new):
    if not path:
        return new
    subs = list(d[2])
    subs[path[0]] = replace_at(subs[path[0]], path[1:], new)
    return (d[0], d[1], tuple(subs))


@pytest.fixture(scope="module")
def swap():
    k, ders = derivations(SWAP)
    stmt, d = ders["t.swap_spec"]
    k.theorems.pop("t.swap_spec")
    return k, stmt, strip(d)


def test_the_swap_derivation_is_accepted(swap):
    k, stmt, d = swap
    k.check(__import__("kernel.sequent", fromlist=["Seq"]).Seq(goal=stmt), d, set(), set())


def test_wrong_postcondition_is_rejected(swap):
    k, stmt, d = swap
    wrong = parse_assertion("∀ (n : nat) (l1 l2 : loc) (a b : val). "
                            "{l1 ↦[n] a ∗ l2 ↦[n] b} swap(#l1, #l2) {r. l1 ↦[n] a ∗ l2 ↦[n] b}[n]")
    with pytest.raises(KernelError):
        k.prove("swap_wrong", wrong, d)
    assert "swap_wrong" not in k.theorems


def test_derivation_edited_after_tactics_is_rejected(swap):
    """Change one argument of one node (an index, an instantiation, a rule name) at random
    places: every edited derivation is rejected, and no theorem is recorded."""
    k, stmt, d = swap
    rng = random.Random(7)
    all_nodes = list(nodes(d))
    edits = 0
    for path, node in rng.sample(all_nodes, min(40, len(all_nodes))):
        rule, args, subs = node
        if rule == "wp_axiom":
            name, inst = args
            new = (rule, ("heap_store" if name == "heap_load" else "heap_load", inst), subs)
        elif rule in ("sep_intro",):
            new = (rule, (tuple(i + 1 for i in args[0]) or (0,),), subs)
        elif rule == "assumption":
            new = (rule, (("s", args[0][1] + 1),), subs)
        elif rule == "forall_intro":
            new = (rule, ("n",) if args[0] != "n" else ("l1",), subs)
        else:
            new = ("clear", (("s", 0),), subs) if rule != "clear" else ("emp_intro", (), subs)
        edited = replace_at(d, path, new)
        with pytest.raises(KernelError):
            k.prove("swap_edited", stmt, edited)
        edits += 1
    assert edits >= 20 and "swap_edited" not in k.theorems


def test_truncated_or_malformed_derivations_are_rejected(swap):
    k, stmt, d = swap
    for bad in [(), ("wp_value",), ("no_such_rule", (), ()), (d[0], d[1], ()),
                (d[0], d[1], d[2] + d[2]), ("assumption", (("s", "0"),), ()), [d[0], d[1], d[2]],
                ("assumption", (), ()), ("sep_intro", ("x", "y"), ()), ("forall_intro", (None,), ()),
                ("wp_axiom", ("heap_load", ((1, 2, 3),)), ()), ("exists_intro", ([],), ())]:
        with pytest.raises(KernelError):
            k.prove("swap_bad", stmt, bad)


def test_duplicated_points_to():
    out = rejected(SWAP_DEFS + """
Theorem dup (n : nat) (l : loc) (v : val) :
  l ↦[n] v -∗ l ↦[n] v ∗ l ↦[n] v.
Proof. intros n l v "H". split_l "H". done. done. Qed.
""")
    # located at the second `done`, which has no hypothesis left to give
    line = SWAP_DEFS.count("\n") + 4
    assert f"t.pv:{line}:45: error: done: cannot close the goal" in out


def test_duplicated_points_to_kernel_level():
    from driver.load import make_kernel
    k = make_kernel()
    stmt = parse_assertion("∀ (n : nat) (l : loc) (v : val). l ↦[n] v -∗ l ↦[n] v ∗ l ↦[n] v")
    tail = ("sep_intro", ((0,),), (("assumption", (("s", 0),), ()),
                                   ("assumption", (("s", 0),), ())))
    d = ("forall_intro", ("n",), (("forall_intro", ("l",), (("forall_intro", ("v",), (
        ("wand_intro", (), (tail,)),)),)),))
    with pytest.raises(KernelError, match="no spatial hypothesis"):
        k.prove("dup", stmt, d)


def test_points_to_at_the_wrong_version():
    out = rejected(SWAP_DEFS + """
Theorem stale (n m : nat) (l : loc) (v : val) :
  {l ↦[m] v} !#l {r. True}[n].
Proof. intros n m l v "H". wp_step. done. Qed.
""")
    assert "precondition" in out


def test_framing_away_a_needed_resource():
    out = rejected(SWAP.replace('wp_call.\n', 'wp_call.\n  clear "H1".\n', 1))
    assert "heap_load" in out


def test_invariant_opened_twice_and_across_steps():
    base = """
Theorem twice (n : nat) (l : loc) :
  {inv(N, ∃ (v : val). l ↦[n] v)} atomic_load(#l) {r. True}[n].
Proof.
  intros n l "#Hi".
  inv_open "Hi" as "H1".
  inv_open "Hi" as "H2".
Abort.
"""
    out = rejected(base.replace("Abort.", "Qed."))
    assert "already open" in out
    out = rejected("""
Theorem across (n : nat) (l : loc) :
  {inv(N, ∃ (v : val). l ↦[n] v)} (atomic_load(#l);; atomic_load(#l)) {r. True}[n].
Proof.
  intros n l "#Hi".
  wp_bind.
Qed.
""".replace("wp_bind.", 'inv_open "Hi" as "H".\n  wp_step. wp_pures. wp_step.'))
    assert "precondition of heap_atomic_load" in out      # the step after the atomic one


def test_non_atomic_invariant_opening_is_rejected_by_the_kernel():
    from driver.load import make_kernel
    k = make_kernel()
    stmt = parse_assertion("∀ (n : nat) (l : loc). inv(N, emp) -∗ WP[n] (atomic_load(#l);; atomic_load(#l)) {r. True}")
    d = ("forall_intro", ("n",), (("forall_intro", ("l",), (("wand_intro", (), (
        ("hyp_pers", (0,), (("wp_inv_open", (0,), ()),)),)),)),))
    with pytest.raises(KernelError, match="atomic"):
        k.prove("across", stmt, d)


def test_release_without_the_lock_invariant():
    out = rejected("""
Theorem rel (n : nat) (lk c : loc) :
  {is_lock(lk, ∃ (v : val). c ↦[n] v) ∗ locked(lk)} release(#lk) {r. True}[n].
Proof.
  intros n lk c "[#Hlk Hl]".
  wp_step with "Hl".
  done.
Qed.
""")
    assert "cannot close the goal" in out and "c ↦[n]" in out   # R is missing


def test_wrong_postcondition_via_tactics():
    out = rejected(SWAP_DEFS + """
Theorem swap_bad (n : nat) (l1 l2 : loc) (a b : val) :
  {l1 ↦[n] a ∗ l2 ↦[n] b} swap(#l1, #l2) {r. l1 ↦[n] a ∗ l2 ↦[n] b}[n].
Proof.
  intros n l1 l2 a b "[H1 H2]".
  wp_call. wp_step. wp_pures. wp_step. wp_pures. wp_step. wp_pures. wp_step. wp_pures.
  frame.
Qed.
""")
    assert "the proof is not complete" in out


def test_counter_with_an_odd_increment_fails():
    src = open(os.path.join(ROOT, "proofs", "heap", "counter.pv"), encoding="utf-8").read()
    out = rejected(src.replace("c <- v + 2", "c <- v + 1"))
    assert "cannot close the goal" in out and "mod 2 = 0" in out


def test_random_edits_are_rejected_cleanly():
    """Random edits anywhere in the spin lock's derivations: the kernel either rejects them
    with a KernelError or (for edits that keep the proof valid, like renaming a fresh
    variable) accepts them -- it never fails with another exception."""
    text = open(os.path.join(ROOT, "proofs", "bench", "spin_lock.pv"), encoding="utf-8").read()
    k, ders = derivations(text)
    rng = random.Random(11)
    junk = [0, 1, 7, "s", "p", "x", ("s", 0), ("p", 1), (), None, "heap_load", ("goal",)]
    for name, (stmt, d) in ders.items():
        k.theorems.pop(name)
        d = strip(d)
        all_nodes = list(nodes(d))
        for _ in range(60):
            path, node = rng.choice(all_nodes)
            rule, args, subs = node
            if args and rng.random() < 0.7:
                i = rng.randrange(len(args))
                args = args[:i] + (rng.choice(junk),) + args[i + 1:]
            else:
                subs = subs[:-1] if subs and rng.random() < 0.5 else subs + subs[:1]
            try:
                k.prove(name + "_fuzz", stmt, replace_at(d, path, (rule, args, subs)))
                k.theorems.pop(name + "_fuzz")
            except KernelError:
                pass
        k.prove(name, stmt, d)


def test_definitions_cannot_redefine_built_in_operators():
    """A Definition named like the term a pure program step produces (u64_to_string) or like a
    built-in operator would change what the kernel's facts about it mean."""
    for name, sort, body in (("u64_to_string", "string", '"a"'), ("slice_len", "u64", "0"),
                             ("sublist", "u64", "0"), ("fs_name_ok", "bool", "true")):
        s = check_text(f"Definition {name} (x : u64) : {sort} := {body}.\n")
        assert any("built-in operator" in d.render() for d in s.diagnostics), name


def test_definitions_cannot_give_meaning_to_a_semantics_uninterpreted_function():
    """An axiom that leaves a function uninterpreted (here a test semantics whose disks start
    as opaque_block()) would change meaning if a Definition opaque_block := 5 were allowed."""
    from driver.load import make_kernel
    from seplogic.syntax import Lit, Sort
    from theories.axiom_dsl import axiom
    k = make_kernel()
    k.add_axiom(axiom("test_opaque", "n : nat, l : loc", "l ↦[n] opaque_block()", None, "",
                      "()", "l ↦[n] opaque_block()", source="a test semantics").parse())
    with pytest.raises(KernelError, match="opaque_block is used by the semantics' axioms"):
        k.define_pure("opaque_block", (), Sort("val"), Lit("int", 5))
    k.define_pure("my_block", (), Sort("val"), Lit("int", 5))


def test_no_term_symbol_may_be_a_built_in_operator():
    """A spec operation named ret would let a completed token j ⤇ ret(v) take another step;
    theorems and predicates are never applied in terms, so their names are free."""
    s = check_text("Spec S (σ : u64).\nOperation S ret (x : val) := 5.\n"
                   "Operation S len := #σ.\nPredicate some (x : u64) := emp.\n"
                   "Lemma add : emp -∗ emp.\nProof. intros \"_\". done. Qed.\n")
    d = "\n".join(x.render() for x in s.diagnostics)
    assert d.count("is a built-in operator") == 2, d
    assert {r.name: r.status for r in s.results} == {"add": "proved"}
