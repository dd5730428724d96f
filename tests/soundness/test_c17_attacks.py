"""Outside-style attacks on session 7's trusted changes (issue 13 audit): every attack here failed
(pv refused what it must, or answered as the definitions say); kept as regression tests, each
checked to fail on a deliberate mutation of the code it guards (see the report of branch
attack7).

* A sequent's scope (names, sorts), made once and shared: it agrees with ``dict(vars)`` after
  every rule that makes a premise, after `add_var` of a name already present, after copies and
  pickles; a binder name in scope cannot be reused; what `env()`/`names()` return is read-only.
* The pure checker's memo: a context found by the identity of its tuples (ids reused after
  garbage collection), an answer "this other group is consistent" never read as "this context
  is contradictory", a warm kernel pickled, a definition undone and redefined in the REPL.
* Hypothesis indices (negative, bools, duplicates, huge, non-ints) in every rule that takes
  them, directly and in hand-edited certificates; dropping and keeping hypotheses split them.
* `check_assertion`'s closedness test against a remembered success; conversion under binders
  (the avoid set it extends).
"""
import copy
import json
import os
import pickle
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from kernel.core import Kernel
from kernel.rules import RULES
from kernel.sequent import Seq
from kernel.wf import KernelError
from seplogic import serial
from seplogic.syntax import (
    BOOL, INT, NAT, U64, App, Atom, Emp, Exists, Forall, Lit, Persistently, Pure, Sep, Sort,
    Var, Wand,
)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GNAME = Sort("gname")


def app(op, *args):
    return App(op, tuple(args))


def tok(x):
    return Atom("tok", (Var(x),))


def lt(a, b):
    return app("lt", a, b)


def eq(a, b):
    return app("eq", a, b)


ZERO, ONE = Lit("int", 0), Lit("int", 1)


def step(k, s, rule, *args):
    """One rule application as `Kernel.check` makes it (its exceptions mapped the same way)."""
    try:
        return RULES[rule].apply(k, s, tuple(args), set(), set())
    except (ValueError, TypeError, IndexError, AttributeError, KeyError) as e:
        raise KernelError(f"{rule}: malformed arguments ({type(e).__name__})") from None


def scope_ok(s: Seq) -> bool:
    names, env = s.names(), s.env()
    return (set(names) == {n for n, _ in s.vars} and len(names) == len(set(names))
            and not hasattr(names, "add") and dict(env) == dict(s.vars))


# ---- 1. scopes ----------------------------------------------------------------------------------

def test_every_premise_a_rule_makes_has_the_scope_of_its_variables():
    """Premises made by each Seq method (add_var, with_goal, set_spat, add_spat, drop_spat,
    only_spat, add_pure, add_pers) through the kernel's rules: names and sorts are
    those of their own variables, never their parent's."""
    k = Kernel()
    body = Wand(Sep(tok("g"), Sep(Pure(lt(Var("y"), Lit("int", 3))), Persistently(Emp()))),
                Sep(tok("g"), Exists("z", NAT, Pure(eq(Var("z"), Var("y"))))))
    stmt = Forall("y", U64, Forall("g", GNAME, body))
    s = Seq(goal=stmt)
    s.scope()                                       # computed (and shared) before the steps
    seen = []
    for rule, args in [("forall_intro", ("y",)), ("forall_intro", ("g",)),
                       ("wand_intro", ()), ("sep_elim", (("s", 0),)),
                       ("sep_elim", (("s", 1),)), ("hyp_pure", (("s", 1),)),
                       ("hyp_pers", (1,)), ("pure_cases", (eq(Var("y"), ZERO),))]:
        (s, *rest) = step(k, s, rule, *args)
        seen += [s, *rest]
    a, b = step(k, s, "sep_intro", (0,))
    seen += [a, b]
    (c,) = step(k, b, "exists_intro", Var("y"))
    seen.append(c)
    ex = Seq(vars=s.vars, spat=(Exists("w", INT, Pure(eq(Var("w"), Var("y")))),), goal=Emp())
    ex.scope()
    (d,) = step(k, ex, "exists_elim", ("s", 0), "w")
    seen.append(d)
    assert all(scope_ok(p) for p in seen)
    assert dict(d.env())["w"] == INT and dict(d.env())["y"] == U64
    assert dict(seen[0].env()) == {"y": U64}             # the first premise: y only


