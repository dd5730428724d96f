"""Symbolic execution tactics (the ``wp_*`` family of Iris's heap_lang proof mode)."""
from __future__ import annotations

from kernel.program import decompose
from kernel.rules import sep_spine
from seplogic.syntax import (
    AVar, App, Atom, Call, Exists, Forall, If, Inv, Persistently, Pure, Sep, Val, Var, Wand,
    WP, alpha_eq, avars, fv, subst,
)
from .basic import (
    destruct, drop, frame, head_unfold, intro_pat, only, spat_indices, try_close,
)
from .match import match
from .patterns import PList, PName, PPers, PPure, parse_patterns
from .state import Goal, TacticError


def wp_goal(g: Goal) -> WP:
    a = g.seq.goal
    if type(a) is not WP:
        raise TacticError("the goal is not a weakest precondition", g)
    return a


def focus_redex(g: Goal) -> Goal:
    """Bind so that the head redex is the whole program."""
    w = wp_goal(g)
    d = decompose(w.expr)
    if d is None:
        raise TacticError("the program is a value or stuck", g)
    if d[0] is w.expr:
        return g
    (g,) = g.step("wp_bind", (g.fresh("x"),))
    return g


def wp_value(g: Goal) -> list:
    w = wp_goal(g)
    if type(w.expr) is not Val:
        raise TacticError("the program is not a value", g)
    return g.step("wp_value", ())


def wp_pures(g: Goal) -> list:
    """Take pure steps (not into calls) until an effectful or symbolic step; finish with
    wp_value when the program is a value."""
    while True:
        a = g.seq.goal
        if type(a) is not WP:
            return [g]
        if type(a.expr) is Val:
            (g,) = g.step("wp_value", ())
            return [g]
        d = decompose(a.expr)
        if d is None or type(d[0]) is Call:
            return [g]
        if type(d[0]) is If and type(d[0].cond) is Val and not (
                type(d[0].cond.term).__name__ == "Lit"):
            return [g]
        try:
            (g,) = g.step("wp_pure", ())
        except TacticError:
            return [g]


def wp_call(g: Goal) -> list:
    w = wp_goal(g)
    d = decompose(w.expr)
    if d is None or type(d[0]) is not Call:
        raise TacticError("the next step is not a function call", g)
    return g.step("wp_pure", ())


def wp_if(g: Goal, name: str | None) -> list:
    out = []
    for sub in g.step("wp_if", ()):
        fn = name or sub.fresh("Hc")
        out.append(Goal(sub.seq, sub.snames, sub.pnames, sub.fnames[:-1] + (fn,),
                        sub.hole, sub.kernel))
    return out


# ---- using axioms and specs -------------------------------------------------------------------

def _match_pre(g: Goal, pre, metas, sub):
    """Extend ``sub`` by matching the precondition's conjuncts against hypotheses.  Returns
    (sub, spatial indices used) or None."""
    used = []
    for conj in sep_spine(pre):
        c = subst(conj, {k: v for k, v in sub.items() if not isinstance(v, type(pre)) and
                         k in metas and not isinstance(v, (AVar,))})
        if type(conj) is Pure:
            continue
        found = False
        for kind, hyps in (("s", g.seq.spat), ("p", g.seq.pers)):
            for i, h in enumerate(hyps):
                if kind == "s" and i in used:
                    continue
                s2 = match(conj, h, metas, sub)
                if s2 is not None:
                    sub = s2
                    if kind == "s":
                        used.append(i)
                    found = True
                    break
            if found:
                break
        if not found:
            return None
    return sub, used


def _post_pattern(g: Goal, post, consumed: dict) -> str:
    """A default intro pattern for a postcondition: a conjunct that is an atom with the same
    kind and key as a consumed hypothesis gets that hypothesis's name back."""
    parts = sep_spine(post)
    if not parts:
        return "_"
    names = []
    for p in parts:
        if type(p) is Pure:
            names.append("%" + g.fresh("Hp"))
        elif g.kernel.persistent(p):
            names.append("#" + g.fresh("H"))
        else:
            n = next((nm for nm, h in consumed.items() if type(h) is Atom and type(p) is Atom
                      and h.kind == p.kind and alpha_eq(h.args[0], p.args[0])), None)
            names.append(n or "?")
    return names[0] if len(names) == 1 else "[" + " ".join(names) + "]"


