"""Messages panes post upward: named after what happened, carrying plain data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class StepReached(Message):
    """The walk moved: a challenge, signed in, or failed."""

    step: Any
    walk: Any = None  # core.walk.Walk that produced it


@dataclass
class CallStarted(Message):
    """A call left for Cognito: shown as pending (elapsed time, escape cancels) until it is recorded."""

    operation: str
    started_at: float  # the services' clock


@dataclass
class CallRetried(Message):
    """The call in flight failed in a way another attempt may cure: attempt `attempt` of `attempts` starts."""

    operation: str
    attempt: int
    attempts: int
    reason: str  # a few words: "connection closed", "HTTP 503"


@dataclass
class CallAbandoned(Message):
    """The call in flight was cancelled (escape): its answer, if any comes, is dropped."""


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
class SeedRead(Message):
    """The sandbox's seed is read: its demo profiles can be listed before it serves."""

    sandbox: Any


@dataclass
class StoreLoaded(Message):
    """profiles.yaml is read and the secret store is open."""


@dataclass
class OutboxDelivered(Message):
    message: dict[str, Any]


@dataclass
class ProfileChosen(Message):
    """A profile was picked in the side list (Enter)."""

    entry: Any  # tui.widgets.profiles.ProfileEntry


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
class DeviceRemembered(Message):
    """ConfirmDevice registered this device: later walks in this session prove it."""

    device: Any  # core.request.DeviceSecrets


@dataclass
class ActionFailed(Message):
    title: str
    detail: str
