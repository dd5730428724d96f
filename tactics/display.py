"""Goal display in the Iris Proof Mode layout: variables and pure facts, persistent hypotheses,
spatial hypotheses, then the goal.

What is shown is for reading, not for the kernel: hypotheses keep the order in which they
first appeared (`Goal.born`), however the rules reorder the sequent; a pure fact ``true``
(left by a postcondition with nothing to say) is not shown; a name the tactics made for
themselves (``_i``, ``_r``, ...) is shown as ``_``; a bound variable named as a variable of
the context is renamed apart (`seplogic.printer.rename_apart`); and every line is laid out for
``width`` columns where the syntax allows a break.  Each hypothesis and the goal, as printed,
parse back to an assertion alpha-equivalent to the one in the sequent.
"""
from __future__ import annotations

import os
import sys

from seplogic import syntax as S
from seplogic.printer import show, show_fact


def show_sort(s) -> str:
    return show(s)


def one_line(x, limit: int = 100) -> str:
    """``x`` printed on one line for a message, cut to ``limit`` characters."""
    text = " ".join(show(x).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def display_name(name: str) -> str:
    """How a hypothesis name is shown: the tactics' own temporary names as ``_``."""
    return "_" if name.startswith("_") else name


def _ordered(names, hyps, born: tuple) -> list:
    """(name, hypothesis) pairs in the order the names first appeared."""
    rank = {n: i for i, n in enumerate(born)}
    pairs = list(zip(names, hyps))
    return sorted(pairs, key=lambda p: rank.get(p[0], len(rank)))


def _wrap_words(items, width: int, indent: str = "  ") -> list:
    """Items separated by two spaces, on as few lines of ``width`` columns as fit."""
    lines, cur = [], ""
    for it in items:
        if cur and len(indent) + len(cur) + 2 + len(it) > width:
            lines.append(indent + cur)
            cur = it
        else:
            cur = f"{cur}  {it}" if cur else it
    if cur:
        lines.append(indent + cur)
    return lines


def goal_entries(g, width: int = 72) -> list:
    """What `show_goal` shows, before the layout: (section, shown name, text) for each pure
    fact (``"pure"``), persistent (``"pers"``) and spatial (``"spat"``) hypothesis in display
    order, then (``"goal"``, "", text); each text laid out for its place in ``width``
    columns."""
    ctx = frozenset(n for n, _ in g.seq.vars)
    born = getattr(g, "born", ())
    out = []
    for section, names, hyps in (("pure", g.fnames, g.seq.pure), ("pers", g.pnames, g.seq.pers),
                                 ("spat", g.snames, g.seq.spat)):
        for n, a in _ordered(names, hyps, born):
            if section == "pure" and a == S.TRUE:
                continue
            shown = display_name(n)
            w = max(width - len(shown) - 5, 20)
            out.append((section, shown, show_fact(a, w) if section == "pure" else
                        show(a, w, ctx)))
    out.append(("goal", "", show(g.seq.goal, width - 2, ctx)))
    return out


def show_goal(g, width: int = 72) -> str:
    width = max(width, 30)
    lines = []
    if g.seq.vars:
        groups: list = []
        for n, s in g.seq.vars:
            if groups and groups[-1][1] == s:
                groups[-1][0].append(n)
            else:
                groups.append(([n], s))
        lines += _wrap_words([f"{' '.join(ns)} : {show_sort(s)}" for ns, s in groups], width)
    rules = {"pers": "  " + "-" * (width - 4) + "□", "spat": "  " + "-" * (width - 4) + "∗",
             "goal": "  " + "=" * (width - 3)}
    for section, name, text in goal_entries(g, width):
        while section in rules and rules[section] is not None:
            key = next(k for k in rules if rules[k] is not None)
            lines.append(rules[key])
            rules[key] = None
        if section == "goal":
            lines.append("  " + text.replace("\n", "\n  "))
        else:
            head = f"  {name} : "
            lines.append(head + text.replace("\n", "\n" + " " * len(head)))
    return "\n".join(lines)


def show_goals(goals, width: int = 72) -> str:
    if not goals:
        return "No more goals."
    out = [f"{len(goals)} goal{'s' if len(goals) > 1 else ''}", show_goal(goals[0], width)]
    for i, g in enumerate(goals[1:], 2):
        ctx = frozenset(n for n, _ in g.seq.vars)
        head = f"goal {i} is: "
        text = show(g.seq.goal, max(width - len(head), 20), ctx)
        out.append(head + text.replace("\n", "\n" + " " * len(head)))
    return "\n".join(out)


def show_state(ps, width: int = 72) -> str:
    """A proof state as the REPL and the editor show it: the focused goals (the first in
    full), and how many are left unfocused."""
    total = len(ps.all_goals())
    if ps.finished():
        return "No more goals.  (Qed. records the theorem.)"
    if not ps.goals:
        return (f"This subproof is complete; {total} unfocused goal{'s' * (total != 1)} "
                "left.  Focus the next one with a bullet or '}'.")
    lines = show_goals(ps.goals, width).split("\n")
    head = f"{total} goal{'s' * (total != 1)}"
    if total != len(ps.goals):
        head += f" ({len(ps.goals)} focused)"
    lines[0] = head
    return "\n".join(lines)


def terminal_width(stream=None) -> int | None:
    """The terminal's width less one column (goals are laid out for it), or None when
    ``stream`` (default: standard output) is not a terminal."""
    try:
        return max(os.get_terminal_size((stream or sys.stdout).fileno()).columns - 1, 30)
    except (OSError, ValueError):
        return None


def show_statement(stmt, width: int = 90) -> str:
    """A theorem's statement (`Print`, `Check`, `About`, hovers); a crash theorem's
    (`kernel.crash.CrashStatement`) as ``∀ x. P ⇒[n] Q``."""
    from kernel.crash import CrashStatement
    if type(stmt) is not CrashStatement:
        return show(stmt, max(width, 30))
    binders = " ".join(f"({x} : {show(srt)})" for x, srt in stmt.params)
    return (f"∀ {binders}. " if binders else "") + \
        f"{show(stmt.lhs)} ⇒[{show(stmt.version)}] {show(stmt.rhs)}"


def binders(params) -> str:
    """Parameters ``((name, Sort), ...)`` as a definition's head writes them: `` (x : nat)``."""
    return "".join(f" ({n} : {show(s)})" for n, s in params)


def show_definition(k, key: str, shown: str):
    """The definition of the pure function, predicate or program function ``key`` of kernel
    ``k`` as written in a file (named ``shown``), or None if ``key`` is none of these."""
    def body(x):
        return show(x).replace("\n", "\n  ")
    if key in k.defs:
        params, sort, term = k.defs[key]
        return f"Definition {shown}{binders(params)} : {show(sort)} :=\n  {body(term)}."
    if key in k.preds:
        params, a = k.preds[key]
        return f"Predicate {shown}{binders(params)} :=\n  {body(a)}."
    if key in k.funcs:
        params, e = k.funcs[key]
        return f"Function {shown} ({' '.join(params)}) :=\n  {body(e)}."
    return None
