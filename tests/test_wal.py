"""The write-ahead log (issue 10 points 5 and 7): the translated wal.go refines the atomic pair
(proofs/pair/pair_spec.pv) by Theorem 2 with no admits; five buggy variants, each a Go edit of
wal.go translated by goose, with the proof attempt the bug calls for, fail at the step the bug
breaks; and each variant really misbehaves: the Go crash test tests/data/pair_crash_test.go
(crashes at every disk write, with the disk package's crash hooks) sees a torn pair, or the
interpreter sees one under concurrency, where the real code does not."""
import os
import re

import pytest

from tests import go_variants
from tests.go_variants import (block, first_bytes, functions, go_func, go_test, goose_model,
                                load_pair_proof, replace_proof)
from theories.interp import Crashed, Machine

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WAL = os.path.join(ROOT, "proofs", "wal")
WAL_GO = open(os.path.join(WAL, "wal.go"), encoding="utf-8").read()
CRASH_TEST = os.path.join(ROOT, "tests", "data", "pair_crash_test.go")


# ---- the variants, as Go ------------------------------------------------------------------------

RECOVER_IGNORES_FLAG = """func Recover() *Log {
	return Init()
}
"""

WRITE_FLAG_FIRST = """func Write(lg *Log, v1 disk.Block, v2 disk.Block) {
	lg.l.Lock()
	disk.Write(hdrAddr, header(true))
	disk.Write(logAddr1, v1)
	disk.Write(logAddr2, v2)
	disk.Write(dataAddr1, v1)
	disk.Write(dataAddr2, v2)
	disk.Write(hdrAddr, header(false))
	lg.l.Unlock()
}
"""

WRITE_CLEARS_EARLY = """func Write(lg *Log, v1 disk.Block, v2 disk.Block) {
	lg.l.Lock()
	disk.Write(logAddr1, v1)
	disk.Write(logAddr2, v2)
	disk.Write(hdrAddr, header(true))
	disk.Write(hdrAddr, header(false))
	disk.Write(dataAddr1, v1)
	disk.Write(dataAddr2, v2)
	lg.l.Unlock()
}
"""

RECOVER_CLEARS_FIRST = """func Recover() *Log {
	if disk.Size() < 5 {
		return Init()
	}
	hdr := disk.Read(hdrAddr)
	if hdr[0] == 1 {
		v1 := disk.Read(logAddr1)
		v2 := disk.Read(logAddr2)
		disk.Write(hdrAddr, header(false))
		disk.Write(dataAddr1, v1)
		disk.Write(dataAddr2, v2)
	}
	return Init()
}
"""

READ_WITHOUT_LOCK = """func Read(lg *Log) (disk.Block, disk.Block) {
	v1 := disk.Read(dataAddr1)
	v2 := disk.Read(dataAddr2)
	return v1, v2
}
"""

VARIANTS = {"recover_ignores_flag": ("Recover", RECOVER_IGNORES_FLAG),
            "write_flag_first": ("Write", WRITE_FLAG_FIRST),
            "write_clears_early": ("Write", WRITE_CLEARS_EARLY),
            "recover_clears_first": ("Recover", RECOVER_CLEARS_FIRST),
            "read_without_lock": ("Read", READ_WITHOUT_LOCK)}


def variant_go(name):
    if name == "real":
        return WAL_GO
    func, body = VARIANTS[name]
    return go_func(WAL_GO, func, body)


def model_text(name):
    """The variant's model, translated from its Go by goose."""
    return goose_model("wal", variant_go(name))


def test_the_model_is_the_translation_of_wal_go():
    """wal_goose.pv is up to date (the variants' models are made the same way)."""
    assert model_text("real") == open(os.path.join(WAL, "wal_goose.pv"), encoding="utf-8").read()


# ---- the proof and the proof attempts -----------------------------------------------------------

def load(tmp_path, variant="real", proof_edit=None):
    return load_pair_proof(tmp_path, "wal", model_text(variant), proof_edit)


def failure(s, theorem):
    return go_variants.failure(s, theorem, "wal_refines")


def goal_blocks(msg):
    """The names the goal's ∃ binds for the header, log and data blocks (the display renames
    them apart from the context's), and the message on one line."""
    names = re.findall(r"∃ \(([\w ]+) : list val\)\.", msg)[-1].split()
    return names, " ".join(msg.split())


def test_the_refinement_holds(tmp_path):
    s = load(tmp_path)
    assert not s.diagnostics, [d.render() for d in s.diagnostics]
    ref = s.kernel.refinements["wal_proof.wal_refines"]
    assert not ref.admits
    assert ref.sem_init == "disk_init" and ref.spec == "pair_spec.AP"
    assert any("Theorem 2" in a for a in ref.axioms)
    assert {"disk_read", "disk_write", "disk_size"} <= set(ref.axioms)


