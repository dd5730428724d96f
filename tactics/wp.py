"""Symbolic execution tactics (the ``wp_*`` family of Iris's heap_lang proof mode)."""
from __future__ import annotations

import weakref

from seplogic.record import replace

from kernel.program import PURE_PRIMS, decompose
from kernel.rules import sep_spine
from seplogic.syntax import (
    FALSE, TRUE, App, Atom, Avoid, AVar, Call, Exists, Forall, Fork, If, Lit, Loop, Persistently,
    PredApp, Prim, Pure, Val, Var, Wand, WP, alpha_eq, avars, fv, subst,
)
from .basic import (
    _resources, destruct, drop, frame, head_unfold, intro_pat, only, pers_copy, pure_hyps_to_context,
    spat_indices,
)
from .equalities import _conjuncts, equalities
from .match import match
from .patterns import PList, PName, parse_patterns
from .display import one_line
from .state import Goal, TacticError, labelled


def wp_goal(g: Goal) -> WP:
    a = g.seq.goal
    if type(a) is not WP:
        raise TacticError("the goal is not a weakest precondition", g)
    return a


def focus_redex(g: Goal) -> Goal:
    """Take the pure steps up to the next effectful step, then bind so that its redex is the
    whole program (what every symbolic-execution tactic starts with)."""
    g = _pure_steps(g, finish=False)
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
    """Take pure steps (not into calls) until an effectful step or an undecided condition;
    finish with wp_value when the program is a value."""
    return [_pure_steps(g, finish=True)]


def _pure_steps(g: Goal, finish: bool) -> Goal:
    """Pure steps at the head of the program; a symbolic ``if`` whose condition the pure facts
    decide is rewritten to the literal (the kernel re-proves the equality).  With ``finish``,
    values are consumed by wp_value (also those of a bound continuation)."""
    while True:
        a = g.seq.goal
        if type(a) is not WP:
            return g
        if type(a.expr) is Val:
            if not finish and type(a.post) is not WP:   # a bound continuation goes on
                return g
            (g,) = g.step("wp_value", ())
            continue
        d = decompose(a.expr)
        if d is None or type(d[0]) is Call:
            return g
        redex, plug = d
        if type(redex) is If and type(redex.cond.term) is not Lit:
            c = redex.cond.term
            k = g.kernel
            lits = (Lit("bool", True), Lit("bool", False))
            if equalities(g).clashes(App("eq", (c, lits[0]))):
                lits = lits[::-1]       # the facts say it is false: ask that first
            for lit in lits:
                if g.entails(App("eq", (c, lit))):
                    new = WP(a.version, a.opened, plug(If(Val(lit), redex.then, redex.els)),
                             a.var, a.post)
                    (g,) = g.step("convert", (("goal",), new))
                    break
            else:
                return g
        elif type(redex) is Prim and redex.op not in PURE_PRIMS or type(redex) in (Fork, Loop):
            return g         # an effectful step: no pure one (no probe the kernel refuses)
        try:
            (g,) = g.step("wp_pure", ())
        except TacticError:
            if type(redex) is Prim and redex.op in PURE_PRIMS:
                raise     # a pure primitive the kernel will not step: say why
            return g
        # fst/snd of a pair value: name the component, not the projection (convert re-proves it)
        if type(redex) is Prim and redex.op in ("fst", "snd") and \
                type(redex.args[0].term) is App and redex.args[0].term.op == "pair":
            part = redex.args[0].term.args[redex.op == "snd"]
            (g,) = g.step("convert", (("goal",), replace(g.seq.goal, expr=plug(Val(part)))))


def wp_call(g: Goal) -> list:
    """Unfold the next call (after the pure steps before it)."""
    g = _pure_steps(g, finish=False)
    w = wp_goal(g)
    d = decompose(w.expr)
    if d is None or type(d[0]) is not Call:
        raise TacticError("the next step is not a function call", g)
    return g.step("wp_pure", ())


