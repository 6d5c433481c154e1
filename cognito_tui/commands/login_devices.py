"""`cognito-tui login`'s TOTP seed and remembered device, kept in the keyring per profile and user.

Hooks used by commands/login.py: `add_arguments(parser)`, `prepare(args, request)` before the walk
(device reuse), `fill(walk, step, answers)` before each challenge's prompts (a TOTP code from the
stored seed), and `finish(walk, step, ...)` after the walk (an unknown device dropped and the
sign-in retried without it; --remember-device). Everything said goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from typing import Any

_ACTIVE: LoginDevices | None = None  # one login per process: the hooks share it


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--totp-from-keyring",
        action="store_true",
        help="answer SOFTWARE_TOKEN_MFA from the TOTP seed kept in the keyring for this profile and user; "
        "an MFA_SETUP's new seed is kept there and its first code typed for you",
    )
    p.add_argument(
        "--remember-device",
        action="store_true",
        help="after signing in on a device-tracking pool: ConfirmDevice, UpdateDeviceStatus remembered, and the "
        "device key, group key and password kept in the keyring (later runs prove the device instead of MFA)",
    )
    p.add_argument("--no-device", action="store_true", help="do not send the device remembered for this user")


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


class LoginDevices:
    """The vault of one login run, scoped to (profile, user)."""

    def __init__(self, args: argparse.Namespace, vault: Any, profile: str, user: str) -> None:
        self.args = args
        self.vault = vault
        self.profile = profile
        self.user = user
        self.device: Any = None
        self.new_seed: str | None = None

    @property
    def where(self) -> str:
        return f"{self.profile}@{self.user}"


def _open_vault(config: str | None) -> Any:
    from cognito_tui.store.paths import config_dir
    from cognito_tui.store.secrets import open_secret_store
    from cognito_tui.store.vault import Vault, used_steps_at

    choice = open_secret_store(index_dir=config_dir(config))
    if choice.warning:
        _say(f"warning: {choice.warning}")
    return Vault(choice.store, used_steps_at(config_dir(config)))


def prepare(args: argparse.Namespace, request: Any) -> Any:
    """The request with the device remembered for this profile and user, when there is one (said on stderr)."""
    global _ACTIVE
    _ACTIVE = None
    flags = ("totp_from_keyring", "remember_device", "no_device", "profile")
    for name in flags:
        setattr(args, name, getattr(args, name, None))
    if not (args.totp_from_keyring or args.remember_device or args.profile) or not request.username:
        return request
    from cognito_tui.store.secrets import SecretStoreError

    profile = args.profile or request.user_pool_id
    try:
        state = LoginDevices(args, _open_vault(getattr(args, "config", None)), profile, request.username)
        _ACTIVE = state
        device = None if args.no_device or request.device else state.vault.device(profile, request.username)
    except SecretStoreError as exc:
        _say(f"warning: {exc.text()}")
        return request
    if device is not None:
        from cognito_tui.core.devices import tag

        state.device = device
        _say(f"device: sending the device remembered for {state.where} ({tag(device.device_key)}) as DEVICE_KEY")
        return replace(request, device=device)
    return request


def fill(walk: Any, step: Any, answers: dict[str, str]) -> None:
    """--totp-from-keyring: the code for SOFTWARE_TOKEN_MFA or MFA_SETUP's verification, from the stored seed."""
    state = _ACTIVE
    if state is None or not state.args.totp_from_keyring:
        return
    from cognito_tui.core.challenges import Phase

    if step.name == "MFA_SETUP" and step.phase is Phase.VERIFY and step.extra.get("secret_code"):
        seed = step.extra["secret_code"].value
        state.vault.set_seed(state.profile, state.user, seed)
        state.new_seed = seed
        _say(f"totp: the new seed is kept in the keyring for {state.where}")
        _put_code(state, seed, "USER_CODE", answers)
        answers.setdefault("FRIENDLY_DEVICE_NAME", "cognito-tui")
    elif step.name == "SOFTWARE_TOKEN_MFA":
        seed = state.vault.seed(state.profile, state.user, fallback=True)
        if seed is None:
            _say(f"totp: no TOTP seed in the keyring for {state.where} (cognito-tui totp setup keeps one)")
            return
        _put_code(state, seed.value, "SOFTWARE_TOKEN_MFA_CODE", answers)


def _put_code(state: LoginDevices, seed: str, name: str, answers: dict[str, str]) -> None:
    from cognito_tui.core.totp_guard import CodeAlreadyUsed, pick_code

    if name in answers:
        return
    now = time.time()
    try:
        pick = pick_code(seed, now, state.vault.used.last(state.profile, state.user))
    except CodeAlreadyUsed as exc:
        _say(f"totp: {exc}; waiting")
        time.sleep(min(exc.wait, 60))
        now = time.time()
        pick = pick_code(seed, now, state.vault.used.last(state.profile, state.user))
    if pick.note:
        _say(f"totp: {pick.note}")
    _say(f"totp: code from the keyring's seed for {state.where} (window ends in {pick.seconds_left} s)")
    state.vault.used.mark(state.profile, state.user, pick.step)
    answers[name] = pick.code


def finish(walk: Any, step: Any, rerun: Any) -> tuple[Any, Any]:
    """After the walk: an unknown device dropped and the sign-in run again without it; --remember-device;
    why MFA was or was not skipped. `rerun(request)` walks again and returns (walk, step)."""
    state = _ACTIVE
    if state is None:
        return walk, step
    from cognito_tui.core.devices import DROPPED, device_unknown, mfa_note, tag
    from cognito_tui.core.walk import SignedIn

    device = walk.request.device
    if device is not None and device_unknown(step, device.device_key):
        state.vault.forget_device(state.profile, state.user)
        _say(DROPPED.format(tag=tag(device.device_key), message=step.message))
        walk, step = rerun(replace(walk.request, device=None))
        device = None
    _say(f"device: {mfa_note(walk.steps, device.device_key if device else None)}")
    if isinstance(step, SignedIn) and state.args.remember_device:
        _remember(state, walk, step)
    return walk, step


def _remember(state: LoginDevices, walk: Any, step: Any) -> None:
    from cognito_tui.core.devices import tag
    from cognito_tui.core.errors import CognitoError, TransportError, explain
    from cognito_tui.core.totp_setup import remember_device

    if not step.new_device:
        why = "a device was already sent" if walk.request.device else "this pool does not track devices"
        _say(f"device: nothing to remember (no NewDeviceMetadata: {why})")
        return
    try:
        device = remember_device(walk.caller, step.result["AccessToken"], step.new_device, "cognito-tui login")
    except (CognitoError, TransportError) as exc:
        _say(f"device: not remembered: {explain(exc).text()}")
        return
    state.vault.set_device(state.profile, state.user, device)
    _say(
        f"device: {tag(device.device_key)} remembered (ConfirmDevice, UpdateDeviceStatus remembered); "
        f"key, group key and password kept in the keyring for {state.where}"
    )
