"""The untrusted proof state: goals with named hypotheses, and the derivation being built.

A `Goal` wraps a kernel `Seq` and adds names for its hypotheses.  Every step applies one kernel
rule through `Goal.step`, which calls the kernel's own rule function to compute the premises
(so tactics and kernel agree on what each rule does) and records ``(rule, args)`` in the goal's
`Hole`.  At ``Qed`` the holes are frozen into plain tuples and the kernel re-checks the whole
derivation from the statement down.
"""
from __future__ import annotations

import weakref
from contextvars import ContextVar
from seplogic.record import Record, record

from kernel.rules import RULES
from kernel.sequent import Seq
from kernel.wf import KernelError
from seplogic.syntax import Avoid


# The source position of the tactic being run; recorded in each derivation node so that a
# kernel rejection at Qed points at the tactic that produced the step.
CURRENT_TAG: ContextVar = ContextVar("CURRENT_TAG", default=None)


# Goal.entails's answers, per kernel (the kernel decides anyway when a rule is applied)
_ENTAILS = weakref.WeakKeyDictionary()

# kernel -> ({(definitions, vars, facts): token}, {(definitions, id(vars), id(facts)):
# (vars, facts, token)}): one token per pure context, for the memos keyed by contexts
_CONTEXTS = weakref.WeakKeyDictionary()


def context_token(g: "Goal") -> object:
    """A token for g's pure context (the kernel's definitions, g's variables and facts), the
    same for equal contexts.  Found by the identity of the sequent's tuples first: a goal and
    its premises share them, and hashing them hashes every fact and sort again (a tuple's hash
    is not kept).  An entry keeps its tuples alive, so no other tuple takes their ids."""
    memo = _CONTEXTS.get(g.kernel)
    if memo is None:
        memo = _CONTEXTS[g.kernel] = ({}, {})
    by_content, by_id = memo
    vs, facts, nd = g.seq.vars, g.seq.pure, len(g.kernel.defs)
    hit = by_id.get((nd, id(vs), id(facts)))
    if hit is not None and hit[0] is vs and hit[1] is facts:
        return hit[2]
    if len(by_id) > 4096:
        by_id.clear()
    if len(by_content) > 4096:
        by_content.clear()
    token = by_content.get((nd, vs, facts))
    if token is None:
        token = by_content[(nd, vs, facts)] = object()
    by_id[(nd, id(vs), id(facts))] = (vs, facts, token)
    return token


def forget_kernel(kernel) -> None:
    """Drop what the tactics remember about ``kernel`` (pure answers and contexts, unfolded
    predicates, the index of axioms, the definitions' names).  Those memos are dated by the
    kernel's table sizes, which only grow, except when a front end puts back an earlier state
    (the REPL's Undo): a predicate or definition undone and defined again under its name has
    the same count."""
    from tactics.basic import _DEF_NAMES, _UNFOLDED
    from tactics.wp import _AXIOMS
    for memo in (_ENTAILS, _CONTEXTS, _UNFOLDED, _AXIOMS, _DEF_NAMES):
        memo.pop(kernel, None)


class TacticError(Exception):
    """A tactic failed; ``goal`` (optional) is shown to the user with the message."""

    def __init__(self, msg, goal=None, pos=None):
        super().__init__(msg)
        self.goal = goal
        self.pos = pos      # where in the tactic's text, if not at its start (a Pos)


class Hole:
    """Where the derivation of one goal goes."""
    __slots__ = ("rule", "args", "subs", "tag")

    def __init__(self):
        self.rule = None


def freeze(hole: Hole):
    """Turn a filled tree of holes into the kernel's plain-tuple derivation (iteratively)."""
    out: dict = {}
    stack = [(hole, False)]
    while stack:
        h, done = stack.pop()
        if h.rule is None:
            raise TacticError("the proof is not complete")
        if done:
            out[id(h)] = (h.rule, h.args, tuple(out.pop(id(s)) for s in h.subs), h.tag)
        else:
            stack.append((h, True))
            stack.extend((s, False) for s in h.subs)
    return out[id(hole)]


