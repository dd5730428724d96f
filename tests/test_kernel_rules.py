"""Unit tests per kernel rule: each rule's intended use, and its misuse rejected."""
import pytest

from driver.load import make_kernel
from kernel.rules import RULES
from kernel.sequent import Seq
from kernel.wf import KernelError
from seplogic.parser import parse_assertion, parse_expr, parse_sort, parse_term
from seplogic.syntax import (
    Atom, Inv, Persistently, Sep, Sort, Var, WP,
)

K = make_kernel()
K.define_predicate("P1", (("x", Sort("u64")),), parse_assertion("⌜x < 10⌝"))
K.define_function("inc", ("x",), parse_expr("x + 1"))


def A(s, avars=()):
    return parse_assertion(s, avars=frozenset(avars))


def T(s):
    return parse_term(s)


def seq(vars="", pure=(), pers=(), spat=(), goal="emp"):
    vs = []
    for part in filter(None, (p.strip() for p in vars.split(","))):
        n, s = (x.strip() for x in part.split(":"))
        vs.append((n, parse_sort(s)))
    return Seq(tuple(vs), tuple(T(p) for p in pure), tuple(A(p) for p in pers),
               tuple(A(p) for p in spat), A(goal) if isinstance(goal, str) else goal)


def apply(rule, s, *args):
    return RULES[rule].apply(K, s, tuple(args), set(), set())


def rejects(rule, s, *args, match=None):
    with pytest.raises(KernelError, match=match):
        apply(rule, s, *args)


V = "n : nat, l : loc, v : val, w : val"


# ---- structural -----------------------------------------------------------------------------

def test_assumption():
    s = seq(V, spat=["l ↦[n] v"], goal="l ↦[n] v")
    assert apply("assumption", s, ("s", 0)) == ()
    rejects("assumption", seq(V, spat=["l ↦[n] v"], goal="l ↦[n] w"), ("s", 0))
    rejects("assumption", s, ("s", 1), match="no spatial")
    rejects("assumption", s, ("x", 0))


@pytest.mark.parametrize("rule", ["assumption", "clear", "hyp_pure", "sep_elim", "or_elim"])
@pytest.mark.parametrize("args", [(), (("s", 0), ("s", 0)), (("s", 0), 0)])
def test_a_rule_of_one_reference_refuses_another_number_of_arguments(rule, args):
    """These rules take their one hypothesis reference as `_ref(seq, *args)`: any other
    number of arguments is a malformed derivation, which Kernel.check rejects."""
    s = seq(V, spat=["⌜v = v⌝ ∗ ⌜w = w⌝ ∨ ⌜v = v⌝"], goal="⌜v = v⌝ ∗ ⌜w = w⌝ ∨ ⌜v = v⌝")
    with pytest.raises(KernelError, match="malformed arguments"):
        K.check(s, (rule, args, ()), set(), set())


def test_assumption_up_to_alpha():
    s = seq(V, spat=["∃ (a : u64). l ↦[n] a"], goal="∃ (b : u64). l ↦[n] b")
    assert apply("assumption", s, ("s", 0)) == ()


def test_clear_and_emp():
    s = seq(V, spat=["l ↦[n] v"], goal="emp")
    (p,) = apply("clear", s, ("s", 0))
    assert p.spat == ()
    assert apply("emp_intro", p) == ()
    rejects("emp_intro", seq(V, goal="l ↦[n] v"))


def test_pure_intro_and_contra():
    s = seq("x : u64", pure=["x < 5"], goal="⌜x + 1 ≤ 5⌝")
    assert apply("pure_intro", s) == ()
    rejects("pure_intro", seq("x : u64", pure=["x < 5"], goal="⌜x + 1 < 5⌝"), match="pure")
    assert apply("pure_contra", seq("x : u64", pure=["x < 0"], goal="l ↦[n] v")) == ()
    rejects("pure_contra", seq("x : u64", pure=["x < 1"], goal="emp"))


def test_hyp_pure():
    (p,) = apply("hyp_pure", seq("x : u64", spat=["⌜x = 3⌝"]), ("s", 0))
    assert p.pure == (T("x = 3"),) and p.spat == ()
    rejects("hyp_pure", seq(V, spat=["l ↦[n] v"]), ("s", 0), match="not pure")


