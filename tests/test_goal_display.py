"""Goal display (tactics/display.py) on every proof state of the case studies: what is shown
parses back to what the sequent holds (alpha-equivalently: bound variables are renamed apart
from the context), the tactics' temporary names and `true` facts are never shown, hypotheses
keep their order across wp_step, and the layout follows the width."""
import os

import pytest

from lsp.analysis import Checker
from seplogic import syntax as S
from seplogic.parser import parse_assertion, parse_term
from seplogic.printer import show
from tactics.display import goal_entries, show_goal
from tests.test_printer_roundtrip import _bound

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILES = ["proofs/heap/swap.pv", "proofs/heap/counter.pv", "proofs/bench/spin_lock.pv",
         "proofs/replicated_disk/rd_proof.pv", "proofs/fs_example/fs_example.pv"]


def states(path):
    """Every proof state reached by the file's proofs: (theorem, ProofState)."""
    full = os.path.join(ROOT, path)
    a = Checker(full).check(open(full, encoding="utf-8").read())
    assert not a.session.diagnostics, a.session.diagnostics[0].render()
    for cmd in a.doc.commands:
        if getattr(cmd, "proof", None) is not None:
            for _, ps, _ in a._run_proof(cmd):
                if ps is not None:
                    yield cmd.name, ps


@pytest.mark.parametrize("path", FILES)
def test_what_is_shown_parses_back(path):
    n = 0
    for name, ps in states(path):
        for g in ps.goals[:1]:
            ctx = {x for x, _ in g.seq.vars}
            entries = goal_entries(g, 60)
            hyps = {"pure": list(g.seq.pure), "pers": list(g.seq.pers),
                    "spat": list(g.seq.spat)}
            for section, shown, text in entries:
                assert shown == "_" or not shown.startswith("_"), (name, shown)
                if section == "pure":
                    back = parse_term(text)
                    assert back != S.TRUE
                    assert any(S.alpha_eq(back, t) for t in hyps["pure"]), (name, text)
                    continue
                back = parse_assertion(text, ps.avars)
                assert not _bound(back) & ctx, (name, text)
                # (names are shown unqualified: compare with the one-line text, read back)
                def same(h, back=back, avars=ps.avars):
                    return S.alpha_eq(back, parse_assertion(show(h, 10 ** 6), avars))
                if section == "goal":
                    assert same(g.seq.goal), (name, text)
                else:
                    assert any(same(h) for h in hyps[section]), (name, text)
                n += 1
    assert n > 0


def test_hypotheses_keep_their_order_across_wp_step():
    shown = []
    for name, ps in states("proofs/heap/swap.pv"):
        if ps.goals:
            shown.append([n for s, n, _ in goal_entries(ps.goals[0]) if s == "spat"])
    with_both = [names for names in shown if {"H1", "H2"} <= set(names)]
    assert len(with_both) >= 8
    assert all(names.index("H1") < names.index("H2") for names in with_both)


def test_width_is_followed():
    for name, ps in states("proofs/replicated_disk/rd_proof.pv"):
        if not ps.goals:
            continue
        g = ps.goals[0]
        wide, narrow = show_goal(g, 160), show_goal(g, 50)
        assert max(map(len, wide.splitlines())) <= 160 or "\n" not in wide
        for ln in narrow.splitlines():
            if len(ln) > 50:             # only a single unbreakable term may stick out
                assert " ∗ " not in ln.strip()[:-2] or "⌜" in ln, ln


def test_true_facts_and_temporary_names_are_hidden(tmp_path):
    text = ("Theorem t (x : u64) : ⌜true⌝ -∗ ⌜x = x⌝ -∗ True.\nProof.\n"
            "  intros x \"%Ht %Hx\".\nQed.\n")
    f = tmp_path / "t.pv"
    f.write_text(text, encoding="utf-8")
    a = Checker(str(f)).check(text)
    g = a.goal_at(4, 1)
    assert "Hx : x = x" in g.text and "Ht" not in g.text


