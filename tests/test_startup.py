"""What a `pv check` does not do at start-up (docs/performance.md): modules it does not import,
and the cheap digests it uses instead, equal to hashlib's."""
import hashlib
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPIN = os.path.join("proofs", "bench", "spin_lock.pv")

# stdlib modules a check of the spin lock needs none of (each was measured at 1-3 ms of start)
NOT_IMPORTED = ("hashlib", "_hashlib", "shutil", "difflib", "tempfile", "pickle",
                "lark", "sympy", "prompt_toolkit")


def _modules_after(args) -> set:
    """The modules ``pv args`` imports (in a fresh interpreter; not those it had at start)."""
    code = ("import sys\n"
            "before = set(sys.modules)\n"     # (site's .pth hooks may import anything)
            "import io, contextlib\n"
            "import driver.cli as c\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    code = c.main({args!r})\n"
            "assert code == 0, code\n"
            "print(' '.join(set(sys.modules) - before))\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    return set(p.stdout.split())


def test_a_check_without_the_cache_imports_none_of_these():
    got = _modules_after(["check", "--no-cache", SPIN])
    assert "kernel.core" in got and "seplogic.lalr" in got      # it did check something
    assert not got & set(NOT_IMPORTED), sorted(got & set(NOT_IMPORTED))


def test_the_start_up_digest_is_sha256():
    from seplogic.digest import sha256_hex
    for text in ("", "abc", "∀ n : nat. {l ↦[n] v} !#l {r. ⌜r = v⌝}[n]", "x" * 100_000):
        assert sha256_hex(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_parser_states_decoded_lazily_are_lark_s():
    """The shipped tables decode each state when the parser first enters it (`_States`): every
    state so decoded is the one lark computes, and there is no state past the last."""
    import pytest
    pytest.importorskip("lark")
    import seplogic.lalr as L
    fresh = L._build_tables(L._grammar_text())["states"]
    states = L._load_tables().states
    assert len(states) < len(fresh)                 # (some were decoded: the start states)
    for i, acts in enumerate(fresh):
        assert states[i] == acts and type(states[i]) is dict, i
    for bad in (len(fresh), -1, "0"):
        with pytest.raises(KeyError):
            states[bad]
