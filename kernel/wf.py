"""Shape checks on data handed to the kernel.

Tactics are untrusted and Python cannot hide constructors, so before the kernel looks at a term,
program or assertion it checks that every node is *exactly* one of the syntax classes (no
subclass could override ``__eq__``), that fields have the expected types, and that built-in
operators, primitives and atoms are used with their arity.  Every name is an identifier of the
parser's grammar (`seplogic.syntax.is_ident`), whichever way it came in, so a certificate can
hold no name that the parser could not read back as the same name.
"""
from __future__ import annotations

from itertools import repeat

from seplogic.syntax import (
    ATOM_CALLS, ATOM_KINDS, PRIM_OPS, TERM_OPS, AVar, And, App, Atom, BigSep, Call, Emp, EVar,
    Exists, Forall, Fork, If, Inv, IsLock, Let, Lit, Loop, Or, Persistently, PredApp, Prim, Pure,
    Sep, Sort, Val, Var, Wand, WP, is_ident, sort_arity,
)


_set_slot = object.__setattr__


class KernelError(Exception):
    """A derivation (or definition) the kernel refuses, with the reason."""


_name = is_ident


def unicode_text(s: str) -> bool:
    """Unicode text, no lone surrogates: a string literal is then its UTF-8 bytes (as a Go
    string is), and two literals are equal exactly when their bytes are."""
    try:
        s.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def sort_ok(s) -> bool:
    """A built-in sort at its arity, or a user type (`seplogic.syntax.sort_arity`); its name
    a str itself (a subclass's == could equal every sort)."""
    return (type(s) is Sort and type(s.name) is str and type(s.args) is tuple
            and sort_arity(s.name) == len(s.args) and all(map(sort_ok, s.args)))


_LIT_KINDS = {"int": int, "bool": bool, "string": str, "unit": type(None)}
_ARITY = {App: TERM_OPS, Prim: PRIM_OPS, Atom: ATOM_KINDS}   # built-in names -> arity
_KIND_VARS = {"set": 1, "map": 2}                            # big-∗ kind -> bound variables


def _args(x, item) -> bool:
    """``x.args`` is a tuple of items, of the arity its built-in name requires (App names
    outside `TERM_OPS` are user definitions of any arity, named by identifiers; Prim and Atom
    names must be known)."""
    name = x.op if type(x) is not Atom else x.kind
    if type(name) is not str or not (name in _ARITY[type(x)] or type(x) is App and _name(name)):
        return False
    n = _ARITY[type(x)].get(name, -1)
    n = n[0] if type(n) is tuple else n
    return ((n != -1 or type(x) is App) and type(x.args) is tuple
            and n in (-1, None, len(x.args)) and all(map(item, x.args)))


# class -> checks of its fields, in order: n name, t term, e program, a assertion, s sort,
# N names sorted without repeats.  The special cases below check the rest.
_FIELDS = {
    Var: "n", Val: "t", EVar: "n", Let: "nee", If: "eee", Fork: "e", Loop: "e",
    Pure: "t", Emp: "", AVar: "n", Sep: "aa", Wand: "aa", And: "aa", Or: "aa",
    Exists: "nsa", Forall: "nsa", Persistently: "a", Inv: "na", IsLock: "ta", WP: "tNena",
}


def _field(code, x) -> bool:
    if code == "N":
        return type(x) is tuple and all(map(_name, x)) and list(x) == sorted(set(x))
    return _CHECK[code](x)


def _node_ok(x, classes) -> bool:
    """x is a well-formed node of one of ``classes`` (exactly).  A node that passed is marked
    (its ``_wf`` slot; nodes are immutable, so it stays well-formed): a subterm shared by many
    statements and premises, or a derivation's argument checked when a tactic made the step
    and again at Qed, is checked once.  Only this function sets the mark, after the check; a
    decoded certificate's nodes are new objects without it."""
    tp = type(x)
    if tp not in classes:
        return False
    if getattr(x, "_wf", False):       # (a default: cheaper than an exception on new nodes)
        return True
    if _node_ok_now(x, tp):
        _set_slot(x, "_wf", True)
        return True
    return False


def _node_ok_now(x, tp) -> bool:
    if tp in _FIELDS:
        # (no generator: one on the stack per level makes each AttributeError raised below
        # -- a node's first question for its cached answer -- walk them all)
        return all(map(_field, _FIELDS[tp], map(getattr, repeat(x), tp.__slots__)))
    if tp is Lit:
        want = _LIT_KINDS.get(x.kind) if type(x.kind) is str else None
        return (want is not None and type(x.value) is want
                and (want is not str or unicode_text(x.value)))
    if tp in (App, Atom):
        return _args(x, term_ok)
    if tp is Prim:
        return _args(x, expr_ok)
    if tp is Call:
        return _name(x.func) and type(x.args) is tuple and all(map(expr_ok, x.args))
    if tp is BigSep:
        return (type(x.kind) is str and type(x.vars) is tuple
                and len(x.vars) == _KIND_VARS.get(x.kind) and all(map(_name, x.vars))
                and len(set(x.vars)) == len(x.vars) and term_ok(x.coll) and assertion_ok(x.body))
    return _name(x.name) and x.name not in ATOM_CALLS and type(x.args) is tuple and all(  # PredApp
        term_ok(y) or assertion_ok(y) for y in x.args)


def term_ok(t) -> bool:
    return _node_ok(t, (Var, Lit, App))


def expr_ok(e) -> bool:
    return _node_ok(e, (Val, EVar, Let, If, Call, Prim, Fork, Loop))


def assertion_ok(a) -> bool:
    return _node_ok(a, (Pure, Emp, AVar, Sep, Wand, And, Or, Exists, Forall, Persistently,
                        BigSep, Atom, Inv, IsLock, PredApp, WP))


_CHECK = {"n": _name, "t": term_ok, "e": expr_ok, "a": assertion_ok, "s": sort_ok}


def need(cond: bool, msg: str) -> None:
    if not cond:
        raise KernelError(msg)


def _needs(check, what):
    def need_it(x, what=what):
        if not check(x):        # the message (a repr of x) only when it fails
            raise KernelError(f"malformed {what}: {x!r}")
        return x
    return need_it


need_term = _needs(term_ok, "term")
need_assertion = _needs(assertion_ok, "assertion")
need_expr = _needs(expr_ok, "program")
need_sort = _needs(sort_ok, "sort")


def need_int(i, what="index"):
    need(type(i) is int and i >= 0, f"{what} must be a natural number, got {i!r}")
    return i


def need_name(x, what="name"):
    if not _name(x):
        raise KernelError(f"{what} must be an identifier (not a reserved word), got {x!r}")
    return x