RECOVER_IGNORES_FLAG_PROOF = '''\
  intros γ n "[Hc [#Hinv HL]]". inv_ghost "Hinv" as "[% [% [% [Hs H]]]]". spec_crash AP.
  inv_close. wp_call. destruct "HL" as "**".
  assert (WalLockInv(γ, n + 1)) with "H" as "HL". done.
  wp_apply wal_init_spec with "HL". done.
  assert (WalLockInv(γ, n + 1)) with "HL H H1 H2 H3 H4" as "HI". done.
  wp_apply wal_init_spec with "HI". done.
'''


def test_a_recovery_that_ignores_a_set_flag_cannot_be_proven(tmp_path):
    """Recovery leaves the disk as the crash left it: the lock's contents, which say the flag
    is clear (so that Write's log blocks are free), cannot be made from a crash's leases."""
    s = load(tmp_path, "recover_ignores_flag",
             lambda t: replace_proof(t, "wal_recover_ok", RECOVER_IGNORES_FLAG_PROOF))
    line, msg = failure(s, "wal_recover_ok")
    assert line.strip() == 'assert (WalLockInv(γ, n + 1)) with "HL H H1 H2 H3 H4" as "HI". done.'
    # the flag the crash left (f1) may be set
    assert "HL : glease[n + 1]((γ, 0), (N, f1))" in msg and "⌜f1 ≠ 1⌝ ∗ WalLeases" in msg, msg


WRITE_FLAG_FIRST_PROOF = '''\
  intros γ n h j v1 v2 v1_s v2_s "[Hj [#Hinv [[%l [%lk [%Hh [#Hl #Hlk]]]] [Hv1 Hv2]]]]".
  wp_call. rewrite "Hh".
  wp_step. wp_step as "[** Hk]". inv_ghost "Hinv" as "**"; agree; try contradiction; spec_step AP.
  wp_apply wal_header_set as "[%b [Hb %Hbs]]".
  inv_open "Hinv" as "**"; agree; try contradiction.
  cases (len(v1) ≠ 4096 || len(v2) ≠ 4096) as "%Hbad". spec_step AP.
  wp_step. spec_step AP. ghost_update ((N, 1)). inv_close.
  inv_open "Hinv" as "**"; agree; try contradiction. wp_step. inv_close.
  inv_open "Hinv" as "**"; agree; try contradiction. wp_step. inv_close.
  inv_open "Hinv" as "**"; agree; try contradiction. wp_step. inv_close.
  inv_open "Hinv" as "**"; agree; try contradiction. wp_step. inv_close.
  wp_apply wal_header_clear as "[%c [Hcl %Hcs]]".
  inv_open "Hinv" as "**"; agree; try contradiction. wp_step. ghost_update ((N, 0)). inv_close.
  wp_step. wp_step. done.
'''


def test_a_flag_written_before_the_log_cannot_be_proven(tmp_path):
    """The header's write is the commit point wherever it is: the spec takes the new pair, and
    the invariant, which then wants the log to hold it, cannot be closed over the old log."""
    s = load(tmp_path, "write_flag_first",
             lambda t: replace_proof(t, "wal_write_ok", WRITE_FLAG_FIRST_PROOF))
    line, msg = failure(s, "wal_write_ok")
    assert line.strip() == "wp_step. spec_step AP. ghost_update ((N, 1)). inv_close.", line
    # the log blocks' masters hold the old log (l3, l4), the spec the new pair (v1, v2)
    (_, log1, _, _, _), flat = goal_blocks(msg)
    assert "dmaster[n](1, l3)" in msg and f"{log1} = p1(PairSt(dsize(σ), v1, v2))" in flat, msg


WRITE_CLEARS_EARLY_PROOF = '''\
  intros γ n h j v1 v2 v1_s v2_s "[Hj [#Hinv [[%l [%lk [%Hh [#Hl #Hlk]]]] [Hv1 Hv2]]]]".
  wp_call. rewrite "Hh".
  wp_step. wp_step as "[** Hk]". inv_ghost "Hinv" as "**"; agree; try contradiction; spec_step AP.
  inv_open "Hinv" as "**"; agree; try contradiction.
  cases (len(v1) ≠ 4096 || len(v2) ≠ 4096) as "%Hbad". spec_step AP. wp_step. inv_close.
  inv_open "Hinv" as "**"; agree; try contradiction. wp_step. inv_close.
  wp_apply wal_header_set as "[%b [Hb %Hbs]]".
  inv_open "Hinv" as "**"; agree; try contradiction.
  wp_step. spec_step AP. ghost_update ((N, 1)). inv_close.
  wp_apply wal_header_clear as "[%c [Hcl %Hcs]]".
  inv_open "Hinv" as "**"; agree; try contradiction. wp_step. ghost_update ((N, 0)). inv_close.
  inv_open "Hinv" as "**"; agree; try contradiction. wp_step. inv_close.
  inv_open "Hinv" as "**"; agree; try contradiction. wp_step. inv_close.
  wp_step. wp_step. done.
'''


