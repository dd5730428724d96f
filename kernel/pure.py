"""Pure reasoning for the trusted kernel: sort checking, and a sound, incomplete decision
procedure for entailment between boolean terms.

`entails` sort-checks, unfolds definitions, simplifies with exact rewrites, puts hyps ∧ ¬goal in
negation normal form and looks for a refutation: a tableau splitting disjunctions (within a
budget) whose branches are checked by congruence closure (free constructors, projections) and
integer Fourier–Motzkin.  Soundness rests on local facts: each rewrite is an identity of the
semantics, each constraint handed to a theory is implied by the branch (or defines a fresh
variable), and the theories only derive consequences.

Semantics: numbers are integers (a u64 variable ranges over [0, 2^64), a nat one over [0, ∞));
div/mod are floor division with x div 0 = 0, x mod 0 = x; add64/sub64/mul64 reduce mod 2^64.
All values live in one universe (`val`) where literals and some/none/pair/list/continue/break/
ret are free constructors; sets and maps are extensional, so their operations are ordinary
functions; other Apps are user definitions (unfolded) or uninterpreted functions.
"""
from __future__ import annotations

from math import gcd
from typing import Mapping, Sequence

from seplogic.syntax import (App, BOOL, FALSE, INT, Lit, SORT_CONSTRUCTORS, STRING, Sort, TERM_OPS,
                             TRUE, U64, NAT, UNIT, VAL, Term, Var, mk_bool, mk_int, subst_term)


class PureError(Exception):
    """An ill-sorted or malformed term, an unknown variable, a bad arity or a bad definition."""


PureDef = tuple  # (params: tuple[(name, Sort)], sort: Sort, body: Term), non-recursive

NUMERIC = ("u64", "nat", "int")
ANY = Sort("?")  # element sort of none, [], ∅, map_empty; never the sort of a variable
TWO64 = 1 << 64
ARITH = ("add", "sub", "mul", "div", "mod", "neg", "add64", "sub64", "mul64")
CONSTRUCTORS = ("some", "none", "pair", "list", "continue", "break", "ret")
LIT_KINDS = {"int": (int, INT), "bool": (bool, BOOL), "string": (str, STRING),
             "unit": (type(None), UNIT)}
NOREASON = frozenset()
MAX_WORK, MAX_CHECKS, MAX_CONSTRAINTS = 50_000, 300, 3_000


class _GiveUp(Exception):
    """Budget exhausted: the entailment is reported as not proved."""


# ---------------------------------------------------------------------------------------------
# Sorts


def _num(s: Sort) -> bool:
    return s.name in NUMERIC


def _compat(a: Sort, b: Sort, fit: bool = False) -> bool:
    """Can values of sorts a and b be equal?  With fit: may a term of sort a stand where b is
    expected (numbers count as one sort: terms are never assumed in range; val fits only val)?"""
    if a == b or a.name == "?" or b.name == "val" or (_num(a) and _num(b)) \
            or (not fit and (b.name == "?" or a.name == "val")):
        return True
    return a.name == b.name and len(a.args) == len(b.args) and all(
        _compat(x, y, fit) for x, y in zip(a.args, b.args))


def _join(a: Sort, b: Sort) -> Sort:
    """A sort containing the values of both a and b (val when nothing better is known)."""
    if a == b or b.name == "?":
        return a
    if a.name == "?":
        return b
    if _num(a) and _num(b):
        return INT
    if a.name == b.name and len(a.args) == len(b.args):
        return Sort(a.name, tuple(map(_join, a.args, b.args)))
    return VAL


def _wf(s) -> Sort:
    if (type(s) is not Sort or type(s.name) is not str or type(s.args) is not tuple
            or s.name == "?" or len(s.args) != SORT_CONSTRUCTORS.get(s.name, 0)
            or not all(_wf(x) for x in s.args)):
        raise PureError(f"ill-formed sort {s!r}")
    return s


