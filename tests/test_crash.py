"""Specs, spec steps, leases, crash theorems and Theorem 2 (issue #3): what must be provable,
and what must be rejected."""
import pytest

from kernel.crash import theorem2
from kernel.wf import KernelError
from tests.kernel_helpers import check_text, failed, proved, statuses

CTR = """
Spec Ctr (σ : u64).
Operation Ctr Incr := modify(#(σ + 1)).
Operation Ctr Get := #σ.
Operation Ctr Bad := undefined().
Operation Ctr Pick := let x := any() in assume(#(x < 10));; modify(#x).
Crash Ctr := modify(0).
"""


# ---- spec steps ----------------------------------------------------------------------------

def test_spec_step_takes_the_operation():
    proved(CTR + """
Theorem step_ok (j : val) : {source[0](3) ∗ j ⤇[0] Incr()} () {_. source[0](4) ∗ j ⤇[0] ret(())}[0].
Proof. intros j "[Hs Hj]". spec_step Ctr "Hs" "Hj". wp_value. done. Qed.
""", "step_ok")


def test_spec_step_result_must_match():
    failed(CTR + """
Theorem step_bad (j : val) : {source[0](3) ∗ j ⤇[0] Incr()} () {_. source[0](5) ∗ j ⤇[0] ret(())}[0].
Proof. intros j "[Hs Hj]". spec_step Ctr "Hs" "Hj". wp_value. done. Qed.
""", "step_bad")


def test_one_spec_token_cannot_step_twice():
    failed(CTR + """
Theorem twice (j : val) : {source[0](3) ∗ j ⤇[0] Incr()} () {_. source[0](5) ∗ j ⤇[0] ret(())}[0].
Proof. intros j "[Hs Hj]". spec_step Ctr "Hs" "Hj". spec_step Ctr "Hs" "Hj". wp_value. done. Qed.
""", "twice", "not an operation of t.Ctr")


def test_undefined_behaviour_ends_the_simulation():
    proved(CTR + """
Theorem ub (j : val) : {source[0](3) ∗ j ⤇[0] Bad()} () {_. False}[0].
Proof. intros j "[Hs Hj]". spec_step Ctr "Hs" "Hj". Qed.
""", "ub")


def test_nondeterministic_choice_needs_a_valid_witness():
    proved(CTR + """
Theorem pick (j : val) : {source[0](3) ∗ j ⤇[0] Pick()} () {_. source[0](5) ∗ j ⤇[0] ret(())}[0].
Proof. intros j "[Hs Hj]". spec_step Ctr "Hs" "Hj" (5). wp_value. done. Qed.
""", "pick")
    failed(CTR + """
Theorem pick20 (j : val) : {source[0](3) ∗ j ⤇[0] Pick()} () {_. source[0](20) ∗ j ⤇[0] ret(())}[0].
Proof. intros j "[Hs Hj]". spec_step Ctr "Hs" "Hj" (20). wp_value. done. Qed.
""", "pick20", "assume")
    failed(CTR + """
Theorem pick_none (j : val) : {source[0](3) ∗ j ⤇[0] Pick()} () {_. source[0](3) ∗ j ⤇[0] ret(())}[0].
Proof. intros j "[Hs Hj]". spec_step Ctr "Hs" "Hj". wp_value. done. Qed.
""", "pick_none", "witness")


def test_spec_crash_step():
    proved(CTR + """
Theorem crash_ok : {source[0](7) ∗ ⤇[1] Crashing} () {_. source[1](0) ∗ ⤇ Done}[0].
Proof. intros "[Hs Hc]". spec_crash Ctr "Hs" "Hc". wp_value. done. Qed.
""", "crash_ok")
    failed(CTR + """
Theorem crash_bad : {source[0](7) ∗ ⤇[1] Crashing} () {_. source[1](7) ∗ ⤇ Done}[0].
Proof. intros "[Hs Hc]". spec_crash Ctr "Hs" "Hc". wp_value. done. Qed.
""", "crash_bad")


# ---- leases and masters ---------------------------------------------------------------------

def test_master_and_lease_agree():
    proved("""
Theorem agree_ok (n : nat) (a : u64) (v w : val) :
  master[n](0[a], v) ∗ lease[n](0[a], w) -∗ ⌜v = w⌝.
Proof. intros n a v w "[Hm Hl]". agree "Hm" "Hl". done. Qed.
""", "agree_ok")


def test_two_leases_for_one_block_are_contradictory():
    proved("""
Theorem two (n : nat) (a : u64) (v w : val) :
  lease[n](0[a], v) ∗ lease[n](0[a], w) -∗ False.
Proof. intros n a v w "[H1 H2]". excl "H1" "H2". Qed.
""", "two")


