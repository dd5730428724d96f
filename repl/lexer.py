"""Pygments lexer for `.pv` files, built from `seplogic/vocabulary.py`.

Registered as the Pygments lexer ``pv`` (setup.cfg entry point), so ``pygmentize -l pv FILE``
and ``pygmentize FILE.pv`` use it; the REPL highlights input with it.

Token types:

==========================  ===============================================================
``Comment.Multiline``       ``(* ... *)`` (comments nest)
``String.Double``           ``"..."`` (``String.Escape`` for ``\\n``, ``\\u{3b3}``, ...)
``Number.Integer``          ``42``
``Keyword.Declaration``     commands: ``Theorem``, ``Proof``, ``Qed``, ...
``Keyword``                 keywords of terms, assertions and programs (``let``, ``emp``,
                            ``exists``, ...) and the kind of a big ∗ (``[∗ set]``)
``Keyword.Type``            sorts (``u64``, ``iProp``, ...)
``Name.Builtin``            atoms before ``(``/``[`` (``tok(γ)``, ``master[n]``), ``⤇ Done``
``Name.Builtin.Pseudo``     built-in functions and primitives before ``(`` (``ref(0)``)
``Operator``                notations and operators, both spellings (``∗``, ``**``, ...)
``Name.Variable``           the ``x`` of a logical value ``#x`` in a program
``Name.Function``           a tactic at the start of a proof sentence
``Keyword.Reserved``        tacticals ``try``, ``repeat``, ``first``
``Keyword.Pseudo``          ``with``, ``as``, ``in`` among tactic arguments
``Name``, ``Punctuation``   other identifiers, brackets, ``.``, bullets
==========================  ===============================================================

Proofs are lexed in their own states, which mirror the grammar's ``proof`` rule: ``proof``
expects sentences (bullets, braces, tacticals, a tactic name), ``tactic`` reads a tactic's
arguments up to the ``.`` or ``;`` that ends it, and ``formula`` a parenthesised argument.
"""
from pygments.lexer import RegexLexer, bygroups, include
from pygments.token import (Comment, Keyword, Name, Number, Operator, Punctuation, String,
                            Whitespace)

from seplogic import vocabulary as V

__all__ = ["PvLexer"]

_IDENT = V.IDENT
_COMMANDS = V.word_regex(V.COMMANDS)
_ENDS = V.word_regex(set(V.COMMANDS) - {V.PROOF_START})  # end (or abandon) a proof


class PvLexer(RegexLexer):
    """Lexer for pv proof scripts (definitions, specifications and tactic proofs)."""

    name = "pv"
    aliases = ["pv"]
    filenames = ["*.pv"]
    mimetypes = ["text/x-pv"]

    tokens = {
        "root": [
            include("space"),
            (V.word_regex([V.PROOF_START]), Keyword.Declaration, "proof"),
            (_COMMANDS, Keyword.Declaration),
            include("term"),
        ],
        "space": [
            (r"\s+", Whitespace),
            (r"\(\*", Comment.Multiline, "comment"),
        ],
        "comment": [
            (r"[^(*]+", Comment.Multiline),
            (r"\(\*", Comment.Multiline, "#push"),
            (r"\*\)", Comment.Multiline, "#pop"),
            (r"[(*]", Comment.Multiline),
        ],
        "string": [
            (r'"', String.Double, "string-body"),
        ],
        "string-body": [
            (r'[^"\\\n]+', String.Double),
            (r'\\(?:[\\"ntr]|u\{[0-9a-fA-F]{1,6}\})', String.Escape),
            (r"\\.", String.Double),  # unknown escape: the parser reports it
            (r'"', String.Double, "#pop"),
        ],
        # terms, assertions, programs, sorts
        "term": [
            include("string"),
            # `[∗ set]`, `[** map]`: the kind word is a keyword here
            (r"(" + V.regex_alternation(["[∗", "[**"]) + r")(\s*)("
             + V.word_regex(V.BIGSEP_KINDS) + ")", bygroups(Operator, Whitespace, Keyword)),
            # the mask `@ ⊤∖{N}` / `@ T\{N}`
            (r"(@)(\s*)(" + V.regex_escape(V.MASK_TOP_ASCII) + r")(?![\w'])",
             bygroups(Operator, Whitespace, Operator)),
            (r"(#)(" + _IDENT + r")", bygroups(Operator, Name.Variable)),
            (V.regex_alternation(V.symbols()), Operator),
            (r"[0-9]+", Number.Integer),
            (V.word_regex(V.KEYWORDS), Keyword),
            (V.word_regex(V.SORTS), Keyword.Type),
            (V.word_regex(V.ATOMS) + r"(?=\s*[(\[])", Name.Builtin),
            (V.word_regex(V.SPEC_STATES), Name.Builtin),
            (V.word_regex(V.BUILTINS) + r"(?=\s*\()", Name.Builtin.Pseudo),
            (_IDENT, Name),
            (r"[()\[\]{},.:;|]", Punctuation),
        ],
        # between `Proof` and `Qed`: the start of a sentence
        "proof": [
            include("space"),
            (_ENDS, Keyword.Declaration, "#pop"),
            (V.word_regex(V.TACTICALS), Keyword.Reserved),
            (r"-+|\++|\*+", Punctuation),  # bullets
            (r"[{}\[\]|;().]", Punctuation),
            (V.word_regex(V.TACTICS), Name.Function, "tactic"),
            (_IDENT, Name, "tactic"),  # an unknown tactic: the checker reports it
        ],
        # the arguments of a tactic
        "tactic": [
            include("space"),
            (_ENDS, Keyword.Declaration, "#pop:2"),  # a missing `.`
            (r"[.;|\])]", Punctuation, "#pop"),  # the end of the sentence or of a group
            (V.word_regex(V.TACTIC_KEYWORDS), Keyword.Pseudo),
            (r"\(", Punctuation, "formula"),
            include("string"),
            (r"[0-9]+", Number.Integer),
            (_IDENT, Name),
        ],
        # a parenthesised tactic argument: a term or an assertion
        "formula": [
            include("space"),
            (r"\(", Punctuation, "#push"),
            (r"\)", Punctuation, "#pop"),
            include("term"),
        ],
    }
