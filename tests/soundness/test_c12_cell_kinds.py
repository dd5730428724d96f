"""Issue 9, class 12: cells of one semantics reached another's axioms, and ids and addresses
were unbounded.

The single disk's blocks were two-disk master copies with disk id 2, so the single disk's
initial state gave `twodisk.Write(2, …)` (Go panics: "no disk 2"); and the disk axioms took
any disk id and address, where Go's twodisk and disk packages panic on an id other than 0/1
and on an address at or past the size.  Each semantics now owns its cell kinds (the single
disk's are dmaster/dlease), and every read and write needs the size fact and the bounds.
Each rejected proof has a proved twin that differs only in what the fix requires, so the
tests cannot pass because a proof broke for some other reason.
"""
from tests.kernel_helpers import statuses

BLOCK = "Function blk () := slice_make(0, 4096, 4096).\n"


def check(text):
    return statuses(BLOCK + text)


def test_the_single_disks_initial_blocks_do_not_reach_the_two_disk_axioms():
    st, d = check("""
Theorem cross (N : u64) (v : val) :
  {disk_init(N) ∗ ⌜0 < N⌝} disk_write(2, 0, #v) {r. True}[0].
Proof.
  intros N v "[Hi %HN]". unfold disk_init in "Hi". destruct "Hi" as "[#Hd Hb]".
  bigsep_split (0) in "Hb". destruct "Hb" as "[[Hm Hl] _]".
  wp_step. done.
Qed.

Theorem own (N : u64) (s : val) (v : list val) :
  {twodisk_init(N) ∗ ⌜0 < N⌝ ∗ slice[0](s, v) ∗ ⌜len(v) = 4096⌝} disk_write(1, 0, #s)
  {r. True}[0].
Proof.
  intros N s v "[Hi [%HN [Hs %Hv]]]". unfold twodisk_init in "Hi". destruct "Hi" as "[#Hd Hb]".
  bigsep_split (0) in "Hb". destruct "Hb" as "[[Hm0 [Hl0 [Hm1 Hl1]]] _]".
  wp_step. done.
Qed.
""")
    assert st == {"cross": "failed", "own": "proved"}, d


def test_no_disk_2_on_two_disks():
    st, d = check("""
Theorem disk2_write (n : nat) (N a : u64) (v w : list val) (s : val) :
  {disks(N) ∗ ⌜a < N⌝ ∗ master[n](2[a], v) ∗ lease[n](2[a], v) ∗ slice[n](s, w) ∗ ⌜len(w) = 4096⌝}
  disk_write(2, #a, #s) {r. True}[n].
Proof. intros n N a v w s "[#Hd [%Ha [Hm [Hl [Hs %Hw]]]]]". wp_step. done. Qed.

Theorem disk2_read (n : nat) (N a : u64) (v : list val) :
  {disks(N) ∗ ⌜a < N⌝ ∗ master[n](2[a], v) ∗ lease[n](2[a], v)} disk_read(2, #a)
  {r. True}[n].
Proof. intros n N a v "[#Hd [%Ha [Hm Hl]]]". wp_step. done. Qed.

Theorem disk1_write (n : nat) (N a : u64) (v w : list val) (s : val) :
  {disks(N) ∗ ⌜a < N⌝ ∗ master[n](1[a], v) ∗ lease[n](1[a], v) ∗ slice[n](s, w) ∗ ⌜len(w) = 4096⌝}
  disk_write(1, #a, #s) {r. True}[n].
Proof. intros n N a v w s "[#Hd [%Ha [Hm [Hl [Hs %Hw]]]]]". wp_step. done. Qed.
""")
    assert st == {"disk2_write": "failed", "disk2_read": "failed", "disk1_write": "proved"}, d


