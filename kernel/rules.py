"""The kernel's rules: one table, each rule with the Iris/Perennial lemma that justifies it.

Every rule is read backwards, like an Iris Proof Mode tactic lemma: given the sequent to prove
and the rule's arguments it computes the premises, and the rule is sound when the premises
entail the conclusion.  A hypothesis reference is ``("s", i)`` (spatial) or ``("p", i)``
(persistent).  Soundness without step-indexing: invariant and lock contents must be timeless
(checked where they are created), so the ``▷`` in Iris's rules can always be stripped
(``inv_acc_timeless``, ``wp_value``/``fupd`` absorb the except-0); everything else is an
instance of the cited lemma.  See docs/kernel.md for the same table in prose.
"""
from __future__ import annotations

from seplogic.record import record, replace

from seplogic.syntax import (
    And, App, Assertion, Atom, Avoid, BigSep, Emp, Exists, Forall, Fork, Inv, Lit, Loop, Or,
    Persistently, Prim, Pure, Sep, Sort, Val, Var, Wand, WP, alpha_eq, fresh_name, fv, subst,
)
from .core import Kernel, PrimAxiom
from .crash import LEASED
from .program import PLAIN_ACCESS, decompose, is_atomic, pure_step
from .pure import term_text
from .sequent import Seq
from .wf import KernelError, need, need_assertion, need_int, need_name, need_term

VAL = Sort("val")


@record
class Rule:
    apply: object           # (kernel, sequent, args, used axioms, used theorems) -> premises
    justification: str


RULES: dict[str, Rule] = {}


def rule(justification: str):
    def register(fn):
        RULES[fn.__name__.removeprefix("r_")] = Rule(fn, justification)
        return fn
    return register


# ---- helpers ------------------------------------------------------------------------------------

def _ref(seq: Seq, ref):
    # (a rule whose one argument is a reference calls _ref(seq, *args): any other number of
    # arguments is a TypeError, which Kernel.check rejects as malformed arguments)
    if not (type(ref) is tuple and len(ref) == 2 and ref[0] in ("s", "p")):
        raise KernelError(f"bad hypothesis {ref!r}")
    kind, i = ("s" if ref[0] == "s" else "p"), ref[1]   # a str itself (a subclass's == lies)
    need_int(i)
    hyps = seq.spat if kind == "s" else seq.pers
    need(i < len(hyps), f"no {'spatial' if kind == 's' else 'persistent'} hypothesis {i}")
    return kind, i, hyps[i]


def _replace(seq: Seq, kind, i, *new) -> Seq:
    return seq.set_spat(i, *new) if kind == "s" else seq.set_pers(i, *new)


def _idxs(seq: Seq, idxs):
    need(type(idxs) is tuple and all(type(i) is int for i in idxs), "indices must be a tuple")
    need(len(set(idxs)) == len(idxs), "a spatial hypothesis may be used only once")
    for i in idxs:
        need(0 <= i < len(seq.spat), f"no spatial hypothesis {i}")
    return idxs


def _fresh_var(seq: Seq, x) -> str:
    need_name(x, "variable name")
    need(x not in seq.names(), f"variable {x} is not fresh")
    return x


def _target(seq: Seq, target):
    """``("goal",)`` or a hypothesis reference; returns (kind, index, assertion)."""
    return ("goal", None, seq.goal) if target == ("goal",) else _ref(seq, target)


def _retarget(seq: Seq, kind, i, new) -> Seq:
    return seq.with_goal(new) if kind == "goal" else _replace(seq, kind, i, new)


def _drop(seq: Seq, kind, i) -> Seq:
    return seq.drop_spat([i]) if kind == "s" else replace(seq, pers=seq.pers[:i] + seq.pers[i + 1:])


def _goal(seq: Seq, tp, what):
    need(type(seq.goal) is tp, f"the goal is not {what}")
    return seq.goal


def _wp_goal(seq: Seq) -> WP:
    return _goal(seq, WP, "a weakest precondition")


# ---- structural rules -----------------------------------------------------------------------

@rule("Iris tac_assumption: P ⊢ P, with the other spatial hypotheses dropped (Iris is affine)")
def r_assumption(k: Kernel, seq, args, ua, ut):
    _, _, h = _ref(seq, *args)
    need(alpha_eq(h, seq.goal), "the hypothesis is not the goal")
    return ()


@rule("Affinity (bi.sep_elim_r): P ∗ Q ⊢ Q")
def r_clear(k, seq, args, ua, ut):
    kind, i, _ = _ref(seq, *args)
    return (_drop(seq, kind, i),)


@rule("Affinity: P ⊢ emp (emp ⊣⊢ True in an affine BI)")
def r_emp_intro(k, seq, args, ua, ut):
    _goal(seq, Emp, "emp")
    return ()


@rule("bi.pure_intro: φ ⊢ ⌜φ⌝ (φ decided by kernel/pure.py from the pure context)")
def r_pure_intro(k, seq, args, ua, ut):
    g = _goal(seq, Pure, "pure")
    k.need_pure(seq, g.term, "in the goal")
    return ()


@rule("Excluded middle on a boolean term (φ = true ∨ φ = false): Γ, φ ⊢ P and Γ, ¬φ ⊢ P "
      "give Γ ⊢ P")
def r_pure_cases(k, seq, args, ua, ut):
    (phi,) = args
    need_term(phi)
    need(fv(phi) <= seq.names(), "unknown variables in the case condition")
    need(k.sort_of(phi, seq.env()).name == "bool", "cases need a boolean")
    return (seq.add_pure(phi), seq.add_pure(App("not", (phi,))))


