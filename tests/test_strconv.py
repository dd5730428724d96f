"""The strconv axiom: parsing a formatted uint64 gives it back, hence formatting is injective;
nothing more follows from it."""
from tests.kernel_helpers import statuses

TEXT = """
Theorem parse_back (n : nat) (x : u64) :
  {emp} string_to_u64(u64_to_string(#x)) {r. ⌜r = (x, true)⌝}[n].
Proof.
  intros n x "_". use_axiom string_to_u64_of_string (x := x) as "%H".
  wp_pures. done.
Qed.

Theorem injective (x y : u64) : ⌜u64_to_string(x) = u64_to_string(y)⌝ -∗ ⌜x = y⌝.
Proof.
  intros x y "%E". use_axiom string_to_u64_of_string (x := x) as "%Hx".
  use_axiom string_to_u64_of_string (x := y) as "%Hy". done.
Qed.

Theorem other_number (x y : u64) : ⌜string_to_u64(u64_to_string(x)) = (y, true)⌝.
Proof. intros x y. use_axiom string_to_u64_of_string (x := x) as "%Hx". done. Qed.

Theorem any_string (s : string) : ⌜snd(string_to_u64(s)) = true⌝.
Proof. intros s. done. Qed.
"""


def test_round_trip_and_injectivity_but_nothing_else():
    st, diags = statuses(TEXT)
    assert st == {"parse_back": "proved", "injective": "proved", "other_number": "failed",
                  "any_string": "failed"}, diags
