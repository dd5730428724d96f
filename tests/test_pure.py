"""Tests of kernel/pure.py: sort checking and the entailment checker.

Positive tests must be proved; negative tests are claims that are really invalid (a
counterexample is noted next to each) and must NOT be proved."""
import os
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from kernel.pure import PureError, entails, sort_of  # noqa: E402
from seplogic.syntax import (App, BOOL, INT, Lit, NAT, Sort, U64, VAL, Var,  # noqa: E402
                             mk_bool, mk_int)

M = 2 ** 64


def _t(x):
    if isinstance(x, bool):
        return mk_bool(x)
    if isinstance(x, int):
        return mk_int(x)
    return x


class _Ops:
    def __getattr__(self, op):
        return lambda *args: App(op, tuple(_t(a) for a in args))


T = _Ops()


def AND(*xs):
    return App("and", tuple(_t(x) for x in xs))


def OR(*xs):
    return App("or", tuple(_t(x) for x in xs))


def NOT(x):
    return App("not", (_t(x),))


x, y, z, n, i, k, k2 = (Var(s) for s in ("x", "y", "z", "n", "i", "k", "k2"))
a, b, c, d, v, w = (Var(s) for s in ("a", "b", "c", "d", "v", "w"))
p, q, r, m, l1, l2, S, U = (Var(s) for s in ("p", "q", "r", "m", "l1", "l2", "S", "U"))
pr, pr2, bb, cc = Var("pr"), Var("pr2"), Var("bb"), Var("cc")

OPT_U64, LIST_U64, SET_INT = Sort("option", (U64,)), Sort("list", (U64,)), Sort("set", (INT,))
MAP = Sort("map", (U64, U64))
ENV = {"x": U64, "y": U64, "z": U64, "n": U64, "i": U64, "k": U64, "k2": U64,
       "a": INT, "b": INT, "c": INT, "d": INT, "v": VAL, "w": VAL,
       "p": BOOL, "q": BOOL, "r": BOOL, "m": MAP, "l1": LIST_U64, "l2": LIST_U64,
       "S": SET_INT, "U": SET_INT, "pr": Sort("prod", (U64, U64)),
       "pr2": Sort("prod", (U64, U64)), "bb": NAT, "cc": BOOL}
DEFS = {
    "double": (((("x", U64),)), U64, T.add(Var("x"), Var("x"))),
    "quad": (((("y", U64),)), U64, App("double", (App("double", (Var("y"),)),))),
    "small": (((("x", INT),)), BOOL, T.lt(Var("x"), 10)),
    "get": ((("m", MAP), ("k", U64)), OPT_U64, T.lookup(Var("m"), Var("k"))),
    "nothing": ((), OPT_U64, T.none()),
    "wrap": (((("x", U64),)), U64, T.add64(Var("x"), 1)),
    "ident": (((("x", U64),)), U64, Var("x")),
}


def ok(hyps, goal, env=ENV, defs=DEFS):
    return entails(env, [_t(h) for h in hyps], _t(goal), defs)


def proves(*hyps_goal):
    *hyps, goal = hyps_goal
    start = time.perf_counter()
    assert ok(hyps, goal), f"should be proved: {hyps} ⊢ {goal}"
    assert time.perf_counter() - start < 0.5


def rejects(*hyps_goal):
    *hyps, goal = hyps_goal
    assert not ok(hyps, goal), f"must NOT be proved: {hyps} ⊢ {goal}"


# ---------------------------------------------------------------------------------------------
# Linear arithmetic and ranges


def test_u64_range():
    proves(T.lt(x, M))
    proves(T.le(0, x))
    proves(T.le(x, M - 1))
    proves(T.le(0, bb))
    proves(T.lt(T.add(x, y), 2 * M - 1))


def test_linear():
    proves(T.lt(i, n), T.le(n, 10), T.le(T.add(i, 1), 10))
    proves(T.lt(a, b), T.le(T.add(a, 1), b))
    proves(T.lt(a, b), T.lt(b, c), T.lt(a, c))
    proves(T.eq(a, T.add(b, 1)), T.eq(b, T.add(c, 1)), T.eq(a, T.add(c, 2)))
    proves(T.lt(T.sub(a, 1), a))
    proves(T.lt(T.sub(x, 1), x))
    proves(T.le(a, b), T.le(b, a), T.eq(a, b))
    proves(T.ne(a, b), T.le(a, b), T.lt(a, b))
    proves(T.eq(T.mul(3, a), T.add(T.mul(2, a), a)))
    proves(T.eq(T.neg(T.neg(a)), a))
    proves(T.lt(a, 5), T.lt(3, a), T.eq(a, 4))


def test_integer_not_rational():
    proves(T.le(T.mul(3, a), 2), T.le(a, 0))
    proves(T.ne(T.mul(2, a), 1))
    proves(T.eq(T.mul(2, a), T.add(T.mul(2, b), 1)), False)
    proves(T.lt(0, a), T.le(1, a))
    proves(T.le(1, T.mul(2, a)), T.le(T.mul(2, a), 1), False)


def test_div_mod():
    proves(T.eq(T.mod(x, 2), 0), T.eq(T.mod(T.add64(x, 2), 2), 0))
    proves(T.eq(T.mod(a, 3), 1), T.eq(T.mod(T.add(a, 2), 3), 0))
    proves(T.le(T.mul(T.div(a, 2), 2), a))
    proves(T.eq(T.sub(a, T.mul(T.div(a, 2), 2)), T.mod(a, 2)))
    proves(T.le(0, T.mod(a, 7)))
    proves(T.lt(T.mod(a, 7), 7))
    proves(T.le(T.mod(a, -3), 0))
    proves(T.le(1, a), T.lt(T.div(a, 2), a))
    proves(T.eq(T.div(a, 0), 0))
    proves(T.eq(T.mod(a, 0), a))
    proves(T.eq(T.div(a, T.sub(b, b)), 0))


