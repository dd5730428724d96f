"""A side goal says where it came from, so that an error on it is not blamed on whichever tactic
meets it first (issue 12 point 3: a wrong loop invariant was reported at the next tactic)."""
import os

from driver.load import Session

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def check(tmp_path, old, new):
    src = open(os.path.join(ROOT, "proofs", "bench", "spin_lock.pv"), encoding="utf-8").read()
    assert old in src
    p = tmp_path / "spin_lock.pv"
    p.write_text(src.replace(old, new), encoding="utf-8")
    s = Session()
    s.load_file(str(p))
    return [d.render() for d in s.diagnostics]


def test_a_wrong_loop_invariant_is_named_as_such(tmp_path):
    diags = check(tmp_path, "wp_loop (emp).", "wp_loop (spin_locked(γ)).")
    assert len(diags) == 1
    line = next(i for i, ln in enumerate(open(os.path.join(
        ROOT, "proofs", "bench", "spin_lock.pv"), encoding="utf-8").read().split("\n"), 1)
        if "wp_loop (emp)." in ln)
    assert f"the loop invariant at loop entry, left by wp_loop at {line}:3" in diags[0]


def test_the_main_goal_has_no_origin_note(tmp_path):
    diags = check(tmp_path, "wp_loop (emp).\n  wp_apply",
                  "wp_loop (emp).\n  contradiction.\n  wp_apply")
    assert diags and all("this goal is" not in d for d in diags)
