"""Modules: every `.pv` file is a name space (docs/syntax.md, Modules).

A file's module is named by its file stem (``proofs/heap/swap.pv`` is ``swap``).  Each name a
file defines enters the kernel qualified, ``swap.swap_spec``, so the kernel can never confuse
two definitions of one short name from different files.  ``Require "f.pv".`` makes f's names
(and, transitively, those of what f requires) visible: qualified always, unqualified where only
one visible module defines the name.  A local definition shadows a required one (as in Coq);
an unqualified name two required modules define is an error naming both.  What a module
exports is computable from the file and its requirements alone (the basis of caching).

`Scope.elaborate` resolves the names of one parsed command to kernel keys; tactics resolve the
phrases they parse later through `seplogic.names` (the scope of the file being checked).
"""
from __future__ import annotations

import os
import re

from seplogic.document import (
    CrashDef, CrashTheoremDef, Definition, FunctionDef, InitDef, OperationDef, PredicateDef,
    PrintAssumptions, PrintDef, RecordDef, RefinementDef, SpecDef, TheoremDef,
)
from seplogic.names import ScopeError
from seplogic.record import dataclass, field, replace
from seplogic.syntax import (
    App, Assertion, Call, EVar, Expr, Lit, PredApp, Term, Var, short_name,
)

_LEAVES = (Var, Lit, EVar, str, int, type(None))   # resolve_syntax: nothing to resolve inside

KIND_WORD = {"term": "function symbol", "pred": "predicate", "func": "program function",
             "thm": "theorem", "spec": "spec"}
# the kind of name each defining command defines
_DEFINES = {Definition: "term", PredicateDef: "pred", FunctionDef: "func", TheoremDef: "thm",
            CrashTheoremDef: "thm", SpecDef: "spec", OperationDef: "term"}
# the refinement keys whose values name predicates; `invariant` names an invariant namespace,
# `semantics` a semantics' initial-state predicate (not module-qualified)
_PRED_ROLES = ("crash_inv", "crash_start", "init_start", "abs")
_PLAIN_ROLES = ("invariant",)
_SPECIAL_IMPL = ("init", "recover")


def module_name(path: str) -> str:
    """The module of a file: its stem, with characters a name cannot hold replaced by ``_``."""
    stem = os.path.splitext(os.path.basename(path))[0]
    name = re.sub(r"[^\w']", "_", stem)
    return name if name and not name[0].isdigit() else "m_" + name


@dataclass
class Module:
    name: str
    path: str                                   # as given (for messages)
    requires: list = field(default_factory=list)     # Modules, direct
    names: dict = field(default_factory=dict)        # short -> (kind, line)
    records: dict = field(default_factory=dict)      # short -> Sort
    # the Functions the file defines, known before they are defined: calls may refer to a
    # later Function (the code under study may recurse)
    functions: frozenset = frozenset()

    def key(self, short: str) -> str:
        return f"{self.name}.{short}"

    def closure(self) -> list:
        """This module's requirements, transitively (not itself), in a fixed order."""
        seen, out, todo = {self.name}, [], list(reversed(self.requires))
        while todo:
            m = todo.pop()
            if m.name in seen:
                continue
            seen.add(m.name)
            out.append(m)
            todo.extend(reversed(m.requires))
        return out


