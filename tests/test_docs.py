"""The documentation's code blocks are run, so the docs cannot drift from pv (issue 12 point 7).

Every fenced block in README.md, docs/ and goose/README.md says what it is by its info string:

* ``pv`` — a complete file: `pv check --allow-admit` must report no error and no failed proof;
* ``pv from=PATH`` — an excerpt of PATH (relative to the repository): each chunk between lines
  that are ``...`` occurs in PATH, up to white space;
* ``sh`` — each command (a ``#`` starts a comment) runs from a scratch copy of ``proofs/`` and
  must succeed; ``pv`` is the working tree's, not an installed one;
* ``repl`` — a transcript: ``$ pv repl FILE [--until N]``, then the load report, then inputs
  (a line starting with the prompt the REPL shows, ``NAME < `` or ``pv < ``) each followed by its
  output; a line ``...`` in expected output stands for any number of lines;
* ``sh norun`` (the set-up commands, which are CI itself), ``text``, ``go``, ``json``,
  ``console`` — shown, not run.

A block without an info string is an error: the author must say which of these it is.
"""
import glob
import os
import re
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = ["README.md", "goose/README.md"] + sorted(
    os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "docs", "*.md")))
SHOWN = {"text", "go", "json", "console", "javascript", "jsonc", "toml", "ini"}


def blocks():
    """(doc, line, info, body lines) of every fenced block."""
    out = []
    for doc in DOCS:
        with open(os.path.join(ROOT, doc), encoding="utf-8") as f:
            lines = f.read().split("\n")
        i = 0
        while i < len(lines):
            m = re.match(r"^(\s*)```(.*)$", lines[i])
            if not m:
                i += 1
                continue
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith("```"):
                j += 1
            out.append((doc, i + 1, m.group(2).strip(), lines[i + 1:j]))
            i = j + 1
    return out


BLOCKS = blocks()


def ids(kind):
    sel = [b for b in BLOCKS if b[2].split(" ")[0] == kind and "norun" not in b[2].split()]
    return pytest.mark.parametrize("block", sel, ids=[f"{b[0]}:{b[1]}" for b in sel])


def test_every_block_says_what_it_is():
    bad = [f"{d}:{n}" for d, n, info, _ in BLOCKS
           if info.split(" ")[0] not in SHOWN | {"pv", "sh", "repl"}]
    assert not bad, f"code blocks without a known info string: {bad}"


def pv_cmd():
    return [sys.executable, "-m", "driver.cli"]


def env():
    e = dict(os.environ)
    e["PYTHONPATH"] = ROOT + os.pathsep + e.get("PYTHONPATH", "")
    e["PV_HISTORY"] = os.devnull
    return e


@ids("pv")
def test_pv_blocks(block, tmp_path):
    doc, line, info, body = block
    opts = dict(w.split("=", 1) for w in info.split()[1:] if "=" in w)
    text = "\n".join(body)
    if "from" in opts:
        path = os.path.join(ROOT, opts["from"])
        with open(path, encoding="utf-8") as f:
            source = " ".join(f.read().split())
        chunks, cur = [], []
        for ln in body + ["..."]:
            if ln.strip() == "...":
                if cur:
                    chunks.append(" ".join(" ".join(cur).split()))
                cur = []
            else:
                cur.append(ln)
        for chunk in chunks:
            assert chunk in source, f"{doc}:{line}: this excerpt is not in {opts['from']}:\n{chunk}"
        return
    p = tmp_path / "snippet.pv"
    p.write_text(text + "\n", encoding="utf-8")
    r = subprocess.run(pv_cmd() + ["check", "--allow-admit", str(p)], capture_output=True,
                       text=True, env=env(), cwd=ROOT)
    assert r.returncode == 0, f"{doc}:{line}: the block does not check:\n{r.stdout}{r.stderr}"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """A copy of proofs/ to run the docs' shell commands in (they may write files)."""
    d = tmp_path_factory.mktemp("docs_sh")
    shutil.copytree(os.path.join(ROOT, "proofs"), d / "proofs")
    return d


@ids("sh")
def test_sh_blocks(block, scratch):
    doc, line, info, body = block
    for k, ln in enumerate(body):
        cmd = ln.split(" #")[0].strip() if not ln.lstrip().startswith("#") else ""
        if not cmd:
            continue
        cmd = cmd[2:] if cmd.startswith("$ ") else cmd
        py = " ".join(pv_cmd())
        shell = re.sub(r"(^|&& |\| )pv ", lambda m: m.group(1) + py + " ", cmd)
        r = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, env=env(),
                           cwd=scratch, stdin=subprocess.DEVNULL, timeout=300)
        assert r.returncode == 0, (f"{doc}:{line + 1 + k}: `{cmd}` failed "
                                   f"({r.returncode}):\n{r.stdout[-2000:]}{r.stderr[-2000:]}")


def matches(expected, actual) -> bool:
    """``expected`` lines equal ``actual`` lines, ``...`` standing for any run of lines."""
    expected = [e.rstrip() for e in expected]
    actual = [a.rstrip() for a in actual]
    if not expected:
        return not actual
    if expected[0].strip() == "...":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])


REPL_DOCS = sorted({b[0] for b in BLOCKS if b[2].split(" ")[0] == "repl"})


@pytest.mark.parametrize("doc", REPL_DOCS)
def test_repl_transcripts(doc):
    """A doc's transcripts in order: ``repl`` starts a REPL, ``repl continue`` goes on in the
    previous one (so a tutorial can talk between steps)."""
    from repl.engine import ReplEngine
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        engine = None
        for d, line, info, body in BLOCKS:
            if d != doc or info.split(" ")[0] != "repl":
                continue
            steps, expected = [], [[]]
            if "continue" in info.split():
                assert engine is not None, f"{doc}:{line}: nothing to continue"
                steps.append((None, ""))
                lines = body
            else:
                m = re.match(r"\$ pv repl (\S+)(?: --until (\d+))?$", body[0])
                assert m, f"{doc}:{line}: a transcript starts with `$ pv repl FILE [--until N]`"
                engine = ReplEngine(m.group(1), int(m.group(2)) if m.group(2) else None)
                steps.append((None, engine.load_report or ""))
                lines = body[1:]
            for ln in lines:
                pm = re.match(r"^(\S+ < )(.*)$", ln)
                if pm:
                    expected.append([])
                    steps.append((pm.group(1), pm.group(2)))
                else:
                    expected[-1].append(ln)
            for (prompt, text), exp in zip(steps, expected):
                if prompt is None:
                    out = text
                else:
                    assert prompt == engine.prompt, (
                        f"{doc}:{line}: the prompt before {text!r} is {engine.prompt!r}, "
                        f"not {prompt!r}")
                    out = engine.execute(text)
                assert matches(exp, out.split("\n") if out else []), (
                    f"{doc}:{line}: after {text!r} the REPL printed:\n{out}\n--- expected:\n"
                    + "\n".join(exp))
    finally:
        os.chdir(cwd)


def test_transcript_matching():
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "...", "b"], ["a", "b"])
    assert not matches(["a", "d"], ["a", "b", "d"])
    assert not matches(["a", "...", "e"], ["a", "b", "d"])
    assert not matches(["a"], ["a", "extra"])
