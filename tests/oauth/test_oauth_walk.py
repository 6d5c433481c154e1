"""The OAuth walk end to end on the sandbox: core + urllib3 transport + the managed-login page,
followed by an HTTP client (the browser tests drive the same pages in chromium)."""

from __future__ import annotations

import json

import pytest
from oauth_helpers import (
    BROKEN_EMAIL,
    BROKEN_IMPLICIT,
    BROKEN_M2M,
    BROKEN_M2M_SECRET,
    BROKEN_OFF,
    BROKEN_REDIRECT,
    BROKEN_SPA,
    DEMO,
    M2M,
    M2M_SECRET,
    WEB,
    WEB_CONF,
    WEB_CONF_SECRET,
    PageBrowser,
    register_callback,
)

from cognito_tui.core import totp
from cognito_tui.core.oauth import OAuthClient, OAuthWalk, discovery_url
from cognito_tui.core.redact import Secret


@pytest.fixture(scope="module")
def callback(boto) -> str:
    uri = register_callback(boto, WEB)
    for client in (WEB_CONF, BROKEN_OFF, BROKEN_IMPLICIT, BROKEN_SPA, BROKEN_EMAIL):
        register_callback(boto, client, port=int(uri.rsplit(":", 1)[1].split("/")[0]))
    return uri


def walk_for(http, endpoints, client_id: str, secret: str | None = None) -> OAuthWalk:
    return OAuthWalk(http, OAuthClient(client_id, Secret(secret) if secret else None), endpoints)


def test_discovery_then_code_with_pkce_then_userinfo(oauth_sandbox, http, callback):
    walk = OAuthWalk(http, OAuthClient(WEB))
    assert walk.discover(discovery_url(DEMO, oauth_sandbox.endpoint_url)).ok
    start = walk.authorize(callback, ["openid", "email", "demo-api/read"])
    assert start.status == "waiting" and "code_challenge_method=S256" in start.result["url"]
    url = PageBrowser().sign_in(start.result["url"], "alice", "Alice-Sandbox-1")
    final = walk.redirected(url)
    assert final.ok and final.name == "userinfo"
    assert [s.name for s in walk.steps] == ["discovery", "authorize", "redirect", "token", "userinfo"]
    access, idt = walk.steps[3].result["claims"]["access"], walk.steps[3].result["claims"]["id"]
    assert access["scope"] == "openid email demo-api/read" and access["version"] == 2
    assert idt["nonce"] == walk.pending.nonce and idt["aud"] == WEB and idt["email_verified"] is True
    assert walk.userinfo == {
        "sub": idt["sub"],
        "email": "alice@example.com",
        "email_verified": "true",
        "username": "alice",
    }
    shown = json.dumps([s.to_dict() for s in walk.steps]) + json.dumps(walk.transcript.to_list())
    for secret in (walk.tokens["access_token"], walk.tokens["refresh_token"], walk.tokens["id_token"],
                   walk.pending.verifier.value, url.split("code=")[1].split("&")[0]):  # fmt: skip
        assert secret not in shown
    assert "curl" in walk.steps[3].to_dict()["command"] and "<code_verifier>" in walk.steps[3].command()


def test_an_mfa_user_signs_in_with_the_sms_code_from_the_outbox(oauth_sandbox, http, endpoints, callback):
    walk = walk_for(http, endpoints, WEB)
    browser = PageBrowser()
    assert browser.open(walk.authorize(callback, ["openid", "phone"]).result["url"]) is None
    assert browser.submit({"username": "erin", "password": "Erin-Sandbox-1"}) is None
    assert "sent a code to +*******0105" in browser.page
    assert browser.submit({"code": "000000"}) is None and "Invalid code" in (browser.error or "")
    url = browser.submit({"code": oauth_sandbox.outbox.latest("erin")["code"]})
    assert walk.redirected(url).ok
    assert walk.userinfo["phone_number"] == "+15555550105" and "email" not in walk.userinfo
    assert "The ID token also carries email, email_verified, name" in walk.steps[-1].explanation


