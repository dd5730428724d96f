"""Issue 9, class 13: the interpreter and the kernel disagreed on core programs.

The interpreter (theories/interp.py) is the reference semantics.  Three known disagreements:
equality and CAS where a boolean meets an integer (Python's ``True == 1`` made
``(1, true) == (1, 1)`` true in the interpreter, false in the logic); pure primitives on
operands of the wrong sort (the kernel stepped ``string_len(5)`` and ``slice_len(x)`` for any
``x : val``, the interpreter is stuck); and string literals with the same bytes but different
code points (``"\\u{dcc3}\\u{dca9}"`` and ``"é"``: lone surrogates now are no literal).  Each
case is checked both ways.  test_c13_pure_differential.py tests pure steps at random.
"""
import pytest

from goose import GooseError, translate_package
from kernel.wf import term_ok
from seplogic.parser import PVSyntaxError, parse_file, parse_term
from seplogic.syntax import Lit, Prim, Val
from tests.kernel_helpers import statuses
from theories.interp import Machine, Stuck


def ev(body):
    doc = parse_file(f"Function main () := {body}.", "t.pv")
    m = Machine({c.name: (c.params, c.body) for c in doc.commands})
    return m.run("main", [])


# ---- a boolean is not an integer -------------------------------------------------------------

@pytest.mark.parametrize("prog, want", [
    ("(1, true) == (1, 1)", False), ("(1, true) != (1, 1)", True),
    ("((0, false), 2) == ((0, 0), 2)", False), ("some(true) == some(1)", False),
    ("break(1) == break(true)", False), ("(1, true) == (1, true)", True),
])
def test_interpreter_equality_keeps_bools_and_ints_apart(prog, want):
    assert ev(prog) is want


def test_interpreter_cas_keeps_bools_and_ints_apart():
    assert ev("let l := ref((1, 1)) in (cas(l, (1, true), (2, 2)), !l)") == (False, (1, 1))
    assert ev("let l := ref((1, 1)) in (cas(l, (1, 1), (2, 2)), !l)") == (True, (2, 2))


def test_kernel_equality_agrees():
    st, d = statuses("""
Theorem lit (n : nat) : {emp} (1, true) == (1, 1) {r. ⌜r = false⌝}[n].
Proof. intros n "_". wp_pures. done. Qed.

Theorem var (n : nat) (x : val) : {⌜x = (1, true)⌝} #x == (1, 1) {r. ⌜r = false⌝}[n].
Proof. intros n x "%Hx". wp_pures. done. Qed.

Theorem var_true (n : nat) (x : val) : {⌜x = (1, true)⌝} #x == (1, 1) {r. ⌜r = true⌝}[n].
Proof. intros n x "%Hx". wp_pures. done. Qed.
""")
    assert st == {"lit": "proved", "var": "proved", "var_true": "failed"}, d


# ---- pure primitives on the wrong sort --------------------------------------------------------

WRONG = ["string_len(5)", "string_len(true)", "string_len((1, 2))", 'string_concat(1, "a")',
         'string_concat("a", true)', "string_to_u64(7)", "slice_len(5)", "slice_cap(true)",
         'slice_len("s")', "slice_cap((1, 2))", "u64_to_string(true)", "fst(5)",
         "not(1)", "1 + true"]


@pytest.mark.parametrize("prog", WRONG)
def test_the_kernel_refuses_what_the_interpreter_is_stuck_on(prog):
    with pytest.raises(Stuck):
        ev(prog)
    st, d = statuses(f"""
Theorem t (n : nat) : {{emp}} {prog} {{r. True}}[n].
Proof. intros n "_". wp_pures. done. Qed.
""")
    assert st == {"t": "failed"}, d
    assert "the program would be stuck" in d, d


def test_an_operand_of_sort_val_may_be_anything():
    """x : val may be 5, where the interpreter is stuck: the step needs to know better."""
    st, d = statuses("""
Theorem s_len (n : nat) (x : val) : {emp} string_len(#x) {r. True}[n].
Proof. intros n x "_". wp_pures. done. Qed.
Theorem sl_len (n : nat) (x : val) : {emp} slice_len(#x) {r. True}[n].
Proof. intros n x "_". wp_pures. done. Qed.
Theorem sl_cap (n : nat) (x : val) : {emp} slice_cap(#x) {r. True}[n].
Proof. intros n x "_". wp_pures. done. Qed.
Theorem parse (n : nat) (x : val) : {emp} string_to_u64(#x) {r. True}[n].
Proof. intros n x "_". wp_pures. done. Qed.
""")
    assert st == {"s_len": "failed", "sl_len": "failed", "sl_cap": "failed",
                  "parse": "failed"}, d


def test_well_sorted_operands_still_step():
    st, d = statuses("""
Theorem strs (n : nat) (x : u64) (s : string) :
  {emp} (string_len(string_concat("id", u64_to_string(#x))), fst(string_to_u64(#s)))
  {r. True}[n].
Proof. intros n x s "_". wp_pures. done. Qed.
Theorem nil_len (n : nat) : {emp} slice_len(nil()) {r. True}[n].
Proof. intros n "_". wp_pures. done. Qed.
Theorem owned (n : nat) (s : val) (vs : list val) :
  {slice[n](s, vs)} (slice_len(#s), slice_cap(#s)) {r. slice[n](s, vs)}[n].
Proof. intros n s vs "Hs". wp_pures. done. Qed.
Theorem shared (n : nat) (s : val) (vs : list val) :
  {slice_ro[n](s, vs)} slice_len(#s) {r. True}[n].
Proof. intros n s vs "#Hs". wp_pures. done. Qed.
""")
    assert st == {"strs": "proved", "nil_len": "proved", "owned": "proved",
                  "shared": "proved"}, d


# ---- strings are bytes; a literal is Unicode text ----------------------------------------------

def test_a_lone_surrogate_is_no_string_literal():
    with pytest.raises(PVSyntaxError, match="surrogate"):
        parse_term('"\\u{dcc3}\\u{dca9}" = "é"')
    with pytest.raises(PVSyntaxError, match="surrogate"):
        parse_term('"\udcc3"')
    # from a certificate or a tactic: the kernel's shape check
    assert not term_ok(Lit("string", "\udcc3\udca9")) and term_ok(Lit("string", "é"))
    st, d = statuses("""
Theorem t (n : nat) : {emp} "\\u{dcc3}\\u{dca9}" == "é" {r. ⌜r = false⌝}[n].
Proof. intros n "_". wp_pures. done. Qed.
""")
    assert st == {} and "surrogate" in d, d
    m = Machine({})
    with pytest.raises(Stuck, match="surrogate"):
        list(m.eval(Prim("string_len", (Val(Lit("string", "\udcc3\udca9")),)), {}))


def test_interpreter_strings_are_equal_exactly_when_their_bytes_are():
    # the two halves of "é" (bytes c3 a9), each invalid UTF-8 alone, joined
    halves = ("string_concat(string_from_bytes(slice_make(195, 1, 1)), "
              "string_from_bytes(slice_make(169, 1, 1)))")
    assert ev(f'{halves} == "é"') is True
    assert ev(f"string_len({halves})") == 2
    assert ev('"é" == "e\\u{301}"') is False     # other bytes: other strings


def test_goose_refuses_a_literal_that_is_not_utf8(tmp_path):
    (tmp_path / "p.go").write_text('package p\n\nfunc f() string {\n\treturn "\\xc3"\n}\n')
    with pytest.raises(GooseError, match="not valid UTF-8"):
        translate_package(str(tmp_path))
