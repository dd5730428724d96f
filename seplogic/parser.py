"""Parser of `.pv` files and of single phrases (terms, assertions, programs, sorts).

The grammar (`grammar.lark`, LALR(1), contextual lexer) parses terms and assertions with one
shared expression grammar, because a predicate application ``P(a)`` and a term ``f(a)`` (say the
location of ``f(a) ↦[n] v``) only differ by what follows them.  The grammar callbacks
(`_Builder`) build a small neutral tree (`_N`) for those "formulas"; `_Elab` then turns it into
a `Term` or an `Assertion` according to the position it occurs in.  Programs and sorts are
context free and are built directly by the callbacks.

lark only computes the parse tables; they ship with the package (`grammar_tables.json`, made
by ``python -m seplogic.parser --write-tables``) and the small runtime at the end of this module
lexes and parses with them, so start-up does not pay for importing lark.  Everything malformed
raises `PVSyntaxError`.
"""
from __future__ import annotations

import os
import re
import threading

from . import syntax as S
from .document import (Bullet, CrashDef, CrashTheoremDef, Definition, Document, FunctionDef,
                       InitDef, PrintDef, OperationDef, Pos, PredicateDef, RecordDef, RefinementDef, SpecDef,
                       PrintAssumptions, Proof, Require, TacArg, TacFirst, Tactic, TacRepeat,
                       TacThen, TacTry, TheoremDef)

__all__ = ["PVSyntaxError", "parse_file", "parse_term", "parse_assertion", "parse_expr",
           "parse_sort", "RESERVED"]


class PVSyntaxError(Exception):
    """A malformed input, located at 1-based ``line``/``col`` (of ``path`` when known)."""

    def __init__(self, message: str, line: int, col: int, path: str | None = None):
        super().__init__(message, line, col, path)
        self.message = message
        self.line = line
        self.col = col
        self.path = path

    def __str__(self) -> str:
        loc = f"{self.line}:{self.col}"
        return f"{self.path}:{loc}: {self.message}" if self.path else f"{loc}: {self.message}"


class _Err(Exception):
    """Internal error with a position relative to the parsed text (mapped by the API)."""

    def __init__(self, message, line, col):
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


# The reserved words and the calls that are primitive assertions are defined beside the
# identifier grammar in `syntax`, which the kernel checks every name against.
RESERVED, ATOM_CALLS = S.RESERVED, S.ATOM_CALLS

_TERM_BINOP = {
    "IMPL_U": "implies", "IMPL_A": "implies", "OROR": "or", "ANDAND": "and",
    "EQ": "eq", "NE_U": "ne", "NE_A": "ne", "LT": "lt", "LE_U": "le", "LE_A": "le",
    "GT": "lt", "GE_U": "le", "GE_A": "le",
    "IN_U": "mem", "IN_A": "mem", "SUBSETEQ_U": "subseteq", "SUBSETEQ_A": "subseteq",
    "SUPSETEQ_U": "subseteq", "SUPSETEQ_A": "subseteq",
    "CUP_U": "union", "CUP_A": "union", "SETMINUS_U": "diff", "SETMINUS_A": "diff",
    "CAP_U": "inter", "CAP_A": "inter",
    "PLUS": "add", "MINUS": "sub", "APPEND": "app", "PLUS64": "add64", "MINUS64": "sub64",
    "STAR": "mul", "SLASH": "div", "MOD": "mod", "STAR64": "mul64",
}
# `a > b`, `a ≥ b` and `S ⊇ T` are sugar for the flipped lt / le / subseteq.
_FLIPPED = {"GT", "GE_U", "GE_A", "SUPSETEQ_U", "SUPSETEQ_A"}
_PROG_BINOP = {
    "EQEQ": "eq", "NE_U": "ne", "NE_A": "ne", "LT": "lt", "LE_U": "le", "LE_A": "le",
    "GT": "gt", "GE_U": "ge", "GE_A": "ge", "PLUS": "add", "MINUS": "sub", "STAR": "mul",
    "SLASH": "div", "PERCENT": "mod", "OROR": "or", "ANDAND": "and",
}
_AOP = {"WAND_U": S.Wand, "WAND_A": S.Wand, "OR_U": S.Or, "OR_A": S.Or,
        "AND_U": S.And, "AND_A": S.And, "SEP_U": S.Sep, "SEP_A": S.Sep}
# Inside a term, ∧ and ∨ are the boolean && and || (with their looser assertion precedence).
_TERM_AOP = {"AND_U": "and", "AND_A": "and", "OR_U": "or", "OR_A": "or"}
# Hints for a term operator found where an assertion is expected.
_AOP_HINT = {"STAR": "∗ (ASCII **)", "ANDAND": "∧ (ASCII /\\)", "OROR": "∨ (ASCII \\/)",
             "IMPL_U": "-∗ (ASCII -*)", "IMPL_A": "-∗ (ASCII -*)"}
_ASSERTION_TAGS = frozenset({"aconst", "pure", "aop", "box", "quant", "bigsep", "pointsto",
                             "mapsto", "spec", "spec_noera", "spec_state", "wp", "triple"})
_DESCR = {"aconst": "an assertion constant", "pure": "⌜...⌝", "aop": "a separation-logic "
          "connective", "box": "□", "quant": "a quantifier", "bigsep": "a big ∗",
          "pointsto": "a points-to", "mapsto": "a points-to", "spec": "⤇",
          "spec_noera": "⤇", "spec_state": "⤇", "wp": "WP", "triple": "a Hoare triple"}

# ---------------------------------------------------------------------------------------------
# Neutral formula tree


class _N:
    """A formula node: ``tag``, position and tag-specific fields."""
    __slots__ = ("tag", "line", "col", "f")

    def __init__(self, tag, line, col, *f):
        self.tag, self.line, self.col, self.f = tag, line, col, f

    def __repr__(self):  # debugging aid
        return f"_N({self.tag!r}, {self.line}:{self.col}, {self.f!r})"


class _Mask(tuple):
    """The sorted invariant names of a mask ``@ ⊤∖{N1, N2}``."""
    __slots__ = ()


def _at(x):
    """(line, col) of a token or node."""
    if isinstance(x, _N):
        return x.line, x.col
    return x.line, x.column


def _check_name(tok) -> str:
    name = str(tok)
    if name in RESERVED:
        raise _Err(f"'{name}' is a keyword and cannot be used as a name", tok.line, tok.column)
    return name


_ESC = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r"}
_U_ESC = re.compile(r"u\{([0-9a-fA-F]{1,6})\}")


def _decode_string(tok) -> str:
    body = tok.value[1:-1]
    if "\\" not in body and not any(_surrogate(ord(c)) for c in body):
        return body
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if _surrogate(ord(c)):
            raise _Err("a lone surrogate is not a Unicode character", tok.line,
                       tok.column + 1 + i)
        if c != "\\":
            out.append(c)
            i += 1
            continue
        e = body[i + 1]
        if e in _ESC:
            out.append(_ESC[e])
            i += 2
            continue
        m = _U_ESC.match(body, i + 1)
        if m and int(m.group(1), 16) <= 0x10FFFF:
            if _surrogate(int(m.group(1), 16)):
                # Go strings are bytes, and a literal's bytes are its UTF-8 encoding: a lone
                # surrogate has none (it would alias the bytes of another string)
                raise _Err(f"'\\{m.group(0)}' is a surrogate, not a Unicode character",
                           tok.line, tok.column + 1 + i)
            out.append(chr(int(m.group(1), 16)))
            i = m.end()
            continue
        raise _Err(f"unknown escape sequence '\\{e}' in string (use \\\\ \\\" \\n \\t \\r "
                   "or \\u{hex})", tok.line, tok.column + 1 + i)
    return "".join(out)


