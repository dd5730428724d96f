#!/usr/bin/env bash
# Tests of syntaxes/pv.tmLanguage.json in VS Code's TextMate engine: install the pinned
# vscode-textmate and vscode-oniguruma (npm ci from package-lock.json; npm install when there is
# no lock file), then run grammar.test.js (and extension.test.js, extension.js with `vscode`
# stubbed) with Node's built-in test runner.
# $PYTHON (default python3) runs expectations.py, which needs pv's Python packages and Pygments.
set -euo pipefail
cd "$(dirname "$0")"
export PYTHON="${PYTHON:-python3}"
if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
else
    npm install --no-audit --no-fund --loglevel=error
fi
exec node --test grammar.test.js extension.test.js