def test_a_name_already_in_scope_cannot_be_bound_again():
    """∀x:int. ⌜x = -1⌝ -∗ ∀y:u64. ⌜y = 0⌝ -∗ False is false (x = -1, y = 0); reusing the
    name x for y would make the facts x = -1 and x = 0 one variable's: a contradiction."""
    k = Kernel()
    stmt = Forall("x", INT, Wand(Pure(eq(Var("x"), Lit("int", -1))), Forall(
        "y", U64, Wand(Pure(eq(Var("y"), ZERO)), Pure(Lit("bool", False))))))
    tail = ("wand_intro", (), (("hyp_pure", (("s", 0),), (("pure_contra", (), ()),)),))
    d = ("forall_intro", ("x",), (("wand_intro", (), (("hyp_pure", (("s", 0),), (
        ("forall_intro", ("x",), (tail,)),)),)),))
    with pytest.raises(KernelError, match="not fresh"):
        k.prove("shadow", stmt, d)
    fresh = ("forall_intro", ("x",), (("wand_intro", (), (("hyp_pure", (("s", 0),), (
        ("forall_intro", ("y",), (tail,)),)),)),))
    with pytest.raises(KernelError, match="False from the pure context"):
        k.prove("shadow", stmt, fresh)           # the same derivation with a fresh y fails late
    assert "shadow" not in k.theorems
    # the same through an existential hypothesis opened under the name x
    s = Seq(vars=(("x", INT),), spat=(Exists("y", U64, Pure(eq(Var("y"), ZERO))),),
            pure=(eq(Var("x"), Lit("int", -1)),), goal=Pure(Lit("bool", False)))
    with pytest.raises(KernelError, match="not fresh"):
        step(k, s, "exists_elim", ("s", 0), "x")
    # a crash statement's parameters are a sequent's first variables (as a certificate's
    # decoded CrashStatement gives them): x twice, with other sorts, is refused
    lhs = Pure(lt(Var("x"), ZERO))
    k.prove_crash("two", (("x", INT), ("y", U64)), Var("y"), lhs, lhs, (
        "hyp_pure", (("s", 0),), (("pure_intro", (), ()),)))  # (the crash image of ⌜φ⌝ is ⌜φ⌝)
    with pytest.raises(KernelError, match="duplicate parameter x"):
        k.prove_crash("dup", (("x", INT), ("x", U64)), Var("x"), lhs, Pure(Lit("bool", False)),
                      ("hyp_pure", (("s", 0),), (("pure_contra", (), ()),)))


def test_adding_a_name_already_present_gives_the_scope_of_dict_vars():
    """`add_var` of a present name (no rule does it; a tactic's sequent may): the later sort
    wins in the scope as in ``dict(vars)``, and the checker answers as for a fresh sequent."""
    k = Kernel()
    base = Seq(vars=(("x", INT),), pure=(lt(Var("x"), ZERO),))
    base.scope()
    dup = base.add_var("x", U64)
    assert scope_ok(dup) and dict(dup.env())["x"] == U64
    fresh = Seq(vars=dup.vars, pure=dup.pure)
    false = Lit("bool", False)
    assert k.entails(dup, false) == k.entails(fresh, false) is True    # x < 0 for a u64 x
    assert k.entails(base, false) is False
    back = dup.add_var("x", INT)
    assert scope_ok(back) and k.entails(back, false) is False


