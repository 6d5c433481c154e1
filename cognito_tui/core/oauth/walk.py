"""The OAuth walks as steps: authorization code + PKCE, client credentials, refresh, revoke, logout.

Like the challenge walk, each call becomes an `OAuthStep` (request, response, explanation; a
failed step carries the cause and next check) and a record in the transcript. The HTTP itself is
done by the `HttpTransport` given; the 2026 API operations by the API transport (the gateway).

    walk = OAuthWalk(http, OAuthClient("id", secret), endpoints)
    step = walk.authorize("http://127.0.0.1:8765/callback", ["openid", "email"])  # status "waiting"
    step = walk.redirected(listener.wait(120))   # the redirect: code exchanged, then userInfo
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from cognito_tui.core.errors import CognitoError, TransportError
from cognito_tui.core.oauth import pkce
from cognito_tui.core.oauth.endpoints import Endpoints, from_discovery
from cognito_tui.core.oauth.explain import OAuthContext, explain_oauth
from cognito_tui.core.oauth.http import HttpRequest, HttpResponse, HttpTransport, mask_url
from cognito_tui.core.oauth.records import HttpRecord, OAuthStep
from cognito_tui.core.redact import Secret
from cognito_tui.core.tokens import decode_jwt
from cognito_tui.core.transcript import Transcript

TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"


@dataclass
class OAuthClient:
    client_id: str
    client_secret: Secret | None = None
    auth_method: str = "client_secret_basic"  # or "client_secret_post"


@dataclass
class PendingAuthorization:
    """What the walk remembers between the authorize URL and the redirect (the verifier stays here)."""

    redirect_uri: str
    scopes: tuple[str, ...]
    state: str
    nonce: str
    verifier: Secret = field(repr=False)
    started_at: float = 0.0


class OAuthWalk:
    def __init__(
        self,
        http: HttpTransport,
        client: OAuthClient,
        endpoints: Endpoints | None = None,
        *,
        transcript: Transcript | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.http = http
        self.client = client
        self.endpoints = endpoints
        self.transcript = transcript or Transcript()
        self.clock = clock
        self.steps: list[OAuthStep] = []
        self.pending: PendingAuthorization | None = None
        self.tokens: dict[str, Any] = {}  # the latest token response (access_token, id_token, refresh_token...)
        self.userinfo: dict[str, Any] | None = None

    @property
    def current(self) -> OAuthStep | None:
        return self.steps[-1] if self.steps else None

    def _ctx(self, grant: str | None = None) -> OAuthContext:
        pending = self.pending
        return OAuthContext(
            client_id=self.client.client_id,
            redirect_uri=pending.redirect_uri if pending else None,
            scopes=pending.scopes if pending else (),
            grant_type=grant,
            has_secret=bool(self.client.client_secret),
        )

    def _need_endpoints(self) -> Endpoints:
        if self.endpoints is None:
            raise RuntimeError("no endpoints: call discover() or give them")
        return self.endpoints

    # --- sending ----------------------------------------------------------------------------------

    def _send(self, name: str, request: HttpRequest) -> tuple[HttpResponse | None, HttpRecord]:
        path = urlsplit(request.url).path or "/"
        record = HttpRecord(f"{request.method} {path}", {}, started_at=time.time(), http_request=request)
        start = self.clock()
        try:
            record.http_response = self.http.send(request)
        except TransportError as exc:
            record.error = exc
        record.duration_ms = (self.clock() - start) * 1000
        self.transcript.add(record)
        return record.http_response, record

    def _add(self, step: OAuthStep) -> OAuthStep:
        self.steps.append(step)
        return step

    def _failed(self, name: str, title: str, where: str, error: str, description: str | None = None,
                status: int | None = None, grant: str | None = None, **kw: Any) -> OAuthStep:  # fmt: skip
        failure = explain_oauth(where, error, description, status, self._ctx(grant))
        return self._add(OAuthStep(name, title, failure.cause, status="failed", failure=failure, **kw))

    def _unreachable(self, name: str, title: str, request: HttpRequest, record: HttpRecord) -> OAuthStep:
        exc = record.error
        assert isinstance(exc, TransportError)
        failure = explain_oauth("network", "unreachable", exc.message)
        failure.cause, failure.checks, failure.guess = exc.message, [exc.hint] if exc.hint else [], False
        return self._add(OAuthStep(name, title, exc.message, "failed", request, None, record, failure))

    def _json_step(self, name: str, title: str, where: str, request: HttpRequest, ok_text: str,
                   grant: str | None = None) -> OAuthStep:  # fmt: skip
        """Send; a 200 JSON answer is the result, anything else an explained failure."""
        response, record = self._send(name, request)
        if response is None:
            return self._unreachable(name, title, request, record)
        data = response.json()
        if response.status == 200 and data is not None:
            return self._add(OAuthStep(name, title, ok_text, "ok", request, response, record, result=dict(data)))
        error, description = _error_of(response, data)
        record.error = CognitoError(error, description or "", record.operation, response.status)
        return self._failed(name, title, where, error, description, response.status, grant,
                            request=request, response=response, record=record)  # fmt: skip

    def _client_auth(self, form: dict[str, str]) -> tuple[dict[str, str], tuple[str, Secret] | None]:
        """client_secret_basic (the default), client_secret_post, or a public client's client_id."""
        secret = self.client.client_secret
        if secret and self.client.auth_method == "client_secret_basic":
            return form, (self.client.client_id, secret)
        form = {**form, "client_id": self.client.client_id}
        if secret:
            form["client_secret"] = secret
        return form, None

    # --- discovery --------------------------------------------------------------------------------

    def discover(self, url: str) -> OAuthStep:
        request = HttpRequest("GET", url)
        step = self._json_step("discovery", "Discovery document", "discovery", request,
                               "The pool's OpenID configuration: where its endpoints are.")  # fmt: skip
        if step.ok:
            self.endpoints = from_discovery(step.result)
            if self.endpoints.domainless:
                step.explanation += " The pool has no domain: these endpoints answer 400 (CreateUserPoolDomain)."
        return step

    # --- authorization code + PKCE ----------------------------------------------------------------

    def authorize(self, redirect_uri: str, scopes: list[str] | tuple[str, ...] = (),
                  extra: dict[str, str] | None = None) -> OAuthStep:  # fmt: skip
        """The authorize URL, with a fresh verifier, state and nonce; the browser opens it."""
        endpoints = self._need_endpoints()
        verifier = Secret(pkce.new_verifier())
        self.pending = PendingAuthorization(redirect_uri, tuple(scopes), pkce.new_state(), pkce.new_nonce(),
                                            verifier, self.clock())  # fmt: skip
        params = {"response_type": "code", "client_id": self.client.client_id, "redirect_uri": redirect_uri}
        if scopes:
            params["scope"] = " ".join(scopes)
        params.update({"state": self.pending.state, "nonce": self.pending.nonce,
                       "code_challenge": pkce.code_challenge(verifier.value), "code_challenge_method": "S256"})  # fmt: skip
        params.update(extra or {})
        url = f"{endpoints.authorize}?{urlencode(params, quote_via=quote)}"
        text = ("Open this URL in a browser and sign in; managed login redirects to the callback with a code. "
                "PKCE S256: the challenge is sent now, the verifier only with the code.")  # fmt: skip
        result = {"url": url, "redirect_uri": redirect_uri, "state": self.pending.state,
                  "code_challenge": params["code_challenge"]}  # fmt: skip
        return self._add(OAuthStep("authorize", "Authorize URL", text, "waiting", result=result))

    def redirected(self, callback_url: str, userinfo: bool = True) -> OAuthStep:
        """The redirect arrived: check it, exchange the code, check the nonce, then read userInfo."""
        pending = self.pending
        if pending is None:
            raise RuntimeError("no authorization in progress")
        query = dict(parse_qsl(urlsplit(callback_url).query, keep_blank_values=True))
        shown = {"callback": mask_url(callback_url)}
        if "error" in query:
            return self._failed("redirect", "Redirect", "authorize", query["error"], query.get("error_description"),
                                result=shown)  # fmt: skip
        if not pkce.same(query.get("state"), pending.state):
            return self._failed("redirect", "Redirect", "callback", "state_mismatch", result=shown)
        code = query.get("code")
        if not code:
            return self._failed("redirect", "Redirect", "callback", "no_code", result=shown)
        self._add(OAuthStep("redirect", "Redirect", "The browser came back with a code and our state.", result=shown))
        step = self.exchange(Secret(code))
        if not step.ok or not userinfo or "openid" not in self.granted_scopes():
            return step
        return self.read_userinfo()

    def exchange(self, code: Secret, redirect_uri: str | None = None, verifier: Secret | None = None) -> OAuthStep:
        """POST /oauth2/token grant_type=authorization_code with the code_verifier."""
        pending = self.pending
        redirect_uri = redirect_uri or (pending.redirect_uri if pending else "")
        verifier = verifier if verifier is not None else (pending.verifier if pending else None)
        form: dict[str, str] = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        if verifier is not None:
            form["code_verifier"] = verifier
        form, basic = self._client_auth(form)
        request = HttpRequest("POST", self._need_endpoints().token, form=form, basic=basic)
        step = self._json_step("token", "Code exchange", "token", request,
                               "The code and the PKCE verifier traded for tokens.", grant="authorization_code")  # fmt: skip
        if step.ok:
            self._took(step)
            problem = self._nonce_problem(step.result.get("id_token"))
            if problem:
                return self._failed("token", "Code exchange", "callback", problem, request=step.request,
                                    response=step.response, record=step.record)  # fmt: skip
        return step

    def _nonce_problem(self, id_token: str | None) -> str | None:
        if not id_token or self.pending is None:
            return None
        try:
            claims = decode_jwt(id_token)[1]
        except ValueError:
            return "nonce_mismatch"
        return None if pkce.same(claims.get("nonce"), self.pending.nonce) else "nonce_mismatch"

    def _took(self, step: OAuthStep) -> None:
        self.tokens = {**self.tokens, **step.result}
        claims = {}
        for key, name in (("id_token", "id"), ("access_token", "access")):
            if isinstance(step.result.get(key), str):
                try:
                    claims[name] = decode_jwt(step.result[key])[1]
                except ValueError:
                    claims[name] = {}
        step.result["claims"] = claims
        access = claims.get("access", {})
        notes = []
        if access.get("scope"):
            notes.append(f"scopes granted: {access['scope']}")
        if access.get("version") is not None:
            notes.append(f"version {access['version']} (OAuth-endpoint token)")
        if "nonce" in claims.get("id", {}):
            notes.append("the ID token's nonce matches")
        if notes:
            step.explanation += " " + "; ".join(notes) + "."

    def granted_scopes(self) -> tuple[str, ...]:
        token = self.tokens.get("access_token")
        if not isinstance(token, str):
            return ()
        try:
            return tuple(str(decode_jwt(token)[1].get("scope", "")).split())
        except ValueError:
            return ()

    def read_userinfo(self, access_token: str | None = None) -> OAuthStep:
        token = access_token or self.tokens.get("access_token") or ""
        request = HttpRequest("GET", self._need_endpoints().userinfo, bearer=Secret(token))
        step = self._json_step("userinfo", "userInfo", "userinfo", request,
                               "The attributes the access token's scopes let this client read.")  # fmt: skip
        if step.ok:
            self.userinfo = dict(step.result)
            step.explanation += _userinfo_note(self.userinfo, self.tokens.get("id_token"), self.granted_scopes())
        return step

    # --- client credentials, refresh, revoke, logout ------------------------------------------------

    def client_credentials(self, scopes: list[str] | tuple[str, ...] = ()) -> OAuthStep:
        form: dict[str, str] = {"grant_type": "client_credentials"}
        if scopes:
            form["scope"] = " ".join(scopes)
        form, basic = self._client_auth(form)
        request = HttpRequest("POST", self._need_endpoints().token, form=form, basic=basic)
        self.pending = None
        step = self._json_step("client_credentials", "Client credentials", "token", request,
                               "A machine-to-machine access token (no user, no ID or refresh token).",
                               grant="client_credentials")  # fmt: skip
        if step.ok:
            self._took(step)
        elif step.failure is not None and scopes:
            step.failure.cause += f" Asked: {' '.join(scopes)}."
        return step

    def token_exchange(self, subject_token: str, scopes: list[str] | tuple[str, ...] = (), *,
                       actor_token: str | None = None, audience: str | None = None) -> OAuthStep:  # fmt: skip
        """RFC 8693 at /oauth2/token (managed-login.md 3.4: the wire format is RFC 8693's, unconfirmed for Cognito)."""
        access = "urn:ietf:params:oauth:token-type:access_token"
        form: dict[str, str] = {"grant_type": TOKEN_EXCHANGE, "subject_token": Secret(subject_token),
                                "subject_token_type": access}  # fmt: skip
        if actor_token:
            form.update({"actor_token": Secret(actor_token), "actor_token_type": access})
        if scopes:
            form["scope"] = " ".join(scopes)
        if audience:
            form["audience"] = audience
        form, basic = self._client_auth(form)
        request = HttpRequest("POST", self._need_endpoints().token, form=form, basic=basic)
        self.pending = None
        step = self._json_step("token_exchange", "Token exchange", "token", request,
                               "RFC 8693: the subject's access token traded for one issued to this client.",
                               grant=TOKEN_EXCHANGE)  # fmt: skip
        if step.ok:
            self._took(step)
        return step

    def refresh(self, refresh_token: str | None = None) -> OAuthStep:
        token = refresh_token or self.tokens.get("refresh_token") or ""
        form, basic = self._client_auth({"grant_type": "refresh_token", "refresh_token": Secret(token)})
        request = HttpRequest("POST", self._need_endpoints().token, form=form, basic=basic)
        step = self._json_step("refresh", "Refresh", "token", request,
                               "New ID and access tokens from the refresh token, same scopes.", grant="refresh_token")  # fmt: skip
        if step.ok:
            self._took(step)
        return step

    def revoke(self, refresh_token: str | None = None) -> OAuthStep:
        token = refresh_token or self.tokens.get("refresh_token") or ""
        form, basic = self._client_auth({"token": Secret(token)})
        request = HttpRequest("POST", self._need_endpoints().revoke, form=form, basic=basic)
        name, title = "revoke", "Revoke"
        response, record = self._send(name, request)
        if response is None:
            return self._unreachable(name, title, request, record)
        if response.status == 200:
            text = "The refresh token and every token minted from it are revoked (200 also for unknown tokens)."
            return self._add(OAuthStep(name, title, text, "ok", request, response, record))
        error, description = _error_of(response, response.json())
        record.error = CognitoError(error, description or "", record.operation, response.status)
        return self._failed(name, title, "revoke", error, description, response.status,
                            request=request, response=response, record=record)  # fmt: skip

    def logout_url(self, logout_uri: str) -> OAuthStep:
        """The /logout URL for the browser: clears the managed-login session, then goes to logout_uri."""
        url = f"{self._need_endpoints().logout}?{urlencode({'client_id': self.client.client_id, 'logout_uri': logout_uri})}"
        text = "Open in the browser: the managed-login cookie is cleared and Cognito redirects to logout_uri."
        return self._add(OAuthStep("logout", "Logout URL", text, "waiting", result={"url": url}))