def test_persistent_hypotheses():
    (p,) = apply("hyp_pers", seq(V, spat=["□ l ↦[n] v"]), 0)
    assert p.pers == (A("l ↦[n] v"),)
    (p,) = apply("hyp_pers", seq(V, spat=["inv(N, l ↦[n] v)"]), 0)
    assert type(p.pers[0]) is Inv
    rejects("hyp_pers", seq(V, spat=["l ↦[n] v"]), 0, match="not persistent")
    # copying a persistent hypothesis is derived: cut it, prove it by assumption
    s = seq(V, pers=["inv(N, l ↦[n] v)"])
    first, rest = apply("cut", s, s.pers[0], ())
    assert apply("assumption", first, ("p", 0)) == () and rest.spat == rest.pers
    first, _ = apply("cut", seq(V, spat=["l ↦[n] v"]), A("l ↦[n] v"), ())
    rejects("assumption", first, ("s", 0), match="no spatial hypothesis")   # not duplicable


def test_sep_elim_and_intro():
    (p,) = apply("sep_elim", seq(V, spat=["l ↦[n] v ∗ ⌜v = w⌝"]), ("s", 0))
    assert p.spat == (A("l ↦[n] v"), A("⌜v = w⌝"))
    rejects("sep_elim", seq(V, spat=["l ↦[n] v"]), ("s", 0))
    s = seq(V, spat=["l ↦[n] v", "tok(v)"], goal="l ↦[n] v ∗ tok(v)")
    left, right = apply("sep_intro", s, (0,))
    assert left.spat == (A("l ↦[n] v"),) and right.spat == (A("tok(v)"),)
    rejects("sep_intro", s, (0, 0), match="only once")
    rejects("sep_intro", s, (5,))


def test_spatial_hypothesis_cannot_be_used_twice():
    """Splitting gives a hypothesis to one side only: the other side cannot use it."""
    s = seq(V, spat=["l ↦[n] v"], goal="l ↦[n] v ∗ l ↦[n] v")
    left, right = apply("sep_intro", s, (0,))
    assert apply("assumption", left, ("s", 0)) == ()
    rejects("assumption", right, ("s", 0))


def test_and_or():
    (p,) = apply("and_elim", seq(V, spat=["l ↦[n] v ∧ ⌜v = w⌝"]), ("s", 0), 1)
    assert p.spat == (A("⌜v = w⌝"),)
    a, b = apply("or_elim", seq(V, spat=["l ↦[n] v ∨ ⌜v = w⌝"]), ("s", 0))
    assert a.spat == (A("l ↦[n] v"),) and b.spat == (A("⌜v = w⌝"),)
    a, b = apply("and_intro", seq(V, goal="emp ∧ emp"))
    (p,) = apply("or_intro", seq(V, goal="emp ∨ l ↦[n] v"), 1)
    assert p.goal == A("l ↦[n] v")
    rejects("or_intro", seq(V, goal="emp"), 0)


def test_quantifiers():
    (p,) = apply("exists_elim", seq(V, spat=["∃ (x : u64). l ↦[n] x"]), ("s", 0), "y")
    assert ("y", Sort("u64")) in p.vars and p.spat == (A("l ↦[n] y"),)
    rejects("exists_elim", seq(V, spat=["∃ (x : u64). l ↦[n] x"]), ("s", 0), "v",
            match="not fresh")
    (p,) = apply("forall_intro", seq(V, goal="∀ (x : u64). ⌜x = x⌝"), "z")
    assert p.goal == A("⌜z = z⌝")
    (p,) = apply("exists_intro", seq(V, goal="∃ (x : u64). ⌜x = 1⌝"), T("1"))
    assert p.goal == A("⌜1 = 1⌝")
    (p,) = apply("forall_elim", seq(V, spat=["∀ (x : u64). l ↦[n] x"]), ("s", 0), T("3"))
    assert p.spat == (A("l ↦[n] 3"),)