def wp_if(g: Goal, name: str | None) -> list:
    """Case split on a symbolic condition, derived: ``pure_cases`` on c, then in each branch
    ``convert`` the condition to the literal it equals there and take the pure step."""
    g = _pure_steps(g, finish=False)
    w = wp_goal(g)
    d = decompose(w.expr)
    if d is None or type(d[0]) is not If:
        raise TacticError("the head redex is not an if", g)
    (redex, plug), out = d, []
    for sub, lit in zip(g.step("pure_cases", (redex.cond.term,)), (TRUE, FALSE)):
        fn = name or sub.fresh("Hc")
        sub = replace(sub, fnames=sub.fnames[:-1] + (fn,))
        new = replace(w, expr=plug(replace(redex, cond=Val(lit))))
        (sub,) = sub.step("convert", (("goal",), new))
        out += sub.step("wp_pure", ())
    return out


# ---- using axioms and specs -------------------------------------------------------------------

def _match_pre(g: Goal, pre, metas, sub, given=(), taken=None):
    """Extend ``sub`` by matching the precondition's conjuncts against hypotheses (spatial
    ones at most once).  Conjuncts that match nothing are left for framing if they are fully
    instantiated.  Returns (sub, spatial indices used) or None."""
    used, missing = list(given), 0
    # matched already (the named ones may still be matched, to infer metas)
    taken, eqs = set() if taken is None else taken, None
    for conj in sep_spine(pre):
        if type(conj) is Pure:
            for fact in _conjuncts(g.seq.pure):  # a pure precondition may name values:
                s2 = match(conj.term, fact, metas, sub)       # nth(vs, i) = Some(x)
                if s2 is not None and s2 != sub:
                    sub = s2
                    break
            continue
        found = False
        for kind, hyps in (("s", g.seq.spat), ("p", g.seq.pers)):
            for i, h in enumerate(hyps):
                if kind == "s" and (i in taken or i in used and i not in given):
                    continue
                s2 = match(conj, h, metas, sub)
                if s2 is not None:
                    sub = s2
                    if kind == "s":
                        taken.add(i)
                        if i not in used:
                            used.append(i)
                    found = True
                    break
            if found:
                break
        if not found and type(conj) is Atom:
            # same kind of resource for the same key: the kernel's convert decides later
            for i, h in enumerate(g.seq.spat):
                if i not in used and i not in taken and type(h) is Atom and \
                        h.kind == conj.kind and match(conj.args[0], h.args[0], metas, sub) is not None:
                    used.append(i)
                    found = True
                    break
        if not found and type(conj) is Atom:
            # ... or for a key the pure facts' equalities make the same (say p = q in a key
            # written with p and one with q); the rest of the atom is matched
            eqs = eqs or equalities(g)
            for i, h in enumerate(g.seq.spat):
                if i in used or i in taken or type(h) is not Atom or h.kind != conj.kind:
                    continue
                s2 = match(conj, h, metas, sub, eqs.same)
                if s2 is None and conj.kind in _LEASE_KINDS:
                    # a master or lease of that cell whose value differs: a disk step agrees
                    # master and lease (_agree_used), and framing converts
                    s2 = match(Atom(conj.kind, conj.args[:-1]), Atom(h.kind, h.args[:-1]),
                               metas, sub, eqs.same)
                    if s2 is not None and fv(conj.args[-1]) & (metas - set(s2)):
                        s2 = None
                if s2 is not None:
                    sub = s2
                    used.append(i)
                    found = True
                    break
        if type(conj) is AVar and conj.name in sub:
            conj = sub[conj.name]
        if not found and type(conj) is PredApp:
            # a hypothesis that is another name for it (P := Q(...))
            for i, h in enumerate(g.seq.spat):
                if i in taken or i in used and i not in given:
                    continue
                while type(h) is PredApp and h.name != conj.name:
                    h = g.kernel.unfold_pred(h)
                s2 = match(conj, h, metas, sub)
                if s2 is not None:
                    sub = s2
                    taken.add(i)
                    if i not in used:
                        used.append(i)
                    found = True
                    break
        if not found and type(conj) is PredApp and fv(conj) & (metas - set(sub)):
            # a predicate with unknowns: through its definition (its parts name them)
            body = conj
            while type(body) is PredApp:
                body = g.kernel.unfold_pred(body)
            sub, more, _ = _match_pre(g, body, metas, sub, (), taken | set(used))
            used += [i for i in more if i not in used]
            taken |= set(more)
            found = bool(more)
        if not found and not given and type(conj) in (PredApp, Exists) and \
                not fv(conj) & (metas - set(sub)):
            # an assertion such as a lock's invariant, and no hypotheses named: the resources
            # of the kinds it is made of prove it by framing
            res, _ = _resources(g.kernel, conj, frozenset())
            kinds = {c.kind for c in res if type(c) is Atom}
            more = [i for i, h in enumerate(g.seq.spat) if i not in used and i not in taken
                    and type(h) is Atom and h.kind in kinds]
            used += more
            found = bool(more)
        missing += not found
    return sub, used, missing


