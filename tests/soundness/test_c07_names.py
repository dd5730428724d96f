"""Class 7 of issue 9, names: a certificate could prove False with no admit and no axiom,
because names read from it were any non-empty strings and alpha-equivalence keyed bound
variables by strings (``"\\0" + depth``) that a free variable's name could equal.  Now every
name the kernel accepts, from any source, is an identifier of the parser's grammar
(`seplogic.syntax.is_ident`, checked in kernel/wf.py), and alpha-equivalence keys bound
variables by objects no name can equal (test_c07_alpha_keys.py)."""
import json
import os
import re

import pytest
from hypothesis import given, settings, strategies as st

from driver.certificate import flatten
from driver.cli import main
from driver.load import make_kernel
from kernel.wf import KernelError, assertion_ok, expr_ok, need_name, sort_ok, term_ok
from seplogic import parser as P
from seplogic.serial import encode
from seplogic.syntax import (
    IDENT_PATTERN, RESERVED, App, AVar, BigSep, Call, Emp, EVar, Exists, Forall, Inv, Let, Lit,
    PredApp, Pure, Sort, Val, Var, Wand, WP, is_ident,
)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BOOL = Sort("bool")
KEY = "\0" + "0"      # the string the old alpha-equivalence keyed the outermost binder by
# (a qualified name like x.y is one: modules, docs/syntax.md)
BAD = [KEY, "\0", "", "a b", " a", "a\n", "a\tb", "x\x1b", "a+b", "f(x)", "x.", ".y", "x..y",
       "x.1", "∗", "1x",
       "'x", "in", "True", "let", "exists", "map_empty", "continue", 5, None, ("x",)]


# ---- the exploit --------------------------------------------------------------------------

def _exploit():
    """t1: ∀z. (∀x. ⌜x = x⌝) -∗ (∀y. ⌜y = z⌝) with z named like the old key, closed by
    `assumption` (the old alpha_eq took z for the bound y); then False from t1."""
    t1 = Forall(KEY, BOOL, Wand(Forall("x", BOOL, Pure(App("eq", (Var("x"), Var("x"))))),
                                Forall("y", BOOL, Pure(App("eq", (Var("y"), Var(KEY)))))))
    d1 = ("forall_intro", (KEY,), (("wand_intro", (), (("assumption", (("s", 0),), ()),)),))
    d2 = ("use_theorem", ("t1", ()), (
        ("forall_elim", (("p", 0), Lit("bool", True)), (
            ("wand_elim", (("p", 0), ()), (
                ("forall_intro", ("x",), (("pure_intro", (), ()),)),
                ("forall_elim", (("s", 0), Lit("bool", False)), (
                    ("hyp_pure", (("s", 0),), (("pure_contra", (), ()),)),)),)),)),))
    return [("t1", t1, d1), ("ff", Pure(Lit("bool", False)), d2)]


def test_the_kernel_refuses_the_exploit():
    k = make_kernel()
    (n1, s1, d1), (n2, s2, d2) = _exploit()
    with pytest.raises(KernelError):
        k.prove(n1, s1, d1)
    with pytest.raises(KernelError):
        k.prove(n2, s2, d2)
    assert "ff" not in k.theorems


def test_recheck_refuses_the_exploit_certificate(tmp_path, capsys):
    entries = [{"call": "prove", "args": [name, encode(stmt)], "derivation": flatten(d)}
               for name, stmt, d in _exploit()]
    cert = tmp_path / "ff.json"
    cert.write_text(json.dumps({"format": "pv-certificate/2", "source": "-",
                                "entries": entries}), encoding="utf-8")
    code = main(["recheck", str(cert)])
    out = capsys.readouterr()
    assert code == 1, out.out
    assert "t1: FAILED" in out.out and "ff: FAILED" in out.out and f"{cert}:1:" in out.err


# ---- one identifier grammar ---------------------------------------------------------------

def test_ident_is_the_grammar_terminal():
    """The kernel's identifier pattern is grammar.lark's IDENT (and the shipped tables')."""
    grammar = open(os.path.join(ROOT, "seplogic", "grammar.lark"), encoding="utf-8").read()
    (pattern,) = re.findall(r"^IDENT:\s*/(.*)/\s*$", grammar, re.M)
    assert pattern == IDENT_PATTERN
    tables = json.load(open(P.TABLES_PATH, encoding="utf-8"))
    assert [t[2] for t in tables["terminals"] if t[0] == "IDENT"] == [IDENT_PATTERN]


def _keywords():
    grammar = open(os.path.join(ROOT, "seplogic", "grammar.lark"), encoding="utf-8").read()
    return sorted(set(re.findall(r'^[A-Z_0-9]+:\s*"(\w+)"\s*$', grammar, re.M)))


def _reads_as_name(s: str) -> bool:
    try:
        return P.parse_term(s) == Var(s) and P.parse_assertion(
            f"∀ {s}. ⌜{s} = {s}⌝") == Forall(s, Sort("val"), Pure(App("eq", (Var(s), Var(s)))))
    except P.PVSyntaxError:
        return False


