"""Exports of a finished walk, run for real: the bash script with the real AWS CLI, the boto3 script.

The walk is `cognito-tui login --export` on a sandbox whose clock is frozen: each TOTP code is taken
from that clock, and the clock is moved one window on before a script runs (a code is good once).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from cognito_tui.core import totp
from cognito_tui.core.tokens import decode_claims
from cognito_tui.sandbox.clock import Clock

POOL = "us-east-1_DemoPool01"
DAVE_SEED = "DAVETOTPDEMOSEEDDAVETOTPDEMOSEED"
DAVE_PASSWORD = "Dave-Sandbox-1"


@pytest.fixture
def frozen(fresh_sandbox):
    return fresh_sandbox(clock=Clock(frozen_at=time.time()))  # frozen near now: SRP checks its TIMESTAMP


def _login_export(cli, sb, client: dict, kind: str, target, flow: str = "USER_PASSWORD_AUTH"):
    code = totp.now_code(DAVE_SEED, sb.clock.now())
    args = ["login", "--endpoint-url", sb.endpoint_url, "--user-pool-id", POOL, "--client-id", client["id"]]
    args += ["--auth-flow", flow, "--username", "dave", "--answer", f"SOFTWARE_TOKEN_MFA_CODE={code}"]
    args += ["--export", kind, str(target)]
    stdin = DAVE_PASSWORD + "\n"
    if client["secret"]:
        args.append("--client-secret-stdin")
        stdin = client["secret"] + "\n" + stdin
    done = cli(*args, stdin=stdin)
    assert done.returncode == 0, done.stderr
    assert f"export: {kind} written" in done.stderr
    return target.read_text(encoding="utf-8")


def _script_env(env_for, sb, client: dict) -> dict[str, str]:
    sb.clock.advance(totp.PERIOD)  # the next window: the login's code was used once already
    extra = {
        "COGNITO_PASSWORD": DAVE_PASSWORD,
        "COGNITO_SOFTWARE_TOKEN_MFA_CODE": totp.now_code(DAVE_SEED, sb.clock.now()),
    }
    if client["secret"]:
        extra["COGNITO_CLIENT_SECRET"] = client["secret"]
    return env_for(**extra)


def _assert_no_secret(text: str, client: dict) -> None:
    assert DAVE_PASSWORD not in text
    assert DAVE_SEED not in text
    if client["secret"]:
        assert client["secret"] not in text


def _assert_tokens_for_dave(stdout: str) -> None:
    result = json.loads(stdout)
    assert {"AccessToken", "IdToken", "RefreshToken"} <= set(result)
    claims = decode_claims(result)
    assert claims["access"]["username"] == "dave" and claims["id"]["cognito:username"] == "dave"


@pytest.mark.parametrize("client_name", ["demo-public", "demo-confidential"])
def test_cli_script_reaches_tokens_with_the_real_aws_cli(cli, env_for, frozen, tmp_path, client_name):
    client = frozen.client("cognito-tui-demo", client_name)
    script = _login_export(cli, frozen, client, "cli", tmp_path / "walk.sh")
    _assert_no_secret(script, client)
    assert '--endpoint-url "$ENDPOINT_URL"' in script and frozen.endpoint_url in script
    assert "--query '[ChallengeName,Session]'" in script and '--session="$SESSION"' in script
    assert ("secret_hash" in script) == bool(client["secret"])
    done = subprocess.run(
        ["bash", str(tmp_path / "walk.sh")],
        env=_script_env(env_for, frozen, client),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    _assert_tokens_for_dave(done.stdout)


@pytest.mark.parametrize("client_name", ["demo-public", "demo-confidential"])
def test_boto3_script_reaches_tokens(cli, env_for, frozen, tmp_path, client_name):
    client = frozen.client("cognito-tui-demo", client_name)
    script = _login_export(cli, frozen, client, "boto3", tmp_path / "walk.py")
    _assert_no_secret(script, client)
    done = subprocess.run(
        [sys.executable, str(tmp_path / "walk.py")],
        env=_script_env(env_for, frozen, client),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    _assert_tokens_for_dave(done.stdout)


def test_cli_script_without_the_password_says_which_variable(cli, env_for, frozen, tmp_path):
    client = frozen.client("cognito-tui-demo", "demo-public")
    _login_export(cli, frozen, client, "cli", tmp_path / "walk.sh")
    done = subprocess.run(
        ["bash", str(tmp_path / "walk.sh")], env=env_for(), capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    assert done.returncode == 2
    assert "set COGNITO_PASSWORD" in done.stderr and "Traceback" not in done.stderr


def test_cli_script_asks_for_a_code_it_cannot_find(cli, env_for, frozen, tmp_path):
    """No code in the environment and no terminal: a clear stop before the call, not an empty code sent."""
    client = frozen.client("cognito-tui-demo", "demo-public")
    _login_export(cli, frozen, client, "cli", tmp_path / "walk.sh")
    frozen.clock.advance(totp.PERIOD)
    done = subprocess.run(
        ["setsid", "bash", str(tmp_path / "walk.sh")],  # setsid: no controlling terminal to ask on
        env=env_for(COGNITO_PASSWORD=DAVE_PASSWORD),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode != 0
    assert "set COGNITO_SOFTWARE_TOKEN_MFA_CODE" in done.stderr


def test_srp_walk_exports_say_the_cli_cannot_do_srp(cli, env_for, frozen, tmp_path):
    client = frozen.client("cognito-tui-demo", "demo-public")
    script = _login_export(cli, frozen, client, "cli", tmp_path / "srp.sh", flow="USER_SRP_AUTH")
    assert "uses SRP" in script
    assert f"cognito-tui login --user-pool-id {POOL} --client-id {client['id']} --auth-flow USER_SRP_AUTH" in script
    done = subprocess.run(
        ["bash", str(tmp_path / "srp.sh")],
        env=env_for(COGNITO_PASSWORD=DAVE_PASSWORD),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 3 and "needs SRP" in done.stderr


def test_markdown_transcript_is_redacted_and_explains_the_steps(cli, frozen, tmp_path):
    client = frozen.client("cognito-tui-demo", "demo-confidential")
    code = totp.now_code(DAVE_SEED, frozen.clock.now())
    text = _login_export(cli, frozen, client, "markdown", tmp_path / "walk.md")
    _assert_no_secret(text, client)
    assert code not in text  # one-time codes are hidden in a bug report too
    assert "| Client secret | yes (SECRET_HASH sent) |" in text and f"`{POOL}`" in text
    assert "### 1. InitiateAuth → SOFTWARE_TOKEN_MFA" in text
    assert "### 2. RespondToAuthChallenge (SOFTWARE_TOKEN_MFA) → tokens" in text
    assert "authenticator app" in text.lower()  # the challenge's explanation
    assert "SECRET_HASH computed with the username `dave`" in text
    # the settings that decide a sign-in, read with the (placeholder) credentials
    assert "| ExplicitAuthFlows | `[" in text and "ALLOW_USER_PASSWORD_AUTH" in text
    assert "| MfaConfiguration | `OPTIONAL` |" in text


def test_unknown_export_kind_is_a_usage_error(cli, frozen, tmp_path):
    done = cli("login", "--endpoint-url", frozen.endpoint_url, "--user-pool-id", POOL, "--client-id", "x",
               "--export", "pdf", str(tmp_path / "x"))  # fmt: skip
    assert done.returncode == 2 and "--export 'pdf'" in done.stderr and "Traceback" not in done.stderr
