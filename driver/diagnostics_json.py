"""Machine-readable check results: `pv check --json` and the language server share them.

A `Diagnostic` of the checker has only a start (line, column).  Editors want a range, so
`span` gives its end: a diagnostic at the start of a sentence (a command, ``Proof``, a tactic,
a bullet, ``Qed``) covers that sentence, up to its final dot; one inside a sentence (a token of
a statement, a tactic's argument, a syntax error) covers the token there.

The schema is documented in docs/editor.md and is versioned by ``"schema"``; positions are
1-based, in Unicode characters, and an end is the position just after the last character.
"""
from __future__ import annotations

import os
import re
import textwrap

from seplogic.vocabulary import IDENT

SCHEMA = 1

_TOKEN = re.compile(rf'{IDENT}|\d+|"(?:[^"\\\n]|\\.)*"?|\S')


def sentence_starts(doc) -> list:
    """Where each sentence of a parsed `Document` starts, as sorted (line, col) pairs."""
    starts = set()
    for cmd in doc.commands:
        starts.add((cmd.pos.line, cmd.pos.col))
        proof = getattr(cmd, "proof", None)
        if proof is not None:
            starts.add((proof.pos.line, proof.pos.col))
            starts.update((st.pos.line, st.pos.col) for st in proof.steps)
            starts.add((proof.end_pos.line, proof.end_pos.col))
    return sorted(starts)


def offset(text: str, line: int, col: int) -> int:
    """The offset of a 1-based (line, col) in ``text``, clamped to that line."""
    from repl.sentences import offset_of
    i = offset_of(text, line, 1)
    end = text.find("\n", i)
    return min(i + max(col - 1, 0), len(text) if end < 0 else end)


def span(text: str, starts: list, line: int, col: int) -> tuple:
    """(end line, end col) of a diagnostic at (line, col); see the module doc."""
    from driver.certificate import position as line_col
    from repl.sentences import blank
    i = offset(text, line, col)
    blanked, _ = blank(text)
    if (line, col) in starts:
        later = [offset(text, ln, c) for ln, c in starts if (ln, c) > (line, col)]
        stop = min(later) if later else len(text)
        j = blanked.rfind(".", i, stop)
        if j >= 0 and blanked[i:j].strip() and not blanked[j + 1:stop].strip():
            return line_col(text, j + 1)
        piece = blanked[i:stop].rstrip()
        if piece:
            return line_col(text, i + len(piece))
    m = _TOKEN.match(text, i)
    if m is None:                      # at a line end or the end of the text
        return line_col(text, min(i + 1, len(text))) if i < len(text) else (line, col)
    return line_col(text, m.end())


def diagnostic_json(d, text: str | None, starts: list, severity: str = "error") -> dict:
    """One `driver.load.Diagnostic` as a JSON object."""
    end_line, end_col = span(text, starts, d.line, d.col) if text is not None \
        else (d.line, d.col)
    return {
        "file": d.path,
        "start": {"line": d.line, "column": d.col},
        "end": {"line": end_line, "column": end_col},
        "severity": severity,
        "message": d.message,
        "goal": textwrap.dedent(d.detail) if d.detail else None,
    }


def theorem_json(r) -> dict:
    return {"file": r.path, "name": r.name, "line": r.line, "status": r.status,
            "seconds": round(r.seconds, 4), "axioms": list(r.axioms),
            "admits": list(r.admits),
            "unchecked": list(r.unchecked)}     # trusted from the cache, not re-checked


class Sources:
    """The text and parsed document of each file a session loaded (for spans): given texts
    first (an editor's unsaved buffers), else read from disk."""

    def __init__(self, session, texts: dict | None = None):
        self.session = session
        self.texts = {os.path.abspath(p): t for p, t in (texts or {}).items()}

    def text(self, path: str):
        ap = os.path.abspath(path)
        if ap not in self.texts:
            try:
                with open(ap, encoding="utf-8") as f:
                    self.texts[ap] = f.read()
            except (OSError, UnicodeDecodeError):
                self.texts[ap] = None
        return self.texts[ap]

    def starts(self, path: str) -> list:
        doc = self.session.loaded.get(os.path.abspath(path))
        return sentence_starts(doc) if doc is not None else []


def report(session, paths, ok: bool, summary_line: str, seconds: float,
           output=(), texts=None) -> dict:
    """The one JSON document of a `pv check --json` run."""
    src = Sources(session, texts)
    seen, diags = set(), []
    for d in session.diagnostics:
        key = (d.path, d.line, d.col, d.message)
        if key in seen:
            continue
        seen.add(key)
        diags.append(diagnostic_json(d, src.text(d.path), src.starts(d.path)))
    res = session.results
    return {
        "schema": SCHEMA,
        "paths": list(paths),
        "diagnostics": diags,
        "theorems": [theorem_json(r) for r in res],
        "output": list(output),
        "summary": {
            "ok": ok,
            "files": len(session.loaded) + len(session.unreadable),
            "proven": sum(r.status == "proved" for r in res),
            "trusted": sum(r.status == "trusted" for r in res),    # not re-checked
            "admitted": sum(r.status == "admitted" for r in res),
            "failed": sum(r.status == "failed" for r in res),
            "errors": len(session.diagnostics),
            "seconds": round(seconds, 3),
            "text": summary_line,
        },
    }
