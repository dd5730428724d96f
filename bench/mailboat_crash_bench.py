"""Benchmark: kill -9 mailboat-server N times (default 25) at random moments under concurrent SMTP
deliveries, restarting it each time (and killing every fourth start-up as well, during or just
after Recover); then check that every message whose DATA was acknowledged is in its mailbox
exactly once and whole, and that the spool is empty after recovery.  Prints the counts; exits 1
if the check fails (a correctness check, never a timed assertion).

    python bench/mailboat_crash_bench.py [--rounds N] [--clients C] [--dir DIR]
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tests.go_env import toolchain_env  # noqa: E402
from tests.mailboat_server import build, crash_rounds  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=25)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--dir", default="/dev/shm" if os.path.isdir("/dev/shm") else None,
                    help="where the mail directory goes (default: tmpfs)")
    args = ap.parse_args()
    if args.rounds < 20:
        print("note: the issue asks for at least 20 rounds", file=sys.stderr)
    work = tempfile.mkdtemp(prefix="mailboat-crash-", dir=args.dir)
    try:
        exe = build(work, toolchain_env())
        t0 = time.time()
        try:
            stats = crash_rounds(exe, os.path.join(work, "mail"), rounds=args.rounds,
                                 clients=args.clients)
        except AssertionError as e:
            print(f"FAILED: {e}")
            sys.exit(1)
        print(f"{stats['rounds']} kill -9 rounds in {time.time() - t0:.1f} s, "
              f"{args.clients} SMTP clients: {stats['attempted']} deliveries attempted, "
              f"{stats['acknowledged']} acknowledged, {stats['stored']} stored "
              f"({stats['unacknowledged_stored']} stored but cut off before their 250)")
        print("every acknowledged message is in its mailbox exactly once and whole; "
              "the spool is empty after recovery")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
