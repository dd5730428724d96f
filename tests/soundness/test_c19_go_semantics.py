"""Issue 9, class 19: the semantics of translated Go against the Go toolchain, differentially.

Found: **an order of evaluation Go leaves open was fixed to left to right.**  In ``*p <
inc(p)`` (c19_go/order/order.go) the Go spec orders the function calls of an expression but
not a read of memory in another operand; gc makes the call first, so OrderCmp returns false.
pv goose translated it to ``!p < inc(p)``, which the core language (and so the kernel and
the interpreter) evaluates left to right: c19_go/order_unfixed.pv proves that the model
returns true.  pv goose now refuses every such expression (goose/evalorder.py) with a
located error, and still accepts the orders the spec fixes (c19_go/ordered/), whose results
the interpreter and Go agree on.

Found: **pointers to zero-size values were distinct.**  ``new(T)`` of a zero-size T was a
fresh cell, and two cells are provably different, but gc gives every zero-size heap object
one address: c19_go/zerosize's functions return true where c19_go/zerosize_unfixed.pv
proves false.  pv goose now refuses such allocations.

Found: **a declared true, false or nil was read as the literal.**  Go lets a program declare
these names (``func isTrue(true bool) bool { return true }``); tree-sitter parses the uses as
literals, and the model of c19_go/shadow's ShadowParam provably returned true where Go
returns false.  pv goose now refuses such uses.

Found: **a package's own byte (or len, ...) was read as Go's.**  Go lets a package declare
its predeclared identifiers (``type byte uint64``); pv goose translated byte arithmetic modulo
256 and ``len("abc")`` as the builtin's 3 regardless (c19_go/redeclare).  pv goose now
refuses package-level declarations of predeclared identifiers.

Found: **Go's == skips blank struct fields, the model's did not** (c19_go/blank: two structs
differing only in a ``_`` field are equal in Go, provably different in the model).  pv goose
now refuses blank struct fields.

The rest of this file compares the interpreter with the Go toolchain on the edge cases of
the subset (c19_go/agree/): wrap-around, byte conversions, division and modulo by zero,
slicing and indexing bounds, append aliasing, nil slices, maps, struct copies, loops with
jumps, multiple results; a Go panic must be a stuck pv program."""
from __future__ import annotations

import os
import re
import subprocess
import time

import pytest
from hypothesis import given, settings, strategies as st

from driver.load import Session
from goose import GooseError, translate_package
from seplogic.parser import parse_file
from seplogic.syntax import Prim
from tests.go_env import go_env
from theories.interp import NIL, Machine, Stuck, _elements

HERE = os.path.dirname(os.path.abspath(__file__))
GO = os.path.join(HERE, "c19_go")
SEEDS = (0, 1, 2)


