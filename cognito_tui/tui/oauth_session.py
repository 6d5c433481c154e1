"""One OAuth walk of the TUI, headless: pre-flight, endpoints, the authorize URL and its listener, the
redirect, the M2M and exchange calls, sessions. Every method blocks: call them from a worker thread.

The steps are core/oauth's `OAuthStep`s; every HTTP exchange and API call lands in one transcript,
whose listener (the Calls tab) sees each record as it is made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from cognito_tui.core.oauth.records import OAuthStep
from cognito_tui.core.redact import Secret
from cognito_tui.core.transcript import Transcript
from cognito_tui.tui.oauth_flows import OAUTH_FLOWS, OAuthFlowSpec

if TYPE_CHECKING:
    from cognito_tui.tui.services import Services

DEFAULT_WAIT = 300.0  # seconds the redirect is waited for (a code lives 5 minutes)


@dataclass
class OAuthInputs:
    """What the Connect form holds for an OAuth flow."""

    flow: str
    user_pool_id: str
    client_id: str
    client_secret: Secret | None = None
    region: str = ""
    endpoint_url: str = ""
    aws_profile: str = ""
    scopes: list[str] = field(default_factory=list)
    redirect_uri: str = ""
    domain: str = ""
    subject_token: str | None = None  # token exchange: the access token of the last sign-in
    wait_seconds: float = DEFAULT_WAIT

    @property
    def spec(self) -> OAuthFlowSpec:
        return OAUTH_FLOWS[self.flow]

    def problems(self) -> list[str]:
        from cognito_tui.core.flows import check_pool_id

        out = []
        problem = check_pool_id(self.user_pool_id)
        if problem:
            out.append(problem)
        if not self.client_id:
            out.append("the app client id is empty")
        if self.redirect_uri:
            parts = urlsplit(self.redirect_uri)
            if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost") or not parts.port:
                out.append(f"redirect URI {self.redirect_uri!r}: the listener takes http://127.0.0.1:<port>/<path>")
        if self.flow in ("TOKEN_EXCHANGE", "TOKEN_EXCHANGE_GRANT") and not self.subject_token:
            out.append("token exchange needs a subject token: sign in first (any flow), then ctrl+r again")
        return out


class OAuthSession:
    """Drives one OAuth flow with the app's services; `steps` grows as it goes."""

    def __init__(self, services: Services, inputs: OAuthInputs, on_record: Callable[[Any], None] | None = None) -> None:
        self.services = services
        self.inputs = inputs
        self.transcript = Transcript()
        if on_record is not None:
            self.transcript.listeners.append(on_record)
        self.steps: list[OAuthStep] = []
        self.described: dict[str, Any] = {}
        self.secret = inputs.client_secret
        self.walk: Any = None  # core.oauth.OAuthWalk
        self.api: Any = None  # core.oauth.api.OAuthApi
        self.listener: Any = None  # aws.oauth_http.RedirectListener while waiting
        self.redirect_uri = inputs.redirect_uri
        self.blocked = False  # the pre-flight found a request that would fail
        self.result: dict[str, Any] = {}  # the tokens, InitiateAuth-shaped (AccessToken, IdToken...)
        self.claims: dict[str, dict[str, Any]] = {}

    @property
    def kind(self) -> str:
        return self.inputs.spec.kind

    def _add(self, step: OAuthStep) -> OAuthStep:
        self.steps.append(step)
        return step

    # --- pre-flight -----------------------------------------------------------------------------------

    def prepare(self) -> OAuthStep:
        """Read the client (and pool, resource servers) as credentials allow; say what would fail."""
        from cognito_tui.core.caller import Caller
        from cognito_tui.core.errors import TransportError
        from cognito_tui.core.flows import region_of
        from cognito_tui.core.oauth.api import OAuthApi
        from cognito_tui.core.request import Target

        i = self.inputs
        target = Target(region=i.region or region_of(i.user_pool_id), endpoint_url=i.endpoint_url or None,
                        aws_profile=i.aws_profile or None)  # fmt: skip
        try:
            gateway = self.services.gateway(target)
        except TransportError as exc:
            self.blocked = True
            return self._add(OAuthStep("preflight", "Pre-flight", f"{exc.message} {exc.hint}".strip(), "failed"))
        self.api = OAuthApi(gateway, self.transcript, region=target.region, endpoint_url=target.endpoint_url)
        if gateway.can_sign():
            caller = Caller(gateway, self.transcript)
            for key, operation, params, part in (
                ("client", "DescribeUserPoolClient", {"UserPoolId": i.user_pool_id, "ClientId": i.client_id},
                 "UserPoolClient"),
                ("pool", "DescribeUserPool", {"UserPoolId": i.user_pool_id}, "UserPool"),
                ("servers", "ListResourceServers", {"UserPoolId": i.user_pool_id, "MaxResults": 50}, "ResourceServers"),
            ):  # fmt: skip
                response, _ = caller.call(operation, params)
                if response is not None and part in response:
                    self.described[key] = response[part]
        client = self.described.get("client")
        notes = []
        if self.secret is None and client and client.get("ClientSecret"):
            self.secret = Secret(client["ClientSecret"])
            notes.append("client secret: taken from DescribeUserPoolClient (masked)")
        if self.kind == "code" and not self.redirect_uri:
            self.redirect_uri = first_loopback(client) or ""
            if self.redirect_uri:
                notes.append(f"redirect URI: {self.redirect_uri} (the client's first loopback callback)")
        return self._add(self._preflight_step(notes))

    def _preflight_step(self, notes: list[str]) -> OAuthStep:
        from cognito_tui.core.oauth.preflight import OAuthPlan, api_preflight, oauth_preflight

        i, client = self.inputs, self.described.get("client")
        if self.kind in ("code", "client_credentials"):
            flow = "code" if self.kind == "code" else "client_credentials"
            plan = OAuthPlan(flow, self.redirect_uri or None, tuple(i.scopes), bool(self.secret), flow == "code")
            report = oauth_preflight(plan, client, self.described.get("pool"), self.described.get("servers"))
        else:
            operation = "GetClientToken" if self.kind == "get_client_token" else "GetDerivedToken"
            report = api_preflight(operation, client, bool(self.secret), bool(i.subject_token))
        lines = notes + report.lines()
        if self.kind == "code" and not self.redirect_uri:
            lines.append("no redirect URI: type one registered on the client (http://127.0.0.1:<port>/<path>)")
            self.blocked = True
        if "client" not in self.described:
            lines.append("the client's settings could not be read (no credentials?): sending as asked")
        self.blocked = self.blocked or bool(report.failures)
        text = "Read before anything is sent: the client's flows, scopes, callbacks and secret."
        result = {"findings": lines, "would_fail": [f.error for f in report.failures]}
        return OAuthStep("preflight", "Pre-flight", text, "failed" if self.blocked else "ok", result=result)

    # --- endpoints and the browser part -----------------------------------------------------------------

    def find_endpoints(self) -> OAuthStep:
        """The domain given, else the discovery document, else the pool's Domain."""
        from cognito_tui.aws.oauth_http import Urllib3Transport
        from cognito_tui.core.flows import region_of
        from cognito_tui.core.oauth import OAuthClient, OAuthWalk, discovery_url, from_domain
        from cognito_tui.core.oauth.endpoints import EndpointProblem, issuer_url

        i = self.inputs
        region = i.region or region_of(i.user_pool_id) or ""
        self.walk = OAuthWalk(Urllib3Transport(), OAuthClient(i.client_id, self.secret), transcript=self.transcript,
                              clock=self.services.clock)  # fmt: skip
        try:
            if i.domain:
                self.walk.endpoints = from_domain(i.domain, region, issuer_url(i.user_pool_id))
                base = self.walk.endpoints.base
                return self._add(OAuthStep("discovery", "Endpoints", f"From the domain given: {base}."))
            step = self.walk.discover(discovery_url(i.user_pool_id, i.endpoint_url or None))
            pool = self.described.get("pool") or {}
            domain = pool.get("CustomDomain") or pool.get("Domain")
            if (not step.ok or self.walk.endpoints.domainless) and domain and not i.endpoint_url:
                self.walk.endpoints = from_domain(domain, region, issuer_url(i.user_pool_id))
                step.explanation += f" Using the pool's Domain instead: {self.walk.endpoints.base}."
                step.status, step.failure = "ok", None
            elif step.ok and self.walk.endpoints.domainless:
                step.status = "failed"
                step.explanation += " Type the pool's domain (prefix, FQDN or URL) in the form's Domain field."
        except EndpointProblem as exc:
            step = OAuthStep("discovery", "Endpoints", f"{exc.message}. {exc.next_step}", "failed")
        return self._add(step) if step not in self.steps else step

    def authorize(self) -> OAuthStep:
        """Bind the one-shot listener on the redirect URI, then build the authorize URL (status "waiting")."""
        from cognito_tui.aws.oauth_http import RedirectListener
        from cognito_tui.core.errors import TransportError

        try:
            self.listener = RedirectListener(self.redirect_uri)
        except TransportError as exc:
            hint = exc.hint.replace("with --redirect-uri", "in the Connect form's Redirect URI field")
            return self._add(OAuthStep("authorize", "Authorize URL", f"{exc.message}. {hint}", "failed"))
        step = self.walk.authorize(self.redirect_uri, self.inputs.scopes)
        self.steps.append(step)
        return step

    def wait(self) -> str:
        """The callback URL (blocking, at most `wait_seconds`); TransportError when none came."""
        return self.listener.wait(self.inputs.wait_seconds)

    def stop_waiting(self) -> None:
        """Close the listener (escape, or the app leaving): its port is free again at once."""
        if self.listener is not None:
            self.listener.close()

    def timed_out(self, message: str) -> OAuthStep:
        from cognito_tui.core.oauth.explain import explain_oauth

        failure = explain_oauth("callback", "timeout")
        step = OAuthStep("redirect", "Redirect", f"{message}. {failure.cause}", "failed", failure=failure)
        return self._add(step)

    def redirected(self, callback: str) -> OAuthStep:
        before = len(self.walk.steps)
        step = self.walk.redirected(callback, userinfo=True)
        self.steps.extend(self.walk.steps[before:])
        self._took()
        return step

    # --- M2M and exchange ----------------------------------------------------------------------------------

    def client_credentials(self) -> OAuthStep:
        step = self.walk.client_credentials(self.inputs.scopes)
        self.steps.append(step)
        self._took()
        return step

    def get_client_token(self) -> OAuthStep:
        step = self._add(self.api.get_client_token(self.inputs.client_id, self.secret or Secret(""),
                                                   self.inputs.scopes or None))  # fmt: skip
        if step.ok:
            auth = step.result.get("ClientAuthenticationResult") or {}
            self._set_tokens({"access_token": auth.get("AccessToken"), "expires_in": auth.get("ExpiresIn"),
                              "token_type": auth.get("TokenType")})  # fmt: skip
        return step

    def token_exchange(self) -> OAuthStep:
        i = self.inputs
        step = self._add(self.api.get_derived_token(i.client_id, i.subject_token or "", client_secret=self.secret,
                                                    scopes=i.scopes or None))  # fmt: skip
        if step.ok:
            self._set_tokens({"access_token": step.result.get("IssuedToken"), "expires_in": step.result.get("ExpiresIn"),
                              "token_type": step.result.get("TokenType")})  # fmt: skip
        return step

    def token_exchange_grant(self) -> OAuthStep:
        step = self.walk.token_exchange(self.inputs.subject_token or "", self.inputs.scopes)
        self.steps.append(step)
        self._took()
        return step

    def _took(self) -> None:
        if self.walk is not None and self.walk.tokens.get("access_token"):
            self._set_tokens(self.walk.tokens)

    def _set_tokens(self, tokens: dict[str, Any]) -> None:
        from cognito_tui.core.tokens import decode_jwt

        names = (("AccessToken", "access_token"), ("IdToken", "id_token"), ("RefreshToken", "refresh_token"),
                 ("ExpiresIn", "expires_in"), ("TokenType", "token_type"))  # fmt: skip
        self.result = {key: tokens[name] for key, name in names if tokens.get(name) is not None}
        self.claims = {}
        for key, use in (("IdToken", "id"), ("AccessToken", "access")):
            if key in self.result:
                try:
                    self.claims[use] = decode_jwt(self.result[key])[1]
                except ValueError:
                    self.claims[use] = {}

    @property
    def userinfo(self) -> dict[str, Any] | None:
        return self.walk.userinfo if self.walk is not None else None

    def differences(self) -> list[str]:
        from cognito_tui.core.oauth.compare import token_differences

        return token_differences(self.claims, "token_exchange" if self.kind.startswith("token_exchange") else self.kind)

    # --- after sign-in: refresh, sessions ------------------------------------------------------------------

    def refresh(self) -> OAuthStep:
        step = self.walk.refresh()
        self.steps.append(step)
        self._took()
        return step

    def list_sessions(self) -> OAuthStep:
        return self.api.list_user_sessions(self.result.get("AccessToken", ""))

    def revoke_session(self, session_id: str) -> OAuthStep:
        return self.api.revoke_user_session(self.result.get("AccessToken", ""), session_id)


def first_loopback(client: dict[str, Any] | None) -> str | None:
    """The client's first callback URL on 127.0.0.1 or localhost (where the listener can bind)."""
    for url in (client or {}).get("CallbackURLs") or []:
        parts = urlsplit(url)
        if parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost") and parts.port:
            return url
    return None
