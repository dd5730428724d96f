"""Abstract syntax of pv: sorts, pure terms, core-language programs and assertions.

These immutable records (`seplogic.record`: frozen-dataclass semantics) are the data the kernel checks, so they are part of the trusted base:
they carry no behaviour beyond structural equality, free variables and capture-avoiding
substitution.  Three name spaces are kept apart on purpose:

* logical variables (`Var`) -- bound by ``∃``/``∀``, big-∗ binders and WP postconditions;
* program variables (`EVar`) -- bound by ``let`` and function parameters;
* assertion variables (`AVar`) -- schematic assertions (e.g. a lock invariant ``R``) in theorem
  statements, instantiated only by the kernel's theorem-use rule.

Because program binders never bind logical variables, substituting a logical term into a program
can never capture, and substituting a value for a program variable can never capture either.
"""
from __future__ import annotations

import re

from .record import Record, record

# ---------------------------------------------------------------------------------------------
# Names

# The identifier grammar: grammar.lark's IDENT terminal (tests/soundness/test_c07_names.py checks
# they are the same) minus the reserved words.  Every name the kernel accepts is one, whatever
# its source (parser, certificate, tactics; kernel/wf.py), so that no name holds whitespace,
# control or operator characters or reads as other syntax when printed.
# A name may be qualified by the module (file) that defines it: ``pair_spec.Write`` (the kernel
# keys every user definition so; docs/syntax.md, Modules).  The dot must be followed by a
# letter, so ``x.`` ending a command still ends it.
IDENT_PATTERN = r"(?!\d)\w[\w']*(?:\.(?!\d)\w[\w']*)*"
# Words that cannot be used as names of variables, functions, predicates, ...  (tactic names
# and arguments are exempt).  The printer assumes that no name is one of them.
RESERVED = frozenset({
    "true", "false", "True", "False", "emp", "if", "then", "else", "exists", "forall", "mod",
    "in", "subseteq", "supseteq", "WP", "let", "not", "fork", "loop",
    "None", "Some", "continue", "map_empty",
})
# Calls that are primitive assertions rather than predicate applications (assertion position):
# a predicate named like one could never be written, and would print as the primitive.
ATOM_CALLS = {"inv": 2, "is_lock": 2, "locked": 1, "tok": 1, "source": 1, "failed": 1,
              "spec_era": 1, "disks": 1, "disk_blocks": 1}
_IDENT = re.compile(IDENT_PATTERN)


def is_ident(x) -> bool:
    """``x`` is a name the parser reads as that name: an IDENT that is not reserved."""
    return type(x) is str and x not in RESERVED and _IDENT.fullmatch(x) is not None


def short_name(x: str) -> str:
    """``m.f`` -> ``f``; an unqualified name is its own short name."""
    return x.rpartition(".")[2]

# ---------------------------------------------------------------------------------------------
# Sorts


class _SortMark(Record):
    __slots__ = ("_ok",)   # kernel/pure.py's mark: found well-formed (a property of the sort alone)


@record
class Sort(_SortMark):
    """A sort: a base name (``u64``, ``nat``, ``int``, ``bool``, ``string``, ``unit``, ``loc``,
    ``gname``, ``val``, ``iProp``) or a constructor applied to sorts (``list``, ``set``,
    ``option``, ``map``, ``prod``) or a user record/state type name."""
    name: str
    args: tuple = ()


U64 = Sort("u64")
NAT = Sort("nat")
INT = Sort("int")
BOOL = Sort("bool")
STRING = Sort("string")
UNIT = Sort("unit")
LOC = Sort("loc")
GNAME = Sort("gname")
VAL = Sort("val")
IPROP = Sort("iProp")

BASE_SORTS = ("u64", "nat", "int", "bool", "string", "unit", "loc", "gname", "val", "iProp")
SORT_CONSTRUCTORS = {"list": 1, "set": 1, "option": 1, "map": 2, "prod": 2}


