"""Specifications, crashes and the refinement meta-rule (Perennial §4-§5).

* A spec is a transition system: a state sort, operations and a crash step written as small
  programs over the state variable (``modify``, ``undefined``, ``any``, ``assume``, ``let``,
  ``if``, pure primitives).  `run_spec` evaluates one against a concrete state term and returns
  the next state and result, so the kernel checks every ``step(op, σ, σ', v)`` a proof claims.
* `crash_image(P, n)` is what survives a crash at version n, at version n+1: durable atoms and
  ghost/spec resources carry over, each master at n becomes a master and a fresh lease at n+1
  (Table 1, "recovery leases"), everything volatile (heap, fds, leases, lock state,
  invariants, WPs) is dropped.  Dropping is always sound in an affine logic.
* `Refinement` is Theorem 2: the only way to obtain ``impl ⊑ spec``.
"""
from __future__ import annotations

from dataclasses import dataclass

from seplogic.syntax import (
    And, App, Atom, BigSep, Call, Emp, EVar, Exists, Forall, If, Let, Lit, Or, Persistently,
    PredApp, Prim, Pure, Sep, Sort, Val, Var, fresh_name, fv, subst, subst_prog,
)
from .program import PURE_PRIMS
from .wf import KernelError, need, need_expr, need_term

SPEC_PRIMS = ("modify", "undefined", "any", "assume", "gets", "ret")


@dataclass(frozen=True, slots=True)
class Spec:
    name: str
    state: str            # the state variable's name in operation bodies
    sort: Sort
    ops: dict             # op name -> (params ((name, Sort), ...), body Expr)
    crash: object         # Expr, or None until declared


# ---- running spec programs --------------------------------------------------------------------

def run_spec(k, seq, spec: Spec, body, sigma, choices, params=(), args=()):
    """Evaluate a spec program (an operation's body applied to ``args``) from state ``sigma``:
    ``("ok", σ', v)`` or ``("ub",)``.  ``choices`` are the proof's witnesses for ``any()``;
    conditions are decided by the pure checker (the proof must have the facts that decide
    them)."""
    choices = [need_term(c) for c in choices]
    # the values substituted below mention the context's variables: rename the state variable
    # and every let-bound name apart from them first, so that no value is captured
    used = set(seq.names()) | fv(sigma) | {x for x, _ in params}
    for t in (*args, *choices):
        used |= fv(t)
    used |= {e.name for e in _nodes(body) if type(e) in (Let, EVar)} | fv(body)
    st = fresh_name(spec.state, used)
    used.add(st)
    body = _apart(subst(body, {spec.state: Var(st)}), used)
    body = instantiate_op(body, params, args)
    state = [sigma]

    def ev(e):
        tp = type(e)
        if tp is Val:
            return subst(e.term, {st: state[0]})
        if tp is Let:
            r = ev(e.bound)
            if r is UB:
                return UB
            if e.name == "_":
                return ev(e.body)
            return ev(subst_prog(subst(e.body, {e.name: r}), {e.name: Val(r)}))
        if tp is If:
            c = ev(e.cond)
            if c is UB:
                return UB
            for lit, branch in ((True, e.then), (False, e.els)):
                if k.entails(seq, App("eq", (c, Lit("bool", lit)))):
                    return ev(branch)
            raise KernelError("the spec step depends on a condition the pure facts do not "
                              "decide")
        if tp is Prim:
            if e.op == "undefined":
                return UB
            args = []
            for a in e.args:
                r = ev(a)
                if r is UB:
                    return UB
                args.append(r)
            if e.op in ("gets", "ret"):
                return args[0]
            if e.op == "modify":
                state[0] = args[0]
                return Lit("unit", None)
            if e.op == "any":
                need(choices, "the spec step needs a witness for any()")
                t = need_term(choices.pop(0))
                need(fv(t) <= seq.names(), "the witness mentions unknown variables")
                return t
            if e.op == "assume":
                k.need_pure(seq, App("eq", (args[0], Lit("bool", True))), "of a spec assume")
                return Lit("unit", None)
            need(e.op in PURE_PRIMS, f"{e.op} is not allowed in a spec")
            _, op, swap = PURE_PRIMS[e.op]
            return App(op, tuple(reversed(args)) if swap else tuple(args))
        raise KernelError(f"not allowed in a spec: {type(e).__name__}")

    r = ev(body)
    need(not choices, "more witnesses than any() calls")
    return ("ub",) if r is UB else ("ok", state[0], r)


UB = object()


