"""Semantics: the core language's primitives as named axioms (trusted, listed by
``Print Assumptions``), and an executable interpreter of the same semantics."""


def install_all(kernel) -> None:
    """Declare every semantics' axioms in ``kernel``."""
    from . import disk, filesys, heap, slices, strconv, twodisk
    heap.install(kernel)
    slices.install(kernel)
    twodisk.install(kernel)
    disk.install(kernel)
    filesys.install(kernel)
    strconv.install(kernel)
