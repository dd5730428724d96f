"""Specifications, crashes and the refinement meta-rule (Perennial §4-§5).

* A spec is a transition system: a state sort, operations and a crash step written as small
  programs over the state variable (``modify``, ``undefined``, ``any``, ``assume``, ``let``,
  ``if``, pure primitives), and an initial state: a term over the semantics' parameters.
  `run_spec` evaluates a spec program against a concrete state term in an environment (no
  substitution into the program, so no name of the program or of the proof's context can
  capture another), so the kernel checks every ``step(op, σ, σ', v)`` a proof claims.
* Spec resources carry an *era*: ``source[e](σ)``, ``j ⤇[e] op``, ``⤇[m] Crashing``.  The
  era of operations running at version n is n; recovery at version m takes the spec's crash
  step, which moves the source to era m.  A token steps only with a source of its own era, so
  after the crash step no token of the crashed execution can step (recovery helping linearises
  a crashed operation before the crash, never after).  ``⤇ Crashing`` and ``⤇ Done`` belong
  to one recovery and do not survive a crash.
* `crash_image(P, n)` is what survives a crash at version n, at version n+1: durable atoms and
  ghost/spec state carry over, each master at n becomes a master and a fresh lease at n+1
  (Table 1, "recovery leases"), everything volatile (heap, fds, leases, lock state,
  invariants, WPs, a recovery's Crashing/Done) is dropped.  Dropping is sound in an affine
  logic.
* `Refinement` is Theorem 2: the only way to obtain ``impl ⊑ spec``.  It records the spec as it
  was (operations, crash step, initial state) and the semantics, so that what it means can be
  printed; a spec used by a refinement is sealed.
"""
from __future__ import annotations

from seplogic.record import record

from seplogic.syntax import (
    And, App, Atom, BigSep, Call, Emp, EVar, Exists, Forall, If, Inv, Let, Lit, Or,
    Persistently, PredApp, Prim, Pure, Sep, Sort, Val, Var, Wand, WP, alpha_eq, fresh_name, fv,
    subst,
)
from .program import PURE_PRIMS
from .wf import KernelError, need, need_expr, need_term

SPEC_PRIMS = ("modify", "undefined", "any", "assume", "gets", "ret")


@record
class Spec:
    name: str
    state: str            # the state variable's name in operation bodies
    sort: Sort
    ops: dict             # op name -> (params ((name, Sort), ...), body Expr)
    crash: object         # Expr, or None until declared
    init: object = None   # (params ((name, Sort), ...), state Term), or None until declared
    sealed: bool = False  # a refinement rests on it: nothing may be added
    results: dict = None  # op name -> the sort of its result (val unless declared)


# ---- running spec programs --------------------------------------------------------------------

_STATE = object()   # the environment's entry for the state variable: the current state


def run_spec(k, seq, spec: Spec, body, sigma, choices, params=(), args=()):
    """Evaluate a spec program (an operation's body applied to ``args``) from state ``sigma``:
    ``("ok", σ', v)`` or ``("ub",)``.  ``choices`` are the proof's witnesses for ``any()``;
    conditions are decided by the pure checker (the proof must have the facts that decide
    them).  Names are looked up in an environment, innermost binding first (the state
    variable, then the parameters, then lets); computed values are never substituted into
    the program, so nothing can be captured."""
    need(type(choices) is tuple, "choices must be a tuple")
    choices = [need_term(c) for c in choices]
    state = [sigma]

    def look(env, x):
        need(x in env, f"{x} is not bound in the spec program")
        return state[0] if env[x] is _STATE else env[x]

    def ev(e, env):
        tp = type(e)
        if tp is Val:
            return subst(e.term, {x: look(env, x) for x in fv(e.term)})
        if tp is EVar:
            return look(env, e.name)
        if tp is Let:
            r = ev(e.bound, env)
            if r is UB or e.name == "_":
                return r if r is UB else ev(e.body, env)
            return ev(e.body, {**env, e.name: r})
        if tp is If:
            c = ev(e.cond, env)
            if c is UB:
                return UB
            for lit, branch in ((True, e.then), (False, e.els)):
                if k.entails(seq, App("eq", (c, Lit("bool", lit)))):
                    return ev(branch, env)
            raise KernelError("the spec step depends on a condition the pure facts do not "
                              "decide")
        if tp is Prim:
            if e.op == "undefined":
                return UB
            vals = []
            for a in e.args:
                r = ev(a, env)
                if r is UB:
                    return UB
                vals.append(r)
            if e.op in ("gets", "ret"):
                return vals[0]
            if e.op == "modify":
                state[0] = vals[0]
                return Lit("unit", None)
            if e.op == "any":
                need(choices, "the spec step needs a witness for any()")
                t = choices.pop(0)
                need(fv(t) <= seq.names(), "the witness mentions unknown variables")
                k.sort_of(t, seq.env())     # well-sorted, as every term in a sequent
                return t
            if e.op == "assume":
                k.need_pure(seq, App("eq", (vals[0], Lit("bool", True))), "of a spec assume")
                return Lit("unit", None)
            need(e.op in PURE_PRIMS, f"{e.op} is not allowed in a spec")
            _, op, swap = PURE_PRIMS[e.op]
            return App(op, tuple(reversed(vals)) if swap else tuple(vals))
        raise KernelError(f"not allowed in a spec: {type(e).__name__}")

    need(len(params) == len(args), "wrong number of arguments")
    env = {spec.state: _STATE}
    env.update((x, t) for (x, _), t in zip(params, args))
    r = ev(body, env)
    need(not choices, "more witnesses than any() calls")
    return ("ub",) if r is UB else ("ok", state[0], r)


