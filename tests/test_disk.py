"""The single disk (bytes on disk, fresh slices on read) and slice updates."""
from tests.kernel_helpers import statuses as check

HDR = """
Function hdr () := let b := slice_make(0, 4096, 4096) in slice_set(b, 0, 1);; b.
Function short () := slice_make(0, 10, 10).
Function roundtrip (a) :=
  write(a, hdr());;
  let r := read(a) in
  slice_get(r, 0) == 1.
"""


def statuses(text):
    return check(HDR + text)


def test_a_written_block_reads_back():
    st, d = statuses("""
Theorem roundtrip_ok (n : nat) (N a : u64) (bs : list u64) :
  {disk_blocks(N) ∗ ⌜a < N⌝ ∗ dmaster[n](a, bs) ∗ dlease[n](a, bs)} roundtrip(#a)
  {r. ⌜r = true⌝}[n].
Proof.
  intros n N a bs "[#Hd [%Ha [Hm Hl]]]".
  wp_call. wp_call.
  wp_step s vs as "[Hs [%Hlen Hz]]".
  wp_step. wp_step.
  wp_step r as "[Hm [Hl Hr]]".
  wp_step (x := 1).
  done.
Qed.
""")
    assert st == {"roundtrip_ok": "proved"}, d


def test_a_zero_block_reads_as_zeros():
    st, d = statuses("""
Theorem zero_ok (n : nat) (N a : u64) :
  {disk_blocks(N) ∗ ⌜a < N⌝ ∗ dmaster[n](a, zero_bytes()) ∗ dlease[n](a, zero_bytes())}
  slice_get(read(#a), 0) {r. ⌜r = 0⌝}[n].
Proof.
  intros n N a "[#Hd [%Ha [Hm Hl]]]".
  wp_step r as "[Hm [Hl Hr]]".
  wp_step (x := 0).
  done.
Qed.
""")
    assert st == {"zero_ok": "proved"}, d


def test_writes_need_a_lease_and_a_whole_block():
    st, d = statuses("""
Theorem no_lease (n : nat) (N a : u64) (bs : list u64) :
  {disk_blocks(N) ∗ ⌜a < N⌝ ∗ dmaster[n](a, bs)} write(#a, hdr()) {r. True}[n].
Proof.
  intros n N a bs "[#Hd [%Ha Hm]]".
  wp_call. wp_step s vs as "[Hs [%Hlen Hz]]". wp_step.
  wp_step. done.
Qed.

Theorem too_short (n : nat) (N a : u64) (bs : list u64) :
  {disk_blocks(N) ∗ ⌜a < N⌝ ∗ dmaster[n](a, bs) ∗ dlease[n](a, bs)} write(#a, short())
  {r. True}[n].
Proof.
  intros n N a bs "[#Hd [%Ha [Hm Hl]]]".
  wp_call. wp_step s vs as "[Hs [%Hlen Hz]]".
  wp_step. done.
Qed.
""")
    assert st == {"no_lease": "failed", "too_short": "failed"}, st


def test_the_disk_size_survives_a_crash_and_leases_are_renewed():
    st, d = statuses("""
Theorem c (n : nat) (N : u64) (bs : list u64) :
  disk_blocks(N) ∗ dmaster[n](0, bs) ⇒[n] disk_blocks(N) ∗ dmaster[n + 1](0, bs) ∗
  dlease[n + 1](0, bs).
Proof. done. Qed.
""")
    assert st == {"c": "proved"}, d
