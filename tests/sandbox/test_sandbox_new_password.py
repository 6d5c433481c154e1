"""NEW_PASSWORD_REQUIRED (carol): required attributes, password policy, temporary-password expiry."""

from __future__ import annotations

import json

from sandbox_helpers import DEMO, PUBLIC, password_auth, refused, respond, srp_sign_in, tokens_of, verify_token

from cognito_tui.sandbox.clock import Clock


def test_new_password_required_with_a_missing_attribute(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    challenge = password_auth(client, "carol")
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    params = challenge["ChallengeParameters"]
    assert params["USER_ID_FOR_SRP"] == "carol"
    assert params["requiredAttributes"] == '["userAttributes.name"]'
    assert json.loads(params["userAttributes"]) == {"email": "carol@example.com", "email_verified": "true"}
    with refused("InvalidParameterException", "Invalid attributes given, name is missing"):
        respond(client, challenge, NEW_PASSWORD="Carol-New-Passw0rd")
    challenge = password_auth(client, "carol")
    with refused(
        "InvalidPasswordException", "Password did not conform with policy: Password must have symbol characters"
    ):
        respond(client, challenge, NEW_PASSWORD="CarolNewPassw0rd", **{"userAttributes.name": "Carol Example"})
    challenge = password_auth(client, "carol")
    with refused("InvalidPasswordException", "Password did not conform with policy: Password not long enough"):
        respond(client, challenge, NEW_PASSWORD="Ca-1", **{"userAttributes.name": "Carol Example"})
    challenge = password_auth(client, "carol")
    result = tokens_of(
        respond(client, challenge, NEW_PASSWORD="Carol-New-Passw0rd", **{"userAttributes.name": "Carol Example"})
    )
    claims = verify_token(sandbox, result["IdToken"], DEMO, PUBLIC, "id")
    assert claims["name"] == "Carol Example"
    assert client.admin_get_user(UserPoolId=DEMO, Username="carol")["UserStatus"] == "CONFIRMED"
    with refused("NotAuthorizedException", "Incorrect username or password."):
        password_auth(client, "carol")  # the temporary password is gone
    tokens_of(password_auth(client, "carol", "Carol-New-Passw0rd"))
    # the SRP verifier follows the new password too
    tokens_of(srp_sign_in(sandbox, client, "carol", "Carol-New-Passw0rd"))
    assert [u for u in sandbox.describe()["pools"][0]["users"] if u["username"] == "carol"][0][
        "password"
    ] == "Carol-New-Passw0rd"


def test_new_password_after_srp(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    challenge = srp_sign_in(sandbox, client, "carol", "Carol-Temp-1")
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    tokens_of(respond(client, challenge, NEW_PASSWORD="Carol-New-Passw0rd", **{"userAttributes.name": "Carol"}))


def test_temporary_password_expires(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox(clock=Clock(frozen_at=1_800_000_000))
    client = boto_client(sandbox)
    sandbox.clock.advance(8 * 86400)
    with refused("NotAuthorizedException", "Temporary password has expired and must be reset by an administrator."):
        password_auth(client, "carol")
    client.admin_set_user_password(UserPoolId=DEMO, Username="carol", Password="Carol-Temp-2", Permanent=False)
    assert password_auth(client, "carol", "Carol-Temp-2")["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


def test_admin_set_user_password_is_seen_by_srp(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    client.admin_set_user_password(UserPoolId=DEMO, Username="bob", Password="Bob-Changed-1", Permanent=True)
    tokens_of(srp_sign_in(sandbox, client, "bob", "Bob-Changed-1"))


def test_admin_created_user_gets_new_password_required(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    client.admin_create_user(
        UserPoolId=DEMO, Username="zoe", TemporaryPassword="Zoe-Temp-1", MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "name", "Value": "Zoe"}],
    )  # fmt: skip
    challenge = password_auth(client, "zoe", "Zoe-Temp-1")
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert challenge["ChallengeParameters"]["requiredAttributes"] == "[]"
    tokens_of(respond(client, challenge, NEW_PASSWORD="Zoe-Forever-1"))
