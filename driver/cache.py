"""The proof cache: derivations of theorems already proven, found again by a content hash, so
that an unchanged theorem skips its tactics -- never the kernel.

A cached derivation is only ever a *suggestion*.  On a hit the driver gives it to the kernel
against the statement the kernel is given now (`replay`); if the kernel rejects it (the entry
is stale, corrupt or hand-edited), the tactics run as if there were no cache.  So the key only
decides when a derivation is worth trying: a cache can make pv faster, never make it accept
something.  The one exception is opt-in: with ``trust`` (``pv check --trust-cache``) an entry
whose statement is the current one (and whose checksum is intact) is recorded without the
kernel (`ProofCache.trust_entry`), and the check reports those theorems as not re-checked.

Keys (`FileContext`) are per theorem, so editing one theorem reuses the others.  A theorem's
key hashes pv's own code (`code_digest`: the kernel, syntax, theories, tactics and driver
sources, and the version), the module name, the text of the commands before it in its file
(earlier theorems by their statements only: their proofs do not change what this one sees),
each file required before it by content (transitively), and its own text, proof included.

Using it: a `driver.load.Session` made with ``cache=ProofCache()`` uses it in every file it
loads.  A front end that runs a file's commands itself (the REPL, up to a line) gets the same
by ``ctx = session.file_context(path, text, commands)`` and then
``session.run_file_command(path, cmd, ctx, i)`` for each command ``i`` in order.

Entries live in ``$PV_CACHE_DIR``, else ``$XDG_CACHE_HOME/pv/proofs``, else
``~/.cache/pv/proofs``: one JSON file per key, written to a temporary file and renamed, so
concurrent runs never see half an entry.  A hit refreshes the entry's time; `prune` keeps the
directory under ``PV_CACHE_MAX_MB`` (default 200) by removing the least recently used.
"""
from __future__ import annotations

import json
import os

from kernel.core import UNCHECKED      # the mark of a theorem recorded without the kernel
from seplogic.digest import sha256     # hashlib's, without loading OpenSSL (~3 ms)

FORMAT = "pv-cache/2"      # 2: a derivation's arguments in one shared node table
_CODE_DIRS = ("kernel", "seplogic", "theories", "tactics", "driver")
_code_digest = None
_code_exact = False


def cache_dir() -> str:
    """Where the proof cache lives (the directory need not exist yet)."""
    if os.environ.get("PV_CACHE_DIR"):
        return os.environ["PV_CACHE_DIR"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "pv", "proofs")


def code_digest(exact: bool = False) -> str:
    """A digest of everything of pv a theorem's result depends on: its version and the sources
    (and shipped tables) of the packages below the REPL.  Computed once per process.

    Reading and hashing the ~0.9 MB of sources was ~2 ms of every start: the digest is kept
    in the cache directory (`_MEMO`) under a fingerprint of the files' names, sizes and
    modification times (what Python checks its bytecode against), and computed again when
    any of them changes.  A stale digest would only make pv try derivations the kernel then
    re-checks -- except with ``--trust-cache``, which asks for the ``exact`` digest: always
    read from the sources."""
    global _code_digest, _code_exact
    if _code_digest is None or exact and not _code_exact:
        from driver import __version__
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        files = []
        for d in _CODE_DIRS:
            for top, dirs, names in os.walk(os.path.join(root, d)):
                dirs[:] = sorted(x for x in dirs if x != "__pycache__")
                files += [os.path.join(top, n) for n in sorted(names)
                          if n.endswith((".py", ".json", ".lark"))]
        head = f"{FORMAT}\0pv {__version__}\0"
        fingerprint = None if exact else _fingerprint(head, root, files)
        memo = {} if exact else _read_memo()
        digest = memo.get(fingerprint)
        if type(digest) is not str:
            h = sha256(head.encode())
            for p in files:
                try:
                    with open(p, "rb") as f:
                        data = f.read()
                except OSError:        # gone while we looked: it counts as empty
                    data = b""
                h.update(os.path.relpath(p, root).encode() + b"\0%d\0" % len(data))
                h.update(data)
            digest = h.hexdigest()
            if fingerprint is not None:
                _write_memo(memo, fingerprint, digest)
        _code_digest, _code_exact = digest, exact
    return _code_digest


_MEMO = "code-digest.json"      # in the cache directory: {fingerprint: digest}, the latest few