def test_constant_folding():
    proves(T.eq(T.div(-7, 2), -4))
    proves(T.eq(T.mod(-7, 2), 1))
    proves(T.eq(T.div(7, -2), -4))
    proves(T.eq(T.mod(7, -2), -1))
    proves(T.eq(T.add64(M - 1, 1), 0))
    proves(T.eq(T.sub64(0, 1), M - 1))
    proves(T.eq(T.mul64(2 ** 63, 2), 0))
    proves(T.eq(T.mul64(M - 1, M - 1), 1))
    proves(T.eq(T.mod(5, 0), 5))


def test_wraparound_ok():
    proves(T.lt(x, M - 1), T.eq(T.add64(x, 1), T.add(x, 1)))
    proves(T.lt(T.add(x, y), M), T.eq(T.add64(x, y), T.add(x, y)))
    proves(T.eq(T.sub64(x, 0), x))
    proves(T.le(y, x), T.eq(T.sub64(x, y), T.sub(x, y)))
    proves(T.le(1, y), T.le(y, x), T.lt(T.sub64(x, y), x))
    proves(T.lt(x, 2 ** 32), T.eq(T.mul64(x, 2), T.mul(2, x)))
    proves(T.eq(T.add64(x, M), x))
    proves(T.lt(T.add64(x, y), M))
    proves(T.eq(T.add64(x, y), T.add64(y, x)))
    proves(T.eq(T.add64(M - 1, x), T.sub64(x, 1)))


def test_nonlinear_atoms():
    proves(T.eq(T.mul(a, b), c), T.eq(T.mul(b, a), c))
    proves(T.eq(T.mul(a, b), 3), T.lt(2, T.mul(a, b)))
    proves(T.eq(T.div(a, b), 3), T.eq(T.add(T.div(a, b), 1), 4))


# ---------------------------------------------------------------------------------------------
# Data, congruence, definitions, booleans


def test_constructors():
    proves(T.eq(T.some(a), T.some(b)), T.eq(a, b))
    proves(T.eq(T.pair(a, b), T.pair(c, d)), AND(T.eq(a, c), T.eq(b, d)))
    proves(T.ne(T.none(), T.some(a)))
    proves(T.ne(App("break", (v,)), App("continue", ())))
    proves(T.eq(T.ret(v), T.ret(w)), T.eq(v, w))
    proves(T.eq(v, T.some(a)), T.eq(v, T.some(b)), T.eq(a, b))
    proves(T.eq(v, T.some(a)), T.eq(v, T.none()), False)
    proves(T.eq(v, 1), T.eq(v, True), False)
    proves(T.eq(v, Lit("string", "a")), T.ne(v, Lit("string", "b")))
    proves(T.eq(v, Lit("unit", None)), T.ne(v, App("continue", ())))
    proves(T.ne(T.list(a, b), T.list(a)))
    proves(T.eq(T.list(a, b), T.list(c, d)), T.eq(b, d))


def test_projections_and_congruence():
    proves(T.eq(T.fst(T.pair(a, b)), a))
    proves(T.eq(pr, T.pair(x, y)), T.lt(x, 3), T.lt(T.fst(pr), 3))
    proves(T.eq(v, T.pair(w, a)), T.eq(T.fst(v), w))
    proves(T.lt(T.snd(pr), M))
    proves(T.eq(x, y), T.eq(T.f(x), T.f(y)))
    proves(T.eq(a, b), T.eq(b, c), T.eq(T.g(a, 1), T.g(c, 1)))
    proves(T.eq(T.f(x), v), T.eq(T.f(y), w), T.eq(x, y), T.eq(v, w))
    proves(T.eq(pr, pr2), T.eq(T.fst(pr), T.fst(pr2)))
    proves(T.eq(v, x), T.lt(x, 5), T.ne(v, 7))          # val equal to a number
    proves(T.eq(v, x), T.eq(v, y), T.eq(x, y))
    proves(T.eq(T.some(v), T.some(x)), T.eq(v, 3), T.eq(T.add(x, 1), 4))


def test_lists():
    proves(T.eq(T.len(T.list(a, b, c)), 3))
    proves(T.eq(T.len(T.app(l1, l2)), T.add(T.len(l1), T.len(l2))))
    proves(T.le(0, T.len(l1)))
    proves(T.eq(T.nth(T.list(a, b), 1), T.some(b)))
    proves(T.eq(T.nth(T.list(a), 1), T.none()))
    proves(T.eq(T.app(T.list(a), T.list(b)), T.list(a, b)))


def test_maps():
    proves(T.eq(T.lookup(T.insert(m, k, x), k), T.some(x)))
    proves(T.ne(k, k2), T.eq(T.lookup(T.insert(m, k, x), k2), T.lookup(m, k2)))
    proves(T.eq(T.lookup(T.delete(m, k), k), T.none()))
    proves(T.eq(T.lookup(T.map_empty(), k), T.none()))
    proves(T.mem(k, T.dom(T.insert(m, k, x))))
    proves(T.eq(T.lookup(m, k), T.some(x)), T.eq(T.lookup(m, k), T.some(y)), T.eq(x, y))
    proves(T.eq(T.lookup(T.insert(T.insert(m, k, 1), k2, 2), k), T.some(y)), T.ne(k, k2),
           T.eq(y, 1))
    proves(T.lt(T.add(k, 1), k2), T.eq(T.lookup(T.insert(m, k2, 7), k), T.lookup(m, k)))


def test_map_domain_agrees_with_lookup():
    proves(T.eq(T.lookup(m, k), T.some(x)), T.mem(k, T.dom(m)))
    proves(NOT(T.mem(k, T.dom(m))), T.eq(T.lookup(m, k), T.none()))
    proves(T.mem(k, T.dom(m)), T.ne(T.lookup(m, k), T.none()))
    proves(T.mem(k2, T.dom(T.delete(m, k))), T.ne(k, k2))
    proves(T.mem(k2, T.dom(T.delete(m, k))), T.mem(k2, T.dom(m)))
    proves(NOT(T.mem(k, T.dom(T.map_empty()))))
    proves(T.eq(k, k2), T.mem(k2, T.dom(T.insert(m, k, x))))


