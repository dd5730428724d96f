"""Statements, translated in continuation-passing style (the scheme is in translate.py's
docstring): blocks, if, loops, declarations, assignments and the places they assign to."""
from __future__ import annotations

from typing import Callable

from seplogic.syntax import Call, EVar, Fork, If, Let, Loop, Prim, Val

from . import gotypes as T
from .nodes import (_escapes, _field, _fields, _is_blank, _kids, _never_falls, _op, _stmts, _text,
    _unparen, UNSUPPORTED_NODES)
from .package import Var
from .terms import (brk, CONTINUE_V, FALSE_V, fst, pair, _proj, seq, _seq_all, snd, TRUE_V, _tuple,
    _tuple_proj, UNIT_V, _upd, _value_like, vint)


class _K:
    """What the jumps mean where a statement list ends: falling off the end (``fall``), ``return``
    (``ret`` maps the returned value to an expression), ``break`` and ``continue`` (None outside
    a loop).  ``level`` is ``func``, ``loop`` or ``join``."""
    __slots__ = ("fall", "ret", "brk", "cont", "level")

    def __init__(self, fall, ret: Callable, brk, cont, level):
        self.fall, self.ret, self.brk, self.cont, self.level = fall, ret, brk, cont, level

    def unit(self):
        return _K(UNIT_V, self.ret, self.brk, self.cont, self.level)


class _Vals:
    """Values for an assignment or a declaration: ``items`` [(expr, type)] refer to
    temporaries that ``wrap`` binds, in evaluation order, around the code using them."""

    def __init__(self, items, binds=()):
        self.items, self.binds = list(items), list(binds)

    def wrap(self, body):
        for name, e in reversed(self.binds):
            body = Let(name, e, body)
        return body


class _LV:
    """An assignable place: ``binds`` evaluate its operands (the slice and the index, the
    pointer, ...) once, before the right-hand side; ``read()`` / ``write(v)`` then use them."""

    def __init__(self, typ, binds, read, write):
        self.type, self.binds, self.read, self.write = typ, binds, read, write


