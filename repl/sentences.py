"""Cutting REPL input into sentences.

A sentence ends at a ``.`` and is complete when the parser accepts it: the input is scanned
for candidate dots (outside comments and strings) and the shortest prefix that parses is the
sentence.  A prefix whose parse fails only because the input ends (``∃ x.`` waiting for its
body, an unclosed parenthesis, ...) is incomplete, and the next dot is tried; a prefix with a
real syntax error is a sentence too (an erroneous one, reported with its location).  Bullets
(``-``, ``+``, ``*`` repeated, ``{``, ``}``) are sentences of their own, without a dot.

What a sentence is depends on its first word, not on the REPL's mode:

* a REPL command (`REPL_WORDS`: ``Undo``, ``Show``, ``Check ...``, ``Qed``, ...);
* a command of the file language (``Definition``, ``Theorem``, ... -- `FILE_WORDS`), parsed
  by the file grammar (a ``Theorem`` statement is a sentence by itself: its proof follows as
  ``Proof.``, tactics and ``Qed.``);
* otherwise a tactic, parsed by the proof grammar.

All positions (of sentences, errors and the parsed objects) are 1-based line/column in the
whole input, so errors point into what the user typed.
"""
from __future__ import annotations

import re

from seplogic import vocabulary as V
from seplogic.document import Bullet, Pos
from seplogic.record import dataclass, is_record, map_fields   # (no code generated at import)
from seplogic.parser import PVSyntaxError, parse_file, parse_term

# Commands of the REPL itself (and the proof-mode words of the file language).
REPL_WORDS = ("Undo", "Back", "Restart", "Abort", "Show", "Check", "Print", "Search", "About",
              "Quit", "Proof", "Qed", "Admitted")
# Commands of the file language handled by the checker's Session (Require, Definition, ...).
FILE_WORDS = tuple(c for c in V.COMMANDS
                   if c not in REPL_WORDS and c not in ("Assumptions", "Abort"))
# REPL commands that may be typed without the final dot (alone in the input).
BARE_WORDS = re.compile(r"\s*(Undo|Back|Restart|Abort|Show|Quit|Qed|Admitted|Proof)"
                        r"(\s+[0-9]+)?\s*$")

_WORD = re.compile(V.IDENT)
_BULLET = re.compile(r"-+|\++|\*+|[{}]")
_SPACE = re.compile(r"\s*")

# The tactic grammar is reached through a dummy proof around the sentence.
_WRAP_HEAD = "Lemma pv_repl_sentence : True. Proof.\n"
_WRAP_TAIL = "\nAdmitted."


class Incomplete(Exception):
    """The input does not end with a complete sentence yet."""


@dataclass
class Sentence:
    kind: str            # "bullet", "tactic", "file", "repl", "error"
    start: int           # offsets in the input: text[start:end] is the sentence
    end: int
    text: str
    payload: object = None    # bullet/tactic: tuple of steps; file: the command;
    #                           repl: (word, argument text, Pos of the argument)
    error: object = None      # kind "error": (message, line, col)
    word: str = ""            # first word (commands)
    pos: object = None        # Pos of the start of the sentence


