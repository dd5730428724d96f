"""What the translation knows about a package: its functions, types, constants and imports,
the local variables of a function, and the pv names that Go names may not take."""
from __future__ import annotations

from dataclasses import dataclass


def _reserved_words() -> frozenset:
    from seplogic import vocabulary as V
    from seplogic.parser import RESERVED
    return frozenset(RESERVED) | frozenset(V.KEYWORDS) | frozenset(V.COMMANDS) | \
        frozenset(V.TACTICALS) | {"set", "map", "T", "nil"}


_RESERVED = None


def reserved() -> frozenset:
    global _RESERVED
    if _RESERVED is None:
        _RESERVED = _reserved_words()
    return _RESERVED


@dataclass
class FuncInfo:
    name: str
    pv: str
    params: tuple      # types
    results: tuple     # types
    node: object
    path: str


@dataclass
class Var:
    go: str
    pv: str
    type: object
    mutable: bool


class _Import:
    def __init__(self, kind, pkg=None):
        self.kind = kind   # "sync" | "prim"
        self.pkg = pkg


class Package:
    def __init__(self, name):
        self.name = name
        self.types: dict = {}      # name -> Type (or a type node while resolving)
        self.consts: dict = {}     # name -> (value, Type)
        self.const_order: list = []
        self.funcs: dict = {}      # name -> FuncInfo
        self.idents: set = set()   # every identifier in the package (for fresh names)


class _NotYet(Exception):
    pass
