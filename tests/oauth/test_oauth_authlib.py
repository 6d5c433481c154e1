"""An independent OAuth 2.0 client (authlib) signs in through the sandbox's endpoints: discovery,
authorization code + PKCE S256, the code exchange, userInfo, refresh, revocation, client credentials.
Nothing of cognito-tui's OAuth core is used on the client side."""

from __future__ import annotations

import jwt as pyjwt
import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from oauth_helpers import DEMO, M2M, M2M_SECRET, WEB_CONF, WEB_CONF_SECRET, PageBrowser, register_callback


@pytest.fixture(scope="module")
def discovery(oauth_sandbox) -> dict:
    return requests.get(f"{oauth_sandbox.endpoint_url}/{DEMO}/.well-known/openid-configuration").json()


def verified(discovery: dict, token: str, audience: str | None = None) -> dict:
    """Signature, issuer and audience checked against the JWKS the discovery document names (PyJWT)."""
    keys = pyjwt.PyJWKSet.from_dict(requests.get(discovery["jwks_uri"]).json())
    key = keys[pyjwt.get_unverified_header(token)["kid"]]
    return pyjwt.decode(token, key.key, algorithms=["RS256"], issuer=discovery["issuer"], audience=audience,
                        options={"verify_aud": audience is not None, "verify_exp": False, "verify_iat": False})  # fmt: skip


def test_authlib_code_flow_with_pkce_then_refresh_and_revoke(boto, discovery):
    callback = register_callback(boto, WEB_CONF)
    session = OAuth2Session(WEB_CONF, WEB_CONF_SECRET, scope="openid email profile", redirect_uri=callback,
                            code_challenge_method="S256", token_endpoint_auth_method="client_secret_basic")  # fmt: skip
    verifier = generate_token(64)
    nonce = generate_token(20)
    url, state = session.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier,
                                                  nonce=nonce)  # fmt: skip
    redirect = PageBrowser().sign_in(url, "bob@example.com", "Bob-Sandbox-1")  # the email alias signs in too
    token = session.fetch_token(discovery["token_endpoint"], authorization_response=redirect, code_verifier=verifier,
                                state=state)  # fmt: skip
    assert {"access_token", "id_token", "refresh_token", "expires_in", "token_type"} <= set(token)

    claims = verified(discovery, token["id_token"], audience=WEB_CONF)
    assert claims["nonce"] == nonce and claims["cognito:username"] == "bob" and claims["token_use"] == "id"

    info = session.get(discovery["userinfo_endpoint"]).json()
    assert info["username"] == "bob" and info["email"] == "bob@example.com" and info["email_verified"] == "true"

    refreshed = session.refresh_token(discovery["token_endpoint"], refresh_token=token["refresh_token"])
    assert refreshed["access_token"] != token["access_token"]
    revoked = session.revoke_token(discovery["revocation_endpoint"], token=token["refresh_token"],
                                   token_type_hint="refresh_token")  # fmt: skip
    assert revoked.status_code == 200
    with pytest.raises(Exception, match="invalid_grant"):
        session.refresh_token(discovery["token_endpoint"], refresh_token=token["refresh_token"])


def test_authlib_client_credentials_with_a_custom_scope(discovery):
    session = OAuth2Session(M2M, M2M_SECRET, scope="demo-api/read")
    token = session.fetch_token(discovery["token_endpoint"], grant_type="client_credentials")
    assert token["token_type"] == "Bearer" and "refresh_token" not in token
    claims = verified(discovery, token["access_token"])
    assert claims["scope"] == "demo-api/read" and claims["client_id"] == M2M and claims["token_use"] == "access"