def go_prints(cwd: str, module: str) -> dict:
    """{package: {name: printed result}} from one `go test -v` of the Go module in ``cwd``
    (each package's TestPrint prints "Name result" lines, then go test its "ok  module/pkg")."""
    r = subprocess.run(["go", "test", "-count=1", "-v", "./..."], cwd=cwd, env=go_env(),
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    out, lines = {}, {}
    for line in r.stdout.splitlines():
        m = re.match(rf"ok\s+{module}/(\w+)\s", line)
        if m:
            out[m.group(1)], lines = lines, {}
            continue
        m = re.match(r"([A-Z]\w*) (.*)$", line)
        if m and m.group(1) not in ("PASS", "FAIL"):
            lines[m.group(1)] = m.group(2)
    return out


@pytest.fixture(scope="module")
def go_out():
    """`go_prints` of the c19_go module."""
    out = go_prints(GO, "pv/c19go")
    assert set(out) == {"agree", "blank", "order", "ordered", "redeclare", "shadow",
                        "zerosize"}, sorted(out)
    return out


def machine(src: str, seed: int) -> Machine:
    doc = parse_file(src, "c19.pv")
    return Machine({c.name: (c.params, c.body) for c in doc.commands if hasattr(c, "body")},
                   seed=seed)


def pv_run(model: str, name: str):
    """The formatted result of ``name`` under every seed ("panic" when stuck), or the list of
    the different results."""
    res = []
    for seed in SEEDS:
        m = machine(model, seed)
        try:
            res.append(m.format(m.run(name, [])))
        except Stuck:
            res.append("panic")
    return res[0] if len(set(res)) == 1 else res


# ---- the order of evaluation ------------------------------------------------------------------

ORDER = os.path.join(GO, "order")
# function -> (Go's result, the result left-to-right order gives); order.go marks the line of
# each refused read with "// REFUSED"
REFUSED = {
    "OrderCmp": ("false", "true"), "OrderDeref": ("11", "1"), "OrderSlice": ("101", "1"),
    "OrderMap": ("101", "1"), "OrderField": ("8", "1"), "OrderReturn": ("10 1", "0 1"),
    "OrderLiteral": ("10 1", "0 1"), "OrderArgs": ("10001", "1"),
    # the read may come before inc, though gc (and left to right) put it after
    "OrderLaterCall": ("10001", "10001"),
    "OrderMultiAssign": ("1001", "1"), "OrderIndexTarget": ("5", "50"),
    "OrderCompound": ("11", "1"), "OrderIf": ("1", "0"),
    "OrderAppend": ("10", "1"),      # append, a builtin, is made first too
    "OrderPtrTarget": ("4", "40"),   # the pointer l.next followed to the place assigned
}


def _marked():
    """{function: line of its "// REFUSED" read} in order.go."""
    with open(os.path.join(ORDER, "order.go"), encoding="utf-8") as f:
        lines = f.read().split("\n")
    out, func = {}, None
    for i, line in enumerate(lines):
        m = re.match(r"func (\w+)", line)
        func = m.group(1) if m else func
        if line.endswith("// REFUSED"):
            out[func] = i + 1
    return out


def test_unspecified_orders_are_refused_at_the_read():
    with pytest.raises(GooseError) as ei:
        translate_package(ORDER)
    errs = getattr(ei.value, "errors", [ei.value])
    assert all(e.path.endswith("order.go") and "is unspecified in Go" in e.message and
               "bind the call's result" in e.message for e in errs)
    marked = _marked()
    assert sorted(marked) == sorted(REFUSED)
    assert sorted(e.line for e in errs) == sorted(marked.values())


def test_gc_calls_first_where_left_to_right_differs(go_out):
    for f, (go, _) in REFUSED.items():
        assert go_out["order"][f] == go, f
    assert sum(go != ltr for go, ltr in REFUSED.values()) == len(REFUSED) - 1


def _functions(text, names):
    return [m.group(0) for m in re.finditer(r"^Function (\w+) .*?\.$", text, re.M | re.S)
            if m.group(1) in names]


def _old_model_proves(pkg, unfixed, names, statuses):
    """The translation of c19_go/``pkg`` as it was before the fix (the caller has undone the
    fix) defines ``names`` as c19_go/``unfixed`` copies them, and the kernel proves that
    file's theorems (``statuses``) about it: a result the Go toolchain's run contradicts."""
    unchecked = translate_package(os.path.join(GO, pkg))
    with open(os.path.join(GO, unfixed), encoding="utf-8") as f:
        assert _functions(unchecked, names) == _functions(f.read(), names) != []
    s = Session()
    s.load_file(os.path.join(GO, unfixed))
    assert {r.name: r.status for r in s.results} == statuses


def test_the_old_model_proves_what_go_does_not_do(go_out, monkeypatch):
    """The kernel is right about the model pv goose made before the fix (the translation
    without goose/evalorder.py's check, as order_unfixed.pv copies it); the model was wrong
    about Go: the proof says true, Go prints false."""
    import goose.evalorder
    monkeypatch.setattr(goose.evalorder, "check", lambda ft, body: None)
    _old_model_proves("order", "order_unfixed.pv", ("order_inc", "order_OrderCmp"),
                      {"OrderCmp_true": "proved"})
    assert go_out["order"]["OrderCmp"] == "false"
    with open(os.path.join(GO, "order_unfixed.pv"), encoding="utf-8") as f:
        assert pv_run(f.read(), "order_OrderCmp") == "true"


def test_specified_orders_are_accepted_and_agree_with_go(go_out):
    model = translate_package(os.path.join(GO, "ordered"))
    names = re.findall(r"^Function ordered_([A-Z]\w*) ", model, re.M)
    assert names == ["Bound", "ArgBefore", "ReadAfter", "ShortCircuit", "Nested", "Local",
                     "FieldOfField", "FieldOfElem"]
    for n in names:
        assert pv_run(model, "ordered_" + n) == go_out["ordered"][n], n


def test_the_error_is_located_for_the_cli(tmp_path, capsys):
    from driver.cli import main
    assert main(["goose", ORDER, "-o", str(tmp_path / "m.pv")]) == 1
    err = capsys.readouterr().err
    line = _marked()["OrderCmp"]
    assert re.search(rf"order\.go:{line}:9: error: the order of evaluation of this read of "
                     rf"memory and the call at {line}:14 is unspecified in Go", err), err
    assert "Traceback" not in err


# ---- pointers to zero-size values -----------------------------------------------------------

def test_zero_size_allocations_are_refused(go_out, monkeypatch):
    """Go may give distinct zero-size variables one address, and gc does in the heap: each
    ZeroX of c19_go/zerosize returns true, where distinct core-language cells are provably
    different (c19_go/zerosize_unfixed.pv, the model before the fix, proves false)."""
    assert go_out["zerosize"] == {"ZeroReturned": "true", "ZeroShared": "true",
                                  "ZeroNested": "true"}
    with pytest.raises(GooseError) as ei:
        translate_package(os.path.join(GO, "zerosize"))
    errs = getattr(ei.value, "errors", [ei.value])
    assert [(e.line, e.col) for e in errs] == [(14, 9), (31, 7), (38, 17)]
    assert all("a pointer to a zero-size value of type" in e.message and "same address" in
               e.message for e in errs)
    import goose.functions
    monkeypatch.setattr(goose.functions.FuncTranslator, "alloc",
                        lambda self, typ, value, node: Prim("ref", (value,)))
    _old_model_proves("zerosize", "zerosize_unfixed.pv",
                      ("zerosize_keep", "zerosize_ZeroShared"), {"ZeroShared_false": "proved"})


def test_values_of_zero_size_types_are_still_accepted(tmp_path):
    (tmp_path / "z").mkdir()
    (tmp_path / "z" / "z.go").write_text(
        "package z\n\ntype empty struct{}\n\ntype box struct {\n\te empty\n\tn uint64\n}\n\n"
        "func F() uint64 {\n\tvar e empty\n\ts := make([]empty, 3)\n\ts[1] = e\n"
        "\tp := &box{n: 4}\n\treturn uint64(len(s)) + p.n\n}\n")
    model = translate_package(str(tmp_path / "z"))
    assert pv_run(model, "z_F") == "7"


# ---- true, false and nil declared by the program ---------------------------------------------

def test_uses_of_a_declared_true_false_or_nil_are_refused(go_out, monkeypatch):
    """Go lets a program declare true, false and nil; tree-sitter parses their uses as the
    literals, which pv goose translated as such: c19_go/shadow's ShadowParam returns false in
    Go, and its old model, which c19_go/shadow_unfixed.pv copies, provably returns true."""
    assert go_out["shadow"] == {"ShadowParam": "false", "ShadowVar": "true", "ShadowNil": "true"}
    with pytest.raises(GooseError) as ei:
        translate_package(os.path.join(GO, "shadow"))
    errs = getattr(ei.value, "errors", [ei.value])
    assert [(e.line, e.col) for e in errs] == [(9, 9), (18, 9), (24, 14)]
    assert [e.message.split(" where")[0] for e in errs] == \
        ["a use of true", "a use of false", "a use of nil"]
    import goose.consts
    import goose.expressions
    monkeypatch.setattr(goose.consts, "predeclared", lambda tr, ft, node: None)
    monkeypatch.setattr(goose.expressions, "predeclared", lambda tr, ft, node: None)
    _old_model_proves("shadow", "shadow_unfixed.pv", ("shadow_isTrue", "shadow_ShadowParam"),
                      {"ShadowParam_true": "proved"})


def test_fields_named_false_and_undeclared_literals_are_accepted(tmp_path):
    (tmp_path / "f").mkdir()
    (tmp_path / "f" / "f.go").write_text(
        "package f\n\ntype t struct {\n\tfalse bool\n\tp     *uint64\n}\n\n"
        "func F() bool {\n\tv := t{false: !false}\n\treturn v.false && v.p == nil && true\n}\n")
    assert pv_run(translate_package(str(tmp_path / "f")), "f_F") == "true"


def test_package_declarations_of_predeclared_identifiers_are_refused(go_out, monkeypatch):
    """Go lets a package declare byte, len, ...; pv goose knew the names as Go's own: the
    model of c19_go/redeclare's ByteWrap (a 64-bit byte) wrapped at 256 and LenCall (the
    package's len) was the builtin's 3; c19_go/redeclare_unfixed.pv copies them and proves
    0 and 3, where Go returns 256 and 1."""
    assert go_out["redeclare"] == {"ByteWrap": "256", "LenCall": "1"}
    with pytest.raises(GooseError) as ei:
        translate_package(os.path.join(GO, "redeclare"))
    assert (ei.value.line, ei.value.col) == (8, 6)
    assert ei.value.message.startswith("declaring byte, one of Go's predeclared identifiers")
    import goose.gotypes
    import goose.translate
    monkeypatch.setattr(goose.translate.Translator, "not_predeclared", lambda self, d: None)
    # (and without the assignability check, which refuses the builtin's len, an int, as the
    # uint64 LenCall returns)
    monkeypatch.setattr(goose.gotypes, "assignable", lambda v, t: True)
    _old_model_proves("redeclare", "redeclare_unfixed.pv",
                      ("redeclare_ByteWrap", "redeclare_LenCall"),
                      {"ByteWrap_zero": "proved", "LenCall_three": "proved"})


@pytest.mark.parametrize("decl", ["type uint64 bool", "type string = []byte", "const nil = 1",
                                  "func append() {}", "type error struct{}", "const true = 0"])
def test_each_kind_of_predeclared_declaration_is_refused(tmp_path, decl):
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "r.go").write_text(f"package r\n\n{decl}\n")
    with pytest.raises(GooseError, match="one of Go's predeclared identifiers"):
        translate_package(str(tmp_path / "r"))