class _GoalCache(Record):
    # all_names(), computed once per goal (goals never change); _inborn: every name is in born
    __slots__ = ("_names", "_inborn", "_born")   # (_born: born as a set)


@record
class Goal(_GoalCache):
    seq: Seq
    snames: tuple = ()     # name per spatial hypothesis
    pnames: tuple = ()     # name per persistent hypothesis
    fnames: tuple = ()     # name per pure fact
    hole: Hole = None
    kernel: object = None
    origin: str = ""       # where the goal came from, for errors: "the loop invariant at
                           # loop entry, left by wp_loop at 180:3" ("" for the main line)
    # every hypothesis name in the order it first appeared: the display keeps that order even
    # where a rule puts a hypothesis back at the end (a consumed and returned points-to)
    born: tuple = ()

    # ---- lookup -----------------------------------------------------------------------------

    def all_names(self) -> "Names":
        """Every name in use: hypotheses' and variables' (one view per goal: tactics ask at
        every step, and uniting a goal's names would copy them all at every step)."""
        try:
            return self._names
        except AttributeError:
            born = self._born if getattr(self, "_inborn", False) else None
            out = Names(self.seq.names(), born, self.snames, self.pnames, self.fnames)
            object.__setattr__(self, "_names", out)
            return out

    def born_set(self) -> frozenset:
        """``born`` as a set (kept per goal and handed on by steps that make no new name)."""
        try:
            return self._born
        except AttributeError:
            object.__setattr__(self, "_born", frozenset(self.born))
            return self._born

    def find(self, name: str):
        """``("s", i)`` or ``("p", i)`` for a hypothesis name."""
        for kind, names in (("s", self.snames), ("p", self.pnames)):
            try:
                return (kind, names.index(name))      # (one scan, not `in` and then index)
            except ValueError:
                pass
        from .suggest import did_you_mean
        raise TacticError(f"no hypothesis named {name}"
                          f"{did_you_mean(name, [h for h in self.snames + self.pnames if not h.startswith('_')])}",
                          self)

    def hyp(self, ref):
        kind, i = ref
        return self.seq.spat[i] if kind == "s" else self.seq.pers[i]

    def with_goal(self, goal) -> "Goal":
        """A probe: the same context with another goal and a scratch hole (for trying a rule
        without touching this goal's derivation)."""
        return self._same_names(Goal(self.seq.with_goal(goal), self.snames, self.pnames,
                                     self.fnames, Hole(), self.kernel, self.origin, self.born))

    def _same_names(self, g: "Goal") -> "Goal":
        """g, which has our names and variables, given our `all_names` if we made it."""
        try:
            object.__setattr__(g, "_names", self._names)
        except AttributeError:
            pass
        return g

    def fresh(self, base: str) -> str:
        from seplogic.syntax import fresh_name
        return fresh_name(base, self.all_names())

    def _entails_key(self, term):
        return (context_token(self), term)

    def _entails_memo(self) -> dict:
        memo = _ENTAILS.get(self.kernel)
        if memo is None:
            memo = _ENTAILS[self.kernel] = {}
        return memo

    def entails(self, term) -> bool:
        """The pure facts prove ``term`` (the kernel's checker; tactics ask the same question
        many times while searching, so answers are remembered per context)."""
        hit = self.known(term)
        if hit is None:
            hit = self.kernel.entails(self.seq, term)
            self.remember(term, hit)
        return hit

    def known(self, term):
        """What ``entails`` found out about ``term`` in this context before, or None."""
        return self._entails_memo().get(self._entails_key(term))

    def remember(self, term, value: bool) -> None:
        memo = self._entails_memo()
        memo[self._entails_key(term)] = value
        if len(memo) > 4096:
            memo.pop(next(iter(memo)))

    # ---- stepping ---------------------------------------------------------------------------

    def step(self, rule: str, args: tuple, names: list | None = None, tag=None) -> list:
        """Apply a kernel rule; ``names[i]`` gives the new premise's names as a dict with
        optional keys ``snames``/``pnames``/``fnames`` (default: computed by `_renamed`)."""
        try:
            premises = RULES[rule].apply(self.kernel, self.seq, args, set(), set())
        except KernelError as e:
            raise TacticError(str(e), self) from None
        self.hole.rule, self.hole.args = rule, args
        self.hole.tag = tag if tag is not None else CURRENT_TAG.get()
        self.hole.subs = []
        out = []
        for j, p in enumerate(premises):
            h = Hole()
            self.hole.subs.append(h)
            spec = (names[j] if names and j < len(names) and names[j] is not None else {})
            out.append(self._renamed(p, h, spec))
        return out

    def _renamed(self, p: Seq, hole: Hole, spec: dict) -> "Goal":
        made = set()      # names made up for this premise

        def fit(names, hyps, default_prefix):
            if len(names) == len(hyps):
                return tuple(names)
            names = list(names)[:len(hyps)]
            if len(names) < len(hyps):
                used = Avoid(self.all_names(), set(names), made)
                while len(names) < len(hyps):
                    n = _fresh(default_prefix, used)
                    names.append(n)
                    made.add(n)
            return tuple(names)
        sn = spec.get("snames", self.snames)
        pn = spec.get("pnames", self.pnames)
        fn = spec.get("fnames", self.fnames)
        sn, pn, fn = fit(sn, p.spat, "H"), fit(pn, p.pers, "#H"), fit(fn, p.pure, "%H")
        born, seen = self.born, self.born_set()
        same = sn is self.snames and pn is self.pnames and fn is self.fnames
        inborn = getattr(self, "_inborn", False)
        if not (same and inborn):    # (else: no name is new)
            # a list of ours has none (when all ours are born); issuperset reads the others
            # without making a set: most steps make no new name
            new = [n for t, ours in ((sn, self.snames), (pn, self.pnames), (fn, self.fnames))
                   if not (t is ours and inborn) and not seen.issuperset(t)
                   for n in t if n not in seen]
            if new:       # (in the order they appear)
                new = tuple(dict.fromkeys(new))
                born, seen = born + new, seen.union(new)
        g = Goal(p, sn, pn, fn, hole, self.kernel, self.origin, born)
        object.__setattr__(g, "_inborn", True)
        object.__setattr__(g, "_born", seen)
        return self._same_names(g) if same and p.vars is self.seq.vars else g