def test_a_totp_user_and_a_confidential_client(oauth_sandbox, http, endpoints, callback):
    walk = walk_for(http, endpoints, WEB_CONF, WEB_CONF_SECRET)
    browser = PageBrowser()
    browser.open(walk.authorize(callback, ["openid", "demo-api/write"]).result["url"])
    browser.submit({"username": "dave", "password": "Dave-Sandbox-1"})
    url = browser.submit({"code": totp.now_code("DAVETOTPDEMOSEEDDAVETOTPDEMOSEED", oauth_sandbox.clock.now())})
    assert walk.redirected(url).ok
    assert walk.steps[-2].request.basic is not None  # HTTP Basic client auth at /oauth2/token
    assert walk.granted_scopes() == ("openid", "demo-api/write")


def test_client_credentials_with_a_custom_scope(http, endpoints):
    walk = walk_for(http, endpoints, M2M, M2M_SECRET)
    step = walk.client_credentials(["demo-api/write", "demo-api/delete"])  # a disallowed scope is ignored
    assert step.ok
    access = step.result["claims"]["access"]
    assert access["scope"] == "demo-api/write" and access["sub"] == M2M and "username" not in access
    assert set(walk.tokens) >= {"access_token", "expires_in", "token_type"} and "refresh_token" not in walk.tokens


def test_client_secret_post_instead_of_http_basic(http, endpoints):
    walk = OAuthWalk(http, OAuthClient(M2M, Secret(M2M_SECRET), auth_method="client_secret_post"), endpoints)
    step = walk.client_credentials(["demo-api/read"])
    assert step.ok and step.request.basic is None and step.request.masked()["form"]["client_secret"] == "********"
    assert M2M_SECRET not in json.dumps(step.to_dict()) and "client_secret=<client_secret>" in step.command()


def test_refresh_then_revoke(oauth_sandbox, http, endpoints, callback):
    walk = walk_for(http, endpoints, WEB)
    url = PageBrowser().sign_in(
        walk.authorize(callback, ["openid", "profile"]).result["url"], "alice", "Alice-Sandbox-1"
    )
    assert walk.redirected(url).ok
    first_access = walk.tokens["access_token"]
    refreshed = walk.refresh()
    assert refreshed.ok and refreshed.result["access_token"] != first_access
    assert refreshed.result["claims"]["access"]["scope"] == "openid profile" and "refresh_token" not in refreshed.result
    assert walk.revoke().ok
    again = walk.refresh()
    assert again.failure.error == "invalid_grant" and "revoked" in again.failure.cause
    gone = walk.read_userinfo(refreshed.result["access_token"])
    assert gone.failure.error == "invalid_token" and gone.response.status == 401


def test_redirect_mismatch_shows_the_error_page_and_is_explained(http, endpoints, callback):
    walk = walk_for(http, endpoints, BROKEN_REDIRECT)
    browser = PageBrowser()
    assert browser.open(walk.authorize("http://127.0.0.1:8765/callback", ["openid"]).result["url"]) is None
    assert browser.status == 400 and "An error was encountered with the requested page." in browser.page
    explained = walk.redirected(f"http://x/?error=redirect_mismatch&state={walk.pending.state}")
    assert "CallbackURLs" in " ".join(explained.failure.checks)


def test_a_reused_code_and_a_wrong_verifier_are_invalid_grant(http, endpoints, callback):
    walk = walk_for(http, endpoints, WEB)
    url = PageBrowser().sign_in(walk.authorize(callback, ["openid"]).result["url"], "alice", "Alice-Sandbox-1")
    code = Secret(url.split("code=")[1].split("&")[0])
    assert walk.exchange(code).ok
    reused = walk.exchange(code)
    assert reused.failure.error == "invalid_grant" and "single-use" in reused.failure.cause
    url = PageBrowser().sign_in(walk.authorize(callback, ["openid"]).result["url"], "alice", "Alice-Sandbox-1")
    wrong = walk.exchange(Secret(url.split("code=")[1].split("&")[0]), verifier=Secret("w" * 64))
    assert wrong.failure.error == "invalid_grant" and "code_verifier" in " ".join(wrong.failure.checks)


def test_a_code_expires_after_five_minutes_on_the_sandbox_clock(oauth_sandbox, http, endpoints, callback):
    walk = walk_for(http, endpoints, WEB)
    url = PageBrowser().sign_in(walk.authorize(callback, ["openid"]).result["url"], "alice", "Alice-Sandbox-1")
    oauth_sandbox.clock.advance(301)
    step = walk.redirected(url)
    assert step.failure.error == "invalid_grant"


