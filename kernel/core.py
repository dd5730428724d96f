"""The kernel's state and its checker.

A `Kernel` holds what has been accepted: pure definitions, predicates, programs, the axioms a
semantics declares, and the theorems whose derivations it has checked.  A derivation is plain
data -- ``(rule_name, args, premises)`` or ``(rule_name, args, premises, tag)`` where ``tag`` is
ignored except in error messages -- and `Kernel.prove` re-checks it from the statement down,
recording the theorem only if every step is an instance of a rule in `kernel.rules.RULES`.
Assumptions (axioms used, admitted theorems relied on) are tracked per theorem.
"""
from __future__ import annotations

from seplogic.record import record
from seplogic.syntax import (
    ATOM_CALLS, TERM_OPS, AVar, And, App, Assertion, Atom, BigSep, Emp, Exists, Forall, Inv,
    IsLock, Lit, Or, Expr, Persistently, PredApp, Pure, Sep, Sort, Term, Wand, WP, avars, fv,
    is_ident, subst,
)
from . import pure as purelib
from .program import PURE_PRIMS
from .sequent import Seq
from .wf import (
    KernelError, need, need_assertion, need_expr, need_name, need_sort, need_term,
)

U64_BOUND = 2 ** 64
# the term operators the kernel gives a meaning (or that pure program steps produce)
BUILTIN_OPS = frozenset(TERM_OPS) | {op for _, op, _ in PURE_PRIMS.values()}


@record
class PrimAxiom:
    """``∀ params. {pre} expr {∀ binders. RET ret; post}[version]`` for a primitive of a
    semantics.  Applied through the ``wp_axiom`` rule; ``needs_top`` restricts it to the full
    mask (primitives whose implementation opens invariants of its own, e.g. locks)."""
    name: str
    params: tuple        # ((name, Sort), ...); sort iProp = schematic timeless assertion
    version: str         # the param that is the WP version
    pre: Assertion
    expr: object         # Expr
    binders: tuple       # ((name, Sort), ...) bound in ret and post
    ret: object          # Term
    post: Assertion
    needs_top: bool
    source: str          # the Iris/Perennial/Goose rule it stands for


@record
class Thm:
    name: str
    statement: object    # an Assertion, or a crash.CrashStatement
    axioms: frozenset    # names of axioms the proof rests on
    admits: frozenset    # names of admitted theorems it rests on (itself if admitted)
    specs: frozenset = frozenset()   # specs whose steps it takes (one refinement, one spec)


# the axiom name marking a theorem recorded without its derivation checked (record_unchecked);
# a space is in no theorem name, so no axiom or theorem is called this
UNCHECKED = "trusted-from-cache "


class AxiomTable(dict):
    """name -> PrimAxiom.  One added with ``when_used`` is checked the first time it is taken
    with ``table[name]``, as the rules take the axiom a step names: a run checks the few it
    uses (docs/performance.md).  Iterating reads axioms unchecked: the tactics, the printers
    and define_pure (which collects the names they mention) apply none."""
    __slots__ = ("check", "unchecked")

    def __init__(self, check):
        super().__init__()
        self.check, self.unchecked = check, set()

    def __getitem__(self, name):
        ax = dict.__getitem__(self, name)
        if name in self.unchecked:
            self.check(ax)              # raises KernelError (and it stays unchecked)
            self.unchecked.discard(name)
        return ax