def sort_arity(name) -> int | None:
    """How many arguments the sort ``name`` takes; None if there is no such sort (user record
    and state types are capitalised identifiers and take none).  The parser and the kernel's
    shape check both use it."""
    if name in BASE_SORTS:
        return 0
    if name in SORT_CONSTRUCTORS:
        return SORT_CONSTRUCTORS[name]
    return 0 if is_ident(name) and name[0].isupper() else None

# ---------------------------------------------------------------------------------------------
# Pure terms


class Term(Record):
    __slots__ = ("_fv", "_wf")   # free variables, computed once (fv); kernel/wf.py's mark


@record
class Var(Term):
    name: str


@record
class Lit(Term):
    """A literal.  ``kind`` is ``int``, ``bool``, ``string`` or ``unit``; it is stored because
    Python's ``True == 1`` would otherwise make ``Lit(True)`` equal to ``Lit(1)``."""
    kind: str
    value: object


@record
class App(Term):
    """An operator or function application.  Built-in operators have the names in
    `TERM_OPS`; any other name is a user definition or a spec-level constructor."""
    op: str
    args: tuple = ()


# name -> arity (None: variadic).  The kernel gives them meaning (`kernel/pure.py`); the
# parser and printer (`seplogic/notation.py`) give them concrete syntax.
TERM_OPS: dict[str, int | None] = {
    # mathematical integer arithmetic (no wrap-around)
    "add": 2, "sub": 2, "mul": 2, "div": 2, "mod": 2, "neg": 1,
    # uint64 arithmetic as the machine does it (wraps modulo 2^64)
    "add64": 2, "sub64": 2, "mul64": 2,
    # comparisons and booleans
    "eq": 2, "ne": 2, "lt": 2, "le": 2,
    "and": 2, "or": 2, "not": 1, "implies": 2, "ite": 3,
    # data
    "pair": 2, "fst": 1, "snd": 1, "some": 1, "none": 0,
    "list": None, "len": 1, "nth": 2, "app": 2, "update": 3, "replicate": 2,
    "set": None, "union": 2, "inter": 2, "diff": 2, "mem": 2, "subseteq": 2, "range": 2,
    "map_empty": 0, "insert": 3, "lookup": 2, "delete": 2, "dom": 1,
    # map_replicate(N, v): the map from each k with 0 ≤ k < N to v (a spec's initial state)
    "map_replicate": 2,
    # sublist(l, off, k): at most k elements of l from index off (Goose ReadAt's take/drop)
    "sublist": 3,
    # the file system accepts the name: computed on string literals, else uninterpreted
    # (kernel/pure.py; facts about other names are axioms of theories/filesys.py)
    "fs_name_ok": 1,
    # loop results and spec return values
    "continue": 0, "break": 1, "ret": 1,
}


def mk_int(n: int) -> Lit:
    return Lit("int", n)


def mk_bool(b: bool) -> Lit:
    return Lit("bool", bool(b))


UNIT_LIT = Lit("unit", None)
TRUE = Lit("bool", True)
FALSE = Lit("bool", False)

# ---------------------------------------------------------------------------------------------
# Programs of the core language


class Expr(Record):
    __slots__ = ("_fv", "_wf", "_pv")   # free logical and program variables, computed once
    # (fv, prog_vars); kernel/wf.py's mark


@record
class Val(Expr):
    """A value: any pure term (a literal, or a logical variable after symbolic execution)."""
    term: Term


@record
class EVar(Expr):
    name: str


@record
class Let(Expr):
    """``let x := e1 in e2``; ``x == "_"`` is sequencing ``e1;; e2``."""
    name: str
    bound: Expr
    body: Expr


@record
class If(Expr):
    cond: Expr
    then: Expr
    els: Expr


@record
class Call(Expr):
    """A call of a top-level ``Function`` definition."""
    func: str
    args: tuple = ()


@record
class Prim(Expr):
    """A primitive operation applied to argument expressions (evaluated left to right)."""
    op: str
    args: tuple = ()


