"""Cognito's lockout: after 5 failed password or code attempts, 1 s, doubling up to ~15 minutes."""

from __future__ import annotations

from cognito_tui.sandbox import errors
from cognito_tui.sandbox.clock import Clock
from cognito_tui.sandbox.directory import Directory, Pool, User

LIMIT = 5  # failures before the first lockout
LONGEST = 900.0  # seconds
FORGIVE_AFTER = 900.0  # a quiet quarter of an hour resets the count
EXCEEDED = "Password attempts exceeded"


class Lockout:
    def __init__(self, directory: Directory, clock: Clock) -> None:
        self.directory = directory
        self.clock = clock

    def check(self, pool: Pool, user: User) -> None:
        """Refuse any attempt during a lockout, without extending it."""
        if self.clock.now() < self.directory.state(pool, user).locked_until:
            raise errors.not_authorized(EXCEEDED)

    def failed(self, pool: Pool, user: User, error: errors.WireError | None = None) -> errors.WireError:
        """Count a failure and return the error to raise: `error`, or for a password the lockout once it starts."""
        state = self.directory.state(pool, user)
        now = self.clock.now()
        if now - state.last_failure_at > FORGIVE_AFTER:
            state.failures = 0
        state.failures += 1
        state.last_failure_at = now
        if state.failures >= LIMIT:
            state.locked_until = now + min(2.0 ** (state.failures - LIMIT), LONGEST)
            if error is None:  # a wrong password that starts a lockout says so, as Cognito does
                return errors.not_authorized(EXCEEDED)
        return error or errors.not_authorized()

    def succeeded(self, pool: Pool, user: User) -> None:
        state = self.directory.state(pool, user)
        state.failures = 0
        state.locked_until = 0.0
