"""What a `pv check` does not do at start-up (docs/performance.md): modules it does not import,
and the cheap digests it uses instead, equal to hashlib's."""
import hashlib
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPIN = os.path.join("proofs", "bench", "spin_lock.pv")

# stdlib modules a check of the spin lock needs none of (each was measured at 1-3 ms of start)
NOT_IMPORTED = ("hashlib", "_hashlib", "shutil", "difflib", "tempfile", "pickle", "argparse",
                "gettext", "locale", "threading", "lark", "sympy", "prompt_toolkit")


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


def test_a_check_from_a_warm_cache_imports_none_of_these():
    _modules_after(["check", SPIN])                             # (fills the cache)
    got = _modules_after(["check", SPIN])
    assert "driver.cache" in got
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


# ---- the shipped axioms are checked when first used (kernel.core.AxiomTable) -----------------

LOAD_AND_STORE = """\
Theorem load_spec (n : nat) (l : loc) (v : val) :
  {l ↦[n] v} !#l {r. ⌜r = v⌝ ∗ l ↦[n] v}[n].
Proof.
  intros n l v "H".
  wp_step. wp_pures.
  frame.
Qed.

Theorem store_spec (n : nat) (l : loc) (v w : val) :
  {l ↦[n] v} #l <- #w {r. l ↦[n] w}[n].
Proof.
  intros n l v w "H".
  wp_step. wp_pures.
  frame.
Qed.
"""


def _hand_edited_axioms(tmp_path, monkeypatch):
    """theories/axioms.json with heap_load's postcondition edited to mention a variable it
    does not bind (``l ↦[n] w``); its text, so its digest, unchanged: the file is used."""
    from seplogic.parser import parse_assertion
    from seplogic.serial import SharedEncoder
    from theories import shipped
    data = shipped.build()
    enc = SharedEncoder()
    enc.nodes = list(data["nodes"])
    data["axioms"]["heap_load"]["fields"][7] = enc.encode(parse_assertion("l ↦[n] w"))
    data["nodes"] = enc.nodes
    bad = tmp_path / "axioms.json"
    bad.write_text(shipped.data_json(data), encoding="utf-8")
    monkeypatch.setattr(shipped, "DATA_PATH", str(bad))
    monkeypatch.setattr(shipped, "_data", {})


def test_an_ill_formed_shipped_axiom_is_refused_when_a_proof_uses_it(tmp_path, monkeypatch):
    import pytest
    from driver.load import Session, make_kernel
    from kernel.core import Kernel
    from kernel.wf import KernelError
    from seplogic.syntax import fv
    _hand_edited_axioms(tmp_path, monkeypatch)
    k = make_kernel()
    bad = dict.__getitem__(k.axioms, "heap_load")        # (unchecked: what the file holds)
    assert "w" in fv(bad.post)
    with pytest.raises(KernelError, match="heap_load: free variables"):
        Kernel().add_axiom(bad)                     # checked at once, it is refused
    with pytest.raises(KernelError, match="heap_load: free variables"):
        k.axioms["heap_load"]                       # how the rules take it
    assert "heap_load" in k.axioms.unchecked               # (refused: still unchecked)
    s = Session(kernel=make_kernel())
    f = tmp_path / "ls.pv"
    f.write_text(LOAD_AND_STORE, encoding="utf-8")
    s.load_file(str(f))
    status = {r.name: r.status for r in s.results}
    assert status == {"load_spec": "failed", "store_spec": "proved"}, s.diagnostics
    assert any("heap_load: free variables" in d.message for d in s.diagnostics), s.diagnostics
    store = next(r for r in s.results if r.name == "store_spec")
    assert store.axioms == ["heap_store"], store.axioms


def test_pv_axioms_checks_every_axiom_and_shows_them_all(tmp_path, monkeypatch, capsys):
    from driver.cli import main
    from theories import shipped
    assert main(["axioms", "--width", "100"]) == 0
    out = capsys.readouterr().out
    axs, _ = shipped.all_texts()
    assert all(f"{t.name}  [" in out for t in axs)
    _hand_edited_axioms(tmp_path, monkeypatch)
    assert main(["axioms"]) == 1
    assert "heap_load: free variables" in capsys.readouterr().err


def test_the_repl_says_which_shipped_axiom_is_ill_formed(tmp_path, monkeypatch):
    from repl.engine import ReplEngine
    _hand_edited_axioms(tmp_path, monkeypatch)
    e = ReplEngine()
    for cmd in ("Print heap_load.", "About heap_load."):
        out = e.execute(cmd)
        assert "the semantics axiom heap_load is ill-formed" in out, out
        assert "internal error" not in out and "line 1, column" in out, out
    assert "heap_store" in e.execute("Print heap_store.")       # the others still print


def test_a_fresh_kernel_checks_only_the_axioms_it_is_asked_for():
    from driver.load import make_kernel
    k = make_kernel()
    assert len(k.axioms.unchecked) == len(k.axioms) >= 40
    assert k.axioms["heap_load"].name == "heap_load"
    assert "heap_load" not in k.axioms.unchecked and len(k.axioms.unchecked) == len(k.axioms) - 1


# ---- leaving without Python's teardown (driver.cli._leave_now) --------------------------------

def _entry(args, prelude=""):
    """The console script in a fresh interpreter without site's hooks (``-S``: a site hook may
    register an exit handler, which keeps the ordinary exit), with an object whose finaliser
    says whether Python's teardown ran."""
    code = ("import sys\n"
            "class Teardown:\n    def __del__(self):\n        print('teardown ran')\n"
            f"t = Teardown()\n{prelude}\nsys.argv = ['pv'] + {args!r}\n"
            "from driver.cli import entry\nentry()\n")
    return subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True,
                          cwd=ROOT)


