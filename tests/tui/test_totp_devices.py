"""Pilot: the TOTP workbench (setup outside a sign-in, then ctrl+g answers from the kept seed) and the
devices list on the Tokens tab (remember, device SRP without MFA, forget, MFA back).

The sandbox's clock is frozen (near now, for SRP timestamps): the TOTP windows move only when the
test advances it, and the app computes codes on that same clock.
"""

from __future__ import annotations

import time

from tui_helpers import run_app, screen_has, services_for, start_profile, wait_for

from cognito_tui.core.walk import Challenge, SignedIn
from cognito_tui.sandbox.clock import Clock
from cognito_tui.store.secrets import SecretKind
from cognito_tui.tui.services import SandboxLifecycle


def frozen_services(tmp_path):
    services = services_for(tmp_path)
    services.sandbox = SandboxLifecycle(port=0, clock=Clock(frozen_at=time.time()))
    return services


async def signed_in(pilot):
    await wait_for(pilot, lambda: isinstance(pilot.app.step, SignedIn), what="tokens")


def test_totp_workbench_sets_up_totp_outside_a_sign_in_and_ctrl_g_answers_from_the_seed(tmp_path):
    services = frozen_services(tmp_path)

    async def body(pilot, app):
        await start_profile(pilot, "password")  # alice: no MFA yet
        await signed_in(pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "TotpScreen", what="the workbench")
        await screen_has(pilot, "no seed kept for this user yet")
        await pilot.click("#totp-associate")
        bench = app.screen.query_one("#totp-workbench")
        await wait_for(pilot, lambda: bench.pending is not None, what="AssociateSoftwareToken")
        text = await screen_has(pilot, "New secret")
        secret = bench.pending[0].value
        assert secret not in text  # masked until ctrl+y
        await pilot.press("ctrl+y")
        text = await screen_has(pilot, "otpauth://totp/")
        assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in text  # grouped by four
        await pilot.press("ctrl+t", "ctrl+s")
        await screen_has(pilot, "Verified: the seed is kept in the keyring as demo: password (alice)@alice")
        store = services.secret_store
        assert store.get("demo: password (alice)@alice", SecretKind.TOTP_SEED) == secret
        await screen_has(pilot, "this window's code was already used")  # VerifySoftwareToken spent it
        await pilot.click("#totp-prefer-button")
        await screen_has(pilot, "is preferred. Enabled: SOFTWARE_TOKEN_MFA · preferred: SOFTWARE_TOKEN_MFA")
        await pilot.press("escape")

        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.step, Challenge) and app.step.name == "SOFTWARE_TOKEN_MFA")
        await pilot.pause(0.2)
        await pilot.press("ctrl+g")  # one key: the next window's code, since this one is spent
        await signed_in(pilot)
        sent = [r for r in app.walk.transcript.records if r.request.get("ChallengeName") == "SOFTWARE_TOKEN_MFA"]
        assert len(sent) == 1 and sent[0].error is None

    run_app(services, body)


def test_devices_on_the_tokens_tab_remember_skip_mfa_and_forget(tmp_path):
    services = frozen_services(tmp_path)

    async def body(pilot, app):
        clock = app.sandbox.clock
        await start_profile(pilot, "device")  # judy: TOTP, on a device-tracking pool
        await wait_for(pilot, lambda: isinstance(app.step, Challenge) and app.step.name == "SOFTWARE_TOKEN_MFA")
        await pilot.pause(0.2)
        await pilot.press("ctrl+g")
        await signed_in(pilot)
        await screen_has(pilot, "MFA asked (SOFTWARE_TOKEN_MFA)")
        await pilot.press("ctrl+k")
        scope = "demo: device (judy)@judy"
        await wait_for(pilot, lambda: services.secret_store.get(scope, SecretKind.DEVICE_KEY) is not None, what="kept")
        key = services.secret_store.get(scope, SecretKind.DEVICE_KEY).value

        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.step, SignedIn) and app.walk.request.device is not None)
        names = [s.name for s in app.walk.steps if isinstance(s, Challenge)]
        assert names == ["PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"]
        text = await screen_has(pilot, "MFA skipped: the remembered device")
        assert key not in text
        await pilot.press("ctrl+f")  # a refresh carries the device key too
        await wait_for(
            pilot,
            lambda: any(r.request.get("AuthFlow") == "REFRESH_TOKEN_AUTH" for r in app.walk.transcript.records),
            what="the refresh",
        )
        refresh = next(r for r in app.walk.transcript.records if r.request.get("AuthFlow") == "REFRESH_TOKEN_AUTH")
        await wait_for(pilot, lambda: refresh.response is not None or refresh.error is not None)
        assert refresh.request["AuthParameters"]["DEVICE_KEY"] == key and refresh.error is None

        app.main.query_one("#id-claims").focus()
        await pilot.press("l")
        await screen_has(pilot, "1 device(s) remembered for this user")
        await screen_has(pilot, "remembered")
        await pilot.press("f")
        await screen_has(pilot, "forgotten: the next sign-in asks for MFA again")
        await wait_for(pilot, lambda: services.secret_store.get(scope, SecretKind.DEVICE_KEY) is None, what="dropped")

        clock.advance(30)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.step, Challenge) and app.step.name == "SOFTWARE_TOKEN_MFA")
        assert app.walk.request.device is None

    run_app(services, body)


