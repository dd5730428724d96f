"""Issue 9, class 10: allocation bounds.  ``make([]T, n)`` and ``append`` were proven to return
for any length, while Go panics when the array would exceed maxAlloc = 2^48 bytes
(linux/amd64: ``makeslice: len/cap out of range``, ``growslice: cap out of range``).  Now the
slice axioms bound slices to ``MAX_LEN`` = 2^40 elements and ``pv goose`` accepts only element
types of at most 64 bytes (theories/slices.py says why that keeps every allocation below
2^48 bytes); the interpreter is stuck exactly where the axioms stop.  c10_alloc/ shows Go's
panics (and the type sizes the translator computes) with the toolchain installed here.
"""
from __future__ import annotations

import os
import re
import subprocess

import pytest

from goose import gotypes as T
from tests.go_env import go_env
from tests.kernel_helpers import statuses
from theories.interp import Machine, SliceVal, Stuck, _Array
from theories.slices import MAX_LEN

HERE = os.path.dirname(os.path.abspath(__file__))
GO = os.path.join(HERE, "c10_alloc")
B48 = 2 ** 48

# Each proof needed a bound the axioms did not ask for; Go panics on each program.
UNBOUNDED = f"""
Theorem make_len (n : nat) : {{emp}} slice_make(0, {B48 + 1}, {B48 + 1}) {{r. True}}[n].
Proof. intros n "_". wp_step s vs as "H". done. Qed.

Theorem make_cap (n : nat) : {{emp}} slice_make(0, 0, {2 ** 46}) {{r. True}}[n].
Proof. intros n "_". wp_step s as "H". done. Qed.

Theorem append_grow (n : nat) (s : val) (vs : list val) :
  {{slice[n](s, vs) ∗ ⌜len(vs) = {B48}⌝}} slice_append(#s, 1) {{r. True}}[n].
Proof. intros n s vs "[Hs %H]". wp_step r as "Hr". done. Qed.

Theorem append_slice_grow (n : nat) (s t : val) (vs ws : list val) :
  {{slice[n](s, vs) ∗ slice[n](t, ws) ∗ ⌜len(vs) = {2 ** 47} && len(ws) = {2 ** 47 + 1}⌝}}
  slice_append_slice(#s, #t) {{r. True}}[n].
Proof. intros n s t vs ws "[Hs [Ht %H]]". wp_step r as "Hr". done. Qed.

Theorem append_slice_ro_grow (n : nat) (s t : val) (vs ws : list val) :
  {{slice[n](s, vs) ∗ slice_ro[n](t, ws) ∗ ⌜len(vs) = {2 ** 47} && len(ws) = {2 ** 47 + 1}⌝}}
  slice_append_slice(#s, #t) {{r. True}}[n].
Proof. intros n s t vs ws "[Hs [#Ht %H]]". wp_step r as "Hr". done. Qed.
"""

# Up to the bound, the same steps are provable.
BOUNDED = f"""
Theorem make_max (n : nat) : {{emp}} slice_make(0, 4096, {MAX_LEN}) {{r. True}}[n].
Proof. intros n "_". wp_step s vs as "H". done. Qed.

Theorem make_empty_max (n : nat) : {{emp}} slice_make(0, 0, {MAX_LEN}) {{r. True}}[n].
Proof. intros n "_". wp_step s as "H". done. Qed.

Theorem append_max (n : nat) (s : val) (vs : list val) :
  {{slice[n](s, vs) ∗ ⌜len(vs) < {MAX_LEN}⌝}} slice_append(#s, 1) {{r. True}}[n].
Proof. intros n s vs "[Hs %H]". wp_step r as "Hr". done. Qed.

Theorem append_slice_max (n : nat) (s t : val) (vs ws : list val) :
  {{slice[n](s, vs) ∗ slice_ro[n](t, ws) ∗ ⌜len(vs) + len(ws) = {MAX_LEN}⌝}}
  slice_append_slice(#s, #t) {{r. True}}[n].
Proof. intros n s t vs ws "[Hs [#Ht %H]]". wp_step r as "Hr". done. Qed.
"""


def test_proofs_beyond_the_allocation_limit_are_rejected():
    st, diags = statuses(UNBOUNDED)
    assert st == {k: "failed" for k in ("make_len", "make_cap", "append_grow",
                                        "append_slice_grow", "append_slice_ro_grow")}, st
    assert diags.count("do not give the precondition of slice_") == 5, diags


def test_proofs_within_the_limit_go_through():
    st, diags = statuses(BOUNDED)
    assert set(st.values()) == {"proved"} and len(st) == 4, diags


