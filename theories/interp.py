"""An executable interpreter of the core language, with the semantics the kernel and the
axioms assume: left-to-right evaluation, uint64 arithmetic modulo 2^64, a heap of locations,
locks, and threads created by ``fork`` interleaved by a seeded scheduler.

Each thread is a Python generator that yields before every step touching shared state, so the
scheduler can interleave threads at exactly those points (pure steps are thread-local and
need no interleaving).  A stuck program (type error, division by zero, free variable) raises
`Stuck`, which is what a proof rules out.

Plain memory accesses take two steps, as GooseLang's non-atomic loads and stores
(StartRead/FinishRead, PrepareWrite/FinishStore): the first marks the cells the access reads or
writes, the second does it and unmarks them.  A conflicting access to a marked cell -- a write
while it is read or written, a read while it is written, by a plain or an atomic operation -- is
a data race and gets stuck, so the interpreter, like the kernel, admits only race-free programs.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from kernel.pure import fs_name_ok
from kernel.wf import unicode_text
from seplogic.syntax import Call, EVar, Fork, If, Let, Loop, Prim, Val

MASK = 2 ** 64 - 1


class Stuck(Exception):
    """The program has no next step (the kernel would make its WP unprovable)."""


@dataclass(frozen=True)
class Loc:
    addr: int

    def __repr__(self):
        return f"ℓ{self.addr}"


@dataclass(frozen=True)
class Some:
    value: object


@dataclass(frozen=True)
class Break:
    value: object


class _Const:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


UNIT = _Const("()")
WRITING = _Const("writing")
NONE = _Const("None")
CONTINUE = _Const("continue")


def term_value(t):
    """The value of a closed pure term ``#(t)``: literals and constructors, and the term
    operators whose meaning the logic fixes (`_term_op`) or that pure program steps produce
    (string_len, ...); the interpreter has no values for sets, maps, lists and the
    uninterpreted functions."""
    from seplogic.syntax import App, Lit
    if type(t) is Lit:
        if t.kind == "string" and not unicode_text(t.value):
            raise Stuck(f"not a string literal (a lone surrogate): {t.value!r}")
        return UNIT if t.kind == "unit" else t.value
    if type(t) is App:
        args = [term_value(a) for a in t.args]
        if t.op == "nil" and not args:
            return NIL
        if t.op == "pair":
            return (args[0], args[1])
        if t.op == "some":
            return Some(args[0])
        if t.op == "none":
            return NONE
        if t.op == "continue":
            return CONTINUE
        if t.op == "break":
            return Break(args[0])
        if t.op in _TERM_OPS:
            return _term_op(t.op, args)
        if t.op in ("string_len", "string_concat", "u64_to_string", "string_to_u64"):
            return go_pure_prim(t.op, args)
    raise Stuck(f"not a closed value: {t!r}")


_TERM_OPS = frozenset({"add", "sub", "mul", "div", "mod", "neg", "add64", "sub64", "mul64",
                       "lt", "le", "eq", "ne", "and", "or", "not", "implies", "ite", "fst",
                       "snd"})


def _term_op(op, a):
    """The logic's meaning of a term operator (kernel/pure.py): exact integers, floor division
    with x div 0 = 0 and x mod 0 = x, add64/sub64/mul64 modulo 2^64, equality of values."""
    if op in ("eq", "ne"):
        return same_value(a[0], a[1]) == (op == "eq")
    if op in ("and", "or", "not", "implies"):
        b = [_bool(x) for x in a]
        return {"and": lambda: b[0] and b[1], "or": lambda: b[0] or b[1],
                "not": lambda: not b[0], "implies": lambda: not b[0] or b[1]}[op]()
    if op == "ite":
        return a[1] if _bool(a[0]) else a[2]
    if op in ("fst", "snd"):
        if type(a[0]) is not tuple:
            raise Stuck(f"{op} of a non-pair")
        return a[0][op == "snd"]
    if op == "neg":
        return -_u64(a[0])
    x, y = _u64(a[0]), _u64(a[1])
    if op in ("div", "mod"):
        if y == 0:
            return 0 if op == "div" else x
        return x // y if op == "div" else x % y
    if op in ("lt", "le"):
        return x < y if op == "lt" else x <= y
    r = {"add": x + y, "sub": x - y, "mul": x * y}[op.removesuffix("64")]
    return r & MASK if op.endswith("64") else r


def same_value(x, y) -> bool:
    """GooseLang's equality of values (``==`` and ``cas``): the same constructor all the way
    down.  Python's ``==`` is not it, since ``True == 1`` and so ``(1, True) == (1, 1)``.
    Strings are compared as Python strs, which is comparing their Go bytes because every
    string the interpreter makes is canonical (`_go_str` of its bytes)."""
    if type(x) is not type(y):
        return False
    if type(x) is tuple:
        return len(x) == len(y) and all(map(same_value, x, y))
    if type(x) in (Some, Break):
        return same_value(x.value, y.value)
    return x == y


def _u64(x):
    if type(x) is not int:
        raise Stuck(f"expected a uint64, got {x!r}")
    return x


def _bool(x):
    if type(x) is not bool:
        raise Stuck(f"expected a bool, got {x!r}")
    return x


def pure_prim(op, args):
    a = args
    if op in ("add", "sub", "mul", "div", "mod", "lt", "le", "gt", "ge"):
        x, y = _u64(a[0]), _u64(a[1])
        if op == "add":
            return (x + y) & MASK
        if op == "sub":
            return (x - y) & MASK
        if op == "mul":
            return (x * y) & MASK
        if op in ("div", "mod"):
            if y == 0:
                raise Stuck("integer divide by zero")
            return x // y if op == "div" else x % y
        return {"lt": x < y, "le": x <= y, "gt": x > y, "ge": x >= y}[op]
    if op in ("eq", "ne"):
        same = same_value(a[0], a[1])
        return same if op == "eq" else not same
    if op in ("and", "or"):
        x, y = _bool(a[0]), _bool(a[1])
        return (x and y) if op == "and" else (x or y)
    if op == "not":
        return not _bool(a[0])
    if op == "pair":
        return (a[0], a[1])
    if op in ("fst", "snd"):
        if type(a[0]) is not tuple:
            raise Stuck(f"{op} of a non-pair")
        return a[0][0] if op == "fst" else a[0][1]
    if op == "some":
        return Some(a[0])
    if op == "break":
        return Break(a[0])
    if op in GO_PURE_PRIMS:
        return go_pure_prim(op, a)
    return None


class Machine:
    """The shared state: heap (locations to values; locks are locations holding a bool)."""

    def __init__(self, funcs: dict, seed: int = 0, max_steps: int = 10_000_000):
        self.funcs = funcs
        self.heap: dict = {}
        self.next = 1
        self.rng = random.Random(seed)
        self.threads: list = []
        self.steps = 0
        self.max_steps = max_steps
        # cells being accessed by a plain (two-step) access: cell -> number of readers, or
        # WRITING; a cell is a heap location, (array, index) for a slice element, or a map
        self.access: dict = {}

    def alloc(self, v):
        loc = Loc(self.next)
        self.next += 1
        self.heap[loc] = v
        return loc

    def cell(self, l):
        if type(l) is not Loc or l not in self.heap:
            raise Stuck(f"not an allocated location: {l!r}")
        return l

    # ---- evaluation (a generator per thread) --------------------------------------------------

    def eval(self, e, env):
        """Evaluate ``e``; yields before each shared-state step."""
        tp = type(e)
        if tp is Val:
            return term_value(e.term)
        if tp is EVar:
            if e.name not in env:
                raise Stuck(f"free program variable {e.name}")
            return env[e.name]
        if tp is Let or tp is If:
            # let-chains and conditionals continue in tail position: iterate, do not nest
            # (translated Go is long chains of lets)
            while True:
                if type(e) is Let:
                    v = yield from self.eval(e.bound, env)
                    env = env if e.name == "_" else {**env, e.name: v}
                    e = e.body
                elif type(e) is If:
                    c = _bool((yield from self.eval(e.cond, env)))
                    e = e.then if c else e.els
                else:
                    return (yield from self.eval(e, env))
        if tp is Call:
            args = []
            for a in e.args:
                args.append((yield from self.eval(a, env)))
            if e.func not in self.funcs:
                raise Stuck(f"call of undefined function {e.func}")
            params, body = self.funcs[e.func]
            if len(params) != len(args):
                raise Stuck(f"{e.func} called with {len(args)} arguments")
            self.tick()          # so does pure recursion
            return (yield from self.eval(body, dict(zip(params, args))))
        if tp is Fork:
            self.threads.append(self.eval(e.body, env))
            yield
            return UNIT
        if tp is Loop:
            while True:
                self.tick()      # a loop of pure steps (Go's `for {}`) yields nowhere
                r = yield from self.eval(e.body, env)
                if r is CONTINUE:
                    continue
                if type(r) is Break:
                    return r.value
                raise Stuck(f"loop body returned {r!r}, not continue or break")
        if tp is Prim:
            args = []
            for a in e.args:
                args.append((yield from self.eval(a, env)))
            return (yield from self.prim(e.op, args))
        raise Stuck(f"not a program: {e!r}")

    def tick(self):
        """Count a step that is not a scheduling point (`--max-steps` counts every step)."""
        self.steps += 1
        if self.steps > self.max_steps:
            raise Stuck("step limit exceeded (a livelock or a very long run)")

    # ---- data races ---------------------------------------------------------------------------

    def check_access(self, reads, writes, op):
        """An access to cells ``reads`` and ``writes`` now; a data race if a plain access to
        one of them is in progress and the two conflict (one of them writes)."""
        for c in writes:
            if c in self.access:
                raise Stuck(f"data race: {op} writes {c!r} during another access to it")
        for c in reads:
            if self.access.get(c) is WRITING:
                raise Stuck(f"data race: {op} reads {c!r} while it is being written")

    def plain(self, op, a):
        """A plain memory access: two steps, its cells marked in between."""
        reads, writes = self.footprint(op, a)
        writes = set(writes)
        reads = set(reads) - writes      # (one access may read and write a cell: no race)
        self.check_access(reads, writes, op)
        for c in reads:
            self.access[c] = self.access.get(c, 0) + 1
        for c in writes:
            self.access[c] = WRITING
        yield
        for c in reads:
            n = self.access.pop(c)
            if n > 1:
                self.access[c] = n - 1
        for c in writes:
            del self.access[c]
        if op == "load":
            return self.heap[self.cell(a[0])]
        if op == "store":
            self.heap[self.cell(a[0])] = a[1]
            return UNIT
        return self.go_prim(op, a)

    def prim(self, op, a):
        v = pure_prim(op, a)
        if v is not None:
            return v
        yield  # every effectful primitive is an interleavable step
        if op in PLAIN_PRIMS:
            return (yield from self.plain(op, a))
        if op == "ref":
            return self.alloc(a[0])
        if op in ("atomic_load", "atomic_store", "cas"):
            l = self.cell(a[0])
            self.check_access((l,), () if op == "atomic_load" else (l,), op)
        if op == "atomic_load":
            return self.heap[l]
        if op == "atomic_store":
            self.heap[l] = a[1]
            return UNIT
        if op == "cas":
            old = self.heap[l]
            if same_value(old, a[1]):
                self.heap[l] = a[2]
                return True
            return False
        if op == "newlock":
            return self.alloc(False)
        if op == "acquire":
            l = self.cell(a[0])
            while self.heap[l]:
                yield
            self.check_access((l,), (l,), op)
            self.heap[l] = True
            return UNIT
        if op == "release":
            l = self.cell(a[0])
            self.check_access((l,), (l,), op)
            if self.heap[l] is not True:
                raise Stuck("release of a lock that is not held")
            self.heap[l] = False
            return UNIT
        if op in GO_EFFECT_PRIMS:
            return self.go_prim(op, a)
        raise Stuck(f"primitive {op} is not supported by this interpreter")

    # ---- scheduling ---------------------------------------------------------------------------

    def run(self, func: str, args: list):
        """Run ``func(args)`` in the main thread, interleaving forked threads at random (seeded)
        until the main thread returns; then run the remaining threads to completion."""
        params, body = self.funcs[func]
        if len(params) != len(args):
            raise Stuck(f"{func} takes {len(params)} arguments")
        main = self.eval(body, dict(zip(params, args)))
        self.threads = [main]
        result, main_done = None, False
        while self.threads:
            self.steps += 1
            if self.steps > self.max_steps:
                raise Stuck("step limit exceeded (a livelock or a very long run)")
            i = self.rng.randrange(len(self.threads))
            t = self.threads[i]
            try:
                next(t)
            except StopIteration as stop:
                self.threads.pop(i)
                if t is main:
                    result, main_done = stop.value, True
        assert main_done
        return result


def show_value(v) -> str:
    """Go's formatting for bools and integers; pv notation otherwise."""
    if type(v) is bool:
        return "true" if v else "false"
    if type(v) is tuple:
        return f"({show_value(v[0])}, {show_value(v[1])})"
    if type(v) is str:
        return v
    return repr(v) if not isinstance(v, int) else str(v)


