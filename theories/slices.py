"""Go slices and read-only sharing, as named axioms (Goose's slice library, §6).

A slice value is a header (pointer, length, capacity) into a shared array.  ``slice[n](s, vs)``
owns the elements ``vs`` that ``s`` views; appending consumes it (the result may or may not
share the array, which Go leaves open) and gives the new slice.  Data that many threads only
read is frozen into persistent read-only shares, ``ro[n](l, v)`` and ``slice_ro[n](s, vs)``
(Iris's discarded fractions, ``mapsto_persist``).  All of them are versioned heap state, lost
in a crash.

Allocation bounds.  Go panics when a slice's array would exceed maxAlloc = 2^48 bytes
(runtime/malloc.go on linux/amd64; ``makeslice: len/cap out of range``, ``growslice: cap out
of range``).  The bytes depend on the element type, which the primitives do not see, so the
core language bounds the elements instead: a slice that is made, or grown by an append, has
at most ``MAX_LEN`` = 2^40 elements, and ``pv goose`` accepts only element types of at most
``goose.gotypes.MAX_ELEM_SIZE`` = 64 bytes (bigger structs go in a slice of pointers).  Then
make allocates at most 2^46 bytes, and a growing append less than 2^47 + 8 KiB (Go's growslice
picks fewer than twice the needed elements, then rounds up to whole 8 KiB pages), so no
translated program panics where these axioms let it run.
The bound is asked of every append, growing or not (the logic does not know capacities).
"""
from __future__ import annotations

from .axiom_dsl import axiom

MAX_LEN = 2 ** 40

AXIOMS = [
    axiom("slice_make_empty", "n : nat, z : val, len : u64, cap : u64",
          f"⌜len = 0 && len ≤ cap && cap ≤ {MAX_LEN}⌝", "slice_make(#z, #len, #cap)", "s : val",
          "s", "slice[n](s, [])",
          source="Goose wp_new_slice (length 0; Go panics above 2^48 bytes)"),
    axiom("slice_make", "n : nat, z : val, len : u64, cap : u64",
          f"⌜len ≤ cap && cap ≤ {MAX_LEN}⌝",
          "slice_make(#z, #len, #cap)", "s : val, vs : list val", "s",
          "slice[n](s, vs) ∗ ⌜len(vs) = len⌝ ∗ [∗ set] i ∈ range(0, len). ⌜nth(vs, i) = Some(z)⌝",
          source="Goose wp_new_slice (Go panics above 2^48 bytes)"),
    axiom("slice_get", "n : nat, s : val, vs : list val, i : u64, x : val",
          "slice[n](s, vs) ∗ ⌜nth(vs, i) = Some(x)⌝", "slice_get(#s, #i)", "", "x",
          "slice[n](s, vs)", source="Goose wp_SliceGet"),
    axiom("slice_get_ro", "n : nat, s : val, vs : list val, i : u64, x : val",
          "slice_ro[n](s, vs) ∗ ⌜nth(vs, i) = Some(x)⌝", "slice_get(#s, #i)", "", "x", "emp",
          source="Goose wp_SliceGet on a read-only slice"),
    axiom("slice_set", "n : nat, s : val, vs : list val, i : u64, v : val",
          "slice[n](s, vs) ∗ ⌜i < len(vs)⌝", "slice_set(#s, #i, #v)", "", "()",
          "slice[n](s, update(vs, i, v))", source="Goose wp_SliceSet"),
    axiom("slice_append", "n : nat, s : val, vs : list val, v : val",
          f"slice[n](s, vs) ∗ ⌜len(vs) + 1 ≤ {MAX_LEN}⌝",
          "slice_append(#s, #v)", "s2 : val", "s2", "slice[n](s2, vs ++ [v])",
          source="Goose wp_SliceAppend (Go's growslice panics above 2^48 bytes)"),
    axiom("slice_append_slice", "n : nat, s : val, vs : list val, t : val, ws : list val",
          f"slice[n](s, vs) ∗ slice[n](t, ws) ∗ ⌜len(vs) + len(ws) ≤ {MAX_LEN}⌝",
          "slice_append_slice(#s, #t)", "s2 : val", "s2",
          "slice[n](s2, vs ++ ws) ∗ slice[n](t, ws)",
          source="Goose wp_SliceAppendSlice (append(s, t...); t is not changed; Go's growslice "
                 "panics above 2^48 bytes)"),
    axiom("slice_append_slice_ro", "n : nat, s : val, vs : list val, t : val, ws : list val",
          f"slice[n](s, vs) ∗ slice_ro[n](t, ws) ∗ ⌜len(vs) + len(ws) ≤ {MAX_LEN}⌝",
          "slice_append_slice(#s, #t)", "s2 : val", "s2", "slice[n](s2, vs ++ ws)",
          source="Goose wp_SliceAppendSlice from a read-only slice (growslice's bound)"),
    axiom("slice_sub_ro", "n : nat, s : val, vs : list val, lo : u64, hi : u64",
          "slice_ro[n](s, vs) ∗ ⌜lo ≤ hi ∧ hi ≤ len(vs)⌝", "slice_sub(#s, #lo, #hi)", "s2 : val",
          "s2", "slice_ro[n](s2, sublist(vs, lo, hi - lo))",
          source="Goose wp_SliceSubslice on a read-only slice (s[lo:hi] within its length; Go "
                 "allows up to its capacity, whose contents the logic does not know)"),
    # a slice value's length is that of the list it holds (slice_len is a pure step)
    axiom("slice_len_eq", "n : nat, s : val, vs : list val", "slice[n](s, vs)", None, "", "()",
          "slice[n](s, vs) ∗ ⌜slice_len(s) = len(vs)⌝", source="Goose wp_SliceLen"),
    axiom("slice_ro_len_eq", "n : nat, s : val, vs : list val", "slice_ro[n](s, vs)", None, "",
          "()", "⌜slice_len(s) = len(vs)⌝", source="Goose wp_SliceLen (read-only slice)"),
    axiom("slice_nil", "n : nat", "emp", None, "", "()", "slice[n](nil(), [])",
          source="Goose: the nil slice holds nothing (length and capacity 0)"),
    axiom("heap_load_ro", "n : nat, l : loc, v : val", "ro[n](l, v)", "!#l", "", "v", "emp",
          source="GooseLang wp_load with a discarded fraction"),
    axiom("heap_freeze", "n : nat, l : loc, v : val", "l ↦[n] v", None, "", "()", "ro[n](l, v)",
          source="Iris mapsto_persist (discard the fraction)"),
    axiom("slice_freeze", "n : nat, s : val, vs : list val", "slice[n](s, vs)", None, "", "()",
          "slice_ro[n](s, vs)", source="Goose slice readonly (discard the fraction)"),
]


def install(kernel) -> None:
    from .shipped import axioms
    for ax in axioms(AXIOMS):
        kernel.add_axiom(ax, when_used=True)      # checked when a rule first uses it
