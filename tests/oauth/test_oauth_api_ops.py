"""The 2026 operations through cognito-tui's gateway (boto3, sent unsigned) on the sandbox, as walk steps."""

from __future__ import annotations

import json

import pytest
from oauth_helpers import (
    DEMO,
    EXCHANGE,
    EXCHANGE_SECRET,
    M2M,
    M2M_SECRET,
    WEB,
    WEB_CONF,
    PageBrowser,
    register_callback,
)

from cognito_tui.aws.gateway import Gateway, GatewayConfig
from cognito_tui.core.oauth import OAuthClient, OAuthWalk
from cognito_tui.core.oauth.api import OAuthApi
from cognito_tui.core.redact import Secret
from cognito_tui.core.tokens import decode_jwt

PUBLIC = "demopublic0000000000000001"


@pytest.fixture(scope="module")
def gateway(oauth_sandbox) -> Gateway:
    return Gateway(GatewayConfig(endpoint_url=oauth_sandbox.endpoint_url, max_attempts=1), user_pool_id=DEMO)


@pytest.fixture
def api(gateway, oauth_sandbox) -> OAuthApi:
    return OAuthApi(gateway, region="us-east-1", endpoint_url=oauth_sandbox.endpoint_url)


def user_access_token(http, endpoints, boto, scopes: list[str]) -> str:
    walk = OAuthWalk(http, OAuthClient(WEB), endpoints)
    url = PageBrowser().sign_in(
        walk.authorize(register_callback(boto, WEB), scopes).result["url"], "alice", "Alice-Sandbox-1"
    )
    assert walk.redirected(url, userinfo=False).ok
    return walk.tokens["access_token"]


def test_get_client_token_is_sent_unsigned_and_masked(gateway, api):
    seen: list[dict] = []
    client = gateway._client(signed=False)
    client.meta.events.register(
        "before-send.cognito-idp.GetClientToken", lambda request, **_: seen.append(dict(request.headers))
    )
    step = api.get_client_token(M2M, Secret(M2M_SECRET), ["demo-api/read"])
    assert step.ok and "Authorization" not in seen[0]
    token = step.result["ClientAuthenticationResult"]["AccessToken"]
    assert decode_jwt(token)[1]["scope"] == "demo-api/read"
    shown = json.dumps(step.to_dict()) + json.dumps(api.transcript.to_list())
    assert M2M_SECRET not in shown and token not in shown
    assert "aws cognito-idp get-client-token" in step.command() and "<Secret>" in step.command()


def test_get_client_token_refusals_are_explained(api):
    step = api.get_client_token(WEB_CONF, Secret("oauthwebconfidentialsecretpublicbydesign0011"))
    assert step.failure.error == "NotAuthorizedException" and "ALLOW_CLIENT_TOKEN_AUTH" in step.failure.cause
    wrong = api.get_client_token(M2M, Secret("x" * 30))
    assert wrong.failure.error == "NotAuthorizedException"
    scope = api.get_client_token(M2M, Secret(M2M_SECRET), ["openid"])
    assert scope.failure.error == "InvalidParameterException"


def test_get_derived_token_impersonation_and_delegation(api, http, endpoints, boto):
    subject = user_access_token(http, endpoints, boto, ["openid", "email", "demo-api/read"])
    step = api.get_derived_token(EXCHANGE, subject, client_secret=Secret(EXCHANGE_SECRET), scopes=["demo-api/read"],
                                 audiences=["https://api.example.com"])  # fmt: skip
    assert step.ok and step.result["Scopes"] == ["demo-api/read"] and step.result["TokenType"] == "Bearer"
    claims = decode_jwt(step.result["IssuedToken"])[1]
    assert (
        claims["client_id"] == EXCHANGE and claims["username"] == "alice" and claims["aud"] == "https://api.example.com"
    )
    assert "act" not in claims
    actor = user_access_token(http, endpoints, boto, ["openid"])
    delegated = api.get_derived_token(EXCHANGE, subject, client_secret=Secret(EXCHANGE_SECRET), actor_token=actor)
    assert decode_jwt(delegated.result["IssuedToken"])[1]["act"]["client_id"] == WEB
    both = api.get_derived_token(
        EXCHANGE, subject, client_secret=Secret(EXCHANGE_SECRET), audiences=["a"], resources=["b"]
    )
    assert both.failure.error == "InvalidParameterException" and "Audiences" in both.failure.cause
    not_enabled = api.get_derived_token(PUBLIC, subject)
    assert not_enabled.failure.error == "NotAuthorizedException"
    assert subject not in json.dumps(api.transcript.to_list())


def test_list_and_revoke_user_sessions(api, boto):
    def sign_in() -> dict:
        return boto.initiate_auth(ClientId=PUBLIC, AuthFlow="USER_PASSWORD_AUTH",
                                  AuthParameters={"USERNAME": "bob", "PASSWORD": "Bob-Sandbox-1"})["AuthenticationResult"]  # fmt: skip

    first, second = sign_in(), sign_in()
    listed = api.list_user_sessions(second["AccessToken"])
    sessions = listed.result["Sessions"]
    assert len(sessions) >= 2 and sum(s["IsCurrentSession"] for s in sessions) == 1
    assert all(s["SessionId"].startswith("tkn") and len(s["SessionId"]) == 28 for s in sessions)
    other = next(s["SessionId"] for s in sessions if not s["IsCurrentSession"])
    current = next(s["SessionId"] for s in sessions if s["IsCurrentSession"])
    assert api.revoke_user_session(second["AccessToken"], current).failure.error == "InvalidParameterException"
    assert api.revoke_user_session(second["AccessToken"], other).ok
    assert other not in [s["SessionId"] for s in api.list_user_sessions(second["AccessToken"]).result["Sessions"]]
    with pytest.raises(Exception, match="NotAuthorized"):
        boto.get_user(AccessToken=first["AccessToken"])


def test_a_managed_login_sign_in_is_an_sso_session_with_its_token_session(api, http, endpoints, boto):
    walk = OAuthWalk(http, OAuthClient(WEB), endpoints)
    browser = PageBrowser()
    url = browser.sign_in(
        walk.authorize(register_callback(boto, WEB), ["openid"]).result["url"], "carol", "Carol-Temp-1"
    )
    assert url is None  # carol first changes her temporary password
    url = browser.submit({"new_password": "Carol-New-Pass-1", "name": "Carol"})
    assert walk.redirected(url, userinfo=False).ok
    api_tokens = boto.initiate_auth(ClientId=PUBLIC, AuthFlow="USER_PASSWORD_AUTH",
                                    AuthParameters={"USERNAME": "carol", "PASSWORD": "Carol-New-Pass-1"})  # fmt: skip
    me = api_tokens["AuthenticationResult"]["AccessToken"]
    sessions = api.list_user_sessions(me).result["Sessions"]
    sso = next(s for s in sessions if s["SessionType"] == "SSO")
    child = next(s for s in sessions if s.get("OriginSessionId") == sso["SessionId"])
    assert sso["SessionId"].startswith("sso") and child["SessionType"] == "TOKEN" and child["ClientId"] == WEB
    assert api.revoke_user_session(me, sso["SessionId"], linked=True).ok
    left = [s["SessionId"] for s in api.list_user_sessions(me).result["Sessions"]]
    assert sso["SessionId"] not in left and child["SessionId"] not in left
    assert walk.refresh().failure.error == "invalid_grant"  # the token session went with its SSO parent
