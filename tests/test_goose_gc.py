"""`pv goose` translates only Go that gc compiles: the translator refuses, with gc's words and
position, the invalid Go it used to translate (each case shown rejected by the real toolchain
when `go` is installed, and its valid neighbours shown accepted by both), and `pv goose` runs
`go build` on what it translated, so gc judges the rest (goose/gocheck.py)."""
import os
import re
import shutil
import subprocess

import pytest

from driver.cli import main
from tests.go_env import go_env

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# name -> (Go source after "package p", pv goose's message "line:col: error: ...", gc's: as
# the installed gc 1.19 says it, or its fragments joined by " … ")
REFUSED = {
    "const_defined_overflow": (
        "type T uint8\n\nconst c T = 300\n",
        "5:13: error: constant 300 overflows T",
        "5:13: cannot use 300 (untyped int constant) as T value in constant declaration "
        "(overflows)"),
    "const_expr_overflow": (
        "type T uint8\n\nconst c T = 200\n\nfunc F() T { return c + c }\n",
        "7:21: error: constant 400 overflows T",
        "7:21: c + c (constant 400 of type T) overflows uint8"),
    "const_conversion_overflow": (
        "type T uint8\n\nfunc F() T { return T(300) }\n",
        "5:23: error: cannot convert 300 (untyped int constant) to type T",
        "5:23: cannot convert 300 (untyped int constant) to type T"),
    "typed_const_conversion_overflow": (
        "type T uint8\n\nconst c uint64 = 300\n\nfunc F() T { return T(c) }\n",
        "7:23: error: cannot convert c (constant 300 of type uint64) to type T",
        "7:23: cannot convert c (constant 300 of type uint64) to type T"),
    "negative_conversion": (
        "const k = 1 - 2\n\nfunc F() uint64 { return uint64(k) }\n",
        "5:33: error: cannot convert k (untyped int constant -1) to type uint64",
        "5:33: cannot convert k (untyped int constant -1) to type uint64"),
    "struct_eq_slice_field": (
        "type S struct {\n\ta []uint64\n}\n\nfunc F(x S, y S) bool { return x == y }\n",
        "7:32: error: invalid operation: x == y (struct containing []uint64 cannot be compared)",
        "7:32: invalid operation: x == y (struct containing []uint64 cannot be compared)"),
    "struct_ne_nested_map_field": (
        "type I struct {\n\tm map[uint64]bool\n}\n\ntype O struct {\n\tn uint64\n\ti I\n}\n\n"
        "func F(x O, y O) bool { return x != y }\n",
        "12:32: error: invalid operation: x != y (struct containing I cannot be compared)",
        "12:32: invalid operation: x != y (struct containing I cannot be compared)"),
    "map_literal_duplicate_key": (
        "func F() map[uint64]bool { return map[uint64]bool{1: true, 0x1: false} }\n",
        "3:60: error: duplicate key 1 in map literal",
        "3:60: duplicate key 1 in map literal"),
    "slice_literal_duplicate_index": (
        "func F() []uint64 { return []uint64{1: 1, 1: 2} }\n",
        "3:44: error: duplicate index 1 in array or slice literal",
        "3:44: duplicate index 1 in array or slice literal"),
    "slice_literal_duplicate_implicit_index": (
        "func F() []uint64 { return []uint64{1: 1, 0: 2, 3} }\n",
        "3:49: error: duplicate index 1 in array or slice literal",
        "3:49: duplicate index 1 in array or slice literal"),
    "struct_literal_duplicate_field": (
        "type S struct {\n\ta uint64\n}\n\nfunc F() S { return S{a: 1, a: 2} }\n",
        "7:30: error: duplicate field name a in struct literal",
        "7:30: duplicate field name a in struct literal"),
    "bare_return_shadowed_result": (
        "func F(b bool) (x uint64) {\n\tif b {\n\t\tx := uint64(1)\n\t\t_ = x\n\t\treturn\n"
        "\t}\n\treturn\n}\n",
        "7:3: error: result parameter x not in scope at return",
        "7:3: result parameter x not in scope at return"),
    "assign_field_of_map_element": (
        "type S struct {\n\tx uint64\n}\n\nfunc F(m map[uint64]S) { m[1].x = 2 }\n",
        "7:26: error: cannot assign to struct field m[1].x in map",
        "7:26: cannot assign to struct field m[1].x in map"),
    "increment_field_of_field_of_map_element": (
        "type S struct {\n\tx uint64\n}\n\ntype R struct {\n\ts S\n}\n\n"
        "func F(m map[uint64]R) { m[1].s.x++ }\n",
        "11:26: error: cannot assign to struct field m[1].s.x in map",
        "11:26: cannot assign to m[1].s.x"),
    "mismatched_defined_types": (
        "type A uint64\n\nfunc F(a A, b uint64) bool { return a == b }\n",
        "5:39: error: invalid operation: a == b (mismatched types A and uint64)",
        "invalid operation: a == b (mismatched types A and uint64)"),
    "defined_type_as_its_underlying": (
        "type A uint64\n\nfunc F(a A) uint64 { return a }\n",
        "5:29: error: cannot use a (variable of type A) as type uint64",
        "5:29: cannot use a (variable of type A) as type uint64 in return statement"),
    "typed_constant_of_other_type": (
        "type A uint64\n\nconst c A = 1\n\nfunc F() uint64 { return c }\n",
        "7:26: error: cannot use c (constant 1 of type A) as type uint64",
        "7:26: cannot use c (constant 1 of type A) as type uint64 in return statement"),
    "bool_as_uint64": (
        "func F(a bool) uint64 {\n\tvar x uint64 = a\n\treturn x\n}\n",
        "4:17: error: cannot use a (variable of type bool) as type uint64",
        "4:17: cannot use a (variable of type bool) as type uint64 in variable declaration"),
    "int_argument": (
        "func g(x uint64) uint64 { return x }\n\nfunc F(s []uint64) uint64 { return g(len(s)) }\n",
        "5:38: error: cannot use len(s) (value of type int) as type uint64",
        "5:38: cannot use len(s) (value of type int) as type uint64 in argument to g"),
    "byte_as_uint64": (
        "func F(s []byte) uint64 {\n\tvar x uint64\n\tx = s[0]\n\treturn x\n}\n",
        "5:6: error: cannot use s[0] (value of type byte) as type uint64",
        "5:6: cannot use s[0] (variable of type byte) as type uint64 in assignment"),
}

