"""mailboat-server (proofs/cmd/mailboat-server) with real clients: Python's smtplib delivers
and poplib fetches, against a server this test builds with `go build` and starts on free
loopback ports; raw sockets send what those clients never would.  Skipped only without Go."""
from __future__ import annotations

import os
import poplib
import smtplib
import socket
import subprocess
import threading

import pytest

from tests.go_env import go_env
from tests.mailboat_server import Server, body_of, build, crash_rounds, mailbox_files


@pytest.fixture(scope="module")
def exe(tmp_path_factory):
    return build(str(tmp_path_factory.mktemp("bin")), go_env())


@pytest.fixture
def server(exe, tmp_path):
    s = Server(exe, str(tmp_path / "mail"))
    yield s
    s.stop()


def pop(server, user="user1", password="any") -> poplib.POP3:
    p = poplib.POP3(*server.pop3_addr, timeout=10)
    p.user(user)
    p.pass_(password)
    return p


def fetch_all(server, user="user1", delete=False) -> list[bytes]:
    p = pop(server, user)
    out = []
    for i in range(1, p.stat()[0] + 1):
        out.append(b"\r\n".join(p.retr(i)[1]) + b"\r\n")
        if delete:
            p.dele(i)
    p.quit()
    return out


class Raw:
    """A hand-driven connection: send a line, read one reply (multi-line SMTP replies whole)."""

    def __init__(self, addr):
        self.s = socket.create_connection(addr, timeout=10)
        self.f = self.s.makefile("rb")
        self.greeting = self.f.readline()

    def cmd(self, line: bytes) -> bytes:
        self.s.sendall(line + b"\r\n")
        return self.reply()

    def reply(self) -> bytes:
        out = self.f.readline()
        while out[3:4] == b"-" and out[:1].isdigit():
            out = self.f.readline()
        return out

    def close(self):
        self.f.close()
        self.s.close()


MULTI = ("Subject: multi\r\nFrom: a@example.org\r\n\r\nfirst line\r\n\r\n  indented\r\n"
         "last line\r\n")


def test_multiline_message_round_trip(server):
    with server.smtp() as s:
        assert s.ehlo()[0] == 250
        assert s.sendmail("a@example.org", ["user1@mailboat.test"], MULTI) == {}
    [got] = fetch_all(server)
    assert body_of(got) == MULTI.encode()
    assert got.startswith(b"Return-Path: <a@example.org>\r\nReceived: from ")


def test_dot_stuffing_both_ways(server):
    text = "Subject: dots\r\n\r\n.\r\n..\r\n.hidden\r\nmiddle . dot\r\n...\r\n"
    with server.smtp() as s:
        s.sendmail("a@b.org", ["user1@x.org"], text)  # smtplib stuffs the leading dots
    [stored] = mailbox_files(server.mail_dir, 1).values()
    assert body_of(stored) == text.encode()  # stored unstuffed
    [got] = fetch_all(server)  # poplib unstuffs what RETR stuffed
    assert body_of(got) == text.encode()


def test_large_messages(server):
    big = "".join(f"line {i:05d} " + "y" * (i % 97) + "\r\n" for i in range(800))
    assert len(big) > 4 * 4096
    exact = ("z" * 62 + "\r\n") * 64  # 4096 bytes: one whole chunk
    with server.smtp() as s:
        for m in (big, exact):
            s.sendmail("a@b.org", ["user1@x.org"], m)
    got = sorted(body_of(m) for m in fetch_all(server))
    assert got == sorted([big.encode(), exact.encode()])
    p = pop(server)
    sizes = sorted(int(x.split()[1]) for x in p.list()[1])
    assert sizes == sorted(len(m) for m in mailbox_files(server.mail_dir, 1).values())
    p.quit()


