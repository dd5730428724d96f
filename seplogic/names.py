"""The name scope that phrases are read in (modules; docs/syntax.md, Modules).

The kernel keys every user definition by its qualified name ``module.name``; which definition
a name written in a file means is decided by the scope of that file (its own definitions and
those of the modules it requires), outside the kernel.  The checker (driver/modules.py) sets
the scope of the file being checked here, so that what tactics parse later (``exists (f x)``,
``apply thm``) is resolved the same way, and so that goals print the short name of a definition
wherever the short name means it.  Without a scope (the default), names are taken as written
and printed qualified.
"""
from __future__ import annotations

from contextvars import ContextVar


class ScopeError(Exception):
    """A name that does not resolve (unknown, ambiguous, or of a module not required)."""

    def __init__(self, message: str, name: str = ""):
        super().__init__(message)
        self.message, self.name = message, name


# The scope object (driver.modules.Scope): ``resolve(kind, name) -> key``, ``resolve_syntax(x)``
# and ``display(key) -> str``.
SCOPE: ContextVar = ContextVar("pv_scope", default=None)


def resolve(kind: str, name: str) -> str:
    """The kernel key of ``name`` of ``kind`` (``thm``, ``spec``, ``pred``, ``term``,
    ``func``); raises ScopeError."""
    sc = SCOPE.get()
    return name if sc is None else sc.resolve(kind, name)


def resolve_syntax(x):
    """``x`` (a term, assertion or program) with its names resolved; raises ScopeError."""
    sc = SCOPE.get()
    return x if sc is None else sc.resolve_syntax(x)


def display(key: str) -> str:
    """How a goal prints the definition ``key``: its short name where that means it."""
    sc = SCOPE.get()
    return key if sc is None else sc.display(key)
