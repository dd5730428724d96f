"""Unit tests of the parser: every notation (Unicode and ASCII), commands and proofs with
positions, located errors, and a mutation fuzz that must only ever raise PVSyntaxError."""
import os
import random
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from seplogic import parser as P
from seplogic import syntax as S
from seplogic.document import (Bullet, Definition, FunctionDef, Pos, PredicateDef,
                               PrintAssumptions, Proof, Require, TacArg, TacFirst, Tactic,
                               TacRepeat, TacThen, TacTry, TheoremDef)
from seplogic.parser import (PVSyntaxError, parse_assertion, parse_expr, parse_file,
                             parse_sort, parse_term)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

v = S.Var
i = S.mk_int


def A(op, *args):
    return S.App(op, args)


def Pr(op, *args):
    return S.Prim(op, args)


a, b, c, x, l, m, k, n = (v(s) for s in "abcxlmkn")

# ---- terms ------------------------------------------------------------------------------------

TERMS = [
    # (Unicode, ASCII or None when identical, AST)
    ("x", None, x),
    ("42", None, i(42)),
    ("-7", None, i(-7)),
    ("-(7)", None, A("neg", i(7))),
    ("true", None, S.TRUE),
    ("false", None, S.FALSE),
    ('"s\\"\\n\\u{3b3}"', None, S.Lit("string", 's"\nγ')),
    ("()", None, S.UNIT_LIT),
    ("a + b", None, A("add", a, b)),
    ("a - b", None, A("sub", a, b)),
    ("a * b", None, A("mul", a, b)),
    ("a / b", None, A("div", a, b)),
    ("a mod b", None, A("mod", a, b)),
    ("-a", None, A("neg", a)),
    ("a +64 b", None, A("add64", a, b)),
    ("a -64 b", None, A("sub64", a, b)),
    ("a *64 b", None, A("mul64", a, b)),
    ("a + 64", None, A("add", a, i(64))),
    ("a = b", None, A("eq", a, b)),
    ("a ≠ b", "a != b", A("ne", a, b)),
    ("a < b", None, A("lt", a, b)),
    ("a ≤ b", "a <= b", A("le", a, b)),
    ("a > b", None, A("lt", b, a)),
    ("a ≥ b", "a >= b", A("le", b, a)),
    ("a && b", None, A("and", a, b)),
    ("a ∧ b", "a /\\ b", A("and", a, b)),
    ("a = b ∨ c < a", "a = b \\/ c < a", A("or", A("eq", a, b), A("lt", c, a))),
    ("a || b", None, A("or", a, b)),
    ("~a", None, A("not", a)),
    ("a → b", "a -> b", A("implies", a, b)),
    ("if c then a else b", None, A("ite", c, a, b)),
    ("(a, b)", None, A("pair", a, b)),
    ("fst(a)", None, A("fst", a)),
    ("snd(a)", None, A("snd", a)),
    ("Some(a)", None, A("some", a)),
    ("None", None, A("none")),
    ("[a, b, c]", None, A("list", a, b, c)),
    ("[]", None, A("list")),
    ("len(l)", None, A("len", l)),
    ("nth(l, a)", None, A("nth", l, a)),
    ("a ++ b", None, A("app", a, b)),
    ("∅", "{}", A("set")),
    ("{[a, b]}", None, A("set", a, b)),
    ("a ∪ b", "a \\cup b", A("union", a, b)),
    ("a ∩ b", "a \\cap b", A("inter", a, b)),
    ("a ∖ b", "a \\ b", A("diff", a, b)),
    ("x ∈ a", "x in a", A("mem", x, a)),
    ("a ⊆ b", "a subseteq b", A("subseteq", a, b)),
    ("a ⊇ b", "a supseteq b", A("subseteq", b, a)),
    ("range(a, b)", None, A("range", a, b)),
    ("map_empty", None, A("map_empty")),
    ("m[k := a]", None, A("insert", m, k, a)),
    ("m[k]", None, A("lookup", m, k)),
    ("delete(m, k)", None, A("delete", m, k)),
    ("dom(m)", None, A("dom", m)),
    ("continue", None, A("continue")),
    ("break(a)", None, A("break", a)),
    ("ret(a)", None, A("ret", a)),
    ("f(a, b)", None, A("f", a, b)),
    ("f()", None, A("f")),
    ("add(a, b)", None, A("add", a, b)),
    # precedence and associativity
    ("a + b * c", None, A("add", a, A("mul", b, c))),
    ("a - b - c", None, A("sub", A("sub", a, b), c)),
    ("a → b → c", "a -> b -> c", A("implies", a, A("implies", b, c))),
    ("a || b && c", None, A("or", a, A("and", b, c))),
    ("~a = b", None, A("not", A("eq", a, b))),
    ("x ∈ a ∪ b ∩ c", "x in a \\cup b \\cap c", A("mem", x, A("union", a, A("inter", b, c)))),
    ("-m[k]", None, A("neg", A("lookup", m, k))),
    ("m[k][a := b]", None, A("insert", A("lookup", m, k), a, b)),
    ("a ++ b = [c]", None, A("eq", A("app", a, b), A("list", c))),
    ("if a then b else c + 1", None, A("ite", a, b, A("add", c, i(1)))),
    ("(a + b) * c", None, A("mul", A("add", a, b), c)),
    ("γ' + σ1", None, A("add", v("γ'"), v("σ1"))),
    ("a (* comment (* nested *) *) + b", None, A("add", a, b)),
]


