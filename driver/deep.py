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
    """``fn(*args)`` on a thread with a deep stack; its result or its exception.  Ctrl-C while
    it runs interrupts ``fn`` itself (the KeyboardInterrupt is raised in its thread, as it
    would be on the main thread, and then here), so an interactive step can still be stopped."""
    import threading
    out, done = {}, threading.Event()

    def run():
        try:
            out["value"] = fn(*args)
        except BaseException as e:      # handed to the caller's thread
            out["error"] = e
        finally:
            done.set()
    old_limit = sys.getrecursionlimit()
    old_size = threading.stack_size(DEEP_STACK)
    try:
        sys.setrecursionlimit(max(old_limit, DEEP_RECURSION))
        t = threading.Thread(target=run, name="pv-deep", daemon=True)
        t.start()
    finally:
        threading.stack_size(old_size)
    try:
        while True:     # (an Event: a join interrupted by Ctrl-C can lose track of the thread)
            try:
                while not done.wait(0.1) and t.is_alive():
                    pass
                break
            except KeyboardInterrupt:
                _interrupt(t)
    finally:
        sys.setrecursionlimit(old_limit)
    if "error" in out:
        raise out["error"]
    if "value" not in out:          # interrupted while it was finishing
        raise KeyboardInterrupt
    return out["value"]


def _interrupt(t) -> None:
    """Raise KeyboardInterrupt in thread ``t`` (CPython's asynchronous exceptions: it arrives
    between two bytecodes, exactly like a Ctrl-C on the main thread)."""
    import ctypes
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(t.ident),
                                               ctypes.py_object(KeyboardInterrupt))
