"""Managed login's HTTP side: a domain per pool at `<endpoint>/domain/<prefix>/`, and discovery.

Routes under a domain: GET /oauth2/authorize (and /authorize), GET+POST /login, POST /challenge,
GET /error, POST /oauth2/token, GET /oauth2/userInfo, POST /oauth2/revoke, GET /logout. Errors
follow managed-login.md: an unregistered redirect_uri goes to the error page, never to the URI.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

from werkzeug.wrappers import Request, Response

from cognito_tui.sandbox.oauth import DOMAIN_PATH, exchange, pages
from cognito_tui.sandbox.oauth.api import OAuthOperations
from cognito_tui.sandbox.oauth.authorize import (
    AuthorizeRequest,
    ErrorPage,
    RedirectedError,
    check_authorize,
    with_query,
)
from cognito_tui.sandbox.oauth.grants import OIDC, Grants, OAuthError
from cognito_tui.sandbox.oauth.login import LoginPages
from cognito_tui.sandbox.oauth.settings import apply_oauth_seed, oauth_seed_for
from cognito_tui.sandbox.tokens import issuer

_DISCOVERY = re.compile(r"^/(?P<pool>[\w-]+_[0-9a-zA-Z]+)/(?P<rest>\.well-known/openid-configuration|authorize|token|userInfo|revoke|logout)$")  # fmt: skip
_JSON = "application/json;charset=UTF-8"


class ManagedLogin:
    def __init__(self, sandbox: Any) -> None:
        self.sandbox = sandbox
        service = sandbox._service
        self.directory = service.directory
        self.backend = service.directory.backend
        self.grants = Grants(service.tokens)
        self.pages = LoginPages(service.auth, sandbox.clock)
        apply_oauth_seed(self.backend, oauth_seed_for(sandbox.seed.source))
        self.operations = OAuthOperations(self.directory, self.grants, self.pages)
        service.operations.update(self.operations.table())

    # --- routing --------------------------------------------------------------------------------------

    def owns(self, path: str) -> bool:
        return path.startswith(DOMAIN_PATH) or bool(_DISCOVERY.match(path))

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        return self.route(request)(environ, start_response)

    def route(self, request: Request) -> Response:
        path = request.path
        match = _DISCOVERY.match(path)
        if match:
            return self._pool_path(request, match["pool"], match["rest"])
        domain, _, rest = path[len(DOMAIN_PATH) :].partition("/")
        found = self.backend.user_pool_domains.get(domain)
        pool = self.backend.user_pools.get(found.user_pool_id) if found is not None else None
        if pool is None:
            return _html(pages.error_page("Login pages unavailable. Please contact an administrator."), 404)
        base = f"{self.sandbox.endpoint_url}{DOMAIN_PATH}{domain}"
        handler = {
            ("GET", "oauth2/authorize"): self.authorize, ("GET", "authorize"): self.authorize,
            ("GET", "login"): self.login_page, ("POST", "login"): self.login_submit,
            ("POST", "challenge"): self.challenge_submit, ("GET", "error"): self.error,
            ("POST", "oauth2/token"): self.token, ("GET", "oauth2/userInfo"): self.userinfo,
            ("POST", "oauth2/userInfo"): self.userinfo, ("POST", "oauth2/revoke"): self.revoke,
            ("GET", "logout"): self.logout,
        }.get((request.method, rest))  # fmt: skip
        if handler is None:
            if rest in ("oauth2/token", "oauth2/revoke"):
                return Response(b"", 405)
            return _html(pages.error_page(), 404)
        return handler(request, pool, base)

    def _pool_path(self, request: Request, pool_id: str, rest: str) -> Response:
        pool = self.backend.user_pools.get(pool_id)
        if pool is None:
            return _json({"message": f"User pool {pool_id} does not exist."}, 404)
        if rest != ".well-known/openid-configuration":
            return _html(pages.error_page(), 400)  # a pool without a domain: these answer 400
        endpoint = self.sandbox.endpoint_url
        if pool.domain:
            base = f"{endpoint}{DOMAIN_PATH}{pool.domain.domain}"
            paths = ("oauth2/authorize", "logout", "oauth2/revoke", "oauth2/token", "oauth2/userInfo")
        else:  # as AWS lists them for a pool without a domain: they answer 400
            base, paths = f"{endpoint}/{pool_id}", ("authorize", "logout", "revoke", "token", "userInfo")
        keys = ("authorization_endpoint", "end_session_endpoint", "revocation_endpoint", "token_endpoint",
                "userinfo_endpoint")  # fmt: skip
        document = {
            **{key: f"{base}/{path}" for key, path in zip(keys, paths, strict=True)},
            "id_token_signing_alg_values_supported": ["RS256"],
            "issuer": issuer(pool_id),
            "jwks_uri": f"{endpoint}/{pool_id}/.well-known/jwks.json",
            "response_types_supported": ["code", "token"],
            "scopes_supported": ["openid", "email", "phone", "profile"],
            "subject_types_supported": ["public"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }
        return _json(dict(sorted(document.items())), 200)

    # --- the browser side -------------------------------------------------------------------------------

    def _checked(self, request: Request, pool: Any, base: str) -> AuthorizeRequest | Response:
        try:
            return check_authorize(pool, dict(request.values.items()))
        except ErrorPage as exc:
            query = {"error": exc.error, **({"client_id": exc.client_id} if exc.client_id else {})}
            if exc.detail:
                return _html(pages.error_page(exc.detail), 400)
            return _redirect(f"{base}/error?{urlencode(query)}")
        except RedirectedError as exc:
            return _redirect(exc.location())

    def authorize(self, request: Request, pool: Any, base: str) -> Response:
        checked = self._checked(request, pool, base)
        if isinstance(checked, Response):
            return checked
        session = self.pages.session_for(request.cookies.get("cognito"), pool.id)
        if session is not None and "login" not in checked.prompt.split():
            user = pool.users.get(session.username)
            if user is not None and user.enabled:
                return self._complete(checked, user, session.auth_time, session.session_id)
        if "none" in checked.prompt.split():
            return _redirect(RedirectedError(checked.redirect_uri, "login_required", checked.state).location())
        return _redirect(f"{base}/login?{urlencode(checked.params)}")

    def login_page(self, request: Request, pool: Any, base: str) -> Response:
        checked = self._checked(request, pool, base)
        if isinstance(checked, Response):
            return checked
        name = checked.client.extended_config.get("ClientName") or checked.client.id
        return _html(
            pages.login_form(f"{base}/login", checked.params, name, username=request.args.get("login_hint", ""))
        )

    def login_submit(self, request: Request, pool: Any, base: str) -> Response:
        checked = self._checked(request, pool, base)
        if isinstance(checked, Response):
            return checked
        username = request.form.get("username", "")
        kind, value = self.pages.password(checked, username, request.form.get("password", ""))
        return self._after(kind, value, checked, base, username)

    def challenge_submit(self, request: Request, pool: Any, base: str) -> Response:
        flow = self.pages.flow(request.form.get("flow", ""))
        if flow is None or flow.request.pool is not pool:
            return _html(pages.error_page("Something went wrong.", "The sign-in took too long; start again."), 400)
        kind, value = self.pages.answer(flow, dict(request.form.items()))
        if kind == "again":
            return _html(self.pages.render(f"{base}/challenge", flow, value))
        return self._after(kind, value, flow.request, base, flow.username)

    def _after(self, kind: str, value: Any, checked: AuthorizeRequest, base: str, username: str) -> Response:
        if kind == "error":
            name = checked.client.extended_config.get("ClientName") or checked.client.id
            return _html(pages.login_form(f"{base}/login", checked.params, name, value, username))
        if kind == "challenge":
            return _html(self.pages.render(f"{base}/challenge", value))
        cookie, session = self.pages.new_session(checked.pool.id, value.username, checked.client.id)
        response = self._complete(checked, value, session.auth_time, session.session_id)
        response.set_cookie("cognito", cookie, max_age=3600, path=urlsplit(base).path + "/", httponly=True,
                            samesite="Lax")  # fmt: skip
        return response

    def _complete(self, checked: AuthorizeRequest, user: Any, auth_time: int, origin: str) -> Response:
        """The redirect back: a code (code flow) or tokens in the fragment (implicit)."""
        state = {"state": checked.state} if checked.state else {}
        if checked.response_type == "code":
            code = self.grants.new_code(checked.pool, checked.client, user, checked.redirect_uri, checked.scopes,
                                        checked.nonce, checked.challenge, auth_time, origin)  # fmt: skip
            return _redirect(with_query(checked.redirect_uri, {"code": code, **state}))
        tokens = self.grants.issue(checked.pool, checked.client, user, checked.scopes, nonce=checked.nonce,
                                   auth_time=auth_time, with_refresh=False)  # fmt: skip
        return _redirect(f"{checked.redirect_uri}#{urlencode({**tokens, **state})}")

    def error(self, request: Request, pool: Any, base: str) -> Response:
        detail = request.args.get("error")
        return _html(pages.error_page(detail=detail), 400)

    def logout(self, request: Request, pool: Any, base: str) -> Response:
        client = pool.clients.get(request.args.get("client_id", ""))
        logout_uri = request.args.get("logout_uri")
        if client is not None and logout_uri and logout_uri in (client.extended_config.get("LogoutURLs") or []):
            self.pages.end_session(request.cookies.get("cognito"))
            response = _redirect(logout_uri)
            response.delete_cookie("cognito")
            return response
        if client is not None and request.args.get("redirect_uri") and request.args.get("response_type"):
            self.pages.end_session(request.cookies.get("cognito"))
            keep = {k: v for k, v in request.args.items() if k not in ("logout_uri",)}
            return _redirect(f"{base}/login?{urlencode(keep)}")
        if client is None and not request.args.get("client_id"):
            return _redirect(f"{base}/error?{urlencode({'error': 'Required parameters missing'})}")
        return _html(pages.error_page("Required String parameter 'redirect_uri' is not present"), 400)

    # --- the programmatic side --------------------------------------------------------------------------

    def _client(self, request: Request, pool: Any, status: int = 400) -> Any:
        """The authenticated client: HTTP Basic, client_secret_post, or a public client's client_id."""
        client_id, secret = request.form.get("client_id"), request.form.get("client_secret")
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("basic "):
            try:
                pair = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                raise OAuthError("invalid_client", status) from None
            client_id, _, secret = pair.partition(":")
            client_id, secret = unquote(client_id), unquote(secret)
        client = pool.clients.get(client_id or "")
        if client is None:
            raise OAuthError("invalid_client", status)
        expected = self.directory.secret_of(client)
        if expected is not None and secret != expected:
            raise OAuthError("invalid_client", status)
        return client

    def token(self, request: Request, pool: Any, base: str) -> Response:
        if request.mimetype != "application/x-www-form-urlencoded":
            return Response(b"", 405)
        try:
            return _json(self._token(request, pool), 200, {"x-amz-cognito-request-id": str(uuid.uuid4())})
        except OAuthError as exc:
            return _json(exc.body(), exc.status)

    def _token(self, request: Request, pool: Any) -> dict[str, Any]:
        form = request.form
        grant = form.get("grant_type")
        if not grant:
            raise OAuthError("invalid_request")
        client = self._client(request, pool)
        config = client.extended_config
        flows = config.get("AllowedOAuthFlows") or [] if config.get("AllowedOAuthFlowsUserPoolClient") else []
        if grant == "authorization_code":
            if "code" not in flows:
                raise OAuthError("unauthorized_client")
            code = self.grants.redeem(client, form.get("code", ""), form.get("redirect_uri"), form.get("code_verifier"))
            user = pool.users.get(code.username)
            if user is None or not user.enabled:
                raise OAuthError("invalid_grant")
            if self.grants.unreadable_scope(client, code.scopes):
                raise OAuthError("invalid_grant")
            return self.grants.issue(pool, client, user, code.scopes, nonce=code.nonce, auth_time=code.auth_time,
                                     origin=code.origin)  # fmt: skip
        if grant == "refresh_token":
            if "code" not in flows and "implicit" not in flows:
                raise OAuthError("unauthorized_client")
            return self.grants.refresh(client, form.get("refresh_token", ""))
        if grant == "client_credentials":
            if "client_credentials" not in flows:
                raise OAuthError("unauthorized_client")
            if self.directory.secret_of(client) is None:
                raise OAuthError("invalid_client")
            allowed = [s for s in config.get("AllowedOAuthScopes") or [] if s not in OIDC]
            asked = form.get("scope", "").split() or allowed
            usable = tuple(s for s in asked if s in allowed)  # disallowed scopes are ignored
            if not usable:
                raise OAuthError("invalid_scope")
            return self.grants.issue_m2m(pool, client, usable)
        if grant == exchange.GRANT:  # RFC 8693, section 3.4's guess: GetDerivedToken's semantics
            return exchange.exchange(self.operations, client, self.directory.secret_of(client), form)
        raise OAuthError("unsupported_grant_type")

    def userinfo(self, request: Request, pool: Any, base: str) -> Response:
        header = request.headers.get("Authorization", "")
        headers = {
            "Cache-Control": "no-cache, no-store, max-age=0, must-revalidate",
            "Access-Control-Allow-Origin": "*",
        }
        if not header.lower().startswith("bearer ") or not header[7:].strip():
            bad = 'Bearer error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"'
            return _json({"error": "invalid_request"}, 400, {**headers, "WWW-Authenticate": bad})
        try:
            return _json(self.grants.userinfo(header[7:].strip()), 200, headers)
        except OAuthError as exc:
            challenge = f'Bearer error="{exc.error}", error_description="{exc.description}"'
            return _json(exc.body(), exc.status, {**headers, "WWW-Authenticate": challenge})

    def revoke(self, request: Request, pool: Any, base: str) -> Response:
        try:
            client = self._client(request, pool, status=401)
            token = request.form.get("token", "")
            if not token or client.extended_config.get("EnableTokenRevocation") is False:
                raise OAuthError("invalid_request")
            self.operations.revoke_refresh(client, token)
        except OAuthError as exc:
            return _json(exc.body(), exc.status)
        return Response(b"", 200, headers={"Access-Control-Allow-Origin": "*"})


def _html(body: str, status: int = 200) -> Response:
    return Response(body, status, content_type="text/html; charset=utf-8")


def _json(data: Any, status: int, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(data), status, headers=headers or {}, content_type=_JSON)


def _redirect(location: str) -> Response:
    return Response(b"", 302, headers={"Location": location})
