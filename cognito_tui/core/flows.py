"""The auth flows of the 2026 API as data (cognito-protocol.md section 1)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Api(StrEnum):
    ADMIN = "admin"  # AdminInitiateAuth / AdminRespondToAuthChallenge (IAM credentials)
    PUBLIC = "public"  # InitiateAuth / RespondToAuthChallenge (no credentials)


@dataclass(frozen=True)
class FlowSpec:
    name: str  # the AuthFlow value sent
    title: str
    apis: tuple[Api, ...]  # APIs that accept it, default first
    client_flag: str  # ExplicitAuthFlows value that enables it
    needs_password: bool
    uses_srp: bool
    explanation: str
    legacy_flags: tuple[str, ...] = ()

    @property
    def default_api(self) -> Api:
        return self.apis[0]


FLOWS: dict[str, FlowSpec] = {
    f.name: f
    for f in (
        FlowSpec(
            "USER_SRP_AUTH",
            "SRP password (USER_SRP_AUTH)",
            (Api.PUBLIC, Api.ADMIN),
            "ALLOW_USER_SRP_AUTH",
            needs_password=True,
            uses_srp=True,
            explanation="The password never leaves this machine: the app proves it knows it by SRP. "
            "What Amplify and the SDKs use by default.",
        ),
        FlowSpec(
            "USER_PASSWORD_AUTH",
            "Plain password (USER_PASSWORD_AUTH)",
            (Api.PUBLIC,),
            "ALLOW_USER_PASSWORD_AUTH",
            needs_password=True,
            uses_srp=False,
            explanation="The password is sent to Cognito over TLS in InitiateAuth.",
            legacy_flags=("USER_PASSWORD_AUTH",),
        ),
        FlowSpec(
            "ADMIN_USER_PASSWORD_AUTH",
            "Admin password (ADMIN_USER_PASSWORD_AUTH)",
            (Api.ADMIN,),
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            needs_password=True,
            uses_srp=False,
            explanation="Server-side sign-in with IAM credentials: AdminInitiateAuth with the password.",
            legacy_flags=("ADMIN_NO_SRP_AUTH",),
        ),
        FlowSpec(
            "ADMIN_NO_SRP_AUTH",
            "Admin password, legacy name (ADMIN_NO_SRP_AUTH)",
            (Api.ADMIN,),
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            needs_password=True,
            uses_srp=False,
            explanation="The legacy name of ADMIN_USER_PASSWORD_AUTH; behaves the same.",
            legacy_flags=("ADMIN_NO_SRP_AUTH",),
        ),
        FlowSpec(
            "CUSTOM_AUTH",
            "Custom challenge (CUSTOM_AUTH)",
            (Api.PUBLIC, Api.ADMIN),
            "ALLOW_CUSTOM_AUTH",
            needs_password=False,
            uses_srp=False,
            explanation="The pool's Define/Create/Verify Auth Challenge triggers decide the challenges. "
            "Optionally starts with an SRP password check (CHALLENGE_NAME=SRP_A).",
            legacy_flags=("CUSTOM_AUTH_FLOW_ONLY",),
        ),
        FlowSpec(
            "REFRESH_TOKEN_AUTH",
            "Refresh token (REFRESH_TOKEN_AUTH)",
            (Api.PUBLIC, Api.ADMIN),
            "ALLOW_REFRESH_TOKEN_AUTH",
            needs_password=False,
            uses_srp=False,
            explanation="New ID and access tokens from a refresh token. SECRET_HASH uses the token "
            "owner's real username; DEVICE_KEY is required on device-tracking pools.",
        ),
        FlowSpec(
            "REFRESH_TOKEN",
            "Refresh token, synonym (REFRESH_TOKEN)",
            (Api.PUBLIC, Api.ADMIN),
            "ALLOW_REFRESH_TOKEN_AUTH",
            needs_password=False,
            uses_srp=False,
            explanation="A synonym of REFRESH_TOKEN_AUTH.",
        ),
        FlowSpec(
            "USER_AUTH",
            "Choice-based (USER_AUTH)",
            (Api.PUBLIC, Api.ADMIN),
            "ALLOW_USER_AUTH",
            needs_password=False,
            uses_srp=False,
            explanation="Cognito offers the first factors the pool allows (password, SRP, email or SMS "
            "one-time code, passkey) and the user picks one, or names it up front with "
            "PREFERRED_CHALLENGE. Needs the Essentials or Plus tier.",
        ),
    )
}

PREFERRED_CHALLENGES = ("PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN")
REFRESH_FLOWS = frozenset({"REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"})
POOL_ID_RE = re.compile(r"^[\w-]+_[0-9a-zA-Z]+$")
CLIENT_ID_RE = re.compile(r"^[\w+]+$")
DEFAULT_CLIENT_FLAGS = ("ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH")


def region_of(user_pool_id: str) -> str | None:
    """The Region is the pool id's part before '_' (us-east-1_AbC -> us-east-1)."""
    if not POOL_ID_RE.match(user_pool_id or ""):
        return None
    return user_pool_id.split("_", 1)[0]


def check_pool_id(user_pool_id: str) -> str | None:
    """None when the id is well formed, else what is wrong with it, in words."""
    if not user_pool_id:
        return "the user pool id is empty"
    if len(user_pool_id) > 55:
        return "a user pool id has at most 55 characters"
    if not POOL_ID_RE.match(user_pool_id):
        return "a user pool id looks like <region>_<letters and digits>, e.g. us-east-1_AbCdEf123"
    return None


def flow_allowed(flow: str, explicit_auth_flows: list[str] | None) -> tuple[bool | None, str]:
    """Whether a client's ExplicitAuthFlows allow `flow`, and why (None: legacy client, verify by trying)."""
    spec = FLOWS[flow]
    flags = list(explicit_auth_flows or [])
    if not flags:
        flags = list(DEFAULT_CLIENT_FLAGS)
    legacy = [f for f in flags if not f.startswith("ALLOW_")]
    if spec.client_flag in flags:
        return True, f"allowed by {spec.client_flag}"
    if flow in ("USER_PASSWORD_AUTH", "USER_SRP_AUTH") and "ALLOW_USER_AUTH" in flags:
        return (
            False,
            f"not enabled: {spec.client_flag} is off (ALLOW_USER_AUTH covers only USER_AUTH's password choice)",
        )
    if legacy:
        if any(f in legacy for f in spec.legacy_flags):
            return True, f"allowed by the legacy value {', '.join(f for f in legacy if f in spec.legacy_flags)}"
        if flow in ("USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN") and "CUSTOM_AUTH_FLOW_ONLY" not in legacy:
            return None, "legacy client: SRP and refresh were implicitly allowed; verify by trying"
    return False, f"not enabled on this client (needs {spec.client_flag} in ExplicitAuthFlows)"
