"""Go types as far as the translator needs them: to choose the primitive for an operation
(`len` of a slice, a map or a string; `+` on numbers or strings; byte arithmetic that wraps at
256), to lay out structs, and to build zero values.

A defined type (``type Id uint64``) and an alias (``type Block = []byte``) both stand for their
underlying type to ``==`` (which picks the primitives); a defined basic, slice, map or pointer
type also keeps its name, which `identical` and `assignable` compare, as Go's type checker
does.  Struct types are compared by identity (they may be recursive through pointers); a
struct type keeps its name for messages.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace


class Type:
    __slots__ = ()


@dataclass(frozen=True)
class Basic(Type):
    """``uint64``, ``byte``, ``bool``, ``string``, ``int`` (only as the result of ``len`` and the
    index of a range over a slice) and the untyped constant kinds ``untyped int``,
    ``untyped bool``, ``untyped string``, ``untyped nil``.  ``defined`` is the name of a defined
    type over it (``type T uint8``): shown in messages, ignored by ``==`` (the primitives are the
    underlying type's), compared by `identical`."""
    name: str
    defined: str = field(default=None, compare=False)

    def __str__(self):
        return self.defined or self.name


@dataclass(frozen=True)
class SliceT(Type):
    elem: Type
    defined: str = field(default=None, compare=False)     # as Basic's

    def __str__(self):
        return self.defined or f"[]{self.elem}"


@dataclass(frozen=True)
class MapT(Type):
    key: Type
    val: Type
    defined: str = field(default=None, compare=False)

    def __str__(self):
        return self.defined or f"map[{self.key}]{self.val}"


@dataclass(frozen=True)
class PtrT(Type):
    elem: Type
    defined: str = field(default=None, compare=False)

    def __str__(self):
        return self.defined or f"*{self.elem}"


class StructT(Type):
    """A struct type; ``fields`` is filled in after creation (recursive types)."""
    __slots__ = ("name", "fields")

    def __init__(self, name: str, fields=None):
        self.name = name
        self.fields: list = fields if fields is not None else []   # [(name, Type)]

    def index(self, field: str):
        for i, (f, _) in enumerate(self.fields):
            if f == field:
                return i
        return None

    def __str__(self):
        return self.name or "struct{...}"

    def __repr__(self):
        return f"StructT({self.name!r})"


@dataclass(frozen=True)
class MutexT(Type):
    def __str__(self):
        return "sync.Mutex"


@dataclass(frozen=True)
class TupleT(Type):
    """The results of a call returning several values."""
    elems: tuple

    def __str__(self):
        return "(" + ", ".join(map(str, self.elems)) + ")"


@dataclass(frozen=True)
class FuncT(Type):
    params: tuple
    results: tuple

    def __str__(self):
        return f"func({', '.join(map(str, self.params))})"


UINT64 = Basic("uint64")
BYTE = Basic("byte")
BOOL = Basic("bool")
STRING = Basic("string")
INT = Basic("int")
UNTYPED_INT = Basic("untyped int")
UNTYPED_BOOL = Basic("untyped bool")
UNTYPED_STRING = Basic("untyped string")
UNTYPED_NIL = Basic("untyped nil")
UNIT = TupleT(())
MUTEX = MutexT()

INTEGERS = (UINT64, BYTE, INT, UNTYPED_INT)
BASIC_NAMES = {"uint64": UINT64, "byte": BYTE, "uint8": BYTE, "bool": BOOL, "string": STRING}
# Go's other predeclared types: named in "... is not supported" messages.
UNSUPPORTED_BASIC = {"int", "int8", "int16", "int32", "int64", "uint", "uint16", "uint32",
                     "uintptr", "float32", "float64", "complex64", "complex128", "rune", "error",
                     "any"}


_NAMEABLE = (Basic, SliceT, MapT, PtrT)


def defined_as(t, name: str):
    """The type of ``type name t``: a basic, slice, map or pointer ``t`` keeps ``name``
    (messages, `identical`; a defined struct type is the struct's)."""
    return replace(t, defined=name) if isinstance(t, _NAMEABLE) else t


def identical(a, b) -> bool:
    """Go's type identity, as far as the translation keeps names: basic, slice, map and
    pointer types with their defined names, then element-wise; struct types by declaration
    (``type T S`` of a struct S stands for S)."""
    if getattr(a, "defined", None) != getattr(b, "defined", None):
        return False
    if isinstance(a, Basic) or isinstance(b, Basic):
        return a == b
    if type(a) is not type(b):
        return False
    if isinstance(a, SliceT) or isinstance(a, PtrT):
        return identical(a.elem, b.elem)
    if isinstance(a, MapT):
        return identical(a.key, b.key) and identical(a.val, b.val)
    if isinstance(a, StructT) and a is not b and not (a.name and b.name):
        # an anonymous struct type: the same fields (assignable to and from a named one)
        return len(a.fields) == len(b.fields) and all(
            fa == fb and identical(ta, tb) for (fa, ta), (fb, tb) in zip(a.fields, b.fields))
    return a == b


def assignable(v, t) -> bool:
    """A typed value of type ``v`` may be used as a ``t`` (Go's assignability; untyped
    constants and nil are checked where they are converted): identical types, or a slice,
    map or pointer type and a defined one over it.  A plain ``bool`` passes to a defined
    boolean type: the translation types comparisons as ``bool``, Go as untyped."""
    if is_untyped(v) or identical(v, t):
        return True
    if isinstance(v, _NAMEABLE[1:]) and (v.defined is None or t.defined is None):
        return identical(replace(v, defined=None), replace(t, defined=None)) \
            if type(v) is type(t) else False
    return v == BOOL and v.defined is None and same_kind(t) == "bool"


def incomparable(t):
    """Why values of ``t`` cannot be compared with ``==`` in Go (None if they can): a slice,
    a map or a function, or a struct with such a field."""
    if isinstance(t, SliceT):
        return "slice"
    if isinstance(t, MapT):
        return "map"
    if isinstance(t, FuncT):
        return "func"
    if isinstance(t, StructT):
        for _, ft in t.fields:
            if incomparable(ft) is not None:
                return f"struct containing {ft}"
    return None


def is_integer(t) -> bool:
    return t in INTEGERS


def is_untyped(t) -> bool:
    return isinstance(t, Basic) and t.name.startswith("untyped")


def default_type(t):
    """The type an untyped constant gets in a declaration (Go's default types)."""
    return {UNTYPED_INT: INT, UNTYPED_BOOL: BOOL, UNTYPED_STRING: STRING}.get(t, t)


def same_kind(t) -> str:
    """A coarse classification used to pick primitives."""
    if t in (UINT64, BYTE, INT, UNTYPED_INT):
        return "int"
    if t in (BOOL, UNTYPED_BOOL):
        return "bool"
    if t in (STRING, UNTYPED_STRING):
        return "string"
    if isinstance(t, SliceT):
        return "slice"
    if isinstance(t, MapT):
        return "map"
    if isinstance(t, PtrT):
        return "ptr"
    if isinstance(t, StructT):
        return "struct"
    return "other"


# The largest slice element pv goose accepts, in bytes: with at most 2^40 elements a slice (the
# core language's bound, theories/slices.py MAX_LEN) then stays far enough below Go's 2^48-byte
# allocation limit that make and append never panic where the axioms let them run.
MAX_ELEM_SIZE = 64


def size_align(t) -> tuple:
    """Go's unsafe.Sizeof and unsafe.Alignof of a type on linux/amd64 (gc's layout: fields in
    order, each at a multiple of its alignment, the size rounded up to the struct's)."""
    if t in (BYTE, BOOL):
        return 1, 1
    if t in (UINT64, INT):
        return 8, 8
    if t == STRING:
        return 16, 8
    if isinstance(t, SliceT):
        return 24, 8
    if isinstance(t, (MapT, PtrT)):
        return 8, 8
    if isinstance(t, MutexT):
        return 8, 4
    if isinstance(t, StructT):
        off, align = 0, 1
        for _, ft in t.fields:
            size, a = size_align(ft)
            off = -(-off // a) * a + size
            align = max(align, a)
        return -(-off // align) * align, align
    raise ValueError(f"no layout for {t}")
