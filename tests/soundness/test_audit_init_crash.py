"""Audit: no premise of Theorem 2 covers a crash during ``init``.

The recorded refinement says (``Print r``, docs/kernel.md "What a refinement means"): started
in the semantics' initial state with init(), every execution of the code -- crashes at any
point, the recover function after each crash -- is an execution of the spec.  But the crash
premise is ``CrashInv(n) ∗ AbsR(n, h) ⇒[n] ...``: it only covers crashes after init returned
(AbsR(0, h) is init's postcondition, and the invariant may not even be allocated yet), and the
init premise is a plain triple with no crash obligation.  So init may leave the durable state
half-initialised at a crash, while recovery and the operations rely on the crash invariant
that only a *completed* init establishes.

Here init writes a block of 7s to block 0 and the invariant says block 0 starts with 7; Get
returns ``block0[0] == 7`` and the spec says Get always returns true.  All five premises are
proven and the refinement is recorded, yet in the interpreter (the reference semantics) a
crash during init followed by recovery makes Get return false.

Correct behaviour: Theorem 2 must not record this refinement.  The fix: a setup premise puts
the durable state into the crash invariant before init runs (so init runs, and may crash, with
the invariant in place), and idempotence covers a crash at version 0.  This crash invariant
(block 0 starts with 7) then fails at setup, from the zeroed disk.
"""
import os

from seplogic.document import FunctionDef
from seplogic.parser import parse_file
from tests.kernel_helpers import check_text
from theories.interp import Crashed, Machine

TEXT = open(os.path.join(os.path.dirname(__file__), "data", "audit_init_crash.pv"),
            encoding="utf-8").read()


def _get_after_crash_in_init():
    doc = parse_file(TEXT, "audit_init_crash.pv")
    funcs = {c.name: (c.params, c.body) for c in doc.commands if type(c) is FunctionDef}
    m = Machine(funcs)
    try:
        m.run_until_crash("init", [], 1)
    except Crashed:
        h = m.run("rec", [])
        return m.run("get", [h])
    raise AssertionError("init finished in one step")


def test_a_crash_during_init_is_not_covered_by_theorem2():
    s = check_text(TEXT)
    st = {r.name: r.status for r in s.results}
    assert all(st[t] == "proved" for t in ("get_ok", "rec_ok", "crash_ok", "idem_ok",
                                            "init_ok")), st
    assert st["setup_ok"] == "failed"
    assert "nth(zero_bytes(), 0) = Some(7)" in "\n".join(d.render() for d in s.diagnostics)
    # the reference semantics: crash in init, recover, Get -> false; the spec only allows true
    assert _get_after_crash_in_init() is False
    ref = s.kernel.refinements.get("t_refines")
    assert ref is None or ref.admits, "t_refines recorded although a crash during init breaks it"
