"""Big-∗ tactics: framing a big-∗ goal from a hypothesis short of one index, over a range one
shorter, or pointwise; ``as`` on bigsep_split / bigsep_range / bigsep_sep.  Each has a goal it
must not prove."""
from tests.kernel_helpers import statuses


def test_frame_puts_an_index_back():
    st, d = statuses("""
Theorem back (N x : u64) : ⌜x < N⌝ -∗ tok(x) -∗
  ([∗ set] i ∈ range(0, N) ∖ {[x]}. tok(i)) -∗ [∗ set] i ∈ range(0, N). tok(i).
Proof. intros N x "%H A B". done. Qed.

Theorem outside (N x : u64) : tok(x) -∗
  ([∗ set] i ∈ range(0, N) ∖ {[x]}. tok(i)) -∗ [∗ set] i ∈ range(0, N + 1). tok(i).
Proof. intros N x "A B". done. Qed.

Theorem missing (N x : u64) : ⌜x < N⌝ -∗
  ([∗ set] i ∈ range(0, N) ∖ {[x]}. tok(i)) -∗ [∗ set] i ∈ range(0, N). tok(i).
Proof. intros N x "%H B". done. Qed.
""")
    assert st["back"] == "proved", d
    assert st["outside"] == st["missing"] == "failed", st
    assert "done: cannot close the goal" in d


def test_frame_extends_a_range_by_one():
    st, d = statuses("""
Theorem last (M : u64) : ⌜M < 100⌝ -∗ tok(M) -∗
  ([∗ set] i ∈ range(0, M). tok(i)) -∗ [∗ set] i ∈ range(0, M + 1). tok(i).
Proof. intros M "%H A B". done. Qed.

Theorem first (M : u64) : ⌜0 < M⌝ -∗ tok(0) -∗
  ([∗ set] i ∈ range(1, M). tok(i)) -∗ [∗ set] i ∈ range(0, M). tok(i).
Proof. intros M "%H A B". done. Qed.

Theorem in_a_loop (M : u64) (n : nat) (l : loc) : ⌜M < 100⌝ -∗ tok(M) -∗ l ↦[n] (M + 1) -∗
  ([∗ set] i ∈ range(0, M). tok(i)) -∗
  ∃ (k : u64). l ↦[n] k ∗ [∗ set] i ∈ range(0, k). tok(i).
Proof. intros M n l "%H A P B". done. Qed.

Theorem no_element (M : u64) : ⌜M < 100⌝ -∗ tok(M + 1) -∗
  ([∗ set] i ∈ range(0, M). tok(i)) -∗ [∗ set] i ∈ range(0, M + 1). tok(i).
Proof. intros M "%H A B". done. Qed.

Theorem wraps (M : u64) : tok(M) -∗
  ([∗ set] i ∈ range(0, M). tok(i)) -∗ [∗ set] i ∈ range(0, M +64 1). tok(i).
Proof. intros M "A B". done. Qed.
""")
    assert st["last"] == st["first"] == st["in_a_loop"] == "proved", d
    # M + 1 is not M's successor's element; M +64 1 wraps to 0 when M = 2^64 - 1
    assert st["no_element"] == st["wraps"] == "failed", st


def test_frame_goes_pointwise():
    st, d = statuses("""
Theorem drop (N : u64) :
  ([∗ set] i ∈ range(0, N). tok(i) ∗ locked(i)) -∗ [∗ set] i ∈ range(0, N). tok(i).
Proof. intros N "A". done. Qed.

Theorem other_set (N M : u64) (n : nat) (l : loc) : ⌜M = N⌝ -∗
  ([∗ set] i ∈ range(0, N). ∃ (v : u64). l ↦[n] v ∗ ⌜v < i⌝) -∗
  [∗ set] i ∈ range(0, M). ∃ (w : u64). l ↦[n] w ∗ ⌜w ≤ i⌝.
Proof. intros N M n l "%E A". done. Qed.

Theorem gain (N : u64) :
  ([∗ set] i ∈ range(0, N). tok(i)) -∗ [∗ set] i ∈ range(0, N). tok(i) ∗ locked(i).
Proof. intros N "A". done. Qed.

Theorem too_strong (N : u64) (n : nat) (l : loc) :
  ([∗ set] i ∈ range(0, N). ∃ (v : u64). l ↦[n] v ∗ ⌜v ≤ i⌝) -∗
  [∗ set] i ∈ range(0, N). ∃ (w : u64). l ↦[n] w ∗ ⌜w < i⌝.
Proof. intros N n l "A". done. Qed.
""")
    assert st["drop"] == st["other_set"] == "proved", d
    assert st["gain"] == st["too_strong"] == "failed", st


