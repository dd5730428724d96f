"""The shipped parsed axioms (theories/axioms.json) are exactly what parsing their text gives,
and a stale entry (its text or the grammar changed since) is never handed to the kernel."""
import json

from seplogic import serial
from theories import shipped
from theories.axiom_dsl import axiom


def _deep_types(x):
    """The value with every node's type spelled out, so that equal-but-differently-typed
    values (a tuple subclass for a tuple, True for 1) are told apart."""
    if type(x) in (tuple, list):
        return (type(x).__name__, tuple(_deep_types(y) for y in x))
    if hasattr(x, "__slots__") and not isinstance(x, (str, int)):
        return (type(x).__name__, tuple(_deep_types(getattr(x, f)) for f in x.__slots__))
    return (type(x).__name__, x)


def test_shipped_file_is_current():
    with open(shipped.DATA_PATH, encoding="utf-8") as f:
        on_disk = f.read()
    assert on_disk == shipped.data_json(shipped.build()), \
        f"theories/axioms.json is stale: run `{shipped.REGENERATE}`"


def test_every_shipped_axiom_equals_parsing_its_text():
    shipped._data.clear()
    axs, inits = shipped.all_texts()
    assert len(axs) >= 40 and len({t.name for t in axs}) == len(axs)
    got = shipped.axioms(axs)
    for t, ax in zip(axs, got):
        ref = t.parse()
        assert ax == ref and hash(ax) == hash(ref) and _deep_types(ax) == _deep_types(ref), t.name
    data = shipped._load()
    assert set(data["axioms"]) == {t.name for t in axs}     # every one came from the file
    for text in inits:
        from seplogic.parser import parse_assertion
        ref = parse_assertion(text)
        assert shipped.assertion(text) == ref and text in data["assertions"]
        assert _deep_types(shipped.assertion(text)) == _deep_types(ref)


def test_a_changed_text_is_parsed_not_taken_from_the_file():
    """An axiom edited without regenerating: its digest no longer matches, so its new text is
    what the kernel gets (never the stale shipped form)."""
    axs, _ = shipped.all_texts()
    old = next(t for t in axs if t.name == "heap_store")
    new = axiom(old.name, old.params, old.pre, old.expr, old.binders, old.ret,
                "l ↦[n] v", needs_top=old.needs_top, source=old.source)
    (got,) = shipped.axioms([new])
    assert got == new.parse() and got != old.parse()


def test_stale_grammar_or_tampered_entries_fall_back_to_parsing(tmp_path, monkeypatch):
    axs, inits = shipped.all_texts()
    data = shipped.build()
    name = "heap_load"
    fields = data["axioms"][name]["fields"]
    data["nodes"].append(["Emp"])
    fields[7] = [len(data["nodes"]) - 1]                   # another post, digest unchanged
    bad = tmp_path / "axioms.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(shipped, "DATA_PATH", str(bad))
    shipped._data.clear()
    t = next(t for t in axs if t.name == name)
    # a tampered entry with a matching digest is used: the file is trusted like the sources,
    # which is why test_every_shipped_axiom_equals_parsing_its_text guards it
    assert shipped.axioms([t])[0] != t.parse()
    data["grammar_sha256"] = "0" * 64                      # made from another grammar
    bad.write_text(json.dumps(data), encoding="utf-8")
    shipped._data.clear()
    assert shipped.axioms([t])[0] == t.parse()
    assert shipped.assertion(inits[0]) is not None
    bad.write_text("{not json", encoding="utf-8")
    shipped._data.clear()
    assert shipped.axioms([t])[0] == t.parse()
    data = shipped.build()
    data["nodes"][3] = ["Lit", [len(data["nodes"])]]       # a reference to a later node
    bad.write_text(json.dumps(data), encoding="utf-8")
    shipped._data.clear()
    assert shipped._load() == {} and shipped.axioms([t])[0] == t.parse()
    shipped._data.clear()


def test_install_gives_the_kernel_the_parsed_axioms():
    from driver.load import make_kernel
    k = make_kernel()
    axs, _ = shipped.all_texts()
    assert {t.name: t.parse() for t in axs} == {n: k.axioms[n] for n in (t.name for t in axs)}


def test_the_shared_encoding_decodes_to_equal_values_and_refuses_malformed_tables():
    import pytest
    from seplogic.syntax import App, Lit, Var
    enc = serial.SharedEncoder()
    xs = [App("f", (Var("x"), Lit("int", 1))), Lit("bool", True), Lit("int", 1), (1, True),
          (True, 1), (Var("x"), Var("x")), None, "s"]
    fields = [enc.encode(x) for x in xs]
    table = serial.decode_shared(json.loads(json.dumps(enc.nodes)))
    got = [serial.shared_field(f, table) for f in fields]
    assert [_deep_types(g) for g in got] == [_deep_types(x) for x in xs]    # True is not 1
    assert got[5][0] is got[5][1] and got[0].args[0] is got[5][0]           # shared
    for bad in ([["Lit", "int"]], [["Frob", 1]], [["tuple", [0]]], [["Var", [5]]], [[]], {"k": 1},
                [["Var", {"k": "Var"}]], [["Var", 1.5]]):
        with pytest.raises(serial.SerialError):
            serial.decode_shared(bad)
    with pytest.raises(serial.SerialError):
        serial.shared_field([len(table)], table)
