"""`pv check -j N` (issue 13, point 3): independent files in parallel processes, with the
output, certificate, JSON and exit status of ``-j 1``."""
from __future__ import annotations

import json
import re

import pytest

from driver.check import groups
from driver.cli import main

FILES = {
    "a/spec.pv": 'Definition one : nat := 1.\n',
    "a/use.pv": 'Require "spec.pv".\nTheorem a_ok : ⌜one = 1⌝.\nProof.\n  done.\nQed.\n'
                'Print Assumptions a_ok.\n',
    "b/spec.pv": 'Definition two : nat := 2.\nTheorem b_bad : ⌜two = 3⌝.\nProof.\n  done.\n'
                 'Qed.\n',
    "b/use.pv": 'Require "spec.pv".\nTheorem b_dep : ⌜two = 2⌝.\nProof.\n  use b_bad as "H".\n'
                '  done.\nQed.\nPrint Assumptions b_dep.\n',
    "c/alone.pv": 'Theorem c_ok (x : nat) : ⌜x = x⌝.\nProof.\n  intros x.\n  done.\nQed.\n',
    "c/broken.pv": 'Theorem c_syntax : ⌜1 = 1⌝.\nProof.\n  done\nQed.\nDefinition k : nat := .\n',
    "d/lonely.pv": 'Require "../c/alone.pv".\nTheorem d_ok : ⌜2 = 2⌝.\nProof.\n  done.\nQed.\n',
    "e/free.pv": 'Theorem e_adm : ⌜3 = 3⌝.\nAdmitted.\n',
}


def write_tree(root, files: dict):
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def tree(tmp_path):
    write_tree(tmp_path, FILES)
    (tmp_path / "e" / "latin1.pv").write_bytes(b"(* caf\xe9 *)\n")
    return tmp_path


def _times(text: str) -> str:
    return re.sub(r"\[\d+ ms\]|\(\d+\.\d\d s\)", "", text)


def run(capsys, *args):
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, _times(out), err


def test_groups_follow_require_and_module_names(tree):
    from driver.cli import collect
    files, _ = collect([str(tree)])
    names = [f[len(str(tree)) + 1:] for f in files]
    got = [[names[i] for i in g] for g in groups(files)]
    # a/ and b/ share the module name spec (and use): one group; d requires c
    assert got == [["a/spec.pv", "a/use.pv", "b/spec.pv", "b/use.pv"],
                   ["c/alone.pv", "d/lonely.pv"], ["c/broken.pv"],
                   ["e/free.pv"], ["e/latin1.pv"]]


@pytest.mark.parametrize("extra", [[], ["--no-cache"], ["-q"], ["--allow-admit"]])
def test_jobs_print_what_one_job_prints(tree, capsys, extra):
    one = run(capsys, *extra, "-j", "1", str(tree))
    assert one[0] == 1 and "error:" in one[2]
    assert ("b_bad: FAILED" in one[1]) == ("-q" not in extra)
    for j in ("2", "3"):
        assert run(capsys, *extra, "-j", j, str(tree)) == one


def test_jobs_write_the_certificate_of_one_job(tree, tmp_path, capsys):
    c1, c2 = tmp_path / "one.json", tmp_path / "two.json"
    assert main(["check", "--certificate", str(c1), str(tree)]) == 1
    assert main(["check", "-j", "2", "--certificate", str(c2), str(tree)]) == 1
    capsys.readouterr()
    assert c1.read_text(encoding="utf-8") == c2.read_text(encoding="utf-8")


def test_jobs_give_the_json_of_one_job(tree, capsys):
    def doc(*args):
        assert main(["check", "--json", *args, str(tree)]) == 1
        d = json.loads(capsys.readouterr().out)
        for t in d["theorems"]:
            t.pop("seconds")
        d["summary"].pop("seconds")
        d["summary"]["text"] = _times(d["summary"]["text"])
        return d
    one = doc()
    assert one["summary"]["files"] == 9 and len(one["diagnostics"]) >= 3
    assert doc("-j", "2") == one


def test_jobs_on_the_case_studies_part(capsys):
    """Real proofs: the heap examples and the spin lock, in three groups."""
    args = ["proofs/heap", "proofs/bench"]
    one = run(capsys, "--no-cache", *args)
    assert one[0] == 0
    assert run(capsys, "--no-cache", "-j", "2", *args) == one


def test_jobs_must_be_positive(capsys, tree):
    assert main(["check", "-j", "0", str(tree)]) == 2
    assert "-j takes" in capsys.readouterr().err


def test_groups_are_checked_in_other_processes(tree, monkeypatch):
    import argparse
    import os

    import driver.check as check
    from driver.cli import collect
    real = check.check_files

    def marked(files, indices, opts, emit=None, preload=()):
        chunks, totals = real(files, indices, opts, emit, preload)
        chunks[0].events.append(("out", f"pid {os.getpid()}"))
        return chunks, totals

    monkeypatch.setattr(check, "check_files", marked)
    files, _ = collect([str(tree)])
    opts = argparse.Namespace(quiet=False, json=False, certificate=None, no_cache=True,
                              trust_cache=False, width=80)
    lines = []
    chunks, totals = check.check_parallel(files, opts, 2, lambda s, ln: lines.append(ln))
    pids = {ln for ln in lines if ln.startswith("pid ")}
    assert pids and f"pid {os.getpid()}" not in pids
    assert totals.files == 9 and [c.index for c in chunks] == list(range(len(files)))