@rule("bi.False_elim: a contradictory pure context proves anything")
def r_pure_contra(k, seq, args, ua, ut):
    k.need_pure(seq, Lit("bool", False), "False from the pure context")
    return ()


@rule("bi.pure_elim / tac_pure: a hypothesis ⌜φ⌝ moves to the pure context")
def r_hyp_pure(k, seq, args, ua, ut):
    kind, i, h = _ref(seq, *args)
    need(type(h) is Pure, "the hypothesis is not pure")
    need(k.sort_of(h.term, seq.env()).name == "bool", "not a boolean fact")
    return (_drop(seq, kind, i).add_pure(h.term),)


@rule("tac_intuitionistic: a persistent spatial hypothesis (□P, inv, is_lock, ...) "
      "moves to the persistent context (Persistent P → P ⊢ □P)")
def r_hyp_pers(k, seq, args, ua, ut):
    (i,) = args
    _, i, h = _ref(seq, ("s", i))
    body = h.body if type(h) is Persistently else h
    need(k.persistent(h), "the hypothesis is not persistent")
    return (seq.drop_spat([i]).add_pers(body),)


@rule("bi.sep_elim (tac_and_destruct): P ∗ Q as a hypothesis gives P and Q; "
      "□(P ∗ Q) ⊢ □P ∗ □Q")
def r_sep_elim(k, seq, args, ua, ut):
    kind, i, h = _ref(seq, *args)
    need(type(h) is Sep, "the hypothesis is not a separating conjunction")
    return (_replace(seq, kind, i, h.left, h.right),)


@rule("bi.and_elim_l/r: P ∧ Q ⊢ P and ⊢ Q (spatial: keep one side); □(P ∧ Q) ⊢ □P ∗ □Q")
def r_and_elim(k, seq, args, ua, ut):
    ref, side = args
    kind, i, h = _ref(seq, ref)
    need(type(h) is And, "the hypothesis is not a conjunction")
    if kind == "p":
        return (_replace(seq, kind, i, h.left, h.right),)
    need(side in (0, 1), "side must be 0 or 1")
    return (_replace(seq, kind, i, h.left if side == 0 else h.right),)


@rule("bi.or_elim with bi.sep_or_r: (P ∨ Q) ∗ R ⊢ S from P ∗ R ⊢ S and Q ∗ R ⊢ S")
def r_or_elim(k, seq, args, ua, ut):
    kind, i, h = _ref(seq, *args)
    need(type(h) is Or, "the hypothesis is not a disjunction")
    return (_replace(seq, kind, i, h.left), _replace(seq, kind, i, h.right))


@rule("bi.exist_elim (tac_exist_destruct): (∀x. P x ⊢ Q) → (∃x. P x) ⊢ Q, x fresh")
def r_exists_elim(k, seq, args, ua, ut):
    ref, x = args
    kind, i, h = _ref(seq, ref)
    need(type(h) is Exists, "the hypothesis is not an existential")
    x = _fresh_var(seq, x)
    return (_replace(seq.add_var(x, h.sort), kind, i, subst(h.body, {h.var: Var(x)})),)


@rule("bi.forall_elim: (∀x. P x) ⊢ P t, t of the binder's sort")
def r_forall_elim(k, seq, args, ua, ut):
    ref, t = args
    kind, i, h = _ref(seq, ref)
    need(type(h) is Forall, "the hypothesis is not universally quantified")
    k.fits(seq, t, h.sort)
    return (_replace(seq, kind, i, subst(h.body, {h.var: t})),)


@rule("bi.wand_intro_r: (Δ ∗ P ⊢ Q) → Δ ⊢ P -∗ Q")
def r_wand_intro(k, seq, args, ua, ut):
    g = _goal(seq, Wand, "a wand")
    return (seq.add_spat(g.left).with_goal(g.right),)


@rule("bi.forall_intro: (∀x. Δ ⊢ P x) → Δ ⊢ ∀x. P x, x fresh")
def r_forall_intro(k, seq, args, ua, ut):
    (x,) = args
    g = _goal(seq, Forall, "universally quantified")
    x = _fresh_var(seq, x)
    return (seq.add_var(x, g.sort).with_goal(subst(g.body, {g.var: Var(x)})),)


@rule("bi.exist_intro: P t ⊢ ∃x. P x, t of the binder's sort")
def r_exists_intro(k, seq, args, ua, ut):
    (t,) = args
    g = _goal(seq, Exists, "existentially quantified")
    k.fits(seq, t, g.sort)
    return (seq.with_goal(subst(g.body, {g.var: t})),)


@rule("bi.sep_mono (tac_sep_split): Δ1 ⊢ P and Δ2 ⊢ Q give Δ1 ∗ Δ2 ⊢ P ∗ Q; "
      "persistent and pure hypotheses go to both sides")
def r_sep_intro(k, seq, args, ua, ut):
    (idxs,) = args
    g = _goal(seq, Sep, "a separating conjunction")
    idxs = _idxs(seq, idxs)
    return (seq.only_spat(idxs).with_goal(g.left), seq.drop_spat(idxs).with_goal(g.right))


@rule("bi.and_intro: Δ ⊢ P and Δ ⊢ Q give Δ ⊢ P ∧ Q")
def r_and_intro(k, seq, args, ua, ut):
    g = _goal(seq, And, "a conjunction")
    return (seq.with_goal(g.left), seq.with_goal(g.right))


