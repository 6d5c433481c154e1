"""CUSTOM_AUTH (mallory): Python triggers called like the Lambdas, with and without SRP first."""

from __future__ import annotations

import textwrap

import sandbox_helpers
from sandbox_helpers import (
    CONFIDENTIAL,
    CONFIDENTIAL_SECRET,
    DEMO,
    PUBLIC,
    SrpLogin,
    refused,
    respond,
    tokens_of,
    write_seed,
)

from cognito_tui.core import srp


def start(client, username="mallory", **extra):
    return client.initiate_auth(ClientId=PUBLIC, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": username, **extra})


def test_question_then_code_with_retries(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    question = start(client)
    assert question["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert question["ChallengeParameters"] == {"question": "What is 6 x 7?", "USERNAME": "mallory"}
    code_round = respond(client, question, ANSWER="42")
    assert code_round["ChallengeName"] == "CUSTOM_CHALLENGE"
    params = code_round["ChallengeParameters"]
    assert params["attempts_left"] == "3" and params["destination"] == "m***@e***"
    assert params["question"] == "Enter the 6-digit code sent to m***@e***"
    message = sandbox.outbox.latest("mallory")
    assert message["purpose"] == "CUSTOM_CHALLENGE" and message["destination"] == "mallory@example.com"
    retry = respond(client, code_round, ANSWER="not-the-code")
    assert retry["ChallengeParameters"]["attempts_left"] == "2" and retry["Session"] != code_round["Session"]
    with refused("NotAuthorizedException", "Invalid session for the user, session can only be used once."):
        respond(client, code_round, ANSWER=message["code"])
    assert len(sandbox.outbox.messages()) == 1  # a retry asks for the same code, it sends no new one
    tokens_of(respond(client, retry, ANSWER=message["code"]))


def test_three_wrong_codes_fail(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    step = respond(client, start(client), ANSWER="42")
    step = respond(client, step, ANSWER="1")
    step = respond(client, step, ANSWER="2")
    assert step["ChallengeParameters"]["attempts_left"] == "1"
    with refused("NotAuthorizedException", "Incorrect username or password."):
        respond(client, step, ANSWER="3")


def test_wrong_answer_to_the_question_fails(sandbox, boto_client):
    client = boto_client(sandbox)
    with refused("NotAuthorizedException", "Incorrect username or password."):
        respond(client, start(client), ANSWER="41")


def test_srp_first_then_custom_challenges(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    login = SrpLogin(sandbox, client, DEMO, PUBLIC)
    challenge = login.start("mallory", flow="CUSTOM_AUTH", CHALLENGE_NAME="SRP_A")
    assert challenge["ChallengeName"] == "PASSWORD_VERIFIER"
    question = login.verify("Mallory-Sandbox-1")
    assert (
        question["ChallengeName"] == "CUSTOM_CHALLENGE"
        and question["ChallengeParameters"]["question"] == "What is 6 x 7?"
    )
    code_round = respond(client, question, ANSWER="42")
    tokens_of(respond(client, code_round, ANSWER=sandbox.outbox.latest("mallory")["code"]))
    login.start("mallory", flow="CUSTOM_AUTH", CHALLENGE_NAME="SRP_A")
    with refused("NotAuthorizedException", "Incorrect username or password."):
        login.verify("Mallory-Sandbox-2")


def test_confidential_client_custom_auth(sandbox, boto_client):
    client = boto_client(sandbox)
    secret_hash = srp.secret_hash("mallory", CONFIDENTIAL, CONFIDENTIAL_SECRET)
    question = client.initiate_auth(
        ClientId=CONFIDENTIAL,
        AuthFlow="CUSTOM_AUTH",
        AuthParameters={"USERNAME": "mallory", "SECRET_HASH": secret_hash},
    )
    with refused(
        "NotAuthorizedException", f"Client {CONFIDENTIAL} is configured with secret but SECRET_HASH was not received"
    ):
        respond(client, question, client_id=CONFIDENTIAL, ANSWER="42")
    question = client.initiate_auth(
        ClientId=CONFIDENTIAL,
        AuthFlow="CUSTOM_AUTH",
        AuthParameters={"USERNAME": "mallory", "SECRET_HASH": secret_hash},
    )
    code_round = respond(client, question, client_id=CONFIDENTIAL, ANSWER="42", SECRET_HASH=secret_hash)
    assert code_round["ChallengeName"] == "CUSTOM_CHALLENGE"


def test_unknown_user_plays_along_then_fails(sandbox, boto_client):
    client = boto_client(sandbox)
    question = start(client, "nobody")
    assert question["ChallengeParameters"]["question"] == "What is 6 x 7?"
    with refused("NotAuthorizedException", "Incorrect username or password."):
        respond(client, question, ANSWER="42")


CUSTOM_SEED = """
    pools:
      - id: us-east-1_Custom0001
        name: custom
        triggers:
          define_auth_challenge: sandbox_helpers:record_define
          create_auth_challenge: {create}
          verify_auth_challenge_response: sandbox_helpers:record_verify
        clients:
          - {{name: app, id: customapp0000000000000001, flows: [ALLOW_CUSTOM_AUTH]}}
          - {{name: legacy, id: customlegacy00000000000001, flows: [ALLOW_CUSTOM_AUTH], prevent_user_existence_errors: LEGACY}}
        users:
          - {{username: mia, password: Mia-Sandbox-1, attributes: {{email: mia@example.com}}}}
      - id: us-east-1_NoTrigger01
        name: no-triggers
        clients:
          - {{name: app, id: notriggersapp0000000000001, flows: [ALLOW_CUSTOM_AUTH]}}
        users:
          - {{username: nia, password: Nia-Sandbox-1}}
"""


def test_trigger_events_look_like_lambda_events(tmp_path, fresh_sandbox, boto_client):
    sandbox = fresh_sandbox(
        write_seed(tmp_path, textwrap.dedent(CUSTOM_SEED.format(create="sandbox_helpers:record_create")))
    )
    client = boto_client(sandbox)
    sandbox_helpers.RECORDED.clear()
    question = client.initiate_auth(
        ClientId="customapp0000000000000001", AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "mia"},
        ClientMetadata={"from": "initiate"},
    )  # fmt: skip
    define, create = sandbox_helpers.RECORDED[:2]
    assert define["triggerSource"] == "DefineAuthChallenge_Authentication"
    assert define["userPoolId"] == "us-east-1_Custom0001" and define["userName"] == "mia" and define["version"] == "1"
    assert define["callerContext"]["clientId"] == "customapp0000000000000001"
    assert define["request"]["session"] == [] and define["request"]["userNotFound"] is False
    assert define["request"]["userAttributes"]["email"] == "mia@example.com"
    assert define["request"]["userAttributes"]["cognito:user_status"] == "CONFIRMED"
    assert "clientMetadata" not in define["request"]  # InitiateAuth's metadata does not reach these triggers
    assert create["request"]["challengeName"] == "CUSTOM_CHALLENGE"
    sandbox_helpers.RECORDED.clear()
    client.respond_to_auth_challenge(
        ClientId="customapp0000000000000001", ChallengeName="CUSTOM_CHALLENGE", Session=question["Session"],
        ChallengeResponses={"USERNAME": "mia", "ANSWER": "42"}, ClientMetadata={"from": "respond"},
    )  # fmt: skip
    verify, define2, _create2 = sandbox_helpers.RECORDED
    assert verify["triggerSource"] == "VerifyAuthChallengeResponse_Authentication"
    assert verify["request"]["challengeAnswer"] == "42" and verify["request"]["privateChallengeParameters"] == {
        "answer": "42"
    }
    assert verify["request"]["clientMetadata"] == {"from": "respond"}
    assert define2["request"]["session"] == [
        {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": True, "challengeMetadata": "QUESTION"}
    ]


def test_a_failing_trigger_is_a_lambda_error(tmp_path, fresh_sandbox, boto_client):
    sandbox = fresh_sandbox(
        write_seed(tmp_path, textwrap.dedent(CUSTOM_SEED.format(create="sandbox_helpers:broken_create")))
    )
    with refused("UserLambdaValidationException", "CreateAuthChallenge failed with error no code for you."):
        boto_client(sandbox).initiate_auth(
            ClientId="customapp0000000000000001", AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "mia"}
        )


def test_custom_auth_needs_triggers(tmp_path, fresh_sandbox, boto_client):
    sandbox = fresh_sandbox(
        write_seed(tmp_path, textwrap.dedent(CUSTOM_SEED.format(create="sandbox_helpers:record_create")))
    )
    client = boto_client(sandbox)
    with refused("InvalidParameterException", "Custom auth lambda trigger is not configured for the user pool."):
        client.initiate_auth(
            ClientId="notriggersapp0000000000001", AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "nia"}
        )
    with refused("UserNotFoundException", "User does not exist."):
        client.initiate_auth(
            ClientId="customlegacy00000000000001", AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "zed"}
        )
