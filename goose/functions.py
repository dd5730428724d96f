"""One Go function to a pv Function: two passes (find the assigned variables, then translate
with those in heap cells), its scopes and fresh names; statements, expressions and calls are
mixins in their own modules."""
from __future__ import annotations

from seplogic.syntax import EVar, Let, Prim

from . import evalorder, gotypes as T, validity
from .calls import Calls
from .errors import GooseError
from .nodes import _field, _pos, _stmts
from .expressions import Expressions
from .package import FuncInfo, reserved, Var
from .statements import _K, Statements
from .terms import seq, _simple, UNIT_V


class FuncTranslator(Statements, Expressions, Calls):
    """Translates one function; ``tr`` is the package's `Translator`."""

    def __init__(self, tr, info: FuncInfo):
        self.tr = tr
        self.info = info
        self.path = tr.path

    def translate(self):
        """(parameter names, body).  Pass 1 finds the variables assigned after their
        declaration; pass 2 translates with those in heap cells."""
        self.mutable: set = set()
        self.assigned: set = set()
        self.analysis = True
        self.expr_types: dict = {}     # expression node id -> Go type (for evalorder)
        self._translate()
        self.mutable = set(self.assigned)
        self.analysis = False
        out = self._translate()
        evalorder.check(self, _field(self.info.node, "body"))
        validity.missing_return(self, self.info.node)
        validity.unused_variable(self, self.info.node)
        return out

    def _translate(self):
        d = self.info.node
        self.scopes: list = [{}]
        self.used: set = set(self.tr.pkg.idents)
        params, wrap = [], []
        for name, typ, node in self.tr.param_list(_field(d, "parameters")):
            if name is None or name == "_":
                params.append(self.fresh("arg"))
                continue
            var = self.new_var(name, typ, node)
            params.append(var.pv)
            if var.mutable:
                wrap.append(var)
        self.results = self.tr.param_list(_field(d, "result"))
        self.named_results = []
        inits = []
        for name, typ, node in self.results:
            if name is not None:
                if name == "_":
                    self.unsupported(node, "blank result name")
                var = self.new_var(name, typ, node)
                self.named_results.append(var)
                inits.append((var, self.zero(typ, node)))
        k = _K(UNIT_V, lambda e: e, None, None, "func")
        # the parameters, the results and the body's declarations share one block in Go
        body = self.block(_stmts(_field(d, "body")), k)
        for var, z in reversed(inits):
            body = Let(var.pv, Prim("ref", (z,)) if var.mutable else z, body)
        for var in reversed(wrap):
            body = Let(var.pv, Prim("ref", (EVar(var.pv),)), body)
        return params, body

    # ---- errors, names, scopes ---------------------------------------------------------------

    def error(self, node, msg):
        raise GooseError(self.path, *_pos(node), msg)

    def error_at(self, line, col, msg):
        raise GooseError(self.path, line, col, msg)

    def unsupported(self, node, what, hint=None):
        raise GooseError(self.path, *_pos(node), f"{what} is not supported"
                         + (f" ({hint})" if hint else ""))

    def slice_of(self, typ, node):
        """``typ``, a slice type whose element fits the core language's allocation bound."""
        size = T.size_align(typ.elem)[0]
        if size > T.MAX_ELEM_SIZE:
            self.unsupported(node, f"a slice of {typ.elem} ({size} bytes an element)",
                             f"at most {T.MAX_ELEM_SIZE}: pv bounds slices by their elements, "
                             "Go by their bytes; use a slice of pointers")
        return typ

    def alloc(self, typ, value, node):
        """``new(T)`` / ``&T{...}``: a heap cell holding ``value``.  Refused for a zero-size T:
        Go may give distinct zero-size variables one address (gc's zerobase: ``new(T) ==
        new(T)`` can be true), while distinct cells of the core language are provably
        different (two points-to facts of one location are exclusive)."""
        if T.size_align(typ)[0] == 0:
            self.unsupported(node, f"a pointer to a zero-size value of type {typ}",
                             "Go may give distinct zero-size variables the same address")
        return Prim("ref", (value,))

    def fresh(self, base):
        name = base + "'"
        i = 0
        while name in self.used:
            i += 1
            name = f"{base}'{i}"
        self.used.add(name)
        return name

    def pv_name(self, go):
        pv = go
        while pv in reserved() or (pv != go and pv in self.used):
            pv += "_"
        return pv

    def new_var(self, go, typ, node, allow_int=False):
        if typ == T.INT and not allow_int:
            self.error(node, f"variables of type int are not supported (use uint64: "
                       f"{go} := uint64(...))")
        if typ == T.MUTEX:
            self.unsupported(node, "a sync.Mutex value", "use *sync.Mutex and new(sync.Mutex)")
        if isinstance(typ, T.TupleT):
            self.error(node, "multiple-value expression in single-value context")
        if go in self.scopes[-1]:
            self.error(node, f"{go} redeclared in this block")
        # A variable that shadows a visible one gets a fresh name (x'): continuations
        # translated outside its scope (a loop's post statement, ...) may be placed inside it.
        shadows = any(isinstance(sc.get(go), Var) for sc in self.scopes)
        pv = self.fresh(go) if shadows else self.pv_name(go)
        var = Var(go, pv, typ, node.id in self.mutable)
        var.key = node.id
        self.scopes[-1][go] = var
        return var

    def lookup(self, name):
        for s in reversed(self.scopes):
            if name in s:
                return s[name]
        return None

    def lookup_var(self, name):
        v = self.lookup(name)
        return v if isinstance(v, Var) else None

    def push(self):
        self.scopes.append({})

    def pop(self):
        self.scopes.pop()

    def read_var(self, var):
        return Prim("load", (EVar(var.pv),)) if var.mutable else EVar(var.pv)

    def write_var(self, var, value):
        if self.analysis:
            self.assigned.add(var.key)
        return Prim("store", (EVar(var.pv), value))

    def bind(self, go, node, typ, value, body_thunk, allow_int=False):
        """``let x := value in <rest>`` declaring the Go variable ``go`` for the rest."""
        if go == "_":
            return seq(value, body_thunk())
        var = self.new_var(go, typ, node, allow_int)
        init = Prim("ref", (value,)) if var.mutable else value
        return Let(var.pv, init, body_thunk())

    def tmp(self, base, value, body_fn):
        """``let t := value in body_fn(t)``, or ``body_fn(value)`` when value is simple."""
        if _simple(value):
            return body_fn(value)
        t = self.fresh(base)
        return Let(t, value, body_fn(EVar(t)))

    def tmp_bind(self, base, value, binds):
        """Add a binding of ``value`` to ``binds`` unless it is simple; the expression to use."""
        if _simple(value):
            return value
        t = self.fresh(base)
        binds.append((t, value))
        return EVar(t)
