"""OAuth requests and responses as values: what is sent, masked for show, and as a `curl` line.

Core builds an `HttpRequest`; a transport outside core sends it and hands back an `HttpResponse`.
Client secrets, code verifiers, codes and tokens are masked in every rendering unless revealed.
"""

from __future__ import annotations

import base64
import json
import shlex
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from cognito_tui.core.redact import MASK, Secret, shorten

# Masked whole (never shown); shortened (a prefix and a fingerprint, to tell two apart).
MASKED_FIELDS = frozenset(
    {"client_secret", "code_verifier", "code", "refresh_token", "password", "Secret", "ClientSecret", "RefreshToken"}
)
SHORTENED_FIELDS = frozenset(
    {"access_token", "id_token", "token", "subject_token", "actor_token", "AccessToken", "IdToken",
     "SubjectToken", "ActorToken", "IssuedToken", "Session"}
)  # fmt: skip
FORM = "application/x-www-form-urlencoded"


def mask_value(key: str, value: Any, reveal: bool = False) -> Any:
    """One field's value as it may be shown."""
    if reveal or not isinstance(value, str) or not value:
        return str(value) if isinstance(value, Secret) else value
    if key in MASKED_FIELDS:
        return MASK
    if key in SHORTENED_FIELDS:
        return shorten(value)
    return value


def mask_fields(data: Any, reveal: bool = False) -> Any:
    """A deep copy of a JSON-like value with the OAuth (and API) secret fields masked."""
    if isinstance(data, dict):
        return {k: mask_fields(v, reveal) if isinstance(v, (dict, list)) else mask_value(k, v, reveal)
                for k, v in data.items()}  # fmt: skip
    if isinstance(data, list):
        return [mask_fields(v, reveal) for v in data]
    return data


def mask_url(url: str, reveal: bool = False) -> str:
    """The URL with secret query parameters (a callback's `code`) masked."""
    parts = urlsplit(url)
    if not parts.query or reveal:
        return url
    query = [(k, mask_value(k, v)) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(query=urlencode(query, safe="*")))


@dataclass(frozen=True)
class HttpRequest:
    """One request: method, URL, a form body, and client authentication kept apart so it can be masked."""

    method: str
    url: str
    form: dict[str, str] | None = None
    basic: tuple[str, Secret] | None = None  # client_secret_basic: (client_id, client_secret)
    bearer: Secret | None = None  # userInfo: the access token
    headers: dict[str, str] = field(default_factory=dict)

    def wire_headers(self) -> dict[str, str]:
        """The headers as sent, secrets included."""
        out = dict(self.headers)
        if self.form is not None:
            out.setdefault("Content-Type", FORM)
        if self.basic is not None:
            pair = f"{self.basic[0]}:{self.basic[1].value if isinstance(self.basic[1], Secret) else self.basic[1]}"
            out["Authorization"] = "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")
        if self.bearer is not None:
            out["Authorization"] = f"Bearer {str.__str__(self.bearer)}"
        return out

    def body(self) -> bytes | None:
        if self.form is None:
            return None
        return urlencode({k: str.__str__(v) for k, v in self.form.items()}).encode("ascii")

    def masked(self, reveal: bool = False) -> dict[str, Any]:
        """What the transcript shows: method, URL, headers and form, secrets masked."""
        headers = dict(self.headers)
        if self.form is not None:
            headers.setdefault("Content-Type", FORM)
        if self.basic is not None:
            headers["Authorization"] = self.wire_headers()["Authorization"] if reveal else f"Basic {MASK}"
        if self.bearer is not None:
            headers["Authorization"] = f"Bearer {mask_value('access_token', str.__str__(self.bearer), reveal)}"
        out: dict[str, Any] = {"method": self.method, "url": mask_url(self.url, reveal), "headers": headers}
        if self.form is not None:
            out["form"] = {k: mask_value(k, v, reveal) for k, v in self.form.items()}
        return out

    def curl(self, reveal: bool = False) -> str:
        """The request as a `curl` command; secrets become <placeholders> unless revealed."""
        parts = ["curl", "-sS", "-i"]
        if self.method != "GET":
            parts += ["-X", self.method]
        parts.append(self.url if reveal else mask_url(self.url).replace(MASK, "<code>"))
        for key, value in self.headers.items():
            parts += ["-H", f"{key}: {value}"]
        if self.basic is not None:
            secret = str.__str__(self.basic[1]) if reveal else "<client_secret>"
            parts += ["-u", f"{self.basic[0]}:{secret}"]
        if self.bearer is not None:
            parts += ["-H", f"Authorization: Bearer {str.__str__(self.bearer) if reveal else '<access_token>'}"]
        if self.form is not None:
            parts += ["-H", f"Content-Type: {FORM}"]
            for key, value in self.form.items():
                shown = str.__str__(value) if reveal or mask_value(key, value) == value else f"<{key}>"
                parts += ["--data-urlencode", f"{key}={shown}"]
        return " ".join(shlex.quote(p) for p in parts)


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: bytes = b""

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None

    def json(self) -> dict[str, Any] | None:
        """The body as a JSON object, or None when it is not one."""
        try:
            data = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def masked(self, reveal: bool = False) -> dict[str, Any]:
        data = self.json()
        shown: Any
        if data is not None:
            shown = mask_fields(data, reveal)
        else:
            text = self.body.decode("utf-8", errors="replace")
            shown = text if len(text) <= 400 else text[:400] + "…"
        headers = {k: v for k, v in self.headers.items() if k.lower() in _SHOWN_HEADERS}
        if "location" in {k.lower() for k in headers}:
            headers = {k: (mask_url(v, reveal) if k.lower() == "location" else v) for k, v in headers.items()}
        return {"status": self.status, "headers": headers, "body": shown}


_SHOWN_HEADERS = frozenset(
    {"content-type", "location", "www-authenticate", "cache-control", "x-amz-cognito-request-id"}
)


class HttpTransport(Protocol):
    """Sends one request (no redirects followed); raises core.errors.TransportError if no answer came."""

    def send(self, request: HttpRequest) -> HttpResponse: ...
