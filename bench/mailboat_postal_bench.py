"""Benchmark: mailboat-server over loopback under Debian's `postal` (SMTP) and `rabid` (POP3,
ships with postal), printing messages/s; installs the `postal` package with apt-get when it is
missing.  The mail directory is on tmpfs.  Not a test: nothing is asserted.

Messages/s are counted on the server's side, from the mailbox directories: files added during
the SMTP window (postal), files removed during the POP3 window (rabid downloads every message of
a random user and deletes it).  One postal process sends at most 24,000 messages a minute here
(its -r rate tops out there: it sends a burst, then waits out each 5-second slot), so the
benchmark runs several postal processes side by side.

    python bench/mailboat_postal_bench.py [--seconds S] [--postals P] [--threads T]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

sys.path.insert(0, os.path.join(ROOT, "bench"))
import debian  # noqa: E402
from tests.go_env import toolchain_env  # noqa: E402
from tests.mailboat_server import Server, build  # noqa: E402

USERS = 100


def ensure_postal():
    if not debian.ensure(["postal"], lambda: debian.have("postal", "rabid")):
        raise SystemExit("postal and rabid are needed (Debian package postal)")


def stored(mail_dir: str) -> int:
    return sum(len(os.listdir(os.path.join(mail_dir, f"user{u}"))) for u in range(USERS))


def window(procs, mail_dir: str, warmup: float, seconds: float) -> tuple[float, int]:
    """Messages/s over `seconds` after `warmup`, from the change of the stored count."""
    time.sleep(warmup)
    for p in procs:
        if p.poll() is not None:
            raise SystemExit(f"{p.args[0]} exited early: {p.stdout.read()}")
    before, t0 = stored(mail_dir), time.time()
    time.sleep(seconds)
    after, t1 = stored(mail_dir), time.time()
    for p in procs:
        p.kill()
        p.wait()
    return abs(after - before) / (t1 - t0), after


def drain(procs, mail_dir: str, start: int, seconds: float) -> tuple[float, int, float]:
    """Messages/s that `procs` take out of the mailboxes, from their start until 90% of the
    `start` messages are gone or `seconds` have passed (the last users left are found ever
    more slowly by rabid's random choice)."""
    t0 = time.time()
    left = start
    while time.time() - t0 < seconds and left > start // 10:
        time.sleep(0.05)
        left = stored(mail_dir)
    spent = time.time() - t0
    for p in procs:
        p.kill()
        p.wait()
    return (start - left) / spent, start - left, spent


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=20.0, help="measuring window per tool")
    ap.add_argument("--postals", type=int, default=8, help="postal processes side by side")
    ap.add_argument("--threads", type=int, default=2, help="threads per postal process")
    ap.add_argument("--rabids", type=int, default=4, help="rabid processes")
    args = ap.parse_args()
    ensure_postal()
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    work = tempfile.mkdtemp(prefix="mailboat-postal-", dir=shm)
    try:
        exe = build(work, toolchain_env())
        users = os.path.join(work, "users")
        with open(users, "w") as f:
            f.writelines(f"user{u}@example.com pw{u}\n" for u in range(USERS))
        mail = os.path.join(work, "mail")
        server = Server(exe, mail)
        try:
            smtp = "[%s]%d" % server.smtp_addr
            # up to 100 messages per connection, bodies of 0..4 kB; postal and rabid write
            # their logs (postal.log, rabid.log) into the working directory: the scratch one
            postals = [subprocess.Popen(["postal", "-t", str(args.threads), "-c", "100",
                                         "-m", "4", smtp, users], stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, cwd=work)
                       for _ in range(args.postals)]
            smtp_rate, count = window(postals, mail, 5.0, args.seconds)
            print(f"SMTP, postal ({args.postals} processes x {args.threads} threads, 1-100 "
                  f"messages per connection, 0-4 kB bodies): {smtp_rate:,.0f} messages/s "
                  f"(cap of the postal processes: {args.postals * 400:,}/s)", flush=True)
            pop3 = "[%s]%d" % server.pop3_addr
            rabids = [subprocess.Popen(["rabid", "-p", "1", "-u", pop3, users],
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                       text=True, cwd=work) for _ in range(args.rabids)]
            pop_rate, taken, spent = drain(rabids, mail, count, args.seconds)
            print(f"POP3, rabid ({args.rabids} processes, every message of a random user "
                  f"retrieved and deleted): {pop_rate:,.0f} messages/s "
                  f"({taken:,} of {count:,} messages in {spent:.1f} s)")
        finally:
            server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
