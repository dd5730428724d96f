"""Parser of `.pv` files and of single phrases (terms, assertions, programs, sorts).

The grammar (`grammar.lark`, LALR(1), contextual lexer) parses terms and assertions with one
shared expression grammar, because a predicate application ``P(a)`` and a term ``f(a)`` (say the
location of ``f(a) ↦[n] v``) only differ by what follows them.  The grammar callbacks
(`_Builder`, seplogic/callbacks.py) build a small neutral tree (`_N`) for those "formulas";
`_Elab` (seplogic/elab.py) then turns it into a `Term` or an `Assertion` according to the
position it occurs in.  Programs and sorts are
context free and are built directly by the callbacks.

lark only computes the parse tables; they ship with the package (`grammar_tables.json`, made
by ``python -m seplogic.parser --write-tables``) and the small runtime in seplogic/lalr.py
lexes and parses with them, so start-up does not pay for importing lark.  Everything malformed
raises `PVSyntaxError`.
"""
from __future__ import annotations

import re

from . import syntax as S
from .document import Document
from .callbacks import _Builder  # noqa: F401  (re-exported: the tables test uses it)
from .elab import (ATOM_CALLS, PVSyntaxError, RESERVED, _Elab, _Err)
from .lalr import (REGENERATE, TABLES_PATH, _STARTS, _blank_comments, _build_tables,
                   _grammar_text, _load_tables, _run, _shift, tables_json, write_tables)

__all__ = ["PVSyntaxError", "parse_file", "parse_term", "parse_assertion", "parse_expr",
           "parse_sort", "RESERVED"]


# ---------------------------------------------------------------------------------------------
# Public API


def parse_file(text: str, path: str) -> Document:
    """Parse a whole `.pv` file into its commands."""
    return Document(path, tuple(_run(text, "file", path=path)))


# A command starts a line with one of these (resynchronisation after a syntax error).
_COMMAND_START = re.compile(r"(Require|Definition|Predicate|Function|Record|Theorem|Lemma|Spec|"
                            r"Operation|Crash|Initial|Refinement|Print)\b")


def parse_file_recovering(text: str, path: str) -> tuple:
    """``(Document, [PVSyntaxError])``: a syntax error in one command is reported and parsing
    resumes at the next line that starts with a command keyword, so the rest of the file is
    still checked.  Each piece is parsed with the other lines blanked, so positions stay.
    The whole text is parsed first (the piece of all lines is the text itself); it is cut
    into lines and pieces only when that finds an error."""
    try:
        return Document(path, tuple(_run(text, "file", path=path))), []
    except PVSyntaxError as e:
        first = e
    lines = text.splitlines(keepends=True)
    starts = [i for i, ln in enumerate(lines) if _COMMAND_START.match(ln)]
    errors: list = []

    def piece(lo, hi):
        return "".join(ln if lo <= i < hi else ("\n" if ln.endswith("\n") else "")
                       for i, ln in enumerate(lines))

    out, todo = [], [(0, max(len(lines), 1))]
    while todo:                       # ranges in source order (a stack, pushed reversed)
        lo, hi = todo.pop()
        if first is not None:         # the range of all lines: its error is the one above
            e, first = first, None
        else:
            try:
                out += _run(piece(lo, hi), "file", path=path)
                continue
            except PVSyntaxError as err:
                e = err
        bad = min(max(e.line - 1, lo), hi - 1)
        inner = [b for b in starts if lo < b <= bad]
        if inner:                     # the error is in a later command: split before it
            todo += [(inner[-1], hi), (lo, inner[-1])]
            continue
        errors.append(e)              # in the range's first command: skip to the next one
        nxt = min([b for b in starts if b > bad], default=hi)
        if nxt < hi:
            todo.append((nxt, hi))
    return Document(path, tuple(out)), errors


def parse_term(text: str, *, line: int = 1, col: int = 1) -> S.Term:
    """Parse one pure term; ``line``/``col`` give the position of ``text`` in its file."""
    n = _run(text, "formula_phrase", line, col)
    return _elab(lambda: _Elab.term(n), line, col)


def parse_assertion(text: str, avars=frozenset(), *, line: int = 1, col: int = 1) -> S.Assertion:
    """Parse one assertion; names in ``avars`` are assertion variables (iProp parameters)."""
    n = _run(text, "formula_phrase", line, col)
    return _elab(lambda: _Elab.assertion(n, frozenset(avars), frozenset()), line, col)


def parse_expr(text: str, *, line: int = 1, col: int = 1) -> S.Expr:
    """Parse one program of the core language."""
    return _run(text, "expr_phrase", line, col)


def parse_sort(text: str, *, line: int = 1, col: int = 1) -> S.Sort:
    """Parse one sort."""
    return _run(text, "sort_phrase", line, col)


def blank_comments(text: str) -> str:
    """``text`` with each comment replaced by spaces (newlines kept), as the parser reads it;
    PVSyntaxError for an unclosed comment or string."""
    return _elab(lambda: _blank_comments(text), 1, 1)


def _elab(thunk, line0, col0):
    try:
        return thunk()
    except _Err as err:
        raise PVSyntaxError(err.message, *_shift(err, line0, col0)) from None
    except RecursionError:
        raise PVSyntaxError("input nested too deeply", line0, col0) from None


if __name__ == "__main__":
    import sys
    if sys.argv[1:] != ["--write-tables"]:
        sys.exit(f"usage: {REGENERATE}")
    write_tables()
    print(f"wrote {TABLES_PATH}")
