"""Tactics as a user meets them: what they do, and the errors they give."""
from tests.kernel_helpers import statuses

LEMMA = """
Lemma two_toks (g h : gname) : tok(g) ∗ tok(h) -∗ tok(h) ∗ tok(g).
Proof. intros g h "[A B]". frame. Qed.
"""


def run(body):
    return statuses(LEMMA + body)


def test_apply_instantiates_by_matching():
    st, d = run("""
Theorem t (x y : gname) : tok(x) ∗ tok(y) -∗ tok(y) ∗ tok(x).
Proof. intros x y "[H1 H2]". apply two_toks with "H1 H2". Qed.
""")
    assert st["t"] == "proved", d


def test_apply_says_when_the_conclusion_is_not_the_goal():
    st, d = run("""
Theorem t (x : gname) : tok(x) -∗ locked(x).
Proof. intros x "H". apply two_toks with "H". Qed.
""")
    assert st["t"] == "failed" and "conclusion of t.two_toks is not the goal" in d


def test_specialize_a_theorem_and_destruct_the_result():
    st, d = run("""
Theorem t (x y : gname) : tok(x) ∗ tok(y) -∗ tok(x).
Proof. intros x y "[H1 H2]". specialize two_toks (x) (y) with "H1 H2" as "[A B]". done. Qed.
""")
    assert st["t"] == "proved", d


def test_cases_and_rewrite():
    st, d = run("""
Theorem t (x y : u64) : ⌜x = y⌝ -∗ ⌜y < 10⌝ -∗ ⌜x < 10 || 10 ≤ x⌝.
Proof. intros x y "%E %H". cases (x < 10) as "%C". done. done. Qed.

Theorem r (x y : u64) (l : loc) (n : nat) : ⌜x = y⌝ -∗ l ↦[n] y -∗ l ↦[n] x.
Proof. intros x y l n "%E H". rewrite "E". done. Qed.
""")
    assert st["t"] == "proved" and st["r"] == "proved", d


def test_bigsep_merge_needs_spatial_big_seps():
    st, d = run("""
Theorem t (N : u64) :
  ([∗ set] a ∈ range(0, N). tok(a)) -∗ ([∗ set] a ∈ range(0, N). locked(a)) -∗
  [∗ set] a ∈ range(0, N). tok(a) ∗ locked(a).
Proof. intros N "A B". bigsep_merge "A" "B" as "C". done. Qed.

Theorem u (N : u64) : ([∗ set] a ∈ range(0, N). tok(a)) -∗ emp.
Proof. intros N "A". bigsep_merge "A" "Nope" as "C". done. Qed.
""")
    assert st["t"] == "proved", d
    assert st["u"] == "failed" and "no hypothesis named Nope" in d


def test_bigsep_range_is_derived_from_split_and_set_equality():
    st, d = run("""
Theorem front (N : u64) : ⌜0 < N⌝ -∗ ([∗ set] i ∈ range(0, N). tok(i)) -∗
  tok(0) ∗ [∗ set] i ∈ range(1, N). tok(i).
Proof. intros N "%H A". bigsep_range front in "A". done. Qed.

Theorem back (M : u64) : ⌜M < 100⌝ -∗ ([∗ set] i ∈ range(0, M + 1). tok(i)) -∗
  tok(M) ∗ [∗ set] i ∈ range(0, M). tok(i).
Proof. intros M "%H A". bigsep_range back (M) in "A". done. Qed.

Theorem goal_side (N : u64) : ⌜0 < N⌝ -∗ tok(0) -∗ ([∗ set] i ∈ range(1, N). tok(i)) -∗
  [∗ set] i ∈ range(0, N). tok(i).
Proof. intros N "%H A B". bigsep_range front. frame. Qed.

Theorem wrong_point (N : u64) : ⌜0 < N⌝ -∗ ([∗ set] i ∈ range(0, N). tok(i)) -∗ emp.
Proof. intros N "%H A". bigsep_range front (2) in "A". done. Qed.

Theorem wrong_end (M : u64) : ⌜M < 100⌝ -∗ ([∗ set] i ∈ range(0, M + 1). tok(i)) -∗ emp.
Proof. intros M "%H A". bigsep_range back (M + 1) in "A". done. Qed.

Theorem maybe_empty (N : u64) : ([∗ set] i ∈ range(0, N). tok(i)) -∗ emp.
Proof. intros N "A". bigsep_range front in "A". done. Qed.
""")
    assert st["front"] == st["back"] == st["goal_side"] == "proved", d
    assert st["wrong_point"] == st["wrong_end"] == st["maybe_empty"] == "failed"
    assert "cannot prove that c = a + 1" in d and "cannot prove that b = c + 1" in d
    assert "cannot prove that the range is not empty" in d


def test_apply_of_an_unknown_or_crash_theorem_is_an_error_not_a_crash():
    st, d = run("""
Theorem t (x : gname) : tok(x) -∗ tok(x).
Proof. intros x "H". apply nosuch with "H". Qed.
""")
    assert st["t"] == "failed" and "unknown theorem nosuch" in d and "anomaly" not in d


def test_intros_with_a_destructing_pattern_on_a_forall_is_an_error():
    # the pattern used to name the first variable and vanish (issue 12)
    st, d = run("""
Theorem t (x y : gname) : tok(x) ∗ tok(y) -∗ tok(y) ∗ tok(x).
Proof. intros "[H1 H2]". frame. Qed.
""")
    assert st["t"] == "failed" and "introduce the variables first" in d
    st, d = run("""
Theorem t (x y : gname) : tok(x) ∗ tok(y) -∗ tok(y) ∗ tok(x).
Proof. intros "%a" "%b" "[H1 H2]". frame. Qed.
""")
    assert st["t"] == "proved", d


def test_intros_introduces_in_the_order_written():
    """intros x "H" y: the variable after a wand's pattern is the ∀ under that wand (as in
    Iris's iIntros); it used to introduce every variable first, which failed here and named
    the statement's own variables wrongly when a pattern came first."""
    st, d = run("""
Theorem t (n : nat) : ∀ (m : nat). ⌜n = m⌝ -∗ ∀ (k : nat). ⌜k = k⌝ -∗ ⌜m = n⌝.
Proof. intros n m "%H" k "%H2". done. Qed.
Theorem u (n : nat) : ⌜n = n⌝ -∗ ∀ (m : nat). ⌜m = m⌝.
Proof. intros "%H" m. done. Qed.
""")
    assert st["t"] == "proved" and st["u"] == "failed", d   # u: n is the first ∀, not the wand
    st, d = run("""
Theorem u (n : nat) : ⌜n = n⌝ -∗ ∀ (m : nat). ⌜m = m⌝.
Proof. intros n "%H" m. done. Qed.
""")
    assert st["u"] == "proved", d
