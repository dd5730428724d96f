"""The VS Code extension in editors/vscode/: the committed TextMate grammar and Unicode input
table are what gen_grammar.py generates from seplogic/vocabulary.py, the manifest points at
them, the grammar passes its tests in VS Code's real TextMate engine (editors/vscode/test/run.sh,
Node + npm), and extension.js loads and works in Node with `vscode` stubbed
(editors/vscode/test/extension.test.js)."""
import importlib.util
import json
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXT = os.path.join(ROOT, "editors", "vscode")


def _gen():
    spec = importlib.util.spec_from_file_location("pv_gen_grammar",
                                                  os.path.join(EXT, "gen_grammar.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_generated_grammar_is_up_to_date():
    gen = _gen()
    with open(gen.OUT, encoding="utf-8") as f:
        assert f.read() == gen.render(), \
            "editors/vscode/syntaxes/pv.tmLanguage.json is out of date: " \
            "run python editors/vscode/gen_grammar.py"


def test_generated_abbreviations_are_up_to_date():
    gen = _gen()
    with open(gen.ABBREV_OUT, encoding="utf-8") as f:
        assert f.read() == gen.render_abbreviations(), \
            "editors/vscode/abbreviations.json is out of date: " \
            "run python editors/vscode/gen_grammar.py"


def test_abbreviations_cover_the_notations():
    from seplogic import vocabulary as V
    table = dict(V.ABBREVIATIONS)
    assert len(table) == len(V.ABBREVIATIONS), "a name is given twice"
    assert all(n.isascii() and n.isalpha() for n in table)    # extension.js: \\[A-Za-z]+
    unicode = {u for u, _ in V.NOTATIONS if not u.isascii()}
    assert unicode <= set(table.values()), unicode - set(table.values())
    for name, sym in {"sep": "∗", "wand": "-∗", "forall": "∀", "exists": "∃", "mapsto": "↦",
                      "lc": "⌜", "rc": "⌝", "spec": "⤇"}.items():
        assert table[name] == sym


def test_extension_in_node_with_vscode_stubbed():
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    r = subprocess.run(["node", "--test", "extension.test.js"], cwd=os.path.join(EXT, "test"),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, (r.stdout[-6000:] + "\n" + r.stderr[-3000:])


def test_manifest():
    with open(os.path.join(EXT, "package.json"), encoding="utf-8") as f:
        pkg = json.load(f)
    (lang,) = pkg["contributes"]["languages"]
    (gram,) = pkg["contributes"]["grammars"]
    assert lang["id"] == gram["language"] == "pv" and lang["extensions"] == [".pv"]
    assert os.path.isfile(os.path.join(EXT, pkg["main"]))
    assert pkg["activationEvents"] == ["onLanguage:pv"]
    assert "vscode-languageclient" in pkg["dependencies"]
    with open(os.path.join(EXT, gram["path"]), encoding="utf-8") as f:
        assert json.load(f)["scopeName"] == gram["scopeName"]
    with open(os.path.join(EXT, lang["configuration"]), encoding="utf-8") as f:
        conf = json.load(f)
    assert conf["comments"]["blockComment"] == ["(*", "*)"]
    assert ["⌜", "⌝"] in conf["brackets"]
    opens = {p["open"]: p["close"] for p in conf["autoClosingPairs"]}
    assert opens["⌜"] == "⌝" and opens['"'] == '"'


def test_textmate_engine():
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    r = subprocess.run(["bash", os.path.join(EXT, "test", "run.sh")],
                       env={**os.environ, "PYTHON": sys.executable},
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, (r.stdout[-6000:] + "\n" + r.stderr[-3000:])
