"""Structural tactics: introduction, destruction, splitting, framing, pure reasoning.

Each tactic takes the focused `Goal` and returns the goals that replace it.  They only ever
act through `Goal.step` (one kernel rule per step), so whatever they do, the kernel re-checks.
"""
from __future__ import annotations

import operator
import weakref

from seplogic.record import replace

from kernel.rules import sep_spine
from kernel.sequent import keeping, without
from seplogic.syntax import (
    And, App, Assertion, Atom, Avoid, BigSep, Emp, Exists, Forall, Lit, Or, Persistently, PredApp,
    Pure, Sep, Var, Wand, alpha_eq, fresh_name, fv, subst,
)
from .equalities import equalities
from .match import match
from .patterns import PAll, PDrop, PList, PName, POr, PPers, PPure, parse_patterns
from .state import Goal, TacticError


# ---- name bookkeeping ---------------------------------------------------------------------------

def drop(names, idxs):
    """The names of the hypotheses `Seq.drop_spat` keeps."""
    return without(tuple(names), idxs)


def only(names, idxs):
    """The names of the hypotheses `Seq.only_spat` keeps."""
    return keeping(tuple(names), idxs)


def put(names, i, *new):
    return tuple(names[:i]) + tuple(new) + tuple(names[i + 1:])


def rename(g: Goal, old: str, new: str) -> Goal:
    if new != old and new in g.all_names():
        raise TacticError(f"name {new} is already used", g)
    sn, pn = g.snames, g.pnames
    if old in sn:
        sn = put(sn, sn.index(old), new)
    if old in pn:
        pn = put(pn, pn.index(old), new)
    return replace(g, snames=sn, pnames=pn)


def spat_indices(g: Goal, names) -> tuple:
    out = []
    for n in names:
        kind, i = g.find(n)
        if kind != "s":
            raise TacticError(f"{n} is persistent; only spatial hypotheses are split", g)
        out.append(i)
    return tuple(out)


# ---- unfolding and conversion ----------------------------------------------------------------

_UNFOLDED = weakref.WeakKeyDictionary()   # kernel -> (its predicates' count, {a: unfolded})


_DEF_NAMES = weakref.WeakKeyDictionary()   # kernel -> (its definitions' count, short names)


def _def_names(kernel) -> frozenset:
    """The definitions' names without their modules (a variable named so would read as one)."""
    count, names = _DEF_NAMES.get(kernel, (None, None))
    if count != len(kernel.defs):
        names = frozenset(d.rpartition(".")[2] for d in kernel.defs)
        _DEF_NAMES[kernel] = (len(kernel.defs), names)
    return names


def unfold_all(kernel, a, name: str | None = None):
    """Unfold predicate applications (all, or those named ``name``) everywhere in ``a``.
    Unfolding everything is remembered per kernel (framing compares hypotheses this way again
    and again); a new predicate starts the memo afresh."""
    if name is not None:
        return _unfold(kernel, a, name)
    count, memo = _UNFOLDED.get(kernel, (None, None))
    if count != len(kernel.preds):
        count, memo = len(kernel.preds), {}
        _UNFOLDED[kernel] = (count, memo)
    out = memo.get(a)
    if out is None:
        if len(memo) > 50000:
            memo.clear()
        out = memo[a] = _unfold(kernel, a, None)
    return out


def _unfold(kernel, a, name):
    from seplogic.syntax import Assertion
    tp = type(a)
    if tp is PredApp and (name is None or a.name == name):
        return unfold_all(kernel, kernel.unfold_pred(a), name) if name is None else \
            kernel.unfold_pred(a)
    if not isinstance(a, Assertion):
        return a
    fields = {}      # (only the changed ones: an assertion without predicates is kept as it
    for f in a._fields:    # is, so later comparisons with it are by identity)
        v = getattr(a, f)
        if isinstance(v, Assertion):
            u = unfold_all(kernel, v, name)
        elif type(v) is tuple and tp is PredApp:
            u = tuple(unfold_all(kernel, x, name) if isinstance(x, Assertion) else x for x in v)
            if all(map(operator.is_, u, v)):
                continue
        else:
            continue
        if u is not v:
            fields[f] = u
    return replace(a, **fields) if fields else a


def convert(g: Goal, target, new) -> Goal:
    """Replace the goal (``target=("goal",)``) or a hypothesis by an equivalent assertion."""
    if target == ("goal",):
        if g.seq.goal == new:
            return g
    elif g.hyp(target) == new:
        return g
    (g2,) = g.step("convert", (target, new))
    return g2


def head_unfold(g: Goal, target):
    """If the target is a predicate application, unfold it (one level)."""
    a = g.seq.goal if target == ("goal",) else g.hyp(target)
    while type(a) is PredApp:
        a = g.kernel.unfold_pred(a)
    return convert(g, target, a), a


# ---- destructing hypotheses with intro patterns ---------------------------------------------

def _called(g: Goal, name: str) -> str:
    """How an error names a hypothesis: by its name, or by its text when the name is one pv
    made up (``_i``, ``_l``: the user never saw it)."""
    if not name.startswith("_"):
        return name
    from .display import one_line
    try:
        return "the hypothesis " + one_line(g.hyp(g.find(name)))
    except TacticError:
        return "the hypothesis"


