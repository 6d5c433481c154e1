"""What Cognito refuses: disallowed flows, SECRET_HASH, Sessions, lockout, user states, existence errors."""

from __future__ import annotations

import requests
from sandbox_helpers import (
    CONFIDENTIAL,
    CONFIDENTIAL_SECRET,
    DEMO,
    PUBLIC,
    SRP_ONLY,
    SrpLogin,
    password_auth,
    refused,
    respond,
    tokens_of,
)  # fmt: skip

from cognito_tui.core import srp
from cognito_tui.sandbox.clock import Clock

INCORRECT = "Incorrect username or password."


def test_flows_must_be_enabled_on_the_client(sandbox, boto_client):
    client = boto_client(sandbox)
    with refused("InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client"):
        password_auth(client, "alice", client_id=SRP_ONLY)
    with refused("InvalidParameterException", "Auth flow not enabled for this client"):
        client.initiate_auth(ClientId=SRP_ONLY, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "mallory"})
    with refused("InvalidParameterException", "Auth flow not enabled for this client"):
        client.admin_initiate_auth(UserPoolId=DEMO, ClientId=SRP_ONLY, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": "alice", "PASSWORD": "Alice-Sandbox-1"})  # fmt: skip
    SrpLogin(sandbox, client, DEMO, SRP_ONLY).start("alice")  # SRP is allowed there


def test_admin_flows_only_on_the_admin_api(sandbox, boto_client):
    client = boto_client(sandbox)
    with refused("InvalidParameterException", "Initiate Auth method not supported."):
        client.initiate_auth(ClientId=PUBLIC, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": "alice", "PASSWORD": "Alice-Sandbox-1"})  # fmt: skip
    with refused("InvalidParameterException", "Initiate Auth method not supported."):
        client.admin_initiate_auth(UserPoolId=DEMO, ClientId=PUBLIC, AuthFlow="USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": "alice", "PASSWORD": "Alice-Sandbox-1"})  # fmt: skip
    with refused("InvalidParameterException") as caught:
        client.initiate_auth(ClientId=PUBLIC, AuthFlow="PASSWORD_AUTH", AuthParameters={"USERNAME": "alice"})
    assert "at 'authFlow' failed to satisfy constraint" in caught.value.response["Error"]["Message"]


def test_request_shape_errors(sandbox, boto_client):
    client = boto_client(sandbox)
    with refused("InvalidParameterException", "Missing required parameter USERNAME"):
        client.initiate_auth(ClientId=PUBLIC, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"PASSWORD": "x"})
    with refused("InvalidParameterException", "Missing required parameter SRP_A"):
        client.initiate_auth(ClientId=PUBLIC, AuthFlow="USER_SRP_AUTH", AuthParameters={"USERNAME": "alice"})
    with refused("ResourceNotFoundException", "User pool client nosuchclient000000000000001 does not exist."):
        password_auth(client, "alice", client_id="nosuchclient000000000000001")
    with refused("ResourceNotFoundException", "User pool us-east-1_Nope does not exist."):
        client.admin_initiate_auth(UserPoolId="us-east-1_Nope", ClientId=PUBLIC, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": "alice", "PASSWORD": "x"})  # fmt: skip


def test_malformed_body_gets_a_json_error_not_html(sandbox):
    response = requests.post(
        sandbox.endpoint_url + "/", data=b"{not json",
        headers={"X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth", "Content-Type": "application/x-amz-json-1.1"},
        timeout=5,
    )  # fmt: skip
    assert response.status_code == 400 and response.json()["__type"] == "SerializationException"


def test_secret_hash_is_required_and_checked_on_initiate(sandbox, boto_client):
    client = boto_client(sandbox)
    with refused(
        "NotAuthorizedException", f"Client {CONFIDENTIAL} is configured with secret but SECRET_HASH was not received"
    ):
        password_auth(client, "alice", client_id=CONFIDENTIAL)
    with refused("NotAuthorizedException", f"Unable to verify secret hash for client {CONFIDENTIAL}"):
        password_auth(
            client,
            "alice",
            client_id=CONFIDENTIAL,
            SECRET_HASH=srp.secret_hash("bob", CONFIDENTIAL, CONFIDENTIAL_SECRET),
        )
    with refused(
        "NotAuthorizedException", f"Client {CONFIDENTIAL} is configured with secret but SECRET_HASH was not received"
    ):
        client.admin_initiate_auth(UserPoolId=DEMO, ClientId=CONFIDENTIAL, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": "alice", "PASSWORD": "Alice-Sandbox-1"})  # fmt: skip
    with refused(
        "NotAuthorizedException", f"Client {CONFIDENTIAL} is configured with secret but SECRET_HASH was not received"
    ):
        client.sign_up(ClientId=CONFIDENTIAL, Username="newbie", Password="Newbie-Sandbox-1")


def test_secret_hash_is_required_and_checked_on_every_challenge_answer(sandbox, boto_client):
    client = boto_client(sandbox)
    good = srp.secret_hash("erin", CONFIDENTIAL, CONFIDENTIAL_SECRET)
    challenge = password_auth(client, "erin", client_id=CONFIDENTIAL, SECRET_HASH=good)
    code = sandbox.outbox.latest("erin")["code"]
    with refused(
        "NotAuthorizedException", f"Client {CONFIDENTIAL} is configured with secret but SECRET_HASH was not received"
    ):
        respond(client, challenge, client_id=CONFIDENTIAL, SMS_MFA_CODE=code)
    challenge = password_auth(client, "erin", client_id=CONFIDENTIAL, SECRET_HASH=good)
    code = sandbox.outbox.latest("erin")["code"]
    with refused("NotAuthorizedException", f"Unable to verify secret hash for client {CONFIDENTIAL}"):
        respond(client, challenge, client_id=CONFIDENTIAL, SMS_MFA_CODE=code, SECRET_HASH="d3Jvbmc=")
    challenge = password_auth(client, "erin", client_id=CONFIDENTIAL, SECRET_HASH=good)
    tokens_of(
        respond(
            client,
            challenge,
            client_id=CONFIDENTIAL,
            SMS_MFA_CODE=sandbox.outbox.latest("erin")["code"],
            SECRET_HASH=good,
        )
    )


def test_bad_reused_and_foreign_sessions(sandbox, boto_client):
    client = boto_client(sandbox)
    with refused("InvalidParameterException", "Missing required parameter Session"):
        client.respond_to_auth_challenge(
            ClientId=PUBLIC, ChallengeName="SMS_MFA", ChallengeResponses={"USERNAME": "erin", "SMS_MFA_CODE": "1"}
        )
    with refused("NotAuthorizedException", "Invalid session for the user."):
        client.respond_to_auth_challenge(ClientId=PUBLIC, ChallengeName="SMS_MFA", Session="made-up-session-" * 3,
                                         ChallengeResponses={"USERNAME": "erin", "SMS_MFA_CODE": "123456"})  # fmt: skip
    challenge = password_auth(client, "erin")
    with refused("NotAuthorizedException", "Invalid session for the user."):
        respond(client, challenge, client_id=SRP_ONLY, SMS_MFA_CODE="123456")  # another client's session
    with refused("InvalidParameterException"):
        client.respond_to_auth_challenge(ClientId=PUBLIC, ChallengeName="SOFTWARE_TOKEN_MFA", Session=challenge["Session"],
                                         ChallengeResponses={"USERNAME": "erin", "SOFTWARE_TOKEN_MFA_CODE": "123456"})  # fmt: skip
    with refused("NotAuthorizedException", INCORRECT):
        respond(client, challenge, USERNAME="alice", SMS_MFA_CODE="123456")  # not the session's user
    tokens_of(respond(client, challenge, SMS_MFA_CODE=sandbox.outbox.latest("erin")["code"]))
    with refused("NotAuthorizedException", "Invalid session for the user, session can only be used once."):
        respond(client, challenge, SMS_MFA_CODE=sandbox.outbox.latest("erin")["code"])


def test_sessions_expire_after_auth_session_validity(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox(clock=Clock(frozen_at=1_800_000_000))
    client = boto_client(sandbox)
    challenge = password_auth(client, "erin")
    code = sandbox.outbox.latest("erin")["code"]
    sandbox.clock.advance(3 * 60 + 1)  # AuthSessionValidity: 3 minutes
    with refused("NotAuthorizedException", "Invalid session for the user, session is expired."):
        respond(client, challenge, SMS_MFA_CODE=code)
    challenge = password_auth(client, "erin")
    sandbox.clock.advance(3 * 60 - 1)
    tokens_of(respond(client, challenge, SMS_MFA_CODE=sandbox.outbox.latest("erin")["code"]))


def test_a_longer_auth_session_validity_from_the_seed(tmp_path, fresh_sandbox, boto_client):
    seed = tmp_path / "seed.yaml"
    seed.write_text(
        "pools:\n  - id: us-east-1_Slow0001\n    name: slow\n    mfa: OPTIONAL\n    mfa_factors: [SMS]\n"
        "    clients: [{name: app, id: slowapp000000000000000001, flows: [ALLOW_USER_PASSWORD_AUTH], auth_session_validity: 15}]\n"
        "    users: [{username: sam, password: Sam-Sandbox-1, mfa: {sms: true}, attributes: {phone_number: '+15555550199'}}]\n"
    )
    sandbox = fresh_sandbox(seed, clock=Clock(frozen_at=1_800_000_000))
    client = boto_client(sandbox)
    challenge = password_auth(client, "sam", "Sam-Sandbox-1", client_id="slowapp000000000000000001")
    assert client.describe_user_pool_client(UserPoolId="us-east-1_Slow0001", ClientId="slowapp000000000000000001")[
        "UserPoolClient"]["AuthSessionValidity"] == 15  # fmt: skip
    sandbox.clock.advance(14 * 60)
    tokens_of(
        respond(
            client, challenge, client_id="slowapp000000000000000001", SMS_MFA_CODE=sandbox.outbox.latest("sam")["code"]
        )
    )


def test_lockout_after_five_failures(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox(clock=Clock(frozen_at=1_800_000_000))
    client = boto_client(sandbox)
    for _ in range(4):
        with refused("NotAuthorizedException", INCORRECT):
            password_auth(client, "alice", "Wrong-Password-1")
    with refused("NotAuthorizedException", "Password attempts exceeded"):
        password_auth(client, "alice", "Wrong-Password-1")  # the fifth failure starts the lockout and says so
    with refused("NotAuthorizedException", "Password attempts exceeded"):
        password_auth(client, "alice")  # even the right password, during the lockout
    login = SrpLogin(sandbox, client, DEMO, PUBLIC)
    login.start("alice")
    with refused("NotAuthorizedException", "Password attempts exceeded"):
        login.verify("Alice-Sandbox-1")
    sandbox.clock.advance(1)  # the first lockout lasts one second
    with refused("NotAuthorizedException", "Password attempts exceeded"):
        password_auth(client, "alice", "Wrong-Password-1")  # sixth failure: two seconds now
    sandbox.clock.advance(1)
    with refused("NotAuthorizedException", "Password attempts exceeded"):
        password_auth(client, "alice")
    sandbox.clock.advance(1)
    tokens_of(password_auth(client, "alice"))  # success resets the count
    with refused("NotAuthorizedException", INCORRECT):
        password_auth(client, "alice", "Wrong-Password-1")


def test_wrong_mfa_codes_count_towards_lockout(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox(clock=Clock(frozen_at=1_800_000_000))
    client = boto_client(sandbox)
    challenge = password_auth(client, "erin")
    code = sandbox.outbox.latest("erin")["code"]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with refused("CodeMismatchException"):
            respond(client, challenge, SMS_MFA_CODE=wrong)
    with refused("NotAuthorizedException", "Password attempts exceeded"):
        respond(client, challenge, SMS_MFA_CODE=code)


def test_prevent_user_existence_errors_enabled_and_legacy(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    with refused("NotAuthorizedException", INCORRECT):
        password_auth(client, "nobody", "Nobody-Sandbox-1")
    client.update_user_pool_client(UserPoolId=DEMO, ClientId=PUBLIC, PreventUserExistenceErrors="LEGACY")
    with refused("UserNotFoundException", "User does not exist."):
        password_auth(client, "nobody", "Nobody-Sandbox-1")
    with refused("UserNotFoundException", "User does not exist."):
        SrpLogin(sandbox, client, DEMO, PUBLIC).start("nobody")
    with refused("NotAuthorizedException", INCORRECT):
        password_auth(client, "alice", "Wrong-Password-1")  # existing user, wrong password: still the same text


def test_user_states(sandbox, boto_client):
    client = boto_client(sandbox)
    with refused("UserNotConfirmedException", "User is not confirmed."):
        password_auth(client, "uma")
    with refused("NotAuthorizedException", INCORRECT):
        password_auth(client, "uma", "Wrong-Password-1")
    with refused("PasswordResetRequiredException", "Password reset required for the user"):
        password_auth(client, "rita")
    with refused("NotAuthorizedException", "User is disabled."):
        password_auth(client, "dora")
    with refused("NotAuthorizedException", "User is disabled."):
        SrpLogin(sandbox, client, DEMO, PUBLIC).start("dora")
    login = SrpLogin(sandbox, client, DEMO, PUBLIC)
    login.start("uma")
    with refused("UserNotConfirmedException", "User is not confirmed."):
        login.verify("Uma-Sandbox-1")


def test_admin_changes_are_seen(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    client.admin_enable_user(UserPoolId=DEMO, Username="dora")
    tokens_of(password_auth(client, "dora"))
    client.admin_disable_user(UserPoolId=DEMO, Username="alice")
    with refused("NotAuthorizedException", "User is disabled."):
        password_auth(client, "alice")
    client.admin_confirm_sign_up(UserPoolId=DEMO, Username="uma")
    tokens_of(password_auth(client, "uma"))


def test_confirm_sign_up_with_the_code_from_the_outbox(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    sent = client.resend_confirmation_code(ClientId=PUBLIC, Username="uma")["CodeDeliveryDetails"]
    assert sent == {"Destination": "u***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    message = sandbox.outbox.latest("uma")
    assert message["purpose"] == "SIGN_UP" and message["destination"] == "uma@example.com"
    with refused("CodeMismatchException", "Invalid verification code provided, please try again."):
        client.confirm_sign_up(
            ClientId=PUBLIC, Username="uma", ConfirmationCode="000000" if message["code"] != "000000" else "1"
        )
    client.confirm_sign_up(ClientId=PUBLIC, Username="uma", ConfirmationCode=message["code"])
    tokens_of(password_auth(client, "uma@example.com", "Uma-Sandbox-1"))  # the email is verified now: an alias
    with refused("NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED"):
        client.confirm_sign_up(ClientId=PUBLIC, Username="uma", ConfirmationCode=message["code"])


def test_sign_up_then_confirm(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    with refused(
        "InvalidPasswordException", "Password did not conform with policy: Password must have numeric characters"
    ):
        client.sign_up(ClientId=PUBLIC, Username="newbie", Password="No-Digits-Here")
    with refused("UsernameExistsException", "User already exists"):
        client.sign_up(ClientId=PUBLIC, Username="alice", Password="Alice-Again-1")
    created = client.sign_up(ClientId=PUBLIC, Username="newbie", Password="Newbie-Sandbox-1",
                             UserAttributes=[{"Name": "email", "Value": "newbie@example.com"}])  # fmt: skip
    assert created["UserConfirmed"] is False and created["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    with refused("UserNotConfirmedException", "User is not confirmed."):
        password_auth(client, "newbie", "Newbie-Sandbox-1")
    client.confirm_sign_up(ClientId=PUBLIC, Username="newbie", ConfirmationCode=sandbox.outbox.latest("newbie")["code"])
    tokens_of(password_auth(client, "newbie", "Newbie-Sandbox-1"))
    hashed = srp.secret_hash("other", CONFIDENTIAL, CONFIDENTIAL_SECRET)
    client.sign_up(ClientId=CONFIDENTIAL, Username="other", Password="Other-Sandbox-1", SecretHash=hashed)


def test_reset_required_user_recovers_with_forgot_password(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox(clock=Clock(frozen_at=1_800_000_000))
    client = boto_client(sandbox)
    sent = client.forgot_password(ClientId=PUBLIC, Username="rita")["CodeDeliveryDetails"]
    assert sent["Destination"] == "r***@e***" and sent["DeliveryMedium"] == "EMAIL"
    code = sandbox.outbox.latest("rita")["code"]
    with refused("CodeMismatchException", "Invalid verification code provided, please try again."):
        client.confirm_forgot_password(ClientId=PUBLIC, Username="rita", ConfirmationCode="999999" if code != "999999" else "1",
                                       Password="Rita-Renewed-1")  # fmt: skip
    with refused("InvalidPasswordException"):
        client.confirm_forgot_password(ClientId=PUBLIC, Username="rita", ConfirmationCode=code, Password="short")
    client.confirm_forgot_password(ClientId=PUBLIC, Username="rita", ConfirmationCode=code, Password="Rita-Renewed-1")
    login = SrpLogin(sandbox, client, DEMO, PUBLIC)
    login.start("rita")
    tokens_of(login.verify("Rita-Renewed-1"))
    client.forgot_password(ClientId=PUBLIC, Username="rita")
    sandbox.clock.advance(3601)
    with refused("ExpiredCodeException", "Invalid code provided, please request a code again."):
        client.confirm_forgot_password(ClientId=PUBLIC, Username="rita", ConfirmationCode=sandbox.outbox.latest("rita")["code"],
                                       Password="Rita-Renewed-2")  # fmt: skip
    # unknown users: a made-up delivery on an ENABLED client
    assert (
        client.forgot_password(ClientId=PUBLIC, Username="nobody")["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    )