@pytest.mark.parametrize("word", _keywords() + sorted(RESERVED))
def test_keywords_are_reserved_unless_the_parser_reads_them_as_names(word):
    """A word of the grammar is either reserved or only a keyword where no name can stand
    (commands, tactics, `[∗ set]`, `⊤`'s ASCII `T`): then the parser reads it as a name."""
    assert is_ident(word) == _reads_as_name(word) == (word not in RESERVED)


NAMEISH = st.lists(st.sampled_from(list("ab_'0\0 \t\n+(.∗σ\u200bé٣") + sorted(RESERVED)),
                   max_size=5).map("".join)


@settings(max_examples=300, deadline=None)
@given(NAMEISH)
def test_is_ident_is_what_the_parser_reads_as_a_name(s):
    assert is_ident(s) == _reads_as_name(s), repr(s)


# ---- every name position of the kernel's syntax -------------------------------------------

def _positions(n):
    """Syntax with the name ``n`` in each of its name positions."""
    x, p = Var("x"), Pure(Lit("bool", True))
    return [
        ("term", Var(n)), ("term", App(n, (x,))),
        ("expr", EVar(n)), ("expr", Let(n, Val(x), Val(x))), ("expr", Call(n, ())),
        ("assertion", Exists(n, BOOL, p)), ("assertion", Forall(n, BOOL, p)),
        ("assertion", BigSep("set", (n,), x, p)), ("assertion", BigSep("map", ("k", n), x, p)),
        ("assertion", WP(x, (), Val(x), n, p)), ("assertion", WP(x, (n,), Val(x), "v", p)),
        ("assertion", Inv(n, p)), ("assertion", PredApp(n, ())), ("assertion", AVar(n)),
    ]


_OK = {"term": term_ok, "expr": expr_ok, "assertion": assertion_ok, "sort": sort_ok}


@pytest.mark.parametrize("name", BAD, ids=repr)
def test_no_name_position_accepts_a_non_identifier(name):
    for kind, node in _positions(name):
        assert not _OK[kind](node), (kind, node)
    with pytest.raises(KernelError):
        need_name(name)


def test_identifiers_are_accepted_in_every_name_position():
    for name in ("x", "x'", "σ1", "_", "set", "T", "Require"):
        for kind, node in _positions(name):
            assert _OK[kind](node), (kind, node)


SORTISH = st.lists(st.sampled_from(["a", "S", "_", "'", "1", " ", "\0", "σ", "Σ", "x"]
                                   + list(RESERVED) + ["val", "list", "set", "True"]),
                   max_size=3).map("".join)


@settings(max_examples=200, deadline=None)
@given(SORTISH)
def test_sort_names_are_what_the_parser_reads(name):
    """A sort is a built-in one or a capitalised identifier (a user type), for the parser and
    the kernel alike: a certificate's `∀ (a : j)` over an unknown sort `j` is refused (found
    by test_c07_certificate_fuzz: the statement changed and still replayed)."""
    try:
        parsed = P.parse_sort(name) == Sort(name)
    except P.PVSyntaxError:
        parsed = False
    assert sort_ok(Sort(name)) == parsed, repr(name)


@pytest.mark.parametrize("sort", [Sort("j"), Sort("_"), Sort("State", (Sort("u64"),)),
                                  Sort("list"), Sort("map", (Sort("u64"),)), Sort(KEY)],
                         ids=repr)
def test_unknown_sorts_and_arities_are_refused(sort):
    assert not sort_ok(sort)
    with pytest.raises(KernelError):
        make_kernel().admit("t", Forall("a", sort, Emp()))


def test_built_in_operators_keep_their_names():
    """`map_empty` and `continue` are reserved as names but are built-in term operators."""
    assert term_ok(App("map_empty", ())) and term_ok(App("continue", ()))
    assert not term_ok(App("True", ()))


def test_predicates_cannot_be_named_like_primitive_assertions():
    """`tok(γ)` is the ghost token: a predicate `tok` would print as it."""
    assert not assertion_ok(PredApp("tok", (Var("g"),)))
    assert not assertion_ok(PredApp("inv", (Var("a"), Var("b"))))
    with pytest.raises(KernelError):
        make_kernel().define_predicate("tok", (("g", Sort("gname")),), Emp())


@pytest.mark.parametrize("params", [("a b",), (KEY,), ("in",), ("x", "x"), (3,)], ids=repr)
def test_function_parameters_are_distinct_identifiers(params):
    with pytest.raises(KernelError):
        make_kernel().define_function("f", params, Val(Lit("int", 0)))


def test_admitted_crash_statements_are_checked():
    """An admitted crash theorem's statement is shape- and sort-checked like a proven one."""
    from kernel.crash import CrashStatement
    k = make_kernel()
    with pytest.raises(KernelError):
        k.admit_crash("c", CrashStatement(((KEY, Sort("nat")),), Var(KEY), Emp(), Emp()))
    with pytest.raises(KernelError):
        k.admit_crash("c", CrashStatement((), Var("n"), Emp(), Emp()))
    with pytest.raises(KernelError):
        k.admit_crash("c", "not a statement")