UB = object()


def _scoped(e, names: frozenset):
    """Every name e mentions is bound where it is used (lets scope over their bodies only);
    the spec's primitives only."""
    tp = type(e)
    if tp is Val:
        need(fv(e.term) <= names, f"a spec program may only mention {sorted(names)} here")
    elif tp is EVar:
        need(e.name in names, f"{e.name} is not bound here")
    elif tp is Let:
        _scoped(e.bound, names)
        _scoped(e.body, names if e.name == "_" else names | {e.name})
    elif tp is If:
        for b in (e.cond, e.then, e.els):
            _scoped(b, names)
    elif tp is Prim:
        need(e.op in SPEC_PRIMS or e.op in PURE_PRIMS, f"{e.op} is not allowed in a spec")
        for a in e.args:
            _scoped(a, names)
    else:
        raise KernelError(f"not allowed in a spec: {type(e).__name__} (a spec program cannot "
                          "call functions, fork or loop)")


def check_spec_body(body, params, state) -> None:
    """Spec programs mention only the state variable, their parameters and let-bound names in
    scope."""
    need_expr(body)
    names = [x for x, _ in params]
    need(len(set(names)) == len(names), "two parameters have the same name")
    _scoped(body, frozenset(names) | {state})


# ---- crashes ----------------------------------------------------------------------------------

# Atoms that survive a crash unchanged: disk facts, ghost state and the spec's state and
# threads (not reset by a crash; the spec's own crash step is explicit, and eras keep crashed
# threads from stepping after it).  ``⤇ Crashing`` and ``⤇ Done`` are not here: they belong to
# one recovery, so none can be stashed for a later one.
DURABLE = frozenset({"tok", "source", "spec", "spec_era", "failed", "disks", "disk_blocks"})
# Recovery leases (§5.3): master kind -> lease kind.  Both are laid out (key..., version, value);
# the pair is exclusive per key and version, and a crash turns a master at version n into a
# master and a fresh lease at n+1.  The file system's directories, directory entries and inodes
# are durable resources like disk blocks ("recovery can create leases for directories,
# directory entries, and inodes", §6.2); its file descriptors are volatile.
LEASED = {"master": "lease", "gmaster": "glease", "fs_dir": "fs_dir_lease",
          "fs_link": "fs_link_lease", "fs_inode": "fs_inode_lease", "dmaster": "dlease"}


def crash_image(k, a, n):
    """What of ``a`` (held at version ``n``) is available after a crash, at version n+1."""
    n1 = App("add", (n, Lit("int", 1)))
    tp = type(a)
    if tp in (Pure, Emp):
        return a
    if tp in (Sep, And, Or):
        return tp(crash_image(k, a.left, n), crash_image(k, a.right, n))
    if tp in (Exists, Forall, BigSep):
        bound = (a.var,) if tp is not BigSep else a.vars
        body, names = a.body, []
        for x in bound:
            if x in fv(n):
                y = fresh_name(x, fv(n) | fv(body))
                body = subst(body, {x: Var(y)})
                x = y
            names.append(x)
        img = crash_image(k, body, n)
        if tp is BigSep:
            return BigSep(a.kind, tuple(names), a.coll, img)
        return tp(names[0], a.sort, img)
    if tp is Persistently:
        return a if type(a.body) is Pure else Emp()
    if tp is PredApp:
        return crash_image(k, k.unfold_pred(a), n)
    if tp is Atom:
        if a.kind in DURABLE:
            return a
        if a.kind in LEASED:
            *key, t, v = a.args
            if t != n:
                return Emp()     # a master of another version: stale, dropped
            key = tuple(key) + (n1, v)
            return Sep(Atom(a.kind, key), Atom(LEASED[a.kind], key))
        return Emp()      # pointsto, leases, lease_lb, fs_fd, locked, slices, Crashing, Done
    return Emp()          # inv, is_lock, WP, wands, assertion variables


