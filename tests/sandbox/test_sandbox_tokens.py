"""Tokens: refresh, rotation, revocation, global sign-out, expiry, and the JWKS they verify against."""

from __future__ import annotations

import requests
from sandbox_helpers import (
    CONFIDENTIAL,
    CONFIDENTIAL_SECRET,
    DEMO,
    EMAIL_CLIENT,
    EMAIL_POOL,
    EMAIL_SECRET,
    PUBLIC,
    ROTATION,
    SRP_ONLY,
    SrpLogin,
    password_auth,
    refused,
    tokens_of,
    verify_token,
)  # fmt: skip

from cognito_tui.core import srp
from cognito_tui.sandbox.clock import Clock


def refresh(client, token, client_id=PUBLIC, **extra):
    return client.initiate_auth(
        ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": token, **extra}
    )


def test_jwks_and_openid_configuration(sandbox):
    keys = requests.get(sandbox.jwks_url(DEMO), timeout=5).json()["keys"]
    assert keys and keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256" and "d" not in keys[0]
    config = requests.get(f"{sandbox.endpoint_url}/{DEMO}/.well-known/openid-configuration", timeout=5).json()
    assert config["issuer"] == sandbox.issuer(DEMO) == f"https://cognito-idp.us-east-1.amazonaws.com/{DEMO}"
    assert config["jwks_uri"] == sandbox.jwks_url(DEMO)
    assert requests.get(sandbox.jwks_url("us-east-1_Nope"), timeout=5).status_code == 404


