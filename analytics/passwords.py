"""Steward passwords: scrypt hashes and a constant-time check (no streamlit here).

The dashboard never stores a password, only `scrypt$n$r$p$salt$hash` (base64 parts), created with
`python -m analytics password-hash` and put in Streamlit secrets ([kelola] password_hash) or the
environment (JAMSOS_KELOLA_PASSWORD_HASH).
"""
from __future__ import annotations

import base64
import collections
import hashlib
import hmac
import secrets
import threading
import time
from typing import Callable

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


class LoginThrottle:
    """One per server: attempts from all sessions take turns, and each waits failure_delay(n) for
    the n failures of the last `window` seconds. Opening new browser sessions therefore does not
    speed up guessing; a steward signing in during an attack waits at most 30 s."""

    def __init__(self, window: float = 900, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.window, self.clock, self.sleep = window, clock, sleep
        self._failures: collections.deque[float] = collections.deque()
        self._turn = threading.Lock()

    def recent_failures(self) -> int:
        now = self.clock()
        while self._failures and now - self._failures[0] > self.window:
            self._failures.popleft()
        return len(self._failures)

    def attempt(self, check: Callable[[], bool]) -> tuple[bool, float]:
        """(check(), seconds waited first); a False result counts as a failure."""
        with self._turn:
            delay = failure_delay(self.recent_failures())
            self.sleep(delay)
            ok = check()
            if not ok:
                self._failures.append(self.clock())
            return ok, delay


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)
