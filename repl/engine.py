"""The REPL without a user interface: `ReplEngine.execute` takes what the user typed (one or
more sentences) and returns the text to show.  The terminal UI (`repl/app.py`) and the
non-interactive mode (commands read from stdin) both drive it.

State.  A checker `Session` (kernel + loaded files; a ``Require`` typed in the REPL is
relative to the loaded file's directory) and, while a theorem is being proven, a
`ProofMode`: the theorem, its statement and the tactic engine's `ProofState`.  A ProofMode and
its ProofState are never changed once built: a tactic runs on a copy (`ProofState.copy`) that
becomes the new state only when the tactic succeeds.

Undo.  Every sentence that changed the state is an `Entry` on a stack, with the action that
replays it and the ProofMode before it.  Undoing sentences that only changed the proof mode
(a tactic, a bullet, ``Theorem ...``, ``Proof``, ``Restart``, ``Abort``) puts that earlier
ProofMode back -- its goals are immutable, so they are exactly the goals shown then.  The
derivation under construction lives in mutable `Hole`s shared between states, but a tactic
only fills the holes of the goal it works on and of goals it creates, and running a tactic on
a goal overwrites whatever its hole held; every goal of a restored state is open, so its hole
is refilled before ``Qed``.  ``Qed`` checks the derivation with the kernel anyway, and should
the kernel reject it, the proof is replayed from its statement (the steps kept on the stack)
and that derivation is checked instead.  A sentence that changes the kernel (``Qed``,
``Admitted``, ``Definition``, ``Require``, ...) keeps a snapshot of the session taken before
it (`repl.snapshot`); undoing it puts that snapshot back -- the kernel's tables, the modules'
names, what was loaded -- and the ProofMode before it, so nothing is re-run and an undone
theorem or definition is unknown again (to the kernel and to the tactics, which share the
kernel object).  A failed sentence puts its snapshot back too.  A theorem of the file
entered with ``--until`` is entered the same way (its statement, ``Proof``, its steps up to
the line are entries), so its steps can be undone too.
"""
from __future__ import annotations

import os
import re

from driver import load as _load
from driver.load import Session, TheoremResult, plan_theorem
from kernel.wf import KernelError
from seplogic import document as D
from seplogic.document import TheoremDef
from seplogic.parser import PVSyntaxError, parse_assertion, parse_file, parse_term
from seplogic.printer import show
from seplogic.record import dataclass, replace     # (no code generated at import)
from seplogic.syntax import short_name
from tactics.display import (binders, show_definition, show_goal, show_state,
                              show_statement)
from tactics.script import TACTIC_HELP, TACTICS, ProofState, ScriptError, run_step

from . import sentences as S
from . import snapshot

__all__ = ["ReplEngine", "ReplError", "ProofMode"]


_QUALIFIED = rf"{S.V.IDENT}(?:\.{S.V.IDENT})*"      # names of axioms are like heap_load


# Commands that state a theorem to prove (ordinary ones and crash theorems `P ⇒[n] Q`).
THEOREM_TYPES = (TheoremDef, D.CrashTheoremDef)


class ReplError(Exception):
    """A failed sentence: ``message`` at ``line``/``col`` of the input (when known)."""

    def __init__(self, message, line=None, col=None, detail=""):
        super().__init__(message)
        self.message, self.line, self.col, self.detail = message, line, col, detail


@dataclass(frozen=True)
class ProofMode:
    thm: TheoremDef          # statement only (proof=None); or a CrashTheoremDef
    stmt: object             # the closed statement
    ps: ProofState
    started: bool = False    # `Proof.` seen (or a tactic run)
    fresh: object = None     # () -> the ProofState at the start of the proof

    @property
    def name(self) -> str:
        return short_name(self.thm.name)


@dataclass
class Entry:
    action: tuple            # ("theorem", TheoremDef) ("proof",) ("step", step) ("restart",)
    #                          ("qed",) ("admitted",) ("abort",) ("command", cmd)
    before: ProofMode | None
    text: str
    snap: object = None      # the session before it (repl.snapshot), if not local

    @property
    def local(self) -> bool:
        """Undone by restoring ``before`` (the kernel is untouched)."""
        return self.action[0] in ("theorem", "proof", "step", "restart", "abort")