def test_sets():
    proves(T.mem(i, T.range(0, n)), T.lt(i, n))
    proves(T.le(0, a), T.lt(a, b), T.mem(a, T.range(0, b)))
    proves(T.mem(a, T.set(1, 2, 3)), T.le(a, 3))
    proves(T.mem(a, T.union(S, T.set(b))), NOT(T.mem(a, S)), T.eq(a, b))
    proves(T.subseteq(T.set(a, b), S), T.mem(b, S))
    proves(NOT(T.mem(a, T.set())))
    proves(T.mem(a, T.diff(S, U)), T.mem(a, S))
    proves(T.mem(a, T.inter(S, U)), T.mem(a, U))
    proves(T.subseteq(S, S))


def test_definitions():
    proves(T.eq(App("double", (x,)), T.mul(2, x)))
    proves(T.eq(App("quad", (x,)), T.mul(4, x)))
    proves(T.lt(a, 3), App("small", (a,)))
    proves(T.eq(App("get", (T.insert(m, k, y), k)), T.some(y)))
    proves(T.eq(App("nothing", ()), T.none()))
    proves(T.lt(App("wrap", (x,)), M))
    proves(T.lt(App("ident", (x,)), M))


def test_booleans():
    proves(AND(p, q), AND(q, p))
    proves(T.implies(p, q), p, q)
    proves(NOT(NOT(p)), p)
    proves(OR(p, q), NOT(p), q)
    proves(T.eq(p, q), p, q)
    proves(T.implies(T.implies(p, q), p), p)  # Peirce
    proves(T.eq(v, p), p, T.eq(v, True))
    proves(T.eq(v, T.lt(a, b)), T.lt(a, b), T.ne(v, False))
    proves(False, T.lt(a, 0))
    proves(T.lt(x, 0), T.eq(a, 7))
    proves(True)
    proves(T.eq(T.some(p), T.some(q)), p, q)


def test_ite():
    proves(cc, T.eq(T.ite(cc, 1, 2), 1))
    proves(T.le(T.ite(T.lt(a, 3), a, 3), 3))
    proves(T.le(T.ite(T.lt(x, 10), T.add(x, 1), 0), 10))
    proves(T.eq(T.ite(cc, a, a), a))
    proves(T.ite(cc, T.lt(a, 1), T.lt(a, 2)), T.lt(a, 2))


def test_repeated_ite_stays_cheap():
    # the same ite at many positions of one atom is split once, not once per occurrence
    it, t = T.ite(cc, a, b), mk_int(0)
    for j in range(16):
        t = T.add(T.mul(j + 2, it), t)
    start = time.perf_counter()
    assert entails(ENV, [T.le(a, 1), T.le(b, 1)], T.le(t, sum(range(2, 18))), {})
    assert not entails(ENV, [T.le(a, 1), T.le(b, 2)], T.le(t, sum(range(2, 18))), {})
    assert time.perf_counter() - start < 0.5


def test_many_irrelevant_disjunctions_stay_cheap():
    env = dict(ENV, **{f"u{j}": INT for j in range(24)})
    hyps = [T.ne(Var(f"u{j}"), Var(f"u{j + 1}")) for j in range(0, 24, 2)]
    hyps += [OR(T.lt(Var(f"u{j}"), 0), T.lt(0, Var(f"u{j}"))) for j in range(12)]
    start = time.perf_counter()
    assert entails(env, hyps + [T.lt(a, b)], T.le(a, b), {})
    for first in (True, False):  # relevant disjunctions split first or last
        def with_(extra):
            return extra + hyps if first else hyps + extra
        assert entails(env, with_([T.ne(a, b), T.le(a, b)]), T.le(T.add(a, 1), b), {})
        assert entails(env, with_([T.ne(a, b), T.ne(a, c), T.le(a, b), T.le(a, c)]),
                       AND(T.le(T.add(a, 1), b), T.le(T.add(a, 1), c)), {})
        assert not entails(env, with_([T.ne(a, b), T.le(a, c)]), T.le(T.add(a, 1), b), {})
    assert time.perf_counter() - start < 1.0


def test_facts_about_other_variables_still_count():
    """The checker first tries the facts that mention a variable of the goal; a goal that needs
    a chain through facts about other variables is still proved (from the whole group), and
    the first try never proves what the whole group does not."""
    proves(T.lt(a, b), T.lt(b, c), T.lt(c, d), T.lt(a, d))          # b < c mentions neither a, d
    proves(T.eq(a, b), T.eq(b, c), T.eq(c, d), T.eq(d, 7), T.eq(a, 7))
    proves(T.le(a, b), T.le(b, c), T.eq(c, 0), T.le(0, a), T.eq(a, 0))
    rejects(T.lt(a, b), T.lt(c, d), T.lt(a, d))                     # a = 0, b = 1, c = 5, d = 0
    rejects(T.le(a, b), T.le(c, b), T.le(a, c))                     # a = 1, c = 0, b = 1
    # the near facts alone are consistent with ¬goal, the far ones make the context
    # contradictory only together with them: still proved
    proves(T.lt(a, b), T.lt(b, c), T.lt(c, a), T.eq(d, 1))



# ---------------------------------------------------------------------------------------------
# Invalid claims: must not be proved


def test_invalid_wraparound():
    rejects(T.lt(x, T.add64(x, 1)))                      # x = 2^64 - 1
    rejects(T.lt(T.sub64(x, 1), x))                      # x = 0
    rejects(T.lt(x, M - 1))                              # x = 2^64 - 1
    rejects(T.ne(T.add64(x, 1), 0))                      # x = 2^64 - 1
    rejects(T.le(x, M - 1), T.eq(T.add64(x, 1), T.add(x, 1)))  # x = 2^64 - 1
    rejects(T.le(M - 2, x), T.eq(T.add64(x, 1), T.add(x, 1)))  # x = 2^64 - 1
    rejects(T.eq(T.mul64(x, 2), T.mul(2, x)))            # x = 2^63
    rejects(T.le(x, T.add64(x, y)))                      # x = 1, y = 2^64 - 1
    rejects(T.eq(T.add(T.sub64(x, y), y), x))            # x = 0, y = 1
    rejects(T.eq(T.sub64(x, 1), T.sub(x, 1)))            # x = 0
    rejects(T.eq(T.mul64(x, y), T.mul(x, y)))            # x = y = 2^32
    rejects(T.eq(T.add64(x, M), T.add(x, M)))            # any x
    rejects(T.lt(bb, M))                                 # nat is unbounded
    rejects(T.lt(T.add(x, 1), M))                        # add does not wrap
    rejects(T.lt(T.add(x, y), 2 * M - 2))                # x = y = 2^64 - 1


