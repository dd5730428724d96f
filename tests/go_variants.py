"""Buggy variants of a case study's Go code, for the tests that show a proof fails where the
bug is: a variant is the real Go file with one function replaced; the test translates it with
goose (as `pv goose` made the committed model), checks the proof attempt the bug calls for
against that model, and builds and runs it with the Go toolchain in a module of its own that
uses proofs/ (for the primitive packages)."""
import os
import re
import shutil
import subprocess
import tempfile

from goose import translate_package

from tests.go_env import go_env

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def go_func(text: str, name: str, body: str) -> str:
    """The Go source with the top-level function ``name`` replaced by ``body``."""
    start = text.index(f"func {name}(")
    end = text.index("\n}\n", start) + 3
    return text[:start] + body + text[end:]


def goose_model(pkg: str, go_text: str) -> str:
    """The model of the package ``pkg`` whose one file is ``go_text`` (comments name the file
    as the committed model's do: ``pkg/pkg.go``)."""
    with tempfile.TemporaryDirectory() as d:
        os.mkdir(os.path.join(d, pkg))
        with open(os.path.join(d, pkg, f"{pkg}.go"), "w", encoding="utf-8") as f:
            f.write(go_text)
        text = translate_package(os.path.join(d, pkg))
    return text.replace(f"(* {pkg}.go:", f"(* {pkg}/{pkg}.go:")


def go_test(tmp_path, pkg: str, go_text: str, test_file: str, run: str):
    """``go test -run run`` of the package ``pkg`` (its one file ``go_text``, and the test file
    copied next to it with its package clause set to pkg's): (passed, output).  Asserts that
    it was built (real Go)."""
    mod = tmp_path / "gomod"
    (mod / pkg).mkdir(parents=True)
    (mod / "go.mod").write_text(f"module {pkg}variant\n\ngo 1.19\n\nrequire pv/proofs v0.0.0\n\n"
                                f"replace pv/proofs => {os.path.join(ROOT, 'proofs')}\n")
    (mod / pkg / f"{pkg}.go").write_text(go_text, encoding="utf-8")
    test = open(test_file, encoding="utf-8").read()
    (mod / pkg / os.path.basename(test_file)).write_text(
        re.sub(r"^package \w+$", f"package {pkg}", test, count=1, flags=re.M), encoding="utf-8")
    p = subprocess.run(["go", "test", "-count=1", "-run", run, f"./{pkg}/"], cwd=mod,
                       env=go_env(), capture_output=True, text=True, timeout=300)
    out = p.stdout + p.stderr
    assert "[build failed]" not in out and "[setup failed]" not in out, out
    return p.returncode == 0, out


# ---- the proof attempts -------------------------------------------------------------------------

def replace_proof(text: str, thm: str, script: str) -> str:
    """The .pv text with the proof script of Theorem ``thm`` replaced."""
    new = re.sub(r"(Theorem %s .*?Proof\.\n).*?(Qed\.)" % thm,
                 lambda m: m.group(1) + script + m.group(2), text, flags=re.S)
    assert new != text
    return new


def load_pair_proof(tmp_path, pkg: str, model: str, proof_edit=None):
    """Check a copy of proofs/<pkg>/<pkg>_proof.pv (and the pair spec it requires) over the
    given model, with the proof edited: the session."""
    from driver.load import Session
    (tmp_path / "pair").mkdir()
    (tmp_path / pkg).mkdir()
    shutil.copy(os.path.join(ROOT, "proofs", "pair", "pair_spec.pv"), tmp_path / "pair")
    (tmp_path / pkg / f"{pkg}_goose.pv").write_text(model, encoding="utf-8")
    text = open(os.path.join(ROOT, "proofs", pkg, f"{pkg}_proof.pv"), encoding="utf-8").read()
    (tmp_path / pkg / f"{pkg}_proof.pv").write_text(proof_edit(text) if proof_edit else text,
                                                    encoding="utf-8")
    s = Session()
    s.load_file(str(tmp_path / pkg / f"{pkg}_proof.pv"))
    return s


def failure(s, theorem: str, refinement: str):
    """The one failed premise: (the source line the kernel stopped at, the message)."""
    st = {r.name: r.status for r in s.results}
    assert st[theorem] == "failed", st
    assert [n for n, x in st.items() if x != "proved"] == [theorem], st
    # the refinement is recorded only as resting on the failed (admitted) premise
    # (the kernel keys names by module: docs/syntax.md, Modules)
    (ref,) = [r for k, r in s.kernel.refinements.items() if k.rpartition(".")[2] == refinement]
    assert {a.rpartition(".")[2] for a in ref.admits} == {theorem}, ref.admits
    (d,) = s.diagnostics
    source = open(d.path, encoding="utf-8").read().splitlines()[d.line - 1]
    return source, d.render()


# ---- running a model in the interpreter -------------------------------------------------------

def functions(model_text: str, driver: str, path: str) -> dict:
    """A model's Functions with a driver's (pv text), as the interpreter takes them."""
    from seplogic.document import FunctionDef
    from seplogic.parser import parse_file
    doc = parse_file(model_text + "\n" + driver, path)
    return {c.name: (c.params, c.body) for c in doc.commands if type(c) is FunctionDef}


def block(m, byte: int):
    """A new 4096-byte slice in machine ``m``, every byte ``byte``."""
    from theories.interp import BLOCK_SIZE, _new_slice
    return _new_slice(m, [byte] * BLOCK_SIZE, 0)


def first_bytes(m, pair) -> tuple:
    """The first byte of each block of a pair of slices a Read returned."""
    from theories.interp import _elements
    v1, v2 = pair
    return _elements(m, v1)[0], _elements(m, v2)[0]