def destruct(g: Goal, name: str, pat) -> list:
    ref = g.find(name)
    if isinstance(pat, PName):
        return [rename(g, name, pat.name or g.fresh("H"))] if pat.name != name else [g]
    if isinstance(pat, PDrop):
        kind, i = ref
        names = {"snames": drop(g.snames, [i])} if kind == "s" else {"pnames": drop(g.pnames, [i])}
        return g.step("clear", (ref,), [names])
    if isinstance(pat, (PPure, PPers)):
        kind, i = ref
        if isinstance(pat, PPure):
            g, a = head_unfold(g, ref)
            if type(a) is not Pure:
                raise TacticError(f"{_called(g, name)} is not a pure fact", g)
            fn = pat.name or g.fresh("Hp")
            names = ({"snames": drop(g.snames, [i])} if kind == "s"
                     else {"pnames": drop(g.pnames, [i])})
            names["fnames"] = g.fnames + (fn,)
            return g.step("hyp_pure", (ref,), [names])
        if kind == "p":
            return [rename(g, name, pat.name)] if pat.name else [g]
        pn = pat.name or name
        return g.step("hyp_pers", (i,), [{"snames": drop(g.snames, [i]),
                                           "pnames": g.pnames + (pn,)}])
    if isinstance(pat, PAll):
        return destruct_all(g, name)
    if isinstance(pat, POr):
        g, a = head_unfold(g, ref)
        if type(a) is not Or:
            raise TacticError(f"{_called(g, name)} is not a disjunction", g)
        out = []
        for sub, alt in zip(g.step("or_elim", (ref,)), pat.alts):
            out += destruct(sub, name, alt)
        return out
    assert isinstance(pat, PList)
    items = list(pat.items)
    if len(items) == 1:
        return destruct(g, name, items[0])
    g, a = head_unfold(g, ref)
    kind, i = ref
    if not items:
        if type(a) in (Emp,) or (type(a) is Pure and a.term == Lit("bool", True)):
            return destruct(g, name, PDrop())
        raise TacticError(f"empty pattern for {_called(g, name)}", g)
    if type(a) is Exists:
        first = items[0]
        x = getattr(first, "name", "") or a.var
        if x in g.all_names():
            x = g.fresh(x)
        (g2,) = g.step("exists_elim", (ref, x))
        return destruct(g2, name, PList(tuple(items[1:])))
    if type(a) is Persistently and kind == "s":
        (g2,) = g.step("hyp_pers", (i,), [{"snames": drop(g.snames, [i]),
                                            "pnames": g.pnames + (name,)}])
        return destruct(g2, name, pat)
    if type(a) is Sep:
        t1, t2 = g.fresh("_l"), g.fresh("_r")
        names = ({"snames": put(g.snames, i, t1, t2)} if kind == "s"
                 else {"pnames": put(g.pnames, i, t1, t2)})
        (g2,) = g.step("sep_elim", (ref,), [names])
        out = []
        for g3 in destruct(g2, t1, items[0]):
            out += destruct(g3, t2, PList(tuple(items[1:])) if len(items) > 2 else items[1])
        return out
    if type(a) is And:
        if kind == "p":
            t1, t2 = g.fresh("_l"), g.fresh("_r")
            (g2,) = g.step("and_elim", (ref, 0), [{"pnames": put(g.pnames, i, t1, t2)}])
            out = []
            for g3 in destruct(g2, t1, items[0]):
                out += destruct(g3, t2, PList(tuple(items[1:])) if len(items) > 2 else items[1])
            return out
        if len(items) == 2 and isinstance(items[1], PDrop):
            (g2,) = g.step("and_elim", (ref, 0))
            return destruct(g2, name, items[0])
        if len(items) == 2 and isinstance(items[0], PDrop):
            (g2,) = g.step("and_elim", (ref, 1))
            return destruct(g2, name, items[1])
        raise TacticError(f"{_called(g, name)} is a spatial ∧: keep one side with [p _] or "
                          "[_ p]", g)
    raise TacticError(f"cannot destruct {_called(g, name)} with a list pattern (it is not a "
                      "∗, ∧ or ∃)", g)


# ---- introduction -------------------------------------------------------------------------------

def intro_var(g: Goal, x: str) -> Goal:
    if type(g.seq.goal) is Persistently and not g.seq.spat:
        (g,) = g.step("pers_intro", ())
    g, a = head_unfold(g, ("goal",))
    if type(a) is not Forall:
        raise TacticError("the goal is not universally quantified", g)
    if x in g.all_names():
        raise TacticError(f"name {x} is already used", g)
    (g2,) = g.step("forall_intro", (x,))
    return g2


def intro_pat(g: Goal, pat) -> list:
    if type(g.seq.goal) is Persistently and not g.seq.spat:
        (g,) = g.step("pers_intro", ())
    g, a = head_unfold(g, ("goal",))
    if type(a) is Forall:
        if isinstance(pat, (PList, POr)):
            # Iris: a destructing pattern needs a hypothesis; naming the variable from it
            # and dropping the pattern would hide the mistake
            raise TacticError(f"the goal starts with ∀ {a.var}: a destructing pattern needs a "
                              f"wand; introduce the variables first (intros x y \"[H1 H2]\")",
                              g)
        x = getattr(pat, "name", "") or a.var
        if x in g.all_names():
            x = g.fresh(x)
        return [intro_var(g, x)]
    if type(a) is not Wand:
        raise TacticError("nothing to introduce: the goal is not a wand or ∀", g)
    tmp = g.fresh("_i")
    (g2,) = g.step("wand_intro", (), [{"snames": g.snames + (tmp,)}])
    return destruct(g2, tmp, pat)


