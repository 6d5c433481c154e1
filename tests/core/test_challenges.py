"""Each ChallengeSpec builds exactly the ChallengeResponses cognito-protocol.md section 2 lists."""

from __future__ import annotations

import json

import pytest

from cognito_tui.core.challenges import CHALLENGE_NAMES, SPECS, FieldKind, spec_for

SRP_COMPUTED = {
    "PASSWORD_CLAIM_SIGNATURE": "sig",
    "PASSWORD_CLAIM_SECRET_BLOCK": "blk",
    "TIMESTAMP": "ts",
    "SRP_A": "a1",
}

# (challenge, parameters, values) -> the exact keys section 2 lists (USERNAME/SECRET_HASH/DEVICE_KEY
# are the walk's, tested in test_walk_requests.py).
CASES = [
    (
        "PASSWORD_VERIFIER",
        {"SALT": "1", "SRP_B": "2", "SECRET_BLOCK": "x", "USER_ID_FOR_SRP": "u"},
        {"PASSWORD": "pw"},
        {"PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP"},
    ),
    ("SMS_MFA", {"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS"}, {"SMS_MFA_CODE": "123456"}, {"SMS_MFA_CODE"}),
    ("EMAIL_OTP", {}, {"EMAIL_OTP_CODE": "12345678"}, {"EMAIL_OTP_CODE"}),
    ("SMS_OTP", {}, {"SMS_OTP_CODE": "123456"}, {"SMS_OTP_CODE"}),
    ("SOFTWARE_TOKEN_MFA", {}, {"SOFTWARE_TOKEN_MFA_CODE": "123456"}, {"SOFTWARE_TOKEN_MFA_CODE"}),
    ("SELECT_MFA_TYPE", {"MFAS_CAN_CHOOSE": '["SMS_MFA","SOFTWARE_TOKEN_MFA"]'}, {"ANSWER": "SMS_MFA"}, {"ANSWER"}),
    ("MFA_SETUP", {"MFAS_CAN_SETUP": '["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]'}, {"MFA_TYPE": "SOFTWARE_TOKEN_MFA"}, set()),
    (
        "MFA_SETUP",
        {"MFAS_CAN_SETUP": '["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]'},
        {"MFA_TYPE": "EMAIL_OTP", "EMAIL": "a@b.c"},
        {"EMAIL"},
    ),
    (
        "NEW_PASSWORD_REQUIRED",
        {"requiredAttributes": '["userAttributes.name","userAttributes.custom:team"]', "userAttributes": "{}"},
        {"NEW_PASSWORD": "Pw-12345!", "userAttributes.name": "Carol", "userAttributes.custom:team": "qa"},
        {"NEW_PASSWORD", "userAttributes.name", "userAttributes.custom:team"},
    ),
    ("NEW_PASSWORD_REQUIRED", {"requiredAttributes": "[]"}, {"NEW_PASSWORD": "Pw-12345!"}, {"NEW_PASSWORD"}),
    ("CUSTOM_CHALLENGE", {"question": "6x7?"}, {"ANSWER": "42"}, {"ANSWER"}),
    ("DEVICE_SRP_AUTH", {}, {}, {"SRP_A"}),
    (
        "DEVICE_PASSWORD_VERIFIER",
        {"SALT": "1", "SRP_B": "2", "SECRET_BLOCK": "x"},
        {},
        {"PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP"},
    ),
    ("SELECT_CHALLENGE", {}, {"ANSWER": "PASSWORD", "PASSWORD": "pw"}, {"ANSWER", "PASSWORD"}),
    ("SELECT_CHALLENGE", {}, {"ANSWER": "PASSWORD_SRP"}, {"ANSWER", "SRP_A"}),
    ("SELECT_CHALLENGE", {}, {"ANSWER": "WEB_AUTHN", "CREDENTIAL": '{"id":"x"}'}, {"ANSWER", "CREDENTIAL"}),
    ("SELECT_CHALLENGE", {}, {"ANSWER": "EMAIL_OTP"}, {"ANSWER"}),
    ("SELECT_CHALLENGE", {}, {"ANSWER": "SMS_OTP"}, {"ANSWER"}),
    ("PASSWORD", {}, {"PASSWORD": "pw"}, {"PASSWORD"}),
    ("PASSWORD_SRP", {}, {}, {"SRP_A"}),
    ("WEB_AUTHN", {"CREDENTIAL_REQUEST_OPTIONS": "{}"}, {"CREDENTIAL": '{"id":"x"}'}, {"CREDENTIAL"}),
]