def test_copies_and_pickles_of_sequents_and_of_a_warm_kernel():
    k = Kernel()
    facts = (lt(Var("x"), ZERO), eq(Var("y"), ONE))
    s_u64 = Seq(vars=(("x", U64), ("y", INT)), pure=facts)
    s_int = Seq(vars=(("x", INT), ("y", INT)), pure=facts)
    goal = eq(Var("y"), Lit("int", 2))
    assert (k.entails(s_u64, goal), k.entails(s_int, goal)) == (True, False)
    for twin in (copy.copy(s_u64), copy.deepcopy(s_u64), pickle.loads(pickle.dumps(s_u64))):
        assert twin == s_u64 and scope_ok(twin) and dict(twin.env())["x"] == U64
    for k2 in (pickle.loads(pickle.dumps(k)), copy.deepcopy(k)):   # its memo holds contexts
        assert (k2.entails(s_int, goal), k2.entails(s_u64, goal)) == (False, True)
        twin = pickle.loads(pickle.dumps(s_int))
        assert k2.entails(twin, goal) is False
    env, names = s_int.env(), s_int.names()
    with pytest.raises(TypeError):
        env["x"] = U64
    with pytest.raises(AttributeError):
        names.add("z")
    assert k.entails(s_int, goal) is False and dict(s_int.with_goal(None).env())["x"] == INT


# ---- 2. the memo --------------------------------------------------------------------------------

def test_a_context_entry_found_by_a_reused_id_is_not_taken():
    """The context memo is keyed by the ids of a sequent's vars and pure tuples; an entry whose
    tuples are other objects with those ids (as after garbage collection) must not be used:
    here it says x is a u64, so that x < 0 would prove anything."""
    k = Kernel()
    facts = (lt(Var("x"), ZERO),)
    s = Seq(vars=(("x", INT),), pure=facts)
    other = Seq(vars=(("x", U64),), pure=(lt(Var("x"), ZERO),))
    false = Lit("bool", False)
    assert k.entails(other, false) is True
    memo = k._pure_memo()
    planted = next(v for key, v in memo.items() if key[:1] == ("context",))
    memo[("context", id(s.vars), id(s.pure))] = planted
    assert k.entails(s, false) is False
    assert k.entails(s, lt(Var("x"), ONE)) is True


def test_a_consistent_other_group_is_not_a_contradiction():
    """The facts about y and those about z are separate groups; asking about y remembers that
    z's group alone is consistent.  That answer (False) must not make the context
    contradictory: every later goal that the facts do not prove stays unproved."""
    k = Kernel()
    facts = (eq(Var("y"), ONE), lt(Var("z"), Lit("int", 5)), lt(ZERO, Var("z")))
    s = Seq(vars=(("y", INT), ("z", INT)), pure=facts)
    assert k.entails(s, eq(Var("y"), Lit("int", 2))) is False
    for g in (eq(Var("y"), Lit("int", 3)), lt(Var("y"), ZERO), Lit("bool", False),
              eq(Var("z"), Lit("int", 7))):
        assert k.entails(s, g) is False
    assert k.entails(s, lt(Var("z"), Lit("int", 6))) is True
    # the same facts object where z's group is contradictory (z a nat below 0), asked in turn
    neg = (eq(Var("y"), ONE), lt(Var("z"), ZERO), lt(Var("z"), ONE))
    s_int = Seq(vars=(("y", INT), ("z", INT)), pure=neg)
    s_nat = Seq(vars=(("y", INT), ("z", NAT)), pure=neg)
    for _ in range(2):
        assert k.entails(s_int, eq(Var("y"), Lit("int", 2))) is False
        assert k.entails(s_nat, eq(Var("y"), Lit("int", 2))) is True
        assert k.entails(s_int, Lit("bool", False)) is False