@record
class Fork(Expr):
    body: Expr


@record
class Loop(Expr):
    """``loop { body }``: run ``body``; on ``continue`` run it again, on ``break(v)`` return v."""
    body: Expr


# name -> arity.  Semantics and axioms live in `theories/`; the syntax exists for all now.
PRIM_OPS: dict[str, int] = {
    # pure operations on uint64 / bool / data (machine semantics: + - * wrap modulo 2^64)
    "add": 2, "sub": 2, "mul": 2, "div": 2, "mod": 2,
    "eq": 2, "ne": 2, "lt": 2, "le": 2, "gt": 2, "ge": 2,
    "and": 2, "or": 2, "not": 1,
    "pair": 2, "fst": 1, "snd": 1, "some": 1, "break": 1,
    # heap
    "ref": 1, "load": 1, "store": 2, "cas": 3, "atomic_load": 1, "atomic_store": 2,
    # locks
    "newlock": 0, "acquire": 1, "release": 1,
    # two disks (replicated disk) and one disk
    "disk_read": 2, "disk_write": 3, "disk_size": 0,
    "read": 1, "write": 2, "size": 0,
    # Goose file system
    "fs_create": 2, "fs_append_prefix": 2, "fs_append_rest": 3, "fs_close": 1, "fs_open": 2,
    "fs_readat": 3, "fs_delete": 2, "fs_link": 4, "fs_list": 1,
    # misc
    "rand_u64": 0, "u64_to_string": 1, "string_to_u64": 1,
    # spec programs only (kernel/crash.py): state update, undefined behaviour, choice, assumption
    "modify": 1, "undefined": 0, "any": 0, "assume": 1, "gets": 1, "ret": 1,
    # Go data, as `pv goose` translates it (docs/syntax.md, "Primitives for Go data"):
    # the nil pointer / nil slice; slices (views of a shared backing array); maps with uint64
    # keys (heap objects with a default value); strings (immutable byte sequences)
    "nil": 0,
    "slice_make": 3, "slice_len": 1, "slice_cap": 1, "slice_get": 2, "slice_set": 3,
    "slice_append": 2, "slice_append_slice": 2, "slice_sub": 3,
    "map_make": 1, "map_get": 2, "map_insert": 3, "map_delete": 2, "map_len": 1, "map_keys": 1,
    "string_len": 1, "string_concat": 2, "string_from_bytes": 1, "bytes_from_string": 1,
}

# ---------------------------------------------------------------------------------------------
# Assertions


class Assertion(Record):
    __slots__ = ("_fv", "_wf")   # free variables, computed once (fv); kernel/wf.py's mark


@record
class Pure(Assertion):
    """``⌜φ⌝`` for a boolean term φ.  ``True``/``False`` are ``Pure`` of the literals."""
    term: Term


@record
class Emp(Assertion):
    pass


@record
class Sep(Assertion):
    left: Assertion
    right: Assertion


@record
class Wand(Assertion):
    left: Assertion
    right: Assertion


@record
class And(Assertion):
    left: Assertion
    right: Assertion


@record
class Or(Assertion):
    left: Assertion
    right: Assertion


@record
class Exists(Assertion):
    var: str
    sort: Sort
    body: Assertion


@record
class Forall(Assertion):
    var: str
    sort: Sort
    body: Assertion


@record
class Persistently(Assertion):
    body: Assertion


@record
class BigSep(Assertion):
    """``[∗ set] x ∈ S. P`` (``kind="set"``, one var) or ``[∗ map] k ↦ v ∈ m. P``
    (``kind="map"``, two vars).  Ranges are sets: ``[∗ set] a ∈ range(0, N). P``."""
    kind: str
    vars: tuple
    coll: Term
    body: Assertion


@record
class Atom(Assertion):
    """A primitive resource; ``kind`` is a key of `ATOM_KINDS`."""
    kind: str
    args: tuple