@rule("bi.or_intro_l / bi.or_intro_r")
def r_or_intro(k, seq, args, ua, ut):
    (side,) = args
    g = _goal(seq, Or, "a disjunction")
    need(side in (0, 1), "side must be 0 or 1")
    return (seq.with_goal(g.left if side == 0 else g.right),)


@rule("bi.intuitionistically_intro' (tac_persistently_intro): □Δ ⊢ P gives □Δ ⊢ □P; "
      "the spatial hypotheses are dropped (affine)")
def r_pers_intro(k, seq, args, ua, ut):
    g = _goal(seq, Persistently, "□P")
    return (replace(seq, spat=(), goal=g.body),)


@rule("bi.wand_elim_l with bi.sep_mono (tac_specialize_assert): from P -∗ Q and Δ1 ⊢ P "
      "get Q; a persistent wand stays available")
def r_wand_elim(k, seq, args, ua, ut):
    ref, idxs = args
    kind, i, h = _ref(seq, ref)
    need(type(h) is Wand, "the hypothesis is not a wand")
    idxs = _idxs(seq, idxs)
    need(kind == "p" or i not in idxs, "the wand cannot prove its own premise")
    prem = seq.only_spat(idxs).with_goal(h.left)
    drop = list(idxs) + ([i] if kind == "s" else [])
    return (prem, seq.drop_spat(drop).add_spat(h.right))


@rule("cut with bi.sep_mono: Δ1 ⊢ A and Δ2 ∗ A ⊢ P give Δ1 ∗ Δ2 ⊢ P")
def r_cut(k, seq, args, ua, ut):
    a, idxs = args
    k.check_assertion(a, seq.env())
    idxs = _idxs(seq, idxs)
    return (seq.only_spat(idxs).with_goal(a), seq.drop_spat(idxs).add_spat(a))


@rule("Definitional unfolding and Leibniz equality (bi.internal_eq_rewrite with ⌜t = u⌝): "
      "replace an assertion by one equal up to unfolding predicates and provably equal terms")
def r_convert(k, seq, args, ua, ut):
    target, new = args
    kind, i, old = _target(seq, target)
    need_assertion(new)
    _convertible(k, seq, old, new)
    k.check_assertion(new, seq.env())
    return (_retarget(seq, kind, i, new),)


def sep_spine(a) -> list:
    """The conjuncts of a tree of ∗, without emp."""
    if type(a) is Sep:
        return sep_spine(a.left) + sep_spine(a.right)
    return [] if type(a) is Emp else [a]


@rule("bi.sep_comm, bi.sep_assoc, bi.emp_sep: ∗ is associative and commutative with unit emp; "
      "an assertion may be replaced by any rearrangement of its ∗-conjuncts")
def r_sep_ac(k, seq, args, ua, ut):
    target, new = args
    kind, i, old = _target(seq, target)
    need_assertion(new)
    rest = sep_spine(old)
    for c in sep_spine(new):
        j = next((j for j, d in enumerate(rest) if alpha_eq(c, d)), None)
        need(j is not None, "the new assertion has a conjunct the old one lacks")
        rest.pop(j)
    need(not rest, "the new assertion drops conjuncts of the old one")
    return (_retarget(seq, kind, i, new),)


@rule("own_valid_2 / mapsto_valid_2 / excl: two exclusive resources with the same key "
      "entail False")
def r_excl(k, seq, args, ua, ut):
    i, j = args
    need(i != j, "needs two different hypotheses")
    _, _, a = _ref(seq, ("s", i))
    _, _, b = _ref(seq, ("s", j))
    need(type(a) is Atom and type(b) is Atom and a.kind == b.kind, "not two atoms of one kind")
    need(a.kind in EXCLUSIVE, f"{a.kind} is not exclusive")
    keys = EXCLUSIVE[a.kind]
    for pos in range(len(a.args) - 1) if keys is None else keys:
        k.need_pure(seq, App("eq", (a.args[pos], b.args[pos])), "that the keys are equal")
    return ()


# kind -> argument positions forming the key; justification in r_excl and docs/kernel.md:
# tok: own γ (Excl ()); locked: the lock's exclusive token; pointsto: heap mapsto at one
# version (gen_heap mapsto_valid_2); every master and lease kind of crash.LEASED (disk blocks,
# ghost cells, directories, directory entries, inodes): Perennial's leases and master copies are
# exclusive per location and version; ⤇[m] Crashing / ⤇ Done: the spec's single crash token
# (there is one at a time, whatever its era); source: the spec state's one authoritative copy.
EXCLUSIVE = {"tok": (0,), "locked": (0,), "pointsto": (0, 1), "crashing": (), "done": (),
             "source": (),
             **{kind: None for pair in LEASED.items() for kind in pair}}  # None: key, version


# ---- big separating conjunction -----------------------------------------------------------

def _bigsep(seq, target):
    kind, i, a = _target(seq, target)
    need(type(a) is BigSep, "not a big separating conjunction")
    return kind, i, a


@rule("big_sepS_delete / big_sepM_delete: for x ∈ S, [∗ set] y ∈ S. P ⊣⊢ P x ∗ [∗ set] y ∈ "
      "S ∖ {x}. P; for m[k] = Some v, [∗ map] i ↦ w ∈ m. P ⊣⊢ P k v ∗ [∗ map] ... ∈ delete(m, k)")