def test_axioms_print_as_pv_that_parses_back():
    """`pv axioms` and Search show each axiom as a triple of pv syntax: its parameters and
    statement read back as the axiom (for a narrow and a wide layout)."""
    from driver.axioms import axiom_statement, show_axiom
    from driver.load import make_kernel
    from seplogic.printer import show
    for width in (60, 160):
        for ax in make_kernel().axioms.values():
            text = show_axiom(ax, width)
            lines = text.splitlines()
            n = len(show(axiom_statement(ax), width - 2).splitlines())
            body = "\n".join(lines[-n:])
            avars = {p for p, s in ax.params if s.name == "iProp"}
            assert S.alpha_eq(parse_assertion(body, avars), axiom_statement(ax)), text
            if ax.params:
                binders = "\n".join(lines[:-n])
                binders = binders[binders.index("  ∀"):]
                back = parse_assertion(binders + " True")
                got = []
                while type(back) is S.Forall:
                    got.append((back.var, back.sort))
                    back = back.body
                assert tuple(got) == tuple(ax.params), text
            for ln in lines:         # only a term the layout cannot break may stick out
                assert len(ln) <= width or (" ∗ " not in ln and " -∗ " not in ln), text


def test_width_options_of_check_and_repl(tmp_path):
    """`pv check --width N` and `pv repl --width N` lay the goal out for N columns."""
    import subprocess
    import sys
    f = tmp_path / "w.pv"
    f.write_text("Theorem t (n : nat) (l1 l2 : loc) (a b : val) :\n"
                 "  {l1 ↦[n] a ∗ l2 ↦[n] b} !#l1 {r. l1 ↦[n] a ∗ l2 ↦[n] b ∗ ⌜a = a⌝}[n].\n"
                 "Proof.\n  intros n l1 l2 a b \"[H1 H2]\".\n  bogus.\nQed.\n", encoding="utf-8")
    for width in (44, 100):
        p = subprocess.run([sys.executable, "-m", "driver.cli", "check", "--width", str(width),
                            str(f)], capture_output=True, text=True, cwd=ROOT, timeout=120)
        goal = [ln for ln in p.stderr.splitlines() if ln.startswith("    ")]
        assert goal and max(len(ln) for ln in goal) <= width, p.stderr
        assert max(len(ln) for ln in goal) >= width - 2       # the rules span the width
        p = subprocess.run([sys.executable, "-m", "driver.cli", "repl", "--width", str(width),
                            str(f), "--until", "4"], capture_output=True, text=True, cwd=ROOT,
                           input="Show.\n", timeout=120)
        shown = p.stdout.split("Proving t")[1].splitlines()[2:]
        assert max(len(ln) for ln in shown) <= width, p.stdout


@pytest.fixture(scope="module")
def proven_statements():
    out = {}
    for path in FILES + ["proofs/shadow/shadow_proof.pv", "proofs/wal/wal_proof.pv"]:
        full = os.path.join(ROOT, path)
        a = Checker(full).check(open(full, encoding="utf-8").read())
        for name, thm in a.session.kernel.theorems.items():
            if isinstance(thm.statement, S.Assertion):    # (crash theorems have their own form)
                out[name] = thm.statement
    assert len(out) >= 25
    return out


@pytest.mark.parametrize("width", [40, 90, 200])
def test_trusted_statements_read_back_exactly(width, proven_statements):
    """What Print, Search and the refinement's meaning show of a proven statement is the very
    term the kernel holds (no renaming without a context), at any width."""
    for name, stmt in proven_statements.items():
        # (names are shown as the file writes them, unqualified: compare with the one-line text)
        flat = parse_assertion(show(stmt, 10 ** 6), S.avars(stmt))
        assert parse_assertion(show(stmt, width), S.avars(stmt)) == flat, name
