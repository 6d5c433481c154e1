"""AWS CLI --cli-input-json files in and out; passwords go to the secrets, never into the profile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cognito_tui.core.srp import secret_hash
from cognito_tui.store.cli_json import (
    CliJsonError,
    load_cli_input_json,
    profile_from_cli_input_json,
    profile_to_cli_input_json,
)
from cognito_tui.store.profiles import ContextData, Profile, dump_yaml
from cognito_tui.store.secrets import SecretKind

ADMIN = {
    "UserPoolId": "us-east-1_AbCdEf123",
    "ClientId": "1example23456789",
    "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
    "AuthParameters": {"USERNAME": "alice", "PASSWORD": "Hunter2!", "SECRET_HASH": "abc="},
    "ClientMetadata": {"tenant": "acme"},
    "AnalyticsMetadata": {"AnalyticsEndpointId": "endpoint-1"},
    "ContextData": {
        "IpAddress": "192.0.2.1",
        "ServerName": "app.example.com",
        "ServerPath": "/login",
        "HttpHeaders": [{"headerName": "User-Agent", "headerValue": "curl"}],
        "EncodedData": "enc",
    },
}
PUBLIC = {
    "ClientId": "1example23456789",
    "AuthFlow": "REFRESH_TOKEN_AUTH",
    "AuthParameters": {"REFRESH_TOKEN": "eyJ-refresh", "DEVICE_KEY": "us-east-1_dev"},
    "UserContextData": {"IpAddress": "192.0.2.9", "EncodedData": "x"},
}


def test_admin_initiate_auth_becomes_an_admin_profile_and_a_password() -> None:
    profile, secrets = profile_from_cli_input_json(ADMIN, "imported")
    assert profile == Profile(
        name="imported",
        region="us-east-1",
        user_pool_id="us-east-1_AbCdEf123",
        client_id="1example23456789",
        auth_flow="ADMIN_USER_PASSWORD_AUTH",
        api="admin",
        username="alice",
        client_metadata={"tenant": "acme"},
        analytics_endpoint_id="endpoint-1",
        context_data=ContextData("192.0.2.1", "app.example.com", "/login", [("User-Agent", "curl")], "enc"),
    )
    assert secrets == {SecretKind.PASSWORD: "Hunter2!"}
    assert "Hunter2" not in repr(profile) and "Hunter2" not in dump_yaml([profile])


def test_initiate_auth_becomes_a_public_profile_with_refresh_and_device_secrets() -> None:
    profile, secrets = profile_from_cli_input_json(PUBLIC, "refresh")
    assert (profile.api, profile.region, profile.user_pool_id) == ("public", None, None)
    assert profile.context_data == ContextData(ip_address="192.0.2.9", encoded_data="x")
    assert secrets == {SecretKind.REFRESH_TOKEN: "eyJ-refresh", SecretKind.DEVICE_KEY: "us-east-1_dev"}


def test_export_gives_back_the_same_shape() -> None:
    profile, secrets = profile_from_cli_input_json(ADMIN, "x")
    out = profile_to_cli_input_json(profile, secrets)
    expected = json.loads(json.dumps(ADMIN))
    del expected["AuthParameters"]["SECRET_HASH"]  # derived: not kept, and no client secret was given
    assert out == expected
    profile, secrets = profile_from_cli_input_json(PUBLIC, "y")
    assert profile_to_cli_input_json(profile, secrets) == PUBLIC


def test_export_without_secrets_has_no_password() -> None:
    profile, _ = profile_from_cli_input_json(ADMIN, "x")
    assert profile_to_cli_input_json(profile)["AuthParameters"] == {"USERNAME": "alice"}


def test_export_computes_secret_hash_and_puts_the_password_only_where_the_flow_takes_it() -> None:
    profile = Profile(name="p", client_id="client1", auth_flow="USER_SRP_AUTH", username="bob")
    out = profile_to_cli_input_json(profile, {SecretKind.PASSWORD: "pw", SecretKind.CLIENT_SECRET: "cs"})
    assert out == {
        "ClientId": "client1",
        "AuthFlow": "USER_SRP_AUTH",
        "AuthParameters": {"USERNAME": "bob", "SECRET_HASH": secret_hash("bob", "client1", "cs")},
    }
    assert "UserPoolId" not in profile_to_cli_input_json(Profile(name="p", user_pool_id="us-east-1_A", api="public"))


def test_an_admin_only_flow_exports_the_admin_shape_when_api_is_unset() -> None:
    out = profile_to_cli_input_json(Profile(name="p", user_pool_id="us-east-1_A", auth_flow="ADMIN_NO_SRP_AUTH"))
    assert out["UserPoolId"] == "us-east-1_A"


def test_skeleton_placeholders_are_ignored_and_extra_parameters_noted() -> None:
    skeleton = {
        "UserPoolId": "",
        "ClientId": "abc",
        "AuthFlow": "USER_AUTH",
        "AuthParameters": {"KeyName": "", "USERNAME": "u", "PREFERRED_CHALLENGE": "EMAIL_OTP", "SRP_A": "123"},
        "ClientMetadata": {"KeyName": ""},
        "AnalyticsMetadata": {"AnalyticsEndpointId": ""},
        "UserContextData": {"IpAddress": "", "EncodedData": ""},
    }
    profile, secrets = profile_from_cli_input_json(skeleton, "s")
    assert profile == Profile(
        name="s",
        client_id="abc",
        auth_flow="USER_AUTH",
        api="public",
        username="u",
        notes="AuthParameters PREFERRED_CHALLENGE=EMAIL_OTP",
    )
    assert secrets == {}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ClientId": 5}, "ClientId must be a string, not int"),
        ({"ClientId": "a", "Bogus": 1}, "unknown key(s) Bogus; allowed: UserPoolId, ClientId"),
        ({"UserPoolId": "nope", "ClientId": "a"}, "UserPoolId: must look like <region>_<id>"),
        ({"ClientId": "a", "AuthFlow": "SRP"}, "AuthFlow: must be one of USER_SRP_AUTH"),
        ({"ClientId": "a", "AuthParameters": ["x"]}, "AuthParameters must be an object of strings"),
        ({"ClientId": "a", "AuthParameters": {"USERNAME": 3}}, "AuthParameters.USERNAME must be a string"),
        (
            {"ClientId": "a", "ContextData": {"IpAddress": "1"}, "UserContextData": {"IpAddress": "1"}},
            "cannot both be given",
        ),
        ({"ClientId": "a", "UserContextData": {"ServerName": "x"}}, "UserContextData: unknown key(s) ServerName"),
        ({"ClientId": "a", "ContextData": {"HttpHeaders": [{"name": "x"}]}}, "ContextData.HttpHeaders[0] must be"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(data: dict, message: str) -> None:
    with pytest.raises(CliJsonError) as caught:
        profile_from_cli_input_json(data, "x")
    assert message in str(caught.value)


def test_the_profile_name_is_checked() -> None:
    with pytest.raises(CliJsonError, match="missing 'name'"):
        profile_from_cli_input_json({"ClientId": "a"}, "")


def test_load_reads_a_file_and_accepts_file_urls(tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(ADMIN))
    assert load_cli_input_json(path) == ADMIN
    assert load_cli_input_json(f"file://{path}") == ADMIN


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"ClientId": "a",\n "AuthFlow": }', ":2:14: not valid JSON: Expecting value"),
        ("[1, 2]", ": must hold one JSON object"),
        (b"\xff\xfe", ": not UTF-8 text"),
    ],
)
def test_load_errors_name_the_file_and_what_is_wrong(tmp_path: Path, content: str | bytes, message: str) -> None:
    path = tmp_path / "in.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(CliJsonError) as caught:
        load_cli_input_json(path)
    assert str(caught.value).startswith(str(path)) and message in str(caught.value)


def test_load_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CliJsonError, match="no such file"):
        load_cli_input_json(tmp_path / "nope.json")


def test_every_key_the_cli_accepts_is_accepted_and_a_session_is_handed_back_not_kept() -> None:
    from cognito_tui.store.cli_json import ADMIN_KEYS, PUBLIC_KEYS, session_from_cli_input_json

    assert "Session" in ADMIN_KEYS and "Session" in PUBLIC_KEYS
    data = {**PUBLIC, "AuthFlow": "USER_AUTH", "Session": "s" * 40}
    profile, secrets = profile_from_cli_input_json(data, "from-sign-up")
    assert "s" * 40 not in repr(profile) and "s" * 40 not in dump_yaml([profile])
    assert session_from_cli_input_json(data) == "s" * 40
    assert session_from_cli_input_json(PUBLIC) is None
    assert session_from_cli_input_json({"Session": ""}) is None  # the skeleton's placeholder


@pytest.mark.parametrize(
    ("session", "message"),
    [
        ("short", "Invalid length for parameter Session, value: 5, valid min length: 20"),
        ("x" * 2049, "Invalid length for parameter Session, value: 2049, valid max length: 2048"),
        (7, "Session must be a string, not int"),
    ],
)
def test_a_session_the_cli_would_refuse_is_refused_with_its_reason(session: object, message: str) -> None:
    from cognito_tui.store.cli_json import session_from_cli_input_json

    for read in (lambda d: profile_from_cli_input_json(d, "x"), session_from_cli_input_json):
        with pytest.raises(CliJsonError) as caught:
            read({"ClientId": "a", "Session": session})
        assert message in str(caught.value)


def test_skeletons_have_the_clis_shape_and_output_checks_required_arguments() -> None:
    from cognito_tui.store.cli_json import generate_cli_skeleton

    admin = json.loads(generate_cli_skeleton())
    assert list(admin)[-1] == "Session" and admin["AuthParameters"] == {"KeyName": ""}
    public = json.loads(generate_cli_skeleton("input", public=True))
    assert "UserPoolId" not in public and "UserContextData" in public and list(public)[0] == "AuthFlow"
    with pytest.raises(CliJsonError, match="required: --user-pool-id, --client-id"):
        generate_cli_skeleton("output")
    with pytest.raises(CliJsonError, match="required: --client-id$"):
        generate_cli_skeleton("output", public=True)
    out = json.loads(generate_cli_skeleton("output", public=True, given={"client_id": "c"}))
    assert out["AvailableChallenges"] == ["ChallengeNameType"]
    with pytest.raises(CliJsonError, match="invalid choice 'both'"):
        generate_cli_skeleton("both")


def test_refusals_are_problems_with_a_next_step() -> None:
    from cognito_tui.core.problem import Problem

    with pytest.raises(Problem) as caught:
        profile_from_cli_input_json({"ClientId": 5}, "x")
    assert "--generate-cli-skeleton" in caught.value.text() and isinstance(caught.value, ValueError)
