"""Refusing expressions whose result depends on an order of evaluation Go leaves open.

The Go spec fixes the order of the function calls in an expression (lexical left to right)
but not the order of a call relative to a read of memory in another operand: in
``*p + f(p)``, ``s[0] + g(s)``, ``return *p, f(p)`` or ``h.s[0] = swap(h)`` the read may
come before or after the call, and the gc compiler does the calls first (it reads ``*p``
after ``f(p)`` has run).  The core language evaluates left to right, so translating such an
expression would let a proof establish a result that the compiled program does not have.
They are refused: the fix is to bind the call's result to a variable first.

A read is ``*p``, a field through a pointer, ``s[i]``, ``m[k]``, ``len(m)``, ``string(b)``
and ``append`` (which also writes); a call is a call of the package's functions, of the
primitive packages, ``append`` and ``delete``.  A read and a call are ordered when one is
inside the other (an operand is evaluated before its operator), when ``&&``/``||`` separates
them, or through the order of calls: a read inside the arguments of a call made before the
other call, or a read of a value computed by a call made after it.  Reads of local
variables are not reads here: no call can write them (Go's ``&x`` is not in the subset).

Also left open: whether a range over a map visits an entry added during the iteration
(`_map_ranges` refuses the map writes and calls in such a body)."""
from __future__ import annotations

from . import gotypes as T
from .errors import GooseError
from .nodes import _field, _kids, _op, _pos, _text, _unparen

# the nodes that delimit one full expression (or one operand list evaluated together)
_GROUPS = frozenset({"expression_statement", "assignment_statement", "short_var_declaration",
                     "inc_statement", "dec_statement", "return_statement", "go_statement",
                     "if_statement", "for_statement", "for_clause", "range_clause",
                     "var_spec", "const_spec"})


def _group(n):
    while n is not None and n.type not in _GROUPS:
        n = n.parent
    return None if n is None else n.id


def _span(n):
    return n.start_byte, n.end_byte


def _inside(a, b) -> bool:
    """span a within span b"""
    return b[0] <= a[0] and a[1] <= b[1]


class _Events:
    def __init__(self, ft):
        self.ft, self.types = ft, ft.expr_types
        self.reads, self.calls, self.spec_calls, self.seps = [], [], [], []

    def typ(self, n):
        return self.types.get(_unparen(n).id)

    def call_kind(self, n):
        """"spec" (a function call, ordered with the others), "builtin" (append, delete:
        an effect with no promised order), "read" (len of a map, string(b)) or None."""
        fn = _unparen(_field(n, "function"))
        args = _kids(_field(n, "arguments"))
        ft = self.ft
        if fn.type == "identifier":
            name = _text(fn)
            if ft.lookup(name) is not None:
                return None
            if name in ft.tr.pkg.funcs:
                return "spec"
            if name in ("append", "delete"):
                return "builtin"
            if name == "len" and args and T.same_kind(self.typ(args[0])) == "map":
                return "read"
            if args and self.typ(args[0]) == T.SliceT(T.BYTE) and \
                    T.same_kind(self.typ(n)) == "string":
                return "read"               # string(b) reads the bytes
            return None
        if fn.type == "selector_expression":
            op = _unparen(_field(fn, "operand"))
            if op.type == "identifier" and ft.lookup(_text(op)) is None and \
                    _text(op) in ft.tr.imports:
                meth = _text(_field(fn, "field"))
                imp = ft.tr.imports[_text(op)]
                return "spec" if imp.pkg is not None and meth in imp.pkg.funcs else None
            return "spec"                   # mu.Lock(), mu.Unlock()
        return None

    def target(self, n):
        """The place an ``=`` assigns (phase 2, after every call): only the values needed to
        find it are read -- a slice or map indexed, a pointer followed, not a struct whose
        field is assigned."""
        n = _unparen(n)
        if n.type == "selector_expression":
            op = _field(n, "operand")
            self.scan(op) if isinstance(self.typ(op), T.PtrT) else self.target(op)
        elif n.type == "index_expression":
            self.scan(_field(n, "operand"))
            self.scan(_field(n, "index"))
        elif n.type == "unary_expression":
            self.scan(_field(n, "operand"))

    def scan(self, n):
        t = n.type
        if t == "assignment_statement":
            for c in _kids(_field(n, "left")):
                self.scan(c) if _op(n) != "=" else self.target(c)
            self.scan(_field(n, "right"))
            return
        if t == "binary_expression" and _op(n) in ("&&", "||"):
            self.seps.append((_span(_field(n, "left")), _span(_field(n, "right"))))
        elif (t == "unary_expression" and _op(n) == "*") or t == "index_expression" or \
                (t == "selector_expression" and
                 isinstance(self.typ(_field(n, "operand")), T.PtrT)):
            self.reads.append(n)
        elif t == "call_expression":
            kind = self.call_kind(n)
            if kind in ("spec", "builtin"):
                self.calls.append(n)
            if kind == "spec":
                self.spec_calls.append(n)
            if kind in ("builtin", "read"):
                self.reads.append(n)
        for c in n.named_children:
            self.scan(c)

    def ordered(self, r, c) -> bool:
        rs, cs = _span(r), _span(c)
        if _inside(rs, cs) or _inside(cs, rs):
            return True
        for left, right in self.seps:
            if (_inside(rs, left) and _inside(cs, right)) or \
                    (_inside(rs, right) and _inside(cs, left)):
                return True
        if c.id not in self.spec_ids:
            return False                    # append, delete: no order with the calls
        for c2 in self.spec_calls:
            s2 = _span(c2)
            if _inside(rs, s2) and s2[1] <= cs[0]:
                return True                 # r is an argument of a call made before c
            if _inside(s2, rs) and s2[0] >= cs[1]:
                return True                 # r reads what a call made after c returned
        return False


