"""One sign-in request: what to send (AuthRequest), where to send it (Target), and the one builder.

Every front end fills `RequestFields` (the Connect form's model, a saved profile, `login`'s flags,
a --cli-input-json document) and calls `build_sign_in`: the Region is derived here once and the
pool id checked here once, so no caller re-derives or re-checks either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from cognito_tui.core.flows import FLOWS, PREFERRED_CHALLENGES, REFRESH_FLOWS, Api, check_pool_id, region_of
from cognito_tui.core.redact import Secret

DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 30.0


@dataclass(frozen=True)
class DeviceSecrets:
    """A remembered device: what ConfirmDevice registered, needed for device SRP and refresh."""

    device_key: str
    group_key: str
    password: Secret


@dataclass(frozen=True)
class Target:
    """Where calls go: hashable, so one gateway is built per target and reused."""

    region: str | None = None
    endpoint_url: str | None = None
    aws_profile: str | None = None
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT


@dataclass
class AuthRequest:
    user_pool_id: str
    client_id: str
    auth_flow: str
    username: str = ""
    password: Secret | None = None
    client_secret: Secret | None = None
    api: Api | None = None  # None: the flow's default API
    preferred_challenge: str | None = None  # USER_AUTH
    custom_with_srp: bool = False  # CUSTOM_AUTH starting with an SRP password check
    refresh_token: Secret | None = None
    device: DeviceSecrets | None = None
    client_metadata: dict[str, str] = field(default_factory=dict)
    analytics_endpoint_id: str | None = None
    context_data: dict[str, Any] | None = None  # AdminInitiateAuth ContextData shape
    user_context_data: dict[str, Any] | None = None  # InitiateAuth UserContextData shape
    session: Secret | None = None  # InitiateAuth's own Session: USER_AUTH continuing from ConfirmSignUp

    @property
    def flow(self):
        return FLOWS[self.auth_flow]

    @property
    def effective_api(self) -> Api:
        return self.api or self.flow.default_api

    def problems(self) -> list[str]:
        """What is wrong with the request before any call is made, in words."""
        out = []
        pool_problem = check_pool_id(self.user_pool_id)
        if pool_problem:
            out.append(pool_problem)
        if not self.client_id:
            out.append("the app client id is empty")
        if self.auth_flow not in FLOWS:
            out.append(f"unknown auth flow {self.auth_flow!r}; one of {', '.join(FLOWS)}")
            return out
        flow = self.flow
        if self.api and self.api not in flow.apis:
            out.append(f"{self.auth_flow} is not accepted by {self.api.value} API (use {flow.default_api.value})")
        if self.auth_flow in REFRESH_FLOWS:
            if not self.refresh_token:
                out.append("a refresh flow needs a refresh token")
            if self.client_secret and not self.username:
                out.append(
                    "with a client secret, a refresh needs the real username (the token's cognito:username) for SECRET_HASH"
                )
        elif not self.username:
            out.append("the username is empty")
        if flow.needs_password and not self.password:
            out.append(f"{self.auth_flow} needs the password")
        if self.custom_with_srp and not self.password:
            out.append("CUSTOM_AUTH with SRP first needs the password")
        if self.preferred_challenge:
            if self.auth_flow != "USER_AUTH":
                out.append("PREFERRED_CHALLENGE applies to USER_AUTH only")
            elif self.preferred_challenge not in PREFERRED_CHALLENGES:
                out.append(f"PREFERRED_CHALLENGE is one of {', '.join(PREFERRED_CHALLENGES)}")
            elif self.preferred_challenge in ("PASSWORD", "PASSWORD_SRP") and not self.password:
                out.append(f"PREFERRED_CHALLENGE={self.preferred_challenge} needs the password")
        return out

    def needs_password(self) -> bool:
        """Whether this flow (or its options) will use the password: front ends ask for it only then."""
        spec = FLOWS.get(self.auth_flow)
        return bool(
            (spec and spec.needs_password)
            or self.custom_with_srp
            or self.preferred_challenge in ("PASSWORD", "PASSWORD_SRP")
        )


@dataclass
class RequestFields:
    """A sign-in as typed or saved: plain values, secrets wrapped, nothing derived yet.

    The Connect form gives and takes it; profiles, `login`'s flags and --cli-input-json map to it.
    """

    region: str = ""
    endpoint_url: str = ""
    aws_profile: str = ""
    user_pool_id: str = ""
    client_id: str = ""
    auth_flow: str = "USER_SRP_AUTH"
    api: str = ""
    username: str = ""
    password: Secret | None = None
    client_secret: Secret | None = None
    refresh_token: Secret | None = None
    preferred_challenge: str = ""
    custom_with_srp: bool = False
    client_metadata: dict[str, str] = field(default_factory=dict)
    analytics_endpoint_id: str = ""
    context_data: dict[str, Any] | None = None  # AdminInitiateAuth ContextData shape
    problems: list[str] = field(default_factory=list)  # what could not be read (bad KEY=VALUE, ...)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> RequestFields:
        """From a profile-shaped mapping; unknown keys and empty values are ignored."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names and v not in (None, "")})

    def merged(self, overrides: Mapping[str, Any]) -> RequestFields:
        """These fields with every non-empty override on top (flags over a profile); as in the AWS CLI, a
        map given replaces the map below it (ClientMetadata is not merged key by key)."""
        names = {f.name for f in fields(self)}
        given = {k: v for k, v in overrides.items() if k in names and v not in (None, "", {}, [])}
        return replace(self, **given)


