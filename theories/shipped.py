"""The semantics axioms and initial-state predicates, parsed once and shipped.

Parsing the ~50 axioms' text took ~19 ms of every start.  ``axioms.json`` beside this file
holds them parsed, as one table of distinct nodes (`seplogic.serial.SharedEncoder`: equal
subterms once, decoded once and shared: ~1 ms, against ~7 ms for a tree per axiom), each
axiom with the SHA-256 of the text it came from, and the grammar's; an entry is used only when
both still match, otherwise the text is parsed (correct, only slower).
tests/test_theories_shipped.py checks the shipped form equals parsing the text.  Regenerate
after editing an axiom or the grammar:

    python -m theories.shipped --write
"""
from __future__ import annotations

import json
import os

from seplogic.digest import sha256_hex

DATA_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "axioms.json")
REGENERATE = "python -m theories.shipped --write"
_FORMAT = 2           # 2: one shared node table (seplogic.serial.SharedEncoder)
_PRIM_FIELDS = ("name", "params", "version", "pre", "expr", "binders", "ret", "post",
                "needs_top", "source")
_data: dict = {}


def _grammar_sha256() -> str:
    from seplogic import lalr      # the tables and the parser runtime
    return lalr._grammar_digest(lalr._grammar_text())


def _text_sha256(text: str) -> str:
    return sha256_hex(text)


def _load() -> dict:
    """The shipped file with its node table decoded (``"table"``), or {} where it is missing,
    malformed or made from another grammar (then every text is parsed)."""
    if "d" not in _data:
        from seplogic.serial import SerialError, decode_shared
        try:
            with open(DATA_PATH, encoding="utf-8") as f:
                d = json.load(f)
            if d.get("format") != _FORMAT or d.get("grammar_sha256") != _grammar_sha256():
                d = {}
            else:
                d["table"] = decode_shared(d["nodes"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError, SerialError):
            d = {}
        _data["d"] = d
    return _data["d"]


def axioms(texts) -> list:
    """The `PrimAxiom`s of these `AxiomText`s: shipped where current, parsed otherwise."""
    from kernel.core import PrimAxiom
    from seplogic.serial import SerialError, shared_field
    d = _load()
    shipped, table = d.get("axioms", {}), d.get("table", [])
    out = []
    for t in texts:
        entry = shipped.get(t.name)
        ax = None
        if type(entry) is dict and entry.get("sha256") == t.digest():
            try:
                ax = PrimAxiom(*(shared_field(x, table) for x in entry["fields"]))
            except (SerialError, KeyError, TypeError):
                ax = None
        out.append(ax if ax is not None else t.parse())
    return out


def assertion(text: str):
    """The assertion of an initial-state predicate's text: shipped where current."""
    from seplogic.serial import SerialError, shared_field
    d = _load()
    entry = d.get("assertions", {}).get(text)
    if type(entry) is dict and entry.get("sha256") == _text_sha256(text):
        try:
            return shared_field(entry["value"], d["table"])
        except (SerialError, KeyError, TypeError):
            pass
    from seplogic.parser import parse_assertion
    return parse_assertion(text)


def all_texts():
    """Every semantics' axiom texts and initial-state texts, as `install_all` installs them."""
    from . import SEMANTICS
    axs, inits = [], []
    for mod in SEMANTICS():
        axs += mod.AXIOMS
        if hasattr(mod, "INIT"):
            inits.append(mod.INIT[1])
    return axs, inits


def build() -> dict:
    """Parse every text (the reference the shipped data must equal)."""
    from seplogic.parser import parse_assertion
    from seplogic.serial import SharedEncoder
    axs, inits = all_texts()
    enc = SharedEncoder()
    data = {"format": _FORMAT, "grammar_sha256": _grammar_sha256(),
            "axioms": {t.name: {"sha256": t.digest(),
                                "fields": [enc.encode(getattr(t.parse(), f))
                                           for f in _PRIM_FIELDS]}
                       for t in axs},
            "assertions": {s: {"sha256": _text_sha256(s), "value": enc.encode(parse_assertion(s))}
                           for s in inits}}
    data["nodes"] = enc.nodes
    return data


def data_json(data: dict) -> str:
    """One node, axiom or assertion a line, so that a changed axiom is a short diff."""
    parts = []
    for k, v in data.items():
        if type(v) is dict:
            v = "{\n" + ",\n".join(f"{json.dumps(n, ensure_ascii=False)}: "
                                   f"{json.dumps(x, ensure_ascii=False)}"
                                   for n, x in v.items()) + "\n}"
        elif type(v) is list:
            v = "[\n" + ",\n".join(json.dumps(x, ensure_ascii=False) for x in v) + "\n]"
        else:
            v = json.dumps(v)
        parts.append(f"{json.dumps(k)}: {v}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def write(path: str = DATA_PATH) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(data_json(build()))
    _data.clear()


if __name__ == "__main__":
    import sys
    if sys.argv[1:] != ["--write"]:
        sys.exit(f"usage: {REGENERATE}")
    write()
    print(f"wrote {DATA_PATH}")
