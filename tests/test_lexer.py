"""The Pygments lexer of `.pv` (repl/lexer.py): lossless, no Error token on the example proofs,
tactic names exactly where the parser finds tactics, and the expected token types."""
import glob
import importlib.metadata
import os
import subprocess
import sys

import pytest
from pygments.token import (Comment, Error, Keyword, Name, Number, Operator, Punctuation,
                            String)

from repl.lexer import PvLexer
from seplogic import document as D
from seplogic.parser import PVSyntaxError, parse_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PV_FILES = sorted(glob.glob(os.path.join(ROOT, "proofs", "**", "*.pv"), recursive=True))


def lex(text):
    return list(PvLexer().get_tokens_unprocessed(text))


def test_there_are_example_files():
    assert len(PV_FILES) >= 3


@pytest.mark.parametrize("path", PV_FILES, ids=lambda p: os.path.relpath(p, ROOT))
def test_example_files_lex_without_errors(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    toks = lex(text)
    assert "".join(v for _, _, v in toks) == text
    bad = [(text.count("\n", 0, i) + 1, v) for i, t, v in toks if t in Error]
    assert not bad, f"Error tokens (line, text): {bad}"


def _tactics(steps):
    """The Tactic nodes of a proof script, at any depth of ; try repeat first."""
    for s in steps:
        if isinstance(s, D.Tactic):
            yield s
        elif isinstance(s, D.TacThen):
            yield from _tactics([s.first, s.then])
        elif isinstance(s, (D.TacTry, D.TacRepeat)):
            yield from _tactics([s.body])
        elif isinstance(s, D.TacFirst):
            yield from _tactics(s.alternatives)


@pytest.mark.parametrize("path", PV_FILES, ids=lambda p: os.path.relpath(p, ROOT))
def test_tactics_are_where_the_parser_finds_them(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        doc = parse_file(text, path)
    except PVSyntaxError as e:  # the parser's tests report it
        pytest.skip(f"does not parse: {e}")
    expected = set()
    for c in doc.commands:
        proof = getattr(c, "proof", None)
        if proof is not None:
            expected |= {(t.pos.line, t.pos.col, t.name) for t in _tactics(proof.steps)}
    found = set()
    for i, t, v in lex(text):
        if t is Name.Function:
            line = text.count("\n", 0, i) + 1
            found.add((line, i - text.rfind("\n", 0, i), v))
    assert found == expected
    # not vacuous: every file with a proof has tactics (generated models have no proof)
    assert expected or all(getattr(c, "proof", None) is None for c in doc.commands)


SAMPLE = r'''(* outer (* nested *) still comment *)
Require "lib\n.pv".
Definition d (x : u64) (s : set nat) : bool := x +64 1 ∈ s && len([x]) ≥ 0.
Predicate p (l : loc) (γ : gname) := ∃ v. l ↦[n] v ∗ tok(γ) -∗ master[n](d[a], v) ∨ ⌜v = 0⌝.
Predicate q (m : map u64 val) := exists v, [** map] k |-> w in m. [! v != w !] ** #[] emp.
Function f (x) := let y := ref(#x) in fork { y <- !y + 1 };; loop { break(()) }.
Theorem t : WP[n] @ T\{N} f(#(1 + 2)) {r. ⤇ Done ∧ j ~> op}.
Proof.
  intros "H". try (wp_step; wp_pures). first [done | left].
  - wp_apply f_spec with "H1" as "[H2 %H3]". exists (x). unfold p in "H".
  + my_tactic 3. split.left.
Qed.
Print Assumptions t.
'''


def token_of(toks, word, nth=0):
    hits = [t for _, t, v in toks if v == word]
    assert len(hits) > nth, f"{word!r} not found as a token"
    return hits[nth]


@pytest.mark.parametrize("word,nth,ttype", [
    ("(*", 1, Comment.Multiline), (" still comment ", 0, Comment.Multiline),
    ("*)", 1, Comment.Multiline),
    ('"', 0, String.Double), ("\\n", 0, String.Escape), ("1", 0, Number.Integer),
    ("Require", 0, Keyword.Declaration), ("Definition", 0, Keyword.Declaration),
    ("Proof", 0, Keyword.Declaration), ("Qed", 0, Keyword.Declaration),
    ("Assumptions", 0, Keyword.Declaration),
    ("u64", 0, Keyword.Type), ("set", 0, Keyword.Type), ("map", 0, Keyword.Type),
    ("map", 1, Keyword), ("in", 0, Keyword), ("let", 0, Keyword), ("fork", 0, Keyword),
    ("loop", 0, Keyword), ("emp", 0, Keyword), ("WP", 0, Keyword), ("exists", 0, Keyword),
    ("tok", 0, Name.Builtin), ("master", 0, Name.Builtin), ("Done", 0, Name.Builtin),
    ("len", 0, Name.Builtin.Pseudo), ("ref", 0, Name.Builtin.Pseudo),
    ("break", 0, Name.Builtin.Pseudo),
    ("+64", 0, Operator), ("∈", 0, Operator), ("&&", 0, Operator), ("≥", 0, Operator),
    ("∃", 0, Operator), ("↦", 0, Operator), ("∗", 0, Operator), ("-∗", 0, Operator),
    ("∨", 0, Operator), ("⌜", 0, Operator), ("⌝", 0, Operator), ("[**", 0, Operator),
    ("|->", 0, Operator), ("[!", 0, Operator), ("!=", 0, Operator), ("!]", 0, Operator),
    ("**", 0, Operator), ("#[]", 0, Operator), ("<-", 0, Operator), ("!", 0, Operator),
    ("@", 0, Operator), ("T", 0, Operator), ("\\", 0, Operator), ("⤇", 0, Operator),
    ("~>", 0, Operator), (";;", 0, Operator), (":=", 0, Operator),
    ("x", 2, Name), ("x", 4, Name.Variable), ("#", 0, Operator),
    ("intros", 0, Name.Function), ("wp_step", 0, Name.Function),
    ("done", 0, Name.Function), ("left", 0, Name.Function), ("exists", 1, Name.Function),
    ("split", 0, Name.Function), ("left", 1, Name.Function),
    ("unfold", 0, Name.Function), ("wp_apply", 0, Name.Function),
    ("try", 0, Keyword.Reserved), ("first", 0, Keyword.Reserved),
    ("with", 0, Keyword.Pseudo), ("as", 0, Keyword.Pseudo), ("in", 2, Keyword.Pseudo),
    ("f_spec", 0, Name), ("p", 1, Name), ("my_tactic", 0, Name), ("3", 0, Number.Integer),
    ("-", 0, Punctuation), ("+", 2, Punctuation),
])
def test_token_types(word, nth, ttype):
    toks = lex(SAMPLE)
    assert not [v for _, t, v in toks if t in Error]
    assert token_of(toks, word, nth) is ttype


def test_word_boundaries():
    toks = lex("Definition intersect (intx : int) : int := intx.\n")
    assert token_of(toks, "intersect") is Name and token_of(toks, "intx") is Name
    assert token_of(toks, "int") is Keyword.Type


def _installed():
    try:
        dist = importlib.metadata.distribution("pv")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("pv is not installed (pip install -e .)")
    return dist


def test_registered_with_pygments():
    dist = _installed()
    eps = [e for e in dist.entry_points if e.group == "pygments.lexers"]
    assert [(e.name, e.value) for e in eps] == [("pv", "repl.lexer:PvLexer")], \
        "reinstall: pip install -e ."
    from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
    assert type(get_lexer_by_name("pv")).__name__ == "PvLexer"
    assert type(get_lexer_for_filename("x.pv")).__name__ == "PvLexer"


def test_pygmentize_command(tmp_path):
    _installed()
    src = os.path.join(ROOT, "proofs", "heap", "swap.pv")
    for args in (["-l", "pv", src], [src]):
        out = subprocess.run([sys.executable, "-m", "pygments", "-f", "raw", *args],
                             capture_output=True, text=True, cwd=tmp_path, check=True).stdout
        assert "Token.Name.Function\t'wp_pures'" in out
        assert "Token.Error" not in out
