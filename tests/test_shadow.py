"""The shadow copy (issue 10 points 4, 6 and 7): the translated shadow.go refines the atomic
pair (proofs/pair/pair_spec.pv) by Theorem 2 with no admits; four buggy variants, each a Go edit
of shadow.go translated by goose, with the proof attempt the bug calls for, fail at the step the
bug breaks; and each variant really misbehaves where the real code does not: the Go crash test
tests/data/pair_crash_test.go (crashes at every disk write) or the interpreter (crashes at every
step, concurrent Writes, a Read after a Write) sees a torn or stale pair."""
import os

import pytest

from tests import go_variants
from tests.go_variants import (block, first_bytes, functions, go_func, go_test, goose_model,
                                load_pair_proof, replace_proof)
from theories.interp import Crashed, Machine

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHADOW = os.path.join(ROOT, "proofs", "shadow")
GOOSE = os.path.join(SHADOW, "shadow_goose.pv")
SHADOW_GO = open(os.path.join(SHADOW, "shadow.go"), encoding="utf-8").read()
CRASH_TEST = os.path.join(ROOT, "tests", "data", "pair_crash_test.go")

# ---- the variants, as Go ------------------------------------------------------------------------

WRITE_FLIPS_EARLY = """func Write(p *Pair, v1 disk.Block, v2 disk.Block) {
	p.l.Lock()
	next := 1 - active()
	disk.Write(copyAddr(next), v1)
	ptr := make([]byte, disk.BlockSize)
	ptr[0] = byte(next)
	disk.Write(ptrAddr, ptr)
	disk.Write(copyAddr(next)+1, v2)
	p.l.Unlock()
}
"""

WRITE_WITHOUT_LOCK = """func Write(p *Pair, v1 disk.Block, v2 disk.Block) {
	next := 1 - active()
	disk.Write(copyAddr(next), v1)
	disk.Write(copyAddr(next)+1, v2)
	ptr := make([]byte, disk.BlockSize)
	ptr[0] = byte(next)
	disk.Write(ptrAddr, ptr)
}
"""


def replaced(old, new):
    assert SHADOW_GO.count(old) == 1, old
    return SHADOW_GO.replace(old, new)


VARIANTS = {"real": SHADOW_GO,
            # Write fills the active copy
            "overwrites_active": replaced("\tnext := 1 - active()\n", "\tnext := active()\n"),
            "flips_early": go_func(SHADOW_GO, "Write", WRITE_FLIPS_EARLY),
            "ignores_pointer": replaced("\tc := active()\n", "\tc := uint64(0)\n"),
            "write_without_lock": go_func(SHADOW_GO, "Write", WRITE_WITHOUT_LOCK)}


def model_text(name):
    """The variant's model, translated from its Go by goose."""
    return goose_model("shadow", VARIANTS[name])


def test_the_model_is_the_translation_of_shadow_go():
    assert model_text("real") == open(GOOSE, encoding="utf-8").read()


def load(tmp_path, variant="real", proof_edit=None):
    return load_pair_proof(tmp_path, "shadow", model_text(variant), proof_edit)


def failure(s, theorem):
    return go_variants.failure(s, theorem, "shadow_refines")


def test_the_refinement_holds(tmp_path):
    s = load(tmp_path)
    assert not s.diagnostics, [d.render() for d in s.diagnostics]
    ref = s.kernel.refinements["shadow_proof.shadow_refines"]
    assert not ref.admits
    assert ref.sem_init == "disk_init" and ref.spec == "pair_spec.AP"
    assert any("Theorem 2" in a for a in ref.axioms)
    assert {"disk_read", "disk_write"} <= set(ref.axioms)
    assert not any(a.startswith("twodisk") for a in ref.axioms)


def test_a_write_that_overwrites_the_active_copy_cannot_be_proven(tmp_path):
    """The first block written is the active copy's: the crash invariant, which says the active
    copy holds the spec's pair, cannot be closed after that disk write."""
    s = load(tmp_path, "overwrites_active")
    line, msg = failure(s, "sh_write_ok")
    assert line.lstrip().startswith("cases (len(v1)") and line.rstrip().endswith("inv_close."), line
    # the active copy p3 (the pointer block's byte, which the ghost cell says is the lock's p)
    # has its first block holding v1, not the spec's p1(σ)
    assert "Hag : (dsize(σ), p3) = (N, p)" in msg and "dmaster[n](1 +64 2 *64 p3, v1)" in msg, msg
    # (its bound b0 d1 d2 are shown renamed apart from the context's b0 d1 d2)
    assert "∃ (b3 d7 d8 : list val)." in msg, msg
    assert "ShMasters(n, p4, b3, p1(σ1), p2(σ1), d7, d8)" in msg, msg


