"""Password sign-ins (alice): USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH, tokens and their claims."""

from __future__ import annotations

from sandbox_helpers import (
    CONFIDENTIAL,
    CONFIDENTIAL_SECRET,
    DEMO,
    PUBLIC,
    password_auth,
    refused,
    tokens_of,
    verify_token,
)

from cognito_tui.core import srp


def test_password_sign_in_gives_tokens_that_verify_offline(sandbox, boto_client):
    response = password_auth(boto_client(sandbox), "alice")
    assert response["ChallengeParameters"] == {}
    result = tokens_of(response)
    assert result["TokenType"] == "Bearer" and result["ExpiresIn"] == 3600
    assert "NewDeviceMetadata" not in result  # no device tracking in the demo pool
    id_claims = verify_token(sandbox, result["IdToken"], DEMO, PUBLIC, "id")
    access = verify_token(sandbox, result["AccessToken"], DEMO, PUBLIC, "access")
    assert id_claims["cognito:username"] == "alice"
    assert id_claims["email"] == "alice@example.com" and id_claims["email_verified"] is True
    assert id_claims["name"] == "Alice Example"
    assert id_claims["aud"] == PUBLIC and id_claims["sub"] == access["sub"]
    assert access["username"] == "alice" and access["scope"] == "aws.cognito.signin.user.admin"
    assert "aud" not in access and "device_key" not in access
    assert id_claims["auth_time"] == access["auth_time"] and id_claims["origin_jti"] == access["origin_jti"]
    assert id_claims["event_id"] == access["event_id"] and id_claims["jti"] != access["jti"]
    assert access["exp"] - access["iat"] == 3600
    assert result["RefreshToken"].count(".") == 4  # opaque, JWE-shaped


def test_wrong_password_is_refused(sandbox, boto_client):
    with refused("NotAuthorizedException", "Incorrect username or password."):
        password_auth(boto_client(sandbox), "alice", "Alice-Sandbox-2")


def test_admin_password_flow(sandbox, boto_client):
    client = boto_client(sandbox)
    response = client.admin_initiate_auth(
        UserPoolId=DEMO, ClientId=PUBLIC, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": "Alice-Sandbox-1"},
    )  # fmt: skip
    assert verify_token(sandbox, tokens_of(response)["AccessToken"], DEMO, PUBLIC, "access")["username"] == "alice"
    with refused("NotAuthorizedException", "Incorrect username or password."):
        client.admin_initiate_auth(
            UserPoolId=DEMO,
            ClientId=PUBLIC,
            AuthFlow="ADMIN_NO_SRP_AUTH",
            AuthParameters={"USERNAME": "alice", "PASSWORD": "nope"},
        )


def test_confidential_client_password_flow_with_secret_hash(sandbox, boto_client):
    response = password_auth(
        boto_client(sandbox),
        "alice",
        client_id=CONFIDENTIAL,
        SECRET_HASH=srp.secret_hash("alice", CONFIDENTIAL, CONFIDENTIAL_SECRET),
    )
    assert verify_token(sandbox, tokens_of(response)["IdToken"], DEMO, CONFIDENTIAL, "id")["aud"] == CONFIDENTIAL


def test_get_user_with_the_access_token(sandbox, boto_client):
    client = boto_client(sandbox)
    access = tokens_of(password_auth(client, "alice"))["AccessToken"]
    user = client.get_user(AccessToken=access)
    assert user["Username"] == "alice"
    assert {a["Name"]: a["Value"] for a in user["UserAttributes"]}["email"] == "alice@example.com"
    assert "UserMFASettingList" not in user
    with refused("NotAuthorizedException", "Invalid Access Token"):
        client.get_user(AccessToken=access[:-4] + "AAAA")
