"""The sandbox's sense of time: real time plus an offset, or frozen, and moved on by tests."""

from __future__ import annotations

import threading
import time


class Clock:
    """Seconds since the epoch, as `time.time()` gives them, but under the caller's control.

    Session expiry, lockout timing, temporary-password age, token lifetimes and TOTP windows all
    read this clock, so a test can step over minutes with `advance()` instead of sleeping.
    `Clock()` follows real time; `Clock(frozen_at=t)` stands still at t until advanced.
    """

    def __init__(self, frozen_at: float | None = None) -> None:
        self._lock = threading.Lock()
        self._frozen_at = frozen_at
        self._offset = 0.0

    def now(self) -> float:
        with self._lock:
            base = self._frozen_at if self._frozen_at is not None else time.time()
            return base + self._offset

    def advance(self, seconds: float) -> float:
        """Move the clock forward (never back) and return the new time."""
        if seconds < 0:
            raise ValueError("the sandbox clock only moves forward")
        with self._lock:
            self._offset += seconds
        return self.now()

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def __repr__(self) -> str:
        kind = "frozen" if self.frozen else "real"
        return f"Clock({kind}, offset={self._offset:+.0f}s)"