# the proof of sh_write_ok with its steps in the variant's order: the commit at the pointer
WRITE_FLIPS_EARLY_PROOF = '''\
  intros γ n h j v1 v2 v1_s v2_s "[Hj [#Hinv [[%l [%lk [%Hh [#Hl #Hlk]]]] [Hv1 Hv2]]]]".
  wp_call. rewrite "Hh".
  wp_step. wp_step as "[** Hk]". inv_ghost "Hinv" as "**"; agree; try contradiction; spec_step AP.
  wp_call. inv_open "Hinv" as "**". agree. contradiction. wp_step. inv_close. wp_step.
  wp_call. inv_open "Hinv" as "**". agree. contradiction.
  cases (len(v1) ≠ 4096 || len(v2) ≠ 4096) as "%Hbad". spec_step AP. wp_step. inv_close.
  wp_step. wp_step. inv_open "Hinv" as "**". agree. contradiction.
  agree. wp_step. spec_step AP. ghost_update ((N, 1 -64 p)). inv_close.
  wp_call. inv_open "Hinv" as "**". agree. contradiction. wp_step. inv_close.
  wp_step. wp_step. done.
'''


def test_a_pointer_flipped_before_the_copy_is_complete_cannot_be_proven(tmp_path):
    """The pointer names the new copy while its second block still holds the old inactive
    contents: at the commit the crash invariant, which wants the new copy to hold the pair the
    spec now has, cannot be closed."""
    s = load(tmp_path, "flips_early",
             lambda t: replace_proof(t, "sh_write_ok", WRITE_FLIPS_EARLY_PROOF))
    line, msg = failure(s, "sh_write_ok")
    assert "spec_step AP. ghost_update" in line and line.rstrip().endswith("inv_close."), line
    # the new copy's second block agrees with the old inactive one's lease (d2), not v2
    # (the goal's bound b0 d1 d2 are shown renamed apart from the context: b4 d9 d10)
    flat = " ".join(msg.split())        # (the goal is laid out over several lines)
    assert "Hag9 : d8 = d2" in msg and \
        "ShMasters(n, 1 -64 p, b4, p1(PairSt(dsize(σ2), v1, v2))" in flat


READ_IGNORES_POINTER_PROOF = '''\
  intros γ n h j "[Hj [#Hinv [%l [%lk [%Hh [#Hl #Hlk]]]]]]". wp_call. rewrite "Hh".
  wp_step. wp_step as "[** Hk]". inv_ghost "Hinv" as "**"; agree; try contradiction; spec_step AP.
  wp_call. inv_open "Hinv" as "**". agree. contradiction. agree. spec_step AP. wp_step. inv_close.
  wp_call. inv_open "Hinv" as "**". agree. contradiction. wp_step. inv_close.
  wp_step. wp_step. done.
'''


def test_a_read_that_ignores_the_pointer_cannot_be_proven(tmp_path):
    """Read reads copy 0 whichever copy is active: the crash invariant knows the blocks of the
    active copy (1 + 2p) and of the other (1 + 2(1 - p)), not which of them block 1 is."""
    s = load(tmp_path, "ignores_pointer",
             lambda t: replace_proof(t, "sh_read_ok", READ_IGNORES_POINTER_PROOF))
    line, msg = failure(s, "sh_read_ok")
    assert "agree. spec_step AP. wp_step. inv_close." in line, line
    assert "do not give the precondition of disk_read" in msg and "read(#(1 +64 2 *64 0))" in msg


WRITE_WITHOUT_LOCK_PROOF = '''\
  intros γ n h j v1 v2 v1_s v2_s "[Hj [#Hinv [[%l [%lk [%Hh [#Hl #Hlk]]]] [Hv1 Hv2]]]]".
  wp_call.
  wp_call. inv_open "Hinv" as "[% [% [%q **]]]". spec_step AP. wp_step. inv_close.
  wp_step. wp_call. inv_open "Hinv" as "**". wp_step. inv_close.
  wp_call. inv_open "Hinv" as "**". wp_step. inv_close.
  wp_step. wp_step. inv_open "Hinv" as "**". wp_step. spec_step AP. inv_close.
  done.
'''