def r_bigsep_split(k, seq, args, ua, ut):
    target, key, val = args
    kind, i, a = _bigsep(seq, target)
    for t in (key,) if a.kind == "set" else (key, val):
        need_term(t)
        need(fv(t) <= seq.names(), "unknown variables in the element")
        k.sort_of(t, seq.env())
    if a.kind == "set":
        k.need_pure(seq, App("mem", (key, a.coll)), "that the element is in the set")
        one = subst(a.body, {a.vars[0]: key})
        rest = BigSep("set", a.vars, App("diff", (a.coll, App("set", (key,)))), a.body)
    else:
        k.need_pure(seq, App("eq", (App("lookup", (a.coll, key)), App("some", (val,)))),
                    "that the map holds this key and value")
        one = subst(a.body, {a.vars[0]: key, a.vars[1]: val})
        rest = BigSep("map", a.vars, App("delete", (a.coll, key)), a.body)
    return (_retarget(seq, kind, i, Sep(one, rest)),)


@rule("big_sepS_empty / big_sepM_empty: [∗ set] y ∈ ∅. P ⊣⊢ emp; the set is shown empty "
      "extensionally (∀x. x ∉ S)")
def r_bigsep_empty(k, seq, args, ua, ut):
    a = _goal(seq, BigSep, "a big separating conjunction")
    x = fresh_name("x", seq.names() | fv(a))
    sort = k.elem_sorts(a, seq.env())[0]
    empty = (App("not", (App("mem", (Var(x), a.coll)),)) if a.kind == "set"
             else App("eq", (App("lookup", (a.coll, Var(x))), App("none", ()))))
    k.need_pure(seq, empty, "that the collection is empty (no x is in it)", {x: sort})
    return ()


@rule("big_sepS_sep: [∗ set] y ∈ S. P ∗ Q ⊣⊢ ([∗ set] y ∈ S. P) ∗ ([∗ set] y ∈ S. Q)")
def r_bigsep_sep(k, seq, args, ua, ut):
    (target,) = args
    kind, i, a = _target(seq, target)
    if type(a) is BigSep and type(a.body) is Sep:
        new = Sep(BigSep(a.kind, a.vars, a.coll, a.body.left),
                  BigSep(a.kind, a.vars, a.coll, a.body.right))
    else:
        need(type(a) is Sep and type(a.left) is BigSep and type(a.right) is BigSep,
             "neither [∗] (P ∗ Q) nor ([∗] P) ∗ ([∗] Q)")
        l, r = a.left, a.right
        need(l.kind == r.kind and alpha_eq(l.coll, r.coll), "the two big-∗ range differently")
        body = Sep(l.body, subst(r.body, dict(zip(r.vars, map(Var, l.vars)))))
        need(not (set(l.vars) & (fv(r.body) - set(r.vars))), "variable capture")
        new = BigSep(l.kind, l.vars, l.coll, body)
    return (_retarget(seq, kind, i, new),)


@rule("big_sepS_impl: [∗ set] y ∈ S. P ∗ □(∀y. ⌜y ∈ S⌝ → P -∗ Q) ⊢ [∗ set] y ∈ S. Q")
def r_bigsep_mono(k, seq, args, ua, ut):
    (i,) = args
    g = _goal(seq, BigSep, "a big separating conjunction")
    _, _, h = _ref(seq, ("s", i))
    need(type(h) is BigSep and h.kind == g.kind == "set" and alpha_eq(h.coll, g.coll),
         "the hypothesis ranges over another set")
    y = fresh_name(g.vars[0], seq.names() | fv(h) | fv(g))
    p = subst(h.body, {h.vars[0]: Var(y)})
    q = subst(g.body, {g.vars[0]: Var(y)})
    (s,) = k.elem_sorts(g, seq.env())
    step = Forall(y, s, Wand(Pure(App("mem", (Var(y), g.coll))), Wand(p, q)))
    return (replace(seq.drop_spat([i]), spat=(), goal=step),)


@rule("Induction on nat (meta-level induction on k): Δ ⊢ P 0 and □Δ□ ⊢ ∀k. P k -∗ P (k+1) "
      "give Δ ⊢ ∀k. P k")
def r_nat_induct(k, seq, args, ua, ut):
    g = _goal(seq, Forall, "∀ over nat")
    need(g.sort.name == "nat", "induction needs a nat binder")
    base = subst(g.body, {g.var: Lit("int", 0)})
    x = fresh_name(g.var, seq.names() | fv(g))
    step = Forall(x, g.sort, Wand(subst(g.body, {g.var: Var(x)}),
                                  subst(g.body, {g.var: App("add", (Var(x), Lit("int", 1)))})))
    return (seq.with_goal(base), replace(seq, spat=(), goal=step))


# ---- weakest preconditions ------------------------------------------------------------------

@rule("wp_value: Q[v/x] ⊢ WP v {x. Q}")
def r_wp_value(k, seq, args, ua, ut):
    g = _wp_goal(seq)
    need(type(g.expr) is Val, "the program is not a value")
    return (seq.with_goal(subst(g.post, {g.var: g.expr.term})),)


@rule("wp_bind: WP e {x. WP K[x] {Φ}} ⊢ WP K[e] {Φ}, e the head redex")
def r_wp_bind(k, seq, args, ua, ut):
    (x,) = args
    g = _wp_goal(seq)
    d = decompose(g.expr)
    need(d is not None, "the program is a value or stuck")
    redex, plug = d
    need(redex is not g.expr, "the head redex is the whole program; nothing to bind")
    x = _fresh_var(seq, x)
    need(x not in fv(g), "bind variable clashes")
    inner = WP(g.version, g.opened, plug(Val(Var(x))), g.var, g.post)
    return (seq.with_goal(WP(g.version, g.opened, redex, x, inner)),)


