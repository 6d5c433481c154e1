"""Every demo scenario walked through the real app against its sandbox, to tokens, and the failure
paths; assertions on what the screen shows and on the messages the workers posted."""

from __future__ import annotations

import pytest
from tui_helpers import answer_until_done, posted, run_app, screen_has, start_profile, wait_for

from cognito_tui.core import totp
from cognito_tui.core.walk import Challenge, Failed, SignedIn
from cognito_tui.tui import messages as m

SCENARIOS = {
    # scenario: the challenges the walk must show, in order
    "password": [],
    "srp_alias": [],
    "new_password": ["NEW_PASSWORD_REQUIRED"],
    "totp": ["SOFTWARE_TOKEN_MFA"],
    "sms_mfa": ["SMS_MFA"],
    "email_mfa": ["EMAIL_OTP"],
    "select_mfa": ["SELECT_MFA_TYPE", "SMS_MFA"],
    "custom_challenge": ["CUSTOM_CHALLENGE", "CUSTOM_CHALLENGE"],
    "passwordless_email": ["SELECT_CHALLENGE", "EMAIL_OTP"],
    "mfa_setup": ["MFA_SETUP", "MFA_SETUP"],
    "device": ["SOFTWARE_TOKEN_MFA"],
    "email_username": [],
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_each_demo_scenario_reaches_tokens(services, scenario):
    async def body(pilot, app):
        await start_profile(pilot, scenario)
        seen = await answer_until_done(pilot)
        assert seen == SCENARIOS[scenario]
        step = app.step
        assert isinstance(step, SignedIn), getattr(step, "explanation", step)
        await screen_has(pilot, "signature valid")
        text = await screen_has(pilot, "refresh token: ********")  # the status is laid out again as it grows
        username = step.claims["access"]["username"]
        assert username in text and "Tokens" in text
        assert "aws.cognito.signin.user.admin" in text
        posted_steps = [e.step for e in posted(app, m.StepReached)]
        assert isinstance(posted_steps[-1], SignedIn) and len(posted_steps) == len(SCENARIOS[scenario]) + 1
        calls = posted(app, m.CallRecorded)
        assert calls and calls[-1].record.outcome == "tokens"
        assert len(calls) == len(app.walk.transcript.records)
        # the refresh token is masked on screen
        assert step.result["RefreshToken"] not in text and "refresh token: ********" in text

    run_app(services, body)


def test_remembered_device_skips_mfa(services):
    async def body(pilot, app):
        await start_profile(pilot, "device")
        await answer_until_done(pilot)
        assert isinstance(app.step, SignedIn) and app.step.new_device
        await pilot.press("ctrl+k")
        await wait_for(pilot, lambda: posted(app, m.TokensChanged), what="ConfirmDevice")
        assert "remembered" in await screen_has(pilot, "remembered")
        await pilot.press("ctrl+r")
        await wait_for(
            pilot, lambda: isinstance(app.step, SignedIn) and app.walk.request.device is not None, what="device sign-in"
        )
        outcomes = [r.outcome for r in app.walk.transcript.records]
        assert outcomes == ["PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER", "tokens"]

    run_app(services, body)


def test_wrong_code_then_retry_with_the_same_session(services):
    async def body(pilot, app):
        await start_profile(pilot, "totp")
        await wait_for(pilot, lambda: isinstance(app.step, Challenge))
        seed = app.entries[[e.name for e in app.entries].index(app.current_entry.name)].secrets["totp_seed"].value
        wrong = "000000" if totp.now_code(seed) != "000000" else "111111"
        await pilot.press(*wrong, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.step, Failed), what="the refusal")
        text = await screen_has(pilot, "CodeMismatchException")
        assert "Wrong code" in text and "ctrl+e retries" in text
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: isinstance(app.step, Challenge))
        await pilot.press("ctrl+t", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.step, SignedIn), what="tokens after retry")

    run_app(services, body)