# ---- blank struct fields ----------------------------------------------------------------------

def test_blank_struct_fields_are_refused(go_out, monkeypatch):
    """Go's == skips a struct's blank fields (c19_go/blank's BlankEq returns true); the model
    compared whole tuples, and c19_go/blank_unfixed.pv proves it returns false."""
    assert go_out["blank"] == {"BlankEq": "true"}
    with pytest.raises(GooseError) as ei:
        translate_package(os.path.join(GO, "blank"))
    assert (ei.value.line, ei.value.col) == (8, 2)
    assert ei.value.message.startswith("a blank (_) struct field is not supported")
    import goose.translate
    monkeypatch.setattr(goose.translate.Translator, "not_blank", lambda self, n: None)
    _old_model_proves("blank", "blank_unfixed.pv", ("blank_BlankEq",),
                      {"BlankEq_false": "proved"})


# ---- edge cases the interpreter and Go agree on -----------------------------------------------

AGREE = os.path.join(GO, "agree")


def agree_names():
    with open(os.path.join(AGREE, "agree.go"), encoding="utf-8") as f:
        return re.findall(r"^func ([A-Z]\w*)\(\)", f.read(), re.M)


def test_agree_table_is_complete():
    names = agree_names()
    with open(os.path.join(AGREE, "agree_test.go"), encoding="utf-8") as f:
        table = re.findall(r'\{"(\w+)", func\(\) interface\{\} \{ return (\w+)\(\) \}\}', f.read())
    assert len(names) >= 60 and [a for a, _ in table] == names and all(a == b for a, b in table)