# the valid neighbours of the refused cases: both gc and pv goose accept them
ACCEPTED = {
    "const_defined_in_range": "type T uint8\n\nconst c T = 255\n\nfunc F() T { return c + T(0) }\n",
    "conversions_at_run_time": "type T uint8\n\nfunc F(x uint64) T { return T(x + 300) }\n",
    "struct_eq_comparable_fields":
        "type S struct {\n\ta uint64\n\tp *uint64\n\tb bool\n\ts string\n}\n\n"
        "type O struct {\n\ti S\n\tq *[]uint64\n}\n\n"
        "func F(x O, y O) bool { return x == y && x.i != y.i }\n",
    "distinct_literal_keys":
        "type S struct {\n\ta uint64\n\tb uint64\n}\n\n"
        "func F(k uint64) (map[uint64]bool, []uint64, S) {\n"
        "\treturn map[uint64]bool{1: true, 2: false, k: true, k + 0: false}, "
        "[]uint64{2: 1, 0: 2, 3}, S{b: 1, a: 2}\n}\n",
    "shadowed_result_returned_explicitly":
        "func F(b bool) (x uint64) {\n\tif b {\n\t\tx := uint64(1)\n\t\treturn x\n\t}\n"
        "\t{\n\t\tx := uint64(2)\n\t\t_ = x\n\t}\n\tx = 3\n\treturn\n}\n",
    "whole_map_element_assigned":
        "type S struct {\n\tx uint64\n}\n\ntype R struct {\n\tp *S\n}\n\n"
        "func F(m map[uint64]S, n map[uint64]R) uint64 {\n\tv := m[1]\n\tv.x = 2\n"
        "\tm[1] = v\n\tm[2] = S{x: 3}\n\tn[1].p.x = 4\n\treturn m[1].x\n}\n",
    "defined_types_used_as_themselves":
        "type A uint64\n\ntype Flag bool\n\ntype S struct {\n\ta A\n\tf Flag\n}\n\n"
        "func F(a A, b A, s []A) (Flag, S, struct {\n\ta A\n\tf Flag\n}) {\n"
        "\tvar f Flag = a < b\n\tvar g Flag = f == (a > 2)\n\tt := S{a: a + 1, f: g}\n"
        "\tvar u struct {\n\t\ta A\n\t\tf Flag\n\t} = t\n\tt = u\n\ts = append(s, a, 3)\n"
        "\treturn f && g, t, u\n}\n",
}

