"""MFA setup on the sandbox's managed-login page: ivan must have a factor and has none, so the page shows
an authenticator key, checks a code from it (VerifySoftwareToken), then signs him in with TOTP on.

His pool (mfa-required) has no domain in the demo seed: the test gives it one and a web client, by API."""

from __future__ import annotations

import re

from oauth_helpers import PageBrowser, free_port

from cognito_tui.core import totp
from cognito_tui.core.oauth import OAuthClient, OAuthWalk, from_domain

MFA_POOL = "us-east-1_MfaReqd0001"


def test_ivan_sets_up_totp_on_the_login_page_and_then_signs_in_with_it(oauth_sandbox, boto, http):
    callback = f"http://127.0.0.1:{free_port()}/callback"
    boto.create_user_pool_domain(UserPoolId=MFA_POOL, Domain="cognito-tui-mfa")
    client = boto.create_user_pool_client(UserPoolId=MFA_POOL, ClientName="oauth-web-mfa", CallbackURLs=[callback],
                                          AllowedOAuthFlows=["code"], AllowedOAuthScopes=["openid"],
                                          AllowedOAuthFlowsUserPoolClient=True,
                                          SupportedIdentityProviders=["COGNITO"])["UserPoolClient"]  # fmt: skip
    web_mfa = client["ClientId"]
    endpoints = from_domain(f"{oauth_sandbox.endpoint_url}/domain/cognito-tui-mfa")
    walk = OAuthWalk(http, OAuthClient(web_mfa), endpoints)
    browser = PageBrowser()
    assert browser.sign_in(walk.authorize(callback, ["openid"]).result["url"], "ivan", "Ivan-Sandbox-1") is None
    assert "Set up an authenticator app" in browser.page
    secret = re.search(r'<code id="secret">([A-Z2-7]+)</code>', browser.page)[1]
    assert f"secret={secret}" in browser.page  # the otpauth URI an authenticator's QR code holds
    assert (
        browser.submit({"code": "000000" if totp.now_code(secret, oauth_sandbox.clock.now()) != "000000" else "111111"})
        is None
    )
    assert "Code mismatch" in (browser.error or "") and "Set up an authenticator app" in browser.page  # asked again
    url = browser.submit({"code": totp.now_code(secret, oauth_sandbox.clock.now())})
    assert url is not None and url.startswith(callback)
    assert walk.redirected(url, userinfo=False).ok and walk.tokens["id_token"]
    # the factor is on: the next sign-in asks for a code from the same key
    oauth_sandbox.clock.advance(31)
    again = OAuthWalk(http, OAuthClient(web_mfa), endpoints)
    second = PageBrowser()
    assert second.sign_in(again.authorize(callback, ["openid"]).result["url"], "ivan", "Ivan-Sandbox-1") is None
    assert "authenticator app" in second.page and 'id="secret"' not in second.page
    url = second.submit({"code": totp.now_code(secret, oauth_sandbox.clock.now())})
    assert url is not None and again.redirected(url, userinfo=False).ok
