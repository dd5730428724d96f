"""The proof cache (issue 13, point 3): hits and misses as files change, entries that are
never believed, --trust-cache, concurrent runs.  Every test uses its own cache directory (and
conftest.py points PV_CACHE_DIR away from the user's cache for the rest of the suite)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import driver.cache as cache_mod
from driver.cache import ProofCache, entries
from driver.cli import main
from driver.load import Session

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

LIB = """\
Definition d (x : nat) : nat := x + 1.
Theorem d_pos (x : nat) : ⌜x < 10⌝ -∗ ⌜d(x) < 11⌝.
Proof.
  intros x "%H".
  done.
Qed.
"""

USER = """\
Require "lib.pv".
Definition e (x : nat) : nat := d(x) + 1.
Theorem t1 (x : nat) : ⌜x < 10⌝ -∗ ⌜e(x) < 12⌝.
Proof.
  intros x "%H".
  done.
Qed.
Theorem t2 (x : nat) : ⌜x = x⌝.
Proof.
  intros x.
  done.
Qed.
Theorem t3 : ⌜d(1) = 2⌝.
Proof.
  use d_pos as "H".
  done.
Qed.
Print Assumptions t3.
"""


class Spy(ProofCache):
    """A cache that remembers the keys it was asked for, in order."""

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.asked = []

    def lookup(self, key):
        self.asked.append(key)
        return super().lookup(key)


def run(path, root, trust=False):
    """(theorem name -> status, the cache, the session) of checking ``path``."""
    cache = Spy(root=str(root), trust=trust)
    s = Session(cache=cache)
    s.load_file(str(path))
    return {r.name: r.status for r in s.results}, cache, s


@pytest.fixture
def files(tmp_path):
    (tmp_path / "lib.pv").write_text(LIB, encoding="utf-8")
    (tmp_path / "user.pv").write_text(USER, encoding="utf-8")
    return tmp_path


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


ALL_PROVED = {"d_pos": "proved", "t1": "proved", "t2": "proved", "t3": "proved"}


def test_a_second_run_takes_every_theorem_from_the_cache(files, tmp_path):
    root = tmp_path / "cache"
    got, c, _ = run(files / "user.pv", root)
    assert got == ALL_PROVED and (c.hits, c.misses, c.stored) == (0, 4, 4)
    got, c, _ = run(files / "user.pv", root)
    assert got == ALL_PROVED and (c.hits, c.misses, c.stored) == (4, 0, 0)


def test_a_changed_proof_misses_only_that_theorem(files, tmp_path):
    root = tmp_path / "cache"
    run(files / "user.pv", root)
    edit(files / "user.pv", "  intros x.\n  done.", "  intros x.\n  done. (* edited *)")
    got, c, _ = run(files / "user.pv", root)
    assert got == ALL_PROVED and (c.hits, c.misses) == (3, 1)
    # the earlier proof changed, the theorem after it still hits: it sees statements only
    edit(files / "user.pv", 'intros x "%H".\n  done.', 'intros x "%H".\n  done.  ')
    got, c, _ = run(files / "user.pv", root)
    assert c.misses == 1 and c.hits == 3


def test_a_changed_requirement_misses(files, tmp_path):
    root = tmp_path / "cache"
    run(files / "user.pv", root)
    edit(files / "lib.pv", "x + 1.", "1 + x.")
    got, c, _ = run(files / "user.pv", root)
    assert got == ALL_PROVED and (c.hits, c.misses) == (0, 4)


def test_a_changed_definition_before_misses_one_after_does_not(files, tmp_path):
    root = tmp_path / "cache"
    run(files / "user.pv", root)
    edit(files / "user.pv", "d(x) + 1.", "1 + d(x).")
    got, c, _ = run(files / "user.pv", root)
    assert got == ALL_PROVED and c.hits == 1 and c.misses == 3     # d_pos in lib.pv hits
    edit(files / "user.pv", "Print Assumptions t3.", "Definition late : nat := 3.\n"
         "Print Assumptions t3.")
    got, c, _ = run(files / "user.pv", root)
    assert c.hits == 4 and c.misses == 0


def test_another_pv_version_misses(files, tmp_path, monkeypatch):
    root = tmp_path / "cache"
    run(files / "user.pv", root)
    import driver
    monkeypatch.setattr(driver, "__version__", driver.__version__ + "-next")
    monkeypatch.setattr(cache_mod, "_code_digest", None)
    got, c, _ = run(files / "user.pv", root)
    assert got == ALL_PROVED and (c.hits, c.misses) == (0, 4)
    monkeypatch.setattr(cache_mod, "_code_digest", None)


def _entry_files(root):
    return sorted(p for p, _, _ in entries(str(root)))


def _report(capsys, *args):
    code = main(["check", *args])
    out, err = capsys.readouterr()
    strip = lambda s: "\n".join(ln.split(" [")[0].split(" (")[0]  # noqa: E731
                                for ln in s.splitlines())
    return code, strip(out), err


@pytest.mark.parametrize("damage", ["rule", "statement", "truncated", "other_derivation",
                                    "not_a_tree", "node_kind", "node_reference",
                                    "other_nodes"])
def test_a_hand_edited_entry_is_never_believed(files, tmp_path, capsys, monkeypatch, damage):
    """Each entry damaged alike; the result is the one of --no-cache, and a false theorem
    given a valid derivation of another statement is still false."""
    root = tmp_path / "cache"
    monkeypatch.setenv("PV_CACHE_DIR", str(root))
    user = files / "user.pv"
    user.write_text(USER + "Theorem bad : ⌜d(1) = 3⌝.\nProof.\n  done.\nQed.\n",
                    encoding="utf-8")
    expected = _report(capsys, "--no-cache", str(user))
    assert expected[0] == 1 and "bad: FAILED" in expected[1]
    assert _report(capsys, str(user)) == expected            # fills the cache
    _, c, _ = run(user, root)
    bad_key = c.asked[-1]
    stored = {os.path.basename(p)[:-5]: p for p in _entry_files(root)}
    assert bad_key not in stored and len(stored) == 4
    t2 = json.loads(open(stored[c.asked[2]], encoding="utf-8").read())
    t1 = json.loads(open(stored[c.asked[1]], encoding="utf-8").read())
    originals = {k: json.loads(open(p, encoding="utf-8").read()) for k, p in stored.items()}

    def damage_all():
        for key, path in stored.items():
            e = dict(originals[key])
            if damage == "rule":
                e["derivation"] = [["pure_intro"] + e["derivation"][0][1:]] + \
                    e["derivation"][1:]
            elif damage == "statement":
                e["args"] = t2["args"] if key != c.asked[2] else t1["args"]
            elif damage == "other_derivation":
                e["derivation"] = (t2 if key != c.asked[2] else t1)["derivation"]
            elif damage == "not_a_tree":
                e["derivation"] = e["derivation"][:1] + [[1, 2, 3]]
            elif damage == "node_kind":         # the shared table names a forged class
                e["nodes"] = [list(n) for n in e["nodes"]]
                e["nodes"][-1][0] = "ForgedPure"
            elif damage == "node_reference":    # a node refers to itself (not an earlier one)
                e["nodes"] = [list(n) for n in e["nodes"]]
                at = next(i for i, n in enumerate(e["nodes"]) if len(n) > 1)
                e["nodes"][at][1] = [at]
            elif damage == "other_nodes":       # rows read against another entry's table
                e["nodes"] = (t2 if key != c.asked[2] else t1)["nodes"]
            text = json.dumps(e)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text[:len(text) // 2] if damage == "truncated" else text)
        # a valid derivation (t2's) planted under the false theorem's key
        planted = dict(t2, key=bad_key)
        planted["digest"] = cache_mod._digest(planted)     # intact, for another statement
        os.makedirs(root / bad_key[:2], exist_ok=True)
        (root / bad_key[:2] / (bad_key + ".json")).write_text(json.dumps(planted),
                                                              encoding="utf-8")

    damage_all()
    got, c, _ = run(user, root)
    assert got == dict(ALL_PROVED, bad="failed")
    if damage == "statement":     # the derivation is checked against the file's statement
        assert (c.hits, c.rejected) == (4, 1)
    elif damage == "truncated":
        assert (c.hits, c.misses, c.rejected) == (0, 4, 1)
    elif damage == "other_nodes":  # an entry whose table is another's twin may still prove
        assert c.hits + c.rejected == 5 and c.rejected >= 1
    else:
        assert (c.hits, c.rejected) == (0, 5)
    damage_all()
    assert _report(capsys, str(user)) == expected
    damage_all()
    code, out, _ = _report(capsys, "--trust-cache", str(user))
    assert code == 1 and "bad: FAILED" in out     # the false theorem is never trusted
    assert ": trusted" not in out   # nor a damaged entry (checksum), nor another statement


def test_trust_cache_says_what_was_not_rechecked(files, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PV_CACHE_DIR", str(tmp_path / "cache"))
    user = str(files / "user.pv")
    assert main(["check", user]) == 0
    out = capsys.readouterr().out
    assert "4 proven" in out and ": trusted" not in out
    assert main(["check", "--trust-cache", user]) == 0
    out = capsys.readouterr().out
    assert out.count("trusted (from the cache, not re-checked by the kernel)") == 4
    assert ": ok" not in out
    assert "0 proven, 4 trusted from the cache (not re-checked by the kernel)" in out
    assert "  trusted user.t3  (from the cache, not re-checked by the kernel)" in out
    assert "Closed under the global context" not in out
    assert main(["check", "--trust-cache", "--json", user]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {t["status"] for t in doc["theorems"]} == {"trusted"}
    assert doc["summary"]["trusted"] == 4 and doc["summary"]["proven"] == 0


def test_trusted_theorems_carry_their_dependencies_assumptions(files, tmp_path):
    """A trusted theorem rests on what the theorems it uses rest on now: its key does not
    cover an earlier proof, which now fails."""
    root = tmp_path / "cache"
    user = files / "user.pv"
    user.write_text(USER + "Theorem t4 : ⌜d(2) = 3⌝.\nProof.\n  use t3 as \"H\".\n  done.\n"
                    "Qed.\n", encoding="utf-8")
    run(user, root)
    edit(user, '  use d_pos as "H".\n  done.', '  use d_pos as "H".\n  bogus.')
    got, c, s = run(user, root, trust=True)
    assert got["t3"] == "failed" and got["t4"] == "trusted"
    t4 = next(r for r in s.results if r.name == "t4")
    assert t4.admits == ["user.t3"] and t4.failed == ["user.t3"]


def test_what_rests_on_a_trusted_theorem_says_so(files, tmp_path, capsys, monkeypatch):
    """t3, edited, is proven by the kernel from d_pos, which --trust-cache did not re-check."""
    monkeypatch.setenv("PV_CACHE_DIR", str(tmp_path / "cache"))
    user = files / "user.pv"
    assert main(["check", str(user)]) == 0
    edit(user, '  use d_pos as "H".\n  done.', '  use d_pos as "H".\n  done. ')
    capsys.readouterr()
    assert main(["check", "--trust-cache", str(user)]) == 0
    out = capsys.readouterr().out
    assert "t3: ok (rests on trusted lib.d_pos (not re-checked))" in out
    assert "  trusted lib.d_pos  (from the cache, not re-checked by the kernel)" in out
    assert main(["check", "--trust-cache", "--json", str(user)]) == 0
    doc = json.loads(capsys.readouterr().out)
    t3 = next(t for t in doc["theorems"] if t["name"] == "t3")
    assert t3["status"] == "trusted" and t3["unchecked"] == ["lib.d_pos"]
    assert main(["check", str(user)]) == 0           # without trust: nothing says trusted
    out = capsys.readouterr().out
    assert ": trusted" not in out and "on trusted" not in out and "t3: ok [" in out
    assert "  trusted " not in out


def test_a_trusted_certificate_still_rechecks(files, tmp_path, capsys, monkeypatch):
    """--certificate with the cache holds the derivations, so the kernel can check them."""
    monkeypatch.setenv("PV_CACHE_DIR", str(tmp_path / "cache"))
    cold, warm, trusted = (tmp_path / n for n in ("cold.json", "warm.json", "trusted.json"))
    user = str(files / "user.pv")
    assert main(["check", "--certificate", str(cold), user]) == 0
    assert main(["check", "--certificate", str(warm), user]) == 0
    assert main(["check", "--trust-cache", "--certificate", str(trusted), user]) == 0
    capsys.readouterr()
    assert cold.read_text() == warm.read_text() == trusted.read_text()
    assert main(["recheck", str(trusted)]) == 0
    assert "4 proven" in capsys.readouterr().out


def test_no_cache_neither_reads_nor_writes(files, tmp_path, capsys, monkeypatch):
    root = tmp_path / "cache"
    monkeypatch.setenv("PV_CACHE_DIR", str(root))
    assert main(["check", "--no-cache", str(files / "user.pv")]) == 0
    assert not root.exists()
    assert main(["check", str(files / "user.pv")]) == 0
    assert len(_entry_files(root)) == 4
    assert main(["cache"]) == 0 and "4 entries" in capsys.readouterr().out
    assert main(["cache", "--clear"]) == 0 and _entry_files(root) == []


def test_the_cache_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("PV_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_mod.cache_dir() == os.path.join(str(tmp_path), "pv", "proofs")
    monkeypatch.setenv("PV_CACHE_DIR", str(tmp_path / "x"))
    assert cache_mod.cache_dir() == str(tmp_path / "x")


def test_prune_removes_the_least_recently_used(files, tmp_path):
    root = tmp_path / "cache"
    run(files / "user.pv", root)
    paths = _entry_files(root)
    for i, p in enumerate(paths):
        os.utime(p, (1000 + i, 1000 + i))
    size = sum(os.path.getsize(p) for p in paths)
    removed = ProofCache(root=str(root)).prune(size - 1)
    assert removed == 1 and _entry_files(root) == paths[1:]


def test_concurrent_runs_share_the_cache(files, tmp_path):
    """Two processes filling the same empty cache at once: both succeed, every entry is whole
    (no temporary file left), and a third run takes everything from it."""
    root = tmp_path / "cache"
    env = dict(os.environ, PV_CACHE_DIR=str(root))
    cmd = [sys.executable, "-m", "driver.cli", "check", str(files / "user.pv")]
    procs = [subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    names = [os.path.basename(p) for p in _entry_files(root)]
    assert len(names) == 4 and not any(n.startswith(".tmp-") for n in names)
    for p in _entry_files(root):
        json.loads(open(p, encoding="utf-8").read())
    _, c, _ = run(files / "user.pv", root)
    assert c.hits == 4


def test_the_suite_never_writes_into_the_users_cache():
    """conftest.py points PV_CACHE_DIR at a temporary directory for every test and pv process."""
    import tempfile
    assert cache_mod.cache_dir() == os.environ["PV_CACHE_DIR"]
    assert cache_mod.cache_dir().startswith(tempfile.gettempdir())


def test_a_front_end_running_commands_itself_uses_the_cache(files, tmp_path):
    """The REPL's way in (Session.file_context, run_file_command): the commands up to a cut,
    in order, take their theorems from the cache."""
    from seplogic.parser import parse_file
    root = tmp_path / "cache"
    run(files / "user.pv", root)
    path = str(files / "user.pv")
    text = (files / "user.pv").read_text(encoding="utf-8")
    cache = ProofCache(root=str(root))
    s = Session(cache=cache)
    s.new_module(path)
    commands = parse_file(text, path).commands
    ctx = s.file_context(path, text, commands)
    for i, cmd in enumerate(commands[:4]):          # Require, e, t1, t2: stop before t3
        s.run_file_command(path, cmd, ctx, i)
    assert [(r.name, r.status) for r in s.results] == [
        ("d_pos", "proved"), ("t1", "proved"), ("t2", "proved")]
    assert (cache.hits, cache.misses) == (3, 0)
    assert Session().file_context(path, text, commands) is None     # no cache, no keys


def test_a_requirement_of_a_requirement_counts(files, tmp_path):
    root = tmp_path / "cache"
    (files / "base.pv").write_text("Definition z : nat := 0.\n", encoding="utf-8")
    edit(files / "lib.pv", "Definition d", 'Require "base.pv".\nDefinition d')
    run(files / "user.pv", root)
    edit(files / "base.pv", ":= 0.", ":= 5.")
    got, c, _ = run(files / "user.pv", root)
    assert got == ALL_PROVED and (c.hits, c.misses) == (0, 4)


def test_a_cache_that_cannot_be_written_is_no_cache(files, tmp_path, capsys, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("PV_CACHE_DIR", str(blocker / "cache"))
    assert main(["check", str(files / "user.pv")]) == 0
    assert main(["check", str(files / "user.pv")]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.count("4 proven") == 2


def test_clearing_removes_only_what_the_cache_wrote(files, tmp_path, monkeypatch):
    """PV_CACHE_DIR pointed at a directory with other files in it: they stay."""
    root = tmp_path / "shared"
    (root / "ab").mkdir(parents=True)
    keep = [root / "ab" / "notes.json", root / "ab" / ("cd" + "0" * 62 + ".json"),
            root / "data.json"]
    for k in keep:
        k.write_text("{}", encoding="utf-8")
    run(files / "user.pv", root)
    assert len(_entry_files(root)) == 4
    monkeypatch.setenv("PV_CACHE_DIR", str(root))
    assert main(["cache", "--clear"]) == 0
    assert _entry_files(root) == [] and all(k.exists() for k in keep)