def _post_pattern(g: Goal, post, consumed: dict) -> str:
    """A default intro pattern for a postcondition: a conjunct that is an atom with the same
    kind and key as a consumed hypothesis gets that hypothesis's name back."""
    parts = sep_spine(post)
    if not parts:
        return "_"
    names, taken, made = [], set(), set(consumed)     # consumed names may come back

    def fresh(base):
        from seplogic.syntax import fresh_name
        x = fresh_name(base, Avoid(g.all_names(), made))
        made.add(x)
        return x
    for p in parts:
        if type(p) is Pure:
            names.append("%" + fresh("Hp"))
        elif g.kernel.persistent(p):
            known = any(alpha_eq(p, h) for h in g.seq.pers)
            names.append("_" if known else "#" + fresh("H"))
        else:
            n = next((nm for nm, h in consumed.items() if nm not in taken and type(h) is Atom
                      and type(p) is Atom and h.kind == p.kind
                      and alpha_eq(h.args[0], p.args[0])), None)
            if n:
                taken.add(n)
            names.append(n or fresh("H"))
    return names[0] if len(names) == 1 else "[" + " ".join(names) + "]"


def _continue(g: Goal, binders: list, pattern, consumed: dict) -> list:
    """Introduce ``∀ys. Q -∗ WP v {...}``: name the ys, destruct Q, and step into the rest of
    the program when the value is plugged into an evaluation context."""
    names = list(binders)
    while type(g.seq.goal) is Forall:
        x = names.pop(0) if names else g.fresh(g.seq.goal.var)
        (g,) = intro_pat(g, PName(x))
    pat = pattern or _post_pattern(g, g.seq.goal.left, consumed)
    out = []
    for h in [h for p in parse_patterns(pat) for h in intro_pat(g, p)]:
        w = h.seq.goal
        if type(w) is WP and type(w.expr) is Val and type(w.post) is WP:
            (h,) = h.step("wp_value", ())
        out.append(h)
    return out


def _prove_pre(pre_goal: Goal) -> list:
    pre_goal = pure_hyps_to_context(pre_goal)
    return frame(pre_goal, auto_exists=True, try_or=True)


def wp_step(g: Goal, pattern: str | None, extra: dict, binders=(), with_names=()) -> list:
    """Execute the head redex with the first semantics axiom whose program matches and whose
    precondition the hypotheses provide (``with_names`` add hypotheses for the rest)."""
    g = focus_redex(g)
    w = wp_goal(g)
    k = g.kernel
    g = _agree_same_cells(g, w)
    given = spat_indices(g, with_names)
    tried, viable, why, todo, doubtful = [], [], [], [], []
    for ax, metas, _ in program_axioms(k, w.expr):
        sub = match(ax.expr, w.expr, metas, {ax.version: w.version})
        if sub is None:
            continue
        tried.append(ax.name)
        for n, v in extra.for_params(ax.params).items():
            sub.setdefault(n, v)
        sub, used, missing = _match_pre(g, ax.pre, metas, sub, given)
        terms = {n: v for n, v in sub.items() if not _is_prop(ax, n)}
        props = {n: v for n, v in sub.items() if _is_prop(ax, n)}
        if set(sub) != metas:
            open_ = metas - set(sub)
            unmatched = [c for c in sep_spine(subst(ax.pre, terms, props))
                         if (fv(c) | avars(c)) & open_]
            why.append(f"{ax.name} needs " + " ∗ ".join(one_line(c, 160) for c in unmatched[:3])
                       + (" ∗ ..." if len(unmatched) > 3 else "")
                       + ", which no hypothesis or pure fact gives"
                       if unmatched else f"{ax.name}: cannot infer {', '.join(sorted(open_))}")
            continue
        pure_pre = [c for c in sep_spine(subst(ax.pre, terms, props)) if type(c) is Pure]
        # a precondition that clashes with the facts is asked of the checker (a slow "no")
        # only if no other axiom will do
        (doubtful if any(equalities(g).clashes(c.term) for c in pure_pre) else todo).append(
            (missing, ax, sub, used, pure_pre))
    for at, (missing, ax, sub, used, pure_pre) in enumerate(todo + doubtful):
        if viable and at >= len(todo):
            break
        unproven = [c for c in pure_pre if not g.entails(c.term)]
        if unproven:
            why.append(f"{ax.name} needs {one_line(unproven[0], 160)}, which the pure facts "
                       "do not give")
        else:
            viable.append((missing, len(viable), ax, sub, used))
    if viable:
        # prefer the axiom whose whole precondition the hypotheses give
        _, _, ax, sub, used = min(viable, key=lambda v: v[:2])
        inst = tuple((n, sub[n]) for n, _ in ax.params)
        consumed = {g.snames[i]: g.seq.spat[i] for i in used}
        g = _agree_used(g, ax, used)
        (g2,) = g.step("wp_axiom", (ax.name, inst))
        pre_goal, cont = g2.step("sep_intro", (tuple(used),), [
            {"snames": only(g2.snames, used)}, {"snames": drop(g2.snames, used)}])
        side = [labelled(s, f"the precondition of {ax.name}, left by wp_step")
                for s in _prove_pre(pre_goal)]
        return side + _continue(cont, list(binders), pattern, consumed)
    if not tried:
        raise TacticError("no axiom of the semantics is about this step", g)
    raise TacticError(f"the hypotheses do not give the precondition of {' / '.join(tried)} "
                      "(name more with `with`, or instantiate with (x := ...)):\n  "
                      + "\n  ".join(why), g)