# kind -> (arity, reading).  Argument order is the order in the reading.
ATOM_KINDS: dict[str, tuple[int, str]] = {
    "pointsto": (3, "l ↦[n] v: heap location l holds v, valid at version n"),
    "master": (4, "master[n](d[a], v): durable master copy of block a of disk d"),
    "lease": (4, "lease[n](d[a], v): recovery lease of block a of disk d"),
    "lease_lb": (3, "lease[n](dir ⊇ S): lower-bound lease on the names in directory dir"),
    "fs_dir": (3, "dir(d) ↦[n] S: durable master copy: directory d holds exactly the names S"),
    "fs_dir_lease": (3, "lease[n](dir(d), S): recovery lease of directory d"),
    "fs_link": (4, "link(d, name) ↦[n] i: durable master copy: name in directory d links to "
                "inode i"),
    "fs_link_lease": (4, "lease[n](link(d, name), i): recovery lease of a directory entry"),
    "fs_inode": (3, "inode(i) ↦[n] bs: durable master copy: inode i holds the bytes bs"),
    "fs_inode_lease": (3, "lease[n](inode(i), bs): recovery lease of inode i"),
    "fs_fd": (4, "fd(f) ↦[n] (i, md): file descriptor f of inode i with mode md (\"append\" "
              "or \"read\"), version n"),
    "locked": (1, "locked(lk): this thread holds lock lk"),
    "tok": (1, "tok(γ): the exclusive ghost token named γ"),
    "source": (2, "source[e](σ): the spec state is σ, in era e (the version of the last "
               "recovery that took the spec's crash step)"),
    "spec": (3, "j ⤇[e] op: spec thread j of era e is about to run op (or has returned: "
             "op = ret(v))"),
    "spec_era": (1, "spec_era(e): the spec's era is at least e (persistent)"),
    "crashing": (1, "⤇[m] Crashing: recovery at version m is yet to take the spec's crash "
                 "step"),
    "done": (0, "⤇ Done: this recovery has taken the spec's crash step"),
    "failed": (1, "failed(d): disk d has failed (persistent; at most one disk ever fails)"),
    "disks": (1, "disks(N): the disks have N blocks each (persistent)"),
    "disk_blocks": (1, "disk_blocks(N): the single disk has N blocks (persistent)"),
    "ro": (3, "ro[n](l, v): a read-only, persistent share of l ↦[n] v"),
    "slice": (3, "slice[n](s, vs): the slice s holds the list vs, at version n"),
    "slice_ro": (3, "slice_ro[n](s, vs): a read-only, persistent share of slice[n](s, vs)"),
    "gmaster": (3, "gmaster[n](k, v): durable ghost cell k holds v (master copy)"),
    "glease": (3, "glease[n](k, v): the lease of ghost cell k at version n"),
    "dmaster": (3, "dmaster[n](a, bs): durable master copy: block a of the single disk holds "
                "the bytes bs"),
    "dlease": (3, "dlease[n](a, bs): recovery lease of block a of the single disk"),
}
# Atoms written `kind[n](x, v)`, stored as (x, n, v).
VERSIONED_ATOMS = ("ro", "slice", "slice_ro", "gmaster", "glease", "dmaster", "dlease")
# The file system's durable cells (Goose §6.2): surface head -> (master kind, lease kind, number
# of key arguments).  Masters are written `dir(d) ↦[n] S`, leases `lease[n](dir(d), S)`; both
# are stored as (key..., n, value).
FS_CELLS = {"dir": ("fs_dir", "fs_dir_lease", 1), "link": ("fs_link", "fs_link_lease", 2),
            "inode": ("fs_inode", "fs_inode_lease", 1)}


@record
class Inv(Assertion):
    """``inv(N, P)``: the invariant named N holds P."""
    name: str
    body: Assertion


@record
class IsLock(Assertion):
    """``is_lock(lk, R)``: lk is a lock protecting R."""
    lock: Term
    body: Assertion