def test_write_needs_master_and_lease():
    failed("""
Theorem w (n : nat) (N a : u64) (v w : list val) (s : val) :
  {disks(N) ∗ ⌜a < N⌝ ∗ master[n](0[a], v) ∗ slice[n](s, w) ∗ ⌜len(w) = 4096⌝} disk_write(0, #a, #s) {r. True}[n].
Proof. intros n N a v w s "[#Hd [%Ha [Hm [Hs %Hw]]]]". wp_step. done. Qed.
""", "w", "lease[n](0[a], v)")
    proved("""
Theorem w (n : nat) (N a : u64) (v w : list val) (s : val) :
  {disks(N) ∗ ⌜a < N⌝ ∗ master[n](0[a], v) ∗ lease[n](0[a], v) ∗ slice[n](s, w) ∗ ⌜len(w) = 4096⌝}
  disk_write(0, #a, #s) {r. master[n](0[a], w)}[n].
Proof. intros n N a v w s "[#Hd [%Ha [Hm [Hl [Hs %Hw]]]]]". wp_step. done. Qed.
""", "w")


def test_write_with_a_stale_lease_is_rejected():
    failed("""
Theorem w (n : nat) (N a : u64) (v w : list val) (s : val) :
  {disks(N) ∗ ⌜a < N⌝ ∗ master[n](0[a], v) ∗ lease[n + 1](0[a], v) ∗ slice[n](s, w) ∗ ⌜len(w) = 4096⌝}
  disk_write(0, #a, #s) {r. True}[n].
Proof. intros n N a v w s "[#Hd [%Ha [Hm [Hl [Hs %Hw]]]]]". wp_step. done. Qed.
""", "w")


def test_at_most_one_disk_fails():
    proved("""
Theorem f : failed(0) ∗ failed(1) -∗ False.
Proof. intros "[#H0 #H1]". use_axiom twodisk_one_fails with "H0 H1". done. Qed.
""", "f")


# ---- crash theorems --------------------------------------------------------------------------

def crash(lhs, rhs, proof="done.", params="(n : nat) (a : u64) (v : val) (l : loc)"):
    return f"""
Theorem c {params} : {lhs} ⇒[n] {rhs}.
Proof. {proof} Qed.
"""


def test_masters_survive_with_a_fresh_lease():
    proved(crash("master[n](0[a], v)", "master[n + 1](0[a], v) ∗ lease[n + 1](0[a], v)"), "c")


def test_ghost_cells_survive_with_a_fresh_lease():
    proved(crash("gmaster[n](a, v)", "gmaster[n + 1](a, v) ∗ glease[n + 1](a, v)"), "c")
    failed(crash("glease[n](a, v)", "glease[n + 1](a, v)"), "c")


def test_a_crash_gives_only_one_lease_per_master():
    failed(crash("master[n](0[a], v)", "lease[n + 1](0[a], v) ∗ lease[n + 1](0[a], v)"), "c")


def test_volatile_state_is_lost():
    failed(crash("l ↦[n] v", "l ↦[n + 1] v"), "c")
    failed(crash("l ↦[n] v", "l ↦[n] v"), "c")
    failed(crash("lease[n](0[a], v)", "lease[n + 1](0[a], v)"), "c")
    failed(crash("master[n](0[a], v)", "master[n](0[a], v)"), "c")
    failed(crash("inv(N, master[n](0[a], v))", "master[n + 1](0[a], v)"), "c")


def test_helping_tokens_and_the_source_survive():
    proved(crash("source[0](v) ∗ l ⤇[0] ret(v) ∗ master[n](1[a], v)",
                 "source[0](v) ∗ l ⤇[0] ret(v) ∗ master[n + 1](1[a], v)"), "c")


# ---- the file system's durable cells (dir, link, inode) are leased like disk blocks ---------

FS_PARAMS = "(n : nat) (d nm : string) (S : set string) (i v : val) (bs : list val) (f : u64)"
FS_CELLS = [("dir(d)", "S"), ("link(d, nm)", "i"), ("inode(i)", "bs")]


