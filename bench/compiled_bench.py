"""Benchmark: pv's trusted core compiled by Cython (pure-Python mode, the same source) against
pure Python, side by side.  It builds the compiled variant in a temporary directory; nothing
in the checkout changes, and pv itself ships no compiled code (docs/performance.md, Session
10, says why: compiled recursion is not counted by Python's recursion limit).

Two copies of this checkout's packages and proofs are made; in one, the modules of `MODULES`
are compiled in place by Cython 3.3 (``annotation_typing=False``: annotations are not taken
as C types; ``gcc -O1``), with Cython from the interpreter or, when missing, installed by pip
into a temporary virtualenv beside it (~2-4 min of compiling on 2 cores).  Then, by
instructions (valgrind's cachegrind, no cache simulation: ±0.01%) and by CPU time (user +
system of the pv process, the minimum of ``--runs``; ±10% and more on a shared machine):

* ``warm`` -- `pv check -j 1 proofs/` with a filled proof cache (the kernel re-checks every
  derivation, no tactic runs);
* ``cold`` -- the same with ``--no-cache``;
* ``spin`` -- `pv check --no-cache proofs/bench/spin_lock.pv` (start-up);
* ``deep`` -- `fv` of a term nested 3,000,000 deep on pv's deep-stack thread: pure Python
  raises RecursionError (pv reports it as a located error), the compiled `fv` recurses on the
  C stack without counting until the process dies.

Not a test: nothing is asserted.

    python bench/compiled_bench.py [--case warm --case deep ...] [--runs 5] [--no-valgrind]
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from debian import ensure, have  # noqa: E402
from instructions_bench import instructions, pv_command  # noqa: E402

# the trusted core and the modules next to it on a warm check's hot path
MODULES = ("seplogic/record.py", "seplogic/syntax.py", "seplogic/serial.py", "seplogic/lalr.py",
           "seplogic/callbacks.py", "seplogic/elab.py", "kernel/core.py", "kernel/crash.py",
           "kernel/program.py", "kernel/pure.py", "kernel/rules.py", "kernel/sequent.py",
           "kernel/sorts.py", "kernel/wf.py", "driver/cache.py", "driver/certificate.py",
           "driver/load.py", "driver/modules.py")
CYTHON = "cython>=3.3,<3.4"
CASES = {"warm": ["check", "-j", "1", "-q", "proofs/"],
         "cold": ["check", "-j", "1", "-q", "--no-cache", "proofs/"],
         "spin": ["check", "-j", "1", "-q", "--no-cache", "proofs/bench/spin_lock.pv"]}

BUILD = """\
import sys
from setuptools import Extension, setup
from Cython.Build import cythonize
exts = [Extension(m[:-3].replace("/", "."), [m], extra_compile_args=["-O1", "-g0"])
        for m in sys.argv[2:]]
setup(ext_modules=cythonize(exts, build_dir=sys.argv[1], quiet=True, compiler_directives={
          "language_level": 3, "annotation_typing": False}),
      script_args=["build_ext", "--inplace", "-q", "-j", "2", "-t", sys.argv[1]])
"""

DEEP = """\
import sys
sys.path.insert(0, sys.argv[1])
from driver.deep import deep
from seplogic.syntax import App, Lit, Var, fv
t = Var("x")
for _ in range(int(sys.argv[2])):
    t = App("add", (Lit("int", 1), t))
try:
    print(sorted(deep(fv, t)))
except RecursionError:
    print("RecursionError")
"""


def copy_checkout(into: str) -> str:
    for name in ("seplogic", "kernel", "theories", "tactics", "driver", "repl", "goose", "lsp",
                 "proofs"):
        shutil.copytree(os.path.join(ROOT, name), os.path.join(into, name),
                        ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    return into


def cython_python(tmp: str) -> str:
    """An interpreter of this ABI that can import Cython."""
    found = subprocess.run([sys.executable, "-c", "import Cython"], capture_output=True)
    if found.returncode == 0:
        return sys.executable
    venv = os.path.join(tmp, "cython-venv")
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", venv], check=True)
    py = os.path.join(venv, "bin", "python")
    subprocess.run([py, "-m", "pip", "install", "-q", CYTHON, "setuptools"], check=True)
    return py


def build(tree: str, tmp: str) -> None:
    print(f"compiling {len(MODULES)} modules with Cython in {tree} ...", file=sys.stderr,
          flush=True)
    script = os.path.join(tmp, "build_core.py")
    with open(script, "w", encoding="utf-8") as f:
        f.write(BUILD)
    work = os.path.join(tmp, "cython-build")
    p = subprocess.run([cython_python(tmp), script, work, *MODULES], cwd=tree,
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"compiled_bench: the build failed:\n{p.stderr[-3000:]}")


def cpu(cmd: list, cwd: str, env: dict, runs: int) -> float:
    best = None
    for _ in range(runs):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        if p.returncode != 0:
            raise SystemExit(f"{' '.join(cmd[3:])} failed: {p.stdout[-400:]}{p.stderr[-400:]}")
        t = r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
        best = t if best is None else min(best, t)
    return best


def deep_outcome(tree: str, depth: int) -> str:
    p = subprocess.run([sys.executable, "-c", DEEP, tree, str(depth)], capture_output=True,
                       text=True)
    if p.returncode < 0:
        return f"killed by {signal.Signals(-p.returncode).name}"
    return (p.stdout.strip() or p.stderr.strip()[-200:]) + f" (exit {p.returncode})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", action="append", choices=(*CASES, "deep"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-valgrind", action="store_true", help="CPU times only")
    args = ap.parse_args()
    count = not args.no_valgrind and ensure(["valgrind"], lambda: have("valgrind"))
    with tempfile.TemporaryDirectory(prefix="pv-compiled-bench-") as d:
        trees = {"compiled": copy_checkout(os.path.join(d, "compiled")),
                 "pure": copy_checkout(os.path.join(d, "pure"))}
        build(trees["compiled"], d)
        for case in args.case or (*CASES, "deep"):
            if case == "deep":
                print("deep  fv of a term nested 3,000,000 deep: " + "   ".join(
                    f"{form}: {deep_outcome(tree, 3_000_000)}" for form, tree in trees.items()),
                    flush=True)
                continue
            row = {}
            for form, tree in trees.items():
                env = {**os.environ, "PYTHONHASHSEED": "0",
                       "PV_CACHE_DIR": os.path.join(d, f"cache-{form}")}
                pv = pv_command(tree)
                if case == "warm":          # fill the cache
                    subprocess.run(pv + CASES[case], cwd=tree, env=env, capture_output=True,
                                   check=True)
                row[form] = (cpu(pv + CASES[case], tree, env, args.runs),
                             instructions(pv + CASES[case], env, tree) if count else None)
            (tc, ic), (tp, ip) = row["compiled"], row["pure"]
            line = (f"{case:5} CPU (min of {args.runs}): compiled {tc * 1000:6.0f} ms  "
                    f"pure {tp * 1000:6.0f} ms  pure/compiled ×{tp / tc:.2f}")
            if count:
                line += (f"   instructions: compiled {ic / 1e6:6.0f} M  pure {ip / 1e6:6.0f} M"
                         f"  ×{ip / ic:.2f}")
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
