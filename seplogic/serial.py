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


# ---- shared encoding (the shipped axioms, theories/shipped.py) --------------------------------
# Many values at once as one table of distinct nodes: node ``i`` is ``[kind, field, ...]`` with
# kind a class name of `_CLASSES` or "tuple", and each field a JSON scalar or ``[j]``, node j
# (j < i).  Equal subterms are one node, decoded once and shared (nodes are immutable); the
# ~50 semantics axioms are ~600 distinct nodes against ~4,700 in `encode`'s trees.


class SharedEncoder:
    """``encode(x)`` adds ``x``'s nodes to ``nodes`` (once each) and returns its field form."""

    def __init__(self):
        self.nodes: list = []
        self._index: dict = {}
        self._done: dict = {}     # id -> (the object, kept alive so its id stays its, field)

    def encode(self, x):
        if x is None or type(x) in (str, int, bool):
            return x
        done = self._done.get(id(x))
        if done is not None and done[0] is x:   # the same object again (a derivation's steps
            return done[1]                      # share their terms): its node is known
        out = self._encode(x)
        if type(x) is not list:                 # (immutable: its encoding stays the same)
            self._done[id(x)] = (x, out)
        return out

    def _encode(self, x):
        if type(x) in (tuple, list):
            node = ["tuple"] + [self.encode(y) for y in x]
        elif type(x).__name__ in _CLASSES and _CLASSES[type(x).__name__] is type(x):
            node = [type(x).__name__] + [self.encode(getattr(x, f)) for f in x._fields]
        else:
            raise SerialError(f"cannot encode {type(x).__name__}")
        # typed: True and 1 (equal in Python) stay apart
        key = tuple((type(f).__name__, f[0] if type(f) is list else f) for f in node)
        i = self._index.get(key)
        if i is None:
            i = self._index[key] = len(self.nodes)
            self.nodes.append(node)
        return [i]


def decode_shared(nodes) -> list:
    """The values of a `SharedEncoder`'s ``nodes``, checked as `decode` checks a tree: only the
    exact classes, with their arity, and references to earlier nodes only."""
    if type(nodes) is not list:
        raise SerialError("not a node table")
    out: list = []
    for node in nodes:
        if not (type(node) is list and node and type(node[0]) is str):
            raise SerialError(f"not a node: {str(node)[:60]}")
        args = [shared_field(f, out) for f in node[1:]]
        kind = node[0]
        if kind == "tuple":
            out.append(tuple(args))
            continue
        cls = _CLASSES.get(kind)
        if cls is None:
            raise SerialError(f"not a node kind: {kind[:60]}")
        if len(args) != _ARITY[cls]:
            raise SerialError(f"{kind} has {_ARITY[cls]} fields")
        out.append(cls(*args))
    return out


def shared_field(f, table: list):
    """A field of the shared encoding: a scalar, or ``[i]`` for ``table[i]``."""
    if f is None or type(f) in (str, int, bool):
        return f
    if type(f) is list and len(f) == 1 and type(f[0]) is int and 0 <= f[0] < len(table):
        return table[f[0]]
    raise SerialError(f"not a field: {str(f)[:60]}")
