"""What a walk step is: a challenge to answer, tokens, or a refusal with what can follow it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from cognito_tui.core.challenges import ChallengeSpec, FieldSpec, Phase
from cognito_tui.core.errors import CognitoError, Explanation, TransportError
from cognito_tui.core.problem import Problem


class Recovery(StrEnum):
    """What can follow a refusal: decided by the engine, offered as is by the front ends."""

    RETRY = "retry"  # answer the same challenge again, with the same Session
    RESTART = "restart"  # start the sign-in again (the answers typed so far can be kept)


@dataclass
class Challenge:
    """Cognito is waiting for an answer to this challenge."""

    name: str
    spec: ChallengeSpec
    parameters: dict[str, str]
    session: str | None
    username: str  # the USERNAME this answer will carry (the real one)
    received_at: float  # monotonic
    expires_at: float | None  # monotonic
    available_challenges: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # MFA setup: secret_code, otpauth_uri
    round: int = 1  # how many times in a row this challenge name came back (custom-auth loops)

    @property
    def phase(self) -> Phase:
        return self.spec.phase

    @property
    def fields(self) -> tuple[FieldSpec, ...]:
        return self.spec.fields_for(self.parameters)

    def seconds_left(self, now: float | None = None) -> float | None:
        if self.expires_at is None:
            return None
        return self.expires_at - (time.monotonic() if now is None else now)


@dataclass
class SignedIn:
    result: dict[str, Any]  # Cognito's AuthenticationResult
    claims: dict[str, dict[str, Any]]  # {"id": {...}, "access": {...}} (decoded, not verified)

    @property
    def new_device(self) -> dict[str, str] | None:
        return self.result.get("NewDeviceMetadata")


@dataclass
class Failed:
    error: CognitoError | TransportError
    explanation: Explanation
    retry: Challenge | None = None  # the challenge that may be answered again with its Session
    answered: Challenge | None = None  # the challenge whose answer was refused, if any

    @property
    def recovery(self) -> Recovery:
        return Recovery.RETRY if self.retry is not None else Recovery.RESTART

    @property
    def code(self) -> str:
        return self.error.code  # Cognito's code, or the transport's (NoCredentials, Unreachable, Timeout...)

    @property
    def message(self) -> str:
        return self.error.message


Step = Challenge | SignedIn | Failed


class AnswerError(Problem, ValueError):
    """The values given do not answer the challenge (missing or malformed fields)."""

    title = "This answer cannot be sent"
    next_step = "Fill in the fields named, then answer again."

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems
