"""seplogic/vocabulary.py must follow its authorities: the tactic table, the grammar, the parser's
reserved words and the AST's tables of sorts, operators and atoms."""
import os

import pytest

from seplogic import parser as P
from seplogic import syntax as S
from seplogic import vocabulary as V

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_tactics_match_the_tactic_table():
    from tactics.script import TACTICS, TACTIC_HELP
    assert set(V.TACTICS) == set(TACTICS)
    assert len(V.TACTICS) == len(set(V.TACTICS))
    assert set(TACTIC_HELP) <= set(V.TACTICS)


def test_sorts_builtins_atoms_match_the_ast():
    assert set(V.SORTS) == set(S.BASE_SORTS) | set(S.SORT_CONSTRUCTORS)
    assert set(V.BUILTINS) == set(S.TERM_OPS) | set(S.PRIM_OPS)
    assert set(V.BIGSEP_KINDS) <= set(V.SORTS)
    # calls the parser turns into atoms / special forms
    special = {"inv", "is_lock"}
    assert special <= set(P.ATOM_CALLS) and special <= set(V.KEYWORDS)
    assert set(P.ATOM_CALLS) - special | set(S.FS_CELLS) | {"fd", "master", "lease"} \
        | set(S.VERSIONED_ATOMS) \
        == set(V.ATOMS)
    assert {s.lower() for s in V.SPEC_STATES} <= set(S.ATOM_KINDS)


def test_reserved_words_are_keywords():
    assert set(P.RESERVED) <= set(V.KEYWORDS)


@pytest.fixture(scope="module")
def grammar_literals():
    """The string terminals of grammar.lark (named, like ``LET: "let"``, and anonymous)."""
    lark = pytest.importorskip("lark")
    with open(os.path.join(ROOT, "seplogic", "grammar.lark"), encoding="utf-8") as f:
        text = f.read()
    lk = lark.Lark(text, parser="lalr", lexer="contextual", maybe_placeholders=False,
                   start=["file", "formula_phrase", "expr_phrase", "sort_phrase"])
    return {t.name: t.pattern.value for t in lk.terminals if t.pattern.type == "str"}


def test_every_grammar_literal_is_known(grammar_literals):
    words = set(V.COMMANDS) | set(V.KEYWORDS) | set(V.TACTICALS) | set(V.BIGSEP_KINDS) \
        | {V.MASK_TOP_ASCII}
    symbols = set(V.symbols()) | set(V.PUNCTUATION)
    for name, lit in grammar_literals.items():
        if lit[0].isalpha():
            assert lit in words, f"grammar keyword {name} = {lit!r} is not in vocabulary.py"
        else:  # `↦[` / `|->[` are one terminal, highlighted as `↦` and `[`
            assert lit in symbols or lit.endswith("[") and lit[:-1] in symbols, \
                f"grammar symbol {name} = {lit!r} is not in vocabulary.py"


def test_vocabulary_has_nothing_the_grammar_lacks(grammar_literals):
    lits = set(grammar_literals.values())
    # commands: Abort is the REPL's
    assert set(V.COMMANDS) - {"Abort"} <= lits and "Abort" not in lits
    assert set(V.TACTICALS) <= lits and set(V.BIGSEP_KINDS) <= lits
    for w in V.KEYWORDS:
        assert w in lits or w in P.RESERVED or w in P.ATOM_CALLS, w
    # `{}` is two tokens (`{` `}`); everything else is one terminal
    for s in set(V.symbols()) - {"{}"}:
        assert s in lits, f"{s!r} is not a terminal of the grammar"
    for a, b in V.NOTATIONS:
        assert a in lits or a[0].isalpha(), a
        assert b in lits or b == "{}", b


def test_alphabetic_notations_are_keywords():
    for pair in V.NOTATIONS:
        for s in pair:
            if s[0].isalpha() and s != V.MASK_TOP_ASCII:
                assert s in V.KEYWORDS, s


def test_regex_helpers():
    import re
    rx = re.compile(V.word_regex(["in", "int"]))
    assert [m.group() for m in rx.finditer("in int inter x'in in2 (in)")] == ["in", "int", "in"]
    alt = re.compile(V.regex_alternation(V.symbols()))
    for s in V.symbols():
        assert alt.fullmatch(s), s
    assert alt.match("-∗x").group() == "-∗" and alt.match("|->[").group() == "|->"
