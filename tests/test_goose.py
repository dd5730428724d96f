"""`pv goose`: the committed models of the case studies are what the translator produces, they
parse back to the same programs, unsupported Go is rejected with a located message (one file
per construct in tests/goose_negative/), and the CLI never shows a traceback."""
import glob
import os
import re
import subprocess
import sys
import time

import pytest

from driver.cli import main
from goose import GooseError, translate_package, translator
from seplogic.document import FunctionDef
from seplogic.parser import parse_file
from theories.interp import Machine, Stuck

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROOFS = os.path.join(ROOT, "proofs")
NEGATIVE = os.path.join(ROOT, "tests", "goose_negative")
CASE_STUDIES = ["replicated_disk", "wal", "shadow", "group_commit", "mailboat"]
GENERATED = CASE_STUDIES + ["semantics", "fs_example"]


def golden(pkg):
    return os.path.join(PROOFS, pkg, f"{pkg}_goose.pv")


def run(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


# ---- golden models ---------------------------------------------------------------------------

@pytest.mark.parametrize("pkg", GENERATED)
def test_generated_model_is_up_to_date(pkg):
    text = translate_package(os.path.join(PROOFS, pkg))
    with open(golden(pkg), encoding="utf-8") as f:
        committed = f.read()
    assert committed == text, (f"{golden(pkg)} is out of date: run "
                               f"pv goose proofs/{pkg} -o proofs/{pkg}/{pkg}_goose.pv")


@pytest.mark.parametrize("pkg", GENERATED)
def test_generated_model_parses_back_to_the_translation(pkg):
    tr = translator(os.path.join(PROOFS, pkg))
    doc = parse_file(tr.text, golden(pkg))
    assert all(type(c) is FunctionDef for c in doc.commands)
    assert [(c.name, tuple(c.params), c.body) for c in doc.commands] == tr.functions
    # one Function per Go function, each after a comment naming its Go source lines
    go_src = "".join(open(f, encoding="utf-8").read()
                     for f in sorted(glob.glob(os.path.join(PROOFS, pkg, "*.go")))
                     if not f.endswith("_test.go"))
    go_funcs = re.findall(r"^func (\w+)\(", go_src, re.M)
    assert [c.name for c in doc.commands] == [f"{pkg}_{f}" for f in go_funcs]
    heads = re.findall(r"^\(\* (\S+\.go):(\d+)(?:-(\d+))? \*\)\nFunction (\w+) ", tr.text, re.M)
    assert [h[3] for h in heads] == [c.name for c in doc.commands]
    for path, l0, l1, name in heads:
        lines = open(os.path.join(PROOFS, path), encoding="utf-8").read().splitlines()
        assert lines[int(l0) - 1].startswith("func " + name[len(pkg) + 1:] + "(")
        assert lines[int(l1 or l0) - 1].rstrip().endswith("}")


def test_generated_models_check(capsys):
    code, out, err = run(["check", "-q"] + [golden(p) for p in GENERATED], capsys)
    assert code == 0, err
    assert out.strip().splitlines()[-1].startswith(f"OK: {len(GENERATED)} files")


def test_translation_of_all_case_studies_is_fast():
    translate_package(os.path.join(PROOFS, "wal"))   # imports and parser set-up
    t0 = time.perf_counter()
    for pkg in CASE_STUDIES:
        translate_package(os.path.join(PROOFS, pkg))
    assert time.perf_counter() - t0 < 1.0          # about 0.02 s (bench/goose_bench.py)


def test_case_studies_run_in_the_interpreter():
    """Smoke test of the models with the in-memory primitives."""
    def load(pkg):
        doc = parse_file(translate_package(os.path.join(PROOFS, pkg)), pkg)
        return {c.name: (c.params, c.body) for c in doc.commands}
    m = Machine(load("wal"))
    blk = m.run("wal_Init", [])
    assert blk is not None
    m = Machine(load("group_commit"))
    assert m.run("group_commit_Size", []) == 32 - 9
    m = Machine(load("mailboat"))
    assert m.format(m.run("mailboat_Dirs", [])).startswith("[spool user0 user1 ")


# ---- rejected Go ------------------------------------------------------------------------------

NEGATIVE_FILES = sorted(glob.glob(os.path.join(NEGATIVE, "*.go")))


@pytest.mark.parametrize("path", NEGATIVE_FILES, ids=lambda p: os.path.basename(p)[:-3])
def test_negative(path, capsys):
    with open(path, encoding="utf-8") as f:
        want = re.search(r"^// want: (.*)$", f.read(), re.M).group(1)
    code, out, err = run(["goose", path], capsys)
    assert code == 1 and out == ""
    assert err.strip() == f"{path}:{want}"


def test_every_construct_of_the_brief_has_a_negative_test():
    names = {os.path.basename(p)[:-3] for p in NEGATIVE_FILES}
    for construct in ("interface", "func_literal", "channel_type", "channel_send", "goto",
                      "float", "generics", "defer", "import", "syntax_missing_brace",
                      "syntax_bad_expression"):
        assert construct in names


def write_pkg(tmp_path, src, name="p.go"):
    d = tmp_path / "pkg"
    d.mkdir(exist_ok=True)
    (d / name).write_text(src, encoding="utf-8")
    return str(d)


def test_errors_of_several_functions_are_all_reported(tmp_path, capsys):
    d = write_pkg(tmp_path, "package p\n\nfunc f() { defer g() }\n\nfunc g() {}\n\n"
                            "func h() uint64 { return 1.5 }\n")
    code, out, err = run(["goose", d], capsys)
    assert code == 1
    lines = err.strip().splitlines()
    assert lines == [f"{d}/p.go:3:12: error: defer is not supported",
                     f"{d}/p.go:7:26: error: floating-point number is not supported"]


def test_cli_output_file_and_usage_errors(tmp_path, capsys):
    out_file = tmp_path / "wal.pv"
    code, out, err = run(["goose", os.path.join(PROOFS, "wal"), "-o", str(out_file)], capsys)
    assert code == 0 and out == "" and err == ""
    assert out_file.read_text(encoding="utf-8") == translate_package(os.path.join(PROOFS, "wal"))
    assert run(["goose", str(tmp_path / "missing")], capsys)[0] == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run(["goose", str(empty)], capsys)
    assert code == 1 and "no Go files" in err
    code, out, err = run(["goose", os.path.join(PROOFS, "wal"), "-o",
                          str(tmp_path / "no" / "dir.pv")], capsys)
    assert code == 1 and "cannot write" in err


def test_prefix_option(capsys):
    code, out, err = run(["goose", os.path.join(PROOFS, "shadow"), "--prefix", ""], capsys)
    assert code == 0 and "Function Init () :=" in out and "Function copyAddr (c) :=" in out


def test_goose_subprocess_has_no_traceback(tmp_path):
    bad = tmp_path / "bad.go"
    bad.write_bytes(b"package p\n\nfunc f( {\n\xff\xfe\n")
    r = subprocess.run([sys.executable, "-m", "driver.cli", "goose", str(bad)], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.startswith(f"{bad}:3:") and "syntax error" in r.stderr


# ---- translation details (run in the interpreter) ----------------------------------------------

def run_go(tmp_path, src, func, args=(), seed=0):
    d = write_pkg(tmp_path, src)
    doc = parse_file(translate_package(d), "p.pv")
    m = Machine({c.name: (c.params, c.body) for c in doc.commands}, seed=seed)
    return m, m.run("p_" + func, list(args))


def test_byte_string_conversions(tmp_path):
    src = """package p

func f(s string) string {
	b := []byte(s)
	b[0] = 'J'
	return string(b) + s[0:0+0]
}
"""
    with pytest.raises(GooseError, match="slicing a string is not supported"):
        run_go(tmp_path, src, "f", ["x"])
    src = src.replace(" + s[0:0+0]", "")
    assert run_go(tmp_path, src, "f", ["jello"])[1] == "Jello"


def test_if_with_initializer_and_comma_ok(tmp_path):
    src = """package p

func f(k uint64) uint64 {
	m := map[uint64]uint64{1: 10, 2: 20}
	if v, ok := m[k]; ok {
		return v
	} else if k > 5 {
		return 5
	}
	v := uint64(7)
	return v
}
"""
    assert [run_go(tmp_path, src, "f", [k])[1] for k in (1, 2, 3, 9)] == [10, 20, 7, 5]


def test_cap_and_three_results(tmp_path):
    src = """package p

func three() (uint64, bool, string) {
	return 1, true, "x"
}

func f() uint64 {
	s := make([]byte, 2, 9)
	a, b, c := three()
	if b && c == "x" {
		return uint64(cap(s)) + a
	}
	return 0
}
"""
    assert run_go(tmp_path, src, "f")[1] == 10


def test_loop_result_carries_the_return_value_in_tail_position(tmp_path):
    src = """package p

func f(n uint64) uint64 {
	i := uint64(0)
	for {
		if i*i >= n {
			return i
		}
		i++
	}
}
"""
    d = write_pkg(tmp_path, src)
    text = translate_package(d)
    assert "break(!i)" in text and "fst(" not in text
    doc = parse_file(text, "p.pv")
    m = Machine({c.name: (c.params, c.body) for c in doc.commands})
    assert m.run("p_f", [50]) == 8


def test_goroutine_arguments_are_evaluated_before_the_fork(tmp_path):
    src = """package p

import "sync"

func set(mu *sync.Mutex, p *uint64, v uint64) {
	mu.Lock()
	*p = v
	mu.Unlock()
}

func f() uint64 {
	mu := new(sync.Mutex)
	p := new(uint64)
	x := uint64(1)
	go set(mu, p, x+1)
	x = 5
	for {
		mu.Lock()
		if *p != 0 {
			mu.Unlock()
			break
		}
		mu.Unlock()
	}
	return *p + x
}
"""
    for seed in range(5):
        assert run_go(tmp_path, src, "f", seed=seed)[1] == 7


def test_go_panics_are_stuck(tmp_path):
    src = """package p

func f(i uint64) uint64 {
	s := make([]uint64, 3)
	return s[i] / i
}
"""
    with pytest.raises(Stuck, match=r"index out of range \[5\] with length 3"):
        run_go(tmp_path, src, "f", [5])
    with pytest.raises(Stuck, match="divide by zero"):
        run_go(tmp_path, src, "f", [0])


def test_keywords_of_pv_are_renamed(tmp_path):
    src = """package p

func f(in uint64, then uint64) uint64 {
	loop := in + then
	return loop
}
"""
    d = write_pkg(tmp_path, src)
    assert "Function p_f (in_ then_) :=" in translate_package(d)
    assert run_go(tmp_path, src, "f", [2, 3])[1] == 5
