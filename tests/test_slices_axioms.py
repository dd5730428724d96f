"""The slice axioms beyond get/set/append (theories/slices.py): what they let proofs show, what
they refuse, and that the interpreter (tested against Go by the semantics corpus) agrees."""
import random

from tests.kernel_helpers import statuses
from tests.test_interp_go import ev
from theories.interp import _elements

PROOFS = """
Theorem len_ok (n : nat) (s : val) (vs : list val) :
  {slice[n](s, vs)} slice_len(#s) {r. ⌜r = len(vs)⌝ ∗ slice[n](s, vs)}[n].
Proof.
  intros n s vs "Hs". use_axiom slice_len_eq with "Hs" as "[Hs %H]". wp_pures. frame.
Qed.

Theorem app_ok (n : nat) (s t : val) (vs ws : list val) :
  {slice[n](s, vs) ∗ slice_ro[n](t, ws) ∗ ⌜len(vs) + len(ws) ≤ 4096⌝} slice_append_slice(#s, #t)
  {r. slice[n](r, vs ++ ws)}[n].
Proof.
  intros n s t vs ws "[Hs [#Ht %Hb]]". wp_step r as "Hr". wp_value. frame.
Qed.

Theorem app_unbounded (n : nat) (s t : val) (vs ws : list val) :
  {slice[n](s, vs) ∗ slice_ro[n](t, ws)} slice_append_slice(#s, #t) {r. True}[n].
Proof.
  intros n s t vs ws "[Hs #Ht]". wp_step r as "Hr". done.
Qed.

Theorem sub_ok (n : nat) (s : val) (vs : list val) :
  {slice_ro[n](s, vs) ∗ ⌜len(vs) = 10⌝} slice_sub(#s, 2, 5)
  {r. slice_ro[n](r, sublist(vs, 2, 3)) ∗ ⌜len(sublist(vs, 2, 3)) = 3⌝}[n].
Proof.
  intros n s vs "[#Hs %H]". wp_step r as "Hr". frame. done.
Qed.

Theorem sub_too_far (n : nat) (s : val) (vs : list val) :
  {slice_ro[n](s, vs) ∗ ⌜len(vs) = 4⌝} slice_sub(#s, 2, 5) {r. True}[n].
Proof.
  intros n s vs "[#Hs %H]". wp_step r as "Hr". done.
Qed.

Theorem app_ro_first (n : nat) (s t : val) (vs ws : list val) :
  {slice_ro[n](s, vs) ∗ slice_ro[n](t, ws)} slice_append_slice(#s, #t) {r. True}[n].
Proof.
  intros n s t vs ws "[#Hs #Ht]". wp_step r as "Hr". done.
Qed.

Theorem nil_app (n : nat) (v : val) :
  {emp} slice_append(nil(), #v) {r. slice[n](r, [v])}[n].
Proof.
  intros n v "_". use_axiom slice_nil (n := n) as "Hn". wp_step r as "Hr". wp_value. frame.
Qed.
"""


def test_what_the_slice_axioms_prove_and_refuse():
    st, diags = statuses(PROOFS)
    assert st == {"len_ok": "proved", "app_ok": "proved", "sub_ok": "proved",
                  "nil_app": "proved", "sub_too_far": "failed", "app_ro_first": "failed",
                  "app_unbounded": "failed"}, diags


def _build(xs, cap):
    """A pv expression making a slice of capacity cap holding xs."""
    e = f"slice_make(0, 0, {cap})"
    for x in xs:
        e = f"slice_append({e}, {x})"
    return e


def test_interpreter_agrees_with_the_axioms():
    rnd = random.Random(5)
    for _ in range(60):
        vs = [rnd.randrange(100) for _ in range(rnd.randrange(6))]
        ws = [rnd.randrange(100) for _ in range(rnd.randrange(4))]
        cap = len(vs) + rnd.randrange(4)       # with and without spare capacity
        lo = rnd.randrange(len(vs) + 1)
        hi = rnd.randrange(lo, len(vs) + 1)
        m, r = ev(f"let s := {_build(vs, cap)} in let t := {_build(ws, len(ws))} in "
                  f"let u := slice_sub(s, {lo}, {hi}) in let a := slice_append_slice(s, t) in "
                  f"(slice_len(s), (u, (a, (t, slice_len(nil())))))")
        n, (u, (a, (t, nil_len))) = r
        assert n == len(vs) and nil_len == 0                            # slice_len_eq, nil
        assert list(_elements(m, u)) == vs[lo:hi]                       # slice_sub_ro
        assert list(_elements(m, a)) == vs + ws and list(_elements(m, t)) == ws  # append_slice
    _, r = ev("slice_len(slice_append(nil(), 7))")
    assert r == 1                                                       # slice_nil + append
