"""The core language's reduction structure, as far as the kernel needs it.

* `decompose` finds the head redex of a program in left-to-right evaluation order and returns
  the evaluation context around it (GooseLang's ``ectx_language``);
* `pure_step` performs the deterministic, resource-free head steps (let, if on a literal,
  calls of top-level functions, pure primitives on values); their justification is GooseLang's
  ``PureExec`` instances, each a single ``prim_step`` that leaves the state unchanged;
* `is_atomic` says which programs reduce to a value in one step (Iris ``Atomic``), the only
  ones around which an invariant may be opened; plain memory accesses are not among them
  (GooseLang's non-atomic stores), which makes every proven program free of data races.

Primitives with effects (heap, locks, disks, files) have no reduction here: their meaning is
given by the axioms that `theories/` declares.
"""
from __future__ import annotations

from seplogic.record import replace

from seplogic.syntax import App, Call, EVar, Fork, If, Let, Lit, Loop, Prim, Val, subst_prog
from .wf import KernelError

# Pure primitives: program op -> (operand class, term op, swap operands).  Machine arithmetic
# wraps modulo 2^64 (Go's uint64); comparisons and booleans are exact.  An operand must be of
# its class, as the interpreter (theories/interp.py, the reference) requires: a number, a
# bool, a pair (prod), a string, a slice, or anything (any).  A val-sorted operand is not
# known to be a string or a pair, so it is refused; a slice is a value of sort val, known to
# be one by a slice[n](s, _) or slice_ro[n](s, _) hypothesis (or as nil()).
_NUM, _BOOL, _ANY, _STR, _SLICE = "num", "bool", "any", "string", "slice"
PURE_PRIMS = {
    "add": (_NUM, "add64", False), "sub": (_NUM, "sub64", False), "mul": (_NUM, "mul64", False),
    "div": (_NUM, "div", False), "mod": (_NUM, "mod", False),
    "lt": (_NUM, "lt", False), "le": (_NUM, "le", False),
    "gt": (_NUM, "lt", True), "ge": (_NUM, "le", True),
    "eq": (_ANY, "eq", False), "ne": (_ANY, "ne", False),
    "and": (_BOOL, "and", False), "or": (_BOOL, "or", False), "not": (_BOOL, "not", False),
    "pair": (_ANY, "pair", False), "some": (_ANY, "some", False), "break": (_ANY, "break", False),
    "fst": ("prod", "fst", False), "snd": ("prod", "snd", False),
    # slice headers are values: the nil slice/pointer, length and capacity are functions of
    # the value (uninterpreted in the logic; the slice axioms relate them to the contents)
    "nil": (_ANY, "nil", False), "slice_len": (_SLICE, "slice_len", False),
    "slice_cap": (_SLICE, "slice_cap", False),
    "u64_to_string": (_NUM, "u64_to_string", False),   # decimal digits: a function of the value
    "string_to_u64": (_STR, "string_to_u64", False),   # (x, ok) of a decimal string: likewise
    "string_concat": (_STR, "string_concat", False), "string_len": (_STR, "string_len", False),
}
# Closed values built from literals and these free constructors (kernel/pure.py) are equal
# iff they are the same term (GooseLang's bin_op_eval EqOp decides equality of values),
# whatever their sorts.
_CLOSED_VALUE_OPS = ("pair", "some", "none", "continue", "break")

# Effectful primitives that take one step to a value, the only ones an invariant may be opened
# around (race freedom, docs/kernel.md "Race freedom"): the synchronising operations -- sync/atomic
# (cas, atomic_load, atomic_store), lock release, the disk and file-system operations (each a
# critical section of its Go package's mutex), rand -- and the allocations, which touch only
# fresh memory.  Plain memory accesses (load, store, slice elements, append, maps, string(bs))
# are not atomic, as GooseLang's non-atomic stores: a proof needs their memory outside every
# invariant, so no other thread can touch it meanwhile and a proven program has no data race.
ATOMIC_EFFECT_PRIMS = frozenset({
    "ref", "cas", "atomic_load", "atomic_store", "newlock", "release",
    "disk_read", "disk_write", "disk_size", "read", "write", "size",
    "fs_create", "fs_append_prefix", "fs_append_rest", "fs_close", "fs_open", "fs_readat",
    "fs_delete", "fs_link", "fs_list", "rand_u64",
    "slice_make", "map_make", "bytes_from_string",
})
# The plain memory accesses (named in the kernel's message when a proof opens an invariant
# around one; theories/interp.py runs them in two steps).
PLAIN_ACCESS = frozenset({
    "load", "store", "slice_get", "slice_set", "slice_append", "slice_append_slice",
    "map_get", "map_insert", "map_delete", "map_len", "map_keys", "string_from_bytes",
})


