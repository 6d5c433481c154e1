"""A remembered device's secrets never reach a transcript, a history file or a copied CLI command.

A real device walk on the sandbox: TOTP sign-in, NewDeviceMetadata, ConfirmDevice, device SRP,
a refresh with DEVICE_KEY, ListDevices, ForgetDevice.
"""

from __future__ import annotations

import json

from cognito_tui.aws.gateway import Gateway, GatewayConfig
from cognito_tui.core import totp
from cognito_tui.core.actions import TokenActions
from cognito_tui.core.redact import MASK, Secret, fingerprint
from cognito_tui.core.transcript import aws_cli_command
from cognito_tui.core.walk import AuthRequest, Challenge, SignedIn, Walk
from cognito_tui.store.history import load_run, save_run


def _device_user(sandbox) -> tuple[dict, dict, dict]:
    for pool in sandbox.describe()["pools"]:
        for user in pool["users"]:
            if user.get("scenario") == "device":
                client = next(c for c in pool["clients"] if not c.get("secret"))
                return pool, user, client
    raise KeyError("device")


def test_device_keys_passwords_and_verifiers_are_masked_everywhere(fresh_sandbox, tmp_path):
    sandbox = fresh_sandbox()
    pool, user, client = _device_user(sandbox)
    gateway = Gateway(GatewayConfig(endpoint_url=sandbox.endpoint_url, region=sandbox.region), user_pool_id=pool["id"])

    def request(**kw) -> AuthRequest:
        return AuthRequest(pool["id"], client["id"], "USER_SRP_AUTH", user["username"], Secret(user["password"]), **kw)

    walk = Walk(gateway, request())
    step = walk.start()
    assert isinstance(step, Challenge) and step.name == "SOFTWARE_TOKEN_MFA", step
    step = walk.answer({"SOFTWARE_TOKEN_MFA_CODE": totp.now_code(user["totp_secret"], sandbox.clock.now())})
    assert isinstance(step, SignedIn) and step.new_device, step
    actions = TokenActions(walk.caller, walk.request)
    device = actions.confirm_device(step.result["AccessToken"], step.new_device, "pytest")
    walk2 = Walk(gateway, request(device=device))
    step2 = walk2.start()
    assert isinstance(step2, SignedIn), step2
    later = TokenActions(walk2.caller, walk2.request)
    assert isinstance(later.refresh(step2.result), SignedIn)
    later.list_devices(step2.result["AccessToken"])
    later.forget_device(step2.result["AccessToken"], device.device_key)

    records = walk.transcript.records + walk2.transcript.records
    confirm = next(r for r in records if r.operation == "ConfirmDevice")
    verifier = confirm.request["DeviceSecretVerifierConfig"]
    secrets = {
        "DeviceKey": device.device_key,
        "DeviceGroupKey": device.group_key,
        "device password": device.password.value,
        "PasswordVerifier": verifier["PasswordVerifier"],
        "Salt": verifier["Salt"],
    }
    assert all(len(v) >= 8 for v in secrets.values())  # long enough not to occur by chance
    seen = {r.operation for r in records}
    assert {"ConfirmDevice", "RespondToAuthChallenge", "InitiateAuth", "ListDevices", "ForgetDevice"} <= seen
    # the raw calls did carry them (so the checks below look at real traffic)
    raw = json.dumps([[r.request, r.response] for r in records], default=str)
    assert device.device_key in raw and device.group_key in raw and verifier["Salt"] in raw

    masked = json.dumps(walk.transcript.to_list() + walk2.transcript.to_list(), default=str)
    path = save_run(tmp_path / "history", "device walk", "tokens", walk2.transcript.to_list(), {"pool": pool["id"]})
    history = json.dumps(load_run(path), default=str) + path.read_text()
    commands = "\n".join(aws_cli_command(r.operation, r.request, region=sandbox.region) for r in records)
    for where, text in (("transcript", masked), ("history", history), ("aws cli commands", commands)):
        leaked = [name for name, value in secrets.items() if value in text]
        assert not leaked, f"{leaked} in the {where}"

    # masked, with a fingerprint that shows the same device is used across calls
    tag = f"{MASK} #{fingerprint(device.device_key)}"
    confirm_masked = confirm.to_dict()["request"]
    assert confirm_masked["DeviceKey"] == tag
    assert confirm_masked["DeviceSecretVerifierConfig"] == {"PasswordVerifier": MASK, "Salt": MASK}
    tokens = next(r for r in walk.transcript.records if r.outcome == "tokens")
    first = tokens.to_dict()["response"]["AuthenticationResult"]["NewDeviceMetadata"]
    assert first == {"DeviceKey": tag, "DeviceGroupKey": f"{MASK} #{fingerprint(device.group_key)}"}
    device_steps = [r.to_dict()["request"] for r in walk2.transcript.records if r.operation == "RespondToAuthChallenge"]
    assert device_steps and all(d["ChallengeResponses"]["DEVICE_KEY"] == tag for d in device_steps)
    assert masked.count(tag) >= 5
    # revealed on purpose, they are whole
    assert confirm.to_dict(reveal=True)["request"]["DeviceKey"] == device.device_key