@record
class PredApp(Assertion):
    """Application of a user ``Predicate``; arguments are terms or (for iProp parameters)
    assertions."""
    name: str
    args: tuple


@record
class AVar(Assertion):
    name: str


@record
class WP(Assertion):
    """``WP[n] @ ⊤∖opened e {x. Q}``: weakest precondition at version n; ``opened`` is the
    sorted tuple of invariant names removed from the mask (empty: mask ⊤)."""
    version: Term
    opened: tuple
    expr: Expr
    var: str
    post: Assertion


# ---------------------------------------------------------------------------------------------
# Free variables


def fv(a) -> frozenset:
    """Free logical variables of a term, program (those inside its values) or assertion.

    Computed once per node and kept in its ``_fv`` slot (nodes are immutable), so asking again
    -- as substitution does at every node, to leave alone what it would not change -- is O(1)."""
    out = getattr(a, "_fv", None)     # (a default is cheaper than an exception on a new node)
    if out is None:
        out = _fv(a)
        _set_slot(a, "_fv", out)
    return out


term_fv = expr_fv = fv
_set_slot = object.__setattr__
_EMPTY: frozenset = frozenset()


def _without(s: frozenset, names) -> frozenset:
    """s without ``names``; s itself when it has none of them."""
    return s - set(names) if not s.isdisjoint(names) else s


def _union(sets) -> frozenset:
    """The union of frozensets, the bigger one kept at each step: itself when it holds the
    other (a new node over a big subterm and small ones -- a value plugged into a long
    continuation, a goal over its postcondition -- costs the small ones, not a copy)."""
    out = _EMPTY
    for x in sets:
        if len(x) > len(out):
            out, x = x, out
        if x and not x <= out:
            out = out | x
    return out


def _fv(a) -> frozenset:
    """The free variables of ``a`` from those of its children (`fv`)."""
    tp = type(a)
    if tp is Var:
        return frozenset((a.name,))
    if tp is App:
        return _union(map(fv, a.args))
    if tp is Lit:
        return _EMPTY
    # programs
    if tp is Val:
        return fv(a.term)
    if tp is EVar:
        return _EMPTY
    if tp is Let:
        return _union((fv(a.bound), fv(a.body)))
    if tp is If:
        return _union((fv(a.cond), fv(a.then), fv(a.els)))
    if tp in (Call, Prim):
        return _union(map(fv, a.args))
    if tp in (Fork, Loop):
        return fv(a.body)
    # assertions
    if tp is Pure:
        return fv(a.term)
    if tp in (Emp, AVar):
        return _EMPTY
    # a chain (of ∗ to the right, of binders) at once, its own set only: the levels below are
    # asked for theirs if they become goals or hypotheses (a set kept per level would copy
    # the chain's names at each level: the square of its length)
    if tp in (Sep, Wand, And, Or):
        parts = []
        while True:
            parts.append(fv(a.left))
            a = a.right
            if type(a) is not tp or getattr(a, "_fv", None) is not None:
                break
        parts.append(fv(a))
        return _union(parts)
    if tp in (Exists, Forall):
        bound = []
        while True:
            bound.append(a.var)
            a = a.body
            if type(a) not in (Exists, Forall) or getattr(a, "_fv", None) is not None:
                break
        return _without(fv(a), bound)
    if tp is Persistently:
        return fv(a.body)
    if tp is BigSep:
        return _union((fv(a.coll), _without(fv(a.body), a.vars)))
    if tp is Atom:
        return _union(map(fv, a.args))
    if tp is Inv:
        return fv(a.body)
    if tp is IsLock:
        return _union((fv(a.lock), fv(a.body)))
    if tp is PredApp:
        return _union(map(fv, a.args))
    if tp is WP:
        return _union((fv(a.version), fv(a.expr), _without(fv(a.post), (a.var,))))
    raise TypeError(f"not a term, program or assertion: {a!r}")


