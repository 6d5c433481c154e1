"""Messages the app's workers post: named after what happened, carrying plain data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class StepReached(Message):
    """The walk moved: a challenge, signed in, or failed."""

    step: Any


@dataclass
class CallRecorded(Message):
    record: Any  # core.transcript.CallRecord


@dataclass
class SandboxReady(Message):
    sandbox: Any


@dataclass
class SandboxFailed(Message):
    error: str


@dataclass
class OutboxDelivered(Message):
    message: dict[str, Any]


@dataclass
class PoolsLoaded(Message):
    pools: list[dict[str, Any]]


@dataclass
class ClientsLoaded(Message):
    clients: list[dict[str, Any]]


@dataclass
class PreflightReady(Message):
    preflight: Any  # core.preflight.Preflight
    problems: list[str]


@dataclass
class TokensChanged(Message):
    """Tokens were refreshed, or an action on them finished (with a line to show)."""

    step: Any | None
    note: str


@dataclass
class ActionFailed(Message):
    title: str
    detail: str
