"""The semantics axioms as text, for `pv axioms` and the REPL's Search."""
from __future__ import annotations


def show_axiom(ax, show) -> str:
    """``name [source]``, the binders, and the triple (or entailment) in pv notation."""
    binders = " ".join(f"({n} : {show(s)})" for n, s in ax.params)
    head = f"{ax.name}  [{ax.source}]" + (f"\n  ∀ {binders}." if binders else "")
    if ax.expr is None:
        return f"{head}\n  {show(ax.pre)} ⊢ {show(ax.post)}"
    ys = " ".join(n for n, _ in ax.binders)
    ret = f"∀ {ys}. " if ys else ""
    return (f"{head}\n  {{{show(ax.pre)}}} {show(ax.expr)} {{{ret}RET {show(ax.ret)}; "
            f"{show(ax.post)}}}[{ax.version}]{'  (mask ⊤ only)' if ax.needs_top else ''}")
