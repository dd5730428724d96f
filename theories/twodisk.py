"""Two disks of N blocks, at most one of which fails (the replicated disk's semantics).

A block of disk d (0 or 1) is described by its master copy ``master[n](d[a], v)`` and recovery
lease ``lease[n](d[a], v)`` (Perennial §5.3): both are needed to read or write it.  As in the
Armada draft (§4.1), the value is the block's content *if the disk has not failed*: a read of a
failed disk returns ``(_, false)`` and the persistent fact ``failed(d)``; writes to a failed
disk are lost, which the master copy does not need to record.  ``disks(N)`` is the persistent
fact that both disks have N blocks.  A crash keeps the disks (masters, ``failed``, ``disks``)
and loses memory (kernel/crash.py).  These cell kinds are the two disks' own (the single disk,
theories/disk.py, has dmaster/dlease).  Every read and write needs ``disks(N)`` and
``⌜d < 2 ∧ a < N⌝``: Go's twodisk.Read and twodisk.Write panic on another disk id or an address
at or past the size.

Known gap, stated in every read and write axiom's source (so that `pv axioms` and
``Print Assumptions`` show it): the model is value-level.  A block is an opaque value, so a read
returns the very value that was written; Go's disks store bytes, copy them on Write and return a
fresh slice on Read, and Write panics on a block that is not 4096 bytes.  The two agree for code
that never inspects a block's slice header (capacity), never mutates a block after writing it or
after reading it, and only writes 4096-byte blocks, which holds for the replicated disk; the
axioms do not check it.  Stating the disks over bytes needs Theorem 2 over Go's byte-level
interfaces (issue 10): byte lists on the disks, a fresh ``slice[n](s, bs)`` from a read, and
returned slices related to spec values by the kernel.
"""
from __future__ import annotations

from .axiom_dsl import axiom

# Go's twodisk.Read and twodisk.Write panic unless d is disk 0 or 1 and a is below the size
IN_RANGE = "disks(N) ∗ ⌜d < 2 ∧ a < N⌝"
# The known gap (module docstring), part of each read and write axiom's source text.
VALUE_LEVEL = ("; VALUE-LEVEL, not Go's bytes (issue 10): a block is an opaque value, no copy "
               "on read or write, no 4096-byte size check")

AXIOMS = [
    # failures are permanent: a disk known to have failed answers every read with ok = false
    axiom("twodisk_read_failed", "n : nat, N : u64, d : u64, a : u64, v : val",
          f"master[n](d[a], v) ∗ lease[n](d[a], v) ∗ failed(d) ∗ {IN_RANGE}",
          "disk_read(#d, #a)", "b : val", "(b, false)", "master[n](d[a], v) ∗ lease[n](d[a], v)",
          source="Perennial TwoDisk read of a failed disk" + VALUE_LEVEL),
    axiom("twodisk_read", "n : nat, N : u64, d : u64, a : u64, v : val",
          f"master[n](d[a], v) ∗ lease[n](d[a], v) ∗ {IN_RANGE}", "disk_read(#d, #a)",
          "b : val, ok : bool", "(b, ok)",
          "master[n](d[a], v) ∗ lease[n](d[a], v) ∗ (⌜ok = true && b = v⌝ ∨ ⌜ok = false⌝ ∗ failed(d))",
          source="Perennial TwoDisk read (Table 1: master and lease needed)" + VALUE_LEVEL),
    axiom("twodisk_write", "n : nat, N : u64, d : u64, a : u64, v0 : val, v : val",
          f"master[n](d[a], v0) ∗ lease[n](d[a], v0) ∗ {IN_RANGE}", "disk_write(#d, #a, #v)",
          "", "()", "master[n](d[a], v) ∗ lease[n](d[a], v)",
          source="Perennial TwoDisk write (§5.3 recovery-lease write rule)" + VALUE_LEVEL),
    axiom("twodisk_size", "n : nat, N : u64", "disks(N)", "disk_size()", "", "N", "disks(N)",
          source="Perennial TwoDisk size"),
    axiom("twodisk_one_fails", "d1 : u64, d2 : u64", "failed(d1) ∗ failed(d2) ∗ ⌜d1 ≠ d2⌝",
          None, "", "()", "False",
          source="TwoDisk model: at most one disk fails"),
    axiom("twodisk_one_size", "N : u64, M : u64", "disks(N) ∗ disks(M)", None, "", "()",
          "⌜N = M⌝", source="TwoDisk model: the disks have one size"),
    # what bounds the slices a program makes from the size (slices.MAX_LEN = 2^40 elements)
    axiom("twodisk_size_bound", "N : u64", "disks(N)", None, "", "()", f"⌜N ≤ {2 ** 35}⌝",
          source="TwoDisk model (proofs/prim/twodisk): the 2·N blocks of 4096 bytes live in Go's "
                 "heap, at most 2^48 bytes on linux/amd64 (heapAddrBits), so N ≤ 2^35"),
    # a master copy describes its block only while the disk works: once it failed, its
    # master and lease may be given any value (writes to it are lost anyway)
    axiom("twodisk_failed_update", "n : nat, d : u64, a : u64, v : val, w : val",
          "failed(d) ∗ master[n](d[a], v) ∗ lease[n](d[a], v)", None, "", "()",
          "master[n](d[a], w) ∗ lease[n](d[a], w)",
          source="TwoDisk model: a failed disk's blocks are unconstrained"),
]

# The initial state for disk size N: neither disk failed, every block the zero block (an
# uninterpreted constant `zero_block()`), at version 0.  (The machine only: ghost state a proof
# needs, such as the replicated disk's helping cells, it allocates itself: wp_ghost_alloc.)
INIT = ("twodisk_init", "disks(N) ∗ [∗ set] a ∈ range(0, N). "
        "master[0](0[a], zero_block()) ∗ lease[0](0[a], zero_block()) ∗ "
        "master[0](1[a], zero_block()) ∗ lease[0](1[a], zero_block())")


def install(kernel) -> None:
    from seplogic.parser import parse_assertion
    from seplogic.syntax import Sort
    for ax in AXIOMS:
        kernel.add_axiom(ax)
    name, text = INIT
    kernel.define_predicate(name, (("N", Sort("u64")),), parse_assertion(text))
    kernel.sem_inits[name] = "twodisk"