def test_interpreter_agrees_with_go_panics_included(go_out):
    model = translate_package(AGREE)
    go = go_out["agree"]
    assert set(go) == set(agree_names())
    assert sum(v == "panic" for v in go.values()) >= 15      # the panics are exercised
    disagree = {n: (go[n], pv_run(model, "agree_" + n)) for n in go}
    disagree = {n: r for n, r in disagree.items() if r[0] != r[1]}
    assert not disagree, disagree


# ---- the slice axioms against the interpreter ---------------------------------------------------

def _prim(m, op, *args):
    """Run one primitive to completion in the machine (a plain access takes its two steps)."""
    g = m.prim(op, list(args))
    try:
        while True:
            next(g)
    except StopIteration as stop:
        return stop.value


_OPS = st.lists(st.tuples(st.sampled_from(["make", "nil", "get", "set", "append", "append_slice",
                                           "append_slice_ro", "freeze", "sub_ro", "get_ro"]),
                          st.integers(0, 7), st.integers(0, 7), st.integers(0, 9)),
                max_size=40)


@settings(max_examples=150, deadline=None)
@given(_OPS)
def test_slice_axioms_hold_of_the_interpreter(ops):
    """Random runs of the slice primitives, each used as its axiom (theories/slices.py) allows:
    every result is what the postcondition says, every slice owned (slice[n]) holds exactly
    its list and every frozen one (slice_ro[n], persistent) never changes, whatever the other
    slices do -- in-place appends into shared arrays included.  An axiom promising more than
    Go's aliasing gives (as the interpreter models it) fails here."""
    m = Machine({}, seed=0)
    owned, ro = [], []          # (slice value, list of values)
    for op, a, b, c in ops:
        if op == "make":
            n, cap = min(a, b), max(a, b)
            owned.append((_prim(m, "slice_make", c, n, cap), [c] * n))
        elif op == "nil":
            owned.append((_prim(m, "nil"), []))
        elif op == "freeze" and owned:
            ro.append(owned.pop(a % len(owned)))
        elif op in ("get", "set", "append") and owned:
            i = a % len(owned)
            s, vs = owned[i]
            if op == "append":
                owned[i] = (_prim(m, "slice_append", s, 100 + c), vs + [100 + c])
            elif vs and op == "get":
                assert _prim(m, "slice_get", s, b % len(vs)) == vs[b % len(vs)]
            elif vs:
                _prim(m, "slice_set", s, b % len(vs), 200 + c)
                vs[b % len(vs)] = 200 + c
        elif op == "append_slice" and len(owned) > 1:
            i, j = a % len(owned), b % len(owned)
            if i != j:
                (s, vs), (t, ws) = owned[i], owned[j]
                owned[i] = (_prim(m, "slice_append_slice", s, t), vs + ws)
        elif op == "append_slice_ro" and owned and ro:
            i, (t, ws) = a % len(owned), ro[b % len(ro)]
            s, vs = owned[i]
            owned[i] = (_prim(m, "slice_append_slice", s, t), vs + ws)
        elif op == "sub_ro" and ro:
            t, ws = ro[a % len(ro)]
            lo, hi = sorted((b % (len(ws) + 1), c % (len(ws) + 1)))
            ro.append((_prim(m, "slice_sub", t, lo, hi), ws[lo:hi]))
        elif op == "get_ro" and ro:
            t, ws = ro[a % len(ro)]
            if ws:
                assert _prim(m, "slice_get", t, b % len(ws)) == ws[b % len(ws)]
        for s, vs in owned + ro:
            assert _prim(m, "slice_len", s) == len(vs)
            assert (list(_elements(m, s)) if s is not NIL else []) == vs