def test_a_write_without_the_lock_cannot_be_proven(tmp_path):
    """Without the lock there are no leases: the first disk access (the pointer block's read)
    needs one, and a disk write would too."""
    s = load(tmp_path, "write_without_lock",
             lambda t: replace_proof(t, "sh_write_ok", WRITE_WITHOUT_LOCK_PROOF))
    line, msg = failure(s, "sh_write_ok")
    assert 'inv_open "Hinv" as "[% [% [%q **]]]". spec_step AP. wp_step.' in line, line
    # the lease the read needs is what is left to prove
    assert msg.rstrip().endswith("dlease[n](0, b0)"), msg


# ---- the variants in the interpreter ------------------------------------------------------------

def model(name="real"):
    """The variant's translated Functions, with a driver."""
    return functions(model_text(name), DRIVER, GOOSE)


# two Writes at once (the second in a forked thread)
DRIVER = """Function two_writes (h a1 a2 b1 b2) :=
  fork { shadow_Write(h, a1, a2) };;
  shadow_Write(h, b1, b2)."""


def read_pair(m, h):
    return first_bytes(m, m.run("shadow_Read", [h]))


def outcomes_after_crashes(funcs):
    """Write (1, 2) then (3, 4), crashing at every step of the second Write; the pairs Read
    returns after recovery."""
    seen = set()
    for k in range(200):
        m = Machine(funcs, seed=k)
        m.disk_blocks = 5
        h = m.run("shadow_Init", [])
        m.run("shadow_Write", [h, block(m, 1), block(m, 2)])
        try:
            m.run_until_crash("shadow_Write", [h, block(m, 3), block(m, 4)], k)
            crashed = False
            m.crash()            # after the Write returned
        except Crashed:
            crashed = True
        h = m.run("shadow_Recover", [])
        seen.add(read_pair(m, h))
        if not crashed:
            break
    return seen


def test_the_shadow_copy_survives_a_crash_anywhere():
    assert outcomes_after_crashes(model()) == {(1, 2), (3, 4)}


def test_overwriting_the_active_copy_tears_the_pair_in_a_crash():
    seen = outcomes_after_crashes(model("overwrites_active"))
    assert (3, 2) in seen


def test_flipping_the_pointer_early_tears_the_pair_in_a_crash():
    seen = outcomes_after_crashes(model("flips_early"))
    assert (3, 0) in seen       # the new copy's first block and the old inactive second block


@pytest.mark.parametrize("variant", ["real", "ignores pointer"])
def test_a_read_that_ignores_the_pointer_is_stale(variant):
    funcs = model() if variant == "real" else model("ignores_pointer")
    m = Machine(funcs)
    m.disk_blocks = 5
    h = m.run("shadow_Init", [])
    m.run("shadow_Write", [h, block(m, 1), block(m, 2)])      # into copy 1
    assert read_pair(m, h) == ((1, 2) if variant == "real" else (0, 0))


def concurrent_outcomes(funcs, seeds=range(60)):
    seen = set()
    for seed in seeds:
        m = Machine(funcs, seed=seed)
        m.disk_blocks = 5
        h = m.run("shadow_Init", [])
        m.run("two_writes", [h, block(m, 1), block(m, 2), block(m, 3), block(m, 4)])
        seen.add(read_pair(m, h))
    return seen


def test_concurrent_writes_without_the_lock_tear_the_pair():
    assert concurrent_outcomes(model()) == {(1, 2), (3, 4)}
    torn = concurrent_outcomes(model("write_without_lock"))
    assert torn - {(1, 2), (3, 4)}, torn


# ---- the variants in Go, crashed after every disk write -------------------------------------

def test_the_real_code_survives_a_crash_at_every_point(tmp_path):
    ok, out = go_test(tmp_path, "shadow", SHADOW_GO, CRASH_TEST, "TestPairAfterCrashes")
    assert ok, out


@pytest.mark.parametrize("name, torn", [
    # the active copy's first block overwritten, then a crash
    ("overwrites_active", "torn pair (3, 2) after crashes at disk write 1 of Write"),
    # the pointer names the new copy, whose second block is not written yet
    ("flips_early", "torn pair (3, 0) after crashes at disk write 2 of Write"),
    # copy 0 read while copy 1, which the first Write filled, is active
    ("ignores_pointer", "torn pair (0, 0) after crashes at disk write 0 of Write")])
def test_each_crash_variant_tears_the_pair_in_go(tmp_path, name, torn):
    ok, out = go_test(tmp_path, "shadow", VARIANTS[name], CRASH_TEST, "TestPairAfterCrashes")
    assert not ok and torn in out, out