def test_two_disk_addresses_are_below_the_size():
    st, d = check("""
Theorem write_any (n : nat) (a : u64) (v w : list val) (s : val) :
  {master[n](0[a], v) ∗ lease[n](0[a], v) ∗ slice[n](s, w) ∗ ⌜len(w) = 4096⌝} disk_write(0, #a, #s) {r. True}[n].
Proof. intros n a v w s "[Hm [Hl [Hs %Hw]]]". wp_step. done. Qed.

Theorem read_any (n : nat) (a : u64) (v : list val) :
  {master[n](0[a], v) ∗ lease[n](0[a], v)} disk_read(0, #a) {r. True}[n].
Proof. intros n a v "[Hm Hl]". wp_step. done. Qed.

Theorem write_past_end (n : nat) (N a : u64) (v w : list val) (s : val) :
  {disks(N) ∗ ⌜N ≤ a⌝ ∗ master[n](0[a], v) ∗ lease[n](0[a], v) ∗ slice[n](s, w) ∗ ⌜len(w) = 4096⌝}
  disk_write(0, #a, #s) {r. True}[n].
Proof. intros n N a v w s "[#Hd [%Ha [Hm [Hl [Hs %Hw]]]]]". wp_step. done. Qed.

Theorem read_in_range (n : nat) (N a : u64) (v : list val) :
  {disks(N) ∗ ⌜a < N⌝ ∗ master[n](0[a], v) ∗ lease[n](0[a], v)} disk_read(0, #a)
  {r. True}[n].
Proof. intros n N a v "[#Hd [%Ha [Hm Hl]]]". wp_step. done. Qed.
""")
    assert st == {"write_any": "failed", "read_any": "failed", "write_past_end": "failed",
                  "read_in_range": "proved"}, d


def test_single_disk_addresses_are_below_the_size():
    st, d = check("""
Theorem read_any (n : nat) (a : u64) (bs : list val) :
  {dmaster[n](a, bs) ∗ dlease[n](a, bs)} read(#a) {r. True}[n].
Proof. intros n a bs "[Hm Hl]". wp_step. done. Qed.

Theorem write_any (n : nat) (a : u64) (bs : list val) :
  {dmaster[n](a, bs) ∗ dlease[n](a, bs)} write(#a, blk()) {r. True}[n].
Proof.
  intros n a bs "[Hm Hl]". wp_call. wp_step s vs as "[Hs [%Hlen _]]". wp_step. done.
Qed.

Theorem write_in_range (n : nat) (N a : u64) (bs : list val) :
  {disk_blocks(N) ∗ ⌜a < N⌝ ∗ dmaster[n](a, bs) ∗ dlease[n](a, bs)} write(#a, blk())
  {r. True}[n].
Proof.
  intros n N a bs "[#Hd [%Ha [Hm Hl]]]". wp_call. wp_step s vs as "[Hs [%Hlen _]]".
  wp_step. done.
Qed.

Theorem read_in_range (n : nat) (N a : u64) (bs : list val) :
  {disk_blocks(N) ∗ ⌜a < N⌝ ∗ dmaster[n](a, bs) ∗ dlease[n](a, bs)} read(#a) {r. True}[n].
Proof. intros n N a bs "[#Hd [%Ha [Hm Hl]]]". wp_step. done. Qed.
""")
    assert st == {"read_any": "failed", "write_any": "failed", "write_in_range": "proved",
                  "read_in_range": "proved"}, d


def test_the_two_semantics_blocks_are_distinct_kinds():
    """A two-disk lease does not agree with a single-disk master of the same address, nor
    a single-disk lease with a two-disk one: the cells are unrelated resources."""
    st, d = check("""
Theorem mixed (n : nat) (a : u64) (v w : list val) :
  dmaster[n](a, v) ∗ lease[n](0[a], w) -∗ ⌜v = w⌝.
Proof. intros n a v w "[Hm Hl]". agree "Hm" "Hl" as "%E". done. Qed.
""")
    assert st == {"mixed": "failed"}, d


def test_a_crash_renews_single_disk_blocks():
    st, d = check("""
Theorem c (n : nat) (N : u64) (bs : list val) :
  disk_blocks(N) ∗ dmaster[n](0, bs) ⇒[n] disk_blocks(N) ∗ dmaster[n + 1](0, bs) ∗
  dlease[n + 1](0, bs).
Proof. done. Qed.

Theorem stale (n : nat) (bs : list val) :
  dlease[n](0, bs) ⇒[n] dlease[n + 1](0, bs).
Proof. done. Qed.
""")
    assert st == {"c": "proved", "stale": "failed"}, d
