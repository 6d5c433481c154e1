"""`login --profile P --refresh` on a rotating client: the rotated refresh token replaces the one the
profile keeps in the OS keyring (a real Secret Service), and the old one is refused afterwards."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from keyring.backend import KeyringBackend

from cognito_tui.store.profiles import Profile, save_profiles
from cognito_tui.store.secrets import KeyringStore, SecretKind

DEMO = "us-east-1_DemoPool01"
ROTATION = "demorotation00000000000004"


def test_the_rotated_refresh_token_replaces_the_profiles_stored_one(
    subprocess_env: dict[str, str], secret_service: str, secret_service_backend: KeyringBackend, fresh_sandbox,
    boto_client,
) -> None:  # fmt: skip
    sb = fresh_sandbox()
    first = boto_client(sb).initiate_auth(
        ClientId=ROTATION,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": "Alice-Sandbox-1"},
    )["AuthenticationResult"]["RefreshToken"]
    config = Path(subprocess_env["COGNITO_TUI_CONFIG"])
    save_profiles(config, [Profile(name="rot", endpoint_url=sb.endpoint_url, user_pool_id=DEMO, client_id=ROTATION,
                                   username="alice")])  # fmt: skip
    store = KeyringStore(secret_service_backend, config.parent / "secrets-index.yaml")
    store.set("rot", SecretKind.REFRESH_TOKEN, first)
    env = {**subprocess_env, "DBUS_SESSION_BUS_ADDRESS": secret_service,
           "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring",
           "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}  # fmt: skip

    def refresh() -> subprocess.CompletedProcess[str]:
        argv = [sys.executable, "-m", "cognito_tui", "login", "--profile", "rot", "--refresh", "--json", "--no-history"]
        return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=90, stdin=subprocess.DEVNULL)

    done = refresh()
    assert done.returncode == 0, done.stderr
    rotated = json.loads(done.stdout)["authentication_result"]["RefreshToken"]
    assert rotated != first and store.get("rot", SecretKind.REFRESH_TOKEN) == rotated
    assert "the rotated one replaces the old in the keyring (profile rot)" in done.stderr
    assert first not in done.stderr and rotated not in done.stderr

    again = refresh()  # reads the rotated token from the keyring: it works, and rotates once more
    assert again.returncode == 0, again.stderr
    assert (
        store.get("rot", SecretKind.REFRESH_TOKEN) == json.loads(again.stdout)["authentication_result"]["RefreshToken"]
    )