class _Sorter:
    """Computes sorts.  Strict: raises PureError on ill-sorted terms.  Lenient: classifies terms
    derived from checked ones (numeric / bool / other); its results are still true of values."""

    def __init__(self, defs, strict: bool):
        self.defs, self.strict, self.checked, self.busy = defs, strict, set(), []

    def need(self, ok, t, what):
        if self.strict and not ok:
            raise PureError(f"ill-sorted term {t!r}: {what}")

    def elem(self, s: Sort, name: str, t) -> tuple:
        self.need(s.name == name, t, f"expected a {name}")
        return s.args if s.name == name else (VAL, VAL)

    def sort(self, t, env) -> Sort:
        if type(t) is Var:
            if t.name not in env:
                raise PureError(f"unknown variable {t.name}")
            return _wf(env[t.name])
        if type(t) is Lit:
            py, s = LIT_KINDS.get(t.kind, (None, None))
            if py is None or type(t.value) is not py:
                raise PureError(f"bad literal {t!r}")
            return s
        if type(t) is not App or type(t.op) is not str or type(t.args) is not tuple:
            raise PureError(f"not a term: {t!r}")
        ss = [self.sort(a, env) for a in t.args]
        if t.op not in TERM_OPS:
            return self.call(t, ss, env)
        op, n = t.op, TERM_OPS[t.op]
        if n is not None and len(ss) != n:
            raise PureError(f"{op} takes {n} arguments: {t!r}")
        need = lambda ok, what: self.need(ok, t, what)  # noqa: E731
        if op in ARITH or op in ("lt", "le", "range"):
            need(all(map(_num, ss)), "numbers expected")
            return (BOOL if op in ("lt", "le") else Sort("set", (INT,)) if op == "range"
                    else U64 if op.endswith("64") else INT)
        if op in ("eq", "ne", "and", "or", "implies", "not"):
            need(_compat(*ss) if op in ("eq", "ne") else all(s == BOOL for s in ss),
                 "incompatible sides" if op in ("eq", "ne") else "booleans expected")
            return BOOL
        if op == "ite":
            need(ss[0] == BOOL and _compat(ss[1], ss[2]), "bad condition or branches")
            return _join(ss[1], ss[2])
        if op in ("fst", "snd"):
            if ss[0].name == "prod":
                return ss[0].args[op == "snd"]
            need(ss[0] == VAL, "a pair expected")
            return VAL
        if op in ("pair", "some", "none"):
            return Sort("prod", tuple(ss)) if op == "pair" else Sort("option", tuple(ss) or (ANY,))
        if op in ("continue", "break", "ret", "map_empty"):
            return Sort("map", (ANY, ANY)) if op == "map_empty" else VAL
        if op in ("list", "set"):
            e = ANY
            for s in ss:
                need(_compat(e, s), "elements of incompatible sorts")
                e = _join(e, s)
            return Sort(op, (e,))
        if op in ("len", "nth", "app"):
            (e,) = self.elem(ss[0], "list", t)[:1]
            if op == "len":
                return INT
            if op == "nth":
                need(_num(ss[1]), "numeric index expected")
                return Sort("option", (e,))
            self.elem(ss[1], "list", t)
            need(_compat(*ss), "lists of incompatible sorts")
            return _join(*ss)
        if op in ("union", "inter", "diff", "subseteq"):
            self.elem(ss[0], "set", t)
            self.elem(ss[1], "set", t)
            need(_compat(*ss), "sets of incompatible sorts")
            return BOOL if op == "subseteq" else _join(*ss)
        if op == "mem":
            need(_compat(ss[0], self.elem(ss[1], "set", t)[0]), "element of the wrong sort")
            return BOOL
        k, v = self.elem(ss[0], "map", t)  # insert lookup delete dom
        if op == "dom":
            return Sort("set", (k,))
        need(_compat(ss[1], k), "key of the wrong sort")
        if op == "lookup":
            return Sort("option", (v,))
        if op == "delete":
            return ss[0]
        need(_compat(ss[2], v), "value of the wrong sort")
        return Sort("map", (_join(k, ss[1]), _join(v, ss[2])))

    def call(self, t: App, ss: list, env) -> Sort:
        """A user definition (checked once, cycles rejected) or an uninterpreted function.  The
        sort of a definition's use is that of its unfolding (so u64 promises a value < 2^64)."""
        if t.op not in self.defs:
            return VAL
        try:
            params, res, body = self.defs[t.op]
            names, sorts = [n for n, _ in params], [_wf(s) for _, s in params]
        except (TypeError, ValueError):
            raise PureError(f"malformed definition {t.op}") from None
        if len(ss) != len(params):
            raise PureError(f"{t.op} takes {len(params)} arguments: {t!r}")
        for a, s, p in zip(t.args, ss, sorts):
            self.need(_compat(s, p, True), a, f"argument of {t.op} must have sort {p}")
        if t.op not in self.checked:
            if t.op in self.busy:
                raise PureError(f"cyclic definition {t.op}")
            self.busy.append(t.op)
            got = self.sort(body, dict(zip(names, sorts)))
            self.busy.pop()
            if not _compat(got, _wf(res), True):
                raise PureError(f"body of {t.op} has sort {got}, declared {res}")
            self.checked.add(t.op)
        return _Sorter(self.defs, False).sort(subst_term(body, dict(zip(names, t.args))), env)


