"""The TOTP seed and the remembered device kept in a real Secret Service, used by real walks on the sandbox.

Each test has its own sandbox on a frozen clock: TOTP windows move only when the test says so.
"""

from __future__ import annotations

import time

import pytest
from devices_helpers import demo_user, gateway_for, request_for

from cognito_tui.core.actions import TokenActions
from cognito_tui.core.devices import mfa_note
from cognito_tui.core.totp_guard import pick_code, reuse_warning
from cognito_tui.core.totp_setup import TotpSetup, remember_device
from cognito_tui.core.walk import Challenge, SignedIn, Walk
from cognito_tui.sandbox.clock import Clock
from cognito_tui.store.secrets import KeyringStore
from cognito_tui.store.vault import Vault, scope_name, used_steps_at

pytestmark = pytest.mark.keyring_service


@pytest.fixture
def vault(secret_service_backend, tmp_path) -> Vault:
    return Vault(KeyringStore(secret_service_backend, tmp_path / "secrets-index.yaml"), used_steps_at(tmp_path))


def answer_totp(walk: Walk, step, vault: Vault, now: float):
    """SOFTWARE_TOKEN_MFA answered from the stored seed, as the one-key answer does."""
    assert isinstance(step, Challenge) and step.name == "SOFTWARE_TOKEN_MFA", step
    req = walk.request
    seed = vault.seed("p", req.username)
    assert seed is not None
    pick = pick_code(seed.value, now, vault.used.last("p", req.username))
    vault.used.mark("p", req.username, pick.step)
    return walk.answer({"SOFTWARE_TOKEN_MFA_CODE": pick.code}), pick


def test_totp_set_up_outside_a_sign_in_then_a_sign_in_with_the_stored_seed(fresh_sandbox, vault):
    sb = fresh_sandbox(clock=Clock(frozen_at=time.time()))
    pool, user, client = demo_user(sb, "alice")
    gateway = gateway_for(sb, pool["id"])
    first = Walk(gateway, request_for(pool, user, client)).start()
    assert isinstance(first, SignedIn), first  # no MFA yet
    setup = TotpSetup(Walk(gateway, request_for(pool, user, client)).caller, first.result["AccessToken"])
    secret, uri = setup.associate("alice@example.com")
    assert uri.value.startswith("otpauth://totp/cognito-tui:alice@example.com?secret=")
    vault.set_seed("p", "alice", secret.value)
    pick = pick_code(secret.value, sb.clock.now(), vault.used.last("p", "alice"))
    setup.verify(pick.code, "pytest")
    vault.used.mark("p", "alice", pick.step)
    setup.prefer("SOFTWARE_TOKEN_MFA")
    assert setup.mfa_settings() == {
        "UserMFASettingList": ["SOFTWARE_TOKEN_MFA"],
        "PreferredMfaSetting": "SOFTWARE_TOKEN_MFA",
    }
    # The seed is in the Secret Service itself, not only in this process.
    assert vault.store.backend.get_password("cognito-tui", f"{scope_name('p', 'alice')}:totp_seed") == secret.value

    # Same 30-s window: the current code was spent by VerifySoftwareToken; the warning says so.
    now = sb.clock.now()
    assert "already used" in (reuse_warning(secret.value, pick.code, now, vault.used.last("p", "alice")) or "")
    walk = Walk(gateway, request_for(pool, user, client))
    step, second = answer_totp(walk, walk.start(), vault, now)
    assert second.code != pick.code and "next window" in second.note
    assert isinstance(step, SignedIn), step


def test_totp_set_up_inside_a_walk_is_kept_and_answers_the_next_sign_in(fresh_sandbox, vault):
    sb = fresh_sandbox(clock=Clock(frozen_at=time.time()))
    pool, user, client = demo_user(sb, "ivan")
    gateway = gateway_for(sb, pool["id"])
    walk = Walk(gateway, request_for(pool, user, client))
    step = walk.start()
    assert isinstance(step, Challenge) and step.name == "MFA_SETUP", step
    step = walk.answer({"MFA_TYPE": "SOFTWARE_TOKEN_MFA"})
    seed = step.extra["secret_code"].value
    vault.set_seed("p", "ivan", seed)  # what the TUI and login --totp-from-keyring do with a new seed
    pick = pick_code(seed, sb.clock.now())
    vault.used.mark("p", "ivan", pick.step)
    assert isinstance(walk.answer({"USER_CODE": pick.code}), SignedIn)
    sb.clock.advance(30)  # the next window: the plain current code
    walk = Walk(gateway, request_for(pool, user, client))
    step, again = answer_totp(walk, walk.start(), vault, sb.clock.now())
    assert again.note == "" and isinstance(step, SignedIn), step


def test_a_remembered_device_skips_mfa_refreshes_with_its_key_and_mfa_returns_once_forgotten(fresh_sandbox, vault):
    sb = fresh_sandbox(clock=Clock(frozen_at=time.time()))
    pool, user, client = demo_user(sb, "judy")
    vault.set_seed("p", "judy", user["totp_secret"])
    gateway = gateway_for(sb, pool["id"])
    walk = Walk(gateway, request_for(pool, user, client))
    step, _ = answer_totp(walk, walk.start(), vault, sb.clock.now())
    assert isinstance(step, SignedIn) and step.new_device
    assert mfa_note(walk.steps, None).startswith("MFA asked (SOFTWARE_TOKEN_MFA)")
    device = remember_device(walk.caller, step.result["AccessToken"], step.new_device, "pytest")
    vault.set_device("p", "judy", device)

    kept = vault.device("p", "judy")
    assert kept == device and kept is not device  # read back from the Secret Service
    walk2 = Walk(gateway, request_for(pool, user, client, device=kept))
    step2 = walk2.start()
    names = [s.name for s in walk2.steps if isinstance(s, Challenge)]
    assert isinstance(step2, SignedIn) and names == ["PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"]
    assert step2.claims["access"]["device_key"] == device.device_key and not step2.new_device
    assert mfa_note(walk2.steps, device.device_key).startswith("MFA skipped: the remembered device")

    actions = TokenActions(walk2.caller, walk2.request)
    refreshed = actions.refresh(step2.result)
    assert isinstance(refreshed, SignedIn), refreshed
    refresh_call = walk2.transcript.records[-1]
    assert (
        refresh_call.request["AuthFlow"] == "REFRESH_TOKEN_AUTH"
        and "DEVICE_KEY" in refresh_call.request["AuthParameters"]
    )
    listed = actions.list_devices(step2.result["AccessToken"])
    assert [d["DeviceKey"] for d in listed] == [device.device_key]

    actions.forget_device(step2.result["AccessToken"], device.device_key)
    assert vault.forget_device("p", "judy") and vault.device("p", "judy") is None
    sb.clock.advance(30)
    walk3 = Walk(gateway, request_for(pool, user, client))
    step3, _ = answer_totp(walk3, walk3.start(), vault, sb.clock.now())  # MFA is back
    assert isinstance(step3, SignedIn) and step3.new_device