@pytest.mark.parametrize("uni,asc,ast", TERMS, ids=[t[0] for t in TERMS])
def test_term_notation(uni, asc, ast):
    assert parse_term(uni) == ast
    if asc is not None:
        assert parse_term(asc) == ast


# ---- programs ---------------------------------------------------------------------------------

e1, e2, e3 = S.EVar("e1"), S.EVar("e2"), S.EVar("e3")
PROGRAMS = [
    ("42", S.Val(i(42))),
    ("true", S.Val(S.TRUE)),
    ("()", S.Val(S.UNIT_LIT)),
    ('"s"', S.Val(S.Lit("string", "s"))),
    ("#x", S.Val(x)),
    ("#(x + 1)", S.Val(A("add", x, i(1)))),
    ("#(-1)", S.Val(i(-1))),
    ("e1", e1),
    ("let y := e1 in e2", S.Let("y", e1, e2)),
    ("e1;; e2;; e3", S.Let("_", e1, S.Let("_", e2, e3))),
    ("let y := e1;; e2 in e3", S.Let("y", S.Let("_", e1, e2), e3)),
    ("if e1 then e2 else e3", S.If(e1, e2, e3)),
    ("if e1 then e2 else e3;; e1", S.Let("_", S.If(e1, e2, e3), e1)),
    ("if e1 then e2 else if e3 then e1 else e2", S.If(e1, e2, S.If(e3, e1, e2))),
    ("f(e1, e2)", S.Call("f", (e1, e2))),
    ("e1 + e2 * e3", Pr("add", e1, Pr("mul", e2, e3))),
    ("e1 - e2 / e3 % e1", Pr("sub", e1, Pr("mod", Pr("div", e2, e3), e1))),
    ("e1 == e2", Pr("eq", e1, e2)),
    ("e1 != e2", Pr("ne", e1, e2)),
    ("e1 ≠ e2", Pr("ne", e1, e2)),
    ("e1 < e2", Pr("lt", e1, e2)),
    ("e1 <= e2", Pr("le", e1, e2)),
    ("e1 > e2", Pr("gt", e1, e2)),
    ("e1 >= e2", Pr("ge", e1, e2)),
    ("e1 && e2 || e3", Pr("or", Pr("and", e1, e2), e3)),
    ("not e1 && e2", Pr("and", Pr("not", e1), e2)),
    ("ref(e1)", Pr("ref", e1)),
    ("!e1 + 1", Pr("add", Pr("load", e1), S.Val(i(1)))),
    ("!!e1", Pr("load", Pr("load", e1))),
    ("e1 <- e2 + 1", Pr("store", e1, Pr("add", e2, S.Val(i(1))))),
    ("cas(e1, e2, e3)", Pr("cas", e1, e2, e3)),
    ("(e1, e2)", Pr("pair", e1, e2)),
    ("fst(e1)", Pr("fst", e1)),
    ("Some(e1)", Pr("some", e1)),
    ("break(e1)", Pr("break", e1)),
    ("newlock()", Pr("newlock")),
    ("acquire(e1)", Pr("acquire", e1)),
    ("disk_write(e1, e2, e3)", Pr("disk_write", e1, e2, e3)),
    ("fork { e1;; e2 }", S.Fork(S.Let("_", e1, e2))),
    ("loop { if e1 then continue else break(e2) }",
     S.Loop(S.If(e1, S.Val(A("continue")), Pr("break", e2)))),
    ("None", S.Val(A("none"))),
    ("(e1;; e2)", S.Let("_", e1, e2)),
]


