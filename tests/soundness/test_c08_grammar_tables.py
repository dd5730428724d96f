"""Class 8 of issue 9: the parse tables were read from a file in the world-writable temporary
directory (named after the grammar's checksum, no owner check), so another local user could
plant tables that change what pv parses.  They now ship inside the package and are read only
from there; this module checks that nothing in a temporary directory is read or written, that
the shipped file is exactly what lark computes from grammar.lark, and that a wheel ships it."""
import configparser
import fnmatch
import marshal
import os
import sys
import tempfile
import zlib

import pytest

import seplogic.lalr as L   # the tables and the parser runtime
import seplogic.parser as P
from seplogic.syntax import App, Lit, Var

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REGENERATE = "python -m seplogic.parser --write-tables"


def _planted_tables() -> dict:
    """Real tables with `+` and `-` swapped, in the old cache's layout: whoever loads them
    reads `x + 1` as `x - 1`."""
    pytest.importorskip("lark")
    data = P._build_tables(P._grammar_text())
    swap = {"+": "-", "-": "+"}
    data["terminals"] = [(n, k, swap.get(v, v), tuple(f)) for n, k, v, f in data["terminals"]]
    data["format"] = 1
    data["grammar"] = P._grammar_text()
    return data


def test_tables_planted_in_the_temporary_directory_are_ignored(tmp_path, monkeypatch):
    """Plant tables (at the name the old cache used, and a few more) in the temporary directory
    and parse: the planted tables must not be used, and nothing is written there."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    grammar = P._grammar_text()
    key = (f"{zlib.crc32(grammar.encode('utf-8')):08x}-{len(grammar)}-f1"
           f"-py{sys.version_info[0]}{sys.version_info[1]}")
    blob = marshal.dumps(_planted_tables())
    for user in {os.getuid() if hasattr(os, "getuid") else "u", 0, 1000, "u"}:
        (tmp_path / f"pv-grammar-{user}-{key}.marshal").write_bytes(blob)
    before = sorted(os.listdir(tmp_path))
    monkeypatch.setattr(L, "_tables_cache", {})
    assert P.parse_term("x + 1") == App("add", (Var("x"), Lit("int", 1)))
    assert sorted(os.listdir(tmp_path)) == before


def test_the_parser_reads_no_file_outside_the_package(monkeypatch):
    """Loading the tables opens only files of the seplogic package."""
    import builtins
    opened = []
    real_open = builtins.open

    def spy(path, *a, **kw):
        opened.append(os.path.abspath(os.fspath(path)))
        return real_open(path, *a, **kw)

    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr(L, "_tables_cache", {})
    P.parse_term("x")
    package = os.path.dirname(os.path.abspath(P.__file__))
    assert opened and all(os.path.dirname(p) == package for p in opened), opened


def test_shipped_tables_are_what_lark_computes_from_the_grammar():
    """Editing grammar.lark without regenerating the tables fails here."""
    pytest.importorskip("lark")
    with open(P.TABLES_PATH, encoding="utf-8") as f:
        shipped = f.read()
    fresh = P.tables_json(P._build_tables(P._grammar_text()))
    assert shipped == fresh, (f"seplogic/grammar_tables.json is out of date with "
                              f"seplogic/grammar.lark: regenerate it with `{REGENERATE}`")


def test_tables_made_from_another_grammar_are_refused(monkeypatch):
    """A stale table file is an error naming the regeneration command, not a silent misparse."""
    monkeypatch.setattr(L, "_grammar_text", lambda: "start: IDENT\n")
    with pytest.raises(RuntimeError, match="--write-tables"):
        L._load_tables()


def test_setup_cfg_ships_the_tables():
    """A non-editable install (wheel) carries the tables: package_data names the file."""
    cfg = configparser.ConfigParser()
    cfg.read(os.path.join(ROOT, "setup.cfg"))
    patterns = [p.strip() for p in cfg["options.package_data"]["seplogic"].split(",")]
    for name in ("grammar_tables.json", "grammar.lark"):
        assert any(fnmatch.fnmatch(name, p) for p in patterns), name