def test_a_check_s_output_and_status_survive_the_quick_exit(tmp_path):
    p = _entry(["check", "--no-cache", SPIN])
    assert p.returncode == 0 and p.stdout.splitlines()[-1].startswith("OK: 1 file, 4 proven")
    assert "teardown ran" not in p.stdout                    # (it did leave at once)
    p = _entry(["rules"])                                     # other commands: as before
    assert p.returncode == 0 and p.stdout.splitlines()[-1] == "teardown ran"
    bad = tmp_path / "bad.pv"
    bad.write_text("Theorem t : ⌜1 = 2⌝.\nProof.\n  done.\nQed.\n", encoding="utf-8")
    p = _entry(["check", "--no-cache", str(bad)])
    assert p.returncode == 1 and "FAILED: 1 file" in p.stdout and f"{bad}:" in p.stderr
    cert = tmp_path / "c.json"
    p = _entry(["check", "--no-cache", "--certificate", str(cert), SPIN])
    assert p.returncode == 0
    p = _entry(["recheck", str(cert)])
    assert p.returncode == 0 and p.stdout.splitlines()[-1].startswith("OK:")


def test_exit_handlers_and_threads_still_run_at_exit():
    p = _entry(["check", "--no-cache", SPIN],
               "import atexit; atexit.register(lambda: print('handler ran'))")
    assert p.returncode == 0 and p.stdout.splitlines()[-2:] == ["handler ran", "teardown ran"]
    # the thread runs until the main thread is done (whatever the check's duration)
    p = _entry(["check", "--no-cache", SPIN],
               "import threading\n"
               "threading.Thread(target=lambda: (threading.main_thread().join(),"
               " print('thread done'))).start()")
    assert p.returncode == 0 and p.stdout.splitlines()[-2:] == ["thread done", "teardown ran"]


# ---- the digest of pv's sources, kept by the files' fingerprint (driver.cache) --------------

def test_the_code_digest_is_kept_by_fingerprint_and_exact_reads_the_sources(tmp_path,
                                                                            monkeypatch):
    import json
    import driver.cache as C
    monkeypatch.setenv("PV_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(C, "_code_digest", None)
    exact = C.code_digest(exact=True)
    assert not (tmp_path / C._MEMO).exists()              # exact: no memo read or written
    monkeypatch.setattr(C, "_code_digest", None)
    assert C.code_digest() == exact                       # computed, and kept
    memo = json.loads((tmp_path / C._MEMO).read_text())
    assert list(memo.values()) == [exact]
    (fp,) = memo
    (tmp_path / C._MEMO).write_text(json.dumps({fp: "planted"}))
    monkeypatch.setattr(C, "_code_digest", None)
    assert C.code_digest() == "planted"                   # the memo is what is used...
    assert C.code_digest(exact=True) == exact             # ...but never for --trust-cache
    monkeypatch.setattr(C, "_code_digest", None)
    import driver
    monkeypatch.setattr(driver, "__version__", driver.__version__ + "-next")
    assert C.code_digest() not in ("planted", exact)      # another fingerprint: recomputed
    assert len(json.loads((tmp_path / C._MEMO).read_text())) == 2
    monkeypatch.setattr(C, "_code_digest", None)


def test_a_touched_source_changes_the_fingerprint(tmp_path):
    import driver.cache as C
    src = tmp_path / "kernel"
    src.mkdir()
    (src / "a.py").write_text("x = 1\n")
    files = [str(src / "a.py")]
    before = C._fingerprint("h", str(tmp_path), files)
    assert C._fingerprint("h", str(tmp_path), files) == before
    st = os.stat(files[0])
    os.utime(files[0], ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    assert C._fingerprint("h", str(tmp_path), files) != before
    (src / "a.py").write_text("x = 22\n")
    os.utime(files[0], ns=(st.st_atime_ns, st.st_mtime_ns))
    assert C._fingerprint("h", str(tmp_path), files) != before   # the size


def test_the_kernel_takes_axioms_only_where_the_table_checks_them():
    """Every use of the kernel's axiom table in kernel/ is one `AxiomTable` accounts for: a
    subscript (checked), ``in``, or the known unchecked reads (define_pure's names, the
    fresh-name check, the set-up).  A new ``.get``/``.items()`` in a rule fails here."""
    import ast
    import pathlib
    allowed_calls = {("define_pure", "values"), ("add_axiom", "unchecked")}
    bad = []
    for path in sorted((pathlib.Path(ROOT) / "kernel").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {c: p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Attribute) and node.attr == "axioms" and
                    isinstance(node.value, ast.Name) and node.value.id in ("k", "self",
                                                                          "kernel")):
                continue
            fn = node
            while not isinstance(fn, (ast.FunctionDef, ast.Module)):
                fn = parents[fn]
            where = getattr(fn, "name", "")
            up = parents[node]
            if isinstance(up, ast.Subscript) and up.value is node:
                continue
            if isinstance(up, ast.Compare) and all(isinstance(o, (ast.In, ast.NotIn))
                                                   for o in up.ops) and node in up.comparators:
                continue
            if isinstance(up, ast.Attribute) and (where, up.attr) in allowed_calls:
                continue
            if isinstance(up, ast.Tuple) and where == "_fresh_global":
                continue
            if isinstance(up, ast.Assign) and where == "__init__":
                continue
            bad.append(f"{path.name}:{node.lineno} in {where}")
    assert not bad, bad
