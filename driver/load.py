"""Checking `.pv` documents: each command goes to the kernel; each proof is run by the tactic
engine and its derivation re-checked by the kernel at ``Qed``.

Errors never stop the run: a failed theorem is recorded as failed (and admitted inside the
session, so later theorems that use it are still checked and report that they rest on it).
"""
from __future__ import annotations

import os
import time

from kernel.core import Kernel, TaggedKernelError
from kernel.wf import KernelError
from seplogic.document import (
    CrashDef, CrashTheoremDef, Definition, FunctionDef, InitDef, OperationDef, PredicateDef,
    PrintAssumptions, PrintDef, Proof, RecordDef, RefinementDef, Require, SpecDef, TheoremDef,
)
from seplogic.record import dataclass, field
from seplogic.syntax import (
    BASE_SORTS, SORT_CONSTRUCTORS, App, Expr, Forall, Sort, Term, Var, short_name,
)


@dataclass
class Diagnostic:
    path: str
    line: int
    col: int
    message: str
    detail: str = ""          # e.g. the goal at the failing tactic

    def render(self) -> str:
        head = f"{self.path}:{self.line}:{self.col}: error: {self.message}"
        return head + ("\n" + self.detail if self.detail else "")


@dataclass
class TheoremResult:
    path: str
    name: str
    line: int
    status: str               # proved / admitted / failed / trusted (from the cache, unchecked)
    seconds: float
    axioms: list = field(default_factory=list)
    admits: list = field(default_factory=list)
    failed: list = field(default_factory=list)   # of the admits: theorems whose proof failed
    # theorems it rests on that --trust-cache recorded without the kernel (driver/cache.py)
    unchecked: list = field(default_factory=list)


def split_unchecked(axioms) -> tuple:
    """(the axioms, the trusted-from-the-cache theorems) of a kernel record's axiom names:
    `kernel.core.UNCHECKED` marks a theorem recorded unchecked, and the kernel carries the mark
    to everything resting on it."""
    from kernel.core import UNCHECKED
    return ([a for a in axioms if not a.startswith(UNCHECKED)],
            [a[len(UNCHECKED):] for a in axioms if a.startswith(UNCHECKED)])


def prelude_names(k):
    from driver.modules import prelude_names as names
    return names(k)


def make_kernel() -> Kernel:
    from theories import install_all
    k = Kernel()
    install_all(k)
    return k


@dataclass
class TheoremPlan:
    """How to state, start, prove and admit one theorem (ordinary or crash), shared by the
    checker and the REPL so they cannot drift apart.  The kernel calls are data (name and
    arguments, `driver.certificate.kernel_call`) so that certificates record them as made."""
    kernel: Kernel
    statement: object
    start: object          # () -> ProofState
    prove_call: tuple      # (call, args): the call proving it, given the derivation last
    admit_call: tuple      # (call, args): the call admitting it

    def prove(self, derivation):
        from driver.certificate import kernel_call
        return kernel_call(self.kernel, self.prove_call[0], self.prove_call[1] + (derivation,))

    def admit(self):
        from driver.certificate import kernel_call
        return kernel_call(self.kernel, *self.admit_call)


def plan_theorem(k: Kernel, thm) -> TheoremPlan:
    """Raises KernelError if the statement is ill-formed."""
    from tactics.script import start, start_crash
    if type(thm) is CrashTheoremDef:
        from kernel.crash import CrashStatement, crash_image
        from kernel.sequent import Seq
        env = k._params_env(thm.params, allow_iprop=False)
        k.check_assertion(thm.lhs, env)
        k.check_assertion(thm.rhs, env)
        stmt = CrashStatement(thm.params, thm.version, thm.lhs, thm.rhs)
        seq = Seq(vars=thm.params, spat=(crash_image(k, thm.lhs, thm.version),), goal=thm.rhs)
        return TheoremPlan(
            k, stmt, lambda: start_crash(k, stmt, seq),
            ("prove_crash", (thm.name, thm.params, thm.version, thm.lhs, thm.rhs)),
            ("admit_crash", (thm.name, stmt)))
    stmt = closed_statement(thm)
    k.check_assertion(stmt, {})
    return TheoremPlan(k, stmt, lambda: start(k, stmt), ("prove", (thm.name, stmt)),
                       ("admit", (thm.name, stmt)))