REFUSED.update({
    "missing_return_loop_with_break": (
        "func F(b bool) uint64 {\n\tfor {\n\t\tif b {\n\t\t\tbreak\n\t\t}\n\t}\n}\n",
        "9:1: error: missing return", "9:1: missing return"),
    "missing_return_else_if": (
        "func F(b bool) uint64 {\n\tif b {\n\t\treturn 1\n\t} else if !b {\n\t\treturn 2\n"
        "\t}\n}\n",
        "9:1: error: missing return", "9:1: missing return"),
    "unused_variable": (
        "func F(s []uint64) uint64 {\n\tx, y := uint64(1), uint64(2)\n\tx = 2\n"
        "\tfor i, v := range s {\n\t\ty += v\n\t\ti = 0\n\t}\n\treturn y\n}\n",
        "4:2: error: x declared but not used", "4:2: … x … not used"),
    "unused_range_variable": (
        "func F(s []uint64) uint64 {\n\tvar y uint64\n\tfor i, v := range s {\n\t\ty += v\n"
        "\t\ti = 0\n\t}\n\treturn y\n}\n",
        "5:6: error: i declared but not used", "5:6: … i … not used"),
    "unused_import": (
        'import "sync"\n\nfunc F() uint64 { return 0 }\n',
        '3:8: error: imported and not used: "sync"', '3:8: … "sync" … imported … not used'),
    "unused_aliased_import": (
        'import (\n\td "pv/proofs/prim/disk"\n\t"pv/proofs/prim/rand"\n)\n\n'
        "func F() uint64 { return rand.Uint64() }\n",
        '4:2: error: imported and not used: "pv/proofs/prim/disk" as d',
        '4:2: … "pv/proofs/prim/disk" … d … imported … not used'),
    "division_by_constant_zero": (
        "func F(a uint64) uint64 { return a / 0 }\n",
        "3:38: error: invalid operation: division by zero",
        "3:38: invalid operation: division by zero"),
    "modulo_assign_by_constant_zero": (
        "func F(a uint64) uint64 {\n\ta %= 0\n\treturn a\n}\n",
        "4:7: error: invalid operation: division by zero",
        "4:7: invalid operation: division by zero"),
    "constant_slice_indices_out_of_order": (
        "func F(s []uint64) []uint64 { return s[2:1] }\n",
        "3:42: error: invalid slice indices: 1 < 2", "3:42: invalid slice indices: 1 < 2"),
    "range_index_assigned_to_uint64": (
        "func F(s []uint64) uint64 {\n\tvar i uint64\n\tfor i = range s {\n\t}\n\treturn i\n}\n",
        "5:6: error: cannot use i (value of type int) as type uint64 in assignment",
        "5:6: cannot use i (value of type int) as type uint64 in assignment"),
    "make_length_above_capacity": (
        "func F() []uint64 { return make([]uint64, 3, 2) }\n",
        "3:43: error: invalid argument: length and capacity swapped",
        "3:43: invalid argument: length and capacity swapped"),
    "builtin_value_as_statement": (
        "func F(s []uint64) {\n\tappend(s, 1)\n}\n",
        "4:2: error: append(s, 1) (value of type []uint64) is not used",
        "4:2: append(s, 1) (value of type []uint64) is not used"),
    "conversion_as_statement": (
        "type A uint64\n\nfunc F(b uint64) {\n\tA(b)\n}\n",
        "6:2: error: A(b) (value of type A) is not used",
        "6:2: A(b) (value of type A) is not used"),
    "go_discards_a_builtin_value": (
        "func F(s []uint64) {\n\tgo len(s)\n}\n",
        "4:5: error: go discards result of len(s) (value of type int)",
        "4:5: go discards result of len(s) (value of type int)"),
    "repeated_on_the_left_of_short_declaration": (
        "func F() uint64 {\n\ta, a := uint64(1), uint64(2)\n\treturn a\n}\n",
        "4:5: error: a repeated on left side of :=", "4:5: a repeated on left side of :="),
    "defined_slice_types": (
        "type A []uint64\n\ntype B []uint64\n\nfunc F(p A, q B) {\n\tp = q\n\t_ = p\n}\n",
        "8:6: error: cannot use q (variable of type B) as type A",
        "8:6: cannot use q (variable of type B) as type A in assignment"),
    "defined_map_element_types": (
        "type A uint64\n\nfunc F(p map[uint64]A, q map[uint64]uint64) {\n\tp = q\n\t_ = p\n}\n",
        "6:6: error: cannot use q (variable of type map[uint64]uint64) as type map[uint64]A",
        "6:6: cannot use q (variable of type map[uint64]uint64) as type map[uint64]A in "
        "assignment"),
    "typed_constant_declared_as_another_type": (
        "const c uint64 = 5\n\nconst d byte = c\n",
        "5:16: error: cannot use c (constant 5 of type uint64) as type byte in constant "
        "declaration",
        "5:16: cannot use c (constant 5 of type uint64) as type byte in constant declaration"),
    "constant_index_beyond_int": (
        "func F(s []uint64) uint64 { return s[9223372036854775808] }\n",
        "3:38: error: 9223372036854775808 (untyped int constant) overflows int",
        "3:38: 9223372036854775808 (untyped int constant) overflows int"),
    "constant_length_beyond_int": (
        "func F() []uint64 { return make([]uint64, 9223372036854775808) }\n",
        "3:43: error: 9223372036854775808 (untyped int constant) overflows int",
        "3:43: 9223372036854775808 (untyped int constant) overflows int"),
    "mixed_named_and_unnamed_results": (
        "func F(b bool) (x uint64, bool) { return }\n",
        "3:27: error: syntax error: mixed named and unnamed parameters",
        "3:27: syntax error: mixed named and unnamed parameters"),
    "duplicate_parameter": (
        "func F(a uint64, a uint64) uint64 { return a }\n",
        "3:18: error: a redeclared in this block", "3:18: a redeclared in this block"),
    "parameter_redeclared_in_body": (
        "func F(a uint64) uint64 {\n\tvar a uint64\n\treturn a\n}\n",
        "4:6: error: a redeclared in this block", "4:6: a redeclared in this block"),
    "local_redeclared": (
        "func F() uint64 {\n\tconst a = 1\n\tvar a uint64\n\treturn a\n}\n",
        "5:6: error: a redeclared in this block", "5:6: a redeclared in this block"),
    "duplicate_field": (
        "type S struct {\n\ta uint64\n\ta bool\n}\n",
        "5:2: error: a redeclared", "5:2: a redeclared"),
    "package_level_redeclared": (
        "type S uint64\n\nfunc S() {}\n",
        "5:6: error: S redeclared in this block", "5:6: S redeclared in this block"),
})
ACCEPTED.update({
    "redeclarations_that_go_allows":
        "func g() (uint64, uint64) { return 1, 2 }\n\n"
        "func F(a uint64) (x uint64) {\n\tx, y := g()\n\ta, z := g()\n\t{\n"
        "\t\tvar a uint64 = y\n\t\tx += a\n\t}\n\tx += z\n\treturn\n}\n",
    "calls_as_statements":
        'import (\n\t"sync"\n\n\t"pv/proofs/prim/disk"\n)\n\nfunc g() uint64 { return 1 }\n\n'
        "func F(m map[uint64]bool, mu *sync.Mutex) {\n\tg()\n\tdelete(m, 1)\n\tgo delete(m, 2)\n"
        "\tdisk.Read(1)\n\tgo disk.Read(2)\n\tgo mu.Lock()\n}\n",
    "defined_composite_types_and_their_underlying_types":
        'import "pv/proofs/prim/disk"\n\ntype A []uint64\n\ntype M map[uint64]bool\n\n'
        "type B []byte\n\n"
        "func F(p A, q []uint64, m M, n map[uint64]bool, b B, s string) (A, bool, string) {\n"
        "\tp = q\n\tq = p\n\tp = append(p, 1)\n\tq = p[1:]\n\tp = make(A, 2)\n"
        "\tm = n\n\tn = m\n\tm = make(M)\n\tm[1] = true\n\tb = []byte(s)\n\tb = B(s)\n"
        "\tdisk.Write(0, b)\n\treturn []uint64{2}, n[1] && p != nil, string(b)\n}\n",
    "constant_operands":
        "func F(a uint64, s []uint64) []uint64 {\n\ta = a / 1 % 7\n\treturn s[1:1]\n}\n",
    "terminating_statements":
        "func F(b bool, s []uint64) uint64 {\n\tif b {\n\t\treturn 1\n\t} else if len(s) > 0 "
        "{\n\t\tfor {\n\t\t\tfor range s {\n\t\t\t\tbreak\n\t\t\t}\n\t\t}\n\t} else {\n"
        "\t\t{\n\t\t\treturn 2\n\t\t}\n\t}\n}\n",
    "variables_used_by_updates":
        "type S struct {\n\ta uint64\n}\n\nfunc F(s []uint64) {\n\tx := uint64(1)\n\tx++\n"
        "\tvar t S\n\tt.a = 2\n\ty := s\n\ty[0] = 3\n\tz := uint64(0)\n\tz += 1\n"
        "\tvar w uint64\n\t_ = w\n}\n",
    "imports_used":
        'import (\n\td "pv/proofs/prim/disk"\n\t"sync"\n)\n\n'
        "func F(mu *sync.Mutex) d.Block { return d.Read(0) }\n",
})