def test_all_sixteen_challenges_have_specs():
    assert len(CHALLENGE_NAMES) == 16
    assert set(CHALLENGE_NAMES) <= {s.name for s in SPECS.values()}
    for name in CHALLENGE_NAMES:
        spec = spec_for(name)
        assert spec.explanation and spec.title


@pytest.mark.parametrize("name,params,values,expected", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_builds_exactly_the_listed_responses(name, params, values, expected):
    spec = spec_for(name)
    available = ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"]
    assert spec.validate(params, values, available) == []
    built = spec.build(params, values, SRP_COMPUTED)
    assert set(built) == expected
    for key in expected & set(values):
        assert built[key] == values[key]


def test_mfa_setup_verify_phase_asks_for_a_code():
    spec = spec_for("MFA_SETUP", "verify")
    assert [f.name for f in spec.fields] == ["USER_CODE", "FRIENDLY_DEVICE_NAME"]
    assert spec.validate({}, {"USER_CODE": "12345"}) == ["Code from the app: digits only"]
    assert spec.validate({}, {"USER_CODE": "123456"}) == []


def test_choices_come_from_json_lists_and_available_challenges():
    sel = spec_for("SELECT_MFA_TYPE").fields[0]
    assert sel.options({"MFAS_CAN_CHOOSE": '["SMS_MFA","SOFTWARE_TOKEN_MFA"]'}) == ("SMS_MFA", "SOFTWARE_TOKEN_MFA")
    setup = spec_for("MFA_SETUP").fields[0]
    # SMS cannot be set up in-flow: it is filtered out of the choices
    assert setup.options({"MFAS_CAN_SETUP": '["SMS_MFA","SOFTWARE_TOKEN_MFA","EMAIL_OTP"]'}) == (
        "SOFTWARE_TOKEN_MFA",
        "EMAIL_OTP",
    )
    answer = spec_for("SELECT_CHALLENGE").fields[0]
    assert answer.options({}, ["EMAIL_OTP", "PASSWORD"]) == ("EMAIL_OTP", "PASSWORD")


def test_validation_messages():
    spec = spec_for("SELECT_MFA_TYPE")
    params = {"MFAS_CAN_CHOOSE": json.dumps(["SMS_MFA"])}
    assert spec.validate(params, {"ANSWER": "EMAIL_OTP"}) == ["MFA method must be one of SMS_MFA"]
    assert spec.validate(params, {}) == ["MFA method is required"]
    assert spec_for("SOFTWARE_TOKEN_MFA").validate({}, {"SOFTWARE_TOKEN_MFA_CODE": "12a456"}) == [
        "TOTP code: digits only"
    ]
    assert "not valid JSON" in spec_for("WEB_AUTHN").validate({}, {"CREDENTIAL": "{nope"})[0]


def test_conditional_fields_follow_the_choice():
    spec = spec_for("SELECT_CHALLENGE")
    assert [f.name for f in spec.active_fields({}, {"ANSWER": "PASSWORD"})] == ["ANSWER", "PASSWORD"]
    assert [f.name for f in spec.active_fields({}, {"ANSWER": "EMAIL_OTP"})] == ["ANSWER"]
    assert [f.kind for f in spec.active_fields({}, {"ANSWER": "WEB_AUTHN"})] == [FieldKind.CHOICE, FieldKind.JSON]


def test_admin_no_srp_auth_is_not_answerable_and_unknown_names_do_not_crash():
    assert spec_for("ADMIN_NO_SRP_AUTH").answerable is False
    future = spec_for("SOMETHING_NEW_IN_2027")
    assert future.fields[0].name == "RAW"


def test_missing_computed_value_is_an_error():
    with pytest.raises(KeyError):
        spec_for("PASSWORD_VERIFIER").build({}, {}, {})
