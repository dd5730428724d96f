"""Holes in `pv check -j` found by the issue-13 audit (session 7): trees where ``-j 2`` printed,
certified or counted differently from ``-j 1``, now fixed in driver/check.py `plan`.  Each
test compares the two runs (exit status, stdout, stderr, certificate).
"""
from __future__ import annotations

import re

import pytest

from driver.cli import main

OK = '\nTheorem {0} : ⌜{1}⌝.\nProof.\n  done.\nQed.\n'


def _write(root, tree: dict):
    for name, text in tree.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")


def _run(capsys, root, files, jobs):
    cert = root / f"cert{jobs}.json"
    code = main(["check", "--no-cache", "-j", str(jobs), "--certificate", str(cert),
                 *[str(root / f) for f in files]])
    out, err = capsys.readouterr()
    return code, re.sub(r"\[\d+ ms\]|\(\d+\.\d\d s\)", "", out), err, cert.read_text("utf-8")


def _same(capsys, root, files):
    one = _run(capsys, root, files, 1)
    assert _run(capsys, root, files, 2) == one
    return one


@pytest.mark.parametrize("req", ['Require"shared.pv".', 'Require(* the spec *) "shared.pv".'])
def test_a_require_the_parser_reads_but_the_regex_does_not(tmp_path, capsys, req):
    """The parser blanks comments and needs no space before the string; `plan` reads Require
    with `\\s+` on the raw text, so b.pv is a group of its own and loads shared.pv again:
    its theorem is printed, counted and certified twice (the certificate then fails
    `pv recheck`: shared.s_ok is already defined)."""
    _write(tmp_path, {"shared.pv": OK.format("s_ok", "1 = 1"),
                      "a.pv": 'Require "shared.pv".' + OK.format("a_ok", "2 = 2"),
                      "b.pv": req + OK.format("b_ok", "2 = 2")})
    one = _same(capsys, tmp_path, ["a.pv", "b.pv"])
    assert one[0] == 0 and one[1].count("s_ok: ok") == 1


def test_the_same_file_named_twice_on_the_command_line(tmp_path, capsys):
    """f.pv p.pv f.pv: `index` keeps f's last position, so p.pv (before it) is taken for a
    prerequisite loaded silently; but -j 1 loads p inside f's first chunk, so its
    diagnostics and certificate entries come before f's, and under -j 2 after them."""
    _write(tmp_path, {"p.pv": 'Definition one : nat := 1.\nDefinition bad : nat := true.\n',
                      "f.pv": 'Require "p.pv".' + OK.format("f_ok", "one() = 1")})
    one = _same(capsys, tmp_path, ["f.pv", "p.pv", "f.pv"])
    assert one[0] == 1 and "p.pv:2:1: error" in one[2]


def test_a_prerequisite_named_like_a_module_of_another_group(tmp_path, capsys):
    """g.pv requires lib/p.pv (module p), so p.pv, loaded later, is the module tmp….p under
    -j 1; f.pv's process preloads p.pv alone, where it is the module p: f's certificate
    entries name p.one, a name the merged certificate does not define (`pv recheck` of it
    fails f_ok)."""
    _write(tmp_path, {"lib/p.pv": 'Definition two : nat := 2.\n',
                      "p.pv": 'Definition one : nat := 1.\n',
                      "g.pv": 'Require "lib/p.pv".' + OK.format("g_ok", "two() = 2"),
                      "f.pv": 'Require "p.pv".' + OK.format("f_ok", "one() = 1")})
    one = _same(capsys, tmp_path, ["g.pv", "p.pv", "f.pv"])
    assert one[0] == 0 and "f_ok: ok" in one[1]
