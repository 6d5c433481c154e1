"""The engine end to end: the walk, real boto3 through the gateway, the sandbox on loopback.

Every demo scenario, with the exact sequence of challenges and the final tokens; the refusals; the
username that went into SECRET_HASH at each step.
"""

from __future__ import annotations

import pytest

from cognito_tui.aws.gateway import Gateway, GatewayConfig
from cognito_tui.aws.jwks import fetch_jwks, verify
from cognito_tui.core import tokens, totp
from cognito_tui.core.actions import TokenActions
from cognito_tui.core.errors import CognitoError
from cognito_tui.core.flows import Api
from cognito_tui.core.redact import Secret
from cognito_tui.core.walk import AnswerError, AuthRequest, Challenge, Failed, Recovery, SignedIn, Walk


class Demo:
    """Scenario lookups over a running sandbox's describe()."""

    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.info = sandbox.describe()

    def user(self, scenario: str) -> tuple[dict, dict, dict]:
        for pool in self.info["pools"]:
            for user in pool["users"]:
                if user.get("scenario") == scenario:
                    return pool, user, self.client(pool, user.get("client"))
        raise KeyError(scenario)

    @staticmethod
    def client(pool: dict, name: str | None) -> dict:
        clients = pool["clients"]
        if name:
            return next(c for c in clients if c["name"] == name)
        return next((c for c in clients if not c.get("secret")), clients[0])

    def gateway(self, pool_id: str) -> Gateway:
        return Gateway(
            GatewayConfig(endpoint_url=self.sandbox.endpoint_url, region=self.sandbox.region), user_pool_id=pool_id
        )

    def walk(self, scenario: str, flow: str | None = None, client_name: str | None = None, **kw) -> Walk:
        pool, user, client = self.user(scenario)
        if client_name:
            client = self.client(pool, client_name)
        request = AuthRequest(
            user_pool_id=pool["id"],
            client_id=client["id"],
            auth_flow=flow or user.get("flow") or "USER_SRP_AUTH",
            username=kw.pop("username", user["username"]),
            password=Secret(kw.pop("password", user.get("password") or "")) or None,
            client_secret=Secret(client["secret"]) if client.get("secret") else None,
            **kw,
        )
        return Walk(self.gateway(pool["id"]), request)

    def code_for(self, username: str) -> str:
        message = self.sandbox.outbox.latest(username)
        assert message is not None, f"no code was sent to {username}"
        return message["code"]

    def totp_now(self, secret: str) -> str:
        return totp.now_code(secret, self.sandbox.clock.now())


@pytest.fixture(scope="module")
def demo(sandbox):
    return Demo(sandbox)


def ops(walk: Walk) -> list[tuple[str, str]]:
    return [(r.operation, r.outcome) for r in walk.transcript.records]


def signed_in(step, username: str) -> SignedIn:
    assert isinstance(step, SignedIn), getattr(step, "explanation", step)
    assert step.claims["access"]["username"] == username
    assert step.claims["access"]["token_use"] == "access"
    assert step.claims["id"]["cognito:username"] == username
    assert step.claims["id"]["token_use"] == "id"
    return step


# --- each scenario to tokens ------------------------------------------------------------------


@pytest.mark.parametrize(
    "flow,api",
    [
        ("USER_PASSWORD_AUTH", Api.PUBLIC),
        ("ADMIN_USER_PASSWORD_AUTH", Api.ADMIN),
        ("ADMIN_NO_SRP_AUTH", Api.ADMIN),
        ("USER_SRP_AUTH", Api.PUBLIC),
        ("USER_SRP_AUTH", Api.ADMIN),
    ],
)
def test_password_user_every_password_flow(demo, flow, api):
    walk = demo.walk("password", flow=flow, api=api)
    step = walk.start()
    signed_in(step, "alice")
    expected_initiate = "AdminInitiateAuth" if api is Api.ADMIN else "InitiateAuth"
    if flow == "USER_SRP_AUTH":
        respond = "AdminRespondToAuthChallenge" if api is Api.ADMIN else "RespondToAuthChallenge"
        assert ops(walk) == [(expected_initiate, "PASSWORD_VERIFIER"), (respond, "tokens")]
    else:
        assert ops(walk) == [(expected_initiate, "tokens")]