def test_recipients_and_addresses(server):
    with server.smtp() as s:
        s.ehlo()
        assert s.mail("<>")[0] == 250  # the null reverse-path
        assert s.rcpt("user2@example.org")[0] == 250
        assert s.rcpt("USER3@other.test")[0] == 250
        assert s.rcpt("user2@again.test")[0] == 250  # the same mailbox: one copy
        assert s.rcpt("user100@x.org")[0] == 550  # no such user
        assert s.rcpt("user01@x.org")[0] == 550
        assert s.rcpt("nobody@x.org")[0] == 550
        assert s.rcpt("<postmaster>")[0] == 250  # user0
        code, _ = s.docmd("RCPT TO:<user2@bad domain>")
        assert code == 501
        code, _ = s.docmd("RCPT TO:user2@x.org")  # no angle brackets
        assert code == 501
        assert s.data("Subject: r\r\n\r\nbody\r\n")[0] == 250
    for u in (0, 2, 3):
        assert len(mailbox_files(server.mail_dir, u)) == 1
    assert mailbox_files(server.mail_dir, 1) == {}


def test_bad_smtp_input(server):
    r = Raw(server.smtp_addr)
    assert r.greeting.startswith(b"220 ")
    assert r.cmd(b"MAIL FROM:<a@b.org>").startswith(b"503")  # no HELO yet
    assert r.cmd(b"EHLO client.test").startswith(b"250 ")
    assert r.cmd(b"DATA").startswith(b"503")  # no MAIL
    assert r.cmd(b"MAIL FROM:<a@b.org>").startswith(b"250")
    assert r.cmd(b"MAIL FROM:<a@b.org>").startswith(b"503")  # nested
    assert r.cmd(b"DATA").startswith(b"554")  # no RCPT
    assert r.cmd(b"RCPT TO:<user1@x.org> NOTIFY=NEVER").startswith(b"555")
    assert r.cmd(b"garbage that is no command").startswith(b"500")
    assert r.cmd(b"\x01\x02\xff binary").startswith(b"500")
    assert r.cmd(b"X" * 10000).startswith(b"500")  # longer than -max-line
    assert r.cmd(b"").startswith(b"500")
    assert r.cmd(b"MAIL FROM:<a@@b>").startswith(b"503")  # still in the transaction
    assert r.cmd(b"RSET").startswith(b"250")
    assert r.cmd(b"MAIL FROM:<a@@b>").startswith(b"501")
    assert r.cmd(b"MAIL FROM:<a@b.org> SIZE=99999999999").startswith(b"552")
    assert r.cmd(b"NOOP").startswith(b"250")
    assert r.cmd(b"QUIT").startswith(b"221")
    r.close()
    assert mailbox_files(server.mail_dir, 1) == {}


def test_too_many_errors_end_the_session(server):
    r = Raw(server.smtp_addr)
    replies = [r.cmd(b"BOGUS") for _ in range(20)]
    assert replies[-1].startswith(b"421") and all(x.startswith(b"500") for x in replies[:-1])
    assert r.f.readline() == b""  # closed
    r.close()


def test_disconnect_in_data_delivers_nothing(server):
    r = Raw(server.smtp_addr)
    r.cmd(b"HELO c")
    r.cmd(b"MAIL FROM:<a@b.org>")
    assert r.cmd(b"RCPT TO:<user1@x.org>").startswith(b"250")
    assert r.cmd(b"DATA").startswith(b"354")
    r.s.sendall(b"Subject: cut\r\n\r\n" + b"partial line\r\n" * 2000 + b"no end")
    r.close()
    with server.smtp() as s:  # the server lives on; a later message is fine
        s.sendmail("a@b.org", ["user1@x.org"], "Subject: after\r\n\r\nwhole\r\n")
    [got] = fetch_all(server)
    assert body_of(got) == b"Subject: after\r\n\r\nwhole\r\n"
    assert os.listdir(os.path.join(server.mail_dir, "spool")) == []


