"""Big separating conjunctions: splitting off an index, and framing a big-∗ goal from a big-∗
hypothesis that differs from it at one index or pointwise.

Framing a big-∗ is what every proof over a disk of N blocks does when it puts an invariant
back: it took block a out (``[∗ set] k ∈ S ∖ {[a]}. P k`` and P a's parts), or extended a loop's
range by one (``[∗ set] k ∈ range(0, i). P k`` and P i's parts), or changed every element in a way
each element shows (the spec's state updated at a, which the other blocks do not mind).  Each
is derived from the kernel's big_sepS rules; nothing here is trusted.
"""
from __future__ import annotations

from seplogic.syntax import App, BigSep, Lit, Sep, alpha_eq, subst

from .state import Goal, TacticError


def bigsep_range(g: Goal, target, back: bool, c=None) -> list:
    """Split the first (or, with ``back``, the last) index off a big-∗ over ``range(a, b)``.
    Derived: ``bigsep_split`` at a (or at c = b - 1), then ``convert`` the rest's set
    ``range(a, b) ∖ {x}`` to ``range(c, b)`` (or ``range(a, c)``) — equal sets, which the pure
    checker proves extensionally."""
    hyps = g.seq.spat if target[0] == "s" else g.seq.pers
    a = g.seq.goal if target == ("goal",) else hyps[target[1]]
    if not _over_range(a):
        raise TacticError("not a big separating conjunction over a range", g)
    lo, hi = a.coll.args
    one = Lit("int", 1)
    if c is None:
        c = App("sub", (hi, one)) if back else App("add", (lo, one))
    elem, rest = (c, App("range", (lo, c))) if back else (lo, App("range", (c, hi)))
    new = Sep(subst(a.body, {a.vars[0]: elem}), BigSep("set", a.vars, rest, a.body))
    try:        # the kernel's steps ask what they need (the tactic asking first asks twice)
        (g2,) = g.step("bigsep_split", (target, elem, None))
        return g2.step("convert", (target, new))
    except TacticError:         # say which condition fails
        need = App("eq", (hi, App("add", (c, one)))) if back else \
            App("eq", (c, App("add", (lo, one))))
        for fact, why in ((App("lt", (lo, hi)), "the range is not empty"),
                          (need, "b = c + 1" if back else "c = a + 1")):
            if not g.entails(fact):
                raise TacticError(f"cannot prove that {why}", g) from None
        raise


def element_as(g: Goal, target, pat) -> list:
    """After a split of hypothesis ``target`` into element ∗ rest (``bigsep_split`` or
    ``bigsep_range`` with ``as "pat"``): destruct the element with ``pat``; the rest keeps the
    hypothesis's name."""
    from .basic import destruct, put
    from .patterns import PList, parse_patterns
    kind, i = target
    field = "snames" if kind == "s" else "pnames"
    name, tmp = getattr(g, field)[i], g.fresh("_b")
    (g,) = g.step("sep_elim", (target,), [{field: put(getattr(g, field), i, tmp, name)}])
    pats = parse_patterns(pat)
    return destruct(g, tmp, pats[0] if len(pats) == 1 else PList(tuple(pats)))


def _over_range(a) -> bool:
    return type(a) is BigSep and a.kind == "set" and type(a.coll) is App and \
        a.coll.op == "range"


def _without(coll):
    """(S, x) for a set ``S ∖ {[x]}``, else None."""
    if type(coll) is App and coll.op == "diff" and type(coll.args[1]) is App and \
            coll.args[1].op == "set" and len(coll.args[1].args) == 1:
        return coll.args[0], coll.args[1].args[0]
    return None


