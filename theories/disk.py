"""One disk of N blocks of 4096 bytes (`prim/disk`): what the write-ahead log, the shadow copy
and group commit run on.

Unlike the two-disk semantics, the disk stores *bytes*: the master copy ``dmaster[n](a, bs)``
and lease ``dlease[n](a, bs)`` of block a hold the list of its bytes, a read returns a fresh
slice owning a copy of them, and a write copies the bytes of a slice the caller (at least)
reads.  These cell kinds are the single disk's own (the two disks' blocks are
``master``/``lease``), so no resource of one semantics reaches the other's axioms.
``disk_blocks(N)`` is the persistent fact that the disk has N blocks; every read and write
needs it and ``⌜a < N⌝``, since Go's disk.Read and disk.Write panic on an address at or past
the size (and Write on a block of another length than 4096).  The zero block ``zero_bytes()``
is a definition (``replicate(4096, 0)``), not an axiom.
"""
from __future__ import annotations

from .axiom_dsl import axiom

# Go's disk.Read and disk.Write panic unless the address is below the size
IN_RANGE = "disk_blocks(N) ∗ ⌜a < N⌝"

AXIOMS = [
    axiom("disk_read", "n : nat, N : u64, a : u64, bs : list val",
          f"dmaster[n](a, bs) ∗ dlease[n](a, bs) ∗ {IN_RANGE}", "read(#a)", "s : val", "s",
          "dmaster[n](a, bs) ∗ dlease[n](a, bs) ∗ slice[n](s, bs)",
          source="Goose disk.Read: a fresh slice with the block's bytes (address < size)"),
    axiom("disk_write", "n : nat, N : u64, a : u64, bs0 : list val, s : val, bs : list val",
          f"dmaster[n](a, bs0) ∗ dlease[n](a, bs0) ∗ slice[n](s, bs) ∗ ⌜len(bs) = 4096⌝ ∗ "
          f"{IN_RANGE}",
          "write(#a, #s)", "", "()", "dmaster[n](a, bs) ∗ dlease[n](a, bs) ∗ slice[n](s, bs)",
          source="Goose disk.Write: copies the slice's bytes (recovery-lease write rule; "
                 "address < size, 4096 bytes)"),
    axiom("disk_write_ro", "n : nat, N : u64, a : u64, bs0 : list val, s : val, bs : list val",
          f"dmaster[n](a, bs0) ∗ dlease[n](a, bs0) ∗ slice_ro[n](s, bs) ∗ ⌜len(bs) = 4096⌝ ∗ "
          f"{IN_RANGE}",
          "write(#a, #s)", "", "()", "dmaster[n](a, bs) ∗ dlease[n](a, bs)",
          source="Goose disk.Write from a read-only slice (address < size, 4096 bytes)"),
    axiom("disk_size", "n : nat, N : u64", "disk_blocks(N)", "size()", "", "N", "disk_blocks(N)",
          source="Goose disk.Size"),
]

# The initial state for a disk of N blocks: every block zero, at version 0.
INIT = ("disk_init", "disk_blocks(N) ∗ [∗ set] a ∈ range(0, N). "
        "dmaster[0](a, zero_bytes()) ∗ dlease[0](a, zero_bytes())")


def install(kernel) -> None:
    from .shipped import axioms, assertion
    from seplogic.syntax import App, Lit, Sort
    for ax in axioms(AXIOMS):
        kernel.add_axiom(ax, when_used=True)      # checked when a rule first uses it
    kernel.define_pure("zero_bytes", (), Sort("list", (Sort("val"),)),
                       App("replicate", (Lit("int", 4096), Lit("int", 0))))
    name, text = INIT
    kernel.define_predicate(name, (("N", Sort("u64")),), assertion(text))
    kernel.sem_inits[name] = "disk"