_CLAIMS_NOT_ATTRIBUTES = frozenset({"aud", "auth_time", "cognito:groups", "cognito:roles", "cognito:preferred_role",
    "cognito:username", "event_id", "exp", "iat", "iss", "jti", "nonce", "origin_jti", "token_use", "at_hash", "sub",
    "identities"})  # fmt: skip


def _userinfo_note(userinfo: dict[str, Any], id_token: Any, scopes: tuple[str, ...]) -> str:
    """Why userInfo may show fewer attributes than the ID token: its scopes choose them."""
    if not isinstance(id_token, str):
        return ""
    try:
        claims = decode_jwt(id_token)[1]
    except ValueError:
        return ""
    missing = sorted(k for k in claims if k not in _CLAIMS_NOT_ATTRIBUTES and k not in userinfo)
    if not missing:
        return ""
    return (f" The ID token also carries {', '.join(missing)}: userInfo returns only what the scopes"
            f" ({' '.join(scopes)}) name (openid alone: every readable attribute; profile, email, phone: their sets).")  # fmt: skip


def _error_of(response: HttpResponse, data: dict[str, Any] | None) -> tuple[str, str | None]:
    """The OAuth error of a refusal: the JSON body, the WWW-Authenticate header, or the status."""
    if data and isinstance(data.get("error"), str):
        description = data.get("error_description")
        return data["error"], description if isinstance(description, str) else None
    challenge = response.header("WWW-Authenticate") or ""
    fields = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
    if fields.get("error"):
        error, description = fields["error"], fields.get("error_description") or None
        if error:
            return error, description
    if response.status == 405:
        return "method_not_allowed", None
    return f"http_{response.status}", None