# invalid Go no translator check catches: `go build` in `pv goose` refuses it
GC_ONLY = {
    "unused_shadowed_variable": (
        "func F() uint64 {\n\tx := uint64(1)\n\t{\n\t\tx := uint64(2)\n\t\treturn x\n\t}\n}\n",
        "4:2: error: x declared but not used (go build rejects the package)"),
    "defined_bool_mixed": (
        "type Flag bool\n\nfunc F(f Flag, g bool) Flag { return f && g }\n",
        "5:38: error: invalid operation: f && g (mismatched types Flag and bool) (go build "
        "rejects the package)"),
}


needs_go = pytest.mark.skipif(shutil.which("go") is None, reason="the Go toolchain is not "
                              "installed")


def go_source(src):
    return "package p\n\n" + src


def go_mod(name):
    """A go.mod whose module uses proofs/ (for the primitive packages)."""
    return f"module {name}\n\ngo 1.19\n\nrequire pv/proofs v0.0.0\n\n" \
           f"replace pv/proofs => {os.path.join(ROOT, 'proofs')}\n"


def write(tmp_path, name, src, module=True):
    """The package directory tmp_path/name holding p.go (in a module at tmp_path)."""
    if module and not (tmp_path / "go.mod").exists():
        (tmp_path / "go.mod").write_text(go_mod("t"))
    d = tmp_path / name
    d.mkdir()
    (d / "p.go").write_text(go_source(src), encoding="utf-8")
    return str(d)


