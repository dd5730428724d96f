"""The parser runtime (seplogic/lalr.py, `parse_file_recovering`) gives exactly the results of
the plain reference implementation in tests/parser_reference.py: the same Documents and the
same syntax errors (message, line, column) -- on every .pv file and pv block of the docs in the
repository, on damaged copies of them (tokens deleted, duplicated, swapped; random characters
and bytes inserted), and on phrases cut from them parsed as terms, assertions, programs and
sorts.  The parser decides what a theorem's statement means, so a faster runtime must not
change a single result."""
from __future__ import annotations

import glob
import os
import random
import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from seplogic import elab as E, lalr as L
from seplogic.elab import PVSyntaxError, _Elab, _Err
from seplogic.parser import parse_file_recovering
from tests import parser_reference as R, parser_reference_callbacks as RC

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _sources() -> list:
    """(name, text) of every .pv file in the repository and every ```pv block of the docs."""
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, "**", "*.pv"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            out.append((os.path.relpath(path, ROOT), f.read()))
    docs = ["README.md"] + sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))
    for doc in docs:
        with open(os.path.join(ROOT, doc), encoding="utf-8") as f:
            text = f.read()
        for k, m in enumerate(re.finditer(r"^```pv[^\n]*\n(.*?)^```", text, re.M | re.S)):
            out.append((f"{os.path.relpath(doc, ROOT)}#{k}", m.group(1)))
    return out


SOURCES = _sources()
TEXTS = [t for _, t in SOURCES]
STARTS = ("file", "formula_phrase", "expr_phrase", "sort_phrase")
# characters worth inserting: the first characters of terminals, white space, odd code points
ODD = list("()[]{}⌜⌝∗↦⤇∀∃□∧∨→≠≤≥∈⊆⊇∪∩∖∅⊤⇒.,;:=<>!#%@|~+-*/\\\"' "
           "\t\n\r\x0b\x0c\u00a0\u2028\u3000\ufeffaZ_09é∗λ")
ODD += ["(*", "*)", ":=", ";;", "|->[", "~>[", "[∗ set]", "{[", "\ud800", "\x00", "\x1c"]


def _outcome(fn, *args):
    try:
        return ("ok", fn(*args))
    except PVSyntaxError as e:
        return ("error", e.message, e.line, e.col, e.path)


def _recovering(text):
    doc, errors = parse_file_recovering(text, "x.pv")
    return doc, [(e.message, e.line, e.col, e.path) for e in errors]


def _ref_recovering(text):
    doc, errors = R.parse_file_recovering(text, "x.pv")
    return doc, [(e.message, e.line, e.col, e.path) for e in errors]


def _elaborated(value):
    """A phrase's value made comparable: a formula as its term and its assertion (or the
    error each gives), programs and sorts as they are."""
    if type(value).__name__ != "_N":
        return value
    out = []
    for elab in (lambda n: _Elab.term(n),
                 lambda n: _Elab.assertion(n, frozenset({"R", "P"}), frozenset())):
        try:
            out.append(("ok", elab(value)))
        except _Err as e:
            out.append(("error", e.message, e.line, e.col))
        except RecursionError:
            out.append("deep")
    return repr(value), out


def _same(text, starts=STARTS):
    """Assert the runtime and the reference agree on ``text`` from every start symbol."""
    assert _recovering(text) == _ref_recovering(text)
    for start in starts:
        new = _outcome(L._run, text, start, 3, 5, "p.pv")
        ref = _outcome(R.run, text, start, 3, 5, "p.pv")
        if new[0] == "ok" and ref[0] == "ok":
            new, ref = _elaborated(new[1]), _elaborated(ref[1])
        assert new == ref, (start, text)


@pytest.mark.parametrize("name,text", SOURCES, ids=[n for n, _ in SOURCES])
def test_every_source_parses_as_the_reference_does(name, text):
    _same(text, starts=("file",))


def test_there_are_sources_and_they_mostly_parse():
    assert len(SOURCES) > 20
    ok = sum(not _recovering(t)[1] for t in TEXTS)
    assert ok > len(TEXTS) // 2


_PIECE = re.compile(r"\w+|\s+|\(\*|\*\)|.", re.S)


def _damage(rng: random.Random, text: str) -> str:
    """``text`` with a few tokens deleted, duplicated or swapped, or odd characters inserted."""
    toks = _PIECE.findall(text)
    for _ in range(rng.randint(1, 3)):
        if not toks:
            break
        i = rng.randrange(len(toks))
        op = rng.randrange(5)
        if op == 0:
            del toks[i]
        elif op == 1:
            toks.insert(i, toks[i])
        elif op == 2:
            j = rng.randrange(len(toks))
            toks[i], toks[j] = toks[j], toks[i]
        elif op == 3:
            toks.insert(i, rng.choice(ODD))
        else:
            toks.insert(i, bytes(rng.randrange(256) for _ in range(rng.randint(1, 3)))
                        .decode("latin-1"))
    return "".join(toks)