def blank(text: str) -> tuple[str, bool]:
    """``text`` with comments and the insides of strings replaced by spaces (newlines and
    offsets kept), and whether a comment is still open at the end."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] not in '"\n':
                j += 2 if text[j] == "\\" else 1
            for k in range(i + 1, min(j, n)):
                out[k] = " "
            i = j + 1
        elif text.startswith("(*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("(*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*)", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            for k in range(i, min(j, n)):
                if out[k] != "\n":
                    out[k] = " "
            if depth:
                return "".join(out), True
            i = j
        else:
            i += 1
    return "".join(out), False


def line_col(text: str, i: int) -> tuple[int, int]:
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


def offset_of(text: str, line: int, col: int) -> int:
    i = 0
    for _ in range(line - 1):
        j = text.find("\n", i)
        if j < 0:
            return len(text)
        i = j + 1
    return i + col - 1


def _pad(text: str, start: int) -> str:
    """The input before ``start`` as white space (newlines kept), so that a sentence parsed on
    its own keeps its position in the input."""
    return re.sub(r"[^\n]", " ", text[:start])


def _eof_like(e: PVSyntaxError, parsed: str, user_end: int) -> bool:
    """Does the error only say that the input ends too early?"""
    if "end of input" in e.message or "is not closed" in e.message \
            or "unclosed comment" in e.message:
        return True
    return offset_of(parsed, e.line, e.col) >= user_end


def shift_positions(obj, dline: int):
    """A copy of a parsed step with every `Pos` moved by ``dline`` lines."""
    if isinstance(obj, Pos):
        return Pos(obj.line + dline, obj.col)
    if isinstance(obj, tuple):
        return tuple(shift_positions(x, dline) for x in obj)
    if is_record(obj):              # (the parser's steps are records: seplogic/document.py)
        return map_fields(obj, lambda v: shift_positions(v, dline))
    return obj


def _dots(blanked: str, start: int):
    """The dots that may end a sentence: not one inside a qualified name (``a.Good``), which
    the lexer reads as one identifier."""
    i = blanked.find(".", start)
    while i >= 0:
        if not _QUALIFYING_DOT.match(blanked, max(i - 1, 0)) or i == 0:
            yield i
        i = blanked.find(".", i + 1)


_QUALIFYING_DOT = re.compile(r"[\w']\.(?!\d)\w")


def first_word(blanked: str, i: int) -> str:
    m = _WORD.match(blanked, i)
    return m.group() if m else ""


def split(text: str) -> list[Sentence]:
    """The sentences of ``text``; raises `Incomplete` when the input must go on.  An
    erroneous sentence ends the list (what follows it is not looked at)."""
    blanked, open_comment = blank(text)
    out: list[Sentence] = []
    i = 0
    while True:
        i = _SPACE.match(blanked, i).end()
        if i >= len(text):
            if open_comment:
                raise Incomplete()
            return out
        s = _sentence(text, blanked, i)
        s.pos = Pos(*line_col(text, i))
        out.append(s)
        if s.kind == "error":
            return out
        i = s.end


def is_complete(text: str) -> bool:
    try:
        split(text)
    except Incomplete:
        return False
    return True


def _error(text, start, end, e: PVSyntaxError, word="") -> Sentence:
    return Sentence("error", start, end, text[start:end], error=(e.message, e.line, e.col),
                    word=word)


def _sentence(text: str, blanked: str, i: int) -> Sentence:
    m = _BULLET.match(blanked, i)
    if m:
        line, col = line_col(text, i)
        return Sentence("bullet", i, m.end(), m.group(),
                        payload=(Bullet(m.group(), Pos(line, col)),))
    word = first_word(blanked, i)
    if word in REPL_WORDS:
        return _repl_sentence(text, blanked, i, word)
    if word in FILE_WORDS:
        return _parsed_sentence(text, blanked, i, word, "file")
    return _parsed_sentence(text, blanked, i, word, "tactic")


def _parsed_sentence(text, blanked, i, word, kind) -> Sentence:
    for j in _dots(blanked, i):
        user = _pad(text, i) + text[i:j + 1]
        if kind == "file":
            parsed, user_end = user, len(user)
        else:
            parsed = _WRAP_HEAD + user + _WRAP_TAIL
            user_end = len(_WRAP_HEAD) + len(user)
        try:
            doc = parse_file(parsed, "<input>")
        except PVSyntaxError as e:
            if _eof_like(e, parsed, user_end):
                continue
            if kind == "tactic":
                e = PVSyntaxError(e.message, e.line - 1, e.col)
            return _error(text, i, j + 1, e, word)
        if kind == "file":
            if len(doc.commands) != 1:
                continue
            payload = doc.commands[0]
        else:
            steps = doc.commands[0].proof.steps
            if not steps:
                continue
            payload = shift_positions(steps, -1)
        return Sentence(kind, i, j + 1, text[i:j + 1], payload=payload, word=word)
    raise Incomplete()


def _repl_sentence(text, blanked, i, word) -> Sentence:
    arg_start = i + len(word)
    if word == "Print" and first_word(blanked, _SPACE.match(blanked, arg_start).end()) \
            == "Assumptions":
        word = "Print Assumptions"
        arg_start = blanked.index("Assumptions", arg_start) + len("Assumptions")
    for j in _dots(blanked, arg_start):
        arg = text[arg_start:j]
        a0 = arg_start + (len(arg) - len(arg.lstrip()))
        line, col = line_col(text, a0)
        if word == "Check":
            if not arg.strip():
                return Sentence("error", i, j + 1, text[i:j + 1], word=word,
                                error=("Check expects a term or an assertion",) + line_col(text, j))
            try:
                parse_term(arg.strip(), line=line, col=col)
            except PVSyntaxError as e:
                if "end of input" in e.message or "is not closed" in e.message:
                    continue
        elif j + 1 < len(text) and not text[j + 1].isspace():
            continue   # `Search a.b.`: a dot inside the argument
        return Sentence("repl", i, j + 1, text[i:j + 1], word=word,
                        payload=(word, arg.strip(), Pos(line, col)))
    m = BARE_WORDS.match(text, i)
    if m:
        arg = (m.group(2) or "").strip()
        line, col = line_col(text, m.start(2) if m.group(2) else m.end(1))
        return Sentence("repl", i, len(text), text[i:].strip(), word=m.group(1),
                        payload=(m.group(1), arg, Pos(line, col)))
    raise Incomplete()