def _surrogate(code: int) -> bool:
    return 0xD800 <= code <= 0xDFFF


def _mk_sort(tok, args) -> S.Sort:
    name = str(tok)
    arity = S.sort_arity(name)    # (a user record / state type is capitalised)
    if arity is None:
        raise _Err(f"unknown sort '{name}' (built-in sorts: {', '.join(S.BASE_SORTS)}; "
                   f"constructors: {', '.join(S.SORT_CONSTRUCTORS)}; user types are "
                   "capitalised)", tok.line, tok.column)
    if len(args) != arity:
        raise _Err(f"sort {name} takes {_args(arity)}, got {len(args)}", tok.line, tok.column)
    return S.Sort(name, tuple(args))


def _args(k: int) -> str:
    return f"{k} argument" + ("" if k == 1 else "s")


def _arity(name, expected, got, line, col, what="operator"):
    if expected is not None and got != expected:
        raise _Err(f"{what} {name} takes {_args(expected)}, got {got}", line, col)


def _pos(tok) -> Pos:
    return Pos(tok.line, tok.column)


def _params(binders):
    """Flatten binder groups into ((name, Sort), ...), rejecting duplicates."""
    out, seen = [], set()
    for group in binders:
        for tok, sort in group:
            name = _check_name(tok)
            if name in seen:
                raise _Err(f"parameter '{name}' is declared twice", tok.line, tok.column)
            seen.add(name)
            out.append((name, sort))
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Elaboration of formulas into terms and assertions