# ---------------------------------------------------------------------------------------------
# Go data (the primitives `pv goose` translates slices, maps, strings and the primitive
# libraries to; docs/syntax.md, "Primitives for Go data").
#
# * A slice is a view (array, offset, length, capacity) of a backing array, which lives in the
#   heap as an `_Array` (its elements and the zero value of its element type); slices made from
#   the same array share memory, as in Go.  `nil()` is the nil slice (and the nil pointer).
# * `append` writes in place when the capacity suffices, else copies into a new array of
#   capacity max(needed, 2 * cap) (from a nil or zero-capacity slice: exactly the length needed).
#   Go leaves the new capacity unspecified beyond "sufficiently large"; programs whose result
#   depends on it are not portable, and proofs must not assume a particular growth.  Making or
#   growing a slice beyond SLICE_MAX_LEN elements is stuck, as Go panics above its allocation
#   limit.
# * A map is a heap object (`_Map`: default value and entries); `map_keys` lists the keys in an
#   order drawn from the machine's seeded generator, so iteration order is random, as in Go,
#   yet reproducible for a given seed.
# * A Go string is a Python str; its bytes are its UTF-8 encoding, invalid bytes being kept as
#   lone surrogates (``surrogateescape``), so that any byte sequence round-trips.  Every string
#   is canonical (the decoding of its bytes; concatenation re-decodes), so two strings are
#   equal exactly when their bytes are; string literals are Unicode text (no surrogates).
# * The primitive libraries are in-memory models: one disk and two disks of `disk_blocks`
#   blocks of 4096 bytes (zero at first; `fail_disk(d)` fails one of the two disks), and a file
#   system with inodes, links and descriptors whose directories are `fs_dirs` (as given to
#   filesys.Init; if unset, every valid name is a directory).


