"""MFA: TOTP (dave), SMS (erin), email (frank), SELECT_MFA_TYPE (grace), MFA_SETUP (ivan), preferences."""

from __future__ import annotations

import json

import pytest
from sandbox_helpers import (
    DEMO,
    MFA_CLIENT,
    MFA_POOL,
    PUBLIC,
    TOTP_SEEDS,
    code_now,
    password_auth,
    refused,
    respond,
    srp_sign_in,
    tokens_of,
    verify_token,
)  # fmt: skip

from cognito_tui.core import totp


def test_totp_sign_in_wrong_and_reused_codes(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    challenge = srp_sign_in(sandbox, client, "dave", "Dave-Sandbox-1")
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert challenge["ChallengeParameters"] == {"USER_ID_FOR_SRP": "dave"}
    good = code_now(sandbox, TOTP_SEEDS["dave"])
    wrong = f"{(int(good) + 1) % 10**6:06d}"
    with refused("CodeMismatchException", "Invalid code received for user"):
        respond(client, challenge, SOFTWARE_TOKEN_MFA_CODE=wrong)
    result = tokens_of(respond(client, challenge, SOFTWARE_TOKEN_MFA_CODE=good))  # same Session: a retry
    assert verify_token(sandbox, result["AccessToken"], DEMO, PUBLIC, "access")["username"] == "dave"
    with refused("NotAuthorizedException", "Invalid session for the user, session can only be used once."):
        respond(client, challenge, SOFTWARE_TOKEN_MFA_CODE=good)
    # the same code again in a new sign-in, within its window: refused as reused
    again = srp_sign_in(sandbox, client, "dave", "Dave-Sandbox-1")
    with refused("ExpiredCodeException", "Your software token has already been used once."):
        respond(client, again, SOFTWARE_TOKEN_MFA_CODE=good)
    sandbox.clock.advance(30)
    tokens_of(respond(client, again, SOFTWARE_TOKEN_MFA_CODE=code_now(sandbox, TOTP_SEEDS["dave"])))


def test_totp_accepts_one_step_of_skew(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    previous = totp.now_code(TOTP_SEEDS["dave"], sandbox.clock.now() - 30)
    tokens_of(respond(client, srp_sign_in(sandbox, client, "dave", "Dave-Sandbox-1"), SOFTWARE_TOKEN_MFA_CODE=previous))
    challenge = srp_sign_in(sandbox, client, "dave", "Dave-Sandbox-1")
    too_old = totp.now_code(TOTP_SEEDS["dave"], sandbox.clock.now() - 90)
    with refused("CodeMismatchException"):
        respond(client, challenge, SOFTWARE_TOKEN_MFA_CODE=too_old)


def test_sms_mfa_code_goes_to_the_outbox(sandbox, boto_client):
    client = boto_client(sandbox)
    challenge = password_auth(client, "erin")
    assert challenge["ChallengeName"] == "SMS_MFA"
    assert challenge["ChallengeParameters"] == {
        "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS",
        "CODE_DELIVERY_DESTINATION": "+*******0105",
        "USER_ID_FOR_SRP": "erin",
    }
    message = sandbox.outbox.latest("erin")
    assert message["medium"] == "SMS" and message["destination"] == "+15555550105" and message["purpose"] == "SMS_MFA"
    assert len(message["code"]) == 6 and message["pool_id"] == DEMO
    with refused("CodeMismatchException", "Invalid code received for user"):
        respond(client, challenge, SMS_MFA_CODE="000000" if message["code"] != "000000" else "111111")
    tokens_of(respond(client, challenge, SMS_MFA_CODE=message["code"]))


def test_each_sms_challenge_has_its_own_code(sandbox, boto_client):
    client = boto_client(sandbox)
    first = password_auth(client, "erin")
    first_code = sandbox.outbox.latest("erin")["code"]
    second = password_auth(client, "erin")
    second_code = sandbox.outbox.latest("erin")["code"]
    if first_code != second_code:  # (one in a million they collide)
        with refused("CodeMismatchException"):
            respond(client, second, SMS_MFA_CODE=first_code)
    tokens_of(respond(client, second, SMS_MFA_CODE=second_code))
    tokens_of(respond(client, first, SMS_MFA_CODE=first_code))


def test_email_mfa(sandbox, boto_client):
    client = boto_client(sandbox)
    challenge = srp_sign_in(sandbox, client, "frank", "Frank-Sandbox-1")
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    assert challenge["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
    assert challenge["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "f***@e***"
    code = sandbox.outbox.latest("frank")["code"]
    with refused("CodeMismatchException"):
        respond(client, challenge, EMAIL_OTP_CODE="1" + code[1:] if code[0] != "1" else "2" + code[1:])
    tokens_of(respond(client, challenge, EMAIL_OTP_CODE=code))


def test_select_mfa_type_then_each_factor(sandbox, boto_client):
    client = boto_client(sandbox)
    challenge = password_auth(client, "grace")
    assert challenge["ChallengeName"] == "SELECT_MFA_TYPE"
    assert challenge["ChallengeParameters"]["MFAS_CAN_CHOOSE"] == '["SMS_MFA", "SOFTWARE_TOKEN_MFA"]'
    assert json.loads(challenge["ChallengeParameters"]["MFAS_CAN_CHOOSE"]) == ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    sms = respond(client, challenge, ANSWER="SMS_MFA")
    assert sms["ChallengeName"] == "SMS_MFA" and sms["Session"] != challenge["Session"]
    tokens_of(respond(client, sms, SMS_MFA_CODE=sandbox.outbox.latest("grace")["code"]))
    challenge = password_auth(client, "grace")
    with refused("InvalidParameterException"):
        respond(client, challenge, ANSWER="EMAIL_OTP")  # not one of hers


def test_select_mfa_type_totp(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    chosen = respond(client, password_auth(client, "grace"), ANSWER="SOFTWARE_TOKEN_MFA")
    assert chosen["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    tokens_of(respond(client, chosen, SOFTWARE_TOKEN_MFA_CODE=code_now(sandbox, TOTP_SEEDS["grace"])))


def test_mfa_setup_with_totp_session_chain(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    setup = srp_sign_in(sandbox, client, "ivan", "Ivan-Sandbox-1", pool_id=MFA_POOL, client_id=MFA_CLIENT)
    assert setup["ChallengeName"] == "MFA_SETUP"
    assert setup["ChallengeParameters"] == {
        "MFAS_CAN_SETUP": '["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"]',
        "USER_ID_FOR_SRP": "ivan",
    }
    associated = client.associate_software_token(Session=setup["Session"])
    secret, s2 = associated["SecretCode"], associated["Session"]
    assert len(secret) >= 32
    with refused("NotAuthorizedException", "Invalid session for the user, session can only be used once."):
        client.associate_software_token(Session=setup["Session"])
    with refused("EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA"):
        client.verify_software_token(
            Session=s2, UserCode="000000" if code_now(sandbox, secret) != "000000" else "111111"
        )
    verified = client.verify_software_token(Session=s2, UserCode=code_now(sandbox, secret), FriendlyDeviceName="phone")
    assert verified["Status"] == "SUCCESS" and verified["Session"] not in (s2, setup["Session"])
    with refused("NotAuthorizedException", "Invalid session for the user, session can only be used once."):
        client.respond_to_auth_challenge(
            ClientId=MFA_CLIENT,
            ChallengeName="MFA_SETUP",
            Session=setup["Session"],
            ChallengeResponses={"USERNAME": "ivan"},
        )
    done = client.respond_to_auth_challenge(
        ClientId=MFA_CLIENT,
        ChallengeName="MFA_SETUP",
        Session=verified["Session"],
        ChallengeResponses={"USERNAME": "ivan"},
    )
    access = tokens_of(done)["AccessToken"]
    user = client.get_user(AccessToken=access)
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"] and user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    # next sign-in asks for TOTP, with the friendly name; the code used at setup is spent
    challenge = srp_sign_in(sandbox, client, "ivan", "Ivan-Sandbox-1", pool_id=MFA_POOL, client_id=MFA_CLIENT)
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert challenge["ChallengeParameters"]["FRIENDLY_DEVICE_NAME"] == "phone"
    sandbox.clock.advance(30)
    tokens_of(respond(client, challenge, client_id=MFA_CLIENT, SOFTWARE_TOKEN_MFA_CODE=code_now(sandbox, secret)))


def test_mfa_setup_with_email(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    setup = password_auth(client, "ivan", client_id=MFA_CLIENT)
    assert setup["ChallengeName"] == "MFA_SETUP"
    challenge = respond(client, setup, client_id=MFA_CLIENT, EMAIL="ivan@example.com")
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    assert challenge["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "i***@e***"
    message = sandbox.outbox.latest("ivan")
    assert message["destination"] == "ivan@example.com" and message["purpose"] == "MFA_SETUP"
    access = tokens_of(respond(client, challenge, client_id=MFA_CLIENT, EMAIL_OTP_CODE=message["code"]))["AccessToken"]
    user = client.get_user(AccessToken=access)
    assert user["UserMFASettingList"] == ["EMAIL_OTP"]
    assert {a["Name"]: a["Value"] for a in user["UserAttributes"]}["email"] == "ivan@example.com"
    again = password_auth(client, "ivan", client_id=MFA_CLIENT)
    assert again["ChallengeName"] == "EMAIL_OTP"


def test_mfa_setup_without_a_factor_is_refused(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    setup = password_auth(client, "ivan", client_id=MFA_CLIENT)
    with refused("InvalidParameterException"):
        respond(client, setup, client_id=MFA_CLIENT)


def test_set_user_mfa_preference_outside_sign_in(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    access = tokens_of(password_auth(client, "alice"))["AccessToken"]
    with refused("InvalidParameterException", "User has not verified software token mfa"):
        client.set_user_mfa_preference(
            AccessToken=access, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
        )
    first = client.associate_software_token(AccessToken=access)
    assert "Session" not in first
    secret = client.associate_software_token(AccessToken=access)["SecretCode"]  # a new one replaces the pending one
    assert secret != first["SecretCode"]
    assert client.verify_software_token(AccessToken=access, UserCode=code_now(sandbox, secret))["Status"] == "SUCCESS"
    assert "UserMFASettingList" not in client.get_user(AccessToken=access)  # verified, not yet enabled
    client.set_user_mfa_preference(AccessToken=access, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    assert client.get_user(AccessToken=access)["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    challenge = password_auth(client, "alice")
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    sandbox.clock.advance(30)
    tokens_of(respond(client, challenge, SOFTWARE_TOKEN_MFA_CODE=code_now(sandbox, secret)))
    # email MFA on as well, no preference: SELECT_MFA_TYPE
    client.set_user_mfa_preference(AccessToken=access, EmailMfaSettings={"Enabled": True},
                                   SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": False})  # fmt: skip
    assert password_auth(client, "alice")["ChallengeName"] == "SELECT_MFA_TYPE"
    client.admin_set_user_mfa_preference(
        UserPoolId=DEMO, Username="alice", EmailMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    assert password_auth(client, "alice")["ChallengeName"] == "EMAIL_OTP"
    assert client.admin_get_user(UserPoolId=DEMO, Username="alice")["UserMFASettingList"] == [
        "SOFTWARE_TOKEN_MFA",
        "EMAIL_OTP",
    ]
    client.admin_set_user_mfa_preference(UserPoolId=DEMO, Username="alice", EmailMfaSettings={"Enabled": False},
                                         SoftwareTokenMfaSettings={"Enabled": False})  # fmt: skip
    tokens_of(password_auth(client, "alice"))


def test_pool_mfa_config_includes_email(sandbox, boto_client):
    config = boto_client(sandbox).get_user_pool_mfa_config(UserPoolId=DEMO)
    assert config["MfaConfiguration"] == "OPTIONAL"
    assert config["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    assert "SmsConfiguration" in config["SmsMfaConfiguration"]
    assert config["EmailMfaConfiguration"]["Subject"]
    required = boto_client(sandbox).get_user_pool_mfa_config(UserPoolId=MFA_POOL)
    assert required["MfaConfiguration"] == "ON" and "SmsMfaConfiguration" not in required


def test_set_pool_mfa_config_with_email(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    result = client.set_user_pool_mfa_config(
        UserPoolId=MFA_POOL, MfaConfiguration="OPTIONAL", EmailMfaConfiguration={"Message": "{####}", "Subject": "code"}
    )
    assert result["MfaConfiguration"] == "OPTIONAL" and result["EmailMfaConfiguration"]["Subject"] == "code"
    assert client.describe_user_pool(UserPoolId=MFA_POOL)["UserPool"]["MfaConfiguration"] == "OPTIONAL"
    tokens_of(password_auth(client, "ivan", client_id=MFA_CLIENT))  # optional now: no setup needed


@pytest.mark.parametrize("name", ["EMAIL_MFA"])
def test_unknown_challenge_name_is_a_validation_error(sandbox, boto_client, name):
    with refused("InvalidParameterException") as caught:
        boto_client(sandbox).respond_to_auth_challenge(
            ClientId=PUBLIC, ChallengeName=name, Session="x" * 40, ChallengeResponses={"USERNAME": "frank"}
        )
    assert (
        "failed to satisfy constraint: Member must satisfy enum value set" in caught.value.response["Error"]["Message"]
    )