def test_tokens_verify_against_the_sandbox_jwks(demo):
    walk = demo.walk("password", flow="USER_PASSWORD_AUTH")
    step = signed_in(walk.start(), "alice")
    pool, _, client = demo.user("password")
    jwks_at = tokens.jwks_url(step.claims["id"]["iss"], demo.sandbox.endpoint_url)
    assert jwks_at == demo.sandbox.jwks_url(pool["id"])  # the walk's endpoint, not AWS's issuer host
    jwks = fetch_jwks(jwks_at)
    for key, use in (("IdToken", "id"), ("AccessToken", "access")):
        result = verify(step.result[key], jwks, issuer=step.claims[use]["iss"], client_id=client["id"])
        assert result.ok, result.detail
    forged = step.result["AccessToken"][:-6] + (
        "AAAAAA" if not step.result["AccessToken"].endswith("AAAAAA") else "BBBBBB"
    )
    assert not verify(forged, jwks).ok


def test_srp_with_email_alias_and_a_secret_client(demo):
    """The first call hashes what was typed; the verifier answer hashes the real username."""
    walk = demo.walk("srp_alias", flow="USER_SRP_AUTH", client_name="demo-confidential", username="bob@example.com")
    step = walk.start()
    signed_in(step, "bob")
    first, second = walk.transcript.records
    assert first.hash_username == "bob@example.com"
    assert second.hash_username == "bob"
    assert second.request["ChallengeResponses"]["USERNAME"] == "bob"
    assert first.response["ChallengeParameters"]["USER_ID_FOR_SRP"] == "bob"


def test_email_as_username_pool_uses_the_uuid_after_the_first_call(demo):
    pool, user, client = demo.user("email_username")
    walk = demo.walk("email_username", flow="USER_SRP_AUTH")
    step = walk.start()
    assert isinstance(step, SignedIn), step
    real = step.claims["access"]["username"]
    assert real != user["username"] and len(real) == 36  # a UUID
    first, second = walk.transcript.records
    if client.get("secret"):
        assert first.hash_username == user["username"]
        assert second.hash_username == real
    # refresh: SECRET_HASH must use the real username, which TokenActions takes from the claims
    refreshed = TokenActions(walk.caller, walk.request).refresh(step.result)
    assert isinstance(refreshed, SignedIn), refreshed
    if client.get("secret"):
        assert walk.transcript.records[-1].hash_username == real


def test_new_password_required_with_required_attribute(fresh_sandbox):
    demo = Demo(fresh_sandbox())
    walk = demo.walk("new_password", flow="USER_SRP_AUTH")
    step = walk.start()
    assert isinstance(step, Challenge) and step.name == "NEW_PASSWORD_REQUIRED", step
    attrs = [f.name for f in step.fields if f.name.startswith("userAttributes.")]
    assert attrs, "the seed's new_password user lacks a required attribute"
    values = {"NEW_PASSWORD": "Brand-New-Pass1!"} | {a: "Carol Example" for a in attrs}
    step = walk.answer(values)
    assert isinstance(step, SignedIn), step
    # the new password now works, the temporary one does not
    assert isinstance(
        demo.walk("new_password", flow="USER_PASSWORD_AUTH", password="Brand-New-Pass1!").start(), SignedIn
    )
    assert isinstance(demo.walk("new_password", flow="USER_PASSWORD_AUTH").start(), Failed)


def test_new_password_policy_is_enforced(fresh_sandbox):
    demo = Demo(fresh_sandbox())
    walk = demo.walk("new_password", flow="USER_PASSWORD_AUTH")
    step = walk.start()
    attrs = {f.name: "X" for f in step.fields if f.name.startswith("userAttributes.")}
    step = walk.answer({"NEW_PASSWORD": "short", **attrs})
    assert isinstance(step, Failed) and step.code == "InvalidPasswordException", step
    # the Session is spent by the refusal: the engine offers a restart, never a retry that cannot work
    assert step.recovery is Recovery.RESTART and step.retry is None and step.answered.name == "NEW_PASSWORD_REQUIRED"
    assert walk.answers["NEW_PASSWORD_REQUIRED"]["NEW_PASSWORD"] == "short"  # kept for the restart