def _lease_kinds():
    from kernel.crash import LEASED
    return frozenset(LEASED) | frozenset(LEASED.values())


_LEASE_KINDS = _lease_kinds()


_AXIOMS = weakref.WeakKeyDictionary()   # kernel -> (its axioms' count, {head: candidates})


def _program_head(e):
    """What an axiom's program must share with a program to match it: its constructor, and
    for a primitive or call its operation (the matcher compares these first)."""
    tp = type(e)
    return (tp, e.op) if tp is Prim else (tp, e.func) if tp is Call else (tp, None)


def program_axioms(k, expr) -> list:
    """The semantics axioms about a program step that may match ``expr``, in the table's
    order, each as (axiom, its parameters as metavariables, whether its precondition holds a
    master copy or lease).  Computed once per kernel (every wp step asks): a new axiom starts
    it afresh."""
    count, index = _AXIOMS.get(k, (None, None))
    if count != len(k.axioms):
        from kernel.crash import LEASED
        rows, index = [], {}
        for ax in k.axioms.values():
            if ax.expr is not None:
                leased = any(type(c) is Atom and c.kind in LEASED for c in sep_spine(ax.pre))
                metas = frozenset(n for n, _ in ax.params)
                rows.append((_program_head(ax.expr), (ax, metas, leased)))
        wild = {h for h, _ in rows if h[0] in (Var, AVar)}   # (a pattern matching anything)
        for h in {h for h, _ in rows}:
            index[h] = [r for h2, r in rows if h2 == h or h2 in wild]
        index[None] = [r for h2, r in rows if h2 in wild]
        _AXIOMS[k] = (len(k.axioms), index)
    return index.get(_program_head(expr)) or index[None]


def _agree_same_cells(g: Goal, w) -> Goal:
    """Before a disk step (a primitive some axiom needs a master copy and lease for), the ghost
    cells at hand agree (master and lease of the same key): their values may be what shows
    which cell the step is about (keys written with variables a ghost cell equates)."""
    for ax, metas, leased in program_axioms(g.kernel, w.expr):
        if leased and match(ax.expr, w.expr, metas, {ax.version: w.version}) is not None:
            from .basic import agree_all
            return agree_all(g, syntactic=True, kinds=("gmaster",))
    return g


