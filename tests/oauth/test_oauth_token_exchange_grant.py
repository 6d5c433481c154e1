"""The token-exchange grant at the sandbox's /oauth2/token (RFC 8693, managed-login.md 3.4's labelled guess),
walked by core's OAuthWalk: impersonation, delegation, and the refusals explained."""

from __future__ import annotations

import json

from oauth_helpers import EXCHANGE, EXCHANGE_SECRET, WEB, PageBrowser, register_callback

from cognito_tui.core.oauth import OAuthClient, OAuthWalk
from cognito_tui.core.redact import Secret
from cognito_tui.core.tokens import decode_jwt

PUBLIC = "demopublic0000000000000001"


def user_token(http, endpoints, boto, username="alice", password="Alice-Sandbox-1") -> str:
    walk = OAuthWalk(http, OAuthClient(WEB), endpoints)
    url = PageBrowser().sign_in(
        walk.authorize(register_callback(boto, WEB), ["openid", "email", "demo-api/read"]).result["url"],
        username,
        password,
    )
    assert walk.redirected(url, userinfo=False).ok
    return walk.tokens["access_token"]


def test_impersonation_and_delegation_through_the_token_endpoint(http, endpoints, boto):
    subject = user_token(http, endpoints, boto)
    walk = OAuthWalk(http, OAuthClient(EXCHANGE, Secret(EXCHANGE_SECRET)), endpoints)
    step = walk.token_exchange(subject, ["demo-api/read"], audience="https://api.example.com")
    assert step.ok, step.failure
    assert step.result["issued_token_type"] == "urn:ietf:params:oauth:token-type:access_token"
    assert step.result["token_type"] == "Bearer" and step.result["scope"] == "demo-api/read"
    claims = decode_jwt(step.result["access_token"])[1]
    assert claims["client_id"] == EXCHANGE and claims["username"] == "alice" and "act" not in claims
    assert claims["aud"] == "https://api.example.com"
    command = step.command()
    assert "grant_type=urn:ietf:params:oauth:grant-type:token-exchange" in command
    assert "subject_token=<subject_token>" in command and subject not in command and EXCHANGE_SECRET not in command
    assert subject not in json.dumps(walk.transcript.to_list())
    actor = user_token(http, endpoints, boto)
    delegated = walk.token_exchange(subject, actor_token=actor)
    assert delegated.ok and decode_jwt(delegated.result["access_token"])[1]["act"]["client_id"] == WEB


def test_refusals_are_oauth_errors_explained(http, endpoints, boto):
    subject = user_token(http, endpoints, boto)
    public = OAuthWalk(http, OAuthClient(PUBLIC), endpoints).token_exchange(subject)
    assert public.failure.error == "unauthorized_client" and "ALLOW_TOKEN_EXCHANGE" in (
        public.failure.description or ""
    )
    wrong = OAuthWalk(http, OAuthClient(EXCHANGE, Secret("not-the-secret-at-all-000")), endpoints).token_exchange(
        subject
    )
    assert wrong.failure.error == "invalid_client" and wrong.failure.checks
    bad = OAuthWalk(http, OAuthClient(EXCHANGE, Secret(EXCHANGE_SECRET)), endpoints).token_exchange("not-a-token")
    assert bad.failure.error == "invalid_grant" and bad.response.status == 400