def wp_step(g: Goal, pattern: str | None, extra: dict) -> list:
    """Execute the head redex with the first semantics axiom whose program matches and whose
    precondition the hypotheses provide."""
    g = focus_redex(g)
    w = wp_goal(g)
    k = g.kernel
    tried = []
    for ax in k.axioms.values():
        metas = frozenset(n for n, _ in ax.params)
        sub = match(ax.expr, w.expr, metas, {ax.version: w.version})
        if sub is None:
            continue
        tried.append(ax.name)
        for n, v in extra.items():
            sub.setdefault(n, v)
        m = _match_pre(g, ax.pre, metas, sub)
        if m is None:
            continue
        sub, used = m
        if set(sub) != metas:
            continue
        pure_pre = [c for c in sep_spine(subst(ax.pre, {n: v for n, v in sub.items()
                                                        if not _is_prop(ax, n)},
                                             {n: v for n, v in sub.items() if _is_prop(ax, n)}))
                    if type(c) is Pure]
        if not all(k.entails(g.seq, c.term) for c in pure_pre):
            continue
        inst = tuple((n, sub[n]) for n, _ in ax.params)
        consumed = {g.snames[i]: g.seq.spat[i] for i in used}
        (g2,) = g.step("wp_axiom", (ax.name, inst))
        pre_goal, cont = g2.step("sep_intro", (tuple(used),), [
            {"snames": only(g2.snames, used)}, {"snames": drop(g2.snames, used)}])
        rest = frame(pre_goal, auto_exists=True)
        if rest:
            raise TacticError(f"{ax.name}: cannot establish the precondition", rest[0])
        post = cont.seq.goal
        while type(post) is Forall:
            (cont,) = intro_pat(cont, PName(cont.fresh(post.var)))
            post = cont.seq.goal
        pat = pattern or _post_pattern(cont, post.left, consumed)
        return [h for p in parse_patterns(pat) for h in intro_pat(cont, p)]
    if not tried:
        raise TacticError("no axiom of the semantics is about this step", g)
    raise TacticError(f"the hypotheses do not give the precondition of {', '.join(tried)}", g)


def _is_prop(ax, n) -> bool:
    return dict(ax.params)[n].name == "iProp"


def _peel(stmt):
    """``∀ xs. □? (P -∗ WP ...)`` → (xs, P, WP)."""
    xs = []
    while type(stmt) is Forall:
        xs.append((stmt.var, stmt.sort))
        stmt = stmt.body
    if type(stmt) is Persistently:
        stmt = stmt.body
    if type(stmt) is Wand and type(stmt.right) is WP:
        return xs, stmt.left, stmt.right
    if type(stmt) is WP:
        return xs, None, stmt
    return None


