"""Decimal strings of uint64 (`proofs/prim/strconv`) as named axioms.

`u64_to_string` and `string_to_u64` are pure primitives: the kernel steps them to the terms
``u64_to_string(x)`` and ``string_to_u64(s)``, functions of the value it knows nothing else
about.  What the proofs may use of them is the one fact Go's strconv guarantees and Mailboat's
IDs need: parsing a formatted number gives it back (so formatting is injective).
"""
from __future__ import annotations

from .axiom_dsl import axiom

AXIOMS = [
    axiom("string_to_u64_of_string", "x : u64", "emp", None, "", "()",
          "⌜string_to_u64(u64_to_string(x)) = (x, true)⌝",
          source="Go strconv: ParseUint(FormatUint(x, 10), 10, 64) = (x, nil)"),
]


def install(kernel) -> None:
    from .shipped import axioms
    for ax in axioms(AXIOMS):
        kernel.add_axiom(ax, when_used=True)      # checked when a rule first uses it
