"""Remembered devices (judy): NewDeviceMetadata, ConfirmDevice, device SRP instead of MFA, device calls."""

from __future__ import annotations

from sandbox_helpers import (
    DEVICE_CLIENT,
    DEVICE_POOL,
    TOTP_SEEDS,
    SrpLogin,
    code_now,
    now_ts,
    password_auth,
    refused,
    respond,
    srp_sign_in,
    tokens_of,
    verify_token,
)  # fmt: skip

from cognito_tui.core import srp


def first_sign_in(sandbox, client):
    """Password + TOTP, no device key: tokens and a new device to confirm."""
    mfa = srp_sign_in(sandbox, client, "judy", "Judy-Sandbox-1", pool_id=DEVICE_POOL, client_id=DEVICE_CLIENT)
    assert mfa["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    return tokens_of(
        respond(client, mfa, client_id=DEVICE_CLIENT, SOFTWARE_TOKEN_MFA_CODE=code_now(sandbox, TOTP_SEEDS["judy"]))
    )


def remember(sandbox, client):
    result = first_sign_in(sandbox, client)
    metadata = result["NewDeviceMetadata"]
    assert metadata["DeviceKey"].startswith("us-east-1_") and metadata["DeviceGroupKey"].startswith("-")
    password = srp.device_password()
    config = srp.device_secret_verifier_config(metadata["DeviceGroupKey"], metadata["DeviceKey"], password)
    confirmed = client.confirm_device(AccessToken=result["AccessToken"], DeviceKey=metadata["DeviceKey"],
                                      DeviceSecretVerifierConfig=config, DeviceName="laptop")  # fmt: skip
    assert confirmed["UserConfirmationNecessary"] is False
    return result, metadata["DeviceKey"], metadata["DeviceGroupKey"], password