def run(e):
    from seplogic.parser import parse_expr
    return Machine({"main": ((), parse_expr(e))}).run("main", [])


def test_interpreter_is_stuck_where_the_axioms_stop():
    with pytest.raises(Stuck, match="makeslice: len out of range"):
        run(f"slice_make(0, {B48 + 1}, {B48 + 1})")
    with pytest.raises(Stuck, match="makeslice: cap out of range"):
        run(f"slice_make(0, 0, {2 ** 46})")
    with pytest.raises(Stuck, match="makeslice: cap out of range"):
        run(f"slice_make(0, 0, {MAX_LEN + 1})")
    assert run("slice_cap(slice_make(0, 2, 5))") == 5
    # growing a slice of MAX_LEN elements (a header built directly: the interpreter cannot hold
    # that many) is stuck before any element is touched; growing up to the bound is not
    m = Machine({})
    two = SliceVal(m.alloc(_Array(0, [0, 0])), 0, 2, 2)
    for n, op, arg in ((MAX_LEN, "slice_append", 1), (MAX_LEN - 1, "slice_append_slice", two)):
        big = SliceVal(two.arr, 0, n, n)
        with pytest.raises(Stuck, match="growslice: cap out of range"):
            m.go_prim(op, [big, arg])
    assert run("slice_len(slice_append(slice_make(0, 3, 3), 1))") == 4


def test_translator_layout_matches_go_and_bounds_elements():
    """goose's size_align gives Go's sizes (checked below against unsafe.Sizeof); a slice of a
    bigger element than MAX_ELEM_SIZE is refused (tests/goose_negative/big_slice_element.go),
    and MAX_ELEM_SIZE with MAX_LEN keeps Go's growslice below 2^48 bytes."""
    assert 2 * MAX_LEN * T.MAX_ELEM_SIZE + 8192 <= B48
    assert MAX_LEN * T.MAX_ELEM_SIZE <= B48
    pair = T.StructT("pair", [("a", T.BYTE), ("b", T.UINT64)])
    assert T.size_align(pair) == (16, 8)
    assert T.size_align(T.StructT("", [("x", pair), ("c", T.BYTE)])) == (24, 8)



def test_go_panics_beyond_the_limit_and_sizes_agree():
    env = go_env()
    arch = subprocess.run(["go", "env", "GOOS", "GOARCH"], env=env, capture_output=True,
                          text=True).stdout.split()
    if arch != ["linux", "amd64"]:
        pytest.skip("the limits are those of linux/amd64")
    r = subprocess.run(["go", "test", "-count=1", "-v", "."], cwd=GO, env=env,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    logs = dict(re.findall(r"alloc_test\.go:\d+: ([\w-]+): (.*)", r.stdout))
    assert logs["make-len"].endswith("makeslice: len out of range")
    assert logs["make-cap"].endswith("makeslice: cap out of range")
    assert logs["append"].endswith("growslice: cap out of range")
    assert logs["append-slice"].endswith("growslice: cap out of range")
    assert logs["make-ok"] == '""'
    sizes = {k: int(v) for k, v in re.findall(r"size (\w+) (\d+)", r.stdout)}
    u64p = T.PtrT(T.UINT64)
    pair = T.StructT("pair", [("a", T.BYTE), ("b", T.UINT64)])
    ours = {
        "pair": pair,
        "bytes2": T.StructT("", [("a", T.BYTE), ("b", T.BYTE)]),
        "mixed": T.StructT("", [("s", T.STRING), ("p", u64p), ("b", T.BOOL)]),
        "nested": T.StructT("", [("x", pair), ("c", T.BYTE)]),
        "withSlice": T.StructT("", [("m", T.MapT(T.UINT64, T.UINT64)),
                                    ("bs", T.SliceT(T.BYTE)), ("l", T.PtrT(T.MUTEX))]),
        "empty": T.StructT("", []),
        "mutex": T.MUTEX,
    }
    assert {k: T.size_align(t)[0] for k, t in ours.items()} == sizes


def test_replicated_disk_init_needs_the_disk_size_bound(tmp_path):
    """Init appends one lock per block: the proof needs the size bound (twodisk_size_bound: the
    in-memory disks hold at most 2^35 blocks), without which it is rejected at the append."""
    from tests.test_replicated_disk import copy_rd
    line = '  use_axiom twodisk_size_bound with "Hd" as "%HN".\n'
    s = copy_rd(tmp_path, proof_edit=lambda t: t.replace(line, "") if line in t else "")
    st = {r.name: r.status for r in s.results}
    assert st["init_spec"] == "failed"
    assert any("precondition of slice_append" in d.message for d in s.diagnostics)
