"""Presenter mode's narration: one plain sentence per challenge, per refusal and per call, never a secret."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from cognito_tui.core.challenges import CHALLENGE_NAMES, spec_for
from cognito_tui.core.errors import CognitoError, TransportError, explain
from cognito_tui.core.narration import Context, narrate_call, narrate_calls, narrate_challenge, narrate_refusal
from cognito_tui.core.transcript import CallRecord

_spec = importlib.util.spec_from_file_location("errors_cases", Path(__file__).with_name("test_errors.py"))
assert _spec is not None and _spec.loader is not None
_errors = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_errors)
SECTION_5 = _errors.SECTION_5  # every refusal core/errors.py explains

PARAMS = {
    "CODE_DELIVERY_DESTINATION": "+*******1234",
    "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS",
    "MFAS_CAN_CHOOSE": '["SMS_MFA","SOFTWARE_TOKEN_MFA"]',
    "MFAS_CAN_SETUP": '["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]',
    "requiredAttributes": '["userAttributes.name"]',
    "USER_ID_FOR_SRP": "dave",
    "SALT": "a1b2c3d4e5f6a7b8c9d0",
    "SRP_B": "ffee" * 64,
    "SECRET_BLOCK": "U2VjcmV0QmxvY2tTZWNyZXRCbG9jaw==",
    "FRIENDLY_DEVICE_NAME": "Dave's phone",
}
SECRETS_IN_PARAMS = (PARAMS["SALT"], PARAMS["SRP_B"], PARAMS["SECRET_BLOCK"])


def _one_sentence(text: str) -> None:
    assert text and "\n" not in text
    assert text.endswith("."), text
    assert text[0].isupper() or text[0] in "'\"", text
    assert len(text) < 260, text  # fits three lines of a 100-column presenter panel


@pytest.mark.parametrize("name", CHALLENGE_NAMES)
def test_every_challenge_is_one_plain_sentence_without_protocol_values(name):
    text = narrate_challenge(name, dict(PARAMS), Context(flow="USER_SRP_AUTH", username="dave"))
    _one_sentence(text)
    assert spec_for(name).title != "A challenge this version of cognito-tui does not know"
    for value in SECRETS_IN_PARAMS:
        assert value not in text
    assert "does not know" not in text  # each known challenge has its own sentence


def test_totp_says_why_mfa_is_asked_and_about_the_device():
    text = narrate_challenge("SOFTWARE_TOKEN_MFA", {}, Context(flow="USER_PASSWORD_AUTH"))
    assert text == (
        "Cognito now asks for a TOTP code from the authenticator app because MFA is required for this user "
        "and this device is not remembered."
    )
    remembered = narrate_challenge("SOFTWARE_TOKEN_MFA", {}, Context(device_sent=True))
    assert "device key was sent" in remembered


def test_codes_name_where_they_went_and_passwordless_is_told_apart_from_mfa():
    mfa = narrate_challenge("EMAIL_OTP", {"CODE_DELIVERY_DESTINATION": "f***@e***"}, Context(flow="USER_SRP_AUTH"))
    assert "f***@e***" in mfa and "MFA is required" in mfa
    first = narrate_challenge(
        "EMAIL_OTP", {}, Context(flow="USER_AUTH", chosen="EMAIL_OTP", answered="SELECT_CHALLENGE")
    )
    assert "first factor" in first and "MFA" not in first


def test_mfa_setup_verify_and_unknown_challenges():
    verify = narrate_challenge("MFA_SETUP", {}, Context(), phase="verify")
    assert "masked" in verify
    _one_sentence(narrate_challenge("FUTURE_CHALLENGE", {}, Context()))
    assert "round 3" in narrate_challenge("CUSTOM_CHALLENGE", {}, Context(), rnd=3)
    assert "name" in narrate_challenge("NEW_PASSWORD_REQUIRED", PARAMS, Context())


@pytest.mark.parametrize("code,message,_", SECTION_5, ids=[f"{c}:{m[:30]}" for c, m, _ in SECTION_5])
def test_every_refusal_is_one_sentence_with_its_code(code, message, _):
    text = narrate_refusal(code, explain(CognitoError(code, message)), Context(answered="SOFTWARE_TOKEN_MFA"))
    _one_sentence(text)
    assert f"({code})" in text and text.startswith("Cognito refused the TOTP code")


def test_transport_failures_are_narrated_too():
    error = TransportError("Could not connect to http://127.0.0.1:9/", hint="Is the sandbox running?")
    _one_sentence(narrate_refusal(error.code, explain(error), Context()))


def _record(operation, request, response=None, error=None):
    return CallRecord(operation, request, started_at=0.0, response=response, error=error)


def test_a_recorded_walk_is_narrated_call_by_call_without_secrets():
    session, refresh = "AYABeSessionBlobSessionBlob", "eyJjdHkiOiJKV1QiRefreshRefresh"
    records = [
        _record(
            "InitiateAuth",
            {"AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "dave", "PASSWORD": "Dave-Sandbox-1"}},
            {"ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": session, "ChallengeParameters": {}},
        ),
        _record(
            "RespondToAuthChallenge",
            {"ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": session, "ChallengeResponses": {"USERNAME": "dave"}},
            error=CognitoError("CodeMismatchException", "Invalid code received for user"),
        ),
        _record(
            "RespondToAuthChallenge",
            {"ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": session, "ChallengeResponses": {"USERNAME": "dave"}},
            {"AuthenticationResult": {"IdToken": "x", "AccessToken": "y", "RefreshToken": refresh}},
        ),
        _record("GetUser", {"AccessToken": "y"}, {"Username": "dave"}),
    ]
    lines = narrate_calls(records)
    assert len(lines) == 4
    for line in lines:
        _one_sentence(line)
        assert session not in line and refresh not in line and "Dave-Sandbox-1" not in line
    assert lines[0].startswith("Cognito now asks for a TOTP code")
    assert lines[1].startswith("Cognito refused the TOTP code (CodeMismatchException)")
    assert lines[2] == ("Cognito accepted the TOTP code and returned an ID token, an access token and a refresh token.")
    assert lines[3] == narrate_call("GetUser", "ok")