def test_an_unknown_device_is_dropped_and_the_sign_in_retried_without_it(tmp_path):
    from cognito_tui.core.redact import Secret
    from cognito_tui.core.request import DeviceSecrets

    services = frozen_services(tmp_path)

    async def body(pilot, app):
        await start_profile(pilot, "device", start=False)
        bogus = DeviceSecrets("us-east-1_00000000-0000-4000-8000-000000000000", "-nosuchgrp", Secret("x" * 40))
        app.main.vault_hooks.keep_device(bogus)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.step, Challenge) and app.step.name == "SOFTWARE_TOKEN_MFA")
        assert app.walk.request.device is None
        assert services.secret_store.get("demo: device (judy)@judy", SecretKind.DEVICE_KEY) is None
        assert (
            "Cognito does not know it (ResourceNotFoundException: Device does not exist.)"
            in app.main.vault_hooks.dropped
        )
        await pilot.press("ctrl+g")
        await signed_in(pilot)
        await screen_has(pilot, "signing in again without it. MFA asked (SOFTWARE_TOKEN_MFA)")

    run_app(services, body)


def test_ctrl_s_warns_before_sending_a_code_used_in_its_window_and_ctrl_g_sends_the_next(tmp_path):
    from cognito_tui.core import totp

    services = frozen_services(tmp_path)

    async def body(pilot, app):
        await start_profile(pilot, "totp")  # dave, whose demo profile carries his seed
        await wait_for(pilot, lambda: isinstance(app.step, Challenge) and app.step.name == "SOFTWARE_TOKEN_MFA")
        await pilot.pause(0.2)
        await pilot.press("ctrl+g")
        await signed_in(pilot)
        seed = app.main._totp_seed().value
        spent = totp.now_code(seed, app.sandbox.clock.now())

        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.step, Challenge) and app.step.name == "SOFTWARE_TOKEN_MFA")
        await wait_for(pilot, lambda: (app.focused.id or "").startswith("field-"), what="the code field")
        await pilot.press(*spent)
        calls = len(app.walk.transcript.records)
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        assert len(app.walk.transcript.records) == calls  # held back: nothing was sent
        notes = [n.message for n in app._notifications]
        assert any(f"code {spent} was already used in its 30-s window" in n for n in notes), notes
        await pilot.press("ctrl+g")  # the next window's code, at once
        await signed_in(pilot)
        sent = app.walk.transcript.records[-1].request["ChallengeResponses"]["SOFTWARE_TOKEN_MFA_CODE"]
        assert sent == totp.code_at(seed, totp.counter(app.sandbox.clock.now()) + 1)

    run_app(services, body)


def test_the_workbench_and_the_one_key_answer_are_in_the_command_palette(tmp_path):
    from cognito_tui.tui.palette import all_bindings

    async def body(pilot, app):
        names = {b.description for b, _ in all_bindings(app)}
        assert {"TOTP workbench", "Send TOTP", "List devices", "Forget device", "Remember device"} <= names
        await pilot.press("ctrl+p")
        await pilot.press(*"TOTP workbench")
        await screen_has(pilot, "the stored seed's code, and TOTP setup outside a sign-in")

    run_app(services_for(tmp_path), body)
