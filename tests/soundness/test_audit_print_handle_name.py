"""Audit: `Print r` names the handle ``h`` and an operation parameter ``h`` alike.

describe_refinement (driver/meaning.py) prints each operation's implementation as
``f(h, x1, ...)`` with the literal name ``h`` for the handle and the spec's parameter names for
the arguments.  An operation parameter named ``h`` then prints as ``pick(h, h, n1)`` next to
``Operation Pick (h : u64) (n1 : u64) := #h``: the printed statement reads as if Pick returned
the handle, and which argument is which cannot be read off it.

Correct behaviour: the printed implementation line binds the handle under a name that no
parameter of the operation has (so every name in the line means one thing)."""
import os

from tests.kernel_helpers import check_text

SEL = open(os.path.join(os.path.dirname(__file__), "data", "sel.pv"), encoding="utf-8").read()


def test_print_keeps_the_handle_apart_from_a_parameter_named_h():
    text = SEL.replace("Operation Sel Pick (n : u64) (n1 : u64) := #n.",
                       "Operation Sel Pick (h : u64) (n1 : u64) := #h.") + "Print sel_refines.\n"
    s = check_text(text)
    assert "t.sel_refines" in s.kernel.refinements
    line = next(ln for ln in s.output if "Operation t.Pick" in ln)
    impl = line[line.index("[implemented by "):]
    args = impl[impl.index("(") + 1:impl.index(")")].split(", ")
    assert len(set(args)) == len(args), line