def test_invalid_arithmetic():
    rejects(T.le(0, a))                                  # a = -1
    rejects(T.le(0, T.sub(bb, 1)))                       # bb = 0
    rejects(T.eq(T.mul(T.div(a, 2), 2), a))              # a = 1 (true over the rationals)
    rejects(T.eq(T.add(T.div(a, 2), T.div(a, 2)), a))    # a = 1
    rejects(T.lt(T.div(a, 2), T.div(T.add(a, 1), 2)))    # a = 0
    rejects(T.le(0, a), T.lt(T.div(a, 2), a))            # a = 0
    rejects(T.eq(T.mod(a, 2), 1), T.eq(T.mod(a, 4), 1))  # a = 3
    rejects(T.eq(T.div(a, 0), a))                        # a = 1
    rejects(T.eq(T.mod(a, 0), 0))                        # a = 1
    rejects(T.eq(T.div(-7, 2), -3))                      # it is -4
    rejects(T.eq(T.mod(-7, 2), -1))                      # it is 1
    rejects(T.eq(T.mod(7, -2), 1))                       # it is -1
    rejects(T.le(T.mul(2, a), 3), T.le(a, 0))            # a = 1
    rejects(T.ne(a, 5), T.lt(a, 5))                      # a = 6
    rejects(T.eq(T.mul(a, b), 0), T.eq(a, 0))            # a = 1, b = 0
    rejects(T.lt(a, b), T.lt(T.add(a, 1), b))            # a = 0, b = 1
    rejects(T.le(T.mod(a, 3), 1))                        # a = 2
    rejects(T.lt(T.mod(a, -3), 0))                       # a = 0


def test_invalid_data():
    rejects(T.eq(T.lookup(T.insert(m, k, x), k2), T.some(x)))        # k ≠ k2, m empty
    rejects(T.mem(i, T.range(0, n)), T.lt(i, T.sub(n, 1)))           # i = n - 1
    rejects(T.eq(T.fst(pr), T.fst(pr2)), T.eq(pr, pr2))               # differ in snd
    rejects(T.eq(T.f(a), T.f(b)), T.eq(a, b))                         # f constant
    rejects(T.ne(a, b), T.ne(T.f(a), T.f(b)))                         # f constant
    rejects(T.eq(T.len(T.app(l1, l2)), T.len(l1)))                    # l2 = [0]
    rejects(T.eq(T.nth(T.list(1, 2), 2), T.some(2)))                  # it is None
    rejects(T.ne(T.insert(T.insert(m, k, 1), k, 2), T.insert(m, k, 2)))  # maps are equal
    rejects(T.ne(T.set(1, 2), T.set(2, 1)))                           # sets are equal
    rejects(T.ne(T.union(S, U), T.union(U, S)))                       # sets are equal
    rejects(T.ne(T.set(1, 1), T.set(1)))                              # sets are equal
    rejects(T.eq(v, 1), T.eq(v, True))                                # Python's True == 1
    rejects(T.eq(v, 0), T.eq(v, False))                               # Python's False == 0
    rejects(T.ne(v, 1))                                               # v = 1
    rejects(T.eq(v, Lit("string", "1")), T.eq(v, 1))                  # "1" is not 1
    rejects(T.mem(1, T.union(S, U)), T.mem(1, S))                     # 1 ∈ U only
    rejects(T.subseteq(S, U), T.eq(S, U))                             # S = ∅
    rejects(T.eq(T.lookup(m, k), T.some(x)), T.eq(T.lookup(m, k2), T.some(x)))
    rejects(T.eq(T.some(v), w), T.eq(T.fst(w), v))                    # w is not a pair
    rejects(T.eq(T.nth(T.list(a, b), -1), T.none()))                  # negative index: unspecified
    rejects(T.eq(T.ite(cc, 1, 2), 1))                                 # cc = false
    rejects(OR(p, q), p)                                     # p false, q true
    rejects(T.implies(p, q), q)                                       # p, q false
    rejects(T.eq(v, p), T.eq(v, True))                                # p false


def test_invalid_definitions():
    rejects(T.lt(App("ident", (T.add(x, 1),)), M))                    # x = 2^64 - 1
    rejects(T.eq(App("double", (x,)), x))                             # x = 1
    rejects(App("small", (a,)))                                       # a = 10
    rejects(T.eq(App("get", (m, k)), T.none()))


def test_invalid_map_domains():
    rejects(T.mem(k, T.dom(m)), T.eq(T.lookup(m, k), T.some(x)))      # m[k] = Some(x + 1)
    rejects(T.mem(k, T.dom(T.delete(m, k2))))                         # m empty
    rejects(T.mem(k2, T.dom(T.insert(m, k, x))))                      # m empty, k ≠ k2
    rejects(T.mem(k, T.dom(m)), T.mem(k, T.dom(T.delete(m, k2))))     # k = k2


# ---------------------------------------------------------------------------------------------
# Sorts


