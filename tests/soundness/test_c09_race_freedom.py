"""Issue 9, class 9: racy Go was provable.  Plain loads, stores, slice accesses and appends were
atomic steps that an invariant could wrap, so two goroutines could share memory through an
invariant with no synchronisation.  Now only synchronising operations (sync/atomic, locks,
the disk and file-system operations) and allocations are atomic, as in GooseLang, and:

* the racy programs of c09_race/race.go (a struct behind a shared pointer, a slice element,
  ``append(dst, src...)`` copying a slice being written, a plain load racing an atomic store;
  concurrent map writes too, though nothing about maps is provable yet) have proof attempts
  (c09_race/race_racy.pv, accepted before the fix) that the kernel rejects at the invariant
  opening around the plain access;
* ``go test -race`` reports a DATA RACE in each of them, and none in their versions with a lock
  or with sync/atomic, whose proofs (c09_race/race_safe.pv) go through;
* pv's interpreter, which runs plain accesses in two steps as GooseLang does, gets stuck on a
  data race in each racy program under some schedule, and never in the safe ones.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from tests.go_env import go_env

from driver.load import Session
from goose import translate_package
from kernel.program import ATOMIC_EFFECT_PRIMS, PLAIN_ACCESS, PURE_PRIMS
from seplogic.syntax import PRIM_OPS
from theories.interp import GO_EFFECT_PRIMS, PLAIN_PRIMS, Machine, Stuck

HERE = os.path.dirname(os.path.abspath(__file__))
PKG = os.path.join(HERE, "c09_race")
RACY = ["RaceStruct", "RaceSliceElem", "RaceAppend", "RaceMixed", "RaceMap"]
SAFE = ["LockedStruct", "LockedSliceElem", "LockedAppend", "AtomicFlag"]


def check(name):
    s = Session()
    s.load_file(os.path.join(PKG, name))
    return s


def test_model_is_up_to_date():
    with open(os.path.join(PKG, "race_goose.pv"), encoding="utf-8") as f:
        assert f.read() == translate_package(PKG), \
            "run pv goose tests/soundness/c09_race -o tests/soundness/c09_race/race_goose.pv"


def test_racy_proofs_are_rejected_at_the_invariant_opening():
    s = check("race_racy.pv")
    st = {r.name: r.status for r in s.results}
    assert st == {"writePair_spec": "failed", "RaceStruct_spec": "failed",
                  "setFirst_spec": "failed", "RaceSliceElem_spec": "failed",
                  "RaceAppend_spec": "failed", "raise_spec": "proved",
                  "RaceMixed_spec": "failed"}, st
    with open(os.path.join(PKG, "race_racy.pv"), encoding="utf-8") as f:
        lines = f.read().split("\n")
    marked = {i + 1 for i, line in enumerate(lines) if "(* RACE *)" in line}
    got = {d.line: d.message for d in s.diagnostics}
    # one error per failed proof, each at its marked invariant opening, naming the access
    assert set(got) == marked, (sorted(got), sorted(marked))
    for line, msg in got.items():
        assert "invariants may only be opened around one atomic step" in msg, msg
        op = re.search(r"\((\w+) is a plain memory access", msg).group(1)
        assert op in PLAIN_ACCESS


GHOST_ATTEMPTS = """
Require "RACE_GOOSE".

Predicate elem_inv (n : nat) (s : val) :=
  ∃ (vs : list val) (x : u64). slice[n](s, vs) ∗ ⌜len(vs) = 1⌝ ∗ ⌜nth(vs, 0) = Some(x)⌝ ∗ ⌜x ≤ 1⌝.

