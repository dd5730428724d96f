"""Expressions: names, selectors, indexing, operators, literals, zero values and conversions."""
from __future__ import annotations

from seplogic.syntax import EVar, If, Let, Lit, Prim, Val

from . import gotypes as T
from .consts import ConstEval, convert_const, _is_num, predeclared, _show_const
from .nodes import _elem, _field, _kids, _op, _text, _unparen, UNSUPPORTED_NODES
from .terms import (_below, _const_val, FALSE_V, fst, _proj, seq, _total, TRUE_V, _tuple, vint,
    _write_free)


class Expressions:
    """The expression half of `FuncTranslator`."""

    # ---- expressions ---------------------------------------------------------------------------

    def expr_as(self, node, typ):
        """Translate ``node`` as a value of type ``typ`` (converting untyped constants)."""
        if typ is None:
            e, _ = self.expr(node)
            return e
        e, et = self.expr(node, want=typ)
        if et == T.UNTYPED_NIL and T.same_kind(typ) not in ("slice", "ptr", "map"):
            self.error(node, f"cannot use nil as a value of type {typ}")
        if isinstance(et, T.TupleT):
            self.error(node, "multiple-value expression in single-value context")
        if not T.assignable(et, typ):
            self.error(node, f"cannot use {_text(node)} ("
                       f"{'variable' if node.type == 'identifier' else 'value'} of type {et}) "
                       f"as type {typ}")
        return e

    _CONST_NODES = frozenset({"int_literal", "interpreted_string_literal", "raw_string_literal",
                              "rune_literal", "true", "false", "binary_expression",
                              "unary_expression", "identifier", "selector_expression",
                              "call_expression", "iota", "parenthesized_expression"})

    def expr(self, node, want=None):
        """(core expression, Go type) of an expression node (its type is kept for
        `evalorder`)."""
        node = _unparen(node)
        e, typ = self._expr(node, want)
        self.expr_types[node.id] = typ
        return e, typ

    def _expr(self, node, want):
        if node.type in self._CONST_NODES:
            cv = ConstEval(self.tr, self).try_eval(node)
            if cv is not None:
                val, vt = cv
                if want is not None and not T.assignable(vt, want):
                    self.error(node, f"cannot use {_text(node)} (constant {_show_const(val)} "
                               f"of type {vt}) as type {want}")
                if want is not None and T.same_kind(want) in ("int", "bool", "string"):
                    val, vt = convert_const(self, node, val, vt, want), want
                elif want is not None:
                    self.error(node, f"cannot use constant {_show_const(val)} as a value of "
                               f"type {want}")
                return _const_val(val), vt
        t = node.type
        m = getattr(self, "x_" + t, None)
        if m is None:
            if t in UNSUPPORTED_NODES:
                self.unsupported(node, UNSUPPORTED_NODES[t])
            self.unsupported(node, f"this expression ({t.replace('_', ' ')})")
        return m(node)

    def x_identifier(self, node):
        name = _text(node)
        var = self.lookup_var(name)
        if var is not None:
            return self.read_var(var), var.type
        if name == "nil":
            return Prim("nil", ()), T.UNTYPED_NIL
        if name in self.tr.pkg.funcs:
            self.unsupported(node, "function value")
        if name in self.tr.pkg.types or name in T.BASIC_NAMES:
            self.error(node, f"{name} is a type, not an expression")
        if name in self.tr.imports:
            self.error(node, f"use of package {name} without selector")
        self.error(node, f"undefined: {name}")

    def x_nil(self, node):
        predeclared(self.tr, self, node)
        return Prim("nil", ()), T.UNTYPED_NIL

    def x_selector_expression(self, node):
        op = _unparen(_field(node, "operand"))
        fname = _text(_field(node, "field"))
        if op.type == "identifier" and self.lookup(_text(op)) is None and \
                _text(op) in self.tr.imports:
            imp = self.tr.imports[_text(op)]
            pk = _text(op)
            if imp.kind == "sync":
                self.unsupported(node, f"sync.{fname}")
            if fname in imp.pkg.funcs or fname in imp.pkg.hooks:
                self.unsupported(node, "function value")
            self.error(node, f"undefined: {pk}.{fname}")
        base, btype = self.expr(op)
        if isinstance(btype, T.PtrT) and isinstance(btype.elem, T.StructT):
            st = btype.elem
            i = self.field_index(st, fname, node)
            return _proj(Prim("load", (base,)), st, i), st.fields[i][1]
        if isinstance(btype, T.StructT):
            i = self.field_index(btype, fname, node)
            return _proj(base, btype, i), btype.fields[i][1]
        if btype in (T.MUTEX, T.PtrT(T.MUTEX)):
            self.unsupported(node, "method value")
        self.error(node, f"{fname} is not a field (the operand has type {btype})")

    def x_index_expression(self, node):
        coll, ctype = self.expr(_field(node, "operand"))
        kind = T.same_kind(ctype)
        if kind == "slice":
            return Prim("slice_get", (coll, self.index_expr(_field(node, "index")))), ctype.elem
        if kind == "map":
            key = self.expr_as(_field(node, "index"), ctype.key)
            return fst(Prim("map_get", (coll, key))), ctype.val
        if kind == "string":
            self.unsupported(node, "indexing a string")
        self.error(node, f"cannot index a value of type {ctype}")

    def index_expr(self, node):
        cv = ConstEval(self.tr, self).try_eval(node)
        if cv is not None:
            val, vt = cv
            if not _is_num(val) or val < 0:
                self.error(node, f"invalid index {_show_const(val)}")
            _int_index(self, node, val, vt)
            return vint(val)
        e, typ = self.expr(node)
        if typ not in (T.UINT64, T.INT, T.BYTE):
            self.error(node, f"invalid index of type {typ}")
        return e

    def x_slice_expression(self, node):
        coll, ctype = self.expr(_field(node, "operand"))
        if _field(node, "capacity") is not None:
            self.unsupported(node, "three-index slice")
        kind = T.same_kind(ctype)
        if kind == "string":
            self.unsupported(node, "slicing a string")
        if kind != "slice":
            self.error(node, f"cannot slice a value of type {ctype}")
        lo_n, hi_n = _field(node, "start"), _field(node, "end")
        lo = self.index_expr(lo_n) if lo_n is not None else vint(0)
        if lo_n is not None and hi_n is not None:      # constant indices: gc checks the order
            ce = ConstEval(self.tr, self)
            lc, hc = ce.try_eval(lo_n), ce.try_eval(hi_n)
            if lc is not None and hc is not None and hc[0] < lc[0]:
                self.error(hi_n, f"invalid slice indices: {hc[0]} < {lc[0]}")
        if hi_n is None:
            return self.tmp("s", coll, lambda c: Prim("slice_sub", (
                c, lo, Prim("slice_len", (c,))))), ctype
        return Prim("slice_sub", (coll, lo, self.index_expr(hi_n))), ctype

    def x_unary_expression(self, node):
        o = _op(node)
        operand = _unparen(_field(node, "operand"))
        if o == "&":
            if operand.type != "composite_literal":
                self.unsupported(node, "taking the address of a variable",
                                 "& is only supported on a composite literal: &T{...}")
            e, typ = self.expr(operand)
            return self.alloc(typ, e, node), T.PtrT(typ)
        if o == "<-":
            self.unsupported(node, "channel")
        if o == "^":
            self.unsupported(node, "the bitwise operator ^")
        e, typ = self.expr(operand)
        if o == "*":
            if not isinstance(typ, T.PtrT):
                self.error(node, f"cannot dereference a value of type {typ}")
            if typ.elem == T.MUTEX:
                self.unsupported(node, "a sync.Mutex value", "use *sync.Mutex")
            return Prim("load", (e,)), typ.elem
        if o == "!":
            if T.same_kind(typ) != "bool":
                self.error(node, f"operator ! needs a boolean (type {typ})")
            return Prim("not", (e,)), typ
        if o == "-":
            if typ not in (T.UINT64, T.BYTE):
                self.error(node, f"negation of a value of type {typ} is not supported")
            return self.arith("-", vint(0), e, typ), typ
        if o == "+":
            return e, typ
        self.unsupported(node, f"the operator {o}")

    def x_binary_expression(self, node):
        o = _op(node)
        ln, rn = _field(node, "left"), _field(node, "right")
        if o in ("&", "|", "^", "<<", ">>", "&^"):
            self.unsupported(node, f"the bitwise operator {o}")
        if o in ("&&", "||"):
            a, b = self.cond(ln), self.cond(rn)
            if _total(b):
                return Prim("and" if o == "&&" else "or", (a, b)), T.BOOL
            # Go evaluates the right operand only if needed
            return (If(a, b, FALSE_V) if o == "&&" else If(a, TRUE_V, b)), T.BOOL
        lc = ConstEval(self.tr, self).try_eval(ln)
        rc = ConstEval(self.tr, self).try_eval(rn)
        if lc is not None and rc is None:
            b, bt = self.expr(rn)
            a, at = self.expr(ln, want=None if T.is_untyped(bt) else bt)
        elif rc is not None and lc is None:
            a, at = self.expr(ln)
            b, bt = self.expr(rn, want=None if T.is_untyped(at) else at)
        else:
            a, at = self.expr(ln)
            b, bt = self.expr(rn)
        typ = at if at != T.UNTYPED_NIL else bt
        if o in ("==", "!="):
            if T.UNTYPED_NIL in (at, bt):
                other = bt if at == T.UNTYPED_NIL else at
                if T.same_kind(other) not in ("slice", "ptr", "map"):
                    self.error(node, f"invalid operation: cannot compare a value of type {other} "
                               f"with nil")
            elif T.same_kind(typ) in ("slice", "map"):
                self.error(node, f"invalid operation: {typ} can only be compared to nil")
            else:
                _check_mix(self, node, at, bt)
                why = T.incomparable(typ)
                if why is not None:
                    self.error(node, f"invalid operation: {_text(node)} ({why} cannot be "
                               "compared)")
            return Prim("eq" if o == "==" else "ne", (a, b)), T.BOOL
        if o in ("<", "<=", ">", ">="):
            if T.same_kind(typ) != "int":
                self.unsupported(node, f"ordering comparison of {_plural(typ)}")
            _check_mix(self, node, at, bt)
            return Prim({"<": "lt", "<=": "le", ">": "gt", ">=": "ge"}[o], (a, b)), T.BOOL
        if o in ("+", "-", "*", "/", "%"):
            _check_mix(self, node, at, bt)
            if o in "/%" and rc is not None and rc[0] == 0:
                self.error(rn, "invalid operation: division by zero")
            if T.same_kind(typ) == "string" and o == "+":
                return Prim("string_concat", (a, b)), typ
            if typ not in (T.UINT64, T.BYTE):
                if typ == T.INT:
                    self.unsupported(node, "arithmetic on int", "convert with uint64(...)")
                self.error(node, f"invalid operation: operator {o} on a value of type {typ}")
            return self.arith(o, a, b, typ), typ
        self.unsupported(node, f"the operator {o}")

    def arith(self, o, a, b, typ):
        """uint64 arithmetic wraps modulo 2^64 (the primitives do); byte arithmetic modulo 256
        (2^64 is a multiple of 256, so reducing the uint64 result is exact)."""
        op = {"+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod"}[o]
        e = Prim(op, (a, b))
        if typ == T.BYTE and op in ("add", "sub", "mul"):
            e = Prim("mod", (e, vint(256)))
        return e

    def x_composite_literal(self, node):
        typ = self.tr.type_of(_field(node, "type"))
        return self.literal(_field(node, "body"), typ, node), typ

    def literal(self, body, typ, node):
        elems = [c for c in _kids(body) if c.type in ("literal_element", "keyed_element")]
        if isinstance(typ, T.StructT):
            return self.struct_literal(body, elems, typ, node)
        if isinstance(typ, T.SliceT):
            self.slice_of(typ, node)
            items, nxt = [], 0
            for el in elems:
                vnode = el
                if el.type == "keyed_element":
                    kn = _field(el, "key")
                    kv, kt = ConstEval(self.tr, self).eval(_elem(kn))
                    if not _is_num(kv) or kv < 0:
                        self.error(kn, "invalid index in a slice literal")
                    _int_index(self, _elem(kn), kv, kt)
                    nxt, vnode = kv, _field(el, "value")
                if any(i == nxt for i, _ in items):
                    self.error(_colon(el), f"duplicate index {nxt} in array or slice literal")
                items.append((nxt, self.element(vnode, typ.elem)))
                nxt += 1
            n = max((i for i, _ in items), default=-1) + 1
            s = self.fresh("s")
            out = EVar(s)
            for i, v in reversed(items):
                out = seq(Prim("slice_set", (EVar(s), vint(i), v)), out)
            return Let(s, Prim("slice_make", (self.zero(typ.elem, node), vint(n), vint(n))),
                       out)
        if isinstance(typ, T.MapT):
            m = self.fresh("m")
            out = EVar(m)
            pairs, keys = [], set()
            for el in elems:
                if el.type != "keyed_element":
                    self.error(el, "missing key in map literal")
                kn = _elem(_field(el, "key"))
                kk = self.element(kn, typ.key)
                cv = ConstEval(self.tr, self).try_eval(kn) if kn.type != "literal_value" \
                    else None
                if cv is not None:                     # a constant key: Go refuses repeats
                    if cv[0] in keys:
                        self.error(kn, f"duplicate key {_show_const(cv[0])} in map literal")
                    keys.add(cv[0])
                pairs.append((kk, self.element(_field(el, "value"), typ.val)))
            for kk, v in reversed(pairs):
                out = seq(Prim("map_insert", (EVar(m), kk, v)), out)
            return Let(m, Prim("map_make", (self.zero(typ.val, node),)), out)
        self.error(node, f"invalid composite literal of type {typ}")

    def struct_literal(self, body, elems, typ, node):
        n = len(typ.fields)
        vals = [None] * n
        order = []
        keyed = bool(elems) and elems[0].type == "keyed_element"
        if elems and not keyed and len(elems) != n:
            self.error(body, f"too {'few' if len(elems) < n else 'many'} values in a literal "
                       f"of type {typ}")
        for i, el in enumerate(elems):
            if (el.type == "keyed_element") != keyed:
                self.error(el, "mixture of field:value and value elements in a struct literal")
            if keyed:
                kn = _elem(_field(el, "key"))
                j = self.field_index(typ, _text(kn), kn)
                vnode = _field(el, "value")
            else:
                j, vnode = i, el
            if vals[j] is not None:
                self.error(_colon(el) if keyed else el,
                           f"duplicate field name {typ.fields[j][0]} in struct literal")
            vals[j] = self.element(vnode, typ.fields[j][1])
            order.append(j)
        for j in range(n):
            if vals[j] is None:
                vals[j] = self.zero(typ.fields[j][1], node)
        if order != sorted(order) and not all(_write_free(vals[j]) for j in order):
            # Go evaluates the elements in source order: bind them in that order first
            names = {j: self.fresh("f") for j in order}
            out = _tuple([EVar(names[j]) if j in names else vals[j] for j in range(n)])
            for j in reversed(order):
                out = Let(names[j], vals[j], out)
            return out
        return _tuple(vals)

    def element(self, vnode, typ):
        vnode = _elem(vnode)
        if vnode.type == "literal_value":          # an element whose type is elided
            if isinstance(typ, T.PtrT):
                return self.alloc(typ.elem, self.literal(vnode, typ.elem, vnode), vnode)
            return self.literal(vnode, typ, vnode)
        return self.expr_as(vnode, typ)

    def zero(self, typ, node):
        kind = T.same_kind(typ)
        if kind == "int":
            return vint(0)
        if kind == "bool":
            return FALSE_V
        if kind == "string":
            return Val(Lit("string", ""))
        if kind in ("slice", "ptr"):
            return Prim("nil", ())
        if kind == "map":
            self.unsupported(node, f"a nil map (the zero value of {typ})", "make maps with make")
        if kind == "struct":
            return _tuple([self.zero(ft, node) for _, ft in typ.fields])
        if typ == T.MUTEX:
            self.unsupported(node, "a sync.Mutex value", "use *sync.Mutex and new(sync.Mutex)")
        self.error(node, f"no zero value for type {typ}")

    def x_type_conversion_expression(self, node):
        typ = self.tr.type_of(_field(node, "type"))
        return self.conversion(node, typ, _field(node, "operand"))

    def conversion(self, node, typ, arg):
        e, at = self.expr(arg)
        tk, ak = T.same_kind(typ), T.same_kind(at)
        if tk == "int":
            if ak != "int":
                self.unsupported(node, f"conversion from {at} to {typ}")
            if typ == T.INT:
                self.unsupported(node, "conversion to int")
            if typ == T.BYTE and at != T.BYTE:
                if _below(e, 256):
                    return e, typ
                return Prim("mod", (e, vint(256))), typ
            return e, typ
        if tk == "string":
            if at == T.SliceT(T.BYTE):
                return Prim("string_from_bytes", (e,)), typ
            if ak == "string":
                return e, typ
            self.unsupported(node, f"conversion from {at} to string")
        if typ == T.SliceT(T.BYTE) and ak == "string":
            return Prim("bytes_from_string", (e,)), typ
        if at == T.UNTYPED_NIL and tk in ("slice", "ptr"):
            return e, typ
        if (tk == ak and tk in ("bool",)) or at == typ:
            return e, typ
        self.unsupported(node, f"conversion from {at} to {typ}")


def _int_index(ft, node, val, vt):
    """A constant index (or length, capacity, slice literal key) must be an int in Go."""
    if val > 2 ** 63 - 1:
        what = "untyped int constant" if T.is_untyped(vt) else f"constant {val} of type {vt}"
        ft.error(node, f"{_text(node)} ({what}) overflows int")


def _colon(el):
    """The ``:`` of a keyed element, where gc places errors about its key."""
    return next((c for c in el.children if c.type == ":"), el)


def _plural(typ) -> str:
    return {"string": "strings", "bool": "booleans"}.get(T.same_kind(typ), f"values of type {typ}")


def _check_mix(ft, node, at, bt):
    if T.assignable(at, bt) or T.assignable(bt, at):
        return
    op = node.child_by_field_name("operator") or node      # where gc places it
    ft.error(op, f"invalid operation: {_text(node)} (mismatched types {at} and {bt})")