def labelled(g: Goal, what: str) -> Goal:
    """``g`` marked as a side goal: ``what`` it is, and where (the tactic being run)."""
    from seplogic.record import replace
    tag = CURRENT_TAG.get()
    return replace(g, origin=what + (f" at {tag[0]}:{tag[1]}" if tag else ""))


class Names:
    """A goal's names, for ``in``: the sequent's variables (a set its steps share) and the
    hypotheses' names (tuples).  A name never born (`Goal.born_set`, when the goal's names are
    all in it) is no hypothesis's -- the usual answer for a fresh name; otherwise the tuples are
    scanned for the first few questions, then united once: most goals are asked once or twice,
    and every step makes a goal."""
    __slots__ = ("vars", "born", "hyps", "asked", "united")

    def __init__(self, vars_: frozenset, born, *hyps: tuple):
        self.vars, self.born, self.hyps, self.asked, self.united = vars_, born, hyps, 0, None

    def __contains__(self, x) -> bool:
        if x in self.vars:
            return True
        if self.born is not None and x not in self.born:
            return False
        if self.united is None:
            self.asked += 1
            if self.asked <= 4:
                return any(x in t for t in self.hyps)
            self.united = frozenset().union(*self.hyps)
        return x in self.united


def _fresh(prefix, used):
    i = 1
    while f"{prefix}{i}" in used:
        i += 1
    return f"{prefix}{i}"


def new_goal(kernel, statement) -> Goal:
    return Goal(Seq(goal=statement), hole=Hole(), kernel=kernel)

