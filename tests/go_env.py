"""The environment the tests run the Go toolchain in (offline, local toolchain, a cache even
without a home directory), or a skip where Go is not installed."""
import os
import shutil
import tempfile

import pytest


def toolchain_env() -> dict:
    """The environment alone (for the benchmarks, which need no pytest)."""
    env = dict(os.environ, GOPROXY="off", GOTOOLCHAIN="local", GOFLAGS="")
    if not env.get("HOME") and not env.get("GOCACHE"):
        env["GOCACHE"] = os.path.join(tempfile.gettempdir(), "pv-go-cache")
    return env


def go_env() -> dict:
    if shutil.which("go") is None:
        pytest.skip("the Go toolchain is not installed")
    return toolchain_env()