@rule("wp_pure_step (PureExec): WP e' {Φ} ⊢ WP e {Φ} when e → e' by a pure step in an "
      "evaluation context (let, if on a literal, call, pure primitive on operands of its sort; "
      "== of closed values is GooseLang's bin_op_eval EqOp; slice_len/slice_cap, pure on "
      "slice values (Goose wp_SliceLen), need a slice[n]/slice_ro[n] hypothesis on the "
      "operand, or nil())")
def r_wp_pure(k, seq, args, ua, ut):
    g = _wp_goal(seq)
    d = decompose(g.expr)
    need(d is not None, "the program is a value or stuck")
    redex, plug = d
    env = seq.env()
    nonzero = lambda t: k.entails(seq, App("ne", (t, Lit("int", 0))))
    is_slice = lambda t: (type(t) is App and t.op == "nil" and not t.args) or any(
        type(h) is Atom and h.kind in ("slice", "slice_ro") and alpha_eq(h.args[0], t)
        for h in seq.spat + seq.pers)
    new = pure_step(redex, k.funcs, lambda t: k.sort_of(t, env), nonzero, is_slice)
    need(new is not None, "the head redex takes no pure step")
    return (seq.with_goal(replace(g, expr=plug(new))),)


@rule("Texan-triple use of a semantics axiom (the axiom, wp_wand, wp_fupd and "
      "wp_value_fupd): P ∗ (∀ys. Q -∗ WP ret {Φ}) ⊢ WP e {Φ} from {P} e {∀ys. RET ret; Q}")
def r_wp_axiom(k, seq, args, ua, ut):
    name, inst = args
    if not (type(name) is str and name in k.axioms):
        raise KernelError(f"unknown axiom {name!r}")
    ax: PrimAxiom = k.axioms[name]
    need(ax.expr is not None, f"{name} is an entailment axiom; use axiom_entail")
    g = _wp_goal(seq)
    need(not (ax.needs_top and g.opened), f"{name} needs the full mask ⊤ (close invariants)")
    terms, props = _instantiate(k, seq, ax.params, inst)
    e = subst(ax.expr, terms)
    need(alpha_eq(e, g.expr), f"{name} is about another program")
    need(alpha_eq(terms[ax.version], g.version), f"{name} instantiated at another version")
    ren = {}        # each binder avoids the context, the parameters and the binders before it
    for (y, s) in ax.binders:
        made = {v.name for v in ren.values()}
        ren[y] = Var(fresh_name(y, Avoid(seq.names(), fv(g), terms, made)))
    binders = [(ren[y].name, s) for y, s in ax.binders]
    full = {**terms, **ren}
    ret = subst(ax.ret, full)
    after = WP(g.version, g.opened, Val(ret), g.var, g.post)
    cont = Wand(subst(ax.post, full, props), after)
    for y, s in reversed(binders):
        cont = Forall(y, s, cont)
    ua.add(name)
    return (seq.with_goal(Sep(subst(ax.pre, terms, props), cont)),)


def _instantiate(k, seq, params, inst):
    need(type(inst) is tuple and all(type(p) is tuple and len(p) == 2 for p in inst),
         "instantiation must be a tuple of (name, value) pairs")
    given = dict(inst)
    need(len(given) == len(inst) and set(given) == {n for n, _ in params},
         f"instantiate exactly {[n for n, _ in params]}")
    terms, props = {}, {}
    for n, s in params:
        v = given[n]
        if s.name == "iProp":
            k.check_assertion(v, seq.env())
            need(k.timeless(v), f"{n} must be instantiated with a timeless assertion")
            props[n] = v
        else:
            k.fits(seq, v, s)
            terms[n] = v
    return terms, props


@rule("wp_fork with wp_value_fupd: WP e {_. True} ∗ WP () {Φ} ⊢ WP (fork e) {Φ}, the child "
      "at mask ⊤ and the same version")
def r_wp_fork(k, seq, args, ua, ut):
    (idxs,) = args
    g = _wp_goal(seq)
    need(type(g.expr) is Fork, "the program is not a fork")
    idxs = _idxs(seq, idxs)
    child = WP(g.version, (), g.expr.body, "_", Pure(Lit("bool", True)))
    return (seq.only_spat(idxs).with_goal(child),
            seq.drop_spat(idxs).with_goal(replace(g, expr=Val(Lit("unit", None)))))


@rule("Löb induction with the unfolding loop b → let r := b in (if r = continue then loop b "
      "else the payload of break) (Goose wp_forBreak): I ∗ □(I -∗ WP b {r. ⌜r = continue⌝ ∗ I "
      "∨ ∃v. ⌜r = break(v)⌝ ∗ Φ v}) ⊢ WP (loop b) {Φ}")
def r_wp_loop(k, seq, args, ua, ut):
    (inv,) = args
    g = _wp_goal(seq)
    need(type(g.expr) is Loop, "the program is not a loop")
    k.check_assertion(inv, seq.env())
    avoid = seq.names() | fv(g) | fv(inv)
    r = fresh_name("r", avoid)
    v = fresh_name("v", avoid | {r})
    cont = Sep(Pure(App("eq", (Var(r), App("continue", ())))), inv)
    brk = Exists(v, VAL, Sep(Pure(App("eq", (Var(r), App("break", (Var(v),))))),
                             subst(g.post, {g.var: Var(v)})))
    body = WP(g.version, g.opened, g.expr.body, r, Or(cont, brk))
    return (seq.with_goal(Sep(inv, Persistently(Wand(inv, body)))),)


@rule("wp_wand with wp_fupd and wp_value_fupd: WP e {Φ} ∗ (∀v. Φ v -∗ WP v {Ψ}) ⊢ WP e {Ψ} "
      "(consequence and frame)")
