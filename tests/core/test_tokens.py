"""Token claims judged in core: issuer/pool mismatch, JWKS location, claim problems."""

from cognito_tui.core import tokens

ISS = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_DemoPool01"


def test_jwks_comes_from_the_walks_endpoint_when_there_is_one():
    assert (
        tokens.jwks_url(ISS, "http://127.0.0.1:9/") == "http://127.0.0.1:9/us-east-1_DemoPool01/.well-known/jwks.json"
    )
    assert tokens.jwks_url(ISS, None) == ISS + "/.well-known/jwks.json"


def test_a_token_from_another_pool_is_called_out():
    note = tokens.issuer_note("us-east-1_WrongPool9", {"iss": ISS})
    assert note is not None and "us-east-1_DemoPool01" in note and "us-east-1_WrongPool9" in note
    assert tokens.issuer_note("us-east-1_DemoPool01", {"iss": ISS}) is None
    assert tokens.issuer_note("us-east-1_DemoPool01", {}) is None


def test_claim_problems_name_each_rule():
    good = {"iss": ISS, "exp": 2000, "token_use": "access", "client_id": "abc"}
    assert tokens.claim_problems(good, issuer=ISS, client_id="abc", now=1000) == []
    bad = {"iss": "x", "exp": 10, "token_use": "refresh", "client_id": "zzz"}
    problems = tokens.claim_problems(bad, issuer=ISS, client_id="abc", now=1000)
    assert any("iss is 'x'" in p for p in problems)
    assert "expired" in problems
    assert any("token_use is 'refresh'" in p for p in problems)
    assert any("client_id is 'zzz'" in p for p in problems)
    assert tokens.claim_problems({"exp": "soon", "token_use": "id"}) == ["exp is 'soon', not a time"]
