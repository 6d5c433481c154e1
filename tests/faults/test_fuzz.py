"""Fuzzing the edges with hypothesis: whatever comes in, only our own errors come out (no traceback).

Each property runs 500 derandomized examples (deterministic, no example database) with no
per-example deadline; the whole module stays well under a minute.
"""

from __future__ import annotations

import json
import string
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cognito_tui.aws.faults import MalformedResponse, check_body
from cognito_tui.core import srp, validate
from cognito_tui.core.challenges import CHALLENGE_NAMES, SPECS
from cognito_tui.core.redact import Secret
from cognito_tui.core.walk import AnswerError, AuthRequest, Challenge, Failed, SignedIn, Walk
from cognito_tui.store.cli_json import CliJsonError, profile_from_cli_input_json
from cognito_tui.store.profiles import Profile, ProfileIssue, parse_profiles

FUZZ = settings(
    max_examples=500,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
POOL = "us-east-1_Fuzz01"
STEPS = (Challenge, SignedIn, Failed)

# --------------------------------------------------------------------------------------- profile YAML

YAML_TOKENS = [
    "profiles:",
    "- ",
    "  ",
    "\n",
    "name: ",
    "a",
    "&x ",
    "*x",
    "<<: ",
    "{",
    "}",
    "[",
    "]",
    ",",
    ": ",
    "'",
    '"',
    "!!str ",
    "!!python/object:os.system ",
    "!!binary ",
    "2024-13-45",
    "~",
    "null",
    "true",
    "0x1F",
    "1e400",
    "region: ",
    "us-east-1",
    "endpoint_url: ",
    "http://[::1",
    "user_pool_id: ",
    "ü_x",
    "context_data:",
    "http_headers:",
    "client_metadata:",
    "password: hunter2",
    "\t",
    "#",
    "---",
    "...",
    "? ",
    "|",
    ">",
    "%YAML 1.1",
]
yaml_soup = st.lists(st.sampled_from(YAML_TOKENS) | st.text(max_size=8), max_size=60).map("".join)
# Flat rather than st.recursive: generation, not our code, was most of the time with deep strategies.
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
json_values = scalars | st.lists(scalars, max_size=3) | st.dictionaries(st.text(max_size=8), scalars, max_size=3)
profile_like = st.dictionaries(
    st.sampled_from(
        [
            "name",
            "region",
            "endpoint_url",
            "user_pool_id",
            "client_id",
            "auth_flow",
            "api",
            "username",
            "client_metadata",
            "context_data",
            "notes",
            "regoin",
        ]
    )
    | st.text(max_size=10),
    json_values,
    max_size=5,
)


def _check_parse(text: str) -> None:
    profiles, issues = parse_profiles(text)
    assert all(isinstance(p, Profile) for p in profiles)
    assert all(isinstance(i, ProfileIssue) and str(i) for i in issues)


@FUZZ
@given(yaml_soup)
def test_profile_yaml_soup_never_raises(text):
    _check_parse(text)


@FUZZ
@given(st.lists(profile_like, max_size=3))
def test_structured_profile_yaml_never_raises(items):
    _check_parse(json.dumps({"profiles": items}))  # JSON is YAML: every shape of value reaches the checks


# --------------------------------------------------------------------------------------- ChallengeParameters


class Scripted:
    """Answers every call with the next response; the last repeats (so loops must be ended by the walk)."""

    def __init__(self, responses: list[Any]):
        self.responses = responses
        self.calls = 0

    def call(self, operation: str, params: dict[str, Any]) -> Any:
        self.calls += 1
        assert self.calls < 60, "the walk did not stop"
        return self.responses[min(self.calls - 1, len(self.responses) - 1)]


PARAM_KEYS = [
    "SALT",
    "SRP_B",
    "SECRET_BLOCK",
    "USER_ID_FOR_SRP",
    "USERNAME",
    "MFAS_CAN_CHOOSE",
    "MFAS_CAN_SETUP",
    "CODE_DELIVERY_DESTINATION",
    "userAttributes",
    "requiredAttributes",
    "DEVICE_KEY",
]
param_values = (
    st.text(max_size=30)
    | st.sampled_from(["0", "02", "ab12", "AAAA", "zz", "[", '["SMS_MFA"]', '["SOFTWARE_TOKEN_MFA","SMS_MFA"]', "{}"])
    | st.integers()
    | st.lists(st.text(max_size=5), max_size=3)
    | st.none()
)
challenge_response = st.fixed_dictionaries(
    {"ChallengeName": st.sampled_from(CHALLENGE_NAMES) | st.text(max_size=10)},
    optional={
        "ChallengeParameters": st.dictionaries(
            st.sampled_from(PARAM_KEYS) | st.text(max_size=6), param_values, max_size=4
        )
        | st.lists(st.text(max_size=3), min_size=1, max_size=2),
        "Session": st.text(max_size=10) | st.none(),
        "AvailableChallenges": st.lists(st.sampled_from(["PASSWORD", "EMAIL_OTP", "SMS_OTP"]), max_size=3),
    },
)
ODD_ANSWERS = [
    {},
    {"AuthenticationResult": None},
    {"AuthenticationResult": []},
    {"AuthenticationResult": "x"},
    {"AuthenticationResult": {"IdToken": "a.bnVsbA.c", "AccessToken": "a.W10.c"}},  # payloads null and []
    {"AuthenticationResult": {"IdToken": 5}},
    {"AuthenticationResult": {"AccessToken": "not a jwt"}},
    {"ChallengeName": None},
    {"ChallengeName": 5},
    {"Session": "only"},
]
any_response = challenge_response | st.sampled_from(ODD_ANSWERS)


@FUZZ
@given(
    st.lists(any_response, min_size=1, max_size=3),
    st.sampled_from(["USER_SRP_AUTH", "USER_PASSWORD_AUTH", "CUSTOM_AUTH"]),
)
def test_any_challenge_parameters_end_in_a_step(responses, flow):
    fast = lambda: srp.SrpClient(a=0x5EED)  # noqa: E731 -- a small secret exponent: the maths is the same, faster
    walk = Walk(Scripted(responses), AuthRequest(POOL, "c", flow, "u", Secret("pw")), srp_client=fast)
    step = walk.start()
    assert isinstance(step, STEPS)


# --------------------------------------------------------------------------------------- challenge answers

answers = st.dictionaries(
    st.sampled_from(
        [
            "ANSWER",
            "MFA_TYPE",
            "EMAIL",
            "NEW_PASSWORD",
            "SMS_MFA_CODE",
            "SOFTWARE_TOKEN_MFA_CODE",
            "EMAIL_OTP_CODE",
            "RAW",
            "USER_CODE",
            "PASSWORD",
            "CREDENTIAL",
            "userAttributes.email",
        ]
    )
    | st.text(max_size=10),
    st.text(max_size=40) | st.sampled_from(["123456", "SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP", "a@b.c", "{}"]),
    max_size=5,
)


@FUZZ
@given(
    st.sampled_from(sorted(SPECS)),
    st.dictionaries(st.sampled_from(PARAM_KEYS), param_values.filter(lambda v: isinstance(v, str)), max_size=4),
    answers,
    st.lists(any_response, min_size=1, max_size=3),
)
def test_any_answer_is_a_step_or_an_answer_error(spec_key, params, values, then):
    name = spec_key.split(":")[0]
    first = {"ChallengeName": name, "ChallengeParameters": params, "Session": "s"}
    walk = Walk(
        Scripted([first, *then]), AuthRequest(POOL, "c", "USER_PASSWORD_AUTH", "u", Secret("pw")), auto_answer=False
    )
    step = walk.start()
    if not isinstance(step, Challenge):
        assert isinstance(step, STEPS)
        return
    try:
        assert isinstance(walk.answer(values), STEPS)
    except AnswerError as exc:
        assert exc.problems


# --------------------------------------------------------------------------------------- ids and URLs

printable = st.text(alphabet=string.printable + "üé_-\u00a0\u200b\x00", max_size=40)


@FUZZ
@given(printable, printable, printable, st.one_of(st.none(), printable), st.floats(allow_nan=True))
def test_ids_urls_and_timeouts_are_accepted_or_refused_with_a_fix(pool, client, region, url, timeout):
    try:
        validate.check_target(pool, client, region, url, timeout)
    except validate.InvalidInput as exc:
        assert exc.message and exc.next_step


@FUZZ
@given(printable)
def test_accepted_pool_ids_give_a_boto3_region(pool):
    from cognito_tui.core.flows import region_of

    if validate.pool_id_problem(pool) is None:
        region = region_of(pool)
        assert region is not None and validate.region_problem(region) is None


# --------------------------------------------------------------------------------------- cli-input-json

json_soup = st.lists(
    st.sampled_from(
        [
            "{",
            "}",
            "[",
            "]",
            '"',
            ":",
            ",",
            '"ClientId"',
            '"AuthParameters"',
            '"AuthFlow"',
            '"USER_SRP_AUTH"',
            '"UserPoolId"',
            '"ContextData"',
            '"HttpHeaders"',
            "null",
            "1",
            "\\u0000",
            "\\ud800",
            " ",
        ]
    )
    | st.text(max_size=4),
    max_size=80,
).map("".join)


@FUZZ
@given(
    json_soup
    | json_values.map(json.dumps)
    | st.dictionaries(
        st.sampled_from(
            [
                "ClientId",
                "UserPoolId",
                "AuthFlow",
                "AuthParameters",
                "ClientMetadata",
                "ContextData",
                "UserContextData",
                "AnalyticsMetadata",
            ]
        ),
        json_values,
        max_size=6,
    ).map(json.dumps)
)
def test_cli_input_json_is_read_or_refused_with_our_error(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("cij") / "in.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        data = validate.read_json_file(str(path))
    except validate.InvalidInput as exc:
        assert exc.message and exc.next_step
        return
    try:
        profile, _ = profile_from_cli_input_json(data, name="fuzz")
    except CliJsonError as exc:
        assert str(exc)
        return
    assert isinstance(profile, Profile)


# --------------------------------------------------------------------------------------- gateway bodies


@FUZZ
@given(st.binary(max_size=200) | json_soup.map(str.encode) | json_values.map(lambda v: json.dumps(v).encode()))
def test_any_body_is_accepted_or_refused_as_malformed(body):

    model = _model().operation_model("InitiateAuth")
    try:
        check_body({"body": body, "status_code": 200}, operation_model=model)
    except MalformedResponse as exc:
        assert str(exc)


_MODEL: list[Any] = []


def _model() -> Any:
    if not _MODEL:
        import botocore.session

        _MODEL.append(botocore.session.get_session().get_service_model("cognito-idp"))
    return _MODEL[0]


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__, "-q"])