def test_expired_session_is_explained(services):
    async def body(pilot, app):
        await start_profile(pilot, "sms_mfa")
        await wait_for(pilot, lambda: isinstance(app.step, Challenge))
        app.sandbox.clock.advance(4 * 60)
        await pilot.press("ctrl+o", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.step, Failed), what="the refusal")
        text = await screen_has(pilot, "The session expired")
        assert "session is expired" in text and "ctrl+r restarts" in text

    run_app(services, body)


def test_disallowed_flow_is_explained(services):
    async def body(pilot, app):
        await start_profile(pilot, "password", start=False)
        app.query_one("#client_id").value = app.sandbox.client("cognito-tui-demo", "demo-srp-only")["id"]
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.step, Failed), what="the refusal")
        text = await screen_has(pilot, "not allowed for this client")
        assert "ALLOW_USER_PASSWORD_AUTH" in text

    run_app(services, body)


def test_bad_pool_id_is_refused_before_any_call(services):
    async def body(pilot, app):
        await start_profile(pilot, "password", start=False)
        app.query_one("#user_pool_id").value = "not a pool"
        seen: list[str] = []  # toasts expire: record each as it is raised, not after the fact
        notify = app.notify
        app.notify = lambda message, *a, **kw: (seen.append(str(message)), notify(message, *a, **kw))[1]
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: any("looks like <region>_" in n for n in seen), what="the pool-id toast")
        assert app.walk is None and app.step is None
        await screen_has(pilot, "e.g. us-east-1_AbCdEf123")  # the hint under the field

    run_app(services, body)


def test_step_mode_stops_at_the_srp_verifier(services):
    async def body(pilot, app):
        await start_profile(pilot, "srp_alias", start=False)
        await pilot.press("f6", "ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.step, Challenge))
        assert app.step.name == "PASSWORD_VERIFIER"
        text = await screen_has(pilot, "PASSWORD_VERIFIER")
        assert "SRP values, in the Calls tab" in text
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.step, SignedIn))

    run_app(services, body)


def test_preflight_reads_pool_client_and_user(services):
    async def body(pilot, app):
        await start_profile(pilot, "new_password", start=False)
        await pilot.press("f5")
        await wait_for(pilot, lambda: posted(app, m.PreflightReady), what="pre-flight")
        text = await screen_has(pilot, "Pre-flight")
        assert "FORCE_CHANGE_PASSWORD" in text and "Allowed flows" in text

    run_app(services, body)


def test_calls_tab_shows_masked_request_and_cli(services):
    async def body(pilot, app):
        await start_profile(pilot, "password")
        await answer_until_done(pilot)
        await pilot.press("f10")
        text = await screen_has(pilot, "aws cognito-idp initiate-auth")
        password = app.current_entry.secrets["password"].value
        assert password not in text and "<PASSWORD>" in text and "********" in text
        await pilot.press("ctrl+y")
        assert password in await screen_has(pilot, password)

    run_app(services, body)


def test_remembered_device_is_sent_only_for_its_own_user_pool_and_endpoint(services):
    """judy's device, remembered, must not ride along on alice's sign-in (another user, another pool)."""

    async def body(pilot, app):
        await start_profile(pilot, "device")
        await answer_until_done(pilot)
        await pilot.press("ctrl+k")
        await wait_for(pilot, lambda: posted(app, m.TokensChanged), what="ConfirmDevice")
        assert app.main.session_devices, "the device was remembered"
        since = len(posted(app, m.CallRecorded))
        await start_profile(pilot, "password")
        await answer_until_done(pilot)
        assert isinstance(app.step, SignedIn), getattr(app.step, "explanation", app.step)
        assert app.step.claims["access"]["username"] == "alice"
        assert app.walk.request.device is None
        calls = [e.record for e in posted(app, m.CallRecorded, since)]
        initiate = [r for r in calls if r.operation == "InitiateAuth"]
        assert initiate and all("DEVICE_KEY" not in r.request.get("AuthParameters", {}) for r in initiate)
        assert all("DEVICE_KEY" not in r.request.get("ChallengeResponses", {}) for r in calls)
        assert calls[-1].outcome == "tokens"

    run_app(services, body)
