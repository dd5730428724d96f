"""Calls: of the package's functions, of the primitive packages' operations, and of the Go
builtins (len, cap, append, make, new, delete)."""
from __future__ import annotations

from seplogic.syntax import Call, EVar, Let, Prim

from . import gotypes as T
from .consts import ConstEval
from .nodes import _field, _kids, _text, _unparen, UNSUPPORTED_NODES
from .terms import seq, vint


class Calls:
    """The call half of `FuncTranslator`."""

    def x_call_expression(self, node):
        fn = _unparen(_field(node, "function"))
        args = _kids(_field(node, "arguments"))
        if any(a.type == "variadic_argument" for a in args[:-1]):
            self.error(node, "can only use ... with the final argument")
        spread = bool(args) and args[-1].type == "variadic_argument"
        if fn.type in UNSUPPORTED_NODES:
            self.unsupported(fn, UNSUPPORTED_NODES[fn.type])
        if fn.type in ("slice_type", "map_type", "pointer_type", "qualified_type"):
            if len(args) != 1 or spread:
                self.error(node, "a conversion takes one argument")
            return self.conversion(node, self.tr.type_of(fn), args[0])
        if fn.type == "identifier":
            name = _text(fn)
            if self.lookup(name) is not None:
                self.unsupported(fn, "call of a function value")
            if name in BUILTINS and name not in self.tr.pkg.funcs:
                return getattr(self, "b_" + name)(node, args, spread)
            if name in self.tr.pkg.funcs:
                info = self.tr.pkg.funcs[name]
                if spread:
                    self.unsupported(node, "variadic function")
                vals = self.call_args(node, args, info.params, name)
                return Call(info.pv, tuple(vals)), _results_type(info.results)
            if name in T.BASIC_NAMES or name in self.tr.pkg.types:
                if len(args) != 1 or spread:
                    self.error(node, "a conversion takes one argument")
                return self.conversion(node, self.tr.type_of(fn), args[0])
            if name in UNSUPPORTED_BUILTINS:
                self.unsupported(fn, f"the builtin {name}")
            if name in T.UNSUPPORTED_BASIC:
                self.unsupported(fn, f"conversion to {name}")
            self.error(fn, f"undefined: {name}")
        if fn.type == "selector_expression":
            op = _unparen(_field(fn, "operand"))
            meth = _text(_field(fn, "field"))
            if op.type == "identifier" and self.lookup(_text(op)) is None and \
                    _text(op) in self.tr.imports:
                imp = self.tr.imports[_text(op)]
                pk = _text(op)
                if imp.kind == "sync":
                    self.unsupported(fn, f"sync.{meth}")
                if meth in imp.pkg.types:
                    if len(args) != 1 or spread:
                        self.error(node, "a conversion takes one argument")
                    return self.conversion(node, imp.pkg.types[meth], args[0])
                if meth in imp.pkg.hooks:
                    self.unsupported(fn, f"{pk}.{meth}", "a test hook of the primitive package, not "
                                     "part of its model")
                pf = imp.pkg.funcs.get(meth)
                if pf is None and imp.pkg.name == "atomic":
                    self.unsupported(fn, f"sync/atomic's {meth}", "only LoadUint64, StoreUint64 "
                                     "and CompareAndSwapUint64, on a *uint64")
                if pf is None:
                    self.error(fn, f"undefined: {pk}.{meth}")
                if spread:
                    self.unsupported(node, "variadic function")
                vals = self.call_args(node, args, pf.params, f"{pk}.{meth}")
                if pf.rest is not None:
                    return self.two_steps(pf, vals), _results_type(pf.results)
                return Prim(pf.prim, tuple(vals)), _results_type(pf.results)
            recv, rtype = self.expr(op)
            if rtype == T.PtrT(T.MUTEX):
                if args:
                    self.error(node, f"too many arguments in call to {meth}")
                if meth == "Lock":
                    return Prim("acquire", (recv,)), T.UNIT
                if meth == "Unlock":
                    return Prim("release", (recv,)), T.UNIT
                self.unsupported(fn, f"sync.Mutex.{meth}")
            self.unsupported(fn, "method call")
        self.unsupported(fn, "call of a function value")

    def value_only(self, call) -> bool:
        """``call`` is a conversion or a builtin that only makes a value (len, cap, append,
        make, new): Go refuses it as a statement or in ``go``."""
        fn = _unparen(_field(call, "function"))
        if fn.type in ("slice_type", "map_type", "pointer_type", "qualified_type"):
            return True
        if fn.type == "identifier":
            name = _text(fn)
            return self.lookup(name) is None and name not in self.tr.pkg.funcs and (
                name in VALUE_BUILTINS or name in T.BASIC_NAMES or name in self.tr.pkg.types)
        if fn.type == "selector_expression":
            op = _unparen(_field(fn, "operand"))
            imp = self.tr.imports.get(_text(op)) if op.type == "identifier" and \
                self.lookup(_text(op)) is None else None
            return imp is not None and imp.kind == "prim" and \
                _text(_field(fn, "field")) in imp.pkg.types
        return False

    def call_args(self, node, args, params, name):
        if len(args) == 1 and len(params) > 1:
            _, typ = self.expr(args[0])
            if isinstance(typ, T.TupleT):
                self.unsupported(node, "passing the results of a call as arguments")
        if len(args) != len(params):
            self.error(node, f"{'not enough' if len(args) < len(params) else 'too many'} "
                       f"arguments in call to {name} (want {len(params)})")
        return [self.expr_as(a, p) for a, p in zip(args, params)]

    def two_steps(self, pf, vals):
        """A primitive in two atomic steps (`PrimFunc.rest`, filesys.Append): its arguments
        bound to variables first (each evaluated once, in order), then ``let k := prim(args)
        in rest(args, k)``."""
        def steps(done, todo):
            if todo:
                base = "s" if isinstance(pf.params[len(done)], T.SliceT) else "a"
                return self.tmp(base, todo[0], lambda v: steps(done + [v], todo[1:]))
            k = self.fresh("k")
            return Let(k, Prim(pf.prim, tuple(done)), Prim(pf.rest, (*done, EVar(k))))
        return steps([], list(vals))

    # ---- builtins ------------------------------------------------------------------------------

    def b_len(self, node, args, spread):
        if len(args) != 1 or spread:
            self.error(node, "len takes one argument")
        e, typ = self.expr(args[0])
        kind = T.same_kind(typ)
        if kind == "slice" or typ == T.UNTYPED_NIL:
            return Prim("slice_len", (e,)), T.INT
        if kind == "map":
            return Prim("map_len", (e,)), T.INT
        if kind == "string":
            return Prim("string_len", (e,)), T.INT
        self.error(node, f"invalid argument for len (type {typ})")

    def b_cap(self, node, args, spread):
        if len(args) != 1 or spread:
            self.error(node, "cap takes one argument")
        e, typ = self.expr(args[0])
        if T.same_kind(typ) != "slice":
            self.error(node, f"invalid argument for cap (type {typ})")
        return Prim("slice_cap", (e,)), T.INT

    def b_append(self, node, args, spread):
        if not args:
            self.error(node, "not enough arguments for append")
        s, st = self.expr(args[0])
        if T.same_kind(st) != "slice":
            self.error(args[0], f"the first argument of append must be a slice (type {st})")
        self.slice_of(st, node)
        rest = args[1:]
        if spread:
            if len(rest) != 1:
                self.error(node, "can only use ... with the final argument")
            inner = _kids(rest[0])[0]
            t, tt = self.expr(inner)
            if T.same_kind(tt) == "string" and st.elem == T.BYTE:
                t = Prim("bytes_from_string", (t,))
            elif T.same_kind(tt) != "slice" and tt != T.UNTYPED_NIL:
                self.error(inner, f"cannot use ... with a value of type {tt}")
            return Prim("slice_append_slice", (s, t)), st
        if not rest:
            return s, st
        vals = [self.expr_as(a, st.elem) for a in rest]
        if len(vals) == 1:
            return Prim("slice_append", (s, vals[0])), st
        # several elements are appended at once (growing the slice once), as a slice of them
        xs = self.fresh("xs")
        body = EVar(xs)
        for i, v in reversed(list(enumerate(vals))):
            body = seq(Prim("slice_set", (EVar(xs), vint(i), v)), body)
        lit = Let(xs, Prim("slice_make", (self.zero(st.elem, node), vint(len(vals)),
                                          vint(len(vals)))), body)
        return self.tmp("s", s, lambda sv: Prim("slice_append_slice", (sv, lit))), st

    def b_make(self, node, args, spread):
        if not args or spread:
            self.error(node, "make needs a type")
        typ = self.tr.type_of(args[0])
        if isinstance(typ, T.SliceT):
            self.slice_of(typ, node)
            if len(args) not in (2, 3):
                self.error(node, "make of a slice needs a length (and optionally a capacity)")
            n = self.index_expr(args[1])
            z = self.zero(typ.elem, node)
            if len(args) == 2:
                return self.tmp("n", n, lambda nn: Prim("slice_make", (z, nn, nn))), typ
            lc, cc = (ConstEval(self.tr, self).try_eval(a) for a in args[1:])
            if lc is not None and cc is not None and lc[0] > cc[0]:
                self.error(args[1], "invalid argument: length and capacity swapped")
            return Prim("slice_make", (z, n, self.index_expr(args[2]))), typ
        if isinstance(typ, T.MapT):
            if len(args) == 2:
                self.index_expr(args[1])   # a size hint: checked, ignored
            elif len(args) != 1:
                self.error(node, "too many arguments to make")
            return Prim("map_make", (self.zero(typ.val, node),)), typ
        self.error(node, f"cannot make a value of type {typ}")

    def b_new(self, node, args, spread):
        if len(args) != 1 or spread:
            self.error(node, "new takes one type")
        typ = self.tr.type_of(args[0])
        if typ == T.MUTEX:
            return Prim("newlock", ()), T.PtrT(T.MUTEX)
        return self.alloc(typ, self.zero(typ, node), node), T.PtrT(typ)

    def b_delete(self, node, args, spread):
        if len(args) != 2 or spread:
            self.error(node, "delete takes a map and a key")
        m, mt = self.expr(args[0])
        if not isinstance(mt, T.MapT):
            self.error(args[0], f"the first argument of delete must be a map (type {mt})")
        return Prim("map_delete", (m, self.expr_as(args[1], mt.key))), T.UNIT


BUILTINS = {"len", "cap", "append", "make", "new", "delete"}
VALUE_BUILTINS = BUILTINS - {"delete"}
UNSUPPORTED_BUILTINS = {"copy", "panic", "recover", "print", "println", "close", "complex",
                        "real", "imag", "min", "max", "clear"}


def _results_type(results):
    if not results:
        return T.UNIT
    if len(results) == 1:
        return results[0]
    return T.TupleT(tuple(results))