def test_a_definition_undone_and_redefined_in_the_repl():
    """With f() = 0, the fact f() = 1 (a group apart from the goal's y) is contradictory and
    proves y = 7; after Undo and f() = 1 (same count of definitions) it is not."""
    from repl.engine import ReplEngine
    e = ReplEngine()
    lemma = ["Lemma l (y : nat) : ⌜f() = 1⌝ -∗ ⌜y = 7⌝.", "Proof.", 'intros y "%H".']
    for t in ["Definition f : nat := 0."] + lemma + ["done."]:
        assert not e.execute(t).startswith("Error"), t
    assert "is proved" in e.execute("Qed.")
    assert e.execute("Undo 6.").startswith("Undone")
    for t in ["Definition f : nat := 1."] + lemma:
        assert not e.execute(t).startswith("Error"), t
    assert "cannot close the goal" in e.execute("done.")
    assert e.execute("Qed.").startswith("Error")


# ---- 3. hypothesis indices ----------------------------------------------------------------------

WEIRD = [-1, True, False, 2 ** 64, 1.0, 0.0, "0", None, (0,)]
WEIRD_TUPLES = [(-1,), (True,), (0, 0), (0, True), (2 ** 64,), (0.0,), ("0",), [0], (None,)]


def _rejected(fn):
    with pytest.raises(KernelError) as e:
        fn()
    assert "premises" not in str(e.value)


def _index_cases():
    """(rule, sequent, args with a hole, valid filler for the hole, hole kind)."""
    a, b = tok("a"), tok("b")
    vs = (("a", GNAME), ("b", GNAME))
    two = Seq(vars=vs, spat=(a, b), goal=Sep(b, a))
    wand = Seq(vars=vs, spat=(a, Wand(a, b)), goal=b)
    pure = Seq(vars=vs, spat=(Pure(Lit("bool", True)), a), goal=a)
    dup = Seq(vars=vs, spat=(a, Atom("tok", (Var("a"),))), goal=Emp())
    return [
        ("sep_intro", two, lambda h: (h,), (1,), "tuple"),
        ("wand_elim", wand, lambda h: (("s", 1), h), (0,), "tuple"),
        ("cut", two, lambda h: (Emp(), h), (0,), "tuple"),
        ("assumption", pure, lambda h: (("s", h),), 1, "int"),
        ("clear", two, lambda h: (("s", h),), 0, "int"),
        ("hyp_pure", pure, lambda h: (("s", h),), 0, "int"),
        ("hyp_pers", pure, lambda h: (h,), 0, "int"),
        ("sep_elim", Seq(vars=vs, spat=(Sep(a, b),), goal=a), lambda h: (("s", h),), 0, "int"),
        ("wand_elim", wand, lambda h: (("s", h), (0,)), 1, "int"),
        ("excl", dup, lambda h: (0, h), 1, "int"),
        ("excl", dup, lambda h: (h, 1), 0, "int"),
    ] + _wp_index_cases()


