"""Core-language terms the translation builds, and what it knows about them (which are
unit-valued, effect-free or total), so that the output stays small without changing meaning."""
from __future__ import annotations

from seplogic.syntax import Call, EVar, Fork, If, Let, Lit, Prim, Val, App


UNIT_V = Val(Lit("unit", None))
TRUE_V = Val(Lit("bool", True))
FALSE_V = Val(Lit("bool", False))
CONTINUE_V = Val(App("continue", ()))
MAX_U64 = 2 ** 64 - 1


def vint(n: int) -> Val:
    return Val(Lit("int", n))


def pair(a, b):
    return Prim("pair", (a, b))


def fst(e):
    return Prim("fst", (e,))


def snd(e):
    return Prim("snd", (e,))


def brk(e):
    return Prim("break", (e,))


def seq(a, b):
    """``a;; b``, dropping a final ``()`` after a unit-valued ``a``."""
    if b == UNIT_V and _unit_valued(a):
        return a
    return Let("_", a, b)


# primitives whose value is always ()
_UNIT_PRIMS = frozenset({"store", "atomic_store", "release", "acquire", "slice_set", "map_insert",
                         "map_delete", "write", "disk_write", "fs_append_rest", "fs_close",
                         "fs_delete"})
# primitives that do not write to the heap or the outside world (safe to reorder / drop)
_READ_ONLY = frozenset({
    "add", "sub", "mul", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "not", "pair", "fst",
    "snd", "some", "load", "nil", "slice_len", "slice_cap", "slice_get", "map_get", "map_len",
    "string_len", "string_concat", "string_from_bytes",
})
# primitives that cannot get stuck on well-typed arguments and have no effect at all
_TOTAL_PURE = frozenset({"add", "sub", "mul", "eq", "ne", "lt", "le", "gt", "ge", "and", "or",
                         "not", "pair", "fst", "snd", "nil", "slice_len", "slice_cap",
                         "string_len", "string_concat"})


# pv names of the functions being translated that have no results (set by `Translator.run`)
_VOID: set = set()


def _unit_valued(e) -> bool:
    tp = type(e)
    if tp is Val:
        return e == UNIT_V
    if tp is Prim:
        return e.op in _UNIT_PRIMS
    if tp is Let:
        return _unit_valued(e.body)
    if tp is If:
        return _unit_valued(e.then) and _unit_valued(e.els)
    if tp is Fork:
        return True
    if tp is Call:
        return e.func in _VOID
    return False


def _simple(e) -> bool:
    """A value or a variable: evaluating it twice, or later, gives the same result."""
    return type(e) in (Val, EVar)


def _write_free(e) -> bool:
    tp = type(e)
    if tp in (Val, EVar):
        return True
    if tp is Prim:
        return e.op in _READ_ONLY and all(_write_free(a) for a in e.args)
    if tp is If:
        return _write_free(e.cond) and _write_free(e.then) and _write_free(e.els)
    return False


def _total(e) -> bool:
    """No effect and never stuck (so it may be evaluated eagerly: ``a && b`` as a primitive)."""
    tp = type(e)
    if tp in (Val, EVar):
        return True
    if tp is Prim:
        return e.op in _TOTAL_PURE and all(_total(a) for a in e.args)
    return False


def _below(e, n) -> bool:
    """``e`` is ``x % c`` with a constant ``0 < c <= n`` (so its value is below n)."""
    return (type(e) is Prim and e.op == "mod" and type(e.args[1]) is Val
            and e.args[1].term.kind == "int" and 0 < e.args[1].term.value <= n)


def _const_val(v):
    if isinstance(v, bool):
        return Val(Lit("bool", v))
    if isinstance(v, int):
        return Val(Lit("int", v))
    return Val(Lit("string", v))


def _tuple(vals):
    """Right-nested pairs without a terminator; one value is itself, none is ()."""
    if not vals:
        return UNIT_V
    out = vals[-1]
    for v in reversed(vals[:-1]):
        out = pair(v, out)
    return out


def _tuple_proj(e, n, i):
    """Component i of an n-tuple built by `_tuple`."""
    if n == 1:
        return e
    for _ in range(i):
        e = snd(e)
    return fst(e) if i < n - 1 else e


def _proj(e, st, i):
    return _tuple_proj(e, len(st.fields), i)


def _upd(c, st, i, v):
    """The struct ``c`` (a simple expression or a load) with field i replaced by ``v``."""
    n = len(st.fields)
    return _tuple([v if j == i else _tuple_proj(c, n, j) for j in range(n)])


def _seq_all(es):
    if not es:
        return UNIT_V
    out = es[-1]
    for e in reversed(es[:-1]):
        out = seq(e, out)
    return out


def _value_like(e) -> bool:
    """Cheap, effect-free completion values (``()``, ``(0, ())``)."""
    if type(e) is Val:
        return True
    return type(e) is Prim and e.op == "pair" and all(_value_like(a) for a in e.args)