class Scope:
    """The names one module sees: its own (as defined so far), those of its requirements, and
    the prelude (what the semantics in theories/ install, unqualified)."""

    def __init__(self, module: Module, prelude: dict, everywhere):
        self.module = module
        self.prelude = prelude                  # kind -> set of names
        self.everywhere = everywhere            # () -> all loaded Modules (for hints)
        self._shown: dict = {}

    # ---- resolution ----------------------------------------------------------------------

    def visible(self) -> list:
        return [self.module] + self.module.closure()

    def resolve(self, kind: str, name: str) -> str:
        key = self._lookup(kind, name)
        if key is None:
            raise ScopeError(self._unknown(kind, name), name)
        return key

    def _lookup(self, kind: str, name: str):
        """The key, None if not found; ScopeError if ambiguous or of a module not required."""
        mod, dot, short = name.rpartition(".")
        if dot:
            for m in self.visible():
                if m.name == mod:
                    return name if _has(m, short, kind) else None
            if any(m.name == mod for m in self.everywhere()):
                raise ScopeError(f"{name}: module {mod} is not required here; add "
                                 f"Require \"{_rel(self.module, mod, self.everywhere())}\".",
                                 name)
            return None
        if _has(self.module, name, kind):
            return self.module.key(name)          # a local definition shadows a required one
        found = [m for m in self.module.closure() if _has(m, name, kind)]
        if len(found) > 1:
            where = " and ".join(f"{m.key(name)} ({m.path}:{m.names[name][1]})" for m in found)
            raise ScopeError(f"{name} is ambiguous: it may be {where}; write the qualified "
                             "name", name)
        if found:
            return found[0].key(name)
        if name in self.prelude.get(kind, ()):
            return name
        if kind == "func" and name in self.module.functions:
            return self.module.key(name)
        return None

    def _unknown(self, kind: str, name: str) -> str:
        msg = f"unknown {KIND_WORD[kind]} {name}"
        short = short_name(name)
        elsewhere = [m for m in self.everywhere()
                     if _has(m, short, kind) and m not in self.visible()]
        if elsewhere:
            m = elsewhere[0]
            return (f"{msg}: {m.key(short)} is defined in {m.path}; add "
                    f"Require \"{_rel(self.module, m.name, self.everywhere())}\".")
        import difflib      # (only for an error: its import is not free at start-up)
        near = difflib.get_close_matches(short, self.known(kind), n=1, cutoff=0.7)
        return f"{msg} (did you mean {near[0]}?)" if near else msg

    def known(self, kind: str) -> list:
        out = set(self.prelude.get(kind, ()))
        for m in self.visible():
            out |= {n for n, (k, _) in m.names.items() if k == kind}
        return sorted(out)

    def display(self, key: str) -> str:
        """The short name where it resolves to ``key`` here, else the key itself."""
        shown = self._shown.get(key)
        if shown is None:
            short = short_name(key)
            shown = key
            if short != key:
                for kind in KIND_WORD:
                    try:
                        if self._lookup(kind, short) == key:
                            shown = short
                            break
                    except ScopeError:
                        break
            self._shown[key] = shown
        return shown

    def define(self, short: str, kind: str, line: int) -> None:
        self.module.names[short] = (kind, line)
        self.changed()

    def changed(self) -> None:
        """What is visible changed (a definition, a Require): forget how names print."""
        self._shown.clear()

    def records(self) -> dict:
        """Record sort names (short where unambiguous, and qualified) -> the sorts they stand
        for; a local record shadows a required one."""
        out, count = {}, {}
        for m in reversed(self.visible()):
            for short, sort in m.records.items():
                out[m.key(short)] = sort
                count[short] = count.get(short, 0) + 1
                if m is self.module or count[short] == 1:
                    out[short] = sort
                elif short not in self.module.records:
                    out.pop(short, None)
        return out

    # ---- elaboration -----------------------------------------------------------------------

    def resolve_syntax(self, x):
        """``x`` with every user name replaced by its key (built-in operators are kept)."""
        from kernel.core import BUILTIN_OPS
        tp = type(x)
        if tp in _LEAVES:      # (no user name in these: the commonest nodes, answered first)
            return x
        if tp is tuple:
            out = tuple(self.resolve_syntax(y) for y in x)
            return x if all(a is b for a, b in zip(out, x)) else out
        if not isinstance(x, (Term, Assertion, Expr)):
            return x
        changes = {}
        for f in x._fields:
            v = getattr(x, f)
            w = self.resolve_syntax(v) if isinstance(v, (tuple, Term, Assertion, Expr)) else v
            if w is not v:
                changes[f] = w
        if tp is App and x.op not in BUILTIN_OPS:
            changes["op"] = self.resolve("term", x.op)
        elif tp is PredApp:
            changes["name"] = self.resolve("pred", x.name)
        elif tp is Call:
            changes["func"] = self.resolve("func", x.func)
        return replace(x, **changes) if any(
            changes[f] is not getattr(x, f) for f in changes) else x

    def fresh(self, short: str, kind: str) -> str:
        """The key of a name of ``kind`` this module is about to define."""
        from kernel.core import BUILTIN_OPS
        if "." in short:
            raise ScopeError(f"{short}: a definition's name cannot be qualified", short)
        if short in self.module.names:
            raise ScopeError(f"{short} is already defined in this file", short)
        if kind == "term" and short in BUILTIN_OPS:
            raise ScopeError(f"{short} is a built-in operator", short)
        if short in self.prelude.get(kind, ()):
            raise ScopeError(f"{short} is defined by the semantics (theories/); choose "
                             "another name", short)
        return self.module.key(short)

    def elaborate(self, cmd):
        """(the command with its names resolved, [(short, kind) it defines])."""
        r, tp = self.resolve_syntax, type(cmd)
        rep = replace
        kind = _DEFINES.get(tp)
        if tp in (Definition, PredicateDef, FunctionDef):
            return rep(cmd, name=self.fresh(cmd.name, kind), body=r(cmd.body)), [(cmd.name, kind)]
        if tp is TheoremDef:
            return (rep(cmd, name=self.fresh(cmd.name, kind), statement=r(cmd.statement)),
                    [(cmd.name, kind)])
        if tp is CrashTheoremDef:
            return (rep(cmd, name=self.fresh(cmd.name, kind), version=r(cmd.version),
                        lhs=r(cmd.lhs), rhs=r(cmd.rhs)), [(cmd.name, kind)])
        if tp is SpecDef:
            return rep(cmd, name=self.fresh(cmd.name, kind)), [(cmd.name, kind)]
        if tp is OperationDef:
            return (rep(cmd, spec=self.resolve("spec", cmd.spec),
                        name=self.fresh(cmd.name, kind), body=r(cmd.body)), [(cmd.name, kind)])
        if tp is CrashDef:
            return rep(cmd, spec=self.resolve("spec", cmd.spec), body=r(cmd.body)), []
        if tp is InitDef:
            return rep(cmd, spec=self.resolve("spec", cmd.spec), term=r(cmd.term)), []
        if tp is RefinementDef:
            return self._refinement(cmd), [(cmd.name, "thm")]
        if tp is PrintAssumptions:
            return rep(cmd, name=self.resolve("thm", cmd.name)), []
        if tp is PrintDef:    # a theorem or refinement, else a definition (as Coq's Print)
            for kind in ("thm", "pred", "term", "func"):
                key = self._lookup(kind, cmd.name)
                if key is not None:
                    return rep(cmd, name=key), []
            msg = self._unknown("thm", cmd.name).replace("theorem", "name", 1)
            raise ScopeError(msg + " (Print takes a theorem, refinement, Definition, "
                             "Predicate or Function)", cmd.name)
        if tp is RecordDef:   # its names are defined by Session.define_record
            return cmd, [(cmd.name, "term")] + [(f, "term") for f, _ in cmd.fields]
        return cmd, []

    def _refinement(self, ref: RefinementDef) -> RefinementDef:
        spec = self.resolve("spec", ref.spec)
        op = lambda k: k if k in _SPECIAL_IMPL else self.resolve("term", k)  # noqa: E731
        items = []
        for key, value in ref.items:
            if type(key) is tuple:      # proof KEY := theorem; KEY an operation or a premise
                k = key[1]
                try:
                    k = op(k)
                except ScopeError:
                    pass                 # a premise (setup, init, recovery, crash, ...)
                items.append((("proof", k), self.resolve("thm", value)))
            elif key in _PRED_ROLES:
                items.append((key, self.resolve("pred", value)))
            elif key == "semantics":
                items.append((key, self.resolve("pred", value)))
            elif key in _PLAIN_ROLES or key == "spec_init":
                items.append((key, value))
            else:
                items.append((op(key), self.resolve("func", value)))
        return replace(ref, name=self.fresh(ref.name, "thm"), spec=spec,
                                   items=tuple(items))


def prelude_names(k) -> dict:
    """The names the semantics (theories/) put in a fresh kernel, by kind: they are global and
    unqualified, and no module may define them again.  Function symbols their axioms leave
    uninterpreted count too."""
    from kernel.core import _ops
    used = set()
    for x in [(a.pre, a.post, a.ret, a.expr) for a in k.axioms.values()] + [
            body for _, body in k.preds.values()]:
        _ops(x, used)
    return {"term": set(k.defs) | set(k.spec_ops) | used, "pred": set(k.preds),
            "func": set(k.funcs), "thm": set(k.theorems) | set(k.refinements),
            "spec": set(k.specs)}


def _has(m: Module, short: str, kind: str) -> bool:
    got = m.names.get(short)
    return got is not None and got[0] == kind


def _rel(here: Module, mod: str, modules) -> str:
    """The path of module ``mod`` relative to ``here``'s file, for a Require hint."""
    for m in modules:
        if m.name == mod:
            return os.path.relpath(os.path.abspath(m.path),
                                   os.path.dirname(os.path.abspath(here.path)))
    return f"{mod}.pv"
