"""Size of the trusted kernel: non-blank, non-comment lines per module and per part (not a
test; docstrings count as code).

Usage: python bench/kernel_size.py

Parts: the pure checker (kernel/pure.py, kernel/sorts.py), crash reasoning (kernel/crash.py plus the spec,
lease and crash-theorem code elsewhere in the kernel), and the rest.  The ceiling is 2,800
lines for the kernel with its pure decision procedure and Theorem 2; docs/kernel.md says where
they go.
"""
from __future__ import annotations

import ast
import pathlib

KERNEL = pathlib.Path(__file__).resolve().parent.parent / "kernel"
# functions outside crash.py that belong to crash reasoning
CRASH_FUNCS = {"define_spec", "define_spec_op", "define_spec_crash", "define_spec_init",
               "prove_crash", "admit_crash", "_spec_atoms", "r_spec_step", "r_spec_crash",
               "r_spec_era", "r_source_era", "_master_lease", "r_lease_agree",
               "r_wp_ghost_update"}
CEILING = 2800


def nonblank(lines) -> int:
    return sum(1 for line in lines if line.strip() and not line.strip().startswith("#"))


def main() -> None:
    parts = {"pure checker": 0, "crash reasoning": 0, "the rest": 0}
    total = 0
    for path in sorted(KERNEL.glob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        n = nonblank(lines)
        total += n
        print(f"{path.name:12} {n:5}")
        if path.name in ("pure.py", "sorts.py"):
            parts["pure checker"] += n
            continue
        if path.name == "crash.py":
            parts["crash reasoning"] += n
            continue
        crash = 0
        for node in ast.walk(ast.parse("\n".join(lines))):
            if isinstance(node, ast.FunctionDef) and node.name in CRASH_FUNCS:
                first = min([node.lineno] + [d.lineno for d in node.decorator_list])
                crash += nonblank(lines[first - 1:node.end_lineno])
        parts["crash reasoning"] += crash
        parts["the rest"] += n - crash
    print(f"{'total':12} {total:5}   ceiling {CEILING}, {100 * total / CEILING:.0f}% of it")
    for name, n in parts.items():
        print(f"  {name:16} {n:5}  ({100 * n / total:.0f}%)")


if __name__ == "__main__":
    main()