def wp_apply(g: Goal, spec: str, is_theorem: bool, with_names, pattern: str | None) -> list:
    """Use a triple ``∀xs. {P} e {v. Q}`` (a theorem or a hypothesis) for the head redex."""
    k = g.kernel
    g = focus_redex(g)
    w = wp_goal(g)
    if is_theorem:
        if spec not in k.theorems:
            raise TacticError(f"unknown theorem {spec}", g)
        stmt = k.theorems[spec].statement
    else:
        stmt = g.hyp(g.find(spec))
    peeled = _peel(stmt)
    if peeled is None:
        raise TacticError(f"{spec} is not a triple ∀xs. {{P}} e {{v. Q}}", g)
    xs, pre, wp = peeled
    # rename binders apart from the goal's names so matching cannot confuse them
    metas = frozenset(n for n, _ in xs) | avars(stmt)
    sub = match(wp.expr, w.expr, metas, {})
    if sub is None:
        raise TacticError(f"{spec} is about another program", g)
    if wp.version in () or type(wp.version) is Var and wp.version.name in metas:
        sub.setdefault(wp.version.name, w.version)
    used = []
    if pre is not None:
        if with_names is not None:
            used = list(spat_indices(g, with_names))
            for i in used:
                for conj in sep_spine(pre):
                    s2 = match(conj, g.seq.spat[i], metas, sub)
                    if s2 is not None:
                        sub = s2
                        break
            m = _match_pre(g, pre, metas, sub)
            if m is not None:
                sub = m[0]
        else:
            m = _match_pre(g, pre, metas, sub)
            if m is None:
                raise TacticError(f"the hypotheses do not give the precondition of {spec}; "
                                  f"name them with `with`", g)
            sub, used = m
    missing = [n for n, _ in xs if n not in sub] + sorted(a for a in avars(stmt) if a not in sub)
    if missing:
        raise TacticError(f"cannot infer {', '.join(missing)} for {spec}", g)
    # bring the instantiated spec into the spatial context as H
    hname = g.fresh("Hspec")
    if is_theorem:
        inst = tuple((a, sub[a]) for a in sorted(avars(stmt)))
        (g,) = g.step("use_theorem", (spec, inst), [{"pnames": g.pnames + (hname,)}])
        ref = ("p", len(g.seq.pers) - 1)
    else:
        ref = g.find(spec)
    if ref[0] == "p":
        (g,) = g.step("pers_copy", (ref[1],), [{"snames": g.snames + (hname,)}])
    else:
        g = Goal(g.seq, tuple(hname if n == spec else n for n in g.snames), g.pnames, g.fnames,
                 g.hole, g.kernel)
    for x, _ in xs:
        (g,) = g.step("forall_elim", (g.find(hname), sub[x]))
    side = []
    if pre is not None:
        g, a = head_unfold(g, g.find(hname))
        if type(a) is Persistently:
            i = g.find(hname)[1]
            (g,) = g.step("hyp_pers", (i,), [{"snames": drop(g.snames, [i]),
                                               "pnames": g.pnames + (hname,)}])
        ref = g.find(hname)
        idxs = tuple(used)
        drop_idxs = list(idxs) + ([ref[1]] if ref[0] == "s" else [])
        wpname = g.fresh("Hwp")
        prem, g = g.step("wand_elim", (ref, idxs), [
            {"snames": only(g.snames, idxs)},
            {"snames": drop(g.snames, drop_idxs) + (wpname,)}])
        side = frame(prem, auto_exists=True)
    else:
        wpname = hname
    i = g.find(wpname)[1]
    (g,) = g.step("wp_wand", (i,), [{"snames": drop(g.snames, [i])}])
    post = g.seq.goal
    (g,) = intro_pat(g, PName(g.fresh("v")))
    post = g.seq.goal
    pat = pattern or _post_pattern(g, post.left, {})
    main = [h for p in parse_patterns(pat) for h in intro_pat(g, p)]
    return side + main


def wp_loop(g: Goal, inv, names, hyp_name: str | None) -> list:
    g = focus_redex(g)
    (g,) = g.step("wp_loop", (inv,))
    idxs = spat_indices(g, names)
    first, second = g.step("sep_intro", (idxs,), [{"snames": only(g.snames, idxs)},
                                                  {"snames": drop(g.snames, idxs)}])
    side = frame(first, auto_exists=True)
    (second,) = second.step("pers_intro", (), [{"snames": ()}])
    out = [h for p in parse_patterns(hyp_name or "HI") for h in intro_pat(second, p)]
    return side + out


def wp_fork(g: Goal, names) -> list:
    g = focus_redex(g)
    idxs = spat_indices(g, names)
    return g.step("wp_fork", (idxs,), [{"snames": only(g.snames, idxs)},
                                       {"snames": drop(g.snames, idxs)}])


def inv_open(g: Goal, name: str, pattern: str | None) -> list:
    g = focus_redex(g)
    kind, j = g.find(name)
    if kind != "p":
        raise TacticError(f"{name} is not a persistent hypothesis", g)
    tmp = g.fresh("_inv")
    (g,) = g.step("wp_inv_open", (j,), [{"snames": g.snames + (tmp,)}])
    pats = parse_patterns(pattern) if pattern else [PName(g.fresh("Hi"))]
    return destruct(g, tmp, pats[0] if len(pats) == 1 else PList(tuple(pats)))


def inv_alloc(g: Goal, name: str, inv_name: str, as_name: str | None) -> list:
    wp_goal(g)
    kind, i = g.find(name)
    if kind != "s":
        raise TacticError(f"{name} is not spatial", g)
    return g.step("wp_inv_alloc", (i, inv_name), [
        {"snames": drop(g.snames, [i]), "pnames": g.pnames + (as_name or name,)}])


def tok_alloc(g: Goal, var: str, name: str) -> list:
    wp_goal(g)
    if var in g.all_names():
        raise TacticError(f"name {var} is already used", g)
    return g.step("wp_tok_alloc", (var,), [{"snames": g.snames + (name,)}])
