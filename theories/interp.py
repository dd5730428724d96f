"""An executable interpreter of the core language, with the semantics the kernel and the
axioms assume: left-to-right evaluation, uint64 arithmetic modulo 2^64, a heap of locations,
locks, and threads created by ``fork`` interleaved by a seeded scheduler.

Each thread is a Python generator that yields before every step touching shared state, so the
scheduler can interleave threads at exactly those points (pure steps are thread-local and
need no interleaving).  A stuck program (type error, division by zero, free variable) raises
`Stuck`, which is what a proof rules out.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from seplogic.syntax import Call, EVar, Fork, If, Let, Loop, Prim, Val, subst_prog

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
NONE = _Const("None")
CONTINUE = _Const("continue")


def term_value(t):
    """The value of a closed pure term (literals and constructors)."""
    from seplogic.syntax import App, Lit
    if type(t) is Lit:
        return UNIT if t.kind == "unit" else t.value
    if type(t) is App:
        args = [term_value(a) for a in t.args]
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
    raise Stuck(f"not a closed value: {t!r}")


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
        same = type(a[0]) is type(a[1]) and a[0] == a[1]
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
        if tp is Let:
            v = yield from self.eval(e.bound, env)
            return (yield from self.eval(e.body, env if e.name == "_" else {**env, e.name: v}))
        if tp is If:
            c = _bool((yield from self.eval(e.cond, env)))
            return (yield from self.eval(e.then if c else e.els, env))
        if tp is Call:
            args = []
            for a in e.args:
                args.append((yield from self.eval(a, env)))
            if e.func not in self.funcs:
                raise Stuck(f"call of undefined function {e.func}")
            params, body = self.funcs[e.func]
            if len(params) != len(args):
                raise Stuck(f"{e.func} called with {len(args)} arguments")
            return (yield from self.eval(body, dict(zip(params, args))))
        if tp is Fork:
            self.threads.append(self.eval(e.body, env))
            yield
            return UNIT
        if tp is Loop:
            while True:
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

    def prim(self, op, a):
        v = pure_prim(op, a)
        if v is not None:
            return v
        yield  # every effectful primitive is one atomic, interleavable step
        if op == "ref":
            return self.alloc(a[0])
        if op == "load":
            return self.heap[self.cell(a[0])]
        if op == "store":
            self.heap[self.cell(a[0])] = a[1]
            return UNIT
        if op == "cas":
            l = self.cell(a[0])
            old = self.heap[l]
            if type(old) is type(a[1]) and old == a[1]:
                self.heap[l] = a[2]
                return True
            return False
        if op == "newlock":
            return self.alloc(False)
        if op == "acquire":
            l = self.cell(a[0])
            while self.heap[l]:
                yield
            self.heap[l] = True
            return UNIT
        if op == "release":
            l = self.cell(a[0])
            if self.heap[l] is not True:
                raise Stuck("release of a lock that is not held")
            self.heap[l] = False
            return UNIT
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