def avars(a) -> frozenset:
    """Assertion variables occurring in an assertion."""
    tp = type(a)
    if tp is AVar:
        return frozenset((a.name,))
    if tp in (Sep, Wand, And, Or):
        return avars(a.left) | avars(a.right)
    if tp in (Exists, Forall, Persistently, BigSep, Inv, IsLock):
        return avars(a.body)
    if tp is WP:
        return avars(a.post)
    if tp is PredApp:
        out: frozenset = frozenset()
        for t in a.args:
            if isinstance(t, Assertion):
                out |= avars(t)
        return out
    return frozenset()


class Avoid:
    """The union of some sets of names, for ``in`` only (a fresh name avoids a goal's names
    and a few more: uniting them would copy all of the goal's at every name made)."""
    __slots__ = ("sets",)

    def __init__(self, *sets):
        self.sets = sets

    def __contains__(self, x) -> bool:
        for s in self.sets:
            if x in s:
                return True
        return False


def fresh_name(base: str, avoid) -> str:
    """``base`` if unused, else ``base1``, ``base2``, ... (digits stripped from base first)."""
    if base not in avoid:
        return base
    stem = base.rstrip("0123456789'") or "x"
    i = 1
    while f"{stem}{i}" in avoid:
        i += 1
    return f"{stem}{i}"


# ---------------------------------------------------------------------------------------------
# Substitution of logical variables (capture-avoiding) and of assertion variables


def subst_term(t: Term, s: dict) -> Term:
    tp = type(t)
    if tp is Var:
        return s.get(t.name, t)
    if tp is App:
        if fv(t).isdisjoint(s):       # nothing to replace: the term itself, not a copy
            return t
        return App(t.op, tuple(subst_term(a, s) for a in t.args))
    return t


def subst_expr(e: Expr, s: dict) -> Expr:
    """Substitute logical variables inside the values of a program."""
    tp = type(e)
    if tp is not EVar and fv(e).isdisjoint(s):
        return e
    if tp is Val:
        return Val(subst_term(e.term, s))
    if tp is EVar:
        return e
    if tp is Let:
        return Let(e.name, subst_expr(e.bound, s), subst_expr(e.body, s))
    if tp is If:
        return If(subst_expr(e.cond, s), subst_expr(e.then, s), subst_expr(e.els, s))
    if tp is Call:
        return Call(e.func, tuple(subst_expr(a, s) for a in e.args))
    if tp is Prim:
        return Prim(e.op, tuple(subst_expr(a, s) for a in e.args))
    if tp is Fork:
        return Fork(subst_expr(e.body, s))
    if tp is Loop:
        return Loop(subst_expr(e.body, s))
    raise TypeError(f"not an expression: {e!r}")


def _range_fv(s: dict) -> frozenset:
    out: frozenset = frozenset()
    for v in s.values():
        out |= fv(v)
    return out


def _under(var: str, body, s: dict, extra_avoid: frozenset, taken=frozenset()):
    """Prepare to substitute under a binder of ``var``: drop ``var`` from ``s`` and rename the
    binder if it would capture a free variable of the substituted terms (never to a name in
    ``taken``: the other binders of the same big-∗)."""
    s2 = {k: v for k, v in s.items() if k != var}
    if not s2 and not extra_avoid:
        return var, body, s2
    danger = _range_fv(s2) | extra_avoid    # (extra_avoid: free variables of assertions
                                            # substituted for assertion variables)
    if var in danger:
        new = fresh_name(var, danger | fv(body) | set(s2) | taken)
        body = subst(body, {var: Var(new)})
        var = new
    return var, body, s2


def subst(a, s: dict, avs: dict | None = None):
    """Capture-avoiding substitution of logical variables (``s``: name -> Term) and, if given,
    of assertion variables (``avs``: name -> Assertion) in a term, program or assertion."""
    if not avs and all(type(t) is Var and t.name == k for k, t in s.items()):
        return a                      # x := x for each x (or none): the identity, exactly
    return _subst(a, s, avs)


