"""Calls through a transport, each recorded in a transcript: the one way the engine talks to Cognito.

A `Transport` is anything with `call(operation, params) -> response dict` that raises the core's
CognitoError / TransportError: the gateway against AWS or the sandbox, or a fake in engine tests.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from cognito_tui.core.errors import CognitoError, TransportError
from cognito_tui.core.transcript import CallRecord, Transcript


class Transport(Protocol):
    def call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]: ...


class Caller:
    """Makes calls through a transport and records each in a transcript."""

    def __init__(
        self, transport: Transport, transcript: Transcript | None = None, clock: Callable[[], float] = time.monotonic
    ):
        self.transport = transport
        self.transcript = transcript or Transcript()
        self.clock = clock
        self.started: list[Callable[[str, float], None]] = []  # (operation, clock) as each call leaves

    def call(
        self,
        operation: str,
        params: dict[str, Any],
        session_received_at: float | None = None,
        hash_username: str | None = None,
    ) -> tuple[dict[str, Any] | None, CallRecord]:
        params = {k: v for k, v in params.items() if v not in (None, {}, "")}
        start = self.clock()
        for listener in self.started:
            listener(operation, start)
        record = CallRecord(
            operation,
            params,
            started_at=time.time(),
            session_age=None if session_received_at is None else start - session_received_at,
            hash_username=hash_username,
        )
        try:
            record.response = self.transport.call(operation, params)
        except (CognitoError, TransportError) as exc:
            record.error = exc
        record.duration_ms = (self.clock() - start) * 1000
        self.transcript.add(record)
        return record.response, record

    def checked(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """call(), raising the CognitoError / TransportError instead of returning it in the record."""
        response, record = self.call(operation, params)
        if record.error is not None:
            raise record.error
        return response or {}
