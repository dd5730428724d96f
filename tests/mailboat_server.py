"""Builds `proofs/cmd/mailboat-server` with the Go toolchain and runs it on free loopback ports,
for the tests (tests/test_mailboat_server.py) and the crash benchmark; and the crash workload
itself: SMTP deliveries from several clients while the server is killed with SIGKILL and
restarted, then a check that every acknowledged message is in its mailbox exactly once, whole."""
from __future__ import annotations

import os
import random
import signal
import smtplib
import subprocess
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROOFS = os.path.join(ROOT, "proofs")


def build(out_dir: str, env: dict, package: str = "./cmd/mailboat-server") -> str:
    """`go build` the package into out_dir; returns the binary's path."""
    exe = os.path.join(out_dir, os.path.basename(package))
    subprocess.run(["go", "build", "-o", exe, package], cwd=PROOFS, env=env, check=True,
                   capture_output=True)
    return exe


class Server:
    """One server process on ports the kernel picks (-smtp/-pop3 127.0.0.1:0)."""

    def __init__(self, exe: str, mail_dir: str, *flags: str):
        self.exe, self.mail_dir, self.flags = exe, mail_dir, flags
        self.proc = None
        self.start()

    def start(self):
        self.proc = subprocess.Popen(
            [self.exe, "-dir", self.mail_dir, "-smtp", "127.0.0.1:0", "-pop3", "127.0.0.1:0",
             *self.flags], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        addrs = {}
        while len(addrs) < 2:
            line = self.proc.stdout.readline()
            if not line:
                err = self.proc.stderr.read()
                self.proc.wait()
                raise RuntimeError(f"mailboat-server did not start: {err}")
            name, addr = line.split()
            host, port = addr.rsplit(":", 1)
            addrs[name] = (host, int(port))
        self.smtp_addr, self.pop3_addr = addrs["smtp"], addrs["pop3"]

    def kill(self):
        """SIGKILL: no clean-up of any kind runs in the server."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc.stdout.close()
        self.proc.stderr.close()

    def smtp(self) -> smtplib.SMTP:
        return smtplib.SMTP(*self.smtp_addr, timeout=10)


def kill_during_start(exe: str, mail_dir: str, delay: float):
    """Start a server and SIGKILL it `delay` seconds later, ready or not."""
    p = subprocess.Popen([exe, "-dir", mail_dir, "-smtp", "127.0.0.1:0", "-pop3", "127.0.0.1:0"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    p.send_signal(signal.SIGKILL)
    p.wait()


def mailbox_files(mail_dir: str, user: int) -> dict[str, bytes]:
    """The message files of user's mailbox, read straight from the directory."""
    d = os.path.join(mail_dir, f"user{user}")
    out = {}
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), "rb") as f:
            out[name] = f.read()
    return out


def body_of(stored: bytes) -> bytes:
    """A stored message without the two trace lines (Return-Path, Received) the server adds."""
    lines = stored.split(b"\r\n", 2)
    assert lines[0].startswith(b"Return-Path: <") and lines[1].startswith(b"Received: from ")
    return lines[2]


def crash_message(client: int, seq: int) -> bytes:
    """A message whose every line names it, so a partial or mixed copy is recognisable."""
    rng = random.Random(client * 100003 + seq)
    n = rng.choice([1, 3, 40, 150, 400])  # up to ~30 kB: several 4096-byte chunks
    tag = f"client {client} message {seq}"
    lines = [f"Subject: {tag}", ""] + [f"{tag} line {i} " + "x" * rng.randrange(60)
                                         for i in range(n)] + [f"end of {tag}"]
    return ("\r\n".join(lines) + "\r\n").encode()


def crash_rounds(exe: str, mail_dir: str, rounds: int, clients: int = 4, users: int = 5,
                 min_wait: float = 0.05, max_wait: float = 0.4, seed: int = 1) -> dict:
    """Kill -9 the server `rounds` times at random moments under SMTP load from `clients`
    threads, restarting it each time (every fourth time a start-up is killed too, in the middle
    of Recover or just after); then check the mailboxes. Returns counts; raises
    AssertionError for a lost, duplicated or partial message or a non-empty spool."""
    rng = random.Random(seed)
    acked: dict[bytes, int] = {}  # message -> user, for every DATA that got its 250
    lock = threading.Lock()
    attempted = [0]
    stop = threading.Event()
    server = Server(exe, mail_dir)
    current = [server]

    def client(c: int):
        seq = 0
        while not stop.is_set():
            try:
                s = smtplib.SMTP(*current[0].smtp_addr, timeout=5)
                s.ehlo()
                while not stop.is_set():
                    seq += 1
                    msg = crash_message(c, seq)
                    user = (c + seq) % users
                    with lock:
                        attempted[0] += 1
                    s.sendmail(f"c{c}@load.test", [f"user{user}@mailboat.test"], msg)
                    with lock:
                        acked[msg] = user
            except (OSError, smtplib.SMTPException):
                time.sleep(0.005)  # the server is down: reconnect to the new one

    threads = [threading.Thread(target=client, args=(c,), daemon=True) for c in range(clients)]
    for t in threads:
        t.start()
    try:
        for r in range(rounds):
            time.sleep(rng.uniform(min_wait, max_wait))
            current[0].kill()
            if r % 4 == 3:  # now and then also in the middle of start-up (Recover)
                kill_during_start(exe, mail_dir, rng.uniform(0, 0.01))
            current[0] = Server(exe, mail_dir)  # Recover runs before it listens
        time.sleep(min_wait)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=20)
    current[0].kill()
    final = Server(exe, mail_dir)  # one more recovery, then read the mailboxes from disk
    final.stop()

    seen: dict[bytes, int] = {}
    for u in range(users):
        for name, stored in mailbox_files(mail_dir, u).items():
            body = body_of(stored)
            tag = body.split(b"\r\n", 1)[0][len(b"Subject: "):].decode()
            c, seq = int(tag.split()[1]), int(tag.split()[3])
            assert body == crash_message(c, seq), f"user{u}/{name}: a partial or mixed message"
            assert (c + seq) % users == u, f"user{u}/{name}: in the wrong mailbox"
            seen[body] = seen.get(body, 0) + 1
    for msg, u in acked.items():
        assert seen.get(msg, 0) >= 1, f"acknowledged message lost: {msg[:40]!r}"
    dups = [m for m, k in seen.items() if k > 1]
    assert not dups, f"{len(dups)} messages delivered twice, e.g. {dups[0][:40]!r}"
    spool = os.listdir(os.path.join(mail_dir, "spool"))
    assert spool == [], f"spool not empty after recovery: {spool[:5]}"
    return {"rounds": rounds, "attempted": attempted[0], "acknowledged": len(acked),
            "stored": len(seen), "unacknowledged_stored": len(seen) - len(acked)}