def test_quantifier_sorts_are_enforced():
    s = seq(V, goal="∃ (x : u64). ⌜x = x⌝")
    rejects("exists_intro", s, T("true"), match="sort")
    rejects("exists_intro", s, T("v"), match="sort")         # a val need not be a number
    rejects("exists_intro", seq("y : int", goal="∃ (x : u64). ⌜x = x⌝"), T("y"), match="0 ≤")
    (p,) = apply("exists_intro", seq("y : int", pure=["0 ≤ y", "y < 7"],
                                     goal="∃ (x : u64). ⌜x = x⌝"), T("y"))
    rejects("exists_intro", s, T("unknown_var"), match="unknown")


def test_a_sort_check_is_remembered_with_its_variables_sorts():
    """check_assertion remembers a success with the sorts of the assertion's variables: the
    same assertion over other sorts is checked again (and refused when ill-sorted there)."""
    from driver.load import make_kernel
    k = make_kernel()
    k.define_predicate("Small", (("x", Sort("u64")),), A("⌜x < 10⌝"))
    for a, good, bad in ((A("⌜x < 1⌝"), "u64", "list u64"), (A("Small(x)"), "u64", "bool"),
                         (A("∃ (y : u64). ⌜y = x⌝"), "u64", "bool")):
        for _ in range(2):
            k.check_assertion(a, {"x": parse_sort(good)})
            with pytest.raises(KernelError):
                k.check_assertion(a, {"x": parse_sort(bad)})
        k.check_assertion(a, {"x": parse_sort(good), "z": parse_sort(bad)})  # z not in a
        with pytest.raises(KernelError):
            k.check_assertion(a, {"z": parse_sort(good)})                       # x unknown


def test_wands():
    (p,) = apply("wand_intro", seq(V, goal="l ↦[n] v -∗ l ↦[n] v"))
    assert p.spat == (A("l ↦[n] v"),)
    s = seq(V, spat=["l ↦[n] v -∗ tok(v)", "l ↦[n] v"], goal="tok(v)")
    prem, rest = apply("wand_elim", s, ("s", 0), (1,))
    assert prem.goal == A("l ↦[n] v") and prem.spat == (A("l ↦[n] v"),)
    assert rest.spat == (A("tok(v)"),)
    rejects("wand_elim", s, ("s", 0), (0,), match="own premise")
    rejects("wand_elim", s, ("s", 1), (0,), match="not a wand")


def test_pers_intro_drops_spatial():
    (p,) = apply("pers_intro", seq(V, pers=["inv(N, emp)"], spat=["l ↦[n] v"],
                                   goal="□ l ↦[n] v"))
    assert p.spat == () and p.goal == A("l ↦[n] v")


def test_cut():
    s = seq(V, spat=["l ↦[n] v"], goal="l ↦[n] v")
    a, b = apply("cut", s, A("l ↦[n] v"), (0,))
    assert a.goal == A("l ↦[n] v") and b.spat == (A("l ↦[n] v"),)
    rejects("cut", s, A("l ↦[n] undefined_var"), ())


def test_convert_unfolds_and_rewrites():
    s = seq("x : u64", pure=["x = 3"], spat=["P1(x)"], goal="emp")
    (p,) = apply("convert", s, ("s", 0), A("⌜3 < 10⌝"))
    assert p.spat == (A("⌜3 < 10⌝"),)
    rejects("convert", s, ("s", 0), A("⌜10 < 4⌝"))
    rejects("convert", s, ("s", 0), A("⌜x < 10⌝ ∗ ⌜x < 10⌝"))


def test_sep_ac():
    s = seq(V, spat=["l ↦[n] v ∗ (tok(v) ∗ emp)"])
    (p,) = apply("sep_ac", s, ("s", 0), A("tok(v) ∗ l ↦[n] v"))
    rejects("sep_ac", s, ("s", 0), A("tok(v) ∗ tok(v) ∗ l ↦[n] v"), match="lacks")
    rejects("sep_ac", s, ("s", 0), A("tok(v)"), match="drops")


def test_exclusive_resources():
    s = seq(V, spat=["tok(v)", "tok(v)"], goal="l ↦[n] v")
    assert apply("excl", s, 0, 1) == ()
    rejects("excl", seq(V, spat=["tok(v)", "tok(w)"]), 0, 1, match="keys")
    assert apply("excl", seq(V, spat=["l ↦[n] v", "l ↦[n] w"]), 0, 1) == ()
    rejects("excl", seq(V + ", m : nat", spat=["l ↦[n] v", "l ↦[m] w"]), 0, 1)
    rejects("excl", seq(V, spat=["tok(v)"]), 0, 0)
    rejects("excl", seq(V, spat=["failed(v)", "failed(v)"]), 0, 1, match="not exclusive")