class _Elab:
    """Turns `_N` trees into Terms / Assertions.  ``avars``: the iProp parameters in scope;
    ``bound``: logical variables bound inside the statement (they shadow avars)."""

    # ---- terms ----------------------------------------------------------------------------

    @staticmethod
    def term(n: _N) -> S.Term:
        t = _Elab.term
        tag, f = n.tag, n.f
        if tag == "ident":
            name = f[0]
            if name == "None" or name == "continue" or name == "map_empty":
                return S.App("none" if name == "None" else name, ())
            return S.Var(_check_name_at(name, n))
        if tag == "int":
            return S.Lit("int", f[0])
        if tag == "str":
            return S.Lit("string", f[0])
        if tag == "bool":
            return S.Lit("bool", f[0])
        if tag == "unit":
            return S.UNIT_LIT
        if tag == "binop":
            op, a, b = f
            name = _TERM_BINOP[op]
            if op in _FLIPPED:
                a, b = b, a
            return S.App(name, (t(a), t(b)))
        if tag == "paren":
            return t(f[0])
        if tag == "call":
            return _Elab.term_call(n)
        if tag == "lookup":
            return S.App("lookup", (t(f[0]), t(f[1])))
        if tag == "insert":
            return S.App("insert", (t(f[0]), t(f[1]), t(f[2])))
        if tag == "neg":
            x = f[0]
            if x.tag == "int":  # `-5` is a literal; `-(5)` is neg applied to 5
                return S.Lit("int", -x.f[0])
            return S.App("neg", (t(x),))
        if tag == "not":
            return S.App("not", (t(f[0]),))
        if tag == "pair":
            return S.App("pair", (t(f[0]), t(f[1])))
        if tag == "list":
            return S.App("list", tuple(t(x) for x in f[0]))
        if tag == "set":
            return S.App("set", tuple(t(x) for x in f[0]))
        if tag == "if":
            return S.App("ite", (t(f[0]), t(f[1]), t(f[2])))
        if tag == "aop" and f[0] in _TERM_AOP:  # `⌜a = b ∧ c⌝`, as one writes in Iris
            return S.App(_TERM_AOP[f[0]], (t(f[1]), t(f[2])))
        if tag == "aconst" and f[0] in ("True", "False"):
            raise _Err(f"'{f[0]}' is an assertion; the boolean is '{f[0].lower()}'",
                       n.line, n.col)
        raise _Err(f"expected a term, found {_DESCR.get(tag, 'an assertion')}", n.line, n.col)

    @staticmethod
    def term_call(n: _N) -> S.Term:
        head, args = n.f
        if head.tag != "ident":
            raise _Err("only a name can be applied to arguments", head.line, head.col)
        name = head.f[0]
        name = {"Some": "some", "None": "none"}.get(name, name)
        for a, sort in args:
            if sort is not None:
                raise _Err("a ': iProp' annotation is only allowed on arguments of a "
                           "predicate", a.line, a.col)
        if name in S.TERM_OPS:
            _arity(name, S.TERM_OPS[name], len(args), head.line, head.col)
        else:
            _check_name_at(name, head)
        return S.App(name, tuple(_Elab.term(a) for a, _ in args))

    # ---- assertions -----------------------------------------------------------------------

    @staticmethod
    def assertion(n: _N, avars: frozenset, bound: frozenset) -> S.Assertion:
        a = _Elab.assertion
        tag, f = n.tag, n.f
        if tag == "aop":
            op, l, r = f
            return _AOP[op](a(l, avars, bound), a(r, avars, bound))
        if tag == "pure":
            return S.Pure(_Elab.term(f[0]))
        if tag == "aconst":
            return {"True": S.Pure(S.TRUE), "False": S.Pure(S.FALSE)}.get(f[0]) or S.Emp()
        if tag == "ident":
            name = f[0]
            if name in avars and name not in bound:
                return S.AVar(name)
            if name in ("None", "continue", "map_empty"):
                raise _Err(f"expected an assertion, found the term '{name}'", n.line, n.col)
            return S.PredApp(_check_name_at(name, n), ())
        if tag == "paren":
            return a(f[0], avars, bound)
        if tag == "call":
            return _Elab.assertion_call(n, avars, bound)
        if tag == "box":
            return S.Persistently(a(f[0], avars, bound))
        if tag == "quant":
            kind, binders, body = f
            names = [nm for nm, _ in binders]
            out = a(body, avars, bound | frozenset(names))
            cls = S.Exists if kind == "exists" else S.Forall
            for nm, sort in reversed(binders):
                out = cls(nm, sort, out)
            return out
        if tag == "bigsep":
            kind, names, coll, body = f
            want = 1 if kind == "set" else 2
            if len(names) != want:
                raise _Err(f"[∗ {kind}] binds {want} variable{'s' if want > 1 else ''}: write "
                           + ("[∗ set] x ∈ S. P" if kind == "set" else "[∗ map] k ↦ v ∈ m. P"),
                           n.line, n.col)
            if len(set(names)) != len(names):
                raise _Err("[∗ map] binds two different names: write [∗ map] k ↦ v ∈ m. P",
                           n.line, n.col)
            return S.BigSep(kind, tuple(names), _Elab.term(coll),
                            a(body, avars, bound | frozenset(names)))
        if tag == "pointsto":
            l, ver, v = f
            if l.tag == "call" and l.f[0].tag == "ident" and l.f[0].f[0] == "fd":
                fargs = _plain_args(l, 1, "fd")
                if v.tag != "pair":
                    raise _Err("fd(f) ↦[n] (i, md): the value must be a pair (inode, mode)",
                               v.line, v.col)
                return S.Atom("fs_fd", (fargs[0], _Elab.term(ver), _Elab.term(v.f[0]),
                                        _Elab.term(v.f[1])))
            cell = _fs_cell(l)
            if cell is not None:
                (kind, _, k), name = S.FS_CELLS[cell], cell
                return S.Atom(kind, tuple(_plain_args(l, k, name)) + (_Elab.term(ver),
                                                                       _Elab.term(v)))
            return S.Atom("pointsto", (_Elab.term(l), _Elab.term(ver), _Elab.term(v)))
        if tag == "mapsto":
            l, v = f
            cell = _fs_cell(l)
            if cell is not None or (l.tag == "call" and l.f[0].tag == "ident"
                                    and l.f[0].f[0] == "fd"):
                what = f"{cell}(…) ↦[n] v" if cell else "fd(f) ↦[n] (i, md)"
                raise _Err(f"{what} needs a version [n]", n.line, n.col)
            raise _Err("a points-to needs a version: write l ↦[n] v", n.line, n.col)
        if tag == "spec":
            return S.Atom("spec", (_Elab.term(f[1]), _Elab.term(f[0]), _Elab.term(f[2])))
        if tag == "spec_noera":
            raise _Err("a spec token needs its era: write j ⤇[e] op (operations running at "
                       "version n are of era n)", n.line, n.col)
        if tag == "spec_state":
            if f[0] == "Crashing" and f[1] is not None:
                return S.Atom("crashing", (_Elab.term(f[1]),))
            if f[0] == "Crashing":
                raise _Err("⤇ Crashing needs the recovery's version: write ⤇[m] Crashing",
                           n.line, n.col)
            if f[0] == "Done" and f[1] is None:
                return S.Atom("done", ())
            raise _Err(f"expected '⤇[m] Crashing' or '⤇ Done', found '⤇ {f[0]}'", n.line,
                       n.col)
        if tag == "wp":
            ver, opened, e, var, post = f
            return S.WP(_Elab.term(ver), opened, e, var, a(post, avars, bound | {var}))
        if tag == "triple":
            pre, e, var, post, ver, opened = f
            return S.Persistently(S.Wand(
                a(pre, avars, bound),
                S.WP(_Elab.term(ver), opened, e, var, a(post, avars, bound | {var}))))
        if tag == "binop" and f[0] in _AOP_HINT:
            raise _Err(f"expected an assertion, found a term (did you mean {_AOP_HINT[f[0]]}?)",
                       n.line, n.col)
        if tag == "bool":
            raise _Err(f"expected an assertion, found the boolean '{'true' if f[0] else 'false'}'"
                       f" (did you mean {'True' if f[0] else 'False'} or ⌜...⌝?)", n.line, n.col)
        raise _Err("expected an assertion, found a term (use ⌜φ⌝ for a pure fact)",
                   n.line, n.col)

    @staticmethod
    def assertion_call(n: _N, avars, bound) -> S.Assertion:
        head, args = n.f
        if head.tag == "lookup" and head.f[0].tag == "ident" and \
                head.f[0].f[0] in ("master", "lease"):
            return _Elab.disk_atom(n, head.f[0].f[0], head.f[1], args)
        if head.tag == "lookup" and head.f[0].tag == "ident" and head.f[0].f[0] == "source":
            _arity("source", 1, len(args), head.line, head.col, "assertion")
            return S.Atom("source", (_Elab.term(head.f[1]), _Elab.term(args[0][0])))
        if head.tag == "lookup" and head.f[0].tag == "ident" and \
                head.f[0].f[0] in S.VERSIONED_ATOMS:
            kind = head.f[0].f[0]
            _arity(kind, 2, len(args), head.line, head.col, "assertion")
            for x, sort in args:
                if sort is not None:
                    raise _Err(f"no ': iProp' annotation here: {kind} is built in", x.line, x.col)
            return S.Atom(kind, (_Elab.term(args[0][0]), _Elab.term(head.f[1]),
                                 _Elab.term(args[1][0])))
        if head.tag != "ident":
            raise _Err("expected an assertion; only a predicate name can be applied to "
                       "arguments", head.line, head.col)
        name = head.f[0]
        if name == "source":
            raise _Err("source needs its era: write source[e](σ)", head.line, head.col)
        if name in ATOM_CALLS:
            _arity(name, ATOM_CALLS[name], len(args), head.line, head.col, "assertion")
            for x, sort in args:
                if sort is not None:
                    raise _Err(f"no ': iProp' annotation here: {name} is built in", x.line, x.col)
            if name == "inv":
                nm = args[0][0]
                if nm.tag != "ident":
                    raise _Err("the name of an invariant must be an identifier: inv(N, P)",
                               nm.line, nm.col)
                return S.Inv(_check_name_at(nm.f[0], nm),
                             _Elab.assertion(args[1][0], avars, bound))
            if name == "is_lock":
                return S.IsLock(_Elab.term(args[0][0]),
                                _Elab.assertion(args[1][0], avars, bound))
            return S.Atom(name, (_Elab.term(args[0][0]),))
        _check_name_at(name, head)
        out = []
        for x, sort in args:
            if sort is not None:
                if sort != S.IPROP:
                    raise _Err("only ': iProp' may annotate a predicate argument", x.line, x.col)
                out.append(_Elab.assertion(x, avars, bound))
            elif _looks_assertion(x, avars, bound):
                out.append(_Elab.assertion(x, avars, bound))
            else:
                out.append(_Elab.term(x))
        return S.PredApp(name, tuple(out))

    @staticmethod
    def disk_atom(n, which, ver, args) -> S.Assertion:
        for x, sort in args:
            if sort is not None:
                raise _Err(f"no ': iProp' annotation here: {which} is built in", x.line, x.col)
        if which == "lease" and len(args) == 1:
            x = args[0][0]
            if x.tag == "binop" and x.f[0] in ("SUPSETEQ_U", "SUPSETEQ_A", "GE_U", "GE_A"):
                return S.Atom("lease_lb", (_Elab.term(x.f[1]), _Elab.term(ver),
                                           _Elab.term(x.f[2])))
            raise _Err("expected lease[n](dir ⊇ S), lease[n](d[a], v) or "
                       "lease[n](dir(d), S)", x.line, x.col)
        if len(args) != 2:
            raise _Err(f"{which}[n](d[a], v) takes 2 arguments, got {len(args)}", n.line, n.col)
        block = args[0][0]
        cell = _fs_cell(block)
        if which == "lease" and cell is not None:
            _, kind, k = S.FS_CELLS[cell]
            return S.Atom(kind, tuple(_plain_args(block, k, cell)) + (_Elab.term(ver),
                                                                      _Elab.term(args[1][0])))
        if block.tag != "lookup":
            hint = (f" (the master copy of {cell}(…) is written {cell}(…) ↦[n] v)" if cell
                    else " or, for a lease, dir(d), link(d, name) or inode(i)")
            raise _Err(f"{which}[n](d[a], v): the first argument must be d[a] (disk and "
                       f"block){hint}", block.line, block.col)
        return S.Atom(which, (_Elab.term(block.f[0]), _Elab.term(block.f[1]), _Elab.term(ver),
                              _Elab.term(args[1][0])))


