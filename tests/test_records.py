"""Records: sugar for nested pairs with a constructor and projections as pure definitions."""
from tests.kernel_helpers import check_text

REC = "Record St := { disk : map u64 val; size : u64; ok : bool }.\n"


def test_projections_of_the_constructor():
    s = check_text(REC + """
Theorem proj (d : map u64 val) (n : u64) :
  ⌜size(St(d, n, true)) = n && ok(St(d, n, true)) = true && disk(St(d, n, false)) = d⌝.
Proof. intros d n. done. Qed.
""")
    assert [r.status for r in s.results] == ["proved"], [d.render() for d in s.diagnostics]


def test_record_sorts_are_checked():
    s = check_text(REC + "Definition bad (s : St) : u64 := ok(s).\n")
    assert s.diagnostics and "bad" not in s.kernel.defs
    s = check_text(REC + REC)
    assert any("already defined" in d.message for d in s.diagnostics)
    s = check_text("Record st := { a : u64 }.\n")
    assert any("capital" in d.message for d in s.diagnostics)


def test_wrong_projection_claim_is_rejected():
    s = check_text(REC + """
Theorem wrong (d : map u64 val) (n : u64) : ⌜size(St(d, n, true)) = n + 1⌝.
Proof. intros d n. done. Qed.
""")
    assert [r.status for r in s.results] == ["failed"]


def test_record_eta():
    """A record value is its constructor applied to its projections (surjective pairing)."""
    from tests.kernel_helpers import statuses
    st, diags = statuses("""
Record St := { size : u64; blocks : map u64 val }.
Theorem eta (σ : St) : ⌜σ = St(size(σ), blocks(σ))⌝.
Proof. intros σ. done. Qed.
Theorem not_eta (σ : St) (m : map u64 val) : ⌜σ = St(size(σ), m)⌝.
Proof. intros σ m. done. Qed.
""")
    assert st == {"eta": "proved", "not_eta": "failed"}, diags