@pytest.mark.parametrize("text,ast", PROGRAMS, ids=[t[0] for t in PROGRAMS])
def test_program_notation(text, ast):
    assert parse_expr(text) == ast


# ---- sorts ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,ast", [
    ("u64", S.U64), ("iProp", S.IPROP), ("list u64", S.Sort("list", (S.U64,))),
    ("map u64 (list val)", S.Sort("map", (S.U64, S.Sort("list", (S.VAL,))))),
    ("u64 * nat * bool", S.Sort("prod", (S.U64, S.Sort("prod", (S.NAT, S.BOOL))))),
    ("(u64 * nat) * bool", S.Sort("prod", (S.Sort("prod", (S.U64, S.NAT)), S.BOOL))),
    ("list (u64 * nat)", S.Sort("list", (S.Sort("prod", (S.U64, S.NAT)),))),
    ("option State", S.Sort("option", (S.Sort("State"),))),
])
def test_sorts(text, ast):
    assert parse_sort(text) == ast


# ---- assertions -------------------------------------------------------------------------------

R, Q = S.AVar("R"), S.PredApp("Q", ())
pt = S.Atom("pointsto", (l, n, a))
ASSERTIONS = [
    ("⌜a = b⌝", "[! a = b !]", S.Pure(A("eq", a, b))),
    ("True", None, S.Pure(S.TRUE)),
    ("False", None, S.Pure(S.FALSE)),
    ("emp", None, S.Emp()),
    ("R ∗ Q", "R ** Q", S.Sep(R, Q)),
    ("R ∗ Q ∗ R", "R ** Q ** R", S.Sep(R, S.Sep(Q, R))),
    ("R -∗ Q -∗ R", "R -* Q -* R", S.Wand(R, S.Wand(Q, R))),
    ("R ∗ Q -∗ R", "R ** Q -* R", S.Wand(S.Sep(R, Q), R)),
    ("R ∧ Q", "R /\\ Q", S.And(R, Q)),
    ("R ∨ Q", "R \\/ Q", S.Or(R, Q)),
    ("R ∨ Q ∧ R ∗ Q", "R \\/ Q /\\ R ** Q", S.Or(R, S.And(Q, S.Sep(R, Q)))),
    ("∃ x. Q", "exists x. Q", S.Exists("x", S.VAL, Q)),
    ("∃ (x : u64) y. Q", "exists (x : u64) y. Q",
     S.Exists("x", S.U64, S.Exists("y", S.VAL, Q))),
    ("∀ (x y : nat). Q", "forall (x y : nat). Q",
     S.Forall("x", S.NAT, S.Forall("y", S.NAT, Q))),
    ("R ∗ ∃ x. Q ∗ R", "R ** exists x. Q ** R", S.Sep(R, S.Exists("x", S.VAL, S.Sep(Q, R)))),
    ("R ∧ ∃ x. Q ∨ R", None, S.And(R, S.Exists("x", S.VAL, S.Or(Q, R)))),
    ("(∃ x. Q) ∗ R", "(exists x. Q) ** R", S.Sep(S.Exists("x", S.VAL, Q), R)),
    ("□ R ∗ Q", "#[] R ** Q", S.Sep(S.Persistently(R), Q)),
    ("□ ∃ x. Q", "#[] exists x. Q", S.Persistently(S.Exists("x", S.VAL, Q))),
    ("[∗ set] x ∈ a. Q", "[** set] x in a. Q", S.BigSep("set", ("x",), a, Q)),
    ("[∗ map] k ↦ x ∈ m. Q", "[** map] k |-> x in m. Q", S.BigSep("map", ("k", "x"), m, Q)),
    ("[∗ set] x ∈ range(0, n). l ↦[n] x", None,
     S.BigSep("set", ("x",), A("range", i(0), n), S.Atom("pointsto", (l, n, x)))),
    ("l ↦[n] a", "l |->[n] a", pt),
    ("l + 1 ↦[n] a + 1", None, S.Atom("pointsto", (A("add", l, i(1)), n, A("add", a, i(1))))),
    ("master[n](m[k], a)", None, S.Atom("master", (m, k, n, a))),
    ("lease[n](m[k], a)", None, S.Atom("lease", (m, k, n, a))),
    ("lease[n](a ⊇ b)", "lease[n](a >= b)", S.Atom("lease_lb", (a, n, b))),
    ("dir(a) ↦[n] b", "dir(a) |->[n] b", S.Atom("fs_dir", (a, n, b))),
    ("link(a, b) ↦[n] c", "link(a, b) |->[n] c", S.Atom("fs_link", (a, b, n, c))),
    ("fd(a) ↦[n] (b, c)", "fd(a) |->[n] (b, c)", S.Atom("fs_fd", (a, n, b, c))),
    ("(fd(a)) ↦[n] (b, c)", None, S.Atom("pointsto", (A("fd", a), n, A("pair", b, c)))),
    ("(dir(a)) ↦[n] b", None, S.Atom("pointsto", (A("dir", a), n, b))),
    ("inode(a) ↦[n] b", "inode(a) |->[n] b", S.Atom("fs_inode", (a, n, b))),
    ("lease[n](dir(a), b)", None, S.Atom("fs_dir_lease", (a, n, b))),
    ("lease[n](link(a, b), c)", None, S.Atom("fs_link_lease", (a, b, n, c))),
    ("lease[n](inode(a), b)", None, S.Atom("fs_inode_lease", (a, n, b))),
    ("lease[n](dir(a)[b], c)", None, S.Atom("lease", (A("dir", a), b, n, c))),
    ("locked(a)", None, S.Atom("locked", (a,))),
    ("tok(a)", None, S.Atom("tok", (a,))),
    ("source[b](a)", None, S.Atom("source", (b, a))),
    ("a ⤇[c] b", "a ~>[c] b", S.Atom("spec", (c, a, b))),
    ("⤇[a] Crashing", "~>[a] Crashing", S.Atom("crashing", (a,))),
    ("⤇ Done", "~> Done", S.Atom("done", ())),
    ("inv(N, R)", None, S.Inv("N", R)),
    ("is_lock(l, R ∗ Q)", "is_lock(l, R ** Q)", S.IsLock(l, S.Sep(R, Q))),
    ("Q", None, Q),
    ("Q()", None, Q),
    ("P(a, R, b + 1)", None, S.PredApp("P", (a, R, A("add", b, i(1))))),
    ("P(R ∗ Q, l ↦[n] a)", None, S.PredApp("P", (S.Sep(R, Q), pt))),
    ("P(Q : iProp, Q)", None, S.PredApp("P", (Q, v("Q")))),
    ("P(locked(a), f(a))", None, S.PredApp("P", (S.Atom("locked", (a,)), A("f", a)))),
    ("∃ R. P(R)", None, S.Exists("R", S.VAL, S.PredApp("P", (v("R"),)))),
    ("WP[n] !#l {x. ⌜x = a⌝}", None,
     S.WP(n, (), Pr("load", S.Val(l)), "x", S.Pure(A("eq", x, a)))),
    ("WP[n] @ ⊤∖{N2, N1} e1 {R}", "WP[n] @ T\\{N2, N1} e1 {R}",
     S.WP(n, ("N1", "N2"), e1, "_", R)),
    ("{R} e1 {x. Q}[n]", None, S.Persistently(S.Wand(R, S.WP(n, (), e1, "x", Q)))),
    ("{R} e1 {x. Q}[n] @ ⊤∖{N}", "{R} e1 {x. Q}[n] @ T\\{N}",
     S.Persistently(S.Wand(R, S.WP(n, ("N",), e1, "x", Q)))),
    ("{[∗ set] x ∈ a. Q} e1 {Q}[n]", "{[** set] x in a. Q} e1 {Q}[n]",
     S.Persistently(S.Wand(S.BigSep("set", ("x",), a, Q), S.WP(n, (), e1, "_", Q)))),
    ("{⌜{[a]} = ∅⌝} e1 {Q}[n]", "{[! {[a]} = {} !]} e1 {Q}[n]",
     S.Persistently(S.Wand(S.Pure(A("eq", A("set", a), A("set"))), S.WP(n, (), e1, "_", Q)))),
]


