"""Using a ∀/wand statement, a hypothesis's or a theorem's: ``specialize`` instantiates its
∀s and discharges a wand premise with named hypotheses, ``apply`` (Iris's iApply) finds the ∀s
by matching its conclusion with the goal.  Both are derived from the kernel's forall_elim,
wand_elim, use_theorem and clear."""
from __future__ import annotations

from kernel.rules import sep_spine
from seplogic.syntax import Assertion, Forall, Persistently, Pure, Wand
from .basic import (destruct, drop, frame, head_unfold, only, pers_copy, pure_hyps_to_context,
                    rename, spat_indices, try_close, unfold_all)
from .match import match
from .patterns import PList, parse_patterns
from .state import Goal, TacticError


def specialize(g: Goal, name: str, arg_names, terms, pat: str | None = None) -> list:
    """Instantiate the ∀s of hypothesis ``name`` with ``terms``, then discharge one wand premise
    with the named spatial hypotheses; the result is destructed with ``pat`` (default: it takes
    the name, or a fresh one if ``name`` is persistent and stays).  Side goals come last."""
    ref = g.find(name)
    tmp = g.fresh("_sp")
    if ref[0] == "p":
        g = pers_copy(g, ref[1], tmp)
    else:
        g = rename(g, name, tmp)

    def current(g):
        ref = g.find(tmp)
        g, a = head_unfold(g, ref)
        if type(a) is Persistently and ref[0] == "s":      # □P: use it from Δ□
            (g,) = g.step("hyp_pers", (ref[1],), [{"snames": drop(g.snames, [ref[1]]),
                                                    "pnames": g.pnames + (tmp,)}])
            ref = g.find(tmp)
        return g, ref

    for t in terms:
        g, ref = current(g)
        (g,) = g.step("forall_elim", (ref, t))
    side = []
    if arg_names is not None:
        g, ref = current(g)
        idxs = spat_indices(g, arg_names)
        out = tmp if ref[0] == "s" else g.fresh("_sq")
        drop_idxs = list(idxs) + ([ref[1]] if ref[0] == "s" else [])
        prem, g = g.step("wand_elim", (ref, idxs), [
            {"snames": only(g.snames, idxs)}, {"snames": drop(g.snames, drop_idxs) + (out,)}])
        if ref[0] == "p":                                   # drop the persistent instance
            j = g.pnames.index(tmp)
            (g,) = g.step("clear", (("p", j),), [{"pnames": drop(g.pnames, [j])}])
            g = rename(g, out, tmp)
        side = frame(pure_hyps_to_context(prem), auto_exists=True)
    if pat:
        main = destruct(g, tmp, parse_patterns(pat)[0] if len(parse_patterns(pat)) == 1
                        else PList(tuple(parse_patterns(pat))))
    else:
        target = name if name not in g.all_names() else g.fresh(name)
        main = [rename(g, tmp, target)]
    return main + side


def apply(g: Goal, name: str, is_theorem: bool, arg_names) -> list:
    """Iris's iApply for ``∀xs. P -∗ Q`` (a theorem or a hypothesis) whose Q is the goal: the
    ∀s are found by matching Q with the goal and P's conjuncts with the named hypotheses; P is
    proven from those hypotheses by framing.  Unresolved ∀s are an error."""
    from seplogic.syntax import avars as _avars
    k = g.kernel
    if is_theorem and name not in k.theorems:
        from .suggest import did_you_mean
        raise TacticError(f"unknown theorem {name}{did_you_mean(name, k.theorems)}", g)
    stmt = k.theorems[name].statement if is_theorem else g.hyp(g.find(name))
    if not isinstance(stmt, Assertion):
        raise TacticError(f"{name} is a crash theorem (P ⇒[n] Q); it cannot be applied", g)
    xs = []
    while type(stmt) is Forall:
        xs.append(stmt.var)
        stmt = stmt.body
    if type(stmt) is Persistently:
        stmt = stmt.body
    pre, concl = (stmt.left, stmt.right) if type(stmt) is Wand else (None, stmt)
    metas = frozenset(xs)
    sub = match(concl, g.seq.goal, metas)
    if sub is None:
        sub = match(unfold_all(k, concl), unfold_all(k, g.seq.goal), metas)
    if sub is None:
        raise TacticError(f"the conclusion of {name} is not the goal", g)
    if pre is not None:
        hyps = [g.hyp(g.find(n)) for n in arg_names] + list(g.seq.pers)
        for conj in sep_spine(pre):
            if type(conj) is Pure:
                continue
            for h in hyps:
                s2 = match(conj, h, metas, sub)
                if s2 is not None:
                    sub = s2
                    break
    missing = [x for x in xs if x not in sub]
    if missing or _avars(stmt):
        what = ", ".join(missing) or "its assertion variables"
        raise TacticError(f"apply {name}: cannot infer {what}; use specialize", g)
    goals = specialize(g, name, arg_names if pre is not None else None,
                       [sub[x] for x in xs]) if not is_theorem else None
    if is_theorem:
        h = g.fresh("_" + name)
        (g,) = g.step("use_theorem", (name, ()), [{"pnames": g.pnames + (h,)}])
        goals = specialize(g, h, arg_names if pre is not None else None, [sub[x] for x in xs])
        goals = [x.step("clear", (("p", x.pnames.index(h)),),
                        [{"pnames": drop(x.pnames, [x.pnames.index(h)])}])[0]
                 if h in x.pnames else x for x in goals]
    main, side = goals[0], goals[1:]
    if not try_close(main):
        raise TacticError(f"apply {name}: the result does not close the goal", main)
    return side
