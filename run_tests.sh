#!/usr/bin/env bash
# The whole test suite: Go case studies (go vet + go test; installs Debian's golang-go when
# missing) and the Python tests.  Used by README and .ci/run.
set -euo pipefail
cd "$(dirname "$0")"
bash proofs/go_test.sh
python -m pytest "$@"