def closed_statement(thm: TheoremDef):
    stmt = thm.statement
    for name, sort in reversed(thm.params):
        if sort.name != "iProp":
            stmt = Forall(name, sort, stmt)
    return stmt


class Session:
    """One kernel, the files loaded into it, and what checking them produced."""

    def __init__(self, kernel: Kernel | None = None, on_theorem=None, recorder=None,
                 cache=None):
        self.kernel = kernel or make_kernel()
        self.recorder = recorder     # driver.certificate.Recorder, to write certificates
        self.cache = cache           # driver.cache.ProofCache: derivations to try first
        self.digests: dict = {}      # abspath -> content digest, requirements included
        self._key = None             # the cache key of the theorem being run
        self.loaded: dict = {}       # abspath -> Document
        self.unreadable: set = set() # abspaths of files that are not UTF-8 (counted, failed)
        self.loading: list = []
        self.diagnostics: list = []
        self.results: list = []
        self.output: list = []       # lines printed by Print Assumptions etc.
        self.on_theorem = on_theorem
        self.width = 76              # columns the goal of a failed step is laid out for
        self.failed: set = set()     # theorems whose proof failed (admitted in the kernel)
        self.modules: dict = {}      # abspath -> driver.modules.Module
        self.scopes: dict = {}       # abspath -> driver.modules.Scope
        self.texts: dict = {}        # abspath -> source text (to locate names in errors)
        self.aliases: dict = {}      # a path whose commands belong to another file's module
        self.prelude = prelude_names(self.kernel)

    # ---- files -------------------------------------------------------------------------------

    def load_file(self, path: str, pos=None, from_path=None) -> None:
        ap = os.path.abspath(path)
        if ap in self.loading:
            self._error(from_path or path, pos, f"circular Require of {path}")
            return
        if ap in self.loaded:
            return
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            self._error(from_path or path, pos, f"cannot read {path}: {e.strerror or e}")
            return
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            line = data.count(b"\n", 0, e.start) + 1
            start = data.rfind(b"\n", 0, e.start) + 1
            col = len(data[start:e.start].decode("utf-8", "replace")) + 1
            self.unreadable.add(ap)
            self.diagnostics.append(Diagnostic(
                path, line, col,
                f"byte 0x{data[e.start]:02x} is not UTF-8 (pv reads its files as UTF-8 text)"))
            return
        self.load_text(path, text)

    def load_text(self, path: str, text: str) -> None:
        """Check ``text`` as the contents of ``path`` (an editor's unsaved buffer, say)."""
        from seplogic.parser import parse_file_recovering
        ap = os.path.abspath(path)
        self.loading.append(ap)
        try:
            # a syntax error is reported and the other commands are still checked
            doc, errors = parse_file_recovering(text, path)
            for e in errors:
                self.diagnostics.append(Diagnostic(path, e.line, e.col,
                                                   e.message + _coq_hint(text, e.line)))
            self.loaded[ap] = doc
            self.texts[ap] = text
            self.new_module(path).functions = frozenset(
                c.name for c in doc.commands if type(c) is FunctionDef)
            ctx = self.file_context(path, text, doc.commands)
            for i, cmd in enumerate(doc.commands):
                self.run_file_command(path, cmd, ctx, i)
            if ctx is not None:
                self.digests[ap] = ctx.digest()
        finally:
            self.loading.pop()

    # ---- the proof cache (driver/cache.py) ---------------------------------------------------

    def file_context(self, path: str, text: str, commands):
        """The `driver.cache.FileContext` of the file at ``path`` with this text and these
        (parsed) commands, or None without a cache.  Its module must exist (`new_module`)."""
        if self.cache is None:
            return None
        from driver.cache import FileContext
        return FileContext(text, commands, self.scope_for(path).module.name,
                           exact=self.cache.trust)     # (what it trusts: pv's exact sources)

    def run_file_command(self, path: str, cmd, ctx, i: int) -> None:
        """`run_command` for command ``i`` of a file, a theorem trying the cached derivation
        of its key in ``ctx`` (a `file_context`, or None) first.  Commands must be run in the
        file's order for the keys to be right (the REPL may stop early)."""
        self._key = ctx.key(i) if ctx is not None and type(cmd) in (
            TheoremDef, CrashTheoremDef) else None
        try:
            self.run_command(path, cmd)
        finally:
            self._key = None
        if ctx is not None:
            ctx.after(i, self._required_digest(path, cmd))

    def _required_digest(self, path, cmd):
        """The digest of the file a Require names (None for other commands)."""
        if type(cmd) is not Require:
            return None
        ap = os.path.abspath(os.path.join(os.path.dirname(path), cmd.path))
        return self.digests.get(ap, "unreadable" if ap not in self.loading else "loading")

    # ---- modules (driver/modules.py) ----------------------------------------------------------

    def new_module(self, path: str):
        """The module of the file at ``path``: named by its stem, or (if this run already has a
        module of that name from another file) by its folders and stem, ``b.spec``."""
        from driver.modules import Module, Scope, module_name
        ap = os.path.abspath(path)
        if ap in self.modules:
            return self.modules[ap]
        taken = {m.name for m in self.modules.values()}
        name, parts = module_name(path), os.path.dirname(ap).split(os.sep)
        while name in taken and parts:
            part = module_name(parts.pop())
            name = f"{part}.{name}" if part != "m_" else name
        base, k = name, 1
        while name in taken:      # paths that differ only in characters a name cannot hold
            k += 1
            name = f"{base}_{k}"
        m = Module(name, path)
        self.modules[ap] = m
        self.scopes[ap] = Scope(m, self.prelude, lambda: list(self.modules.values()))
        return m

    def scope_for(self, path: str):
        ap = os.path.abspath(self.aliases.get(path, path))
        if ap not in self.scopes:
            self.new_module(self.aliases.get(path, path))
        return self.scopes[ap]

    def _statement_pos(self, path, thm, message=""):
        """Where a statement goes wrong, as far as the driver can tell: its first unknown
        variable's occurrence, or the ill-sorted term the kernel names, else the command."""
        import re
        from seplogic.syntax import fv
        if type(thm) is CrashTheoremDef:
            unknown = (fv(thm.lhs) | fv(thm.rhs) | fv(thm.version)) - {n for n, _ in thm.params}
        else:
            unknown = fv(closed_statement(thm))
        if unknown:
            return self._locate(path, thm, min(unknown))
        m = re.search(r"ill-sorted term: (.+?): expected", message)
        text = self.texts.get(os.path.abspath(path))
        if m and text:
            # the term as printed, white space aside (the printer's spacing is not the file's)
            pat = r"\s*".join(re.escape(c) for c in m.group(1) if not c.isspace())
            lines = text.split("\n")
            start = sum(len(x) + 1 for x in lines[:thm.pos.line - 1]) + thm.pos.col - 1
            found = re.compile(pat).search(text, start)
            if found:
                from seplogic.document import Pos
                line = text.count("\n", 0, found.start()) + 1
                return Pos(line, found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1)
        return thm.pos

    def _locate(self, path, cmd, name):
        """Where ``name`` is written in ``cmd`` (its first occurrence from the command's start),
        else the command's position."""
        import re
        text = self.texts.get(os.path.abspath(path))
        pos = cmd.pos
        if text and name:
            lines = text.splitlines()
            pat = re.compile(r"(?<![\w'.])" + re.escape(name) + r"(?![\w'])")
            for i in range(pos.line - 1, min(len(lines), pos.line + 200)):
                m = pat.search(lines[i], pos.col - 1 if i == pos.line - 1 else 0)
                if m:
                    from seplogic.document import Pos
                    return Pos(i + 1, m.start() + 1)
        return pos

    def run_command(self, path: str, cmd) -> None:
        from seplogic.names import SCOPE, ScopeError
        scope = self.scope_for(path)
        token = SCOPE.set(scope)
        try:
            try:
                cmd, defines = scope.elaborate(cmd)
            except ScopeError as e:
                self._error(path, self._locate(path, cmd, e.name), e.message)
                if type(cmd) in (TheoremDef, CrashTheoremDef):     # counted as failed
                    self._finish(path, cmd, "failed", time.perf_counter())
                return
            records = scope.records()
            if records:
                cmd = resolve_sorts(cmd, records)
            unknown = sorted(user_sorts(cmd, set()))
            if unknown:        # what remains is no record: a typo, or a missing Require
                self._error(path, self._locate(path, cmd, unknown[0]),
                            f"unknown sort {unknown[0]} (the sorts are "
                            f"{', '.join(BASE_SORTS[:-1])}, list, set, option, map, products "
                            "and the Records in scope)")
                return
            self._run(path, cmd)
            for short, kind in defines:
                if self._defined(scope.module.key(short)):
                    scope.define(short, kind, cmd.pos.line)
        finally:
            SCOPE.reset(token)

    def _defined(self, key: str) -> bool:
        k = self.kernel
        return any(key in t for t in (k.defs, k.preds, k.funcs, k.theorems, k.specs,
                                      k.spec_ops, k.refinements))

    def _run(self, path: str, cmd) -> None:
        try:
            if type(cmd) is Require:
                target = os.path.join(os.path.dirname(path), cmd.path)
                self.load_file(target, cmd.pos, path)
                m = self.modules.get(os.path.abspath(target))
                here = self.scope_for(path)
                if m is not None and m is not here.module and m not in here.module.requires:
                    here.module.requires.append(m)
                    here.changed()
            elif type(cmd) is Definition:
                self.kernel_call("define_pure", cmd.name, cmd.params, cmd.sort, cmd.body)
            elif type(cmd) is PredicateDef:
                self.kernel_call("define_predicate", cmd.name, cmd.params, cmd.body)
            elif type(cmd) is FunctionDef:
                self.kernel_call("define_function", cmd.name, cmd.params, cmd.body)
            elif type(cmd) is RecordDef:
                self.define_record(path, cmd)
            elif type(cmd) is TheoremDef:
                self.run_theorem(path, cmd)
            elif type(cmd) is CrashTheoremDef:
                self.run_theorem(path, cmd)
            elif type(cmd) is SpecDef:
                self.kernel_call("define_spec", cmd.name, cmd.state, cmd.sort)
            elif type(cmd) is OperationDef:
                self.kernel_call("define_spec_op", cmd.spec, cmd.name, cmd.params, cmd.body,
                                 cmd.result)
            elif type(cmd) is CrashDef:
                self.kernel_call("define_spec_crash", cmd.spec, cmd.body)
            elif type(cmd) is InitDef:
                self.kernel_call("define_spec_init", cmd.spec, cmd.params, cmd.term)
            elif type(cmd) is RefinementDef:
                self.run_refinement(path, cmd)
            elif type(cmd) is PrintAssumptions:
                self.print_assumptions(path, cmd)
            elif type(cmd) is PrintDef:
                self.print_statement(path, cmd)
        except KernelError as e:
            self._error(path, cmd.pos, str(e))

    def define_record(self, path: str, rec: RecordDef) -> None:
        """A record is sugar: its sort stands for nested pairs of its fields' sorts, its
        constructor and projections are pure definitions (so the kernel sees only pairs)."""
        from kernel.wf import need
        need(rec.name[:1].isupper(), "a record name starts with a capital letter")
        module = self.scope_for(path).module
        need(rec.name not in module.records, f"record {rec.name} is already defined")
        need(all("." not in n for n in [rec.name] + [f for f, _ in rec.fields]),
             "a record's and its fields' names cannot be qualified")
        key = module.key
        sorts = [s for _, s in rec.fields]
        under = sorts[-1]
        for s in reversed(sorts[:-1]):
            under = Sort("prod", (s, under))
        vars_ = [Var(f) for f, _ in rec.fields]
        body = vars_[-1]
        for v in reversed(vars_[:-1]):
            body = App("pair", (v, body))
        self.kernel_call("define_pure", key(rec.name), rec.fields, under, body)
        for i, (f, s) in enumerate(rec.fields):
            proj = Var("r")
            for _ in range(i):
                proj = App("snd", (proj,))
            if i < len(rec.fields) - 1:
                proj = App("fst", (proj,))
            self.kernel_call("define_pure", key(f), (("r", under),), s, proj)
        module.records[rec.name] = under

    def kernel_call(self, call: str, *args):
        """Make a kernel call, and record it for the certificate if it succeeds."""
        from driver.certificate import kernel_call
        result = kernel_call(self.kernel, call, args)
        if self.recorder is not None:
            self.recorder.call(call, args)
        return result

    def _error(self, path, pos, msg, detail="") -> None:
        line, col = (pos.line, pos.col) if pos is not None else (1, 1)
        self.diagnostics.append(Diagnostic(path, line, col, msg, detail))

    # ---- theorems ----------------------------------------------------------------------------

    def run_theorem(self, path: str, thm) -> None:
        from tactics.display import show_goal
        from tactics.script import ScriptError, run_step
        k = self.kernel
        short = short_name(thm.name)     # messages name it as the file does
        t0 = time.perf_counter()
        status = "failed"
        try:
            plan = plan_theorem(k, thm)
        except KernelError as e:
            self._error(path, self._statement_pos(path, thm, str(e)),
                        f"ill-formed statement of {short}: {e}")
            if self.recorder is not None:
                self.recorder.failed(thm.name, None)
            self._finish(path, thm, status, t0)
            return
        proof = thm.proof
        if proof is None:
            self._error(path, thm.pos, f"{short} has no proof (end it with Qed or Admitted)")
        elif proof.ending == "Admitted":
            status = "admitted"
        elif (cached := self._from_cache(plan)) is not None:
            status = cached
        else:
            ps = plan.start()
            try:
                for step in proof.steps:
                    run_step(ps, step)
                if not ps.finished():
                    goals = ps.all_goals()
                    self._error(path, proof.end_pos, f"{short}: the proof is not complete: "
                                f"{len(goals)} goal{'s' if len(goals) != 1 else ''} left",
                                _indent(show_goal(goals[0], self.width - 4)))
                else:
                    derivation = ps.derivation()
                    record = plan.prove(derivation)
                    status = "proved"
                    if self.recorder is not None:
                        self.recorder.call(plan.prove_call[0],
                                           plan.prove_call[1] + (derivation,))
                    if self.cache is not None and self._key is not None:
                        self.cache.store(self._key, plan, derivation, record)
            except ScriptError as e:
                self._error(path, e.pos, str(e),
                            _indent(show_goal(e.goal, self.width - 4)) if e.goal else "")
            except TaggedKernelError as e:
                line, col = e.tag if type(e.tag) is tuple else (thm.pos.line, thm.pos.col)
                self.diagnostics.append(Diagnostic(
                    path, line, col, f"the kernel rejects the derivation of {short}: {e}"))
            except KernelError as e:
                self._error(path, thm.pos, f"the kernel rejects the derivation of {short}: {e}")
        admitted = status != "proved" and thm.name not in k.theorems
        if admitted:
            plan.admit()
        if self.recorder is not None and status == "admitted":
            self.recorder.call(*plan.admit_call)
        elif self.recorder is not None and status == "failed":
            # recorded as failed, never as a call that replays as proven or admitted
            self.recorder.failed(thm.name, plan.admit_call if admitted else None)
        self._finish(path, thm, status, t0)

    def _from_cache(self, plan) -> str | None:
        """A theorem proven from its cached derivation: "proved" if the kernel re-checked it,
        "trusted" if ``--trust-cache`` recorded it unchecked; None (run the tactics) on a miss
        or an entry the kernel rejects."""
        cache, key = self.cache, self._key
        if cache is None or key is None:
            return None
        entry = cache.lookup(key)
        if entry is None:
            cache.misses += 1
            return None
        got, status = None, "proved"
        if cache.trust:
            got, status = cache.trust_entry(plan, entry), "trusted"
        if got is None:
            got, status = cache.replay(plan, entry), "proved"
        if got is None:
            cache.rejected += 1
            cache.forget(key)
            return None
        cache.hits += 1
        cache.trusted += status == "trusted"
        cache.touch(key)
        if self.recorder is not None and status == "trusted":
            self.recorder.proved_flat(*plan.prove_call, got[0]())
        elif self.recorder is not None:
            self.recorder.call(plan.prove_call[0], plan.prove_call[1] + (got[0],))
        return status

    def _finish(self, path, thm, status, t0) -> None:
        axioms, admits = ([], [])
        if thm.name in self.kernel.theorems:
            axioms, admits = self.kernel.assumptions(thm.name)
        if status == "failed":
            self.failed.add(thm.name)
        axioms, unchecked = split_unchecked(axioms)
        r = TheoremResult(path, short_name(thm.name), thm.pos.line, status,
                          time.perf_counter() - t0, axioms, admits,
                          [a for a in admits if a in self.failed],
                          [u for u in unchecked if u != thm.name])
        self.results.append(r)
        if self.on_theorem:
            self.on_theorem(r)

    def run_refinement(self, path: str, ref: RefinementDef) -> None:
        """Theorem 2: every key names a function, predicate or premise theorem."""
        from kernel.wf import need
        t0 = time.perf_counter()
        items = dict(ref.items)
        need(len(items) == len(ref.items), "a key is given twice")
        proofs = {key[1]: v for key, v in items.items() if type(key) is tuple}
        need("crash" not in proofs, "premise crash: not a premise any more (idempotence gives "
             "it: what survives a crash of CrashInv ∗ AbsR includes what survives of CrashInv); "
             "remove it")
        plain = {key: v for key, v in items.items() if type(key) is str}
        need("spec_init" not in plain, "spec_init is gone: the spec declares its initial state "
             f"itself (Initial {ref.spec} (params) := state.), and Theorem 2 uses that")
        roles = {"crash_inv", "crash_start", "init_start", "abs", "invariant", "semantics"}
        missing = sorted(roles - set(plain))
        need(not missing, f"the refinement needs {', '.join(missing)}")
        impl = {key: v for key, v in plain.items() if key not in roles}
        parts = (plain["crash_inv"], plain["crash_start"], plain["init_start"], plain["abs"],
                 plain["invariant"], plain["semantics"])
        r = self.kernel_call("theorem2", ref.name, ref.spec, impl, *parts, proofs)
        axioms, unchecked = split_unchecked(sorted(r.axioms))
        res = TheoremResult(path, short_name(ref.name), ref.pos.line, "proved",
                            time.perf_counter() - t0, axioms, sorted(r.admits),
                            sorted(a for a in r.admits if a in self.failed), unchecked)
        self.results.append(res)
        if self.on_theorem:
            self.on_theorem(res)

    def print_assumptions(self, path: str, cmd: PrintAssumptions) -> None:
        from seplogic.names import SCOPE
        SCOPE.set(None)       # printed with qualified names: they say which definition
        k = self.kernel
        if cmd.name not in k.theorems and cmd.name not in k.refinements:
            self._error(path, cmd.pos, f"unknown theorem {cmd.name}")
            return
        axioms, admits = k.assumptions(cmd.name)
        lines = [f"Assumptions of {cmd.name}:"]
        ref = k.refinements.get(cmd.name)
        if ref is not None:
            from driver.meaning import initial_state_line
            lines.append(f"  {initial_state_line(ref)}")
        if not axioms and not admits:
            lines.append("  Closed under the global context (no axioms, nothing admitted).")
        axioms, unchecked = split_unchecked(axioms)
        for a in axioms:
            lines.append(f"  axiom {a}  ({k.axioms[a].source})" if a in k.axioms
                         else f"  meta-rule {a}")
        for a in unchecked:
            lines.append(f"  trusted {a}  (from the cache, not re-checked by the kernel)")
        for a in admits:      # a failed proof is recorded as admitted, but never called so
            lines.append(f"  failed {a}  (its proof did not check)" if a in self.failed
                         else f"  admitted {a}")
        self.output.extend(lines)

    def print_statement(self, path: str, cmd: PrintDef) -> None:
        """``Print name.``: a theorem's statement, everything a refinement means, or a
        definition (pure function, predicate, program function)."""
        from driver.meaning import describe_refinement
        from seplogic.names import SCOPE
        from tactics.display import show_definition, show_statement
        SCOPE.set(None)       # printed with qualified names: they say which definition
        k = self.kernel
        if cmd.name in k.refinements:
            self.output.extend(describe_refinement(k, k.refinements[cmd.name]))
        elif cmd.name in k.theorems:     # (a crash theorem's too: ∀ x. P ⇒[n] Q)
            self.output.append(f"{cmd.name} : {show_statement(k.theorems[cmd.name].statement)}")
        elif (text := show_definition(k, cmd.name, cmd.name)) is not None:
            self.output.extend(text.split("\n"))
        else:
            self._error(path, cmd.pos, f"unknown theorem {cmd.name}")


