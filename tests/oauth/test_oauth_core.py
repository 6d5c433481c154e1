"""The headless OAuth core: PKCE, endpoints, masking and curl, error explanations (no network)."""

from __future__ import annotations

import base64
import json

import pytest

from cognito_tui.core.oauth import (
    HttpRequest,
    HttpResponse,
    code_challenge,
    explain_oauth,
    from_discovery,
    from_domain,
    new_nonce,
    new_state,
    new_verifier,
)
from cognito_tui.core.oauth.endpoints import EndpointProblem, discovery_url
from cognito_tui.core.oauth.pkce import verifier_problem
from cognito_tui.core.redact import Secret


def test_s256_matches_the_rfc_7636_vector():
    assert (
        code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )


def test_verifiers_states_and_nonces_are_fresh_and_url_safe():
    verifiers = {new_verifier() for _ in range(50)}
    assert len(verifiers) == 50
    assert all(verifier_problem(v) is None for v in verifiers)
    for value in [new_state(), new_nonce()]:
        assert not set(value) & set("%+=/") and len(value) >= 43
    assert verifier_problem("short") is not None and verifier_problem("a" * 42 + "!") is not None


def test_endpoints_from_a_prefix_an_fqdn_and_a_url():
    prefix = from_domain("myprefix", "eu-west-1")
    assert prefix.authorize == "https://myprefix.auth.eu-west-1.amazoncognito.com/oauth2/authorize"
    assert prefix.userinfo.endswith("/oauth2/userInfo") and prefix.logout.endswith("/logout")
    assert from_domain("auth.example.com").token == "https://auth.example.com/oauth2/token"
    assert from_domain("http://127.0.0.1:9/domain/x/").revoke == "http://127.0.0.1:9/domain/x/oauth2/revoke"
    with pytest.raises(EndpointProblem):
        from_domain("myprefix", "")
    assert discovery_url("us-east-1_Abc") == (
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc/.well-known/openid-configuration"
    )


def test_discovery_of_a_domainless_pool_is_flagged():
    base = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc"
    doc = {"authorization_endpoint": f"{base}/authorize", "token_endpoint": f"{base}/token", "issuer": base}
    ends = from_discovery(doc)
    assert ends.domainless and ends.userinfo == f"{base}/userInfo"
    with pytest.raises(EndpointProblem):
        from_discovery({"issuer": base})


def test_requests_mask_every_secret_and_curl_uses_placeholders():
    secret, verifier, code = "s3cr3t-client-secret-value", "v" * 60, "c0de-1234-5678"
    request = HttpRequest("POST", "https://d/oauth2/token", basic=("cid", Secret(secret)),
                          form={"grant_type": "authorization_code", "code": code, "code_verifier": verifier})  # fmt: skip
    wire = request.wire_headers()["Authorization"]
    assert wire == "Basic " + base64.b64encode(f"cid:{secret}".encode()).decode()
    shown = json.dumps(request.masked()) + request.curl()
    for value in (secret, verifier, code, wire):
        assert value not in shown
    assert "-u 'cid:<client_secret>'" in request.curl() and "code_verifier=<code_verifier>" in request.curl()
    assert secret in request.curl(reveal=True)
    token = "eyJ" + "a" * 200
    response = HttpResponse(200, {"Content-Type": "application/json"},
                            json.dumps({"access_token": token, "refresh_token": "r" * 80}).encode())  # fmt: skip
    assert token not in json.dumps(response.masked()) and "r" * 80 not in json.dumps(response.masked())


def test_the_basic_header_matches_the_documented_example():
    request = HttpRequest(
        "POST", "https://d/oauth2/token", form={}, basic=("djc98u3jiedmi283eu928", Secret("abcdef01234567890"))
    )
    assert request.wire_headers()["Authorization"] == "Basic ZGpjOTh1M2ppZWRtaTI4M2V1OTI4OmFiY2RlZjAxMjM0NTY3ODkw"


@pytest.mark.parametrize(
    ("where", "error", "description", "needle"),
    [
        ("error_page", "redirect_mismatch", None, "CallbackURLs"),
        ("authorize", "unauthorized_client", None, "AllowedOAuthFlowsUserPoolClient"),
        ("authorize", "invalid_scope", None, "AllowedOAuthScopes"),
        ("token", "invalid_grant", None, "code_verifier"),
        ("token", "invalid_client", None, "HTTP Basic"),
        ("token", "unauthorized_client", "invalid_redirect", "redirect_uri"),
        ("token", "invalid_scope", None, "custom scope"),
        ("userinfo", "invalid_token", None, "openid"),
        ("revoke", "unsupported_token_type", None, "refresh token"),
        ("callback", "state_mismatch", None, "state"),
        ("error_page", "login_pages_unavailable", None, "CreateManagedLoginBranding"),
        ("token", "method_not_allowed", None, "x-www-form-urlencoded"),
    ],
)
def test_each_oauth_error_has_a_cause_and_a_next_check(where, error, description, needle):
    failure = explain_oauth(where, error, description)
    assert failure.cause and failure.checks
    assert needle in failure.cause + " ".join(failure.checks)
