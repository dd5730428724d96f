"""Issue 9, class 11: the two disks stored values, not bytes.

A block written and then mutated by the caller read back mutated in the logic (Go copies the
bytes), and blocks of the wrong size were accepted (Go panics).  Now (issue 10, point 3) the
two-disk axioms are byte-level, like the single disk's: a read returns a fresh slice with a
copy of the block's bytes, a write copies the 4096 bytes of a slice the caller owns, and the
replicated disk is proven over byte blocks through Theorem 2's byte interface.
"""
import os

from driver.load import Session
from tests.kernel_helpers import statuses

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RD = os.path.join(ROOT, "proofs", "replicated_disk", "rd_proof.pv")

MUTATE = """
Theorem t (n : nat) (N a : u64) (v w : list val) (s : val) :
  {disks(N) ∗ ⌜a < N⌝ ∗ master[n](0[a], w) ∗ lease[n](0[a], w) ∗ slice[n](s, v) ∗
   ⌜len(v) = 4096⌝}
  disk_write(0, #a, #s);; slice_set(#s, 0, 7);; disk_read(0, #a)
  {r. (∃ (b : val) (bs : list val). ⌜r = (b, true)⌝ ∗ slice[n](b, bs) ∗ ⌜bs = {READ}⌝) ∨
      ⌜r = (nil(), false)⌝}[n].
Proof.
  intros n N a v w s "[#Hd [%Ha [Hm [Hl [Hs %Hv]]]]]".
  wp_step as "[Hm [Hl Hs]]". wp_pures.
  wp_step. wp_pures.
  wp_step as "[Hm [Hl [[%Hok Hb] | [%Hok #Hf]]]]".
  - wp_value. left. exists (b) ({READ}). done.
  - wp_value. right. done.
Qed.
"""


def test_a_block_changed_after_the_write_reads_back_as_written():
    st, d = statuses(MUTATE.replace("{READ}", "v"))
    assert st["t"] == "proved", d
    st, d = statuses(MUTATE.replace("{READ}", "update(v, 0, 7)"))
    assert st["t"] == "failed", d


def test_a_block_of_the_wrong_size_cannot_be_written():
    st, d = statuses("""
Theorem t (n : nat) (N a : u64) (v w : list val) (s : val) :
  {disks(N) ∗ ⌜a < N⌝ ∗ master[n](0[a], w) ∗ lease[n](0[a], w) ∗ slice[n](s, v) ∗
   ⌜len(v) = 10⌝}
  disk_write(0, #a, #s) {r. True}[n].
Proof. intros n N a v w s "[#Hd [%Ha [Hm [Hl [Hs %Hv]]]]]". wp_step. done. Qed.
""")
    assert st["t"] == "failed" and "twodisk_write" in d, d


def test_the_replicated_disk_is_stated_over_bytes():
    s = Session()
    s.load_file(RD)
    assert not s.diagnostics, [d.render() for d in s.diagnostics]
    out = "\n".join(s.output)
    assert "VALUE-LEVEL" not in out
    assert "Operation rd_spec.Read (a : u64) : list val" in out
    assert ("Operation rd_spec.Write (a : u64) (v : list val) := "
            "if #(a < rd_spec.size(σ) && len(v) = 4096)") in out
