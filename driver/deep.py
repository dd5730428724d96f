"""Running pv's recursive walks on a thread with a deep stack."""
from __future__ import annotations

import sys

# Statements, derivations and programs are trees the kernel, the tactics and the printer walk
# recursively; realistic inputs (hundreds of ∗-conjuncts, proofs of thousands of steps) nest
# deeper than Python's default limit of 1000 frames.  They run on a thread with a big stack and
# a recursion limit to match (only address space is reserved; the pages are used on demand).
DEEP_STACK = 1024 * 1024 * 1024
DEEP_RECURSION = 400_000


def deep(fn, *args):
    """``fn(*args)`` on a thread with a deep stack; its result or its exception."""
    import threading
    out = {}

    def run():
        try:
            out["value"] = fn(*args)
        except BaseException as e:      # handed to the caller's thread
            out["error"] = e
    old_limit = sys.getrecursionlimit()
    old_size = threading.stack_size(DEEP_STACK)
    try:
        sys.setrecursionlimit(max(old_limit, DEEP_RECURSION))
        t = threading.Thread(target=run, name="pv-deep", daemon=True)
        t.start()
    finally:
        threading.stack_size(old_size)
    try:
        t.join()
    finally:
        sys.setrecursionlimit(old_limit)
    if "error" in out:
        raise out["error"]
    return out["value"]