def test_a_flag_cleared_before_the_data_writes_cannot_be_proven(tmp_path):
    """With the flag clear the invariant wants the data blocks to hold the spec's pair: the
    clearing write cannot close it while they hold the old pair."""
    s = load(tmp_path, "write_clears_early",
             lambda t: replace_proof(t, "wal_write_ok", WRITE_CLEARS_EARLY_PROOF))
    line, msg = failure(s, "wal_write_ok")
    assert "wp_step. ghost_update ((N, 0)). inv_close." in line, line
    # the data blocks' masters hold the old data (d9 = d1), the spec the new pair
    assert "dmaster[n](3, d9)" in msg and "Hag22 : d9 = d1" in msg, msg
    (*_, d1, d2), flat = goal_blocks(msg)
    assert f"⌜0 ≠ 1 && ({d1} = p1(σ3) && {d2} = p2(σ3))⌝" in flat, msg


RECOVER_CLEARS_FIRST_PROOF = '''\
  intros γ n "[Hc [#Hinv HL]]". inv_ghost "Hinv" as "[% [% [% [Hs H]]]]". spec_crash AP.
  inv_close. wp_call. destruct "HL" as "**".
  inv_open "Hinv" as "**"; agree; try contradiction. wp_step. inv_close.
  assert (WalLockInv(γ, n + 1)) with "H" as "HL". done.
  wp_apply wal_init_spec with "HL". done.
  inv_open "Hinv" as "[% [% [% [Hs [% [#Hd [Hg [% | Hm]]]]]]]]"; agree; try contradiction.
  wp_step. inv_close.
  inv_open "Hinv" as "**"; agree; try contradiction. wp_step. inv_close. wp_step.
  inv_open "Hinv" as "**"; agree; try contradiction. wp_step. inv_close.
  inv_open "Hinv" as "**"; agree; try contradiction. wp_step. inv_close.
  wp_apply wal_header_clear as "[%c [Hcl %Hcs]]".
  inv_open "Hinv" as "**"; agree; try contradiction. wp_step. ghost_update ((N, 0)). inv_close.
  inv_open "Hinv" as "**"; agree; try contradiction. wp_step. inv_close.
  inv_open "Hinv" as "**"; agree; try contradiction. wp_step. inv_close.
  assert (WalLockInv(γ, n + 1)) with "HL H H1 H2 H3 H4" as "HI". done.
  wp_apply wal_init_spec with "HI". done.
  wp_step. inv_close. wp_step.
  assert (WalLockInv(γ, n + 1)) with "HL H H1 H2 H3 H4" as "HI". done.
  wp_apply wal_init_spec with "HI". done.
'''


def test_a_recovery_that_clears_the_flag_before_replaying_cannot_be_proven(tmp_path):
    """Clearing the flag hands the spec's pair back to the data blocks, which the replay has
    not written yet: the invariant cannot be closed after the clearing write."""
    s = load(tmp_path, "recover_clears_first",
             lambda t: replace_proof(t, "wal_recover_ok", RECOVER_CLEARS_FIRST_PROOF))
    line, msg = failure(s, "wal_recover_ok")
    assert "wp_step. ghost_update ((N, 0)). inv_close." in line, line
    (*_, d1, d2), flat = goal_blocks(msg)
    assert "dmaster[n + 1](3, d11)" in msg and \
        f"⌜0 ≠ 1 && ({d1} = p1(σ5) && {d2} = p2(σ5))⌝" in flat, msg


READ_WITHOUT_LOCK_PROOF = '''\
  intros γ n h j "[Hj [#Hinv [%l [%lk [%Hh [#Hl #Hlk]]]]]]". wp_call.
  inv_open "Hinv" as "**"; spec_step AP; wp_step. inv_close.
  inv_open "Hinv" as "**". wp_step. inv_close.
  done.
'''


def test_a_read_without_the_lock_cannot_be_proven(tmp_path):
    """Without the lock there are no leases: the first data block's read needs one."""
    s = load(tmp_path, "read_without_lock",
             lambda t: replace_proof(t, "wal_read_ok", READ_WITHOUT_LOCK_PROOF))
    line, msg = failure(s, "wal_read_ok")
    assert line.strip() == 'inv_open "Hinv" as "**"; spec_step AP; wp_step. inv_close.', line
    # the lease the read needs is what is left to prove
    assert msg.rstrip().endswith("dlease[n](3, d1)"), msg


