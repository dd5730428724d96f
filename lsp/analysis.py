"""What the language server knows about one version of a document: its diagnostics, the proof
state at any position, the names in scope for completion, and where names are defined.

Positions here are 1-based (line, column) in Unicode characters, as in the checker; the server
converts to and from LSP's 0-based code units.

Re-checking after a change.  A `Checker` keeps, for each theorem of the previous run that the
kernel accepted, its derivation, keyed by the document's text up to the end of the theorem.
When the text up to a theorem is unchanged, its tactics are not run again: the kernel checks
the kept derivation against the statement just parsed (so nothing is trusted that the kernel
has not checked in this very session), and only the theorems from the changed sentence on are
run by the tactic engine.  A kept derivation the kernel rejects (a Require'd file changed, say)
is dropped and the proof is run as usual.
"""
from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field

from driver.diagnostics_json import Sources, diagnostic_json, offset, span
from driver.load import Session, plan_theorem
from kernel.wf import KernelError
from seplogic import document as D
from seplogic import vocabulary as V
from tactics.display import show_state
from tactics.script import TACTIC_HELP, TACTICS, ScriptError, run_step

THEOREMS = (D.TheoremDef, D.CrashTheoremDef)
_WORD_AT = re.compile(rf"{V.IDENT}(?:\.{V.IDENT})*")
_PREFIX = re.compile(r"[\w'%#]*$")


class _Derivations:
    """A `Session` recorder that only remembers the last derivation the kernel accepted."""

    def __init__(self):
        self.last = None

    def call(self, call, args):
        if call in ("prove", "prove_crash"):
            self.last = args[-1]

    def failed(self, name, admit):
        pass


class _ReusingSession(Session):
    """A Session that hands the kernel a kept derivation instead of running the tactics again
    when the text up to the theorem is unchanged (see the module doc)."""

    def __init__(self, keys: dict, kept: dict):
        self._derivations = _Derivations()
        super().__init__(recorder=self._derivations)
        self.keys = keys          # (abspath, Pos) -> prefix_key of the text up to its end
        self.kept = kept          # key -> derivation, from the previous run
        self.fresh: dict = {}     # key -> derivation, of this run
        self.elaborated: dict = {}  # (abspath, Pos) -> (elaborated theorem, its scope)
        self.reused = 0

    def run_theorem(self, path, thm):
        # the theorem as the session elaborated it (names resolved in the file's scope, record
        # sorts replaced), and that scope: proof states at positions are computed from them
        from seplogic.names import SCOPE
        self.elaborated[(os.path.abspath(path), thm.pos)] = (thm, SCOPE.get())
        key = self.keys.get((os.path.abspath(path), thm.pos))
        deriv = self.kept.get(key) if key is not None else None
        if deriv is not None and (thm.proof is None or thm.proof.ending == "Qed"):
            t0 = time.perf_counter()
            try:
                plan_theorem(self.kernel, thm).prove(deriv)
            except KernelError:
                pass
            else:
                self.fresh[key] = deriv
                self.reused += 1
                self._finish(path, thm, "proved", t0)
                return
        self._derivations.last = None
        super().run_theorem(path, thm)
        if key is not None and self._derivations.last is not None:
            self.fresh[key] = self._derivations.last


@dataclass
class Goal:
    """The proof state at a position: the theorem, the text shown, and the error of the step
    that failed before the position (if one did)."""
    theorem: str
    text: str
    steps: int                 # steps run to get there
    error: str | None = None
    hypotheses: list = field(default_factory=list)


class Checker:
    """Checks successive versions of one document, keeping derivations between them."""

    def __init__(self, path: str):
        self.path = path
        self.kept: dict = {}
        self.parsed = None        # the last Analysis whose text parsed

    def check(self, text: str) -> "Analysis":
        from seplogic.parser import parse_file_recovering
        ap = os.path.abspath(self.path)
        keys = {}
        doc, errors = parse_file_recovering(text, self.path)    # the session reports errors
        if not errors:
            ends = [offset(text, c.pos.line, c.pos.col) for c in doc.commands[1:]]
            ends.append(len(text))
            for cmd, end in zip(doc.commands, ends):
                if type(cmd) in THEOREMS:
                    keys[(ap, cmd.pos)] = prefix_key(text[:end])
        session = _ReusingSession(keys, self.kept)
        t0 = time.perf_counter()
        session.load_text(self.path, text)
        a = Analysis(self.path, text, session, time.perf_counter() - t0)
        if errors:                          # kept for when the text parses again
            a.fallback = self.parsed
        else:
            self.kept = session.fresh
            self.parsed = a
        return a