def test_sort_of():
    assert sort_of(T.add64(x, 1), ENV, {}) == U64
    assert sort_of(T.add(x, 1), ENV, {}) == INT
    assert sort_of(T.lt(x, a), ENV, {}) == BOOL
    assert sort_of(T.pair(x, p), ENV, {}) == Sort("prod", (U64, BOOL))
    assert sort_of(T.fst(pr), ENV, {}) == U64
    assert sort_of(T.lookup(m, k), ENV, {}) == OPT_U64
    assert sort_of(T.range(0, n), ENV, {}) == SET_INT
    assert sort_of(T.f(x), ENV, {}) == VAL
    assert sort_of(App("double", (x,)), ENV, DEFS) == INT      # the sort of x + x
    assert sort_of(App("wrap", (x,)), ENV, DEFS) == U64
    assert sort_of(App("ident", (T.add(x, 1),)), ENV, DEFS) == INT  # not promised < 2^64
    assert sort_of(App("ident", (x,)), ENV, DEFS) == U64
    assert sort_of(App("nothing", ()), ENV, DEFS).name == "option"
    assert sort_of(T.list(x, a), ENV, {}) == Sort("list", (INT,))
    assert sort_of(T.none(), ENV, {}).name == "option"
    assert sort_of(T.eq(v, T.pair(x, p)), ENV, {}) == BOOL
    assert sort_of(T.eq(T.none(), T.some(x)), ENV, {}) == BOOL
    assert sort_of(T.delete(m, a), ENV, {}) == MAP              # the keys of m, not joined
    assert sort_of(T.insert(m, a, x), ENV, {}) == Sort("map", (INT, U64))
    assert sort_of(T.lookup(T.map_empty(), x), ENV, {}) == Sort("option", (Sort("?"),))
    assert sort_of(T.app(T.list(), l1), ENV, {}) == LIST_U64
    assert sort_of(T.nth(l1, a), ENV, {}) == OPT_U64
    assert sort_of(T.dom(m), ENV, {}) == Sort("set", (U64,))
    assert sort_of(T.union(S, T.set(x)), ENV, {}) == SET_INT
    assert sort_of(T.ite(p, v, x), ENV, {}) == VAL
    assert sort_of(T.snd(v), ENV, {}) == VAL
    assert sort_of(T.set(), ENV, {}) == Sort("set", (Sort("?"),))


def test_every_operator_has_a_signature():
    from kernel.sorts import SIGNATURES
    from seplogic.syntax import TERM_OPS
    assert SIGNATURES.keys() == TERM_OPS.keys() - {"fst", "snd"}  # (fst/snd: special-cased)
    for op, (pats, _) in SIGNATURES.items():
        assert TERM_OPS[op] in (len(pats), None), op   # variadic: one pattern per element
        assert TERM_OPS[op] is not None or len(pats) == 1, op


@pytest.mark.parametrize("t", [
    T.add(x, True),                       # bool in arithmetic
    T.lt(v, 3),                           # val is not a number
    T.eq(x, True),                        # u64 vs bool
    T.eq(x, Lit("string", "1")),
    App("add", (x,)),                     # arity
    App("none", (x,)),
    AND(p, x),
    T.ite(x, 1, 2),
    T.ite(p, 1, True),
    T.fst(x),
    T.mem(x, l1),
    T.len(S),
    T.lookup(m, p),
    T.insert(m, k, p),
    T.list(1, True),
    T.delete(m, p),
    T.nth(l1, p),
    T.len(v),                             # val is not known to be a list
    T.app(l1, S),
    T.subseteq(S, l1),
    T.range(p, 1),
    T.mem(p, S),
    NOT(x),
    T.snd(l1),
    T.dom(S),
    T.set(1, T.some(1)),
    Var("nope"),                          # unknown variable
    Lit("int", True),                     # bad literals
    Lit("int", 1.0),
    Lit("bool", 1),
    Lit("float", 1.0),
    App("double", (x, y)),                # definition arity
    App("double", (v,)),                  # val does not fit u64
    App("double", (p,)),
])
def test_sort_errors(t):
    with pytest.raises(PureError):
        sort_of(t, ENV, DEFS)


def test_bad_definitions():
    bad = {
        "cyc1": ((), U64, App("cyc2", ())),
        "cyc2": ((), U64, App("cyc1", ())),
        "free": ((), U64, Var("zz")),
        "wrong": ((("x", U64),), U64, T.lt(Var("x"), 1)),
        "valnum": ((("x", VAL),), U64, Var("x")),
        "free2": ((("x", U64), ("y", U64)), U64, Var("z")),
        "malformed": (U64,),
        "qsort": ((("x", Sort("?")),), U64, mk_int(0)),
    }
    for name in bad:
        args = tuple(mk_int(0) for _ in range(2 if name == "free2" else
                                              1 if name in ("wrong", "valnum", "qsort") else 0))
        with pytest.raises(PureError):
            sort_of(App(name, args), {}, bad)
        with pytest.raises(PureError):
            entails({}, [], T.eq(App(name, args), App(name, args)), bad)


def test_entails_sort_errors():
    with pytest.raises(PureError):
        entails(ENV, [], T.add(x, 1), {})                # goal is not a proposition
    with pytest.raises(PureError):
        entails(ENV, [x], T.lt(x, 1), {})                # hypothesis is not a proposition
    with pytest.raises(PureError):
        entails(ENV, [], T.lt(Var("nope"), 1), {})
    with pytest.raises(PureError):
        entails({"x": Sort("?")}, [], T.lt(x, 1), {})   # the internal wildcard is no sort
    with pytest.raises(PureError):
        entails({"x": Sort("list")}, [], T.eq(x, x), {})  # missing sort argument


# ---------------------------------------------------------------------------------------------
# Randomised soundness check: invalid claims (falsified by a known assignment) are never proved


def _eval(t, s):
    if type(t) is Var:
        return s[t.name]
    if type(t) is Lit:
        return t.value
    o, v = t.op, [_eval(u, s) for u in t.args]
    if o in ("div", "mod") and v[1] == 0:
        return 0 if o == "div" else v[0]
    ops = {"add": lambda: v[0] + v[1], "sub": lambda: v[0] - v[1], "mul": lambda: v[0] * v[1],
           "div": lambda: v[0] // v[1], "mod": lambda: v[0] % v[1], "neg": lambda: -v[0],
           "add64": lambda: (v[0] + v[1]) % M, "sub64": lambda: (v[0] - v[1]) % M,
           "mul64": lambda: (v[0] * v[1]) % M, "lt": lambda: v[0] < v[1],
           "le": lambda: v[0] <= v[1], "eq": lambda: v[0] == v[1], "ne": lambda: v[0] != v[1],
           "and": lambda: v[0] and v[1], "or": lambda: v[0] or v[1], "not": lambda: not v[0],
           "implies": lambda: not v[0] or v[1], "ite": lambda: v[1] if v[0] else v[2]}
    return ops[o]()


