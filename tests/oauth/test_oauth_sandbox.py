"""The sandbox's managed-login endpoints on the wire: Cognito's validation order, statuses and bodies."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from oauth_helpers import DEMO, M2M, M2M_SECRET, WEB, WEB_CONF, WEB_CONF_SECRET, PageBrowser, register_callback

MFA_POOL = "us-east-1_MfaReqd0001"


@pytest.fixture(scope="module")
def base(oauth_sandbox) -> str:
    return f"{oauth_sandbox.endpoint_url}/domain/cognito-tui-demo"


@pytest.fixture(scope="module")
def callback(boto) -> str:
    return register_callback(boto, WEB)


def authorize_url(base: str, callback: str, **extra: str) -> str:
    query = {"response_type": "code", "client_id": WEB, "redirect_uri": callback, "scope": "openid", **extra}
    return requests.Request("GET", f"{base}/oauth2/authorize", params=query).prepare().url or ""


def code_from(url: str) -> str:
    return parse_qs(urlsplit(url).query)["code"][0]


def basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def test_the_token_endpoint_wants_a_form_post(base):
    assert requests.get(f"{base}/oauth2/token").status_code == 405
    wrong = requests.post(f"{base}/oauth2/token", json={"grant_type": "client_credentials"})
    assert wrong.status_code == 405 and wrong.content == b""


@pytest.mark.parametrize(
    ("form", "headers", "error"),
    [
        ({"client_id": WEB}, {}, "invalid_request"),
        ({"grant_type": "password", "client_id": WEB}, {}, "unsupported_grant_type"),
        ({"grant_type": "client_credentials", "client_id": "nobody"}, {}, "invalid_client"),
        ({"grant_type": "client_credentials", "client_id": WEB_CONF}, {}, "invalid_client"),
        ({"grant_type": "client_credentials"}, basic(WEB_CONF, WEB_CONF_SECRET), "unauthorized_client"),
        ({"grant_type": "refresh_token"}, basic(WEB_CONF, WEB_CONF_SECRET), "invalid_request"),
        ({"grant_type": "authorization_code", "code": "nope", "redirect_uri": "x"}, basic(WEB_CONF, WEB_CONF_SECRET),
         "invalid_grant"),
    ],
)  # fmt: skip
def test_token_errors_are_json_400_with_cognitos_error_codes(base, form, headers, error):
    answer = requests.post(f"{base}/oauth2/token", data=form, headers=headers)
    assert answer.status_code == 400 and answer.headers["Content-Type"] == "application/json;charset=UTF-8"
    assert answer.json() == {"error": error}


def test_client_secret_post_works_too(base):
    answer = requests.post(f"{base}/oauth2/token", data={"grant_type": "client_credentials", "client_id": M2M,
                                                          "client_secret": M2M_SECRET})  # fmt: skip
    assert answer.status_code == 200 and set(answer.json()) == {"access_token", "expires_in", "token_type"}
    assert answer.headers.get("x-amz-cognito-request-id")


def test_a_redirect_uri_other_than_the_authorize_one_is_invalid_redirect(base, callback):
    url = PageBrowser().sign_in(authorize_url(base, callback), "alice", "Alice-Sandbox-1")
    answer = requests.post(f"{base}/oauth2/token", data={"grant_type": "authorization_code", "client_id": WEB,
                                                          "code": code_from(url), "redirect_uri": callback + "/"})  # fmt: skip
    assert answer.json() == {"error": "unauthorized_client", "error_description": "invalid_redirect"}


def test_authorize_errors_page_or_redirect(base, callback):
    page = requests.get(authorize_url(base, "http://127.0.0.1:1/elsewhere"), allow_redirects=False)
    assert (
        page.status_code == 302 and page.headers["Location"] == f"{base}/error?error=redirect_mismatch&client_id={WEB}"
    )
    assert requests.get(page.headers["Location"]).status_code == 400
    no_client = requests.get(f"{base}/oauth2/authorize?response_type=code")
    assert no_client.status_code == 400 and "Missing required parameter client_id" in no_client.text
    method = requests.get(authorize_url(base, callback, code_challenge="abc"), allow_redirects=False)
    assert method.headers["Location"] == f"{callback}?error=invalid_request"
    plain = requests.get(authorize_url(base, callback, code_challenge="abc", code_challenge_method="plain", state="s1"),
                         allow_redirects=False)  # fmt: skip
    assert plain.headers["Location"] == f"{callback}?error=invalid_request&state=s1"
    none = requests.get(authorize_url(base, callback, prompt="none", state="s2"), allow_redirects=False)
    assert none.headers["Location"] == f"{callback}?error=login_required&state=s2"


def test_the_session_cookie_skips_the_form_until_prompt_login(base, callback):
    browser = PageBrowser()
    assert browser.sign_in(authorize_url(base, callback), "alice", "Alice-Sandbox-1").startswith(callback)
    again = browser.open(authorize_url(base, callback, state="s3"))
    assert again is not None and "code=" in again and again.endswith("state=s3")
    assert browser.open(authorize_url(base, callback, prompt="login")) is None and 'name="password"' in browser.page


def test_userinfo_refusals(oauth_sandbox, base, boto):
    bare = requests.get(f"{base}/oauth2/userInfo")
    assert bare.status_code == 400
    assert bare.headers["WWW-Authenticate"] == (
        'Bearer error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"'
    )
    api = boto.initiate_auth(ClientId="demopublic0000000000000001", AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": "alice", "PASSWORD": "Alice-Sandbox-1"})  # fmt: skip
    token = api["AuthenticationResult"]["AccessToken"]
    refused = requests.get(f"{base}/oauth2/userInfo", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401 and 'error="invalid_token"' in refused.headers["WWW-Authenticate"]


def test_revoke_answers(base, callback):
    url = PageBrowser().sign_in(authorize_url(base, callback), "alice", "Alice-Sandbox-1")
    tokens = requests.post(f"{base}/oauth2/token", data={"grant_type": "authorization_code", "client_id": WEB,
                                                          "code": code_from(url), "redirect_uri": callback}).json()  # fmt: skip
    revoke = f"{base}/oauth2/revoke"
    assert requests.post(revoke, data={"client_id": WEB, "token": tokens["access_token"]}).json() == {
        "error": "unsupported_token_type"}  # fmt: skip
    assert requests.post(revoke, data={"client_id": WEB}).json() == {"error": "invalid_request"}
    assert requests.post(revoke, data={"token": "x"}, headers=basic(M2M, "wrong")).status_code == 401
    done = requests.post(revoke, data={"client_id": WEB, "token": tokens["refresh_token"]})
    assert done.status_code == 200 and done.content == b""
    assert requests.post(revoke, data={"client_id": WEB, "token": "unknown"}).status_code == 200


def test_logout(base, callback):
    browser = PageBrowser()
    browser.sign_in(authorize_url(base, callback), "alice", "Alice-Sandbox-1")
    bad = browser.http.get(f"{base}/logout", params={"client_id": WEB, "logout_uri": "http://127.0.0.1:1/x"},
                           allow_redirects=False)  # fmt: skip
    assert bad.status_code == 400 and "Required String parameter 'redirect_uri' is not present" in bad.text
    out = browser.http.get(f"{base}/logout", params={"client_id": WEB, "logout_uri": "http://127.0.0.1:8765/signed-out"},
                           allow_redirects=False)  # fmt: skip
    assert out.status_code == 302 and out.headers["Location"] == "http://127.0.0.1:8765/signed-out"
    assert browser.open(authorize_url(base, callback)) is None  # the session is gone: the form again


def test_a_pool_without_a_domain_lists_endpoints_that_answer_400(oauth_sandbox):
    doc = requests.get(f"{oauth_sandbox.endpoint_url}/{MFA_POOL}/.well-known/openid-configuration").json()
    assert doc["authorization_endpoint"] == f"{oauth_sandbox.endpoint_url}/{MFA_POOL}/authorize"
    assert requests.get(doc["authorization_endpoint"]).status_code == 400
    demo = requests.get(f"{oauth_sandbox.endpoint_url}/{DEMO}/.well-known/openid-configuration").json()
    assert demo["issuer"] == f"https://cognito-idp.us-east-1.amazonaws.com/{DEMO}"
    assert demo["token_endpoint_auth_methods_supported"] == ["client_secret_basic", "client_secret_post"]


def test_the_implicit_flow_puts_tokens_in_the_fragment(base, boto):
    from oauth_helpers import BROKEN_IMPLICIT

    callback = register_callback(boto, BROKEN_IMPLICIT)
    query = {"response_type": "token", "client_id": BROKEN_IMPLICIT, "redirect_uri": callback, "scope": "openid",
             "state": "s9"}  # fmt: skip
    url = requests.Request("GET", f"{base}/oauth2/authorize", params=query).prepare().url or ""
    redirect = PageBrowser().sign_in(url, "alice", "Alice-Sandbox-1")
    fragment = parse_qs(urlsplit(redirect).fragment)
    assert {"id_token", "access_token", "token_type", "expires_in", "state"} <= set(fragment)
    assert "refresh_token" not in fragment and "?" not in redirect.split("#")[0].replace(callback, "")