# ---- crashes: a process killed while writing disk blocks ---------------------------------------

@pytest.fixture(scope="module")
def blocks(tmp_path_factory):
    exe = tmp_path_factory.mktemp("blocks") / "blocks"
    b = subprocess.run(["go", "build", "-o", str(exe), "."], cwd=os.path.join(GO, "blocks"),
                       env=go_env(), capture_output=True, text=True, timeout=300)
    assert b.returncode == 0, b.stderr
    return str(exe)


def _kill_after(args, first_line, seconds):
    """Run c19_go/blocks with ``args``; ``seconds`` after it printed ``first_line``, kill it
    (SIGKILL: a process crash)."""
    p = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == first_line
        time.sleep(seconds)
    finally:
        p.kill()
        p.wait()
        p.stdout.close()


def test_a_killed_block_write_leaves_a_whole_block(blocks, tmp_path):
    """disk.Write on a file (disk.InitFile) writes one page-aligned block in one system call,
    which a SIGKILL does not cut: killed while writing blocks over and over, every block
    holds one round's bytes, as the model's atomic block write says."""
    n = 64
    for trial in range(3):
        path = tmp_path / f"disk{trial}"
        _kill_after([blocks, str(path), str(n)], "writing", 0.05 * (trial + 1))
        data = path.read_bytes()
        assert len(data) == n * 4096
        for a in range(n):
            block = data[a * 4096:(a + 1) * 4096]
            assert block.count(block[0]) == 4096, (trial, a)