def test_random_invalid_claims_are_not_proved():
    import random
    rnd = random.Random(2024)
    env = {"x": U64, "y": U64, "a": INT, "bb": NAT, "p": BOOL}

    def num(d):
        if d == 0 or rnd.random() < 0.3:
            lit = mk_int(rnd.choice([0, 1, 2, -1, 3, M - 1, M, 2 ** 63]))
            return rnd.choice([x, y, a, bb, lit])
        op = rnd.choice(["add", "sub", "mul", "div", "mod", "neg", "add64", "sub64", "mul64",
                         "ite"])
        if op == "neg":
            return T.neg(num(d - 1))
        if op == "ite":
            return T.ite(prop(d - 1), num(d - 1), num(d - 1))
        if op in ("mul", "div", "mod") and rnd.random() < 0.7:
            return App(op, (num(d - 1), mk_int(rnd.choice([2, 3, -2, 4]))))
        return App(op, (num(d - 1), num(d - 1)))

    def prop(d):
        if d == 0 or rnd.random() < 0.5:
            cmp = rnd.choice(["lt", "le", "eq", "ne"])
            return p if rnd.random() < 0.1 else App(cmp, (num(d), num(d)))
        op = rnd.choice(["and", "or", "not", "implies"])
        return NOT(prop(d - 1)) if op == "not" else App(op, (prop(d - 1), prop(d - 1)))

    def pick(s, want):
        for _ in range(30):
            t = prop(2)
            if _eval(t, s) == want:
                return t
        return None

    done = 0
    while done < 400:
        s = {v: rnd.choice([0, 1, 2, 7, M - 1, M - 2, 2 ** 63, rnd.randrange(M)]) for v in "xy"}
        s.update(a=rnd.choice([-1, 1]) * rnd.choice([0, 1, 5, M, rnd.randrange(M)]),
                 bb=rnd.choice([0, 1, M, 2 * M + 1]), p=rnd.random() < 0.5)
        hyps = [h for h in (pick(s, True) for _ in range(rnd.randrange(4))) if h is not None]
        goal = pick(s, False)
        if goal is not None:
            done += 1
            assert not entails(env, hyps, goal, {}), (hyps, goal, s)


def test_nth_of_appended_lists():
    from kernel.pure import entails
    from seplogic.parser import parse_sort, parse_term as T
    env = {"l": parse_sort("list val"), "i": parse_sort("u64"), "x": parse_sort("val"),
           "k": parse_sort("int")}
    assert entails(env, [T("len(l) = i")], T("nth(l ++ [x], i) = Some(x)"), {})
    assert entails(env, [T("len(l) = i"), T("0 <= k"), T("k < i")],
                   T("nth(l ++ [x], k) = nth(l, k)"), {})
    assert entails(env, [T("k = 1")], T("nth([x, x, i], k) = Some(x)"), {})
    # must not be proven
    assert not entails(env, [T("len(l) = i")], T("nth(l ++ [x], i + 1) = Some(x)"), {})
    assert not entails(env, [T("len(l) = i")], T("nth(l ++ [x], k) = nth(l, k)"), {})
    assert not entails(env, [], T("nth([x], k) = Some(x)"), {})


def test_list_update():
    from kernel.pure import entails
    from seplogic.parser import parse_sort, parse_term as T
    env = {"l": parse_sort("list u64"), "i": parse_sort("u64"), "j": parse_sort("int"),
           "v": parse_sort("u64")}
    assert entails(env, [T("i < len(l)")], T("nth(update(l, i, v), i) = Some(v)"), {})
    assert entails(env, [T("i ≠ j")], T("nth(update(l, i, v), j) = nth(l, j)"), {})
    assert entails(env, [], T("len(update(l, i, v)) = len(l)"), {})
    assert entails(env, [T("len(l) ≤ i")], T("nth(update(l, i, v), i) = nth(l, i)"), {})
    # must not be proven: an update out of range changes nothing; other indices keep theirs
    assert not entails(env, [], T("nth(update(l, i, v), i) = Some(v)"), {})
    assert not entails(env, [T("i < len(l)")], T("nth(update(l, i, v), j) = Some(v)"), {})
    assert not entails(env, [], T("update(l, i, v) = l"), {})


def test_replicate():
    from kernel.pure import entails
    from seplogic.parser import parse_sort, parse_term as T
    env = {"k": parse_sort("u64"), "i": parse_sort("int"), "j": parse_sort("int"),
           "x": parse_sort("val")}
    assert entails(env, [], T("len(replicate(k, x)) = k"), {})
    assert entails(env, [T("0 <= i"), T("i < k")], T("nth(replicate(k, x), i) = Some(x)"), {})
    assert entails(env, [T("k <= i")], T("nth(replicate(k, x), i) = None"), {})
    assert not entails(env, [], T("nth(replicate(k, x), i) = Some(x)"), {})
    assert not entails(env, [], T("len(replicate(j, x)) = j"), {})     # j may be negative


def test_set_equality_is_extensional():
    from seplogic.parser import parse_term as P
    env = {"a": INT, "b": INT, "c": INT, "S": Sort("set", (INT,)), "x": INT}
    yes = [(["a < b", "c = a + 1"], "range(a, b) ∖ {[a]} = range(c, b)"),
           (["a < b", "b = c + 1"], "range(a, b) ∖ {[c]} = range(a, c)"),
           ([], "S ∪ S = S"), ([], "S ∖ ∅ = S"), (["x ∈ S"], "S ∪ {[x]} = S"),
           ([], "range(a, a) = ∅")]
    for hyps, goal in yes:
        assert entails(env, [P(h) for h in hyps], P(goal), {}), goal
    no = [([], "range(a, b) ∖ {[a]} = range(a, b)"),   # a < b: a is in one, not the other
          (["a < b"], "range(a, b) ∖ {[c]} = range(a, c)"),  # c = a, b = a + 5
          ([], "S ∪ {[x]} = S"),                       # S = ∅
          ([], "S = ∅")]                                 # S = {0}
    for hyps, goal in no:
        assert not entails(env, [P(h) for h in hyps], P(goal), {}), goal
    # a set disequality as a hypothesis gives a witness too
    assert entails(env, [P("S ≠ ∅")], P("S ≠ ∅"), {})