def _nodes(e):
    """The program e and all its sub-programs."""
    yield e
    for f in ("bound", "body", "cond", "then", "els"):
        if hasattr(e, f):
            yield from _nodes(getattr(e, f))
    for a in getattr(e, "args", ()):
        yield from _nodes(a)


def check_spec_body(body, params, state) -> None:
    """Spec programs mention only their parameters, let-bound names and the state variable."""
    need_expr(body)
    names = {state} | {x for x, _ in params} | {e.name for e in _nodes(body) if type(e) is Let}
    need(fv(body) <= names, f"a spec program may only mention {sorted(names)}")
    for e in _nodes(body):
        need(type(e) is not Call, "a spec program cannot call functions")
        need(type(e) is not Prim or e.op in SPEC_PRIMS or e.op in PURE_PRIMS,
             f"{getattr(e, 'op', '')} is not allowed in a spec")


def _apart(e, used: set):
    """``e`` with every let-bound name renamed to one not in ``used`` (and then added to it),
    innermost first, so that values substituted into ``e`` later cannot be captured."""
    tp = type(e)
    if tp is Let:
        bound, body = _apart(e.bound, used), _apart(e.body, used)
        if e.name == "_":
            return Let("_", bound, body)
        x = fresh_name(e.name, used)
        used.add(x)
        return Let(x, bound, subst_prog(subst(body, {e.name: Var(x)}), {e.name: EVar(x)}))
    if tp is If:
        return If(_apart(e.cond, used), _apart(e.then, used), _apart(e.els, used))
    if tp is Prim:
        return Prim(e.op, tuple(_apart(a, used) for a in e.args))
    return e     # values and variables (a spec program has no calls, forks or loops)


def instantiate_op(body, params, args):
    """The body of an operation applied to argument terms (parameters may be used as program
    variables or, inside #(...) terms, as logical variables)."""
    names = [x for x, _ in params]
    body = subst(body, dict(zip(names, args)))
    return subst_prog(body, {x: Val(t) for x, t in zip(names, args)})


# ---- crashes ----------------------------------------------------------------------------------

# Atoms that survive a crash unchanged: disk facts, and ghost and spec resources (ghost state is
# not reset by a crash; the spec's own crash step is explicit).
DURABLE = frozenset({"tok", "source", "spec", "crashing", "done", "failed", "disks",
                     "disk_blocks"})
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
        return Emp()      # pointsto, leases, lease_lb, fs_fd, locked, slices
    return Emp()          # inv, is_lock, WP, wands, assertion variables


@dataclass(frozen=True, slots=True)
class CrashStatement:
    """``∀ params. P ⇒[n] Q``: after a crash at version n, what survives of P gives Q."""
    params: tuple
    version: object
    lhs: object
    rhs: object


@dataclass(frozen=True, slots=True)
class Refinement:
    """``impl ⊑ spec``, recorded only by Theorem 2."""
    name: str
    spec: str
    impl: tuple           # ((op, function), ...) plus ("init", f) and ("recover", f)
    axioms: frozenset
    admits: frozenset


# ---- Theorem 2 --------------------------------------------------------------------------------

NAT, VALS = Sort("nat"), Sort("val")


def _plus(n, i):
    return App("add", (n, Lit("int", i))) if i else n


def _triple(version, pre, func, args, rvar, post):
    from seplogic.syntax import Call, Persistently, Wand, WP
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


