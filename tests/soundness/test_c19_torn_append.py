"""Issue 9, class 19 (helper attack9's hole, tests/soundness/test_c19_go_semantics.py): a process
killed during filesys.Append leaves a prefix of the bytes.

The model made Append one atomic step (axiom fs_append: inode bs -> bs ++ data), so after a
crash the file held all of the bytes or none: less nondeterministic than the primitive, whose
crash model is a process crash, and Linux writes a file page by page and stops at a pending
SIGKILL.  Append is now two atomic steps (theories/filesys.py): fs_append_prefix appends some
prefix sublist(data, 0, k), k ≤ len(data), and returns k; fs_append_rest appends the rest.

(a) the real experiment (c19_torn/main.go, killed during a 64 MiB Append) lies within the
model: the file is the header ++ a prefix of the data, byte for byte;
(b) Append is no longer provably atomic across a crash: the old axioms are gone, and "the inode
holds bs or bs ++ data after the first step" is refused -- but proved under the old, atomic
axiom (the control: the same proof, a mutated kernel);
(c) the interpreter reaches torn states at a crash between the two steps;
(d) the steps cannot be used out of order or with a wrong k, nor give k > len(data) -- each
refusal again with a mutated axiom under which it would be accepted.
"""
from __future__ import annotations

import os
import subprocess
import time

import pytest

from driver.load import Session, make_kernel
from kernel.rules import RULES
from kernel.sequent import Seq
from kernel.wf import KernelError
from seplogic.document import FunctionDef
from seplogic.parser import parse_assertion, parse_expr, parse_file, parse_sort, parse_term
from seplogic.printer import show
from seplogic.syntax import WP
from tests.go_env import go_env
from theories import filesys
from theories.axiom_dsl import AxiomText
from theories.interp import Crashed, Machine, _new_slice

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TORN = os.path.join(HERE, "c19_torn")
HEADER = b"head:"
AXIOMS = {ax.name: ax for ax in filesys.AXIOMS}


