"""The parser runtime as it was before session 9 made it faster (seplogic/lalr.py and
`parse_file_recovering` at that time), kept here as the reference that
tests/test_parser_reference.py compares the fast one with: the same Documents, the same
syntax errors (message, line, column).

It is deliberately the plain version: per token it skips whitespace with a regex, tries every
string terminal the state accepts that starts with the character and every regex terminal the
state accepts (and IDENT) by calling each, keeps the longest (a string wins ties, then the
earlier regex), makes a token object, and reduces rule by rule.  Its tokens are objects read by
attribute, its grammar callbacks and their token helpers those of that time
(tests/parser_reference_callbacks.py), and so is comment blanking.  It shares with the runtime
only what session 9 did not change: the shipped tables (read from the file, not from the
runtime's structures), the elaboration of formula trees (`_Elab`), the syntax and document
classes and the error-message wording (`_message`, `_missing_qed`)."""
from __future__ import annotations

import json
import re

from seplogic import lalr as L
from seplogic.document import Document
from seplogic.elab import PVSyntaxError, _Err
from seplogic.parser import _COMMAND_START
from tests.parser_reference_callbacks import RefBuilder


class RefTables:
    """The shipped tables and the plain lexer's lookup structures."""

    def __init__(self):
        with open(L.TABLES_PATH, encoding="utf-8") as f:
            data = json.load(f)
        self.states = L._States(data["states"])
        self.rules = data["rules"]
        self.start, self.end = data["start"], data["end"]
        ignore = frozenset(data["ignore"])
        self.by_char, self.regexes, self.strings = {}, [], {}
        for name, kind, value, flags in data["terminals"]:
            if name in ignore:
                continue
            if kind == "str":
                self.by_char.setdefault(value[0], []).append((value, name))
                self.strings[name] = value
            else:
                fl = 0
                for f in flags:
                    fl |= getattr(re, f.upper())
                self.regexes.append((name, re.compile(value, fl)))
        for lst in self.by_char.values():
            lst.sort(key=lambda vn: -len(vn[0]))
        self.regexes.sort(key=lambda nr: nr[0] != "IDENT")
        self.functions = [getattr(RefBuilder, r[1]) if r[1] else None for r in self.rules]
        self.first_formula = {k for k in self.states[self.start["formula_phrase"]]
                              if k.isupper()}
        self.first_expr = {k for k in self.states[self.start["expr_phrase"]] if k.isupper()}


_T = []


def tables() -> RefTables:
    if not _T:
        _T.append(RefTables())
    return _T[0]


class Tok:
    __slots__ = ("type", "value", "line", "column", "start_pos", "end_pos")

    def __init__(self, type_, value, line, column, start_pos, end_pos):
        self.type, self.value, self.line, self.column = type_, value, line, column
        self.start_pos, self.end_pos = start_pos, end_pos

    def __str__(self):
        return self.value


_WS = re.compile(r"\s+")


def parse(text: str, start: str, original: str):
    """The contextual lexer and LALR(1) driver, one plain step at a time."""
    T = tables()
    states, rules = T.states, T.rules
    builder = RefBuilder(original)
    stack = [T.start[start]]
    values: list = []
    end_state = T.end[start]
    n = len(text)
    i, line, line_start = 0, 1, 0
    prev = prev_acts = None
    while True:
        acts = states[stack[-1]]
        m = _WS.match(text, i)
        if m is not None:
            j = m.end()
            nl = text.count("\n", i, j)
            if nl:
                line += nl
                line_start = text.rfind("\n", i, j) + 1
            i = j
        if i >= n:
            tok = Tok("$END", "", line, i - line_start + 1, i, i)
        else:
            best, best_end = None, i
            for value, name in T.by_char.get(text[i], ()):
                if name in acts and text.startswith(value, i):
                    best, best_end = name, i + len(value)
                    break
            for name, rx in T.regexes:
                if name in acts or name == "IDENT":
                    m = rx.match(text, i)
                    if m is not None and m.end() > best_end:
                        best, best_end = name, m.end()
            if best is None:
                raise error(text, T, acts, lex_found(text, i, T), i, line,
                            i - line_start + 1, prev, prev_acts, values)
            tok = Tok(best, text[i:best_end], line, i - line_start + 1, i, best_end)
            i = best_end
        while True:
            act = states[stack[-1]].get(tok.type)
            if act is None:
                found = "end of input" if tok.type == "$END" else f"'{tok.value}'"
                raise error(text, T, states[stack[-1]], found, tok.start_pos, tok.line,
                            tok.column, prev, prev_acts, values)
            if act >= 0:
                stack.append(act)
                values.append(tok)
                prev, prev_acts = tok, acts
                break
            origin, name, expand1, size, keep = rules[-1 - act]
            kids = values[len(values) - size:]
            del values[len(values) - size:]
            del stack[len(stack) - size:]
            children = []
            for k in keep:
                if k >= 0:
                    children.append(kids[k])
                else:
                    children.extend(kids[~k])
            if expand1 and len(children) == 1:
                value = children[0]
            else:
                fn = T.functions[-1 - act]
                value = fn(builder, children) if fn is not None else children
            stack.append(states[stack[-1]][origin])
            values.append(value)
            if tok.type == "$END" and stack[-1] == end_state:
                return value


