"""Steps and transcript records of the OAuth walks: request, response, explanation, curl; masked."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from typing import Any

from cognito_tui.core.errors import CognitoError
from cognito_tui.core.oauth.explain import OAuthFailure
from cognito_tui.core.oauth.http import HttpRequest, HttpResponse, mask_fields
from cognito_tui.core.redact import mask
from cognito_tui.core.transcript import CallRecord, aws_cli_command


@dataclass
class HttpRecord(CallRecord):
    """An HTTP exchange in the transcript, beside the API calls: `operation` is e.g. "POST /oauth2/token"."""

    http_request: HttpRequest | None = None
    http_response: HttpResponse | None = None

    @property
    def outcome(self) -> str:
        if isinstance(self.error, CognitoError):
            return self.error.code
        if self.error is not None:
            return "unreachable"
        return str(self.http_response.status) if self.http_response is not None else "ok"

    def masked_request(self, reveal: bool = False) -> dict[str, Any]:
        return self.http_request.masked(reveal) if self.http_request is not None else {}

    def masked_response(self, reveal: bool = False) -> dict[str, Any] | None:
        if self.http_response is not None:
            return self.http_response.masked(reveal)
        return super().masked_response(reveal)

    def command(self, reveal: bool = False) -> str:
        return self.http_request.curl(reveal) if self.http_request is not None else ""


@dataclass
class ApiRecord(CallRecord):
    """A JSON API call (GetClientToken...) whose fields redact.py does not know: masked here as well."""

    endpoint_url: str | None = None
    region: str | None = None

    def masked_request(self, reveal: bool = False) -> dict[str, Any]:
        return self.request if reveal else mask(mask_fields(self.request))

    def masked_response(self, reveal: bool = False) -> dict[str, Any] | None:
        shown = super().masked_response(True)
        return shown if reveal or shown is None else mask(mask_fields(shown))

    def command(self, reveal: bool = False) -> str:
        request = (
            self.request if reveal else {k: (f"<{k}>" if k in _API_SECRETS else v) for k, v in self.request.items()}
        )
        return aws_cli_command(self.operation, request, self.region, self.endpoint_url, reveal=reveal)


_API_SECRETS = frozenset({"Secret", "ClientSecret", "AccessToken", "SubjectToken", "ActorToken"})


@dataclass
class OAuthStep:
    """One step of an OAuth walk, ready to render: what was sent, what came back, what it means.

    status: "waiting" (the browser has the authorize URL), "ok", or "failed" (then `failure`
    carries the cause and next check). `result` holds the useful values (tokens unmasked, in
    memory only; `to_dict` masks them).
    """

    name: str
    title: str
    explanation: str
    status: str = "ok"
    request: HttpRequest | None = None
    response: HttpResponse | None = None
    record: CallRecord | None = None
    failure: OAuthFailure | None = None
    result: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    def command(self, reveal: bool = False) -> str:
        """An equivalent command: curl for an HTTP request, the AWS CLI for an API call."""
        if self.request is not None:
            return self.request.curl(reveal)
        if isinstance(self.record, ApiRecord):
            return self.record.command(reveal)
        url = self.result.get("url")
        return f"open {shlex.quote(url)}" if isinstance(url, str) else ""

    def to_dict(self, reveal: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "title": self.title, "status": self.status,
                               "explanation": self.explanation}  # fmt: skip
        if self.request is not None:
            out["request"] = self.request.masked(reveal)
        elif self.record is not None:
            out["request"] = self.record.masked_request(reveal)
        if self.response is not None:
            out["response"] = self.response.masked(reveal)
        elif self.record is not None:
            out["response"] = self.record.masked_response(reveal)
        if self.failure is not None:
            out["failure"] = {"error": self.failure.error, "description": self.failure.description,
                              "cause": self.failure.cause, "checks": self.failure.checks}  # fmt: skip
        command = self.command(reveal)
        if command:
            out["command"] = command
        if self.result:
            out["result"] = mask_fields(json.loads(json.dumps(self.result, default=str)), reveal)
        return out