def _map_ranges(ft, n):
    """Refuse a range over a map whose body may add an entry to a map: Go may or may not
    produce such an entry later in the iteration, the model (a snapshot of the keys) never
    does.  A map write is ``m[k] = v``, ``m[k] op= v`` or ``m[k]++``; a call may make one."""
    clause = next((c for c in n.named_children if c.type == "range_clause"), None)
    if clause is not None and \
            T.same_kind(ft.expr_types.get(_unparen(_field(clause, "right")).id)) == "map":
        ev, stack = _Events(ft), [_field(n, "body")]
        while stack:
            b = stack.pop()
            stack.extend(b.named_children)
            if b.type in ("assignment_statement", "inc_statement", "dec_statement"):
                left = _kids(_field(b, "left")) if b.type == "assignment_statement" else \
                    _kids(b)[:1]
                w = next((_unparen(t) for t in left if _unparen(t).type == "index_expression"
                          and T.same_kind(ev.typ(_field(_unparen(t), "operand"))) == "map"),
                         None)
            else:
                w = b if b.type == "call_expression" and ev.call_kind(b) == "spec" else None
            if w is not None:
                raise GooseError(ft.path, *_pos(w), "a map write (or a call, which may make "
                                 "one) in the body of a range over a map is not supported: Go "
                                 "may or may not visit an entry added during the iteration")
    for c in n.named_children:
        _map_ranges(ft, c)


def check(ft, body) -> None:
    """Raise a `GooseError` at the first read whose order with a call is unspecified, or
    at a map write in a range over a map."""
    _map_ranges(ft, body)
    ev = _Events(ft)
    ev.scan(body)
    ev.spec_ids = {c.id for c in ev.spec_calls}
    calls: dict = {}
    for c in ev.calls:
        calls.setdefault(_group(c), []).append(c)
    for r in ev.reads:
        for c in calls.get(_group(r), ()):
            if c.id != r.id and not ev.ordered(r, c):
                line, col = _pos(c)
                raise GooseError(ft.path, *_pos(r), "the order of evaluation of this read of "
                                 f"memory and the call at {line}:{col} is unspecified in Go "
                                 "(the compiler may make the call first): bind the call's "
                                 "result to a variable first")