def _fs_cell(n: _N):
    """``dir``, ``link`` or ``inode`` if ``n`` is a call of that name (a file-system cell)."""
    if n.tag == "call" and n.f[0].tag == "ident" and n.f[0].f[0] in S.FS_CELLS:
        return n.f[0].f[0]
    return None


def _check_name_at(name: str, n) -> str:
    if name in RESERVED:
        raise _Err(f"'{name}' is a keyword and cannot be used as a name", n.line, n.col)
    return name


def _plain_args(call: _N, k: int, name: str):
    head, args = call.f
    if len(args) != k:
        raise _Err(f"{name} takes {_args(k)}, got {len(args)}", head.line, head.col)
    for x, sort in args:
        if sort is not None:
            raise _Err(f"no ': iProp' annotation here: {name} is built in", x.line, x.col)
    return [_Elab.term(x) for x, _ in args]


def _looks_assertion(n: _N, avars, bound) -> bool:
    """The rule deciding whether a predicate argument is an assertion (else a term)."""
    while n.tag == "paren":
        n = n.f[0]
    if n.tag in _ASSERTION_TAGS:
        return True
    if n.tag == "ident":
        return n.f[0] in avars and n.f[0] not in bound
    if n.tag == "call":
        head = n.f[0]
        if head.tag == "ident":
            return head.f[0] in ATOM_CALLS
        return head.tag == "lookup" and head.f[0].tag == "ident" and \
            head.f[0].f[0] in ("master", "lease", "source") + S.VERSIONED_ATOMS
    return False


# ---------------------------------------------------------------------------------------------
# lark callbacks


