"""The core language's heap, lock and fork primitives as named axioms.

Each axiom is a Texan triple about one primitive applied to values, at version ``n`` (the
versioned heap of Perennial §5.2: a points-to is usable only in a triple of its version).
Plain loads and stores (``!l``, ``l <- v``: Go's ``*p``, ``*p = v``) and the sync/atomic
operations (``atomic_load``, ``atomic_store``, ``cas``: ``atomic.LoadUint64``, ``StoreUint64``,
``CompareAndSwapUint64``) have the same triples; they differ in atomicity (kernel/program.py):
only the atomic ones may run with the points-to inside an invariant.
``Print Assumptions`` lists the ones a theorem uses.  Fork, pure steps, loops and invariants are
kernel rules (`kernel/rules.py`), because they are not about one primitive's state change.
"""
from __future__ import annotations

from .axiom_dsl import axiom

HEAP_AXIOMS = [
    axiom("heap_alloc", "n : nat, v : val", "emp", "ref(#v)", "l : loc", "l", "l ↦[n] v",
          source="GooseLang wp_alloc (gen_heap_alloc at version n)"),
    axiom("heap_load", "n : nat, l : loc, v : val", "l ↦[n] v", "!#l", "", "v", "l ↦[n] v",
          source="GooseLang wp_load (non-atomic: StartRead/FinishRead)"),
    axiom("heap_store", "n : nat, l : loc, v : val, w : val", "l ↦[n] v", "#l <- #w", "",
          "()", "l ↦[n] w", source="GooseLang wp_store (non-atomic: PrepareWrite/FinishStore)"),
    axiom("heap_atomic_load", "n : nat, l : loc, v : val", "l ↦[n] v", "atomic_load(#l)", "",
          "v", "l ↦[n] v", source="GooseLang wp_load (an atomic Load; Go atomic.LoadUint64)"),
    axiom("heap_atomic_store", "n : nat, l : loc, v : val, w : val", "l ↦[n] v",
          "atomic_store(#l, #w)", "", "()", "l ↦[n] w",
          source="GooseLang wp_atomic_store (AtomicStore; Go atomic.StoreUint64)"),
    axiom("heap_cas_suc", "n : nat, l : loc, v : val, a : val, b : val",
          "l ↦[n] v ∗ ⌜v = a⌝", "cas(#l, #a, #b)", "", "true", "l ↦[n] b",
          source="GooseLang wp_cmpxchg_suc (comparable values)"),
    axiom("rand_u64", "n : nat", "emp", "rand_u64()", "x : u64", "x", "emp",
          source="Goose rand: any uint64"),
    axiom("heap_cas_fail", "n : nat, l : loc, v : val, a : val, b : val",
          "l ↦[n] v ∗ ⌜v ≠ a⌝", "cas(#l, #a, #b)", "", "false", "l ↦[n] v",
          source="GooseLang wp_cmpxchg_fail (comparable values)"),
]

# Locks are Goose primitives; their specs are Iris's spin_lock.v specs (newlock_spec,
# acquire_spec, release_spec), proven there from an invariant and an exclusive token -- the
# same proof proofs/bench/spin_lock.pv replays in pv.  They open the lock's own invariant, so
# they need the full mask.  R must be timeless (kernel._instantiate), as all invariant
# contents in pv.
LOCK_AXIOMS = [
    axiom("lock_new", "n : nat, R : iProp", "R", "newlock()", "lk : loc", "lk",
          "is_lock(lk, R)", needs_top=True, source="Iris spin_lock newlock_spec"),
    axiom("lock_acquire", "n : nat, lk : loc, R : iProp", "is_lock(lk, R)", "acquire(#lk)",
          "", "()", "R ∗ locked(lk)", needs_top=True, source="Iris spin_lock acquire_spec"),
    axiom("lock_release", "n : nat, lk : loc, R : iProp", "is_lock(lk, R) ∗ R ∗ locked(lk)",
          "release(#lk)", "", "()", "emp", needs_top=True,
          source="Iris spin_lock release_spec"),
]


AXIOMS = HEAP_AXIOMS + LOCK_AXIOMS


def install(kernel) -> None:
    from .shipped import axioms
    for ax in axioms(AXIOMS):
        kernel.add_axiom(ax, when_used=True)      # checked when a rule first uses it