NIL = _Const("nil")
BLOCK_SIZE = 4096
# The elements a slice may be made or grown to (theories/slices.py, MAX_LEN: Go's allocation
# limit for the element types pv goose accepts)
SLICE_MAX_LEN = 2 ** 40


@dataclass(frozen=True)
class SliceVal:
    arr: Loc
    off: int
    len: int
    cap: int

    def __repr__(self):
        return f"slice({self.arr!r}[{self.off}:{self.off + self.len}], cap {self.cap})"


@dataclass(frozen=True)
class MapRef:
    loc: Loc

    def __repr__(self):
        return f"map{self.loc!r}"


class _Array:
    __slots__ = ("zero", "items")

    def __init__(self, zero, items):
        self.zero, self.items = zero, items


class _Map:
    __slots__ = ("zero", "entries")

    def __init__(self, zero):
        self.zero, self.entries = zero, {}


def _go_bytes(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def _go_str(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


def _slice(x, op):
    if x is NIL:
        return None
    if type(x) is not SliceVal:
        raise Stuck(f"{op} of a non-slice {x!r}")
    return x


def _string(x, op):
    if type(x) is not str:
        raise Stuck(f"{op} of a non-string {x!r}")
    return x


GO_PURE_PRIMS = frozenset({"nil", "slice_len", "slice_cap", "slice_sub", "string_len",
                           "string_concat", "u64_to_string", "string_to_u64"})


def go_pure_prim(op, a):
    if op == "nil":
        return NIL
    if op in ("slice_len", "slice_cap"):
        s = _slice(a[0], op)
        return 0 if s is None else (s.len if op == "slice_len" else s.cap)
    if op == "slice_sub":
        s = _slice(a[0], op)
        lo, hi = _u64(a[1]), _u64(a[2])
        cap = 0 if s is None else s.cap
        if not lo <= hi <= cap:
            raise Stuck(f"slice bounds out of range [{lo}:{hi}] with capacity {cap}")
        if s is None:
            return NIL
        return SliceVal(s.arr, s.off + lo, hi - lo, s.cap - lo)
    if op == "string_len":
        return len(_go_bytes(_string(a[0], op)))
    if op == "string_concat":   # of the bytes: a split UTF-8 sequence joins into one character
        return _go_str(_go_bytes(_string(a[0], op)) + _go_bytes(_string(a[1], op)))
    if op == "u64_to_string":
        return str(_u64(a[0]))
    if op == "string_to_u64":   # Go's strconv.ParseUint(s, 10, 64): ASCII digits, < 2^64
        s = _string(a[0], op)
        ok = s != "" and all("0" <= c <= "9" for c in s) and int(s) < 2 ** 64
        return (int(s), True) if ok else (0, False)
    raise Stuck(f"primitive {op} is not supported by this interpreter")  # pragma: no cover


GO_EFFECT_PRIMS = frozenset({
    "slice_make", "slice_get", "slice_set", "slice_append", "slice_append_slice",
    "map_make", "map_get", "map_insert", "map_delete", "map_len", "map_keys",
    "string_from_bytes", "bytes_from_string",
    "read", "write", "size", "disk_read", "disk_write", "disk_size",
    "fs_create", "fs_append_prefix", "fs_append_rest", "fs_close", "fs_open", "fs_readat",
    "fs_delete", "fs_link", "fs_list", "rand_u64",
})


# Plain memory accesses (kernel/program.py keeps them out of ATOMIC_EFFECT_PRIMS; a test checks
# that this set equals its PLAIN_ACCESS): Go's *p, *p = v, s[i], s[i] = v, append, map reads and
# writes, string(bs).
PLAIN_PRIMS = frozenset({"load", "store", "slice_get", "slice_set", "slice_append",
                         "slice_append_slice", "map_get", "map_insert", "map_delete", "map_len",
                         "map_keys", "string_from_bytes"})


def _cells(s, lo, hi):
    """The cells of the elements lo..hi-1 of the slice s (None: the nil slice)."""
    return [] if s is None else [(s.arr, s.off + i) for i in range(lo, hi)]


def _machine_footprint(self, op, a):
    """(cells read, cells written) by the plain access ``op(a)``, as Go's race detector sees
    it: append writes the new elements in place, or reads the old ones to copy them."""
    if op in ("load", "store"):
        l = self.cell(a[0])
        return ((l,), ()) if op == "load" else ((), (l,))
    if op in ("slice_get", "slice_set"):
        s = _slice(a[0], op)
        i = _index(s, a[1], op)
        c = ((s.arr, i),)
        return (c, ()) if op == "slice_get" else ((), c)
    if op in ("slice_append", "slice_append_slice"):
        s = _slice(a[0], op)
        if op == "slice_append":
            reads, n = [], 1
        else:
            t = _slice(a[1], op)
            n = 0 if t is None else t.len
            reads = _cells(t, 0, n)
        if s is not None and s.len + n <= s.cap:
            return reads, [(s.arr, s.off + s.len + i) for i in range(n)]
        return reads + _cells(s, 0, 0 if s is None else s.len), []
    if op == "string_from_bytes":
        s = _slice(a[0], op)
        return _cells(s, 0, 0 if s is None else s.len), []
    _map(self, a[0], op)
    m = a[0].loc
    return ((m,), ()) if op in ("map_get", "map_len", "map_keys") else ((), (m,))


def _machine_go_state(self):
    """The state of the Go data and of the primitive libraries, created on first use."""
    st = self.__dict__.get("_go")
    if st is None:
        st = self._go = {
            "disk_blocks": getattr(self, "disk_blocks", 32),
            "disk": {}, "disks": ({}, {}), "failed": [False, False],
            "dirs": {}, "inodes": {}, "fds": {}, "next_fd": 1, "next_inode": 1,
            "fs_dirs": getattr(self, "fs_dirs", None),
        }
    return st


def _new_slice(self, items, zero, length=None):
    arr = self.alloc(_Array(zero, items))
    n = len(items) if length is None else length
    return SliceVal(arr, 0, n, len(items))


def _array(self, s):
    arr = self.heap.get(s.arr)
    if type(arr) is not _Array:
        raise Stuck(f"not a slice: {s!r}")
    return arr.items


def _elements(self, s):
    if s is None:
        return []
    return _array(self, s)[s.off:s.off + s.len]


def _append(self, s, new):
    """Go's append of the values ``new`` to the slice ``s``."""
    if s is None:
        if len(new) > SLICE_MAX_LEN:
            raise Stuck(f"growslice: cap out of range ({len(new)} elements)")
        return _new_slice(self, list(new), None) if new else NIL
    n = len(new)
    if s.len + n > s.cap and s.len + n > SLICE_MAX_LEN:
        raise Stuck(f"growslice: cap out of range ({s.len} + {n} elements)")
    if s.len + n <= s.cap:
        items = _array(self, s)
        items[s.off + s.len:s.off + s.len + n] = new
        return SliceVal(s.arr, s.off, s.len + n, s.cap)
    arr = self.heap[s.arr]
    need = s.len + n
    cap = need if s.cap == 0 else max(need, 2 * s.cap)
    items = arr.items[s.off:s.off + s.len] + list(new) + [arr.zero] * (cap - need)
    return SliceVal(self.alloc(_Array(arr.zero, items)), 0, need, cap)


def _map(self, m, op):
    if type(m) is not MapRef or type(self.heap.get(m.loc)) is not _Map:
        raise Stuck(f"{op} of a non-map {m!r}")
    return self.heap[m.loc]


def _index(s, i, op):
    i = _u64(i)
    n = 0 if s is None else s.len
    if i >= n:
        raise Stuck(f"index out of range [{i}] with length {n}")
    return s.off + i


def _byte_list(self, s, op):
    out = _elements(self, _slice(s, op))
    for b in out:
        if type(b) is not int or not 0 <= b < 256:
            raise Stuck(f"{op}: not a byte: {b!r}")
    return out


def _fs_name(x, what="name"):
    name = _string(x, "file system " + what)
    if not fs_name_ok(name):
        raise Stuck(f"bad file name {name!r}")
    return name


def _fs_dir(st, x):
    """The entries of a directory; with ``Machine.fs_dirs`` set (the directories of
    ``filesys.Init``), any other directory is unknown, as in Go; else every name is one."""
    d = _fs_name(x, "directory")
    known = st["fs_dirs"]
    if known is not None and d not in known:
        raise Stuck(f"unknown directory {d!r}")
    return st["dirs"].setdefault(d, {})


def _machine_go_prim(self, op, a):
    st = _machine_go_state(self)
    # ---- slices
    if op == "slice_make":
        n, cap = _u64(a[1]), _u64(a[2])
        if n > SLICE_MAX_LEN:
            raise Stuck(f"makeslice: len out of range ({n} > {SLICE_MAX_LEN})")
        if n > cap:
            raise Stuck(f"makeslice: cap out of range (len {n} larger than cap {cap})")
        if cap > SLICE_MAX_LEN:
            raise Stuck(f"makeslice: cap out of range ({cap} > {SLICE_MAX_LEN})")
        return _new_slice(self, [a[0]] * cap, a[0], n)
    if op == "slice_get":
        s = _slice(a[0], op)
        return _array(self, s)[_index(s, a[1], op)] if s is not None else _index(s, a[1], op)
    if op == "slice_set":
        s = _slice(a[0], op)
        i = _index(s, a[1], op)
        _array(self, s)[i] = a[2]
        return UNIT
    if op == "slice_append":
        return _append(self, _slice(a[0], op), [a[1]])
    if op == "slice_append_slice":
        return _append(self, _slice(a[0], op), _elements(self, _slice(a[1], op)))
    # ---- maps
    if op == "map_make":
        return MapRef(self.alloc(_Map(a[0])))
    if op == "map_get":
        m = _map(self, a[0], op)
        k = _u64(a[1])
        return (m.entries[k], True) if k in m.entries else (m.zero, False)
    if op == "map_insert":
        _map(self, a[0], op).entries[_u64(a[1])] = a[2]
        return UNIT
    if op == "map_delete":
        _map(self, a[0], op).entries.pop(_u64(a[1]), None)
        return UNIT
    if op == "map_len":
        return len(_map(self, a[0], op).entries)
    if op == "map_keys":
        keys = sorted(_map(self, a[0], op).entries)
        self.rng.shuffle(keys)
        return _new_slice(self, keys, 0)
    # ---- strings
    if op == "string_from_bytes":
        return _go_str(bytes(_byte_list(self, a[0], op)))
    if op == "bytes_from_string":
        return _new_slice(self, list(_go_bytes(_string(a[0], op))), 0)
    # ---- one disk
    if op in ("read", "write", "disk_read", "disk_write"):
        two = op.startswith("disk_")
        d = _u64(a[0]) if two else None
        addr = _u64(a[1] if two else a[0])
        if two and d not in (0, 1):
            raise Stuck(f"no disk {d}")
        if addr >= st["disk_blocks"]:
            raise Stuck(f"disk address {addr} out of range (size {st['disk_blocks']})")
        blocks = st["disks"][d] if two else st["disk"]
        if op in ("read", "disk_read"):
            if two and st["failed"][d]:
                return (NIL, False)
            v = _new_slice(self, list(blocks.get(addr, (0,) * BLOCK_SIZE)), 0)
            return (v, True) if two else v
        # a block holds the slice's elements: Go's types make them bytes, and the axioms
        # (theories/disk.py) promise a read gives back whatever was written
        data = tuple(self.read_slice(a[2] if two else a[1], op))
        if len(data) != BLOCK_SIZE:
            raise Stuck(f"disk write of {len(data)} bytes, want {BLOCK_SIZE}")
        if not (two and st["failed"][d]):
            blocks[addr] = data
        return UNIT
    if op in ("size", "disk_size"):
        return st["disk_blocks"]
    # ---- file system
    if op == "fs_create":
        dirs, name = _fs_dir(st, a[0]), _fs_name(a[1])
        if name in dirs:
            return (0, False)
        ino = st["next_inode"]
        st["next_inode"] += 1
        st["inodes"][ino] = []
        dirs[name] = ino
        return (_fs_new_fd(st, ino, True), True)
    if op == "fs_append_prefix":    # filesys.Append's first step: a prefix, as a crash leaves
        ino = _fs_fd(st, a[0], True)
        data = self.read_slice(a[1], op)                # (as for disk blocks)
        k = self.rng.randint(0, len(data))              # the primitive's choice: any prefix
        st["inodes"][ino] += data[:k]
        return k
    if op == "fs_append_rest":      # ... and the rest, from the k that the first step returned
        ino = _fs_fd(st, a[0], True)
        st["inodes"][ino] += self.read_slice(a[1], op)[_u64(a[2]):]
        return UNIT
    if op == "fs_close":
        fd = _u64(a[0])
        if fd not in st["fds"]:
            raise Stuck(f"fd {fd} is not open")
        del st["fds"][fd]
        return UNIT
    if op == "fs_open":
        dirs, name = _fs_dir(st, a[0]), _fs_name(a[1])
        if name not in dirs:
            raise Stuck(f"open of a missing file {a[0]}/{name}")
        return _fs_new_fd(st, dirs[name], False)
    if op == "fs_readat":
        ino = _fs_fd(st, a[0], False)
        off, n = _u64(a[1]), _u64(a[2])
        if off + n > FS_READ_LIMIT:     # Go panics for some of these: all are undefined
            raise Stuck(f"ReadAt of {n} bytes at {off}: beyond {FS_READ_LIMIT}")
        return _new_slice(self, list(st["inodes"][ino][off:off + n]), 0)
    if op == "fs_delete":
        dirs, name = _fs_dir(st, a[0]), _fs_name(a[1])
        if name not in dirs:
            raise Stuck(f"delete of a missing file {a[0]}/{name}")
        del dirs[name]
        return UNIT
    if op == "fs_link":
        old, on = _fs_dir(st, a[0]), _fs_name(a[1])
        target, nn = _fs_dir(st, a[2]), _fs_name(a[3])
        if on not in old:
            raise Stuck(f"link of a missing file {a[0]}/{on}")
        if nn in target:
            return False
        target[nn] = old[on]
        return True
    if op == "fs_list":
        return _new_slice(self, sorted(_fs_dir(st, a[0])), "")
    if op == "rand_u64":
        return self.rng.getrandbits(64)
    raise Stuck(f"primitive {op} is not supported by this interpreter")  # pragma: no cover


# ReadAt's bound (theories/filesys.py): Go's make([]byte, k) panics above 2^48 bytes.
FS_READ_LIMIT = 2 ** 48


def _fs_new_fd(st, ino, append):
    fd = st["next_fd"]
    st["next_fd"] += 1
    st["fds"][fd] = (ino, append)
    return fd


def _fs_fd(st, fd, append):
    fd = _u64(fd)
    if fd not in st["fds"]:
        raise Stuck(f"fd {fd} is not open")
    ino, mode = st["fds"][fd]
    if mode != append:
        raise Stuck(f"fd {fd} has the wrong mode")
    return ino


def _machine_read_slice(self, x, op):
    """The elements of a slice that an external operation copies in its one step (a plain
    access in progress to one of them is a data race)."""
    s = _slice(x, op)
    if self.access:
        self.check_access(_cells(s, 0, 0 if s is None else s.len), (), op)
    return _elements(self, s)


def _machine_fail_disk(self, d: int) -> bool:
    """Fail one of the two disks (as twodisk.Fail: refused if the other one has failed)."""
    st = _machine_go_state(self)
    if st["failed"][1 - d]:
        return False
    st["failed"][d] = True
    return True


def _machine_format(self, v) -> str:
    """A value as Go's fmt prints it: integers, bools and strings as such, slices as
    ``[a b c]``, maps as ``map[k:v ...]`` (sorted keys), nil as ``<nil>``; pairs (results and
    structs) in pv notation ``(a, b)``."""
    if type(v) is bool:
        return "true" if v else "false"
    if type(v) is int or type(v) is str:
        return str(v)
    if v is NIL:
        return "<nil>"
    if type(v) is SliceVal:
        return "[" + " ".join(self.format(x) for x in _elements(self, v)) + "]"
    if type(v) is MapRef:
        m = self.heap.get(v.loc)
        if type(m) is _Map:
            return "map[" + " ".join(f"{k}:{self.format(m.entries[k])}"
                                     for k in sorted(m.entries)) + "]"
    if type(v) is tuple:
        return f"({self.format(v[0])}, {self.format(v[1])})"
    return show_value(v)


Machine.go_prim = _machine_go_prim
Machine.footprint = _machine_footprint
Machine.read_slice = _machine_read_slice
Machine.fail_disk = _machine_fail_disk
Machine.format = _machine_format


# ---- crashes -------------------------------------------------------------------------------

class Crashed(Exception):
    """The machine crashed before the run finished."""


def _machine_run_until_crash(self, func: str, args: list, steps: int):
    """Run ``func(args)`` but crash after ``steps`` scheduling steps (if it has not finished):
    returns the result, or raises `Crashed` after `crash` has reset the machine."""
    limit = self.steps + steps
    saved, self.max_steps = self.max_steps, limit
    try:
        return self.run(func, args)
    except Stuck as e:
        if self.steps <= limit or "step limit" not in str(e):
            raise
        self.crash()
        raise Crashed() from None
    finally:
        self.max_steps = saved


def _machine_crash(self) -> None:
    """A crash: memory (heap, locks, slices, maps), threads and open files are lost; the disks
    (with their failures) and the file system's directories and files stay.  The version
    number counts crashes (the n of the logic's WP[n])."""
    st = _machine_go_state(self)
    self.heap = {}
    self.access = {}
    self.threads = []
    st["fds"] = {}
    self.version = getattr(self, "version", 0) + 1


Machine.run_until_crash = _machine_run_until_crash
Machine.crash = _machine_crash