def decompose(e):
    """Return ``(redex, plug)`` with ``plug(redex) == e`` and ``redex`` the head redex, or
    ``None`` if ``e`` is a value or stuck on a free program variable.  Evaluation order: the
    bound expression of a let, the condition of an if, arguments left to right."""
    tp = type(e)
    if tp is Val or tp is EVar:
        return None
    if tp not in (Let, If, Call, Prim, Fork, Loop):
        raise KernelError(f"not a program: {e!r}")
    subs = {Let: ("bound",), If: ("cond",), Call: ("args",), Prim: ("args",)}.get(tp, ())
    for f in subs:
        parts = getattr(e, f)
        parts, one = (parts, False) if type(parts) is tuple else ((parts,), True)
        for i, a in enumerate(parts):
            if type(a) is Val:
                continue
            inner = decompose(a)
            if inner is None:
                return None
            r, k = inner

            def plug(x, k=k, i=i, f=f, parts=parts, one=one):
                new = parts[:i] + (k(x),) + parts[i + 1:]
                return replace(e, **{f: new[0] if one else new})
            return r, plug
    return e, (lambda x: x)


def is_atomic(e) -> bool:
    """Values and effectful or pure primitives applied to values."""
    if type(e) is Val:
        return True
    return (type(e) is Prim and all(type(a) is Val for a in e.args)
            and (e.op in ATOMIC_EFFECT_PRIMS or e.op in PURE_PRIMS))


def _numeric(s) -> bool:
    return s.name in ("u64", "nat", "int")


def _closed_value(t) -> bool:
    return type(t) is Lit or (type(t) is App and t.op in _CLOSED_VALUE_OPS
                              and all(map(_closed_value, t.args)))


def pure_step(redex, funcs, sort_of, nonzero, is_slice):
    """The result of one pure head step of ``redex``, or None if it takes none.

    ``sort_of(term)`` gives a term's sort in the current context; ``nonzero(term)`` proves a
    divisor non-zero (Go panics on division by zero, so the step needs it); ``is_slice(term)``
    says whether a hypothesis shows the term is a slice."""
    tp = type(redex)
    if tp is Let:
        if redex.name == "_":
            return redex.body
        return subst_prog(redex.body, {redex.name: redex.bound})
    if tp is If:
        c = redex.cond.term
        if type(c) is Lit and c.kind == "bool":
            return redex.then if c.value else redex.els
        return None
    if tp is Call:
        if redex.func not in funcs:
            raise KernelError(f"call of undefined function {redex.func}")
        params, body = funcs[redex.func]
        if len(params) != len(redex.args):
            raise KernelError(f"{redex.func} takes {len(params)} arguments, "
                              f"called with {len(redex.args)}")
        return subst_prog(body, dict(zip(params, redex.args)))
    if tp is Prim and redex.op in PURE_PRIMS:
        cls, op, swap = PURE_PRIMS[redex.op]
        args = [a.term for a in redex.args]
        for a in args:
            if cls == _SLICE:
                if not is_slice(a):
                    raise KernelError(f"primitive {redex.op} needs a slice: no slice[n](s, _) "
                                      "or slice_ro hypothesis is about its operand (the program "
                                      "would be stuck on a non-slice)")
                continue
            s = sort_of(a)
            ok = (cls == _ANY or (cls == _NUM and _numeric(s)) or s.name == cls)
            if not ok:
                raise KernelError(f"primitive {redex.op} needs an operand of sort "
                                  f"{'number' if cls == _NUM else cls}, not {s.name}; the "
                                  "program would be stuck")
        if op in ("div", "mod") and not nonzero(args[1]):
            raise KernelError("cannot prove the divisor non-zero (Go panics on x / 0)")
        if op in ("eq", "ne") and all(map(_closed_value, args)):
            return Val(Lit("bool", (args[0] == args[1]) == (op == "eq")))
        if swap:
            args.reverse()
        sort_of(App(op, tuple(args)))     # a well-sorted value, or the logic cannot state it
        return Val(App(op, tuple(args)))
    return None
