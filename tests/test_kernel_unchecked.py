"""Kernel.record_unchecked (`pv check --trust-cache`): a theorem recorded without a derivation
is marked, its mark cannot be dropped by what the caller passes, and it is refused where an
admit would be (a taken name, an ill-formed statement, a dependency that does not exist)."""
import pytest

from kernel.core import UNCHECKED, Kernel, KernelError
from seplogic.syntax import App, Lit, Pure

TRUE_FACT = Pure(App("eq", (Lit("int", 1), Lit("int", 1))))


def test_the_record_is_marked_whatever_axioms_it_is_given():
    k = Kernel()
    thm = k.record_unchecked("t", TRUE_FACT, ["heap_alloc", UNCHECKED + "other"], [], [])
    assert UNCHECKED + "t" in thm.axioms and "heap_alloc" in thm.axioms
    assert UNCHECKED + "other" not in thm.axioms      # the caller cannot forge another's mark
    assert k.theorems["t"] is thm and not thm.admits


def test_it_inherits_what_its_dependencies_rest_on():
    k = Kernel()
    k.admit("a", TRUE_FACT)
    k.record_unchecked("b", TRUE_FACT, [], [], ["a"])
    thm = k.record_unchecked("c", TRUE_FACT, [], [], ["b"])
    assert thm.admits == {"a"} and {UNCHECKED + "b", UNCHECKED + "c"} <= thm.axioms


@pytest.mark.parametrize("why, call", [
    ("taken name", lambda k: k.record_unchecked("a", TRUE_FACT, [], [], [])),
    ("unknown dependency", lambda k: k.record_unchecked("n", TRUE_FACT, [], [], ["nope"])),
    ("ill-sorted statement", lambda k: k.record_unchecked(
        "n", Pure(App("add", (Lit("int", 1), Lit("int", 1)))), [], [], [])),
    ("bad name", lambda k: k.record_unchecked("a b", TRUE_FACT, [], [], [])),
])
def test_misuse_is_refused(why, call):
    k = Kernel()
    k.admit("a", TRUE_FACT)
    with pytest.raises(KernelError):
        call(k)
    assert set(k.theorems) == {"a"}, why


def test_a_certificate_cannot_record_an_unchecked_theorem(tmp_path, capsys):
    """`pv recheck` replays only the calls that check (or admit, reported as admitted): an entry
    naming record_unchecked is refused, and nothing is recorded by it."""
    import json
    from driver.certificate import FORMAT, SerialError, kernel_call
    from driver.cli import main
    from seplogic.serial import encode
    with pytest.raises(SerialError, match="unknown kernel call"):
        kernel_call(Kernel(), "record_unchecked", ("t", TRUE_FACT, [], [], []))
    cert = tmp_path / "c.json"
    cert.write_text(json.dumps({"format": FORMAT, "entries": [
        {"call": "record_unchecked", "args": [encode(x) for x in ("t", TRUE_FACT, [], [], [])]}]}))
    assert main(["recheck", str(cert)]) == 1
    out = capsys.readouterr()
    assert "error" in out.err and "0 proven" in out.out + out.err