class _Builder:
    """Inline callbacks of the LALR parser (one per grammar rule or alias)."""

    def __init__(self, text: str = ""):
        self.text = text

    # ---- entry points ---------------------------------------------------------------------
    def file(self, c):
        return c

    def formula_phrase(self, c):
        return c[0]

    expr_phrase = sort_phrase = formula_phrase

    # ---- commands -------------------------------------------------------------------------
    def require(self, c):
        return Require(_decode_string(c[1]), _pos(c[0]))

    def binder(self, c):
        sort = c[-1]
        return [(tok, sort) for tok in c[1:-1]]

    def definition(self, c):
        params = _params(c[2:-3])
        return Definition(_check_name(c[1]), params, c[-3], _Elab.term(c[-2]), _pos(c[0]))

    def predicate(self, c):
        params = _params(c[2:-2])
        avars = frozenset(n for n, s in params if s == S.IPROP)
        body = _Elab.assertion(c[-2], avars, frozenset())
        return PredicateDef(_check_name(c[1]), params, body, _pos(c[0]))

    def function(self, c):
        names, seen = [], set()
        for tok in c[2:-2]:
            nm = _check_name(tok)
            if nm in seen:
                raise _Err(f"parameter '{nm}' is declared twice", tok.line, tok.column)
            seen.add(nm)
            names.append(nm)
        return FunctionDef(_check_name(c[1]), tuple(names), c[-2], _pos(c[0]))

    def field_decl(self, c):
        return (_check_name(c[0]), c[-1])

    def record(self, c):
        fields = tuple(x for x in c[2:] if type(x) is tuple)
        names = [n for n, _ in fields]
        if len(set(names)) != len(names):
            raise _Err("a field is declared twice", c[0].line, c[0].column)
        return RecordDef(_check_name(c[1]), fields, _pos(c[0]))

    def theorem(self, c):
        proof = c[-1] if isinstance(c[-1], Proof) else None
        end = len(c) - (1 if proof else 0)
        params = _params(c[2:end - 2])
        avars = frozenset(n for n, s in params if s == S.IPROP)
        stmt = _Elab.assertion(c[end - 2], avars, frozenset())
        return TheoremDef(_check_name(c[1]), params, stmt, proof, _pos(c[0]), str(c[0]))

    def crash_theorem(self, c):
        proof = c[-1] if isinstance(c[-1], Proof) else None
        end = len(c) - (1 if proof else 0)
        # ... ":" lhs ARROW version rhs DOT
        lhs_i = next(i for i, x in enumerate(c) if getattr(x, "type", "") in ("CRASH_U", "CRASH_A")) - 1
        params = _params(c[2:lhs_i])
        avars = frozenset(n for n, s in params if s == S.IPROP)
        if avars:
            raise _Err("a crash theorem cannot have iProp parameters", c[0].line, c[0].column)
        lhs = _Elab.assertion(c[lhs_i], avars, frozenset())
        version = _Elab.term(c[lhs_i + 2])
        rhs = _Elab.assertion(c[end - 2], avars, frozenset())
        return CrashTheoremDef(_check_name(c[1]), params, version, lhs, rhs, proof, _pos(c[0]))

    def spec_decl(self, c):
        ((state, sort),) = c[2]
        return SpecDef(_check_name(c[1]), _check_name(state), sort, _pos(c[0]))

    def operation(self, c):
        params = _params([x for x in c if type(x) is list])
        result = next((x for x in c if type(x) is S.Sort), None)
        return OperationDef(_check_name(c[1]), _check_name(c[2]), params, c[-2], _pos(c[0]),
                            result)

    def crash_step(self, c):
        return CrashDef(_check_name(c[1]), c[-2], _pos(c[0]))

    def init_state(self, c):
        params = _params([x for x in c if type(x) is list])
        return InitDef(_check_name(c[1]), params, _Elab.term(c[-2]), _pos(c[0]))

    def print_cmd(self, c):
        return PrintDef(str(c[1]), _pos(c[0]))

    def ref_item(self, c):
        if len(c) == 2:
            return (str(c[0]), str(c[1]))
        if str(c[0]) != "proof":
            raise _Err("expected 'proof KEY := theorem'", c[0].line, c[0].column)
        return (("proof", str(c[1])), str(c[2]))

    def refinement(self, c):
        items = tuple(x for x in c[3:] if type(x) is tuple)
        return RefinementDef(_check_name(c[1]), str(c[2]), items, _pos(c[0]))

    def print_assumptions(self, c):
        return PrintAssumptions(str(c[2]), _pos(c[0]))

    # ---- proofs ---------------------------------------------------------------------------
    def proof(self, c):
        return Proof(tuple(c[2:-2]), str(c[-2]), _pos(c[0]), _pos(c[-2]))

    def proof_admitted(self, c):
        return Proof((), "Admitted", _pos(c[0]), _pos(c[0]))

    def tac_sentence(self, c):
        return c[0]

    def bullet(self, c):
        return Bullet(str(c[0]), _pos(c[0]))

    def tac_then(self, c):
        return TacThen(c[0], c[1], c[0].pos)

    def tac_try(self, c):
        return TacTry(c[1], _pos(c[0]))

    def tac_repeat(self, c):
        return TacRepeat(c[1], _pos(c[0]))

    def tac_first(self, c):
        return TacFirst(tuple(c[1:]), _pos(c[0]))

    def tactic(self, c):
        return Tactic(str(c[0]), tuple(c[1:]), _pos(c[0]))

    def targ_ident(self, c):
        return TacArg("ident", str(c[0]), _pos(c[0]))

    def targ_string(self, c):
        return TacArg("string", _decode_string(c[0]), _pos(c[0]))

    def targ_int(self, c):
        return TacArg("int", int(c[0].value), _pos(c[0]))

    def targ_syntax(self, c):
        # pos is that of the `(`, like any argument's; the raw text starts one column later
        lpar, rpar = c[0], c[-1]
        return TacArg("syntax", self.text[lpar.end_pos:rpar.start_pos], _pos(lpar))

    # ---- sorts ----------------------------------------------------------------------------
    def sort_prod(self, c):
        return S.Sort("prod", (c[0], c[2]))

    def sort_app(self, c):
        return _mk_sort(c[0], c[1:])

    def sort_name(self, c):
        return _mk_sort(c[0], ())

    # ---- formulas -------------------------------------------------------------------------
    def quant(self, c):
        kind = "exists" if c[0].type in ("EXISTS_U", "EXISTS_A") else "forall"
        binders = []
        for group in c[1:-1]:
            for tok, sort in group:
                binders.append((_check_name(tok), sort))
        return _N("quant", c[0].line, c[0].column, kind, binders, c[-1])

    def qbinder(self, c):
        if len(c) == 1:
            return [(c[0], S.VAL)]
        return [(tok, c[-1]) for tok in c[1:-1]]

    def bigsep(self, c):
        names = [_check_name(t) for t in c[2:-2] if getattr(t, "type", None) == "IDENT"]
        kind = "set" if c[1].type == "SET_KW" else "map"
        return _N("bigsep", c[0].line, c[0].column, kind, names, c[-2], c[-1])

    def f_if(self, c):
        return _N("if", c[0].line, c[0].column, c[1], c[3], c[5])

    def aop(self, c):
        return _N("aop", *_at(c[0]), c[1].type, c[0], c[2])

    def box(self, c):
        return _N("box", c[0].line, c[0].column, c[1])

    def pointsto(self, c):
        return _N("pointsto", *_at(c[0]), c[0], c[2], c[3])

    def mapsto(self, c):
        return _N("mapsto", *_at(c[0]), c[0], c[2])

    def spec(self, c):
        return _N("spec", *_at(c[0]), c[0], c[2], c[3])

    def spec_noera(self, c):
        return _N("spec_noera", c[1].line, c[1].column)

    def spec_state(self, c):
        return _N("spec_state", c[2].line, c[2].column, str(c[2]), c[1])

    def spec_state_noera(self, c):
        return _N("spec_state", c[1].line, c[1].column, str(c[1]), None)

    def binop(self, c):
        return _N("binop", *_at(c[0]), c[1].type, c[0], c[2])

    def not_(self, c):
        return _N("not", c[0].line, c[0].column, c[1])

    def neg(self, c):
        return _N("neg", c[0].line, c[0].column, c[1])

    def lookup(self, c):
        return _N("lookup", *_at(c[0]), c[0], c[1])

    def insert(self, c):
        return _N("insert", *_at(c[0]), c[0], c[1], c[2])

    def call(self, c):
        return _N("call", *_at(c[0]), c[0], c[1:])

    def arg(self, c):
        return (c[0], c[1] if len(c) > 1 else None)

    def ident(self, c):
        return _N("ident", c[0].line, c[0].column, str(c[0]))

    def int_lit(self, c):
        return _N("int", c[0].line, c[0].column, int(c[0].value))

    def str_lit(self, c):
        return _N("str", c[0].line, c[0].column, _decode_string(c[0]))

    def bool_lit(self, c):
        return _N("bool", c[0].line, c[0].column, c[0].type == "TRUE")

    def const_assertion(self, c):
        return _N("aconst", c[0].line, c[0].column, str(c[0]))

    def unit_lit(self, c):
        return _N("unit", c[0].line, c[0].column)

    def paren(self, c):
        return _N("paren", c[0].line, c[0].column, c[1])

    def pair(self, c):
        return _N("pair", c[0].line, c[0].column, c[1], c[2])

    def list_lit(self, c):
        return _N("list", c[0].line, c[0].column, c[1:])

    def set_lit(self, c):
        return _N("set", c[0].line, c[0].column, c[1:])

    def empty_set(self, c):
        return _N("set", c[0].line, c[0].column, ())

    def pure(self, c):
        return _N("pure", c[0].line, c[0].column, c[1])

    def wp(self, c):
        # children: WP ver [mask] expr post
        opened = c[2] if isinstance(c[2], _Mask) else ()
        var, post = c[-1]
        return _N("wp", c[0].line, c[0].column, c[1], tuple(opened), c[-2], var, post)

    def triple(self, c):
        # children: LBRACE pre expr post ver [mask]
        opened = c[5] if len(c) > 5 else ()
        var, post = c[3]
        return _N("triple", c[0].line, c[0].column, c[1], c[2], var, post, c[4], tuple(opened))

    def mask(self, c):
        return _Mask(sorted({_check_name(t) for t in c[3:]}))

    def post_bound(self, c):
        return (_check_name(c[0]), c[1])

    def post_anon(self, c):
        return ("_", c[0])

    # ---- programs -------------------------------------------------------------------------
    def p_let(self, c):
        return S.Let(_check_name(c[1]), c[2], c[4])

    def p_seq(self, c):
        return S.Let("_", c[0], c[1])

    def p_if(self, c):
        return S.If(c[1], c[3], c[5])

    def p_assign(self, c):
        return S.Prim("store", (c[0], c[2]))

    def p_bin(self, c):
        return S.Prim(_PROG_BINOP[c[1].type], (c[0], c[2]))

    def p_load(self, c):
        return S.Prim("load", (c[1],))

    def p_not(self, c):
        return S.Prim("not", (c[1],))

    def p_call(self, c):
        tok, args = c[0], tuple(c[1:])
        name = str(tok)
        if name == "Some":
            name = "some"
        if name in S.PRIM_OPS:
            _arity(name, S.PRIM_OPS[name], len(args), tok.line, tok.column, "primitive")
            return S.Prim(name, args)
        return S.Call(_check_name(tok), args)

    def p_int(self, c):
        return S.Val(S.Lit("int", int(c[0].value)))

    def p_str(self, c):
        return S.Val(S.Lit("string", _decode_string(c[0])))

    def p_bool(self, c):
        return S.Val(S.TRUE if c[0].type == "TRUE" else S.FALSE)

    def p_unit(self, c):
        return S.Val(S.UNIT_LIT)

    def p_hash_var(self, c):
        return S.Val(S.Var(_check_name(c[1])))

    def p_hash_term(self, c):
        return S.Val(_Elab.term(c[1]))

    def p_var(self, c):
        name = str(c[0])
        if name == "continue":
            return S.Val(S.App("continue", ()))
        if name == "None":
            return S.Val(S.App("none", ()))
        return S.EVar(_check_name(c[0]))

    def p_pair(self, c):
        return S.Prim("pair", (c[1], c[2]))

    def p_fork(self, c):
        return S.Fork(c[1])

    def p_loop(self, c):
        return S.Loop(c[1])