@pytest.mark.parametrize("uni,asc,ast", ASSERTIONS, ids=[t[0] for t in ASSERTIONS])
def test_assertion_notation(uni, asc, ast):
    assert parse_assertion(uni, avars={"R"}) == ast
    if asc is not None:
        assert parse_assertion(asc, avars={"R"}) == ast


def test_avars_only_when_declared():
    assert parse_assertion("R") == S.PredApp("R", ())
    assert parse_assertion("R", avars={"R"}) == S.AVar("R")
    # a logical binder shadows an assertion variable
    assert parse_assertion("∃ R. P(R)", avars={"R"}) == \
        S.Exists("R", S.VAL, S.PredApp("P", (v("R"),)))


# ---- commands and proofs ----------------------------------------------------------------------

EXAMPLE = '''\
Require "heap_lib.pv".                      (* a "comment" with (* nesting *) *)

Definition double (x : u64) : u64 := x + x.

Predicate counter_inv (n : nat) (l : loc) (R : iProp) :=
  ∃ (v : u64). l ↦[n] v ∗ ⌜v mod 2 = 0⌝ ∗ R.

Function swap (x y) :=
  let a := !x in
  let b := !y in
  x <- b;;
  y <- a.

Theorem swap_spec (n : nat) (l1 l2 : loc) (a b : val) :
  {l1 ↦[n] a ∗ l2 ↦[n] b} swap(#l1, #l2) {r. l1 ↦[n] b ∗ l2 ↦[n] a}[n].
Proof.
  intros "[H1 H2]".
  - exists (x + (* hi *) f(1)). apply foo 3.
  + try (wp_load; auto); repeat split.
    first [ done | iFrame "H" (P ∗ (Q)) ].
  { ** auto. }
Qed.

Lemma lock_spec (R : iProp) (lk : loc) :
  is_lock(lk, R) -∗ WP[0] @ ⊤∖{N} acquire(#lk) {_. R ∗ locked(lk)}.
Admitted.

Theorem no_proof : emp.

Print Assumptions swap_spec.
'''