def intros(g: Goal, items: list) -> list:
    """Introduce in the order written (as iIntros does): ``("var", x)`` a ∀ variable,
    ``("pat", text)`` wands by intro patterns; a variable after a pattern is introduced in
    each goal the pattern left."""
    goals = [g]
    for kind, x in items:
        if kind == "var":
            goals = [intro_var(h, x) for h in goals]
        else:
            for pat in parse_patterns(x):
                goals = [h for g in goals for h in intro_pat(g, pat)]
    return goals


def intros_all(g: Goal) -> list:
    """Introduce every ∀ and wand at the head of the goal with default names."""
    while True:
        a = g.seq.goal
        if type(a) is Persistently and not g.seq.spat:
            (g,) = g.step("pers_intro", ())
        elif type(a) is Forall:
            g = intro_var(g, a.var if a.var not in g.all_names() else g.fresh(a.var))
        elif type(a) is Wand:
            (g,) = intro_pat(g, PName(""))
        else:
            return [g]


# ---- closing goals ---------------------------------------------------------------------------

def find_hyp(g: Goal, a, avoid=()):
    """A hypothesis equal to ``a`` up to α and unfolding of predicates (what the kernel's
    convert accepts without any pure reasoning): ("s", i) or ("p", i), or None.  (``a`` is
    unfolded once; a hypothesis's unfolding is compared only when its head could match.)"""
    k = g.kernel
    ua = unfold_all(k, a)
    head = _head(ua)
    for kind, hyps in (("s", g.seq.spat), ("p", g.seq.pers)):
        for i, h in enumerate(hyps):
            if kind == "s" and i in avoid:
                continue
            if type(h) is not PredApp and _head(h) != head:
                continue         # (unfolding keeps a head that is not a predicate's)
            if alpha_eq(h, a):
                return (kind, i)
            uh = unfold_all(k, h)
            if (uh is not h or ua is not a) and _head(uh) == head and alpha_eq(uh, ua):
                return (kind, i)     # (neither has a predicate: compared already)
    return None


def _head(a):
    """What two assertions equal up to α must share: their class, and an atom's kind."""
    return (type(a), a.kind) if type(a) is Atom else type(a)


def _similar(a, b, top=True) -> bool:
    """Same shape up to terms: worth asking the kernel's convert (pure equalities).  A pure
    goal on its own is left to pure reasoning."""
    from seplogic.syntax import Assertion
    if type(a) is not type(b) or not isinstance(a, Assertion):
        return False
    if type(a) is Atom:
        return a.kind == b.kind
    if type(a) is Pure:
        return not top
    for f in a._fields:
        x, y = getattr(a, f), getattr(b, f)
        if isinstance(x, Assertion) and not _similar(x, y, False):
            return False
        if type(x) is str and x != y and f not in ("var",):
            return False
    return True


def close_by_hyp(g: Goal) -> bool:
    ref = find_hyp(g, g.seq.goal)
    if ref is None:
        # the same shape with terms the pure facts prove equal (the kernel's convert)
        from .bigsep import apart
        cands = [(kind, i, h) for kind, hyps in (("s", g.seq.spat), ("p", g.seq.pers))
                 for i, h in enumerate(hyps) if _similar(h, g.seq.goal)
                 and not apart(h, g.seq.goal)]
        for kind, i, h in _likely(g, g.seq.goal, cands):
            try:
                (g2,) = g.step("convert", (("goal",), h))
                g2.step("assumption", ((kind, i),))
                return True
            except TacticError:
                continue
        return False
    h = g.hyp(ref)
    if not alpha_eq(h, g.seq.goal):
        (g,) = g.step("convert", (("goal",), h))
    g.step("assumption", (ref,))
    return True


def _likely(g: Goal, goal, cands):
    """Candidates (kind, index, hypothesis) for converting an atom ``goal``, most likely
    first: those whose arguments, then whose key, the facts' equalities make the same; when
    some candidate has the same key, the others are not tried (asking the pure checker to
    prove two different cells' keys equal is slow, and fails)."""
    if type(goal) is not Atom or len(cands) < 2:
        return cands
    eqs = equalities(g)

    def rank(c):
        h = c[2]
        if type(h) is not Atom or len(h.args) != len(goal.args):
            return 2
        if all(map(eqs.same, h.args, goal.args)):
            return 0
        return 1 if eqs.same(h.args[0], goal.args[0]) else 2
    ranked = sorted(((rank(c), k, c) for k, c in enumerate(cands)), key=lambda x: x[:2])
    best = ranked[0][0]
    return [c for r, _, c in ranked if best == 2 or r < 2]


def _framed_as_is(g: Goal, a) -> bool:
    """Is there a hypothesis of a's shape (that a convert may turn it into)?  Then a big-∗ is
    rather framed than shown empty (a question that fails slowly when the set is not)."""
    return any(_similar(h, a) for h in g.seq.spat + g.seq.pers)


