"""The Go toolchain as the judge of whether a package is Go at all.

A proof about a program gc does not compile is a proof about nothing, and the translator's
own checks (names, types, constants, literals, ...) follow gc's only as far as the model
needs.  So ``pv goose`` also compiles the files it translated with ``go build -o /dev/null
FILES`` (gc's type check and code generation; nothing is written, the build cache makes a
repeat fast) and refuses the package with gc's first message.  Offline: ``GOPROXY=off`` (a
missing module is an error, never a download) and ``GOTOOLCHAIN=local``; the build runs in
the package's directory, so a ``go.mod`` above it resolves the imports as ``go build`` there
would.  Without ``go`` on PATH the check is skipped with a note.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile

from .errors import GooseError

TIMEOUT = 300      # seconds (a case study's first build takes about 0.6 s, a repeat 0.15 s)

# gc's located messages: "./p.go:3:13: ...", "p.go:3:13: ...", "/abs/p.go:3:13: ..."
_LOCATED = re.compile(r"^(\S+?\.go):(\d+):(\d+): (.*)$")


def go_env() -> dict:
    env = dict(os.environ, GOPROXY="off", GOTOOLCHAIN="local")
    if not env.get("HOME") and not env.get("GOCACHE"):
        env["GOCACHE"] = os.path.join(tempfile.gettempdir(), "pv-go-cache")
    return env


def go_check(files: list) -> str | None:
    """Compile the Go files of one package (the display paths `go_files` gave).  None if gc
    accepts them; a note if the check could not run; raises `GooseError` located at gc's
    first message if gc rejects them."""
    go = shutil.which("go")
    if go is None:
        return "the Go toolchain (go) is not on PATH: the check that gc compiles the " \
               "package was skipped"
    cwd = os.path.dirname(os.path.abspath(files[0]))
    names = [os.path.basename(f) for f in files]
    try:
        p = subprocess.run([go, "build", "-o", os.devnull, *names], cwd=cwd, env=go_env(),
                           capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return f"go build did not finish in {TIMEOUT} s: the check that gc compiles the " \
               "package was skipped"
    except OSError as e:
        return f"cannot run go ({e.strerror}): the check that gc compiles the package was " \
               "skipped"
    if p.returncode == 0:
        return None
    raise rejection(files, cwd, p.stdout + p.stderr)


def rejection(files, cwd, output) -> GooseError:
    """gc's first message as a located error, its path the one the user gave."""
    shown = {os.path.abspath(f): f for f in files}
    lines = [ln for ln in output.splitlines() if ln.strip() and not ln.startswith("#")]
    for ln in lines:
        m = _LOCATED.match(ln)
        if m:
            path = os.path.abspath(os.path.join(cwd, m.group(1)))
            return GooseError(shown.get(path, path), int(m.group(2)), int(m.group(3)),
                              f"{m.group(4)} (go build rejects the package)")
    first = lines[0] if lines else "go build failed"
    return GooseError(files[0], 1, 1, f"go build rejects the package: {first}")