@record
class CrashStatement:
    """``∀ params. P ⇒[n] Q``: after a crash at version n, what survives of P gives Q."""
    params: tuple
    version: object
    lhs: object
    rhs: object


@record
class Refinement:
    """``impl ⊑ spec``, recorded only by Theorem 2, with what it is about: the spec as it was
    (its operations, crash step and initial state), the semantics whose initial state the code
    starts from, and which function implements what."""
    name: str
    spec: str
    impl: tuple           # ((op, function), ...) plus ("init", f) and ("recover", f)
    axioms: frozenset
    admits: frozenset
    spec_def: Spec = None     # the spec, sealed
    sem_init: str = ""        # the semantics' initial-state predicate
    sem_params: tuple = ()    # its parameters ((name, Sort), ...)


# ---- Theorem 2 --------------------------------------------------------------------------------

NAT, VALS, GNAME = Sort("nat"), Sort("val"), Sort("gname")


class _Binders:
    """Names for the binders of one kernel-built statement: each new, so that no binder can
    merge with or capture another (the statement has no other variables)."""

    def __init__(self):
        self.taken: set = set()

    def __call__(self, base: str) -> str:
        x = fresh_name(base, self.taken)
        self.taken.add(x)
        return x


def _plus(n, i):
    return App("add", (n, Lit("int", i))) if i else n


def _triple(version, pre, func, args, rvar, post):
    return Persistently(Wand(pre, WP(version, (), Call(func, tuple(Val(a) for a in args)),
                                     rvar, post)))


def _forall(params, body):
    for x, s in reversed(params):
        body = Forall(x, s, body)
    return body


def _seps(*parts):
    out = parts[-1]
    for p in reversed(parts[:-1]):
        out = Sep(p, out)
    return out


def _is_bytes(s: Sort) -> bool:
    """A byte list in the spec, a slice in Go."""
    return s.name == "list"


def _has_bytes(s: Sort) -> bool:
    return _is_bytes(s) or any(map(_has_bytes, s.args))


def _value(b, n, s: Sort, g, x):
    """How the Go value g stands for the spec value x of sort s, fixed by the kernel: a byte
    list is a slice the caller owns with exactly those bytes, a pair is a pair of Go values
    standing for its components, anything else is the value itself."""
    if _is_bytes(s):
        return Atom("slice", (g, n, x))
    if s.name == "prod" and _has_bytes(s):
        g1, g2 = b("g"), b("g")
        return Exists(g1, VALS, Exists(g2, VALS, _seps(
            Pure(App("eq", (g, App("pair", (Var(g1), Var(g2)))))),
            _value(b, n, s.args[0], Var(g1), App("fst", (x,))),
            _value(b, n, s.args[1], Var(g2), App("snd", (x,))))))
    need(not _has_bytes(s), f"byte lists inside {s} are not supported at an interface")
    return Pure(App("eq", (g, x)))


def initial_state(sp: Spec, args):
    """The spec's declared initial state for the semantics' parameter values ``args``."""
    params, term = sp.init
    return subst(term, {x: a for (x, _), a in zip(params, args)})