def _empty(g: Goal, bs) -> bool:
    """Is the big-∗ ``bs`` over a collection the pure facts show empty?"""
    try:
        g.with_goal(bs).step("bigsep_empty", ())
        return True
    except TacticError:
        return False


def _close_pure(g: Goal, a) -> bool:
    """Prove a pure goal, or a disjunction with a pure side, by the kernel's check alone (the
    tactic does not ask the pure checker first: the kernel would ask again).  A disjunct that
    clashes with the facts is not tried (a failing question costs a full search; framing
    drops it when the other side does not clash)."""
    sides = [((), a)] if type(a) is Pure else \
        [((s,), p) for s, p in enumerate((a.left, a.right)) if type(p) is Pure] \
        if type(a) is Or else []
    for side, p in sides:
        if g.known(p.term) is False or side and equalities(g).clashes(p.term):
            continue
        try:
            h = g.step("or_intro", side)[0] if side else g
            h.step("pure_intro", ())
            g.remember(p.term, True)
            return True
        except TacticError:
            g.remember(p.term, False)
    return False


def _or_sides(g: Goal, a: Or) -> tuple:
    """The sides of a disjunction to try, in order: left first, but not a side whose pure
    conjuncts clash with the facts while the other's do not (it could hold only if the facts
    were contradictory, which is `contradiction`'s to show)."""
    def clash(side):
        return any(type(c) is Pure and equalities(g).clashes(c.term) for c in sep_spine(side))
    left, right = clash(a.left), clash(a.right)
    return (1,) if left and not right else (0,) if right and not left else (0, 1)


def try_close(g: Goal, contra: bool = True) -> bool:
    """Close the goal by a single obvious rule; True if closed.  ``contra``: also by
    contradictory pure facts (a search that is slow when it fails)."""
    a = g.seq.goal
    if type(a) is Emp:
        g.step("emp_intro", ())
        return True
    late = type(a) is BigSep and _framed_as_is(g, a)     # then by a hypothesis first
    if type(a) is BigSep and not late and _empty(g, a):
        g.step("bigsep_empty", ())
        return True
    if type(a) is Or and find_hyp(g, a) is not None:    # a hypothesis is it: no question
        return close_by_hyp(g)
    if type(a) in (Pure, Or) and _close_pure(g, a):
        return True
    if close_by_hyp(g):
        return True
    if late and _empty(g, a):
        g.step("bigsep_empty", ())
        return True
    if contra and g.entails(Lit("bool", False)):
        g.step("pure_contra", ())
        return True
    return False


def destruct_all(g: Goal, name: str, todo=None) -> list:
    """The ``**`` pattern: split every ∗ of hypothesis ``name`` and of its parts, open every
    ∃ (keeping the binder's name when it is free), unfold predicates on the way, move pure
    facts to the pure context and split disjunctions into cases (one goal each)."""
    todo = [name] if todo is None else todo

    def final(g, nm):        # a part keeps no tactic's temporary name
        return rename(g, nm, g.fresh("H")) if nm.startswith("_") else g
    while todo:
        nm = todo.pop()
        ref = g.find(nm)
        a = g.hyp(ref)
        if type(a) is PredApp:
            body = a
            while type(body) is PredApp:
                body = g.kernel.unfold_pred(body)
            if type(body) not in (Sep, Exists, Pure, Or):
                g = final(g, nm)
                continue
            g = convert(g, ref, body)
            a = body
        kind, i = ref
        if type(a) is Pure:
            (g,) = destruct(g, nm, PPure(g.fresh("Hp")))
        elif type(a) is Exists:
            x = fresh_name(a.var, Avoid(g.all_names(), _def_names(g.kernel)))
            (g,) = g.step("exists_elim", (ref, x))
            todo.append(nm)
        elif type(a) is Sep:
            t2 = g.fresh("H")
            names = ({"snames": put(g.snames, i, nm, t2)} if kind == "s"
                     else {"pnames": put(g.pnames, i, nm, t2)})
            (g,) = g.step("sep_elim", (ref,), [names])
            todo += [t2, nm]
        elif type(a) is Or and kind == "s":
            return [h for sub in g.step("or_elim", (ref,))
                    for h in destruct_all(sub, nm, todo + [nm])]
        elif kind == "s" and g.kernel.persistent(a):      # disk_blocks(N), ro, is_lock, ...
            (g,) = g.step("hyp_pers", (i,), [{"snames": drop(g.snames, [i]),
                                               "pnames": g.pnames + (nm,)}])
            g = final(g, nm)
        else:
            g = final(g, nm)
    return [g]


def pure_hyps_to_context(g: Goal) -> Goal:
    """Split spatial ∗-hypotheses, open existential ones (fresh names) and move ⌜φ⌝ ones into
    the pure context (what `done` and framing expect)."""
    while True:
        idx = next((i for i, h in enumerate(g.seq.spat) if type(h) in (Pure, Sep, Exists)
                    or type(h) is PredApp and type(g.kernel.unfold_pred(h)) in (Sep, Exists)),
                   None)
        if idx is None:
            return g
        if type(g.seq.spat[idx]) is PredApp:
            g, _ = head_unfold(g, ("s", idx))
            continue
        if type(g.seq.spat[idx]) is Exists:
            h = g.seq.spat[idx]
            (g,) = g.step("exists_elim", (("s", idx), g.fresh(h.var)))
            continue
        if type(g.seq.spat[idx]) is Sep:
            name = g.snames[idx]
            (g,) = g.step("sep_elim", (("s", idx),), [
                {"snames": put(g.snames, idx, name, g.fresh(name))}])
            continue
        (g,) = destruct(g, g.snames[idx], PPure(g.fresh("Hp")))