def test_map_equality_is_extensional():
    from seplogic.parser import parse_term as P
    env = {"m": Sort("map", (INT, INT)), "k": INT, "v": INT, "j": INT}
    assert entails(env, [P("lookup(m, k) = Some(v)")], P("insert(m, k, v) = m"), {})
    assert entails(env, [], P("delete(insert(m, k, v), k) = delete(m, k)"), {})
    assert entails(env, [P("j ≠ k")],
                   P("insert(insert(m, k, v), j, v) = insert(insert(m, j, v), k, v)"), {})
    assert not entails(env, [], P("insert(m, k, v) = m"), {})             # m = ∅
    assert not entails(env, [], P("delete(insert(m, k, v), k) = m"), {})  # m = {k: 1}
    assert not entails(env, [], P("insert(insert(m, k, v), j, 0) = "
                                  "insert(insert(m, j, 0), k, v)"), {})     # j = k, v = 1


def test_surjective_pairing_for_product_sorts():
    from seplogic.parser import parse_term as P
    PR = Sort("prod", (INT, Sort("prod", (INT, INT))))
    env = {"p": PR, "q": PR, "x": INT, "v": VAL}
    assert entails(env, [], P("p = (fst(p), snd(p))"), {})
    assert entails(env, [], P("p = (fst(p), (fst(snd(p)), snd(snd(p))))"), {})
    assert entails(env, [P("fst(p) = fst(q)"), P("snd(p) = snd(q)")], P("p = q"), {})
    assert entails(env, [P("p = (x, snd(q))"), P("x = fst(q)")], P("p = q"), {})
    assert not entails(env, [P("fst(p) = fst(q)")], P("p = q"), {})     # snd differs
    # a val need not be a pair
    assert not entails(env, [], P("v = (fst(v), snd(v))"), {})

def _sublist(xs, o, k):
    """The intended meaning of sublist(l, o, k): take k (drop o l), for all integers o, k."""
    o = max(o, 0)
    return xs[o:o + max(k, 0)]


def test_sublist():
    from seplogic.parser import parse_sort, parse_term as T
    env = {"l": parse_sort("list u64"), "o": parse_sort("int"), "k": parse_sort("int"),
           "i": parse_sort("int"), "x": parse_sort("u64")}
    assert entails(env, [T("0 <= o"), T("o + k <= len(l)"), T("0 <= k")],
                   T("len(sublist(l, o, k)) = k"), {})
    assert entails(env, [T("len(l) <= o")], T("len(sublist(l, o, k)) = 0"), {})
    assert entails(env, [T("0 <= o"), T("0 <= i"), T("i < k")],
                   T("nth(sublist(l, o, k), i) = nth(l, i + o)"), {})
    assert entails(env, [], T("nth(sublist(l, 0, k), i) = (if 0 <= i && i < k then nth(l, i) "
                              "else None)"), {})
    assert entails(env, [], T("sublist(l, 0, len(l)) = l"), {})
    assert entails(env, [T("k = len(l)")], T("sublist(l, 0, k) = l"), {})
    assert entails(env, [T("nth(l, 2) = Some(x)"), T("3 <= k")],
                   T("nth(sublist(l, 2, k), 0) = Some(x)"), {})
    assert entails(env, [], T("sublist([1, 2, 3], 1, 5) = [2, 3]"), {})
    assert entails(env, [], T("sublist([1, 2, 3], -1, 2) = [1, 2]"), {})
    # must not be proven
    assert not entails(env, [T("0 <= k")], T("len(sublist(l, o, k)) = k"), {})  # l = []
    assert not entails(env, [], T("len(sublist(l, o, k)) = len(l) - o"), {})     # k = 0
    assert not entails(env, [], T("sublist(l, 1, len(l)) = l"), {})               # l = [0]
    assert not entails(env, [T("0 <= k")], T("sublist(l, 0, k) = l"), {})        # k = 0
    assert not entails(env, [], T("nth(sublist(l, o, k), 0) = nth(l, o)"), {})   # k = 0
    assert not entails(env, [T("0 <= i"), T("i < k")],
                       T("nth(sublist(l, o, k), i) = nth(l, i + o)"), {})         # o = -1
    assert not entails(env, [], T("sublist([1, 2, 3], 1, 5) = [2]"), {})


def test_sublist_rules_are_exact():
    """For every small length, offset, count and index (negative ones included), the rules
    for len, nth and equality with l decide exactly what the intended meaning says (given all
    of l's elements, and that l has none at other indices)."""
    from seplogic.parser import parse_sort, parse_term as T
    env = {"l": parse_sort("list u64"), "o": parse_sort("int"), "k": parse_sort("int"),
           **{f"x{j}": parse_sort("u64") for j in range(3)}}
    for size in range(3):
        xs = [f"x{j}" for j in range(size)]
        known = [T(f"len(l) = {size}")] + [
            T(f"nth(l, {j}) = Some(x{j})" if 0 <= j < size else f"nth(l, {j}) = None")
            for j in range(-2, 2 * size + 3)]
        for o in range(-1, size + 2):
            for k in range(-1, size + 2):
                hyps = known + [T(f"o = {o}"), T(f"k = {k}")]
                sub = _sublist(xs, o, k)
                assert entails(env, hyps, T(f"len(sublist(l, o, k)) = {len(sub)}"), {})
                assert not entails(env, hyps, T(f"len(sublist(l, o, k)) = {len(sub) + 1}"), {})
                # (an index equal to a literal only by arithmetic does not reach congruence
                # closure, so nth is checked with literal bounds)
                for i in range(-1, size + 1):
                    want = f"Some({sub[i]})" if 0 <= i < len(sub) else "None"
                    nth = f"nth(sublist(l, {o}, {k}), {i})"
                    assert entails(env, known, T(f"{nth} = {want}"), {}), (size, o, k, i)
                    assert not entails(env, known, T(f"{nth} ≠ {want}"), {})
                same = sub == xs
                assert entails(env, hyps, T("sublist(l, o, k) = l" if same else
                                            "sublist(l, o, k) ≠ l"), {}), (size, o, k)
                assert not entails(env, hyps, T("sublist(l, o, k) ≠ l" if same else
                                                "sublist(l, o, k) = l"), {}), (size, o, k)


