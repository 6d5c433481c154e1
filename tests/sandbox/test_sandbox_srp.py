"""USER_SRP_AUTH: real SRP against per-user verifiers, aliases, email-as-username, timestamps."""

from __future__ import annotations

import re

from sandbox_helpers import (
    DEMO,
    EMAIL_CLIENT,
    EMAIL_POOL,
    EMAIL_SECRET,
    PUBLIC,
    SrpLogin,
    now_ts,
    refused,
    tokens_of,
    verify_token,
)  # fmt: skip

from cognito_tui.core import srp


def test_srp_by_alias_returns_the_real_username_and_tokens(sandbox, boto_client):
    login = SrpLogin(sandbox, boto_client(sandbox), DEMO, PUBLIC)
    challenge = login.start("bob@example.com")
    assert challenge["ChallengeName"] == "PASSWORD_VERIFIER"
    assert "Session" not in challenge  # the SECRET_BLOCK carries the state
    params = challenge["ChallengeParameters"]
    assert set(params) == {"SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP", "USERNAME"}
    assert params["USER_ID_FOR_SRP"] == params["USERNAME"] == "bob"
    assert re.fullmatch(r"[0-9a-f]+", params["SALT"]) and re.fullmatch(r"[0-9a-f]+", params["SRP_B"])
    result = tokens_of(login.verify("Bob-Sandbox-1"))
    claims = verify_token(sandbox, result["IdToken"], DEMO, PUBLIC, "id")
    assert claims["cognito:username"] == "bob" and claims["email"] == "bob@example.com"


def test_srp_wrong_password_is_refused(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    login = SrpLogin(sandbox, boto_client(sandbox), DEMO, PUBLIC)
    login.start("bob")
    with refused("NotAuthorizedException", "Incorrect username or password."):
        login.verify("Bob-Sandbox-2")


def test_srp_with_the_alias_inside_the_signature_is_refused(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    """The classic bug: hashing the email the user typed instead of USER_ID_FOR_SRP."""
    login = SrpLogin(sandbox, boto_client(sandbox), DEMO, PUBLIC)
    login.start("bob@example.com")
    with refused("NotAuthorizedException", "Incorrect username or password."):
        login.verify("Bob-Sandbox-1", user_id="bob@example.com")


def test_srp_timestamp_must_be_well_formed_and_current(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    for bad in ("Mon Mar 02 09:05:07 UTC 2026", "Tue Mar 2 09:05:07 UTC 2026", "Mon Mar 2 09:05:07 UTC 2026"):
        login = SrpLogin(sandbox, client, DEMO, PUBLIC)
        login.start("bob")
        with refused("NotAuthorizedException", "Incorrect username or password."):
            login.verify("Bob-Sandbox-1", ts=bad)  # zero-padded day, wrong weekday, long ago


def test_srp_secret_block_is_single_use(sandbox, boto_client):
    client = boto_client(sandbox)
    login = SrpLogin(sandbox, client, DEMO, PUBLIC)
    login.start("bob")
    responses = login.claim("Bob-Sandbox-1")
    client.respond_to_auth_challenge(ClientId=PUBLIC, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=responses)
    with refused("NotAuthorizedException", "Invalid session for the user, session can only be used once."):
        client.respond_to_auth_challenge(
            ClientId=PUBLIC, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=responses
        )


def test_email_username_pool_uses_the_uuid_and_the_secret_hash_follows_it(sandbox, boto_client):
    client = boto_client(sandbox)
    login = SrpLogin(sandbox, client, EMAIL_POOL, EMAIL_CLIENT, secret=EMAIL_SECRET)
    params = login.start("walter@example.com")["ChallengeParameters"]
    real = params["USER_ID_FOR_SRP"]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", real)
    # SECRET_HASH over the email in the challenge response: refused
    wrong = {
        **login.claim("Walter-Sandbox-1"),
        "SECRET_HASH": srp.secret_hash("walter@example.com", EMAIL_CLIENT, EMAIL_SECRET),
    }
    with refused("NotAuthorizedException", f"Unable to verify secret hash for client {EMAIL_CLIENT}"):
        client.respond_to_auth_challenge(
            ClientId=EMAIL_CLIENT, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=wrong
        )
    login.start("walter@example.com")
    result = tokens_of(login.verify("Walter-Sandbox-1"))
    claims = verify_token(sandbox, result["IdToken"], EMAIL_POOL, EMAIL_CLIENT, "id")
    assert claims["cognito:username"] == real == claims["sub"] and claims["email"] == "walter@example.com"
    assert verify_token(sandbox, result["AccessToken"], EMAIL_POOL, EMAIL_CLIENT, "access")["username"] == real


def test_email_username_is_the_same_uuid_after_a_restart(sandbox, fresh_sandbox, boto_client):
    first = SrpLogin(sandbox, boto_client(sandbox), EMAIL_POOL, EMAIL_CLIENT, secret=EMAIL_SECRET).start(
        "walter@example.com"
    )
    other = fresh_sandbox()
    again = SrpLogin(other, boto_client(other), EMAIL_POOL, EMAIL_CLIENT, secret=EMAIL_SECRET).start(
        "walter@example.com"
    )
    assert first["ChallengeParameters"]["USER_ID_FOR_SRP"] == again["ChallengeParameters"]["USER_ID_FOR_SRP"]


def test_unknown_user_gets_a_simulated_verifier_then_the_wrong_password_answer(sandbox, boto_client):
    client = boto_client(sandbox)
    first = SrpLogin(sandbox, client, DEMO, PUBLIC)
    params = first.start("nobody")["ChallengeParameters"]
    assert params["USER_ID_FOR_SRP"] == "nobody"
    second = SrpLogin(sandbox, client, DEMO, PUBLIC)
    assert second.start("nobody")["ChallengeParameters"]["SALT"] == params["SALT"]  # a stable fake salt
    with refused("NotAuthorizedException", "Incorrect username or password."):
        second.verify("Whatever-1")


def test_unknown_user_in_an_email_username_pool_gets_a_uuid(sandbox, boto_client):
    login = SrpLogin(sandbox, boto_client(sandbox), EMAIL_POOL, EMAIL_CLIENT, secret=EMAIL_SECRET)
    params = login.start("nobody@example.com")["ChallengeParameters"]
    assert re.fullmatch(r"[0-9a-f-]{36}", params["USER_ID_FOR_SRP"])
    with refused("NotAuthorizedException", "Incorrect username or password."):
        login.verify("Whatever-1")


def test_admin_srp(sandbox, boto_client):
    client = boto_client(sandbox)
    a = srp.SrpClient()
    challenge = client.admin_initiate_auth(
        UserPoolId=DEMO, ClientId=PUBLIC, AuthFlow="USER_SRP_AUTH", AuthParameters={"USERNAME": "bob", "SRP_A": a.srp_a}
    )
    p = challenge["ChallengeParameters"]
    claim = a.claim("DemoPool01", "bob", "Bob-Sandbox-1", p["SALT"], p["SRP_B"], p["SECRET_BLOCK"], now_ts(sandbox))
    result = client.admin_respond_to_auth_challenge(
        UserPoolId=DEMO,
        ClientId=PUBLIC,
        ChallengeName="PASSWORD_VERIFIER",
        ChallengeResponses={"USERNAME": "bob", **claim},
    )
    assert "AccessToken" in result["AuthenticationResult"]
