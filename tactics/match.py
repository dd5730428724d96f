"""First-order matching of terms, programs and assertions with metavariables.

Used to instantiate axioms, specs and hypotheses (``apply``, ``wp_apply``, framing).
Syntactic (up to renaming of bound variables), or, given ``eq``, up to terms that ``eq``
(the pure checker) shows equal where the pattern has no metavariable left; the kernel checks
the result anyway.
"""
from __future__ import annotations

from seplogic.syntax import (
    AVar, And, App, Atom, BigSep, Call, Emp, EVar, Exists, Forall, Fork, If, Inv, IsLock, Let,
    Lit, Loop, Or, Persistently, PredApp, Prim, Pure, Sep, Val, Var, Wand, WP, fv,
)


def match(pat, tgt, metas: frozenset, sub: dict | None = None, eq=None) -> dict | None:
    """A substitution ``s`` over ``metas`` with ``pat[s] == tgt`` (up to α), or None.  With
    ``eq(a, b)``, a term of the pattern that differs from the target's is accepted when it has
    no metavariable left (after ``s``) and ``eq`` proves it equal to the target's."""
    sub = dict(sub or {})
    return sub if _m(pat, tgt, metas, sub, {}, eq) else None


_TERMS = (Var, App, Lit)


def _m(p, t, metas, sub, bmap, eq=None) -> bool:
    if eq is not None and type(p) in _TERMS and type(t) in _TERMS:
        snap = dict(sub)
        if _m1(p, t, metas, sub, bmap, None):       # syntactically, if it can be
            return True
        sub.clear()
        sub.update(snap)
        free = fv(p)
        if free & set(bmap) or fv(t) & set(bmap.values()):
            return False
        if (free & metas) - set(sub):      # metavariables left: match the arguments
            return _m1(p, t, metas, sub, bmap, eq)
        from seplogic.syntax import subst
        return bool(eq(subst(p, {x: sub[x] for x in free & metas}), t))
    return _m1(p, t, metas, sub, bmap, eq)


def _m1(p, t, metas, sub, bmap, eq) -> bool:
    tp = type(p)
    if tp is Var:
        if p.name in bmap:
            return type(t) is Var and t.name == bmap[p.name]
        if p.name in metas:
            if p.name in sub:
                from seplogic.syntax import alpha_eq
                return alpha_eq(sub[p.name], t)
            if fv(t) & set(bmap.values()):
                return False           # would capture a variable bound inside the pattern
            sub[p.name] = t
            return True
        return type(t) is Var and t.name == p.name and t.name not in bmap.values()
    if tp is AVar and p.name in metas:
        if p.name in sub:
            from seplogic.syntax import alpha_eq
            return alpha_eq(sub[p.name], t)
        if fv(t) & set(bmap.values()):
            return False
        sub[p.name] = t
        return True
    if tp is not type(t):
        return False
    if tp in (Lit, EVar, Emp, AVar):
        return p == t
    rec = lambda a, b, bm=bmap: _m(a, b, metas, sub, bm, eq)
    if tp in (App, Prim):
        return p.op == t.op and len(p.args) == len(t.args) and all(map(rec, p.args, t.args))
    if tp is Call:
        return p.func == t.func and len(p.args) == len(t.args) and all(map(rec, p.args, t.args))
    if tp is PredApp:
        return p.name == t.name and len(p.args) == len(t.args) and all(map(rec, p.args, t.args))
    if tp is Atom:
        return p.kind == t.kind and all(map(rec, p.args, t.args))
    if tp in (Val, Pure):
        return rec(p.term, t.term)
    if tp is Let:
        return p.name == t.name and rec(p.bound, t.bound) and rec(p.body, t.body)
    if tp is If:
        return rec(p.cond, t.cond) and rec(p.then, t.then) and rec(p.els, t.els)
    if tp in (Fork, Loop, Persistently):
        return rec(p.body, t.body)
    if tp in (Sep, Wand, And, Or):
        return rec(p.left, t.left) and rec(p.right, t.right)
    if tp in (Exists, Forall):
        return p.sort == t.sort and rec(p.body, t.body, {**bmap, p.var: t.var})
    if tp is BigSep:
        return (p.kind == t.kind and len(p.vars) == len(t.vars) and rec(p.coll, t.coll)
                and rec(p.body, t.body, {**bmap, **dict(zip(p.vars, t.vars))}))
    if tp is Inv:
        return p.name == t.name and rec(p.body, t.body)
    if tp is IsLock:
        return rec(p.lock, t.lock) and rec(p.body, t.body)
    if tp is WP:
        return (p.opened == t.opened and rec(p.version, t.version) and rec(p.expr, t.expr)
                and rec(p.post, t.post, {**bmap, p.var: t.var}))
    return False

