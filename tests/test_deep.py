"""driver.deep: pv's recursive walks run on a thread with a deep stack, and Ctrl-C still stops
them (the interactive REPL relies on it)."""
import os
import signal
import threading
import time

import pytest

from driver.deep import deep


def test_deep_recursion_runs():
    def down(n):
        return 0 if n == 0 else 1 + down(n - 1)
    assert deep(down, 50_000) == 50_000


def test_an_exception_reaches_the_caller():
    def boom():
        raise ValueError("x")
    with pytest.raises(ValueError):
        deep(boom)


def test_ctrl_c_interrupts_the_running_function():
    state = {"stopped": False}

    def spin():
        try:
            while True:
                time.sleep(0.001)
        finally:
            state["stopped"] = True
    timer = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    t0 = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        deep(spin)
    assert state["stopped"] and time.monotonic() - t0 < 5