# ---- big separating conjunction ---------------------------------------------------------

def test_bigsep_empty():
    assert apply("bigsep_empty", seq("N : u64", pure=["N = 0"],
                                     goal="[∗ set] i ∈ range(0, N). tok(i)")) == ()
    rejects("bigsep_empty", seq("N : u64", goal="[∗ set] i ∈ range(0, N). tok(i)"))


def test_bigsep_split_needs_membership():
    s = seq("S : set u64, x : u64", pure=["x ∈ S"], spat=["[∗ set] i ∈ S. tok(i)"])
    (p,) = apply("bigsep_split", s, ("s", 0), T("x"), None)
    assert p.spat[0] == A("tok(x) ∗ [∗ set] i ∈ S ∖ {[x]}. tok(i)")
    rejects("bigsep_split", seq("S : set u64, x : u64", spat=["[∗ set] i ∈ S. tok(i)"]),
            ("s", 0), T("x"), None, match="in the set")


def test_bigsep_mono_and_sep():
    s = seq("S : set u64", spat=["[∗ set] i ∈ S. tok(i)"], goal="[∗ set] j ∈ S. tok(j)")
    (p,) = apply("bigsep_mono", s, 0)
    assert p.spat == () and p.goal == A("∀ (j : u64). ⌜j ∈ S⌝ -∗ tok(j) -∗ tok(j)")
    (p,) = apply("bigsep_sep", seq("S : set u64", spat=["[∗ set] i ∈ S. tok(i) ∗ locked(i)"]),
                 ("s", 0))
    assert type(p.spat[0]) is Sep


def test_nat_induction():
    a, b = apply("nat_induct", seq("", goal="∀ (k : nat). ⌜k + 0 = k⌝"))
    assert a.goal == A("⌜0 + 0 = 0⌝")
    rejects("nat_induct", seq("", goal="∀ (k : u64). ⌜k = k⌝"), match="nat")


# ---- weakest preconditions -------------------------------------------------------------------

def wp(expr, post="True", n="n", opened=()):
    return WP(T(n), tuple(opened), parse_expr(expr), "r", A(post))


def test_wp_value_bind_pure():
    (p,) = apply("wp_value", seq(V, goal=wp("#v", "⌜r = v⌝")))
    assert p.goal == A("⌜v = v⌝")
    rejects("wp_value", seq(V, goal=wp("!#l")))
    (p,) = apply("wp_bind", seq(V, goal=wp("let x := !#l in x")), "y")
    assert p.goal.expr == parse_expr("!#l")
    rejects("wp_bind", seq(V, goal=wp("!#l")), "y", match="nothing to bind")
    rejects("wp_bind", seq(V, goal=wp("let x := !#l in x")), "v", match="fresh")
    (p,) = apply("wp_pure", seq(V, goal=wp("let x := 1 + 2 in x")))
    assert p.goal.expr == parse_expr("let x := #(add64(1, 2)) in x")
    (p,) = apply("wp_pure", seq(V, goal=wp("inc(3)")))
    assert p.goal.expr == parse_expr("3 + 1")
    rejects("wp_pure", seq(V, goal=wp("!#l")), match="no pure step")


def test_wp_pure_refuses_stuck_programs():
    rejects("wp_pure", seq(V, goal=wp("#v + 1")), match="stuck")
    rejects("wp_pure", seq("x : u64", goal=wp("10 / #x")), match="non-zero")
    (p,) = apply("wp_pure", seq("x : u64", pure=["x > 0"], goal=wp("10 / #x")))
    rejects("wp_pure", seq(V, goal=wp("nosuchfn(1)")), match="undefined")


