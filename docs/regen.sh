#!/usr/bin/env bash
# Regenerate the generated parts of the docs (tables of kernel rules and tactics), the VS Code
# grammar, the parser's shipped tables and the parsed semantics axioms.  Tests fail when any of them is out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m seplogic.parser --write-tables   # first: everything else parses
python -m theories.shipped --write         # the semantics axioms, parsed
python - <<'PY'
import subprocess, sys

def regen(doc, marker, *command):
    """Replace everything from the table's header line on by the command's output."""
    text = open(doc, encoding="utf-8").read()
    table = subprocess.run([sys.executable, "-m", "driver.cli", *command],
                           capture_output=True, text=True, check=True).stdout
    open(doc, "w", encoding="utf-8").write(text[:text.index(marker)] + table)

regen("docs/kernel.md", "| rule |", "rules", "--markdown")
regen("docs/tactics.md", "| tactic |", "tactics", "--markdown")
PY
python editors/vscode/gen_grammar.py