def test_fs_name_ok():
    from seplogic.parser import parse_sort, parse_term as T
    env = {"s": parse_sort("string")}
    for good in ("a", "spool", "123", "x.y", "...", "é" * 127, "a" * 255):
        assert entails(env, [], App("fs_name_ok", (Lit("string", good),)), {}), good
    for bad in ("", ".", "..", "a/b", "/", "a\0b", "a" * 256, "é" * 128):
        assert entails(env, [], NOT(App("fs_name_ok", (Lit("string", bad),))), {}), bad
        assert not entails(env, [], App("fs_name_ok", (Lit("string", bad),)), {}), bad
    # on other terms it is uninterpreted
    assert not entails(env, [], T("fs_name_ok(s)"), {})
    assert not entails(env, [], T("~fs_name_ok(s)"), {})
    assert not entails(env, [T("s ≠ \"a\"")], T("fs_name_ok(s)"), {})


def test_extensionality_witness_is_fresh_even_against_odd_variable_names():
    """Tactics may name variables anything; the witness must not capture one of them."""
    from seplogic.parser import parse_term as P
    S = Sort("set", (INT,))
    for k in range(1, 6):   # k odd-named variables x#k .. x#(2k-1), all in both sets
        names = [f"x#{i}" for i in range(k, 2 * k)] + [f"x#{i}" for i in range(k)]
        env = {n: INT for n in names[:k]}
        env.update({"S": S, "T": S})
        hyps = [App("mem", (Var(n), Var(c))) for n in names[:k] for c in ("S", "T")]
        assert not entails(env, hyps, P("S = T"), {}), k
        env2 = {n: INT for n in names}
        env2.update({"S": S, "T": S})
        hyps2 = [App("mem", (Var(n), Var(c))) for n in names for c in ("S", "T")]
        assert not entails(env2, hyps2, P("S = T"), {}), k


def test_extensionality_witness_ranges_over_both_sides():
    """m : map u64 val cannot hold the key -1 but insert(m, -1, v) does: a witness of sort u64
    (the left side's keys) would wrongly prove them equal."""
    from seplogic.parser import parse_term as P
    env = {"m": Sort("map", (U64, VAL)), "v": VAL, "S": Sort("set", (U64,))}
    for goal in ("m = insert(m, -1, v)", "insert(m, -1, v) = m", "S = S ∪ {[-1]}",
                 "S ∪ {[-1]} = S"):
        assert not entails(env, [], P(goal), {}), goal
    assert entails(env, [P("lookup(m, 3) = Some(v)")], P("m = insert(m, 3, v)"), {})


def test_arithmetic_equalities_reach_congruence():
    """Nelson–Oppen for arguments: i + 1 = 1 makes nth(l, i) the same term as nth(l, 0)."""
    from seplogic.parser import parse_term as P
    env = {"l": Sort("list", (INT,)), "i": U64, "x": INT, "m": Sort("map", (U64, INT))}
    assert entails(env, [P("nth(l, 0) = Some(5)"), P("i + 1 = 1")], P("nth(l, i) = Some(5)"), {})
    assert entails(env, [P("nth(l, 0) = Some(x)"), P("i + 1 = 1")],
                   P("x = 5 → nth(l, i) = Some(5)"), {})
    assert entails(env, [P("lookup(m, 2 * i) = Some(3)"), P("i = 1")],
                   P("lookup(m, i + 1) = Some(3)"), {})
    # i = 1 here, or i ≤ 1 only: nothing follows
    assert not entails(env, [P("nth(l, 0) = Some(5)"), P("i + 1 = 2")],
                       P("nth(l, i) = Some(5)"), {})
    assert not entails(env, [P("lookup(m, 2 * i) = Some(3)"), P("i ≤ 1")],
                       P("lookup(m, i + 1) = Some(3)"), {})
    assert not entails(env, [P("nth(l, 0) = Some(5)")], P("nth(l, i) = Some(5)"), {})


def test_arithmetic_for_congruence_uses_every_linked_constraint():
    """The Nelson–Oppen queries look at the constraints sharing atoms with them: i ≤ k ≤ j ≤ i
    links i and j through k (and unrelated constraints around do not matter)."""
    from seplogic.parser import parse_term as P
    env = {"l": Sort("list", (INT,)), "i": U64, "j": U64, "k": U64, "a": INT, "b": INT}
    hyps = [P("nth(l, i) = Some(5)"), P("nth(l, j) = Some(6)"), P("a < b"), P("b < a + 7")]
    assert not entails(env, hyps, P("false"), {})
    assert entails(env, hyps + [P("i ≤ k"), P("k ≤ j"), P("j ≤ i")], P("false"), {})
    assert not entails(env, hyps + [P("i ≤ k"), P("k ≤ j")], P("false"), {})


def test_the_kernel_remembers_answers_per_context():
    """Kernel.entails remembers the checker's answers by all its inputs: the variables' sorts,
    the facts, the goal and the definitions (a definition added later changes the answer)."""
    from kernel.core import Kernel
    from kernel.sequent import Seq
    from seplogic.parser import parse_term as P
    k = Kernel()
    for sort, ok in ((INT, False), (U64, True), (INT, False)):
        assert k.entails(Seq(vars=(("x", sort),)), P("0 ≤ x")) is ok
    for facts, ok in (((), False), ((P("x = 2"),), True), ((), False)):
        assert k.entails(Seq(vars=(("x", INT),), pure=facts), P("x + 1 = 3")) is ok
    seq = Seq(vars=(("x", INT),))
    assert not k.entails(seq, P("seven() = 7"))
    k.define_pure("seven", (), INT, P("7"))
    assert k.entails(seq, P("seven() = 7"))


def test_a_new_definition_makes_the_kernel_check_sorts_again():
    """A fact that was well-sorted with f uninterpreted is ill-sorted once f is defined as a
    bool: the kernel's record of checked propositions does not outlive a new definition."""
    from kernel.core import Kernel, KernelError
    from kernel.sequent import Seq
    from seplogic.parser import parse_term as P
    k = Kernel()
    seq = Seq(vars=(("x", INT),), pure=(P("f(x) = 1"),))
    assert not k.entails(seq, P("x = 2"))
    k.define_pure("f", (("y", INT),), BOOL, P("y = y"))
    with pytest.raises(KernelError, match="ill-sorted"):
        k.entails(seq, P("x = 3"))