def sort_of(t: Term, env: Mapping[str, Sort], defs: Mapping[str, PureDef]) -> Sort:
    """The sort of t (ANY = Sort("?") stands for the unknown element sort of None, [], ∅)."""
    try:
        return _Sorter(defs, True).sort(t, env)
    except RecursionError:
        raise PureError("term too deep") from None


# ---------------------------------------------------------------------------------------------
# Small helpers on terms and formulas


def _is(t, op: str) -> bool:
    return type(t) is App and t.op == op


def _is_int(t) -> bool:
    return type(t) is Lit and t.kind == "int"


def _head(t):
    """The constructor of a value-forming term (free: distinct heads give distinct values)."""
    if type(t) is Lit:
        return ("lit", t.kind, t.value)
    return (t.op, len(t.args)) if type(t) is App and t.op in CONSTRUCTORS else None


def _arith(op: str, x: int, y: int = 0) -> int:
    if op == "neg":
        return -x
    if op in ("div", "mod"):
        if y == 0:
            return 0 if op == "div" else x
        return x // y if op == "div" else x % y  # Python's // and % are floor division
    r = x + y if op.startswith("add") else x - y if op.startswith("sub") else x * y
    return r % TWO64 if op.endswith("64") else r


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


def _comb(f: dict, a: int, g: dict, b: int) -> dict:
    """a·f + b·g for linear forms {atom id: coefficient, 0: constant}."""
    out = dict.fromkeys(f.keys() | g.keys(), 0)
    for h, m in ((f, a), (g, b)):
        for k, v in h.items():
            out[k] += m * v
    return {k: v for k, v in out.items() if v}


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


def _fm(eqs: list, les: list):
    """Refute the integer constraints (form, reason) meaning form = 0 / form ≤ 0.  Returns the
    union of the reasons used, or None if no contradiction is found."""
    while eqs:
        f, r = eqs.pop()
        f = _tighten(f, True)
        if f is None:
            return r
        vs = [k for k in f if k]
        if not vs:
            continue
        v = min(vs, key=lambda k: abs(f[k]))
        a = f[v]

        def elim(h, s):  # |a|·h − sign(a)·h[v]·f has no v, and is implied by h and f = 0
            b = h.get(v, 0)
            return (h, s) if not b else (_comb(h, abs(a), f, -b if a > 0 else b), s | r)
        eqs = [elim(*e) for e in eqs]
        les = [elim(*e) for e in les]
    while True:
        cons = {}
        for f, r in les:
            f = _tighten(f, False)
            if f is None:
                return r
            key = tuple(sorted((k, v) for k, v in f.items() if k))
            if key and (key not in cons or f[0] > cons[key][0][0]):
                cons[key] = (f, r)
        if not cons:
            return None
        vs = {k for key in cons for k, _ in key}
        sides = {v: ([c for c in cons.values() if c[0].get(v, 0) > 0],
                     [c for c in cons.values() if c[0].get(v, 0) < 0]) for v in vs}

        def cost(v):  # exact eliminations (one side has unit coefficients) first, then fewest new
            unit = [all(abs(f[v]) == 1 for f, _ in side) for side in sides[v]]
            return not any(unit), len(sides[v][0]) * len(sides[v][1])
        v = min(vs, key=cost)
        if len(cons) + len(sides[v][0]) * len(sides[v][1]) > MAX_CONSTRAINTS:
            return None
        les = [c for c in cons.values() if not c[0].get(v, 0)]
        les += [(_comb(f, -g[v], g, f[v]), r | s) for f, r in sides[v][0] for g, s in sides[v][1]]