# ---------------------------------------------------------------------------------------------
# Parse tables and the parser runtime
#
# lark computes the LALR(1) tables of `grammar.lark` (`_build_tables`); they are shipped in the
# package as `grammar_tables.json` and only ever read from there -- never from a shared
# directory such as /tmp, where another user could plant tables that change what pv parses.
# A test checks that the file equals what lark computes from the grammar.  Parsing runs the
# small contextual lexer and LALR driver below, which follow lark's semantics (a state's lexer
# only considers the terminals the parser accepts there, longest match, keywords win ties with
# identifiers, IDENT is tried in every state; child filtering and `?rule` inlining as in lark)
# without importing lark: importing lark and loading its own cache costs ~40 ms, this ~2 ms.

_STARTS = ("file", "formula_phrase", "expr_phrase", "sort_phrase")
_FORMAT = 2  # bump when the layout of the tables changes
_HERE = os.path.dirname(os.path.abspath(__file__))
TABLES_PATH = os.path.join(_HERE, "grammar_tables.json")
REGENERATE = "python -m seplogic.parser --write-tables"
_tables_cache: dict = {}
_tables_lock = threading.Lock()


def _grammar_text() -> str:
    with open(os.path.join(_HERE, "grammar.lark"), encoding="utf-8") as f:
        return f.read()


def _grammar_digest(grammar: str) -> str:
    import hashlib
    return hashlib.sha256(grammar.encode("utf-8")).hexdigest()


def _build_tables(grammar: str) -> dict:
    """Run lark's LALR(1) analysis and export plain data (slow: used to make the shipped file).

    lark numbers states and rules in an order that depends on string hashing (PYTHONHASHSEED),
    so states are renumbered breadth-first from the start states (symbols in sorted order) and
    rules are sorted by their text: the result is a function of the grammar alone."""
    from lark import Lark
    lk = Lark(grammar, parser="lalr", lexer="contextual", start=list(_STARTS),
              maybe_placeholders=False)
    pt = lk.parser.parser._parse_table
    new = {}
    queue = [pt.start_states[s] for s in sorted(pt.start_states)]
    for st in queue:
        if st not in new:
            new[st] = len(new)
            queue += [arg for sym, (action, arg) in sorted(pt.states[st].items(),
                                                          key=lambda kv: str(kv[0]))
                      if action.name == "Shift"]
    assert len(new) == len(pt.states), "unreachable parser states"
    key = lambda r: (str(r.origin.name), tuple(str(x.name) for x in r.expansion), str(r.alias))
    by_key = {key(arg): arg for row in pt.states.values() for action, arg in row.values()
              if action.name != "Shift"}
    rules = [by_key[k] for k in sorted(by_key)]
    index = {key(r): i for i, r in enumerate(rules)}
    states = [None] * len(new)
    for old, st in new.items():
        states[st] = {str(sym): new[arg] if action.name == "Shift" else -1 - index[key(arg)]
                      for sym, (action, arg) in sorted(pt.states[old].items(),
                                                       key=lambda kv: str(kv[0]))}
    rule_specs = []
    for r in rules:
        keep = []
        for i, sym in enumerate(r.expansion):
            if sym.is_term:
                if not sym.filter_out:
                    keep.append(i)
            else:
                keep.append(~i if sym.name.startswith("_") else i)
        name = r.alias or r.origin.name
        expand1 = bool(r.options.expand1 and not r.alias)
        if name.startswith("_") or expand1 and len(keep) == 1 and keep[0] >= 0:
            name = ""  # spliced into the parent (`_rule`) or always inlined (`?rule`)
        elif not hasattr(_Builder, name):
            raise AssertionError(f"grammar rule {name} has no callback in _Builder")
        rule_specs.append([str(r.origin.name), str(name), expand1, len(r.expansion), keep])
    terminals = [[str(t.name), str(t.pattern.type), str(t.pattern.value),
                  [str(f) for f in t.pattern.flags]] for t in lk.terminals]
    return {"format": _FORMAT, "grammar_sha256": _grammar_digest(grammar),
            "start": {str(k): new[v] for k, v in sorted(pt.start_states.items())},
            "end": {str(k): new[v] for k, v in sorted(pt.end_states.items())},
            "ignore": sorted(str(x) for x in lk.lexer_conf.ignore),
            "terminals": terminals, "rules": rule_specs, "states": states}


