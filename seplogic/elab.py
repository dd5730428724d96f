"""Parser, part 1: syntax errors, the neutral formula tree the grammar callbacks build, and
its elaboration (`_Elab`) into a `Term` or an `Assertion` by the position it occurs in
(seplogic/parser.py has the whole picture)."""
from __future__ import annotations

import re

from . import syntax as S
from .document import Pos


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
    return x[2], x[3]


def _check_name(tok) -> str:
    name = tok[1]
    if name in RESERVED:
        raise _Err(f"'{name}' is a keyword and cannot be used as a name", tok[2], tok[3])
    return name


_ESC = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r"}
_U_ESC = re.compile(r"u\{([0-9a-fA-F]{1,6})\}")
_SURROGATE = re.compile("[\ud800-\udfff]")     # the code points `_surrogate` accepts


def _decode_string(tok) -> str:
    body = tok[1][1:-1]
    if "\\" not in body and _SURROGATE.search(body) is None:
        return body
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if _surrogate(ord(c)):
            raise _Err("a lone surrogate is not a Unicode character", tok[2],
                       tok[3] + 1 + i)
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
                           tok[2], tok[3] + 1 + i)
            out.append(chr(int(m.group(1), 16)))
            i = m.end()
            continue
        raise _Err(f"unknown escape sequence '\\{e}' in string (use \\\\ \\\" \\n \\t \\r "
                   "or \\u{hex})", tok[2], tok[3] + 1 + i)
    return "".join(out)


def _surrogate(code: int) -> bool:
    return 0xD800 <= code <= 0xDFFF


def _mk_sort(tok, args) -> S.Sort:
    name = tok[1]
    arity = S.sort_arity(name)    # (a user record / state type is capitalised)
    if arity is None:
        raise _Err(f"unknown sort '{name}' (built-in sorts: {', '.join(S.BASE_SORTS)}; "
                   f"constructors: {', '.join(S.SORT_CONSTRUCTORS)}; user types are "
                   "capitalised)", tok[2], tok[3])
    if len(args) != arity:
        raise _Err(f"sort {name} takes {_args(arity)}, got {len(args)}", tok[2], tok[3])
    return S.Sort(name, tuple(args))


def _args(k: int) -> str:
    return f"{k} argument" + ("" if k == 1 else "s")


def _arity(name, expected, got, line, col, what="operator"):
    if expected is not None and got != expected:
        raise _Err(f"{what} {name} takes {_args(expected)}, got {got}", line, col)


def _pos(tok) -> Pos:
    return Pos(tok[2], tok[3])


def _params(binders):
    """Flatten binder groups into ((name, Sort), ...), rejecting duplicates."""
    out, seen = [], set()
    for group in binders:
        for tok, sort in group:
            name = _check_name(tok)
            if name in seen:
                raise _Err(f"parameter '{name}' is declared twice", tok[2], tok[3])
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
