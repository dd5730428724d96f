"""Spec steps on random spec programs, with the proof's variables deliberately named like the
spec's state variable, parameters and lets, and lets that shadow the state, the parameters and
each other: the kernel's result must be the one a direct evaluation on numbers gives (the names
in the context must not matter, and a name means the innermost binding, as written)."""
import random

from kernel.core import Kernel
from kernel.rules import RULES
from kernel.sequent import Seq
from seplogic.syntax import App, Atom, Emp, Let, Lit, Prim, Sort, Val, Var, WP

U64 = Sort("u64")
UNIT_WP = WP(Lit("int", 0), (), Val(Lit("unit", None)), "r", Emp())   # spec steps: under a WP
NAMES = ("σ", "x", "y", "a")      # used by the spec and by the proof alike


def num(n):
    return Lit("int", n)


def gen_term(rnd, scope, depth):
    if depth == 0 or rnd.random() < 0.4:
        return Var(rnd.choice(scope)) if scope and rnd.random() < 0.8 else num(rnd.randrange(5))
    return App("add", (gen_term(rnd, scope, depth - 1), gen_term(rnd, scope, depth - 1)))


def gen_prog(rnd, scope, depth):
    """A spec program over the names in scope (σ always, parameters, lets)."""
    r = rnd.random()
    if depth == 0 or r < 0.3:
        return Val(gen_term(rnd, scope, 2))
    if r < 0.65:
        v = rnd.choice(NAMES)           # σ too: a let may shadow the state
        return Let(v, gen_prog(rnd, scope, depth - 1), gen_prog(rnd, scope + [v], depth - 1))
    return Let("_", Prim("modify", (Val(gen_term(rnd, scope, 2)),)),
               gen_prog(rnd, scope, depth - 1))


def evaluate(e, env, state):
    """Direct evaluation on numbers: (new state, result)."""
    def term(t, env):
        if type(t) is Var:
            return state[0] if t.name == "σ" and "σ" not in env else env[t.name]
        if type(t) is Lit:
            return t.value
        return term(t.args[0], env) + term(t.args[1], env)

    def ev(e, env):
        if type(e) is Val:
            return term(e.term, env)
        if type(e) is Prim:                      # modify
            state[0] = ev(e.args[0], env)
            return None
        r = ev(e.bound, env)
        return ev(e.body, env if e.name == "_" else {**env, e.name: r})
    result = ev(e, env)
    return state[0], result


def test_spec_steps_agree_with_direct_evaluation():
    rnd = random.Random(3)
    for case in range(150):
        k = Kernel()
        k.define_spec("S", "σ", Sort("int"))
        params = tuple((p, U64) for p in rnd.sample(NAMES[1:], rnd.randrange(3)))
        body = gen_prog(rnd, ["σ"] + [p for p, _ in params], 3)
        k.define_spec_op("S", "Op", params, body)
        # the proof's own variables, named like the spec's, with known values
        values = {n: rnd.randrange(10) for n in NAMES}
        seq = Seq(vars=tuple((n, U64) for n in NAMES),
                  pure=tuple(App("eq", (Var(n), num(v))) for n, v in values.items()),
                  goal=UNIT_WP)
        state_var = Var(rnd.choice(NAMES))
        args = tuple(Var(rnd.choice(NAMES)) for _ in params)
        seq = seq.add_spat(Atom("source", (num(0), state_var)),
                           Atom("spec", (num(0), Var("x"), App("Op", args))))
        (after,) = RULES["spec_step"].apply(k, seq, ("S", 0, 1, ()), set(), set())
        want_state, want_ret = evaluate(
            body, {p: values[a.name] for (p, _), a in zip(params, args)},
            [values[state_var.name]])
        new_state = after.spat[0].args[1]
        ret = after.spat[1].args[2].args[0]
        assert k.entails(after, App("eq", (new_state, num(want_state)))), (case, body)
        if want_ret is not None:
            assert k.entails(after, App("eq", (ret, num(want_ret)))), (case, body)


def test_a_let_that_shadows_the_state_is_read_as_written():
    """``let σ := 5 in #(σ + 1)`` returns 6 whatever the state is (it once read the state)."""
    from seplogic.parser import parse_expr
    k = Kernel()
    k.define_spec("S", "σ", Sort("int"))
    k.define_spec_op("S", "Six", (), parse_expr("let σ := 5 in #(σ + 1)"))
    k.define_spec_op("S", "Par", (("a", U64),), parse_expr("let a := #(a + 1) in "
                                                             "let a := #(a + a) in #a"))
    seq = Seq(vars=(("s", U64),), goal=UNIT_WP).add_spat(Atom("source", (num(0), Var("s"))),
                                            Atom("spec", (num(0), num(1), App("Six", ()))))
    (after,) = RULES["spec_step"].apply(k, seq, ("S", 0, 1, ()), set(), set())
    assert k.entails(after, App("eq", (after.spat[1].args[2].args[0], num(6))))
    assert after.spat[0].args[1] == Var("s")
    seq = Seq(vars=(("s", U64),), goal=UNIT_WP).add_spat(Atom("source", (num(0), Var("s"))),
                                            Atom("spec", (num(0), num(1), App("Par", (num(3),)))))
    (after,) = RULES["spec_step"].apply(k, seq, ("S", 0, 1, ()), set(), set())
    assert k.entails(after, App("eq", (after.spat[1].args[2].args[0], num(8))))