def test_commands_and_positions():
    doc = parse_file(EXAMPLE, "ex.pv")
    assert doc.path == "ex.pv"
    cmds = doc.commands
    assert [type(c) for c in cmds] == [Require, Definition, PredicateDef, FunctionDef, TheoremDef,
                                       TheoremDef, TheoremDef, PrintAssumptions]
    assert [c.pos for c in cmds] == [Pos(1, 1), Pos(3, 1), Pos(5, 1), Pos(8, 1), Pos(14, 1),
                                     Pos(24, 1), Pos(28, 1), Pos(30, 1)]
    req, dfn, pred, fun, thm, lem, noproof, pa = cmds
    assert req.path == "heap_lib.pv"
    assert dfn == Definition("double", (("x", S.U64),), S.U64, A("add", x, x), Pos(3, 1))
    assert pred.params == (("n", S.NAT), ("l", S.LOC), ("R", S.IPROP))
    assert pred.body.body.right.right == S.AVar("R")
    assert fun.params == ("x", "y") and fun.body.name == "a"
    assert thm.name == "swap_spec" and thm.keyword == "Theorem"
    assert [p for p, _ in thm.params] == ["n", "l1", "l2", "a", "b"]
    assert isinstance(thm.statement, S.Persistently)
    assert lem.keyword == "Lemma" and lem.proof == Proof((), "Admitted", Pos(26, 1), Pos(26, 1))
    assert lem.statement.left == S.IsLock(v("lk"), S.AVar("R"))
    assert lem.statement.right.opened == ("N",)
    assert noproof.proof is None
    assert pa == PrintAssumptions("swap_spec", Pos(30, 1))


