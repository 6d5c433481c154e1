"""Flows as data, the AWS CLI rendering of calls, masking, pre-flight warnings."""

from __future__ import annotations

import shlex

from cognito_tui.core.flows import FLOWS, Api, check_pool_id, flow_allowed, region_of
from cognito_tui.core.preflight import PreflightInputs, analyse
from cognito_tui.core.redact import MASK, Secret, mask
from cognito_tui.core.transcript import CallRecord, aws_cli_command
from cognito_tui.core.walk import AuthRequest


def test_the_eight_flows_and_their_apis():
    assert set(FLOWS) == {
        "USER_SRP_AUTH",
        "REFRESH_TOKEN_AUTH",
        "REFRESH_TOKEN",
        "CUSTOM_AUTH",
        "ADMIN_NO_SRP_AUTH",
        "USER_PASSWORD_AUTH",
        "ADMIN_USER_PASSWORD_AUTH",
        "USER_AUTH",
    }
    assert FLOWS["ADMIN_USER_PASSWORD_AUTH"].apis == (Api.ADMIN,)
    assert FLOWS["USER_PASSWORD_AUTH"].apis == (Api.PUBLIC,)
    assert set(FLOWS["USER_SRP_AUTH"].apis) == {Api.ADMIN, Api.PUBLIC}


def test_pool_ids_and_regions():
    assert region_of("eu-west-2_AbC123") == "eu-west-2"
    assert region_of("nounderscore") is None
    assert check_pool_id("us-east-1_AbCdEf123") is None
    assert "looks like" in check_pool_id("us-east-1-AbC")
    assert "at most 55" in check_pool_id("us-east-1_" + "a" * 60)


def test_flow_allowed_by_client_flags():
    assert flow_allowed("USER_PASSWORD_AUTH", ["ALLOW_USER_SRP_AUTH"])[0] is False
    assert flow_allowed("USER_SRP_AUTH", ["ALLOW_USER_SRP_AUTH"])[0] is True
    assert flow_allowed("USER_SRP_AUTH", [])[0] is True  # empty list: the defaults
    assert flow_allowed("ADMIN_NO_SRP_AUTH", ["ADMIN_NO_SRP_AUTH"])[0] is True  # legacy name
    assert flow_allowed("USER_SRP_AUTH", ["ADMIN_NO_SRP_AUTH"])[0] is None  # legacy: verify by trying


def test_request_problems_in_words():
    req = AuthRequest("bad-pool", "", "USER_SRP_AUTH", "")
    problems = req.problems()
    assert any("looks like" in p for p in problems)
    assert "the app client id is empty" in problems and "the username is empty" in problems
    assert "USER_SRP_AUTH needs the password" in problems
    assert any(
        "not accepted by public" in p
        for p in AuthRequest(
            "us-east-1_A", "c", "ADMIN_USER_PASSWORD_AUTH", "u", Secret("p"), api=Api.PUBLIC
        ).problems()
    )


def test_aws_cli_command_is_runnable_shape_with_placeholders():
    request = {
        "ClientId": "abc",
        "AuthFlow": "USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": "alice", "PASSWORD": "hunter2", "SECRET_HASH": "xyz="},
    }
    cmd = aws_cli_command("InitiateAuth", request, "us-east-1", "http://127.0.0.1:5000")
    argv = shlex.split(cmd)
    assert argv[:3] == ["aws", "cognito-idp", "initiate-auth"]
    assert argv[argv.index("--client-id") + 1] == "abc"
    assert (
        argv[argv.index("--auth-parameters") + 1]
        == '{"USERNAME":"alice","PASSWORD":"<PASSWORD>","SECRET_HASH":"<SECRET_HASH>"}'
    )
    assert argv[-4:] == ["--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:5000"]
    assert "hunter2" not in cmd
    assert "hunter2" in aws_cli_command("InitiateAuth", request, reveal=True)
    assert (
        shlex.split(aws_cli_command("AdminRespondToAuthChallenge", {"UserPoolId": "p"}))[2]
        == "admin-respond-to-auth-challenge"
    )
    assert shlex.split(aws_cli_command("AssociateSoftwareToken", {"Session": "s" * 30}))[2:4] == [
        "associate-software-token",
        "--session",
    ]


def test_masking_by_field_name_and_secret_repr():
    data = {
        "AuthParameters": {"USERNAME": "a", "PASSWORD": "p", "SRP_A": "ab"},
        "Session": "x" * 100,
        "AuthenticationResult": {"RefreshToken": "r" * 50, "AccessToken": "e" * 200},
    }
    masked = mask(data)
    assert masked["AuthParameters"] == {"USERNAME": "a", "PASSWORD": MASK, "SRP_A": "ab"}
    assert masked["AuthenticationResult"]["RefreshToken"] == MASK
    assert "e" * 20 not in str(masked) and "x" * 20 not in str(masked)
    assert data["AuthParameters"]["PASSWORD"] == "p"  # the original is untouched
    secret = Secret("hunter2")
    assert "hunter2" not in repr(secret) and "hunter2" not in repr({"s": secret}) and secret.value == "hunter2"


def test_call_record_to_dict_is_masked():
    rec = CallRecord(
        "InitiateAuth",
        {"AuthParameters": {"PASSWORD": "pw-secret"}},
        started_at=0.0,
        response={"AuthenticationResult": {"RefreshToken": "rt-secret" * 3}},
    )
    text = str(rec.to_dict())
    assert "pw-secret" not in text and "rt-secret" not in text and rec.outcome == "tokens"


def test_preflight_warnings():
    client = {
        "ClientId": "c1",
        "ClientName": "web",
        "ClientSecret": "s" * 40,
        "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH"],
        "AuthSessionValidity": 5,
    }
    pool = {"MfaConfiguration": "ON", "AliasAttributes": ["email"], "LambdaConfig": {}}
    user = {"Username": "bob", "UserStatus": "FORCE_CHANGE_PASSWORD", "Enabled": True, "UserMFASettingList": []}
    pf = analyse(PreflightInputs("USER_PASSWORD_AUTH", username="bob@example.com", client=client, pool=pool, user=user))
    text = "\n".join(pf.warnings)
    assert "USER_PASSWORD_AUTH is not allowed for this client" in text
    assert "secret you have not given" in text
    assert "You typed an alias" in text
    assert "FORCE_CHANGE_PASSWORD" in text and "expect MFA_SETUP" in text
    assert pf.session_validity == 300
    assert ("Real username", "bob") in pf.facts
    quiet = analyse(PreflightInputs("USER_SRP_AUTH", username="bob", client_secret_given=True, client=client))
    assert quiet.warnings == []