def test_the_walk_checks_answers_for_every_front_end(fresh_sandbox):
    demo = Demo(fresh_sandbox())
    walk = demo.walk("new_password", flow="USER_PASSWORD_AUTH")
    assert walk.check({}) == ["there is no challenge to answer: start a sign-in"]
    step = walk.start()
    problems = walk.check({})
    assert "New password is required" in problems and any(p.startswith("name is required") for p in problems)
    with pytest.raises(AnswerError):
        walk.answer({})
    assert step.spec.shown_parameters(step.parameters) == step.parameters
    srp = demo.walk("password", flow="USER_SRP_AUTH")
    srp.auto_answer = False
    verifier = srp.start()
    assert isinstance(verifier, Challenge) and verifier.name == "PASSWORD_VERIFIER"
    assert set(verifier.parameters) - set(verifier.spec.shown_parameters(verifier.parameters)) == {
        "SALT",
        "SRP_B",
        "SECRET_BLOCK",
    }
    assert srp.check({}) == [] and srp.asks_for(verifier) == ()  # the password is pre-filled by the engine


def test_totp_mfa_and_its_refusals(fresh_sandbox):
    demo = Demo(fresh_sandbox())
    _, user, _ = demo.user("totp")
    walk = demo.walk("totp")
    step = walk.start()
    assert isinstance(step, Challenge) and step.name == "SOFTWARE_TOKEN_MFA", step
    wrong = "000000" if demo.totp_now(user["totp_secret"]) != "000000" else "111111"
    failed = walk.answer({"SOFTWARE_TOKEN_MFA_CODE": wrong})
    assert isinstance(failed, Failed) and failed.code == "CodeMismatchException"
    assert failed.recovery is Recovery.RETRY and walk.retry() is failed.retry  # the same Session again
    # a fresh walk with the right code
    walk = demo.walk("totp")
    step = walk.start()
    code = demo.totp_now(user["totp_secret"])
    signed_in(walk.answer({"SOFTWARE_TOKEN_MFA_CODE": code}), user["username"])
    assert [c for _, c in ops(walk)] == ["PASSWORD_VERIFIER", "SOFTWARE_TOKEN_MFA", "tokens"]
    # the same code again in its window is refused
    walk = demo.walk("totp")
    walk.start()
    reused = walk.answer({"SOFTWARE_TOKEN_MFA_CODE": code})
    assert isinstance(reused, Failed) and reused.code == "ExpiredCodeException", reused


@pytest.mark.parametrize(
    "scenario,challenge,key", [("sms_mfa", "SMS_MFA", "SMS_MFA_CODE"), ("email_mfa", "EMAIL_OTP", "EMAIL_OTP_CODE")]
)
def test_sms_and_email_mfa_codes_from_the_outbox(fresh_sandbox, scenario, challenge, key):
    demo = Demo(fresh_sandbox())
    _, user, _ = demo.user(scenario)
    walk = demo.walk(scenario)
    step = walk.start()
    assert isinstance(step, Challenge) and step.name == challenge, step
    assert step.parameters["CODE_DELIVERY_DELIVERY_MEDIUM"] == ("SMS" if challenge == "SMS_MFA" else "EMAIL")
    assert "*" in step.parameters["CODE_DELIVERY_DESTINATION"]
    code = demo.code_for(user["username"])
    wrong = walk.answer({key: "000000" if code != "000000" else "111111"})
    assert isinstance(wrong, Failed) and wrong.code == "CodeMismatchException"
    walk = demo.walk(scenario)
    walk.start()
    signed_in(walk.answer({key: demo.code_for(user["username"])}), user["username"])


