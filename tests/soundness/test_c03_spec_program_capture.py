"""Class 3: a spec program means what its text says.

The state variable was substituted before let-bound names were renamed apart, so in
``let σ := 5 in #(σ + 1)`` the inner σ was read as the state.  Spec programs are now
evaluated in an environment (innermost binding first), never by substitution into the
program; tests/test_spec_steps_random.py checks random programs whose lets shadow the state,
the parameters and each other against a direct evaluator."""
from tests.kernel_helpers import failed, proved, statuses

SPEC = """
Spec C (σ : u64).
Operation C Six := let σ := 5 in #(σ + 1).
Operation C Shadow (a : u64) := let a := #(a + 1) in let a := #(a + a) in #a.
Operation C Mod := let x := #σ in modify(#(σ + 1));; let σ := #x in #σ.
"""


def test_a_let_shadowing_the_state_is_read_as_written():
    proved(SPEC + """
Theorem six (j : val) (s : u64) : {source[0](s) ∗ j ⤇[0] Six()} () {_. source[0](s) ∗ j ⤇[0] ret(6)}[0].
Proof. intros j s "[Hs Hj]". spec_step C "Hs" "Hj". wp_value. done. Qed.
""", "six")
    failed(SPEC + """
Theorem six_bad (j : val) : {source[0](3) ∗ j ⤇[0] Six()} () {_. source[0](3) ∗ j ⤇[0] ret(4)}[0].
Proof. intros j "[Hs Hj]". spec_step C "Hs" "Hj". wp_value. done. Qed.
""", "six_bad")


def test_lets_shadowing_parameters_and_each_other():
    proved(SPEC + """
Theorem sh (j : val) : {source[0](0) ∗ j ⤇[0] Shadow(3)} () {_. source[0](0) ∗ j ⤇[0] ret(8)}[0].
Proof. intros j "[Hs Hj]". spec_step C "Hs" "Hj". wp_value. done. Qed.
""", "sh")


def test_a_let_shadowing_the_state_after_a_modify():
    """After modify the state is σ + 1, but the let-bound σ is the old state."""
    proved(SPEC + """
Theorem m (j : val) (s : u64) : ⌜s < 10⌝ -∗ {source[0](s) ∗ j ⤇[0] Mod()} () {_. source[0](s + 1) ∗ j ⤇[0] ret(s)}[0].
Proof. intros j s "%H [Hs Hj]". spec_step C "Hs" "Hj". wp_value. done. Qed.
""", "m")


def test_names_out_of_scope_are_refused_at_definition():
    st, diags = statuses("Spec D (σ : u64).\nOperation D Bad := (let x := 1 in ());; #x.\n")
    assert "may only mention" in diags
    st, diags = statuses("Spec D (σ : u64).\nOperation D Bad (a b : u64) := #a.\n"
                         "Operation D Dup (a : u64) (a : u64) := #a.\n")
    assert "declared twice" in diags or "same name" in diags


def test_a_spec_step_gives_well_sorted_terms():
    """A pure primitive on an operand of the wrong sort does not enter the proof."""
    st, diags = statuses("""
Spec E (σ : u64).
Operation E Bad := modify(#(string_len(σ))).
Theorem bad (j : val) : {source[0](1) ∗ j ⤇[0] Bad()} () {_. True}[0].
Proof. intros j "[Hs Hj]". spec_step E "Hs" "Hj". wp_value. done. Qed.
""")
    assert st.get("bad") == "failed" and "expected string" in diags, diags