def test_message_size_limit(exe, tmp_path):
    s = Server(exe, str(tmp_path / "mail"), "-max-message", "1000")
    try:
        big = "x" * 900 + "\r\n" + "y" * 900 + "\r\n"
        with s.smtp() as c:  # ESMTP: smtplib declares SIZE, refused at MAIL
            with pytest.raises(smtplib.SMTPSenderRefused) as e:
                c.sendmail("a@b.org", ["user1@x.org"], big)
            assert e.value.smtp_code == 552
        with s.smtp() as c:  # plain HELO: no SIZE, refused after DATA
            c.helo()
            with pytest.raises(smtplib.SMTPDataError) as e:
                c.sendmail("a@b.org", ["user1@x.org"], big)
            assert e.value.smtp_code == 552
            assert c.sendmail("a@b.org", ["user1@x.org"], "small\r\n") == {}
        assert [body_of(m) for m in mailbox_files(s.mail_dir, 1).values()] == [b"small\r\n"]
    finally:
        s.stop()


def test_pop3_commands(server):
    with server.smtp() as s:
        for i in range(3):
            s.sendmail("a@b.org", ["user1@x.org"], f"Subject: m{i}\r\n\r\nbody {i}\r\nmore\r\n")
    p = pop(server)
    assert p.stat()[0] == 3
    uidl = p.uidl()[1]
    ids = [x.split()[1] for x in uidl]
    assert sorted(ids) == sorted(n.encode() for n in mailbox_files(server.mail_dir, 1))
    assert p.uidl(2).split()[2] == ids[1]
    assert p.list(3).startswith(b"+OK 3 ")
    top = p.top(1, 1)[1]
    [subject] = [x for x in top if x.startswith(b"Subject: m")]
    assert top[-2:] == [b"", b"body " + subject[-1:]]  # header, blank line, one body line
    p.dele(1)
    with pytest.raises(poplib.error_proto):
        p.retr(1)  # deleted
    with pytest.raises(poplib.error_proto):
        p.retr(9)
    assert p.stat()[0] == 2
    p.rset()
    assert p.stat()[0] == 3
    assert p.noop().startswith(b"+OK")
    p.dele(2)
    p.quit()  # UPDATE: message 2 goes
    assert len(mailbox_files(server.mail_dir, 1)) == 2
    p = pop(server)
    p.dele(1)
    p.close()  # dropped without QUIT: nothing is deleted, the lock is released
    p = pop(server)
    assert p.stat()[0] == 2
    p.quit()


def test_bad_pop3_input(server):
    r = Raw(server.pop3_addr)
    assert r.greeting.startswith(b"+OK")
    assert r.cmd(b"STAT").startswith(b"-ERR")  # not logged in
    assert r.cmd(b"PASS x").startswith(b"-ERR")  # no USER
    assert r.cmd(b"USER nobody").startswith(b"-ERR")
    assert r.cmd(b"USER user100").startswith(b"-ERR")
    assert r.cmd(b"\xff\xfe").startswith(b"-ERR")
    assert r.cmd(b"Y" * 10000).startswith(b"-ERR")
    assert r.cmd(b"USER user1").startswith(b"+OK")
    assert r.cmd(b"PASS whatever").startswith(b"+OK")
    assert r.cmd(b"RETR x").startswith(b"-ERR")
    assert r.cmd(b"DELE 0").startswith(b"-ERR")
    assert r.cmd(b"USER user2").startswith(b"-ERR")
    assert r.cmd(b"FROB").startswith(b"-ERR")
    assert r.cmd(b"QUIT").startswith(b"+OK")
    r.close()


def test_passwords_file(exe, tmp_path):
    pw = tmp_path / "pw"
    pw.write_text("# users\nuser1 s3cret word\nuser2 other\n")
    s = Server(exe, str(tmp_path / "mail"), "-passwords", str(pw))
    try:
        with pytest.raises(poplib.error_proto, match="AUTH"):
            pop(s, "user1", "wrong")
        with pytest.raises(poplib.error_proto):
            pop(s, "user3", "s3cret word")  # no password for user3
        p = pop(s, "user1", "s3cret word")
        assert p.stat() == (0, 0)
        p.quit()
    finally:
        s.stop()