def test_proof_structure():
    proof = parse_file(EXAMPLE, "ex.pv").commands[4].proof
    assert proof.ending == "Qed" and proof.pos == Pos(16, 1) and proof.end_pos == Pos(22, 1)
    s = proof.steps
    assert s[0] == Tactic("intros", (TacArg("string", "[H1 H2]", Pos(17, 10)),), Pos(17, 3))
    # a syntax argument is located at its `(`; its text starts one column later
    assert s[1] == Bullet("-", Pos(18, 3))
    ex = s[2]
    assert ex.name == "exists" and ex.args[0].kind == "syntax"
    assert ex.args[0].value == "x + (* hi *) f(1)" and ex.args[0].pos == Pos(18, 12)
    assert s[3] == Tactic("apply", (TacArg("ident", "foo", Pos(18, 39)),
                                    TacArg("int", 3, Pos(18, 43))), Pos(18, 33))
    assert s[4] == Bullet("+", Pos(19, 3))
    t = s[5]
    assert isinstance(t, TacThen) and isinstance(t.first, TacTry)
    assert isinstance(t.first.body, TacThen) and t.first.body.first.name == "wp_load"
    assert isinstance(t.then, TacRepeat) and t.then.body.name == "split"
    first = s[6]
    assert isinstance(first, TacFirst) and len(first.alternatives) == 2
    frame = first.alternatives[1]
    assert frame.args[1] == TacArg("syntax", "P ∗ (Q)", Pos(20, 31))
    assert [type(x) for x in s[7:]] == [Bullet, Bullet, Tactic, Bullet]
    assert s[7].marker == "{" and s[8].marker == "**" and s[10].marker == "}"


def test_syntax_argument_reparses_with_file_positions():
    arg = parse_file(EXAMPLE, "ex.pv").commands[4].proof.steps[2].args[0]
    assert parse_term(arg.value, line=arg.pos.line, col=arg.pos.col + 1) == \
        A("add", x, A("f", i(1)))
    with pytest.raises(PVSyntaxError) as ei:
        parse_term("x + + 1", line=arg.pos.line, col=arg.pos.col + 1)
    assert (ei.value.line, ei.value.col) == (18, 17)
    with pytest.raises(PVSyntaxError) as ei:
        parse_assertion("emp ∗\n  + x", line=7, col=30)
    assert (ei.value.line, ei.value.col) == (8, 3)


# ---- errors -----------------------------------------------------------------------------------

ERRORS = [
    # (text, line, col, fragment of the message)
    ("Definition x : u64 := 1.\n(* one (* two *)\nDefinition", 2, 1, "unclosed comment"),
    ('Require "heap.pv.\n', 1, 9, "unclosed string"),
    ('Require "a\\q".', 1, 11, "unknown escape"),
    ("Definition f (x : u64) : u64 := x + .", 1, 37, "unexpected '.' after '+'"),
    ("Definition f (x : u64) : u64 := x $ y.", 1, 35, "unexpected character '$'"),
    ("Definition f : u64 :=", 1, 22, "unexpected end of input after ':='"),
    ("Definition f : u64 :=\n  len(a, b).", 2, 3, "len takes 1 argument, got 2"),
    ("Function f (x) :=\n  ref(x, x).", 2, 3, "primitive ref takes 1 argument, got 2"),
    ("Theorem t : emp ∗ locked(a, b).\nAdmitted.", 1, 19, "locked takes 1 argument"),
    ("Definition f (x : foo) : u64 := x.", 1, 19, "unknown sort 'foo'"),
    ("Definition f (x : list) : u64 := x.", 1, 19, "list takes 1 argument, got 0"),
    ("Definition f (x : u64 nat) : u64 := x.", 1, 19, "u64 takes 0 arguments, got 1"),
    ("Definition f (then : u64) : u64 := 1.", 1, 15, "'then' is a keyword"),
    ("Theorem t : emp.\nProof.\n  auto.\nTheorem u : emp.\nAdmitted.", 4, 1,
     "missing 'Qed.' or 'Admitted.'"),
    ("Theorem t : emp ∗ x + 1.\nAdmitted.", 1, 19, "expected an assertion"),
    ("Theorem t : emp * emp.\nAdmitted.", 1, 13, "did you mean ∗"),
    ("Definition f : u64 := ⌜x⌝.", 1, 23, "expected a term"),
    ("Theorem t : l ↦ v.\nAdmitted.", 1, 13, "needs a version"),
    ("Theorem t : ⤇ Crash.\nAdmitted.", 1, 15, "Crashing"),
    ("Theorem t : [∗ map] x ∈ m. emp.\nAdmitted.", 1, 13, "binds 2 variables"),
    ("Theorem t : [∗ map] x ↦ x ∈ m. emp.\nAdmitted.", 1, 13, "two different names"),
    ("Theorem t (x x : u64) : emp.\nAdmitted.", 1, 14, "declared twice"),
    ("Definition f : u64 := let x := 1 in x.", 1, 27, "unexpected 'x' after 'let'"),
    ("Function f (x) := let y := 1 in2 y.", 1, 30, "unexpected 'in2' after '1'"),
    ("Theorem t : fd(a) ↦[n] b.\nAdmitted.", 1, 24, "must be a pair"),
    ("Theorem t : dir(a) ↦ b.\nAdmitted.", 1, 13, "dir(…) ↦[n] v needs a version"),
    ("Theorem t : master[n](inode(a), b).\nAdmitted.", 1, 23, "written inode(…) ↦[n] v"),
    ("Theorem t : lease[n](link(a), b).\nAdmitted.", 1, 22, "link takes 2 arguments"),
    ("Theorem t : inv(f(x), emp).\nAdmitted.", 1, 17, "name of an invariant"),
    ("Theorem t : emp.\nProof.\n  intros.\n", 3, 10, "expected one of"),
]