# proof-structure words: the action each carries out, and whether the goal is shown after it
PROOF_WORDS = {"Proof": ("proof", True), "Qed": ("qed", False), "Admitted": ("admitted", False),
               "Abort": ("abort", False)}

class ReplEngine:
    def __init__(self, path: str | None = None, until: int | None = None, width: int = 72,
                 cache=None):
        self.path = path
        self.until = until
        self.cache = cache        # driver.cache.ProofCache for the file's theorems, or None
        self.width = width
        self.quit = False
        self.errors = 0           # failed sentences so far
        # a Require typed in the REPL is relative to the loaded file (else to the current
        # directory), as it would be in that file
        base = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()
        self.repl_path = os.path.join(base, "<repl>")
        self._doc = None
        self._text = None
        self._parsed = None       # the text parsed (the file, or its lines up to ``until``)
        self.load_report = self._load()

    # ---- loading --------------------------------------------------------------------------

    def _new_session(self) -> None:
        from seplogic.names import SCOPE
        self.session = Session(cache=self.cache)
        self.kernel = self.session.kernel
        if self.path is not None:      # what is typed belongs to the file's module
            self.session.aliases[self.repl_path] = self.path
        # the REPL's phrases are read, and goals printed, in that module's scope
        self.scope = self.session.scope_for(self.repl_path)
        SCOPE.set(self.scope)          # for loading; execute() sets it again each time
        self.proof: ProofMode | None = None
        self.entries: list[Entry] = []

    def _load(self) -> str:
        """Load the file (up to ``until``); enter an unfinished theorem there.  Returns the
        report to print."""
        self._new_session()
        if self.path is None:
            return ""
        out = []
        try:
            with open(self.path, encoding="utf-8") as f:
                self._text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            self.errors += 1
            return f"error: cannot read {self.path}: {getattr(e, 'strerror', None) or e}"
        try:
            self._doc = self._parse_up_to_until()
        except PVSyntaxError as e:
            self.errors += 1
            return f"{self.path}:{e.line}:{e.col}: error: {e.message}"
        cut = self._run_base()
        s = self.session
        self.errors += len(s.diagnostics)
        for d in s.diagnostics:
            out.append(d.render())
        out += s.output
        s.output.clear()
        res = s.results
        counts = [f"{sum(r.status == k for r in res)} {k}" for k in ("proved", "admitted",
                                                                       "failed")]
        where = f" up to line {self.until}" if self.until is not None else ""
        out.append(f"Loaded {self.path}{where}: {', '.join(counts)}.")
        if cut is not None:
            thm, steps, started = cut
            out.append(self._enter_file_theorem(thm, steps, started))
        return "\n".join(x for x in out if x)

    def _parse_up_to_until(self):
        """Parse the file; if it has a syntax error after the ``until`` line (the part still
        being written), parse only the lines up to there, closing a proof left open with an
        ``Admitted.`` that the cut never reaches.  A file that ends inside a proof (the one
        being written) is entered at its end, as with ``--until`` its last line."""
        try:
            self._parsed = self._text
            return parse_file(self._text, self.path)
        except PVSyntaxError as e:
            if self.until is None or e.line <= self.until:
                try:        # only an error at the end of the input can be closed this way
                    self._parsed = self._text + "\nAdmitted.\n"
                    doc = parse_file(self._parsed, self.path)
                except PVSyntaxError:
                    raise e from None
                last = len(self._text.splitlines())
                self.until = last if self.until is None else min(self.until, last)
                return doc
            head = "".join(self._text.splitlines(keepends=True)[:self.until])
            for text in (head, head + "\nAdmitted.\n"):
                try:
                    self._parsed = text
                    return parse_file(text, self.path)
                except PVSyntaxError:
                    continue
            raise

    def _run_base(self):
        """Run the file's commands that come before the cut (see `_load`); return the cut
        ``(theorem, steps to run, started)`` or None."""
        s = self.session
        ap = os.path.abspath(self.path)
        s.loaded[ap] = self._doc
        s.texts[ap] = self._parsed                  # to locate names in errors
        s.loading.append(ap)
        cmds = self._doc.commands
        # as Session.load_text: a call may refer to a Function the file defines later
        self.scope.module.functions = frozenset(
            c.name for c in cmds if type(c) is D.FunctionDef)
        until = self.until
        cut = None
        # the file's theorems before the cut are taken from the proof cache when unchanged
        # (their derivations re-checked by the kernel, their tactics skipped)
        ctx = s.file_context(self.path, self._parsed, cmds)
        try:
            for i, cmd in enumerate(cmds):
                if until is not None and cmd.pos.line > until:
                    break
                if type(cmd) in THEOREM_TYPES:
                    nxt = cmds[i + 1] if i + 1 < len(cmds) else None
                    last = nxt is None or (until is not None and nxt.pos.line > until)
                    p = cmd.proof
                    if (p is None and last) or (p is not None and until is not None
                                                and p.end_pos.line > until):
                        started = p is not None and p.end_pos != p.pos and p.pos.line <= until
                        steps = [st for st in p.steps if st.pos.line <= until] if p else []
                        cut = (replace(cmd, proof=None), steps, started)
                        break
                s.run_file_command(self.path, cmd, ctx, i)
        finally:
            s.loading.pop()
        return cut

    def _enter_file_theorem(self, thm, steps, started) -> str:
        try:
            self._apply(("theorem", thm), f"{getattr(thm, 'keyword', 'Theorem')} {thm.name} ...")
            if started:
                self._apply(("proof",), "Proof.")
            for st in steps:
                self._apply(("step", st), f"(line {st.pos.line})")
        except ReplError as e:
            self.errors += 1
            loc = f"{self.path}:{e.line}:{e.col}: " if e.line is not None else ""
            return f"{loc}error: {e.message}" + (f"\n{e.detail}" if e.detail else "") + \
                "\n" + self.goals_text()
        line = f"line {self.until}" if self.until is not None else "the end of the file"
        return f"Proving {thm.name} (from {self.path}, up to {line}):\n{self.goals_text()}"

    # ---- public -------------------------------------------------------------------------------

    @property
    def prompt(self) -> str:
        return f"{self.proof.name} < " if self.proof else "pv < "

    @property
    def in_proof(self) -> bool:
        return self.proof is not None

    def is_complete(self, text: str) -> bool:
        return S.is_complete(text)

    def execute(self, text: str) -> str:
        """Run every sentence of ``text`` (stopping at the first error); return the output.
        After the sentences that change the proof, the goals are shown once, at the end."""
        from seplogic.names import SCOPE
        token = SCOPE.set(self.scope)    # this engine's file's names (another may exist)
        try:
            return self._execute(text)
        finally:
            SCOPE.reset(token)

    def _execute(self, text: str) -> str:
        try:
            sents = S.split(text)
        except S.Incomplete:
            self.errors += 1
            line, col = S.line_col(text, len(text.rstrip()))
            return render_error(text, ReplError(
                "incomplete input: a sentence must end with '.'", line, col))
        out, show = [], False
        for s in sents:
            try:
                try:
                    msg, changed = self._sentence(s)
                except (ReplError, KeyboardInterrupt):
                    raise
                except Exception as e:      # a bug: say so, and keep the REPL running
                    raise ReplError(f"internal error: {type(e).__name__}: {e}",
                                    s.pos.line, s.pos.col) from None
            except ReplError as e:
                self.errors += 1
                if show and self.proof:
                    out.append(self.goals_text())
                out.append(render_error(text, e))
                return "\n".join(out)
            if msg:
                out.append(msg)
            show = (show or changed) and not self.quit
        if show and self.proof:
            out.append(self.goals_text())
        return "\n".join(out)

    def goals_text(self) -> str:
        from seplogic.names import SCOPE
        token = SCOPE.set(self.scope)    # goals print names as this file reads them
        try:
            return self._goals_text()
        finally:
            SCOPE.reset(token)

    def _goals_text(self) -> str:
        pm = self.proof
        if pm is None:
            return "No proof in progress."
        return show_state(pm.ps, self.width)

    # ---- sentences ----------------------------------------------------------------------------

    def _sentence(self, s: S.Sentence):
        """Run one sentence; return (message, goals changed?)."""
        if s.kind == "error":
            msg, line, col = s.error
            raise ReplError(msg, line, col)
        line, col = s.pos.line, s.pos.col
        if s.kind in ("bullet", "tactic"):
            if self.proof is None:
                raise ReplError("no proof in progress (start one with "
                                "`Theorem name : statement.`)", line, col)
            for step in s.payload:
                self._apply(("step", step), s.text)
            return "", True
        if s.kind == "file":
            cmd = s.payload
            if self.proof is not None:
                raise ReplError(f"finish the proof of {self.proof.name} first (Qed, "
                                "Admitted or Abort)", line, col)
            if type(cmd) in THEOREM_TYPES:
                return self._apply(("theorem", cmd), s.text), True
            return self._apply(("command", cmd), s.text), False
        word, arg, pos = s.payload
        if word in PROOF_WORDS:          # Proof. Qed. Admitted. Abort.: no argument, one action
            self._no_arg(word, arg, pos)
            action, show_goal = PROOF_WORDS[word]
            return self._apply((action,), s.text, s.pos), show_goal
        fn = getattr(self, "_cmd_" + word.replace(" ", "_"))
        return fn(arg, pos, s)

    def _need_proof(self, word, pos):
        if self.proof is None:
            raise ReplError(f"{word}: no proof in progress", pos.line, pos.col)

    def _no_arg(self, word, arg, pos):
        if arg:
            raise ReplError(f"{word} takes no argument", pos.line, pos.col)

    def _count(self, word, arg, pos) -> int:
        if not arg:
            return 1
        if not arg.isdigit() or int(arg) < 1:
            raise ReplError(f"{word} expects a positive number", pos.line, pos.col)
        return int(arg)

    def _cmd_Restart(self, arg, pos, s):
        self._no_arg("Restart", arg, pos)
        self._apply(("restart",), s.text, s.pos)
        return "", True

    def _cmd_Undo(self, arg, pos, s):
        return self._undo(self._count("Undo", arg, pos), pos)

    def _cmd_Back(self, arg, pos, s):
        return self._undo(self._count("Back", arg, pos), pos)

    def _cmd_Show(self, arg, pos, s):
        self._need_proof("Show", pos)
        if arg:
            goals = self.proof.ps.all_goals()
            n = self._count("Show", arg, pos)
            if n > len(goals):
                raise ReplError(f"there {'is' if len(goals) == 1 else 'are'} only "
                                f"{len(goals)} goal{'s' * (len(goals) != 1)}",
                                pos.line, pos.col)
            return f"goal {n}:\n" + show_goal(goals[n - 1], self.width), False
        return self.goals_text(), False

    def _cmd_Quit(self, arg, pos, s):
        self._no_arg("Quit", arg, pos)
        self.quit = True
        return "", False

    def _cmd_Check(self, arg, pos, s):
        k = self.kernel
        if re.fullmatch(S.V.IDENT, arg):
            key = self._name_arg("Check", arg, pos)
            if key in k.theorems:
                return f"{arg} : {show_statement(k.theorems[key].statement)}", False
        env, avars = {}, frozenset()
        if self.proof is not None:
            avars = self.proof.ps.avars
            if self.proof.ps.goals:
                env = dict(self.proof.ps.goals[0].seq.vars)
        term_err = None
        try:
            t = self._resolved(parse_term(arg, line=pos.line, col=pos.col), pos)
            try:
                return f"{show(t)} : {show(k.sort_of(t, env))}", False
            except KernelError as e:
                term_err = ReplError(str(e), pos.line, pos.col)
        except PVSyntaxError as e:
            term_err = ReplError(e.message, e.line, e.col)
        try:
            a = self._resolved(parse_assertion(arg, avars=avars, line=pos.line, col=pos.col),
                               pos)
        except PVSyntaxError:
            raise term_err from None
        try:
            k.check_assertion(a, env)
        except KernelError as e:
            raise ReplError(str(e), pos.line, pos.col) from None
        return f"{show(a)} : iProp", False

    def _resolved(self, x, pos):
        from seplogic.names import ScopeError
        try:
            return self.scope.resolve_syntax(x)
        except ScopeError as e:
            raise ReplError(e.message, pos.line, pos.col) from None

    def _name_arg(self, word, arg, pos) -> str:
        """The kernel key of the name ``arg`` in the file's scope (the name itself if it is
        no definition: a tactic, an axiom)."""
        from seplogic.names import ScopeError
        if not re.fullmatch(_QUALIFIED, arg or ""):
            raise ReplError(f"{word} expects a name", pos.line, pos.col)
        for kind in ("thm", "pred", "term", "func", "spec"):
            try:
                return self.scope.resolve(kind, arg)
            except ScopeError as e:
                if "ambiguous" in e.message or "not required" in e.message:
                    raise ReplError(e.message, pos.line, pos.col) from None
        return arg

    def _cmd_Print(self, arg, pos, s):
        name = self._name_arg("Print", arg, pos)
        k, shown = self.kernel, self.scope.display(name)
        text = show_definition(k, name, shown)
        if text is not None:
            return text, False
        if name in k.theorems:
            t = k.theorems[name]
            return (f"Theorem {shown} :\n  {_ind(show_statement(t.statement))}.\n"
                    f"({self._status(name)})"), \
                False
        if name in k.axioms:
            from driver.axioms import show_axiom
            return "axiom " + show_axiom(self._axiom(name, pos), self.width), False
        raise ReplError(f"unknown name {name}", pos.line, pos.col)

    def _axiom(self, name, pos):
        """The semantics axiom ``name``, checked by the kernel on this first use (a shipped
        file edited by hand can hold an ill-formed one: a located error, not a crash)."""
        try:
            return self.kernel.axioms[name]
        except KernelError as e:
            raise ReplError(f"the semantics axiom {name} is ill-formed: {e}", pos.line,
                            pos.col) from None

    def _status(self, name) -> str:
        t = self.kernel.theorems[name]
        failed = self.session.failed      # a failed proof is never called admitted
        if name in failed:
            return "failed (admitted so that what uses it can be checked)"
        if name in t.admits:
            return "admitted"
        if t.admits:
            words = [("failed " if a in failed else "admitted ") + a for a in sorted(t.admits)]
            return "proved, resting on " + ", ".join(words)
        return "proved"

    def _cmd_About(self, arg, pos, s):
        name = self._name_arg("About", arg, pos)
        k, shown = self.kernel, self.scope.display(name)
        if name in k.defs:
            params, sort, _ = k.defs[name]
            return f"{shown} : Definition{binders(params)} : {show(sort)}", False
        if name in k.preds:
            params, _ = k.preds[name]
            return f"{shown} : Predicate{binders(params)}", False
        if name in k.funcs:
            params, _ = k.funcs[name]
            return f"{shown} : Function ({' '.join(params)})", False
        if name in k.theorems:
            t = k.theorems[name]
            ax = ", ".join(sorted(t.axioms)) or "none"
            return (f"{shown} : Theorem ({self._status(name)}; axioms: {ax})\n"
                    f"  {_ind(show_statement(t.statement))}"), False
        if name in k.axioms:
            ax = self._axiom(name, pos)
            return f"{name} : axiom of the semantics [{ax.source}]", False
        if name in TACTICS:
            return f"{name} : tactic — {TACTIC_HELP.get(name, '(no description)')}", False
        raise ReplError(f"unknown name {name}", pos.line, pos.col)

    def _cmd_Print_Assumptions(self, arg, pos, s):
        name = self._name_arg("Print Assumptions", arg, pos)
        k = self.kernel
        if name not in k.theorems:
            raise ReplError(f"unknown theorem {name}", pos.line, pos.col)
        axioms, admits = k.assumptions(name)
        lines = [f"Assumptions of {name}:"]
        if not axioms and not admits:
            lines.append("  Closed under the global context (no axioms, nothing admitted).")
        lines += [f"  axiom {a}  ({k.axioms[a].source})" for a in axioms]
        lines += [f"  failed {a}  (its proof did not check)" if a in self.session.failed
                  else f"  admitted {a}" for a in admits]
        return "\n".join(lines), False

    def _cmd_Search(self, arg, pos, s):
        pat = arg
        if len(pat) >= 2 and pat[0] == pat[-1] == '"':
            pat = pat[1:-1]
        if not pat:
            raise ReplError("Search expects a name or a piece of text", pos.line, pos.col)
        if re.fullmatch(S.V.IDENT, pat):
            rx = re.compile(r"(?<![\w'])" + re.escape(pat) + r"(?![\w'])")
            hit = rx.search
        else:
            hit = (lambda text: pat in text)
        from seplogic.printer import show_ascii
        out = []
        flat = 10 ** 6                  # text is matched on one line, shown laid out
        for name, t in self.kernel.theorems.items():
            text = show_statement(t.statement, flat)
            try:
                ascii_text = show_ascii(t.statement, flat)
            except TypeError:
                ascii_text = ""
            if hit(text) or hit(ascii_text):
                shown = self.scope.display(name)
                text = show_statement(t.statement, self.width - len(shown) - 3)
                out.append(f"{shown} : {_ind(text)}")
        from driver.axioms import show_axiom
        for ax in self.kernel.axioms.values():      # the semantics' axioms too
            if hit(show_axiom(ax, flat)) or hit(ax.name):
                out.append(f"axiom {_ind(show_axiom(ax, self.width - 2))}")
        if not out:
            return f"No theorem or axiom mentions {arg}.", False
        return "\n".join(out), False

    # ---- undo ----------------------------------------------------------------------------------

    def _undo(self, n, pos):
        if not self.entries:
            raise ReplError("nothing to undo", pos.line, pos.col)
        n = min(n, len(self.entries))
        popped = self.entries[-n:]
        snap = next((e.snap for e in popped if not e.local), None)
        if snap is not None:             # the first kernel-changing sentence undone
            snapshot.restore(self.session, snap)
        del self.entries[-n:]
        self.proof = popped[0].before
        msg = "" if self.proof else \
            "Undone: " + "; ".join(" ".join(e.text.split())[:60] for e in popped)
        return msg, True

    # ---- actions -------------------------------------------------------------------------------

    def _apply(self, action, text, pos=None) -> str:
        """Carry out one state-changing action and push it on the undo stack."""
        before = self.proof
        entry = Entry(action, before, text)
        if not entry.local:
            entry.snap = snapshot.take(self.session)
        try:
            msg = getattr(self, "_do_" + action[0])(action, pos)
        except BaseException:
            if entry.snap is not None:   # a failed sentence leaves nothing behind
                snapshot.restore(self.session, entry.snap)
            raise
        self.entries.append(entry)
        return msg

    def _where(self, pos):
        return (pos.line, pos.col) if pos is not None else (None, None)

    def _do_theorem(self, action, pos):
        thm = action[1]
        k = self.kernel
        records = self.scope.records()
        if records:                                     # record sorts stand for their pairs
            thm = _load.resolve_sorts(thm, records)
        where = (thm.pos.line, thm.pos.col)
        from seplogic.names import ScopeError
        try:
            thm, _ = self.scope.elaborate(thm)
        except ScopeError as e:
            raise ReplError(e.message, *where) from None
        if any(thm.name in t for t in (k.defs, k.preds, k.funcs, k.axioms, k.theorems)):
            raise ReplError(f"{thm.name} is already defined", *where)
        try:
            stmt, fresh = self._statement(thm)
        except KernelError as e:
            raise ReplError(f"ill-formed statement of {thm.name}: {e}", *where) from None
        self.proof = ProofMode(thm, stmt, fresh(), fresh=fresh)
        return ""

    def _statement(self, thm):
        """The statement to record and a function giving the initial proof state (the same
        plan the checker uses, driver.load.plan_theorem)."""
        plan = plan_theorem(self.kernel, thm)
        return plan.statement, plan.start

    def _prove(self, pm, deriv):
        plan_theorem(self.kernel, pm.thm).prove(deriv)

    def _do_proof(self, action, pos):
        if self.proof is None:
            raise ReplError("Proof: no theorem to prove (state one with "
                            "`Theorem name : statement.`)", *self._where(pos))
        if self.proof.started:
            raise ReplError("the proof has already started", *self._where(pos))
        self.proof = replace(self.proof, started=True)
        return ""

    def _do_step(self, action, pos):
        step = action[1]
        pm = self.proof
        ps = pm.ps.copy()
        try:
            run_step(ps, step)
        except ScriptError as e:
            at = e.pos or step.pos
            raise ReplError(str(e), at.line, at.col) from None
        except KernelError as e:     # defensive: tactics report TacticError
            raise ReplError(str(e), step.pos.line, step.pos.col) from None
        self.proof = replace(pm, ps=ps, started=True)
        return ""

    def _do_restart(self, action, pos):
        pm = self.proof
        if pm is None:
            raise ReplError("Restart: no proof in progress", *self._where(pos))
        self.proof = replace(pm, ps=pm.fresh())
        return ""

    def _do_abort(self, action, pos):
        if self.proof is None:
            raise ReplError("Abort: no proof in progress", *self._where(pos))
        name = self.proof.name
        self.proof = None
        return f"{name} aborted."

    def _do_admitted(self, action, pos):
        pm = self.proof
        if pm is None:
            raise ReplError("Admitted: no proof in progress", *self._where(pos))
        try:
            plan_theorem(self.kernel, pm.thm).admit()
        except KernelError as e:
            raise ReplError(str(e), *self._where(pos)) from None
        self._record(pm, "admitted")
        self.proof = None
        return f"{pm.name} admitted."

    def _do_qed(self, action, pos):
        pm = self.proof
        where = self._where(pos)
        if pm is None:
            raise ReplError("Qed: no proof in progress", *where)
        ps = pm.ps
        if not ps.finished():
            goals = ps.all_goals()
            raise ReplError(f"{pm.name}: the proof is not complete: {len(goals)} goal"
                            f"{'s' * (len(goals) != 1)} left", *where)
        try:
            deriv = ps.derivation()
            self._prove(pm, deriv)
        except KernelError as first:
            # Should not happen (see the module doc); replay the script from the statement.
            try:
                ps2 = pm.fresh()
                for st in self.script():
                    run_step(ps2, st)
                deriv = ps2.derivation()
                self._prove(pm, deriv)
            except (KernelError, ScriptError):
                raise ReplError(f"the kernel rejects the derivation of {pm.name}: {first}",
                                *where) from None
        self._record(pm, "proved")
        self.proof = None
        n = _size(deriv)
        return f"{pm.name} is proved (the kernel checked {n} rule application{'s' * (n != 1)})."

    def script(self) -> list:
        """The tactic steps of the current proof, as they stand after undos and restarts."""
        steps = []
        for e in self.entries:
            kind = e.action[0]
            if kind in ("theorem", "restart"):
                steps = []
            elif kind == "step":
                steps.append(e.action[1])
        return steps

    def _record(self, pm, status):
        axioms, admits = self.kernel.assumptions(pm.thm.name)
        self.scope.define(pm.name, "thm", pm.thm.pos.line)
        self.session.results.append(TheoremResult(
            self.repl_path, pm.name, pm.thm.pos.line, status, 0.0, axioms, admits))

    def _do_command(self, action, pos):
        cmd = action[1]
        s = self.session
        n0, n_out = len(s.diagnostics), len(s.output)
        s.run_command(self.repl_path, cmd)
        new = s.diagnostics[n0:]
        out = s.output[n_out:]
        del s.output[n_out:]
        name = getattr(cmd, "name", None) or getattr(cmd, "path", "")
        if new:
            loaded = type(cmd).__name__ == "Require" and os.path.abspath(
                os.path.join(os.path.dirname(self.repl_path), cmd.path)) in s.loaded
            msgs = [d.message if d.path == self.repl_path else d.render() for d in new]
            if not loaded:
                del s.diagnostics[n0:]
                d = new[0]
                if d.path == self.repl_path:
                    raise ReplError(d.message, d.line, d.col, d.detail)
                raise ReplError("\n".join(msgs), cmd.pos.line, cmd.pos.col)
            out = msgs + out
        kind = type(cmd).__name__
        if kind == "Require":
            out.append(f"Loaded {cmd.path}.")
        else:
            out.append(f"{name} is defined.")
        return "\n".join(out)

    # ---- completion ------------------------------------------------------------------------

    def defined_names(self) -> list:
        names = set(self.kernel.axioms)
        for kind in ("term", "pred", "func", "thm", "spec"):
            names |= set(self.scope.known(kind))
        return sorted(names)

    def hypothesis_names(self) -> list:
        """Names of the hypotheses (spatial, persistent, pure) and variables of the focused
        goal."""
        if self.proof is None or not self.proof.ps.goals:
            return []
        g = self.proof.ps.goals[0]
        return list(g.snames) + list(g.pnames) + list(g.fnames)

    def variable_names(self) -> list:
        if self.proof is None or not self.proof.ps.goals:
            return []
        return [n for n, _ in self.proof.ps.goals[0].seq.vars]

    def completions(self, before: str) -> tuple[str, list]:
        """For the text before the cursor: the word being typed and the candidates that
        complete it (sorted, without duplicates)."""
        dotted = re.search(r"[\w'%#.]*$", before).group().lstrip(".")
        if "." in dotted:     # a qualified name (heap_load)?
            cands = self._candidates(before[:len(before) - len(dotted)])
            if any(c.startswith(dotted) for c in cands):
                return dotted, sorted(c for c in cands if c.startswith(dotted) and c != dotted)
        word = re.search(r"[\w'%#]*$", before).group()
        cands = self._candidates(before[:len(before) - len(word)])
        return word, sorted(c for c in cands if c.startswith(word) and c != word)

    def _candidates(self, head: str) -> set:
        if head.count('"') % 2 == 1:          # inside a string: hypothesis names
            cands = set(self.hypothesis_names())
            if self.proof and self.proof.ps.goals:
                g = self.proof.ps.goals[0]
                cands |= {"%" + n for n in g.fnames} | {"#" + n for n in g.pnames}
            return cands
        blanked, _ = S.blank(head)
        ends = list(re.finditer(r"\.(?=\s|$)", blanked))
        sentence = blanked[ends[-1].end():] if ends else blanked
        words = sentence.lstrip(" \t\n-+*{}").split()
        if not words:
            cands = set(S.REPL_WORDS) | set(S.FILE_WORDS)
            if self.proof is not None:
                cands |= set(TACTICS) | set(S.V.TACTICALS)
        elif words[0] in ("Print", "About", "Search", "Check"):
            cands = set(self.defined_names())
            if words[0] == "Print" and len(words) == 1:
                cands.add("Assumptions")
            if words[0] == "About":
                cands |= set(TACTICS)
            if words[0] == "Check":
                cands |= set(self.variable_names())
        elif words[0] in S.FILE_WORDS:
            cands = set(self.defined_names()) | set(S.V.SORTS) | set(S.V.KEYWORDS)
        else:
            cands = set(self.defined_names()) | set(self.variable_names()) \
                | set(S.V.TACTIC_KEYWORDS)
        return cands


def _size(deriv) -> int:
    n, todo = 0, [deriv]
    while todo:
        d = todo.pop()
        n += 1
        todo.extend(d[2])
    return n


def _ind(text: str) -> str:
    return text.replace("\n", "\n  ")


def render_error(text: str, e: ReplError) -> str:
    """``Error: message`` with the line of the input it is about and a caret under the
    column."""
    if e.line is None:
        head = f"Error: {e.message}"
        return head + (f"\n{e.detail}" if e.detail else "")
    lines = text.split("\n")
    out = [f"Error (line {e.line}, column {e.col}): {e.message}"]
    if 1 <= e.line <= len(lines):
        src = lines[e.line - 1]
        out.append("  " + src)
        out.append("  " + "".join(c if c == "\t" else " " for c in src[:max(e.col - 1, 0)])
                   + "^")
    if e.detail:
        out.append(e.detail)
    return "\n".join(out)