def r_wp_wand(k, seq, args, ua, ut):
    (i,) = args
    g = _wp_goal(seq)
    _, _, h = _ref(seq, ("s", i))
    need(type(h) is WP, "the hypothesis is not a weakest precondition")
    need(alpha_eq(h.version, g.version), "the hypothesis is at another version")
    need(h.opened == g.opened, "the hypothesis is at another mask")
    need(alpha_eq(h.expr, g.expr), "the hypothesis is about another program")
    y = fresh_name(g.var, seq.names() | fv(g) | fv(h))
    after = WP(g.version, g.opened, Val(Var(y)), g.var, g.post)
    goal = Forall(y, VAL, Wand(subst(h.post, {h.var: Var(y)}), after))
    return (seq.drop_spat([i]).with_goal(goal),)


def _open_inv(k, seq, j):
    """The WP goal, the closed invariant hypothesis j it opens, and the mask with it open."""
    g = _wp_goal(seq)
    _, _, h = _ref(seq, ("p", j))
    need(type(h) is Inv, "the hypothesis is not an invariant")
    need(h.name not in g.opened, f"invariant {h.name} is already open")
    need(k.timeless(h.body), "invariant contents must be timeless")
    return g, h, tuple(sorted(g.opened + (h.name,)))


@rule("inv_acc_timeless with wp_atomic: for atomic e and N in the mask, "
      "inv N P ∗ (P -∗ WP@E∖N e {v. P ∗ Φ v}) ⊢ WP@E e {Φ}")
def r_wp_inv_open(k, seq, args, ua, ut):
    (j,) = args
    g, h, opened = _open_inv(k, seq, j)
    need(is_atomic(g.expr), "invariants may only be opened around one atomic step" + (
        f" ({g.expr.op} is a plain memory access, not atomic: race freedom)"
        if type(g.expr) is Prim and g.expr.op in PLAIN_ACCESS else ""))
    v = fresh_name(g.var, seq.names() | fv(g) | fv(h.body))   # P must not see the result
    post = Sep(h.body, subst(g.post, {g.var: Var(v)}))
    return (seq.add_spat(h.body).with_goal(WP(g.version, opened, g.expr, v, post)),)


@rule("inv_acc_timeless with wp_value_fupd' and fupd_wp, no program step: for N in the mask, "
      "inv N P ∗ (P -∗ WP@E∖N () {_. P ∗ WP@E e {Φ}}) ⊢ WP@E e {Φ} (ghost steps, such as a spec "
      "step, under the opened invariant before e, which need not be atomic)")
def r_wp_inv_ghost(k, seq, args, ua, ut):
    (j,) = args
    g, h, opened = _open_inv(k, seq, j)
    x = fresh_name("_", seq.names() | fv(g) | fv(h.body))
    return (seq.add_spat(h.body).with_goal(
        WP(g.version, opened, Val(Lit("unit", None)), x, Sep(h.body, g))),)


@rule("inv_alloc with fupd_wp: ▷P ={E}=∗ inv N P, and P ⊢ ▷P (P timeless)")
def r_wp_inv_alloc(k, seq, args, ua, ut):
    i, name = args
    _wp_goal(seq)
    need_name(name, "invariant name")
    _, i, h = _ref(seq, ("s", i))
    need(k.timeless(h), "invariant contents must be timeless")
    return (seq.drop_spat([i]).add_pers(Inv(name, h)),)


@rule("own_alloc (Excl ()) with bupd_wp: a fresh exclusive token can always be made")
def r_wp_tok_alloc(k, seq, args, ua, ut):
    (x,) = args
    _wp_goal(seq)
    x = _fresh_var(seq, x)
    return (seq.add_var(x, Sort("gname")).add_spat(Atom("tok", (Var(x),))),)


@rule("ghost_map_alloc (Iris own_alloc of exclusive ghost variables, one per key) with "
      "bupd_wp: a fresh name γ and, for every k in S, a durable ghost cell "
      "gmaster[n]((γ, k), v) ∗ glease[n]((γ, k), v) at the WP's version")
def r_wp_ghost_alloc(k, seq, args, ua, ut):
    x, coll, v = args
    g = _wp_goal(seq)
    x = _fresh_var(seq, x)
    for t in (coll, v):
        need_term(t)
        need(fv(t) <= seq.names(), "unknown variables in the cells' keys or value")
    need(k.sort_of(coll, seq.env()).name == "set", "the keys must be a set")
    k.sort_of(v, seq.env())
    y = fresh_name("k", seq.names() | {x})
    key = App("pair", (Var(x), Var(y)))
    cells = Sep(Atom("gmaster", (key, g.version, v)), Atom("glease", (key, g.version, v)))
    return (seq.add_var(x, Sort("gname")).add_spat(BigSep("set", (y,), coll, cells)),)


# ---- specs and leases -------------------------------------------------------------------------

def _spec_atoms(k, seq, spec, i, j, kind):
    if not (type(spec) is str and spec in k.specs):
        raise KernelError(f"unknown spec {spec!r}")
    _, _, src = _ref(seq, ("s", i))
    _, _, tok = _ref(seq, ("s", j))
    need(type(src) is Atom and src.kind == "source", "the first hypothesis is not source[e](σ)")
    need(type(tok) is Atom and tok.kind == kind, f"the second hypothesis is not a {kind} token")
    return k.specs[spec], src.args[0], src.args[1], tok


