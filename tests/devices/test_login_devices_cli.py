"""`cognito-tui login` and `cognito-tui totp` headless, in child processes, against the sandbox and a real Secret Service.

The sandbox follows real time here (the child processes compute TOTP codes from their own clock);
codes are accepted one 30-s step either side, so no test depends on where in a window it runs.
A code spent in its window is never sent again: the next window's code is, as the stderr says.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from devices_helpers import demo_user

from cognito_tui.store.profiles import Profile, save_profiles
from cognito_tui.store.secrets import KeyringStore, SecretKind
from cognito_tui.store.vault import Vault

pytestmark = pytest.mark.keyring_service


@pytest.fixture
def env(subprocess_env, secret_service, tmp_path) -> dict[str, str]:
    return {
        **subprocess_env,
        "DBUS_SESSION_BUS_ADDRESS": secret_service,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring",
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
    }


@pytest.fixture
def vault(env, secret_service_backend) -> Vault:
    """The vault the child processes write to, read from this process."""
    return Vault(KeyringStore(secret_service_backend, Path(env["COGNITO_TUI_CONFIG"]).parent / "secrets-index.yaml"))


def cli(env: dict[str, str], *argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "cognito_tui", *argv], env=env, input=stdin, capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def sign_in_args(sb, pool, client, user) -> list[str]:
    return ["login", "--endpoint-url", sb.endpoint_url, "--user-pool-id", pool["id"], "--client-id", client["id"],
            "--username", user["username"]]  # fmt: skip


def test_totp_setup_outside_a_sign_in_then_login_answers_from_the_keyring(fresh_sandbox, env, vault):
    sb = fresh_sandbox()
    pool, user, client = demo_user(sb, "alice")
    first = cli(env, *sign_in_args(sb, pool, client, user), "--json", stdin=user["password"] + "\n")
    assert first.returncode == 0, first.stderr
    token = json.loads(first.stdout)["authentication_result"]["AccessToken"]

    setup = cli(env, "totp", "setup", "--user-pool-id", pool["id"], "--user", "alice", "--endpoint-url", sb.endpoint_url,
                "--json", stdin=token + "\n")  # fmt: skip
    assert setup.returncode == 0, setup.stderr
    out = json.loads(setup.stdout)
    assert out["mfa"] == {"UserMFASettingList": ["SOFTWARE_TOKEN_MFA"], "PreferredMfaSetting": "SOFTWARE_TOKEN_MFA"}
    seed = vault.seed(pool["id"], "alice")
    assert seed is not None and seed.value == out["mfa_setup"]["secret_code"]
    assert seed.value not in setup.stderr

    code = cli(env, "totp", "code", "--user-pool-id", pool["id"], "--user", "alice", "--json")
    assert code.returncode == 0 and len(json.loads(code.stdout)["code"]) == 6

    again = cli(
        env, *sign_in_args(sb, pool, client, user), "--totp-from-keyring", "--json", stdin=user["password"] + "\n"
    )
    assert again.returncode == 0, again.stderr
    challenges = [s["challenge"] for s in json.loads(again.stdout)["steps"]]
    assert challenges == ["PASSWORD_VERIFIER", "SOFTWARE_TOKEN_MFA", None]
    assert f"totp: code from the keyring's seed for {pool['id']}@alice" in again.stderr

    forgot = cli(env, "totp", "forget", "--user-pool-id", pool["id"], "--user", "alice")
    assert forgot.returncode == 0 and vault.seed(pool["id"], "alice") is None
    no_seed = cli(env, *sign_in_args(sb, pool, client, user), "--totp-from-keyring", stdin=user["password"] + "\n")
    assert no_seed.returncode == 3 and "no TOTP seed in the keyring" in no_seed.stderr


def test_mfa_setup_inside_login_keeps_the_seed_and_the_next_login_uses_it(fresh_sandbox, env, vault):
    sb = fresh_sandbox()
    pool, user, client = demo_user(sb, "ivan")
    args = [*sign_in_args(sb, pool, client, user), "--totp-from-keyring", "--answer", "MFA_TYPE=SOFTWARE_TOKEN_MFA"]
    setup = cli(env, *args, "--json", stdin=user["password"] + "\n")
    assert setup.returncode == 0, setup.stderr
    assert "totp: the new seed is kept in the keyring" in setup.stderr
    seed = vault.seed(pool["id"], "ivan")
    assert seed is not None and seed.value == json.loads(setup.stdout)["mfa_setup"]["secret_code"]

    later = cli(env, *sign_in_args(sb, pool, client, user), "--totp-from-keyring", stdin=user["password"] + "\n")
    assert later.returncode == 0, later.stderr
    assert "challenge SOFTWARE_TOKEN_MFA" in later.stderr and "signed in as ivan" in later.stdout


def test_remember_device_then_device_srp_refresh_and_a_forgotten_device_dropped(fresh_sandbox, env, vault, boto_client):
    sb = fresh_sandbox()
    pool, user, client = demo_user(sb, "judy")
    config = Path(env["COGNITO_TUI_CONFIG"])
    save_profiles(config, [Profile(name="judy-dev", endpoint_url=sb.endpoint_url, user_pool_id=pool["id"],
                                   client_id=client["id"], auth_flow="USER_SRP_AUTH", username="judy")])  # fmt: skip
    stored = cli(env, "totp", "store", "--profile", "judy-dev", stdin=user["totp_secret"] + "\n")
    assert stored.returncode == 0, stored.stderr
    password = user["password"] + "\n"

    first = cli(
        env, "login", "--profile", "judy-dev", "--totp-from-keyring", "--remember-device", "--json", stdin=password
    )
    assert first.returncode == 0, first.stderr
    assert "remembered (ConfirmDevice, UpdateDeviceStatus remembered)" in first.stderr
    assert "MFA asked (SOFTWARE_TOKEN_MFA)" in first.stderr
    device = vault.device("judy-dev", "judy")
    assert device is not None
    assert device.device_key not in first.stderr and device.password.value not in first.stdout + first.stderr

    # A later run: the device is sent by itself and proves itself; no MFA, so no code is read from anywhere.
    second = cli(env, "login", "--profile", "judy-dev", "--json", stdin=password)
    assert second.returncode == 0, second.stderr
    out = json.loads(second.stdout)
    assert [s["challenge"] for s in out["steps"]] == [
        "PASSWORD_VERIFIER",
        "DEVICE_SRP_AUTH",
        "DEVICE_PASSWORD_VERIFIER",
        None,
    ]
    assert "device: sending the device remembered for judy-dev@judy" in second.stderr
    assert "MFA skipped: the remembered device" in second.stderr
    assert out["claims"]["access"]["device_key"] == device.device_key

    refresh = cli(env, "login", "--profile", "judy-dev", "--auth-flow", "REFRESH_TOKEN_AUTH", "--json",
                  stdin=out["authentication_result"]["RefreshToken"] + "\n")  # fmt: skip
    assert refresh.returncode == 0, refresh.stderr
    assert json.loads(refresh.stdout)["claims"]["access"]["device_key"] == device.device_key

    boto_client(sb).forget_device(AccessToken=out["authentication_result"]["AccessToken"], DeviceKey=device.device_key)
    third = cli(env, "login", "--profile", "judy-dev", "--totp-from-keyring", "--json", stdin=password)
    assert third.returncode == 0, third.stderr
    assert "Cognito does not know it (ResourceNotFoundException: Device does not exist.)" in third.stderr
    assert "signing in again without it" in third.stderr and "MFA asked (SOFTWARE_TOKEN_MFA)" in third.stderr
    assert vault.device("judy-dev", "judy") is None
    assert vault.store.get("judy-dev@judy", SecretKind.DEVICE_KEY) is None

    # The config dir (profiles, the secrets index, TOTP steps used, the history of these runs) holds none of them.
    written = [p for p in config.parent.rglob("*") if p.is_file()]
    assert any(p.parent.name == "history" for p in written)
    secrets = (device.device_key, device.group_key, device.password.value, user["totp_secret"], user["password"])
    leaks = [(p.name, s[:6]) for p in written for s in secrets if s in p.read_text(encoding="utf-8", errors="replace")]
    assert leaks == []