def obligations(k, spec, impl, crash_inv, crash_start, absr, inv_name, sem_init, spec_init):
    """The statements Theorem 2 requires, as (premise name, kind, statement) triples."""
    from seplogic.syntax import Inv
    sp = k.specs[spec]
    n, h, j = Var("n"), Var("h"), Var("j")
    ci = lambda v: PredApp(crash_inv, (v,))        # noqa: E731
    cs = lambda v: PredApp(crash_start, (v,))      # noqa: E731
    ab = lambda v, x: PredApp(absr, (v, x))        # noqa: E731
    inv = lambda v: Inv(inv_name, ci(v))           # noqa: E731
    out = []
    for op, (params, _) in sp.ops.items():
        taken = {"n", "h", "j", "v"}
        ps = [(fresh_name(x, taken), s) for x, s in params]
        xs = [Var(x) for x, _ in ps]
        pre = _seps(Atom("spec", (j, App(op, tuple(xs)))), inv(n), ab(n, h))
        post = Atom("spec", (j, App("ret", (Var("v"),))))
        stmt = _forall([("n", NAT), ("h", VALS), ("j", VALS)] + ps,
                       _triple(n, pre, impl[op], [h] + xs, "v", post))
        out.append((op, "triple", stmt))
    n1 = _plus(n, 1)
    pre = _seps(Atom("crashing", ()), inv(n1), cs(n1))
    post = Sep(Atom("done", ()), ab(n1, Var("h")))
    out.append(("recovery", "triple", _forall([("n", NAT)],
                                               _triple(n1, pre, impl["recover"], [], "h", post))))
    out.append(("crash", "crash", CrashStatement(
        (("n", NAT), ("h", VALS)), n, Sep(ci(n), ab(n, h)), Sep(ci(n1), cs(n1)))))
    n2 = _plus(n, 2)
    out.append(("idempotence", "crash", CrashStatement(
        (("n", NAT),), n1, ci(n1), Sep(ci(n2), cs(n2)))))
    sem_params = k.preds[sem_init][0]
    taken = {"σ", "h"}
    ps = [(fresh_name(x, taken), s) for x, s in sem_params]
    args = tuple(Var(x) for x, _ in ps)
    sigma = Var("σ")
    pre = _seps(PredApp(spec_init, (sigma,) + args), Atom("source", (sigma,)),
                PredApp(sem_init, args))
    zero = Lit("int", 0)
    post = Sep(inv(zero), ab(zero, Var("h")))
    out.append(("init", "triple", _forall([("σ", sp.sort)] + ps,
                                           _triple(zero, pre, impl["init"], [], "h", post))))
    return out


def theorem2(k, name, spec, impl, crash_inv, crash_start, absr, inv_name, sem_init, spec_init,
             premises) -> Refinement:
    """Perennial's Theorem 2 (§5.5): from the operation triples, the recovery triple, crash
    invariance, idempotence and initialisation, conclude that the implementation (its
    operations, init and recovery procedures) is a concurrent recovery refinement of ``spec``.
    Every premise is required; each must be a theorem whose statement is exactly the one below
    and that takes no steps of any other spec."""
    from seplogic.syntax import alpha_eq
    k._fresh_global(name)
    need(spec in k.specs, f"unknown spec {spec}")
    sp = k.specs[spec]
    need(sp.crash is not None, f"{spec} has no crash step")
    need(type(impl) is dict and set(impl) == set(sp.ops) | {"init", "recover"},
         f"the implementation must give exactly {sorted(set(sp.ops) | {'init', 'recover'})}")
    for f in impl.values():
        need(f in k.funcs, f"unknown function {f}")
    for p, arity in ((crash_inv, 1), (crash_start, 1), (absr, 2)):
        need(p in k.preds and len(k.preds[p][0]) == arity, f"{p} must be a predicate of "
             f"{arity} argument{'s' * (arity > 1)}")
    need(sem_init in k.sem_inits, f"{sem_init} is not the initial state of a semantics")
    need(spec_init in k.preds, f"unknown predicate {spec_init}")
    probe_n = Var("n")
    need(k.timeless(PredApp(crash_inv, (probe_n,))), "the crash invariant must be timeless")
    need(k.timeless(PredApp(crash_start, (probe_n,))), "the recovery resources must be timeless")
    need(k.persistent(PredApp(absr, (probe_n, Var("h")))), "AbsR must be persistent (it is "
         "shared by every operation)")
    required = obligations(k, spec, impl, crash_inv, crash_start, absr, inv_name, sem_init,
                           spec_init)
    need(type(premises) is dict and set(premises) == {p for p, _, _ in required},
         f"Theorem 2 needs exactly the premises {[p for p, _, _ in required]}")
    axioms, admits = set(), set()
    for pname, kind, stmt in required:
        thm = k.theorems.get(premises[pname])
        need(thm is not None, f"premise {pname}: unknown theorem {premises[pname]}")
        got = thm.statement
        if kind == "crash":
            ok = (type(got) is CrashStatement and got.params == stmt.params
                  and alpha_eq(got.version, stmt.version) and alpha_eq(got.lhs, stmt.lhs)
                  and alpha_eq(got.rhs, stmt.rhs))
        else:
            ok = type(got) is not CrashStatement and alpha_eq(got, stmt)
        need(ok, f"premise {pname}: {premises[pname]} does not state what Theorem 2 needs")
        need(thm.specs <= {spec}, f"premise {pname} takes steps of another spec "
             f"({', '.join(sorted(thm.specs - {spec}))})")
        axioms |= thm.axioms
        admits |= thm.admits
    axioms.add("Theorem 2 (Perennial §5.5, recovery refinement)")
    ref = Refinement(name, spec, tuple(sorted(impl.items())), frozenset(axioms),
                     frozenset(admits))
    k.refinements[name] = ref
    return ref