def done(g: Goal) -> list:
    """Close the goal: by a hypothesis, pure reasoning, framing (finding ∃ witnesses by
    matching) and trying both sides of a disjunction."""
    g = pure_hyps_to_context(g)
    if type(g.seq.goal).__name__ == "WP":        # finish the program's pure steps first
        from .wp import wp_pures
        (g,) = wp_pures(g)
    if try_close(g, contra=False):
        return []

    def contradiction():    # the slow question (when it fails) last: only if framing fails
        if g.entails(Lit("bool", False)):
            g.step("pure_contra", ())
            return True
        return False
    try:
        rest = frame(g, auto_exists=True, try_or=True)
    except TacticError:
        if contradiction():
            return []
        raise
    if not rest or contradiction():
        return []
    g = rest[0]
    if type(g.seq.goal) is Or:
        for side in _or_sides(g, g.seq.goal):
            (h,) = g.step("or_intro", (side,))
            try:
                if not done(h):
                    return []
            except TacticError:
                continue
    raise TacticError("done: cannot close the goal", g)


# ---- framing -------------------------------------------------------------------------------

def _rebuild(parts):
    if not parts:
        return Emp()
    out = parts[-1]
    for p in reversed(parts[:-1]):
        out = Sep(p, out)
    return out


def _witness(g: Goal, ex: Exists):
    """Guess a witness for ``∃x. P`` by matching P's conjuncts (under further ∃s) against
    hypotheses."""
    body = unfold_all(g.kernel, ex.body)
    chain, inside = [], body
    while type(inside) is Exists:
        chain.append(inside.var)
        inside = inside.body
    # a binder named as a variable of the goal is renamed apart: the goal's v2 may be the
    # witness although ∃ v2 is bound further in.  (One renaming of the innermost body, not
    # one substitution per binder: the new names avoid every name of the chain, so the two
    # agree.)
    names, used, inner, ren = g.all_names(), set(chain) | {ex.var}, [], {}
    for v in chain:
        x = v
        if v in names or v == ex.var:
            x = fresh_name(v, Avoid(names, fv(body), used))
            used.add(x)
            ren[v] = Var(x)
        inner.append(x)
    body = subst(inside, ren) if ren else inside
    metas = frozenset([ex.var] + inner)
    eqs = None
    uhyps = [unfold_all(g.kernel, h) for h in g.seq.spat + g.seq.pers]   # (asked per conjunct)
    # syntactically first, then up to the facts' equalities, then -- for a resource no other
    # conjunct is about -- up to what the pure checker proves
    # (and the resources inside a disjunction's sides only after the conjuncts themselves)
    for mode, sides in (("syntax", False), ("eqs", False), ("syntax", True), ("eqs", True),
                        ("prover", False)):
        if mode == "eqs" and eqs is None:
            eqs = equalities(g)
        w = _witness_by(g, ex, body, metas, inner, mode, eqs, sides, uhyps)
        if w is not None:
            return w
    return None


def prover_eq(g: Goal):
    """``eq(a, b)``: the pure facts prove a = b (for matching up to provable equality)."""
    def eq(a, b):
        try:
            return g.entails(App("eq", (a, b)))
        except Exception:        # ill-sorted: not equal as far as matching is concerned
            return False
    return eq


def _leftover(g: Goal, conj, body, metas, eqs):
    """The hypotheses of conj's kind that no other conjunct of the body is about."""
    others = [c for c in sep_spine(body) if c is not conj and type(c) is Atom and
              c.kind == conj.kind]
    left = [h for h in g.seq.spat if type(h) is Atom and h.kind == conj.kind and
            not any(match(c, h, metas, None, eqs.same) is not None for c in others)]
    # the most alike first (asking the pure checker about different cells is slow)
    return sorted(left, key=lambda h: -_likeness(conj.args[0], h.args[0]))


def _likeness(a, b) -> int:
    """How many nodes two terms share, laid over each other from the root."""
    if a == b:
        return 1
    if type(a) is App and type(b) is App and a.op == b.op and len(a.args) == len(b.args):
        return 1 + sum(map(_likeness, a.args, b.args))
    return 0