@dataclass
class SignIn:
    """What one sign-in needs: the request, its target, and what stops it from starting."""

    request: AuthRequest
    target: Target
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


DEVICE_KINDS = ("device_key", "device_group_key", "device_password")


def device_from(secrets: Mapping[str, Secret | None]) -> DeviceSecrets | None:
    """The remembered device in a profile's secrets, when all three parts are there."""
    if not all(secrets.get(k) for k in DEVICE_KINDS):
        return None
    return DeviceSecrets(
        str(secrets["device_key"]), str(secrets["device_group_key"]), Secret(secrets["device_password"])
    )


def build_sign_in(
    given: RequestFields,
    secrets: Mapping[str, Secret | None] | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    device: DeviceSecrets | None = None,
    read_timeout: float = DEFAULT_READ_TIMEOUT,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
) -> SignIn:
    """The one mapping from fields + stored secrets + overrides to a request and its target.

    Typed secrets win over stored ones; a device given here (one confirmed in this session) wins
    over the stored device. The Region is the typed one, else the pool id's prefix.
    """
    v = given.merged(overrides or {})
    stored = dict(secrets or {})
    flow = v.auth_flow or "USER_SRP_AUTH"
    problems = list(v.problems)
    api = Api(v.api) if v.api in tuple(Api) else None
    if v.api and api is None:
        problems.append(f"unknown API {v.api!r}; one of {', '.join(a.value for a in Api)}")
    spec = FLOWS.get(flow)
    admin = (api or (spec.default_api if spec else Api.PUBLIC)) is Api.ADMIN
    request = AuthRequest(
        user_pool_id=v.user_pool_id,
        client_id=v.client_id,
        auth_flow=flow,
        username=v.username,
        password=v.password or stored.get("password") or None,
        client_secret=v.client_secret or stored.get("client_secret") or None,
        api=api,
        preferred_challenge=(v.preferred_challenge or None) if flow == "USER_AUTH" else None,
        custom_with_srp=v.custom_with_srp,
        refresh_token=v.refresh_token or stored.get("refresh_token") or None,
        device=device or device_from(stored),
        client_metadata=dict(v.client_metadata),
        analytics_endpoint_id=v.analytics_endpoint_id or None,
        context_data=v.context_data if admin else None,
        session=stored.get("session") or None,
    )
    problems += request.problems()
    target = Target(
        region=v.region or region_of(v.user_pool_id) or None,
        endpoint_url=v.endpoint_url or None,
        aws_profile=v.aws_profile or None,
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
    )
    return SignIn(request, target, problems)