def tables_json(data: dict) -> str:
    """The tables as the shipped file holds them: one state, rule or terminal a line."""
    import json
    parts = []
    for k, v in data.items():
        if type(v) is list:
            v = "[\n" + ",\n".join(json.dumps(x, ensure_ascii=False) for x in v) + "\n]"
        else:
            v = json.dumps(v, ensure_ascii=False)
        parts.append(f"{json.dumps(k)}: {v}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def write_tables(path: str = TABLES_PATH) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(tables_json(_build_tables(_grammar_text())))


class _Tables:
    """Loaded parse tables plus the lexer's lookup structures."""

    def __init__(self, data: dict):
        self.states = data["states"]
        self.rules = data["rules"]
        self.start = data["start"]
        self.end = data["end"]
        self.ignore = frozenset(data["ignore"])
        by_char: dict = {}
        self.regexes = []
        self.strings = {}
        for name, kind, value, flags in data["terminals"]:
            if name in self.ignore:
                continue
            if kind == "str":
                by_char.setdefault(value[0], []).append((value, name))
                self.strings[name] = value
            else:
                fl = 0
                for f in flags:
                    fl |= getattr(re, f.upper())
                self.regexes.append((name, re.compile(value, fl)))
        for lst in by_char.values():
            lst.sort(key=lambda vn: -len(vn[0]))
        self.by_char = by_char
        # IDENT is tried in every state, so that `in2` is one identifier, not `in` + `2`
        self.regexes.sort(key=lambda nr: nr[0] != "IDENT")
        self.callbacks = [spec[1] for spec in self.rules]
        # the terminals that can start a formula / a program (to summarise error messages)
        self.first_formula = {k for k in self.states[self.start["formula_phrase"]] if k.isupper()}
        self.first_expr = {k for k in self.states[self.start["expr_phrase"]] if k.isupper()}


def _tables() -> _Tables:
    t = _tables_cache.get("t")
    if t is not None:
        return t
    with _tables_lock:
        t = _tables_cache.get("t")
        if t is None:
            t = _tables_cache["t"] = _load_tables()
        return t


def _load_tables() -> _Tables:
    """The tables shipped beside the grammar; refused if they were made from another grammar."""
    import json
    with open(TABLES_PATH, encoding="utf-8") as f:
        data = json.load(f)
    if data.get("format") != _FORMAT or data.get("grammar_sha256") != _grammar_digest(
            _grammar_text()):
        raise RuntimeError(f"{TABLES_PATH} was not made from grammar.lark: regenerate it "
                           f"with `{REGENERATE}`")
    return _Tables(data)


class _Tok:
    """A token: ``type`` (terminal name), ``value`` and its 1-based position."""
    __slots__ = ("type", "value", "line", "column", "start_pos", "end_pos")

    def __init__(self, type_, value, line, column, start_pos, end_pos):
        self.type, self.value, self.line, self.column = type_, value, line, column
        self.start_pos, self.end_pos = start_pos, end_pos

    def __str__(self):
        return self.value

    def __repr__(self):
        return f"_Tok({self.type}, {self.value!r}, {self.line}:{self.column})"


_WS = re.compile(r"\s+")


def _parse(text: str, start: str, original: str):
    """Run the contextual lexer and the LALR(1) driver over ``text`` (comments blanked);
    ``original`` is the unblanked text (raw tactic arguments are cut from it)."""
    T = _tables()
    states, rules, by_char, regexes = T.states, T.rules, T.by_char, T.regexes
    builder = _Builder(original)
    fns = [getattr(builder, name) if name else None for name in T.callbacks]
    stack = [T.start[start]]
    values: list = []
    end_state = T.end[start]
    n = len(text)
    i, line, line_start = 0, 1, 0
    ws_match = _WS.match
    prev = prev_acts = None  # for error messages
    while True:
        acts = states[stack[-1]]
        # ---- lex one token, considering only what the parser accepts in this state
        m = ws_match(text, i)
        if m is not None:
            j = m.end()
            nl = text.count("\n", i, j)
            if nl:
                line += nl
                line_start = text.rfind("\n", i, j) + 1
            i = j
        if i >= n:
            tok = _Tok("$END", "", line, i - line_start + 1, i, i)
        else:
            best, best_end = None, i
            for value, name in by_char.get(text[i], ()):
                if name in acts and text.startswith(value, i):
                    best, best_end = name, i + len(value)
                    break
            for name, rx in regexes:
                if name in acts or name == "IDENT":
                    m = rx.match(text, i)
                    if m is not None and m.end() > best_end:
                        best, best_end = name, m.end()
            if best is None:
                raise _error(text, T, acts, _lex_found(text, i, T), i, line,
                             i - line_start + 1, prev, prev_acts, values)
            tok = _Tok(best, text[i:best_end], line, i - line_start + 1, i, best_end)
            i = best_end
        # ---- feed it to the parser
        ttype = tok.type
        while True:
            act = states[stack[-1]].get(ttype)
            if act is None:
                found = "end of input" if ttype == "$END" else f"'{tok.value}'"
                raise _error(text, T, states[stack[-1]], found, tok.start_pos, tok.line,
                             tok.column, prev, prev_acts, values)
            if act >= 0:
                stack.append(act)
                values.append(tok)
                prev, prev_acts = tok, acts
                break
            origin, _, expand1, size, keep = rules[-1 - act]
            if size:
                kids = values[-size:]
                del values[-size:]
                del stack[-size:]
            else:
                kids = []
            children = []
            for k in keep:
                if k >= 0:
                    children.append(kids[k])
                else:
                    children.extend(kids[~k])
            if expand1 and len(children) == 1:
                value = children[0]
            else:
                fn = fns[-1 - act]
                value = fn(children) if fn is not None else children
            stack.append(states[stack[-1]][origin])
            values.append(value)
            if ttype == "$END" and stack[-1] == end_state:
                return value


_FRIENDLY = {"IDENT": "an identifier", "INT": "an integer", "STRING": "a string",
             "SOUP": "text", "BULLET": "a bullet", "SETOPEN": "'{['", "$END": "end of input"}
_OPERATORS = frozenset(_TERM_BINOP) | frozenset(_AOP) | {
    "MAPSTO_VU", "MAPSTO_VA", "MAPSTO_U", "MAPSTO_A", "SPEC_U", "SPEC_A", "SPECV_U",
    "SPECV_A", "EQEQ", "PERCENT",
    "LARROW"}


def _describe_expected(acts, T: _Tables) -> str:
    names = {k for k in acts if k.isupper() or k == "$END"}
    items = []
    if T.first_expr <= names:
        names -= T.first_expr
        items.append("a program")
    starts = names & T.first_formula
    if {"IDENT", "INT", "LPAR"} <= starts:
        items.append("a term or an assertion" if starts == T.first_formula else "a term")
        names -= starts
    ops = [k for k in names if k in _OPERATORS]
    for name in names:
        if name in _OPERATORS:
            continue
        if name in _FRIENDLY:
            items.append(_FRIENDLY[name])
        elif name in T.strings:
            items.append(f"'{T.strings[name]}'")
    if len(ops) == 1:
        items.append(f"'{T.strings[ops[0]]}'")
    elif ops:
        items.append("an operator")
    items = sorted(set(items), key=lambda s: (not s.startswith("'"), s))
    if not items:
        return ""
    if len(items) > 14:
        items = items[:14] + ["..."]
    return "expected " + ("" if len(items) == 1 else "one of ") + ", ".join(items)


def _prev_token(text: str, pos: int):
    """The text of the token before ``pos`` (approximately; used in error messages)."""
    i = pos
    while i > 0 and text[i - 1].isspace():
        i -= 1
    if i == 0:
        return None
    c = text[i - 1]
    j = i - 1
    if c.isalnum() or c in "_'":
        while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "_'"):
            j -= 1
    elif c == '"':
        j = max(text.rfind('"', 0, i - 1), 0)
    elif c not in "()[]{},.;":
        while j > 0 and not (text[j - 1].isspace() or text[j - 1].isalnum()
                             or text[j - 1] in "()[]{},.;\"_'"):
            j -= 1
    return text[j:i]


def _message(text, pos, found, acts, T) -> str:
    msg = f"unexpected {found}"
    prev = _prev_token(text, pos)
    if prev:
        msg += f" after '{prev}'"
    exp = _describe_expected(acts, T)
    return msg + ("; " + exp if exp else "")


def _lex_found(text, i, T) -> str:
    """What to call the unlexable input at ``i``: the longest token of any state, else the
    character."""
    best = ""
    for value, _ in T.by_char.get(text[i], ()):
        if text.startswith(value, i):
            best = value
            break
    for name, rx in T.regexes:
        if name in ("SOUP", "BULLET"):  # catch-alls of tactic scripts: not informative
            continue
        m = rx.match(text, i)
        if m is not None and m.end() - i > len(best):
            best = m.group()
    return f"'{best}'" if best else f"character {text[i]!r}"


_OPENERS = {"LPAR": ")", "LSQB": "]", "LBRACE": "}", "SETOPEN": "]}", "PURE_U": "⌝",
            "PURE_A": "!]", "BIG_U": "]", "BIG_A": "]", "MAPSTO_VU": "]", "MAPSTO_VA": "]",
            "SPECV_U": "]", "SPECV_A": "]"}