def _witness_by(g: Goal, ex: Exists, body, metas, inner, mode, eqs, sides, uhyps):
    """The first witness of ``mode`` (``uhyps``: the hypotheses unfolded)."""
    eq = None if mode == "syntax" else eqs.same if mode == "eqs" else prover_eq(g)
    conjs = []
    for conj in sep_spine(body):
        if not sides:
            conjs.append((conj, frozenset()))
        elif type(conj) is Or:
            # either side may say what it is (a resource both sides have, say)
            more, bound = _resources(g.kernel, conj, frozenset())
            conjs += [(c, bound) for c in more if type(c) is Atom]
    for conj, bound in conjs:
        if ex.var not in fv(conj):
            continue
        metas_c, inner_c = metas | bound, set(inner) | bound
        if bound:
            s = next((m for h in uhyps for m in [match(conj, h, metas_c, None, eq)]
                      if m and ex.var in m and not fv(m[ex.var]) & inner_c), None)
            if s:
                return s[ex.var]
            continue
        if type(conj) is Pure:
            if eq is not None:
                continue
            # ⌜t = u⌝ with the variable only on one side: match the sides (e.g. r = break(v))
            t = conj.term
            if type(t) is App and t.op == "eq":
                for x, y in (t.args, t.args[::-1]):
                    if ex.var in fv(x) and not (fv(y) & metas):
                        s = match(x, y, metas)
                        if s and ex.var in s and not (fv(s[ex.var]) & set(inner)):
                            return s[ex.var]
            continue
        if mode == "prover":
            hyps = [unfold_all(g.kernel, h) for h in _leftover(g, conj, body, metas, eqs)] \
                if type(conj) is Atom else []
        else:
            hyps = uhyps
        for h in hyps:
            if eq is not None and not (type(conj) is Atom and type(h) is Atom and
                                       conj.kind == h.kind):
                continue
            s = match(conj, h, metas, None, eq)
            if s and ex.var in s and not (fv(s[ex.var]) & set(inner)):
                return s[ex.var]
    return None


def _resources(k, a, metas):
    """The non-pure conjuncts of ``a``, also those under its disjunctions and existentials
    (whose binders join ``metas``): what hypotheses proving ``a`` may be about."""
    out = []
    for c in sep_spine(unfold_all(k, a)):
        if type(c) is not Pure:
            out.append(c)
        if type(c) is Or:
            for side in (c.left, c.right):
                more, metas = _resources(k, side, metas)
                out += more
        elif type(c) is Exists:
            more, metas = _resources(k, c.body, metas | {c.var})
            out += more
    return out, metas


def _exists_head(k, a):
    """The unfolding of predicate application ``a`` if it is an ∃ (else None)."""
    if type(a) is not PredApp:
        return None
    while type(a) is PredApp:
        a = k.unfold_pred(a)
    return a if type(a) is Exists else None


def _frame_one(g: Goal, parts, j, ref):
    """Bring conjunct j to the front, prove it from ``ref`` (or purely), return the rest (and
    its conjuncts: ``parts`` without j).  A goal that is conjunct j ∗ the rest already is not
    rearranged (framing n conjuncts in order is n steps, not n rearrangements of n).  A
    pure conjunct (or a disjunction) the facts do not give is not proven by refuting them (that
    question fails slowly; `done` asks it once, last)."""
    out, (left,) = _split_off(g, parts, j, (ref[1],) if ref and ref[0] == "s" else ())
    if not try_close(left, contra=ref is not None):
        raise TacticError("frame: cannot prove a framed conjunct", left)
    return out


def _convert_one(g: Goal, parts):
    """Frame one conjunct against a hypothesis of the same shape that the kernel's convert
    (pure equalities) makes it: the conjunct is split off first and converted alone (a
    convert of the whole goal would walk and sort-check every other conjunct too).  Returns
    what `_frame_one` does, or None if no conjunct can be."""
    from .bigsep import apart
    # a big-∗ only when nothing else is left: alone, framing splits it or goes pointwise
    alone = all(type(p) is BigSep for p in parts)
    for j, p in enumerate(parts):
        if type(p) in (Pure, Exists, PredApp) or type(p) is BigSep and not alone:
            continue
        cands = [(kind, i, h) for kind, hyps in (("s", g.seq.spat), ("p", g.seq.pers))
                 for i, h in enumerate(hyps)
                 if not alpha_eq(h, p) and _similar(h, p) and not apart(h, p)]
        for kind, i, h in _likely(g, p, cands):
            try:
                out, (left,) = _split_off(g, parts, j, (i,) if kind == "s" else ())
                (left,) = left.step("convert", (("goal",), h))
                left.step("assumption", ((kind, 0 if kind == "s" else i),))
                return out
            except TacticError:
                continue
    return None


def _split_off(g: Goal, parts, j, idxs):
    """Conjunct j to the front (unless it is there) and ``sep_intro`` with hypotheses idxs:
    ((the rest's goal, its conjuncts), [the conjunct's goal])."""
    a = g.seq.goal
    p = parts[j]
    if not (j == 0 and type(a) is Sep and a.left is p):
        new = Sep(p, _rebuild(parts[:j] + parts[j + 1:]))
        if new != a:
            (g,) = g.step("sep_ac", (("goal",), new))
    left, right = g.step("sep_intro", (idxs,), [
        {"snames": only(g.snames, idxs)}, {"snames": drop(g.snames, idxs)}])
    return (right, (right.seq.goal, parts[:j] + parts[j + 1:])), [left]