@pytest.mark.parametrize("client_id", [BROKEN_OFF, BROKEN_IMPLICIT])
def test_unauthorized_client_comes_back_on_the_callback(http, endpoints, callback, client_id):
    walk = walk_for(http, endpoints, client_id)
    url = PageBrowser().open(walk.authorize(callback, ["openid"]).result["url"])
    assert url.startswith(callback) and "error=unauthorized_client" in url and f"state={walk.pending.state}" in url
    step = walk.redirected(url)
    assert step.failure.error == "unauthorized_client" and "AllowedOAuthFlows" in " ".join(step.failure.checks)


def test_invalid_scope_on_the_callback_and_at_the_token_endpoint(http, endpoints, callback):
    walk = walk_for(http, endpoints, WEB)
    url = PageBrowser().open(walk.authorize(callback, ["openid", "demo-api/write"]).result["url"])
    assert walk.redirected(url).failure.error == "invalid_scope"
    url = PageBrowser().open(walk.authorize(callback, ["offline_access"]).result["url"])
    assert walk.redirected(url).failure.error == "invalid_scope"
    m2m = walk_for(http, endpoints, BROKEN_M2M, BROKEN_M2M_SECRET).client_credentials()
    assert m2m.failure.error == "invalid_scope" and "custom scope" in " ".join(m2m.failure.checks)
    oidc = walk_for(http, endpoints, M2M, M2M_SECRET).client_credentials(["openid"])
    assert oidc.failure.error == "invalid_scope"


def test_invalid_client_without_or_with_a_wrong_secret(http, endpoints, callback):
    walk = walk_for(http, endpoints, BROKEN_SPA)
    url = PageBrowser().sign_in(walk.authorize(callback, ["openid"]).result["url"], "alice", "Alice-Sandbox-1")
    step = walk.redirected(url)
    assert step.failure.error == "invalid_client" and step.response.status == 400
    assert "No client secret was sent" in step.failure.checks[0]
    wrong = walk_for(http, endpoints, M2M, "not-the-secret-at-all-000000").client_credentials(["demo-api/read"])
    assert wrong.failure.error == "invalid_client"


def test_email_scope_without_readable_email_verified_is_invalid_grant(http, endpoints, callback):
    walk = walk_for(http, endpoints, BROKEN_EMAIL)
    url = PageBrowser().sign_in(walk.authorize(callback, ["openid", "email"]).result["url"], "alice", "Alice-Sandbox-1")
    step = walk.redirected(url)
    assert step.failure.error == "invalid_grant" and "ReadAttributes" in " ".join(step.failure.checks)


def test_a_foreign_state_is_refused_before_any_exchange(http, endpoints, callback):
    walk = walk_for(http, endpoints, WEB)
    url = PageBrowser().sign_in(walk.authorize(callback, ["openid"]).result["url"], "alice", "Alice-Sandbox-1")
    step = walk.redirected(url.replace(f"state={walk.pending.state}", "state=someone-elses"))
    assert step.failure.error == "state_mismatch" and len(walk.transcript.records) == 0


def test_a_wrong_password_stays_on_the_page_and_a_new_password_is_asked_for(oauth_sandbox, http, endpoints, callback):
    walk = walk_for(http, endpoints, WEB)
    browser = PageBrowser()
    browser.open(walk.authorize(callback, ["openid"]).result["url"])
    assert browser.submit({"username": "alice", "password": "wrong"}) is None
    assert browser.error == "Incorrect username or password."
    assert browser.submit({"username": "carol", "password": "Carol-Temp-1"}) is None
    assert "Change your password" in browser.page and 'name="name"' in browser.page
    url = browser.submit({"new_password": "Carol-New-Pass-1", "name": "Carol Example"})
    assert walk.redirected(url).ok and walk.userinfo["name"] == "Carol Example"


def test_the_logout_url_ends_the_managed_login_session(http, endpoints, callback):
    walk = walk_for(http, endpoints, WEB)
    browser = PageBrowser()
    assert walk.redirected(
        browser.sign_in(walk.authorize(callback, ["openid"]).result["url"], "alice", "Alice-Sandbox-1")
    ).ok
    step = walk.logout_url("http://127.0.0.1:8765/signed-out")
    assert step.status == "waiting" and step.command().startswith("open ")
    out = browser.http.get(step.result["url"], allow_redirects=False)
    assert out.status_code == 302 and out.headers["Location"] == "http://127.0.0.1:8765/signed-out"
    assert browser.open(walk.authorize(callback, ["openid"]).result["url"]) is None  # signed out: the form again
