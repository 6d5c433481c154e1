"""The OAuth pre-flight reads each demo client as DescribeUserPoolClient returns it and names, before
anything is sent, the request that would fail and the error it would get."""

from __future__ import annotations

import pytest
from oauth_helpers import (
    BROKEN_EMAIL,
    BROKEN_IMPLICIT,
    BROKEN_M2M,
    BROKEN_OFF,
    BROKEN_REDIRECT,
    BROKEN_SPA,
    DEMO,
    M2M,
    WEB,
)

from cognito_tui.core.oauth import OAuthPlan, oauth_preflight

CALLBACK = "http://127.0.0.1:8765/callback"


@pytest.fixture(scope="module")
def described(boto):
    def read(client_id: str):
        client = boto.describe_user_pool_client(UserPoolId=DEMO, ClientId=client_id)["UserPoolClient"]
        pool = boto.describe_user_pool(UserPoolId=DEMO)["UserPool"]
        servers = boto.list_resource_servers(UserPoolId=DEMO, MaxResults=50)["ResourceServers"]
        return client, pool, servers

    return read


@pytest.mark.parametrize(
    ("client_id", "plan", "request_name", "error"),
    [
        (BROKEN_REDIRECT, OAuthPlan("code", CALLBACK, ("openid",)), "authorize", "redirect_mismatch"),
        (BROKEN_OFF, OAuthPlan("code", CALLBACK, ("openid",)), "authorize", "unauthorized_client"),
        (BROKEN_IMPLICIT, OAuthPlan("code", CALLBACK, ("openid",)), "authorize", "unauthorized_client"),
        (WEB, OAuthPlan("code", CALLBACK, ("demo-api/write",)), "authorize", "invalid_scope"),
        (WEB, OAuthPlan("code", CALLBACK, ("email",)), "authorize", "invalid_scope"),
        (WEB, OAuthPlan("code", CALLBACK, ("aws.cognito.signin.user.admin",)), "userinfo", "invalid_token"),
        (BROKEN_SPA, OAuthPlan("code", CALLBACK, ("openid",), has_secret=False), "token", "invalid_client"),
        (BROKEN_M2M, OAuthPlan("client_credentials", has_secret=True), "token", "invalid_scope"),
        (M2M, OAuthPlan("client_credentials", scopes=("openid",), has_secret=True), "token", "invalid_scope"),
        (M2M, OAuthPlan("client_credentials", scopes=("demo-api/read",), has_secret=False), "token", "invalid_client"),
        (WEB, OAuthPlan("client_credentials", has_secret=True), "token", "unauthorized_client"),
        (WEB, OAuthPlan("code", CALLBACK, ("openid",), logout_uri="http://127.0.0.1:1/x"), "logout", "logout_uri"),
    ],
)
def test_the_failing_request_is_named_before_sending(described, client_id, plan, request_name, error):
    report = oauth_preflight(plan, *described(client_id))
    assert (request_name, error) in [(f.request, f.error) for f in report.failures], report.lines()


def test_a_good_plan_has_no_failures_and_a_trailing_slash_is_pointed_out(described):
    good = oauth_preflight(OAuthPlan("code", CALLBACK, ("openid", "email", "demo-api/read")), *described(WEB))
    assert good.failures == [] and "allow this request" in good.lines()[-1]
    slash = oauth_preflight(OAuthPlan("code", CALLBACK, ("openid",)), *described(BROKEN_REDIRECT))
    assert "close: http://127.0.0.1:8765/callback/" in slash.failures[0].text
    m2m = oauth_preflight(OAuthPlan("client_credentials", scopes=("demo-api/read",), has_secret=True), *described(M2M))
    assert m2m.failures == []


def test_a_pool_without_a_domain_and_unreadable_settings(described):
    client, _, servers = described(WEB)
    report = oauth_preflight(OAuthPlan("code", CALLBACK, ("openid",)), client, {"Id": "x"}, servers)
    assert ("domain", "no_domain") in [(f.request, f.error) for f in report.failures]
    blind = oauth_preflight(OAuthPlan("code", CALLBACK), None)
    assert blind.failures == [] and "could not be read" in blind.lines()[0]


def test_email_unreadable_is_named_as_the_token_endpoints_invalid_grant(described):
    report = oauth_preflight(OAuthPlan("code", CALLBACK, ("openid", "email")), *described(BROKEN_EMAIL))
    assert [(f.request, f.error) for f in report.failures] == [("token", "invalid_grant")]
    assert "email_verified" in report.failures[0].text
