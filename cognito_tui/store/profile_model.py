"""The profile model: the dataclasses a profiles file holds, its issues and errors, and the written shape.

Split from store.profiles so that reading (profiles), checking (profile_checks) and the book share
one definition. Secrets are never fields of a profile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from cognito_tui.core.flows import FLOWS, Api
from cognito_tui.core.problem import Problem

TOP_LEVEL_KEY = "profiles"
# endpoint_url: sandbox -- the embedded sandbox, at whatever port it has when the app starts with --sandbox
# (its port is new each run: a profile saved on it must not keep the port).
SANDBOX_ENDPOINT = "sandbox"
AUTH_FLOWS = tuple(FLOWS)
APIS = tuple(a.value for a in Api)
REGION_RE = re.compile(r"^[a-z]{2,}(-[a-z]+)+-\d+$")
NAME_MAX = 64
# Unknown keys containing one of these (lower-cased, punctuation removed) are refused as secrets.
SECRET_WORDS = ("password", "passwd", "secret", "token", "totp", "seed", "devicekey", "groupkey", "credential")
HEADER = (
    "# cognito-tui profiles: every field is described in profiles.example.yaml.\n"
    "# Secrets are never written here; they live in the OS keyring (see `cognito-tui secrets list`).\n"
)

# libyaml composes ~10x faster and keeps the line marks; values are still built by the pure SafeLoader.


@dataclass
class ContextData:
    """Advanced security context: ContextData (admin API) or UserContextData (public API)."""

    ip_address: str | None = None
    server_name: str | None = None
    server_path: str | None = None
    http_headers: list[tuple[str, str]] = field(default_factory=list)
    encoded_data: str | None = None


@dataclass
class Profile:
    name: str
    region: str | None = None
    endpoint_url: str | None = None
    aws_profile: str | None = None
    user_pool_id: str | None = None
    client_id: str | None = None
    auth_flow: str | None = None
    api: str | None = None  # "admin" | "public" | None (the flow's default)
    username: str | None = None
    client_metadata: dict[str, str] = field(default_factory=dict)
    analytics_endpoint_id: str | None = None
    context_data: ContextData | None = None
    notes: str | None = None


PROFILE_FIELDS = tuple(f.name for f in fields(Profile))
CONTEXT_FIELDS = tuple(f.name for f in fields(ContextData))
HEADER_FIELDS = ("name", "value")
_TEXT_FIELDS = tuple(n for n in PROFILE_FIELDS if n not in ("client_metadata", "context_data"))


@dataclass
class ProfileIssue:
    path: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class LoadResult:
    profiles: list[Profile]
    issues: list[ProfileIssue]
    path: Path
    writable: bool  # False when the file failed to read, parse or validate: it must not be overwritten
    signature: str | None = None  # sha256 of the bytes read (None: absent, or not read by load_profiles)


class ProfileError(Problem, ValueError):
    """A profile operation that cannot be done (duplicate name, invalid field, unknown profile)."""

    title = "Profile not saved"


class ProfileFileError(ProfileError):
    """The profiles file cannot be written now; the message says why and what to do."""

    title = "Profiles file not written"

    def __init__(self, message: str, issues: list[ProfileIssue] | None = None) -> None:
        super().__init__(message)
        self.issues = issues or []


def profile_to_dict(profile: Profile) -> dict[str, Any]:
    """The profile as it is written: field order of the dataclass, empty fields left out."""
    out: dict[str, Any] = {}
    for name in PROFILE_FIELDS:
        value = getattr(profile, name)
        if name == "context_data" and value is not None:
            value = _context_to_dict(value)
        elif name == "client_metadata":
            value = dict(value)
        if value is not None and value != "" and value != {}:
            out[name] = value
    return out


def _context_to_dict(context: ContextData) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in CONTEXT_FIELDS:
        value = getattr(context, name)
        if name == "http_headers":
            value = [{"name": k, "value": v} for k, v in value]
        if value is not None and value != "" and value != []:
            out[name] = value
    return out
