"""`cognito-tui login --oauth` and `--client-credentials` as subprocesses on the sandbox: the authorize
URL on stderr followed by an HTTP client through the login page, the JSON shape, each exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from oauth_helpers import BROKEN_M2M, DEMO, M2M, M2M_SECRET, WEB, PageBrowser, register_callback


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"COGNITO_TUI_CONFIG": str(tmp_path / "profiles.yaml"), "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing", "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
            "PATH": "/usr/bin:/bin", "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}  # fmt: skip


def argv(sandbox, client_id: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "cognito_tui", "login", "--endpoint-url", sandbox.endpoint_url,
            "--user-pool-id", DEMO, "--client-id", client_id, *extra]  # fmt: skip


def test_login_oauth_signs_in_through_the_login_page(oauth_sandbox, boto, env):
    callback = register_callback(boto, WEB)
    process = subprocess.Popen(argv(oauth_sandbox, WEB, "--oauth", "--redirect-uri", callback, "--scope", "openid email",
                                    "--json", "--redirect-timeout", "120"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)  # fmt: skip
    assert process.stderr is not None
    lines = []
    for line in process.stderr:  # the URL comes before the wait: reading it never races the listener
        lines.append(line)
        if "/oauth2/authorize?" in line:
            break
    url = lines[-1].strip()
    assert url.startswith(f"{oauth_sandbox.endpoint_url}/domain/cognito-tui-demo/oauth2/authorize?")
    redirect = PageBrowser().sign_in(url, "alice", "Alice-Sandbox-1")
    page = requests.get(redirect)
    assert "return to the terminal" in page.text
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, "".join(lines) + err
    result = json.loads(out)
    assert [s["operation"] for s in result["steps"]] == [
        f"GET /{DEMO}/.well-known/openid-configuration", "POST /domain/cognito-tui-demo/oauth2/token",
        "GET /domain/cognito-tui-demo/oauth2/userInfo"]  # fmt: skip
    assert set(result["authentication_result"]) == {"AccessToken", "IdToken", "RefreshToken", "ExpiresIn", "TokenType"}
    assert result["claims"]["access"]["scope"] == "openid email" and result["userinfo"]["username"] == "alice"
    assert "pre-flight: authorize: the client's settings allow this request" in "".join(lines)
    assert result["authentication_result"]["RefreshToken"] not in "".join(lines) + err


def test_the_default_redirect_uri_is_the_first_loopback_callback():
    from cognito_tui.commands.login_oauth import _first_loopback

    client = {"CallbackURLs": ["https://app.example.com/cb", "http://localhost:8765/cb", "http://127.0.0.1:9/cb"]}
    assert _first_loopback(client) == "http://localhost:8765/cb"
    assert _first_loopback({"CallbackURLs": ["https://app.example.com/cb"]}) is None


def test_client_credentials_json_and_exit_codes(oauth_sandbox, env):
    done = subprocess.run(argv(oauth_sandbox, M2M, "--client-credentials", "--scope", "demo-api/write", "--json",
                               "--client-secret-stdin"), input=M2M_SECRET + "\n", capture_output=True, text=True,
                          env=env, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result["authentication_result"]) == {"AccessToken", "ExpiresIn", "TokenType"}
    assert result["claims"]["access"]["scope"] == "demo-api/write"
    assert M2M_SECRET not in done.stderr
    refused = subprocess.run(argv(oauth_sandbox, BROKEN_M2M, "--client-credentials", "--json"), capture_output=True,
                             text=True, env=env, timeout=60)  # fmt: skip
    assert refused.returncode == 1
    error = json.loads(refused.stdout)["error"]
    assert error["code"] == "invalid_scope" and "custom scope" in error["explanation"]
    assert "pre-flight: token: would fail with invalid_scope" in refused.stderr


def test_usage_errors_exit_2(oauth_sandbox, env):
    no_client = subprocess.run([sys.executable, "-m", "cognito_tui", "login", "--oauth"], capture_output=True, text=True,
                               env=env, timeout=60)  # fmt: skip
    assert no_client.returncode == 2 and "--client-id" in no_client.stderr
    domainless = subprocess.run([sys.executable, "-m", "cognito_tui", "login", "--endpoint-url", oauth_sandbox.endpoint_url,
                                 "--user-pool-id", "us-east-1_MfaReqd0001", "--client-id", "mfarequiredpublic000000005",
                                 "--client-credentials"], capture_output=True, text=True, env=env, timeout=60)  # fmt: skip
    assert domainless.returncode == 2 and "--domain" in domainless.stderr
