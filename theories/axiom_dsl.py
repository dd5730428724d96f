"""Writing semantics axioms in pv's own notation, so that they read like the paper's rules.

The text is the axiom's definition; `theories.shipped` holds it parsed (so no run parses it
again) and checks the parsed form against the text's digest before handing it to the kernel."""
from __future__ import annotations

from kernel.core import PrimAxiom
from seplogic.digest import sha256_hex


class AxiomText:
    """``∀ params. {pre} expr {∀ binders. RET ret; post}[n]`` as source text (the version
    parameter is n); with ``expr=None`` the entailment ``∀ params. pre ⊢ post``."""
    __slots__ = ("name", "params", "pre", "expr", "binders", "ret", "post", "needs_top",
                 "source")

    def __init__(self, name, params, pre, expr, binders, ret, post, needs_top, source):
        self.name, self.params, self.pre, self.expr = name, params, pre, expr
        self.binders, self.ret, self.post = binders, ret, post
        self.needs_top, self.source = needs_top, source

    def key(self) -> tuple:
        return tuple(getattr(self, f) for f in self.__slots__)

    def digest(self) -> str:
        """What the shipped parsed form was made from (repr keeps None apart from "None")."""
        return sha256_hex(repr(self.key()))

    def parse(self) -> PrimAxiom:
        from seplogic.parser import parse_assertion, parse_expr, parse_sort, parse_term
        ps = _binders(self.params, parse_sort)
        props = frozenset(n for n, s in ps if s.name == "iProp")
        version = "n" if any(n == "n" for n, _ in ps) else None    # entailments need none
        return PrimAxiom(
            name=self.name, params=ps, version=version,
            pre=parse_assertion(self.pre, avars=props),
            expr=parse_expr(self.expr) if self.expr is not None else None,
            binders=_binders(self.binders, parse_sort), ret=parse_term(self.ret),
            post=parse_assertion(self.post, avars=props), needs_top=self.needs_top,
            source=self.source)


def _binders(text: str, parse_sort) -> tuple:
    out = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sort = (x.strip() for x in part.split(":", 1))
        out.append((name, parse_sort(sort)))
    return tuple(out)


def axiom(name, params, pre, expr, binders, ret, post, *, needs_top=False, source) -> AxiomText:
    """An axiom's text; `AxiomText.parse` (or `theories.shipped.axioms`) gives the
    `PrimAxiom` the kernel is given."""
    return AxiomText(name, params, pre, expr, binders, ret, post, needs_top, source)