def _wp_index_cases():
    """The rules whose hypotheses are used inside a weakest precondition, and the ghost ones."""
    from seplogic.syntax import WP, BigSep, Fork, Inv, Val
    n, unit = Var("n"), Val(Lit("unit", None))
    vs = (("n", NAT), ("c", INT), ("a", GNAME), ("e", NAT), ("j", INT), ("S", Sort("set", (INT,))))
    wp = lambda e, post=Emp(): WP(n, (), e, "r", post)                        # noqa: E731
    cell = (Atom("gmaster", (Var("c"), n, ZERO)), Atom("glease", (Var("c"), n, ZERO)))
    spec = Atom("spec", (Var("e"), Var("j"), Lit("int", 3)))
    src = Atom("source", (Var("e"), ZERO))
    big = BigSep("set", ("y",), Var("S"), Emp())
    ghost = Seq(vars=vs, spat=cell, goal=wp(unit))
    return [
        ("wp_fork", Seq(vars=vs, spat=(tok("a"),), goal=wp(Fork(unit))), lambda h: (h,), (0,),
         "tuple"),
        ("wp_wand", Seq(vars=vs, spat=(tok("a"), wp(unit)), goal=wp(unit)), lambda h: (h,), 1,
         "int"),
        ("wp_inv_alloc", Seq(vars=vs, spat=(tok("a"),), goal=wp(unit)), lambda h: (h, "N"), 0,
         "int"),
        ("wp_inv_open", Seq(vars=vs, pers=(Inv("N", tok("a")),), goal=wp(unit)),
         lambda h: (h,), 0, "pint"),
        ("lease_agree", ghost, lambda h: (0, h), 1, "int"),
        ("lease_agree", ghost, lambda h: (h, 1), 0, "int"),
        ("wp_ghost_update", ghost, lambda h: (0, h, ONE), 1, "int"),
        ("spec_era", Seq(vars=vs, spat=(tok("a"), spec), goal=Emp()), lambda h: (h,), 1, "int"),
        ("source_era", Seq(vars=vs, spat=(src,), pers=(Atom("spec_era", (Var("e"),)),),
                           goal=Emp()), lambda h: (0, h), 0, "pint"),
        ("bigsep_mono", Seq(vars=vs, spat=(tok("a"), big), goal=big), lambda h: (h,), 1,
         "int"),
    ]


def test_every_index_taking_rule_refuses_indices_that_name_no_hypothesis_once():
    k = Kernel()
    for rule, s, args, good, kind in _index_cases():
        try:
            step(k, s, rule, *args(good))        # the control: the well-formed step is taken
        except KernelError as e:
            pytest.fail(f"{rule} refused its valid indices: {e}")
        for bad in (WEIRD_TUPLES if kind == "tuple" else WEIRD):
            if bad == good and type(bad) is type(good):
                continue
            _rejected(lambda: step(k, s, rule, *args(bad)))
        if kind != "tuple":     # one past the last hypothesis
            past = len(s.spat if kind == "int" else s.pers)
            _rejected(lambda: step(k, s, rule, *args(past)))


def test_the_wand_cannot_prove_its_own_premise_and_a_split_is_a_partition():
    k = Kernel()
    a = tok("a")
    s = Seq(vars=(("a", GNAME),), spat=(Wand(a, a), a), goal=Sep(a, a))
    _rejected(lambda: step(k, s, "wand_elim", ("s", 0), (0,)))
    one = Seq(vars=s.vars, spat=(a,), goal=Pure(Lit("bool", False)))
    _rejected(lambda: step(k, one, "excl", 0, 0))        # one token is not two
    with pytest.raises(KernelError):
        k.prove("one_tok", Forall("a", GNAME, Wand(a, Pure(Lit("bool", False)))), (
            "forall_intro", ("a",), (("wand_intro", (), (("excl", (0, 0), ()),)),)))
    for idxs in ((), (0,), (1,), (0, 1), (1, 0)):
        left, right = step(k, s, "sep_intro", idxs)
        assert sorted(map(repr, left.spat + right.spat)) == sorted(map(repr, s.spat))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 5), st.lists(st.one_of(st.integers(-7, 7), st.booleans(),
                                             st.sampled_from([2 ** 64, -(2 ** 64)])),
                                   max_size=6))
def test_keeping_and_dropping_hypotheses_split_them_for_any_integers(n, idxs):
    """only_spat(I) and drop_spat(I) partition the hypotheses (bools as 0/1, as Python's ==
    has them; negative and huge indices name none): no hypothesis is in both or in neither."""
    spat = tuple(tok(f"g{i}") for i in range(n))
    s = Seq(spat=spat)
    kept, dropped = s.only_spat(idxs).spat, s.drop_spat(idxs).spat
    named = {int(i) for i in idxs if 0 <= i < n}
    assert kept == tuple(spat[i] for i in sorted(named))
    assert dropped == tuple(h for i, h in enumerate(spat) if i not in named)


