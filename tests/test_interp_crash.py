"""The interpreter's crashes and disk failures, on the translated replicated disk: whatever
step a crash interrupts a write (or the recovery itself) at, after recovery a read returns the
old or the new block, and keeps returning it when disk 1 then fails (paper §3, Figure 5)."""
import os

import pytest

from seplogic.document import FunctionDef
from seplogic.parser import parse_file
from theories.interp import BLOCK_SIZE, Crashed, Machine, _elements, _new_slice

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOOSE = os.path.join(ROOT, "proofs", "replicated_disk", "replicated_disk_goose.pv")


@pytest.fixture(scope="module")
def funcs():
    doc = parse_file(open(GOOSE, encoding="utf-8").read(), GOOSE)
    return {c.name: (c.params, c.body) for c in doc.commands if type(c) is FunctionDef}


def block(m, byte):
    return _new_slice(m, [byte] * BLOCK_SIZE, 0)


def contents(m, v):
    return bytes(_elements(m, v))[:1]


def fresh(funcs, seed=0):
    m = Machine(funcs, seed=seed)
    m.disk_blocks = 3
    h = m.run("replicated_disk_Init", [])
    m.run("replicated_disk_Write", [h, 1, block(m, 1)])
    return m, h


def write_steps(funcs):
    m, h = fresh(funcs)
    before = m.steps
    m.run("replicated_disk_Write", [h, 1, block(m, 2)])
    return m.steps - before


def test_a_write_interrupted_anywhere_is_atomic_and_durable(funcs):
    n = write_steps(funcs)
    seen = set()
    for k in range(n + 1):
        m, h = fresh(funcs)
        try:
            m.run_until_crash("replicated_disk_Write", [h, 1, block(m, 2)], k)
        except Crashed:
            pass
        h2 = m.run("replicated_disk_Recover", [])
        r = contents(m, m.run("replicated_disk_Read", [h2, 1]))
        assert r in (b"\x01", b"\x02"), (k, r)
        seen.add(r)
        assert m.fail_disk(0)
        assert contents(m, m.run("replicated_disk_Read", [h2, 1])) == r, k
    assert seen == {b"\x01", b"\x02"}     # both outcomes happen, depending on the crash point


def test_recovery_interrupted_anywhere_can_run_again(funcs):
    n = write_steps(funcs)
    for k in range(0, n + 1, 3):
        for j in range(0, 40, 7):
            m, h = fresh(funcs)
            try:
                m.run_until_crash("replicated_disk_Write", [h, 1, block(m, 2)], k)
            except Crashed:
                pass
            try:
                m.run_until_crash("replicated_disk_Recover", [], j)
            except Crashed:
                pass
            h2 = m.run("replicated_disk_Recover", [])
            r = contents(m, m.run("replicated_disk_Read", [h2, 1]))
            assert m.fail_disk(0)
            assert contents(m, m.run("replicated_disk_Read", [h2, 1])) == r, (k, j)


def test_a_crash_loses_memory_but_not_the_disks(funcs):
    m, h = fresh(funcs)
    m.crash()
    assert m.heap == {} and m.version == 1
    h2 = m.run("replicated_disk_Recover", [])
    assert contents(m, m.run("replicated_disk_Read", [h2, 1])) == b"\x01"
