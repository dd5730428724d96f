#!/usr/bin/env python3
"""Print, as JSON, the scope every token of every proofs/**/*.pv file should get from the
TextMate grammar, according to the Pygments lexer (repl/lexer.py).  grammar.test.js compares
them with what VS Code's TextMate engine produces, so the two highlighters cannot drift apart.

Output: {"files": {"proofs/heap/swap.pv": [[line, col, length, expected], ...], ...}} with
1-based lines, 0-based columns and lengths in UTF-16 code units (JavaScript string indices),
one entry per line piece of a token (white space left out).  ``expected`` is a scope name
(the token must carry it), "punctuation" (some punctuation.* scope) or null for a plain name
(no highlighting scope at all).
"""
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(HERE))

from pygments.token import (Comment, Keyword, Name, Number, Operator, Punctuation,  # noqa: E402
                            String, Whitespace)

from gen_grammar import SCOPES  # noqa: E402
from repl.lexer import PvLexer  # noqa: E402

# Pygments token type -> category of gen_grammar.SCOPES (most specific types first)
CATEGORY = [
    (Comment.Multiline, "comment"),
    (String.Escape, "escape"),
    (String.Double, "string"),
    (Number.Integer, "number"),
    (Keyword.Declaration, "command"),
    (Keyword.Reserved, "tactical"),
    (Keyword.Pseudo, "tactic_keyword"),
    (Keyword.Type, "sort"),
    (Keyword, "keyword"),
    (Name.Builtin.Pseudo, "builtin"),
    (Name.Builtin, "atom"),
    (Name.Variable, "logical"),
    (Name.Function, "tactic"),
    (Operator, "operator"),
]


def expected(ttype):
    for t, cat in CATEGORY:
        if ttype is t:
            return SCOPES[cat]
    if ttype is Punctuation:
        return "punctuation"
    if ttype is Name:
        return None
    raise ValueError(f"no TextMate counterpart for {ttype}")


def utf16(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def file_expectations(text: str) -> list:
    out = []
    for index, ttype, value in PvLexer().get_tokens_unprocessed(text):
        if ttype in Whitespace:
            continue
        exp = expected(ttype)
        line = text.count("\n", 0, index) + 1
        start = index - (text.rfind("\n", 0, index) + 1)
        col = utf16(text[index - start:index])
        for k, piece in enumerate(value.split("\n")):
            if piece.strip():
                out.append([line + k, col if k == 0 else 0, utf16(piece), exp])
    return out


def main():
    files = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "proofs", "**", "*.pv"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            files[os.path.relpath(path, ROOT).replace(os.sep, "/")] = file_expectations(f.read())
    json.dump({"files": files}, sys.stdout)


if __name__ == "__main__":
    main()