def test_wp_if_is_derived():
    """wp_if is pure_cases, then convert of the condition, then wp_pure."""
    a, b = apply("pure_cases", seq("n : nat, c : bool", goal=wp("if #c then 1 else 2")), T("c"))
    assert a.pure == (T("c"),) and b.pure == (T("~c"),)
    rejects("pure_cases", seq(V, goal=wp("if #v then 1 else 2")), T("v"), match="boolean")
    (a,) = apply("convert", a, ("goal",), wp("if true then 1 else 2"))
    (a,) = apply("wp_pure", a)
    assert a.goal == wp("1")
    # the condition converts only to the literal it provably equals
    rejects("convert", b, ("goal",), wp("if true then 1 else 2"), match="does not match")


def test_wp_axiom_load_and_versions():
    s = seq(V, spat=["l ↦[n] v"], goal=wp("!#l", "⌜r = v⌝"))
    inst = (("n", T("n")), ("l", T("l")), ("v", T("v")))
    (p,) = apply("wp_axiom", s, "heap_load", inst)
    assert type(p.goal) is Sep and p.goal.left == A("l ↦[n] v")
    # a points-to at another version: the axiom instance is not about the goal's version
    s2 = seq(V + ", m : nat", spat=["l ↦[m] v"], goal=wp("!#l", "⌜r = v⌝"))
    rejects("wp_axiom", s2, "heap_load", (("n", T("m")), ("l", T("l")), ("v", T("v"))),
            match="version")
    rejects("wp_axiom", s, "heap_load", (("n", T("n")), ("l", T("v")), ("v", T("v"))),
            match="sort")
    rejects("wp_axiom", s, "heap_store", inst + (("w", T("v")),), match="another program")
    rejects("wp_axiom", s, "heap_load", inst[:2], match="instantiate exactly")
    rejects("wp_axiom", s, "no.such.axiom", inst, match="unknown axiom")


def test_lock_axioms_need_full_mask_and_timeless_invariant():
    s = seq("n : nat, lk : loc", pers=["inv(N, emp)"], goal=wp("release(#lk)", opened=("N",)))
    inst = (("n", T("n")), ("lk", T("lk")), ("R", A("emp")))
    rejects("wp_axiom", s, "lock_release", inst, match="full mask")
    s = seq("n : nat", goal=wp("newlock()"))
    rejects("wp_axiom", s, "lock_new", (("n", T("n")), ("R", A("inv(N, emp)"))),
            match="timeless")


def test_wp_inv_open_rules():
    inv_hyp = "inv(N, ∃ (x : u64). l ↦[n] x)"
    s = seq(V, pers=[inv_hyp], goal=wp("atomic_load(#l)"))
    (p,) = apply("wp_inv_open", s, 0)
    assert p.goal.opened == ("N",) and len(p.spat) == 1
    # opened twice
    rejects("wp_inv_open", p, 0, match="already open")
    # around a non-atomic program
    rejects("wp_inv_open", seq(V, pers=[inv_hyp], goal=wp("let x := atomic_load(#l) in #x")),
            0, match="atomic")
    rejects("wp_inv_open", seq(V, pers=[inv_hyp], goal=wp("inc(1)")), 0, match="atomic")
    rejects("wp_inv_open", seq(V, spat=[inv_hyp], goal=wp("atomic_load(#l)")), 0)
    # plain memory accesses are not atomic (race freedom)
    for e in ("!#l", "#l <- 1", "slice_get(#l, 0)", "slice_set(#l, 0, 1)",
              "slice_append(#l, 1)", "slice_append_slice(#l, #l)", "map_get(#l, 0)",
              "map_insert(#l, 0, 1)", "string_from_bytes(#l)"):
        rejects("wp_inv_open", seq(V, pers=[inv_hyp], goal=wp(e)), 0, match="atomic")
    for e in ("atomic_store(#l, 1)", "cas(#l, 0, 1)", "ref(1)", "disk_read(0, 0)"):
        apply("wp_inv_open", seq(V, pers=[inv_hyp], goal=wp(e)), 0)


