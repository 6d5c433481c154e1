"""Every call the engine makes, recorded: operation, request, response, timing, session age."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cognito_tui.core.errors import CognitoError, TransportError
from cognito_tui.core.redact import SECRET_KEYS, fingerprint, mask

# Values shown as placeholders in a copied AWS CLI command unless the user asks for them.
CLI_PLACEHOLDER_KEYS = SECRET_KEYS | {"AccessToken", "ACCESS_TOKEN", "Token"}


@dataclass
class CallRecord:
    operation: str
    request: dict[str, Any]
    started_at: float  # wall clock, seconds since the epoch
    response: dict[str, Any] | None = None
    error: CognitoError | TransportError | None = None
    duration_ms: float = 0.0
    session_age: float | None = None  # seconds since the Session sent was received
    hash_username: str | None = None  # who went into SECRET_HASH at this step

    @property
    def challenge(self) -> str | None:
        return (self.response or {}).get("ChallengeName")

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def outcome(self) -> str:
        if isinstance(self.error, CognitoError):
            return self.error.code
        if self.error is not None:
            return "unreachable" if self.error.code == "Unreachable" else self.error.code
        if self.response and "AuthenticationResult" in self.response:
            return "tokens"
        return self.challenge or "ok"

    @property
    def session_tag(self) -> str | None:
        session = self.request.get("Session")
        return fingerprint(session) if session else None

    def masked_request(self, reveal: bool = False) -> dict[str, Any]:
        return mask(self.request, reveal)

    def masked_response(self, reveal: bool = False) -> dict[str, Any] | None:
        if self.error is not None:
            if isinstance(self.error, CognitoError):
                return {"__type": self.error.code, "message": self.error.message}
            return {"error": self.error.message}
        return mask(self.response, reveal) if self.response is not None else None

    def to_dict(self, reveal: bool = False) -> dict[str, Any]:
        """A JSON-able record; masked unless reveal=True (history files always use the default)."""
        return {
            "operation": self.operation,
            "started_at": self.started_at,
            "duration_ms": round(self.duration_ms, 1),
            "session_age": None if self.session_age is None else round(self.session_age, 1),
            "hash_username": self.hash_username,
            "outcome": self.outcome,
            "request": self.masked_request(reveal),
            "response": self.masked_response(reveal),
        }


@dataclass
class Transcript:
    records: list[CallRecord] = field(default_factory=list)
    listeners: list[Callable[[CallRecord], None]] = field(default_factory=list)

    def add(self, record: CallRecord) -> None:
        self.records.append(record)
        for listener in list(self.listeners):
            listener(record)

    def to_list(self) -> list[dict[str, Any]]:
        return [r.to_dict() for r in self.records]


# The AWS CLI's own name rules (botocore's xform_name with "-"): acronyms stay whole, so
# SetUserMFAPreference is set-user-mfa-preference and SMSMfaSettings is --sms-mfa-settings.
_FIRST_CAP = re.compile("(.)([A-Z][a-z]+)")
_END_CAP = re.compile("([a-z0-9])([A-Z])")
_PLURAL_ACRONYM = re.compile("[A-Z]{2,}s$")  # e.g. ...ARNs -> -arns


def cli_name(name: str) -> str:
    """An operation or parameter name as the AWS CLI spells it, so copied commands run as-is."""
    if "-" in name:
        return name
    plural = _PLURAL_ACRONYM.search(name)
    if plural:
        name = f"{name[: plural.start()]}-{plural.group().lower()}"
    return _END_CAP.sub(r"\1-\2", _FIRST_CAP.sub(r"\1-\2", name)).lower()


def _placeholders(value: Any, reveal: bool) -> Any:
    if reveal:
        return value
    if isinstance(value, dict):
        return {
            k: (f"<{k}>" if k in CLI_PLACEHOLDER_KEYS and isinstance(v, str) else _placeholders(v, reveal))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_placeholders(v, reveal) for v in value]
    return value


def aws_cli_command(
    operation: str,
    request: dict[str, Any],
    region: str | None = None,
    endpoint_url: str | None = None,
    reveal: bool = False,
) -> str:
    """The call as an `aws cognito-idp ...` command line, runnable as-is by the AWS CLI.

    Secrets become <KEY> placeholders unless reveal=True.
    """
    request = _placeholders(request, reveal)
    parts = ["aws", "cognito-idp", cli_name(operation)]
    for key, value in request.items():
        if value is None:
            continue
        if isinstance(value, (dict, list)):
            text = json.dumps(value, separators=(",", ":"))
        else:
            text = str(value)
        parts += [f"--{cli_name(key)}", text]
    if region:
        parts += ["--region", region]
    if endpoint_url:
        parts += ["--endpoint-url", endpoint_url]
    return " ".join(shlex.quote(p) for p in parts)
