"""Managed login and OAuth 2.0 as data: PKCE, endpoints, requests, errors, pre-flight and the walk.

Nothing here touches the network: requests are built as `HttpRequest` values and sent by a
transport the caller gives (`cognito_tui.aws.oauth_http` against AWS or the sandbox).
"""

from cognito_tui.core.oauth.endpoints import Endpoints, discovery_url, from_discovery, from_domain
from cognito_tui.core.oauth.explain import OAuthFailure, explain_oauth
from cognito_tui.core.oauth.http import HttpRequest, HttpResponse, HttpTransport
from cognito_tui.core.oauth.pkce import code_challenge, new_nonce, new_state, new_verifier
from cognito_tui.core.oauth.preflight import Finding, OAuthPlan, oauth_preflight
from cognito_tui.core.oauth.walk import OAuthClient, OAuthStep, OAuthWalk

__all__ = [
    "Endpoints",
    "Finding",
    "HttpRequest",
    "HttpResponse",
    "HttpTransport",
    "OAuthClient",
    "OAuthFailure",
    "OAuthPlan",
    "OAuthStep",
    "OAuthWalk",
    "code_challenge",
    "discovery_url",
    "explain_oauth",
    "from_discovery",
    "from_domain",
    "new_nonce",
    "new_state",
    "new_verifier",
    "oauth_preflight",
]
