"""Reading profiles.yaml: every problem names the file, the line and the field; valid profiles survive."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cognito_tui.store.profiles import ContextData, Profile, load_profiles, parse_profiles

REPO = Path(__file__).resolve().parents[2]


def load(tmp_path: Path, text: str):
    path = tmp_path / "profiles.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return load_profiles(path)


def only_issue(result) -> str:
    assert len(result.issues) == 1, [str(i) for i in result.issues]
    return str(result.issues[0])


def test_the_example_file_loads_with_every_field() -> None:
    result = load_profiles(REPO / "profiles.example.yaml")
    assert result.issues == []
    assert result.writable
    full = result.profiles[0]
    assert [p.name for p in result.profiles] == ["staging-admin", "dev", "local"]
    unset = [name for name, value in vars(full).items() if value in (None, {}, [])]
    assert unset == [], "the first example profile should show every field"
    assert full.context_data == ContextData(
        ip_address="192.0.2.10",
        server_name="app.example.com",
        server_path="/login",
        http_headers=[("User-Agent", "Mozilla/5.0"), ("Accept-Language", "en-GB")],
    )


def test_a_missing_file_is_an_empty_writable_book(tmp_path: Path) -> None:
    result = load_profiles(tmp_path / "nope.yaml")
    assert (result.profiles, result.issues, result.writable) == ([], [], True)


@pytest.mark.parametrize("text", ["", "# only a comment\n", "profiles:\n", "profiles: []\n"])
def test_empty_files_have_no_profiles_and_no_issues(tmp_path: Path, text: str) -> None:
    result = load(tmp_path, text)
    assert (result.profiles, result.issues, result.writable) == ([], [], True)


def test_bad_yaml_names_file_and_line(tmp_path: Path) -> None:
    result = load(
        tmp_path,
        """
        profiles:
          - name: a
            region: [us-east-1
    """,
    )
    message = only_issue(result)
    assert message.startswith(f"{tmp_path / 'profiles.yaml'}:")
    assert "not valid YAML" in message and "starts on line 3" in message
    assert result.profiles == [] and not result.writable


def test_tabs_are_bad_yaml_with_the_line(tmp_path: Path) -> None:
    result = load(tmp_path, "profiles:\n  - name: a\n\tregion: x\n")
    assert ":3: not valid YAML" in only_issue(result)


def test_not_utf8_is_refused_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "profiles.yaml"
    path.write_bytes(b"profiles:\n  - name: caf\xe9\n")
    result = load_profiles(path)
    assert ":2: not UTF-8 text" in only_issue(result)
    assert not result.writable


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- name: a\n", "profiles.yaml:1: the file must be a mapping with a 'profiles:' list, not a list"),
        ("profiles:\n  name: a\n", "profiles.yaml:1: profiles: must be a list of profiles"),
        ("profile:\n  - name: a\n", "profiles.yaml:1: profile: unknown field 'profile' (did you mean 'profiles'?)"),
        ("profiles:\n  - just text\n", "profiles.yaml:2: profiles[0]: a profile must be a mapping of fields"),
    ],
)
def test_top_level_shape(text: str, expected: str) -> None:
    profiles, issues = parse_profiles(text, "profiles.yaml")
    assert profiles == []
    assert len(issues) == 1 and str(issues[0]).startswith(expected), str(issues[0])


def test_unknown_field_suggests_a_close_match_and_lists_the_allowed_ones(tmp_path: Path) -> None:
    result = load(
        tmp_path,
        """
        profiles:
          - name: good
            region: us-east-1
          - name: typo
            regoin: us-east-1
    """,
    )
    message = only_issue(result)
    assert message.startswith(
        f"{tmp_path / 'profiles.yaml'}:5: profiles[1].regoin: unknown field 'regoin' (did you mean 'region'?)"
    )
    assert (
        "allowed: name, region, endpoint_url, aws_profile, user_pool_id, client_id, auth_flow, api, username" in message
    )
    assert [p.name for p in result.profiles] == ["good"]
    assert not result.writable


def test_camel_case_keys_are_matched_to_their_field() -> None:
    _, issues = parse_profiles("profiles:\n  - name: a\n    UserPoolId: us-east-1_Abc\n")
    assert "did you mean 'user_pool_id'?" in str(issues[0])


@pytest.mark.parametrize(
    ("line", "field", "expected"),
    [
        ("client_id: 12345", "client_id", "must be text, not a number (12345); put the value in quotes"),
        ("username: yes", "username", "must be text, not true/false (true); put the value in quotes"),
        ("notes: 2024-01-02", "notes", "must be text, not a date (2024-01-02); put the value in quotes"),
        ("region: [us-east-1]", "region", "must be text, not a list"),
        ("client_metadata: [a, b]", "client_metadata", "must be a mapping of text keys to text values, not a list"),
        ("client_metadata: {retries: 3}", "client_metadata.retries", "must be text, not a number (3)"),
        ("context_data: text", "context_data", "must be a mapping (ip_address, server_name"),
        (
            "context_data: {http_headers: {a: b}}",
            "context_data.http_headers",
            "must be a list of '- name: ..., value: ...'",
        ),
        ("context_data: {http_headers: [{name: a}]}", "context_data.http_headers[0]", "exactly 'name' and 'value'"),
        ("context_data: {ip: 1.2.3.4}", "context_data.ip", "unknown field 'ip'; allowed: ip_address,"),
    ],
)
def test_wrong_types_name_the_line_and_field(tmp_path: Path, line: str, field: str, expected: str) -> None:
    result = load(tmp_path, f"profiles:\n  - name: ok\n  - name: bad\n    {line}\n")
    message = only_issue(result)
    assert message.startswith(f"{tmp_path / 'profiles.yaml'}:4: profiles[1].{field}: ")
    assert expected in message
    assert [p.name for p in result.profiles] == ["ok"]


@pytest.mark.parametrize(
    ("line", "field", "expected"),
    [
        ("user_pool_id: pool", "user_pool_id", "must look like <region>_<id> (e.g. us-east-1_AbCdEf123)"),
        ("auth_flow: user_srp", "auth_flow", "must be one of USER_SRP_AUTH, USER_PASSWORD_AUTH"),
        ("auth_flow: user_srp", "auth_flow", "(did you mean 'USER_SRP_AUTH'?)"),
        ("api: Admin", "api", "must be admin or public (or left out) (did you mean 'admin'?)"),
        ("region: us-east1", "region", "must be an AWS Region code such as us-east-1"),
        ("endpoint_url: localhost:9229", "endpoint_url", "must be a URL starting with http:// or https://"),
        ("client_id: 'a b'", "client_id", "must be an app client id"),
        ("name: ' spaced'", "name", "must not start or end with spaces"),
    ],
)
def test_values_are_checked(line: str, field: str, expected: str) -> None:
    _, issues = parse_profiles(f"profiles:\n  - name: x\n    {line}\n".replace("name: x\n    name:", "name:"), "p.yaml")
    assert len(issues) == 1, issues
    assert str(issues[0]).startswith("p.yaml:") and f"profiles[0].{field}: " in str(issues[0])
    assert expected in str(issues[0])


def test_all_eight_auth_flows_are_accepted() -> None:
    flows = [
        "USER_SRP_AUTH",
        "REFRESH_TOKEN_AUTH",
        "REFRESH_TOKEN",
        "CUSTOM_AUTH",
        "ADMIN_NO_SRP_AUTH",
        "USER_PASSWORD_AUTH",
        "ADMIN_USER_PASSWORD_AUTH",
        "USER_AUTH",
    ]
    text = "profiles:\n" + "".join(f"  - name: f{i}\n    auth_flow: {f}\n" for i, f in enumerate(flows))
    profiles, issues = parse_profiles(text)
    assert issues == [] and [p.auth_flow for p in profiles] == flows


def test_region_must_match_the_pool_unless_an_endpoint_is_set() -> None:
    _, issues = parse_profiles("profiles:\n  - name: a\n    region: us-east-1\n    user_pool_id: eu-west-1_Abc\n")
    assert "profiles[0].region: is us-east-1 but user_pool_id eu-west-1_Abc lives in eu-west-1" in str(issues[0])
    _, issues = parse_profiles(
        "profiles:\n  - name: a\n    region: us-east-1\n    endpoint_url: http://127.0.0.1:9229\n    user_pool_id: eu-west-1_Abc\n"
    )
    assert issues == []


def test_api_must_accept_the_flow() -> None:
    _, issues = parse_profiles("profiles:\n  - name: a\n    auth_flow: USER_PASSWORD_AUTH\n    api: admin\n")
    assert "profiles[0].api: is admin but USER_PASSWORD_AUTH is accepted only by the public API" in str(issues[0])


def test_duplicate_names_point_at_the_second_and_keep_the_first(tmp_path: Path) -> None:
    result = load(
        tmp_path,
        """
        profiles:
          - name: dev
            region: us-east-1
          - name: prod
          - name: dev
            region: eu-west-1
    """,
    )
    assert only_issue(result) == (
        f"{tmp_path / 'profiles.yaml'}:5: profiles[2].name: duplicate name 'dev' (first used on line 2); names must be unique"
    )
    assert [(p.name, p.region) for p in result.profiles] == [("dev", "us-east-1"), ("prod", None)]
    assert not result.writable


def test_duplicate_keys_inside_a_profile_are_refused() -> None:
    _, issues = parse_profiles("profiles:\n  - name: a\n    region: us-east-1\n    region: us-east-2\n", "p.yaml")
    assert str(issues[0]) == "p.yaml:4: profiles[0].region: duplicate key 'region' (also on line 3)"


def test_missing_name_points_at_the_profile() -> None:
    _, issues = parse_profiles("profiles:\n  - name: a\n  - region: us-east-1\n", "p.yaml")
    assert str(issues[0]) == "p.yaml:3: profiles[1]: missing 'name' (every profile needs a unique name)"


@pytest.mark.parametrize(
    "key", ["password", "client_secret", "secret", "refresh_token", "totp_seed", "TOTP", "ClientSecret", "device-key"]
)
def test_secret_looking_keys_are_refused_and_never_echoed(key: str) -> None:
    profiles, issues = parse_profiles(f"profiles:\n  - name: a\n    {key}: hunter2-value\n  - name: b\n", "p.yaml")
    message = str(issues[0])
    assert message.startswith(f"p.yaml:3: profiles[0].{key}: {key!r} looks like a secret")
    assert "OS keyring" in message
    assert "hunter2" not in message
    assert [p.name for p in profiles] == ["b"]


def test_merge_keys_and_anchors_work() -> None:
    profiles, issues = parse_profiles(
        "base: &base {user_pool_id: us-east-1_Abc, client_id: abc}\n"
        "profiles:\n  - {<<: *base, name: a}\n  - {<<: *base, name: b, username: bob}\n"
    )
    assert [i.message for i in issues] == ["unknown field 'base'; allowed: profiles"]
    assert [(p.name, p.user_pool_id, p.username) for p in profiles] == [
        ("a", "us-east-1_Abc", None),
        ("b", "us-east-1_Abc", "bob"),
    ]


def test_empty_fields_mean_unset() -> None:
    profiles, issues = parse_profiles("profiles:\n  - name: a\n    region:\n    username: ''\n    context_data: {}\n")
    assert issues == [] and profiles == [Profile(name="a")]


def test_several_issues_are_all_reported_in_line_order(tmp_path: Path) -> None:
    result = load(
        tmp_path,
        """
        profiles:
          - name: a
            client_id: 12
            auth_flow: NOPE
          - name: b
          - name: c
            user_pool_id: x
    """,
    )
    assert [(i.line, i.field) for i in result.issues] == [
        (3, "profiles[0].client_id"),
        (4, "profiles[0].auth_flow"),
        (7, "profiles[2].user_pool_id"),
    ]
    assert [p.name for p in result.profiles] == ["b"]


def test_issue_str_without_line_or_field() -> None:
    from cognito_tui.store.profiles import ProfileIssue

    assert str(ProfileIssue("p.yaml", None, None, "cannot read")) == "p.yaml: cannot read"
    assert (
        str(ProfileIssue("p.yaml", 12, "profiles[2].region", "must be text"))
        == "p.yaml:12: profiles[2].region: must be text"
    )


def test_an_unreadable_path_is_an_issue_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "dir.yaml").mkdir()
    result = load_profiles(tmp_path / "dir.yaml")
    assert "cannot read" in only_issue(result) and not result.writable


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-13-45", "cannot read '2024-13-45': month must be in 1..12; put the value in quotes"),
        ("!!python/object:os.system x", "could not determine a constructor for the tag"),
    ],
)
def test_values_yaml_cannot_build_are_issues_not_crashes(value: str, expected: str) -> None:
    profiles, issues = parse_profiles(f"profiles:\n  - name: a\n    notes: {value}\n  - name: b\n", "p.yaml")
    assert [p.name for p in profiles] == ["b"]
    assert str(issues[0]).startswith("p.yaml:3: profiles[0].notes: ") and expected in str(issues[0])
