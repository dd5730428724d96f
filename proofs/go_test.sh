#!/usr/bin/env bash
# Vets and tests the Go module in proofs/ (the gooseable case studies and
# their primitive libraries). Installs Debian's golang-go if `go` is missing.
# Works from any directory; exits non-zero if anything fails.
# Set PV_GO_RACE=1 to also run every test under the race detector (needs gcc);
# without it only the concurrent file-system packages are.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v go >/dev/null 2>&1; then
    echo "go_test.sh: installing golang-go" >&2
    sudo=""
    if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
        sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq golang-go >/dev/null
fi

# Standard library only: never reach for a module proxy or a newer toolchain.
export GOPROXY=off GOTOOLCHAIN=local
# The build cache needs a home; CI may run without $HOME.
if [ -z "${HOME:-}" ] && [ -z "${GOCACHE:-}" ]; then
    export GOCACHE="${TMPDIR:-/tmp}/pv-go-cache"
fi

cd "$here"
go version
go vet ./...
go test -count=1 ./...
if [ "${PV_GO_RACE:-}" = 1 ]; then
    go test -count=1 -race ./...
elif [ "$(go env CGO_ENABLED)" = 1 ] && command -v "$(go env CC)" >/dev/null 2>&1; then
    # The packages that run file-system calls in parallel always go under the
    # race detector (a few seconds; it needs cgo and so a C compiler).
    go test -count=1 -race ./prim/filesys ./prim/rand ./mailboat ./cmd/...
fi
