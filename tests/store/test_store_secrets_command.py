"""`cognito-tui secrets list|delete` in a child process: names only, clear errors, no Textual or boto3."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend

from cognito_tui.store.profiles import Profile, save_profiles
from cognito_tui.store.secrets import KeyringStore, SecretKind

# The command as cli.py runs it, but building only this subcommand's parser, so the test does not
# depend on the other commands being present; it also proves nothing heavy was imported.
RUN_SECRETS = textwrap.dedent(
    """
    import argparse, sys
    from cognito_tui.commands import secrets
    parser = argparse.ArgumentParser(prog="cognito-tui")
    parser.add_argument("--config")
    sub = parser.add_subparsers(dest="command")
    secrets.add_arguments(sub.add_parser("secrets"))
    code = secrets.run(parser.parse_args(sys.argv[1:]))
    heavy = sorted({m.split(".")[0] for m in sys.modules} & {"textual", "boto3", "botocore", "rich"})
    if heavy:
        print("imported:", heavy, file=sys.stderr)
        code = 99
    sys.exit(code)
    """
)


def run(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", RUN_SECRETS, *argv], env=env, capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def no_keyring_env(subprocess_env: dict[str, str]) -> dict[str, str]:
    return {**subprocess_env, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


@pytest.fixture
def keyring_env(subprocess_env: dict[str, str], secret_service: str) -> dict[str, str]:
    # Named through keyring's own configuration, so a dev box's other backends cannot get in the way.
    backend = "keyring.backends.SecretService.Keyring"
    return {**subprocess_env, "DBUS_SESSION_BUS_ADDRESS": secret_service, "PYTHON_KEYRING_BACKEND": backend}


def test_the_secret_service_is_found_without_configuration(keyring_env: dict[str, str]) -> None:
    env = {k: v for k, v in keyring_env.items() if k != "PYTHON_KEYRING_BACKEND"}
    env["XDG_CONFIG_HOME"] = str(Path(env["COGNITO_TUI_CONFIG"]).parent / "xdg")  # no keyringrc.cfg
    done = run(env, "secrets", "list")
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith("backend: SecretService Keyring")


def test_list_without_a_keyring_says_so_once_and_lists_nothing(no_keyring_env: dict[str, str]) -> None:
    done = run(no_keyring_env, "secrets", "list")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "backend: memory (this session only)\nno secrets saved\n"
    assert done.stderr.count("No usable OS keyring") == 1
    assert "Secret Service" in done.stderr and "PYTHON_KEYRING_BACKEND" in done.stderr
    assert "Traceback" not in done.stderr


def test_secrets_alone_means_list(no_keyring_env: dict[str, str]) -> None:
    done = run(no_keyring_env, "secrets")
    assert done.returncode == 0 and done.stdout.startswith("backend: ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["secrets", "delete", "dev", "pin"], "unknown secret kind 'pin'; kinds: password, client_secret"),
        (["secrets", "delete", " "], "PROFILE must not be empty"),
        (["secrets", "remove"], "invalid choice: 'remove'"),
    ],
)
def test_bad_input_exits_2_with_a_message(no_keyring_env: dict[str, str], argv: list[str], message: str) -> None:
    done = run(no_keyring_env, *argv)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


def test_list_and_delete_against_the_secret_service(
    keyring_env: dict[str, str], secret_service_backend: KeyringBackend, tmp_path: Path
) -> None:
    config = Path(keyring_env["COGNITO_TUI_CONFIG"])
    save_profiles(config, [Profile(name="dev"), Profile(name="prod")])
    store = KeyringStore(secret_service_backend, config.parent / "secrets-index.yaml")
    store.set("dev", SecretKind.PASSWORD, "dev-password-value")
    store.set("dev", SecretKind.TOTP_SEED, "JBSWY3DPEHPK3PXP")
    store.set("gone", SecretKind.REFRESH_TOKEN, "old-refresh")

    listed = run(keyring_env, "secrets", "list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stderr == ""
    assert listed.stdout.splitlines() == [
        "backend: SecretService Keyring",
        "PROFILE  KIND",
        "dev      password",
        "dev      totp_seed",
        f"gone     refresh_token  (no profile of that name in {config})",
    ]
    assert "dev-password-value" not in listed.stdout + listed.stderr

    one = run(keyring_env, "secrets", "delete", "dev", "totp-seed")
    assert (one.returncode, one.stdout) == (0, "deleted the TOTP seed of profile 'dev' from SecretService Keyring\n")
    assert (
        store.get("dev", SecretKind.TOTP_SEED) is None and store.get("dev", SecretKind.PASSWORD) == "dev-password-value"
    )

    rest = run(keyring_env, "secrets", "delete", "dev")
    assert rest.returncode == 0 and "password" in rest.stdout
    assert store.list() == [("gone", SecretKind.REFRESH_TOKEN)]

    again = run(keyring_env, "secrets", "delete", "dev")
    assert again.returncode == 1 and "no secrets saved for profile 'dev'" in again.stderr


def test_the_config_option_decides_where_the_index_is(
    keyring_env: dict[str, str], secret_service_backend: KeyringBackend, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    KeyringStore(secret_service_backend, elsewhere / "secrets-index.yaml").set("x", SecretKind.PASSWORD, "p")
    done = run(keyring_env, "--config", str(elsewhere / "profiles.yaml"), "secrets", "list")
    assert "x        password  (no profile of that name" in done.stdout.replace("PROFILE  KIND\n", "")


@pytest.mark.skipif(
    any(importlib.util.find_spec(f"cognito_tui.commands.{name}") is None for name in ("login", "sandbox")),
    reason="the other subcommands are not in this checkout yet",
)
def test_through_the_real_entry_point(no_keyring_env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cognito_tui", "secrets", "list"],
        env=no_keyring_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and done.stdout.startswith("backend: memory"), done.stderr
