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
    would be on the main thread, and then here), so an interactive step can still be stopped.
    (The low-level `_thread`: importing `threading` is ~1.5 ms of every start.)"""
    import _thread
    out = {}
    done = _thread.allocate_lock()
    done.acquire()                  # released by the thread when fn has returned or raised

    def run():
        try:
            out["value"] = fn(*args)
        except BaseException as e:      # handed to the caller's thread
            out["error"] = e
        finally:
            done.release()
    old_limit = sys.getrecursionlimit()
    old_size = _thread.stack_size(DEEP_STACK)
    try:
        sys.setrecursionlimit(max(old_limit, DEEP_RECURSION))
        ident = _thread.start_new_thread(run, ())
    finally:
        _thread.stack_size(old_size)
    interrupted = False
    try:
        while True:     # (a timed wait: Ctrl-C reaches the main thread between two waits)
            try:
                # (after an interrupt: stop waiting if the thread ended without saying so --
                # the interrupt arrived as it was saying it; a running thread has a frame)
                while not done.acquire(timeout=0.1) and not (
                        interrupted and ident not in sys._current_frames()):
                    pass
                break
            except KeyboardInterrupt:
                interrupted = True
                _interrupt(ident)
    finally:
        sys.setrecursionlimit(old_limit)
    if "error" in out:
        raise out["error"]
    if "value" not in out:          # interrupted while it was finishing
        raise KeyboardInterrupt
    return out["value"]


def _interrupt(ident: int) -> None:
    """Raise KeyboardInterrupt in the thread ``ident`` (CPython's asynchronous exceptions: it
    arrives between two bytecodes, exactly like a Ctrl-C on the main thread)."""
    import ctypes
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident),
                                               ctypes.py_object(KeyboardInterrupt))