class _Lia:
    """Linearises numeric terms of one branch; non-linear subterms become atoms."""

    def __init__(self, prover):
        self.p, self.ids, self.divs, self.n = prover, {}, {}, 0
        self.eqs, self.les = [], []

    def fresh(self, lo=None, hi=None) -> int:
        self.n += 1
        for bound, k in ((lo, -1), (hi, 1)):  # lo − v ≤ 0, v − hi ≤ 0
            if bound is not None:
                self.les.append(({self.n: k, 0: -k * bound}, NOREASON))
        return self.n

    def atom(self, t) -> dict:
        if t not in self.ids:
            s = self.p.path_sort(t)
            lo = 0 if s in (U64, NAT) or _is(t, "len") else None
            self.ids[t] = self.fresh(lo, TWO64 - 1 if s == U64 else None)
        return {self.ids[t]: 1}

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
    """Union-find over term nodes with congruence, free constructors (injective, distinct heads
    differ) and fst/snd of pairs."""

    def __init__(self):
        self.ids, self.terms, self.parent, self.neqs = {}, [], [], []

    def node(self, t) -> int:
        i = self.ids.get(t)
        if i is None:
            args = tuple(self.node(a) for a in t.args) if type(t) is App else ()
            i = self.ids[t] = len(self.terms)
            self.terms.append((t, args))
            self.parent.append(i)
        return i

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> bool:
        i, j = self.find(i), self.find(j)
        self.parent[i] = j
        return i != j

    def close(self) -> bool:
        """Saturate; True if the equalities and disequalities are contradictory."""
        changed = True
        while changed:
            changed, sigs, cons = False, {}, {}
            for i, (t, args) in enumerate(self.terms):
                if type(t) is App:
                    sig = (t.op, tuple(map(self.find, args)))
                    changed |= self.union(i, sigs.setdefault(sig, i))
                if _head(t) is not None:
                    j = cons.setdefault(self.find(i), i)
                    if _head(t) != _head(self.terms[j][0]):
                        return True
                    for x, y in zip(args, self.terms[j][1]):
                        changed |= self.union(x, y)
            for i, (t, args) in enumerate(self.terms):
                if _is(t, "fst") or _is(t, "snd"):
                    j = cons.get(self.find(args[0]))
                    if j is not None and _is(self.terms[j][0], "pair"):
                        changed |= self.union(i, self.terms[j][1][t.op == "snd"])
        return any(self.find(i) == self.find(j) for i, j in self.neqs)


# ---------------------------------------------------------------------------------------------
# The prover


