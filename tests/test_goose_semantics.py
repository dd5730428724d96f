"""The semantics corpus proofs/semantics/: every `func testX() bool` returns true when the Go
toolchain runs it (semantics_test.go, run here with `go test`; skipped only when `go` is not
installed -- CI installs it) and when pv's interpreter runs its translation
(semantics_goose.pv, the committed output of `pv goose`), under several scheduler seeds."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import pytest

from driver.cli import load_functions, main
from theories.interp import Machine, Stuck

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROOFS = os.path.join(ROOT, "proofs")
PKG = os.path.join(PROOFS, "semantics")
MODEL = os.path.join(PKG, "semantics_goose.pv")
SEEDS = (0, 1, 2, 3)


def go_names():
    with open(os.path.join(PKG, "semantics.go"), encoding="utf-8") as f:
        return re.findall(r"^func (test\w+)\(\) bool \{", f.read(), re.M)


def test_corpus_is_complete():
    names = go_names()
    assert len(names) >= 40 and len(set(names)) == len(names)
    with open(os.path.join(PKG, "semantics_test.go"), encoding="utf-8") as f:
        table = re.findall(r'\{"(test\w+)", (test\w+)\}', f.read())
    assert [a for a, b in table] == names and all(a == b for a, b in table)
    funcs = load_functions(MODEL)
    assert [n for n in funcs if n.startswith("semantics_test")] == \
        ["semantics_" + n for n in names]


def pv_results():
    funcs = load_functions(MODEL)
    table = {n: (f[0], f[1]) for n, f in funcs.items()}
    out = {}
    for name in go_names():
        results = []
        for seed in SEEDS:
            try:
                results.append(Machine(table, seed=seed).run("semantics_" + name, []))
            except Stuck as e:
                results.append(f"stuck: {e}")
        out[name] = results[0] if all(r == results[0] for r in results) else results
    return out


def go_results():
    env = dict(os.environ, GOPROXY="off", GOTOOLCHAIN="local")
    if not env.get("HOME") and not env.get("GOCACHE"):
        env["GOCACHE"] = os.path.join(tempfile.gettempdir(), "pv-go-cache")
    r = subprocess.run(["go", "test", "-count=1", "-v", "-run", "^TestSemantics$",
                        "./semantics/"], cwd=PROOFS, env=env, capture_output=True, text=True,
                       timeout=600)
    res = {name: status == "PASS"
           for status, name in re.findall(r"--- (PASS|FAIL): TestSemantics/(\w+)", r.stdout)}
    assert res, f"go test printed no results:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return res


def test_pv_interpreter_returns_true_for_every_function():
    bad = {n: r for n, r in pv_results().items() if r is not True}
    assert not bad, bad


@pytest.mark.skipif(shutil.which("go") is None, reason="the Go toolchain is not installed")
def test_go_and_pv_agree_on_every_function():
    go = go_results()
    pv = pv_results()
    assert set(go) == set(pv)
    disagree = {n: (go[n], pv[n]) for n in go if go[n] != (pv[n] is True)}
    assert not disagree, disagree
    assert all(go.values())


def test_pv_run_cli(capsys):
    assert main(["run", MODEL, "semantics_testMapIteration"]) == 0
    assert capsys.readouterr().out == "true\n"
    assert main(["run", MODEL, "semantics_find", "3", "false"]) == 1
    err = capsys.readouterr().err
    assert "semantics_find is stuck" in err and re.match(rf"{re.escape(MODEL)}:\d+:1: error:",
                                                          err)
    assert main(["run", MODEL, "semantics_divmod", "17", "5"]) == 0
    assert capsys.readouterr().out == "(3, 2)\n"


def test_pv_run_is_fast():
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "driver.cli", "run", MODEL,
                        "semantics_testGoroutinesMutex"], cwd=ROOT, capture_output=True,
                       text=True)
    elapsed = time.perf_counter() - t0
    assert r.returncode == 0 and r.stdout == "true\n", r.stderr
    assert elapsed < 2.0      # about 0.12 s (bench/goose_bench.py); loose for slow CI machines