@pytest.mark.parametrize("cell,val", FS_CELLS)
def test_fs_masters_survive_with_a_fresh_lease(cell, val):
    proved(crash(f"{cell} ↦[n] {val}", f"{cell} ↦[n + 1] {val} ∗ lease[n + 1]({cell}, {val})",
                 params=FS_PARAMS), "c")
    # only the master of the crashed version is renewed, with one lease
    failed(crash(f"{cell} ↦[n] {val}", f"{cell} ↦[n] {val}", params=FS_PARAMS), "c")
    failed(crash(f"{cell} ↦[n + 1] {val}", f"{cell} ↦[n + 2] {val}", params=FS_PARAMS), "c")
    failed(crash(f"{cell} ↦[n] {val}", f"lease[n + 1]({cell}, {val}) ∗ "
                 f"lease[n + 1]({cell}, {val})", params=FS_PARAMS), "c")


@pytest.mark.parametrize("cell,val", FS_CELLS)
def test_fs_leases_and_fds_are_lost_in_a_crash(cell, val):
    failed(crash(f"lease[n]({cell}, {val})", f"lease[n + 1]({cell}, {val})", params=FS_PARAMS),
           "c")
    failed(crash(f"lease[n]({cell}, {val})", f"lease[n]({cell}, {val})", params=FS_PARAMS), "c")
    failed(crash("fd(f) ↦[n] (i, v)", "fd(f) ↦[n + 1] (i, v)", params=FS_PARAMS), "c")
    failed(crash("fd(f) ↦[n] (i, v)", "fd(f) ↦[n] (i, v)", params=FS_PARAMS), "c")


@pytest.mark.parametrize("cell,val", FS_CELLS)
def test_fs_masters_and_leases_are_exclusive_and_agree(cell, val):
    for a, b in ((f"{cell} ↦[n] {val}", f"{cell} ↦[n] {val}"),
                 (f"lease[n]({cell}, {val})", f"lease[n]({cell}, {val})")):
        proved(f"""
Theorem two {FS_PARAMS} : {a} ∗ {b} -∗ False.
Proof. intros n d nm S i v bs f "[H1 H2]". excl "H1" "H2". Qed.
""", "two")
    # different versions are different cells
    failed(f"""
Theorem two {FS_PARAMS} : {cell} ↦[n] {val} ∗ {cell} ↦[n + 1] {val} -∗ False.
Proof. intros n d nm S i v bs f "[H1 H2]". excl "H1" "H2". Qed.
""", "two")
    w = {"S": "S ∪ {[nm]}", "i": "v", "bs": "bs ++ [v]"}[val]
    proved(f"""
Theorem agree_ok {FS_PARAMS} : {cell} ↦[n] {val} ∗ lease[n]({cell}, {w}) -∗ ⌜{val} = {w}⌝.
Proof. intros n d nm S i v bs f "[Hm Hl]". agree "Hm" "Hl". done. Qed.
""", "agree_ok")
    # a lease of another version does not agree with the master
    failed(f"""
Theorem agree_bad {FS_PARAMS} :
  {cell} ↦[n] {val} ∗ lease[n + 1]({cell}, {w}) -∗ ⌜{val} = {w}⌝.
Proof. intros n d nm S i v bs f "[Hm Hl]". agree "Hm" "Hl". done. Qed.
""", "agree_bad")


def test_different_fs_cells_are_not_exclusive():
    failed(f"""
Theorem two {FS_PARAMS} : link(d, nm) ↦[n] i ∗ link(d, d) ↦[n] i -∗ False.
Proof. intros n d nm S i v bs f "[H1 H2]". excl "H1" "H2". Qed.
""", "two")


def test_crash_theorems_cannot_be_used_as_assertions():
    st, diags = statuses(crash("emp", "emp") + """
Theorem u : True.
Proof. use c as "H". done. Qed.
""")
    assert st["c"] == "proved" and st["u"] == "failed" and "crash theorem" in diags


# ---- Theorem 2 -------------------------------------------------------------------------------