class _Prover:
    def __init__(self, env, defs):
        self.env, self.defs, self.lenient = env, defs, _Sorter({}, False)
        self.sorts, self.simps, self.work, self.checks = {}, {}, 0, 0

    def tick(self):
        self.work += 1
        if self.work > MAX_WORK:
            raise _GiveUp

    def sort(self, t) -> Sort:
        return self.sorts.get(t) or self.sorts.setdefault(t, self.lenient.sort(t, self.env))

    def path_sort(self, t):
        """The sort the assignment gives t, if t is a variable or a fst/snd path into one."""
        if _is(t, "fst") or _is(t, "snd"):
            s = self.path_sort(t.args[0])
            return s.args[t.op == "snd"] if s is not None and s.name == "prod" else None
        return self.env[t.name] if type(t) is Var else None

    def unfold(self, t):
        if type(t) is not App:
            return t
        self.tick()
        args = tuple(self.unfold(a) for a in t.args)
        if t.op in TERM_OPS or t.op not in self.defs:
            return App(t.op, args)
        params, _, body = self.defs[t.op]
        return self.unfold(subst_term(body, {p[0]: a for p, a in zip(params, args)}))

    # ---- simplification: bottom-up; every rule is an equation of the semantics ---------------

    def simp(self, t):
        if type(t) is not App:
            return t
        if t not in self.simps:
            self.tick()
            self.simps[t] = self.rw(App(t.op, tuple(self.simp(a) for a in t.args)))
        return self.simps[t]

    def rw(self, t: App):
        op, a, S = t.op, t.args, self.simp
        if op in ARITH and all(map(_is_int, a)):
            return mk_int(_arith(op, *(x.value for x in a)))
        if op in ("div", "mod") and a[1] == mk_int(0):
            return mk_int(0) if op == "div" else a[0]
        if op in ("add64", "sub64", "mul64"):
            return S(App("mod", (App(op[:3], a), mk_int(TWO64))))
        if op in ("lt", "le") and _is_int(a[0]) and _is_int(a[1]):
            return mk_bool(a[0].value < a[1].value or (op == "le" and a[0].value == a[1].value))
        if op == "ne":
            return S(App("not", (App("eq", a),)))
        if op == "eq":
            return self.eq(*a)
        if op == "not" and a[0] in (TRUE, FALSE):  # (and/or/implies: see _mk)
            return mk_bool(not a[0].value)
        if op == "ite":
            if a[0] in (TRUE, FALSE):
                return a[1] if a[0].value else a[2]
            if a[1] == a[2]:
                return a[1]
        if op in ("fst", "snd") and _is(a[0], "pair"):
            return a[0].args[op == "snd"]
        if op == "len" and _is(a[0], "list"):
            return mk_int(len(a[0].args))
        if op == "len" and _is(a[0], "app"):
            return S(App("add", tuple(App("len", (x,)) for x in a[0].args)))
        if op == "app" and _is(a[0], "list") and _is(a[1], "list"):
            return App("list", a[0].args + a[1].args)
        if op == "app" and App("list") in a:
            return a[1] if a[0] == App("list") else a[0]
        if op == "nth" and _is(a[0], "list") and _is_int(a[1]) and a[1].value >= 0:
            xs, i = a[0].args, a[1].value
            return App("some", (xs[i],)) if i < len(xs) else App("none")
        if op == "mem":
            return self.mem(*a)
        if op == "subseteq":
            if a[0] == a[1]:
                return TRUE
            if _is(a[0], "set"):
                return S(_fold("and", [App("mem", (x, a[1])) for x in a[0].args]))
        if op == "lookup":
            m, k = a
            if _is(m, "map_empty"):
                return App("none")
            if _is(m, "insert") or _is(m, "delete"):
                hit = App("some", (m.args[2],)) if m.op == "insert" else App("none")
                same = App("eq", (m.args[1], k))
                return S(App("ite", (same, hit, App("lookup", (m.args[0], k)))))
        return t

    def eq(self, x, y):
        if x == y:
            return TRUE
        hx, hy = _head(x), _head(y)
        if hx is None or hy is None:
            return App("eq", (x, y))
        if hx != hy:
            return FALSE
        return self.simp(_fold("and", [App("eq", p) for p in zip(x.args, y.args)]))  # x, y: Apps

    def mem(self, x, s):
        S = self.simp
        if _is(s, "set"):
            return S(_fold("or", [App("eq", (x, y)) for y in s.args]))
        if _is(s, "range") and _num(self.sort(x)):
            return S(App("and", (App("le", (s.args[0], x)), App("lt", (x, s.args[1])))))
        if type(s) is App and s.op in ("union", "inter", "diff"):
            l, r = App("mem", (x, s.args[0])), App("mem", (x, s.args[1]))
            return S(App("or", (l, r)) if s.op == "union" else
                     App("and", (l, r if s.op == "inter" else App("not", (r,)))))
        if _is(s, "dom"):
            m = s.args[0]
            if _is(m, "map_empty"):
                return FALSE
            if _is(m, "insert") or _is(m, "delete"):
                same, rest = App("eq", (x, m.args[1])), App("mem", (x, App("dom", (m.args[0],))))
                return S(App("or", (same, rest)) if m.op == "insert" else
                         App("and", (App("not", (same,)), rest)))
        return App("mem", (x, s))

    # ---- negation normal form ----------------------------------------------------------------

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
            return self.nnf(App("ite", (c, self.simp(_replace(t, it, x)),
                                        self.simp(_replace(t, it, y)))), pos)
        if op == "eq":
            x, y = a
            sx, sy = self.sort(x), self.sort(y)
            if sx == BOOL and sy == BOOL:  # x ↔ y
                return self.nnf(App("ite", (x, y, self.simp(App("not", (y,))))), pos)
            for b, o in ((x, y), (y, x)):  # o = b with b a boolean formula: case on b
                if self.sort(b) == BOOL and type(b) is not Lit:
                    return self.nnf(App("ite", (b, self.simp(App("eq", (o, TRUE))),
                                                self.simp(App("eq", (o, FALSE))))), pos)
            if not pos and _num(sx) and _num(sy):
                return ("or", (("l", App("lt", a), True), ("l", App("lt", (y, x)), True)))
        return ("l", t, pos)

    # ---- search --------------------------------------------------------------------------------

    def refute(self, lits: dict, todo: list, depth: int):
        """A core (a set of decision levels) if the branch is contradictory, else None.

        Invariant: each entry (f, R) of lits/todo is implied by the input formula together with
        the alternatives chosen at the levels in R on the current path; a returned core C means
        the input and the alternatives chosen at the levels in C are contradictory."""
        lits, todo, disj = dict(lits), list(todo), []
        while todo:
            while todo:
                f, r = todo.pop(0)
                if f[0] == "c":
                    if not f[1]:
                        return r
                elif f[0] == "and":
                    todo.extend((g, r) for g in f[1])
                elif f[0] == "or":
                    disj.append((f, r))
                elif (f[1], not f[2]) in lits:
                    return r | lits[(f[1], not f[2])]
                else:
                    lits.setdefault((f[1], f[2]), r)
            old, disj = disj, []
            for f, r in old:  # drop satisfied disjunctions and falsified disjuncts
                alts = []
                for g in f[1]:
                    if g[0] == "l" and (g[1], g[2]) in lits:
                        break
                    if g[0] == "l" and (g[1], not g[2]) in lits:
                        r = r | lits[(g[1], not g[2])]
                    else:
                        alts.append(g)
                else:
                    g = _mk("or", alts)  # a literal, ("c", False) or a smaller disjunction
                    (disj if g[0] == "or" else todo).append((g, r))
        core = self.theory(lits)
        if core is not None or not disj:
            return core
        disj.sort(key=lambda e: len(e[0][1]))
        (f, r), rest, level = disj[0], disj[1:], depth + 1
        cores = set(r)
        for g in f[1]:
            c = self.refute(lits, rest + [(g, r | {level})], level)
            if c is None or level not in c:  # not refuted, or refuted without this choice
                return c
            cores |= c - {level}
        return frozenset(cores)

    def theory(self, lits: dict):
        """Check a branch's literals; return the union of the reasons used, or None."""
        self.checks += 1
        if self.checks > MAX_CHECKS:
            raise _GiveUp
        lia, cc, ccr = _Lia(self), _CC(), NOREASON
        for (t, pos), r in lits.items():
            if _is(t, "lt") or _is(t, "le"):
                x, y = t.args if pos else t.args[::-1]
                strict = (t.op == "lt") == pos  # x < y is x − y + 1 ≤ 0
                d = _comb(lia.lin(x), 1, lia.lin(y), -1)
                lia.les.append((_comb(d, 1, {0: 1}, int(strict)), r))
                continue
            ccr |= r
            if _is(t, "eq"):
                x, y = t.args
                if not pos:
                    cc.neqs.append((cc.node(x), cc.node(y)))
                else:
                    cc.union(cc.node(x), cc.node(y))
                    if _num(self.sort(x)) and _num(self.sort(y)):
                        lia.eqs.append((_comb(lia.lin(x), 1, lia.lin(y), -1), r))
            cc.union(cc.node(t), cc.node(TRUE if pos else FALSE))
        for t in list(lia.ids):  # numeric atoms take part in congruence (e.g. fst(p))
            cc.node(t)
        if cc.close():
            return ccr
        classes = {}
        for i, (t, _) in enumerate(cc.terms):
            if _num(self.sort(t)):
                classes.setdefault(cc.find(i), []).append(t)
        for ts in classes.values():  # equal numbers, as congruence closure found them
            for t in ts[1:]:
                lia.eqs.append((_comb(lia.lin(ts[0]), 1, lia.lin(t), -1), ccr))
        return _fm(lia.eqs, lia.les)


def entails(env: Mapping[str, Sort], hyps: Sequence[Term], goal: Term,
            defs: Mapping[str, PureDef]) -> bool:
    """True only if every sort-respecting assignment of env's variables that makes all hyps true
    makes goal true.  False means "not proved".  Raises PureError on ill-sorted input."""
    for t in (*hyps, goal):
        if sort_of(t, env, defs) != BOOL:
            raise PureError(f"not a proposition: {t!r}")
    p = _Prover(env, defs)
    try:
        fs = [p.nnf(p.simp(p.unfold(goal)), False)]  # the goal's cases are split first
        fs += [p.nnf(p.simp(p.unfold(h)), True) for h in hyps]
        return p.refute({}, [(f, NOREASON) for f in fs], 0) is not None
    except (_GiveUp, RecursionError):
        return False
