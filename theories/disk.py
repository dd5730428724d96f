"""One disk of N blocks of 4096 bytes (`prim/disk`): what the write-ahead log, the shadow copy
and group commit run on.

Unlike the two-disk semantics, the disk stores *bytes*: the master copy and lease of block a
hold the list of its bytes, a read returns a fresh slice owning a copy of them, and a write
copies the bytes of a slice the caller (at least) reads.  The single disk is disk 2 in the
keys of master copies and leases (the two disks are 0 and 1).  ``disk_blocks(N)`` is the
persistent fact that the disk has N blocks; the zero block ``zero_bytes()`` is a definition
(``replicate(4096, 0)``), not an axiom.
"""
from __future__ import annotations

from .axiom_dsl import axiom

AXIOMS = [
    axiom("disk_read", "n : nat, a : u64, bs : list val",
          "master[n](2[a], bs) ∗ lease[n](2[a], bs)", "read(#a)", "s : val", "s",
          "master[n](2[a], bs) ∗ lease[n](2[a], bs) ∗ slice[n](s, bs)",
          source="Goose disk.Read: a fresh slice with the block's bytes"),
    axiom("disk_write", "n : nat, a : u64, bs0 : list val, s : val, bs : list val",
          "master[n](2[a], bs0) ∗ lease[n](2[a], bs0) ∗ slice[n](s, bs) ∗ ⌜len(bs) = 4096⌝",
          "write(#a, #s)", "", "()", "master[n](2[a], bs) ∗ lease[n](2[a], bs) ∗ slice[n](s, bs)",
          source="Goose disk.Write: copies the slice's bytes (recovery-lease write rule)"),
    axiom("disk_write_ro", "n : nat, a : u64, bs0 : list val, s : val, bs : list val",
          "master[n](2[a], bs0) ∗ lease[n](2[a], bs0) ∗ slice_ro[n](s, bs) ∗ ⌜len(bs) = 4096⌝",
          "write(#a, #s)", "", "()", "master[n](2[a], bs) ∗ lease[n](2[a], bs)",
          source="Goose disk.Write from a read-only slice"),
    axiom("disk_size", "n : nat, N : u64", "disk_blocks(N)", "size()", "", "N", "disk_blocks(N)",
          source="Goose disk.Size"),
]

# The initial state for a disk of N blocks: every block zero, at version 0.
INIT = ("disk_init", "disk_blocks(N) ∗ [∗ set] a ∈ range(0, N). "
        "master[0](2[a], zero_bytes()) ∗ lease[0](2[a], zero_bytes())")


def install(kernel) -> None:
    from seplogic.parser import parse_assertion
    from seplogic.syntax import App, Lit, Sort
    for ax in AXIOMS:
        kernel.add_axiom(ax)
    kernel.define_pure("zero_bytes", (), Sort("list", (Sort("val"),)),
                       App("replicate", (Lit("int", 4096), Lit("int", 0))))
    name, text = INIT
    kernel.define_predicate(name, (("N", Sort("u64")),), parse_assertion(text))
    kernel.sem_inits[name] = "disk"