def _error(text, T, acts, found, pos, line, col, prev, prev_acts, values) -> _Err:
    """A located, explained syntax error at ``pos`` (found: what is there)."""
    # The contextual lexer split a token the previous state did not accept (`:=` read as
    # `:` then `=`): report the whole token, where it starts.
    if prev is not None and prev.end_pos == pos and prev.type in T.strings:
        for value, _ in T.by_char.get(prev.value[0], ()):
            if len(value) > len(prev.value) and text.startswith(value, prev.start_pos):
                return _Err(_message(text, prev.start_pos, f"'{value}'", prev_acts, T),
                            prev.line, prev.column)
    if found == "end of input":
        for v in reversed(values):
            if type(v) is _Tok and v.type in _OPENERS:
                return _Err(f"'{v.value}' is not closed: the input ends before its "
                            f"'{_OPENERS[v.type]}'", v.line, v.column)
        pos = len(text.rstrip())
        line, col = _line_col(text, pos)
    return _Err(_message(text, pos, found, acts, T), line, col)


_SCAN_CODE = re.compile(r'"|\(\*')
_SCAN_COMMENT = re.compile(r"\(\*|\*\)")
_STRING_BODY = re.compile(r'(?:[^"\\\n]|\\.)*')
_NOT_NEWLINE = re.compile(r"[^\n]")


def _line_col(text: str, i: int):
    line = text.count("\n", 0, i) + 1
    return line, i - (text.rfind("\n", 0, i) + 1) + 1


def _blank_comments(text: str) -> str:
    """Replace each (nested) comment by spaces, keeping newlines, so positions are unchanged;
    report unclosed comments and strings where they start."""
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
                           *_line_col(text, j))
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
                    il, ic = _line_col(text, opens[-1])
                    msg += (f" (comments nest: {len(opens)} are open, the innermost from "
                            f"{il}:{ic})")
                raise _Err(msg, *_line_col(text, opens[0]))
            if m2.group() == "(*":
                opens.append(m2.start())
            else:
                opens.pop()
            k = m2.end()
        out.append(_NOT_NEWLINE.sub(" ", text[j:k]))
        i = k


_CMD_START = re.compile(r"^[ \t]*(Theorem|Lemma|Definition|Predicate|Function|Require|Print)\b",
                        re.M)
_PROOF_OPEN = re.compile(r"\bProof\s*\.")
_PROOF_CLOSE = re.compile(r"\b(Qed|Admitted)\s*\.")


def _missing_qed(blanked: str, err: _Err):
    """If an error happens inside a proof that runs into a new command, say so."""
    lines = blanked.split("\n")
    end = sum(len(s) + 1 for s in lines[:err.line - 1]) + err.col - 1
    head = blanked[:end]
    opens = list(_PROOF_OPEN.finditer(head))
    if not opens:
        return None
    start = opens[-1].end()
    if _PROOF_CLOSE.search(head, start):
        return None
    m = _CMD_START.search(head, start)
    if m is None:
        return None
    line, col = _line_col(blanked, m.start(1))
    return _Err(f"missing 'Qed.' or 'Admitted.' before this {m.group(1)}", line, col)


def _shift(err: _Err, line0: int, col0: int):
    """Map a position in a phrase to its position in the file."""
    line, col = err.line, err.col
    if line == 1:
        col += col0 - 1
    return line + line0 - 1, col


def _run(text: str, start: str, line0: int = 1, col0: int = 1, path: str | None = None):
    """Parse ``text`` from ``start``; every failure becomes a PVSyntaxError whose position is
    shifted so that (1, 1) of ``text`` is (line0, col0)."""
    if text.startswith("\ufeff"):  # a byte-order mark: blank it, keeping columns
        text = " " + text[1:]
    try:
        blanked = _blank_comments(text)
        try:
            return _parse(blanked, start, text)
        except _Err as err:
            if start == "file":
                err = _missing_qed(blanked, err) or err
            raise err
    except _Err as err:
        raise PVSyntaxError(err.message, *_shift(err, line0, col0), path) from None
    except RecursionError:
        raise PVSyntaxError("input nested too deeply", line0, col0, path) from None


# ---------------------------------------------------------------------------------------------
# Public API


def parse_file(text: str, path: str) -> Document:
    """Parse a whole `.pv` file into its commands."""
    return Document(path, tuple(_run(text, "file", path=path)))


# A command starts a line with one of these (resynchronisation after a syntax error).
_COMMAND_START = re.compile(r"(Require|Definition|Predicate|Function|Record|Theorem|Lemma|Spec|"
                            r"Operation|Crash|Initial|Refinement|Print)\b")


def parse_file_recovering(text: str, path: str) -> tuple:
    """``(Document, [PVSyntaxError])``: a syntax error in one command is reported and parsing
    resumes at the next line that starts with a command keyword, so the rest of the file is
    still checked.  Each piece is parsed with the other lines blanked, so positions stay."""
    lines = text.splitlines(keepends=True)
    starts = [i for i, ln in enumerate(lines) if _COMMAND_START.match(ln)]
    errors: list = []

    def piece(lo, hi):
        return "".join(ln if lo <= i < hi else ("\n" if ln.endswith("\n") else "")
                       for i, ln in enumerate(lines))

    def parse_range(lo, hi) -> list:
        out, todo = [], [(lo, hi)]
        while todo:                   # ranges in source order (a stack, pushed reversed)
            lo, hi = todo.pop()
            try:
                out += _run(piece(lo, hi), "file", path=path)
                continue
            except PVSyntaxError as e:
                bad = min(max(e.line - 1, lo), hi - 1)
                inner = [b for b in starts if lo < b <= bad]
                if inner:             # the error is in a later command: split before it
                    todo += [(inner[-1], hi), (lo, inner[-1])]
                    continue
                errors.append(e)      # in the range's first command: skip to the next one
                nxt = min([b for b in starts if b > bad], default=hi)
                if nxt < hi:
                    todo.append((nxt, hi))
        return out

    cmds = parse_range(0, max(len(lines), 1))
    return Document(path, tuple(cmds)), errors


def parse_term(text: str, *, line: int = 1, col: int = 1) -> S.Term:
    """Parse one pure term; ``line``/``col`` give the position of ``text`` in its file."""
    n = _run(text, "formula_phrase", line, col)
    return _elab(lambda: _Elab.term(n), line, col)


def parse_assertion(text: str, avars=frozenset(), *, line: int = 1, col: int = 1) -> S.Assertion:
    """Parse one assertion; names in ``avars`` are assertion variables (iProp parameters)."""
    n = _run(text, "formula_phrase", line, col)
    return _elab(lambda: _Elab.assertion(n, frozenset(avars), frozenset()), line, col)


def parse_expr(text: str, *, line: int = 1, col: int = 1) -> S.Expr:
    """Parse one program of the core language."""
    return _run(text, "expr_phrase", line, col)


def parse_sort(text: str, *, line: int = 1, col: int = 1) -> S.Sort:
    """Parse one sort."""
    return _run(text, "sort_phrase", line, col)


def _elab(thunk, line0, col0):
    try:
        return thunk()
    except _Err as err:
        raise PVSyntaxError(err.message, *_shift(err, line0, col0)) from None
    except RecursionError:
        raise PVSyntaxError("input nested too deeply", line0, col0) from None


if __name__ == "__main__":
    import sys
    if sys.argv[1:] != ["--write-tables"]:
        sys.exit(f"usage: {REGENERATE}")
    write_tables()
    print(f"wrote {TABLES_PATH}")