def _pv(*args, cwd):
    return subprocess.run([sys.executable, "-m", "driver.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PV_CACHE_DIR": os.path.join(cwd, "cache")})


def test_hand_edited_indices_in_a_certificate(tmp_path):
    """tok(a) -∗ tok(a) ∗ tok(a) is false (tok is exclusive); its only hope is a split that
    gives tok(a) to both sides: indices -1, true, 0.0, huge, duplicated, a string."""
    src = tmp_path / "c.pv"
    src.write_text('Theorem swap (a b : gname) : tok(a) ∗ tok(b) -∗ tok(b) ∗ tok(a).\nProof.\n'
                   '  intros a b "[Ha Hb]".\n  split_l "Hb".\n  - done.\n  - done.\nQed.\n',
                   encoding="utf-8")
    cert = tmp_path / "c.json"
    r = _pv("check", "--no-cache", "--certificate", str(cert), str(src), cwd=str(tmp_path))
    assert r.returncode == 0, r.stdout + r.stderr
    data = json.loads(cert.read_text(encoding="utf-8"))
    assert _pv("recheck", str(cert), cwd=str(tmp_path)).returncode == 0
    stmt = Forall("a", GNAME, Wand(tok("a"), Sep(tok("a"), tok("a"))))
    for idxs in ([0], [-1], [True], [0.0], [2 ** 70], [0, 0], ["0"], [None], [[0]]):
        entry = {"call": "prove", "args": ["c.dup", serial.encode(stmt)], "derivation": [
            ["forall_intro", ["a"], 1], ["wand_intro", [], 1], ["sep_intro", [idxs], 2],
            ["assumption", [["s", 0]], 0], ["assumption", [["s", 0]], 0]]}
        edited = tmp_path / "e.json"
        edited.write_text(json.dumps({**data, "entries": [entry]}), encoding="utf-8")
        r = _pv("recheck", str(edited), cwd=str(tmp_path))
        assert r.returncode == 1 and "error:" in r.stderr, (idxs, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr and "dup: ok" not in r.stdout, idxs


# ---- 4. closedness and conversion ---------------------------------------------------------------

def test_a_remembered_success_does_not_close_an_assertion_over_fewer_variables():
    k = Kernel()
    a = Sep(Pure(lt(Var("x"), ONE)), Exists("y", INT, Pure(eq(Var("y"), Var("x")))))
    k.check_assertion(a, {"x": INT})
    k.check_assertion(a, Seq(vars=(("x", INT), ("z", BOOL))).env())     # a read-only mapping
    for env in ({}, {"y": INT}, Seq(vars=(("z", INT),)).env()):
        with pytest.raises(KernelError, match=r"unknown variables \['x'\]"):
            k.check_assertion(a, env)
    s = Seq(vars=(("z", INT),), spat=(Emp(),), goal=Emp())
    _rejected(lambda: step(k, s, "cut", a, ()))


def test_conversion_under_binders_renames_apart_from_the_context():
    """convert compares binders renamed to one fresh name (extending its avoid set): a
    provably equal body converts; a body that would capture the context's y does not."""
    k = Kernel()
    y = Var("y")
    s = Seq(vars=(("y", INT),), goal=Forall("x", INT, Pure(eq(Var("x"), y))))   # false
    true = Forall("y", INT, Pure(eq(y, y)))
    _rejected(lambda: step(k, s, "convert", ("goal",), true))
    nested = Seq(vars=(("y", INT),), goal=Exists("x", INT, Forall("w", NAT, Pure(
        eq(Var("x"), app("add", Lit("int", 1), Lit("int", 1)))))))
    two = Exists("x", INT, Forall("w", NAT, Pure(eq(Var("x"), Lit("int", 2)))))
    (p,) = step(k, nested, "convert", ("goal",), two)
    assert p.goal == two and scope_ok(p)