def obligations(k, spec, impl, crash_inv, crash_start, init_start, absr, inv_name, sem_init):
    """The statements Theorem 2 requires, as (premise name, kind, statement) triples.  The
    kernel builds them; the user's theorems must state exactly these (up to binder names).
    γ is Perennial's crash parameter: the ghost names CrashInv, CrashStart, InitStart and AbsR
    share, which the setup premise chooses and every other premise is for all of."""
    sp = k.specs[spec]
    ci = lambda g, v: PredApp(crash_inv, (g, v))        # noqa: E731
    cs = lambda g, v: PredApp(crash_start, (g, v))      # noqa: E731
    ab = lambda g, v, x: PredApp(absr, (g, v, x))       # noqa: E731
    inv = lambda g, v: Inv(inv_name, ci(g, v))          # noqa: E731
    out = []
    for op, (params, _) in sp.ops.items():
        # {j ⤇[n] op(xs) ∗ inv(CrashInv γ n) ∗ AbsR(γ, n, h) ∗ lent} impl(h, gs)
        # {v. ∃ r. j ⤇[n] ret r ∗ Value(v, r) ∗ lent}[n]   (docs/kernel.md, "Values")
        b = _Binders()
        g, n, h, j = Var(b("γ")), Var(b("n")), Var(b("h")), Var(b("j"))
        ps = [(b(x), s) for x, s in params]
        xs = [Var(x) for x, _ in ps]
        gs, slices, lent = [], [], []
        for (x, s), xv in zip(ps, xs):
            if _has_bytes(s):
                need(_is_bytes(s), f"{op}: a parameter that holds byte lists must be one")
                sl = Var(b(x + "_s"))
                slices.append((sl.name, VALS))
                lent.append(Atom("slice", (sl, n, xv)))
                gs.append(sl)
            else:
                gs.append(xv)
        v = Var(b("v"))
        res = sp.results.get(op, VALS) if sp.results else VALS
        if _has_bytes(res):
            r = b("r")
            got = Exists(r, res, Sep(Atom("spec", (n, j, App("ret", (Var(r),)))),
                                     _value(b, n, res, v, Var(r))))
        else:
            got = Atom("spec", (n, j, App("ret", (v,))))
        pre = _seps(Atom("spec", (n, j, App(op, tuple(xs)))), inv(g, n), ab(g, n, h), *lent)
        stmt = _forall([(g.name, GNAME), (n.name, NAT), (h.name, VALS), (j.name, VALS)] + ps
                       + slices, _triple(n, pre, impl[op], [h] + gs, v.name, _seps(got, *lent)))
        out.append((op, "triple", stmt))
    b = _Binders()
    g, n, h = Var(b("γ")), Var(b("n")), b("h")
    n1 = _plus(n, 1)
    # {⤇[n+1] Crashing ∗ inv(CrashInv γ (n+1)) ∗ CrashStart γ (n+1)} recover() {h. ⤇ Done ∗ AbsR}
    pre = _seps(Atom("crashing", (n1,)), inv(g, n1), cs(g, n1))
    post = Sep(Atom("done", ()), ab(g, n1, Var(h)))
    out.append(("recovery", "triple", _forall([(g.name, GNAME), (n.name, NAT)],
                                               _triple(n1, pre, impl["recover"], [], h, post))))
    # for every version, 0 included: a crash during an operation, during recovery or during
    # init.  (No separate premise for a crash while AbsR is held: crash_image is a
    # ∗-homomorphism and the logic is affine, so CrashInv ⇒ Q gives CrashInv ∗ AbsR ⇒ Q.)
    b = _Binders()
    g, n = Var(b("γ")), Var(b("n"))
    n1 = _plus(n, 1)
    out.append(("idempotence", "crash", CrashStatement(
        ((g.name, GNAME), (n.name, NAT)), n, ci(g, n), Sep(ci(g, n1), cs(g, n1)))))
    # setup, before any code runs, so that the crash invariant holds all along init:
    # ∀ params. {source[0](Init(params)) ∗ sem_init(params)} () {_. ∃ γ. CrashInv γ 0 ∗ InitStart γ}
    b = _Binders()
    ps = [(b(x), s) for x, s in k.preds[sem_init][0]]
    r, g = b("_"), b("γ")
    args = tuple(Var(x) for x, _ in ps)
    zero = Lit("int", 0)
    pre = Sep(Atom("source", (zero, initial_state(sp, args))), PredApp(sem_init, args))
    post = Exists(g, GNAME, Sep(ci(Var(g), zero), PredApp(init_start, (Var(g),))))
    out.append(("setup", "triple", _forall(ps, Persistently(Wand(
        pre, WP(zero, (), Val(Lit("unit", None)), r, post))))))
    # ∀ γ. {inv(CrashInv γ 0) ∗ InitStart γ} init() {h. AbsR(γ, 0, h)}[0]
    b = _Binders()
    g, h = Var(b("γ")), b("h")
    pre = Sep(inv(g, zero), PredApp(init_start, (g,)))
    out.append(("init", "triple", _forall([(g.name, GNAME)], _triple(
        zero, pre, impl["init"], [], h, ab(g, zero, Var(h))))))
    return out