def test_wp_inv_ghost_rules():
    """Opening an invariant for ghost steps only: the premise must give the contents back
    before the program runs (the goal is P ∗ the same WP, at the same mask)."""
    inv_hyp = "inv(N, ∃ (x : u64). l ↦[n] x)"
    s = seq(V, pers=[inv_hyp], goal=wp("let x := !#l in #x"))
    (p,) = apply("wp_inv_ghost", s, 0)
    assert p.spat == (A("∃ (x : u64). l ↦[n] x"),)
    assert type(p.goal) is WP and p.goal.opened == ("N",) and p.goal.expr == parse_expr("()")
    assert p.goal.post == Sep(A("∃ (x : u64). l ↦[n] x"), s.goal)
    rejects("wp_inv_ghost", seq(V, spat=[inv_hyp], goal=wp("!#l")), 0)
    rejects("wp_inv_ghost", seq(V, pers=["l ↦[n] v"], goal=wp("!#l")), 0,
            match="not an invariant")
    rejects("wp_inv_ghost", seq(V, pers=[inv_hyp], goal=A("emp")), 0,
            match="weakest precondition")
    (o,) = apply("wp_inv_open", seq(V, pers=[inv_hyp], goal=wp("atomic_load(#l)")), 0)
    rejects("wp_inv_ghost", o, 0, match="already open")


def test_wp_inv_open_does_not_capture_the_invariants_variables():
    """The result binder of the WP must not capture a variable of the invariant: with the
    binder named r, closing inv(N, ⌜r = 7⌝ ∨ tok(g)) after a step returning 7 would need only
    ⌜7 = 7⌝ and keep tok(g) -- opened again, a second tok(g)."""
    s = seq("n : nat, r : u64, g : gname", pers=["inv(N, ⌜r = 7⌝ ∨ tok(g))"],
            goal=WP(T("n"), (), parse_expr("7"), "r", A("True")))
    (p,) = apply("wp_inv_open", s, 0)
    assert p.goal.var != "r" and p.goal.post.left == A("⌜r = 7⌝ ∨ tok(g)")
    (v,) = apply("wp_value", p)
    assert v.goal == A("(⌜r = 7⌝ ∨ tok(g)) ∗ True")


def test_kept_open_invariant_cannot_cover_the_next_step():
    """After opening around an atomic load, the goal is about it alone: the continuation is
    outside."""
    s = seq(V, pers=["inv(N, emp)"], goal=wp("let x := atomic_load(#l) in !#l"))
    (b,) = apply("wp_bind", s, "y")
    (o,) = apply("wp_inv_open", b, 0)
    assert o.goal.expr == parse_expr("atomic_load(#l)") and o.goal.opened == ("N",)
    inner_post = o.goal.post
    assert type(inner_post) is Sep and type(inner_post.right) is WP
    assert inner_post.right.opened == ()   # the rest runs with the invariant closed


def test_wp_inv_alloc_and_tokens():
    (p,) = apply("wp_inv_alloc", seq(V, spat=["l ↦[n] v"], goal=wp("#v")), 0, "N")
    assert p.pers == (Inv("N", A("l ↦[n] v")),) and p.spat == ()
    rejects("wp_inv_alloc", seq(V, spat=["inv(M, emp)"], goal=wp("#v")), 0, "N",
            match="timeless")
    (p,) = apply("wp_tok_alloc", seq(V, goal=wp("#v")), "g")
    assert p.spat == (Atom("tok", (Var("g"),)),)
    rejects("wp_tok_alloc", seq(V, goal="emp"), "g")


def test_wp_fork_and_loop_and_wand():
    s = seq(V, spat=["l ↦[n] v"], goal=wp("fork { !#l }"))
    child, main = apply("wp_fork", s, (0,))
    assert child.spat == (A("l ↦[n] v"),) and main.spat == ()
    (p,) = apply("wp_loop", seq(V, goal=wp("loop { continue }")), A("emp"))
    assert type(p.goal) is Sep and type(p.goal.right) is Persistently
    rejects("wp_loop", seq(V, goal=wp("!#l")), A("emp"), match="not a loop")
    h = wp("!#l", "⌜r = v⌝")
    s = Seq(tuple((n, parse_sort(x)) for n, x in [("n", "nat"), ("l", "loc"), ("v", "val")]),
            (), (), (h,), wp("!#l", "True"))
    (p,) = apply("wp_wand", s, 0)
    assert p.spat == ()
    s_other = Seq(s.vars, (), (), (wp("!#l", "True", n="n"),), wp("ref(#v)", "True"))
    rejects("wp_wand", s_other, 0, match="another program")


