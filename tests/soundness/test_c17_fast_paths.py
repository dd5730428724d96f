"""The pure checker's shortcuts (session 7): a goal that is one of the facts is proved without a
search, and a context one of whose groups is already known contradictory proves every goal.
The second is an answer remembered per (facts, sorts): these attacks share one facts tuple
between sequents whose variables have other sorts, in both orders."""
from kernel.core import Kernel
from kernel.sequent import Seq
from seplogic.syntax import INT, U64, App, Lit, Var


def app(op, *args):
    return App(op, tuple(args))


NEG = app("lt", Var("x"), Lit("int", 0))          # contradictory for a u64 x only
FACTS = (NEG, app("eq", Var("y"), Lit("int", 1)))
GOAL = app("eq", Var("y"), Lit("int", 2))          # false wherever the facts are consistent


def test_a_group_known_contradictory_is_so_for_its_sorts_only():
    for first_u64 in (True, False):
        k = Kernel()
        as_u64 = Seq(vars=(("x", U64), ("y", INT)), pure=FACTS)
        as_int = Seq(vars=(("x", INT), ("y", INT)), pure=FACTS)    # the same facts tuple
        order = [as_u64, as_int] if first_u64 else [as_int, as_u64]
        answers = {id(s): k.entails(s, GOAL) for s in order}
        assert answers[id(as_u64)] is True       # x < 0 is false for every u64 x
        assert answers[id(as_int)] is False      # x = -1, y = 1 satisfies the facts, not y = 2
        assert k.entails(as_int, GOAL) is False and k.entails(as_u64, GOAL) is True


def test_a_goal_among_the_facts_is_the_fact_in_these_sorts():
    k = Kernel()
    s = Seq(vars=(("x", INT), ("y", INT)), pure=FACTS)
    assert k.entails(s, NEG) and k.entails(s, FACTS[1])
    assert not k.entails(s, app("lt", Var("y"), Lit("int", 0)))
    # a fact's conjunct is not the fact: decided by the search (here: true, y = 1 ∧ x < 0)
    assert k.entails(Seq(vars=s.vars, pure=(app("and", *FACTS),)), FACTS[1])
    assert not k.entails(Seq(vars=s.vars, pure=(app("or", *FACTS),)), FACTS[1])


def test_a_big_group_is_refuted_from_its_newest_facts_or_else_whole():
    """A group of more than 12 facts is first tried from its newest 12: a clash among them,
    among the oldest, or none (a chain x0 < x1 < ... , consistent) is each answered right."""
    vs = tuple((f"x{i}", INT) for i in range(20))
    chain = tuple(app("lt", Var(f"x{i}"), Var(f"x{i + 1}")) for i in range(19))
    back = app("lt", Var("x19"), Var("x0"))                  # with the chain: a cycle
    k = Kernel()
    false = Lit("bool", False)
    assert not k.entails(Seq(vars=vs, pure=chain), false)
    assert k.entails(Seq(vars=vs, pure=(back,) + chain), false)         # the clash needs all
    assert k.entails(Seq(vars=vs, pure=chain + (back,)), false)
    short = app("lt", Var("x18"), Var("x17"))                # clashes with the newest two
    assert k.entails(Seq(vars=vs, pure=chain + (short,)), false)
    assert not k.entails(Seq(vars=vs, pure=chain + (app("lt", Var("x0"), Var("x19")),)), false)


def test_a_numeric_disequality_is_also_a_congruence_fact():
    """¬(a = b) of numbers is a ≠ b (for the congruence closure) and a < b ∨ b < a (for the
    arithmetic): two terms equal by congruence are refuted at once, and the split still decides
    the rest."""
    W = 2 ** 64
    def wrap(t):
        return app("mod", t, Lit("int", W))
    def big(x):     # (1 + 2·((1 − x) mod 2⁶⁴)) mod 2⁶⁴, as the shadow copy's copy() unfolds
        return wrap(app("add", Lit("int", 1), app("mul", Lit("int", 2),
                                                  wrap(app("sub", Lit("int", 1), Var(x))))))
    k = Kernel()
    vs = (("p", U64), ("q", U64))
    same = Seq(vars=vs, pure=(app("eq", Var("p"), Var("q")),))
    assert k.entails(same, app("eq", big("p"), big("q")))
    assert not k.entails(Seq(vars=vs), app("eq", big("p"), big("q")))
    assert k.entails(Seq(vars=vs, pure=(app("lt", Var("p"), Var("q")),)),
                     app("not", app("eq", Var("p"), Var("q"))))
    assert not k.entails(Seq(vars=vs, pure=(app("le", Var("p"), Var("q")),)),
                         app("not", app("eq", Var("p"), Var("q"))))
