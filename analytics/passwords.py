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
from collections.abc import Callable

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
        digest = hashlib.scrypt(
            password.encode(),
            salt=_unb64(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(_unb64(expected)),
            maxmem=2**26,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, _unb64(expected))  # constant time: no early exit on the first wrong byte


MAX_DELAY = 30.0  # seconds: the longest back-off, and so the longest a correct password waits for it


def failure_delay(failures: int) -> float:
    """Seconds of back-off after the n-th failed login of the window: 1, 2, 4 … capped at MAX_DELAY."""
    return 0.0 if failures <= 0 else float(min(2 ** (failures - 1), MAX_DELAY))


class LoginThrottle:
    """One per server, shared by every session. Sessions are anonymous, so the back-off is global:
    opening a new browser session neither resets nor shortens it.

    Each failed check sets a global "not before" time: the failure's time plus delay(n) for the n
    failures of the last `window` seconds (1, 2, 4 … 30 s). An attempt waits until the not-before
    time current when it arrives, then is checked; failures after it arrived do not push it back.
    It waits on its own, holding no lock, so waiting attempts do not queue behind each other's
    delays. Checks run one at a time (scrypt: ~50 ms and 16 MB each, so a flood cannot exhaust memory).

    Bound: a correct password is checked at most max(delay) = MAX_DELAY (30 s) after it is sent,
    plus the checks of the attempts due before or with it, one after another (~50 ms each: under
    half a second for a handful of guessing sessions). It never waits for another attempt's delay.

    The price, and why it cannot be avoided: guessing sessions waiting at the same time are each
    checked when the back-off ends, so K sessions guess K times per 30 s, where one session guesses
    as slowly as ever (1, 2, 4 … 30 s apart). A steward's attempt looks like any other, so bounding
    its wait means every attempt is checked within the bound; the old design (one attempt per delay,
    all taking turns) kept K sessions to one guess per 30 s but made the steward wait behind each of
    them: three guessing sessions kept a correct password waiting 119 s. The serial checks cap the
    rate at ~20 guesses a second however many sessions; a long password keeps that harmless.
    """

    def __init__(
        self,
        window: float = 900,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        delay: Callable[[int], float] = failure_delay,
    ):
        self.window, self.clock, self.sleep, self.delay = window, clock, sleep, delay
        self._failures: collections.deque[float] = collections.deque()
        self._not_before = float("-inf")
        self._state = threading.Lock()  # guards the two fields above; never held while waiting or checking
        self._checking = threading.Lock()  # one password check at a time

    def recent_failures(self) -> int:
        with self._state:
            return self._recent(self.clock())

    def remaining(self) -> float:
        """Seconds an attempt sent now would wait before its check."""
        with self._state:
            return max(0.0, self._not_before - self.clock())

    def attempt(self, check: Callable[[], bool]) -> tuple[bool, float]:
        """(check(), seconds of back-off waited first); a False result counts as a failure."""
        wait = self.remaining()
        if wait:
            self.sleep(wait)
        with self._checking:
            ok = check()
            if not ok:
                self._failed()
        return ok, wait

    def _failed(self) -> None:
        with self._state:
            now = self.clock()
            self._failures.append(now)
            # max(): a later failure may count fewer recent failures, never an earlier not-before
            self._not_before = max(self._not_before, now + self.delay(self._recent(now)))

    def _recent(self, now: float) -> int:
        while self._failures and now - self._failures[0] > self.window:
            self._failures.popleft()
        return len(self._failures)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)
