"""Errors for names that are not there say what was probably meant (issue 12 point 3)."""
from tactics.suggest import COQ_NAMES, did_you_mean, tactic_hint
from tactics.script import TACTICS
from tests.kernel_helpers import statuses

TWO = ("Lemma two_toks (g h : gname) : tok(g) ∗ tok(h) -∗ tok(h) ∗ tok(g).\n"
       'Proof. intros g h "[A B]". frame. Qed.\n'
       "Theorem t1 (x y : gname) : tok(x) ∗ tok(y) -∗ tok(y) ∗ tok(x).\n"
       'Proof. intros x y "[H1 H2]". ')


def error_of(script):
    st, d = statuses(TWO + script + " Qed.\n")
    assert st["t1"] == "failed"
    return d


def test_unknown_tactic_suggests_the_nearest():
    assert "did you mean frame?" in error_of("fram.")


def test_coq_and_iris_names_are_translated():
    assert "Coq/Iris's iFrame is pv's frame" in error_of("iFrame.")
    assert "Coq/Iris's lia is pv's done" in error_of("lia.")


def test_every_coq_hint_names_a_real_tactic():
    for coq, pv in COQ_NAMES.items():
        assert pv in TACTICS or pv in ("Qed", "Admitted"), (coq, pv)


def test_unknown_hypothesis_and_theorem():
    assert "no hypothesis named H3 (did you mean H1 or H2?)" in error_of('destruct "H3" as "H".')
    assert "unknown theorem two_tok (did you mean two_toks?)" in error_of(
        'apply two_tok with "H1 H2".')


def test_no_suggestion_when_nothing_is_near():
    assert did_you_mean("completely_different", ["frame", "done"]) == ""
    assert tactic_hint("zzzz", TACTICS) == ""


def test_internal_names_are_never_suggested():
    d = error_of('destruct "_i" as "H".')
    assert "did you mean _" not in d


def test_wp_step_names_each_axiom_and_what_it_misses():
    st, d = statuses("Theorem t (n : nat) (l1 l2 : loc) (a : val) :\n"
                     "  {l1 ↦[n] a} !#l2 {r. True}[n].\n"
                     'Proof. intros n l1 l2 a "H". wp_step. Qed.\n')
    assert st["t"] == "failed"
    assert "heap_load needs l2 ↦[n] v, which no hypothesis or pure fact gives" in d
    assert "heap_load_ro needs ro[n](l2, v)" in d


def test_errors_never_name_internal_hypotheses():
    st, d = statuses('Theorem t (x : gname) : tok(x) -∗ tok(x).\nProof. intros x "[A B]". Qed.\n')
    message = d.split("\n")[0]
    assert "cannot destruct the hypothesis tok(x) with a list pattern" in message
    assert "_i" not in message


def test_a_byte_that_is_not_utf8_is_reported_where_it_is(tmp_path):
    from driver.load import Session
    p = tmp_path / "bad.pv"
    p.write_bytes(b"Definition a (x : u64) : u64 := x.\n(* \xc3\xa7a caf\xe9 *)\n")
    s = Session()
    s.load_file(str(p))
    (d,) = [d.render() for d in s.diagnostics]
    assert d.startswith(f"{p}:2:10: error: byte 0xe9 is not UTF-8"), d
    assert len(s.unreadable) == 1      # the summary counts the file


def test_an_unknown_variable_in_a_statement_is_located_at_its_token():
    st, d = statuses("Theorem t (x : u64) :\n  ⌜x = x⌝ ∗\n  ⌜x = zz⌝.\n"
                     "Proof. done. Qed.\n")
    assert st["t"] == "failed" and ":3:8: error: ill-formed statement of t" in d, d


def test_a_syntax_error_inside_a_tactic_argument_points_at_its_token():
    st, d = statuses("Theorem t (x y : gname) : tok(x) ∗ tok(y) -∗ tok(y) ∗ tok(x).\n"
                     'Proof. intros x y "[H1 H2]". assert (tok(x) ∗ ) with "H1" as "HA". '
                     "frame. Qed.\n")
    assert st["t"] == "failed" and ":2:46: error: in an assertion: unexpected end" in d, d


def test_an_ill_sorted_term_in_a_statement_is_located_at_the_term():
    st, d = statuses("Theorem t (x : u64) :\n  ⌜x = x⌝ ∗\n  ⌜x+1 = 1 +   x + true⌝.\n"
                     "Proof. done. Qed.\n")
    assert st["t"] == "failed" and ":3:10: error: ill-formed statement of t: ill-sorted" in d, d


def test_a_proof_ended_the_coq_way_gets_a_hint(tmp_path):
    from driver.load import Session
    p = tmp_path / "d.pv"
    p.write_text("Theorem t (x : gname) : tok(x) -∗ tok(x).\n"
                 'Proof. intros x "H". frame. Defined.\n', encoding="utf-8")
    s = Session()
    s.load_file(str(p))
    assert any("Coq's `Defined.` is pv's `Qed.`" in d.message for d in s.diagnostics)