# ---- the variants really misbehave: Go with crashes injected, the interpreter with threads ---

def go_crash_test(tmp_path, name):
    """Run pair_crash_test.go against the variant (or the real code): (passed, output)."""
    return go_test(tmp_path, "wal", variant_go(name), CRASH_TEST, "TestPairAfterCrashes")


def test_the_real_code_survives_a_crash_at_every_point(tmp_path):
    ok, out = go_crash_test(tmp_path, "real")
    assert ok, out


@pytest.mark.parametrize("name, torn", [
    # Write's data blocks half-applied (3, 2) under a set flag that recovery ignores
    ("recover_ignores_flag", "torn pair (3, 2) after crashes at disk write 4 of Write"),
    # the flag set over the old log, then half the new log written: replayed as (3, 2)
    ("write_flag_first", "torn pair (3, 2) after crashes at disk write 2 of Write"),
    # the flag cleared, then one data block written
    ("write_clears_early", "torn pair (3, 2) after crashes at disk write 5 of Write"),
    # a recovery that cleared the flag of a committed log, then crashed after one data block
    ("recover_clears_first", "torn pair (3, 2) after crashes at disk write 3 of Write, 2 of "
                             "Recover")])
def test_each_crash_variant_tears_the_pair(tmp_path, name, torn):
    ok, out = go_crash_test(tmp_path, name)
    assert not ok and torn in out, out


def model(name):
    """The variant's translated Functions, with a driver (Reads while a forked Write runs)."""
    return functions(model_text(name), READ_DURING_WRITE, "wal_goose.pv")


# four Reads while a forked thread runs a Write
READ_DURING_WRITE = """Function read_during_write (h a1 a2) :=
  fork { wal_Write(h, a1, a2) };;
  let r1 := wal_Read(h) in let r2 := wal_Read(h) in let r3 := wal_Read(h) in
  let r4 := wal_Read(h) in (r1, (r2, (r3, r4)))."""


def reads_during_a_write(funcs, seeds=range(80)):
    """The pairs a Read returns while Write (3, 4) replaces (1, 2), over many schedules."""
    seen = set()
    for seed in seeds:
        m = Machine(funcs, seed=seed)
        m.disk_blocks = 5
        h = m.run("wal_Init", [])
        m.run("wal_Write", [h, block(m, 1), block(m, 2)])
        r1, (r2, (r3, r4)) = m.run("read_during_write", [h, block(m, 3), block(m, 4)])
        seen |= {first_bytes(m, r) for r in (r1, r2, r3, r4)}
    return seen


def test_a_read_without_the_lock_sees_a_torn_pair():
    assert reads_during_a_write(model("real")) == {(1, 2), (3, 4)}
    seen = reads_during_a_write(model("read_without_lock"))
    assert (3, 2) in seen, seen


def outcomes_after_crashes(funcs):
    """Write (1, 2), then Write (3, 4) crashing after k scheduling steps, then a recovery
    crashing after m steps, for every k and m; the pairs Read returns after a last recovery."""
    seen = set()
    for k in range(10_000):
        for m in range(10_000):
            mc = Machine(funcs, seed=k)
            mc.disk_blocks = 5
            h = mc.run("wal_Init", [])
            mc.run("wal_Write", [h, block(mc, 1), block(mc, 2)])
            try:
                mc.run_until_crash("wal_Write", [h, block(mc, 3), block(mc, 4)], k)
                crashed = False
                mc.crash()       # after the Write returned
            except Crashed:
                crashed = True
            try:
                mc.run_until_crash("wal_Recover", [], m)
                recovered = True
                mc.crash()
            except Crashed:
                recovered = False
            got = first_bytes(mc, mc.run("wal_Read", [mc.run("wal_Recover", [])]))
            seen.add(got if crashed else ("returned",) + got)
            if recovered:
                break
        if not crashed:
            return seen


@pytest.mark.parametrize("name", ["real", "recover_ignores_flag", "write_flag_first",
                                  "write_clears_early", "recover_clears_first"])
def test_crashes_in_the_interpreter(name):
    """The interpreter agrees with the Go crash test: the real code keeps the pair whole (old
    or new while the Write was in flight, new once it returned), each variant tears it."""
    seen = outcomes_after_crashes(model(name))
    if name == "real":
        assert seen == {(1, 2), (3, 4), ("returned", 3, 4)}, seen
    else:
        assert (3, 2) in seen, seen