# ---- random programs --------------------------------------------------------------------------

def test_random_programs_agree_with_go(tmp_path):
    """200 random gooseable functions (c19_gen.py: loops with jumps, early returns, wrapping
    and dividing arithmetic, slices, maps, pointers, calls that write through their arguments):
    the interpreter's result, or its being stuck, is the Go toolchain's result, or its panic."""
    from tests.soundness.c19_gen import package
    src, test, names = package(19, 200)
    (tmp_path / "gen").mkdir()
    (tmp_path / "go.mod").write_text("module pv/c19gen\n\ngo 1.19\n")
    (tmp_path / "gen" / "gen.go").write_text(src)
    (tmp_path / "gen" / "gen_test.go").write_text(test)
    # (-vet=off: go vet's style checks, such as "suspect or", would refuse some programs)
    r = subprocess.run(["go", "test", "-count=1", "-vet=off", "-v", "./gen/"], cwd=tmp_path,
                       env=go_env(), capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    go = dict(line.split(" ", 1) for line in r.stdout.splitlines() if re.match(r"F\d+ ", line))
    assert sorted(go) == sorted(names)
    panics = sum(v == "panic" for v in go.values())
    assert 20 <= panics <= 120, panics
    model = translate_package(str(tmp_path / "gen"))
    funcs = {c.name: (c.params, c.body) for c in parse_file(model, "gen.pv").commands}
    disagree = {}
    for n in names:
        m = Machine(funcs, seed=0)
        try:
            got = m.format(m.run("gen_" + n, []))
        except Stuck:
            got = "panic"
        if got != go[n]:
            disagree[n] = (go[n], got)
    assert not disagree, disagree


# ---- what Go leaves open and the interpreter fixes ----------------------------------------------

CAP = """
Function grow () :=
  let s := slice_make(0, 1, 1) in let t := slice_append(s, 1) in slice_cap(t).

Theorem grow_cap (n : nat) (c : u64) :
  {emp} grow() {r. ⌜r = c⌝}[n].
Proof.
  intros n c "_".
  wp_call.
  wp_step s vs as "[Hs [%Hl Hz]]".
  wp_pures.
  wp_step t as "Ht".
  wp_pures.
  done.
Qed.
"""


@pytest.mark.parametrize("cap", [2, 8])
def test_the_capacity_after_growth_is_not_provable(tmp_path, cap):
    """Go leaves the capacity of a grown slice open (gc: cap(append(make([]byte, 1, 1), 1))
    is 8, its size class; the interpreter's choice is 2): the kernel knows no capacity after
    a growing append, so neither is provable."""
    f = tmp_path / "cap.pv"
    f.write_text(CAP.replace("(c : u64)", "").replace("intros n c", "intros n")
                 .replace("⌜r = c⌝", f"⌜r = {cap}⌝"))
    s = Session()
    s.load_file(str(f))
    assert {r.name: r.status for r in s.results} == {"grow_cap": "failed"}
    assert [(d.line, d.message) for d in s.diagnostics] == [(14, "done: cannot close the goal")]
    assert f"⌜slice_cap(t) = {cap}⌝" in s.diagnostics[0].detail
    m = machine(CAP, 0)
    assert m.run("grow", []) == 2