def test_use_theorem_requires_known_theorem():
    k = make_kernel()
    with pytest.raises(KernelError, match="unknown theorem"):
        RULES["use_theorem"].apply(k, seq(), ("nope", ()), set(), set())


def test_every_rule_has_a_justification_and_a_test():
    src = open(__file__, encoding="utf-8").read()
    for name, r in RULES.items():
        assert len(r.justification) > 20, name
        assert f'"{name}"' in src, f"no unit test mentions rule {name}"


# ---- specs, leases, entailment axioms (issue #3) -------------------------------------------

K.define_spec("Cnt", "σ", Sort("u64"))
K.define_spec_op("Cnt", "Inc", (), parse_expr("modify(#(σ + 1))"))
K.define_spec_crash("Cnt", parse_expr("modify(0)"))


UNIT_WP = "WP[0] () {r. True}"


def sseq(*args, **kw):
    """A sequent whose goal is a WP: spec steps are ghost updates, taken only under one."""
    return seq(*args, goal=UNIT_WP, **kw)


def test_spec_step_rule():
    s = sseq("j : val", spat=["source[0](1)", "j ⤇[0] Inc()"])
    (p,) = apply("spec_step", s, "Cnt", 0, 1, ())
    assert p.spat[1] == A("j ⤇[0] ret(())") and p.spat[0].args[1] == T("1 + 1")
    rejects("spec_step", s, "Cnt", 1, 0, (), match="source")
    rejects("spec_step", s, "Nope", 0, 1, (), match="unknown spec")
    rejects("spec_step", s, "Cnt", 0, 0, (), match="two different")
    rejects("spec_step", sseq("j : val", spat=["source[0](1)", "j ⤇[0] Dec()"]), "Cnt", 0, 1, (),
            match="not an operation")
    rejects("spec_step", s, "Cnt", 0, 1, (T("3"),), match="more witnesses")
    # a ghost update: only under a WP (fupd_wp), never as a plain entailment
    rejects("spec_step", s.with_goal(A("source[0](2) ∗ j ⤇[0] ret(())")), "Cnt", 0, 1, (),
            match="weakest precondition")


def test_spec_step_needs_the_token_of_the_source_era():
    """A token of an era the source has left (a thread of a crashed execution, after the
    spec's crash step) cannot step; of the same era up to pure facts it can."""
    rejects("spec_step", sseq("j : val, e : nat", spat=["source[e + 1](1)", "j ⤇[e] Inc()"]),
            "Cnt", 0, 1, (), match="era")
    rejects("spec_step", sseq("j : val, e : nat, f : nat",
                             spat=["source[f](1)", "j ⤇[e] Inc()"]), "Cnt", 0, 1, (),
            match="era")
    (p,) = apply("spec_step", sseq("j : val, e : nat, f : nat", pure=["e = f"],
                                  spat=["source[f](1)", "j ⤇[e] Inc()"]), "Cnt", 0, 1, ())
    assert p.spat[1] == A("j ⤇[e] ret(())") and p.spat[0] == A("source[f](1 + 1)")


def test_spec_era_and_source_era_rules():
    s = seq("j : val, e : nat, f : nat", spat=["source[f](1)", "j ⤇[e] Inc()"])
    (p,) = apply("spec_era", s, 1)
    assert p.pers == (A("spec_era(e)"),) and p.spat == s.spat
    rejects("spec_era", s, 0, match="not a spec token")
    (q,) = apply("source_era", p, 0, 0)
    assert q.pure == (T("e ≤ f"),)
    rejects("source_era", p, 1, 0, match="source")
    rejects("source_era", seq("f : nat", pers=["failed(f)"], spat=["source[f](1)"]), 0, 0,
            match="spec_era")


def test_spec_crash_rule():
    s = sseq("", spat=["source[0](5)", "⤇[1] Crashing"])
    (p,) = apply("spec_crash", s, "Cnt", 0, 1, ())
    assert p.spat == (A("source[1](0)"), A("⤇ Done"))
    rejects("spec_crash", sseq("", spat=["source[0](5)", "⤇ Done"]), "Cnt", 0, 1, (),
            match="Crashing|crashing")