def frame(g: Goal, auto_exists=False, try_or=False) -> list:
    """Cancel goal conjuncts against hypotheses (up to unfolding) and provable pure facts.
    Returns the remaining goal, or [] if nothing remains.  With ``auto_exists``, existential
    goals get witnesses found by matching, and predicates are unfolded when that helps; with
    ``try_or``, a disjunction left alone is proven by either side (left first)."""
    k = g.kernel
    unprovable = set()
    known = (None, None)       # a goal and its conjuncts, from framing one
    # conjuncts no hypothesis is (by id; kept alive here): framing only consumes hypotheses,
    # so none will be later either
    nohyp = {}
    for _ in range(1000):
        a = g.seq.goal
        parts = known[1] if a is known[0] else sep_spine(a)
        if not parts:
            g.step("emp_intro", ())
            return []
        if len(parts) == 1:
            if a != parts[0]:
                (g,) = g.step("sep_ac", (("goal",), parts[0]))
                a = parts[0]
            if type(a) is BigSep and find_hyp(g, a) is None:
                # from a big-∗ hypothesis short of an index, or pointwise
                from .bigsep import frame_bigsep
                out = frame_bigsep(g)
                if out is not None:
                    if not out:
                        return []
                    (g,) = out
                    continue
            if try_close(g, contra=False):
                return []
            if try_or and type(a) is Or:      # a disjunction: try each side
                for side in _or_sides(g, a):
                    try:
                        (h,) = g.step("or_intro", (side,))
                        if not frame(h, auto_exists=True, try_or=True):
                            return []
                    except TacticError:
                        continue
        else:
            progress = False
            for j, p in enumerate(parts):
                if type(p) in (Pure, Or) and p not in unprovable:
                    try:            # the kernel decides (asking first would ask twice)
                        g, known = _frame_one(g, parts, j, None)
                        progress = True
                        break
                    except TacticError:
                        unprovable.add(p)      # the pure facts do not change while framing
                        if type(p) is Pure:
                            continue
                ref = None if id(p) in nohyp else find_hyp(g, p)
                if ref is None:
                    nohyp[id(p)] = p
                if ref is not None or (type(p) is BigSep and not _framed_as_is(g, p) and
                                       p not in unprovable and _empty(g, p)):
                    g, known = _frame_one(g, parts, j, ref)
                    progress = True
                    break
                if type(p) is BigSep:
                    unprovable.add(p)     # (not shown empty, or left for after converting)
            if progress:
                continue
        # no conjunct matches as it is: one may match a hypothesis up to provably equal terms
        if len(parts) > 1:
            out = _convert_one(g, parts)
            if out is not None:
                g, known = out
                continue
            # ... or is a big-∗ over an empty set after all (asked when only big-∗ are left:
            # alone, one is framed from a hypothesis short of an index first)
            alone = all(type(p) is BigSep for p in parts)
            j = next((j for j, p in enumerate(parts) if type(p) is BigSep and alone and
                      _framed_as_is(g, p) and _empty(g, p)), None)
            if j is not None:
                g, known = _frame_one(g, parts, j, None)
                continue
        # ... or unfold a predicate, or instantiate an existential
        if len(parts) == 1 and type(a) is PredApp:
            (g,) = g.step("convert", (("goal",), k.unfold_pred(a)))
            continue
        if len(parts) == 1 and auto_exists and type(a) is Exists:
            w = _witness(g, a)
            if w is None:
                return [g]
            (g,) = g.step("exists_intro", (w,))
            continue
        preds = any(type(p) is PredApp for p in parts)
        folded = [_exists_head(k, p) for p in parts] if auto_exists and len(parts) > 1 and \
            preds else None
        # (when every predicate is an ∃, each is unfolded alone, below)
        if preds and not (folded and all(u is not None for p, u in zip(parts, folded)
                                         if type(p) is PredApp)):
            # no hypothesis is any of them as it is: unfold them all (one conversion, not one
            # of the whole goal per predicate)
            if _rebuild(parts) != a:
                (g,) = g.step("sep_ac", (("goal",), _rebuild(parts)))
            parts = [k.unfold_pred(p) if type(p) is PredApp else p for p in parts]
            (g,) = g.step("convert", (("goal",), _rebuild(parts)))
            continue
        j = next((j for j, p in enumerate(parts) if type(p) is Exists or folded and
                  folded[j] is not None), None) if auto_exists else None
        if j is not None and len(parts) > 1:
            # prove the existential from the hypotheses its witness mentions, alone (a
            # predicate is unfolded once split off: a convert of the whole goal would walk and
            # sort-check the other conjuncts, often a program and its continuation, too)
            p = parts[j] if type(parts[j]) is Exists else folded[j]
            w = _witness(g, p)
            if w is None:
                return [g]
            inst, inner = unfold_all(k, subst(p.body, {p.var: w})), []
            while type(inst) is Exists:            # ∃ y z. ...: y, z are still to be found
                inner.append(inst.var)
                inst = inst.body                   # (unfolded already)
            conjs, metas = _resources(k, inst, frozenset(inner))
            uconjs = [(c, unfold_all(k, c)) for c in conjs]
            needed = tuple(i for i, h in enumerate(g.seq.spat)
                           for uh in [unfold_all(k, h)]
                           if any(alpha_eq(h, c) or alpha_eq(uh, uc) or
                                  match(c, uh, metas) is not None for c, uc in uconjs))
            # failing that, every resource of a kind the existential is about, and every
            # big-∗ of the shape of one of its big-∗ (their terms may equal the hypotheses'
            # only provably)
            kinds = {c.kind for c in conjs if type(c) is Atom}
            bigs = [c for c in conjs if type(c) is BigSep]
            loose = tuple(i for i, h in enumerate(g.seq.spat)
                          if i in needed or type(h) is Atom and h.kind in kinds
                          or type(h) is BigSep and
                          any(_similar(unfold_all(k, h), c) for c in bigs))
            new = Sep(parts[j], _rebuild(parts[:j] + parts[j + 1:]))
            if new != a:
                (g,) = g.step("sep_ac", (("goal",), new))
            err = None
            for idxs in (needed, loose) if loose != needed else (needed,):
                left, right = g.step("sep_intro", (idxs,), [
                    {"snames": only(g.snames, idxs)}, {"snames": drop(g.snames, idxs)}])
                if parts[j] is not p:
                    (left,) = left.step("convert", (("goal",), p))
                (left,) = left.step("exists_intro", (w,))
                try:
                    rest = frame(left, auto_exists=True, try_or=try_or)
                except TacticError as e:
                    rest, err = [e.goal], e
                if not rest:
                    break
            else:
                raise TacticError("frame: cannot prove the existential", rest[0] or err.goal)
            g = right
            continue
        return [g]
    raise TacticError("frame: no progress", g)