def test_theorem2_requires_every_premise():
    s = check_text(CTR + """
Predicate CI (γ : gname) (n : nat) := emp.
Predicate CS (γ : gname) (n : nat) := emp.
Predicate AR (γ : gname) (n : nat) (h : val) := emp.
Predicate IS (γ : gname) := emp.
Initial Ctr (N : u64) := 0.
Function incr (h) := ().
Function get (h) := ().
Function bad (h) := ().
Function pick (h) := ().
Function init () := ().
Function rec () := ().
""")
    k = s.kernel
    # the kernel keys names by module (the file t.pv): docs/syntax.md, Modules
    impl = {"t.Incr": "t.incr", "t.Get": "t.get", "t.Bad": "t.bad", "t.Pick": "t.pick",
            "init": "t.init", "recover": "t.rec"}
    assert set(k.specs["t.Ctr"].ops) == {"t.Incr", "t.Get", "t.Bad", "t.Pick"}
    args = ("t.CI", "t.CS", "t.IS", "t.AR", "crashN", "twodisk_init")
    with pytest.raises(KernelError, match="needs exactly the premises"):
        theorem2(k, "r", "t.Ctr", impl, *args, {"t.Incr": "x"})
    with pytest.raises(KernelError, match="implementation must give exactly"):
        theorem2(k, "r", "t.Ctr", {"t.Incr": "t.incr"}, *args, {"t.Incr": "x"})
    premises = {p: "nope" for p in ("t.Incr", "t.Get", "t.Bad", "t.Pick", "recovery",
                                    "setup", "init")}
    with pytest.raises(KernelError, match="needs exactly the premises"):   # no idempotence
        theorem2(k, "r", "t.Ctr", impl, *args, premises)
    premises["idempotence"] = "nope"
    with pytest.raises(KernelError, match="unknown theorem"):
        theorem2(k, "r", "t.Ctr", impl, *args, premises)
    # the crash premise of earlier versions is no premise (idempotence implies it)
    with pytest.raises(KernelError, match="needs exactly the premises"):
        theorem2(k, "r", "t.Ctr", impl, *args, {**premises, "crash": "nope"})
    with pytest.raises(KernelError, match="exactly"):
        theorem2(k, "r", "t.Ctr", {**impl, "Extra": "t.incr"}, *args, premises)
    assert "r" not in k.refinements


def test_spec_steps_do_not_depend_on_the_names_in_the_context():
    """Values computed by a spec program mention the proof's variables; substituting them into
    the rest of the program must not let the spec's state variable, its lets or its parameters
    capture them (with the proof's state variable also named σ, Bump returned σ + 1)."""
    spec = """
Spec C (σ : u64).
Operation C Bump := let x := #σ in modify(#(σ + 1));; #x.
Operation C Add (a : u64) := let b := 1 in #(a + b).
Operation C Two := let x := #σ in let y := 1 in #(x + y).
"""
    proved(spec + """
Theorem bump (j : val) (σ : u64) : ⌜σ < 100⌝ -∗ {source[0](σ) ∗ j ⤇[0] Bump()} () {_. source[0](σ + 1) ∗ j ⤇[0] ret(σ)}[0].
Proof. intros j σ "%H [Hs Hj]". spec_step C "Hs" "Hj". wp_value. done. Qed.
""", "bump")
    failed(spec + """
Theorem bump_wrong (j : val) (σ : u64) : ⌜σ < 100⌝ -∗ {source[0](σ) ∗ j ⤇[0] Bump()} () {_. source[0](σ + 1) ∗ j ⤇[0] ret(σ + 1)}[0].
Proof. intros j σ "%H [Hs Hj]". spec_step C "Hs" "Hj". wp_value. done. Qed.
""", "bump_wrong")
    proved(spec + """
Theorem add (j : val) (b : u64) (s : u64) : {source[0](s) ∗ j ⤇[0] Add(b)} () {_. source[0](s) ∗ j ⤇[0] ret(b + 1)}[0].
Proof. intros j b s "[Hs Hj]". spec_step C "Hs" "Hj". wp_value. done. Qed.
""", "add")
    proved(spec + """
Theorem two (j : val) (y : u64) : {source[0](y) ∗ j ⤇[0] Two()} () {_. source[0](y) ∗ j ⤇[0] ret(y + 1)}[0].
Proof. intros j y "[Hs Hj]". spec_step C "Hs" "Hj". wp_value. done. Qed.
""", "two")


def test_a_spec_parameter_cannot_shadow_the_state():
    st, diags = statuses("Spec D (σ : u64).\nOperation D Bad (σ : u64) := #σ.\n")
    assert "named like the state σ" in diags


def test_a_spec_state_keeps_its_sort():
    """A u64 state stays a u64: a step past 2^64 - 1 needs a proof that it does not happen."""
    failed(CTR + """
Theorem over (j : val) (s : u64) :
  {source[0](s) ∗ j ⤇[0] Incr()} () {_. source[0](s + 1) ∗ j ⤇[0] ret(())}[0].
Proof. intros j s "[Hs Hj]". spec_step Ctr "Hs" "Hj". wp_value. done. Qed.
""", "over", "u64")
    proved(CTR + """
Theorem ok (j : val) (s : u64) : ⌜s < 100⌝ -∗
  {source[0](s) ∗ j ⤇[0] Incr()} () {_. source[0](s + 1) ∗ j ⤇[0] ret(())}[0].
Proof. intros j s "%H [Hs Hj]". spec_step Ctr "Hs" "Hj". wp_value. done. Qed.
""", "ok")