def _fingerprint(head: str, root: str, files) -> str:
    h = sha256(head.encode())
    for p in files:
        try:
            st = os.stat(p)
            h.update(f"{os.path.relpath(p, root)}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        except OSError:
            h.update(f"{os.path.relpath(p, root)}\0-\0".encode())
    return h.hexdigest()


def _read_memo() -> dict:
    try:
        with open(os.path.join(cache_dir(), _MEMO), encoding="utf-8") as f:
            memo = json.load(f)
    except (OSError, ValueError, RecursionError):
        return {}
    return memo if type(memo) is dict else {}


def _write_memo(memo: dict, fingerprint: str, digest: str) -> None:
    """Add the entry (keeping the 16 latest: a few checkouts may share the cache), written
    to a temporary file and renamed so that concurrent runs never read half of it."""
    memo = {k: v for k, v in memo.items() if k != fingerprint}
    memo = dict(list(memo.items())[-15:] + [(fingerprint, digest)])
    path = os.path.join(cache_dir(), _MEMO)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(memo, f)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _slices(text: str, commands) -> tuple:
    """(each command's text: from its start to the next command's or the end of the file, the
    offsets where they start, the offset of each line)."""
    lines = text.split("\n")
    starts, acc = [], [0]
    for ln in lines:
        acc.append(acc[-1] + len(ln) + 1)
    for c in commands:
        starts.append(min(acc[c.pos.line - 1] + c.pos.col - 1, len(text)))
    return [text[s:e] for s, e in zip(starts, starts[1:] + [len(text)])], starts, acc


class FileContext:
    """The keys of one file's theorems, computed as its commands are run (a Require's digest
    is known once the required file is loaded)."""

    def __init__(self, text: str, commands, module: str, exact: bool = False):
        self.commands = list(commands)
        self.texts, self.starts, self._acc = _slices(text, self.commands)
        self.h = sha256(f"{code_digest(exact)}\0module {module}\0".encode())
        self.file = sha256(text.encode())       # the file's digest, transitively

    def key(self, i: int) -> str:
        """The key of command ``i`` (a theorem), given what came before it."""
        h = self.h.copy()
        h.update(b"theorem\0" + self.texts[i].encode())
        return h.hexdigest()

    def after(self, i: int, required: str | None = None) -> None:
        """Command ``i`` has run; ``required``: the digest of the file it Requires."""
        c = self.commands[i]
        piece = self.texts[i]
        proof = getattr(c, "proof", None)
        if proof is not None:           # a theorem: later ones see its statement only
            end = self._acc[proof.pos.line - 1] + proof.pos.col - 1 - self.starts[i]
            piece = piece[:max(end, 0)]
        self.h.update(b"%d\0" % len(piece.encode()) + piece.encode())
        if required is not None:
            self.h.update(b"requires\0" + required.encode())
            self.file.update(b"requires\0" + required.encode())

    def digest(self) -> str:
        return self.file.hexdigest()


class ProofCache:
    """Look up and store derivations by key (`FileContext.key`)."""

    def __init__(self, root: str | None = None, trust: bool = False):
        self.root = root or cache_dir()
        self.trust = trust
        self.hits = self.misses = self.rejected = self.trusted = self.stored = 0

    def _path(self, key: str) -> str:
        return os.path.join(self.root, key[:2], key + ".json")

    def lookup(self, key: str) -> dict | None:
        """The entry stored under ``key`` (an object with a "derivation"), or None: missing,
        unreadable or not an entry of this format are all a miss."""
        try:
            with open(self._path(key), encoding="utf-8") as f:
                entry = json.load(f)
        except (OSError, ValueError, RecursionError):
            return None
        if type(entry) is not dict or entry.get("format") != FORMAT or \
                entry.get("key") != key:
            return None
        return entry

    def touch(self, key: str) -> None:
        try:
            os.utime(self._path(key))
        except OSError:
            pass

    def forget(self, key: str) -> None:
        try:
            os.unlink(self._path(key))
        except OSError:
            pass

    def store(self, key: str, plan, derivation, thm) -> None:
        """Store the derivation the kernel just accepted for ``plan`` (a
        `driver.load.TheoremPlan`); ``thm`` is the kernel's record of it.  Errors writing are
        ignored: the cache is an optimisation."""
        from driver.certificate import _enc, flatten_shared
        call, args = plan.prove_call
        rows, nodes = flatten_shared(derivation)
        entry = {"call": call, "args": [_enc(a) for a in args], "derivation": rows,
                 "nodes": nodes}
        entry.update(format=FORMAT, key=key, uses=sorted(theorems_used(derivation)),
                     axioms=sorted(a for a in thm.axioms if not a.startswith(UNCHECKED)),
                     specs=sorted(thm.specs))
        body = _canonical(entry)
        text = body[:-1] + f',"digest":"{sha256(body.encode()).hexdigest()}"}}'
        path = self._path(key)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            import tempfile     # (only when storing: its import is not free at start-up)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(text)
                os.replace(tmp, path)
            except BaseException:
                os.unlink(tmp)
                raise
            self.stored += 1
        except OSError:
            pass

    def replay(self, plan, entry) -> tuple | None:
        """Give the cached derivation to the kernel against ``plan``'s statement (the current
        one, never the entry's).  (derivation, kernel record) if the kernel accepts it, else
        None (and the entry is rejected)."""
        from driver.certificate import unflatten
        try:
            derivation = unflatten(entry.get("derivation"), entry.get("nodes", ()))
            return derivation, plan.prove(derivation)
        except Exception:   # rejected (KernelError), or malformed rows, whatever they break
            return None

    def trust_entry(self, plan, entry):
        """``--trust-cache``: record the theorem without the kernel if the entry is for the
        statement ``plan`` states now (`Kernel.record_unchecked`: the kernel still checks that
        statement is well formed and its name fresh, and marks it).  Returns (a function
        giving the derivation's certificate rows, decoded only if a certificate asks for them,
        which the kernel can check; the record), or None."""
        from driver.certificate import _enc
        call, args = plan.prove_call
        try:
            if entry.get("digest") != _digest(entry) or entry.get("call") != call or \
                    _canonical(entry.get("args")) != _canonical([_enc(a) for a in args]):
                return None
            k = plan.kernel
            uses = entry.get("uses")
            if type(uses) is not list or not all(type(u) is str and u in k.theorems
                                                 for u in uses):
                return None
            rows = entry.get("derivation")
            if type(rows) is not list or not rows:
                return None
            thm = k.record_unchecked(args[0], plan.statement, map(str, entry.get("axioms") or ()),
                                     map(str, entry.get("specs") or ()), uses)
        except Exception:
            return None

        def certificate_rows():
            from driver.certificate import flatten, unflatten
            return flatten(unflatten(rows, entry.get("nodes", ())))
        return certificate_rows, thm

    def prune(self, max_bytes: int | None = None) -> int:
        """Remove the least recently used entries until the cache holds at most ``max_bytes``
        (default ``PV_CACHE_MAX_MB`` MB, 200); returns how many were removed."""
        if max_bytes is None:
            try:
                max_bytes = int(float(os.environ.get("PV_CACHE_MAX_MB", "200")) * 2 ** 20)
            except ValueError:
                max_bytes = 200 * 2 ** 20
        files = entries(self.root)
        total = sum(size for _, size, _ in files)
        removed = 0
        for path, size, _ in sorted(files, key=lambda e: e[2]):
            if total <= max_bytes:
                break
            try:
                os.unlink(path)
                total -= size
                removed += 1
            except OSError:
                pass
        return removed


def _canonical(body) -> str:
    # (json.dumps, not json.dump: only the former has the C encoder, 10x faster here)
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _digest(entry: dict) -> str:
    """A checksum of an entry (all but itself), so that a damaged entry is not trusted: it
    guards against accidents, not against someone who recomputes it (the kernel guards
    against that, unless --trust-cache)."""
    body = {k: v for k, v in entry.items() if k != "digest"}
    return sha256(_canonical(body).encode()).hexdigest()


_HEX = frozenset("0123456789abcdef")


def entries(root: str) -> list:
    """(path, size, mtime) of every entry file below ``root``: only names the cache writes
    (``xx/<64 hex digits>.json`` and its temporary files), so that a ``PV_CACHE_DIR`` set to
    a directory holding other files loses none of them to `clear` or `prune`."""
    out = []
    try:
        subdirs = os.listdir(root)
    except OSError:
        return out
    for d in subdirs:
        if len(d) != 2 or not set(d) <= _HEX:
            continue
        try:
            names = os.listdir(os.path.join(root, d))
        except OSError:
            continue
        for n in names:
            stem = n[:-5] if n.endswith(".json") else ""
            if (len(stem) == 64 and set(stem) <= _HEX and stem.startswith(d)) or \
                    n.startswith(".tmp-"):
                p = os.path.join(root, d, n)
                try:
                    st = os.stat(p)
                except OSError:
                    continue
                out.append((p, st.st_size, st.st_mtime))
    return out


def clear(root: str | None = None) -> int:
    """Remove every entry; returns how many."""
    n = 0
    for path, _, _ in entries(root or cache_dir()):
        try:
            os.unlink(path)
            n += 1
        except OSError:
            pass
    return n


def theorems_used(derivation) -> set:
    """The theorems a derivation cites (``use_theorem`` nodes), walked without recursion."""
    out, todo = set(), [derivation]
    while todo:
        d = todo.pop()
        if d[0] == "use_theorem" and d[1] and type(d[1][0]) is str:
            out.add(d[1][0])
        todo.extend(d[2])
    return out