def _subst(a, s: dict, avs: dict | None):
    """`subst` below its entry (the identity was ruled out there; what s leaves free is kept).
    Nothing free to replace (introducing a name, a value for an unused variable): ``a`` itself.
    This also leaves binders alone that the walk below would rename because they occur free in
    s's terms -- renaming them is not needed when nothing is replaced.  (The identity is asked
    first: introducing ∀x as x asks no set of a new node.)"""
    if not avs and (not s or fv(a).isdisjoint(s)):
        return a
    if isinstance(a, Term):
        return subst_term(a, s)
    if isinstance(a, Expr):
        return subst_expr(a, s)
    tp = type(a)
    if tp is Pure:
        return Pure(subst_term(a.term, s))
    if tp is Emp:
        return a
    if tp is AVar:
        return avs.get(a.name, a) if avs else a
    if tp in (Sep, Wand, And, Or):
        return tp(_subst(a.left, s, avs), _subst(a.right, s, avs))
    avoid = _range_fv(avs) if avs else frozenset()
    if tp in (Exists, Forall):
        var, body, s2 = _under(a.var, a.body, s, avoid)
        return tp(var, a.sort, _subst(body, s2, avs))
    if tp is Persistently:
        return Persistently(_subst(a.body, s, avs))
    if tp is BigSep:
        coll = subst_term(a.coll, s)
        body, s2, names = a.body, s, []
        for i, v in enumerate(a.vars):
            others = frozenset(names) | frozenset(a.vars[i + 1:])
            v, body, s2 = _under(v, body, s2, avoid, others)
            names.append(v)
        return BigSep(a.kind, tuple(names), coll, _subst(body, s2, avs))
    if tp is Atom:
        return Atom(a.kind, tuple(subst_term(t, s) for t in a.args))
    if tp is Inv:
        return Inv(a.name, _subst(a.body, s, avs))
    if tp is IsLock:
        return IsLock(subst_term(a.lock, s), _subst(a.body, s, avs))
    if tp is PredApp:
        return PredApp(a.name, tuple(_subst(t, s, avs) for t in a.args))
    if tp is WP:
        var, post, s2 = _under(a.var, a.post, s, avoid)
        return WP(subst_term(a.version, s), a.opened, subst_expr(a.expr, s), var,
                  _subst(post, s2, avs))
    raise TypeError(f"not a term, program or assertion: {a!r}")


# ---------------------------------------------------------------------------------------------
# Program variables: substituting values for parameters / let-bound names


def prog_vars(e: Expr) -> frozenset:
    """The program variables free in e (not bound by a let of e), kept in its ``_pv`` slot."""
    out = getattr(e, "_pv", None)
    if out is not None:
        return out
    tp = type(e)
    if tp is EVar:
        out = frozenset((e.name,))
    elif tp is Let:
        out = _union((prog_vars(e.bound), _without(prog_vars(e.body), (e.name,))))
    elif tp is If:
        out = _union((prog_vars(e.cond), prog_vars(e.then), prog_vars(e.els)))
    elif tp in (Call, Prim):
        out = _union(map(prog_vars, e.args))
    elif tp in (Fork, Loop):
        out = prog_vars(e.body)
    elif tp is Val:
        out = _EMPTY
    else:
        raise TypeError(f"not an expression: {e!r}")
    _set_slot(e, "_pv", out)
    return out


