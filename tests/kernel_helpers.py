"""Shared helpers for kernel tests: check .pv text, get derivations, re-check edited ones."""
from __future__ import annotations

import os
import tempfile

from driver.load import Session, closed_statement, make_kernel
from seplogic.document import TheoremDef
from seplogic.parser import parse_file


def check_text(text: str, name: str = "t.pv") -> Session:
    d = tempfile.mkdtemp()
    path = os.path.join(d, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    s = Session()
    s.load_file(path)
    return s


def derivations(text: str):
    """Run every proof of ``text``; return (kernel, {name: (statement, derivation)}) for the
    proven theorems, captured before the kernel recorded them."""
    from seplogic.names import SCOPE
    from tactics.script import run_step, start
    k = make_kernel()
    s = Session(kernel=k)
    out = {}
    doc = parse_file(text, "t.pv")
    scope = s.scope_for("t.pv")        # names are resolved as the checker does (modules)
    token = SCOPE.set(scope)
    for cmd in doc.commands:
        if type(cmd) is TheoremDef:
            short = cmd.name
            cmd, _ = scope.elaborate(cmd)
            stmt = closed_statement(cmd)
            ps = start(k, stmt)
            for step in cmd.proof.steps:
                run_step(ps, step)
            assert ps.finished(), f"{cmd.name} unfinished"
            d = ps.derivation()
            out[cmd.name] = (stmt, d)
            k.prove(cmd.name, stmt, d)
            scope.define(short, "thm", cmd.pos.line)
        else:
            s.run_command("t.pv", cmd)
    SCOPE.reset(token)
    return k, out


def fresh_kernel_like(text: str, upto: str):
    """A kernel with the definitions of ``text`` and the theorems before ``upto``."""
    k, ders = derivations(text)
    k.theorems.pop(upto, None)
    return k


def statuses(text: str):
    """Check ``text``: ({theorem: status}, the rendered diagnostics)."""
    s = check_text(text)
    return {r.name: r.status for r in s.results}, "\n".join(d.render() for d in s.diagnostics)


def proved(text: str, name: str) -> None:
    st, diags = statuses(text)
    assert st.get(name) == "proved", diags


def failed(text: str, name: str, why: str | None = None) -> str:
    st, diags = statuses(text)
    assert st.get(name) == "failed", st
    if why:
        assert why in diags, diags
    return diags