@pytest.mark.parametrize("text,line,col,frag", ERRORS, ids=[e[3] for e in ERRORS])
def test_located_errors(text, line, col, frag):
    with pytest.raises(PVSyntaxError) as ei:
        parse_file(text, "bad.pv")
    err = ei.value
    assert frag in err.message, err.message
    assert (err.line, err.col) == (line, col), str(err)
    assert str(err).startswith(f"bad.pv:{line}:{col}: ")


def test_phrase_errors():
    with pytest.raises(PVSyntaxError, match="expected a term"):
        parse_term("emp")
    with pytest.raises(PVSyntaxError, match="boolean"):
        parse_assertion("true")
    with pytest.raises(PVSyntaxError, match="unknown sort"):
        parse_sort("word")
    with pytest.raises(PVSyntaxError, match="only a name"):
        parse_term("(f)(x)")
    with pytest.raises(PVSyntaxError, match="iProp"):
        parse_term("f(x : iProp)")
    with pytest.raises(PVSyntaxError):
        parse_expr("let x := 1 in")
    with pytest.raises(PVSyntaxError):
        parse_term("")


def test_deep_nesting_is_a_syntax_error_not_a_crash():
    depth = 5000
    try:
        parse_term("(" * depth + "x" + ")" * depth)
    except PVSyntaxError:
        pass


def test_layout_details():
    crlf = "Definition f (x : u64) : u64 :=\r\n  x.\r\nFunction g () := 1.\r\n"
    cmds = parse_file(crlf, "crlf.pv").commands
    assert [c.pos for c in cmds] == [Pos(1, 1), Pos(3, 1)]
    assert cmds[1] == FunctionDef("g", (), S.Val(i(1)), Pos(3, 1))
    assert parse_file("\ufeffRequire \"a\".", "bom.pv").commands[0].pos == Pos(1, 2)
    with pytest.raises(PVSyntaxError, match="end of input") as ei:
        parse_file("Theorem t : emp.\nProof.\n  auto.\n", "open.pv")
    assert (ei.value.line, ei.value.col) == (3, 8)


def test_comments_and_strings():
    assert parse_term('"(* not a comment *)"') == S.Lit("string", "(* not a comment *)")
    # strings inside comments are not special: the comment ends at the first unmatched *)
    assert parse_term('(* say "hi *) x') == x
    assert parse_file("(* only a comment *)", "c.pv").commands == ()


# ---- fuzz -------------------------------------------------------------------------------------

ALPHABET = list("()[]{}.,;:=*-+#!~<>|\\/\"' \nxyz019") + \
    list("∗↦⤇∃∀∧∨□⌜⌝→≠≤∈⊆∪∩∖∅⊤λ") + \
    ["(*", "*)", "Proof.", "Qed.", "let", "in", "if", "then", "WP", "{[", "↦[", "-∗", "@"]