class Kernel:
    def __init__(self):
        self.defs: dict = {}      # pure: name -> (params, sort, body)
        self.preds: dict = {}     # name -> (params, body)
        self.funcs: dict = {}     # name -> (params, body)
        self.axioms = AxiomTable(self._check_axiom)
        self.theorems: dict = {}  # name -> Thm
        self.specs: dict = {}     # name -> crash.Spec
        self.spec_ops: dict = {}  # operation name -> spec name
        self.sem_inits: dict = {} # predicate name -> semantics it gives the initial state of
        self.refinements: dict = {}
        self._props: dict = {}      # purelib.entails's memo (propositions, groupings, groups'
        self._props_defs = 0        # answers), valid with this many definitions

    # ---- names and definitions ---------------------------------------------------------------

    def _fresh_global(self, name: str, term_symbol: bool = False) -> None:
        """``name`` is new; a name terms apply (a definition, a spec operation) must not be a
        built-in operator either, whose meaning the kernel fixes."""
        need_name(name)
        need(not (term_symbol and name in BUILTIN_OPS), f"{name} is a built-in operator")
        for table in (self.defs, self.preds, self.funcs, self.axioms, self.theorems,
                      self.specs, self.spec_ops, self.refinements):
            need(name not in table, f"{name} is already defined")

    def define_pure(self, name, params, sort, body) -> None:
        """A non-recursive pure definition (conservative: it only abbreviates ``body``).  Names
        the semantics leave uninterpreted are taken: a definition would change their meaning."""
        self._fresh_global(name, term_symbol=True)
        used = set()   # functions a semantics leaves uninterpreted
        for x in [(a.pre, a.post, a.ret, a.expr) for a in self.axioms.values()] + [
                self.preds[p][1] for p in self.sem_inits]:
            _ops(x, used)
        need(name not in used, f"{name} is used by the semantics' axioms; defining it would "
             "change what they say")
        # definitions stay well-founded: none may refer to a later one (no cycle f → g → f)
        need(name not in _ops(tuple(body for _, _, body in self.defs.values()), set()),
             f"{name} is used, undefined, by an earlier definition; define it first")
        env = self._params_env(params, allow_iprop=False)
        need_sort(sort)
        need_term(body)
        need(fv(body) <= set(env), f"{name}: free variables {sorted(fv(body) - set(env))}")
        self.fits(Seq(vars=tuple(params)), body, sort)
        self.defs[name] = (tuple(params), sort, body)

    def define_predicate(self, name, params, body) -> None:
        """A non-recursive iProp definition; unfolding it is an equivalence."""
        self._fresh_global(name)
        need(name not in ATOM_CALLS, f"{name}(…) is a primitive assertion")
        env = self._params_env(params, allow_iprop=True)
        need_assertion(body)
        terms = {n for n, s in params if s.name != "iProp"}
        props = {n for n, s in params if s.name == "iProp"}
        need(fv(body) <= terms, f"{name}: free variables {sorted(fv(body) - terms)}")
        need(avars(body) <= props, f"{name}: unknown assertion variables")
        self.check_assertion(body, {k: v for k, v in env.items() if k in terms})
        self.preds[name] = (tuple(params), body)

    def define_function(self, name, params, body) -> None:
        """A program; recursion through calls is allowed (it is the code under study)."""
        self._fresh_global(name)
        need(type(params) is tuple and all(map(is_ident, params))
             and len(set(params)) == len(params), "parameters must be distinct identifiers")
        need_expr(body)
        need(not fv(body), f"{name}: a program may not mention logical variables")
        self.funcs[name] = (params, body)

    def add_axiom(self, ax: PrimAxiom, when_used: bool = False) -> None:
        """Only semantics in `theories/` declare axioms; they are reported by assumptions().
        ``when_used``: checked when a rule first takes it (`AxiomTable`)."""
        need(type(ax) is PrimAxiom, "not an axiom")
        self._fresh_global(ax.name)
        if when_used:
            self.axioms.unchecked.add(ax.name)
        else:
            self._check_axiom(ax)
        self.axioms[ax.name] = ax

    def _check_axiom(self, ax: PrimAxiom) -> None:
        env = self._params_env(ax.params, allow_iprop=True)
        need(ax.expr is None or ax.version in env, "axiom version must be a parameter")
        for a in (ax.pre, ax.post):
            need_assertion(a)
        if ax.expr is not None:       # None: an entailment axiom ∀ params. pre ⊢ post
            need_expr(ax.expr)
        need_term(ax.ret)
        names = {n for n, s in ax.params if s.name != "iProp"}
        inner = names | {n for n, _ in ax.binders}
        need(len(inner) == len(names) + len(ax.binders), f"{ax.name}: binders must be distinct "
             "and differ from the parameters")      # (each is renamed apart on its own)
        expr_fv = fv(ax.expr) if ax.expr is not None else frozenset()
        need(fv(ax.pre) | expr_fv <= names and fv(ax.post) | fv(ax.ret) <= inner,
             f"{ax.name}: free variables")
        need(avars(ax.pre) | avars(ax.post) <= {n for n, s in ax.params if s.name == "iProp"},
             f"{ax.name}: assertion variables must be parameters")

    def _params_env(self, params, allow_iprop) -> dict:
        need(type(params) is tuple, "parameters must be a tuple")
        env = {}
        for p in params:
            if not (type(p) is tuple and len(p) == 2):
                raise KernelError(f"bad parameter {p!r}")
            n, s = p
            need_name(n)
            need_sort(s)
            need(allow_iprop or s.name != "iProp", "iProp parameter not allowed here")
            need(n not in env, f"duplicate parameter {n}")
            env[n] = s
        return env

    # ---- pure reasoning (delegated to kernel/pure.py) -----------------------------------------

    def _pure_memo(self) -> dict:
        # purelib's memo (sorts, groupings, groups' answers) and the assertions' sort checks
        # are valid while the definitions and predicates are: they are never changed or
        # removed (the REPL's Undo starts a new memo when it puts back others), so the number
        # of definitions dates it
        if len(self._props) > 65536 or self._props_defs != len(self.defs):
            self._props, self._props_defs = {}, len(self.defs)
        return self._props

    def sort_of(self, t, env) -> Sort:
        try:
            return purelib.sort_of(t, env, self.defs, self._pure_memo())
        except purelib.PureError as e:
            raise KernelError(f"ill-sorted term: {e}") from None

    def entails(self, seq: Seq, goal, extra_env=None) -> bool:
        memo = self._pure_memo()
        try:
            if extra_env:
                env = {**seq.env(), **extra_env}
                return purelib.entails(env, seq.pure, goal, self.defs, memo)
            # one context is asked many questions (by tactics, again by the re-check): its
            # env and facts are found by the identity of the sequent's tuples (kept alive by
            # the entry, so no other tuple can take their ids), and stand for them in keys;
            # new tuples of the same content (the re-check's) find them by content
            key = ("context", id(seq.vars), id(seq.pure))
            ctx = memo.get(key)
            if ctx is None or ctx[0] is not seq.vars or ctx[1] is not seq.pure:
                same = ("context of", seq.vars, seq.pure)   # (env and token: of these alone)
                got = memo.get(same)
                if got is None:
                    env = dict(seq.env())      # (a dict: a kernel's memo may be pickled)
                    got = memo[same] = (env, (purelib.context_key(memo, env), object()))
                ctx = memo[key] = (seq.vars, seq.pure, *got)
            return purelib.entails(ctx[2], seq.pure, goal, self.defs, memo, ctx[3])
        except purelib.PureError as e:
            raise KernelError(f"ill-sorted pure fact: {e}") from None

    def need_pure(self, seq: Seq, goal, why: str, extra_env=None) -> None:
        need(self.entails(seq, goal, extra_env), f"cannot prove the pure fact {why}")

    @staticmethod
    def _sort_fits(got: Sort, want: Sort) -> bool:
        """``got`` denotes a subset of ``want``.  The pure checker gives the element sort of
        ``none``/``[]``/``∅``/``map_empty`` as ``?``, which fits anything."""
        num = ("u64", "nat", "int")
        if want.name == "val" or got.name == "?" or got == want:
            return True
        if want.name == "int" and got.name in num or want.name == "nat" and got.name in (
                "u64", "nat"):
            return True
        # data sorts are covariant: a list of u64 is a list of values
        return (got.name == want.name and len(got.args) == len(want.args) and all(
            Kernel._sort_fits(a, b) for a, b in zip(got.args, want.args)))

    def fits(self, seq: Seq, t, want: Sort) -> None:
        """Check that ``t`` may instantiate a variable of sort ``want``; numeric sorts with a
        range (u64, nat) accept any numeric term whose range the pure checker proves."""
        # (t's names asked one by one: a set difference with the sequent's names reads them all)
        unknown = sorted(x for x in fv(need_term(t)) if x not in seq.names())
        need(not unknown, f"term mentions unknown variables {unknown}")
        got = self.sort_of(t, seq.env())
        if self._sort_fits(got, want):
            return
        num = ("u64", "nat", "int")
        need(want.name in num and got.name in num, f"a term of sort {_sort_text(got)} cannot "
             f"stand for a variable of sort {_sort_text(want)}")
        lo = App("le", (Lit("int", 0), t))
        self.need_pure(seq, lo, f"0 ≤ {purelib.term_text(t)} (to use it at a bounded sort)")
        if want.name == "u64":
            hi = App("lt", (t, Lit("int", U64_BOUND)))
            self.need_pure(seq, hi, f"{purelib.term_text(t)} < 2^64 (to use it as a u64)")

    # ---- assertions ----------------------------------------------------------------------------

    def check_assertion(self, a, env) -> None:
        """Well-formed, well-sorted and closed in ``env`` (binders extend it).  A success is
        remembered with the sorts of a's variables, all it depends on besides definitions and
        predicates, which are only ever added (the memo is dated by the definitions)."""
        need_assertion(a)
        need(fv(a) <= env.keys(), f"unknown variables {sorted(x for x in fv(a) if x not in env)}")
        memo = self._pure_memo()
        key = ("assertion", a, tuple((v, env[v]) for v in sorted(fv(a))))
        if key not in memo:
            self._check_sorts(a, dict(env))
            memo[key] = True

    def _check_sorts(self, a, env) -> None:
        tp = type(a)
        if tp is Pure:
            need(self.sort_of(a.term, env).name == "bool", "⌜φ⌝ needs a boolean φ")
        elif tp in (Sep, Wand, And, Or):
            self._check_sorts(a.left, env)
            self._check_sorts(a.right, env)
        elif tp in (Exists, Forall):
            need(a.sort.name != "iProp", "quantifying over assertions is not supported")
            self._check_sorts(a.body, {**env, a.var: a.sort})
        elif tp in (Persistently, Inv):
            self._check_sorts(a.body, env)
        elif tp is BigSep:
            self._check_sorts(a.body, {**env, **dict(zip(a.vars, self.elem_sorts(a, env)))})
        elif tp is Atom:
            for t in a.args:
                self.sort_of(t, env)
        elif tp is IsLock:
            self.sort_of(a.lock, env)
            self._check_sorts(a.body, env)
        elif tp is PredApp:
            params, _ = self._pred_args(a)
            for (n, want), x in zip(params, a.args):
                if isinstance(x, Assertion):
                    self._check_sorts(x, env)
                else:
                    got = self.sort_of(x, env)      # (numbers: the body says what it needs)
                    need(self._sort_fits(got, want) or got.name in _NUM and want.name in _NUM,
                         f"{a.name}: argument {n} is of sort {_sort_text(want)}, not "
                         f"{_sort_text(got)}")
        elif tp is WP:
            self.sort_of(a.version, env)
            self._check_sorts(a.post, {**env, a.var: Sort("val")})

    def elem_sorts(self, bs: BigSep, env) -> list:
        """Sorts of a big-∗'s bound variables, read off the collection's sort (val when the
        collection's sort does not say)."""
        s = self.sort_of(bs.coll, env)
        known = lambda x: x if x.name != "?" else Sort("val")
        if bs.kind == "set":
            need(s.name in ("set", "val"), "[∗ set] needs a set")
            return [known(s.args[0]) if s.name == "set" else Sort("val")]
        need(s.name in ("map", "val"), "[∗ map] needs a map")
        return list(map(known, s.args)) if s.name == "map" else [Sort("val"), Sort("val")]

    def _pred_args(self, p: PredApp):
        need(p.name in self.preds, f"unknown predicate {p.name}")
        params, body = self.preds[p.name]
        need(len(params) == len(p.args), f"{p.name} takes {len(params)} arguments")
        for (n, s), x in zip(params, p.args):
            need(isinstance(x, Assertion) == (s.name == "iProp"),
                 f"{p.name}: argument {n} must be {'an assertion' if s.name == 'iProp' else 'a term'}")
        return params, body

    def unfold_pred(self, p: PredApp) -> Assertion:
        params, body = self._pred_args(p)
        terms = {n: x for (n, s), x in zip(params, p.args) if s.name != "iProp"}
        props = {n: x for (n, s), x in zip(params, p.args) if s.name == "iProp"}
        return subst(body, terms, props)

    def timeless(self, a) -> bool:
        """Iris ``Timeless``: pure facts, ghost and physical ownership, closed under the
        connectives (a wand needs only a timeless conclusion); never ``inv``, ``is_lock`` or WP.
        Assertion variables are instantiated only with timeless assertions."""
        tp = type(a)
        if tp in (Pure, Emp, Atom, AVar):
            return True
        if tp in (Sep, And, Or):
            return self.timeless(a.left) and self.timeless(a.right)
        if tp is Wand:
            return self.timeless(a.right)
        if tp in (Exists, Forall, Persistently, BigSep):
            return self.timeless(a.body)
        if tp is PredApp:
            return self.timeless(self.unfold_pred(a))
        return False

    def persistent(self, a) -> bool:
        """Iris ``Persistent``: pure facts, □, invariants, lock predicates and emp, closed under
        ∗ ∧ ∨ ∃ ∀ and big-∗."""
        tp = type(a)
        if tp in (Pure, Emp, Persistently, Inv, IsLock):
            return True
        if tp is Atom:    # facts and read-only shares, not exclusive resources
            return a.kind in ("failed", "disks", "disk_blocks", "ro", "slice_ro", "spec_era")
        if tp in (Sep, And, Or):
            return self.persistent(a.left) and self.persistent(a.right)
        if tp in (Exists, Forall, BigSep):
            return self.persistent(a.body)
        if tp is PredApp:
            return self.persistent(self.unfold_pred(a))
        return False

    # ---- theorems ------------------------------------------------------------------------------

    def _check_statement(self, name, statement) -> None:
        self._fresh_global(name)
        self.check_assertion(statement, {})

    def prove(self, name: str, statement, derivation) -> Thm:
        """Check ``derivation`` against ``⊢ statement`` from scratch; record the theorem."""
        self._check_statement(name, statement)
        return self._record(name, statement, Seq(goal=statement), derivation)

    def _record(self, name, statement, seq, derivation) -> Thm:
        used, used_thms = set(), set()
        self.check(seq, derivation, used, used_thms)
        deps = [self.theorems[t] for t in used_thms]
        specs = {u[5:] for u in used if u.startswith("spec ")}
        thm = Thm(name, statement,
                  frozenset(u for u in used if not u.startswith("spec ")).union(
                      *(t.axioms for t in deps)),
                  frozenset().union(*(t.admits for t in deps)),
                  frozenset(specs).union(*(t.specs for t in deps)))
        self.theorems[name] = thm
        return thm

    # ---- specs, crashes and Theorem 2 (kernel/crash.py) ----------------------------------

    def define_spec(self, name, state, sort) -> None:
        from .crash import Spec
        self._fresh_global(name)
        need_name(state)
        need_sort(sort)
        self.specs[name] = Spec(name, state, sort, {}, None, results={})

    def define_spec_op(self, spec, op, params, body, result=None) -> None:
        """``result``: the sort of the op's result where it is not val (a byte list is a slice
        in Go, crash.obligations)."""
        from .crash import check_spec_body
        need(spec in self.specs, f"unknown spec {spec}")
        self._fresh_global(op, term_symbol=True)
        sp = self.specs[spec]
        need(not sp.sealed, f"{spec} is sealed: a refinement rests on it as it is")
        need(sp.state not in self._params_env(params, allow_iprop=False),
             f"a parameter of {op} is named like the state {sp.state}")
        check_spec_body(body, params, sp.state)
        if result is not None:
            need_sort(result)
            sp.results[op] = result
        sp.ops[op] = (tuple(params), body)
        self.spec_ops[op] = spec

    def define_spec_crash(self, spec, body) -> None:
        from seplogic.record import replace
        from .crash import check_spec_body
        need(spec in self.specs, f"unknown spec {spec}")
        sp = self.specs[spec]
        need(not sp.sealed, f"{spec} is sealed: a refinement rests on it as it is")
        need(sp.crash is None, f"{spec} already has a crash step")
        check_spec_body(body, (), sp.state)
        self.specs[spec] = replace(sp, crash=body)

    def define_spec_init(self, spec, params, term) -> None:
        """The spec's initial state as a function of the semantics' parameters: a term, so it
        can be neither false nor about resources; Theorem 2 puts it into the initialisation
        premise and the refinement's statement."""
        from seplogic.record import replace
        need(spec in self.specs, f"unknown spec {spec}")
        sp = self.specs[spec]
        need(not sp.sealed, f"{spec} is sealed: a refinement rests on it as it is")
        need(sp.init is None, f"{spec} already has an initial state")
        env = self._params_env(params, allow_iprop=False)
        need(len(env) == len(params), "two parameters have the same name")
        need_term(term)
        need(fv(term) <= set(env), f"the initial state may only mention {sorted(env)}")
        self.fits(Seq(vars=tuple(env.items())), term, sp.sort)    # of the state's sort
        self.specs[spec] = replace(sp, init=(tuple(params), term))

    def prove_crash(self, name, params, version, lhs, rhs, derivation) -> Thm:
        """``∀ params. lhs ⇒[version] rhs``: the derivation proves ``rhs`` from the crash image
        of ``lhs`` (kernel/crash.py), with nothing else in context."""
        from .crash import CrashStatement, crash_image
        stmt = CrashStatement(params, version, lhs, rhs)
        self._check_crash_statement(name, stmt)
        seq = Seq(vars=tuple(params), spat=(crash_image(self, lhs, version),), goal=rhs)
        return self._record(name, stmt, seq, derivation)

    def _check_crash_statement(self, name, stmt) -> None:
        from .crash import CrashStatement
        self._fresh_global(name)
        need(type(stmt) is CrashStatement, "not a crash statement")
        env = self._params_env(stmt.params, allow_iprop=False)
        need_term(stmt.version)
        need(self.sort_of(stmt.version, env).name in ("nat", "int", "u64"),
             "a version is a number")
        self.check_assertion(stmt.lhs, env)
        self.check_assertion(stmt.rhs, env)

    def admit_crash(self, name: str, statement) -> Thm:
        self._check_crash_statement(name, statement)
        thm = Thm(name, statement, frozenset(), frozenset((name,)))
        self.theorems[name] = thm
        return thm

    def admit(self, name: str, statement) -> Thm:
        self._check_statement(name, statement)
        thm = Thm(name, statement, frozenset(), frozenset((name,)))
        self.theorems[name] = thm
        return thm

    def record_unchecked(self, name: str, statement, axioms, specs, uses) -> Thm:
        """Record ``name`` without checking a derivation (``pv check --trust-cache``: the
        driver vouches for one checked in an earlier run).  Like an admit, it is marked: the
        axiom `UNCHECKED` + name, which every theorem and refinement resting on it inherits, so
        nothing built on it passes for checked.  ``uses``: the theorems it rests on."""
        from .crash import CrashStatement
        uses = tuple(uses)
        for u in uses:
            need(u in self.theorems, f"unknown theorem {u}")
        deps = [self.theorems[u] for u in uses]
        if type(statement) is CrashStatement:
            self._check_crash_statement(name, statement)
        else:
            self._check_statement(name, statement)
        thm = Thm(name, statement, frozenset(a for a in axioms if not a.startswith(UNCHECKED))
                  .union({UNCHECKED + name}, *(t.axioms for t in deps)),
                  frozenset().union(*(t.admits for t in deps)),
                  frozenset(specs).union(*(t.specs for t in deps)))
        self.theorems[name] = thm
        return thm

    def check(self, seq: Seq, derivation, used_axioms: set, used_thms: set) -> None:
        """Check that ``derivation`` proves ``seq``; iterative so long proofs do not hit
        Python's recursion limit."""
        from .rules import RULES
        todo = [(seq, derivation)]
        while todo:
            s, d = todo.pop()
            if not (type(d) is tuple and len(d) in (3, 4)):
                raise KernelError(f"malformed derivation node {d!r:.80}")
            rule, args, subs = d[0], d[1], d[2]
            tag = d[3] if len(d) == 4 else None
            if not (type(rule) is str and rule in RULES):
                raise KernelError(f"unknown rule {rule!r}")
            need(type(args) is tuple and type(subs) is tuple, f"{rule}: malformed node")
            try:
                try:
                    premises = RULES[rule].apply(self, s, args, used_axioms, used_thms)
                except (ValueError, TypeError, IndexError, AttributeError, KeyError) as e:
                    # arguments of the wrong shape: a malformed derivation is rejected
                    raise KernelError(f"{rule}: malformed arguments ({type(e).__name__})") \
                        from None
                need(len(premises) == len(subs), f"{rule} has {len(premises)} premises, "
                     f"the derivation gives {len(subs)}")
            except KernelError as e:
                if tag is None:
                    raise
                raise TaggedKernelError(str(e), tag, s) from None
            todo.extend(reversed(list(zip(premises, subs))))

    def assumptions(self, name: str):
        t = self.theorems.get(name) or self.refinements.get(name)
        need(t is not None, f"unknown theorem {name}")
        return sorted(t.axioms), sorted(t.admits)


def _ops(x, out: set) -> set:
    """The names applied as functions anywhere in the syntax x."""
    if type(x) is App:
        out.add(x.op)
    if type(x) is tuple:
        for y in x:
            _ops(y, out)
    elif isinstance(x, (Term, Assertion, Expr)):
        for f in type(x).__slots__:
            _ops(getattr(x, f), out)
    return out


_NUM = ("u64", "nat", "int")


def _sort_text(s: Sort) -> str:
    return s.name if not s.args else f"{s.name} " + " ".join(
        _sort_text(a) if not a.args else f"({_sort_text(a)})" for a in s.args)


class TaggedKernelError(KernelError):
    """A rejection located at the derivation node carrying ``tag`` (e.g. a source position)."""

    def __init__(self, msg, tag, seq):
        super().__init__(msg)
        self.tag, self.seq = tag, seq