def pattern(n: int) -> bytes:
    """The large buffer of c19_torn/main.go: byte j is j mod 251."""
    return (bytes(range(251)) * (n // 251 + 1))[:n]


# ---- (a) the real primitive, killed during a large Append --------------------------------------

def test_a_killed_append_leaves_a_prefix_which_the_model_allows(tmp_path):
    exe = tmp_path / "torn"
    b = subprocess.run(["go", "build", "-o", str(exe), "."], cwd=TORN, env=go_env(),
                       capture_output=True, text=True, timeout=300)
    assert b.returncode == 0, b.stderr
    n = 64 << 20
    data = pattern(n)
    ks = []
    for trial in range(3):
        root = tmp_path / f"root{trial}"
        p = subprocess.Popen([str(exe), str(root), str(n)], stdout=subprocess.PIPE, text=True)
        try:
            assert p.stdout.readline().strip() == "appending"
            f = root / "d" / "f"
            t0 = time.monotonic()
            while f.stat().st_size <= len(HEADER) and time.monotonic() - t0 < 10:
                pass                        # kill it once the large append has begun
        finally:
            p.kill()
            p.wait()
            p.stdout.close()
        got = f.read_bytes()
        # the model's state after a crash between the steps: bs ++ sublist(data, 0, k) with
        # k ≤ len(data) (bs the header; every completed Append persists)
        k = len(got) - len(HEADER)
        assert 0 <= k <= n, (trial, len(got))
        assert got[:len(HEADER)] == HEADER, trial
        assert got[len(HEADER):] == data[:k], f"trial {trial}: not a prefix of the data"
        ks.append(k)
    # the experiment shows what the old atomic model denied: a torn append (all or none is
    # only what a kill before or after the whole write leaves)
    assert any(0 < k < n for k in ks), ks
    pre = show(AXIOMS["fs_append_prefix"].parse().post)
    assert "⌜k ≤ len(data)⌝" in pre and "inode(i) ↦[n] bs ++ sublist(data, 0, k)" in pre, pre


# ---- (b), (d): what the kernel refuses, and the mutated axioms it would accept --------------

PARAMS = ("(n : nat) (f : u64) (i : val) (bs : list val) (s : val) (data : list val)")
PRE = ('fd(f) ↦[n] (i, "append") ∗ inode(i) ↦[n] bs ∗ lease[n](inode(i), bs) ∗ '
       'slice[n](s, data)')
INTRO = 'intros n f i bs s data "[Hf [Hi [Hl Hs]]]".'
STEP1 = 'wp_step k as "[%Hk [Hf [Hi [Hl Hs]]]]".'


def mutated(name: str, *changes) -> list:
    """filesys.AXIOMS with the text of one axiom changed by (field, old, new) triples (it is
    then parsed, not loaded: the shipped form's digest no longer matches)."""
    out = []
    for ax in filesys.AXIOMS:
        if ax.name == name:
            fields = {f: getattr(ax, f) for f in AxiomText.__slots__}
            for part, old, new in changes:
                assert old in fields[part], (name, part, fields[part])
                fields[part] = fields[part].replace(old, new)
            ax = AxiomText(*fields.values())
        out.append(ax)
    return out


def _status_of(text: str) -> tuple:
    """(status of theorem t, diagnostics) in a kernel made from filesys.AXIOMS as they are."""
    import tempfile
    d = tempfile.mkdtemp()
    path = os.path.join(d, "t.pv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    s = Session(kernel=make_kernel())
    s.load_file(path)
    return ({r.name: r.status for r in s.results}.get("t"),
            "\n".join(d.render() for d in s.diagnostics))


def status(text: str, axioms=None, monkeypatch=None) -> tuple:
    """`_status_of` with the shipped axioms, or with the given (mutated) ones."""
    if axioms is not None:
        monkeypatch.setattr(filesys, "AXIOMS", axioms)
    return _status_of(text)


ATOMIC = (f"""
Theorem t {PARAMS} :
  {{{PRE}}}
    fs_append_prefix(#f, #s)
  {{r. inode(i) ↦[n] bs ∗ lease[n](inode(i), bs) ∨
      inode(i) ↦[n] bs ++ data ∗ lease[n](inode(i), bs ++ data)}}[n].
Proof. {INTRO} {STEP1} wp_value. right. frame. Qed.
""")
# the old model: the first step is the whole Append
OLD_ATOMIC = ("fs_append_prefix", ("post", "bs ++ sublist(data, 0, k)", "bs ++ data"))


def _seq(vars: str, pure=(), goal=None) -> Seq:
    vs = tuple((n.strip(), parse_sort(t)) for n, t in
               (part.split(":") for part in vars.split(",")))
    return Seq(vs, tuple(parse_term(p) for p in pure), (), (), goal)


def test_the_old_atomic_axioms_are_gone():
    k = make_kernel()
    assert not {"fs_append", "fs_append_ro"} & set(k.axioms)
    assert {"fs_append_prefix", "fs_append_rest", "fs_append_prefix_ro",
            "fs_append_rest_ro"} <= set(k.axioms)
    goal = WP(parse_term("n"), (), parse_expr("fs_append_prefix(#f, #s)"), "r",
              parse_assertion("True"))
    s = _seq("n : nat, f : u64, s : val", goal=goal)
    inst = (("n", parse_term("n")), ("f", parse_term("f")), ("s", parse_term("s")))
    with pytest.raises(KernelError, match="unknown axiom"):
        RULES["wp_axiom"].apply(k, s, ("fs_append", inst), set(), set())
    # nor is there a one-step append in the language any more
    st, diags = _status_of("Theorem t (f : u64) (s : val) : {True} fs_append(#f, #s) "
                           "{r. True}[0].\nProof. done. Qed.\n")
    assert st != "proved" and "fs_append" in diags, diags


def test_the_pure_checker_does_not_make_a_prefix_the_whole():
    k = make_kernel()
    vs = "bs : list val, data : list val, k : u64"
    goal = parse_assertion("⌜bs ++ sublist(data, 0, k) = bs ++ data⌝")
    with pytest.raises(KernelError, match="cannot prove the pure fact"):
        RULES["pure_intro"].apply(k, _seq(vs, ["k ≤ len(data)"], goal), (), set(), set())
    # (it does where nothing is cut off)
    whole = parse_assertion("⌜sublist(data, 0, k) = data⌝")
    assert RULES["pure_intro"].apply(k, _seq(vs, ["len(data) ≤ k"], whole), (), set(),
                                     set()) == ()
    with pytest.raises(KernelError, match="cannot prove the pure fact"):
        RULES["pure_intro"].apply(k, _seq(vs, ["k ≤ len(data)"], whole), (), set(), set())


def test_append_is_not_atomic_across_a_crash(monkeypatch):
    st, diags = status(ATOMIC)
    assert st == "failed", diags
    assert "bs ++ sublist(data, 0, k)" in diags, diags        # the intermediate state shows
    st, diags = status(ATOMIC, mutated(*OLD_ATOMIC), monkeypatch)
    assert st == "proved", diags


PREFIX_OBSERVED = (f"""
Theorem t {PARAMS} :
  {{{PRE}}}
    fs_append_prefix(#f, #s)
  {{r. ∃ (j : u64). ⌜r = j ∧ j ≤ len(data)⌝ ∗ inode(i) ↦[n] bs ++ sublist(data, 0, j) ∗
      lease[n](inode(i), bs ++ sublist(data, 0, j))}}[n].
Proof. {INTRO} {STEP1} wp_value. exists (k). frame. Qed.
""")


def test_the_first_step_gives_a_prefix_and_its_length():
    st, diags = status(PREFIX_OBSERVED)
    assert st == "proved", diags


BEYOND = (f"""
Theorem t {PARAMS} :
  {{{PRE}}} fs_append_prefix(#f, #s) {{r. ∃ (j : u64). ⌜r = j ∧ len(data) < j⌝}}[n].
Proof. {INTRO} {STEP1} wp_value. exists (k). done. Qed.
""")


def test_the_prefix_is_not_longer_than_the_data(monkeypatch):
    st, diags = status(BEYOND)
    assert st == "failed", diags
    # under an axiom that let the primitive report more than it had, it would be accepted
    longer = mutated("fs_append_prefix", ("post", "⌜k ≤ len(data)⌝", "⌜len(data) < k⌝"))
    st, diags = status(BEYOND, longer, monkeypatch)
    assert st == "proved", diags


# fs_append_rest needs the inode to hold bs ++ the first k bytes: alone (out of order) with
# k > 0, or after the first step with another k, it does not make bs ++ data
OUT_OF_ORDER = (f"""
Theorem t {PARAMS} (k : u64) :
  {{{PRE} ∗ ⌜0 < k ∧ k ≤ len(data)⌝}}
    fs_append_rest(#f, #s, #k)
  {{r. inode(i) ↦[n] bs ++ data}}[n].
Proof. intros n f i bs s data k "[Hf [Hi [Hl [Hs %Hk]]]]". wp_step. done. Qed.
""")
WRONG_K = (f"""
Theorem t {PARAMS} :
  {{{PRE}}}
    let k := fs_append_prefix(#f, #s) in fs_append_rest(#f, #s, k + 1)
  {{r. inode(i) ↦[n] bs ++ data}}[n].
Proof. {INTRO} {STEP1} wp_pures. wp_step. done. Qed.
""")
RIGHT = (f"""
Theorem t {PARAMS} :
  {{{PRE}}}
    let k := fs_append_prefix(#f, #s) in fs_append_rest(#f, #s, k)
  {{r. fd(f) ↦[n] (i, "append") ∗ slice[n](s, data) ∗
      inode(i) ↦[n] bs ++ data ∗ lease[n](inode(i), bs ++ data)}}[n].
Proof. {INTRO} {STEP1} wp_step. wp_value. frame. Qed.
""")
# the controls: an fs_append_rest that took any inode (and appended the bytes from k on to
# it), and one whose inode may hold a prefix of any length j, not the k it is given
LOOSE_REST = ("fs_append_rest", ("pre", filesys.PART, "bs"))
ANY_PREFIX = ("fs_append_rest", ("params", "k : u64", "k : u64, j : u64"),
              ("pre", filesys.PART, "bs ++ sublist(data, 0, j)"))


@pytest.mark.parametrize("text,control", [(OUT_OF_ORDER, LOOSE_REST), (WRONG_K, ANY_PREFIX)],
                         ids=["out-of-order", "wrong-k"])
def test_the_rest_needs_the_prefix_it_follows(text, control, monkeypatch):
    st, diags = status(text)
    assert st == "failed", diags
    st, diags = status(text, mutated(*control), monkeypatch)
    assert st == "proved", diags


def test_the_two_steps_in_order_make_the_whole_append():
    st, diags = status(RIGHT)
    assert st == "proved", diags


# ---- (c) the interpreter: a crash between the two steps -------------------------------------

@pytest.fixture(scope="module")
def store():
    path = os.path.join(ROOT, "proofs", "fs_example", "fs_example_goose.pv")
    doc = parse_file(open(path, encoding="utf-8").read(), path)
    return {c.name: (c.params, c.body) for c in doc.commands if type(c) is FunctionDef}


def _run_store(funcs, seed, crash_at):
    m = Machine(funcs, seed=seed)
    m.fs_dirs = {"d"}
    data = list(range(10, 30))
    try:
        m.run_until_crash("fs_example_Store", ["d", "f", _new_slice(m, data, 0), 20], crash_at)
        crashed = False
    except Crashed:
        crashed = True
    return m, data, crashed


def test_the_interpreter_tears_an_append_at_a_crash(store):
    # the number of steps to the end of Store, uncrashed
    m = Machine(store, seed=0)
    m.fs_dirs = {"d"}
    m.run("fs_example_Store", ["d", "f", _new_slice(m, list(range(10, 30)), 0), 20])
    total = m.steps
    torn, outcomes = 0, set()
    for seed in range(12):
        for crash_at in range(total + 1):
            m, data, crashed = _run_store(store, seed, crash_at)
            files = m._go["dirs"].get("d", {})
            if "f" not in files:
                continue                    # crashed before the Create
            got = m._go["inodes"][files["f"]]
            assert got == data[:len(got)], (seed, crash_at, got)   # always a prefix
            if crashed:
                outcomes.add(len(got))
                torn += 0 < len(got) < len(data)
            else:
                assert got == data
            assert m._go["fds"] == {} or not crashed
    # a crash between the steps leaves none, some or all of the bytes, and some are torn
    assert torn >= 5 and {0, len(data)} <= outcomes and len(outcomes) >= 5, (torn, outcomes)