def _mutate(rng, text):
    for _ in range(rng.randint(1, 3)):
        p = rng.randrange(len(text) + 1)
        op = rng.randrange(5)
        if op == 0:
            text = text[:p] + text[p + 1:]
        elif op == 1:
            text = text[:p] + rng.choice(ALPHABET) + text[p:]
        elif op == 2:
            q = rng.randrange(len(text) + 1)
            p, q = min(p, q), max(p, q)
            text = text[:p] + text[q:]
        elif op == 3:
            q = min(len(text), p + rng.randint(1, 30))
            text = text[:p] + text[p:q] + text[p:q] + text[q:]
        else:
            text = text[:p]
    return text


def test_fuzz_mutations_only_raise_syntax_errors():
    rng = random.Random(20240611)
    n_lines = EXAMPLE.count("\n") + 2
    ok = 0
    for _ in range(1500):
        text = _mutate(rng, EXAMPLE)
        try:
            parse_file(text, "fuzz.pv")
            ok += 1
        except PVSyntaxError as e:
            assert 1 <= e.line <= n_lines + 60 and e.col >= 1, (e, text)
            assert e.message
    assert ok < 1500  # the mutations do break things


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET) | st.characters(), max_size=40).map("".join))
def test_fuzz_arbitrary_text(text):
    for parse in (lambda t: parse_file(t, "f.pv"), parse_term, parse_assertion, parse_expr,
                  parse_sort):
        try:
            parse(text)
        except PVSyntaxError as e:
            assert e.line >= 1 and e.col >= 1


@pytest.mark.parametrize("phrase", ["l ↦[n] v ∗ ⌜v mod 2 = 0⌝ -∗ ∃ x. P(x, R)",
                                    "let a := !x in x <- a + 1;; fork { #(f(x)) }"])
def test_fuzz_phrases(phrase):
    rng = random.Random(7)
    for _ in range(400):
        text = _mutate(rng, phrase)
        for parse in (parse_term, parse_assertion, parse_expr, parse_sort):
            try:
                parse(text)
            except PVSyntaxError:
                pass


# ---- the runtime agrees with lark's own parser --------------------------------------------------

def test_runtime_matches_lark():
    lark = pytest.importorskip("lark")

    class IdentEverywhere:
        always_accept = ("IDENT",)

        def process(self, stream):
            return stream

    class Tuples:
        """The callbacks, given lark's tokens as the runtime's (type, value, line, column,
        start, end) tuples."""

        def __init__(self, builder):
            self.builder = builder

        def __getattr__(self, name):
            fn = getattr(self.builder, name)
            return lambda c: fn([(x.type, x.value, x.line, x.column, x.start_pos, x.end_pos)
                                 if isinstance(x, lark.Token) else x for x in c])

    builder = P._Builder()
    parser = lark.Lark(P._grammar_text(), parser="lalr", lexer="contextual",
                       start=list(P._STARTS), postlex=IdentEverywhere(),
                       transformer=Tuples(builder), maybe_placeholders=False)
    for text in (EXAMPLE,):
        builder.text = text
        blanked = P._blank_comments(text)
        assert parser.parse(blanked, start="file") == list(parse_file(text, "x").commands)
    for uni, asc, _ in ASSERTIONS:
        for t in (uni, asc or uni):
            n1 = parser.parse(t, start="formula_phrase")
            assert P._Elab.assertion(n1, frozenset({"R"}), frozenset()) == \
                parse_assertion(t, avars={"R"})
    for t, _ in PROGRAMS:
        assert parser.parse(t, start="expr_phrase") == parse_expr(t)


def test_printer_and_parser_import_without_lark():
    code = ("import sys; import seplogic.printer; assert 'lark' not in sys.modules; "
            "import seplogic.parser as p; p.parse_term('x'); assert 'lark' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_grammar_is_lalr1_without_conflicts(caplog):
    lark = pytest.importorskip("lark")
    import logging
    lark.logger.setLevel(logging.DEBUG)
    try:
        with caplog.at_level(logging.DEBUG, logger="lark"):
            lark.Lark(P._grammar_text(), parser="lalr", lexer="contextual",
                      start=list(P._STARTS), debug=True)
    finally:
        lark.logger.setLevel(logging.WARNING)
    assert not [r for r in caplog.records if "conflict" in r.getMessage().lower()]


# (The runtime's shortcuts -- chain rules, per-state lexers -- are checked against the plain
# reference implementation in tests/test_parser_reference.py.)