@pytest.mark.parametrize("text, where", [("user1 a\nuser1 b\n", ":2:1: error: a second"),
                                         ("user1\n", ":1:6: error: no password"),
                                         ("bob pw\n", ":1:1: error: unknown user")])
def test_bad_passwords_file(exe, tmp_path, text, where):
    pw = tmp_path / "pw"
    pw.write_text(text)
    r = subprocess.run([exe, "-dir", str(tmp_path / "m"), "-passwords", str(pw)],
                       capture_output=True, text=True, timeout=10)
    assert r.returncode == 2 and f"{pw}{where}" in r.stderr and "panic" not in r.stderr


@pytest.mark.parametrize("args, msg", [(["-smtp", "0.0.0.0:0"], "not a loopback address"),
                                       (["-users", "0"], "-users must be"),
                                       (["-pop3", "nonsense"], "error:"),
                                       ([], "-dir is required")])
def test_bad_flags(exe, tmp_path, args, msg):
    full = args if args == [] else ["-dir", str(tmp_path / "m"), *args]
    r = subprocess.run([exe, *full], capture_output=True, text=True, timeout=10)
    assert r.returncode == 2 and msg in r.stderr and "panic" not in r.stderr


def test_users_flag(exe, tmp_path):
    s = Server(exe, str(tmp_path / "mail"), "-users", "3")
    try:
        with s.smtp() as c:
            c.ehlo()
            c.mail("<a@b.org>")
            assert c.rcpt("user2@x.org")[0] == 250
            assert c.rcpt("user3@x.org")[0] == 550
    finally:
        s.stop()


def test_concurrent_sessions_for_one_user(server):
    """Several SMTP clients deliver to user1 at once while POP3 sessions come and go: a second
    session for the user is refused while one holds the maildrop; every message arrives once."""
    n_clients, per_client = 4, 15
    errors = []

    def send(c):
        try:
            with server.smtp() as s:
                for i in range(per_client):
                    s.sendmail("a@b.org", ["user1@x.org"],
                               f"Subject: c{c} m{i}\r\n\r\n" + f"client {c} message {i}\r\n" * 50)
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=send, args=(c,)) for c in range(n_clients)]
    for t in threads:
        t.start()
    fetched = []
    first = pop(server)
    with pytest.raises(poplib.error_proto, match="IN-USE"):
        pop(server)
    first.quit()
    while any(t.is_alive() for t in threads):
        fetched += fetch_all(server, delete=True)
    for t in threads:
        t.join()
    fetched += fetch_all(server, delete=True)
    assert not errors
    subjects = sorted(body_of(m).split(b"\r\n", 1)[0] for m in fetched)
    assert subjects == sorted(f"Subject: c{c} m{i}".encode()
                              for c in range(n_clients) for i in range(per_client))
    for m in fetched:
        head, body = body_of(m).split(b"\r\n\r\n", 1)
        c, i = head.decode().split()[1:]
        assert body == f"client {c[1:]} message {i[1:]}\r\n".encode() * 50


def test_restart_recovers(exe, tmp_path):
    mail = tmp_path / "mail"
    s = Server(exe, str(mail))
    with s.smtp() as c:
        c.sendmail("a@b.org", ["user4@x.org"], "Subject: kept\r\n\r\nkept\r\n")
    s.kill()
    (mail / "spool" / "123").write_bytes(b"a delivery cut short")
    s = Server(exe, str(mail))
    try:
        assert os.listdir(mail / "spool") == []
        assert [body_of(m) for m in fetch_all(s, "user4")] == [b"Subject: kept\r\n\r\nkept\r\n"]
    finally:
        s.stop()


def test_kill_9_under_load(exe, tmp_path):
    """A few SIGKILL rounds under concurrent SMTP load (bench/mailboat_crash_bench.py runs
    more): every acknowledged message is stored once and whole, and the spool is empty."""
    stats = crash_rounds(exe, str(tmp_path / "mail"), rounds=4, clients=3)
    assert stats["acknowledged"] > 0
