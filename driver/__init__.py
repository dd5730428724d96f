"""pv's front end: loading `.pv` files, the command line, certificates.

This module is what the `pv` console script runs first, so it stays tiny: Python compiles it
from source on every start when bytecode may not be written (docs/performance.md).
"""
import os
import sys

__version__ = "0.1.0"      # setup.cfg reads it (version = attr: driver.__version__)


def bytecode_cache_dir() -> str:
    """Where pv keeps its own bytecode when ``PYTHONDONTWRITEBYTECODE`` (or ``-B``) forbids
    ``__pycache__`` directories in the source tree."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "pv", "pycache")


def use_bytecode_cache() -> None:
    """Without bytecode every run recompiles pv's sources (~45 ms).  Where writing it next to
    the sources is forbidden, compile into a cache pv owns (`sys.pycache_prefix`, keyed by the
    source's absolute path; Python revalidates each entry against the source's mtime and size),
    so the source tree stays clean and the second run starts warm.  ``PV_NO_BYTECODE_CACHE=1``
    turns this off; an explicit ``PYTHONPYCACHEPREFIX`` is respected."""
    if (sys.dont_write_bytecode and sys.pycache_prefix is None
            and not os.environ.get("PV_NO_BYTECODE_CACHE")):
        sys.pycache_prefix = bytecode_cache_dir()
        sys.dont_write_bytecode = False


def entry() -> None:
    """The `pv` console script."""
    if sys.argv[1:] == ["--version"]:          # answered before any other import
        print(f"pv {__version__}")
        sys.exit(0)
    use_bytecode_cache()
    from driver.cli import entry as cli_entry
    cli_entry()