def _same_crash(got, want) -> bool:
    """Two crash statements are the same up to the names of their parameters."""
    if type(got) is not CrashStatement or len(got.params) != len(want.params) or \
            [s for _, s in got.params] != [s for _, s in want.params]:
        return False
    names = [x for x, _ in got.params]
    if len(set(names)) != len(names):
        return False
    ren = {x: Var(y) for (x, _), (y, _) in zip(want.params, got.params)}
    return (alpha_eq(got.version, subst(want.version, ren)) and
            alpha_eq(got.lhs, subst(want.lhs, ren)) and alpha_eq(got.rhs, subst(want.rhs, ren)))


def theorem2(k, name, spec, impl, crash_inv, crash_start, init_start, absr, inv_name,
             sem_init, premises) -> Refinement:
    """Perennial's Theorem 2 (§5.5): from the operation triples, the recovery triple,
    idempotence (the crash invariant survives a crash at any point), setup and
    initialisation, conclude that the implementation (its
    operations, init and recovery procedures) is a concurrent recovery refinement of ``spec``
    from the spec's declared initial state, for every value of the semantics' parameters.
    Every premise is required; each must be a theorem whose statement is exactly the one the
    kernel builds and that takes no steps of any other spec."""
    k._fresh_global(name)
    need(type(spec) is str and spec in k.specs, f"unknown spec {spec}")
    sp = k.specs[spec]
    need(sp.crash is not None, f"{spec} has no crash step")
    need(sp.init is not None, f"{spec} has no initial state (declare it with Initial)")
    need(type(impl) is dict and set(impl) == set(sp.ops) | {"init", "recover"},
         f"the implementation must give exactly {sorted(set(sp.ops) | {'init', 'recover'})}")
    for f in impl.values():
        need(type(f) is str and f in k.funcs, f"unknown function {f}")
    for p, sorts in ((crash_inv, (GNAME, NAT)), (crash_start, (GNAME, NAT)),
                     (init_start, (GNAME,)), (absr, (GNAME, NAT, VALS))):
        need(type(p) is str and p in k.preds and
             tuple(x for _, x in k.preds[p][0]) == sorts,
             f"{p} must be a predicate of ({', '.join(map(str, sorts))}): the ghost name γ"
             + (", the version" if len(sorts) > 1 else "")
             + (" and the handle" if len(sorts) == 3 else ""))
    need(type(inv_name) is str, "the invariant's name must be a name")
    need(type(sem_init) is str and sem_init in k.sem_inits,
         f"{sem_init} is not the initial state of a semantics")
    sem_params = k.preds[sem_init][0]
    need([s for _, s in sp.init[0]] == [s for _, s in sem_params],
         f"{spec}'s initial state takes parameters of sorts "
         f"{[str(s) for _, s in sp.init[0]]}, the semantics {sem_init} has "
         f"{[str(s) for _, s in sem_params]}")
    probe = (Var("γ"), Var("n"))
    need(k.timeless(PredApp(crash_inv, probe)), "the crash invariant must be timeless")
    need(k.timeless(PredApp(crash_start, probe)), "the recovery resources must be timeless")
    need(k.persistent(PredApp(absr, probe + (Var("h"),))), "AbsR must be persistent (it is "
         "shared by every operation)")
    required = obligations(k, spec, impl, crash_inv, crash_start, init_start, absr, inv_name,
                           sem_init)
    need(type(premises) is dict and set(premises) == {p for p, _, _ in required},
         f"Theorem 2 needs exactly the premises {[p for p, _, _ in required]}")
    axioms, admits = set(), set()
    for pname, kind, stmt in required:
        thm = k.theorems.get(premises[pname])
        need(thm is not None, f"premise {pname}: unknown theorem {premises[pname]}")
        got = thm.statement
        ok = _same_crash(got, stmt) if kind == "crash" else (
            type(got) is not CrashStatement and alpha_eq(got, stmt))
        need(ok, f"premise {pname}: {premises[pname]} does not state what Theorem 2 needs")
        need(thm.specs <= {spec}, f"premise {pname} takes steps of another spec "
             f"({', '.join(sorted(thm.specs - {spec}))})")
        axioms |= thm.axioms
        admits |= thm.admits
    axioms.add("Theorem 2 (Perennial §5.5, recovery refinement)")
    sealed = Spec(sp.name, sp.state, sp.sort, dict(sp.ops), sp.crash, sp.init, True,
                  dict(sp.results or {}))
    k.specs[spec] = sealed
    ref = Refinement(name, spec, tuple(sorted(impl.items())), frozenset(axioms),
                     frozenset(admits), sealed, sem_init, tuple(sem_params))
    k.refinements[name] = ref
    return ref