def _agree_used(g: Goal, ax, used) -> Goal:
    """The axiom needs a master copy and its lease with one value (a disk read or write): the
    hypotheses used for them agree (``lease_agree``), so that framing can use them."""
    from kernel.crash import LEASED
    pre = [c for c in sep_spine(ax.pre) if type(c) is Atom]
    if not any(c.kind in LEASED for c in pre):
        return g
    eqs = None
    for i in used:
        m = g.seq.spat[i]
        if type(m) is not Atom or m.kind not in LEASED:
            continue
        for j in used:
            ls = g.seq.spat[j]
            if type(ls) is Atom and ls.kind == LEASED[m.kind] and ls.args[-1] != m.args[-1]:
                eqs = eqs or equalities(g)
                if all(map(eqs.same, m.args[:-1], ls.args[:-1])) and \
                        not eqs.same(m.args[-1], ls.args[-1]):
                    (g,) = g.step("lease_agree", (i, j),
                                  [{"fnames": g.fnames + (g.fresh("Hag"),)}])
    return g


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
            from .suggest import did_you_mean
            raise TacticError(f"unknown theorem {spec}{did_you_mean(spec, k.theorems)}", g)
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
        given = spat_indices(g, with_names or [])
        sub, used, _ = _match_pre(g, pre, metas, sub, given)
    missing = [n for n, _ in xs if n not in sub] + sorted(a for a in avars(stmt) if a not in sub)
    if missing:
        raise TacticError(f"cannot infer {', '.join(missing)} for {spec}", g)
    # bring the instantiated spec into the spatial context as H
    hname = g.fresh("Hspec")
    if is_theorem:
        inst = tuple((a, sub[a]) for a in sorted(avars(stmt)))
        (g,) = g.step("use_theorem", (spec, inst), [{"pnames": g.pnames + (spec,)}])
        ref = ("p", len(g.seq.pers) - 1)
    else:
        ref = g.find(spec)
    if ref[0] == "p":
        g = pers_copy(g, ref[1], hname)
        if is_theorem:               # the general statement is not needed any more
            g = _clear_pers(g, spec)
    else:
        g = replace(g, snames=tuple(hname if n == spec else n for n in g.snames))
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
        side = [labelled(s, f"the precondition of {spec}, left by wp_apply")
                for s in _prove_pre(_clear_pers(prem, hname))]
    else:
        wpname = hname
    i = g.find(wpname)[1]
    (g,) = g.step("wp_wand", (i,), [{"snames": drop(g.snames, [i])}])
    return side + _continue(_clear_pers(g, hname), [], pattern, {})


def _clear_pers(g: Goal, name: str) -> Goal:
    """Drop a persistent hypothesis that was only a working copy (if it is there)."""
    if name not in g.pnames:
        return g
    j = g.pnames.index(name)
    (g,) = g.step("clear", (("p", j),), [{"pnames": drop(g.pnames, [j])}])
    return g


def wp_loop(g: Goal, inv, names, hyp_name: str | None) -> list:
    g = focus_redex(g)
    (g,) = g.step("wp_loop", (inv,))
    idxs = spat_indices(g, names)
    first, second = g.step("sep_intro", (idxs,), [{"snames": only(g.snames, idxs)},
                                                  {"snames": drop(g.snames, idxs)}])
    side = [labelled(s, "the loop invariant at loop entry, left by wp_loop")
            for s in _prove_pre(first)]
    (second,) = second.step("pers_intro", (), [{"snames": ()}])
    out = [h for p in parse_patterns(hyp_name or "HI") for h in intro_pat(second, p)]
    return side + out


def wp_fork(g: Goal, names) -> list:
    g = focus_redex(g)
    idxs = spat_indices(g, names)
    return g.step("wp_fork", (idxs,), [{"snames": only(g.snames, idxs)},
                                       {"snames": drop(g.snames, idxs)}])


def inv_open(g: Goal, name: str, pattern: str | None, ghost: bool = False) -> list:
    """Open an invariant around the next atomic step (or at a value); with ``ghost``, for
    ghost steps only before the program runs (``wp_inv_ghost``): the goal becomes
    ``WP () {_. P ∗ WP e {Φ}}`` with the invariant open, and ``e`` need not be atomic."""
    if ghost:
        wp_goal(g)
    elif type(wp_goal(g).expr) is not Val:      # around a value: ghost steps only
        g = focus_redex(g)
    kind, j = g.find(name)
    if kind != "p":
        raise TacticError(f"{name} is not a persistent hypothesis", g)
    g, _ = head_unfold(g, ("p", j))
    tmp = g.fresh("_inv")
    rule = "wp_inv_ghost" if ghost else "wp_inv_open"
    (g,) = g.step(rule, (j,), [{"snames": g.snames + (tmp,)}])
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
