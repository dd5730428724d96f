"""Sorts for the kernel's pure reasoning (kernel/pure.py): the operators' signatures and
`sort_of`, which checks a term against them and unfolds each definition once (no cycles)."""
from seplogic.syntax import (App, BOOL, INT, Lit, SORT_CONSTRUCTORS, STRING, Sort, TERM_OPS, U64,
                             UNIT, VAL, Term, Var, fv, subst_term)


class PureError(Exception):
    """An ill-sorted or malformed term, an unknown variable, a bad arity or a bad definition."""


def term_text(t) -> str:
    """A term as the user wrote it, for error messages."""
    try:
        from seplogic.printer import show
        return show(t)
    except Exception:       # a malformed term: its repr says more
        return repr(t)


PureDef = tuple  # (params: tuple[(name, Sort)], sort: Sort, body: Term), non-recursive

ANY = Sort("?")  # element sort of none, [], ∅, map_empty; never the sort of a variable
LIT_KINDS = {"int": (int, INT), "bool": (bool, BOOL), "string": (str, STRING),
             "unit": (type(None), UNIT)}



# Signatures of the built-in operators.  A pattern variable ('a, 'b) matches any sort, its uses
# must be compatible, and it stands for their join in the result; 'n matches any number.  The
# pattern of list and set applies to each element; fst/snd are special (see _Sorter.sort).
_A, _B, _N = Sort("'a"), Sort("'b"), Sort("'n")
_LA, _SA, _OA, _MAB = (Sort("list", (_A,)), Sort("set", (_A,)), Sort("option", (_A,)),
                       Sort("map", (_A, _B)))
SIGNATURES = {
    **dict.fromkeys(("add", "sub", "mul", "div", "mod"), ((_N, _N), INT)), "neg": ((_N,), INT),
    **dict.fromkeys(("add64", "sub64", "mul64"), ((_N, _N), U64)),
    "lt": ((_N, _N), BOOL), "le": ((_N, _N), BOOL), "range": ((_N, _N), Sort("set", (INT,))),
    "eq": ((_A, _A), BOOL), "ne": ((_A, _A), BOOL), "not": ((BOOL,), BOOL),
    **dict.fromkeys(("and", "or", "implies"), ((BOOL, BOOL), BOOL)), "ite": ((BOOL, _A, _A), _A),
    "pair": ((_A, _B), Sort("prod", (_A, _B))), "some": ((_A,), _OA), "none": ((), _OA),
    "continue": ((), VAL), "break": ((_A,), VAL), "ret": ((_A,), VAL),
    "list": ((_A,), _LA), "len": ((_LA,), INT), "nth": ((_LA, _N), _OA),
    "app": ((_LA, _LA), _LA), "update": ((_LA, _N, _A), _LA), "replicate": ((_N, _A), _LA),
    "set": ((_A,), _SA), "mem": ((_A, _SA), BOOL),
    **dict.fromkeys(("union", "inter", "diff"), ((_SA, _SA), _SA)), "subseteq": ((_SA, _SA), BOOL),
    "map_empty": ((), _MAB), "dom": ((_MAB,), _SA), "lookup": ((_MAB, _A), Sort("option", (_B,))),
    "insert": ((_MAB, _A, _B), _MAB), "delete": ((_MAB, _A), _MAB),  # (but see _Sorter.sort)
    "map_replicate": ((_N, _B), Sort("map", (U64, _B))),
    "sublist": ((_LA, _N, _N), _LA), "fs_name_ok": ((_A,), BOOL),
}
# Sorts of the (uninterpreted) terms that pure program steps on strings produce
# (kernel/program.py), so that the steps after them see strings, numbers and pairs.
PRIM_SIGNATURES = {
    "u64_to_string": ((_N,), STRING), "string_to_u64": ((STRING,), Sort("prod", (U64, BOOL))),
    "string_concat": ((STRING, STRING), STRING), "string_len": ((STRING,), U64),
}


def _num(s: Sort) -> bool:
    return s.name in ("u64", "nat", "int")


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
    if type(s) is Sort and getattr(s, "_ok", False):   # checked before (only here is it set)
        return s
    if (type(s) is not Sort or type(s.name) is not str or type(s.args) is not tuple
            or s.name == "?" or len(s.args) != SORT_CONSTRUCTORS.get(s.name, 0)
            or not all(_wf(x) for x in s.args)):
        raise PureError(f"ill-formed sort {s!r}")
    object.__setattr__(s, "_ok", True)
    return s


def _inst(p: Sort, bound: dict) -> Sort:
    """The pattern p with its variables replaced (ANY for one that matched nothing)."""
    if p.name in ("'a", "'b"):
        return bound.get(p.name, ANY)
    return Sort(p.name, tuple(_inst(q, bound) for q in p.args)) if p.args else p


