"""Audit 2: ``Print r`` hides the definitions a sealed spec relies on, so a vacuous refinement
reads as a meaningful one.

``Print r`` is documented as printing "everything a refinement means" (docs/kernel.md, "What a
refinement means"; driver/load.py ``print_statement``), read off the kernel's record.  But the
spec's programs and initial state may call user ``Definition``s, and neither ``Print r`` nor
``Print Assumptions r`` shows their bodies.  Here

    Definition always (u : unit) : bool := false.
    Operation T Get := if #(t.always(())) then ret(true) else undefined().

prints as ``Operation Get := if #(t.always(())) then ret(true) else undefined()``: it reads as "Get
returns true", while the spec is undefined on every call, so the code (``get`` returns false)
has no obligation and the refinement is vacuous.

Root cause: driver/meaning.py ``describe_refinement`` shows the spec's terms with their
definition names only (and the kernel's ``Refinement`` record does not keep the definitions
the spec uses, so Print could not state them from the record either).

Correct behaviour: Print r states every definition the spec's operations, crash step and
initial state use (transitively), or the refinement is refused/flagged.
"""
import os

from tests.kernel_helpers import check_text

TEXT = open(os.path.join(os.path.dirname(__file__), "data", "audit2_print_defs.pv"),
            encoding="utf-8").read()


def test_print_shows_the_definitions_the_spec_uses():
    s = check_text(TEXT)
    st = {r.name: r.status for r in s.results}
    assert st.get("t_refines") == "proved", st
    text = "\n".join(s.output)
    assert "if #(t.always(())) then ret(true) else undefined()" in text
    # what `always` is must be part of what the refinement is said to mean
    defs = [ln for ln in s.output if "always" in ln and "Operation" not in ln]
    assert any("false" in ln for ln in defs), (
        "Print t_refines does not say that always(()) is false, i.e. that Get is always "
        "undefined:\n" + text)