@rule("Perennial spec step (Table 1, refinement), a ghost update under a WP (fupd_wp): when "
      "step(op, σ, σ', v), source[e](σ) ∗ j ⤇[e] op ⇛ source[e](σ') ∗ j ⤇[e] ret v (the source holds the spec threads of its "
      "era, so a token steps only in its own era); an op that is undefined in σ lets the "
      "simulation end (the spec has no obligations after undefined behaviour)")
def r_spec_step(k, seq, args, ua, ut):
    from .crash import run_spec
    spec, i, j, choices = args
    _wp_goal(seq)       # a ghost update (|==>): only under a WP, which absorbs it (fupd_wp)
    need(i != j, "needs two different hypotheses")
    sp, era, sigma, tok = _spec_atoms(k, seq, spec, i, j, "spec")
    tera, jid, op = tok.args
    k.need_pure(seq, App("eq", (tera, era)), "that the token is of the source's era (a "
                "thread of an execution that crashed cannot step after the spec's crash step)")
    if not (type(op) is App and op.op in sp.ops):
        raise KernelError(f"{term_text(op)} is not an operation of {spec}")
    params, body = sp.ops[op.op]
    need(len(params) == len(op.args), f"{op.op} takes {len(params)} arguments")
    for (x, s), t in zip(params, op.args):
        k.fits(seq, t, s)
    out = run_spec(k, seq, sp, body, sigma, choices, params, op.args)
    ua.add(f"spec {spec}")
    if out[0] == "ub":
        return ()
    _, sigma2, v = out
    k.fits(seq, sigma2, sp.sort)     # the new state is of the state's sort (a u64 stays one)
    k.sort_of(v, seq.env())          # and the result well-sorted, as every term in a sequent
    return (seq.set_spat(i, Atom("source", (era, sigma2)))
            .set_spat(j, Atom("spec", (tera, jid, App("ret", (v,))))),)


@rule("Perennial crash refinement (Table 1), with eras, a ghost update under a WP: when "
      "crash(σ, σ'), source[e](σ) ∗ "
      "⤇[m] Crashing ⇛ source[m](σ') ∗ ⤇ Done; recovery at version m holds ⤇[m] Crashing "
      "only before its crash step, while the era is below m, and the step starts era m (the "
      "era of the operations that run after this recovery)")
def r_spec_crash(k, seq, args, ua, ut):
    from .crash import run_spec
    spec, i, j, choices = args
    _wp_goal(seq)       # a ghost update, like a spec step
    need(i != j, "needs two different hypotheses")
    sp, _, sigma, tok = _spec_atoms(k, seq, spec, i, j, "crashing")
    need(sp.crash is not None, f"{spec} has no crash step")
    out = run_spec(k, seq, sp, sp.crash, sigma, choices)
    need(out[0] == "ok", "the spec's crash step is undefined here")
    k.fits(seq, out[1], sp.sort)
    ua.add(f"spec {spec}")
    return (seq.set_spat(i, Atom("source", (tok.args[0], out[1]))).set_spat(j, Atom("done", ())),)


@rule("Iris mono_nat_lb_own_get: a spec token j ⤇[e] x holds a lower bound on the spec's era "
      "(eras only grow), so it gives the persistent spec_era(e)")
def r_spec_era(k, seq, args, ua, ut):
    (i,) = args
    _, _, tok = _ref(seq, ("s", i))
    need(type(tok) is Atom and tok.kind == "spec", "not a spec token j ⤇[e] x")
    return (seq.add_pers(Atom("spec_era", (tok.args[0],))),)


@rule("Iris mono_nat_lb_own_valid: source[e](σ) holds the spec's era, so source[e](σ) ∗ "
      "spec_era(k) ⊢ ⌜k ≤ e⌝")
def r_source_era(k, seq, args, ua, ut):
    i, j = args
    _, _, src = _ref(seq, ("s", i))
    _, _, lb = _ref(seq, ("p", j))
    need(type(src) is Atom and src.kind == "source", "the first hypothesis is not source[e](σ)")
    need(type(lb) is Atom and lb.kind == "spec_era", "the second hypothesis is not spec_era(k)")
    return (seq.add_pure(App("le", (lb.args[0], src.args[0]))),)


def _master_lease(k, seq, i, j):
    _, _, m = _ref(seq, ("s", i))
    _, _, l = _ref(seq, ("s", j))
    need(type(m) is Atom and type(l) is Atom and LEASED.get(m.kind) == l.kind,
         "needs a master and its lease")
    for a, b in zip(m.args[:-1], l.args[:-1]):   # (the same term: nothing to ask)
        if a != b:
            k.need_pure(seq, App("eq", (a, b)), "that master and lease are for one cell and "
                        "version")
    return m, l


@rule("Perennial recovery leases: a master and its lease are the authoritative and fragment "
      "parts of one ghost cell, so master[n](d[a], v) ∗ lease[n](d[a], w) ⊢ ⌜v = w⌝ (likewise "
      "every master/lease pair of crash.LEASED: gmaster/glease, the single disk's "
      "dmaster/dlease, dir, link and inode)")
def r_lease_agree(k, seq, args, ua, ut):
    i, j = args
    m, l = _master_lease(k, seq, i, j)
    return (seq.add_pure(App("eq", (m.args[-1], l.args[-1]))),)


@rule("Ghost update of a durable ghost cell (Iris ghost_var_update with fupd_wp): "
      "gmaster[n](k, v) ∗ glease[n](k, v) ⇛ gmaster[n](k, w) ∗ glease[n](k, w), inside a WP")
