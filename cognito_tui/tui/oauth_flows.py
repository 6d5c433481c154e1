"""The OAuth flows of the Connect form as data: their names, titles and steps (core/oauth's step names).

Cheap to import (the form's flow list is on the first frame): nothing here imports core/oauth,
boto3 or Textual; the session that drives a walk is in `tui/oauth_session.py`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OAuthFlowSpec:
    """One OAuth flow: its title in the form, what it runs, and its steps in order (OAuthStep names)."""

    title: str
    kind: str  # "code", "client_credentials", "get_client_token", "token_exchange", "token_exchange_grant"
    steps: tuple[tuple[str, str], ...]
    demo_client: str  # the sandbox's demo client that fits (demo_oauth.yaml)
    needs_secret: bool = False
    summary: str = ""


_PREFLIGHT = ("preflight", "Pre-flight")
OAUTH_FLOWS: dict[str, OAuthFlowSpec] = {
    "MANAGED_LOGIN": OAuthFlowSpec(
        "Managed login (authorization code + PKCE)",
        "code",
        (
            _PREFLIGHT,
            ("discovery", "Discovery"),
            ("authorize", "Authorize URL"),
            ("redirect", "Redirect"),
            ("token", "Code exchange"),
            ("userinfo", "userInfo"),
        ),  # fmt: skip
        "oauth-web",
        summary="The browser signs in on the pool's managed login; the redirect's code is traded at /oauth2/token.",
    ),
    "CLIENT_CREDENTIALS": OAuthFlowSpec(
        "Client credentials (M2M, /oauth2/token)",
        "client_credentials",
        (_PREFLIGHT, ("discovery", "Discovery"), ("client_credentials", "Client credentials")),
        "oauth-m2m",
        needs_secret=True,
        summary="A machine signs in with its client id and secret (HTTP Basic): an access token, no user.",
    ),
    "GET_CLIENT_TOKEN": OAuthFlowSpec(
        "Client credentials (M2M, GetClientToken API)",
        "get_client_token",
        (_PREFLIGHT, ("GetClientToken", "GetClientToken")),
        "oauth-m2m",
        needs_secret=True,
        summary="The API twin of client_credentials: no domain needed, the client allows ALLOW_CLIENT_TOKEN_AUTH.",
    ),
    "TOKEN_EXCHANGE": OAuthFlowSpec(
        "Token exchange (GetDerivedToken)",
        "token_exchange",
        (_PREFLIGHT, ("GetDerivedToken", "GetDerivedToken")),
        "oauth-exchange",
        summary="RFC 8693: the access token of the last sign-in (the Tokens tab) traded for one of this client.",
    ),
    "TOKEN_EXCHANGE_GRANT": OAuthFlowSpec(
        "Token exchange (RFC 8693 grant at /oauth2/token)",
        "token_exchange_grant",
        (_PREFLIGHT, ("discovery", "Discovery"), ("token_exchange", "Token exchange")),
        "oauth-exchange",
        summary="GetDerivedToken through the token endpoint; its wire format is RFC 8693's (unconfirmed for Cognito).",
    ),
}


def is_oauth_flow(name: str | None) -> bool:
    return bool(name) and name in OAUTH_FLOWS


def flow_options() -> list[tuple[str, str]]:
    """The OAuth flows as (label, value) options for the Connect form's flow list."""
    return [(f"◆ {spec.title}", name) for name, spec in OAUTH_FLOWS.items()]


def split_scopes(text: str) -> list[str]:
    """`openid email, demo-api/read` -> ['openid', 'email', 'demo-api/read'] (spaces or commas)."""
    return [s for s in text.replace(",", " ").split() if s]