def device_sign_in(sandbox, client, key, group, password):
    """PASSWORD_VERIFIER -> DEVICE_SRP_AUTH -> DEVICE_PASSWORD_VERIFIER -> (tokens or MFA)."""
    login = SrpLogin(sandbox, client, DEVICE_POOL, DEVICE_CLIENT)
    login.start("judy", DEVICE_KEY=key)
    step = login.verify("Judy-Sandbox-1", extra={"DEVICE_KEY": key})
    assert step["ChallengeName"] == "DEVICE_SRP_AUTH" and step["ChallengeParameters"] == {"USERNAME": "judy"}
    device = srp.SrpClient()
    step = client.respond_to_auth_challenge(
        ClientId=DEVICE_CLIENT, ChallengeName="DEVICE_SRP_AUTH", Session=step["Session"],
        ChallengeResponses={"USERNAME": "judy", "DEVICE_KEY": key, "SRP_A": device.srp_a},
    )  # fmt: skip
    assert step["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER" and "Session" not in step
    p = step["ChallengeParameters"]
    assert set(p) == {"SALT", "SRP_B", "SECRET_BLOCK", "USERNAME"}
    claim = device.claim(group, key, password, p["SALT"], p["SRP_B"], p["SECRET_BLOCK"], now_ts(sandbox))
    return client.respond_to_auth_challenge(
        ClientId=DEVICE_CLIENT, ChallengeName="DEVICE_PASSWORD_VERIFIER",
        ChallengeResponses={"USERNAME": "judy", "DEVICE_KEY": key, **claim},
    )  # fmt: skip


def test_remembered_device_skips_mfa(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    first, key, group, password = remember(sandbox, client)
    listed = client.list_devices(AccessToken=first["AccessToken"])["Devices"]
    assert [d["DeviceKey"] for d in listed] == [key]
    attributes = {a["Name"]: a["Value"] for a in listed[0]["DeviceAttributes"]}
    assert attributes["device_name"] == "laptop" and attributes["dev:device_remembered_status"] == "remembered"
    result = tokens_of(device_sign_in(sandbox, client, key, group, password))
    assert "NewDeviceMetadata" not in result
    assert verify_token(sandbox, result["AccessToken"], DEVICE_POOL, DEVICE_CLIENT, "access")["device_key"] == key
    assert client.get_device(AccessToken=result["AccessToken"], DeviceKey=key)["Device"]["DeviceLastAuthenticatedDate"]
    assert client.admin_list_devices(UserPoolId=DEVICE_POOL, Username="judy")["Devices"][0]["DeviceKey"] == key


def test_wrong_device_password_is_refused(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    _, key, group, _ = remember(sandbox, client)
    with refused("NotAuthorizedException", "Incorrect username or password."):
        device_sign_in(sandbox, client, key, group, srp.device_password())


def test_not_remembered_device_still_asks_for_mfa(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    first, key, group, password = remember(sandbox, client)
    client.update_device_status(
        AccessToken=first["AccessToken"], DeviceKey=key, DeviceRememberedStatus="not_remembered"
    )
    step = device_sign_in(sandbox, client, key, group, password)
    assert step["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    sandbox.clock.advance(30)
    result = tokens_of(
        respond(client, step, client_id=DEVICE_CLIENT, SOFTWARE_TOKEN_MFA_CODE=code_now(sandbox, TOTP_SEEDS["judy"]))
    )
    assert verify_token(sandbox, result["AccessToken"], DEVICE_POOL, DEVICE_CLIENT, "access")["device_key"] == key


def test_unknown_and_forgotten_device_keys(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    login = SrpLogin(sandbox, client, DEVICE_POOL, DEVICE_CLIENT)
    with refused("ResourceNotFoundException", "Device does not exist."):
        login.start("judy", DEVICE_KEY="us-east-1_00000000-0000-4000-8000-000000000000")
    first, key, _, _ = remember(sandbox, client)
    client.forget_device(AccessToken=first["AccessToken"], DeviceKey=key)
    assert client.list_devices(AccessToken=first["AccessToken"])["Devices"] == []
    with refused("ResourceNotFoundException", "Device does not exist."):
        login.start("judy", DEVICE_KEY=key)


def test_refresh_on_a_device_needs_the_device_key(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    _, key, group, password = remember(sandbox, client)
    refresh = tokens_of(device_sign_in(sandbox, client, key, group, password))["RefreshToken"]
    with refused("NotAuthorizedException", "Invalid Refresh Token"):
        client.initiate_auth(
            ClientId=DEVICE_CLIENT, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": refresh}
        )
    renewed = client.initiate_auth(
        ClientId=DEVICE_CLIENT,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": refresh, "DEVICE_KEY": key},
    )
    assert (
        verify_token(sandbox, tokens_of(renewed)["AccessToken"], DEVICE_POOL, DEVICE_CLIENT, "access")["device_key"]
        == key
    )


def test_admin_device_calls(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    _, key, _, _ = remember(sandbox, client)
    device = client.admin_get_device(UserPoolId=DEVICE_POOL, Username="judy", DeviceKey=key)["Device"]
    assert device["DeviceKey"] == key
    client.admin_update_device_status(
        UserPoolId=DEVICE_POOL, Username="judy", DeviceKey=key, DeviceRememberedStatus="not_remembered"
    )
    client.admin_forget_device(UserPoolId=DEVICE_POOL, Username="judy", DeviceKey=key)
    with refused("ResourceNotFoundException", "Device does not exist."):
        client.admin_get_device(UserPoolId=DEVICE_POOL, Username="judy", DeviceKey=key)


PROMPT_SEED = """\
pools:
  - id: us-east-1_Prompt0001
    name: prompt
    device_tracking: {challenge_required_on_new_device: true, only_remembered_on_user_prompt: true}
    clients: [{name: app, id: promptapp0000000000000001, flows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]}]
    users: [{username: pat, password: Pat-Sandbox-1}]
"""


def test_devices_remembered_only_on_user_prompt(tmp_path, fresh_sandbox, boto_client):
    seed = tmp_path / "seed.yaml"
    seed.write_text(PROMPT_SEED)
    sandbox = fresh_sandbox(seed)
    client = boto_client(sandbox)
    app = "promptapp0000000000000001"
    result = tokens_of(password_auth(client, "pat", "Pat-Sandbox-1", client_id=app))
    key, group = result["NewDeviceMetadata"]["DeviceKey"], result["NewDeviceMetadata"]["DeviceGroupKey"]
    password = srp.device_password()
    confirmed = client.confirm_device(
        AccessToken=result["AccessToken"],
        DeviceKey=key,
        DeviceSecretVerifierConfig=srp.device_secret_verifier_config(group, key, password),
    )
    assert confirmed["UserConfirmationNecessary"] is True
    device = client.get_device(AccessToken=result["AccessToken"], DeviceKey=key)["Device"]
    assert {a["Name"]: a["Value"] for a in device["DeviceAttributes"]}[
        "dev:device_remembered_status"
    ] == "not_remembered"
    client.update_device_status(AccessToken=result["AccessToken"], DeviceKey=key, DeviceRememberedStatus="remembered")
    # a password sign-in with the device key proves the device too
    step = password_auth(client, "pat", "Pat-Sandbox-1", client_id=app, DEVICE_KEY=key)
    assert step["ChallengeName"] == "DEVICE_SRP_AUTH"
    a = srp.SrpClient()
    step = client.respond_to_auth_challenge(
        ClientId=app,
        ChallengeName="DEVICE_SRP_AUTH",
        Session=step["Session"],
        ChallengeResponses={"USERNAME": "pat", "DEVICE_KEY": key, "SRP_A": a.srp_a},
    )
    p = step["ChallengeParameters"]
    claim = a.claim(group, key, password, p["SALT"], p["SRP_B"], p["SECRET_BLOCK"], now_ts(sandbox))
    done = client.respond_to_auth_challenge(
        ClientId=app,
        ChallengeName="DEVICE_PASSWORD_VERIFIER",
        ChallengeResponses={"USERNAME": "pat", "DEVICE_KEY": key, **claim},
    )
    assert "NewDeviceMetadata" not in tokens_of(done)