def test_bigsep_split_range_and_sep_destruct_what_they_split_off():
    st, d = statuses("""
Theorem split (N : u64) : ⌜3 < N⌝ -∗ ([∗ set] i ∈ range(0, N). tok(i) ∗ locked(i)) -∗
  locked(3) ∗ [∗ set] i ∈ range(0, N) ∖ {[3]}. tok(i) ∗ locked(i).
Proof. intros N "%H A". bigsep_split (3) in "A" as "[_ L]". frame. Qed.

Theorem front (N : u64) : ⌜0 < N⌝ -∗ ([∗ set] i ∈ range(0, N). tok(i) ∗ locked(i)) -∗
  tok(0) ∗ [∗ set] i ∈ range(1, N). tok(i) ∗ locked(i).
Proof. intros N "%H A". bigsep_range front in "A" as "[T _]". frame. Qed.

Theorem sep (N : u64) : ([∗ set] i ∈ range(0, N). tok(i) ∗ locked(i)) -∗
  [∗ set] i ∈ range(0, N). locked(i).
Proof. intros N "A". bigsep_sep in "A" as "[_ L]". frame. Qed.

Theorem on_goal (N : u64) : ⌜0 < N⌝ -∗ ([∗ set] i ∈ range(0, N). tok(i)) -∗
  [∗ set] i ∈ range(0, N). tok(i).
Proof. intros N "%H A". bigsep_split (0) as "T". done. Qed.

Theorem not_in (N : u64) : ([∗ set] i ∈ range(0, N). tok(i)) -∗ emp.
Proof. intros N "A". bigsep_split (N) in "A" as "T". done. Qed.
""")
    assert st["split"] == st["front"] == st["sep"] == "proved", d
    assert st["on_goal"] == st["not_in"] == "failed", st
    assert 'as "pat" names what is split off a hypothesis (in "H")' in d
    assert "that the element is in the set" in d


def test_a_witness_may_share_a_name_with_a_binder_further_in():
    # the goal's v2 is the witness for ∃ v1, under which ∃ v2 is bound: no capture
    st, d = statuses("""
Theorem names (l1 l2 : loc) (n : nat) (v1 v2 : u64) : l1 ↦[n] v2 -∗ l2 ↦[n] v1 -∗
  ∃ (v1 v2 : u64). l1 ↦[n] v1 ∗ l2 ↦[n] v2.
Proof. intros l1 l2 n v1 v2 "A B". done. Qed.

Theorem crossed (l1 l2 : loc) (n : nat) (v1 v2 : u64) : l1 ↦[n] v2 -∗ l2 ↦[n] v1 -∗
  ∃ (v1 v2 : u64). l1 ↦[n] v1 ∗ l2 ↦[n] v2 ∗ ⌜v1 = v2⌝.
Proof. intros l1 l2 n v1 v2 "A B". done. Qed.
""")
    assert st["names"] == "proved", d
    assert st["crossed"] == "failed", st


def test_an_existential_gets_the_big_seps_of_its_shape():
    # k := M from the points-to; the big-∗ over range(0, M) is the one over range(0, N) only
    # provably (M = N), so it is handed over for its shape (the token stays for the other ∃)
    st, d = statuses("""
Theorem two (N M : u64) (n : nat) (l : loc) (g : gname) : ⌜M = N⌝ -∗ l ↦[n] M -∗ tok(g) -∗
  ([∗ set] i ∈ range(0, N). locked(i)) -∗
  (∃ (k : u64). l ↦[n] k ∗ [∗ set] i ∈ range(0, k). locked(i)) ∗ (∃ (h : gname). tok(h)).
Proof. intros N M n l g "%E A B C". done. Qed.

Theorem other_shape (N M : u64) (n : nat) (l : loc) (g : gname) : ⌜M = N⌝ -∗ l ↦[n] M -∗
  tok(g) -∗ ([∗ set] i ∈ range(0, N). locked(i)) -∗
  (∃ (k : u64). l ↦[n] k ∗ [∗ set] i ∈ range(0, k). locked(i) ∗ tok(i)) ∗
  (∃ (h : gname). tok(h)).
Proof. intros N M n l g "%E A B C". done. Qed.
""")
    assert st["two"] == "proved", d
    assert st["other_shape"] == "failed", st
