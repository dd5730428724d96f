"""Opening a file at a line reuses the proof cache (driver/cache.py) for the theorems before
it: their tactics are skipped, their derivations re-checked by the kernel, and the REPL ends
up exactly where it would without a cache."""
import os
import subprocess
import sys

from driver.cache import ProofCache
from repl.engine import ReplEngine
from tests.test_repl_snapshot import state

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RD = os.path.join(ROOT, "proofs", "replicated_disk", "rd_proof.pv")


def _line(path, text):
    with open(path, encoding="utf-8") as f:
        return next(i for i, ln in enumerate(f, 1) if text in ln)


def test_a_reopened_file_takes_its_earlier_theorems_from_the_cache(tmp_path):
    cache = ProofCache(str(tmp_path))
    until = _line(RD, "Theorem recover_ok") + 3
    first = ReplEngine(RD, until=until, cache=cache)
    n = sum(r.status == "proved" for r in first.session.results)
    assert first.errors == 0 and first.in_proof and n >= 5
    assert cache.hits == 0 and cache.stored == n
    again = ReplEngine(RD, until=until, cache=cache)
    assert cache.hits == n and cache.trusted == 0      # all replayed through the kernel
    plain = ReplEngine(RD, until=until)
    assert state(again) == state(first) == state(plain)
    assert again.load_report == plain.load_report


def test_an_edited_theorem_is_not_taken_from_the_cache(tmp_path):
    src = os.path.join(ROOT, "proofs", "heap", "counter.pv")
    with open(src, encoding="utf-8") as f:
        text = f.read()
    path = tmp_path / "counter.pv"
    path.write_text(text, encoding="utf-8")
    cache = ProofCache(str(tmp_path / "cache"))
    until = _line(str(path), "Print Assumptions")
    ReplEngine(str(path), until=until, cache=cache)
    assert cache.stored == 2
    # incr_spec's proof cut short: it fails (its cached derivation is for another text); the
    # next theorem, unchanged, comes from the cache
    assert "  done.\nQed." in text
    path.write_text(text.replace("  done.\nQed.", "Qed.", 1), encoding="utf-8")
    e = ReplEngine(str(path), until=until, cache=cache)
    assert [r.status for r in e.session.results] == ["failed", "proved"]
    assert cache.hits == 1
    assert e.errors == 1 and "incr_spec" in e.load_report


def test_pv_repl_no_cache(tmp_path):
    env = dict(os.environ, PV_CACHE_DIR=str(tmp_path))
    swap = os.path.join(ROOT, "proofs", "heap", "swap.pv")
    for flags in ([], ["--no-cache"]):
        p = subprocess.run([sys.executable, "-m", "driver.cli", "repl", swap, *flags],
                           input="", capture_output=True, text=True, cwd=ROOT, env=env,
                           timeout=60)
        assert p.returncode == 0 and "1 proved" in p.stdout, p.stdout + p.stderr
        from driver.cache import entries
        stored = len(entries(str(tmp_path)))
        assert stored == 1        # the first run filled the cache; --no-cache left it alone
