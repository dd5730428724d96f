"""Goal display in the Iris Proof Mode layout: variables and pure facts, persistent hypotheses,
spatial hypotheses, then the goal."""
from __future__ import annotations

from seplogic.printer import show


def show_sort(s) -> str:
    return show(s)


def show_goal(g, width: int = 72) -> str:
    lines = []
    if g.seq.vars:
        groups: list = []
        for n, s in g.seq.vars:
            if groups and groups[-1][1] == s:
                groups[-1][0].append(n)
            else:
                groups.append(([n], s))
        lines.append("  " + "  ".join(f"{' '.join(ns)} : {show_sort(s)}" for ns, s in groups))
    for n, t in zip(g.fnames, g.seq.pure):
        lines.append(f"  {n} : {show(t)}")
    lines.append("  " + "-" * (width - 4) + "□")
    for n, a in zip(g.pnames, g.seq.pers):
        lines.append(_hyp(n, a))
    lines.append("  " + "-" * (width - 4) + "∗")
    for n, a in zip(g.snames, g.seq.spat):
        lines.append(_hyp(n, a))
    lines.append("  " + "=" * (width - 3))
    lines.append("  " + show(g.seq.goal).replace("\n", "\n  "))
    return "\n".join(lines)


def _hyp(name, a) -> str:
    text = show(a).replace("\n", "\n      ")
    return f"  {name} : {text}"


def show_goals(goals, width: int = 72) -> str:
    if not goals:
        return "No more goals."
    out = [f"{len(goals)} goal{'s' if len(goals) > 1 else ''}", show_goal(goals[0], width)]
    for i, g in enumerate(goals[1:], 2):
        out.append(f"goal {i} is: {show(g.seq.goal)}")
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
