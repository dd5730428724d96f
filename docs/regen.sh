#!/usr/bin/env bash
# Regenerate the generated parts of the docs and editor grammar.
set -euo pipefail
cd "$(dirname "$0")/.."
python - <<'PY'
import subprocess, sys
doc = open("docs/kernel.md", encoding="utf-8").read()
i = doc.index("| rule |")
table = subprocess.run([sys.executable, "-m", "driver.cli", "rules", "--markdown"],
                       capture_output=True, text=True, check=True).stdout
open("docs/kernel.md", "w", encoding="utf-8").write(doc[:i] + table)
PY
python - <<'PY'
import subprocess, sys
doc = open("docs/tactics.md", encoding="utf-8").read()
i = doc.index("| tactic |")
table = subprocess.run([sys.executable, "-m", "driver.cli", "tactics", "--markdown"],
                       capture_output=True, text=True, check=True).stdout
open("docs/tactics.md", "w", encoding="utf-8").write(doc[:i] + table)
PY
python editors/vscode/gen_grammar.py
