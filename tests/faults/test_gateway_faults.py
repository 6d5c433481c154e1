"""The gateway and the walk against a misbehaving server: every fault a Failed step, retries reported."""

from __future__ import annotations

import pytest

from cognito_tui.aws.gateway import Gateway, GatewayConfig
from cognito_tui.core.errors import CognitoError, TransportError
from cognito_tui.core.redact import Secret
from cognito_tui.core.walk import AuthRequest, Failed, Walk
from tests.faults.server import MODES

POOL = "us-east-1_Faults01"
# mode -> (title of the error, whether the gateway should have retried, words in the message)
EXPECTED = {
    "hang": ("Cognito did not answer", False, "no answer within"),
    "close": ("Cognito could not be reached", True, "closed the connection"),
    "binary": ("Not a Cognito answer", False, "not UTF-8"),
    "html500": ("Not a Cognito answer", True, "HTTP 500"),
    "truncated": ("Not a Cognito answer", False, "does not parse"),
    "drip": ("Cognito did not answer", False, "no answer within"),
}


def _gateway(url: str, retries: list, **kw) -> Gateway:
    config = GatewayConfig(endpoint_url=url, connect_timeout=1.0, read_timeout=1.5, **kw)
    return Gateway(config, user_pool_id=POOL, on_retry=lambda *a: retries.append(a))


@pytest.mark.parametrize("mode", sorted(EXPECTED))
def test_each_fault_is_a_failed_step_with_what_and_check(fault_server, mode):
    server = fault_server(mode)
    retries: list = []
    walk = Walk(_gateway(server.url, retries), AuthRequest(POOL, "client1", "USER_PASSWORD_AUTH", "u", Secret("p")))
    step = walk.start()
    title, retried, words = EXPECTED[mode]
    assert isinstance(step, Failed), step
    assert isinstance(step.error, TransportError)
    assert step.explanation.title == title and words in step.message, step.message
    assert step.explanation.checks and all(step.explanation.checks)
    if retried:
        assert server.requests == 3
        assert [(op, n, m) for op, n, m, _ in retries] == [("InitiateAuth", 2, 3), ("InitiateAuth", 3, 3)]
    else:
        assert server.requests == 1 and retries == []


def test_a_json_object_without_a_challenge_or_tokens_is_a_failed_step(fault_server):
    server = fault_server("missing")
    step = Walk(_gateway(server.url, []), AuthRequest(POOL, "c", "USER_PASSWORD_AUTH", "u", Secret("p"))).start()
    assert isinstance(step, Failed) and "neither AuthenticationResult nor ChallengeName" in step.message


def test_missing_keys_in_describe_user_pool_client_is_our_error_not_a_keyerror(fault_server):
    server = fault_server("missing")
    with pytest.raises(TransportError, match="without UserPoolClient"):
        _gateway(server.url, []).call("DescribeUserPoolClient", {"UserPoolId": POOL, "ClientId": "c"})


@pytest.mark.parametrize(
    "body,words",
    [
        (b'{"ChallengeName": 5}', "ChallengeName is int"),
        (b'{"ChallengeName": "SMS_MFA", "ChallengeParameters": []}', "ChallengeParameters is list"),
        (b'{"ChallengeName": "SMS_MFA", "ChallengeParameters": {"SALT": 7}}', "ChallengeParameters['SALT'] is int"),
        (b'{"AuthenticationResult": "x"}', "AuthenticationResult is str"),
        (b"[]", "JSON list"),
        (b"null", "JSON NoneType"),
        (b"[" * 100_000, "nested too deeply"),
    ],
)
def test_wrong_types_in_the_answer_are_named(fault_server, body, words):
    server = fault_server("json", body=body)
    with pytest.raises(TransportError) as caught:
        _gateway(server.url, []).call("InitiateAuth", {"ClientId": "c", "AuthFlow": "USER_PASSWORD_AUTH"})
    assert words in caught.value.message, caught.value.message


def test_max_attempts_means_attempts(fault_server):
    server = fault_server("close")
    retries: list = []
    with pytest.raises(TransportError):
        _gateway(server.url, retries, max_attempts=1).call("InitiateAuth", {"ClientId": "c", "AuthFlow": "X"})
    assert server.requests == 1 and retries == []


def test_a_hung_server_is_given_up_once_within_the_total_timeout(fault_server):
    server = fault_server("hang")
    retries: list = []
    gateway = _gateway(server.url, retries, total_timeout=1.0)
    with pytest.raises(TransportError, match="no answer within 1 s"):
        gateway.call("InitiateAuth", {"ClientId": "c", "AuthFlow": "USER_PASSWORD_AUTH"})
    assert server.requests == 1 and retries == []  # no time was left for another attempt


def test_retry_lines_carry_the_reason(fault_server):
    server = fault_server("html500")
    retries: list = []
    with pytest.raises(TransportError):
        _gateway(server.url, retries).call("InitiateAuth", {"ClientId": "c", "AuthFlow": "X"})
    assert [r[3] for r in retries] == ["HTTP 500", "HTTP 500"]


def test_loopback_placeholders_are_not_real_credentials(monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    gateway = Gateway(GatewayConfig(endpoint_url="http://127.0.0.1:9"), user_pool_id=POOL)
    assert gateway.has_credentials() is False and gateway.can_sign() is True  # the emulator checks no signature
    assert Gateway(GatewayConfig(region="us-east-1")).can_sign() is False
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "real")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real")
    assert Gateway(GatewayConfig(endpoint_url="http://127.0.0.1:9"), user_pool_id=POOL).has_credentials() is True


@pytest.mark.parametrize("region", ["0", "ü", "us east 1"])
def test_a_bad_region_is_our_error_at_the_first_call(region):
    gateway = Gateway(GatewayConfig(region=region, endpoint_url="http://127.0.0.1:9"))
    with pytest.raises(TransportError, match="Region"):
        gateway.call("InitiateAuth", {"ClientId": "c", "AuthFlow": "X"})


def test_cognito_errors_still_come_through(sandbox):
    gateway = Gateway(GatewayConfig(endpoint_url=sandbox.endpoint_url, region=sandbox.region))
    with pytest.raises(CognitoError) as caught:
        gateway.call("InitiateAuth", {"ClientId": "nope", "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {}})
    assert caught.value.code in ("ResourceNotFoundException", "InvalidParameterException")


def test_every_mode_is_covered():
    assert set(EXPECTED) | {"missing", "json"} == set(MODES)
