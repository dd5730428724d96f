"""Semantics: the core language's primitives as named axioms (trusted, listed by
``Print Assumptions``), and an executable interpreter of the same semantics."""


def install_all(kernel) -> None:
    """Declare every semantics' axioms in ``kernel``."""
    from . import disk, filesys, heap, slices, strconv, twodisk
    heap.install(kernel)
    slices.install(kernel)
    disk.install(kernel)         # defines zero_bytes(), which twodisk's initial state uses
    twodisk.install(kernel)
    filesys.install(kernel)
    strconv.install(kernel)


# Ranges of the semantics' parameters that an axiom makes facts of the machine, as the printed
# meaning of a refinement states them (driver/meaning.py): initial-state predicate ->
# (condition, the axiom that gives it).  tests/test_theories_ranges.py checks each against its
# axiom.
PARAM_RANGES = {"twodisk_init": ("N ≤ 34359738368", "twodisk_size_bound")}
