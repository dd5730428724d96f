"""Pure reasoning for the trusted kernel: a sound, incomplete decision procedure for
entailment between boolean terms (their sorts: kernel/sorts.py).

`entails` sort-checks, unfolds definitions, simplifies by exact rewrites, puts hyps ∧ ¬goal in
negation normal form and refutes it with a tableau that splits disjunctions (within a budget)
and checks each branch by congruence closure (free constructors, projections, every product
value a pair) and integer Fourier–Motzkin, which share equalities (Nelson–Oppen, for arguments
congruence could use).  An unequal pair of sets or maps gets a fresh witness where they differ.
Soundness rests on local facts: each rewrite is an identity of the semantics, each constraint
handed to a theory is implied by the branch (or defines a fresh variable), and the theories only
derive consequences.

Semantics: numbers are integers (a u64 variable ranges over [0, 2^64), a nat one over [0, ∞));
div/mod are floor division with x div 0 = 0, x mod 0 = x; add64/sub64/mul64 reduce mod 2^64.
Literals and some/none/pair/list/continue/break/ret are free constructors of one universe
(`val`); sets and maps are extensional, so their operations are ordinary functions; other Apps
are user definitions (unfolded) or uninterpreted functions.  ``fs_name_ok`` is the file system's
name check: computed on string literals, uninterpreted otherwise (its facts about other terms
are semantics axioms, `theories/filesys.py`)."""
from __future__ import annotations

import operator
from itertools import islice
from math import gcd

from seplogic.syntax import (App, BOOL, FALSE, Lit, Sort, TERM_OPS, TRUE, U64, NAT, VAL, Term,
                             Var, fv, mk_bool, mk_int, subst_term)
from .sorts import (ANY, PureDef, PureError, _Sorter, _env_of, _join, _num, fs_name_ok,
                    sort_of, term_text)  # noqa: F401  (sort_of: kernel/core.py's purelib)


class _GiveUp(Exception):
    """Budget exhausted: the entailment is reported as not proved."""


TWO64 = 1 << 64
CONSTRUCTORS = ("some", "none", "pair", "list", "continue", "break", "ret")
FOLD = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "neg": operator.neg,
        "div": operator.floordiv, "mod": operator.mod, "lt": operator.lt, "le": operator.le}
NOREASON = frozenset()
MAX_WORK, MAX_CHECKS, MAX_CONSTRAINTS = 50_000, 300, 3_000

# ---------------------------------------------------------------------------------------------
# Small helpers on terms and formulas


def _a(op: str, *args) -> App:
    return App(op, args)


def _is(t, op: str) -> bool:
    return type(t) is App and t.op == op


def _is_int(t) -> bool:
    return type(t) is Lit and t.kind == "int"


def _head(t):
    """The constructor of a value-forming term (free: distinct heads give distinct values)."""
    if type(t) is Lit:
        return ("lit", t.kind, t.value)
    return (t.op, len(t.args)) if type(t) is App and t.op in CONSTRUCTORS else None


def _fold(op: str, items: list) -> Term:
    """and/or of a list of boolean terms."""
    out = TRUE if op == "and" else FALSE
    for x in reversed(items):
        out = App(op, (x, out))
    return out


def _ites(t):
    for x in (t.args if type(t) is App else ()):
        if _is(x, "ite"):
            yield x
        yield from _ites(x)


def _replace(t, old, new):
    if t == old:
        return new
    return App(t.op, tuple(_replace(x, old, new) for x in t.args)) if type(t) is App else t


def _path_sort(t, env):
    """The sort env gives t, if t is a variable or a fst/snd path into one."""
    if _is(t, "fst") or _is(t, "snd"):
        s = _path_sort(t.args[0], env)
        return s.args[t.op == "snd"] if s is not None and s.name == "prod" else None
    return env[t.name] if type(t) is Var else None


def _mk(tag: str, items) -> tuple:
    """An NNF and/or node: ("and"|"or", items), ("c", bool) or ("l", atom, polarity)."""
    unit, out = tag == "and", []
    for f in items:
        if f == ("c", unit):
            continue
        if f == ("c", not unit):
            return f
        out.extend(f[1] if f[0] == tag else (f,))
    return out[0] if len(out) == 1 else (tag, tuple(out)) if out else ("c", unit)


def _neg(lit: tuple) -> tuple:
    """The key (atom, polarity) of the complement of the NNF literal lit."""
    return lit[1], not lit[2]


def _comb(f: dict, a: int, g: dict, b: int) -> dict:
    """a·f + b·g for linear forms {atom id: coefficient, 0: constant}."""
    keys = f.keys() | g.keys()    # (named: Cython 3.3 crashes on the view in a comprehension)
    return {k: v for k in keys if (v := a * f.get(k, 0) + b * g.get(k, 0))}


# ---------------------------------------------------------------------------------------------
# Integer linear arithmetic: Fourier–Motzkin with gcd tightening (the real shadow, strengthened
# by integrality; sound, incomplete)