def _phrase(rng: random.Random, text: str) -> str:
    """A slice of ``text`` at token boundaries: often what is between a parenthesis and the
    one that closes it (a term, an assertion, a program or a sort), else any run of tokens."""
    toks = _PIECE.findall(text)
    if rng.random() < 0.7:
        opens, spans = [], []
        for k, tok in enumerate(toks):
            if tok in "([{⌜":
                opens.append(k)
            elif tok in ")]}⌝" and opens:
                spans.append((opens.pop() + 1, k))
        if spans:
            lo, hi = rng.choice(spans)
            return "".join(toks[lo:hi])
    i = rng.randrange(len(toks))
    return "".join(toks[i:i + rng.randint(1, 40)])


def test_damaged_copies_parse_as_the_reference_does():
    rng = random.Random(9)
    errors = 0
    for text in TEXTS:
        for _ in range(6):
            bad = _damage(rng, text)
            _same(bad, starts=("file",))
            errors += bool(_recovering(bad)[1])
    assert errors > len(TEXTS)          # errors were made (and recovered from)


def test_phrases_parse_as_the_reference_does():
    rng = random.Random(13)
    oks = 0
    for text in TEXTS:
        for _ in range(25):
            p = _phrase(rng, text)
            if rng.random() < 0.3:
                p = _damage(rng, p)
            _same(p)
            oks += any(_outcome(L._run, p, s)[0] == "ok" for s in STARTS[1:])
    assert oks > len(TEXTS) * 3          # some phrases were terms, assertions or programs


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TEXTS), st.randoms(use_true_random=False), st.booleans())
def test_hypothesis_mutations_parse_as_the_reference_does(text, rng, phrase):
    t = _phrase(rng, text) if phrase else text
    _same(_damage(rng, t), starts=STARTS if phrase else ("file",))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(ODD + ["let", "in", "if", "then", "Theorem", "Proof.", "Qed.",
                                       "x", "f(", "1", "\"s\"", "λx"]), max_size=30)
       .map("".join))
def test_random_text_parses_as_the_reference_does(text):
    _same(text)


def _blanked(fn, text):
    try:
        return ("ok", fn(text))
    except _Err as e:
        return ("error", e.message, e.line, e.col)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(['"', "(", "*", ")", "(*", "*)", "\\", "\n", "a", " ", "é"]),
                max_size=30).map("".join))
def test_comments_are_blanked_as_the_reference_does(text):
    assert _blanked(L._blank_comments, text) == _blanked(R.blank_comments, text)


def test_comments_of_every_source_are_blanked_as_the_reference_does():
    for text in TEXTS:
        assert _blanked(L._blank_comments, text) == _blanked(R.blank_comments, text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "é", "\\", "n", "u{41}", "u{d800}", "\ud800", "\udfff",
                                 "\ud7ff", "\ue000", "x"]), max_size=12).map("".join)
       .filter(lambda b: re.fullmatch(r'(?:[^"\\\n]|\\.)*', b) is not None))   # a STRING's body
def test_strings_are_decoded_as_the_reference_does(body):
    tok = ("STRING", f'"{body}"', 3, 7, 0, len(body) + 2)
    assert _blanked(E._decode_string, tok) == _blanked(RC._decode_string, R.Tok(*tok))


_PATTERNS = [r"(?!\d)\w[\w']*(?:\.(?!\d)\w[\w']*)*", r"[0-9]+", r'"(?:[^"\\\n]|\\.)*"',
             r'[^()"\s]+', r"-+|\++|\*+", r"\{\[(?!∗|\*\*|!)", r"a?b", r"(?:x|)y", r"\d*\.",
             r"[^a-c]+", r"(?=q)\w", r"(?i:a)b", r"(?i)ab", r"(a)\1", r"x*?y", r"(?>a|b)c",
             r"\bz", r"^w", r"[\W\D]", r"[\S]x", r"a++b", r"(?:ab)*c", r"(?:a*)*d", r".e",
             r"\s*f", r"(?a:\w)", r"é|ß"]
_CHARS = "abcdefqwxyzABT019 _'.\"\\()[]{}-+*!∗⌜é\u00a0\u0661ßẞ\n\t"


@pytest.mark.parametrize("pattern", _PATTERNS)
def test_a_regex_is_left_out_only_where_it_cannot_match(pattern):
    """`_first_char` may answer "may start" too often, never too rarely: wherever the regex
    matches a non-empty text starting with the character, it says so.  (The lexer leaves a
    regex out of a character's plan on its "no".)"""
    for flags in (0, re.ASCII):
        try:
            rx = re.compile(pattern, flags)
        except (re.error, ValueError):
            continue
        can = L._first_char(rx)
        for c in _CHARS:
            for rest in ("", "a", "b", "y", "1", "x1", "ab", ".x", "c", "d", "e", "f", "\\1",
                         "]", '"', "a'b"):
                m = rx.match(c + rest)
                if m is not None and m.end() > 0:
                    assert can(c), (pattern, flags, c, rest)


def test_the_lexer_leaves_regexes_out():
    """The analysis is not vacuous on the grammar's own regexes: a parenthesis is no IDENT's
    start (a digit is taken to be one: the analysis passes over IDENT's `(?!\\d)`), a letter
    no INT's, a parenthesis or a space no SOUP's."""
    T = L._tables()
    can = dict(zip([name for name, _ in T.regexes], T.starts_with))
    assert not can["IDENT"]("(") and can["IDENT"]("x") and can["IDENT"]("é")
    assert not can["INT"]("x") and can["INT"]("7")
    assert not can["SOUP"]("(") and not can["SOUP"](" ") and can["SOUP"]("x")