def apart(a, b) -> bool:
    """Two big-∗ over sets that no convert makes one: one over ``S ∖ {[x]}`` and one not, or
    ranges with one bound the same and the other one off (``range(0, i)``, ``range(0, i + 1)``);
    `frame_bigsep` splits them instead (a failing convert asks the pure checker, slowly)."""
    if type(a) is not BigSep or type(b) is not BigSep or a.kind != "set" or b.kind != "set":
        return False
    if (_without(a.coll) is None) != (_without(b.coll) is None):
        return True
    if not (_over_range(a) and _over_range(b)):
        return False
    (lo, hi), (lo2, hi2) = a.coll.args, b.coll.args
    return alpha_eq(lo, lo2) and _next(hi, hi2) or alpha_eq(hi, hi2) and _next(lo, lo2)


def _next(x, y) -> bool:
    """Is one of x, y the other plus one (as written)?"""
    def succ(t, u):
        return type(t) is App and t.op in ("add", "add64") and alpha_eq(t.args[0], u) and \
            type(t.args[1]) is Lit and t.args[1].value == 1
    return succ(x, y) or succ(y, x)


def body_head(a: BigSep):
    """What a big-∗ is of: its body's class and predicate name or atom kind."""
    return (type(a.body).__name__, getattr(a.body, "name", getattr(a.body, "kind", None)))


def _candidates(g: Goal, goal: BigSep) -> list:
    """The spatial big-∗ hypotheses over sets, those about the goal's predicate first."""
    hs = [h for h in g.seq.spat if type(h) is BigSep and h.kind == "set" and
          len(h.vars) == len(goal.vars) and not alpha_eq(h, goal)]
    return sorted(hs, key=lambda h: body_head(h) != body_head(goal))


def frame_bigsep(g: Goal):
    """A goal ``[∗ set] k ∈ S. Q k`` (alone) that no hypothesis is as it is: the goals that
    replace it, or None if no big-∗ hypothesis helps.  Tried in order, each derived:

    - a hypothesis over ``S ∖ {[x]}`` (x ∈ S): the goal splits at x (big_sepS_delete), Q x ∗
      [∗ set] k ∈ S ∖ {[x]}. Q k;
    - a hypothesis over ``range(a, c)`` (or ``range(c, b)``) and S = ``range(a, b)`` with
      b = c + 1 (c = a + 1): the goal splits off c (a), as ``bigsep_range``;
    - a hypothesis ``[∗ set] k ∈ S'. P k`` with S' = S (the pure facts prove it): each
      element, P k ⊢ Q k for k ∈ S, is shown by ``done`` (big_sepS_impl).
    """
    a = g.seq.goal
    cands = _candidates(g, a)
    for h in cands if _without(a.coll) is None else ():
        w = _without(h.coll)
        if w is None:
            continue
        try:
            return g.step("bigsep_split", (("goal",), w[1], None))
        except TacticError:
            continue
    if _over_range(a):
        lo, hi = a.coll.args
        for h in cands:
            if not _over_range(h):
                continue
            for back, (x, y), end in ((True, h.coll.args, lo), (False, h.coll.args[::-1], hi)):
                if not alpha_eq(x, end):
                    continue
                try:
                    return bigsep_range(g, ("goal",), back, y)
                except TacticError:
                    continue
    # pointwise: over the same set, or over one the facts may make it if the bodies are
    # about the same predicate (showing two sets equal fails slowly when they are not)
    same = [h for h in cands if alpha_eq(h.coll, a.coll)]
    for h in same + [h for h in cands if h not in same and body_head(h) == body_head(a)
                     and not apart(h, a)]:
        try:
            return _pointwise(g, h)
        except TacticError:
            continue
    return None


def _pointwise(g: Goal, h: BigSep) -> list:
    """The goal from hypothesis h element by element (after converting the goal's set to
    h's when they are not the same terms)."""
    from .basic import done, intros_all
    from seplogic.record import replace
    a = g.seq.goal
    if not alpha_eq(a.coll, h.coll):
        (g,) = g.step("convert", (("goal",), replace(a, coll=h.coll)))
    i = next(j for j, x in enumerate(g.seq.spat) if x is h or alpha_eq(x, h))
    (each,) = g.step("bigsep_mono", (i,))
    (each,) = intros_all(each)
    if done(each):
        raise TacticError("frame: an element of the big-∗ does not follow", each)
    return []