class Statements:
    """The statement half of `FuncTranslator`."""

    # ---- statements ----------------------------------------------------------------------------

    def block_node(self, node, k):
        self.push()
        try:
            return self.block(_stmts(node), k)
        finally:
            self.pop()

    def block(self, stmts, k):
        if not stmts:
            return k.fall
        s, rest = stmts[0], stmts[1:]
        t = s.type
        if t == "return_statement":
            return k.ret(self.return_value(s))
        if t in ("break_statement", "continue_statement"):
            if _kids(s):
                self.unsupported(s, "label")
            j = k.brk if t == "break_statement" else k.cont
            if j is None:
                self.error(s, f"{t.split('_')[0]} is not in a loop")
            return j
        if t == "short_var_declaration":
            return self.short_var_decl(s, lambda: self.block(rest, k))
        if t == "var_declaration":
            return self.var_decl(s, lambda: self.block(rest, k))
        if t == "const_declaration":
            consts, order = {}, []
            self.tr.const_decl(s, consts, order, self)
            for name, cv in consts.items():
                if name in self.scopes[-1]:
                    self.error(s, f"{name} redeclared in this block")
                self.scopes[-1][name] = ("const", cv)
            return self.block(rest, k)
        if t == "type_declaration":
            self.unsupported(s, "local type declaration")
        if t in ("if_statement", "for_statement", "block"):
            return self.compound(s, rest, k)
        if t in UNSUPPORTED_NODES:
            self.unsupported(s, UNSUPPORTED_NODES[t])
        return seq(self.simple_stmt(s), self.block(rest, k))

    def compound(self, s, rest, k):
        """A compound statement ``s`` followed by the statements ``rest``."""
        if _never_falls(s):
            return self.stmt_compound(s, k)   # (statements after one that never falls: dead)
        esc = _escapes(s)
        if not rest:
            if esc or k.fall == UNIT_V:
                return self.stmt_compound(s, k)
            return seq(self.stmt_compound(s, k.unit()), k.fall)
        if not esc:
            return seq(self.stmt_compound(s, k.unit()), self.block(rest, k))
        if s.type == "for_statement":
            return self.loop(s, k, rest)
        if s.type == "if_statement" and _field(s, "initializer") is None:
            cons, alt = _field(s, "consequence"), _field(s, "alternative")
            if _never_falls(cons):
                cond = self.cond(_field(s, "condition"))
                then = self.block_node(cons, k)
                return If(cond, then, self.compound(alt, rest, k) if alt is not None
                          else self.block(rest, k))
            if alt is not None and _never_falls(alt):
                cond = self.cond(_field(s, "condition"))
                return If(cond, self.compound(cons, rest, k), self.stmt_compound(alt, k))
        return self.join(s, rest, k, esc)

    def join(self, s, rest, k, esc):
        """``s`` evaluates to (0, ()) on falling through, (1, v) on ``return v``, (2, ()) on
        ``break``, (3, ()) on ``continue``; the code after it dispatches on the tag."""
        j = self.fresh("j")
        kj = _K(pair(vint(0), UNIT_V), lambda e: pair(vint(1), e),
                pair(vint(2), UNIT_V) if k.brk is not None else None,
                pair(vint(3), UNIT_V) if k.cont is not None else None, "join")
        body = self.stmt_compound(s, kj)
        tag = fst(EVar(j))
        exits = []
        if "ret" in esc:
            exits.append((1, k.ret(snd(EVar(j)))))
        if "brk" in esc:
            exits.append((2, k.brk))
        if "cont" in esc:
            exits.append((3, k.cont))
        disp = exits[-1][1]
        for n, e in reversed(exits[:-1]):
            disp = If(Prim("eq", (tag, vint(n))), e, disp)
        return Let(j, body, If(Prim("eq", (tag, vint(0))), self.block(rest, k), disp))

    def stmt_compound(self, s, k):
        t = s.type
        if t == "block":
            return self.block_node(s, k)
        if t == "for_statement":
            return self.loop(s, k, None)
        init = _field(s, "initializer")
        if init is not None:
            self.push()
            try:
                return self.simple_or_decl(init, lambda: self.if_rest(s, k))
            finally:
                self.pop()
        return self.if_rest(s, k)

    def if_rest(self, s, k):
        cond = self.cond(_field(s, "condition"))
        then = self.block_node(_field(s, "consequence"), k)
        alt = _field(s, "alternative")
        return If(cond, then, self.stmt_compound(alt, k) if alt is not None else k.fall)

    def simple_or_decl(self, s, thunk):
        if s.type == "short_var_declaration":
            return self.short_var_decl(s, thunk)
        return seq(self.simple_stmt(s), thunk())

    def cond(self, node):
        e, typ = self.expr(node)
        if T.same_kind(typ) != "bool":
            self.error(node, f"non-boolean condition (type {typ})")
        return e

    def return_value(self, s):
        vals = _kids(s)
        if vals and vals[0].type == "expression_list":
            vals = _kids(vals[0])
        results = self.results
        if not vals:
            for v in self.named_results:
                if self.lookup(v.go) is not v:     # shadowed: Go refuses the bare return
                    self.error(s, f"result parameter {v.go} not in scope at return")
            if self.named_results:
                return _tuple([self.read_var(v) for v in self.named_results])
            if results:
                self.error(s, "not enough return values")
            return UNIT_V
        if len(vals) == 1 and len(results) > 1:
            e, typ = self.expr(vals[0])
            if not isinstance(typ, T.TupleT) or len(typ.elems) != len(results):
                self.error(s, f"not enough return values (want {len(results)})")
            return e
        if len(vals) != len(results):
            self.error(s, f"{'too many' if len(vals) > len(results) else 'not enough'} return "
                       f"values (have {len(vals)}, want {len(results)})")
        return _tuple([self.expr_as(v, typ) for v, (_, typ, _) in zip(vals, results)])

    # ---- loops ---------------------------------------------------------------------------------

    def loop(self, s, k, rest):
        """The ``for`` statement ``s`` followed by ``rest`` (None: ``s`` is last and completes
        with ``k.fall``)."""
        if "ret" not in _escapes(s):
            loop_e = self.loop_expr(s, brk(UNIT_V), None)
            tail = self.block(rest, k) if rest is not None else k.fall
            return loop_e if tail == UNIT_V else Let("_", loop_e, tail)
        if rest is None and k.level in ("func", "join") and _value_like(k.fall):
            # the loop's result is the function's (or the join's): break with it directly
            return self.loop_expr(s, brk(k.fall), lambda e: brk(k.ret(e)))
        loop_e = self.loop_expr(s, brk(pair(FALSE_V, UNIT_V)), lambda e: brk(pair(TRUE_V, e)))
        r = self.fresh("r")
        tail = self.block(rest, k) if rest is not None else k.fall
        return Let(r, loop_e, If(fst(EVar(r)), k.ret(snd(EVar(r))), tail))

    def loop_expr(self, s, enc_brk, enc_ret):
        body_node = _field(s, "body")
        clause = next((c for c in _kids(s) if c.id != body_node.id), None)

        def kb(post=None):
            nxt = seq(post, CONTINUE_V) if post is not None else CONTINUE_V
            return _K(nxt, enc_ret, enc_brk, nxt, "loop")

        if clause is None:                                     # for { }
            return Loop(self.block_node(body_node, kb()))
        if clause.type == "range_clause":
            return self.range_loop(clause, body_node, kb(), enc_brk)
        if clause.type != "for_clause":                        # for cond { }
            return Loop(If(self.cond(clause), self.block_node(body_node, kb()), enc_brk))
        init = _field(clause, "initializer")
        cond = _field(clause, "condition")
        upd = _field(clause, "update")
        self.push()
        try:
            def rest():
                c = self.cond(cond) if cond is not None else None
                post = self.simple_stmt(upd) if upd is not None else None
                body = self.block_node(body_node, kb(post))
                return Loop(If(c, body, enc_brk) if c is not None else body)
            if init is not None:
                if init.type == "short_var_declaration":
                    return self.short_var_decl(init, rest)
                return seq(self.simple_stmt(init), rest())
            return rest()
        finally:
            self.pop()

    def range_loop(self, clause, body_node, kb, enc_brk):
        left = _field(clause, "left")
        right = _field(clause, "right")
        names = _kids(left) if left is not None else []
        define = any(c.type == ":=" for c in clause.children)
        if len(names) > 2:
            self.error(clause, "range has at most two iteration variables")
        coll, ctype = self.expr(right)
        kind = T.same_kind(ctype)
        if kind not in ("slice", "map"):
            what = "a string" if kind == "string" else \
                "an integer" if kind == "int" else f"a value of type {ctype}"
            self.unsupported(right, f"range over {what}")
        key_n = names[0] if names and _text(names[0]) != "_" else None
        val_n = names[1] if len(names) > 1 and _text(names[1]) != "_" else None
        idx = self.fresh("i")
        cur = Prim("load", (EVar(idx),))
        step = Prim("store", (EVar(idx), Prim("add", (cur, vint(1)))))
        body = lambda: self.block_node(body_node, kb)  # noqa: E731

        def iter_var(node, typ, value, rest_fn):
            """Bind (``:=``) or assign (``=``) an iteration variable, then ``rest_fn(expr)``
            with an expression for its value."""
            if node is None:
                return self.tmp("k", value, rest_fn)
            if define:
                var = self.new_var(_text(node), typ, node, allow_int=True)
                if var.mutable:
                    return self.tmp("k", value, lambda kv: Let(
                        var.pv, Prim("ref", (kv,)), rest_fn(kv)))
                return Let(var.pv, value, rest_fn(EVar(var.pv)))
            return self.tmp("k", value, lambda kv: seq(self.assign_value(node, kv, typ),
                                                       rest_fn(kv)))

        self.push()
        try:
            if kind == "slice":
                def with_slice(c):
                    def after_key(kv):
                        if val_n is None:
                            return seq(step, body())
                        return seq(step, iter_var(val_n, ctype.elem, Prim("slice_get", (c, kv)),
                                                  lambda _: body()))
                    it = iter_var(key_n, T.INT, cur, after_key)
                    test = Prim("lt", (cur, Prim("slice_len", (c,))))
                    return Let(idx, Prim("ref", (vint(0),)), Loop(If(test, it, enc_brk)))
                return self.tmp("s", coll, with_slice)

            def with_map(m):
                ks = self.fresh("keys")

                def after_key(kv):
                    look = Prim("map_get", (m, kv))
                    if val_n is None:
                        return seq(step, If(snd(look), body(), CONTINUE_V))
                    e = self.fresh("e")
                    present = iter_var(val_n, ctype.val, fst(EVar(e)), lambda _: body())
                    return seq(step, Let(e, look, If(snd(EVar(e)), present, CONTINUE_V)))
                it = iter_var(key_n, T.UINT64, Prim("slice_get", (EVar(ks), cur)), after_key)
                test = Prim("lt", (cur, Prim("slice_len", (EVar(ks),))))
                return Let(ks, Prim("map_keys", (m,)),
                           Let(idx, Prim("ref", (vint(0),)), Loop(If(test, it, enc_brk))))
            return self.tmp("m", coll, with_map)
        finally:
            self.pop()

    # ---- simple statements ---------------------------------------------------------------------

    def simple_stmt(self, s):
        t = s.type
        if t == "expression_statement":
            node = _unparen(_kids(s)[0])
            if node.type != "call_expression":
                if node.type in UNSUPPORTED_NODES:
                    self.unsupported(node, UNSUPPORTED_NODES[node.type])
                if node.type == "unary_expression" and _op(node) == "<-":
                    self.unsupported(node, "channel")
                self.error(node, "expression statement is not a call")
            e, typ = self.expr(node)
            if self.value_only(node):
                self.error(_kids(s)[0], f"{_text(_kids(s)[0])} (value of type {typ}) is not used")
            return e
        if t in ("inc_statement", "dec_statement"):
            return self.update(_kids(s)[0], "+" if t == "inc_statement" else "-", None, s)
        if t == "assignment_statement":
            return self.assignment(s)
        if t == "go_statement":
            return self.go_stmt(s)
        if t in UNSUPPORTED_NODES:
            self.unsupported(s, UNSUPPORTED_NODES[t])
        self.unsupported(s, f"this statement ({t.replace('_', ' ')})")

    def go_stmt(self, s):
        call = _unparen(_kids(s)[0])
        if call.type != "call_expression":
            self.error(s, "go needs a function call")
        fn = _unparen(_field(call, "function"))
        if fn.type in UNSUPPORTED_NODES:
            self.unsupported(fn, UNSUPPORTED_NODES[fn.type])
        e, typ = self.expr(call)
        if self.value_only(call):
            self.error(call, f"go discards result of {_text(call)} (value of type {typ})")
        if type(e) not in (Call, Prim):
            self.error(s, "go needs a function call")
        # Go evaluates the arguments in the current goroutine, then starts the call
        binds = []
        args = [self.tmp_bind("a", a, binds) for a in e.args]
        inner = Call(e.func, tuple(args)) if type(e) is Call else Prim(e.op, tuple(args))
        return _Vals([], binds).wrap(Fork(inner))

    def short_var_decl(self, s, thunk):
        lefts = _kids(_field(s, "left"))
        rights = _kids(_field(s, "right"))
        for i, n in enumerate(lefts):
            if n.type != "identifier":
                self.error(n, "non-name on the left side of :=")
            if _text(n) != "_" and any(_text(m) == _text(n) for m in lefts[:i]):
                self.error(n, f"{_text(n)} repeated on left side of :=")
        if not any(_text(n) != "_" and not isinstance(self.scopes[-1].get(_text(n)), Var)
                   for n in lefts):
            self.error(s, "no new variables on the left side of :=")
        vals = self.rhs_values(s, len(lefts), rights, [None] * len(lefts))

        def define(i):
            if i == len(lefts):
                return thunk()
            n, (e, typ) = lefts[i], vals.items[i]
            name = _text(n)
            old = self.scopes[-1].get(name)
            if name != "_" and isinstance(old, Var):       # redeclaration: an assignment
                return seq(self.write_var(old, e), define(i + 1))
            return self.bind(name, n, self.decl_type(n, typ), e, lambda: define(i + 1))
        return vals.wrap(define(0))

    def var_decl(self, s, thunk):
        specs = []
        for c in _kids(s):
            specs += _kids(c) if c.type == "var_spec_list" else [c]

        def go(i):
            if i == len(specs):
                return thunk()
            spec = specs[i]
            names = _fields(spec, "name")
            tnode = _field(spec, "type")
            vnode = _field(spec, "value")
            typ = self.tr.type_of(tnode) if tnode is not None else None
            if vnode is None:
                vals = _Vals([(self.zero(typ, spec), typ)] * len(names))
            else:
                vals = self.rhs_values(spec, len(names), _kids(vnode), [typ] * len(names))

            def define(j):
                if j == len(names):
                    return go(i + 1)
                n, (e, et) = names[j], vals.items[j]
                return self.bind(_text(n), n, typ or self.decl_type(n, et), e,
                                 lambda: define(j + 1))
            return vals.wrap(define(0))
        return go(0)

    def decl_type(self, node, typ):
        if typ == T.UNTYPED_NIL:
            self.error(node, "use of untyped nil in a variable declaration")
        if isinstance(typ, T.TupleT):
            self.error(node, "multiple-value expression in single-value context")
        return T.default_type(typ)

    def rhs_values(self, s, nl, rights, want):
        """The values of the right side for ``nl`` names or places.  With several values they
        are bound to temporaries first (Go evaluates the whole right side before assigning)."""
        if len(rights) == 1 and nl > 1:
            r = _unparen(rights[0])
            if r.type == "index_expression":           # v, ok := m[k]
                coll, ctype = self.expr(_field(r, "operand"))
                if not isinstance(ctype, T.MapT):
                    self.error(s, f"assignment mismatch: {nl} variables but 1 value")
                key = self.expr_as(_field(r, "index"), ctype.key)
                e, types = Prim("map_get", (coll, key)), (ctype.val, T.BOOL)
            elif r.type == "type_assertion_expression":
                self.unsupported(r, "type assertion")
            elif r.type == "unary_expression" and _op(r) == "<-":
                self.unsupported(r, "channel")
            else:
                e, typ = self.expr(r)
                n = len(typ.elems) if isinstance(typ, T.TupleT) else 1
                if n != nl:
                    self.error(s, f"assignment mismatch: {nl} variables but {n} value"
                               f"{'s' if n != 1 else ''}")
                types = typ.elems
            if nl != len(types):
                self.error(s, f"assignment mismatch: {nl} variables but {len(types)} values")
            t = self.fresh("r")
            return _Vals([(_tuple_proj(EVar(t), nl, i), types[i]) for i in range(nl)],
                         [(t, e)])
        if len(rights) != nl:
            self.error(s, f"assignment mismatch: {nl} variable{'s' if nl != 1 else ''} but "
                       f"{len(rights)} value{'s' if len(rights) != 1 else ''}")
        items = []
        for r, w in zip(rights, want):
            if w is not None:
                items.append((self.expr_as(r, w), w))
            else:
                e, typ = self.expr(r)
                if isinstance(typ, T.TupleT):
                    self.error(r, "multiple-value expression in single-value context")
                items.append((e, typ))
        if nl == 1:
            return _Vals(items)
        binds = []
        items = [(e if type(e) is Val else self.tmp_bind("t", e, binds), typ)
                 for e, typ in items]
        return _Vals(items, binds)

    def assignment(self, s):
        o = _op(s)
        lefts = _kids(_field(s, "left"))
        rights = _kids(_field(s, "right"))
        if o == "=":
            lvs = [None if _is_blank(n) else self.lvalue(n, twice=len(lefts) > 1)
                   for n in lefts]
            if len(lefts) == 1 and len(rights) == 1:
                if lvs[0] is None:
                    e, _ = self.expr(rights[0])
                    return e
                lv = lvs[0]
                return _Vals([], lv.binds).wrap(lv.write(self.expr_as(rights[0], lv.type)))
            binds = [b for lv in lvs if lv is not None for b in lv.binds]
            vals = self.rhs_values(s, len(lefts), rights,
                                   [lv.type if lv is not None else None for lv in lvs])
            writes = [lv.write(e) for lv, (e, _) in zip(lvs, vals.items) if lv is not None]
            # blank targets still evaluate their values (already bound by rhs_values)
            return _Vals([], binds).wrap(vals.wrap(_seq_all(writes)))
        if o in ("+=", "-=", "*=", "/=", "%="):
            if len(lefts) != 1 or len(rights) != 1:
                self.error(s, f"{o} needs one operand on each side")
            return self.update(lefts[0], o[0], rights[0], s)
        self.unsupported(s, f"the assignment operator {o}")

    def update(self, target, op, rnode, s):
        """``target op= r`` (``rnode`` None: ``++`` / ``--``)."""
        lv = self.lvalue(target, twice=True)
        if T.same_kind(lv.type) == "string" and op == "+" and rnode is not None:
            new = Prim("string_concat", (lv.read(), self.expr_as(rnode, lv.type)))
        elif lv.type in (T.UINT64, T.BYTE):
            r = vint(1) if rnode is None else self.expr_as(rnode, lv.type)
            if op in "/%" and r == vint(0):
                self.error(rnode, "invalid operation: division by zero")
            new = self.arith(op, lv.read(), r, lv.type)
        else:
            self.error(s, f"arithmetic on a value of type {lv.type} is not supported")
        return _Vals([], lv.binds).wrap(lv.write(new))

    def assign_value(self, target, value, typ):
        """Assign an already translated value of type ``typ`` (range loops with ``=``)."""
        if _is_blank(target):
            return value
        lv = self.lvalue(target)
        if not T.assignable(typ, lv.type):
            self.error(target, f"cannot use {_text(target)} (value of type {typ}) as type "
                       f"{lv.type} in assignment")
        return _Vals([], lv.binds).wrap(lv.write(value))

    # ---- lvalues -------------------------------------------------------------------------------

    def lvalue(self, target, twice=False):
        """The place ``target``.  With ``twice`` (a compound or multiple assignment) its
        operands are bound to temporaries, evaluated once and before the right side."""
        target = _unparen(target)

        def hold(base, e, binds):
            return self.tmp_bind(base, e, binds) if twice else e
        t = target.type
        if t == "identifier":
            name = _text(target)
            var = self.lookup(name)
            if not isinstance(var, Var):
                if isinstance(var, tuple) or name in self.tr.pkg.consts:
                    self.error(target, f"cannot assign to constant {name}")
                self.error(target, f"undefined: {name}")
            return _LV(var.type, [], lambda: self.read_var(var),
                       lambda v: self.write_var(var, v))
        if t == "index_expression":
            coll, ctype = self.expr(_field(target, "operand"))
            kind = T.same_kind(ctype)
            binds = []
            if kind == "slice":
                c = hold("s", coll, binds)
                i = hold("i", self.index_expr(_field(target, "index")), binds)
                return _LV(ctype.elem, binds, lambda: Prim("slice_get", (c, i)),
                           lambda v: Prim("slice_set", (c, i, v)))
            if kind == "map":
                c = hold("m", coll, binds)
                kk = hold("k", self.expr_as(_field(target, "index"), ctype.key), binds)
                return _LV(ctype.val, binds, lambda: fst(Prim("map_get", (c, kk))),
                           lambda v: Prim("map_insert", (c, kk, v)))
            if kind == "string":
                self.error(target, "cannot assign to a byte of a string (strings are immutable)")
            self.error(target, f"cannot index a value of type {ctype}")
        if t == "selector_expression":
            base = _unparen(_field(target, "operand"))
            fname = _text(_field(target, "field"))
            if base.type == "identifier" and self.lookup(_text(base)) is None and \
                    _text(base) in self.tr.imports:
                self.error(target, f"cannot assign to {_text(target)}")
            bexpr, btype = self.expr(base)
            if isinstance(btype, T.PtrT) and isinstance(btype.elem, T.StructT):
                st = btype.elem
                i = self.field_index(st, fname, target)
                binds = []
                p = self.tmp_bind("p", bexpr, binds)

                def write(v):
                    return self.tmp("v", v, lambda vv: self.tmp(
                        "c", Prim("load", (p,)), lambda c: Prim("store", (p, _upd(c, st, i, vv))))
                        if len(st.fields) > 2 else Prim("store", (p, _upd(Prim("load", (p,)),
                                                                           st, i, vv))))
                return _LV(st.fields[i][1], binds, lambda: _proj(Prim("load", (p,)), st, i),
                           write)
            if isinstance(btype, T.StructT):
                st = btype
                i = self.field_index(st, fname, target)
                self.addressable(target, base)
                blv = self.lvalue(base, twice=True)

                def write(v):
                    if len(st.fields) == 1:
                        return blv.write(v)
                    return self.tmp("v", v, lambda vv: blv.write(self.tmp(
                        "c", blv.read(), lambda c: _upd(c, st, i, vv))))
                return _LV(st.fields[i][1], blv.binds, lambda: _proj(blv.read(), st, i), write)
            self.error(target, f"{fname} is not a field (the operand has type {btype})")
        if t == "unary_expression" and _op(target) == "*":
            pexpr, ptype = self.expr(_field(target, "operand"))
            if not isinstance(ptype, T.PtrT):
                self.error(target, f"cannot dereference a value of type {ptype}")
            binds = []
            p = hold("p", pexpr, binds)
            return _LV(ptype.elem, binds, lambda: Prim("load", (p,)),
                       lambda v: Prim("store", (p, v)))
        self.error(target, "cannot assign to this expression")

    def addressable(self, target, base):
        """Refuse ``m[k].f = v``: a map element is not addressable in Go, so neither is a
        field of it (nor of a field of it, ...)."""
        def typ(n):
            return self.expr_types.get(_unparen(_field(n, "operand")).id)
        while base.type == "selector_expression" and isinstance(typ(base), T.StructT):
            base = _unparen(_field(base, "operand"))
        if base.type == "index_expression" and isinstance(typ(base), T.MapT):
            self.error(target, f"cannot assign to struct field {_text(target)} in map")

    def field_index(self, st, fname, node):
        i = st.index(fname)
        if i is None:
            self.error(node, f"{st} has no field {fname}")
        return i
