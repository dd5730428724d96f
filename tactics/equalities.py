"""A cheap, incomplete view of a context's pure facts: the equalities they state directly, and
the literals they assert.  Tactics use it to rank candidates and to skip questions whose answer
is plainly no before the pure checker (or the kernel) is asked; it decides nothing itself."""
from __future__ import annotations

import weakref
from itertools import islice

from seplogic.syntax import App, Lit

from .state import Goal, context_token


def _conjuncts(facts):
    """The pure facts, with conjunctions split."""
    out, todo = [], list(facts)
    while todo:
        f = todo.pop(0)
        if type(f) is App and f.op == "and":
            todo[:0] = f.args
        else:
            out.append(f)
    return out


_EQUALITIES = weakref.WeakKeyDictionary()   # kernel -> {context token: view}


def equalities(g: Goal) -> "_Equalities":
    """The `_Equalities` of g's pure facts, made once per context (tactics ask for it at
    every master/lease pair and candidate they weigh)."""
    memo = _EQUALITIES.setdefault(g.kernel, {})
    key = context_token(g)
    eqs = memo.get(key)
    if eqs is None:
        if len(memo) > 256:
            memo.clear()
        # a context usually extends one seen just before (a step adds variables and facts):
        # then only its new facts are added to a copy of that one's view (the last few are
        # looked at, not all 256: a miss would cost a comparison with each)
        base = next((e for e in islice(reversed(memo.values()), 8) if e.extended_by(g)), None)
        eqs = memo[key] = _Equalities(g, base)
    return eqs


class _Equalities:
    """A cheap, incomplete view of the pure facts' equalities, to find candidates before the
    pure checker (or the kernel) is asked: terms in the pure checker's simplified form
    (definitions unfolded, projections of pairs taken), then a union-find over the equations
    among the facts (pairs taken apart)."""

    def __init__(self, g: Goal, base: "_Equalities | None" = None):
        from kernel.pure import _Prover
        self.ndefs, self.vars, self.pure = len(g.kernel.defs), g.seq.vars, g.seq.pure
        self.prover = _Prover(g.seq.env(), g.kernel.defs)
        self.parent, new, self.facts, self.canons = {}, g.seq.pure, None, {}
        self.base, self.merged_literals = base, False
        if base is not None:     # (the canonical forms hold while no equation is added)
            self.parent, new = dict(base.parent), g.seq.pure[len(base.pure):]
            self.canons, self.merged_literals = base.canons, base.merged_literals
            self.prover.sorts, self.prover.simps = base.prover.sorts, base.prover.simps
        todo = [tuple(map(self.simp, f.args)) for f in _conjuncts(new)
                if type(f) is App and f.op == "eq"]
        while todo:
            x, y = todo.pop()
            if type(x) is App and type(y) is App and x.op == y.op == "pair":
                todo += list(zip(x.args, y.args))
            self.union(x, y)

    def extended_by(self, g: Goal) -> bool:
        """g's context is this one's with variables (of new names) and facts appended, so
        this view's simplifications and equations hold in it."""
        n, v = len(self.vars), g.seq.vars
        return (self.ndefs == len(g.kernel.defs) and len(v) >= n and v[:n] == self.vars and
                g.seq.pure[:len(self.pure)] == self.pure and
                not {x for x, _ in v[n:]} & {x for x, _ in self.vars})

    def simp(self, t):
        try:
            return self.prover.simp(t)
        except Exception:         # the checker gave up (or an ill-sorted term): as it is
            return t

    def find(self, t):
        while t in self.parent:
            t = self.parent[t]
        return t

    def union(self, x, y):
        x, y = self.find(self._canon(x)), self.find(self._canon(y))
        if x != y:       # the smaller term (a variable, say) represents the class
            big, small = (x, y) if _size(x) >= _size(y) else (y, x)
            self.parent[big] = small
            self.canons = {}
            # two different literals in one class (f = 0 and f = 1): the facts clash
            self.merged_literals = self.merged_literals or type(x) is Lit is type(y)

    def _canon(self, t):
        out = self.canons.get(t)
        if out is None:
            u = App(t.op, tuple(map(self._canon, t.args))) if type(t) is App and t.args else t
            out = self.canons[t] = self.find(u)
        return out

    def canon(self, t):
        return self._canon(self.simp(t))

    def same(self, a, b) -> bool:
        return a == b or self.canon(a) == self.canon(b)

    # ---- literal clashes ----------------------------------------------------------------

    def _literals(self, t):
        """t's conjuncts (simplified, in canonical form) as (atom, polarity): ¬a is (a, False),
        a < b is (b ≤ a, False) (the orders are total), an equation of two different literals
        is (false, True)."""
        out = []
        for c in _conjuncts([self.simp(t)]):
            c, pos = self._canon(c), True
            while type(c) is App and c.op == "not":
                c, pos = c.args[0], not pos
            if type(c) is App and c.op == "lt":
                c, pos = App("le", c.args[::-1]), not pos
            elif type(c) is App and c.op == "eq" and (
                    c.args[0] == c.args[1] or all(type(x) is Lit for x in c.args)):
                c = Lit("bool", c.args[0] == c.args[1])     # (a fact's equation: true)
            out.append((c, pos))
        return out

    def _facts(self) -> dict:
        """The facts' literals: atom -> polarity (equations both ways round)."""
        if self.facts is None:
            self.facts, self.clash, new = {}, self.merged_literals, self.pure
            base = self.base if self.base is not None and self.canons is self.base.canons \
                else None                   # (the base's canonical forms are still ours)
            if base is not None:
                self.facts, self.clash = dict(base._facts()), base.clash or self.clash
                new = self.pure[len(base.pure):]
            self.base = None
            # (an equation among the facts is in the union-find: its literal is true)
            for c, pos in (x for f in _conjuncts(new) if not (type(f) is App and f.op == "eq")
                           for x in self._literals(f)):
                self.clash = self.clash or type(c) is Lit and c.value is not pos or \
                    self.facts.get(c, pos) is not pos
                self.facts[c] = pos
                if type(c) is App and c.op == "eq":
                    self.facts[App("eq", c.args[::-1])] = pos
        return self.facts

    def contradictory(self) -> bool:
        """Two facts clash (one is the other's negation, up to the equations), or one is
        false: the facts are inconsistent, plainly."""
        self._facts()
        return self.clash

    def clashes(self, t) -> bool:
        """Some conjunct of t is false or the negation of a fact, up to the equations: t does
        not follow from consistent facts (a question not worth asking the pure checker)."""
        facts = self._facts()
        return any(type(c) is Lit and c.value is not pos or facts.get(c, pos) is not pos
                   for c, pos in self._literals(t))


def _size(t) -> int:
    """The number of nodes of a term (cheaper than the length of its text)."""
    return 1 + sum(map(_size, t.args)) if type(t) is App else 1
