"""SHA-256 for start-up checks (the shipped parse tables and axioms against their sources)
and the proof cache's keys.

`hashlib` loads OpenSSL's libcrypto on import, ~3 ms of every start for a few kilobytes of
text; CPython's own SHA-256 module gives the same digests and loads in ~0.2 ms (it is slower
on megabytes, which start-up does not hash: driver/cache.py keeps the digest of pv's sources).
"""
from __future__ import annotations

try:
    from _sha256 import sha256          # CPython ≤ 3.11
except ImportError:                     # pragma: no cover - other versions and builds
    try:
        from _sha2 import sha256        # CPython ≥ 3.12
    except ImportError:
        from hashlib import sha256


def sha256_hex(text: str) -> str:
    """The SHA-256 of ``text`` in UTF-8, as hexadecimal digits."""
    return sha256(text.encode("utf-8")).hexdigest()