def _tighten(f: dict, eq: bool):
    """Divide f = 0 / f ≤ 0 by its coefficients' gcd; None if it has no integer solution."""
    g, c = gcd(*(v for k, v in f.items() if k)), f.get(0, 0)
    if g == 0:
        return None if (c != 0 if eq else c > 0) else {}
    if eq and c % g:
        return None
    out = {k: v // g for k, v in f.items() if k}
    out[0] = c // g if eq else -(-c // g)  # Σ (c_i/g)·x_i ≤ floor(-c/g)
    return out


def _eliminate(eqs: list):
    """Refute or solve the equalities (form, reason) meaning form = 0, one variable at a time:
    (the reasons of a contradiction or None, the elimination steps for `_reduce`)."""
    eqs, steps = list(eqs), []
    while eqs:
        f, r = eqs.pop()
        f = _tighten(f, True)
        if f is None:
            return r, steps
        if not f:
            continue
        v = min((k for k in f if k), key=lambda k: abs(f[k]))
        steps.append((v, f, r))
        eqs = [_reduce(h, s, steps[-1:]) if v in h else (h, s) for h, s in eqs]
    return None, steps


def _reduce(h: dict, s, steps):
    """h without the eliminated variables: |a|·h − sign(a)·h[v]·f for each step's f = 0 (a its
    coefficient of v), implied by h and f = 0."""
    for v, f, r in steps:
        b = h.get(v, 0)
        if not b:
            continue
        a = f[v]
        h, s = _comb(h, abs(a), f, -b if a > 0 else b), s | r
    return h, s


def _parts(les: list) -> list:
    """The inequalities grouped by shared atoms (connected components): [(atoms, constraints)].
    Fourier–Motzkin never combines constraints of different groups."""
    root: dict = {}

    def find(k):
        while root.setdefault(k, k) != k:
            root[k] = k = root[root[k]]
        return k
    for f, _ in les:
        ks = [k for k in f if k]
        for k in ks[1:]:
            root[find(k)] = find(ks[0])
    groups: dict = {}
    for f, r in les:
        ks = {k for k in f if k}
        atoms, cs = groups.setdefault(find(min(ks)) if ks else None, (set(), []))
        atoms |= ks
        cs.append((f, r))
    return list(groups.values())


def _fm_les(les: list):
    """Fourier–Motzkin on inequalities (form ≤ 0) alone: the reasons used, or None."""
    cons = {}  # the tightest constraint for each combination of atoms
    while True:
        for f, r in les:
            f = _tighten(f, False)
            if f is None:
                return r
            key = tuple(sorted((k, v) for k, v in f.items() if k))
            if key and (key not in cons or f[0] > cons[key][0][0]):
                cons[key] = (f, r)
        while True:     # an atom bounded on one side only: eliminating it adds nothing
            sides: dict = {}   # atom -> (constraints where it is positive, where negative)
            for c in cons.values():
                for k, a in c[0].items():
                    if k:
                        sides.setdefault(k, ([], []))[a < 0].append(c)
            free = {k for k, (pos, neg) in sides.items() if not pos or not neg}
            if not free:
                break
            cons = {key: c for key, c in cons.items() if not any(k in free for k, _ in key)}
        if not cons:
            return None

        def cost(v):  # exact eliminations (one side has unit coefficients) first, then fewest new
            unit = [all(abs(f[v]) == 1 for f, _ in side) for side in sides[v]]
            return not any(unit), len(sides[v][0]) * len(sides[v][1])
        v = min(sides, key=cost)
        pos, neg = sides[v]
        if len(cons) + len(pos) * len(neg) > MAX_CONSTRAINTS:
            return None
        cons = {key: c for key, c in cons.items() if not c[0].get(v, 0)}
        les = [(_comb(f, -g[v], g, f[v]), r | s) for f, r in pos for g, s in neg]


class _Lia:
    """Linearises numeric terms of one branch; non-linear subterms become atoms."""

    def __init__(self, env):
        self.env, self.ids, self.divs, self.n, self.eqs, self.les = env, {}, {}, 0, [], []

    def copy(self) -> "_Lia":
        c = _Lia(self.env)
        c.ids, c.divs, c.n, c.eqs, c.les = dict(self.ids), dict(self.divs), self.n, \
            list(self.eqs), list(self.les)
        return c

    def fresh(self, lo=None, hi=None) -> int:
        self.n += 1
        for bound, k in ((lo, -1), (hi, 1)):  # lo − v ≤ 0, v − hi ≤ 0
            if bound is not None:
                self.les.append(({self.n: k, 0: -k * bound}, NOREASON))
        return self.n

    def atom(self, t) -> dict:
        if t not in self.ids:
            s = _path_sort(t, self.env)
            lo = 0 if s in (U64, NAT) or _is(t, "len") else None
            self.ids[t] = self.fresh(lo, TWO64 - 1 if s == U64 else None)
        return {self.ids[t]: 1}

    def diff(self, x, y) -> dict:
        return _comb(self.lin(x), 1, self.lin(y), -1)

    def lin(self, t) -> dict:
        if type(t) is Lit:
            if t.kind != "int":
                raise _GiveUp  # unreachable for well-sorted input
            return {0: t.value} if t.value else {}
        op = t.op if type(t) is App else None
        if op in ("add", "sub", "neg"):
            f = [self.lin(x) for x in t.args] + [{}]
            return _comb(f[0], -1 if op == "neg" else 1, f[1], -1 if op == "sub" else 1)
        if op in ("mul", "div", "mod"):
            f, g = self.lin(t.args[0]), self.lin(t.args[1])
            if op == "mul" and (f.keys() <= {0} or g.keys() <= {0}):
                f, g = (f, g) if g.keys() <= {0} else (g, f)  # g is the constant factor
                return _comb(f, g.get(0, 0), {}, 0)
            if op != "mul" and g.keys() <= {0}:
                c = g.get(0, 0)
                if c == 0:
                    return {} if op == "div" else f
                key = (frozenset(f.items()), c)
                if key not in self.divs:  # f = c·q + r, r between 0 and c (floor division)
                    q, r = self.fresh(), self.fresh(0, c - 1) if c > 0 else self.fresh(c + 1, 0)
                    self.eqs.append((_comb(f, 1, {q: c, r: 1}, -1), NOREASON))
                    self.divs[key] = (q, r)
                return {self.divs[key][op == "mod"]: 1}
            if op == "mul":
                t = App("mul", tuple(sorted(t.args, key=repr)))
        return self.atom(t)


# ---------------------------------------------------------------------------------------------
# Congruence closure


class _CC:
    """Congruence closure with free constructors (injective, distinct heads differ) and fst/snd
    of pairs.  Incremental (Nelson–Oppen's): each class keeps the applications that use it
    and a constructor term; a merge revisits only the absorbed class's uses against a table of
    signatures, so the classes are closed after every `node` and `union`."""

    def __init__(self):
        self.ids, self.terms, self.parent, self.neqs = {}, [], [], []
        self.uses, self.cons, self.sigs, self.todo, self.clash = [], [], {}, [], False

    def node(self, t) -> int:
        i = self.ids.get(t)
        if i is None:
            args = tuple(self.node(a) for a in t.args) if type(t) is App else ()
            i = self.ids[t] = len(self.terms)
            self.terms.append((t, args))
            self.parent.append(i)
            self.uses.append([])
            self.cons.append(i if _head(t) is not None else None)
            for a in {self.find(a) for a in args}:
                self.uses[a].append(i)
            if args:
                self.visit(i)
                if self.todo:
                    self.close_todo()
        return i

    def copy(self) -> "_CC":
        c = _CC()
        c.ids, c.terms, c.parent, c.neqs = dict(self.ids), list(self.terms), list(self.parent), \
            list(self.neqs)
        c.uses, c.cons, c.sigs, c.clash = [u[:] for u in self.uses], list(self.cons), \
            dict(self.sigs), self.clash
        return c

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = i = parent[parent[i]]
        return i

    def union(self, i: int, j: int) -> None:
        self.todo.append((i, j))
        self.close_todo()

    def visit(self, u: int) -> None:
        """Queue what the application u is equal to: the application with its signature
        (congruence) and, for fst/snd of a pair, its component."""
        t, args = self.terms[u]
        j = self.sigs.setdefault((t.op, tuple(map(self.find, args))), u)
        if j != u:
            self.todo.append((u, j))
        if t.op in ("fst", "snd"):
            c = self.cons[self.find(args[0])]
            if c is not None and _is(self.terms[c][0], "pair"):
                self.todo.append((u, self.terms[c][1][t.op == "snd"]))

    def close_todo(self) -> None:
        while self.todo:
            a, b = map(self.find, self.todo.pop())
            if a == b:
                continue
            if len(self.uses[a]) > len(self.uses[b]):
                a, b = b, a
            self.parent[a] = b      # a's class joins b's
            ca, cb = self.cons[a], self.cons[b]
            again = self.uses[a]
            if ca is not None and cb is not None:
                (s, xs), (r, ys) = self.terms[ca], self.terms[cb]
                if _head(s) != _head(r):
                    self.clash = True
                self.todo.extend(zip(xs, ys))
            elif ca is not None:    # b's projections may now see a pair
                self.cons[b] = ca
                again = again + self.uses[b]
            for u in again:
                self.visit(u)
            self.uses[b].extend(self.uses[a])

    def close(self) -> bool:
        """True if the equalities and disequalities are contradictory."""
        return self.clash or any(self.find(i) == self.find(j) for i, j in self.neqs)


# ---------------------------------------------------------------------------------------------
# The prover


class _Prover:
    def __init__(self, env, defs, caches=None):
        """``caches``: the (sorts, simps, nnfs) of earlier provers over the same env and defs
        (a lenient sort depends on env alone, a simplification and an NNF on env and defs)."""
        self.env, self.defs, self.lenient = dict(env), defs, _Sorter({}, False)
        self.sorts, self.simps, self.nnfs = caches if caches is not None else ({}, {}, {})
        self.work = self.checks = 0

    def tick(self):
        self.work += 1
        if self.work > MAX_WORK:
            raise _GiveUp

    def sort(self, t) -> Sort:
        return self.sorts.get(t) or self.sorts.setdefault(t, self.lenient.sort(t, self.env))

    # ---- simplification: bottom-up; unfolds definitions; every rule is an identity ----------

    def simp(self, t):
        if type(t) is not App:
            return t
        if t not in self.simps:
            self.tick()
            args = tuple(self.simp(a) for a in t.args)
            if t.op in TERM_OPS or t.op not in self.defs:
                # t itself when nothing changed (one object for one term: the prover's tables
                # then find it by identity, not by comparing trees)
                same = all(map(operator.is_, args, t.args))
                self.simps[t] = self.rw(t if same else App(t.op, args))
            else:
                params, _, body = self.defs[t.op]
                self.simps[t] = self.simp(subst_term(body, {p[0]: a for p, a in zip(params, args)}))
        return self.simps[t]

    def rw(self, t: App):
        op, a, S = t.op, t.args, self.simp
        if op in ("div", "mod") and a[1] == mk_int(0):
            return mk_int(0) if op == "div" else a[0]
        if op in FOLD and all(map(_is_int, a)):  # (Python's // and % are floor division)
            v = FOLD[op](*(x.value for x in a))
            return mk_bool(v) if op in ("lt", "le") else mk_int(v)
        if op in ("add64", "sub64", "mul64"):
            return S(_a("mod", _a(op[:3], *a), mk_int(TWO64)))
        if op == "ne":
            return S(_a("not", _a("eq", *a)))
        if op == "eq":
            return self.eq(*a)
        if op == "not" and a[0] in (TRUE, FALSE):  # (and/or/implies: see _mk)
            return mk_bool(not a[0].value)
        if op == "ite" and (a[0] in (TRUE, FALSE) or a[1] == a[2]):
            return a[2] if a[0] == FALSE else a[1]
        if op in ("fst", "snd") and _is(a[0], "pair"):
            return a[0].args[op == "snd"]
        if op == "len" and _is(a[0], "list"):
            return mk_int(len(a[0].args))
        if op == "len" and _is(a[0], "app"):
            return S(_a("add", *(_a("len", x) for x in a[0].args)))
        if op == "app" and _is(a[0], "list") and _is(a[1], "list"):
            return App("list", a[0].args + a[1].args)
        if op == "app" and App("list") in a:
            return a[1] if a[0] == App("list") else a[0]
        if op == "nth" and _is(a[0], "list") and _is_int(a[1]) and a[1].value >= 0:
            xs, i = a[0].args, a[1].value
            return _a("some", xs[i]) if i < len(xs) else _a("none")
        # replicate(k, x) is k copies of x (none for k ≤ 0)
        if op == "len" and _is(a[0], "replicate"):
            k = a[0].args[0]
            return S(_a("ite", _a("le", mk_int(0), k), k, mk_int(0)))
        if op == "nth" and _is(a[0], "replicate"):
            k, x = a[0].args
            inside = _fold("and", [_a("le", mk_int(0), a[1]), _a("lt", a[1], k)])
            return S(_a("ite", inside, _a("some", x), _a("none")))
        # update(l, i, v) replaces the element at i (when 0 ≤ i < len(l); otherwise it is l)
        if op == "len" and _is(a[0], "update"):
            return S(_a("len", a[0].args[0]))
        if op == "nth" and _is(a[0], "update"):
            l, i, v = a[0].args
            here = _fold("and", [_a("eq", a[1], i), _a("le", mk_int(0), i),
                                 _a("lt", i, _a("len", l))])
            return S(_a("ite", here, _a("some", v), _a("nth", l, a[1])))
        # sublist(l, o, k) = take k (drop o l): the elements at max(o, 0) + j for 0 ≤ j < k that
        # exist; these hold for every integer o, k (and i)
        if op == "sublist" and _is(a[0], "list") and _is_int(a[1]) and _is_int(a[2]):
            o = max(a[1].value, 0)
            return App("list", a[0].args[o:o + max(a[2].value, 0)])
        if op in ("len", "nth") and _is(a[0], "sublist"):
            l, o, k = a[0].args
            zero = mk_int(0)
            o = S(_a("ite", _a("le", zero, o), o, zero))
            if op == "len":     # max(0, min(k, len(l) - max(o, 0)))
                r = _a("sub", _a("len", l), o)
                return S(_a("ite", _a("le", k, r), _a("ite", _a("le", zero, k), k, zero),
                            _a("ite", _a("le", zero, r), r, zero)))
            inside = _fold("and", [_a("le", zero, a[1]), _a("lt", a[1], k)])
            at = a[1] if o == zero else _a("add", a[1], o)
            return S(_a("ite", inside, _a("nth", l, at), _a("none")))
        # fs_name_ok on a literal is the file system's name check (theories/filesys.py)
        if op == "fs_name_ok" and type(a[0]) is Lit and a[0].kind == "string":
            ok = fs_name_ok(a[0].value)
            return t if ok is None else mk_bool(ok)
        # nth(l, i) = None for i < 0 as for i ≥ len(l), so these hold for every integer i
        if op == "nth" and _is(a[0], "app"):
            xs, ys = a[0].args
            return S(_a("ite", _a("lt", a[1], _a("len", xs)), _a("nth", xs, a[1]),
                        _a("nth", ys, _a("sub", a[1], _a("len", xs)))))
        if op == "nth" and _is(a[0], "list") and not _is_int(a[1]) and len(a[0].args) <= 4:
            out = _a("none")
            for j, x in reversed(list(enumerate(a[0].args))):
                out = _a("ite", _a("eq", a[1], mk_int(j)), _a("some", x), out)
            return S(out)
        if op == "mem":
            return self.mem(*a)
        if op == "subseteq" and a[0] == a[1]:
            return TRUE
        if op == "subseteq" and _is(a[0], "set"):
            return S(_fold("and", [_a("mem", x, a[1]) for x in a[0].args]))
        if op == "lookup" and _is(a[0], "map_empty"):
            return _a("none")
        if op == "lookup" and _is(a[0], "map_replicate"):   # v at each 0 ≤ k < N, else none
            k, x = a[0].args
            inside = _fold("and", [_a("le", mk_int(0), a[1]), _a("lt", a[1], k)])
            return S(_a("ite", inside, _a("some", x), _a("none")))
        if op == "lookup" and (_is(a[0], "insert") or _is(a[0], "delete")):
            m, k = a
            hit = _a("some", m.args[2]) if m.op == "insert" else _a("none")
            return S(_a("ite", _a("eq", m.args[1], k), hit, _a("lookup", m.args[0], k)))
        return t

    def eq(self, x, y):
        if x == y:
            return TRUE
        for sub, l in ((x, y), (y, x)):     # sublist(l, o, k) = l: nothing is cut off
            if _is(sub, "sublist") and sub.args[0] == l:
                _, o, k = sub.args
                return self.simp(_a("or", _a("eq", _a("len", l), mk_int(0)), _a(
                    "and", _a("le", o, mk_int(0)), _a("le", _a("len", l), k))))
        hx, hy = _head(x), _head(y)
        if hx is None or hy is None:
            return _a("eq", x, y)
        if hx != hy:
            return FALSE
        return self.simp(_fold("and", [_a("eq", *p) for p in zip(x.args, y.args)]))  # x, y: Apps

    def mem(self, x, s):
        if _is(s, "set"):
            return self.simp(_fold("or", [_a("eq", x, y) for y in s.args]))
        if _is(s, "range") and _num(self.sort(x)):
            return self.simp(_a("and", _a("le", s.args[0], x), _a("lt", x, s.args[1])))
        if type(s) is App and s.op in ("union", "inter", "diff"):
            l, r = _a("mem", x, s.args[0]), _a("mem", x, s.args[1])
            return self.simp(_a("or", l, r) if s.op == "union" else
                             _a("and", l, r if s.op == "inter" else _a("not", r)))
        if _is(s, "dom"):  # x ∈ dom(m) ⟺ m[x] ≠ None
            return self.simp(_a("not", _a("eq", _a("lookup", s.args[0], x), _a("none"))))
        return _a("mem", x, s)

    # ---- negation normal form ----------------------------------------------------------------

    def cached_nnf(self, t, pos: bool) -> tuple:
        """`nnf`, remembered over the env's provers when it introduced no witness variable (a
        witness's name depends on the prover's env, so such a form is this prover's own)."""
        nnfs = self.nnfs
        f = nnfs.get((t, pos))
        if f is None:
            n = len(self.env)
            f = self.nnf(t, pos)
            if len(self.env) == n:
                nnfs[(t, pos)] = f
        return f

    def nnf(self, t, pos: bool) -> tuple:
        """NNF of the simplified boolean term t, negated if not pos."""
        self.tick()
        if type(t) is Lit:
            return ("c", t.value == pos)
        op, a = (t.op, t.args) if type(t) is App else (None, ())
        if op == "not":
            return self.nnf(a[0], not pos)
        if op in ("and", "or", "implies"):
            left, right = self.nnf(a[0], pos != (op == "implies")), self.nnf(a[1], pos)
            return _mk("and" if pos == (op == "and") else "or", (left, right))
        if op == "ite":
            return _mk("or", (_mk("and", (self.nnf(a[0], True), self.nnf(a[1], pos))),
                              _mk("and", (self.nnf(a[0], False), self.nnf(a[2], pos)))))
        it = next(_ites(t), None)
        if it is not None:  # P[ite(c, x, y)] = ite(c, P[x], P[y])
            c, x, y = it.args
            return self.nnf(_a("ite", c, self.simp(_replace(t, it, x)),
                               self.simp(_replace(t, it, y))), pos)
        if op == "eq":
            for b, o in (a, a[::-1]):  # o = b with b a boolean formula: case on b
                if self.sort(b) == BOOL and type(b) is not Lit:
                    yes, no = self.simp(_a("eq", o, TRUE)), self.simp(_a("eq", o, FALSE))
                    return self.nnf(_a("ite", b, yes, no), pos)
            s = self.sort(a[0])
            if not pos and s.name in ("set", "map") and self.sort(a[1]).name == s.name:
                # sets and maps are extensional: unequal ones differ at a fresh witness x
                x = Var(next(f"x#{i}" for i in range(len(self.env) + 1)
                             if f"x#{i}" not in self.env))   # fresh: any name may be in env
                key = _join(s.args[0], self.sort(a[1]).args[0])   # elements of either side
                self.env[x.name] = key if key != ANY else VAL
                self.sorts, self.simps, self.nnfs = {}, {}, {}   # env changed: own caches now
                op = "mem" if s.name == "set" else "lookup"
                at = [self.simp(_a(op, *((x, y) if op == "mem" else (y, x)))) for y in a]
                return _mk("and", (("l", t, pos), self.nnf(self.simp(_a("eq", *at)), False)))
            if not pos and _num(s) and _num(self.sort(a[1])):   # a ≠ b (for congruence) and
                return ("and", (("l", t, False), ("or", (("l", App("lt", a), True),  # a < b or
                                                         ("l", App("lt", a[::-1]), True)))))
        return ("l", t, pos)

    # ---- search --------------------------------------------------------------------------------

    def refute(self, lits: dict, todo: list, depth: int, base=None):
        """A core (a set of decision levels) if the branch is contradictory, else None.  base:
        the theory state of the parent branch (whose literals are the first ones of lits).

        Invariant: each entry (f, R) of lits/todo is implied by the input formula together with
        the alternatives chosen at the levels in R on the current path; a returned core C means
        the input and the alternatives chosen at the levels in C are contradictory."""
        lits, todo, disj = dict(lits), list(todo), []
        while todo:
            f, r = todo.pop(0)
            if f == ("c", False):
                return r
            if f[0] == "and":
                todo.extend((g, r) for g in f[1])
            elif f[0] == "or":
                disj.append((f, r))
            elif f[0] == "l" and _neg(f) in lits:
                return r | lits[_neg(f)]
            elif f[0] == "l":
                lits.setdefault(f[1:], r)
            if not todo:  # drop satisfied disjunctions and falsified disjuncts (units: to todo)
                old, disj = disj, []
                for f, r in old:
                    if not any(g[0] == "l" and g[1:] in lits for g in f[1]):
                        false = [g for g in f[1] if g[0] == "l" and _neg(g) in lits]
                        g = _mk("or", [g for g in f[1] if g not in false])
                        r = r.union(*(lits[_neg(h)] for h in false))
                        (disj if g[0] == "or" else todo).append((g, r))
        core, state = self.theory(lits, not disj, base)
        if core is not None or not disj:
            return core
        (f, r), *rest = sorted(disj, key=lambda e: len(e[0][1]))  # the shortest first
        level, cores = depth + 1, set(r)
        for g in f[1]:
            c = self.refute(lits, rest + [(g, r | {level})], level, state)
            if c is None or level not in c:  # not refuted, or refuted without this choice
                return c
            cores |= c - {level}
        return frozenset(cores)

    def theory(self, lits: dict, full: bool = True, base=None):
        """Check a branch's literals: (the union of the reasons used, or None; the state a
        branch with more literals extends).  Not ``full``: stop before Nelson–Oppen (at an inner
        node of the tableau, whose leaves are checked fully).  ``base``: the state a check of
        the first literals of lits left (the parent branch's: the same facts, the same reasons),
        copied and extended instead of rebuilt."""
        self.checks += 1
        if self.checks > MAX_CHECKS:
            raise _GiveUp
        if base is None:
            lia, cc, ccr, done, paired = _Lia(self.env), _CC(), NOREASON, 0, 0
        else:
            lia, cc, (ccr, done, paired) = base[0].copy(), base[1].copy(), base[2:]
        for (t, pos), r in islice(lits.items(), done, None):
            if _is(t, "lt") or _is(t, "le"):
                x, y = t.args if pos else t.args[::-1]
                strict = (t.op == "lt") == pos  # x < y is x − y + 1 ≤ 0
                lia.les.append((_comb(lia.diff(x, y), 1, {0: 1}, int(strict)), r))
                continue
            ccr |= r
            if _is(t, "eq") and pos:
                cc.union(cc.node(t.args[0]), cc.node(t.args[1]))
                if _num(self.sort(t.args[0])) and _num(self.sort(t.args[1])):
                    lia.eqs.append((lia.diff(*t.args), r))
            elif _is(t, "eq"):
                cc.neqs.append((cc.node(t.args[0]), cc.node(t.args[1])))
            cc.union(cc.node(t), cc.node(TRUE if pos else FALSE))
        for t in list(lia.ids):  # numeric atoms take part in congruence (e.g. fst(p))
            cc.node(t)
        while paired < len(cc.terms):    # (it grows) every value of a product sort is a pair
            t = cc.terms[paired][0]
            paired += 1
            if self.sort(t).name == "prod" and not _is(t, "pair"):
                cc.union(cc.node(t), cc.node(_a("pair", _a("fst", t), _a("snd", t))))
        state = None if full else (lia, cc, ccr, len(lits), paired)
        for _ in range(3):
            if cc.close():
                return ccr, None
            classes, eqs = {}, list(lia.eqs)
            for i, (t, _) in enumerate(cc.terms):
                if _num(self.sort(t)):
                    classes.setdefault(cc.find(i), []).append(t)
            for ts in classes.values():  # equal numbers, as congruence closure found them
                eqs += [(lia.diff(ts[0], t), ccr) for t in ts[1:]]
            core, steps = _eliminate(eqs)   # once for the queries below
            if core is not None:
                return core, None
            les = [_reduce(h, s, steps) for h, s in lia.les]
            core = _fm_les(list(les))
            if core is not None:
                return core, None
            if not full:
                return None, state
            parts = _parts(les)

            def below(a, b):   # the reasons for a < b being contradictory, or None: the base
                # is not refuted, so only the constraints sharing atoms with a < b can help
                q = _reduce(_comb(lia.diff(a, b), 1, {0: 1}, 1), NOREASON, steps)
                ks = {k for k in q[0] if k}
                return _fm_les([c for atoms, cs in parts if atoms & ks for c in cs] + [q])
            # Nelson–Oppen, for the equalities congruence could use: numeric arguments at one
            # position of two applications of one function that the arithmetic proves equal
            merged = False
            for x, y in self.arg_pairs(cc):
                r1 = below(x, y)
                if r1 is None:
                    continue
                r2 = below(y, x)
                if r2 is not None:   # neither x < y nor y < x
                    cc.union(cc.node(x), cc.node(y))
                    ccr, merged = ccr | r1 | r2, True
            if not merged:
                return None, None
        return None, None

    def arg_pairs(self, cc, limit=12):
        """Numeric arguments, in different classes, at one position of two applications of
        one function (at most ``limit`` pairs)."""
        apps, out = {}, []
        for t, args in cc.terms:
            if type(t) is App and args:
                apps.setdefault((t.op, len(args)), []).append((t, args))
        for group in apps.values():
            if len(group) < 2:
                continue
            # per application: the class of each numeric argument (None if not numeric)
            cls = [[cc.find(i) if _num(self.sort(x)) else None for i, x in zip(a, t.args)]
                   for t, a in group]
            for k, (t, _) in enumerate(group):
                for m in range(k + 1, len(group)):
                    for p, (i, j) in enumerate(zip(cls[k], cls[m])):
                        if i is not None and j is not None and i != j:
                            out.append((t.args[p], group[m][0].args[p]))
                            if len(out) >= limit:
                                return out
        return out


def entails(env: dict[str, Sort], hyps: tuple | list, goal: Term,
            defs: dict[str, PureDef], memo: dict | None = None, context=None) -> bool:
    """True only if every sort-respecting assignment of env's variables that makes all hyps true
    makes goal true.  False means "not proved".  Raises PureError on ill-sorted input.

    The facts are split into groups that share no variable and no uninterpreted symbol
    (`_facts`): hyps ∧ ¬goal is unsatisfiable iff the goal's group with ¬goal is, or another
    group alone is (groups over disjoint symbols have independent models).  So a query's work
    does not grow with unrelated facts.  ``memo`` (valid while defs do not change) keeps each
    fact's sort check, the grouping of a list of facts and each group's answer.  ``context``:
    (envkey, token) from `context_key` for these env and hyps, if the caller has it."""
    hyps = tuple(hyps)
    if memo is None:
        return _entails(env, frozenset(env.items()), hyps, goal, defs, None)
    if context is None:
        envkey = context_key(memo, env)
        key = ("entails", hyps, goal, envkey)   # a question asked again (a re-check asks all)
    else:
        envkey, token = context
        key = ("entails", token, goal)
    out = memo.get(key)
    if out is None:
        out = memo[key] = _entails(env, envkey, hyps, goal, defs, memo, context and context[1])
    return out


def context_key(memo: dict, env) -> frozenset:
    """The one object standing for env in memo's keys (so that keys holding it compare fast)."""
    envkey = frozenset(env.items())
    return memo.setdefault(("env", envkey), envkey)


def _entails(env, envkey, hyps: tuple, goal, defs, memo, token=None) -> bool:
    sorter = _Sorter(defs, True)   # one for all: shared terms and definitions checked once
    caches, alone = None, {}
    if memo is not None:
        caches = memo.get(("caches", envkey))
        if caches is None or len(caches[0]) + len(caches[1]) + len(caches[2]) > 100_000:
            caches = memo[("caches", envkey)] = ({}, {}, {})
        # whether each group alone is contradictory, for these facts (asked for every goal)
        alone = memo.setdefault(("alone", hyps if token is None else token, envkey), {})
    links, groups = _facts(env, envkey, hyps, sorter, memo, token)
    _need_prop(goal, env, envkey, sorter, memo)
    roots = {links[k] for k in _links(goal, memo) if k in links}
    mine = tuple(hyps[i] for i in sorted(i for r in roots for i in groups[r]))
    if any(alone.values()):     # these facts are already known to be contradictory
        return True
    # first the facts about the goal's own variables: most goals follow from a few of them
    # (a subset proving the goal proves it from all: weakening); a cheap try before the group
    vs = fv(goal)
    near = tuple(h for h in mine if not vs.isdisjoint(fv(h)))
    if len(near) < len(mine) and _refuted(env, near, goal, defs, memo, caches):
        return True
    if _refuted(env, mine, goal, defs, memo, caches):
        return True
    for r, ix in sorted(groups.items(), key=lambda g: -g[1][-1]):  # newest facts' first:
        if r not in roots:
            if r not in alone:      # and its newest facts first (a dead branch's clash is recent)
                fs = tuple(hyps[i] for i in ix)
                alone[r] = len(fs) > 12 and _refuted(env, fs[-12:], None, defs, memo, caches) \
                    or _refuted(env, fs, None, defs, memo, caches)
            if alone[r]:
                return True
    return False


def _facts(env, envkey, hyps: tuple, sorter, memo, token=None):
    """Sort-check the hyps and group them: (link -> its group's key, group key -> the indices
    of its hyps, in order).  A fact without links (ground, interpreted) is a group alone.
    ``token``: stands for these hyps (`entails`' context)."""
    fast = ("facts", hyps if token is None else token, envkey)  # else by their vars' sorts
    if memo is not None and fast in memo:
        return memo[fast]
    key = ("facts", hyps, _env_of(env, hyps, memo)) if memo is not None else None
    if key is not None and key in memo:
        memo[fast] = memo[key]
        return memo[key]
    for t in hyps:
        _need_prop(t, env, envkey, sorter, memo)
    parent: dict = {}

    def find(k):
        while parent.setdefault(k, k) != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for h in hyps:
        ls = _links(h, memo)
        if ls:
            it = iter(ls)
            r = find(next(it))
            for k in it:
                k = find(k)
                if k != r:
                    parent[k] = r
    groups: dict = {}
    for i, h in enumerate(hyps):
        ls = _links(h, memo)
        r = find(next(iter(ls))) if ls else ("alone", i)     # (no link is a tuple like this)
        groups.setdefault(r, []).append(i)
    out = ({k: find(k) for k in parent}, groups)
    if key is not None:
        memo[key] = memo[fast] = out
    return out


def _need_prop(t, env, envkey, sorter, memo) -> None:
    """t is a proposition in env (remembered in memo: an ill-sorted t raises, never kept).  The
    answer depends on the sorts of t's variables alone (and the definitions: memo's date)."""
    fast = ("prop", t, envkey)
    if memo is not None and fast in memo:
        return
    key = ("prop", t, _env_of(env, (t,), memo))
    if memo is not None and key in memo:
        memo[fast] = True
        return
    try:
        s = sorter.sort(t, env)
    except RecursionError:
        raise PureError("term too deep") from None
    if s != BOOL:
        raise PureError(f"not a proposition: {term_text(t)}")
    if memo is not None:
        memo[key] = memo[fast] = True


def _refuted(env, hyps: tuple, goal, defs, memo, caches=None) -> bool:
    """hyps ∧ ¬goal (hyps alone if goal is None) is contradictory."""
    key = ("refuted", hyps, goal, _env_of(env, hyps + ((goal,) if goal is not None else ()),
                                          memo)) if memo is not None else None
    if key is not None and key in memo:
        return memo[key]
    if goal is not None and goal in hyps:   # a fact itself (asked often: no search)
        return True
    p = _Prover(env, defs, caches)
    try:  # the goal's cases are split first
        g = p.simp(goal) if goal is not None else None
        if g == TRUE:       # valid by exact rewrites alone (a = a, say): no facts needed
            out = True
        else:
            fs = ([p.cached_nnf(g, False)] if goal is not None else []) + \
                 [p.cached_nnf(p.simp(h), True) for h in hyps]
            out = p.refute({}, [(f, NOREASON) for f in fs], 0) is not None
    except (_GiveUp, RecursionError):
        out = False
    if key is not None:
        memo[key] = out
    return out


# Operators with one fixed meaning: two facts that share only these share nothing that a model
# could choose.  Anything else (user definitions, which unfold into anything, semantics'
# uninterpreted functions, fs_name_ok on non-literals) links every fact that mentions one.
_INTERPRETED = frozenset(TERM_OPS) - {"fs_name_ok"}
_UNINTERPRETED = ("uninterpreted symbol",)       # a key no variable name equals


def _links(t, memo) -> frozenset:
    """What t may share with another fact: its variables and, if it has one, an uninterpreted
    symbol."""
    key = ("links", t)
    if memo is not None and key in memo:
        return memo[key]
    out, todo = set(fv(t)), [t]
    while todo:
        x = todo.pop()
        if type(x) is App:
            if x.op not in _INTERPRETED:
                out.add(_UNINTERPRETED)
                break
            todo.extend(x.args)
    out = frozenset(out)
    if memo is not None:
        memo[key] = out
    return out
