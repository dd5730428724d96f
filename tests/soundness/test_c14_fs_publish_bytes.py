"""Issue 9, class 14: fs_example's Publish was proven while appending the data twice.

Its specification said the directory holds the name but not what the file holds.  It now
states the bytes (`link(d, nm) ↦[n] i ∗ inode(i) ↦[n] data`).  The negative test translates
the buggy Go (Append called twice) with `pv goose`, runs the committed proof adapted to the
extra call (one more `wp_step`), and expects the proof to stop where the bug shows: the file
holds `data ++ data`, not `data`.  With the old specification the same attempt was proved.
"""
import os

from goose import translate_package
from driver.load import Session

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PKG = os.path.join(ROOT, "proofs", "fs_example")
APPEND = "\t\tfilesys.Append(fd, data)\n"
APPEND_STEP = ('    wp_step p as "[%Hp [Hf [Hi [Hil Hs]]]]".\n'     # filesys.Append's two steps
               '    wp_step as "[Hf [Hs [Hi Hil]]]".\n')


def _check(tmp_path, go_src: str, proof: str):
    pkg = tmp_path / "fs_example"
    pkg.mkdir()
    (pkg / "fs_example.go").write_text(go_src, encoding="utf-8")
    (pkg / "fs_example_goose.pv").write_text(translate_package(str(pkg)), encoding="utf-8")
    (pkg / "fs_example.pv").write_text(proof, encoding="utf-8")
    s = Session()
    s.load_file(str(pkg / "fs_example.pv"))
    return ({r.name: r.status for r in s.results},
            "\n".join(d.render() for d in s.diagnostics))


def _sources():
    go = open(os.path.join(PKG, "fs_example.go"), encoding="utf-8").read()
    pv = open(os.path.join(PKG, "fs_example.pv"), encoding="utf-8").read()
    return go, pv


def test_publish_spec_states_the_files_bytes():
    _, pv = _sources()
    spec = pv[pv.index("Theorem Publish_spec"):pv.index("Proof.", pv.index("Theorem Publish_spec"))]
    assert "link(d, nm) ↦[n] i" in spec and "inode(i) ↦[n] data" in spec, spec


def test_appending_twice_fails_the_publish_proof_at_the_files_contents(tmp_path):
    go, pv = _sources()
    publish = go.index("func Publish")
    at = go.index(APPEND, publish)
    buggy_go = go[:at] + APPEND + go[at:]           # Append(fd, data) twice
    start = pv.index("Theorem Publish_spec")
    at = pv.index(APPEND_STEP, start)
    adapted = pv[:at] + APPEND_STEP + pv[at:]       # one more step for the second append
    st, diags = _check(tmp_path, buggy_go, adapted)
    assert st == {"Store_spec": "proved", "Store_roundtrip": "proved",
                  "Publish_spec": "failed"}, diags
    # what is left is exactly the file's contents: data ++ data where the spec says data
    assert "inode(i) ↦[n] [] ++ data ++ data" in diags, diags
    assert diags.rstrip().endswith("inode(i) ↦[n] data ∗ lease[n](inode(i), data)"), diags


def test_the_real_publish_is_proved(tmp_path):
    go, pv = _sources()
    st, diags = _check(tmp_path, go, pv)
    assert st == {"Store_spec": "proved", "Store_roundtrip": "proved",
                  "Publish_spec": "proved"}, diags
