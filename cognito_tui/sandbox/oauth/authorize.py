"""/oauth2/authorize's checks, in Cognito's order: what shows the error page, what redirects an error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from cognito_tui.sandbox.directory import Client, Pool
from cognito_tui.sandbox.oauth.grants import OIDC

AUTHORIZE_PARAMS = ("response_type", "client_id", "redirect_uri", "state", "scope", "nonce", "code_challenge",
                    "code_challenge_method", "identity_provider", "idp_identifier", "login_hint", "prompt", "lang",
                    "resource")  # fmt: skip


class ErrorPage(Exception):
    """Not redirected: the browser goes to /error?error=...&client_id=... (status 400 there)."""

    def __init__(self, error: str, client_id: str = "", detail: str | None = None) -> None:
        super().__init__(error)
        self.error, self.client_id, self.detail = error, client_id, detail


class RedirectedError(Exception):
    """Redirected to redirect_uri?error=...&state=... (state echoed: RFC 6749 MUST, Cognito unconfirmed)."""

    def __init__(self, redirect_uri: str, error: str, state: str | None) -> None:
        super().__init__(error)
        self.redirect_uri, self.error, self.state = redirect_uri, error, state

    def location(self) -> str:
        query = {"error": self.error, **({"state": self.state} if self.state else {})}
        return with_query(self.redirect_uri, query)


@dataclass
class AuthorizeRequest:
    pool: Pool
    client: Client
    response_type: str
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str | None
    nonce: str | None
    challenge: str | None
    prompt: str
    params: dict[str, str]  # what to carry to /login and back


def with_query(url: str, query: dict[str, str]) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(query)}"


def custom_scopes(pool: Pool) -> set[str]:
    return {f"{rs.identifier}/{s['ScopeName']}" for rs in pool.resource_servers.values() for s in rs.scopes or []}


def check_authorize(pool: Pool, args: dict[str, str]) -> AuthorizeRequest:
    client_id = args.get("client_id", "")
    if not client_id:
        raise ErrorPage("invalid_request", detail="Missing required parameter client_id in request URL")
    client = pool.clients.get(client_id)
    if client is None:
        raise ErrorPage("invalid_request", client_id)  # the error value for an unknown client: unconfirmed
    config: dict[str, Any] = client.extended_config
    callbacks = list(config.get("CallbackURLs") or [])
    redirect_uri = args.get("redirect_uri")
    if not redirect_uri:
        default = config.get("DefaultRedirectURI") or (callbacks[0] if len(callbacks) == 1 else None)
        if not default:
            raise ErrorPage("redirect_mismatch", client_id)
        redirect_uri = default
    if redirect_uri not in callbacks:  # exact: scheme, host, port, path, trailing '/', case
        raise ErrorPage("redirect_mismatch", client_id)
    state = args.get("state") or None
    response_type = args.get("response_type", "")
    if not response_type:
        raise RedirectedError(redirect_uri, "invalid_request", state)
    if response_type not in ("code", "token"):
        raise RedirectedError(redirect_uri, "unsupported_response_type", state)
    flow = "code" if response_type == "code" else "implicit"
    if not config.get("AllowedOAuthFlowsUserPoolClient") or flow not in (config.get("AllowedOAuthFlows") or []):
        raise RedirectedError(redirect_uri, "unauthorized_client", state)
    method, challenge = args.get("code_challenge_method"), args.get("code_challenge")
    if (challenge and not method) or (method and method != "S256") or (method and not challenge):
        raise RedirectedError(redirect_uri, "invalid_request", state)
    allowed = list(config.get("AllowedOAuthScopes") or [])
    scopes = tuple(args["scope"].split()) if args.get("scope") else tuple(allowed)
    known = custom_scopes(pool)
    for scope in scopes:
        if scope not in allowed or (scope not in OIDC and scope not in known):
            raise RedirectedError(redirect_uri, "invalid_scope", state)
    if any(s in ("email", "phone", "profile") for s in scopes) and "openid" not in scopes:
        raise RedirectedError(redirect_uri, "invalid_scope", state)
    params = {k: args[k] for k in AUTHORIZE_PARAMS if args.get(k)}
    return AuthorizeRequest(pool, client, response_type, redirect_uri, scopes, state, args.get("nonce") or None,
                            challenge if method else None, args.get("prompt", ""), params)  # fmt: skip