def subst_prog(e: Expr, s: dict) -> Expr:
    """Replace program variables by expressions (values, in practice).  Values are closed with
    respect to program variables, so no capture is possible.  A part mentioning none of s's
    names is returned as it is (a let's continuation is not copied for a name it never uses)."""
    if s.keys().isdisjoint(prog_vars(e)):
        return e
    tp = type(e)
    if tp is EVar:
        return s.get(e.name, e)
    if tp is Val:
        return e
    if tp is Let:
        inner = {k: v for k, v in s.items() if k != e.name} if e.name in s else s
        return Let(e.name, subst_prog(e.bound, s), subst_prog(e.body, inner))
    if tp is If:
        return If(subst_prog(e.cond, s), subst_prog(e.then, s), subst_prog(e.els, s))
    if tp is Call:
        return Call(e.func, tuple(subst_prog(x, s) for x in e.args))
    if tp is Prim:
        return Prim(e.op, tuple(subst_prog(x, s) for x in e.args))
    if tp is Fork:
        return Fork(subst_prog(e.body, s))
    if tp is Loop:
        return Loop(subst_prog(e.body, s))
    raise TypeError(f"not an expression: {e!r}")


# ---------------------------------------------------------------------------------------------
# Alpha-equivalence


def alpha_eq(a, b) -> bool:
    """Equality up to renaming of bound logical variables."""
    if a == b:
        return True
    return _aeq(a, b, {}, {})


def _aeq(a, b, ma: dict, mb: dict) -> bool:
    """``ma``/``mb`` map the bound variables in scope to keys.  Each binder gets a new
    ``object()`` as its key: it equals no other key (so shadowing is right) and no name (a
    free variable stands for itself), whatever the names are."""
    ta, tb = type(a), type(b)
    if ta is not tb:
        return False
    if ta is Var:
        return ma.get(a.name, a.name) == mb.get(b.name, b.name)
    if ta is Lit:
        return a == b
    if ta in (App, Prim, Call):
        key = "op" if ta is not Call else "func"
        return (getattr(a, key) == getattr(b, key) and len(a.args) == len(b.args)
                and all(_aeq(x, y, ma, mb) for x, y in zip(a.args, b.args)))
    if ta is Val:
        return _aeq(a.term, b.term, ma, mb)
    if ta in (EVar, Emp, AVar):
        return a == b
    if ta is Let:
        return a.name == b.name and _aeq(a.bound, b.bound, ma, mb) and _aeq(a.body, b.body, ma, mb)
    if ta is If:
        return (_aeq(a.cond, b.cond, ma, mb) and _aeq(a.then, b.then, ma, mb)
                and _aeq(a.els, b.els, ma, mb))
    if ta in (Fork, Loop, Persistently):
        return _aeq(a.body, b.body, ma, mb)
    if ta is Pure:
        return _aeq(a.term, b.term, ma, mb)
    if ta in (Sep, Wand, And, Or):
        return _aeq(a.left, b.left, ma, mb) and _aeq(a.right, b.right, ma, mb)
    if ta in (Exists, Forall):
        if a.sort != b.sort:
            return False
        k = object()
        return _aeq(a.body, b.body, {**ma, a.var: k}, {**mb, b.var: k})
    if ta is BigSep:
        if a.kind != b.kind or len(a.vars) != len(b.vars) or not _aeq(a.coll, b.coll, ma, mb):
            return False
        ma2, mb2 = dict(ma), dict(mb)
        for x, y in zip(a.vars, b.vars):
            ma2[x] = mb2[y] = object()
        return _aeq(a.body, b.body, ma2, mb2)
    if ta is Atom:
        return (a.kind == b.kind and len(a.args) == len(b.args)
                and all(_aeq(x, y, ma, mb) for x, y in zip(a.args, b.args)))
    if ta is Inv:
        return a.name == b.name and _aeq(a.body, b.body, ma, mb)
    if ta is IsLock:
        return _aeq(a.lock, b.lock, ma, mb) and _aeq(a.body, b.body, ma, mb)
    if ta is PredApp:
        return (a.name == b.name and len(a.args) == len(b.args)
                and all(_aeq(x, y, ma, mb) for x, y in zip(a.args, b.args)))
    if ta is WP:
        if a.opened != b.opened or not _aeq(a.version, b.version, ma, mb):
            return False
        if not _aeq(a.expr, b.expr, ma, mb):
            return False
        k = object()
        return _aeq(a.post, b.post, {**ma, a.var: k}, {**mb, b.var: k})
    return False
