"""Intro patterns in the style of Iris Proof Mode.

``H`` names a hypothesis, ``_`` drops it, ``?`` gives it a fresh name, ``**`` takes it apart
completely (every ∗ and ∃, predicates unfolded, pure facts to the pure context, a goal per
disjunct, fresh names), ``%H`` moves a pure fact to the pure context, ``#H`` moves a persistent one to the persistent context, ``[p1 p2 ...]``
destructs ∗ (and ∧, and ∃ when the hypothesis is existential: the first pattern names the
witness), ``[p1 | p2]`` destructs ∨.  Example: ``"[%v [Hl %Hv]]"``.
"""
from __future__ import annotations

from seplogic.record import record

from .state import TacticError


@record
class PName:
    name: str          # "" for "?"


@record
class PDrop:
    pass


@record
class PAll:
    pass


@record
class PPure:
    name: str


@record
class PPers:
    name: str


@record
class PList:
    items: tuple


@record
class POr:
    alts: tuple        # tuple of PList


def parse_patterns(text: str) -> list:
    toks = _tokens(text)
    pats, i = _seq(toks, 0, text)
    if i != len(toks):
        raise TacticError(f"unexpected '{toks[i]}' in pattern {text!r}")
    return pats


def _tokens(text: str) -> list:
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "[]|":
            out.append(c)
            i += 1
        else:
            j = i
            while j < len(text) and not text[j].isspace() and text[j] not in "[]|":
                j += 1
            out.append(text[i:j])
            i = j
    return out


def _seq(toks, i, text):
    items = []
    while i < len(toks) and toks[i] not in "]|":
        if toks[i] == "[":
            alts, cur = [], []
            i += 1
            while True:
                sub, i = _seq(toks, i, text)
                cur = sub
                if i >= len(toks):
                    raise TacticError(f"unclosed '[' in pattern {text!r}")
                alts.append(PList(tuple(cur)))
                if toks[i] == "]":
                    i += 1
                    break
                i += 1  # '|'
            items.append(alts[0] if len(alts) == 1 else POr(tuple(alts)))
        else:
            items.append(_leaf(toks[i], text))
            i += 1
    return items, i


def _leaf(tok: str, text: str):
    if tok == "_":
        return PDrop()
    if tok == "?":
        return PName("")
    if tok == "**":
        return PAll()
    if tok.startswith("%"):
        return PPure(tok[1:])
    if tok.startswith("#"):
        return PPers(tok[1:])
    if not (tok[0].isalpha() or tok[0] == "_") or not all(c.isalnum() or c in "_'" for c in tok):
        raise TacticError(f"bad name {tok!r} in pattern {text!r}")
    return PName(tok)
