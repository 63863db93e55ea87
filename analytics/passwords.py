"""Steward passwords: scrypt hashes and a constant-time check (no streamlit here).

The dashboard never stores a password, only `scrypt$n$r$p$salt$hash` (base64 parts), created with
`python -m analytics password-hash` and put in Streamlit secrets ([kelola] password_hash) or the
environment (JAMSOS_KELOLA_PASSWORD_HASH).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

_N, _R, _P = 2**14, 8, 1  # scrypt cost: ~50 ms and 16 MB per check, slow for guessing, fine for a login


def make_hash(password: str, *, salt: bytes | None = None) -> str:
    if not password:
        raise ValueError("kata sandi kosong")
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return "$".join(["scrypt", str(_N), str(_R), str(_P), _b64(salt), _b64(digest)])


def verify(password: str, stored: str) -> bool:
    """True when `password` matches `stored`; False for a wrong password or a malformed hash."""
    try:
        scheme, n, r, p, salt, expected = stored.strip().split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(password.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p),
                                dklen=len(_unb64(expected)), maxmem=2**26)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, _unb64(expected))  # constant time: no early exit on the first wrong byte


def failure_delay(failures: int) -> float:
    """Seconds to wait after the n-th consecutive failed login: 1, 2, 4 … capped at 30."""
    return 0.0 if failures <= 0 else float(min(2 ** (failures - 1), 30))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)
