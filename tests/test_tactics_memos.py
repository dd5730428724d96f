"""What the tactics keep to be cheap per step (tactics/state.py, basic.py, wp.py): the names of a
goal, the positions dropped by slices, the index of the axioms a wp step may use, and the token
of a pure context.  Each must answer as the plain computation it replaces."""
import random

from driver.load import make_kernel
from kernel.sequent import Seq
from seplogic.parser import parse_expr as E, parse_term as P
from seplogic.syntax import U64, Lit, Pure
from tactics.basic import drop, only, rename
from tactics.match import match
from tactics.state import Goal, Hole, context_token, forget_kernel
from tactics.wp import _AXIOMS, program_axioms
from tests.kernel_helpers import check_text


def test_drop_and_only_are_the_positions_kept_and_taken():
    rng = random.Random(13)
    for _ in range(3000):
        names = tuple(f"H{i}" for i in range(rng.randint(0, 7)))
        idxs = [rng.randint(-2, 9) for _ in range(rng.randint(0, 4))]   # repeats, out of range
        s = set(idxs)
        assert drop(names, idxs) == tuple(n for i, n in enumerate(names) if i not in s)
        assert only(names, idxs) == tuple(n for i, n in enumerate(names) if i in s)
        assert drop(list(names), idxs) == drop(names, idxs)


def _goal(k, vars_=("x", "y"), facts=("x < 5",), spat=(), snames=()):
    seq = Seq(vars=tuple((n, U64) for n in vars_), pure=tuple(P(f) for f in facts), spat=spat)
    return Goal(seq, snames=snames, fnames=tuple(f"%H{i}" for i in range(len(facts))),
                hole=Hole(), kernel=k)


def test_a_goals_names_are_its_hypotheses_and_variables_after_a_rename_too():
    k = make_kernel()
    g = _goal(k, spat=(Pure(Lit("bool", True)),), snames=("Ha",))
    names = g.all_names()
    assert names is g.all_names()                  # made once
    for _ in range(3):      # (the first questions scan the names, later ones ask a set)
        assert all(x in names for x in ("x", "y", "Ha", "%H0"))
        assert not any(x in names for x in ("z", "Hb", "H", "%H1", ""))
    g2 = rename(g, "Ha", "Hb")
    assert "Hb" in g2.all_names() and "Ha" not in g2.all_names()
    probe = g.with_goal(Pure(Lit("bool", True))).all_names()
    assert all(x in probe for x in ("x", "y", "Ha", "%H0")) and "Hb" not in probe
    try:
        rename(g2, "Hb", "x")
        raise AssertionError("a variable's name was taken by a hypothesis")
    except Exception as e:
        assert "already used" in str(e)


def test_a_context_token_is_the_same_for_equal_contexts_and_only_for_them():
    k = make_kernel()
    a, b = _goal(k), _goal(k)                      # equal contexts, other tuples
    assert a.seq.vars is not b.seq.vars
    assert context_token(a) is context_token(b) is context_token(a.with_goal(Lit("bool", True)))
    assert context_token(_goal(k, facts=("x < 6",))) is not context_token(a)
    assert context_token(_goal(k, vars_=("x", "z"))) is not context_token(a)
    assert context_token(_goal(make_kernel())) is not context_token(a)   # another kernel
    before = context_token(a)
    forget_kernel(k)                                  # (the REPL's Undo)
    assert context_token(a) is not before


def test_the_axioms_a_wp_step_may_use_are_those_whose_program_matches_in_the_tables_order():
    k = check_text("Function f (x) := x.\n").kernel
    table = [ax for ax in k.axioms.values() if ax.expr is not None]
    programs = [ax.expr for ax in table] + [E(t) for t in (
        "f(1)", "let y := 1 in y", "if true then 1 else 2", "#l <- 3", "!#l", "1 + 2")]
    assert table
    for e in programs:
        cands = [c for c, _, _ in program_axioms(k, e)]
        matching = [c for c in table
                    if match(c.expr, e, frozenset(n for n, _ in c.params)) is not None]
        assert [c for c in cands if c in matching] == matching    # none lost, in order
        assert cands == [c for c in table if c in cands]          # the table's order
    assert all(ax in [c for c, _, _ in program_axioms(k, ax.expr)] for ax in table)
    assert k in _AXIOMS
    forget_kernel(k)
    assert k not in _AXIOMS


def test_hypotheses_keep_the_order_they_first_appeared_in_after_a_step_returns_one():
    """wp_step consumes H1 and gives it back at the end of the sequent; the display keeps
    H1 first (born), also where the name was made by a rename of the tactics' own."""
    import os
    from driver.load import closed_statement
    from seplogic.document import TheoremDef
    from seplogic.names import SCOPE
    from seplogic.parser import parse_file
    from tactics.display import goal_entries
    from tactics.script import run_step, start
    from tests.kernel_helpers import Session
    path = os.path.join(os.path.dirname(__file__), "..", "proofs", "heap", "swap.pv")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    s = Session()
    doc = parse_file(text, "swap.pv")
    scope = s.scope_for("swap.pv")
    token = SCOPE.set(scope)
    try:
        for cmd in doc.commands:
            if type(cmd) is TheoremDef:
                cmd, _ = scope.elaborate(cmd)
                ps = start(s.kernel, closed_statement(cmd))
                shown = []
                for step in cmd.proof.steps[:4]:      # intros, wp_call, wp_step, wp_pures
                    run_step(ps, step)
                    shown.append([n for sec, n, _ in goal_entries(ps.goals[0]) if sec == "spat"])
                assert shown[0] == shown[2] == shown[3] == ["H1", "H2"], shown
                assert ps.goals[0].snames == ("H2", "H1")      # (the sequent's own order)
                break
            s.run_command("swap.pv", cmd)
    finally:
        SCOPE.reset(token)