def r_wp_ghost_update(k, seq, args, ua, ut):
    i, j, w = args
    _wp_goal(seq)
    m, l = _master_lease(k, seq, i, j)
    need(m.kind == "gmaster", "only ghost cells are updated without a program step")
    need_term(w)
    need(fv(w) <= seq.names(), "the new value mentions unknown variables")
    k.sort_of(w, seq.env())     # well-sorted, as every term in a sequent
    return (seq.set_spat(i, Atom("gmaster", m.args[:-1] + (w,)))
            .set_spat(j, Atom("glease", l.args[:-1] + (w,))),)


@rule("A semantics' entailment axiom ∀xs. P ⊢ Q (listed by Print Assumptions): the named "
      "hypotheses prove P, and Q is added")
def r_axiom_entail(k, seq, args, ua, ut):
    name, inst, idxs = args
    if not (type(name) is str and name in k.axioms):
        raise KernelError(f"unknown axiom {name!r}")
    ax = k.axioms[name]
    need(ax.expr is None, f"{name} is a triple; use wp_axiom")
    terms, props = _instantiate(k, seq, ax.params, inst)
    idxs = _idxs(seq, idxs)
    ua.add(name)
    return (seq.only_spat(idxs).with_goal(subst(ax.pre, terms, props)),
            seq.drop_spat(idxs).add_spat(subst(ax.post, terms, props)))


# ---- theorems ------------------------------------------------------------------------------

@rule("A theorem ⊢ P gives ⊢ □P (bi.intuitionistically_intro'); schematic assertion "
      "variables are instantiated with timeless assertions")
def r_use_theorem(k, seq, args, ua, ut):
    name, inst = args
    if not (type(name) is str and name in k.theorems):
        raise KernelError(f"unknown theorem {name!r}")
    stmt = k.theorems[name].statement
    need(isinstance(stmt, Assertion), f"{name} is a crash theorem, not an assertion")
    from seplogic.syntax import avars
    _, props = _instantiate(k, seq, tuple((n, Sort("iProp")) for n in sorted(avars(stmt))), inst)
    ut.add(name)
    return (seq.add_pers(subst(stmt, {}, props)),)


# ---- convertibility -----------------------------------------------------------------------

def _convertible(k: Kernel, seq: Seq, a, b) -> None:
    """Check ``a ⊣⊢ b`` up to predicate unfolding and provably equal terms (a term pair is
    equal if the pure checker proves it, or, failing that, argument by argument)."""
    failed = []

    def prove(env, t1, t2):
        if k.entails(seq, App("eq", (t1, t2)), extra_env=env):
            return True
        failed.append((t1, t2))
        return False
    need(_conv(k, a, b, seq.env(), {}, {*seq.names(), *fv(a), *fv(b)}, prove, 0),
         "the new assertion does not match the old one" + (
             f" (cannot prove {term_text(failed[-1][0])} = {term_text(failed[-1][1])})" if failed else ""))


# binding forms: class -> (bound-variable field, body field)
_BINDS = {Exists: ("var", "body"), Forall: ("var", "body"), BigSep: ("vars", "body"),
          WP: ("var", "post")}


def _conv(k, a, b, env, bound, avoid, obl, depth) -> bool:
    """Structural comparison: terms by `obl` (else argument-wise), predicates equal or
    unfolded, binders renamed to one fresh variable, other fields (names, kinds, sorts, masks)
    equal.  ``bound``: the sorts of the binders' fresh variables (env: the sequent's)."""
    from seplogic.syntax import Expr, PredApp, Term
    need(depth < 200, "conversion too deep")
    rec = lambda x, y, bd=bound: _conv(k, x, y, env, bd, avoid, obl, depth + 1)    # noqa: E731
    ta, tb = type(a), type(b)
    if type(a) is tuple:
        return type(b) is tuple and len(a) == len(b) and all(map(rec, a, b))
    if a == b or not isinstance(a, (Term, Expr, Assertion)):
        return a == b
    if isinstance(a, Term) and isinstance(b, Term):
        if alpha_eq(a, b) or obl(dict(bound), a, b):
            return True
        # congruence: equal arguments give equal applications
        return ta is App and tb is App and a.op == b.op and rec(a.args, b.args)
    if ta is PredApp and (tb is not PredApp or a.name != b.name):
        return rec(k.unfold_pred(a), b)
    if tb is PredApp and ta is not PredApp:
        return rec(a, k.unfold_pred(b))
    if ta is not tb:
        return False
    if ta is PredApp:   # same predicate: equal arguments, or else the same meaning
        return rec(a.args, b.args) or rec(k.unfold_pred(a), k.unfold_pred(b))
    xs_f, body_f = _BINDS.get(ta, (None, None))
    for f in ta.__slots__:
        if f not in (xs_f, body_f) and not rec(getattr(a, f), getattr(b, f)):
            return False
    if xs_f is None:
        return True
    xa, xb = getattr(a, xs_f), getattr(b, xs_f)
    xa, xb = ((xa,), (xb,)) if type(xa) is str else (xa, xb)
    sorts = ([a.sort] if ta in (Exists, Forall) else [VAL] if ta is WP
             else k.elem_sorts(a, {**env, **bound}))
    ren_a, ren_b, bd = {}, {}, dict(bound)
    need(len(xa) == len(xb) == len(sorts), "binders differ")
    for x, y, s in zip(xa, xb, sorts):
        z = fresh_name(x, avoid | set(bd))
        avoid.add(z)
        ren_a[x], ren_b[y], bd[z] = Var(z), Var(z), s
    return rec(subst(getattr(a, body_f), ren_a), subst(getattr(b, body_f), ren_b), bd)
