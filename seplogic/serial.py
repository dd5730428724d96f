"""JSON encoding of syntax and derivations, so that derivations can be written to disk and
re-checked by the kernel alone (``pv recheck``).

Syntax nodes become ``{"k": ClassName, "f": [fields...]}``, tuples become lists, and literals
stay JSON scalars (JSON keeps ``true`` apart from ``1``).  Decoding builds only the exact
classes of `seplogic.syntax`; anything else is an error.
"""
from __future__ import annotations

from . import syntax as S

_CLASSES = {c.__name__: c for c in (
    S.Sort, S.Var, S.Lit, S.App, S.Val, S.EVar, S.Let, S.If, S.Call, S.Prim, S.Fork, S.Loop,
    S.Pure, S.Emp, S.Sep, S.Wand, S.And, S.Or, S.Exists, S.Forall, S.Persistently, S.BigSep,
    S.Atom, S.Inv, S.IsLock, S.PredApp, S.AVar, S.WP)}

_ARITY = {c: len(c._fields) for c in _CLASSES.values()}


class SerialError(Exception):
    pass


def encode(x):
    if x is None or type(x) in (str, int, bool):
        return x
    if type(x) in (tuple, list):
        return [encode(y) for y in x]
    if type(x).__name__ in _CLASSES and _CLASSES[type(x).__name__] is type(x):
        return {"k": type(x).__name__,
                "f": [encode(getattr(x, f)) for f in x._fields]}
    raise SerialError(f"cannot encode {type(x).__name__}")


def decode(j, depth: int = 0):
    if depth > 10000:
        raise SerialError("nested too deeply")
    if j is None or type(j) in (str, int, bool):
        return j
    if type(j) is list:
        return tuple(decode(y, depth + 1) for y in j)
    if type(j) is dict and set(j) == {"k", "f"} and j["k"] in _CLASSES and type(j["f"]) is list:
        cls = _CLASSES[j["k"]]
        if len(j["f"]) != _ARITY[cls]:
            raise SerialError(f"{j['k']} has {_ARITY[cls]} fields")
        return cls(*[decode(y, depth + 1) for y in j["f"]])
    raise SerialError(f"not an encoded value: {str(j)[:60]}")