# ---- master copies and leases -------------------------------------------------------------

def agree_all(g: Goal, syntactic: bool = False, kinds=None, clash: bool = False) -> Goal:
    """Every master copy and lease (crash.LEASED) of one cell hold the same value
    (``lease_agree``).  A pair is of one cell when its keys and versions are equal under the
    equalities the pure facts state directly (``_Equalities``; with ``syntactic``, when they
    are the same terms); the kernel checks each.  Repeated while that teaches something new,
    since one agreement (of a ghost cell, say) may make more keys equal.  ``kinds``: only
    masters of these kinds.  The masters holding compound values (a ghost cell's abstract
    state, say) come first; with ``clash``, if their agreements make two facts clash, the
    rest are not agreed (the branch is dead: ``contradiction clash`` closes it)."""
    from kernel.crash import LEASED
    progress, tried, first = True, set(), True
    while progress:
        progress = False
        eqs, agreed = None, False
        spat = g.seq.spat
        order = sorted((i for i, m in enumerate(spat) if type(m) is Atom and m.kind in LEASED
                        and not (kinds and m.kind not in kinds)),
                       key=lambda i: type(spat[i].args[-1]) is not App)
        for i in order:
            m = g.seq.spat[i]
            if first and type(m.args[-1]) is not App:     # the compound ones are done
                first = False
                if clash and agreed and equalities(g).contradictory():
                    return g
            for j, l in enumerate(g.seq.spat):
                if type(l) is not Atom or l.kind != LEASED[m.kind] or (i, j) in tried or \
                        len(l.args) != len(m.args) or alpha_eq(l.args[-1], m.args[-1]):
                    continue
                eqs = eqs or equalities(g)
                if eqs.same(l.args[-1], m.args[-1]) or not all(
                        map(alpha_eq if syntactic else eqs.same, l.args[:-1], m.args[:-1])):
                    continue
                tried.add((i, j))
                try:
                    (g,) = g.step("lease_agree", (i, j),
                                  [{"fnames": g.fnames + (g.fresh("Hag"),)}])
                except TacticError:
                    continue
                eqs, progress, agreed = None, not syntactic, True
    return g


# ---- splitting and the rest ------------------------------------------------------------------

def split_sep(g: Goal, left_names, right=False) -> list:
    g, a = head_unfold(g, ("goal",))
    if type(a) is not Sep:
        raise TacticError("the goal is not a separating conjunction", g)
    idxs = spat_indices(g, left_names)
    if right:
        idxs = tuple(i for i in range(len(g.seq.spat)) if i not in idxs)
    return g.step("sep_intro", (idxs,), [{"snames": only(g.snames, idxs)},
                                         {"snames": drop(g.snames, idxs)}])


def split_and(g: Goal) -> list:
    g, a = head_unfold(g, ("goal",))
    if type(a) is not And:
        raise TacticError("the goal is not a conjunction", g)
    return g.step("and_intro", ())


def exists(g: Goal, t) -> list:
    g, a = head_unfold(g, ("goal",))
    if type(a) is not Exists:
        raise TacticError("the goal is not existential", g)
    return g.step("exists_intro", (t,))


def or_intro(g: Goal, side: int) -> list:
    g, a = head_unfold(g, ("goal",))
    if type(a) is not Or:
        raise TacticError("the goal is not a disjunction", g)
    return g.step("or_intro", (side,))


def assert_(g: Goal, a, names, pat: str | None) -> list:
    idxs = spat_indices(g, names)
    tmp = g.fresh("_a")
    first, second = g.step("cut", (a, idxs), [
        {"snames": only(g.snames, idxs)}, {"snames": drop(g.snames, idxs) + (tmp,)}])
    rest = destruct(second, tmp, parse_patterns(pat)[0] if pat else PName(g.fresh("H")))
    return [first] + rest


def pers_copy(g: Goal, i: int, name: str) -> Goal:
    """A spatial copy of persistent hypothesis i (□P ⊢ □P ∗ P), derived: ``cut`` P, proved by
    ``assumption`` from the persistent context."""
    first, rest = g.step("cut", (g.seq.pers[i], ()), [None, {"snames": g.snames + (name,)}])
    first.step("assumption", (("p", i),))
    return rest
