"""Class 4: spec tokens do not outlive the crash.

A crashed thread's ``j ⤇ op`` could still step after the spec's crash step (linearising an
operation in flight at the crash after it), and ``⤇ Crashing`` / ``⤇ Done`` survived crash
images, so a Done could be stashed to skip a later recovery's crash step and a stashed
Crashing made later recovery triples vacuous.  Now the source and the tokens carry an era, the
crash step starts the recovery's era, and Crashing/Done belong to one recovery."""
from tests.kernel_helpers import failed, proved, statuses
from tests.soundness.test_c01_premise_capture import SEL, refined

CTR = """
Spec Ctr (σ : u64).
Operation Ctr Incr := modify(#(σ + 1)).
Crash Ctr := ().
"""


def test_helping_before_the_crash_step_is_allowed():
    proved(CTR + """
Theorem help (n e : nat) (j : val) (s : u64) :
  ⌜s < 10⌝ -∗ {source[e](s) ∗ ⤇[n + 1] Crashing ∗ j ⤇[e] Incr()} () {_. source[n + 1](s + 1) ∗ ⤇ Done ∗ j ⤇[e] ret(())}[0].
Proof.
  intros n e j s "%H [Hs [Hc Hj]]".
  spec_step Ctr "Hs" "Hj". spec_crash Ctr "Hs" "Hc". wp_value. done.
Qed.
""", "help")


def test_a_crashed_token_cannot_step_after_the_crash_step():
    failed(CTR + """
Theorem late (n e : nat) (j : val) (s : u64) :
  ⌜s < 10⌝ -∗ ⌜e ≤ n⌝ -∗ {source[e](s) ∗ ⤇[n + 1] Crashing ∗ j ⤇[e] Incr()} () {_. source[n + 1](s + 1) ∗ ⤇ Done ∗ j ⤇[e] ret(())}[0].
Proof.
  intros n e j s "%H %He [Hs [Hc Hj]]".
  spec_crash Ctr "Hs" "Hc". spec_step Ctr "Hs" "Hj". wp_value. done.
Qed.
""", "late", "era")


def test_a_token_needs_to_know_its_era_is_the_sources():
    """Without the crash invariant's bound e ≤ n, the source's era may be a later one than
    the token's (the token may be of a crashed execution): no spec step."""
    bad = SEL.replace("source[e](σ) ∗ ⌜e ≤ n⌝.", "source[e](σ).")
    bad = bad.replace('"[%e [%σ [Hs %He]]]"', '"[%e [%σ Hs]]"')
    assert bad != SEL
    st, diags = statuses(bad)
    assert st["pick_ok"] == "failed" and "era" in diags and not refined(bad, "sel_refines")


CRASH = """
Theorem c (n : nat) : {lhs} ⇒[n] {rhs}.
Proof. done. Qed.
"""


def test_done_and_crashing_do_not_survive_a_crash():
    for lhs, rhs in (("⤇ Done", "⤇ Done"),
                     ("⤇[n] Crashing", "⤇[n + 1] Crashing"),
                     ("⤇[n + 1] Crashing", "⤇[n + 1] Crashing"),
                     ("⤇[n + 1] Crashing", "⤇[n + 2] Crashing")):
        failed(CRASH.format(lhs=lhs, rhs=rhs), "c")
    # the spec's state and threads do (durable), with their eras unchanged
    proved(CRASH.format(lhs="source[n](1) ∗ 1 ⤇[n] ret(2)",
                        rhs="source[n](1) ∗ 1 ⤇[n] ret(2)"), "c")
    failed(CRASH.format(lhs="source[n](1)", rhs="source[n + 1](1)"), "c")


def test_a_stashed_done_cannot_skip_a_crash_step():
    """A crash invariant holding ⤇ Done would let recovery skip its crash step."""
    text = SEL.replace("Predicate CI (γ : gname) (n : nat) := ∃ (e : nat) (σ : u64). source[e](σ) ∗ ⌜e ≤ n⌝.",
                       "Predicate CI (γ : gname) (n : nat) := ∃ (e : nat) (σ : u64). source[e](σ) ∗ ⌜e ≤ n⌝ "
                       "∗ (⤇ Done ∨ ⌜n = 0⌝).")
    assert "⤇ Done ∨" in text
    st, diags = statuses(text)
    assert st["crash_ok"] == "failed" and st["idem_ok"] == "failed", diags
    assert not refined(text, "sel_refines")


def test_a_stashed_crashing_cannot_make_recovery_vacuous():
    """Two ⤇ Crashing are contradictory, so a stashed one would prove any recovery."""
    proved("Theorem two (m k : nat) : ⤇[m] Crashing ∗ ⤇[k] Crashing -∗ False.\n"
           "Proof. intros m k \"[H1 H2]\". excl \"H1\" \"H2\". Qed.\n", "two")
    text = SEL.replace("Predicate CS (γ : gname) (n : nat) := emp.",
                       "Predicate CS (γ : gname) (n : nat) := ⤇[n] Crashing.")
    text = text.replace('''  intros γ n "[Hc [#Hinv _]]".
  wp_call.
  inv_open "Hinv" as "[%e [%σ [Hs %He]]]".
  spec_crash Sel "Hs" "Hc".
  wp_value.
  split_l "Hs". { exists (n + 1) (σ). done. }
  done.''', '''  intros γ n "[Hc [#Hinv Hc2]]".
  unfold CS in "Hc2".
  excl "Hc" "Hc2".''')
    assert "Hc2" in text
    st, diags = statuses(text)
    assert st["rec_ok"] == "proved" and st["crash_ok"] == "failed", diags
    assert st["idem_ok"] == "failed", diags
    assert not refined(text, "sel_refines")
