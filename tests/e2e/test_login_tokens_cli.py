"""`cognito-tui login --refresh / --export-tokens` and `cognito-tui preflight` in a child process, on the sandbox."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys

import pytest

DEMO = "us-east-1_DemoPool01"
PUBLIC = "demopublic0000000000000001"
ROTATION = "demorotation00000000000004"
SRP_ONLY = "demosrponly000000000000003"


@pytest.fixture
def cli(tmp_path):
    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        env = {
            "COGNITO_TUI_CONFIG": str(tmp_path / "profiles.yaml"),
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
            "PATH": "/usr/bin:/bin",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "XDG_STATE_HOME": str(tmp_path / "state"),
        }
        argv = [sys.executable, "-m", "cognito_tui", *args]
        return subprocess.run(argv, input=stdin, capture_output=True, text=True, env=env, timeout=90)

    return run


def _sign_in(cli, sb, client: str = PUBLIC, *extra: str) -> subprocess.CompletedProcess:
    return cli("login", "--endpoint-url", sb.endpoint_url, "--user-pool-id", DEMO, "--client-id", client,
               "--auth-flow", "USER_PASSWORD_AUTH", "--username", "alice", "--no-history", *extra,
               stdin="Alice-Sandbox-1\n")  # fmt: skip


def test_refresh_on_a_rotating_client_without_preflight(cli, fresh_sandbox):
    sb = fresh_sandbox()
    done = _sign_in(cli, sb, ROTATION, "--json")
    assert done.returncode == 0, done.stderr
    first = json.loads(done.stdout)["authentication_result"]["RefreshToken"]

    refreshed = cli("login", "--endpoint-url", sb.endpoint_url, "--user-pool-id", DEMO, "--client-id", ROTATION,
                    "--refresh", "--json", "--no-history", stdin=first + "\n")  # fmt: skip
    assert refreshed.returncode == 0, refreshed.stderr
    out = json.loads(refreshed.stdout)
    assert [s["operation"] for s in out["steps"]] == ["DescribeUserPoolClient", "GetTokensFromRefreshToken"]
    assert out["refresh"]["rotation"] is True
    rotated = out["authentication_result"]["RefreshToken"]
    assert rotated != first and out["claims"]["access"]["username"] == "alice"
    assert "refresh token: rotated; the old one no longer works" in refreshed.stderr
    assert first not in refreshed.stderr and rotated not in refreshed.stderr

    reused = cli("login", "--endpoint-url", sb.endpoint_url, "--user-pool-id", DEMO, "--client-id", ROTATION,
                 "--refresh", "--json", "--no-history", stdin=first + "\n")  # fmt: skip
    assert reused.returncode == 1 and json.loads(reused.stdout)["error"]["code"] == "RefreshTokenReuseException"
    assert "newest refresh token" in reused.stderr


def test_refresh_on_a_plain_client_uses_refresh_token_auth(cli, sandbox):
    first = json.loads(_sign_in(cli, sandbox, PUBLIC, "--json").stdout)["authentication_result"]["RefreshToken"]
    done = cli("login", "--endpoint-url", sandbox.endpoint_url, "--user-pool-id", DEMO, "--client-id", PUBLIC,
               "--refresh", "--json", "--no-history", "--answer", f"REFRESH_TOKEN={first}")  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert [s["operation"] for s in out["steps"]] == ["DescribeUserPoolClient", "InitiateAuth"]
    assert out["refresh"]["rotation"] is False and out["authentication_result"]["RefreshToken"] == first


def test_export_tokens_env_header_json_and_curl(cli, sandbox):
    env = _sign_in(cli, sandbox, PUBLIC, "--export-tokens", "env")
    assert env.returncode == 0, env.stderr
    assert env.stdout.startswith("export COGNITO_ID_TOKEN=") and "COGNITO_REFRESH_TOKEN" not in env.stdout
    assert "refresh token left out (--with-refresh-token adds it)" in env.stderr
    shell = subprocess.run(["/bin/sh", "-c", env.stdout + 'printf %s "$COGNITO_ACCESS_TOKEN"'], capture_output=True,
                           text=True, timeout=30)  # fmt: skip
    access = shell.stdout
    assert access.count(".") == 2

    header = _sign_in(cli, sandbox, PUBLIC, "--export-tokens", "header")
    assert header.returncode == 0 and header.stdout.startswith("Authorization: Bearer ey")

    data = json.loads(_sign_in(cli, sandbox, PUBLIC, "--export-tokens", "json", "--with-refresh-token").stdout)
    assert set(data) >= {"IdToken", "AccessToken", "RefreshToken", "ExpiresIn", "TokenType"}

    curl = _sign_in(cli, sandbox, PUBLIC, "--export-tokens", "curl")
    assert curl.returncode == 0, curl.stderr
    argv = shlex.split(curl.stdout)
    assert argv[0] == "curl" and argv[-1] == sandbox.endpoint_url + "/"
    if shutil.which("curl"):
        answer = json.loads(subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout)
        assert answer["Username"] == "alice"

    typed = _sign_in(cli, sandbox, PUBLIC, "--export-tokens", "curl", "--curl-url", "https://api.example.com/me")
    assert shlex.split(typed.stdout)[-1] == "https://api.example.com/me"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--export-tokens", "env", "--json"), "--export-tokens and --json both write stdout"),
        (("--with-refresh-token",), "--with-refresh-token goes with --export-tokens env or json"),
        (("--export-tokens", "curl", "--curl-url", "ftp://x"), "an http(s) URL"),
        (("--export-tokens", "yaml"), "invalid choice"),
    ],
)
def test_export_flag_mistakes_exit_2(cli, sandbox, extra, message):
    done = _sign_in(cli, sandbox, PUBLIC, *extra)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


# --- cognito-tui preflight -------------------------------------------------------------------------------


def _preflight(cli, sb, *args: str) -> subprocess.CompletedProcess:
    return cli("preflight", "--endpoint-url", sb.endpoint_url, "--user-pool-id", DEMO, *args)


def test_preflight_text_exit_0_when_nothing_stands_in_the_way(cli, sandbox):
    done = _preflight(cli, sandbox, "--client-id", PUBLIC, "--username", "alice", "--auth-flow", "USER_PASSWORD_AUTH")
    assert done.returncode == 0, done.stderr
    assert "User: alice: CONFIRMED" in done.stdout and done.stdout.rstrip().endswith("✓ nothing stands in the way")


def test_preflight_json_exit_1_names_what_stands_in_the_way(cli, sandbox):
    done = _preflight(cli, sandbox, "--client-id", SRP_ONLY, "--username", "uma", "--auth-flow", "USER_PASSWORD_AUTH",
                      "--json")  # fmt: skip
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["exit"] == 1 and report["blocking"] is True
    blocking = [w["text"] for w in report["warnings"] if w["blocking"]]
    assert any("USER_PASSWORD_AUTH is not allowed" in w for w in blocking)
    assert any("UNCONFIRMED" in w for w in blocking)
    assert report["flows"]["USER_SRP_AUTH"]["allowed"] is True


def test_preflight_refresh_on_a_rotating_client_and_a_missing_user(cli, sandbox):
    done = _preflight(cli, sandbox, "--client-id", ROTATION, "--auth-flow", "REFRESH_TOKEN_AUTH", "--json")
    report = json.loads(done.stdout)
    assert done.returncode == 1 and any("GetTokensFromRefreshToken" in w["text"] for w in report["warnings"])
    assert {"label": "Refresh rotation", "value": "ENABLED"} in report["facts"]
    missing = _preflight(cli, sandbox, "--client-id", PUBLIC, "--username", "nobody-here")
    assert missing.returncode == 1 and "does not exist" in missing.stdout


def test_preflight_oauth_findings_and_exit_codes(cli, sandbox):
    ok = _preflight(cli, sandbox, "--client-id", "oauthm2m00000000000000012", "--client-credentials",
                    "--with-client-secret", "--scope", "demo-api/read", "--json")  # fmt: skip
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = _preflight(cli, sandbox, "--client-id", "brokenoauthoff00000000021", "--oauth", "--json")
    report = json.loads(bad.stdout)
    assert bad.returncode == 1 and any(f["error"] == "unauthorized_client" for f in report["oauth"])


def test_preflight_usage_and_unreadable_exit_2(cli, sandbox):
    help_text = cli("preflight", "--help")
    assert help_text.returncode == 0 and "exit codes:" in help_text.stdout and "2  usage error" in help_text.stdout
    usage = cli("preflight", "--user-pool-id", DEMO)
    assert usage.returncode == 2 and "give --user-pool-id and --client-id" in usage.stderr
    unknown = _preflight(cli, sandbox, "--client-id", PUBLIC, "--user-pool-id", "us-east-1_Nope000000")
    assert unknown.returncode == 2 and "nothing could be read" in unknown.stdout and "Traceback" not in unknown.stderr


def test_refresh_on_a_confidential_client_takes_the_secret_from_describe(cli, sandbox):
    confidential = "democonfidential0000000002"
    secret = "democonfidentialsecretpublicbydesign000000000000002"
    signed = cli("login", "--endpoint-url", sandbox.endpoint_url, "--user-pool-id", DEMO, "--client-id", confidential,
                 "--auth-flow", "USER_PASSWORD_AUTH", "--username", "alice", "--no-history", "--json",
                 "--client-secret-stdin", stdin=f"{secret}\nAlice-Sandbox-1\n")  # fmt: skip
    assert signed.returncode == 0, signed.stderr
    token = json.loads(signed.stdout)["authentication_result"]["RefreshToken"]
    done = cli("login", "--endpoint-url", sandbox.endpoint_url, "--user-pool-id", DEMO, "--client-id", confidential,
               "--refresh", "--json", "--no-history", "--username", "alice", stdin=token + "\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "client secret: taken from DescribeUserPoolClient" in done.stderr and secret not in done.stderr
    assert json.loads(done.stdout)["claims"]["id"]["aud"] == confidential
