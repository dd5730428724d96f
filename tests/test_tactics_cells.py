"""The general tactics the shadow copy's proof is written with (none names a case study): the
``**`` pattern, ``agree`` without names, disk steps that agree a master with its lease and find
cells by keys the pure facts make equal, ``inv_close`` by framing, spec steps that find the
source, the token and the era, ``ghost_update`` without names, ``wp_apply`` through a predicate
that names another, and framing that proves a disjunction under an existential."""
from tests.kernel_helpers import statuses


def test_the_star_star_pattern_takes_a_hypothesis_apart_and_splits_disjunctions():
    st, d = statuses("""
Theorem t : (∃ (x : u64). ⌜x < 3⌝ ∗ (⌜x = 1⌝ ∨ ⌜x = 2⌝)) -∗ ∃ (y : u64). ⌜0 < y⌝.
Proof. intros "**". exists (x). done. exists (x). done. Qed.
""")
    assert st["t"] == "proved", d


def test_agree_without_names_uses_keys_the_facts_make_equal():
    st, d = statuses("""
Theorem t (n : nat) (p q : u64) (v w : list val) :
  ⌜p = q⌝ -∗ dmaster[n](1 +64 p, v) -∗ dlease[n](1 +64 q, w) -∗ ⌜v = w⌝.
Proof. intros n p q v w "%E M L". agree. done. Qed.

Theorem u (n : nat) (p q : u64) (v w : list val) :
  dmaster[n](1 +64 p, v) -∗ dlease[n](1 +64 q, w) -∗ ⌜v = w⌝.
Proof. intros n p q v w "M L". agree. done. Qed.
""")
    assert st["t"] == "proved", d
    assert st["u"] == "failed"          # two cells, as far as anything says


def test_a_ghost_cells_agreement_shows_which_block_a_disk_step_is_about():
    """The read's address is written with q, the block's master with p and its lease with r:
    the ghost cell says q = p = r; wp_step agrees the ghost cell, finds the block and agrees its
    master with its lease (a read needs both with one value)."""
    st, d = statuses("""
Theorem t (n : nat) (γ : gname) (N p q r : u64) (v w : list val) :
  {disk_blocks(N) ∗ ⌜1 +64 q < N ∧ p = q⌝ ∗ gmaster[n]((γ, 0), p) ∗ glease[n]((γ, 0), r) ∗
   dmaster[n](1 +64 p, v) ∗ dlease[n](1 +64 r, w)}
  read(#(1 +64 q))
  {s. slice[n](s, w)}[n].
Proof. intros n γ N p q r v w "[#Hd [%E **]]". wp_step. done. Qed.
""")
    assert st["t"] == "proved", d


def test_inv_close_frames_the_invariant_back():
    st, d = statuses("""
Theorem t (n : nat) (w : list val) :
  {inv(crashN, ∃ (v : list val). dmaster[n](0, v)) ∗ dlease[n](0, w) ∗ disk_blocks(1)}
  read(0)
  {s. slice[n](s, w) ∗ dlease[n](0, w)}[n].
Proof. intros n w "[#I [L #D]]". inv_open "I" as "**". wp_step. inv_close. Qed.

Theorem u (n : nat) (w : list val) :
  {inv(crashN, ∃ (v : list val). dmaster[n](0, v) ∗ ⌜v = w⌝) ∗ dlease[n](0, w) ∗ disk_blocks(1)}
  write(0, nil())
  {_. True}[n].
Proof. intros n w "[#I [L #D]]". inv_open "I" as "**". inv_close. done. Qed.
""")
    assert st["t"] == "proved", d
    # before the write, the invariant is open around it: nothing to close yet
    assert st["u"] == "failed" and "inv_close: the goal is not" in d


def test_spec_step_finds_the_source_the_token_and_the_era():
    st, d = statuses("""
Spec C (σ : u64).
Operation C Inc := modify(#(σ + 1)).
Crash C := ().
Theorem t (n e : nat) (j : val) (σ : u64) :
  {j ⤇[n] Inc() ∗ source[e](σ) ∗ ⌜e ≤ n ∧ σ < 10⌝} () {_. j ⤇[n] ret(()) ∗ source[e](σ + 1)}[n].
Proof. intros n e j σ "[Hj [Hs %He]]". spec_step C. done. Qed.

Theorem u (n e : nat) (j : val) (σ : u64) :
  {j ⤇[n] Inc() ∗ source[e](σ) ∗ ⌜σ < 10⌝} () {_. j ⤇[n] ret(()) ∗ source[e](σ + 1)}[n].
Proof. intros n e j σ "[Hj [Hs %Hσ]]". spec_step C. done. Qed.
""")
    assert st["t"] == "proved", d
    # without e ≤ n the era is not the token's: the token may be of a crashed execution
    assert st["u"] == "failed" and "of the source's era" in d


def test_ghost_update_without_names():
    st, d = statuses("""
Theorem t (n : nat) (γ : gname) :
  {gmaster[n]((γ, 0), 1) ∗ glease[n]((γ, 0), 1)} ()
  {_. gmaster[n]((γ, 0), 2) ∗ glease[n]((γ, 0), 2)}[n].
Proof. intros n γ "[M L]". ghost_update (2). done. Qed.
""")
    assert st["t"] == "proved", d


def test_wp_apply_sees_through_a_predicate_that_names_another():
    st, d = statuses("""
Predicate Q (g : gname) := tok(g).
Predicate P (g : gname) := Q(g).
Function f () := ().
Lemma f_spec (g : gname) (n : nat) : {Q(g)} f() {_. Q(g)}[n].
Proof. intros g n "H". wp_call. done. Qed.
Theorem t (g : gname) (n : nat) : {P(g)} f() {_. tok(g)}[n].
Proof. intros g n "H". wp_apply f_spec with "H". done. Qed.
""")
    assert st["t"] == "proved", d


def test_done_proves_a_disjunction_under_an_existential():
    st, d = statuses("""
Theorem t (g : gname) (x : u64) : ⌜x = 3⌝ -∗ tok(g) -∗ ∃ (h : gname). tok(h) ∗ (⌜x < 2⌝ ∨ ⌜x = 3⌝).
Proof. intros g x "%E H". done. Qed.
""")
    assert st["t"] == "proved", d