def resolve_sorts(x, records: dict):
    """Replace record sort names by the sorts they stand for (not inside proof scripts, whose
    phrases are parsed later).  What holds no sort (terms, programs, or no record name) is
    returned as it is, not copied: shared nodes stay shared and keep their cached checks."""
    from seplogic.record import is_record, map_fields
    tp = type(x)
    if tp is Sort:
        if x.name in records and not x.args:
            return records[x.name]
        args = _resolved(x.args, records)
        return x if args is x.args else Sort(x.name, args)
    if tp is tuple:
        return _resolved(x, records)
    if is_record(x) and not isinstance(x, (Proof, Term, Expr)):     # commands and assertions
        return map_fields(x, lambda v: resolve_sorts(v, records))
    return x


def _resolved(xs: tuple, records: dict) -> tuple:
    out = tuple(resolve_sorts(y, records) for y in xs)
    return xs if all(a is b for a, b in zip(out, xs)) else out


def user_sorts(x, out: set) -> set:
    """The names of sorts in ``x`` that are neither built in nor sort constructors."""
    from seplogic.record import is_record
    if type(x) is Sort:
        if x.name not in BASE_SORTS and x.name not in SORT_CONSTRUCTORS:
            out.add(x.name)
        for a in x.args:
            user_sorts(a, out)
    elif type(x) is tuple:
        for y in x:
            user_sorts(y, out)
    elif is_record(x) and not isinstance(x, (Proof, Term, Expr)):    # (no sort in these)
        for f in x._fields:
            user_sorts(getattr(x, f), out)
    return out


def _indent(text: str) -> str:
    return "\n".join("    " + ln for ln in text.splitlines())


def _coq_hint(text: str, line: int) -> str:
    """A hint for a syntax error on a line that ends a proof the way Coq does (the words are
    tactics.suggest's)."""
    import re
    from tactics.suggest import COQ_NAMES
    here = " ".join(text.split("\n")[max(0, line - 2):line])
    for coq, pv in COQ_NAMES.items():
        if pv in ("Qed", "Admitted") and re.search(r"(?<![\w'.])" + coq + r"\s*\.", here):
            return f" (Coq's `{coq}.` is pv's `{pv}.`)"
    return ""