@pytest.mark.parametrize("choices", [[], [T("3")], None, "x"])
def test_spec_steps_take_their_witnesses_as_a_tuple(choices):
    """Both spec rules (run_spec checks it for them): a hand-edited certificate's list, None
    or string of witnesses is refused, never iterated."""
    rejects("spec_step", sseq("j : val", spat=["source[0](1)", "j ⤇[0] Inc()"]), "Cnt", 0, 1,
            choices, match="choices must be a tuple")
    rejects("spec_crash", sseq("", spat=["source[0](5)", "⤇[1] Crashing"]), "Cnt", 0, 1,
            choices, match="choices must be a tuple")


def test_lease_agree_rule():
    s = seq("n : nat, a : u64, v : val, w : val",
            spat=["master[n](0[a], v)", "lease[n](0[a], w)"])
    (p,) = apply("lease_agree", s, 0, 1)
    assert p.pure == (T("v = w"),)
    rejects("lease_agree", seq("n : nat, a : u64, v : val, w : val",
                               spat=["master[n](0[a], v)", "lease[n](1[a], w)"]), 0, 1,
            match="one cell")
    rejects("lease_agree", s, 1, 0, match="needs a master")


def test_axiom_entail_rule():
    s = seq("", pers=["failed(0)", "failed(1)"], goal="False")
    prem, rest = apply("axiom_entail", s, "twodisk_one_fails",
                       (("d1", T("0")), ("d2", T("1"))), ())
    assert prem.goal == A("failed(0) ∗ failed(1) ∗ ⌜0 ≠ 1⌝") and rest.spat == (A("False"),)
    rejects("axiom_entail", s, "heap_load", (), (), match="triple")
    rejects("axiom_entail", s, "twodisk_one_fails", (("d1", T("0")),), (), match="exactly")


def test_wp_ghost_update_rule():
    s = seq("n : nat, a : u64, v : val", spat=["gmaster[n](a, None)", "glease[n](a, None)"],
            goal=wp("#v"))
    (p,) = apply("wp_ghost_update", s, 0, 1, T("Some(v)"))
    assert p.spat == (A("gmaster[n](a, Some(v))"), A("glease[n](a, Some(v))"))
    rejects("wp_ghost_update", seq("n : nat, a : u64, v : val",
                                   spat=["gmaster[n](a, None)", "glease[n](a, None)"]),
            0, 1, T("v"), match="weakest")
    rejects("wp_ghost_update", seq("n : nat, a : u64, v : val",
                                   spat=["master[n](0[a], v)", "lease[n](0[a], v)"],
                                   goal=wp("#v")), 0, 1, T("v"), match="ghost cells")
    rejects("wp_ghost_update", seq("n : nat, a : u64, v : val",
                                   spat=["gmaster[n](a, None)", "glease[n + 1](a, None)"],
                                   goal=wp("#v")), 0, 1, T("v"), match="one cell")


def test_pure_cases_rule():
    a, b = apply("pure_cases", seq("x : u64", goal="emp"), T("x < 3"))
    assert a.pure == (T("x < 3"),) and b.pure == (T("~(x < 3)"),)
    rejects("pure_cases", seq("x : u64"), T("x + 1"), match="boolean")
    rejects("pure_cases", seq("x : u64"), T("y < 3"), match="unknown")


def test_ghost_alloc_rule():
    s = seq("n : nat, N : u64", goal="WP[n] () {r. True}")
    (p,) = apply("wp_ghost_alloc", s, "γ", T("range(0, N)"), T("None"))
    assert p.vars[-1][0] == "γ" and p.spat == (
        A("[∗ set] k ∈ range(0, N). gmaster[n]((γ, k), None) ∗ glease[n]((γ, k), None)"),)
    rejects("wp_ghost_alloc", s, "n", T("range(0, N)"), T("None"), match="not fresh")
    rejects("wp_ghost_alloc", s, "γ", T("N"), T("None"), match="set")
    rejects("wp_ghost_alloc", s, "γ", T("range(0, M)"), T("None"), match="unknown")
    rejects("wp_ghost_alloc", seq("N : u64"), "γ", T("range(0, N)"), T("None"),
            match="weakest precondition")
