"""Semantics: the core language's primitives as named axioms (trusted, listed by
``Print Assumptions``), and an executable interpreter of the same semantics."""


def SEMANTICS() -> tuple:
    """The semantics modules, in the order they are installed."""
    from . import disk, filesys, heap, slices, strconv, twodisk
    # disk defines zero_bytes(), which twodisk's initial state uses
    return (heap, slices, disk, twodisk, filesys, strconv)


def install_all(kernel) -> None:
    """Declare every semantics' axioms in ``kernel`` (parsed once: theories/shipped.py)."""
    for mod in SEMANTICS():
        mod.install(kernel)


# Ranges of the semantics' parameters that an axiom makes facts of the machine, as the printed
# meaning of a refinement states them (driver/meaning.py): initial-state predicate ->
# (condition, the axiom that gives it).  tests/test_theories_ranges.py checks each against its
# axiom.
PARAM_RANGES = {"twodisk_init": ("N ≤ 34359738368", "twodisk_size_bound")}
