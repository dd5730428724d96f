"""The semantics axioms as text, for `pv axioms`, the REPL's Print and Search.

An axiom ``∀ params. {pre} e {∀ ys. RET v; post}[n]`` (Iris's Texan triple) is shown as the
Hoare triple it amounts to, in pv syntax, so that it can be pasted into a statement:
``∀ params. {pre} e {r. ∃ ys. ⌜r = v⌝ ∗ post}[n]``; an entailment axiom as ``pre -∗ post``.
"""
from __future__ import annotations

from seplogic import syntax as S


def axiom_statement(ax):
    """The axiom's body (without its parameters) as an assertion of pv."""
    if ax.expr is None:
        return S.Wand(ax.pre, ax.post)
    names = {n for n, _ in ax.params} | {n for n, _ in ax.binders} | S.fv(ax.post) | \
        S.term_fv(ax.ret)
    r = S.fresh_name("r", names)
    eq = S.Pure(S.App("eq", (S.Var(r), ax.ret)))
    body = eq if type(ax.post) is S.Emp else S.Sep(eq, ax.post)
    for y, srt in reversed(ax.binders):
        body = S.Exists(y, srt, body)
    return S.Persistently(S.Wand(ax.pre, S.WP(S.Var(ax.version), (), ax.expr, r, body)))


def show_axiom(ax, width: int = 100) -> str:
    """``name  [source]``, the parameters, and the triple (or entailment), laid out for
    ``width`` columns."""
    import textwrap
    from seplogic.printer import show
    head = f"{ax.name}  [{ax.source}]" + ("  (only at the full mask ⊤)" if ax.needs_top else "")
    lines = textwrap.wrap(head, width, subsequent_indent="    ", break_long_words=False,
                          break_on_hyphens=False)
    if ax.params:
        binders = [f"({n} : {show(s)})" for n, s in ax.params]
        cur = "  ∀"
        for b in binders:
            if len(cur) + 1 + len(b) > width and cur != "  ∀":
                lines.append(cur)
                cur = "   "
            cur += " " + b
        lines.append(cur + ".")
    text = show(axiom_statement(ax), max(width - 2, 30))
    lines.append("  " + text.replace("\n", "\n  "))
    return "\n".join(lines)