def test_select_mfa_type_then_sms(demo):
    _, user, _ = demo.user("select_mfa")
    walk = demo.walk("select_mfa")
    step = walk.start()
    assert isinstance(step, Challenge) and step.name == "SELECT_MFA_TYPE", step
    assert set(step.fields[0].options(step.parameters)) >= {"SMS_MFA", "SOFTWARE_TOKEN_MFA"}
    step = walk.answer({"ANSWER": "SMS_MFA"})
    assert isinstance(step, Challenge) and step.name == "SMS_MFA", step
    signed_in(walk.answer({"SMS_MFA_CODE": demo.code_for(user["username"])}), user["username"])


def _custom_rounds(demo: Demo, walk: Walk, user: dict) -> SignedIn:
    step = walk.current
    rounds = 0
    while isinstance(step, Challenge):
        assert step.name == "CUSTOM_CHALLENGE", step
        rounds += 1
        text = " ".join(step.parameters.values()).lower()
        if "6 x 7" in text or "question" in step.parameters.get("type", "").lower():
            answer = "42"
        else:
            answer = demo.code_for(user["username"])
        step = walk.answer({"ANSWER": answer})
        assert rounds < 5
    assert rounds >= 2
    return signed_in(step, user["username"])


@pytest.mark.parametrize("with_srp", [False, True])
def test_custom_challenge_question_then_code(demo, with_srp):
    _, user, _ = demo.user("custom_challenge")
    walk = demo.walk("custom_challenge", flow="CUSTOM_AUTH", custom_with_srp=with_srp)
    walk.start()
    if with_srp:
        assert walk.transcript.records[0].request["AuthParameters"]["CHALLENGE_NAME"] == "SRP_A"
        assert walk.transcript.records[0].outcome == "PASSWORD_VERIFIER"
    _custom_rounds(demo, walk, user)


def test_custom_challenge_wrong_answer_gets_another_round(demo):
    walk = demo.walk("custom_challenge", flow="CUSTOM_AUTH")
    step = walk.start()
    assert isinstance(step, Challenge)
    step2 = walk.answer({"ANSWER": "41"})
    assert isinstance(step2, (Challenge, Failed))
    if isinstance(step2, Challenge):
        assert step2.name == "CUSTOM_CHALLENGE" and step2.round == 2 and step2.session != step.session


@pytest.mark.parametrize("preferred", [None, "EMAIL_OTP"])
def test_passwordless_email_with_user_auth(demo, preferred):
    _, user, _ = demo.user("passwordless_email")
    walk = demo.walk("passwordless_email", flow="USER_AUTH", preferred_challenge=preferred, password="")
    step = walk.start()
    if preferred is None:
        assert isinstance(step, Challenge) and step.name == "SELECT_CHALLENGE", step
        assert "EMAIL_OTP" in step.available_challenges
        step = walk.answer({"ANSWER": "EMAIL_OTP"})
    assert isinstance(step, Challenge) and step.name == "EMAIL_OTP", step
    signed_in(walk.answer({"EMAIL_OTP_CODE": demo.code_for(user["username"])}), user["username"])


@pytest.mark.parametrize("answer", ["PASSWORD", "PASSWORD_SRP"])
def test_user_auth_with_a_password_choice(demo, answer):
    walk = demo.walk("password", flow="USER_AUTH")
    step = walk.start()
    assert isinstance(step, Challenge) and step.name == "SELECT_CHALLENGE", step
    signed_in(walk.answer({"ANSWER": answer}), "alice")
    if answer == "PASSWORD_SRP":
        assert [c for _, c in ops(walk)] == ["SELECT_CHALLENGE", "PASSWORD_VERIFIER", "tokens"]


def test_web_authn_offered_and_refused_clearly(demo):
    walk = demo.walk("passwordless_email", flow="USER_AUTH", password="")
    step = walk.start()
    assert isinstance(step, Challenge) and "WEB_AUTHN" in step.available_challenges, step
    step = walk.answer({"ANSWER": "WEB_AUTHN", "CREDENTIAL": '{"id": "x", "response": {}}'})
    assert isinstance(step, Failed)
    assert step.explanation.checks