def test_a_require_with_an_escape_makes_one_group(tree):
    (tree / "e" / "free.pv").write_text('Require "..\\u0041/x.pv".\n', encoding="utf-8")
    from driver.cli import collect
    files, _ = collect([str(tree)])
    assert groups(files) == [list(range(len(files)))]


SHARED = {
    "o/early.pv": 'Require "../p/spec.pv".\nTheorem o_ok : ⌜three() = 3⌝.\nProof.\n  done.\nQed.\n',
    "p/spec.pv": 'Definition three : nat := 3.\nDefinition bad : nat := .\n',
    "p/worky.pv": 'Definition four : nat := 4.\nTheorem w : ⌜four() = 4⌝.\nProof.\n  done.\nQed.\n',
    "q/one.pv": 'Require "../p/spec.pv".\nRequire "../p/worky.pv".\n'
                'Theorem q_ok : ⌜three() + four() = 7⌝.\nProof.\n  done.\nQed.\nPrint q_ok.\n',
    "r/two.pv": 'Require "../p/spec.pv".\nTheorem r_bad : ⌜three() = 4⌝.\nProof.\n  done.\nQed.\n'
                'Definition broken : nat := .\n',
    "s/three.pv": 'Require "../p/spec.pv".\nTheorem s_ok : ⌜three() = 3⌝.\nProof.\n  done.\nQed.\n'
                  'Print Assumptions s_ok.\n',
}


@pytest.fixture
def shared(tmp_path):
    return write_tree(tmp_path, SHARED)


def test_a_file_that_checks_nothing_is_loaded_by_each_group_that_needs_it(shared):
    """p/spec.pv requires and proves nothing: the later files that require it are groups of
    their own, each loading it first; the earlier one (o/early.pv, whose chunk loads it under
    -j 1) keeps it in its group, and p/worky.pv (it proves a theorem) joins its user's."""
    from driver.check import plan
    from driver.cli import collect
    files, _ = collect([str(shared)])
    names = [f[len(str(shared)) + 1:] for f in files]
    got = [([names[i] for i in g], [names[i] for i in p]) for g, p in plan(files)]
    assert got == [(["o/early.pv", "p/spec.pv"], []),
                   (["p/worky.pv", "q/one.pv"], ["p/spec.pv"]),
                   (["r/two.pv"], ["p/spec.pv"]), (["s/three.pv"], ["p/spec.pv"])]


@pytest.mark.parametrize("extra", [[], ["-q"], ["--no-cache"]])
def test_groups_loading_a_shared_file_print_what_one_job_prints(shared, capsys, extra):
    one = run(capsys, *extra, "-j", "1", str(shared))
    assert one[0] == 1 and "6 files" in one[1] and "spec.pv:2:25: error" in one[2]
    assert ("r_bad: FAILED" in one[1]) == ("-q" not in extra)
    assert run(capsys, *extra, "-j", "3", str(shared)) == one


def test_groups_loading_a_shared_file_write_the_certificate_and_json_of_one_job(shared,
                                                                                tmp_path,
                                                                                capsys):
    c1, c2 = tmp_path / "one.json", tmp_path / "two.json"
    assert main(["check", "--certificate", str(c1), str(shared)]) == 1
    assert main(["check", "-j", "2", "--certificate", str(c2), str(shared)]) == 1
    capsys.readouterr()
    assert c1.read_text(encoding="utf-8") == c2.read_text(encoding="utf-8")
    docs = []
    for j in ("1", "2"):
        assert main(["check", "--json", "-j", j, str(shared)]) == 1
        d = json.loads(capsys.readouterr().out)
        for t in d["theorems"]:
            t.pop("seconds")
        d["summary"].pop("seconds")
        d["summary"]["text"] = _times(d["summary"]["text"])
        docs.append(d)
    assert docs[0] == docs[1] and docs[0]["summary"]["files"] == 6


def test_the_default_is_one_process_per_processor_with_the_output_of_one(tree, capsys,
                                                                          monkeypatch):
    import driver.check as check
    import driver.cli as cli
    assert 1 <= cli.default_jobs() <= 8
    used = []
    real = check.check_parallel

    def spy(files, opts, jobs, emit, unless_small=False):
        used.append((jobs, unless_small))
        return real(files, opts, jobs, emit, unless_small)
    monkeypatch.setattr(check, "check_parallel", spy)
    monkeypatch.setattr(cli, "default_jobs", lambda: 3)
    default = run(capsys, str(tree))
    assert used == [(3, True)] and default == run(capsys, "-j", "1", str(tree))
    assert run(capsys, "-j", "2", str(tree)) == default and used[-1] == (2, False)


def test_the_default_keeps_one_process_when_one_group_is_nearly_all_the_work(tmp_path,
                                                                              monkeypatch):
    import driver.check as check
    (tmp_path / "big.pv").write_text("(* padding *)\n" * 400 + FILES["c/alone.pv"],
                                     encoding="utf-8")
    (tmp_path / "small.pv").write_text(FILES["e/free.pv"], encoding="utf-8")
    files = [str(tmp_path / "big.pv"), str(tmp_path / "small.pv")]
    seen = []
    monkeypatch.setattr(check, "check_files", lambda f, i, o, e=None, p=(): seen.append(list(i)))
    check.check_parallel(files, None, 2, None, unless_small=True)
    assert seen == [[0, 1]]          # one session for both: no processes started