def prefix_key(prefix: str) -> str:
    """The key of a kept derivation: a digest of the document's text up to the end of the
    theorem."""
    import hashlib
    return hashlib.sha256(prefix.encode("utf-8")).hexdigest()


class Analysis:
    """One checked version of a document."""

    def __init__(self, path: str, text: str, session: Session, seconds: float = 0.0):
        self.path, self.text, self.session, self.seconds = path, text, session, seconds
        self.doc = session.loaded.get(os.path.abspath(path))
        self.reused = getattr(session, "reused", 0)
        # while the text does not parse (a sentence being typed), proof states and names come
        # from the last version that did: the text before the cursor is mostly unchanged
        self.fallback: Analysis | None = None
        self._states: dict = {}
        self._index = None

    # ---- diagnostics ---------------------------------------------------------------------------

    def diagnostics(self) -> list:
        """Diagnostics of this document as `driver.diagnostics_json` objects: its own errors;
        errors in a Require'd file, at the Require that brought it in; admitted proofs as
        warnings."""
        src = Sources(self.session, {self.path: self.text})
        starts = src.starts(self.path)
        me = os.path.abspath(self.path)
        requires = [c for c in self.doc.commands if type(c) is D.Require] if self.doc else []
        out, seen = [], set()
        for d in self.session.diagnostics:
            key = (d.path, d.line, d.col, d.message)
            if key in seen:
                continue
            seen.add(key)
            if os.path.abspath(d.path) == me:
                out.append(diagnostic_json(d, self.text, starts))
                continue
            req = self._require_of(d.path, requires)
            at = req.pos if req is not None else D.Pos(1, 1)
            j = diagnostic_json(d, src.text(d.path), src.starts(d.path))
            j.update(file=self.path, start={"line": at.line, "column": at.col},
                     message=f"{d.path}:{d.line}:{d.col}: {d.message}")
            end = span(self.text, starts, at.line, at.col)
            j["end"] = {"line": end[0], "column": end[1]}
            out.append(j)
        for cmd in self.doc.commands if self.doc else ():
            p = getattr(cmd, "proof", None)
            if type(cmd) in THEOREMS and p is not None and p.ending == "Admitted":
                end = span(self.text, starts, p.end_pos.line, p.end_pos.col)
                out.append({"file": self.path,
                            "start": {"line": p.end_pos.line, "column": p.end_pos.col},
                            "end": {"line": end[0], "column": end[1]}, "severity": "warning",
                            "message": f"{cmd.name} is admitted (not proven)", "goal": None})
        return out

    def _require_of(self, path, requires):
        """The Require of this document that loads ``path`` (directly, else the first)."""
        target = os.path.abspath(path)
        for r in requires:
            if os.path.abspath(os.path.join(os.path.dirname(self.path), r.path)) == target:
                return r
        return requires[0] if requires else None

    # ---- proof states ------------------------------------------------------------------------

    @property
    def parsed(self) -> "Analysis":
        return self if self.fallback is None else self.fallback

    def theorem_at(self, line: int, col: int):
        """The theorem whose text (statement to Qed) holds the position, or None."""
        doc = self.parsed.doc
        if doc is None:
            return None
        cmds = doc.commands
        for i, cmd in enumerate(cmds):
            nxt = cmds[i + 1].pos if i + 1 < len(cmds) else None
            if (cmd.pos.line, cmd.pos.col) <= (line, col) and \
                    (nxt is None or (line, col) < (nxt.line, nxt.col)):
                return cmd if type(cmd) in THEOREMS else None
        return None

    def _run_proof(self, thm) -> list:
        """[(step or None, state or None, error)]: the state before the first step, then the
        state after each step, up to the first step that fails."""
        if thm.pos in self._states:
            return self._states[thm.pos]
        from seplogic.names import SCOPE
        t, scope = getattr(self.session, "elaborated", {}).get(
            (os.path.abspath(self.path), thm.pos), (thm, None))
        out: list = []
        token = SCOPE.set(scope)
        try:
            ps = plan_theorem(self.session.kernel, t).start()
        except KernelError as e:
            out.append((None, None, f"ill-formed statement of {thm.name}: {e}"))
        else:
            out.append((None, ps, None))
            for step in (t.proof.steps if t.proof else ()):
                nxt = ps.copy()
                try:
                    run_step(nxt, step)
                except (ScriptError, KernelError) as e:
                    out.append((step, None, str(e)))
                    break
                out.append((step, nxt, None))
                ps = nxt
        finally:
            SCOPE.reset(token)
        self._states[thm.pos] = out
        return out

    def goal_at(self, line: int, col: int, width: int = 80) -> Goal | None:
        """The proof state after every step that starts before the position (in the proof of
        the theorem there; the statement itself gives the initial state)."""
        if self.parsed is not self:
            return self.parsed.goal_at(line, col, width)
        thm = self.theorem_at(line, col)
        if thm is None:
            return None
        states = self._run_proof(thm)
        last, n = states[0], 0
        for step, ps, err in states[1:]:
            if (step.pos.line, step.pos.col) >= (line, col):
                break
            last, n = (step, ps, err), n + 1
        step, ps, err = last
        if ps is None:                     # that step failed: show the state before it
            before = next((s for s in reversed(states[:n]) if s[1] is not None), None)
            if before is None:
                return Goal(thm.name, err or "", n, err)
            text = show_state(before[1], width)
            return Goal(thm.name, f"{text}\n\nError: {err}", n, err, _hyps(before[1]))
        return Goal(thm.name, show_state(ps, width), n, None, _hyps(ps))

    # ---- names -----------------------------------------------------------------------------

    def word_at(self, line: int, col: int) -> str:
        i = offset(self.text, line, col)
        start = self.text.rfind("\n", 0, i) + 1
        for m in _WORD_AT.finditer(self.text, start):
            if m.start() > i:
                break
            if m.start() <= i <= m.end():
                return m.group()
        return ""

    def index(self) -> dict:
        """name -> (path, line, col, end line, end col) of its definition, over this file
        and the files it Requires."""
        if self.parsed is not self:
            return self.parsed.index()
        if self._index is not None:
            return self._index
        src = Sources(self.session, {self.path: self.text})
        idx: dict = {}
        for ap, doc in self.session.loaded.items():
            path = self.path if ap == os.path.abspath(self.path) else doc.path
            text = src.text(path)
            if text is None:
                continue
            for cmd in doc.commands:
                for name in _defined_names(cmd):
                    at = _name_position(text, cmd.pos, name)
                    if at is not None and name not in idx:
                        idx[name] = (path,) + at
        self._index = idx
        return idx

    def definition(self, line: int, col: int):
        """Where the name at the position is defined: (path, line, col, end line, end col)."""
        word = self.word_at(line, col)
        idx = self.index()
        for cand in (word, word.rsplit(".", 1)[-1]):
            if cand in idx:
                return idx[cand]
        return None

    def completions(self, line: int, col: int) -> list:
        """(label, kind) pairs for the word being typed: in a proof, tactic names and the
        hypotheses and variables in scope (only hypotheses inside a string, as in
        ``destruct "H``); elsewhere commands, sorts, keywords and defined names."""
        i = offset(self.text, line, col)
        line_start = self.text.rfind("\n", 0, i) + 1
        before = self.text[line_start:i]
        prefix = _PREFIX.search(before).group()
        out: dict = {}
        goal = None
        thm = self.theorem_at(line, col)
        if thm is not None and thm.proof is not None and \
                (line, col) > (thm.proof.pos.line, thm.proof.pos.col):
            goal = self.goal_at(*self._sentence_start(i))
        in_string = before.count('"') % 2 == 1
        if goal is not None:
            for name, kind in goal.hypotheses:
                if kind == "hypothesis" or not in_string:
                    out.setdefault(name, kind)
            if not in_string:
                for t in sorted(TACTICS):
                    out.setdefault(t, "tactic")
                for t in V.TACTICALS + V.TACTIC_KEYWORDS:
                    out.setdefault(t, "keyword")
        elif not in_string:
            for w in V.COMMANDS + V.SORTS + V.KEYWORDS:
                out.setdefault(w, "keyword")
        if not in_string:
            for name in self.index():
                out.setdefault(name, "name")
        return sorted(((n, k) for n, k in out.items() if n.startswith(prefix) and n != prefix),
                      key=lambda nk: (_ORDER[nk[1]], nk[0]))

    def _sentence_start(self, i: int) -> tuple:
        """(line, col) where the sentence holding offset ``i`` starts: after the last dot
        that ends a sentence before it (outside comments and strings), and its bullets."""
        from driver.certificate import position
        from repl.sentences import blank
        blanked, _ = blank(self.text[:i])
        j = max(blanked.rfind(". ", 0, i), blanked.rfind(".\n", 0, i), -1) + 1
        while j < i and (blanked[j].isspace() or blanked[j] in "-+*{}"):
            j += 1
        return position(self.text, j)

    def hover(self, line: int, col: int, width: int = 80) -> str | None:
        """Markdown: what the word at the position is (a tactic, a defined name) and, in a
        proof, the goal there."""
        parts = []
        word = self.word_at(line, col)
        thm = self.theorem_at(line, col)
        if word in TACTICS and thm is not None:
            parts.append(f"`{TACTIC_HELP.get(word, word)}`")
        elif word:
            about = self.about(word)
            if about:
                parts.append("```pv\n" + about + "\n```")
        if thm is not None and thm.proof is not None and \
                (line, col) >= (thm.proof.pos.line, thm.proof.pos.col):
            g = self.goal_at(line, col, width)
            if g is not None:
                parts.append("```\n" + g.text + "\n```")
        return "\n\n".join(parts) or None

    def about(self, name: str) -> str | None:
        from tactics.display import binders, show_statement
        from seplogic.printer import show
        k = self.session.kernel

        def key(table):
            """The kernel's name for ``name`` (qualified by its module), if one is unique."""
            if name in table:
                return name
            found = [n for n in table if n.endswith("." + name)]
            return found[0] if len(found) == 1 else None
        if key(k.theorems):
            return f"{name} : {show_statement(k.theorems[key(k.theorems)].statement)}"
        if key(k.defs):
            params, sort, _ = k.defs[key(k.defs)]
            return f"Definition {name}{binders(params)} : {show(sort)}"
        if key(k.preds):
            return f"Predicate {name}{binders(k.preds[key(k.preds)][0])}"
        if key(k.funcs):
            return f"Function {name} ({' '.join(k.funcs[key(k.funcs)][0])})"
        return None


_ORDER = {"hypothesis": 0, "variable": 1, "tactic": 2, "name": 3, "keyword": 4}


def _hyps(ps) -> list:
    """(name, kind) of the hypotheses and variables of the first focused goal."""
    if not ps.goals:
        return []
    g = ps.goals[0]
    out = [(n, "hypothesis") for n in tuple(g.snames) + tuple(g.pnames) + tuple(g.fnames)]
    out += [(n, "variable") for n, _ in g.seq.vars]
    return out


def _defined_names(cmd) -> list:
    t = type(cmd)
    if t is D.RecordDef:
        return [cmd.name] + [f for f, _ in cmd.fields]
    if t in (D.Definition, D.PredicateDef, D.FunctionDef, D.SpecDef, D.RefinementDef) \
            or t in THEOREMS:
        return [cmd.name]
    return []


def _name_position(text: str, pos, name: str):
    """(line, col, end line, end col) of the first whole-word ``name`` from ``pos`` on."""
    from driver.certificate import position
    i = offset(text, pos.line, pos.col)
    m = re.compile(rf"(?<![\w']){re.escape(name)}(?![\w'])").search(text, i)
    if m is None:
        return None
    return position(text, m.start()) + position(text, m.end())
