"""USER_AUTH, choice-based (oscar): SELECT_CHALLENGE, PREFERRED_CHALLENGE, OTPs, password, SRP, passkeys."""

from __future__ import annotations

import json

from sandbox_helpers import DEMO, PUBLIC, SRP_ONLY, SrpLogin, now_ts, refused, respond, tokens_of, verify_token

from cognito_tui.core import srp


def start(client, username="oscar", **extra):
    return client.initiate_auth(ClientId=PUBLIC, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": username, **extra})


def test_select_challenge_lists_what_the_user_can_do(sandbox, boto_client):
    client = boto_client(sandbox)
    offer = start(client)
    assert offer["ChallengeName"] == "SELECT_CHALLENGE"
    assert offer["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"]
    assert offer["ChallengeParameters"] == {"USERNAME": "oscar"}
    # users with MFA get no one-time-code first factor, users without a passkey no WEB_AUTHN
    assert start(client, "dave")["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]
    assert start(client, "alice")["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]


def test_passwordless_email_otp(sandbox, boto_client):
    client = boto_client(sandbox)
    challenge = respond(client, start(client), ANSWER="EMAIL_OTP")
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    assert challenge["ChallengeParameters"] == {
        "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
        "CODE_DELIVERY_DESTINATION": "o***@e***",
    }
    message = sandbox.outbox.latest("oscar")
    assert message["purpose"] == "EMAIL_OTP" and len(message["code"]) == 8
    with refused("CodeMismatchException"):
        respond(
            client,
            challenge,
            USERNAME="oscar",
            EMAIL_OTP_CODE="00000000" if message["code"] != "00000000" else "11111111",
        )
    result = tokens_of(respond(client, challenge, USERNAME="oscar", EMAIL_OTP_CODE=message["code"]))
    assert verify_token(sandbox, result["IdToken"], DEMO, PUBLIC, "id")["cognito:username"] == "oscar"


def test_preferred_challenge_goes_straight_there(sandbox, boto_client):
    client = boto_client(sandbox)
    sms = start(client, PREFERRED_CHALLENGE="SMS_OTP")
    assert sms["ChallengeName"] == "SMS_OTP"
    assert sms["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "+*******0115"
    tokens_of(respond(client, sms, USERNAME="oscar", SMS_OTP_CODE=sandbox.outbox.latest("oscar")["code"]))
    tokens_of(start(client, PREFERRED_CHALLENGE="PASSWORD", PASSWORD="Oscar-Sandbox-1"))
    # not available to this user: back to SELECT_CHALLENGE
    assert start(client, "dave", PREFERRED_CHALLENGE="EMAIL_OTP")["ChallengeName"] == "SELECT_CHALLENGE"


def test_password_answers(sandbox, boto_client):
    client = boto_client(sandbox)
    tokens_of(respond(client, start(client), ANSWER="PASSWORD", PASSWORD="Oscar-Sandbox-1"))
    asked = respond(client, start(client), ANSWER="PASSWORD")
    assert asked["ChallengeName"] == "PASSWORD"
    tokens_of(respond(client, asked, PASSWORD="Oscar-Sandbox-1"))
    # MFA still applies after a password first factor
    assert (
        respond(client, start(client, "dave"), ANSWER="PASSWORD", PASSWORD="Dave-Sandbox-1")["ChallengeName"]
        == "SOFTWARE_TOKEN_MFA"
    )


def test_password_srp_answer(sandbox, boto_client):
    client = boto_client(sandbox)
    a = srp.SrpClient()
    verifier = respond(client, start(client), ANSWER="PASSWORD_SRP", SRP_A=a.srp_a)
    assert verifier["ChallengeName"] == "PASSWORD_VERIFIER"
    p = verifier["ChallengeParameters"]
    claim = a.claim(
        "DemoPool01", p["USER_ID_FOR_SRP"], "Oscar-Sandbox-1", p["SALT"], p["SRP_B"], p["SECRET_BLOCK"], now_ts(sandbox)
    )
    result = client.respond_to_auth_challenge(
        ClientId=PUBLIC, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses={"USERNAME": "oscar", **claim}
    )
    tokens_of(result)
    login = SrpLogin(sandbox, client, DEMO, PUBLIC)
    login.start("oscar", flow="USER_AUTH", PREFERRED_CHALLENGE="PASSWORD_SRP")
    tokens_of(login.verify("Oscar-Sandbox-1"))


def test_web_authn_is_offered_and_refused_clearly(sandbox, boto_client):
    client = boto_client(sandbox)
    challenge = respond(client, start(client), ANSWER="WEB_AUTHN")
    assert challenge["ChallengeName"] == "WEB_AUTHN"
    options = json.loads(challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    assert (
        options["rpId"] == "localhost"
        and options["challenge"]
        and options["allowCredentials"][0]["type"] == "public-key"
    )
    with refused("NotAuthorizedException") as caught:
        respond(client, challenge, USERNAME="oscar", CREDENTIAL=json.dumps({"id": "x", "response": {}}))
    assert "cannot verify passkeys" in caught.value.response["Error"]["Message"]


def test_unknown_user_gets_an_offer_not_an_error(sandbox, boto_client):
    client = boto_client(sandbox)
    offer = start(client, "nobody")
    assert offer["ChallengeName"] == "SELECT_CHALLENGE" and "PASSWORD" in offer["AvailableChallenges"]
    with refused("NotAuthorizedException", "Incorrect username or password."):
        respond(client, offer, ANSWER="PASSWORD", PASSWORD="Nobody-1")


def test_user_auth_needs_the_client_flow(sandbox, boto_client):
    with refused("InvalidParameterException", "Auth flow not enabled for this client"):
        boto_client(sandbox).initiate_auth(
            ClientId=SRP_ONLY, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "oscar"}
        )