def lex_found(text, i, T) -> str:
    best = ""
    for value, _ in T.by_char.get(text[i], ()):
        if text.startswith(value, i):
            best = value
            break
    for name, rx in T.regexes:
        if name in ("SOUP", "BULLET"):
            continue
        m = rx.match(text, i)
        if m is not None and m.end() - i > len(best):
            best = m.group()
    return f"'{best}'" if best else f"character {text[i]!r}"


def error(text, T, acts, found, pos, line, col, prev, prev_acts, values) -> _Err:
    if prev is not None and prev.end_pos == pos and prev.type in T.strings:
        for value, _ in T.by_char.get(prev.value[0], ()):
            if len(value) > len(prev.value) and text.startswith(value, prev.start_pos):
                return _Err(L._message(text, prev.start_pos, f"'{value}'", prev_acts, T),
                            prev.line, prev.column)
    if found == "end of input":
        for v in reversed(values):
            if type(v) is Tok and v.type in L._OPENERS:
                return _Err(f"'{v.value}' is not closed: the input ends before its "
                            f"'{L._OPENERS[v.type]}'", v.line, v.column)
        pos = len(text.rstrip())
        line, col = L._line_col(text, pos)
    return _Err(L._message(text, pos, found, acts, T), line, col)


_SCAN_CODE = re.compile(r'"|\(\*')
_SCAN_COMMENT = re.compile(r"\(\*|\*\)")
_STRING_BODY = re.compile(r'(?:[^"\\\n]|\\.)*')
_NOT_NEWLINE = re.compile(r"[^\n]")


def blank_comments(text: str) -> str:
    """Each comment blanked, scanning string by string and comment by comment."""
    if "(*" not in text and '"' not in text:
        return text
    out, i, n = [], 0, len(text)
    while True:
        m = _SCAN_CODE.search(text, i)
        if m is None:
            out.append(text[i:])
            return "".join(out)
        j = m.start()
        if m.group() == '"':
            k = _STRING_BODY.match(text, j + 1).end()
            if k >= n or text[k] != '"':
                raise _Err("unclosed string started here (strings end on the same line)",
                           *L._line_col(text, j))
            out.append(text[i:k + 1])
            i = k + 1
            continue
        out.append(text[i:j])
        opens, k = [j], j + 2
        while opens:
            m2 = _SCAN_COMMENT.search(text, k)
            if m2 is None:
                msg = "unclosed comment started here"
                if len(opens) > 1:
                    il, ic = L._line_col(text, opens[-1])
                    msg += (f" (comments nest: {len(opens)} are open, the innermost from "
                            f"{il}:{ic})")
                raise _Err(msg, *L._line_col(text, opens[0]))
            if m2.group() == "(*":
                opens.append(m2.start())
            else:
                opens.pop()
            k = m2.end()
        out.append(_NOT_NEWLINE.sub(" ", text[j:k]))
        i = k


def run(text: str, start: str, line0: int = 1, col0: int = 1, path=None):
    """`seplogic.lalr._run` over the plain driver."""
    if text.startswith("\ufeff"):
        text = " " + text[1:]
    try:
        blanked = blank_comments(text)
        try:
            return parse(blanked, start, text)
        except _Err as err:
            if start == "file":
                err = L._missing_qed(blanked, err) or err
            raise err
    except _Err as err:
        raise PVSyntaxError(err.message, *L._shift(err, line0, col0), path) from None
    except RecursionError:
        raise PVSyntaxError("input nested too deeply", line0, col0, path) from None


def parse_file_recovering(text: str, path: str) -> tuple:
    """Each piece parsed with the other lines blanked, from the first range on."""
    lines = text.splitlines(keepends=True)
    starts = [i for i, ln in enumerate(lines) if _COMMAND_START.match(ln)]
    errors: list = []

    def piece(lo, hi):
        return "".join(ln if lo <= i < hi else ("\n" if ln.endswith("\n") else "")
                       for i, ln in enumerate(lines))

    out, todo = [], [(0, max(len(lines), 1))]
    while todo:
        lo, hi = todo.pop()
        try:
            out += run(piece(lo, hi), "file", path=path)
            continue
        except PVSyntaxError as e:
            bad = min(max(e.line - 1, lo), hi - 1)
            inner = [b for b in starts if lo < b <= bad]
            if inner:
                todo += [(inner[-1], hi), (lo, inner[-1])]
                continue
            errors.append(e)
            nxt = min([b for b in starts if b > bad], default=hi)
            if nxt < hi:
                todo.append((nxt, hi))
    return Document(path, tuple(out)), errors