def goose(args, capsys):
    code = main(["goose", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def gc(tmp_path_factory):
    """{case: gc's first message, without the path} from one `go build ./...` of a module
    holding every case of REFUSED and GC_ONLY (asserting that one over ACCEPTED passes);
    None without Go."""
    if shutil.which("go") is None:
        return None
    env = go_env()
    root = tmp_path_factory.mktemp("gc")
    out = {}
    for mod, cases in (("bad", {**{k: v[0] for k, v in REFUSED.items()},
                                **{k: v[0] for k, v in GC_ONLY.items()}}),
                       ("good", ACCEPTED)):
        m = root / mod
        m.mkdir()
        (m / "go.mod").write_text(go_mod(mod))
        for name, src in cases.items():
            (m / name).mkdir()
            (m / name / "p.go").write_text(go_source(src), encoding="utf-8")
        p = subprocess.run(["go", "build", "./..."], cwd=m, env=env, capture_output=True,
                           text=True, timeout=300)
        if mod == "good":
            assert p.returncode == 0, p.stdout + p.stderr
            continue
        pkg = None
        for line in (p.stdout + p.stderr).splitlines():
            if line.startswith("# "):
                pkg = line[2:].split("/")[-1]
            elif pkg and pkg not in out:
                out[pkg] = re.sub(r"^\S*p\.go:", "", line)
    return out


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_invalid_go_is_refused_by_gc_and_by_the_translator(name, gc, tmp_path, capsys):
    src, want, gc_says = REFUSED[name]
    if gc is not None:     # (fragments split by " … ": gc's wording varies between versions)
        assert all(part in gc[name] for part in gc_says.split(" … ")), gc[name]
    d = write(tmp_path, name, src)
    for flags in (["--no-go-check"], []):       # the translator's refusal comes first
        code, out, err = goose(flags + [d], capsys)
        assert (code, out, err.strip()) == (1, "", f"{d}/p.go:{want}")


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_valid_neighbours_are_translated(name, gc, tmp_path, capsys):
    d = write(tmp_path, name, ACCEPTED[name])
    code, out, err = goose([d] if gc is not None else ["--no-go-check", d], capsys)
    assert (code, err) == (0, "") and out.count("Function p_F ") == 1


@pytest.mark.parametrize("name", sorted(GC_ONLY))
@needs_go
def test_the_go_check_refuses_what_the_translator_accepts(name, gc, tmp_path, capsys):
    src, want = GC_ONLY[name]
    assert want.split("error: ")[1].startswith(gc[name].split(": ", 1)[1])
    d = write(tmp_path, name, src)
    code, out, err = goose([d], capsys)
    assert (code, out, err.strip()) == (1, "", f"{d}/p.go:{want}")
    out_file = tmp_path / "m.pv"
    code, out, err = goose([d, "-o", str(out_file)], capsys)
    assert code == 1 and not out_file.exists()
    code, out, err = goose(["--no-go-check", d], capsys)      # the translation itself
    assert (code, err) == (0, "") and "Function p_F " in out


def test_a_named_result_assigned_by_short_declaration(gc, tmp_path, capsys):
    """``x, y := g()`` in the function's block assigns the result x (Go's parameters, results
    and body share one block); the translation once declared a new x' and returned the old
    0.  The model returns 1 + 2 + 2 as Go does."""
    from theories.interp import Machine
    from seplogic.parser import parse_file
    d = write(tmp_path, "named", ACCEPTED["redeclarations_that_go_allows"])
    code, out, err = goose(["--no-go-check", d], capsys)
    assert code == 0
    doc = parse_file(out, "m.pv")
    m = Machine({c.name: (c.params, c.body) for c in doc.commands})
    assert m.run("p_F", [7]) == 5
    if gc is not None:
        (tmp_path / "named" / "p_test.go").write_text(
            'package p\n\nimport "testing"\n\nfunc TestF(t *testing.T) {\n'
            '\tif F(7) != 5 {\n\t\tt.Fatal(F(7))\n\t}\n}\n')
        p = subprocess.run(["go", "test", "./named"], cwd=tmp_path, env=go_env(),
                           capture_output=True, text=True, timeout=300)
        assert p.returncode == 0, p.stdout + p.stderr


@needs_go
def test_a_single_file_is_checked_alone(gc, tmp_path, capsys):
    d = write(tmp_path, "one", GC_ONLY["unused_shadowed_variable"][0])
    code, _, err = goose([os.path.join(d, "p.go")], capsys)
    assert code == 1 and err.startswith(f"{d}/p.go:4:2: error: x declared but not used")


@needs_go
def test_imports_resolve_through_the_module_offline(gc, capsys):
    """A case study imports the primitive packages of the module proofs/ belongs to."""
    code, out, err = goose([os.path.join(ROOT, "proofs", "wal")], capsys)
    assert (code, err) == (0, "") and "Function wal_Recover " in out


@needs_go
def test_a_package_outside_any_module_that_gc_cannot_build(gc, tmp_path, capsys):
    d = write(tmp_path, "nomod", 'import "pv/proofs/prim/disk"\n\n'
                                 "func F() uint64 { return disk.Size() }\n", module=False)
    code, _, err = goose([d], capsys)
    assert code == 1 and err.startswith(f"{d}/p.go:3:8: error: package pv/proofs/prim/disk is "
                                        "not in GOROOT")


def test_without_go_the_check_is_skipped_with_a_note(tmp_path, capsys, monkeypatch):
    d = write(tmp_path, "nogo", GC_ONLY["unused_shadowed_variable"][0])
    real = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name == "go"
                        else real(name, *a, **k))
    code, out, err = goose([d], capsys)
    assert code == 0 and "Function p_F " in out
    assert err == "pv: note: the Go toolchain (go) is not on PATH: the check that gc " \
                  "compiles the package was skipped\n"
    code, out, err = goose(["--no-go-check", d], capsys)
    assert (code, err) == (0, "")


def test_the_go_check_needs_no_traceback_when_go_fails_to_start(tmp_path, capsys, monkeypatch):
    from goose import gocheck
    monkeypatch.setattr(gocheck.shutil, "which", lambda name: str(tmp_path / "nogo"))
    d = write(tmp_path, "broken", "func F() uint64 { return 0 }\n")
    code, out, err = goose([d], capsys)
    assert code == 0 and err.startswith("pv: note: cannot run go (")
