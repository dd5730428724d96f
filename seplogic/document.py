"""The commands of a `.pv` file, as the parser produces them (untrusted front-end data).

Every command carries the 1-based line and column where it starts, so that errors can be
reported as ``path:line:col: error: ...``.
"""
from __future__ import annotations

from .record import dataclass, field     # (no code generated at import: seplogic/record.py)


@dataclass(frozen=True, slots=True)
class Pos:
    line: int
    col: int


# ---- tactic scripts -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TacArg:
    """One tactic argument.  ``kind`` is ``ident``, ``string``, ``int`` or ``syntax``; for
    ``syntax`` (a parenthesised formula) ``value`` is the source text between the parentheses,
    elaborated by the tactic that receives it (as a term or as an assertion)."""
    kind: str
    value: object
    pos: Pos


@dataclass(frozen=True, slots=True)
class Tactic:
    """``name arg* .``  -- e.g. ``intros "H1 H2".``, ``exists (x + 1).``"""
    name: str
    args: tuple
    pos: Pos


@dataclass(frozen=True, slots=True)
class TacThen:
    """``t1; t2``: run t2 on every goal t1 produces."""
    first: object
    then: object
    pos: Pos


@dataclass(frozen=True, slots=True)
class TacTry:
    body: object
    pos: Pos


@dataclass(frozen=True, slots=True)
class TacRepeat:
    body: object
    pos: Pos


@dataclass(frozen=True, slots=True)
class TacFirst:
    """``first [t1 | t2 | ...]``"""
    alternatives: tuple
    pos: Pos


@dataclass(frozen=True, slots=True)
class Bullet:
    """``-``, ``+``, ``*`` (any repetition), ``{`` or ``}`` before/among tactics."""
    marker: str
    pos: Pos


# ---- commands -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Require:
    """``Require "other.pv".``  -- path relative to the requiring file."""
    path: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class Definition:
    """``Definition f (x : u64) (y : u64) : u64 := term.`` -- a pure (non-recursive) function."""
    name: str
    params: tuple          # ((name, Sort), ...)
    sort: object           # Sort
    body: object           # Term
    pos: Pos


@dataclass(frozen=True, slots=True)
class PredicateDef:
    """``Predicate P (x : u64) (R : iProp) := assertion.``"""
    name: str
    params: tuple          # ((name, Sort), ...); sort iProp means an assertion parameter
    body: object           # Assertion
    pos: Pos


@dataclass(frozen=True, slots=True)
class FunctionDef:
    """``Function f (x y) := expr.`` -- a program of the core language."""
    name: str
    params: tuple          # (name, ...)
    body: object           # Expr
    pos: Pos


@dataclass(frozen=True, slots=True)
class RecordDef:
    """``Record St := { f1 : s1; f2 : s2 }.`` -- named tuples for spec states: the constructor
    ``St(a, b)`` and projections ``f1(r)`` are pure definitions over nested pairs, and the
    sort ``St`` stands for ``s1 * s2`` (see driver/load.py)."""
    name: str
    fields: tuple          # ((name, Sort), ...)
    pos: Pos


@dataclass(frozen=True, slots=True)
class Proof:
    steps: tuple           # Tactic / TacThen / TacTry / TacRepeat / TacFirst / Bullet
    ending: str            # "Qed" or "Admitted"
    pos: Pos               # of "Proof"
    end_pos: Pos           # of "Qed"/"Admitted"


@dataclass(frozen=True, slots=True)
class TheoremDef:
    """``Theorem name (binders) : statement.`` (or ``Lemma``) followed by a proof."""
    name: str
    params: tuple          # ((name, Sort), ...); iProp params are schematic assertion variables
    statement: object      # Assertion
    proof: object          # Proof or None (missing proof is an error the checker reports)
    pos: Pos
    keyword: str = "Theorem"


@dataclass(frozen=True, slots=True)
class CrashTheoremDef:
    """``Theorem name (binders) : P ⇒[n] Q.``: after a crash at version n, what survives of P
    (its durable part, masters renewed with fresh leases at n+1) proves Q."""
    name: str
    params: tuple
    version: object        # Term
    lhs: object            # Assertion
    rhs: object            # Assertion
    proof: object
    pos: Pos


@dataclass(frozen=True, slots=True)
class SpecDef:
    """``Spec RD (σ : map u64 val).``: a transition system with state variable σ."""
    name: str
    state: str
    sort: object
    pos: Pos


@dataclass(frozen=True, slots=True)
class OperationDef:
    """``Operation RD Write (a : u64) (v : val) := expr.``: a spec operation (a program over
    σ with modify/undefined/any/assume)."""
    spec: str
    name: str
    params: tuple
    body: object
    pos: Pos
    result: object = None  # ``: sort`` after the parameters: the result's sort (default val)


@dataclass(frozen=True, slots=True)
class CrashDef:
    """``Crash RD := expr.``: the spec's crash transition."""
    spec: str
    body: object
    pos: Pos


@dataclass(frozen=True, slots=True)
class InitDef:
    """``Initial RD (N : u64) := term.``: the spec's initial state for the semantics' parameters."""
    spec: str
    params: tuple
    term: object
    pos: Pos


@dataclass(frozen=True, slots=True)
class PrintDef:
    """``Print name.``: what a theorem or refinement states."""
    name: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class RefinementDef:
    """``Refinement name : SPEC := { key := name; proof key := theorem; ... }.`` -- Theorem 2
    applied to the named functions, predicates and premise theorems."""
    name: str
    spec: str
    items: tuple           # ((key, value), ...) and (("proof", key), theorem)
    pos: Pos


@dataclass(frozen=True, slots=True)
class PrintAssumptions:
    name: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class Document:
    path: str
    commands: tuple = field(default_factory=tuple)
