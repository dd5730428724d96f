"""The grammar callbacks and the token helpers of seplogic/callbacks.py and seplogic/elab.py
as they were before session 9 (tokens were objects read by attribute; now they are tuples
read by index), kept as part of the reference the runtime is compared with
(tests/parser_reference.py).  Shared with the runtime: the neutral tree `_N`, its
elaboration `_Elab` and the syntax and document classes, which session 9 did not change."""
from __future__ import annotations

import re

from seplogic import syntax as S
from seplogic.document import (Bullet, CrashDef, CrashTheoremDef, Definition, FunctionDef,
                               InitDef, OperationDef, PredicateDef, PrintAssumptions, PrintDef,
                               Pos, Proof, RecordDef, RefinementDef, Require, SpecDef, TacArg,
                               TacFirst, TacRepeat, TacThen, TacTry, Tactic, TheoremDef)
from seplogic.elab import RESERVED, _Elab, _Err, _Mask, _N, _PROG_BINOP


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



class RefBuilder:
    """The grammar callbacks as they were (tokens read by attribute)."""

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