def test_refresh_keeps_auth_time_and_gives_no_new_refresh_token(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox(clock=Clock(frozen_at=1_800_000_000))
    client = boto_client(sandbox)
    first = tokens_of(password_auth(client, "alice"))
    sandbox.clock.advance(600)
    renewed = tokens_of(refresh(client, first["RefreshToken"]))
    assert "RefreshToken" not in renewed
    old = verify_token(sandbox, first["AccessToken"], DEMO, PUBLIC, "access")
    new = verify_token(sandbox, renewed["AccessToken"], DEMO, PUBLIC, "access")
    assert new["auth_time"] == old["auth_time"] and new["iat"] == old["iat"] + 600
    assert new["origin_jti"] == old["origin_jti"]
    with refused("NotAuthorizedException", "Invalid Refresh Token"):
        refresh(client, "not-a-refresh-token")
    with refused("NotAuthorizedException", "Invalid Refresh Token"):
        refresh(client, first["RefreshToken"], client_id=SRP_ONLY)  # issued to another client


def test_refresh_secret_hash_uses_the_real_username(sandbox, boto_client):
    client = boto_client(sandbox)
    login = SrpLogin(sandbox, client, EMAIL_POOL, EMAIL_CLIENT, secret=EMAIL_SECRET)
    login.start("walter@example.com")
    result = tokens_of(login.verify("Walter-Sandbox-1"))
    real = verify_token(sandbox, result["AccessToken"], EMAIL_POOL, EMAIL_CLIENT, "access")["username"]
    with refused(
        "NotAuthorizedException", f"Client {EMAIL_CLIENT} is configured with secret but SECRET_HASH was not received"
    ):
        refresh(client, result["RefreshToken"], client_id=EMAIL_CLIENT)
    with refused("NotAuthorizedException", f"SecretHash does not match for the client: {EMAIL_CLIENT}"):
        refresh(client, result["RefreshToken"], client_id=EMAIL_CLIENT,
                SECRET_HASH=srp.secret_hash("walter@example.com", EMAIL_CLIENT, EMAIL_SECRET))  # fmt: skip
    tokens_of(
        refresh(
            client,
            result["RefreshToken"],
            client_id=EMAIL_CLIENT,
            SECRET_HASH=srp.secret_hash(real, EMAIL_CLIENT, EMAIL_SECRET),
        )
    )


def test_rotation_with_get_tokens_from_refresh_token(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    first = tokens_of(password_auth(client, "alice", client_id=ROTATION))
    with refused("InvalidParameterException"):
        refresh(client, first["RefreshToken"], client_id=ROTATION)  # REFRESH_TOKEN_AUTH is not for rotating clients
    second = client.get_tokens_from_refresh_token(ClientId=ROTATION, RefreshToken=first["RefreshToken"])[
        "AuthenticationResult"
    ]
    assert second["RefreshToken"] != first["RefreshToken"]
    verify_token(sandbox, second["IdToken"], DEMO, ROTATION, "id")
    with refused("RefreshTokenReuseException"):
        client.get_tokens_from_refresh_token(ClientId=ROTATION, RefreshToken=first["RefreshToken"])
    third = client.get_tokens_from_refresh_token(ClientId=ROTATION, RefreshToken=second["RefreshToken"])[
        "AuthenticationResult"
    ]
    assert third["RefreshToken"] not in (first["RefreshToken"], second["RefreshToken"])
    # without rotation: new ID and access tokens only
    plain = tokens_of(password_auth(client, "alice"))
    result = client.get_tokens_from_refresh_token(ClientId=PUBLIC, RefreshToken=plain["RefreshToken"])[
        "AuthenticationResult"
    ]
    assert "RefreshToken" not in result and "AccessToken" in result


def test_get_tokens_from_refresh_token_checks_the_client_secret(sandbox, boto_client):
    client = boto_client(sandbox)
    hashed = srp.secret_hash("alice", CONFIDENTIAL, CONFIDENTIAL_SECRET)
    first = tokens_of(password_auth(client, "alice", client_id=CONFIDENTIAL, SECRET_HASH=hashed))
    with refused(
        "NotAuthorizedException", f"Client {CONFIDENTIAL} is configured for secret but secret was not received"
    ):
        client.get_tokens_from_refresh_token(ClientId=CONFIDENTIAL, RefreshToken=first["RefreshToken"])
    with refused("NotAuthorizedException", f"Unable to verify secret hash for client {CONFIDENTIAL}"):
        client.get_tokens_from_refresh_token(
            ClientId=CONFIDENTIAL, RefreshToken=first["RefreshToken"], ClientSecret="x" * 30
        )
    client.get_tokens_from_refresh_token(
        ClientId=CONFIDENTIAL, RefreshToken=first["RefreshToken"], ClientSecret=CONFIDENTIAL_SECRET
    )


def test_revoke_token(sandbox, boto_client):
    client = boto_client(sandbox)
    first = tokens_of(password_auth(client, "alice"))
    other = tokens_of(password_auth(client, "alice"))
    with refused("UnsupportedTokenTypeException"):
        client.revoke_token(ClientId=PUBLIC, Token=first["AccessToken"])
    client.revoke_token(ClientId=PUBLIC, Token=first["RefreshToken"])
    with refused("NotAuthorizedException", "Refresh Token has been revoked"):
        refresh(client, first["RefreshToken"])
    with refused("NotAuthorizedException", "Access Token has been revoked"):
        client.get_user(AccessToken=first["AccessToken"])
    assert client.get_user(AccessToken=other["AccessToken"])["Username"] == "alice"  # another sign-in: untouched
    tokens_of(refresh(client, other["RefreshToken"]))


def test_global_sign_out(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    first = tokens_of(password_auth(client, "alice"))
    second = tokens_of(password_auth(client, "alice", client_id=ROTATION))
    client.global_sign_out(AccessToken=first["AccessToken"])
    for token in (first["AccessToken"], second["AccessToken"]):
        with refused("NotAuthorizedException", "Access Token has been revoked"):
            client.get_user(AccessToken=token)
    with refused("NotAuthorizedException", "Refresh Token has been revoked"):
        refresh(client, first["RefreshToken"])
    verify_token(sandbox, first["AccessToken"], DEMO, PUBLIC, "access")  # still a valid JWT offline
    third = tokens_of(password_auth(client, "alice"))
    client.admin_user_global_sign_out(UserPoolId=DEMO, Username="alice")
    with refused("NotAuthorizedException", "Access Token has been revoked"):
        client.get_user(AccessToken=third["AccessToken"])


def test_access_tokens_expire_on_the_sandbox_clock(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox(clock=Clock(frozen_at=1_800_000_000))
    client = boto_client(sandbox)
    result = tokens_of(password_auth(client, "alice"))
    claims = verify_token(sandbox, result["AccessToken"], DEMO, PUBLIC, "access")
    assert claims["iat"] == 1_800_000_000 and claims["exp"] == 1_800_003_600
    sandbox.clock.advance(3600)
    with refused("NotAuthorizedException", "Access Token has expired"):
        client.get_user(AccessToken=result["AccessToken"])
    tokens_of(refresh(client, result["RefreshToken"]))
    sandbox.clock.advance(30 * 86400)
    with refused("NotAuthorizedException", "Refresh Token has expired"):
        refresh(client, result["RefreshToken"])


def test_moto_operations_accept_sandbox_tokens(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    access = tokens_of(password_auth(client, "alice"))["AccessToken"]
    client.update_user_attributes(AccessToken=access, UserAttributes=[{"Name": "nickname", "Value": "ally"}])
    attributes = {a["Name"]: a["Value"] for a in client.get_user(AccessToken=access)["UserAttributes"]}
    assert attributes["nickname"] == "ally"
    client.change_password(AccessToken=access, PreviousPassword="Alice-Sandbox-1", ProposedPassword="Alice-Changed-1")
    login = SrpLogin(sandbox, client, DEMO, PUBLIC)
    login.start("alice")
    tokens_of(login.verify("Alice-Changed-1"))