Theorem ghost_then_step (n : nat) (s : val) :
  {inv(N, elem_inv(n, s))} race_setFirst(#s) {r. True}[n].
Proof.
  intros n s "#Hi".
  wp_call.
  inv_ghost "Hi" as "[%vs [%x [Hs [%Hl [%Hx %Hle]]]]]".
  wp_step.
Qed.

Theorem ghost_keep_the_slice (n : nat) (s : val) :
  {inv(N, elem_inv(n, s))} race_setFirst(#s) {r. True}[n].
Proof.
  intros n s "#Hi".
  wp_call.
  inv_ghost "Hi" as "[%vs [%x [Hs [%Hl [%Hx %Hle]]]]]".
  split_r "Hs".
  - exists (vs) (x). done.
  - wp_step. done.
Qed.
"""


def test_ghost_access_cannot_cover_a_plain_access(tmp_path):
    """An invariant opened for ghost steps (wp_inv_ghost) gives its contents back before the
    program moves: neither stepping inside nor keeping the contents for the step works."""
    p = tmp_path / "ghost.pv"
    model = os.path.join(PKG, "race_goose.pv")
    p.write_text(GHOST_ATTEMPTS.replace("RACE_GOOSE", model), encoding="utf-8")
    s = Session()
    s.load_file(str(p))
    assert {r.name: r.status for r in s.results} == {"ghost_then_step": "failed",
                                                     "ghost_keep_the_slice": "failed"}
    msgs = [d.message for d in s.diagnostics]
    assert len(msgs) == 2 and all("race_setFirst" not in m or "()" in m for m in msgs), msgs


def test_race_free_versions_are_provable():
    s = check("race_safe.pv")
    assert not s.diagnostics, [d.render() for d in s.diagnostics]
    assert all(r.status == "proved" for r in s.results) and len(s.results) == 7


def test_no_axiom_is_about_maps():
    """RaceMap has no proof attempt because nothing about maps is provable: no axiom."""
    from driver.load import make_kernel
    from seplogic.syntax import Prim

    def prims(e):
        if type(e) is Prim:
            yield e.op
        for f in getattr(e, "__slots__", ()):
            x = getattr(e, f)
            for y in (x if type(x) is tuple else (x,)):
                if hasattr(y, "__slots__"):
                    yield from prims(y)
    used = {op for ax in make_kernel().axioms.values() if ax.expr is not None
            for op in prims(ax.expr)}
    assert used and not {op for op in used if op.startswith("map_")}


def test_kernel_and_interpreter_agree_on_what_is_atomic():
    """The interpreter's plain (two-step) accesses are exactly the kernel's non-atomic memory
    accesses; every other effectful primitive the interpreter runs in one step is atomic for
    the kernel, or loops (acquire)."""
    assert PLAIN_PRIMS == PLAIN_ACCESS
    assert not PLAIN_ACCESS & ATOMIC_EFFECT_PRIMS
    effectful = (GO_EFFECT_PRIMS | {"ref", "load", "store", "cas", "atomic_load",
                                    "atomic_store", "newlock", "acquire", "release"})
    assert effectful - PLAIN_ACCESS - ATOMIC_EFFECT_PRIMS == {"acquire"}
    assert effectful <= set(PRIM_OPS) and not effectful & set(PURE_PRIMS)


def run_all(seeds):
    from driver.cli import load_functions
    funcs = load_functions(os.path.join(PKG, "race_goose.pv"))
    table = {n: (f[0], f[1]) for n, f in funcs.items()}
    out = {}
    for name in RACY + SAFE:
        args = [20] if name.endswith("Struct") else []
        res = []
        for seed in seeds:
            try:
                res.append(Machine(table, seed=seed).run("race_" + name, args))
            except Stuck as e:
                res.append(f"stuck: {e}")
        out[name] = res
    return out


def test_interpreter_finds_each_race_and_no_other():
    out = run_all(range(60))
    for name in RACY:
        assert any(type(r) is str and "data race" in r for r in out[name]), (name, out[name])
        assert all(r is True or "data race" in r for r in out[name]), (name, out[name])
    for name in SAFE:
        assert all(r is True for r in out[name]), (name, out[name])


def race_detector_env():
    env = go_env()
    cgo = subprocess.run(["go", "env", "CGO_ENABLED"], env=env, capture_output=True,
                         text=True).stdout.strip()
    if cgo != "1" or shutil.which(os.environ.get("CC", "gcc")) is None:
        pytest.skip("the race detector needs cgo and a C compiler")
    return env


def test_go_race_detector_reports_exactly_the_racy_programs(tmp_path):
    env = race_detector_env()
    binary = str(tmp_path / "race.test")
    r = subprocess.run(["go", "test", "-race", "-c", "-o", binary, "."], cwd=PKG, env=env,
                       capture_output=True, text=True, timeout=600)
    if r.returncode != 0 and ("requires cgo" in r.stderr or "not supported" in r.stderr):
        pytest.skip("the race detector cannot run here: " + r.stderr.strip()[:200])
    assert r.returncode == 0, r.stderr
    # one process per program (a goroutine may finish, and the detector report its race, after
    # its test has passed)
    for name in RACY + SAFE:
        t = subprocess.run([binary, "-test.count=1", "-test.v", f"-test.run=^Test{name}$"],
                           cwd=PKG, env=env, capture_output=True, text=True, timeout=600)
        out = t.stdout + t.stderr
        assert f"=== RUN   Test{name}" in out, (name, out[-3000:])
        assert ("WARNING: DATA RACE" in out) == (name in RACY), (name, out[-3000:])
        assert (t.returncode != 0) == (name in RACY), (name, out[-3000:])
