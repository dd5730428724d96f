"""Writing semantics axioms in pv's own notation, so that they read like the paper's rules."""
from __future__ import annotations

from kernel.core import PrimAxiom


def _binders(text: str, parse_sort) -> tuple:
    out = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sort = (x.strip() for x in part.split(":", 1))
        out.append((name, parse_sort(sort)))
    return tuple(out)


def axiom(name, params, pre, expr, binders, ret, post, *, needs_top=False, source):
    """``∀ params. {pre} expr {∀ binders. RET ret; post}[n]`` (the version parameter is n);
    with ``expr=None`` the entailment ``∀ params. pre ⊢ post``."""
    from seplogic.parser import parse_assertion, parse_expr, parse_sort, parse_term
    ps = _binders(params, parse_sort)
    props = frozenset(n for n, s in ps if s.name == "iProp")
    version = "n" if any(n == "n" for n, _ in ps) else None    # entailments need none
    return PrimAxiom(
        name=name, params=ps, version=version,
        pre=parse_assertion(pre, avars=props),
        expr=parse_expr(expr) if expr is not None else None,
        binders=_binders(binders, parse_sort), ret=parse_term(ret),
        post=parse_assertion(post, avars=props), needs_top=needs_top, source=source)
