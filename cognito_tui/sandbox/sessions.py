"""Sign-in Sessions: opaque, single-use, bound to user, client and challenge, expiring.

A `SignIn` is one attempt in progress (pool, client, user, flow, device key...). Each challenge
Cognito hands out gets an `AuthSession` naming the challenge it expects; the token is the
`Session` string, or the SECRET_BLOCK for the SRP verifier steps (which carry no Session).
Lifetime = the client's AuthSessionValidity, measured on the sandbox clock.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cognito_tui.sandbox import errors
from cognito_tui.sandbox.clock import Clock
from cognito_tui.sandbox.directory import Client, Pool, User

FORGET_AFTER = 3600.0  # seconds: spent or expired sessions are dropped after this, to bound memory
MAX_SESSIONS = 20_000  # and the oldest beyond this many (a burst of sign-ins never answered)


@dataclass
class SignIn:
    pool: Pool
    client: Client
    flow: str
    admin: bool
    typed: str  # the USERNAME the client sent first (maybe an alias)
    user: User | None = None  # None: an unknown user, simulated so as not to reveal it
    device_key: str | None = None  # DEVICE_KEY sent with the sign-in
    device_used: bool = False  # the device proved itself (DEVICE_PASSWORD_VERIFIER)
    client_metadata: dict[str, str] = field(default_factory=dict)

    @property
    def username(self) -> str:
        """The real username (USER_ID_FOR_SRP); the typed name for a simulated user."""
        return self.user.username if self.user is not None else self.typed


@dataclass
class AuthSession:
    token: str
    challenge: str
    signin: SignIn
    issued_at: float
    validity: float
    data: dict[str, Any] = field(default_factory=dict)
    used: bool = False


class SessionStore:
    def __init__(self, clock: Clock, validity_of: Callable[[Client], float]) -> None:
        self.clock = clock
        self.validity_of = validity_of
        self._sessions: dict[str, AuthSession] = {}

    def issue(
        self, signin: SignIn, challenge: str, data: dict[str, Any] | None = None, token: str | None = None
    ) -> AuthSession:
        self._forget_old()
        token = token or new_session_token()
        session = AuthSession(
            token=token,
            challenge=challenge,
            signin=signin,
            issued_at=self.clock.now(),
            validity=self.validity_of(signin.client),
            data=dict(data or {}),
        )
        self._sessions[token] = session
        return session

    def get(self, token: str, unknown: errors.WireError | None = None) -> AuthSession:
        """The live session for this token, or Cognito's error for an unknown, spent or expired one."""
        session = self._sessions.get(token)
        if session is None:
            raise unknown or errors.session_invalid()
        if session.used:
            raise errors.session_used()
        if self.clock.now() - session.issued_at > session.validity:
            raise errors.session_expired()
        return session

    def find(self, predicate: Callable[[AuthSession], bool]) -> AuthSession | None:
        """The newest live session matching `predicate` (for clients that omit the Session)."""
        now = self.clock.now()
        for session in reversed(list(self._sessions.values())):
            if not session.used and now - session.issued_at <= session.validity and predicate(session):
                return session
        return None

    def _forget_old(self) -> None:
        """Drop sessions older than FORGET_AFTER (they are kept in issue order) and any beyond MAX_SESSIONS."""
        now = self.clock.now()
        while self._sessions:
            token, oldest = next(iter(self._sessions.items()))
            if now - oldest.issued_at <= FORGET_AFTER and len(self._sessions) < MAX_SESSIONS:
                break
            del self._sessions[token]


def new_session_token() -> str:
    """An opaque Session: 160 URL-safe characters (Cognito's are opaque, 20 to 4096 characters)."""
    return secrets.token_urlsafe(120)