class _Sorter:
    """Computes sorts.  Strict: raises PureError on ill-sorted terms.  Lenient: classifies terms
    derived from checked ones (numeric / bool / other); its results are still true of values."""

    def __init__(self, defs, strict: bool):
        self.defs, self.strict, self.checked, self.busy = defs, strict, set(), []
        self.env, self.memo = None, {}   # the sorts of terms already seen in env

    def sort(self, t, env) -> Sort:
        if env is not self.env:
            self.env, self.memo = env, {}
        s = self.memo.get(t)
        if s is None:
            s = self._sort(t, env)
            if env is self.env:
                self.memo[t] = s
        return s

    def need(self, ok, t, expected: str):
        if self.strict and not ok:
            raise PureError(f"{term_text(t)}: expected {expected}")

    def _sort(self, t, env) -> Sort:
        if type(t) is Var:
            if t.name not in env:
                raise PureError(f"unknown variable {t.name}")
            return _wf(env[t.name])
        if type(t) is Lit:
            py, s = LIT_KINDS.get(t.kind, (None, None))
            if type(t.value) is not py:
                raise PureError(f"bad literal {term_text(t)}")
            return s
        if type(t) is not App or type(t.op) is not str or type(t.args) is not tuple:
            raise PureError(f"not a term: {t!r}")
        ss = [self.sort(a, env) for a in t.args]
        if t.op not in TERM_OPS and t.op not in PRIM_SIGNATURES:
            return self.call(t, ss, env)
        n = TERM_OPS[t.op] if t.op in TERM_OPS else len(PRIM_SIGNATURES[t.op][0])
        if n is not None and len(ss) != n:
            raise PureError(f"{t.op} takes {n} arguments: {term_text(t)}")
        if t.op in ("fst", "snd"):  # of a pair, or of a val (which may be one)
            self.need(ss[0].name == "prod" or ss[0] == VAL, t, "a pair")
            return ss[0].args[t.op == "snd"] if ss[0].name == "prod" else VAL
        (pats, res), bound = (SIGNATURES.get(t.op) or PRIM_SIGNATURES[t.op]), {}
        for p, s in zip(pats * len(ss) if n is None else pats, ss):
            self.match(p, s, bound, t)
        return ss[0] if t.op == "delete" else _inst(res, bound)  # delete keeps the map's keys

    def match(self, p: Sort, s: Sort, bound: dict, t):
        """Check the argument sort s against the pattern p (joining into bound)."""
        if p.name in ("'a", "'b"):
            old = bound.get(p.name, ANY)
            self.need(_compat(old, s), t, "compatible sorts")
            bound[p.name] = _join(old, s)
        elif p.name == "'n":
            self.need(_num(s), t, "a number")
        elif not p.args:
            self.need(s == p, t, p.name)
        else:  # a sort constructor; when lenient, a mismatch leaves only val as known
            self.need(s.name == p.name, t, p.name)
            for q, x in zip(p.args, s.args if s.name == p.name else (VAL, VAL)):
                self.match(q, x, bound, t)

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
            raise PureError(f"{t.op} takes {len(params)} arguments: {term_text(t)}")
        for a, s, p in zip(t.args, ss, sorts):
            if not _compat(s, p, True):     # (the message only then: a sort's repr is slow)
                self.need(False, a, f"sort {p} for this argument of {t.op}")
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


def sort_of(t: Term, env: dict[str, Sort], defs: dict[str, PureDef],
            memo: dict | None = None) -> Sort:
    """The sort of t (ANY = Sort("?") stands for the unknown element sort of None, [], ∅).
    ``memo`` (valid while defs do not change) keeps it by the sorts of t's variables."""
    key = ("sort", t, _env_of(env, (t,), memo)) if memo is not None and type(t) is App else None
    s = memo.get(key) if key is not None else None
    if s is None:
        try:
            s = _Sorter(defs, True).sort(t, env)
        except RecursionError:
            raise PureError("term too deep") from None
        if key is not None:
            memo[key] = s
    return s


def fs_name_ok(name: str):
    """Whether the Goose file system accepts ``name`` (the Go string the interpreter makes of
    it, `theories/interp.py`): not empty, ``.`` or ``..``, no ``/`` or NUL byte, at most 255
    bytes (Linux's NAME_MAX), exactly what `proofs/prim/filesys` checkName allows.  None for a
    string that is no Go string (a lone surrogate)."""
    try:
        b = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return None
    return b not in (b"", b".", b"..") and b"/" not in b and b"\0" not in b and len(b) <= 255


def _env_of(env, terms, memo) -> tuple:
    """The part of env the terms' sorts and meaning depend on: their variables' sorts."""
    vs = set()
    for t in terms:
        vs |= fv(t)
    return tuple(sorted((v, env.get(v)) for v in vs))