def test_mfa_setup_totp_session_chain(fresh_sandbox):
    demo = Demo(fresh_sandbox())
    _, user, _ = demo.user("mfa_setup")
    walk = demo.walk("mfa_setup")
    step = walk.start()
    assert isinstance(step, Challenge) and step.name == "MFA_SETUP", step
    step = walk.answer({"MFA_TYPE": "SOFTWARE_TOKEN_MFA"})
    assert isinstance(step, Challenge) and step.phase == "verify", step
    secret = step.extra["secret_code"].value
    assert step.extra["otpauth_uri"].value.startswith("otpauth://totp/") and secret in step.extra["otpauth_uri"].value
    step = walk.answer({"USER_CODE": demo.totp_now(secret), "FRIENDLY_DEVICE_NAME": "pytest"})
    signed_in(step, user["username"])
    names = [r.operation for r in walk.transcript.records]
    assert names[-3:] == ["AssociateSoftwareToken", "VerifySoftwareToken", "RespondToAuthChallenge"]
    sessions = [r.request.get("Session") for r in walk.transcript.records[-3:]]
    assert len(set(sessions)) == 3, "each call uses the newest Session"
    # the next sign-in asks for that authenticator's code
    demo.sandbox.clock.advance(31)
    walk = demo.walk("mfa_setup")
    step = walk.start()
    assert isinstance(step, Challenge) and step.name == "SOFTWARE_TOKEN_MFA", step


def test_device_remembered_skips_mfa_and_refresh_sends_the_device_key(fresh_sandbox):
    demo = Demo(fresh_sandbox())
    _, user, _ = demo.user("device")
    walk = demo.walk("device")
    step = walk.start()
    assert isinstance(step, Challenge) and step.name == "SOFTWARE_TOKEN_MFA", step
    step = walk.answer({"SOFTWARE_TOKEN_MFA_CODE": demo.totp_now(user["totp_secret"])})
    assert isinstance(step, SignedIn) and step.new_device, step
    actions = TokenActions(walk.caller, walk.request)
    device = actions.confirm_device(step.result["AccessToken"], step.new_device, "pytest")
    listed = actions.list_devices(step.result["AccessToken"])
    assert device.device_key in [d["DeviceKey"] for d in listed]
    # second sign-in with the device: device SRP, no MFA
    walk2 = demo.walk("device", device=device)
    step2 = walk2.start()
    signed_in(step2, user["username"])
    assert [c for _, c in ops(walk2)] == ["PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER", "tokens"]
    assert step2.claims["access"].get("device_key") == device.device_key
    refreshed = TokenActions(walk2.caller, walk2.request).refresh(step2.result)
    assert isinstance(refreshed, SignedIn), refreshed
    assert walk2.transcript.records[-1].request["AuthParameters"]["DEVICE_KEY"] == device.device_key
    # a wrong device password fails the device verifier
    from dataclasses import replace

    bad = replace(device, password=Secret("not-the-device-password"))
    failed = demo.walk("device", device=bad).start()
    assert isinstance(failed, Failed) and failed.code == "NotAuthorizedException"
    # forget it: the key is then unknown
    actions.forget_device(step2.result["AccessToken"], device.device_key)
    gone = demo.walk("device", device=device).start()
    assert (
        isinstance(gone, Failed)
        and gone.code == "ResourceNotFoundException"
        and "device" in gone.explanation.title.lower()
    )


def test_refresh_revoke_and_global_sign_out(fresh_sandbox):
    demo = Demo(fresh_sandbox())
    walk = demo.walk("password", flow="USER_PASSWORD_AUTH", client_name="demo-confidential")
    step = signed_in(walk.start(), "alice")
    actions = TokenActions(walk.caller, walk.request)
    refreshed = actions.refresh(step.result)
    assert isinstance(refreshed, SignedIn) and refreshed.result["AccessToken"] != step.result["AccessToken"]
    assert actions.get_user(refreshed.result["AccessToken"])["Username"] == "alice"
    actions.revoke(step.result["RefreshToken"])
    after = actions.refresh(step.result)
    assert isinstance(after, Failed) and after.code == "NotAuthorizedException"
    walk = demo.walk("password", flow="USER_PASSWORD_AUTH")
    step = signed_in(walk.start(), "alice")
    actions = TokenActions(walk.caller, walk.request)
    actions.global_sign_out(step.result["AccessToken"])
    with pytest.raises(CognitoError) as err:
        actions.get_user(step.result["AccessToken"])
    assert err.value.code == "NotAuthorizedException"


