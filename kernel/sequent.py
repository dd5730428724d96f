"""Proof-mode sequents ``Γ; Δ□; Δ∗ ⊢ P`` (Iris Proof Mode's environments, made explicit).

* ``vars``  -- the logical variables in scope with their sorts;
* ``pure``  -- pure facts (boolean terms) known to hold (Γ);
* ``pers``  -- persistent hypotheses (Δ□), usable any number of times;
* ``spat``  -- spatial hypotheses (Δ∗), each usable once;
* ``goal``  -- the assertion to prove.

Meaning (IPM's ``envs_entails``): ``⌜∧pure⌝ ∧ □(∗pers) ∗ (∗spat) ⊢ goal`` for all values of the
variables.  Hypotheses are positional; names belong to the tactic layer.
"""
from __future__ import annotations

from types import MappingProxyType

from seplogic.record import Record, record, replace

from seplogic.syntax import Sort


class _SeqCache(Record):
    __slots__ = ("_scope",)   # (names, env): made once per list of variables (sequents never change)


@record
class Seq(_SeqCache):
    vars: tuple = ()       # ((name, Sort), ...)
    pure: tuple = ()       # (Term, ...)
    pers: tuple = ()       # (Assertion, ...)
    spat: tuple = ()       # (Assertion, ...)
    goal: object = None    # Assertion

    def scope(self) -> tuple:
        """(the variables in scope, their sorts): a dict's keys and a read-only view of it,
        shared by the sequents with these variables (so a step costs nothing per variable)."""
        try:
            return self._scope
        except AttributeError:
            object.__setattr__(self, "_scope", _scope(dict(self.vars)))
            return self._scope

    def env(self):
        return self.scope()[1]

    def names(self):        # the variables in scope: a read-only set view (in, <=, |)
        return self.scope()[0]

    def _same_vars(self, **changes) -> "Seq":
        """A copy with other hypotheses or goal: its scope is ours (kept, not recomputed)."""
        get = changes.pop
        new = Seq(self.vars, get("pure", self.pure), get("pers", self.pers),
                  get("spat", self.spat), get("goal", self.goal))
        if changes:                 # vars (then the scope would be stale), or no field at all
            raise ValueError(f"_same_vars keeps the variables; not {sorted(changes)}")
        object.__setattr__(new, "_scope", self.scope())
        return new

    def with_goal(self, goal) -> "Seq":
        return self._same_vars(goal=goal)

    def add_var(self, name: str, sort: Sort) -> "Seq":
        new = replace(self, vars=self.vars + ((name, sort),))   # (a new dict: a dict's copy
        object.__setattr__(new, "_scope", _scope(self.env() | {name: sort}))   # is one memcpy)
        return new

    def add_pure(self, *facts) -> "Seq":
        return self._same_vars(pure=self.pure + tuple(facts))

    def add_pers(self, *hyps) -> "Seq":
        return self._same_vars(pers=self.pers + tuple(hyps))

    def add_spat(self, *hyps) -> "Seq":
        return self._same_vars(spat=self.spat + tuple(hyps))

    def drop_spat(self, idxs) -> "Seq":
        return self._same_vars(spat=without(self.spat, idxs))

    def only_spat(self, idxs) -> "Seq":
        return self._same_vars(spat=keeping(self.spat, idxs))

    def set_spat(self, i: int, *hyps) -> "Seq":
        return self._same_vars(spat=self.spat[:i] + tuple(hyps) + self.spat[i + 1:])

    def set_pers(self, i: int, *hyps) -> "Seq":
        return self._same_vars(pers=self.pers[:i] + tuple(hyps) + self.pers[i + 1:])


def _scope(env: dict) -> tuple:
    return env.keys(), MappingProxyType(env)


def without(items: tuple, idxs) -> tuple:
    """``items`` without the positions ``idxs``, by slices (a position naming none drops none)."""
    for i in sorted({i for i in idxs if 0 <= i < len(items)}, reverse=True):
        items = items[:i] + items[i + 1:]
    return items


def keeping(items: tuple, idxs) -> tuple:
    """The items at the positions ``idxs``, each once, in order."""
    return tuple(items[i] for i in sorted({i for i in idxs if 0 <= i < len(items)}))
