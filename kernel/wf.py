"""Shape checks on data handed to the kernel.

Tactics are untrusted and Python cannot hide constructors, so before the kernel looks at a term,
program or assertion it checks that every node is *exactly* one of the syntax classes (no
subclass could override ``__eq__``), that fields have the expected types, and that built-in
operators, primitives and atoms are used with their arity.
"""
from __future__ import annotations

from seplogic.syntax import (
    ATOM_KINDS, PRIM_OPS, TERM_OPS, AVar, And, App, Atom, BigSep, Call, Emp, EVar, Exists,
    Forall, Fork, If, Inv, IsLock, Let, Lit, Loop, Or, Persistently, PredApp, Prim, Pure, Sep,
    Sort, Val, Var, Wand, WP,
)


class KernelError(Exception):
    """A derivation (or definition) the kernel refuses, with the reason."""


def _name(x) -> bool:
    return type(x) is str and x != ""


def sort_ok(s) -> bool:
    return type(s) is Sort and _name(s.name) and type(s.args) is tuple and all(map(sort_ok, s.args))


_LIT_KINDS = {"int": int, "bool": bool, "string": str, "unit": type(None)}


def term_ok(t) -> bool:
    tp = type(t)
    if tp is Var:
        return _name(t.name)
    if tp is Lit:
        want = _LIT_KINDS.get(t.kind)
        return want is not None and type(t.value) is want
    if tp is App:
        if not (_name(t.op) and type(t.args) is tuple):
            return False
        arity = TERM_OPS.get(t.op, None)
        if t.op in TERM_OPS and arity is not None and arity != len(t.args):
            return False
        return all(term_ok(a) for a in t.args)
    return False


def expr_ok(e) -> bool:
    tp = type(e)
    if tp is Val:
        return term_ok(e.term)
    if tp is EVar:
        return _name(e.name)
    if tp is Let:
        return _name(e.name) and expr_ok(e.bound) and expr_ok(e.body)
    if tp is If:
        return expr_ok(e.cond) and expr_ok(e.then) and expr_ok(e.els)
    if tp is Call:
        return _name(e.func) and type(e.args) is tuple and all(expr_ok(a) for a in e.args)
    if tp is Prim:
        return (PRIM_OPS.get(e.op) == len(e.args) if type(e.args) is tuple else False) and all(
            expr_ok(a) for a in e.args)
    if tp in (Fork, Loop):
        return expr_ok(e.body)
    return False


def assertion_ok(a) -> bool:
    tp = type(a)
    if tp is Pure:
        return term_ok(a.term)
    if tp is Emp:
        return True
    if tp is AVar:
        return _name(a.name)
    if tp in (Sep, Wand, And, Or):
        return assertion_ok(a.left) and assertion_ok(a.right)
    if tp in (Exists, Forall):
        return _name(a.var) and sort_ok(a.sort) and assertion_ok(a.body)
    if tp is Persistently:
        return assertion_ok(a.body)
    if tp is BigSep:
        n = {"set": 1, "map": 2}.get(a.kind)
        return (type(a.vars) is tuple and len(a.vars) == n and all(map(_name, a.vars))
                and term_ok(a.coll) and assertion_ok(a.body))
    if tp is Atom:
        spec = ATOM_KINDS.get(a.kind)
        return (spec is not None and type(a.args) is tuple and len(a.args) == spec[0]
                and all(term_ok(t) for t in a.args))
    if tp is Inv:
        return _name(a.name) and assertion_ok(a.body)
    if tp is IsLock:
        return term_ok(a.lock) and assertion_ok(a.body)
    if tp is PredApp:
        return _name(a.name) and type(a.args) is tuple and all(
            term_ok(x) or assertion_ok(x) for x in a.args)
    if tp is WP:
        return (term_ok(a.version) and type(a.opened) is tuple and all(map(_name, a.opened))
                and list(a.opened) == sorted(set(a.opened)) and expr_ok(a.expr)
                and _name(a.var) and assertion_ok(a.post))
    return False


def need(cond: bool, msg: str) -> None:
    if not cond:
        raise KernelError(msg)


def need_term(t, what="term"):
    if not (term_ok(t)):
        raise KernelError(f"malformed {what}: {t!r}")
    return t


def need_assertion(a, what="assertion"):
    if not (assertion_ok(a)):
        raise KernelError(f"malformed {what}: {a!r}")
    return a


def need_expr(e, what="program"):
    if not (expr_ok(e)):
        raise KernelError(f"malformed {what}: {e!r}")
    return e


def need_sort(s, what="sort"):
    if not (sort_ok(s)):
        raise KernelError(f"malformed {what}: {s!r}")
    return s


def need_int(i, what="index"):
    if not (type(i) is int and i >= 0):
        raise KernelError(f"{what} must be a natural number, got {i!r}")
    return i


def need_name(x, what="name"):
    if not (_name(x)):
        raise KernelError(f"{what} must be a non-empty string, got {x!r}")
    return x
