"""The walk against a transport that answers nonsense: every case a Failed step, never an exception or a loop."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from cognito_tui.core import srp
from cognito_tui.core.errors import CognitoError
from cognito_tui.core.redact import Secret
from cognito_tui.core.walk import MAX_AUTO_ANSWERS, MAX_ROUNDS, AuthRequest, Challenge, Failed, Walk

POOL = "us-east-1_Walk01"
VERIFIER = {"SALT": "ab12", "SRP_B": "02", "SECRET_BLOCK": "AAAA", "USER_ID_FOR_SRP": "u", "USERNAME": "u"}


class Scripted:
    """A Transport that answers every call with the next response (the last one repeats forever)."""

    def __init__(self, *responses: dict[str, Any]):
        self.responses = list(responses)
        self.calls: list[str] = []

    def call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        self.calls.append(operation)
        if len(self.calls) > 200:
            raise AssertionError("the walk did not stop")
        return self.responses[min(len(self.calls) - 1, len(self.responses) - 1)]


def _srp_walk(*responses) -> tuple[Walk, Scripted]:
    transport = Scripted(*responses)
    return Walk(transport, AuthRequest(POOL, "c", "USER_SRP_AUTH", "u", Secret("pw"))), transport


def _challenge(name: str, params: Any, **extra) -> dict[str, Any]:
    return {"ChallengeName": name, "ChallengeParameters": params, "Session": "s", **extra}


def _jwt(payload: Any) -> str:
    part = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    return f"{part}.{part}.sig"


NONSENSE_VERIFIERS = [
    {k: v for k, v in VERIFIER.items() if k != "SALT"},
    {k: v for k, v in VERIFIER.items() if k != "SRP_B"},
    {k: v for k, v in VERIFIER.items() if k != "SECRET_BLOCK"},
    {**VERIFIER, "SRP_B": "not-hex"},
    {**VERIFIER, "SRP_B": "0"},
    {**VERIFIER, "SRP_B": format(srp.N, "x")},
    {**VERIFIER, "SALT": "g1"},
    {**VERIFIER, "SECRET_BLOCK": "***"},
    {**VERIFIER, "SECRET_BLOCK": ""},
]


@pytest.mark.parametrize("params", NONSENSE_VERIFIERS)
def test_nonsense_password_verifier_is_a_failed_step(params):
    walk, transport = _srp_walk(_challenge("PASSWORD_VERIFIER", params))
    step = walk.start()
    assert isinstance(step, Failed) and step.code == "UnexpectedResponse", step
    assert step.explanation.title == "Unusable SRP parameters" and step.explanation.checks
    assert transport.calls == ["InitiateAuth"]  # nothing signed with nonsense


def test_a_repeated_password_verifier_ends_after_a_few_rounds():
    walk, transport = _srp_walk(_challenge("PASSWORD_VERIFIER", VERIFIER))
    step = walk.start()
    assert isinstance(step, Failed) and "again after" in step.message and step.explanation.title == "A loop"
    assert len(transport.calls) == MAX_AUTO_ANSWERS + 1


def test_a_challenge_repeated_forever_ends_after_max_rounds():
    walk, transport = _srp_walk(_challenge("SMS_MFA", {"CODE_DELIVERY_DESTINATION": "+1***"}))
    step = walk.start()
    rounds = 1
    while isinstance(step, Challenge):
        step = walk.answer({"SMS_MFA_CODE": "123456"})
        rounds += 1
    assert isinstance(step, Failed) and f"{MAX_ROUNDS + 1} times in a row" in step.message
    assert rounds == MAX_ROUNDS + 1


@pytest.mark.parametrize("raw", ["not json", "[broken", "{}", "[]", "[1, 2]", "null"])
def test_mfas_can_choose_with_nothing_usable_is_a_failed_step(raw):
    walk, _ = _srp_walk(_challenge("SELECT_MFA_TYPE", {"MFAS_CAN_CHOOSE": raw}))
    walk.request.auth_flow = "USER_PASSWORD_AUTH"
    step = walk.start()
    assert isinstance(step, Failed) and "MFAS_CAN_CHOOSE offers nothing" in step.message, step


def test_mfa_setup_without_secret_code_is_a_failed_step():
    walk, _ = _srp_walk(_challenge("MFA_SETUP", {"MFAS_CAN_SETUP": '["SOFTWARE_TOKEN_MFA"]'}), {"Session": "t"})
    walk.request.auth_flow = "USER_PASSWORD_AUTH"
    step = walk.start()
    assert isinstance(step, Challenge)
    step = walk.answer({"MFA_TYPE": "SOFTWARE_TOKEN_MFA"})
    assert isinstance(step, Failed) and "without a SecretCode" in step.message


@pytest.mark.parametrize(
    "result",
    [None, [], "tokens", {"IdToken": _jwt(None)}, {"AccessToken": _jwt([])}, {"IdToken": 5}],
)
def test_unusable_authentication_results_are_failed_steps(result):
    transport = Scripted({"AuthenticationResult": result})
    step = Walk(transport, AuthRequest(POOL, "c", "USER_PASSWORD_AUTH", "u", Secret("pw"))).start()
    assert isinstance(step, Failed) and step.code == "UnexpectedResponse", step


@pytest.mark.parametrize("response", [_challenge("SMS_MFA", ["x"]), _challenge("SMS_MFA", "x"), {"ChallengeName": 5}])
def test_wrong_types_for_challenge_fields_are_failed_steps(response):
    step = Walk(Scripted(response), AuthRequest(POOL, "c", "USER_PASSWORD_AUTH", "u", Secret("pw"))).start()
    assert isinstance(step, Failed) and isinstance(step.error, CognitoError)


def test_device_verifier_without_device_srp_is_a_failed_step():
    from cognito_tui.core.walk import DeviceSecrets

    transport = Scripted(_challenge("DEVICE_PASSWORD_VERIFIER", VERIFIER))
    device = DeviceSecrets("us-east-1_dk", "gk", Secret("dp"))
    step = Walk(transport, AuthRequest(POOL, "c", "USER_PASSWORD_AUTH", "u", Secret("pw"), device=device)).start()
    assert isinstance(step, Failed), step