def test_refresh_with_rotation(demo):
    walk = demo.walk("password", flow="USER_PASSWORD_AUTH", client_name="demo-rotation")
    step = signed_in(walk.start(), "alice")
    actions = TokenActions(walk.caller, walk.request)
    rotated = actions.refresh(step.result, rotation=True)
    assert isinstance(rotated, SignedIn), rotated
    assert rotated.result["RefreshToken"] != step.result["RefreshToken"]
    assert walk.transcript.records[-1].operation == "GetTokensFromRefreshToken"


# --- refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize("flow", ["USER_SRP_AUTH", "USER_PASSWORD_AUTH"])
def test_wrong_password(demo, flow):
    step = demo.walk("password", flow=flow, password="Wrong-Password1!").start()
    assert isinstance(step, Failed) and step.code == "NotAuthorizedException"
    assert step.message == "Incorrect username or password."


def test_disallowed_flow(demo):
    step = demo.walk("password", flow="USER_PASSWORD_AUTH", client_name="demo-srp-only").start()
    assert isinstance(step, Failed) and step.code in ("InvalidParameterException", "NotAuthorizedException")
    assert "ALLOW_USER_PASSWORD_AUTH" in step.explanation.text()


@pytest.mark.parametrize(
    "scenario,code",
    [
        ("unconfirmed", "UserNotConfirmedException"),
        ("reset_required", "PasswordResetRequiredException"),
        ("disabled", "NotAuthorizedException"),
    ],
)
def test_user_states(demo, scenario, code):
    step = demo.walk(scenario, flow="USER_PASSWORD_AUTH").start()
    assert isinstance(step, Failed) and step.code == code, step


def test_expired_and_reused_session(fresh_sandbox):
    demo = Demo(fresh_sandbox())
    _, user, _ = demo.user("sms_mfa")
    walk = demo.walk("sms_mfa")
    step = walk.start()
    assert isinstance(step, Challenge)
    demo.sandbox.clock.advance(4 * 60)  # past the default AuthSessionValidity of 3 minutes
    expired = walk.answer({"SMS_MFA_CODE": demo.code_for(user["username"])})
    assert isinstance(expired, Failed) and "expired" in expired.message, expired
    assert expired.explanation.title == "The session expired"
    # reuse: answer right, then send the same Session again
    walk = demo.walk("sms_mfa")
    step = walk.start()
    signed_in(walk.answer({"SMS_MFA_CODE": demo.code_for(user["username"])}), user["username"])
    walk.current = step
    again = walk.answer({"SMS_MFA_CODE": demo.code_for(user["username"])})
    assert isinstance(again, Failed) and "only be used once" in again.message, again


def test_dead_endpoint_is_a_transport_failure(demo):
    pool, _, client = demo.user("password")
    gateway = Gateway(
        GatewayConfig(endpoint_url="http://127.0.0.1:9", connect_timeout=1, read_timeout=1, max_attempts=1),
        user_pool_id=pool["id"],
    )
    step = Walk(gateway, AuthRequest(pool["id"], client["id"], "USER_PASSWORD_AUTH", "alice", Secret("x"))).start()
    assert isinstance(step, Failed) and step.code == "Unreachable"
    assert step.explanation.title == "Cognito could not be reached"


def test_jwks_fetch_failures_are_jwks_errors_not_tracebacks(demo):
    from cognito_tui.aws.jwks import JwksError

    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1:1/x/.well-known/jwks.json",
        demo.sandbox.endpoint_url + "/nope",
    ):
        with pytest.raises(JwksError):
            fetch_jwks(url, timeout=2)
