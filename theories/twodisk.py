"""Two disks of N blocks of 4096 bytes, at most one of which fails (the replicated disk's
semantics, `proofs/prim/twodisk`).

A block of disk d (0 or 1) is described by its master copy ``master[n](d[a], bs)`` and recovery
lease ``lease[n](d[a], bs)`` (Perennial §5.3): both are needed to read or write it.  As in the
Armada draft (§4.1), ``bs`` is the list of the block's bytes *if the disk has not failed*: a read
of a working disk returns a fresh slice holding a copy of them (Go's ``make`` + ``copy``), a read
of a failed disk returns ``(nil, false)`` and the persistent fact ``failed(d)``; a write copies
the bytes of a slice the caller owns (or shares read-only) and needs exactly 4096 of them (Go
panics otherwise); writes to a failed disk are lost, which the master copy does not need to
record.  ``disks(N)`` is the persistent fact that both disks have N blocks; every read and write
needs it and ``⌜d < 2 ∧ a < N⌝`` (Go's ``check`` panics otherwise).  A crash keeps the disks
(masters, ``failed``, ``disks``) and loses memory (kernel/crash.py).
"""
from __future__ import annotations

from .axiom_dsl import axiom

# Go's twodisk.Read and twodisk.Write panic unless d is disk 0 or 1 and a is below the size
IN_RANGE = "disks(N) ∗ ⌜d < 2 ∧ a < N⌝"
AXIOMS = [
    # failures are permanent: a disk known to have failed answers every read with ok = false
    # failures are permanent: a disk known to have failed answers every read with ok = false
    axiom("twodisk_read_failed", "n : nat, N : u64, d : u64, a : u64, v : list val",
          f"master[n](d[a], v) ∗ lease[n](d[a], v) ∗ failed(d) ∗ {IN_RANGE}",
          "disk_read(#d, #a)", "", "(nil(), false)", "master[n](d[a], v) ∗ lease[n](d[a], v)",
          source="Perennial TwoDisk read of a failed disk (Go returns nil, false)"),
    axiom("twodisk_read", "n : nat, N : u64, d : u64, a : u64, v : list val",
          f"master[n](d[a], v) ∗ lease[n](d[a], v) ∗ {IN_RANGE}", "disk_read(#d, #a)",
          "b : val, ok : bool", "(b, ok)",
          "master[n](d[a], v) ∗ lease[n](d[a], v) ∗ "
          "(⌜ok = true⌝ ∗ slice[n](b, v) ∨ ⌜ok = false ∧ b = nil()⌝ ∗ failed(d))",
          source="Perennial TwoDisk read (Table 1: master and lease needed; a fresh slice "
                 "with a copy of the block's bytes)"),
    axiom("twodisk_write", "n : nat, N : u64, d : u64, a : u64, v0 : list val, s : val, "
          "v : list val",
          f"master[n](d[a], v0) ∗ lease[n](d[a], v0) ∗ slice[n](s, v) ∗ ⌜len(v) = 4096⌝ ∗ "
          f"{IN_RANGE}", "disk_write(#d, #a, #s)",
          "", "()", "master[n](d[a], v) ∗ lease[n](d[a], v) ∗ slice[n](s, v)",
          source="Perennial TwoDisk write (§5.3 recovery-lease write rule; copies the slice's "
                 "4096 bytes)"),
    axiom("twodisk_write_ro", "n : nat, N : u64, d : u64, a : u64, v0 : list val, s : val, "
          "v : list val",
          f"master[n](d[a], v0) ∗ lease[n](d[a], v0) ∗ slice_ro[n](s, v) ∗ ⌜len(v) = 4096⌝ ∗ "
          f"{IN_RANGE}", "disk_write(#d, #a, #s)",
          "", "()", "master[n](d[a], v) ∗ lease[n](d[a], v)",
          source="Perennial TwoDisk write from a read-only slice (copies its 4096 bytes)"),
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
    axiom("twodisk_failed_update", "n : nat, d : u64, a : u64, v : list val, w : list val",
          "failed(d) ∗ master[n](d[a], v) ∗ lease[n](d[a], v)", None, "", "()",
          "master[n](d[a], w) ∗ lease[n](d[a], w)",
          source="TwoDisk model: a failed disk's blocks are unconstrained"),
]

# The initial state for disk size N: neither disk failed, every block 4096 zero bytes
# (zero_bytes(), theories/disk.py), at version 0.  (The machine only: ghost state a proof needs,
# such as the replicated disk's helping cells, it allocates itself: wp_ghost_alloc.)
INIT = ("twodisk_init", "disks(N) ∗ [∗ set] a ∈ range(0, N). "
        "master[0](0[a], zero_bytes()) ∗ lease[0](0[a], zero_bytes()) ∗ "
        "master[0](1[a], zero_bytes()) ∗ lease[0](1[a], zero_bytes())")


def install(kernel) -> None:
    from .shipped import axioms, assertion
    from seplogic.syntax import Sort
    for ax in axioms(AXIOMS):
        kernel.add_axiom(ax, when_used=True)      # checked when a rule first uses it
    name, text = INIT
    kernel.define_predicate(name, (("N", Sort("u64")),), assertion(text))
    kernel.sem_inits[name] = "twodisk"
