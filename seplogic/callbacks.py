"""Parser, part 2: the grammar callbacks (`_Builder`, one per rule or alias of grammar.lark)
that build commands, programs, sorts and neutral formula trees (seplogic/parser.py).

A token is a tuple ``(type, value, line, column, start, end)`` (seplogic/lalr.py makes
~19,000 for proofs/, and a tuple is the cheapest thing to make): ``tok[0]`` its terminal,
``tok[1]`` its text, ``tok[2], tok[3]`` its 1-based position, ``tok[4]:tok[5]`` its span."""
from __future__ import annotations


from . import syntax as S
from .document import (Bullet, CrashDef, CrashTheoremDef, Definition, FunctionDef, InitDef,
                       OperationDef, PredicateDef, PrintAssumptions, PrintDef, Proof, RecordDef,
                       RefinementDef, Require, SpecDef, TacArg, TacFirst, TacRepeat, TacThen,
                       TacTry, Tactic, TheoremDef)
from .elab import (_Elab, _Err, _Mask, _N, _PROG_BINOP, _arity, _at, _check_name, _decode_string,
                   _mk_sort, _params, _pos)


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
                raise _Err(f"parameter '{nm}' is declared twice", tok[2], tok[3])
            seen.add(nm)
            names.append(nm)
        return FunctionDef(_check_name(c[1]), tuple(names), c[-2], _pos(c[0]))

    def field_decl(self, c):
        return (_check_name(c[0]), c[-1])

    def record(self, c):
        fields = tuple(c[2:-1])            # (between the name and the DOT)
        names = [n for n, _ in fields]
        if len(set(names)) != len(names):
            raise _Err("a field is declared twice", c[0][2], c[0][3])
        return RecordDef(_check_name(c[1]), fields, _pos(c[0]))

    def theorem(self, c):
        proof = c[-1] if isinstance(c[-1], Proof) else None
        end = len(c) - (1 if proof else 0)
        params = _params(c[2:end - 2])
        avars = frozenset(n for n, s in params if s == S.IPROP)
        stmt = _Elab.assertion(c[end - 2], avars, frozenset())
        return TheoremDef(_check_name(c[1]), params, stmt, proof, _pos(c[0]), c[0][1])

    def crash_theorem(self, c):
        proof = c[-1] if isinstance(c[-1], Proof) else None
        end = len(c) - (1 if proof else 0)
        # ... ":" lhs ARROW version rhs DOT
        lhs_i = next(i for i, x in enumerate(c)
                     if type(x) is tuple and x[0] in ("CRASH_U", "CRASH_A")) - 1
        params = _params(c[2:lhs_i])
        avars = frozenset(n for n, s in params if s == S.IPROP)
        if avars:
            raise _Err("a crash theorem cannot have iProp parameters", c[0][2], c[0][3])
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
        return PrintDef(c[1][1], _pos(c[0]))

    def ref_item(self, c):
        if len(c) == 2:
            return (c[0][1], c[1][1])
        if c[0][1] != "proof":
            raise _Err("expected 'proof KEY := theorem'", c[0][2], c[0][3])
        return (("proof", c[1][1]), c[2][1])

    def refinement(self, c):
        items = tuple(c[3:-1])             # (between the spec's name and the DOT)
        return RefinementDef(_check_name(c[1]), c[2][1], items, _pos(c[0]))

    def print_assumptions(self, c):
        return PrintAssumptions(c[2][1], _pos(c[0]))

    # ---- proofs ---------------------------------------------------------------------------
    def proof(self, c):
        return Proof(tuple(c[2:-2]), c[-2][1], _pos(c[0]), _pos(c[-2]))

    def proof_admitted(self, c):
        return Proof((), "Admitted", _pos(c[0]), _pos(c[0]))

    def tac_sentence(self, c):
        return c[0]

    def bullet(self, c):
        return Bullet(c[0][1], _pos(c[0]))

    def tac_then(self, c):
        return TacThen(c[0], c[1], c[0].pos)

    def tac_try(self, c):
        return TacTry(c[1], _pos(c[0]))

    def tac_repeat(self, c):
        return TacRepeat(c[1], _pos(c[0]))

    def tac_first(self, c):
        return TacFirst(tuple(c[1:]), _pos(c[0]))

    def tactic(self, c):
        return Tactic(c[0][1], tuple(c[1:]), _pos(c[0]))

    def targ_ident(self, c):
        return TacArg("ident", c[0][1], _pos(c[0]))

    def targ_string(self, c):
        return TacArg("string", _decode_string(c[0]), _pos(c[0]))

    def targ_int(self, c):
        return TacArg("int", int(c[0][1]), _pos(c[0]))

    def targ_syntax(self, c):
        # pos is that of the `(`, like any argument's; the raw text starts one column later
        lpar, rpar = c[0], c[-1]
        return TacArg("syntax", self.text[lpar[5]:rpar[4]], _pos(lpar))

    # ---- sorts ----------------------------------------------------------------------------
    def sort_prod(self, c):
        return S.Sort("prod", (c[0], c[2]))

    def sort_app(self, c):
        return _mk_sort(c[0], c[1:])

    def sort_name(self, c):
        return _mk_sort(c[0], ())

    # ---- formulas -------------------------------------------------------------------------
    def quant(self, c):
        kind = "exists" if c[0][0] in ("EXISTS_U", "EXISTS_A") else "forall"
        binders = []
        for group in c[1:-1]:
            for tok, sort in group:
                binders.append((_check_name(tok), sort))
        return _N("quant", c[0][2], c[0][3], kind, binders, c[-1])

    def qbinder(self, c):
        if len(c) == 1:
            return [(c[0], S.VAL)]
        return [(tok, c[-1]) for tok in c[1:-1]]

    def bigsep(self, c):
        names = [_check_name(t) for t in c[2:-2] if t[0] == "IDENT"]      # (all tokens)
        kind = "set" if c[1][0] == "SET_KW" else "map"
        return _N("bigsep", c[0][2], c[0][3], kind, names, c[-2], c[-1])

    def f_if(self, c):
        return _N("if", c[0][2], c[0][3], c[1], c[3], c[5])

    def aop(self, c):
        return _N("aop", *_at(c[0]), c[1][0], c[0], c[2])

    def box(self, c):
        return _N("box", c[0][2], c[0][3], c[1])

    def pointsto(self, c):
        return _N("pointsto", *_at(c[0]), c[0], c[2], c[3])

    def mapsto(self, c):
        return _N("mapsto", *_at(c[0]), c[0], c[2])

    def spec(self, c):
        return _N("spec", *_at(c[0]), c[0], c[2], c[3])

    def spec_noera(self, c):
        return _N("spec_noera", c[1][2], c[1][3])

    def spec_state(self, c):
        return _N("spec_state", c[2][2], c[2][3], c[2][1], c[1])

    def spec_state_noera(self, c):
        return _N("spec_state", c[1][2], c[1][3], c[1][1], None)

    def binop(self, c):
        return _N("binop", *_at(c[0]), c[1][0], c[0], c[2])

    def not_(self, c):
        return _N("not", c[0][2], c[0][3], c[1])

    def neg(self, c):
        return _N("neg", c[0][2], c[0][3], c[1])

    def lookup(self, c):
        return _N("lookup", *_at(c[0]), c[0], c[1])

    def insert(self, c):
        return _N("insert", *_at(c[0]), c[0], c[1], c[2])

    def call(self, c):
        return _N("call", *_at(c[0]), c[0], c[1:])

    def arg(self, c):
        return (c[0], c[1] if len(c) > 1 else None)

    def ident(self, c):
        return _N("ident", c[0][2], c[0][3], c[0][1])

    def int_lit(self, c):
        return _N("int", c[0][2], c[0][3], int(c[0][1]))

    def str_lit(self, c):
        return _N("str", c[0][2], c[0][3], _decode_string(c[0]))

    def bool_lit(self, c):
        return _N("bool", c[0][2], c[0][3], c[0][0] == "TRUE")

    def const_assertion(self, c):
        return _N("aconst", c[0][2], c[0][3], c[0][1])

    def unit_lit(self, c):
        return _N("unit", c[0][2], c[0][3])

    def paren(self, c):
        return _N("paren", c[0][2], c[0][3], c[1])

    def pair(self, c):
        return _N("pair", c[0][2], c[0][3], c[1], c[2])

    def list_lit(self, c):
        return _N("list", c[0][2], c[0][3], c[1:])

    def set_lit(self, c):
        return _N("set", c[0][2], c[0][3], c[1:])

    def empty_set(self, c):
        return _N("set", c[0][2], c[0][3], ())

    def pure(self, c):
        return _N("pure", c[0][2], c[0][3], c[1])

    def wp(self, c):
        # children: WP ver [mask] expr post
        opened = c[2] if isinstance(c[2], _Mask) else ()
        var, post = c[-1]
        return _N("wp", c[0][2], c[0][3], c[1], tuple(opened), c[-2], var, post)

    def triple(self, c):
        # children: LBRACE pre expr post ver [mask]
        opened = c[5] if len(c) > 5 else ()
        var, post = c[3]
        return _N("triple", c[0][2], c[0][3], c[1], c[2], var, post, c[4], tuple(opened))

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
        return S.Prim(_PROG_BINOP[c[1][0]], (c[0], c[2]))

    def p_load(self, c):
        return S.Prim("load", (c[1],))

    def p_not(self, c):
        return S.Prim("not", (c[1],))

    def p_call(self, c):
        tok, args = c[0], tuple(c[1:])
        name = tok[1]
        if name == "Some":
            name = "some"
        if name in S.PRIM_OPS:
            _arity(name, S.PRIM_OPS[name], len(args), tok[2], tok[3], "primitive")
            return S.Prim(name, args)
        return S.Call(_check_name(tok), args)

    def p_int(self, c):
        return S.Val(S.Lit("int", int(c[0][1])))

    def p_str(self, c):
        return S.Val(S.Lit("string", _decode_string(c[0])))

    def p_bool(self, c):
        return S.Val(S.TRUE if c[0][0] == "TRUE" else S.FALSE)

    def p_unit(self, c):
        return S.Val(S.UNIT_LIT)

    def p_hash_var(self, c):
        return S.Val(S.Var(_check_name(c[1])))

    def p_hash_term(self, c):
        return S.Val(_Elab.term(c[1]))

    def p_var(self, c):
        name = c[0][1]
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
