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

from seplogic.record import Record, record, replace

from seplogic.syntax import Sort


class _SeqCache(Record):
    __slots__ = ("_names",)   # names(), computed once per sequent (sequents never change)


@record
class Seq(_SeqCache):
    vars: tuple = ()       # ((name, Sort), ...)
    pure: tuple = ()       # (Term, ...)
    pers: tuple = ()       # (Assertion, ...)
    spat: tuple = ()       # (Assertion, ...)
    goal: object = None    # Assertion

    def env(self) -> dict:
        return dict(self.vars)

    def names(self) -> set:
        """The variables in scope: a new set (callers add to it), copied from one computed
        once per sequent."""
        try:
            return set(self._names)
        except AttributeError:
            out = frozenset(n for n, _ in self.vars)
            object.__setattr__(self, "_names", out)
            return set(out)

    def _same_vars(self, **changes) -> "Seq":
        """A copy with other hypotheses or goal: its names are ours (kept, not recomputed)."""
        new = replace(self, **changes)
        try:
            object.__setattr__(new, "_names", self._names)
        except AttributeError:
            pass
        return new

    def with_goal(self, goal) -> "Seq":
        return self._same_vars(goal=goal)

    def add_var(self, name: str, sort: Sort) -> "Seq":
        return replace(self, vars=self.vars + ((name, sort),))

    def add_pure(self, *facts) -> "Seq":
        return self._same_vars(pure=self.pure + tuple(facts))

    def add_pers(self, *hyps) -> "Seq":
        return self._same_vars(pers=self.pers + tuple(hyps))

    def add_spat(self, *hyps) -> "Seq":
        return self._same_vars(spat=self.spat + tuple(hyps))

    def drop_spat(self, idxs) -> "Seq":
        drop = set(idxs)
        return self._same_vars(spat=tuple(h for i, h in enumerate(self.spat) if i not in drop))

    def only_spat(self, idxs) -> "Seq":
        keep = set(idxs)
        return self._same_vars(spat=tuple(h for i, h in enumerate(self.spat) if i in keep))

    def set_spat(self, i: int, *hyps) -> "Seq":
        return self._same_vars(spat=self.spat[:i] + tuple(hyps) + self.spat[i + 1:])

    def set_pers(self, i: int, *hyps) -> "Seq":
        return self._same_vars(pers=self.pers[:i] + tuple(hyps) + self.pers[i + 1:])
